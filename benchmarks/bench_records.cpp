// Cases, team access and correspondence: casevault beside plain SQLCipher.
//
// Fixture: a store with kPolicy (a subject, an "assigned" staff role and a
// support role), 10,000 accounts, one case each with a receipt number, and
// one staff member assigned to every case.
//
// - BM_FindByReceipt: Cases::find_by_receipt by the case's owner, random
//   receipt numbers (normalise, blind-index digest, indexed SELECT, access
//   check, unwrap the subject's key, open the sealed receipt number, queue
//   the read's audit entry).
// - BM_FindByReceipt_baseline_plain_select: the indexed SELECT of the same
//   row by a plaintext receipt number in a plain SQLCipher store.
// - BM_AccessDecision: Vault::can(staff, read, case) on random assigned
//   cases, with the decision's facts cached (each asked once first).
// - BM_AccessDecision_baseline_plain_select: the assignment row a plain
//   implementation would look up for the same decision (primary key), on a
//   second connection to the same store.
// - BM_RecordMessages: Correspondence::record_many, 1000 inbound emails per
//   call (one transaction), each sealed three times (subject line, body,
//   sender) with the sender blind-indexed: for one subject per batch (an
//   import) and for random subjects (a live stream).
// - BM_RecordMessages_baseline_plain_sqlcipher: the same rows as plaintext
//   in one transaction per 1000 in a plain SQLCipher table with the same
//   index on (subject, id).
//
// Single calls are timed one by one (manual time); p50 / p99 are of those
// samples. Batches report messages per second.
#include <memory>

#include "bench_common.hpp"
#include "vault/vault_core.hpp"

namespace cv = casevault;

namespace {

constexpr std::size_t kSubjects = 10000;
constexpr std::size_t kBatch = 1000;

const char* const kPolicy = R"json({
  "format": "casevault-policy/1",
  "metadata": {
    "name": "Benchmark Policy", "version": 1, "effective_date": "2026-01-01", "jurisdiction": "US",
    "controller": { "name": "Benchmark Controller" }, "text_url": "https://example.test/privacy"
  },
  "categories": [
    { "id": "identity", "description": "Name" },
    { "id": "case_data", "description": "Case data" }
  ],
  "purposes": [
    { "id": "service", "description": "Provide the service", "legal_basis": "contract",
      "categories": ["identity", "case_data"] }
  ],
  "roles": [
    { "id": "subject", "description": "Customer", "grants": [
      { "actions": ["read", "write"], "records": ["case", "correspondence"], "scope": "own" } ] },
    { "id": "staff", "description": "Team", "grants": [
      { "actions": ["read", "write"], "records": ["case", "correspondence"], "scope": "assigned" } ] },
    { "id": "support", "description": "Support", "grants": [
      { "actions": ["read", "write"], "records": ["correspondence"], "scope": "any" } ] }
  ]
})json";

using Clock = std::chrono::steady_clock;
double ns_since(Clock::time_point t0) { return std::chrono::duration<double, std::nano>(Clock::now() - t0).count(); }

std::string receipt(std::size_t i) { return "EAC" + std::to_string(2190000000ULL + i * 7919 % 9000000); }

std::string body(std::size_t i) {
    return "Dear team, I am writing about my application " + std::to_string(i) +
           ". The online status has not changed for three weeks and my employer asks for an update. "
           "Could you tell me whether anything else is needed from me? Kind regards.";
}

struct RecordsFixture {
    bench::TempDir dir;
    std::string path = dir.file("records.cvault");
    std::vector<std::uint8_t> key = bench::random_bytes(32);
    std::optional<cv::Vault> vault;
    std::vector<std::string> subjects, emails, cases;
    std::string staff, support;

    RecordsFixture() {
        vault.emplace(cv::Vault::open(path, bench::raw_key_options(key, true)));
        vault->policy().publish(kPolicy);
        staff = vault->principals().add(cv::Role::staff).id;
        support = vault->principals().add(cv::Role::support).id;
        for (std::size_t i = 0; i < kSubjects; i += kBatch) {
            for (const cv::Account& a : vault->accounts().create_many(bench::synthetic_batch(i, kBatch, "rec"))) {
                subjects.push_back(a.id);
                emails.push_back(*a.fields.email);
            }
        }
        for (std::size_t i = 0; i < kSubjects; ++i) {
            cases.push_back(vault->cases().open(subjects[i], subjects[i], {receipt(i), "I-485", std::nullopt}).id);
        }
        // One transaction for the 10,000 assignments (Cases::assign is one each).
        auto& store = vault->core()->store();
        auto tx = store.begin();
        for (const auto& c : cases) store.insert_assignment(c, staff, 0);
        tx->commit();
    }
    ~RecordsFixture() { vault.reset(); }

    std::unique_ptr<cv::store::SqlcipherStore> raw_connection() const { return bench::raw_connection(path, key); }
};

// ---- find by receipt number -----------------------------------------------------

void BM_FindByReceipt(benchmark::State& state) {
    auto& f = bench::shared_fixture<RecordsFixture>();
    cv::Cases cases = f.vault->cases();
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, kSubjects - 1);
    std::vector<double> us;
    for (auto _ : state) {
        const std::size_t i = pick(rng);
        const std::string r = receipt(i);
        const auto t0 = Clock::now();
        const auto c = cases.find_by_receipt(f.subjects[i], r);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        us.push_back(t * 1e-3);
        if (!c || c->id != f.cases[i]) {
            state.SkipWithError("the case was not found");
            break;
        }
    }
    bench::report_percentiles(state, us, "us");
}

struct PlainCasesFixture {
    bench::TempDir dir;
    bench::PlainKey key;
    sqlite3* db = nullptr;
    PlainCasesFixture() {
        db = bench::open_plain(dir.file("cases-plain.db"), key);
        bench::exec(db,
                    "CREATE TABLE cases(id TEXT PRIMARY KEY NOT NULL, subject TEXT NOT NULL, form_type TEXT NOT NULL,"
                    " receipt TEXT UNIQUE, questionnaire TEXT, status TEXT, status_at INTEGER,"
                    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
        bench::exec(db, "CREATE INDEX cases_by_subject ON cases(subject, id)");
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO cases VALUES (?1, ?2, 'I-485', ?3, NULL, NULL, NULL, 0, 0)", -1, &st,
                           nullptr);
        bench::exec(db, "BEGIN");
        for (std::size_t i = 0; i < kSubjects; ++i) {
            const std::string id = "cas_" + bench::pad(i, 24), subject = "acc_" + bench::pad(i, 24), r = receipt(i);
            sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, subject.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, r.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_step(st);
            sqlite3_reset(st);
        }
        bench::exec(db, "COMMIT");
        sqlite3_finalize(st);
    }
    ~PlainCasesFixture() { sqlite3_close(db); }
};

void BM_FindByReceipt_baseline_plain_select(benchmark::State& state) {
    auto& f = bench::shared_fixture<PlainCasesFixture>();
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(f.db, "SELECT id, subject, form_type, receipt, questionnaire FROM cases WHERE receipt = ?1",
                       -1, &st, nullptr);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, kSubjects - 1);
    std::vector<double> us;
    for (auto _ : state) {
        const std::string r = receipt(pick(rng));
        const auto t0 = Clock::now();
        sqlite3_bind_text(st, 1, r.data(), static_cast<int>(r.size()), SQLITE_STATIC);
        const bool found = sqlite3_step(st) == SQLITE_ROW;
        std::string id = found ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "";
        sqlite3_reset(st);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        us.push_back(t * 1e-3);
        if (!found) {
            state.SkipWithError("the case was not found");
            break;
        }
        benchmark::DoNotOptimize(id);
    }
    sqlite3_finalize(st);
    bench::report_percentiles(state, us, "us");
}

// ---- access decisions -------------------------------------------------------------

void BM_AccessDecision(benchmark::State& state) {
    auto& f = bench::shared_fixture<RecordsFixture>();
    cv::Vault& vault = *f.vault;
    for (const auto& c : f.cases) {
        if (!vault.can(f.staff, cv::Action::read, {cv::RecordKind::case_, c}).allowed) {
            state.SkipWithError("an assigned case was denied");
            return;
        }
    }
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, kSubjects - 1);
    std::vector<double> ns;
    ns.reserve(1 << 20);
    for (auto _ : state) {
        const cv::RecordRef ref{cv::RecordKind::case_, f.cases[pick(rng)]};
        const auto t0 = Clock::now();
        const cv::AccessVerdict v = vault.can(f.staff, cv::Action::read, ref);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        ns.push_back(t);
        if (!v.allowed) {
            state.SkipWithError("an assigned case was denied");
            break;
        }
    }
    bench::report_percentiles(state, ns, "ns");
}

void BM_AccessDecision_baseline_plain_select(benchmark::State& state) {
    auto& f = bench::shared_fixture<RecordsFixture>();
    const auto conn = f.raw_connection();
    sqlite3* db = conn->db().handle();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM case_assignments WHERE case_id = ?1 AND principal = ?2", -1, &st,
                           nullptr) != SQLITE_OK) {
        state.SkipWithError(sqlite3_errmsg(db));
        return;
    }
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, kSubjects - 1);
    std::vector<double> ns;
    ns.reserve(1 << 20);
    for (auto _ : state) {
        const std::string& c = f.cases[pick(rng)];
        const auto t0 = Clock::now();
        sqlite3_bind_text(st, 1, c.data(), static_cast<int>(c.size()), SQLITE_STATIC);
        sqlite3_bind_text(st, 2, f.staff.data(), static_cast<int>(f.staff.size()), SQLITE_STATIC);
        const bool yes = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        ns.push_back(t);
        if (!yes) {
            state.SkipWithError("an assignment is missing");
            break;
        }
    }
    sqlite3_finalize(st);
    bench::report_percentiles(state, ns, "ns");
}

// ---- recording messages -------------------------------------------------------------

// Messages per second over the timed batches, and the median batch's rate.
void report_batches(benchmark::State& state, std::vector<double>& seconds) {
    double total = 0;
    for (double s : seconds) total += s;
    state.counters["items_per_second"] = total > 0 ? static_cast<double>(seconds.size() * kBatch) / total : 0;
    std::sort(seconds.begin(), seconds.end());
    if (!seconds.empty()) state.counters["p50_msgs_per_s"] = kBatch / seconds[seconds.size() / 2];
}

// Arg random: 0 = one subject per batch, 1 = each message for a random subject.
void BM_RecordMessages(benchmark::State& state) {
    const bool random = state.range(0) != 0;
    auto& f = bench::shared_fixture<RecordsFixture>();
    cv::Correspondence corr = f.vault->correspondence();
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, kSubjects - 1);
    std::vector<double> seconds;
    std::size_t n = 0;
    for (auto _ : state) {
        std::vector<cv::MessageFields> batch(kBatch);
        const std::size_t one = pick(rng);
        for (auto& m : batch) {
            const std::size_t s = random ? pick(rng) : one;
            m.subject = f.subjects[s];
            m.channel = cv::MessageChannel::email;
            m.direction = cv::Direction::inbound;
            m.sender = f.emails[s];
            m.subject_line = "Status of my case";
            m.body = body(n++);
        }
        const auto t0 = Clock::now();
        const auto out = corr.record_many(f.support, batch);
        const double t = ns_since(t0) * 1e-9;
        state.SetIterationTime(t);
        seconds.push_back(t);
        benchmark::DoNotOptimize(out);
    }
    report_batches(state, seconds);
}

struct PlainMessagesFixture {
    bench::TempDir dir;
    bench::PlainKey key;
    sqlite3* db = nullptr;
    std::vector<std::string> subjects, emails;
    PlainMessagesFixture() {
        db = bench::open_plain(dir.file("messages-plain.db"), key);
        bench::exec(db,
                    "CREATE TABLE messages(id TEXT PRIMARY KEY NOT NULL, subject TEXT NOT NULL, case_id TEXT,"
                    " channel INTEGER NOT NULL, direction INTEGER NOT NULL, at INTEGER NOT NULL,"
                    " recorded_at INTEGER NOT NULL, subject_line TEXT, body TEXT NOT NULL, sender TEXT)");
        bench::exec(db, "CREATE INDEX messages_by_subject ON messages(subject, id)");
        std::mt19937_64 rng(3);
        for (std::size_t i = 0; i < kSubjects; ++i) {
            subjects.push_back(bench::random_id(rng));
            emails.push_back(*bench::synthetic_account(i, "rec").email);
        }
    }
    ~PlainMessagesFixture() { sqlite3_close(db); }
};

void BM_RecordMessages_baseline_plain_sqlcipher(benchmark::State& state) {
    const bool random = state.range(0) != 0;
    auto& f = bench::shared_fixture<PlainMessagesFixture>();
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(f.db, "INSERT INTO messages VALUES (?1, ?2, NULL, 0, 0, ?3, ?3, ?4, ?5, ?6)", -1, &st, nullptr);
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<std::size_t> pick(0, kSubjects - 1);
    std::vector<double> seconds;
    std::size_t n = 0;
    for (auto _ : state) {
        struct Row {
            std::string id, body;
            std::size_t s;
        };
        std::vector<Row> rows(kBatch);
        const std::size_t one = pick(rng);
        for (auto& r : rows) {
            r.s = random ? pick(rng) : one;
            r.body = body(n++);
        }
        const auto t0 = Clock::now();
        bench::exec(f.db, "BEGIN IMMEDIATE");
        const sqlite3_int64 now = static_cast<sqlite3_int64>(std::time(nullptr));
        for (auto& r : rows) {
            // Ids made as casevault makes them (time-ordered), inside the timed region like casevault's.
            const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                           std::chrono::system_clock::now().time_since_epoch())
                                                           .count());
            std::uint8_t b[12];
            for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
            for (int i = 6; i < 12; ++i) b[i] = static_cast<std::uint8_t>(rng());
            r.id = "msg_" + bench::hex(b, sizeof b);
            sqlite3_bind_text(st, 1, r.id.data(), static_cast<int>(r.id.size()), SQLITE_STATIC);
            sqlite3_bind_text(st, 2, f.subjects[r.s].data(), static_cast<int>(f.subjects[r.s].size()), SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, now);
            sqlite3_bind_text(st, 4, "Status of my case", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 5, r.body.data(), static_cast<int>(r.body.size()), SQLITE_STATIC);
            sqlite3_bind_text(st, 6, f.emails[r.s].data(), static_cast<int>(f.emails[r.s].size()), SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                state.SkipWithError(sqlite3_errmsg(f.db));
                sqlite3_reset(st);
                bench::exec(f.db, "ROLLBACK");
                sqlite3_finalize(st);
                return;
            }
            sqlite3_reset(st);
        }
        bench::exec(f.db, "COMMIT");
        const double t = ns_since(t0) * 1e-9;
        state.SetIterationTime(t);
        seconds.push_back(t);
    }
    sqlite3_finalize(st);
    report_batches(state, seconds);
}

}  // namespace

BENCHMARK(BM_FindByReceipt)->Unit(benchmark::kMicrosecond)->UseManualTime()->MinTime(0.3)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_FindByReceipt_baseline_plain_select)
    ->Unit(benchmark::kMicrosecond)
    ->UseManualTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_AccessDecision)->Unit(benchmark::kNanosecond)->UseManualTime()->MinTime(0.3)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_AccessDecision_baseline_plain_select)
    ->Unit(benchmark::kNanosecond)
    ->UseManualTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_RecordMessages)->ArgName("random")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(20);
BENCHMARK(BM_RecordMessages_baseline_plain_sqlcipher)
    ->ArgName("random")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(20);

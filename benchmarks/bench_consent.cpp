// Consent decisions and the consent ledger: casevault beside plain SQLCipher.
//
// Fixture: a store with a published policy (kPolicy), 10,000 accounts, each
// with the three consent purposes of kPurposes granted.
//
// - BM_MayProcess_cached: Vault::may_process with the subject's facts in the
//   decision cache (every subject is decided once before the clock starts).
// - BM_MayProcess_cold: the subject's cached facts are dropped before each
//   call (ConsentService::invalidate, outside the timed region), so every
//   call reads the account and its consent states from the store.
// - BM_MayProcess_after_own_write: a decision right after the same vault
//   committed a write that changes no decision (one consent granted again).
// - BM_MayProcess_baseline_plain_select: the one indexed SELECT a plain
//   implementation would run for the same decision, through a prepared
//   statement on a second connection to the same store (same cipher settings
//   and pragmas, opened with the store's page key).
// - BM_ConsentRecordMany: Consents::record_many, 1000 requests per call (one
//   transaction): grants and withdrawals, in account-creation order and in
//   random order, without and with an evidence reference.
// - BM_ConsentRecord_baseline_plain_sqlcipher: the equivalent ledger rows
//   INSERTed in one transaction per 1000 into a table like casevault's
//   consent_events (same columns and indexes) in a plain SQLCipher store
//   (state:0, the baseline); state:1 also keeps a current-state row like
//   casevault's consent_state, with the INSERT OR REPLACE casevault uses.
//
// Every call is timed on its own (manual time), so the reported Time is the
// mean of the timed calls only; p50_ns / p99_ns (or p50_ms per batch) are
// the medians and tails of the same samples. Timing one call adds the cost
// of two steady_clock reads (about 30 ns on the 2-core CI machine).
// pages_per_batch: pages the connection wrote, each encrypted and MACed.
#include <array>
#include <memory>

#include "bench_common.hpp"
#include "vault/vault_core.hpp"

namespace cv = casevault;

namespace {

constexpr std::size_t kSubjects = 10000;
constexpr std::size_t kCreateBatch = 1000;
constexpr std::size_t kRecordBatch = 1000;

// Consent purposes granted for every subject.
const std::array<std::string, 3> kPurposes = {"newsletter", "surveys", "analytics"};

// A small policy: one contract purpose, one policy-acceptance purpose, and
// the three consent purposes above.
const char* const kPolicy = R"json({
  "format": "casevault-policy/1",
  "metadata": {
    "name": "Benchmark Policy",
    "version": 1,
    "effective_date": "2026-01-01",
    "jurisdiction": "US",
    "controller": { "name": "Benchmark Controller" },
    "text_url": "https://example.test/privacy"
  },
  "categories": [
    { "id": "identity", "description": "Name" },
    { "id": "contact", "description": "Email and phone" },
    { "id": "case_data", "description": "Case documents" },
    { "id": "usage", "description": "How the service is used", "kind": "device" }
  ],
  "purposes": [
    { "id": "service", "description": "Provide the service", "legal_basis": "contract",
      "categories": ["identity", "contact", "case_data"] },
    { "id": "terms", "description": "Acceptance of the policy", "legal_basis": "consent",
      "categories": ["identity"], "requires_fresh_consent": true, "on_decline": "close_and_erase" },
    { "id": "newsletter", "description": "Newsletter", "legal_basis": "consent", "categories": ["contact"] },
    { "id": "surveys", "description": "Optional surveys", "legal_basis": "consent",
      "categories": ["identity", "contact"] },
    { "id": "analytics", "description": "Product analytics", "legal_basis": "consent",
      "categories": ["usage"], "third_party_disclosure": true }
  ]
})json";

using Clock = std::chrono::steady_clock;

double ns_since(Clock::time_point t0) { return std::chrono::duration<double, std::nano>(Clock::now() - t0).count(); }

// A store with the policy, kSubjects accounts and every kPurposes granted.
struct ConsentFixture {
    bench::TempDir dir;
    std::string path = dir.file("consent.cvault");
    std::vector<std::uint8_t> key = bench::random_bytes(32);
    std::optional<cv::Vault> vault;
    std::vector<std::string> subjects;

    explicit ConsentFixture(const std::string& tag) {
        vault.emplace(cv::Vault::open(path, bench::raw_key_options(key, true)));
        vault->policy().publish(kPolicy);
        cv::Accounts accounts = vault->accounts();
        cv::Consents consents = vault->consents();
        subjects.reserve(kSubjects);
        for (std::size_t i = 0; i < kSubjects; i += kCreateBatch) {
            std::vector<cv::ConsentRequest> grants;
            for (const cv::Account& a : accounts.create_many(bench::synthetic_batch(i, kCreateBatch, tag))) {
                subjects.push_back(a.id);
                for (const auto& p : kPurposes) {
                    cv::ConsentRequest r;
                    r.subject = a.id;
                    r.purpose = p;
                    r.channel = cv::Channel::web;
                    grants.push_back(std::move(r));
                }
            }
            consents.record_many(grants);
        }
        // Ids are time-ordered (random within a millisecond): ascending id
        // order is creation order, give or take a millisecond.
        std::sort(subjects.begin(), subjects.end());
    }
    ~ConsentFixture() { vault.reset(); }  // close before the directory goes

    // A second connection to the same store, keyed like the vault's own.
    std::unique_ptr<cv::store::SqlcipherStore> raw_connection() const { return bench::raw_connection(path, key); }
};

struct DecisionFixture : ConsentFixture {
    DecisionFixture() : ConsentFixture("decide") {}
};

// ---- may_process --------------------------------------------------------------

template <bool Cold>
void may_process(benchmark::State& state) {
    auto& f = bench::shared_fixture<DecisionFixture>();
    cv::Vault& vault = *f.vault;
    cv::consent::ConsentService& cache = vault.core()->consents();
    // Every subject decided once: the cached benchmark then never misses.
    for (const auto& s : f.subjects) {
        if (!vault.may_process(s, kPurposes[0]).allowed) {
            state.SkipWithError("a granted purpose was denied");
            return;
        }
    }
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, f.subjects.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_purpose(0, kPurposes.size() - 1);
    std::vector<double> ns;
    ns.reserve(1 << 20);
    for (auto _ : state) {
        const std::string& subject = f.subjects[pick(rng)];
        const std::string& purpose = kPurposes[pick_purpose(rng)];
        if (Cold) cache.invalidate(subject);
        const auto t0 = Clock::now();
        const cv::Decision d = vault.may_process(subject, purpose);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        ns.push_back(t);
        if (!d.allowed) {
            state.SkipWithError("a granted purpose was denied");
            break;
        }
        benchmark::DoNotOptimize(d);
    }
    bench::report_percentiles(state, ns, "ns");
}

void BM_MayProcess_cached(benchmark::State& state) { may_process<false>(state); }
void BM_MayProcess_cold(benchmark::State& state) { may_process<true>(state); }

// What a plain implementation reads for one decision: the state row of
// (subject, purpose, whole-purpose scope), by its primary key.
void BM_MayProcess_baseline_plain_select(benchmark::State& state) {
    auto& f = bench::shared_fixture<DecisionFixture>();
    const auto conn = f.raw_connection();
    sqlite3* db = conn->db().handle();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT action, policy_version, expires_at FROM consent_state"
                           " WHERE subject = ?1 AND purpose = ?2 AND scope = ''",
                           -1, &st, nullptr) != SQLITE_OK) {
        state.SkipWithError(sqlite3_errmsg(db));
        return;
    }
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, f.subjects.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_purpose(0, kPurposes.size() - 1);
    std::vector<double> ns;
    ns.reserve(1 << 20);
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    for (auto _ : state) {
        const std::string& subject = f.subjects[pick(rng)];
        const std::string& purpose = kPurposes[pick_purpose(rng)];
        const auto t0 = Clock::now();
        sqlite3_bind_text(st, 1, subject.data(), static_cast<int>(subject.size()), SQLITE_STATIC);
        sqlite3_bind_text(st, 2, purpose.data(), static_cast<int>(purpose.size()), SQLITE_STATIC);
        bool allowed = false;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const std::int64_t expires = sqlite3_column_int64(st, 2);
            allowed = sqlite3_column_int(st, 0) == 1 && sqlite3_column_int64(st, 1) >= 1 &&
                      (expires == 0 || now < expires);
        }
        sqlite3_reset(st);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        ns.push_back(t);
        if (!allowed) {
            state.SkipWithError("a granted purpose was not found");
            break;
        }
    }
    sqlite3_finalize(st);
    bench::report_percentiles(state, ns, "ns");
}

// A host that writes between decisions: before each timed decision the
// same vault commits one consent (subject j grants kPurposes[0] again, which
// changes no decision), outside the timed region.
void BM_MayProcess_after_own_write(benchmark::State& state) {
    auto& f = bench::shared_fixture<DecisionFixture>();
    cv::Vault& vault = *f.vault;
    cv::Consents consents = vault.consents();
    for (const auto& s : f.subjects) vault.may_process(s, kPurposes[0]);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, f.subjects.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_purpose(0, kPurposes.size() - 1);
    std::vector<double> ns;
    std::size_t j = 0;
    for (auto _ : state) {
        cv::ConsentRequest r;
        r.subject = f.subjects[j++ % f.subjects.size()];
        r.purpose = kPurposes[0];
        consents.record(r);
        const std::string& subject = f.subjects[pick(rng)];
        const std::string& purpose = kPurposes[pick_purpose(rng)];
        const auto t0 = Clock::now();
        const cv::Decision d = vault.may_process(subject, purpose);
        const double t = ns_since(t0);
        state.SetIterationTime(t * 1e-9);
        ns.push_back(t);
        if (!d.allowed) {
            state.SkipWithError("a granted purpose was denied");
            break;
        }
    }
    bench::report_percentiles(state, ns, "ns");
}

// Three repetitions of >= 0.3 s of timed calls; the median row and its
// p50_ns / p99_ns are the figures to read.
BENCHMARK(BM_MayProcess_cached)
    ->Unit(benchmark::kNanosecond)
    ->UseManualTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_MayProcess_cold)
    ->Unit(benchmark::kNanosecond)
    ->UseManualTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_MayProcess_baseline_plain_select)
    ->Unit(benchmark::kNanosecond)
    ->UseManualTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_MayProcess_after_own_write)->Unit(benchmark::kNanosecond)->UseManualTime()->Iterations(2000);

// ---- record_many ----------------------------------------------------------------

// The (subject, purpose) pairs each batch records, and what each currently
// holds. Two orders:
// - creation order (a bulk import: one person's three consents together,
//   people in ascending id order, which is the order their accounts were
//   made);
// - a fixed random permutation (people answering a campaign or a policy
//   change in no particular order).
// Each pair is flipped: a granted purpose is withdrawn, a withdrawn one
// granted again.
struct RecordPlan {
    std::vector<bool> granted = std::vector<bool>(kSubjects * kPurposes.size(), true);
    std::vector<std::size_t> shuffled;
    std::size_t cursor[2] = {0, 0};

    RecordPlan() {
        shuffled.resize(granted.size());
        for (std::size_t i = 0; i < shuffled.size(); ++i) shuffled[i] = i;
        std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(99));
    }

    template <class Emit>
    void next_batch(bool random, Emit emit) {
        std::size_t& c = cursor[random ? 1 : 0];
        for (std::size_t i = 0; i < kRecordBatch; ++i) {
            const std::size_t pair = random ? shuffled[c] : c;  // pair = subject * 3 + purpose
            c = (c + 1) % granted.size();
            const bool grant = !granted[pair];
            granted[pair] = grant;
            emit(pair / kPurposes.size(), pair % kPurposes.size(), grant);
        }
    }
};

// Pages the connection wrote (to the WAL, each one encrypted and MACed by
// SQLCipher), summed over the timed batches.
class PagesWritten {
public:
    explicit PagesWritten(sqlite3* db) : db_(db) {}
    void reset() {
        int cur = 0, hi = 0;
        sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 1);
    }
    void add() {
        int cur = 0, hi = 0;
        sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 0);
        total += cur;
    }
    double total = 0;

private:
    sqlite3* db_;
};

// Batch times (ms) -> events/s (Google Benchmark's own, from the mean), the
// p50 batch and the events/s it means, and the pages written per batch.
void report_batches(benchmark::State& state, std::vector<double>& ms, const PagesWritten& pages) {
    state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(kRecordBatch));
    if (ms.empty()) return;
    state.counters["pages_per_batch"] = pages.total / static_cast<double>(ms.size());
    std::sort(ms.begin(), ms.end());
    const double p50 = ms[(ms.size() - 1) / 2];
    state.counters["p50_ms"] = p50;
    state.counters["p50_events_per_s"] = static_cast<double>(kRecordBatch) / (p50 * 1e-3);
}

std::string evidence_for(std::size_t n) { return "web-form submission " + std::to_string(1000000 + n); }

struct RecordFixture : ConsentFixture {
    RecordFixture() : ConsentFixture("record") {}
    RecordPlan plan;
};

void BM_ConsentRecordMany(benchmark::State& state) {
    const bool random = state.range(0) != 0;
    const bool with_evidence = state.range(1) != 0;
    auto& f = bench::shared_fixture<RecordFixture>();
    cv::Consents consents = f.vault->consents();
    PagesWritten pages(f.vault->core()->store().db().handle());
    std::vector<double> ms;
    std::size_t n = 0;
    for (auto _ : state) {
        std::vector<cv::ConsentRequest> batch;
        batch.reserve(kRecordBatch);
        f.plan.next_batch(random, [&](std::size_t s, std::size_t p, bool grant) {
            cv::ConsentRequest r;
            r.subject = f.subjects[s];
            r.purpose = kPurposes[p];
            r.action = grant ? cv::ConsentAction::granted : cv::ConsentAction::withdrawn;
            r.channel = cv::Channel::web;
            if (with_evidence) r.evidence = evidence_for(n++);
            batch.push_back(std::move(r));
        });
        pages.reset();
        const auto t0 = Clock::now();
        std::vector<cv::ConsentEvent> events = consents.record_many(batch);
        const double t = ns_since(t0);
        pages.add();
        state.SetIterationTime(t * 1e-9);
        ms.push_back(t * 1e-6);
        benchmark::DoNotOptimize(events.data());
    }
    report_batches(state, ms, pages);
}

// The same ledger tables as casevault's (src/store/schema.cpp, migration 2:
// the same columns, keys and indexes), in a plain SQLCipher store with the
// same cipher settings and pragmas.
void create_plain_consent_schema(sqlite3* db) {
    bench::exec(db,
                "CREATE TABLE consent_events("
                " seq INTEGER PRIMARY KEY, id TEXT NOT NULL, subject TEXT NOT NULL, purpose TEXT NOT NULL,"
                " scope TEXT NOT NULL, action INTEGER NOT NULL, channel INTEGER NOT NULL,"
                " policy_version INTEGER NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL, evidence BLOB)");
    bench::exec(db, "CREATE INDEX consent_events_by_subject ON consent_events(subject, seq)");
    bench::exec(db,
                "CREATE TABLE consent_state("
                " subject TEXT NOT NULL, purpose TEXT NOT NULL, scope TEXT NOT NULL, action INTEGER NOT NULL,"
                " policy_version INTEGER NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
                " PRIMARY KEY(subject, purpose, scope)) WITHOUT ROWID");
}

// One event row (and, if asked, one state row) per consent, one transaction
// per batch.
class PlainConsentWriter {
public:
    explicit PlainConsentWriter(sqlite3* db) : db_(db) {
        prepare("INSERT INTO consent_events(id, subject, purpose, scope, action, channel, policy_version, at,"
                " expires_at, evidence) VALUES (?1, ?2, ?3, '', ?4, 1, 1, ?5, 0, ?6)",
                &event_);
        prepare("INSERT OR REPLACE INTO consent_state(subject, purpose, scope, action, policy_version, at,"
                " expires_at) VALUES (?1, ?2, '', ?3, 1, ?4, 0)",
                &state_);
    }
    ~PlainConsentWriter() {
        sqlite3_finalize(event_);
        sqlite3_finalize(state_);
    }
    PlainConsentWriter(const PlainConsentWriter&) = delete;
    PlainConsentWriter& operator=(const PlainConsentWriter&) = delete;

    struct Row {
        std::string id;
        const std::string* subject;
        const std::string* purpose;
        int action;
        std::string evidence;
    };

    // with_state: also keep the current-state row, as casevault does, with
    // the same INSERT OR REPLACE casevault uses (src/store/sqlcipher_consent.cpp).
    void write_batch(const std::vector<Row>& rows, bool with_state = true) {
        bench::exec(db_, "BEGIN IMMEDIATE");
        const sqlite3_int64 now = static_cast<sqlite3_int64>(std::time(nullptr));
        for (const Row& r : rows) {
            sqlite3_bind_text(event_, 1, r.id.data(), static_cast<int>(r.id.size()), SQLITE_STATIC);
            sqlite3_bind_text(event_, 2, r.subject->data(), static_cast<int>(r.subject->size()), SQLITE_STATIC);
            sqlite3_bind_text(event_, 3, r.purpose->data(), static_cast<int>(r.purpose->size()), SQLITE_STATIC);
            sqlite3_bind_int(event_, 4, r.action);
            sqlite3_bind_int64(event_, 5, now);
            if (r.evidence.empty()) sqlite3_bind_null(event_, 6);
            else sqlite3_bind_blob(event_, 6, r.evidence.data(), static_cast<int>(r.evidence.size()), SQLITE_STATIC);
            step(event_);
            if (!with_state) continue;
            sqlite3_bind_text(state_, 1, r.subject->data(), static_cast<int>(r.subject->size()), SQLITE_STATIC);
            sqlite3_bind_text(state_, 2, r.purpose->data(), static_cast<int>(r.purpose->size()), SQLITE_STATIC);
            sqlite3_bind_int(state_, 3, r.action);
            sqlite3_bind_int64(state_, 4, now);
            step(state_);
        }
        bench::exec(db_, "COMMIT");
    }

private:
    void prepare(const char* sql, sqlite3_stmt** st) {
        if (sqlite3_prepare_v2(db_, sql, -1, st, nullptr) != SQLITE_OK) {
            throw std::runtime_error(std::string("plain consent schema: ") + sqlite3_errmsg(db_));
        }
    }
    void step(sqlite3_stmt* st) {
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            const std::string msg = sqlite3_errmsg(db_);
            bench::exec(db_, "ROLLBACK");
            throw std::runtime_error("plain consent insert: " + msg);
        }
    }
    sqlite3* db_;
    sqlite3_stmt* event_ = nullptr;
    sqlite3_stmt* state_ = nullptr;
};

// Ids shaped like casevault's (src/common/ids.cpp): 48 bits of wall-clock
// milliseconds, then 48 random bits, so both stores' indexes on ids see the
// same insertion pattern (new ids at the right edge).
std::string ordered_id(const char* prefix, std::mt19937_64& rng) {
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    std::uint8_t b[12];
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    for (int i = 6; i < 12; ++i) b[i] = static_cast<std::uint8_t>(rng());
    return std::string(prefix) + "_" + bench::hex(b, sizeof b);
}

// The plain store starts like RecordFixture's: kSubjects subjects (account
// ids made as casevault makes them, in ascending order), each with every
// kPurposes granted.
struct PlainRecordFixture {
    bench::TempDir dir;
    bench::PlainKey key;
    sqlite3* db = nullptr;
    std::mt19937_64 rng{13};
    std::vector<std::string> subjects;
    RecordPlan plan;
    PlainRecordFixture() {
        db = bench::open_plain(dir.file("consent-plain.db"), key);
        create_plain_consent_schema(db);
        for (std::size_t i = 0; i < kSubjects; ++i) subjects.push_back(ordered_id("acc", rng));
        std::sort(subjects.begin(), subjects.end());  // as if made one by one
        PlainConsentWriter w(db);
        for (std::size_t i = 0; i < kSubjects; i += kCreateBatch) {
            std::vector<PlainConsentWriter::Row> rows;
            for (std::size_t s = i; s < i + kCreateBatch; ++s) {
                for (const auto& p : kPurposes) rows.push_back({ordered_id("cns", rng), &subjects[s], &p, 1, {}});
            }
            w.write_batch(rows);
        }
    }
    ~PlainRecordFixture() { sqlite3_close(db); }
};

// Args: random (as for BM_ConsentRecordMany); state (0: only the ledger row,
// a plain INSERT; 1: also the current-state row, INSERT OR REPLACE).
void BM_ConsentRecord_baseline_plain_sqlcipher(benchmark::State& state) {
    const bool random = state.range(0) != 0;
    const bool with_state = state.range(1) != 0;
    auto& f = bench::shared_fixture<PlainRecordFixture>();
    PagesWritten pages(f.db);
    std::vector<double> ms;
    {
        PlainConsentWriter w(f.db);
        for (auto _ : state) {
            std::vector<PlainConsentWriter::Row> rows;
            rows.reserve(kRecordBatch);
            f.plan.next_batch(random, [&](std::size_t s, std::size_t p, bool grant) {
                rows.push_back({ordered_id("cns", f.rng), &f.subjects[s], &kPurposes[p], grant ? 1 : 2, {}});
            });
            pages.reset();
            const auto t0 = Clock::now();
            w.write_batch(rows, with_state);
            const double t = ns_since(t0);
            pages.add();
            state.SetIterationTime(t * 1e-9);
            ms.push_back(t * 1e-6);
        }
    }
    report_batches(state, ms, pages);
}

// Args: random (0: creation order, 1: random order), evidence (0: none,
// 1: a reference on each event, which casevault seals under the subject's key).
BENCHMARK(BM_ConsentRecordMany)
    ->ArgNames({"random", "evidence"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(20);
BENCHMARK(BM_ConsentRecord_baseline_plain_sqlcipher)
    ->ArgNames({"random", "state"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(20);

}  // namespace

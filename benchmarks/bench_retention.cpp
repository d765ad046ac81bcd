// The retention sweep: casevault beside a plain DELETE of the same rows.
//
// The issue's targets: in a store of 1,000,000 subjects with 1% due, a sweep
// takes <= 2 s on the 2-core CI machine (>= 5,000 erasures/s); the same
// 10,000 due subjects in a store ten times larger (10,000,000 subjects) cost
// <= 1.5x that time, because the sweep finds its work through the due_at
// index and its cost follows what is due, not the size of the store; and
// the sweep's memory stays bounded.
//
// Fixture, per store size N (the Case Parallels example policy):
//
// - The background: N - 10,000 subjects written with raw SQL on the store in
//   big transactions, once, and cached under /tmp between runs (below). Each
//   is a minimal live account row (time-ordered id, status, dates, key
//   version, and the two blind-index digests, spread evenly over the digest
//   space so that the due subjects' real digests land among them as they
//   would in a real store, at random leaves of full-size UNIQUE indexes) and
//   the inactivity row of the schedule that every live account has under
//   this policy (retention_due, trigger inactivity, due 30..90 days after
//   the sweep's clock: not due). No sealed fields, cases or consents: the
//   sweep never reads them, and leaving them out keeps the 10M file small
//   enough to build in about a minute. Measured on the 2-core machine: 1M
//   builds in about 9 s (290 MB), 10M in about 70 s (2.9 GB); the build
//   time is printed on stderr whenever a fixture is built.
// - Before each timed sweep, outside the clock, the due work is made through
//   the engine itself: 10,000 accounts by Accounts::create_many (1000 per
//   call: sealed fields, wrapped data keys, real blind indexes, their own
//   inactivity rows), one case each with a receipt number and a
//   questionnaire (one transaction), and a deletion request for each
//   (RetentionService::request in one transaction: the request row and a
//   retention_due row due now). On the first iteration the store then holds
//   exactly N subjects, 1% of them due.
//
// - BM_Sweep/subjects:N: Retention::sweep with the default options at the
//   vaults' fixed clock: each due subject's account crypto-shredded (its
//   case, schedule rows and request settled with it), a deletion receipt,
//   a ledger entry and an audit entry each, in transactions of
//   SweepOptions::subjects_per_commit subjects. Manual time: the sweep call
//   only. erasures_per_s over all timed sweeps; max_s the slowest sweep.
// - BM_Sweep_baseline_plain_delete/subjects:N: the same setup, then on a
//   second connection to the same store (same cipher settings and pragmas,
//   secure_delete included), the subject's account row, its case row and its
//   schedule rows DELETEd by primary key from a list of ids known in
//   advance, with the same number of subjects per transaction. No receipt,
//   ledger, audit, request bookkeeping or tombstone.
//
// cpu_s: the calling thread's CPU time per sweep (the machine may be busy;
// the difference from the wall time is mostly fsync in WAL checkpoints).
// pages_read_per_subject / pages_written_per_subject: the connection's page
// cache misses (each page read is decrypted and its HMAC checked) and pages
// written (each encrypted), per erased subject.
//
// Memory: the peak resident set during the sweep, read from /proc/self/status
// (VmHWM, reset through /proc/self/clear_refs just before the call; where
// that is refused, getrusage's ru_maxrss, which can only show a new peak).
// peak_rss_MB is the process's peak during the sweep, with one store open
// (its connection keeps a page cache of up to 32 MiB; the baseline's second
// connection has one of its own, which fills during the first baseline
// run); sweep_rss_growth_MB is that peak minus the resident set just before
// the call: what the sweep itself needed. Both are the worst iteration's.
//
// The fixture cache: $CASEVAULT_BENCH_CACHE, or /tmp/casevault-bench-cache.
// Files are named by store size, schema version, recipe version and a hash
// of the policy, written under a temporary name and renamed when complete, so
// a killed build is never reused. Each run copies the cached file into its
// own temporary directory and syncs it (about 0.4 s for 1M, 7.5 s for 10M)
// and works on the copy; one size at a time. The whole set of four
// benchmarks takes about 75 s with the fixtures cached, 2.5 min without.
#include <sys/resource.h>

#include <cstring>
#include <fstream>
#include <iostream>

#include "bench_common.hpp"
#include "vault/vault_core.hpp"

namespace cv = casevault;

namespace {

constexpr std::int64_t kDay = 86400;
// The vaults' clock, fixed so that a cached fixture means the same thing
// whenever it is used: 2026-01-01T00:00:00Z.
constexpr std::int64_t kT0 = 1767225600;
constexpr std::size_t kDue = 10000;
constexpr std::size_t kCreateBatch = 1000;
constexpr int kRecipe = 1;  // bump when the fixture's contents change

using Clock = std::chrono::steady_clock;

const std::string& policy_text() {
    static const std::string text = bench::read_text(std::string(CV_EXAMPLES_DIR) + "/policies/case-parallels.json");
    return text;
}

cv::OpenOptions options(const std::vector<std::uint8_t>& key, bool create) {
    return bench::fixed_clock_options(key, create, kT0);
}

// ---- memory -------------------------------------------------------------------

// A field of /proc/self/status in MiB ("VmRSS", "VmHWM"), or -1.
double proc_status_mib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(field);
    while (std::getline(in, line)) {
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') {
            return std::atof(line.c_str() + n + 1) / 1024.0;  // kB
        }
    }
    return -1;
}

// Starts a new peak: VmHWM goes back to the current resident set.
bool reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    if (!out) return false;
    out << "5";
    out.flush();
    return static_cast<bool>(out);
}

double maxrss_mib() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // kB on Linux
}

// Pages a connection read into its cache (misses: read and decrypted) and
// wrote (encrypted) since the last call.
struct PageCounts {
    std::int64_t read = 0, written = 0;
};
PageCounts take_page_counts(sqlite3* db) {
    int cur = 0, hi = 0;
    PageCounts c;
    sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 1);
    c.read = cur;
    sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 1);
    c.written = cur;
    return c;
}

struct PeakProbe {
    bool reset = false;
    double rss_before = 0, maxrss_before = 0;
    void start() {
        reset = reset_peak_rss();
        rss_before = proc_status_mib("VmRSS");
        maxrss_before = maxrss_mib();
    }
    // (peak during the call, growth over the resident set before it)
    std::pair<double, double> stop() const {
        if (reset) {
            const double hwm = proc_status_mib("VmHWM");
            return {hwm, hwm - rss_before};
        }
        const double after = maxrss_mib();
        return {after, std::max(0.0, after - maxrss_before)};
    }
};

// ---- the cached background --------------------------------------------------------

std::string base_name(std::size_t subjects) {
    const std::size_t h = std::hash<std::string>{}(policy_text());
    char tag[17];
    std::snprintf(tag, sizeof tag, "%016zx", h);
    return "sweep-" + std::to_string(subjects) + "-s" + std::to_string(cv::store::latest_schema_version()) + "-r" +
           std::to_string(kRecipe) + "-" + tag;
}

void bind_blob(sqlite3_stmt* st, int i, const std::uint8_t* p, int n) { sqlite3_bind_blob(st, i, p, n, SQLITE_STATIC); }

void step_done(sqlite3* db, sqlite3_stmt* st, const char* what) {
    if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
    sqlite3_reset(st);
}

// A store with the policy and `background` minimal subjects (see the top of
// the file), written at `path`.
void build_background(const std::string& path, const std::vector<std::uint8_t>& key, std::size_t background) {
    {
        // Published before the bulk rows: publishing retention rules
        // reschedules every account, which is not what this fixture measures.
        cv::Vault v = cv::Vault::open(path, options(key, true));
        v.policy().publish(policy_text());
    }
    auto conn = bench::raw_connection(path, key);
    sqlite3* db = conn->db().handle();
    // A private file under construction: no journal, no syncs. It is only
    // used once complete (renamed into place).
    bench::exec(db, "PRAGMA journal_mode = OFF");
    bench::exec(db, "PRAGMA synchronous = OFF");
    bench::exec(db, "PRAGMA cache_size = -262144");
    sqlite3_stmt* acc = nullptr;
    sqlite3_stmt* due = nullptr;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO accounts(id, status, created_at, updated_at, key_version, email_bidx,"
                           " phone_bidx) VALUES (?1, 0, ?2, ?2, 1, ?3, ?4)",
                           -1, &acc, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO retention_due(subject, trigger, since, done_after, due_at)"
                           " VALUES (?1, 1, ?2, -1, ?3)",
                           -1, &due, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("preparing the fixture inserts: ") + sqlite3_errmsg(db));
    }
    std::mt19937_64 rng(background);
    // Sign-ups spread over the 60 days before the clock, in id order (ids
    // are time-ordered). Inactive 30 days after sign-up, deleted 60 days
    // later: due 30..90 days after kT0.
    const std::uint64_t first_ms = static_cast<std::uint64_t>(kT0 - 60 * kDay) * 1000;
    const std::uint64_t step_ms = static_cast<std::uint64_t>(60 * kDay) * 1000 / background;
    constexpr std::size_t kTx = 250000;
    bench::exec(db, "BEGIN");
    for (std::size_t i = 0; i < background; ++i) {
        if (i > 0 && i % kTx == 0) {
            bench::exec(db, "COMMIT");
            bench::exec(db, "BEGIN");
        }
        const std::uint64_t ms = first_ms + i * step_ms;
        const std::string id = bench::time_ordered_id("acc_", ms, rng);
        const std::int64_t created = static_cast<std::int64_t>(ms / 1000);
        // Digests evenly spread over their space and ascending with i (an
        // append-only build); random low halves.
        const std::uint64_t prefix = (UINT64_MAX / background) * i;
        std::uint8_t email[16], phone[16];
        const std::uint64_t re = rng(), rp = rng();
        for (int b = 0; b < 8; ++b) {
            email[b] = phone[b] = static_cast<std::uint8_t>(prefix >> (8 * (7 - b)));
            email[8 + b] = static_cast<std::uint8_t>(re >> (8 * b));
            phone[8 + b] = static_cast<std::uint8_t>(rp >> (8 * b));
        }
        sqlite3_bind_text(acc, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        sqlite3_bind_int64(acc, 2, created);
        bind_blob(acc, 3, email, 16);
        bind_blob(acc, 4, phone, 16);
        step_done(db, acc, "inserting a fixture account");
        const std::int64_t since = created + 30 * kDay;
        sqlite3_bind_text(due, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        sqlite3_bind_int64(due, 2, since);
        sqlite3_bind_int64(due, 3, since + 60 * kDay);
        step_done(db, due, "inserting a fixture schedule row");
    }
    bench::exec(db, "COMMIT");
    sqlite3_finalize(acc);
    sqlite3_finalize(due);
    bench::exec(db, "PRAGMA journal_mode = WAL");
    bench::exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    conn.reset();
    // Only the database file is cached.
    for (const char* ext : {"-wal", "-shm"}) std::filesystem::remove(path + ext);
}

// The cached background for a store of `subjects` (building it if needed):
// (file, key).
std::pair<std::string, std::vector<std::uint8_t>> cached_background(std::size_t subjects) {
    return bench::cached_store(base_name(subjects), "bench_retention",
                               std::to_string(subjects) + "-subject sweep fixture",
                               [subjects](const std::string& path, const std::vector<std::uint8_t>& key) {
                                   build_background(path, key, subjects - kDue);
                               });
}

// ---- the fixture of one run -----------------------------------------------------------

struct Due {
    std::string subject, case_id;
};

struct SweepFixture {
    std::size_t subjects;
    bench::TempDir dir;
    std::string path = dir.file("sweep.cvault");
    std::vector<std::uint8_t> key;
    std::optional<cv::Vault> vault;
    std::unique_ptr<cv::store::SqlcipherStore> plain;  // the baseline's connection
    std::uint64_t serial = 0;                          // synthetic people made so far

    explicit SweepFixture(std::size_t n) : subjects(n) {
        auto [file, k] = cached_background(n);
        key = k;
        const auto t0 = Clock::now();
        bench::copy_synced(file, path);
        std::fprintf(stderr, "bench_retention: copied the %zu-subject fixture in %.1f s\n", n,
                     bench::seconds_since(t0));
        vault.emplace(cv::Vault::open(path, options(key, false)));
    }
    ~SweepFixture() {
        plain.reset();
        vault.reset();
    }

    sqlite3* plain_db() {
        if (!plain) plain = bench::raw_connection(path, key);
        return plain->db().handle();
    }

    // kDue new subjects, each with a case, each asking for deletion: due now.
    std::vector<Due> make_due() {
        std::vector<Due> out;
        out.reserve(kDue);
        cv::Accounts accounts = vault->accounts();
        for (std::size_t i = 0; i < kDue; i += kCreateBatch) {
            for (const cv::Account& a : accounts.create_many(bench::synthetic_batch(serial, kCreateBatch, "sweep"))) {
                out.push_back({a.id, ""});
            }
            serial += kCreateBatch;
        }
        cv::VaultCore* core = vault->core();
        const std::uint64_t first = serial - kDue;
        core->run([&](cv::accounts::Context& ctx) {
            for (std::size_t i = 0; i < out.size(); ++i) {
                cv::CaseFields f;
                f.receipt_number = "EAC" + std::to_string(2190000000ULL + first + i);
                f.form_type = "I-485";
                f.questionnaire = R"({"a_number":"A)" + bench::pad(first + i, 9) +
                                  R"(","country_of_birth":"Synthetic","entries":3,"employer":"Synthetic Employer LLC"})";
                out[i].case_id = core->cases().open(ctx, out[i].subject, out[i].subject, f).id;
            }
        });
        core->run([&](cv::accounts::Context& ctx) {
            for (const Due& d : out) core->retention().request(ctx, d.subject, cv::RequestKind::erase, cv::Channel::web);
        });
        return out;
    }

    std::int64_t count_due() {
        cv::VaultCore* core = vault->core();
        return core->read([&](cv::accounts::Context&) { return core->retention().count_due(kT0); });
    }
};

// One store at a time: switching sizes closes the other one and removes its
// copy first, so memory and disk hold one fixture (and peak_rss_MB is that
// store's). main() releases the last one.
SweepFixture& fixture(std::int64_t subjects) {
    static std::unique_ptr<SweepFixture> current;
    static const bool registered = [] {
        bench::cleanups().push_back([] { current.reset(); });
        return true;
    }();
    (void)registered;
    if (!current || current->subjects != static_cast<std::size_t>(subjects)) {
        current.reset();
        current = std::make_unique<SweepFixture>(static_cast<std::size_t>(subjects));
    }
    return *current;
}

void report(benchmark::State& state, std::size_t subjects, const std::vector<double>& seconds,
            const std::vector<double>& cpu, double peak, double growth, const PageCounts& pages) {
    double total = 0, slowest = 0, total_cpu = 0;
    for (double s : cpu) total_cpu += s;
    for (double s : seconds) {
        total += s;
        slowest = std::max(slowest, s);
    }
    state.counters["subjects"] = static_cast<double>(subjects);
    state.counters["due"] = static_cast<double>(kDue);
    state.counters["erasures_per_s"] = total > 0 ? static_cast<double>(seconds.size() * kDue) / total : 0;
    state.counters["max_s"] = slowest;
    state.counters["cpu_s"] = cpu.empty() ? 0 : total_cpu / static_cast<double>(cpu.size());
    state.counters["peak_rss_MB"] = peak;
    state.counters["sweep_rss_growth_MB"] = growth;
    const double erased = static_cast<double>(seconds.size() * kDue);
    if (erased > 0) {
        state.counters["pages_read_per_subject"] = static_cast<double>(pages.read) / erased;
        state.counters["pages_written_per_subject"] = static_cast<double>(pages.written) / erased;
    }
}

// ---- the sweep ---------------------------------------------------------------------------

void BM_Sweep(benchmark::State& state) {
    const auto subjects = static_cast<std::size_t>(state.range(0));
    SweepFixture& f = fixture(state.range(0));
    cv::Retention retention = f.vault->retention();
    cv::SweepOptions opts;
    opts.now = kT0;
    sqlite3* db = f.vault->core()->store().db().handle();
    std::vector<double> seconds, cpu;
    double peak = 0, growth = 0;
    PageCounts pages;
    for (auto _ : state) {
        const auto due = f.make_due();
        if (f.count_due() != static_cast<std::int64_t>(kDue)) {
            state.SkipWithError("the due set is not what was made");
            break;
        }
        PeakProbe probe;
        probe.start();
        take_page_counts(db);
        const double c0 = bench::thread_cpu_seconds();
        const auto t0 = Clock::now();
        const cv::SweepReport rep = retention.sweep(opts);
        const double t = bench::seconds_since(t0);
        cpu.push_back(bench::thread_cpu_seconds() - c0);
        const PageCounts pc = take_page_counts(db);
        pages.read += pc.read;
        pages.written += pc.written;
        const auto [p, g] = probe.stop();
        state.SetIterationTime(t);
        seconds.push_back(t);
        peak = std::max(peak, p);
        growth = std::max(growth, g);
        if (rep.subjects != static_cast<std::int64_t>(kDue) || f.count_due() != 0) {
            state.SkipWithError("the sweep did not erase every due subject");
            break;
        }
    }
    report(state, subjects, seconds, cpu, peak, growth, pages);
}

void BM_Sweep_baseline_plain_delete(benchmark::State& state) {
    const auto subjects = static_cast<std::size_t>(state.range(0));
    SweepFixture& f = fixture(state.range(0));
    sqlite3* db = f.plain_db();
    sqlite3_stmt* del_case = nullptr;
    sqlite3_stmt* del_account = nullptr;
    sqlite3_stmt* del_due = nullptr;
    if (sqlite3_prepare_v2(db, "DELETE FROM cases WHERE id = ?1", -1, &del_case, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "DELETE FROM accounts WHERE id = ?1", -1, &del_account, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "DELETE FROM retention_due WHERE subject = ?1", -1, &del_due, nullptr) != SQLITE_OK) {
        state.SkipWithError(sqlite3_errmsg(db));
        return;
    }
    // As many subjects per transaction as the sweep commits together.
    const std::size_t group = cv::SweepOptions{}.subjects_per_commit;
    std::vector<double> seconds, cpu;
    double peak = 0, growth = 0;
    auto text = [](sqlite3_stmt* st, const std::string& s) {
        sqlite3_bind_text(st, 1, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    };
    PageCounts pages;
    for (auto _ : state) {
        const auto due = f.make_due();
        PeakProbe probe;
        probe.start();
        take_page_counts(db);
        const double c0 = bench::thread_cpu_seconds();
        const auto t0 = Clock::now();
        bool ok = true;
        for (std::size_t i = 0; i < due.size() && ok; i += group) {
            bench::exec(db, "BEGIN IMMEDIATE");
            for (std::size_t k = i; k < std::min(due.size(), i + group); ++k) {
                text(del_case, due[k].case_id);
                text(del_account, due[k].subject);
                text(del_due, due[k].subject);
                for (sqlite3_stmt* st : {del_case, del_account, del_due}) {
                    ok = ok && sqlite3_step(st) == SQLITE_DONE;
                    sqlite3_reset(st);
                }
            }
            bench::exec(db, ok ? "COMMIT" : "ROLLBACK");
        }
        const double t = bench::seconds_since(t0);
        cpu.push_back(bench::thread_cpu_seconds() - c0);
        const PageCounts pc = take_page_counts(db);
        pages.read += pc.read;
        pages.written += pc.written;
        const auto [p, g] = probe.stop();
        state.SetIterationTime(t);
        seconds.push_back(t);
        peak = std::max(peak, p);
        growth = std::max(growth, g);
        if (!ok || f.count_due() != 0) {
            state.SkipWithError(ok ? "due rows are left" : sqlite3_errmsg(db));
            break;
        }
    }
    for (sqlite3_stmt* st : {del_case, del_account, del_due}) sqlite3_finalize(st);
    report(state, subjects, seconds, cpu, peak, growth, pages);
}

}  // namespace

// Registered size by size (each size's sweep, then its baseline) so that one
// fixture is open at a time.
BENCHMARK(BM_Sweep)->ArgName("subjects")->Arg(1000000)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);
BENCHMARK(BM_Sweep_baseline_plain_delete)
    ->ArgName("subjects")
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(3);
BENCHMARK(BM_Sweep)->ArgName("subjects")->Arg(10000000)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);
BENCHMARK(BM_Sweep_baseline_plain_delete)
    ->ArgName("subjects")
    ->Arg(10000000)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(3);

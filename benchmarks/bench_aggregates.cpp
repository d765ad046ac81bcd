// The de-identified aggregates: casevault beside a plain GROUP BY.
//
// The target: the cases aggregate over a store of 1,000,000 cases
// in <= 1 s on the 2-core CI machine.
//
// Fixture: a store (the Case Parallels example policy, k = 5) holding
// 1,000,000 cases written with raw SQL on the store, in big transactions,
// once, and cached under /tmp between runs (like bench_retention.cpp). Each
// case is a full-size row as the engine writes one: a time-ordered id, a
// subject id, a form type out of 12 (skewed: a few common, some rare), a
// status out of 9 or none (skewed too), a sealed-size questionnaire blob (200
// random bytes), the status time and the creation time, spread evenly over
// the 36 months before the clock (2023-01 .. 2025-12). That makes about 4,000
// cells, some of them small: suppression has work to do. No accounts: the
// aggregate never joins.
//
// - BM_AggregatesCases: Aggregates::cases() with default options (one read
//   snapshot, the covering-index scan, month bucketing, margins, the
//   suppression fixed point, and its audit entry). Manual time: the call.
// - BM_AggregatesCases_baseline_plain_group_by: on a second connection to
//   the same store (same cipher settings and pragmas), the plain
//     SELECT form_type, status, strftime('%Y-%m', created_at, 'unixepoch'),
//            count(*) FROM cases GROUP BY 1, 2, 3
//   stepped to the end: the same counts, with no margins, no suppression, no
//   audit.
// - BM_AggregatesAll: Aggregates::all() on the same store (cases, the empty
//   accounts table and no billing): what the CLI's `report aggregates` costs.
//
// cpu_s is the calling thread's CPU time per call (other work on the machine
// inflates the wall time, not this). The cache: $CASEVAULT_BENCH_CACHE or
// /tmp/casevault-bench-cache; the file is named by size, schema version and
// recipe, written under a temporary name and renamed when complete. Each run
// works on a synced copy in its own temporary directory (the vault appends
// audit entries).
#include <cstring>

#include "bench_common.hpp"
#include "vault/vault_core.hpp"

namespace cv = casevault;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kT0 = 1767225600;  // 2026-01-01T00:00:00Z, the vaults' clock
constexpr std::size_t kCases = 1000000;
constexpr int kRecipe = 1;  // bump when the fixture's contents change

using Clock = std::chrono::steady_clock;

cv::OpenOptions options(const std::vector<std::uint8_t>& key, bool create) {
    return bench::fixed_clock_options(key, create, kT0);
}

// Skewed picks: index i with weight weights[i].
std::size_t pick(std::mt19937_64& rng, const std::vector<unsigned>& weights, unsigned total) {
    unsigned r = static_cast<unsigned>(rng() % total);
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (r < weights[i]) return i;
        r -= weights[i];
    }
    return weights.size() - 1;
}

void build(const std::string& path, const std::vector<std::uint8_t>& key) {
    {
        cv::Vault v = cv::Vault::open(path, options(key, true));
        v.policy().publish(bench::read_text(std::string(CV_EXAMPLES_DIR) + "/policies/case-parallels.json"));
    }
    auto conn = bench::raw_connection(path, key);
    sqlite3* db = conn->db().handle();
    bench::exec(db, "PRAGMA journal_mode = OFF");  // a private file under construction
    bench::exec(db, "PRAGMA synchronous = OFF");
    bench::exec(db, "PRAGMA cache_size = -262144");
    sqlite3_stmt* ins = nullptr;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO cases(id, subject, form_type, questionnaire, status, status_at, created_at,"
                           " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                           -1, &ins, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string("preparing the fixture insert: ") + sqlite3_errmsg(db));
    }
    static const std::vector<std::string> forms{"I-485", "I-130", "I-765", "I-131", "N-400", "I-129F",
                                                "I-140", "I-90",  "I-751", "DS-160", "I-539", "I-821D"};
    static const std::vector<unsigned> form_w{300, 250, 150, 100, 80, 40, 30, 20, 15, 10, 4, 1};
    static const std::vector<std::string> statuses{"",         "received",    "biometrics", "rfe_sent", "rfe_received",
                                                   "approved", "card_produced", "denied",   "transferred", "withdrawn"};
    static const std::vector<unsigned> status_w{100, 300, 150, 80, 60, 200, 70, 30, 9, 1};
    const unsigned form_total = 1000, status_total = 1000;
    std::mt19937_64 rng(kCases);
    // 36 months before the clock, in id (creation) order.
    const std::int64_t first = kT0 - 1096 * kDay;
    const double step = static_cast<double>(1096 * kDay) / static_cast<double>(kCases);
    std::uint8_t blob[200];
    bench::exec(db, "BEGIN");
    for (std::size_t i = 0; i < kCases; ++i) {
        if (i > 0 && i % 250000 == 0) {
            bench::exec(db, "COMMIT");
            bench::exec(db, "BEGIN");
        }
        const std::int64_t created = first + static_cast<std::int64_t>(static_cast<double>(i) * step);
        const std::uint64_t ms = static_cast<std::uint64_t>(created) * 1000 + i % 1000;
        const std::string id = bench::time_ordered_id("cas_", ms, rng);
        const std::uint64_t s = rng();
        std::uint8_t sub[12];
        for (int b = 0; b < 8; ++b) sub[b] = static_cast<std::uint8_t>(s >> (8 * b));
        for (int b = 8; b < 12; ++b) sub[b] = static_cast<std::uint8_t>(rng());
        const std::string subject = "acc_" + bench::hex(sub, sizeof sub);
        for (std::size_t b = 0; b < sizeof blob; b += 8) {
            const std::uint64_t x = rng();
            std::memcpy(blob + b, &x, std::min<std::size_t>(8, sizeof blob - b));
        }
        const std::string& form = forms[pick(rng, form_w, form_total)];
        const std::string& status = statuses[pick(rng, status_w, status_total)];
        sqlite3_bind_text(ins, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, subject.data(), static_cast<int>(subject.size()), SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, form.data(), static_cast<int>(form.size()), SQLITE_STATIC);
        sqlite3_bind_blob(ins, 4, blob, sizeof blob, SQLITE_STATIC);
        if (status.empty()) {
            sqlite3_bind_null(ins, 5);
            sqlite3_bind_null(ins, 6);
        } else {
            sqlite3_bind_text(ins, 5, status.data(), static_cast<int>(status.size()), SQLITE_STATIC);
            sqlite3_bind_int64(ins, 6, created + 7 * kDay);
        }
        sqlite3_bind_int64(ins, 7, created);
        if (sqlite3_step(ins) != SQLITE_DONE) throw std::runtime_error(std::string("fixture insert: ") + sqlite3_errmsg(db));
        sqlite3_reset(ins);
    }
    bench::exec(db, "COMMIT");
    sqlite3_finalize(ins);
    bench::exec(db, "PRAGMA journal_mode = WAL");
    bench::exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    conn.reset();
    for (const char* ext : {"-wal", "-shm"}) std::filesystem::remove(path + ext);
}

std::pair<std::string, std::vector<std::uint8_t>> cached_store() {
    const std::string name = "aggregates-" + std::to_string(kCases) + "-s" +
                             std::to_string(cv::store::latest_schema_version()) + "-r" + std::to_string(kRecipe);
    return bench::cached_store(name, "bench_aggregates", std::to_string(kCases) + "-case fixture", build);
}

struct AggregatesFixture {
    bench::TempDir dir;
    std::string path = dir.file("aggregates.cvault");
    std::vector<std::uint8_t> key;
    std::optional<cv::Vault> vault;
    std::unique_ptr<cv::store::SqlcipherStore> plain;

    AggregatesFixture() {
        auto [file, k] = cached_store();
        key = k;
        bench::copy_synced(file, path);
        vault.emplace(cv::Vault::open(path, options(key, false)));
    }
    ~AggregatesFixture() {
        plain.reset();
        vault.reset();
    }
    sqlite3* plain_db() {
        if (!plain) plain = bench::raw_connection(path, key);
        return plain->db().handle();
    }
};

void report(benchmark::State& state, const std::vector<double>& seconds, const std::vector<double>& cpu) {
    double total = 0, total_cpu = 0, slowest = 0;
    for (double s : seconds) {
        total += s;
        slowest = std::max(slowest, s);
    }
    for (double c : cpu) total_cpu += c;
    const double n = static_cast<double>(std::max<std::size_t>(1, seconds.size()));
    state.counters["cases"] = static_cast<double>(kCases);
    state.counters["mean_s"] = total / n;
    state.counters["max_s"] = slowest;
    state.counters["cpu_s"] = total_cpu / n;
}

void BM_AggregatesCases(benchmark::State& state) {
    AggregatesFixture& f = bench::shared_fixture<AggregatesFixture>();
    cv::Aggregates agg = f.vault->aggregates();
    std::vector<double> seconds, cpu;
    cv::AggregateTable t;
    for (auto _ : state) {
        const double c0 = bench::thread_cpu_seconds();
        const auto t0 = Clock::now();
        t = agg.cases();
        const double s = bench::seconds_since(t0);
        cpu.push_back(bench::thread_cpu_seconds() - c0);
        seconds.push_back(s);
        state.SetIterationTime(s);
        if (!t.total.count || *t.total.count != static_cast<std::int64_t>(kCases)) {
            state.SkipWithError("the total is not the number of cases");
            break;
        }
    }
    report(state, seconds, cpu);
    state.counters["cells"] = static_cast<double>(t.cells.size());
    state.counters["suppressed"] = static_cast<double>(t.suppressed_primary + t.suppressed_complementary);
}

void BM_AggregatesCases_baseline_plain_group_by(benchmark::State& state) {
    AggregatesFixture& f = bench::shared_fixture<AggregatesFixture>();
    sqlite3* db = f.plain_db();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT form_type, status, strftime('%Y-%m', created_at, 'unixepoch'), count(*)"
                           " FROM cases GROUP BY 1, 2, 3",
                           -1, &st, nullptr) != SQLITE_OK) {
        state.SkipWithError(sqlite3_errmsg(db));
        return;
    }
    std::vector<double> seconds, cpu;
    std::int64_t groups = 0;
    for (auto _ : state) {
        const double c0 = bench::thread_cpu_seconds();
        const auto t0 = Clock::now();
        bench::exec(db, "BEGIN");
        std::int64_t n = 0, rows = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            ++n;
            rows += sqlite3_column_int64(st, 3);
        }
        sqlite3_reset(st);
        bench::exec(db, "COMMIT");
        const double s = bench::seconds_since(t0);
        cpu.push_back(bench::thread_cpu_seconds() - c0);
        seconds.push_back(s);
        state.SetIterationTime(s);
        groups = n;
        if (rc != SQLITE_DONE || rows != static_cast<std::int64_t>(kCases)) {
            state.SkipWithError(rc != SQLITE_DONE ? sqlite3_errmsg(db) : "the counts do not add up");
            break;
        }
    }
    sqlite3_finalize(st);
    report(state, seconds, cpu);
    state.counters["cells"] = static_cast<double>(groups);
}

void BM_AggregatesAll(benchmark::State& state) {
    AggregatesFixture& f = bench::shared_fixture<AggregatesFixture>();
    cv::Aggregates agg = f.vault->aggregates();
    std::vector<double> seconds, cpu;
    for (auto _ : state) {
        const double c0 = bench::thread_cpu_seconds();
        const auto t0 = Clock::now();
        const auto tables = agg.all();
        const double s = bench::seconds_since(t0);
        cpu.push_back(bench::thread_cpu_seconds() - c0);
        seconds.push_back(s);
        state.SetIterationTime(s);
        benchmark::DoNotOptimize(tables.data());
    }
    report(state, seconds, cpu);
}

}  // namespace

BENCHMARK(BM_AggregatesCases)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(5);
BENCHMARK(BM_AggregatesCases_baseline_plain_group_by)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(5);
BENCHMARK(BM_AggregatesAll)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);

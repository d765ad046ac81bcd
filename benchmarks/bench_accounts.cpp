// Account creation and lookup: casevault beside plain SQLCipher.
#include <memory>

#include "bench_common.hpp"

namespace cv = casevault;

namespace {

constexpr std::size_t kBatch = 1000;        // accounts per transaction
constexpr std::size_t kFindAccounts = 10000;

// ---- create ---------------------------------------------------------------------

void BM_AccountCreate_casevault(benchmark::State& state) {
    bench::TempDir dir;
    cv::Vault vault = cv::Vault::open(dir.file("create.cvault"), bench::raw_key_options(bench::random_bytes(32), true));
    cv::Accounts accounts = vault.accounts();
    // Fresh, unique people for every iteration, built before the clock starts.
    std::vector<std::vector<cv::AccountFields>> batches;
    for (benchmark::IterationCount i = 0; i < state.max_iterations; ++i) {
        batches.push_back(bench::synthetic_batch(static_cast<std::uint64_t>(i) * kBatch, kBatch, "create"));
    }
    std::size_t next = 0;
    for (auto _ : state) {
        std::vector<cv::Account> created = accounts.create_many(batches[next++]);
        benchmark::DoNotOptimize(created.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(kBatch));
    vault.close();
}
BENCHMARK(BM_AccountCreate_casevault)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(50);

void BM_AccountCreate_baseline_plain_sqlcipher(benchmark::State& state) {
    bench::TempDir dir;
    const bench::PlainKey key;
    sqlite3* db = bench::open_plain(dir.file("create-plain.db"), key);
    bench::create_plain_schema(db);
    std::mt19937_64 rng(7);
    std::vector<std::vector<bench::PlainRow>> batches;
    for (benchmark::IterationCount i = 0; i < state.max_iterations; ++i) {
        batches.push_back(bench::plain_batch(static_cast<std::uint64_t>(i) * kBatch, kBatch, "create", rng));
    }
    {
        bench::PlainInserter ins(db);
        std::size_t next = 0;
        for (auto _ : state) ins.insert_batch(batches[next++]);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(kBatch));
    sqlite3_close(db);
}
BENCHMARK(BM_AccountCreate_baseline_plain_sqlcipher)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(50);

// ---- find by email --------------------------------------------------------------

std::vector<std::string> find_emails() {
    std::vector<std::string> emails;
    for (std::size_t i = 0; i < kFindAccounts; ++i) emails.push_back(*bench::synthetic_account(i, "find").email);
    return emails;
}

// One store of 10,000 accounts, built on first use and kept for every run.
// BatchReads: OpenOptions::batch_read_audit (the default, true, queues the
// audit entries of reads and writes them with the next write).
template <bool BatchReads>
struct VaultFindFixture {
    bench::TempDir dir;
    std::optional<cv::Vault> vault;
    std::vector<std::string> emails = find_emails();
    VaultFindFixture() {
        cv::OpenOptions o = bench::raw_key_options(bench::random_bytes(32), true);
        o.batch_read_audit = BatchReads;
        vault.emplace(cv::Vault::open(dir.file("find.cvault"), o));
        cv::Accounts accounts = vault->accounts();
        for (std::size_t i = 0; i < kFindAccounts; i += kBatch) accounts.create_many(bench::synthetic_batch(i, kBatch, "find"));
    }
    ~VaultFindFixture() { vault.reset(); }  // close before the directory goes
};

struct PlainFindFixture {
    bench::TempDir dir;
    bench::PlainKey key;
    sqlite3* db = nullptr;
    std::vector<std::string> emails = find_emails();
    PlainFindFixture() {
        db = bench::open_plain(dir.file("find-plain.db"), key);
        bench::create_plain_schema(db);  // email UNIQUE: SELECT by email goes through its index
        std::mt19937_64 rng(11);
        bench::PlainInserter ins(db);
        for (std::size_t i = 0; i < kFindAccounts; i += kBatch) ins.insert_batch(bench::plain_batch(i, kBatch, "find", rng));
    }
    ~PlainFindFixture() { sqlite3_close(db); }
};

using Clock = std::chrono::steady_clock;

double us_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

template <bool BatchReads>
void find_by_email(benchmark::State& state) {
    auto& f = bench::shared_fixture<VaultFindFixture<BatchReads>>();
    cv::Accounts accounts = f.vault->accounts();
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, f.emails.size() - 1);
    std::vector<double> latencies;
    for (auto _ : state) {
        const std::string& email = f.emails[pick(rng)];
        const auto t0 = Clock::now();
        std::optional<cv::Account> a = accounts.find_by_email(email);
        latencies.push_back(us_since(t0));
        if (!a) {
            state.SkipWithError("an existing email was not found");
            break;
        }
        benchmark::DoNotOptimize(a->fields.name.data());
    }
    bench::report_percentiles(state, latencies);
}

// The default: each lookup's audit entry is queued and written in batches.
void BM_FindByEmail(benchmark::State& state) { find_by_email<true>(state); }
// batch_read_audit = false: each lookup writes its audit entry (a write transaction).
void BM_FindByEmail_audit_each_read(benchmark::State& state) { find_by_email<false>(state); }

// A plain account row, read column by column like casevault builds an Account.
struct PlainAccount {
    std::string id, name, email, phone, address, company;
    int status = 0;
    std::int64_t created_at = 0, updated_at = 0;
};

std::string column_text(sqlite3_stmt* st, int i) {
    const unsigned char* p = sqlite3_column_text(st, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st, i)))
             : std::string();
}

void BM_FindByEmail_baseline_plain_sqlcipher(benchmark::State& state) {
    PlainFindFixture& f = bench::shared_fixture<PlainFindFixture>();
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(f.db,
                       "SELECT id, name, email, phone, address, company, status, created_at, updated_at"
                       " FROM accounts WHERE email = ?1",
                       -1, &st, nullptr);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, f.emails.size() - 1);
    std::vector<double> latencies;
    for (auto _ : state) {
        const std::string& email = f.emails[pick(rng)];
        const auto t0 = Clock::now();
        sqlite3_bind_text(st, 1, email.data(), static_cast<int>(email.size()), SQLITE_STATIC);
        std::optional<PlainAccount> a;
        if (sqlite3_step(st) == SQLITE_ROW) {
            a = PlainAccount{column_text(st, 0), column_text(st, 1), column_text(st, 2),
                             column_text(st, 3), column_text(st, 4), column_text(st, 5),
                             sqlite3_column_int(st, 6), sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8)};
        }
        sqlite3_reset(st);
        latencies.push_back(us_since(t0));
        if (!a) {
            state.SkipWithError("an existing email was not found");
            break;
        }
        benchmark::DoNotOptimize(a->name.data());
    }
    sqlite3_finalize(st);
    bench::report_percentiles(state, latencies);
}

// Three repetitions of >= 0.3 s; the median row (and the per-lookup p50_us /
// p99_us counters) are the figures to read.
BENCHMARK(BM_FindByEmail)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_FindByEmail_audit_each_read)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_FindByEmail_baseline_plain_sqlcipher)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(0.3)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

}  // namespace

// Opening a store: casevault with a raw key beside plain SQLCipher, and
// casevault with a passphrase (Argon2id).
#include "bench_common.hpp"

namespace cv = casevault;

namespace {

constexpr std::size_t kAccounts = 1000;  // an existing store, not an empty one

void BM_OpenRawKey(benchmark::State& state) {
    bench::TempDir dir;
    const std::string path = dir.file("open.cvault");
    const cv::OpenOptions create = bench::raw_key_options(bench::random_bytes(32), true);
    {
        cv::Vault v = cv::Vault::open(path, create);
        v.accounts().create_many(bench::synthetic_batch(0, kAccounts, "open"));
    }
    const cv::OpenOptions opts = bench::raw_key_options(*create.key, false);
    for (auto _ : state) {
        cv::Vault v = cv::Vault::open(path, opts);
        v.close();
    }
}
BENCHMARK(BM_OpenRawKey)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// sqlite3_open + key + cipher settings + first query + pragmas + close.
void BM_Open_baseline_plain_sqlcipher(benchmark::State& state) {
    bench::TempDir dir;
    const std::string path = dir.file("open-plain.db");
    const bench::PlainKey key;
    {
        sqlite3* db = bench::open_plain(path, key);
        bench::create_plain_schema(db);
        std::mt19937_64 rng(3);
        {
            bench::PlainInserter ins(db);
            ins.insert_batch(bench::plain_batch(0, kAccounts, "open", rng));
        }
        sqlite3_close(db);
    }
    for (auto _ : state) {
        sqlite3* db = bench::open_plain(path, key);
        sqlite3_close(db);
    }
}
BENCHMARK(BM_Open_baseline_plain_sqlcipher)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);

// The KDF cost is stored in the file header, so the store is created with it.
void BM_OpenPassphrase(benchmark::State& state, cv::KdfParams kdf) {
    bench::TempDir dir;
    const std::string path = dir.file("open-pass.cvault");
    cv::OpenOptions opts;
    opts.passphrase = "correct horse battery staple (benchmark)";
    opts.kdf = kdf;
    opts.actor = "bench";
    {
        cv::Vault v = cv::Vault::open(path, opts);
        v.accounts().create_many(bench::synthetic_batch(0, kAccounts, "open"));
    }
    opts.create_if_missing = false;
    for (auto _ : state) {
        cv::Vault v = cv::Vault::open(path, opts);
        v.close();
    }
    state.counters["opslimit"] = kdf.opslimit;
    state.counters["mem_MiB"] = static_cast<double>(1ULL << kdf.memlimit_log2) / (1024.0 * 1024.0);
}
BENCHMARK_CAPTURE(BM_OpenPassphrase, interactive, cv::KdfParams::interactive())
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(6);
BENCHMARK_CAPTURE(BM_OpenPassphrase, default, cv::KdfParams{})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(6);

}  // namespace

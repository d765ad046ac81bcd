// Shared helpers for the casevault benchmarks: temp dirs, synthetic people,
// raw keys, timing, the plain-SQLCipher baseline connection, and big fixture
// stores cached between runs.
#pragma once

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <benchmark/benchmark.h>
#include <casevault/casevault.hpp>

#include "crypto/keys.hpp"
#include "store/sqlcipher_store.hpp"
#include "vault/key_header.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace bench {

// A fresh directory under /tmp, removed with everything in it.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/casevault-bench-XXXXXX";
        if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Fixtures that outlive one benchmark call are released by main() after the run.
inline std::vector<std::function<void()>>& cleanups() {
    static std::vector<std::function<void()>> c;
    return c;
}

inline std::vector<std::uint8_t> random_bytes(std::size_t n) {
    std::random_device rd;
    std::vector<std::uint8_t> out(n);
    for (auto& b : out) b = static_cast<std::uint8_t>(rd());
    return out;
}

inline std::string hex(const std::uint8_t* p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 0x0f];
    }
    return s;
}

inline std::string pad(std::uint64_t n, int width) {
    std::string s = std::to_string(n);
    return std::string(s.size() < static_cast<std::size_t>(width) ? width - s.size() : 0, '0') + s;
}

// Synthetic person number n; email and phone are unique per (tag, n), for
// n < 10,000,000. Both are scrambled so that consecutive people do not sort
// next to each other: real sign-ups arrive in no particular order, and a
// plaintext index fed sorted values would flatter the baseline (blind indexes
// are random by construction). Phones are valid NANP numbers.
inline casevault::AccountFields synthetic_account(std::uint64_t n, const std::string& tag) {
    casevault::AccountFields f;
    const std::uint64_t m = (n * 7919) % 10000000;  // a bijection on [0, 10^7)
    f.name = "Bench Person " + tag + "-" + pad(n, 7);
    f.email = "u" + pad(m, 7) + ".bench-" + tag + "-" + pad(n, 7) + "@example.test";
    const std::uint64_t area = 200 + m / 8000000, exchange = 200 + (m / 10000) % 800, line = m % 10000;
    f.phone = "+1 " + std::to_string(area) + " " + std::to_string(exchange) + " " + pad(line, 4);
    f.address = std::to_string(1 + n % 9999) + " Benchmark Avenue, Suite " + std::to_string(n % 700) +
                ", Springfield, IL 62704";
    f.company = "Synthetic Employer " + pad(n % 997, 3) + " LLC";
    return f;
}

// A different tag per call keeps emails and phones unique within a store.
inline std::vector<casevault::AccountFields> synthetic_batch(std::uint64_t first, std::size_t count,
                                                             const std::string& tag) {
    std::vector<casevault::AccountFields> batch;
    batch.reserve(count);
    for (std::size_t i = 0; i < count; ++i) batch.push_back(synthetic_account(first + i, tag));
    return batch;
}

inline casevault::OpenOptions raw_key_options(const std::vector<std::uint8_t>& key, bool create) {
    casevault::OpenOptions o;
    o.key = key;
    o.create_if_missing = create;
    o.actor = "bench";
    return o;
}

// raw_key_options() with the vault's clock fixed at `now` (Unix seconds).
inline casevault::OpenOptions fixed_clock_options(const std::vector<std::uint8_t>& key, bool create, std::int64_t now) {
    casevault::OpenOptions o = raw_key_options(key, create);
    o.clock = [now] { return now; };
    return o;
}

// A whole file (the example policies).
inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// ---- timing -------------------------------------------------------------------

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU time of the calling thread (the timed call runs on it): on a busy
// machine, what the call itself cost, whatever else was running.
inline double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// ---- the plain SQLCipher baseline -------------------------------------------
//
// The same cipher settings and connection pragmas src/store/sqlcipher_store.cpp
// applies (raw key with an explicit salt, 4096-byte pages, HMAC, WAL,
// synchronous NORMAL, secure_delete, 32 MiB cache, ...), but rows are stored as
// plaintext: no per-subject keys, no sealing, no blind indexes, no audit.

inline void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = std::string(sql) + ": " + (err ? err : "?");
        sqlite3_free(err);
        throw std::runtime_error(msg);
    }
}

inline int sqlcipher_major() {
    static const int major = [] {
        sqlite3* db = nullptr;
        sqlite3_open(":memory:", &db);
        sqlite3_stmt* st = nullptr;
        int m = 0;
        if (sqlite3_prepare_v2(db, "PRAGMA cipher_version", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            m = std::atoi(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        if (m == 0) throw std::runtime_error("the linked SQLite has no SQLCipher codec");
        return m;
    }();
    return major;
}

struct PlainKey {
    std::vector<std::uint8_t> key = random_bytes(32);
    std::vector<std::uint8_t> salt = random_bytes(16);
    std::string spec() const { return "x'" + hex(key.data(), key.size()) + hex(salt.data(), salt.size()) + "'"; }
};

// Open + key + cipher settings + first read + connection pragmas, as the store does.
inline sqlite3* open_plain(const std::string& path, const PlainKey& k) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + path);
    }
    const std::string spec = k.spec();
    sqlite3_key(db, spec.data(), static_cast<int>(spec.size()));
    exec(db, "PRAGMA cipher_page_size = 4096");
    exec(db, "PRAGMA kdf_iter = 64000");
    exec(db, "PRAGMA cipher_use_hmac = ON");
    if (sqlcipher_major() >= 4) {
        exec(db, "PRAGMA cipher_hmac_algorithm = HMAC_SHA1");
        exec(db, "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA1");
        exec(db, "PRAGMA cipher_plaintext_header_size = 0");
    }
    sqlite3_busy_timeout(db, 5000);
    exec(db, "SELECT count(*) FROM sqlite_master");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    exec(db, "PRAGMA foreign_keys = ON");
    exec(db, "PRAGMA secure_delete = ON");
    exec(db, "PRAGMA temp_store = MEMORY");
    exec(db, "PRAGMA cache_size = -32768");
    return db;
}

inline void create_plain_schema(sqlite3* db) {
    exec(db,
         "CREATE TABLE IF NOT EXISTS accounts("
         " id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, phone TEXT UNIQUE,"
         " address TEXT, company TEXT, status INTEGER NOT NULL,"
         " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
}

// "acc_" + 24 random hex digits, like casevault's ids (random, so the primary
// key index sees the same insertion pattern).
inline std::string random_id(std::mt19937_64& rng) {
    std::uint8_t b[12];
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return "acc_" + hex(b, sizeof b);
}

struct PlainRow {
    std::string id;
    casevault::AccountFields f;
};

// One prepared INSERT, one transaction per batch.
class PlainInserter {
public:
    explicit PlainInserter(sqlite3* db) : db_(db) {
        sqlite3_prepare_v2(db_,
                           "INSERT INTO accounts(id, name, email, phone, address, company, status, created_at,"
                           " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           -1, &st_, nullptr);
    }
    ~PlainInserter() { sqlite3_finalize(st_); }
    PlainInserter(const PlainInserter&) = delete;
    PlainInserter& operator=(const PlainInserter&) = delete;

    void insert_batch(const std::vector<PlainRow>& rows) {
        exec(db_, "BEGIN IMMEDIATE");
        const sqlite3_int64 now = static_cast<sqlite3_int64>(std::time(nullptr));
        for (const PlainRow& r : rows) {
            auto text = [this](int i, const std::optional<std::string>& v) {
                if (v) sqlite3_bind_text(st_, i, v->data(), static_cast<int>(v->size()), SQLITE_STATIC);
                else sqlite3_bind_null(st_, i);
            };
            sqlite3_bind_text(st_, 1, r.id.data(), static_cast<int>(r.id.size()), SQLITE_STATIC);
            sqlite3_bind_text(st_, 2, r.f.name.data(), static_cast<int>(r.f.name.size()), SQLITE_STATIC);
            text(3, r.f.email);
            text(4, r.f.phone);
            text(5, r.f.address);
            text(6, r.f.company);
            sqlite3_bind_int(st_, 7, 0);
            sqlite3_bind_int64(st_, 8, now);
            sqlite3_bind_int64(st_, 9, now);
            if (sqlite3_step(st_) != SQLITE_DONE) {
                std::string msg = sqlite3_errmsg(db_);
                sqlite3_reset(st_);
                exec(db_, "ROLLBACK");
                throw std::runtime_error("plain insert: " + msg);
            }
            sqlite3_reset(st_);
        }
        exec(db_, "COMMIT");
    }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

inline std::vector<PlainRow> plain_batch(std::uint64_t first, std::size_t count, const std::string& tag,
                                         std::mt19937_64& rng) {
    std::vector<PlainRow> rows;
    rows.reserve(count);
    for (std::size_t i = 0; i < count; ++i) rows.push_back({random_id(rng), synthetic_account(first + i, tag)});
    return rows;
}

// Per-operation latencies -> p50_<unit> / p99_<unit> counters.
inline void report_percentiles(benchmark::State& state, std::vector<double>& values, const std::string& unit = "us") {
    if (values.empty()) return;
    std::sort(values.begin(), values.end());
    auto at = [&values](double q) {
        return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
    };
    state.counters["p50_" + unit] = at(0.50);
    state.counters["p99_" + unit] = at(0.99);
}

// A second connection to a casevault store, keyed like the vault's own (raw
// key), for baselines that read the same rows with plain SQL.
inline std::unique_ptr<casevault::store::SqlcipherStore> raw_connection(const std::string& path,
                                                                       const std::vector<std::uint8_t>& key) {
    namespace cv = casevault;
    unsigned char first[cv::store::kFileSaltBytes];
    if (cv::store::probe_file(path, first) != cv::store::FileState::present) {
        throw std::runtime_error("the benchmark store is missing");
    }
    const cv::vault::KeyHeader h = cv::vault::parse_header(first);
    const cv::crypto::SecretBytes master = cv::vault::derive_master(h, cv::crypto::SecretBytes(key.data(), key.size()));
    const cv::crypto::PurposeKeys keys = cv::crypto::derive_purpose_keys(master);
    return cv::store::SqlcipherStore::open(path, keys.page, h.bytes, 5000);
}

// An id as the engine makes them: prefix ("acc_", "cas_") + 12 bytes in hex,
// the first 6 the millisecond `ms` (big-endian, so ids sort by time), the last
// 6 from one draw of rng.
inline std::string time_ordered_id(const char* prefix, std::uint64_t ms, std::mt19937_64& rng) {
    std::uint8_t raw[12];
    for (int b = 0; b < 6; ++b) raw[b] = static_cast<std::uint8_t>(ms >> (8 * (5 - b)));
    const std::uint64_t r = rng();
    for (int b = 0; b < 6; ++b) raw[6 + b] = static_cast<std::uint8_t>(r >> (8 * b));
    return prefix + hex(raw, sizeof raw);
}

// ---- fixture stores cached between runs ---------------------------------------
//
// Stores that take long to fill are built once and kept in
// $CASEVAULT_BENCH_CACHE (or /tmp/casevault-bench-cache) as <name>.cvault with
// their raw key in <name>.key, written under temporary names and renamed when
// complete, so a killed build is never reused.

inline std::string cache_dir() {
    const char* env = std::getenv("CASEVAULT_BENCH_CACHE");
    std::string dir = env && *env ? env : "/tmp/casevault-bench-cache";
    std::filesystem::create_directories(dir);
    return dir;
}

inline void write_key_file(const std::string& path, const std::vector<std::uint8_t>& key) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << hex(key.data(), key.size()) << "\n";
    if (!out) throw std::runtime_error("cannot write " + path);
    ::chmod(path.c_str(), 0600);
}

inline std::vector<std::uint8_t> read_key_file(const std::string& path) {
    std::string hex = read_text(path);
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
    if (hex.size() != 64) throw std::runtime_error("damaged key file " + path);
    std::vector<std::uint8_t> key(32);
    for (std::size_t i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    return key;
}

// The cached store `name` (file, key), built by build(path, key) with a new
// random key when it is not there yet. The build is reported on stderr as
// "<who>: building the <what> in <dir> ..." and then its time and size.
inline std::pair<std::string, std::vector<std::uint8_t>> cached_store(
    const std::string& name, const char* who, const std::string& what,
    const std::function<void(const std::string&, const std::vector<std::uint8_t>&)>& build) {
    const std::string dir = cache_dir();
    const std::string file = dir + "/" + name + ".cvault", key_file = dir + "/" + name + ".key";
    std::error_code ec;
    if (std::filesystem::exists(file, ec) && std::filesystem::exists(key_file, ec)) {
        return {file, read_key_file(key_file)};
    }
    const std::string tmp = file + ".building-" + std::to_string(::getpid());
    const std::vector<std::uint8_t> key = random_bytes(32);
    std::fprintf(stderr, "%s: building the %s in %s ...\n", who, what.c_str(), dir.c_str());
    const auto t0 = std::chrono::steady_clock::now();
    try {
        build(tmp, key);
        const std::string tmp_key = key_file + ".tmp-" + std::to_string(::getpid());
        write_key_file(tmp_key, key);
        std::filesystem::rename(tmp_key, key_file);
        std::filesystem::rename(tmp, file);
    } catch (...) {
        for (const char* ext : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(tmp + ext, ec);
        throw;
    }
    std::fprintf(stderr, "%s: built in %.1f s (%.0f MB), cached as %s\n", who, seconds_since(t0),
                 static_cast<double>(std::filesystem::file_size(file)) / 1e6, file.c_str());
    return {file, key};
}

// Copies a cached store to `path` and syncs the copy: on disk before anything
// is timed (otherwise the first timed calls' WAL checkpoints wait in fsync for
// the copy's writeback).
inline void copy_synced(const std::string& file, const std::string& path) {
    std::filesystem::copy_file(file, path);
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) throw std::runtime_error("cannot sync the fixture copy");
    ::close(fd);
}

// One fixture per type for the whole run (stores are costly to fill),
// released by the cleanups before the process exits.
template <class Fixture>
Fixture& shared_fixture() {
    static std::unique_ptr<Fixture> f;
    if (!f) {
        f = std::make_unique<Fixture>();
        cleanups().push_back([] { f.reset(); });
    }
    return *f;
}

}  // namespace bench

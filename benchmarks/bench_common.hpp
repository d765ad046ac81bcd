// Shared helpers for the casevault benchmarks: temp dirs, synthetic people,
// raw keys, and the plain-SQLCipher baseline connection.
#pragma once

#include <sqlite3.h>

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
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
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

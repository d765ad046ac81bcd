// A thin RAII layer over the SQLite C API (SQLCipher build). Only src/store
// includes this.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casevault/error.hpp"

namespace casevault::store {

using Bytes = std::vector<unsigned char>;

// Maps an SQLite result code to a casevault error; `what` says what was
// being done. Never includes values from the statement.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, const char* what);
Errc errc_for_sqlite(int rc);

class Statement {
public:
    Statement(sqlite3* db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, const std::string& v);
    Statement& bind(int i, const Bytes& v);
    Statement& bind(int i, const std::optional<Bytes>& v);
    Statement& bind_null(int i);
    // Binds without copying; the buffer must outlive the statement's use.
    Statement& bind_secret(int i, const unsigned char* p, std::size_t n);

    bool step();   // true while a row is available
    void run();    // step to completion, for statements without rows
    void reset();  // ready for re-use (bindings cleared)

    // The first row read by `read`, or nullopt; leaves the statement reset.
    template <class Read>
    auto first(Read read) -> std::optional<decltype(read(*this))> {
        std::optional<decltype(read(*this))> out;
        if (step()) out = read(*this);
        reset();
        return out;
    }
    // The first column of the first row as an integer (count(*), pragmas).
    std::int64_t scalar();

    std::int64_t int64(int col) const;
    std::string text(int col) const;
    Bytes blob(int col) const;
    std::optional<Bytes> blob_or_null(int col) const;
    bool is_null(int col) const;
    sqlite3* db() const noexcept { return db_; }

private:
    void check_bind(int rc);
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Rows of a statement read with `read`, then the statement is reset.
template <class Read>
auto all(Statement& st, Read read) -> std::vector<decltype(read(st))> {
    std::vector<decltype(read(st))> out;
    while (st.step()) out.push_back(read(st));
    st.reset();
    return out;
}

class Database {
public:
    Database() = default;
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void open(const std::string& path, int flags);
    void close() noexcept;
    void abandon() noexcept;  // drop the handle unclosed (after fork())
    sqlite3* handle() const noexcept { return db_; }

    void exec(const char* sql, const char* what);
    // Runs a PRAGMA or query and returns the first column of the first row.
    std::optional<std::string> query_text(const char* sql, const char* what);

    // Cached prepared statements, keyed by their SQL text (a string literal).
    Statement& prepare(const char* sql);

private:
    sqlite3* db_ = nullptr;
    std::vector<std::pair<const char*, Statement*>> cache_;
};

// BEGIN IMMEDIATE (write) or BEGIN (read) .. COMMIT; rolls back unless committed.
// Every UPDATE in the store is written UPDATE OR FAIL: a plain UPDATE that
// may abort keeps a statement journal, whose pages SQLCipher 3.4 encrypts
// even in memory (about 60 µs per row). Any failure rolls the whole
// transaction back anyway, so OR FAIL loses nothing.
class Transaction {
public:
    explicit Transaction(Database& db, bool write = true);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace casevault::store

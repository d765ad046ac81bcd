#include "store/sqlite.hpp"

#include <cstring>

#include "common/error.hpp"

namespace casevault::store {

Errc errc_for_sqlite(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return Errc::locked;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT: return Errc::corrupt;
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_PERM: return Errc::io;
        case SQLITE_CONSTRAINT: return Errc::duplicate;
        case SQLITE_NOMEM: return Errc::internal;
        default: return Errc::internal;
    }
}

void throw_sqlite(sqlite3* db, int rc, const char* what) {
    const Errc code = errc_for_sqlite(rc);
    std::string msg = what;
    switch (code) {
        case Errc::locked: msg += ": the store is locked by another connection"; break;
        case Errc::corrupt: msg += ": the store is damaged or has been tampered with"; break;
        case Errc::io: msg += ": the file system refused ("; msg += sqlite3_errstr(rc); msg += ")"; break;
        default:
            // sqlite3_errmsg names tables and constraints, never bound values.
            msg += ": ";
            msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    }
    fail(code, msg);
}

Statement::Statement(sqlite3* db, const char* sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw_sqlite(db, rc, "preparing a statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
// A value SQLite refuses (too big) must fail the call, never bind as NULL:
// a NULL would silently switch off a filter.
constexpr std::size_t kMaxBind = 100 * 1000 * 1000;
int checked_size(std::size_t n) {
    if (n > kMaxBind) fail(Errc::invalid_argument, "a value is too large");
    return static_cast<int>(n);
}
}  // namespace

void Statement::check_bind(int rc) {
    if (rc == SQLITE_TOOBIG) fail(Errc::invalid_argument, "a value is too large");
    if (rc != SQLITE_OK) throw_sqlite(db_, rc, "binding a value");
}

Statement& Statement::bind(int i, std::int64_t v) {
    check_bind(sqlite3_bind_int64(stmt_, i, v));
    return *this;
}
Statement& Statement::bind(int i, const std::string& v) {
    check_bind(sqlite3_bind_text(stmt_, i, v.data(), checked_size(v.size()), SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bind(int i, const Bytes& v) {
    check_bind(sqlite3_bind_blob(stmt_, i, v.data(), checked_size(v.size()), SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bind(int i, const std::optional<Bytes>& v) {
    return v ? bind(i, *v) : bind_null(i);
}
Statement& Statement::bind_secret(int i, const unsigned char* p, std::size_t n) {
    check_bind(sqlite3_bind_blob(stmt_, i, p, checked_size(n), SQLITE_STATIC));
    return *this;
}
Statement& Statement::bind_null(int i) {
    check_bind(sqlite3_bind_null(stmt_, i));
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(stmt_);
    throw_sqlite(db_, rc, "running a statement");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

std::int64_t Statement::scalar() {
    const bool row = step();
    const std::int64_t v = row ? int64(0) : 0;
    reset();
    return v;
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}

Bytes Statement::blob(int col) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    const int n = sqlite3_column_bytes(stmt_, col);
    return p ? Bytes(p, p + n) : Bytes();
}

std::optional<Bytes> Statement::blob_or_null(int col) const {
    if (is_null(col)) return std::nullopt;
    return blob(col);
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Database::~Database() { close(); }

void Database::open(const std::string& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw_sqlite(nullptr, rc, "opening the store file");
    }
    sqlite3_extended_result_codes(db_, 1);
}

void Database::close() noexcept {
    for (auto& [sql, st] : cache_) delete st;
    cache_.clear();
    if (db_ != nullptr) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
    }
}

void Database::abandon() noexcept {
    // The statements belong to the abandoned connection too: leak them with it.
    cache_.clear();
    db_ = nullptr;
}

void Database::exec(const char* sql, const char* what) {
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw_sqlite(db_, rc, what);
}

std::optional<std::string> Database::query_text(const char* sql, const char* what) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &st, nullptr);
    if (rc != SQLITE_OK) throw_sqlite(db_, rc, what);
    std::optional<std::string> out;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const auto* p = sqlite3_column_text(st, 0);
        out = p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
        rc = SQLITE_DONE;
        while (sqlite3_step(st) == SQLITE_ROW) {
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw_sqlite(db_, rc, what);
    return out;
}

Statement& Database::prepare(const char* sql) {
    for (auto& [key, st] : cache_) {
        if (key == sql) {
            st->reset();
            return *st;
        }
    }
    cache_.emplace_back(sql, new Statement(db_, sql));
    return *cache_.back().second;
}

// BEGIN/COMMIT/ROLLBACK run as cached prepared statements: a read costs a
// few microseconds, and parsing these three would be a good part of it.
Transaction::Transaction(Database& db, bool write) : db_(db) {
    db_.prepare(write ? "BEGIN IMMEDIATE" : "BEGIN").run();
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        db_.prepare("ROLLBACK").run();
    } catch (...) {
        // SQLite may have rolled back already (e.g. after SQLITE_FULL).
    }
}

void Transaction::commit() {
    db_.prepare("COMMIT").run();
    done_ = true;
}

}  // namespace casevault::store

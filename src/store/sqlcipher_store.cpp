#include "store/sqlcipher_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.hpp"

namespace casevault::store {

namespace {

const unsigned char kPlainSqliteMagic[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                             'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

}  // namespace

// Sets every cipher parameter explicitly, so a store means the same thing
// whatever SQLCipher's compiled-in defaults are (3.x and 4.x differ).
void apply_cipher_settings(Database& db, const std::string& schema, int cipher_major) {
    const std::string p = "PRAGMA " + schema + ".";
    db.exec((p + "cipher_page_size = 4096").c_str(), "setting cipher_page_size");
    db.exec((p + "kdf_iter = 64000").c_str(), "setting kdf_iter");  // unused with raw keys; pinned anyway
    db.exec((p + "cipher_use_hmac = ON").c_str(), "setting cipher_use_hmac");
    if (cipher_major >= 4) {
        db.exec((p + "cipher_hmac_algorithm = HMAC_SHA1").c_str(), "setting cipher_hmac_algorithm");
        db.exec((p + "cipher_kdf_algorithm = PBKDF2_HMAC_SHA1").c_str(), "setting cipher_kdf_algorithm");
        db.exec((p + "cipher_plaintext_header_size = 0").c_str(), "setting cipher_plaintext_header_size");
    }
}

int cipher_major(const std::string& version) { return version.empty() ? 0 : std::atoi(version.c_str()); }

// "x'<64 hex key><32 hex salt>'": SQLCipher's raw key with an explicit salt,
// built in secure memory so the key never sits in an ordinary buffer.
crypto::SecretBytes raw_key_spec(const crypto::SecretBytes& key, const unsigned char* salt) {
    static const char hex[] = "0123456789abcdef";
    crypto::SecretBytes spec(3 + 2 * (key.size() + kFileSaltBytes));
    unsigned char* o = spec.data();
    *o++ = 'x';
    *o++ = '\'';
    auto put = [&o](const unsigned char* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) {
            *o++ = static_cast<unsigned char>(hex[p[i] >> 4]);
            *o++ = static_cast<unsigned char>(hex[p[i] & 0x0f]);
        }
    };
    put(key.data(), key.size());
    put(salt, kFileSaltBytes);
    *o = '\'';
    return spec;
}

namespace {

AccountRow read_account(const Statement& st) {
    AccountRow r;
    r.id = st.text(0);
    r.status = static_cast<int>(st.int64(1));
    r.created_at = st.int64(2);
    r.updated_at = st.int64(3);
    r.key_version = static_cast<int>(st.int64(4));
    r.data_key = st.blob_or_null(5);
    r.name = st.blob_or_null(6);
    r.email = st.blob_or_null(7);
    r.phone = st.blob_or_null(8);
    r.address = st.blob_or_null(9);
    r.company = st.blob_or_null(10);
    r.email_bidx = st.blob_or_null(11);
    r.phone_bidx = st.blob_or_null(12);
    return r;
}

AuditRow read_audit(const Statement& st) {
    AuditRow r;
    r.seq = st.int64(0);
    r.at = st.int64(1);
    r.actor = st.text(2);
    r.action = st.text(3);
    r.subject = st.text(4);
    r.target = st.text(5);
    r.outcome = st.text(6);
    r.reason = st.text(7);
    r.mac = st.blob(8);
    return r;
}

// Binds every column in ACCOUNT_COLUMNS order as ?1..?13.
void bind_account(Statement& st, const AccountRow& r) {
    st.bind(1, r.id).bind(2, std::int64_t{r.status}).bind(3, r.created_at).bind(4, r.updated_at);
    st.bind(5, std::int64_t{r.key_version}).bind(6, r.data_key).bind(7, r.name).bind(8, r.email);
    st.bind(9, r.phone).bind(10, r.address).bind(11, r.company).bind(12, r.email_bidx).bind(13, r.phone_bidx);
}

#define ACCOUNT_COLUMNS                                                                                  \
    "id, status, created_at, updated_at, key_version, data_key, name, email, phone, address, company, email_bidx, " \
    "phone_bidx"

// Unique blind indexes are the only constraints a caller can trip.
[[noreturn]] void rethrow_account_constraint(sqlite3* db, const Error& e);

void run_account_write(Statement& st) {
    try {
        st.run();
    } catch (const Error& e) {
        rethrow_account_constraint(st.db(), e);
    }
}

[[noreturn]] void rethrow_account_constraint(sqlite3* db, const Error& e) {
    if (e.code() == Errc::duplicate) {
        const char* msg = sqlite3_errmsg(db);
        if (std::strstr(msg, "email_bidx")) fail(Errc::duplicate, "an account with this email already exists");
        if (std::strstr(msg, "phone_bidx")) fail(Errc::duplicate, "an account with this phone number already exists");
        fail(Errc::duplicate, "an account with this id already exists");
    }
    throw e;
}

class SqlTx final : public Store::Tx {
public:
    SqlTx(Database& db, bool write) : tx_(db, write) {}
    void commit() override { tx_.commit(); }

private:
    Transaction tx_;
};

}  // namespace

FileState probe_file(const std::string& path, unsigned char salt_out[kFileSaltBytes]) {
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0) return FileState::missing;
    if (sb.st_size == 0) return FileState::empty;
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(Errc::io, "cannot read the store file (permissions?)");
    in.read(reinterpret_cast<char*>(salt_out), kFileSaltBytes);
    if (in.gcount() != static_cast<std::streamsize>(kFileSaltBytes)) return FileState::too_short;
    if (std::memcmp(salt_out, kPlainSqliteMagic, kFileSaltBytes) == 0) return FileState::plaintext_sqlite;
    return FileState::present;
}

std::string require_codec() {
    Database probe;
    probe.open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const auto v = probe.query_text("PRAGMA cipher_version", "probing for the SQLCipher codec");
    if (!v || v->empty()) {
        fail(Errc::no_codec,
             "the SQLite library in this process has no SQLCipher codec (plain SQLite " +
                 std::string(sqlite3_libversion()) +
                 " took its symbols); refusing to open a store that would not be encrypted");
    }
    return *v;
}

std::string sqlite_version() { return sqlite3_libversion(); }

void remove_store_files(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
}

std::optional<FileIdentity> file_identity(const std::string& path) {
    struct stat sb {};
    if (::stat(path.c_str(), &sb) != 0) return std::nullopt;
    return FileIdentity{static_cast<unsigned long long>(sb.st_dev), static_cast<unsigned long long>(sb.st_ino)};
}

std::optional<FileIdentity> create_exclusive(const std::string& path, unsigned mode) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd < 0) {
        if (errno == EEXIST) return std::nullopt;
        fail(Errc::io, std::string("cannot create the store file (") + std::strerror(errno) + ")");
    }
    struct stat sb {};
    const int rc = ::fstat(fd, &sb);
    ::close(fd);
    if (rc != 0) fail(Errc::io, "cannot stat the new store file");
    return FileIdentity{static_cast<unsigned long long>(sb.st_dev), static_cast<unsigned long long>(sb.st_ino)};
}

void copy_ownership(const std::string& like, const std::string& path) {
    struct stat sb {};
    if (::stat(like.c_str(), &sb) != 0) fail(Errc::io, "cannot stat the store file");
    if (::chmod(path.c_str(), sb.st_mode & 07777) != 0) fail(Errc::io, "cannot set the new file's permissions");
    // Only root may give a file away; an ordinary user's files are theirs already.
    if (::chown(path.c_str(), sb.st_uid, sb.st_gid) != 0 && errno != EPERM) {
        fail(Errc::io, "cannot set the new file's owner");
    }
}

std::string resolve_path(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path resolved = fs::weakly_canonical(fs::absolute(fs::path(path), ec), ec);
    if (ec || resolved.empty()) fail(Errc::io, "cannot resolve the store path (" + ec.message() + ")");
    return resolved.string();
}

std::unique_ptr<SqlcipherStore> SqlcipherStore::open(const std::string& path,
                                                     const crypto::SecretBytes& page_key,
                                                     const unsigned char salt[kFileSaltBytes],
                                                     int busy_timeout_ms, bool durable,
                                                     const MigrationProgress& progress) {
    const int major = cipher_major(require_codec());
    std::unique_ptr<SqlcipherStore> s(new SqlcipherStore());
    s->cipher_major_ = major;
    Database& db = s->db_;
    db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
    {
        crypto::SecretBytes spec = raw_key_spec(page_key, salt);
        const int rc = sqlite3_key(db.handle(), spec.data(), static_cast<int>(spec.size()));
        if (rc != SQLITE_OK) throw_sqlite(db.handle(), rc, "keying the store");
    }
    apply_cipher_settings(db, "main", major);
    sqlite3_busy_timeout(db.handle(), busy_timeout_ms);

    // The first read authenticates page 1. The caller has already checked the
    // key against the file header, so a failure here means damage.
    const int rc = sqlite3_exec(db.handle(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
            fail(Errc::corrupt, "the store failed authentication: it is damaged or has been tampered with");
        }
        throw_sqlite(db.handle(), rc, "reading the store");
    }

    // A store another opener is creating this instant can refuse the switch
    // for a moment (an I/O error while its first WAL appears): retry within
    // the busy timeout, as SQLite would for a lock.
    std::optional<std::string> mode;
    for (int waited = 0;; waited += 10) {
        try {
            mode = db.query_text("PRAGMA journal_mode = WAL", "enabling WAL");
            break;
        } catch (const Error& e) {
            if ((e.code() != Errc::io && e.code() != Errc::locked) || waited >= busy_timeout_ms) throw;
            sqlite3_sleep(10);
        }
    }
    if (!mode || *mode != "wal") fail(Errc::io, "the store could not be put in WAL mode");
    db.exec(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", "setting synchronous");
    db.exec("PRAGMA foreign_keys = ON", "enabling foreign keys");
    db.exec("PRAGMA secure_delete = ON", "enabling secure_delete");
    db.exec("PRAGMA temp_store = MEMORY", "keeping temporary data in memory");
    // A larger page cache keeps SQLCipher from decrypting the same pages again.
    db.exec("PRAGMA cache_size = -32768", "setting the page cache");
    migrate(db, progress);
    return s;
}

SqlcipherStore::~SqlcipherStore() { close(); }

void SqlcipherStore::close() noexcept {
    wal_watch_.detach();
    db_.close();
}

void SqlcipherStore::export_to(const std::string& new_path, const crypto::SecretBytes& page_key,
                               const unsigned char salt[kFileSaltBytes]) {
    const int major = cipher_major_;
    {
        crypto::SecretBytes spec = raw_key_spec(page_key, salt);
        Statement attach(db_.handle(), "ATTACH DATABASE ?1 AS rekey_target KEY ?2");
        attach.bind(1, new_path);
        // Bound from secure memory without a copy: the key never enters SQL text.
        attach.bind_secret(2, spec.data(), spec.size());
        attach.run();
    }
    try {
        apply_cipher_settings(db_, "rekey_target", major);
        db_.exec("SELECT sqlcipher_export('rekey_target')", "copying the store");
        const std::string v = std::to_string(schema_version());
        db_.exec(("PRAGMA rekey_target.user_version = " + v).c_str(), "copying the schema version");
    } catch (...) {
        sqlite3_exec(db_.handle(), "DETACH DATABASE rekey_target", nullptr, nullptr, nullptr);
        throw;
    }
    db_.exec("DETACH DATABASE rekey_target", "closing the new store file");
}

std::int64_t SqlcipherStore::check_integrity() {
    Statement st(db_.handle(), "PRAGMA quick_check");
    std::string first;
    while (st.step()) {
        if (first.empty()) first = st.text(0);
    }
    // quick_check reports structural problems as rows; its messages name
    // pages and tables, never values.
    if (first != "ok") fail(Errc::corrupt, "integrity check failed: " + first);
    return db_.prepare("PRAGMA page_count").scalar();
}

std::unique_ptr<Store::Tx> SqlcipherStore::begin() { return std::make_unique<SqlTx>(db_, true); }
std::unique_ptr<Store::Tx> SqlcipherStore::begin_read() { return std::make_unique<SqlTx>(db_, false); }

std::optional<std::string> SqlcipherStore::meta(const std::string& key) {
    return db_.prepare("SELECT value FROM meta WHERE key = ?1").bind(1, key).first([](const Statement& st) {
        return st.text(0);
    });
}

void SqlcipherStore::set_meta(const std::string& key, const std::string& value) {
    db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)").bind(1, key).bind(2, value).run();
}

int SqlcipherStore::schema_version() {
    return std::stoi(db_.query_text("PRAGMA user_version", "reading the schema version").value_or("0"));
}

void SqlcipherStore::replace_subject_key(const SubjectKeyRow& row) {
    db_.prepare("UPDATE OR FAIL accounts SET key_version = ?2, data_key = ?3 WHERE id = ?1")
        .bind(1, row.subject_id)
        .bind(2, std::int64_t{row.key_version})
        .bind(3, row.wrapped)
        .run();
}

std::optional<SubjectKeyRow> SqlcipherStore::subject_key(const std::string& subject_id) {
    return db_.prepare("SELECT key_version, data_key FROM accounts WHERE id = ?1 AND data_key IS NOT NULL")
        .bind(1, subject_id)
        .first([&](Statement& st) { return SubjectKeyRow{subject_id, static_cast<int>(st.int64(0)), st.blob(1)}; });
}

void SqlcipherStore::for_each_subject_key(const std::function<void(const SubjectKeyRow&)>& fn) {
    Statement st(db_.handle(), "SELECT id, key_version, data_key FROM accounts WHERE data_key IS NOT NULL ORDER BY id");
    while (st.step()) fn(SubjectKeyRow{st.text(0), static_cast<int>(st.int64(1)), st.blob(2)});
}

std::int64_t SqlcipherStore::count_subject_keys() {
    return db_.prepare("SELECT count(*) FROM accounts WHERE data_key IS NOT NULL").scalar();
}

void SqlcipherStore::insert_account(const AccountRow& r) {
    Statement& st = db_.prepare("INSERT INTO accounts(" ACCOUNT_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    bind_account(st, r);
    run_account_write(st);
}

void SqlcipherStore::update_account(const AccountRow& r) {
    Statement& st = db_.prepare(
        "UPDATE OR FAIL accounts SET status = ?2, created_at = ?3, updated_at = ?4, key_version = ?5, data_key = ?6, "
        "name = ?7, email = ?8, phone = ?9, address = ?10, company = ?11, email_bidx = ?12, phone_bidx = ?13 "
        "WHERE id = ?1");
    bind_account(st, r);
    run_account_write(st);
    if (sqlite3_changes(db_.handle()) != 1) fail(Errc::not_found, "no account with this id");
}

std::optional<AccountRow> SqlcipherStore::account(const std::string& id) {
    return db_.prepare("SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1").bind(1, id).first(read_account);
}

std::optional<AccountRow> SqlcipherStore::account_by_index(const std::string& column, const Bytes& digest) {
    const char* sql = nullptr;
    if (column == "email") {
        sql = "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE email_bidx = ?1";
    } else if (column == "phone") {
        sql = "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE phone_bidx = ?1";
    } else {
        fail(Errc::internal, "no blind index on accounts." + column);
    }
    return db_.prepare(sql).bind(1, digest).first(read_account);
}

std::vector<AccountRow> SqlcipherStore::accounts_after(const std::string& after_id, std::size_t limit,
                                                       std::optional<int> status) {
    Statement& st = status ? db_.prepare("SELECT " ACCOUNT_COLUMNS
                                         " FROM accounts WHERE id > ?1 AND status = ?3 ORDER BY id LIMIT ?2")
                           : db_.prepare("SELECT " ACCOUNT_COLUMNS
                                         " FROM accounts WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
    if (status) st.bind(3, std::int64_t{*status});
    std::vector<AccountRow> out;
    while (st.step()) out.push_back(read_account(st));
    st.reset();
    return out;
}

std::int64_t SqlcipherStore::count_accounts(std::optional<int> status) {
    if (status) return db_.prepare("SELECT count(*) FROM accounts WHERE status = ?1").bind(1, std::int64_t{*status}).scalar();
    return db_.prepare("SELECT count(*) FROM accounts").scalar();
}

void SqlcipherStore::set_account_indexes(const std::string& id, const std::optional<Bytes>& email_bidx,
                                         const std::optional<Bytes>& phone_bidx) {
    Statement& st = db_.prepare("UPDATE OR FAIL accounts SET email_bidx = ?2, phone_bidx = ?3 WHERE id = ?1");
    st.bind(1, id).bind(2, email_bidx).bind(3, phone_bidx);
    run_account_write(st);
}

void SqlcipherStore::append_audit(const AuditRow& r) {
    Statement& st = db_.prepare(
        "INSERT INTO audit(seq, at, actor, action, subject, target, outcome, reason, mac) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    st.bind(1, r.seq).bind(2, r.at).bind(3, r.actor).bind(4, r.action).bind(5, r.subject);
    st.bind(6, r.target).bind(7, r.outcome).bind(8, r.reason).bind(9, r.mac);
    st.run();
}

std::optional<AuditRow> SqlcipherStore::last_audit() {
    return db_
        .prepare("SELECT seq, at, actor, action, subject, target, outcome, reason, mac FROM audit "
                 "ORDER BY seq DESC LIMIT 1")
        .first(read_audit);
}

std::vector<AuditRow> SqlcipherStore::audit(const AuditQuery& q) {
    // NULL parameters switch a condition off; one statement serves every filter.
    Statement& st = db_.prepare(
        "SELECT seq, at, actor, action, subject, target, outcome, reason, mac FROM audit "
        "WHERE seq > ?1 AND (?2 IS NULL OR subject = ?2) AND (?3 IS NULL OR actor = ?3) "
        "AND (?4 IS NULL OR action = ?4) AND (?5 IS NULL OR substr(action, 1, length(?5)) = ?5) "
        "AND (?6 IS NULL OR at >= ?6) AND (?7 IS NULL OR at < ?7) ORDER BY seq LIMIT ?8");
    st.bind(1, q.after_seq);
    auto bind_opt = [&st](int i, const std::optional<std::string>& v) { v ? st.bind(i, *v) : st.bind_null(i); };
    bind_opt(2, q.subject);
    bind_opt(3, q.actor);
    bind_opt(4, q.action);
    bind_opt(5, q.action_prefix);
    q.since ? st.bind(6, *q.since) : st.bind_null(6);
    q.until ? st.bind(7, *q.until) : st.bind_null(7);
    st.bind(8, static_cast<std::int64_t>(q.limit));
    std::vector<AuditRow> out;
    while (st.step()) out.push_back(read_audit(st));
    st.reset();
    return out;
}

std::vector<AuditRow> SqlcipherStore::audit_of(const std::string& subject, std::int64_t after_seq, std::size_t limit) {
    // Its own statement: audit()'s optional filters keep SQLite from using
    // the (subject, seq) index, and an export must not scan the whole log.
    Statement& st = db_.prepare(
        "SELECT seq, at, actor, action, subject, target, outcome, reason, mac FROM audit "
        "WHERE subject = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    st.bind(1, subject).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
    std::vector<AuditRow> out;
    while (st.step()) out.push_back(read_audit(st));
    st.reset();
    return out;
}

void SqlcipherStore::for_each_audit(const std::function<void(const AuditRow&)>& fn) {
    Statement st(db_.handle(),
                 "SELECT seq, at, actor, action, subject, target, outcome, reason, mac FROM audit ORDER BY seq");
    while (st.step()) fn(read_audit(st));
}

std::int64_t SqlcipherStore::count_audit() {
    return db_.prepare("SELECT count(*) FROM audit").scalar();
}

void SqlcipherStore::set_audit_mac(std::int64_t seq, const Bytes& mac) {
    db_.prepare("UPDATE OR FAIL audit SET mac = ?2 WHERE seq = ?1").bind(1, seq).bind(2, mac).run();
}

}  // namespace casevault::store

// SqlcipherStore: cancel/delete requests, the retention schedule, legal
// holds, deletion receipts, the erasure ledger, the backup catalog, record
// deletions for rules that keep the account, and online backup and restore
// (schema migration 4).
#include <sys/stat.h>

#include <cstdio>

#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {

namespace {

#define REQUEST_COLUMNS \
    "id, subject, reason, channel, requested_at, due_at, state, kind, trigger, code_digest, confirm_by, done_at"

ErasureRequestRow read_request(const Statement& st) {
    ErasureRequestRow r;
    r.id = st.text(0);
    r.subject = st.text(1);
    r.reason = st.text(2);
    r.channel = static_cast<int>(st.int64(3));
    r.requested_at = st.int64(4);
    r.due_at = st.int64(5);
    r.state = st.text(6);
    r.kind = static_cast<int>(st.int64(7));
    r.trigger = static_cast<int>(st.int64(8));
    r.code_digest = st.blob_or_null(9);
    r.confirm_by = st.int64(10);
    r.done_at = st.int64(11);
    return r;
}

DueRow read_due(const Statement& st) {
    DueRow r;
    r.subject = st.text(0);
    r.trigger = static_cast<int>(st.int64(1));
    r.since = st.int64(2);
    r.done_after = st.int64(3);
    r.due_at = st.int64(4);
    return r;
}

#define HOLD_COLUMNS                                                                                   \
    "id, scope, target, subject, authority, reference, state, placed_at, expires_at, extensions, process, " \
    "process_reference, process_at, ended_at, confidential"

HoldRow read_hold(const Statement& st) {
    HoldRow r;
    r.id = st.text(0);
    r.scope = static_cast<int>(st.int64(1));
    r.target = st.text(2);
    r.subject = st.text(3);
    r.authority = st.text(4);
    r.reference = st.blob(5);
    r.state = static_cast<int>(st.int64(6));
    r.placed_at = st.int64(7);
    r.expires_at = st.int64(8);
    r.extensions = static_cast<int>(st.int64(9));
    if (!st.is_null(10)) r.process = st.text(10);
    r.process_reference = st.blob_or_null(11);
    r.process_at = st.int64(12);
    r.ended_at = st.int64(13);
    r.confidential = st.int64(14) != 0;
    return r;
}

void bind_hold(Statement& st, const HoldRow& r) {
    st.bind(1, r.id).bind(2, std::int64_t{r.scope}).bind(3, r.target).bind(4, r.subject).bind(5, r.authority);
    st.bind(6, r.reference).bind(7, std::int64_t{r.state}).bind(8, r.placed_at).bind(9, r.expires_at);
    st.bind(10, std::int64_t{r.extensions});
    r.process ? st.bind(11, *r.process) : st.bind_null(11);
    st.bind(12, r.process_reference).bind(13, r.process_at).bind(14, r.ended_at);
    st.bind(15, static_cast<std::int64_t>(r.confidential ? 1 : 0));
}

ReceiptRow read_receipt(const Statement& st) {
    return ReceiptRow{st.text(0), st.text(1), static_cast<int>(st.int64(2)), st.text(3), st.text(4), st.int64(5)};
}

LedgerRow read_ledger(const Statement& st) {
    return LedgerRow{st.int64(0), st.text(1), static_cast<int>(st.int64(2)), st.text(3), st.int64(4)};
}

BackupRow read_backup_row(const Statement& st) {
    return BackupRow{st.text(0), st.text(1), st.int64(2), st.int64(3), st.text(4), st.int64(5)};
}

// A second connection to a store file under the same key as this one.
void open_keyed(Database& db, const std::string& path, int flags, const crypto::SecretBytes& page_key,
                const unsigned char salt[kFileSaltBytes], int cipher_major) {
    db.open(path, flags);
    crypto::SecretBytes spec = raw_key_spec(page_key, salt);
    const int rc = sqlite3_key(db.handle(), spec.data(), static_cast<int>(spec.size()));
    if (rc != SQLITE_OK) throw_sqlite(db.handle(), rc, "keying the backup");
    apply_cipher_settings(db, "main", cipher_major);
}

// Copies every page from one connection to another, reporting pages.
void copy_pages(Database& to, Database& from, const std::function<bool(std::int64_t, std::int64_t)>& progress,
                const char* what) {
    sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (!b) throw_sqlite(to.handle(), sqlite3_errcode(to.handle()), what);
    int rc = SQLITE_OK;
    bool cancelled = false;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(5);
            continue;
        }
        const std::int64_t total = sqlite3_backup_pagecount(b);
        if (progress && !progress(total - sqlite3_backup_remaining(b), total)) {
            cancelled = true;
            break;
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    const int finish = sqlite3_backup_finish(b);
    if (cancelled) fail(Errc::cancelled, "cancelled by the progress callback");
    if (rc != SQLITE_DONE) throw_sqlite(to.handle(), rc, what);
    if (finish != SQLITE_OK) throw_sqlite(to.handle(), finish, what);
}

}  // namespace

// ---- requests

void SqlcipherStore::insert_erasure_request(const ErasureRequestRow& r) {
    Statement& st = db_.prepare("INSERT INTO erasure_requests(" REQUEST_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    st.bind(1, r.id).bind(2, r.subject).bind(3, r.reason).bind(4, std::int64_t{r.channel});
    st.bind(5, r.requested_at).bind(6, r.due_at).bind(7, r.state).bind(8, std::int64_t{r.kind});
    st.bind(9, std::int64_t{r.trigger}).bind(10, r.code_digest).bind(11, r.confirm_by).bind(12, r.done_at);
    st.run();
}

void SqlcipherStore::update_erasure_request(const ErasureRequestRow& r) {
    Statement& st = db_.prepare(
        "UPDATE OR FAIL erasure_requests SET due_at = ?2, state = ?3, code_digest = ?4, confirm_by = ?5, done_at = ?6 "
        "WHERE id = ?1");
    st.bind(1, r.id).bind(2, r.due_at).bind(3, r.state).bind(4, r.code_digest).bind(5, r.confirm_by);
    st.bind(6, r.done_at).run();
}

std::optional<ErasureRequestRow> SqlcipherStore::erasure_request(const std::string& id) {
    return db_.prepare("SELECT " REQUEST_COLUMNS " FROM erasure_requests WHERE id = ?1")
        .bind(1, id)
        .first(read_request);
}

std::optional<ErasureRequestRow> SqlcipherStore::erasure_request_by_code(const Bytes& digest) {
    return db_.prepare("SELECT " REQUEST_COLUMNS " FROM erasure_requests WHERE code_digest = ?1")
        .bind(1, digest)
        .first(read_request);
}

std::vector<ErasureRequestRow> SqlcipherStore::erasure_requests(const std::optional<std::string>& subject) {
    // Two statements: "?1 IS NULL OR subject = ?1" would scan the table.
    if (!subject) return all(db_.prepare("SELECT " REQUEST_COLUMNS " FROM erasure_requests ORDER BY id"), read_request);
    Statement& st = db_.prepare("SELECT " REQUEST_COLUMNS " FROM erasure_requests WHERE subject = ?1 ORDER BY id");
    st.bind(1, *subject);
    return all(st, read_request);
}

std::vector<ErasureRequestRow> SqlcipherStore::unconfirmed_requests(std::int64_t now, std::size_t limit) {
    Statement& st = db_.prepare("SELECT " REQUEST_COLUMNS
                                " FROM erasure_requests WHERE state = 'awaiting_confirmation' AND confirm_by < ?1 "
                                "ORDER BY confirm_by LIMIT ?2");
    st.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    return all(st, read_request);
}

void SqlcipherStore::set_request_states(const std::string& subject, int trigger, const std::string& from,
                                        const std::string& to, std::int64_t at) {
    db_.prepare(
           "UPDATE OR FAIL erasure_requests SET state = ?4, done_at = ?5, code_digest = NULL "
           "WHERE subject = ?1 AND (?2 < 0 OR trigger = ?2) AND state = ?3")
        .bind(1, subject)
        .bind(2, std::int64_t{trigger})
        .bind(3, from)
        .bind(4, to)
        .bind(5, at)
        .run();
}

// ---- schedule

void SqlcipherStore::put_due(const DueRow& r) {
    db_.prepare("INSERT OR REPLACE INTO retention_due(subject, trigger, since, done_after, due_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, r.subject)
        .bind(2, std::int64_t{r.trigger})
        .bind(3, r.since)
        .bind(4, r.done_after)
        .bind(5, r.due_at)
        .run();
}

std::optional<DueRow> SqlcipherStore::due(const std::string& subject, int trigger) {
    return db_.prepare("SELECT subject, trigger, since, done_after, due_at FROM retention_due "
                       "WHERE subject = ?1 AND trigger = ?2")
        .bind(1, subject)
        .bind(2, std::int64_t{trigger})
        .first(read_due);
}

std::vector<DueRow> SqlcipherStore::due_of(const std::string& subject) {
    Statement& st = db_.prepare(
        "SELECT subject, trigger, since, done_after, due_at FROM retention_due WHERE subject = ?1 ORDER BY trigger");
    st.bind(1, subject);
    return all(st, read_due);
}

void SqlcipherStore::delete_due(const std::string& subject, int trigger) {
    db_.prepare("DELETE FROM retention_due WHERE subject = ?1 AND trigger = ?2")
        .bind(1, subject)
        .bind(2, std::int64_t{trigger})
        .run();
}

std::vector<DueRow> SqlcipherStore::due_page(std::int64_t now, const DueRow& after, std::size_t limit) {
    // Row values need SQLite 3.15; spelled out, the keyset stays an index range.
    Statement& st = db_.prepare(
        "SELECT subject, trigger, since, done_after, due_at FROM retention_due "
        "WHERE due_at <= ?1 AND (due_at > ?2 OR (due_at = ?2 AND (subject > ?3 OR (subject = ?3 AND trigger > ?4)))) "
        "ORDER BY due_at, subject, trigger LIMIT ?5");
    st.bind(1, now).bind(2, after.due_at).bind(3, after.subject).bind(4, std::int64_t{after.trigger});
    st.bind(5, static_cast<std::int64_t>(limit));
    return all(st, read_due);
}

std::int64_t SqlcipherStore::count_due(std::int64_t now) {
    return db_.prepare("SELECT count(*) FROM retention_due WHERE due_at <= ?1").bind(1, now).scalar();
}

std::vector<DueRow> SqlcipherStore::due_rows_after(const std::string& subject, int trigger, std::size_t limit) {
    Statement& st = db_.prepare(
        "SELECT subject, trigger, since, done_after, due_at FROM retention_due "
        "WHERE subject > ?1 OR (subject = ?1 AND trigger > ?2) ORDER BY subject, trigger LIMIT ?3");
    st.bind(1, subject).bind(2, std::int64_t{trigger}).bind(3, static_cast<std::int64_t>(limit));
    return all(st, read_due);
}

// ---- holds

void SqlcipherStore::insert_hold(const HoldRow& r) {
    Statement& st = db_.prepare("INSERT INTO holds(" HOLD_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    bind_hold(st, r);
    st.run();
}

void SqlcipherStore::update_hold(const HoldRow& r) {
    Statement& st = db_.prepare(
        "UPDATE OR FAIL holds SET scope = ?2, target = ?3, subject = ?4, authority = ?5, reference = ?6, state = ?7, "
        "placed_at = ?8, expires_at = ?9, extensions = ?10, process = ?11, process_reference = ?12, "
        "process_at = ?13, ended_at = ?14, confidential = ?15 WHERE id = ?1");
    bind_hold(st, r);
    st.run();
}

std::optional<HoldRow> SqlcipherStore::hold(const std::string& id) {
    return db_.prepare("SELECT " HOLD_COLUMNS " FROM holds WHERE id = ?1").bind(1, id).first(read_hold);
}

std::vector<HoldRow> SqlcipherStore::holds(const std::optional<std::string>& subject) {
    if (!subject) return all(db_.prepare("SELECT " HOLD_COLUMNS " FROM holds ORDER BY subject, id"), read_hold);
    Statement& st = db_.prepare("SELECT " HOLD_COLUMNS " FROM holds WHERE subject = ?1 ORDER BY id");
    st.bind(1, *subject);
    return all(st, read_hold);
}

std::vector<HoldRow> SqlcipherStore::holds_expiring(int state, std::int64_t now) {
    Statement& st =
        db_.prepare("SELECT " HOLD_COLUMNS " FROM holds WHERE state = ?1 AND expires_at <= ?2 ORDER BY expires_at, id");
    st.bind(1, std::int64_t{state}).bind(2, now);
    return all(st, read_hold);
}

// ---- receipts, ledger, catalog

void SqlcipherStore::insert_receipt(const ReceiptRow& r) {
    db_.prepare("INSERT INTO deletion_receipts(id, subject_ref, trigger, rules, counts, at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, r.id)
        .bind(2, r.subject_ref)
        .bind(3, std::int64_t{r.trigger})
        .bind(4, r.rules)
        .bind(5, r.counts)
        .bind(6, r.at)
        .run();
}

void SqlcipherStore::put_receipt(const ReceiptRow& r) {
    db_.prepare("INSERT OR IGNORE INTO deletion_receipts(id, subject_ref, trigger, rules, counts, at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, r.id)
        .bind(2, r.subject_ref)
        .bind(3, std::int64_t{r.trigger})
        .bind(4, r.rules)
        .bind(5, r.counts)
        .bind(6, r.at)
        .run();
}

std::vector<ReceiptRow> SqlcipherStore::receipts_by_ref(const std::string& subject_ref) {
    Statement& st = db_.prepare("SELECT id, subject_ref, trigger, rules, counts, at FROM deletion_receipts "
                                "WHERE subject_ref = ?1 ORDER BY id");
    st.bind(1, subject_ref);
    return all(st, read_receipt);
}

std::vector<ReceiptRow> SqlcipherStore::receipts_after(const std::string& after_id, std::size_t limit) {
    Statement& st = db_.prepare("SELECT id, subject_ref, trigger, rules, counts, at FROM deletion_receipts "
                                "WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
    return all(st, read_receipt);
}

std::int64_t SqlcipherStore::append_ledger(const LedgerRow& r) {
    db_.prepare("INSERT INTO erasure_ledger(subject, trigger, actions, at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, r.subject)
        .bind(2, std::int64_t{r.trigger})
        .bind(3, r.actions)
        .bind(4, r.at)
        .run();
    return sqlite3_last_insert_rowid(db_.handle());
}

void SqlcipherStore::insert_ledger(const LedgerRow& r) {
    db_.prepare("INSERT OR REPLACE INTO erasure_ledger(seq, subject, trigger, actions, at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, r.seq)
        .bind(2, r.subject)
        .bind(3, std::int64_t{r.trigger})
        .bind(4, r.actions)
        .bind(5, r.at)
        .run();
}

std::vector<LedgerRow> SqlcipherStore::ledger_after(std::int64_t seq) {
    Statement& st =
        db_.prepare("SELECT seq, subject, trigger, actions, at FROM erasure_ledger WHERE seq > ?1 ORDER BY seq");
    st.bind(1, seq);
    return all(st, read_ledger);
}

bool SqlcipherStore::has_ledger(std::int64_t seq) {
    return db_.prepare("SELECT count(*) FROM erasure_ledger WHERE seq = ?1").bind(1, seq).scalar() > 0;
}

void SqlcipherStore::insert_backup(const BackupRow& r) {
    db_.prepare("INSERT INTO backups(id, path, taken_at, size, sha256, removed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, r.id)
        .bind(2, r.path)
        .bind(3, r.taken_at)
        .bind(4, r.size)
        .bind(5, r.sha256)
        .bind(6, r.removed_at)
        .run();
}

void SqlcipherStore::update_backup(const BackupRow& r) {
    db_.prepare("UPDATE OR FAIL backups SET removed_at = ?2 WHERE id = ?1").bind(1, r.id).bind(2, r.removed_at).run();
}

std::vector<BackupRow> SqlcipherStore::backups(bool include_removed) {
    Statement& st = db_.prepare("SELECT id, path, taken_at, size, sha256, removed_at FROM backups "
                                "WHERE ?1 OR removed_at = 0 ORDER BY taken_at, id");
    st.bind(1, static_cast<std::int64_t>(include_removed ? 1 : 0));
    return all(st, read_backup_row);
}

void SqlcipherStore::delete_all_backups() { db_.exec("DELETE FROM backups", "clearing the backup catalog"); }

// ---- record deletions

Store::SubjectCounts SqlcipherStore::count_subject_records(const std::string& subject) {
    Statement& st = db_.prepare(
        "SELECT (SELECT count(*) FROM cases WHERE subject = ?1), "
        "(SELECT count(*) FROM messages WHERE subject = ?1 AND channel <> 4), "
        "(SELECT count(*) FROM messages WHERE subject = ?1 AND channel = 4), "
        "(SELECT count(*) FROM payments WHERE subject = ?1 AND minimized_at = 0), "
        "(SELECT count(*) FROM posts WHERE author = ?1), "
        "(SELECT count(*) FROM consent_events WHERE subject = ?1)");
    st.bind(1, subject);
    SubjectCounts c;
    if (st.step()) {
        c.cases = st.int64(0);
        c.messages = st.int64(1);
        c.surveys = st.int64(2);
        c.payments = st.int64(3);
        c.posts = st.int64(4);
        c.consents = st.int64(5);
    }
    st.reset();
    return c;
}

void SqlcipherStore::delete_case(const std::string& id) {
    db_.prepare("DELETE FROM case_status WHERE case_id = ?1").bind(1, id).run();
    db_.prepare("DELETE FROM case_documents WHERE case_id = ?1").bind(1, id).run();
    db_.prepare("DELETE FROM case_assignments WHERE case_id = ?1").bind(1, id).run();
    db_.prepare("DELETE FROM cases WHERE id = ?1").bind(1, id).run();
}

std::int64_t SqlcipherStore::delete_messages_of(const std::string& subject, bool survey,
                                               const std::vector<std::string>& keep_cases) {
    // keep_cases as ",id,id," so one prepared statement serves any list.
    std::string keep = ",";
    for (const auto& c : keep_cases) keep += c + ",";
    db_.prepare("DELETE FROM messages WHERE subject = ?1 AND (channel = 4) = ?2 "
                "AND (case_id IS NULL OR instr(?3, ',' || case_id || ',') = 0)")
        .bind(1, subject)
        .bind(2, static_cast<std::int64_t>(survey ? 1 : 0))
        .bind(3, keep)
        .run();
    return sqlite3_changes(db_.handle());
}

void SqlcipherStore::update_payment(const PaymentRow& r) {
    Statement& st = db_.prepare(
        "UPDATE OR FAIL payments SET card_brand = ?2, last4 = ?3, billing_address = ?4, processor_ref = ?5, "
        "recurring = ?6, minimized_at = ?7, amount_minor = ?8, currency = ?9, paid_at = ?10, billing_state = ?11, "
        "tax_exemption = ?12 WHERE id = ?1");
    st.bind(1, r.id).bind(2, r.card_brand).bind(3, r.last4).bind(4, r.billing_address).bind(5, r.processor_ref);
    st.bind(6, static_cast<std::int64_t>(r.recurring ? 1 : 0)).bind(7, r.minimized_at).bind(8, r.amount_minor);
    st.bind(9, r.currency).bind(10, r.paid_at).bind(11, r.billing_state).bind(12, r.tax_exemption).run();
}

void SqlcipherStore::delete_payment(const std::string& id) {
    db_.prepare("DELETE FROM payments WHERE id = ?1").bind(1, id).run();
}

std::int64_t SqlcipherStore::count_posts_of(const std::string& author) {
    return db_.prepare("SELECT count(*) FROM posts WHERE author = ?1").bind(1, author).scalar();
}

void SqlcipherStore::anonymize_posts_of(const std::string& author) {
    db_.prepare("UPDATE OR FAIL posts SET author = NULL WHERE author = ?1").bind(1, author).run();
}

void SqlcipherStore::delete_posts_of(const std::string& author) {
    db_.prepare("DELETE FROM posts WHERE author = ?1").bind(1, author).run();
}

// ---- checkpoints

void SqlcipherStore::set_autocheckpoint(int pages) {
    const int rc = sqlite3_wal_autocheckpoint(db_.handle(), pages);
    if (rc != SQLITE_OK) throw_sqlite(db_.handle(), rc, "setting the checkpoint threshold");
}

void SqlcipherStore::checkpoint() {
    const int rc = sqlite3_wal_checkpoint_v2(db_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) throw_sqlite(db_.handle(), rc, "checkpointing");
}

// ---- backup and restore

void SqlcipherStore::backup_to(const std::string& path, const crypto::SecretBytes& page_key,
                               const unsigned char salt[kFileSaltBytes],
                               const std::vector<std::pair<std::string, std::string>>& meta,
                               const std::function<bool(std::int64_t, std::int64_t)>& progress) {
    // O_EXCL: never overwrite a file, not even a stale backup.
    if (!create_exclusive(path, 0600)) fail(Errc::invalid_argument, "the backup path exists already");
    try {
        Database to;
        open_keyed(to, path, SQLITE_OPEN_READWRITE, page_key, salt, cipher_major_);
        copy_pages(to, db_, progress, "writing the backup");
        // The copy is in WAL mode like its source; fold everything into the
        // one file so it is complete on its own.
        Transaction tx(to);
        for (const auto& [k, v] : meta) {
            Statement st(to.handle(), "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)");
            st.bind(1, k).bind(2, v).run();
        }
        tx.commit();
        to.exec("PRAGMA journal_mode = DELETE", "closing the backup's journal");
        to.close();
    } catch (...) {
        remove_store_files(path);
        throw;
    }
}

SqlcipherStore::BackupFacts SqlcipherStore::read_backup(const std::string& path, const crypto::SecretBytes& page_key,
                                                        const unsigned char salt[kFileSaltBytes]) {
    const int major = cipher_major(require_codec());
    Database db;
    open_keyed(db, path, SQLITE_OPEN_READONLY, page_key, salt, major);
    const int rc = sqlite3_exec(db.handle(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
            fail(Errc::wrong_key, "the backup does not open with this store's key");
        }
        throw_sqlite(db.handle(), rc, "reading the backup");
    }
    // The whole file must be sound before it may replace the store.
    {
        Statement check(db.handle(), "PRAGMA quick_check");
        std::string first;
        while (check.step()) {
            if (first.empty()) first = check.text(0);
        }
        if (first != "ok") fail(Errc::corrupt, "the backup failed its integrity check: " + first);
    }
    BackupFacts f;
    auto meta_of = [&](const char* key) -> std::optional<std::string> {
        Statement st(db.handle(), "SELECT value FROM meta WHERE key = ?1");
        st.bind(1, std::string(key));
        return st.first([](const Statement& s) { return s.text(0); });
    };
    f.taken_at = meta_of("backup.taken_at");
    f.backup_id = meta_of("backup.id");
    Statement has(db.handle(), "SELECT count(*) FROM sqlite_master WHERE name = 'erasure_ledger'");
    if (has.scalar() > 0) {
        Statement st(db.handle(), "SELECT coalesce(max(seq), 0) FROM erasure_ledger");
        f.ledger_seq = st.scalar();
    }
    return f;
}

void SqlcipherStore::restore_from(const std::string& path, const crypto::SecretBytes& page_key,
                                  const unsigned char salt[kFileSaltBytes],
                                  const std::function<bool(std::int64_t, std::int64_t)>& progress) {
    Database from;
    open_keyed(from, path, SQLITE_OPEN_READONLY, page_key, salt, cipher_major_);
    copy_pages(db_, from, progress, "restoring the backup");
    db_.exec("PRAGMA journal_mode = WAL", "keeping WAL mode");
}

}  // namespace casevault::store

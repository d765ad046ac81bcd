// SqlcipherStore: principals, case assignments, cases and their history and
// documents, messages, payments, posts and activity (schema migration 3).
#include <cstring>

#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {

namespace {

Statement& bind_text_or_null(Statement& st, int i, const std::optional<std::string>& v) {
    return v ? st.bind(i, *v) : st.bind_null(i);
}

std::optional<std::string> text_or_null(const Statement& st, int col) {
    if (st.is_null(col)) return std::nullopt;
    return st.text(col);
}

#define CASE_COLUMNS \
    "id, subject, form_type, receipt, receipt_bidx, questionnaire, status, status_at, created_at, updated_at"

CaseRow read_case(const Statement& st) {
    CaseRow r;
    r.id = st.text(0);
    r.subject = st.text(1);
    r.form_type = st.text(2);
    r.receipt = st.blob_or_null(3);
    r.receipt_bidx = st.blob_or_null(4);
    r.questionnaire = st.blob_or_null(5);
    r.status = text_or_null(st, 6);
    r.status_at = st.is_null(7) ? 0 : st.int64(7);
    r.created_at = st.int64(8);
    r.updated_at = st.int64(9);
    return r;
}

void bind_case(Statement& st, const CaseRow& r) {
    st.bind(1, r.id).bind(2, r.subject).bind(3, r.form_type).bind(4, r.receipt).bind(5, r.receipt_bidx);
    st.bind(6, r.questionnaire);
    bind_text_or_null(st, 7, r.status);
    if (r.status) {
        st.bind(8, r.status_at);
    } else {
        st.bind_null(8);
    }
    st.bind(9, r.created_at).bind(10, r.updated_at);
}

void run_case_write(Statement& st) {
    try {
        st.run();
    } catch (const Error& e) {
        if (e.code() == Errc::duplicate && std::strstr(sqlite3_errmsg(st.db()), "receipt_bidx")) {
            fail(Errc::duplicate, "a case with this receipt number is already tracked");
        }
        throw;
    }
}

CaseStatusRow read_status(const Statement& st) {
    CaseStatusRow r;
    r.seq = st.int64(0);
    r.case_id = st.text(1);
    r.status = st.text(2);
    r.source = st.text(3);
    r.at = st.int64(4);
    r.detail = st.blob_or_null(5);
    return r;
}

DocumentRow read_document(const Statement& st) {
    DocumentRow r;
    r.id = st.text(0);
    r.case_id = st.text(1);
    r.name = st.blob(2);
    r.kind = st.text(3);
    r.size = st.int64(4);
    r.sha256 = st.blob(5);
    r.added_at = st.int64(6);
    return r;
}

#define MESSAGE_COLUMNS \
    "id, subject, case_id, channel, direction, at, recorded_at, subject_line, body, sender, sender_bidx, foreign_sender"

MessageRow read_message(const Statement& st) {
    MessageRow r;
    r.id = st.text(0);
    r.subject = st.text(1);
    r.case_id = text_or_null(st, 2);
    r.channel = static_cast<int>(st.int64(3));
    r.direction = static_cast<int>(st.int64(4));
    r.at = st.int64(5);
    r.recorded_at = st.int64(6);
    r.subject_line = st.blob_or_null(7);
    r.body = st.blob(8);
    r.sender = st.blob_or_null(9);
    r.sender_bidx = st.blob_or_null(10);
    r.foreign_sender = st.int64(11) != 0;
    return r;
}

#define PAYMENT_COLUMNS                                                                                    \
    "id, subject, amount_minor, currency, paid_at, card_brand, last4, billing_address, processor_ref, " \
    "recurring, recorded_at, minimized_at, billing_state, tax_exemption"

PaymentRow read_payment(const Statement& st) {
    PaymentRow r;
    r.id = st.text(0);
    r.subject = st.text(1);
    r.amount_minor = st.int64(2);
    r.currency = st.text(3);
    r.paid_at = st.int64(4);
    r.card_brand = st.text(5);
    r.last4 = st.blob(6);
    r.billing_address = st.blob_or_null(7);
    r.processor_ref = st.blob_or_null(8);
    r.recurring = st.int64(9) != 0;
    r.recorded_at = st.int64(10);
    r.minimized_at = st.int64(11);
    r.billing_state = st.text(12);
    r.tax_exemption = st.blob_or_null(13);
    return r;
}

PostRow read_post(const Statement& st) {
    return PostRow{st.text(0), text_or_null(st, 1), st.text(2), st.text(3), st.int64(4)};
}

PrincipalRow read_principal(const Statement& st) {
    return PrincipalRow{st.text(0), static_cast<int>(st.int64(1)), st.int64(2), st.int64(3) != 0};
}

}  // namespace

// ---- principals and assignments

void SqlcipherStore::insert_principal(const PrincipalRow& r) {
    db_.prepare("INSERT INTO principals(id, role, created_at, active) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, r.id)
        .bind(2, static_cast<std::int64_t>(r.role))
        .bind(3, r.created_at)
        .bind(4, static_cast<std::int64_t>(r.active ? 1 : 0))
        .run();
}

std::optional<PrincipalRow> SqlcipherStore::principal(const std::string& id) {
    return db_.prepare("SELECT id, role, created_at, active FROM principals WHERE id = ?1")
        .bind(1, id)
        .first(read_principal);
}

std::vector<PrincipalRow> SqlcipherStore::principals() {
    return all(db_.prepare("SELECT id, role, created_at, active FROM principals ORDER BY id"), read_principal);
}

void SqlcipherStore::set_principal_active(const std::string& id, bool active) {
    db_.prepare("UPDATE OR FAIL principals SET active = ?2 WHERE id = ?1")
        .bind(1, id)
        .bind(2, static_cast<std::int64_t>(active ? 1 : 0))
        .run();
}

bool SqlcipherStore::insert_assignment(const std::string& case_id, const std::string& principal, std::int64_t at) {
    db_.prepare("INSERT OR IGNORE INTO case_assignments(case_id, principal, assigned_at) VALUES (?1, ?2, ?3)")
        .bind(1, case_id)
        .bind(2, principal)
        .bind(3, at)
        .run();
    return sqlite3_changes(db_.handle()) == 1;
}

bool SqlcipherStore::delete_assignment(const std::string& case_id, const std::string& principal) {
    db_.prepare("DELETE FROM case_assignments WHERE case_id = ?1 AND principal = ?2")
        .bind(1, case_id)
        .bind(2, principal)
        .run();
    return sqlite3_changes(db_.handle()) == 1;
}

bool SqlcipherStore::assigned(const std::string& case_id, const std::string& principal) {
    return db_.prepare("SELECT 1 FROM case_assignments WHERE case_id = ?1 AND principal = ?2")
        .bind(1, case_id)
        .bind(2, principal)
        .first([](const Statement&) { return true; })
        .has_value();
}

std::vector<std::string> SqlcipherStore::assignees(const std::string& case_id) {
    Statement& st = db_.prepare("SELECT principal FROM case_assignments WHERE case_id = ?1 ORDER BY principal");
    st.bind(1, case_id);
    return all(st, [](const Statement& s) { return s.text(0); });
}

// ---- cases

void SqlcipherStore::insert_case(const CaseRow& r) {
    Statement& st = db_.prepare("INSERT INTO cases(" CASE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    bind_case(st, r);
    run_case_write(st);
}

void SqlcipherStore::update_case(const CaseRow& r) {
    Statement& st = db_.prepare(
        "UPDATE OR FAIL cases SET subject = ?2, form_type = ?3, receipt = ?4, receipt_bidx = ?5, questionnaire = ?6, "
        "status = ?7, status_at = ?8, created_at = ?9, updated_at = ?10 WHERE id = ?1");
    bind_case(st, r);
    run_case_write(st);
    if (sqlite3_changes(db_.handle()) != 1) fail(Errc::not_found, "no case with this id");
}

std::optional<CaseRow> SqlcipherStore::case_row(const std::string& id) {
    return db_.prepare("SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1").bind(1, id).first(read_case);
}

std::optional<CaseRow> SqlcipherStore::case_by_receipt(const Bytes& digest) {
    return db_.prepare("SELECT " CASE_COLUMNS " FROM cases WHERE receipt_bidx = ?1").bind(1, digest).first(read_case);
}

std::vector<CaseRow> SqlcipherStore::cases_of(const std::string& subject) {
    Statement& st = db_.prepare("SELECT " CASE_COLUMNS " FROM cases WHERE subject = ?1 ORDER BY id");
    st.bind(1, subject);
    return all(st, read_case);
}

std::vector<CaseRow> SqlcipherStore::cases_after(const std::string& after_id, std::size_t limit) {
    Statement& st = db_.prepare("SELECT " CASE_COLUMNS " FROM cases WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
    return all(st, read_case);
}

void SqlcipherStore::set_case_receipt_index(const std::string& id, const std::optional<Bytes>& digest) {
    Statement& st = db_.prepare("UPDATE OR FAIL cases SET receipt_bidx = ?2 WHERE id = ?1");
    st.bind(1, id).bind(2, digest);
    run_case_write(st);
}

std::int64_t SqlcipherStore::count_cases() { return db_.prepare("SELECT count(*) FROM cases").scalar(); }

std::int64_t SqlcipherStore::append_case_status(const CaseStatusRow& r) {
    db_.prepare("INSERT INTO case_status(case_id, status, source, at, detail) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, r.case_id)
        .bind(2, r.status)
        .bind(3, r.source)
        .bind(4, r.at)
        .bind(5, r.detail)
        .run();
    return sqlite3_last_insert_rowid(db_.handle());
}

void SqlcipherStore::set_case_status_detail(std::int64_t seq, const Bytes& detail) {
    db_.prepare("UPDATE OR FAIL case_status SET detail = ?2 WHERE seq = ?1").bind(1, seq).bind(2, detail).run();
}

std::vector<CaseStatusRow> SqlcipherStore::case_history(const std::string& case_id) {
    Statement& st = db_.prepare(
        "SELECT seq, case_id, status, source, at, detail FROM case_status WHERE case_id = ?1 ORDER BY at, seq");
    st.bind(1, case_id);
    return all(st, read_status);
}

std::optional<CaseStatusRow> SqlcipherStore::latest_case_status(const std::string& case_id) {
    return db_.prepare("SELECT seq, case_id, status, source, at, detail FROM case_status WHERE case_id = ?1 "
                       "ORDER BY at DESC, seq DESC LIMIT 1")
        .bind(1, case_id)
        .first(read_status);
}

std::optional<CaseStatusRow> SqlcipherStore::case_status(std::int64_t seq) {
    return db_.prepare("SELECT seq, case_id, status, source, at, detail FROM case_status WHERE seq = ?1")
        .bind(1, seq)
        .first(read_status);
}

void SqlcipherStore::insert_document(const DocumentRow& r) {
    db_.prepare("INSERT INTO case_documents(id, case_id, name, kind, size, sha256, added_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, r.id)
        .bind(2, r.case_id)
        .bind(3, r.name)
        .bind(4, r.kind)
        .bind(5, r.size)
        .bind(6, r.sha256)
        .bind(7, r.added_at)
        .run();
}

std::optional<DocumentRow> SqlcipherStore::document(const std::string& id) {
    return db_.prepare("SELECT id, case_id, name, kind, size, sha256, added_at FROM case_documents WHERE id = ?1")
        .bind(1, id)
        .first(read_document);
}

std::vector<DocumentRow> SqlcipherStore::documents(const std::string& case_id) {
    Statement& st = db_.prepare(
        "SELECT id, case_id, name, kind, size, sha256, added_at FROM case_documents WHERE case_id = ?1 ORDER BY id");
    st.bind(1, case_id);
    return all(st, read_document);
}

void SqlcipherStore::delete_document(const std::string& id) {
    db_.prepare("DELETE FROM case_documents WHERE id = ?1").bind(1, id).run();
}

// ---- correspondence

void SqlcipherStore::insert_message(const MessageRow& r) {
    Statement& st = db_.prepare("INSERT INTO messages(" MESSAGE_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    st.bind(1, r.id).bind(2, r.subject);
    bind_text_or_null(st, 3, r.case_id);
    st.bind(4, static_cast<std::int64_t>(r.channel)).bind(5, static_cast<std::int64_t>(r.direction));
    st.bind(6, r.at).bind(7, r.recorded_at).bind(8, r.subject_line).bind(9, r.body).bind(10, r.sender);
    st.bind(11, r.sender_bidx).bind(12, static_cast<std::int64_t>(r.foreign_sender ? 1 : 0)).run();
}

std::optional<MessageRow> SqlcipherStore::message(const std::string& id) {
    return db_.prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?1").bind(1, id).first(read_message);
}

std::vector<MessageRow> SqlcipherStore::messages(const std::string& subject, const std::string& after_id,
                                                 std::size_t limit, const std::optional<std::string>& case_id) {
    Statement& st = case_id ? db_.prepare("SELECT " MESSAGE_COLUMNS
                                          " FROM messages WHERE subject = ?1 AND id > ?2 AND case_id = ?4 "
                                          "ORDER BY id LIMIT ?3")
                            : db_.prepare("SELECT " MESSAGE_COLUMNS
                                          " FROM messages WHERE subject = ?1 AND id > ?2 ORDER BY id LIMIT ?3");
    st.bind(1, subject).bind(2, after_id).bind(3, static_cast<std::int64_t>(limit));
    if (case_id) st.bind(4, *case_id);
    return all(st, read_message);
}

std::vector<MessageRow> SqlcipherStore::messages_after(const std::string& after_id, std::size_t limit) {
    Statement& st = db_.prepare("SELECT " MESSAGE_COLUMNS " FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
    return all(st, read_message);
}

void SqlcipherStore::set_message_sender_index(const std::string& id, const std::optional<Bytes>& digest) {
    db_.prepare("UPDATE OR FAIL messages SET sender_bidx = ?2 WHERE id = ?1").bind(1, id).bind(2, digest).run();
}

void SqlcipherStore::forget_sender(const Bytes& digest) {
    db_.prepare("UPDATE OR FAIL messages SET sender = NULL, sender_bidx = NULL, foreign_sender = 0 "
                "WHERE sender_bidx = ?1 AND foreign_sender = 1")
        .bind(1, digest)
        .run();
}

std::int64_t SqlcipherStore::count_messages() { return db_.prepare("SELECT count(*) FROM messages").scalar(); }

// ---- billing

void SqlcipherStore::insert_payment(const PaymentRow& r) {
    Statement& st = db_.prepare("INSERT INTO payments(" PAYMENT_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    st.bind(1, r.id).bind(2, r.subject).bind(3, r.amount_minor).bind(4, r.currency).bind(5, r.paid_at);
    st.bind(6, r.card_brand).bind(7, r.last4).bind(8, r.billing_address).bind(9, r.processor_ref);
    st.bind(10, static_cast<std::int64_t>(r.recurring ? 1 : 0)).bind(11, r.recorded_at).bind(12, r.minimized_at);
    st.bind(13, r.billing_state).bind(14, r.tax_exemption);
    st.run();
}

std::optional<PaymentRow> SqlcipherStore::payment(const std::string& id) {
    return db_.prepare("SELECT " PAYMENT_COLUMNS " FROM payments WHERE id = ?1").bind(1, id).first(read_payment);
}

std::vector<PaymentRow> SqlcipherStore::payments(const std::string& subject) {
    Statement& st = db_.prepare("SELECT " PAYMENT_COLUMNS " FROM payments WHERE subject = ?1 ORDER BY id");
    st.bind(1, subject);
    return all(st, read_payment);
}

// ---- posts

void SqlcipherStore::insert_post(const PostRow& r) {
    Statement& st = db_.prepare("INSERT INTO posts(id, author, title, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind(1, r.id);
    bind_text_or_null(st, 2, r.author);
    st.bind(3, r.title).bind(4, r.body).bind(5, r.created_at).run();
}

std::optional<PostRow> SqlcipherStore::post(const std::string& id) {
    return db_.prepare("SELECT id, author, title, body, created_at FROM posts WHERE id = ?1")
        .bind(1, id)
        .first(read_post);
}

std::vector<PostRow> SqlcipherStore::posts(const std::string& after_id, std::size_t limit,
                                           const std::optional<std::string>& author) {
    Statement& st = author ? db_.prepare("SELECT id, author, title, body, created_at FROM posts "
                                         "WHERE author = ?3 AND id > ?1 ORDER BY id LIMIT ?2")
                           : db_.prepare("SELECT id, author, title, body, created_at FROM posts "
                                         "WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
    if (author) st.bind(3, *author);
    return all(st, read_post);
}

void SqlcipherStore::delete_post(const std::string& id) {
    db_.prepare("DELETE FROM posts WHERE id = ?1").bind(1, id).run();
}

Store::RecordCounts SqlcipherStore::count_records() {
    RecordCounts c;
    c.principals = db_.prepare("SELECT count(*) FROM principals").scalar();
    c.cases = count_cases();
    c.messages = count_messages();
    c.payments = db_.prepare("SELECT count(*) FROM payments").scalar();
    c.posts = db_.prepare("SELECT count(*) FROM posts").scalar();
    return c;
}

// ---- activity

void SqlcipherStore::touch_activity(const std::string& subject, const std::string& kind, std::int64_t at) {
    // No UPSERT on SQLite 3.15: update the later time, insert if absent.
    db_.prepare("UPDATE OR FAIL activity SET at = max(at, ?3) WHERE subject = ?1 AND kind = ?2")
        .bind(1, subject)
        .bind(2, kind)
        .bind(3, at)
        .run();
    if (sqlite3_changes(db_.handle()) == 0) {
        db_.prepare("INSERT INTO activity(subject, kind, at) VALUES (?1, ?2, ?3)")
            .bind(1, subject)
            .bind(2, kind)
            .bind(3, at)
            .run();
    }
}

std::vector<std::pair<std::string, std::int64_t>> SqlcipherStore::activity(const std::string& subject) {
    Statement& st = db_.prepare("SELECT kind, at FROM activity WHERE subject = ?1 ORDER BY kind");
    st.bind(1, subject);
    return all(st, [](const Statement& s) { return std::make_pair(s.text(0), s.int64(1)); });
}

// ---- erasure

void SqlcipherStore::purge_subject(const std::string& subject, PostsOnErasure posts) {
    db_.prepare("DELETE FROM consent_events WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM consent_state WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM reconsent WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM outbox WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM case_status WHERE case_id IN (SELECT id FROM cases WHERE subject = ?1)")
        .bind(1, subject)
        .run();
    db_.prepare("DELETE FROM case_documents WHERE case_id IN (SELECT id FROM cases WHERE subject = ?1)")
        .bind(1, subject)
        .run();
    db_.prepare("DELETE FROM case_assignments WHERE case_id IN (SELECT id FROM cases WHERE subject = ?1)")
        .bind(1, subject)
        .run();
    db_.prepare("DELETE FROM cases WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM messages WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM payments WHERE subject = ?1 AND minimized_at = 0").bind(1, subject).run();
    db_.prepare("DELETE FROM activity WHERE subject = ?1").bind(1, subject).run();
    db_.prepare("DELETE FROM retention_due WHERE subject = ?1").bind(1, subject).run();
    if (posts == PostsOnErasure::anonymize) {
        db_.prepare("UPDATE OR FAIL posts SET author = NULL WHERE author = ?1").bind(1, subject).run();
    } else {
        db_.prepare("DELETE FROM posts WHERE author = ?1").bind(1, subject).run();
    }
}

}  // namespace casevault::store

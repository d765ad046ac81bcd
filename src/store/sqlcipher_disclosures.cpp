// SqlcipherStore: disclosures to third parties, the subprocessor registry,
// acquisition/merger transfers (schema migration 5), and the active-account
// pages a transfer notice walks.
#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {

namespace {

#define DISCLOSURE_COLUMNS                                                                                    \
    "id, subject, recipient, recipient_name, rule, kind, purpose, categories, fields, legal_basis, case_id, " \
    "subprocessor, process, process_reference, justification, hold_id, reference, at, notice, notice_at, "   \
    "notification_id, nondisclosure_ref, nondisclosure_until, lifted_at"

DisclosureRow read_disclosure(const Statement& st) {
    DisclosureRow r;
    r.id = st.text(0);
    r.subject = st.text(1);
    r.recipient = st.text(2);
    r.recipient_name = st.blob_or_null(3);
    r.rule = st.text(4);
    r.kind = st.text(5);
    r.purpose = st.text(6);
    r.categories = st.text(7);
    r.fields = st.text(8);
    r.legal_basis = static_cast<int>(st.int64(9));
    r.case_id = st.text(10);
    r.subprocessor = st.text(11);
    r.process = st.text(12);
    r.process_reference = st.blob_or_null(13);
    r.justification = st.blob_or_null(14);
    r.hold_id = st.text(15);
    r.reference = st.blob_or_null(16);
    r.at = st.int64(17);
    r.notice = static_cast<int>(st.int64(18));
    r.notice_at = st.int64(19);
    r.notification_id = st.int64(20);
    r.nondisclosure_ref = st.blob_or_null(21);
    r.nondisclosure_until = st.int64(22);
    r.lifted_at = st.int64(23);
    return r;
}

#define SUBPROCESSOR_COLUMNS "name, purpose, categories, location, added_at, retired_at"

SubprocessorRow read_subprocessor(const Statement& st) {
    return SubprocessorRow{st.text(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.int64(5)};
}

#define TRANSFER_COLUMNS "id, kind, counterparty, effective_at, announced_at, notified"

TransferRow read_transfer(const Statement& st) {
    TransferRow r;
    r.id = st.text(0);
    r.kind = static_cast<int>(st.int64(1));
    r.counterparty = st.text(2);
    r.effective_at = st.int64(3);
    r.announced_at = st.int64(4);
    r.notified = st.int64(5);
    return r;
}

}  // namespace

// ---- disclosures

void SqlcipherStore::insert_disclosure(const DisclosureRow& r) {
    Statement& st = db_.prepare("INSERT INTO disclosures(" DISCLOSURE_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                                "?18, ?19, ?20, ?21, ?22, ?23, ?24)");
    st.bind(1, r.id).bind(2, r.subject).bind(3, r.recipient).bind(4, r.recipient_name).bind(5, r.rule);
    st.bind(6, r.kind).bind(7, r.purpose).bind(8, r.categories).bind(9, r.fields);
    st.bind(10, std::int64_t{r.legal_basis}).bind(11, r.case_id).bind(12, r.subprocessor).bind(13, r.process);
    st.bind(14, r.process_reference).bind(15, r.justification).bind(16, r.hold_id).bind(17, r.reference);
    st.bind(18, r.at).bind(19, std::int64_t{r.notice}).bind(20, r.notice_at).bind(21, r.notification_id);
    st.bind(22, r.nondisclosure_ref).bind(23, r.nondisclosure_until).bind(24, r.lifted_at);
    st.run();
}

void SqlcipherStore::update_disclosure(const DisclosureRow& r) {
    // Only the notice's course changes after a disclosure is recorded.
    db_.prepare("UPDATE OR FAIL disclosures SET notice = ?2, notice_at = ?3, notification_id = ?4, lifted_at = ?5 "
                "WHERE id = ?1")
        .bind(1, r.id)
        .bind(2, std::int64_t{r.notice})
        .bind(3, r.notice_at)
        .bind(4, r.notification_id)
        .bind(5, r.lifted_at)
        .run();
}

std::optional<DisclosureRow> SqlcipherStore::disclosure(const std::string& id) {
    return db_.prepare("SELECT " DISCLOSURE_COLUMNS " FROM disclosures WHERE id = ?1")
        .bind(1, id)
        .first(read_disclosure);
}

std::vector<DisclosureRow> SqlcipherStore::disclosures(const std::optional<std::string>& subject) {
    // Two statements: "?1 IS NULL OR subject = ?1" would scan the table.
    if (!subject) {
        return all(db_.prepare("SELECT " DISCLOSURE_COLUMNS " FROM disclosures ORDER BY at, rowid"), read_disclosure);
    }
    Statement& st =
        db_.prepare("SELECT " DISCLOSURE_COLUMNS " FROM disclosures WHERE subject = ?1 ORDER BY at, rowid");
    st.bind(1, *subject);
    return all(st, read_disclosure);
}

// ---- subprocessors

void SqlcipherStore::insert_subprocessor(const SubprocessorRow& r) {
    Statement& st = db_.prepare("INSERT INTO subprocessors(" SUBPROCESSOR_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, r.name).bind(2, r.purpose).bind(3, r.categories).bind(4, r.location).bind(5, r.added_at);
    st.bind(6, r.retired_at);
    try {
        st.run();
    } catch (const Error& e) {
        if (e.code() == Errc::duplicate) fail(Errc::duplicate, "a subprocessor with this name is already registered");
        throw;
    }
}

void SqlcipherStore::update_subprocessor(const SubprocessorRow& r) {
    db_.prepare("UPDATE OR FAIL subprocessors SET purpose = ?2, categories = ?3, location = ?4, retired_at = ?5 "
                "WHERE name = ?1")
        .bind(1, r.name)
        .bind(2, r.purpose)
        .bind(3, r.categories)
        .bind(4, r.location)
        .bind(5, r.retired_at)
        .run();
}

std::optional<SubprocessorRow> SqlcipherStore::subprocessor(const std::string& name) {
    return db_.prepare("SELECT " SUBPROCESSOR_COLUMNS " FROM subprocessors WHERE name = ?1")
        .bind(1, name)
        .first(read_subprocessor);
}

std::vector<SubprocessorRow> SqlcipherStore::subprocessors() {
    return all(db_.prepare("SELECT " SUBPROCESSOR_COLUMNS " FROM subprocessors ORDER BY name"), read_subprocessor);
}

// ---- transfers

void SqlcipherStore::insert_transfer(const TransferRow& r) {
    Statement& st = db_.prepare("INSERT INTO transfers(" TRANSFER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, r.id).bind(2, std::int64_t{r.kind}).bind(3, r.counterparty).bind(4, r.effective_at);
    st.bind(5, r.announced_at).bind(6, r.notified).run();
}

void SqlcipherStore::update_transfer(const TransferRow& r) {
    db_.prepare("UPDATE OR FAIL transfers SET effective_at = ?2, notified = ?3 WHERE id = ?1")
        .bind(1, r.id)
        .bind(2, r.effective_at)
        .bind(3, r.notified)
        .run();
}

std::vector<TransferRow> SqlcipherStore::transfers() {
    return all(db_.prepare("SELECT " TRANSFER_COLUMNS " FROM transfers ORDER BY announced_at, id"), read_transfer);
}

// ---- accounts

std::vector<std::string> SqlcipherStore::active_account_ids(const std::string& after_id, std::size_t limit) {
    // Walks the primary key; status is read from the row, never a sealed column.
    Statement& st = db_.prepare("SELECT id FROM accounts WHERE id > ?1 AND status = ?2 ORDER BY id LIMIT ?3");
    st.bind(1, after_id).bind(2, std::int64_t{0} /* AccountStatus::active */).bind(3, static_cast<std::int64_t>(limit));
    return all(st, [](const Statement& s) { return s.text(0); });
}

}  // namespace casevault::store

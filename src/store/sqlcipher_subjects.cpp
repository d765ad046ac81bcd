// SqlcipherStore: what data-subject requests need beyond the record
// modules' own statements: rectification of messages, documents and status
// details in place, and a subject's audit entries read through the
// audit_by_subject index.
#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {

void SqlcipherStore::update_message(const MessageRow& r) {
    Statement& st = db_.prepare(
        "UPDATE OR FAIL messages SET case_id = ?2, channel = ?3, direction = ?4, at = ?5, recorded_at = ?6, "
        "subject_line = ?7, body = ?8, sender = ?9, sender_bidx = ?10, foreign_sender = ?11 WHERE id = ?1");
    st.bind(1, r.id);
    r.case_id ? st.bind(2, *r.case_id) : st.bind_null(2);
    st.bind(3, std::int64_t{r.channel}).bind(4, std::int64_t{r.direction}).bind(5, r.at).bind(6, r.recorded_at);
    st.bind(7, r.subject_line).bind(8, r.body).bind(9, r.sender).bind(10, r.sender_bidx);
    st.bind(11, static_cast<std::int64_t>(r.foreign_sender ? 1 : 0));
    st.run();
}

void SqlcipherStore::update_document(const DocumentRow& r) {
    db_.prepare("UPDATE OR FAIL case_documents SET name = ?2, kind = ?3, size = ?4, sha256 = ?5, added_at = ?6 "
                "WHERE id = ?1")
        .bind(1, r.id)
        .bind(2, r.name)
        .bind(3, r.kind)
        .bind(4, r.size)
        .bind(5, r.sha256)
        .bind(6, r.added_at)
        .run();
}

std::optional<CaseStatusRow> SqlcipherStore::case_status(std::int64_t seq) {
    return db_.prepare("SELECT seq, case_id, status, source, at, detail FROM case_status WHERE seq = ?1")
        .bind(1, seq)
        .first([](const Statement& st) {
            CaseStatusRow r;
            r.seq = st.int64(0);
            r.case_id = st.text(1);
            r.status = st.text(2);
            r.source = st.text(3);
            r.at = st.int64(4);
            r.detail = st.blob_or_null(5);
            return r;
        });
}

std::vector<AuditRow> SqlcipherStore::audit_of(const std::string& subject, std::int64_t after_seq, std::size_t limit) {
    // Its own statement: audit()'s optional filters keep SQLite from using
    // the (subject, seq) index, and an export must not scan the whole log.
    Statement& st = db_.prepare(
        "SELECT seq, at, actor, action, subject, target, outcome, reason, mac FROM audit "
        "WHERE subject = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    st.bind(1, subject).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
    std::vector<AuditRow> out;
    while (st.step()) {
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
        out.push_back(std::move(r));
    }
    st.reset();
    return out;
}

}  // namespace casevault::store

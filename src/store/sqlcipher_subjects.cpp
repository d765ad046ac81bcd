// SqlcipherStore: what data-subject requests need beyond the record
// modules' own statements: rectification of messages and documents in place.
// (A status step read by its seq is in sqlcipher_records.cpp, a subject's
// audit entries read through the audit_by_subject index in
// sqlcipher_store.cpp, next to the row readers they share.)
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

}  // namespace casevault::store

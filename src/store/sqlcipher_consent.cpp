// SqlcipherStore: policy versions, the consent ledger, re-consent and erasure
// requests, the notification outbox (schema migration 2).
#include <algorithm>

#include "store/sqlcipher_store.hpp"

namespace casevault::store {

namespace {

PolicyRow read_policy(const Statement& st) {
    return PolicyRow{st.int64(0), st.text(1), st.int64(2), st.text(3)};
}

ConsentStateRow read_state(const Statement& st) {
    ConsentStateRow r;
    r.subject = st.text(0);
    r.purpose = st.text(1);
    r.scope = st.text(2);
    r.action = static_cast<int>(st.int64(3));
    r.policy_version = st.int64(4);
    r.at = st.int64(5);
    r.expires_at = st.int64(6);
    return r;
}

ReconsentRow read_reconsent(const Statement& st) {
    return ReconsentRow{st.text(0), st.int64(1), st.text(2), st.int64(3)};
}


}  // namespace

void SqlcipherStore::insert_policy(const PolicyRow& r) {
    db_.prepare("INSERT INTO policies(version, hash, published_at, document) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, r.version)
        .bind(2, r.hash)
        .bind(3, r.published_at)
        .bind(4, r.document)
        .run();
}

std::optional<PolicyRow> SqlcipherStore::policy(std::int64_t version) {
    return db_.prepare("SELECT version, hash, published_at, document FROM policies WHERE version = ?1")
        .bind(1, version)
        .first(read_policy);
}

std::optional<PolicyRow> SqlcipherStore::latest_policy() {
    return db_.prepare("SELECT version, hash, published_at, document FROM policies ORDER BY version DESC LIMIT 1")
        .first(read_policy);
}

std::vector<PolicyRow> SqlcipherStore::policies() {
    Statement& st = db_.prepare("SELECT version, hash, published_at, document FROM policies ORDER BY version");
    std::vector<PolicyRow> out;
    while (st.step()) out.push_back(read_policy(st));
    st.reset();
    return out;
}

void SqlcipherStore::append_consent(const ConsentEventRow& r) {
    db_.prepare(
           "INSERT INTO consent_events(id, subject, purpose, scope, action, channel, policy_version, at, "
           "expires_at, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(1, r.id)
        .bind(2, r.subject)
        .bind(3, r.purpose)
        .bind(4, r.scope)
        .bind(5, std::int64_t{r.action})
        .bind(6, std::int64_t{r.channel})
        .bind(7, r.policy_version)
        .bind(8, r.at)
        .bind(9, r.expires_at)
        .bind(10, r.evidence)
        .run();
}

std::vector<ConsentEventRow> SqlcipherStore::consent_events(const std::string& subject) {
    Statement& st = db_.prepare(
        "SELECT seq, id, subject, purpose, scope, action, channel, policy_version, at, expires_at, evidence "
        "FROM consent_events WHERE subject = ?1 ORDER BY seq");
    st.bind(1, subject);
    std::vector<ConsentEventRow> out;
    while (st.step()) {
        ConsentEventRow r;
        r.seq = st.int64(0);
        r.id = st.text(1);
        r.subject = st.text(2);
        r.purpose = st.text(3);
        r.scope = st.text(4);
        r.action = static_cast<int>(st.int64(5));
        r.channel = static_cast<int>(st.int64(6));
        r.policy_version = st.int64(7);
        r.at = st.int64(8);
        r.expires_at = st.int64(9);
        r.evidence = st.blob_or_null(10);
        out.push_back(std::move(r));
    }
    st.reset();
    return out;
}

void SqlcipherStore::put_consent_state(const ConsentStateRow& r) {
    // UPDATE, then INSERT if there was no row. INSERT OR REPLACE (and a
    // plain UPDATE) make SQLite keep a statement journal, whose every page
    // SQLCipher encrypts: about three page encryptions per event, measured.
    // OR FAIL needs no statement journal; the row is one, found by its key.
    auto bind = [&r](Statement& st) -> Statement& {
        return st.bind(1, r.subject)
            .bind(2, r.purpose)
            .bind(3, r.scope)
            .bind(4, std::int64_t{r.action})
            .bind(5, r.policy_version)
            .bind(6, r.at)
            .bind(7, r.expires_at);
    };
    bind(db_.prepare("UPDATE OR FAIL consent_state SET action = ?4, policy_version = ?5, at = ?6, expires_at = ?7 "
                     "WHERE subject = ?1 AND purpose = ?2 AND scope = ?3"))
        .run();
    if (sqlite3_changes(db_.handle()) > 0) return;
    bind(db_.prepare("INSERT INTO consent_state(subject, purpose, scope, action, policy_version, at, expires_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))
        .run();
}

std::vector<ConsentStateRow> SqlcipherStore::consent_states(const std::string& subject) {
    Statement& st = db_.prepare(
        "SELECT subject, purpose, scope, action, policy_version, at, expires_at FROM consent_state "
        "WHERE subject = ?1 ORDER BY purpose, scope");
    st.bind(1, subject);
    std::vector<ConsentStateRow> out;
    while (st.step()) out.push_back(read_state(st));
    st.reset();
    return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> SqlcipherStore::grant_holders(
    const std::vector<std::string>& purposes, std::int64_t before_version) {
    // A scan in primary-key order (subject first): publishing is rare, and an
    // index by purpose would cost every recorded consent extra page writes.
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    Statement& st = db_.prepare(
        "SELECT subject, purpose FROM consent_state WHERE action = 1 AND policy_version < ?1 "
        "ORDER BY subject, purpose, scope");
    st.bind(1, before_version);
    while (st.step()) {
        std::string purpose = st.text(1);
        if (std::find(purposes.begin(), purposes.end(), purpose) == purposes.end()) continue;
        std::string subject = st.text(0);
        if (out.empty() || out.back().first != subject) out.emplace_back(std::move(subject), std::vector<std::string>{});
        // Rows come in (subject, purpose, scope) order: a purpose held in
        // several scopes arrives in a run and is listed once.
        auto& held = out.back().second;
        if (held.empty() || held.back() != purpose) held.push_back(std::move(purpose));
    }
    st.reset();
    return out;
}

void SqlcipherStore::put_reconsent(const ReconsentRow& r) {
    db_.prepare(
           "INSERT OR REPLACE INTO reconsent(subject, policy_version, purposes, requested_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, r.subject)
        .bind(2, r.policy_version)
        .bind(3, r.purposes)
        .bind(4, r.requested_at)
        .run();
}

void SqlcipherStore::delete_reconsent(const std::string& subject, std::int64_t policy_version) {
    db_.prepare("DELETE FROM reconsent WHERE subject = ?1 AND policy_version = ?2")
        .bind(1, subject)
        .bind(2, policy_version)
        .run();
}

std::vector<ReconsentRow> SqlcipherStore::reconsents(const std::string& subject) {
    Statement& st = db_.prepare(
        "SELECT subject, policy_version, purposes, requested_at FROM reconsent WHERE subject = ?1 "
        "ORDER BY policy_version");
    st.bind(1, subject);
    std::vector<ReconsentRow> out;
    while (st.step()) out.push_back(read_reconsent(st));
    st.reset();
    return out;
}

std::vector<ReconsentRow> SqlcipherStore::reconsents_all(std::size_t limit) {
    Statement& st = db_.prepare(
        "SELECT subject, policy_version, purposes, requested_at FROM reconsent ORDER BY subject, policy_version "
        "LIMIT ?1");
    st.bind(1, static_cast<std::int64_t>(limit));
    std::vector<ReconsentRow> out;
    while (st.step()) out.push_back(read_reconsent(st));
    st.reset();
    return out;
}


std::int64_t SqlcipherStore::insert_notification(const NotificationRow& r) {
    db_.prepare(
           "INSERT INTO outbox(kind, subject, payload, created_at, available_at, attempts) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, r.kind)
        .bind(2, r.subject)
        .bind(3, r.payload)
        .bind(4, r.created_at)
        .bind(5, r.available_at)
        .bind(6, std::int64_t{r.attempts})
        .run();
    return sqlite3_last_insert_rowid(db_.handle());
}

std::vector<NotificationRow> SqlcipherStore::notifications_available(std::int64_t now, std::size_t limit) {
    Statement& st = db_.prepare(
        "SELECT id, kind, subject, payload, created_at, available_at, attempts FROM outbox "
        "WHERE available_at <= ?1 ORDER BY available_at, id LIMIT ?2");
    st.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    std::vector<NotificationRow> out;
    while (st.step()) {
        NotificationRow r;
        r.id = st.int64(0);
        r.kind = st.text(1);
        r.subject = st.text(2);
        r.payload = st.text(3);
        r.created_at = st.int64(4);
        r.available_at = st.int64(5);
        r.attempts = static_cast<int>(st.int64(6));
        out.push_back(std::move(r));
    }
    st.reset();
    return out;
}

void SqlcipherStore::lease_notification(std::int64_t id, std::int64_t available_at, int attempts) {
    db_.prepare("UPDATE OR FAIL outbox SET available_at = ?2, attempts = ?3 WHERE id = ?1")
        .bind(1, id)
        .bind(2, available_at)
        .bind(3, std::int64_t{attempts})
        .run();
}

bool SqlcipherStore::delete_notification(std::int64_t id) {
    db_.prepare("DELETE FROM outbox WHERE id = ?1").bind(1, id).run();
    return sqlite3_changes(db_.handle()) > 0;
}

void SqlcipherStore::delete_notifications(const std::string& subject, const std::string& kind) {
    db_.prepare("DELETE FROM outbox WHERE subject = ?1 AND kind = ?2").bind(1, subject).bind(2, kind).run();
}

std::int64_t SqlcipherStore::count_notifications() { return db_.prepare("SELECT count(*) FROM outbox").scalar(); }

std::int64_t SqlcipherStore::data_version() { return db_.prepare("PRAGMA data_version").scalar(); }

std::int64_t SqlcipherStore::change_hint() {
    // Attached on first use: by then the connection has read the store in
    // WAL mode, so its wal-index is mapped. If it cannot be, every call
    // reports a change and the caller asks data_version().
    if (!wal_watch_.attached()) wal_watch_.attach(db_.handle());
    return wal_watch_.version();
}

}  // namespace casevault::store

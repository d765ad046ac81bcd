// The schema, as forward-only migrations. Migration N takes user_version N-1
// to N. Written for SQLite 3.15 (Debian's SQLCipher 3.4): no UPSERT,
// RETURNING, window functions or JSON1.
#include <string>

#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {

namespace {

const char* const kMigrations[] = {
    // 1: foundation: metadata, accounts (with each subject's wrapped data
    // key), audit chain. accounts keeps a rowid: the blind-index entries then
    // carry an 8-byte rowid instead of the 28-byte id, and since blind
    // digests land at random places, smaller index pages mean fewer pages
    // re-encrypted per commit. The id index is append-only (ids are
    // time-ordered).
    R"sql(
    CREATE TABLE meta(
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE accounts(
        id          TEXT PRIMARY KEY NOT NULL,
        status      INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        key_version INTEGER NOT NULL,
        data_key    BLOB,
        name        BLOB,
        email       BLOB,
        phone       BLOB,
        address     BLOB,
        company     BLOB,
        email_bidx  BLOB UNIQUE,
        phone_bidx  BLOB UNIQUE
    );
    CREATE TABLE audit(
        seq     INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        target  TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason  TEXT NOT NULL,
        mac     BLOB NOT NULL
    );
    CREATE INDEX audit_by_subject ON audit(subject, seq);
    )sql",

    // 2: policy versions, the consent ledger and its derived state,
    // re-consent and erasure requests, the notification outbox. Each index
    // costs every consent event its own page writes (and SQLCipher encrypts
    // per page), so there are only those a read path needs: no index on the
    // event id (nothing looks events up by it) and none on state by purpose
    // (only publishing a new version, a rare operation, scans for holders).
    R"sql(
    CREATE TABLE policies(
        version      INTEGER PRIMARY KEY,
        hash         TEXT NOT NULL,
        published_at INTEGER NOT NULL,
        document     TEXT NOT NULL
    );
    CREATE TABLE consent_events(
        seq            INTEGER PRIMARY KEY,
        id             TEXT NOT NULL,
        subject        TEXT NOT NULL,
        purpose        TEXT NOT NULL,
        scope          TEXT NOT NULL,
        action         INTEGER NOT NULL,
        channel        INTEGER NOT NULL,
        policy_version INTEGER NOT NULL,
        at             INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        evidence       BLOB
    );
    CREATE INDEX consent_events_by_subject ON consent_events(subject, seq);
    CREATE TABLE consent_state(
        subject        TEXT NOT NULL,
        purpose        TEXT NOT NULL,
        scope          TEXT NOT NULL,
        action         INTEGER NOT NULL,
        policy_version INTEGER NOT NULL,
        at             INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        PRIMARY KEY(subject, purpose, scope)
    ) WITHOUT ROWID;
    CREATE TABLE reconsent(
        subject        TEXT NOT NULL,
        policy_version INTEGER NOT NULL,
        purposes       TEXT NOT NULL,
        requested_at   INTEGER NOT NULL,
        PRIMARY KEY(subject, policy_version)
    ) WITHOUT ROWID;
    CREATE TABLE erasure_requests(
        id           TEXT PRIMARY KEY NOT NULL,
        subject      TEXT NOT NULL,
        reason       TEXT NOT NULL,
        channel      INTEGER NOT NULL,
        requested_at INTEGER NOT NULL,
        due_at       INTEGER NOT NULL,
        state        TEXT NOT NULL
    );
    CREATE INDEX erasure_requests_due ON erasure_requests(state, due_at);
    CREATE INDEX erasure_requests_by_subject ON erasure_requests(subject);
    CREATE TABLE outbox(
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        kind         TEXT NOT NULL,
        subject      TEXT NOT NULL,
        payload      TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        available_at INTEGER NOT NULL,
        attempts     INTEGER NOT NULL
    );
    CREATE INDEX outbox_available ON outbox(available_at, id);
    CREATE INDEX outbox_by_subject ON outbox(subject);
    )sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]); }

void migrate(Database& db, const MigrationProgress& progress) {
    Transaction tx(db);
    const int current = std::stoi(db.query_text("PRAGMA user_version", "reading the schema version").value_or("0"));
    const int latest = latest_schema_version();
    if (current > latest) {
        fail(Errc::unsupported, "the store has schema version " + std::to_string(current) +
                                    "; this casevault supports up to " + std::to_string(latest));
    }
    if (current == latest) return;  // rolls back the empty transaction
    const int steps = latest - current;
    auto report = [&](int done) {
        if (progress && !progress(done, steps)) fail(Errc::cancelled, "schema migration cancelled; nothing changed");
    };
    for (int v = current + 1; v <= latest; ++v) {
        report(v - current - 1);
        db.exec(kMigrations[v - 1], "applying a schema migration");
    }
    report(steps);
    db.exec(("PRAGMA user_version = " + std::to_string(latest)).c_str(), "recording the schema version");
    tx.commit();
}

}  // namespace casevault::store

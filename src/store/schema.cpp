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

    // 3: team access and the records of a case-tracking service. Sealed
    // columns hold XChaCha20-Poly1305 under the subject's data key; *_bidx
    // are blind indexes. Form type, status labels, amounts, currency and
    // card brand are in the clear (docs/security.md says why). Post bodies
    // are public content. Every record carries its subject, so erasure and
    // retention find it through an index. messages has no rowid: keyed by
    // its time-ordered id, a message is one B-tree insert at the right edge
    // plus its subject index entry (bulk imports are the heavy path). Only
    // messages whose sender is someone other than their subject (rare) are
    // indexed by sender: erasing that someone must find them.
    R"sql(
    CREATE TABLE principals(
        id         TEXT PRIMARY KEY NOT NULL,
        role       INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        active     INTEGER NOT NULL
    );
    CREATE TABLE cases(
        id            TEXT PRIMARY KEY NOT NULL,
        subject       TEXT NOT NULL,
        form_type     TEXT NOT NULL,
        receipt       BLOB,
        receipt_bidx  BLOB UNIQUE,
        questionnaire BLOB,
        status        TEXT,
        status_at     INTEGER,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
    );
    CREATE INDEX cases_by_subject ON cases(subject, id);
    CREATE TABLE case_assignments(
        case_id     TEXT NOT NULL,
        principal   TEXT NOT NULL,
        assigned_at INTEGER NOT NULL,
        PRIMARY KEY(case_id, principal)
    ) WITHOUT ROWID;
    CREATE TABLE case_status(
        seq     INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        status  TEXT NOT NULL,
        source  TEXT NOT NULL,
        at      INTEGER NOT NULL,
        detail  BLOB
    );
    CREATE INDEX case_status_by_case ON case_status(case_id, at, seq);
    CREATE TABLE case_documents(
        id       TEXT PRIMARY KEY NOT NULL,
        case_id  TEXT NOT NULL,
        name     BLOB NOT NULL,
        kind     TEXT NOT NULL,
        size     INTEGER NOT NULL,
        sha256   BLOB NOT NULL,
        added_at INTEGER NOT NULL
    );
    CREATE INDEX case_documents_by_case ON case_documents(case_id, id);
    CREATE TABLE messages(
        id           TEXT PRIMARY KEY NOT NULL,
        subject      TEXT NOT NULL,
        case_id      TEXT,
        channel      INTEGER NOT NULL,
        direction    INTEGER NOT NULL,
        at           INTEGER NOT NULL,
        recorded_at  INTEGER NOT NULL,
        subject_line BLOB,
        body         BLOB NOT NULL,
        sender       BLOB,
        sender_bidx  BLOB,
        foreign_sender INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX messages_by_subject ON messages(subject, id);
    CREATE INDEX messages_by_foreign_sender ON messages(sender_bidx) WHERE foreign_sender = 1;
    CREATE TABLE payments(
        id              TEXT PRIMARY KEY NOT NULL,
        subject         TEXT NOT NULL,
        amount_minor    INTEGER NOT NULL,
        currency        TEXT NOT NULL,
        paid_at         INTEGER NOT NULL,
        card_brand      TEXT NOT NULL,
        last4           BLOB NOT NULL,
        billing_address BLOB,
        processor_ref   BLOB,
        recurring       INTEGER NOT NULL,
        recorded_at     INTEGER NOT NULL
    );
    CREATE INDEX payments_by_subject ON payments(subject, id);
    CREATE TABLE posts(
        id         TEXT PRIMARY KEY NOT NULL,
        author     TEXT,
        title      TEXT NOT NULL,
        body       TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX posts_by_author ON posts(author, id);
    CREATE TABLE activity(
        subject TEXT NOT NULL,
        kind    TEXT NOT NULL,
        at      INTEGER NOT NULL,
        PRIMARY KEY(subject, kind)
    ) WITHOUT ROWID;
    )sql",
    // 4: the retention engine. Requests gain a kind, a trigger and a
    // confirmation code (only its keyed digest); the schedule holds one row
    // per subject and trigger, found by due time; holds, deletion receipts,
    // the erasure ledger (replayed after a restore) and the backup catalog.
    R"sql(
    ALTER TABLE erasure_requests ADD COLUMN kind INTEGER NOT NULL DEFAULT 2;
    ALTER TABLE erasure_requests ADD COLUMN trigger INTEGER NOT NULL DEFAULT 4;
    ALTER TABLE erasure_requests ADD COLUMN code_digest BLOB;
    ALTER TABLE erasure_requests ADD COLUMN confirm_by INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE erasure_requests ADD COLUMN done_at INTEGER NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX erasure_requests_by_code ON erasure_requests(code_digest)
        WHERE code_digest IS NOT NULL;
    CREATE INDEX erasure_requests_unconfirmed ON erasure_requests(confirm_by)
        WHERE state = 'awaiting_confirmation';
    CREATE TABLE retention_due(
        subject    TEXT NOT NULL,
        trigger    INTEGER NOT NULL,
        since      INTEGER NOT NULL,
        done_after INTEGER NOT NULL,
        due_at     INTEGER NOT NULL,
        PRIMARY KEY(subject, trigger)
    ) WITHOUT ROWID;
    CREATE INDEX retention_due_at ON retention_due(due_at, subject, trigger);
    CREATE TABLE holds(
        id                TEXT PRIMARY KEY NOT NULL,
        scope             INTEGER NOT NULL,
        target            TEXT NOT NULL,
        subject           TEXT NOT NULL,
        authority         TEXT NOT NULL,
        reference         BLOB NOT NULL,
        state             INTEGER NOT NULL,
        placed_at         INTEGER NOT NULL,
        expires_at        INTEGER NOT NULL,
        extensions        INTEGER NOT NULL,
        process           TEXT,
        process_reference BLOB,
        process_at        INTEGER NOT NULL,
        ended_at          INTEGER NOT NULL
    );
    CREATE INDEX holds_by_subject ON holds(subject, id);
    CREATE INDEX holds_by_state ON holds(state, expires_at);
    CREATE TABLE deletion_receipts(
        id          TEXT PRIMARY KEY NOT NULL,
        subject_ref TEXT NOT NULL,
        trigger     INTEGER NOT NULL,
        rules       TEXT NOT NULL,
        counts      TEXT NOT NULL,
        at          INTEGER NOT NULL
    );
    CREATE INDEX deletion_receipts_by_ref ON deletion_receipts(subject_ref, id);
    CREATE TABLE erasure_ledger(
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        trigger INTEGER NOT NULL,
        actions TEXT NOT NULL,
        at      INTEGER NOT NULL
    );
    CREATE TABLE backups(
        id         TEXT PRIMARY KEY NOT NULL,
        path       TEXT NOT NULL,
        taken_at   INTEGER NOT NULL,
        size       INTEGER NOT NULL,
        sha256     TEXT NOT NULL,
        removed_at INTEGER NOT NULL
    );
    CREATE INDEX backups_by_time ON backups(removed_at, taken_at);
    ALTER TABLE payments ADD COLUMN minimized_at INTEGER NOT NULL DEFAULT 0;
    INSERT OR IGNORE INTO retention_due(subject, trigger, since, done_after, due_at)
        SELECT subject, 4, requested_at, -1, due_at FROM erasure_requests WHERE state = 'pending';
    )sql",
    // 5: accountability. Disclosures to third parties (their references,
    // recipient names and justifications sealed under the retention key, so
    // the record outlives an erased subject), the subprocessor registry,
    // acquisition/merger transfers, confidential holds, the billing state
    // and tax exemption of a payment (the state in the clear, for the billing
    // aggregates), and covering indexes that let the de-identified aggregates
    // read index pages only.
    R"sql(
    CREATE TABLE disclosures(
        id                   TEXT PRIMARY KEY NOT NULL,
        subject              TEXT NOT NULL,
        recipient            TEXT NOT NULL,
        recipient_name       BLOB,
        rule                 TEXT NOT NULL,
        kind                 TEXT NOT NULL,
        purpose              TEXT NOT NULL,
        categories           TEXT NOT NULL,
        fields               TEXT NOT NULL,
        legal_basis          INTEGER NOT NULL,
        case_id              TEXT NOT NULL,
        subprocessor         TEXT NOT NULL,
        process              TEXT NOT NULL,
        process_reference    BLOB,
        justification        BLOB,
        hold_id              TEXT NOT NULL,
        reference            BLOB,
        at                   INTEGER NOT NULL,
        notice               INTEGER NOT NULL,
        notice_at            INTEGER NOT NULL,
        notification_id      INTEGER NOT NULL,
        nondisclosure_ref    BLOB,
        nondisclosure_until  INTEGER NOT NULL,
        lifted_at            INTEGER NOT NULL
    );
    CREATE INDEX disclosures_by_subject ON disclosures(subject, at, id);
    CREATE TABLE subprocessors(
        name       TEXT PRIMARY KEY NOT NULL,
        purpose    TEXT NOT NULL,
        categories TEXT NOT NULL,
        location   TEXT NOT NULL,
        added_at   INTEGER NOT NULL,
        retired_at INTEGER NOT NULL
    );
    CREATE TABLE transfers(
        id           TEXT PRIMARY KEY NOT NULL,
        kind         TEXT NOT NULL,
        counterparty TEXT NOT NULL,
        effective_at INTEGER NOT NULL,
        announced_at INTEGER NOT NULL,
        notified     INTEGER NOT NULL
    );
    ALTER TABLE holds ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE payments ADD COLUMN billing_state TEXT NOT NULL DEFAULT '';
    ALTER TABLE payments ADD COLUMN tax_exemption BLOB;
    CREATE INDEX cases_for_aggregates ON cases(form_type, status, created_at);
    CREATE INDEX accounts_for_aggregates ON accounts(status, created_at);
    CREATE INDEX payments_for_aggregates ON payments(currency, paid_at, billing_state, amount_minor);
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

/*
 * casevault.h — the C API of casevault, an encrypted store for immigration
 * case data that enforces its privacy policy.
 *
 * Conventions (the same for every function):
 *   - Functions return int: CASEVAULT_OK (0) on success or a negative
 *     CASEVAULT_E* code. The codes are frozen: a code keeps its number forever.
 *   - After a failure, casevault_last_error() returns a message for the calling
 *     thread. Messages never contain personal data.
 *   - Out-parameters come first. On failure they are set to NULL / 0.
 *   - Strings are UTF-8, NUL-terminated. Strings returned through char** are
 *     owned by the caller and released with casevault_free(), which wipes them
 *     first (they may hold personal data).
 *   - Structured records (accounts, audit entries, info, policy versions,
 *     consent events, notifications) are returned as JSON text: one stable,
 *     documented shape for every binding language, without a struct layout
 *     to freeze. The shapes are in docs/c-api.md. Readers must ignore keys
 *     they do not know.
 *   - Every *_free / *_close function accepts NULL.
 *   - Options structs carry a version field; initialise them with their
 *     _INIT macro and then set the fields you need.
 *   - A casevault handle may be used from several threads: calls are
 *     serialised inside the library. No C++ exception crosses this boundary.
 */
#ifndef CASEVAULT_H
#define CASEVAULT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(CASEVAULT_BUILDING)
#    define CASEVAULT_API __declspec(dllexport)
#  else
#    define CASEVAULT_API __declspec(dllimport)
#  endif
#else
#  define CASEVAULT_API __attribute__((visibility("default")))
#endif

/* ---- Versions ----------------------------------------------------------- */

#define CASEVAULT_VERSION_MAJOR 0
#define CASEVAULT_VERSION_MINOR 1
#define CASEVAULT_VERSION_PATCH 0
#define CASEVAULT_VERSION_STRING "0.1.0"
#define CASEVAULT_VERSION_NUMBER \
    (CASEVAULT_VERSION_MAJOR * 10000 + CASEVAULT_VERSION_MINOR * 100 + CASEVAULT_VERSION_PATCH)

/* The library's version at run time, e.g. "0.1.0". Static string. */
CASEVAULT_API const char *casevault_version(void);
/* CASEVAULT_VERSION_NUMBER of the library at run time. */
CASEVAULT_API int casevault_version_number(void);
/* The versions of the engines in use, as JSON:
 * {"casevault":"0.1.0","sqlcipher":"3.4.1","sqlite":"3.15.2","sodium":"1.0.18"}.
 * Release with casevault_free(). */
CASEVAULT_API int casevault_engine_versions(char **out_json);

/* ---- Errors ------------------------------------------------------------- */

#define CASEVAULT_OK 0
#define CASEVAULT_EINTERNAL -1     /* a bug or unexpected engine failure */
#define CASEVAULT_EINVAL -2        /* bad argument; nothing was changed */
#define CASEVAULT_ENOTFOUND -3     /* no such record */
#define CASEVAULT_EWRONGKEY -4     /* passphrase or key does not open this store */
#define CASEVAULT_ECORRUPT -5      /* not a casevault store, damaged or tampered with */
#define CASEVAULT_ELOCKED -6       /* the store is busy in another connection */
#define CASEVAULT_EDUPLICATE -7    /* a unique value (email, phone) is taken */
#define CASEVAULT_ENOCODEC -8      /* the SQLite in this process cannot encrypt */
#define CASEVAULT_EIO -9           /* the file system refused */
#define CASEVAULT_ECANCELLED -10   /* a progress callback stopped the operation */
#define CASEVAULT_ECLOSED -11      /* the handle was closed */
#define CASEVAULT_EACCESS -12      /* access denied (reserved) */
#define CASEVAULT_EUNSUPPORTED -13 /* store format from another casevault version */

/* The message of the last failure on this thread ("" if none). Valid until
 * the next casevault call on this thread. */
CASEVAULT_API const char *casevault_last_error(void);
/* The last failure's code on this thread (CASEVAULT_OK if none). */
CASEVAULT_API int casevault_last_error_code(void);
/* A stable short name for a code, e.g. "wrong_key". Static string. */
CASEVAULT_API const char *casevault_error_name(int code);

/* Releases a string returned by this library (wiping it first). NULL is ok. */
CASEVAULT_API void casevault_free(char *p);

/* ---- Opening a store ---------------------------------------------------- */

typedef struct casevault_vault casevault_vault; /* an open store; opaque */

/* Returns the current time as Unix seconds; ctx is the clock_ctx given. */
typedef int64_t (*casevault_clock_fn)(void *ctx);

/* Called during long operations. Return non-zero to continue, 0 to cancel. */
typedef int (*casevault_progress_fn)(const char *phase, int64_t done, int64_t total, void *ctx);

#define CASEVAULT_OPEN_OPTIONS_VERSION 1
typedef struct casevault_open_options {
    unsigned int version;         /* CASEVAULT_OPEN_OPTIONS_VERSION */
    const char *passphrase;       /* either this ... */
    const uint8_t *key;           /* ... or a raw key of key_len == 32 bytes */
    size_t key_len;
    int create_if_missing;        /* default 1 */
    unsigned int kdf_opslimit;    /* Argon2id for new stores; 0 = default */
    unsigned int kdf_memlimit_log2; /* memory 2^n bytes; 0 = default */
    int busy_timeout_ms;          /* default 5000 */
    const char *actor;            /* principal in audit entries; NULL = "host" */
    casevault_clock_fn clock;     /* NULL = system clock */
    void *clock_ctx;
    /* 1 (default): audit entries of reads are queued and written with the
     * next write, after 256 reads, before the log is read and at close (a
     * crash loses the queued ones). 0: each read writes its entry at once. */
    int batch_read_audit;
    /* 1: every commit is synced to disk (a power loss cannot undo a committed
     * erasure; each write costs an fsync). 0 (default): WAL with
     * synchronous=NORMAL, where a power loss may undo the last commits. */
    int durable;
    /* Reports schema migrations at open ("migrate", done, total); return 0
     * to cancel (CASEVAULT_ECANCELLED, store unchanged). NULL = none. */
    casevault_progress_fn progress;
    void *progress_ctx;
} casevault_open_options;

#define CASEVAULT_OPEN_OPTIONS_INIT \
    { CASEVAULT_OPEN_OPTIONS_VERSION, NULL, NULL, 0, 1, 0, 0, 5000, NULL, NULL, NULL, 1, 0, NULL, NULL }

/* Opens or creates the store at path. On success *out is a handle to release
 * with casevault_close(). The store fails closed: it is never created or
 * written unencrypted. */
CASEVAULT_API int casevault_open(casevault_vault **out, const char *path,
                                 const casevault_open_options *options);

/* Closes the store and wipes its keys. NULL is ok. */
CASEVAULT_API void casevault_close(casevault_vault *vault);

/* Store facts as JSON: versions, schema version, key mode, KDF parameters,
 * counts. Release with casevault_free(). */
CASEVAULT_API int casevault_info(char **out_json, casevault_vault *vault);

/* Reads and authenticates every page in use (tables and indexes) and checks
 * the B-trees. *out_pages (may be NULL) receives the page count. A damaged
 * or tampered page gives CASEVAULT_ECORRUPT. The audit chain is checked by
 * casevault_audit_verify. */
CASEVAULT_API int casevault_check_integrity(int64_t *out_pages, casevault_vault *vault);

/* Re-encrypts the store under a new passphrase (kdf 0 = keep/default) or a
 * new raw 32-byte key. The old secret stops working. progress may be NULL. */
CASEVAULT_API int casevault_change_passphrase(casevault_vault *vault, const char *new_passphrase,
                                              unsigned int kdf_opslimit,
                                              unsigned int kdf_memlimit_log2,
                                              casevault_progress_fn progress, void *progress_ctx);
CASEVAULT_API int casevault_change_key(casevault_vault *vault, const uint8_t *new_key, size_t key_len,
                                       casevault_progress_fn progress, void *progress_ctx);

/* ---- Accounts ----------------------------------------------------------- */

/* Account JSON shape:
 * {"id":"acc_...","status":"active","created_at":1700000000,"updated_at":1700000000,
 *  "name":"...","email":"..."|null,"phone":"..."|null,"address":"..."|null,"company":"..."|null}
 */

#define CASEVAULT_ACCOUNT_FIELDS_VERSION 1
typedef struct casevault_account_fields {
    unsigned int version;  /* CASEVAULT_ACCOUNT_FIELDS_VERSION */
    const char *name;      /* create: required; update: NULL = unchanged */
    const char *email;     /* NULL = none / unchanged; "" clears on update */
    const char *phone;     /* with country code: "+1 332 555 0101" */
    const char *address;
    const char *company;
} casevault_account_fields;

#define CASEVAULT_ACCOUNT_FIELDS_INIT { CASEVAULT_ACCOUNT_FIELDS_VERSION, NULL, NULL, NULL, NULL, NULL }

/* Creates an account; *out_id receives its id (casevault_free). */
CASEVAULT_API int casevault_account_create(char **out_id, casevault_vault *vault,
                                           const casevault_account_fields *fields);
/* Creates count accounts in one transaction (all or nothing). out_ids may be
 * NULL; otherwise it is an array of count char* that receive the ids. */
CASEVAULT_API int casevault_account_create_many(char **out_ids, casevault_vault *vault,
                                                const casevault_account_fields *fields,
                                                size_t count);
/* The account as JSON (casevault_free). CASEVAULT_ENOTFOUND if no such id. */
CASEVAULT_API int casevault_account_get(char **out_json, casevault_vault *vault, const char *id);
/* Finds by email / phone. Not finding is not an error: *out_json is NULL. */
CASEVAULT_API int casevault_account_find_by_email(char **out_json, casevault_vault *vault,
                                                  const char *email);
CASEVAULT_API int casevault_account_find_by_phone(char **out_json, casevault_vault *vault,
                                                  const char *phone);
/* Rectifies the fields that are non-NULL in update. */
CASEVAULT_API int casevault_account_update(casevault_vault *vault, const char *id,
                                           const casevault_account_fields *update);
/* status: "active", "cancelled" or "closed". */
CASEVAULT_API int casevault_account_set_status(casevault_vault *vault, const char *id,
                                               const char *status);
/* A page of accounts as JSON: {"items":[...],"next_cursor":"..."}.
 * after_id: "" or NULL for the first page; status: NULL for any. */
CASEVAULT_API int casevault_account_list(char **out_json, casevault_vault *vault, const char *after_id,
                                         size_t limit, const char *status);
CASEVAULT_API int casevault_account_count(int64_t *out_count, casevault_vault *vault,
                                          const char *status);
/* Crypto-shreds the account. */
CASEVAULT_API int casevault_account_erase(casevault_vault *vault, const char *id);

/* ---- Audit -------------------------------------------------------------- */

#define CASEVAULT_AUDIT_FILTER_VERSION 1
typedef struct casevault_audit_filter {
    unsigned int version;  /* CASEVAULT_AUDIT_FILTER_VERSION */
    const char *subject;   /* NULL = any */
    const char *actor;
    const char *action;    /* exact, or a prefix ending in '.' */
    int64_t since;         /* 0 = no lower bound */
    int64_t until;         /* 0 = no upper bound */
    int64_t after_seq;     /* paging */
    size_t limit;          /* 0 = 1000 */
} casevault_audit_filter;

#define CASEVAULT_AUDIT_FILTER_INIT { CASEVAULT_AUDIT_FILTER_VERSION, NULL, NULL, NULL, 0, 0, 0, 0 }

/* Entries as a JSON array of
 * {"seq":1,"at":1700000000,"actor":"host","action":"account.create",
 *  "subject":"acc_...","target":"acc_...","outcome":"ok","reason":""} */
CASEVAULT_API int casevault_audit_read(char **out_json, casevault_vault *vault,
                                       const casevault_audit_filter *filter);

/* Verifies the chain. *out_ok is 1 if intact; otherwise 0 and *out_first_bad
 * is the seq of the first bad entry. out_json (may be NULL) receives
 * {"ok":..,"entries":..,"first_bad_seq":..,"problem":"..","head":".."}.
 * expected_head: NULL, or a head recorded earlier (detects truncation).
 * A broken chain is a result, not an error: the call returns CASEVAULT_OK. */
CASEVAULT_API int casevault_audit_verify(int *out_ok, int64_t *out_first_bad, char **out_json,
                                         casevault_vault *vault, const char *expected_head);

/* ---- Policy --------------------------------------------------------------- */

/* The privacy policy as a JSON document (docs/policy-format.md). A store
 * keeps every published version; the latest is active and decides
 * casevault_may_process().
 *
 * PolicyVersion JSON (keys in this order; "document" is left out by
 * casevault_policy_list):
 * {"version":1,"name":"..","effective_date":"2026-01-01","text_url":".."|"",
 *  "text_sha256":".."|"","jurisdiction":"US","hash":"sha256:..","published_at":1700000000,
 *  "active":true,"categories":[{"id":"..","description":".."}],
 *  "purposes":[{"id":"..","description":"..","legal_basis":"consent","categories":[".."],
 *    "requires_fresh_consent":false,"account_statuses":["active"],"close_on_decline":false,
 *    "consent_max_days":30|null,"third_party_disclosure":false,"depends_on":[".."],
 *    "data_form":"identified"}],
 *  "document":{...the canonical document, as a nested object...}} */

/* Validates a document without a store. *out_valid is 1 if it is valid, else
 * 0. out_problems_json (may be NULL) receives every problem as a JSON array
 * [{"path":"/purposes/0/legal_basis","message":".."}] ("[]" when valid;
 * path is a JSON Pointer, "" for the whole document). An invalid document is
 * a result, not an error: the call returns CASEVAULT_OK. */
CASEVAULT_API int casevault_policy_lint(char **out_problems_json, int *out_valid, const char *json_text);

/* Validates a document without a store and returns it as a PolicyVersion
 * JSON (published_at 0, active false, with "document"). An invalid document
 * gives CASEVAULT_EINVAL, every problem in casevault_last_error() (at most
 * 20; casevault_policy_lint lists them all). Release with casevault_free(). */
CASEVAULT_API int casevault_policy_parse(char **out_json, const char *json_text);

/* Publishes a new version and makes it active. out_result_json (may be NULL)
 * receives {"policy":{PolicyVersion},"subjects_reconsent":n,"notifications":n}.
 * An invalid document gives CASEVAULT_EINVAL with the problems in the last
 * error message; a version not greater than the active one gives
 * CASEVAULT_EINVAL; nothing is changed. Grants of the purposes it marks
 * requires_fresh_consent stop counting and their holders get a
 * reconsent_required notification. progress (may be NULL) is called with
 * phase "reconsent"; returning 0 cancels (CASEVAULT_ECANCELLED, unchanged). */
CASEVAULT_API int casevault_policy_publish(char **out_result_json, casevault_vault *vault,
                                           const char *json_text, casevault_progress_fn progress,
                                           void *progress_ctx);
/* The active PolicyVersion as JSON (casevault_free). Before the first
 * publish *out_json is NULL and the call returns CASEVAULT_OK. */
CASEVAULT_API int casevault_policy_active(char **out_json, casevault_vault *vault);
/* One PolicyVersion as JSON (casevault_free). CASEVAULT_ENOTFOUND if the
 * store has no such version. */
CASEVAULT_API int casevault_policy_get(char **out_json, casevault_vault *vault, int64_t version);
/* Every version, oldest first, as a JSON array of PolicyVersion without
 * "document" ("[]" before the first publish). casevault_free. */
CASEVAULT_API int casevault_policy_list(char **out_json, casevault_vault *vault);
/* What changed from version `from` to version `to` (both published;
 * CASEVAULT_ENOTFOUND otherwise), as JSON (casevault_free):
 * {"from":1,"to":2,"purposes_added":[..],"purposes_removed":[..],"purposes_changed":[..],
 *  "categories_added":[..],"categories_removed":[..],"roles_changed":[..],
 *  "retention_changed":false,"disclosures_changed":false,"notifications_changed":false,
 *  "reconsent_purposes":[..]} */
CASEVAULT_API int casevault_policy_diff(char **out_json, casevault_vault *vault, int64_t from, int64_t to);

/* ---- Consent -------------------------------------------------------------- */

/* ConsentEvent JSON (one entry of the append-only ledger):
 * {"id":"cns_...","subject":"acc_...","purpose":"..","scope":"","action":"granted",
 *  "channel":"web","policy_version":1,"evidence":"..","at":1700000000,"expires_at":0}
 * action: "granted", "withdrawn" or "declined"; channel: "web", "email",
 * "whatsapp", "phone" or "api"; expires_at 0: no time limit; evidence is
 * personal data ("" for visitors). */

#define CASEVAULT_CONSENT_REQUEST_VERSION 1
typedef struct casevault_consent_request {
    unsigned int version;  /* CASEVAULT_CONSENT_REQUEST_VERSION */
    const char *subject;   /* an account id; required */
    const char *purpose;   /* a purpose id of the active policy; required */
    const char *action;    /* "granted", "withdrawn" or "declined"; NULL = "granted" */
    const char *channel;   /* "web", "email", "whatsapp", "phone", "api"; NULL = "web" */
    const char *scope;     /* NULL = "" (the whole purpose); else a record id or category: a-z 0-9 _ - . : */
    const char *evidence;  /* a reference to the proof (sealed); NULL = "" */
    int64_t expires_at;    /* grants only: Unix seconds; 0 = none (the purpose may cap it) */
} casevault_consent_request;

#define CASEVAULT_CONSENT_REQUEST_INIT \
    { CASEVAULT_CONSENT_REQUEST_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/* Appends one event; out_event_json (may be NULL) receives it as JSON.
 * CASEVAULT_EINVAL: no policy, unknown purpose, a purpose whose legal basis
 * needs no consent, withdrawing what is not granted, an erased account, a
 * grant the account's state does not allow, an expiry in the past, a
 * malformed id. CASEVAULT_ENOTFOUND: no such account. Declining a
 * close_on_decline purpose closes the account, records an erasure request
 * (casevault_erasure_requests; one at a time) and drops the account's open
 * re-consent requests and reconsent_required notifications. */
CASEVAULT_API int casevault_consent_record(char **out_event_json, casevault_vault *vault,
                                           const casevault_consent_request *request);
/* Appends count events in one transaction (all or nothing).
 * out_events_json (may be NULL) receives a JSON array of the events, in
 * order. requests may be NULL when count is 0. */
CASEVAULT_API int casevault_consent_record_many(char **out_events_json, casevault_vault *vault,
                                                const casevault_consent_request *requests, size_t count);

/* Why a decision came out as it did. Frozen numbers. */
#define CASEVAULT_REASON_CONSENT 0             /* allowed: a valid grant */
#define CASEVAULT_REASON_CONTRACT 1            /* allowed: the purpose's legal basis */
#define CASEVAULT_REASON_LEGAL_OBLIGATION 2
#define CASEVAULT_REASON_LEGITIMATE_INTEREST 3
#define CASEVAULT_REASON_NO_POLICY 10          /* denied: nothing published yet */
#define CASEVAULT_REASON_PURPOSE_UNKNOWN 11    /* the active policy has no such purpose */
#define CASEVAULT_REASON_SUBJECT_UNKNOWN 12    /* no such account */
#define CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE 13 /* account state not allowed (incl. erased) */
#define CASEVAULT_REASON_NO_CONSENT 14         /* never granted */
#define CASEVAULT_REASON_WITHDRAWN 15
#define CASEVAULT_REASON_DECLINED 16
#define CASEVAULT_REASON_RECONSENT_REQUIRED 17 /* granted under a superseded version */
#define CASEVAULT_REASON_EXPIRED 18            /* the grant's time limit passed */
#define CASEVAULT_REASON_OBJECTED 19           /* legitimate interest, and the person objected */
#define CASEVAULT_REASON_ERROR (-1)            /* the call failed: see the return code */

/* The result of casevault_may_process / casevault_visitor_may. On failure
 * allowed is 0, reason is CASEVAULT_REASON_ERROR (never an "allowed"
 * reason) and policy_version is 0. */
typedef struct casevault_decision {
    int allowed;             /* 1 allowed, 0 denied */
    int reason;              /* CASEVAULT_REASON_* */
    int64_t policy_version;  /* the version it was decided under; 0 without a policy */
} casevault_decision;

/* A stable name for a reason, e.g. "reconsent_required"; "unknown" for a
 * value not listed above. Static string. */
CASEVAULT_API const char *casevault_decision_reason_name(int reason);

/* May this person's data be processed for this purpose now? A denial is a
 * result (CASEVAULT_OK, out->allowed == 0, and out->reason says why), also
 * for an unknown subject or purpose. CASEVAULT_EINVAL for a malformed id or
 * scope. scope: NULL = "" (the whole purpose). */
CASEVAULT_API int casevault_may_process(casevault_decision *out, casevault_vault *vault,
                                        const char *subject, const char *purpose, const char *scope);

/* The subject's ledger, oldest first, as a JSON array of ConsentEvent
 * (casevault_free). CASEVAULT_ENOTFOUND: no such account; CASEVAULT_EINVAL:
 * a malformed id or an erased account (its consents went with it). The same
 * holds for _state, _receipts and casevault_subscriptions. */
CASEVAULT_API int casevault_consent_history(char **out_json, casevault_vault *vault, const char *subject);
/* The current state per (purpose, scope), as a JSON array (casevault_free) of
 * {"purpose":"..","scope":"","action":"granted","policy_version":1,"at":..,
 *  "expires_at":0,"reconsent_required":false} */
CASEVAULT_API int casevault_consent_state(char **out_json, casevault_vault *vault, const char *subject);
/* Kantara Consent Receipts (version "KI-CR-v1.1.0"), one per grant, as a JSON
 * array (casevault_free). */
CASEVAULT_API int casevault_consent_receipts(char **out_json, casevault_vault *vault, const char *subject);

/* Subscribing grants the subscription's purpose, unsubscribing withdraws it.
 * out_event_json (may be NULL) receives the ConsentEvent. channel: NULL =
 * "web"; evidence: NULL = "". CASEVAULT_EINVAL for an unknown subscription
 * or unsubscribing from one not held. */
CASEVAULT_API int casevault_subscribe(char **out_event_json, casevault_vault *vault, const char *subject,
                                      const char *subscription, const char *channel, const char *evidence);
CASEVAULT_API int casevault_unsubscribe(char **out_event_json, casevault_vault *vault, const char *subject,
                                        const char *subscription, const char *channel, const char *evidence);
/* The subscriptions held now, as a JSON array of ids: ["newsletter"]
 * (casevault_free). */
CASEVAULT_API int casevault_subscriptions(char **out_json, casevault_vault *vault, const char *subject);

/* Visitor (cookie) consent by the policy's cookie categories, keyed by the
 * host's anonymous visitor id (1..256 printable ASCII bytes, no spaces, stored only as a
 * keyed digest). action: "granted", "withdrawn" or "declined" (required);
 * channel: NULL = "web". A grant expires after the category's expiry.
 * out_event_json (may be NULL) receives the ConsentEvent; its subject is
 * "vis_" and the digest, its scope the category. */
CASEVAULT_API int casevault_visitor_consent_record(char **out_event_json, casevault_vault *vault,
                                                   const char *visitor_id, const char *category,
                                                   const char *action, const char *channel);
/* May the visitor's data be used for this cookie category now? Like
 * casevault_may_process (a denial is a result). */
CASEVAULT_API int casevault_visitor_may(casevault_decision *out, casevault_vault *vault,
                                        const char *visitor_id, const char *category);

/* Open re-consent requests, as a JSON array (casevault_free) of
 * {"subject":"acc_...","policy_version":2,"purposes":[".."],"requested_at":..}.
 * limit: 0 = 1000 (at most 100000). */
CASEVAULT_API int casevault_reconsent_pending(char **out_json, casevault_vault *vault, size_t limit);
/* Erasure requests (of one subject, or all when subject is NULL), as a JSON
 * array (casevault_free) of {"id":"era_...","subject":"acc_...",
 * "reason":"consent_declined:terms","channel":"web","requested_at":..,"due_at":..,
 * "state":"pending"}. */
CASEVAULT_API int casevault_erasure_requests(char **out_json, casevault_vault *vault, const char *subject);

/* ---- Outbox --------------------------------------------------------------- */

/* Notifications the host must deliver (poll, deliver, then ack: at least
 * once). Notification JSON:
 * {"id":1,"kind":"reconsent_required","subject":"acc_...","payload":{...},
 *  "created_at":1700000000,"attempts":1}
 * payload is a nested object whose shape depends on kind; it holds ids and
 * policy facts, never personal data. */

/* Up to limit (0 = 100; at most 10000) unacknowledged notifications, oldest
 * first, as a JSON array (casevault_free). They are leased for lease_seconds
 * (0 = 300; at most 7 days): not handed out again until the lease runs out. */
CASEVAULT_API int casevault_outbox_poll(char **out_json, casevault_vault *vault, size_t limit,
                                        int64_t lease_seconds);
/* Acknowledges delivery of count ids (at most 10000); they are never handed
 * out again. *out_acked (may be NULL) receives how many were pending
 * (unknown or already acknowledged ids are skipped). ids may be NULL when
 * count is 0. */
CASEVAULT_API int casevault_outbox_ack(int64_t *out_acked, casevault_vault *vault, const int64_t *ids,
                                       size_t count);
/* How many notifications are not yet acknowledged. */
CASEVAULT_API int casevault_outbox_pending(int64_t *out_count, casevault_vault *vault);

#ifdef __cplusplus
}
#endif

#endif /* CASEVAULT_H */

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
 *     consent events, notifications, principals, cases, messages, payments,
 *     posts, the retention engine's requests, holds, sweep plans and
 *     reports, receipts and backups, and accountability's exports,
 *     disclosures, subprocessors, transfers and aggregate tables) are
 *     returned as JSON text: one stable,
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
#define CASEVAULT_EACCESS -12      /* the actor may not do this: casevault_last_error_rule() says why */
#define CASEVAULT_EUNSUPPORTED -13 /* store format from another casevault version */
#define CASEVAULT_EEXPIRED -14     /* a one-time code or deadline has passed */
/* no disclosure rule of the policy allows it: casevault_last_error_rule() says why */
#define CASEVAULT_EDISCLOSURE_REFUSED -15

/* The message of the last failure on this thread ("" if none). Valid until
 * the next casevault call on this thread. */
CASEVAULT_API const char *casevault_last_error(void);
/* The last failure's code on this thread (CASEVAULT_OK if none). */
CASEVAULT_API int casevault_last_error_code(void);
/* After a CASEVAULT_EACCESS failure on this thread, the denial's rule, e.g.
 * "not_assigned" (the list is at casevault_can); after a
 * CASEVAULT_EDISCLOSURE_REFUSED failure, the refusal's reason, e.g.
 * "legal_process_required" (the list is at casevault_disclosure_record);
 * "" after any other result. Valid until the next casevault call on this
 * thread. */
CASEVAULT_API const char *casevault_last_error_rule(void);
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

/* ---- Team access ---------------------------------------------------------- */

/* Who may do what to whose records is decided by the active policy's roles
 * (docs/policy-format.md, roles). Every call below that returns or changes
 * case, correspondence, billing or post records takes the acting principal
 * as `actor`, right after the vault handle: a principal id ("prn_...") or,
 * for a data subject acting as itself, its account id. A refusal returns
 * CASEVAULT_EACCESS, casevault_last_error_rule() names the rule, the store
 * is unchanged and the denial is in the audit log ("access.denied", reason
 * = the rule). Registering principals and assigning them to cases is the
 * host's administration (no actor; the open options' actor is audited). */

/* Roles, frozen numbers (the "id" of a policy role). */
#define CASEVAULT_ROLE_SUBJECT 0  /* a data subject (an account acting as itself) */
#define CASEVAULT_ROLE_ATTORNEY 1
#define CASEVAULT_ROLE_STAFF 2
#define CASEVAULT_ROLE_SUPPORT 3
#define CASEVAULT_ROLE_SYSTEM 4   /* automated retention */
#define CASEVAULT_ROLE_AGENCY 5

/* Actions, frozen numbers. */
#define CASEVAULT_ACTION_READ 0
#define CASEVAULT_ACTION_WRITE 1
#define CASEVAULT_ACTION_ERASE 2
#define CASEVAULT_ACTION_EXPORT 3
#define CASEVAULT_ACTION_DISCLOSE 4

/* Record kinds, frozen numbers. For ACCOUNT, CONSENT and AUDIT the record id
 * is the account's id. */
#define CASEVAULT_RECORD_ACCOUNT 0
#define CASEVAULT_RECORD_CONSENT 1
#define CASEVAULT_RECORD_CASE 2
#define CASEVAULT_RECORD_CORRESPONDENCE 3
#define CASEVAULT_RECORD_BILLING 4
#define CASEVAULT_RECORD_POST 5
#define CASEVAULT_RECORD_AUDIT 6

/* The names the JSON records use for these numbers ("staff", "read",
 * "case"); "unknown" for a number out of range. Static strings (do not
 * free); they cannot fail. */
CASEVAULT_API const char *casevault_role_name(int role);
CASEVAULT_API const char *casevault_action_name(int action);
CASEVAULT_API const char *casevault_record_kind_name(int record_kind);

/* Principal JSON ("role" is the role's name: "subject", "attorney", "staff",
 * "support", "system" or "agency"):
 * {"id":"prn_...","role":"attorney","created_at":1700000000,"active":true} */

/* Registers a principal with a role other than CASEVAULT_ROLE_SUBJECT (data
 * subjects act with their account id); *out_id receives its id
 * (casevault_free). */
CASEVAULT_API int casevault_principal_add(char **out_id, casevault_vault *vault, int role);
/* A registered principal, or a live account as a subject, as JSON
 * (casevault_free). CASEVAULT_ENOTFOUND if there is none. */
CASEVAULT_API int casevault_principal_get(char **out_json, casevault_vault *vault, const char *id);
/* Every registered principal, as a JSON array (casevault_free). */
CASEVAULT_API int casevault_principal_list(char **out_json, casevault_vault *vault);
/* A disabled principal is denied everything ("actor_disabled"); its case
 * assignments are kept for the record. Disabling twice is not an error. */
CASEVAULT_API int casevault_principal_disable(casevault_vault *vault, const char *id);

/* May actor do action (CASEVAULT_ACTION_*) to the record of record_kind
 * (CASEVAULT_RECORD_*) with id record_id now? The same decision every call
 * below makes, for hosts to ask before they render. A denial is a result,
 * not an error: the call returns CASEVAULT_OK with *out_allowed 0, also for
 * an actor that does not exist. *out_rule (may be NULL; casevault_free)
 * receives, when allowed, the JSON Pointer of the policy grant that allowed
 * it ("/roles/1/grants/0"); when denied, why:
 *   "unknown_actor"        the actor is not a registered principal or a live account
 *   "actor_disabled"       the principal was disabled
 *   "no_policy"            no policy has been published
 *   "role_not_in_policy"   the active policy has no such role
 *   "no_grant"             no grant of the role covers this action on this kind
 *   "not_owner"            an "own" grant, and the record is someone else's
 *   "not_assigned"         an "assigned" grant, and the actor is not assigned to the case
 *   "no_support_grant"     a "consented" grant, and the subject has not granted its
 *                          purpose (for this case or as a whole), or the grant expired
 *   "needs_legal_process"  only a "legal_process" grant covers it
 *   "not_public"           a "public" grant, and the record is not public
 * CASEVAULT_ENOTFOUND: no such record; CASEVAULT_EINVAL: an unknown action
 * or kind, a record id not of the kind's form. Denials are audited. */
CASEVAULT_API int casevault_can(int *out_allowed, char **out_rule, casevault_vault *vault, const char *actor,
                                int action, int record_kind, const char *record_id);

/* ---- Cases ---------------------------------------------------------------- */

/* An account's immigration cases: USCIS receipt number, form type, status
 * history, questionnaire and documents metadata. Personal content is sealed
 * under the subject's data key.
 *
 * Case JSON:
 * {"id":"cas_...","subject":"acc_...","receipt_number":"EAC2190012345"|null,
 *  "form_type":"I-130","questionnaire":"{...}"|null,"latest_status":{CaseStatus}|null,
 *  "created_at":1700000000,"updated_at":1700000000}
 * receipt_number is normalised (upper case, no spaces or dashes);
 * questionnaire is the canonical JSON text of the questionnaire, as a
 * string. latest_status is the step with the latest time (ties: the last
 * added).
 *
 * CaseStatus JSON:
 * {"status":"received","at":1700000000,"source":"uscis","detail":"..."|null}
 *
 * Document JSON (metadata only; the bytes stay with the host):
 * {"id":"doc_...","case_id":"cas_...","name":"passport.pdf","kind":"passport",
 *  "size":123456,"sha256":"9f86...","added_at":1700000000} */

#define CASEVAULT_CASE_FIELDS_VERSION 1
typedef struct casevault_case_fields {
    unsigned int version;        /* CASEVAULT_CASE_FIELDS_VERSION */
    /* three letters naming a USCIS office (EAC, WAC, LIN, SRC, NBC, MSC, IOE,
     * YSC, ...) and ten digits; case, spaces and dashes do not matter.
     * open: NULL = none yet; update: NULL = unchanged, "" removes it. */
    const char *receipt_number;
    const char *form_type;       /* "I-130", "N-400", "DS-160"...; open: required; update: NULL = unchanged */
    /* a JSON object or array as text, at most 1 MiB (sealed). open: NULL =
     * none; update: NULL = unchanged, "" removes it. */
    const char *questionnaire;
} casevault_case_fields;

#define CASEVAULT_CASE_FIELDS_INIT { CASEVAULT_CASE_FIELDS_VERSION, NULL, NULL, NULL }

#define CASEVAULT_CASE_STATUS_VERSION 1
typedef struct casevault_case_status {
    unsigned int version;  /* CASEVAULT_CASE_STATUS_VERSION */
    const char *status;    /* required: a label such as "received", "rfe_sent" (a-z 0-9 _, at most 64) */
    int64_t at;            /* Unix seconds; 0 = now */
    const char *source;    /* required: where it came from, "uscis", "manual", ... (same alphabet) */
    const char *detail;    /* free text, at most 4 KiB (sealed); NULL = none */
} casevault_case_status;

#define CASEVAULT_CASE_STATUS_INIT { CASEVAULT_CASE_STATUS_VERSION, NULL, 0, NULL, NULL }

#define CASEVAULT_DOCUMENT_FIELDS_VERSION 1
typedef struct casevault_document_fields {
    unsigned int version;  /* CASEVAULT_DOCUMENT_FIELDS_VERSION */
    const char *name;      /* required: the file name, at most 255 bytes (sealed) */
    const char *kind;      /* required: a label such as "passport", "birth_certificate" */
    int64_t size;          /* bytes */
    const char *sha256;    /* required: the hex SHA-256 of the bytes */
} casevault_document_fields;

#define CASEVAULT_DOCUMENT_FIELDS_INIT { CASEVAULT_DOCUMENT_FIELDS_VERSION, NULL, NULL, 0, NULL }

/* Opens a case for subject (an active account). Allowed to the subject
 * itself and to a role with an "assigned" write grant on cases, which is
 * then assigned to the new case. *out_json receives the Case
 * (casevault_free). CASEVAULT_EDUPLICATE: the receipt number is tracked
 * already; CASEVAULT_ENOTFOUND: no such account; CASEVAULT_EINVAL: a
 * malformed receipt number, form type or questionnaire. */
CASEVAULT_API int casevault_case_open(char **out_json, casevault_vault *vault, const char *actor,
                                      const char *subject, const casevault_case_fields *fields);
/* The Case as JSON (casevault_free). CASEVAULT_ENOTFOUND if no such case. */
CASEVAULT_API int casevault_case_get(char **out_json, casevault_vault *vault, const char *actor,
                                     const char *case_id);
/* The subject's cases that actor may read, in id order (creation order to
 * the millisecond), as a JSON array of Case (casevault_free); the others are
 * left out, not refused. */
CASEVAULT_API int casevault_case_list(char **out_json, casevault_vault *vault, const char *actor,
                                      const char *subject);
/* Finds a case by receipt number (any case, spaces, dashes). Not finding is
 * not an error: *out_json stays NULL, also when the case is one actor may
 * not read (a refusal would say the number is tracked; it is audited as
 * access.denied). */
CASEVAULT_API int casevault_case_find_by_receipt(char **out_json, casevault_vault *vault, const char *actor,
                                                 const char *receipt_number);
/* Changes the fields that are non-NULL in update. out_json (may be NULL)
 * receives the Case as it is now. */
CASEVAULT_API int casevault_case_update(char **out_json, casevault_vault *vault, const char *actor,
                                        const char *case_id, const casevault_case_fields *update);
/* Appends a step to the case's history. out_json (may be NULL) receives the
 * CaseStatus as stored. */
CASEVAULT_API int casevault_case_add_status(char **out_json, casevault_vault *vault, const char *actor,
                                            const char *case_id, const casevault_case_status *status);
/* The case's history, oldest first, as a JSON array of CaseStatus
 * (casevault_free). */
CASEVAULT_API int casevault_case_history(char **out_json, casevault_vault *vault, const char *actor,
                                         const char *case_id);
/* Records a document's metadata. out_json (may be NULL) receives the
 * Document. */
CASEVAULT_API int casevault_case_add_document(char **out_json, casevault_vault *vault, const char *actor,
                                              const char *case_id, const casevault_document_fields *document);
/* The case's documents as a JSON array of Document (casevault_free). */
CASEVAULT_API int casevault_case_documents(char **out_json, casevault_vault *vault, const char *actor,
                                           const char *case_id);
/* Removes a document's metadata (the erase action on the case). */
CASEVAULT_API int casevault_case_remove_document(casevault_vault *vault, const char *actor,
                                                 const char *document_id);
/* Administration: assigns / unassigns an active attorney or staff principal
 * to a case. Assigning twice or unassigning what is not assigned is not an
 * error (still audited). */
CASEVAULT_API int casevault_case_assign(casevault_vault *vault, const char *case_id, const char *principal);
CASEVAULT_API int casevault_case_unassign(casevault_vault *vault, const char *case_id, const char *principal);
/* The principals assigned to a case, as a JSON array of ids:
 * ["prn_..."] (casevault_free). */
CASEVAULT_API int casevault_case_assignees(char **out_json, casevault_vault *vault, const char *case_id);

/* ---- Correspondence ------------------------------------------------------- */

/* Messages and calls with a data subject, and survey responses. Subject
 * line, body and sender are sealed; the sender is also blind-indexed so an
 * inbound message finds its account.
 *
 * Message JSON ("channel": "email", "whatsapp", "phone", "web_form" or
 * "survey"; "direction": "inbound" or "outbound"):
 * {"id":"msg_...","subject":"acc_...","case_id":"cas_..."|null,"channel":"email",
 *  "direction":"inbound","at":1700000000,"subject_line":"..."|null,"body":"...",
 *  "sender":"..."|null,"recorded_at":1700000000}
 * Message page: {"items":[Message,...],"next_cursor":"msg_..."} ("" on the
 * last page). */

/* Message channels and directions, frozen numbers. A survey response is a
 * message on the survey channel. */
#define CASEVAULT_MESSAGE_EMAIL 0
#define CASEVAULT_MESSAGE_WHATSAPP 1
#define CASEVAULT_MESSAGE_PHONE 2
#define CASEVAULT_MESSAGE_WEB_FORM 3
#define CASEVAULT_MESSAGE_SURVEY 4
#define CASEVAULT_INBOUND 0
#define CASEVAULT_OUTBOUND 1
/* The names Message JSON uses ("whatsapp", "inbound"); "unknown" out of
 * range. Static strings; they cannot fail. */
CASEVAULT_API const char *casevault_message_channel_name(int channel);
CASEVAULT_API const char *casevault_direction_name(int direction);

#define CASEVAULT_MESSAGE_FIELDS_VERSION 1
typedef struct casevault_message_fields {
    unsigned int version;      /* CASEVAULT_MESSAGE_FIELDS_VERSION */
    /* the account; NULL or "" on an inbound message: found from the sender
     * (its email or phone as registered; no match is CASEVAULT_ENOTFOUND,
     * and so is a match the actor may not write to, audited as
     * access.denied) */
    const char *subject;
    const char *case_id;       /* NULL = not about one case */
    int channel;               /* CASEVAULT_MESSAGE_*; _INIT: EMAIL */
    int direction;             /* CASEVAULT_INBOUND / CASEVAULT_OUTBOUND; _INIT: INBOUND */
    int64_t at;                /* Unix seconds; 0 = now */
    const char *subject_line;  /* at most 1000 bytes; NULL = none */
    const char *body;          /* required, not empty: at most 1 MiB, e.g. a call's notes */
    /* an email address or a phone number with country code; required for
     * inbound email and WhatsApp; NULL = none */
    const char *sender;
} casevault_message_fields;

#define CASEVAULT_MESSAGE_FIELDS_INIT \
    { CASEVAULT_MESSAGE_FIELDS_VERSION, NULL, NULL, CASEVAULT_MESSAGE_EMAIL, CASEVAULT_INBOUND, 0, NULL, NULL, NULL }

/* Records a message; out_json (may be NULL) receives it as a Message.
 * Recording an inbound message counts as the subject's "message" activity.
 * CASEVAULT_EINVAL for a field that is not valid UTF-8, too long, or holds a
 * payment card number (the message names the field, never the number). */
CASEVAULT_API int casevault_message_record(char **out_json, casevault_vault *vault, const char *actor,
                                           const casevault_message_fields *fields);
/* Records count messages in one transaction (all or nothing).
 * out_json (may be NULL) receives a JSON array of the messages, in order.
 * batch may be NULL when count is 0. */
CASEVAULT_API int casevault_message_record_many(char **out_json, casevault_vault *vault, const char *actor,
                                                const casevault_message_fields *batch, size_t count);
/* The Message as JSON (casevault_free). CASEVAULT_ENOTFOUND if no such message. */
CASEVAULT_API int casevault_message_get(char **out_json, casevault_vault *vault, const char *actor,
                                        const char *message_id);
/* A page of the subject's messages the actor may read, in id order
 * (recording order to the millisecond), as a Message page (casevault_free).
 * after_id: NULL or "" for the first page; limit: 0 = 100 (at most 10000);
 * case_id: NULL = every message, else only this case's. */
CASEVAULT_API int casevault_message_list(char **out_json, casevault_vault *vault, const char *actor,
                                         const char *subject, const char *after_id, size_t limit,
                                         const char *case_id);
/* The account whose email or phone is this sender, if actor may write that
 * account's correspondence: *out_subject receives its id (casevault_free).
 * Not finding is not an error: *out_subject stays NULL, also when actor may
 * not write to the match (that refusal is audited). */
CASEVAULT_API int casevault_message_match_sender(char **out_subject, casevault_vault *vault, const char *actor,
                                                 const char *sender);

/* ---- Billing -------------------------------------------------------------- */

/* Payment records. Never a full card number: one (13-19 digits, spaces or
 * dashes allowed, passing the Luhn check) in any field gives
 * CASEVAULT_EINVAL naming the field but not the number. Billing address,
 * processor reference and last4 are sealed; amount, currency, brand, time
 * and the recurring flag are kept in the clear for accounting.
 *
 * Payment JSON:
 * {"id":"pay_...","subject":"acc_...","amount_minor":4900,"currency":"USD",
 *  "paid_at":1700000000,"card_brand":"visa","last4":"4242","billing_address":"..."|null,
 *  "processor_ref":"..."|null,"recurring":false,"recorded_at":1700000000,
 *  "billing_state":"NY"|null,"tax_exemption":"..."|null}
 * billing_state is kept in the clear (for the billing aggregates);
 * tax_exemption is sealed. Both were added in version 2 of the fields
 * struct, at the end of the record. */

/* Version 2 added billing_state and tax_exemption at the end; a caller
 * compiled against version 1 keeps working (the library then reads neither). */
#define CASEVAULT_PAYMENT_FIELDS_VERSION 2
typedef struct casevault_payment_fields {
    unsigned int version;         /* CASEVAULT_PAYMENT_FIELDS_VERSION */
    const char *subject;          /* required: the account */
    int64_t amount_minor;         /* > 0, in the currency's minor unit (cents) */
    const char *currency;         /* required: ISO 4217, "USD" */
    int64_t paid_at;              /* Unix seconds; 0 = now */
    /* required: "visa", "mastercard", "amex", "discover", "jcb", "diners",
     * "unionpay" or "other" */
    const char *card_brand;
    const char *last4;            /* required: exactly four digits */
    const char *billing_address;  /* NULL = none */
    const char *processor_ref;    /* the processor's id of the charge; NULL = none */
    int recurring;                /* 1: a recurring charge; default 0 */
    /* version 2: */
    /* the US state or territory of the billing address, two letters ("NY");
     * kept in the clear for the billing aggregates. NULL = unknown */
    const char *billing_state;
    const char *tax_exemption;    /* e.g. an exemption certificate id (sealed); NULL = none */
} casevault_payment_fields;

#define CASEVAULT_PAYMENT_FIELDS_INIT \
    { CASEVAULT_PAYMENT_FIELDS_VERSION, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL }

/* Records a payment; out_json (may be NULL) receives it as a Payment.
 * Counts as the subject's "payment" activity. */
CASEVAULT_API int casevault_payment_record(char **out_json, casevault_vault *vault, const char *actor,
                                           const casevault_payment_fields *fields);
/* The Payment as JSON (casevault_free). CASEVAULT_ENOTFOUND if no such payment. */
CASEVAULT_API int casevault_payment_get(char **out_json, casevault_vault *vault, const char *actor,
                                        const char *payment_id);
/* The subject's payments, in id order (recording order to the millisecond),
 * as a JSON array of Payment (casevault_free). */
CASEVAULT_API int casevault_payment_list(char **out_json, casevault_vault *vault, const char *actor,
                                         const char *subject);

/* ---- Message board -------------------------------------------------------- */

/* Posts: public content written by an account, stored as such (not
 * sealed). When the author is erased the policy decides: the posts are
 * deleted, or kept with the author unlinked ("author":null) — the action
 * of the retention rule triggered by "deletion_request" on a category of
 * kind "public"; without such a rule they are deleted.
 *
 * Post JSON:
 * {"id":"pst_...","author":"acc_..."|null,"title":"...","body":"...","created_at":1700000000}
 * Post page: {"items":[Post,...],"next_cursor":"pst_..."} ("" on the last page). */

#define CASEVAULT_POST_FIELDS_VERSION 1
typedef struct casevault_post_fields {
    unsigned int version;  /* CASEVAULT_POST_FIELDS_VERSION */
    const char *author;    /* required: the account that writes it */
    const char *title;     /* required: at most 300 bytes */
    const char *body;      /* required: at most 64 KiB */
} casevault_post_fields;

#define CASEVAULT_POST_FIELDS_INIT { CASEVAULT_POST_FIELDS_VERSION, NULL, NULL, NULL }

/* Publishes a post; out_json (may be NULL) receives it as a Post. */
CASEVAULT_API int casevault_post_publish(char **out_json, casevault_vault *vault, const char *actor,
                                         const casevault_post_fields *fields);
/* The Post as JSON (casevault_free). CASEVAULT_ENOTFOUND if no such post. */
CASEVAULT_API int casevault_post_get(char **out_json, casevault_vault *vault, const char *actor,
                                     const char *post_id);
/* A page of posts, in id order (the order they were written, to the
 * millisecond), as a Post page (casevault_free). after_id:
 * NULL or "" for the first page; limit: 0 = 100 (at most 10000); author:
 * NULL = every author, else only this account's posts. */
CASEVAULT_API int casevault_post_list(char **out_json, casevault_vault *vault, const char *actor,
                                      const char *after_id, size_t limit, const char *author);
/* Deletes a post (the erase action). */
CASEVAULT_API int casevault_post_remove(casevault_vault *vault, const char *actor, const char *post_id);

/* ---- Retention ------------------------------------------------------------ */

/* The retention engine (docs/retention.md): qualifying activity, cancel and
 * delete requests (inbound commands with confirmation), legal holds, the
 * sweep that deletes what the policy's retention rules say is due, deletion
 * receipts, and backups with erasure replay on restore. Every time is Unix
 * seconds; "now" is the store's clock (casevault_open_options.clock), and a
 * call given an explicit time (non-zero) uses that instead. Like the other
 * records, results come back as JSON text (casevault_free); the frozen
 * numbers below name what the JSON names, for hosts that switch on them.
 * Counts per record kind ("account", "case", "correspondence", "survey",
 * "billing", "post", "consent") come as arrays of {"kind":..,"count":..}
 * pairs, in kind order. */

/* What starts a retention rule's clock (the policy's "trigger"). Frozen
 * numbers. */
#define CASEVAULT_TRIGGER_INACTIVITY 1         /* the last qualifying activity left its window */
#define CASEVAULT_TRIGGER_CANCELLATION 2       /* the account was cancelled */
#define CASEVAULT_TRIGGER_DELETION_REQUEST 3   /* the person asked for deletion */
#define CASEVAULT_TRIGGER_RECONSENT_DECLINED 4 /* the person declined a policy that ends the account */
#define CASEVAULT_TRIGGER_ACCOUNT_CLOSED 5     /* the host closed the account */

/* Cancel and delete requests: kinds and states. Frozen numbers. */
#define CASEVAULT_REQUEST_CANCEL 1
#define CASEVAULT_REQUEST_ERASE 2
#define CASEVAULT_REQUEST_STATE_AWAITING_CONFIRMATION 1 /* an inbound command waiting for its code */
#define CASEVAULT_REQUEST_STATE_PENDING 2               /* scheduled: the sweep carries it out when due */
#define CASEVAULT_REQUEST_STATE_DONE 3
#define CASEVAULT_REQUEST_STATE_EXPIRED 4   /* the code was not confirmed in time */
#define CASEVAULT_REQUEST_STATE_WITHDRAWN 5 /* the account was reactivated, or a later request superseded it */

/* What an inbound message amounted to. Frozen numbers. Only the last two
 * carry out or queue a command; the others are results, not errors. */
#define CASEVAULT_INBOUND_NO_COMMAND 1            /* neither word (email: in the subject line; WhatsApp: as the body) */
#define CASEVAULT_INBOUND_AMBIGUOUS 2             /* both CANCEL and DELETE */
#define CASEVAULT_INBOUND_NEGATED 3               /* the word is negated ("please don't delete my case") */
#define CASEVAULT_INBOUND_MENTION_ONLY 4          /* WhatsApp: the word inside a longer message */
#define CASEVAULT_INBOUND_UNKNOWN_SENDER 5        /* no live account has this email or phone */
#define CASEVAULT_INBOUND_CHANNEL_NOT_ACCEPTED 6  /* the policy takes no commands on this channel */
#define CASEVAULT_INBOUND_AWAITING_CONFIRMATION 7 /* a confirm_request with a one-time code was queued */
#define CASEVAULT_INBOUND_ACCEPTED 8              /* carried out (the policy asks no confirmation) */

/* Legal holds: scopes and states. Frozen numbers. */
#define CASEVAULT_HOLD_SCOPE_SUBJECT 1   /* an account and everything of it */
#define CASEVAULT_HOLD_SCOPE_CASE_FILE 2 /* one case */
#define CASEVAULT_HOLD_STATE_ACTIVE 1    /* within its period */
#define CASEVAULT_HOLD_STATE_CONTINUED 2 /* a release process arrived: lasts until released */
#define CASEVAULT_HOLD_STATE_EXPIRED 3   /* the period ended without one */
#define CASEVAULT_HOLD_STATE_RELEASED 4

/* The names the JSON records use for these numbers ("inactivity", "delete",
 * "awaiting_confirmation", "channel_not_accepted", "case", "continued");
 * "unknown" for a number out of range. Static strings (do not free); they
 * cannot fail. */
CASEVAULT_API const char *casevault_retention_trigger_name(int trigger);
CASEVAULT_API const char *casevault_request_kind_name(int kind);
CASEVAULT_API const char *casevault_request_state_name(int state);
CASEVAULT_API const char *casevault_inbound_outcome_name(int outcome);
CASEVAULT_API const char *casevault_hold_scope_name(int scope);
CASEVAULT_API const char *casevault_hold_state_name(int state);

/* -- Activity --
 *
 * ActivityState JSON:
 * {"subject":"acc_...","active":true,"active_until":1700000000,
 *  "latest":[{"kind":"message","at":1700000000}],"inactivity_due_at":1700000000|null}
 * active_until: when the account becomes (or became) inactive without new
 * activity (0 when the policy names no activity kinds); latest: one mark per
 * kind seen, by kind name; inactivity_due_at: when the inactivity rules act
 * if nothing happens before, null when the policy has none or they already
 * acted. */

/* Records qualifying activity of a kind the policy names ("message",
 * "payment", "token_use", ...; "recurring_payment" counts as payment when
 * the policy's payment kind includes recurring charges). at: 0 = now; a
 * time in the future is refused. It moves the inactivity deadline and
 * cancels an inactivity deletion that has not happened yet (messages and
 * payments recorded through the Correspondence and Billing calls count
 * without this call). out_json (may be NULL) receives the ActivityState.
 * CASEVAULT_EINVAL: a kind the policy does not name, no policy;
 * CASEVAULT_ENOTFOUND: no such account (an erased one too). */
CASEVAULT_API int casevault_activity_record(char **out_json, casevault_vault *vault, const char *subject,
                                            const char *kind, int64_t at);
/* The subject's ActivityState (casevault_free). */
CASEVAULT_API int casevault_activity_state(char **out_json, casevault_vault *vault, const char *subject);

/* -- Cancel and delete requests --
 *
 * Request JSON ("kind": "cancel" or "delete"; "trigger" and "state" are the
 * names of the numbers above; "channel": "web", "email", "whatsapp",
 * "phone" or "api"):
 * {"id":"era_...","subject":"acc_...","kind":"delete","trigger":"deletion_request",
 *  "channel":"email","state":"pending","requested_at":1700000000,"due_at":1700000000,
 *  "confirm_by":0,"done_at":0}
 * due_at: when the sweep acts (0 while awaiting confirmation); confirm_by:
 * the code's deadline (0 when none was needed); done_at: 0 until done.
 *
 * InboundResult JSON ("command" is the word found, if any; "subject" the
 * matched account; "request" is set for the last two outcomes only):
 * {"outcome":"awaiting_confirmation","command":"delete"|null,"subject":"acc_..."|null,
 *  "request":{Request}|null} */

/* Requests made through the host (an authenticated session): no
 * confirmation. channel: "web", "email", "whatsapp", "phone", "api"; NULL =
 * "web". Cancel: the account becomes cancelled at once and the policy's
 * cancellation rules run after their "after" (reactivating the account with
 * casevault_account_set_status withdraws the request). Erase: the
 * deletion-request rules run at the next sweep. A second request of the
 * same kind while one is pending returns the pending one. out_json (may be
 * NULL) receives the Request. CASEVAULT_EINVAL: no policy, an unknown
 * channel, a malformed id; CASEVAULT_ENOTFOUND: no such account (an erased
 * one too). */
CASEVAULT_API int casevault_request_cancel(char **out_json, casevault_vault *vault, const char *subject,
                                           const char *channel);
CASEVAULT_API int casevault_request_erase(char **out_json, casevault_vault *vault, const char *subject,
                                          const char *channel);

/* An inbound message that may carry a CANCEL or DELETE command. The text is
 * personal data: it is matched and audited without being stored. */
#define CASEVAULT_INBOUND_MESSAGE_VERSION 1
typedef struct casevault_inbound_message {
    unsigned int version;      /* CASEVAULT_INBOUND_MESSAGE_VERSION */
    const char *channel;       /* "email" or "whatsapp"; NULL = "email" */
    const char *sender;        /* the email address or phone number it came from; NULL = "" */
    const char *subject_line;  /* email: where the command is looked for; NULL = "" */
    const char *body;          /* WhatsApp: the whole message; NULL = "" */
    int64_t at;                /* Unix seconds; 0 = now */
} casevault_inbound_message;

#define CASEVAULT_INBOUND_MESSAGE_INIT { CASEVAULT_INBOUND_MESSAGE_VERSION, NULL, NULL, NULL, NULL, 0 }

/* Parses an inbound email (the word in the subject line, any case) or
 * WhatsApp message (the body is exactly the word, any case, surrounding
 * space ignored),
 * matches its sender to an account through the email / phone blind index,
 * and carries the command out, or, when the policy's
 * requests.require_confirmation is set, queues a confirm_request
 * notification (casevault_outbox_poll; its payload holds the one-time
 * "code") for the account's own contact details and waits for
 * casevault_request_confirm. *out_outcome receives a CASEVAULT_INBOUND_*
 * value; out_json (may be NULL) the InboundResult. Anything that is not a
 * command is an outcome, not an error (every outcome is audited without the
 * message text). On failure *out_outcome is 0. CASEVAULT_EINVAL: no policy,
 * bad UTF-8, oversized text, a channel other than email / whatsapp. */
CASEVAULT_API int casevault_request_inbound(int *out_outcome, char **out_json, casevault_vault *vault,
                                            const casevault_inbound_message *message);
/* Only parses: which command the text holds, if any (no sender match,
 * nothing stored or audited; no store needed). *out_outcome receives what
 * the text alone decides: NO_COMMAND, AMBIGUOUS, NEGATED, MENTION_ONLY, or
 * ACCEPTED when it holds a command; *out_command (may be NULL)
 * CASEVAULT_REQUEST_CANCEL or CASEVAULT_REQUEST_ERASE for ACCEPTED, else 0;
 * out_json (may be NULL) the InboundResult ("subject" and "request" null).
 * On failure both numbers are 0. */
CASEVAULT_API int casevault_request_parse(int *out_outcome, int *out_command, char **out_json,
                                          const casevault_inbound_message *message);
/* Carries out the request a one-time code ("7KQ2-M9XD-4PHT"; case, spaces
 * and hyphens do not matter) was issued for. The code is single use and
 * good until the request's confirm_by (the policy's confirmation_ttl after
 * the command) included. out_json (may be NULL) receives the Request.
 * CASEVAULT_ENOTFOUND: no such code, or used; CASEVAULT_EEXPIRED: past
 * confirm_by (nothing is carried out; the next sweep marks the request
 * expired); CASEVAULT_EINVAL: text that is not a code at all. */
CASEVAULT_API int casevault_request_confirm(char **out_json, casevault_vault *vault, const char *code);
/* One Request as JSON (casevault_free). CASEVAULT_ENOTFOUND if there is none. */
CASEVAULT_API int casevault_request_get(char **out_json, casevault_vault *vault, const char *request_id);
/* A subject's requests (every subject's when subject is NULL), oldest first,
 * as a JSON array of Request (casevault_free). */
CASEVAULT_API int casevault_request_list(char **out_json, casevault_vault *vault, const char *subject);

/* -- Legal holds (preservation requests) --
 *
 * Hold JSON ("scope": "subject" or "case"; "state": "active",
 * "continued", "expired" or "released"):
 * {"id":"hld_...","scope":"subject","target":"acc_...","subject":"acc_...",
 *  "authority":"sca_2703f","reference":"...","state":"active","placed_at":1700000000,
 *  "expires_at":1707776000,"extensions":0,"process":"warrant"|null,"process_at":0,"ended_at":0,
 *  "confidential":false}
 * target: the account or case held; subject: the account it belongs to;
 * reference: the legal-process reference (personal: sealed, never logged);
 * expires_at is meaningless once continued; process: the release process
 * that arrived, null before one did (its own reference is kept sealed and
 * not returned); ended_at: 0 until expired or released; confidential: a
 * nondisclosure order came with the request, so the hold is left out of
 * the subject's export (casevault_subject_export). */

/* Version 2 added confidential at the end; a caller compiled against
 * version 1 keeps working (its holds are not confidential). */
#define CASEVAULT_HOLD_REQUEST_VERSION 2
typedef struct casevault_hold_request {
    unsigned int version;   /* CASEVAULT_HOLD_REQUEST_VERSION */
    int scope;              /* CASEVAULT_HOLD_SCOPE_*; _INIT: SUBJECT */
    const char *target;     /* required: an account id, or a case id */
    /* required: one of the policy's preservation authorities ("sca_2703f",
     * "civil_subpoena") */
    const char *authority;
    const char *reference;  /* required, not empty: the legal-process reference (sealed) */
    int64_t placed_at;      /* Unix seconds; 0 = now */
    /* version 2: 1 = a nondisclosure order came with it: the hold is left out
     * of the subject's export; default 0 */
    int confidential;
} casevault_hold_request;

#define CASEVAULT_HOLD_REQUEST_INIT \
    { CASEVAULT_HOLD_REQUEST_VERSION, CASEVAULT_HOLD_SCOPE_SUBJECT, NULL, NULL, NULL, 0, 0 }

/* A preservation request: no rule deletes the target's data while the hold
 * lasts (its period is the policy's disclosures.preservation.period); when
 * the period ends without a release process the hold expires and what it
 * deferred is deleted by the same sweep. *out_json receives the Hold
 * (casevault_free). CASEVAULT_EINVAL: no policy or no preservation
 * section, an authority it does not accept, an empty reference, an unknown
 * scope; CASEVAULT_ENOTFOUND: no such account or case. */
CASEVAULT_API int casevault_hold_place(char **out_json, casevault_vault *vault,
                                       const casevault_hold_request *request);
/* A renewed request: one more extension period, up to the policy's
 * max_extensions. out_json (may be NULL) receives the Hold.
 * CASEVAULT_EINVAL: none left, or the hold is not active. */
CASEVAULT_API int casevault_hold_extend(char **out_json, casevault_vault *vault, const char *hold_id);
/* A release process arrived (one of the policy's release_processes:
 * "warrant", "court_order", ...) before the period ended: the hold lasts
 * until casevault_hold_release. reference (required; sealed) is the
 * process's reference. out_json (may be NULL) receives the Hold.
 * CASEVAULT_EINVAL: a process the policy does not list, a hold that is not
 * active. */
CASEVAULT_API int casevault_hold_record_process(char **out_json, casevault_vault *vault, const char *hold_id,
                                                const char *process, const char *reference);
/* Ends the hold; the deletions it deferred happen at the next sweep.
 * out_json (may be NULL) receives the Hold. */
CASEVAULT_API int casevault_hold_release(char **out_json, casevault_vault *vault, const char *hold_id);
/* One Hold as JSON (casevault_free). CASEVAULT_ENOTFOUND if there is none. */
CASEVAULT_API int casevault_hold_get(char **out_json, casevault_vault *vault, const char *hold_id);
/* The holds on a subject or its cases (every subject's when subject is
 * NULL), as a JSON array of Hold (casevault_free); include_ended non-zero:
 * expired and released ones too. */
CASEVAULT_API int casevault_hold_list(char **out_json, casevault_vault *vault, const char *subject,
                                      int include_ended);

/* -- The sweep and deletion receipts --
 *
 * SweepPlan JSON (casevault_retention_preview):
 * {"now":1700000000,
 *  "deletions":[{"subject":"acc_...","trigger":"inactivity","rules":["content-after-inactivity"],
 *    "due_at":1700000000,"counts":[{"kind":"case","count":2,"action":"delete"}]}],
 *  "held":[HeldBack],"holds_expiring":["hld_..."],"backups_expiring":["bak_..."],
 *  "requests_expiring":["era_..."]}
 * "action" is what happens to that kind: "delete", "anonymize" or
 * "minimize".
 * HeldBack JSON (due work not done, and why; "reason": "held:subject" or
 * "held:case"):
 * {"subject":"acc_...","trigger":"deletion_request","hold_id":"hld_...","reason":"held:subject"}
 *
 * SweepReport JSON (casevault_retention_sweep):
 * {"now":1700000000,"subjects":1,"counts":[{"kind":"case","count":2}],"receipts":["rcp_..."],
 *  "held":[HeldBack],"holds_expired":0,"backups_removed":0,"requests_expired":0}
 *
 * Receipt JSON (what a deletion did, without the subject's id):
 * {"id":"rcp_...","subject_ref":"9f86...","trigger":"deletion_request",
 *  "rules":["account-on-deletion-request"],"counts":[{"kind":"account","count":1}],
 *  "at":1700000000}
 * subject_ref: a keyed digest (hex) of the subject id
 * (casevault_retention_subject_ref). */

#define CASEVAULT_SWEEP_OPTIONS_VERSION 1
typedef struct casevault_sweep_options {
    unsigned int version;  /* CASEVAULT_SWEEP_OPTIONS_VERSION */
    int64_t now;           /* Unix seconds; 0 = the store's clock */
    size_t batch_size;     /* due rows read per page (a memory bound); 0 = 500 */
    /* Phases "holds" (periods ended), "plan" (counting due work),
     * "subjects" (reported after each commit, one per subject and trigger
     * in it), "backups". Returning 0 stops at the next commit: what was done
     * stays done, the next sweep continues, and the call fails with
     * CASEVAULT_ECANCELLED. NULL = none. */
    casevault_progress_fn progress;
    void *progress_ctx;
    /* Subjects per transaction, 1..10000; 0 = 256. Each subject's step is
     * whole inside one transaction; a crash loses at most the uncommitted
     * group, which the next sweep redoes. 1 commits every subject alone. */
    size_t subjects_per_commit;
} casevault_sweep_options;

#define CASEVAULT_SWEEP_OPTIONS_INIT { CASEVAULT_SWEEP_OPTIONS_VERSION, 0, 0, NULL, NULL, 0 }

/* What casevault_retention_sweep at `now` (0 = the store's clock) would do,
 * as a SweepPlan (casevault_free). Changes nothing. CASEVAULT_EINVAL: no
 * policy. */
CASEVAULT_API int casevault_retention_preview(char **out_json, casevault_vault *vault, int64_t now);
/* Deletes everything due, one transaction per subject, and removes expired
 * backups; idempotent and resumable (a killed sweep leaves whole subjects
 * done or untouched). Held subjects are skipped and reported in "held".
 * out_json (may be NULL) receives the SweepReport. CASEVAULT_EINVAL: no
 * policy; CASEVAULT_ECANCELLED: the progress callback returned 0. */
CASEVAULT_API int casevault_retention_sweep(char **out_json, casevault_vault *vault,
                                            const casevault_sweep_options *options);
/* The deletion receipts of one subject (found through its digest, so an
 * erased subject's too), as a JSON array of Receipt (casevault_free). */
CASEVAULT_API int casevault_retention_receipts_for(char **out_json, casevault_vault *vault, const char *subject);
/* Every receipt after after_id (NULL or "" = from the first) in id order,
 * at most limit (0 = 1000), as a JSON array of Receipt (casevault_free). */
CASEVAULT_API int casevault_retention_receipts(char **out_json, casevault_vault *vault, const char *after_id,
                                               size_t limit);
/* The digest receipts carry for a subject id, as hex (casevault_free). */
CASEVAULT_API int casevault_retention_subject_ref(char **out_ref, casevault_vault *vault, const char *subject);

/* -- Backups --
 *
 * Backup JSON ("sha256": hex, of the file as written; "removed_at": 0 while
 * the file is kept):
 * {"id":"bak_...","path":"/var/backups/cases-1.db","taken_at":1700000000,"size":123456,
 *  "sha256":"9f86...","removed_at":0}
 * Restore JSON ("backup_id": null when the file is not in the catalog;
 * "taken_at" comes from the backup itself):
 * {"backup_id":"bak_..."|null,"taken_at":1700000000,"erasures_replayed":2} */

/* Writes an encrypted copy of the store to path (online; readable with the
 * same secret as the store) and catalogs it. progress (may be NULL) is
 * called with phase "backup" (pages); returning 0 cancels
 * (CASEVAULT_ECANCELLED, the partial file is removed). out_json (may be
 * NULL) receives the Backup. CASEVAULT_EINVAL: path exists or is the store;
 * CASEVAULT_EIO: the file system refused. */
CASEVAULT_API int casevault_backup_create(char **out_json, casevault_vault *vault, const char *path,
                                          casevault_progress_fn progress, void *progress_ctx);
/* The catalog, as a JSON array of Backup (casevault_free); include_removed
 * non-zero: the removed ones too. */
CASEVAULT_API int casevault_backup_list(char **out_json, casevault_vault *vault, int include_removed);
/* Replaces the store's content with the backup's, then replays every
 * erasure recorded after the backup was taken (the erasure ledger and the
 * catalog survive the restore), so nobody erased comes back. progress (may
 * be NULL): phases "restore" (pages), "replay" (erasures); returning 0
 * before the copy cancels with nothing changed. out_json (may be NULL)
 * receives the Restore result. CASEVAULT_EWRONGKEY: a file written under
 * another key (another store's, or from before a rekey);
 * CASEVAULT_ECORRUPT: its checksum differs from the catalog's;
 * CASEVAULT_ENOTFOUND: no such file; CASEVAULT_EINVAL: the store itself. */
CASEVAULT_API int casevault_backup_restore(char **out_json, casevault_vault *vault, const char *path,
                                           casevault_progress_fn progress, void *progress_ctx);

/* ---- Accountability ------------------------------------------------------- */

/* What a person can ask about their own data (export, rectification,
 * erasure), disclosures to third parties under the policy's disclosure
 * rules, and de-identified aggregates (docs/accountability.md). Like the
 * retention engine, results come back as JSON text (casevault_free) and the
 * frozen numbers below name what the JSON names. Every call is audited
 * under the open options' actor, without personal data. */

/* Receives a JSON document piece by piece, in order (casevault_subject_export,
 * casevault_disclosure_package): size bytes at data, not NUL-terminated,
 * valid only during the call (copy what you keep). The bytes are personal
 * data. Return 0 to go on, non-zero to stop: the call then fails with
 * CASEVAULT_ECANCELLED (what was written stays written; the document is
 * incomplete). ctx is the write_ctx given. Like the other callbacks, it runs
 * on the calling thread and must not call casevault on the same handle.
 * Note: 0 is success here, as in most C status returns; it is the
 * opposite sense of casevault_progress_fn. */
typedef int (*casevault_write_fn)(void *ctx, const char *data, size_t size);

/* -- Data-subject requests --
 *
 * The export document (docs/export-format.md; readers must ignore keys they
 * do not know):
 * {"format":"casevault-export/1","generated_at":1700000000,"subject":"acc_...",
 *  "policy_version":1,"account":{...},
 *  "consents":{"history":[...],"state":[...],"receipts":[...]},"subscriptions":[...],
 *  "cases":[{...,"status_history":[...],"questionnaire":{...},"documents":[...]}],
 *  "correspondence":[...],"billing":[...],"posts":[...],"disclosures":[...],
 *  "holds":[...],"requests":[...],"deletion_receipts":[...],"audit":[...]}
 * Disclosures under a nondisclosure order and confidential holds are left
 * out while the law forbids telling the subject.
 *
 * RectifyResult JSON ("target": casevault_rectify_target_name, e.g. "case"
 * for CASEVAULT_RECTIFY_CASE_FILE):
 * {"target":"account","id":"acc_...","field":"email","at":1700000000}
 *
 * ErasureTicket JSON ("request" is a retention Request, casevault_request_get;
 * "subject_ref" finds the deletion receipt once the account is gone,
 * casevault_retention_receipts):
 * {"request":{Request},"subject_ref":"9f86..."} */

/* What a rectification corrects. Frozen numbers. The fields of each:
 *   ACCOUNT      name, email, phone, address, company ("" clears all but name);
 *                the id is the account's id
 *   CASE_FILE    receipt_number, questionnaire (JSON text)
 *   CASE_STATUS  detail; the id is the step's "seq" (the export's
 *                status_history) as decimal text
 *   DOCUMENT     name
 *   MESSAGE      subject_line, body, sender
 *   PAYMENT      billing_address, processor_ref, tax_exemption, billing_state */
#define CASEVAULT_RECTIFY_ACCOUNT 1
#define CASEVAULT_RECTIFY_CASE_FILE 2
#define CASEVAULT_RECTIFY_CASE_STATUS 3
#define CASEVAULT_RECTIFY_DOCUMENT 4
#define CASEVAULT_RECTIFY_MESSAGE 5
#define CASEVAULT_RECTIFY_PAYMENT 6

/* One corrected personal field. */
#define CASEVAULT_RECTIFICATION_VERSION 1
typedef struct casevault_rectification {
    unsigned int version;  /* CASEVAULT_RECTIFICATION_VERSION */
    int target;            /* CASEVAULT_RECTIFY_*; _INIT: ACCOUNT */
    const char *id;        /* required: the record's id (see above) */
    const char *field;     /* required: a field of the target (see above) */
    const char *value;     /* required: the corrected value (copied, then wiped) */
} casevault_rectification;

#define CASEVAULT_RECTIFICATION_INIT \
    { CASEVAULT_RECTIFICATION_VERSION, CASEVAULT_RECTIFY_ACCOUNT, NULL, NULL, NULL }

/* Writes everything held about subject as one JSON document (above) to
 * write, in pieces, from one read snapshot: memory does not grow with the
 * subject's history. Audited ("subject.export"). CASEVAULT_ENOTFOUND: no
 * such account; CASEVAULT_EINVAL: a malformed id; CASEVAULT_ECANCELLED:
 * write returned non-zero. */
CASEVAULT_API int casevault_subject_export(casevault_vault *vault, const char *subject, casevault_write_fn write,
                                           void *write_ctx);
/* The same document as one string in *out_json (casevault_free; it is
 * personal data and wiped on release). */
CASEVAULT_API int casevault_subject_export_json(char **out_json, casevault_vault *vault, const char *subject);

/* Corrects one personal field of a record that belongs to subject. The old
 * value is overwritten, not kept in any history; blind indexes follow.
 * Audited ("subject.rectify", naming the target and field, never a value).
 * out_json (may be NULL) receives the RectifyResult. CASEVAULT_ENOTFOUND:
 * no such record, or not the subject's; CASEVAULT_EINVAL: an unknown target
 * or field, a bad value, an erased account; CASEVAULT_EDUPLICATE: an email,
 * phone or receipt number taken. */
CASEVAULT_API int casevault_subject_rectify(char **out_json, casevault_vault *vault, const char *subject,
                                            const casevault_rectification *change);
/* count corrections in one transaction (all or nothing). out_json (may be
 * NULL) receives a JSON array of RectifyResult, in order. changes may be
 * NULL when count is 0. */
CASEVAULT_API int casevault_subject_rectify_many(char **out_json, casevault_vault *vault, const char *subject,
                                                 const casevault_rectification *changes, size_t count);

/* Queues the subject's erasure with the retention engine (the policy's
 * deadline; holds respected), like casevault_request_erase. channel: "web",
 * "email", "whatsapp", "phone", "api"; NULL = "web". *out_json receives the
 * ErasureTicket (casevault_free). CASEVAULT_ENOTFOUND: no such account;
 * CASEVAULT_EINVAL: no policy, an unknown channel. */
CASEVAULT_API int casevault_subject_erase(char **out_json, casevault_vault *vault, const char *subject,
                                          const char *channel);

/* -- Disclosures --
 *
 * Disclosure JSON (absent strings are null; "notice" is a notice state
 * name below; "legal_basis" a policy legal basis; "kind" the allowing
 * rule's kind: "on_behalf", "legal_process", "legal_obligation",
 * "subprocessor" or "partner_sharing"):
 * {"id":"dsc_...","subject":"acc_...","recipient":"law_enforcement",
 *  "recipient_name":"..."|null,"rule":"us-legal-process","kind":"legal_process",
 *  "purpose":"..."|null,"categories":["identity"],"fields":[],"legal_basis":"legal_obligation",
 *  "case_id":"cas_..."|null,"subprocessor":"..."|null,
 *  "process":{"kind":"warrant","reference":"..."|null,"justification":"..."|null}|null,
 *  "hold_id":"hld_..."|null,"reference":"..."|null,"at":1700000000,
 *  "notice":"queued","notice_at":1700000000,"nondisclosure_until":0,"lifted_at":0}
 * notice_at: when the disclosure_notice is available to the host
 * (casevault_outbox_poll), 0 when none is queued; nondisclosure_until: 0
 * without an order, -1 for an order until lifted, else when it ends;
 * recipient_name, the references and the justification are sealed.
 *
 * Subprocessor JSON:
 * {"name":"Acme Mail","purpose":"service_updates","categories":["contact"],
 *  "location":"US","added_at":1700000000,"retired_at":0}
 *
 * Transfer JSON ("kind": a transfer kind name below; "notified": how many
 * active accounts were sent a transfer_notice):
 * {"id":"trf_...","kind":"acquisition","counterparty":"Example Holdings LLC",
 *  "effective_at":1700000000,"announced_at":1700000000,"notified":12} */

/* Whether the subject is told of a disclosure. Frozen numbers. */
#define CASEVAULT_NOTICE_QUEUED 1              /* a disclosure_notice is in the outbox */
#define CASEVAULT_NOTICE_WITHHELD_PROHIBITED 2 /* a nondisclosure order forbids it (queued for its end, if any) */
#define CASEVAULT_NOTICE_WITHHELD_EMERGENCY 3  /* an emergency disclosure the rule exempts */
#define CASEVAULT_NOTICE_NOT_REQUIRED 4        /* the rule does not notify */

/* Business transfers. Frozen numbers. */
#define CASEVAULT_TRANSFER_ACQUISITION 1
#define CASEVAULT_TRANSFER_MERGER 2

/* The names the JSON records use for these numbers ("case_status",
 * "withheld_prohibited", "merger"); "unknown" for a number out of range.
 * Static strings (do not free); they cannot fail. */
CASEVAULT_API const char *casevault_rectify_target_name(int target);
CASEVAULT_API const char *casevault_notice_state_name(int state);
CASEVAULT_API const char *casevault_transfer_kind_name(int kind);

/* A request to disclose a subject's data to a third party. Lists are
 * (array, count) pairs of strings. */
#define CASEVAULT_DISCLOSURE_REQUEST_VERSION 1
typedef struct casevault_disclosure_request {
    unsigned int version;         /* CASEVAULT_DISCLOSURE_REQUEST_VERSION */
    const char *subject;          /* required: the account */
    /* required: "uscis", "dhs", "dol", "consulate", "court", "law_enforcement",
     * "foreign_government", "tax_authority", "subprocessor", "other_agency",
     * or a "*_partner" */
    const char *recipient;
    const char *recipient_name;   /* e.g. the office or unit (sealed); NULL = none */
    const char *purpose;          /* a policy purpose (on_behalf, legal_obligation and subprocessor rules); NULL = none */
    const char *const *categories; /* required: at least one policy category id */
    size_t category_count;
    const char *const *fields;    /* a subset of the fields the rule names; NULL / 0 = the rule's */
    size_t field_count;
    const char *case_id;          /* on_behalf: the case the filing is for; NULL = none */
    const char *subprocessor;     /* recipient "subprocessor": its registered name; NULL = none */
    /* the legal process behind a government request: NULL = none (the two
     * fields below are then ignored), else "warrant", "criminal_subpoena",
     * "court_order", "civil_subpoena", "mlat_request" or "emergency" */
    const char *process_kind;
    const char *process_reference;     /* its docket or reference number (sealed); NULL = "" */
    const char *process_justification; /* required for "emergency" (sealed); NULL = "" */
    /* 1: a nondisclosure (gag) order came with the request; default 0 */
    int nondisclosure;
    const char *nondisclosure_reference; /* the order's reference (sealed); NULL = "" */
    int64_t nondisclosure_until;  /* when the order ends (the notice then goes out); 0 = until lifted */
    const char *hold_id;          /* disclosing data preserved under this hold; NULL = none */
    const char *reference;        /* the host's own reference (sealed); NULL = none */
    int64_t at;                   /* Unix seconds; 0 = now */
} casevault_disclosure_request;

#define CASEVAULT_DISCLOSURE_REQUEST_INIT                                                                  \
    { CASEVAULT_DISCLOSURE_REQUEST_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, \
      NULL, 0, NULL, 0, NULL, NULL, 0 }

/* Checks the request against the active policy's disclosure rules and
 * records it. Unless a nondisclosure order or an exempt emergency applies,
 * the subject's disclosure_notice is queued in the same transaction
 * (available at once, or at the order's end). *out_json receives the
 * Disclosure (casevault_free). A refusal is CASEVAULT_EDISCLOSURE_REFUSED
 * (audited; nothing recorded) and casevault_last_error_rule() gives the
 * reason, one of: "no_rule", "purpose_not_allowed", "consent_required",
 * "categories_not_allowed", "fields_not_allowed", "legal_process_required",
 * "process_not_accepted", "justification_required",
 * "preserved_data_needs_process", "unknown_subprocessor",
 * "subprocessor_not_allowed", "subject_erased". CASEVAULT_EINVAL: a
 * malformed request; CASEVAULT_ENOTFOUND: no such subject, case or hold. */
CASEVAULT_API int casevault_disclosure_record(char **out_json, casevault_vault *vault,
                                              const casevault_disclosure_request *request);
/* A nondisclosure order ended early: the notice is queued now. out_json
 * (may be NULL) receives the Disclosure. */
CASEVAULT_API int casevault_disclosure_lift(char **out_json, casevault_vault *vault, const char *disclosure_id);
/* One Disclosure (casevault_free). CASEVAULT_ENOTFOUND if there is none. */
CASEVAULT_API int casevault_disclosure_get(char **out_json, casevault_vault *vault, const char *disclosure_id);
/* A subject's disclosures (every subject's when subject is NULL), as a
 * JSON array of Disclosure (casevault_free). */
CASEVAULT_API int casevault_disclosure_list(char **out_json, casevault_vault *vault, const char *subject);
/* The data a disclosure allows, for the host to hand over: the export
 * document restricted to the disclosure's categories and fields, written to
 * write like casevault_subject_export. Audited ("disclosure.package"). */
CASEVAULT_API int casevault_disclosure_package(casevault_vault *vault, const char *disclosure_id,
                                               casevault_write_fn write, void *write_ctx);
/* The same as one string in *out_json (casevault_free). */
CASEVAULT_API int casevault_disclosure_package_json(char **out_json, casevault_vault *vault,
                                                    const char *disclosure_id);

/* A subprocessor to register. */
#define CASEVAULT_SUBPROCESSOR_FIELDS_VERSION 1
typedef struct casevault_subprocessor_fields {
    unsigned int version;          /* CASEVAULT_SUBPROCESSOR_FIELDS_VERSION */
    const char *name;              /* required: unique */
    const char *purpose;           /* required: a policy purpose */
    const char *const *categories; /* the policy categories it receives */
    size_t category_count;
    const char *location;          /* required: where it processes, e.g. "US" */
} casevault_subprocessor_fields;

#define CASEVAULT_SUBPROCESSOR_FIELDS_INIT { CASEVAULT_SUBPROCESSOR_FIELDS_VERSION, NULL, NULL, NULL, 0, NULL }

/* The subprocessor registry. _add: out_json (may be NULL) receives the
 * Subprocessor; CASEVAULT_EINVAL: an unknown purpose or category, an empty
 * location; CASEVAULT_EDUPLICATE: the name is taken. _retire: it stays in
 * the registry (for the record) with retired_at set; out_json may be NULL.
 * _list: a JSON array of Subprocessor (casevault_free); include_retired
 * non-zero: the retired ones too. */
CASEVAULT_API int casevault_subprocessor_add(char **out_json, casevault_vault *vault,
                                             const casevault_subprocessor_fields *fields);
CASEVAULT_API int casevault_subprocessor_retire(char **out_json, casevault_vault *vault, const char *name);
CASEVAULT_API int casevault_subprocessor_list(char **out_json, casevault_vault *vault, int include_retired);

/* An acquisition or merger to announce. */
#define CASEVAULT_TRANSFER_ANNOUNCEMENT_VERSION 1
typedef struct casevault_transfer_announcement {
    unsigned int version;      /* CASEVAULT_TRANSFER_ANNOUNCEMENT_VERSION */
    int kind;                  /* CASEVAULT_TRANSFER_*; _INIT: ACQUISITION */
    const char *counterparty;  /* required: the acquiring or merging company (not personal data) */
    int64_t effective_at;      /* when data moves: at least the notification lead time ahead */
    /* Phase "transfer_notice" (accounts notified); returning 0 cancels
     * (CASEVAULT_ECANCELLED, nothing recorded). NULL = none. */
    casevault_progress_fn progress;
    void *progress_ctx;
} casevault_transfer_announcement;

#define CASEVAULT_TRANSFER_ANNOUNCEMENT_INIT \
    { CASEVAULT_TRANSFER_ANNOUNCEMENT_VERSION, CASEVAULT_TRANSFER_ACQUISITION, NULL, 0, NULL, NULL }

/* Records the transfer and queues a transfer_notice for every active
 * account before data moves. out_json (may be NULL) receives the Transfer.
 * CASEVAULT_EINVAL: effective_at inside the lead time, an empty
 * counterparty, an unknown kind. */
CASEVAULT_API int casevault_transfer_announce(char **out_json, casevault_vault *vault,
                                              const casevault_transfer_announcement *announcement);
/* Every announced transfer, as a JSON array of Transfer (casevault_free). */
CASEVAULT_API int casevault_transfer_list(char **out_json, casevault_vault *vault);

/* -- De-identified aggregates --
 *
 * Counts with k-suppression: no cell, margin or total counting fewer than
 * k ("min_count") is shown, nor one a shown total would reveal
 * (complementary suppression). No subject ids. Months are UTC "YYYY-MM".
 *
 * AggregateTable JSON:
 * {"name":"cases","dimensions":["form_type","status","month"],"currency":null,
 *  "min_count":5,"cells":[Cell],"margins":[Cell],"total":Cell,
 *  "suppressed_primary":1,"suppressed_complementary":1}
 * Cell JSON (a margin has "*" for every dimension but one; the total all "*";
 * a suppressed cell has null count and total_minor):
 * {"keys":["I-130","received","2026-01"],"count":7|null,"total_minor":490000|null,
 *  "suppressed":false}
 * Tables: "cases" by form_type, status (the latest) and opening month;
 * "accounts" by status and creation month; "billing" by payment month and
 * billing_state, one table per currency ("currency":"USD"), with
 * total_minor (null in the other tables). cells are the non-empty cells,
 * sorted by keys; margins one per value of each dimension. */

#define CASEVAULT_AGGREGATE_OPTIONS_VERSION 1
typedef struct casevault_aggregate_options {
    unsigned int version;  /* CASEVAULT_AGGREGATE_OPTIONS_VERSION */
    /* a policy purpose of data_form "aggregate" or "deidentified" the
     * report serves (audited); NULL = none. Any other purpose is refused
     * (CASEVAULT_EINVAL). */
    const char *purpose;
    /* Whole UTC months only (00:00:00 on the 1st), else CASEVAULT_EINVAL:
     * windows a second apart would single a person out. */
    int64_t since;         /* records from (Unix seconds, included); 0 = no lower bound */
    int64_t until;         /* records before (excluded); 0 = no upper bound */
    int64_t min_count;     /* k; 0 = the policy's aggregates.min_count (default 5); may only raise it */
} casevault_aggregate_options;

#define CASEVAULT_AGGREGATE_OPTIONS_INIT { CASEVAULT_AGGREGATE_OPTIONS_VERSION, NULL, 0, 0, 0 }

/* _cases and _accounts: *out_json receives one AggregateTable; _billing a
 * JSON array of them (one per currency); _all a JSON array of the three
 * reports' tables (cases, accounts, then billing's), audited once
 * ("aggregates.report"); casevault_free. options is required (start from
 * CASEVAULT_AGGREGATE_OPTIONS_INIT for the defaults). CASEVAULT_EINVAL: an
 * unknown purpose or one that is not aggregate or de-identified, a
 * min_count below the policy's, until not after since. */
CASEVAULT_API int casevault_aggregates_cases(char **out_json, casevault_vault *vault,
                                             const casevault_aggregate_options *options);
CASEVAULT_API int casevault_aggregates_accounts(char **out_json, casevault_vault *vault,
                                                const casevault_aggregate_options *options);
CASEVAULT_API int casevault_aggregates_billing(char **out_json, casevault_vault *vault,
                                               const casevault_aggregate_options *options);
CASEVAULT_API int casevault_aggregates_all(char **out_json, casevault_vault *vault,
                                           const casevault_aggregate_options *options);

#ifdef __cplusplus
}
#endif

#endif /* CASEVAULT_H */

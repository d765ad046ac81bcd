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
 *   - Structured records (accounts, audit entries, info) are returned as JSON
 *     text: one stable, documented shape for every binding language, without
 *     a struct layout to freeze. The shapes are in docs/c-api.md.
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

#ifdef __cplusplus
}
#endif

#endif /* CASEVAULT_H */

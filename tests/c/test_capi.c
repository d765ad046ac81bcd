/*
 * test_capi.c — tests of the C API (casevault.h), written in C99.
 *
 * Run as: capi_test <dir>   (dir: a writable directory for the store files)
 *
 * Records come back as JSON text; these tests check them with strstr() on the
 * compact form the library emits ("key":value, no spaces).
 */
#include "casevault/casevault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- helpers ------------------------------------------------------------- */

static casevault_open_options pass_options(const char *passphrase) {
    casevault_open_options o = CASEVAULT_OPEN_OPTIONS_INIT;
    o.passphrase = passphrase;
    o.kdf_opslimit = 1; /* the cheap testing cost; never in production */
    o.kdf_memlimit_log2 = 13;
    return o;
}

static casevault_vault *open_pass(const char *path, const char *passphrase) {
    casevault_vault *v = NULL;
    casevault_open_options o = pass_options(passphrase);
    CHECK_OK(casevault_open(&v, path, &o));
    CHECK(v != NULL);
    return v;
}

static int open_pass_rc(const char *path, const char *passphrase) {
    casevault_vault *v = NULL;
    casevault_open_options o = pass_options(passphrase);
    int rc;
    o.create_if_missing = 0;
    rc = casevault_open(&v, path, &o);
    if (rc == CASEVAULT_OK) {
        CHECK(v != NULL);
        casevault_close(v);
    } else {
        CHECK(v == NULL);
    }
    return rc;
}

static char *create_account(casevault_vault *v, const char *name, const char *email, const char *phone) {
    casevault_account_fields f = CASEVAULT_ACCOUNT_FIELDS_INIT;
    char *id = NULL;
    f.name = name;
    f.email = email;
    f.phone = phone;
    CHECK_OK(casevault_account_create(&id, v, &f));
    CHECK(id != NULL && id[0] != '\0');
    return id;
}

static int progress_count(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)done;
    (void)total;
    CHECK(phase != NULL);
    ++*(int *)ctx;
    return 1;
}

static int progress_cancel(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)phase;
    (void)done;
    (void)total;
    ++*(int *)ctx;
    return 0;
}

static int64_t fixed_clock(void *ctx) { return *(const int64_t *)ctx; }

/* ---- tests ----------------------------------------------------------------- */

static void test_versions(void) {
    char *json = (char *)"untouched";
    char expected[64];
    CHECK(strcmp(casevault_version(), CASEVAULT_VERSION_STRING) == 0);
    CHECK(casevault_version_number() == CASEVAULT_VERSION_NUMBER);
    CHECK(CASEVAULT_VERSION_NUMBER ==
          CASEVAULT_VERSION_MAJOR * 10000 + CASEVAULT_VERSION_MINOR * 100 + CASEVAULT_VERSION_PATCH);
    snprintf(expected, sizeof expected, "%d.%d.%d", CASEVAULT_VERSION_MAJOR, CASEVAULT_VERSION_MINOR,
             CASEVAULT_VERSION_PATCH);
    CHECK(strcmp(expected, CASEVAULT_VERSION_STRING) == 0);

    CHECK_OK(casevault_engine_versions(&json));
    CHECK(json != NULL && json[0] == '{');
    CHECK(CONTAINS(json, "\"casevault\":\"" CASEVAULT_VERSION_STRING "\""));
    CHECK(CONTAINS(json, "\"sqlcipher\":\""));
    CHECK(CONTAINS(json, "\"sqlite\":\""));
    CHECK(CONTAINS(json, "\"sodium\":\""));
    CHECK(!CONTAINS(json, "\"sqlcipher\":\"\""));
    CHECK(!CONTAINS(json, "\"sqlite\":\"\""));
    CHECK(!CONTAINS(json, "\"sodium\":\"\""));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_engine_versions(NULL));
}

static void test_error_names(void) {
    CHECK(strcmp(casevault_error_name(CASEVAULT_EWRONGKEY), "wrong_key") == 0);
    CHECK(casevault_error_name(CASEVAULT_OK) != NULL);
    CHECK(casevault_error_name(CASEVAULT_EINVAL)[0] != '\0');
    CHECK(casevault_error_name(CASEVAULT_EUNSUPPORTED)[0] != '\0');
    CHECK(casevault_error_name(-1000) != NULL); /* unknown codes still get a name */
    CHECK(casevault_error_name(42) != NULL);
    /* distinct names for distinct codes */
    CHECK(strcmp(casevault_error_name(CASEVAULT_EINVAL), casevault_error_name(CASEVAULT_ENOTFOUND)) != 0);
}

static void test_null_safety(void) {
    casevault_close(NULL);
    casevault_free(NULL);
}

static int g_migrate_calls;
static int count_migration(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)ctx;
    if (strcmp(phase, "migrate") == 0 && done <= total) ++g_migrate_calls;
    return 1;
}
static int refuse(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)phase;
    (void)done;
    (void)total;
    (void)ctx;
    return 0;
}

static void test_open_progress(void) {
    const char *path = fresh_store("capi_migrate.db");
    const char *cancelled = fresh_store("capi_migrate_cancelled.db");
    uint8_t key[32] = {9};
    casevault_open_options o = CASEVAULT_OPEN_OPTIONS_INIT;
    casevault_vault *v = NULL;
    FILE *f;
    o.key = key;
    o.key_len = sizeof key;
    o.progress = count_migration;
    g_migrate_calls = 0;
    CHECK_OK(casevault_open(&v, path, &o));
    CHECK(g_migrate_calls >= 2);
    casevault_close(v);
    o.progress = refuse;
    v = NULL;
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_open(&v, cancelled, &o));
    CHECK(v == NULL);
    f = fopen(cancelled, "rb");
    CHECK(f == NULL); /* nothing left behind */
    if (f) fclose(f);
}

static void test_open_raw_key(void) {
    const casevault_open_options defaults = CASEVAULT_OPEN_OPTIONS_INIT;
    const char *path = fresh_store("capi_raw.db");
    uint8_t key[32], other[32], newkey[32];
    casevault_open_options o = CASEVAULT_OPEN_OPTIONS_INIT;
    casevault_vault *v = NULL;
    char *info = NULL, *id;
    size_t i;
    int calls = 0;
    /* what the _INIT macro promises */
    CHECK(defaults.version == CASEVAULT_OPEN_OPTIONS_VERSION);
    CHECK(defaults.create_if_missing == 1);
    CHECK(defaults.busy_timeout_ms == 5000);
    CHECK(defaults.batch_read_audit == 1);
    CHECK(defaults.durable == 0);
    CHECK(defaults.passphrase == NULL && defaults.key == NULL && defaults.clock == NULL);

    for (i = 0; i < 32; ++i) {
        key[i] = (uint8_t)(i * 7 + 1);
        other[i] = (uint8_t)(i * 7 + 2);
        newkey[i] = (uint8_t)(255 - i);
    }

    o.key = key;
    o.key_len = sizeof key;
    CHECK_OK(casevault_open(&v, path, &o));
    CHECK(v != NULL);
    CHECK_OK(casevault_info(&info, v));
    CHECK(CONTAINS(info, "\"key_mode\":\"raw\""));
    CHECK(CONTAINS(info, "\"schema_version\":"));
    casevault_free(info);
    id = create_account(v, "Raw Key Person", "raw.key@example.com", NULL);
    casevault_free(id);
    casevault_close(v);

    /* reopen with the same key, durable and with unbatched read audit */
    v = NULL;
    o.create_if_missing = 0;
    o.durable = 1;
    o.batch_read_audit = 0;
    CHECK_OK(casevault_open(&v, path, &o));
    {
        char *found = NULL, *entries = NULL;
        casevault_audit_filter f = CASEVAULT_AUDIT_FILTER_INIT;
        CHECK_OK(casevault_account_find_by_email(&found, v, "raw.key@example.com"));
        CHECK(found != NULL);
        casevault_free(found);
        f.action = "account.read";
        CHECK_OK(casevault_audit_read(&entries, v, &f));
        CHECK(CONTAINS(entries, "\"account.read\""));
        casevault_free(entries);
    }
    casevault_close(v);
    o.durable = 0;
    o.batch_read_audit = 1;

    /* a different key does not open it */
    v = (casevault_vault *)&o; /* must be reset to NULL */
    o.key = other;
    CHECK_FAILS(CASEVAULT_EWRONGKEY, casevault_open(&v, path, &o));
    CHECK(v == NULL);

    /* a passphrase does not open a raw-key store */
    {
        casevault_open_options p = pass_options("a passphrase");
        p.create_if_missing = 0;
        CHECK(casevault_open(&v, path, &p) != CASEVAULT_OK);
        CHECK(v == NULL);
    }

    /* a key of the wrong size is refused */
    o.key = key;
    o.key_len = 16;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(&v, path, &o));
    CHECK(v == NULL);

    /* change_key: the new key opens it, the old one no longer does */
    o.key_len = 32;
    CHECK_OK(casevault_open(&v, path, &o));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_change_key(v, NULL, 32, NULL, NULL));
    CHECK_OK(casevault_change_key(v, newkey, sizeof newkey, progress_count, &calls));
    CHECK(calls > 0);
    casevault_close(v);
    v = NULL;
    CHECK_FAILS(CASEVAULT_EWRONGKEY, casevault_open(&v, path, &o));
    o.key = newkey;
    CHECK_OK(casevault_open(&v, path, &o));
    {
        int64_t n = 0;
        CHECK_OK(casevault_account_count(&n, v, NULL));
        CHECK(n == 1);
    }
    casevault_close(v);
}

static void test_open_errors(void) {
    const char *path = fresh_store("capi_open_errors.db");
    casevault_open_options o = pass_options("pw");
    casevault_vault *v = (casevault_vault *)&o;

    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(NULL, path, &o));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(&v, NULL, &o));
    CHECK(v == NULL);
    v = (casevault_vault *)&o;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(&v, path, NULL));
    CHECK(v == NULL);

    /* options versions: 0 and unknown are refused */
    o.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(&v, path, &o));
    CHECK(strstr(casevault_last_error(), "version") != NULL);
    o.version = CASEVAULT_OPEN_OPTIONS_VERSION + 41;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(&v, path, &o));
    o.version = CASEVAULT_OPEN_OPTIONS_VERSION;

    /* neither passphrase nor key */
    o.passphrase = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_open(&v, path, &o));
    CHECK(v == NULL);

    /* missing store without create_if_missing */
    o = pass_options("pw");
    o.create_if_missing = 0;
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_open(&v, path, &o));
    CHECK(v == NULL);
    {
        FILE *f = fopen(path, "rb"); /* and nothing was created */
        CHECK(f == NULL);
    }
}

static void test_accounts(void) {
    const char *path = fresh_store("capi_accounts.db");
    casevault_vault *v = open_pass(path, "correct horse battery staple");
    char *id1, *id2, *json = NULL, *ids[5];
    char cursor[128];
    casevault_account_fields batch[5];
    casevault_account_fields f = CASEVAULT_ACCOUNT_FIELDS_INIT;
    int64_t n = -1;
    int pages, seen, i;
    char names[5][32], emails[5][48];

    /* create and get */
    f.name = "Maria Lopez";
    f.email = "Maria.Lopez@Example.com";
    f.phone = "+1 332 555 0101";
    f.address = "12 Elm St, Springfield";
    f.company = "Acme Legal";
    id1 = NULL;
    CHECK_OK(casevault_account_create(&id1, v, &f));
    CHECK(id1 != NULL && strncmp(id1, "acc_", 4) == 0);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    CHECK(casevault_last_error()[0] == '\0');

    CHECK_OK(casevault_account_get(&json, v, id1));
    CHECK(json != NULL && json[0] == '{');
    CHECK(CONTAINS(json, "\"status\":\"active\""));
    CHECK(CONTAINS(json, "\"name\":\"Maria Lopez\""));
    CHECK(CONTAINS(json, "\"phone\":"));
    CHECK(CONTAINS(json, "\"address\":\"12 Elm St, Springfield\""));
    CHECK(CONTAINS(json, "\"company\":\"Acme Legal\""));
    CHECK(CONTAINS(json, "\"created_at\":"));
    CHECK(CONTAINS(json, "\"updated_at\":"));
    CHECK(CONTAINS(json, id1));
    casevault_free(json);

    /* optional fields absent -> null */
    id2 = create_account(v, "Chen Wei", NULL, "+44 20 7946 0958");
    CHECK_OK(casevault_account_get(&json, v, id2));
    CHECK(CONTAINS(json, "\"email\":null"));
    CHECK(CONTAINS(json, "\"address\":null"));
    CHECK(CONTAINS(json, "\"company\":null"));
    casevault_free(json);

    /* find by email: case and surrounding spaces do not matter */
    CHECK_OK(casevault_account_find_by_email(&json, v, "  maria.lopez@EXAMPLE.COM "));
    CHECK(json != NULL);
    CHECK(CONTAINS(json, id1));
    casevault_free(json);

    /* find by phone: separators do not matter */
    CHECK_OK(casevault_account_find_by_phone(&json, v, "+1 (332) 555-0101"));
    CHECK(CONTAINS(json, id1));
    casevault_free(json);
    CHECK_OK(casevault_account_find_by_phone(&json, v, "+13325550101"));
    CHECK(CONTAINS(json, id1));
    casevault_free(json);
    CHECK_OK(casevault_account_find_by_phone(&json, v, "+44 (20) 7946-0958"));
    CHECK(CONTAINS(json, id2));
    casevault_free(json);

    /* not found is not an error */
    json = (char *)"untouched";
    CHECK_OK(casevault_account_find_by_email(&json, v, "nobody@example.com"));
    CHECK(json == NULL);
    json = (char *)"untouched";
    CHECK_OK(casevault_account_find_by_phone(&json, v, "+1 212 555 0199"));
    CHECK(json == NULL);

    /* get of an unknown id */
    json = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_account_get(&json, v, "acc_000000000000000000000000"));
    CHECK(json == NULL);

    /* duplicates */
    {
        casevault_account_fields d = CASEVAULT_ACCOUNT_FIELDS_INIT;
        char *dup = (char *)"untouched";
        d.name = "Someone Else";
        d.email = "maria.lopez@example.com";
        CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_account_create(&dup, v, &d));
        CHECK(dup == NULL);
        d.email = " MARIA.LOPEZ@example.COM";
        CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_account_create(&dup, v, &d));
        d.email = NULL;
        d.phone = "+1-332-555-0101";
        CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_account_create(&dup, v, &d));
        CHECK(dup == NULL);
    }

    /* update: only the non-NULL fields change; "" clears */
    {
        casevault_account_fields u = CASEVAULT_ACCOUNT_FIELDS_INIT;
        u.address = "99 Oak Ave, Shelbyville";
        u.company = "";
        CHECK_OK(casevault_account_update(v, id1, &u));
        CHECK_OK(casevault_account_get(&json, v, id1));
        CHECK(CONTAINS(json, "\"address\":\"99 Oak Ave, Shelbyville\""));
        CHECK(CONTAINS(json, "\"company\":null"));
        CHECK(CONTAINS(json, "\"name\":\"Maria Lopez\""));
        CHECK(!CONTAINS(json, "12 Elm St"));
        casevault_free(json);

        u = (casevault_account_fields)CASEVAULT_ACCOUNT_FIELDS_INIT;
        u.email = "maria.new@example.com";
        CHECK_OK(casevault_account_update(v, id1, &u));
        CHECK_OK(casevault_account_find_by_email(&json, v, "maria.new@example.com"));
        CHECK(CONTAINS(json, id1));
        casevault_free(json);
        CHECK_OK(casevault_account_find_by_email(&json, v, "maria.lopez@example.com"));
        CHECK(json == NULL);

        /* update to an email that is taken */
        u.email = "maria.new@example.com";
        CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_account_update(v, id2, &u));
        /* update of an unknown id */
        CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_account_update(v, "acc_000000000000000000000000", &u));
    }

    /* set_status */
    CHECK_OK(casevault_account_set_status(v, id2, "cancelled"));
    CHECK_OK(casevault_account_get(&json, v, id2));
    CHECK(CONTAINS(json, "\"status\":\"cancelled\""));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_set_status(v, id2, "sleeping"));
    CHECK_OK(casevault_account_count(&n, v, "cancelled"));
    CHECK(n == 1);
    CHECK_OK(casevault_account_set_status(v, id2, "active"));

    /* create_many, with and without out_ids */
    for (i = 0; i < 5; ++i) {
        batch[i] = (casevault_account_fields)CASEVAULT_ACCOUNT_FIELDS_INIT;
        snprintf(names[i], sizeof names[i], "Batch Person %d", i);
        snprintf(emails[i], sizeof emails[i], "batch%d@example.com", i);
        batch[i].name = names[i];
        batch[i].email = emails[i];
        ids[i] = (char *)"untouched";
    }
    CHECK_OK(casevault_account_create_many(ids, v, batch, 5));
    for (i = 0; i < 5; ++i) {
        CHECK(ids[i] != NULL && strncmp(ids[i], "acc_", 4) == 0);
        CHECK_OK(casevault_account_get(&json, v, ids[i]));
        CHECK(CONTAINS(json, names[i]));
        casevault_free(json);
    }
    for (i = 0; i < 5; ++i) casevault_free(ids[i]);

    /* all or nothing: a duplicate in the batch creates none of it */
    for (i = 0; i < 3; ++i) {
        snprintf(names[i], sizeof names[i], "Second Batch %d", i);
        snprintf(emails[i], sizeof emails[i], "second%d@example.com", i);
    }
    batch[2].email = "batch0@example.com"; /* taken */
    CHECK_OK(casevault_account_count(&n, v, NULL));
    CHECK(n == 7);
    CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_account_create_many(ids, v, batch, 3));
    CHECK(ids[0] == NULL && ids[1] == NULL && ids[2] == NULL);
    CHECK_OK(casevault_account_count(&n, v, NULL));
    CHECK(n == 7);
    batch[2].email = emails[2];
    CHECK_OK(casevault_account_create_many(NULL, v, batch, 3));
    CHECK_OK(casevault_account_count(&n, v, NULL));
    CHECK(n == 10);
    CHECK_OK(casevault_account_count(&n, v, "active"));
    CHECK(n == 10);

    /* list, paging with next_cursor */
    cursor[0] = '\0';
    pages = 0;
    seen = 0;
    for (;;) {
        CHECK_OK(casevault_account_list(&json, v, cursor, 3, NULL));
        CHECK(CONTAINS(json, "\"items\":["));
        CHECK(CONTAINS(json, "\"next_cursor\":"));
        seen += count_occurrences(json, "\"id\":\"acc_");
        ++pages;
        CHECK(pages <= 10);
        if (!json_string_value(json, "next_cursor", cursor, sizeof cursor)) {
            CHECK(0 && "next_cursor missing");
        }
        casevault_free(json);
        if (cursor[0] == '\0') break;
    }
    CHECK(seen == 10);
    CHECK(pages >= 4);
    /* NULL after_id is the first page; a status filter */
    CHECK_OK(casevault_account_list(&json, v, NULL, 100, "active"));
    CHECK(count_occurrences(json, "\"id\":\"acc_") == 10);
    casevault_free(json);
    CHECK_OK(casevault_account_list(&json, v, NULL, 100, "closed"));
    CHECK(CONTAINS(json, "\"items\":[]"));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_list(&json, v, NULL, 100, "bogus"));
    CHECK(json == NULL);

    /* erase: a tombstone with status erased and no personal fields */
    CHECK_OK(casevault_account_erase(v, id1));
    CHECK_OK(casevault_account_get(&json, v, id1));
    CHECK(CONTAINS(json, "\"status\":\"erased\""));
    CHECK(CONTAINS(json, "\"name\":null"));
    CHECK(CONTAINS(json, "\"email\":null"));
    CHECK(CONTAINS(json, "\"phone\":null"));
    CHECK(CONTAINS(json, "\"address\":null"));
    CHECK(CONTAINS(json, "\"company\":null"));
    CHECK(!CONTAINS(json, "Maria"));
    casevault_free(json);
    CHECK_OK(casevault_account_find_by_email(&json, v, "maria.new@example.com"));
    CHECK(json == NULL);
    CHECK_OK(casevault_account_erase(v, id1)); /* erasing twice is a no-op */
    CHECK_OK(casevault_account_count(&n, v, "erased"));
    CHECK(n == 1);
    {
        casevault_account_fields u = CASEVAULT_ACCOUNT_FIELDS_INIT;
        u.name = "Back Again";
        CHECK(casevault_account_update(v, id1, &u) != CASEVAULT_OK);
    }

    /* audit: the actions are there, and no personal data */
    {
        casevault_audit_filter af = CASEVAULT_AUDIT_FILTER_INIT;
        char *head_json = NULL;
        char head[256];
        int ok = -1;
        int64_t bad = -1;

        CHECK_OK(casevault_audit_read(&json, v, &af));
        CHECK(json != NULL && json[0] == '[');
        CHECK(CONTAINS(json, "\"action\":\"account.create\""));
        CHECK(CONTAINS(json, "erase"));
        CHECK(CONTAINS(json, "\"seq\":1,"));
        CHECK(CONTAINS(json, "\"actor\":\"host\""));
        CHECK(!CONTAINS(json, "Maria"));
        CHECK(!CONTAINS(json, "example.com"));
        casevault_free(json);

        af.subject = id1;
        CHECK_OK(casevault_audit_read(&json, v, &af));
        CHECK(CONTAINS(json, id1));
        CHECK(CONTAINS(json, "\"action\":\"account.create\""));
        CHECK(!CONTAINS(json, id2));
        casevault_free(json);

        af.subject = NULL;
        af.action = "account.";
        af.limit = 2;
        CHECK_OK(casevault_audit_read(&json, v, &af));
        CHECK(count_occurrences(json, "\"seq\":") == 2);
        casevault_free(json);

        af = (casevault_audit_filter)CASEVAULT_AUDIT_FILTER_INIT;
        af.action = "no.such.action";
        CHECK_OK(casevault_audit_read(&json, v, &af));
        CHECK(strcmp(json, "[]") == 0);
        casevault_free(json);

        af.version = 0;
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_audit_read(&json, v, &af));
        CHECK(json == NULL);
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_audit_read(&json, v, NULL));

        CHECK_OK(casevault_audit_verify(&ok, &bad, &head_json, v, NULL));
        CHECK(ok == 1);
        CHECK(bad == 0);
        CHECK(CONTAINS(head_json, "\"ok\":true"));
        CHECK(CONTAINS(head_json, "\"first_bad_seq\":0"));
        CHECK(json_string_value(head_json, "head", head, sizeof head));
        CHECK(head[0] != '\0');
        casevault_free(head_json);

        /* with an expected head recorded earlier, and without out_json */
        ok = -1;
        CHECK_OK(casevault_audit_verify(&ok, &bad, NULL, v, head));
        CHECK(ok == 1);
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_audit_verify(NULL, &bad, NULL, v, NULL));
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_audit_verify(&ok, NULL, NULL, v, NULL));
        CHECK(ok == 0);
    }

    /* integrity */
    {
        int64_t pages = 0;
        CHECK_OK(casevault_check_integrity(&pages, v));
        CHECK(pages > 1);
        CHECK_OK(casevault_check_integrity(NULL, v));
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_check_integrity(&pages, NULL));
        CHECK(pages == 0);
    }

    /* info */
    CHECK_OK(casevault_info(&json, v));
    CHECK(CONTAINS(json, "\"key_mode\":\"passphrase\""));
    CHECK(CONTAINS(json, "\"opslimit\":1"));
    CHECK(CONTAINS(json, "\"memlimit_log2\":13"));
    CHECK(CONTAINS(json, "\"sqlcipher\":\""));
    CHECK(CONTAINS(json, "\"total\":10"));
    CHECK(CONTAINS(json, "\"erased\":1"));
    casevault_free(json);

    casevault_free(id1);
    casevault_free(id2);
    casevault_close(v);
}

static void test_invalid_arguments(void) {
    const char *path = fresh_store("capi_invalid.db");
    casevault_vault *v = open_pass(path, "pw");
    casevault_account_fields f = CASEVAULT_ACCOUNT_FIELDS_INIT;
    char *out = (char *)"untouched";
    int64_t n = 42;
    char *id = create_account(v, "Valid Person", "valid@example.com", NULL);

    f.name = "Someone";
    f.email = "someone@example.com";

    /* NULL out-params */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(NULL, v, &f));
    CHECK(strstr(casevault_last_error(), "out_id") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_get(NULL, v, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_count(NULL, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_info(NULL, v));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_list(NULL, v, NULL, 10, NULL));

    /* NULL vault: out-params are still reset */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, NULL, &f));
    CHECK(out == NULL);
    CHECK(strstr(casevault_last_error(), "vault") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_count(&n, NULL, NULL));
    CHECK(n == 0);
    out = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_get(&out, NULL, id));
    CHECK(out == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_erase(NULL, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_info(&out, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_change_passphrase(NULL, "x", 0, 0, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create_many(NULL, NULL, &f, 1));

    /* NULL inputs */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_get(&out, v, NULL));
    CHECK(strstr(casevault_last_error(), "id") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_find_by_email(&out, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_find_by_phone(&out, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_update(v, id, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_set_status(v, id, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_erase(v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_change_passphrase(v, NULL, 0, 0, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create_many(NULL, v, NULL, 2));

    /* bad values */
    f.email = "not-an-email";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));
    CHECK(out == NULL);
    CHECK(strstr(casevault_last_error(), "not-an-email") == NULL); /* no personal data */
    f.email = "someone@example.com";
    f.name = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));
    f.name = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));
    f.name = "No Contact";
    f.email = NULL;
    f.phone = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));
    f.phone = "555 0101"; /* no country code */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));

    /* wrong options versions */
    f.phone = NULL;
    f.email = "someone@example.com";
    f.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));
    CHECK(strstr(casevault_last_error(), "version") != NULL);
    f.version = 77;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create(&out, v, &f));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_update(v, id, &f));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_account_create_many(NULL, v, &f, 1));

    /* a success clears the last error */
    CHECK(casevault_last_error_code() == CASEVAULT_EINVAL);
    CHECK_OK(casevault_account_count(&n, v, NULL));
    CHECK(n == 1);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    CHECK(strcmp(casevault_last_error(), "") == 0);

    /* nothing was changed by all of the above */
    CHECK_OK(casevault_account_count(&n, v, NULL));
    CHECK(n == 1);

    casevault_free(id);
    casevault_close(v);
}

static void test_passphrase_changes(void) {
    const char *path = fresh_store("capi_rekey.db");
    casevault_vault *v = open_pass(path, "old passphrase");
    char *id = create_account(v, "Rekey Person", "rekey@example.com", NULL);
    char *json = NULL;
    int calls = 0;
    int64_t n = 0;
    casevault_free(id);

    /* wrong passphrase on reopen */
    casevault_close(v);
    CHECK_FAILS(CASEVAULT_EWRONGKEY, open_pass_rc(path, "not the passphrase"));
    v = open_pass(path, "old passphrase");

    /* cancelled: nothing changes */
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_change_passphrase(v, "never used", 1, 13, progress_cancel, &calls));
    CHECK(calls >= 1);
    CHECK_OK(casevault_account_count(&n, v, NULL)); /* the handle still works */
    CHECK(n == 1);
    casevault_close(v);
    CHECK_RC(CASEVAULT_OK, open_pass_rc(path, "old passphrase"));
    CHECK_FAILS(CASEVAULT_EWRONGKEY, open_pass_rc(path, "never used"));

    /* changed, with progress reports */
    v = open_pass(path, "old passphrase");
    calls = 0;
    CHECK_OK(casevault_change_passphrase(v, "new passphrase", 1, 13, progress_count, &calls));
    CHECK(calls > 0);
    CHECK_OK(casevault_account_find_by_email(&json, v, "rekey@example.com")); /* still usable */
    CHECK(json != NULL);
    casevault_free(json);
    casevault_close(v);

    CHECK_RC(CASEVAULT_OK, open_pass_rc(path, "new passphrase"));
    CHECK_FAILS(CASEVAULT_EWRONGKEY, open_pass_rc(path, "old passphrase"));

    /* kdf 0 = keep / default, and no progress callback */
    v = open_pass(path, "new passphrase");
    CHECK_OK(casevault_change_passphrase(v, "third passphrase", 0, 0, NULL, NULL));
    CHECK_OK(casevault_account_find_by_email(&json, v, "rekey@example.com"));
    CHECK(json != NULL);
    casevault_free(json);
    casevault_close(v);
    CHECK_RC(CASEVAULT_OK, open_pass_rc(path, "third passphrase"));
    CHECK_FAILS(CASEVAULT_EWRONGKEY, open_pass_rc(path, "new passphrase"));
}

static void test_clock_and_actor(void) {
    const char *path = fresh_store("capi_clock.db");
    casevault_open_options o = pass_options("clock pw");
    casevault_vault *v = NULL;
    int64_t now = 1234567890;
    casevault_audit_filter af = CASEVAULT_AUDIT_FILTER_INIT;
    char *id, *json = NULL;

    o.clock = fixed_clock;
    o.clock_ctx = &now;
    o.actor = "clerk_17";
    CHECK_OK(casevault_open(&v, path, &o));
    id = create_account(v, "Clock Person", "clock@example.com", NULL);
    CHECK_OK(casevault_account_get(&json, v, id));
    CHECK(CONTAINS(json, "\"created_at\":1234567890"));
    CHECK(CONTAINS(json, "\"updated_at\":1234567890"));
    casevault_free(json);

    now += 86400; /* a day later */
    CHECK_OK(casevault_account_set_status(v, id, "closed"));
    CHECK_OK(casevault_account_get(&json, v, id));
    CHECK(CONTAINS(json, "\"created_at\":1234567890"));
    CHECK(CONTAINS(json, "\"updated_at\":1234654290"));
    casevault_free(json);

    af.actor = "clerk_17";
    af.since = 1234567890;
    CHECK_OK(casevault_audit_read(&json, v, &af));
    CHECK(CONTAINS(json, "\"at\":1234567890"));
    CHECK(CONTAINS(json, "\"at\":1234654290"));
    CHECK(CONTAINS(json, "\"actor\":\"clerk_17\""));
    casevault_free(json);
    af.since = 1234600000; /* only the second day */
    CHECK_OK(casevault_audit_read(&json, v, &af));
    CHECK(!CONTAINS(json, "\"at\":1234567890"));
    CHECK(CONTAINS(json, "\"at\":1234654290"));
    casevault_free(json);

    casevault_free(id);
    casevault_close(v);
}

static void test_canary_not_in_file(void) {
    const char *path = fresh_store("capi_canary.db");
    const char *name_canary = "Zebulon Canarywhistle Quix";
    const char *email_canary = "zq.canary.7731@canary-mail.example";
    const char *address_canary = "7731 Canaryplatz";
    char wal[1100];
    casevault_vault *v = open_pass(path, "canary pw");
    casevault_account_fields f = CASEVAULT_ACCOUNT_FIELDS_INIT;
    char *id = NULL;
    size_t size = 0;
    unsigned char *data;

    /* the search itself works */
    CHECK(bytes_contain((const unsigned char *)"xxCanarywhistlexx", 17, "Canarywhistle"));
    CHECK(!bytes_contain((const unsigned char *)"xxCanarywhistl", 14, "Canarywhistle"));

    f.name = name_canary;
    f.email = email_canary;
    f.address = address_canary;
    f.phone = "+49 30 901820";
    CHECK_OK(casevault_account_create(&id, v, &f));

    /* look at the files while the store is still open (WAL not yet folded
     * back), and after closing */
    snprintf(wal, sizeof wal, "%s-wal", path);
    CHECK(!file_contains(path, "Canarywhistle"));
    CHECK(!file_contains(wal, "Canarywhistle"));
    CHECK(!file_contains(wal, "canary-mail"));
    casevault_free(id);
    casevault_close(v);

    data = read_file(path, &size);
    CHECK(data != NULL);
    CHECK(size > 0);
    CHECK(!bytes_contain(data, size, name_canary));
    CHECK(!bytes_contain(data, size, "Canarywhistle"));
    CHECK(!bytes_contain(data, size, email_canary));
    CHECK(!bytes_contain(data, size, "canary-mail"));
    CHECK(!bytes_contain(data, size, "Canaryplatz"));
    free(data);
    CHECK(!file_contains(wal, "Canarywhistle"));
    CHECK(!file_contains(wal, "canary-mail"));
}

int main(int argc, char **argv) {
    if (argc > 1) g_dir = argv[1];

    test_versions();
    test_error_names();
    test_null_safety();
    test_open_errors();
    test_open_raw_key();
    test_open_progress();
    test_accounts();
    test_invalid_arguments();
    test_passphrase_changes();
    test_clock_and_actor();
    test_canary_not_in_file();
    test_null_safety();

    printf("capi_test: all %d checks passed\n", g_checks);
    return 0;
}

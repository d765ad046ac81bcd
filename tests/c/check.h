/*
 * check.h — the small harness shared by the C API tests (compiled as C99).
 * Every failed check prints where, what, and the library's last error, then
 * exits: the first failure ends the test.
 */
#ifndef CASEVAULT_TEST_CHECK_H
#define CASEVAULT_TEST_CHECK_H

#include <casevault/casevault.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_checks = 0;

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        ++g_checks;                                                                      \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n  last error: [%s] %s\n", __FILE__, \
                    __LINE__, #cond, casevault_error_name(casevault_last_error_code()),   \
                    casevault_last_error());                                             \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

/* The call must return `code`. */
#define CHECK_RC(code, call)                                                                \
    do {                                                                                    \
        int rc_ = (call);                                                                   \
        ++g_checks;                                                                         \
        if (rc_ != (code)) {                                                                \
            fprintf(stderr, "%s:%d: %s\n  returned %d (%s), expected %d (%s)\n  last error: %s\n", \
                    __FILE__, __LINE__, #call, rc_, casevault_error_name(rc_), (code),      \
                    casevault_error_name(code), casevault_last_error());                    \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

#define CHECK_OK(call) CHECK_RC(CASEVAULT_OK, call)

/* A failure must leave a message and the same code behind. */
#define CHECK_FAILS(code, call)                           \
    do {                                                  \
        CHECK_RC(code, call);                             \
        CHECK(casevault_last_error_code() == (code));     \
        CHECK(casevault_last_error() != NULL);            \
        CHECK(casevault_last_error()[0] != '\0');         \
    } while (0)

#define CONTAINS(hay, needle) ((hay) != NULL && strstr((hay), (needle)) != NULL)

/* ---- JSON text ------------------------------------------------------------- */

/* Records come back as compact JSON ("key":value, no spaces): these helpers
 * read it with strstr(). */

static inline int count_occurrences(const char *hay, const char *needle) {
    int n = 0;
    size_t len = strlen(needle);
    if (!hay) return 0;
    while ((hay = strstr(hay, needle)) != NULL) {
        ++n;
        hay += len;
    }
    return n;
}

/* Copies the string value of the first "key":"..." into out; returns 0 if absent. */
static inline int json_string_value(const char *json, const char *key, char *out, size_t out_size) {
    char pattern[128];
    const char *p, *end;
    size_t n;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    p = json ? strstr(json, pattern) : NULL;
    if (!p) return 0;
    p += strlen(pattern);
    end = strchr(p, '"');
    if (!end) return 0;
    n = (size_t)(end - p);
    if (n >= out_size) return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

/* ---- store files ---------------------------------------------------------- */

static const char *g_dir = ".";

/* dir/name, in a static ring of buffers so that a few can be alive at once. */
static inline const char *path_in_dir(const char *name) {
    static char bufs[8][1024];
    static int next = 0;
    char *b = bufs[next];
    next = (next + 1) % 8;
    snprintf(b, sizeof bufs[0], "%s/%s", g_dir, name);
    return b;
}

/* Removes a store and the files SQLite may keep next to it. */
static inline void remove_store(const char *path) {
    static const char *suffixes[] = {"", "-wal", "-shm", "-journal", ".rekey", ".tmp", ".new"};
    char buf[1100];
    size_t i;
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; ++i) {
        snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
        remove(buf);
    }
}

static inline const char *fresh_store(const char *name) {
    const char *p = path_in_dir(name);
    remove_store(p);
    return p;
}

/* The store clock of the tests that move time by hand: test_now() is the
 * current Unix time (2026-01-01 00:00:00 UTC at start). */
static inline int64_t *test_now(void) {
    static int64_t now = 1767225600;
    return &now;
}
static inline int64_t test_clock(void *ctx) {
    (void)ctx;
    return *test_now();
}
#define DAY ((int64_t)86400)

/* A fresh store on the test clock, with the cheap testing KDF. */
static inline casevault_vault *open_clocked_store(const char *name, const char *passphrase) {
    casevault_vault *v = NULL;
    casevault_open_options o = CASEVAULT_OPEN_OPTIONS_INIT;
    o.passphrase = passphrase;
    o.kdf_opslimit = 1; /* never in production */
    o.kdf_memlimit_log2 = 13;
    o.clock = test_clock;
    CHECK_OK(casevault_open(&v, fresh_store(name), &o));
    CHECK(v != NULL);
    return v;
}

/* Reads a whole file; NULL if it does not exist. *size receives its length.
 * Release with free(). */
static inline unsigned char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, len = 0, got;
    *size = 0;
    if (!f) return NULL;
    for (;;) {
        if (len == cap) {
            unsigned char *nb;
            cap = cap ? cap * 2 : 65536;
            nb = (unsigned char *)realloc(buf, cap);
            CHECK(nb != NULL);
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    fclose(f);
    *size = len;
    return buf;
}

static inline int bytes_contain(const unsigned char *hay, size_t hay_len, const char *needle) {
    size_t n = strlen(needle), i;
    if (n == 0 || hay_len < n) return 0;
    for (i = 0; i + n <= hay_len; ++i)
        if (hay[i] == (unsigned char)needle[0] && memcmp(hay + i, needle, n) == 0) return 1;
    return 0;
}

/* 1 if the file (if it exists) contains needle: the canary scans. */
static inline int file_contains(const char *path, const char *needle) {
    size_t size = 0;
    unsigned char *data = read_file(path, &size);
    int found;
    if (!data) return 0;
    found = bytes_contain(data, size, needle);
    free(data);
    return found;
}

/* Room for any casevault id. */
#define ID_LEN 64

/* Copies a returned id into dst (ID_LEN bytes) and releases it. */
static inline void take_id(char *dst, char *id) {
    CHECK(id != NULL && strlen(id) < ID_LEN);
    strcpy(dst, id);
    casevault_free(id);
}

/* ---- JSON records ---------------------------------------------------------- */

/* Copies the first "id" of a JSON record into dst (ID_LEN bytes); the id
 * must begin with prefix ("cas_", "msg_", ...). */
static inline void json_id(char *dst, const char *json, const char *prefix) {
    CHECK(json_string_value(json, "id", dst, ID_LEN));
    CHECK(strncmp(dst, prefix, strlen(prefix)) == 0);
}

/* The integer value of the first "key":<n>; the key must be there with a number. */
static inline int64_t json_int(const char *json, const char *key) {
    char pattern[128];
    const char *p;
    char *end = NULL;
    long long n;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = json ? strstr(json, pattern) : NULL;
    CHECK(p != NULL);
    p += strlen(pattern);
    n = strtoll(p, &end, 10);
    CHECK(end != p);
    return (int64_t)n;
}

/* "key":value exactly, the number ended by , } or ], e.g.
 * has_int(j, "due_at", 1767225600). */
static inline int has_int(const char *json, const char *key, int64_t value) {
    char pattern[160];
    const char *p = json;
    size_t n;
    snprintf(pattern, sizeof pattern, "\"%s\":%lld", key, (long long)value);
    n = strlen(pattern);
    while (p && (p = strstr(p, pattern)) != NULL) {
        char c = p[n];
        if (c == ',' || c == '}' || c == ']') return 1;
        p += n;
    }
    return 0;
}

/* "key":"value" exactly. */
static inline int has_str(const char *json, const char *key, const char *value) {
    char pattern[300];
    snprintf(pattern, sizeof pattern, "\"%s\":\"%s\"", key, value);
    return CONTAINS(json, pattern);
}

/* ---- accounts, principals, policies ----------------------------------------- */

static inline void new_account(casevault_vault *v, char *id, const char *name, const char *email,
                               const char *phone) {
    casevault_account_fields f = CASEVAULT_ACCOUNT_FIELDS_INIT;
    char *out = NULL;
    f.name = name;
    f.email = email;
    f.phone = phone;
    CHECK_OK(casevault_account_create(&out, v, &f));
    take_id(id, out);
}

static inline void new_principal(casevault_vault *v, char *id, int role) {
    char *out = NULL;
    CHECK_OK(casevault_principal_add(&out, v, role));
    CHECK(out != NULL && strncmp(out, "prn_", 4) == 0);
    take_id(id, out);
}

/* A whole file as a NUL-terminated string (free()). */
static inline char *read_text(const char *path) {
    size_t size = 0;
    unsigned char *data = read_file(path, &size);
    char *text;
    CHECK(data != NULL);
    text = (char *)realloc(data, size + 1);
    CHECK(text != NULL);
    text[size] = '\0';
    return text;
}

#ifdef CV_EXAMPLES_DIR
/* Publishes examples/policies/<file> as metadata version `version`, with
 * the text `from` (if not NULL) overwritten by `to` (at most as long). */
static inline void publish_edited(casevault_vault *v, const char *file, int version, const char *from, const char *to) {
    static const char *marker = "\"version\": 1,";
    char path[1024];
    char *text, *doc, *at;
    size_t head;
    snprintf(path, sizeof path, "%s/policies/%s", CV_EXAMPLES_DIR, file);
    text = read_text(path);
    at = strstr(text, marker); /* the first one is metadata.version */
    CHECK(at != NULL);
    head = (size_t)(at - text);
    doc = (char *)malloc(strlen(text) + 32);
    CHECK(doc != NULL);
    memcpy(doc, text, head);
    sprintf(doc + head, "\"version\": %d,%s", version, at + strlen(marker));
    if (from) {
        char *p = strstr(doc, from);
        size_t i, n = strlen(from), m = strlen(to);
        CHECK(p != NULL && m <= n);
        for (i = 0; i < n; ++i) p[i] = i < m ? to[i] : ' '; /* JSON: padding is white space */
    }
    CHECK_OK(casevault_policy_publish(NULL, v, doc, NULL, NULL));
    free(doc);
    free(text);
}

static inline void publish_example(casevault_vault *v, const char *file, int version) {
    publish_edited(v, file, version, NULL, NULL);
}

#endif

#endif

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

#endif

/*
 * test_capi_records.c — tests of team access through the C API (casevault.h):
 * principals, access decisions, cases, correspondence, billing and board
 * posts, under the example policies (examples/policies). Written in C99.
 *
 * Run as: capi_records_test <dir>   (dir: a writable directory for the stores)
 * The examples directory is compiled in as CV_EXAMPLES_DIR, as for the core
 * tests.
 *
 * Records come back as JSON text; these tests check them with strstr() on the
 * compact form the library emits ("key":value, no spaces).
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include "casevault/casevault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#ifndef CV_EXAMPLES_DIR
#error "CV_EXAMPLES_DIR must name the examples directory"
#endif

/* A failure must be CASEVAULT_EACCESS with this denial rule. */
#define CHECK_DENIED(rule, call)                                      \
    do {                                                              \
        CHECK_FAILS(CASEVAULT_EACCESS, call);                         \
        CHECK(strcmp(casevault_last_error_rule(), (rule)) == 0);      \
        CHECK(CONTAINS(casevault_last_error(), (rule)));              \
    } while (0)

/* ---- helpers ------------------------------------------------------------- */

#define N_KINDS 7

static const char *kUnknownAccount = "acc_000000000000000000000000";
static const char *kUnknownPrincipal = "prn_000000000000000000000000";
static const char *kUnknownCase = "cas_000000000000000000000000";
static const char *kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
static const char *kCard = "4111 1111 1111 1111"; /* a test card number: passes Luhn */

#define g_now (*test_now())

static casevault_vault *open_store(const char *name) { return open_clocked_store(name, "records tests"); }

/* Ids begin with the wall-clock millisecond, and lists are in id order: a
 * test that checks the order of records waits a little between them (records
 * made within one millisecond may come back in any order). */
static void next_millisecond(void) {
    struct timespec t;
    t.tv_sec = 0;
    t.tv_nsec = 2000000;
    nanosleep(&t, NULL);
}

static void new_case(casevault_vault *v, char *id, const char *actor, const char *subject, const char *receipt) {
    casevault_case_fields f = CASEVAULT_CASE_FIELDS_INIT;
    char *json = NULL;
    f.receipt_number = receipt;
    f.form_type = "I-130";
    CHECK_OK(casevault_case_open(&json, v, actor, subject, &f));
    json_id(id, json, "cas_");
    casevault_free(json);
}

/* An inbound web-form message from subject (about case_id, if not NULL). */
static void new_message(casevault_vault *v, char *id, const char *actor, const char *subject, const char *case_id) {
    casevault_message_fields f = CASEVAULT_MESSAGE_FIELDS_INIT;
    char *json = NULL;
    f.subject = subject;
    f.case_id = case_id;
    f.channel = CASEVAULT_MESSAGE_WEB_FORM;
    f.body = "When is my interview?";
    CHECK_OK(casevault_message_record(&json, v, actor, &f));
    json_id(id, json, "msg_");
    casevault_free(json);
}

static casevault_payment_fields payment(const char *subject) {
    casevault_payment_fields f = CASEVAULT_PAYMENT_FIELDS_INIT;
    f.subject = subject;
    f.amount_minor = 4900;
    f.currency = "USD";
    f.card_brand = "visa";
    f.last4 = "4242";
    return f;
}

static void new_payment(casevault_vault *v, char *id, const char *actor, const char *subject) {
    casevault_payment_fields f = payment(subject);
    char *json = NULL;
    CHECK_OK(casevault_payment_record(&json, v, actor, &f));
    json_id(id, json, "pay_");
    casevault_free(json);
}

static void new_post(casevault_vault *v, char *id, const char *actor, const char *author, const char *title) {
    casevault_post_fields f = CASEVAULT_POST_FIELDS_INIT;
    char *json = NULL;
    f.author = author;
    f.title = title;
    f.body = "Processing took five months for us.";
    CHECK_OK(casevault_post_publish(&json, v, actor, &f));
    json_id(id, json, "pst_");
    casevault_free(json);
}

/* How many records of a kind a list returns ("\"id\":\"msg_" ...). */
static int count_messages(casevault_vault *v, const char *actor, const char *subject) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_message_list(&json, v, actor, subject, NULL, 10000, NULL));
    CHECK(CONTAINS(json, "\"next_cursor\":\"\""));
    n = count_occurrences(json, "\"id\":\"msg_");
    casevault_free(json);
    return n;
}

static int count_payments(casevault_vault *v, const char *actor, const char *subject) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_payment_list(&json, v, actor, subject));
    n = count_occurrences(json, "\"id\":\"pay_");
    casevault_free(json);
    return n;
}

static int count_cases(casevault_vault *v, const char *actor, const char *subject) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_case_list(&json, v, actor, subject));
    n = count_occurrences(json, "\"id\":\"cas_");
    casevault_free(json);
    return n;
}

static int count_posts(casevault_vault *v, const char *actor) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_post_list(&json, v, actor, NULL, 10000, NULL));
    n = count_occurrences(json, "\"id\":\"pst_");
    casevault_free(json);
    return n;
}

static int count_history(casevault_vault *v, const char *actor, const char *case_id) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_case_history(&json, v, actor, case_id));
    n = count_occurrences(json, "\"status\":");
    casevault_free(json);
    return n;
}

/* A string of n copies of c (free()). */
static char *repeated(char c, size_t n) {
    char *s = (char *)malloc(n + 1);
    CHECK(s != NULL);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* A JSON array holding one string, exactly `total` bytes long: ["aaa...a"] (free()). */
static char *json_array_text(size_t total) {
    char *s = repeated('a', total);
    s[0] = '[';
    s[1] = '"';
    s[total - 2] = '"';
    s[total - 1] = ']';
    return s;
}

/* want: a grant's JSON Pointer ("/roles/..": allowed) or a denial rule. */
#define CHECK_CAN(v, actor, action, kind, id, want) check_can(__LINE__, v, actor, action, kind, id, want)
static void check_can(int line, casevault_vault *v, const char *actor, int action, int kind, const char *id,
                      const char *want) {
    int allowed = -1;
    char *rule = NULL;
    const int want_allowed = want[0] == '/';
    CHECK_OK(casevault_can(&allowed, &rule, v, actor, action, kind, id));
    ++g_checks;
    if (allowed != want_allowed || rule == NULL || strcmp(rule, want) != 0) {
        fprintf(stderr, "%s:%d: can(%s, action %d, kind %d, %s) is {%d, %s}, expected {%d, %s}\n", __FILE__,
                line, actor, action, kind, id, allowed, rule ? rule : "(null)", want_allowed, want);
        exit(1);
    }
    casevault_free(rule);
}

/* The read call of the record's kind must decide as casevault_can did. */
static void check_read_enforced(int line, casevault_vault *v, const char *actor, int kind, const char *id,
                                const char *want) {
    char *json = NULL;
    int rc;
    const int want_allowed = want[0] == '/';
    switch (kind) {
    case CASEVAULT_RECORD_CASE: rc = casevault_case_get(&json, v, actor, id); break;
    case CASEVAULT_RECORD_CORRESPONDENCE: rc = casevault_message_get(&json, v, actor, id); break;
    case CASEVAULT_RECORD_BILLING: rc = casevault_payment_get(&json, v, actor, id); break;
    case CASEVAULT_RECORD_POST: rc = casevault_post_get(&json, v, actor, id); break;
    default: return; /* accounts, consents and audit are read without an actor */
    }
    ++g_checks;
    if (want_allowed ? (rc != CASEVAULT_OK || !CONTAINS(json, id))
                     : (rc != CASEVAULT_EACCESS || json != NULL ||
                        strcmp(casevault_last_error_rule(), want) != 0)) {
        fprintf(stderr, "%s:%d: reading kind %d %s as %s returned %s (rule \"%s\"), expected %s\n", __FILE__, line,
                kind, id, actor, casevault_error_name(rc), casevault_last_error_rule(), want);
        exit(1);
    }
    casevault_free(json);
}

/* One actor's expected answers for reading each kind, by CASEVAULT_RECORD_*. */
typedef struct {
    const char *label;
    const char *actor;
    const char *want[N_KINDS];
} matrix_row;

static void check_read_matrix(casevault_vault *v, const char *const records[N_KINDS], const matrix_row *rows,
                              size_t n) {
    size_t r;
    int kind;
    for (r = 0; r < n; ++r) {
        for (kind = 0; kind < N_KINDS; ++kind) {
            check_can(__LINE__, v, rows[r].actor, CASEVAULT_ACTION_READ, kind, records[kind], rows[r].want[kind]);
            check_read_enforced(__LINE__, v, rows[r].actor, kind, records[kind], rows[r].want[kind]);
        }
    }
}

/* 1 if the audit log has an entry of this action with this reason (and actor). */
static int audit_has(casevault_vault *v, const char *action, const char *actor, const char *outcome,
                     const char *reason) {
    casevault_audit_filter f = CASEVAULT_AUDIT_FILTER_INIT;
    char *json = NULL, pattern[256];
    int found;
    f.action = action;
    f.actor = actor;
    f.limit = 100000;
    CHECK_OK(casevault_audit_read(&json, v, &f));
    snprintf(pattern, sizeof pattern, "\"outcome\":\"%s\",\"reason\":\"%s\"", outcome, reason);
    found = CONTAINS(json, pattern);
    casevault_free(json);
    return found;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_constants(void) {
    const casevault_case_fields cf = CASEVAULT_CASE_FIELDS_INIT;
    const casevault_case_status cs = CASEVAULT_CASE_STATUS_INIT;
    const casevault_document_fields df = CASEVAULT_DOCUMENT_FIELDS_INIT;
    const casevault_message_fields mf = CASEVAULT_MESSAGE_FIELDS_INIT;
    const casevault_payment_fields pf = CASEVAULT_PAYMENT_FIELDS_INIT;
    const casevault_post_fields sf = CASEVAULT_POST_FIELDS_INIT;

    /* their names, as the JSON records carry them */
    CHECK(strcmp(casevault_role_name(CASEVAULT_ROLE_STAFF), "staff") == 0);
    CHECK(strcmp(casevault_role_name(CASEVAULT_ROLE_AGENCY), "agency") == 0);
    CHECK(strcmp(casevault_role_name(6), "unknown") == 0 && strcmp(casevault_role_name(-1), "unknown") == 0);
    CHECK(strcmp(casevault_action_name(CASEVAULT_ACTION_EXPORT), "export") == 0);
    CHECK(strcmp(casevault_action_name(5), "unknown") == 0);
    CHECK(strcmp(casevault_record_kind_name(CASEVAULT_RECORD_CORRESPONDENCE), "correspondence") == 0);
    CHECK(strcmp(casevault_record_kind_name(7), "unknown") == 0);
    CHECK(strcmp(casevault_message_channel_name(CASEVAULT_MESSAGE_WEB_FORM), "web_form") == 0);
    CHECK(strcmp(casevault_message_channel_name(5), "unknown") == 0);
    CHECK(strcmp(casevault_direction_name(CASEVAULT_OUTBOUND), "outbound") == 0);
    CHECK(strcmp(casevault_direction_name(2), "unknown") == 0);

    /* the frozen numbers */
    CHECK(CASEVAULT_ROLE_SUBJECT == 0 && CASEVAULT_ROLE_ATTORNEY == 1 && CASEVAULT_ROLE_STAFF == 2);
    CHECK(CASEVAULT_ROLE_SUPPORT == 3 && CASEVAULT_ROLE_SYSTEM == 4 && CASEVAULT_ROLE_AGENCY == 5);
    CHECK(CASEVAULT_ACTION_READ == 0 && CASEVAULT_ACTION_WRITE == 1 && CASEVAULT_ACTION_ERASE == 2);
    CHECK(CASEVAULT_ACTION_EXPORT == 3 && CASEVAULT_ACTION_DISCLOSE == 4);
    CHECK(CASEVAULT_RECORD_ACCOUNT == 0 && CASEVAULT_RECORD_CONSENT == 1 && CASEVAULT_RECORD_CASE == 2);
    CHECK(CASEVAULT_RECORD_CORRESPONDENCE == 3 && CASEVAULT_RECORD_BILLING == 4 && CASEVAULT_RECORD_POST == 5);
    CHECK(CASEVAULT_RECORD_AUDIT == 6);
    CHECK(CASEVAULT_MESSAGE_EMAIL == 0 && CASEVAULT_MESSAGE_WHATSAPP == 1 && CASEVAULT_MESSAGE_PHONE == 2);
    CHECK(CASEVAULT_MESSAGE_WEB_FORM == 3 && CASEVAULT_MESSAGE_SURVEY == 4);
    CHECK(CASEVAULT_INBOUND == 0 && CASEVAULT_OUTBOUND == 1);
    CHECK(CASEVAULT_EACCESS == -12);
    CHECK(strcmp(casevault_error_name(CASEVAULT_EACCESS), "access_denied") == 0);

    /* what the _INIT macros promise */
    CHECK(cf.version == CASEVAULT_CASE_FIELDS_VERSION && cf.receipt_number == NULL && cf.form_type == NULL &&
          cf.questionnaire == NULL);
    CHECK(cs.version == CASEVAULT_CASE_STATUS_VERSION && cs.status == NULL && cs.at == 0 && cs.source == NULL &&
          cs.detail == NULL);
    CHECK(df.version == CASEVAULT_DOCUMENT_FIELDS_VERSION && df.name == NULL && df.kind == NULL && df.size == 0 &&
          df.sha256 == NULL);
    CHECK(mf.version == CASEVAULT_MESSAGE_FIELDS_VERSION && mf.subject == NULL && mf.case_id == NULL);
    CHECK(mf.channel == CASEVAULT_MESSAGE_EMAIL && mf.direction == CASEVAULT_INBOUND && mf.at == 0);
    CHECK(mf.subject_line == NULL && mf.body == NULL && mf.sender == NULL);
    CHECK(pf.version == CASEVAULT_PAYMENT_FIELDS_VERSION && pf.subject == NULL && pf.amount_minor == 0);
    CHECK(pf.currency == NULL && pf.paid_at == 0 && pf.card_brand == NULL && pf.last4 == NULL);
    CHECK(pf.billing_address == NULL && pf.processor_ref == NULL && pf.recurring == 0);
    CHECK(sf.version == CASEVAULT_POST_FIELDS_VERSION && sf.author == NULL && sf.title == NULL && sf.body == NULL);

    /* no denial yet: the rule is "" */
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_add(NULL, NULL, CASEVAULT_ROLE_STAFF));
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);
}

static void test_principals(void) {
    casevault_vault *v = open_store("records_principals.db");
    char att[ID_LEN], staff[ID_LEN], support[ID_LEN], sys[ID_LEN], agency[ID_LEN], ana[ID_LEN], case_a[ID_LEN];
    char *json = NULL, *id = NULL, *rule = NULL;
    char expect[256];
    int allowed = -1;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_principal(v, att, CASEVAULT_ROLE_ATTORNEY);
    new_principal(v, staff, CASEVAULT_ROLE_STAFF);
    new_principal(v, support, CASEVAULT_ROLE_SUPPORT);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_principal(v, agency, CASEVAULT_ROLE_AGENCY);

    /* get: the whole shape, in order */
    CHECK_OK(casevault_principal_get(&json, v, att));
    snprintf(expect, sizeof expect, "{\"id\":\"%s\",\"role\":\"attorney\",\"created_at\":%lld,\"active\":true}", att,
             (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    CHECK_OK(casevault_principal_get(&json, v, staff));
    CHECK(CONTAINS(json, "\"role\":\"staff\""));
    casevault_free(json);
    CHECK_OK(casevault_principal_get(&json, v, support));
    CHECK(CONTAINS(json, "\"role\":\"support\""));
    casevault_free(json);
    CHECK_OK(casevault_principal_get(&json, v, sys));
    CHECK(CONTAINS(json, "\"role\":\"system\""));
    casevault_free(json);
    CHECK_OK(casevault_principal_get(&json, v, agency));
    CHECK(CONTAINS(json, "\"role\":\"agency\""));
    casevault_free(json);
    /* an account acts as itself, a subject */
    CHECK_OK(casevault_principal_get(&json, v, ana));
    CHECK(CONTAINS(json, "\"role\":\"subject\"") && CONTAINS(json, ana) && CONTAINS(json, "\"active\":true"));
    casevault_free(json);

    /* list: every registered principal (not the accounts) */
    CHECK_OK(casevault_principal_list(&json, v));
    CHECK(json[0] == '[');
    CHECK(count_occurrences(json, "\"id\":\"prn_") == 5);
    CHECK(CONTAINS(json, att) && CONTAINS(json, staff) && CONTAINS(json, support) && CONTAINS(json, sys) &&
          CONTAINS(json, agency));
    CHECK(!CONTAINS(json, ana));
    casevault_free(json);

    /* roles that cannot be registered */
    id = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_add(&id, v, CASEVAULT_ROLE_SUBJECT));
    CHECK(id == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_add(&id, v, 6));
    CHECK(CONTAINS(casevault_last_error(), "role"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_add(&id, v, -1));
    CHECK(id == NULL);

    /* unknown and malformed ids */
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_principal_get(&json, v, kUnknownPrincipal));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_principal_get(&json, v, kUnknownAccount));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_get(&json, v, "nobody"));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_principal_disable(v, kUnknownPrincipal));

    /* only active attorneys and staff are assigned */
    new_case(v, case_a, ana, ana, NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assign(v, case_a, support));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assign(v, case_a, sys));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_assign(v, case_a, kUnknownPrincipal));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_assign(v, kUnknownCase, staff));
    CHECK_OK(casevault_case_assign(v, case_a, staff));
    CHECK_CAN(v, staff, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a, "/roles/2/grants/0");

    /* disabling: denied everything, assignments kept, twice is fine */
    CHECK_OK(casevault_principal_disable(v, staff));
    CHECK_OK(casevault_principal_disable(v, staff));
    CHECK_OK(casevault_principal_get(&json, v, staff));
    CHECK(CONTAINS(json, "\"active\":false"));
    casevault_free(json);
    CHECK_OK(casevault_can(&allowed, &rule, v, staff, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a));
    CHECK(allowed == 0 && strcmp(rule, "actor_disabled") == 0);
    casevault_free(rule);
    CHECK_DENIED("actor_disabled", casevault_case_get(&json, v, staff, case_a));
    CHECK(json == NULL);
    CHECK_OK(casevault_case_assignees(&json, v, case_a));
    CHECK(CONTAINS(json, staff));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assign(v, case_a, staff)); /* disabled */

    casevault_close(v);
}

static void test_cases(void) {
    casevault_vault *v = open_store("records_cases.db");
    char ana[ID_LEN], att[ID_LEN], sys[ID_LEN], case_a[ID_LEN], case_b[ID_LEN], case_c[ID_LEN], doc[ID_LEN];
    char *json = NULL, *first = NULL;
    char expect[512];
    casevault_case_fields f = CASEVAULT_CASE_FIELDS_INIT;
    casevault_case_status s = CASEVAULT_CASE_STATUS_INIT;
    casevault_document_fields d = CASEVAULT_DOCUMENT_FIELDS_INIT;
    const char *received, *rfe, *biometrics;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_principal(v, att, CASEVAULT_ROLE_ATTORNEY);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);

    /* open: the subject itself; receipt normalised, form upper-cased,
     * questionnaire canonical (keys sorted, no spaces) */
    f.receipt_number = " eac-219-001-2345 ";
    f.form_type = "i-130";
    f.questionnaire = "{ \"b\": 2, \"a\": \"x\" }";
    CHECK_OK(casevault_case_open(&json, v, ana, ana, &f));
    json_id(case_a, json, "cas_");
    snprintf(expect, sizeof expect,
             "{\"id\":\"%s\",\"subject\":\"%s\",\"receipt_number\":\"EAC2190012345\",\"form_type\":\"I-130\","
             "\"questionnaire\":\"{\\\"a\\\":\\\"x\\\",\\\"b\\\":2}\",\"latest_status\":null,"
             "\"created_at\":%lld,\"updated_at\":%lld}",
             case_a, ana, (long long)g_now, (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    first = json;

    /* get gives the same record */
    CHECK_OK(casevault_case_get(&json, v, ana, case_a));
    CHECK(strcmp(json, first) == 0);
    casevault_free(json);
    casevault_free(first);

    /* a case before filing: no receipt, no questionnaire */
    next_millisecond();
    f = (casevault_case_fields)CASEVAULT_CASE_FIELDS_INIT;
    f.form_type = "N-400";
    CHECK_OK(casevault_case_open(&json, v, ana, ana, &f));
    json_id(case_b, json, "cas_");
    CHECK(CONTAINS(json, "\"receipt_number\":null,\"form_type\":\"N-400\",\"questionnaire\":null"));
    casevault_free(json);

    /* a receipt number is tracked once */
    f.receipt_number = "EAC2190012345";
    CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_case_open(&json, v, ana, ana, &f));
    CHECK(json == NULL);

    /* an attorney with an "assigned" write grant opens a case and is assigned to it */
    next_millisecond();
    f = (casevault_case_fields)CASEVAULT_CASE_FIELDS_INIT;
    f.form_type = "I-129F";
    CHECK_OK(casevault_case_open(&json, v, att, ana, &f));
    json_id(case_c, json, "cas_");
    CHECK(CONTAINS(json, "\"form_type\":\"I-129F\""));
    casevault_free(json);
    CHECK_OK(casevault_case_assignees(&json, v, case_c));
    snprintf(expect, sizeof expect, "[\"%s\"]", att);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);

    /* list: the subject's cases, oldest first */
    CHECK_OK(casevault_case_list(&json, v, ana, ana));
    CHECK(json[0] == '[' && count_occurrences(json, "\"id\":\"cas_") == 3);
    CHECK(strstr(json, case_a) < strstr(json, case_b) && strstr(json, case_b) < strstr(json, case_c));
    casevault_free(json);

    /* find by receipt: any case, spaces and dashes; none is not an error */
    CHECK_OK(casevault_case_find_by_receipt(&json, v, ana, "eac 2190012345"));
    CHECK(CONTAINS(json, case_a));
    casevault_free(json);
    json = (char *)"untouched";
    CHECK_OK(casevault_case_find_by_receipt(&json, v, ana, "WAC2190000001"));
    CHECK(json == NULL);

    /* update: only the fields given; "" removes; out_json may be NULL */
    g_now += 60;
    f = (casevault_case_fields)CASEVAULT_CASE_FIELDS_INIT;
    f.receipt_number = "LIN-219-000-0002";
    f.form_type = "i-485";
    CHECK_OK(casevault_case_update(&json, v, ana, case_b, &f));
    CHECK(CONTAINS(json, "\"receipt_number\":\"LIN2190000002\",\"form_type\":\"I-485\",\"questionnaire\":null"));
    snprintf(expect, sizeof expect, "\"created_at\":%lld,\"updated_at\":%lld}", (long long)(g_now - 60),
             (long long)g_now);
    CHECK(CONTAINS(json, expect));
    casevault_free(json);
    f = (casevault_case_fields)CASEVAULT_CASE_FIELDS_INIT;
    f.questionnaire = "";
    CHECK_OK(casevault_case_update(NULL, v, ana, case_a, &f));
    CHECK_OK(casevault_case_get(&json, v, ana, case_a));
    CHECK(CONTAINS(json, "\"receipt_number\":\"EAC2190012345\",\"form_type\":\"I-130\",\"questionnaire\":null"));
    casevault_free(json);
    f = (casevault_case_fields)CASEVAULT_CASE_FIELDS_INIT;
    f.receipt_number = "";
    CHECK_OK(casevault_case_update(&json, v, ana, case_b, &f));
    CHECK(CONTAINS(json, "\"receipt_number\":null"));
    casevault_free(json);
    json = (char *)"untouched";
    CHECK_OK(casevault_case_find_by_receipt(&json, v, ana, "LIN2190000002"));
    CHECK(json == NULL);

    /* status history: the latest is the one with the latest time */
    s.status = "received";
    s.at = g_now - 10 * DAY;
    s.source = "uscis";
    s.detail = "Case Was Received";
    CHECK_OK(casevault_case_add_status(&json, v, ana, case_a, &s));
    snprintf(expect, sizeof expect,
             "{\"status\":\"received\",\"at\":%lld,\"source\":\"uscis\",\"detail\":\"Case Was Received\"}",
             (long long)(g_now - 10 * DAY));
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    s.status = "rfe_sent";
    s.at = 0; /* now */
    s.source = "manual";
    s.detail = NULL;
    CHECK_OK(casevault_case_add_status(&json, v, ana, case_a, &s));
    snprintf(expect, sizeof expect, "{\"status\":\"rfe_sent\",\"at\":%lld,\"source\":\"manual\",\"detail\":null}",
             (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    s.status = "biometrics_scheduled"; /* added last, but earlier in time */
    s.at = g_now - 5 * DAY;
    s.source = "uscis";
    CHECK_OK(casevault_case_add_status(NULL, v, ana, case_a, &s));
    CHECK_OK(casevault_case_get(&json, v, ana, case_a));
    CHECK(CONTAINS(json, "\"latest_status\":{\"status\":\"rfe_sent\""));
    casevault_free(json);
    CHECK_OK(casevault_case_history(&json, v, ana, case_a));
    CHECK(json[0] == '[' && count_occurrences(json, "\"status\":") == 3);
    received = strstr(json, "\"received\"");
    rfe = strstr(json, "\"rfe_sent\"");
    biometrics = strstr(json, "\"biometrics_scheduled\"");
    CHECK(received && rfe && biometrics && received < biometrics && biometrics < rfe); /* oldest first */
    casevault_free(json);
    CHECK_OK(casevault_case_history(&json, v, ana, case_b));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);

    /* documents: metadata only */
    d.name = "passport scan.pdf";
    d.kind = "passport";
    d.size = 123456;
    d.sha256 = kSha;
    CHECK_OK(casevault_case_add_document(&json, v, ana, case_a, &d));
    json_id(doc, json, "doc_");
    snprintf(expect, sizeof expect,
             "{\"id\":\"%s\",\"case_id\":\"%s\",\"name\":\"passport scan.pdf\",\"kind\":\"passport\","
             "\"size\":123456,\"sha256\":\"%s\",\"added_at\":%lld}",
             doc, case_a, kSha, (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    CHECK_OK(casevault_case_documents(&json, v, ana, case_a));
    CHECK(json[0] == '[' && CONTAINS(json, doc) && CONTAINS(json, "\"name\":\"passport scan.pdf\""));
    casevault_free(json);
    /* removing is the erase action: visapro gives it to the retention system only */
    CHECK_DENIED("no_grant", casevault_case_remove_document(v, ana, doc));
    CHECK_OK(casevault_case_documents(&json, v, ana, case_a));
    CHECK(CONTAINS(json, doc));
    casevault_free(json);
    CHECK_OK(casevault_case_remove_document(v, sys, doc));
    CHECK_OK(casevault_case_documents(&json, v, ana, case_a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_remove_document(v, sys, doc));

    /* assignments: twice or not assigned is not an error */
    CHECK_OK(casevault_case_assignees(&json, v, case_a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_CAN(v, att, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a, "not_assigned");
    CHECK_OK(casevault_case_assign(v, case_a, att));
    CHECK_OK(casevault_case_assign(v, case_a, att));
    CHECK_OK(casevault_case_assignees(&json, v, case_a));
    snprintf(expect, sizeof expect, "[\"%s\"]", att);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    CHECK_OK(casevault_case_get(&json, v, att, case_a));
    CHECK(CONTAINS(json, case_a));
    casevault_free(json);
    CHECK_OK(casevault_case_unassign(v, case_a, att));
    CHECK_OK(casevault_case_unassign(v, case_a, att));
    CHECK_OK(casevault_case_assignees(&json, v, case_a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_DENIED("not_assigned", casevault_case_get(&json, v, att, case_a));
    /* assignments are the host's administration: audited under the open options' actor */
    snprintf(expect, sizeof expect, "principal:%s", att);
    CHECK(audit_has(v, "case.assign", "host", "ok", expect));
    CHECK(audit_has(v, "case.unassign", "host", "ok", expect));

    /* unknown and malformed ids */
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_get(&json, v, ana, kUnknownCase));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_get(&json, v, ana, "case-1"));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_assignees(&json, v, kUnknownCase));
    f = (casevault_case_fields)CASEVAULT_CASE_FIELDS_INIT;
    f.form_type = "I-130";
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_open(&json, v, att, kUnknownAccount, &f));
    CHECK(json == NULL);

    casevault_close(v);
}

/* Every role against every record kind under visapro.json. */
static void test_access_visapro(void) {
    casevault_vault *v = open_store("records_access_visapro.db");
    char ana[ID_LEN], ben[ID_LEN], att[ID_LEN], staff[ID_LEN], support[ID_LEN], sys[ID_LEN], agency[ID_LEN];
    char case_a[ID_LEN], case_b[ID_LEN], msg_a[ID_LEN], msg_nocase[ID_LEN], pay_a[ID_LEN], post_a[ID_LEN];
    char *json = NULL, *rule = NULL;
    casevault_case_status s = CASEVAULT_CASE_STATUS_INIT;
    casevault_payment_fields pf;
    int allowed = -1, before;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_principal(v, att, CASEVAULT_ROLE_ATTORNEY);
    new_principal(v, staff, CASEVAULT_ROLE_STAFF);
    new_principal(v, support, CASEVAULT_ROLE_SUPPORT);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_principal(v, agency, CASEVAULT_ROLE_AGENCY);
    new_case(v, case_a, ana, ana, "EAC2190000101");
    new_case(v, case_b, ben, ben, "EAC2190000102");
    CHECK_OK(casevault_case_assign(v, case_a, att));
    CHECK_OK(casevault_case_assign(v, case_a, staff));
    new_message(v, msg_a, ana, ana, case_a);
    new_message(v, msg_nocase, ana, ana, NULL);
    new_payment(v, pay_a, ana, ana);
    new_post(v, post_a, ana, ana, "Our I-130 timeline");

    {
        /* records of Ana, by CASEVAULT_RECORD_* */
        const char *const records[N_KINDS] = {ana, ana, case_a, msg_a, pay_a, post_a, ana};
        const matrix_row rows[] = {
            {"subject (owner)", ana,
             {"/roles/0/grants/0", "/roles/0/grants/0", "/roles/0/grants/0", "/roles/0/grants/2",
              "/roles/0/grants/2", "/roles/0/grants/0", "no_grant"}},
            {"subject (other)", ben,
             {"not_owner", "not_owner", "not_owner", "not_owner", "not_owner", "/roles/0/grants/1", "no_grant"}},
            {"attorney (assigned)", att,
             {"no_grant", "no_grant", "/roles/1/grants/0", "/roles/1/grants/0", "no_grant", "no_grant", "no_grant"}},
            {"staff (assigned)", staff,
             {"no_grant", "no_grant", "/roles/2/grants/0", "/roles/2/grants/0", "no_grant", "no_grant", "no_grant"}},
            {"support", support,
             {"role_not_in_policy", "role_not_in_policy", "role_not_in_policy", "role_not_in_policy",
              "role_not_in_policy", "role_not_in_policy", "role_not_in_policy"}},
            {"system", sys,
             {"/roles/3/grants/0", "no_grant", "/roles/3/grants/0", "/roles/3/grants/0", "/roles/3/grants/0",
              "/roles/3/grants/0", "no_grant"}},
            {"agency", agency,
             {"no_grant", "no_grant", "no_grant", "no_grant", "no_grant", "no_grant", "no_grant"}},
        };
        check_read_matrix(v, records, rows, sizeof rows / sizeof rows[0]);
    }

    /* other actions */
    CHECK_CAN(v, att, CASEVAULT_ACTION_WRITE, CASEVAULT_RECORD_CASE, case_a, "/roles/1/grants/0");
    CHECK_CAN(v, att, CASEVAULT_ACTION_DISCLOSE, CASEVAULT_RECORD_CASE, case_a, "/roles/1/grants/1");
    CHECK_CAN(v, att, CASEVAULT_ACTION_ERASE, CASEVAULT_RECORD_CASE, case_a, "no_grant");
    CHECK_CAN(v, staff, CASEVAULT_ACTION_DISCLOSE, CASEVAULT_RECORD_CASE, case_a, "no_grant");
    CHECK_CAN(v, ana, CASEVAULT_ACTION_EXPORT, CASEVAULT_RECORD_CASE, case_a, "no_grant");
    CHECK_CAN(v, ana, CASEVAULT_ACTION_ERASE, CASEVAULT_RECORD_POST, post_a, "/roles/0/grants/3");
    CHECK_CAN(v, ben, CASEVAULT_ACTION_ERASE, CASEVAULT_RECORD_POST, post_a, "not_owner");
    CHECK_CAN(v, sys, CASEVAULT_ACTION_ERASE, CASEVAULT_RECORD_BILLING, pay_a, "/roles/3/grants/0");
    /* a message about no case is not the assigned team's */
    CHECK_CAN(v, att, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CORRESPONDENCE, msg_nocase, "not_assigned");
    CHECK_CAN(v, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CORRESPONDENCE, msg_nocase, "/roles/0/grants/2");

    /* staff assigned to case A asks for case B */
    CHECK_CAN(v, staff, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_b, "not_assigned");
    json = (char *)"untouched";
    CHECK_DENIED("not_assigned", casevault_case_get(&json, v, staff, case_b));
    CHECK(json == NULL);
    CHECK(!CONTAINS(casevault_last_error(), "Ben") && !CONTAINS(casevault_last_error(), "EAC"));
    CHECK_DENIED("not_assigned", casevault_case_history(&json, v, staff, case_b));
    CHECK_DENIED("not_assigned", casevault_case_documents(&json, v, staff, case_b));
    before = count_history(v, ben, case_b);
    s.status = "approved";
    s.source = "manual";
    CHECK_DENIED("not_assigned", casevault_case_add_status(&json, v, staff, case_b, &s));
    CHECK(count_history(v, ben, case_b) == before); /* unchanged */
    /* a lookup by value: a case the actor may not read is no match (audited) */
    json = (char *)"untouched";
    CHECK_OK(casevault_case_find_by_receipt(&json, v, staff, "EAC2190000102"));
    CHECK(json == NULL);
    /* lists leave out what the actor may not read */
    CHECK_OK(casevault_case_list(&json, v, staff, ben));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_case_list(&json, v, staff, ana));
    CHECK(CONTAINS(json, case_a) && count_occurrences(json, "\"id\":\"cas_") == 1);
    casevault_free(json);
    CHECK_OK(casevault_message_list(&json, v, staff, ana, NULL, 0, NULL));
    CHECK(CONTAINS(json, msg_a) && !CONTAINS(json, msg_nocase));
    casevault_free(json);

    /* another subject may not write Ana's records */
    pf = payment(ana);
    before = count_payments(v, ana, ana);
    CHECK_DENIED("not_owner", casevault_payment_record(&json, v, ben, &pf));
    CHECK(json == NULL);
    CHECK(count_payments(v, ana, ana) == before);
    CHECK_DENIED("not_owner", casevault_payment_list(&json, v, ben, ana));
    CHECK_DENIED("not_owner", casevault_post_remove(v, ben, post_a));
    CHECK(count_posts(v, ben) == 1);

    /* actors that do not exist */
    CHECK_OK(casevault_can(&allowed, &rule, v, kUnknownPrincipal, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE,
                           case_a));
    CHECK(allowed == 0 && strcmp(rule, "unknown_actor") == 0);
    casevault_free(rule);
    CHECK_CAN(v, kUnknownAccount, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a, "unknown_actor");
    CHECK_CAN(v, "root", CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a, "unknown_actor");
    CHECK_DENIED("unknown_actor", casevault_case_get(&json, v, kUnknownPrincipal, case_a));
    CHECK_DENIED("unknown_actor", casevault_message_get(&json, v, "root", msg_a));
    CHECK_DENIED("unknown_actor", casevault_case_list(&json, v, kUnknownAccount, ana));

    /* can(): the record must exist and have its kind's form */
    rule = (char *)"untouched";
    allowed = -1;
    CHECK_FAILS(CASEVAULT_ENOTFOUND,
                casevault_can(&allowed, &rule, v, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, kUnknownCase));
    CHECK(allowed == 0 && rule == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL,
                casevault_can(&allowed, &rule, v, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, msg_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_can(&allowed, &rule, v, ana, 5, CASEVAULT_RECORD_CASE, case_a));
    CHECK(CONTAINS(casevault_last_error(), "action"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_can(&allowed, &rule, v, ana, CASEVAULT_ACTION_READ, 7, case_a));
    CHECK(CONTAINS(casevault_last_error(), "record_kind"));
    CHECK(strcmp(casevault_last_error_rule(), "") == 0); /* only after EACCESS */
    /* out_rule may be NULL */
    CHECK_OK(casevault_can(&allowed, NULL, v, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a));
    CHECK(allowed == 1);

    /* success clears the rule */
    CHECK_DENIED("not_assigned", casevault_case_get(&json, v, staff, case_b));
    CHECK_OK(casevault_case_get(&json, v, staff, case_a));
    casevault_free(json);
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);

    /* denials are in the audit log, with the rule as the reason */
    CHECK(audit_has(v, "access.denied", staff, "denied", "not_assigned"));
    CHECK(audit_has(v, "access.denied", ben, "denied", "not_owner"));
    CHECK(audit_has(v, "access.denied", NULL, "denied", "unknown_actor"));

    casevault_close(v);
}

/* Every role against every record kind under case-parallels.json, and
 * support access by consent. */
static void test_access_case_parallels(void) {
    casevault_vault *v = open_store("records_access_parallels.db");
    char ana[ID_LEN], ben[ID_LEN], att[ID_LEN], staff[ID_LEN], support[ID_LEN], sys[ID_LEN], agency[ID_LEN];
    char case_a1[ID_LEN], case_a2[ID_LEN], case_b[ID_LEN], msg_a[ID_LEN], pay_a[ID_LEN], post_a[ID_LEN];
    char *json = NULL;
    casevault_consent_request r = CASEVAULT_CONSENT_REQUEST_INIT;
    casevault_payment_fields pf;
    const int64_t start = g_now;

    /* a board post written under VisaPro's policy, then Case Parallels' (v2),
     * which has no board */
    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_post(v, post_a, ana, ana, "Moving on to Case Parallels");
    publish_example(v, "case-parallels.json", 2);

    new_principal(v, att, CASEVAULT_ROLE_ATTORNEY);
    new_principal(v, staff, CASEVAULT_ROLE_STAFF);
    new_principal(v, support, CASEVAULT_ROLE_SUPPORT);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_principal(v, agency, CASEVAULT_ROLE_AGENCY);
    new_case(v, case_a1, ana, ana, "IOE0912345678");
    new_case(v, case_a2, ana, ana, NULL);
    new_case(v, case_b, ben, ben, NULL);
    new_message(v, msg_a, ana, ana, case_a1);
    new_payment(v, pay_a, ana, ana);

    {
        const char *const records[N_KINDS] = {ana, ana, case_a1, msg_a, pay_a, post_a, ana};
        const matrix_row rows[] = {
            {"subject (owner)", ana,
             {"/roles/0/grants/0", "/roles/0/grants/0", "/roles/0/grants/0", "/roles/0/grants/1",
              "/roles/0/grants/1", "no_grant", "no_grant"}},
            {"subject (other)", ben,
             {"not_owner", "not_owner", "not_owner", "not_owner", "not_owner", "no_grant", "no_grant"}},
            {"attorney", att,
             {"role_not_in_policy", "role_not_in_policy", "role_not_in_policy", "role_not_in_policy",
              "role_not_in_policy", "role_not_in_policy", "role_not_in_policy"}},
            {"staff", staff,
             {"role_not_in_policy", "role_not_in_policy", "role_not_in_policy", "role_not_in_policy",
              "role_not_in_policy", "role_not_in_policy", "role_not_in_policy"}},
            {"support (no consent)", support,
             {"no_grant", "no_grant", "no_support_grant", "/roles/1/grants/1", "/roles/1/grants/2", "no_grant",
              "no_grant"}},
            {"system", sys,
             {"/roles/2/grants/0", "no_grant", "/roles/2/grants/0", "/roles/2/grants/0", "/roles/2/grants/0",
              "no_grant", "no_grant"}},
            {"agency", agency,
             {"needs_legal_process", "no_grant", "needs_legal_process", "needs_legal_process",
              "needs_legal_process", "no_grant", "no_grant"}},
        };
        check_read_matrix(v, records, rows, sizeof rows / sizeof rows[0]);
    }

    /* the subject's own writes and erasure */
    CHECK_CAN(v, ana, CASEVAULT_ACTION_WRITE, CASEVAULT_RECORD_CORRESPONDENCE, msg_a, "/roles/0/grants/2");
    CHECK_CAN(v, ana, CASEVAULT_ACTION_WRITE, CASEVAULT_RECORD_BILLING, pay_a, "/roles/0/grants/2");
    CHECK_CAN(v, ana, CASEVAULT_ACTION_ERASE, CASEVAULT_RECORD_CASE, case_a1, "/roles/0/grants/0");
    CHECK_CAN(v, ana, CASEVAULT_ACTION_ERASE, CASEVAULT_RECORD_BILLING, pay_a, "no_grant");
    /* support: correspondence read and write, billing read only, cases never written */
    CHECK_CAN(v, support, CASEVAULT_ACTION_WRITE, CASEVAULT_RECORD_CORRESPONDENCE, msg_a, "/roles/1/grants/1");
    CHECK_CAN(v, support, CASEVAULT_ACTION_WRITE, CASEVAULT_RECORD_BILLING, pay_a, "no_grant");
    CHECK_CAN(v, support, CASEVAULT_ACTION_WRITE, CASEVAULT_RECORD_CASE, case_a1, "no_grant");
    pf = payment(ana);
    CHECK_DENIED("no_grant", casevault_payment_record(&json, v, support, &pf));
    CHECK_OK(casevault_payment_list(&json, v, support, ana));
    CHECK(CONTAINS(json, pay_a));
    casevault_free(json);
    CHECK_OK(casevault_message_list(&json, v, support, ana, NULL, 0, NULL));
    CHECK(CONTAINS(json, msg_a));
    casevault_free(json);
    /* nobody has the board: the subject may not publish */
    {
        casevault_post_fields f = CASEVAULT_POST_FIELDS_INIT;
        f.author = ana;
        f.title = "t";
        f.body = "b";
        CHECK_DENIED("no_grant", casevault_post_publish(&json, v, ana, &f));
    }

    /* support reads a case only with the subject's consent, for that case, until it expires */
    CHECK_DENIED("no_support_grant", casevault_case_get(&json, v, support, case_a1));
    CHECK(json == NULL);
    r.subject = ana;
    r.purpose = "support_access";
    r.scope = case_a1;
    r.channel = "whatsapp";
    r.expires_at = g_now + 7 * DAY;
    CHECK_OK(casevault_consent_record(NULL, v, &r));
    CHECK_CAN(v, support, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a1, "/roles/1/grants/0");
    CHECK_OK(casevault_case_get(&json, v, support, case_a1));
    CHECK(CONTAINS(json, "\"receipt_number\":\"IOE0912345678\""));
    casevault_free(json);
    CHECK_OK(casevault_case_history(&json, v, support, case_a1));
    casevault_free(json);
    CHECK_CAN(v, support, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a2, "no_support_grant");
    CHECK_DENIED("no_support_grant", casevault_case_get(&json, v, support, case_a2));
    CHECK_CAN(v, support, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_b, "no_support_grant");
    /* support's list shows the consented case only */
    CHECK_OK(casevault_case_list(&json, v, support, ana));
    CHECK(CONTAINS(json, case_a1) && !CONTAINS(json, case_a2));
    casevault_free(json);
    g_now += 7 * DAY - 1; /* the last second of the grant */
    CHECK_CAN(v, support, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a1, "/roles/1/grants/0");
    g_now += 1; /* expired */
    CHECK_CAN(v, support, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a1, "no_support_grant");
    CHECK_DENIED("no_support_grant", casevault_case_get(&json, v, support, case_a1));
    CHECK(audit_has(v, "access.denied", support, "denied", "no_support_grant"));
    g_now = start;

    /* the team of the other policy does not exist here */
    CHECK_DENIED("role_not_in_policy", casevault_case_get(&json, v, att, case_a1));
    CHECK_DENIED("needs_legal_process", casevault_case_get(&json, v, agency, case_a1));
    CHECK_DENIED("needs_legal_process", casevault_payment_list(&json, v, agency, ana));

    /* erasure under this policy deletes the posts (no "public" category) */
    CHECK_DENIED("no_grant", casevault_post_get(&json, v, ben, post_a));
    CHECK_OK(casevault_account_erase(v, ana));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_post_get(&json, v, ben, post_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_get(&json, v, sys, case_a1));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_message_get(&json, v, sys, msg_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_payment_get(&json, v, sys, pay_a));
    /* an erased account acts no more */
    CHECK_DENIED("unknown_actor", casevault_case_get(&json, v, ana, case_b));

    casevault_close(v);
}

static void test_messages(void) {
    casevault_vault *v = open_store("records_messages.db");
    char ana[ID_LEN], ben[ID_LEN], att[ID_LEN], case_a[ID_LEN], msg[ID_LEN], cursor[ID_LEN];
    char *json = NULL, *subject = NULL;
    char expect[512];
    casevault_message_fields f = CASEVAULT_MESSAGE_FIELDS_INIT;
    casevault_message_fields batch[3];
    int pages, total, i;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", "+1 332 555 0101");
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_principal(v, att, CASEVAULT_ROLE_ATTORNEY);
    new_case(v, case_a, ana, ana, NULL);
    CHECK_OK(casevault_case_assign(v, case_a, att));

    /* inbound email: the subject is found from the sender */
    f.sender = " ANA@Example.com ";
    f.subject_line = "Question about my case";
    f.body = "Hello,\nwhen is the interview?";
    f.at = g_now - 3600;
    CHECK_OK(casevault_message_record(&json, v, ana, &f));
    json_id(msg, json, "msg_");
    snprintf(expect, sizeof expect,
             "{\"id\":\"%s\",\"subject\":\"%s\",\"case_id\":null,\"channel\":\"email\",\"direction\":\"inbound\","
             "\"at\":%lld,\"subject_line\":\"Question about my case\",\"body\":\"Hello,\\nwhen is the interview?\","
             "\"sender\":\"ANA@Example.com\",\"recorded_at\":%lld}",
             msg, ana, (long long)(g_now - 3600), (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    CHECK_OK(casevault_message_get(&json, v, ana, msg));
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);

    /* outbound WhatsApp by the assigned attorney, on the case */
    f = (casevault_message_fields)CASEVAULT_MESSAGE_FIELDS_INIT;
    f.subject = ana;
    f.case_id = case_a;
    f.channel = CASEVAULT_MESSAGE_WHATSAPP;
    f.direction = CASEVAULT_OUTBOUND;
    f.body = "The interview is on March 3.";
    CHECK_OK(casevault_message_record(&json, v, att, &f));
    snprintf(expect, sizeof expect, "\"case_id\":\"%s\",\"channel\":\"whatsapp\",\"direction\":\"outbound\"", case_a);
    CHECK(CONTAINS(json, expect) && CONTAINS(json, "\"subject_line\":null") && CONTAINS(json, "\"sender\":null"));
    casevault_free(json);
    /* ... but not about no case */
    f.case_id = NULL;
    CHECK_DENIED("not_assigned", casevault_message_record(&json, v, att, &f));
    CHECK(json == NULL);

    /* a call's notes and a survey response; out_json may be NULL */
    f = (casevault_message_fields)CASEVAULT_MESSAGE_FIELDS_INIT;
    f.subject = ana;
    f.channel = CASEVAULT_MESSAGE_PHONE;
    f.body = "Called about the RFE.";
    CHECK_OK(casevault_message_record(NULL, v, ana, &f));
    f.channel = CASEVAULT_MESSAGE_SURVEY;
    f.body = "{\"satisfied\":5}";
    CHECK_OK(casevault_message_record(&json, v, ana, &f));
    CHECK(CONTAINS(json, "\"channel\":\"survey\""));
    casevault_free(json);
    f.channel = CASEVAULT_MESSAGE_WEB_FORM;
    f.body = "  Contact form: please call me back.  ";
    CHECK_OK(casevault_message_record(&json, v, ana, &f));
    CHECK(CONTAINS(json, "\"channel\":\"web_form\"") &&
          CONTAINS(json, "\"body\":\"Contact form: please call me back.\"")); /* trimmed */
    casevault_free(json);

    /* matching a sender */
    CHECK_OK(casevault_message_match_sender(&subject, v, ana, "+1 (332) 555-0101"));
    CHECK(subject != NULL && strcmp(subject, ana) == 0);
    casevault_free(subject);
    CHECK_OK(casevault_message_match_sender(&subject, v, ana, "ana@example.com"));
    CHECK(subject != NULL && strcmp(subject, ana) == 0);
    casevault_free(subject);
    subject = (char *)"untouched";
    CHECK_OK(casevault_message_match_sender(&subject, v, ana, "nobody@example.com"));
    CHECK(subject == NULL);
    /* someone who may not write Ana's correspondence cannot tell her address
     * from an unknown one (the refusal is audited) */
    subject = (char *)"untouched";
    CHECK_OK(casevault_message_match_sender(&subject, v, ben, "ana@example.com"));
    CHECK(subject == NULL);
    /* an inbound message from nobody known */
    f = (casevault_message_fields)CASEVAULT_MESSAGE_FIELDS_INIT;
    f.sender = "stranger@example.com";
    f.body = "hi";
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_message_record(&json, v, ana, &f));

    /* record_many: all or nothing */
    CHECK(count_messages(v, ana, ana) == 5);
    for (i = 0; i < 3; ++i) {
        batch[i] = (casevault_message_fields)CASEVAULT_MESSAGE_FIELDS_INIT;
        batch[i].subject = ana;
        batch[i].channel = CASEVAULT_MESSAGE_PHONE;
        batch[i].body = "imported call notes";
    }
    batch[1].case_id = case_a;
    CHECK_OK(casevault_message_record_many(&json, v, ana, batch, 3));
    CHECK(json[0] == '[' && count_occurrences(json, "\"id\":\"msg_") == 3);
    CHECK(count_occurrences(json, "\"case_id\":null") == 2);
    casevault_free(json);
    CHECK(count_messages(v, ana, ana) == 8);
    batch[2].body = "card: 4111 1111 1111 1111"; /* the last one is refused */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record_many(&json, v, ana, batch, 3));
    CHECK(json == NULL);
    CHECK(count_messages(v, ana, ana) == 8);
    batch[2].body = "fine";
    batch[1].channel = 9;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record_many(&json, v, ana, batch, 3));
    CHECK(CONTAINS(casevault_last_error(), "batch[1].channel"));
    CHECK_OK(casevault_message_record_many(&json, v, ana, NULL, 0));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_message_record_many(NULL, v, ana, NULL, 0));
    CHECK(count_messages(v, ana, ana) == 8);

    /* list: pages in recording order, a case's only */
    pages = 0;
    total = 0;
    cursor[0] = '\0';
    for (;;) {
        CHECK_OK(casevault_message_list(&json, v, ana, ana, cursor, 3, NULL));
        ++pages;
        total += count_occurrences(json, "\"id\":\"msg_");
        CHECK(json_string_value(json, "next_cursor", cursor, sizeof cursor) || CONTAINS(json, "\"next_cursor\":\"\""));
        if (CONTAINS(json, "\"next_cursor\":\"\"")) {
            casevault_free(json);
            break;
        }
        casevault_free(json);
        CHECK(pages < 10);
    }
    CHECK(total == 8 && pages >= 3);
    CHECK_OK(casevault_message_list(&json, v, ana, ana, NULL, 0, case_a));
    CHECK(count_occurrences(json, "\"id\":\"msg_") == 2);
    CHECK(count_occurrences(json, case_a) == 2);
    casevault_free(json);
    CHECK_OK(casevault_message_list(&json, v, ben, ben, NULL, 0, NULL));
    CHECK(strcmp(json, "{\"items\":[],\"next_cursor\":\"\"}") == 0);
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_list(&json, v, ana, ana, NULL, 10001, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_list(&json, v, ana, ana, "not-a-cursor", 0, NULL));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_message_get(&json, v, ana, "msg_000000000000000000000000"));
    CHECK_DENIED("not_owner", casevault_message_get(&json, v, ben, msg));

    casevault_close(v);
}

static void test_payments(void) {
    casevault_vault *v = open_store("records_payments.db");
    char ana[ID_LEN], ben[ID_LEN], pay1[ID_LEN], pay2[ID_LEN];
    char *json = NULL;
    char expect[640];
    casevault_payment_fields f;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);

    f = payment(ana);
    f.amount_minor = 129900;
    f.paid_at = g_now - DAY;
    f.billing_address = "12 Main St\nSpringfield, IL";
    f.processor_ref = "ch_3N4xYz";
    f.recurring = 1;
    CHECK_OK(casevault_payment_record(&json, v, ana, &f));
    json_id(pay1, json, "pay_");
    snprintf(expect, sizeof expect,
             "{\"id\":\"%s\",\"subject\":\"%s\",\"amount_minor\":129900,\"currency\":\"USD\",\"paid_at\":%lld,"
             "\"card_brand\":\"visa\",\"last4\":\"4242\",\"billing_address\":\"12 Main St\\nSpringfield, IL\","
             "\"processor_ref\":\"ch_3N4xYz\",\"recurring\":true,\"recorded_at\":%lld,"
             "\"billing_state\":null,\"tax_exemption\":null}",
             pay1, ana, (long long)(g_now - DAY), (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    CHECK_OK(casevault_payment_get(&json, v, ana, pay1));
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);

    next_millisecond();
    f = payment(ana);
    f.card_brand = "amex";
    f.last4 = "0005";
    CHECK_OK(casevault_payment_record(NULL, v, ana, &f));
    CHECK_OK(casevault_payment_list(&json, v, ana, ana));
    CHECK(json[0] == '[' && count_occurrences(json, "\"id\":\"pay_") == 2);
    CHECK(CONTAINS(json, "\"card_brand\":\"amex\",\"last4\":\"0005\",\"billing_address\":null,"
                         "\"processor_ref\":null,\"recurring\":false"));
    CHECK(strstr(json, pay1) == strstr(json, "\"id\":\"pay_") + 6); /* oldest first */
    CHECK(json_string_value(strstr(json, "},{") + 2, "id", pay2, sizeof pay2));
    casevault_free(json);
    CHECK_OK(casevault_payment_list(&json, v, ben, ben));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);

    CHECK_DENIED("not_owner", casevault_payment_get(&json, v, ben, pay2));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_payment_get(&json, v, ana, "pay_000000000000000000000000"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_get(&json, v, ana, "4242"));

    casevault_close(v);
}

static void test_posts(void) {
    casevault_vault *v = open_store("records_posts.db");
    char ana[ID_LEN], ben[ID_LEN], p1[ID_LEN], p2[ID_LEN], p3[ID_LEN], cursor[ID_LEN];
    char *json = NULL;
    char expect[512];
    casevault_post_fields f = CASEVAULT_POST_FIELDS_INIT;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);

    f.author = ana;
    f.title = "I-130 approved after 11 months";
    f.body = "Filed at Vermont.\nNo RFE.";
    CHECK_OK(casevault_post_publish(&json, v, ana, &f));
    json_id(p1, json, "pst_");
    snprintf(expect, sizeof expect,
             "{\"id\":\"%s\",\"author\":\"%s\",\"title\":\"I-130 approved after 11 months\","
             "\"body\":\"Filed at Vermont.\\nNo RFE.\",\"created_at\":%lld}",
             p1, ana, (long long)g_now);
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);
    /* public: another subject reads it */
    CHECK_OK(casevault_post_get(&json, v, ben, p1));
    CHECK(strcmp(json, expect) == 0);
    casevault_free(json);

    next_millisecond();
    new_post(v, p2, ben, ben, "Waiting for biometrics");
    next_millisecond();
    new_post(v, p3, ana, ana, "Interview tips");
    /* one may not write as someone else */
    f.author = ben;
    CHECK_DENIED("not_owner", casevault_post_publish(&json, v, ana, &f));
    CHECK(json == NULL);

    CHECK_OK(casevault_post_list(&json, v, ben, NULL, 0, NULL));
    CHECK(count_occurrences(json, "\"id\":\"pst_") == 3 && CONTAINS(json, "\"next_cursor\":\"\""));
    CHECK(strstr(json, p1) < strstr(json, p2) && strstr(json, p2) < strstr(json, p3));
    casevault_free(json);
    CHECK_OK(casevault_post_list(&json, v, ben, NULL, 0, ana));
    CHECK(count_occurrences(json, "\"id\":\"pst_") == 2 && !CONTAINS(json, p2));
    casevault_free(json);
    CHECK_OK(casevault_post_list(&json, v, ben, NULL, 2, NULL));
    CHECK(count_occurrences(json, "\"id\":\"pst_") == 2);
    CHECK(json_string_value(json, "next_cursor", cursor, sizeof cursor) && strcmp(cursor, p2) == 0);
    casevault_free(json);
    CHECK_OK(casevault_post_list(&json, v, ben, cursor, 2, NULL));
    CHECK(count_occurrences(json, "\"id\":\"pst_") == 1 && CONTAINS(json, p3));
    CHECK(CONTAINS(json, "\"next_cursor\":\"\""));
    casevault_free(json);

    /* only the author removes */
    CHECK_DENIED("not_owner", casevault_post_remove(v, ben, p1));
    CHECK_OK(casevault_post_remove(v, ana, p1));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_post_get(&json, v, ben, p1));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_post_remove(v, ana, p1));
    CHECK(count_posts(v, ana) == 2);

    casevault_close(v);
}

/* Refused input: nothing is stored, and the message names the field but
 * does not echo the value. */
static void test_bad_input(void) {
    casevault_vault *v = open_store("records_bad_input.db");
    char ana[ID_LEN], ben[ID_LEN], case_a[ID_LEN], case_b[ID_LEN];
    char *json = NULL, *big;
    casevault_case_fields cf = CASEVAULT_CASE_FIELDS_INIT;
    casevault_case_status cs = CASEVAULT_CASE_STATUS_INIT;
    casevault_document_fields df = CASEVAULT_DOCUMENT_FIELDS_INIT;
    casevault_message_fields mf = CASEVAULT_MESSAGE_FIELDS_INIT;
    casevault_payment_fields pf;
    casevault_post_fields sf = CASEVAULT_POST_FIELDS_INIT;
    static const char *bad_receipts[] = {"ABC1234567890", "EAC123456789", "EAC12345X7890", "EAC12345678901", "EAC"};
    size_t i;
    int cases, messages, payments, posts, history;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_case(v, case_a, ana, ana, "EAC2190055501");
    new_case(v, case_b, ben, ben, NULL);
    cases = count_cases(v, ana, ana);
    messages = count_messages(v, ana, ana);
    payments = count_payments(v, ana, ana);
    posts = count_posts(v, ana);
    history = count_history(v, ana, case_a);

    /* malformed receipt numbers: open, update and find */
    cf.form_type = "I-130";
    for (i = 0; i < sizeof bad_receipts / sizeof bad_receipts[0]; ++i) {
        cf.receipt_number = bad_receipts[i];
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
        CHECK(json == NULL);
        CHECK(CONTAINS(casevault_last_error(), "receipt"));
        CHECK(!CONTAINS(casevault_last_error(), "12345"));
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_update(&json, v, ana, case_a, &cf));
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_find_by_receipt(&json, v, ana, bad_receipts[i]));
    }
    CHECK_OK(casevault_case_get(&json, v, ana, case_a));
    CHECK(CONTAINS(json, "\"receipt_number\":\"EAC2190055501\",\"form_type\":\"I-130\""));
    casevault_free(json);
    /* form types and questionnaires */
    cf.receipt_number = NULL;
    cf.form_type = "I130";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    CHECK(CONTAINS(casevault_last_error(), "form_type"));
    cf.form_type = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    cf.form_type = "I-130";
    cf.questionnaire = "{not json";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    CHECK(CONTAINS(casevault_last_error(), "questionnaire") && !CONTAINS(casevault_last_error(), "not json"));
    cf.questionnaire = "42";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    cf.questionnaire = "{\"payment\":\"4111 1111 1111 1111\"}";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    CHECK(CONTAINS(casevault_last_error(), "questionnaire") && !CONTAINS(casevault_last_error(), "4111"));
    cf.questionnaire = "{\"name\":\"caf\xc3\x28\"}";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    big = json_array_text(((size_t)1 << 20) + 1); /* one byte over 1 MiB */
    cf.questionnaire = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    CHECK(CONTAINS(casevault_last_error(), "questionnaire"));
    free(big);
    big = json_array_text((size_t)1 << 20); /* exactly 1 MiB: accepted */
    cf.questionnaire = big;
    CHECK_OK(casevault_case_update(NULL, v, ana, case_a, &cf));
    free(big);
    cf.questionnaire = "";
    CHECK_OK(casevault_case_update(NULL, v, ana, case_a, &cf));
    CHECK(count_cases(v, ana, ana) == cases);

    /* status labels, details and documents */
    cs.status = "Received!";
    cs.source = "uscis";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    CHECK(CONTAINS(casevault_last_error(), "status"));
    cs.status = "received";
    cs.source = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    CHECK(CONTAINS(casevault_last_error(), "source"));
    cs.source = "uscis";
    cs.at = g_now + 2 * DAY;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    cs.at = 0;
    big = repeated('d', 4097);
    cs.detail = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    CHECK(CONTAINS(casevault_last_error(), "detail"));
    big[4096] = '\0'; /* 4 KiB: accepted below */
    cs.detail = "paid with 4111-1111-1111-1111";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    CHECK(CONTAINS(casevault_last_error(), "detail") && !CONTAINS(casevault_last_error(), "4111"));
    cs.detail = "\xff\xfe";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    CHECK(CONTAINS(casevault_last_error(), "UTF-8"));
    CHECK(count_history(v, ana, case_a) == history);
    cs.detail = big;
    CHECK_OK(casevault_case_add_status(NULL, v, ana, case_a, &cs));
    free(big);
    ++history;
    df.name = "scan.pdf";
    df.kind = "passport";
    df.sha256 = "abc";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    CHECK(CONTAINS(casevault_last_error(), "sha256"));
    df.sha256 = kSha;
    df.size = -1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    df.size = 10;
    df.name = "\xc0\xaf.pdf";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    big = repeated('n', 256);
    df.name = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    CHECK(CONTAINS(casevault_last_error(), "name"));
    free(big);
    df.name = "card 4111 1111 1111 1111.jpg";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    CHECK(CONTAINS(casevault_last_error(), "name") && !CONTAINS(casevault_last_error(), "4111"));
    df.name = "scan.pdf";
    df.kind = "Passport Scan";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    CHECK_OK(casevault_case_documents(&json, v, ana, case_a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);

    /* messages: a card number in the body or subject line, bad UTF-8, sizes */
    mf.subject = ana;
    mf.channel = CASEVAULT_MESSAGE_WEB_FORM;
    mf.body = "Please charge my card 4111 1111 1111 1111 for the fee.";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(json == NULL);
    CHECK(CONTAINS(casevault_last_error(), "body"));
    CHECK(!CONTAINS(casevault_last_error(), "4111") && !CONTAINS(casevault_last_error(), kCard));
    mf.body = "ok";
    mf.subject_line = "card 4111111111111111";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "subject_line") && !CONTAINS(casevault_last_error(), "4111"));
    big = repeated('s', 1001);
    mf.subject_line = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "subject_line"));
    free(big);
    mf.subject_line = NULL;
    mf.body = "bad \xc3\x28 byte";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "body") && CONTAINS(casevault_last_error(), "UTF-8"));
    big = repeated('b', ((size_t)1 << 20) + 1);
    mf.body = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "body"));
    free(big);
    mf.body = "ok";
    mf.channel = 5;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "channel"));
    mf.channel = CASEVAULT_MESSAGE_WEB_FORM;
    mf.direction = 2;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "direction"));
    mf.direction = CASEVAULT_INBOUND;
    mf.channel = CASEVAULT_MESSAGE_EMAIL; /* inbound email needs its sender */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(CONTAINS(casevault_last_error(), "sender"));
    mf.channel = CASEVAULT_MESSAGE_WEB_FORM;
    mf.case_id = case_b; /* Ben's case */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    mf.case_id = kUnknownCase;
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_message_record(&json, v, ana, &mf));
    mf.case_id = NULL;
    mf.at = g_now + 2 * DAY;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    CHECK(count_messages(v, ana, ana) == messages);

    /* billing: never a card number, anywhere */
    pf = payment(ana);
    pf.billing_address = "4111 1111 1111 1111\n12 Main St";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(json == NULL);
    CHECK(CONTAINS(casevault_last_error(), "billing_address"));
    CHECK(!CONTAINS(casevault_last_error(), "4111") && !CONTAINS(casevault_last_error(), "1111"));
    pf.billing_address = "12 Main St";
    pf.processor_ref = "4111-1111-1111-1111";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(CONTAINS(casevault_last_error(), "processor_ref") && !CONTAINS(casevault_last_error(), "4111"));
    pf.processor_ref = NULL;
    pf.last4 = "4111111111111111";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(CONTAINS(casevault_last_error(), "last4") && !CONTAINS(casevault_last_error(), "4111"));
    pf.last4 = "42";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(CONTAINS(casevault_last_error(), "last4"));
    pf.last4 = "4242";
    pf.amount_minor = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(CONTAINS(casevault_last_error(), "amount_minor"));
    pf.amount_minor = -100;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    pf.amount_minor = 100;
    pf.currency = "dollars";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(CONTAINS(casevault_last_error(), "currency"));
    pf.currency = "USD";
    pf.card_brand = "bitcoin";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    CHECK(CONTAINS(casevault_last_error(), "card_brand"));
    pf.card_brand = "visa";
    pf.billing_address = "\xff";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    pf.billing_address = NULL;
    pf.subject = kUnknownAccount;
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_payment_record(&json, v, ana, &pf));
    CHECK(count_payments(v, ana, ana) == payments);

    /* posts */
    sf.author = ana;
    sf.title = "My card is 4111 1111 1111 1111";
    sf.body = "b";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    CHECK(CONTAINS(casevault_last_error(), "title") && !CONTAINS(casevault_last_error(), "4111"));
    sf.title = "\xff\xfe title";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    big = repeated('t', 301);
    sf.title = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    CHECK(CONTAINS(casevault_last_error(), "title"));
    free(big);
    sf.title = "t";
    big = repeated('b', 64 * 1024 + 1);
    sf.body = big;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    CHECK(CONTAINS(casevault_last_error(), "body"));
    big[64 * 1024] = '\0'; /* 64 KiB: accepted */
    CHECK_OK(casevault_post_publish(NULL, v, ana, &sf));
    ++posts;
    free(big);
    sf.body = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    CHECK(count_posts(v, ana) == posts);
    CHECK(count_history(v, ana, case_a) == history);
    CHECK(count_cases(v, ana, ana) == cases);

    /* lists: limits and cursors */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_list(&json, v, ana, NULL, 10001, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_list(&json, v, ana, "x", 0, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_list(&json, v, ana, NULL, 0, "ana"));

    casevault_close(v);
}

/* Erasing a subject under visapro.json: cases, messages and payments go;
 * posts stay, anonymised. */
static void test_erasure(void) {
    casevault_vault *v = open_store("records_erasure.db");
    char ana[ID_LEN], ben[ID_LEN], sys[ID_LEN], att[ID_LEN], case_a[ID_LEN], msg_a[ID_LEN], pay_a[ID_LEN];
    char post_a[ID_LEN], post_b[ID_LEN], case_b[ID_LEN];
    char *json = NULL;
    char expect[256];
    int allowed = -1;
    casevault_document_fields df = CASEVAULT_DOCUMENT_FIELDS_INIT;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", "+1 332 555 0101");
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_principal(v, att, CASEVAULT_ROLE_ATTORNEY);
    new_case(v, case_a, ana, ana, "EAC2190066601");
    new_case(v, case_b, ben, ben, "EAC2190066602");
    CHECK_OK(casevault_case_assign(v, case_a, att));
    df.name = "passport.pdf";
    df.kind = "passport";
    df.sha256 = kSha;
    CHECK_OK(casevault_case_add_document(NULL, v, ana, case_a, &df));
    new_message(v, msg_a, ana, ana, case_a);
    new_payment(v, pay_a, ana, ana);
    new_post(v, post_a, ana, ana, "Ana's story");
    new_post(v, post_b, ben, ben, "Ben's story");
    CHECK_OK(casevault_info(&json, v));
    CHECK(CONTAINS(json, "\"records\":{\"principals\":2,\"cases\":2,\"messages\":1,\"payments\":1,\"posts\":2}"));
    casevault_free(json);
    json = NULL;

    CHECK_OK(casevault_account_erase(v, ana));

    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_get(&json, v, sys, case_a));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_history(&json, v, sys, case_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_documents(&json, v, sys, case_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_case_assignees(&json, v, case_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_message_get(&json, v, sys, msg_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_payment_get(&json, v, sys, pay_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND,
                casevault_can(&allowed, NULL, v, sys, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a));
    CHECK(allowed == 0);
    /* the receipt number and sender indexes went with them */
    json = (char *)"untouched";
    CHECK_OK(casevault_case_find_by_receipt(&json, v, sys, "EAC2190066601"));
    CHECK(json == NULL);
    CHECK_OK(casevault_message_match_sender(&json, v, sys, "+1 332 555 0101"));
    CHECK(json == NULL);
    /* the post stays, anonymised (visapro: posts-on-deletion-request anonymize) */
    CHECK_OK(casevault_post_get(&json, v, ben, post_a));
    snprintf(expect, sizeof expect, "{\"id\":\"%s\",\"author\":null,\"title\":\"Ana's story\"", post_a);
    CHECK(strncmp(json, expect, strlen(expect)) == 0);
    CHECK(!CONTAINS(json, ana));
    casevault_free(json);
    CHECK_OK(casevault_post_list(&json, v, ben, NULL, 0, ana));
    CHECK(count_occurrences(json, "\"id\":\"pst_") == 0);
    casevault_free(json);
    /* the other subject's records are untouched */
    CHECK_OK(casevault_post_get(&json, v, ben, post_b));
    snprintf(expect, sizeof expect, "\"author\":\"%s\"", ben);
    CHECK(CONTAINS(json, expect));
    casevault_free(json);
    CHECK_OK(casevault_case_get(&json, v, ben, case_b));
    CHECK(CONTAINS(json, "\"receipt_number\":\"EAC2190066602\""));
    casevault_free(json);
    /* the erased account acts no more, and its principal is gone */
    CHECK_DENIED("unknown_actor", casevault_post_get(&json, v, ana, post_b));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_principal_get(&json, v, ana));
    /* and the audit log holds none of it */
    {
        casevault_audit_filter f = CASEVAULT_AUDIT_FILTER_INIT;
        f.limit = 100000;
        CHECK_OK(casevault_audit_read(&json, v, &f));
        CHECK(!CONTAINS(json, "EAC2190066601") && !CONTAINS(json, "Ana's story") && !CONTAINS(json, "Souza"));
        casevault_free(json);
    }

    casevault_close(v);
}

/* Planted strings must not be readable in the store files. */
static void test_canary_not_in_file(void) {
    const char *path = path_in_dir("records_canary.db");
    static const char *canaries[] = {
        "Zebulon Canarywhistle",   /* account name */
        "EAC2190077731",           /* receipt number */
        "Quixotlemaiden",          /* questionnaire answer */
        "Zorblaxian interview",    /* status detail */
        "Frobnitzpassport",        /* document name */
        "Snorkelvane",             /* message subject line */
        "Wibbleflarn consultation", /* message body */
        "canary-mail",             /* message sender */
        "Glimmerquartz Lane",      /* billing address */
        "ch_Plumbusref",           /* processor reference */
        "Blorptitle",              /* post title (public, but the file is encrypted) */
        "Blorpbody",               /* post body */
    };
    char ana[ID_LEN], case_a[ID_LEN], wal[1100];
    casevault_vault *v = open_store("records_canary.db");
    casevault_case_fields cf = CASEVAULT_CASE_FIELDS_INIT;
    casevault_case_status cs = CASEVAULT_CASE_STATUS_INIT;
    casevault_document_fields df = CASEVAULT_DOCUMENT_FIELDS_INIT;
    casevault_message_fields mf = CASEVAULT_MESSAGE_FIELDS_INIT;
    casevault_payment_fields pf;
    casevault_post_fields sf = CASEVAULT_POST_FIELDS_INIT;
    char *json = NULL;
    size_t i, size = 0;
    unsigned char *data;

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Zebulon Canarywhistle", "zq.7731@canary-mail.example", NULL);
    cf.receipt_number = "EAC2190077731";
    cf.form_type = "I-485";
    cf.questionnaire = "{\"mother_maiden_name\":\"Quixotlemaiden\"}";
    CHECK_OK(casevault_case_open(&json, v, ana, ana, &cf));
    json_id(case_a, json, "cas_");
    casevault_free(json);
    cs.status = "interview_scheduled";
    cs.source = "manual";
    cs.detail = "Zorblaxian interview notes";
    CHECK_OK(casevault_case_add_status(NULL, v, ana, case_a, &cs));
    df.name = "Frobnitzpassport.pdf";
    df.kind = "passport";
    df.sha256 = kSha;
    CHECK_OK(casevault_case_add_document(NULL, v, ana, case_a, &df));
    mf.sender = "zq.7731@canary-mail.example";
    mf.case_id = case_a;
    mf.subject_line = "Snorkelvane";
    mf.body = "Wibbleflarn consultation";
    CHECK_OK(casevault_message_record(NULL, v, ana, &mf));
    pf = payment(ana);
    pf.billing_address = "Glimmerquartz Lane 7";
    pf.processor_ref = "ch_Plumbusref";
    CHECK_OK(casevault_payment_record(NULL, v, ana, &pf));
    sf.author = ana;
    sf.title = "Blorptitle";
    sf.body = "Blorpbody";
    CHECK_OK(casevault_post_publish(NULL, v, ana, &sf));

    /* while open (the WAL not yet folded back) ... */
    snprintf(wal, sizeof wal, "%s-wal", path);
    for (i = 0; i < sizeof canaries / sizeof canaries[0]; ++i) {
        CHECK(!file_contains(path, canaries[i]));
        CHECK(!file_contains(wal, canaries[i]));
    }
    /* ... and the audit log names none of them */
    {
        casevault_audit_filter f = CASEVAULT_AUDIT_FILTER_INIT;
        CHECK_OK(casevault_audit_read(&json, v, &f));
        for (i = 0; i < sizeof canaries / sizeof canaries[0]; ++i) CHECK(!CONTAINS(json, canaries[i]));
        casevault_free(json);
    }
    casevault_close(v);

    /* ... and after closing */
    data = read_file(path, &size);
    CHECK(data != NULL && size > 0);
    for (i = 0; i < sizeof canaries / sizeof canaries[0]; ++i) CHECK(!bytes_contain(data, size, canaries[i]));
    free(data);
    for (i = 0; i < sizeof canaries / sizeof canaries[0]; ++i) CHECK(!file_contains(wal, canaries[i]));
}

/* Every NULL that is not documented as optional, and bad struct versions:
 * CASEVAULT_EINVAL naming the argument, out-params NULL / 0, nothing changed. */
static void test_null_arguments(void) {
    casevault_vault *v = open_store("records_null.db");
    char ana[ID_LEN], case_a[ID_LEN], msg_a[ID_LEN], pay_a[ID_LEN], post_a[ID_LEN];
    char *json = (char *)"untouched", *rule = (char *)"untouched";
    int allowed = 7;
    casevault_case_fields cf = CASEVAULT_CASE_FIELDS_INIT;
    casevault_case_status cs = CASEVAULT_CASE_STATUS_INIT;
    casevault_document_fields df = CASEVAULT_DOCUMENT_FIELDS_INIT;
    casevault_message_fields mf = CASEVAULT_MESSAGE_FIELDS_INIT;
    casevault_payment_fields pf;
    casevault_post_fields sf = CASEVAULT_POST_FIELDS_INIT;
    const casevault_message_fields mf_ok = {CASEVAULT_MESSAGE_FIELDS_VERSION, NULL, NULL,
                                            CASEVAULT_MESSAGE_WEB_FORM, CASEVAULT_INBOUND, 0, NULL, "x", NULL};

    publish_example(v, "visapro.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_case(v, case_a, ana, ana, NULL);
    new_message(v, msg_a, ana, ana, case_a);
    new_payment(v, pay_a, ana, ana);
    new_post(v, post_a, ana, ana, "title");

#define NAMES(arg) CHECK(CONTAINS(casevault_last_error(), arg))
    /* principals and can */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_add(NULL, v, CASEVAULT_ROLE_STAFF));
    NAMES("out_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_add(&json, NULL, CASEVAULT_ROLE_STAFF));
    NAMES("vault");
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_get(NULL, v, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_get(&json, NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_get(&json, v, NULL));
    NAMES("id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_list(NULL, v));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_list(&json, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_disable(NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_principal_disable(v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL,
                casevault_can(NULL, &rule, v, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a));
    NAMES("out_allowed");
    CHECK(rule == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL,
                casevault_can(&allowed, &rule, NULL, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a));
    CHECK(allowed == 0);
    CHECK_FAILS(CASEVAULT_EINVAL,
                casevault_can(&allowed, &rule, v, NULL, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, case_a));
    NAMES("actor");
    CHECK_FAILS(CASEVAULT_EINVAL,
                casevault_can(&allowed, &rule, v, ana, CASEVAULT_ACTION_READ, CASEVAULT_RECORD_CASE, NULL));
    NAMES("record_id");

    /* cases */
    cf.form_type = "I-130";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(NULL, v, ana, ana, &cf));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, NULL, ana, ana, &cf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, NULL, ana, &cf));
    NAMES("actor");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, NULL, &cf));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, NULL));
    NAMES("fields");
    cf.form_type = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    NAMES("form_type");
    cf.form_type = "I-130";
    cf.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_open(&json, v, ana, ana, &cf));
    NAMES("version");
    cf.version = CASEVAULT_CASE_FIELDS_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_update(&json, v, ana, case_a, &cf));
    NAMES("version");
    cf.version = CASEVAULT_CASE_FIELDS_VERSION;
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_get(NULL, v, ana, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_get(&json, NULL, ana, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_get(&json, v, NULL, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_get(&json, v, ana, NULL));
    NAMES("case_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_list(NULL, v, ana, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_list(&json, v, NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_list(&json, v, ana, NULL));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_find_by_receipt(NULL, v, ana, "EAC2190012345"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_find_by_receipt(&json, v, NULL, "EAC2190012345"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_find_by_receipt(&json, v, ana, NULL));
    NAMES("receipt_number");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_update(&json, NULL, ana, case_a, &cf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_update(&json, v, NULL, case_a, &cf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_update(&json, v, ana, NULL, &cf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_update(&json, v, ana, case_a, NULL));
    NAMES("update");
    cs.status = "received";
    cs.source = "uscis";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, NULL, case_a, &cs));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, NULL, &cs));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, NULL));
    NAMES("status");
    cs.status = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    NAMES("status->status");
    cs.status = "received";
    cs.source = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    NAMES("source");
    cs.source = "uscis";
    cs.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_status(&json, v, ana, case_a, &cs));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_history(NULL, v, ana, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_history(&json, v, NULL, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_history(&json, v, ana, NULL));
    df.name = "a.pdf";
    df.kind = "passport";
    df.sha256 = kSha;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, NULL, case_a, &df));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, NULL, &df));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, NULL));
    NAMES("document");
    df.name = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    NAMES("name");
    df.name = "a.pdf";
    df.kind = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    NAMES("kind");
    df.kind = "passport";
    df.sha256 = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    NAMES("sha256");
    df.sha256 = kSha;
    df.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_add_document(&json, v, ana, case_a, &df));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_documents(NULL, v, ana, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_documents(&json, v, NULL, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_documents(&json, v, ana, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_remove_document(NULL, ana, "doc_000000000000000000000000"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_remove_document(v, NULL, "doc_000000000000000000000000"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_remove_document(v, ana, NULL));
    NAMES("document_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assign(NULL, case_a, kUnknownPrincipal));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assign(v, NULL, kUnknownPrincipal));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assign(v, case_a, NULL));
    NAMES("principal");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_unassign(NULL, case_a, kUnknownPrincipal));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_unassign(v, NULL, kUnknownPrincipal));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_unassign(v, case_a, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assignees(NULL, v, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assignees(&json, NULL, case_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_case_assignees(&json, v, NULL));
    CHECK(json == NULL);

    /* correspondence */
    mf = mf_ok;
    mf.subject = ana;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, NULL, ana, &mf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, NULL, &mf));
    NAMES("actor");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, NULL));
    NAMES("fields");
    mf.body = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    NAMES("body");
    mf.body = "x";
    mf.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record(&json, v, ana, &mf));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record_many(&json, v, ana, &mf, 1));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record_many(&json, v, ana, NULL, 1));
    NAMES("batch");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record_many(&json, NULL, ana, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_record_many(&json, v, NULL, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_get(NULL, v, ana, msg_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_get(&json, v, NULL, msg_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_get(&json, v, ana, NULL));
    NAMES("message_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_list(NULL, v, ana, ana, NULL, 0, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_list(&json, v, NULL, ana, NULL, 0, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_list(&json, v, ana, NULL, NULL, 0, NULL));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_match_sender(NULL, v, ana, "ana@example.com"));
    NAMES("out_subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_match_sender(&json, v, NULL, "ana@example.com"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_message_match_sender(&json, v, ana, NULL));
    NAMES("sender");
    CHECK(json == NULL);

    /* billing */
    pf = payment(ana);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, NULL, ana, &pf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, NULL, &pf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, NULL));
    NAMES("fields");
    pf.subject = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    NAMES("subject");
    pf = payment(ana);
    pf.currency = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    NAMES("currency");
    pf = payment(ana);
    pf.card_brand = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    NAMES("card_brand");
    pf = payment(ana);
    pf.last4 = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    NAMES("last4");
    pf = payment(ana);
    pf.version = CASEVAULT_PAYMENT_FIELDS_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &pf));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_get(NULL, v, ana, pay_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_get(&json, v, NULL, pay_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_get(&json, v, ana, NULL));
    NAMES("payment_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_list(NULL, v, ana, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_list(&json, v, NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_list(&json, v, ana, NULL));
    CHECK(json == NULL);

    /* posts */
    sf.author = ana;
    sf.title = "t";
    sf.body = "b";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, NULL, ana, &sf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, NULL, &sf));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, NULL));
    sf.author = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    NAMES("author");
    sf.author = ana;
    sf.title = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    NAMES("title");
    sf.title = "t";
    sf.body = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    NAMES("body");
    sf.body = "b";
    sf.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_publish(&json, v, ana, &sf));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_get(NULL, v, ana, post_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_get(&json, v, NULL, post_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_get(&json, v, ana, NULL));
    NAMES("post_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_list(NULL, v, ana, NULL, 0, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_list(&json, NULL, ana, NULL, 0, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_list(&json, v, NULL, NULL, 0, NULL));
    NAMES("actor");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_remove(NULL, ana, post_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_remove(v, NULL, post_a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_post_remove(v, ana, NULL));
    NAMES("post_id");
    CHECK(json == NULL);
#undef NAMES

    /* nothing above changed the store, and a success clears the last error */
    CHECK(count_cases(v, ana, ana) == 1);
    CHECK(count_messages(v, ana, ana) == 1);
    CHECK(count_payments(v, ana, ana) == 1);
    CHECK(count_posts(v, ana) == 1);
    CHECK_OK(casevault_case_documents(&json, v, ana, case_a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_case_history(&json, v, ana, case_a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    CHECK(strcmp(casevault_last_error(), "") == 0);
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);

    casevault_close(v);
    casevault_close(NULL); /* NULL-safe */
}

int main(int argc, char **argv) {
    if (argc > 1) g_dir = argv[1];

    test_constants();
    test_principals();
    test_cases();
    test_access_visapro();
    test_access_case_parallels();
    test_messages();
    test_payments();
    test_posts();
    test_bad_input();
    test_erasure();
    test_canary_not_in_file();
    test_null_arguments();

    printf("capi_records_test: all %d checks passed\n", g_checks);
    return 0;
}

/*
 * test_capi_retention.c — tests of the retention engine through the C API
 * (casevault.h, "Retention"): activity, cancel and delete requests (inbound
 * commands with confirmation codes), legal holds, the sweep and its
 * receipts, and backups, under the example policies (examples/policies).
 * Written in C99.
 *
 * Run as: capi_retention_test <dir>   (dir: a writable directory for the stores)
 * The examples directory is compiled in as CV_EXAMPLES_DIR.
 *
 * Time is the store's injectable clock (check.h: test_now(), DAY), so the
 * deadlines are checked to the day: the day before nothing happens, on the
 * day it does. Records come back as JSON text; these tests read it with
 * strstr() on the compact form the library emits ("key":value, no spaces,
 * keys in the documented order).
 */
#include "casevault/casevault.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#ifndef CV_EXAMPLES_DIR
#error "CV_EXAMPLES_DIR must name the examples directory"
#endif

/* ---- helpers ------------------------------------------------------------- */

#define CODE_LEN 256

#define g_now (*test_now())

/* Every test starts at the same instant: 2026-01-01 00:00:00 UTC. */
static const int64_t kStart = 1767225600;

static const char *kUnknownAccount = "acc_000000000000000000000000";
static const char *kUnknownCase = "cas_000000000000000000000000";
static const char *kUnknownHold = "hld_000000000000000000000000";
static const char *kUnknownRequest = "era_000000000000000000000000";

/* Pieces of personal data that must never show up where they do not belong. */
static const char *kCanary = "Zanzibar-canary-7731";
static const char *kLegalRef = "GJ-2026-0042-secret";

static casevault_vault *open_store(const char *name) {
    g_now = kStart;
    return open_clocked_store(name, "retention tests");
}

static void new_case(casevault_vault *v, char *id, const char *subject) {
    casevault_case_fields f = CASEVAULT_CASE_FIELDS_INIT;
    char *json = NULL;
    f.form_type = "I-130";
    CHECK_OK(casevault_case_open(&json, v, subject, subject, &f));
    json_id(id, json, "cas_");
    casevault_free(json);
}

/* An inbound web-form message from the subject: counts as "message" activity. */
static void new_message(casevault_vault *v, char *id, const char *subject) {
    casevault_message_fields f = CASEVAULT_MESSAGE_FIELDS_INIT;
    char *json = NULL;
    f.subject = subject;
    f.channel = CASEVAULT_MESSAGE_WEB_FORM;
    f.body = "When is my interview?";
    CHECK_OK(casevault_message_record(&json, v, subject, &f));
    json_id(id, json, "msg_");
    casevault_free(json);
}

/* A payment by the subject: counts as "payment" activity. */
static void new_payment(casevault_vault *v, char *id, const char *subject) {
    casevault_payment_fields f = CASEVAULT_PAYMENT_FIELDS_INIT;
    char *json = NULL;
    f.subject = subject;
    f.amount_minor = 4900;
    f.currency = "USD";
    f.card_brand = "visa";
    f.last4 = "4242";
    f.billing_address = "12 Main St";
    f.processor_ref = "ch_3N4xYz";
    CHECK_OK(casevault_payment_record(&json, v, subject, &f));
    json_id(id, json, "pay_");
    casevault_free(json);
}

static void new_post(casevault_vault *v, char *id, const char *author) {
    casevault_post_fields f = CASEVAULT_POST_FIELDS_INIT;
    char *json = NULL;
    f.author = author;
    f.title = "Approved after 11 months";
    f.body = "Filed at Vermont.";
    CHECK_OK(casevault_post_publish(&json, v, author, &f));
    json_id(id, json, "pst_");
    casevault_free(json);
}

/* 1 if the case exists (read by the system principal, whose retention grant
 * reaches every case), 0 if it is gone. */
static int case_exists(casevault_vault *v, const char *sys, const char *case_id) {
    char *json = NULL;
    int rc = casevault_case_get(&json, v, sys, case_id);
    CHECK(rc == CASEVAULT_OK || rc == CASEVAULT_ENOTFOUND);
    casevault_free(json);
    return rc == CASEVAULT_OK;
}

/* Copies the account's status ("active", "cancelled", "erased") into out. */
static const char *account_status(casevault_vault *v, const char *id) {
    static char status[32];
    char *json = NULL;
    CHECK_OK(casevault_account_get(&json, v, id));
    CHECK(json_string_value(json, "status", status, sizeof status));
    casevault_free(json);
    return status;
}

/* Sweeps at the store's clock; *out (if not NULL) receives the report. */
static void sweep(casevault_vault *v, char **out) {
    casevault_sweep_options o = CASEVAULT_SWEEP_OPTIONS_INIT;
    CHECK_OK(casevault_retention_sweep(out, v, &o));
    if (out) CHECK(*out != NULL);
}

/* A sweep's number of subjects done. */
static int64_t sweep_subjects(casevault_vault *v) {
    char *report = NULL;
    int64_t n;
    sweep(v, &report);
    n = json_int(report, "subjects");
    casevault_free(report);
    return n;
}

/* Polls every pending notification, copies the one-time code of the
 * subject's confirm_request into code (CODE_LEN bytes; 0 if there is none)
 * and acknowledges everything polled. Checks the payload holds no contact
 * details (not_in_payload, may be NULL). */
static int take_code(casevault_vault *v, const char *subject, char *code, const char *not_in_payload) {
    char *json = NULL;
    char pattern[160];
    const char *p;
    int64_t ids[64];
    size_t n = 0;
    int found = 0;
    code[0] = '\0';
    CHECK_OK(casevault_outbox_poll(&json, v, 64, 60));
    snprintf(pattern, sizeof pattern, "\"kind\":\"confirm_request\",\"subject\":\"%s\"", subject);
    p = strstr(json, pattern);
    if (p) {
        /* the code is in this notification's payload, before the next one */
        const char *next = strstr(p, "{\"id\":");
        const char *c = strstr(p, "\"code\":\"");
        CHECK(c != NULL && (next == NULL || c < next));
        CHECK(json_string_value(c, "code", code, CODE_LEN));
        CHECK(strlen(code) > 0);
        found = 1;
    }
    if (not_in_payload) CHECK(!CONTAINS(json, not_in_payload));
    for (p = json; p && n < 64 && (p = strstr(p, "{\"id\":")) != NULL;) {
        p += 6;
        ids[n++] = (int64_t)strtoll(p, NULL, 10);
    }
    if (n > 0) CHECK_OK(casevault_outbox_ack(NULL, v, ids, n));
    casevault_free(json);
    return found;
}

static casevault_inbound_message email(const char *sender, const char *subject_line, const char *body) {
    casevault_inbound_message m = CASEVAULT_INBOUND_MESSAGE_INIT;
    m.channel = "email";
    m.sender = sender;
    m.subject_line = subject_line;
    m.body = body;
    return m;
}

static casevault_inbound_message whatsapp(const char *sender, const char *body) {
    casevault_inbound_message m = CASEVAULT_INBOUND_MESSAGE_INIT;
    m.channel = "whatsapp";
    m.sender = sender;
    m.body = body;
    return m;
}

/* Parses m and checks the outcome and command (0: none). */
static void check_parse(const casevault_inbound_message *m, int want_outcome, int want_command) {
    int outcome = -1, command = -1;
    char *json = NULL;
    CHECK_OK(casevault_request_parse(&outcome, &command, &json, m));
    if (outcome != want_outcome || command != want_command)
        fprintf(stderr, "parse: got %s/%s, expected %s/%s (%s)\n", casevault_inbound_outcome_name(outcome),
                casevault_request_kind_name(command), casevault_inbound_outcome_name(want_outcome),
                casevault_request_kind_name(want_command), json ? json : "");
    CHECK(outcome == want_outcome);
    CHECK(command == want_command);
    CHECK(has_str(json, "outcome", casevault_inbound_outcome_name(want_outcome)));
    if (want_command)
        CHECK(has_str(json, "command", casevault_request_kind_name(want_command)));
    else
        CHECK(CONTAINS(json, "\"command\":null"));
    CHECK(CONTAINS(json, "\"subject\":null"));
    CHECK(CONTAINS(json, "\"request\":null"));
    casevault_free(json);
}

/* The number of requests a list returns. */
static int count_requests(casevault_vault *v, const char *subject) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_request_list(&json, v, subject));
    n = count_occurrences(json, "\"id\":\"era_");
    casevault_free(json);
    return n;
}

static int count_holds(casevault_vault *v, const char *subject, int include_ended) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_hold_list(&json, v, subject, include_ended));
    n = count_occurrences(json, "\"id\":\"hld_");
    casevault_free(json);
    return n;
}

static int64_t pending_notifications(casevault_vault *v) {
    int64_t n = -1;
    CHECK_OK(casevault_outbox_pending(&n, v));
    return n;
}

/* A JSON snapshot for "a failed call changed nothing" (free()). */
static char *snapshot(int rc, char *json) {
    char *copy;
    CHECK(rc == CASEVAULT_OK && json != NULL);
    copy = (char *)malloc(strlen(json) + 1);
    CHECK(copy != NULL);
    strcpy(copy, json);
    casevault_free(json);
    return copy;
}

static char *activity_snapshot(casevault_vault *v, const char *subject) {
    char *json = NULL;
    int rc = casevault_activity_state(&json, v, subject);
    return snapshot(rc, json);
}

static char *hold_snapshot(casevault_vault *v, const char *hold_id) {
    char *json = NULL;
    int rc = casevault_hold_get(&json, v, hold_id);
    return snapshot(rc, json);
}

static char *request_snapshot(casevault_vault *v, const char *subject) {
    char *json = NULL;
    int rc = casevault_request_list(&json, v, subject);
    return snapshot(rc, json);
}

/* The same snapshot again. */
#define CHECK_UNCHANGED(before, now_snapshot)         \
    do {                                              \
        char *after_ = (now_snapshot);                \
        CHECK(strcmp((before), after_) == 0);         \
        free(after_);                                 \
    } while (0)

/* ---- constants and names ---------------------------------------------------- */

static void test_constants(void) {
    CHECK(CASEVAULT_EEXPIRED == -14);

    CHECK(CASEVAULT_TRIGGER_INACTIVITY == 1);
    CHECK(CASEVAULT_TRIGGER_CANCELLATION == 2);
    CHECK(CASEVAULT_TRIGGER_DELETION_REQUEST == 3);
    CHECK(CASEVAULT_TRIGGER_RECONSENT_DECLINED == 4);
    CHECK(CASEVAULT_TRIGGER_ACCOUNT_CLOSED == 5);
    CHECK(strcmp(casevault_retention_trigger_name(CASEVAULT_TRIGGER_INACTIVITY), "inactivity") == 0);
    CHECK(strcmp(casevault_retention_trigger_name(CASEVAULT_TRIGGER_CANCELLATION), "cancellation") == 0);
    CHECK(strcmp(casevault_retention_trigger_name(CASEVAULT_TRIGGER_DELETION_REQUEST), "deletion_request") == 0);
    CHECK(strcmp(casevault_retention_trigger_name(CASEVAULT_TRIGGER_RECONSENT_DECLINED), "reconsent_declined") ==
          0);
    CHECK(strcmp(casevault_retention_trigger_name(CASEVAULT_TRIGGER_ACCOUNT_CLOSED), "account_closed") == 0);
    CHECK(strcmp(casevault_retention_trigger_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_retention_trigger_name(6), "unknown") == 0);
    CHECK(strcmp(casevault_retention_trigger_name(-1), "unknown") == 0);

    CHECK(CASEVAULT_REQUEST_CANCEL == 1);
    CHECK(CASEVAULT_REQUEST_ERASE == 2);
    CHECK(strcmp(casevault_request_kind_name(CASEVAULT_REQUEST_CANCEL), "cancel") == 0);
    CHECK(strcmp(casevault_request_kind_name(CASEVAULT_REQUEST_ERASE), "delete") == 0);
    CHECK(strcmp(casevault_request_kind_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_request_kind_name(3), "unknown") == 0);

    CHECK(CASEVAULT_REQUEST_STATE_AWAITING_CONFIRMATION == 1);
    CHECK(CASEVAULT_REQUEST_STATE_PENDING == 2);
    CHECK(CASEVAULT_REQUEST_STATE_DONE == 3);
    CHECK(CASEVAULT_REQUEST_STATE_EXPIRED == 4);
    CHECK(CASEVAULT_REQUEST_STATE_WITHDRAWN == 5);
    CHECK(strcmp(casevault_request_state_name(CASEVAULT_REQUEST_STATE_AWAITING_CONFIRMATION),
                 "awaiting_confirmation") == 0);
    CHECK(strcmp(casevault_request_state_name(CASEVAULT_REQUEST_STATE_PENDING), "pending") == 0);
    CHECK(strcmp(casevault_request_state_name(CASEVAULT_REQUEST_STATE_DONE), "done") == 0);
    CHECK(strcmp(casevault_request_state_name(CASEVAULT_REQUEST_STATE_EXPIRED), "expired") == 0);
    CHECK(strcmp(casevault_request_state_name(CASEVAULT_REQUEST_STATE_WITHDRAWN), "withdrawn") == 0);
    CHECK(strcmp(casevault_request_state_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_request_state_name(6), "unknown") == 0);

    CHECK(CASEVAULT_INBOUND_NO_COMMAND == 1);
    CHECK(CASEVAULT_INBOUND_AMBIGUOUS == 2);
    CHECK(CASEVAULT_INBOUND_NEGATED == 3);
    CHECK(CASEVAULT_INBOUND_MENTION_ONLY == 4);
    CHECK(CASEVAULT_INBOUND_UNKNOWN_SENDER == 5);
    CHECK(CASEVAULT_INBOUND_CHANNEL_NOT_ACCEPTED == 6);
    CHECK(CASEVAULT_INBOUND_AWAITING_CONFIRMATION == 7);
    CHECK(CASEVAULT_INBOUND_ACCEPTED == 8);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_NO_COMMAND), "no_command") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_AMBIGUOUS), "ambiguous") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_NEGATED), "negated") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_MENTION_ONLY), "mention_only") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_UNKNOWN_SENDER), "unknown_sender") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_CHANNEL_NOT_ACCEPTED), "channel_not_accepted") ==
          0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_AWAITING_CONFIRMATION),
                 "awaiting_confirmation") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(CASEVAULT_INBOUND_ACCEPTED), "accepted") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_inbound_outcome_name(9), "unknown") == 0);

    CHECK(CASEVAULT_HOLD_SCOPE_SUBJECT == 1);
    CHECK(CASEVAULT_HOLD_SCOPE_CASE_FILE == 2);
    CHECK(strcmp(casevault_hold_scope_name(CASEVAULT_HOLD_SCOPE_SUBJECT), "subject") == 0);
    CHECK(strcmp(casevault_hold_scope_name(CASEVAULT_HOLD_SCOPE_CASE_FILE), "case") == 0);
    CHECK(strcmp(casevault_hold_scope_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_hold_scope_name(3), "unknown") == 0);
    CHECK(CASEVAULT_HOLD_STATE_ACTIVE == 1);
    CHECK(CASEVAULT_HOLD_STATE_CONTINUED == 2);
    CHECK(CASEVAULT_HOLD_STATE_EXPIRED == 3);
    CHECK(CASEVAULT_HOLD_STATE_RELEASED == 4);
    CHECK(strcmp(casevault_hold_state_name(CASEVAULT_HOLD_STATE_ACTIVE), "active") == 0);
    CHECK(strcmp(casevault_hold_state_name(CASEVAULT_HOLD_STATE_CONTINUED), "continued") == 0);
    CHECK(strcmp(casevault_hold_state_name(CASEVAULT_HOLD_STATE_EXPIRED), "expired") == 0);
    CHECK(strcmp(casevault_hold_state_name(CASEVAULT_HOLD_STATE_RELEASED), "released") == 0);
    CHECK(strcmp(casevault_hold_state_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_hold_state_name(5), "unknown") == 0);

    /* the name functions do not touch the last error */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_get(NULL, NULL, NULL));
    (void)casevault_hold_state_name(1);
    CHECK(casevault_last_error_code() == CASEVAULT_EINVAL);
}

/* ---- without a policy ----------------------------------------------------------- */

static void test_no_policy(void) {
    casevault_vault *v = open_store("retention_no_policy.db");
    char ana[ID_LEN];
    char *json = NULL;
    int outcome = -1;
    casevault_inbound_message m = email("ana@example.com", "DELETE", NULL);
    casevault_hold_request hr = CASEVAULT_HOLD_REQUEST_INIT;
    casevault_sweep_options so = CASEVAULT_SWEEP_OPTIONS_INIT;

    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    hr.target = ana;
    hr.authority = "sca_2703f";
    hr.reference = kLegalRef;
    /* the rules come from the policy: nothing to act on */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_cancel(&json, v, ana, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_erase(&json, v, ana, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == 0);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_preview(&json, v, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&json, v, &so));
    CHECK(json == NULL);
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK(count_requests(v, NULL) == 0);
    CHECK(pending_notifications(v) == 0);
    /* reads answer */
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(CONTAINS(json, "\"active_until\":0"));
    casevault_free(json);
    CHECK_OK(casevault_retention_receipts(&json, v, NULL, 0));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_request_list(&json, v, NULL));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_hold_list(&json, v, NULL, 1));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);

    casevault_close(v);
}

/* ---- activity ------------------------------------------------------------------ */

static void test_activity(void) {
    casevault_vault *v = open_store("retention_activity.db");
    char ana[ID_LEN], msg[ID_LEN], pay[ID_LEN];
    char *json = NULL, *before;
    const int64_t signup = kStart;

    /* no policy yet: refused */
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(NULL, v, ana, "message", 0));

    publish_example(v, "case-parallels.json", 1);

    /* sign-up counts as activity: active for the longest window (30 days),
     * and the inactivity rule acts 60 days after that */
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(has_str(json, "subject", ana));
    CHECK(CONTAINS(json, "\"active\":true"));
    CHECK(has_int(json, "active_until", signup + 30 * DAY));
    CHECK(has_int(json, "inactivity_due_at", signup + 90 * DAY));
    CHECK(CONTAINS(json, "\"latest\":[]"));
    casevault_free(json);

    /* token use on day 10 moves both */
    g_now = signup + 10 * DAY;
    CHECK_OK(casevault_activity_record(&json, v, ana, "token_use", 0));
    CHECK(CONTAINS(json, "\"latest\":[{\"kind\":\"token_use\",\"at\":"));
    CHECK(has_int(json, "at", g_now));
    CHECK(has_int(json, "active_until", g_now + 30 * DAY));
    CHECK(has_int(json, "inactivity_due_at", g_now + 90 * DAY));
    casevault_free(json);

    /* an explicit earlier time: the latest stays the latest */
    CHECK_OK(casevault_activity_record(&json, v, ana, "token_use", signup + 5 * DAY));
    CHECK(has_int(json, "active_until", signup + 40 * DAY));
    casevault_free(json);
    /* out_json may be NULL */
    CHECK_OK(casevault_activity_record(NULL, v, ana, "token_use", 0));

    /* a message through Correspondence and a payment through Billing count
     * without an activity call */
    g_now = signup + 12 * DAY;
    new_message(v, msg, ana);
    g_now = signup + 14 * DAY;
    new_payment(v, pay, ana);
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(CONTAINS(json, "{\"kind\":\"message\",\"at\":"));
    CHECK(CONTAINS(json, "{\"kind\":\"payment\",\"at\":"));
    CHECK(has_int(json, "active_until", signup + 44 * DAY));
    CHECK(has_int(json, "inactivity_due_at", signup + 104 * DAY));
    casevault_free(json);

    /* a recurring charge counts as payment (includes_recurring) */
    g_now = signup + 20 * DAY;
    CHECK_OK(casevault_activity_record(&json, v, ana, "recurring_payment", 0));
    CHECK(has_int(json, "active_until", signup + 50 * DAY));
    casevault_free(json);

    /* inactive after the window: active false, the deadline stays */
    g_now = signup + 51 * DAY;
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(CONTAINS(json, "\"active\":false"));
    CHECK(has_int(json, "active_until", signup + 50 * DAY));
    CHECK(has_int(json, "inactivity_due_at", signup + 110 * DAY));
    casevault_free(json);
    g_now = signup + 50 * DAY - 1;
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(CONTAINS(json, "\"active\":true"));
    casevault_free(json);
    g_now = signup + 51 * DAY;

    /* refusals change nothing */
    before = activity_snapshot(v, ana);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, v, ana, "login", 0)); /* not a policy kind */
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, v, ana, "", 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, v, ana, "message", g_now + DAY)); /* future */
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_activity_record(&json, v, kUnknownAccount, "message", 0));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_activity_state(&json, v, kUnknownAccount));
    CHECK(json == NULL);
    CHECK_UNCHANGED(before, activity_snapshot(v, ana));
    free(before);

    /* an erased account is not found */
    CHECK_OK(casevault_account_erase(v, ana));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_activity_record(NULL, v, ana, "message", 0));

    casevault_close(v);
}

/* ---- inactivity, day by day ------------------------------------------------------ */

static void test_inactivity(void) {
    casevault_vault *v = open_store("retention_inactivity.db");
    char ana[ID_LEN], ben[ID_LEN], sys[ID_LEN], case_a[ID_LEN], case_b[ID_LEN], ref[ID_LEN * 2];
    char *json = NULL, *out = NULL;
    char pattern[256];
    int day;
    const int64_t signup = kStart;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_case(v, case_a, ana);
    new_case(v, case_b, ben);

    /* Ben uses a token on day 80: his deletion moves from day 90 to day 170 */
    g_now = signup + 80 * DAY;
    CHECK_OK(casevault_activity_record(NULL, v, ben, "token_use", 0));

    /* nothing is due before day 90 */
    CHECK_OK(casevault_retention_preview(&json, v, signup + 90 * DAY - 1));
    CHECK(has_int(json, "now", signup + 90 * DAY - 1));
    CHECK(CONTAINS(json, "\"deletions\":[]"));
    casevault_free(json);
    /* on day 90 Ana's content is due under the inactivity rule (preview
     * with an explicit time changes nothing) */
    CHECK_OK(casevault_retention_preview(&json, v, signup + 90 * DAY));
    snprintf(pattern, sizeof pattern,
             "{\"subject\":\"%s\",\"trigger\":\"inactivity\",\"rules\":[\"content-after-inactivity\"],"
             "\"due_at\":%lld,\"counts\":[",
             ana, (long long)(signup + 90 * DAY));
    CHECK(CONTAINS(json, pattern));
    CHECK(CONTAINS(json, "{\"kind\":\"case\",\"count\":1,\"action\":\"delete\"}"));
    CHECK(!CONTAINS(json, ben));
    CHECK(!CONTAINS(json, "\"kind\":\"account\""));
    CHECK(CONTAINS(json, "\"held\":[]"));
    casevault_free(json);

    /* day by day: the case is there until day 90, gone on day 90 */
    for (day = 86; day <= 92; ++day) {
        g_now = signup + day * DAY;
        if (day == 90) {
            /* one second before the deadline nothing happens */
            g_now -= 1;
            CHECK(sweep_subjects(v) == 0);
            CHECK(case_exists(v, sys, case_a));
            g_now += 1;
            sweep(v, &out);
            CHECK(has_int(out, "now", g_now));
            CHECK(has_int(out, "subjects", 1));
            CHECK(CONTAINS(out, "\"counts\":[{\"kind\":\"case\",\"count\":1}]"));
            CHECK(count_occurrences(out, "\"rcp_") == 1);
            CHECK(CONTAINS(out, "\"held\":[]"));
            casevault_free(out);
        } else {
            CHECK(sweep_subjects(v) == 0);
        }
        CHECK(case_exists(v, sys, case_a) == (day < 90));
        CHECK(case_exists(v, sys, case_b));
    }

    /* only the content went: the account stays, and its state says the rule acted */
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(CONTAINS(json, "\"inactivity_due_at\":null"));
    casevault_free(json);

    /* the receipt: found through the subject, carrying a digest, not the id */
    CHECK_OK(casevault_retention_subject_ref(&out, v, ana));
    CHECK(out != NULL && strlen(out) >= 32 && strlen(out) < sizeof ref);
    CHECK(strspn(out, "0123456789abcdef") == strlen(out));
    strcpy(ref, out);
    casevault_free(out);
    CHECK_OK(casevault_retention_subject_ref(&out, v, ana)); /* stable */
    CHECK(strcmp(out, ref) == 0);
    casevault_free(out);
    CHECK_OK(casevault_retention_subject_ref(&out, v, ben)); /* another subject, another digest */
    CHECK(strcmp(out, ref) != 0);
    casevault_free(out);
    CHECK_OK(casevault_retention_receipts_for(&json, v, ana));
    CHECK(count_occurrences(json, "\"id\":\"rcp_") == 1);
    CHECK(has_str(json, "subject_ref", ref));
    CHECK(has_str(json, "trigger", "inactivity"));
    CHECK(CONTAINS(json, "\"rules\":[\"content-after-inactivity\"]"));
    CHECK(CONTAINS(json, "\"counts\":[{\"kind\":\"case\",\"count\":1}]"));
    CHECK(has_int(json, "at", signup + 90 * DAY));
    CHECK(!CONTAINS(json, ana));
    casevault_free(json);
    CHECK_OK(casevault_retention_receipts_for(&json, v, ben));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);

    /* the sweep is idempotent */
    CHECK(sweep_subjects(v) == 0);
    CHECK_OK(casevault_retention_receipts(&json, v, NULL, 0));
    CHECK(count_occurrences(json, "\"id\":\"rcp_") == 1);
    casevault_free(json);

    /* Ben: due on day 170 (token use on day 80 + 30 + 60) */
    g_now = signup + 170 * DAY - 1;
    CHECK(sweep_subjects(v) == 0);
    CHECK(case_exists(v, sys, case_b));
    g_now = signup + 170 * DAY;
    CHECK(sweep_subjects(v) == 1);
    CHECK(!case_exists(v, sys, case_b));

    /* receipts page in id order */
    {
        char first[ID_LEN];
        CHECK_OK(casevault_retention_receipts(&json, v, "", 0));
        CHECK(count_occurrences(json, "\"id\":\"rcp_") == 2);
        casevault_free(json);
        CHECK_OK(casevault_retention_receipts(&json, v, NULL, 1));
        CHECK(count_occurrences(json, "\"id\":\"rcp_") == 1);
        json_id(first, json, "rcp_");
        casevault_free(json);
        CHECK_OK(casevault_retention_receipts(&json, v, first, 10));
        CHECK(count_occurrences(json, "\"id\":\"rcp_") == 1);
        CHECK(!CONTAINS(json, first));
        casevault_free(json);
    }

    casevault_close(v);
}

/* New activity before the deadline cancels an inactivity deletion. */
static void test_inactivity_cancelled_by_activity(void) {
    casevault_vault *v = open_store("retention_reactivated.db");
    char ana[ID_LEN], sys[ID_LEN], case_a[ID_LEN], msg[ID_LEN];
    char *json = NULL;
    const int64_t signup = kStart;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_case(v, case_a, ana);

    /* inactive from day 30; on day 89 a message arrives */
    g_now = signup + 89 * DAY;
    CHECK_OK(casevault_retention_preview(&json, v, signup + 90 * DAY));
    CHECK(CONTAINS(json, ana));
    casevault_free(json);
    new_message(v, msg, ana);
    CHECK_OK(casevault_retention_preview(&json, v, signup + 90 * DAY));
    CHECK(CONTAINS(json, "\"deletions\":[]"));
    casevault_free(json);
    g_now = signup + 90 * DAY;
    CHECK(sweep_subjects(v) == 0);
    CHECK(case_exists(v, sys, case_a));
    /* the new deadline: day 89 + 30 + 60 */
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(has_int(json, "inactivity_due_at", signup + 179 * DAY));
    casevault_free(json);
    g_now = signup + 179 * DAY - 1;
    CHECK(sweep_subjects(v) == 0);
    g_now = signup + 179 * DAY;
    CHECK(sweep_subjects(v) == 1);
    CHECK(!case_exists(v, sys, case_a));

    casevault_close(v);
}

/* ---- requests through the host -------------------------------------------------- */

static void test_cancel_request(void) {
    casevault_vault *v = open_store("retention_cancel.db");
    char ana[ID_LEN], ben[ID_LEN], sys[ID_LEN], case_a[ID_LEN], req[ID_LEN], again[ID_LEN];
    char *json = NULL, *before;
    int day;
    const int64_t t0 = kStart + 5 * DAY;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_case(v, case_a, ana);

    /* refusals first: nothing changes */
    before = request_snapshot(v, NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_cancel(&json, v, ana, "fax"));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_cancel(&json, v, kUnknownAccount, NULL));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_erase(&json, v, kUnknownAccount, NULL));
    CHECK(json == NULL);
    CHECK_UNCHANGED(before, request_snapshot(v, NULL));
    free(before);
    CHECK(strcmp(account_status(v, ana), "active") == 0);

    /* a cancel request: the account is cancelled at once, its cases go 30 days later */
    g_now = t0;
    CHECK_OK(casevault_request_cancel(&json, v, ana, NULL));
    json_id(req, json, "era_");
    CHECK(has_str(json, "subject", ana));
    CHECK(has_str(json, "kind", "cancel"));
    CHECK(has_str(json, "trigger", "cancellation"));
    CHECK(has_str(json, "channel", "web"));
    CHECK(has_str(json, "state", "pending"));
    CHECK(has_int(json, "requested_at", t0));
    CHECK(has_int(json, "due_at", t0 + 30 * DAY));
    CHECK(has_int(json, "confirm_by", 0));
    CHECK(has_int(json, "done_at", 0));
    casevault_free(json);
    CHECK(strcmp(account_status(v, ana), "cancelled") == 0);

    /* the same request again while it is pending: the pending one */
    CHECK_OK(casevault_request_cancel(&json, v, ana, "email"));
    json_id(again, json, "era_");
    CHECK(strcmp(req, again) == 0);
    casevault_free(json);
    CHECK_OK(casevault_request_cancel(NULL, v, ana, NULL)); /* out_json may be NULL */
    CHECK(count_requests(v, ana) == 1);
    CHECK(count_requests(v, ben) == 0);
    CHECK(count_requests(v, NULL) == 1);

    CHECK_OK(casevault_request_get(&json, v, req));
    CHECK(has_str(json, "id", req));
    CHECK(has_str(json, "state", "pending"));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_get(&json, v, kUnknownRequest));
    CHECK(json == NULL);

    /* day by day around the deadline */
    for (day = 27; day <= 32; ++day) {
        g_now = t0 + day * DAY;
        if (day == 30) {
            g_now -= 1;
            CHECK(sweep_subjects(v) == 0);
            CHECK(case_exists(v, sys, case_a));
            g_now += 1;
            CHECK(sweep_subjects(v) == 1);
        } else {
            CHECK(sweep_subjects(v) == 0);
        }
        CHECK(case_exists(v, sys, case_a) == (day < 30));
    }
    /* the account stays, cancelled; the request is done */
    CHECK(strcmp(account_status(v, ana), "cancelled") == 0);
    CHECK_OK(casevault_request_get(&json, v, req));
    CHECK(has_str(json, "state", "done"));
    CHECK(has_int(json, "done_at", t0 + 30 * DAY));
    casevault_free(json);
    CHECK_OK(casevault_retention_receipts_for(&json, v, ana));
    CHECK(has_str(json, "trigger", "cancellation"));
    CHECK(CONTAINS(json, "\"rules\":[\"content-after-cancellation\"]"));
    casevault_free(json);

    /* an erased account cannot ask any more: it is no live account */
    CHECK_OK(casevault_account_erase(v, ben));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_cancel(NULL, v, ben, NULL));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_erase(NULL, v, ben, NULL));
    CHECK(count_requests(v, ben) == 0);

    casevault_close(v);
}

static void test_erase_request(void) {
    casevault_vault *v = open_store("retention_erase.db");
    char ana[ID_LEN], ben[ID_LEN], sys[ID_LEN], support[ID_LEN], case_a[ID_LEN], msg[ID_LEN], pay[ID_LEN];
    char req[ID_LEN], ref[ID_LEN * 2];
    char *json = NULL, *out = NULL;
    char pattern[256];

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_principal(v, support, CASEVAULT_ROLE_SUPPORT);
    new_account(v, ana, "Ana Souza", "ana@example.com", "+1 332 555 0101");
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_case(v, case_a, ana);
    new_message(v, msg, ana);
    new_payment(v, pay, ana);

    g_now = kStart + DAY;
    CHECK_OK(casevault_request_erase(&json, v, ana, "email"));
    json_id(req, json, "era_");
    CHECK(has_str(json, "kind", "delete"));
    CHECK(has_str(json, "trigger", "deletion_request"));
    CHECK(has_str(json, "channel", "email"));
    CHECK(has_str(json, "state", "pending"));
    CHECK(has_int(json, "due_at", g_now)); /* P0D: the next sweep */
    casevault_free(json);
    /* nothing happens before the sweep */
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK(case_exists(v, sys, case_a));

    /* the plan: the account, its case and correspondence deleted, billing
     * minimised; no board under this policy, so no posts */
    CHECK_OK(casevault_retention_preview(&json, v, 0));
    snprintf(pattern, sizeof pattern, "{\"subject\":\"%s\",\"trigger\":\"deletion_request\",\"rules\":[", ana);
    CHECK(CONTAINS(json, pattern));
    CHECK(CONTAINS(json, "\"account-on-deletion-request\""));
    CHECK(CONTAINS(json, "\"billing-on-deletion-request\""));
    CHECK(CONTAINS(json, "{\"kind\":\"account\",\"count\":1,\"action\":\"delete\"}"));
    CHECK(CONTAINS(json, "{\"kind\":\"case\",\"count\":1,\"action\":\"delete\"}"));
    CHECK(CONTAINS(json, "{\"kind\":\"correspondence\",\"count\":1,\"action\":\"delete\"}"));
    CHECK(CONTAINS(json, "{\"kind\":\"billing\",\"count\":1,\"action\":\"minimize\"}"));
    CHECK(CONTAINS(json, "{\"kind\":\"post\",\"count\":0,"));  /* none written */
    CHECK(!CONTAINS(json, ben));
    casevault_free(json);

    CHECK_OK(casevault_retention_subject_ref(&out, v, ana));
    CHECK(strlen(out) < sizeof ref);
    strcpy(ref, out);
    casevault_free(out);

    sweep(v, &out);
    CHECK(has_int(out, "subjects", 1));
    CHECK(CONTAINS(out, "{\"kind\":\"billing\",\"count\":1}"));
    CHECK(CONTAINS(out, "{\"kind\":\"account\",\"count\":1}"));
    CHECK(count_occurrences(out, "\"rcp_") == 1);
    casevault_free(out);

    CHECK(strcmp(account_status(v, ana), "erased") == 0);
    CHECK(!case_exists(v, sys, case_a));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_message_get(&json, v, sys, msg));
    /* billing is minimised and kept: amount and the kept fields stay, the
     * processor reference goes */
    CHECK_OK(casevault_payment_get(&json, v, support, pay));
    CHECK(has_int(json, "amount_minor", 4900));
    CHECK(has_str(json, "currency", "USD"));
    CHECK(CONTAINS(json, "\"processor_ref\":null"));
    casevault_free(json);
    CHECK(strcmp(account_status(v, ben), "active") == 0);

    CHECK_OK(casevault_request_get(&json, v, req));
    CHECK(has_str(json, "state", "done"));
    CHECK(has_int(json, "done_at", g_now));
    casevault_free(json);

    /* the receipt outlives the subject, and names it only by its digest */
    CHECK_OK(casevault_retention_receipts_for(&json, v, ana));
    CHECK(count_occurrences(json, "\"id\":\"rcp_") == 1);
    CHECK(has_str(json, "subject_ref", ref));
    CHECK(has_str(json, "trigger", "deletion_request"));
    CHECK(!CONTAINS(json, ana));
    casevault_free(json);

    /* idempotent */
    CHECK(sweep_subjects(v) == 0);
    casevault_close(v);
}

/* A pending cancellation is withdrawn when the host reactivates the account. */
static void test_cancel_withdrawn(void) {
    casevault_vault *v = open_store("retention_withdrawn.db");
    char ana[ID_LEN], sys[ID_LEN], case_a[ID_LEN], req[ID_LEN];
    char *json = NULL;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_case(v, case_a, ana);
    CHECK_OK(casevault_request_cancel(&json, v, ana, "phone"));
    json_id(req, json, "era_");
    CHECK(has_str(json, "channel", "phone"));
    casevault_free(json);

    g_now = kStart + 10 * DAY;
    CHECK_OK(casevault_account_set_status(v, ana, "active"));
    CHECK_OK(casevault_request_get(&json, v, req));
    CHECK(has_str(json, "state", "withdrawn"));
    CHECK(has_int(json, "done_at", g_now));
    casevault_free(json);
    CHECK_OK(casevault_activity_record(NULL, v, ana, "token_use", 0)); /* keeps inactivity away */
    g_now = kStart + 30 * DAY;
    CHECK_OK(casevault_retention_preview(&json, v, 0));
    CHECK(CONTAINS(json, "\"deletions\":[]"));
    casevault_free(json);
    CHECK(sweep_subjects(v) == 0);
    CHECK(case_exists(v, sys, case_a));

    casevault_close(v);
}

/* Declining a policy that ends the account: the reconsent_declined rules
 * erase it at the next sweep. */
static void test_reconsent_declined(void) {
    casevault_vault *v = open_store("retention_declined.db");
    char ana[ID_LEN];
    char *json = NULL, *out = NULL;
    casevault_consent_request r = CASEVAULT_CONSENT_REQUEST_INIT;

    publish_example(v, "case-parallels.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    r.subject = ana;
    r.purpose = "terms";
    r.action = "declined";
    CHECK_OK(casevault_consent_record(NULL, v, &r));
    CHECK_OK(casevault_request_list(&json, v, ana));
    CHECK(count_occurrences(json, "\"id\":\"era_") == 1);
    CHECK(has_str(json, "kind", casevault_request_kind_name(CASEVAULT_REQUEST_ERASE)));
    CHECK(has_str(json, "trigger", "reconsent_declined"));
    CHECK(has_str(json, "state", "pending"));
    casevault_free(json);
    sweep(v, &out);
    CHECK(has_int(out, "subjects", 1));
    CHECK(CONTAINS(out, "{\"kind\":\"consent\",\"count\":1}"));
    casevault_free(out);
    CHECK(strcmp(account_status(v, ana), "erased") == 0);
    CHECK_OK(casevault_retention_receipts_for(&json, v, ana));
    CHECK(has_str(json, "trigger", "reconsent_declined"));
    CHECK(CONTAINS(json, "\"account-on-reconsent-declined\""));
    casevault_free(json);

    casevault_close(v);
}

/* ---- inbound commands ------------------------------------------------------------- */

static void test_parse(void) {
    casevault_inbound_message m;

    /* email: the word in the subject line */
    m = email("ana@example.com", "CANCEL", NULL);
    check_parse(&m, CASEVAULT_INBOUND_ACCEPTED, CASEVAULT_REQUEST_CANCEL);
    m = email("ana@example.com", "Please DELETE my account", "Thank you");
    check_parse(&m, CASEVAULT_INBOUND_ACCEPTED, CASEVAULT_REQUEST_ERASE);
    m = email("ana@example.com", "Question", "DELETE"); /* in the body only */
    check_parse(&m, CASEVAULT_INBOUND_NO_COMMAND, 0);
    m = email("ana@example.com", "CANCEL or DELETE?", NULL);
    check_parse(&m, CASEVAULT_INBOUND_AMBIGUOUS, 0);
    m = email("ana@example.com", "please don't delete my case", NULL);
    check_parse(&m, CASEVAULT_INBOUND_NEGATED, 0);
    m = email(NULL, NULL, NULL);
    check_parse(&m, CASEVAULT_INBOUND_NO_COMMAND, 0);

    /* WhatsApp: the body is exactly the word, surrounding space ignored */
    m = whatsapp("+1 332 555 0101", "DELETE");
    check_parse(&m, CASEVAULT_INBOUND_ACCEPTED, CASEVAULT_REQUEST_ERASE);
    m = whatsapp("+1 332 555 0101", "  CANCEL \n");
    check_parse(&m, CASEVAULT_INBOUND_ACCEPTED, CASEVAULT_REQUEST_CANCEL);
    m = whatsapp("+1 332 555 0101", "I want to DELETE my photos");
    check_parse(&m, CASEVAULT_INBOUND_MENTION_ONLY, 0);
    m = whatsapp("+1 332 555 0101", "hello");
    check_parse(&m, CASEVAULT_INBOUND_NO_COMMAND, 0);

    /* out_command and out_json may be NULL */
    {
        int outcome = 0;
        m = whatsapp(NULL, "CANCEL");
        CHECK_OK(casevault_request_parse(&outcome, NULL, NULL, &m));
        CHECK(outcome == CASEVAULT_INBOUND_ACCEPTED);
    }
    /* a channel that takes no commands, or none at all */
    {
        int outcome = -1, command = -1;
        char *json = NULL;
        m = email("ana@example.com", "DELETE", NULL);
        m.channel = "web";
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_parse(&outcome, &command, &json, &m));
        CHECK(outcome == 0 && command == 0 && json == NULL);
        m.channel = "carrier-pigeon";
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_parse(&outcome, &command, &json, &m));
        m.channel = NULL; /* NULL = email */
        CHECK_OK(casevault_request_parse(&outcome, &command, &json, &m));
        CHECK(outcome == CASEVAULT_INBOUND_ACCEPTED && command == CASEVAULT_REQUEST_ERASE);
        casevault_free(json);
        /* bad UTF-8 */
        m = whatsapp("+1 332 555 0101", "DELETE \xff\xfe");
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_parse(&outcome, &command, &json, &m));
    }
}

static void test_inbound(void) {
    casevault_vault *v = open_store("retention_inbound.db");
    char ana[ID_LEN], ben[ID_LEN], cleo[ID_LEN], sys[ID_LEN], case_a[ID_LEN], case_c[ID_LEN], req[ID_LEN];
    char code[CODE_LEN], code_ben[CODE_LEN], code_cleo[CODE_LEN];
    char *json = NULL, *before;
    int outcome = -1;
    casevault_inbound_message m;
    casevault_audit_filter af = CASEVAULT_AUDIT_FILTER_INIT;
    const int64_t t0 = kStart + 3 * DAY;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", "+1 332 555 0101");
    new_account(v, ben, "Ben Okafor", "ben@example.com", "+1 332 555 0102");
    new_account(v, cleo, "Cleo Park", "cleo@example.com", "+1 332 555 0103");
    new_case(v, case_a, ana);
    new_case(v, case_c, cleo);
    g_now = t0;

    /* not commands: results, nothing queued */
    m = email("ana@example.com", "Question about my case", kCanary);
    CHECK_OK(casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_NO_COMMAND);
    CHECK(has_str(json, "outcome", "no_command"));
    CHECK(CONTAINS(json, "\"request\":null"));
    CHECK(!CONTAINS(json, kCanary));
    casevault_free(json);
    m = email("nobody@example.com", "DELETE", kCanary);
    CHECK_OK(casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_UNKNOWN_SENDER);
    CHECK(has_str(json, "command", "delete"));
    CHECK(CONTAINS(json, "\"subject\":null"));
    CHECK(CONTAINS(json, "\"request\":null"));
    casevault_free(json);
    m = whatsapp("+1 332 555 0101", "please DELETE the old photo");
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m)); /* out_json may be NULL */
    CHECK(outcome == CASEVAULT_INBOUND_MENTION_ONLY);
    m = email("ana@example.com", "Do not cancel", NULL);
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_NEGATED);
    m = email("ana@example.com", "cancel? delete?", NULL);
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_AMBIGUOUS);
    CHECK(count_requests(v, NULL) == 0);
    CHECK(pending_notifications(v) == 0);

    /* refused: a channel other than email or WhatsApp; nothing changes */
    m = email("ana@example.com", "DELETE", NULL);
    m.channel = "phone";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == 0 && json == NULL);
    CHECK(count_requests(v, NULL) == 0);
    CHECK(pending_notifications(v) == 0);

    /* DELETE by email from Ana's address (any case): a code is sent to her
     * own contact details; nothing else happens yet */
    m = email("ANA@Example.com", "DELETE", kCanary);
    CHECK_OK(casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_AWAITING_CONFIRMATION);
    CHECK(has_str(json, "outcome", "awaiting_confirmation"));
    CHECK(has_str(json, "command", "delete"));
    CHECK(has_str(json, "subject", ana));
    CHECK(CONTAINS(json, "\"request\":{\"id\":\"era_"));
    CHECK(has_str(json, "kind", "delete"));
    CHECK(has_str(json, "trigger", "deletion_request"));
    CHECK(has_str(json, "channel", "email"));
    CHECK(has_str(json, "state", "awaiting_confirmation"));
    CHECK(has_int(json, "requested_at", t0));
    CHECK(has_int(json, "due_at", 0));
    CHECK(has_int(json, "confirm_by", t0 + 7 * DAY));
    CHECK(!CONTAINS(json, kCanary));
    CHECK(!CONTAINS(json, "ANA@Example.com"));
    {
        const char *r = strstr(json, "\"request\":");
        json_id(req, r, "era_");
    }
    casevault_free(json);
    CHECK(pending_notifications(v) == 1);
    CHECK(take_code(v, ana, code, "ana@example.com"));
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK(sweep_subjects(v) == 0); /* not confirmed: nothing to do */
    CHECK(case_exists(v, sys, case_a));

    /* a wrong code: not found; not a code at all: refused; nothing changes */
    before = request_snapshot(v, NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_confirm(&json, v, "0000-0000-0000"));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_confirm(&json, v, "000000"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_confirm(&json, v, ""));
    CHECK(json == NULL);
    CHECK_UNCHANGED(before, request_snapshot(v, NULL));
    free(before);

    /* the right one carries it out: erased at the next sweep */
    g_now = t0 + DAY;
    CHECK_OK(casevault_request_confirm(&json, v, code));
    CHECK(has_str(json, "id", req));
    CHECK(has_str(json, "state", "pending"));
    CHECK(has_int(json, "due_at", g_now));
    casevault_free(json);
    /* single use */
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_request_confirm(NULL, v, code));
    CHECK(sweep_subjects(v) == 1);
    CHECK(strcmp(account_status(v, ana), "erased") == 0);
    CHECK(!case_exists(v, sys, case_a));
    CHECK_OK(casevault_request_get(&json, v, req));
    CHECK(has_str(json, "state", "done"));
    casevault_free(json);
    /* an erased account's address no longer matches */
    m = email("ana@example.com", "DELETE", NULL);
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_UNKNOWN_SENDER);

    /* CANCEL by WhatsApp from Ben's phone (another format): the code expires
     * after 7 days */
    g_now = t0 + 10 * DAY;
    m = whatsapp("+13325550102", " CANCEL ");
    CHECK_OK(casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_AWAITING_CONFIRMATION);
    CHECK(has_str(json, "command", "cancel"));
    CHECK(has_str(json, "subject", ben));
    CHECK(has_str(json, "channel", "whatsapp"));
    CHECK(has_int(json, "confirm_by", g_now + 7 * DAY));
    casevault_free(json);
    CHECK(take_code(v, ben, code_ben, "+1 332 555 0102"));

    /* Cleo's CANCEL on the same day, confirmed on the last second */
    m = email("cleo@example.com", "CANCEL", NULL);
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_AWAITING_CONFIRMATION);
    CHECK(take_code(v, cleo, code_cleo, "cleo@example.com"));

    /* the plan lists the unconfirmed requests once their deadline passed */
    CHECK_OK(casevault_retention_preview(&json, v, g_now + 7 * DAY + 1));
    CHECK(count_occurrences(json, "\"era_") == 2);
    CHECK(CONTAINS(json, "\"requests_expiring\":[\"era_"));
    casevault_free(json);

    g_now = t0 + 17 * DAY; /* confirm_by itself is still in time */
    {
        /* as typed by a person: lower case, without the hyphens */
        char typed[CODE_LEN];
        size_t i, n = 0;
        for (i = 0; code_cleo[i]; ++i) {
            const char c = code_cleo[i];
            if (c != '-') typed[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        typed[n] = '\0';
        CHECK(strcmp(typed, code_cleo) != 0);
        CHECK_OK(casevault_request_confirm(&json, v, typed));
    }
    CHECK(has_str(json, "kind", "cancel"));
    CHECK(has_str(json, "state", "pending"));
    CHECK(has_int(json, "due_at", g_now + 30 * DAY));
    casevault_free(json);
    CHECK(strcmp(account_status(v, cleo), "cancelled") == 0);

    g_now = t0 + 17 * DAY + 1;
    CHECK_FAILS(CASEVAULT_EEXPIRED, casevault_request_confirm(&json, v, code_ben));
    CHECK(json == NULL);
    CHECK(strcmp(account_status(v, ben), "active") == 0);
    CHECK_OK(casevault_request_list(&json, v, ben));
    CHECK(count_occurrences(json, "\"id\":\"era_") == 1);
    CHECK(!has_str(json, "state", "pending") && !has_str(json, "state", "done"));
    casevault_free(json);
    /* once expired, the code is of no use */
    {
        int rc = casevault_request_confirm(NULL, v, code_ben);
        CHECK(rc == CASEVAULT_EEXPIRED || rc == CASEVAULT_ENOTFOUND);
    }
    CHECK(strcmp(account_status(v, ben), "active") == 0);

    /* Cleo's cases go 30 days after her confirmation; the sweep marks Ben's
     * request expired */
    g_now = t0 + 47 * DAY - 1;
    sweep(v, NULL);
    CHECK(case_exists(v, sys, case_c));
    CHECK_OK(casevault_request_list(&json, v, ben));
    CHECK(has_str(json, "state", "expired"));
    casevault_free(json);
    CHECK(strcmp(account_status(v, ben), "active") == 0);
    g_now = t0 + 47 * DAY;
    sweep(v, NULL);
    CHECK(!case_exists(v, sys, case_c));

    /* the audit log records the commands without the message text */
    af.action = "request.";
    CHECK_OK(casevault_audit_read(&json, v, &af));
    CHECK(CONTAINS(json, "\"action\":\"request.inbound\""));
    CHECK(CONTAINS(json, "\"action\":\"request.confirm\""));
    CHECK(!CONTAINS(json, kCanary));
    CHECK(!CONTAINS(json, "example.com"));
    CHECK(!CONTAINS(json, "555 0102"));
    casevault_free(json);
    af.action = NULL;
    CHECK_OK(casevault_audit_read(&json, v, &af));
    CHECK(!CONTAINS(json, kCanary));
    CHECK(!CONTAINS(json, code_ben));
    casevault_free(json);

    casevault_close(v);
}

/* A policy that asks no confirmation: the command is carried out at once. */
static void test_inbound_without_confirmation(void) {
    casevault_vault *v = open_store("retention_no_confirmation.db");
    char ana[ID_LEN];
    char *json = NULL;
    int outcome = 0;
    casevault_inbound_message m = email("ana@example.com", "CANCEL my subscription", NULL);

    publish_edited(v, "case-parallels.json", 1, "\"require_confirmation\": true", "\"require_confirmation\":false");
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    CHECK_OK(casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_ACCEPTED);
    CHECK(has_str(json, "outcome", "accepted"));
    CHECK(has_str(json, "command", "cancel"));
    CHECK(has_str(json, "subject", ana));
    CHECK(has_str(json, "state", "pending"));
    CHECK(has_str(json, "channel", "email"));
    CHECK(has_int(json, "confirm_by", 0));
    CHECK(has_int(json, "due_at", g_now + 30 * DAY));
    casevault_free(json);
    CHECK(pending_notifications(v) == 0);
    CHECK(strcmp(account_status(v, ana), "cancelled") == 0);

    casevault_close(v);
}

/* An unconfirmed request past its deadline is expired by the sweep too. */
static void test_unconfirmed_expire_in_sweep(void) {
    casevault_vault *v = open_store("retention_unconfirmed.db");
    char ana[ID_LEN], code[CODE_LEN];
    char *json = NULL, *out = NULL;
    int outcome = 0;
    casevault_inbound_message m = whatsapp("+1 332 555 0101", "DELETE");

    publish_example(v, "case-parallels.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", "+1 332 555 0101");
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_AWAITING_CONFIRMATION);
    CHECK(take_code(v, ana, code, NULL));

    g_now = kStart + 7 * DAY - 1;
    sweep(v, &out);
    CHECK(has_int(out, "requests_expired", 0));
    casevault_free(out);
    g_now = kStart + 7 * DAY + 1;
    sweep(v, &out);
    CHECK(has_int(out, "requests_expired", 1));
    CHECK(has_int(out, "subjects", 0));
    casevault_free(out);
    CHECK_OK(casevault_request_list(&json, v, ana));
    CHECK(has_str(json, "state", "expired"));
    casevault_free(json);
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    {
        int rc = casevault_request_confirm(NULL, v, code);
        CHECK(rc == CASEVAULT_EEXPIRED || rc == CASEVAULT_ENOTFOUND);
    }
    CHECK(strcmp(account_status(v, ana), "active") == 0);

    casevault_close(v);
}

/* ---- legal holds -------------------------------------------------------------------- */

static void test_holds(void) {
    casevault_vault *v = open_store("retention_holds.db");
    char ana[ID_LEN], sys[ID_LEN], case_a[ID_LEN], hold_a[ID_LEN];
    char *json = NULL, *out = NULL, *before;
    char pattern[256];
    casevault_hold_request hr = CASEVAULT_HOLD_REQUEST_INIT;
    const int64_t t0 = kStart + 2 * DAY;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_case(v, case_a, ana);
    g_now = t0;

    /* refusals: nothing is placed */
    hr.target = ana;
    hr.authority = "warrant"; /* not a preservation authority */
    hr.reference = kLegalRef;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    CHECK(json == NULL);
    hr.authority = "sca_2703f";
    hr.reference = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    hr.reference = kLegalRef;
    hr.target = kUnknownAccount;
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_hold_place(&json, v, &hr));
    hr.target = kUnknownCase;
    hr.scope = CASEVAULT_HOLD_SCOPE_CASE_FILE;
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_hold_place(&json, v, &hr));
    hr.scope = 3;
    hr.target = ana;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    CHECK(CONTAINS(casevault_last_error(), "scope"));
    hr.scope = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    CHECK(json == NULL);
    CHECK(count_holds(v, NULL, 1) == 0);

    /* a preservation request on Ana, who asks for deletion the same day */
    hr.scope = CASEVAULT_HOLD_SCOPE_SUBJECT;
    CHECK_OK(casevault_hold_place(&json, v, &hr));
    json_id(hold_a, json, "hld_");
    CHECK(has_str(json, "scope", "subject"));
    CHECK(has_str(json, "target", ana));
    CHECK(has_str(json, "subject", ana));
    CHECK(has_str(json, "authority", "sca_2703f"));
    CHECK(has_str(json, "reference", kLegalRef));
    CHECK(has_str(json, "state", "active"));
    CHECK(has_int(json, "placed_at", t0));
    CHECK(has_int(json, "expires_at", t0 + 90 * DAY));
    CHECK(has_int(json, "extensions", 0));
    CHECK(CONTAINS(json, "\"process\":null"));
    CHECK(has_int(json, "ended_at", 0));
    casevault_free(json);
    CHECK_OK(casevault_request_erase(NULL, v, ana, NULL));

    /* held subjects are skipped by the sweep and reported as held */
    snprintf(pattern, sizeof pattern,
             "{\"subject\":\"%s\",\"trigger\":\"deletion_request\",\"hold_id\":\"%s\",\"reason\":\"held:subject\"}",
             ana, hold_a);
    CHECK_OK(casevault_retention_preview(&json, v, 0));
    CHECK(CONTAINS(json, pattern));
    CHECK(CONTAINS(json, "\"deletions\":[]"));
    casevault_free(json);
    sweep(v, &out);
    CHECK(has_int(out, "subjects", 0));
    CHECK(CONTAINS(out, pattern));
    CHECK(CONTAINS(out, "\"receipts\":[]"));
    casevault_free(out);
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK(case_exists(v, sys, case_a));

    /* the reference is sealed and never logged */
    {
        casevault_audit_filter af = CASEVAULT_AUDIT_FILTER_INIT;
        CHECK_OK(casevault_audit_read(&json, v, &af));
        CHECK(CONTAINS(json, hold_a));
        CHECK(!CONTAINS(json, kLegalRef));
        casevault_free(json);
    }

    /* one extension of 90 days, then no more; the refusal changes nothing */
    CHECK_OK(casevault_hold_extend(&json, v, hold_a));
    CHECK(has_int(json, "extensions", 1));
    CHECK(has_int(json, "expires_at", t0 + 180 * DAY));
    CHECK(has_str(json, "state", "active"));
    casevault_free(json);
    before = hold_snapshot(v, hold_a);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_extend(&json, v, hold_a));
    CHECK(json == NULL);
    CHECK_UNCHANGED(before, hold_snapshot(v, hold_a));
    /* a process the policy does not list as a release process */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_record_process(&json, v, hold_a, "mlat_request", "M-1"));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_hold_extend(&json, v, kUnknownHold));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_hold_get(&json, v, kUnknownHold));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_hold_release(&json, v, kUnknownHold));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_hold_record_process(&json, v, kUnknownHold, "warrant", "W-1"));
    CHECK(json == NULL);
    CHECK_UNCHANGED(before, hold_snapshot(v, hold_a));
    free(before);

    /* a warrant arrives within the period: the hold lasts until released */
    g_now = t0 + 100 * DAY;
    CHECK_OK(casevault_hold_record_process(&json, v, hold_a, "warrant", "W-2026-77"));
    CHECK(has_str(json, "state", "continued"));
    CHECK(has_str(json, "process", "warrant"));
    CHECK(has_int(json, "process_at", g_now));
    CHECK(!CONTAINS(json, "W-2026-77")); /* the process reference is sealed and not returned */
    casevault_free(json);
    g_now = t0 + 400 * DAY; /* long past the period */
    sweep(v, &out);
    CHECK(has_int(out, "subjects", 0));
    CHECK(has_int(out, "holds_expired", 0));
    CHECK(CONTAINS(out, pattern));
    casevault_free(out);
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK(case_exists(v, sys, case_a));
    CHECK(count_holds(v, ana, 0) == 1);
    CHECK(count_holds(v, NULL, 0) == 1);

    /* released: the deferred deletion happens at the next sweep */
    CHECK_OK(casevault_hold_release(&json, v, hold_a));
    CHECK(has_str(json, "state", "released"));
    CHECK(has_int(json, "ended_at", g_now));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_extend(NULL, v, hold_a)); /* not active */
    CHECK(count_holds(v, ana, 0) == 0);
    CHECK(count_holds(v, ana, 1) == 1);
    CHECK(sweep_subjects(v) >= 1);
    CHECK(strcmp(account_status(v, ana), "erased") == 0);
    CHECK(!case_exists(v, sys, case_a));
    /* the hold record stays for the record */
    CHECK(count_holds(v, NULL, 1) == 1);

    casevault_close(v);
}

/* A hold without a release process ends with its period; what it deferred
 * is then deleted by the same sweep. */
static void test_hold_expiry(void) {
    casevault_vault *v = open_store("retention_hold_expiry.db");
    char ben[ID_LEN], sys[ID_LEN], case_b[ID_LEN], hold_b[ID_LEN];
    char *json = NULL, *out = NULL;
    char pattern[128];
    casevault_hold_request hr = CASEVAULT_HOLD_REQUEST_INIT;
    const int64_t t0 = kStart + 2 * DAY;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_case(v, case_b, ben);
    g_now = t0;
    hr.target = ben;
    hr.authority = "civil_subpoena";
    hr.reference = kLegalRef;
    CHECK_OK(casevault_hold_place(&json, v, &hr));
    json_id(hold_b, json, "hld_");
    casevault_free(json);
    /* Ben's inactivity deletion (due on day 90) waits for the hold */
    g_now = kStart + 90 * DAY;
    sweep(v, &out);
    CHECK(has_int(out, "subjects", 0));
    CHECK(CONTAINS(out, "\"trigger\":\"inactivity\""));
    CHECK(CONTAINS(out, "\"reason\":\"held:subject\""));
    casevault_free(out);
    CHECK(case_exists(v, sys, case_b));

    /* the day before the period ends nothing changes */
    g_now = t0 + 90 * DAY - 1;
    sweep(v, &out);
    CHECK(has_int(out, "holds_expired", 0));
    CHECK(has_int(out, "subjects", 0));
    casevault_free(out);
    CHECK(case_exists(v, sys, case_b));
    CHECK_OK(casevault_retention_preview(&json, v, t0 + 90 * DAY));
    snprintf(pattern, sizeof pattern, "\"holds_expiring\":[\"%s\"]", hold_b);
    CHECK(CONTAINS(json, pattern));
    casevault_free(json);

    /* on the day: the hold expires and the deferred deletion happens */
    g_now = t0 + 90 * DAY;
    sweep(v, &out);
    CHECK(has_int(out, "holds_expired", 1));
    CHECK(has_int(out, "subjects", 1));
    CHECK(CONTAINS(out, "\"held\":[]"));
    casevault_free(out);
    CHECK(!case_exists(v, sys, case_b));
    CHECK(strcmp(account_status(v, ben), "active") == 0); /* inactivity deletes content only */
    CHECK_OK(casevault_hold_get(&json, v, hold_b));
    CHECK(has_str(json, "state", "expired"));
    CHECK(has_int(json, "ended_at", t0 + 90 * DAY));
    casevault_free(json);
    CHECK(count_holds(v, ben, 0) == 0);
    CHECK(count_holds(v, ben, 1) == 1);

    /* too late for a process or an extension */
    g_now += DAY;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_record_process(NULL, v, hold_b, "court_order", "C-1"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_extend(NULL, v, hold_b));
    CHECK_OK(casevault_hold_get(&json, v, hold_b));
    CHECK(has_str(json, "state", "expired"));
    CHECK(CONTAINS(json, "\"process\":null"));
    casevault_free(json);

    casevault_close(v);
}

/* A hold on one case file keeps that case only. */
static void test_hold_case_file(void) {
    casevault_vault *v = open_store("retention_hold_case.db");
    char cleo[ID_LEN], sys[ID_LEN], case_c[ID_LEN], case_d[ID_LEN], hold_c[ID_LEN];
    char *json = NULL, *out = NULL;
    char pattern[256];
    casevault_hold_request hr = CASEVAULT_HOLD_REQUEST_INIT;

    publish_example(v, "case-parallels.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, cleo, "Cleo Park", "cleo@example.com", NULL);
    new_case(v, case_c, cleo);
    new_case(v, case_d, cleo);

    hr.scope = CASEVAULT_HOLD_SCOPE_CASE_FILE;
    hr.target = case_c;
    hr.authority = "sca_2703f";
    hr.reference = kLegalRef;
    CHECK_OK(casevault_hold_place(&json, v, &hr));
    json_id(hold_c, json, "hld_");
    CHECK(has_str(json, "scope", casevault_hold_scope_name(CASEVAULT_HOLD_SCOPE_CASE_FILE)));
    CHECK(has_str(json, "target", case_c));
    CHECK(has_str(json, "subject", cleo));
    casevault_free(json);
    CHECK(count_holds(v, cleo, 0) == 1); /* listed under the case's subject */

    /* Cleo cancels: 30 days later the other case goes, the held one stays */
    CHECK_OK(casevault_request_cancel(NULL, v, cleo, NULL));
    g_now = kStart + 30 * DAY;
    sweep(v, &out);
    snprintf(pattern, sizeof pattern,
             "{\"subject\":\"%s\",\"trigger\":\"cancellation\",\"hold_id\":\"%s\",\"reason\":\"held:case\"}", cleo,
             hold_c);
    CHECK(CONTAINS(out, pattern));
    casevault_free(out);
    CHECK(case_exists(v, sys, case_c));
    CHECK(!case_exists(v, sys, case_d));

    /* released: the held case goes at the next sweep */
    g_now += DAY;
    CHECK_OK(casevault_hold_release(NULL, v, hold_c));
    sweep(v, &out);
    CHECK(CONTAINS(out, "\"held\":[]"));
    casevault_free(out);
    CHECK(!case_exists(v, sys, case_c));
    CHECK(strcmp(account_status(v, cleo), "cancelled") == 0);

    casevault_close(v);
}

/* ---- VisaPro: no requests or preservation sections ----------------------------------- */

static void test_visapro(void) {
    casevault_vault *v = open_store("retention_visapro.db");
    char ana[ID_LEN], ben[ID_LEN], post[ID_LEN], case_a[ID_LEN], sys[ID_LEN];
    char *json = NULL, *out = NULL;
    int outcome = -1;
    casevault_inbound_message m;
    casevault_hold_request hr = CASEVAULT_HOLD_REQUEST_INIT;

    publish_example(v, "visapro.json", 1);
    new_principal(v, sys, CASEVAULT_ROLE_SYSTEM);
    new_account(v, ana, "Ana Souza", "ana@example.com", "+1 332 555 0101");
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);
    new_case(v, case_a, ana);
    new_post(v, post, ana);

    /* no activity kinds: none to record, and no inactivity deadline */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(NULL, v, ana, "message", 0));
    CHECK_OK(casevault_activity_state(&json, v, ana));
    CHECK(has_int(json, "active_until", 0));
    CHECK(CONTAINS(json, "\"inactivity_due_at\":null"));
    casevault_free(json);

    /* no requests section: inbound commands are not accepted on any channel */
    m = email("ana@example.com", "DELETE", NULL);
    CHECK_OK(casevault_request_inbound(&outcome, &json, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_CHANNEL_NOT_ACCEPTED);
    CHECK(has_str(json, "outcome", "channel_not_accepted"));
    CHECK(CONTAINS(json, "\"request\":null"));
    casevault_free(json);
    m = whatsapp("+1 332 555 0101", "CANCEL");
    CHECK_OK(casevault_request_inbound(&outcome, NULL, v, &m));
    CHECK(outcome == CASEVAULT_INBOUND_CHANNEL_NOT_ACCEPTED);
    CHECK(count_requests(v, NULL) == 0);
    CHECK(pending_notifications(v) == 0);
    CHECK(strcmp(account_status(v, ana), "active") == 0);

    /* no preservation section: holds are refused */
    hr.target = ana;
    hr.authority = "sca_2703f";
    hr.reference = kLegalRef;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    CHECK(json == NULL);
    CHECK(count_holds(v, NULL, 1) == 0);

    /* a deletion request: the account is erased at the next sweep, the posts
     * are kept without their author */
    CHECK_OK(casevault_request_erase(NULL, v, ana, NULL));
    CHECK_OK(casevault_retention_preview(&json, v, 0));
    CHECK(CONTAINS(json, "{\"kind\":\"post\",\"count\":1,\"action\":\"anonymize\"}"));
    CHECK(CONTAINS(json, "{\"kind\":\"account\",\"count\":1,\"action\":\"delete\"}"));
    casevault_free(json);
    sweep(v, &out);
    CHECK(has_int(out, "subjects", 1));
    CHECK(CONTAINS(out, "{\"kind\":\"post\",\"count\":1}"));
    casevault_free(out);
    CHECK(strcmp(account_status(v, ana), "erased") == 0);
    CHECK(!case_exists(v, sys, case_a));
    CHECK_OK(casevault_post_get(&json, v, ben, post));
    CHECK(CONTAINS(json, "\"author\":null"));
    casevault_free(json);
    CHECK(strcmp(account_status(v, ben), "active") == 0);

    casevault_close(v);
}

/* ---- the sweep: options, progress, cancelling -------------------------------------- */

typedef struct {
    int plan, subjects, other;
    int stop_at_subject; /* 0: never stop */
    char last_phase[32];
} progress_log;

static int on_progress(const char *phase, int64_t done, int64_t total, void *ctx) {
    progress_log *log = (progress_log *)ctx;
    CHECK(phase != NULL);
    CHECK(done >= 0 && total >= 0);
    snprintf(log->last_phase, sizeof log->last_phase, "%s", phase);
    if (strcmp(phase, "plan") == 0) {
        ++log->plan;
    } else if (strcmp(phase, "subjects") == 0) {
        ++log->subjects;
        if (log->stop_at_subject && log->subjects >= log->stop_at_subject) return 0;
    } else {
        ++log->other;
    }
    return 1;
}

static void test_sweep_progress(void) {
    casevault_vault *v = open_store("retention_progress.db");
    char ids[5][ID_LEN];
    char *out = NULL;
    casevault_sweep_options o = CASEVAULT_SWEEP_OPTIONS_INIT;
    progress_log log;
    int i, erased;
    static const char *emails[5] = {"a@example.com", "b@example.com", "c@example.com", "d@example.com",
                                    "e@example.com"};

    publish_example(v, "case-parallels.json", 1);
    for (i = 0; i < 5; ++i) {
        new_account(v, ids[i], "Someone", emails[i], NULL);
        CHECK_OK(casevault_request_erase(NULL, v, ids[i], NULL));
    }

    /* bad options change nothing */
    o.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&out, v, &o));
    CHECK(CONTAINS(casevault_last_error(), "version"));
    o.version = CASEVAULT_SWEEP_OPTIONS_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&out, v, &o));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&out, v, NULL));
    o.version = CASEVAULT_SWEEP_OPTIONS_VERSION;
    o.subjects_per_commit = 10001;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&out, v, &o));
    CHECK(CONTAINS(casevault_last_error(), "subjects_per_commit"));
    o.subjects_per_commit = 1; /* every subject committed alone */
    CHECK(out == NULL);
    for (i = 0; i < 5; ++i) CHECK(strcmp(account_status(v, ids[i]), "active") == 0);

    /* stopped by the callback after the second subject: what was done stays */
    o.version = CASEVAULT_SWEEP_OPTIONS_VERSION;
    o.batch_size = 2;
    o.progress = on_progress;
    o.progress_ctx = &log;
    memset(&log, 0, sizeof log);
    log.stop_at_subject = 2;
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_retention_sweep(&out, v, &o));
    CHECK(out == NULL);
    CHECK(log.plan >= 1);
    erased = 0;
    for (i = 0; i < 5; ++i) erased += strcmp(account_status(v, ids[i]), "erased") == 0;
    CHECK(erased == 2);

    /* the next sweep continues, in small batches */
    memset(&log, 0, sizeof log);
    CHECK_OK(casevault_retention_sweep(&out, v, &o));
    CHECK(has_int(out, "subjects", 5 - erased));
    CHECK(count_occurrences(out, "\"rcp_") == 5 - erased);
    casevault_free(out);
    CHECK(log.subjects >= 5 - erased);
    for (i = 0; i < 5; ++i) CHECK(strcmp(account_status(v, ids[i]), "erased") == 0);

    /* an explicit time in the options */
    o.progress = NULL;
    o.now = kStart + 3 * DAY;
    CHECK_OK(casevault_retention_sweep(&out, v, &o));
    CHECK(has_int(out, "now", kStart + 3 * DAY));
    CHECK(has_int(out, "subjects", 0));
    casevault_free(out);
    CHECK_OK(casevault_retention_sweep(NULL, v, &o)); /* out_json may be NULL */

    CHECK_OK(casevault_retention_receipts(&out, v, NULL, 0));
    CHECK(count_occurrences(out, "\"id\":\"rcp_") == 5);
    casevault_free(out);

    casevault_close(v);
}

/* ---- backups -------------------------------------------------------------------------- */

static int cancel_at_once(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)phase;
    (void)done;
    (void)total;
    ++*(int *)ctx;
    return 0;
}

static int count_calls(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)phase;
    (void)done;
    (void)total;
    ++*(int *)ctx;
    return 1;
}

static void test_backups(void) {
    casevault_vault *v = open_store("retention_backups.db");
    casevault_vault *other;
    char ana[ID_LEN], ben[ID_LEN], cleo[ID_LEN], bak[ID_LEN];
    char *json = NULL, *out = NULL;
    const char *path = fresh_store("retention_backups.bak");
    const char *cancelled_path = fresh_store("retention_backups_cancelled.bak");
    const char *other_path = fresh_store("retention_backups_other.bak");
    int calls = 0;
    int64_t count = 0;

    publish_example(v, "case-parallels.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    new_account(v, ben, "Ben Okafor", "ben@example.com", NULL);

    /* cancelled by its progress callback: no file, nothing catalogued */
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_backup_create(&json, v, cancelled_path, cancel_at_once, &calls));
    CHECK(json == NULL);
    CHECK(calls >= 1);
    CHECK(fopen(cancelled_path, "rb") == NULL);
    CHECK_OK(casevault_backup_list(&json, v, 1));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);

    /* a backup on day 1 */
    g_now = kStart + DAY;
    calls = 0;
    CHECK_OK(casevault_backup_create(&json, v, path, count_calls, &calls));
    CHECK(calls >= 1);
    json_id(bak, json, "bak_");
    CHECK(has_str(json, "path", path));
    CHECK(has_int(json, "taken_at", g_now));
    CHECK(json_int(json, "size") > 0);
    {
        char sha[80];
        CHECK(json_string_value(json, "sha256", sha, sizeof sha));
        CHECK(strlen(sha) == 64 && strspn(sha, "0123456789abcdef") == 64);
    }
    CHECK(has_int(json, "removed_at", 0));
    casevault_free(json);
    CHECK(!file_contains(path, "ana@example.com")); /* encrypted like the store */
    CHECK_OK(casevault_backup_list(&json, v, 0));
    CHECK(count_occurrences(json, "\"id\":\"bak_") == 1);
    CHECK(has_str(json, "id", bak));
    casevault_free(json);

    /* the path exists, or is the store: refused */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_create(&json, v, path, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_create(&json, v, path_in_dir("retention_backups.db"), NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_restore(&json, v, path_in_dir("retention_backups.db"), NULL, NULL));
    CHECK(json == NULL);

    /* after the backup: Ana is erased (by request and sweep), Cleo signs up */
    g_now = kStart + 2 * DAY;
    CHECK_OK(casevault_request_erase(NULL, v, ana, NULL));
    CHECK(sweep_subjects(v) == 1);
    new_account(v, cleo, "Cleo Park", "cleo@example.com", NULL);

    /* restoring brings the backup's content back, but replays the erasure:
     * Ana stays erased */
    g_now = kStart + 3 * DAY;
    calls = 0;
    CHECK_OK(casevault_backup_restore(&json, v, path, count_calls, &calls));
    CHECK(has_str(json, "backup_id", bak));
    CHECK(has_int(json, "taken_at", kStart + DAY));
    CHECK(json_int(json, "erasures_replayed") >= 1);
    casevault_free(json);
    CHECK(strcmp(account_status(v, ana), "erased") == 0);
    CHECK(strcmp(account_status(v, ben), "active") == 0);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_account_get(&json, v, cleo));
    CHECK_OK(casevault_account_find_by_email(&json, v, "ana@example.com"));
    CHECK(json == NULL);
    CHECK_OK(casevault_account_count(&count, v, NULL));
    CHECK(count == 2);
    /* the catalog survived */
    CHECK_OK(casevault_backup_list(&json, v, 0));
    CHECK(has_str(json, "id", bak));
    casevault_free(json);

    /* restore refusals change nothing */
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_backup_restore(&json, v, path_in_dir("no-such.bak"), NULL, NULL));
    CHECK(json == NULL);
    other = open_clocked_store("retention_backups_other.db", "another secret");
    CHECK_OK(casevault_backup_create(NULL, other, other_path, NULL, NULL));
    casevault_close(other);
    CHECK_FAILS(CASEVAULT_EWRONGKEY, casevault_backup_restore(&json, v, other_path, NULL, NULL));
    CHECK(json == NULL);
    calls = 0;
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_backup_restore(NULL, v, path, cancel_at_once, &calls));
    CHECK(calls >= 1);
    CHECK(strcmp(account_status(v, ben), "active") == 0);
    CHECK_OK(casevault_account_count(&count, v, NULL));
    CHECK(count == 2);

    /* backups go once the policy's backups_and_logs_max (60 days) passed */
    g_now = kStart + 61 * DAY - 1;
    sweep(v, &out);
    CHECK(has_int(out, "backups_removed", 0));
    casevault_free(out);
    CHECK_OK(casevault_retention_preview(&json, v, kStart + 61 * DAY));
    CHECK(CONTAINS(json, "\"backups_expiring\":[\"bak_"));
    casevault_free(json);
    g_now = kStart + 61 * DAY;
    sweep(v, &out);
    CHECK(has_int(out, "backups_removed", 1));
    casevault_free(out);
    CHECK(fopen(path, "rb") == NULL);
    CHECK_OK(casevault_backup_list(&json, v, 0));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_backup_list(&json, v, 1));
    CHECK(has_str(json, "id", bak));
    CHECK(has_int(json, "removed_at", g_now));
    casevault_free(json);

    casevault_close(v);
    remove_store(path);
    remove_store(other_path);
}

/* ---- NULL arguments, versions, out-parameters ------------------------------------------ */

static void test_null_arguments(void) {
    casevault_vault *v = open_store("retention_null.db");
    char ana[ID_LEN], hold[ID_LEN], req[ID_LEN];
    char *json = NULL;
    int outcome = -1, command = -1;
    casevault_inbound_message m = email("ana@example.com", "DELETE", NULL);
    casevault_hold_request hr = CASEVAULT_HOLD_REQUEST_INIT;
    casevault_sweep_options so = CASEVAULT_SWEEP_OPTIONS_INIT;

#define NAMES(arg) CHECK(CONTAINS(casevault_last_error(), arg))

    publish_example(v, "case-parallels.json", 1);
    new_account(v, ana, "Ana Souza", "ana@example.com", NULL);
    hr.target = ana;
    hr.authority = "sca_2703f";
    hr.reference = kLegalRef;
    CHECK_OK(casevault_hold_place(&json, v, &hr));
    json_id(hold, json, "hld_");
    casevault_free(json);
    CHECK_OK(casevault_request_erase(&json, v, ana, NULL));
    json_id(req, json, "era_");
    casevault_free(json);
    json = NULL;

    /* activity */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, NULL, ana, "message", 0));
    NAMES("vault");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, v, NULL, "message", 0));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, v, ana, NULL, 0));
    NAMES("kind");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_state(NULL, v, ana));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_state(&json, NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_state(&json, v, NULL));
    NAMES("subject");
    CHECK(json == NULL);

    /* requests */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_cancel(&json, NULL, ana, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_cancel(&json, v, NULL, NULL));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_erase(&json, NULL, ana, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_erase(&json, v, NULL, NULL));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(NULL, &json, v, &m));
    NAMES("out_outcome");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(&outcome, &json, NULL, &m));
    CHECK(outcome == 0);
    NAMES("vault");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(&outcome, &json, v, NULL));
    NAMES("message");
    m.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(&outcome, &json, v, &m));
    NAMES("version");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_parse(&outcome, &command, &json, &m));
    NAMES("version");
    CHECK(outcome == 0 && command == 0);
    m.version = CASEVAULT_INBOUND_MESSAGE_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_inbound(&outcome, &json, v, &m));
    m.version = CASEVAULT_INBOUND_MESSAGE_VERSION;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_parse(NULL, &command, &json, &m));
    NAMES("out_outcome");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_parse(&outcome, &command, &json, NULL));
    NAMES("message");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_confirm(&json, NULL, "123456"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_confirm(&json, v, NULL));
    NAMES("code");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_get(NULL, v, req));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_get(&json, NULL, req));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_get(&json, v, NULL));
    NAMES("request_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_list(NULL, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_list(&json, NULL, NULL));
    CHECK(json == NULL);
    CHECK(count_requests(v, NULL) == 1);
    CHECK(pending_notifications(v) == 0);

    /* holds */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(NULL, v, &hr));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, NULL, &hr));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, NULL));
    NAMES("request");
    hr.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    NAMES("version");
    hr.version = CASEVAULT_HOLD_REQUEST_VERSION;
    hr.target = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    NAMES("target");
    hr.target = ana;
    hr.authority = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    NAMES("authority");
    hr.authority = "sca_2703f";
    hr.reference = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &hr));
    NAMES("reference");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_extend(&json, NULL, hold));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_extend(&json, v, NULL));
    NAMES("hold_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_record_process(&json, NULL, hold, "warrant", "W"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_record_process(&json, v, NULL, "warrant", "W"));
    NAMES("hold_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_record_process(&json, v, hold, NULL, "W"));
    NAMES("process");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_record_process(&json, v, hold, "warrant", NULL));
    NAMES("reference");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_release(&json, NULL, hold));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_release(&json, v, NULL));
    NAMES("hold_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_get(NULL, v, hold));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_get(&json, NULL, hold));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_get(&json, v, NULL));
    NAMES("hold_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_list(NULL, v, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_list(&json, NULL, NULL, 0));
    CHECK(json == NULL);
    CHECK(count_holds(v, NULL, 1) == 1);
    {
        char *after = hold_snapshot(v, hold);
        CHECK(has_int(after, "extensions", 0));
        CHECK(has_str(after, "state", "active"));
        free(after);
    }

    /* sweep and receipts */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_preview(NULL, v, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_preview(&json, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&json, NULL, &so));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_sweep(&json, v, NULL));
    NAMES("options");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts_for(NULL, v, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts_for(&json, NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts_for(&json, v, NULL));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts(NULL, v, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts(&json, NULL, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_subject_ref(NULL, v, ana));
    NAMES("out_ref");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_subject_ref(&json, NULL, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_subject_ref(&json, v, NULL));
    NAMES("subject");
    CHECK(json == NULL);

    /* backups */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_create(&json, NULL, path_in_dir("x.bak"), NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_create(&json, v, NULL, NULL, NULL));
    NAMES("path");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_list(NULL, v, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_list(&json, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_restore(&json, NULL, path_in_dir("x.bak"), NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_backup_restore(&json, v, NULL, NULL, NULL));
    NAMES("path");
    CHECK(json == NULL);

    /* ids not of their kind's form */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_state(&json, v, "ana@example.com"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_activity_record(&json, v, hold, "message", 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_get(&json, v, ana));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_list(&json, v, "bogus"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_request_cancel(&json, v, "bogus", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_get(&json, v, req));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_extend(&json, v, "bogus"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_list(&json, v, "bogus", 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts_for(&json, v, "bogus"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_receipts(&json, v, "bogus", 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_retention_subject_ref(&json, v, "bogus"));
    CHECK(json == NULL);

#undef NAMES

    /* none of it changed anything, and a success clears the last error */
    CHECK(strcmp(account_status(v, ana), "active") == 0);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    CHECK(strcmp(casevault_last_error(), "") == 0);
    CHECK_OK(casevault_backup_list(&json, v, 1));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    /* the held subject is still reported held */
    CHECK_OK(casevault_retention_preview(&json, v, 0));
    CHECK(CONTAINS(json, "\"reason\":\"held:subject\""));
    casevault_free(json);

    casevault_close(v);
    casevault_close(NULL);
}

/* The new code has its stable name (casevault_error_name). Run last, so
 * that the rest has run whatever it answers. */
static void test_error_name(void) {
    CHECK(strcmp(casevault_error_name(CASEVAULT_EEXPIRED), "expired") == 0);
    CHECK(strcmp(casevault_error_name(CASEVAULT_EDISCLOSURE_REFUSED - 1), "unknown") == 0);
}

int main(int argc, char **argv) {
    if (argc > 1) g_dir = argv[1];

    test_constants();
    test_no_policy();
    test_activity();
    test_inactivity();
    test_inactivity_cancelled_by_activity();
    test_cancel_request();
    test_erase_request();
    test_cancel_withdrawn();
    test_reconsent_declined();
    test_parse();
    test_inbound();
    test_inbound_without_confirmation();
    test_unconfirmed_expire_in_sweep();
    test_holds();
    test_hold_expiry();
    test_hold_case_file();
    test_visapro();
    test_sweep_progress();
    test_backups();
    test_null_arguments();
    test_error_name();

    printf("capi_retention_test: all %d checks passed\n", g_checks);
    return 0;
}

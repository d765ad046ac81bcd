/*
 * test_capi_consent.c — tests of the policy, consent and outbox parts of the
 * C API (casevault.h), written in C99.
 *
 * Run as: capi_consent_test <dir>   (dir: a writable directory for the stores)
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

/* The decision must be (allowed, reason) under policy version `version`. */
#define CHECK_DECISION(d, want_allowed, want_reason, want_version)                          \
    do {                                                                                    \
        ++g_checks;                                                                         \
        if ((d).allowed != (want_allowed) || (d).reason != (want_reason) ||                 \
            (d).policy_version != (want_version)) {                                         \
            fprintf(stderr, "%s:%d: decision is {%d, %s, %lld}, expected {%d, %s, %lld}\n", \
                    __FILE__, __LINE__, (d).allowed, casevault_decision_reason_name((d).reason), \
                    (long long)(d).policy_version, (want_allowed),                          \
                    casevault_decision_reason_name(want_reason), (long long)(want_version)); \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

/* ---- helpers ------------------------------------------------------------- */

static const char *kUnknownId = "acc_000000000000000000000000";

#define g_now (*test_now())

static casevault_vault *open_store(const char *name) { return open_clocked_store(name, "consent tests"); }

static char *create_account(casevault_vault *v, const char *name, const char *email) {
    casevault_account_fields f = CASEVAULT_ACCOUNT_FIELDS_INIT;
    char *id = NULL;
    f.name = name;
    f.email = email;
    CHECK_OK(casevault_account_create(&id, v, &f));
    CHECK(id != NULL && strncmp(id, "acc_", 4) == 0);
    return id;
}

/* Collects the "id":<n> values of a notification array into ids (at most max). */
static size_t notification_ids(const char *json, int64_t *ids, size_t max) {
    size_t n = 0;
    const char *p = json;
    while (p && n < max && (p = strstr(p, "{\"id\":")) != NULL) {
        p += 6;
        ids[n++] = (int64_t)strtoll(p, NULL, 10);
    }
    return n;
}

/* A small valid policy (docs/policy-format.md). terms_fresh: whether this
 * version asks for fresh consent to "terms". */
static const char *kPolicyTemplate =
    "{\"format\":\"casevault-policy/1\","
    "\"metadata\":{\"name\":\"C API test policy\",\"version\":%d,\"effective_date\":\"2026-01-01\","
    "\"jurisdiction\":\"US\",\"controller\":{\"name\":\"Test LLC\",\"contact\":\"privacy@example.com\"},"
    "\"text_url\":\"https://example.com/privacy\"},"
    "\"categories\":[{\"id\":\"identity\",\"description\":\"name\"},"
    "{\"id\":\"contact\",\"description\":\"email and phone\"},"
    "{\"id\":\"case_data\",\"description\":\"cases\"},"
    "{\"id\":\"visitor_data\",\"description\":\"cookies\",\"kind\":\"device\"}],"
    "\"purposes\":["
    "{\"id\":\"terms\",\"description\":\"acceptance of the policy\",\"legal_basis\":\"consent\","
    "\"categories\":[\"identity\"],\"requires_fresh_consent\":%s,\"on_decline\":\"close_and_erase\"},"
    "{\"id\":\"case_tracking\",\"description\":\"tracking cases\",\"legal_basis\":\"contract\","
    "\"categories\":[\"case_data\",\"contact\"]},"
    "{\"id\":\"newsletter\",\"description\":\"the newsletter\",\"legal_basis\":\"consent\","
    "\"categories\":[\"contact\"]},"
    "{\"id\":\"support_access\",\"description\":\"support reads case content\",\"legal_basis\":\"consent\","
    "\"categories\":[\"case_data\"],\"consent_max_duration\":\"P30D\"},"
    "{\"id\":\"statistics_cookies\",\"description\":\"statistics cookies\",\"legal_basis\":\"consent\","
    "\"categories\":[\"visitor_data\"]}],"
    "\"consent\":{\"channels\":[\"web\",\"email\",\"whatsapp\",\"phone\",\"api\"]},"
    "\"subscriptions\":[{\"id\":\"newsletter\",\"purpose\":\"newsletter\"}],"
    "\"visitors\":{\"cookie_categories\":[{\"id\":\"statistics\",\"purpose\":\"statistics_cookies\","
    "\"expiry\":\"P30D\"}]}}";

static const char *policy_doc(int version, int terms_fresh) {
    static char buf[4096];
    int n = snprintf(buf, sizeof buf, kPolicyTemplate, version, terms_fresh ? "true" : "false");
    CHECK(n > 0 && (size_t)n < sizeof buf);
    return buf;
}

/* Two problems: /format and a purpose without a legal basis. */
static const char *kInvalidPolicy =
    "{\"format\":\"casevault-policy/0\","
    "\"metadata\":{\"name\":\"Bad\",\"version\":1,\"effective_date\":\"2026-01-01\",\"jurisdiction\":\"US\","
    "\"controller\":{\"name\":\"Test LLC\"},\"text_url\":\"https://example.com/privacy\"},"
    "\"categories\":[{\"id\":\"identity\",\"description\":\"name\"}],"
    "\"purposes\":[{\"id\":\"terms\",\"description\":\"terms\",\"categories\":[\"identity\"]}]}";

static casevault_consent_request request(const char *subject, const char *purpose, const char *action) {
    casevault_consent_request r = CASEVAULT_CONSENT_REQUEST_INIT;
    r.subject = subject;
    r.purpose = purpose;
    r.action = action;
    return r;
}

static void record(casevault_vault *v, const char *subject, const char *purpose, const char *action) {
    casevault_consent_request r = request(subject, purpose, action);
    CHECK_OK(casevault_consent_record(NULL, v, &r));
}

static casevault_decision decide(casevault_vault *v, const char *subject, const char *purpose) {
    casevault_decision d;
    CHECK_OK(casevault_may_process(&d, v, subject, purpose, NULL));
    return d;
}

static int g_reconsent_reports;
static int64_t g_reconsent_total;
static int count_reconsent(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)done;
    (void)ctx;
    CHECK(strcmp(phase, "reconsent") == 0);
    ++g_reconsent_reports;
    g_reconsent_total = total;
    return 1;
}

static int cancel_publish(const char *phase, int64_t done, int64_t total, void *ctx) {
    (void)phase;
    (void)done;
    (void)total;
    ++*(int *)ctx;
    return 0;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_reason_names(void) {
    const casevault_consent_request init = CASEVAULT_CONSENT_REQUEST_INIT;
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_CONSENT), "consent") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_CONTRACT), "contract") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_LEGAL_OBLIGATION), "legal_obligation") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_LEGITIMATE_INTEREST), "legitimate_interest") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_NO_POLICY), "no_policy") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_PURPOSE_UNKNOWN), "purpose_unknown") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_SUBJECT_UNKNOWN), "subject_unknown") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE), "account_not_active") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_NO_CONSENT), "no_consent") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_WITHDRAWN), "withdrawn") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_DECLINED), "declined") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_RECONSENT_REQUIRED), "reconsent_required") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_EXPIRED), "expired") == 0);
    CHECK(strcmp(casevault_decision_reason_name(CASEVAULT_REASON_OBJECTED), "objected") == 0);
    /* the frozen numbers */
    CHECK(CASEVAULT_REASON_CONSENT == 0 && CASEVAULT_REASON_LEGITIMATE_INTEREST == 3);
    CHECK(CASEVAULT_REASON_NO_POLICY == 10 && CASEVAULT_REASON_OBJECTED == 19);
    /* not reasons */
    CHECK(strcmp(casevault_decision_reason_name(4), "unknown") == 0);
    CHECK(strcmp(casevault_decision_reason_name(9), "unknown") == 0);
    CHECK(strcmp(casevault_decision_reason_name(20), "unknown") == 0);
    CHECK(strcmp(casevault_decision_reason_name(-1), "error") == 0);
    /* what the _INIT macro promises */
    CHECK(init.version == CASEVAULT_CONSENT_REQUEST_VERSION);
    CHECK(init.subject == NULL && init.purpose == NULL && init.action == NULL && init.channel == NULL);
    CHECK(init.scope == NULL && init.evidence == NULL && init.expires_at == 0);
}

static void test_lint(void) {
    char *problems = (char *)"untouched";
    int valid = -1;

    CHECK_OK(casevault_policy_lint(&problems, &valid, policy_doc(1, 0)));
    CHECK(valid == 1);
    CHECK(problems != NULL && strcmp(problems, "[]") == 0);
    casevault_free(problems);

    /* invalid is a result, not an error; every problem with its path */
    valid = -1;
    CHECK_OK(casevault_policy_lint(&problems, &valid, kInvalidPolicy));
    CHECK(valid == 0);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    CHECK(CONTAINS(problems, "{\"path\":\"/purposes/0/legal_basis\",\"message\":\""));
    CHECK(CONTAINS(problems, "\"path\":\"/format\""));
    CHECK(count_occurrences(problems, "\"path\":") == 2);
    casevault_free(problems);

    /* not JSON at all: one problem about the whole document */
    CHECK_OK(casevault_policy_lint(&problems, &valid, "{\"format\":"));
    CHECK(valid == 0);
    CHECK(CONTAINS(problems, "\"path\":\"\""));
    casevault_free(problems);

    /* the problems are optional */
    valid = -1;
    CHECK_OK(casevault_policy_lint(NULL, &valid, kInvalidPolicy));
    CHECK(valid == 0);
    CHECK_OK(casevault_policy_lint(NULL, &valid, policy_doc(3, 1)));
    CHECK(valid == 1);

    /* NULL arguments */
    problems = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_lint(&problems, NULL, policy_doc(1, 0)));
    CHECK(problems == NULL);
    CHECK(strstr(casevault_last_error(), "out_valid") != NULL);
    valid = -1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_lint(&problems, &valid, NULL));
    CHECK(valid == 0);
    CHECK(strstr(casevault_last_error(), "json_text") != NULL);
}

static void test_parse(void) {
    char *json = (char *)"untouched";
    CHECK_OK(casevault_policy_parse(&json, policy_doc(1, 0)));
    CHECK(CONTAINS(json, "\"version\":1,"));
    CHECK(CONTAINS(json, "\"published_at\":0,\"active\":false"));
    CHECK(CONTAINS(json, "\"hash\":\"sha256:"));
    CHECK(CONTAINS(json, "\"document\":{"));
    casevault_free(json);

    json = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_parse(&json, kInvalidPolicy));
    CHECK(json == NULL);
    CHECK(strstr(casevault_last_error(), "/purposes/0/legal_basis") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_parse(&json, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_parse(NULL, policy_doc(1, 0)));
}

static void test_consent_flow(void) {
    casevault_vault *v = open_store("capi_consent.db");
    char *a = create_account(v, "Ana Souza", "ana@example.com");
    char *b = create_account(v, "Bruno Lima", "bruno@example.com");
    char *c = create_account(v, "Chen Wei", "chen@example.com");
    char *json = (char *)"untouched";
    casevault_decision d;
    casevault_consent_request r;
    int64_t n = -1, t0 = g_now;
    char expected[128];

    /* ---- before the first publish */
    CHECK_OK(casevault_policy_active(&json, v));
    CHECK(json == NULL);
    CHECK_OK(casevault_policy_list(&json, v));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_policy_get(&json, v, 1));
    CHECK(json == NULL);
    d = decide(v, a, "terms");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_POLICY, 0);
    r = request(a, "terms", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    CHECK(json == NULL);
    CHECK_OK(casevault_outbox_pending(&n, v));
    CHECK(n == 0);

    /* ---- publish: an invalid document changes nothing and names its problems */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_publish(&json, v, kInvalidPolicy, NULL, NULL));
    CHECK(json == NULL);
    CHECK(strstr(casevault_last_error(), "/purposes/0/legal_basis") != NULL);
    CHECK(strstr(casevault_last_error(), "/format") != NULL);
    CHECK_OK(casevault_policy_active(&json, v));
    CHECK(json == NULL);

    g_reconsent_reports = 0;
    CHECK_OK(casevault_policy_publish(&json, v, policy_doc(1, 0), count_reconsent, NULL));
    CHECK(g_reconsent_reports == 0); /* nobody to ask on a first publish */
    CHECK(CONTAINS(json, "{\"policy\":{\"version\":1,\"name\":\"C API test policy\","));
    CHECK(CONTAINS(json, "\"active\":true"));
    CHECK(CONTAINS(json, "\"document\":{"));
    CHECK(CONTAINS(json, "\"subjects_reconsent\":0,\"notifications\":0}"));
    casevault_free(json);

    /* ---- active / get / list */
    CHECK_OK(casevault_policy_active(&json, v));
    CHECK(json != NULL && json[0] == '{');
    CHECK(CONTAINS(json, "\"version\":1,"));
    CHECK(CONTAINS(json, "\"effective_date\":\"2026-01-01\""));
    CHECK(CONTAINS(json, "\"text_url\":\"https://example.com/privacy\""));
    CHECK(CONTAINS(json, "\"text_sha256\":\"\""));
    CHECK(CONTAINS(json, "\"jurisdiction\":\"US\""));
    CHECK(CONTAINS(json, "\"hash\":\"sha256:"));
    snprintf(expected, sizeof expected, "\"published_at\":%lld", (long long)t0);
    CHECK(CONTAINS(json, expected));
    CHECK(CONTAINS(json, "\"categories\":[{\"id\":\"identity\",\"description\":\"name\",\"kind\":\"personal\"},"));
    CHECK(CONTAINS(json, "{\"id\":\"terms\",\"description\":\"acceptance of the policy\",\"legal_basis\":\"consent\","
                         "\"categories\":[\"identity\"],\"requires_fresh_consent\":false,"
                         "\"account_statuses\":[\"active\"],\"close_on_decline\":true,\"consent_max_days\":null,"
                         "\"third_party_disclosure\":false,\"depends_on\":[],\"data_form\":\"identified\"}"));
    CHECK(CONTAINS(json, "\"legal_basis\":\"contract\""));
    CHECK(CONTAINS(json, "\"consent_max_days\":30"));
    /* the canonical document, nested (its keys sorted) */
    CHECK(CONTAINS(json, "\"document\":{\"categories\":["));
    CHECK(CONTAINS(json, "\"format\":\"casevault-policy/1\""));
    casevault_free(json);
    CHECK_OK(casevault_policy_get(&json, v, 1));
    CHECK(CONTAINS(json, "\"version\":1,"));
    CHECK(CONTAINS(json, "\"document\":{"));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_policy_get(&json, v, 2));

    /* publishing the same version again is refused */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_publish(NULL, v, policy_doc(1, 0), NULL, NULL));

    /* ---- record: grant, withdraw, decline */
    r = request(a, "terms", "granted");
    r.channel = "email";
    r.evidence = "message-id 4471@mail.example";
    CHECK_OK(casevault_consent_record(&json, v, &r));
    CHECK(CONTAINS(json, "{\"id\":\"cns_"));
    snprintf(expected, sizeof expected, "\"subject\":\"%s\",\"purpose\":\"terms\",\"scope\":\"\"", a);
    CHECK(CONTAINS(json, expected));
    CHECK(CONTAINS(json, "\"action\":\"granted\",\"channel\":\"email\",\"policy_version\":1,"));
    CHECK(CONTAINS(json, "\"evidence\":\"message-id 4471@mail.example\""));
    snprintf(expected, sizeof expected, "\"at\":%lld,\"expires_at\":0}", (long long)g_now);
    CHECK(CONTAINS(json, expected));
    casevault_free(json);
    d = decide(v, a, "terms");
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    d = decide(v, a, "case_tracking");
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONTRACT, 1);
    d = decide(v, a, "newsletter");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_CONSENT, 1);

    record(v, a, "newsletter", NULL); /* NULL action = granted */
    d = decide(v, a, "newsletter");
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    record(v, a, "newsletter", "withdrawn");
    d = decide(v, a, "newsletter");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_WITHDRAWN, 1);
    record(v, b, "newsletter", "declined"); /* not close_on_decline: the account stays */
    d = decide(v, b, "newsletter");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_DECLINED, 1);
    CHECK_OK(casevault_account_get(&json, v, b));
    CHECK(CONTAINS(json, "\"status\":\"active\""));
    casevault_free(json);

    /* withdrawing what is not granted */
    r = request(a, "newsletter", "withdrawn");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    r = request(a, "support_access", "withdrawn");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    CHECK(json == NULL);
    /* unknown purpose; a purpose that needs no consent */
    r = request(a, "telepathy", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    d = decide(v, a, "telepathy");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_PURPOSE_UNKNOWN, 1);
    r = request(a, "case_tracking", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    /* unknown (well-formed) subject; malformed id */
    r = request(kUnknownId, "terms", NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_consent_record(&json, v, &r));
    d = decide(v, kUnknownId, "terms");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_SUBJECT_UNKNOWN, 1);
    r = request("acc_nope", "terms", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    d.allowed = 1;
    d.reason = 3;
    d.policy_version = 9;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_may_process(&d, v, "acc_nope", "terms", NULL));
    CHECK(d.allowed == 0 && d.reason == CASEVAULT_REASON_ERROR && d.policy_version == 0); /* never an allowed reason */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_may_process(&d, v, a, "terms", "has space"));
    /* bad names and struct versions */
    r = request(a, "newsletter", "maybe");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    r = request(a, "newsletter", NULL);
    r.channel = "fax";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    r = request(a, "newsletter", NULL);
    r.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    CHECK(strstr(casevault_last_error(), "version") != NULL);
    r.version = CASEVAULT_CONSENT_REQUEST_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));

    /* ---- scoped grants with a time limit; expiry */
    d = decide(v, a, "support_access");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_CONSENT, 1);
    r = request(a, "support_access", NULL);
    r.expires_at = g_now - 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    r.expires_at = g_now + 400 * DAY; /* capped by consent_max_duration P30D */
    r.scope = "case-17";
    CHECK_OK(casevault_consent_record(&json, v, &r));
    snprintf(expected, sizeof expected, "\"expires_at\":%lld}", (long long)(g_now + 30 * DAY));
    CHECK(CONTAINS(json, expected));
    CHECK(CONTAINS(json, "\"scope\":\"case-17\""));
    casevault_free(json);
    CHECK_OK(casevault_may_process(&d, v, a, "support_access", "case-17"));
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    CHECK_OK(casevault_may_process(&d, v, a, "support_access", "case-18"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_CONSENT, 1);
    g_now += 31 * DAY;
    CHECK_OK(casevault_may_process(&d, v, a, "support_access", "case-17"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_EXPIRED, 1);

    /* ---- record_many: one transaction */
    {
        casevault_consent_request batch[3];
        batch[0] = request(b, "terms", NULL);
        batch[1] = request(c, "terms", NULL);
        batch[2] = request(c, "no_such_purpose", NULL);
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record_many(&json, v, batch, 3));
        CHECK(json == NULL);
        d = decide(v, b, "terms");
        CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_CONSENT, 1); /* the first was rolled back */
        CHECK_OK(casevault_consent_record_many(&json, v, batch, 2));
        CHECK(json != NULL && json[0] == '[');
        CHECK(count_occurrences(json, "\"id\":\"cns_") == 2);
        CHECK(CONTAINS(json, b) && CONTAINS(json, c));
        casevault_free(json);
        CHECK_OK(casevault_consent_record_many(NULL, v, NULL, 0));
        CHECK_OK(casevault_consent_record_many(&json, v, NULL, 0));
        CHECK(strcmp(json, "[]") == 0);
        casevault_free(json);
        batch[2].subject = NULL;
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record_many(&json, v, batch, 3));
        CHECK(strstr(casevault_last_error(), "subject") != NULL);
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record_many(&json, v, NULL, 1));
        d = decide(v, b, "terms");
        CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    }

    /* ---- history, state, receipts */
    CHECK_OK(casevault_consent_history(&json, v, a));
    CHECK(json != NULL && json[0] == '[');
    CHECK(count_occurrences(json, "\"id\":\"cns_") == 4); /* terms, newsletter x2, support_access */
    CHECK(CONTAINS(json, "\"evidence\":\"message-id 4471@mail.example\""));
    CHECK(CONTAINS(json, "\"action\":\"withdrawn\""));
    casevault_free(json);
    CHECK_OK(casevault_consent_state(&json, v, a));
    CHECK(count_occurrences(json, "{\"purpose\":") == 3);
    CHECK(CONTAINS(json, "{\"purpose\":\"terms\",\"scope\":\"\",\"action\":\"granted\",\"policy_version\":1,"));
    CHECK(CONTAINS(json, "\"reconsent_required\":false"));
    CHECK(!CONTAINS(json, "\"reconsent_required\":true"));
    casevault_free(json);
    CHECK_OK(casevault_consent_receipts(&json, v, a));
    CHECK(json != NULL && json[0] == '[');
    CHECK(CONTAINS(json, "KI-CR-v1.1.0"));
    CHECK(count_occurrences(json, "KI-CR-v1.1.0") == 3); /* one per grant */
    CHECK(CONTAINS(json, a));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_consent_history(&json, v, kUnknownId));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_consent_state(&json, v, kUnknownId));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_consent_receipts(&json, v, kUnknownId));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_history(&json, v, "not-an-id"));

    /* ---- subscriptions */
    CHECK_OK(casevault_subscriptions(&json, v, c));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_subscribe(&json, v, c, "newsletter", "whatsapp", "wa:991"));
    CHECK(CONTAINS(json, "\"purpose\":\"newsletter\""));
    CHECK(CONTAINS(json, "\"action\":\"granted\",\"channel\":\"whatsapp\""));
    CHECK(CONTAINS(json, "\"evidence\":\"wa:991\""));
    casevault_free(json);
    CHECK_OK(casevault_subscriptions(&json, v, c));
    CHECK(strcmp(json, "[\"newsletter\"]") == 0);
    casevault_free(json);
    d = decide(v, c, "newsletter");
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    CHECK_OK(casevault_unsubscribe(NULL, v, c, "newsletter", NULL, NULL));
    CHECK_OK(casevault_subscriptions(&json, v, c));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_unsubscribe(&json, v, c, "newsletter", NULL, NULL));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscribe(&json, v, c, "weekly_horoscope", NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscribe(&json, v, c, "newsletter", "carrier-pigeon", NULL));
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subscribe(&json, v, kUnknownId, "newsletter", NULL, NULL));

    /* ---- account_not_active */
    CHECK_OK(casevault_account_set_status(v, b, "closed"));
    d = decide(v, b, "case_tracking");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE, 1);
    d = decide(v, b, "terms");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE, 1);
    /* a grant a closed account could never use is refused */
    r = request(b, "newsletter", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    CHECK(json == NULL);
    /* back to active, so that version 2 asks b too (a closed account, which
     * could not grant again, is not asked) */
    CHECK_OK(casevault_account_set_status(v, b, "active"));

    /* ---- version 2 asks for fresh consent to "terms" */
    g_reconsent_reports = 0;
    g_reconsent_total = -1;
    {
        int cancels = 0;
        CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_policy_publish(&json, v, policy_doc(2, 1), cancel_publish, &cancels));
        CHECK(cancels == 1);
        CHECK(json == NULL);
        CHECK_OK(casevault_policy_active(&json, v));
        CHECK(CONTAINS(json, "\"version\":1,"));
        casevault_free(json);
        CHECK_OK(casevault_outbox_pending(&n, v));
        CHECK(n == 0);
    }
    CHECK_OK(casevault_policy_publish(&json, v, policy_doc(2, 1), count_reconsent, NULL));
    /* a, b and c hold a v1 grant of terms */
    CHECK(CONTAINS(json, "\"subjects_reconsent\":3,\"notifications\":3}"));
    CHECK(CONTAINS(json, "\"requires_fresh_consent\":true"));
    casevault_free(json);
    CHECK(g_reconsent_reports >= 1);
    CHECK(g_reconsent_total == 3);
    d = decide(v, a, "terms");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_RECONSENT_REQUIRED, 2);
    d = decide(v, a, "case_tracking");
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONTRACT, 2);
    CHECK_OK(casevault_consent_state(&json, v, a));
    CHECK(CONTAINS(json, "{\"purpose\":\"terms\",\"scope\":\"\",\"action\":\"granted\",\"policy_version\":1,"));
    CHECK(CONTAINS(json, "\"reconsent_required\":true"));
    casevault_free(json);
    CHECK_OK(casevault_reconsent_pending(&json, v, 0));
    snprintf(expected, sizeof expected, "{\"subject\":\"%s\",\"policy_version\":2,\"purposes\":[\"terms\"],", a);
    CHECK(CONTAINS(json, expected));
    CHECK(count_occurrences(json, "{\"subject\":") == 3);
    casevault_free(json);
    CHECK_OK(casevault_reconsent_pending(&json, v, 1));
    CHECK(count_occurrences(json, "{\"subject\":") == 1);
    casevault_free(json);

    /* diff and list */
    CHECK_OK(casevault_policy_diff(&json, v, 1, 2));
    CHECK(CONTAINS(json, "{\"from\":1,\"to\":2,\"purposes_added\":[],\"purposes_removed\":[],"
                         "\"purposes_changed\":[\"terms\"],\"categories_added\":[],\"categories_removed\":[],"
                         "\"roles_changed\":[],\"retention_changed\":false,\"disclosures_changed\":false,"
                         "\"notifications_changed\":false,\"reconsent_purposes\":[\"terms\"]}"));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_policy_diff(&json, v, 1, 7));
    CHECK(json == NULL);
    CHECK_OK(casevault_policy_list(&json, v));
    CHECK(count_occurrences(json, "{\"version\":") == 2);
    CHECK(CONTAINS(json, "[{\"version\":1,"));
    CHECK(CONTAINS(json, "\"active\":false"));
    CHECK(CONTAINS(json, "\"active\":true"));
    CHECK(!CONTAINS(json, "\"document\""));
    casevault_free(json);
    CHECK_OK(casevault_policy_get(&json, v, 1));
    CHECK(CONTAINS(json, "\"active\":false"));
    casevault_free(json);

    /* an older version is refused, and nothing changes */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_publish(&json, v, policy_doc(1, 0), NULL, NULL));
    CHECK(json == NULL);
    CHECK_OK(casevault_policy_active(&json, v));
    CHECK(CONTAINS(json, "{\"version\":2,"));
    casevault_free(json);
    CHECK_OK(casevault_policy_list(&json, v));
    CHECK(count_occurrences(json, "{\"version\":") == 2);
    casevault_free(json);
    CHECK_OK(casevault_outbox_pending(&n, v));
    CHECK(n == 3);

    /* ---- the outbox: poll, lease, ack */
    {
        int64_t ids[8], acked = -1, pending = -1;
        size_t got;
        char *again = NULL;
        CHECK_OK(casevault_outbox_poll(&json, v, 0, 60));
        CHECK(json != NULL && json[0] == '[');
        got = notification_ids(json, ids, 8);
        CHECK(got == 3);
        CHECK(CONTAINS(json, "\"kind\":\"reconsent_required\""));
        snprintf(expected, sizeof expected, "\"subject\":\"%s\",\"payload\":{", a);
        CHECK(CONTAINS(json, expected));
        CHECK(CONTAINS(json, "\"policy_version\":2"));
        CHECK(CONTAINS(json, "\"previous_version\":1"));
        CHECK(CONTAINS(json, "\"purposes\":[\"terms\"]"));
        CHECK(CONTAINS(json, "\"attempts\":1}"));
        CHECK(!CONTAINS(json, "ana@example.com")); /* ids and policy facts only */
        casevault_free(json);

        /* leased: not handed out again yet */
        CHECK_OK(casevault_outbox_poll(&json, v, 10, 60));
        CHECK(strcmp(json, "[]") == 0);
        casevault_free(json);

        CHECK_OK(casevault_outbox_ack(&acked, v, ids, 1));
        CHECK(acked == 1);
        CHECK_OK(casevault_outbox_ack(&acked, v, ids, 1)); /* already acknowledged */
        CHECK(acked == 0);
        CHECK_OK(casevault_outbox_ack(NULL, v, NULL, 0));
        CHECK_OK(casevault_outbox_pending(&pending, v));
        CHECK(pending == 2);

        /* after the lease runs out, the unacknowledged ones come back */
        g_now += 61;
        CHECK_OK(casevault_outbox_poll(&again, v, 0, 0));
        CHECK(notification_ids(again, ids + 3, 5) == 2);
        CHECK(ids[3] != ids[0] && ids[4] != ids[0]);
        CHECK(ids[3] == ids[1] || ids[3] == ids[2]);
        CHECK(count_occurrences(again, "\"attempts\":2}") == 2);
        casevault_free(again);
        CHECK_OK(casevault_outbox_ack(&acked, v, ids + 3, 2));
        CHECK(acked == 2);
        g_now += 400;
        CHECK_OK(casevault_outbox_poll(&json, v, 0, 0));
        CHECK(strcmp(json, "[]") == 0);
        casevault_free(json);
        CHECK_OK(casevault_outbox_pending(&pending, v));
        CHECK(pending == 0);

        /* bad values are the core's to refuse */
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_poll(&json, v, 20000, 0));
        CHECK(json == NULL);
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_poll(&json, v, 0, -5));
        ids[0] = -1;
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_ack(&acked, v, ids, 1));
        CHECK(acked == 0);
    }

    /* answering under v2 settles the re-consent request */
    record(v, a, "terms", NULL);
    d = decide(v, a, "terms");
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 2);
    CHECK_OK(casevault_reconsent_pending(&json, v, 0));
    CHECK(!CONTAINS(json, a));
    CHECK(count_occurrences(json, "{\"subject\":") == 2);
    casevault_free(json);

    /* ---- declining a close_on_decline purpose closes the account and queues erasure */
    CHECK_OK(casevault_erasure_requests(&json, v, NULL));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    r = request(c, "terms", "declined");
    r.channel = "email";
    CHECK_OK(casevault_consent_record(&json, v, &r));
    CHECK(CONTAINS(json, "\"action\":\"declined\",\"channel\":\"email\",\"policy_version\":2,"));
    casevault_free(json);
    CHECK_OK(casevault_account_get(&json, v, c));
    CHECK(CONTAINS(json, "\"status\":\"closed\""));
    casevault_free(json);
    CHECK_OK(casevault_erasure_requests(&json, v, c));
    CHECK(CONTAINS(json, "[{\"id\":\"era_"));
    snprintf(expected, sizeof expected, "\"subject\":\"%s\",\"reason\":\"consent_declined:terms\",\"channel\":\"email\",", c);
    CHECK(CONTAINS(json, expected));
    snprintf(expected, sizeof expected, "\"requested_at\":%lld,\"due_at\":%lld,\"state\":\"pending\"}",
             (long long)g_now, (long long)g_now);
    CHECK(CONTAINS(json, expected));
    casevault_free(json);
    CHECK_OK(casevault_erasure_requests(&json, v, NULL));
    CHECK(count_occurrences(json, "\"id\":\"era_") == 1);
    casevault_free(json);
    /* the account is going: its re-consent request went with the decline */
    CHECK_OK(casevault_reconsent_pending(&json, v, 0));
    CHECK(!CONTAINS(json, c));
    CHECK(count_occurrences(json, "{\"subject\":") == 1);
    casevault_free(json);
    /* declining again queues no second erasure */
    record(v, c, "terms", "declined");
    CHECK_OK(casevault_erasure_requests(&json, v, c));
    CHECK(count_occurrences(json, "\"id\":\"era_") == 1);
    casevault_free(json);
    CHECK_OK(casevault_erasure_requests(&json, v, a));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_erasure_requests(&json, v, "bogus"));
    d = decide(v, c, "terms");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE, 2);

    /* ---- erasing an account removes its consents */
    CHECK_OK(casevault_account_erase(v, a));
    d = decide(v, a, "terms");
    CHECK_DECISION(d, 0, CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE, 2);
    /* the core refuses to read an erased account's ledger: "the account is erased" */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_history(&json, v, a));
    CHECK(json == NULL);
    CHECK(strstr(casevault_last_error(), "erased") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_state(&json, v, a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_receipts(&json, v, a));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscriptions(&json, v, a));
    r = request(a, "newsletter", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));

    /* ---- audit: decisions, publishing and the ledger are logged, without evidence */
    {
        casevault_audit_filter af = CASEVAULT_AUDIT_FILTER_INIT;
        int ok = 0;
        int64_t bad = -1;
        af.limit = 10000;
        CHECK_OK(casevault_audit_read(&json, v, &af));
        CHECK(CONTAINS(json, "\"action\":\"policy.publish\""));
        CHECK(CONTAINS(json, "\"action\":\"consent.record\""));
        CHECK(CONTAINS(json, "\"action\":\"consent.decision\""));
        CHECK(CONTAINS(json, "\"action\":\"erasure.request\""));
        CHECK(!CONTAINS(json, "4471@mail.example"));
        casevault_free(json);
        CHECK_OK(casevault_audit_verify(&ok, &bad, NULL, v, NULL));
        CHECK(ok == 1);
    }

    casevault_free(a);
    casevault_free(b);
    casevault_free(c);
    casevault_close(v);
}

static void test_visitors(void) {
    casevault_vault *v = open_store("capi_visitors.db");
    char *json = (char *)"untouched";
    casevault_decision d;
    char expected[64];

    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_POLICY, 0);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "cookie-7f3a", "statistics", "granted", NULL));
    CHECK(json == NULL);
    CHECK_OK(casevault_policy_publish(NULL, v, policy_doc(1, 0), NULL, NULL));

    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_CONSENT, 1);
    CHECK_OK(casevault_visitor_consent_record(&json, v, "cookie-7f3a", "statistics", "granted", NULL));
    CHECK(CONTAINS(json, "\"subject\":\"vis_"));
    CHECK(!CONTAINS(json, "cookie-7f3a")); /* only a keyed digest of the visitor id */
    CHECK(CONTAINS(json, "\"purpose\":\"statistics_cookies\",\"scope\":\"statistics\",\"action\":\"granted\","
                         "\"channel\":\"web\""));
    CHECK(CONTAINS(json, "\"evidence\":\"\""));
    snprintf(expected, sizeof expected, "\"expires_at\":%lld}", (long long)(g_now + 30 * DAY));
    CHECK(CONTAINS(json, expected));
    casevault_free(json);
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-other", "statistics"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_NO_CONSENT, 1);
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "marketing"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_PURPOSE_UNKNOWN, 1);

    /* the grant expires after the category's expiry (P30D) */
    g_now += 29 * DAY;
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    g_now += 2 * DAY;
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_EXPIRED, 1);

    /* grant again, then withdraw */
    CHECK_OK(casevault_visitor_consent_record(NULL, v, "cookie-7f3a", "statistics", "granted", "api"));
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 1, CASEVAULT_REASON_CONSENT, 1);
    CHECK_OK(casevault_visitor_consent_record(&json, v, "cookie-7f3a", "statistics", "withdrawn", NULL));
    CHECK(CONTAINS(json, "\"action\":\"withdrawn\""));
    CHECK(CONTAINS(json, "\"expires_at\":0}"));
    casevault_free(json);
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-7f3a", "statistics"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_WITHDRAWN, 1);
    CHECK_OK(casevault_visitor_consent_record(NULL, v, "cookie-b", "statistics", "declined", NULL));
    CHECK_OK(casevault_visitor_may(&d, v, "cookie-b", "statistics"));
    CHECK_DECISION(d, 0, CASEVAULT_REASON_DECLINED, 1);

    /* refusals */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "cookie-new", "statistics", "withdrawn", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "cookie-7f3a", "marketing", "granted", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "cookie-7f3a", "statistics", "perhaps", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "cookie-7f3a", "statistics", "granted", "fax"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "has space", "statistics", "granted", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "", "statistics", "granted", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_may(&d, v, "", "statistics"));
    CHECK(d.allowed == 0 && d.reason == CASEVAULT_REASON_ERROR && d.policy_version == 0);
    CHECK(json == NULL);

    casevault_close(v);
}

static void test_null_arguments(void) {
    casevault_vault *v = open_store("capi_consent_null.db");
    char *id = create_account(v, "Null Checker", "null@example.com");
    char *json = (char *)"untouched";
    casevault_decision d;
    casevault_consent_request r = request(id, "terms", NULL);
    int valid = 0;
    int64_t n = 42;
    int64_t ids[1] = {1};

    CHECK_OK(casevault_policy_publish(NULL, v, policy_doc(1, 0), NULL, NULL));

    /* NULL vault: out-params are still reset */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_publish(&json, NULL, policy_doc(2, 0), NULL, NULL));
    CHECK(json == NULL);
    CHECK(strstr(casevault_last_error(), "vault") != NULL);
    json = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_active(&json, NULL));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_get(&json, NULL, 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_list(&json, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_diff(&json, NULL, 1, 1));
    json = (char *)"untouched";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, NULL, &r));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record_many(&json, NULL, &r, 1));
    d.allowed = 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_may_process(&d, NULL, id, "terms", NULL));
    CHECK(d.allowed == 0);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_history(&json, NULL, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_state(&json, NULL, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_receipts(&json, NULL, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscribe(&json, NULL, id, "newsletter", NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_unsubscribe(&json, NULL, id, "newsletter", NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscriptions(&json, NULL, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, NULL, "c", "statistics", "granted", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_may(&d, NULL, "c", "statistics"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_reconsent_pending(&json, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_erasure_requests(&json, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_poll(&json, NULL, 0, 0));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_ack(&n, NULL, ids, 1));
    CHECK(n == 0);
    n = 42;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_pending(&n, NULL));
    CHECK(n == 0);

    /* NULL out-params where a result is the point of the call */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_active(NULL, v));
    CHECK(strstr(casevault_last_error(), "out_json") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_get(NULL, v, 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_list(NULL, v));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_diff(NULL, v, 1, 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_may_process(NULL, v, id, "terms", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_history(NULL, v, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_state(NULL, v, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_receipts(NULL, v, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscriptions(NULL, v, id));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_may(NULL, v, "c", "statistics"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_reconsent_pending(NULL, v, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_erasure_requests(NULL, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_poll(NULL, v, 0, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_pending(NULL, v));

    /* NULL inputs */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_publish(&json, v, NULL, NULL, NULL));
    CHECK(strstr(casevault_last_error(), "json_text") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, NULL));
    r.subject = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    CHECK(strstr(casevault_last_error(), "subject") != NULL);
    r.subject = id;
    r.purpose = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_record(&json, v, &r));
    CHECK(strstr(casevault_last_error(), "purpose") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_may_process(&d, v, NULL, "terms", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_may_process(&d, v, id, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_history(&json, v, NULL));
    CHECK(strstr(casevault_last_error(), "subject") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_state(&json, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_consent_receipts(&json, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscribe(&json, v, NULL, "newsletter", NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscribe(&json, v, id, NULL, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_unsubscribe(&json, v, id, NULL, NULL, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subscriptions(&json, v, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, NULL, "statistics", "granted", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "c", NULL, "granted", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_consent_record(&json, v, "c", "statistics", NULL, NULL));
    CHECK(strstr(casevault_last_error(), "action") != NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_may(&d, v, NULL, "statistics"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_visitor_may(&d, v, "c", NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_outbox_ack(&n, v, NULL, 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_policy_lint(NULL, NULL, NULL));

    /* nothing above changed the store, and a success clears the last error */
    CHECK_OK(casevault_consent_history(&json, v, id));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    CHECK(strcmp(casevault_last_error(), "") == 0);
    CHECK_OK(casevault_policy_lint(NULL, &valid, policy_doc(1, 0)));
    CHECK(valid == 1);

    casevault_free(id);
    casevault_close(v);
}

int main(int argc, char **argv) {
    if (argc > 1) g_dir = argv[1];

    test_reason_names();
    test_lint();
    test_parse();
    test_consent_flow();
    test_visitors();
    test_null_arguments();

    printf("capi_consent_test: all %d checks passed\n", g_checks);
    return 0;
}

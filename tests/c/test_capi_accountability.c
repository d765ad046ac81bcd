/*
 * test_capi_accountability.c — tests of accountability through the C API
 * (casevault.h, "Accountability"): the subject's export (streamed and as a
 * string), rectification of every target, erasure tickets, disclosures
 * under the example policy's rules (refusals with their reason, gag orders,
 * emergencies, tax-authority packages, subprocessors), business-transfer
 * notices, de-identified aggregates with k-suppression, the options structs'
 * versions (also of the payment and hold structs that grew), and NULL
 * arguments. Written in C99.
 *
 * Run as: capi_accountability_test <dir>   (dir: a writable directory for the stores)
 * The examples directory is compiled in as CV_EXAMPLES_DIR.
 *
 * Records come back as compact JSON ("key":value, no spaces); these tests
 * read it with strstr().
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

#define g_now (*test_now())

/* Every test starts at the same instant: 2026-01-01 00:00:00 UTC. */
static const int64_t kStart = 1767225600;

static const char *kUnknownAccount = "acc_000000000000000000000000";
static const char *kUnknownDisclosure = "dsc_000000000000000000000000";

/* Ana's personal data, and Bob's: none of Bob's may show up in Ana's export. */
static const char *kAnaName = "Ana Souza-Canary4411";
static const char *kAnaEmail = "ana.canary4411@example.com";
static const char *kAnaReceipt = "EAC2190012345";
static const char *kAnaQuestion = "AnaQuestionnaireCanary";
static const char *kAnaStatusDetail = "AnaStatusDetailCanary";
static const char *kAnaDocument = "ana-passport-canary.pdf";
static const char *kAnaBody = "AnaMessageBodyCanary: when is my interview?";
static const char *kAnaAddress = "12 Main St AnaAddressCanary";
static const char *kAnaExemption = "EXEMPT-ANA-CANARY-77";
static const char *kAnaEvidence = "AnaEvidenceCanary";
static const char *kBobName = "Bob Lee-Canary9902";
static const char *kBobEmail = "bob.canary9902@example.com";
static const char *kBobReceipt = "WAC2190099999";
static const char *kBobBody = "BobMessageBodyCanary";
static const char *kBobAddress = "99 Elm St BobAddressCanary";
static const char *kLegalRef = "GJ-2026-0042-secret";
static const char *kGagRef = "NDO-2026-17-secret";

static casevault_vault *open_store(const char *name) {
    g_now = kStart;
    return open_clocked_store(name, "accountability tests");
}

static int has_null(const char *json, const char *key) {
    char pattern[160];
    snprintf(pattern, sizeof pattern, "\"%s\":null", key);
    return CONTAINS(json, pattern);
}

/* The last error names this (a NULL argument's name, a field). */
#define NAMES(what) CHECK(CONTAINS(casevault_last_error(), (what)))

/* A copy of a returned string (free()), the original released. */
static char *take(char *json) {
    char *copy;
    CHECK(json != NULL);
    copy = (char *)malloc(strlen(json) + 1);
    CHECK(copy != NULL);
    strcpy(copy, json);
    casevault_free(json);
    return copy;
}

static void new_case(casevault_vault *v, char *id, const char *subject, const char *receipt, const char *form) {
    casevault_case_fields f = CASEVAULT_CASE_FIELDS_INIT;
    char *json = NULL;
    f.form_type = form;
    f.receipt_number = receipt;
    CHECK_OK(casevault_case_open(&json, v, subject, subject, &f));
    json_id(id, json, "cas_");
    casevault_free(json);
}

static void new_message(casevault_vault *v, char *id, const char *subject, const char *body) {
    casevault_message_fields f = CASEVAULT_MESSAGE_FIELDS_INIT;
    char *json = NULL;
    f.subject = subject;
    f.channel = CASEVAULT_MESSAGE_WEB_FORM;
    f.body = body;
    CHECK_OK(casevault_message_record(&json, v, subject, &f));
    json_id(id, json, "msg_");
    casevault_free(json);
}

static casevault_payment_fields payment(const char *subject, const char *address) {
    casevault_payment_fields f = CASEVAULT_PAYMENT_FIELDS_INIT;
    f.subject = subject;
    f.amount_minor = 4900;
    f.currency = "USD";
    f.card_brand = "visa";
    f.last4 = "4242";
    f.billing_address = address;
    f.billing_state = "NY";
    return f;
}

static void new_payment(casevault_vault *v, char *id, const casevault_payment_fields *f) {
    char *json = NULL;
    CHECK_OK(casevault_payment_record(&json, v, f->subject, f));
    json_id(id, json, "pay_");
    casevault_free(json);
}

static void grant(casevault_vault *v, const char *subject, const char *purpose, const char *evidence) {
    casevault_consent_request r = CASEVAULT_CONSENT_REQUEST_INIT;
    r.subject = subject;
    r.purpose = purpose;
    r.evidence = evidence;
    CHECK_OK(casevault_consent_record(NULL, v, &r));
}

/* Polls every available notification, acknowledges them all, and returns
 * how many are of this kind for this subject (NULL: any subject). */
static int drain(casevault_vault *v, const char *kind, const char *subject) {
    char *json = NULL;
    char pattern[200];
    const char *p;
    int64_t ids[256];
    size_t n = 0;
    int found;
    if (subject)
        snprintf(pattern, sizeof pattern, "\"kind\":\"%s\",\"subject\":\"%s\"", kind, subject);
    else
        snprintf(pattern, sizeof pattern, "\"kind\":\"%s\"", kind);
    CHECK_OK(casevault_outbox_poll(&json, v, 256, 60));
    found = count_occurrences(json, pattern);
    for (p = json; p && n < 256 && (p = strstr(p, "{\"id\":")) != NULL;) {
        p += 6;
        ids[n++] = (int64_t)strtoll(p, NULL, 10);
    }
    if (n > 0) CHECK_OK(casevault_outbox_ack(NULL, v, ids, n));
    casevault_free(json);
    return found;
}

/* Acknowledges every available notification. */
static void drain_all(casevault_vault *v) { (void)drain(v, "", NULL); }

/* The number of disclosures a list returns. */
static int count_disclosures(casevault_vault *v, const char *subject) {
    char *json = NULL;
    int n;
    CHECK_OK(casevault_disclosure_list(&json, v, subject));
    n = count_occurrences(json, "\"id\":\"dsc_");
    casevault_free(json);
    return n;
}

/* The audit log as JSON (free()). */
static char *audit_log(casevault_vault *v) {
    casevault_audit_filter f = CASEVAULT_AUDIT_FILTER_INIT;
    char *json = NULL;
    f.limit = 100000;
    CHECK_OK(casevault_audit_read(&json, v, &f));
    return take(json);
}

/* A write callback that collects what it is given, or stops. */
typedef struct sink {
    char *data;
    size_t len, cap;
    int calls;
    int stop_at; /* 0: never; n: return non-zero on the n-th call */
} sink;

static int sink_write(void *ctx, const char *data, size_t size) {
    sink *s = (sink *)ctx;
    ++s->calls;
    if (s->stop_at != 0 && s->calls >= s->stop_at) return 1;
    if (s->len + size + 1 > s->cap) {
        size_t cap = (s->len + size + 1) * 2;
        char *nd = (char *)realloc(s->data, cap);
        CHECK(nd != NULL);
        s->data = nd;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, size);
    s->len += size;
    s->data[s->len] = '\0';
    return 0;
}

static void sink_free(sink *s) {
    free(s->data);
    s->data = NULL;
    s->len = s->cap = 0;
    s->calls = 0;
}

/* The export of a subject as a string (free()). */
static char *export_of(casevault_vault *v, const char *subject) {
    char *json = NULL;
    CHECK_OK(casevault_subject_export_json(&json, v, subject));
    return take(json);
}

/* Publishes examples/policies/case-parallels.json as metadata version
 * `version`, with an "aggregates" section {"min_count": k} when k > 0. */
static void publish_with_k(casevault_vault *v, int version, int k) {
    static const char *marker = "\"version\": 1,";
    char path[1024];
    char *text, *doc, *at, *brace;
    size_t head;
    snprintf(path, sizeof path, "%s/policies/case-parallels.json", CV_EXAMPLES_DIR);
    text = read_text(path);
    at = strstr(text, marker);
    brace = strchr(text, '{');
    CHECK(at != NULL && brace != NULL && brace < at);
    doc = (char *)malloc(strlen(text) + 128);
    CHECK(doc != NULL);
    head = (size_t)(brace + 1 - text);
    memcpy(doc, text, head);
    doc[head] = '\0';
    if (k > 0) sprintf(doc + strlen(doc), "\"aggregates\": {\"min_count\": %d},", k);
    strncat(doc, brace + 1, (size_t)(at - (brace + 1)));
    sprintf(doc + strlen(doc), "\"version\": %d,%s", version, at + strlen(marker));
    CHECK_OK(casevault_policy_publish(NULL, v, doc, NULL, NULL));
    free(doc);
    free(text);
}

/* Every "count":<n> in an aggregate document is null or at least k. */
static void check_no_count_below(const char *json, int64_t k) {
    const char *p = json;
    int numbers = 0;
    while ((p = strstr(p, "\"count\":")) != NULL) {
        p += strlen("\"count\":");
        if (strncmp(p, "null", 4) != 0) {
            char *end = NULL;
            long long n = strtoll(p, &end, 10);
            CHECK(end != p);
            if (n < k) fprintf(stderr, "a shown count %lld is below k=%lld\n", n, (long long)k);
            CHECK(n >= k);
            ++numbers;
        }
    }
    CHECK(numbers > 0 || CONTAINS(json, "\"count\":null"));
}

/* ---- constants and names ---------------------------------------------------- */

static void test_constants(void) {
    CHECK(CASEVAULT_EDISCLOSURE_REFUSED == -15);
    CHECK(strcmp(casevault_error_name(CASEVAULT_EDISCLOSURE_REFUSED), "disclosure_refused") == 0);
    CHECK(strcmp(casevault_error_name(CASEVAULT_EEXPIRED), "expired") == 0);
    CHECK(strcmp(casevault_error_name(-16), "unknown") == 0);

    CHECK(CASEVAULT_RECTIFY_ACCOUNT == 1);
    CHECK(CASEVAULT_RECTIFY_CASE_FILE == 2);
    CHECK(CASEVAULT_RECTIFY_CASE_STATUS == 3);
    CHECK(CASEVAULT_RECTIFY_DOCUMENT == 4);
    CHECK(CASEVAULT_RECTIFY_MESSAGE == 5);
    CHECK(CASEVAULT_RECTIFY_PAYMENT == 6);
    CHECK(strcmp(casevault_rectify_target_name(CASEVAULT_RECTIFY_ACCOUNT), "account") == 0);
    CHECK(strcmp(casevault_rectify_target_name(CASEVAULT_RECTIFY_CASE_FILE), "case") == 0);
    CHECK(strcmp(casevault_rectify_target_name(CASEVAULT_RECTIFY_CASE_STATUS), "case_status") == 0);
    CHECK(strcmp(casevault_rectify_target_name(CASEVAULT_RECTIFY_DOCUMENT), "document") == 0);
    CHECK(strcmp(casevault_rectify_target_name(CASEVAULT_RECTIFY_MESSAGE), "message") == 0);
    CHECK(strcmp(casevault_rectify_target_name(CASEVAULT_RECTIFY_PAYMENT), "payment") == 0);
    CHECK(strcmp(casevault_rectify_target_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_rectify_target_name(7), "unknown") == 0);

    CHECK(CASEVAULT_NOTICE_QUEUED == 1);
    CHECK(CASEVAULT_NOTICE_WITHHELD_PROHIBITED == 2);
    CHECK(CASEVAULT_NOTICE_WITHHELD_EMERGENCY == 3);
    CHECK(CASEVAULT_NOTICE_NOT_REQUIRED == 4);
    CHECK(strcmp(casevault_notice_state_name(CASEVAULT_NOTICE_QUEUED), "queued") == 0);
    CHECK(strcmp(casevault_notice_state_name(CASEVAULT_NOTICE_WITHHELD_PROHIBITED), "withheld_prohibited") == 0);
    CHECK(strcmp(casevault_notice_state_name(CASEVAULT_NOTICE_WITHHELD_EMERGENCY), "withheld_emergency") == 0);
    CHECK(strcmp(casevault_notice_state_name(CASEVAULT_NOTICE_NOT_REQUIRED), "not_required") == 0);
    CHECK(strcmp(casevault_notice_state_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_notice_state_name(5), "unknown") == 0);

    CHECK(CASEVAULT_TRANSFER_ACQUISITION == 1);
    CHECK(CASEVAULT_TRANSFER_MERGER == 2);
    CHECK(strcmp(casevault_transfer_kind_name(CASEVAULT_TRANSFER_ACQUISITION), "acquisition") == 0);
    CHECK(strcmp(casevault_transfer_kind_name(CASEVAULT_TRANSFER_MERGER), "merger") == 0);
    CHECK(strcmp(casevault_transfer_kind_name(0), "unknown") == 0);
    CHECK(strcmp(casevault_transfer_kind_name(3), "unknown") == 0);

    /* the name functions do not touch the last error */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_get(NULL, NULL, NULL));
    (void)casevault_notice_state_name(1);
    (void)casevault_transfer_kind_name(1);
    (void)casevault_rectify_target_name(1);
    CHECK(casevault_last_error_code() == CASEVAULT_EINVAL);
    /* after a plain EINVAL there is no rule */
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);
}

/* ---- options structs and their versions ----------------------------------------- */

static void test_options_structs(void) {
    casevault_rectification r = CASEVAULT_RECTIFICATION_INIT;
    casevault_disclosure_request d = CASEVAULT_DISCLOSURE_REQUEST_INIT;
    casevault_subprocessor_fields s = CASEVAULT_SUBPROCESSOR_FIELDS_INIT;
    casevault_transfer_announcement t = CASEVAULT_TRANSFER_ANNOUNCEMENT_INIT;
    casevault_aggregate_options a = CASEVAULT_AGGREGATE_OPTIONS_INIT;
    casevault_payment_fields p = CASEVAULT_PAYMENT_FIELDS_INIT;
    casevault_hold_request h = CASEVAULT_HOLD_REQUEST_INIT;

    CHECK(r.version == CASEVAULT_RECTIFICATION_VERSION && r.version == 1);
    CHECK(r.target == CASEVAULT_RECTIFY_ACCOUNT && r.id == NULL && r.field == NULL && r.value == NULL);
    CHECK(d.version == CASEVAULT_DISCLOSURE_REQUEST_VERSION && d.version == 1);
    CHECK(d.subject == NULL && d.recipient == NULL && d.recipient_name == NULL && d.purpose == NULL);
    CHECK(d.categories == NULL && d.category_count == 0 && d.fields == NULL && d.field_count == 0);
    CHECK(d.case_id == NULL && d.subprocessor == NULL && d.process_kind == NULL);
    CHECK(d.process_reference == NULL && d.process_justification == NULL);
    CHECK(d.nondisclosure == 0 && d.nondisclosure_reference == NULL && d.nondisclosure_until == 0);
    CHECK(d.hold_id == NULL && d.reference == NULL && d.at == 0);
    CHECK(s.version == CASEVAULT_SUBPROCESSOR_FIELDS_VERSION && s.version == 1);
    CHECK(s.name == NULL && s.purpose == NULL && s.categories == NULL && s.category_count == 0 && s.location == NULL);
    CHECK(t.version == CASEVAULT_TRANSFER_ANNOUNCEMENT_VERSION && t.version == 1);
    CHECK(t.kind == CASEVAULT_TRANSFER_ACQUISITION && t.counterparty == NULL && t.effective_at == 0);
    CHECK(t.progress == NULL && t.progress_ctx == NULL);
    CHECK(a.version == CASEVAULT_AGGREGATE_OPTIONS_VERSION && a.version == 1);
    CHECK(a.purpose == NULL && a.since == 0 && a.until == 0 && a.min_count == 0);
    /* the structs that grew: version 2, new fields at the end, zero by default */
    CHECK(CASEVAULT_PAYMENT_FIELDS_VERSION == 2);
    CHECK(p.version == 2 && p.recurring == 0 && p.billing_state == NULL && p.tax_exemption == NULL);
    CHECK(CASEVAULT_HOLD_REQUEST_VERSION == 2);
    CHECK(h.version == 2 && h.scope == CASEVAULT_HOLD_SCOPE_SUBJECT && h.placed_at == 0 && h.confidential == 0);
    /* appended, not inserted: the version-1 fields kept their places */
    CHECK(offsetof(casevault_payment_fields, billing_state) > offsetof(casevault_payment_fields, recurring));
    CHECK(offsetof(casevault_payment_fields, tax_exemption) > offsetof(casevault_payment_fields, billing_state));
    CHECK(offsetof(casevault_hold_request, confidential) > offsetof(casevault_hold_request, placed_at));
}

/* ---- the grown structs: old callers keep working ----------------------------------- */

static void test_grown_structs(void) {
    casevault_vault *v = open_store("acc_grown.db");
    char ana[ID_LEN], pay[ID_LEN];
    char *json = NULL;
    casevault_payment_fields p;
    casevault_hold_request h = CASEVAULT_HOLD_REQUEST_INIT;

    publish_with_k(v, 1, 0);
    new_account(v, ana, kAnaName, kAnaEmail, NULL);

    /* version 2: both new payment fields are stored and returned */
    p = payment(ana, kAnaAddress);
    p.tax_exemption = kAnaExemption;
    CHECK_OK(casevault_payment_record(&json, v, ana, &p));
    CHECK(has_str(json, "billing_state", "NY"));
    CHECK(has_str(json, "tax_exemption", kAnaExemption));
    /* appended after the keys version 1 had */
    CHECK(strstr(json, "\"recorded_at\":") < strstr(json, "\"billing_state\":"));
    json_id(pay, json, "pay_");
    casevault_free(json);
    CHECK_OK(casevault_payment_get(&json, v, ana, pay));
    CHECK(has_str(json, "billing_state", "NY"));
    CHECK(has_str(json, "tax_exemption", kAnaExemption));
    casevault_free(json);

    /* version 1: a caller compiled before the fields existed; whatever lies
     * past its struct is not read */
    p = payment(ana, NULL);
    p.version = 1;
    p.billing_state = "not read";
    p.tax_exemption = "not read";
    CHECK_OK(casevault_payment_record(&json, v, ana, &p));
    CHECK(has_null(json, "billing_state"));
    CHECK(has_null(json, "tax_exemption"));
    CHECK(has_null(json, "billing_address"));
    casevault_free(json);

    /* versions 0 and 3 are refused */
    p = payment(ana, NULL);
    p.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &p));
    NAMES("version");
    p.version = CASEVAULT_PAYMENT_FIELDS_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_payment_record(&json, v, ana, &p));
    NAMES("version");
    CHECK(json == NULL);

    /* holds: confidential is returned; a version-1 request is never confidential */
    h.target = ana;
    h.authority = "sca_2703f";
    h.reference = kLegalRef;
    h.confidential = 1;
    CHECK_OK(casevault_hold_place(&json, v, &h));
    CHECK(CONTAINS(json, "\"confidential\":true"));
    CHECK(strstr(json, "\"ended_at\":") < strstr(json, "\"confidential\":"));
    casevault_free(json);
    h.version = 1;
    CHECK_OK(casevault_hold_place(&json, v, &h));
    CHECK(CONTAINS(json, "\"confidential\":false"));
    casevault_free(json);
    h.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &h));
    h.version = CASEVAULT_HOLD_REQUEST_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_hold_place(&json, v, &h));
    NAMES("version");
    CHECK(json == NULL);

    casevault_close(v);
}

/* ---- export ------------------------------------------------------------------------ */

/* Ana and Bob with one record of every kind each. */
typedef struct people {
    char ana[ID_LEN], bob[ID_LEN];
    char ana_case[ID_LEN], ana_doc[ID_LEN], ana_msg[ID_LEN], ana_pay[ID_LEN];
    char bob_case[ID_LEN], bob_msg[ID_LEN], bob_pay[ID_LEN];
} people;

static void add_document(casevault_vault *v, char *id, const char *subject, const char *case_id, const char *name) {
    casevault_document_fields f = CASEVAULT_DOCUMENT_FIELDS_INIT;
    char *json = NULL;
    f.name = name;
    f.kind = "passport";
    f.size = 1234;
    f.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    CHECK_OK(casevault_case_add_document(&json, v, subject, case_id, &f));
    json_id(id, json, "doc_");
    casevault_free(json);
}

static void add_status(casevault_vault *v, const char *subject, const char *case_id, const char *detail) {
    casevault_case_status s = CASEVAULT_CASE_STATUS_INIT;
    s.status = "received";
    s.source = "uscis";
    s.detail = detail;
    CHECK_OK(casevault_case_add_status(NULL, v, subject, case_id, &s));
}

static void populate(casevault_vault *v, people *w) {
    casevault_case_fields cf = CASEVAULT_CASE_FIELDS_INIT;
    casevault_payment_fields p;
    char question[128];

    new_account(v, w->ana, kAnaName, kAnaEmail, "+1 332 555 0101");
    new_account(v, w->bob, kBobName, kBobEmail, NULL);
    grant(v, w->ana, "terms", NULL); /* case_status_retrieval depends on it */
    grant(v, w->ana, "surveys", kAnaEvidence);
    grant(v, w->bob, "surveys", "BobEvidenceCanary");

    new_case(v, w->ana_case, w->ana, kAnaReceipt, "I-130");
    snprintf(question, sizeof question, "{\"note\":\"%s\"}", kAnaQuestion);
    cf.questionnaire = question;
    CHECK_OK(casevault_case_update(NULL, v, w->ana, w->ana_case, &cf));
    add_status(v, w->ana, w->ana_case, kAnaStatusDetail);
    add_document(v, w->ana_doc, w->ana, w->ana_case, kAnaDocument);
    new_message(v, w->ana_msg, w->ana, kAnaBody);
    p = payment(w->ana, kAnaAddress);
    p.tax_exemption = kAnaExemption;
    new_payment(v, w->ana_pay, &p);

    new_case(v, w->bob_case, w->bob, kBobReceipt, "N-400");
    add_status(v, w->bob, w->bob_case, "BobStatusDetailCanary");
    new_message(v, w->bob_msg, w->bob, kBobBody);
    p = payment(w->bob, kBobAddress);
    new_payment(v, w->bob_pay, &p);
}

/* Ana's export holds all of hers and nothing of Bob's. */
static void check_ana_export(const char *doc, const people *w) {
    CHECK(doc[0] == '{');
    CHECK(doc[strlen(doc) - 1] == '}');
    CHECK(has_str(doc, "format", "casevault-export/1"));
    CHECK(has_str(doc, "subject", w->ana));
    CHECK(has_int(doc, "policy_version", 1));
    CHECK(CONTAINS(doc, "\"generated_at\":"));
    /* every section of the contract */
    CHECK(CONTAINS(doc, "\"account\":{"));
    CHECK(CONTAINS(doc, "\"consents\":{"));
    CHECK(CONTAINS(doc, "\"history\":["));
    CHECK(CONTAINS(doc, "\"receipts\":"));
    CHECK(CONTAINS(doc, "\"subscriptions\":["));
    CHECK(CONTAINS(doc, "\"cases\":["));
    CHECK(CONTAINS(doc, "\"status_history\":["));
    CHECK(CONTAINS(doc, "\"documents\":["));
    CHECK(CONTAINS(doc, "\"correspondence\":["));
    CHECK(CONTAINS(doc, "\"billing\":["));
    CHECK(CONTAINS(doc, "\"posts\":["));
    CHECK(CONTAINS(doc, "\"disclosures\":["));
    CHECK(CONTAINS(doc, "\"holds\":["));
    CHECK(CONTAINS(doc, "\"requests\":["));
    CHECK(CONTAINS(doc, "\"deletion_receipts\":["));
    CHECK(CONTAINS(doc, "\"audit\":["));
    /* Ana's records, by id and by content */
    CHECK(CONTAINS(doc, kAnaName));
    CHECK(CONTAINS(doc, kAnaEmail));
    CHECK(CONTAINS(doc, kAnaEvidence));
    CHECK(CONTAINS(doc, "\"surveys\""));
    CHECK(CONTAINS(doc, w->ana_case));
    CHECK(CONTAINS(doc, kAnaReceipt));
    CHECK(CONTAINS(doc, kAnaQuestion));
    CHECK(CONTAINS(doc, kAnaStatusDetail));
    CHECK(CONTAINS(doc, w->ana_doc));
    CHECK(CONTAINS(doc, kAnaDocument));
    CHECK(CONTAINS(doc, w->ana_msg));
    CHECK(CONTAINS(doc, "AnaMessageBodyCanary"));
    CHECK(CONTAINS(doc, w->ana_pay));
    CHECK(CONTAINS(doc, kAnaAddress));
    CHECK(CONTAINS(doc, kAnaExemption));
    /* nothing of Bob's */
    CHECK(!CONTAINS(doc, w->bob));
    CHECK(!CONTAINS(doc, kBobName));
    CHECK(!CONTAINS(doc, kBobEmail));
    CHECK(!CONTAINS(doc, "BobEvidenceCanary"));
    CHECK(!CONTAINS(doc, w->bob_case));
    CHECK(!CONTAINS(doc, kBobReceipt));
    CHECK(!CONTAINS(doc, "BobStatusDetailCanary"));
    CHECK(!CONTAINS(doc, w->bob_msg));
    CHECK(!CONTAINS(doc, kBobBody));
    CHECK(!CONTAINS(doc, w->bob_pay));
    CHECK(!CONTAINS(doc, kBobAddress));
}

static void test_export(void) {
    casevault_vault *v = open_store("acc_export.db");
    people w;
    char *doc, *log, *json = NULL;
    char hold_open[ID_LEN], hold_secret[ID_LEN];
    sink s;
    casevault_hold_request h = CASEVAULT_HOLD_REQUEST_INIT;

    publish_with_k(v, 1, 0);
    populate(v, &w);

    /* an open hold and a confidential one on Ana */
    h.target = w.ana;
    h.authority = "sca_2703f";
    h.reference = kLegalRef;
    CHECK_OK(casevault_hold_place(&json, v, &h));
    json_id(hold_open, json, "hld_");
    casevault_free(json);
    h.confidential = 1;
    CHECK_OK(casevault_hold_place(&json, v, &h));
    json_id(hold_secret, json, "hld_");
    casevault_free(json);

    /* as one string */
    doc = export_of(v, w.ana);
    check_ana_export(doc, &w);
    CHECK(CONTAINS(doc, hold_open));
    CHECK(!CONTAINS(doc, hold_secret)); /* the law forbids telling */
    free(doc);

    /* streamed: the same content, in pieces */
    memset(&s, 0, sizeof s);
    CHECK_OK(casevault_subject_export(v, w.ana, sink_write, &s));
    CHECK(s.calls >= 1);
    CHECK(s.data != NULL && s.len == strlen(s.data));
    check_ana_export(s.data, &w);
    CHECK(!CONTAINS(s.data, hold_secret));
    sink_free(&s);

    /* Bob's export mirrors it */
    doc = export_of(v, w.bob);
    CHECK(has_str(doc, "subject", w.bob));
    CHECK(CONTAINS(doc, kBobBody));
    CHECK(!CONTAINS(doc, w.ana));
    CHECK(!CONTAINS(doc, kAnaName));
    CHECK(!CONTAINS(doc, "AnaMessageBodyCanary"));
    CHECK(!CONTAINS(doc, hold_open));
    free(doc);

    /* a callback that stops: cancelled, at the piece it refused */
    memset(&s, 0, sizeof s);
    s.stop_at = 1;
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_subject_export(v, w.ana, sink_write, &s));
    CHECK(s.calls == 1);
    CHECK(s.len == 0);
    sink_free(&s);

    /* a long history comes in several pieces, which together are the document */
    {
        char carla[ID_LEN], msg[ID_LEN], first_msg[ID_LEN];
        char *body = (char *)malloc(4001);
        int i;
        size_t first_piece;
        CHECK(body != NULL);
        memset(body, 'x', 4000);
        body[4000] = '\0';
        memcpy(body, "CarlaCanary ", 12);
        new_account(v, carla, "Carla Diaz", "carla@example.com", NULL);
        for (i = 0; i < 40; ++i) {
            new_message(v, msg, carla, body);
            if (i == 0) strcpy(first_msg, msg);
        }
        free(body);
        memset(&s, 0, sizeof s);
        CHECK_OK(casevault_subject_export(v, carla, sink_write, &s));
        CHECK(s.calls >= 2);
        CHECK(s.len > 40 * 4000);
        CHECK(s.data[0] == '{' && s.data[s.len - 1] == '}');
        CHECK(count_occurrences(s.data, "CarlaCanary") == 40);
        CHECK(CONTAINS(s.data, first_msg) && CONTAINS(s.data, msg));
        CHECK(CONTAINS(s.data, "\"audit\":["));
        CHECK(!CONTAINS(s.data, w.ana));
        sink_free(&s);
        /* stopping at the second piece: cancelled there, the first piece delivered */
        memset(&s, 0, sizeof s);
        s.stop_at = 2;
        CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_subject_export(v, carla, sink_write, &s));
        CHECK(s.calls == 2);
        first_piece = s.len;
        CHECK(first_piece > 0 && first_piece < 40 * 4000);
        CHECK(strncmp(s.data, "{\"format\":\"casevault-export/1\"", 30) == 0);
        sink_free(&s);
    }

    /* each export is audited, with the subject and without its content */
    log = audit_log(v);
    CHECK(count_occurrences(log, "\"action\":\"subject.export\"") >= 4);
    CHECK(!CONTAINS(log, "CarlaCanary"));
    CHECK(!CONTAINS(log, kAnaName));
    CHECK(!CONTAINS(log, "AnaMessageBodyCanary"));
    CHECK(!CONTAINS(log, kAnaAddress));
    free(log);

    /* the audit entries about Ana are in her export */
    doc = export_of(v, w.ana);
    CHECK(CONTAINS(doc, "subject.export"));
    free(doc);

    /* unknown and malformed subjects */
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subject_export_json(&json, v, kUnknownAccount));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export_json(&json, v, "not an id"));
    CHECK(json == NULL);
    memset(&s, 0, sizeof s);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subject_export(v, kUnknownAccount, sink_write, &s));
    sink_free(&s);

    casevault_close(v);
}

/* ---- rectification -------------------------------------------------------------- */

/* The seq of the first status step in the subject's export (the id a
 * CASE_STATUS rectification takes), as text. */
static void first_status_seq(casevault_vault *v, const char *subject, char *out, size_t out_size) {
    char *doc = export_of(v, subject);
    const char *h = strstr(doc, "\"status_history\":[");
    const char *p;
    char *end = NULL;
    long long seq;
    CHECK(h != NULL);
    p = strstr(h, "\"seq\":");
    CHECK(p != NULL);
    p += strlen("\"seq\":");
    seq = strtoll(p, &end, 10);
    CHECK(end != p && seq > 0);
    snprintf(out, out_size, "%lld", seq);
    free(doc);
}

static casevault_rectification change(int target, const char *id, const char *field, const char *value) {
    casevault_rectification c = CASEVAULT_RECTIFICATION_INIT;
    c.target = target;
    c.id = id;
    c.field = field;
    c.value = value;
    return c;
}

/* Rectifies and checks the result names what was changed. */
static void rectify_ok(casevault_vault *v, const char *subject, int target, const char *id, const char *field,
                       const char *value) {
    casevault_rectification c = change(target, id, field, value);
    char *json = NULL;
    CHECK_OK(casevault_subject_rectify(&json, v, subject, &c));
    CHECK(has_str(json, "target", casevault_rectify_target_name(target)));
    CHECK(has_str(json, "id", id));
    CHECK(has_str(json, "field", field));
    CHECK(has_int(json, "at", g_now));
    if (strlen(value) > 8) CHECK(!CONTAINS(json, value)); /* the result does not echo the value */
    casevault_free(json);
}

static void test_rectify(void) {
    casevault_vault *v = open_store("acc_rectify.db");
    people w;
    char seq[32];
    char *json = NULL, *doc, *log;
    casevault_rectification c, batch[2];

    publish_with_k(v, 1, 0);
    populate(v, &w);
    g_now = kStart + DAY;

    /* account */
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_ACCOUNT, w.ana, "email", "ana.corrected@example.com");
    CHECK_OK(casevault_account_get(&json, v, w.ana));
    CHECK(has_str(json, "email", "ana.corrected@example.com"));
    casevault_free(json);
    CHECK_OK(casevault_account_find_by_email(&json, v, kAnaEmail));
    CHECK(json == NULL); /* the blind index followed */
    CHECK_OK(casevault_account_find_by_email(&json, v, "ana.corrected@example.com"));
    CHECK(has_str(json, "id", w.ana));
    casevault_free(json);
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_ACCOUNT, w.ana, "name", "Ana Souza Corrected");

    /* case file */
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_CASE_FILE, w.ana_case, "receipt_number", "EAC2190054321");
    CHECK_OK(casevault_case_get(&json, v, w.ana, w.ana_case));
    CHECK(has_str(json, "receipt_number", "EAC2190054321"));
    casevault_free(json);
    CHECK_OK(casevault_case_find_by_receipt(&json, v, w.ana, kAnaReceipt));
    CHECK(json == NULL);

    /* case status: the step's seq */
    first_status_seq(v, w.ana, seq, sizeof seq);
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_CASE_STATUS, seq, "detail", "StatusDetailCorrected");
    CHECK_OK(casevault_case_history(&json, v, w.ana, w.ana_case));
    CHECK(has_str(json, "detail", "StatusDetailCorrected"));
    CHECK(!CONTAINS(json, kAnaStatusDetail));
    casevault_free(json);

    /* document */
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_DOCUMENT, w.ana_doc, "name", "passport-corrected.pdf");
    CHECK_OK(casevault_case_documents(&json, v, w.ana, w.ana_case));
    CHECK(has_str(json, "name", "passport-corrected.pdf"));
    CHECK(!CONTAINS(json, kAnaDocument));
    casevault_free(json);

    /* message */
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_MESSAGE, w.ana_msg, "body", "BodyCorrected");
    CHECK_OK(casevault_message_get(&json, v, w.ana, w.ana_msg));
    CHECK(has_str(json, "body", "BodyCorrected"));
    casevault_free(json);

    /* payment: the new fields too */
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_PAYMENT, w.ana_pay, "billing_address", "1 Corrected Ave");
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_PAYMENT, w.ana_pay, "tax_exemption", "EXEMPT-CORRECTED");
    rectify_ok(v, w.ana, CASEVAULT_RECTIFY_PAYMENT, w.ana_pay, "billing_state", "NJ");
    CHECK_OK(casevault_payment_get(&json, v, w.ana, w.ana_pay));
    CHECK(has_str(json, "billing_address", "1 Corrected Ave"));
    CHECK(has_str(json, "tax_exemption", "EXEMPT-CORRECTED"));
    CHECK(has_str(json, "billing_state", "NJ"));
    casevault_free(json);

    /* the old values are gone from the export; the audit log names fields, not values */
    doc = export_of(v, w.ana);
    CHECK(!CONTAINS(doc, kAnaEmail));
    CHECK(!CONTAINS(doc, kAnaName));
    CHECK(!CONTAINS(doc, kAnaReceipt));
    CHECK(!CONTAINS(doc, kAnaStatusDetail));
    CHECK(!CONTAINS(doc, kAnaDocument));
    CHECK(!CONTAINS(doc, "AnaMessageBodyCanary"));
    CHECK(!CONTAINS(doc, kAnaAddress));
    CHECK(!CONTAINS(doc, kAnaExemption));
    CHECK(CONTAINS(doc, "BodyCorrected"));
    free(doc);
    log = audit_log(v);
    CHECK(count_occurrences(log, "\"action\":\"subject.rectify\"") == 9);
    CHECK(!CONTAINS(log, "ana.corrected@example.com"));
    CHECK(!CONTAINS(log, "BodyCorrected"));
    CHECK(!CONTAINS(log, "1 Corrected Ave"));
    CHECK(!CONTAINS(log, kAnaEmail));
    free(log);

    /* bad input: nothing changes */
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "favourite_colour", "blue");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    CHECK(json == NULL);
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "email", "not an email");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "email", kBobEmail); /* Bob's */
    CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_subject_rectify(&json, v, w.ana, &c));
    c = change(CASEVAULT_RECTIFY_MESSAGE, w.bob_msg, "body", "hijack"); /* not Ana's */
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subject_rectify(&json, v, w.ana, &c));
    c = change(CASEVAULT_RECTIFY_PAYMENT, "pay_000000000000000000000000", "billing_address", "x");
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subject_rectify(&json, v, w.ana, &c));
    c = change(CASEVAULT_RECTIFY_CASE_FILE, w.ana_case, "receipt_number", "not a receipt");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    c = change(CASEVAULT_RECTIFY_CASE_FILE, w.ana_case, "receipt_number", kBobReceipt);
    CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_subject_rectify(&json, v, w.ana, &c));
    c = change(0, w.ana, "email", "a@example.com");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("target");
    c = change(7, w.ana, "email", "a@example.com");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("target");
    c = change(CASEVAULT_RECTIFY_ACCOUNT, NULL, "email", "a@example.com");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("id");
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, NULL, "a@example.com");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("field");
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "email", NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("value");
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "email", "a@example.com");
    c.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("version");
    c.version = CASEVAULT_RECTIFICATION_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, w.ana, &c));
    NAMES("version");
    c = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "email", "a@example.com");
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subject_rectify(&json, v, kUnknownAccount, &c));
    CHECK(json == NULL);
    CHECK_OK(casevault_account_get(&json, v, w.ana));
    CHECK(has_str(json, "email", "ana.corrected@example.com"));
    casevault_free(json);

    /* a batch: all or nothing */
    batch[0] = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "company", "Acme Corrected");
    batch[1] = change(CASEVAULT_RECTIFY_MESSAGE, w.ana_msg, "subject_line", "Corrected subject");
    CHECK_OK(casevault_subject_rectify_many(&json, v, w.ana, batch, 2));
    CHECK(json[0] == '[');
    CHECK(count_occurrences(json, "\"target\":") == 2);
    CHECK(strstr(json, "\"field\":\"company\"") < strstr(json, "\"field\":\"subject_line\""));
    casevault_free(json);
    CHECK_OK(casevault_message_get(&json, v, w.ana, w.ana_msg));
    CHECK(has_str(json, "subject_line", "Corrected subject"));
    casevault_free(json);
    batch[0] = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "company", "Never Stored Inc");
    batch[1] = change(CASEVAULT_RECTIFY_ACCOUNT, w.ana, "no_such_field", "x");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify_many(&json, v, w.ana, batch, 2));
    CHECK(json == NULL);
    CHECK_OK(casevault_account_get(&json, v, w.ana));
    CHECK(has_str(json, "company", "Acme Corrected"));
    CHECK(!CONTAINS(json, "Never Stored Inc"));
    casevault_free(json);
    batch[1] = change(9, w.ana, "company", "x"); /* a bad element is named by its index */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify_many(&json, v, w.ana, batch, 2));
    NAMES("changes[1]");
    CHECK_OK(casevault_subject_rectify_many(&json, v, w.ana, NULL, 0));
    CHECK(json != NULL && strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_subject_rectify_many(NULL, v, w.ana, batch, 1)); /* out_json may be NULL */

    casevault_close(v);
}

/* ---- erasure ------------------------------------------------------------------ */

static void test_erase(void) {
    casevault_vault *v = open_store("acc_erase.db");
    people w;
    char *json = NULL, *ref = NULL, *receipts = NULL;
    char request_id[ID_LEN], subject_ref[256];
    casevault_sweep_options so = CASEVAULT_SWEEP_OPTIONS_INIT;

    publish_with_k(v, 1, 0);
    populate(v, &w);

    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_erase(&json, v, w.ana, "carrier pigeon"));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subject_erase(&json, v, kUnknownAccount, NULL));

    CHECK_OK(casevault_subject_erase(&json, v, w.ana, NULL));
    CHECK(CONTAINS(json, "\"request\":{\"id\":\"era_"));
    CHECK(json_string_value(strstr(json, "\"request\":"), "id", request_id, sizeof request_id));
    CHECK(has_str(json, "subject", w.ana));
    CHECK(has_str(json, "kind", "delete"));
    CHECK(has_str(json, "channel", "web"));
    CHECK(has_str(json, "state", "pending"));
    CHECK(json_string_value(json, "subject_ref", subject_ref, sizeof subject_ref));
    CHECK_OK(casevault_retention_subject_ref(&ref, v, w.ana));
    CHECK(strcmp(ref, subject_ref) == 0);
    casevault_free(ref);
    casevault_free(json);

    /* the retention engine carries it out */
    CHECK_OK(casevault_request_get(&json, v, request_id));
    CHECK(has_str(json, "state", "pending"));
    casevault_free(json);
    CHECK_OK(casevault_retention_sweep(NULL, v, &so));
    CHECK_OK(casevault_retention_receipts(&receipts, v, NULL, 0));
    CHECK(has_str(receipts, "subject_ref", subject_ref));
    casevault_free(receipts);
    CHECK_OK(casevault_request_get(&json, v, request_id));
    CHECK(has_str(json, "state", "done"));
    casevault_free(json);
    /* Bob is untouched */
    CHECK_OK(casevault_account_get(&json, v, w.bob));
    CHECK(has_str(json, "status", "active"));
    casevault_free(json);

    casevault_close(v);
}

/* ---- disclosures ----------------------------------------------------------------- */

static const char *kLegalCategories[] = {"identity", "contact"};
static const char *kReceiptCategory[] = {"receipt_numbers"};
static const char *kBillingCategory[] = {"billing"};
static const char *kTaxFields[] = {"billing_address", "tax_exemption"};
static const char *kCardField[] = {"last4"};
static const char *kContactCategory[] = {"contact"};

static casevault_disclosure_request police(const char *subject) {
    casevault_disclosure_request r = CASEVAULT_DISCLOSURE_REQUEST_INIT;
    r.subject = subject;
    r.recipient = "law_enforcement";
    r.recipient_name = "NYPD 19th Precinct";
    r.categories = kLegalCategories;
    r.category_count = 2;
    return r;
}

/* A refused disclosure: the code, the reason, and nothing recorded. */
static void refused(casevault_vault *v, const casevault_disclosure_request *r, const char *reason) {
    char *json = NULL;
    int before = count_disclosures(v, NULL);
    CHECK_FAILS(CASEVAULT_EDISCLOSURE_REFUSED, casevault_disclosure_record(&json, v, r));
    CHECK(json == NULL);
    if (strcmp(casevault_last_error_rule(), reason) != 0)
        fprintf(stderr, "refused with reason '%s', expected '%s'\n", casevault_last_error_rule(), reason);
    CHECK(strcmp(casevault_last_error_rule(), reason) == 0);
    CHECK(strcmp(casevault_error_name(casevault_last_error_code()), "disclosure_refused") == 0);
    CHECK(count_disclosures(v, NULL) == before);
}

static void test_disclosures(void) {
    casevault_vault *v = open_store("acc_disclosures.db");
    people w;
    char *json = NULL, *doc, *log;
    char dsc_case[ID_LEN], dsc_warrant[ID_LEN], dsc_gag[ID_LEN], dsc_gag_open[ID_LEN], dsc_emergency[ID_LEN],
        dsc_tax[ID_LEN];
    casevault_disclosure_request r;
    sink s;

    publish_with_k(v, 1, 0);
    populate(v, &w);
    drain_all(v); /* start with an empty outbox */
    g_now = kStart + 10 * DAY;

    /* a filing on Ana's behalf: allowed by case-status-agencies */
    r = police(w.ana);
    r.recipient = "uscis";
    r.recipient_name = NULL;
    r.purpose = "case_status_retrieval";
    r.categories = kReceiptCategory;
    r.category_count = 1;
    r.case_id = w.ana_case;
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    json_id(dsc_case, json, "dsc_");
    CHECK(has_str(json, "subject", w.ana));
    CHECK(has_str(json, "recipient", "uscis"));
    CHECK(has_null(json, "recipient_name"));
    CHECK(has_str(json, "rule", "case-status-agencies"));
    CHECK(has_str(json, "kind", "on_behalf"));
    CHECK(has_str(json, "purpose", "case_status_retrieval"));
    CHECK(CONTAINS(json, "\"categories\":[\"receipt_numbers\"]"));
    CHECK(has_str(json, "case_id", w.ana_case));
    CHECK(has_null(json, "process"));
    CHECK(has_int(json, "at", g_now));
    CHECK(has_int(json, "nondisclosure_until", 0));
    CHECK(has_int(json, "lifted_at", 0));
    casevault_free(json);
    drain_all(v); /* whatever that rule says about notices */
    /* ... but not beyond its categories */
    r.categories = kLegalCategories;
    r.category_count = 2;
    refused(v, &r, "categories_not_allowed");

    /* a police request without legal process: refused, with the reason, and audited */
    r = police(w.ana);
    refused(v, &r, "legal_process_required");
    log = audit_log(v);
    CHECK(CONTAINS(log, "legal_process_required"));
    CHECK(!CONTAINS(log, "NYPD 19th Precinct"));
    free(log);
    /* a process the rule does not accept */
    r.process_kind = "civil_subpoena";
    r.process_reference = kLegalRef;
    refused(v, &r, "process_not_accepted");
    /* a later success clears the reason */
    CHECK_OK(casevault_disclosure_get(&json, v, dsc_case));
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);
    CHECK(casevault_last_error_code() == CASEVAULT_OK);
    casevault_free(json);

    /* with a warrant: allowed, and Ana is told at once */
    r.process_kind = "warrant";
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    json_id(dsc_warrant, json, "dsc_");
    CHECK(has_str(json, "rule", "us-legal-process"));
    CHECK(has_str(json, "kind", "legal_process"));
    CHECK(has_str(json, "recipient_name", "NYPD 19th Precinct"));
    CHECK(CONTAINS(json, "\"process\":{\"kind\":\"warrant\""));
    CHECK(has_str(json, "reference", kLegalRef));
    CHECK(has_str(json, "notice", "queued"));
    CHECK(has_int(json, "notice_at", g_now));
    casevault_free(json);
    CHECK(drain(v, "disclosure_notice", w.ana) == 1);

    /* a gag order until a date: no notice now, and the record says why */
    r.nondisclosure = 1;
    r.nondisclosure_reference = kGagRef;
    r.nondisclosure_until = g_now + 90 * DAY;
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    json_id(dsc_gag, json, "dsc_");
    CHECK(has_str(json, "notice", "withheld_prohibited"));
    CHECK(has_int(json, "nondisclosure_until", g_now + 90 * DAY));
    CHECK(!CONTAINS(json, kGagRef)); /* the order's reference is not returned */
    casevault_free(json);
    CHECK(drain(v, "disclosure_notice", NULL) == 0);
    /* an order until lifted */
    r.nondisclosure_until = 0;
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    json_id(dsc_gag_open, json, "dsc_");
    CHECK(has_str(json, "notice", "withheld_prohibited"));
    CHECK(has_int(json, "nondisclosure_until", -1));
    CHECK(has_int(json, "notice_at", 0));
    casevault_free(json);
    CHECK(drain(v, "disclosure_notice", NULL) == 0);

    /* gagged disclosures are not in Ana's export; the others are */
    doc = export_of(v, w.ana);
    CHECK(CONTAINS(doc, dsc_case));
    CHECK(CONTAINS(doc, dsc_warrant));
    CHECK(!CONTAINS(doc, dsc_gag));
    CHECK(!CONTAINS(doc, dsc_gag_open));
    CHECK(!CONTAINS(doc, kGagRef));
    free(doc);

    /* lifting the order queues the notice now */
    g_now += DAY;
    CHECK_OK(casevault_disclosure_lift(&json, v, dsc_gag_open));
    CHECK(has_str(json, "id", dsc_gag_open));
    CHECK(has_int(json, "lifted_at", g_now));
    CHECK(has_int(json, "notice_at", g_now));
    casevault_free(json);
    CHECK(drain(v, "disclosure_notice", w.ana) == 1);
    doc = export_of(v, w.ana);
    CHECK(CONTAINS(doc, dsc_gag_open));
    CHECK(!CONTAINS(doc, dsc_gag));
    free(doc);
    CHECK_OK(casevault_disclosure_lift(NULL, v, dsc_gag)); /* out_json may be NULL */
    CHECK(drain(v, "disclosure_notice", w.ana) == 1);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_disclosure_lift(&json, v, kUnknownDisclosure));
    CHECK(json == NULL);

    /* an emergency needs its justification, and then goes untold */
    r = police(w.ana);
    r.process_kind = "emergency";
    r.process_reference = kLegalRef;
    refused(v, &r, "justification_required");
    r.process_justification = "imminent danger to life";
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    json_id(dsc_emergency, json, "dsc_");
    CHECK(has_str(json, "notice", "withheld_emergency"));
    CHECK(has_str(json, "justification", "imminent danger to life"));
    casevault_free(json);
    CHECK(drain(v, "disclosure_notice", NULL) == 0);

    /* the tax authority gets only the fields the rule names */
    r = police(w.ana);
    r.recipient = "tax_authority";
    r.recipient_name = NULL;
    r.purpose = "tax_records";
    r.categories = kBillingCategory;
    r.category_count = 1;
    r.fields = kCardField;
    r.field_count = 1;
    refused(v, &r, "fields_not_allowed");
    r.fields = NULL;
    r.field_count = 0;
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    json_id(dsc_tax, json, "dsc_");
    CHECK(has_str(json, "rule", "tax-audit"));
    CHECK(has_str(json, "kind", "legal_obligation"));
    CHECK(has_str(json, "legal_basis", "legal_obligation"));
    CHECK(CONTAINS(json, "\"fields\":[\"billing_address\",\"tax_exemption\"]"));
    casevault_free(json);
    r.fields = kTaxFields;
    r.field_count = 2;
    CHECK_OK(casevault_disclosure_record(&json, v, &r)); /* naming them is the same */
    CHECK(CONTAINS(json, "\"fields\":[\"billing_address\",\"tax_exemption\"]"));
    casevault_free(json);
    CHECK_OK(casevault_disclosure_package_json(&json, v, dsc_tax));
    CHECK(CONTAINS(json, kAnaAddress));
    CHECK(CONTAINS(json, kAnaExemption));
    CHECK(CONTAINS(json, "\"billing\":["));
    CHECK(!CONTAINS(json, "4242"));            /* last4: not a named field */
    CHECK(!CONTAINS(json, kAnaEmail));          /* nor another category */
    CHECK(!CONTAINS(json, "AnaMessageBodyCanary"));
    CHECK(!CONTAINS(json, kAnaReceipt));
    CHECK(!CONTAINS(json, kBobAddress));        /* nor anyone else */
    casevault_free(json);
    /* streamed, and stopped */
    memset(&s, 0, sizeof s);
    CHECK_OK(casevault_disclosure_package(v, dsc_tax, sink_write, &s));
    CHECK(s.calls >= 1 && CONTAINS(s.data, kAnaExemption) && !CONTAINS(s.data, kAnaEmail));
    sink_free(&s);
    memset(&s, 0, sizeof s);
    s.stop_at = 1;
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_disclosure_package(v, dsc_tax, sink_write, &s));
    CHECK(s.calls == 1);
    sink_free(&s);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_disclosure_package_json(&json, v, kUnknownDisclosure));
    CHECK(json == NULL);
    log = audit_log(v);
    CHECK(CONTAINS(log, "\"action\":\"disclosure.package\""));
    CHECK(!CONTAINS(log, kAnaExemption));
    CHECK(!CONTAINS(log, kLegalRef));
    CHECK(!CONTAINS(log, "imminent danger to life"));
    free(log);

    /* get and list */
    CHECK_OK(casevault_disclosure_get(&json, v, dsc_emergency));
    CHECK(has_str(json, "id", dsc_emergency));
    CHECK(has_str(json, "notice", "withheld_emergency"));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_disclosure_get(&json, v, kUnknownDisclosure));
    CHECK(json == NULL);
    CHECK(count_disclosures(v, w.ana) == 7);
    CHECK(count_disclosures(v, w.bob) == 0);
    CHECK(count_disclosures(v, NULL) == 7);

    /* malformed requests */
    r = police(w.ana);
    r.categories = NULL;
    r.category_count = 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
    NAMES("categories");
    {
        const char *with_null[] = {"identity", NULL};
        r.categories = with_null;
        r.category_count = 2;
        CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
        NAMES("categories[1]");
    }
    r = police(w.ana);
    r.fields = NULL;
    r.field_count = 3;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
    NAMES("fields");
    r = police(w.ana);
    r.subject = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
    NAMES("subject");
    r = police(w.ana);
    r.recipient = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
    NAMES("recipient");
    r = police(w.ana);
    r.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
    NAMES("version");
    r.version = CASEVAULT_DISCLOSURE_REQUEST_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, &r));
    NAMES("version");
    r = police(kUnknownAccount);
    r.process_kind = "warrant";
    r.process_reference = kLegalRef;
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_disclosure_record(&json, v, &r));
    CHECK(strcmp(casevault_last_error_rule(), "") == 0);
    CHECK(json == NULL);
    CHECK(count_disclosures(v, NULL) == 7);

    casevault_close(v);
}

/* ---- subprocessors ------------------------------------------------------------- */

static void test_subprocessors(void) {
    casevault_vault *v = open_store("acc_subprocessors.db");
    people w;
    char *json = NULL;
    casevault_subprocessor_fields f = CASEVAULT_SUBPROCESSOR_FIELDS_INIT;
    casevault_disclosure_request r = CASEVAULT_DISCLOSURE_REQUEST_INIT;

    publish_with_k(v, 1, 0);
    populate(v, &w);

    f.name = "Acme Mail";
    f.purpose = "service_updates";
    f.categories = kContactCategory;
    f.category_count = 1;
    f.location = "US";
    CHECK_OK(casevault_subprocessor_add(&json, v, &f));
    CHECK(has_str(json, "name", "Acme Mail"));
    CHECK(has_str(json, "purpose", "service_updates"));
    CHECK(CONTAINS(json, "\"categories\":[\"contact\"]"));
    CHECK(has_str(json, "location", "US"));
    CHECK(has_int(json, "added_at", g_now));
    CHECK(has_int(json, "retired_at", 0));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_EDUPLICATE, casevault_subprocessor_add(&json, v, &f));
    CHECK(json == NULL);
    f.name = "Other Co";
    f.purpose = "no_such_purpose";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    f.purpose = "service_updates";
    f.location = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    f.location = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    NAMES("location");
    f.location = "US";
    f.categories = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    NAMES("categories");
    f.categories = kContactCategory;
    f.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    NAMES("version");
    f.version = CASEVAULT_SUBPROCESSOR_FIELDS_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    NAMES("version");

    /* a disclosure to a subprocessor names a registered one */
    r.subject = w.ana;
    r.recipient = "subprocessor";
    r.purpose = "service_updates";
    r.categories = kContactCategory;
    r.category_count = 1;
    r.subprocessor = "Unknown Co";
    refused(v, &r, "unknown_subprocessor");
    r.subprocessor = "Acme Mail";
    CHECK_OK(casevault_disclosure_record(&json, v, &r));
    CHECK(has_str(json, "rule", "service-subprocessors"));
    CHECK(has_str(json, "kind", "subprocessor"));
    CHECK(has_str(json, "subprocessor", "Acme Mail"));
    casevault_free(json);

    /* retiring keeps it on record */
    g_now += DAY;
    CHECK_OK(casevault_subprocessor_retire(&json, v, "Acme Mail"));
    CHECK(has_int(json, "retired_at", g_now));
    casevault_free(json);
    CHECK_FAILS(CASEVAULT_ENOTFOUND, casevault_subprocessor_retire(&json, v, "Nobody Inc"));
    CHECK_OK(casevault_subprocessor_list(&json, v, 0));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_subprocessor_list(&json, v, 1));
    CHECK(count_occurrences(json, "\"name\":") == 1);
    CHECK(has_str(json, "name", "Acme Mail"));
    casevault_free(json);
    /* a retired one receives nothing more */
    CHECK_FAILS(CASEVAULT_EDISCLOSURE_REFUSED, casevault_disclosure_record(&json, v, &r));
    CHECK(casevault_last_error_rule()[0] != '\0');
    CHECK(json == NULL);

    casevault_close(v);
}

/* ---- business transfers ------------------------------------------------------------- */

typedef struct progress_log {
    int calls;
    int64_t last_done, last_total;
    int phase_ok;
    int cancel;
} progress_log;

static int on_progress(const char *phase, int64_t done, int64_t total, void *ctx) {
    progress_log *p = (progress_log *)ctx;
    ++p->calls;
    p->phase_ok = p->phase_ok && strcmp(phase, "transfer_notice") == 0;
    p->last_done = done;
    p->last_total = total;
    return p->cancel ? 0 : 1;
}

static void test_transfers(void) {
    casevault_vault *v = open_store("acc_transfers.db");
    char ids[4][ID_LEN];
    char *json = NULL;
    casevault_transfer_announcement t = CASEVAULT_TRANSFER_ANNOUNCEMENT_INIT;
    progress_log pl;

    publish_with_k(v, 1, 0);
    new_account(v, ids[0], "T One", "t1@example.com", NULL);
    new_account(v, ids[1], "T Two", "t2@example.com", NULL);
    new_account(v, ids[2], "T Three", "t3@example.com", NULL);
    new_account(v, ids[3], "T Four", "t4@example.com", NULL);
    CHECK_OK(casevault_account_set_status(v, ids[3], "closed")); /* not active: not told */
    drain_all(v);

    /* refusals */
    t.counterparty = "Example Holdings LLC";
    t.effective_at = g_now - DAY; /* data would already have moved */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, v, &t));
    CHECK(json == NULL);
    t.effective_at = g_now + 60 * DAY;
    t.counterparty = "";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, v, &t));
    t.counterparty = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, v, &t));
    NAMES("counterparty");
    t.counterparty = "Example Holdings LLC";
    t.kind = 3;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, v, &t));
    NAMES("kind");
    t.kind = CASEVAULT_TRANSFER_MERGER;
    t.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, v, &t));
    NAMES("version");
    t.version = CASEVAULT_TRANSFER_ANNOUNCEMENT_VERSION;

    /* a progress callback that cancels: nothing recorded, nobody told */
    memset(&pl, 0, sizeof pl);
    pl.phase_ok = 1;
    pl.cancel = 1;
    t.progress = on_progress;
    t.progress_ctx = &pl;
    CHECK_FAILS(CASEVAULT_ECANCELLED, casevault_transfer_announce(&json, v, &t));
    CHECK(json == NULL);
    CHECK(pl.calls >= 1 && pl.phase_ok);
    CHECK_OK(casevault_transfer_list(&json, v));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK(drain(v, "transfer_notice", NULL) == 0);

    /* announced: one transfer_notice per active account */
    memset(&pl, 0, sizeof pl);
    pl.phase_ok = 1;
    CHECK_OK(casevault_transfer_announce(&json, v, &t));
    CHECK(CONTAINS(json, "\"id\":\"trf_"));
    CHECK(has_str(json, "kind", "merger"));
    CHECK(has_str(json, "counterparty", "Example Holdings LLC"));
    CHECK(has_int(json, "effective_at", g_now + 60 * DAY));
    CHECK(has_int(json, "announced_at", g_now));
    CHECK(has_int(json, "notified", 3));
    casevault_free(json);
    CHECK(pl.calls >= 1 && pl.phase_ok);
    CHECK(pl.last_done == pl.last_total);
    CHECK(drain(v, "transfer_notice", NULL) == 3);
    CHECK_OK(casevault_transfer_list(&json, v));
    CHECK(count_occurrences(json, "\"id\":\"trf_") == 1);
    CHECK(has_int(json, "notified", 3));
    casevault_free(json);

    casevault_close(v);
}

/* The transfer notices, counted one account at a time: each active account
 * has exactly one, the closed one none. */
static void test_transfer_notices(void) {
    casevault_vault *v = open_store("acc_transfer_notices.db");
    char ids[3][ID_LEN];
    char *json = NULL;
    casevault_transfer_announcement t = CASEVAULT_TRANSFER_ANNOUNCEMENT_INIT;
    int i, total;

    publish_with_k(v, 1, 0);
    new_account(v, ids[0], "N One", "n1@example.com", NULL);
    new_account(v, ids[1], "N Two", "n2@example.com", NULL);
    new_account(v, ids[2], "N Three", "n3@example.com", NULL);
    CHECK_OK(casevault_account_set_status(v, ids[2], "closed"));
    drain_all(v);
    t.counterparty = "Example Holdings LLC";
    t.effective_at = g_now + 60 * DAY;
    CHECK_OK(casevault_transfer_announce(NULL, v, &t)); /* out_json may be NULL */
    CHECK_OK(casevault_outbox_poll(&json, v, 100, 60));
    total = count_occurrences(json, "\"kind\":\"transfer_notice\"");
    CHECK(total == 2);
    for (i = 0; i < 2; ++i) {
        char pattern[256];
        snprintf(pattern, sizeof pattern, "\"kind\":\"transfer_notice\",\"subject\":\"%s\"", ids[i]);
        CHECK(count_occurrences(json, pattern) == 1);
    }
    {
        char pattern[256];
        snprintf(pattern, sizeof pattern, "\"kind\":\"transfer_notice\",\"subject\":\"%s\"", ids[2]);
        CHECK(!CONTAINS(json, pattern));
    }
    CHECK(!CONTAINS(json, "n1@example.com")); /* ids and facts only */
    casevault_free(json);
    casevault_close(v);
}

/* ---- aggregates ------------------------------------------------------------------ */

/* n accounts with one case of this form each (at the store's clock). */
static void cases_of(casevault_vault *v, int n, const char *form, const char *tag) {
    int i;
    for (i = 0; i < n; ++i) {
        char id[ID_LEN], case_id[ID_LEN], email[96];
        snprintf(email, sizeof email, "%s%d@example.com", tag, i);
        new_account(v, id, "Aggregate Person", email, NULL);
        new_case(v, case_id, id, NULL, form);
    }
}

static void test_aggregates(void) {
    casevault_vault *v = open_store("acc_aggregates.db");
    casevault_aggregate_options o = CASEVAULT_AGGREGATE_OPTIONS_INIT;
    char *json = NULL;
    char payer[ID_LEN], pay[ID_LEN];
    casevault_payment_fields p;
    int i;

    publish_with_k(v, 1, 0); /* k: the default, 5 */
    cases_of(v, 6, "I-130", "i");
    cases_of(v, 2, "N-400", "n");
    new_account(v, payer, "Payer", "payer@example.com", NULL);
    for (i = 0; i < 6; ++i) {
        p = payment(payer, NULL);
        new_payment(v, pay, &p);
    }

    /* cases: the N-400 cell (2) is below k, and the I-130 one would give it away */
    CHECK_OK(casevault_aggregates_cases(&json, v, &o));
    CHECK(json[0] == '{');
    CHECK(has_str(json, "name", "cases"));
    CHECK(CONTAINS(json, "\"dimensions\":[\"form_type\",\"status\",\"month\"]"));
    CHECK(has_null(json, "currency"));
    CHECK(has_int(json, "min_count", 5));
    CHECK(CONTAINS(json, "\"cells\":["));
    CHECK(CONTAINS(json, "\"margins\":["));
    CHECK(CONTAINS(json, "\"total\":{\"keys\":[\"*\",\"*\",\"*\"]"));
    CHECK(CONTAINS(json, "\"suppressed\":true"));
    CHECK(json_int(json, "suppressed_primary") >= 1);
    CHECK(json_int(json, "suppressed_complementary") >= 1);
    CHECK(CONTAINS(json, "2026-01"));
    check_no_count_below(json, 5);
    CHECK(!CONTAINS(json, "acc_"));
    CHECK(!CONTAINS(json, "cas_"));
    CHECK(!CONTAINS(json, "Aggregate Person"));
    casevault_free(json);

    /* accounts: 9 active in one month, shown */
    CHECK_OK(casevault_aggregates_accounts(&json, v, &o));
    CHECK(has_str(json, "name", "accounts"));
    CHECK(CONTAINS(json, "\"dimensions\":[\"status\",\"month\"]"));
    CHECK(has_int(json, "count", 9));
    check_no_count_below(json, 5);
    CHECK(!CONTAINS(json, "acc_"));
    casevault_free(json);

    /* billing: one table per currency, with totals */
    CHECK_OK(casevault_aggregates_billing(&json, v, &o));
    CHECK(json[0] == '[');
    CHECK(has_str(json, "name", "billing"));
    CHECK(has_str(json, "currency", "USD"));
    CHECK(CONTAINS(json, "\"dimensions\":[\"month\",\"billing_state\"]"));
    CHECK(has_int(json, "count", 6));
    CHECK(has_int(json, "total_minor", 6 * 4900));
    CHECK(CONTAINS(json, "\"NY\""));
    check_no_count_below(json, 5);
    CHECK(!CONTAINS(json, "acc_") && !CONTAINS(json, "pay_"));
    casevault_free(json);

    /* all three */
    CHECK_OK(casevault_aggregates_all(&json, v, &o));
    CHECK(json[0] == '[');
    CHECK(has_str(json, "name", "cases"));
    CHECK(has_str(json, "name", "accounts"));
    CHECK(has_str(json, "name", "billing"));
    CHECK(strstr(json, "\"name\":\"cases\"") < strstr(json, "\"name\":\"accounts\""));
    CHECK(strstr(json, "\"name\":\"accounts\"") < strstr(json, "\"name\":\"billing\""));
    check_no_count_below(json, 5);
    casevault_free(json);

    /* a higher k from the options; a lower one is refused */
    o.min_count = 7;
    CHECK_OK(casevault_aggregates_accounts(&json, v, &o));
    CHECK(has_int(json, "min_count", 7));
    CHECK(has_int(json, "count", 9));
    check_no_count_below(json, 7);
    casevault_free(json);
    o.min_count = 10;
    CHECK_OK(casevault_aggregates_accounts(&json, v, &o));
    CHECK(!has_int(json, "count", 9)); /* 9 < 10 */
    check_no_count_below(json, 10);
    casevault_free(json);
    o.min_count = 2;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_cases(&json, v, &o));
    CHECK(json == NULL);
    o.min_count = 0;

    /* purposes: aggregate or de-identified only */
    o.purpose = "aggregate_analytics";
    CHECK_OK(casevault_aggregates_cases(&json, v, &o));
    casevault_free(json);
    o.purpose = "deidentified_analytics";
    CHECK_OK(casevault_aggregates_cases(&json, v, &o));
    casevault_free(json);
    o.purpose = "billing";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_cases(&json, v, &o));
    CHECK(json == NULL);
    o.purpose = NULL;

    /* a window before everything (until 2025-12-01): nothing counted, nothing shown */
    o.until = kStart - 31 * DAY;
    CHECK_OK(casevault_aggregates_cases(&json, v, &o));
    CHECK(CONTAINS(json, "\"cells\":[]"));
    CHECK(!CONTAINS(json, "I-130"));
    casevault_free(json);
    /* windows are whole UTC months: a day or a second off is refused */
    o.until = kStart - DAY;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_cases(&json, v, &o));
    CHECK(json == NULL);
    o.until = 0;
    o.since = kStart + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_all(&json, v, &o));
    CHECK(json == NULL);
    o.since = 0;

    /* options versions */
    o.version = 0;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_cases(&json, v, &o));
    NAMES("version");
    o.version = CASEVAULT_AGGREGATE_OPTIONS_VERSION + 1;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_all(&json, v, &o));
    NAMES("version");
    CHECK(json == NULL);
    casevault_close(v);

    /* k from the policy: with aggregates.min_count 2, the N-400 cell shows */
    v = open_store("acc_aggregates_k.db");
    publish_with_k(v, 1, 2);
    cases_of(v, 6, "I-130", "i");
    cases_of(v, 2, "N-400", "n");
    o = (casevault_aggregate_options)CASEVAULT_AGGREGATE_OPTIONS_INIT;
    CHECK_OK(casevault_aggregates_cases(&json, v, &o));
    CHECK(has_int(json, "min_count", 2));
    CHECK(has_int(json, "count", 2));
    CHECK(has_int(json, "count", 6));
    CHECK(has_int(json, "count", 8));
    CHECK(has_int(json, "suppressed_primary", 0));
    CHECK(has_int(json, "suppressed_complementary", 0));
    CHECK(!CONTAINS(json, "\"suppressed\":true"));
    casevault_free(json);
    o.min_count = 1; /* below the policy's */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_cases(&json, v, &o));
    casevault_close(v);
}

/* ---- NULL arguments ------------------------------------------------------------------ */

static void test_null_arguments(void) {
    casevault_vault *v = open_store("acc_null.db");
    char ana[ID_LEN];
    char *json = (char *)"stale";
    sink s;
    casevault_rectification c;
    casevault_disclosure_request d;
    casevault_subprocessor_fields f = CASEVAULT_SUBPROCESSOR_FIELDS_INIT;
    casevault_transfer_announcement t = CASEVAULT_TRANSFER_ANNOUNCEMENT_INIT;
    casevault_aggregate_options o = CASEVAULT_AGGREGATE_OPTIONS_INIT;

    publish_with_k(v, 1, 0);
    new_account(v, ana, kAnaName, kAnaEmail, NULL);
    memset(&s, 0, sizeof s);
    c = change(CASEVAULT_RECTIFY_ACCOUNT, ana, "company", "Acme");
    d = police(ana);
    f.name = "Acme Mail";
    f.purpose = "service_updates";
    f.location = "US";
    t.counterparty = "Example Holdings LLC";
    t.effective_at = g_now + 60 * DAY;

    /* export */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export(NULL, ana, sink_write, &s));
    NAMES("vault");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export(v, NULL, sink_write, &s));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export(v, ana, NULL, &s));
    NAMES("write");
    CHECK(s.calls == 0);
    CHECK_OK(casevault_subject_export(v, ana, sink_write, &s));
    CHECK(s.calls >= 1 && CONTAINS(s.data, kAnaName));
    sink_free(&s);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export_json(NULL, v, ana));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export_json(&json, NULL, ana));
    CHECK(json == NULL);
    json = (char *)"stale";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_export_json(&json, v, NULL));
    CHECK(json == NULL);

    /* rectify */
    json = (char *)"stale";
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, NULL, ana, &c));
    CHECK(json == NULL);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, NULL, &c));
    NAMES("subject");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify(&json, v, ana, NULL));
    NAMES("change");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify_many(&json, NULL, ana, &c, 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify_many(&json, v, NULL, &c, 1));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_rectify_many(&json, v, ana, NULL, 1));
    NAMES("changes");
    CHECK(json == NULL);

    /* erase */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_erase(NULL, v, ana, NULL));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_erase(&json, NULL, ana, NULL));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subject_erase(&json, v, NULL, NULL));
    NAMES("subject");

    /* disclosures */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(NULL, v, &d));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, NULL, &d));
    NAMES("vault");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_record(&json, v, NULL));
    NAMES("request");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_lift(&json, NULL, kUnknownDisclosure));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_lift(&json, v, NULL));
    NAMES("disclosure_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_get(NULL, v, kUnknownDisclosure));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_get(&json, NULL, kUnknownDisclosure));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_get(&json, v, NULL));
    NAMES("disclosure_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_list(NULL, v, NULL));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_list(&json, NULL, NULL));
    CHECK_OK(casevault_disclosure_list(&json, v, NULL)); /* subject may be NULL */
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    json = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_package(NULL, kUnknownDisclosure, sink_write, &s));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_package(v, NULL, sink_write, &s));
    NAMES("disclosure_id");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_package(v, kUnknownDisclosure, NULL, &s));
    NAMES("write");
    CHECK(s.calls == 0);
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_package_json(NULL, v, kUnknownDisclosure));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_package_json(&json, NULL, kUnknownDisclosure));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_disclosure_package_json(&json, v, NULL));
    CHECK(json == NULL);

    /* subprocessors and transfers */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, NULL, &f));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, NULL));
    NAMES("fields");
    f.name = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    NAMES("name");
    f.name = "Acme Mail";
    f.purpose = NULL;
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_add(&json, v, &f));
    NAMES("purpose");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_retire(&json, NULL, "Acme Mail"));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_retire(&json, v, NULL));
    NAMES("name");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_list(NULL, v, 0));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_subprocessor_list(&json, NULL, 0));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, NULL, &t));
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_announce(&json, v, NULL));
    NAMES("announcement");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_list(NULL, v));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_transfer_list(&json, NULL));
    CHECK(json == NULL);

    /* aggregates */
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_cases(NULL, v, &o));
    NAMES("out_json");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_accounts(&json, NULL, &o));
    NAMES("vault");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_billing(&json, v, NULL));
    NAMES("options");
    CHECK_FAILS(CASEVAULT_EINVAL, casevault_aggregates_all(&json, v, NULL));
    NAMES("CASEVAULT_AGGREGATE_OPTIONS_INIT");
    CHECK(json == NULL);

    /* nothing was recorded by any of it */
    CHECK(count_disclosures(v, NULL) == 0);
    CHECK_OK(casevault_subprocessor_list(&json, v, 1));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    CHECK_OK(casevault_transfer_list(&json, v));
    CHECK(strcmp(json, "[]") == 0);
    casevault_free(json);
    casevault_close(v);
}

int main(int argc, char **argv) {
    if (argc > 1) g_dir = argv[1];

    test_constants();
    test_options_structs();
    test_grown_structs();
    test_export();
    test_rectify();
    test_erase();
    test_disclosures();
    test_subprocessors();
    test_transfers();
    test_transfer_notices();
    test_aggregates();
    test_null_arguments();

    printf("capi_accountability_test: all %d checks passed\n", g_checks);
    return 0;
}

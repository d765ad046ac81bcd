/*
 * hello.c — a first casevault host program in C.
 *
 *   usage: example-c [store-path]      (default: hello.db)
 *
 * It opens (or creates) an encrypted store, registers two people, finds one
 * of them by email, publishes a small privacy policy and asks it before
 * sending a newsletter, erases the other person, and verifies the audit chain.
 *
 * Every casevault function returns CASEVAULT_OK (0) or a negative error code;
 * after a failure casevault_last_error() explains it (never with personal
 * data). Strings the library hands out are ours to release with
 * casevault_free(), which wipes them first.
 */
#include <casevault/casevault.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints what went wrong and says whether the call failed. */
static int failed(int rc, const char *what) {
    if (rc == CASEVAULT_OK) return 0;
    fprintf(stderr, "%s failed: %s (%d): %s\n", what, casevault_error_name(rc), rc,
            casevault_last_error());
    return 1;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "hello.db";
    casevault_vault *vault = NULL;
    char *alice_id = NULL, *bob_id = NULL, *json = NULL;
    int ok = 0, status = EXIT_FAILURE;
    int64_t first_bad = 0, count = 0;

    /* 1. Options: always start from the _INIT macro, then set what you need.
     *    A real host would read the passphrase from a secret store or ask
     *    the operator; never hard-code it. */
    casevault_open_options options = CASEVAULT_OPEN_OPTIONS_INIT;
    options.passphrase = "example passphrase - do not use";
    /* The cheapest Argon2id cost, so that the example starts instantly.
     * Leave both at 0 (the default) in production. */
    options.kdf_opslimit = 1;
    options.kdf_memlimit_log2 = 13;
    options.actor = "hello-example"; /* who acts, as recorded in the audit log */

    printf("casevault %s\n", casevault_version());
    if (failed(casevault_open(&vault, path, &options), "open")) return EXIT_FAILURE;

    /* 2. Register two people. Fields not set stay NULL (= absent). */
    {
        casevault_account_fields alice = CASEVAULT_ACCOUNT_FIELDS_INIT;
        casevault_account_fields bob = CASEVAULT_ACCOUNT_FIELDS_INIT;
        alice.name = "Alice Example";
        alice.email = "alice@example.org";
        alice.phone = "+1 332 555 0101"; /* phone numbers carry their country code */
        bob.name = "Bob Example";
        bob.email = "bob@example.org";
        bob.company = "Example Co";

        /* Running the example twice hits the unique email: say so plainly. */
        int rc = casevault_account_create(&alice_id, vault, &alice);
        if (rc == CASEVAULT_EDUPLICATE) {
            fprintf(stderr, "%s already holds these people; use a fresh path\n", path);
            goto done;
        }
        if (failed(rc, "create alice")) goto done;
        if (failed(casevault_account_create(&bob_id, vault, &bob), "create bob")) goto done;
        printf("created %s and %s\n", alice_id, bob_id);
    }

    /* 3. Find Alice by email. Case and surrounding spaces do not matter.
     *    Not finding anyone is not an error: json is then NULL. */
    if (failed(casevault_account_find_by_email(&json, vault, " Alice@Example.ORG"), "find")) goto done;
    printf("found: %s\n", json ? json : "(nobody)");
    casevault_free(json); /* wipes the personal data, then frees */
    json = NULL;

    /* 4. A privacy policy (see docs/policy-format.md and examples/policies/):
     *    the newsletter needs consent, and may_process says so. */
    {
        static const char policy[] =
            "{\"format\":\"casevault-policy/1\","
            "\"metadata\":{\"name\":\"Hello policy\",\"version\":1,\"effective_date\":\"2026-01-01\","
            "\"jurisdiction\":\"US\",\"controller\":{\"name\":\"Hello LLC\"},"
            "\"text_url\":\"https://example.org/privacy\"},"
            "\"categories\":[{\"id\":\"contact\",\"description\":\"email address\"}],"
            "\"purposes\":[{\"id\":\"newsletter\",\"description\":\"the monthly newsletter\","
            "\"legal_basis\":\"consent\",\"categories\":[\"contact\"]}],"
            "\"subscriptions\":[{\"id\":\"newsletter\",\"purpose\":\"newsletter\"}],"
            "\"roles\":[{\"id\":\"subject\",\"grants\":[{\"actions\":[\"read\",\"write\"],"
            "\"records\":[\"case\"],\"scope\":\"own\"}]},"
            "{\"id\":\"staff\",\"grants\":[{\"actions\":[\"read\",\"write\"],"
            "\"records\":[\"case\"],\"scope\":\"assigned\"}]}]}";
        casevault_decision d;
        if (failed(casevault_policy_publish(NULL, vault, policy, NULL, NULL), "publish")) goto done;
        if (failed(casevault_may_process(&d, vault, alice_id, "newsletter", NULL), "may_process")) goto done;
        printf("newsletter to alice before she subscribes: %s\n",
               d.allowed ? "allowed" : casevault_decision_reason_name(d.reason));
        if (failed(casevault_subscribe(NULL, vault, alice_id, "newsletter", "web", "signup form"), "subscribe"))
            goto done;
        if (failed(casevault_may_process(&d, vault, alice_id, "newsletter", NULL), "may_process")) goto done;
        printf("after she subscribes: %s\n", d.allowed ? "allowed" : casevault_decision_reason_name(d.reason));
        if (!d.allowed) goto done;
    }

    /* 5. A case for Bob, readable by the staff member assigned to it and
     *    by nobody else on the team: every call names its acting principal. */
    {
        casevault_case_fields cf = CASEVAULT_CASE_FIELDS_INIT;
        char *staff = NULL, *other = NULL, *case_json = NULL, *rule = NULL;
        char case_id[64] = "";
        const char *at;
        int allowed = 0, rc;
        cf.receipt_number = "EAC-219-001-2345"; /* normalised to EAC2190012345 */
        cf.form_type = "I-485";
        if (failed(casevault_principal_add(&staff, vault, CASEVAULT_ROLE_STAFF), "principal_add") ||
            failed(casevault_principal_add(&other, vault, CASEVAULT_ROLE_STAFF), "principal_add") ||
            failed(casevault_case_open(&case_json, vault, bob_id, bob_id, &cf), "case_open")) {
            casevault_free(staff);
            casevault_free(other);
            goto done;
        }
        at = strstr(case_json, "\"id\":\"");  /* {"id":"cas_...", ...} */
        if (at) sscanf(at + 6, "%63[^\"]", case_id);
        casevault_free(case_json); /* it held Bob's receipt number: freed and wiped */
        rc = casevault_case_assign(vault, case_id, staff);
        if (rc == CASEVAULT_OK) rc = casevault_can(&allowed, &rule, vault, staff, CASEVAULT_ACTION_READ,
                                                   CASEVAULT_RECORD_CASE, case_id);
        if (rc == CASEVAULT_OK) {
            printf("assigned staff may read the case: %s (%s)\n", allowed ? "yes" : "no", rule);
            casevault_free(rule);
            rule = NULL;
            rc = casevault_case_get(&case_json, vault, other, case_id);
            printf("another staff member: %s, rule %s\n", casevault_error_name(rc), casevault_last_error_rule());
            casevault_free(case_json);
            rc = (rc == CASEVAULT_EACCESS && allowed) ? CASEVAULT_OK : CASEVAULT_EINTERNAL;
        }
        casevault_free(staff);
        casevault_free(other);
        if (failed(rc, "team access")) goto done;
    }

    /* 6. Erase Bob: his fields and his data key are destroyed, his case goes
     *    with them; a tombstone with status "erased" remains. */
    if (failed(casevault_account_erase(vault, bob_id), "erase")) goto done;
    if (failed(casevault_account_get(&json, vault, bob_id), "get")) goto done;
    printf("after erasure: %s\n", json);
    casevault_free(json);
    json = NULL;

    if (failed(casevault_account_count(&count, vault, "active"), "count")) goto done;
    printf("active accounts: %lld\n", (long long)count);

    /* 7. Verify the audit chain. A broken chain is a result, not an error. */
    if (failed(casevault_audit_verify(&ok, &first_bad, &json, vault, NULL), "verify")) goto done;
    printf("audit: %s\n", json);
    if (!ok) {
        fprintf(stderr, "the audit chain is broken at entry %lld\n", (long long)first_bad);
        goto done;
    }
    status = EXIT_SUCCESS;

done:
    /* casevault_free and casevault_close accept NULL, so cleanup is simple. */
    casevault_free(json);
    casevault_free(alice_id);
    casevault_free(bob_id);
    casevault_close(vault);
    return status;
}

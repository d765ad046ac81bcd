// The policy document: validation with JSON paths, the two reference
// policies, canonical hashing, versions in a store and diffs.
#include <algorithm>
#include <random>

#include "test_policy_doc.hpp"
#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;
using nlohmann::json;

namespace {

bool has_problem(const std::vector<PolicyProblem>& problems, const std::string& path, const std::string& needle = "") {
    return std::any_of(problems.begin(), problems.end(), [&](const PolicyProblem& p) {
        return p.path == path && p.message.find(needle) != std::string::npos;
    });
}

std::string dump_problems(const std::vector<PolicyProblem>& problems) {
    std::string s;
    for (const auto& p : problems) s += p.path + ": " + p.message + "\n";
    return s;
}

}  // namespace

TEST(Policy, TheTwoReferencePoliciesValidate) {
    for (const char* name : {"case-parallels.json", "visapro.json"}) {
        const std::string text = read_file(std::string(CV_EXAMPLES_DIR) + "/policies/" + name);
        ASSERT_FALSE(text.empty()) << name;
        const auto problems = lint_policy(text);
        EXPECT_TRUE(problems.empty()) << name << ":\n" << dump_problems(problems);
        if (problems.empty()) {
            const PolicyVersion p = parse_policy(text);
            EXPECT_GE(p.purposes.size(), 5u) << name;
            EXPECT_EQ(p.hash.rfind("sha256:", 0), 0u);
            const bool has_device = std::any_of(p.categories.begin(), p.categories.end(),
                                                [](const PolicyCategory& c) { return c.kind == "device"; });
            if (std::string(name) == "visapro.json") EXPECT_TRUE(has_device) << "cookies are device data";
        }
    }
}

TEST(Policy, CaseParallelsModelsItsRules) {
    const std::string text = read_file(std::string(CV_EXAMPLES_DIR) + "/policies/case-parallels.json");
    const json doc = json::parse(text);
    // Activity windows, inactivity, cancellation and backup windows.
    int windows = 0;
    for (const auto& a : doc["retention"]["activity"]) {
        if (a["window"] == "P30D") ++windows;
    }
    EXPECT_EQ(windows, 3);
    std::map<std::string, std::string> after;
    for (const auto& r : doc["retention"]["rules"]) after[r["trigger"].get<std::string>()] = r["after"];
    EXPECT_EQ(after["inactivity"], "P60D");
    EXPECT_EQ(after["cancellation"], "P30D");
    EXPECT_EQ(after["deletion_request"], "P0D");
    EXPECT_EQ(doc["retention"]["backups_and_logs_max"], "P60D");
    EXPECT_EQ(doc["disclosures"]["preservation"]["period"], "P90D");
    EXPECT_FALSE(doc["disclosures"]["sale"].get<bool>());
    // Support needs a consent; a new version needs active consent.
    const PolicyVersion p = parse_policy(text);
    bool fresh = false, timed_support = false;
    for (const auto& pp : p.purposes) {
        fresh = fresh || (pp.requires_fresh_consent && pp.close_on_decline);
        timed_support = timed_support || (pp.legal_basis == LegalBasis::consent && pp.consent_max_days);
    }
    EXPECT_TRUE(fresh);
    EXPECT_TRUE(timed_support);
}

TEST(Policy, EveryProblemIsListedWithItsPath) {
    json doc = test_policy();
    doc["purposes"][1].erase("legal_basis");
    doc["purposes"][2]["categories"] = {"contact", "no_such_category"};
    doc["purposes"][4]["consent_max_duration"] = "30 days";
    doc["subscriptions"][0]["purpose"] = "tax_records";  // not a consent purpose
    doc["retention"]["rules"][0]["after"] = "P-1D";
    doc["retention"]["rules"][0]["colour"] = "blue";
    doc["metadata"]["effective_date"] = "2026-02-30";
    doc["roles"][1]["grants"][0].erase("purpose");
    const auto problems = lint_policy(doc.dump());
    EXPECT_TRUE(has_problem(problems, "/purposes/1/legal_basis", "missing")) << dump_problems(problems);
    EXPECT_TRUE(has_problem(problems, "/purposes/2/categories/1", "unknown category"));
    EXPECT_TRUE(has_problem(problems, "/purposes/4/consent_max_duration", "bad duration"));
    EXPECT_TRUE(has_problem(problems, "/subscriptions/0/purpose", "unknown consent purpose"));
    EXPECT_TRUE(has_problem(problems, "/retention/rules/0/after", "bad duration"));
    EXPECT_TRUE(has_problem(problems, "/retention/rules/0/colour", "unknown key"));
    EXPECT_TRUE(has_problem(problems, "/metadata/effective_date", "not a date"));
    EXPECT_TRUE(has_problem(problems, "/roles/1/grants/0/purpose", "missing"));
    EXPECT_EQ(problems.size(), 8u) << dump_problems(problems);

    try {
        parse_policy(doc.dump());
        ADD_FAILURE() << "expected PolicyInvalid";
    } catch (const PolicyInvalid& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_EQ(e.problems().size(), 8u);
        EXPECT_NE(std::string(e.what()).find("/purposes/1/legal_basis"), std::string::npos);
    }
}

TEST(Policy, MalformedDocumentsAreRefusedClearly) {
    EXPECT_TRUE(has_problem(lint_policy("{not json"), "", "not valid JSON"));
    EXPECT_TRUE(has_problem(lint_policy("[]"), "", "must be a JSON object"));
    EXPECT_TRUE(has_problem(lint_policy("{}"), "/format", "missing"));
    json doc = test_policy();
    doc["purposes"] = json::array();
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/purposes", "must not be empty"));
    doc = test_policy();
    doc["purposes"][3]["id"] = "newsletter";
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/purposes/3/id", "duplicate id"));
    doc = test_policy();
    doc["purposes"][1]["requires_fresh_consent"] = true;  // contract
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/purposes/1/requires_fresh_consent"));
    doc = test_policy();
    doc["purposes"][1]["depends_on"] = {"tax_records"};
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/purposes/1/depends_on/0", "unknown consent purpose"));
    doc = test_policy();
    doc["metadata"]["version"] = 0;
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/metadata/version"));
    doc = test_policy();
    doc["metadata"].erase("text_url");
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/metadata", "text_url or text_sha256"));
    doc = test_policy();
    doc["retention"]["rules"][0]["action"] = "minimize";
    EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/retention/rules/0/keep_fields", "missing"));
    doc = test_policy();
    doc["disclosures"] = {{"rules", json::array({{{"id", "le"},
                                                  {"kind", "legal_process"},
                                                  {"recipients", {"law_enforcement"}},
                                                  {"categories", {"case_data"}}}})}};
    const auto p = lint_policy(doc.dump());
    EXPECT_TRUE(has_problem(p, "/disclosures/rules/0/accepted_processes", "missing")) << dump_problems(p);
    EXPECT_TRUE(has_problem(p, "/disclosures/rules/0/notify_subject", "missing"));
}

TEST(Policy, ProblemMessagesStayValidUtf8) {
    json doc = test_policy();
    doc["purposes"][0]["legal_basis"] = std::string(63, 'x') + "\xc3\xa9";  // "é" across the cut
    const auto problems = lint_policy(doc.dump());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NO_THROW(json(problems[0].message).dump()) << "the message must be valid UTF-8";
}

TEST(Policy, DurationsAreWholeDays) {
    json doc = test_policy();
    for (const char* ok : {"P0D", "P30D", "P4W", "P7Y", "P36500D"}) {
        doc["retention"]["rules"][0]["after"] = ok;
        EXPECT_TRUE(lint_policy(doc.dump()).empty()) << ok;
    }
    for (const char* bad : {"P", "30D", "P1M", "PT5H", "P1.5D", "P36501D", "P101Y", "p30d", "P30DD"}) {
        doc["retention"]["rules"][0]["after"] = bad;
        EXPECT_TRUE(has_problem(lint_policy(doc.dump()), "/retention/rules/0/after", "bad duration")) << bad;
    }
}

TEST(Policy, TheHashIsOfTheCanonicalDocument) {
    const json doc = test_policy();
    const PolicyVersion a = parse_policy(doc.dump());
    const PolicyVersion b = parse_policy(doc.dump(4));  // other whitespace, same content
    EXPECT_EQ(a.hash, b.hash);
    json changed = doc;
    changed["purposes"][2]["description"] = "the weekly newsletter";
    EXPECT_NE(parse_policy(changed.dump()).hash, a.hash);
}

TEST(Policy, DiffNamesWhatChanged) {
    json v2 = test_policy(2);
    v2["purposes"].erase(6);  // analytics removed
    v2["purposes"].push_back({{"id", "surveys"},
                              {"description", "optional surveys"},
                              {"legal_basis", "consent"},
                              {"categories", {"contact"}}});
    v2["categories"].push_back({{"id", "survey_responses"}, {"description", "answers"}});
    v2["retention"]["rules"][0]["after"] = "P90D";
    const PolicyDiff d = policy::diff(*policy::parse(test_policy(1).dump()), *policy::parse(v2.dump()));
    EXPECT_EQ(d.purposes_added, std::vector<std::string>{"surveys"});
    EXPECT_EQ(d.purposes_removed, std::vector<std::string>{"analytics"});
    EXPECT_EQ(d.purposes_changed, std::vector<std::string>{"marketing"});  // now requires fresh consent
    EXPECT_EQ(d.categories_added, std::vector<std::string>{"survey_responses"});
    EXPECT_TRUE(d.retention_changed);
    EXPECT_FALSE(d.disclosures_changed);
    EXPECT_EQ(d.reconsent_purposes, (std::vector<std::string>{"terms", "marketing"}));
}

TEST(Policy, PublishedVersionsAreKeptAndOnlyNewerOnesAccepted) {
    TempDir dir;
    ManualClock clock;
    OpenOptions o = key_options();
    o.clock = clock.fn();
    Vault v = Vault::open(dir.path("p.db"), o);
    EXPECT_FALSE(v.policy().active().has_value());

    const PublishResult r1 = v.policy().publish(test_policy(1).dump());
    EXPECT_EQ(r1.policy.version, 1);
    EXPECT_TRUE(r1.policy.active);
    EXPECT_EQ(r1.policy.published_at, clock.now);
    EXPECT_EQ(r1.subjects_reconsent, 0);

    EXPECT_CV_ERROR(v.policy().publish(test_policy(1).dump()), Errc::invalid_argument);  // same version
    clock.now += 86400;
    v.policy().publish(test_policy(3).dump());
    EXPECT_CV_ERROR(v.policy().publish(test_policy(2).dump()), Errc::invalid_argument);  // older
    json broken = test_policy(4);
    broken["purposes"][0].erase("categories");
    EXPECT_THROW(v.policy().publish(broken.dump()), PolicyInvalid);

    const auto versions = v.policy().list();
    ASSERT_EQ(versions.size(), 2u);  // the refused ones left nothing behind
    EXPECT_EQ(versions[0].version, 1);
    EXPECT_FALSE(versions[0].active);
    EXPECT_TRUE(versions[0].document.empty());  // list() leaves the documents out
    EXPECT_EQ(versions[1].version, 3);
    EXPECT_TRUE(versions[1].active);
    EXPECT_EQ(v.policy().active()->version, 3);
    EXPECT_EQ(v.policy().get(1).hash, r1.policy.hash);
    EXPECT_EQ(v.policy().get(1).document, r1.policy.document);
    EXPECT_CV_ERROR(v.policy().get(2), Errc::not_found);
    EXPECT_EQ(v.policy().diff(1, 3).reconsent_purposes, (std::vector<std::string>{"terms", "marketing"}));

    const auto entries = v.audit().read({std::nullopt, std::nullopt, std::string("policy.publish")});
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].target, "policy:3");
}

TEST(Policy, AStoredVersionThatWasAlteredIsDetected) {
    TempDir dir;
    const std::string path = dir.path("t.db");
    std::string subject;
    {
        Vault v = Vault::open(path, key_options());
        v.policy().publish(test_policy(1).dump());
        subject = v.accounts().create({"Ana", std::string("ana@example.com"), {}, {}, {}}).id;
    }
    // Someone with SQL access edits the published document.
    raw_exec(path, "UPDATE policies SET document = replace(document, 'aggregate analytics', 'raw analytics')");
    Vault v = Vault::open(path, key_options());
    EXPECT_CV_ERROR(v.may_process(subject, "case_tracking"), Errc::corrupt);
    EXPECT_CV_ERROR(v.policy().active(), Errc::corrupt);  // not shown as if it had been published
    EXPECT_CV_ERROR(v.policy().get(1), Errc::corrupt);
    EXPECT_CV_ERROR(v.policy().list(), Errc::corrupt);
}

TEST(Policy, AStoreFromSchemaOneIsMigrated) {
    TempDir dir;
    const std::string path = dir.path("old.db");
    std::string id;
    {
        Vault v = Vault::open(path, key_options());
        id = v.accounts().create({"Ana", std::string("ana@example.com"), {}, {}, {}}).id;
    }
    // What a store written by the first casevault looks like.
    raw_exec(path,
             "DROP TABLE policies; DROP TABLE consent_events; DROP TABLE consent_state; DROP TABLE reconsent; "
             "DROP TABLE erasure_requests; DROP TABLE outbox; DROP TABLE principals; DROP TABLE cases; "
             "DROP TABLE case_assignments; DROP TABLE case_status; DROP TABLE case_documents; DROP TABLE messages; "
             "DROP TABLE payments; DROP TABLE posts; DROP TABLE activity; DROP TABLE retention_due; "
             "DROP TABLE holds; DROP TABLE deletion_receipts; DROP TABLE erasure_ledger; DROP TABLE backups; "
             "DROP TABLE disclosures; DROP TABLE subprocessors; DROP TABLE transfers; "
             "DROP INDEX accounts_for_aggregates; PRAGMA user_version = 1;");
    std::vector<Progress> seen;
    OpenOptions o = key_options();
    o.progress = [&](const Progress& p) {
        seen.push_back(p);
        return true;
    };
    Vault v = Vault::open(path, o);
    ASSERT_EQ(seen.size(), 5u);  // four steps: 1 -> 2 -> 3 -> 4 -> 5
    EXPECT_EQ(seen.back().done, 4);
    EXPECT_EQ(v.info().schema_version, 5);
    EXPECT_EQ(v.accounts().get(id).fields.name, "Ana");
    v.policy().publish(test_policy(1).dump());
    EXPECT_TRUE(v.may_process(id, "tax_records").allowed);
}

// Random damage to a valid document: every result is a list of problems
// (or none), never an exception, a crash or an empty path for a nested fault.
TEST(Policy, DamagedDocumentsGiveProblemsNeverExceptions) {
    const json original = json::parse(read_file(std::string(CV_EXAMPLES_DIR) + "/policies/case-parallels.json"));
    std::mt19937 rng(20261124);
    const std::vector<json> replacements = {json(), json(true), json(-1), json(1e300), json("x"), json::array(),
                                            json::object(), json("P99999D"), json(std::string(3000, 'a')),
                                            json(18446744073709551615ull)};
    int invalid = 0;
    for (int round = 0; round < 1500; ++round) {
        json doc = original;
        // Walk to a random node and replace or remove it.
        json* node = &doc;
        for (int depth = 0; depth < 6 && (node->is_object() || node->is_array()) && !node->empty(); ++depth) {
            const std::size_t pick = rng() % node->size();
            auto it = node->begin();
            std::advance(it, static_cast<long>(pick));
            if (rng() % 3 == 0) break;
            node = &*it;
        }
        if (rng() % 4 == 0 && node != &doc) {
            *node = json();  // null
        } else {
            *node = replacements[rng() % replacements.size()];
        }
        std::vector<PolicyProblem> problems;
        ASSERT_NO_THROW(problems = lint_policy(doc.dump())) << doc.dump().substr(0, 200);
        for (const auto& p : problems) {
            ASSERT_FALSE(p.message.empty());
            ASSERT_NO_THROW(json(p.message).dump());  // valid UTF-8
        }
        invalid += problems.empty() ? 0 : 1;
        if (problems.empty()) ASSERT_NO_THROW(parse_policy(doc.dump()));
        else ASSERT_THROW(parse_policy(doc.dump()), PolicyInvalid);
    }
    EXPECT_GT(invalid, 1000);  // nearly every damage is noticed
}

// Groundwork of issue 4: access decisions from the policy's roles, on the
// two reference policies.
#include <set>

#include "access/access.hpp"
#include "policy/policy.hpp"
#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace casevault::access;
using namespace cvtest;

namespace {

std::shared_ptr<const policy::Policy> example(const char* name) {
    return policy::parse(read_file(std::string(CV_EXAMPLES_DIR) + "/policies/" + name));
}

struct FakeFacts : Facts {
    std::set<std::pair<std::string, std::string>> assignments;  // (actor, case)
    std::set<std::pair<std::string, std::string>> support_grants;  // (subject, scope)
    bool assigned(const std::string& actor, const std::string& case_id) override {
        return assignments.count({actor, case_id}) > 0;
    }
    Decision consent(const std::string& subject, const std::string& purpose, const std::string& scope) override {
        const bool ok = purpose == "support_access" &&
                        (support_grants.count({subject, scope}) > 0 || support_grants.count({subject, ""}) > 0);
        return {ok, ok ? DecisionReason::consent : DecisionReason::no_consent, 1};
    }
};

const std::string kAna = "acc_000000000000000000000001";
const std::string kBo = "acc_000000000000000000000002";

}  // namespace

TEST(Access, VisaProCaseDataOnlyForTheTeamOnTheCase) {
    const auto p = example("visapro.json");
    FakeFacts facts;
    facts.assignments = {{"att_1", "case_a"}, {"stf_1", "case_a"}};
    const Target case_a{RecordKind::case_, kAna, "case_a"};
    const Target case_b{RecordKind::case_, kBo, "case_b"};

    Verdict v = can(*p, Role::attorney, "att_1", Action::read, case_a, facts);
    EXPECT_TRUE(v.allowed);
    EXPECT_EQ(v.rule, "/roles/1/grants/0");
    v = can(*p, Role::attorney, "att_1", Action::read, case_b, facts);  // assigned to A, asks for B
    EXPECT_FALSE(v.allowed);
    EXPECT_EQ(v.rule, "not_assigned");
    EXPECT_TRUE(can(*p, Role::staff, "stf_1", Action::write, case_a, facts).allowed);
    EXPECT_EQ(can(*p, Role::staff, "stf_1", Action::disclose, case_a, facts).rule, "no_grant");  // attorneys only
    EXPECT_TRUE(can(*p, Role::attorney, "att_1", Action::disclose, case_a, facts).allowed);
    EXPECT_EQ(can(*p, Role::staff, "stf_1", Action::read, {RecordKind::billing, kAna, "case_a"}, facts).rule,
              "no_grant");

    EXPECT_TRUE(can(*p, Role::subject, kAna, Action::read, case_a, facts).allowed);
    EXPECT_EQ(can(*p, Role::subject, kBo, Action::read, case_a, facts).rule, "not_owner");
    EXPECT_EQ(can(*p, Role::support, "sup_1", Action::read, case_a, facts).rule, "role_not_in_policy");
    EXPECT_EQ(can(*p, Role::agency, "dos_1", Action::read, case_a, facts).rule, "no_grant");  // a role with no grants
}

TEST(Access, VisaProPostsArePublicButOnlyTheAuthorWrites) {
    const auto p = example("visapro.json");
    FakeFacts facts;
    const Target post{RecordKind::post, kAna, "", true};
    EXPECT_TRUE(can(*p, Role::subject, kBo, Action::read, post, facts).allowed);
    EXPECT_EQ(can(*p, Role::subject, kBo, Action::write, post, facts).rule, "not_owner");
    EXPECT_TRUE(can(*p, Role::subject, kAna, Action::write, post, facts).allowed);
    EXPECT_TRUE(can(*p, Role::system, "retention", Action::erase, post, facts).allowed);
}

TEST(Access, CaseParallelsSupportNeedsTheCustomersGrant) {
    const auto p = example("case-parallels.json");
    FakeFacts facts;
    const Target case_1{RecordKind::case_, kAna, "case_1"};
    EXPECT_EQ(can(*p, Role::support, "sup_1", Action::read, case_1, facts).rule, "no_support_grant");
    facts.support_grants = {{kAna, "case_1"}};
    EXPECT_TRUE(can(*p, Role::support, "sup_1", Action::read, case_1, facts).allowed);
    EXPECT_FALSE(can(*p, Role::support, "sup_1", Action::read, {RecordKind::case_, kAna, "case_2"}, facts).allowed);
    EXPECT_FALSE(can(*p, Role::support, "sup_1", Action::write, case_1, facts).allowed);  // read only
    // Past correspondence and billing support need no grant.
    EXPECT_TRUE(can(*p, Role::support, "sup_1", Action::read, {RecordKind::correspondence, kAna}, facts).allowed);
    EXPECT_TRUE(can(*p, Role::support, "sup_1", Action::read, {RecordKind::billing, kAna}, facts).allowed);
    // Agencies only under legal process, which disclosures decide.
    EXPECT_EQ(can(*p, Role::agency, "uscis", Action::read, case_1, facts).rule, "needs_legal_process");
    EXPECT_EQ(can(*p, Role::attorney, "att_1", Action::read, case_1, facts).rule, "role_not_in_policy");
}

TEST(Access, SupportGrantsComeFromTheConsentLedgerAndExpire) {
    TempDir dir;
    ManualClock clock;
    OpenOptions o = key_options();
    o.clock = clock.fn();
    Vault v = Vault::open(dir.path("a.db"), o);
    const std::string text = read_file(std::string(CV_EXAMPLES_DIR) + "/policies/case-parallels.json");
    v.policy().publish(text);
    const std::string ana = v.accounts().create({"Ana", std::string("ana@example.com"), {}, {}, {}}).id;
    struct LedgerFacts : Facts {
        Vault& vault;
        explicit LedgerFacts(Vault& x) : vault(x) {}
        bool assigned(const std::string&, const std::string&) override { return false; }
        Decision consent(const std::string& s, const std::string& purpose, const std::string& scope) override {
            return vault.may_process(s, purpose, scope);
        }
    } facts(v);
    const auto p = policy::parse(text);
    const Target case_1{RecordKind::case_, ana, "case_1"};
    EXPECT_FALSE(can(*p, Role::support, "sup_1", Action::read, case_1, facts).allowed);
    ConsentRequest grant{ana, "support_access", ConsentAction::granted, Channel::email, "case_1", "ticket 7"};
    const ConsentEvent e = v.consents().record(grant);
    EXPECT_TRUE(can(*p, Role::support, "sup_1", Action::read, case_1, facts).allowed);
    clock.now = e.expires_at;  // the grant is time-limited by the policy
    EXPECT_EQ(can(*p, Role::support, "sup_1", Action::read, case_1, facts).rule, "no_support_grant");
}

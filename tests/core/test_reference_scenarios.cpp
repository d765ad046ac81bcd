// Scenarios from the two reference policies, run against the example
// documents in examples/policies/ (not against a test policy): what the
// policies promise must be what the store decides.
#include "test_util.hpp"
#include "vault/vault_core.hpp"

#include <nlohmann/json.hpp>

using namespace casevault;
using namespace cvtest;
using nlohmann::json;

namespace {

constexpr std::int64_t kDay = 86400;

std::string example(const char* name) { return read_file(std::string(CV_EXAMPLES_DIR) + "/policies/" + name); }

struct Store {
    TempDir dir;
    ManualClock clock;
    Vault vault;
    std::string ana;
    explicit Store(const char* policy) : vault(open(dir, clock)) {
        vault.policy().publish(example(policy));
        ana = vault.accounts().create({"Ana", std::string("ana@example.com"), {}, {}, {}}).id;
    }
    static Vault open(TempDir& dir, ManualClock& clock) {
        return Vault::open(dir.path("ref.db"), clocked_key_options(clock));
    }
};

}  // namespace

TEST(VisaPro, ANewsletterSubscriberWhoUnsubscribesIsDeniedTheNextCheck) {
    Store s("visapro.json");
    EXPECT_EQ(s.vault.may_process(s.ana, "newsletter").reason, DecisionReason::no_consent);  // express consent only
    s.vault.consents().subscribe(s.ana, "newsletter", Channel::web, "newsletter form");
    EXPECT_TRUE(s.vault.may_process(s.ana, "newsletter").allowed);
    EXPECT_FALSE(s.vault.may_process(s.ana, "alerts").allowed);  // one subscription is not another
    s.vault.consents().unsubscribe(s.ana, "newsletter", Channel::email);
    EXPECT_EQ(s.vault.may_process(s.ana, "newsletter").reason, DecisionReason::withdrawn);
}

TEST(VisaPro, RegistrationAndCaseWorkNeedNoConsentButOnlyWhileActive) {
    Store s("visapro.json");
    EXPECT_EQ(s.vault.may_process(s.ana, "case_management").reason, DecisionReason::contract);
    s.vault.accounts().set_status(s.ana, AccountStatus::closed);
    EXPECT_EQ(s.vault.may_process(s.ana, "case_management").reason, DecisionReason::account_not_active);
}

TEST(VisaPro, CookiesByContinuedUseExpireAfterThirteenMonths) {
    Store s("visapro.json");
    const ConsentEvent e = s.vault.consents().record_visitor("v-1", "marketing", ConsentAction::granted);
    EXPECT_EQ(e.expires_at, s.clock.now + 395 * kDay);
    s.clock.now = e.expires_at - 1;
    EXPECT_TRUE(s.vault.consents().visitor_may("v-1", "marketing").allowed);
    s.clock.now = e.expires_at;
    EXPECT_EQ(s.vault.consents().visitor_may("v-1", "marketing").reason, DecisionReason::expired);
    EXPECT_EQ(s.vault.consents().visitor_may("v-1", "statistics").reason, DecisionReason::no_consent);
}

TEST(VisaPro, AVersionRequiringFreshConsentDeniesMarketingUntilConsentedAgain) {
    Store s("visapro.json");
    s.vault.consents().subscribe(s.ana, "newsletter");
    json v2 = json::parse(example("visapro.json"));
    v2["metadata"]["version"] = v2["metadata"]["version"].get<int>() + 1;
    for (auto& p : v2["purposes"]) {
        if (p["id"] == "newsletter") p["requires_fresh_consent"] = true;
    }
    EXPECT_EQ(s.vault.policy().publish(v2.dump()).subjects_reconsent, 1);
    EXPECT_EQ(s.vault.may_process(s.ana, "newsletter").reason, DecisionReason::reconsent_required);
    EXPECT_TRUE(s.vault.consents().subscriptions(s.ana).empty());
    s.vault.consents().subscribe(s.ana, "newsletter");
    EXPECT_TRUE(s.vault.may_process(s.ana, "newsletter").allowed);
}

TEST(CaseParallels, SupportAccessIsDeniedWithoutAGrantAndEndsWithIt) {
    Store s("case-parallels.json");
    s.vault.consents().record({s.ana, "terms"});
    EXPECT_EQ(s.vault.may_process(s.ana, "support_access", "case_1").reason, DecisionReason::no_consent);
    ConsentRequest grant{s.ana, "support_access", ConsentAction::granted, Channel::email, "case_1", "ticket 9"};
    const ConsentEvent e = s.vault.consents().record(grant);
    EXPECT_EQ(e.expires_at, s.clock.now + 30 * kDay);  // time-limited by the policy (P30D)
    EXPECT_TRUE(s.vault.may_process(s.ana, "support_access", "case_1").allowed);
    EXPECT_EQ(s.vault.may_process(s.ana, "support_access", "case_2").reason, DecisionReason::no_consent);
    s.clock.now = e.expires_at - 1;
    EXPECT_TRUE(s.vault.may_process(s.ana, "support_access", "case_1").allowed);
    s.clock.now = e.expires_at;
    EXPECT_EQ(s.vault.may_process(s.ana, "support_access", "case_1").reason, DecisionReason::expired);
}

TEST(CaseParallels, AChangedPolicyNeedsActiveConsentAndADeclineDeletesTheAccount) {
    Store s("case-parallels.json");
    const std::string bo = s.vault.accounts().create({"Bo", std::string("bo@example.com"), {}, {}, {}}).id;
    s.vault.consents().record({s.ana, "terms"});
    s.vault.consents().record({bo, "terms"});
    EXPECT_TRUE(s.vault.may_process(s.ana, "case_tracking").allowed);

    json v2 = json::parse(example("case-parallels.json"));
    v2["metadata"]["version"] = v2["metadata"]["version"].get<int>() + 1;
    s.clock.now += kDay;
    const PublishResult r = s.vault.policy().publish(v2.dump());
    EXPECT_EQ(r.subjects_reconsent, 2);
    // Until they accept, the service that depends on the terms stops.
    EXPECT_EQ(s.vault.may_process(s.ana, "case_tracking").reason, DecisionReason::reconsent_required);
    EXPECT_EQ(s.vault.may_process(s.ana, "tax_records").reason, DecisionReason::legal_obligation);
    s.vault.consents().record({s.ana, "terms"});
    EXPECT_TRUE(s.vault.may_process(s.ana, "case_tracking").allowed);

    s.vault.consents().record({bo, "terms", ConsentAction::declined, Channel::whatsapp});
    EXPECT_EQ(s.vault.accounts().get(bo).status, AccountStatus::closed);
    const auto erasure = s.vault.consents().erasure_requests(bo);
    ASSERT_EQ(erasure.size(), 1u);
    EXPECT_EQ(erasure[0].due_at, s.clock.now);  // deleted on the next sweep
    EXPECT_EQ(erasure[0].channel, Channel::whatsapp);
    EXPECT_EQ(s.vault.outbox().pending(), 1);  // Bo's request to consent again is withdrawn
}

TEST(CaseParallels, ConsentIsRefusedThroughAChannelThePolicyDoesNotOffer) {
    Store s("case-parallels.json");
    ConsentRequest r{s.ana, "surveys", ConsentAction::granted, Channel::phone};
    EXPECT_CV_ERROR(s.vault.consents().record(r), Errc::invalid_argument);
    EXPECT_TRUE(s.vault.consents().history(s.ana).empty());  // the refusal recorded nothing
    EXPECT_EQ(s.vault.may_process(s.ana, "surveys").reason, DecisionReason::no_consent);
    r.channel = Channel::whatsapp;
    s.vault.consents().record(r);
    EXPECT_TRUE(s.vault.may_process(s.ana, "surveys").allowed);
}

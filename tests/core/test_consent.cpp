// The consent ledger, decisions, re-consent, visitors, subscriptions,
// receipts, the outbox and erasure.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "test_policy_doc.hpp"
#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;
using nlohmann::json;

namespace {

constexpr std::int64_t kDaySeconds = 86400;

struct Fixture {
    TempDir dir;
    ManualClock clock;
    Vault vault;
    std::string ana, bo;

    explicit Fixture(bool publish = true) : vault(open_vault(dir, clock)) {
        if (publish) vault.policy().publish(test_policy(1).dump());
        ana = vault.accounts().create({"Ana", std::string("ana@example.com"), {}, {}, {}}).id;
        bo = vault.accounts().create({"Bo", std::string("bo@example.com"), {}, {}, {}}).id;
    }
    static Vault open_vault(TempDir& dir, ManualClock& clock) {
        return Vault::open(dir.path("c.db"), clocked_key_options(clock));
    }
    ConsentEvent consent(const std::string& subject, const std::string& purpose,
                         ConsentAction action = ConsentAction::granted, const std::string& scope = "") {
        ConsentRequest r;
        r.subject = subject;
        r.purpose = purpose;
        r.action = action;
        r.scope = scope;
        return vault.consents().record(r);
    }
    DecisionReason reason(const std::string& subject, const std::string& purpose, const std::string& scope = "") {
        return vault.may_process(subject, purpose, scope).reason;
    }
};

}  // namespace

TEST(Consent, WithoutAPolicyNothingIsAllowedAndNothingCanBeRecorded) {
    Fixture f(false);
    const Decision d = f.vault.may_process(f.ana, "newsletter");
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.reason, DecisionReason::no_policy);
    EXPECT_EQ(d.policy_version, 0);
    EXPECT_CV_ERROR(f.consent(f.ana, "newsletter"), Errc::invalid_argument);
}

TEST(Consent, AGrantAllowsAndAWithdrawalDenies) {
    Fixture f;
    EXPECT_EQ(f.reason(f.ana, "newsletter"), DecisionReason::no_consent);
    const ConsentEvent e = f.consent(f.ana, "newsletter");
    EXPECT_EQ(e.subject, f.ana);
    EXPECT_EQ(e.policy_version, 1);
    EXPECT_EQ(e.at, f.clock.now);
    EXPECT_EQ(e.id.rfind("cns_", 0), 0u);
    const Decision d = f.vault.may_process(f.ana, "newsletter");
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.reason, DecisionReason::consent);
    EXPECT_EQ(d.policy_version, 1);
    EXPECT_EQ(f.reason(f.bo, "newsletter"), DecisionReason::no_consent);  // per subject

    f.consent(f.ana, "newsletter", ConsentAction::withdrawn);
    EXPECT_EQ(f.reason(f.ana, "newsletter"), DecisionReason::withdrawn);
    f.consent(f.ana, "newsletter", ConsentAction::declined);
    EXPECT_EQ(f.reason(f.ana, "newsletter"), DecisionReason::declined);

    const auto history = f.vault.consents().history(f.ana);
    ASSERT_EQ(history.size(), 3u);  // append-only: every event is kept, in order
    EXPECT_EQ(history[0].action, ConsentAction::granted);
    EXPECT_EQ(history[1].action, ConsentAction::withdrawn);
    EXPECT_EQ(history[2].action, ConsentAction::declined);
}

TEST(Consent, BadRequestsAreRefusedAndChangeNothing) {
    Fixture f;
    f.consent(f.ana, "newsletter");
    const auto before = f.vault.consents().history(f.ana).size();
    const auto state_before = f.vault.consents().state(f.ana);
    EXPECT_CV_ERROR(f.consent(f.ana, "no_such_purpose"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.consent("acc_000000000000000000000000", "newsletter"), Errc::not_found);
    EXPECT_CV_ERROR(f.consent("not-an-id", "newsletter"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.consent(f.ana, "marketing", ConsentAction::withdrawn), Errc::invalid_argument);  // never granted
    EXPECT_CV_ERROR(f.consent(f.ana, "case_tracking"), Errc::invalid_argument);  // contract: no consent to give
    EXPECT_CV_ERROR(f.consent(f.ana, "newsletter", ConsentAction::granted, "has space"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.consent(f.ana, "newsletter", ConsentAction::granted, "ana@example.com"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.consent(f.ana, "newsletter", ConsentAction::granted, "Case-1"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.consent(f.ana, "newsletter", ConsentAction::granted, std::string(129, 'a')),
                    Errc::invalid_argument);
    ConsentRequest r{f.ana, "newsletter", ConsentAction::granted, Channel::phone, "", "", std::nullopt};
    EXPECT_CV_ERROR(f.vault.consents().record(r), Errc::invalid_argument);  // the policy takes no phone consent
    r.channel = Channel::web;
    r.expires_at = f.clock.now;  // not in the future
    EXPECT_CV_ERROR(f.vault.consents().record(r), Errc::invalid_argument);
    r.expires_at.reset();
    r.evidence = std::string("bad\xff utf8");
    EXPECT_CV_ERROR(f.vault.consents().record(r), Errc::invalid_argument);
    // A batch with one bad request records none of it.
    std::vector<ConsentRequest> batch = {{f.bo, "newsletter"}, {f.bo, "no_such_purpose"}};
    EXPECT_CV_ERROR(f.vault.consents().record_many(batch), Errc::invalid_argument);
    EXPECT_TRUE(f.vault.consents().history(f.bo).empty());
    EXPECT_EQ(f.vault.consents().history(f.ana).size(), before);
    const auto state_after = f.vault.consents().state(f.ana);
    ASSERT_EQ(state_after.size(), state_before.size());
    for (std::size_t i = 0; i < state_after.size(); ++i) {
        EXPECT_EQ(state_after[i].purpose, state_before[i].purpose);
        EXPECT_EQ(state_after[i].action, state_before[i].action);
        EXPECT_EQ(state_after[i].at, state_before[i].at);
    }
    EXPECT_EQ(f.vault.outbox().pending(), 0);
    EXPECT_TRUE(f.vault.consents().erasure_requests().empty());
    EXPECT_EQ(f.vault.accounts().get(f.ana).status, AccountStatus::active);
    // may_process never throws for unknown things: it denies, with the reason.
    EXPECT_EQ(f.reason(f.ana, "no_such_purpose"), DecisionReason::purpose_unknown);
    EXPECT_EQ(f.reason("acc_000000000000000000000000", "newsletter"), DecisionReason::subject_unknown);
    EXPECT_CV_ERROR(f.vault.may_process("bogus", "newsletter"), Errc::invalid_argument);
    // A purpose that is free text is not echoed: it might be personal data.
    try {
        f.consent(f.ana, "Ana Souza ana@example.com");
        ADD_FAILURE() << "expected invalid_argument";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("ana@example.com"), std::string::npos) << e.what();
    }
}

TEST(Consent, ContractAndLegalObligationFollowTheAccountState) {
    Fixture f;
    f.consent(f.ana, "terms");
    EXPECT_TRUE(f.vault.may_process(f.ana, "case_tracking").allowed);
    EXPECT_EQ(f.reason(f.ana, "case_tracking"), DecisionReason::contract);
    EXPECT_EQ(f.reason(f.ana, "tax_records"), DecisionReason::legal_obligation);
    // Case tracking depends on the accepted terms.
    EXPECT_EQ(f.reason(f.bo, "case_tracking"), DecisionReason::no_consent);

    f.vault.accounts().set_status(f.ana, AccountStatus::cancelled);
    EXPECT_EQ(f.reason(f.ana, "case_tracking"), DecisionReason::account_not_active);
    EXPECT_EQ(f.reason(f.ana, "tax_records"), DecisionReason::legal_obligation);  // kept while the law says
    f.vault.accounts().set_status(f.ana, AccountStatus::active);
    EXPECT_EQ(f.reason(f.ana, "case_tracking"), DecisionReason::contract);
}

TEST(Consent, LegitimateInterestStopsWhenThePersonObjects) {
    Fixture f;
    EXPECT_EQ(f.reason(f.ana, "analytics"), DecisionReason::legitimate_interest);
    f.consent(f.ana, "analytics", ConsentAction::withdrawn);
    EXPECT_EQ(f.reason(f.ana, "analytics"), DecisionReason::objected);
    EXPECT_CV_ERROR(f.consent(f.ana, "analytics"), Errc::invalid_argument);  // nothing to grant
}

TEST(Consent, SupportAccessIsTimeLimitedAndExactAtTheBoundary) {
    Fixture f;
    EXPECT_EQ(f.reason(f.ana, "support_access"), DecisionReason::no_consent);
    ConsentRequest r{f.ana, "support_access", ConsentAction::granted, Channel::email, "case_1", "ticket 42",
                     f.clock.now + 90 * kDaySeconds};
    const ConsentEvent e = f.vault.consents().record(r);
    EXPECT_EQ(e.expires_at, f.clock.now + 30 * kDaySeconds);  // capped by consent_max_duration
    EXPECT_TRUE(f.vault.may_process(f.ana, "support_access", "case_1").allowed);
    EXPECT_EQ(f.reason(f.ana, "support_access", "case_2"), DecisionReason::no_consent);  // scoped
    EXPECT_EQ(f.reason(f.ana, "support_access"), DecisionReason::no_consent);
    f.clock.now = e.expires_at - 1;
    EXPECT_TRUE(f.vault.may_process(f.ana, "support_access", "case_1").allowed);
    f.clock.now = e.expires_at;
    EXPECT_EQ(f.reason(f.ana, "support_access", "case_1"), DecisionReason::expired);
}

TEST(Consent, ANewVersionRequiringFreshConsentAsksAgainAndNotifies) {
    Fixture f;
    f.consent(f.ana, "terms");
    f.consent(f.ana, "marketing");
    f.consent(f.bo, "terms");
    f.consent(f.bo, "newsletter");
    EXPECT_TRUE(f.vault.may_process(f.ana, "marketing").allowed);

    f.clock.now += kDaySeconds;
    std::vector<Progress> seen;
    const PublishResult r = f.vault.policy().publish(test_policy(2).dump(), [&](const Progress& p) {
        seen.push_back(p);
        return true;
    });
    EXPECT_EQ(r.subjects_reconsent, 2);
    EXPECT_EQ(r.notifications, 2);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front().phase, "reconsent");
    EXPECT_EQ(seen.back().done, 2);

    EXPECT_EQ(f.reason(f.ana, "marketing"), DecisionReason::reconsent_required);
    EXPECT_EQ(f.reason(f.ana, "case_tracking"), DecisionReason::reconsent_required);  // depends on terms
    EXPECT_TRUE(f.vault.may_process(f.bo, "newsletter").allowed);  // not re-asked
    const auto pending = f.vault.consents().pending_reconsent();
    ASSERT_EQ(pending.size(), 2u);

    auto notes = f.vault.outbox().poll();
    ASSERT_EQ(notes.size(), 2u);
    for (const auto& n : notes) {
        EXPECT_EQ(n.kind, "reconsent_required");
        const json payload = json::parse(n.payload);
        EXPECT_EQ(payload["policy_version"], 2);
        if (n.subject == f.ana) EXPECT_EQ(payload["purposes"], json({"marketing", "terms"}));
        else EXPECT_EQ(payload["purposes"], json({"terms"}));
    }

    // Ana consents again: allowed under version 2, and her request is settled.
    f.consent(f.ana, "terms");
    f.consent(f.ana, "marketing");
    EXPECT_TRUE(f.vault.may_process(f.ana, "marketing").allowed);
    EXPECT_TRUE(f.vault.may_process(f.ana, "case_tracking").allowed);
    const auto left = f.vault.consents().pending_reconsent();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].subject, f.bo);

    // Bo declines the new terms: closed and queued for erasure.
    f.consent(f.bo, "terms", ConsentAction::declined);
    EXPECT_EQ(f.vault.accounts().get(f.bo).status, AccountStatus::closed);
    const auto erasures = f.vault.consents().erasure_requests(f.bo);
    ASSERT_EQ(erasures.size(), 1u);
    EXPECT_EQ(erasures[0].reason, "consent_declined:terms");
    EXPECT_EQ(erasures[0].due_at, f.clock.now);
    EXPECT_EQ(erasures[0].state, "pending");
    EXPECT_EQ(f.reason(f.bo, "newsletter"), DecisionReason::account_not_active);
    EXPECT_TRUE(f.vault.consents().pending_reconsent().empty());

    // Closed: a grant could never be used, so it is refused; declining again
    // does not queue a second erasure.
    EXPECT_CV_ERROR(f.consent(f.bo, "terms"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.vault.consents().subscribe(f.bo, "newsletter"), Errc::invalid_argument);
    EXPECT_TRUE(f.vault.consents().subscriptions(f.bo).empty());  // the old grant does not count while closed
    f.consent(f.bo, "terms", ConsentAction::declined);
    EXPECT_EQ(f.vault.consents().erasure_requests(f.bo).size(), 1u);
}

TEST(Consent, ADeclinesErasureIsDueWhenTheRetentionRuleSays) {
    Fixture f(false);
    json doc = test_policy(1);
    doc["retention"]["rules"].push_back({{"id", "declined"},
                                         {"categories", {"identity", "contact"}},
                                         {"trigger", "reconsent_declined"},
                                         {"after", "P7D"},
                                         {"action", "delete"}});
    f.vault.policy().publish(doc.dump());
    f.consent(f.ana, "terms", ConsentAction::declined);
    const auto requests = f.vault.consents().erasure_requests(f.ana);
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].due_at, f.clock.now + 7 * kDaySeconds);
}

TEST(Consent, ScopesAreIds) {
    Fixture f;
    EXPECT_NO_THROW(f.consent(f.ana, "newsletter", ConsentAction::granted, std::string(128, 'a')));
    EXPECT_NO_THROW(f.consent(f.ana, "newsletter", ConsentAction::granted, "cas_01.a:b-c_d"));
    EXPECT_TRUE(f.vault.may_process(f.ana, "newsletter", "cas_01.a:b-c_d").allowed);
}

TEST(Consent, ADeclineThatClosesTheAccountLeavesNoRequestToConsentAgain) {
    Fixture f;
    f.consent(f.ana, "terms");
    f.consent(f.ana, "marketing");
    f.vault.policy().publish(test_policy(2).dump());  // asks Ana about terms and marketing
    ASSERT_EQ(f.vault.consents().pending_reconsent().size(), 1u);
    ASSERT_EQ(f.vault.outbox().pending(), 1);
    f.consent(f.ana, "terms", ConsentAction::declined);  // marketing is still unanswered
    EXPECT_TRUE(f.vault.consents().pending_reconsent().empty());
    EXPECT_EQ(f.vault.outbox().pending(), 0);  // nobody is asked to consent to a closed account
}

TEST(Consent, ADeclineThatKeepsTheAccountSettlesItsRequest) {
    Fixture f;
    f.consent(f.ana, "marketing");
    f.vault.policy().publish(test_policy(2).dump());
    f.consent(f.ana, "marketing", ConsentAction::declined);
    EXPECT_TRUE(f.vault.consents().pending_reconsent().empty());
    EXPECT_EQ(f.vault.accounts().get(f.ana).status, AccountStatus::active);
    EXPECT_EQ(f.reason(f.ana, "marketing"), DecisionReason::declined);
    EXPECT_TRUE(f.vault.consents().erasure_requests(f.ana).empty());
}

TEST(Consent, OnlyAccountsThatCouldGrantAreAskedToConsentAgain) {
    Fixture f;
    f.consent(f.ana, "marketing");
    f.consent(f.bo, "marketing");
    f.vault.accounts().set_status(f.bo, AccountStatus::cancelled);
    const PublishResult r = f.vault.policy().publish(test_policy(2).dump());
    EXPECT_EQ(r.subjects_reconsent, 1);  // Bo is cancelled: marketing does not run for him
    const auto pending = f.vault.consents().pending_reconsent();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].subject, f.ana);
    EXPECT_EQ(f.vault.outbox().pending(), 1);
}

TEST(Consent, APurposeHeldInSeveralScopesIsAskedForOnce) {
    Fixture f;
    f.consent(f.ana, "marketing", ConsentAction::granted, "case_1");
    f.consent(f.ana, "marketing", ConsentAction::granted, "case_2");
    f.vault.policy().publish(test_policy(2).dump());
    const auto pending = f.vault.consents().pending_reconsent();
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0].purposes, std::vector<std::string>{"marketing"});
    f.consent(f.ana, "marketing");
    EXPECT_TRUE(f.vault.consents().pending_reconsent().empty());
}

TEST(Consent, VisitorConsentExpiresAsThePolicySays) {
    Fixture f;
    const std::string cookie = "visitor-cookie-5f1e";
    EXPECT_EQ(f.vault.consents().visitor_may(cookie, "statistics").reason, DecisionReason::no_consent);
    const ConsentEvent e = f.vault.consents().record_visitor(cookie, "statistics", ConsentAction::granted);
    EXPECT_EQ(e.expires_at, f.clock.now + 30 * kDaySeconds);
    EXPECT_EQ(e.subject.rfind("vis_", 0), 0u);
    EXPECT_EQ(e.subject.find(cookie), std::string::npos);  // only a keyed digest is kept
    EXPECT_TRUE(f.vault.consents().visitor_may(cookie, "statistics").allowed);
    EXPECT_EQ(f.vault.consents().visitor_may("another-visitor", "statistics").reason, DecisionReason::no_consent);
    EXPECT_EQ(f.vault.consents().visitor_may(cookie, "marketing").reason, DecisionReason::purpose_unknown);
    f.clock.now = e.expires_at - 1;
    EXPECT_TRUE(f.vault.consents().visitor_may(cookie, "statistics").allowed);
    f.clock.now = e.expires_at;
    EXPECT_EQ(f.vault.consents().visitor_may(cookie, "statistics").reason, DecisionReason::expired);
    EXPECT_CV_ERROR(f.vault.consents().record_visitor(cookie, "marketing", ConsentAction::granted),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(f.vault.consents().record_visitor("", "statistics", ConsentAction::granted),
                    Errc::invalid_argument);
    f.vault.consents().record_visitor(cookie, "statistics", ConsentAction::declined);
    EXPECT_EQ(f.vault.consents().visitor_may(cookie, "statistics").reason, DecisionReason::declined);
    EXPECT_TRUE(canaries_in_files(f.dir.path("c.db"), {cookie}).empty());
}

TEST(Consent, SubscriptionsAreConsentsToTheirPurpose) {
    Fixture f;
    EXPECT_TRUE(f.vault.consents().subscriptions(f.ana).empty());
    f.vault.consents().subscribe(f.ana, "newsletter", Channel::email, "signup form");
    EXPECT_EQ(f.vault.consents().subscriptions(f.ana), std::vector<std::string>{"newsletter"});
    EXPECT_TRUE(f.vault.may_process(f.ana, "newsletter").allowed);
    f.vault.consents().unsubscribe(f.ana, "newsletter", Channel::email);
    EXPECT_EQ(f.reason(f.ana, "newsletter"), DecisionReason::withdrawn);  // the next check is denied
    EXPECT_TRUE(f.vault.consents().subscriptions(f.ana).empty());
    EXPECT_CV_ERROR(f.vault.consents().unsubscribe(f.ana, "newsletter"), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.vault.consents().subscribe(f.ana, "alerts"), Errc::invalid_argument);
}

TEST(Consent, ReceiptsCarryTheKantaraFields) {
    Fixture f;
    f.vault.consents().subscribe(f.ana, "newsletter", Channel::email, "");
    f.consent(f.ana, "newsletter", ConsentAction::withdrawn);
    f.consent(f.ana, "marketing");
    const json receipts = json::parse(f.vault.consents().receipts(f.ana));
    ASSERT_EQ(receipts.size(), 2u);  // one per grant
    const json& r = receipts[0];
    EXPECT_EQ(r["version"], "KI-CR-v1.1.0");
    EXPECT_EQ(r["jurisdiction"], "US");
    EXPECT_EQ(r["consentTimestamp"], f.clock.now);
    EXPECT_EQ(r["collectionMethod"], "email");
    EXPECT_EQ(r["consentReceiptID"].get<std::string>().rfind("cns_", 0), 0u);
    EXPECT_EQ(r["piiPrincipalId"], f.ana);
    EXPECT_EQ(r["policyUrl"], "https://example.com/privacy");
    EXPECT_EQ(r["piiControllers"][0]["piiController"], "Test LLC");
    EXPECT_EQ(r["services"][0]["service"], "newsletter");
    EXPECT_EQ(r["services"][0]["purposes"][0]["piiCategory"], json({"contact"}));
    EXPECT_EQ(r["services"][0]["purposes"][0]["purpose"], "the newsletter");
}

TEST(Consent, TheOutboxLeasesAndForgetsWhatWasAcknowledged) {
    Fixture f;
    f.consent(f.ana, "marketing");
    f.consent(f.bo, "marketing");
    f.vault.policy().publish(test_policy(2).dump());
    EXPECT_EQ(f.vault.outbox().pending(), 2);
    auto first = f.vault.outbox().poll(1, 60);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].attempts, 1);
    auto second = f.vault.outbox().poll(10, 60);
    ASSERT_EQ(second.size(), 1u);  // the leased one is not handed out again
    EXPECT_NE(second[0].id, first[0].id);
    EXPECT_EQ(f.vault.outbox().ack({first[0].id}), 1);
    EXPECT_EQ(f.vault.outbox().ack({first[0].id, 999999}), 0);  // already acknowledged, unknown
    EXPECT_TRUE(f.vault.outbox().poll().empty());
    f.clock.now += 60;  // the second lease ran out: delivered again (at-least-once)
    auto again = f.vault.outbox().poll();
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].id, second[0].id);
    EXPECT_EQ(again[0].attempts, 2);
    EXPECT_EQ(f.vault.outbox().ack({again[0].id}), 1);
    f.clock.now += 3600;
    EXPECT_TRUE(f.vault.outbox().poll().empty());
    EXPECT_EQ(f.vault.outbox().pending(), 0);
    EXPECT_CV_ERROR(f.vault.outbox().poll(0), Errc::invalid_argument);
    EXPECT_CV_ERROR(f.vault.outbox().poll(10, 0), Errc::invalid_argument);
}

TEST(Consent, DenialsAreAudited) {
    Fixture f;
    f.vault.may_process(f.ana, "newsletter");
    f.vault.may_process(f.ana, "not a purpose, maybe personal");
    f.consent(f.ana, "newsletter");
    f.vault.may_process(f.ana, "newsletter");  // allowed: not audited
    const auto entries = f.vault.audit().read({std::nullopt, std::nullopt, std::string("consent.decision")});
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].outcome, "denied");
    EXPECT_EQ(entries[0].subject, f.ana);
    EXPECT_EQ(entries[0].target, "purpose:newsletter");
    EXPECT_EQ(entries[0].reason, "no_consent");
    EXPECT_EQ(entries[1].target, "");  // an unknown purpose string is not logged
    EXPECT_EQ(entries[1].reason, "purpose_unknown");
    EXPECT_TRUE(f.vault.audit().verify().ok);
}

TEST(Consent, AnotherConnectionsChangesAreSeenAtOnce) {
    Fixture f;
    f.consent(f.ana, "newsletter");
    EXPECT_TRUE(f.vault.may_process(f.ana, "newsletter").allowed);  // now cached
    {
        OpenOptions o = key_options();
        o.clock = f.clock.fn();
        Vault other = Vault::open(f.dir.path("c.db"), o);
        ConsentRequest r{f.ana, "newsletter", ConsentAction::withdrawn};
        other.consents().record(r);
    }
    EXPECT_EQ(f.reason(f.ana, "newsletter"), DecisionReason::withdrawn);
    {
        OpenOptions o = key_options();
        o.clock = f.clock.fn();
        Vault other = Vault::open(f.dir.path("c.db"), o);
        other.accounts().set_status(f.ana, AccountStatus::closed);
    }
    EXPECT_EQ(f.reason(f.ana, "tax_records"), DecisionReason::legal_obligation);
    EXPECT_EQ(f.reason(f.ana, "analytics"), DecisionReason::account_not_active);
}

TEST(Consent, ErasureRemovesTheConsentRecordsAndEvidence) {
    Fixture f;
    const std::string canary = "CANARY-evidence-7f3a91";
    ConsentRequest r{f.ana, "marketing", ConsentAction::granted, Channel::web, "", canary, std::nullopt};
    f.vault.consents().record(r);
    f.vault.consents().subscribe(f.ana, "newsletter");
    f.consent(f.ana, "terms");
    f.consent(f.bo, "newsletter");
    f.vault.policy().publish(test_policy(2).dump());  // queues a notification for Ana
    EXPECT_EQ(f.vault.consents().history(f.ana)[0].evidence, canary);
    EXPECT_TRUE(canaries_in_files(f.dir.path("c.db"), {canary}).empty());  // sealed, and the file is encrypted

    f.vault.accounts().erase(f.ana);
    EXPECT_EQ(f.reason(f.ana, "marketing"), DecisionReason::account_not_active);
    EXPECT_CV_ERROR(f.vault.consents().history(f.ana), Errc::invalid_argument);
    auto sql = raw_sql(f.dir.path("c.db"));
    for (const char* table : {"consent_events", "consent_state", "reconsent", "outbox"}) {
        const std::string q = std::string("SELECT count(*) FROM ") + table + " WHERE subject = '" + f.ana + "'";
        EXPECT_EQ(sql->db().query_text(q.c_str(), "test"), "0") << table;
    }
    EXPECT_EQ(f.vault.consents().history(f.bo).size(), 1u);  // Bo's own consent is untouched
}

TEST(Consent, AWriterInAnotherConnectionDoesNotBlockDecisions) {
    Fixture f;
    f.consent(f.ana, "newsletter");
    f.vault.may_process(f.ana, "newsletter");  // loads the facts
    // With the facts cached, a decision reads no table: a write transaction
    // held open by another connection neither blocks nor fails it.
    auto other = raw_sql(f.dir.path("c.db"));
    other->db().exec("BEGIN EXCLUSIVE", "test");
    EXPECT_TRUE(f.vault.may_process(f.ana, "newsletter").allowed);
    other->db().exec("ROLLBACK", "test");
}

TEST(Consent, ConsentsAndVisitorConsentsSurviveARekey) {
    Fixture f;
    ConsentRequest r{f.ana, "marketing", ConsentAction::granted, Channel::web, "", "form 17", std::nullopt};
    f.vault.consents().record(r);
    f.vault.consents().record_visitor("cookie-abc", "statistics", ConsentAction::granted);
    f.vault.change_key(test_key(9));
    EXPECT_TRUE(f.vault.may_process(f.ana, "marketing").allowed);
    EXPECT_EQ(f.vault.consents().history(f.ana)[0].evidence, "form 17");
    // The visitor digest key is stored wrapped and rewrapped, not derived
    // from the master key, so the same cookie still finds its consent.
    EXPECT_TRUE(f.vault.consents().visitor_may("cookie-abc", "statistics").allowed);
    f.vault.consents().record_visitor("cookie-abc", "statistics", ConsentAction::withdrawn);
    EXPECT_EQ(f.vault.consents().visitor_may("cookie-abc", "statistics").reason, DecisionReason::withdrawn);
}

TEST(Consent, AVisitorCheckBeforeAnyVisitorConsentDeniesWithoutWriting) {
    Fixture f;
    EXPECT_EQ(f.vault.consents().visitor_may("cookie-1", "statistics").reason, DecisionReason::no_consent);
    auto sql = raw_sql(f.dir.path("c.db"));
    EXPECT_EQ(sql->db().query_text("SELECT count(*) FROM meta WHERE key = 'visitor_index_key'", "test"), "0");
}

namespace {

// In a child process (POSIX locks of the parent are visible only from
// another process): whether some process holds a lock on the byte of the
// -shm file that SQLite's live connections hold shared (the DMS byte, 128).
bool shm_dms_byte_locked_by_parent(const std::string& db_path) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int fd = ::open((db_path + "-shm").c_str(), O_RDWR);
        if (fd < 0) _exit(2);
        struct flock fl {};
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = 128;
        fl.l_len = 1;
        if (fcntl(fd, F_GETLK, &fl) != 0) _exit(2);
        _exit(fl.l_type == F_UNLCK ? 1 : 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

TEST(Consent, TheChangeWatchLeavesSqlitesLocksAlone) {
    Fixture f;
    const std::string path = f.dir.path("c.db");
    ASSERT_TRUE(shm_dms_byte_locked_by_parent(path));
    f.consent(f.ana, "newsletter");
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(f.vault.may_process(f.ana, "newsletter").allowed);
    // Opening and closing the -shm file in this process would have dropped
    // every lock SQLite holds there (POSIX semantics).
    EXPECT_TRUE(shm_dms_byte_locked_by_parent(path));
    {
        Vault second = Fixture::open_vault(f.dir, f.clock);
        EXPECT_TRUE(second.may_process(f.ana, "newsletter").allowed);
    }
    EXPECT_TRUE(shm_dms_byte_locked_by_parent(path));
    EXPECT_TRUE(f.vault.may_process(f.ana, "newsletter").allowed);
}

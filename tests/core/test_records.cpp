// Cases, team access, correspondence, billing and board posts: the access
// matrix of both reference policies, validation, sealing, erasure.
#include <algorithm>

#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;

namespace {

constexpr std::int64_t kDay = 86400;
const char* const kCard = "4111 1111 1111 1111";

struct World {
    TempDir dir;
    ManualClock clock;
    Vault vault;
    std::string owner, other;                  // two subjects
    std::string attorney, staff, support, system, agency;
    std::string case_a, case_b;                // both the owner's
    std::string msg_a, msg_b, payment, post;

    explicit World(const std::string& policy_file) : vault(open(dir, clock)) {
        vault.policy().publish(read_file(std::string(CV_EXAMPLES_DIR) + "/policies/" + policy_file));
        owner = vault.accounts().create({"Olga Owner", std::string("olga@example.com"), std::string("+1 332 555 0101"), {}, {}}).id;
        other = vault.accounts().create({"Otto Other", std::string("otto@example.com"), {}, {}, {}}).id;
        attorney = vault.principals().add(Role::attorney).id;
        staff = vault.principals().add(Role::staff).id;
        support = vault.principals().add(Role::support).id;
        system = vault.principals().add(Role::system).id;
        agency = vault.principals().add(Role::agency).id;
        case_a = vault.cases().open(owner, owner, {std::string("EAC2190012345"), "I-485", std::string(R"({"q1":"a"})")}).id;
        case_b = vault.cases().open(owner, owner, {std::string("WAC2190054321"), "I-130", std::nullopt}).id;
        vault.cases().assign(case_a, attorney);
        vault.cases().assign(case_a, staff);
        msg_a = vault.correspondence().record(owner, message(case_a, "about case A")).id;
        msg_b = vault.correspondence().record(owner, message(case_b, "about case B")).id;
        payment = vault.billing().record(owner, pay()).id;
        if (policy_file == "visapro.json") post = vault.posts().publish(owner, {owner, "Hello", "My I-485 story"}).id;
    }
    static Vault open(TempDir& d, ManualClock& c) {
        return Vault::open(d.path("r.db"), clocked_key_options(c));
    }
    MessageFields message(const std::string& case_id, const std::string& body) const {
        MessageFields m;
        m.subject = owner;
        m.case_id = case_id;
        m.channel = MessageChannel::web_form;
        m.direction = Direction::outbound;
        m.body = body;
        return m;
    }
    PaymentFields pay() const {
        PaymentFields p;
        p.subject = owner;
        p.amount_minor = 4900;
        p.currency = "usd";
        p.card_brand = "Visa";
        p.last4 = "1111";
        p.billing_address = "1 Main St\nSpringfield";
        p.processor_ref = "ch_123abc";
        return p;
    }
    void grant_support(const std::string& scope, std::int64_t days) {
        ConsentRequest r;
        r.subject = owner;
        r.purpose = "support_access";
        r.scope = scope;
        r.expires_at = clock.now + days * kDay;
        vault.consents().record(r);
    }
    std::string rule(const std::string& actor, Action a, RecordKind k, const std::string& id) {
        const AccessVerdict v = vault.can(actor, a, {k, id});
        return v.allowed ? "allowed" : v.rule;
    }
};

}  // namespace

// Every role against every record kind, under the USCIS case-tracking policy.
TEST(Access, CaseParallelsMatrix) {
    World w("case-parallels.json");
    const std::string unknown = "prn_0123456789abcdef01234567";
    struct Row {
        std::string actor;
        std::string case_a, msg_a, payment;
    };
    const std::vector<Row> expected = {
        {w.owner, "allowed", "allowed", "allowed"},
        {w.other, "not_owner", "not_owner", "not_owner"},
        {w.attorney, "role_not_in_policy", "role_not_in_policy", "role_not_in_policy"},
        {w.staff, "role_not_in_policy", "role_not_in_policy", "role_not_in_policy"},
        {w.support, "no_support_grant", "allowed", "allowed"},
        {w.system, "allowed", "allowed", "allowed"},
        {w.agency, "needs_legal_process", "needs_legal_process", "needs_legal_process"},
        {unknown, "unknown_actor", "unknown_actor", "unknown_actor"},
        {"someone@example.com", "unknown_actor", "unknown_actor", "unknown_actor"},
    };
    for (const auto& r : expected) {
        SCOPED_TRACE(r.actor);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::case_, w.case_a), r.case_a);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::correspondence, w.msg_a), r.msg_a);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::billing, w.payment), r.payment);
    }
    // The owner may write its own case but not another's; support may not write cases at all.
    EXPECT_EQ(w.rule(w.owner, Action::write, RecordKind::case_, w.case_a), "allowed");
    EXPECT_EQ(w.rule(w.other, Action::write, RecordKind::case_, w.case_a), "not_owner");
    EXPECT_EQ(w.rule(w.support, Action::write, RecordKind::case_, w.case_a), "no_grant");
    EXPECT_EQ(w.rule(w.owner, Action::erase, RecordKind::billing, w.payment), "no_grant");
    // This policy has no board.
    EXPECT_CV_ERROR(w.vault.posts().publish(w.owner, {w.owner, "t", "b"}), Errc::access_denied);
}

TEST(Access, VisaProMatrix) {
    World w("visapro.json");
    struct Row {
        std::string actor;
        std::string case_a, case_b, msg_a, msg_b, payment, post;
    };
    const std::vector<Row> expected = {
        {w.owner, "allowed", "allowed", "allowed", "allowed", "allowed", "allowed"},
        {w.other, "not_owner", "not_owner", "not_owner", "not_owner", "not_owner", "allowed"},  // posts are public
        {w.attorney, "allowed", "not_assigned", "allowed", "not_assigned", "no_grant", "no_grant"},
        {w.staff, "allowed", "not_assigned", "allowed", "not_assigned", "no_grant", "no_grant"},
        {w.support, "role_not_in_policy", "role_not_in_policy", "role_not_in_policy", "role_not_in_policy",
         "role_not_in_policy", "role_not_in_policy"},
        {w.system, "allowed", "allowed", "allowed", "allowed", "allowed", "allowed"},
        {w.agency, "no_grant", "no_grant", "no_grant", "no_grant", "no_grant", "no_grant"},
    };
    for (const auto& r : expected) {
        SCOPED_TRACE(r.actor);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::case_, w.case_a), r.case_a);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::case_, w.case_b), r.case_b);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::correspondence, w.msg_a), r.msg_a);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::correspondence, w.msg_b), r.msg_b);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::billing, w.payment), r.payment);
        EXPECT_EQ(w.rule(r.actor, Action::read, RecordKind::post, w.post), r.post);
    }
    // Only the author removes a post.
    EXPECT_EQ(w.rule(w.other, Action::erase, RecordKind::post, w.post), "not_owner");
    EXPECT_EQ(w.rule(w.owner, Action::erase, RecordKind::post, w.post), "allowed");
    // The attorney may disclose the assigned case only.
    EXPECT_EQ(w.rule(w.attorney, Action::disclose, RecordKind::case_, w.case_a), "allowed");
    EXPECT_EQ(w.rule(w.staff, Action::disclose, RecordKind::case_, w.case_a), "no_grant");
}

TEST(Access, StaffAssignedToAAskingForBIsDeniedAuditedAndChangesNothing) {
    World w("visapro.json");
    EXPECT_EQ(w.vault.cases().get(w.staff, w.case_a).form_type, "I-485");
    try {
        w.vault.cases().get(w.staff, w.case_b);
        FAIL() << "expected AccessDenied";
    } catch (const AccessDenied& e) {
        EXPECT_EQ(e.code(), Errc::access_denied);
        EXPECT_EQ(e.rule(), "not_assigned");
        EXPECT_EQ(std::string(e.what()).find("WAC"), std::string::npos);
    }
    // A denied write leaves the case as it was.
    const Case before = w.vault.cases().get(w.owner, w.case_b);
    CaseUpdate u;
    u.form_type = "N-400";
    EXPECT_CV_ERROR(w.vault.cases().update(w.staff, w.case_b, u), Errc::access_denied);
    EXPECT_EQ(w.vault.cases().get(w.owner, w.case_b).form_type, before.form_type);
    CaseStatus s{"approved", 0, "manual", std::nullopt};
    EXPECT_CV_ERROR(w.vault.cases().add_status(w.staff, w.case_b, s), Errc::access_denied);
    EXPECT_TRUE(w.vault.cases().history(w.owner, w.case_b).empty());

    AuditFilter f;
    f.action = "access.denied";
    const auto denials = w.vault.audit().read(f);
    ASSERT_EQ(denials.size(), 3u);
    EXPECT_EQ(denials[0].actor, w.staff);
    EXPECT_EQ(denials[0].subject, w.owner);
    EXPECT_EQ(denials[0].outcome, "denied");
    EXPECT_EQ(denials[0].reason, "not_assigned");
    EXPECT_EQ(denials[0].target, "read case:" + w.case_b);
    EXPECT_EQ(denials[1].target, "write case:" + w.case_b);
    EXPECT_TRUE(w.vault.audit().verify({}).ok);

    // The list leaves out what the actor may not see.
    const auto seen = w.vault.cases().list(w.staff, w.owner);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].id, w.case_a);
    EXPECT_EQ(w.vault.cases().list(w.owner, w.owner).size(), 2u);

    // Unassigning takes the access away at once; assigning gives it.
    w.vault.cases().unassign(w.case_a, w.staff);
    EXPECT_EQ(w.rule(w.staff, Action::read, RecordKind::case_, w.case_a), "not_assigned");
    w.vault.cases().assign(w.case_b, w.staff);
    EXPECT_EQ(w.rule(w.staff, Action::read, RecordKind::case_, w.case_b), "allowed");
    EXPECT_EQ(w.vault.cases().assignees(w.case_b), std::vector<std::string>{w.staff});
    f.action = "case.";
    bool saw_assign = false, saw_unassign = false;
    for (const auto& e : w.vault.audit().read(f)) {
        saw_assign |= e.action == "case.assign" && e.target == "case:" + w.case_b && e.reason == "principal:" + w.staff;
        saw_unassign |= e.action == "case.unassign" && e.target == "case:" + w.case_a;
    }
    EXPECT_TRUE(saw_assign);
    EXPECT_TRUE(saw_unassign);
}

TEST(Access, SupportBeforeDuringAndAfterItsGrant) {
    World w("case-parallels.json");
    EXPECT_EQ(w.rule(w.support, Action::read, RecordKind::case_, w.case_a), "no_support_grant");
    w.grant_support(w.case_a, 10);  // for case A only, ten days
    EXPECT_EQ(w.vault.cases().get(w.support, w.case_a).id, w.case_a);
    EXPECT_EQ(w.rule(w.support, Action::read, RecordKind::case_, w.case_b), "no_support_grant");
    w.clock.now += 10 * kDay - 1;
    EXPECT_EQ(w.rule(w.support, Action::read, RecordKind::case_, w.case_a), "allowed");
    w.clock.now += 1;  // the grant ends
    EXPECT_EQ(w.rule(w.support, Action::read, RecordKind::case_, w.case_a), "no_support_grant");
    try {
        w.vault.cases().get(w.support, w.case_a);
        FAIL();
    } catch (const AccessDenied& e) {
        EXPECT_EQ(e.rule(), "no_support_grant");
    }
    // A grant for the whole purpose reaches every case; withdrawing it ends it.
    w.grant_support("", 5);
    EXPECT_EQ(w.rule(w.support, Action::read, RecordKind::case_, w.case_b), "allowed");
    ConsentRequest r;
    r.subject = w.owner;
    r.purpose = "support_access";
    r.action = ConsentAction::withdrawn;
    w.vault.consents().record(r);
    EXPECT_EQ(w.rule(w.support, Action::read, RecordKind::case_, w.case_b), "no_support_grant");
}

TEST(Access, UnknownDisabledAndErasedActors) {
    World w("visapro.json");
    try {
        w.vault.cases().get("prn_ffffffffffffffffffffffff", w.case_a);
        FAIL();
    } catch (const AccessDenied& e) {
        EXPECT_EQ(e.rule(), "unknown_actor");
    }
    // Free text as an actor is refused and not written to the log.
    EXPECT_CV_ERROR(w.vault.cases().get("olga@example.com", w.case_a), Errc::access_denied);
    AuditFilter f;
    f.action = "access.denied";
    const auto denials = w.vault.audit().read(f);
    ASSERT_EQ(denials.size(), 2u);
    EXPECT_EQ(denials[0].actor, "prn_ffffffffffffffffffffffff");
    EXPECT_EQ(denials[1].actor, "unknown");
    EXPECT_CV_ERROR(w.vault.cases().get("", w.case_a), Errc::invalid_argument);

    w.vault.principals().disable(w.attorney);
    EXPECT_EQ(w.rule(w.attorney, Action::read, RecordKind::case_, w.case_a), "actor_disabled");
    EXPECT_FALSE(w.vault.principals().get(w.attorney).active);
    EXPECT_CV_ERROR(w.vault.cases().assign(w.case_b, w.attorney), Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().assign(w.case_b, w.support), Errc::invalid_argument);  // not a team role
    EXPECT_CV_ERROR(w.vault.principals().add(Role::subject), Errc::invalid_argument);
    EXPECT_EQ(w.vault.principals().get(w.owner).role, Role::subject);
    EXPECT_EQ(w.vault.principals().list().size(), 5u);

    // An erased account is no longer a principal.
    w.vault.accounts().erase(w.other);
    EXPECT_EQ(w.rule(w.other, Action::read, RecordKind::post, w.post), "unknown_actor");
    EXPECT_CV_ERROR(w.vault.principals().get(w.other), Errc::not_found);
    // A record that does not exist is not_found, not a denial.
    EXPECT_CV_ERROR(w.vault.can(w.owner, Action::read, {RecordKind::case_, "cas_000000000000000000000000"}),
                    Errc::not_found);
    EXPECT_CV_ERROR(w.vault.can(w.owner, Action::read, {RecordKind::case_, w.msg_a}), Errc::invalid_argument);
}

TEST(Access, AnotherConnectionsAssignmentIsSeen) {
    World w("visapro.json");
    EXPECT_EQ(w.rule(w.staff, Action::read, RecordKind::case_, w.case_b), "not_assigned");
    {
        OpenOptions o = key_options();
        Vault second = Vault::open(w.dir.path("r.db"), o);
        second.cases().assign(w.case_b, w.staff);
    }
    EXPECT_EQ(w.rule(w.staff, Action::read, RecordKind::case_, w.case_b), "allowed");
}

TEST(Cases, OpenReadUpdateFindAndStatusHistory) {
    World w("visapro.json");
    Case c = w.vault.cases().get(w.owner, w.case_a);
    EXPECT_EQ(c.subject, w.owner);
    EXPECT_EQ(c.receipt_number.value_or(""), "EAC2190012345");
    EXPECT_EQ(c.questionnaire.value_or(""), R"({"q1":"a"})");
    EXPECT_FALSE(c.latest_status);

    // Receipt numbers are normalised before they are indexed.
    auto found = w.vault.cases().find_by_receipt(w.attorney, "eac-219-001-2345");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, w.case_a);
    EXPECT_FALSE(w.vault.cases().find_by_receipt(w.owner, "LIN2190000001"));
    // A case the actor may not read is no match (a refusal would say the
    // number is tracked here); the denial is audited.
    EXPECT_FALSE(w.vault.cases().find_by_receipt(w.staff, "WAC 219 005 4321"));
    AuditFilter denied;
    denied.action = "access.denied";
    const auto entries = w.vault.audit().read(denied);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].actor, w.staff);
    EXPECT_EQ(entries[0].target, "read case:" + w.case_b);
    EXPECT_EQ(entries[0].reason, "not_assigned");
    // One case per receipt number.
    EXPECT_CV_ERROR(w.vault.cases().open(w.other, w.other, {std::string("EAC2190012345"), "I-130", std::nullopt}),
                    Errc::duplicate);

    const std::int64_t t0 = w.clock.now;
    w.vault.cases().add_status(w.owner, w.case_a, {"received", t0 - 3 * kDay, "uscis", std::string("Case Was Received")});
    w.vault.cases().add_status(w.owner, w.case_a, {"rfe_sent", t0 - kDay, "uscis", std::nullopt});
    // A late-arriving older step does not become the latest.
    w.vault.cases().add_status(w.attorney, w.case_a, {"biometrics", t0 - 2 * kDay, "manual", std::nullopt});
    const auto h = w.vault.cases().history(w.owner, w.case_a);
    ASSERT_EQ(h.size(), 3u);
    EXPECT_EQ(h[0].status, "received");
    EXPECT_EQ(h[0].detail.value_or(""), "Case Was Received");
    EXPECT_EQ(h[1].status, "biometrics");
    EXPECT_EQ(h[2].status, "rfe_sent");
    c = w.vault.cases().get(w.owner, w.case_a);
    ASSERT_TRUE(c.latest_status);
    EXPECT_EQ(c.latest_status->status, "rfe_sent");

    CaseUpdate u;
    u.receipt_number = "";  // removed
    u.questionnaire = R"({"q1":"b","q2":[1,2]})";
    c = w.vault.cases().update(w.owner, w.case_a, u);
    EXPECT_FALSE(c.receipt_number);
    EXPECT_FALSE(w.vault.cases().find_by_receipt(w.owner, "EAC2190012345"));
    EXPECT_EQ(c.questionnaire.value_or(""), R"({"q1":"b","q2":[1,2]})");
    // The number is free again.
    EXPECT_NO_THROW(w.vault.cases().open(w.other, w.other, {std::string("EAC2190012345"), "i-130", std::nullopt}));

    // An attorney opening a case for a client is assigned to it.
    const Case mine = w.vault.cases().open(w.attorney, w.other, {std::nullopt, "N-400", std::nullopt});
    EXPECT_EQ(w.vault.cases().assignees(mine.id), std::vector<std::string>{w.attorney});
    EXPECT_EQ(w.rule(w.attorney, Action::read, RecordKind::case_, mine.id), "allowed");
    // Agency and other subjects may not open cases for someone.
    EXPECT_CV_ERROR(w.vault.cases().open(w.agency, w.other, {std::nullopt, "N-400", std::nullopt}), Errc::access_denied);
    EXPECT_CV_ERROR(w.vault.cases().open(w.owner, w.other, {std::nullopt, "N-400", std::nullopt}), Errc::access_denied);
}

TEST(Cases, Documents) {
    World w("visapro.json");
    const std::string sha(64, 'a');
    const CaseDocument d = w.vault.cases().add_document(w.staff, w.case_a, {"passport scan.pdf", "passport", 123456, sha});
    const auto docs = w.vault.cases().documents(w.owner, w.case_a);
    ASSERT_EQ(docs.size(), 1u);
    EXPECT_EQ(docs[0].name, "passport scan.pdf");
    EXPECT_EQ(docs[0].sha256, sha);
    EXPECT_EQ(docs[0].size, 123456);
    EXPECT_CV_ERROR(w.vault.cases().add_document(w.owner, w.case_a, {"x", "passport", 1, "abc"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_document(w.owner, w.case_a, {"x", "Passport!", 1, sha}), Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_document(w.owner, w.case_a, {"x", "passport", -1, sha}), Errc::invalid_argument);
    // visapro gives nobody erase on cases: removing a document is refused.
    EXPECT_CV_ERROR(w.vault.cases().remove_document(w.owner, d.id), Errc::access_denied);
    EXPECT_EQ(w.vault.cases().documents(w.owner, w.case_a).size(), 1u);
}

TEST(Cases, BadInputIsRefusedWithoutEchoAndStoresNothing) {
    World w("visapro.json");
    const auto before = w.vault.cases().list(w.owner, w.owner).size();
    struct Bad {
        std::string receipt;
        const char* says;
    };
    for (const Bad& b : {Bad{"ABC1234567890", "office"}, Bad{"EAC123456789", "ten digits"},
                         Bad{"EAC12345X7890", "digits"}, Bad{"EAC12345678901", "ten digits"}, Bad{"E", "ten digits"}}) {
        SCOPED_TRACE(b.receipt);
        try {
            w.vault.cases().open(w.owner, w.owner, {b.receipt, "I-485", std::nullopt});
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::invalid_argument);
            EXPECT_NE(std::string(e.what()).find(b.says), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find(b.receipt), std::string::npos) << e.what();
        }
    }
    for (const char* form : {"", "I485", "I-", "-485", "I-48555", "ABCDE-1", "I-485XYZ", "I 485"}) {
        SCOPED_TRACE(form);
        EXPECT_CV_ERROR(w.vault.cases().open(w.owner, w.owner, {std::nullopt, form, std::nullopt}), Errc::invalid_argument);
    }
    for (const char* q : {"not json", "42", "\"text\"", "{\"a\":\"\xff\xfe\"}", "{\"card\":\"4111-1111-1111-1111\"}",
                          "{\"n\":4111111111111111}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"}) {
        SCOPED_TRACE(q);
        try {
            w.vault.cases().open(w.owner, w.owner, {std::nullopt, "I-485", std::string(q)});
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::invalid_argument);
            EXPECT_EQ(std::string(e.what()).find("4111"), std::string::npos);
            EXPECT_NE(std::string(e.what()).find("questionnaire"), std::string::npos);
        }
    }
    EXPECT_CV_ERROR(w.vault.cases().open(w.owner, w.owner, {std::nullopt, "I-485", std::string((1 << 20) + 1, ' ')}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().open(w.owner, w.owner,
                                         {std::nullopt, "I-485", "{\"a\":\"" + std::string(1 << 20, 'x') + "\"}"}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_status(w.owner, w.case_a, {"Approved!", 0, "uscis", std::nullopt}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_status(w.owner, w.case_a, {"approved", 0, "uscis", std::string("card ") + kCard}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_status(w.owner, w.case_a, {"approved", w.clock.now + 2 * kDay, "uscis", std::nullopt}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().open(w.owner, "acc_000000000000000000000000", {std::nullopt, "I-485", std::nullopt}),
                    Errc::access_denied);  // someone else's account, existing or not: denied first
    EXPECT_CV_ERROR(w.vault.cases().open(w.attorney, "acc_000000000000000000000000", {std::nullopt, "I-485", std::nullopt}),
                    Errc::not_found);
    EXPECT_CV_ERROR(w.vault.cases().get(w.owner, "nope"), Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().get(w.owner, "cas_000000000000000000000000"), Errc::not_found);
    EXPECT_EQ(w.vault.cases().list(w.owner, w.owner).size(), before);
    EXPECT_TRUE(w.vault.cases().history(w.owner, w.case_a).empty());
}

TEST(Correspondence, RecordMatchListAndActivity) {
    World w("case-parallels.json");
    // An inbound email without a subject finds its account by sender.
    MessageFields in;
    in.channel = MessageChannel::email;
    in.direction = Direction::inbound;
    in.sender = "  OLGA@Example.com ";
    in.subject_line = "Question";
    in.body = "Where is my card?\nThanks";
    in.at = w.clock.now - 3600;
    const Message m = w.vault.correspondence().record(w.support, in);
    EXPECT_EQ(m.subject, w.owner);
    EXPECT_EQ(m.sender.value_or(""), "OLGA@Example.com");
    EXPECT_EQ(m.at, w.clock.now - 3600);
    const Message back = w.vault.correspondence().get(w.owner, m.id);
    EXPECT_EQ(back.body, "Where is my card?\nThanks");
    EXPECT_EQ(back.subject_line.value_or(""), "Question");
    EXPECT_EQ(back.channel, MessageChannel::email);
    // WhatsApp by phone number.
    in.channel = MessageChannel::whatsapp;
    in.sender = "+1 (332) 555-0101";
    EXPECT_EQ(w.vault.correspondence().record(w.support, in).subject, w.owner);
    EXPECT_EQ(w.vault.correspondence().match_sender(w.support, "olga@example.com").value_or(""), w.owner);
    EXPECT_FALSE(w.vault.correspondence().match_sender(w.support, "nobody@example.com"));
    in.sender = "nobody@example.com";
    EXPECT_CV_ERROR(w.vault.correspondence().record(w.support, in), Errc::not_found);
    in.sender.reset();
    EXPECT_CV_ERROR(w.vault.correspondence().record(w.support, in), Errc::invalid_argument);

    // Inbound messages are the subject's qualifying activity; outbound ones are not.
    auto activity = w.vault.core()->store().activity(w.owner);
    auto message_at = std::find_if(activity.begin(), activity.end(), [](const auto& a) { return a.first == "message"; });
    ASSERT_NE(message_at, activity.end());
    EXPECT_EQ(message_at->second, w.clock.now - 3600);
    EXPECT_TRUE(w.vault.core()->store().activity(w.other).empty());

    // A survey response is correspondence on the survey channel.
    MessageFields survey;
    survey.subject = w.owner;
    survey.channel = MessageChannel::survey;
    survey.body = R"({"nps":9})";
    w.vault.correspondence().record(w.owner, survey);

    MessageListOptions o;
    o.limit = 2;
    auto page = w.vault.correspondence().list(w.owner, w.owner, o);
    EXPECT_EQ(page.items.size(), 2u);
    std::size_t total = page.items.size();
    while (!page.next_cursor.empty()) {
        o.after_id = page.next_cursor;
        page = w.vault.correspondence().list(w.owner, w.owner, o);
        total += page.items.size();
    }
    EXPECT_EQ(total, 5u);  // two from the world, email, WhatsApp, survey
    MessageListOptions by_case;
    by_case.case_id = w.case_a;
    EXPECT_EQ(w.vault.correspondence().list(w.owner, w.owner, by_case).items.size(), 1u);
    // Another subject sees none of them; agency neither.
    EXPECT_TRUE(w.vault.correspondence().list(w.other, w.owner).items.empty());
    EXPECT_CV_ERROR(w.vault.correspondence().get(w.agency, m.id), Errc::access_denied);
    // A message cannot be filed under someone else's case.
    MessageFields wrong = w.message(w.case_a, "hi");
    wrong.subject = w.other;
    EXPECT_CV_ERROR(w.vault.correspondence().record(w.other, wrong), Errc::invalid_argument);
}

TEST(Correspondence, BatchIsAllOrNothingAndCardNumbersAreRefused) {
    World w("case-parallels.json");
    const auto count = [&] { return w.vault.correspondence().list(w.owner, w.owner).items.size(); };
    const std::size_t before = count();
    std::vector<MessageFields> batch(3, w.message(w.case_a, "fine"));
    batch[2].body = std::string("my card is ") + kCard + " exp 12/29";
    try {
        w.vault.correspondence().record_many(w.owner, batch);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("body"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("4111"), std::string::npos);
    }
    EXPECT_EQ(count(), before);
    batch[2] = w.message(w.case_a, "ok");
    batch[2].subject_line = "4111-1111-1111-1111";
    EXPECT_CV_ERROR(w.vault.correspondence().record_many(w.owner, batch), Errc::invalid_argument);
    batch[2].subject_line = "line\nbreak";
    EXPECT_CV_ERROR(w.vault.correspondence().record_many(w.owner, batch), Errc::invalid_argument);
    batch[2].subject_line.reset();
    batch[2].body = "\xc3\x28";
    EXPECT_CV_ERROR(w.vault.correspondence().record_many(w.owner, batch), Errc::invalid_argument);
    batch[2].body = std::string((1 << 20) + 1, 'x');
    EXPECT_CV_ERROR(w.vault.correspondence().record_many(w.owner, batch), Errc::invalid_argument);
    // A denied message anywhere in the batch denies all of it.
    batch[2] = w.message(w.case_a, "ok");
    batch[2].subject = w.other;
    batch[2].case_id.reset();
    EXPECT_CV_ERROR(w.vault.correspondence().record_many(w.owner, batch), Errc::access_denied);
    EXPECT_EQ(count(), before);
    batch[2].subject = w.owner;
    EXPECT_EQ(w.vault.correspondence().record_many(w.owner, batch).size(), 3u);
    EXPECT_EQ(count(), before + 3);
    // Phone numbers are not card numbers.
    EXPECT_NO_THROW(w.vault.correspondence().record(w.owner, w.message(w.case_a, "call me at +44 20 7946 0958")));
}

TEST(Billing, RecordReadAndNeverACardNumber) {
    World w("case-parallels.json");
    const Payment p = w.vault.billing().get(w.support, w.payment);
    EXPECT_EQ(p.amount_minor, 4900);
    EXPECT_EQ(p.currency, "USD");
    EXPECT_EQ(p.card_brand, "visa");
    EXPECT_EQ(p.last4, "1111");
    EXPECT_EQ(p.billing_address.value_or(""), "1 Main St\nSpringfield");
    EXPECT_EQ(p.processor_ref.value_or(""), "ch_123abc");
    PaymentFields r = w.pay();
    r.recurring = true;
    r.paid_at = w.clock.now - kDay;
    w.vault.billing().record(w.owner, r);
    EXPECT_EQ(w.vault.billing().list(w.owner, w.owner).size(), 2u);
    const auto activity = w.vault.core()->store().activity(w.owner);
    EXPECT_EQ(activity.size(), 2u);  // payment and recurring_payment
    EXPECT_CV_ERROR(w.vault.billing().list(w.other, w.owner), Errc::access_denied);
    EXPECT_CV_ERROR(w.vault.billing().record(w.support, w.pay()), Errc::access_denied);

    struct Case {
        const char* field;
        PaymentFields f;
    };
    std::vector<Case> cards;
    PaymentFields f = w.pay();
    f.billing_address = std::string("1 Main St\n") + kCard;
    cards.push_back({"billing_address", f});
    f = w.pay();
    f.processor_ref = "4111-1111-1111-1111";
    cards.push_back({"processor_ref", f});
    f = w.pay();
    f.last4 = "4111111111111111";
    cards.push_back({"last4", f});
    for (const auto& c : cards) {
        SCOPED_TRACE(c.field);
        try {
            w.vault.billing().record(w.owner, c.f);
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::invalid_argument);
            EXPECT_NE(std::string(e.what()).find(c.field), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find("4111"), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find("1111"), std::string::npos) << e.what();
        }
    }
    f = w.pay();
    f.amount_minor = 0;
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    f = w.pay();
    f.currency = "US";
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    f = w.pay();
    f.card_brand = "bitcoin";
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    f = w.pay();
    f.last4 = "12a4";
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    EXPECT_EQ(w.vault.billing().list(w.owner, w.owner).size(), 2u);
    // Free text of accounts is checked too.
    EXPECT_CV_ERROR(w.vault.accounts().create({"Card 5500 0000 0000 0004", std::string("x@example.com"), {}, {}, {}}),
                    Errc::invalid_argument);
}

TEST(Posts, PublicContentAndTheAuthorsErasure) {
    World w("visapro.json");
    const Post p = w.vault.posts().get(w.other, w.post);
    EXPECT_EQ(p.author.value_or(""), w.owner);
    EXPECT_EQ(p.body, "My I-485 story");
    EXPECT_CV_ERROR(w.vault.posts().publish(w.other, {w.owner, "x", "y"}), Errc::access_denied);
    EXPECT_CV_ERROR(w.vault.posts().publish(w.owner, {w.owner, "x", std::string("pay ") + kCard}), Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.posts().publish(w.owner, {w.owner, std::string(301, 't'), "y"}), Errc::invalid_argument);
    const Post second = w.vault.posts().publish(w.owner, {w.owner, "Again", "Second"});
    PostListOptions o;
    o.author = w.owner;
    EXPECT_EQ(w.vault.posts().list(w.other, o).items.size(), 2u);
    w.vault.posts().remove(w.owner, second.id);
    EXPECT_CV_ERROR(w.vault.posts().get(w.other, second.id), Errc::not_found);

    // visapro anonymises posts when their author is erased.
    w.vault.accounts().erase(w.owner);
    const Post kept = w.vault.posts().get(w.other, w.post);
    EXPECT_FALSE(kept.author);
    EXPECT_EQ(kept.body, "My I-485 story");
    EXPECT_TRUE(w.vault.posts().list(w.other, o).items.empty());
    // Nobody owns it any more: not even a new account can remove it.
    EXPECT_EQ(w.rule(w.other, Action::erase, RecordKind::post, w.post), "not_owner");
}

TEST(Erasure, RemovesEveryRecordAndNoCanaryRemainsInTheFiles) {
    World w("case-parallels.json");
    const std::vector<std::string> canaries = {"CANARY-Q-7731", "CANARY-BODY-5512", "CANARY-SUBJ-0042",
                                               "canary-sender@example.org", "CANARY-ADDR-9981", "CANARY-REF-3310",
                                               "CANARY-DETAIL-2207", "CANARY-DOC-1189", "LIN2290099887"};
    const std::string person = w.vault.accounts().create({"Pat", std::string("canary-sender@example.org"), {}, {}, {}}).id;
    const Case c = w.vault.cases().open(person, person, {std::string("LIN2290099887"), "I-765",
                                                         std::string(R"({"answer":"CANARY-Q-7731"})")});
    w.vault.cases().add_status(person, c.id, {"received", 0, "uscis", std::string("CANARY-DETAIL-2207")});
    MessageFields m;
    m.channel = MessageChannel::email;
    m.direction = Direction::inbound;
    m.sender = "canary-sender@example.org";
    m.subject_line = "CANARY-SUBJ-0042";
    m.body = "CANARY-BODY-5512";
    m.case_id = c.id;
    const Message msg = w.vault.correspondence().record(w.support, m);
    PaymentFields p = w.pay();
    p.subject = person;
    p.billing_address = "CANARY-ADDR-9981";
    p.processor_ref = "CANARY-REF-3310";
    const Payment pay = w.vault.billing().record(person, p);
    const std::string path = w.dir.path("r.db");
    // Sealed at rest, before any erasure.
    EXPECT_EQ(canaries_in_files(path, canaries), std::vector<std::string>{});

    w.vault.accounts().erase(person);
    EXPECT_CV_ERROR(w.vault.cases().get(w.system, c.id), Errc::not_found);
    EXPECT_CV_ERROR(w.vault.correspondence().get(w.system, msg.id), Errc::not_found);
    EXPECT_CV_ERROR(w.vault.billing().get(w.system, pay.id), Errc::not_found);
    EXPECT_FALSE(w.vault.cases().find_by_receipt(w.system, "LIN2290099887"));
    EXPECT_TRUE(w.vault.core()->store().activity(person).empty());
    // The other subject's records are untouched.
    EXPECT_EQ(w.vault.cases().list(w.owner, w.owner).size(), 2u);
    w.vault.close();
    EXPECT_EQ(canaries_in_files(path, canaries), std::vector<std::string>{});
}

TEST(Records, SealedFieldsAreBoundToTheirRow) {
    World w("visapro.json");
    auto& st = w.vault.core()->store();
    // Case A's sealed questionnaire copied onto case B must not open there.
    auto a = *st.case_row(w.case_a);
    auto b = *st.case_row(w.case_b);
    b.questionnaire = a.questionnaire;
    {
        auto tx = st.begin();
        st.update_case(b);
        tx->commit();
    }
    EXPECT_CV_ERROR(w.vault.cases().get(w.owner, w.case_b), Errc::corrupt);
    EXPECT_NO_THROW(w.vault.cases().get(w.owner, w.case_a));
}

TEST(Records, RekeyKeepsReceiptAndSenderIndexes) {
    World w("case-parallels.json");
    MessageFields in;
    in.channel = MessageChannel::email;
    in.direction = Direction::inbound;
    in.sender = "olga@example.com";
    in.body = "hello";
    const Message m = w.vault.correspondence().record(w.support, in);
    const auto before = w.vault.core()->store().message(m.id)->sender_bidx;
    w.vault.change_key(test_key(99));
    ASSERT_TRUE(w.vault.cases().find_by_receipt(w.owner, "EAC2190012345"));
    EXPECT_EQ(w.vault.cases().find_by_receipt(w.owner, "EAC2190012345")->id, w.case_a);
    const auto after = w.vault.core()->store().message(m.id)->sender_bidx;
    ASSERT_TRUE(after);
    EXPECT_NE(*before, *after);
    // The new digest equals the account's own email digest.
    EXPECT_EQ(*after, *w.vault.core()->store().account(w.owner)->email_bidx);
    EXPECT_EQ(w.vault.correspondence().get(w.owner, m.id).body, "hello");
}

// Review findings, each pinned by a test.

TEST(Access, UnassignedOnAnotherConnectionWhileASnapshotIsOpenIsSeenNextCall) {
    World w("visapro.json");
    EXPECT_EQ(w.rule(w.attorney, Action::read, RecordKind::case_, w.case_a), "allowed");
    auto& store = w.vault.core()->store();
    {
        // A read snapshot opens before another connection's commit ...
        auto tx = store.begin_read();
        ASSERT_TRUE(store.case_row(w.case_a));
        {
            Vault second = Vault::open(w.dir.path("r.db"), key_options());
            second.cases().unassign(w.case_a, w.attorney);
        }
        // ... and a decision inside it cannot see that commit yet.
        w.vault.core()->guard().decide(w.clock.now, {w.attorney, Role::attorney}, Action::read,
                                       {RecordKind::case_, w.owner, w.case_a, false});
        tx->commit();
    }
    // The next call must: the hint seen inside the snapshot was not taken as checked.
    EXPECT_EQ(w.rule(w.attorney, Action::read, RecordKind::case_, w.case_a), "not_assigned");
    EXPECT_CV_ERROR(w.vault.cases().get(w.attorney, w.case_a), Errc::access_denied);
}

TEST(Access, LookupsByValueDoNotTellWhoIsAClient) {
    World w("case-parallels.json");
    // The agency may write no one's correspondence: a client's address and
    // an unknown one look the same to it.
    EXPECT_FALSE(w.vault.correspondence().match_sender(w.agency, "olga@example.com"));
    EXPECT_FALSE(w.vault.correspondence().match_sender(w.agency, "nobody@example.com"));
    MessageFields in;
    in.sender = "olga@example.com";
    in.body = "hello";
    try {
        w.vault.correspondence().record(w.agency, in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::not_found);
        EXPECT_STREQ(e.what(), "no account has the sender's email");
    }
    in.sender = "nobody@example.com";
    try {
        w.vault.correspondence().record(w.agency, in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::not_found);
        EXPECT_STREQ(e.what(), "no account has the sender's email");
    }
    // Both hidden refusals are on record, with the subject the actor never learnt.
    AuditFilter f;
    f.action = "access.denied";
    const auto denials = w.vault.audit().read(f);
    ASSERT_EQ(denials.size(), 2u);
    for (const auto& d : denials) {
        EXPECT_EQ(d.actor, w.agency);
        EXPECT_EQ(d.subject, w.owner);
        EXPECT_EQ(d.reason, "no_grant");
    }
    // Someone else's receipt number is no match for a subject.
    EXPECT_FALSE(w.vault.cases().find_by_receipt(w.other, "EAC2190012345"));
}

TEST(Access, DenialsOfUnknownAndDisabledActorsNameWhatWasAttempted) {
    World w("visapro.json");
    w.vault.principals().disable(w.staff);
    EXPECT_CV_ERROR(w.vault.cases().get(w.staff, w.case_a), Errc::access_denied);
    EXPECT_CV_ERROR(w.vault.billing().list("prn_ffffffffffffffffffffffff", w.owner), Errc::access_denied);
    AuditFilter f;
    f.action = "access.denied";
    const auto denials = w.vault.audit().read(f);
    ASSERT_EQ(denials.size(), 2u);
    EXPECT_EQ(denials[0].reason, "actor_disabled");
    EXPECT_EQ(denials[0].target, "read case:" + w.case_a);
    EXPECT_EQ(denials[1].reason, "unknown_actor");
    EXPECT_EQ(denials[1].target, "read billing");
    EXPECT_EQ(denials[1].subject, w.owner);
    // can(): an unknown actor is refused before the record is looked up.
    EXPECT_EQ(w.rule("prn_ffffffffffffffffffffffff", Action::read, RecordKind::case_, "cas_000000000000000000000000"),
              "unknown_actor");
}

TEST(Access, WithoutBatchedReadAuditRecordsAndDenialsAreWrittenAtOnce) {
    TempDir dir;
    OpenOptions o = key_options();
    o.batch_read_audit = false;
    Vault v = Vault::open(dir.path("nb.db"), o);
    v.policy().publish(read_file(std::string(CV_EXAMPLES_DIR) + "/policies/visapro.json"));
    const std::string ana = v.accounts().create({"Ana", std::string("ana@example.com"), {}, {}, {}}).id;
    const std::string staff = v.principals().add(Role::staff).id;
    const Case c = v.cases().open(ana, ana, {std::nullopt, "I-130", std::nullopt});
    EXPECT_EQ(v.cases().get(ana, c.id).id, c.id);
    EXPECT_CV_ERROR(v.cases().get(staff, c.id), Errc::access_denied);
    EXPECT_FALSE(v.cases().find_by_receipt(staff, "EAC2190012345"));
    EXPECT_EQ(v.core()->audit_log().pending(), 0u);  // nothing waits in memory
    AuditFilter f;
    f.action = "access.denied";
    EXPECT_EQ(v.audit().read(f).size(), 1u);
    f.action = "case.read";
    EXPECT_EQ(v.audit().read(f).size(), 1u);
    EXPECT_TRUE(v.audit().verify({}).ok);
}

TEST(Records, CardNumbersHideNowhere) {
    World w("visapro.json");
    const std::string digits = "4111111111111111";
    EXPECT_CV_ERROR(w.vault.cases().add_status(w.owner, w.case_a, {digits, 0, "uscis", std::nullopt}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_status(w.owner, w.case_a, {"received", 0, "5500000000000004", std::nullopt}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.cases().add_document(w.owner, w.case_a, {"scan", digits, 1, std::string(64, 'a')}),
                    Errc::invalid_argument);
    for (const char* q : {R"({"c":4111111111111111.0})", R"({"c":4.111111111111111e15})", R"({"4111111111111111":1})",
                          "{\"a\":\"bell\\u0007\"}", "{\"a\\u0001\":1}"}) {
        SCOPED_TRACE(q);
        EXPECT_CV_ERROR(w.vault.cases().open(w.owner, w.owner, {std::nullopt, "I-485", std::string(q)}),
                        Errc::invalid_argument);
    }
    // Line breaks in answers are fine; so are ordinary numbers.
    EXPECT_NO_THROW(w.vault.cases().open(w.owner, w.owner,
                                         {std::nullopt, "I-485", std::string(R"({"a":"two\nlines","n":3.5,"k":12})")}));
    EXPECT_TRUE(w.vault.cases().history(w.owner, w.case_a).empty());
}

TEST(Erasure, EveryTableLetsGoOfTheSubjectAndOthersMessagesForgetTheAddress) {
    World w("visapro.json");
    auto& st = w.vault.core()->store();
    // Otto writes to the firm about Olga's case A (filed under Olga).
    MessageFields m = w.message(w.case_a, "I am Olga's employer");
    m.direction = Direction::inbound;
    m.channel = MessageChannel::email;
    m.sender = "otto@example.com";
    const Message from_otto = w.vault.correspondence().record(w.owner, m);
    ASSERT_TRUE(st.message(from_otto.id)->foreign_sender);
    w.vault.cases().add_status(w.owner, w.case_a, {"received", 0, "uscis", std::string("detail")});
    w.vault.cases().add_document(w.owner, w.case_a, {"scan", "passport", 1, std::string(64, 'b')});
    PaymentFields p = w.pay();
    w.vault.billing().record(w.owner, p);

    auto count = [&](const char* sql) {
        return w.vault.core()->store().db().prepare(sql).bind(1, w.owner).scalar();
    };
    EXPECT_GT(count("SELECT count(*) FROM case_status WHERE case_id IN (SELECT id FROM cases WHERE subject = ?1)"), 0);
    w.vault.accounts().erase(w.owner);
    for (const char* sql :
         {"SELECT count(*) FROM cases WHERE subject = ?1",
          "SELECT count(*) FROM case_status WHERE case_id NOT IN (SELECT id FROM cases) AND ?1 IS NOT NULL",
          "SELECT count(*) FROM case_documents WHERE case_id NOT IN (SELECT id FROM cases) AND ?1 IS NOT NULL",
          "SELECT count(*) FROM case_assignments WHERE case_id NOT IN (SELECT id FROM cases) AND ?1 IS NOT NULL",
          "SELECT count(*) FROM messages WHERE subject = ?1", "SELECT count(*) FROM payments WHERE subject = ?1",
          "SELECT count(*) FROM activity WHERE subject = ?1", "SELECT count(*) FROM posts WHERE author = ?1",
          "SELECT count(*) FROM consent_events WHERE subject = ?1", "SELECT count(*) FROM consent_state WHERE subject = ?1"}) {
        SCOPED_TRACE(sql);
        EXPECT_EQ(count(sql), 0);
    }
    // Erasing Otto takes his address out of the message he sent about Olga...
    // which went with Olga already; so file one under another live subject.
    const std::string third = w.vault.accounts().create({"Tess", std::string("tess@example.com"), {}, {}, {}}).id;
    MessageFields to_tess;
    to_tess.subject = third;
    to_tess.sender = "otto@example.com";
    to_tess.body = "about Tess";
    const Message about_tess = w.vault.correspondence().record(w.system, to_tess);
    w.vault.accounts().erase(w.other);  // Otto
    const auto row = st.message(about_tess.id);
    ASSERT_TRUE(row);
    EXPECT_FALSE(row->sender);
    EXPECT_FALSE(row->sender_bidx);
    EXPECT_EQ(w.vault.correspondence().get(third, about_tess.id).body, "about Tess");
}

TEST(Records, InfoCountsThem) {
    World w("visapro.json");
    const VaultInfo i = w.vault.info();
    EXPECT_EQ(i.principals, 5);
    EXPECT_EQ(i.cases, 2);
    EXPECT_EQ(i.messages, 2);
    EXPECT_EQ(i.payments, 1);
    EXPECT_EQ(i.posts, 1);
}

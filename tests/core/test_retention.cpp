// The retention engine, day by day against both reference policies:
// activity, inactivity, cancellation, deletion requests, declined policies,
// inbound commands, holds, the sweep (preview, receipts, a killed sweep),
// backups and restore with erasure replay.
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "test_policy_doc.hpp"
#include "test_util.hpp"

using namespace casevault;
using namespace cvtest;

namespace {

constexpr std::int64_t kDay = 86400;

struct World {
    TempDir dir;
    ManualClock clock;
    Vault vault;
    std::int64_t t0 = 0;

    explicit World(const std::string& policy_file = "case-parallels.json") : vault(open(dir, clock)) {
        vault.policy().publish(policy_text(policy_file));
        t0 = clock.now;
    }
    static Vault open(TempDir& d, ManualClock& c) {
        return Vault::open(d.path("r.db"), clocked_key_options(c));
    }
    std::string path() { return dir.path("r.db"); }
    void at_day(std::int64_t day, std::int64_t plus_seconds = 0) { clock.now = t0 + day * kDay + plus_seconds; }

    // A 2703(f) preservation of an account or a case.
    Hold hold(const std::string& target, HoldScope scope = HoldScope::subject) {
        HoldRequest h;
        h.scope = scope;
        h.target = target;
        h.authority = "sca_2703f";
        h.reference = "r";
        return vault.holds().place(h);
    }
    std::string person(const std::string& name, const std::string& email, const std::string& phone = "") {
        AccountFields f;
        f.name = name;
        f.email = email;
        if (!phone.empty()) f.phone = phone;
        return vault.accounts().create(f).id;
    }
    std::string open_case(const std::string& subject, const std::string& receipt) {
        return vault.cases().open(subject, subject, {receipt, "I-485", std::string(R"({"q":"secret answer"})")}).id;
    }
    void message(const std::string& subject, const std::string& body, MessageChannel ch = MessageChannel::email) {
        MessageFields m;
        m.subject = subject;
        m.channel = ch;
        m.direction = Direction::inbound;
        m.body = body;
        m.sender = "someone@example.com";
        vault.correspondence().record(subject, m);
    }
    std::string pay(const std::string& subject, bool recurring = false) {
        PaymentFields p;
        p.subject = subject;
        p.amount_minor = 4900;
        p.currency = "usd";
        p.card_brand = "visa";
        p.last4 = "4242";
        p.billing_address = "12 Canary Lane, Springfield";
        p.processor_ref = "ch_canaryref";
        p.recurring = recurring;
        return vault.billing().record(subject, p).id;
    }
    std::size_t cases_of(const std::string& subject) { return vault.cases().list(subject, subject).size(); }
    SweepReport sweep() { return vault.retention().sweep(); }
    AccountStatus status(const std::string& id) { return vault.accounts().get(id).status; }
    std::string last_code() {
        std::string code;
        for (const auto& n : vault.outbox().poll(100, 60)) {
            if (n.kind == "confirm_request") code = nlohmann::json::parse(n.payload).at("code");
        }
        return code;
    }
};

InboundMessage email(const std::string& from, const std::string& subject_line, const std::string& body = "") {
    InboundMessage m;
    m.channel = Channel::email;
    m.sender = from;
    m.subject_line = subject_line;
    m.body = body;
    return m;
}

InboundMessage whatsapp(const std::string& from, const std::string& body) {
    InboundMessage m;
    m.channel = Channel::whatsapp;
    m.sender = from;
    m.body = body;
    return m;
}

}  // namespace

// ---- parsing ---------------------------------------------------------------------

TEST(Inbound, EmailSubjectLinesAreReadAsWords) {
    auto cmd = [](const std::string& line) { return Requests::parse(email("a@example.com", line)); };
    EXPECT_EQ(cmd("CANCEL").command, RequestKind::cancel);
    EXPECT_EQ(cmd("Re: please cancel my plan").command, RequestKind::cancel);
    EXPECT_EQ(cmd("DELETE my account").command, RequestKind::erase);
    EXPECT_EQ(cmd("delete.").command, RequestKind::erase);
    EXPECT_EQ(cmd("CANCEL").outcome, InboundOutcome::accepted);
    EXPECT_EQ(cmd("cancellation fees?").outcome, InboundOutcome::no_command);  // a word, not a prefix
    EXPECT_EQ(cmd("undelete").outcome, InboundOutcome::no_command);
    EXPECT_EQ(cmd("Question about my case").outcome, InboundOutcome::no_command);
    EXPECT_EQ(cmd("CANCEL or DELETE?").outcome, InboundOutcome::ambiguous);
    EXPECT_EQ(cmd("please don't delete my case").outcome, InboundOutcome::negated);
    EXPECT_EQ(cmd("please don\xE2\x80\x99t delete my case").outcome, InboundOutcome::negated);
    EXPECT_EQ(cmd("do not cancel").outcome, InboundOutcome::negated);
    EXPECT_FALSE(cmd("do not cancel").command.has_value());
    // Only the subject line counts for email.
    EXPECT_EQ(Requests::parse(email("a@example.com", "Hello", "DELETE")).outcome, InboundOutcome::no_command);
}

TEST(Inbound, WhatsAppBodiesMustBeTheWord) {
    auto wa = [](const std::string& body) { return Requests::parse(whatsapp("+13325550101", body)); };
    EXPECT_EQ(wa("CANCEL").command, RequestKind::cancel);
    EXPECT_EQ(wa("  delete \n").command, RequestKind::erase);
    EXPECT_EQ(wa("Delete").outcome, InboundOutcome::accepted);
    EXPECT_EQ(wa("I want to delete my account").outcome, InboundOutcome::mention_only);
    EXPECT_EQ(wa("please don't delete my case").outcome, InboundOutcome::negated);
    EXPECT_EQ(wa("cancel delete").outcome, InboundOutcome::ambiguous);
    EXPECT_EQ(wa("hello").outcome, InboundOutcome::no_command);
    EXPECT_EQ(wa("").outcome, InboundOutcome::no_command);
}

TEST(Inbound, BadInputIsRefused) {
    InboundMessage m = email("a@example.com", "CANCEL");
    m.channel = Channel::web;
    EXPECT_CV_ERROR(Requests::parse(m), Errc::invalid_argument);
    EXPECT_CV_ERROR(Requests::parse(email("a@example.com", "bad \xff utf8")), Errc::invalid_argument);
    EXPECT_CV_ERROR(Requests::parse(email("a@example.com", std::string(1001, 'x'))), Errc::invalid_argument);
}

// ---- activity and inactivity (Case Parallels) --------------------------------------

TEST(Retention, InactivityDeletesContentExactlyOnItsDay) {
    World w;
    const std::string a = w.person("Ann Canary", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    // Sign-up counts as activity: inactive from day 30, content goes on day 90.
    auto s = w.vault.activity().state(a);
    EXPECT_TRUE(s.active);
    EXPECT_EQ(s.active_until, w.t0 + 30 * kDay);
    ASSERT_TRUE(s.inactivity_due_at);
    EXPECT_EQ(*s.inactivity_due_at, w.t0 + 90 * kDay);
    w.at_day(31);
    EXPECT_FALSE(w.vault.activity().state(a).active);
    w.at_day(90, -1);
    EXPECT_EQ(w.sweep().subjects, 0);
    EXPECT_EQ(w.cases_of(a), 1u);
    w.at_day(90);
    const auto r = w.sweep();
    EXPECT_EQ(r.subjects, 1);
    EXPECT_EQ(r.counts.at("case"), 1);
    EXPECT_EQ(w.cases_of(a), 0u);
    // Only content: the account and its correspondence stay.
    EXPECT_EQ(w.status(a), AccountStatus::active);
    const auto receipts = w.vault.retention().receipts_for(a);
    ASSERT_EQ(receipts.size(), 1u);
    EXPECT_EQ(receipts[0].trigger, RetentionTrigger::inactivity);
    EXPECT_EQ(receipts[0].rules, std::vector<std::string>{"content-after-inactivity"});
    EXPECT_EQ(receipts[0].counts.at("case"), 1);
    EXPECT_NE(receipts[0].subject_ref.find_first_not_of("0123456789abcdef"), 0u);
    EXPECT_EQ(receipts[0].subject_ref.find(a), std::string::npos);
    // Idempotent: nothing more is due.
    EXPECT_EQ(w.sweep().subjects, 0);
    EXPECT_FALSE(w.vault.activity().state(a).inactivity_due_at);
}

TEST(Retention, EachActivityKindMovesTheDeadline) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    const std::string b = w.person("Bob", "bob@example.com");
    const std::string c = w.person("Cy", "cy@example.com");
    const std::string d = w.person("Di", "di@example.com");
    for (const auto& s : {a, b, c, d}) w.open_case(s, "EAC21900000" + std::to_string(10 + (&s - &a)));
    w.at_day(20);
    w.message(a, "a question");                 // message: day 20 + 30 + 60 = 110
    w.pay(b, /*recurring=*/true);               // a recurring charge counts as payment
    w.vault.activity().record(c, "token_use");  // an allotted token
    EXPECT_CV_ERROR(w.vault.activity().record(d, "login"), Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.activity().record(d, "message", w.clock.now + 1), Errc::invalid_argument);
    for (const auto& s : {a, b, c}) EXPECT_EQ(*w.vault.activity().state(s).inactivity_due_at, w.t0 + 110 * kDay);
    w.at_day(90);
    w.sweep();  // d (no activity after sign-up) goes on day 90
    EXPECT_EQ(w.cases_of(d), 0u);
    for (const auto& s : {a, b, c}) EXPECT_EQ(w.cases_of(s), 1u);
    w.at_day(110, -1);
    w.sweep();
    for (const auto& s : {a, b, c}) EXPECT_EQ(w.cases_of(s), 1u);
    w.at_day(110);
    w.sweep();
    for (const auto& s : {a, b, c}) EXPECT_EQ(w.cases_of(s), 0u);
}

TEST(Retention, ActivityRevivesAnInactiveAccountBeforeItsDeletion) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    w.at_day(60);  // inactive since day 30, deletion due day 90
    EXPECT_FALSE(w.vault.activity().state(a).active);
    w.pay(a);
    const auto s = w.vault.activity().state(a);
    EXPECT_TRUE(s.active);
    EXPECT_EQ(*s.inactivity_due_at, w.t0 + 150 * kDay);
    w.at_day(90);
    EXPECT_EQ(w.sweep().subjects, 0);
    EXPECT_EQ(w.cases_of(a), 1u);
    w.at_day(150);
    EXPECT_EQ(w.sweep().subjects, 1);
    EXPECT_EQ(w.cases_of(a), 0u);
    // Activity after the deletion starts a new clock for new content.
    w.at_day(151);
    w.message(a, "back again");
    EXPECT_EQ(*w.vault.activity().state(a).inactivity_due_at, w.t0 + 241 * kDay);
}

// ---- cancellation and deletion requests -------------------------------------------

TEST(Retention, CancellationDeletesContentThirtyDaysLater) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    w.message(a, "keep me");
    w.at_day(5);
    const auto req = w.vault.requests().cancel(a, Channel::web);
    EXPECT_EQ(req.state, RequestState::pending);
    EXPECT_EQ(req.due_at, w.t0 + 35 * kDay);
    EXPECT_EQ(w.status(a), AccountStatus::cancelled);
    // Asking twice returns the pending request.
    EXPECT_EQ(w.vault.requests().cancel(a).id, req.id);
    w.pay(a);  // a final invoice keeps the inactivity clock away until day 95
    w.at_day(35, -1);
    w.sweep();
    EXPECT_EQ(w.cases_of(a), 1u);
    w.at_day(35);
    const auto r = w.sweep();
    EXPECT_EQ(r.counts.at("case"), 1);
    EXPECT_EQ(w.cases_of(a), 0u);
    EXPECT_EQ(w.vault.correspondence().list(a, a).items.size(), 1u);  // correspondence has its own rule
    EXPECT_EQ(w.vault.requests().get(req.id).state, RequestState::done);
    EXPECT_EQ(w.vault.retention().receipts_for(a).back().trigger, RetentionTrigger::cancellation);
}

TEST(Retention, ReactivationWithdrawsTheCancellation) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    w.pay(a, true);
    const auto req = w.vault.requests().cancel(a);
    w.at_day(10);
    w.vault.accounts().set_status(a, AccountStatus::active);
    EXPECT_EQ(w.vault.requests().get(req.id).state, RequestState::withdrawn);
    w.at_day(31);
    w.sweep();
    EXPECT_EQ(w.cases_of(a), 1u);
}

TEST(Retention, ADeletionRequestErasesAtTheNextSweepAndKeepsMinimalBilling) {
    World w;
    const std::string a = w.person("Ann Canaryname", "ann.canary@example.com", "+1 332 555 0199");
    const std::string b = w.person("Bob", "bob@example.com");
    w.open_case(a, "EAC2190000001");
    w.message(a, "my canary question");
    w.message(a, "survey canary answer", MessageChannel::survey);
    const std::string pay_id = w.pay(a);
    w.open_case(b, "EAC2190000002");
    const auto req = w.vault.requests().erase(a, Channel::email);
    EXPECT_EQ(req.due_at, w.clock.now);
    EXPECT_EQ(req.trigger, RetentionTrigger::deletion_request);
    EXPECT_EQ(w.status(a), AccountStatus::active);  // nothing happens before the sweep

    const auto plan = w.vault.retention().preview();
    ASSERT_EQ(plan.deletions.size(), 1u);
    EXPECT_EQ(plan.deletions[0].subject, a);
    EXPECT_EQ(plan.deletions[0].actions.at("billing"), "minimize");
    EXPECT_EQ(plan.deletions[0].actions.at("account"), "delete");
    EXPECT_EQ(plan.deletions[0].counts.at("survey"), 1);
    EXPECT_EQ(w.status(a), AccountStatus::active);  // preview changed nothing

    const auto r = w.sweep();
    EXPECT_EQ(r.subjects, 1);
    EXPECT_EQ(w.status(a), AccountStatus::erased);
    EXPECT_EQ(w.cases_of(b), 1u);
    EXPECT_EQ(w.vault.requests().get(req.id).state, RequestState::done);
    const auto receipt = w.vault.retention().receipts_for(a).at(0);
    EXPECT_EQ(receipt.counts.at("account"), 1);
    EXPECT_EQ(receipt.counts.at("case"), 1);
    EXPECT_EQ(receipt.counts.at("correspondence"), 1);
    EXPECT_EQ(receipt.counts.at("survey"), 1);
    EXPECT_EQ(receipt.counts.at("billing"), 1);
    // The payment keeps what a tax audit needs, readable by support after the key is gone.
    const std::string support = w.vault.principals().add(Role::support).id;
    const Payment p = w.vault.billing().get(support, pay_id);
    EXPECT_EQ(p.amount_minor, 4900);
    EXPECT_EQ(p.currency, "USD");
    EXPECT_EQ(p.last4, "4242");
    EXPECT_EQ(p.billing_address.value_or(""), "12 Canary Lane, Springfield");
    EXPECT_FALSE(p.processor_ref.has_value());
    EXPECT_EQ(p.card_brand, "");
    w.vault.close();
    EXPECT_EQ(canaries_in_files(w.path(), {"Canaryname", "ann.canary", "canary question", "survey canary",
                                           "ch_canaryref", "secret answer"}),
              std::vector<std::string>{});
}

TEST(Retention, ADeclinedPolicyErasesTheAccount) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    ConsentRequest terms;
    terms.subject = a;
    terms.purpose = "terms";
    w.vault.consents().record(terms);
    w.open_case(a, "EAC2190000001");
    const std::string pay_id = w.pay(a);
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    doc["metadata"]["version"] = 2;
    w.at_day(1);
    w.vault.policy().publish(doc.dump());
    terms.action = ConsentAction::declined;
    w.vault.consents().record(terms);
    EXPECT_EQ(w.status(a), AccountStatus::closed);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::erased);
    const auto receipt = w.vault.retention().receipts_for(a).at(0);
    EXPECT_EQ(receipt.trigger, RetentionTrigger::reconsent_declined);
    EXPECT_EQ(receipt.rules, (std::vector<std::string>{"account-on-reconsent-declined", "billing-on-reconsent-declined"}));
    EXPECT_EQ(receipt.counts.at("billing"), 1);
    const std::string support = w.vault.principals().add(Role::support).id;
    EXPECT_EQ(w.vault.billing().get(support, pay_id).last4, "4242");  // minimised, kept
    EXPECT_EQ(w.vault.consents().erasure_requests(a).at(0).state, "done");
}

TEST(Retention, VisaProAnonymisesPostsAndTakesNoInboundCommands) {
    World w("visapro.json");
    const std::string a = w.person("Ann", "ann@example.com");
    const std::string post = w.vault.posts().publish(a, {a, "Title", "A public story"}).id;
    const auto in = w.vault.requests().inbound(email("ann@example.com", "DELETE"));
    EXPECT_EQ(in.outcome, InboundOutcome::channel_not_accepted);
    HoldRequest h;
    h.target = a;
    h.authority = "sca_2703f";
    h.reference = "case 1";
    EXPECT_CV_ERROR(w.vault.holds().place(h), Errc::invalid_argument);
    w.vault.requests().erase(a);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::erased);
    const std::string b = w.person("Bob", "bob@example.com");
    const Post p = w.vault.posts().get(b, post);
    EXPECT_FALSE(p.author.has_value());
    EXPECT_EQ(w.vault.retention().receipts_for(a).at(0).counts.at("post"), 1);
}

// ---- inbound commands with confirmation ------------------------------------------

TEST(Retention, InboundCommandsWaitForTheirCode) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com", "+1 332 555 0101");
    w.open_case(a, "EAC2190000001");
    auto r = w.vault.requests().inbound(email("stranger@example.com", "DELETE"));
    EXPECT_EQ(r.outcome, InboundOutcome::unknown_sender);
    EXPECT_FALSE(r.subject);
    r = w.vault.requests().inbound(email("ANN@example.com", "please don't delete my case"));
    EXPECT_EQ(r.outcome, InboundOutcome::negated);
    r = w.vault.requests().inbound(email("ann@example.com", "CANCEL"));
    EXPECT_EQ(r.outcome, InboundOutcome::awaiting_confirmation);
    ASSERT_TRUE(r.request);
    EXPECT_EQ(*r.subject, a);
    EXPECT_EQ(r.request->state, RequestState::awaiting_confirmation);
    EXPECT_EQ(w.status(a), AccountStatus::active);  // nothing until confirmed
    const std::string code = w.last_code();
    ASSERT_EQ(code.size(), 14u);
    EXPECT_CV_ERROR(w.vault.requests().confirm("0000-0000-0000"), Errc::not_found);
    EXPECT_CV_ERROR(w.vault.requests().confirm("not a code"), Errc::invalid_argument);
    std::string lower = code;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    const auto done = w.vault.requests().confirm(lower);
    EXPECT_EQ(done.state, RequestState::pending);
    EXPECT_EQ(w.status(a), AccountStatus::cancelled);
    EXPECT_CV_ERROR(w.vault.requests().confirm(code), Errc::not_found);  // single use
    // The audit log holds no code and no message text.
    for (const auto& e : w.vault.audit().read({})) {
        EXPECT_EQ(e.reason.find(code), std::string::npos);
        EXPECT_EQ(e.target.find("please"), std::string::npos);
    }
}

TEST(Retention, ACodeExpiresAfterItsTtl) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com", "+1 332 555 0101");
    const auto r = w.vault.requests().inbound(whatsapp("+13325550101", " Delete "));
    ASSERT_EQ(r.outcome, InboundOutcome::awaiting_confirmation);
    EXPECT_EQ(r.command, RequestKind::erase);
    const std::string code = w.last_code();
    w.at_day(7, 1);
    EXPECT_CV_ERROR(w.vault.requests().confirm(code), Errc::expired);
    const auto rep = w.sweep();
    EXPECT_EQ(rep.requests_expired, 1);
    EXPECT_EQ(w.vault.requests().get(r.request->id).state, RequestState::expired);
    EXPECT_EQ(w.status(a), AccountStatus::active);
}

TEST(Retention, AConfirmedInboundDeleteIsCarriedOut) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com", "+1 332 555 0101");
    w.vault.requests().inbound(whatsapp("+1 (332) 555-0101", "DELETE"));
    w.at_day(6);
    w.vault.requests().confirm(w.last_code());
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::erased);
}

// ---- holds -------------------------------------------------------------------------

TEST(Holds, AHoldDefersACancellationUntilItExpiresWithoutProcess) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    w.pay(a, true);
    w.vault.requests().cancel(a);  // content due day 30
    w.at_day(20);
    HoldRequest h;
    h.target = a;
    h.authority = "sca_2703f";
    h.reference = "2703(f) letter 77";
    const Hold hold = w.vault.holds().place(h);
    EXPECT_EQ(hold.expires_at, w.clock.now + 90 * kDay);  // day 110
    EXPECT_EQ(hold.reference, "2703(f) letter 77");
    w.at_day(30);
    auto plan = w.vault.retention().preview();
    ASSERT_EQ(plan.held.size(), 1u);
    EXPECT_EQ(plan.held[0].hold_id, hold.id);
    auto r = w.sweep();
    ASSERT_EQ(r.held.size(), 1u);
    EXPECT_EQ(r.held[0].reason, "held:subject");
    EXPECT_EQ(w.cases_of(a), 1u);
    w.at_day(110, -1);
    w.sweep();
    EXPECT_EQ(w.cases_of(a), 1u);
    w.at_day(110);
    EXPECT_EQ(w.vault.retention().preview().holds_expiring, std::vector<std::string>{hold.id});
    r = w.sweep();
    EXPECT_EQ(r.holds_expired, 1);
    EXPECT_EQ(w.cases_of(a), 0u);  // the deferred deletion happens at once
    EXPECT_EQ(w.vault.holds().get(hold.id).state, HoldState::expired);
    EXPECT_TRUE(w.vault.holds().list(a).empty());
    EXPECT_EQ(w.vault.holds().list(a, true).size(), 1u);
}

TEST(Holds, AWarrantKeepsTheHoldUntilReleased) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    HoldRequest h;
    h.target = a;
    h.authority = "civil_subpoena";
    h.reference = "subpoena 12";
    const Hold hold = w.vault.holds().place(h);
    EXPECT_CV_ERROR(w.vault.holds().record_process(hold.id, "email", "x"), Errc::invalid_argument);
    const Hold cont = w.vault.holds().record_process(hold.id, "warrant", "warrant 9");
    EXPECT_EQ(cont.state, HoldState::continued);
    w.vault.requests().erase(a);
    w.at_day(400);
    auto r = w.sweep();
    ASSERT_FALSE(r.held.empty());  // the deletion request, and inactivity content
    for (const auto& hb : r.held) EXPECT_EQ(hb.hold_id, hold.id);
    EXPECT_EQ(w.status(a), AccountStatus::active);
    w.vault.holds().release(hold.id);
    EXPECT_CV_ERROR(w.vault.holds().release(hold.id), Errc::invalid_argument);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::erased);
}

TEST(Holds, ExtensionsFollowThePolicy) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    HoldRequest h;
    h.target = a;
    h.authority = "sca_2703f";
    h.reference = "r";
    EXPECT_CV_ERROR(w.vault.holds().place([&] { auto x = h; x.authority = "fbi"; return x; }()),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.holds().place([&] { auto x = h; x.reference = ""; return x; }()),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(w.vault.holds().place([&] { auto x = h; x.target = "acc_000000000000000000000000"; return x; }()),
                    Errc::not_found);
    const Hold hold = w.vault.holds().place(h);
    w.at_day(89);
    const Hold ext = w.vault.holds().extend(hold.id);
    EXPECT_EQ(ext.expires_at, hold.expires_at + 90 * kDay);
    EXPECT_EQ(ext.extensions, 1);
    EXPECT_CV_ERROR(w.vault.holds().extend(hold.id), Errc::invalid_argument);  // one only
    w.at_day(180);
    EXPECT_CV_ERROR(w.vault.holds().record_process(hold.id, "warrant", "late"), Errc::invalid_argument);
    const auto audit = w.vault.audit().read({});
    EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const AuditEntry& e) { return e.action == "hold.extend"; }));
    for (const auto& e : audit) EXPECT_EQ(e.reason.find("subpoena"), std::string::npos);
}

TEST(Holds, ACaseHoldKeepsThatCaseOnly) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    const std::string held = w.open_case(a, "EAC2190000001");
    w.open_case(a, "EAC2190000002");
    w.at_day(10);  // lasts until day 100
    const Hold hold = w.hold(held, HoldScope::case_file);
    EXPECT_EQ(hold.subject, a);
    w.at_day(90);  // inactivity
    const auto plan = w.vault.retention().preview();
    ASSERT_EQ(plan.held.size(), 1u);
    EXPECT_EQ(plan.held[0].reason, "held:case");
    EXPECT_EQ(plan.deletions.at(0).counts.at("case"), 1);
    const auto r = w.sweep();
    EXPECT_EQ(w.cases_of(a), 1u);
    EXPECT_EQ(w.vault.cases().get(a, held).id, held);
    ASSERT_EQ(r.held.size(), 1u);
    EXPECT_EQ(r.held[0].reason, "held:case");
    // A whole-account deletion waits for the case hold.
    w.vault.requests().erase(a);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::active);
    w.vault.holds().release(hold.id);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::erased);
}

// ---- the sweep itself ------------------------------------------------------------

TEST(Sweep, ProgressIsReportedAndCancelKeepsWholeSubjects) {
    World w;
    std::vector<std::string> people;
    for (int i = 0; i < 6; ++i) {
        people.push_back(w.person("P" + std::to_string(i), "p" + std::to_string(i) + "@example.com"));
        w.vault.requests().erase(people.back());
    }
    SweepOptions o;
    o.subjects_per_commit = 1;
    int seen = 0;
    o.progress = [&](const Progress& p) { return p.phase != "subjects" || ++seen < 2; };
    EXPECT_CV_ERROR(w.vault.retention().sweep(o), Errc::cancelled);
    int erased = 0;
    for (const auto& p : people) erased += w.status(p) == AccountStatus::erased;
    EXPECT_EQ(erased, 2);
    std::vector<Progress> all;
    o.progress = [&](const Progress& p) {
        all.push_back(p);
        return true;
    };
    const auto r = w.vault.retention().sweep(o);
    EXPECT_EQ(r.subjects, 4);
    EXPECT_EQ(all.back().phase, "subjects");
    EXPECT_EQ(all.back().done, 4);
    for (const auto& p : people) EXPECT_EQ(w.status(p), AccountStatus::erased);
}

TEST(Sweep, AKilledSweepResumesCleanly) {
    World w;
    std::vector<std::string> people;
    for (int i = 0; i < 8; ++i) {
        people.push_back(w.person("P" + std::to_string(i), "p" + std::to_string(i) + "@example.com"));
        w.open_case(people.back(), "EAC21900000" + std::to_string(10 + i));
        w.pay(people.back());
        w.vault.requests().erase(people.back());
    }
    w.vault.close();
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        Vault v = World::open(w.dir, w.clock);
        SweepOptions o;
        o.subjects_per_commit = 1;
        int n = 0;
        o.progress = [&](const Progress& p) {
            if (p.phase == "subjects" && ++n == 3) _exit(0);  // killed mid-sweep, no cleanup
            return true;
        };
        v.retention().sweep(o);
        _exit(1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    w.vault = World::open(w.dir, w.clock);
    int erased = 0;
    for (const auto& p : people) {
        const bool gone = w.status(p) == AccountStatus::erased;
        erased += gone;
        // Never half a subject: an account that is still there still has its case.
        if (!gone) EXPECT_EQ(w.cases_of(p), 1u);
    }
    EXPECT_EQ(erased, 3);
    const auto r = w.sweep();
    EXPECT_EQ(r.subjects, 5);
    for (const auto& p : people) EXPECT_EQ(w.status(p), AccountStatus::erased);
    EXPECT_EQ(w.vault.retention().receipts().size(), 8u);
    EXPECT_EQ(w.sweep().subjects, 0);
}

TEST(Sweep, NeedsAPolicy) {
    TempDir d;
    ManualClock c;
    Vault v = World::open(d, c);
    EXPECT_CV_ERROR(v.retention().sweep(), Errc::invalid_argument);
    EXPECT_CV_ERROR(v.retention().preview(), Errc::invalid_argument);
    SweepOptions o;
    o.batch_size = 0;
    EXPECT_CV_ERROR(v.retention().sweep(o), Errc::invalid_argument);
}

TEST(Sweep, ADeletionCompletedNoticeWhenThePolicyAsksForOne) {
    World w;
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    doc["metadata"]["version"] = 2;
    doc["notifications"].push_back({{"kind", "deletion_completed"}, {"channels", {"email"}}});
    w.vault.policy().publish(doc.dump());
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    w.vault.requests().cancel(a);
    w.pay(a, true);
    w.at_day(30);
    w.sweep();
    bool found = false;
    for (const auto& n : w.vault.outbox().poll(100, 60)) {
        if (n.kind != "deletion_completed") continue;
        found = true;
        const auto j = nlohmann::json::parse(n.payload);
        EXPECT_EQ(j.at("trigger"), "cancellation");
        EXPECT_EQ(n.payload.find("EAC"), std::string::npos);
    }
    EXPECT_TRUE(found);
}

// ---- backups and restore -----------------------------------------------------------

TEST(Backups, RestoreReplaysErasuresSoNobodyComesBack) {
    World w;
    const std::string a = w.person("Ann Backupcanary", "ann@example.com");
    const std::string b = w.person("Bob Backupcanary", "bob@example.com");
    const std::string c = w.person("Cy Stays", "cy@example.com");
    w.open_case(a, "EAC2190000001");
    w.open_case(c, "EAC2190000003");
    std::vector<Progress> seen;
    const BackupInfo info = w.vault.backups().create(w.dir.path("b1.db"), [&](const Progress& p) {
        seen.push_back(p);
        return true;
    });
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().phase, "backup");
    EXPECT_EQ(info.sha256.size(), 64u);
    EXPECT_GT(info.size, 0);
    EXPECT_CV_ERROR(w.vault.backups().create(w.dir.path("b1.db")), Errc::invalid_argument);
    ASSERT_EQ(w.vault.backups().list().size(), 1u);
    EXPECT_EQ(canaries_in_files(w.dir.path("b1.db"), {"Backupcanary", "ann@example.com"}), std::vector<std::string>{});

    w.at_day(1);
    w.vault.accounts().erase(a);  // directly
    w.vault.requests().erase(b);  // through the engine
    w.sweep();
    const std::string d = w.person("Di After", "di@example.com");

    const RestoreReport r = w.vault.backups().restore(w.dir.path("b1.db"));
    EXPECT_EQ(r.backup_id, info.id);
    EXPECT_EQ(r.erasures_replayed, 2);
    EXPECT_EQ(w.status(a), AccountStatus::erased);
    EXPECT_EQ(w.status(b), AccountStatus::erased);
    EXPECT_EQ(w.status(c), AccountStatus::active);
    EXPECT_EQ(w.cases_of(c), 1u);
    EXPECT_CV_ERROR(w.vault.accounts().get(d), Errc::not_found);  // the backup predates it
    EXPECT_EQ(w.vault.backups().list().size(), 1u);              // the catalog survived
    EXPECT_EQ(w.vault.retention().receipts_for(b).size(), 1u);   // and so did the receipts
    // A second restore of the same backup replays the same erasures again.
    EXPECT_EQ(w.vault.backups().restore(w.dir.path("b1.db")).erasures_replayed, 2);
    EXPECT_TRUE(w.vault.audit().verify().ok);
    w.vault.close();
    EXPECT_EQ(canaries_in_files(w.path(), {"Backupcanary"}), std::vector<std::string>{});
}

TEST(Backups, AnAlteredOrForeignBackupIsRefused) {
    World w;
    w.person("Ann", "ann@example.com");
    const BackupInfo info = w.vault.backups().create(w.dir.path("b.db"));
    EXPECT_CV_ERROR(w.vault.backups().restore(w.dir.path("missing.db")), Errc::not_found);
    // Another store's backup: another key.
    World other;
    other.vault.backups().create(other.dir.path("o.db"));
    std::filesystem::copy_file(other.dir.path("o.db"), w.dir.path("o.db"));
    EXPECT_CV_ERROR(w.vault.backups().restore(w.dir.path("o.db")), Errc::wrong_key);
    // One flipped byte past the header.
    std::string bytes = read_file(info.path);
    bytes[5000] = static_cast<char>(bytes[5000] ^ 1);
    write_file(info.path, bytes);
    EXPECT_CV_ERROR(w.vault.backups().restore(info.path), Errc::corrupt);
}

TEST(Backups, TheSweepRemovesBackupsPastTheWindow) {
    World w;
    w.person("Ann", "ann@example.com");
    const BackupInfo b = w.vault.backups().create(w.dir.path("b.db"));
    w.at_day(60, -1);
    EXPECT_EQ(w.sweep().backups_removed, 0);
    EXPECT_TRUE(std::filesystem::exists(b.path));
    w.at_day(60);
    EXPECT_EQ(w.vault.retention().preview().backups_expiring, std::vector<std::string>{b.id});
    EXPECT_EQ(w.sweep().backups_removed, 1);
    EXPECT_FALSE(std::filesystem::exists(b.path));
    EXPECT_TRUE(w.vault.backups().list().empty());
    EXPECT_EQ(w.vault.backups().list(true).at(0).removed_at, w.clock.now);
}

// ---- policy rules ------------------------------------------------------------------

TEST(RetentionPolicy, RulesMustFitTheRecordsTheyActOn) {
    auto problems_of = [](nlohmann::json doc) {
        std::vector<std::string> out;
        for (const auto& p : lint_policy(doc.dump())) out.push_back(p.path + " " + p.message);
        return out;
    };
    auto doc = cvtest::test_policy();
    EXPECT_TRUE(problems_of(doc).empty());
    auto bad = doc;
    bad["retention"]["rules"][0]["action"] = "minimize";
    bad["retention"]["rules"][0]["keep_fields"] = {"amount"};
    EXPECT_FALSE(problems_of(bad).empty());
    bad = doc;
    bad["retention"]["rules"][0]["action"] = "anonymize";
    EXPECT_FALSE(problems_of(bad).empty());
    bad = doc;
    bad["retention"]["rules"].push_back({{"id", "again"}, {"categories", {"case_data"}}, {"trigger", "inactivity"},
                                         {"after", "P90D"}, {"action", "delete"}});
    EXPECT_FALSE(problems_of(bad).empty());
    bad = doc;
    bad["retention"]["rules"][0]["trigger"] = "record_age";
    EXPECT_FALSE(problems_of(bad).empty());
    bad = doc;
    bad["retention"]["rules"][0]["categories"] = {"visitor_data"};
    EXPECT_FALSE(problems_of(bad).empty());
    bad = doc;
    bad["categories"][0]["records"] = {"spaceship"};
    EXPECT_FALSE(problems_of(bad).empty());
}

TEST(RetentionPolicy, ANewPolicyReschedules) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.open_case(a, "EAC2190000001");
    EXPECT_EQ(*w.vault.activity().state(a).inactivity_due_at, w.t0 + 90 * kDay);
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    doc["metadata"]["version"] = 2;
    doc["retention"]["rules"][0]["after"] = "P10D";
    w.vault.policy().publish(doc.dump());
    EXPECT_EQ(*w.vault.activity().state(a).inactivity_due_at, w.t0 + 40 * kDay);
    w.at_day(40);
    w.sweep();
    EXPECT_EQ(w.cases_of(a), 0u);
}

// ---- review findings ---------------------------------------------------------------

TEST(Review, AHoldStopsADirectErasure) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    const Hold hold = w.hold(a);
    EXPECT_CV_ERROR(w.vault.accounts().erase(a), Errc::invalid_argument);
    EXPECT_EQ(w.status(a), AccountStatus::active);
    const auto req = w.vault.requests().cancel(a);
    w.vault.holds().release(hold.id);
    w.vault.accounts().erase(a);
    EXPECT_EQ(w.status(a), AccountStatus::erased);
    EXPECT_EQ(w.vault.requests().get(req.id).state, RequestState::done);  // settled, not pending for ever
}

TEST(Review, ASweepAsOfALaterTimeEndsNoHoldEarly) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    const Hold hold = w.hold(a);
    w.vault.requests().erase(a);
    SweepOptions o;
    o.now = w.clock.now + 91 * kDay;
    const auto r = w.vault.retention().sweep(o);
    EXPECT_EQ(r.holds_expired, 0);
    EXPECT_EQ(w.vault.holds().get(hold.id).state, HoldState::active);
    EXPECT_EQ(w.status(a), AccountStatus::active);
}

TEST(Review, RestoreKeepsHoldsAndRequestsMadeAfterTheBackup) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    const std::string b = w.person("Bob", "bob@example.com");
    w.vault.requests().erase(a);
    w.vault.backups().create(w.dir.path("b.db"));
    w.hold(a);
    const auto req = w.vault.requests().erase(b);
    w.vault.backups().restore(w.dir.path("b.db"));
    EXPECT_EQ(w.vault.holds().list(a).size(), 1u);
    EXPECT_EQ(w.vault.requests().get(req.id).state, RequestState::pending);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::active);  // held
    EXPECT_EQ(w.status(b), AccountStatus::erased);  // the request made after the backup stood
}

TEST(Review, AnUnfinishedRestoreFileReplaysNothingTheStoreAlreadyDid) {
    World w;
    const std::string a = w.person("Ann", "ann@example.com");
    w.vault.accounts().erase(a);
    w.vault.close();
    // As a restore killed before its copy leaves it: ledger entries this store has.
    nlohmann::json side = {{"backup_id", "bak_x"}, {"catalog", nlohmann::json::array()},
                           {"receipts", nlohmann::json::array()},
                           {"ledger", {{1, a, 3, R"({"actions":{"account":"delete"}})", w.clock.now}}}};
    write_file(w.path() + ".restore-replay", side.dump());
    w.vault = World::open(w.dir, w.clock);
    EXPECT_FALSE(std::filesystem::exists(w.path() + ".restore-replay"));
    for (const auto& e : w.vault.audit().read({})) EXPECT_NE(e.action, "retention.replay");
}

TEST(Review, ADeclineWithoutARuleStillErases) {
    World w;
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    doc["metadata"]["version"] = 2;
    auto& rules = doc["retention"]["rules"];
    for (auto it = rules.begin(); it != rules.end();) {
        it = (*it)["trigger"] == "reconsent_declined" ? rules.erase(it) : it + 1;
    }
    w.vault.policy().publish(doc.dump());
    const std::string a = w.person("Ann", "ann@example.com");
    ConsentRequest terms;
    terms.subject = a;
    terms.purpose = "terms";
    terms.action = ConsentAction::declined;
    w.vault.consents().record(terms);
    w.sweep();
    EXPECT_EQ(w.status(a), AccountStatus::erased);
}

TEST(Review, MinimisingClearsWhatIsNotKept) {
    World w;
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    doc["metadata"]["version"] = 2;
    for (auto& r : doc["retention"]["rules"]) {
        if (r["action"] == "minimize") r["keep_fields"] = {"last4"};
    }
    w.vault.policy().publish(doc.dump());
    const std::string a = w.person("Ann", "ann@example.com");
    const std::string pay_id = w.pay(a);
    w.vault.requests().erase(a);
    w.sweep();
    const Payment p = w.vault.billing().get(w.vault.principals().add(Role::support).id, pay_id);
    EXPECT_EQ(p.amount_minor, 0);
    EXPECT_EQ(p.currency, "");
    EXPECT_EQ(p.paid_at, 0);
    EXPECT_EQ(p.last4, "4242");
}

TEST(Review, ACodeIsGoodAtItsDeadlineSecond) {
    World w;
    w.person("Ann", "ann@example.com");
    const auto r = w.vault.requests().inbound(email("ann@example.com", "CANCEL"));
    const std::string code = w.last_code();
    w.clock.now = r.request->confirm_by;
    EXPECT_EQ(w.sweep().requests_expired, 0);
    EXPECT_EQ(w.vault.requests().confirm(code).state, RequestState::pending);
}

TEST(Review, NegationStaysInItsClauseAndLookAlikesAreRead) {
    auto cmd = [](const std::string& line) { return Requests::parse(email("a@example.com", line)); };
    EXPECT_EQ(cmd("Not happy, DELETE my account").command, RequestKind::erase);
    EXPECT_EQ(cmd("Don't cancel, DELETE my account").command, RequestKind::erase);
    EXPECT_EQ(cmd("Please \xE2\x80\x9C" "DELETE\xE2\x80\x9D my account").command, RequestKind::erase);
    EXPECT_EQ(cmd("please\xC2\xA0" "delete").command, RequestKind::erase);
    for (const char* apostrophe : {"\xCA\xBC", "\xC2\xB4", "\xE2\x80\x98", "\xE2\x80\x99"}) {
        EXPECT_EQ(cmd(std::string("don") + apostrophe + "t delete my case").outcome, InboundOutcome::negated);
    }
    EXPECT_EQ(Requests::parse(whatsapp("+13325550101", "DELETE\xC2\xA0")).command, RequestKind::erase);
    EXPECT_EQ(Requests::parse(whatsapp("+13325550101", "\xE2\x80\x8B" "DELETE")).command, RequestKind::erase);
}

TEST(Review, MessagesAboutAHeldCaseStayWithIt) {
    World w;
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    doc["metadata"]["version"] = 2;
    doc["retention"]["rules"][0]["categories"].push_back("correspondence");  // inactivity takes correspondence too
    w.vault.policy().publish(doc.dump());
    const std::string a = w.person("Ann", "ann@example.com");
    const std::string held = w.open_case(a, "EAC2190000001");
    MessageFields m;
    m.subject = a;
    m.case_id = held;
    m.channel = MessageChannel::web_form;
    m.direction = Direction::outbound;
    m.body = "about the held case";
    w.vault.correspondence().record(a, m);
    m.case_id.reset();
    m.body = "about nothing held";
    w.vault.correspondence().record(a, m);
    w.at_day(10);
    w.hold(held, HoldScope::case_file);
    w.at_day(90);
    const auto r = w.sweep();
    EXPECT_EQ(r.counts.at("correspondence"), 1);
    const auto left = w.vault.correspondence().list(a, a).items;
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].case_id.value_or(""), held);
}

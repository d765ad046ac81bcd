// Disclosures to third parties against both reference policies: filings on
// the client's behalf, government requests and their legal process, notices
// and nondisclosure orders, the tax audit's minimum, the subprocessor
// registry, preserved data, acquisition/merger notices, and that sealed
// references never leak.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>

#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;
using nlohmann::json;

namespace {

constexpr std::int64_t kDay = 86400;

struct World {
    TempDir dir;
    ManualClock clock;
    Vault vault;

    explicit World(const std::string& policy = policy_text("case-parallels.json")) : vault(open(dir, clock)) {
        vault.policy().publish(policy);
    }
    static Vault open(TempDir& d, ManualClock& c) {
        return Vault::open(d.path("d.db"), clocked_key_options(c));
    }
    std::string path() { return dir.path("d.db"); }

    std::string person(const std::string& name, const std::string& email) {
        AccountFields f;
        f.name = name;
        f.email = email;
        return vault.accounts().create(f).id;
    }
    std::string open_case(const std::string& subject, const std::string& receipt) {
        return vault.cases().open(subject, subject, {receipt, "I-485", std::nullopt}).id;
    }
    void grant(const std::string& subject, const std::string& purpose, const std::string& scope = "") {
        ConsentRequest r;
        r.subject = subject;
        r.purpose = purpose;
        r.scope = scope;
        vault.consents().record(r);
    }
    // Notifications of a kind available now; delivered (acknowledged).
    std::vector<Notification> notices(const std::string& kind) {
        std::vector<Notification> out;
        std::vector<std::int64_t> ids;
        for (auto& n : vault.outbox().poll(10000)) {
            ids.push_back(n.id);
            if (n.kind == kind) out.push_back(std::move(n));
        }
        vault.outbox().ack(ids);
        return out;
    }
    std::vector<AuditEntry> audit(const std::string& action) {
        AuditFilter f;
        f.action = action;
        return vault.audit().read(f);
    }
    disclosures::DisclosureService& service() { return vault.core()->disclosures(); }
};

DisclosureRequest to_police(const std::string& subject, const std::string& kind = "warrant") {
    DisclosureRequest q;
    q.subject = subject;
    q.recipient = "law_enforcement";
    q.categories = {"identity", "case_data"};
    if (!kind.empty()) q.process = LegalProcess{kind, "SDNY-24-mj-0042", ""};
    return q;
}

// The refusal reason, or "" when the call did not refuse.
template <class F>
std::string refusal_of(F f) {
    try {
        f();
    } catch (const DisclosureRefused& r) {
        EXPECT_EQ(r.code(), Errc::disclosure_refused);
        return r.reason();
    }
    return "";
}

}  // namespace

// ---- on the client's behalf ------------------------------------------------------

TEST(Disclosures, UscisFilingNeedsTheClientsConsent) {
    World w;
    const auto a = w.person("Ann Filer", "ann@example.com");
    const auto c = w.open_case(a, "IOE0912345678");
    DisclosureRequest q;
    q.subject = a;
    q.recipient = "uscis";
    q.purpose = "case_status_retrieval";
    q.categories = {"receipt_numbers"};
    q.case_id = c;
    // case_status_retrieval depends on accepting the terms, never recorded.
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "consent_required");
    EXPECT_TRUE(w.vault.disclosures().list(a).empty());

    w.grant(a, "terms");
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.rule, "case-status-agencies");
    EXPECT_EQ(d.kind, "on_behalf");
    EXPECT_EQ(d.case_id, c);
    EXPECT_EQ(d.legal_basis, LegalBasis::contract);
    EXPECT_EQ(d.notice, NoticeState::not_required);
    EXPECT_EQ(d.categories, std::vector<std::string>{"receipt_numbers"});
    EXPECT_EQ(w.vault.disclosures().get(d.id).id, d.id);

    // Only receipt numbers go, for that purpose, about the subject's own case.
    auto other = q;
    other.categories = {"receipt_numbers", "case_data"};
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(other); }), "categories_not_allowed");
    other = q;
    other.purpose = "case_tracking";
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(other); }), "purpose_not_allowed");
    other = q;
    other.case_id = "";
    EXPECT_CV_ERROR(w.vault.disclosures().record(other), Errc::invalid_argument);
    const auto b = w.person("Bob Other", "bob@example.com");
    other = q;
    other.subject = b;
    EXPECT_CV_ERROR(w.vault.disclosures().record(other), Errc::not_found);  // not Bob's case
    other = q;
    other.recipient = "dol";  // no rule names it
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(other); }), "no_rule");
    EXPECT_EQ(w.vault.disclosures().list(a).size(), 1u);
}

TEST(Disclosures, ConsentIsCheckedForTheCase) {
    // VisaPro with filing made a consent purpose: a grant scoped to one case
    // opens that case only.
    json p = json::parse(policy_text("visapro.json"));
    for (auto& purpose : p["purposes"]) {
        if (purpose["id"] == "case_filing") purpose["legal_basis"] = "consent";
    }
    World w(p.dump());
    const auto a = w.person("Ann Scoped", "ann@example.com");
    const auto c1 = w.open_case(a, "EAC0912345678");
    const auto c2 = w.open_case(a, "EAC0912345679");
    w.grant(a, "case_filing", c1);
    DisclosureRequest q;
    q.subject = a;
    q.recipient = "consulate";
    q.purpose = "case_filing";
    q.categories = {"identity", "case_data"};
    q.case_id = c1;
    EXPECT_EQ(w.vault.disclosures().record(q).rule, "case-filing-agencies");
    q.case_id = c2;
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "consent_required");
}

// ---- government requests ------------------------------------------------------------

TEST(Disclosures, LawEnforcementWithoutLegalProcessIsRefusedAndAudited) {
    World w;
    const auto a = w.person("Ann Police", "ann@example.com");
    const auto audit_before = w.vault.audit().read().size();
    try {
        w.vault.disclosures().record(to_police(a, ""));
        ADD_FAILURE() << "expected a refusal";
    } catch (const DisclosureRefused& r) {
        EXPECT_EQ(r.code(), Errc::disclosure_refused);
        EXPECT_EQ(r.reason(), "legal_process_required");
    }
    EXPECT_TRUE(w.vault.disclosures().list().empty());
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
    const auto refused = w.audit("disclosure.refused");
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].subject, a);
    EXPECT_EQ(refused[0].target, "recipient:law_enforcement");
    EXPECT_EQ(refused[0].outcome, "refused");
    EXPECT_EQ(refused[0].reason, "legal_process_required");
    EXPECT_TRUE(w.audit("disclosure.record").empty());
    EXPECT_GT(w.vault.audit().read().size(), audit_before);
    EXPECT_TRUE(w.vault.audit().verify().ok);
}

TEST(Disclosures, CivilSubpoenaIsNotAcceptedForUsLegalProcess) {
    World w;
    const auto a = w.person("Ann Civil", "ann@example.com");
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(to_police(a, "civil_subpoena")); }),
              "process_not_accepted");
    auto q = to_police(a, "civil_subpoena");
    q.recipient = "court";
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "process_not_accepted");
    EXPECT_EQ(w.audit("disclosure.refused").size(), 2u);
    // An unknown process kind is a malformed request, not a refusal.
    EXPECT_CV_ERROR(w.vault.disclosures().record(to_police(a, "letter")), Errc::invalid_argument);
}

TEST(Disclosures, ForeignGovernmentOnlyThroughMlat) {
    World w;
    const auto a = w.person("Ann Abroad", "ann@example.com");
    auto q = to_police(a, "warrant");
    q.recipient = "foreign_government";
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "process_not_accepted");
    q.process->kind = "mlat_request";
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.rule, "foreign-government-mlat");
    EXPECT_EQ(d.kind, "legal_process");
    EXPECT_EQ(d.legal_basis, LegalBasis::legal_obligation);
    EXPECT_EQ(d.notice, NoticeState::queued);
}

TEST(Disclosures, WarrantQueuesExactlyOneNotice) {
    World w;
    const auto a = w.person("Ann Warrant", "ann@example.com");
    auto q = to_police(a);
    q.recipient_name = "NYPD 19th precinct";
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.rule, "us-legal-process");
    EXPECT_EQ(d.notice, NoticeState::queued);
    EXPECT_EQ(d.notice_at, w.clock.now);
    EXPECT_EQ(d.recipient_name, "NYPD 19th precinct");
    ASSERT_TRUE(d.process);
    EXPECT_EQ(d.process->kind, "warrant");
    EXPECT_EQ(d.process->reference, "SDNY-24-mj-0042");
    const auto n = w.notices("disclosure_notice");
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].subject, a);
    const json payload = json::parse(n[0].payload);
    EXPECT_EQ(payload["disclosure_id"], d.id);
    EXPECT_EQ(payload["recipient"], "law_enforcement");
    EXPECT_EQ(payload["categories"], json({"identity", "case_data"}));
    EXPECT_EQ(payload["channels"], json({"email"}));
    EXPECT_EQ(n[0].payload.find("SDNY"), std::string::npos);
    EXPECT_EQ(n[0].payload.find("precinct"), std::string::npos);
    const auto rec = w.audit("disclosure.record");
    ASSERT_EQ(rec.size(), 1u);
    EXPECT_EQ(rec[0].reason, "us-legal-process:law_enforcement:queued");
}

TEST(Disclosures, GagOrderWithAnEndWithholdsTheNoticeUntilThen) {
    World w;
    const auto a = w.person("Ann Gagged", "ann@example.com");
    auto q = to_police(a, "court_order");
    const std::int64_t until = w.clock.now + 30 * kDay;
    q.nondisclosure = NondisclosureOrder{"2705(b) order 77", until};
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.notice, NoticeState::withheld_prohibited);
    EXPECT_EQ(d.notice_at, until);
    EXPECT_EQ(d.nondisclosure_until, until);
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
    EXPECT_TRUE(w.service().visible_to_subject(a, w.clock.now).empty());
    EXPECT_EQ(w.service().withheld_from_subject(a, w.clock.now), std::vector<std::string>{d.id});
    w.clock.now = until - 10;
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
    w.clock.now = until;
    EXPECT_EQ(w.notices("disclosure_notice").size(), 1u);
    EXPECT_EQ(w.service().visible_to_subject(a, w.clock.now).size(), 1u);
    // The order has ended: nothing left to lift.
    EXPECT_CV_ERROR(w.vault.disclosures().lift_nondisclosure(d.id), Errc::invalid_argument);
}

TEST(Disclosures, GagOrderWithoutAnEndWaitsForLift) {
    World w;
    const auto a = w.person("Ann Silent", "ann@example.com");
    const Disclosure open = w.vault.disclosures().record(to_police(a));
    auto q = to_police(a);
    q.nondisclosure = NondisclosureOrder{"gag 12", 0};
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.notice, NoticeState::withheld_prohibited);
    EXPECT_EQ(d.notice_at, 0);
    EXPECT_EQ(d.nondisclosure_until, -1);
    EXPECT_EQ(w.notices("disclosure_notice").size(), 1u);  // the first disclosure's only
    w.clock.now += 400 * kDay;
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
    auto visible = w.service().visible_to_subject(a, w.clock.now);
    ASSERT_EQ(visible.size(), 1u);
    EXPECT_EQ(visible[0].id, open.id);

    EXPECT_CV_ERROR(w.vault.disclosures().lift_nondisclosure(open.id), Errc::invalid_argument);  // no order
    const Disclosure lifted = w.vault.disclosures().lift_nondisclosure(d.id);
    EXPECT_EQ(lifted.notice, NoticeState::queued);
    EXPECT_EQ(lifted.lifted_at, w.clock.now);
    EXPECT_EQ(lifted.notice_at, w.clock.now);
    const auto n = w.notices("disclosure_notice");
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(json::parse(n[0].payload)["disclosure_id"], d.id);
    EXPECT_EQ(w.service().visible_to_subject(a, w.clock.now).size(), 2u);
    EXPECT_CV_ERROR(w.vault.disclosures().lift_nondisclosure(d.id), Errc::invalid_argument);  // twice
    EXPECT_EQ(w.audit("disclosure.lift").size(), 1u);
}

TEST(Disclosures, LiftingAnOrderWithAnEndSendsTheNoticeNow) {
    World w;
    const auto a = w.person("Ann Early", "ann@example.com");
    auto q = to_police(a);
    q.nondisclosure = NondisclosureOrder{"gag 13", w.clock.now + 90 * kDay};
    const Disclosure d = w.vault.disclosures().record(q);
    w.clock.now += kDay;
    w.vault.disclosures().lift_nondisclosure(d.id);
    EXPECT_EQ(w.notices("disclosure_notice").size(), 1u);
    w.clock.now += 90 * kDay;
    EXPECT_TRUE(w.notices("disclosure_notice").empty());  // the order's own notice went with the lift
}

TEST(Disclosures, EmergencyNeedsJustificationAndWithholdsTheNotice) {
    World w;
    const auto a = w.person("Ann Urgent", "ann@example.com");
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(to_police(a, "emergency")); }), "justification_required");
    auto q = to_police(a, "emergency");
    q.process->justification = "imminent danger reported by caller";
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.notice, NoticeState::withheld_emergency);
    EXPECT_EQ(d.notice_at, 0);
    EXPECT_EQ(d.process->justification, "imminent danger reported by caller");
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
    EXPECT_EQ(w.service().visible_to_subject(a, w.clock.now).size(), 1u);  // no order: the subject may see it
}

// ---- the tax audit --------------------------------------------------------------------

TEST(Disclosures, TaxAuditCarriesOnlyTheMinimumBillingFields) {
    World w;
    const auto a = w.person("Ann Taxed", "ann@example.com");
    DisclosureRequest q;
    q.subject = a;
    q.recipient = "tax_authority";
    q.purpose = "tax_records";
    q.categories = {"billing"};
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.rule, "tax-audit");
    EXPECT_EQ(d.kind, "legal_obligation");
    EXPECT_EQ(d.fields, (std::vector<std::string>{"billing_address", "tax_exemption"}));
    EXPECT_EQ(d.legal_basis, LegalBasis::legal_obligation);
    q.fields = {"tax_exemption"};
    EXPECT_EQ(w.vault.disclosures().record(q).fields, std::vector<std::string>{"tax_exemption"});
    q.fields = {"billing_address", "last4"};
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "fields_not_allowed");
    q.fields = {};
    q.categories = {"billing", "identity"};
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "categories_not_allowed");
    q.categories = {"billing"};
    q.purpose = "billing";
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "purpose_not_allowed");
}

// ---- subprocessors ------------------------------------------------------------------------

TEST(Disclosures, SubprocessorRegistry) {
    World w;
    const auto a = w.person("Ann Hosted", "ann@example.com");
    auto d = w.vault.disclosures();
    Subprocessor s{"Mailgun Technologies", "service_updates", {"identity", "contact"}, "US", 0, 0};
    const Subprocessor added = d.add_subprocessor(s);
    EXPECT_EQ(added.added_at, w.clock.now);
    EXPECT_CV_ERROR(d.add_subprocessor(s), Errc::duplicate);
    auto bad = s;
    bad.name = "Other";
    bad.purpose = "selling_data";
    EXPECT_CV_ERROR(d.add_subprocessor(bad), Errc::invalid_argument);
    bad = s;
    bad.name = "Other";
    bad.categories = {"dna"};
    EXPECT_CV_ERROR(d.add_subprocessor(bad), Errc::invalid_argument);
    bad = s;
    bad.name = "Other";
    bad.location = "";
    EXPECT_CV_ERROR(d.add_subprocessor(bad), Errc::invalid_argument);
    bad.name = "";
    bad.location = "US";
    EXPECT_CV_ERROR(d.add_subprocessor(bad), Errc::invalid_argument);
    d.add_subprocessor({"Case Cloud", "case_tracking", {"case_data"}, "US", 0, 0});
    ASSERT_EQ(d.subprocessors().size(), 2u);

    DisclosureRequest q;
    q.subject = a;
    q.recipient = "subprocessor";
    q.purpose = "service_updates";
    q.categories = {"contact"};
    q.subprocessor = "Unknown Co";
    EXPECT_EQ(refusal_of([&] { d.record(q); }), "unknown_subprocessor");
    q.subprocessor = "Mailgun Technologies";
    const Disclosure ok = d.record(q);
    EXPECT_EQ(ok.rule, "service-subprocessors");
    EXPECT_EQ(ok.subprocessor, "Mailgun Technologies");
    EXPECT_EQ(ok.legal_basis, LegalBasis::contract);
    q.categories = {"case_data"};  // the rule allows it, this subprocessor does not
    q.purpose = "case_tracking";
    EXPECT_EQ(refusal_of([&] { d.record(q); }), "subprocessor_not_allowed");
    q.subprocessor = "Case Cloud";
    EXPECT_EQ(d.record(q).subprocessor, "Case Cloud");

    const Subprocessor retired = d.retire_subprocessor("Case Cloud");
    EXPECT_EQ(retired.retired_at, w.clock.now);
    EXPECT_CV_ERROR(d.retire_subprocessor("Case Cloud"), Errc::invalid_argument);
    EXPECT_CV_ERROR(d.retire_subprocessor("Nobody"), Errc::not_found);
    EXPECT_EQ(refusal_of([&] { d.record(q); }), "unknown_subprocessor");
    EXPECT_EQ(d.subprocessors().size(), 1u);
    EXPECT_EQ(d.subprocessors(true).size(), 2u);
}

// ---- preserved data ------------------------------------------------------------------------

TEST(Disclosures, PreservedDataNeedsACourtOrder) {
    World w;
    const auto a = w.person("Ann Preserved", "ann@example.com");
    const auto b = w.person("Bob Unrelated", "bob@example.com");
    HoldRequest h;
    h.target = a;
    h.authority = "sca_2703f";
    h.reference = "2703f letter 5";
    const Hold hold = w.vault.holds().place(h);
    auto q = to_police(a, "warrant");
    q.hold_id = hold.id;
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "preserved_data_needs_process");
    q.process->kind = "court_order";
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.hold_id, hold.id);
    auto other = to_police(b, "court_order");
    other.hold_id = hold.id;
    EXPECT_CV_ERROR(w.vault.disclosures().record(other), Errc::not_found);  // not Bob's hold
}

TEST(Disclosures, ErasedSubjectsAreRefused) {
    World w;
    const auto a = w.person("Ann Gone", "ann@example.com");
    w.vault.accounts().erase(a);
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(to_police(a)); }), "subject_erased");
    auto q = to_police(a);
    q.subject = "acc_000000000000000000000000";
    EXPECT_CV_ERROR(w.vault.disclosures().record(q), Errc::not_found);
}

TEST(Disclosures, VisaProSharesCookieDataOnlyWithConsent) {
    World w(policy_text("visapro.json"));
    const auto a = w.person("Ann Cookie", "ann@example.com");
    DisclosureRequest q;
    q.subject = a;
    q.recipient = "analytics_partner";
    q.purpose = "statistics_cookies";
    q.categories = {"visitor_data"};
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(q); }), "consent_required");
    w.grant(a, "statistics_cookies");
    EXPECT_EQ(w.vault.disclosures().record(q).rule, "cookie-partners");
    // VisaPro answers no government request at all.
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(to_police(a)); }), "no_rule");
}

// ---- transfers -------------------------------------------------------------------------------

TEST(Disclosures, TransferNoticeReachesEveryActiveAccount) {
    World w;
    std::vector<std::string> active;
    for (int i = 0; i < 5; ++i) {
        active.push_back(w.person("Person " + std::to_string(i), "p" + std::to_string(i) + "@example.com"));
    }
    const auto cancelled = w.person("Carl Cancelled", "carl@example.com");
    w.vault.accounts().set_status(cancelled, AccountStatus::cancelled);
    const auto erased = w.person("Erin Erased", "erin@example.com");
    w.vault.accounts().erase(erased);

    TransferAnnouncement t{TransferKind::acquisition, "Acme Immigration Holdings", w.clock.now - 1};
    EXPECT_CV_ERROR(w.vault.disclosures().announce_transfer(t), Errc::invalid_argument);  // in the past
    t.effective_at = w.clock.now + 30 * kDay;
    t.counterparty = "";
    EXPECT_CV_ERROR(w.vault.disclosures().announce_transfer(t), Errc::invalid_argument);
    t.counterparty = "Acme Immigration Holdings";

    // Cancelling leaves nothing behind.
    EXPECT_CV_ERROR(w.vault.disclosures().announce_transfer(t, [](const Progress&) { return false; }),
                    Errc::cancelled);
    EXPECT_TRUE(w.vault.disclosures().transfers().empty());
    EXPECT_TRUE(w.notices("transfer_notice").empty());

    std::vector<Progress> seen;
    const Transfer done = w.vault.disclosures().announce_transfer(t, [&](const Progress& p) {
        seen.push_back(p);
        return true;
    });
    EXPECT_EQ(done.notified, 5);
    EXPECT_EQ(done.kind, TransferKind::acquisition);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().phase, "transfer_notice");
    EXPECT_EQ(seen.back().done, 5);
    EXPECT_EQ(seen.back().total, 5);
    const auto n = w.notices("transfer_notice");
    ASSERT_EQ(n.size(), 5u);
    std::vector<std::string> told;
    for (const auto& x : n) {
        told.push_back(x.subject);
        const json payload = json::parse(x.payload);
        EXPECT_EQ(payload["transfer_id"], done.id);
        EXPECT_EQ(payload["kind"], "acquisition");
        EXPECT_EQ(payload["counterparty"], "Acme Immigration Holdings");
        EXPECT_EQ(payload["effective_at"], t.effective_at);
    }
    std::sort(told.begin(), told.end());
    std::sort(active.begin(), active.end());
    EXPECT_EQ(told, active);
    const auto all = w.vault.disclosures().transfers();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].notified, 5);
    EXPECT_EQ(w.audit("transfer.announce").size(), 1u);
}

TEST(Disclosures, TransferNoticeRespectsTheLeadTime) {
    json p = json::parse(policy_text("case-parallels.json"));
    for (auto& n : p["notifications"]) {
        if (n["kind"] == "transfer_notice") n["lead_time"] = "P30D";
    }
    World w(p.dump());
    w.person("Ann Lead", "ann@example.com");
    TransferAnnouncement t{TransferKind::merger, "Globex Visas", w.clock.now + 29 * kDay};
    EXPECT_CV_ERROR(w.vault.disclosures().announce_transfer(t), Errc::invalid_argument);
    t.effective_at = w.clock.now + 30 * kDay;
    EXPECT_EQ(w.vault.disclosures().announce_transfer(t).notified, 1);
}

// ---- nothing leaks ---------------------------------------------------------------------------

TEST(Disclosures, SealedReferencesNeverLeak) {
    World w;
    const auto a = w.person("Ann Sealed", "ann@example.com");
    auto q = to_police(a, "emergency");
    q.recipient_name = "Canaryville Police Unit";
    q.process->reference = "CANARY-DOCKET-991";
    q.process->justification = "canary justification text";
    q.reference = "host-canary-ref";
    q.nondisclosure = NondisclosureOrder{"canary gag order", 0};
    const Disclosure d = w.vault.disclosures().record(q);
    EXPECT_EQ(d.reference, "host-canary-ref");
    // A refused request's references do not stay behind either.
    auto refused = to_police(a, "civil_subpoena");
    refused.process->reference = "CANARY-REFUSED-REF";
    EXPECT_EQ(refusal_of([&] { w.vault.disclosures().record(refused); }), "process_not_accepted");

    const std::vector<std::string> canaries = {"Canaryville", "CANARY-DOCKET", "canary justification",
                                               "host-canary", "canary gag", "CANARY-REFUSED"};
    for (const auto& e : w.vault.audit().read()) {
        for (const auto& c : canaries) {
            for (const std::string* field : {&e.actor, &e.action, &e.subject, &e.target, &e.reason}) {
                EXPECT_EQ(field->find(c), std::string::npos) << e.action;
            }
        }
    }
    // Sealed columns, read with SQL access, hold no plaintext.
    auto& st = w.vault.core()->store();
    const auto row = st.disclosure(d.id);
    ASSERT_TRUE(row);
    for (const auto* sealed : {&row->recipient_name, &row->process_reference, &row->justification, &row->reference,
                               &row->nondisclosure_ref}) {
        ASSERT_TRUE(sealed->has_value());
        const std::string bytes((*sealed)->begin(), (*sealed)->end());
        for (const auto& c : canaries) EXPECT_EQ(bytes.find(c), std::string::npos);
    }
    EXPECT_EQ(canaries_in_files(w.path(), canaries), std::vector<std::string>{});  // the WAL too
    w.vault.close();
    EXPECT_EQ(canaries_in_files(w.path(), canaries), std::vector<std::string>{});
}

TEST(Disclosures, RecordsSurviveReopenAndListPerSubject) {
    World w;
    const auto a = w.person("Ann One", "ann@example.com");
    const auto b = w.person("Bob Two", "bob@example.com");
    w.vault.disclosures().record(to_police(a));
    w.vault.disclosures().record(to_police(b));
    w.vault.disclosures().record(to_police(a, "court_order"));
    w.vault.close();
    w.vault = World::open(w.dir, w.clock);
    EXPECT_EQ(w.vault.disclosures().list(a).size(), 2u);
    EXPECT_EQ(w.vault.disclosures().list(b).size(), 1u);
    EXPECT_EQ(w.vault.disclosures().list().size(), 3u);
    EXPECT_EQ(w.vault.disclosures().list(a)[1].process->kind, "court_order");
    EXPECT_CV_ERROR(w.vault.disclosures().get("dsc_000000000000000000000000"), Errc::not_found);
    EXPECT_CV_ERROR(w.vault.disclosures().get("nope"), Errc::invalid_argument);
}

// ---- packages ------------------------------------------------------------------------------

TEST(Disclosures, PackageHoldsOnlyWhatTheDisclosureAllows) {
    World w;
    const auto a = w.person("Ann Packaged", "ann@example.com");
    w.open_case(a, "IOE0912345670");
    PaymentFields p;
    p.subject = a;
    p.amount_minor = 4900;
    p.currency = "usd";
    p.card_brand = "visa";
    p.last4 = "4242";
    p.billing_address = "12 Audit Lane, Springfield";
    p.processor_ref = "ch_packageref";
    p.tax_exemption = "EXEMPT-77";
    w.vault.billing().record(a, p);

    DisclosureRequest q;
    q.subject = a;
    q.recipient = "tax_authority";
    q.purpose = "tax_records";
    q.categories = {"billing"};
    const Disclosure tax = w.vault.disclosures().record(q);
    const json doc = json::parse(w.vault.disclosures().package_json(tax.id));
    EXPECT_EQ(doc["format"], "casevault-export/1");
    EXPECT_EQ(doc["subject"], a);
    EXPECT_EQ(doc["disclosure"]["id"], tax.id);
    EXPECT_FALSE(doc.contains("account"));
    EXPECT_FALSE(doc.contains("cases"));
    EXPECT_FALSE(doc.contains("disclosures"));
    EXPECT_FALSE(doc.contains("audit"));
    ASSERT_TRUE(doc.contains("billing"));
    ASSERT_EQ(doc["billing"].size(), 1u);
    const json& bill = doc["billing"][0];
    EXPECT_EQ(bill["billing_address"], "12 Audit Lane, Springfield");
    EXPECT_EQ(bill["tax_exemption"], "EXEMPT-77");
    for (auto it = bill.begin(); it != bill.end(); ++it) {
        EXPECT_TRUE(it.key() == "billing_address" || it.key() == "tax_exemption") << it.key();
    }
    const std::string text = doc.dump();
    EXPECT_EQ(text.find("4242"), std::string::npos);
    EXPECT_EQ(text.find("ch_packageref"), std::string::npos);
    EXPECT_EQ(text.find("Ann Packaged"), std::string::npos);
    const auto audited = w.audit("disclosure.package");
    ASSERT_EQ(audited.size(), 1u);
    EXPECT_EQ(audited[0].target, tax.id);

    // A warrant for identity and case data: the account and the case, no billing.
    const Disclosure warrant = w.vault.disclosures().record(to_police(a));
    const json full = json::parse(w.vault.disclosures().package_json(warrant.id));
    EXPECT_TRUE(full.contains("account"));
    EXPECT_TRUE(full.contains("cases"));
    EXPECT_FALSE(full.contains("billing"));
    EXPECT_EQ(full.dump().find("Audit Lane"), std::string::npos);
    // A sink that stops cancels the package.
    EXPECT_CV_ERROR(w.vault.disclosures().package(warrant.id, [](const char*, std::size_t) { return false; }),
                    Errc::cancelled);
}

// Categories that share a record kind carry only their own fields, and a
// disclosure for one case carries only that case.
TEST(Disclosures, PackageForOneCaseCarriesOnlyItsCategoriesFields) {
    World w;
    AccountFields f;
    f.name = "Ann Narrow";
    f.email = "ann.narrow@example.com";
    f.phone = "+1 332 555 0199";
    f.address = "7 Narrow Street";
    const auto a = w.vault.accounts().create(f).id;
    const auto c1 = w.vault.cases().open(a, a, {"IOE0912345671", "I-485", R"({"q":"first questionnaire"})"}).id;
    const auto c2 = w.vault.cases().open(a, a, {"IOE0912345672", "I-130", R"({"q":"second questionnaire"})"}).id;
    auto message = [&](const std::optional<std::string>& case_id, const std::string& body) {
        MessageFields m;
        m.subject = a;
        m.case_id = case_id;
        m.channel = MessageChannel::email;
        m.direction = Direction::outbound;
        m.body = body;
        return w.vault.correspondence().record(a, m).id;
    };
    const auto m1 = message(c1, "about the first case");
    message(c2, "about the second case");
    message(std::nullopt, "about nothing in particular");
    w.grant(a, "terms");

    // USCIS, case 1, receipt numbers: case 1's receipt number and form type.
    DisclosureRequest q;
    q.subject = a;
    q.recipient = "uscis";
    q.purpose = "case_status_retrieval";
    q.categories = {"receipt_numbers"};
    q.case_id = c1;
    const Disclosure uscis = w.vault.disclosures().record(q);
    const std::string text = w.vault.disclosures().package_json(uscis.id);
    const json doc = json::parse(text);
    EXPECT_EQ(doc["disclosure"]["case_id"], c1);
    ASSERT_EQ(doc["cases"].size(), 1u);
    EXPECT_EQ(doc["cases"][0], json({{"receipt_number", "IOE0912345671"}, {"form_type", "I-485"}}));
    for (const char* section : {"account", "correspondence", "billing", "posts", "audit", "disclosures"}) {
        EXPECT_FALSE(doc.contains(section)) << section;
    }
    for (const std::string& absent : {c2, std::string("IOE0912345672"), std::string("questionnaire"),
                                      std::string("Ann Narrow"), std::string("ann.narrow")}) {
        EXPECT_EQ(text.find(absent), std::string::npos) << absent;
    }

    // A warrant for identity: the name, not the contact details.
    auto warrant = to_police(a);
    warrant.categories = {"identity"};
    const json identity = json::parse(w.vault.disclosures().package_json(w.vault.disclosures().record(warrant).id));
    EXPECT_EQ(identity["account"], json({{"name", "Ann Narrow"}}));
    EXPECT_FALSE(identity.contains("cases"));
    EXPECT_EQ(identity["disclosure"]["case_id"], nullptr);
    // Contact: the contact details, not the name.
    warrant.categories = {"contact"};
    const json contact = json::parse(w.vault.disclosures().package_json(w.vault.disclosures().record(warrant).id));
    const json& details = contact["account"];
    EXPECT_EQ(details.size(), 3u);
    EXPECT_EQ(details["email"], "ann.narrow@example.com");
    EXPECT_TRUE(details["phone"].is_string());
    EXPECT_EQ(details["address"], "7 Narrow Street");
    // Case data of both cases: everything of a case but its receipt number and form type.
    warrant.categories = {"case_data", "identity", "contact"};
    const json both = json::parse(w.vault.disclosures().package_json(w.vault.disclosures().record(warrant).id));
    ASSERT_EQ(both["cases"].size(), 2u);
    for (const auto& c : both["cases"]) {
        EXPECT_TRUE(c.contains("questionnaire"));
        EXPECT_TRUE(c.contains("documents"));
        EXPECT_FALSE(c.contains("receipt_number"));
        EXPECT_FALSE(c.contains("form_type"));
    }
    EXPECT_EQ(both["account"].size(), 4u);  // name, email, phone, address
    // Correspondence for case 1: its messages only.
    warrant.categories = {"correspondence", "receipt_numbers"};
    warrant.case_id = c1;
    const json filed = json::parse(w.vault.disclosures().package_json(w.vault.disclosures().record(warrant).id));
    ASSERT_EQ(filed["correspondence"].size(), 1u);
    EXPECT_EQ(filed["correspondence"][0]["id"], m1);
    EXPECT_EQ(filed["correspondence"][0]["body"], "about the first case");
    ASSERT_EQ(filed["cases"].size(), 1u);
    EXPECT_EQ(filed["cases"][0]["receipt_number"], "IOE0912345671");
}

// categories[].fields name keys of the category's record kinds, one at
// least per kind; a category without records has no fields.
TEST(Disclosures, CategoryFieldsAreValidated) {
    auto problems_with = [](const std::function<void(json&)>& edit) {
        json p = json::parse(policy_text("case-parallels.json"));
        edit(p);
        std::vector<std::string> out;
        for (const auto& problem : lint_policy(p.dump())) out.push_back(problem.path);
        return out;
    };
    EXPECT_TRUE(problems_with([](json&) {}).empty());
    EXPECT_EQ(problems_with([](json& p) { p["categories"][3]["fields"] = {"receipt_number", "last4"}; }),
              std::vector<std::string>{"/categories/3/fields/1"});
    // A category (used by no rule) over two record kinds.
    auto two_kinds = [](const json& fields) {
        return [fields](json& p) {
            p["categories"].push_back(
                {{"id", "extra"}, {"description", "x"}, {"records", {"account", "case"}}, {"fields", fields}});
        };
    };
    EXPECT_EQ(problems_with(two_kinds({"name"})), std::vector<std::string>{"/categories/7/fields"});  // no case field
    EXPECT_TRUE(problems_with(two_kinds({"name", "receipt_number"})).empty());
    EXPECT_EQ(problems_with(two_kinds({"name", "title"})),  // a post's key
              (std::vector<std::string>{"/categories/7/fields/1", "/categories/7/fields"}));
    EXPECT_EQ(problems_with([](json& p) { p["categories"][0]["fields"] = json::array(); }),
              std::vector<std::string>{"/categories/0/fields"});
    EXPECT_EQ(problems_with([](json& p) {
                  p["categories"][0].erase("records");
                  p["categories"][0]["fields"] = {"name"};
              }),
              std::vector<std::string>{"/categories/0/fields"});
}

TEST(Disclosures, NondisclosureOrderMustEndInTheFuture) {
    World w;
    const auto a = w.person("Ann Late", "ann@example.com");
    auto q = to_police(a);
    q.at = w.clock.now - 10 * kDay;
    for (const std::int64_t until : {w.clock.now, w.clock.now - 1, q.at, q.at - 1, w.clock.now - 5 * kDay}) {
        q.nondisclosure = NondisclosureOrder{"expired order", until};
        SCOPED_TRACE(until);
        EXPECT_CV_ERROR(w.vault.disclosures().record(q), Errc::invalid_argument);
    }
    EXPECT_TRUE(w.vault.disclosures().list(a).empty());
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
    q.nondisclosure = NondisclosureOrder{"live order", w.clock.now + 1};
    EXPECT_EQ(w.vault.disclosures().record(q).notice, NoticeState::withheld_prohibited);
}

TEST(Disclosures, NoticeFollowsTheRulesTable) {
    // Reference policy: an order outranks the emergency exemption (the
    // notice waits for the order's end).
    {
        World w;
        const auto a = w.person("Ann Both", "ann@example.com");
        auto q = to_police(a, "emergency");
        q.process->justification = "risk to life";
        q.nondisclosure = NondisclosureOrder{"order 1", w.clock.now + kDay};
        EXPECT_EQ(w.vault.disclosures().record(q).notice, NoticeState::withheld_prohibited);
    }
    // notify_subject "always" tells the person even in an emergency, and
    // "unless_prohibited" has no emergency exemption; under both an order
    // wins, and the notice waits for its end.
    for (const std::string notify : {"always", "unless_prohibited"}) {
        json p = json::parse(policy_text("case-parallels.json"));
        for (auto& r : p["disclosures"]["rules"]) {
            if (r["id"] == "us-legal-process") r["notify_subject"] = notify;
        }
        World w(p.dump());
        const auto a = w.person("Ann Table", "ann@example.com");
        auto q = to_police(a, "emergency");
        q.process->justification = "risk to life";
        EXPECT_EQ(w.vault.disclosures().record(q).notice, NoticeState::queued) << notify;
        EXPECT_EQ(w.notices("disclosure_notice").size(), 1u) << notify;
        q.nondisclosure = NondisclosureOrder{"order 2", 0};
        const Disclosure until_lifted = w.vault.disclosures().record(q);
        EXPECT_EQ(until_lifted.notice, NoticeState::withheld_prohibited) << notify;
        q.nondisclosure = NondisclosureOrder{"order 3", w.clock.now + 10 * kDay};
        const Disclosure until_then = w.vault.disclosures().record(q);
        EXPECT_EQ(until_then.notice, NoticeState::withheld_prohibited) << notify;
        EXPECT_EQ(until_then.notice_at, w.clock.now + 10 * kDay) << notify;
        EXPECT_TRUE(w.notices("disclosure_notice").empty()) << notify;
        w.clock.now += 10 * kDay;
        auto n = w.notices("disclosure_notice");
        ASSERT_EQ(n.size(), 1u) << notify;
        EXPECT_EQ(json::parse(n[0].payload)["disclosure_id"], until_then.id);
        w.vault.disclosures().lift_nondisclosure(until_lifted.id);
        n = w.notices("disclosure_notice");
        ASSERT_EQ(n.size(), 1u) << notify;
        EXPECT_EQ(json::parse(n[0].payload)["disclosure_id"], until_lifted.id);
    }
    // "never" stays silent, order or not.
    json p = json::parse(policy_text("case-parallels.json"));
    for (auto& r : p["disclosures"]["rules"]) {
        if (r["id"] == "us-legal-process") r["notify_subject"] = "never";
    }
    World w(p.dump());
    auto q = to_police(w.person("Ann Never", "ann@example.com"));
    EXPECT_EQ(w.vault.disclosures().record(q).notice, NoticeState::not_required);
    q.nondisclosure = NondisclosureOrder{"order 4", 0};
    EXPECT_EQ(w.vault.disclosures().record(q).notice, NoticeState::not_required);
    EXPECT_TRUE(w.notices("disclosure_notice").empty());
}

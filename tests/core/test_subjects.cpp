// Data-subject requests: the export (every record kind, nothing of anyone
// else, streamed, cancelled, of an erased account, confidential holds left
// out), rectification of each target (the old value gone from the export,
// the audit log and the decrypted database pages), refusals, and erasure.
#include <dlfcn.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "crypto/keys.hpp"
#include "subjects/export_fields.hpp"
#include "test_util.hpp"
#include "vault/key_header.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;
using json = nlohmann::json;

namespace {

constexpr std::int64_t kDay = 86400;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// One person's records, every kind, each holding the tag as a canary.
struct Person {
    std::string id, case_id, document_id, message_id, survey_id, payment_id, post_id, hold_id;
};

struct World {
    TempDir dir;
    ManualClock clock;
    Vault vault;

    // Case Parallels' policy (holds, the tax rule's minimised billing), with
    // board posts its subjects may write, so every record kind occurs.
    World() : vault(open(dir, clock)) {
        json p = json::parse(policy_text("case-parallels.json"));
        p["roles"][0]["grants"][0]["records"].push_back("post");
        vault.policy().publish(p.dump());
    }
    static Vault open(TempDir& d, ManualClock& c) {
        return Vault::open(d.path("s.db"), clocked_key_options(c));
    }
    std::string path() { return dir.path("s.db"); }

    // tag: a lower-case word ("alpha"); receipt: a distinct receipt number.
    Person person(const std::string& tag, const std::string& receipt, const std::string& phone) {
        Person p;
        AccountFields f;
        f.name = "Name " + tag;
        f.email = tag + ".mail@example.com";
        f.phone = phone;
        f.address = "1 " + tag + " road";
        f.company = tag + " company";
        p.id = vault.accounts().create(f).id;
        ConsentRequest terms;
        terms.subject = p.id;
        terms.purpose = "terms";
        terms.evidence = tag + "-evidence";
        vault.consents().record(terms);
        vault.consents().subscribe(p.id, "surveys", Channel::web, tag + "-subscription-evidence");
        const Case c = vault.cases().open(
            p.id, p.id, {receipt, "I-485", std::string(R"({"q":")") + tag + R"( answer"})"});
        p.case_id = c.id;
        vault.cases().add_status(p.id, p.case_id, {"received", 0, "manual", std::string(tag + " detail")});
        p.document_id = vault.cases().add_document(p.id, p.case_id, {tag + "-passport.pdf", "passport", 1024,
                                                                     std::string(64, 'a')}).id;
        MessageFields m;
        m.subject = p.id;
        m.case_id = p.case_id;
        m.channel = MessageChannel::email;
        m.direction = Direction::inbound;
        m.subject_line = tag + " line";
        m.body = tag + " body";
        m.sender = tag + ".mail@example.com";
        p.message_id = vault.correspondence().record(p.id, m).id;
        MessageFields s;
        s.subject = p.id;
        s.channel = MessageChannel::survey;
        s.direction = Direction::inbound;
        s.body = tag + " survey answer";
        p.survey_id = vault.correspondence().record(p.id, s).id;
        PaymentFields pay;
        pay.subject = p.id;
        pay.amount_minor = 4900;
        pay.currency = "usd";
        pay.card_brand = "visa";
        pay.last4 = "4242";
        pay.billing_address = "2 " + tag + " billing street";
        pay.processor_ref = "ch_" + tag + "ref";
        pay.billing_state = "NY";
        pay.tax_exemption = "EX-" + tag;
        p.payment_id = vault.billing().record(p.id, pay).id;
        p.post_id = vault.posts().publish(p.id, {p.id, tag + " title", tag + " post body"}).id;
        HoldRequest h;
        h.target = p.id;
        h.authority = "sca_2703f";
        h.reference = tag + " hold reference";
        p.hold_id = vault.holds().place(h).id;
        return p;
    }

    json export_of(const std::string& subject) { return json::parse(vault.subject_requests().export_json(subject)); }
};

// The store's pages, decrypted with the page key (SQLCipher 3/4 layout:
// AES-256-CBC per 4096-byte page, a 48-byte reserve holding the IV and
// HMAC, the file's 16-byte salt in front of page 1). Uses the libcrypto
// SQLCipher itself is linked to. Free space and freed pages are included:
// this reads what an attacker with the key and the file would read.
std::string decrypted_pages(const std::string& path) {
    const std::string file = read_file(path);
    unsigned char salt[store::kFileSaltBytes];
    std::copy(file.begin(), file.begin() + store::kFileSaltBytes, salt);
    const vault::KeyHeader h = vault::parse_header(salt);
    const auto k = test_key();
    const crypto::SecretBytes master = vault::derive_master(h, crypto::SecretBytes(k.data(), k.size()));
    const crypto::PurposeKeys keys = crypto::derive_purpose_keys(master);

    void* lib = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_NOLOAD);
    if (!lib) lib = dlopen("libcrypto.so.3", RTLD_NOW);
    if (!lib) throw std::runtime_error("libcrypto not found");
    using NewFn = void* (*)();
    using CipherFn = const void* (*)();
    using InitFn = int (*)(void*, const void*, void*, const unsigned char*, const unsigned char*);
    using PadFn = int (*)(void*, int);
    using UpdateFn = int (*)(void*, unsigned char*, int*, const unsigned char*, int);
    using FreeFn = void (*)(void*);
    auto ctx_new = reinterpret_cast<NewFn>(dlsym(lib, "EVP_CIPHER_CTX_new"));
    auto aes = reinterpret_cast<CipherFn>(dlsym(lib, "EVP_aes_256_cbc"));
    auto init = reinterpret_cast<InitFn>(dlsym(lib, "EVP_DecryptInit_ex"));
    auto pad = reinterpret_cast<PadFn>(dlsym(lib, "EVP_CIPHER_CTX_set_padding"));
    auto update = reinterpret_cast<UpdateFn>(dlsym(lib, "EVP_DecryptUpdate"));
    auto ctx_free = reinterpret_cast<FreeFn>(dlsym(lib, "EVP_CIPHER_CTX_free"));
    if (!ctx_new || !aes || !init || !pad || !update || !ctx_free) throw std::runtime_error("libcrypto symbols");

    constexpr std::size_t kPage = 4096, kReserve = 48, kIv = 16;
    std::string out;
    for (std::size_t at = 0; at + kPage <= file.size(); at += kPage) {
        const auto* page = reinterpret_cast<const unsigned char*>(file.data() + at);
        const std::size_t from = at == 0 ? store::kFileSaltBytes : 0;
        const int n = static_cast<int>(kPage - kReserve - from);
        std::string plain(static_cast<std::size_t>(n), '\0');
        void* ctx = ctx_new();
        int len = 0;
        init(ctx, aes(), nullptr, keys.page.data(), page + kPage - kReserve);
        pad(ctx, 0);
        update(ctx, reinterpret_cast<unsigned char*>(&plain[0]), &len, page + from, n);
        ctx_free(ctx);
        out += plain;
    }
    return out;
}

std::string bytes(const store::Bytes& b) { return std::string(b.begin(), b.end()); }

// Whether any part of a sealed value is left in the pages: its nonce (the
// first 24 bytes) or its tag (the last 16). A new cell may reuse the tail of
// the old one's space, so searching for the whole value would miss a
// partial residue.
bool residue(const std::string& pages, const store::Bytes& sealed) {
    const std::string v = bytes(sealed);
    return pages.find(v.substr(0, 24)) != std::string::npos || pages.find(v.substr(v.size() - 16)) != std::string::npos;
}

// Every audit entry as one string, to search for values.
std::string audit_text(Vault& v) {
    std::string all;
    for (const auto& e : v.audit().read({})) {
        all += e.actor + "|" + e.action + "|" + e.subject + "|" + e.target + "|" + e.outcome + "|" + e.reason + "\n";
    }
    return all;
}

// The export without what changes from one read to the next.
json stable(json doc) {
    doc.erase("generated_at");
    doc.erase("audit");
    return doc;
}

}  // namespace

// ---- export ------------------------------------------------------------------------

TEST(SubjectExport, HoldsEveryRecordKindAndNothingOfAnyoneElse) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    const Person b = w.person("bravo", "EAC2190000002", "+1 332 555 0102");
    w.vault.requests().cancel(a.id);  // a request of alpha's

    const std::string text = w.vault.subject_requests().export_json(a.id);
    const json doc = json::parse(text);  // valid JSON
    EXPECT_EQ(doc.at("format"), "casevault-export/1");
    EXPECT_EQ(doc.at("subject"), a.id);
    EXPECT_EQ(doc.at("generated_at"), w.clock.now);
    EXPECT_EQ(doc.at("policy_version"), 1);

    const json& acc = doc.at("account");
    EXPECT_EQ(acc.at("id"), a.id);
    EXPECT_EQ(acc.at("status"), "cancelled");
    EXPECT_EQ(acc.at("name"), "Name alpha");
    EXPECT_EQ(acc.at("email"), "alpha.mail@example.com");
    EXPECT_EQ(acc.at("address"), "1 alpha road");
    EXPECT_EQ(acc.at("company"), "alpha company");

    const json& consents = doc.at("consents");
    ASSERT_EQ(consents.at("history").size(), 2u);
    EXPECT_EQ(consents.at("history")[0].at("purpose"), "terms");
    EXPECT_EQ(consents.at("history")[0].at("evidence"), "alpha-evidence");
    EXPECT_FALSE(consents.at("state").empty());
    ASSERT_TRUE(consents.at("receipts").is_array());
    EXPECT_FALSE(consents.at("receipts").empty());

    ASSERT_EQ(doc.at("cases").size(), 1u);
    const json& c = doc.at("cases")[0];
    EXPECT_EQ(c.at("id"), a.case_id);
    EXPECT_EQ(c.at("receipt_number"), "EAC2190000001");
    EXPECT_EQ(c.at("questionnaire").at("q"), "alpha answer");
    ASSERT_EQ(c.at("status_history").size(), 1u);
    EXPECT_EQ(c.at("status_history")[0].at("detail"), "alpha detail");
    ASSERT_EQ(c.at("documents").size(), 1u);
    EXPECT_EQ(c.at("documents")[0].at("name"), "alpha-passport.pdf");

    ASSERT_EQ(doc.at("correspondence").size(), 2u);
    bool survey = false, email = false;
    for (const auto& m : doc.at("correspondence")) {
        if (m.at("channel") == "survey") survey = m.at("body") == "alpha survey answer";
        if (m.at("channel") == "email") email = m.at("body") == "alpha body" && m.at("subject_line") == "alpha line";
    }
    EXPECT_TRUE(survey);
    EXPECT_TRUE(email);

    ASSERT_EQ(doc.at("billing").size(), 1u);
    const json& p = doc.at("billing")[0];
    EXPECT_EQ(p.at("billing_address"), "2 alpha billing street");
    EXPECT_EQ(p.at("processor_ref"), "ch_alpharef");
    EXPECT_EQ(p.at("last4"), "4242");
    EXPECT_EQ(p.at("amount_minor"), 4900);

    ASSERT_EQ(doc.at("posts").size(), 1u);
    EXPECT_EQ(doc.at("posts")[0].at("title"), "alpha title");
    ASSERT_EQ(doc.at("holds").size(), 1u);
    EXPECT_EQ(doc.at("holds")[0].at("id"), a.hold_id);
    EXPECT_FALSE(doc.at("holds")[0].contains("reference"));
    ASSERT_EQ(doc.at("requests").size(), 1u);
    EXPECT_EQ(doc.at("requests")[0].at("kind"), "cancel");
    EXPECT_TRUE(doc.at("disclosures").is_array());
    EXPECT_TRUE(doc.at("deletion_receipts").is_array());
    EXPECT_TRUE(doc.at("subscriptions").is_array());

    ASSERT_FALSE(doc.at("audit").empty());
    std::set<std::string> actions;
    for (const auto& e : doc.at("audit")) actions.insert(e.at("action").get<std::string>());
    for (const char* want : {"account.create", "case.open", "message.record", "payment.record", "post.publish",
                             "hold.place", "request.cancel"}) {
        EXPECT_TRUE(actions.count(want)) << want;
    }

    // Nothing of bravo: no canary, no id, no receipt number.
    EXPECT_EQ(lower(text).find("bravo"), std::string::npos);
    for (const std::string& id : {b.id, b.case_id, b.document_id, b.message_id, b.survey_id, b.payment_id, b.post_id,
                                  b.hold_id, std::string("EAC2190000002"), std::string("555 0102")}) {
        EXPECT_EQ(text.find(id), std::string::npos) << id;
    }
    // Hold references never go out, the subject's own neither.
    EXPECT_EQ(text.find("hold reference"), std::string::npos);

    // The export is audited.
    AuditFilter f;
    f.action = "subject.export";
    const auto entries = w.vault.audit().read(f);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].subject, a.id);
}

TEST(SubjectExport, StreamsInChunksAndStopsWhenTheSinkSaysSo) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    std::vector<MessageFields> batch;
    for (int i = 0; i < 1200; ++i) {  // > 2 pages of messages, ~200 KB
        MessageFields m;
        m.subject = a.id;
        m.channel = MessageChannel::web_form;
        m.direction = Direction::outbound;
        m.body = "message " + std::to_string(i) + " \"quoted\" \\ and \xC3\xA9 " + std::string(120, 'x');
        batch.push_back(m);
    }
    w.vault.correspondence().record_many(a.id, batch);

    std::vector<std::string> chunks;
    w.vault.subject_requests().export_to(a.id, [&](const char* data, std::size_t size) {
        chunks.emplace_back(data, size);
        return true;
    });
    EXPECT_GE(chunks.size(), 3u);
    std::string joined;
    for (const auto& c : chunks) joined += c;
    const json doc = json::parse(joined);
    EXPECT_EQ(doc.at("correspondence").size(), 1202u);
    EXPECT_EQ(stable(doc), stable(w.export_of(a.id)));

    int calls = 0;
    EXPECT_CV_ERROR(w.vault.subject_requests().export_to(a.id,
                                                         [&](const char*, std::size_t) {
                                                             ++calls;
                                                             return false;
                                                         }),
                    Errc::cancelled);
    EXPECT_EQ(calls, 1);
    AuditFilter f;
    f.action = "subject.export";
    EXPECT_EQ(w.vault.audit().read(f).size(), 2u);  // the cancelled one is not recorded

    EXPECT_CV_ERROR(w.vault.subject_requests().export_json("acc_000000000000000000000000"), Errc::not_found);
    EXPECT_CV_ERROR(w.vault.subject_requests().export_json("nobody"), Errc::invalid_argument);
}

TEST(SubjectExport, LeavesConfidentialHoldsOut) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    HoldRequest h;
    h.scope = HoldScope::case_file;
    h.target = a.case_id;
    h.authority = "sca_2703f";
    h.reference = "gagged reference";
    h.confidential = true;
    const Hold hold = w.vault.holds().place(h);
    EXPECT_TRUE(hold.confidential);
    EXPECT_TRUE(w.vault.holds().get(hold.id).confidential);  // stored, not only returned
    w.vault.holds().extend(hold.id);

    const std::string text = w.vault.subject_requests().export_json(a.id);
    EXPECT_EQ(text.find(hold.id), std::string::npos);  // neither the hold nor its audit entries
    const json doc = json::parse(text);
    ASSERT_EQ(doc.at("holds").size(), 1u);
    EXPECT_EQ(doc.at("holds")[0].at("id"), a.hold_id);
    EXPECT_FALSE(w.vault.holds().get(a.hold_id).confidential);
}

TEST(SubjectExport, ShowsDisclosuresOnlyOnceTheSubjectMayBeTold) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    DisclosureRequest q;
    q.subject = a.id;
    q.recipient = "law_enforcement";
    q.recipient_name = "alpha precinct";
    q.categories = {"identity", "case_data"};
    q.process = LegalProcess{"warrant", "alpha warrant ref", ""};
    const Disclosure told = w.vault.disclosures().record(q);
    q.nondisclosure = NondisclosureOrder{"alpha gag ref", 0};
    const Disclosure gagged = w.vault.disclosures().record(q);

    std::string text = w.vault.subject_requests().export_json(a.id);
    json doc = json::parse(text);
    ASSERT_EQ(doc.at("disclosures").size(), 1u);
    EXPECT_EQ(doc.at("disclosures")[0].at("id"), told.id);
    EXPECT_EQ(doc.at("disclosures")[0].at("recipient_name"), "alpha precinct");
    EXPECT_EQ(doc.at("disclosures")[0].at("process"), "warrant");
    EXPECT_EQ(text.find(gagged.id), std::string::npos);  // nor its audit entries
    EXPECT_EQ(text.find("warrant ref"), std::string::npos);
    EXPECT_EQ(text.find("gag ref"), std::string::npos);

    w.vault.disclosures().lift_nondisclosure(gagged.id);
    text = w.vault.subject_requests().export_json(a.id);
    doc = json::parse(text);
    EXPECT_EQ(doc.at("disclosures").size(), 2u);
    EXPECT_NE(text.find(gagged.id), std::string::npos);
}

// The audit section tells nothing a withheld disclosure would: of the
// disclosure.* entries only those naming a disclosure the export shows stay
// (no list, which once counted them all, and no refusal, which may concern a
// confidential government request).
TEST(SubjectExport, AuditSectionNamesOnlyDisclosuresItShows) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    DisclosureRequest q;
    q.subject = a.id;
    q.recipient = "law_enforcement";
    q.categories = {"identity"};
    q.process = LegalProcess{"warrant", "alpha warrant ref", ""};
    const Disclosure told = w.vault.disclosures().record(q);
    auto gag = q;
    gag.nondisclosure = NondisclosureOrder{"alpha gag ref", 0};
    const Disclosure gagged = w.vault.disclosures().record(gag);
    w.vault.disclosures().get(told.id);
    w.vault.disclosures().get(gagged.id);
    EXPECT_EQ(w.vault.disclosures().list(a.id).size(), 2u);
    auto abroad = q;
    abroad.recipient = "foreign_government";  // only under an MLAT
    EXPECT_THROW(w.vault.disclosures().record(abroad), DisclosureRefused);

    AuditFilter f;
    f.action = "disclosure.list";
    const auto listed = w.vault.audit().read(f);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].subject, a.id);
    EXPECT_EQ(listed[0].reason, "");  // no count

    auto disclosure_entries = [&](const json& doc) {
        std::vector<std::pair<std::string, std::string>> out;  // (action, target)
        for (const auto& e : doc.at("audit")) {
            const std::string action = e.at("action");
            if (action.rfind("disclosure.", 0) == 0) out.emplace_back(action, e.at("target"));
        }
        return out;
    };
    std::string text = w.vault.subject_requests().export_json(a.id);
    EXPECT_EQ(text.find(gagged.id), std::string::npos);
    EXPECT_EQ(disclosure_entries(json::parse(text)),
              (std::vector<std::pair<std::string, std::string>>{{"disclosure.record", told.id},
                                                                {"disclosure.read", told.id}}));

    // Lifted: its entries are the person's to see; the list and the refusal stay out.
    w.vault.disclosures().lift_nondisclosure(gagged.id);
    text = w.vault.subject_requests().export_json(a.id);
    EXPECT_EQ(disclosure_entries(json::parse(text)),
              (std::vector<std::pair<std::string, std::string>>{{"disclosure.record", told.id},
                                                                {"disclosure.record", gagged.id},
                                                                {"disclosure.read", told.id},
                                                                {"disclosure.read", gagged.id},
                                                                {"disclosure.lift", gagged.id}}));
}

// The writer's objects have exactly the keys policy categories[].fields are
// checked against.
TEST(SubjectExport, ObjectKeysAreTheExportFields) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    const json doc = w.export_of(a.id);
    auto keys = [](const json& o) {
        std::vector<std::string> out;
        for (auto it = o.begin(); it != o.end(); ++it) out.push_back(it.key());
        std::sort(out.begin(), out.end());
        return out;
    };
    auto fields = [](const char* kind) {
        const auto* list = subjects::export_fields(kind);
        EXPECT_NE(list, nullptr) << kind;
        std::vector<std::string> out = list ? *list : std::vector<std::string>{};
        std::sort(out.begin(), out.end());
        return out;
    };
    EXPECT_EQ(keys(doc.at("account")), fields("account"));
    ASSERT_EQ(doc.at("cases").size(), 1u);
    EXPECT_EQ(keys(doc.at("cases")[0]), fields("case"));
    ASSERT_EQ(doc.at("correspondence").size(), 2u);
    EXPECT_EQ(keys(doc.at("correspondence")[0]), fields("correspondence"));
    EXPECT_EQ(keys(doc.at("correspondence")[1]), fields("survey"));
    ASSERT_EQ(doc.at("billing").size(), 1u);
    EXPECT_EQ(keys(doc.at("billing")[0]), fields("billing"));
    ASSERT_EQ(doc.at("posts").size(), 1u);
    EXPECT_EQ(keys(doc.at("posts")[0]), fields("post"));
}

TEST(SubjectExport, AnErasedAccountShowsWhatRemains) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    w.vault.holds().release(a.hold_id);
    const ErasureTicket t = w.vault.subject_requests().erase(a.id);
    EXPECT_EQ(t.request.state, RequestState::pending);
    EXPECT_EQ(t.request.kind, RequestKind::erase);
    EXPECT_EQ(t.subject_ref, w.vault.retention().subject_ref(a.id));
    w.vault.retention().sweep();
    EXPECT_EQ(w.vault.accounts().get(a.id).status, AccountStatus::erased);

    const std::string text = w.vault.subject_requests().export_json(a.id);
    const json doc = json::parse(text);
    EXPECT_EQ(doc.at("account").at("status"), "erased");
    EXPECT_TRUE(doc.at("account").at("name").is_null());
    EXPECT_TRUE(doc.at("account").at("email").is_null());
    EXPECT_TRUE(doc.at("consents").at("history").empty());
    EXPECT_TRUE(doc.at("cases").empty());
    EXPECT_TRUE(doc.at("correspondence").empty());
    EXPECT_TRUE(doc.at("posts").empty());
    // The minimised payment the tax rule keeps, under the retention key.
    ASSERT_EQ(doc.at("billing").size(), 1u);
    EXPECT_GT(doc.at("billing")[0].at("minimized_at").get<std::int64_t>(), 0);
    ASSERT_EQ(doc.at("deletion_receipts").size(), 1u);
    EXPECT_EQ(doc.at("deletion_receipts")[0].at("subject_ref"), t.subject_ref);
    ASSERT_EQ(doc.at("requests").size(), 1u);
    EXPECT_EQ(doc.at("requests")[0].at("state"), "done");
    EXPECT_FALSE(doc.at("audit").empty());
    for (const char* gone : {"Name alpha", "alpha.mail", "alpha body", "alpha answer", "alpha detail"}) {
        EXPECT_EQ(text.find(gone), std::string::npos) << gone;
    }
    // The deletion receipt answers to the ticket's subject_ref.
    bool found = false;
    for (const auto& r : w.vault.retention().receipts()) found = found || r.subject_ref == t.subject_ref;
    EXPECT_TRUE(found);
    AuditFilter f;
    f.action = "subject.erase";
    EXPECT_EQ(w.vault.audit().read(f).size(), 1u);
}

// ---- rectification ----------------------------------------------------------------

TEST(SubjectRectify, TargetNamesRoundTrip) {
    for (auto t : {RectifyTarget::account, RectifyTarget::case_file, RectifyTarget::case_status,
                   RectifyTarget::document, RectifyTarget::message, RectifyTarget::payment}) {
        EXPECT_EQ(rectify_target_from_name(rectify_target_name(t)), t);
    }
    EXPECT_STREQ(rectify_target_name(RectifyTarget::case_file), "case");
    EXPECT_CV_ERROR(rectify_target_from_name("ledger"), Errc::invalid_argument);
}

// Each target: the old value leaves the export, the audit log never held
// either value, and the old sealed bytes are in no decrypted page of the
// store file (secure_delete zeroes the freed cell) while the new ones are.
// What this proves: the live database file keeps no copy of the old
// ciphertext after a checkpoint. It does not cover earlier backups, disk
// blocks the file system freed, or the WAL before the checkpoint.
TEST(SubjectRectify, EachTargetLeavesNoOldValue) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    w.vault.holds().release(a.hold_id);  // a live hold preserves records as they are
    const Person b = w.person("bravo", "EAC2190000002", "+1 332 555 0102");
    std::int64_t seq = 0;
    {
        auto raw = raw_sql(w.path());
        seq = raw->case_history(a.case_id).at(0).seq;
    }
    struct Change {
        Rectification r;
        std::string old_value, new_value;
        std::function<store::Bytes(store::SqlcipherStore&)> sealed;  // the field's stored bytes
    };
    std::vector<Change> changes = {
        {{RectifyTarget::account, a.id, "email", "alpha.fixed@example.com"}, "alpha.mail@example.com",
         "alpha.fixed@example.com", [&](store::SqlcipherStore& s) { return *s.account(a.id)->email; }},
        {{RectifyTarget::account, a.id, "address", "9 corrected road"}, "1 alpha road", "9 corrected road",
         [&](store::SqlcipherStore& s) { return *s.account(a.id)->address; }},
        {{RectifyTarget::case_file, a.case_id, "receipt_number", "EAC2190000009"}, "EAC2190000001", "EAC2190000009",
         [&](store::SqlcipherStore& s) { return *s.case_row(a.case_id)->receipt; }},
        {{RectifyTarget::case_file, a.case_id, "questionnaire", R"({"q":"corrected answer"})"}, "alpha answer",
         "corrected answer", [&](store::SqlcipherStore& s) { return *s.case_row(a.case_id)->questionnaire; }},
        {{RectifyTarget::case_status, std::to_string(seq), "detail", "corrected detail"}, "alpha detail",
         "corrected detail", [&](store::SqlcipherStore& s) { return *s.case_status(seq)->detail; }},
        {{RectifyTarget::document, a.document_id, "name", "corrected.pdf"}, "alpha-passport.pdf", "corrected.pdf",
         [&](store::SqlcipherStore& s) { return s.document(a.document_id)->name; }},
        {{RectifyTarget::message, a.message_id, "body", "corrected body"}, "alpha body", "corrected body",
         [&](store::SqlcipherStore& s) { return s.message(a.message_id)->body; }},
        {{RectifyTarget::message, a.message_id, "sender", "+1 332 555 0177"}, "alpha.mail@example.com",
         "+1 332 555 0177", [&](store::SqlcipherStore& s) { return *s.message(a.message_id)->sender; }},
        {{RectifyTarget::message, a.message_id, "subject_line", "corrected line"}, "alpha line", "corrected line",
         [&](store::SqlcipherStore& s) { return *s.message(a.message_id)->subject_line; }},
        {{RectifyTarget::payment, a.payment_id, "billing_address", "7 corrected street"}, "2 alpha billing street",
         "7 corrected street", [&](store::SqlcipherStore& s) { return *s.payment(a.payment_id)->billing_address; }},
        {{RectifyTarget::payment, a.payment_id, "processor_ref", "ch_fixedref"}, "ch_alpharef", "ch_fixedref",
         [&](store::SqlcipherStore& s) { return *s.payment(a.payment_id)->processor_ref; }},
    };
    const json b_before = stable(w.export_of(b.id));
    std::vector<store::Bytes> old_sealed;
    {
        auto raw = raw_sql(w.path());
        for (auto& c : changes) old_sealed.push_back(c.sealed(*raw));
    }
    for (const auto& c : changes) {
        const RectifyResult r = w.vault.subject_requests().rectify(a.id, c.r);
        EXPECT_EQ(r.target, c.r.target);
        EXPECT_EQ(r.field, c.r.field);
        EXPECT_EQ(r.at, w.clock.now);
    }
    // Billing state (in the clear) and tax exemption (sealed) too.
    w.vault.subject_requests().rectify(a.id, {RectifyTarget::payment, a.payment_id, "billing_state", "nj"});
    w.vault.subject_requests().rectify(a.id, {RectifyTarget::payment, a.payment_id, "tax_exemption", "EX-FIXED"});

    const std::string text = w.vault.subject_requests().export_json(a.id);
    const json doc = json::parse(text);
    for (const auto& c : changes) {
        EXPECT_EQ(text.find(c.old_value), std::string::npos) << c.old_value;
        EXPECT_NE(text.find(c.new_value), std::string::npos) << c.new_value;
    }
    EXPECT_EQ(doc.at("account").at("email"), "alpha.fixed@example.com");
    EXPECT_EQ(doc.at("cases")[0].at("questionnaire").at("q"), "corrected answer");
    EXPECT_EQ(doc.at("billing")[0].at("billing_state"), "NJ");
    EXPECT_EQ(doc.at("billing")[0].at("tax_exemption"), "EX-FIXED");
    // Blind indexes follow: the new email and receipt number find the records, the old ones do not.
    EXPECT_TRUE(w.vault.accounts().find_by_email("alpha.fixed@example.com").has_value());
    EXPECT_FALSE(w.vault.accounts().find_by_email("alpha.mail@example.com").has_value());
    EXPECT_TRUE(w.vault.cases().find_by_receipt(a.id, "EAC2190000009").has_value());
    EXPECT_FALSE(w.vault.cases().find_by_receipt(a.id, "EAC2190000001").has_value());

    EXPECT_EQ(stable(w.export_of(b.id)), b_before);  // nobody else's records moved

    // The audit log names targets and fields, never a value.
    const std::string audit = audit_text(w.vault);
    for (const auto& c : changes) {
        EXPECT_EQ(audit.find(c.old_value), std::string::npos) << c.old_value;
        EXPECT_EQ(audit.find(c.new_value), std::string::npos) << c.new_value;
    }
    AuditFilter f;
    f.action = "subject.rectify";
    const auto entries = w.vault.audit().read(f);
    ASSERT_EQ(entries.size(), changes.size() + 2);
    EXPECT_EQ(entries[0].target, "account:" + a.id);
    EXPECT_EQ(entries[0].reason, "email");

    std::vector<store::Bytes> new_sealed;
    {
        auto raw = raw_sql(w.path());
        for (auto& c : changes) new_sealed.push_back(c.sealed(*raw));
    }
    w.vault.close();
    EXPECT_EQ(read_file(w.path() + "-wal").size(), 0u);  // checkpointed: the file holds every page
    const std::string pages = decrypted_pages(w.path());
    for (std::size_t i = 0; i < changes.size(); ++i) {
        // The decryption works: the current values are found.
        EXPECT_NE(pages.find(bytes(new_sealed[i])), std::string::npos) << changes[i].r.field;
        EXPECT_FALSE(residue(pages, old_sealed[i])) << changes[i].r.field;
    }
}

// The control for the page check above: with secure_delete switched off on
// the vault's connection, the same check finds the old value's bytes, so
// its silence above is secure_delete's doing, not a blind check.
TEST(SubjectRectify, ThePageCheckSeesResidueWithoutSecureDelete) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    w.vault.holds().release(a.hold_id);  // a live hold preserves records as they are
    w.vault.core()->store().db().exec("PRAGMA secure_delete = OFF", "test");
    store::Bytes old_body;
    {
        auto raw = raw_sql(w.path());
        old_body = raw->message(a.message_id)->body;
    }
    // Longer than the old body: the new cell cannot reuse the old one's space.
    w.vault.subject_requests().rectify(a.id, {RectifyTarget::message, a.message_id, "body", std::string(300, 'f')});
    w.vault.close();
    EXPECT_TRUE(residue(decrypted_pages(w.path()), old_body));
}

TEST(SubjectRectify, RefusalsChangeNothing) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    w.vault.holds().release(a.hold_id);  // a live hold preserves records as they are
    const Person b = w.person("bravo", "EAC2190000002", "+1 332 555 0102");
    auto sr_call = [&](const Rectification& r) { return w.vault.subject_requests().rectify(a.id, r); };
    const json before = stable(w.export_of(a.id));
    const json before_b = stable(w.export_of(b.id));

    // Unknown fields and targets, bad values.
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "ssn", "x"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({static_cast<RectifyTarget>(99), a.id, "name", "x"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::message, a.message_id, "channel", "x"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "email", "not an email"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "name", ""}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "address", "card 4111 1111 1111 1111"}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_file, a.case_id, "questionnaire", "{not json"}),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_file, a.case_id, "receipt_number", "12"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_status, "0", "detail", "x"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_status, "abc", "detail", "x"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::message, a.message_id, "body", ""}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::message, a.message_id, "sender", ""}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::message, a.message_id, "sender", "nobody"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::payment, a.payment_id, "billing_state", "ZZ"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::document, a.document_id, "name", "bad\x01name"}), Errc::invalid_argument);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::message, "nope", "body", "x"}), Errc::invalid_argument);

    // Another subject's records are not found.
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, b.id, "name", "x"}), Errc::not_found);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_file, b.case_id, "questionnaire", "{}"}), Errc::not_found);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::document, b.document_id, "name", "x"}), Errc::not_found);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::message, b.message_id, "body", "x"}), Errc::not_found);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::payment, b.payment_id, "processor_ref", "x"}), Errc::not_found);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_status, "999999", "detail", "x"}), Errc::not_found);
    std::int64_t b_seq = 0;
    {
        auto raw = raw_sql(w.path());
        b_seq = raw->case_history(b.case_id).at(0).seq;
    }
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_status, std::to_string(b_seq), "detail", "x"}), Errc::not_found);
    EXPECT_CV_ERROR(w.vault.subject_requests().rectify("acc_000000000000000000000000",
                                                       {RectifyTarget::account, "acc_000000000000000000000000",
                                                        "name", "x"}),
                    Errc::not_found);

    // Taken email, phone and receipt number.
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "email", "bravo.mail@example.com"}), Errc::duplicate);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "phone", "+1 332 555 0102"}), Errc::duplicate);
    EXPECT_CV_ERROR(sr_call({RectifyTarget::case_file, a.case_id, "receipt_number", "EAC2190000002"}),
                    Errc::duplicate);

    // All or nothing: the valid first change is rolled back with the bad second.
    EXPECT_CV_ERROR(w.vault.subject_requests().rectify_many(
                        a.id, {{RectifyTarget::message, a.message_id, "body", "first fix"},
                               {RectifyTarget::payment, a.payment_id, "billing_state", "ZZ"}}),
                    Errc::invalid_argument);

    EXPECT_EQ(stable(w.export_of(a.id)), before);
    EXPECT_EQ(stable(w.export_of(b.id)), before_b);
    AuditFilter f;
    f.action = "subject.rectify";
    EXPECT_TRUE(w.vault.audit().read(f).empty());

    // rectify_many applies every change in one call.
    const auto done = w.vault.subject_requests().rectify_many(
        a.id, {{RectifyTarget::message, a.message_id, "body", "first fix"},
               {RectifyTarget::account, a.id, "company", ""}});
    ASSERT_EQ(done.size(), 2u);
    const json after = w.export_of(a.id);
    EXPECT_TRUE(after.at("account").at("company").is_null());  // "" clears
    EXPECT_EQ(w.vault.audit().read(f).size(), 2u);

    // An erased account has nothing to rectify.
    w.vault.subject_requests().erase(a.id);
    w.clock.now += kDay;
    w.vault.retention().sweep();
    EXPECT_CV_ERROR(sr_call({RectifyTarget::account, a.id, "name", "x"}), Errc::invalid_argument);
}

// A preservation hold keeps records as they are: a correction waits for its
// end. A case hold covers its case and what belongs to it, nothing else. A
// minimised payment keeps only what its rule kept.
TEST(SubjectRectify, PreservedAndMinimisedRecordsAreRefused) {
    World w;
    const Person a = w.person("alpha", "EAC2190000001", "+1 332 555 0101");
    auto fix = [&](RectifyTarget t, const std::string& id, const std::string& field, const std::string& value) {
        return w.vault.subject_requests().rectify(a.id, {t, id, field, value});
    };
    const json before = stable(w.export_of(a.id));
    EXPECT_CV_ERROR(fix(RectifyTarget::account, a.id, "address", "9 elsewhere"), Errc::invalid_argument);
    EXPECT_CV_ERROR(fix(RectifyTarget::case_file, a.case_id, "questionnaire", R"({"q":"changed"})"),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(fix(RectifyTarget::message, a.message_id, "body", "changed"), Errc::invalid_argument);
    EXPECT_CV_ERROR(fix(RectifyTarget::payment, a.payment_id, "billing_state", "CA"), Errc::invalid_argument);
    EXPECT_EQ(stable(w.export_of(a.id)), before);

    // A case hold instead: the case and its message wait, the account does not.
    w.vault.holds().release(a.hold_id);
    HoldRequest h;
    h.scope = HoldScope::case_file;
    h.target = a.case_id;
    h.authority = "sca_2703f";
    h.reference = "case hold reference";
    const Hold case_hold = w.vault.holds().place(h);
    EXPECT_CV_ERROR(fix(RectifyTarget::case_file, a.case_id, "questionnaire", R"({"q":"changed"})"),
                    Errc::invalid_argument);
    EXPECT_CV_ERROR(fix(RectifyTarget::document, a.document_id, "name", "changed.pdf"), Errc::invalid_argument);
    EXPECT_CV_ERROR(fix(RectifyTarget::message, a.message_id, "body", "changed"), Errc::invalid_argument);
    fix(RectifyTarget::account, a.id, "address", "9 elsewhere");
    fix(RectifyTarget::message, a.survey_id, "body", "a corrected survey answer");  // in no case
    w.vault.holds().release(case_hold.id);
    fix(RectifyTarget::case_file, a.case_id, "questionnaire", R"({"q":"changed"})");

    // Minimised (the tax rule's erasure path, run directly): refused.
    VaultCore* core = w.vault.core();
    core->run([&](accounts::Context& ctx) { core->billing().minimize(a.id, {"billing_address"}, ctx.now); });
    EXPECT_CV_ERROR(fix(RectifyTarget::payment, a.payment_id, "billing_state", "CA"), Errc::invalid_argument);
}

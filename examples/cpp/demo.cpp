// casevault demo: a host application end to end.
//
//   casevault-demo [DIR]      (default DIR: demo-out)
//
// Creates a store under a passphrase, registers synthetic people, looks them
// up by email and phone, rectifies and erases some, reopens the store,
// verifies the audit chain, and finally reads the raw bytes of the store file
// and its -wal/-shm sidecars to show that none of the personal data written
// appears in them. Exits non-zero if any does.
#include <casevault/casevault.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace cv = casevault;
namespace fs = std::filesystem;

namespace {

constexpr int kPeople = 300;

std::string pad(int n, int width) {
    std::string s = std::to_string(n);
    return std::string(width > static_cast<int>(s.size()) ? width - s.size() : 0, '0') + s;
}

// Fictional numbers only: NANP 555-0100..0199 in three area codes.
const char* const kAreaCodes[] = {"212", "332", "415"};
const char* const kStreets[] = {"Maple Street", "Harbor Road", "Elm Avenue", "Station Lane", "Orchard Way"};
const char* const kCities[] = {"Springfield, IL 62704", "Riverton, WY 82501", "Fairview, OR 97024"};
const char* const kCompanies[] = {"Northwind Demo Ltd", "Contoso Demo Inc", "Fabrikam Demo LLC"};

cv::AccountFields person(int i) {
    cv::AccountFields f;
    f.name = "Demo Person " + pad(i, 4);
    f.email = "demo" + pad(i, 4) + "@example.test";
    f.phone = std::string("+1 ") + kAreaCodes[i / 100] + " 555 01" + pad(i % 100, 2);
    f.address = std::to_string(10 + i) + " " + kStreets[i % 5] + ", " + kCities[i % 3];
    if (i % 4 != 0) f.company = std::string(kCompanies[i % 3]) + " " + pad(i % 17, 2);  // some have none
    return f;
}

std::string random_passphrase() {
    std::random_device rd;
    static const char alphabet[] = "abcdefghijkmnopqrstuvwxyz23456789";
    std::string p;
    for (int i = 0; i < 24; ++i) p += alphabet[rd() % (sizeof alphabet - 1)];
    return p;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every personal string written, checked against the store and its sidecars.
struct LeakCheck {
    std::vector<std::string> strings;
    void add(const cv::AccountFields& f) {
        strings.push_back(f.name);
        for (const auto* o : {&f.email, &f.phone, &f.address, &f.company}) {
            if (*o && !(*o)->empty()) strings.push_back(**o);
        }
        if (f.phone) {  // also the digits-only form a normalizer might store
            std::string digits;
            for (char c : *f.phone) if (c >= '0' && c <= '9') digits += c;
            strings.push_back(digits);
        }
    }
    void add_string(const std::string& v) { strings.push_back(v); }
    void add(const cv::AccountUpdate& u) {
        for (const auto* o : {&u.name, &u.email, &u.phone, &u.address, &u.company}) {
            if (*o && !(*o)->empty()) strings.push_back(**o);
        }
    }
    // Returns how many strings appear in any of the files; prints the files read.
    int scan(const fs::path& store, const char* when) {
        std::sort(strings.begin(), strings.end());
        strings.erase(std::unique(strings.begin(), strings.end()), strings.end());
        std::vector<std::string> blobs;
        std::string listing;
        for (const char* suffix : {"", "-wal", "-shm"}) {
            const fs::path p = store.string() + suffix;
            if (!fs::exists(p)) continue;
            blobs.push_back(slurp(p));
            listing += (listing.empty() ? "" : ", ") + p.filename().string() + " " +
                       std::to_string(blobs.back().size()) + " B";
        }
        int found = 0;
        for (const auto& s : strings) {
            for (const auto& b : blobs) {
                if (b.find(s) != std::string::npos) {
                    std::cout << "  LEAK: \"" << s << "\" is readable in the raw files\n";
                    ++found;
                    break;
                }
            }
        }
        std::cout << "  " << when << ": " << found << " of " << strings.size()
                  << " personal strings found in the raw files (" << listing << ")\n";
        return found;
    }
};

int run(const fs::path& dir) {
    fs::create_directories(dir);
    const fs::path store = dir / "demo.cvault";
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(store.string() + suffix);

    const cv::EngineVersions ev = cv::engine_versions();
    std::cout << "casevault " << cv::version() << " (SQLCipher " << ev.sqlcipher << ", SQLite " << ev.sqlite
              << ", libsodium " << ev.sodium << ")\n";

    cv::OpenOptions opts;
    opts.passphrase = random_passphrase();  // a real host would take it from its operator or KMS
    opts.kdf = cv::KdfParams::interactive();
    opts.actor = "demo-app";

    auto t0 = std::chrono::steady_clock::now();
    cv::Vault vault = cv::Vault::open(store.string(), opts);
    std::printf("created %s (Argon2id interactive) in %.0f ms\n", store.string().c_str(), ms_since(t0));

    // Register.
    LeakCheck leaks;
    std::vector<cv::AccountFields> batch;
    for (int i = 0; i < kPeople; ++i) {
        batch.push_back(person(i));
        leaks.add(batch.back());
    }
    cv::Accounts accounts = vault.accounts();
    t0 = std::chrono::steady_clock::now();
    const std::vector<cv::Account> created = accounts.create_many(batch);
    std::printf("registered %zu accounts in one transaction in %.0f ms\n", created.size(), ms_since(t0));

    // Find, with other spellings of the same email and phone.
    int lookups_failed = 0;
    auto show = [&](const char* how, const std::string& query, const std::optional<cv::Account>& a,
                    const std::string& expected_id) {
        const bool ok = a && a->id == expected_id;
        lookups_failed += ok ? 0 : 1;
        std::cout << "  " << how << "(\"" << query << "\") -> "
                  << (a ? a->id + " " + a->fields.name : std::string("not found")) << (ok ? "" : "  [UNEXPECTED]")
                  << "\n";
    };
    std::cout << "lookups (normalized):\n";
    show("find_by_email", "DEMO0042@Example.TEST", accounts.find_by_email("DEMO0042@Example.TEST"), created[42].id);
    show("find_by_email", " demo0137@EXAMPLE.test ", accounts.find_by_email(" demo0137@EXAMPLE.test "),
         created[137].id);
    show("find_by_phone", "+1 (212) 555-0107", accounts.find_by_phone("+1 (212) 555-0107"), created[7].id);
    show("find_by_phone", "001 415 555 0199", accounts.find_by_phone("001 415 555 0199"), created[299].id);
    show("find_by_phone", "+13325550150", accounts.find_by_phone("+13325550150"), created[150].id);

    // Rectify: new email and address for ten people; the old email no longer finds them.
    for (int i = 10; i < 20; ++i) {
        cv::AccountUpdate u;
        u.email = "demo" + pad(i, 4) + ".new@example.test";
        u.address = std::to_string(500 + i) + " Rectified Road, Fairview, OR 97024";
        leaks.add(u);
        accounts.update(created[i].id, u);
    }
    const bool old_gone = !accounts.find_by_email("demo0012@example.test");
    const bool new_found = accounts.find_by_email("demo0012.new@example.test").has_value();
    std::cout << "rectified 10 accounts (old email finds nothing: " << (old_gone ? "yes" : "NO")
              << ", new email finds them: " << (new_found ? "yes" : "NO") << ")\n";
    lookups_failed += (old_gone ? 0 : 1) + (new_found ? 0 : 1);

    // Erase: crypto-shredding leaves a tombstone without fields.
    for (int i = 200; i < 215; ++i) accounts.erase(created[i].id);
    const cv::Account tomb = accounts.get(created[200].id);
    const bool shredded = tomb.status == cv::AccountStatus::erased && tomb.fields.name.empty() &&
                          !accounts.find_by_email("demo0200@example.test");
    std::cout << "erased 15 accounts (tombstone status " << cv::account_status_name(tomb.status)
              << ", fields empty and unfindable: " << (shredded ? "yes" : "NO") << ")\n";
    lookups_failed += shredded ? 0 : 1;

    // The privacy policy as a document, consent, and decisions under it.
    const std::string policy_text = slurp(fs::path(CASEVAULT_EXAMPLES_DIR) / "policies" / "case-parallels.json");
    const cv::PublishResult v1 = vault.policy().publish(policy_text);
    std::vector<cv::ConsentRequest> terms;
    for (int i = 0; i < kPeople; ++i) {
        if (i >= 200 && i < 215) continue;  // erased above
        cv::ConsentRequest r;
        r.subject = created[i].id;
        r.purpose = "terms";
        r.evidence = "signup-form-" + pad(i, 4) + "@demo";  // sealed under the person's key
        leaks.add_string(r.evidence);
        terms.push_back(r);
    }
    t0 = std::chrono::steady_clock::now();
    vault.consents().record_many(terms);
    std::printf("published \"%s\" v%lld; recorded %zu consents in %.0f ms\n", v1.policy.name.c_str(),
                static_cast<long long>(v1.policy.version), terms.size(), ms_since(t0));
    auto decide = [&](int i, const char* purpose) {
        const cv::Decision d = vault.may_process(created[i].id, purpose);
        std::cout << "  may_process(person " << i << ", " << purpose << ") -> "
                  << (d.allowed ? "allowed" : "denied") << " (" << cv::decision_reason_name(d.reason) << ", v"
                  << d.policy_version << ")\n";
        return d;
    };
    bool consent_ok = decide(0, "case_tracking").allowed && !decide(0, "surveys").allowed;
    // Version 2 requires fresh consent to the terms: case tracking waits for it.
    auto doc = nlohmann::json::parse(policy_text);
    doc["metadata"]["version"] = 2;
    const cv::PublishResult v2 = vault.policy().publish(doc.dump());
    std::printf("published v2: %lld people asked to consent again\n", static_cast<long long>(v2.subjects_reconsent));
    consent_ok = consent_ok && decide(0, "case_tracking").reason == cv::DecisionReason::reconsent_required;
    cv::ConsentRequest accept;
    accept.subject = created[0].id;
    accept.purpose = "terms";
    vault.consents().record(accept);
    consent_ok = consent_ok && decide(0, "case_tracking").allowed;
    cv::ConsentRequest decline = accept;
    decline.subject = created[1].id;
    decline.action = cv::ConsentAction::declined;
    vault.consents().record(decline);
    const bool closed = vault.accounts().get(created[1].id).status == cv::AccountStatus::closed &&
                        vault.consents().erasure_requests(created[1].id).size() == 1;
    std::cout << "  person 1 declined v2: account closed and queued for erasure: " << (closed ? "yes" : "NO") << "\n";
    const std::int64_t queued = vault.outbox().pending();  // person 1's request went with the decline
    std::int64_t delivered = 0;
    for (auto notes = vault.outbox().poll(1000); !notes.empty(); notes = vault.outbox().poll(1000)) {
        std::vector<std::int64_t> ids;
        for (const auto& n : notes) ids.push_back(n.id);
        delivered += vault.outbox().ack(ids);
    }
    std::printf("  outbox: %lld reconsent_required notifications delivered and acknowledged\n",
                static_cast<long long>(delivered));
    lookups_failed += (consent_ok && closed && delivered == queued && queued == v2.notifications - 1) ? 0 : 1;

    // Cases and team access: support sees a case only under the customer's grant.
    const cv::Principal support = vault.principals().add(cv::Role::support);
    std::vector<std::string> cases;
    for (int i = 20; i < 70; ++i) {
        cv::CaseFields f;
        f.receipt_number = "EAC" + std::to_string(2190010000 + i);
        f.form_type = i % 2 ? "I-485" : "I-765";
        f.questionnaire = R"({"employer":"Demo Employer )" + pad(i, 4) + R"(","entry":"2019-0)" +
                          std::to_string(1 + i % 9) + R"(-15"})";
        leaks.add_string(*f.receipt_number);
        leaks.add_string("Demo Employer " + pad(i, 4));
        cases.push_back(vault.cases().open(created[i].id, created[i].id, f).id);
        vault.cases().add_status(created[i].id, cases.back(), {"received", 0, "uscis", std::nullopt});
    }
    const std::string& ana = created[20].id;
    auto verdict = [&](const char* when) {
        const cv::AccessVerdict v = vault.can(support.id, cv::Action::read, {cv::RecordKind::case_, cases[0]});
        std::cout << "  support reads person 20's case " << when << ": " << (v.allowed ? "allowed" : "denied")
                  << " (" << v.rule << ")\n";
        return v.allowed;
    };
    std::printf("opened %zu cases with sealed receipt numbers and questionnaires\n", cases.size());
    bool access_ok = !verdict("before a grant");
    cv::ConsentRequest grant;
    grant.subject = ana;
    grant.purpose = "support_access";
    grant.scope = cases[0];
    grant.expires_at = std::time(nullptr) + 7 * 86400;
    vault.consents().record(grant);
    access_ok = verdict("under a 7-day grant for that case") && access_ok;
    const auto by_receipt = vault.cases().find_by_receipt(ana, "eac-219-001-0020");
    access_ok = access_ok && by_receipt && by_receipt->id == cases[0];
    // An inbound email finds its account through the sender's blind index.
    cv::MessageFields mail;
    mail.sender = "DEMO0021@example.test";
    mail.subject_line = "Biometrics appointment";
    mail.body = "Demo message body 0021: can I move my appointment?";
    leaks.add_string(mail.body);
    const cv::Message msg = vault.correspondence().record(support.id, mail);
    access_ok = access_ok && msg.subject == created[21].id;
    cv::PaymentFields pay;
    pay.subject = ana;
    pay.amount_minor = 4900;
    pay.currency = "USD";
    pay.card_brand = "visa";
    pay.last4 = "4242";
    pay.billing_address = "20 Demo Billing Lane, Springfield";
    leaks.add_string(*pay.billing_address);
    vault.billing().record(ana, pay);
    pay.billing_address = "4242 4242 4242 4242";  // a card number where an address belongs
    try {
        vault.billing().record(ana, pay);
        access_ok = false;
    } catch (const cv::Error& e) {
        std::cout << "  a card number in billing_address: refused (" << e.what() << ")\n";
    }
    // Erasing person 21 removes its case and correspondence in the same transaction.
    vault.accounts().erase(created[21].id);
    try {
        vault.correspondence().get(support.id, msg.id);
        access_ok = false;
    } catch (const cv::Error& e) {
        access_ok = access_ok && e.code() == cv::Errc::not_found;
    }
    std::cout << "  person 21 erased: case and message gone: " << (access_ok ? "yes" : "NO") << "\n";
    lookups_failed += access_ok ? 0 : 1;

    // Retention: a WhatsApp DELETE from person 22's phone waits for its
    // one-time code (a forged sender never sees it), then the sweep erases.
    std::cout << "retention:\n";
    cv::InboundMessage wa;
    wa.channel = cv::Channel::whatsapp;
    wa.sender = *person(22).phone;
    wa.body = " delete ";
    const cv::InboundResult in = vault.requests().inbound(wa);
    std::string code;
    for (const auto& n : vault.outbox().poll(1000)) {
        if (n.kind == "confirm_request") code = nlohmann::json::parse(n.payload).at("code").get<std::string>();
    }
    std::cout << "  WhatsApp \"delete\" from person 22: " << cv::inbound_outcome_name(in.outcome)
              << ", code sent to the account's own contact\n";
    vault.requests().confirm(code);
    const cv::SweepReport swept = vault.retention().sweep();
    const auto receipts = vault.retention().receipts_for(created[22].id);
    // Person 1, who declined v2 above, goes in the same sweep.
    bool retention_ok = in.outcome == cv::InboundOutcome::awaiting_confirmation && swept.subjects == 2 &&
                        vault.accounts().get(created[1].id).status == cv::AccountStatus::erased &&
                        receipts.size() == 1 &&
                        vault.accounts().get(created[22].id).status == cv::AccountStatus::erased;
    std::cout << "  sweep: " << swept.subjects << " accounts erased (person 22; person 1, who declined v2); "
              << "person 22's receipt " << (receipts.empty() ? "-" : receipts[0].id) << " ("
              << (receipts.empty() ? "" : receipts[0].rules.at(0)) << ")\n";
    // What the inactivity rule would delete 91 days from now; nothing changes.
    const cv::SweepPlan later = vault.retention().preview(std::time(nullptr) + 91 * 86400);
    std::int64_t due_cases = 0;
    for (const auto& d : later.deletions) {
        auto it = d.counts.find("case");
        if (it != d.counts.end()) due_cases += it->second;
    }
    std::cout << "  preview in 91 days: " << later.deletions.size() << " inactive accounts, " << due_cases
              << " cases would go (content-after-inactivity)\n";
    const fs::path backup = dir / "backup.db";
    fs::remove(backup);
    const cv::BackupInfo bk = vault.backups().create(backup.string());
    std::cout << "  backup " << bk.id << ": " << bk.size << " bytes, sha256 " << bk.sha256.substr(0, 16) << "...\n";
    retention_ok = retention_ok && due_cases >= static_cast<std::int64_t>(cases.size()) - 2;
    lookups_failed += retention_ok ? 0 : 1;

    // Accountability: person 20 sees everything held about them and corrects
    // an address; a police request needs legal process; reports count
    // without naming anyone. The export stays in memory: it is plaintext.
    std::cout << "accountability:\n";
    std::string exported = vault.subject_requests().export_json(ana);
    auto doc20 = nlohmann::json::parse(exported);
    bool accountable = doc20.at("cases").size() == 1 && doc20.at("billing").size() == 1 &&
                       exported.find(*person(20).email) != std::string::npos &&
                       exported.find(*person(23).email) == std::string::npos;
    std::cout << "  export of person 20: " << exported.size() << " bytes of JSON, " << doc20.at("cases").size()
              << " case, " << doc20.at("billing").size() << " payment, " << doc20.at("audit").size()
              << " audit entries, nothing of anyone else: " << (accountable ? "yes" : "NO") << "\n";
    const std::string corrected = "20 Corrected Road, Springfield, IL 62704";
    leaks.add_string(corrected);
    vault.subject_requests().rectify(ana, {cv::RectifyTarget::account, ana, "address", corrected});
    exported = vault.subject_requests().export_json(ana);
    const bool rectified = exported.find(corrected) != std::string::npos &&
                           exported.find(*person(20).address) == std::string::npos;
    std::cout << "  address corrected; the old one is in no export: " << (rectified ? "yes" : "NO") << "\n";
    cv::DisclosureRequest police;
    police.subject = ana;
    police.recipient = "law_enforcement";
    police.categories = {"identity", "case_data"};
    bool refused = false;
    try {
        vault.disclosures().record(police);
    } catch (const cv::DisclosureRefused& e) {
        refused = e.reason() == "legal_process_required";
        std::cout << "  police request without legal process: refused (" << e.reason() << ")\n";
    }
    police.process = cv::LegalProcess{"warrant", "Demo warrant 2026-0042", ""};
    leaks.add_string(police.process->reference);
    const cv::Disclosure lawful = vault.disclosures().record(police);
    std::cout << "  under a warrant: recorded by rule " << lawful.rule << ", notice "
              << cv::notice_state_name(lawful.notice) << "\n";
    const cv::AggregateTable by_form = vault.aggregates().cases();
    std::cout << "  cases by form type (k = " << by_form.min_count << "):";
    for (const auto& m : by_form.margins) {
        if (m.keys[1] != "*" || m.keys[2] != "*") continue;
        std::cout << " " << m.keys[0] << " " << (m.suppressed ? "suppressed" : std::to_string(*m.count));
    }
    std::cout << "; " << by_form.suppressed_primary << " small cells suppressed, "
              << by_form.suppressed_complementary << " more to protect them\n";
    accountable = accountable && rectified && refused && lawful.notice == cv::NoticeState::queued &&
                  by_form.total.count.value_or(0) == static_cast<std::int64_t>(cases.size()) - 2;  // 21 and 22 erased
    lookups_failed += accountable ? 0 : 1;

    std::cout << "raw file check while the store is open:\n";
    int found = leaks.scan(store, "open");
    found += leaks.scan(backup, "backup");

    // Close, reopen, verify.
    vault.close();
    t0 = std::chrono::steady_clock::now();
    opts.create_if_missing = false;
    vault = cv::Vault::open(store.string(), opts);
    const double reopen_ms = ms_since(t0);
    const cv::VaultInfo info = vault.info();
    const cv::AuditVerifyResult audit = vault.audit().verify();
    vault.close();

    std::printf("reopened in %.0f ms (Argon2id opslimit %u, 2^%u bytes)\n", reopen_ms, info.kdf.opslimit,
                info.kdf.memlimit_log2);
    std::cout << "summary:\n"
              << "  accounts       " << info.accounts << " (" << info.accounts_active << " active, "
              << info.accounts_erased << " erased)\n"
              << "  audit chain    " << (audit.ok ? "ok" : "BROKEN: " + audit.problem) << ", " << audit.entries
              << " entries\n"
              << "  audit head     " << audit.head << "\n";

    std::cout << "raw file check after close:\n";
    found += leaks.scan(store, "closed");

    if (found > 0 || !audit.ok || lookups_failed > 0) {
        std::cout << "demo FAILED\n";
        return 1;
    }
    std::cout << "demo ok: the files under " << dir.string() << " hold no readable personal data\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path dir = argc > 1 ? argv[1] : "demo-out";
    try {
        return run(dir);
    } catch (const cv::Error& e) {
        std::cerr << "demo: error: " << e.what() << " (" << cv::errc_name(e.code()) << ")\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "demo: error: " << e.what() << "\n";
        return 1;
    }
}

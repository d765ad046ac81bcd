// Disclosures to third parties (docs/accountability.md#disclosures-to-third-parties).
#include "disclosures/disclosure_service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "crypto/aead.hpp"
#include "records/record_support.hpp"
#include "subjects/export_fields.hpp"

namespace casevault::disclosures {

namespace {

using nlohmann::json;
using policy::kDay;

// docs/policy-format.md, disclosure rule `recipients` and `accepted_processes`.
const std::vector<std::string> kRecipients = {
    "uscis", "dhs", "dol", "consulate", "court", "law_enforcement", "foreign_government", "tax_authority",
    "subprocessor", "other_agency", "advertising_partner", "analytics_partner", "social_media_partner"};
const std::vector<std::string> kProcesses = {"warrant",        "criminal_subpoena", "court_order",
                                             "civil_subpoena", "mlat_request",      "emergency"};

constexpr const char* kTable = "disclosures";
constexpr int kActive = static_cast<int>(AccountStatus::active);
constexpr int kErased = static_cast<int>(AccountStatus::erased);

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        const std::size_t comma = s.find(',', start);
        const std::size_t end = comma == std::string::npos ? s.size() : comma;
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Policy ids in order, each once.
std::vector<std::string> unique(const std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (const auto& s : v) {
        if (!contains(out, s)) out.push_back(s);
    }
    return out;
}

void report(const ProgressFn& fn, const char* phase, std::int64_t done, std::int64_t total) {
    if (fn && !fn(Progress{phase, done, total})) fail(Errc::cancelled, "cancelled by the progress callback");
}

const policy::NotificationRule* notification_rule(const policy::Policy& p, const char* kind) {
    for (const auto& n : p.notifications) {
        if (n.kind == kind) return &n;
    }
    return nullptr;
}

std::vector<std::string> channels_of(const policy::Policy& p, const char* kind) {
    const auto* n = notification_rule(p, kind);
    return n ? n->channels : std::vector<std::string>{};
}

std::optional<store::Bytes> seal_optional(const crypto::SecretBytes& key, const std::string& value, const char* column,
                                          const std::string& id) {
    if (value.empty()) return std::nullopt;
    return crypto::seal(key, value, crypto::field_ad(kTable, column, id, 0));
}

std::string optional_text(const std::string& value, const char* field, std::size_t max, bool multiline) {
    return records::optional_text(value, field, max, multiline).value_or("");
}

// Why a rule does not allow a request; empty reason: it allows it.
struct Verdict {
    std::string reason, message;
    std::vector<std::string> fields;  // allowed: the fields that go
};

}  // namespace

std::shared_ptr<const policy::Policy> DisclosureService::require_policy() {
    auto p = consents_.policy();
    if (!p) fail(Errc::invalid_argument, "no policy has been published: the disclosure rules come from it");
    return p;
}

// ---- record ------------------------------------------------------------------

Disclosure DisclosureService::record(const accounts::Context& ctx, const DisclosureRequest& q) {
    const auto p = require_policy();

    // The request's shape: malformed requests are errors, not refusals.
    if (!contains(kRecipients, q.recipient)) fail(Errc::invalid_argument, "unknown recipient kind");
    records::check_id(q.subject, "acc", "an account");
    const auto account = store_.account(q.subject);
    if (!account) fail(Errc::not_found, "no account with this id");
    if (q.categories.empty()) fail(Errc::invalid_argument, "a disclosure names at least one category");
    const std::vector<std::string> categories = unique(q.categories);
    for (const auto& c : categories) {
        if (!p->category(c)) fail(Errc::invalid_argument, "categories: not a category of the active policy");
    }
    std::vector<std::string> fields;
    for (const auto& f : unique(q.fields)) fields.push_back(records::label_field(f, "fields"));
    const PolicyPurpose* purpose = nullptr;
    if (!q.purpose.empty()) {
        purpose = p->purpose(q.purpose);
        if (!purpose) fail(Errc::invalid_argument, "purpose: not a purpose of the active policy");
    }
    LegalProcess process;
    if (q.process) {
        if (!contains(kProcesses, q.process->kind)) fail(Errc::invalid_argument, "unknown legal process kind");
        process.kind = q.process->kind;
        process.reference = optional_text(q.process->reference, "process.reference", 500, false);
        process.justification = optional_text(q.process->justification, "process.justification", 2000, true);
    }
    std::string gag_reference;
    if (q.nondisclosure) {
        if (q.nondisclosure->until < 0) fail(Errc::invalid_argument, "nondisclosure.until must be a Unix time or 0");
        // An order that has already ended forbids nothing; recorded, it would
        // withhold a notice that is due now.
        if (q.nondisclosure->until != 0 && q.nondisclosure->until <= ctx.now) {
            fail(Errc::invalid_argument, "nondisclosure.until must be in the future (or 0: until lifted)");
        }
        gag_reference = optional_text(q.nondisclosure->reference, "nondisclosure.reference", 500, false);
    }
    const std::string recipient_name = optional_text(q.recipient_name, "recipient_name", 200, false);
    const std::string reference = optional_text(q.reference, "reference", 500, false);
    const std::string subprocessor = optional_text(q.subprocessor, "subprocessor", 200, false);
    const std::int64_t at = q.at == 0 ? ctx.now : q.at;
    if (at < 0 || at > ctx.now) fail(Errc::invalid_argument, "at cannot be in the future");
    // Records of an erased subject are gone; nothing is left to disclose.
    if (account->status == kErased) throw DisclosureRefused("subject_erased", "the subject's account was erased");
    if (!q.case_id.empty()) {
        records::check_id(q.case_id, "cas", "a case");
        const auto c = store_.case_row(q.case_id);
        if (!c || c->subject != q.subject) fail(Errc::not_found, "no case with this id for the subject");
    }
    if (!q.hold_id.empty()) {
        records::check_id(q.hold_id, "hld", "a hold");
        const auto h = store_.hold(q.hold_id);
        if (!h || h->subject != q.subject) fail(Errc::not_found, "no hold with this id on the subject");
    }

    // One candidate rule against the request.
    auto evaluate = [&](const policy::DisclosureRule& rule) -> Verdict {
        auto refused = [&](const char* reason, const std::string& what) {
            return Verdict{reason, "rule " + rule.id + ": " + what, {}};
        };
        for (const auto& c : categories) {
            if (!contains(rule.categories, c)) {
                return refused("categories_not_allowed", "category " + c + " is not among the rule's categories");
            }
        }
        if (rule.kind == "on_behalf") {
            if (!purpose || !contains(rule.purposes, q.purpose)) {
                return refused("purpose_not_allowed", "the purpose is not one the rule serves");
            }
            if (q.case_id.empty()) {
                fail(Errc::invalid_argument, "a disclosure on the client's behalf names the case it is for (case_id)");
            }
            // The client must allow this purpose for this case.
            const Decision d = consents_.decide(ctx.now, q.subject, q.purpose, q.case_id);
            if (!d.allowed) {
                return refused("consent_required", std::string("the client does not allow it for this case (") +
                                                       decision_reason_name(d.reason) + ")");
            }
        } else if (rule.kind == "legal_process") {
            if (!q.process) return refused("legal_process_required", "a legal process is required");
            if (!contains(rule.accepted_processes, process.kind)) {
                return refused("process_not_accepted", "a " + process.kind + " is not accepted");
            }
            if (process.kind == "emergency" && process.justification.empty()) {
                return refused("justification_required", "an emergency request needs a justification");
            }
        } else {  // legal_obligation, subprocessor, partner_sharing
            if (!rule.purposes.empty() && (!purpose || !contains(rule.purposes, q.purpose))) {
                return refused("purpose_not_allowed", "the purpose is not one the rule serves");
            }
            if (rule.kind == "partner_sharing") {
                if (!purpose) return refused("consent_required", "sharing with partners needs a consented purpose");
                const Decision d = consents_.decide(ctx.now, q.subject, q.purpose, "");
                if (!d.allowed) {
                    return refused("consent_required", std::string("the subject has not consented (") +
                                                           decision_reason_name(d.reason) + ")");
                }
            }
        }
        Verdict ok;
        if (!rule.fields.empty()) {
            for (const auto& f : fields) {
                if (!contains(rule.fields, f)) return refused("fields_not_allowed", "field " + f + " may not go");
            }
            ok.fields = fields.empty() ? rule.fields : fields;
        } else {
            ok.fields = fields;
        }
        if (q.recipient == "subprocessor") {
            const auto sp = subprocessor.empty() ? std::nullopt : store_.subprocessor(subprocessor);
            if (!sp || sp->retired_at != 0) {
                return refused("unknown_subprocessor", "the subprocessor is not registered, or was retired");
            }
            const auto covered = split(sp->categories);
            const bool covers = std::all_of(categories.begin(), categories.end(),
                                            [&](const std::string& c) { return contains(covered, c); });
            if (sp->purpose != q.purpose || !covers) {
                return refused("subprocessor_not_allowed",
                               "the subprocessor is registered for another purpose or other categories");
            }
        }
        if (!q.hold_id.empty()) {
            const auto& pres = p->disclosures.preservation;
            if (!q.process || !pres || !contains(pres->disclosure_processes, process.kind)) {
                return refused("preserved_data_needs_process",
                               "preserved data is disclosed only under preservation.disclosure_processes");
            }
        }
        return ok;
    };

    const policy::DisclosureRule* rule = nullptr;
    Verdict allowed;
    std::optional<Verdict> first_refusal;
    for (const auto& r : p->disclosures.rules) {
        if (!contains(r.recipients, q.recipient)) continue;
        Verdict v = evaluate(r);
        if (v.reason.empty()) {
            rule = &r;
            allowed = std::move(v);
            break;
        }
        if (!first_refusal) first_refusal = std::move(v);
    }
    if (!rule) {
        if (first_refusal) throw DisclosureRefused(first_refusal->reason, first_refusal->message);
        throw DisclosureRefused("no_rule", "no disclosure rule of the active policy covers this recipient");
    }

    store::DisclosureRow row;
    row.id = new_id("dsc");
    row.subject = q.subject;
    row.recipient = q.recipient;
    row.rule = rule->id;
    row.kind = rule->kind;
    row.purpose = q.purpose;
    row.categories = join(categories);
    row.fields = join(allowed.fields);
    row.legal_basis = static_cast<int>(purpose ? purpose->legal_basis : LegalBasis::legal_obligation);
    row.case_id = q.case_id;
    row.subprocessor = q.recipient == "subprocessor" ? subprocessor : "";
    row.process = process.kind;
    row.hold_id = q.hold_id;
    row.at = at;
    const crypto::SecretBytes key = retention_.retention_key();
    row.recipient_name = seal_optional(key, recipient_name, "recipient_name", row.id);
    row.process_reference = seal_optional(key, process.reference, "process_reference", row.id);
    row.justification = seal_optional(key, process.justification, "justification", row.id);
    row.reference = seal_optional(key, reference, "reference", row.id);
    if (q.nondisclosure) {
        row.nondisclosure_ref = seal_optional(key, gag_reference, "nondisclosure_ref", row.id);
        row.nondisclosure_until = q.nondisclosure->until == 0 ? -1 : q.nondisclosure->until;
    }

    // The notice, as the rule says (docs/accountability.md). A nondisclosure
    // order is the law and wins over every rule that tells the person, even
    // "always": the notice waits for the order's end (queued now, available
    // then) or its lift. It also outranks the emergency exemption, so the
    // person still learns of it once allowed.
    const std::string& notify = rule->notify_subject;
    NoticeState notice = NoticeState::not_required;
    if (notify == "always" || notify == "unless_prohibited" || notify == "unless_prohibited_or_emergency") {
        if (q.nondisclosure) {
            notice = NoticeState::withheld_prohibited;
        } else if (notify == "unless_prohibited_or_emergency" && process.kind == "emergency") {
            notice = NoticeState::withheld_emergency;
        } else {
            notice = NoticeState::queued;
        }
    }
    row.notice = static_cast<int>(notice);
    if (notice == NoticeState::queued) {
        row.notice_at = ctx.now;
    } else if (notice == NoticeState::withheld_prohibited && q.nondisclosure->until > 0) {
        row.notice_at = q.nondisclosure->until;  // in the future (checked above)
    }
    if (row.notice_at != 0) row.notification_id = queue_notice(*p, row, ctx.now, row.notice_at);
    store_.insert_disclosure(row);
    log_.append(ctx.now, ctx.actor, "disclosure.record", row.subject, row.id, "ok",
                row.rule + ":" + row.recipient + ":" + notice_state_name(notice));
    return decode(row, key);
}

void DisclosureService::audit_refusal(const accounts::Context& ctx, const DisclosureRequest& q,
                                      const DisclosureRefused& refusal) {
    // Only shapes already checked reach a refusal; still, name nothing that
    // is not an id.
    const std::string subject = is_valid_id(q.subject, "acc") ? q.subject : "";
    const std::string target = contains(kRecipients, q.recipient) ? "recipient:" + q.recipient : "";
    log_.append(ctx.now, ctx.actor, "disclosure.refused", subject, target, "refused", refusal.reason());
}

std::int64_t DisclosureService::queue_notice(const policy::Policy& p, const store::DisclosureRow& row,
                                             std::int64_t now, std::int64_t available_at) {
    store::NotificationRow n;
    n.kind = "disclosure_notice";
    n.subject = row.subject;
    // What went to whom (by kind) and when; never references or names.
    n.payload = json{{"disclosure_id", row.id},
                     {"recipient", row.recipient},
                     {"categories", split(row.categories)},
                     {"at", row.at},
                     {"channels", channels_of(p, "disclosure_notice")}}
                    .dump();
    n.created_at = now;
    n.available_at = available_at;
    return store_.insert_notification(n);
}

Disclosure DisclosureService::lift_nondisclosure(const accounts::Context& ctx, const std::string& id) {
    const auto p = require_policy();
    auto row = load(id);
    if (row.nondisclosure_until == 0) fail(Errc::invalid_argument, "the disclosure has no nondisclosure order");
    if (row.lifted_at != 0) fail(Errc::invalid_argument, "the nondisclosure order was lifted already");
    if (row.nondisclosure_until > 0 && row.nondisclosure_until <= ctx.now) {
        fail(Errc::invalid_argument, "the nondisclosure order has ended already");
    }
    row.lifted_at = ctx.now;
    if (row.notice == static_cast<int>(NoticeState::withheld_prohibited)) {
        // The notice waiting for the order's end (if any) goes now instead.
        if (row.notification_id != 0) store_.delete_notification(row.notification_id);
        row.notification_id = 0;
        row.notice_at = 0;
        const auto account = store_.account(row.subject);
        if (account && account->status != kErased) {
            row.notice = static_cast<int>(NoticeState::queued);
            row.notice_at = ctx.now;
            row.notification_id = queue_notice(*p, row, ctx.now, ctx.now);
        }
    }
    store_.update_disclosure(row);
    log_.append(ctx.now, ctx.actor, "disclosure.lift", row.subject, row.id, "ok",
                notice_state_name(static_cast<NoticeState>(row.notice)));
    return decode(row, retention_.retention_key());
}

// ---- reads -------------------------------------------------------------------

store::DisclosureRow DisclosureService::load(const std::string& id) {
    records::check_id(id, "dsc", "a disclosure");
    auto row = store_.disclosure(id);
    if (!row) fail(Errc::not_found, "no disclosure with this id");
    return *row;
}

Disclosure DisclosureService::decode(const store::DisclosureRow& r, const crypto::SecretBytes& key) {
    auto open = [&](const std::optional<store::Bytes>& sealed, const char* column) -> std::string {
        if (!sealed) return "";
        auto v = crypto::open(key, *sealed, crypto::field_ad(kTable, column, r.id, 0));
        if (!v) fail(Errc::corrupt, std::string("a sealed field (disclosures.") + column + ") failed authentication");
        return std::move(*v);
    };
    Disclosure d;
    d.id = r.id;
    d.subject = r.subject;
    d.recipient = r.recipient;
    d.recipient_name = open(r.recipient_name, "recipient_name");
    d.rule = r.rule;
    d.kind = r.kind;
    d.purpose = r.purpose;
    d.categories = split(r.categories);
    d.fields = split(r.fields);
    d.legal_basis = static_cast<LegalBasis>(r.legal_basis);
    d.case_id = r.case_id;
    d.subprocessor = r.subprocessor;
    if (!r.process.empty()) {
        d.process = LegalProcess{r.process, open(r.process_reference, "process_reference"),
                                 open(r.justification, "justification")};
    }
    d.hold_id = r.hold_id;
    d.reference = open(r.reference, "reference");
    d.at = r.at;
    d.notice = static_cast<NoticeState>(r.notice);
    d.notice_at = r.notice_at;
    d.nondisclosure_until = r.nondisclosure_until;
    d.lifted_at = r.lifted_at;
    // The order's own reference is checked (it must authenticate) but is not
    // part of the public record.
    open(r.nondisclosure_ref, "nondisclosure_ref");
    return d;
}

std::vector<Disclosure> DisclosureService::decode_all(const std::vector<store::DisclosureRow>& rows) {
    std::vector<Disclosure> out;
    if (rows.empty()) return out;
    // Rows exist, so the retention key does: a read never creates it.
    const auto key = retention_.existing_retention_key();
    if (!key) fail(Errc::corrupt, "disclosures exist but the retention key is missing");
    for (const auto& r : rows) out.push_back(decode(r, *key));
    return out;
}

Disclosure DisclosureService::fetch(const std::string& id) {
    auto out = decode_all({load(id)});
    return std::move(out.front());
}

Disclosure DisclosureService::get(const accounts::Context& ctx, const std::string& id) {
    Disclosure d = fetch(id);
    log_.append_read(ctx.now, ctx.actor, "disclosure.read", d.subject, id, "");
    return d;
}

std::vector<Disclosure> DisclosureService::list(const accounts::Context& ctx, const std::string& subject) {
    if (!subject.empty()) records::check_id(subject, "acc", "an account");
    auto out = decode_all(store_.disclosures(subject.empty() ? std::nullopt : std::optional(subject)));
    // No count: the entry is under the subject, and a count would include
    // disclosures they may not be told of.
    log_.append_read(ctx.now, ctx.actor, "disclosure.list", subject, "", "");
    return out;
}

namespace {
// Whether the subject may be told: no nondisclosure order, or it ended or was lifted.
bool tellable(const store::DisclosureRow& r, std::int64_t now) {
    const bool no_order = r.nondisclosure_until == 0;
    const bool ended = r.nondisclosure_until > 0 && r.nondisclosure_until <= now;
    return no_order || ended || r.lifted_at != 0;
}
}  // namespace

std::vector<Disclosure> DisclosureService::visible_to_subject(const std::string& subject, std::int64_t now) {
    std::vector<store::DisclosureRow> rows;
    for (auto& r : store_.disclosures(subject)) {
        if (tellable(r, now)) rows.push_back(std::move(r));
    }
    return decode_all(rows);
}

std::vector<std::string> DisclosureService::withheld_from_subject(const std::string& subject, std::int64_t now) {
    std::vector<std::string> ids;
    for (const auto& r : store_.disclosures(subject)) {
        if (!tellable(r, now)) ids.push_back(r.id);
    }
    return ids;
}

std::map<std::string, std::set<std::string>> DisclosureService::package_fields(const Disclosure& d) {
    const auto p = require_policy();
    std::map<std::string, std::set<std::string>> out;
    for (const auto& c : d.categories) {
        const PolicyCategory* cat = p->category(c);
        if (!cat) continue;  // a later policy dropped it: nothing of it goes
        const auto declared = p->category_fields.find(c);
        for (const auto& kind : cat->records) {
            const auto* keys = subjects::export_fields(kind);
            if (!keys) continue;
            auto& fields = out[kind];
            for (const auto& f : *keys) {
                // Only the fields that hold this category, when it says which.
                if (declared == p->category_fields.end() || contains(declared->second, f)) fields.insert(f);
            }
        }
    }
    if (d.fields.empty()) return out;
    // The rule (or the request) named the only fields that may go.
    for (auto it = out.begin(); it != out.end();) {
        std::set<std::string> kept;
        for (const auto& f : it->second) {
            if (contains(d.fields, f)) kept.insert(f);
        }
        if (kept.empty()) {
            it = out.erase(it);
        } else {
            it->second = std::move(kept);
            ++it;
        }
    }
    return out;
}

// ---- subprocessors -------------------------------------------------------------

namespace {
Subprocessor decode_subprocessor(const store::SubprocessorRow& r) {
    return Subprocessor{r.name, r.purpose, split(r.categories), r.location, r.added_at, r.retired_at};
}
}  // namespace

Subprocessor DisclosureService::add_subprocessor(const accounts::Context& ctx, const Subprocessor& s) {
    const auto p = require_policy();
    store::SubprocessorRow row;
    row.name = records::text_field(s.name, "name", 200, false);
    if (!p->purpose(s.purpose)) fail(Errc::invalid_argument, "purpose: not a purpose of the active policy");
    row.purpose = s.purpose;
    if (s.categories.empty()) fail(Errc::invalid_argument, "a subprocessor receives at least one category");
    const auto categories = unique(s.categories);
    for (const auto& c : categories) {
        if (!p->category(c)) fail(Errc::invalid_argument, "categories: not a category of the active policy");
    }
    row.categories = join(categories);
    row.location = records::text_field(s.location, "location", 64, false);
    row.added_at = ctx.now;
    store_.insert_subprocessor(row);
    log_.append(ctx.now, ctx.actor, "subprocessor.add", "", "subprocessor:" + row.name, "ok", row.purpose);
    return decode_subprocessor(row);
}

Subprocessor DisclosureService::retire_subprocessor(const accounts::Context& ctx, const std::string& name) {
    auto row = store_.subprocessor(name);
    if (!row) fail(Errc::not_found, "no subprocessor with this name");
    if (row->retired_at != 0) fail(Errc::invalid_argument, "the subprocessor was retired already");
    row->retired_at = ctx.now;
    store_.update_subprocessor(*row);
    log_.append(ctx.now, ctx.actor, "subprocessor.retire", "", "subprocessor:" + row->name, "ok", "");
    return decode_subprocessor(*row);
}

std::vector<Subprocessor> DisclosureService::subprocessors(bool include_retired) {
    std::vector<Subprocessor> out;
    for (const auto& r : store_.subprocessors()) {
        if (r.retired_at == 0 || include_retired) out.push_back(decode_subprocessor(r));
    }
    return out;
}

// ---- transfers -------------------------------------------------------------------

namespace {
Transfer decode_transfer(const store::TransferRow& r) {
    return Transfer{r.id, static_cast<TransferKind>(r.kind), r.counterparty,
                    r.effective_at, r.announced_at, r.notified};
}
}  // namespace

Transfer DisclosureService::announce_transfer(const accounts::Context& ctx, const TransferAnnouncement& t,
                                              const ProgressFn& progress) {
    const auto p = require_policy();
    if (t.kind != TransferKind::acquisition && t.kind != TransferKind::merger) {
        fail(Errc::invalid_argument, "unknown transfer kind");
    }
    store::TransferRow row;
    row.id = new_id("trf");
    row.kind = static_cast<int>(t.kind);
    row.counterparty = records::text_field(t.counterparty, "counterparty", 200, false);
    const auto* rule = notification_rule(*p, "transfer_notice");
    const std::int64_t lead = rule && rule->lead_time_days ? *rule->lead_time_days * kDay : 0;
    if (t.effective_at < ctx.now + lead) {
        fail(Errc::invalid_argument, "effective_at must be at least the transfer_notice lead time ahead");
    }
    row.effective_at = t.effective_at;
    row.announced_at = ctx.now;
    const json channels = channels_of(*p, "transfer_notice");
    const std::int64_t total = store_.count_accounts(kActive);
    report(progress, "transfer_notice", 0, total);
    for (std::string after;;) {
        const auto page = store_.active_account_ids(after, kPage);
        if (page.empty()) break;
        after = page.back();
        for (const auto& subject : page) {
            store::NotificationRow n;
            n.kind = "transfer_notice";
            n.subject = subject;
            n.payload = json{{"transfer_id", row.id},
                             {"kind", transfer_kind_name(t.kind)},
                             {"counterparty", row.counterparty},
                             {"effective_at", row.effective_at},
                             {"channels", channels}}
                            .dump();
            n.created_at = n.available_at = ctx.now;
            store_.insert_notification(n);
            ++row.notified;
        }
        report(progress, "transfer_notice", row.notified, std::max(total, row.notified));
    }
    store_.insert_transfer(row);
    log_.append(ctx.now, ctx.actor, "transfer.announce", "", row.id, "ok",
                std::string(transfer_kind_name(t.kind)) + ":" + std::to_string(row.notified));
    return decode_transfer(row);
}

std::vector<Transfer> DisclosureService::transfers() {
    std::vector<Transfer> out;
    for (const auto& r : store_.transfers()) out.push_back(decode_transfer(r));
    return out;
}

}  // namespace casevault::disclosures

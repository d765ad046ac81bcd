// casevault_c_records.cpp — the C API of team access (casevault.h, from
// "Team access" on): principals, access checks, cases, correspondence,
// billing and board posts, over the C++ API.
//
// Like casevault_c.cpp, this file only translates (C arguments and frozen
// numbers into C++ values, records into JSON, exceptions into codes) and
// keeps the same rules: out-parameters cleared first, NULL arguments named,
// no exception crosses, success clears the last error, temporary copies of
// personal data wiped. Access decisions, validation of receipt numbers,
// card numbers, UTF-8 and sizes are the core's.

#include "capi_internal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "casevault/casevault.hpp"

// The frozen C numbers and the C++ enums must agree.
static_assert(CASEVAULT_ROLE_SUBJECT == static_cast<int>(casevault::Role::subject), "role mismatch");
static_assert(CASEVAULT_ROLE_ATTORNEY == static_cast<int>(casevault::Role::attorney), "role mismatch");
static_assert(CASEVAULT_ROLE_STAFF == static_cast<int>(casevault::Role::staff), "role mismatch");
static_assert(CASEVAULT_ROLE_SUPPORT == static_cast<int>(casevault::Role::support), "role mismatch");
static_assert(CASEVAULT_ROLE_SYSTEM == static_cast<int>(casevault::Role::system), "role mismatch");
static_assert(CASEVAULT_ROLE_AGENCY == static_cast<int>(casevault::Role::agency), "role mismatch");
static_assert(CASEVAULT_ACTION_READ == static_cast<int>(casevault::Action::read), "action mismatch");
static_assert(CASEVAULT_ACTION_WRITE == static_cast<int>(casevault::Action::write), "action mismatch");
static_assert(CASEVAULT_ACTION_ERASE == static_cast<int>(casevault::Action::erase), "action mismatch");
static_assert(CASEVAULT_ACTION_EXPORT == static_cast<int>(casevault::Action::export_), "action mismatch");
static_assert(CASEVAULT_ACTION_DISCLOSE == static_cast<int>(casevault::Action::disclose), "action mismatch");
static_assert(CASEVAULT_RECORD_ACCOUNT == static_cast<int>(casevault::RecordKind::account), "kind mismatch");
static_assert(CASEVAULT_RECORD_CONSENT == static_cast<int>(casevault::RecordKind::consent), "kind mismatch");
static_assert(CASEVAULT_RECORD_CASE == static_cast<int>(casevault::RecordKind::case_), "kind mismatch");
static_assert(CASEVAULT_RECORD_CORRESPONDENCE == static_cast<int>(casevault::RecordKind::correspondence),
              "kind mismatch");
static_assert(CASEVAULT_RECORD_BILLING == static_cast<int>(casevault::RecordKind::billing), "kind mismatch");
static_assert(CASEVAULT_RECORD_POST == static_cast<int>(casevault::RecordKind::post), "kind mismatch");
static_assert(CASEVAULT_RECORD_AUDIT == static_cast<int>(casevault::RecordKind::audit), "kind mismatch");
static_assert(CASEVAULT_MESSAGE_EMAIL == static_cast<int>(casevault::MessageChannel::email), "channel mismatch");
static_assert(CASEVAULT_MESSAGE_WHATSAPP == static_cast<int>(casevault::MessageChannel::whatsapp),
              "channel mismatch");
static_assert(CASEVAULT_MESSAGE_PHONE == static_cast<int>(casevault::MessageChannel::phone), "channel mismatch");
static_assert(CASEVAULT_MESSAGE_WEB_FORM == static_cast<int>(casevault::MessageChannel::web_form),
              "channel mismatch");
static_assert(CASEVAULT_MESSAGE_SURVEY == static_cast<int>(casevault::MessageChannel::survey), "channel mismatch");
static_assert(CASEVAULT_INBOUND == static_cast<int>(casevault::Direction::inbound), "direction mismatch");
static_assert(CASEVAULT_OUTBOUND == static_cast<int>(casevault::Direction::outbound), "direction mismatch");

using namespace capi;

namespace {

// ---- C values in ----------------------------------------------------------------

// The frozen numbers are checked before a call; out of range is a bad argument.
// What is wrong with one message's fields ("" when nothing); where names
// it: "fields" or "batch[7]".
std::string message_problem(const casevault_message_fields& f, const std::string& where) {
    if (!version_ok(f.version, CASEVAULT_MESSAGE_FIELDS_VERSION))
        return "unsupported options version (" + where + ".version)";
    if (!f.body) return where + ".body is NULL (body is required)";
    if (!in_range(f.channel, CASEVAULT_MESSAGE_EMAIL, CASEVAULT_MESSAGE_SURVEY))
        return where + ".channel is not a CASEVAULT_MESSAGE_* value";
    if (!in_range(f.direction, CASEVAULT_INBOUND, CASEVAULT_OUTBOUND))
        return where + ".direction is not CASEVAULT_INBOUND or CASEVAULT_OUTBOUND";
    return "";
}

// Filled in place (see set_opt).
void fill_message(casevault::MessageFields& out, const casevault_message_fields& f) {
    out.channel = static_cast<casevault::MessageChannel>(f.channel);  // checked by message_problem
    out.direction = static_cast<casevault::Direction>(f.direction);
    out.at = f.at;
    if (f.subject) out.subject = f.subject;  // "" = found from the sender
    set_opt(out.case_id, f.case_id);
    set_opt(out.subject_line, f.subject_line);
    out.body = f.body;  // checked non-NULL by message_problem
    set_opt(out.sender, f.sender);
}

// ---- C++ values out (JSON) ------------------------------------------------------

json principal_json(const casevault::Principal& p) {
    json j;
    j["id"] = p.id;
    j["role"] = casevault::role_name(p.role);
    j["created_at"] = p.created_at;
    j["active"] = p.active;
    return j;
}

json status_json(const casevault::CaseStatus& s) {
    json j;
    j["status"] = s.status;
    j["at"] = s.at;
    j["source"] = s.source;
    j["detail"] = opt_json(s.detail);
    return j;
}

json case_json(const casevault::Case& c) {
    json j;
    j["id"] = c.id;
    j["subject"] = c.subject;
    j["receipt_number"] = opt_json(c.receipt_number);
    j["form_type"] = c.form_type;
    j["questionnaire"] = opt_json(c.questionnaire);  // the canonical JSON text, as a string
    j["latest_status"] = c.latest_status ? status_json(*c.latest_status) : json(nullptr);
    j["created_at"] = c.created_at;
    j["updated_at"] = c.updated_at;
    return j;
}

json document_json(const casevault::CaseDocument& d) {
    json j;
    j["id"] = d.id;
    j["case_id"] = d.case_id;
    j["name"] = d.name;
    j["kind"] = d.kind;
    j["size"] = d.size;
    j["sha256"] = d.sha256;
    j["added_at"] = d.added_at;
    return j;
}

json message_json(const casevault::Message& m) {
    json j;
    j["id"] = m.id;
    j["subject"] = m.subject;
    j["case_id"] = opt_json(m.case_id);
    j["channel"] = casevault::message_channel_name(m.channel);
    j["direction"] = casevault::direction_name(m.direction);
    j["at"] = m.at;
    j["subject_line"] = opt_json(m.subject_line);
    j["body"] = m.body;
    j["sender"] = opt_json(m.sender);
    j["recorded_at"] = m.recorded_at;
    return j;
}

json payment_json(const casevault::Payment& p) {
    json j;
    j["id"] = p.id;
    j["subject"] = p.subject;
    j["amount_minor"] = p.amount_minor;
    j["currency"] = p.currency;
    j["paid_at"] = p.paid_at;
    j["card_brand"] = p.card_brand;
    j["last4"] = p.last4;
    j["billing_address"] = opt_json(p.billing_address);
    j["processor_ref"] = opt_json(p.processor_ref);
    j["recurring"] = p.recurring;
    j["recorded_at"] = p.recorded_at;
    // Added with issue 6, at the end so that readers of the older shape
    // find what they knew where it was.
    j["billing_state"] = p.billing_state.empty() ? json(nullptr) : json(p.billing_state);
    j["tax_exemption"] = opt_json(p.tax_exemption);
    return j;
}

json post_json(const casevault::Post& p) {
    json j;
    j["id"] = p.id;
    j["author"] = opt_json(p.author);
    j["title"] = p.title;
    j["body"] = p.body;
    j["created_at"] = p.created_at;
    return j;
}

template <class Page, class ToJson>
json page_json(const Page& page, ToJson&& to_json) {
    json j;
    j["items"] = array_json(page.items, to_json);
    j["next_cursor"] = page.next_cursor;
    return j;
}

// A record out: into *out (when out is not NULL); the record is wiped.
template <class T, class ToJson>
void record_out(char** out, T& record, ToJson&& to_json) {
    WipeGuard<T> g(record);
    if (!out) return;
    json j = to_json(record);
    *out = c_json(j);
}

// The checks shared by the calls that read or change one record by id.
int by_id_problem(casevault_vault* vault, const char* actor, const char* id, const char* id_null) noexcept {
    if (!vault) return invalid("vault is NULL");
    if (!actor) return invalid("actor is NULL");
    if (!id) return invalid(id_null);
    return CASEVAULT_OK;
}

}  // namespace

// ==== Team access ===========================================================

extern "C" int casevault_principal_add(char** out_id, casevault_vault* vault, int role) {
    if (out_id) *out_id = nullptr;
    if (!out_id) return invalid("out_id is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!in_range(role, CASEVAULT_ROLE_SUBJECT, CASEVAULT_ROLE_AGENCY))
        return invalid("role is not a CASEVAULT_ROLE_* value");
    return guarded([&] {
        const casevault::Principal p = vault->vault.principals().add(static_cast<casevault::Role>(role));
        *out_id = c_copy(p.id);
    });
}

extern "C" int casevault_principal_get(char** out_json, casevault_vault* vault, const char* id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid("id is NULL");
    return guarded([&] {
        json j = principal_json(vault->vault.principals().get(id));
        *out_json = c_json(j);
    });
}

extern "C" int casevault_principal_list(char** out_json, casevault_vault* vault) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        json j = array_json(vault->vault.principals().list(), principal_json);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_principal_disable(casevault_vault* vault, const char* id) {
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid("id is NULL");
    return guarded([&] { vault->vault.principals().disable(id); });
}

extern "C" int casevault_can(int* out_allowed, char** out_rule, casevault_vault* vault, const char* actor,
                             int action, int record_kind, const char* record_id) {
    if (out_allowed) *out_allowed = 0;
    if (out_rule) *out_rule = nullptr;
    if (!out_allowed) return invalid("out_allowed is NULL");
    if (const int rc = by_id_problem(vault, actor, record_id, "record_id is NULL")) return rc;
    if (!in_range(action, CASEVAULT_ACTION_READ, CASEVAULT_ACTION_DISCLOSE))
        return invalid("action is not a CASEVAULT_ACTION_* value");
    if (!in_range(record_kind, CASEVAULT_RECORD_ACCOUNT, CASEVAULT_RECORD_AUDIT))
        return invalid("record_kind is not a CASEVAULT_RECORD_* value");
    return guarded([&] {
        casevault::RecordRef ref;
        ref.kind = static_cast<casevault::RecordKind>(record_kind);
        ref.id = record_id;
        const casevault::AccessVerdict v = vault->vault.can(actor, static_cast<casevault::Action>(action), ref);
        char* rule = out_rule ? c_copy(v.rule) : nullptr;
        // Nothing below can throw: the out-params are set all together.
        *out_allowed = v.allowed ? 1 : 0;
        if (out_rule) *out_rule = rule;
    });
}

// ==== Cases =================================================================

namespace {

const char* case_fields_problem(const casevault_case_fields* f, const char* name) noexcept {
    if (!f) return name;
    if (!version_ok(f->version, CASEVAULT_CASE_FIELDS_VERSION))
        return "unsupported options version (casevault_case_fields.version)";
    return nullptr;
}

}  // namespace

extern "C" int casevault_case_open(char** out_json, casevault_vault* vault, const char* actor, const char* subject,
                                   const casevault_case_fields* fields) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, subject, "subject is NULL")) return rc;
    if (const char* problem = case_fields_problem(fields, "fields is NULL")) return invalid(problem);
    if (!fields->form_type) return invalid("fields->form_type is NULL (form_type is required)");
    return guarded([&] {
        casevault::CaseFields f;
        WipeGuard<casevault::CaseFields> gf(f);
        set_opt(f.receipt_number, fields->receipt_number);
        f.form_type = fields->form_type;
        set_opt(f.questionnaire, fields->questionnaire);
        casevault::Case c = vault->vault.cases().open(actor, subject, f);
        record_out(out_json, c, case_json);
    });
}

extern "C" int casevault_case_get(char** out_json, casevault_vault* vault, const char* actor, const char* case_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, case_id, "case_id is NULL")) return rc;
    return guarded([&] {
        casevault::Case c = vault->vault.cases().get(actor, case_id);
        record_out(out_json, c, case_json);
    });
}

extern "C" int casevault_case_list(char** out_json, casevault_vault* vault, const char* actor, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, subject, "subject is NULL")) return rc;
    return guarded([&] {
        std::vector<casevault::Case> cases = vault->vault.cases().list(actor, subject);
        record_out(out_json, cases, [](const std::vector<casevault::Case>& v) { return array_json(v, case_json); });
    });
}

extern "C" int casevault_case_find_by_receipt(char** out_json, casevault_vault* vault, const char* actor,
                                              const char* receipt_number) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, receipt_number, "receipt_number is NULL")) return rc;
    return guarded([&] {
        std::string receipt = receipt_number;
        WipeGuard<std::string> gr(receipt);
        std::optional<casevault::Case> c = vault->vault.cases().find_by_receipt(actor, receipt);
        WipeGuard<std::optional<casevault::Case>> gc(c);
        if (!c) return;  // not finding is not an error: *out_json stays NULL
        json j = case_json(*c);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_case_update(char** out_json, casevault_vault* vault, const char* actor, const char* case_id,
                                     const casevault_case_fields* update) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, actor, case_id, "case_id is NULL")) return rc;
    if (const char* problem = case_fields_problem(update, "update is NULL")) return invalid(problem);
    return guarded([&] {
        casevault::CaseUpdate u;
        WipeGuard<casevault::CaseUpdate> gu(u);
        set_opt(u.receipt_number, update->receipt_number);
        set_opt(u.form_type, update->form_type);
        set_opt(u.questionnaire, update->questionnaire);
        casevault::Case c = vault->vault.cases().update(actor, case_id, u);
        record_out(out_json, c, case_json);
    });
}

extern "C" int casevault_case_add_status(char** out_json, casevault_vault* vault, const char* actor,
                                         const char* case_id, const casevault_case_status* status) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, actor, case_id, "case_id is NULL")) return rc;
    if (!status) return invalid("status is NULL");
    if (!version_ok(status->version, CASEVAULT_CASE_STATUS_VERSION))
        return invalid("unsupported options version (casevault_case_status.version)");
    if (!status->status) return invalid("status->status is NULL (status is required)");
    if (!status->source) return invalid("status->source is NULL (source is required)");
    return guarded([&] {
        casevault::CaseStatus s;
        WipeGuard<casevault::CaseStatus> gs(s);
        s.status = status->status;
        s.at = status->at;
        s.source = status->source;
        set_opt(s.detail, status->detail);
        casevault::CaseStatus added = vault->vault.cases().add_status(actor, case_id, s);
        record_out(out_json, added, status_json);
    });
}

extern "C" int casevault_case_history(char** out_json, casevault_vault* vault, const char* actor,
                                      const char* case_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, case_id, "case_id is NULL")) return rc;
    return guarded([&] {
        std::vector<casevault::CaseStatus> history = vault->vault.cases().history(actor, case_id);
        record_out(out_json, history,
                   [](const std::vector<casevault::CaseStatus>& v) { return array_json(v, status_json); });
    });
}

extern "C" int casevault_case_add_document(char** out_json, casevault_vault* vault, const char* actor,
                                           const char* case_id, const casevault_document_fields* document) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, actor, case_id, "case_id is NULL")) return rc;
    if (!document) return invalid("document is NULL");
    if (!version_ok(document->version, CASEVAULT_DOCUMENT_FIELDS_VERSION))
        return invalid("unsupported options version (casevault_document_fields.version)");
    if (!document->name) return invalid("document->name is NULL (name is required)");
    if (!document->kind) return invalid("document->kind is NULL (kind is required)");
    if (!document->sha256) return invalid("document->sha256 is NULL (sha256 is required)");
    return guarded([&] {
        casevault::DocumentFields d;
        WipeGuard<casevault::DocumentFields> gd(d);
        d.name = document->name;
        d.kind = document->kind;
        d.size = document->size;
        d.sha256 = document->sha256;
        casevault::CaseDocument added = vault->vault.cases().add_document(actor, case_id, d);
        record_out(out_json, added, document_json);
    });
}

extern "C" int casevault_case_documents(char** out_json, casevault_vault* vault, const char* actor,
                                        const char* case_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, case_id, "case_id is NULL")) return rc;
    return guarded([&] {
        std::vector<casevault::CaseDocument> docs = vault->vault.cases().documents(actor, case_id);
        record_out(out_json, docs,
                   [](const std::vector<casevault::CaseDocument>& v) { return array_json(v, document_json); });
    });
}

extern "C" int casevault_case_remove_document(casevault_vault* vault, const char* actor, const char* document_id) {
    if (const int rc = by_id_problem(vault, actor, document_id, "document_id is NULL")) return rc;
    return guarded([&] { vault->vault.cases().remove_document(actor, document_id); });
}

extern "C" int casevault_case_assign(casevault_vault* vault, const char* case_id, const char* principal) {
    if (!vault) return invalid("vault is NULL");
    if (!case_id) return invalid("case_id is NULL");
    if (!principal) return invalid("principal is NULL");
    return guarded([&] { vault->vault.cases().assign(case_id, principal); });
}

extern "C" int casevault_case_unassign(casevault_vault* vault, const char* case_id, const char* principal) {
    if (!vault) return invalid("vault is NULL");
    if (!case_id) return invalid("case_id is NULL");
    if (!principal) return invalid("principal is NULL");
    return guarded([&] { vault->vault.cases().unassign(case_id, principal); });
}

extern "C" int casevault_case_assignees(char** out_json, casevault_vault* vault, const char* case_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!case_id) return invalid("case_id is NULL");
    return guarded([&] {
        json j = strings_json(vault->vault.cases().assignees(case_id));
        *out_json = c_json(j);
    });
}

// ==== Correspondence ========================================================

extern "C" int casevault_message_record(char** out_json, casevault_vault* vault, const char* actor,
                                        const casevault_message_fields* fields) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!actor) return invalid("actor is NULL");
    if (!fields) return invalid("fields is NULL");
    return guarded([&] {
        // Inside guarded(): building the message may allocate.
        const std::string problem = message_problem(*fields, "fields");
        if (!problem.empty()) throw casevault::Error(casevault::Errc::invalid_argument, problem);
        casevault::MessageFields f;
        WipeGuard<casevault::MessageFields> gf(f);
        fill_message(f, *fields);
        casevault::Message m = vault->vault.correspondence().record(actor, f);
        record_out(out_json, m, message_json);
    });
}

extern "C" int casevault_message_record_many(char** out_json, casevault_vault* vault, const char* actor,
                                             const casevault_message_fields* batch, size_t count) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!actor) return invalid("actor is NULL");
    if (!batch && count != 0) return invalid("batch is NULL");
    return guarded([&] {
        for (size_t i = 0; i < count; ++i) {
            const std::string problem = message_problem(batch[i], "batch[" + std::to_string(i) + "]");
            if (!problem.empty()) throw casevault::Error(casevault::Errc::invalid_argument, problem);
        }
        std::vector<casevault::MessageFields> in;
        WipeGuard<std::vector<casevault::MessageFields>> gi(in);
        in.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            in.emplace_back();  // reserved: no reallocation leaves copies behind
            fill_message(in.back(), batch[i]);
        }
        std::vector<casevault::Message> recorded = vault->vault.correspondence().record_many(actor, in);
        record_out(out_json, recorded,
                   [](const std::vector<casevault::Message>& v) { return array_json(v, message_json); });
    });
}

extern "C" int casevault_message_get(char** out_json, casevault_vault* vault, const char* actor,
                                     const char* message_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, message_id, "message_id is NULL")) return rc;
    return guarded([&] {
        casevault::Message m = vault->vault.correspondence().get(actor, message_id);
        record_out(out_json, m, message_json);
    });
}

extern "C" int casevault_message_list(char** out_json, casevault_vault* vault, const char* actor,
                                      const char* subject, const char* after_id, size_t limit, const char* case_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, subject, "subject is NULL")) return rc;
    return guarded([&] {
        casevault::MessageListOptions o;
        if (after_id) o.after_id = after_id;
        if (limit != 0) o.limit = limit;  // 0 = the default page size
        set_opt(o.case_id, case_id);
        casevault::MessagePage page = vault->vault.correspondence().list(actor, subject, o);
        record_out(out_json, page,
                   [](const casevault::MessagePage& p) { return page_json(p, message_json); });
    });
}

extern "C" int casevault_message_match_sender(char** out_subject, casevault_vault* vault, const char* actor,
                                              const char* sender) {
    if (out_subject) *out_subject = nullptr;
    if (!out_subject) return invalid("out_subject is NULL");
    if (const int rc = by_id_problem(vault, actor, sender, "sender is NULL")) return rc;
    return guarded([&] {
        std::string s = sender;
        WipeGuard<std::string> gs(s);
        const std::optional<std::string> subject = vault->vault.correspondence().match_sender(actor, s);
        if (subject) *out_subject = c_copy(*subject);  // none is not an error: NULL
    });
}

// ==== Billing ===============================================================

extern "C" int casevault_payment_record(char** out_json, casevault_vault* vault, const char* actor,
                                        const casevault_payment_fields* fields) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!actor) return invalid("actor is NULL");
    if (!fields) return invalid("fields is NULL");
    if (!version_in(fields->version, 1, CASEVAULT_PAYMENT_FIELDS_VERSION))
        return invalid("unsupported options version (casevault_payment_fields.version)");
    if (!fields->subject) return invalid("fields->subject is NULL (subject is required)");
    if (!fields->currency) return invalid("fields->currency is NULL (currency is required)");
    if (!fields->card_brand) return invalid("fields->card_brand is NULL (card_brand is required)");
    if (!fields->last4) return invalid("fields->last4 is NULL (last4 is required)");
    return guarded([&] {
        casevault::PaymentFields f;
        WipeGuard<casevault::PaymentFields> gf(f);
        f.subject = fields->subject;
        f.amount_minor = fields->amount_minor;
        f.currency = fields->currency;
        f.paid_at = fields->paid_at;
        f.card_brand = fields->card_brand;
        f.last4 = fields->last4;
        set_opt(f.billing_address, fields->billing_address);
        set_opt(f.processor_ref, fields->processor_ref);
        f.recurring = fields->recurring != 0;
        if (fields->version >= 2) {  // a version-1 struct ends before these
            if (fields->billing_state) f.billing_state = fields->billing_state;
            set_opt(f.tax_exemption, fields->tax_exemption);
        }
        casevault::Payment p = vault->vault.billing().record(actor, f);
        record_out(out_json, p, payment_json);
    });
}

extern "C" int casevault_payment_get(char** out_json, casevault_vault* vault, const char* actor,
                                     const char* payment_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, payment_id, "payment_id is NULL")) return rc;
    return guarded([&] {
        casevault::Payment p = vault->vault.billing().get(actor, payment_id);
        record_out(out_json, p, payment_json);
    });
}

extern "C" int casevault_payment_list(char** out_json, casevault_vault* vault, const char* actor,
                                      const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, subject, "subject is NULL")) return rc;
    return guarded([&] {
        std::vector<casevault::Payment> payments = vault->vault.billing().list(actor, subject);
        record_out(out_json, payments,
                   [](const std::vector<casevault::Payment>& v) { return array_json(v, payment_json); });
    });
}

// ==== Message board =========================================================

extern "C" int casevault_post_publish(char** out_json, casevault_vault* vault, const char* actor,
                                      const casevault_post_fields* fields) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!actor) return invalid("actor is NULL");
    if (!fields) return invalid("fields is NULL");
    if (!version_ok(fields->version, CASEVAULT_POST_FIELDS_VERSION))
        return invalid("unsupported options version (casevault_post_fields.version)");
    if (!fields->author) return invalid("fields->author is NULL (author is required)");
    if (!fields->title) return invalid("fields->title is NULL (title is required)");
    if (!fields->body) return invalid("fields->body is NULL (body is required)");
    return guarded([&] {
        casevault::PostFields f;
        WipeGuard<casevault::PostFields> gf(f);
        f.author = fields->author;
        f.title = fields->title;
        f.body = fields->body;
        casevault::Post p = vault->vault.posts().publish(actor, f);
        record_out(out_json, p, post_json);
    });
}

extern "C" int casevault_post_get(char** out_json, casevault_vault* vault, const char* actor, const char* post_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, actor, post_id, "post_id is NULL")) return rc;
    return guarded([&] {
        casevault::Post p = vault->vault.posts().get(actor, post_id);
        record_out(out_json, p, post_json);
    });
}

extern "C" int casevault_post_list(char** out_json, casevault_vault* vault, const char* actor, const char* after_id,
                                   size_t limit, const char* author) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!actor) return invalid("actor is NULL");
    return guarded([&] {
        casevault::PostListOptions o;
        if (after_id) o.after_id = after_id;
        if (limit != 0) o.limit = limit;  // 0 = the default page size
        set_opt(o.author, author);
        casevault::PostPage page = vault->vault.posts().list(actor, o);
        record_out(out_json, page, [](const casevault::PostPage& p) { return page_json(p, post_json); });
    });
}

extern "C" int casevault_post_remove(casevault_vault* vault, const char* actor, const char* post_id) {
    if (const int rc = by_id_problem(vault, actor, post_id, "post_id is NULL")) return rc;
    return guarded([&] { vault->vault.posts().remove(actor, post_id); });
}

// ---- names of the frozen numbers (the C++ functions answer "unknown" out of range)

extern "C" const char* casevault_role_name(int role) { return casevault::role_name(static_cast<casevault::Role>(role)); }

extern "C" const char* casevault_action_name(int action) {
    return casevault::action_name(static_cast<casevault::Action>(action));
}

extern "C" const char* casevault_record_kind_name(int record_kind) {
    return casevault::record_kind_name(static_cast<casevault::RecordKind>(record_kind));
}

extern "C" const char* casevault_message_channel_name(int channel) {
    return casevault::message_channel_name(static_cast<casevault::MessageChannel>(channel));
}

extern "C" const char* casevault_direction_name(int direction) {
    return casevault::direction_name(static_cast<casevault::Direction>(direction));
}

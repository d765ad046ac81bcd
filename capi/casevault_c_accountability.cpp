// casevault_c_accountability.cpp — the C API of accountability (casevault.h,
// "Accountability"): data-subject requests (export, rectification, erasure),
// disclosures with their subprocessor registry and business transfers, and
// de-identified aggregates, over the C++ API (casevault/accountability.hpp).
//
// Like the other adapter files, this one only translates (C arguments and
// frozen numbers into C++ values, results into JSON, exceptions into codes;
// a refused disclosure's reason goes where casevault_last_error_rule reads
// it) and keeps the same rules: out-parameters cleared first, NULL arguments
// named, no exception crosses, success clears the last error, temporary
// copies of personal data (corrected values, exported documents, references)
// wiped. What a subject owns, which rule allows a disclosure and what is
// suppressed are the core's.

#include "capi_internal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "casevault/casevault.hpp"

// The frozen C numbers and the C++ enums must agree.
static_assert(CASEVAULT_RECTIFY_ACCOUNT == static_cast<int>(casevault::RectifyTarget::account), "target mismatch");
static_assert(CASEVAULT_RECTIFY_CASE_FILE == static_cast<int>(casevault::RectifyTarget::case_file),
              "target mismatch");
static_assert(CASEVAULT_RECTIFY_CASE_STATUS == static_cast<int>(casevault::RectifyTarget::case_status),
              "target mismatch");
static_assert(CASEVAULT_RECTIFY_DOCUMENT == static_cast<int>(casevault::RectifyTarget::document), "target mismatch");
static_assert(CASEVAULT_RECTIFY_MESSAGE == static_cast<int>(casevault::RectifyTarget::message), "target mismatch");
static_assert(CASEVAULT_RECTIFY_PAYMENT == static_cast<int>(casevault::RectifyTarget::payment), "target mismatch");
static_assert(CASEVAULT_NOTICE_QUEUED == static_cast<int>(casevault::NoticeState::queued), "notice mismatch");
static_assert(CASEVAULT_NOTICE_WITHHELD_PROHIBITED == static_cast<int>(casevault::NoticeState::withheld_prohibited),
              "notice mismatch");
static_assert(CASEVAULT_NOTICE_WITHHELD_EMERGENCY == static_cast<int>(casevault::NoticeState::withheld_emergency),
              "notice mismatch");
static_assert(CASEVAULT_NOTICE_NOT_REQUIRED == static_cast<int>(casevault::NoticeState::not_required),
              "notice mismatch");
static_assert(CASEVAULT_TRANSFER_ACQUISITION == static_cast<int>(casevault::TransferKind::acquisition),
              "transfer kind mismatch");
static_assert(CASEVAULT_TRANSFER_MERGER == static_cast<int>(casevault::TransferKind::merger),
              "transfer kind mismatch");

using namespace capi;

namespace {

// ---- C values in ----------------------------------------------------------------

// A name function's answer, never NULL.
const char* name_or_unknown(const char* name) noexcept { return name ? name : "unknown"; }

// The C write callback as a sink: non-zero from the host means stop, which
// the core turns into Error(cancelled).
casevault::ExportSink to_sink(casevault_write_fn write, void* ctx) {
    return [write, ctx](const char* data, std::size_t size) -> bool { return write(ctx, data, size) == 0; };
}

// A (array, count) list of C strings; checked by list_problem first.
std::vector<std::string> to_strings(const char* const* items, size_t count) {
    std::vector<std::string> v;
    v.reserve(count);
    for (size_t i = 0; i < count; ++i) v.emplace_back(items[i]);
    return v;
}

// Why a (array, count) list cannot be read, or "" (built inside guarded():
// it allocates).
std::string list_problem(const char* const* items, size_t count, const std::string& name) {
    if (count == 0) return "";
    if (!items) return name + " is NULL but its count is not 0";
    for (size_t i = 0; i < count; ++i)
        if (!items[i]) return name + "[" + std::to_string(i) + "] is NULL";
    return "";
}

void throw_invalid(const std::string& problem) {
    throw casevault::Error(casevault::Errc::invalid_argument, problem);
}

// Why a rectification cannot be read, or "".
std::string rectification_problem(const casevault_rectification& c, const std::string& name) {
    if (!version_ok(c.version, CASEVAULT_RECTIFICATION_VERSION))
        return "unsupported options version (" + name + ".version)";
    if (!in_range(c.target, CASEVAULT_RECTIFY_ACCOUNT, CASEVAULT_RECTIFY_PAYMENT))
        return name + ".target is not a CASEVAULT_RECTIFY_* value";
    if (!c.id) return name + ".id is NULL (id is required)";
    if (!c.field) return name + ".field is NULL (field is required)";
    if (!c.value) return name + ".value is NULL (value is required)";
    return "";
}

// Filled in place: the value is personal (see set_opt).
void fill_rectification(casevault::Rectification& out, const casevault_rectification& c) {
    out.target = static_cast<casevault::RectifyTarget>(c.target);  // checked
    out.id = c.id;
    out.field = c.field;
    out.value = c.value;
}

std::string disclosure_problem(const casevault_disclosure_request& r) {
    if (!version_ok(r.version, CASEVAULT_DISCLOSURE_REQUEST_VERSION))
        return "unsupported options version (casevault_disclosure_request.version)";
    if (!r.subject) return "request->subject is NULL (subject is required)";
    if (!r.recipient) return "request->recipient is NULL (recipient is required)";
    std::string p = list_problem(r.categories, r.category_count, "request->categories");
    if (p.empty()) p = list_problem(r.fields, r.field_count, "request->fields");
    return p;
}

void fill_disclosure(casevault::DisclosureRequest& out, const casevault_disclosure_request& r) {
    out.subject = r.subject;
    out.recipient = r.recipient;
    if (r.recipient_name) out.recipient_name = r.recipient_name;
    if (r.purpose) out.purpose = r.purpose;
    out.categories = to_strings(r.categories, r.category_count);
    out.fields = to_strings(r.fields, r.field_count);
    if (r.case_id) out.case_id = r.case_id;
    if (r.subprocessor) out.subprocessor = r.subprocessor;
    if (r.process_kind) {  // NULL: no legal process (its other fields are ignored)
        out.process.emplace();
        out.process->kind = r.process_kind;
        if (r.process_reference) out.process->reference = r.process_reference;
        if (r.process_justification) out.process->justification = r.process_justification;
    }
    if (r.nondisclosure) {
        out.nondisclosure.emplace();
        if (r.nondisclosure_reference) out.nondisclosure->reference = r.nondisclosure_reference;
        out.nondisclosure->until = r.nondisclosure_until;
    }
    if (r.hold_id) out.hold_id = r.hold_id;
    if (r.reference) out.reference = r.reference;
    out.at = r.at;
}

// Shared by the aggregate calls: the options, or why they cannot be read.
const char* aggregate_options_problem(const casevault_aggregate_options* o) noexcept {
    if (!o) return "options is NULL (use CASEVAULT_AGGREGATE_OPTIONS_INIT for the defaults)";
    if (!version_ok(o->version, CASEVAULT_AGGREGATE_OPTIONS_VERSION))
        return "unsupported options version (casevault_aggregate_options.version)";
    return nullptr;
}

casevault::AggregateOptions to_aggregate_options(const casevault_aggregate_options& o) {
    casevault::AggregateOptions out;
    if (o.purpose) out.purpose = o.purpose;
    out.since = o.since;
    out.until = o.until;
    out.min_count = o.min_count;  // 0 = the policy's
    return out;
}

// ---- C++ values out (JSON) ------------------------------------------------------

// An empty string is null, like an absent optional elsewhere.
json str_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json rectify_result_json(const casevault::RectifyResult& r) {
    json j;
    j["target"] = name_or_unknown(casevault::rectify_target_name(r.target));
    j["id"] = r.id;
    j["field"] = r.field;
    j["at"] = r.at;
    return j;
}

json ticket_json(const casevault::ErasureTicket& t) {
    json j;
    j["request"] = request_json(t.request);
    j["subject_ref"] = t.subject_ref;
    return j;
}

json process_json(const casevault::LegalProcess& p) {
    json j;
    j["kind"] = p.kind;
    j["reference"] = str_or_null(p.reference);
    j["justification"] = str_or_null(p.justification);
    return j;
}

json disclosure_json(const casevault::Disclosure& d) {
    json j;
    j["id"] = d.id;
    j["subject"] = d.subject;
    j["recipient"] = d.recipient;
    j["recipient_name"] = str_or_null(d.recipient_name);
    j["rule"] = d.rule;
    j["kind"] = d.kind;
    j["purpose"] = str_or_null(d.purpose);
    j["categories"] = strings_json(d.categories);
    j["fields"] = strings_json(d.fields);
    j["legal_basis"] = name_or_unknown(casevault::legal_basis_name(d.legal_basis));
    j["case_id"] = str_or_null(d.case_id);
    j["subprocessor"] = str_or_null(d.subprocessor);
    j["process"] = d.process ? process_json(*d.process) : json(nullptr);
    j["hold_id"] = str_or_null(d.hold_id);
    j["reference"] = str_or_null(d.reference);
    j["at"] = d.at;
    j["notice"] = name_or_unknown(casevault::notice_state_name(d.notice));
    j["notice_at"] = d.notice_at;
    j["nondisclosure_until"] = d.nondisclosure_until;
    j["lifted_at"] = d.lifted_at;
    return j;
}

json subprocessor_json(const casevault::Subprocessor& s) {
    json j;
    j["name"] = s.name;
    j["purpose"] = s.purpose;
    j["categories"] = strings_json(s.categories);
    j["location"] = s.location;
    j["added_at"] = s.added_at;
    j["retired_at"] = s.retired_at;
    return j;
}

json transfer_json(const casevault::Transfer& t) {
    json j;
    j["id"] = t.id;
    j["kind"] = name_or_unknown(casevault::transfer_kind_name(t.kind));
    j["counterparty"] = t.counterparty;
    j["effective_at"] = t.effective_at;
    j["announced_at"] = t.announced_at;
    j["notified"] = t.notified;
    return j;
}

json cell_json(const casevault::AggregateCell& c) {
    json j;
    j["keys"] = strings_json(c.keys);
    j["count"] = c.count ? json(*c.count) : json(nullptr);
    j["total_minor"] = c.total_minor ? json(*c.total_minor) : json(nullptr);
    j["suppressed"] = c.suppressed;
    return j;
}

json table_json(const casevault::AggregateTable& t) {
    json j;
    j["name"] = t.name;
    j["dimensions"] = strings_json(t.dimensions);
    j["currency"] = str_or_null(t.currency);
    j["min_count"] = t.min_count;
    j["cells"] = array_json(t.cells, cell_json);
    j["margins"] = array_json(t.margins, cell_json);
    j["total"] = cell_json(t.total);
    j["suppressed_primary"] = t.suppressed_primary;
    j["suppressed_complementary"] = t.suppressed_complementary;
    return j;
}

json tables_json(const std::vector<casevault::AggregateTable>& v) { return array_json(v, table_json); }

// A value out as JSON: into *out when out is not NULL.
template <class T, class ToJson>
void json_out(char** out, const T& value, ToJson&& to_json) {
    if (!out) return;
    json j = to_json(value);
    *out = c_json(j);
}

// A disclosure out: its references are personal, so it is wiped afterwards.
void disclosure_out(char** out, casevault::Disclosure& d) {
    WipeGuard<casevault::Disclosure> g(d);
    json_out(out, d, disclosure_json);
}

// A whole document out (an export or a package): personal, so wiped.
void document_out(char** out, std::string& text) {
    WipeGuard<std::string> g(text);
    *out = c_copy(text);
}

// The checks shared by the calls on one record by id.
int by_id_problem(casevault_vault* vault, const char* id, const char* id_null) noexcept {
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid(id_null);
    return CASEVAULT_OK;
}

}  // namespace

// ==== Data-subject requests =================================================

extern "C" int casevault_subject_export(casevault_vault* vault, const char* subject, casevault_write_fn write,
                                        void* write_ctx) {
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    if (!write) return invalid("write is NULL");
    return guarded([&] { vault->vault.subject_requests().export_to(subject, to_sink(write, write_ctx)); });
}

extern "C" int casevault_subject_export_json(char** out_json, casevault_vault* vault, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    return guarded([&] {
        std::string text = vault->vault.subject_requests().export_json(subject);
        document_out(out_json, text);
    });
}

extern "C" int casevault_subject_rectify(char** out_json, casevault_vault* vault, const char* subject,
                                         const casevault_rectification* change) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    if (!change) return invalid("change is NULL");
    return guarded([&] {
        const std::string problem = rectification_problem(*change, "change");
        if (!problem.empty()) throw_invalid(problem);
        casevault::Rectification c;
        WipeGuard<casevault::Rectification> gc(c);
        fill_rectification(c, *change);
        const casevault::RectifyResult r = vault->vault.subject_requests().rectify(subject, c);
        json_out(out_json, r, rectify_result_json);
    });
}

extern "C" int casevault_subject_rectify_many(char** out_json, casevault_vault* vault, const char* subject,
                                              const casevault_rectification* changes, size_t count) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    if (!changes && count != 0) return invalid("changes is NULL");
    return guarded([&] {
        for (size_t i = 0; i < count; ++i) {
            const std::string problem = rectification_problem(changes[i], "changes[" + std::to_string(i) + "]");
            if (!problem.empty()) throw_invalid(problem);
        }
        std::vector<casevault::Rectification> in;
        WipeGuard<std::vector<casevault::Rectification>> gi(in);
        in.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            in.emplace_back();  // reserved: no reallocation leaves copies behind
            fill_rectification(in.back(), changes[i]);
        }
        const std::vector<casevault::RectifyResult> v = vault->vault.subject_requests().rectify_many(subject, in);
        json_out(out_json, v, [](const std::vector<casevault::RectifyResult>& rs) {
            return array_json(rs, rectify_result_json);
        });
    });
}

extern "C" int casevault_subject_erase(char** out_json, casevault_vault* vault, const char* subject,
                                       const char* channel) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    return guarded([&] {
        // NULL = web; an unknown name is invalid_argument from the core.
        const casevault::Channel c = channel ? casevault::channel_from_name(channel) : casevault::Channel::web;
        const casevault::ErasureTicket t = vault->vault.subject_requests().erase(subject, c);
        json_out(out_json, t, ticket_json);
    });
}

// ==== Disclosures ===========================================================

extern "C" int casevault_disclosure_record(char** out_json, casevault_vault* vault,
                                           const casevault_disclosure_request* request) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!request) return invalid("request is NULL");
    return guarded([&] {
        const std::string problem = disclosure_problem(*request);
        if (!problem.empty()) throw_invalid(problem);
        casevault::DisclosureRequest r;
        WipeGuard<casevault::DisclosureRequest> gr(r);
        fill_disclosure(r, *request);
        casevault::Disclosure d = vault->vault.disclosures().record(r);
        disclosure_out(out_json, d);
    });
}

extern "C" int casevault_disclosure_lift(char** out_json, casevault_vault* vault, const char* disclosure_id) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, disclosure_id, "disclosure_id is NULL")) return rc;
    return guarded([&] {
        casevault::Disclosure d = vault->vault.disclosures().lift_nondisclosure(disclosure_id);
        disclosure_out(out_json, d);
    });
}

extern "C" int casevault_disclosure_get(char** out_json, casevault_vault* vault, const char* disclosure_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, disclosure_id, "disclosure_id is NULL")) return rc;
    return guarded([&] {
        casevault::Disclosure d = vault->vault.disclosures().get(disclosure_id);
        disclosure_out(out_json, d);
    });
}

extern "C" int casevault_disclosure_list(char** out_json, casevault_vault* vault, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        std::vector<casevault::Disclosure> v;
        WipeGuard<std::vector<casevault::Disclosure>> gv(v);
        v = vault->vault.disclosures().list(subject ? subject : "");  // "" = every subject
        json j = array_json(v, disclosure_json);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_disclosure_package(casevault_vault* vault, const char* disclosure_id,
                                            casevault_write_fn write, void* write_ctx) {
    if (const int rc = by_id_problem(vault, disclosure_id, "disclosure_id is NULL")) return rc;
    if (!write) return invalid("write is NULL");
    return guarded([&] { vault->vault.disclosures().package(disclosure_id, to_sink(write, write_ctx)); });
}

extern "C" int casevault_disclosure_package_json(char** out_json, casevault_vault* vault,
                                                 const char* disclosure_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, disclosure_id, "disclosure_id is NULL")) return rc;
    return guarded([&] {
        std::string text = vault->vault.disclosures().package_json(disclosure_id);
        document_out(out_json, text);
    });
}

// ==== Subprocessors and transfers ===========================================

extern "C" int casevault_subprocessor_add(char** out_json, casevault_vault* vault,
                                          const casevault_subprocessor_fields* fields) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!fields) return invalid("fields is NULL");
    if (!version_ok(fields->version, CASEVAULT_SUBPROCESSOR_FIELDS_VERSION))
        return invalid("unsupported options version (casevault_subprocessor_fields.version)");
    if (!fields->name) return invalid("fields->name is NULL (name is required)");
    if (!fields->purpose) return invalid("fields->purpose is NULL (purpose is required)");
    if (!fields->location) return invalid("fields->location is NULL (location is required)");
    return guarded([&] {
        const std::string problem = list_problem(fields->categories, fields->category_count, "fields->categories");
        if (!problem.empty()) throw_invalid(problem);
        casevault::Subprocessor s;
        s.name = fields->name;
        s.purpose = fields->purpose;
        s.categories = to_strings(fields->categories, fields->category_count);
        s.location = fields->location;
        const casevault::Subprocessor added = vault->vault.disclosures().add_subprocessor(s);
        json_out(out_json, added, subprocessor_json);
    });
}

extern "C" int casevault_subprocessor_retire(char** out_json, casevault_vault* vault, const char* name) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, name, "name is NULL")) return rc;
    return guarded([&] {
        const casevault::Subprocessor s = vault->vault.disclosures().retire_subprocessor(name);
        json_out(out_json, s, subprocessor_json);
    });
}

extern "C" int casevault_subprocessor_list(char** out_json, casevault_vault* vault, int include_retired) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::Subprocessor> v = vault->vault.disclosures().subprocessors(include_retired != 0);
        json j = array_json(v, subprocessor_json);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_transfer_announce(char** out_json, casevault_vault* vault,
                                           const casevault_transfer_announcement* announcement) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!announcement) return invalid("announcement is NULL");
    if (!version_ok(announcement->version, CASEVAULT_TRANSFER_ANNOUNCEMENT_VERSION))
        return invalid("unsupported options version (casevault_transfer_announcement.version)");
    if (!in_range(announcement->kind, CASEVAULT_TRANSFER_ACQUISITION, CASEVAULT_TRANSFER_MERGER))
        return invalid("announcement->kind is not a CASEVAULT_TRANSFER_* value");
    if (!announcement->counterparty) return invalid("announcement->counterparty is NULL (counterparty is required)");
    return guarded([&] {
        casevault::TransferAnnouncement a;
        a.kind = static_cast<casevault::TransferKind>(announcement->kind);  // checked above
        a.counterparty = announcement->counterparty;
        a.effective_at = announcement->effective_at;
        const casevault::Transfer t = vault->vault.disclosures().announce_transfer(
            a, to_progress(announcement->progress, announcement->progress_ctx));
        json_out(out_json, t, transfer_json);
    });
}

extern "C" int casevault_transfer_list(char** out_json, casevault_vault* vault) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::Transfer> v = vault->vault.disclosures().transfers();
        json j = array_json(v, transfer_json);
        *out_json = c_json(j);
    });
}

// ==== Aggregates ============================================================

namespace {

enum class Report { cases, accounts, billing, all };

int aggregates(char** out_json, casevault_vault* vault, const casevault_aggregate_options* options,
               Report report) noexcept {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (const char* problem = aggregate_options_problem(options)) return invalid(problem);
    return guarded([&] {
        const casevault::AggregateOptions o = to_aggregate_options(*options);
        casevault::Aggregates a = vault->vault.aggregates();
        switch (report) {
            case Report::cases: json_out(out_json, a.cases(o), table_json); break;
            case Report::accounts: json_out(out_json, a.accounts(o), table_json); break;
            case Report::billing: json_out(out_json, a.billing(o), tables_json); break;
            case Report::all: json_out(out_json, a.all(o), tables_json); break;
        }
    });
}

}  // namespace

extern "C" int casevault_aggregates_cases(char** out_json, casevault_vault* vault,
                                          const casevault_aggregate_options* options) {
    return aggregates(out_json, vault, options, Report::cases);
}

extern "C" int casevault_aggregates_accounts(char** out_json, casevault_vault* vault,
                                             const casevault_aggregate_options* options) {
    return aggregates(out_json, vault, options, Report::accounts);
}

extern "C" int casevault_aggregates_billing(char** out_json, casevault_vault* vault,
                                            const casevault_aggregate_options* options) {
    return aggregates(out_json, vault, options, Report::billing);
}

extern "C" int casevault_aggregates_all(char** out_json, casevault_vault* vault,
                                        const casevault_aggregate_options* options) {
    return aggregates(out_json, vault, options, Report::all);
}

// ---- names of the frozen numbers ("unknown" out of range, checked here) ---------

extern "C" const char* casevault_rectify_target_name(int target) {
    if (!in_range(target, CASEVAULT_RECTIFY_ACCOUNT, CASEVAULT_RECTIFY_PAYMENT)) return "unknown";
    return name_or_unknown(casevault::rectify_target_name(static_cast<casevault::RectifyTarget>(target)));
}

extern "C" const char* casevault_notice_state_name(int state) {
    if (!in_range(state, CASEVAULT_NOTICE_QUEUED, CASEVAULT_NOTICE_NOT_REQUIRED)) return "unknown";
    return name_or_unknown(casevault::notice_state_name(static_cast<casevault::NoticeState>(state)));
}

extern "C" const char* casevault_transfer_kind_name(int kind) {
    if (!in_range(kind, CASEVAULT_TRANSFER_ACQUISITION, CASEVAULT_TRANSFER_MERGER)) return "unknown";
    return name_or_unknown(casevault::transfer_kind_name(static_cast<casevault::TransferKind>(kind)));
}

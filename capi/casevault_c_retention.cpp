// casevault_c_retention.cpp — the C API of the retention engine (casevault.h,
// "Retention"): activity, cancel and delete requests, legal holds, the sweep
// and its receipts, backups, over the C++ API (casevault/retention.hpp).
//
// Like the other adapter files, this one only translates (C arguments and
// frozen numbers into C++ values, results into JSON, exceptions into codes)
// and keeps the same rules: out-parameters cleared first, NULL arguments
// named, no exception crosses, success clears the last error, temporary
// copies of personal data (inbound text and senders, hold references) and of
// one-time codes wiped. What is due, what a command is, what a hold allows
// are the core's.

#include "capi_internal.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "casevault/casevault.hpp"

// The frozen C numbers and the C++ enums must agree.
static_assert(CASEVAULT_TRIGGER_INACTIVITY == static_cast<int>(casevault::RetentionTrigger::inactivity),
              "trigger mismatch");
static_assert(CASEVAULT_TRIGGER_CANCELLATION == static_cast<int>(casevault::RetentionTrigger::cancellation),
              "trigger mismatch");
static_assert(CASEVAULT_TRIGGER_DELETION_REQUEST ==
                  static_cast<int>(casevault::RetentionTrigger::deletion_request),
              "trigger mismatch");
static_assert(CASEVAULT_TRIGGER_RECONSENT_DECLINED ==
                  static_cast<int>(casevault::RetentionTrigger::reconsent_declined),
              "trigger mismatch");
static_assert(CASEVAULT_TRIGGER_ACCOUNT_CLOSED == static_cast<int>(casevault::RetentionTrigger::account_closed),
              "trigger mismatch");
static_assert(CASEVAULT_REQUEST_CANCEL == static_cast<int>(casevault::RequestKind::cancel), "kind mismatch");
static_assert(CASEVAULT_REQUEST_ERASE == static_cast<int>(casevault::RequestKind::erase), "kind mismatch");
static_assert(CASEVAULT_REQUEST_STATE_AWAITING_CONFIRMATION ==
                  static_cast<int>(casevault::RequestState::awaiting_confirmation),
              "state mismatch");
static_assert(CASEVAULT_REQUEST_STATE_PENDING == static_cast<int>(casevault::RequestState::pending),
              "state mismatch");
static_assert(CASEVAULT_REQUEST_STATE_DONE == static_cast<int>(casevault::RequestState::done), "state mismatch");
static_assert(CASEVAULT_REQUEST_STATE_EXPIRED == static_cast<int>(casevault::RequestState::expired),
              "state mismatch");
static_assert(CASEVAULT_REQUEST_STATE_WITHDRAWN == static_cast<int>(casevault::RequestState::withdrawn),
              "state mismatch");
static_assert(CASEVAULT_INBOUND_NO_COMMAND == static_cast<int>(casevault::InboundOutcome::no_command),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_AMBIGUOUS == static_cast<int>(casevault::InboundOutcome::ambiguous),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_NEGATED == static_cast<int>(casevault::InboundOutcome::negated),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_MENTION_ONLY == static_cast<int>(casevault::InboundOutcome::mention_only),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_UNKNOWN_SENDER == static_cast<int>(casevault::InboundOutcome::unknown_sender),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_CHANNEL_NOT_ACCEPTED ==
                  static_cast<int>(casevault::InboundOutcome::channel_not_accepted),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_AWAITING_CONFIRMATION ==
                  static_cast<int>(casevault::InboundOutcome::awaiting_confirmation),
              "outcome mismatch");
static_assert(CASEVAULT_INBOUND_ACCEPTED == static_cast<int>(casevault::InboundOutcome::accepted),
              "outcome mismatch");
static_assert(CASEVAULT_HOLD_SCOPE_SUBJECT == static_cast<int>(casevault::HoldScope::subject), "scope mismatch");
static_assert(CASEVAULT_HOLD_SCOPE_CASE_FILE == static_cast<int>(casevault::HoldScope::case_file),
              "scope mismatch");
static_assert(CASEVAULT_HOLD_STATE_ACTIVE == static_cast<int>(casevault::HoldState::active), "state mismatch");
static_assert(CASEVAULT_HOLD_STATE_CONTINUED == static_cast<int>(casevault::HoldState::continued),
              "state mismatch");
static_assert(CASEVAULT_HOLD_STATE_EXPIRED == static_cast<int>(casevault::HoldState::expired), "state mismatch");
static_assert(CASEVAULT_HOLD_STATE_RELEASED == static_cast<int>(casevault::HoldState::released), "state mismatch");

using namespace capi;

namespace {

// ---- C values in ----------------------------------------------------------------

// A consent-style channel name; NULL is the given default.
casevault::Channel to_channel(const char* s, casevault::Channel fallback) {
    if (!s) return fallback;
    return casevault::channel_from_name(s);  // invalid_argument for an unknown name
}

const char* inbound_problem(const casevault_inbound_message* m) noexcept {
    if (!m) return "message is NULL";
    if (!version_ok(m->version, CASEVAULT_INBOUND_MESSAGE_VERSION))
        return "unsupported options version (casevault_inbound_message.version)";
    return nullptr;
}

// Filled in place (see set_opt): the text is personal.
void fill_inbound(casevault::InboundMessage& out, const casevault_inbound_message& m) {
    out.channel = to_channel(m.channel, casevault::Channel::email);
    if (m.sender) out.sender = m.sender;
    if (m.subject_line) out.subject_line = m.subject_line;
    if (m.body) out.body = m.body;
    out.at = m.at;
}

// ---- C++ values out (JSON) ------------------------------------------------------

// A name function's answer, never NULL.
const char* name_or_unknown(const char* name) noexcept { return name ? name : "unknown"; }

json counts_json(const std::map<std::string, std::int64_t>& counts) {
    json j = json::array();
    for (const auto& [kind, count] : counts) {
        json c;
        c["kind"] = kind;
        c["count"] = count;
        j.push_back(std::move(c));
    }
    return j;
}

// A planned deletion's counts and actions, keyed alike, as one array.
json planned_counts_json(const std::map<std::string, std::int64_t>& counts,
                         const std::map<std::string, std::string>& actions) {
    std::set<std::string> kinds;
    for (const auto& c : counts) kinds.insert(c.first);
    for (const auto& a : actions) kinds.insert(a.first);
    json j = json::array();
    for (const auto& kind : kinds) {
        const auto c = counts.find(kind);
        const auto a = actions.find(kind);
        json e;
        e["kind"] = kind;
        e["count"] = c != counts.end() ? c->second : 0;
        e["action"] = a != actions.end() ? json(a->second) : json(nullptr);
        j.push_back(std::move(e));
    }
    return j;
}

json activity_json(const casevault::ActivityState& s) {
    json j;
    j["subject"] = s.subject;
    j["active"] = s.active;
    j["active_until"] = s.active_until;
    json latest = json::array();
    for (const auto& m : s.latest) {
        json mj;
        mj["kind"] = m.kind;
        mj["at"] = m.at;
        latest.push_back(std::move(mj));
    }
    j["latest"] = std::move(latest);
    j["inactivity_due_at"] = s.inactivity_due_at ? json(*s.inactivity_due_at) : json(nullptr);
    return j;
}

}  // namespace

// Shared with casevault_c_accountability.cpp (an erasure ticket holds one).
json capi::request_json(const casevault::RetentionRequest& r) {
    json j;
    j["id"] = r.id;
    j["subject"] = r.subject;
    j["kind"] = name_or_unknown(casevault::request_kind_name(r.kind));
    j["trigger"] = name_or_unknown(casevault::retention_trigger_name(r.trigger));
    j["channel"] = name_or_unknown(casevault::channel_name(r.channel));
    j["state"] = name_or_unknown(casevault::request_state_name(r.state));
    j["requested_at"] = r.requested_at;
    j["due_at"] = r.due_at;
    j["confirm_by"] = r.confirm_by;
    j["done_at"] = r.done_at;
    return j;
}

namespace {

json inbound_json(const casevault::InboundResult& r) {
    json j;
    j["outcome"] = name_or_unknown(casevault::inbound_outcome_name(r.outcome));
    j["command"] = r.command ? json(name_or_unknown(casevault::request_kind_name(*r.command))) : json(nullptr);
    j["subject"] = opt_json(r.subject);
    j["request"] = r.request ? request_json(*r.request) : json(nullptr);
    return j;
}

json hold_json(const casevault::Hold& h) {
    json j;
    j["id"] = h.id;
    j["scope"] = name_or_unknown(casevault::hold_scope_name(h.scope));
    j["target"] = h.target;
    j["subject"] = h.subject;
    j["authority"] = h.authority;
    j["reference"] = h.reference;
    j["state"] = name_or_unknown(casevault::hold_state_name(h.state));
    j["placed_at"] = h.placed_at;
    j["expires_at"] = h.expires_at;
    j["extensions"] = h.extensions;
    j["process"] = h.process.empty() ? json(nullptr) : json(h.process);
    j["process_at"] = h.process_at;
    j["ended_at"] = h.ended_at;
    j["confidential"] = h.confidential;  // added with issue 6, at the end
    return j;
}

json held_json(const casevault::HeldBack& h) {
    json j;
    j["subject"] = h.subject;
    j["trigger"] = name_or_unknown(casevault::retention_trigger_name(h.trigger));
    j["hold_id"] = h.hold_id;
    j["reason"] = h.reason;
    return j;
}

json planned_json(const casevault::PlannedDeletion& d) {
    json j;
    j["subject"] = d.subject;
    j["trigger"] = name_or_unknown(casevault::retention_trigger_name(d.trigger));
    j["rules"] = strings_json(d.rules);
    j["due_at"] = d.due_at;
    j["counts"] = planned_counts_json(d.counts, d.actions);
    return j;
}

json plan_json(const casevault::SweepPlan& p) {
    json j;
    j["now"] = p.now;
    j["deletions"] = array_json(p.deletions, planned_json);
    j["held"] = array_json(p.held, held_json);
    j["holds_expiring"] = strings_json(p.holds_expiring);
    j["backups_expiring"] = strings_json(p.backups_expiring);
    j["requests_expiring"] = strings_json(p.requests_expiring);
    return j;
}

json report_json(const casevault::SweepReport& r) {
    json j;
    j["now"] = r.now;
    j["subjects"] = r.subjects;
    j["counts"] = counts_json(r.counts);
    j["receipts"] = strings_json(r.receipts);
    j["held"] = array_json(r.held, held_json);
    j["holds_expired"] = r.holds_expired;
    j["backups_removed"] = r.backups_removed;
    j["requests_expired"] = r.requests_expired;
    return j;
}

json receipt_json(const casevault::DeletionReceipt& r) {
    json j;
    j["id"] = r.id;
    j["subject_ref"] = r.subject_ref;
    j["trigger"] = name_or_unknown(casevault::retention_trigger_name(r.trigger));
    j["rules"] = strings_json(r.rules);
    j["counts"] = counts_json(r.counts);
    j["at"] = r.at;
    return j;
}

json backup_json(const casevault::BackupInfo& b) {
    json j;
    j["id"] = b.id;
    j["path"] = b.path;
    j["taken_at"] = b.taken_at;
    j["size"] = b.size;
    j["sha256"] = b.sha256;
    j["removed_at"] = b.removed_at;
    return j;
}

json restore_json(const casevault::RestoreReport& r) {
    json j;
    j["backup_id"] = r.backup_id.empty() ? json(nullptr) : json(r.backup_id);
    j["taken_at"] = r.taken_at;
    j["erasures_replayed"] = r.erasures_replayed;
    return j;
}

// A value out as JSON: into *out when out is not NULL.
template <class T, class ToJson>
void json_out(char** out, const T& value, ToJson&& to_json) {
    if (!out) return;
    json j = to_json(value);
    *out = c_json(j);
}

// A hold out: its reference is personal, so the hold is wiped afterwards.
void hold_out(char** out, casevault::Hold& h) {
    WipeGuard<casevault::Hold> g(h);
    json_out(out, h, hold_json);
}

// The checks shared by the calls on one record by id.
int by_id_problem(casevault_vault* vault, const char* id, const char* id_null) noexcept {
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid(id_null);
    return CASEVAULT_OK;
}

}  // namespace

// ==== Activity ==============================================================

extern "C" int casevault_activity_record(char** out_json, casevault_vault* vault, const char* subject,
                                         const char* kind, int64_t at) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    if (!kind) return invalid("kind is NULL");
    return guarded([&] {
        const casevault::ActivityState s = vault->vault.activity().record(subject, kind, at);
        json_out(out_json, s, activity_json);
    });
}

extern "C" int casevault_activity_state(char** out_json, casevault_vault* vault, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    return guarded([&] {
        const casevault::ActivityState s = vault->vault.activity().state(subject);
        json_out(out_json, s, activity_json);
    });
}

// ==== Requests ==============================================================

namespace {

int host_request(char** out_json, casevault_vault* vault, const char* subject, const char* channel,
                 casevault::RequestKind kind) noexcept {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    return guarded([&] {
        const casevault::Channel c = to_channel(channel, casevault::Channel::web);
        const casevault::RetentionRequest r = kind == casevault::RequestKind::cancel
                                                  ? vault->vault.requests().cancel(subject, c)
                                                  : vault->vault.requests().erase(subject, c);
        json_out(out_json, r, request_json);
    });
}

}  // namespace

extern "C" int casevault_request_cancel(char** out_json, casevault_vault* vault, const char* subject,
                                        const char* channel) {
    return host_request(out_json, vault, subject, channel, casevault::RequestKind::cancel);
}

extern "C" int casevault_request_erase(char** out_json, casevault_vault* vault, const char* subject,
                                       const char* channel) {
    return host_request(out_json, vault, subject, channel, casevault::RequestKind::erase);
}

extern "C" int casevault_request_inbound(int* out_outcome, char** out_json, casevault_vault* vault,
                                         const casevault_inbound_message* message) {
    if (out_outcome) *out_outcome = 0;
    if (out_json) *out_json = nullptr;
    if (!out_outcome) return invalid("out_outcome is NULL");
    if (!vault) return invalid("vault is NULL");
    if (const char* problem = inbound_problem(message)) return invalid(problem);
    return guarded([&] {
        casevault::InboundMessage m;
        WipeGuard<casevault::InboundMessage> gm(m);
        fill_inbound(m, *message);
        const casevault::InboundResult r = vault->vault.requests().inbound(m);
        char* text = nullptr;
        if (out_json) json_out(&text, r, inbound_json);
        // Nothing below can throw: the out-params are set all together.
        *out_outcome = static_cast<int>(r.outcome);
        if (out_json) *out_json = text;
    });
}

extern "C" int casevault_request_parse(int* out_outcome, int* out_command, char** out_json,
                                       const casevault_inbound_message* message) {
    if (out_outcome) *out_outcome = 0;
    if (out_command) *out_command = 0;
    if (out_json) *out_json = nullptr;
    if (!out_outcome) return invalid("out_outcome is NULL");
    if (const char* problem = inbound_problem(message)) return invalid(problem);
    return guarded([&] {
        casevault::InboundMessage m;
        WipeGuard<casevault::InboundMessage> gm(m);
        fill_inbound(m, *message);
        const casevault::InboundResult r = casevault::Requests::parse(m);
        char* text = nullptr;
        if (out_json) json_out(&text, r, inbound_json);
        // Nothing below can throw: the out-params are set all together.
        *out_outcome = static_cast<int>(r.outcome);
        if (out_command) *out_command = r.command ? static_cast<int>(*r.command) : 0;
        if (out_json) *out_json = text;
    });
}

extern "C" int casevault_request_confirm(char** out_json, casevault_vault* vault, const char* code) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!code) return invalid("code is NULL");
    return guarded([&] {
        std::string c = code;  // a one-time secret: wiped
        WipeGuard<std::string> gc(c);
        const casevault::RetentionRequest r = vault->vault.requests().confirm(c);
        json_out(out_json, r, request_json);
    });
}

extern "C" int casevault_request_get(char** out_json, casevault_vault* vault, const char* request_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, request_id, "request_id is NULL")) return rc;
    return guarded([&] {
        const casevault::RetentionRequest r = vault->vault.requests().get(request_id);
        json_out(out_json, r, request_json);
    });
}

extern "C" int casevault_request_list(char** out_json, casevault_vault* vault, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::RetentionRequest> v =
            vault->vault.requests().list(subject ? subject : "");  // "" = every subject
        json j = array_json(v, request_json);
        *out_json = c_json(j);
    });
}

// ==== Holds =================================================================

extern "C" int casevault_hold_place(char** out_json, casevault_vault* vault, const casevault_hold_request* request) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!request) return invalid("request is NULL");
    if (!version_in(request->version, 1, CASEVAULT_HOLD_REQUEST_VERSION))
        return invalid("unsupported options version (casevault_hold_request.version)");
    if (!in_range(request->scope, CASEVAULT_HOLD_SCOPE_SUBJECT, CASEVAULT_HOLD_SCOPE_CASE_FILE))
        return invalid("request->scope is not a CASEVAULT_HOLD_SCOPE_* value");
    if (!request->target) return invalid("request->target is NULL (target is required)");
    if (!request->authority) return invalid("request->authority is NULL (authority is required)");
    if (!request->reference) return invalid("request->reference is NULL (reference is required)");
    return guarded([&] {
        casevault::HoldRequest r;
        WipeGuard<casevault::HoldRequest> gr(r);
        r.scope = static_cast<casevault::HoldScope>(request->scope);  // checked above
        r.target = request->target;
        r.authority = request->authority;
        r.reference = request->reference;
        r.placed_at = request->placed_at;
        if (request->version >= 2) r.confidential = request->confidential != 0;  // version 1 ends before it
        casevault::Hold h = vault->vault.holds().place(r);
        hold_out(out_json, h);
    });
}

extern "C" int casevault_hold_extend(char** out_json, casevault_vault* vault, const char* hold_id) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, hold_id, "hold_id is NULL")) return rc;
    return guarded([&] {
        casevault::Hold h = vault->vault.holds().extend(hold_id);
        hold_out(out_json, h);
    });
}

extern "C" int casevault_hold_record_process(char** out_json, casevault_vault* vault, const char* hold_id,
                                             const char* process, const char* reference) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, hold_id, "hold_id is NULL")) return rc;
    if (!process) return invalid("process is NULL");
    if (!reference) return invalid("reference is NULL");
    return guarded([&] {
        std::string ref = reference;
        WipeGuard<std::string> gr(ref);
        casevault::Hold h = vault->vault.holds().record_process(hold_id, process, ref);
        hold_out(out_json, h);
    });
}

extern "C" int casevault_hold_release(char** out_json, casevault_vault* vault, const char* hold_id) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, hold_id, "hold_id is NULL")) return rc;
    return guarded([&] {
        casevault::Hold h = vault->vault.holds().release(hold_id);
        hold_out(out_json, h);
    });
}

extern "C" int casevault_hold_get(char** out_json, casevault_vault* vault, const char* hold_id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, hold_id, "hold_id is NULL")) return rc;
    return guarded([&] {
        casevault::Hold h = vault->vault.holds().get(hold_id);
        hold_out(out_json, h);
    });
}

extern "C" int casevault_hold_list(char** out_json, casevault_vault* vault, const char* subject, int include_ended) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        std::vector<casevault::Hold> holds;
        WipeGuard<std::vector<casevault::Hold>> gh(holds);
        holds = vault->vault.holds().list(subject ? subject : "", include_ended != 0);  // "" = every subject
        json j = array_json(holds, hold_json);
        *out_json = c_json(j);
    });
}

// ==== The sweep and receipts ================================================

extern "C" int casevault_retention_preview(char** out_json, casevault_vault* vault, int64_t now) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const casevault::SweepPlan p = vault->vault.retention().preview(now);
        json_out(out_json, p, plan_json);
    });
}

extern "C" int casevault_retention_sweep(char** out_json, casevault_vault* vault,
                                         const casevault_sweep_options* options) {
    if (out_json) *out_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!options) return invalid("options is NULL (use CASEVAULT_SWEEP_OPTIONS_INIT for the defaults)");
    if (!version_ok(options->version, CASEVAULT_SWEEP_OPTIONS_VERSION))
        return invalid("unsupported options version (casevault_sweep_options.version)");
    return guarded([&] {
        casevault::SweepOptions o;
        o.now = options->now;
        if (options->batch_size != 0) o.batch_size = options->batch_size;  // 0 = the default
        if (options->subjects_per_commit != 0) o.subjects_per_commit = options->subjects_per_commit;
        o.progress = to_progress(options->progress, options->progress_ctx);
        const casevault::SweepReport r = vault->vault.retention().sweep(o);
        json_out(out_json, r, report_json);
    });
}

extern "C" int casevault_retention_receipts_for(char** out_json, casevault_vault* vault, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    return guarded([&] {
        const std::vector<casevault::DeletionReceipt> v = vault->vault.retention().receipts_for(subject);
        json j = array_json(v, receipt_json);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_retention_receipts(char** out_json, casevault_vault* vault, const char* after_id,
                                            size_t limit) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::DeletionReceipt> v =
            vault->vault.retention().receipts(after_id ? after_id : "", limit != 0 ? limit : 1000);  // 0 = default
        json j = array_json(v, receipt_json);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_retention_subject_ref(char** out_ref, casevault_vault* vault, const char* subject) {
    if (out_ref) *out_ref = nullptr;
    if (!out_ref) return invalid("out_ref is NULL");
    if (const int rc = by_id_problem(vault, subject, "subject is NULL")) return rc;
    return guarded([&] { *out_ref = c_copy(vault->vault.retention().subject_ref(subject)); });
}

// ==== Backups ===============================================================

extern "C" int casevault_backup_create(char** out_json, casevault_vault* vault, const char* path,
                                       casevault_progress_fn progress, void* progress_ctx) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, path, "path is NULL")) return rc;
    return guarded([&] {
        const casevault::BackupInfo b = vault->vault.backups().create(path, to_progress(progress, progress_ctx));
        json_out(out_json, b, backup_json);
    });
}

extern "C" int casevault_backup_list(char** out_json, casevault_vault* vault, int include_removed) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::BackupInfo> v = vault->vault.backups().list(include_removed != 0);
        json j = array_json(v, backup_json);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_backup_restore(char** out_json, casevault_vault* vault, const char* path,
                                        casevault_progress_fn progress, void* progress_ctx) {
    if (out_json) *out_json = nullptr;
    if (const int rc = by_id_problem(vault, path, "path is NULL")) return rc;
    return guarded([&] {
        const casevault::RestoreReport r = vault->vault.backups().restore(path, to_progress(progress, progress_ctx));
        json_out(out_json, r, restore_json);
    });
}

// ---- names of the frozen numbers ("unknown" out of range, checked here) ---------

extern "C" const char* casevault_retention_trigger_name(int trigger) {
    if (!in_range(trigger, CASEVAULT_TRIGGER_INACTIVITY, CASEVAULT_TRIGGER_ACCOUNT_CLOSED)) return "unknown";
    return name_or_unknown(casevault::retention_trigger_name(static_cast<casevault::RetentionTrigger>(trigger)));
}

extern "C" const char* casevault_request_kind_name(int kind) {
    if (!in_range(kind, CASEVAULT_REQUEST_CANCEL, CASEVAULT_REQUEST_ERASE)) return "unknown";
    return name_or_unknown(casevault::request_kind_name(static_cast<casevault::RequestKind>(kind)));
}

extern "C" const char* casevault_request_state_name(int state) {
    if (!in_range(state, CASEVAULT_REQUEST_STATE_AWAITING_CONFIRMATION, CASEVAULT_REQUEST_STATE_WITHDRAWN))
        return "unknown";
    return name_or_unknown(casevault::request_state_name(static_cast<casevault::RequestState>(state)));
}

extern "C" const char* casevault_inbound_outcome_name(int outcome) {
    if (!in_range(outcome, CASEVAULT_INBOUND_NO_COMMAND, CASEVAULT_INBOUND_ACCEPTED)) return "unknown";
    return name_or_unknown(casevault::inbound_outcome_name(static_cast<casevault::InboundOutcome>(outcome)));
}

extern "C" const char* casevault_hold_scope_name(int scope) {
    if (!in_range(scope, CASEVAULT_HOLD_SCOPE_SUBJECT, CASEVAULT_HOLD_SCOPE_CASE_FILE)) return "unknown";
    return name_or_unknown(casevault::hold_scope_name(static_cast<casevault::HoldScope>(scope)));
}

extern "C" const char* casevault_hold_state_name(int state) {
    if (!in_range(state, CASEVAULT_HOLD_STATE_ACTIVE, CASEVAULT_HOLD_STATE_RELEASED)) return "unknown";
    return name_or_unknown(casevault::hold_state_name(static_cast<casevault::HoldState>(state)));
}

#include "retention/retention_service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "accounts/normalize.hpp"
#include "common/card_numbers.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "crypto/aead.hpp"
#include "records/record_support.hpp"
#include "retention/inbound.hpp"

namespace casevault::retention {

using json = nlohmann::json;
using policy::kDay;

namespace {

constexpr const char* kRetentionKeyMeta = "retention_key";
constexpr const char* kRetentionKeyAd = "casevault.retention_key";
constexpr const char* kDefaultErasureRule = "default_erasure";

int num(RetentionTrigger t) { return static_cast<int>(t); }

RequestState state_from(const std::string& s) {
    if (s == "awaiting_confirmation") return RequestState::awaiting_confirmation;
    if (s == "done") return RequestState::done;
    if (s == "expired") return RequestState::expired;
    if (s == "withdrawn" || s == "cancelled") return RequestState::withdrawn;
    return RequestState::pending;
}

// The policy's rules for a trigger, by `after` (shortest first).
std::vector<const policy::RetentionRule*> rules_of(const policy::Policy& p, RetentionTrigger t) {
    std::vector<const policy::RetentionRule*> out;
    for (const auto& r : p.retention.rules) {
        if (r.trigger == retention_trigger_name(t)) out.push_back(&r);
    }
    std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->after_days < b->after_days; });
    return out;
}

std::int64_t window_of(const policy::Policy& p, const std::string& kind) {
    for (const auto& a : p.retention.activity) {
        if (a.kind == kind) return a.window_days;
    }
    if (kind == "recurring_payment") {
        for (const auto& a : p.retention.activity) {
            if (a.kind == "payment" && a.includes_recurring) return a.window_days;
        }
    }
    return 0;
}

bool notifies(const policy::Policy& p, const char* kind) {
    for (const auto& n : p.notifications) {
        if (n.kind == kind) return true;
    }
    return false;
}

bool is_live(const store::AccountRow& a) { return a.status != static_cast<int>(AccountStatus::erased); }

store::AccountRow live_account(store::Store& store, const std::string& subject) {
    records::check_id(subject, "acc", "an account");
    auto a = store.account(subject);
    if (!a || !is_live(*a)) fail(Errc::not_found, "no live account with this id");
    return *a;
}

RetentionRequest decode_request(const store::ErasureRequestRow& r) {
    RetentionRequest q;
    q.id = r.id;
    q.subject = r.subject;
    q.kind = static_cast<RequestKind>(r.kind);
    q.trigger = static_cast<RetentionTrigger>(r.trigger);
    q.channel = static_cast<Channel>(r.channel);
    q.state = state_from(r.state);
    q.requested_at = r.requested_at;
    q.due_at = q.state == RequestState::awaiting_confirmation ? 0 : r.due_at;
    q.confirm_by = r.confirm_by;
    q.done_at = r.done_at;
    return q;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

}  // namespace

// ---- keys --------------------------------------------------------------------

std::optional<crypto::SecretBytes> RetentionService::existing_retention_key() {
    const auto hex = store_.meta(kRetentionKeyMeta);
    if (!hex) return std::nullopt;
    store::Bytes wrapped;
    if (!crypto::from_hex(*hex, wrapped)) fail(Errc::corrupt, "the retention key is damaged");
    auto key = crypto::unwrap_key(kek_, wrapped, kRetentionKeyAd);
    if (!key) fail(Errc::corrupt, "the retention key does not unwrap");
    return key;
}

crypto::SecretBytes RetentionService::retention_key() {
    if (auto key = existing_retention_key()) return std::move(*key);
    crypto::SecretBytes key = crypto::random_key();
    const auto wrapped = crypto::wrap_key(kek_, key, kRetentionKeyAd);
    store_.set_meta(kRetentionKeyMeta, crypto::to_hex(wrapped.data(), wrapped.size()));
    return key;
}

void RetentionService::rewrap_retention_key(store::Store& store, const crypto::SecretBytes& old_kek,
                                            const crypto::SecretBytes& new_kek) {
    const auto hex = store.meta(kRetentionKeyMeta);
    if (!hex) return;
    store::Bytes wrapped;
    if (!crypto::from_hex(*hex, wrapped)) fail(Errc::corrupt, "the retention key is damaged");
    auto key = crypto::unwrap_key(old_kek, wrapped, kRetentionKeyAd);
    if (!key) fail(Errc::corrupt, "the retention key does not unwrap");
    const auto rewrapped = crypto::wrap_key(new_kek, *key, kRetentionKeyAd);
    store.set_meta(kRetentionKeyMeta, crypto::to_hex(rewrapped.data(), rewrapped.size()));
}

std::string RetentionService::subject_ref(const std::string& subject) {
    return subject_ref_with(retention_key(), subject);
}

std::string RetentionService::subject_ref_with(const crypto::SecretBytes& key, const std::string& subject) {
    // Keyed by the retention key, which a rekey rewraps but keeps, so a
    // receipt still answers to its subject after a rekey.
    const std::string msg = "receipts.subject|" + subject;
    unsigned char out[16];
    crypto::keyed_hash(out, sizeof out, key.data(), key.size(), reinterpret_cast<const unsigned char*>(msg.data()),
                       msg.size());
    return crypto::to_hex(out, sizeof out);
}

namespace {
store::Bytes code_digest(const crypto::SecretBytes& key, const std::string& normalized) {
    const std::string msg = "requests.code|" + normalized;
    store::Bytes out(32);
    crypto::keyed_hash(out.data(), out.size(), key.data(), key.size(),
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
    return out;
}
}  // namespace

std::shared_ptr<const policy::Policy> RetentionService::require_policy() {
    auto p = consents_.policy();
    if (!p) fail(Errc::invalid_argument, "no policy has been published: the retention rules come from it");
    return p;
}

// ---- schedule ----------------------------------------------------------------

std::int64_t RetentionService::active_until(const std::string& subject, const policy::Policy& p) {
    std::int64_t longest = 0;
    for (const auto& a : p.retention.activity) longest = std::max(longest, a.window_days);
    if (longest == 0) return 0;
    std::int64_t until = 0;
    if (auto a = store_.account(subject)) until = a->created_at + longest * kDay;
    for (const auto& [kind, at] : store_.activity(subject)) {
        const std::int64_t w = window_of(p, kind);
        if (w > 0) until = std::max(until, at + w * kDay);
    }
    return until;
}

void RetentionService::schedule(const std::string& subject, RetentionTrigger t, std::int64_t since,
                                bool keep_existing) {
    auto p = consents_.policy();
    if (!p) return;
    const auto rules = rules_of(*p, t);
    if (rules.empty() && t != RetentionTrigger::deletion_request) return;
    if (keep_existing && store_.due(subject, num(t))) return;
    const std::int64_t after = rules.empty() ? 0 : rules.front()->after_days;
    store_.put_due(store::DueRow{subject, num(t), since, -1, since + after * kDay});
}

void RetentionService::schedule_inactivity(const std::string& subject) {
    auto p = consents_.policy();
    if (!p) return;
    const auto rules = rules_of(*p, RetentionTrigger::inactivity);
    if (rules.empty()) return;
    const std::int64_t since = active_until(subject, *p);
    if (since == 0) return;
    const auto existing = store_.due(subject, num(RetentionTrigger::inactivity));
    if (existing && existing->since == since) return;
    // New activity: the inactivity rules start over from the new deadline.
    store_.put_due(store::DueRow{subject, num(RetentionTrigger::inactivity), since, -1,
                                 since + rules.front()->after_days * kDay});
}

void RetentionService::touch(const std::string& subject, const std::string& kind, std::int64_t at) {
    store_.touch_activity(subject, kind, at);
    schedule_inactivity(subject);
}

void RetentionService::account_created(const std::string& subject, std::int64_t) { schedule_inactivity(subject); }

void RetentionService::status_changed(const accounts::Context& ctx, const std::string& subject, AccountStatus to) {
    if (to == AccountStatus::cancelled) {
        schedule(subject, RetentionTrigger::cancellation, ctx.now, true);
    } else if (to == AccountStatus::closed) {
        schedule(subject, RetentionTrigger::account_closed, ctx.now, true);
    } else if (to == AccountStatus::active) {
        // Back in service: what cancelling, closing or declining started stops.
        // A deletion request stands.
        for (auto t : {RetentionTrigger::cancellation, RetentionTrigger::account_closed,
                       RetentionTrigger::reconsent_declined}) {
            if (store_.due(subject, num(t))) {
                store_.delete_due(subject, num(t));
                log_.append(ctx.now, ctx.actor, "retention.withdraw", subject, subject, "ok",
                            retention_trigger_name(t));
            }
            store_.set_request_states(subject, num(t), "pending", "withdrawn", ctx.now);
        }
    }
}

void RetentionService::refuse_if_held(const accounts::Context& ctx, const std::string& subject) {
    for (const auto& h : store_.holds(subject)) {
        if (hold_live(h, ctx.now)) {
            fail(Errc::invalid_argument, "a legal hold (" + h.id + ") preserves this account's data; release it first");
        }
    }
}

void RetentionService::refuse_if_preserved(const accounts::Context& ctx, const std::string& subject,
                                           const std::string& case_id) {
    for (const auto& h : store_.holds(subject)) {
        if (!hold_live(h, ctx.now)) continue;
        const bool covers = h.scope == static_cast<int>(HoldScope::subject) || (!case_id.empty() && h.target == case_id);
        if (covers) {
            fail(Errc::invalid_argument,
                 "a legal hold (" + h.id + ") preserves this record as it is; correct it once the hold ends");
        }
    }
}

void RetentionService::erased_directly(const accounts::Context& ctx, const std::string& subject) {
    // Nothing is left to cancel or delete: the subject's requests are settled.
    store_.set_request_states(subject, -1, "pending", "done", ctx.now);
    store_.set_request_states(subject, -1, "awaiting_confirmation", "withdrawn", ctx.now);
    auto p = consents_.policy();
    json actions = {{"account", "delete"}};
    actions["post"] = p && p->anonymize_posts_on_erasure() ? "anonymize" : "delete";
    store_.append_ledger(store::LedgerRow{0, subject, num(RetentionTrigger::deletion_request),
                                          json{{"actions", actions}}.dump(), ctx.now});
}

// ---- activity ----------------------------------------------------------------

ActivityState RetentionService::record_activity(const accounts::Context& ctx, const std::string& subject,
                                                const std::string& kind, std::int64_t at) {
    auto p = require_policy();
    live_account(store_, subject);
    if (at == 0) at = ctx.now;
    if (at > ctx.now) fail(Errc::invalid_argument, "activity cannot be in the future");
    if (at < 0) fail(Errc::invalid_argument, "activity time must be a Unix time");
    if (window_of(*p, kind) == 0) {
        fail(Errc::invalid_argument, "not an activity kind of the active policy (retention.activity)");
    }
    touch(subject, kind, at);
    log_.append(ctx.now, ctx.actor, "activity.record", subject, subject, "ok", kind);
    return activity_state(subject, ctx.now);
}

ActivityState RetentionService::activity_state(const std::string& subject, std::int64_t now) {
    live_account(store_, subject);
    ActivityState s;
    s.subject = subject;
    auto p = consents_.policy();
    for (const auto& [kind, at] : store_.activity(subject)) s.latest.push_back(ActivityMark{kind, at});
    if (!p) return s;
    s.active_until = active_until(subject, *p);
    s.active = s.active_until > now;
    if (auto row = store_.due(subject, num(RetentionTrigger::inactivity))) s.inactivity_due_at = row->due_at;
    return s;
}

// ---- requests ----------------------------------------------------------------

RetentionRequest RetentionService::start_request(const accounts::Context& ctx, store::ErasureRequestRow& row) {
    const auto account = live_account(store_, row.subject);
    const auto kind = static_cast<RequestKind>(row.kind);
    const bool existing = row.state == "awaiting_confirmation";
    if (kind == RequestKind::cancel) {
        if (account.status == static_cast<int>(AccountStatus::active)) {
            accounts_.set_status(ctx, row.subject, AccountStatus::cancelled);
        }
        schedule(row.subject, RetentionTrigger::cancellation, ctx.now, true);
    } else {
        schedule(row.subject, RetentionTrigger::deletion_request, ctx.now, true);
    }
    const auto due = store_.due(row.subject, row.trigger);
    row.code_digest.reset();
    if (due) {
        row.state = "pending";
        row.due_at = due->due_at;
    } else {  // the policy has no rule for it: nothing more will happen
        row.state = "done";
        row.due_at = ctx.now;
        row.done_at = ctx.now;
    }
    if (existing) {
        store_.update_erasure_request(row);
    } else {
        store_.insert_erasure_request(row);
    }
    log_.append(ctx.now, ctx.actor, std::string("request.") + request_kind_name(kind), row.subject, row.id, "ok",
                channel_name(static_cast<Channel>(row.channel)));
    return decode_request(row);
}

RetentionRequest RetentionService::request(const accounts::Context& ctx, const std::string& subject, RequestKind kind,
                                           Channel channel) {
    require_policy();
    if (kind != RequestKind::cancel && kind != RequestKind::erase) fail(Errc::invalid_argument, "unknown request kind");
    live_account(store_, subject);
    for (const auto& r : store_.erasure_requests(subject)) {
        if (r.kind == static_cast<int>(kind) && r.state == "pending") return decode_request(r);
    }
    store::ErasureRequestRow row;
    row.id = new_id("era");
    row.subject = subject;
    row.kind = static_cast<int>(kind);
    const auto trigger = kind == RequestKind::cancel ? RetentionTrigger::cancellation : RetentionTrigger::deletion_request;
    row.trigger = num(trigger);
    row.reason = retention_trigger_name(trigger);
    row.channel = static_cast<int>(channel);
    row.requested_at = ctx.now;
    return start_request(ctx, row);
}

InboundResult RetentionService::inbound(const accounts::Context& ctx, const InboundMessage& m) {
    const ParsedCommand parsed = parse_command(m);
    if (m.sender.size() > 320) fail(Errc::invalid_argument, "sender is longer than 320 bytes");
    const std::int64_t at = m.at == 0 ? ctx.now : m.at;
    if (at > ctx.now) fail(Errc::invalid_argument, "an inbound message cannot be in the future");
    auto p = require_policy();
    InboundResult out;
    out.command = parsed.command;
    auto ignored = [&](InboundOutcome o, const std::string& subject) {
        out.outcome = o;
        log_.append(ctx.now, ctx.actor, "request.inbound", subject, "", "ignored", inbound_outcome_name(o));
        return out;
    };
    const auto& req = p->retention.requests;
    const char* channel = channel_name(m.channel);
    if (!req || std::find(req->channels.begin(), req->channels.end(), channel) == req->channels.end()) {
        return ignored(InboundOutcome::channel_not_accepted, "");
    }
    if (parsed.outcome != InboundOutcome::accepted) return ignored(parsed.outcome, "");

    // The sender, through the accounts' own blind indexes.
    std::optional<store::AccountRow> account;
    try {
        const bool email = m.channel == Channel::email;
        const std::string normalized = email ? accounts::normalize_email(m.sender) : accounts::normalize_phone(m.sender);
        const char* column = email ? "email" : "phone";
        account = store_.account_by_index(column, index_.digest(std::string("accounts.") + column, normalized));
    } catch (const Error& e) {
        if (e.code() != Errc::invalid_argument) throw;
    }
    if (!account || !is_live(*account)) return ignored(InboundOutcome::unknown_sender, "");
    out.subject = account->id;

    store::ErasureRequestRow row;
    row.id = new_id("era");
    row.subject = account->id;
    row.kind = static_cast<int>(*parsed.command);
    const auto trigger =
        *parsed.command == RequestKind::cancel ? RetentionTrigger::cancellation : RetentionTrigger::deletion_request;
    row.trigger = num(trigger);
    row.reason = retention_trigger_name(trigger);
    row.channel = static_cast<int>(m.channel);
    row.requested_at = at;
    if (!req->require_confirmation) {
        out.request = start_request(ctx, row);
        out.outcome = InboundOutcome::accepted;
        return out;
    }
    // A forged sender cannot confirm: the code goes to the account's own
    // contact details, which the host looks up when it delivers.
    const std::string code = new_code();
    row.code_digest = code_digest(retention_key(), *normalize_code(code));
    row.state = "awaiting_confirmation";
    row.confirm_by = ctx.now + req->confirmation_ttl_days * kDay;
    store_.insert_erasure_request(row);
    store::NotificationRow n;
    n.kind = "confirm_request";
    n.subject = row.subject;
    n.payload = json{{"request_id", row.id},
                     {"command", request_kind_name(*parsed.command)},
                     {"code", code},
                     {"channel", channel},
                     {"expires_at", row.confirm_by}}
                    .dump();
    n.created_at = n.available_at = ctx.now;
    store_.insert_notification(n);
    log_.append(ctx.now, ctx.actor, "request.inbound", row.subject, row.id, "ok",
                std::string("awaiting_confirmation:") + request_kind_name(*parsed.command));
    out.outcome = InboundOutcome::awaiting_confirmation;
    out.request = decode_request(row);
    return out;
}

RetentionRequest RetentionService::confirm(const accounts::Context& ctx, const std::string& code) {
    const auto normalized = normalize_code(code);
    if (!normalized) fail(Errc::invalid_argument, "not a confirmation code (12 characters, e.g. 7KQ2-M9XD-4PHT)");
    auto row = store_.erasure_request_by_code(code_digest(retention_key(), *normalized));
    if (!row || row->state != "awaiting_confirmation") fail(Errc::not_found, "no request is waiting for this code");
    if (ctx.now > row->confirm_by) fail(Errc::expired, "the confirmation code has expired; send the command again");
    log_.append(ctx.now, ctx.actor, "request.confirm", row->subject, row->id, "ok", "");
    return start_request(ctx, *row);
}

RetentionRequest RetentionService::get_request(const std::string& id) {
    records::check_id(id, "era", "a request");
    auto row = store_.erasure_request(id);
    if (!row) fail(Errc::not_found, "no request with this id");
    return decode_request(*row);
}

std::vector<RetentionRequest> RetentionService::list_requests(const std::string& subject) {
    if (!subject.empty()) records::check_id(subject, "acc", "an account");
    std::vector<RetentionRequest> out;
    for (const auto& r : store_.erasure_requests(subject.empty() ? std::nullopt : std::optional(subject))) {
        out.push_back(decode_request(r));
    }
    return out;
}

// ---- holds -------------------------------------------------------------------

bool RetentionService::hold_live(const store::HoldRow& h, std::int64_t now) const {
    return h.state == static_cast<int>(HoldState::continued) ||
           (h.state == static_cast<int>(HoldState::active) && h.expires_at > now);
}

store::HoldRow RetentionService::load_hold(const std::string& id) {
    records::check_id(id, "hld", "a hold");
    auto row = store_.hold(id);
    if (!row) fail(Errc::not_found, "no hold with this id");
    return *row;
}

Hold RetentionService::decode_hold(const store::HoldRow& r) {
    Hold h;
    h.id = r.id;
    h.scope = static_cast<HoldScope>(r.scope);
    h.target = r.target;
    h.subject = r.subject;
    h.authority = r.authority;
    const crypto::SecretBytes key = retention_key();
    auto open = [&](const store::Bytes& sealed, const char* column) {
        auto v = crypto::open(key, sealed, crypto::field_ad("holds", column, r.id, 0));
        if (!v) fail(Errc::corrupt, std::string("a sealed field (holds.") + column + ") failed authentication");
        return std::move(*v);
    };
    h.reference = open(r.reference, "reference");
    h.state = static_cast<HoldState>(r.state);
    h.placed_at = r.placed_at;
    h.expires_at = r.expires_at;
    h.extensions = r.extensions;
    h.process = r.process.value_or("");
    h.process_at = r.process_at;
    h.ended_at = r.ended_at;
    h.confidential = r.confidential;
    return h;
}

namespace {
const policy::Preservation& preservation_of(const policy::Policy& p) {
    if (!p.disclosures.preservation) {
        fail(Errc::invalid_argument, "the active policy accepts no preservation requests (disclosures.preservation)");
    }
    return *p.disclosures.preservation;
}

std::string reference_text(const std::string& value, const char* field) {
    std::string v = accounts::clean_text(value, field, 500, true);
    refuse_card_number(v, field);
    return v;
}
}  // namespace

Hold RetentionService::place_hold(const accounts::Context& ctx, const HoldRequest& req) {
    auto p = require_policy();
    const auto& pres = preservation_of(*p);
    if (std::find(pres.authorities.begin(), pres.authorities.end(), req.authority) == pres.authorities.end()) {
        fail(Errc::invalid_argument, "the policy does not preserve data on this authority (preservation.authorities)");
    }
    const std::string reference = reference_text(req.reference, "reference");
    store::HoldRow row;
    row.scope = static_cast<int>(req.scope);
    row.target = req.target;
    if (req.scope == HoldScope::subject) {
        row.subject = live_account(store_, req.target).id;
    } else if (req.scope == HoldScope::case_file) {
        records::check_id(req.target, "cas", "a case");
        auto c = store_.case_row(req.target);
        if (!c) fail(Errc::not_found, "no case with this id");
        row.subject = c->subject;
    } else {
        fail(Errc::invalid_argument, "unknown hold scope");
    }
    row.placed_at = req.placed_at == 0 ? ctx.now : req.placed_at;
    if (row.placed_at > ctx.now || row.placed_at < 0) fail(Errc::invalid_argument, "placed_at cannot be in the future");
    row.expires_at = row.placed_at + pres.period_days * kDay;
    if (row.expires_at <= ctx.now) fail(Errc::invalid_argument, "the preservation period has already ended");
    row.id = new_id("hld");
    row.authority = req.authority;
    row.reference = crypto::seal(retention_key(), reference, crypto::field_ad("holds", "reference", row.id, 0));
    row.state = static_cast<int>(HoldState::active);
    row.confidential = req.confidential;  // left out of the subject's export
    store_.insert_hold(row);
    log_.append(ctx.now, ctx.actor, "hold.place", row.subject, row.id, "ok",
                std::string(hold_scope_name(req.scope)) + ":" + req.authority);
    return decode_hold(row);
}

Hold RetentionService::extend_hold(const accounts::Context& ctx, const std::string& id) {
    auto p = require_policy();
    const auto& pres = preservation_of(*p);
    auto row = load_hold(id);
    if (row.state != static_cast<int>(HoldState::active) || row.expires_at <= ctx.now) {
        fail(Errc::invalid_argument, "only a hold within its period can be extended");
    }
    if (row.extensions >= pres.max_extensions) {
        fail(Errc::invalid_argument, "the policy allows no more extensions (preservation.max_extensions)");
    }
    row.extensions += 1;
    row.expires_at += pres.extension_days * kDay;
    store_.update_hold(row);
    log_.append(ctx.now, ctx.actor, "hold.extend", row.subject, row.id, "ok", std::to_string(row.extensions));
    return decode_hold(row);
}

Hold RetentionService::hold_process(const accounts::Context& ctx, const std::string& id, const std::string& process,
                                    const std::string& reference) {
    auto p = require_policy();
    const auto& pres = preservation_of(*p);
    if (std::find(pres.release_processes.begin(), pres.release_processes.end(), process) ==
        pres.release_processes.end()) {
        fail(Errc::invalid_argument, "not one of the policy's release processes (preservation.release_processes)");
    }
    const std::string text = reference_text(reference, "reference");
    auto row = load_hold(id);
    if (row.state != static_cast<int>(HoldState::active) || row.expires_at <= ctx.now) {
        fail(Errc::invalid_argument, "the process must arrive while the hold is within its period");
    }
    row.state = static_cast<int>(HoldState::continued);
    row.process = process;
    row.process_reference = crypto::seal(retention_key(), text, crypto::field_ad("holds", "process_reference", row.id, 0));
    row.process_at = ctx.now;
    store_.update_hold(row);
    log_.append(ctx.now, ctx.actor, "hold.process", row.subject, row.id, "ok", process);
    return decode_hold(row);
}

Hold RetentionService::release_hold(const accounts::Context& ctx, const std::string& id) {
    auto row = load_hold(id);
    if (!hold_live(row, ctx.now)) fail(Errc::invalid_argument, "the hold has ended already");
    row.state = static_cast<int>(HoldState::released);
    row.ended_at = ctx.now;
    store_.update_hold(row);
    log_.append(ctx.now, ctx.actor, "hold.release", row.subject, row.id, "ok", "");
    return decode_hold(row);
}

Hold RetentionService::get_hold(const std::string& id) { return decode_hold(load_hold(id)); }

std::vector<Hold> RetentionService::list_holds(const std::string& subject, bool include_ended) {
    if (!subject.empty()) records::check_id(subject, "acc", "an account");
    std::vector<Hold> out;
    for (const auto& r : store_.holds(subject.empty() ? std::nullopt : std::optional(subject))) {
        const bool ended = r.state == static_cast<int>(HoldState::expired) ||
                           r.state == static_cast<int>(HoldState::released);
        if (!ended || include_ended) out.push_back(decode_hold(r));
    }
    return out;
}

// ---- the sweep ---------------------------------------------------------------

std::pair<std::int64_t, std::int64_t> RetentionService::expire(const accounts::Context& ctx, std::int64_t now) {
    std::int64_t holds = 0, requests = 0;
    for (auto row : store_.holds_expiring(static_cast<int>(HoldState::active), now)) {
        row.state = static_cast<int>(HoldState::expired);
        row.ended_at = row.expires_at;
        store_.update_hold(row);
        log_.append(ctx.now, ctx.actor, "hold.expire", row.subject, row.id, "ok", "no_process");
        ++holds;
    }
    for (auto row : store_.unconfirmed_requests(now, 10000)) {
        row.state = "expired";
        row.code_digest.reset();
        row.done_at = now;
        store_.update_erasure_request(row);
        log_.append(ctx.now, ctx.actor, "request.expire", row.subject, row.id, "ok", "unconfirmed");
        ++requests;
    }
    return {holds, requests};
}

RetentionService::Step RetentionService::step_for(const std::vector<const policy::RetentionRule*>& rules,
                                                  const policy::Policy& p) const {
    Step s;
    for (const auto* r : rules) {
        s.rules.push_back(r->id);
        for (const auto& rec : p.rule_records(*r)) s.actions[rec] = r->action;
        if (r->action == "minimize") s.keep = r->keep_fields;
    }
    if (s.deletes_account() && !s.actions.count("post")) {
        s.actions["post"] = p.anonymize_posts_on_erasure() ? "anonymize" : "delete";
    }
    return s;
}

std::map<std::string, std::int64_t> RetentionService::count(const std::string& subject, const Step& step,
                                                             const std::set<std::string>& held_cases) {
    std::map<std::string, std::int64_t> n;
    const bool all = step.deletes_account();
    auto wanted = [&](const char* kind) { return all || step.actions.count(kind) > 0; };
    const auto c = store_.count_subject_records(subject);
    if (all) n["account"] = 1;
    if (wanted("case")) {
        std::int64_t held = 0;
        if (!held_cases.empty()) {
            for (const auto& row : store_.cases_of(subject)) held += held_cases.count(row.id) ? 1 : 0;
        }
        n["case"] = c.cases - held;
    }
    if (wanted("correspondence")) n["correspondence"] = c.messages;
    if (wanted("survey")) n["survey"] = c.surveys;
    if (wanted("billing")) n["billing"] = c.payments;
    if (wanted("post")) n["post"] = c.posts;
    if (all) n["consent"] = c.consents;
    return n;
}

std::map<std::string, std::int64_t> RetentionService::apply(const accounts::Context& ctx, const std::string& subject,
                                                            const Step& step, const std::set<std::string>& held_cases,
                                                            std::vector<std::string>& deleted_cases) {
    auto n = count(subject, step, held_cases);
    auto action = [&](const char* kind) {
        auto it = step.actions.find(kind);
        return it == step.actions.end() ? std::string() : it->second;
    };
    if (step.deletes_account()) {
        // Minimised copies first: they are resealed under the retention
        // key before the subject's key is shredded with the account.
        if (action("billing") == "minimize") billing_.minimize(subject, step.keep, ctx.now);
        accounts_.erase(ctx, subject,
                        action("post") == "anonymize" ? store::PostsOnErasure::anonymize : store::PostsOnErasure::remove);
        return n;
    }
    if (action("case") == "delete") {
        for (const auto& c : store_.cases_of(subject)) {
            if (held_cases.count(c.id)) continue;
            store_.delete_case(c.id);
            deleted_cases.push_back(c.id);
        }
    }
    // Messages about a held case stay with it.
    const std::vector<std::string> keep(held_cases.begin(), held_cases.end());
    if (action("correspondence") == "delete") n["correspondence"] = store_.delete_messages_of(subject, false, keep);
    if (action("survey") == "delete") n["survey"] = store_.delete_messages_of(subject, true, keep);
    if (action("billing") == "minimize") {
        billing_.minimize(subject, step.keep, ctx.now);
    } else if (action("billing") == "delete") {
        for (const auto& p : store_.payments(subject)) {
            if (!p.minimized_at) store_.delete_payment(p.id);
        }
    }
    if (action("post") == "anonymize") store_.anonymize_posts_of(subject);
    if (action("post") == "delete") store_.delete_posts_of(subject);
    return n;
}

void RetentionService::process_subject(const accounts::Context& ctx, const std::string& subject, std::int64_t now,
                                       bool do_it, SweepPlan* plan, SweepReport* report, int only_trigger) {
    auto p = require_policy();
    std::vector<store::DueRow> rows;
    for (const auto& r : store_.due_of(subject)) {
        if (r.due_at <= now && r.trigger == only_trigger) rows.push_back(r);
    }
    if (rows.empty()) return;
    const auto account = store_.account(subject);
    if (!account || !is_live(*account)) {  // erased some other way: nothing left to do
        if (do_it) {
            for (const auto& r : rows) store_.delete_due(subject, r.trigger);
        }
        return;
    }
    const store::HoldRow* subject_hold = nullptr;
    const store::HoldRow* case_hold = nullptr;
    const auto holds = store_.holds(subject);
    std::set<std::string> held_cases;
    for (const auto& h : holds) {
        // A sweep told to act as of a later time must not end a hold early:
        // holds are judged at the real clock when that is earlier.
        if (!hold_live(h, std::min(now, ctx.now))) continue;
        if (h.scope == static_cast<int>(HoldScope::subject)) {
            if (!subject_hold) subject_hold = &h;
        } else {
            held_cases.insert(h.target);
            if (!case_hold) case_hold = &h;
        }
    }
    bool did = false;
    for (auto& row : rows) {
        const auto trigger = static_cast<RetentionTrigger>(row.trigger);
        const auto rules = rules_of(*p, trigger);
        std::vector<const policy::RetentionRule*> acting, remaining;
        for (const auto* r : rules) {
            if (r->after_days <= row.done_after) continue;
            (row.since + r->after_days * kDay <= now ? acting : remaining).push_back(r);
        }
        Step step;
        if (!acting.empty()) {
            step = step_for(acting, *p);
        } else if (rules.empty() && row.done_after < 0 &&
                   (trigger == RetentionTrigger::deletion_request || trigger == RetentionTrigger::reconsent_declined)) {
            // A deletion request (or a declined policy that ends the account)
            // is honoured even when the policy names no rule for it.
            step.rules = {kDefaultErasureRule};
            step.actions["account"] = "delete";
            step.actions["post"] = p->anonymize_posts_on_erasure() ? "anonymize" : "delete";
        } else {
            // Nothing due under the current rules (the policy changed): move on.
            if (do_it) {
                if (remaining.empty()) {
                    store_.delete_due(subject, row.trigger);
                    store_.set_request_states(subject, row.trigger, "pending", "done", now);
                } else {
                    row.due_at = row.since + remaining.front()->after_days * kDay;
                    store_.put_due(row);
                }
            }
            continue;
        }
        const bool whole = step.deletes_account();
        const store::HoldRow* blocking = subject_hold ? subject_hold : (whole ? case_hold : nullptr);
        if (blocking) {
            HeldBack hb{subject, trigger, blocking->id, subject_hold ? "held:subject" : "held:case"};
            if (plan) plan->held.push_back(hb);
            if (report) report->held.push_back(hb);
            continue;
        }
        if (!do_it) {
            PlannedDeletion d;
            d.subject = subject;
            d.trigger = trigger;
            d.rules = step.rules;
            d.due_at = row.due_at;
            d.counts = count(subject, step, held_cases);
            d.actions = step.actions;
            if (whole) {
                for (const auto& [kind, _] : d.counts) d.actions.emplace(kind, "delete");
            }
            if (plan) {
                plan->deletions.push_back(std::move(d));
                if (!whole && step.actions.count("case") && case_hold) {
                    plan->held.push_back(HeldBack{subject, trigger, case_hold->id, "held:case"});
                }
            }
            if (whole) break;
            continue;
        }
        std::vector<std::string> deleted_cases;
        const auto counts = apply(ctx, subject, step, held_cases, deleted_cases);
        const bool case_skipped = !whole && step.actions.count("case") && !held_cases.empty() &&
                                  !store_.cases_of(subject).empty();
        if (case_skipped && case_hold && report) {
            report->held.push_back(HeldBack{subject, trigger, case_hold->id, "held:case"});
        }
        std::int64_t total = 0;
        for (const auto& [_, c] : counts) total += c;
        if (total > 0 || whole) {
            store::ReceiptRow receipt;
            receipt.id = new_id("rcp");
            receipt.subject_ref = subject_ref(subject);
            receipt.trigger = row.trigger;
            receipt.rules = json(step.rules).dump();
            receipt.counts = json(counts).dump();
            receipt.at = now;
            store_.insert_receipt(receipt);
            json ledger = {{"actions", step.actions}};
            if (!step.keep.empty()) ledger["keep"] = step.keep;
            if (!whole) ledger["cases"] = deleted_cases;
            store_.append_ledger(store::LedgerRow{0, subject, row.trigger, ledger.dump(), now});
            log_.append(ctx.now, ctx.actor, "retention.delete", subject, receipt.id, "ok",
                        std::string(retention_trigger_name(trigger)) + ":" + join(step.rules));
            if (notifies(*p, "deletion_completed") || notifies(*p, "deletion_confirmation")) {
                store::NotificationRow n;
                n.kind = "deletion_completed";
                n.subject = subject;
                n.payload = json{{"receipt_id", receipt.id},
                                 {"subject_ref", receipt.subject_ref},
                                 {"trigger", retention_trigger_name(trigger)},
                                 {"rules", step.rules},
                                 {"counts", counts}}
                                .dump();
                n.created_at = n.available_at = ctx.now;
                store_.insert_notification(n);
            }
            if (report) {
                report->receipts.push_back(receipt.id);
                for (const auto& [kind, c] : counts) report->counts[kind] += c;
            }
        }
        did = true;
        if (whole) {
            store_.set_request_states(subject, -1, "pending", "done", now);
            store_.set_request_states(subject, -1, "awaiting_confirmation", "withdrawn", now);
            break;  // the schedule went with the account
        }
        if (case_skipped) continue;  // acts again once the case hold ends
        for (const auto* r : acting) row.done_after = std::max(row.done_after, r->after_days);
        if (step.rules.size() == 1 && step.rules.front() == kDefaultErasureRule) row.done_after = 0;
        if (remaining.empty()) {
            store_.delete_due(subject, row.trigger);
            store_.set_request_states(subject, row.trigger, "pending", "done", now);
        } else {
            row.due_at = row.since + remaining.front()->after_days * kDay;
            store_.put_due(row);
        }
    }
    if (did && report) report->subjects += 1;
}

std::vector<store::BackupRow> RetentionService::expired_backups(std::int64_t now) {
    auto p = consents_.policy();
    std::vector<store::BackupRow> out;
    if (!p || !p->retention.backups_and_logs_max_days) return out;
    const std::int64_t cutoff = now - *p->retention.backups_and_logs_max_days * kDay;
    for (const auto& b : store_.backups(false)) {
        if (b.taken_at <= cutoff) out.push_back(b);
    }
    return out;
}

void RetentionService::remove_backup(const accounts::Context& ctx, store::BackupRow row, std::int64_t now) {
    if (std::remove(row.path.c_str()) != 0 && errno != ENOENT) {
        fail(Errc::io, "cannot remove an expired backup file (" + std::string(std::strerror(errno)) + ")");
    }
    row.removed_at = now;
    store_.update_backup(row);
    log_.append(ctx.now, ctx.actor, "backup.remove", "", row.id, "ok", "past_backup_window");
}

namespace {
DeletionReceipt decode_receipt(const store::ReceiptRow& r) {
    DeletionReceipt d;
    d.id = r.id;
    d.subject_ref = r.subject_ref;
    d.trigger = static_cast<RetentionTrigger>(r.trigger);
    d.rules = json::parse(r.rules).get<std::vector<std::string>>();
    d.counts = json::parse(r.counts).get<std::map<std::string, std::int64_t>>();
    d.at = r.at;
    return d;
}
}  // namespace

std::vector<DeletionReceipt> RetentionService::receipts_for(const std::string& subject) {
    records::check_id(subject, "acc", "an account");
    std::vector<DeletionReceipt> out;
    const auto key = existing_retention_key();
    if (!key) return out;  // nothing was ever deleted (and this may be a read)
    for (const auto& r : store_.receipts_by_ref(subject_ref_with(*key, subject))) out.push_back(decode_receipt(r));
    return out;
}

std::vector<DeletionReceipt> RetentionService::receipts(const std::string& after_id, std::size_t limit) {
    if (limit == 0 || limit > 10000) fail(Errc::invalid_argument, "limit must be in 1..10000");
    if (!after_id.empty()) records::check_id(after_id, "rcp", "a receipt");
    std::vector<DeletionReceipt> out;
    for (const auto& r : store_.receipts_after(after_id, limit)) out.push_back(decode_receipt(r));
    return out;
}

std::int64_t RetentionService::replay(const accounts::Context& ctx, const store::LedgerRow& entry) {
    const auto account = store_.account(entry.subject);
    if (!account || !is_live(*account)) return 0;
    const json j = json::parse(entry.actions);
    Step step;
    step.actions = j.at("actions").get<std::map<std::string, std::string>>();
    if (j.contains("keep")) step.keep = j.at("keep").get<std::vector<std::string>>();
    std::vector<std::string> ignored;
    if (!step.deletes_account() && j.contains("cases")) {
        // Only the cases that were deleted then: others came later.
        step.actions.erase("case");
        for (const auto& id : j.at("cases")) {
            auto c = store_.case_row(id.get<std::string>());
            if (c && c->subject == entry.subject) store_.delete_case(c->id);
        }
    }
    apply(ctx, entry.subject, step, {}, ignored);
    log_.append(ctx.now, ctx.actor, "retention.replay", entry.subject, "ledger:" + std::to_string(entry.seq), "ok",
                retention_trigger_name(static_cast<RetentionTrigger>(entry.trigger)));
    return 1;
}

void RetentionService::restore_schedule() {
    for (const auto& r : store_.erasure_requests(std::nullopt)) {
        if (r.state == "pending") schedule(r.subject, static_cast<RetentionTrigger>(r.trigger), r.requested_at, true);
    }
    reschedule_all(0);
}

void RetentionService::ensure_schedule() {
    if (store_.meta("retention_scheduled")) return;
    reschedule_all(0);
    store_.set_meta("retention_scheduled", "1");
}

void RetentionService::reschedule_all(std::int64_t now) {
    (void)now;
    auto p = consents_.policy();
    if (!p) return;
    // Accounts without an inactivity row get one when the policy now has
    // inactivity rules (schedule_inactivity is a no-op otherwise).
    if (!rules_of(*p, RetentionTrigger::inactivity).empty()) {
        std::string after;
        for (;;) {
            auto page = store_.accounts_after(after, 1000, std::nullopt);
            if (page.empty()) break;
            for (const auto& a : page) {
                if (is_live(a)) schedule_inactivity(a.id);
            }
            after = page.back().id;
        }
    }
    // Accounts cancelled or closed before the rules for it existed.
    {
        std::string after;
        for (;;) {
            auto page = store_.accounts_after(after, 1000, std::nullopt);
            if (page.empty()) break;
            for (const auto& a : page) {
                if (a.status == static_cast<int>(AccountStatus::cancelled)) {
                    schedule(a.id, RetentionTrigger::cancellation, a.updated_at, true);
                } else if (a.status == static_cast<int>(AccountStatus::closed)) {
                    schedule(a.id, RetentionTrigger::account_closed, a.updated_at, true);
                }
            }
            after = page.back().id;
        }
    }
    std::string subject;
    int trigger = 0;
    for (;;) {
        auto page = store_.due_rows_after(subject, trigger, 1000);
        if (page.empty()) break;
        for (auto row : page) {
            const auto t = static_cast<RetentionTrigger>(row.trigger);
            const auto rules = rules_of(*p, t);
            const policy::RetentionRule* next = nullptr;
            for (const auto* r : rules) {
                if (r->after_days > row.done_after) {
                    next = r;
                    break;
                }
            }
            if (next) {
                row.due_at = row.since + next->after_days * kDay;
                store_.put_due(row);
            } else if (!(rules.empty() && row.done_after < 0 &&
                         (t == RetentionTrigger::deletion_request || t == RetentionTrigger::reconsent_declined))) {
                store_.delete_due(row.subject, row.trigger);
            }
        }
        subject = page.back().subject;
        trigger = page.back().trigger;
    }
}

}  // namespace casevault::retention

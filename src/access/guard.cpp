#include "access/guard.hpp"

#include <algorithm>

#include "casevault/accounts.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace casevault::access {

namespace {

std::string denial_message(const std::string& rule, Role role, Action action, RecordKind kind) {
    std::string m = "access denied (" + rule + "): ";
    if (rule == "unknown_actor") return m + "the actor is not a registered principal or a live account";
    if (rule == "actor_disabled") return m + "the principal is disabled";
    if (rule == "no_policy") return m + "no privacy policy has been published";
    m += std::string("role ") + role_name(role) + " may not " + action_name(action) + " this " +
         record_kind_name(kind) + " record";
    if (rule == "not_owner") return m + ": it is not the actor's own";
    if (rule == "not_assigned") return m + ": the actor is not assigned to its case";
    if (rule == "no_support_grant") return m + ": the subject has not granted support access (or it expired)";
    if (rule == "needs_legal_process") return m + ": only under recorded legal process";
    if (rule == "not_public") return m + ": it is not public content";
    if (rule == "role_not_in_policy") return m + ": the active policy has no such role";
    return m + ": no grant of the active policy covers it";
}

// Only well-formed ids go into the audit log: anything else is caller text.
std::string loggable(const std::string& actor_id) {
    return is_valid_id(actor_id, "prn") || is_valid_id(actor_id, "acc") ? actor_id : "unknown";
}

}  // namespace

std::string Guard::target_name(RecordKind kind, const std::string& id) {
    return std::string(record_kind_name(kind)) + ":" + id;
}

void Guard::check_fresh() {
    // Not inside a transaction: its snapshot may predate a commit the hint
    // already shows (see ConsentService::check_fresh). VaultCore refreshes
    // before it opens one.
    if (store_.in_transaction()) return;
    const std::int64_t hint = store_.change_hint();
    if (hint == change_hint_) return;
    change_hint_ = hint;
    const std::int64_t v = store_.data_version();
    if (v != data_version_) {
        data_version_ = v;
        forget_all();
    }
}

void Guard::forget_all() {
    actors_.clear();
    assignments_.clear();
    assignments_cached_ = 0;
    targets_.clear();
}

void Guard::forget_assignments_of(const std::string& case_id) { assignments_.erase(case_id); }

Actor Guard::actor(const std::string& actor_id, const std::string& attempt, const std::string& subject) {
    if (actor_id.empty()) fail(Errc::invalid_argument, "an actor is required");
    auto it = actors_.find(actor_id);
    if (it == actors_.end()) {
        CachedActor c;
        c.actor.id = actor_id;
        if (is_valid_id(actor_id, "acc")) {
            const auto row = snapshot([&] { return store_.account(actor_id); });
            if (!row || row->status == static_cast<int>(AccountStatus::erased)) {
                c.refusal = "unknown_actor";
            } else {
                c.actor.role = Role::subject;
            }
        } else if (is_valid_id(actor_id, "prn")) {
            const auto row = snapshot([&] { return store_.principal(actor_id); });
            if (!row) {
                c.refusal = "unknown_actor";
            } else {
                c.actor.role = static_cast<Role>(row->role);
                if (!row->active) c.refusal = "actor_disabled";
            }
        } else {
            c.refusal = "unknown_actor";
        }
        // Unknown ids are not cached: a caller could fill the cache with them.
        if (c.refusal == "unknown_actor") {
            throw Denied(c.refusal, denial_message(c.refusal, c.actor.role, Action::read, RecordKind::account),
                         loggable(actor_id), subject, attempt);
        }
        if (actors_.size() >= kMaxCached) actors_.clear();
        it = actors_.emplace(actor_id, std::move(c)).first;
    }
    if (!it->second.refusal.empty()) {
        throw Denied(it->second.refusal, denial_message(it->second.refusal, it->second.actor.role, Action::read,
                                                        RecordKind::account),
                     actor_id, subject, attempt);
    }
    return it->second.actor;
}

Verdict Guard::decide(std::int64_t now, const Actor& actor, Action action, const Target& target) {
    const auto policy = consents_.policy();
    if (!policy) return {false, "no_policy"};
    now_ = now;
    return access::can(*policy, actor.role, actor.id, action, target, *this);
}

void Guard::require(std::int64_t now, const Actor& actor, Action action, const Target& target,
                    const std::string& record) {
    const Verdict v = decide(now, actor, action, target);
    if (v.allowed) return;
    throw Denied(v.rule, denial_message(v.rule, actor.role, action, target.kind), actor.id, target.subject,
                 std::string(action_name(action)) + " " + record);
}

bool Guard::grants_assigned(const Actor& actor, Action action, RecordKind kind) {
    const auto policy = consents_.policy();
    if (!policy) return false;
    const policy::Role* r = policy->role(role_name(actor.role));
    if (!r) return false;
    for (const auto& g : r->grants) {
        if (g.scope != "assigned") continue;
        const bool acts = std::find(g.actions.begin(), g.actions.end(), action_name(action)) != g.actions.end();
        const bool on = std::find(g.records.begin(), g.records.end(), record_kind_name(kind)) != g.records.end();
        if (acts && on) return true;
    }
    return false;
}

bool Guard::assigned(const std::string& actor_id, const std::string& case_id) {
    auto& of_case = assignments_[case_id];
    auto it = of_case.find(actor_id);
    if (it != of_case.end()) return it->second;
    const bool yes = snapshot([&] { return store_.assigned(case_id, actor_id); });
    if (assignments_cached_ >= kMaxCached) {
        assignments_.clear();
        assignments_cached_ = 0;
        assignments_[case_id][actor_id] = yes;
    } else {
        of_case.emplace(actor_id, yes);
    }
    ++assignments_cached_;
    return yes;
}

Decision Guard::consent(const std::string& subject, const std::string& purpose, const std::string& scope) {
    return consents_.decide(now_, subject, purpose, scope);
}

Target Guard::target(const RecordRef& ref) {
    auto it = targets_.find(ref.id);
    if (it != targets_.end() && it->second.kind == ref.kind) return it->second;
    Target t;
    t.kind = ref.kind;
    auto bad_id = [] { fail(Errc::invalid_argument, "the record id does not have the form of its kind's ids"); };
    switch (ref.kind) {
        case RecordKind::account:
        case RecordKind::consent:
        case RecordKind::audit: {
            // These belong to the account whose id they are given by.
            if (!is_valid_id(ref.id, "acc")) bad_id();
            const auto row = snapshot([&] { return store_.account(ref.id); });
            if (!row) fail(Errc::not_found, "no account with this id");
            t.subject = ref.id;
            return t;  // cheap enough, and account state changes: not cached
        }
        case RecordKind::case_: {
            if (!is_valid_id(ref.id, "cas")) bad_id();
            const auto row = snapshot([&] { return store_.case_row(ref.id); });
            if (!row) fail(Errc::not_found, "no case with this id");
            t.subject = row->subject;
            t.case_id = row->id;
            break;
        }
        case RecordKind::correspondence: {
            if (!is_valid_id(ref.id, "msg")) bad_id();
            const auto row = snapshot([&] { return store_.message(ref.id); });
            if (!row) fail(Errc::not_found, "no message with this id");
            t.subject = row->subject;
            t.case_id = row->case_id.value_or("");
            break;
        }
        case RecordKind::billing: {
            if (!is_valid_id(ref.id, "pay")) bad_id();
            const auto row = snapshot([&] { return store_.payment(ref.id); });
            if (!row) fail(Errc::not_found, "no payment with this id");
            t.subject = row->subject;
            break;
        }
        case RecordKind::post: {
            if (!is_valid_id(ref.id, "pst")) bad_id();
            const auto row = snapshot([&] { return store_.post(ref.id); });
            if (!row) fail(Errc::not_found, "no post with this id");
            t.subject = row->author.value_or("");
            t.public_content = true;
            break;
        }
    }
    if (targets_.size() >= kMaxCached) targets_.clear();
    targets_[ref.id] = t;
    return t;
}

Verdict Guard::can(std::int64_t now, const std::string& actor_id, Action action, const RecordRef& ref,
                   std::string& log_actor, Target& resolved) {
    // The actor first: an unknown actor is refused whatever the record.
    Verdict v;
    try {
        const Actor a = actor(actor_id);
        resolved = target(ref);
        v = decide(now, a, action, resolved);
    } catch (const Denied& d) {
        v = {false, d.rule()};
    }
    if (!v.allowed) log_actor = loggable(actor_id);
    return v;
}

}  // namespace casevault::access

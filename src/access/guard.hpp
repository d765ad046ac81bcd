// The Guard enforces access::can() for the record modules and Vault::can():
// it resolves the acting principal, finds whose record is being touched,
// answers the policy's questions (assignments, support consents) and throws
// Denied when the answer is no. Facts it has read are cached; the caches are
// dropped when another connection writes (the same wal-index hint the
// consent cache uses: VaultCore calls refresh() before each call that asks
// the Guard) and by the writes of this one that change them.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "access/access.hpp"
#include "consent/consent_service.hpp"
#include "store/store.hpp"

namespace casevault::access {

struct Actor {
    std::string id;
    Role role = Role::subject;
};

// A denial on its way out of a VaultCore call: besides the public rule, what
// the audit entry needs. VaultCore writes that entry after the rollback.
class Denied : public AccessDenied {
public:
    Denied(const std::string& rule, const std::string& message, std::string actor_for_log,
           std::string subject_id, std::string target_name)
        : AccessDenied(rule, message),
          log_actor(std::move(actor_for_log)),
          subject(std::move(subject_id)),
          target(std::move(target_name)) {}
    std::string log_actor;  // the actor id, or "unknown" when it is not a well-formed id
    std::string subject, target;
    // Set when the caller must not learn that a record exists (a lookup by
    // a value such as a sender address): it gets this error instead of
    // AccessDenied, and the denial is audited all the same.
    std::optional<Error> shown_as;
};

class Guard final : public Facts {
public:
    Guard(store::Store& store, consent::ConsentService& consents) : store_(store), consents_(consents) {}

    // The principal behind an actor id: a registered principal, or a live
    // account acting as itself. Throws Denied (unknown_actor, actor_disabled)
    // and invalid_argument for an empty id. attempt ("read case:cas_...") and
    // subject, when known, go into the denial's audit entry.
    Actor actor(const std::string& actor_id, const std::string& attempt = "", const std::string& subject = "");

    // Decides without throwing (the actor is resolved already).
    Verdict decide(std::int64_t now, const Actor& actor, Action action, const Target& target);
    // Decides and throws Denied on a denial; record names it in the audit
    // entry ("case:cas_...").
    void require(std::int64_t now, const Actor& actor, Action action, const Target& target,
                 const std::string& record);

    // Whether the actor's role holds an "assigned" grant of action on kind
    // (a team member who may open a case for a client).
    bool grants_assigned(const Actor& actor, Action action, RecordKind kind);

    // Whose record is this? Throws not_found / invalid_argument.
    Target target(const RecordRef& ref);
    // The public can(): resolution failures of the actor are denials.
    Verdict can(std::int64_t now, const std::string& actor_id, Action action, const RecordRef& ref,
                std::string& log_actor, Target& resolved);

    // Facts for access::can().
    bool assigned(const std::string& actor_id, const std::string& case_id) override;
    Decision consent(const std::string& subject, const std::string& purpose, const std::string& scope) override;

    // Drops what another connection's commits made stale; VaultCore calls it
    // before each transaction.
    void refresh() { check_fresh(); }

    // Cache upkeep after this connection's own writes.
    void forget_actor(const std::string& id) { actors_.erase(id); }
    void forget_assignments_of(const std::string& case_id);
    void forget_records() { targets_.clear(); }
    void forget_all();

    // The record's audit target string, e.g. "case:cas_...".
    static std::string target_name(RecordKind kind, const std::string& id);

private:
    void check_fresh();
    template <class F>
    auto snapshot(F f) -> decltype(f()) {
        return store::in_snapshot(store_, f);
    }

    store::Store& store_;
    consent::ConsentService& consents_;
    std::int64_t now_ = 0;  // for consent() during a decision
    std::int64_t change_hint_ = -1, data_version_ = -1;
    // actor id -> its role, or a cached refusal reason
    struct CachedActor {
        Actor actor;
        std::string refusal;  // "" when usable
    };
    std::unordered_map<std::string, CachedActor> actors_;
    // case -> principal -> assigned?
    std::unordered_map<std::string, std::unordered_map<std::string, bool>> assignments_;
    std::size_t assignments_cached_ = 0;
    std::unordered_map<std::string, Target> targets_;  // record id -> whose
    static constexpr std::size_t kMaxCached = 200000;
};

}  // namespace casevault::access

#include "access/access.hpp"

#include <algorithm>

#include "common/error.hpp"

namespace casevault {

AccessDenied::AccessDenied(const std::string& rule, const std::string& message)
    : Error(Errc::access_denied, message), rule_(rule) {}

const char* role_name(Role r) noexcept {
    switch (r) {
        case Role::subject: return "subject";
        case Role::attorney: return "attorney";
        case Role::staff: return "staff";
        case Role::support: return "support";
        case Role::system: return "system";
        case Role::agency: return "agency";
    }
    return "unknown";
}

const char* action_name(Action a) noexcept {
    switch (a) {
        case Action::read: return "read";
        case Action::write: return "write";
        case Action::erase: return "erase";
        case Action::export_: return "export";
        case Action::disclose: return "disclose";
    }
    return "unknown";
}

const char* record_kind_name(RecordKind k) noexcept {
    switch (k) {
        case RecordKind::account: return "account";
        case RecordKind::consent: return "consent";
        case RecordKind::case_: return "case";
        case RecordKind::correspondence: return "correspondence";
        case RecordKind::billing: return "billing";
        case RecordKind::post: return "post";
        case RecordKind::audit: return "audit";
    }
    return "unknown";
}

Role role_from_name(const std::string& name) {
    for (int i = 0; i <= static_cast<int>(Role::agency); ++i) {
        if (name == role_name(static_cast<Role>(i))) return static_cast<Role>(i);
    }
    fail(Errc::invalid_argument, "unknown role (expected subject, attorney, staff, support, system or agency)");
}

Action action_from_name(const std::string& name) {
    for (int i = 0; i <= static_cast<int>(Action::disclose); ++i) {
        if (name == action_name(static_cast<Action>(i))) return static_cast<Action>(i);
    }
    fail(Errc::invalid_argument, "unknown action (expected read, write, erase, export or disclose)");
}

RecordKind record_kind_from_name(const std::string& name) {
    for (int i = 0; i <= static_cast<int>(RecordKind::audit); ++i) {
        if (name == record_kind_name(static_cast<RecordKind>(i))) return static_cast<RecordKind>(i);
    }
    fail(Errc::invalid_argument,
         "unknown record kind (expected account, consent, case, correspondence, billing, post or audit)");
}

}  // namespace casevault

namespace casevault::access {

namespace {

bool has(const std::vector<std::string>& v, const char* s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// The denial reason of a grant whose action and record kind fit but whose
// scope did not hold; the most specific one is reported.
const char* scope_denial(const std::string& scope) {
    if (scope == "own") return "not_owner";
    if (scope == "assigned") return "not_assigned";
    if (scope == "consented") return "no_support_grant";
    if (scope == "legal_process") return "needs_legal_process";
    if (scope == "public") return "not_public";
    return "no_grant";
}

}  // namespace

Verdict can(const policy::Policy& policy, Role role, const std::string& actor_id, Action action, const Target& target,
            Facts& facts) {
    const policy::Role* r = policy.role(role_name(role));
    if (!r) return {false, "role_not_in_policy"};
    const std::size_t role_index = static_cast<std::size_t>(r - policy.roles.data());
    const char* denial = "no_grant";
    for (std::size_t g = 0; g < r->grants.size(); ++g) {
        const policy::RoleGrant& grant = r->grants[g];
        if (!has(grant.actions, action_name(action)) || !has(grant.records, record_kind_name(target.kind))) continue;
        bool holds = false;
        if (grant.scope == "own") {
            holds = role == Role::subject && !target.subject.empty() && actor_id == target.subject;
        } else if (grant.scope == "assigned") {
            holds = !target.case_id.empty() && facts.assigned(actor_id, target.case_id);
        } else if (grant.scope == "consented") {
            // The subject's grant of the purpose, for this case or for all.
            holds = !target.subject.empty() && facts.consent(target.subject, grant.purpose, target.case_id).allowed;
        } else if (grant.scope == "retention") {
            holds = role == Role::system;
        } else if (grant.scope == "public") {
            holds = target.public_content;
        } else if (grant.scope == "any") {
            holds = true;
        }
        // "legal_process" never holds here: disclosures decide it, with the
        // recorded legal process (issue 6).
        if (holds) return {true, "/roles/" + std::to_string(role_index) + "/grants/" + std::to_string(g)};
        if (std::string(denial) == "no_grant") denial = scope_denial(grant.scope);
    }
    return {false, denial};
}

}  // namespace casevault::access

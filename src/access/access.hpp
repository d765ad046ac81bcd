// The decision "may this actor do this to this record?" from the policy's
// roles and grants (docs/policy-format.md, roles). Pure: what it needs to
// know about the world (case assignments, consents) it asks through Facts;
// the Guard (guard.hpp) supplies them and enforces the answer.
#pragma once

#include <string>

#include "casevault/access.hpp"
#include "casevault/consent.hpp"
#include "policy/policy.hpp"

namespace casevault::access {

using casevault::Action;
using casevault::RecordKind;
using casevault::Role;

// The record acted on: whose it is, which case (if any) it belongs to, and
// whether it is public content (a board post).
struct Target {
    RecordKind kind = RecordKind::account;
    std::string subject;  // the data subject, an account id
    std::string case_id;  // "" when the record belongs to no case
    bool public_content = false;
};

class Facts {
public:
    virtual ~Facts() = default;
    virtual bool assigned(const std::string& actor_id, const std::string& case_id) = 0;
    virtual Decision consent(const std::string& subject, const std::string& purpose, const std::string& scope) = 0;
};

struct Verdict {
    bool allowed = false;
    // Allowed: the grant that allowed it, as a JSON Pointer into the policy
    // ("/roles/1/grants/0"). Denied: why, e.g. "not_assigned",
    // "no_support_grant", "not_owner", "needs_legal_process", "no_grant",
    // "role_not_in_policy".
    std::string rule;
};

Verdict can(const policy::Policy& policy, Role role, const std::string& actor_id, Action action, const Target& target,
            Facts& facts);

}  // namespace casevault::access

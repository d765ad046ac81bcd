// Team access: who may do what to whose records. Every call that returns or
// changes case, correspondence, billing or post records names its acting
// principal (the `actor` argument); the active policy's roles decide
// (docs/policy-format.md, roles; docs/access.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "casevault/error.hpp"
#include "casevault/export.hpp"

namespace casevault {

// The roles of the policy document, frozen numbers (shared with casevault.h).
enum class Role : int { subject = 0, attorney = 1, staff = 2, support = 3, system = 4, agency = 5 };
enum class Action : int { read = 0, write = 1, erase = 2, export_ = 3, disclose = 4 };
enum class RecordKind : int { account = 0, consent = 1, case_ = 2, correspondence = 3, billing = 4, post = 5, audit = 6 };

CASEVAULT_EXPORT const char* role_name(Role r) noexcept;
CASEVAULT_EXPORT const char* action_name(Action a) noexcept;
CASEVAULT_EXPORT const char* record_kind_name(RecordKind k) noexcept;
// Throw Error(invalid_argument) for an unknown name.
CASEVAULT_EXPORT Role role_from_name(const std::string& name);
CASEVAULT_EXPORT Action action_from_name(const std::string& name);
CASEVAULT_EXPORT RecordKind record_kind_from_name(const std::string& name);

// A record, by kind and id. For kind account the id is the account's.
struct RecordRef {
    RecordKind kind = RecordKind::account;
    std::string id;
};

// The answer of Vault::can(). rule is, when allowed, the JSON Pointer of the
// policy grant that allowed it ("/roles/1/grants/0"); when denied, the reason:
//   unknown_actor        the actor id is not a registered principal or a live account
//   actor_disabled       the principal was disabled
//   no_policy            no policy has been published
//   role_not_in_policy   the policy has no such role
//   no_grant             no grant of the role covers this action on this kind
//   not_owner            an "own" grant, and the record is someone else's
//   not_assigned         an "assigned" grant, and the actor is not assigned to the case
//   no_support_grant     a "consented" grant, and the subject has not granted its purpose (or it expired)
//   needs_legal_process  only a "legal_process" grant covers it (disclosures decide those)
//   not_public           a "public" grant, and the record is not public
struct AccessVerdict {
    bool allowed = false;
    std::string rule;
};

// Thrown (as Errc::access_denied) when the actor may not do what it asked.
// The denial is in the audit log ("access.denied", reason = rule) and the
// store is unchanged.
class CASEVAULT_EXPORT AccessDenied : public Error {
public:
    AccessDenied(const std::string& rule, const std::string& message);
    const std::string& rule() const noexcept { return rule_; }

private:
    std::string rule_;
};

// A principal other than a data subject: a member of the team (attorney,
// staff), support, the system (retention), an agency. Data subjects act as
// themselves: their account id is their principal id.
struct Principal {
    std::string id;  // "prn_..." (or an account id for a subject)
    Role role = Role::subject;
    std::int64_t created_at = 0;
    bool active = true;
};

class VaultCore;

// Registering principals and assigning them to cases is the host's
// administration (OpenOptions::actor is recorded in the audit log); it
// reveals no personal data.
class CASEVAULT_EXPORT Principals {
public:
    explicit Principals(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // A new principal with a role other than subject (invalid_argument).
    Principal add(Role role);
    // A registered principal, or a live account as a subject. Throws not_found.
    Principal get(const std::string& id);
    std::vector<Principal> list();
    // A disabled principal is denied everything ("actor_disabled"); its
    // assignments are kept for the record. Disabling twice is a no-op.
    void disable(const std::string& id);

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

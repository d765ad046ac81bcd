// Accounts: the registration record of a data subject. Personal fields are
// sealed under the subject's own data key; email and phone are findable
// through blind indexes without decrypting anything else.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

enum class AccountStatus : int { active = 0, cancelled = 1, closed = 2, erased = 3 };

CASEVAULT_EXPORT const char* account_status_name(AccountStatus s) noexcept;
// Throws Error(invalid_argument) for an unknown name.
CASEVAULT_EXPORT AccountStatus account_status_from_name(const std::string& name);

// The registration fields. name is required, and at least one of email and
// phone. Phone numbers must carry their country code ("+1 332 555 0101" or
// "001 332 555 0101").
struct AccountFields {
    std::string name;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    std::optional<std::string> address;
    std::optional<std::string> company;
};

// A rectification: only the fields that are set change. Setting a field to
// an empty string clears it (name cannot be cleared).
struct AccountUpdate {
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    std::optional<std::string> address;
    std::optional<std::string> company;
};

struct Account {
    std::string id;  // opaque, e.g. "acc_3f0c9d2e7a41b8c65d09e1f2"
    AccountStatus status = AccountStatus::active;
    std::int64_t created_at = 0;  // Unix seconds
    std::int64_t updated_at = 0;
    AccountFields fields;  // empty for an erased account
};

struct AccountListOptions {
    std::string after_id;                    // paging cursor: ids greater than this
    std::size_t limit = 100;                 // 1..10000
    std::optional<AccountStatus> status;     // only accounts in this state
};

struct AccountPage {
    std::vector<Account> items;
    std::string next_cursor;  // "" when this was the last page
};

class VaultCore;

// A view on a Vault's accounts. Every call is one transaction and appends its
// audit entries in that transaction. Once the Vault is closed or destroyed,
// calls fail with Errc::closed.
class CASEVAULT_EXPORT Accounts {
public:
    explicit Accounts(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Throws invalid_argument (bad field) or duplicate (email/phone taken).
    Account create(const AccountFields& fields);
    // All or nothing: one transaction for the whole batch.
    std::vector<Account> create_many(const std::vector<AccountFields>& batch);

    // Throws not_found. An erased account is returned with status erased and
    // empty fields.
    Account get(const std::string& id);
    std::optional<Account> find_by_email(const std::string& email);
    std::optional<Account> find_by_phone(const std::string& phone);

    // Rectify: the old values are overwritten, not kept. Throws not_found,
    // invalid_argument, duplicate; an erased account cannot be updated.
    Account update(const std::string& id, const AccountUpdate& update);

    // active <-> cancelled <-> closed; erased is reached only through erase().
    Account set_status(const std::string& id, AccountStatus status);

    AccountPage list(const AccountListOptions& options = {});
    std::int64_t count(std::optional<AccountStatus> status = std::nullopt);

    // Crypto-shredding: deletes the sealed fields and destroys the subject's
    // data key in one transaction, leaving a tombstone with status erased.
    // Erasing an erased account is a no-op that still succeeds.
    void erase(const std::string& id);

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

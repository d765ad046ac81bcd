// Account logic: validation, sealing, blind indexing, subject keys, audit.
// Runs inside a transaction the caller (VaultCore) opened.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "casevault/accounts.hpp"
#include "audit/audit_log.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/secure_memory.hpp"
#include "store/store.hpp"

namespace casevault::accounts {

// Who is acting and when: passed into every call.
struct Context {
    std::string actor;
    std::int64_t now = 0;
};

// The per-subject data keys, wrapped by the KEK. Shared by every module
// that seals a subject's data.
class SubjectKeys {
public:
    SubjectKeys(store::Store& store, const crypto::SecretBytes& kek) : store_(store), kek_(kek) {}
    // A fresh data key for a new subject, and its wrapped form to store with it.
    crypto::SecretBytes create(const std::string& subject_id, int key_version, store::Bytes& wrapped);
    // Unwraps a stored key; throws corrupt if it is missing or does not unwrap.
    crypto::SecretBytes open(const std::string& subject_id, int key_version,
                             const std::optional<store::Bytes>& wrapped) const;
    // Looks the subject's key up in the store first.
    crypto::SecretBytes get(const std::string& subject_id, int key_version);
    static std::string wrap_ad(const std::string& subject_id, int key_version);

private:
    store::Store& store_;
    const crypto::SecretBytes& kek_;
};

class AccountService {
public:
    AccountService(store::Store& store, SubjectKeys& keys, crypto::BlindIndexer& index,
                   audit::AuditLog& log)
        : store_(store), keys_(keys), index_(index), log_(log) {}

    Account create(const Context& ctx, const AccountFields& fields);
    Account get(const Context& ctx, const std::string& id);
    std::optional<Account> find(const Context& ctx, const std::string& column, const std::string& value);
    Account update(const Context& ctx, const std::string& id, const AccountUpdate& update);
    Account set_status(const Context& ctx, const std::string& id, AccountStatus status);
    AccountPage list(const Context& ctx, const AccountListOptions& options);
    // Also deletes everything held about the subject (Store::purge_subject).
    void erase(const Context& ctx, const std::string& id, store::PostsOnErasure posts);

    // Called with an account id whenever its status changes or it is erased,
    // so caches of decisions about it (consent) are dropped.
    void on_change(std::function<void(const std::string&)> fn) { on_change_ = std::move(fn); }

private:
    void changed(const std::string& id) {
        if (on_change_) on_change_(id);
    }
    std::function<void(const std::string&)> on_change_;
    store::AccountRow load(const std::string& id);
    Account decode(const store::AccountRow& row);
    void seal_fields(store::AccountRow& row, const AccountFields& f, const crypto::SecretBytes& key);
    static AccountFields validated(const AccountFields& f);

    store::Store& store_;
    SubjectKeys& keys_;
    crypto::BlindIndexer& index_;
    audit::AuditLog& log_;
};

// Blind-index digests of a row's email and phone, recomputed from its sealed
// values under `index` (rekey uses it with the new indexer). None for an
// erased account.
void reindex(const store::AccountRow& row, const SubjectKeys& keys, crypto::BlindIndexer& index,
             std::optional<store::Bytes>& email_bidx, std::optional<store::Bytes>& phone_bidx);

}  // namespace casevault::accounts

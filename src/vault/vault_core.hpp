// The state behind a casevault::Vault: the open store, the purpose keys and
// the domain services wired to them. Every public call goes through run(),
// which serialises calls, opens one transaction and commits it only if the
// whole operation succeeded.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "casevault/vault.hpp"
#include "common/error.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/keys.hpp"
#include "store/sqlcipher_store.hpp"
#include "vault/key_header.hpp"

namespace casevault {

class VaultCore {
public:
    VaultCore(std::string path, const OpenOptions& options);
    ~VaultCore();

    // Opens the store with the given header and keys and wires the
    // services; used by open and after a rekey.
    void attach(const vault::KeyHeader& header, crypto::PurposeKeys keys);
    void detach() noexcept;

    template <class F>
    auto run(F&& f) -> decltype(f(std::declval<accounts::Context&>())) {
        std::lock_guard<std::mutex> lock(mu_);
        require_open();
        accounts::Context ctx{actor_, clock_()};
        auto tx = store_->begin();
        log_->begin();
        if constexpr (std::is_void_v<decltype(f(ctx))>) {
            f(ctx);
            tx->commit();
        } else {
            auto result = f(ctx);
            tx->commit();
            return result;
        }
    }

    // Read-only work that writes no audit entry (counts, verification).
    template <class F>
    auto peek(F&& f) -> decltype(f()) {
        std::lock_guard<std::mutex> lock(mu_);
        require_open();
        return f();
    }

    void close() noexcept;
    bool is_open() const noexcept { return store_ != nullptr; }
    VaultInfo info();
    void rekey(vault::KeyMode mode, const crypto::SecretBytes& secret, const KdfParams& kdf,
               const ProgressFn& progress);

    accounts::AccountService& accounts() { return *accounts_; }
    audit::AuditLog& audit_log() { return *log_; }
    store::SqlcipherStore& store() { return *store_; }

private:
    void require_open() const {
        if (!store_) fail(Errc::closed, "the vault is closed");
    }

    std::mutex mu_;
    std::string path_;
    std::string actor_;
    Clock clock_;
    int busy_timeout_ms_;
    vault::KeyHeader header_;
    crypto::PurposeKeys keys_;
    std::unique_ptr<store::SqlcipherStore> store_;
    std::unique_ptr<crypto::BlindIndexer> index_;
    std::unique_ptr<audit::AuditLog> log_;
    std::unique_ptr<accounts::SubjectKeys> subject_keys_;
    std::unique_ptr<accounts::AccountService> accounts_;

    friend class Vault;
};

}  // namespace casevault

// The state behind a casevault::Vault: the open store, the purpose keys and
// the domain services wired to them. Every public call goes through run(),
// which serialises calls, opens one transaction and commits it only if the
// whole operation succeeded.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "access/guard.hpp"
#include "accounts/account_service.hpp"
#include "aggregates/aggregate_service.hpp"
#include "audit/audit_log.hpp"
#include "billing/billing_service.hpp"
#include "cases/case_service.hpp"
#include "correspondence/correspondence_service.hpp"
#include "casevault/vault.hpp"
#include "common/error.hpp"
#include "common/process.hpp"
#include "consent/consent_service.hpp"
#include "outbox/outbox_service.hpp"
#include "posts/post_service.hpp"
#include "retention/retention_service.hpp"
#include "disclosures/disclosure_service.hpp"
#include "subjects/subject_service.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/keys.hpp"
#include "store/sqlcipher_store.hpp"
#include "vault/key_header.hpp"

namespace casevault {

class VaultCore;
// The core behind a Vault handle; a moved-from Vault has none.
inline VaultCore* live(const std::shared_ptr<VaultCore>& c) {
    if (!c) fail(Errc::closed, "the vault was moved from");
    return c.get();
}

class VaultCore {
public:
    VaultCore(std::string path, const OpenOptions& options);
    ~VaultCore();

    // Opens the store with the given header and keys and wires the
    // services; used by open and after a rekey.
    void attach(const vault::KeyHeader& header, crypto::PurposeKeys keys);
    void detach() noexcept;

    // A write: one IMMEDIATE transaction that first writes the queued read
    // audit entries, then the operation and its own entries.
    template <class F>
    auto run(F&& f) -> decltype(f(std::declval<accounts::Context&>())) {
        std::lock_guard<std::mutex> lock(mu_);
        require_open();
        refresh_caches();
        try {
            return write_locked(f);
        } catch (const access::Denied& d) {
            // The operation's transaction is gone; the denial is recorded on its own.
            record_denial(d);
            if (d.shown_as) throw *d.shown_as;
            throw;
        }
    }

    // A read of personal data: a read snapshot; its audit entries are queued
    // and written by the next write transaction, at the latest when
    // kMaxPendingReads are waiting, before the audit log is read, and at close.
    // With batching off it is a write like any other.
    template <class F>
    auto read(F&& f) -> decltype(f(std::declval<accounts::Context&>())) {
        std::lock_guard<std::mutex> lock(mu_);
        require_open();
        refresh_caches();
        try {
            if (!log_->batch_reads()) return write_locked(f);
            return read_locked(f);
        } catch (const access::Denied& d) {
            record_denial(d);
            if (d.shown_as) throw *d.shown_as;
            throw;
        }
    }

    // Work on metadata or the audit log itself; the queued read entries are
    // written first so the log is complete.
    template <class F>
    auto peek(F&& f) -> decltype(f()) {
        std::lock_guard<std::mutex> lock(mu_);
        require_open();
        if (log_->pending() > 0) flush_locked();
        return f();
    }

    static constexpr std::size_t kMaxPendingReads = 256;

    void close() noexcept;
    bool is_open() const noexcept {
        std::lock_guard<std::mutex> lock(mu_);
        return store_ != nullptr && !forked();
    }
    VaultInfo info();
    // kdf: nullopt keeps the store's Argon2id cost (or the default when
    // moving from a raw key to a passphrase).
    void rekey(vault::KeyMode mode, const crypto::SecretBytes& secret, const std::optional<KdfParams>& kdf,
               const ProgressFn& progress);

    // The decision fast path: no transaction unless the caches miss; a
    // denial is audited like a read.
    Decision may_process(const std::string& subject, const std::string& purpose, const std::string& scope);
    Decision visitor_may(const std::string& visitor_id, const std::string& category);
    AccessVerdict can(const std::string& actor, Action action, const RecordRef& record);

    accounts::AccountService& accounts() { return *accounts_; }
    consent::ConsentService& consents() { return *consents_; }
    outbox::OutboxService& outbox() { return *outbox_; }
    cases::CaseService& cases() { return *cases_; }
    correspondence::CorrespondenceService& correspondence() { return *correspondence_; }
    billing::BillingService& billing() { return *billing_; }
    posts::PostService& posts() { return *posts_; }
    aggregates::AggregateService& aggregates() { return *aggregates_; }
    retention::RetentionService& retention() { return *retention_; }
    disclosures::DisclosureService& disclosures() { return *disclosures_; }
    subjects::SubjectService& subjects() { return *subjects_; }
    std::int64_t now() const { return clock_(); }
    // The sweep and restore: one transaction per subject, with progress (vault_retention.cpp).
    SweepReport sweep(const SweepOptions& options);
    BackupInfo backup(const std::string& path, const ProgressFn& progress);
    RestoreReport restore(const std::string& path, const ProgressFn& progress);
    // A restore interrupted after its copy is finished at the next open:
    // the erasure ledger and catalog are put back and replayed.
    std::int64_t finish_pending_restore(const ProgressFn& progress);
    access::Guard& guard() { return *guard_; }
    audit::AuditLog& audit_log() { return *log_; }
    store::SqlcipherStore& store() { return *store_; }
    // What erasing an account does to its board posts, per the active policy.
    store::PostsOnErasure posts_on_erasure();

private:
    template <class F>
    auto read_locked(F& f) -> decltype(f(std::declval<accounts::Context&>())) {
        accounts::Context ctx{actor_, clock_()};
        auto tx = store_->begin_read();
        const std::size_t before = log_->pending();
        try {
            if constexpr (std::is_void_v<decltype(f(ctx))>) {
                f(ctx);
                tx->commit();
                if (log_->pending() >= kMaxPendingReads) flush_locked();
            } else {
                auto result = f(ctx);
                tx->commit();
                if (log_->pending() >= kMaxPendingReads) flush_locked();
                return result;
            }
        } catch (...) {
            log_->drop_pending_after(before);  // a failed read reads nothing
            throw;
        }
    }

    template <class F>
    auto write_locked(F& f) -> decltype(f(std::declval<accounts::Context&>())) {
        accounts::Context ctx{actor_, clock_()};
        auto tx = store_->begin();
        log_->begin();
        try {
            log_->flush_pending();
            if constexpr (std::is_void_v<decltype(f(ctx))>) {
                f(ctx);
                tx->commit();
                log_->committed();
            } else {
                auto result = f(ctx);
                tx->commit();
                log_->committed();
                return result;
            }
        } catch (...) {
            log_->rolled_back();
            consents_->rolled_back();
            guard_->forget_all();  // it may have cached what the transaction wrote
            throw;
        }
    }
    void record_denial(const access::Denied& d);
    // Before a transaction: drop cached facts another connection changed.
    void refresh_caches() {
        consents_->refresh();
        guard_->refresh();
    }
    void audit_denial(const std::string& subject, const std::string& target, const Decision& d);
    void flush_locked() {
        auto nothing = [](accounts::Context&) {};
        write_locked(nothing);
    }

    void require_open() const {
        if (!store_) fail(Errc::closed, "the vault is closed");
        // SQLite connections must not be used across fork().
        if (forked()) fail(Errc::closed, "the vault was opened by the parent process; open it again after fork()");
    }
    bool forked() const noexcept { return fork_generation() != fork_generation_; }

    mutable std::mutex mu_;
    unsigned fork_generation_ = 0;  // at attach
    std::string path_;
    std::string actor_;
    Clock clock_;
    int busy_timeout_ms_;
    bool batch_read_audit_;
    bool durable_;
    ProgressFn open_progress_;  // schema migrations at open
    vault::KeyHeader header_;
    crypto::PurposeKeys keys_;
    std::unique_ptr<store::SqlcipherStore> store_;
    std::unique_ptr<crypto::BlindIndexer> index_;
    std::unique_ptr<audit::AuditLog> log_;
    std::unique_ptr<accounts::SubjectKeys> subject_keys_;
    std::unique_ptr<accounts::AccountService> accounts_;
    std::unique_ptr<consent::ConsentService> consents_;
    std::unique_ptr<outbox::OutboxService> outbox_;
    std::unique_ptr<access::Guard> guard_;
    std::unique_ptr<cases::CaseService> cases_;
    std::unique_ptr<correspondence::CorrespondenceService> correspondence_;
    std::unique_ptr<billing::BillingService> billing_;
    std::unique_ptr<posts::PostService> posts_;
    std::unique_ptr<aggregates::AggregateService> aggregates_;
    std::unique_ptr<retention::RetentionService> retention_;
    std::unique_ptr<disclosures::DisclosureService> disclosures_;
    std::unique_ptr<subjects::SubjectService> subjects_;

    friend class Vault;
};

}  // namespace casevault

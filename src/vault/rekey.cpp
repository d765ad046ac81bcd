// Re-keying: a new master key for the whole store. The new store is built
// in a side file (every page re-encrypted by sqlcipher_export, then data keys
// rewrapped, blind indexes recomputed and the audit chain re-keyed in one
// transaction) and renamed over the old file only when complete, so a crash
// or a cancel at any point leaves the old store intact.
#include <cstdio>

#include "crypto/aead.hpp"

#include "vault/vault_core.hpp"

namespace casevault {

namespace {

class Reporter {
public:
    explicit Reporter(const ProgressFn& fn) : fn_(fn) {}
    void operator()(const char* phase, std::int64_t done, std::int64_t total) {
        if (fn_ && !fn_(Progress{phase, done, total})) fail(Errc::cancelled, "cancelled by the progress callback");
    }
    // Every 256th step and the last one.
    void step(const char* phase, std::int64_t done, std::int64_t total) {
        if (done == total || done % 256 == 0) (*this)(phase, done, total);
    }
    // After the point of no return: reported, but it can no longer cancel.
    void final(const char* phase) noexcept {
        try {
            if (fn_) fn_(Progress{phase, 1, 1});
        } catch (...) {
        }
    }

private:
    const ProgressFn& fn_;
};

}  // namespace

void VaultCore::rekey(vault::KeyMode mode, const crypto::SecretBytes& secret, const std::optional<KdfParams>& kdf,
                      const ProgressFn& progress) {
    std::lock_guard<std::mutex> lock(mu_);
    require_open();
    if (log_->pending() > 0) flush_locked();
    Reporter report(progress);

    const KdfParams params = kdf ? *kdf : (header_.mode == vault::KeyMode::passphrase ? header_.kdf : KdfParams{});
    vault::KeyHeader header = vault::new_header(mode, params);
    report("derive", 0, 1);
    crypto::SecretBytes master = vault::derive_master(header, secret);
    vault::set_key_check(header, master);
    crypto::PurposeKeys new_keys = crypto::derive_purpose_keys(master);
    master = crypto::SecretBytes();
    report("derive", 1, 1);

    // A fresh side file next to the store (same directory, so rename() is
    // atomic), with the store's permissions and owner.
    unsigned char tag[6];
    crypto::random_bytes(tag, sizeof tag);
    const std::string side = path_ + ".rekey-" + crypto::to_hex(tag, sizeof tag);
    if (!store::create_exclusive(side, 0600)) fail(Errc::io, "the re-key side file exists already");
    try {
        store::copy_ownership(path_, side);
        report("copy", 0, 1);
        store_->export_to(side, new_keys.page, header.bytes);
        report("copy", 1, 1);

        auto next = store::SqlcipherStore::open(side, new_keys.page, header.bytes, busy_timeout_ms_);
        {
            auto tx = next->begin();
            // Blind indexes first, while the data keys are still wrapped by the old KEK.
            accounts::SubjectKeys old_keys(*next, keys_.kek);
            crypto::BlindIndexer new_index(new_keys.blind_index_root);
            const std::int64_t total_accounts = next->count_accounts(std::nullopt);
            std::int64_t done = 0;
            std::string after;
            for (;;) {
                const auto rows = next->accounts_after(after, 500, std::nullopt);
                if (rows.empty()) break;
                for (const auto& row : rows) {
                    std::optional<store::Bytes> e, p;
                    accounts::reindex(row, old_keys, new_index, e, p);
                    // Clear first so a digest already moved by this loop cannot collide.
                    next->set_account_indexes(row.id, std::nullopt, std::nullopt);
                    next->set_account_indexes(row.id, e, p);
                    report.step("reindex", ++done, total_accounts);
                }
                after = rows.back().id;
            }
            // Receipt numbers and message senders are blind-indexed too.
            done = 0;
            const std::int64_t total_cases = next->count_cases();
            for (after.clear();;) {
                const auto rows = next->cases_after(after, 500);
                if (rows.empty()) break;
                for (const auto& row : rows) {
                    next->set_case_receipt_index(row.id,
                                                 cases::CaseService::reindex(row, old_keys, *next, new_index));
                    report.step("reindex_cases", ++done, total_cases);
                }
                after = rows.back().id;
            }
            done = 0;
            const std::int64_t total_messages = next->count_messages();
            for (after.clear();;) {
                const auto rows = next->messages_after(after, 500);
                if (rows.empty()) break;
                for (const auto& row : rows) {
                    next->set_message_sender_index(
                        row.id, correspondence::CorrespondenceService::reindex(row, old_keys, *next, new_index));
                    report.step("reindex_messages", ++done, total_messages);
                }
                after = rows.back().id;
            }

            const std::int64_t total_keys = next->count_subject_keys();
            std::vector<store::SubjectKeyRow> rows;
            next->for_each_subject_key([&](const store::SubjectKeyRow& r) { rows.push_back(r); });
            done = 0;
            for (auto& r : rows) {
                crypto::SecretBytes dk = old_keys.get(r.subject_id, r.key_version);
                r.wrapped = crypto::wrap_key(new_keys.kek, dk,
                                             accounts::SubjectKeys::wrap_ad(r.subject_id, r.key_version));
                next->replace_subject_key(r);
                report.step("rewrap", ++done, total_keys);
            }

            consent::ConsentService::rewrap_visitor_key(*next, keys_.kek, new_keys.kek);
            retention::RetentionService::rewrap_retention_key(*next, keys_.kek, new_keys.kek);

            const std::int64_t total_audit = next->count_audit();
            audit::AuditLog old_log(*next, keys_.audit.clone());
            audit::rechain(*next, old_log, new_keys.audit,
                           [&](std::int64_t seq) { report.step("audit", seq, total_audit); });

            audit::AuditLog new_log(*next, new_keys.audit.clone());
            const std::int64_t now = clock_();
            next->set_meta("rekeyed_at", std::to_string(now));
            new_log.append(now, actor_, "store.rekey", "", "", "ok",
                           mode == vault::KeyMode::raw ? "raw_key" : "passphrase");
            tx->commit();
        }
        next->close();
        report("swap", 0, 1);
    } catch (...) {
        store::remove_store_files(side);
        throw;
    }

    // Close the old store (its WAL is checkpointed and removed), then move the
    // new file into place; rename() is atomic.
    const vault::KeyHeader old_header = header_;
    crypto::PurposeKeys old_keys = std::move(keys_);
    detach();
    if (std::rename(side.c_str(), path_.c_str()) != 0) {
        store::remove_store_files(side);
        attach(old_header, std::move(old_keys));
        fail(Errc::io, "could not replace the store file with the re-keyed one; the old store is unchanged");
    }
    store::remove_store_files(side);
    try {
        attach(header, std::move(new_keys));
    } catch (const Error& e) {
        // Past the rename the store is re-keyed; say so, or the caller might
        // throw the new secret away.
        fail(e.code(), std::string("the store was re-keyed, but reopening it failed (") + e.what() +
                           "); open it again with the new passphrase or key");
    }
    report.final("swap");
}

}  // namespace casevault

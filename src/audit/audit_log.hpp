// The keyed hash chain over the audit table. Each entry's MAC covers the
// previous entry's MAC and every field of the entry, under the audit key.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include "casevault/audit.hpp"
#include "crypto/secure_memory.hpp"
#include "store/store.hpp"

namespace casevault::audit {

class AuditLog {
public:
    AuditLog(store::Store& store, crypto::SecretBytes key) : store_(store), key_(std::move(key)) {}

    // Call at the start of every write transaction: another connection may
    // have appended since our last one.
    void begin() { head_.reset(); }

    // Read entries wait in memory and are written, chained, by the next write
    // transaction (or flush()); set false to write each one at once.
    void set_batch_reads(bool on) { batch_reads_ = on; }
    bool batch_reads() const { return batch_reads_; }
    // Records a read of personal data (or a denied decision): queued when
    // batching, else appended.
    void append_read(std::int64_t at, const std::string& actor, const std::string& action,
                     const std::string& subject, const std::string& target, const std::string& reason,
                     const char* outcome = "ok");
    // Queues an entry for the next write transaction even when reads are
    // not batched (an entry that could not be written on its own).
    void queue(std::int64_t at, const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& target, const std::string& reason, const char* outcome) {
        pending_.push_back(store::AuditRow{0, at, actor, action, subject, target, outcome, reason, {}});
    }
    std::size_t pending() const { return pending_.size(); }
    // Writes the queued read entries inside the caller's write transaction;
    // they leave the queue only when committed() is called after the commit.
    void flush_pending();
    void committed() { pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(flushed_)); flushed_ = 0; }
    void rolled_back() { flushed_ = 0; }
    void drop_pending_after(std::size_t n) { pending_.resize(std::min(n, pending_.size())); }

    // Appends inside the caller's transaction.
    void append(std::int64_t at, const std::string& actor, const std::string& action,
                const std::string& subject, const std::string& target, const std::string& outcome,
                const std::string& reason);

    std::vector<AuditEntry> read(const AuditFilter& filter);
    AuditVerifyResult verify(const std::optional<std::string>& expected_head);

    // MAC of an entry given its predecessor's MAC (exposed for rekey).
    store::Bytes mac(const store::Bytes& prev, const store::AuditRow& row) const;
    static store::Bytes genesis();

private:
    struct Head {
        std::int64_t seq;
        store::Bytes mac;
    };
    store::Store& store_;
    crypto::SecretBytes key_;
    std::optional<Head> head_;
    bool batch_reads_ = true;
    std::vector<store::AuditRow> pending_;
    std::size_t flushed_ = 0;
};

// Recomputes every MAC of the chain under new_key, after checking it under
// the current key. Used by rekey inside its transaction. Throws corrupt if
// the chain does not verify.
void rechain(store::Store& store, const AuditLog& old_log, const crypto::SecretBytes& new_key,
             const std::function<void(std::int64_t)>& on_entry);

}  // namespace casevault::audit

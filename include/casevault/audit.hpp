// The tamper-evident audit log: every read and write of personal data and
// every erasure appends an entry (denials, once access rules exist, too).
// Entries hold opaque ids, action names and reason codes only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

struct AuditEntry {
    std::int64_t seq = 0;    // 1, 2, 3, ... in append order
    std::int64_t at = 0;     // Unix time, seconds, from the vault's clock
    std::string actor;       // who acted (opaque principal id)
    std::string action;      // e.g. "account.create", "account.read"
    std::string subject;     // the data subject concerned ("" if none)
    std::string target;      // the record concerned, an opaque id ("" if none)
    std::string outcome;     // "ok", "denied" or "error"
    std::string reason;      // a reason code, never personal data
};

struct AuditFilter {
    std::optional<std::string> subject;
    std::optional<std::string> actor;
    std::optional<std::string> action;  // exact, or a prefix ending in '.': "account."
    std::optional<std::int64_t> since;  // at >= since
    std::optional<std::int64_t> until;  // at < until
    std::int64_t after_seq = 0;         // paging: entries with seq > after_seq
    std::size_t limit = 1000;           // at most this many (1..100000)
};

struct AuditVerifyResult {
    bool ok = true;
    std::int64_t entries = 0;       // entries checked
    std::int64_t first_bad_seq = 0; // 0 when ok; else the first entry that fails
    std::string problem;            // "" when ok; else what is wrong with it
    std::string head;               // "<seq>:<64 hex>", the last entry's MAC: record it outside the
                                    // store to detect truncation of the tail later
};

class VaultCore;

// A view on a Vault's audit log; fails with Errc::closed once the Vault is
// closed or destroyed.
class CASEVAULT_EXPORT Audit {
public:
    explicit Audit(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    std::vector<AuditEntry> read(const AuditFilter& filter = {}) const;

    // Recomputes the keyed hash chain. When expected_head is given (a head
    // recorded earlier), also checks that the chain still contains it, which
    // detects a truncated tail.
    AuditVerifyResult verify(const std::optional<std::string>& expected_head = std::nullopt) const;

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

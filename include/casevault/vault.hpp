// The vault: one encrypted store file and the keys that open it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/access.hpp"
#include "casevault/accountability.hpp"
#include "casevault/accounts.hpp"
#include "casevault/billing.hpp"
#include "casevault/cases.hpp"
#include "casevault/correspondence.hpp"
#include "casevault/audit.hpp"
#include "casevault/consent.hpp"
#include "casevault/error.hpp"
#include "casevault/export.hpp"
#include "casevault/outbox.hpp"
#include "casevault/policy.hpp"
#include "casevault/posts.hpp"
#include "casevault/progress.hpp"
#include "casevault/retention.hpp"

namespace casevault {

// Returns the current time as Unix seconds. Injected so retention and audit
// can be tested day by day.
using Clock = std::function<std::int64_t()>;

// Argon2id cost for a passphrase. The parameters used are written into the
// store's file header, so a store always opens with its own and they can be
// raised later by change_passphrase().
struct KdfParams {
    std::uint32_t opslimit = 3;       // 1..255 passes
    std::uint32_t memlimit_log2 = 27; // memory = 2^n bytes, 13..32 (default 128 MiB: ~0.25 s here)

    // Times measured on the 2-core CI machine (libsodium's Argon2id uses one core).
    static KdfParams interactive() { return {3, 26}; }  // 64 MiB, ~0.12 s
    static KdfParams moderate() { return {4, 28}; }     // 256 MiB, ~0.6 s
    static KdfParams testing() { return {1, 13}; }      // 8 KiB: tests only, never in production
};


// Exactly one of passphrase and key is given.
struct OpenOptions {
    std::optional<std::string> passphrase;
    std::optional<std::vector<std::uint8_t>> key;  // 32 raw bytes, e.g. from a KMS
    KdfParams kdf;                                  // used when a store is created
    bool create_if_missing = true;
    int busy_timeout_ms = 5000;
    std::string actor = "host";  // the principal recorded in audit entries
    // Audit entries for reads (get, find, list) are queued in memory and
    // written with the next write, or after 256 reads, before the log is read,
    // and at close: a read then costs no disk write. A crash loses the queued
    // read entries (never a write's). false writes each read's entry at once.
    bool batch_read_audit = true;
    // true: every commit is synced to disk (synchronous=FULL), so a power
    // loss cannot undo a committed erasure; each write then costs an fsync.
    // false (default): synchronous=NORMAL in WAL mode, where a power loss may
    // undo the last commits (the store stays consistent).
    bool durable = false;
    // Reports the schema migrations applied at open ("migrate", done, total),
    // for a new store or one written by an older casevault. Returning false
    // cancels: open fails with Errc::cancelled and the store is unchanged.
    ProgressFn progress;
    Clock clock;                 // default: the system clock
};

struct VaultInfo {
    std::string path;
    std::string library_version;
    std::string sqlcipher_version;
    std::string sqlite_version;
    std::string sodium_version;
    int schema_version = 0;
    std::string key_mode;  // "passphrase" or "raw"
    KdfParams kdf;         // meaningful when key_mode is "passphrase"
    std::int64_t accounts = 0;
    std::int64_t accounts_active = 0;
    std::int64_t accounts_erased = 0;
    std::int64_t audit_entries = 0;
    // Records of issue 4 (counts only; nothing personal).
    std::int64_t principals = 0;
    std::int64_t cases = 0;
    std::int64_t messages = 0;
    std::int64_t payments = 0;
    std::int64_t posts = 0;
};

class VaultCore;

class CASEVAULT_EXPORT Vault {
public:
    // Opens (or creates) the store at path. Throws Error: wrong_key,
    // corrupt, no_codec, locked, not_found (missing and !create_if_missing),
    // invalid_argument, io, unsupported.
    static Vault open(const std::string& path, const OpenOptions& options);

    Vault(Vault&&) noexcept;
    Vault& operator=(Vault&&) noexcept;
    Vault(const Vault&) = delete;
    Vault& operator=(const Vault&) = delete;
    ~Vault();  // closes; key material is wiped

    // Closes now; later calls throw Error(closed). Safe to call twice.
    void close();
    bool is_open() const noexcept;

    Accounts accounts();
    Audit audit();
    Policies policy();
    Consents consents();
    Outbox outbox();
    Principals principals();
    Cases cases();
    Correspondence correspondence();
    Billing billing();
    Posts posts();
    // The retention engine (docs/retention.md).
    Activity activity();
    Requests requests();
    Holds holds();
    Retention retention();
    Backups backups();
    // Accountability (docs/accountability.md).
    SubjectRequests subject_requests();
    Disclosures disclosures();
    Aggregates aggregates();

    // May actor do action to this record now, under the active policy?
    // The same decision every Cases/Correspondence/Billing/Posts call makes,
    // for hosts to check before they render. Never throws for an unknown
    // actor or record kind mismatch: that is a denial (unknown_actor; a
    // record that does not exist is Error(not_found)). Throws
    // invalid_argument for a malformed id. Denials are audited.
    AccessVerdict can(const std::string& actor, Action action, const RecordRef& record);

    // May this person's data be processed for this purpose now? Decided
    // under the active policy from the consent ledger and the account's
    // state, in about a microsecond once the subject's facts are cached.
    // Never throws for an unknown subject or purpose: that is a denial
    // with its reason. Throws invalid_argument for a malformed id or scope.
    // Denials are audited ("consent.decision", outcome "denied").
    Decision may_process(const std::string& subject, const std::string& purpose, const std::string& scope = "");
    VaultInfo info();

    // Reads and authenticates every page of every table and index (PRAGMA
    // quick_check under SQLCipher's per-page HMAC) and checks the B-trees.
    // Returns the number of pages in the store; throws Error(corrupt) naming
    // the first problem. Free pages are not read. Takes time proportional to
    // the store's size; the audit chain is checked separately (audit().verify()).
    std::int64_t check_integrity();

    // Re-encrypts the store under a new passphrase or raw key (a new master
    // key): every page, every wrapped data key, every blind index and the
    // audit chain. The old secret stops working. The work is done in a new
    // file that replaces the old one only when complete.
    void change_passphrase(const std::string& new_passphrase,
                           std::optional<KdfParams> kdf = std::nullopt,
                           const ProgressFn& progress = {});
    void change_key(const std::vector<std::uint8_t>& new_key, const ProgressFn& progress = {});

    // Internal.
    VaultCore* core() noexcept;

private:
    explicit Vault(std::shared_ptr<VaultCore> core);
    std::shared_ptr<VaultCore> core_;
};

// "0.1.0"
CASEVAULT_EXPORT const char* version() noexcept;

struct EngineVersions {
    std::string casevault;
    std::string sqlcipher;  // of the SQLCipher this library is bound to
    std::string sqlite;
    std::string sodium;
};
// Throws Error(no_codec) if the SQLite in use has no SQLCipher codec.
CASEVAULT_EXPORT EngineVersions engine_versions();

}  // namespace casevault

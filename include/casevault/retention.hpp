// The retention engine (docs/retention.md): qualifying activity, cancel and
// delete requests (inbound commands with confirmation), legal holds, the
// sweep that deletes what the policy's retention rules say is due, deletion
// receipts, and backups with erasure replay on restore.
//
// Every time here is Unix seconds. "now" is the vault's clock
// (OpenOptions::clock); a call given an explicit time uses that instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/consent.hpp"
#include "casevault/export.hpp"
#include "casevault/progress.hpp"

namespace casevault {

class VaultCore;

// What starts a retention rule's clock (the policy's `trigger`). Frozen
// numbers: the C API and stored rows use them.
enum class RetentionTrigger : int {
    inactivity = 1,          // the account's last qualifying activity left its window
    cancellation = 2,        // the account was cancelled
    deletion_request = 3,    // the person asked for deletion
    reconsent_declined = 4,  // the person declined a policy that ends the account
    account_closed = 5,      // the host closed the account
};
CASEVAULT_EXPORT const char* retention_trigger_name(RetentionTrigger t) noexcept;

// ---- activity --------------------------------------------------------------

struct ActivityMark {
    std::string kind;  // a policy activity kind, or "recurring_payment"
    std::int64_t at = 0;
};

struct ActivityState {
    std::string subject;
    bool active = false;
    // The moment the account becomes (or became) inactive without new
    // activity: the latest of each kind's time + its window, and of sign-up
    // + the longest window. 0 when the policy names no activity kinds.
    std::int64_t active_until = 0;
    std::vector<ActivityMark> latest;  // one per kind seen, by kind name
    // When the inactivity rules act if nothing happens before; none when
    // the policy has no inactivity rule or they already acted.
    std::optional<std::int64_t> inactivity_due_at;
};

class CASEVAULT_EXPORT Activity {
public:
    explicit Activity(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Records qualifying activity of a kind the policy names (message,
    // payment, token_use, ...; "recurring_payment" counts as payment when
    // the payment kind includes recurring charges). at = 0 means now; a time
    // in the future is refused. Activity moves the inactivity deadline and
    // cancels an inactivity deletion that has not happened yet. Messages
    // and payments recorded through Correspondence and Billing count
    // without this call. Throws invalid_argument (a kind the policy does not
    // name, no policy), not_found (no such account; an erased one too).
    ActivityState record(const std::string& subject, const std::string& kind, std::int64_t at = 0);
    ActivityState state(const std::string& subject);

private:
    std::shared_ptr<VaultCore> core_;
};

// ---- cancel and delete requests --------------------------------------------

enum class RequestKind : int { cancel = 1, erase = 2 };
enum class RequestState : int {
    awaiting_confirmation = 1,  // an inbound command waiting for its code
    pending = 2,                // scheduled: the sweep carries it out when due
    done = 3,
    expired = 4,    // the code was not confirmed in time
    withdrawn = 5,  // the account was reactivated, or a later request superseded it
};
CASEVAULT_EXPORT const char* request_kind_name(RequestKind k) noexcept;
CASEVAULT_EXPORT const char* request_state_name(RequestState s) noexcept;

struct RetentionRequest {
    std::string id;  // "era_..."
    std::string subject;
    RequestKind kind = RequestKind::erase;
    RetentionTrigger trigger = RetentionTrigger::deletion_request;
    Channel channel = Channel::web;
    RequestState state = RequestState::pending;
    std::int64_t requested_at = 0;
    std::int64_t due_at = 0;      // when the sweep acts (0 while awaiting confirmation)
    std::int64_t confirm_by = 0;  // deadline for the code (0 when none was needed)
    std::int64_t done_at = 0;
};

// An inbound message that may carry a command.
struct InboundMessage {
    Channel channel = Channel::email;  // email or whatsapp
    std::string sender;                // email address or phone number
    std::string subject_line;          // email only
    std::string body;                  // WhatsApp: the whole message
    std::int64_t at = 0;               // 0: now
};

// What an inbound message amounted to. Only the last two carry out or
// queue a command.
enum class InboundOutcome : int {
    no_command = 1,            // neither word (email: in the subject line; WhatsApp: as the body)
    ambiguous = 2,             // both CANCEL and DELETE
    negated = 3,               // the word is negated ("please don't delete my case")
    mention_only = 4,          // WhatsApp: the word inside a longer message
    unknown_sender = 5,        // no live account has this email or phone
    channel_not_accepted = 6,  // the policy takes no commands on this channel
    awaiting_confirmation = 7, // a confirm_request with a one-time code was queued
    accepted = 8,              // carried out (no confirmation asked by the policy)
};
CASEVAULT_EXPORT const char* inbound_outcome_name(InboundOutcome o) noexcept;

struct InboundResult {
    InboundOutcome outcome = InboundOutcome::no_command;
    std::optional<RequestKind> command;      // the word found, when one was
    std::optional<std::string> subject;      // the matched account
    std::optional<RetentionRequest> request; // for the last two outcomes
};

class CASEVAULT_EXPORT Requests {
public:
    explicit Requests(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Requests made through the host (an authenticated session): no
    // confirmation. cancel: the account becomes cancelled at once and the
    // cancellation rules run after their `after`. erase: the deletion
    // request rules run at the next sweep. A second request of the same
    // kind while one is pending returns the pending one. Throws
    // invalid_argument (no policy), not_found (no live account: an erased
    // one too).
    RetentionRequest cancel(const std::string& subject, Channel channel = Channel::web);
    RetentionRequest erase(const std::string& subject, Channel channel = Channel::web);

    // Parses an inbound email or WhatsApp message, matches its sender to an
    // account through the email/phone blind index, and carries the command
    // out, or, when the policy's requests.require_confirmation is set,
    // queues a confirm_request notification holding a one-time code for the
    // account's own contact details and waits for confirm(). Anything that
    // is not a command is an outcome, not an error; every outcome is
    // audited without the message text. Throws invalid_argument (bad UTF-8,
    // oversized text, a channel other than email/whatsapp).
    InboundResult inbound(const InboundMessage& message);
    // Only parses: which command the text holds, if any (no sender match,
    // nothing stored or audited). A command found is outcome `accepted`.
    static InboundResult parse(const InboundMessage& message);

    // Carries out the request the code was issued for. The code is single
    // use and good until confirm_by (inclusive). Throws not_found (no such
    // code, or used), expired (past its confirmation_ttl; the next sweep
    // marks the request expired), invalid_argument (not a code's shape).
    RetentionRequest confirm(const std::string& code);

    RetentionRequest get(const std::string& request_id);  // not_found
    // A subject's requests (all when subject is empty), oldest first.
    std::vector<RetentionRequest> list(const std::string& subject = "");

private:
    std::shared_ptr<VaultCore> core_;
};

// ---- legal holds (preservation requests) ------------------------------------

enum class HoldScope : int { subject = 1, case_file = 2 };
enum class HoldState : int {
    active = 1,    // within its period
    continued = 2, // a release process arrived: lasts until released
    expired = 3,   // the period ended without one
    released = 4,
};
CASEVAULT_EXPORT const char* hold_scope_name(HoldScope s) noexcept;
CASEVAULT_EXPORT const char* hold_state_name(HoldState s) noexcept;

struct HoldRequest {
    HoldScope scope = HoldScope::subject;
    std::string target;     // an account id, or a case id
    std::string authority;  // one of the policy's preservation authorities ("sca_2703f", ...)
    std::string reference;  // the legal-process reference (sealed; never logged)
    std::int64_t placed_at = 0;  // 0: now
    // A nondisclosure order came with it: the hold is left out of the
    // subject's export (SubjectRequests).
    bool confidential = false;
};

struct Hold {
    std::string id;  // "hld_..."
    HoldScope scope = HoldScope::subject;
    std::string target;
    std::string subject;  // the account the target belongs to
    std::string authority;
    std::string reference;
    HoldState state = HoldState::active;
    std::int64_t placed_at = 0;
    std::int64_t expires_at = 0;  // meaningless once continued
    int extensions = 0;
    std::string process;  // the release process that arrived ("warrant", ...), or empty
    std::int64_t process_at = 0;
    std::int64_t ended_at = 0;  // expired or released
    bool confidential = false;
};

class CASEVAULT_EXPORT Holds {
public:
    explicit Holds(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // A preservation request: the target's data is deleted by no rule while
    // the hold lasts (period from the policy's disclosures.preservation).
    // Throws invalid_argument (no preservation section, an authority it
    // does not accept, an empty reference), not_found (no such account or
    // case).
    Hold place(const HoldRequest& request);
    // A renewed request: one more extension period, up to max_extensions,
    // before the hold expires. Throws invalid_argument (none left, not
    // active), not_found.
    Hold extend(const std::string& hold_id);
    // A warrant, court order or subpoena arrived (one of the policy's
    // release_processes): the hold lasts until release(). Must arrive
    // before the period ends.
    Hold record_process(const std::string& hold_id, const std::string& process, const std::string& reference);
    // Ends the hold; deletions it deferred happen at the next sweep.
    Hold release(const std::string& hold_id);
    Hold get(const std::string& hold_id);
    // Holds on a subject or its cases (all when empty); ended ones too when asked.
    std::vector<Hold> list(const std::string& subject = "", bool include_ended = false);

private:
    std::shared_ptr<VaultCore> core_;
};

// ---- the sweep -----------------------------------------------------------------

// One subject's due work under one trigger.
struct PlannedDeletion {
    std::string subject;
    RetentionTrigger trigger = RetentionTrigger::deletion_request;
    std::vector<std::string> rules;  // the rule ids that act
    std::int64_t due_at = 0;
    // Records per kind ("account", "case", "correspondence", "survey",
    // "billing", "post", "consent"), with what happens: "delete",
    // "anonymize" or "minimize".
    std::map<std::string, std::int64_t> counts;
    std::map<std::string, std::string> actions;
};

// Due work the sweep does not do, and why.
struct HeldBack {
    std::string subject;
    RetentionTrigger trigger = RetentionTrigger::deletion_request;
    std::string hold_id;
    std::string reason;  // "held:subject", "held:case"
};

struct SweepPlan {
    std::int64_t now = 0;
    std::vector<PlannedDeletion> deletions;
    std::vector<HeldBack> held;
    std::vector<std::string> holds_expiring;   // hold ids whose period is over
    std::vector<std::string> backups_expiring; // backup ids past the backup window
    std::vector<std::string> requests_expiring;  // unconfirmed requests past their deadline
};

struct DeletionReceipt {
    std::string id;           // "rcp_..."
    std::string subject_ref;  // a keyed digest of the subject id (hex), not the id
    RetentionTrigger trigger = RetentionTrigger::deletion_request;
    std::vector<std::string> rules;
    std::map<std::string, std::int64_t> counts;  // deleted/anonymised/minimised per record kind
    std::int64_t at = 0;
};

struct SweepOptions {
    std::int64_t now = 0;          // 0: the vault's clock
    std::size_t batch_size = 500;  // due rows read per page (memory bound)
    // Subjects per transaction. Each subject's step is whole inside one
    // transaction (never split across two); committing several together
    // writes the shared B-tree pages once instead of once per subject. A
    // crash loses at most the uncommitted group, which the next sweep redoes.
    // 1 commits every subject on its own. 1..10000.
    std::size_t subjects_per_commit = 256;
    // Phases, in order: "holds" (expired), "plan" (due rows counted),
    // "subjects" (reported after each commit, one per subject in it),
    // "backups". Returning false stops at the next commit: what was done
    // stays done, and the next sweep continues (the call fails with
    // Errc::cancelled).
    ProgressFn progress;
};

struct SweepReport {
    std::int64_t now = 0;
    std::int64_t subjects = 0;  // subjects whose due work was done
    std::map<std::string, std::int64_t> counts;  // per record kind, summed
    std::vector<std::string> receipts;           // receipt ids written
    std::vector<HeldBack> held;
    std::int64_t holds_expired = 0;
    std::int64_t backups_removed = 0;
    std::int64_t requests_expired = 0;
};

class CASEVAULT_EXPORT Retention {
public:
    explicit Retention(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // What sweep(now) would do; changes nothing. now = 0: the vault's clock.
    SweepPlan preview(std::int64_t now = 0);
    // Deletes everything due (each subject's step whole in one transaction)
    // and removes expired backups; idempotent and resumable (a killed sweep
    // leaves whole subjects done or untouched, and the next one continues).
    // Throws invalid_argument (no policy), cancelled.
    SweepReport sweep(const SweepOptions& options = {});

    // Receipts: for one subject (through its digest), or all after a
    // receipt id in id order.
    std::vector<DeletionReceipt> receipts_for(const std::string& subject);
    std::vector<DeletionReceipt> receipts(const std::string& after_id = "", std::size_t limit = 1000);
    // The digest receipts carry for a subject id.
    std::string subject_ref(const std::string& subject);

private:
    std::shared_ptr<VaultCore> core_;
};

// ---- backups -------------------------------------------------------------------

struct BackupInfo {
    std::string id;  // "bak_..."
    std::string path;
    std::int64_t taken_at = 0;
    std::int64_t size = 0;
    std::string sha256;  // hex, of the file as written
    std::int64_t removed_at = 0;  // 0 while the file is kept
};

struct RestoreReport {
    std::string backup_id;           // empty when the file is not in the catalog
    std::int64_t taken_at = 0;       // from the backup itself
    std::int64_t erasures_replayed = 0;
};

class CASEVAULT_EXPORT Backups {
public:
    explicit Backups(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Writes an encrypted copy of the store to path (online, SQLite's
    // backup API; readable with the same secret as the store) and catalogs
    // it. Progress phase "backup" (pages). Throws invalid_argument (path
    // exists or is the store), io, cancelled (the partial file is removed).
    BackupInfo create(const std::string& path, const ProgressFn& progress = {});
    std::vector<BackupInfo> list(bool include_removed = false);
    // Replaces the store's content with the backup's, then replays every
    // erasure recorded after the backup was taken (the erasure ledger and
    // the catalog survive the restore), so nobody erased comes back.
    // Phases "restore" (pages), "replay" (erasures). Throws wrong_key (a
    // backup under another key), corrupt (checksum differs from the
    // catalog's), not_found, cancelled (before the copy: nothing changed).
    RestoreReport restore(const std::string& path, const ProgressFn& progress = {});

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

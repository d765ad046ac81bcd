// The retention engine's domain logic (docs/retention.md). It reads the
// active policy's retention and preservation sections, keeps the schedule
// (one row per subject and trigger, indexed by due time) in step with
// activity, requests and status changes, and carries out what is due, one
// subject per call so the caller can give each subject its own transaction.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "billing/billing_service.hpp"
#include "casevault/retention.hpp"
#include "consent/consent_service.hpp"
#include "crypto/blind_index.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"

namespace casevault::retention {

class RetentionService {
public:
    RetentionService(store::Store& store, accounts::SubjectKeys& keys, const crypto::SecretBytes& kek,
                     crypto::BlindIndexer& index, audit::AuditLog& log, consent::ConsentService& consents,
                     accounts::AccountService& accounts, billing::BillingService& billing)
        : store_(store), keys_(keys), kek_(kek), index_(index), log_(log), consents_(consents),
          accounts_(accounts), billing_(billing) {}

    // ---- hooks from the other modules, inside their transactions
    // Qualifying activity: moves the inactivity deadline.
    void touch(const std::string& subject, const std::string& kind, std::int64_t at);
    // Sign-up starts the activity clock.
    void account_created(const std::string& subject, std::int64_t at);
    // Host status changes start (cancelled, closed) or withdraw (active) schedules.
    void status_changed(const accounts::Context& ctx, const std::string& subject, AccountStatus to);
    // Accounts::erase refuses while a hold on the subject or one of its cases lasts.
    void refuse_if_held(const accounts::Context& ctx, const std::string& subject);
    // Throws invalid_argument while a live hold preserves a record: a
    // subject hold preserves all the subject's records, a case hold the
    // case and what belongs to it (case_id; "" for records outside a case).
    void refuse_if_preserved(const accounts::Context& ctx, const std::string& subject, const std::string& case_id);
    // An erasure done outside the sweep (Accounts::erase): ledgered for replay.
    void erased_directly(const accounts::Context& ctx, const std::string& subject);

    // ---- activity
    ActivityState record_activity(const accounts::Context& ctx, const std::string& subject, const std::string& kind,
                                  std::int64_t at);
    ActivityState activity_state(const std::string& subject, std::int64_t now);

    // ---- requests
    RetentionRequest request(const accounts::Context& ctx, const std::string& subject, RequestKind kind,
                             Channel channel);
    InboundResult inbound(const accounts::Context& ctx, const InboundMessage& message);
    RetentionRequest confirm(const accounts::Context& ctx, const std::string& code);
    RetentionRequest get_request(const std::string& id);
    std::vector<RetentionRequest> list_requests(const std::string& subject);

    // ---- holds
    Hold place_hold(const accounts::Context& ctx, const HoldRequest& request);
    Hold extend_hold(const accounts::Context& ctx, const std::string& id);
    Hold hold_process(const accounts::Context& ctx, const std::string& id, const std::string& process,
                      const std::string& reference);
    Hold release_hold(const accounts::Context& ctx, const std::string& id);
    Hold get_hold(const std::string& id);
    std::vector<Hold> list_holds(const std::string& subject, bool include_ended);

    // ---- the sweep
    // Throws invalid_argument without an active policy.
    std::shared_ptr<const policy::Policy> require_policy();
    // Ends holds whose period is over and unconfirmed requests past their
    // deadline; returns (holds expired, requests expired).
    std::pair<std::int64_t, std::int64_t> expire(const accounts::Context& ctx, std::int64_t now);
    // One subject's due work: done when apply, else only planned.
    // Only rows of `trigger` (each due row is its own step).
    void process_subject(const accounts::Context& ctx, const std::string& subject, std::int64_t now, bool apply,
                         SweepPlan* plan, SweepReport* report, int trigger);
    std::vector<store::DueRow> due_page(std::int64_t now, const store::DueRow& after, std::size_t limit) {
        return store_.due_page(now, after, limit);
    }
    std::int64_t count_due(std::int64_t now) { return store_.count_due(now); }
    // Backups older than the policy's backups_and_logs_max at now.
    std::vector<store::BackupRow> expired_backups(std::int64_t now);
    // Removes a backup file and marks it removed in the catalog.
    void remove_backup(const accounts::Context& ctx, store::BackupRow row, std::int64_t now);

    std::vector<DeletionReceipt> receipts_for(const std::string& subject);
    std::vector<DeletionReceipt> receipts(const std::string& after_id, std::size_t limit);
    std::string subject_ref(const std::string& subject);

    // Re-applies ledger entries after a restore; returns how many acted.
    std::int64_t replay(const accounts::Context& ctx, const store::LedgerRow& entry);
    // After a restore: every pending request has its schedule row, and the
    // schedule follows the rules in force.
    void restore_schedule();
    // After a policy is published: the schedule follows the new rules.
    void reschedule_all(std::int64_t now);

    // The store-wide key for minimised records and hold references,
    // created (wrapped by the KEK, in meta) on first use.
    crypto::SecretBytes retention_key();
    std::optional<crypto::SecretBytes> existing_retention_key();
    // Once per store: accounts written before the engine existed get their
    // inactivity schedule (a no-op afterwards).
    void ensure_schedule();
    static void rewrap_retention_key(store::Store& store, const crypto::SecretBytes& old_kek,
                                     const crypto::SecretBytes& new_kek);

private:
    // What one step does to each kind of record.
    struct Step {
        std::vector<std::string> rules;
        std::map<std::string, std::string> actions;  // record kind -> delete/anonymize/minimize
        std::vector<std::string> keep;               // billing fields, for minimize
        bool deletes_account() const { return actions.count("account") > 0; }
    };
    static std::string subject_ref_with(const crypto::SecretBytes& key, const std::string& subject);
    Step step_for(const std::vector<const policy::RetentionRule*>& rules, const policy::Policy& p) const;
    std::map<std::string, std::int64_t> count(const std::string& subject, const Step& step,
                                              const std::set<std::string>& held_cases);
    std::map<std::string, std::int64_t> apply(const accounts::Context& ctx, const std::string& subject,
                                              const Step& step, const std::set<std::string>& held_cases,
                                              std::vector<std::string>& deleted_cases);
    void schedule(const std::string& subject, RetentionTrigger trigger, std::int64_t since, bool keep_existing);
    void schedule_inactivity(const std::string& subject);
    std::int64_t active_until(const std::string& subject, const policy::Policy& p);
    RetentionRequest start_request(const accounts::Context& ctx, store::ErasureRequestRow& row);
    Hold decode_hold(const store::HoldRow& row);
    store::HoldRow load_hold(const std::string& id);
    bool hold_live(const store::HoldRow& h, std::int64_t now) const;

    store::Store& store_;
    accounts::SubjectKeys& keys_;
    const crypto::SecretBytes& kek_;
    crypto::BlindIndexer& index_;
    audit::AuditLog& log_;
    consent::ConsentService& consents_;
    accounts::AccountService& accounts_;
    billing::BillingService& billing_;
};

}  // namespace casevault::retention

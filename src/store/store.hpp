// The storage interface the domain modules use. Rows hold only opaque ids,
// numbers and sealed bytes: the store never sees plaintext personal data.
// A second backend (e.g. PostgreSQL) implements Store without touching the
// domain modules.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace casevault::store {

using Bytes = std::vector<unsigned char>;

struct AccountRow {
    std::string id;
    int status = 0;
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    int key_version = 1;
    std::optional<Bytes> data_key;                              // wrapped by the KEK; none once erased
    std::optional<Bytes> name, email, phone, address, company;  // sealed
    std::optional<Bytes> email_bidx, phone_bidx;                // blind indexes
};

struct SubjectKeyRow {
    std::string subject_id;
    int key_version = 1;
    Bytes wrapped;
};

struct AuditRow {
    std::int64_t seq = 0;
    std::int64_t at = 0;
    std::string actor, action, subject, target, outcome, reason;
    Bytes mac;
};

struct PolicyRow {
    std::int64_t version = 0;
    std::string hash;
    std::int64_t published_at = 0;
    std::string document;  // canonical JSON: a policy is not personal data
};

struct ConsentEventRow {
    std::int64_t seq = 0;
    std::string id, subject, purpose, scope;
    int action = 0, channel = 0;
    std::int64_t policy_version = 0, at = 0, expires_at = 0;
    std::optional<Bytes> evidence;  // sealed under the subject's key
};

// The derived current state of one (subject, purpose, scope).
struct ConsentStateRow {
    std::string subject, purpose, scope;
    int action = 0;
    std::int64_t policy_version = 0, at = 0, expires_at = 0;
};

struct ReconsentRow {
    std::string subject;
    std::int64_t policy_version = 0;
    std::string purposes;  // comma-separated purpose ids still awaiting an answer
    std::int64_t requested_at = 0;
};

// A cancel or delete request (the table predates the cancel kind).
struct ErasureRequestRow {
    std::string id, subject, reason, state;
    int channel = 0;
    std::int64_t requested_at = 0, due_at = 0;
    int kind = 2;     // RequestKind
    int trigger = 4;  // RetentionTrigger
    std::optional<Bytes> code_digest;  // keyed digest of the one-time code
    std::int64_t confirm_by = 0, done_at = 0;
};

// The retention schedule: one row per subject and trigger. Rules whose
// `after` (days) is at most done_after have acted; due_at is when the next
// one does.
struct DueRow {
    std::string subject;
    int trigger = 0;
    std::int64_t since = 0;
    std::int64_t done_after = -1;
    std::int64_t due_at = 0;
};

struct HoldRow {
    std::string id;
    int scope = 1;
    std::string target, subject, authority;
    Bytes reference;  // sealed under the retention key
    int state = 1;
    std::int64_t placed_at = 0, expires_at = 0;
    int extensions = 0;
    std::optional<std::string> process;
    std::optional<Bytes> process_reference;  // sealed
    std::int64_t process_at = 0, ended_at = 0;
    bool confidential = false;
};

struct ReceiptRow {
    std::string id, subject_ref;
    int trigger = 0;
    std::string rules, counts;  // JSON: ids; {kind: n}
    std::int64_t at = 0;
};

// What one erasure did, without personal data, so a restore can do it again.
struct LedgerRow {
    std::int64_t seq = 0;
    std::string subject;
    int trigger = 0;
    std::string actions;  // JSON
    std::int64_t at = 0;
};

struct BackupRow {
    std::string id, path;
    std::int64_t taken_at = 0, size = 0;
    std::string sha256;
    std::int64_t removed_at = 0;
};

struct NotificationRow {
    std::int64_t id = 0;
    std::string kind, subject, payload;
    std::int64_t created_at = 0, available_at = 0;
    int attempts = 0;
};

struct PrincipalRow {
    std::string id;
    int role = 0;
    std::int64_t created_at = 0;
    bool active = true;
};

struct CaseRow {
    std::string id, subject, form_type;
    std::optional<Bytes> receipt, receipt_bidx, questionnaire;  // sealed / blind index
    std::optional<std::string> status;                         // the latest step's label
    std::int64_t status_at = 0;
    std::int64_t created_at = 0, updated_at = 0;
};

struct CaseStatusRow {
    std::int64_t seq = 0;
    std::string case_id, status, source;
    std::int64_t at = 0;
    std::optional<Bytes> detail;  // sealed
};

struct DocumentRow {
    std::string id, case_id;
    Bytes name;  // sealed
    std::string kind;
    std::int64_t size = 0;
    Bytes sha256;  // sealed
    std::int64_t added_at = 0;
};

struct MessageRow {
    std::string id, subject;
    std::optional<std::string> case_id;
    int channel = 0, direction = 0;
    std::int64_t at = 0, recorded_at = 0;
    std::optional<Bytes> subject_line;  // sealed
    Bytes body;                         // sealed
    std::optional<Bytes> sender, sender_bidx;
    bool foreign_sender = false;  // a sender that is not the subject's own email or phone
};

struct PaymentRow {
    std::string id, subject;
    std::int64_t amount_minor = 0;
    std::string currency;
    std::int64_t paid_at = 0;
    std::string card_brand;
    Bytes last4;                                    // sealed
    std::optional<Bytes> billing_address, processor_ref;  // sealed
    bool recurring = false;
    std::int64_t recorded_at = 0;
    std::string billing_state;            // two letters or "" (clear: aggregates)
    std::optional<Bytes> tax_exemption;   // sealed
    // Set when a retention rule kept only some fields, resealed under the
    // retention key (the subject's key is gone with the account).
    std::int64_t minimized_at = 0;
};

struct PostRow {
    std::string id;
    std::optional<std::string> author;  // none once anonymised
    std::string title, body;            // public content
    std::int64_t created_at = 0;
};

// A disclosure to a third party. Lists are comma-separated ids; sealed
// columns are under the retention key (the record outlives the subject).
struct DisclosureRow {
    std::string id, subject, recipient;
    std::optional<Bytes> recipient_name;  // sealed
    std::string rule, kind, purpose, categories, fields;
    int legal_basis = 0;
    std::string case_id, subprocessor, process;  // "" when none
    std::optional<Bytes> process_reference, justification, reference;  // sealed
    std::string hold_id;
    std::int64_t at = 0;
    int notice = 0;
    std::int64_t notice_at = 0, notification_id = 0;
    std::optional<Bytes> nondisclosure_ref;  // sealed
    std::int64_t nondisclosure_until = 0, lifted_at = 0;
};

struct SubprocessorRow {
    std::string name, purpose, categories, location;  // categories comma-separated
    std::int64_t added_at = 0, retired_at = 0;
};

struct TransferRow {
    std::string id;
    int kind = 1;
    std::string counterparty;
    std::int64_t effective_at = 0, announced_at = 0, notified = 0;
};

// One group of an aggregate: up to three keys, a count and a sum.
struct AggregateRow {
    std::string k1, k2, k3;
    std::int64_t count = 0, sum = 0;
};

// What erasing a subject does to its board posts.
enum class PostsOnErasure { remove, anonymize };

struct AuditQuery {
    std::optional<std::string> subject, actor, action, action_prefix;
    std::optional<std::int64_t> since, until;
    std::int64_t after_seq = 0;
    std::size_t limit = 1000;
};

class Store {
public:
    virtual ~Store() = default;

    // One unit of work; destroying it without commit() rolls back.
    class Tx {
    public:
        virtual ~Tx() = default;
        virtual void commit() = 0;
    };
    virtual std::unique_ptr<Tx> begin() = 0;       // a write transaction
    virtual std::unique_ptr<Tx> begin_read() = 0;  // a consistent read snapshot
    virtual bool in_transaction() = 0;

    // Metadata (small key/value facts about the store, never personal data).
    virtual void set_meta(const std::string& key, const std::string& value) = 0;
    virtual std::optional<std::string> meta(const std::string& key) = 0;
    virtual int schema_version() = 0;

    // Per-subject data keys, wrapped by the KEK. A subject is an account: its
    // key is stored with it (AccountRow::data_key) when it is inserted.
    virtual void replace_subject_key(const SubjectKeyRow& row) = 0;  // rewrapped
    virtual std::optional<SubjectKeyRow> subject_key(const std::string& subject_id) = 0;
    virtual void for_each_subject_key(const std::function<void(const SubjectKeyRow&)>& fn) = 0;
    virtual std::int64_t count_subject_keys() = 0;

    // Accounts. insert/update throw Error(duplicate) naming the column when a
    // blind index is already taken.
    virtual void insert_account(const AccountRow& row) = 0;
    virtual void update_account(const AccountRow& row) = 0;
    virtual std::optional<AccountRow> account(const std::string& id) = 0;
    virtual std::optional<AccountRow> account_by_index(const std::string& column, const Bytes& digest) = 0;
    virtual std::vector<AccountRow> accounts_after(const std::string& after_id, std::size_t limit,
                                                   std::optional<int> status) = 0;
    virtual std::int64_t count_accounts(std::optional<int> status) = 0;
    virtual void set_account_indexes(const std::string& id, const std::optional<Bytes>& email_bidx,
                                     const std::optional<Bytes>& phone_bidx) = 0;

    // Policy versions: insert only, never updated.
    virtual void insert_policy(const PolicyRow& row) = 0;
    virtual std::optional<PolicyRow> policy(std::int64_t version) = 0;
    virtual std::optional<PolicyRow> latest_policy() = 0;
    virtual std::vector<PolicyRow> policies() = 0;

    // Consent ledger: events are appended, never updated; only purge_subject
    // (erasure) deletes them. The state rows are the ledger's fold.
    virtual void append_consent(const ConsentEventRow& row) = 0;
    virtual std::vector<ConsentEventRow> consent_events(const std::string& subject) = 0;
    virtual void put_consent_state(const ConsentStateRow& row) = 0;  // insert or replace
    virtual std::vector<ConsentStateRow> consent_states(const std::string& subject) = 0;
    // Subjects holding a grant of one of `purposes` made under a version
    // before `before_version`, in id order, each with the purposes it holds.
    virtual std::vector<std::pair<std::string, std::vector<std::string>>> grant_holders(
        const std::vector<std::string>& purposes, std::int64_t before_version) = 0;
    virtual void put_reconsent(const ReconsentRow& row) = 0;  // insert or replace
    virtual void delete_reconsent(const std::string& subject, std::int64_t policy_version) = 0;
    virtual std::vector<ReconsentRow> reconsents(const std::string& subject) = 0;
    virtual std::vector<ReconsentRow> reconsents_all(std::size_t limit) = 0;
    virtual void insert_erasure_request(const ErasureRequestRow& row) = 0;
    virtual void update_erasure_request(const ErasureRequestRow& row) = 0;
    virtual std::optional<ErasureRequestRow> erasure_request(const std::string& id) = 0;
    virtual std::optional<ErasureRequestRow> erasure_request_by_code(const Bytes& digest) = 0;
    virtual std::vector<ErasureRequestRow> erasure_requests(const std::optional<std::string>& subject) = 0;
    // Requests still awaiting confirmation whose deadline is at or before now.
    virtual std::vector<ErasureRequestRow> unconfirmed_requests(std::int64_t now, std::size_t limit) = 0;
    // Moves a subject's requests of a trigger (any trigger when < 0) from
    // one state to another.
    virtual void set_request_states(const std::string& subject, int trigger, const std::string& from,
                                    const std::string& to, std::int64_t at) = 0;

    // Notification outbox.
    virtual std::int64_t insert_notification(const NotificationRow& row) = 0;  // returns its id
    virtual std::vector<NotificationRow> notifications_available(std::int64_t now, std::size_t limit) = 0;
    virtual void lease_notification(std::int64_t id, std::int64_t available_at, int attempts) = 0;
    virtual bool delete_notification(std::int64_t id) = 0;
    // Drops a subject's queued notifications of one kind (no longer true).
    virtual void delete_notifications(const std::string& subject, const std::string& kind) = 0;
    virtual std::int64_t count_notifications() = 0;

    // Principals (team, support, system, agency) and case assignments.
    virtual void insert_principal(const PrincipalRow& row) = 0;
    virtual std::optional<PrincipalRow> principal(const std::string& id) = 0;
    virtual std::vector<PrincipalRow> principals() = 0;
    virtual void set_principal_active(const std::string& id, bool active) = 0;
    virtual bool insert_assignment(const std::string& case_id, const std::string& principal,
                                   std::int64_t at) = 0;  // false: already assigned
    virtual bool delete_assignment(const std::string& case_id, const std::string& principal) = 0;
    virtual bool assigned(const std::string& case_id, const std::string& principal) = 0;
    virtual std::vector<std::string> assignees(const std::string& case_id) = 0;

    // Cases. insert/update throw Error(duplicate) when the receipt number's
    // blind index is taken.
    virtual void insert_case(const CaseRow& row) = 0;
    virtual void update_case(const CaseRow& row) = 0;
    virtual std::optional<CaseRow> case_row(const std::string& id) = 0;
    virtual std::optional<CaseRow> case_by_receipt(const Bytes& digest) = 0;
    virtual std::vector<CaseRow> cases_of(const std::string& subject) = 0;
    virtual std::vector<CaseRow> cases_after(const std::string& after_id, std::size_t limit) = 0;
    virtual void set_case_receipt_index(const std::string& id, const std::optional<Bytes>& digest) = 0;
    virtual std::int64_t count_cases() = 0;
    virtual std::int64_t append_case_status(const CaseStatusRow& row) = 0;  // returns seq
    virtual void set_case_status_detail(std::int64_t seq, const Bytes& detail) = 0;
    virtual std::vector<CaseStatusRow> case_history(const std::string& case_id) = 0;
    virtual std::optional<CaseStatusRow> latest_case_status(const std::string& case_id) = 0;
    virtual void insert_document(const DocumentRow& row) = 0;
    virtual std::optional<DocumentRow> document(const std::string& id) = 0;
    virtual std::vector<DocumentRow> documents(const std::string& case_id) = 0;
    virtual void delete_document(const std::string& id) = 0;

    // Correspondence.
    virtual void insert_message(const MessageRow& row) = 0;
    virtual std::optional<MessageRow> message(const std::string& id) = 0;
    virtual std::vector<MessageRow> messages(const std::string& subject, const std::string& after_id,
                                             std::size_t limit, const std::optional<std::string>& case_id) = 0;
    virtual std::vector<MessageRow> messages_after(const std::string& after_id, std::size_t limit) = 0;
    virtual void set_message_sender_index(const std::string& id, const std::optional<Bytes>& digest) = 0;
    // Erasure of the person with this email or phone digest: their address
    // leaves the messages they sent that are filed under someone else
    // (foreign_sender).
    virtual void forget_sender(const Bytes& digest) = 0;
    virtual std::int64_t count_messages() = 0;

    // Billing.
    virtual void insert_payment(const PaymentRow& row) = 0;
    virtual std::optional<PaymentRow> payment(const std::string& id) = 0;
    virtual std::vector<PaymentRow> payments(const std::string& subject) = 0;

    // Board posts.
    virtual void insert_post(const PostRow& row) = 0;
    virtual std::optional<PostRow> post(const std::string& id) = 0;
    virtual std::vector<PostRow> posts(const std::string& after_id, std::size_t limit,
                                       const std::optional<std::string>& author) = 0;
    virtual void delete_post(const std::string& id) = 0;

    struct RecordCounts {
        std::int64_t principals = 0, cases = 0, messages = 0, payments = 0, posts = 0;
    };
    virtual RecordCounts count_records() = 0;

    // Qualifying activity: the latest time of each kind per subject.
    virtual void touch_activity(const std::string& subject, const std::string& kind, std::int64_t at) = 0;
    virtual std::vector<std::pair<std::string, std::int64_t>> activity(const std::string& subject) = 0;

    // Erasure: deletes a subject's consent events and state, re-consent
    // requests, queued notifications, cases (with their history, documents
    // and assignments), messages, payments (but minimised ones), activity
    // and schedule; its posts are deleted or unlinked from it.
    virtual void purge_subject(const std::string& subject, PostsOnErasure posts) = 0;

    // Retention schedule.
    virtual void put_due(const DueRow& row) = 0;  // insert or replace
    virtual std::optional<DueRow> due(const std::string& subject, int trigger) = 0;
    virtual std::vector<DueRow> due_of(const std::string& subject) = 0;
    virtual void delete_due(const std::string& subject, int trigger) = 0;
    // Rows due at or before now, after the (due_at, subject, trigger) key, in
    // that order: the cost follows what is due, not the size of the store.
    virtual std::vector<DueRow> due_page(std::int64_t now, const DueRow& after, std::size_t limit) = 0;
    virtual std::int64_t count_due(std::int64_t now) = 0;
    // Every row after (subject, trigger), for rescheduling under a new policy.
    virtual std::vector<DueRow> due_rows_after(const std::string& subject, int trigger, std::size_t limit) = 0;

    // Legal holds.
    virtual void insert_hold(const HoldRow& row) = 0;
    virtual void update_hold(const HoldRow& row) = 0;
    virtual std::optional<HoldRow> hold(const std::string& id) = 0;
    virtual std::vector<HoldRow> holds(const std::optional<std::string>& subject) = 0;
    // Holds in state `state` whose expires_at is at or before now.
    virtual std::vector<HoldRow> holds_expiring(int state, std::int64_t now) = 0;

    // Deletion receipts, the erasure ledger and the backup catalog.
    virtual void insert_receipt(const ReceiptRow& row) = 0;
    virtual void put_receipt(const ReceiptRow& row) = 0;  // kept if present (restore)
    virtual std::vector<ReceiptRow> receipts_by_ref(const std::string& subject_ref) = 0;
    virtual std::vector<ReceiptRow> receipts_after(const std::string& after_id, std::size_t limit) = 0;
    virtual std::int64_t append_ledger(const LedgerRow& row) = 0;  // returns seq
    virtual void insert_ledger(const LedgerRow& row) = 0;          // keeps seq (restore)
    virtual std::vector<LedgerRow> ledger_after(std::int64_t seq) = 0;
    virtual bool has_ledger(std::int64_t seq) = 0;
    virtual void insert_backup(const BackupRow& row) = 0;
    virtual void update_backup(const BackupRow& row) = 0;
    virtual std::vector<BackupRow> backups(bool include_removed) = 0;
    virtual void delete_all_backups() = 0;  // the catalog only (restore)

    // How many records a subject has, per kind, in one query.
    struct SubjectCounts {
        std::int64_t cases = 0, messages = 0, surveys = 0, payments = 0, posts = 0, consents = 0;
    };
    virtual SubjectCounts count_subject_records(const std::string& subject) = 0;

    // Record deletions for rules that keep the account.
    virtual void delete_case(const std::string& case_id) = 0;  // with history, documents, assignments
    // Messages linked to a case in keep_cases (held) stay.
    virtual std::int64_t delete_messages_of(const std::string& subject, bool survey,
                                            const std::vector<std::string>& keep_cases) = 0;
    virtual void update_payment(const PaymentRow& row) = 0;
    virtual void delete_payment(const std::string& id) = 0;
    virtual std::int64_t count_posts_of(const std::string& author) = 0;
    virtual void anonymize_posts_of(const std::string& author) = 0;
    virtual void delete_posts_of(const std::string& author) = 0;

    // ---- accountability --------------------------------------------------

    // Rectification of records the older interfaces only insert.
    virtual void update_message(const MessageRow& row) = 0;
    virtual void update_document(const DocumentRow& row) = 0;
    virtual std::optional<CaseStatusRow> case_status(std::int64_t seq) = 0;
    // A subject's audit entries after after_seq, in seq order, read through
    // the (subject, seq) index: an export pages through them.
    virtual std::vector<AuditRow> audit_of(const std::string& subject, std::int64_t after_seq, std::size_t limit) = 0;
    // Posts by an author, paged by id.
    // (posts(after_id, limit, author) serves this already.)

    // Disclosures, oldest first (by time, then in the order recorded).
    virtual void insert_disclosure(const DisclosureRow& row) = 0;
    virtual void update_disclosure(const DisclosureRow& row) = 0;
    virtual std::optional<DisclosureRow> disclosure(const std::string& id) = 0;
    virtual std::vector<DisclosureRow> disclosures(const std::optional<std::string>& subject) = 0;
    virtual void insert_subprocessor(const SubprocessorRow& row) = 0;  // duplicate when the name is taken
    virtual void update_subprocessor(const SubprocessorRow& row) = 0;
    virtual std::optional<SubprocessorRow> subprocessor(const std::string& name) = 0;
    virtual std::vector<SubprocessorRow> subprocessors() = 0;
    virtual void insert_transfer(const TransferRow& row) = 0;
    virtual void update_transfer(const TransferRow& row) = 0;
    virtual std::vector<TransferRow> transfers() = 0;
    // Active account ids after after_id, in id order (no sealed columns read).
    virtual std::vector<std::string> active_account_ids(const std::string& after_id, std::size_t limit) = 0;

    // De-identified aggregates: grouped counts read from covering indexes.
    // Months are UTC "YYYY-MM" of the time column; [since, until) filters it
    // (until 0: open).
    // cases: (form_type, status or "", month of created_at), count.
    virtual std::vector<AggregateRow> aggregate_cases(std::int64_t since, std::int64_t until) = 0;
    // accounts: (status as decimal, month of created_at), count.
    virtual std::vector<AggregateRow> aggregate_accounts(std::int64_t since, std::int64_t until) = 0;
    // payments: (currency, month of paid_at, billing_state), count, sum of amount_minor;
    // minimised payments that kept no currency or no paid_at are left out.
    virtual std::vector<AggregateRow> aggregate_payments(std::int64_t since, std::int64_t until) = 0;

    // Changes whenever another connection commits (not on this one's own
    // commits); costs a read transaction.
    virtual std::int64_t data_version() = 0;
    // A cheap hint: changes on every commit by anyone, this connection
    // included. When it has not changed, data_version() has not either.
    virtual std::int64_t change_hint() = 0;

    // Audit log, append-only through this interface.
    virtual void append_audit(const AuditRow& row) = 0;
    virtual std::optional<AuditRow> last_audit() = 0;
    virtual std::vector<AuditRow> audit(const AuditQuery& q) = 0;
    virtual void for_each_audit(const std::function<void(const AuditRow&)>& fn) = 0;
    virtual std::int64_t count_audit() = 0;
    virtual void set_audit_mac(std::int64_t seq, const Bytes& mac) = 0;
};

// Runs f in the caller's transaction when one is open, else in a read
// snapshot of its own (the decision fast paths read outside transactions).
template <class F>
auto in_snapshot(Store& store, F f) -> decltype(f()) {
    if (store.in_transaction()) return f();
    auto tx = store.begin_read();
    auto result = f();
    tx->commit();
    return result;
}

}  // namespace casevault::store

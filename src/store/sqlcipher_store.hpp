// The SQLCipher backend of Store.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "crypto/secure_memory.hpp"
#include "store/sqlite.hpp"
#include "store/wal_watch.hpp"
#include "store/store.hpp"

namespace casevault::store {

constexpr std::size_t kFileSaltBytes = 16;

// Schema migration progress: (steps done, steps in all); false cancels.
using MigrationProgress = std::function<bool(int, int)>;

// What is at a path before we open it.
enum class FileState { missing, empty, plaintext_sqlite, too_short, present };
// Reads the first 16 bytes (SQLCipher's plaintext salt) when present.
FileState probe_file(const std::string& path, unsigned char salt_out[kFileSaltBytes]);

// Returns the SQLCipher version; throws Error(no_codec) unless the SQLite this
// library is bound to has the SQLCipher codec. Called before any file is created.
std::string require_codec();
std::string sqlite_version();

// Removes path and its -wal / -shm / -journal companions; ignores missing files.
void remove_store_files(const std::string& path);

// Which file a path names (device and inode), to tell our file from another.
struct FileIdentity {
    unsigned long long dev = 0, ino = 0;
    bool operator==(const FileIdentity& o) const { return dev == o.dev && ino == o.ino; }
};
std::optional<FileIdentity> file_identity(const std::string& path);
// Creates an empty file with O_EXCL and the given mode; nullopt if the path
// already exists. Throws Error(io) for any other failure.
std::optional<FileIdentity> create_exclusive(const std::string& path, unsigned mode);
// Gives `path` the permission bits (and, when allowed, the owner) of `like`.
void copy_ownership(const std::string& like, const std::string& path);
// An absolute path with symbolic links resolved (the parent must exist), so a
// later chdir() or a symlink swap cannot redirect the store's files.
std::string resolve_path(const std::string& path);

// Shared by every connection this library opens to a store file.
void apply_cipher_settings(Database& db, const std::string& schema, int cipher_major);
int cipher_major(const std::string& version);
crypto::SecretBytes raw_key_spec(const crypto::SecretBytes& key, const unsigned char* salt);

class SqlcipherStore final : public Store {
public:
    // Opens with the page key and the 16-byte file salt (which SQLCipher keeps
    // as the plaintext first bytes of the file). Applies every cipher setting
    // explicitly, the connection pragmas, and the schema migrations.
    static std::unique_ptr<SqlcipherStore> open(const std::string& path,
                                                const crypto::SecretBytes& page_key,
                                                const unsigned char salt[kFileSaltBytes],
                                                int busy_timeout_ms, bool durable = false,
                                                const MigrationProgress& progress = {});
    ~SqlcipherStore() override;

    // Copies every page of this store into a new file under another key
    // (sqlcipher_export). The new file is closed when this returns.
    void export_to(const std::string& new_path, const crypto::SecretBytes& page_key,
                   const unsigned char salt[kFileSaltBytes]);
    // An online copy of every page into a new file at path, encrypted under
    // the same key and salt (SQLite's backup API), with `meta` rows added to
    // the copy. progress(done, total) pages; false cancels (the partial file
    // is removed). Throws invalid_argument when path exists.
    void backup_to(const std::string& path, const crypto::SecretBytes& page_key,
                   const unsigned char salt[kFileSaltBytes],
                   const std::vector<std::pair<std::string, std::string>>& meta,
                   const std::function<bool(std::int64_t, std::int64_t)>& progress);
    // The WAL's automatic checkpoint threshold in pages (SQLite's default is
    // 1000), and a passive checkpoint now (never waits for readers).
    void set_autocheckpoint(int pages);
    void checkpoint();
    // What a backup file says about itself, read without restoring it:
    // its meta value for key, and its last erasure ledger seq.
    struct BackupFacts {
        std::optional<std::string> taken_at, backup_id;
        std::int64_t ledger_seq = 0;
    };
    static BackupFacts read_backup(const std::string& path, const crypto::SecretBytes& page_key,
                                   const unsigned char salt[kFileSaltBytes]);
    // Replaces every page of this store with the backup's (outside any
    // transaction). Throws like open() for a file under another key.
    void restore_from(const std::string& path, const crypto::SecretBytes& page_key,
                      const unsigned char salt[kFileSaltBytes],
                      const std::function<bool(std::int64_t, std::int64_t)>& progress);

    void close() noexcept;
    // Forgets the connection without closing it (in a child after fork()).
    void abandon() noexcept { db_.abandon(); }
    Database& db() { return db_; }

    // quick_check over every page in use; returns the page count.
    std::int64_t check_integrity();

    std::unique_ptr<Tx> begin() override;
    std::unique_ptr<Tx> begin_read() override;
    bool in_transaction() override { return sqlite3_get_autocommit(db_.handle()) == 0; }
    void set_meta(const std::string& key, const std::string& value) override;
    std::optional<std::string> meta(const std::string& key) override;
    int schema_version() override;

    void replace_subject_key(const SubjectKeyRow& row) override;
    std::optional<SubjectKeyRow> subject_key(const std::string& subject_id) override;
    void for_each_subject_key(const std::function<void(const SubjectKeyRow&)>& fn) override;
    std::int64_t count_subject_keys() override;

    void insert_account(const AccountRow& row) override;
    void update_account(const AccountRow& row) override;
    std::optional<AccountRow> account(const std::string& id) override;
    std::optional<AccountRow> account_by_index(const std::string& column, const Bytes& digest) override;
    std::vector<AccountRow> accounts_after(const std::string& after_id, std::size_t limit,
                                           std::optional<int> status) override;
    std::int64_t count_accounts(std::optional<int> status) override;
    void set_account_indexes(const std::string& id, const std::optional<Bytes>& email_bidx,
                             const std::optional<Bytes>& phone_bidx) override;

    void insert_policy(const PolicyRow& row) override;
    std::optional<PolicyRow> policy(std::int64_t version) override;
    std::optional<PolicyRow> latest_policy() override;
    std::vector<PolicyRow> policies() override;
    void append_consent(const ConsentEventRow& row) override;
    std::vector<ConsentEventRow> consent_events(const std::string& subject) override;
    void put_consent_state(const ConsentStateRow& row) override;
    std::vector<ConsentStateRow> consent_states(const std::string& subject) override;
    std::vector<std::pair<std::string, std::vector<std::string>>> grant_holders(
        const std::vector<std::string>& purposes, std::int64_t before_version) override;
    void put_reconsent(const ReconsentRow& row) override;
    void delete_reconsent(const std::string& subject, std::int64_t policy_version) override;
    std::vector<ReconsentRow> reconsents(const std::string& subject) override;
    std::vector<ReconsentRow> reconsents_all(std::size_t limit) override;
    void insert_erasure_request(const ErasureRequestRow& row) override;
    void update_erasure_request(const ErasureRequestRow& row) override;
    std::optional<ErasureRequestRow> erasure_request(const std::string& id) override;
    std::optional<ErasureRequestRow> erasure_request_by_code(const Bytes& digest) override;
    std::vector<ErasureRequestRow> erasure_requests(const std::optional<std::string>& subject) override;
    std::vector<ErasureRequestRow> unconfirmed_requests(std::int64_t now, std::size_t limit) override;
    void set_request_states(const std::string& subject, int trigger, const std::string& from,
                            const std::string& to, std::int64_t at) override;
    void put_due(const DueRow& row) override;
    std::optional<DueRow> due(const std::string& subject, int trigger) override;
    std::vector<DueRow> due_of(const std::string& subject) override;
    void delete_due(const std::string& subject, int trigger) override;
    std::vector<DueRow> due_page(std::int64_t now, const DueRow& after, std::size_t limit) override;
    std::int64_t count_due(std::int64_t now) override;
    std::vector<DueRow> due_rows_after(const std::string& subject, int trigger, std::size_t limit) override;
    void insert_hold(const HoldRow& row) override;
    void update_hold(const HoldRow& row) override;
    std::optional<HoldRow> hold(const std::string& id) override;
    std::vector<HoldRow> holds(const std::optional<std::string>& subject) override;
    std::vector<HoldRow> holds_expiring(int state, std::int64_t now) override;
    void insert_receipt(const ReceiptRow& row) override;
    void put_receipt(const ReceiptRow& row) override;
    std::vector<ReceiptRow> receipts_by_ref(const std::string& subject_ref) override;
    std::vector<ReceiptRow> receipts_after(const std::string& after_id, std::size_t limit) override;
    std::int64_t append_ledger(const LedgerRow& row) override;
    void insert_ledger(const LedgerRow& row) override;
    std::vector<LedgerRow> ledger_after(std::int64_t seq) override;
    bool has_ledger(std::int64_t seq) override;
    void insert_backup(const BackupRow& row) override;
    void update_backup(const BackupRow& row) override;
    std::vector<BackupRow> backups(bool include_removed) override;
    void delete_all_backups() override;
    SubjectCounts count_subject_records(const std::string& subject) override;
    void delete_case(const std::string& case_id) override;
    std::int64_t delete_messages_of(const std::string& subject, bool survey,
                                    const std::vector<std::string>& keep_cases) override;
    void update_payment(const PaymentRow& row) override;
    void delete_payment(const std::string& id) override;
    std::int64_t count_posts_of(const std::string& author) override;
    void anonymize_posts_of(const std::string& author) override;
    void delete_posts_of(const std::string& author) override;
    std::int64_t insert_notification(const NotificationRow& row) override;
    std::vector<NotificationRow> notifications_available(std::int64_t now, std::size_t limit) override;
    void lease_notification(std::int64_t id, std::int64_t available_at, int attempts) override;
    bool delete_notification(std::int64_t id) override;
    void delete_notifications(const std::string& subject, const std::string& kind) override;
    std::int64_t count_notifications() override;
    void insert_principal(const PrincipalRow& row) override;
    std::optional<PrincipalRow> principal(const std::string& id) override;
    std::vector<PrincipalRow> principals() override;
    void set_principal_active(const std::string& id, bool active) override;
    bool insert_assignment(const std::string& case_id, const std::string& principal,
                                   std::int64_t at) override;
    bool delete_assignment(const std::string& case_id, const std::string& principal) override;
    bool assigned(const std::string& case_id, const std::string& principal) override;
    std::vector<std::string> assignees(const std::string& case_id) override;
    void insert_case(const CaseRow& row) override;
    void update_case(const CaseRow& row) override;
    std::optional<CaseRow> case_row(const std::string& id) override;
    std::optional<CaseRow> case_by_receipt(const Bytes& digest) override;
    std::vector<CaseRow> cases_of(const std::string& subject) override;
    std::vector<CaseRow> cases_after(const std::string& after_id, std::size_t limit) override;
    void set_case_receipt_index(const std::string& id, const std::optional<Bytes>& digest) override;
    std::int64_t count_cases() override;
    std::int64_t append_case_status(const CaseStatusRow& row) override;
    void set_case_status_detail(std::int64_t seq, const Bytes& detail) override;
    std::vector<CaseStatusRow> case_history(const std::string& case_id) override;
    std::optional<CaseStatusRow> latest_case_status(const std::string& case_id) override;
    void insert_document(const DocumentRow& row) override;
    std::optional<DocumentRow> document(const std::string& id) override;
    std::vector<DocumentRow> documents(const std::string& case_id) override;
    void delete_document(const std::string& id) override;
    void insert_message(const MessageRow& row) override;
    std::optional<MessageRow> message(const std::string& id) override;
    std::vector<MessageRow> messages(const std::string& subject, const std::string& after_id,
                                             std::size_t limit, const std::optional<std::string>& case_id) override;
    std::vector<MessageRow> messages_after(const std::string& after_id, std::size_t limit) override;
    void set_message_sender_index(const std::string& id, const std::optional<Bytes>& digest) override;
    void forget_sender(const Bytes& digest) override;
    RecordCounts count_records() override;
    std::int64_t count_messages() override;
    void insert_payment(const PaymentRow& row) override;
    std::optional<PaymentRow> payment(const std::string& id) override;
    std::vector<PaymentRow> payments(const std::string& subject) override;
    void insert_post(const PostRow& row) override;
    std::optional<PostRow> post(const std::string& id) override;
    std::vector<PostRow> posts(const std::string& after_id, std::size_t limit,
                                       const std::optional<std::string>& author) override;
    void delete_post(const std::string& id) override;
    void touch_activity(const std::string& subject, const std::string& kind, std::int64_t at) override;
    std::vector<std::pair<std::string, std::int64_t>> activity(const std::string& subject) override;
    void purge_subject(const std::string& subject, PostsOnErasure posts) override;
    std::int64_t data_version() override;
    std::int64_t change_hint() override;

    void append_audit(const AuditRow& row) override;
    std::optional<AuditRow> last_audit() override;
    std::vector<AuditRow> audit(const AuditQuery& q) override;
    void for_each_audit(const std::function<void(const AuditRow&)>& fn) override;
    std::int64_t count_audit() override;
    void set_audit_mac(std::int64_t seq, const Bytes& mac) override;

    // Accountability: rectification (sqlcipher_subjects.cpp).
    void update_message(const MessageRow& row) override;
    void update_document(const DocumentRow& row) override;
    std::optional<CaseStatusRow> case_status(std::int64_t seq) override;
    std::vector<AuditRow> audit_of(const std::string& subject, std::int64_t after_seq, std::size_t limit) override;
    // Disclosures, subprocessors, transfers (sqlcipher_disclosures.cpp).
    void insert_disclosure(const DisclosureRow& row) override;
    void update_disclosure(const DisclosureRow& row) override;
    std::optional<DisclosureRow> disclosure(const std::string& id) override;
    std::vector<DisclosureRow> disclosures(const std::optional<std::string>& subject) override;
    void insert_subprocessor(const SubprocessorRow& row) override;
    void update_subprocessor(const SubprocessorRow& row) override;
    std::optional<SubprocessorRow> subprocessor(const std::string& name) override;
    std::vector<SubprocessorRow> subprocessors() override;
    void insert_transfer(const TransferRow& row) override;
    void update_transfer(const TransferRow& row) override;
    std::vector<TransferRow> transfers() override;
    std::vector<std::string> active_account_ids(const std::string& after_id, std::size_t limit) override;
    // Aggregates (sqlcipher_aggregates.cpp).
    std::vector<AggregateRow> aggregate_cases(std::int64_t since, std::int64_t until) override;
    std::vector<AggregateRow> aggregate_accounts(std::int64_t since, std::int64_t until) override;
    std::vector<AggregateRow> aggregate_payments(std::int64_t since, std::int64_t until) override;

private:
    SqlcipherStore() = default;
    Database db_;
    int cipher_major_ = 0;  // 3 or 4: the settings to pin differ
    WalWatch wal_watch_;
};

// Applies the forward-only migrations inside one transaction (schema.cpp).
void migrate(Database& db, const MigrationProgress& progress = {});
int latest_schema_version();

}  // namespace casevault::store

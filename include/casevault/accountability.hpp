// Accountability (docs/accountability.md): what a person can ask about their
// own data (export, rectification, erasure), disclosures to third parties
// under the policy's rules, and de-identified aggregates.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/consent.hpp"
#include "casevault/error.hpp"
#include "casevault/export.hpp"
#include "casevault/policy.hpp"
#include "casevault/progress.hpp"
#include "casevault/retention.hpp"

namespace casevault {

class VaultCore;

// Receives an export or a disclosure package piece by piece, in order.
// Returning false stops the export: the call throws Error(cancelled).
using ExportSink = std::function<bool(const char* data, std::size_t size)>;

// ---- data-subject requests ------------------------------------------------------

// A record a rectification corrects.
enum class RectifyTarget : int { account = 1, case_file = 2, case_status = 3, document = 4, message = 5, payment = 6 };
CASEVAULT_EXPORT const char* rectify_target_name(RectifyTarget t) noexcept;
// Throws Error(invalid_argument) for an unknown name.
CASEVAULT_EXPORT RectifyTarget rectify_target_from_name(const std::string& name);

// One corrected personal field. Fields per target (docs/accountability.md):
//   account:     name, email, phone, address, company ("" clears all but name)
//   case_file:   receipt_number, questionnaire (JSON text)
//   case_status: detail (id = the step's seq as decimal text)
//   document:    name
//   message:     subject_line, body, sender
//   payment:     billing_address, processor_ref, tax_exemption, billing_state
struct Rectification {
    RectifyTarget target = RectifyTarget::account;
    std::string id;     // the record's id (the account id for account)
    std::string field;
    std::string value;  // the corrected value
};

struct RectifyResult {
    RectifyTarget target = RectifyTarget::account;
    std::string id;
    std::string field;
    std::int64_t at = 0;
};

// What erase() queued: the request the retention engine carries out, and
// the subject_ref under which its deletion receipt will be found
// (Retention::receipts_for works only while the account exists).
struct ErasureTicket {
    RetentionRequest request;
    std::string subject_ref;
};

// Requests a person makes about their own data, carried out by the host on
// their behalf after it has authenticated them. Each call is audited under
// OpenOptions::actor with the subject named.
class CASEVAULT_EXPORT SubjectRequests {
public:
    explicit SubjectRequests(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Everything held about the subject, as one JSON document
    // (docs/export-format.md), written to sink in pieces from one read
    // snapshot: records are read a page at a time, so memory does not grow
    // with the subject's history. Disclosures under a nondisclosure order
    // and confidential holds are left out while the law forbids telling.
    // Audited ("subject.export"). Throws not_found, invalid_argument,
    // cancelled (sink returned false).
    void export_to(const std::string& subject, const ExportSink& sink);
    // The same document as a string.
    std::string export_json(const std::string& subject);

    // Corrects one personal field of a record that belongs to the subject.
    // The old value is overwritten (and, with secure_delete, its page bytes
    // zeroed): no history keeps it. Blind indexes follow. Audited
    // ("subject.rectify", naming the target and field, never the values).
    // Throws not_found (no such record, or not the subject's),
    // invalid_argument (unknown field, bad value, erased account),
    // duplicate (an email, phone or receipt number taken).
    RectifyResult rectify(const std::string& subject, const Rectification& change);
    // All or nothing, in one transaction.
    std::vector<RectifyResult> rectify_many(const std::string& subject, const std::vector<Rectification>& changes);

    // Queues the subject's erasure with the retention engine
    // (Requests::erase: the policy's deadline, holds respected).
    ErasureTicket erase(const std::string& subject, Channel channel = Channel::web);

private:
    std::shared_ptr<VaultCore> core_;
};

// ---- disclosures --------------------------------------------------------------------

// Thrown (code disclosure_refused) when the policy does not allow a
// disclosure; reason() is stable (docs/accountability.md): no_rule,
// purpose_not_allowed, consent_required, categories_not_allowed,
// fields_not_allowed, legal_process_required, process_not_accepted,
// justification_required, preserved_data_needs_process, unknown_subprocessor,
// subprocessor_not_allowed, subject_erased. The refusal is audited.
class CASEVAULT_EXPORT DisclosureRefused : public Error {
public:
    DisclosureRefused(std::string reason, const std::string& message);
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string reason_;
};

// A legal process behind a government request.
struct LegalProcess {
    std::string kind;           // warrant, criminal_subpoena, court_order, civil_subpoena, mlat_request, emergency
    std::string reference;      // docket or reference number (sealed; never logged)
    std::string justification;  // required for emergency (sealed)
};

// A prohibition on telling the subject (a gag / nondisclosure order).
struct NondisclosureOrder {
    std::string reference;  // sealed
    std::int64_t until = 0; // when it ends (the notice is then sent); 0: until lifted
};

struct DisclosureRequest {
    std::string subject;
    std::string recipient;       // uscis, dhs, dol, consulate, court, law_enforcement, foreign_government,
                                 // tax_authority, subprocessor, other_agency, *_partner
    std::string recipient_name;  // e.g. the office or agency unit (sealed)
    std::string purpose;         // required by on_behalf, legal_obligation, subprocessor rules
    std::vector<std::string> categories;  // >= 1 policy category ids
    std::vector<std::string> fields;      // when the rule names fields: a subset (empty: the rule's)
    std::string case_id;         // on_behalf: the case the filing is for
    std::string subprocessor;    // recipient subprocessor: its registered name
    std::optional<LegalProcess> process;
    std::optional<NondisclosureOrder> nondisclosure;
    std::string hold_id;         // disclosing data preserved under this hold
    std::string reference;       // the host's own reference (sealed)
    std::int64_t at = 0;         // 0: now
};

enum class NoticeState : int {
    queued = 1,               // a disclosure_notice is in the outbox
    withheld_prohibited = 2,  // a nondisclosure order forbids it (queued for its end when it has one)
    withheld_emergency = 3,   // an emergency disclosure the rule exempts
    not_required = 4,         // the rule does not notify (notify_subject: never)
};
CASEVAULT_EXPORT const char* notice_state_name(NoticeState s) noexcept;

struct Disclosure {
    std::string id;  // "dsc_..."
    std::string subject;
    std::string recipient, recipient_name;
    std::string rule;  // the policy rule that allowed it
    std::string kind;  // its kind: on_behalf, legal_process, legal_obligation, subprocessor, partner_sharing
    std::string purpose;
    std::vector<std::string> categories, fields;
    LegalBasis legal_basis = LegalBasis::legal_obligation;
    std::string case_id, subprocessor;
    std::optional<LegalProcess> process;
    std::string hold_id;
    std::string reference;
    std::int64_t at = 0;
    NoticeState notice = NoticeState::not_required;
    std::int64_t notice_at = 0;            // when the notice is available to send (0: none queued)
    std::int64_t nondisclosure_until = 0;  // -1: until lifted; 0: no order
    std::int64_t lifted_at = 0;
};

struct Subprocessor {
    std::string name;      // unique
    std::string purpose;   // a policy purpose
    std::vector<std::string> categories;
    std::string location;  // e.g. "US"
    std::int64_t added_at = 0;
    std::int64_t retired_at = 0;  // 0 while in use
};

enum class TransferKind : int { acquisition = 1, merger = 2 };
CASEVAULT_EXPORT const char* transfer_kind_name(TransferKind k) noexcept;

struct TransferAnnouncement {
    TransferKind kind = TransferKind::acquisition;
    std::string counterparty;      // the acquiring or merging company (not personal data)
    std::int64_t effective_at = 0; // when data moves: at least the notification lead time ahead
};

struct Transfer {
    std::string id;  // "trf_..."
    TransferKind kind = TransferKind::acquisition;
    std::string counterparty;
    std::int64_t effective_at = 0, announced_at = 0;
    std::int64_t notified = 0;  // active accounts sent a transfer_notice
};

class CASEVAULT_EXPORT Disclosures {
public:
    explicit Disclosures(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Checks the request against the active policy's disclosure rules and
    // records it; throws DisclosureRefused (audited) when no rule allows it,
    // invalid_argument for a malformed request, not_found for an unknown
    // subject, case or hold. Unless a nondisclosure order or an exempt
    // emergency applies, the subject's disclosure_notice is queued in the
    // same transaction, available at once (or at the order's end).
    Disclosure record(const DisclosureRequest& request);
    // A nondisclosure order ended early: the notice is queued now.
    Disclosure lift_nondisclosure(const std::string& disclosure_id);
    Disclosure get(const std::string& disclosure_id);
    std::vector<Disclosure> list(const std::string& subject = "");
    // The data a disclosure allows, as JSON (the export format restricted to
    // the disclosure's categories and fields), for the host to hand over.
    // Audited ("disclosure.package").
    void package(const std::string& disclosure_id, const ExportSink& sink);
    std::string package_json(const std::string& disclosure_id);

    // The subprocessor registry. add throws invalid_argument (unknown
    // purpose or category, empty location) and duplicate.
    Subprocessor add_subprocessor(const Subprocessor& s);
    Subprocessor retire_subprocessor(const std::string& name);
    std::vector<Subprocessor> subprocessors(bool include_retired = false);

    // An acquisition or merger: a transfer_notice to every active account
    // before data moves. Progress phase "transfer_notice". Throws
    // invalid_argument (effective_at inside the lead time, empty counterparty).
    Transfer announce_transfer(const TransferAnnouncement& t, const ProgressFn& progress = {});
    std::vector<Transfer> transfers();

private:
    std::shared_ptr<VaultCore> core_;
};

// ---- de-identified aggregates ---------------------------------------------------

// One cell of a table, or a margin (a key "*" sums that dimension), or the
// grand total (all keys "*"). A suppressed cell shows no count nor total.
struct AggregateCell {
    std::vector<std::string> keys;
    std::optional<std::int64_t> count;
    std::optional<std::int64_t> total_minor;  // billing tables only
    bool suppressed = false;
};

struct AggregateTable {
    std::string name;                     // "cases", "accounts", "billing"
    std::vector<std::string> dimensions;  // cases: form_type, status, month; accounts: status, month;
                                          // billing: month, billing_state
    std::string currency;                 // billing tables: one per currency
    std::int64_t min_count = 5;           // k
    std::vector<AggregateCell> cells;     // non-empty cells, sorted by keys
    std::vector<AggregateCell> margins;   // one per value of each dimension
    AggregateCell total;
    std::int64_t suppressed_primary = 0;        // cells and margins below k
    std::int64_t suppressed_complementary = 0;  // suppressed so that none can be derived
};

struct AggregateOptions {
    // A policy purpose of data_form "aggregate" or "deidentified" the
    // report serves (audited); "" for none. Any other purpose is refused.
    std::string purpose;
    // Record time window [since, until); 0: open. Each bound is a whole UTC
    // month, 00:00:00 on the first day (else invalid_argument): windows a
    // second apart would isolate the records of that second by subtraction.
    std::int64_t since = 0, until = 0;
    std::int64_t min_count = 0;         // 0: the policy's aggregates.min_count (default 5); may only raise it
};

class CASEVAULT_EXPORT Aggregates {
public:
    explicit Aggregates(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Counts with k-suppression and complementary suppression: no cell,
    // margin or total below k is shown, and none that a published total
    // would reveal (docs/accountability.md). Months are UTC "YYYY-MM".
    AggregateTable cases(const AggregateOptions& options = {});     // by opening month
    AggregateTable accounts(const AggregateOptions& options = {});  // by creation month
    std::vector<AggregateTable> billing(const AggregateOptions& options = {});  // by payment month
    // The three reports, audited once ("aggregates.report").
    std::vector<AggregateTable> all(const AggregateOptions& options = {});

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

// Cases: an account's immigration cases, with their USCIS receipt number,
// form type, status history, questionnaire answers and documents metadata.
// Personal content is sealed under the subject's data key; the receipt
// number is also blind-indexed so the status-check service can find a case.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

// What opening a case records. receipt_number may be absent (a case
// prepared before filing) and set later with update(). It is normalised
// (case, spaces and dashes) and validated: a known office prefix (EAC, WAC,
// LIN, SRC, NBC, MSC, IOE, YSC, ...) followed by ten digits.
// form_type: a USCIS / DOS form name such as "I-130", "I-485", "I-129F",
// "N-400", "AR-11", "DS-160" (letters, a dash, digits, an optional letter
// suffix; upper-cased). questionnaire: a JSON document (object or array),
// sealed; at most 1 MiB.
struct CaseFields {
    std::optional<std::string> receipt_number;
    std::string form_type;
    std::optional<std::string> questionnaire;
};

// Only the fields that are set change; an empty receipt number or
// questionnaire removes it.
struct CaseUpdate {
    std::optional<std::string> receipt_number;
    std::optional<std::string> form_type;
    std::optional<std::string> questionnaire;
};

// One step of a case's history. status is a short label such as
// "received", "rfe_sent", "approved" (lower-case letters, digits and '_',
// at most 64); source says where it came from ("uscis", "manual", ...
// the same alphabet). detail is optional free text (sealed, at most 4 KiB).
struct CaseStatus {
    std::string status;
    std::int64_t at = 0;  // Unix seconds; 0 = now
    std::string source;
    std::optional<std::string> detail;
};

struct Case {
    std::string id;       // "cas_..."
    std::string subject;  // the account it belongs to
    std::optional<std::string> receipt_number;  // normalised, e.g. "EAC2190012345"
    std::string form_type;
    std::optional<std::string> questionnaire;   // canonical JSON
    std::optional<CaseStatus> latest_status;    // the most recent step, if any
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

// Metadata of a document; the bytes stay with the host. name is sealed
// (at most 255 bytes); kind a label like status (e.g. "passport",
// "birth_certificate"); sha256 the hex digest of the bytes.
struct DocumentFields {
    std::string name;
    std::string kind;
    std::int64_t size = 0;
    std::string sha256;
};

struct CaseDocument {
    std::string id;  // "doc_..."
    std::string case_id;
    std::string name, kind;
    std::int64_t size = 0;
    std::string sha256;
    std::int64_t added_at = 0;
};

class VaultCore;

// Each call takes the acting principal first and is checked against the
// active policy (Vault::can); a refusal throws AccessDenied and is audited.
// Each call is one transaction with its audit entries.
class CASEVAULT_EXPORT Cases {
public:
    explicit Cases(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Opens a case for subject (an active account). Allowed to the subject
    // itself (an "own" write grant) and to a role with an "assigned" write
    // grant on cases, which is then assigned to the new case. Throws
    // invalid_argument, duplicate (the receipt number is tracked already),
    // not_found (no such account), access_denied.
    Case open(const std::string& actor, const std::string& subject, const CaseFields& fields);
    Case get(const std::string& actor, const std::string& case_id);
    // The subject's cases the actor may read, in id order (creation order
    // to the millisecond); the others are left out, not refused.
    std::vector<Case> list(const std::string& actor, const std::string& subject);
    // By receipt number, through its blind index; nullopt when no case has
    // it, and also when the case is one the actor may not read (so a refusal
    // does not say the number is tracked; it is audited as access.denied).
    std::optional<Case> find_by_receipt(const std::string& actor, const std::string& receipt_number);
    Case update(const std::string& actor, const std::string& case_id, const CaseUpdate& update);
    // Appends a step; the case's latest status is the step with the latest
    // time (ties: the one added last).
    CaseStatus add_status(const std::string& actor, const std::string& case_id, const CaseStatus& status);
    std::vector<CaseStatus> history(const std::string& actor, const std::string& case_id);  // oldest first
    CaseDocument add_document(const std::string& actor, const std::string& case_id, const DocumentFields& doc);
    std::vector<CaseDocument> documents(const std::string& actor, const std::string& case_id);
    void remove_document(const std::string& actor, const std::string& document_id);  // erase action

    // The host's administration (no actor: OpenOptions::actor is recorded).
    // principal must be an active attorney or staff principal. Assigning
    // twice or unassigning what is not assigned is a no-op (still audited).
    void assign(const std::string& case_id, const std::string& principal);
    void unassign(const std::string& case_id, const std::string& principal);
    std::vector<std::string> assignees(const std::string& case_id);

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

// The privacy policy as a machine-readable document (docs/policy-format.md):
// data categories, purposes and their legal bases, roles, retention,
// disclosure and notification rules. A store keeps every published version;
// exactly one, the latest, is active and decides may_process().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/accounts.hpp"
#include "casevault/error.hpp"
#include "casevault/export.hpp"
#include "casevault/progress.hpp"

namespace casevault {

enum class LegalBasis : int { consent = 0, contract = 1, legal_obligation = 2, legitimate_interest = 3 };
CASEVAULT_EXPORT const char* legal_basis_name(LegalBasis b) noexcept;

// One problem in a policy document; path is a JSON Pointer to the offending
// field ("/purposes/2/legal_basis", "" for the document itself).
struct PolicyProblem {
    std::string path;
    std::string message;
};

// Thrown (code invalid_argument) for a document that does not validate; it
// carries every problem found, not only the first.
class CASEVAULT_EXPORT PolicyInvalid : public Error {
public:
    explicit PolicyInvalid(std::vector<PolicyProblem> problems);
    const std::vector<PolicyProblem>& problems() const noexcept { return problems_; }

private:
    std::vector<PolicyProblem> problems_;
};

struct PolicyCategory {
    std::string id;
    std::string description;
    std::string kind = "personal";  // "personal", "public", "payment" or "device"
    // The records that hold this category, which retention rules on it act
    // on: "account", "case", "correspondence", "survey", "billing", "post".
    std::vector<std::string> records;
};

struct PolicyPurpose {
    std::string id;
    std::string description;
    LegalBasis legal_basis = LegalBasis::consent;
    std::vector<std::string> categories;            // data categories it may use
    bool requires_fresh_consent = false;            // this version invalidates older grants
    std::vector<AccountStatus> account_statuses;    // account states in which it may run
    bool close_on_decline = false;                  // declining it closes the account and queues erasure
    std::optional<std::int64_t> consent_max_days;   // a grant lasts at most this long
    bool third_party_disclosure = false;
    std::vector<std::string> depends_on;            // consent purposes that must be granted too
    std::string data_form = "identified";           // "identified", "deidentified" or "aggregate"
};

// A policy document as validated (and, once published, as stored).
struct PolicyVersion {
    std::int64_t version = 0;       // metadata.version: a positive integer, increasing
    std::string name;
    std::string effective_date;     // "YYYY-MM-DD"
    std::string text_url;           // "" when absent
    std::string text_sha256;        // of the human-readable text; "" when absent
    std::string jurisdiction;
    std::string hash;               // "sha256:<64 hex>" of the canonical document
    std::int64_t published_at = 0;  // 0 until published
    bool active = false;
    std::vector<PolicyCategory> categories;
    std::vector<PolicyPurpose> purposes;
    std::string document;           // the canonical JSON text
};

// What changed from one version to another.
struct PolicyDiff {
    std::int64_t from = 0, to = 0;
    std::vector<std::string> purposes_added, purposes_removed, purposes_changed;
    std::vector<std::string> categories_added, categories_removed;
    std::vector<std::string> roles_changed;
    bool retention_changed = false;
    bool disclosures_changed = false;
    bool notifications_changed = false;
    std::vector<std::string> reconsent_purposes;  // purposes whose grants `to` invalidates
};

struct PublishResult {
    PolicyVersion policy;
    std::int64_t subjects_reconsent = 0;   // subjects now asked to consent again
    std::int64_t notifications = 0;        // reconsent_required notifications queued
};

// Validates a document without a store: every problem, empty when valid.
CASEVAULT_EXPORT std::vector<PolicyProblem> lint_policy(const std::string& json_text);
// Validates and returns the parsed document; throws PolicyInvalid.
CASEVAULT_EXPORT PolicyVersion parse_policy(const std::string& json_text);

class VaultCore;

// A view on a Vault's policy versions.
class CASEVAULT_EXPORT Policies {
public:
    explicit Policies(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Publishes a new version and makes it active. Throws PolicyInvalid, or
    // invalid_argument when its version is not greater than the active one.
    // Grants of the purposes it marks requires_fresh_consent stop counting:
    // each subject holding one is asked to consent again (a reconsent_required
    // notification in the outbox). Progress phase: "reconsent" (per subject).
    PublishResult publish(const std::string& json_text, const ProgressFn& progress = {});

    // The active version; nullopt before the first publish.
    std::optional<PolicyVersion> active();
    // Throws not_found.
    PolicyVersion get(std::int64_t version);
    std::vector<PolicyVersion> list();  // every version, oldest first, without `document`
    PolicyDiff diff(std::int64_t from, std::int64_t to);

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

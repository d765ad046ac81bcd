// The consent ledger: an append-only record of what each person consented
// to, under which policy version, through which channel; the current state
// derived from it; and the decision "may this person's data be processed for
// this purpose now?".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

enum class ConsentAction : int { granted = 1, withdrawn = 2, declined = 3 };
// How the consent reached the host.
enum class Channel : int { web = 1, email = 2, whatsapp = 3, phone = 4, api = 5 };

CASEVAULT_EXPORT const char* consent_action_name(ConsentAction a) noexcept;
CASEVAULT_EXPORT ConsentAction consent_action_from_name(const std::string& name);  // invalid_argument
CASEVAULT_EXPORT const char* channel_name(Channel c) noexcept;
CASEVAULT_EXPORT Channel channel_from_name(const std::string& name);  // invalid_argument

// Why may_process() decided as it did. The numbers are frozen (C API).
enum class DecisionReason : int {
    // allowed
    consent = 0,              // a grant valid under the active policy
    contract = 1,             // the purpose's legal basis, with the account in an allowed state
    legal_obligation = 2,
    legitimate_interest = 3,
    // denied
    no_policy = 10,           // no policy has been published
    purpose_unknown = 11,     // the active policy has no such purpose
    subject_unknown = 12,     // no such account (or visitor record)
    account_not_active = 13,  // the account's state is not one the purpose allows (incl. erased)
    no_consent = 14,          // never granted
    withdrawn = 15,
    declined = 16,
    reconsent_required = 17,  // granted under a version that a later one superseded
    expired = 18,             // the grant's time limit has passed
    objected = 19,            // legitimate interest, and the person objected (withdrew)
};
CASEVAULT_EXPORT const char* decision_reason_name(DecisionReason r) noexcept;

struct Decision {
    bool allowed = false;
    DecisionReason reason = DecisionReason::no_policy;
    std::int64_t policy_version = 0;  // the version it was decided under; 0 without a policy
};

// One entry to append to the ledger.
struct ConsentRequest {
    std::string subject;                    // an account id
    std::string purpose;                    // a purpose id of the active policy
    ConsentAction action = ConsentAction::granted;
    Channel channel = Channel::web;
    std::string scope;                      // "" = the whole purpose; else an opaque record id or
                                            // category the grant is limited to (e.g. a case id):
                                            // a-z 0-9 _ - . : only, at most 128
    std::string evidence;                   // a reference to the proof (message id, form
                                            // submission): sealed, may be ""
    std::optional<std::int64_t> expires_at; // for grants; capped by the purpose's consent_max_days
};

struct ConsentEvent {
    std::string id;  // "cns_...", also the consent receipt id
    std::string subject;
    std::string purpose;
    std::string scope;
    ConsentAction action = ConsentAction::granted;
    Channel channel = Channel::web;
    std::int64_t policy_version = 0;
    std::string evidence;
    std::int64_t at = 0;
    std::int64_t expires_at = 0;  // 0: no time limit
};

// The current state of one (purpose, scope) of a subject.
struct ConsentState {
    std::string purpose;
    std::string scope;
    ConsentAction action = ConsentAction::granted;  // the last event
    std::int64_t policy_version = 0;
    std::int64_t at = 0;
    std::int64_t expires_at = 0;
    bool reconsent_required = false;  // a grant the active version no longer accepts
};

// The record that a subject is to be erased, kept for the retention engine.
struct ErasureRequest {
    std::string id;      // "era_..."
    std::string subject;
    std::string reason;  // "consent_declined:<purpose>", "deletion_request"
    Channel channel = Channel::web;
    std::int64_t requested_at = 0;
    std::int64_t due_at = 0;  // erase on the first sweep at or after this time
    std::string state;        // "awaiting_confirmation", "pending", "done", "expired", "withdrawn"
};

struct ReconsentRequest {
    std::string subject;
    std::int64_t policy_version = 0;  // the version asking
    std::vector<std::string> purposes;
    std::int64_t requested_at = 0;
};

class VaultCore;

// A view on a Vault's consent ledger. Subjects are account ids; visitor
// consents are keyed by the host's anonymous visitor id (stored only as a
// keyed digest).
class CASEVAULT_EXPORT Consents {
public:
    explicit Consents(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Appends one event. Throws invalid_argument (unknown purpose, a purpose
    // whose basis needs no consent, withdrawing what is not granted, an
    // erased account, expiry in the past) or not_found (no such account).
    // Declining a close_on_decline purpose closes the account and records an
    // erasure request.
    ConsentEvent record(const ConsentRequest& request);
    // All or nothing, in one transaction.
    std::vector<ConsentEvent> record_many(const std::vector<ConsentRequest>& batch);

    Decision may_process(const std::string& subject, const std::string& purpose, const std::string& scope = "");

    std::vector<ConsentEvent> history(const std::string& subject);
    std::vector<ConsentState> state(const std::string& subject);
    // Kantara Consent Receipt v1.1 documents, one per grant, as a JSON array.
    std::string receipts(const std::string& subject);

    // Subscriptions (the policy's "subscriptions" section): a grant or a
    // withdrawal of the subscription's purpose.
    ConsentEvent subscribe(const std::string& subject, const std::string& subscription,
                           Channel channel = Channel::web, const std::string& evidence = "");
    ConsentEvent unsubscribe(const std::string& subject, const std::string& subscription,
                             Channel channel = Channel::web, const std::string& evidence = "");
    std::vector<std::string> subscriptions(const std::string& subject);  // active ones

    // Visitor (cookie) consent by the policy's cookie categories; a grant
    // expires after the category's expiry.
    ConsentEvent record_visitor(const std::string& visitor_id, const std::string& category,
                                ConsentAction action, Channel channel = Channel::web);
    Decision visitor_may(const std::string& visitor_id, const std::string& category);

    std::vector<ReconsentRequest> pending_reconsent(std::size_t limit = 1000);
    std::vector<ErasureRequest> erasure_requests(const std::string& subject = "");

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault

// Disclosures to third parties under the active policy's disclosure rules
// (docs/accountability.md#disclosures-to-third-parties): the rule check, the
// record (sealed under the retention key, since it must outlive the
// subject), the subject's notice, the subprocessor registry and
// acquisition/merger transfer notices. Runs inside the transaction
// VaultCore opened.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "casevault/accountability.hpp"
#include "consent/consent_service.hpp"
#include "policy/policy.hpp"
#include "retention/retention_service.hpp"
#include "store/store.hpp"

namespace casevault::disclosures {

class DisclosureService {
public:
    DisclosureService(store::Store& store, audit::AuditLog& log, consent::ConsentService& consents,
                      retention::RetentionService& retention)
        : store_(store), log_(log), consents_(consents), retention_(retention) {}

    // Checks the request against the rules and records it with its notice.
    // Throws DisclosureRefused when no rule allows it; the caller's
    // transaction then rolls back, so the caller audits the refusal on its
    // own (audit_refusal).
    Disclosure record(const accounts::Context& ctx, const DisclosureRequest& request);
    // Appends the "disclosure.refused" entry for a refused request.
    void audit_refusal(const accounts::Context& ctx, const DisclosureRequest& request,
                       const DisclosureRefused& refusal);
    Disclosure lift_nondisclosure(const accounts::Context& ctx, const std::string& id);
    Disclosure get(const accounts::Context& ctx, const std::string& id);
    // The same without an audit entry, for callers that audit what they do with it.
    Disclosure fetch(const std::string& id);
    std::vector<Disclosure> list(const accounts::Context& ctx, const std::string& subject);
    // What the subject may be shown (their export): disclosures without a
    // nondisclosure order, or whose order ended or was lifted.
    std::vector<Disclosure> visible_to_subject(const std::string& subject, std::int64_t now);
    // The others' ids: what the export leaves out (their audit entries too).
    std::vector<std::string> withheld_from_subject(const std::string& subject, std::int64_t now);

    // What a disclosure's package holds: per record kind of its categories
    // (categories[].records), the export fields that may go. A kind gets the
    // union of its categories' `fields` (a category without them: every
    // field), cut to the disclosure's own fields when it names any; a kind
    // left with no field is not in the map.
    std::map<std::string, std::set<std::string>> package_fields(const Disclosure& d);

    Subprocessor add_subprocessor(const accounts::Context& ctx, const Subprocessor& s);
    Subprocessor retire_subprocessor(const accounts::Context& ctx, const std::string& name);
    std::vector<Subprocessor> subprocessors(bool include_retired);

    Transfer announce_transfer(const accounts::Context& ctx, const TransferAnnouncement& t,
                               const ProgressFn& progress);
    std::vector<Transfer> transfers();

    // Accounts a transfer notice page covers.
    static constexpr std::size_t kPage = 1000;

private:
    std::shared_ptr<const policy::Policy> require_policy();
    store::DisclosureRow load(const std::string& id);
    Disclosure decode(const store::DisclosureRow& row, const crypto::SecretBytes& key);
    std::vector<Disclosure> decode_all(const std::vector<store::DisclosureRow>& rows);
    // Queues the subject's disclosure_notice, available at `available_at`.
    std::int64_t queue_notice(const policy::Policy& p, const store::DisclosureRow& row, std::int64_t now,
                              std::int64_t available_at);

    store::Store& store_;
    audit::AuditLog& log_;
    consent::ConsentService& consents_;
    retention::RetentionService& retention_;
};

}  // namespace casevault::disclosures

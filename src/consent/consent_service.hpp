// Policy versions, the consent ledger and decisions. Runs inside the
// transaction VaultCore opened, except decide(), whose fast path reads only
// the in-memory caches.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "casevault/consent.hpp"
#include "casevault/policy.hpp"
#include "casevault/progress.hpp"
#include "crypto/blind_index.hpp"
#include "policy/policy.hpp"
#include "store/store.hpp"

namespace casevault::consent {

class ConsentService {
public:
    ConsentService(store::Store& store, accounts::SubjectKeys& keys, const crypto::SecretBytes& kek,
                   audit::AuditLog& log)
        : store_(store), keys_(keys), kek_(kek), log_(log) {}

    // ---- policy versions
    PublishResult publish(const accounts::Context& ctx, const std::string& json_text, const ProgressFn& progress);
    std::optional<PolicyVersion> active();
    PolicyVersion get(std::int64_t version);
    std::vector<PolicyVersion> list();
    PolicyDiff diff(std::int64_t from, std::int64_t to);
    // The active policy (nullptr before the first publish); refreshed when
    // another connection has written.
    std::shared_ptr<const policy::Policy> policy();

    // ---- ledger
    ConsentEvent record(const accounts::Context& ctx, const ConsentRequest& request);
    std::vector<ConsentEvent> history(const accounts::Context& ctx, const std::string& subject);
    std::vector<ConsentState> state(const accounts::Context& ctx, const std::string& subject);
    std::string receipts(const accounts::Context& ctx, const std::string& subject);
    ConsentEvent subscribe(const accounts::Context& ctx, const std::string& subject, const std::string& subscription,
                           bool on, Channel channel, const std::string& evidence);
    std::vector<std::string> subscriptions(const accounts::Context& ctx, const std::string& subject);
    ConsentEvent record_visitor(const accounts::Context& ctx, const std::string& visitor_id,
                                const std::string& category, ConsentAction action, Channel channel);
    std::vector<ReconsentRequest> pending_reconsent(std::size_t limit);
    std::vector<ErasureRequest> erasure_requests(const std::string& subject);

    // ---- decisions. decide() takes no transaction on the fast path; a
    // cache miss reads the store in a snapshot of its own. Denials are for
    // the caller to audit (it knows how the audit log is being written).
    Decision decide(std::int64_t now, const std::string& subject, const std::string& purpose,
                    const std::string& scope);
    Decision decide_visitor(std::int64_t now, const std::string& visitor_id, const std::string& category,
                            std::string& visitor_subject);

    // Drops what another connection's commits made stale; called before each
    // transaction (inside one the check is deferred to the next call).
    void refresh() { check_fresh(); }

    // Forget cached facts about a subject (its account changed or was erased).
    void invalidate(const std::string& subject) { subjects_.erase(subject); }
    void invalidate_all();
    // After a rolled-back write: forget what that transaction may have made
    // (the visitor key); everything cached was read from committed state.
    void rolled_back() { visitor_index_.reset(); }

    // The visitor digest key is random, stored wrapped by the KEK, so a
    // rekey rewraps it and visitors' consents survive (their cookie ids are
    // never stored, so digests could not be recomputed).
    static void rewrap_visitor_key(store::Store& store, const crypto::SecretBytes& old_kek,
                                   const crypto::SecretBytes& new_kek);

private:
    struct SubjectFacts {
        bool exists = false;
        int status = 0;
        std::vector<store::ConsentStateRow> states;
    };
    struct ActivePolicy {
        std::shared_ptr<const policy::Policy> policy;
        std::map<std::string, std::int64_t> floors;  // purpose -> oldest version whose grants count
    };

    void check_fresh();  // drops the caches if another connection wrote
    template <class F>
    auto snapshot(F f) -> decltype(f()) {
        return store::in_snapshot(store_, f);
    }
    void load_policy();
    const SubjectFacts& facts(const std::string& subject);
    // Account state, then dependencies, then the purpose's own basis.
    Decision decide_account(std::int64_t now, int status, const std::vector<store::ConsentStateRow>& states,
                            const PolicyPurpose& purpose, const std::string& scope) const;
    Decision decide_consent(std::int64_t now, const ActivePolicy& ap, const PolicyPurpose& purpose,
                            const std::vector<store::ConsentStateRow>& states, const std::string& scope) const;
    // The subject a visitor's consents are kept under ("vis_" + a keyed
    // digest of the cookie id); nullopt when no visitor key exists yet and
    // create is false.
    std::optional<std::string> visitor_subject(const std::string& visitor_id, bool create);
    store::AccountRow live_account(const std::string& subject);
    ConsentEvent append(const accounts::Context& ctx, const std::string& subject, const std::string& purpose,
                        const std::string& scope, ConsentAction action, Channel channel, std::int64_t expires_at,
                        const std::string& evidence, const store::AccountRow* account);
    ConsentEvent decode(const store::ConsentEventRow& row, const store::AccountRow* account);
    std::vector<std::string> held_subscriptions(std::int64_t now, const store::AccountRow& account);

    store::Store& store_;
    accounts::SubjectKeys& keys_;
    const crypto::SecretBytes& kek_;
    audit::AuditLog& log_;
    std::unique_ptr<crypto::BlindIndexer> visitor_index_;

    bool loaded_ = false;
    std::int64_t change_hint_ = -1;
    std::int64_t data_version_ = -1;
    // Parsed versions, reused on reload while the stored text is the same.
    std::map<std::int64_t, std::shared_ptr<const policy::Policy>> parsed_;
    ActivePolicy active_;
    std::unordered_map<std::string, SubjectFacts> subjects_;
    static constexpr std::size_t kMaxCachedSubjects = 200000;
};

}  // namespace casevault::consent

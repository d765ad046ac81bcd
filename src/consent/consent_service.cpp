#include "consent/consent_service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "accounts/normalize.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "crypto/aead.hpp"

namespace casevault {

// ---- names ----------------------------------------------------------------

const char* consent_action_name(ConsentAction a) noexcept {
    switch (a) {
        case ConsentAction::granted: return "granted";
        case ConsentAction::withdrawn: return "withdrawn";
        case ConsentAction::declined: return "declined";
    }
    return "unknown";
}

ConsentAction consent_action_from_name(const std::string& name) {
    for (auto a : {ConsentAction::granted, ConsentAction::withdrawn, ConsentAction::declined}) {
        if (name == consent_action_name(a)) return a;
    }
    fail(Errc::invalid_argument, "unknown consent action (expected granted, withdrawn or declined)");
}

const char* channel_name(Channel c) noexcept {
    switch (c) {
        case Channel::web: return "web";
        case Channel::email: return "email";
        case Channel::whatsapp: return "whatsapp";
        case Channel::phone: return "phone";
        case Channel::api: return "api";
    }
    return "unknown";
}

Channel channel_from_name(const std::string& name) {
    for (auto c : {Channel::web, Channel::email, Channel::whatsapp, Channel::phone, Channel::api}) {
        if (name == channel_name(c)) return c;
    }
    fail(Errc::invalid_argument, "unknown channel (expected web, email, whatsapp, phone or api)");
}

const char* decision_reason_name(DecisionReason r) noexcept {
    switch (r) {
        case DecisionReason::consent: return "consent";
        case DecisionReason::contract: return "contract";
        case DecisionReason::legal_obligation: return "legal_obligation";
        case DecisionReason::legitimate_interest: return "legitimate_interest";
        case DecisionReason::no_policy: return "no_policy";
        case DecisionReason::purpose_unknown: return "purpose_unknown";
        case DecisionReason::subject_unknown: return "subject_unknown";
        case DecisionReason::account_not_active: return "account_not_active";
        case DecisionReason::no_consent: return "no_consent";
        case DecisionReason::withdrawn: return "withdrawn";
        case DecisionReason::declined: return "declined";
        case DecisionReason::reconsent_required: return "reconsent_required";
        case DecisionReason::expired: return "expired";
        case DecisionReason::objected: return "objected";
    }
    return "unknown";
}

}  // namespace casevault

namespace casevault::consent {

namespace {

constexpr int kReconsentDeclined = 4;  // RetentionTrigger::reconsent_declined

using nlohmann::json;
using policy::kDay;

constexpr int kGranted = static_cast<int>(ConsentAction::granted);
constexpr int kWithdrawn = static_cast<int>(ConsentAction::withdrawn);
constexpr int kDeclined = static_cast<int>(ConsentAction::declined);
constexpr int kErased = static_cast<int>(AccountStatus::erased);
constexpr const char* kVisitorPrefix = "vis_";
constexpr const char* kVisitorKeyMeta = "visitor_index_key";
constexpr const char* kVisitorKeyAd = "cv1-visitor-index-key";

std::optional<crypto::SecretBytes> load_visitor_key(store::Store& store, const crypto::SecretBytes& kek) {
    const auto hex = store.meta(kVisitorKeyMeta);
    if (!hex) return std::nullopt;
    crypto::Bytes wrapped;
    if (!crypto::from_hex(*hex, wrapped)) fail(Errc::corrupt, "the stored visitor key is malformed");
    auto key = crypto::unwrap_key(kek, wrapped, kVisitorKeyAd);
    if (!key) fail(Errc::corrupt, "the stored visitor key failed authentication");
    return key;
}

void check_subject(const std::string& subject) {
    if (!is_valid_id(subject, "acc")) fail(Errc::invalid_argument, "not an account id");
}

void check_channel(Channel c) {
    const int v = static_cast<int>(c);
    if (v < 1 || v > 5) fail(Errc::invalid_argument, "unknown channel");
}

// A scope is an opaque record id or category id (a case id, "case_data"):
// lower-case letters, digits and _ - . : only, so an email address or a
// name cannot be put there (it is stored unsealed, like purpose ids).
std::string checked_scope(const std::string& scope) {
    if (scope.size() > 128) fail(Errc::invalid_argument, "scope is at most 128 characters");
    for (char c : scope) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
                        c == ':';
        if (!ok) fail(Errc::invalid_argument, "scope must be an id: a-z, 0-9, _ - . : only");
    }
    return scope;
}

// A caller's purpose, subscription or category id for an error message:
// echoed only when it has the shape of a policy identifier, so free text
// (which might be personal) never reaches a message.
std::string quoted(const std::string& id) {
    const bool ident = !id.empty() && id.size() <= 64 && id[0] >= 'a' && id[0] <= 'z' &&
                       std::all_of(id.begin(), id.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                       });
    return ident ? "\"" + id + "\"" : "(not an identifier)";
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size() && !s.empty()) {
        const std::size_t comma = s.find(',', start);
        out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

DecisionReason allowed_reason(LegalBasis b) {
    switch (b) {
        case LegalBasis::consent: return DecisionReason::consent;
        case LegalBasis::contract: return DecisionReason::contract;
        case LegalBasis::legal_obligation: return DecisionReason::legal_obligation;
        case LegalBasis::legitimate_interest: return DecisionReason::legitimate_interest;
    }
    return DecisionReason::consent;
}

// A stored version, its text checked against its recorded hash first: an
// edited row must not be shown, or used for a receipt, as if published.
std::shared_ptr<const policy::Policy> parse_stored(const store::PolicyRow& row) {
    if (row.hash.rfind("sha256:", 0) != 0 || crypto::sha256_hex(row.document) != row.hash.substr(7)) {
        fail(Errc::corrupt, "stored policy version " + std::to_string(row.version) +
                                " does not match its recorded hash");
    }
    return policy::parse(row.document);
}

PolicyVersion summary(const store::PolicyRow& row, std::int64_t active_version, bool with_document) {
    PolicyVersion v = parse_stored(row)->info;
    v.published_at = row.published_at;
    v.active = row.version == active_version;
    if (!with_document) v.document.clear();
    return v;
}

}  // namespace

// ---- policy ---------------------------------------------------------------

void ConsentService::check_fresh() {
    // The hint moves on every commit, ours included; only when it moved is
    // the costlier data_version asked whether the commit was someone else's.
    // Our own writes drop exactly the subjects they touch. Inside a
    // transaction data_version answers for its snapshot, which may predate a
    // commit the hint already shows: taking the hint then would hide that
    // commit for good, so VaultCore checks before it opens one (refresh()).
    const std::int64_t hint = store_.in_transaction() ? change_hint_ : store_.change_hint();
    if (hint != change_hint_) {
        change_hint_ = hint;
        const std::int64_t v = store_.data_version();
        if (v != data_version_) {
            data_version_ = v;
            subjects_.clear();
            visitor_index_.reset();
            loaded_ = false;
        }
    }
    if (!loaded_) load_policy();
}

void ConsentService::invalidate_all() {
    subjects_.clear();
    visitor_index_.reset();  // it may have been created by a rolled-back transaction
    loaded_ = false;
}

void ConsentService::rewrap_visitor_key(store::Store& store, const crypto::SecretBytes& old_kek,
                                        const crypto::SecretBytes& new_kek) {
    const auto key = load_visitor_key(store, old_kek);
    if (!key) return;
    const auto wrapped = crypto::wrap_key(new_kek, *key, kVisitorKeyAd);
    store.set_meta(kVisitorKeyMeta, crypto::to_hex(wrapped.data(), wrapped.size()));
}

void ConsentService::load_policy() {
    active_ = ActivePolicy{};
    const auto rows = snapshot([&] { return store_.policies(); });
    for (const auto& row : rows) {
        auto& p = parsed_[row.version];
        if (!p || p->info.document != row.document || p->info.hash != row.hash) {
            p.reset();
            p = parse_stored(row);
        }
        for (const auto& purpose : p->info.purposes) {
            if (purpose.legal_basis == LegalBasis::consent && purpose.requires_fresh_consent) {
                active_.floors[purpose.id] = row.version;
            }
        }
    }
    if (!rows.empty()) {
        auto active = std::make_shared<policy::Policy>(*parsed_[rows.back().version]);
        active->info.published_at = rows.back().published_at;
        active->info.active = true;
        active_.policy = std::move(active);
    }
    loaded_ = true;
}

std::shared_ptr<const policy::Policy> ConsentService::policy() {
    check_fresh();
    return active_.policy;
}

PublishResult ConsentService::publish(const accounts::Context& ctx, const std::string& json_text,
                                      const ProgressFn& progress) {
    const auto doc = policy::parse(json_text);
    const std::int64_t version = doc->info.version;
    const auto latest = store_.latest_policy();
    if (latest && version <= latest->version) {
        fail(Errc::invalid_argument, "policy version " + std::to_string(version) +
                                         " is not newer than the active version " + std::to_string(latest->version));
    }
    store_.insert_policy(store::PolicyRow{version, doc->info.hash, ctx.now, doc->info.document});

    PublishResult result;
    std::vector<std::string> fresh;
    for (const auto& p : doc->info.purposes) {
        if (p.legal_basis == LegalBasis::consent && p.requires_fresh_consent) fresh.push_back(p.id);
    }
    if (latest && !fresh.empty()) {
        auto holders = store_.grant_holders(fresh, version);
        // Visitors cannot be written to; their grants simply stop counting.
        // An account is asked only for purposes it could grant in its state
        // (a cancelled or closed one could only decline).
        std::vector<std::pair<std::string, std::vector<std::string>>> asked;
        for (auto& [subject, purposes] : holders) {
            if (subject.rfind(kVisitorPrefix, 0) == 0) continue;
            const auto account = store_.account(subject);
            if (!account) continue;
            const auto status = static_cast<AccountStatus>(account->status);
            std::vector<std::string> grantable;
            for (auto& p : purposes) {
                const PolicyPurpose* pp = doc->purpose(p);
                if (pp && std::find(pp->account_statuses.begin(), pp->account_statuses.end(), status) !=
                              pp->account_statuses.end()) {
                    grantable.push_back(std::move(p));
                }
            }
            if (!grantable.empty()) asked.emplace_back(subject, std::move(grantable));
        }
        holders = std::move(asked);
        const auto total = static_cast<std::int64_t>(holders.size());
        auto report = [&](std::int64_t done) {
            if (progress && !progress(Progress{"reconsent", done, total})) {
                fail(Errc::cancelled, "publishing cancelled; nothing changed");
            }
        };
        report(0);
        std::int64_t done = 0;
        for (const auto& [subject, purposes] : holders) {
            store_.put_reconsent(store::ReconsentRow{subject, version, join(purposes), ctx.now});
            json payload = {{"policy_version", version},
                            {"previous_version", latest->version},
                            {"purposes", purposes},
                            {"policy_url", doc->info.text_url}};
            store::NotificationRow n;
            n.kind = "reconsent_required";
            n.subject = subject;
            n.payload = payload.dump();
            n.created_at = n.available_at = ctx.now;
            store_.insert_notification(n);
            log_.append(ctx.now, ctx.actor, "consent.reconsent_request", subject, "policy:" + std::to_string(version),
                        "ok", join(purposes));
            ++done;
            if (done % 1024 == 0 || done == total) report(done);
        }
        result.subjects_reconsent = total;
        result.notifications = total;
    }
    log_.append(ctx.now, ctx.actor, "policy.publish", "", "policy:" + std::to_string(version), "ok",
                doc->info.hash.substr(0, 23));
    invalidate_all();  // reloaded lazily, after this transaction commits
    result.policy = doc->info;
    result.policy.published_at = ctx.now;
    result.policy.active = true;
    return result;
}

std::optional<PolicyVersion> ConsentService::active() {
    const auto row = store_.latest_policy();
    if (!row) return std::nullopt;
    return summary(*row, row->version, true);
}

PolicyVersion ConsentService::get(std::int64_t version) {
    const auto row = store_.policy(version);
    if (!row) fail(Errc::not_found, "no policy version " + std::to_string(version));
    const auto latest = store_.latest_policy();
    return summary(*row, latest ? latest->version : 0, true);
}

std::vector<PolicyVersion> ConsentService::list() {
    std::vector<PolicyVersion> out;
    const auto rows = store_.policies();
    const std::int64_t active_version = rows.empty() ? 0 : rows.back().version;
    for (const auto& row : rows) out.push_back(summary(row, active_version, false));
    return out;
}

PolicyDiff ConsentService::diff(std::int64_t from, std::int64_t to) {
    auto stored = [&](std::int64_t version) {
        const auto row = store_.policy(version);
        if (!row) fail(Errc::not_found, "no policy version " + std::to_string(version));
        return parse_stored(*row);
    };
    return policy::diff(*stored(from), *stored(to));
}

// ---- decisions ------------------------------------------------------------

const ConsentService::SubjectFacts& ConsentService::facts(const std::string& subject) {
    auto it = subjects_.find(subject);
    if (it != subjects_.end()) return it->second;
    if (subjects_.size() >= kMaxCachedSubjects) subjects_.clear();
    SubjectFacts f;
    snapshot([&] {
        if (subject.rfind(kVisitorPrefix, 0) == 0) {
            f.exists = true;
        } else if (const auto row = store_.account(subject)) {
            f.exists = true;
            f.status = row->status;
        }
        if (f.exists) f.states = store_.consent_states(subject);
        return 0;
    });
    return subjects_.emplace(subject, std::move(f)).first->second;
}

Decision ConsentService::decide_consent(std::int64_t now, const ActivePolicy& ap, const PolicyPurpose& purpose,
                                        const std::vector<store::ConsentStateRow>& states,
                                        const std::string& scope) const {
    const std::int64_t version = ap.policy->info.version;
    // The state for exactly this scope wins; else the whole-purpose state.
    const store::ConsentStateRow* exact = nullptr;
    const store::ConsentStateRow* whole = nullptr;
    for (const auto& s : states) {
        if (s.purpose != purpose.id) continue;
        if (s.scope == scope) exact = &s;
        else if (s.scope.empty()) whole = &s;
    }
    const store::ConsentStateRow* st = exact ? exact : whole;
    if (purpose.legal_basis == LegalBasis::legitimate_interest) {
        if (st && st->action == kWithdrawn) return {false, DecisionReason::objected, version};
        return {true, DecisionReason::legitimate_interest, version};
    }
    if (purpose.legal_basis != LegalBasis::consent) return {true, allowed_reason(purpose.legal_basis), version};
    if (!st) return {false, DecisionReason::no_consent, version};
    if (st->action == kWithdrawn) return {false, DecisionReason::withdrawn, version};
    if (st->action == kDeclined) return {false, DecisionReason::declined, version};
    const auto floor = ap.floors.find(purpose.id);
    if (floor != ap.floors.end() && st->policy_version < floor->second) {
        return {false, DecisionReason::reconsent_required, version};
    }
    if (st->expires_at != 0 && now >= st->expires_at) return {false, DecisionReason::expired, version};
    return {true, DecisionReason::consent, version};
}

Decision ConsentService::decide(std::int64_t now, const std::string& subject, const std::string& purpose_id,
                                const std::string& scope) {
    check_subject(subject);
    if (!scope.empty()) checked_scope(scope);
    check_fresh();
    if (!active_.policy) return {false, DecisionReason::no_policy, 0};
    const std::int64_t version = active_.policy->info.version;
    const PolicyPurpose* purpose = active_.policy->purpose(purpose_id);
    if (!purpose) return {false, DecisionReason::purpose_unknown, version};
    const SubjectFacts& f = facts(subject);
    if (!f.exists) return {false, DecisionReason::subject_unknown, version};
    return decide_account(now, f.status, f.states, *purpose, scope);
}

Decision ConsentService::decide_account(std::int64_t now, int status,
                                        const std::vector<store::ConsentStateRow>& states,
                                        const PolicyPurpose& purpose, const std::string& scope) const {
    const std::int64_t version = active_.policy->info.version;
    const auto s = static_cast<AccountStatus>(status);
    if (status == kErased ||
        std::find(purpose.account_statuses.begin(), purpose.account_statuses.end(), s) == purpose.account_statuses.end()) {
        return {false, DecisionReason::account_not_active, version};
    }
    // A purpose that depends on another (the service on acceptance of the
    // current terms) is denied for the same reason the other one is.
    for (const auto& dep : purpose.depends_on) {
        const PolicyPurpose* other = active_.policy->purpose(dep);
        if (!other) continue;
        const Decision d = decide_consent(now, active_, *other, states, "");
        if (!d.allowed) return d;
    }
    return decide_consent(now, active_, purpose, states, scope);
}

std::optional<std::string> ConsentService::visitor_subject(const std::string& visitor_id, bool create) {
    if (visitor_id.empty() || visitor_id.size() > 256) fail(Errc::invalid_argument, "visitor id must be 1..256 bytes");
    for (unsigned char c : visitor_id) {
        if (c < 0x21 || c > 0x7e) fail(Errc::invalid_argument, "visitor id must be printable ASCII without spaces");
    }
    if (!visitor_index_) {
        auto key = snapshot([&] { return load_visitor_key(store_, kek_); });
        if (!key && create) {  // the first visitor consent of this store, inside its write transaction
            key = crypto::random_key();
            const auto wrapped = crypto::wrap_key(kek_, *key, kVisitorKeyAd);
            store_.set_meta(kVisitorKeyMeta, crypto::to_hex(wrapped.data(), wrapped.size()));
        }
        if (!key) return std::nullopt;
        visitor_index_ = std::make_unique<crypto::BlindIndexer>(*key);
    }
    // Only a keyed digest of the cookie value is stored.
    const auto d = visitor_index_->digest("visitors.id", visitor_id);
    return kVisitorPrefix + crypto::to_hex(d.data(), d.size());
}

Decision ConsentService::decide_visitor(std::int64_t now, const std::string& visitor_id, const std::string& category,
                                        std::string& subject) {
    check_fresh();
    const auto vs = visitor_subject(visitor_id, false);
    subject = vs.value_or("");
    if (!active_.policy) return {false, DecisionReason::no_policy, 0};
    const std::int64_t version = active_.policy->info.version;
    const auto* cat = active_.policy->cookie_category(category);
    const PolicyPurpose* purpose = cat ? active_.policy->purpose(cat->purpose) : nullptr;
    if (!purpose) return {false, DecisionReason::purpose_unknown, version};
    if (!vs) return {false, DecisionReason::no_consent, version};  // no visitor has consented yet
    return decide_consent(now, active_, *purpose, facts(subject).states, category);
}

// ---- the ledger -----------------------------------------------------------

store::AccountRow ConsentService::live_account(const std::string& subject) {
    check_subject(subject);
    auto row = store_.account(subject);
    if (!row) fail(Errc::not_found, "no account with this id");
    if (row->status == kErased) fail(Errc::invalid_argument, "the account is erased");
    return std::move(*row);
}

ConsentEvent ConsentService::append(const accounts::Context& ctx, const std::string& subject,
                                    const std::string& purpose, const std::string& scope, ConsentAction action,
                                    Channel channel, std::int64_t expires_at, const std::string& evidence,
                                    const store::AccountRow* account) {
    const auto pol = policy();
    store::ConsentEventRow row;
    row.id = new_id("cns");
    row.subject = subject;
    row.purpose = purpose;
    row.scope = scope;
    row.action = static_cast<int>(action);
    row.channel = static_cast<int>(channel);
    row.policy_version = pol->info.version;
    row.at = ctx.now;
    row.expires_at = expires_at;
    if (!evidence.empty() && account) {
        const crypto::SecretBytes key = keys_.open(account->id, account->key_version, account->data_key);
        row.evidence = crypto::seal(key, evidence, crypto::field_ad("consent_events", "evidence", row.id,
                                                                    account->key_version));
    }
    store_.append_consent(row);
    store_.put_consent_state(store::ConsentStateRow{subject, purpose, scope, row.action, row.policy_version, row.at,
                                                    row.expires_at});
    log_.append(ctx.now, ctx.actor, "consent.record", account ? subject : "", row.id, "ok",
                std::string(consent_action_name(action)) + ":" + purpose);
    invalidate(subject);
    ConsentEvent e;
    e.id = row.id;
    e.subject = subject;
    e.purpose = purpose;
    e.scope = scope;
    e.action = action;
    e.channel = channel;
    e.policy_version = row.policy_version;
    e.evidence = account ? evidence : "";
    e.at = row.at;
    e.expires_at = row.expires_at;
    return e;
}

ConsentEvent ConsentService::record(const accounts::Context& ctx, const ConsentRequest& req) {
    const auto pol = policy();
    if (!pol) fail(Errc::invalid_argument, "no policy has been published: consent needs a purpose to refer to");
    check_subject(req.subject);
    const PolicyPurpose* purpose = pol->purpose(req.purpose);
    if (!purpose) fail(Errc::invalid_argument, "unknown purpose " + quoted(req.purpose) + " in the active policy");
    const int action = static_cast<int>(req.action);
    if (action < kGranted || action > kDeclined) fail(Errc::invalid_argument, "unknown consent action");
    check_channel(req.channel);
    if (!pol->accepts_channel(req.channel)) {
        fail(Errc::invalid_argument, std::string("the policy does not accept consent through ") +
                                         channel_name(req.channel));
    }
    const std::string scope = checked_scope(req.scope);
    const std::string evidence =
        req.evidence.empty() ? "" : accounts::clean_text(req.evidence, "evidence", 1000, false);
    if (purpose->legal_basis != LegalBasis::consent) {
        const bool objection = purpose->legal_basis == LegalBasis::legitimate_interest &&
                               req.action == ConsentAction::withdrawn;
        if (!objection) {
            fail(Errc::invalid_argument, "purpose " + quoted(req.purpose) + " rests on " +
                                             legal_basis_name(purpose->legal_basis) +
                                             ", not consent: there is nothing to " +
                                             (req.action == ConsentAction::granted ? "grant" : "decline or withdraw"));
        }
    }
    if (req.expires_at && req.action != ConsentAction::granted) {
        fail(Errc::invalid_argument, "only a grant can have an expiry");
    }
    const store::AccountRow account = live_account(req.subject);

    std::optional<store::ConsentStateRow> current;
    for (auto& s : store_.consent_states(req.subject)) {
        if (s.purpose == req.purpose && s.scope == scope) current = std::move(s);
    }
    std::int64_t expires_at = 0;
    if (req.action == ConsentAction::withdrawn) {
        const bool granted = current && current->action == kGranted;
        const bool objecting = purpose->legal_basis == LegalBasis::legitimate_interest &&
                               !(current && current->action == kWithdrawn);
        if (!granted && !objecting) {
            fail(Errc::invalid_argument, "nothing to withdraw: purpose " + quoted(req.purpose) +
                                             " is not currently granted" + (scope.empty() ? "" : " for this scope"));
        }
    } else if (req.action == ConsentAction::granted) {
        // A grant the purpose could never use (a closed or cancelled account)
        // is refused: it would only reopen what the person or the policy closed.
        const auto status = static_cast<AccountStatus>(account.status);
        if (std::find(purpose->account_statuses.begin(), purpose->account_statuses.end(), status) ==
            purpose->account_statuses.end()) {
            fail(Errc::invalid_argument, std::string("the account is ") + account_status_name(status) +
                                             ": purpose " + quoted(req.purpose) + " does not run for it");
        }
        if (req.expires_at) {
            if (*req.expires_at <= ctx.now) fail(Errc::invalid_argument, "the grant's expiry is not in the future");
            expires_at = *req.expires_at;
        }
        if (purpose->consent_max_days) {
            const std::int64_t cap = ctx.now + *purpose->consent_max_days * kDay;
            expires_at = expires_at == 0 ? cap : std::min(expires_at, cap);
        }
    }
    ConsentEvent e = append(ctx, req.subject, req.purpose, scope, req.action, req.channel, expires_at, evidence,
                            &account);

    // An answer under the active version settles that purpose's re-consent request.
    if (req.action != ConsentAction::withdrawn) {
        for (auto& r : store_.reconsents(req.subject)) {
            auto purposes = split(r.purposes);
            const auto it = std::find(purposes.begin(), purposes.end(), req.purpose);
            if (it == purposes.end()) continue;
            purposes.erase(it);
            if (purposes.empty()) {
                store_.delete_reconsent(r.subject, r.policy_version);
            } else {
                r.purposes = join(purposes);
                store_.put_reconsent(r);
            }
        }
    }
    if (req.action == ConsentAction::declined && purpose->close_on_decline) {
        store::AccountRow closed = account;
        if (closed.status != static_cast<int>(AccountStatus::closed)) {
            const std::string from = account_status_name(static_cast<AccountStatus>(closed.status));
            closed.status = static_cast<int>(AccountStatus::closed);
            closed.updated_at = ctx.now;
            store_.update_account(closed);
            log_.append(ctx.now, ctx.actor, "account.status", closed.id, closed.id, "ok",
                        from + "->closed:declined:" + req.purpose);
        }
        // The account is going: nothing is left to ask it to consent to.
        for (const auto& r : store_.reconsents(req.subject)) store_.delete_reconsent(r.subject, r.policy_version);
        store_.delete_notifications(req.subject, "reconsent_required");
        bool pending = false;
        for (const auto& r : store_.erasure_requests(req.subject)) {
            pending = pending || (r.state == "pending" && r.trigger == kReconsentDeclined);
        }
        if (!pending) {
            store::ErasureRequestRow er;
            er.id = new_id("era");
            er.subject = req.subject;
            er.reason = "consent_declined:" + req.purpose;
            er.channel = static_cast<int>(req.channel);
            er.requested_at = ctx.now;
            er.due_at = ctx.now + pol->decline_erasure_days() * kDay;
            er.state = "pending";
            er.kind = 2;  // erase
            er.trigger = kReconsentDeclined;
            store_.insert_erasure_request(er);
            // The retention engine's schedule: the sweep acts from due_at on.
            store_.put_due(store::DueRow{req.subject, kReconsentDeclined, ctx.now, -1, er.due_at});
            log_.append(ctx.now, ctx.actor, "erasure.request", req.subject, er.id, "ok", er.reason);
        }
        invalidate(req.subject);
    }
    return e;
}

ConsentEvent ConsentService::decode(const store::ConsentEventRow& row, const store::AccountRow* account) {
    ConsentEvent e;
    e.id = row.id;
    e.subject = row.subject;
    e.purpose = row.purpose;
    e.scope = row.scope;
    e.action = static_cast<ConsentAction>(row.action);
    e.channel = static_cast<Channel>(row.channel);
    e.policy_version = row.policy_version;
    e.at = row.at;
    e.expires_at = row.expires_at;
    if (row.evidence && account) {
        const crypto::SecretBytes key = keys_.open(account->id, account->key_version, account->data_key);
        auto v = crypto::open(key, *row.evidence,
                              crypto::field_ad("consent_events", "evidence", row.id, account->key_version));
        if (!v) fail(Errc::corrupt, "a sealed field (consent_events.evidence) failed authentication");
        e.evidence = std::move(*v);
    }
    return e;
}

std::vector<ConsentEvent> ConsentService::history(const accounts::Context& ctx, const std::string& subject) {
    const store::AccountRow account = live_account(subject);
    std::vector<ConsentEvent> out;
    for (const auto& row : store_.consent_events(subject)) out.push_back(decode(row, &account));
    log_.append_read(ctx.now, ctx.actor, "consent.read", subject, subject, "history");
    return out;
}

std::vector<ConsentState> ConsentService::state(const accounts::Context& ctx, const std::string& subject) {
    live_account(subject);
    check_fresh();  // the floors below are the active policy's
    std::vector<ConsentState> out;
    for (const auto& s : store_.consent_states(subject)) {
        ConsentState c;
        c.purpose = s.purpose;
        c.scope = s.scope;
        c.action = static_cast<ConsentAction>(s.action);
        c.policy_version = s.policy_version;
        c.at = s.at;
        c.expires_at = s.expires_at;
        const auto floor = active_.floors.find(s.purpose);
        c.reconsent_required = s.action == kGranted && floor != active_.floors.end() && s.policy_version < floor->second;
        out.push_back(std::move(c));
    }
    log_.append_read(ctx.now, ctx.actor, "consent.read", subject, subject, "state");
    return out;
}

std::string ConsentService::receipts(const accounts::Context& ctx, const std::string& subject) {
    live_account(subject);
    std::map<std::int64_t, std::shared_ptr<const policy::Policy>> versions;
    json out = json::array();
    for (const auto& row : store_.consent_events(subject)) {
        if (row.action != kGranted) continue;
        auto& pol = versions[row.policy_version];
        if (!pol) {
            const auto prow = store_.policy(row.policy_version);
            if (!prow) fail(Errc::corrupt, "a consent refers to a policy version the store does not have");
            pol = parse_stored(*prow);
        }
        const PolicyPurpose* purpose = pol->purpose(row.purpose);
        json categories = json::array();
        if (purpose) {
            for (const auto& c : purpose->categories) categories.push_back(c);
        }
        json controller = {{"piiController", pol->controller_name}, {"onBehalf", false}};
        if (!pol->controller_contact.empty()) controller["contact"] = pol->controller_contact;
        if (!pol->controller_address.empty()) controller["address"] = pol->controller_address;
        json purpose_entry = {
            {"purpose", purpose ? purpose->description : row.purpose},
            {"purposeCategory", json::array({row.purpose})},
            {"consentType", "EXPLICIT"},
            {"piiCategory", categories},
            {"primaryPurpose", true},
            {"termination", row.expires_at ? "expires at " + std::to_string(row.expires_at) + " (Unix time) or on withdrawal"
                                           : std::string("on withdrawal")},
            {"thirdPartyDisclosure", purpose && purpose->third_party_disclosure},
        };
        json receipt = {
            {"version", "KI-CR-v1.1.0"},
            {"jurisdiction", pol->info.jurisdiction},
            {"consentTimestamp", row.at},
            {"collectionMethod", channel_name(static_cast<Channel>(row.channel))},
            {"consentReceiptID", row.id},
            {"language", pol->language.empty() ? "en" : pol->language},
            {"piiPrincipalId", row.subject},
            {"piiControllers", json::array({controller})},
            {"policyUrl", pol->info.text_url},
            {"policyVersion", row.policy_version},
            {"policyHash", pol->info.hash},
            {"services", json::array({{{"service", row.purpose}, {"purposes", json::array({purpose_entry})}}})},
            {"sensitive", false},
            {"spiCat", json::array()},
        };
        if (!row.scope.empty()) receipt["scope"] = row.scope;
        out.push_back(std::move(receipt));
    }
    log_.append_read(ctx.now, ctx.actor, "consent.read", subject, subject, "receipts");
    return out.dump();
}

ConsentEvent ConsentService::subscribe(const accounts::Context& ctx, const std::string& subject,
                                       const std::string& subscription, bool on, Channel channel,
                                       const std::string& evidence) {
    const auto pol = policy();
    if (!pol) fail(Errc::invalid_argument, "no policy has been published");
    const auto* sub = pol->subscription(subscription);
    if (!sub) fail(Errc::invalid_argument, "unknown subscription " + quoted(subscription) + " in the active policy");
    ConsentRequest req;
    req.subject = subject;
    req.purpose = sub->purpose;
    req.action = on ? ConsentAction::granted : ConsentAction::withdrawn;
    req.channel = channel;
    req.evidence = evidence;
    return record(ctx, req);  // unsubscribing what is not granted: "nothing to withdraw"
}

std::vector<std::string> ConsentService::held_subscriptions(std::int64_t now, const store::AccountRow& account) {
    std::vector<std::string> out;
    const auto pol = policy();
    if (!pol) return out;
    const auto states = store_.consent_states(account.id);
    for (const auto& sub : pol->subscriptions) {
        const PolicyPurpose* purpose = pol->purpose(sub.purpose);
        if (purpose && decide_account(now, account.status, states, *purpose, "").allowed) out.push_back(sub.id);
    }
    return out;
}

std::vector<std::string> ConsentService::subscriptions(const accounts::Context& ctx, const std::string& subject) {
    const store::AccountRow account = live_account(subject);
    auto out = held_subscriptions(ctx.now, account);
    log_.append_read(ctx.now, ctx.actor, "consent.read", subject, subject, "subscriptions");
    return out;
}

ConsentEvent ConsentService::record_visitor(const accounts::Context& ctx, const std::string& visitor_id,
                                            const std::string& category, ConsentAction action, Channel channel) {
    const auto pol = policy();
    if (!pol) fail(Errc::invalid_argument, "no policy has been published");
    const std::string subject = *visitor_subject(visitor_id, true);
    const auto* cat = pol->cookie_category(category);
    if (!cat) fail(Errc::invalid_argument, "unknown cookie category " + quoted(category) + " in the active policy");
    const int a = static_cast<int>(action);
    if (a < kGranted || a > kDeclined) fail(Errc::invalid_argument, "unknown consent action");
    check_channel(channel);
    if (!pol->accepts_channel(channel)) {
        fail(Errc::invalid_argument, std::string("the policy does not accept consent through ") + channel_name(channel));
    }
    if (action == ConsentAction::withdrawn) {
        bool granted = false;
        for (const auto& s : store_.consent_states(subject)) {
            granted = granted || (s.purpose == cat->purpose && s.scope == category && s.action == kGranted);
        }
        if (!granted) fail(Errc::invalid_argument, "nothing to withdraw: this visitor has not granted " + quoted(category));
    }
    const std::int64_t expires = action == ConsentAction::granted ? ctx.now + cat->expiry_days * kDay : 0;
    return append(ctx, subject, cat->purpose, category, action, channel, expires, "", nullptr);
}

std::vector<ReconsentRequest> ConsentService::pending_reconsent(std::size_t limit) {
    if (limit == 0 || limit > 100000) fail(Errc::invalid_argument, "limit must be in 1..100000");
    std::vector<ReconsentRequest> out;
    for (const auto& r : store_.reconsents_all(limit)) {
        out.push_back(ReconsentRequest{r.subject, r.policy_version, split(r.purposes), r.requested_at});
    }
    return out;
}

std::vector<ErasureRequest> ConsentService::erasure_requests(const std::string& subject) {
    if (!subject.empty()) check_subject(subject);
    std::vector<ErasureRequest> out;
    for (const auto& r : store_.erasure_requests(subject.empty() ? std::nullopt : std::optional(subject))) {
        if (r.kind != 2) continue;  // cancellations are Requests::list's
        out.push_back(ErasureRequest{r.id, r.subject, r.reason, static_cast<Channel>(r.channel), r.requested_at,
                                     r.due_at, r.state});
    }
    return out;
}

}  // namespace casevault::consent

// The full, validated policy model (docs/policy-format.md). The public
// PolicyVersion is its summary; the engines (consent now; access, retention,
// disclosures later) read the sections they need from here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/consent.hpp"
#include "casevault/policy.hpp"

namespace casevault::policy {

constexpr std::int64_t kDay = 86400;

struct RoleGrant {
    std::vector<std::string> actions, records;
    std::string scope;
    std::string purpose;  // for scope "consented"
    bool operator==(const RoleGrant& o) const {
        return actions == o.actions && records == o.records && scope == o.scope && purpose == o.purpose;
    }
    bool operator!=(const RoleGrant& o) const { return !(*this == o); }
};
struct Role {
    std::string id, description;
    std::vector<RoleGrant> grants;
};
struct Subscription {
    std::string id, purpose, description;
};
struct CookieCategory {
    std::string id, purpose;
    std::int64_t expiry_days = 0;
    bool implied_by_continued_use = false;
};
struct ActivityKind {
    std::string kind;
    std::int64_t window_days = 0;
    bool includes_recurring = false;
};
struct RetentionRule {
    std::string id;
    std::vector<std::string> categories;
    std::string trigger, action;
    std::int64_t after_days = 0;
    std::vector<std::string> keep_fields;
    std::optional<LegalBasis> legal_basis;
};
struct Requests {
    std::vector<std::string> channels;
    bool require_confirmation = false;
    std::int64_t confirmation_ttl_days = 0;
};
struct Retention {
    std::vector<ActivityKind> activity;
    std::vector<RetentionRule> rules;
    std::optional<std::int64_t> backups_and_logs_max_days;
    std::optional<Requests> requests;
};
struct DisclosureRule {
    std::string id, kind, notify_subject;
    std::vector<std::string> recipients, purposes, categories, fields, accepted_processes;
};
struct Preservation {
    std::vector<std::string> authorities, release_processes, disclosure_processes;
    std::int64_t period_days = 0, extension_days = 0, max_extensions = 0;
    bool destroy_on_expiry = true;
};
struct Subprocessor {
    std::string name, purpose, location;
    std::vector<std::string> categories;
};
struct Disclosures {
    bool sale = false;
    std::vector<DisclosureRule> rules;
    std::optional<Preservation> preservation;
    std::vector<Subprocessor> subprocessors;
    bool transfer_notice = false;
    std::string data_location;
};
struct NotificationRule {
    std::string kind;
    std::vector<std::string> channels;
    std::optional<std::int64_t> lead_time_days;
};

struct Policy {
    PolicyVersion info;
    std::string controller_name, controller_contact, controller_address, language;
    std::vector<Channel> consent_channels;
    std::vector<Role> roles;
    std::vector<Subscription> subscriptions;
    std::vector<CookieCategory> cookie_categories;
    Retention retention;
    Disclosures disclosures;
    std::vector<NotificationRule> notifications;
    // categories[].fields by category id: the export fields of its records
    // that hold the category. A category without an entry is whole records.
    std::map<std::string, std::vector<std::string>> category_fields;
    // k of the de-identified aggregates: cells counting fewer are suppressed.
    std::int64_t aggregates_min_count = 5;
    // The canonical JSON of each section, for diffs.
    std::string roles_json, retention_json, disclosures_json, notifications_json, aggregates_json;

    const PolicyPurpose* purpose(const std::string& id) const;
    const PolicyCategory* category(const std::string& id) const;
    // The record kinds a rule's categories hold (categories[].records).
    std::vector<std::string> rule_records(const RetentionRule& rule) const;
    const Role* role(const std::string& id) const;
    const Subscription* subscription(const std::string& id) const;
    const CookieCategory* cookie_category(const std::string& id) const;
    bool accepts_channel(Channel c) const;
    // Days from a declined close_and_erase purpose to its erasure: the
    // shortest `after` of the retention rules triggered by
    // "reconsent_declined", 0 (at once) without one.
    std::int64_t decline_erasure_days() const;
    // Whether erasing an author keeps their board posts anonymised: a
    // retention rule triggered by "deletion_request" on a category of kind
    // "public" whose action is "anonymize". Otherwise posts are deleted.
    bool anonymize_posts_on_erasure() const;
};

// Parses and validates; throws PolicyInvalid listing every problem.
std::shared_ptr<const Policy> parse(const std::string& json_text);
std::vector<PolicyProblem> lint(const std::string& json_text);

// Whether a purpose's definition differs between two versions.
bool purpose_changed(const PolicyPurpose& a, const PolicyPurpose& b);

// What changed from one version to the next (Policies::diff).
PolicyDiff diff(const Policy& from, const Policy& to);

}  // namespace casevault::policy

#include "policy/policy.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/error.hpp"
#include "crypto/primitives.hpp"
#include "subjects/export_fields.hpp"

namespace casevault {

using nlohmann::json;

const char* legal_basis_name(LegalBasis b) noexcept {
    switch (b) {
        case LegalBasis::consent: return "consent";
        case LegalBasis::contract: return "contract";
        case LegalBasis::legal_obligation: return "legal_obligation";
        case LegalBasis::legitimate_interest: return "legitimate_interest";
    }
    return "unknown";
}

namespace {

std::string summarize(const std::vector<PolicyProblem>& problems) {
    std::string m = "the policy document is invalid (" + std::to_string(problems.size()) + " problem" +
                    (problems.size() == 1 ? "" : "s") + ")";
    for (std::size_t i = 0; i < problems.size() && i < 20; ++i) {
        m += i == 0 ? ": " : "; ";
        m += (problems[i].path.empty() ? "/" : problems[i].path) + ": " + problems[i].message;
    }
    if (problems.size() > 20) m += "; ...";
    return m;
}

}  // namespace

PolicyInvalid::PolicyInvalid(std::vector<PolicyProblem> problems)
    : Error(Errc::invalid_argument, summarize(problems)), problems_(std::move(problems)) {}

}  // namespace casevault

namespace casevault::policy {

namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

const Strings kLegalBases = {"consent", "contract", "legal_obligation", "legitimate_interest"};
const Strings kCategoryKinds = {"personal", "public", "payment", "device"};
const Strings kStatuses = {"active", "cancelled", "closed"};
const Strings kRoles = {"subject", "attorney", "staff", "support", "system", "agency"};
const Strings kActions = {"read", "write", "erase", "export", "disclose"};
const Strings kRecords = {"account", "consent", "case", "correspondence", "billing", "post", "audit"};
const Strings kScopes = {"own", "assigned", "consented", "retention", "legal_process", "public", "any"};
const Strings kChannels = {"web", "email", "whatsapp", "phone", "api"};
const Strings kTriggers = {"inactivity",         "cancellation",   "deletion_request",
                           "reconsent_declined", "account_closed", "record_age"};
const Strings kRetentionActions = {"delete", "anonymize", "minimize"};
const Strings kRecordParts = {"account", "case", "correspondence", "survey", "billing", "post"};
const Strings kRequestChannels = {"email", "whatsapp"};
const Strings kDisclosureKinds = {"on_behalf", "legal_process", "legal_obligation", "subprocessor", "partner_sharing"};
const Strings kRecipients = {"uscis", "dhs",           "dol",           "consulate",   "court",
                             "law_enforcement", "foreign_government", "tax_authority", "subprocessor",
                             "other_agency", "advertising_partner", "analytics_partner", "social_media_partner"};
const Strings kProcesses = {"warrant", "criminal_subpoena", "court_order", "civil_subpoena", "mlat_request",
                            "emergency"};
const Strings kNotifySubject = {"always", "never", "unless_prohibited", "unless_prohibited_or_emergency"};
const Strings kAuthorities = {"sca_2703f", "civil_subpoena"};
const Strings kNotificationKinds = {"reconsent_required", "disclosure_notice",  "deletion_confirmation",
                                    "transfer_notice",    "confirm_request",    "cancellation_confirmation",
                                    "deletion_completed"};
constexpr std::int64_t kMaxDays = 36500;

// At most n bytes of s, cut at a character boundary so a message stays
// valid UTF-8 (the JSON parser has already checked the whole string).
std::string clip(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n) + "...";
}

bool one_of(const std::string& v, const Strings& set) { return std::find(set.begin(), set.end(), v) != set.end(); }

std::string join(const Strings& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

bool is_ident(const std::string& s) {
    if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

// JSON Pointer escaping of one reference token.
std::string token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

std::optional<std::int64_t> parse_duration_days(const std::string& s) {
    if (s.size() < 3 || s[0] != 'P') return std::nullopt;
    const char unit = s.back();
    const std::string digits = s.substr(1, s.size() - 2);
    if (digits.empty() || digits.size() > 6) return std::nullopt;
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    const std::int64_t n = std::stoll(digits);
    std::int64_t days;
    if (unit == 'D') days = n;
    else if (unit == 'W') days = n * 7;
    else if (unit == 'Y') days = n * 365;
    else return std::nullopt;
    if (days > kMaxDays) return std::nullopt;
    return days;
}

bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    if (y < 1970 || m < 1 || m > 12 || d < 1) return false;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// Reads a document while collecting problems, each with its JSON Pointer.
class Reader {
public:
    std::vector<PolicyProblem> problems;

    void problem(const std::string& path, const std::string& message) { problems.push_back({path, message}); }

    // Reports keys of `obj` that are not in `known`.
    void known_keys(const json& obj, const std::string& path, const Strings& known) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (!one_of(it.key(), known)) problem(path + "/" + token(it.key()), "unknown key");
        }
    }

    const json* object(const json& parent, const std::string& path, const char* key, bool required) {
        const std::string p = path + "/" + key;
        if (!parent.contains(key)) {
            if (required) problem(p, "missing");
            return nullptr;
        }
        const json& v = parent.at(key);
        if (!v.is_object()) {
            problem(p, "must be an object");
            return nullptr;
        }
        return &v;
    }

    const json* array(const json& parent, const std::string& path, const char* key, bool required,
                      bool non_empty) {
        const std::string p = path + "/" + key;
        if (!parent.contains(key)) {
            if (required) problem(p, "missing");
            return nullptr;
        }
        const json& v = parent.at(key);
        if (!v.is_array()) {
            problem(p, "must be an array");
            return nullptr;
        }
        if (non_empty && v.empty()) problem(p, "must not be empty");
        return &v;
    }

    std::string string(const json& parent, const std::string& path, const char* key, bool required,
                       std::size_t max_len = 2000) {
        const std::string p = path + "/" + key;
        if (!parent.contains(key)) {
            if (required) problem(p, "missing");
            return "";
        }
        const json& v = parent.at(key);
        if (!v.is_string()) {
            problem(p, "must be a string");
            return "";
        }
        std::string s = v.get<std::string>();
        if (required && s.empty()) problem(p, "must not be empty");
        if (s.size() > max_len) problem(p, "longer than " + std::to_string(max_len) + " bytes");
        return s;
    }

    std::string ident(const json& parent, const std::string& path, const char* key, bool required = true) {
        std::string s = string(parent, path, key, required, 64);
        if (!s.empty() && !is_ident(s)) {
            problem(path + "/" + key, "not an identifier (a-z, 0-9, _ and -, starting with a letter)");
        }
        return s;
    }

    std::string choice(const json& parent, const std::string& path, const char* key, const Strings& options,
                       bool required, const std::string& fallback = "") {
        if (!parent.contains(key)) {
            if (required) problem(path + "/" + key, "missing (one of: " + join(options) + ")");
            return fallback;
        }
        std::string s = string(parent, path, key, false);
        if (parent.at(key).is_string() && !one_of(s, options)) {
            problem(path + "/" + key, "\"" + clip(s, 64) + "\" is not one of: " + join(options));
            return fallback;
        }
        return s;
    }

    Strings choices(const json& parent, const std::string& path, const char* key, const Strings& options,
                    bool required, bool non_empty) {
        Strings out;
        const json* a = array(parent, path, key, required, non_empty);
        if (!a) return out;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string p = path + "/" + key + "/" + std::to_string(i);
            const json& v = (*a)[i];
            if (!v.is_string()) {
                problem(p, "must be a string");
                continue;
            }
            const std::string s = v.get<std::string>();
            if (!options.empty() && !one_of(s, options)) {
                problem(p, "\"" + clip(s, 64) + "\" is not one of: " + join(options));
            } else if (!seen.insert(s).second) {
                problem(p, "\"" + s + "\" is listed twice");
            } else {
                out.push_back(s);
            }
        }
        return out;
    }

    // Ids that must name entries of `known` (categories, purposes).
    Strings refs(const json& parent, const std::string& path, const char* key, const std::set<std::string>& known,
                 const char* what, bool required, bool non_empty) {
        Strings out;
        const json* a = array(parent, path, key, required, non_empty);
        if (!a) return out;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string p = path + "/" + key + "/" + std::to_string(i);
            if (!(*a)[i].is_string()) {
                problem(p, "must be a string");
                continue;
            }
            const std::string s = (*a)[i].get<std::string>();
            if (!known.count(s)) problem(p, std::string("unknown ") + what + " \"" + clip(s, 64) + "\"");
            else if (std::find(out.begin(), out.end(), s) != out.end()) problem(p, "\"" + s + "\" is listed twice");
            else out.push_back(s);
        }
        return out;
    }

    std::string ref(const json& parent, const std::string& path, const char* key, const std::set<std::string>& known,
                    const char* what, bool required) {
        std::string s = string(parent, path, key, required, 64);
        if (!s.empty() && !known.count(s)) {
            problem(path + "/" + key, std::string("unknown ") + what + " \"" + clip(s, 64) + "\"");
        }
        return s;
    }

    bool boolean(const json& parent, const std::string& path, const char* key, bool fallback) {
        if (!parent.contains(key)) return fallback;
        const json& v = parent.at(key);
        if (!v.is_boolean()) {
            problem(path + "/" + key, "must be true or false");
            return fallback;
        }
        return v.get<bool>();
    }

    std::optional<std::int64_t> integer(const json& parent, const std::string& path, const char* key, bool required,
                                        std::int64_t min, std::int64_t max) {
        const std::string p = path + "/" + key;
        if (!parent.contains(key)) {
            if (required) problem(p, "missing");
            return std::nullopt;
        }
        const json& v = parent.at(key);
        if (!v.is_number_integer()) {
            problem(p, "must be an integer");
            return std::nullopt;
        }
        const std::int64_t n = v.get<std::int64_t>();
        if (n < min || n > max) {
            problem(p, "must be in " + std::to_string(min) + ".." + std::to_string(max));
            return std::nullopt;
        }
        return n;
    }

    std::optional<std::int64_t> duration(const json& parent, const std::string& path, const char* key,
                                         bool required) {
        const std::string p = path + "/" + key;
        if (!parent.contains(key)) {
            if (required) problem(p, "missing");
            return std::nullopt;
        }
        const json& v = parent.at(key);
        if (!v.is_string()) {
            problem(p, "must be a duration string such as \"P30D\"");
            return std::nullopt;
        }
        auto d = parse_duration_days(v.get<std::string>());
        if (!d) {
            problem(p, "bad duration \"" + clip(v.get<std::string>(), 32) +
                           "\" (expected P<n>D, P<n>W or P<n>Y, at most 36500 days)");
        }
        return d;
    }

    // Iterates an array of objects, checking each is an object with unique ids.
    template <class F>
    void each(const json* a, const std::string& path, const char* id_key, F f) {
        if (!a) return;
        std::set<std::string> ids;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string p = path + "/" + std::to_string(i);
            const json& item = (*a)[i];
            if (!item.is_object()) {
                problem(p, "must be an object");
                continue;
            }
            if (id_key && item.contains(id_key) && item.at(id_key).is_string()) {
                const std::string id = item.at(id_key).get<std::string>();
                if (!ids.insert(id).second) problem(p + "/" + id_key, "duplicate id \"" + clip(id, 64) + "\"");
            }
            f(item, p);
        }
    }
};

std::optional<LegalBasis> basis_from(const std::string& s) {
    for (std::size_t i = 0; i < kLegalBases.size(); ++i) {
        if (s == kLegalBases[i]) return static_cast<LegalBasis>(i);
    }
    return std::nullopt;
}

AccountStatus status_from(const std::string& s) {
    if (s == "cancelled") return AccountStatus::cancelled;
    if (s == "closed") return AccountStatus::closed;
    return AccountStatus::active;
}

void read_metadata(Reader& r, const json& doc, Policy& p) {
    const json* m = r.object(doc, "", "metadata", true);
    if (!m) return;
    const std::string path = "/metadata";
    r.known_keys(*m, path,
                 {"name", "version", "effective_date", "jurisdiction", "controller", "text_url", "text_sha256",
                  "language"});
    p.info.name = r.string(*m, path, "name", true, 200);
    p.info.version = r.integer(*m, path, "version", true, 1, 1000000000).value_or(0);
    p.info.effective_date = r.string(*m, path, "effective_date", true, 10);
    if (m->contains("effective_date") && m->at("effective_date").is_string() && !valid_date(p.info.effective_date)) {
        r.problem(path + "/effective_date", "not a date (YYYY-MM-DD)");
    }
    p.info.jurisdiction = r.string(*m, path, "jurisdiction", true, 64);
    p.info.text_url = r.string(*m, path, "text_url", false, 2000);
    if (!p.info.text_url.empty() && p.info.text_url.rfind("https://", 0) != 0 &&
        p.info.text_url.rfind("http://", 0) != 0) {
        r.problem(path + "/text_url", "must be an http(s) URL");
    }
    p.info.text_sha256 = r.string(*m, path, "text_sha256", false, 64);
    if (!p.info.text_sha256.empty()) {
        crypto::Bytes raw;
        if (p.info.text_sha256.size() != 64 || !crypto::from_hex(p.info.text_sha256, raw)) {
            r.problem(path + "/text_sha256", "must be 64 hex digits");
        }
    }
    if (!m->contains("text_url") && !m->contains("text_sha256")) {
        r.problem(path, "needs text_url or text_sha256 (where the human-readable text is, or its hash)");
    }
    p.language = r.string(*m, path, "language", false, 16);
    if (const json* c = r.object(*m, path, "controller", true)) {
        r.known_keys(*c, path + "/controller", {"name", "contact", "address"});
        p.controller_name = r.string(*c, path + "/controller", "name", true, 200);
        p.controller_contact = r.string(*c, path + "/controller", "contact", false, 200);
        p.controller_address = r.string(*c, path + "/controller", "address", false, 500);
    }
}

void read_purposes(Reader& r, const json& doc, Policy& p, const std::set<std::string>& categories) {
    r.each(r.array(doc, "", "purposes", true, true), "/purposes", "id", [&](const json& j, const std::string& path) {
        r.known_keys(j, path,
                     {"id", "description", "legal_basis", "categories", "requires_fresh_consent", "account_statuses",
                      "on_decline", "consent_max_duration", "third_party_disclosure", "depends_on", "data_form"});
        PolicyPurpose pp;
        pp.id = r.ident(j, path, "id");
        pp.description = r.string(j, path, "description", true, 1000);
        const std::string basis = r.choice(j, path, "legal_basis", kLegalBases, true);
        pp.legal_basis = basis_from(basis).value_or(LegalBasis::consent);
        const bool consent = basis == "consent";
        pp.categories = r.refs(j, path, "categories", categories, "category", true, true);
        pp.requires_fresh_consent = r.boolean(j, path, "requires_fresh_consent", false);
        if (pp.requires_fresh_consent && !consent && !basis.empty()) {
            r.problem(path + "/requires_fresh_consent", "only a consent purpose can require fresh consent");
        }
        if (j.contains("account_statuses")) {
            for (const auto& s : r.choices(j, path, "account_statuses", kStatuses, false, true)) {
                pp.account_statuses.push_back(status_from(s));
            }
        } else if (pp.legal_basis == LegalBasis::legal_obligation) {
            pp.account_statuses = {AccountStatus::active, AccountStatus::cancelled, AccountStatus::closed};
        } else {
            pp.account_statuses = {AccountStatus::active};
        }
        const std::string decline = r.choice(j, path, "on_decline", {"none", "close_and_erase"}, false, "none");
        pp.close_on_decline = decline == "close_and_erase";
        if (pp.close_on_decline && !consent && !basis.empty()) {
            r.problem(path + "/on_decline", "only a consent purpose can be declined");
        }
        if (auto d = r.duration(j, path, "consent_max_duration", false)) {
            if (!consent && !basis.empty()) r.problem(path + "/consent_max_duration", "only for consent purposes");
            else if (*d == 0) r.problem(path + "/consent_max_duration", "must be at least one day");
            else pp.consent_max_days = d;
        }
        pp.third_party_disclosure = r.boolean(j, path, "third_party_disclosure", false);
        pp.data_form = r.choice(j, path, "data_form", {"identified", "deidentified", "aggregate"}, false, "identified");
        pp.depends_on = r.choices(j, path, "depends_on", {}, false, true);
        p.info.purposes.push_back(std::move(pp));
    });
}

std::set<std::string> ids_of(const Strings& v) { return {v.begin(), v.end()}; }

void read_roles(Reader& r, const json& doc, Policy& p, const std::set<std::string>& consent_purposes) {
    r.each(r.array(doc, "", "roles", false, false), "/roles", "id", [&](const json& j, const std::string& path) {
        r.known_keys(j, path, {"id", "description", "grants"});
        Role role;
        role.id = r.choice(j, path, "id", kRoles, true);
        role.description = r.string(j, path, "description", false, 1000);
        r.each(r.array(j, path, "grants", true, false), path + "/grants", nullptr,
               [&](const json& g, const std::string& gp) {
                   r.known_keys(g, gp, {"actions", "records", "scope", "purpose"});
                   RoleGrant grant;
                   grant.actions = r.choices(g, gp, "actions", kActions, true, true);
                   grant.records = r.choices(g, gp, "records", kRecords, true, true);
                   grant.scope = r.choice(g, gp, "scope", kScopes, true);
                   grant.purpose = r.ref(g, gp, "purpose", consent_purposes, "consent purpose",
                                         grant.scope == "consented");
                   if (!grant.purpose.empty() && grant.scope != "consented") {
                       r.problem(gp + "/purpose", "only for scope \"consented\"");
                   }
                   role.grants.push_back(std::move(grant));
               });
        p.roles.push_back(std::move(role));
    });
}

void read_consent_sections(Reader& r, const json& doc, Policy& p, const std::set<std::string>& consent_purposes) {
    p.consent_channels = {Channel::web, Channel::email, Channel::whatsapp, Channel::phone, Channel::api};
    if (const json* c = r.object(doc, "", "consent", false)) {
        r.known_keys(*c, "/consent", {"channels"});
        if (c->contains("channels")) {
            p.consent_channels.clear();
            for (const auto& s : r.choices(*c, "/consent", "channels", kChannels, false, true)) {
                p.consent_channels.push_back(channel_from_name(s));
            }
        }
    }
    r.each(r.array(doc, "", "subscriptions", false, false), "/subscriptions", "id",
           [&](const json& j, const std::string& path) {
               r.known_keys(j, path, {"id", "purpose", "description"});
               Subscription s;
               s.id = r.ident(j, path, "id");
               s.purpose = r.ref(j, path, "purpose", consent_purposes, "consent purpose", true);
               s.description = r.string(j, path, "description", false, 1000);
               p.subscriptions.push_back(std::move(s));
           });
    if (const json* v = r.object(doc, "", "visitors", false)) {
        r.known_keys(*v, "/visitors", {"cookie_categories"});
        r.each(r.array(*v, "/visitors", "cookie_categories", true, true), "/visitors/cookie_categories", "id",
               [&](const json& j, const std::string& path) {
                   r.known_keys(j, path, {"id", "purpose", "expiry", "implied_by_continued_use"});
                   CookieCategory c;
                   c.id = r.ident(j, path, "id");
                   c.purpose = r.ref(j, path, "purpose", consent_purposes, "consent purpose", true);
                   c.expiry_days = r.duration(j, path, "expiry", true).value_or(0);
                   if (j.contains("expiry") && c.expiry_days == 0) r.problem(path + "/expiry", "must be at least one day");
                   c.implied_by_continued_use = r.boolean(j, path, "implied_by_continued_use", false);
                   p.cookie_categories.push_back(std::move(c));
               });
    }
}

// categories[].fields: export keys of the category's records (a package
// restricts to them), each a key of at least one of its record kinds, and
// every record kind with at least one, or the kind would be listed in vain.
void read_category_fields(Reader& r, const json& j, const std::string& path, const PolicyCategory& c,
                          Policy& p) {
    const Strings fields = r.choices(j, path, "fields", {}, false, true);
    if (fields.empty()) return;  // reported by choices
    if (c.records.empty()) {
        r.problem(path + "/fields", "only for a category that holds records (records)");
        return;
    }
    auto of_kind = [](const std::string& kind, const std::string& field) {
        const auto* keys = subjects::export_fields(kind);
        return keys && std::find(keys->begin(), keys->end(), field) != keys->end();
    };
    const json& a = j.at("fields");
    for (std::size_t i = 0; a.is_array() && i < a.size(); ++i) {
        if (!a[i].is_string()) continue;  // reported by choices
        const std::string f = a[i].get<std::string>();
        const bool known = std::any_of(c.records.begin(), c.records.end(),
                                       [&](const std::string& kind) { return of_kind(kind, f); });
        if (!known) {
            r.problem(path + "/fields/" + std::to_string(i),
                      "\"" + clip(f, 64) + "\" is not a field of the category's records (" + join(c.records) + ")");
        }
    }
    for (const auto& kind : c.records) {
        if (std::none_of(fields.begin(), fields.end(), [&](const std::string& f) { return of_kind(kind, f); })) {
            r.problem(path + "/fields", "names no field of \"" + kind + "\" records");
        }
    }
    p.category_fields[c.id] = fields;
}

// What a rule's action can do to the records its categories hold.
void check_rule_records(Reader& r, const Policy& p, const std::string& rp, const RetentionRule& rule) {
    if (rule.trigger == "record_age") {
        r.problem(rp + "/trigger", "\"record_age\" is not carried out by this casevault's retention engine");
        return;
    }
    const auto recs = p.rule_records(rule);
    if (recs.empty() && !rule.categories.empty()) {
        r.problem(rp + "/categories", "none of these categories holds records (categories[].records)");
    }
    for (const auto& rec : recs) {
        if (rule.action == "minimize" && rec != "billing") {
            r.problem(rp + "/action", "\"minimize\" applies to billing records only, not \"" + rec + "\"");
        }
        if (rule.action == "anonymize" && rec != "post") {
            r.problem(rp + "/action", "\"anonymize\" applies to posts only, not \"" + rec + "\"");
        }
    }
}

void read_retention(Reader& r, const json& doc, Policy& p, const std::set<std::string>& categories) {
    const json* t = r.object(doc, "", "retention", false);
    if (!t) return;
    const std::string path = "/retention";
    r.known_keys(*t, path, {"activity", "rules", "backups_and_logs_max", "requests"});
    r.each(r.array(*t, path, "activity", false, false), path + "/activity", "kind",
           [&](const json& j, const std::string& ap) {
               r.known_keys(j, ap, {"kind", "window", "includes_recurring"});
               ActivityKind a;
               a.kind = r.ident(j, ap, "kind");
               a.window_days = r.duration(j, ap, "window", true).value_or(0);
               if (j.contains("window") && a.window_days == 0) r.problem(ap + "/window", "must be at least one day");
               a.includes_recurring = r.boolean(j, ap, "includes_recurring", false);
               p.retention.activity.push_back(std::move(a));
           });
    bool uses_inactivity = false;
    r.each(r.array(*t, path, "rules", false, false), path + "/rules", "id", [&](const json& j, const std::string& rp) {
        r.known_keys(j, rp, {"id", "categories", "trigger", "after", "action", "keep_fields", "legal_basis"});
        RetentionRule rule;
        rule.id = r.ident(j, rp, "id");
        rule.categories = r.refs(j, rp, "categories", categories, "category", true, true);
        rule.trigger = r.choice(j, rp, "trigger", kTriggers, true);
        rule.after_days = r.duration(j, rp, "after", true).value_or(0);
        rule.action = r.choice(j, rp, "action", kRetentionActions, true);
        if (rule.action == "minimize") {
            rule.keep_fields = r.choices(j, rp, "keep_fields", {}, true, true);
        } else if (j.contains("keep_fields")) {
            r.problem(rp + "/keep_fields", "only for action \"minimize\"");
        }
        if (j.contains("legal_basis")) {
            rule.legal_basis = basis_from(r.choice(j, rp, "legal_basis", kLegalBases, false));
        }
        uses_inactivity = uses_inactivity || rule.trigger == "inactivity";
        check_rule_records(r, p, rp, rule);
        p.retention.rules.push_back(std::move(rule));
    });
    // Under one trigger each kind of record has one fate.
    std::map<std::string, std::string> owner;  // "trigger/record" -> rule id
    for (std::size_t i = 0; i < p.retention.rules.size(); ++i) {
        const auto& rule = p.retention.rules[i];
        for (const auto& rec : p.rule_records(rule)) {
            auto [it, fresh] = owner.emplace(rule.trigger + "/" + rec, rule.id);
            if (!fresh) {
                r.problem(path + "/rules/" + std::to_string(i) + "/categories",
                          "\"" + rec + "\" records are already covered under trigger \"" + rule.trigger +
                              "\" by rule \"" + it->second + "\"");
            }
        }
    }
    if (uses_inactivity && p.retention.activity.empty()) {
        r.problem(path + "/activity", "an inactivity rule needs at least one activity kind");
    }
    p.retention.backups_and_logs_max_days = r.duration(*t, path, "backups_and_logs_max", false);
    if (const json* q = r.object(*t, path, "requests", false)) {
        const std::string qp = path + "/requests";
        r.known_keys(*q, qp, {"channels", "require_confirmation", "confirmation_ttl"});
        Requests req;
        req.channels = r.choices(*q, qp, "channels", kRequestChannels, true, true);
        req.require_confirmation = r.boolean(*q, qp, "require_confirmation", false);
        req.confirmation_ttl_days = r.duration(*q, qp, "confirmation_ttl", req.require_confirmation).value_or(0);
        if (req.require_confirmation && q->contains("confirmation_ttl") && req.confirmation_ttl_days == 0) {
            r.problem(qp + "/confirmation_ttl", "must be at least one day");
        }
        p.retention.requests = std::move(req);
    }
}

void read_disclosures(Reader& r, const json& doc, Policy& p, const std::set<std::string>& categories,
                      const std::set<std::string>& purposes) {
    const json* d = r.object(doc, "", "disclosures", false);
    if (!d) return;
    const std::string path = "/disclosures";
    r.known_keys(*d, path, {"sale", "rules", "preservation", "subprocessors", "transfer_notice", "data_location"});
    p.disclosures.sale = r.boolean(*d, path, "sale", false);
    p.disclosures.transfer_notice = r.boolean(*d, path, "transfer_notice", false);
    p.disclosures.data_location = r.string(*d, path, "data_location", false, 64);
    r.each(r.array(*d, path, "rules", false, false), path + "/rules", "id", [&](const json& j, const std::string& rp) {
        r.known_keys(j, rp,
                     {"id", "kind", "recipients", "purposes", "categories", "fields", "accepted_processes",
                      "notify_subject"});
        DisclosureRule rule;
        rule.id = r.ident(j, rp, "id");
        rule.kind = r.choice(j, rp, "kind", kDisclosureKinds, true);
        rule.recipients = r.choices(j, rp, "recipients", kRecipients, true, true);
        rule.purposes = r.refs(j, rp, "purposes", purposes, "purpose", rule.kind == "on_behalf", rule.kind == "on_behalf");
        rule.categories = r.refs(j, rp, "categories", categories, "category", true, true);
        rule.fields = r.choices(j, rp, "fields", {}, false, true);
        const bool process = rule.kind == "legal_process";
        rule.accepted_processes = r.choices(j, rp, "accepted_processes", kProcesses, process, process);
        if (!process && j.contains("accepted_processes")) {
            r.problem(rp + "/accepted_processes", "only for kind \"legal_process\"");
        }
        rule.notify_subject = r.choice(j, rp, "notify_subject", kNotifySubject, process, "never");
        p.disclosures.rules.push_back(std::move(rule));
    });
    if (const json* pr = r.object(*d, path, "preservation", false)) {
        const std::string pp = path + "/preservation";
        r.known_keys(*pr, pp,
                     {"authorities", "period", "extension", "max_extensions", "destroy_on_expiry", "release_processes",
                      "disclosure_processes"});
        Preservation v;
        v.authorities = r.choices(*pr, pp, "authorities", kAuthorities, true, true);
        v.period_days = r.duration(*pr, pp, "period", true).value_or(0);
        if (pr->contains("period") && v.period_days == 0) r.problem(pp + "/period", "must be at least one day");
        v.extension_days = r.duration(*pr, pp, "extension", false).value_or(0);
        v.max_extensions = r.integer(*pr, pp, "max_extensions", false, 0, 100).value_or(0);
        if (v.max_extensions > 0 && v.extension_days == 0) {
            r.problem(pp + "/extension", "needed when max_extensions is above 0");
        }
        v.destroy_on_expiry = r.boolean(*pr, pp, "destroy_on_expiry", true);
        v.release_processes = r.choices(*pr, pp, "release_processes", kProcesses, false, true);
        v.disclosure_processes = r.choices(*pr, pp, "disclosure_processes", kProcesses, false, true);
        p.disclosures.preservation = std::move(v);
    }
    r.each(r.array(*d, path, "subprocessors", false, false), path + "/subprocessors", "name",
           [&](const json& j, const std::string& sp) {
               r.known_keys(j, sp, {"name", "purpose", "categories", "location"});
               Subprocessor s;
               s.name = r.string(j, sp, "name", true, 200);
               s.purpose = r.ref(j, sp, "purpose", purposes, "purpose", true);
               s.categories = r.refs(j, sp, "categories", categories, "category", true, true);
               s.location = r.string(j, sp, "location", true, 64);
               p.disclosures.subprocessors.push_back(std::move(s));
           });
}

void read_notifications(Reader& r, const json& doc, Policy& p) {
    r.each(r.array(doc, "", "notifications", false, false), "/notifications", "kind",
           [&](const json& j, const std::string& path) {
               r.known_keys(j, path, {"kind", "channels", "lead_time"});
               NotificationRule n;
               n.kind = r.choice(j, path, "kind", kNotificationKinds, true);
               n.channels = r.choices(j, path, "channels", kChannels, true, true);
               n.lead_time_days = r.duration(j, path, "lead_time", false);
               p.notifications.push_back(std::move(n));
           });
}

std::string section(const json& doc, const char* key) { return doc.contains(key) ? doc.at(key).dump() : ""; }

std::shared_ptr<Policy> read(const std::string& text, Reader& r) {
    auto p = std::make_shared<Policy>();
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        // The parser's message quotes no input, only the byte position.
        r.problem("", std::string("not valid JSON (at byte ") + std::to_string(e.byte) + ")");
        return p;
    }
    if (!doc.is_object()) {
        r.problem("", "must be a JSON object");
        return p;
    }
    r.known_keys(doc, "",
                 {"format", "metadata", "categories", "purposes", "roles", "consent", "subscriptions", "visitors",
                  "retention", "disclosures", "notifications", "aggregates"});
    if (!doc.contains("format")) r.problem("/format", "missing (expected \"casevault-policy/1\")");
    else if (doc.at("format") != "casevault-policy/1") r.problem("/format", "must be \"casevault-policy/1\"");

    read_metadata(r, doc, *p);
    r.each(r.array(doc, "", "categories", true, true), "/categories", "id",
           [&](const json& j, const std::string& path) {
               r.known_keys(j, path, {"id", "description", "kind", "records", "fields"});
               PolicyCategory c;
               c.id = r.ident(j, path, "id");
               c.description = r.string(j, path, "description", true, 1000);
               c.kind = r.choice(j, path, "kind", kCategoryKinds, false, "personal");
               c.records = r.choices(j, path, "records", kRecordParts, false, false);
               if (j.contains("fields")) read_category_fields(r, j, path, c, *p);
               p->info.categories.push_back(std::move(c));
           });
    Strings cat_ids, purpose_ids, consent_ids;
    for (const auto& c : p->info.categories) cat_ids.push_back(c.id);
    const auto categories = ids_of(cat_ids);
    read_purposes(r, doc, *p, categories);
    for (const auto& pp : p->info.purposes) {
        purpose_ids.push_back(pp.id);
        if (pp.legal_basis == LegalBasis::consent) consent_ids.push_back(pp.id);
    }
    const auto purposes = ids_of(purpose_ids);
    const auto consent_purposes = ids_of(consent_ids);
    // depends_on names consent purposes, and not the purpose itself.
    for (std::size_t i = 0; i < p->info.purposes.size(); ++i) {
        const auto& pp = p->info.purposes[i];
        for (std::size_t k = 0; k < pp.depends_on.size(); ++k) {
            const std::string at = "/purposes/" + std::to_string(i) + "/depends_on/" + std::to_string(k);
            if (!consent_purposes.count(pp.depends_on[k])) {
                r.problem(at, "unknown consent purpose \"" + clip(pp.depends_on[k], 64) + "\"");
            } else if (pp.depends_on[k] == pp.id) {
                r.problem(at, "a purpose cannot depend on itself");
            }
        }
    }
    read_roles(r, doc, *p, consent_purposes);
    read_consent_sections(r, doc, *p, consent_purposes);
    read_retention(r, doc, *p, categories);
    read_disclosures(r, doc, *p, categories, purposes);
    read_notifications(r, doc, *p);
    if (const json* a = r.object(doc, "", "aggregates", false)) {
        r.known_keys(*a, "/aggregates", {"min_count"});
        p->aggregates_min_count = r.integer(*a, "/aggregates", "min_count", false, 2, 1000000).value_or(5);
    }

    if (r.problems.empty()) {
        p->info.document = doc.dump();  // keys sorted, no whitespace: canonical
        p->info.hash = "sha256:" + crypto::sha256_hex(p->info.document);
        p->roles_json = section(doc, "roles");
        p->retention_json = section(doc, "retention");
        p->disclosures_json = section(doc, "disclosures");
        p->notifications_json = section(doc, "notifications");
        p->aggregates_json = section(doc, "aggregates");
    }
    return p;
}

}  // namespace

const PolicyPurpose* Policy::purpose(const std::string& id) const {
    for (const auto& p : info.purposes) {
        if (p.id == id) return &p;
    }
    return nullptr;
}

std::vector<std::string> Policy::rule_records(const RetentionRule& rule) const {
    std::vector<std::string> out;
    for (const auto& c : rule.categories) {
        const PolicyCategory* cat = category(c);
        if (!cat) continue;
        for (const auto& rec : cat->records) {
            if (std::find(out.begin(), out.end(), rec) == out.end()) out.push_back(rec);
        }
    }
    return out;
}

const PolicyCategory* Policy::category(const std::string& id) const {
    for (const auto& c : info.categories) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

const Role* Policy::role(const std::string& id) const {
    for (const auto& r : roles) {
        if (r.id == id) return &r;
    }
    return nullptr;
}

const Subscription* Policy::subscription(const std::string& id) const {
    for (const auto& s : subscriptions) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

const CookieCategory* Policy::cookie_category(const std::string& id) const {
    for (const auto& c : cookie_categories) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

std::int64_t Policy::decline_erasure_days() const {
    std::optional<std::int64_t> days;
    for (const auto& rule : retention.rules) {
        if (rule.trigger == "reconsent_declined") days = std::min(days.value_or(rule.after_days), rule.after_days);
    }
    return days.value_or(0);
}

bool Policy::anonymize_posts_on_erasure() const {
    for (const auto& rule : retention.rules) {
        if (rule.trigger != "deletion_request") continue;
        for (const auto& c : rule.categories) {
            const PolicyCategory* cat = category(c);
            if (cat && cat->kind == "public") return rule.action == "anonymize";
        }
    }
    return false;
}

bool Policy::accepts_channel(Channel c) const {
    return std::find(consent_channels.begin(), consent_channels.end(), c) != consent_channels.end();
}

std::shared_ptr<const Policy> parse(const std::string& json_text) {
    Reader r;
    auto p = read(json_text, r);
    if (!r.problems.empty()) throw PolicyInvalid(std::move(r.problems));
    return p;
}

std::vector<PolicyProblem> lint(const std::string& json_text) {
    Reader r;
    read(json_text, r);
    return std::move(r.problems);
}

bool purpose_changed(const PolicyPurpose& a, const PolicyPurpose& b) {
    return a.description != b.description || a.legal_basis != b.legal_basis || a.categories != b.categories ||
           a.requires_fresh_consent != b.requires_fresh_consent || a.account_statuses != b.account_statuses ||
           a.close_on_decline != b.close_on_decline || a.consent_max_days != b.consent_max_days ||
           a.third_party_disclosure != b.third_party_disclosure || a.depends_on != b.depends_on ||
           a.data_form != b.data_form;
}

PolicyDiff diff(const Policy& a, const Policy& b) {
    PolicyDiff d;
    d.from = a.info.version;
    d.to = b.info.version;
    for (const auto& p : b.info.purposes) {
        const PolicyPurpose* old = a.purpose(p.id);
        if (!old) d.purposes_added.push_back(p.id);
        else if (purpose_changed(*old, p)) d.purposes_changed.push_back(p.id);
        if (p.legal_basis == LegalBasis::consent && p.requires_fresh_consent && old) {
            d.reconsent_purposes.push_back(p.id);
        }
    }
    for (const auto& p : a.info.purposes) {
        if (!b.purpose(p.id)) d.purposes_removed.push_back(p.id);
    }
    for (const auto& c : b.info.categories) {
        if (!a.category(c.id)) d.categories_added.push_back(c.id);
    }
    for (const auto& c : a.info.categories) {
        if (!b.category(c.id)) d.categories_removed.push_back(c.id);
    }
    for (const std::string& role : kRoles) {
        const Role* ra = a.role(role);
        const Role* rb = b.role(role);
        if ((ra == nullptr) != (rb == nullptr) || (ra && ra->grants != rb->grants)) d.roles_changed.push_back(role);
    }
    d.retention_changed = a.retention_json != b.retention_json;
    d.disclosures_changed = a.disclosures_json != b.disclosures_json;
    d.notifications_changed = a.notifications_json != b.notifications_json;
    return d;
}

}  // namespace casevault::policy

namespace casevault {

std::vector<PolicyProblem> lint_policy(const std::string& json_text) { return policy::lint(json_text); }

PolicyVersion parse_policy(const std::string& json_text) { return policy::parse(json_text)->info; }


}  // namespace casevault

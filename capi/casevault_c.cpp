// casevault_c.cpp — the C API (casevault.h) over the C++ API.
//
// This file only translates: C arguments into C++ values, C++ results into
// malloc'd C strings (JSON for records) and exceptions into return codes plus
// a per-thread last error. It holds no domain logic; validation of field
// values, key sizes, status transitions and so on is the core's business.
// The records of team access (principals, cases, correspondence, billing,
// posts) are in casevault_c_records.cpp; what both files share is in
// capi_internal.hpp.
//
// Rules kept by every exported function:
//   - out-parameters are set to NULL / 0 before anything else;
//   - a NULL argument that is not documented as optional gives
//     CASEVAULT_EINVAL with a message naming it;
//   - no exception leaves this file: casevault::Error becomes its code (an
//     AccessDenied also leaves its rule for casevault_last_error_rule, a
//     DisclosureRefused its reason),
//     std::bad_alloc becomes CASEVAULT_EINTERNAL "out of memory", anything
//     else CASEVAULT_EINTERNAL;
//   - success clears the thread's last error;
//   - temporary copies of secrets and personal data made here are wiped.

#include "capi_internal.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

// The frozen C codes and the C++ codes must agree.
static_assert(CASEVAULT_OK == static_cast<int>(casevault::Errc::ok), "code mismatch");
static_assert(CASEVAULT_EINTERNAL == static_cast<int>(casevault::Errc::internal), "code mismatch");
static_assert(CASEVAULT_EINVAL == static_cast<int>(casevault::Errc::invalid_argument), "code mismatch");
static_assert(CASEVAULT_ENOTFOUND == static_cast<int>(casevault::Errc::not_found), "code mismatch");
static_assert(CASEVAULT_EWRONGKEY == static_cast<int>(casevault::Errc::wrong_key), "code mismatch");
static_assert(CASEVAULT_ECORRUPT == static_cast<int>(casevault::Errc::corrupt), "code mismatch");
static_assert(CASEVAULT_ELOCKED == static_cast<int>(casevault::Errc::locked), "code mismatch");
static_assert(CASEVAULT_EDUPLICATE == static_cast<int>(casevault::Errc::duplicate), "code mismatch");
static_assert(CASEVAULT_ENOCODEC == static_cast<int>(casevault::Errc::no_codec), "code mismatch");
static_assert(CASEVAULT_EIO == static_cast<int>(casevault::Errc::io), "code mismatch");
static_assert(CASEVAULT_ECANCELLED == static_cast<int>(casevault::Errc::cancelled), "code mismatch");
static_assert(CASEVAULT_ECLOSED == static_cast<int>(casevault::Errc::closed), "code mismatch");
static_assert(CASEVAULT_EACCESS == static_cast<int>(casevault::Errc::access_denied), "code mismatch");
static_assert(CASEVAULT_EUNSUPPORTED == static_cast<int>(casevault::Errc::unsupported), "code mismatch");
static_assert(CASEVAULT_EEXPIRED == static_cast<int>(casevault::Errc::expired), "code mismatch");
static_assert(CASEVAULT_EDISCLOSURE_REFUSED == static_cast<int>(casevault::Errc::disclosure_refused),
              "code mismatch");

using namespace capi;

namespace {

// ---- per-thread last error ----------------------------------------------

struct LastError {
    int code = CASEVAULT_OK;
    std::string message;
    std::string rule;                // the denial's rule (EACCESS) or the refusal's reason (EDISCLOSURE_REFUSED)
    const char* fallback = nullptr;  // used when message could not be stored
};

thread_local LastError t_last;

}  // namespace

void capi::clear_error() noexcept {
    t_last.code = CASEVAULT_OK;
    t_last.message.clear();  // keeps capacity; never throws
    t_last.rule.clear();
    t_last.fallback = nullptr;
}

int capi::set_error(int code, const char* message) noexcept {
    if (code >= 0) code = CASEVAULT_EINTERNAL;  // a failure is never "ok"
    t_last.code = code;
    t_last.rule.clear();
    t_last.fallback = nullptr;
    try {
        t_last.message.assign(message ? message : "");
    } catch (...) {
        t_last.message.clear();
        t_last.fallback = "out of memory (while recording an error)";
    }
    return code;
}

namespace {

// A failure that carries a rule (a denial's, a refusal's reason).
int set_with_rule(int code, const char* rule, const char* message) noexcept {
    code = capi::set_error(code, message);
    try {
        t_last.rule.assign(rule ? rule : "");
    } catch (...) {
        t_last.rule.clear();  // the code and message still say what happened
    }
    return code;
}

}  // namespace

int capi::set_denied(const char* rule, const char* message) noexcept {
    return set_with_rule(CASEVAULT_EACCESS, rule, message);
}

int capi::set_refused(const char* reason, const char* message) noexcept {
    return set_with_rule(CASEVAULT_EDISCLOSURE_REFUSED, reason, message);
}

namespace {

// ---- C values in ----------------------------------------------------------

// Filled in place (see set_opt).
void fill_fields(casevault::AccountFields& out, const casevault_account_fields& f) {
    out.name = f.name;  // checked non-NULL by the caller
    set_opt(out.email, f.email);
    set_opt(out.phone, f.phone);
    set_opt(out.address, f.address);
    set_opt(out.company, f.company);
}

casevault::AccountUpdate to_update(const casevault_account_fields& f) {
    casevault::AccountUpdate out;
    set_opt(out.name, f.name);
    set_opt(out.email, f.email);
    set_opt(out.phone, f.phone);
    set_opt(out.address, f.address);
    set_opt(out.company, f.company);
    return out;
}

std::optional<casevault::AccountStatus> to_status(const char* s) {
    if (!s) return std::nullopt;
    return casevault::account_status_from_name(s);
}

// ---- C++ values out (JSON) --------------------------------------------------

json account_json(const casevault::Account& a) {
    const bool erased = a.status == casevault::AccountStatus::erased;
    json j;
    j["id"] = a.id;
    j["status"] = casevault::account_status_name(a.status);
    j["created_at"] = a.created_at;
    j["updated_at"] = a.updated_at;
    // An erased account has no personal fields left: all of them are null.
    j["name"] = erased ? json(nullptr) : json(a.fields.name);
    j["email"] = erased ? json(nullptr) : opt_json(a.fields.email);
    j["phone"] = erased ? json(nullptr) : opt_json(a.fields.phone);
    j["address"] = erased ? json(nullptr) : opt_json(a.fields.address);
    j["company"] = erased ? json(nullptr) : opt_json(a.fields.company);
    return j;
}

json audit_entry_json(const casevault::AuditEntry& e) {
    json j;
    j["seq"] = e.seq;
    j["at"] = e.at;
    j["actor"] = e.actor;
    j["action"] = e.action;
    j["subject"] = e.subject;
    j["target"] = e.target;
    j["outcome"] = e.outcome;
    j["reason"] = e.reason;
    return j;
}

json versions_json(const std::string& lib, const std::string& sqlcipher, const std::string& sqlite,
                   const std::string& sodium) {
    json j;
    j["casevault"] = lib;
    j["sqlcipher"] = sqlcipher;
    j["sqlite"] = sqlite;
    j["sodium"] = sodium;
    return j;
}

}  // namespace

// ==== Versions ==============================================================

extern "C" const char* casevault_version(void) { return casevault::version(); }

extern "C" int casevault_version_number(void) { return CASEVAULT_VERSION_NUMBER; }

extern "C" int casevault_engine_versions(char** out_json) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    return guarded([&] {
        const casevault::EngineVersions v = casevault::engine_versions();
        json j = versions_json(v.casevault, v.sqlcipher, v.sqlite, v.sodium);
        *out_json = c_json(j);
    });
}

// ==== Errors ================================================================

extern "C" const char* casevault_last_error(void) {
    return t_last.fallback ? t_last.fallback : t_last.message.c_str();
}

extern "C" int casevault_last_error_code(void) { return t_last.code; }

extern "C" const char* casevault_last_error_rule(void) {
    return t_last.code == CASEVAULT_EACCESS || t_last.code == CASEVAULT_EDISCLOSURE_REFUSED ? t_last.rule.c_str()
                                                                                            : "";
}

extern "C" const char* casevault_error_name(int code) {
    if (code > CASEVAULT_OK || code < CASEVAULT_EDISCLOSURE_REFUSED) return "unknown";
    const char* name = casevault::errc_name(static_cast<casevault::Errc>(code));
    return name ? name : "unknown";
}

extern "C" void casevault_free(char* p) { c_free_wiped(p); }

// ==== Opening a store =======================================================

extern "C" int casevault_open(casevault_vault** out, const char* path,
                              const casevault_open_options* options) {
    if (out) *out = nullptr;
    if (!out) return invalid("out is NULL");
    if (!path) return invalid("path is NULL");
    if (!options) return invalid("options is NULL");
    if (!version_ok(options->version, CASEVAULT_OPEN_OPTIONS_VERSION))
        return invalid("unsupported options version (casevault_open_options.version)");
    if (!options->key && options->key_len != 0)
        return invalid("options->key is NULL but options->key_len is not 0");

    casevault::OpenOptions o;
    // Temporary copies of the secrets made here are wiped on every path.
    struct SecretGuard {
        casevault::OpenOptions& o;
        ~SecretGuard() {
            wipe(o.passphrase);
            if (o.key) wipe(*o.key);
        }
    } secret_guard{o};

    return guarded([&] {
        if (options->passphrase) o.passphrase = std::string(options->passphrase);
        if (options->key) o.key = std::vector<std::uint8_t>(options->key, options->key + options->key_len);
        if (options->kdf_opslimit != 0) o.kdf.opslimit = options->kdf_opslimit;
        if (options->kdf_memlimit_log2 != 0) o.kdf.memlimit_log2 = options->kdf_memlimit_log2;
        o.create_if_missing = options->create_if_missing != 0;
        o.busy_timeout_ms = options->busy_timeout_ms;
        if (options->actor) o.actor = options->actor;
        o.batch_read_audit = options->batch_read_audit != 0;
        o.durable = options->durable != 0;
        o.progress = to_progress(options->progress, options->progress_ctx);
        if (options->clock) {
            casevault_clock_fn fn = options->clock;
            void* ctx = options->clock_ctx;
            o.clock = [fn, ctx]() -> std::int64_t { return fn(ctx); };
        }
        casevault::Vault v = casevault::Vault::open(path, o);
        *out = new casevault_vault(std::move(v));  // on bad_alloc v closes itself
    });
}

extern "C" void casevault_close(casevault_vault* vault) {
    if (!vault) return;
    try {
        vault->vault.close();
    } catch (...) {
        // close() returns nothing; the destructor below still wipes the keys.
    }
    delete vault;
}

extern "C" int casevault_info(char** out_json, casevault_vault* vault) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const casevault::VaultInfo i = vault->vault.info();
        json j;
        j["path"] = i.path;
        j["versions"] = versions_json(i.library_version, i.sqlcipher_version, i.sqlite_version,
                                      i.sodium_version);
        j["schema_version"] = i.schema_version;
        j["key_mode"] = i.key_mode;
        if (i.key_mode == "passphrase") {
            json k;
            k["opslimit"] = i.kdf.opslimit;
            k["memlimit_log2"] = i.kdf.memlimit_log2;
            j["kdf"] = std::move(k);
        } else {
            j["kdf"] = nullptr;
        }
        json c;
        c["total"] = i.accounts;
        c["active"] = i.accounts_active;
        c["erased"] = i.accounts_erased;
        j["accounts"] = std::move(c);
        j["audit_entries"] = i.audit_entries;
        j["records"] = {{"principals", i.principals}, {"cases", i.cases}, {"messages", i.messages},
                        {"payments", i.payments}, {"posts", i.posts}};
        *out_json = c_json(j);
    });
}

extern "C" int casevault_check_integrity(int64_t* out_pages, casevault_vault* vault) {
    if (out_pages) *out_pages = 0;
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::int64_t pages = vault->vault.check_integrity();
        if (out_pages) *out_pages = pages;
    });
}

extern "C" int casevault_change_passphrase(casevault_vault* vault, const char* new_passphrase,
                                           unsigned int kdf_opslimit, unsigned int kdf_memlimit_log2,
                                           casevault_progress_fn progress, void* progress_ctx) {
    if (!vault) return invalid("vault is NULL");
    if (!new_passphrase) return invalid("new_passphrase is NULL");
    std::string pass;
    WipeGuard<std::string> g(pass);
    return guarded([&] {
        pass = new_passphrase;
        std::optional<casevault::KdfParams> kdf;
        if (kdf_opslimit != 0 || kdf_memlimit_log2 != 0) {
            casevault::KdfParams k;  // a 0 field keeps the library default
            if (kdf_opslimit != 0) k.opslimit = kdf_opslimit;
            if (kdf_memlimit_log2 != 0) k.memlimit_log2 = kdf_memlimit_log2;
            kdf = k;
        }
        vault->vault.change_passphrase(pass, kdf, to_progress(progress, progress_ctx));
    });
}

extern "C" int casevault_change_key(casevault_vault* vault, const uint8_t* new_key, size_t key_len,
                                    casevault_progress_fn progress, void* progress_ctx) {
    if (!vault) return invalid("vault is NULL");
    if (!new_key) return invalid("new_key is NULL");
    std::vector<std::uint8_t> key;
    WipeGuard<std::vector<std::uint8_t>> g(key);
    return guarded([&] {
        key.assign(new_key, new_key + key_len);
        vault->vault.change_key(key, to_progress(progress, progress_ctx));
    });
}

// ==== Accounts ==============================================================

extern "C" int casevault_account_create(char** out_id, casevault_vault* vault,
                                        const casevault_account_fields* fields) {
    if (out_id) *out_id = nullptr;
    if (!out_id) return invalid("out_id is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!fields) return invalid("fields is NULL");
    if (!version_ok(fields->version, CASEVAULT_ACCOUNT_FIELDS_VERSION))
        return invalid("unsupported options version (casevault_account_fields.version)");
    if (!fields->name) return invalid("fields->name is NULL (name is required)");
    return guarded([&] {
        casevault::AccountFields f;
        WipeGuard<casevault::AccountFields> gf(f);
        fill_fields(f, *fields);
        casevault::Account a = vault->vault.accounts().create(f);
        WipeGuard<casevault::Account> ga(a);
        *out_id = c_copy(a.id);
    });
}

extern "C" int casevault_account_create_many(char** out_ids, casevault_vault* vault,
                                             const casevault_account_fields* fields, size_t count) {
    if (out_ids)
        for (size_t i = 0; i < count; ++i) out_ids[i] = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!fields && count != 0) return invalid("fields is NULL");
    for (size_t i = 0; i < count; ++i) {
        if (!version_ok(fields[i].version, CASEVAULT_ACCOUNT_FIELDS_VERSION))
            return invalid("unsupported options version (casevault_account_fields.version)");
        if (!fields[i].name) return invalid("fields[i].name is NULL (name is required)");
    }
    return guarded([&] {
        std::vector<casevault::AccountFields> batch;
        struct BatchGuard {
            std::vector<casevault::AccountFields>& b;
            ~BatchGuard() {
                for (auto& f : b) wipe(f);
            }
        } gb{batch};
        batch.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            batch.emplace_back();  // reserved: no reallocation leaves copies behind
            fill_fields(batch.back(), fields[i]);
        }

        std::vector<casevault::Account> created;
        struct CreatedGuard {
            std::vector<casevault::Account>& c;
            ~CreatedGuard() {
                for (auto& a : c) wipe(a);
            }
        } gc{created};
        created = vault->vault.accounts().create_many(batch);
        if (!out_ids) return;
        if (created.size() != count)
            throw casevault::Error(casevault::Errc::internal, "create_many returned a wrong number of ids");
        try {
            for (size_t i = 0; i < count; ++i) out_ids[i] = c_copy(created[i].id);
        } catch (...) {
            // The accounts exist (the transaction committed), but the ids
            // could not be handed out: release what was copied.
            for (size_t i = 0; i < count; ++i) {
                c_free_wiped(out_ids[i]);
                out_ids[i] = nullptr;
            }
            throw;
        }
    });
}

extern "C" int casevault_account_get(char** out_json, casevault_vault* vault, const char* id) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid("id is NULL");
    return guarded([&] {
        casevault::Account a = vault->vault.accounts().get(id);
        WipeGuard<casevault::Account> ga(a);
        json j = account_json(a);
        *out_json = c_json(j);
    });
}

namespace {

template <class Find>
int find_account(char** out_json, casevault_vault* vault, const char* value, const char* value_name,
                 Find&& find) noexcept {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!value) return set_error(CASEVAULT_EINVAL, value_name);
    return guarded([&] {
        std::string v = value;
        WipeGuard<std::string> gv(v);
        std::optional<casevault::Account> a;
        struct Guard {
            std::optional<casevault::Account>& a;
            ~Guard() {
                if (a) wipe(*a);
            }
        } ga{a};
        a = find(vault->vault.accounts(), v);
        if (!a) return;  // not finding is not an error: *out_json stays NULL
        json j = account_json(*a);
        *out_json = c_json(j);
    });
}

}  // namespace

extern "C" int casevault_account_find_by_email(char** out_json, casevault_vault* vault, const char* email) {
    return find_account(out_json, vault, email, "email is NULL",
                        [](casevault::Accounts acc, const std::string& v) { return acc.find_by_email(v); });
}

extern "C" int casevault_account_find_by_phone(char** out_json, casevault_vault* vault, const char* phone) {
    return find_account(out_json, vault, phone, "phone is NULL",
                        [](casevault::Accounts acc, const std::string& v) { return acc.find_by_phone(v); });
}

extern "C" int casevault_account_update(casevault_vault* vault, const char* id,
                                        const casevault_account_fields* update) {
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid("id is NULL");
    if (!update) return invalid("update is NULL");
    if (!version_ok(update->version, CASEVAULT_ACCOUNT_FIELDS_VERSION))
        return invalid("unsupported options version (casevault_account_fields.version)");
    return guarded([&] {
        casevault::AccountUpdate u = to_update(*update);
        WipeGuard<casevault::AccountUpdate> gu(u);
        casevault::Account a = vault->vault.accounts().update(id, u);
        wipe(a);
    });
}

extern "C" int casevault_account_set_status(casevault_vault* vault, const char* id, const char* status) {
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid("id is NULL");
    if (!status) return invalid("status is NULL");
    return guarded([&] {
        const casevault::AccountStatus s = casevault::account_status_from_name(status);
        casevault::Account a = vault->vault.accounts().set_status(id, s);
        wipe(a);
    });
}

extern "C" int casevault_account_list(char** out_json, casevault_vault* vault, const char* after_id,
                                      size_t limit, const char* status) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        casevault::AccountListOptions o;
        if (after_id) o.after_id = after_id;
        if (limit != 0) o.limit = limit;  // 0 = the default page size
        o.status = to_status(status);
        casevault::AccountPage page;
        struct Guard {
            casevault::AccountPage& p;
            ~Guard() {
                for (auto& a : p.items) wipe(a);
            }
        } gp{page};
        page = vault->vault.accounts().list(o);
        json j;
        json items = json::array();
        for (const auto& a : page.items) items.push_back(account_json(a));
        j["items"] = std::move(items);
        j["next_cursor"] = page.next_cursor;
        *out_json = c_json(j);
    });
}

extern "C" int casevault_account_count(int64_t* out_count, casevault_vault* vault, const char* status) {
    if (out_count) *out_count = 0;
    if (!out_count) return invalid("out_count is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const auto s = to_status(status);
        *out_count = vault->vault.accounts().count(s);
    });
}

extern "C" int casevault_account_erase(casevault_vault* vault, const char* id) {
    if (!vault) return invalid("vault is NULL");
    if (!id) return invalid("id is NULL");
    return guarded([&] {
        vault->vault.accounts().erase(id);
    });
}

// ==== Audit =================================================================

extern "C" int casevault_audit_read(char** out_json, casevault_vault* vault,
                                    const casevault_audit_filter* filter) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!filter) return invalid("filter is NULL (use CASEVAULT_AUDIT_FILTER_INIT for no filter)");
    if (!version_ok(filter->version, CASEVAULT_AUDIT_FILTER_VERSION))
        return invalid("unsupported options version (casevault_audit_filter.version)");
    return guarded([&] {
        casevault::AuditFilter f;
        set_opt(f.subject, filter->subject);
        set_opt(f.actor, filter->actor);
        set_opt(f.action, filter->action);
        if (filter->since != 0) f.since = filter->since;
        if (filter->until != 0) f.until = filter->until;
        f.after_seq = filter->after_seq;
        if (filter->limit != 0) f.limit = filter->limit;  // 0 = the default (1000)
        const std::vector<casevault::AuditEntry> entries = vault->vault.audit().read(f);
        json j = json::array();
        for (const auto& e : entries) j.push_back(audit_entry_json(e));
        *out_json = c_json(j);
    });
}

extern "C" int casevault_audit_verify(int* out_ok, int64_t* out_first_bad, char** out_json,
                                      casevault_vault* vault, const char* expected_head) {
    if (out_ok) *out_ok = 0;
    if (out_first_bad) *out_first_bad = 0;
    if (out_json) *out_json = nullptr;
    if (!out_ok) return invalid("out_ok is NULL");
    if (!out_first_bad) return invalid("out_first_bad is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const casevault::AuditVerifyResult r = vault->vault.audit().verify(opt(expected_head));
        char* text = nullptr;
        if (out_json) {
            json j;
            j["ok"] = r.ok;
            j["entries"] = r.entries;
            j["first_bad_seq"] = r.first_bad_seq;
            j["problem"] = r.problem;
            j["head"] = r.head;
            text = c_json(j);
        }
        // Nothing below can throw: the out-params are set all together.
        *out_ok = r.ok ? 1 : 0;
        *out_first_bad = r.ok ? 0 : r.first_bad_seq;
        if (out_json) *out_json = text;
    });
}

// ==== Policy, consent, outbox ===============================================

// The frozen C reason numbers and the C++ DecisionReason must agree.
static_assert(CASEVAULT_REASON_CONSENT == static_cast<int>(casevault::DecisionReason::consent), "reason mismatch");
static_assert(CASEVAULT_REASON_CONTRACT == static_cast<int>(casevault::DecisionReason::contract), "reason mismatch");
static_assert(CASEVAULT_REASON_LEGAL_OBLIGATION == static_cast<int>(casevault::DecisionReason::legal_obligation),
              "reason mismatch");
static_assert(CASEVAULT_REASON_LEGITIMATE_INTEREST ==
                  static_cast<int>(casevault::DecisionReason::legitimate_interest),
              "reason mismatch");
static_assert(CASEVAULT_REASON_NO_POLICY == static_cast<int>(casevault::DecisionReason::no_policy), "reason mismatch");
static_assert(CASEVAULT_REASON_PURPOSE_UNKNOWN == static_cast<int>(casevault::DecisionReason::purpose_unknown),
              "reason mismatch");
static_assert(CASEVAULT_REASON_SUBJECT_UNKNOWN == static_cast<int>(casevault::DecisionReason::subject_unknown),
              "reason mismatch");
static_assert(CASEVAULT_REASON_ACCOUNT_NOT_ACTIVE == static_cast<int>(casevault::DecisionReason::account_not_active),
              "reason mismatch");
static_assert(CASEVAULT_REASON_NO_CONSENT == static_cast<int>(casevault::DecisionReason::no_consent),
              "reason mismatch");
static_assert(CASEVAULT_REASON_WITHDRAWN == static_cast<int>(casevault::DecisionReason::withdrawn), "reason mismatch");
static_assert(CASEVAULT_REASON_DECLINED == static_cast<int>(casevault::DecisionReason::declined), "reason mismatch");
static_assert(CASEVAULT_REASON_RECONSENT_REQUIRED == static_cast<int>(casevault::DecisionReason::reconsent_required),
              "reason mismatch");
static_assert(CASEVAULT_REASON_EXPIRED == static_cast<int>(casevault::DecisionReason::expired), "reason mismatch");
static_assert(CASEVAULT_REASON_OBJECTED == static_cast<int>(casevault::DecisionReason::objected), "reason mismatch");

namespace {

// ---- C values in ------------------------------------------------------------

casevault::Channel to_channel(const char* s) {
    if (!s) return casevault::Channel::web;  // the documented default
    return casevault::channel_from_name(s);
}

casevault::ConsentAction to_action(const char* s) {
    if (!s) return casevault::ConsentAction::granted;  // the documented default
    return casevault::consent_action_from_name(s);
}

// Checks what a request must carry; a message naming the field, or nullptr.
const char* request_problem(const casevault_consent_request& r, bool many) noexcept {
    if (!version_ok(r.version, CASEVAULT_CONSENT_REQUEST_VERSION))
        return "unsupported options version (casevault_consent_request.version)";
    if (!r.subject) return many ? "requests[i].subject is NULL" : "request->subject is NULL";
    if (!r.purpose) return many ? "requests[i].purpose is NULL" : "request->purpose is NULL";
    return nullptr;
}

casevault::ConsentRequest to_request(const casevault_consent_request& r) {
    casevault::ConsentRequest out;
    out.subject = r.subject;  // checked non-NULL by the caller
    out.purpose = r.purpose;
    out.action = to_action(r.action);
    out.channel = to_channel(r.channel);
    if (r.scope) out.scope = r.scope;
    if (r.evidence) out.evidence = r.evidence;
    if (r.expires_at != 0) out.expires_at = r.expires_at;  // 0 = none
    return out;
}

void set_decision(casevault_decision* out, const casevault::Decision& d) noexcept {
    out->allowed = d.allowed ? 1 : 0;
    out->reason = static_cast<int>(d.reason);
    out->policy_version = d.policy_version;
}

// ---- C++ values out (JSON) ----------------------------------------------------

// A JSON text the core produced, as a nested value.
json nested(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded())
        throw casevault::Error(casevault::Errc::internal, "a stored JSON document could not be read");
    return j;
}

json purpose_json(const casevault::PolicyPurpose& p) {
    json j;
    j["id"] = p.id;
    j["description"] = p.description;
    j["legal_basis"] = casevault::legal_basis_name(p.legal_basis);
    j["categories"] = strings_json(p.categories);
    j["requires_fresh_consent"] = p.requires_fresh_consent;
    json statuses = json::array();
    for (auto s : p.account_statuses) statuses.push_back(casevault::account_status_name(s));
    j["account_statuses"] = std::move(statuses);
    j["close_on_decline"] = p.close_on_decline;
    j["consent_max_days"] = p.consent_max_days ? json(*p.consent_max_days) : json(nullptr);
    j["third_party_disclosure"] = p.third_party_disclosure;
    j["depends_on"] = strings_json(p.depends_on);
    j["data_form"] = p.data_form;
    return j;
}

json policy_json(const casevault::PolicyVersion& v, bool with_document) {
    json j;
    j["version"] = v.version;
    j["name"] = v.name;
    j["effective_date"] = v.effective_date;
    j["text_url"] = v.text_url;
    j["text_sha256"] = v.text_sha256;
    j["jurisdiction"] = v.jurisdiction;
    j["hash"] = v.hash;
    j["published_at"] = v.published_at;
    j["active"] = v.active;
    json categories = json::array();
    for (const auto& c : v.categories) {
        json cj;
        cj["id"] = c.id;
        cj["description"] = c.description;
        cj["kind"] = c.kind;
        categories.push_back(std::move(cj));
    }
    j["categories"] = std::move(categories);
    json purposes = json::array();
    for (const auto& p : v.purposes) purposes.push_back(purpose_json(p));
    j["purposes"] = std::move(purposes);
    if (with_document) j["document"] = v.document.empty() ? json(nullptr) : nested(v.document);
    return j;
}

json diff_json(const casevault::PolicyDiff& d) {
    json j;
    j["from"] = d.from;
    j["to"] = d.to;
    j["purposes_added"] = strings_json(d.purposes_added);
    j["purposes_removed"] = strings_json(d.purposes_removed);
    j["purposes_changed"] = strings_json(d.purposes_changed);
    j["categories_added"] = strings_json(d.categories_added);
    j["categories_removed"] = strings_json(d.categories_removed);
    j["roles_changed"] = strings_json(d.roles_changed);
    j["retention_changed"] = d.retention_changed;
    j["disclosures_changed"] = d.disclosures_changed;
    j["notifications_changed"] = d.notifications_changed;
    j["reconsent_purposes"] = strings_json(d.reconsent_purposes);
    return j;
}

json event_json(const casevault::ConsentEvent& e) {
    json j;
    j["id"] = e.id;
    j["subject"] = e.subject;
    j["purpose"] = e.purpose;
    j["scope"] = e.scope;
    j["action"] = casevault::consent_action_name(e.action);
    j["channel"] = casevault::channel_name(e.channel);
    j["policy_version"] = e.policy_version;
    j["evidence"] = e.evidence;
    j["at"] = e.at;
    j["expires_at"] = e.expires_at;
    return j;
}

json events_json(const std::vector<casevault::ConsentEvent>& events) {
    json j = json::array();
    for (const auto& e : events) j.push_back(event_json(e));
    return j;
}

json state_json(const casevault::ConsentState& s) {
    json j;
    j["purpose"] = s.purpose;
    j["scope"] = s.scope;
    j["action"] = casevault::consent_action_name(s.action);
    j["policy_version"] = s.policy_version;
    j["at"] = s.at;
    j["expires_at"] = s.expires_at;
    j["reconsent_required"] = s.reconsent_required;
    return j;
}

json erasure_json(const casevault::ErasureRequest& r) {
    json j;
    j["id"] = r.id;
    j["subject"] = r.subject;
    j["reason"] = r.reason;
    j["channel"] = casevault::channel_name(r.channel);
    j["requested_at"] = r.requested_at;
    j["due_at"] = r.due_at;
    j["state"] = r.state;
    return j;
}

json reconsent_json(const casevault::ReconsentRequest& r) {
    json j;
    j["subject"] = r.subject;
    j["policy_version"] = r.policy_version;
    j["purposes"] = strings_json(r.purposes);
    j["requested_at"] = r.requested_at;
    return j;
}

json notification_json(const casevault::Notification& n) {
    json j;
    j["id"] = n.id;
    j["kind"] = n.kind;
    j["subject"] = n.subject;
    j["payload"] = nested(n.payload);
    j["created_at"] = n.created_at;
    j["attempts"] = n.attempts;
    return j;
}

// One ConsentEvent out: into *out (if out is not NULL), wiping the event.
void event_out(char** out, casevault::ConsentEvent& e) {
    WipeGuard<casevault::ConsentEvent> ge(e);
    if (!out) return;
    json j = event_json(e);
    *out = c_json(j);
}

// The shape shared by the per-subject reads (history, state, ...).
template <class Read>
int subject_read(char** out_json, casevault_vault* vault, const char* subject, Read&& read) noexcept {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!subject) return invalid("subject is NULL");
    return guarded([&] { read(std::string(subject)); });
}

}  // namespace

// ---- Policy ------------------------------------------------------------------

extern "C" int casevault_policy_lint(char** out_problems_json, int* out_valid, const char* json_text) {
    if (out_problems_json) *out_problems_json = nullptr;
    if (out_valid) *out_valid = 0;
    if (!out_valid) return invalid("out_valid is NULL");
    if (!json_text) return invalid("json_text is NULL");
    return guarded([&] {
        const std::vector<casevault::PolicyProblem> problems = casevault::lint_policy(json_text);
        char* text = nullptr;
        if (out_problems_json) {
            json j = json::array();
            for (const auto& p : problems) {
                json pj;
                pj["path"] = p.path;
                pj["message"] = p.message;
                j.push_back(std::move(pj));
            }
            text = c_json(j);
        }
        // Nothing below can throw: the out-params are set all together.
        *out_valid = problems.empty() ? 1 : 0;
        if (out_problems_json) *out_problems_json = text;
    });
}

extern "C" int casevault_policy_parse(char** out_json, const char* json_text) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!json_text) return invalid("json_text is NULL");
    return guarded([&] {
        json j = policy_json(casevault::parse_policy(json_text), true);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_policy_publish(char** out_result_json, casevault_vault* vault, const char* json_text,
                                        casevault_progress_fn progress, void* progress_ctx) {
    if (out_result_json) *out_result_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!json_text) return invalid("json_text is NULL");
    return guarded([&] {
        const casevault::PublishResult r =
            vault->vault.policy().publish(json_text, to_progress(progress, progress_ctx));
        if (!out_result_json) return;
        json j;
        j["policy"] = policy_json(r.policy, true);
        j["subjects_reconsent"] = r.subjects_reconsent;
        j["notifications"] = r.notifications;
        *out_result_json = c_json(j);
    });
}

extern "C" int casevault_policy_active(char** out_json, casevault_vault* vault) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::optional<casevault::PolicyVersion> v = vault->vault.policy().active();
        if (!v) return;  // nothing published yet is not an error: *out_json stays NULL
        json j = policy_json(*v, true);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_policy_get(char** out_json, casevault_vault* vault, int64_t version) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const casevault::PolicyVersion v = vault->vault.policy().get(version);
        json j = policy_json(v, true);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_policy_list(char** out_json, casevault_vault* vault) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::PolicyVersion> versions = vault->vault.policy().list();
        json j = json::array();
        for (const auto& v : versions) j.push_back(policy_json(v, false));
        *out_json = c_json(j);
    });
}

extern "C" int casevault_policy_diff(char** out_json, casevault_vault* vault, int64_t from, int64_t to) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const casevault::PolicyDiff d = vault->vault.policy().diff(from, to);
        json j = diff_json(d);
        *out_json = c_json(j);
    });
}

// ---- Consent -----------------------------------------------------------------

extern "C" int casevault_consent_record(char** out_event_json, casevault_vault* vault,
                                        const casevault_consent_request* request) {
    if (out_event_json) *out_event_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!request) return invalid("request is NULL");
    if (const char* problem = request_problem(*request, false)) return invalid(problem);
    return guarded([&] {
        casevault::ConsentRequest r = to_request(*request);
        WipeGuard<casevault::ConsentRequest> gr(r);
        casevault::ConsentEvent e = vault->vault.consents().record(r);
        event_out(out_event_json, e);
    });
}

extern "C" int casevault_consent_record_many(char** out_events_json, casevault_vault* vault,
                                             const casevault_consent_request* requests, size_t count) {
    if (out_events_json) *out_events_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!requests && count != 0) return invalid("requests is NULL");
    for (size_t i = 0; i < count; ++i) {
        if (const char* problem = request_problem(requests[i], true)) return invalid(problem);
    }
    return guarded([&] {
        std::vector<casevault::ConsentRequest> batch;
        WipeGuard<std::vector<casevault::ConsentRequest>> gb(batch);
        batch.reserve(count);
        for (size_t i = 0; i < count; ++i) batch.push_back(to_request(requests[i]));
        std::vector<casevault::ConsentEvent> events;
        WipeGuard<std::vector<casevault::ConsentEvent>> ge(events);
        events = vault->vault.consents().record_many(batch);
        if (!out_events_json) return;
        json j = events_json(events);
        *out_events_json = c_json(j);
    });
}

extern "C" const char* casevault_decision_reason_name(int reason) {
    if (reason == CASEVAULT_REASON_ERROR) return "error";
    const bool known = (reason >= CASEVAULT_REASON_CONSENT && reason <= CASEVAULT_REASON_LEGITIMATE_INTEREST) ||
                       (reason >= CASEVAULT_REASON_NO_POLICY && reason <= CASEVAULT_REASON_OBJECTED);
    if (!known) return "unknown";
    return casevault::decision_reason_name(static_cast<casevault::DecisionReason>(reason));
}

extern "C" int casevault_may_process(casevault_decision* out, casevault_vault* vault, const char* subject,
                                     const char* purpose, const char* scope) {
    if (out) *out = casevault_decision{0, CASEVAULT_REASON_ERROR, 0};
    if (!out) return invalid("out is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!subject) return invalid("subject is NULL");
    if (!purpose) return invalid("purpose is NULL");
    return guarded([&] {
        const casevault::Decision d = vault->vault.may_process(subject, purpose, scope ? scope : "");
        set_decision(out, d);
    });
}

extern "C" int casevault_consent_history(char** out_json, casevault_vault* vault, const char* subject) {
    return subject_read(out_json, vault, subject, [&](const std::string& s) {
        std::vector<casevault::ConsentEvent> events;
        WipeGuard<std::vector<casevault::ConsentEvent>> ge(events);
        events = vault->vault.consents().history(s);
        json j = events_json(events);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_consent_state(char** out_json, casevault_vault* vault, const char* subject) {
    return subject_read(out_json, vault, subject, [&](const std::string& s) {
        const std::vector<casevault::ConsentState> states = vault->vault.consents().state(s);
        json j = json::array();
        for (const auto& st : states) j.push_back(state_json(st));
        *out_json = c_json(j);
    });
}

extern "C" int casevault_consent_receipts(char** out_json, casevault_vault* vault, const char* subject) {
    return subject_read(out_json, vault, subject, [&](const std::string& s) {
        std::string receipts = vault->vault.consents().receipts(s);  // already a JSON array
        WipeGuard<std::string> gr(receipts);
        *out_json = c_copy(receipts);
    });
}

namespace {

int subscription_change(char** out_event_json, casevault_vault* vault, const char* subject,
                        const char* subscription, const char* channel, const char* evidence, bool on) noexcept {
    if (out_event_json) *out_event_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!subject) return invalid("subject is NULL");
    if (!subscription) return invalid("subscription is NULL");
    std::string ev;
    WipeGuard<std::string> gv(ev);
    return guarded([&] {
        const casevault::Channel c = to_channel(channel);
        if (evidence) ev = evidence;
        casevault::ConsentEvent e = on ? vault->vault.consents().subscribe(subject, subscription, c, ev)
                                       : vault->vault.consents().unsubscribe(subject, subscription, c, ev);
        event_out(out_event_json, e);
    });
}

}  // namespace

extern "C" int casevault_subscribe(char** out_event_json, casevault_vault* vault, const char* subject,
                                   const char* subscription, const char* channel, const char* evidence) {
    return subscription_change(out_event_json, vault, subject, subscription, channel, evidence, true);
}

extern "C" int casevault_unsubscribe(char** out_event_json, casevault_vault* vault, const char* subject,
                                     const char* subscription, const char* channel, const char* evidence) {
    return subscription_change(out_event_json, vault, subject, subscription, channel, evidence, false);
}

extern "C" int casevault_subscriptions(char** out_json, casevault_vault* vault, const char* subject) {
    return subject_read(out_json, vault, subject, [&](const std::string& s) {
        const std::vector<std::string> held = vault->vault.consents().subscriptions(s);
        json j = strings_json(held);
        *out_json = c_json(j);
    });
}

extern "C" int casevault_visitor_consent_record(char** out_event_json, casevault_vault* vault,
                                                const char* visitor_id, const char* category, const char* action,
                                                const char* channel) {
    if (out_event_json) *out_event_json = nullptr;
    if (!vault) return invalid("vault is NULL");
    if (!visitor_id) return invalid("visitor_id is NULL");
    if (!category) return invalid("category is NULL");
    if (!action) return invalid("action is NULL");
    std::string visitor;
    WipeGuard<std::string> gv(visitor);
    return guarded([&] {
        const casevault::ConsentAction a = casevault::consent_action_from_name(action);
        const casevault::Channel c = to_channel(channel);
        visitor = visitor_id;
        casevault::ConsentEvent e = vault->vault.consents().record_visitor(visitor, category, a, c);
        event_out(out_event_json, e);
    });
}

extern "C" int casevault_visitor_may(casevault_decision* out, casevault_vault* vault, const char* visitor_id,
                                     const char* category) {
    if (out) *out = casevault_decision{0, CASEVAULT_REASON_ERROR, 0};
    if (!out) return invalid("out is NULL");
    if (!vault) return invalid("vault is NULL");
    if (!visitor_id) return invalid("visitor_id is NULL");
    if (!category) return invalid("category is NULL");
    std::string visitor;
    WipeGuard<std::string> gv(visitor);
    return guarded([&] {
        visitor = visitor_id;
        const casevault::Decision d = vault->vault.consents().visitor_may(visitor, category);
        set_decision(out, d);
    });
}

extern "C" int casevault_reconsent_pending(char** out_json, casevault_vault* vault, size_t limit) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::ReconsentRequest> pending =
            vault->vault.consents().pending_reconsent(limit != 0 ? limit : 1000);  // 0 = the default
        json j = json::array();
        for (const auto& r : pending) j.push_back(reconsent_json(r));
        *out_json = c_json(j);
    });
}

extern "C" int casevault_erasure_requests(char** out_json, casevault_vault* vault, const char* subject) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        const std::vector<casevault::ErasureRequest> requests =
            vault->vault.consents().erasure_requests(subject ? subject : "");  // "" = all
        json j = json::array();
        for (const auto& r : requests) j.push_back(erasure_json(r));
        *out_json = c_json(j);
    });
}

// ---- Outbox ------------------------------------------------------------------

extern "C" int casevault_outbox_poll(char** out_json, casevault_vault* vault, size_t limit, int64_t lease_seconds) {
    if (out_json) *out_json = nullptr;
    if (!out_json) return invalid("out_json is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] {
        // 0 = the defaults (100 notifications, a 300-second lease).
        const std::vector<casevault::Notification> batch =
            vault->vault.outbox().poll(limit != 0 ? limit : 100, lease_seconds != 0 ? lease_seconds : 300);
        json j = json::array();
        for (const auto& n : batch) j.push_back(notification_json(n));
        *out_json = c_json(j);
    });
}

extern "C" int casevault_outbox_ack(int64_t* out_acked, casevault_vault* vault, const int64_t* ids, size_t count) {
    if (out_acked) *out_acked = 0;
    if (!vault) return invalid("vault is NULL");
    if (!ids && count != 0) return invalid("ids is NULL");
    return guarded([&] {
        const std::vector<std::int64_t> v(ids, ids + count);
        const std::int64_t acked = vault->vault.outbox().ack(v);
        if (out_acked) *out_acked = acked;
    });
}

extern "C" int casevault_outbox_pending(int64_t* out_count, casevault_vault* vault) {
    if (out_count) *out_count = 0;
    if (!out_count) return invalid("out_count is NULL");
    if (!vault) return invalid("vault is NULL");
    return guarded([&] { *out_count = vault->vault.outbox().pending(); });
}

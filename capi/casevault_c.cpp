// casevault_c.cpp — the C API (casevault.h) over the C++ API.
//
// This file only translates: C arguments into C++ values, C++ results into
// malloc'd C strings (JSON for records) and exceptions into return codes plus
// a per-thread last error. It holds no domain logic; validation of field
// values, key sizes, status transitions and so on is the core's business.
//
// Rules kept by every exported function:
//   - out-parameters are set to NULL / 0 before anything else;
//   - a NULL argument that is not documented as optional gives
//     CASEVAULT_EINVAL with a message naming it;
//   - no exception leaves this file: casevault::Error becomes its code,
//     std::bad_alloc becomes CASEVAULT_EINTERNAL "out of memory", anything
//     else CASEVAULT_EINTERNAL;
//   - success clears the thread's last error;
//   - temporary copies of secrets and personal data made here are wiped.
//
// House rule: the C adapter does not call libsodium directly, so wiping is a
// volatile-pointer loop.

#include "casevault/casevault.h"

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

#include "casevault/casevault.hpp"

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

// The opaque handle. The core serialises calls on a Vault itself (VaultCore
// runs every call under its own mutex), so the handle needs no lock of its own.
struct casevault_vault {
    explicit casevault_vault(casevault::Vault&& v) : vault(std::move(v)) {}
    casevault::Vault vault;
};

namespace {

using json = nlohmann::ordered_json;  // keeps the documented key order

// ---- per-thread last error ----------------------------------------------

struct LastError {
    int code = CASEVAULT_OK;
    std::string message;
    const char* fallback = nullptr;  // used when message could not be stored
};

thread_local LastError t_last;

void clear_error() noexcept {
    t_last.code = CASEVAULT_OK;
    t_last.message.clear();  // keeps capacity; never throws
    t_last.fallback = nullptr;
}

int set_error(int code, const char* message) noexcept {
    if (code >= 0) code = CASEVAULT_EINTERNAL;  // a failure is never "ok"
    t_last.code = code;
    t_last.fallback = nullptr;
    try {
        t_last.message.assign(message ? message : "");
    } catch (...) {
        t_last.message.clear();
        t_last.fallback = "out of memory (while recording an error)";
    }
    return code;
}

int invalid(const char* message) noexcept { return set_error(CASEVAULT_EINVAL, message); }

// ---- wiping ---------------------------------------------------------------

void wipe_bytes(void* p, std::size_t n) noexcept {
    volatile unsigned char* v = static_cast<volatile unsigned char*>(p);
    while (n--) *v++ = 0;
}

void wipe(std::string& s) noexcept {
    if (!s.empty()) wipe_bytes(&s[0], s.size());
    s.clear();
}

void wipe(std::optional<std::string>& s) noexcept {
    if (s) wipe(*s);
}

void wipe(std::vector<std::uint8_t>& v) noexcept {
    if (!v.empty()) wipe_bytes(v.data(), v.size());
    v.clear();
}

void wipe(casevault::AccountFields& f) noexcept {
    wipe(f.name);
    wipe(f.email);
    wipe(f.phone);
    wipe(f.address);
    wipe(f.company);
}

void wipe(casevault::AccountUpdate& f) noexcept {
    wipe(f.name);
    wipe(f.email);
    wipe(f.phone);
    wipe(f.address);
    wipe(f.company);
}

void wipe(casevault::Account& a) noexcept { wipe(a.fields); }

void wipe(json& j) noexcept {
    if (j.is_string()) {
        wipe(j.get_ref<std::string&>());
    } else if (j.is_structured()) {
        for (auto& child : j) wipe(child);
    }
}

// Wipes its target when the scope ends, also on an exception.
template <class T>
class WipeGuard {
public:
    explicit WipeGuard(T& t) noexcept : t_(t) {}
    ~WipeGuard() { wipe(t_); }
    WipeGuard(const WipeGuard&) = delete;
    WipeGuard& operator=(const WipeGuard&) = delete;

private:
    T& t_;
};

// ---- strings out ------------------------------------------------------------

char* c_copy(const std::string& s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

// Serialises j into a malloc'd string; wipes j and the intermediate text.
char* c_json(json& j) {
    WipeGuard<json> gj(j);
    // Invalid UTF-8 cannot reach the caller as an exception: replace it.
    std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
    WipeGuard<std::string> gt(text);
    return c_copy(text);
}

void c_free_wiped(char* p) noexcept {
    if (!p) return;
    wipe_bytes(p, std::strlen(p));
    std::free(p);
}

// ---- the guard every function runs in ------------------------------------

template <class F>
int guarded(F&& f) noexcept {
    try {
        f();
        clear_error();
        return CASEVAULT_OK;
    } catch (const casevault::Error& e) {
        return set_error(static_cast<int>(e.code()), e.what());
    } catch (const std::bad_alloc&) {
        return set_error(CASEVAULT_EINTERNAL, "out of memory");
    } catch (...) {
        // Other exceptions' messages are not known to be free of personal
        // data, so they are not passed on.
        return set_error(CASEVAULT_EINTERNAL, "internal error: unexpected exception");
    }
}

// ---- C values in ----------------------------------------------------------

std::optional<std::string> opt(const char* s) {
    if (!s) return std::nullopt;
    return std::string(s);
}

// Checks the version field of an options struct.
bool version_ok(unsigned int version, unsigned int expected) noexcept {
    return version != 0 && version == expected;
}

casevault::AccountFields to_fields(const casevault_account_fields& f) {
    casevault::AccountFields out;
    out.name = f.name;  // checked non-NULL by the caller
    out.email = opt(f.email);
    out.phone = opt(f.phone);
    out.address = opt(f.address);
    out.company = opt(f.company);
    return out;
}

casevault::AccountUpdate to_update(const casevault_account_fields& f) {
    casevault::AccountUpdate out;
    out.name = opt(f.name);
    out.email = opt(f.email);
    out.phone = opt(f.phone);
    out.address = opt(f.address);
    out.company = opt(f.company);
    return out;
}

std::optional<casevault::AccountStatus> to_status(const char* s) {
    if (!s) return std::nullopt;
    return casevault::account_status_from_name(s);
}

casevault::ProgressFn to_progress(casevault_progress_fn fn, void* ctx) {
    if (!fn) return {};
    return [fn, ctx](const casevault::Progress& p) -> bool {
        return fn(p.phase.c_str(), p.done, p.total, ctx) != 0;
    };
}

// ---- C++ values out (JSON) --------------------------------------------------

json opt_json(const std::optional<std::string>& s) {
    if (!s || s->empty()) return nullptr;
    return *s;
}

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

extern "C" const char* casevault_error_name(int code) {
    if (code > CASEVAULT_OK || code < CASEVAULT_EUNSUPPORTED) return "unknown";
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
        casevault::AccountFields f = to_fields(*fields);
        WipeGuard<casevault::AccountFields> gf(f);
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
        for (size_t i = 0; i < count; ++i) batch.push_back(to_fields(fields[i]));

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
        f.subject = opt(filter->subject);
        f.actor = opt(filter->actor);
        f.action = opt(filter->action);
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

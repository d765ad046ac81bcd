// capi_internal.hpp — what the files of the C adapter share (casevault_c.cpp,
// casevault_c_records.cpp, casevault_c_retention.cpp,
// casevault_c_accountability.cpp): the per-thread last
// error, wiping, C strings out and the guard every exported function runs
// in. Internal: not installed.
//
// House rule: the C adapter does not call libsodium directly, so wiping is a
// volatile-pointer loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "casevault/casevault.h"
#include "casevault/casevault.hpp"

// The opaque handle. The core serialises calls on a Vault itself (VaultCore
// runs every call under its own mutex), so the handle needs no lock of its own.
struct casevault_vault {
    explicit casevault_vault(casevault::Vault&& v) : vault(std::move(v)) {}
    casevault::Vault vault;
};

namespace capi {

using json = nlohmann::ordered_json;  // keeps the documented key order

// ---- per-thread last error (defined in casevault_c.cpp) ----------------------

void clear_error() noexcept;
// Records a failure and returns its code (never CASEVAULT_OK).
int set_error(int code, const char* message) noexcept;
// Records an access denial: CASEVAULT_EACCESS, its message and its rule.
int set_denied(const char* rule, const char* message) noexcept;
// Records a refused disclosure: CASEVAULT_EDISCLOSURE_REFUSED, its message
// and its reason (read back through casevault_last_error_rule).
int set_refused(const char* reason, const char* message) noexcept;

inline int invalid(const char* message) noexcept { return set_error(CASEVAULT_EINVAL, message); }

// ---- small conversions shared by the adapter files ----------------------------

inline bool in_range(int value, int first, int last) noexcept { return value >= first && value <= last; }

inline casevault::ProgressFn to_progress(casevault_progress_fn fn, void* ctx) {
    if (!fn) return {};
    return [fn, ctx](const casevault::Progress& p) -> bool {
        return fn(p.phase.c_str(), p.done, p.total, ctx) != 0;
    };
}

template <class T, class ToJson>
json array_json(const std::vector<T>& items, ToJson&& to_json) {
    json j = json::array();
    for (const auto& x : items) j.push_back(to_json(x));
    return j;
}

// ---- wiping ------------------------------------------------------------------
//
// Every type that carries personal data has its wipe() here, before the
// templates that call it, so that both files wipe the same fields.

inline void wipe_bytes(void* p, std::size_t n) noexcept {
    volatile unsigned char* v = static_cast<volatile unsigned char*>(p);
    while (n--) *v++ = 0;
}

inline void wipe(std::string& s) noexcept {
    if (!s.empty()) wipe_bytes(&s[0], s.size());
    s.clear();
}

inline void wipe(std::optional<std::string>& s) noexcept {
    if (s) wipe(*s);
}

inline void wipe(std::vector<std::uint8_t>& v) noexcept {
    if (!v.empty()) wipe_bytes(v.data(), v.size());
    v.clear();
}

inline void wipe(json& j) noexcept {
    if (j.is_string()) {
        wipe(j.get_ref<std::string&>());
    } else if (j.is_structured()) {
        for (auto& child : j) wipe(child);
    }
}

inline void wipe(casevault::AccountFields& f) noexcept {
    wipe(f.name);
    wipe(f.email);
    wipe(f.phone);
    wipe(f.address);
    wipe(f.company);
}

inline void wipe(casevault::AccountUpdate& f) noexcept {
    wipe(f.name);
    wipe(f.email);
    wipe(f.phone);
    wipe(f.address);
    wipe(f.company);
}

inline void wipe(casevault::Account& a) noexcept { wipe(a.fields); }

// Consent evidence is personal data.
inline void wipe(casevault::ConsentEvent& e) noexcept { wipe(e.evidence); }
inline void wipe(casevault::ConsentRequest& r) noexcept { wipe(r.evidence); }

// Cases: the receipt number, the questionnaire, status details and document
// names are personal; form types, labels and ids are not.
inline void wipe(casevault::CaseFields& f) noexcept {
    wipe(f.receipt_number);
    wipe(f.questionnaire);
}

inline void wipe(casevault::CaseUpdate& u) noexcept {
    wipe(u.receipt_number);
    wipe(u.questionnaire);
}

inline void wipe(casevault::CaseStatus& s) noexcept { wipe(s.detail); }

inline void wipe(casevault::Case& c) noexcept {
    wipe(c.receipt_number);
    wipe(c.questionnaire);
    if (c.latest_status) wipe(*c.latest_status);
}

inline void wipe(casevault::DocumentFields& d) noexcept {
    wipe(d.name);
    wipe(d.sha256);
}

inline void wipe(casevault::CaseDocument& d) noexcept {
    wipe(d.name);
    wipe(d.sha256);
}

inline void wipe(casevault::MessageFields& f) noexcept {
    wipe(f.subject_line);
    wipe(f.body);
    wipe(f.sender);
}

inline void wipe(casevault::Message& m) noexcept {
    wipe(m.subject_line);
    wipe(m.body);
    wipe(m.sender);
}

inline void wipe(casevault::MessagePage& p) noexcept {
    for (auto& m : p.items) wipe(m);
}

inline void wipe(casevault::PaymentFields& f) noexcept {
    wipe(f.last4);
    wipe(f.billing_address);
    wipe(f.processor_ref);
    wipe(f.tax_exemption);
}

inline void wipe(casevault::Payment& p) noexcept {
    wipe(p.last4);
    wipe(p.billing_address);
    wipe(p.processor_ref);
    wipe(p.tax_exemption);
}

// Posts are public, but they are still what a person wrote.
inline void wipe(casevault::PostFields& f) noexcept {
    wipe(f.title);
    wipe(f.body);
}

inline void wipe(casevault::Post& p) noexcept {
    wipe(p.title);
    wipe(p.body);
}

inline void wipe(casevault::PostPage& p) noexcept {
    for (auto& post : p.items) wipe(post);
}

// Retention: an inbound command's text and sender, and a hold's legal-process
// reference, are personal; ids, kinds, states and times are not.
inline void wipe(casevault::InboundMessage& m) noexcept {
    wipe(m.sender);
    wipe(m.subject_line);
    wipe(m.body);
}

inline void wipe(casevault::HoldRequest& r) noexcept { wipe(r.reference); }
inline void wipe(casevault::Hold& h) noexcept { wipe(h.reference); }

// Accountability: a corrected value, and a disclosure's recipient name,
// references and justification, are personal; ids, rules, categories and
// times are not.
inline void wipe(casevault::Rectification& r) noexcept { wipe(r.value); }

inline void wipe(casevault::LegalProcess& p) noexcept {
    wipe(p.reference);
    wipe(p.justification);
}

inline void wipe(casevault::DisclosureRequest& r) noexcept {
    wipe(r.recipient_name);
    wipe(r.reference);
    if (r.process) wipe(*r.process);
    if (r.nondisclosure) wipe(r.nondisclosure->reference);
}

inline void wipe(casevault::Disclosure& d) noexcept {
    wipe(d.recipient_name);
    wipe(d.reference);
    if (d.process) wipe(*d.process);
}

template <class T>
void wipe(std::vector<T>& v) noexcept {
    for (auto& x : v) wipe(x);
}

template <class T>
void wipe(std::optional<T>& v) noexcept {
    if (v) wipe(*v);
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

// ---- strings out ---------------------------------------------------------------

inline char* c_copy(const std::string& s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

// Serialises j into a malloc'd string; wipes j and the intermediate text.
inline char* c_json(json& j) {
    WipeGuard<json> gj(j);
    // Invalid UTF-8 cannot reach the caller as an exception: replace it.
    std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
    WipeGuard<std::string> gt(text);
    return c_copy(text);
}

inline void c_free_wiped(char* p) noexcept {
    if (!p) return;
    wipe_bytes(p, std::strlen(p));
    std::free(p);
}

// ---- the guard every function runs in ----------------------------------------

template <class F>
int guarded(F&& f) noexcept {
    try {
        f();
        clear_error();
        return CASEVAULT_OK;
    } catch (const casevault::AccessDenied& e) {
        return set_denied(e.rule().c_str(), e.what());
    } catch (const casevault::DisclosureRefused& e) {
        return set_refused(e.reason().c_str(), e.what());
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

// ---- C values in ---------------------------------------------------------------

inline std::optional<std::string> opt(const char* s) {
    if (!s) return std::nullopt;
    return std::string(s);
}

// Sets dst from a C string, built in place: moving from a temporary would
// leave a short string's bytes (kept inside the temporary) unwiped.
inline void set_opt(std::optional<std::string>& dst, const char* s) {
    if (s) dst.emplace(s);
}

// Checks the version field of an options struct.
inline bool version_ok(unsigned int version, unsigned int expected) noexcept {
    return version != 0 && version == expected;
}

// A struct that grew: every layout from `oldest` to the current one is
// accepted (fields added at the end are read only from callers that have them).
inline bool version_in(unsigned int version, unsigned int oldest, unsigned int current) noexcept {
    return version >= oldest && version <= current && version != 0;
}

// ---- C++ values out (JSON) -----------------------------------------------------

// An absent or empty optional string is null.
inline json opt_json(const std::optional<std::string>& s) {
    if (!s || s->empty()) return nullptr;
    return *s;
}

inline json strings_json(const std::vector<std::string>& v) {
    json j = json::array();
    for (const auto& s : v) j.push_back(s);
    return j;
}

// A retention Request (defined in casevault_c_retention.cpp).
json request_json(const casevault::RetentionRequest& r);

}  // namespace capi

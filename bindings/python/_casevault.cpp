// _casevault: the native half of the casevault Python package.
//
// Translation only: every function here converts Python arguments to the C++
// API's types, calls the engine with the GIL released, and converts the
// result back (records as plain tuples/dicts; the pure-Python package wraps
// them in frozen dataclasses). No policy or validation lives here.
//
// Errors. casevault::Error is raised as the Python class that
// casevault._errors maps its code to (the map is read once, at import);
// casevault::PolicyInvalid as casevault._errors.PolicyInvalidError, with its
// problems as (path, message) tuples; casevault::AccessDenied as
// AccessDeniedError with its rule.
//
// The records of issue 4 (principals, cases, correspondence, billing, posts,
// can()) are bound in _records.cpp; the helpers both files share are in
// _binding.hpp.
//
// Callbacks. A Python clock or progress callable is called from inside the
// engine: the wrapper re-acquires the GIL for the call. If it raises, the
// Python exception is kept aside and the engine is stopped:
//   - progress: the wrapper returns false (cancel), so the engine fails with
//     Errc::cancelled and leaves the store as it was; the *original* Python
//     exception is then re-raised to the caller instead of CancelledError.
//   - clock: the wrapper throws casevault::Error(internal); the engine rolls
//     the operation back and the original Python exception is re-raised.
// If the engine nevertheless succeeds, the kept exception is reported
// through sys.unraisablehook (it cannot be raised: the work was committed).
//
// Secrets. Passphrases and keys are copied from the Python object straight
// into the buffers handed to the engine, and those buffers are wiped before
// they are freed. (The Python str/bytes objects themselves are immutable and
// owned by the caller.)

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Python.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "_binding.hpp"
#include "casevault/casevault.hpp"

// py and cv (pybind11 and casevault) come with it.
using namespace casevault_py;

namespace {

// ---- secrets ----------------------------------------------------------------

// wipe() and Wiped: _binding.hpp.

// Wipes the secrets of an OpenOptions when it leaves scope.
struct OptionsWiper {
    cv::OpenOptions& o;
    ~OptionsWiper() {
        if (o.passphrase) wipe(*o.passphrase);
        if (o.key) wipe(*o.key);
    }
};

struct StringWiper {
    std::string& s;
    ~StringWiper() { wipe(s); }
};

struct BytesWiper {
    std::vector<std::uint8_t>& v;
    ~BytesWiper() { wipe(v); }
};

// A contiguous byte view of a bytes-like object (bytes, bytearray,
// memoryview, ...), released when it leaves scope. GIL held.
struct Buffer {
    Py_buffer view{};
    explicit Buffer(py::handle obj) {
        if (PyObject_GetBuffer(obj.ptr(), &view, PyBUF_SIMPLE) != 0) throw py::error_already_set();
    }
    ~Buffer() { PyBuffer_Release(&view); }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
};

// A passphrase: str (taken as UTF-8) or a bytes-like object. Copied in one
// allocation into `out`, which the caller wipes.
void copy_passphrase(py::handle obj, std::string& out) {
    if (PyUnicode_Check(obj.ptr())) {
        Py_ssize_t n = 0;
        const char* s = PyUnicode_AsUTF8AndSize(obj.ptr(), &n);
        if (!s) throw py::error_already_set();
        out.assign(s, static_cast<std::size_t>(n));
        return;
    }
    if (PyObject_CheckBuffer(obj.ptr())) {
        Buffer b(obj);
        out.assign(static_cast<const char*>(b.view.buf), static_cast<std::size_t>(b.view.len));
        return;
    }
    throw py::type_error("a passphrase must be str or bytes");
}

// A raw key: any bytes-like object. Copied in one allocation into `out`,
// which the caller wipes.
void copy_key(py::handle obj, std::vector<std::uint8_t>& out) {
    if (!PyObject_CheckBuffer(obj.ptr()) || PyUnicode_Check(obj.ptr()))
        throw py::type_error("a key must be bytes (32 raw bytes)");
    Buffer b(obj);
    const auto n = static_cast<std::size_t>(b.view.len);
    out.resize(n);
    if (n) std::memcpy(out.data(), b.view.buf, n);
}

// ---- exceptions ---------------------------------------------------------------

// Python classes by engine code, and the base class. Strong references that
// are deliberately never released: they live as long as the interpreter.
std::map<int, PyObject*>* g_error_classes = nullptr;
PyObject* g_error_base = nullptr;
PyObject* g_policy_invalid_class = nullptr;

// [(path, message), ...]
py::list problem_rows(const std::vector<cv::PolicyProblem>& problems) {
    py::list out;
    for (const auto& p : problems) out.append(py::make_tuple(decoded(p.path), decoded(p.message)));
    return out;
}

// Sets the Python error for an engine error. GIL held. `problems` is given
// for a PolicyInvalid, which is raised as PolicyInvalidError; `rule` for an
// AccessDenied, passed to AccessDeniedError as rule=.
void set_python_error(const cv::Error& e, const std::vector<cv::PolicyProblem>* problems = nullptr,
                      const std::string* rule = nullptr) {
    const int code = static_cast<int>(e.code());
    PyObject* cls = g_error_base;
    if (problems && g_policy_invalid_class) {
        cls = g_policy_invalid_class;
    } else if (g_error_classes) {
        auto it = g_error_classes->find(code);
        if (it != g_error_classes->end()) cls = it->second;
    }
    if (!cls) {  // the module was not initialised: should not happen
        PyErr_SetString(PyExc_RuntimeError, e.what());
        return;
    }
    try {
        py::str message = decoded(e.what());
        const char* name = cv::errc_name(e.code());
        py::object c = py::reinterpret_borrow<py::object>(cls);
        const char* n = name ? name : "unknown";
        py::object inst =
            problems ? c(message, py::arg("code") = code, py::arg("name") = n,
                         py::arg("problems") = problem_rows(*problems))
            : rule   ? c(message, py::arg("code") = code, py::arg("name") = n, py::arg("rule") = decoded(*rule))
                     : c(message, py::arg("code") = code, py::arg("name") = n);
        PyErr_SetObject(cls, inst.ptr());
    } catch (py::error_already_set& err) {
        err.restore();  // raising the class failed: raise that failure
    }
}


// ---- callbacks ----------------------------------------------------------------

// The clock outlives the call that installs it (the vault keeps it), and the
// engine may copy or destroy it without the GIL: the Python callable is held
// through a shared_ptr whose deleter takes the GIL.
cv::Clock make_clock(py::object fn) {
    if (fn.is_none()) return {};
    std::shared_ptr<py::object> holder(new py::object(std::move(fn)), [](py::object* p) {
        if (Py_IsInitialized()) {
            py::gil_scoped_acquire gil;
            delete p;
        } else {
            p->release();  // the interpreter is gone: leak rather than crash
            delete p;
        }
    });
    return [holder]() -> std::int64_t {
        py::gil_scoped_acquire gil;
        PyObject* r = PyObject_CallObject(holder->ptr(), nullptr);
        if (r) {
            // An int, or anything int() accepts without parsing text
            // (so time.time works too).
            PyObject* n = PyFloat_Check(r) ? PyNumber_Long(r) : PyNumber_Index(r);
            Py_DECREF(r);
            if (n) {
                int overflow = 0;
                const long long v = PyLong_AsLongLongAndOverflow(n, &overflow);
                Py_DECREF(n);
                if (!overflow && !(v == -1 && PyErr_Occurred())) return static_cast<std::int64_t>(v);
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_OverflowError, "casevault: the clock returned a value out of range");
            }
        }
        keep_python_error(tl_pending, holder->ptr());
        throw cv::Error(cv::Errc::internal, "the clock callback failed");
    };
}


// ---- records ------------------------------------------------------------------


// (id, status, created_at, updated_at, name, email, phone, address, company)
py::tuple account_row(const cv::Account& a) {
    const char* status = cv::account_status_name(a.status);
    return py::make_tuple(a.id, status ? status : "", a.created_at, a.updated_at, a.fields.name,
                          opt(a.fields.email), opt(a.fields.phone), opt(a.fields.address),
                          opt(a.fields.company));
}

py::list account_rows(const std::vector<cv::Account>& v) {
    py::list out;
    for (const auto& a : v) out.append(account_row(a));
    return out;
}

// (seq, at, actor, action, subject, target, outcome, reason)
py::tuple audit_row(const cv::AuditEntry& e) {
    return py::make_tuple(e.seq, e.at, e.actor, e.action, e.subject, e.target, e.outcome,
                          e.reason);
}

py::tuple kdf_tuple(const cv::KdfParams& k) { return py::make_tuple(k.opslimit, k.memlimit_log2); }

std::optional<cv::KdfParams> kdf_from(const std::optional<std::pair<std::uint32_t, std::uint32_t>>& t) {
    if (!t) return std::nullopt;
    cv::KdfParams k;
    k.opslimit = t->first;
    k.memlimit_log2 = t->second;
    return k;
}

using OptStr = std::optional<std::string>;
using FieldsRow = std::tuple<std::string, OptStr, OptStr, OptStr, OptStr>;

cv::AccountFields fields_from(FieldsRow row) {
    cv::AccountFields f;
    f.name = std::move(std::get<0>(row));
    f.email = std::move(std::get<1>(row));
    f.phone = std::move(std::get<2>(row));
    f.address = std::move(std::get<3>(row));
    f.company = std::move(std::get<4>(row));
    return f;
}

std::optional<cv::AccountStatus> status_from(const OptStr& name) {
    if (!name) return std::nullopt;
    return cv::account_status_from_name(*name);
}

// ---- policy, consent and outbox records ---------------------------------------




// A PolicyVersion as a dict; categories and purposes as lists of dicts.
py::dict policy_dict(const cv::PolicyVersion& p) {
    py::dict d;
    d["version"] = p.version;
    d["name"] = decoded(p.name);
    d["effective_date"] = decoded(p.effective_date);
    d["text_url"] = decoded(p.text_url);
    d["text_sha256"] = decoded(p.text_sha256);
    d["jurisdiction"] = decoded(p.jurisdiction);
    d["hash"] = p.hash;
    d["published_at"] = p.published_at;
    d["active"] = p.active;
    py::list categories;
    for (const auto& c : p.categories) {
        py::dict cd;
        cd["id"] = decoded(c.id);
        cd["description"] = decoded(c.description);
        cd["kind"] = decoded(c.kind);
        py::list records;
        for (const auto& r : c.records) records.append(decoded(r));
        cd["records"] = py::tuple(records);
        categories.append(cd);
    }
    d["categories"] = categories;
    py::list purposes;
    for (const auto& pp : p.purposes) {
        py::dict pd;
        pd["id"] = decoded(pp.id);
        pd["description"] = decoded(pp.description);
        pd["legal_basis"] = name_or_empty(cv::legal_basis_name(pp.legal_basis));
        pd["categories"] = str_list(pp.categories);
        pd["requires_fresh_consent"] = pp.requires_fresh_consent;
        py::list statuses;
        for (auto st : pp.account_statuses) statuses.append(name_or_empty(cv::account_status_name(st)));
        pd["account_statuses"] = statuses;
        pd["close_on_decline"] = pp.close_on_decline;
        pd["consent_max_days"] = opt_int(pp.consent_max_days);
        pd["third_party_disclosure"] = pp.third_party_disclosure;
        pd["depends_on"] = str_list(pp.depends_on);
        pd["data_form"] = decoded(pp.data_form);
        purposes.append(pd);
    }
    d["purposes"] = purposes;
    d["document"] = decoded(p.document);
    return d;
}

py::dict diff_dict(const cv::PolicyDiff& f) {
    py::dict d;
    d["from_"] = f.from;
    d["to"] = f.to;
    d["purposes_added"] = str_list(f.purposes_added);
    d["purposes_removed"] = str_list(f.purposes_removed);
    d["purposes_changed"] = str_list(f.purposes_changed);
    d["categories_added"] = str_list(f.categories_added);
    d["categories_removed"] = str_list(f.categories_removed);
    d["roles_changed"] = str_list(f.roles_changed);
    d["retention_changed"] = f.retention_changed;
    d["disclosures_changed"] = f.disclosures_changed;
    d["notifications_changed"] = f.notifications_changed;
    d["reconsent_purposes"] = str_list(f.reconsent_purposes);
    return d;
}

// (id, subject, purpose, scope, action, channel, policy_version, evidence, at, expires_at)
py::tuple event_row(const cv::ConsentEvent& e) {
    return py::make_tuple(e.id, e.subject, e.purpose, e.scope, name_or_empty(cv::consent_action_name(e.action)),
                          name_or_empty(cv::channel_name(e.channel)), e.policy_version, e.evidence, e.at,
                          e.expires_at);
}

py::list event_rows(const std::vector<cv::ConsentEvent>& v) {
    py::list out;
    for (const auto& e : v) out.append(event_row(e));
    return out;
}

// (purpose, scope, action, policy_version, at, expires_at, reconsent_required)
py::tuple state_row(const cv::ConsentState& s) {
    return py::make_tuple(s.purpose, s.scope, name_or_empty(cv::consent_action_name(s.action)), s.policy_version,
                          s.at, s.expires_at, s.reconsent_required);
}

// (allowed, reason, policy_version)
py::tuple decision_row(const cv::Decision& d) {
    return py::make_tuple(d.allowed, name_or_empty(cv::decision_reason_name(d.reason)), d.policy_version);
}

// (id, subject, reason, channel, requested_at, due_at, state)
py::tuple erasure_row(const cv::ErasureRequest& r) {
    return py::make_tuple(r.id, r.subject, r.reason, name_or_empty(cv::channel_name(r.channel)), r.requested_at,
                          r.due_at, r.state);
}

// (subject, policy_version, purposes, requested_at)
py::tuple reconsent_row(const cv::ReconsentRequest& r) {
    return py::make_tuple(r.subject, r.policy_version, str_list(r.purposes), r.requested_at);
}

// (id, kind, subject, payload, created_at, attempts); payload is JSON text
py::tuple notification_row(const cv::Notification& n) {
    return py::make_tuple(n.id, n.kind, n.subject, decoded(n.payload), n.created_at, n.attempts);
}

// (subject, purpose, action, channel, scope, evidence, expires_at)
using RequestRow = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string,
                              std::optional<std::int64_t>>;

// Names are resolved here, inside the engine call: an unknown one is the
// engine's invalid_argument.
cv::ConsentRequest request_from(RequestRow row) {
    cv::ConsentRequest r;
    r.subject = std::move(std::get<0>(row));
    r.purpose = std::move(std::get<1>(row));
    r.action = cv::consent_action_from_name(std::get<2>(row));
    r.channel = cv::channel_from_name(std::get<3>(row));
    r.scope = std::move(std::get<4>(row));
    r.evidence = std::move(std::get<5>(row));
    r.expires_at = std::get<6>(row);
    return r;
}


}  // namespace

PYBIND11_MODULE(_casevault, m) {
    m.doc() = "Native core of the casevault package (internal: use the casevault package).";

    // ---- exception classes, from casevault._errors --------------------------
    {
        py::module_ errors = py::module_::import("casevault._errors");
        py::dict by_code = errors.attr("_CLASS_BY_CODE");
        auto* classes = new std::map<int, PyObject*>();
        for (auto item : by_code) {
            PyObject* cls = item.second.ptr();
            Py_INCREF(cls);
            (*classes)[item.first.cast<int>()] = cls;
        }
        g_error_classes = classes;
        g_error_base = py::object(errors.attr("Error")).release().ptr();
        g_policy_invalid_class = py::object(errors.attr("PolicyInvalidError")).release().ptr();
    }
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const cv::PolicyInvalid& e) {
            set_python_error(e, &e.problems());
        } catch (const cv::AccessDenied& e) {
            set_python_error(e, nullptr, &e.rule());
        } catch (const cv::Error& e) {
            set_python_error(e);
        }
    });

    // ---- library ---------------------------------------------------------------
    m.def("version", []() { return std::string(cv::version()); },
          "The casevault library's version, e.g. '0.1.0'.");
    m.def(
        "engine_versions",
        []() {
            cv::EngineVersions v = run([] { return cv::engine_versions(); });
            py::dict d;
            d["casevault"] = v.casevault;
            d["sqlcipher"] = v.sqlcipher;
            d["sqlite"] = v.sqlite;
            d["sodium"] = v.sodium;
            return d;
        },
        "The versions of the engines in use, as a dict.");
    m.def(
        "kdf_preset",
        [](const std::string& name) -> py::object {
            if (name == "interactive") return kdf_tuple(cv::KdfParams::interactive());
            if (name == "moderate") return kdf_tuple(cv::KdfParams::moderate());
            if (name == "testing") return kdf_tuple(cv::KdfParams::testing());
            return py::none();
        },
        py::arg("name"), "(opslimit, memlimit_log2) of a named KdfParams preset, or None.");
    m.def(
        "kdf_default", []() { return kdf_tuple(cv::KdfParams{}); },
        "(opslimit, memlimit_log2) used when no kdf is given.");
    m.def(
        "lint_policy",
        [](const std::string& text) {
            return problem_rows(run([&] { return cv::lint_policy(text); }));
        },
        py::arg("text"), "Every problem of a policy document, as [(path, message)]; [] when valid.");
    m.def(
        "parse_policy",
        [](const std::string& text) { return policy_dict(run([&] { return cv::parse_policy(text); })); },
        py::arg("text"), "A validated policy document as a PolicyVersion dict; raises PolicyInvalidError.");
    m.def(
        "errc_name",
        [](int code) {
            const char* n = cv::errc_name(static_cast<cv::Errc>(code));
            return std::string(n ? n : "");
        },
        py::arg("code"), "The short stable name of an error code.");

    // ---- the vault ---------------------------------------------------------------
    Handle handle(m, "Handle", "An open casevault store (internal: use casevault.open).");
    handle
        .def_static(
            "open",
            [](const std::string& path, py::object passphrase, py::object key, bool create,
               std::optional<std::pair<std::uint32_t, std::uint32_t>> kdf, std::string actor,
               py::object clock, int busy_timeout_ms, bool batch_read_audit, bool durable,
               py::object progress) {
                cv::OpenOptions o;
                OptionsWiper wiper{o};
                if (!passphrase.is_none()) {
                    o.passphrase.emplace();
                    copy_passphrase(passphrase, *o.passphrase);
                }
                if (!key.is_none()) {
                    o.key.emplace();
                    copy_key(key, *o.key);
                }
                if (auto k = kdf_from(kdf)) o.kdf = *k;
                o.create_if_missing = create;
                o.busy_timeout_ms = busy_timeout_ms;
                o.batch_read_audit = batch_read_audit;
                o.durable = durable;
                o.actor = std::move(actor);
                o.clock = make_clock(std::move(clock));
                PendingError pending;
                o.progress = make_progress(progress, pending);
                return VaultPtr(new cv::Vault(run(pending, [&] { return cv::Vault::open(path, o); })));
            },
            py::arg("path"), py::arg("passphrase"), py::arg("key"), py::arg("create"),
            py::arg("kdf"), py::arg("actor"), py::arg("clock"), py::arg("busy_timeout_ms"),
            py::arg("batch_read_audit"), py::arg("durable"), py::arg("progress"))
        .def("close", [](cv::Vault& v) { run([&] { v.close(); }); })
        .def("is_open", [](cv::Vault& v) { return run([&] { return v.is_open(); }); })
        .def("check_integrity", [](cv::Vault& v) { return run([&] { return v.check_integrity(); }); })
        .def("info",
             [](cv::Vault& v) {
                 cv::VaultInfo i = run([&] { return v.info(); });
                 py::dict d;
                 d["path"] = i.path;
                 d["library_version"] = i.library_version;
                 d["sqlcipher_version"] = i.sqlcipher_version;
                 d["sqlite_version"] = i.sqlite_version;
                 d["sodium_version"] = i.sodium_version;
                 d["schema_version"] = i.schema_version;
                 d["key_mode"] = i.key_mode;
                 d["kdf"] = kdf_tuple(i.kdf);
                 d["accounts"] = i.accounts;
                 d["accounts_active"] = i.accounts_active;
                 d["accounts_erased"] = i.accounts_erased;
                 d["audit_entries"] = i.audit_entries;
                 d["principals"] = i.principals;
                 d["cases"] = i.cases;
                 d["messages"] = i.messages;
                 d["payments"] = i.payments;
                 d["posts"] = i.posts;
                 return d;
             })
        .def(
            "change_passphrase",
            [](cv::Vault& v, py::object new_passphrase,
               std::optional<std::pair<std::uint32_t, std::uint32_t>> kdf, py::object progress) {
                std::string secret;
                StringWiper wiper{secret};
                copy_passphrase(new_passphrase, secret);
                PendingError pending;
                cv::ProgressFn fn = make_progress(progress, pending);
                run(pending, [&] { v.change_passphrase(secret, kdf_from(kdf), fn); });
            },
            py::arg("new_passphrase"), py::arg("kdf"), py::arg("progress"))
        .def(
            "change_key",
            [](cv::Vault& v, py::object new_key, py::object progress) {
                std::vector<std::uint8_t> secret;
                BytesWiper wiper{secret};
                copy_key(new_key, secret);
                PendingError pending;
                cv::ProgressFn fn = make_progress(progress, pending);
                run(pending, [&] { v.change_key(secret, fn); });
            },
            py::arg("new_key"), py::arg("progress"))

        // ---- accounts ---------------------------------------------------------
        // A fresh Accounts view per call: a view never outlives the call, so
        // it cannot dangle after close().
        .def(
            "accounts_create",
            [](cv::Vault& v, FieldsRow row) {
                cv::AccountFields f = fields_from(std::move(row));
                return account_row(run([&] { return v.accounts().create(f); }));
            },
            py::arg("fields"))
        .def(
            "accounts_create_many",
            [](cv::Vault& v, std::vector<FieldsRow> rows) {
                std::vector<cv::AccountFields> batch;
                batch.reserve(rows.size());
                for (auto& r : rows) batch.push_back(fields_from(std::move(r)));
                rows.clear();
                return account_rows(run([&] { return v.accounts().create_many(batch); }));
            },
            py::arg("batch"))
        .def(
            "accounts_get",
            [](cv::Vault& v, const std::string& id) {
                return account_row(run([&] { return v.accounts().get(id); }));
            },
            py::arg("id"))
        .def(
            "accounts_find_by_email",
            [](cv::Vault& v, const std::string& email) -> py::object {
                auto a = run([&] { return v.accounts().find_by_email(email); });
                if (!a) return py::none();
                return account_row(*a);
            },
            py::arg("email"))
        .def(
            "accounts_find_by_phone",
            [](cv::Vault& v, const std::string& phone) -> py::object {
                auto a = run([&] { return v.accounts().find_by_phone(phone); });
                if (!a) return py::none();
                return account_row(*a);
            },
            py::arg("phone"))
        .def(
            "accounts_update",
            [](cv::Vault& v, const std::string& id, OptStr name, OptStr email, OptStr phone,
               OptStr address, OptStr company) {
                cv::AccountUpdate u;
                u.name = std::move(name);
                u.email = std::move(email);
                u.phone = std::move(phone);
                u.address = std::move(address);
                u.company = std::move(company);
                return account_row(run([&] { return v.accounts().update(id, u); }));
            },
            py::arg("id"), py::arg("name"), py::arg("email"), py::arg("phone"),
            py::arg("address"), py::arg("company"))
        .def(
            "accounts_set_status",
            [](cv::Vault& v, const std::string& id, const std::string& status) {
                return account_row(run([&] {
                    return v.accounts().set_status(id, cv::account_status_from_name(status));
                }));
            },
            py::arg("id"), py::arg("status"))
        .def(
            "accounts_list",
            [](cv::Vault& v, std::string after, std::size_t limit, OptStr status) {
                cv::AccountListOptions o;
                o.after_id = std::move(after);
                o.limit = limit;
                cv::AccountPage page = run([&] {
                    o.status = status_from(status);
                    return v.accounts().list(o);
                });
                return py::make_tuple(account_rows(page.items), page.next_cursor);
            },
            py::arg("after"), py::arg("limit"), py::arg("status"))
        .def(
            "accounts_count",
            [](cv::Vault& v, OptStr status) {
                return run([&] { return v.accounts().count(status_from(status)); });
            },
            py::arg("status"))
        .def(
            "accounts_erase",
            [](cv::Vault& v, const std::string& id) { run([&] { v.accounts().erase(id); }); },
            py::arg("id"))

        // ---- audit ------------------------------------------------------------
        .def(
            "audit_read",
            [](cv::Vault& v, OptStr subject, OptStr actor, OptStr action,
               std::optional<std::int64_t> since, std::optional<std::int64_t> until,
               std::int64_t after_seq, std::size_t limit) {
                cv::AuditFilter f;
                f.subject = std::move(subject);
                f.actor = std::move(actor);
                f.action = std::move(action);
                f.since = since;
                f.until = until;
                f.after_seq = after_seq;
                f.limit = limit;
                std::vector<cv::AuditEntry> entries = run([&] { return v.audit().read(f); });
                py::list out;
                for (const auto& e : entries) out.append(audit_row(e));
                return out;
            },
            py::arg("subject"), py::arg("actor"), py::arg("action"), py::arg("since"),
            py::arg("until"), py::arg("after_seq"), py::arg("limit"))
        // ---- policy -----------------------------------------------------------
        .def(
            "policy_publish",
            [](cv::Vault& v, const std::string& text, py::object progress) {
                PendingError pending;
                cv::ProgressFn fn = make_progress(progress, pending);
                cv::PublishResult r = run(pending, [&] { return v.policy().publish(text, fn); });
                py::dict d;
                d["policy"] = policy_dict(r.policy);
                d["subjects_reconsent"] = r.subjects_reconsent;
                d["notifications"] = r.notifications;
                return d;
            },
            py::arg("text"), py::arg("progress"))
        .def("policy_active",
             [](cv::Vault& v) -> py::object {
                 auto p = run([&] { return v.policy().active(); });
                 if (!p) return py::none();
                 return policy_dict(*p);
             })
        .def(
            "policy_get",
            [](cv::Vault& v, std::int64_t version) {
                return policy_dict(run([&] { return v.policy().get(version); }));
            },
            py::arg("version"))
        .def("policy_list",
             [](cv::Vault& v) {
                 std::vector<cv::PolicyVersion> all = run([&] { return v.policy().list(); });
                 py::list out;
                 for (const auto& p : all) out.append(policy_dict(p));
                 return out;
             })
        .def(
            "policy_diff",
            [](cv::Vault& v, std::int64_t from, std::int64_t to) {
                return diff_dict(run([&] { return v.policy().diff(from, to); }));
            },
            py::arg("from_"), py::arg("to"))

        // ---- consent ----------------------------------------------------------
        .def(
            "consent_record",
            [](cv::Vault& v, RequestRow row) {
                return event_row(run([&] { return v.consents().record(request_from(std::move(row))); }));
            },
            py::arg("request"))
        .def(
            "consent_record_many",
            [](cv::Vault& v, std::vector<RequestRow> rows) {
                return event_rows(run([&] {
                    std::vector<cv::ConsentRequest> batch;
                    batch.reserve(rows.size());
                    for (auto& r : rows) batch.push_back(request_from(std::move(r)));
                    rows.clear();
                    return v.consents().record_many(batch);
                }));
            },
            py::arg("batch"))
        .def(
            "may_process",
            [](cv::Vault& v, const std::string& subject, const std::string& purpose, const std::string& scope) {
                return decision_row(run([&] { return v.may_process(subject, purpose, scope); }));
            },
            py::arg("subject"), py::arg("purpose"), py::arg("scope"))
        .def(
            "consent_history",
            [](cv::Vault& v, const std::string& subject) {
                return event_rows(run([&] { return v.consents().history(subject); }));
            },
            py::arg("subject"))
        .def(
            "consent_state",
            [](cv::Vault& v, const std::string& subject) {
                std::vector<cv::ConsentState> states = run([&] { return v.consents().state(subject); });
                py::list out;
                for (const auto& st : states) out.append(state_row(st));
                return out;
            },
            py::arg("subject"))
        .def(
            "consent_receipts",
            [](cv::Vault& v, const std::string& subject) {
                return decoded(run([&] { return v.consents().receipts(subject); }));
            },
            py::arg("subject"))
        .def(
            "consent_subscribe",
            [](cv::Vault& v, const std::string& subject, const std::string& subscription, bool on,
               const std::string& channel, const std::string& evidence) {
                return event_row(run([&] {
                    const cv::Channel c = cv::channel_from_name(channel);
                    return on ? v.consents().subscribe(subject, subscription, c, evidence)
                              : v.consents().unsubscribe(subject, subscription, c, evidence);
                }));
            },
            py::arg("subject"), py::arg("subscription"), py::arg("on"), py::arg("channel"),
            py::arg("evidence"))
        .def(
            "consent_subscriptions",
            [](cv::Vault& v, const std::string& subject) {
                return str_list(run([&] { return v.consents().subscriptions(subject); }));
            },
            py::arg("subject"))
        .def(
            "consent_record_visitor",
            [](cv::Vault& v, const std::string& visitor_id, const std::string& category,
               const std::string& action, const std::string& channel) {
                return event_row(run([&] {
                    return v.consents().record_visitor(visitor_id, category, cv::consent_action_from_name(action),
                                                       cv::channel_from_name(channel));
                }));
            },
            py::arg("visitor_id"), py::arg("category"), py::arg("action"), py::arg("channel"))
        .def(
            "consent_visitor_may",
            [](cv::Vault& v, const std::string& visitor_id, const std::string& category) {
                return decision_row(run([&] { return v.consents().visitor_may(visitor_id, category); }));
            },
            py::arg("visitor_id"), py::arg("category"))
        .def(
            "consent_pending_reconsent",
            [](cv::Vault& v, std::size_t limit) {
                std::vector<cv::ReconsentRequest> all = run([&] { return v.consents().pending_reconsent(limit); });
                py::list out;
                for (const auto& r : all) out.append(reconsent_row(r));
                return out;
            },
            py::arg("limit"))
        .def(
            "consent_erasure_requests",
            [](cv::Vault& v, const std::string& subject) {
                std::vector<cv::ErasureRequest> all = run([&] { return v.consents().erasure_requests(subject); });
                py::list out;
                for (const auto& r : all) out.append(erasure_row(r));
                return out;
            },
            py::arg("subject"))

        // ---- outbox -----------------------------------------------------------
        .def(
            "outbox_poll",
            [](cv::Vault& v, std::size_t limit, std::int64_t lease_seconds) {
                std::vector<cv::Notification> all = run([&] { return v.outbox().poll(limit, lease_seconds); });
                py::list out;
                for (const auto& n : all) out.append(notification_row(n));
                return out;
            },
            py::arg("limit"), py::arg("lease_seconds"))
        .def(
            "outbox_ack",
            [](cv::Vault& v, std::vector<std::int64_t> ids) { return run([&] { return v.outbox().ack(ids); }); },
            py::arg("ids"))
        .def("outbox_pending", [](cv::Vault& v) { return run([&] { return v.outbox().pending(); }); })

        .def(
            "audit_verify",
            [](cv::Vault& v, OptStr expected_head) {
                cv::AuditVerifyResult r = run([&] { return v.audit().verify(expected_head); });
                return py::make_tuple(r.ok, r.entries, r.first_bad_seq, r.problem, r.head);
            },
            py::arg("expected_head"));

    bind_records(handle);
    bind_retention(handle);
    bind_accountability(handle);
}

// Shared by the translation units of the _casevault module (_casevault.cpp,
// _records.cpp, _retention.cpp, _accountability.cpp): running engine calls with the GIL released,
// keeping the exceptions of Python callbacks, wiping copies of secrets and
// personal text, and turning engine text (and rows both parts return) into
// Python objects.
//
// Everything here is in a named namespace and inline, so that the module's
// translation units share one tl_pending (the clock installed at open, in
// _casevault.cpp, reports its exception to the run() of whichever call is
// running, wherever that call is bound).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Python.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "casevault/casevault.hpp"

namespace casevault_py {

namespace py = pybind11;
namespace cv = casevault;

// Engine text (messages, policy problems) as str; invalid UTF-8 replaced.
inline py::str decoded(const std::string& s) {
    py::str out = py::reinterpret_steal<py::str>(
        PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace"));
    if (!out) throw py::error_already_set();
    return out;
}

// ---- wiping ----------------------------------------------------------------------

// The engine-side copies of secrets (passphrases, keys, one-time codes) and
// of personal text given to the engine are wiped before they are freed, as
// the C adapter does (the Python objects themselves are the caller's).
inline void wipe(void* p, std::size_t n) noexcept {
    volatile unsigned char* v = static_cast<volatile unsigned char*>(p);
    while (n--) *v++ = 0;
}

inline void wipe(std::string& s) noexcept {
    // The whole buffer, not only size(): also the small-string area.
    wipe(&s[0], s.capacity());
    s.clear();
}

inline void wipe(std::vector<std::uint8_t>& v) noexcept {
    wipe(v.data(), v.capacity());
    v.clear();
}

// Wipes the strings it points to when it leaves scope.
struct Wiped {
    std::vector<std::string*> strings;
    ~Wiped() {
        for (std::string* s : strings) wipe(*s);
    }
};

// ---- errors raised inside Python callbacks ------------------------------------

// A Python exception raised by a callback, kept until the engine returns.
// Created, used and destroyed with the GIL held.
class PendingError {
public:
    PendingError() = default;
    PendingError(const PendingError&) = delete;
    PendingError& operator=(const PendingError&) = delete;
    ~PendingError() {
        Py_XDECREF(type_);
        Py_XDECREF(value_);
        Py_XDECREF(tb_);
    }
    bool set() const noexcept { return type_ != nullptr; }
    // Takes the current Python error (PyErr_Occurred()). Keeps the first one.
    void fetch() noexcept {
        if (set()) {
            PyErr_Clear();
            return;
        }
        PyErr_Fetch(&type_, &value_, &tb_);
    }
    // Makes the kept exception the current Python error again.
    void restore() noexcept {
        PyErr_Restore(type_, value_, tb_);
        type_ = value_ = tb_ = nullptr;
    }

private:
    PyObject* type_ = nullptr;
    PyObject* value_ = nullptr;
    PyObject* tb_ = nullptr;
};

// The PendingError of the engine call running on this thread (for the
// clock, which is installed once, at open, and called during later calls).
inline thread_local PendingError* tl_pending = nullptr;

// Keeps the current Python error in `slot`, or reports it as unraisable when
// there is no call to hand it to. GIL held, PyErr_Occurred().
inline void keep_python_error(PendingError* slot, PyObject* where) {
    if (slot) {
        slot->fetch();
    } else {
        PyErr_WriteUnraisable(where);
    }
}

// Runs an engine call with the GIL released. GIL held on entry and on exit.
// `pending` collects an exception raised by a Python callback during the
// call; it is re-raised in place of the engine's error.
template <class F>
auto run(PendingError& pending, F&& f) -> decltype(f()) {
    struct Slot {
        PendingError* prev;
        explicit Slot(PendingError* p) : prev(tl_pending) { tl_pending = p; }
        ~Slot() { tl_pending = prev; }
    } slot(&pending);
    using R = decltype(f());
    try {
        if constexpr (std::is_void_v<R>) {
            {
                py::gil_scoped_release nogil;
                f();
            }
            if (pending.set()) {
                pending.restore();
                PyErr_WriteUnraisable(nullptr);
            }
            return;
        } else {
            std::optional<R> result;
            {
                py::gil_scoped_release nogil;
                result.emplace(f());
            }
            if (pending.set()) {
                pending.restore();
                PyErr_WriteUnraisable(nullptr);
            }
            return std::move(*result);
        }
    } catch (...) {
        // The GIL is held again here (the release guard has been destroyed).
        if (pending.set()) {
            pending.restore();
            throw py::error_already_set();
        }
        throw;
    }
}

template <class F>
auto run(F&& f) -> decltype(f()) {
    PendingError pending;
    return run(pending, std::forward<F>(f));
}

inline py::object opt(const std::optional<std::string>& s) {
    if (s) return py::str(*s);
    return py::none();
}

inline py::list str_list(const std::vector<std::string>& v) {
    py::list out;
    for (const auto& s : v) out.append(decoded(s));
    return out;
}

inline py::object opt_int(const std::optional<std::int64_t>& v) {
    if (v) return py::int_(*v);
    return py::none();
}

inline const char* name_or_empty(const char* s) { return s ? s : ""; }

// A retention request (_retention.cpp, and the erasure tickets of
// _accountability.cpp):
// (id, subject, kind, trigger, channel, state, requested_at, due_at,
//  confirm_by, done_at)
inline py::tuple request_row(const cv::RetentionRequest& r) {
    return py::make_tuple(r.id, r.subject, name_or_empty(cv::request_kind_name(r.kind)),
                          name_or_empty(cv::retention_trigger_name(r.trigger)),
                          name_or_empty(cv::channel_name(r.channel)), name_or_empty(cv::request_state_name(r.state)),
                          r.requested_at, r.due_at, r.confirm_by, r.done_at);
}

// The holder of a Handle. A vault dropped by the garbage collector closes in
// its destructor, which may wait for an engine call on another thread whose
// callback needs the GIL: so the GIL is released while the vault is
// destroyed.
struct VaultDeleter {
    void operator()(cv::Vault* v) const noexcept {
        if (Py_IsInitialized() && PyGILState_Check()) {
            PyThreadState* ts = PyEval_SaveThread();
            delete v;
            PyEval_RestoreThread(ts);
        } else {
            delete v;
        }
    }
};
using VaultPtr = std::unique_ptr<cv::Vault, VaultDeleter>;

// The Handle class, defined in _casevault.cpp.
using Handle = py::class_<cv::Vault, VaultPtr>;

// Binds the methods of principals, cases, correspondence, billing, posts
// and can() (_records.cpp).
void bind_records(Handle& handle);

// Binds the methods of the retention engine: activity, requests, holds,
// retention (sweep, receipts) and backups (_retention.cpp).
void bind_retention(Handle& handle);
// Binds data-subject requests, disclosures (subprocessors, transfers) and
// de-identified aggregates (_accountability.cpp).
void bind_accountability(Handle& handle);

// Calls a Python callback that may stop the engine (call() makes the call
// and returns its result). GIL held. None or a true value continues (true);
// a false value stops; an exception stops and is kept in `pending` for run()
// to re-raise. Once `pending` holds an exception, the callback is not called
// again and the answer stays "stop".
template <class Call>
bool callback_continues(PendingError& pending, Call&& call) {
    if (pending.set()) return false;  // already failed: keep cancelling
    try {
        py::object r = call();
        if (r.is_none()) return true;
        const int t = PyObject_IsTrue(r.ptr());
        if (t < 0) throw py::error_already_set();
        return t != 0;
    } catch (py::error_already_set& e) {
        e.restore();
        pending.fetch();
        return false;
    }
}

// The progress callable lives as long as the call it is passed to (the
// binding holds a reference to it), so a borrowed handle is enough and the
// engine may copy the std::function without the GIL. None or a true value
// continues, a false value cancels, an exception cancels and is kept in
// `pending` for run() to re-raise.
inline cv::ProgressFn make_progress(py::handle fn, PendingError& pending) {
    if (fn.is_none()) return {};
    PendingError* slot = &pending;
    return [fn, slot](const cv::Progress& p) -> bool {
        py::gil_scoped_acquire gil;
        return callback_continues(*slot, [&] { return fn(py::str(p.phase), p.done, p.total); });
    };
}

}  // namespace casevault_py

// _casevault, part 4: accountability (include/casevault/accountability.hpp).
// Data-subject requests (export, rectify, erase), disclosures to third
// parties (with the subprocessor registry and transfer notices) and
// de-identified aggregates.
//
// Translation only, as in the other parts: arguments are converted to the
// C++ API's types, the engine runs with the GIL released (run()), and the
// results come back as plain tuples that casevault._model wraps in frozen
// dataclasses. Names (rectify target, channel, transfer kind) are resolved
// inside the engine call, so an unknown one is the engine's
// invalid_argument. A time of 0 means "now" or "open", as in C++; the
// package passes None as 0.
//
// Streams. An export or a disclosure package is written by the engine to an
// ExportSink, with the GIL released. The sink gathers the pieces into
// chunks of kChunk bytes and hands each to the Python callable with the GIL
// re-acquired (one Python call per chunk rather than per piece). A callable
// that raises or returns False stops the engine (Errc::cancelled); the
// callable's own exception is re-raised in place of CancelledError, as for
// progress callbacks. The last, partial chunk is handed over after the
// engine returns.
//
// Errors. DisclosureRefused is raised as casevault.DisclosureRefusedError
// with its stable reason (a translator registered here, tried before the
// module's general one). Personal text given to the engine (a rectified
// value, a disclosure's references, recipient name and justification) is
// copied into buffers that are wiped before they are freed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "_binding.hpp"

namespace casevault_py {

namespace {

// ---- the DisclosureRefusedError class --------------------------------------------

// A strong reference, never released (it lives as long as the interpreter,
// like the module's other error classes).
PyObject* g_refused_class = nullptr;

void set_refused(const cv::DisclosureRefused& e) {
    try {
        py::object cls = py::reinterpret_borrow<py::object>(g_refused_class);
        const char* name = cv::errc_name(e.code());
        py::object inst = cls(decoded(e.what()), py::arg("code") = static_cast<int>(e.code()),
                              py::arg("name") = name ? name : "disclosure_refused",
                              py::arg("reason") = decoded(e.reason()));
        PyErr_SetObject(g_refused_class, inst.ptr());
    } catch (py::error_already_set& err) {
        err.restore();  // building the exception failed: raise that failure
    }
}

// ---- streams --------------------------------------------------------------------

constexpr std::size_t kChunk = 64 * 1024;

// An ExportSink that hands the engine's output to a Python callable in
// chunks. Lives on the binding's stack for the whole call; the engine only
// borrows it.
class ChunkSink {
public:
    ChunkSink(py::handle fn, PendingError& pending) : fn_(fn), pending_(&pending) { buffer_.reserve(kChunk); }

    // Called by the engine without the GIL.
    cv::ExportSink sink() {
        return [this](const char* data, std::size_t size) -> bool {
            buffer_.append(data, size);
            if (buffer_.size() < kChunk) return true;
            py::gil_scoped_acquire gil;
            return deliver();
        };
    }

    // The rest, after the engine returned. GIL held.
    void finish() {
        if (!buffer_.empty() && !deliver()) {
            if (pending_->set()) {
                pending_->restore();
                throw py::error_already_set();
            }
            throw cv::Error(cv::Errc::cancelled, "the export was cancelled by its sink");
        }
    }

private:
    // Hands over the buffer. GIL held. False: stop.
    bool deliver() {
        return callback_continues(*pending_, [this] {
            py::bytes chunk(buffer_.data(), buffer_.size());
            buffer_.clear();
            return fn_(chunk);
        });
    }

    py::handle fn_;
    PendingError* pending_;
    std::string buffer_;
};

// Runs an engine call that writes to a sink, then hands over the rest.
template <class F>
void stream(py::handle fn, F&& f) {
    PendingError pending;
    ChunkSink sink(fn, pending);
    cv::ExportSink s = sink.sink();
    run(pending, [&] { f(s); });
    sink.finish();
}

// ---- names ----------------------------------------------------------------------

// The engine has no transfer_kind_from_name(): resolved against its own names.
cv::TransferKind transfer_kind_from(const std::string& name) {
    for (cv::TransferKind k : {cv::TransferKind::acquisition, cv::TransferKind::merger}) {
        const char* n = cv::transfer_kind_name(k);
        if (n && name == n) return k;
    }
    throw cv::Error(cv::Errc::invalid_argument, "unknown transfer kind");
}

// ---- rows -----------------------------------------------------------------------

// (target, id, field, at)
py::tuple rectify_row(const cv::RectifyResult& r) {
    return py::make_tuple(name_or_empty(cv::rectify_target_name(r.target)), r.id, decoded(r.field), r.at);
}

// (kind, reference, justification) or None
py::object process_row(const std::optional<cv::LegalProcess>& p) {
    if (!p) return py::none();
    return py::make_tuple(decoded(p->kind), decoded(p->reference), decoded(p->justification));
}

// (id, subject, recipient, recipient_name, rule, kind, purpose, [categories],
//  [fields], legal_basis, case_id, subprocessor, process row or None, hold_id,
//  reference, at, notice, notice_at, nondisclosure_until, lifted_at)
py::tuple disclosure_row(const cv::Disclosure& d) {
    return py::make_tuple(d.id, d.subject, decoded(d.recipient), decoded(d.recipient_name), decoded(d.rule),
                          decoded(d.kind), decoded(d.purpose), str_list(d.categories), str_list(d.fields),
                          name_or_empty(cv::legal_basis_name(d.legal_basis)), d.case_id, decoded(d.subprocessor),
                          process_row(d.process), d.hold_id, decoded(d.reference), d.at,
                          name_or_empty(cv::notice_state_name(d.notice)), d.notice_at, d.nondisclosure_until,
                          d.lifted_at);
}

py::list disclosure_rows(const std::vector<cv::Disclosure>& v) {
    py::list out;
    for (const auto& d : v) out.append(disclosure_row(d));
    return out;
}

// (name, purpose, [categories], location, added_at, retired_at)
py::tuple subprocessor_row(const cv::Subprocessor& s) {
    return py::make_tuple(decoded(s.name), decoded(s.purpose), str_list(s.categories), decoded(s.location),
                          s.added_at, s.retired_at);
}

// (id, kind, counterparty, effective_at, announced_at, notified)
py::tuple transfer_row(const cv::Transfer& t) {
    return py::make_tuple(t.id, name_or_empty(cv::transfer_kind_name(t.kind)), decoded(t.counterparty),
                          t.effective_at, t.announced_at, t.notified);
}

// ([keys], count or None, total_minor or None, suppressed)
py::tuple cell_row(const cv::AggregateCell& c) {
    return py::make_tuple(str_list(c.keys), opt_int(c.count), opt_int(c.total_minor), c.suppressed);
}

py::list cell_rows(const std::vector<cv::AggregateCell>& v) {
    py::list out;
    for (const auto& c : v) out.append(cell_row(c));
    return out;
}

// (name, [dimensions], currency, min_count, [cells], [margins], total,
//  suppressed_primary, suppressed_complementary)
py::tuple table_row(const cv::AggregateTable& t) {
    return py::make_tuple(decoded(t.name), str_list(t.dimensions), decoded(t.currency), t.min_count,
                          cell_rows(t.cells), cell_rows(t.margins), cell_row(t.total), t.suppressed_primary,
                          t.suppressed_complementary);
}

py::list table_rows(const std::vector<cv::AggregateTable>& v) {
    py::list out;
    for (const auto& t : v) out.append(table_row(t));
    return out;
}

// ---- inputs ---------------------------------------------------------------------

// (target, id, field, value)
using RectifyRow = std::tuple<std::string, std::string, std::string, std::string>;

// (kind, reference, justification)
using ProcessRow = std::tuple<std::string, std::string, std::string>;
// (reference, until)
using OrderRow = std::tuple<std::string, std::int64_t>;

cv::AggregateOptions aggregate_options(std::string purpose, std::int64_t since, std::int64_t until,
                                       std::int64_t min_count) {
    cv::AggregateOptions o;
    o.purpose = std::move(purpose);
    o.since = since;
    o.until = until;
    o.min_count = min_count;
    return o;
}

}  // namespace

void bind_accountability(Handle& h) {
    // DisclosureRefused carries its reason: translated here, before the
    // module's general translator (pybind11 tries the latest first).
    {
        py::module_ errors = py::module_::import("casevault._errors");
        g_refused_class = py::object(errors.attr("DisclosureRefusedError")).release().ptr();
    }
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const cv::DisclosureRefused& e) {
            set_refused(e);
        }
    });

    // ---- data-subject requests --------------------------------------------------
    h.def(
         "subject_export",
         [](cv::Vault& v, const std::string& subject, py::object write) {
             stream(write, [&](const cv::ExportSink& s) { v.subject_requests().export_to(subject, s); });
         },
         py::arg("subject"), py::arg("write"))
        .def(
            "subject_export_json",
            [](cv::Vault& v, const std::string& subject) {
                std::string text = run([&] { return v.subject_requests().export_json(subject); });
                Wiped wiped{{&text}};
                return decoded(text);
            },
            py::arg("subject"))
        .def(
            "subject_rectify",
            [](cv::Vault& v, const std::string& subject, const std::string& target, std::string id,
               std::string field, std::string value) {
                cv::Rectification r;
                Wiped wiped{{&value, &r.value}};
                r.id = std::move(id);
                r.field = std::move(field);
                r.value = std::move(value);
                return rectify_row(run([&] {
                    r.target = cv::rectify_target_from_name(target);
                    return v.subject_requests().rectify(subject, r);
                }));
            },
            py::arg("subject"), py::arg("target"), py::arg("id"), py::arg("field"), py::arg("value"))
        .def(
            "subject_rectify_many",
            [](cv::Vault& v, const std::string& subject, std::vector<RectifyRow> rows) {
                std::vector<cv::Rectification> changes(rows.size());
                Wiped wiped;
                for (auto& row : rows) wiped.strings.push_back(&std::get<3>(row));
                for (auto& c : changes) wiped.strings.push_back(&c.value);
                std::vector<cv::RectifyResult> done = run([&] {
                    for (std::size_t i = 0; i < rows.size(); ++i) {
                        changes[i].target = cv::rectify_target_from_name(std::get<0>(rows[i]));
                        changes[i].id = std::get<1>(rows[i]);
                        changes[i].field = std::get<2>(rows[i]);
                        changes[i].value = std::get<3>(rows[i]);
                    }
                    return v.subject_requests().rectify_many(subject, changes);
                });
                py::list out;
                for (const auto& r : done) out.append(rectify_row(r));
                return out;
            },
            py::arg("subject"), py::arg("changes"))
        .def(
            "subject_erase",
            [](cv::Vault& v, const std::string& subject, const std::string& channel) {
                cv::ErasureTicket t =
                    run([&] { return v.subject_requests().erase(subject, cv::channel_from_name(channel)); });
                return py::make_tuple(request_row(t.request), t.subject_ref);
            },
            py::arg("subject"), py::arg("channel"))

        // ---- disclosures --------------------------------------------------------------
        .def(
            "disclosures_record",
            [](cv::Vault& v, std::string subject, std::string recipient, std::string recipient_name,
               std::string purpose, std::vector<std::string> categories, std::vector<std::string> fields,
               std::string case_id, std::string subprocessor, std::optional<ProcessRow> process,
               std::optional<OrderRow> nondisclosure, std::string hold_id, std::string reference, std::int64_t at) {
                cv::DisclosureRequest r;
                Wiped wiped{{&recipient_name, &reference, &r.recipient_name, &r.reference}};
                if (process) {
                    wiped.strings.push_back(&std::get<1>(*process));
                    wiped.strings.push_back(&std::get<2>(*process));
                }
                if (nondisclosure) wiped.strings.push_back(&std::get<0>(*nondisclosure));
                r.subject = std::move(subject);
                r.recipient = std::move(recipient);
                r.recipient_name = std::move(recipient_name);
                r.purpose = std::move(purpose);
                r.categories = std::move(categories);
                r.fields = std::move(fields);
                r.case_id = std::move(case_id);
                r.subprocessor = std::move(subprocessor);
                if (process) {
                    r.process.emplace();
                    r.process->kind = std::get<0>(*process);
                    r.process->reference = std::get<1>(*process);
                    r.process->justification = std::get<2>(*process);
                    wiped.strings.push_back(&r.process->reference);
                    wiped.strings.push_back(&r.process->justification);
                }
                if (nondisclosure) {
                    r.nondisclosure.emplace();
                    r.nondisclosure->reference = std::get<0>(*nondisclosure);
                    r.nondisclosure->until = std::get<1>(*nondisclosure);
                    wiped.strings.push_back(&r.nondisclosure->reference);
                }
                r.hold_id = std::move(hold_id);
                r.reference = std::move(reference);
                r.at = at;
                return disclosure_row(run([&] { return v.disclosures().record(r); }));
            },
            py::arg("subject"), py::arg("recipient"), py::arg("recipient_name"), py::arg("purpose"),
            py::arg("categories"), py::arg("fields"), py::arg("case_id"), py::arg("subprocessor"),
            py::arg("process"), py::arg("nondisclosure"), py::arg("hold_id"), py::arg("reference"), py::arg("at"))
        .def(
            "disclosures_lift_nondisclosure",
            [](cv::Vault& v, const std::string& id) {
                return disclosure_row(run([&] { return v.disclosures().lift_nondisclosure(id); }));
            },
            py::arg("id"))
        .def(
            "disclosures_get",
            [](cv::Vault& v, const std::string& id) {
                return disclosure_row(run([&] { return v.disclosures().get(id); }));
            },
            py::arg("id"))
        .def(
            "disclosures_list",
            [](cv::Vault& v, const std::string& subject) {
                return disclosure_rows(run([&] { return v.disclosures().list(subject); }));
            },
            py::arg("subject"))
        .def(
            "disclosures_package",
            [](cv::Vault& v, const std::string& id, py::object write) {
                stream(write, [&](const cv::ExportSink& s) { v.disclosures().package(id, s); });
            },
            py::arg("id"), py::arg("write"))
        .def(
            "disclosures_package_json",
            [](cv::Vault& v, const std::string& id) {
                std::string text = run([&] { return v.disclosures().package_json(id); });
                Wiped wiped{{&text}};
                return decoded(text);
            },
            py::arg("id"))
        .def(
            "subprocessors_add",
            [](cv::Vault& v, std::string name, std::string purpose, std::vector<std::string> categories,
               std::string location) {
                cv::Subprocessor s;
                s.name = std::move(name);
                s.purpose = std::move(purpose);
                s.categories = std::move(categories);
                s.location = std::move(location);
                return subprocessor_row(run([&] { return v.disclosures().add_subprocessor(s); }));
            },
            py::arg("name"), py::arg("purpose"), py::arg("categories"), py::arg("location"))
        .def(
            "subprocessors_retire",
            [](cv::Vault& v, const std::string& name) {
                return subprocessor_row(run([&] { return v.disclosures().retire_subprocessor(name); }));
            },
            py::arg("name"))
        .def(
            "subprocessors_list",
            [](cv::Vault& v, bool include_retired) {
                std::vector<cv::Subprocessor> all = run([&] { return v.disclosures().subprocessors(include_retired); });
                py::list out;
                for (const auto& s : all) out.append(subprocessor_row(s));
                return out;
            },
            py::arg("include_retired"))
        .def(
            "transfers_announce",
            [](cv::Vault& v, const std::string& kind, std::string counterparty, std::int64_t effective_at,
               py::object progress) {
                cv::TransferAnnouncement t;
                t.counterparty = std::move(counterparty);
                t.effective_at = effective_at;
                PendingError pending;
                cv::ProgressFn fn = make_progress(progress, pending);
                return transfer_row(run(pending, [&] {
                    t.kind = transfer_kind_from(kind);
                    return v.disclosures().announce_transfer(t, fn);
                }));
            },
            py::arg("kind"), py::arg("counterparty"), py::arg("effective_at"), py::arg("progress"))
        .def("transfers_list",
             [](cv::Vault& v) {
                 std::vector<cv::Transfer> all = run([&] { return v.disclosures().transfers(); });
                 py::list out;
                 for (const auto& t : all) out.append(transfer_row(t));
                 return out;
             })

        // ---- aggregates ----------------------------------------------------------------
        .def(
            "aggregates_cases",
            [](cv::Vault& v, std::string purpose, std::int64_t since, std::int64_t until, std::int64_t min_count) {
                const cv::AggregateOptions o = aggregate_options(std::move(purpose), since, until, min_count);
                return table_row(run([&] { return v.aggregates().cases(o); }));
            },
            py::arg("purpose"), py::arg("since"), py::arg("until"), py::arg("min_count"))
        .def(
            "aggregates_accounts",
            [](cv::Vault& v, std::string purpose, std::int64_t since, std::int64_t until, std::int64_t min_count) {
                const cv::AggregateOptions o = aggregate_options(std::move(purpose), since, until, min_count);
                return table_row(run([&] { return v.aggregates().accounts(o); }));
            },
            py::arg("purpose"), py::arg("since"), py::arg("until"), py::arg("min_count"))
        .def(
            "aggregates_billing",
            [](cv::Vault& v, std::string purpose, std::int64_t since, std::int64_t until, std::int64_t min_count) {
                const cv::AggregateOptions o = aggregate_options(std::move(purpose), since, until, min_count);
                return table_rows(run([&] { return v.aggregates().billing(o); }));
            },
            py::arg("purpose"), py::arg("since"), py::arg("until"), py::arg("min_count"))
        .def(
            "aggregates_all",
            [](cv::Vault& v, std::string purpose, std::int64_t since, std::int64_t until, std::int64_t min_count) {
                const cv::AggregateOptions o = aggregate_options(std::move(purpose), since, until, min_count);
                return table_rows(run([&] { return v.aggregates().all(o); }));
            },
            py::arg("purpose"), py::arg("since"), py::arg("until"), py::arg("min_count"));
}

}  // namespace casevault_py

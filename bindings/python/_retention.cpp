// _casevault, part 3: the retention engine (include/casevault/retention.hpp).
// Qualifying activity, cancel and delete requests (inbound commands with
// confirmation), legal holds, the sweep and its receipts, and backups.
//
// Translation only, as in _casevault.cpp and _records.cpp: arguments are
// converted to the C++ API's types, the engine runs with the GIL released
// (run()), and the results come back as plain tuples that casevault._model
// wraps in frozen dataclasses. Names (channel, hold scope) are resolved
// inside the engine call, so an unknown one is the engine's
// invalid_argument. A time of 0 means "now" (the vault's clock), as in C++;
// the package passes None as 0.
//
// Progress callbacks (sweep, backup create and restore) follow the rekey
// pattern of _casevault.cpp: the GIL is taken for the call, an exception
// raised by the callback is kept and cancels the engine, and that exception
// is re-raised instead of CancelledError. A sweep cancelled that way keeps
// the subjects it committed (the engine's documented behaviour).
//
// Personal text (an inbound message and its sender, a hold's reference) and
// one-time codes are copied into buffers that are wiped before they are
// freed, as in the C adapter.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "_binding.hpp"

namespace casevault_py {

namespace {

// ---- names ------------------------------------------------------------------------

const char* trigger_name(cv::RetentionTrigger t) { return name_or_empty(cv::retention_trigger_name(t)); }

py::object opt_kind(const std::optional<cv::RequestKind>& k) {
    if (k) return py::str(name_or_empty(cv::request_kind_name(*k)));
    return py::none();
}

// The engine has no hold_scope_from_name(): resolved against its own names.
cv::HoldScope hold_scope_from(const std::string& name) {
    for (cv::HoldScope s : {cv::HoldScope::subject, cv::HoldScope::case_file}) {
        const char* n = cv::hold_scope_name(s);
        if (n && name == n) return s;
    }
    throw cv::Error(cv::Errc::invalid_argument, "unknown hold scope");
}

// ---- rows -------------------------------------------------------------------------

py::dict count_dict(const std::map<std::string, std::int64_t>& m) {
    py::dict d;
    for (const auto& [k, v] : m) d[decoded(k)] = v;
    return d;
}

py::dict text_dict(const std::map<std::string, std::string>& m) {
    py::dict d;
    for (const auto& [k, v] : m) d[decoded(k)] = decoded(v);
    return d;
}

// (subject, active, active_until, [(kind, at), ...], inactivity_due_at or None)
py::tuple activity_row(const cv::ActivityState& s) {
    py::list latest;
    for (const auto& m : s.latest) latest.append(py::make_tuple(decoded(m.kind), m.at));
    return py::make_tuple(s.subject, s.active, s.active_until, latest, opt_int(s.inactivity_due_at));
}

// request_row(): _binding.hpp.

py::list request_rows(const std::vector<cv::RetentionRequest>& v) {
    py::list out;
    for (const auto& r : v) out.append(request_row(r));
    return out;
}

// (outcome, command or None, subject or None, request row or None)
py::tuple inbound_row(const cv::InboundResult& r) {
    py::object request = py::none();
    if (r.request) request = request_row(*r.request);
    return py::make_tuple(name_or_empty(cv::inbound_outcome_name(r.outcome)), opt_kind(r.command), opt(r.subject),
                          request);
}

// (id, scope, target, subject, authority, reference, state, placed_at,
//  expires_at, extensions, process, process_at, ended_at, confidential)
py::tuple hold_row(const cv::Hold& h) {
    return py::make_tuple(h.id, name_or_empty(cv::hold_scope_name(h.scope)), h.target, h.subject,
                          decoded(h.authority), decoded(h.reference), name_or_empty(cv::hold_state_name(h.state)),
                          h.placed_at, h.expires_at, h.extensions, decoded(h.process), h.process_at, h.ended_at,
                          h.confidential);
}

py::list hold_rows(const std::vector<cv::Hold>& v) {
    py::list out;
    for (const auto& h : v) out.append(hold_row(h));
    return out;
}

// (subject, trigger, hold_id, reason)
py::list held_rows(const std::vector<cv::HeldBack>& v) {
    py::list out;
    for (const auto& h : v)
        out.append(py::make_tuple(h.subject, trigger_name(h.trigger), h.hold_id, decoded(h.reason)));
    return out;
}

// (subject, trigger, [rules], due_at, {record kind: count}, {record kind: action})
py::tuple planned_row(const cv::PlannedDeletion& d) {
    return py::make_tuple(d.subject, trigger_name(d.trigger), str_list(d.rules), d.due_at, count_dict(d.counts),
                          text_dict(d.actions));
}

// (now, [deletions], [held], [holds_expiring], [backups_expiring],
//  [requests_expiring])
py::tuple plan_row(const cv::SweepPlan& p) {
    py::list deletions;
    for (const auto& d : p.deletions) deletions.append(planned_row(d));
    return py::make_tuple(p.now, deletions, held_rows(p.held), str_list(p.holds_expiring),
                          str_list(p.backups_expiring), str_list(p.requests_expiring));
}

// (now, subjects, {counts}, [receipt ids], [held], holds_expired,
//  backups_removed, requests_expired)
py::tuple report_row(const cv::SweepReport& r) {
    return py::make_tuple(r.now, r.subjects, count_dict(r.counts), str_list(r.receipts), held_rows(r.held),
                          r.holds_expired, r.backups_removed, r.requests_expired);
}

// (id, subject_ref, trigger, [rules], {counts}, at)
py::list receipt_rows(const std::vector<cv::DeletionReceipt>& v) {
    py::list out;
    for (const auto& r : v)
        out.append(py::make_tuple(r.id, r.subject_ref, trigger_name(r.trigger), str_list(r.rules),
                                  count_dict(r.counts), r.at));
    return out;
}

// (id, path as bytes, taken_at, size, sha256, removed_at). The path is
// returned as the file system's bytes; the package decodes it with
// os.fsdecode, as it encoded it.
py::tuple backup_row(const cv::BackupInfo& b) {
    return py::make_tuple(b.id, py::bytes(b.path), b.taken_at, b.size, b.sha256, b.removed_at);
}

}  // namespace

void bind_retention(Handle& h) {
    // ---- activity -----------------------------------------------------------------
    h.def(
         "activity_record",
         [](cv::Vault& v, const std::string& subject, const std::string& kind, std::int64_t at) {
             return activity_row(run([&] { return v.activity().record(subject, kind, at); }));
         },
         py::arg("subject"), py::arg("kind"), py::arg("at"))
        .def(
            "activity_state",
            [](cv::Vault& v, const std::string& subject) {
                return activity_row(run([&] { return v.activity().state(subject); }));
            },
            py::arg("subject"))

        // ---- requests -------------------------------------------------------------
        .def(
            "requests_cancel",
            [](cv::Vault& v, const std::string& subject, const std::string& channel) {
                return request_row(
                    run([&] { return v.requests().cancel(subject, cv::channel_from_name(channel)); }));
            },
            py::arg("subject"), py::arg("channel"))
        .def(
            "requests_erase",
            [](cv::Vault& v, const std::string& subject, const std::string& channel) {
                return request_row(
                    run([&] { return v.requests().erase(subject, cv::channel_from_name(channel)); }));
            },
            py::arg("subject"), py::arg("channel"))
        .def(
            "requests_inbound",
            [](cv::Vault& v, const std::string& channel, std::string sender, std::string subject_line,
               std::string body, std::int64_t at) {
                cv::InboundMessage m;
                Wiped wiped{{&sender, &subject_line, &body, &m.sender, &m.subject_line, &m.body}};
                m.sender = std::move(sender);
                m.subject_line = std::move(subject_line);
                m.body = std::move(body);
                m.at = at;
                return inbound_row(run([&] {
                    m.channel = cv::channel_from_name(channel);
                    return v.requests().inbound(m);
                }));
            },
            py::arg("channel"), py::arg("sender"), py::arg("subject_line"), py::arg("body"), py::arg("at"))
        .def_static(
            "requests_parse",
            [](const std::string& channel, std::string subject_line, std::string body) {
                cv::InboundMessage m;
                Wiped wiped{{&subject_line, &body, &m.subject_line, &m.body}};
                m.subject_line = std::move(subject_line);
                m.body = std::move(body);
                return inbound_row(run([&] {
                    m.channel = cv::channel_from_name(channel);
                    return cv::Requests::parse(m);
                }));
            },
            py::arg("channel"), py::arg("subject_line"), py::arg("body"))
        .def(
            "requests_confirm",
            [](cv::Vault& v, std::string code) {
                Wiped wiped{{&code}};
                return request_row(run([&] { return v.requests().confirm(code); }));
            },
            py::arg("code"))
        .def(
            "requests_get",
            [](cv::Vault& v, const std::string& id) { return request_row(run([&] { return v.requests().get(id); })); },
            py::arg("id"))
        .def(
            "requests_list",
            [](cv::Vault& v, const std::string& subject) {
                return request_rows(run([&] { return v.requests().list(subject); }));
            },
            py::arg("subject"))

        // ---- holds ------------------------------------------------------------------
        .def(
            "holds_place",
            [](cv::Vault& v, const std::string& scope, std::string target, std::string authority,
               std::string reference, std::int64_t placed_at, bool confidential) {
                cv::HoldRequest r;
                Wiped wiped{{&reference, &r.reference}};
                r.target = std::move(target);
                r.authority = std::move(authority);
                r.reference = std::move(reference);
                r.placed_at = placed_at;
                r.confidential = confidential;
                return hold_row(run([&] {
                    r.scope = hold_scope_from(scope);
                    return v.holds().place(r);
                }));
            },
            py::arg("scope"), py::arg("target"), py::arg("authority"), py::arg("reference"), py::arg("placed_at"),
            py::arg("confidential"))
        .def(
            "holds_extend",
            [](cv::Vault& v, const std::string& id) { return hold_row(run([&] { return v.holds().extend(id); })); },
            py::arg("id"))
        .def(
            "holds_record_process",
            [](cv::Vault& v, const std::string& id, const std::string& process, std::string reference) {
                Wiped wiped{{&reference}};
                return hold_row(run([&] { return v.holds().record_process(id, process, reference); }));
            },
            py::arg("id"), py::arg("process"), py::arg("reference"))
        .def(
            "holds_release",
            [](cv::Vault& v, const std::string& id) { return hold_row(run([&] { return v.holds().release(id); })); },
            py::arg("id"))
        .def(
            "holds_get",
            [](cv::Vault& v, const std::string& id) { return hold_row(run([&] { return v.holds().get(id); })); },
            py::arg("id"))
        .def(
            "holds_list",
            [](cv::Vault& v, const std::string& subject, bool include_ended) {
                return hold_rows(run([&] { return v.holds().list(subject, include_ended); }));
            },
            py::arg("subject"), py::arg("include_ended"))

        // ---- retention --------------------------------------------------------------
        .def(
            "retention_preview",
            [](cv::Vault& v, std::int64_t now) { return plan_row(run([&] { return v.retention().preview(now); })); },
            py::arg("now"))
        .def(
            "retention_sweep",
            [](cv::Vault& v, std::int64_t now, std::size_t batch_size, std::size_t subjects_per_commit,
               py::object progress) {
                cv::SweepOptions o;
                o.now = now;
                o.batch_size = batch_size;
                o.subjects_per_commit = subjects_per_commit;
                PendingError pending;
                o.progress = make_progress(progress, pending);
                return report_row(run(pending, [&] { return v.retention().sweep(o); }));
            },
            py::arg("now"), py::arg("batch_size"), py::arg("subjects_per_commit"), py::arg("progress"))
        .def(
            "retention_receipts_for",
            [](cv::Vault& v, const std::string& subject) {
                return receipt_rows(run([&] { return v.retention().receipts_for(subject); }));
            },
            py::arg("subject"))
        .def(
            "retention_receipts",
            [](cv::Vault& v, const std::string& after, std::size_t limit) {
                return receipt_rows(run([&] { return v.retention().receipts(after, limit); }));
            },
            py::arg("after"), py::arg("limit"))
        .def(
            "retention_subject_ref",
            [](cv::Vault& v, const std::string& subject) {
                return run([&] { return v.retention().subject_ref(subject); });
            },
            py::arg("subject"))

        // ---- backups ----------------------------------------------------------------
        .def(
            "backups_create",
            [](cv::Vault& v, const std::string& path, py::object progress) {
                PendingError pending;
                cv::ProgressFn fn = make_progress(progress, pending);
                return backup_row(run(pending, [&] { return v.backups().create(path, fn); }));
            },
            py::arg("path"), py::arg("progress"))
        .def(
            "backups_list",
            [](cv::Vault& v, bool include_removed) {
                std::vector<cv::BackupInfo> all = run([&] { return v.backups().list(include_removed); });
                py::list out;
                for (const auto& b : all) out.append(backup_row(b));
                return out;
            },
            py::arg("include_removed"))
        .def(
            "backups_restore",
            [](cv::Vault& v, const std::string& path, py::object progress) {
                PendingError pending;
                cv::ProgressFn fn = make_progress(progress, pending);
                cv::RestoreReport r = run(pending, [&] { return v.backups().restore(path, fn); });
                return py::make_tuple(r.backup_id, r.taken_at, r.erasures_replayed);
            },
            py::arg("path"), py::arg("progress"));
}

}  // namespace casevault_py

// _casevault, part 2: the records of team access (issue 4). Principals,
// cases, correspondence, billing, message-board posts and Vault::can().
//
// Translation only, as in _casevault.cpp: arguments are converted to the
// C++ API's types, the engine runs with the GIL released (run()), and the
// results come back as plain tuples that casevault._model wraps in frozen
// dataclasses. Enum names (role, action, record kind, channel, direction)
// are resolved inside the engine call, so an unknown one is the engine's
// invalid_argument. An AccessDenied is translated by the module's exception
// translator (_casevault.cpp) into AccessDeniedError with its rule.
//
// Every call that returns or changes personal data takes the acting
// principal first, as in C++. A fresh view (v.cases(), ...) is taken per
// call, inside the engine call: a view never outlives it.

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

using OptStr = std::optional<std::string>;

// Engine text that may hold personal data: always str (invalid UTF-8, which
// the engine never stores, would be replaced rather than raise).
py::object opt_text(const OptStr& s) {
    if (s) return decoded(*s);
    return py::none();
}

// ---- rows -----------------------------------------------------------------------

// (id, role, created_at, active)
py::tuple principal_row(const cv::Principal& p) {
    return py::make_tuple(p.id, name_or_empty(cv::role_name(p.role)), p.created_at, p.active);
}

// (status, at, source, detail)
py::tuple status_row(const cv::CaseStatus& s) {
    return py::make_tuple(decoded(s.status), s.at, decoded(s.source), opt_text(s.detail));
}

py::list status_rows(const std::vector<cv::CaseStatus>& v) {
    py::list out;
    for (const auto& s : v) out.append(status_row(s));
    return out;
}

// (id, subject, receipt_number, form_type, questionnaire JSON text,
//  latest_status row or None, created_at, updated_at)
py::tuple case_row(const cv::Case& c) {
    py::object latest = py::none();
    if (c.latest_status) latest = status_row(*c.latest_status);
    return py::make_tuple(c.id, c.subject, opt_text(c.receipt_number), decoded(c.form_type),
                          opt_text(c.questionnaire), latest, c.created_at, c.updated_at);
}

py::list case_rows(const std::vector<cv::Case>& v) {
    py::list out;
    for (const auto& c : v) out.append(case_row(c));
    return out;
}

// (id, case_id, name, kind, size, sha256, added_at)
py::tuple document_row(const cv::CaseDocument& d) {
    return py::make_tuple(d.id, d.case_id, decoded(d.name), decoded(d.kind), d.size, decoded(d.sha256),
                          d.added_at);
}

// (id, subject, case_id, channel, direction, at, subject_line, body, sender, recorded_at)
py::tuple message_row(const cv::Message& m) {
    return py::make_tuple(m.id, m.subject, opt_text(m.case_id), name_or_empty(cv::message_channel_name(m.channel)),
                          name_or_empty(cv::direction_name(m.direction)), m.at, opt_text(m.subject_line),
                          decoded(m.body), opt_text(m.sender), m.recorded_at);
}

py::list message_rows(const std::vector<cv::Message>& v) {
    py::list out;
    for (const auto& m : v) out.append(message_row(m));
    return out;
}

// (id, subject, amount_minor, currency, paid_at, card_brand, last4,
//  billing_address, processor_ref, recurring, recorded_at, billing_state,
//  tax_exemption)
py::tuple payment_row(const cv::Payment& p) {
    return py::make_tuple(p.id, p.subject, p.amount_minor, decoded(p.currency), p.paid_at, decoded(p.card_brand),
                          decoded(p.last4), opt_text(p.billing_address), opt_text(p.processor_ref), p.recurring,
                          p.recorded_at, decoded(p.billing_state), opt_text(p.tax_exemption));
}

// (id, author, title, body, created_at)
py::tuple post_row(const cv::Post& p) {
    return py::make_tuple(p.id, opt_text(p.author), decoded(p.title), decoded(p.body), p.created_at);
}

// ---- inputs ----------------------------------------------------------------------

// (subject, case_id, channel, direction, at, subject_line, body, sender)
using MessageRow = std::tuple<std::string, OptStr, std::string, std::string, std::int64_t, OptStr, std::string, OptStr>;

// Names are resolved here, inside the engine call.
cv::MessageFields message_from(MessageRow row) {
    cv::MessageFields f;
    f.subject = std::move(std::get<0>(row));
    f.case_id = std::move(std::get<1>(row));
    f.channel = cv::message_channel_from_name(std::get<2>(row));
    f.direction = cv::direction_from_name(std::get<3>(row));
    f.at = std::get<4>(row);
    f.subject_line = std::move(std::get<5>(row));
    f.body = std::move(std::get<6>(row));
    f.sender = std::move(std::get<7>(row));
    return f;
}

// (subject, amount_minor, currency, paid_at, card_brand, last4,
//  billing_address, processor_ref, recurring, billing_state, tax_exemption)
using PaymentRow = std::tuple<std::string, std::int64_t, std::string, std::int64_t, std::string, std::string, OptStr,
                              OptStr, bool, std::string, OptStr>;

cv::PaymentFields payment_from(PaymentRow row) {
    cv::PaymentFields f;
    f.subject = std::move(std::get<0>(row));
    f.amount_minor = std::get<1>(row);
    f.currency = std::move(std::get<2>(row));
    f.paid_at = std::get<3>(row);
    f.card_brand = std::move(std::get<4>(row));
    f.last4 = std::move(std::get<5>(row));
    f.billing_address = std::move(std::get<6>(row));
    f.processor_ref = std::move(std::get<7>(row));
    f.recurring = std::get<8>(row);
    f.billing_state = std::move(std::get<9>(row));
    f.tax_exemption = std::move(std::get<10>(row));
    return f;
}

}  // namespace

void bind_records(Handle& h) {
    // ---- principals ---------------------------------------------------------------
    h.def(
         "principals_add",
         [](cv::Vault& v, const std::string& role) {
             return principal_row(run([&] { return v.principals().add(cv::role_from_name(role)); }));
         },
         py::arg("role"))
        .def(
            "principals_get",
            [](cv::Vault& v, const std::string& id) { return principal_row(run([&] { return v.principals().get(id); })); },
            py::arg("id"))
        .def("principals_list",
             [](cv::Vault& v) {
                 std::vector<cv::Principal> all = run([&] { return v.principals().list(); });
                 py::list out;
                 for (const auto& p : all) out.append(principal_row(p));
                 return out;
             })
        .def(
            "principals_disable", [](cv::Vault& v, const std::string& id) { run([&] { v.principals().disable(id); }); },
            py::arg("id"))

        // ---- access -----------------------------------------------------------------
        .def(
            "can",
            [](cv::Vault& v, const std::string& actor, const std::string& action, const std::string& kind,
               const std::string& id) {
                cv::AccessVerdict r = run([&] {
                    cv::RecordRef ref;
                    ref.kind = cv::record_kind_from_name(kind);
                    ref.id = id;
                    return v.can(actor, cv::action_from_name(action), ref);
                });
                return py::make_tuple(r.allowed, decoded(r.rule));
            },
            py::arg("actor"), py::arg("action"), py::arg("kind"), py::arg("id"))

        // ---- cases --------------------------------------------------------------------
        .def(
            "cases_open",
            [](cv::Vault& v, const std::string& actor, const std::string& subject, OptStr receipt_number,
               std::string form_type, OptStr questionnaire) {
                cv::CaseFields f;
                f.receipt_number = std::move(receipt_number);
                f.form_type = std::move(form_type);
                f.questionnaire = std::move(questionnaire);
                return case_row(run([&] { return v.cases().open(actor, subject, f); }));
            },
            py::arg("actor"), py::arg("subject"), py::arg("receipt_number"), py::arg("form_type"),
            py::arg("questionnaire"))
        .def(
            "cases_get",
            [](cv::Vault& v, const std::string& actor, const std::string& case_id) {
                return case_row(run([&] { return v.cases().get(actor, case_id); }));
            },
            py::arg("actor"), py::arg("case_id"))
        .def(
            "cases_list",
            [](cv::Vault& v, const std::string& actor, const std::string& subject) {
                return case_rows(run([&] { return v.cases().list(actor, subject); }));
            },
            py::arg("actor"), py::arg("subject"))
        .def(
            "cases_find_by_receipt",
            [](cv::Vault& v, const std::string& actor, const std::string& receipt_number) -> py::object {
                auto c = run([&] { return v.cases().find_by_receipt(actor, receipt_number); });
                if (!c) return py::none();
                return case_row(*c);
            },
            py::arg("actor"), py::arg("receipt_number"))
        .def(
            "cases_update",
            [](cv::Vault& v, const std::string& actor, const std::string& case_id, OptStr receipt_number,
               OptStr form_type, OptStr questionnaire) {
                cv::CaseUpdate u;
                u.receipt_number = std::move(receipt_number);
                u.form_type = std::move(form_type);
                u.questionnaire = std::move(questionnaire);
                return case_row(run([&] { return v.cases().update(actor, case_id, u); }));
            },
            py::arg("actor"), py::arg("case_id"), py::arg("receipt_number"), py::arg("form_type"),
            py::arg("questionnaire"))
        .def(
            "cases_add_status",
            [](cv::Vault& v, const std::string& actor, const std::string& case_id, std::string status,
               std::int64_t at, std::string source, OptStr detail) {
                cv::CaseStatus s;
                s.status = std::move(status);
                s.at = at;
                s.source = std::move(source);
                s.detail = std::move(detail);
                return status_row(run([&] { return v.cases().add_status(actor, case_id, s); }));
            },
            py::arg("actor"), py::arg("case_id"), py::arg("status"), py::arg("at"), py::arg("source"),
            py::arg("detail"))
        .def(
            "cases_history",
            [](cv::Vault& v, const std::string& actor, const std::string& case_id) {
                return status_rows(run([&] { return v.cases().history(actor, case_id); }));
            },
            py::arg("actor"), py::arg("case_id"))
        .def(
            "cases_add_document",
            [](cv::Vault& v, const std::string& actor, const std::string& case_id, std::string name,
               std::string kind, std::int64_t size, std::string sha256) {
                cv::DocumentFields d;
                d.name = std::move(name);
                d.kind = std::move(kind);
                d.size = size;
                d.sha256 = std::move(sha256);
                return document_row(run([&] { return v.cases().add_document(actor, case_id, d); }));
            },
            py::arg("actor"), py::arg("case_id"), py::arg("name"), py::arg("kind"), py::arg("size"),
            py::arg("sha256"))
        .def(
            "cases_documents",
            [](cv::Vault& v, const std::string& actor, const std::string& case_id) {
                std::vector<cv::CaseDocument> all = run([&] { return v.cases().documents(actor, case_id); });
                py::list out;
                for (const auto& d : all) out.append(document_row(d));
                return out;
            },
            py::arg("actor"), py::arg("case_id"))
        .def(
            "cases_remove_document",
            [](cv::Vault& v, const std::string& actor, const std::string& document_id) {
                run([&] { v.cases().remove_document(actor, document_id); });
            },
            py::arg("actor"), py::arg("document_id"))
        .def(
            "cases_assign",
            [](cv::Vault& v, const std::string& case_id, const std::string& principal) {
                run([&] { v.cases().assign(case_id, principal); });
            },
            py::arg("case_id"), py::arg("principal"))
        .def(
            "cases_unassign",
            [](cv::Vault& v, const std::string& case_id, const std::string& principal) {
                run([&] { v.cases().unassign(case_id, principal); });
            },
            py::arg("case_id"), py::arg("principal"))
        .def(
            "cases_assignees",
            [](cv::Vault& v, const std::string& case_id) {
                return str_list(run([&] { return v.cases().assignees(case_id); }));
            },
            py::arg("case_id"))

        // ---- correspondence -----------------------------------------------------------
        .def(
            "correspondence_record",
            [](cv::Vault& v, const std::string& actor, MessageRow row) {
                return message_row(run([&] { return v.correspondence().record(actor, message_from(std::move(row))); }));
            },
            py::arg("actor"), py::arg("fields"))
        .def(
            "correspondence_record_many",
            [](cv::Vault& v, const std::string& actor, std::vector<MessageRow> rows) {
                return message_rows(run([&] {
                    std::vector<cv::MessageFields> batch;
                    batch.reserve(rows.size());
                    for (auto& r : rows) batch.push_back(message_from(std::move(r)));
                    rows.clear();
                    return v.correspondence().record_many(actor, batch);
                }));
            },
            py::arg("actor"), py::arg("batch"))
        .def(
            "correspondence_get",
            [](cv::Vault& v, const std::string& actor, const std::string& message_id) {
                return message_row(run([&] { return v.correspondence().get(actor, message_id); }));
            },
            py::arg("actor"), py::arg("message_id"))
        .def(
            "correspondence_list",
            [](cv::Vault& v, const std::string& actor, const std::string& subject, std::string after,
               std::size_t limit, OptStr case_id) {
                cv::MessageListOptions o;
                o.after_id = std::move(after);
                o.limit = limit;
                o.case_id = std::move(case_id);
                cv::MessagePage page = run([&] { return v.correspondence().list(actor, subject, o); });
                return py::make_tuple(message_rows(page.items), page.next_cursor);
            },
            py::arg("actor"), py::arg("subject"), py::arg("after"), py::arg("limit"), py::arg("case_id"))
        .def(
            "correspondence_match_sender",
            [](cv::Vault& v, const std::string& actor, const std::string& sender) -> py::object {
                auto id = run([&] { return v.correspondence().match_sender(actor, sender); });
                if (!id) return py::none();
                return py::str(*id);
            },
            py::arg("actor"), py::arg("sender"))

        // ---- billing ------------------------------------------------------------------
        .def(
            "billing_record",
            [](cv::Vault& v, const std::string& actor, PaymentRow row) {
                cv::PaymentFields f = payment_from(std::move(row));
                return payment_row(run([&] { return v.billing().record(actor, f); }));
            },
            py::arg("actor"), py::arg("fields"))
        .def(
            "billing_get",
            [](cv::Vault& v, const std::string& actor, const std::string& payment_id) {
                return payment_row(run([&] { return v.billing().get(actor, payment_id); }));
            },
            py::arg("actor"), py::arg("payment_id"))
        .def(
            "billing_list",
            [](cv::Vault& v, const std::string& actor, const std::string& subject) {
                std::vector<cv::Payment> all = run([&] { return v.billing().list(actor, subject); });
                py::list out;
                for (const auto& p : all) out.append(payment_row(p));
                return out;
            },
            py::arg("actor"), py::arg("subject"))

        // ---- posts --------------------------------------------------------------------
        .def(
            "posts_publish",
            [](cv::Vault& v, const std::string& actor, std::string author, std::string title, std::string body) {
                cv::PostFields f;
                f.author = std::move(author);
                f.title = std::move(title);
                f.body = std::move(body);
                return post_row(run([&] { return v.posts().publish(actor, f); }));
            },
            py::arg("actor"), py::arg("author"), py::arg("title"), py::arg("body"))
        .def(
            "posts_get",
            [](cv::Vault& v, const std::string& actor, const std::string& post_id) {
                return post_row(run([&] { return v.posts().get(actor, post_id); }));
            },
            py::arg("actor"), py::arg("post_id"))
        .def(
            "posts_list",
            [](cv::Vault& v, const std::string& actor, std::string after, std::size_t limit, OptStr author) {
                cv::PostListOptions o;
                o.after_id = std::move(after);
                o.limit = limit;
                o.author = std::move(author);
                cv::PostPage page = run([&] { return v.posts().list(actor, o); });
                py::list items;
                for (const auto& p : page.items) items.append(post_row(p));
                return py::make_tuple(items, page.next_cursor);
            },
            py::arg("actor"), py::arg("after"), py::arg("limit"), py::arg("author"))
        .def(
            "posts_remove",
            [](cv::Vault& v, const std::string& actor, const std::string& post_id) {
                run([&] { v.posts().remove(actor, post_id); });
            },
            py::arg("actor"), py::arg("post_id"));
}

}  // namespace casevault_py

#include "subjects/export_writer.hpp"

#include "casevault/accounts.hpp"
#include "casevault/correspondence.hpp"
#include "casevault/policy.hpp"
#include "common/error.hpp"

namespace casevault::subjects {

namespace {

using json = nlohmann::json;

// Buffers the document and hands it to the sink in chunks.
class Out {
public:
    Out(const ExportSink& sink, std::size_t chunk) : sink_(sink), chunk_(chunk == 0 ? 1 : chunk) {
        buf_.reserve(chunk_ + 4096);
    }
    void raw(const char* s) {
        buf_ += s;
        maybe_flush();
    }
    // One JSON value, encoded (and escaped) by nlohmann::json. Stored text is
    // valid UTF-8 already; replace is a guard, never a silent truncation.
    void value(const json& j) {
        buf_ += j.dump(-1, ' ', false, json::error_handler_t::replace);
        maybe_flush();
    }
    // ,"key": before a top-level section.
    void key(const char* k) {
        buf_ += ",\"";
        buf_ += k;
        buf_ += "\":";
    }
    void flush() {
        if (buf_.empty()) return;
        bytes_ += static_cast<std::int64_t>(buf_.size());
        if (!sink_(buf_.data(), buf_.size())) fail(Errc::cancelled, "the export was cancelled by its sink");
        buf_.clear();
    }
    std::int64_t bytes() const { return bytes_; }

private:
    void maybe_flush() {
        if (buf_.size() >= chunk_) flush();
    }
    const ExportSink& sink_;
    std::size_t chunk_;
    std::string buf_;
    std::int64_t bytes_ = 0;
};

// A JSON array written one element at a time.
class Array {
public:
    explicit Array(Out& out) : out_(out) { out_.raw("["); }
    void item(const json& j) {
        if (!first_) out_.raw(",");
        first_ = false;
        out_.value(j);
    }
    void end() { out_.raw("]"); }

private:
    Out& out_;
    bool first_ = true;
};

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(); }
json nonempty(const std::string& v) { return v.empty() ? json() : json(v); }

bool mentions_any(const std::string& text, const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
        if (text.find(id) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

ExportCounts ExportWriter::write(const accounts::Context& ctx, const ExportRequest& req, const ExportSink& sink) {
    const std::string& subject = req.subject;
    records::check_id(subject, "acc", "an account");
    const auto account = d_.store.account(subject);
    if (!account) fail(Errc::not_found, "no account with this id");
    const bool erased = account->status == static_cast<int>(AccountStatus::erased);
    const std::optional<ExportScope>& scope = req.scope;
    auto wants = [&](const char* kind) { return !scope || scope->includes(kind); };
    // A package for one case holds that case only.
    const std::string only_case = scope ? scope->case_id : "";
    // Drops the keys a scope does not keep.
    auto pick = [&](const char* kind, json obj) {
        if (!scope || scope->fields.find(kind) == scope->fields.end()) return obj;
        json kept = json::object();
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (scope->keeps(kind, it.key())) kept[it.key()] = std::move(it.value());
        }
        return kept;
    };

    records::SubjectKeyCache keys(d_);
    // An erased account has no key: nothing sealed under it remains.
    const records::SubjectKeyCache::Entry* key = erased ? nullptr : &keys.get(subject);
    std::optional<records::SubjectKeyCache::Entry> kept_key;  // minimised payments

    ExportCounts counts;
    Out out(sink, req.chunk_bytes);
    const auto pol = consents_.policy();
    out.raw("{\"format\":");
    out.value(kExportFormat);
    out.key("generated_at");
    out.value(ctx.now);
    out.key("subject");
    out.value(subject);
    out.key("policy_version");
    out.value(pol ? pol->info.version : 0);
    if (req.header.is_object()) {
        for (auto it = req.header.begin(); it != req.header.end(); ++it) {
            out.raw(",");
            out.value(it.key());
            out.raw(":");
            out.value(it.value());
        }
    }

    if (wants("account")) {
        constexpr const char* kTable = "accounts";
        json a = {{"id", account->id},
                  {"status", account_status_name(static_cast<AccountStatus>(account->status))},
                  {"name", nullptr},
                  {"email", nullptr},
                  {"phone", nullptr},
                  {"address", nullptr},
                  {"company", nullptr},
                  {"created_at", account->created_at},
                  {"updated_at", account->updated_at}};
        if (key) {
            a["name"] = opt(records::open(*key, account->name, kTable, "name", subject));
            a["email"] = opt(records::open(*key, account->email, kTable, "email", subject));
            a["phone"] = opt(records::open(*key, account->phone, kTable, "phone", subject));
            a["address"] = opt(records::open(*key, account->address, kTable, "address", subject));
            a["company"] = opt(records::open(*key, account->company, kTable, "company", subject));
        }
        out.key("account");
        out.value(pick("account", std::move(a)));
    }

    if (wants("consent")) {
        out.key("consents");
        out.raw("{\"history\":");
        Array history(out);
        std::vector<std::string> subscriptions;
        std::string receipts = "[]";
        if (key) {
            for (const auto& e : consents_.history(ctx, subject)) {
                history.item(pick("consent", json{{"id", e.id},
                                                  {"purpose", e.purpose},
                                                  {"scope", e.scope},
                                                  {"action", consent_action_name(e.action)},
                                                  {"channel", channel_name(e.channel)},
                                                  {"policy_version", e.policy_version},
                                                  {"evidence", nonempty(e.evidence)},
                                                  {"at", e.at},
                                                  {"expires_at", e.expires_at}}));
            }
        }
        history.end();
        out.raw(",\"state\":");
        Array state(out);
        if (key) {
            for (const auto& s : consents_.state(ctx, subject)) {
                state.item(pick("consent", json{{"purpose", s.purpose},
                                                {"scope", s.scope},
                                                {"action", consent_action_name(s.action)},
                                                {"policy_version", s.policy_version},
                                                {"at", s.at},
                                                {"expires_at", s.expires_at},
                                                {"reconsent_required", s.reconsent_required}}));
            }
            receipts = consents_.receipts(ctx, subject);
            subscriptions = consents_.subscriptions(ctx, subject);
        }
        state.end();
        // Kantara consent receipts, as the consent ledger writes them.
        out.raw(",\"receipts\":");
        out.value(json::parse(receipts));
        out.raw("}");
        out.key("subscriptions");
        out.value(subscriptions);
    }

    if (wants("case")) {
        out.key("cases");
        Array cases(out);
        for (const auto& row : key ? d_.store.cases_of(subject) : std::vector<store::CaseRow>{}) {
            if (!only_case.empty() && row.id != only_case) continue;
            json c = {{"id", row.id},
                      {"form_type", row.form_type},
                      {"receipt_number", opt(records::open(*key, row.receipt, "cases", "receipt", row.id))},
                      {"questionnaire", nullptr},
                      {"status", opt(row.status)},
                      {"status_at", row.status_at},
                      {"created_at", row.created_at},
                      {"updated_at", row.updated_at}};
            if (const auto q = records::open(*key, row.questionnaire, "cases", "questionnaire", row.id)) {
                c["questionnaire"] = json::parse(*q);
            }
            json history = json::array();
            for (const auto& s : d_.store.case_history(row.id)) {
                history.push_back(
                    {{"seq", s.seq},
                     {"status", s.status},
                     {"source", s.source},
                     {"at", s.at},
                     {"detail", opt(records::open(*key, s.detail, "case_status", "detail",
                                                  std::to_string(s.seq) + "@" + row.id))}});
            }
            c["status_history"] = std::move(history);
            json documents = json::array();
            for (const auto& doc : d_.store.documents(row.id)) {
                documents.push_back({{"id", doc.id},
                                     {"name", records::open(*key, doc.name, "case_documents", "name", doc.id)},
                                     {"kind", doc.kind},
                                     {"size", doc.size},
                                     {"sha256", records::open(*key, doc.sha256, "case_documents", "sha256", doc.id)},
                                     {"added_at", doc.added_at}});
            }
            c["documents"] = std::move(documents);
            cases.item(pick("case", std::move(c)));
            ++counts.cases;
        }
        cases.end();
    }

    if (wants("correspondence") || wants("survey")) {
        constexpr const char* kTable = "messages";
        out.key("correspondence");
        Array messages(out);
        for (std::string after; key;) {
            const auto page = d_.store.messages(subject, after, kPage,
                                                only_case.empty() ? std::nullopt : std::optional(only_case));
            for (const auto& m : page) {
                const char* kind =
                    m.channel == static_cast<int>(MessageChannel::survey) ? "survey" : "correspondence";
                if (!wants(kind)) continue;
                messages.item(pick(
                    kind, json{{"id", m.id},
                               {"case_id", opt(m.case_id)},
                               {"channel", message_channel_name(static_cast<MessageChannel>(m.channel))},
                               {"direction", direction_name(static_cast<Direction>(m.direction))},
                               {"at", m.at},
                               {"recorded_at", m.recorded_at},
                               {"subject_line", opt(records::open(*key, m.subject_line, kTable, "subject_line", m.id))},
                               {"sender", opt(records::open(*key, m.sender, kTable, "sender", m.id))},
                               {"body", records::open(*key, m.body, kTable, "body", m.id)}}));
                ++counts.messages;
            }
            if (page.size() < kPage) break;
            after = page.back().id;
        }
        messages.end();
    }

    if (wants("billing")) {
        constexpr const char* kTable = "payments";
        out.key("billing");
        Array payments(out);
        for (const auto& p : d_.store.payments(subject)) {
            // A minimised payment was resealed under the retention key and
            // outlives the account; the others need the subject's key.
            const records::SubjectKeyCache::Entry* k = key;
            if (p.minimized_at) {
                if (!kept_key) {
                    auto rk = retention_.existing_retention_key();
                    if (!rk) fail(Errc::corrupt, "a minimised payment without the retention key");
                    kept_key.emplace();
                    kept_key->key_version = 0;
                    kept_key->key = std::move(*rk);
                }
                k = &*kept_key;
            }
            if (!k) continue;
            payments.item(pick("billing", json{{"id", p.id},
                                               {"amount_minor", p.amount_minor},
                                               {"currency", nonempty(p.currency)},
                                               {"paid_at", p.paid_at},
                                               {"card_brand", nonempty(p.card_brand)},
                                               {"last4", nonempty(records::open(*k, p.last4, kTable, "last4", p.id))},
                                               {"billing_address", opt(records::open(*k, p.billing_address, kTable,
                                                                                     "billing_address", p.id))},
                                               {"processor_ref",
                                                opt(records::open(*k, p.processor_ref, kTable, "processor_ref", p.id))},
                                               {"recurring", p.recurring},
                                               {"billing_state", nonempty(p.billing_state)},
                                               {"tax_exemption",
                                                opt(records::open(*k, p.tax_exemption, kTable, "tax_exemption", p.id))},
                                               {"recorded_at", p.recorded_at},
                                               {"minimized_at", p.minimized_at}}));
            ++counts.payments;
        }
        payments.end();
    }

    if (wants("post")) {
        out.key("posts");
        Array posts(out);
        for (std::string after;;) {
            const auto page = d_.store.posts(after, kPage, subject);
            for (const auto& p : page) {
                posts.item(pick("post", json{{"id", p.id}, {"title", p.title}, {"body", p.body},
                                             {"created_at", p.created_at}}));
                ++counts.posts;
            }
            if (page.size() < kPage) break;
            after = page.back().id;
        }
        posts.end();
    }

    if (!scope) {
        // Records the subject may not be told of yet; their audit entries
        // would tell, so they are left out with them.
        std::vector<std::string> withheld;
        if (sources_.withheld_disclosures) withheld = sources_.withheld_disclosures(subject, ctx.now);

        out.key("disclosures");
        Array disclosures(out);
        std::set<std::string> shown;  // the disclosure ids the subject sees
        for (const auto& d : sources_.disclosures ? sources_.disclosures(subject, ctx.now) : std::vector<Disclosure>{}) {
            shown.insert(d.id);
            disclosures.item({{"id", d.id},
                              {"recipient", d.recipient},
                              {"recipient_name", nonempty(d.recipient_name)},
                              {"rule", d.rule},
                              {"kind", d.kind},
                              {"purpose", nonempty(d.purpose)},
                              {"categories", d.categories},
                              {"fields", d.fields},
                              {"legal_basis", legal_basis_name(d.legal_basis)},
                              {"case_id", nonempty(d.case_id)},
                              {"subprocessor", nonempty(d.subprocessor)},
                              {"process", d.process ? json(d.process->kind) : json()},
                              {"at", d.at},
                              {"notice", notice_state_name(d.notice)},
                              {"notice_at", d.notice_at}});
        }
        disclosures.end();

        out.key("holds");
        Array holds(out);
        for (const auto& h : sources_.holds ? sources_.holds(subject) : std::vector<Hold>{}) {
            if (h.confidential) {
                withheld.push_back(h.id);
                continue;
            }
            // The legal-process references stay out: they are the
            // authority's, not the subject's.
            holds.item({{"id", h.id},
                        {"scope", hold_scope_name(h.scope)},
                        {"target", h.target},
                        {"authority", h.authority},
                        {"state", hold_state_name(h.state)},
                        {"placed_at", h.placed_at},
                        {"expires_at", h.expires_at},
                        {"extensions", h.extensions},
                        {"process", nonempty(h.process)},
                        {"process_at", h.process_at},
                        {"ended_at", h.ended_at}});
        }
        holds.end();

        out.key("requests");
        Array requests(out);
        for (const auto& r : retention_.list_requests(subject)) {
            requests.item({{"id", r.id},
                           {"kind", request_kind_name(r.kind)},
                           {"trigger", retention_trigger_name(r.trigger)},
                           {"channel", channel_name(r.channel)},
                           {"state", request_state_name(r.state)},
                           {"requested_at", r.requested_at},
                           {"due_at", r.due_at},
                           {"confirm_by", r.confirm_by},
                           {"done_at", r.done_at}});
        }
        requests.end();

        out.key("deletion_receipts");
        Array receipts(out);
        for (const auto& r : retention_.receipts_for(subject)) {
            receipts.item({{"id", r.id},
                           {"subject_ref", r.subject_ref},
                           {"trigger", retention_trigger_name(r.trigger)},
                           {"rules", r.rules},
                           {"counts", r.counts},
                           {"at", r.at}});
        }
        receipts.end();

        out.key("audit");
        Array audit(out);
        for (std::int64_t after = 0;;) {
            const auto page = d_.store.audit_of(subject, after, kPage);
            for (const auto& e : page) {
                if (!withheld.empty() && (mentions_any(e.target, withheld) || mentions_any(e.reason, withheld))) {
                    continue;
                }
                // Disclosure entries only about a disclosure shown above: a
                // list, a refusal (perhaps of a confidential government
                // request) or a withheld one's read would tell what is not.
                if (e.action.rfind("disclosure.", 0) == 0 && !shown.count(e.target)) continue;
                audit.item({{"seq", e.seq},
                            {"at", e.at},
                            {"actor", e.actor},
                            {"action", e.action},
                            {"target", e.target},
                            {"outcome", e.outcome},
                            {"reason", e.reason}});
                ++counts.audit;
            }
            if (page.size() < kPage) break;
            after = page.back().seq;
        }
        audit.end();
    }
    out.raw("}");
    out.flush();
    counts.bytes = out.bytes();
    return counts;
}

}  // namespace casevault::subjects

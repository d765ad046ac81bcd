#include "cases/case_service.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "accounts/normalize.hpp"
#include "cases/receipt_number.hpp"
#include "common/card_numbers.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace casevault::cases {

namespace {

constexpr const char* kCases = "cases";
constexpr const char* kStatus = "case_status";
constexpr const char* kDocuments = "case_documents";
constexpr std::size_t kMaxQuestionnaire = 1 << 20;
constexpr std::size_t kMaxDepth = 64;

std::string case_target(const std::string& id) { return access::Guard::target_name(RecordKind::case_, id); }

access::Target target_of(const store::CaseRow& row) {
    access::Target t;
    t.kind = RecordKind::case_;
    t.subject = row.subject;
    t.case_id = row.id;
    return t;
}

// Keys and strings follow the free-text rules (line breaks and tabs allowed);
// no key, string or number may hold a card number.
void check_text(const std::string& s) {
    for (unsigned char c : s) {
        if (c == 0x7f || (c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
            fail(Errc::invalid_argument, "questionnaire contains control characters");
        }
    }
    refuse_card_number(s, "questionnaire");
}

void check_questionnaire(const nlohmann::json& j) {
    if (j.is_string()) {
        check_text(j.get_ref<const std::string&>());
    } else if (j.is_number_unsigned() || j.is_number_integer()) {
        refuse_card_number(j.dump(), "questionnaire");
    } else if (j.is_number_float()) {
        // 4111111111111111.0 and 4.111111111111111e15 are the same number.
        const double v = std::fabs(j.get<double>());
        if (std::isfinite(v) && v < 1e19 && std::floor(v) == v) {
            refuse_card_number(std::to_string(static_cast<unsigned long long>(v)), "questionnaire");
        }
    } else if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            check_text(it.key());
            check_questionnaire(it.value());
        }
    } else if (j.is_array()) {
        for (const auto& v : j) check_questionnaire(v);
    }
}

std::int64_t when(const accounts::Context& ctx, std::int64_t at, const char* field) {
    if (at == 0) return ctx.now;
    if (at < 0) fail(Errc::invalid_argument, std::string(field) + " must be a Unix time");
    if (at > ctx.now + 86400) fail(Errc::invalid_argument, std::string(field) + " is more than a day in the future");
    return at;
}

// "I-485": letters, a dash, digits, an optional letter suffix; upper-cased.
std::string normalize_form_type(const std::string& raw) {
    std::string f = accounts::trim(raw);
    for (char& c : f) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    // LETTERS-DIGITS[SUFFIX]: I-130, I-129F, N-400, AR-11, DS-160, EOIR-26.
    std::size_t i = 0;
    while (i < f.size() && f[i] >= 'A' && f[i] <= 'Z') ++i;
    const std::size_t letters = i;
    const bool dash = i < f.size() && f[i] == '-';
    if (dash) ++i;
    const std::size_t digits_from = i;
    while (i < f.size() && f[i] >= '0' && f[i] <= '9') ++i;
    const std::size_t digits = i - digits_from;
    const std::size_t suffix_from = i;
    while (i < f.size() && f[i] >= 'A' && f[i] <= 'Z') ++i;
    const std::size_t suffix = i - suffix_from;
    if (f.empty()) fail(Errc::invalid_argument, "form_type is required");
    if (i != f.size() || letters < 1 || letters > 4 || !dash || digits < 1 || digits > 4 || suffix > 2) {
        fail(Errc::invalid_argument,
             "form_type must be a form name such as I-130, I-485, I-129F, N-400 or DS-160");
    }
    return f;
}

// Parses and re-serialises a questionnaire; refuses card numbers in it.
std::string canonical_questionnaire(const std::string& json_text) {
    if (json_text.size() > kMaxQuestionnaire) fail(Errc::invalid_argument, "questionnaire is larger than 1 MiB");
    nlohmann::json j;
    try {
        // Depth is bounded so a hostile document cannot exhaust the stack.
        j = nlohmann::json::parse(json_text, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (static_cast<std::size_t>(depth) > kMaxDepth) {
                throw Error(Errc::invalid_argument, "questionnaire is nested more than 64 levels deep");
            }
            return true;
        });
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        // nlohmann's messages can quote the input: not echoed.
        fail(Errc::invalid_argument, "questionnaire is not a valid JSON document (UTF-8)");
    }
    if (!j.is_object() && !j.is_array()) fail(Errc::invalid_argument, "questionnaire must be a JSON object or array");
    check_questionnaire(j);
    return j.dump();
}

}  // namespace

void CaseService::seal_receipt(store::CaseRow& row, const std::optional<std::string>& raw,
                               const records::SubjectKeyCache::Entry& key) {
    if (!raw || accounts::trim(*raw).empty()) {
        row.receipt.reset();
        row.receipt_bidx.reset();
        return;
    }
    const std::string n = normalize_receipt_number(*raw);
    row.receipt = records::seal(key, n, kCases, "receipt", row.id);
    row.receipt_bidx = d_.index.digest("cases.receipt", n);
}

void CaseService::seal_questionnaire(store::CaseRow& row, const std::optional<std::string>& json,
                                     const records::SubjectKeyCache::Entry& key) {
    if (!json || json->empty()) {
        row.questionnaire.reset();
        return;
    }
    row.questionnaire = records::seal(key, canonical_questionnaire(*json), kCases, "questionnaire", row.id);
}

CaseStatus CaseService::decode_status(const store::CaseStatusRow& row, const records::SubjectKeyCache::Entry& key) {
    CaseStatus s;
    s.status = row.status;
    s.source = row.source;
    s.at = row.at;
    s.detail = records::open(key, row.detail, kStatus, "detail", std::to_string(row.seq) + "@" + row.case_id);
    return s;
}

Case CaseService::decode(const store::CaseRow& row, records::SubjectKeyCache& keys) {
    const auto& key = keys.get(row.subject);
    Case c;
    c.id = row.id;
    c.subject = row.subject;
    c.form_type = row.form_type;
    c.receipt_number = records::open(key, row.receipt, kCases, "receipt", row.id);
    c.questionnaire = records::open(key, row.questionnaire, kCases, "questionnaire", row.id);
    if (row.status) {
        if (auto s = d_.store.latest_case_status(row.id)) c.latest_status = decode_status(*s, key);
    }
    c.created_at = row.created_at;
    c.updated_at = row.updated_at;
    return c;
}

store::CaseRow CaseService::checked(const accounts::Context& ctx, const access::Actor& actor, Action action,
                                    const std::string& case_id) {
    records::check_id(case_id, "cas", "a case");
    auto row = d_.store.case_row(case_id);
    if (!row) fail(Errc::not_found, "no case with this id");
    d_.guard.require(ctx.now, actor, action, target_of(*row), case_target(case_id));
    return std::move(*row);
}

Case CaseService::open(const accounts::Context& ctx, const std::string& actor_id, const std::string& subject,
                       const CaseFields& fields) {
    const access::Actor actor = d_.guard.actor(actor_id, "write case", subject);
    records::check_id(subject, "acc", "an account");
    store::CaseRow row;
    row.id = new_id("cas");
    row.subject = subject;
    // A team member who may write the cases assigned to them opens a case
    // for a client and is assigned to it; anyone else needs a grant that
    // reaches the subject's cases without one (the subject's own).
    access::Target t;
    t.kind = RecordKind::case_;
    t.subject = subject;
    const bool by_team = d_.guard.grants_assigned(actor, Action::write, RecordKind::case_);
    if (!by_team) d_.guard.require(ctx.now, actor, Action::write, t, case_target(row.id));
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(subject);
    row.form_type = normalize_form_type(fields.form_type);
    seal_receipt(row, fields.receipt_number, key);
    seal_questionnaire(row, fields.questionnaire, key);
    row.created_at = row.updated_at = ctx.now;
    d_.store.insert_case(row);
    d_.log.append(ctx.now, actor.id, "case.open", subject, case_target(row.id), "ok", "");
    if (by_team) {
        d_.store.insert_assignment(row.id, actor.id, ctx.now);
        d_.guard.forget_assignments_of(row.id);
        d_.log.append(ctx.now, actor.id, "case.assign", subject, case_target(row.id), "ok", "principal:" + actor.id);
    }
    return decode(row, keys);
}

Case CaseService::get(const accounts::Context& ctx, const std::string& actor_id, const std::string& case_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "read " + case_target(case_id));
    const auto row = checked(ctx, actor, Action::read, case_id);
    records::SubjectKeyCache keys(d_);
    Case c = decode(row, keys);
    d_.log.append_read(ctx.now, actor.id, "case.read", row.subject, case_target(case_id), "");
    return c;
}

std::vector<Case> CaseService::list(const accounts::Context& ctx, const std::string& actor_id,
                                    const std::string& subject) {
    const access::Actor actor = d_.guard.actor(actor_id, "read case", subject);
    records::check_id(subject, "acc", "an account");
    records::SubjectKeyCache keys(d_);
    std::vector<Case> out;
    for (const auto& row : d_.store.cases_of(subject)) {
        if (!d_.guard.decide(ctx.now, actor, Action::read, target_of(row)).allowed) continue;
        out.push_back(decode(row, keys));
        d_.log.append_read(ctx.now, actor.id, "case.read", row.subject, case_target(row.id), "list");
    }
    return out;
}

std::optional<Case> CaseService::find_by_receipt(const accounts::Context& ctx, const std::string& actor_id,
                                                 const std::string& receipt_number) {
    const access::Actor actor = d_.guard.actor(actor_id, "read case");
    const std::string n = normalize_receipt_number(receipt_number);
    const auto row = d_.store.case_by_receipt(d_.index.digest("cases.receipt", n));
    if (!row) return std::nullopt;
    const access::Verdict v = d_.guard.decide(ctx.now, actor, Action::read, target_of(*row));
    if (!v.allowed) {
        // No match, as far as this actor can tell: a refusal would say the
        // number is tracked here. The denial is audited.
        d_.log.append_read(ctx.now, actor.id, "access.denied", row->subject, "read " + case_target(row->id), v.rule,
                           "denied");
        return std::nullopt;
    }
    records::SubjectKeyCache keys(d_);
    Case c = decode(*row, keys);
    d_.log.append_read(ctx.now, actor.id, "case.read", row->subject, case_target(row->id), "by_receipt");
    return c;
}

Case CaseService::update(const accounts::Context& ctx, const std::string& actor_id, const std::string& case_id,
                         const CaseUpdate& u) {
    const access::Actor actor = d_.guard.actor(actor_id, "write " + case_target(case_id));
    store::CaseRow row = checked(ctx, actor, Action::write, case_id);
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(row.subject);
    if (u.form_type) row.form_type = normalize_form_type(*u.form_type);
    if (u.receipt_number) seal_receipt(row, u.receipt_number, key);
    if (u.questionnaire) seal_questionnaire(row, u.questionnaire, key);
    row.updated_at = ctx.now;
    d_.store.update_case(row);
    d_.log.append(ctx.now, actor.id, "case.update", row.subject, case_target(case_id), "ok", "");
    return decode(row, keys);
}

void CaseService::rectify(const accounts::Context& ctx, const std::string& case_id, const std::string& field,
                          const std::string& value) {
    records::check_id(case_id, "cas", "a case");
    auto row = d_.store.case_row(case_id);
    if (!row) fail(Errc::not_found, "no case with this id");
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(row->subject);
    if (field == "receipt_number") {
        seal_receipt(*row, value, key);
    } else if (field == "questionnaire") {
        seal_questionnaire(*row, value, key);
    } else {
        fail(Errc::invalid_argument, "a case's rectifiable fields are receipt_number and questionnaire");
    }
    row->updated_at = ctx.now;
    d_.store.update_case(*row);
}

CaseStatus CaseService::add_status(const accounts::Context& ctx, const std::string& actor_id,
                                   const std::string& case_id, const CaseStatus& status) {
    const access::Actor actor = d_.guard.actor(actor_id, "write " + case_target(case_id));
    store::CaseRow row = checked(ctx, actor, Action::write, case_id);
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(row.subject);
    store::CaseStatusRow s;
    s.case_id = case_id;
    s.status = records::label_field(status.status, "status");
    s.source = records::label_field(status.source, "source");
    s.at = when(ctx, status.at, "at");
    const auto detail = records::optional_text(status.detail, "detail", 4096, true);
    // The detail is sealed with its row's seq in the associated data, so it
    // is sealed after the insert that assigns it.
    s.seq = d_.store.append_case_status(s);
    if (detail) {
        s.detail = records::seal(key, *detail, kStatus, "detail", std::to_string(s.seq) + "@" + case_id);
        d_.store.set_case_status_detail(s.seq, *s.detail);
    }
    if (!row.status || s.at >= row.status_at) {
        row.status = s.status;
        row.status_at = s.at;
    }
    row.updated_at = ctx.now;
    d_.store.update_case(row);
    d_.log.append(ctx.now, actor.id, "case.status", row.subject, case_target(case_id), "ok", s.status);
    return decode_status(s, key);
}

std::vector<CaseStatus> CaseService::history(const accounts::Context& ctx, const std::string& actor_id,
                                             const std::string& case_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "read " + case_target(case_id));
    const auto row = checked(ctx, actor, Action::read, case_id);
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(row.subject);
    std::vector<CaseStatus> out;
    for (const auto& s : d_.store.case_history(case_id)) out.push_back(decode_status(s, key));
    d_.log.append_read(ctx.now, actor.id, "case.read", row.subject, case_target(case_id), "history");
    return out;
}

CaseDocument CaseService::add_document(const accounts::Context& ctx, const std::string& actor_id,
                                       const std::string& case_id, const DocumentFields& doc) {
    const access::Actor actor = d_.guard.actor(actor_id, "write " + case_target(case_id));
    const auto row = checked(ctx, actor, Action::write, case_id);
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(row.subject);
    store::DocumentRow r;
    r.id = new_id("doc");
    r.case_id = case_id;
    const std::string name = records::text_field(doc.name, "name", 255, false);
    r.kind = records::label_field(doc.kind, "kind");
    if (doc.size < 0) fail(Errc::invalid_argument, "size must not be negative");
    r.size = doc.size;
    std::string sha = accounts::trim(doc.sha256);
    for (char& c : sha) {
        if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    const bool hex = sha.size() == 64 && sha.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) fail(Errc::invalid_argument, "sha256 must be 64 hexadecimal digits");
    r.name = records::seal(key, name, kDocuments, "name", r.id);
    r.sha256 = records::seal(key, sha, kDocuments, "sha256", r.id);
    r.added_at = ctx.now;
    d_.store.insert_document(r);
    d_.log.append(ctx.now, actor.id, "case.document.add", row.subject, case_target(case_id), "ok", r.id);
    return CaseDocument{r.id, case_id, name, r.kind, r.size, sha, r.added_at};
}

std::vector<CaseDocument> CaseService::documents(const accounts::Context& ctx, const std::string& actor_id,
                                                 const std::string& case_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "read " + case_target(case_id));
    const auto row = checked(ctx, actor, Action::read, case_id);
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(row.subject);
    std::vector<CaseDocument> out;
    for (const auto& r : d_.store.documents(case_id)) {
        out.push_back(CaseDocument{r.id, r.case_id, records::open(key, r.name, kDocuments, "name", r.id), r.kind,
                                   r.size, records::open(key, r.sha256, kDocuments, "sha256", r.id), r.added_at});
    }
    d_.log.append_read(ctx.now, actor.id, "case.read", row.subject, case_target(case_id), "documents");
    return out;
}

void CaseService::remove_document(const accounts::Context& ctx, const std::string& actor_id,
                                  const std::string& document_id) {
    const access::Actor actor = d_.guard.actor(actor_id, "erase document:" + document_id);
    records::check_id(document_id, "doc", "a document");
    const auto doc = d_.store.document(document_id);
    if (!doc) fail(Errc::not_found, "no document with this id");
    const auto row = checked(ctx, actor, Action::erase, doc->case_id);
    d_.store.delete_document(document_id);
    d_.log.append(ctx.now, actor.id, "case.document.remove", row.subject, case_target(row.id), "ok", document_id);
}

void CaseService::assign(const accounts::Context& ctx, const std::string& case_id, const std::string& principal) {
    records::check_id(case_id, "cas", "a case");
    records::check_id(principal, "prn", "a principal");
    const auto row = d_.store.case_row(case_id);
    if (!row) fail(Errc::not_found, "no case with this id");
    const auto p = d_.store.principal(principal);
    if (!p) fail(Errc::not_found, "no principal with this id");
    const auto role = static_cast<Role>(p->role);
    if (role != Role::attorney && role != Role::staff) {
        fail(Errc::invalid_argument, "only attorney and staff principals are assigned to cases");
    }
    if (!p->active) fail(Errc::invalid_argument, "the principal is disabled");
    const bool added = d_.store.insert_assignment(case_id, principal, ctx.now);
    d_.guard.forget_assignments_of(case_id);
    d_.log.append(ctx.now, ctx.actor, "case.assign", row->subject, case_target(case_id), "ok",
                  "principal:" + principal + (added ? "" : " (already)"));
}

void CaseService::unassign(const accounts::Context& ctx, const std::string& case_id, const std::string& principal) {
    records::check_id(case_id, "cas", "a case");
    records::check_id(principal, "prn", "a principal");
    const auto row = d_.store.case_row(case_id);
    if (!row) fail(Errc::not_found, "no case with this id");
    const bool removed = d_.store.delete_assignment(case_id, principal);
    d_.guard.forget_assignments_of(case_id);
    d_.log.append(ctx.now, ctx.actor, "case.unassign", row->subject, case_target(case_id), "ok",
                  "principal:" + principal + (removed ? "" : " (was not assigned)"));
}

std::vector<std::string> CaseService::assignees(const std::string& case_id) {
    records::check_id(case_id, "cas", "a case");
    if (!d_.store.case_row(case_id)) fail(Errc::not_found, "no case with this id");
    return d_.store.assignees(case_id);
}

std::optional<store::Bytes> CaseService::reindex(const store::CaseRow& row, accounts::SubjectKeys& keys,
                                                 store::Store& store, crypto::BlindIndexer& index) {
    if (!row.receipt) return std::nullopt;
    const auto account = store.account(row.subject);
    if (!account) fail(Errc::corrupt, "a case belongs to no account");
    records::SubjectKeyCache::Entry key;
    key.key_version = account->key_version;
    key.key = keys.open(account->id, account->key_version, account->data_key);
    return index.digest("cases.receipt", records::open(key, *row.receipt, kCases, "receipt", row.id));
}

}  // namespace casevault::cases

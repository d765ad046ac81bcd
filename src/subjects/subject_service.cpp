#include "subjects/subject_service.hpp"

#include <algorithm>

#include "accounts/normalize.hpp"
#include "billing/billing_service.hpp"
#include "casevault/accounts.hpp"
#include "casevault/correspondence.hpp"
#include "common/error.hpp"
#include "correspondence/correspondence_service.hpp"

namespace casevault::subjects {

namespace {

constexpr const char* kMessages = "messages";
constexpr const char* kPayments = "payments";
constexpr std::size_t kMaxBody = 1 << 20;  // as CorrespondenceService

// The fields a target's rectification may correct (accountability.hpp).
const std::vector<std::string>& fields_of(RectifyTarget t) {
    static const std::vector<std::string> account{"name", "email", "phone", "address", "company"};
    static const std::vector<std::string> case_file{"receipt_number", "questionnaire"};
    static const std::vector<std::string> status{"detail"};
    static const std::vector<std::string> document{"name"};
    static const std::vector<std::string> message{"subject_line", "body", "sender"};
    static const std::vector<std::string> payment{"billing_address", "processor_ref", "tax_exemption", "billing_state"};
    static const std::vector<std::string> none;
    switch (t) {
        case RectifyTarget::account: return account;
        case RectifyTarget::case_file: return case_file;
        case RectifyTarget::case_status: return status;
        case RectifyTarget::document: return document;
        case RectifyTarget::message: return message;
        case RectifyTarget::payment: return payment;
    }
    return none;
}

void check_field(const Rectification& c) {
    const auto& allowed = fields_of(c.target);
    if (allowed.empty()) fail(Errc::invalid_argument, "unknown rectification target");
    if (std::find(allowed.begin(), allowed.end(), c.field) == allowed.end()) {
        std::string list;
        for (const auto& f : allowed) list += (list.empty() ? "" : ", ") + f;
        fail(Errc::invalid_argument,
             std::string("a ") + rectify_target_name(c.target) + "'s rectifiable fields are " + list);
    }
}

// A record of someone else is reported as absent: the caller learns
// nothing about records that are not the subject's.
[[noreturn]] void not_theirs(RectifyTarget t) {
    fail(Errc::not_found, std::string("the subject has no ") + rectify_target_name(t) + " with this id");
}

std::int64_t status_seq(const std::string& id) {
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos || id[0] == '0') {
        fail(Errc::invalid_argument, "a case_status id is the step's seq as decimal text");
    }
    return std::stoll(id);
}

}  // namespace

ExportCounts SubjectService::export_to(const accounts::Context& ctx, const std::string& subject,
                                       const ExportSink& sink) {
    ExportRequest request;
    request.subject = subject;
    const ExportCounts counts = writer_.write(ctx, request, sink);
    d_.log.append_read(ctx.now, ctx.actor, "subject.export", subject, subject, "");
    return counts;
}

RectifyResult SubjectService::rectify(const accounts::Context& ctx, const std::string& subject,
                                      const Rectification& c) {
    records::check_id(subject, "acc", "an account");
    check_field(c);
    const auto account = d_.store.account(subject);
    if (!account) fail(Errc::not_found, "no account with this id");
    if (account->status == static_cast<int>(AccountStatus::erased)) {
        fail(Errc::invalid_argument, "an erased account has nothing to rectify");
    }
    std::string target = std::string(rectify_target_name(c.target)) + ":" + c.id;
    switch (c.target) {
        case RectifyTarget::account: {
            if (c.id != subject) not_theirs(c.target);
            retention_.refuse_if_preserved(ctx, subject, "");
            AccountUpdate u;
            if (c.field == "name") u.name = c.value;
            if (c.field == "email") u.email = c.value;
            if (c.field == "phone") u.phone = c.value;
            if (c.field == "address") u.address = c.value;
            if (c.field == "company") u.company = c.value;
            accounts_.update(ctx, subject, u);  // validates, reseals, recomputes the blind indexes
            break;
        }
        case RectifyTarget::case_file: {
            records::check_id(c.id, "cas", "a case");
            const auto row = d_.store.case_row(c.id);
            if (!row || row->subject != subject) not_theirs(c.target);
            retention_.refuse_if_preserved(ctx, subject, c.id);
            cases_.rectify(ctx, c.id, c.field, c.value);
            break;
        }
        case RectifyTarget::case_status: rectify_status(ctx, subject, c); break;
        case RectifyTarget::document: rectify_document(ctx, subject, c); break;
        case RectifyTarget::message: rectify_message(ctx, subject, c); break;
        case RectifyTarget::payment: rectify_payment(ctx, subject, c); break;
    }
    // Names the record and the field, never a value.
    d_.log.append(ctx.now, ctx.actor, "subject.rectify", subject, target, "ok", c.field);
    return RectifyResult{c.target, c.id, c.field, ctx.now};
}

std::vector<RectifyResult> SubjectService::rectify_many(const accounts::Context& ctx, const std::string& subject,
                                                        const std::vector<Rectification>& changes) {
    if (changes.size() > kMaxChanges) fail(Errc::invalid_argument, "at most 1000 rectifications per call");
    std::vector<RectifyResult> out;
    out.reserve(changes.size());
    // The caller's transaction makes it all or nothing.
    for (const auto& c : changes) out.push_back(rectify(ctx, subject, c));
    return out;
}

void SubjectService::rectify_status(const accounts::Context& ctx, const std::string& subject,
                                    const Rectification& c) {
    const std::int64_t seq = status_seq(c.id);
    const auto step = d_.store.case_status(seq);
    const auto row = step ? d_.store.case_row(step->case_id) : std::nullopt;
    if (!row || row->subject != subject) not_theirs(c.target);
    retention_.refuse_if_preserved(ctx, subject, row->id);
    // As add_status: free text, line breaks allowed. The stored column
    // takes sealed bytes only, so a detail is corrected, not emptied.
    const std::string detail = records::text_field(c.value, "detail", 4096, true);
    records::SubjectKeyCache keys(d_);
    d_.store.set_case_status_detail(
        seq, records::seal(keys.get(subject), detail, "case_status", "detail", std::to_string(seq) + "@" + row->id));
}

void SubjectService::rectify_document(const accounts::Context& ctx, const std::string& subject,
                                      const Rectification& c) {
    records::check_id(c.id, "doc", "a document");
    auto doc = d_.store.document(c.id);
    const auto row = doc ? d_.store.case_row(doc->case_id) : std::nullopt;
    if (!row || row->subject != subject) not_theirs(c.target);
    retention_.refuse_if_preserved(ctx, subject, row->id);
    const std::string name = records::text_field(c.value, "name", 255, false);  // as add_document
    records::SubjectKeyCache keys(d_);
    doc->name = records::seal(keys.get(subject), name, "case_documents", "name", doc->id);
    d_.store.update_document(*doc);
}

void SubjectService::rectify_message(const accounts::Context& ctx, const std::string& subject,
                                     const Rectification& c) {
    records::check_id(c.id, "msg", "a message");
    auto row = d_.store.message(c.id);
    if (!row || row->subject != subject) not_theirs(c.target);
    retention_.refuse_if_preserved(ctx, subject, row->case_id.value_or(""));
    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(subject);
    // The rules CorrespondenceService::record_many applies.
    if (c.field == "subject_line") {
        row->subject_line =
            records::seal(key, records::optional_text(c.value, "subject_line", 1000, false), kMessages, "subject_line", row->id);
    } else if (c.field == "body") {
        row->body = records::seal(key, records::text_field(c.value, "body", kMaxBody, true), kMessages, "body", row->id);
    } else {
        const std::string shown = accounts::trim(c.value);
        if (shown.empty()) {
            const bool needs_sender =
                row->direction == static_cast<int>(Direction::inbound) &&
                (row->channel == static_cast<int>(MessageChannel::email) ||
                 row->channel == static_cast<int>(MessageChannel::whatsapp));
            if (needs_sender) {
                fail(Errc::invalid_argument, "sender is required for an inbound email or WhatsApp message");
            }
            row->sender.reset();
            row->sender_bidx.reset();
            row->foreign_sender = false;
        } else {
            const auto [column, normalized] = correspondence::normalize_sender(shown);
            row->sender = records::seal(key, shown, kMessages, "sender", row->id);
            row->sender_bidx = d_.index.digest("accounts." + column, normalized);
            row->foreign_sender = row->sender_bidx != key.email_bidx && row->sender_bidx != key.phone_bidx;
        }
    }
    d_.store.update_message(*row);
}

void SubjectService::rectify_payment(const accounts::Context& ctx, const std::string& subject,
                                     const Rectification& c) {
    records::check_id(c.id, "pay", "a payment");
    auto row = d_.store.payment(c.id);
    if (!row || row->subject != subject) not_theirs(c.target);
    retention_.refuse_if_preserved(ctx, subject, "");
    // A minimised payment keeps only what its rule kept, under the retention
    // key; correcting it could bring back a field the rule dropped.
    if (row->minimized_at) fail(Errc::invalid_argument, "a minimised payment keeps only what its rule kept; it cannot be rectified");
    records::SubjectKeyCache keys(d_);
    const records::SubjectKeyCache::Entry* key = &keys.get(subject);
    // The rules BillingService::record applies.
    if (c.field == "billing_address") {
        row->billing_address = records::seal(
            *key, records::optional_text(c.value, "billing_address", 1000, true), kPayments, "billing_address", row->id);
    } else if (c.field == "processor_ref") {
        row->processor_ref = records::seal(*key, records::optional_text(c.value, "processor_ref", 200, false),
                                           kPayments, "processor_ref", row->id);
    } else if (c.field == "tax_exemption") {
        row->tax_exemption = records::seal(*key, billing::BillingService::tax_exemption(c.value), kPayments,
                                           "tax_exemption", row->id);
    } else {
        row->billing_state = billing::BillingService::billing_state(c.value);
    }
    d_.store.update_payment(*row);
}

ErasureTicket SubjectService::erase(const accounts::Context& ctx, const std::string& subject, Channel channel) {
    records::check_id(subject, "acc", "an account");
    ErasureTicket t;
    t.request = retention_.request(ctx, subject, RequestKind::erase, channel);
    t.subject_ref = retention_.subject_ref(subject);
    d_.log.append(ctx.now, ctx.actor, "subject.erase", subject, t.request.id, "ok", channel_name(channel));
    return t;
}

}  // namespace casevault::subjects

// The keys of the export document's objects per policy record kind
// (docs/export-format.md). The export writer builds its objects with these
// keys; the policy validator checks `categories[].fields` against them, so
// a category can only name fields a package can actually restrict to.
// Dependency-free on purpose: src/policy includes it.
#pragma once

#include <string>
#include <vector>

namespace casevault::subjects {

// The keys of one record kind's objects ("case": the case object, whose
// status_history and documents are keys of it; "correspondence" and
// "survey": a message), or nullptr for a kind without a section.
inline const std::vector<std::string>* export_fields(const std::string& kind) {
    static const std::vector<std::string> account = {"id",      "status",  "name",       "email",     "phone",
                                                     "address", "company", "created_at", "updated_at"};
    static const std::vector<std::string> cases = {"id",        "form_type",  "receipt_number", "questionnaire",
                                                   "status",    "status_at",  "created_at",     "updated_at",
                                                   "status_history", "documents"};
    static const std::vector<std::string> message = {"id", "case_id",      "channel", "direction", "at",
                                                     "recorded_at", "subject_line", "sender", "body"};
    static const std::vector<std::string> billing = {
        "id",           "amount_minor",  "currency",  "paid_at",       "card_brand",  "last4",       "billing_address",
        "processor_ref", "recurring",    "billing_state", "tax_exemption", "recorded_at", "minimized_at"};
    static const std::vector<std::string> post = {"id", "title", "body", "created_at"};
    if (kind == "account") return &account;
    if (kind == "case") return &cases;
    if (kind == "correspondence" || kind == "survey") return &message;
    if (kind == "billing") return &billing;
    if (kind == "post") return &post;
    return nullptr;
}

}  // namespace casevault::subjects

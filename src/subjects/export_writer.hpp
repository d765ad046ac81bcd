// The export document (docs/export-format.md, "casevault-export/1"): one
// subject's records as a single JSON object, streamed to a sink.
//
// ExportWriter::write(ctx, request, sink) runs inside the caller's
// transaction (a read snapshot) and never audits: the caller does
// ("subject.export", "disclosure.package"). Records are read a page at a
// time (messages, posts and audit entries kPage at a time) and written in
// chunks of about request.chunk_bytes, so memory follows the page, not the
// subject's history. Every value is encoded by nlohmann::json, so the
// document is valid JSON however it is cut into chunks.
//
// Restriction (Disclosures::package): with request.scope set, only the
// sections of the listed record kinds are written, and in them only the
// listed fields:
//   scope.records  policy record kinds (categories[].records): account,
//                  consent, case, correspondence, survey, billing, post.
//                  "consent" writes "consents" and "subscriptions";
//                  "correspondence" the messages of every channel but
//                  survey, "survey" the survey responses (both in
//                  "correspondence"). disclosures, holds, requests,
//                  deletion_receipts and audit are never in a scoped
//                  document.
//   scope.fields   per record kind, the only keys its objects keep (the
//                  keys of docs/export-format.md, e.g. {"billing":
//                  {"billing_address", "tax_exemption"}}); a kind not in
//                  the map keeps every key. For "case" the names apply to
//                  the case object (status_history and documents are keys
//                  of it); for "consent" to the history and state entries.
//                  export_fields.hpp lists the keys of each kind.
//   scope.case_id  when set, only that case, and of the kinds linked to a
//                  case (correspondence, survey) only its records; the
//                  other kinds are the person's, not a case's, and stay.
// The header (format, generated_at, subject, policy_version, then
// request.header's members) is always written.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "casevault/accountability.hpp"
#include "consent/consent_service.hpp"
#include "records/record_support.hpp"
#include "retention/retention_service.hpp"
#include "subjects/export_fields.hpp"

namespace casevault::subjects {

constexpr const char* kExportFormat = "casevault-export/1";

struct ExportScope {
    std::set<std::string> records;
    std::map<std::string, std::set<std::string>> fields;
    std::string case_id;  // "": every case

    bool includes(const std::string& kind) const { return records.count(kind) > 0; }
    // Whether objects of kind keep key.
    bool keeps(const std::string& kind, const std::string& key) const {
        const auto it = fields.find(kind);
        return it == fields.end() || it->second.count(key) > 0;
    }
};

// What the writer gets from modules src/subjects does not depend on,
// wired in the vault layer.
struct ExportSources {
    // The disclosures the subject may be told of (visible_to_subject).
    std::function<std::vector<Disclosure>(const std::string& subject, std::int64_t now)> disclosures;
    // Ids of disclosures the subject may not be told of yet: audit entries
    // that mention them are left out too (and every "disclosure.*" entry
    // that does not name a disclosure the subject is shown).
    std::function<std::vector<std::string>(const std::string& subject, std::int64_t now)> withheld_disclosures;
    // Every hold on the subject or its cases, ended ones too; the writer
    // leaves the confidential ones (and their audit entries) out.
    std::function<std::vector<Hold>(const std::string& subject)> holds;
};

struct ExportRequest {
    std::string subject;
    std::optional<ExportScope> scope;  // none: the whole export
    nlohmann::json header = nlohmann::json::object();  // extra top-level members after policy_version
    std::size_t chunk_bytes = 64 * 1024;
};

// How many records went out, per section (for the caller's audit reason).
struct ExportCounts {
    std::int64_t cases = 0, messages = 0, payments = 0, posts = 0, audit = 0;
    std::int64_t bytes = 0;
};

class ExportWriter {
public:
    ExportWriter(records::Deps deps, consent::ConsentService& consents, retention::RetentionService& retention,
                 ExportSources sources)
        : d_(deps), consents_(consents), retention_(retention), sources_(std::move(sources)) {}

    // Throws invalid_argument (not an account id), not_found (no such
    // account), cancelled (the sink returned false).
    ExportCounts write(const accounts::Context& ctx, const ExportRequest& request, const ExportSink& sink);

    static constexpr std::size_t kPage = 500;

private:
    records::Deps d_;
    consent::ConsentService& consents_;
    retention::RetentionService& retention_;
    ExportSources sources_;
};

}  // namespace casevault::subjects

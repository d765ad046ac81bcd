// Data-subject requests (docs/accountability.md#data-subject-requests):
// the export, rectification of one personal field at a time, and erasure
// through the retention engine. Runs inside the transaction VaultCore
// opened; the host has authenticated the person, so no Guard is asked.
#pragma once

#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "cases/case_service.hpp"
#include "casevault/accountability.hpp"
#include "consent/consent_service.hpp"
#include "records/record_support.hpp"
#include "retention/retention_service.hpp"
#include "subjects/export_writer.hpp"

namespace casevault::subjects {

class SubjectService {
public:
    SubjectService(records::Deps deps, accounts::AccountService& accounts, consent::ConsentService& consents,
                   cases::CaseService& cases, retention::RetentionService& retention, ExportSources sources)
        : d_(deps), accounts_(accounts), cases_(cases), retention_(retention),
          writer_(deps, consents, retention, std::move(sources)) {}

    // The whole export; audited ("subject.export").
    ExportCounts export_to(const accounts::Context& ctx, const std::string& subject, const ExportSink& sink);
    // The writer itself, for restricted documents (Disclosures::package).
    ExportWriter& writer() { return writer_; }

    RectifyResult rectify(const accounts::Context& ctx, const std::string& subject, const Rectification& change);
    std::vector<RectifyResult> rectify_many(const accounts::Context& ctx, const std::string& subject,
                                            const std::vector<Rectification>& changes);
    ErasureTicket erase(const accounts::Context& ctx, const std::string& subject, Channel channel);

    static constexpr std::size_t kMaxChanges = 1000;

private:
    void rectify_message(const accounts::Context& ctx, const std::string& subject, const Rectification& c);
    void rectify_document(const accounts::Context& ctx, const std::string& subject, const Rectification& c);
    void rectify_status(const accounts::Context& ctx, const std::string& subject, const Rectification& c);
    void rectify_payment(const accounts::Context& ctx, const std::string& subject, const Rectification& c);

    records::Deps d_;
    accounts::AccountService& accounts_;
    cases::CaseService& cases_;
    retention::RetentionService& retention_;
    ExportWriter writer_;
};

}  // namespace casevault::subjects

// De-identified aggregates (docs/accountability.md): counts of cases,
// accounts and payments from the store's covering indexes, small cells
// suppressed (suppression.hpp). Tables carry keys and counts only: no
// subject id, no sealed field is ever read. Each public call is audited once
// ("aggregates.report", naming the tables and the purpose).
#pragma once

#include <string>
#include <vector>

#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "casevault/accountability.hpp"
#include "consent/consent_service.hpp"
#include "store/store.hpp"

namespace casevault::aggregates {

class AggregateService {
public:
    AggregateService(store::Store& store, audit::AuditLog& log, consent::ConsentService& consents)
        : store_(store), log_(log), consents_(consents) {}

    // Throw invalid_argument for a purpose that is unknown or not of data
    // form aggregate or deidentified, a min_count below the policy's, or a
    // bad window.
    AggregateTable cases(const accounts::Context& ctx, const AggregateOptions& options);
    AggregateTable accounts(const accounts::Context& ctx, const AggregateOptions& options);
    std::vector<AggregateTable> billing(const accounts::Context& ctx, const AggregateOptions& options);
    // cases, accounts, then the billing tables; audited once.
    std::vector<AggregateTable> all(const accounts::Context& ctx, const AggregateOptions& options);

private:
    struct Settings {
        std::int64_t k = 5;
        std::int64_t since = 0, until = 0;
        std::string purpose;
    };
    Settings settings(const AggregateOptions& options);
    AggregateTable cases_table(const Settings& s);
    AggregateTable accounts_table(const Settings& s);
    std::vector<AggregateTable> billing_tables(const Settings& s);
    void audit(const accounts::Context& ctx, const char* tables, const Settings& s);

    store::Store& store_;
    audit::AuditLog& log_;
    consent::ConsentService& consents_;
};

}  // namespace casevault::aggregates

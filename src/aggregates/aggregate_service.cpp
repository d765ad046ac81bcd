#include "aggregates/aggregate_service.hpp"

#include <map>

#include "aggregates/suppression.hpp"
#include "casevault/accounts.hpp"
#include "common/civil_date.hpp"
#include "common/error.hpp"
#include "policy/policy.hpp"

namespace casevault::aggregates {

namespace {

// Keys as shown: never "" (which would read as a missing key).
constexpr const char* kNoStatus = "none";
constexpr const char* kNoState = "unknown";

AggregateCell shown(const Entry& e, bool with_total) {
    AggregateCell c;
    c.keys = e.keys;
    c.suppressed = e.suppressed;
    if (!e.suppressed) {
        c.count = e.count;
        if (with_total) c.total_minor = e.sum;
    }
    return c;
}

AggregateTable table(const char* name, std::vector<std::string> dimensions, std::vector<Cell> cells, std::int64_t k,
                     bool with_total) {
    const std::size_t n = dimensions.size();
    SuppressedTable s = suppress(n, std::move(cells), k);
    AggregateTable t;
    t.name = name;
    t.dimensions = std::move(dimensions);
    t.min_count = k;
    t.cells.reserve(s.cells.size());
    for (const Entry& e : s.cells) t.cells.push_back(shown(e, with_total));
    t.margins.reserve(s.margins.size());
    for (const Entry& e : s.margins) t.margins.push_back(shown(e, with_total));
    t.total = shown(s.total, with_total);
    t.suppressed_primary = s.primary;
    t.suppressed_complementary = s.complementary;
    return t;
}

// Whether t (>= 0) is 00:00:00 UTC on the first day of a month; 0 (no bound) is.
bool month_start(std::int64_t t) {
    if (t % civil::kDaySeconds != 0) return false;
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civil::civil_from_days(civil::day_of(t), y, m, d);
    return d == 1;
}

}  // namespace

AggregateService::Settings AggregateService::settings(const AggregateOptions& o) {
    const auto policy = consents_.policy();
    Settings s;
    s.k = policy ? policy->aggregates_min_count : 5;
    if (o.min_count < 0) fail(Errc::invalid_argument, "min_count cannot be negative");
    if (o.min_count != 0) {
        if (o.min_count < s.k) {
            fail(Errc::invalid_argument, "min_count may only raise the policy's aggregates.min_count (" +
                                             std::to_string(s.k) + ")");
        }
        s.k = o.min_count;
    }
    if (!o.purpose.empty()) {
        const PolicyPurpose* p = nullptr;
        if (policy) {
            for (const auto& candidate : policy->info.purposes) {
                if (candidate.id == o.purpose) p = &candidate;
            }
        }
        // An unknown purpose is the caller's text: not echoed. A known one is
        // named by the policy's id (the policy document is not personal data).
        if (!p) fail(Errc::invalid_argument, "the purpose is not one of the active policy's purposes");
        if (p->data_form != "aggregate" && p->data_form != "deidentified") {
            fail(Errc::invalid_argument, "purpose \"" + p->id + "\" is of data form \"" + p->data_form +
                                             "\": aggregates serve only aggregate or deidentified purposes");
        }
        s.purpose = o.purpose;
    }
    if (o.since < 0 || o.until < 0) fail(Errc::invalid_argument, "since and until must be Unix times (or 0)");
    // Windows differing by a second would isolate the records of that second
    // by subtraction; whole months are what the tables count anyway.
    if (!month_start(o.since) || !month_start(o.until)) {
        fail(Errc::invalid_argument, "since and until must be 00:00:00 UTC on the first day of a month (or 0)");
    }
    if (o.until != 0 && o.until <= o.since) fail(Errc::invalid_argument, "until must be after since");
    s.since = o.since;
    s.until = o.until;
    return s;
}

void AggregateService::audit(const accounts::Context& ctx, const char* tables, const Settings& s) {
    // No subject: the report is about no one. Only table names and the purpose.
    log_.append_read(ctx.now, ctx.actor, "aggregates.report", "", tables, s.purpose);
}

AggregateTable AggregateService::cases_table(const Settings& s) {
    std::vector<Cell> cells;
    for (auto& r : store_.aggregate_cases(s.since, s.until)) {
        cells.push_back(Cell{{std::move(r.k1), r.k2.empty() ? kNoStatus : std::move(r.k2), std::move(r.k3)}, r.count, 0});
    }
    return table("cases", {"form_type", "status", "month"}, std::move(cells), s.k, false);
}

AggregateTable AggregateService::accounts_table(const Settings& s) {
    std::vector<Cell> cells;
    for (auto& r : store_.aggregate_accounts(s.since, s.until)) {
        const auto status = static_cast<AccountStatus>(std::stoi(r.k1));
        cells.push_back(Cell{{account_status_name(status), std::move(r.k2)}, r.count, 0});
    }
    return table("accounts", {"status", "month"}, std::move(cells), s.k, false);
}

std::vector<AggregateTable> AggregateService::billing_tables(const Settings& s) {
    std::map<std::string, std::vector<Cell>> by_currency;
    for (auto& r : store_.aggregate_payments(s.since, s.until)) {
        by_currency[r.k1].push_back(Cell{{std::move(r.k2), r.k3.empty() ? kNoState : std::move(r.k3)}, r.count, r.sum});
    }
    std::vector<AggregateTable> out;
    for (auto& [currency, cells] : by_currency) {
        out.push_back(table("billing", {"month", "billing_state"}, std::move(cells), s.k, true));
        out.back().currency = currency;
    }
    return out;
}

AggregateTable AggregateService::cases(const accounts::Context& ctx, const AggregateOptions& options) {
    const Settings s = settings(options);
    AggregateTable t = cases_table(s);
    audit(ctx, "cases", s);
    return t;
}

AggregateTable AggregateService::accounts(const accounts::Context& ctx, const AggregateOptions& options) {
    const Settings s = settings(options);
    AggregateTable t = accounts_table(s);
    audit(ctx, "accounts", s);
    return t;
}

std::vector<AggregateTable> AggregateService::billing(const accounts::Context& ctx, const AggregateOptions& options) {
    const Settings s = settings(options);
    auto t = billing_tables(s);
    audit(ctx, "billing", s);
    return t;
}

std::vector<AggregateTable> AggregateService::all(const accounts::Context& ctx, const AggregateOptions& options) {
    const Settings s = settings(options);
    std::vector<AggregateTable> out;
    out.push_back(cases_table(s));
    out.push_back(accounts_table(s));
    for (auto& t : billing_tables(s)) out.push_back(std::move(t));
    audit(ctx, "cases,accounts,billing", s);
    return out;
}

}  // namespace casevault::aggregates

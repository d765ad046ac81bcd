// SqlcipherStore: the grouped counts behind the de-identified aggregates.
//
// Each query reads one covering index (schema migration 5) in its order, so
// only index pages are decrypted and no sealed column is ever touched. Rows
// arrive sorted by the grouping keys with the time column ascending inside
// each key, so the groups are runs: C++ buckets the times into UTC months
// (a civil-date computation per month boundary, not per row) and counts each
// run, which costs far less than strftime() and a GROUP BY sorter per row.
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <string_view>

#include "common/civil_date.hpp"
#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {

namespace {

using civil::kDaySeconds;

// The UTC month of a Unix time, remembered for the month it last computed:
// consecutive times mostly fall in it, and then cost two comparisons.
class MonthOf {
public:
    // The month's first second: equal for times of the same month.
    std::int64_t start(std::int64_t t) {
        if (t < lo_ || t >= hi_) compute(t);
        return lo_;
    }
    const std::string& text() const { return text_; }

private:
    void compute(std::int64_t t) {
        std::int64_t y = 0;
        unsigned m = 0, d = 0;
        civil::civil_from_days(civil::day_of(t), y, m, d);
        lo_ = civil::days_from_civil(y, m, 1) * kDaySeconds;
        hi_ = (m == 12 ? civil::days_from_civil(y + 1, 1, 1) : civil::days_from_civil(y, m + 1, 1)) * kDaySeconds;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04lld-%02u", static_cast<long long>(y), m);
        text_ = buf;
    }
    std::int64_t lo_ = 1, hi_ = 0;  // empty: the first call computes
    std::string text_;
};

// A one-off statement on the raw handle: the scans read column text in place
// (no string per row), which Statement does not offer.
class Scan {
public:
    Scan(sqlite3* db, const char* sql, std::int64_t since, std::int64_t until) : db_(db) {
        const int rc = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr);
        if (rc != SQLITE_OK) throw_sqlite(db, rc, "preparing an aggregate query");
        sqlite3_bind_int64(st_, 1, since);
        sqlite3_bind_int64(st_, 2, until == 0 ? std::numeric_limits<std::int64_t>::max() : until);
    }
    ~Scan() { sqlite3_finalize(st_); }
    Scan(const Scan&) = delete;
    Scan& operator=(const Scan&) = delete;

    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) throw_sqlite(db_, rc, "reading an aggregate");
        return false;
    }
    // Text of a column in place (NULL reads as ""); valid until the next step.
    std::pair<const char*, std::size_t> text(int col) const {
        const unsigned char* p = sqlite3_column_text(st_, col);
        if (!p) return {"", 0};
        return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, col))};
    }
    std::int64_t int64(int col) const { return sqlite3_column_int64(st_, col); }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

bool same(const std::string& s, const std::pair<const char*, std::size_t>& t) {
    return s.size() == t.second && std::memcmp(s.data(), t.first, t.second) == 0;
}

std::string str(const std::pair<const char*, std::size_t>& t) { return std::string(t.first, t.second); }

void add_sum(std::int64_t& to, std::int64_t v) {
    if (__builtin_add_overflow(to, v, &to)) fail(Errc::internal, "a billing total does not fit in 64 bits");
}

}  // namespace

std::vector<AggregateRow> SqlcipherStore::aggregate_cases(std::int64_t since, std::int64_t until) {
    Scan scan(db_.handle(),
              "SELECT form_type, status, created_at FROM cases INDEXED BY cases_for_aggregates"
              " WHERE created_at >= ?1 AND created_at < ?2",
              since, until);
    std::vector<AggregateRow> out;
    MonthOf month;
    std::int64_t run_month = 0;
    while (scan.step()) {
        const auto form = scan.text(0), status = scan.text(1);
        const std::int64_t m = month.start(scan.int64(2));
        if (!out.empty() && m == run_month && same(out.back().k2, status) && same(out.back().k1, form)) {
            ++out.back().count;
            continue;
        }
        out.push_back(AggregateRow{str(form), str(status), month.text(), 1, 0});
        run_month = m;
    }
    return out;
}

std::vector<AggregateRow> SqlcipherStore::aggregate_accounts(std::int64_t since, std::int64_t until) {
    Scan scan(db_.handle(),
              "SELECT status, created_at FROM accounts INDEXED BY accounts_for_aggregates"
              " WHERE created_at >= ?1 AND created_at < ?2",
              since, until);
    std::vector<AggregateRow> out;
    MonthOf month;
    std::int64_t run_status = 0, run_month = 0;
    while (scan.step()) {
        const std::int64_t status = scan.int64(0);
        const std::int64_t m = month.start(scan.int64(1));
        if (!out.empty() && m == run_month && status == run_status) {
            ++out.back().count;
            continue;
        }
        out.push_back(AggregateRow{std::to_string(status), month.text(), "", 1, 0});
        run_status = status;
        run_month = m;
    }
    return out;
}

// Payments without a currency or a payment time (a minimised payment that
// kept neither) belong to no table and are left out.
std::vector<AggregateRow> SqlcipherStore::aggregate_payments(std::int64_t since, std::int64_t until) {
    Scan scan(db_.handle(),
              "SELECT currency, paid_at, billing_state, amount_minor FROM payments INDEXED BY payments_for_aggregates"
              " WHERE currency <> '' AND paid_at > 0 AND paid_at >= ?1 AND paid_at < ?2",
              since, until);
    std::vector<AggregateRow> out;
    MonthOf month;
    // Inside one (currency, month) run the states interleave (the index
    // orders them after paid_at): they are gathered here, written at its end.
    std::string currency, run_text;
    std::int64_t run_month = 0;
    std::map<std::string, std::pair<std::int64_t, std::int64_t>, std::less<>> states;  // -> (count, sum)
    auto flush = [&] {
        for (const auto& [state, v] : states) out.push_back(AggregateRow{currency, run_text, state, v.first, v.second});
        states.clear();
    };
    while (scan.step()) {
        const auto cur = scan.text(0);
        const std::int64_t m = month.start(scan.int64(1));
        if (!states.empty() && (m != run_month || !same(currency, cur))) flush();
        if (states.empty()) {
            currency = str(cur);
            run_month = m;
            run_text = month.text();
        }
        const auto state = scan.text(2);
        auto it = states.find(std::string_view(state.first, state.second));
        if (it == states.end()) it = states.emplace(str(state), std::pair<std::int64_t, std::int64_t>{0, 0}).first;
        ++it->second.first;
        add_sum(it->second.second, scan.int64(3));
    }
    flush();
    return out;
}

}  // namespace casevault::store

// De-identified aggregates: the suppression engine on hand-built and random
// tables (checked group by group and by a linear audit of all the
// published equations together), then cases, accounts and billing through
// the Vault; and the billing fields the billing tables group by
// (billing_state, tax_exemption).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "aggregates/suppression.hpp"
#include "test_util.hpp"
#include "vault/vault_core.hpp"

using namespace casevault;
using namespace cvtest;
namespace ag = casevault::aggregates;

namespace {

constexpr std::int64_t kDay = 86400;

std::vector<std::string> keys_with(std::size_t dims, std::size_t d, const std::string& v) {
    std::vector<std::string> k(dims, "*");
    k[d] = v;
    return k;
}

// An entry of a published table as the linear audit sees it.
struct Slot {
    std::vector<std::string> keys;
    bool suppressed = false;
};

// The hidden entries that the published ones determine exactly through the
// tables' equations (each margin = its cells, the margins of a dimension =
// the total, all cells = the total), found independently of the engine:
// the equations are rebuilt from the keys, eliminated over doubles from the
// last unknown to the first with the largest pivot, and each unit vector
// e_j is reduced against the echelon rows; a zero residual puts it in their
// row space, so the unknown j is determined.
std::vector<std::vector<std::string>> determined_entries(std::size_t dims, const std::vector<Slot>& cells,
                                                         const std::vector<Slot>& margins, const Slot& total) {
    std::vector<const Slot*> all;
    for (const auto& c : cells) all.push_back(&c);
    for (const auto& m : margins) all.push_back(&m);
    all.push_back(&total);
    std::map<const Slot*, std::size_t> unknown;
    std::vector<const Slot*> hidden;
    for (const Slot* s : all) {
        if (s->suppressed) {
            unknown[s] = hidden.size();
            hidden.push_back(s);
        }
    }
    const std::size_t n = hidden.size();
    std::vector<std::vector<double>> rows;
    auto equation = [&](const Slot& sum, const std::vector<const Slot*>& parts) {
        std::vector<double> r(n, 0.0);
        bool any = false;
        if (sum.suppressed) r[unknown[&sum]] += 1.0, any = true;
        for (const Slot* p : parts) {
            if (p->suppressed) r[unknown[p]] -= 1.0, any = true;
        }
        if (any) rows.push_back(std::move(r));
    };
    std::vector<const Slot*> every_cell;
    for (const auto& c : cells) every_cell.push_back(&c);
    equation(total, every_cell);
    for (std::size_t d = 0; d < dims; ++d) {
        std::vector<const Slot*> of_d;
        for (const auto& m : margins) {
            if (m.keys[d] == "*") continue;
            of_d.push_back(&m);
            std::vector<const Slot*> members;
            for (const auto& c : cells) {
                if (c.keys[d] == m.keys[d]) members.push_back(&c);
            }
            equation(m, members);
        }
        equation(total, of_d);
    }
    constexpr double eps = 1e-7;
    std::vector<std::size_t> pivots;  // echelon row i has its pivot in column pivots[i]
    std::size_t rank = 0;
    for (std::size_t c = n; c-- > 0 && rank < rows.size();) {
        std::size_t best = rank;
        for (std::size_t r = rank; r < rows.size(); ++r) {
            if (std::abs(rows[r][c]) > std::abs(rows[best][c])) best = r;
        }
        if (std::abs(rows[best][c]) < eps) continue;
        std::swap(rows[rank], rows[best]);
        for (std::size_t r = rank + 1; r < rows.size(); ++r) {
            const double f = rows[r][c] / rows[rank][c];
            if (f == 0.0) continue;
            for (std::size_t x = 0; x < n; ++x) rows[r][x] -= f * rows[rank][x];
        }
        pivots.push_back(c);
        ++rank;
    }
    std::vector<std::vector<std::string>> out;
    for (std::size_t j = 0; j < n; ++j) {
        std::vector<double> v(n, 0.0);
        v[j] = 1.0;
        for (std::size_t i = 0; i < rank; ++i) {
            const double f = v[pivots[i]] / rows[i][pivots[i]];
            if (f == 0.0) continue;
            for (std::size_t x = 0; x < n; ++x) v[x] -= f * rows[i][x];
        }
        if (std::all_of(v.begin(), v.end(), [&](double x) { return std::abs(x) < eps; })) out.push_back(hidden[j]->keys);
    }
    return out;
}

std::vector<std::vector<std::string>> determined_entries(std::size_t dims, const ag::SuppressedTable& t) {
    auto slots = [](const std::vector<ag::Entry>& v) {
        std::vector<Slot> out;
        for (const auto& e : v) out.push_back({e.keys, e.suppressed});
        return out;
    };
    return determined_entries(dims, slots(t.cells), slots(t.margins), {t.total.keys, t.total.suppressed});
}

std::vector<std::vector<std::string>> determined_entries(const AggregateTable& t) {
    auto slots = [](const std::vector<AggregateCell>& v) {
        std::vector<Slot> out;
        for (const auto& c : v) out.push_back({c.keys, c.suppressed});
        return out;
    };
    return determined_entries(t.dimensions.size(), slots(t.cells), slots(t.margins), {t.total.keys, t.total.suppressed});
}

std::string joined(const std::vector<std::vector<std::string>>& keys) {
    std::string out;
    for (const auto& k : keys) {
        out += out.empty() ? "" : " ";
        for (std::size_t i = 0; i < k.size(); ++i) out += (i ? "|" : "") + k[i];
    }
    return out;
}

// Checks a suppressed table against its input, independently of the
// engine: counts and margins add up, nothing below k is published, and in
// every group (margin(d, v) and its cells; the margins of d and the total;
// all cells and the total) a published total leaves either no suppressed
// member or at least two that count at least k together, and a suppressed
// total has a suppressed member; and no combination of the published
// entries determines a hidden one (determined_entries).
void check(const ag::SuppressedTable& t, std::size_t dims, const std::vector<ag::Cell>& input, std::int64_t k) {
    std::map<std::vector<std::string>, std::int64_t> truth;
    for (const auto& c : input) {
        if (c.count > 0) truth[c.keys] += c.count;
    }
    ASSERT_EQ(t.cells.size(), truth.size());
    std::int64_t grand = 0, primary = 0, complementary = 0;
    auto tally = [&](const ag::Entry& e) {
        const bool small = e.count > 0 && e.count < k;
        EXPECT_EQ(e.primary, small);
        if (small) EXPECT_TRUE(e.suppressed) << "published below k";
        if (!e.suppressed) EXPECT_TRUE(e.count == 0 || e.count >= k);
        if (e.suppressed) ++(e.primary ? primary : complementary);
    };
    std::size_t i = 0;
    for (const auto& [keys, count] : truth) {  // sorted by keys, like the output
        EXPECT_EQ(t.cells[i].keys, keys);
        EXPECT_EQ(t.cells[i].count, count);
        tally(t.cells[i]);
        grand += count;
        ++i;
    }
    EXPECT_EQ(t.total.keys, std::vector<std::string>(dims, "*"));
    EXPECT_EQ(t.total.count, grand);
    tally(t.total);
    std::map<std::vector<std::string>, const ag::Entry*> margin;
    for (const auto& m : t.margins) {
        EXPECT_EQ(std::count(m.keys.begin(), m.keys.end(), "*"), static_cast<long>(dims) - 1);
        margin[m.keys] = &m;
        tally(m);
    }
    EXPECT_EQ(t.primary, primary);
    EXPECT_EQ(t.complementary, complementary);

    auto check_group = [&](const ag::Entry& total, const std::vector<const ag::Entry*>& members, const std::string& what) {
        std::int64_t sum = 0, hidden = 0, hidden_sum = 0;
        for (const auto* m : members) {
            sum += m->count;
            if (m->suppressed) {
                ++hidden;
                hidden_sum += m->count;
            }
        }
        EXPECT_EQ(sum, total.count) << what;
        if (!total.suppressed) {
            EXPECT_TRUE(hidden == 0 || (hidden >= 2 && hidden_sum >= k))
                << what << ": " << hidden << " hidden members counting " << hidden_sum << " under a published total";
            // A reader who knows which are primary bounds them by [1, k-1]
            // (others by [1, hidden_sum]); no hidden member may be pinned.
            for (const auto* m : members) {
                if (!m->suppressed || (m->primary && k - 1 <= 1)) continue;
                std::int64_t others_lo = 0, others_hi = 0;
                for (const auto* o : members) {
                    if (o == m || !o->suppressed) continue;
                    others_lo += 1;
                    others_hi += o->primary ? k - 1 : hidden_sum;
                }
                const std::int64_t own_hi = m->primary ? k - 1 : hidden_sum;
                const std::int64_t lo = std::max<std::int64_t>(1, hidden_sum - others_hi);
                const std::int64_t hi = std::min(own_hi, hidden_sum - others_lo);
                EXPECT_LT(lo, hi) << what << ": a hidden member is pinned to " << lo;
            }
        } else if (!members.empty()) {
            EXPECT_GT(hidden, 0) << what << ": a suppressed total is the sum of its published members";
        }
    };
    std::size_t margins_seen = 0;
    for (std::size_t d = 0; d < dims; ++d) {
        std::set<std::string> values;
        for (const auto& c : t.cells) values.insert(c.keys[d]);
        std::vector<const ag::Entry*> of_d;
        for (const auto& v : values) {
            auto it = margin.find(keys_with(dims, d, v));
            ASSERT_NE(it, margin.end()) << "no margin for a value";
            of_d.push_back(it->second);
            std::vector<const ag::Entry*> cells;
            for (const auto& c : t.cells) {
                if (c.keys[d] == v) cells.push_back(&c);
            }
            check_group(*it->second, cells, "margin " + std::to_string(d) + "=" + v);
        }
        margins_seen += of_d.size();
        check_group(t.total, of_d, "margins of dimension " + std::to_string(d));
    }
    EXPECT_EQ(margins_seen, t.margins.size());
    std::vector<const ag::Entry*> all;
    for (const auto& c : t.cells) all.push_back(&c);
    check_group(t.total, all, "all cells");
    // Nor may several published totals together determine a hidden entry.
    const auto solved = determined_entries(dims, t);
    EXPECT_TRUE(solved.empty()) << "determined by the published entries: " << joined(solved);
}

ag::Cell cell(std::vector<std::string> keys, std::int64_t count, std::int64_t sum = 0) {
    return ag::Cell{std::move(keys), count, sum};
}

const ag::Entry& find(const std::vector<ag::Entry>& v, const std::vector<std::string>& keys) {
    for (const auto& e : v) {
        if (e.keys == keys) return e;
    }
    throw std::runtime_error("no such entry");
}

}  // namespace

// ---- the engine ---------------------------------------------------------------------

TEST(Suppression, TwoByTwoTextbook) {
    // One small cell in a 2x2 table: its row, its column and the opposite
    // corner must go too, or subtraction from the margins recovers it.
    const std::vector<ag::Cell> in{cell({"A", "x"}, 3), cell({"A", "y"}, 10), cell({"B", "x"}, 8), cell({"B", "y"}, 9)};
    const auto t = ag::suppress(2, in, 5);
    check(t, 2, in, 5);
    for (const auto& c : t.cells) EXPECT_TRUE(c.suppressed);
    EXPECT_TRUE(find(t.cells, {"A", "x"}).primary);
    EXPECT_EQ(t.primary, 1);
    EXPECT_EQ(t.complementary, 3);
    for (const auto& m : t.margins) EXPECT_FALSE(m.suppressed);  // 13, 17, 11, 19
    EXPECT_FALSE(t.total.suppressed);
    EXPECT_EQ(t.total.count, 30);
}

TEST(Suppression, TheSmallestPublishedMemberGoesFirst) {
    // Row r1: a=2 is primary; c=6 (smaller than b=7) is suppressed with it.
    const std::vector<ag::Cell> in{cell({"r1", "a"}, 2), cell({"r1", "b"}, 7), cell({"r1", "c"}, 6),
                                   cell({"r2", "a"}, 9), cell({"r2", "b"}, 9), cell({"r2", "c"}, 9)};
    const auto t = ag::suppress(2, in, 5);
    check(t, 2, in, 5);
    EXPECT_FALSE(find(t.cells, {"r1", "b"}).suppressed);
    EXPECT_TRUE(find(t.cells, {"r1", "c"}).suppressed);
    EXPECT_TRUE(find(t.cells, {"r2", "a"}).suppressed);
    EXPECT_TRUE(find(t.cells, {"r2", "c"}).suppressed);
    EXPECT_FALSE(find(t.cells, {"r2", "b"}).suppressed);
    EXPECT_EQ(t.primary, 1);
    EXPECT_EQ(t.complementary, 3);
    // Ties go to the first in key order: a row of equal cells.
    const std::vector<ag::Cell> tie{cell({"r", "a"}, 1), cell({"r", "b"}, 8), cell({"r", "c"}, 8),
                                    cell({"s", "a"}, 8), cell({"s", "b"}, 8), cell({"s", "c"}, 8)};
    const auto u = ag::suppress(2, tie, 5);
    check(u, 2, tie, 5);
    EXPECT_TRUE(find(u.cells, {"r", "b"}).suppressed);
    EXPECT_FALSE(find(u.cells, {"r", "c"}).suppressed);
}

// Two primary cells hiding 2k-2 together are pinned at k-1 each by the
// total, although they count at least k together: a third is hidden.
TEST(Suppression, ATotalThatPinsTheHiddenCellsHidesAnother) {
    const std::vector<ag::Cell> in = {cell({"a"}, 4), cell({"b"}, 4), cell({"c"}, 10), cell({"d"}, 12)};
    const auto t = ag::suppress(1, in, 5);
    check(t, 1, in, 5);
    EXPECT_TRUE(find(t.cells, {"c"}).suppressed);
    EXPECT_FALSE(find(t.cells, {"d"}).suppressed);
    EXPECT_FALSE(t.total.suppressed);
}

// The reviewer's table (status x month): active 9/3/9 in Jan/Feb/Mar,
// cancelled 11 and closed 14 in Feb. Group by group, the heuristic leaves
// *|Feb = 28, active|* = 21 and *|* = 46 published, and 28 - (46 - 21) = 3
// is the hidden active|Feb. The audit hides active|* as well.
const std::vector<ag::Cell> kAcrossGroups{cell({"active", "01"}, 9), cell({"active", "02"}, 3),
                                          cell({"active", "03"}, 9), cell({"cancelled", "02"}, 11),
                                          cell({"closed", "02"}, 14)};

TEST(Suppression, NoHiddenEntryIsSolvedAcrossGroups) {
    const auto t = ag::suppress(2, kAcrossGroups, 5);
    check(t, 2, kAcrossGroups, 5);
    EXPECT_TRUE(find(t.cells, {"active", "02"}).suppressed);
    EXPECT_TRUE(find(t.margins, {"active", "*"}).suppressed);  // the audit's
    EXPECT_FALSE(find(t.margins, {"*", "02"}).suppressed);
    EXPECT_FALSE(t.total.suppressed);
    EXPECT_EQ(t.primary, 1);
    EXPECT_EQ(t.complementary, 9);  // 8 by the groups, 1 by the audit
    // Determinism: the same table in another input order.
    std::vector<ag::Cell> reversed(kAcrossGroups.rbegin(), kAcrossGroups.rend());
    const auto u = ag::suppress(2, reversed, 5);
    for (std::size_t i = 0; i < t.margins.size(); ++i) EXPECT_EQ(u.margins[i].suppressed, t.margins[i].suppressed);
    for (std::size_t i = 0; i < t.cells.size(); ++i) EXPECT_EQ(u.cells[i].suppressed, t.cells[i].suppressed);
}

TEST(Suppression, TheCheckersAuditFindsTheAttack) {
    // The pattern the group rules alone leave on the reviewer's table: the
    // checker must solve active|02 (and nothing else) from it.
    auto s = [](std::vector<std::string> keys, bool hidden) { return Slot{std::move(keys), hidden}; };
    const std::vector<Slot> cells{s({"active", "01"}, true), s({"active", "02"}, true), s({"active", "03"}, true),
                                  s({"cancelled", "02"}, true), s({"closed", "02"}, true)};
    const std::vector<Slot> margins{s({"active", "*"}, false), s({"cancelled", "*"}, true),
                                    s({"closed", "*"}, true),  s({"*", "01"}, true),
                                    s({"*", "02"}, false),     s({"*", "03"}, true)};
    const auto solved = determined_entries(2, cells, margins, s({"*", "*"}, false));
    EXPECT_EQ(solved, (std::vector<std::vector<std::string>>{{"active", "02"}}));
    // A lone hidden cell in a published row is solved by that row alone.
    const auto lone = determined_entries(1, {s({"a"}, true), s({"b"}, false)}, {s({"a"}, true), s({"b"}, false)},
                                         s({"*"}, false));
    EXPECT_EQ(lone.size(), 2u);  // the cell and its (one-cell) margin
}

TEST(Suppression, EverythingBelowK) {
    const std::vector<ag::Cell> in{cell({"A", "x"}, 1), cell({"B", "y"}, 2), cell({"A", "y"}, 1)};
    const auto t = ag::suppress(2, in, 5);
    check(t, 2, in, 5);
    for (const auto& c : t.cells) EXPECT_TRUE(c.suppressed && c.primary);
    for (const auto& m : t.margins) EXPECT_TRUE(m.suppressed && m.primary);
    EXPECT_TRUE(t.total.suppressed);
    EXPECT_TRUE(t.total.primary);
    EXPECT_EQ(t.primary, 3 + 4 + 1);
    EXPECT_EQ(t.complementary, 0);
}

TEST(Suppression, SingleMemberGroupsAndAHiddenTotal) {
    // "B" has one cell: hiding it for column y's sake hides the B margin too.
    const std::vector<ag::Cell> in{cell({"A", "x"}, 9), cell({"A", "y"}, 3), cell({"B", "y"}, 6)};
    const auto t = ag::suppress(2, in, 5);
    check(t, 2, in, 5);
    EXPECT_TRUE(find(t.cells, {"B", "y"}).suppressed);
    EXPECT_TRUE(find(t.margins, {"B", "*"}).suppressed);
    EXPECT_FALSE(find(t.margins, {"B", "*"}).primary);
    // An empty table: a published total of zero and nothing else.
    const auto e = ag::suppress(3, {}, 5);
    EXPECT_TRUE(e.cells.empty());
    EXPECT_TRUE(e.margins.empty());
    EXPECT_FALSE(e.total.suppressed);
    EXPECT_EQ(e.total.count, 0);
}

TEST(Suppression, MergesDropsEmptyAndRefusesBadInput) {
    const auto t = ag::suppress(2, {cell({"A", "x"}, 3, 30), cell({"A", "x"}, 4, 40), cell({"B", "x"}, 0)}, 5);
    ASSERT_EQ(t.cells.size(), 1u);
    EXPECT_EQ(t.cells[0].count, 7);
    EXPECT_EQ(t.cells[0].sum, 70);
    EXPECT_CV_ERROR(ag::suppress(2, {cell({"A"}, 1)}, 5), Errc::invalid_argument);
    EXPECT_CV_ERROR(ag::suppress(2, {cell({"A", "*"}, 1)}, 5), Errc::invalid_argument);
    EXPECT_CV_ERROR(ag::suppress(2, {cell({"A", "x"}, -1)}, 5), Errc::invalid_argument);
    EXPECT_CV_ERROR(ag::suppress(2, {cell({"A", "x"}, 1)}, 0), Errc::invalid_argument);
}

TEST(Suppression, RandomTablesSatisfyEveryGroup) {
    std::int64_t suppressed = 0, complementary = 0;
    for (unsigned seed = 1; seed <= 200; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        std::mt19937 rng(seed);
        const std::size_t dims = 1 + rng() % 3;
        const std::int64_t k = 2 + static_cast<std::int64_t>(rng() % 9);
        std::vector<std::size_t> sizes(dims);
        for (auto& s : sizes) s = 1 + rng() % 6;
        // Sparse, mostly small counts, with some large ones.
        std::vector<ag::Cell> in;
        std::vector<std::size_t> at(dims, 0);
        for (;;) {
            if (rng() % 4 != 0) {
                ag::Cell c;
                for (std::size_t d = 0; d < dims; ++d) c.keys.push_back(std::string(1, static_cast<char>('a' + d)) + std::to_string(at[d]));
                c.count = rng() % 5 == 0 ? static_cast<std::int64_t>(rng() % 200) : static_cast<std::int64_t>(rng() % (2 * k));
                c.sum = c.count * 100;
                in.push_back(c);
            }
            std::size_t d = 0;
            while (d < dims && ++at[d] == sizes[d]) at[d++] = 0;
            if (d == dims) break;
        }
        const auto t = ag::suppress(dims, in, k);
        check(t, dims, in, k);
        if (::testing::Test::HasFailure()) break;
        suppressed += t.primary + t.complementary;
        complementary += t.complementary;
    }
    EXPECT_GT(complementary, 0);  // the tables exercised the complementary rule
    EXPECT_GT(suppressed, complementary);
}

// ---- through the vault --------------------------------------------------------------

namespace {

std::string policy_with_k(std::int64_t k) {
    auto doc = nlohmann::json::parse(policy_text("case-parallels.json"));
    if (k > 0) doc["aggregates"] = {{"min_count", k}};
    return doc.dump();
}

struct World {
    TempDir dir;
    ManualClock clock;
    Vault vault;
    std::int64_t t0 = clock.now;  // 2026-01-01
    std::vector<std::string> ids;  // every account, case and payment id made

    explicit World(std::int64_t k = 3) : vault(open(dir, clock)) {
        if (k >= 0) vault.policy().publish(policy_with_k(k));
    }
    static Vault open(TempDir& d, ManualClock& c) {
        return Vault::open(d.path("a.db"), clocked_key_options(c));
    }
    std::string person() {
        const std::string n = std::to_string(ids.size());
        const std::string id =
            vault.accounts().create({"Person " + n, std::string("p" + n + "@example.com"), {}, {}, {}}).id;
        ids.push_back(id);
        return id;
    }
    std::string open_case(const std::string& subject, const std::string& form) {
        const std::string id = vault.cases().open(subject, subject, {std::nullopt, form, std::nullopt}).id;
        ids.push_back(id);
        return id;
    }
    std::string pay(const std::string& subject, const std::string& currency, const std::string& state,
                    std::int64_t amount) {
        PaymentFields p;
        p.subject = subject;
        p.amount_minor = amount;
        p.currency = currency;
        p.card_brand = "visa";
        p.last4 = "4242";
        p.billing_state = state;
        const std::string id = vault.billing().record(subject, p).id;
        ids.push_back(id);
        return id;
    }
    // Jan: 8 accounts, cases 6 x I-485 and 2 x I-130, payments USD NY 5 x 1000,
    // CA 1 x 500, no state 4 x 250, EUR 1. Feb: 4 accounts, 4 I-485 (3 received).
    void populate() {
        std::vector<std::string> jan, feb;
        for (int i = 0; i < 8; ++i) jan.push_back(person());
        for (int i = 0; i < 6; ++i) open_case(jan[i], "I-485");
        for (int i = 6; i < 8; ++i) open_case(jan[i], "i-130");
        for (int i = 0; i < 5; ++i) pay(jan[i], "USD", "ny", 1000);
        pay(jan[5], "USD", "CA", 500);
        for (int i = 0; i < 4; ++i) pay(jan[i], "usd", "", 250);
        pay(jan[7], "EUR", "", 700);
        clock.now = t0 + 40 * kDay;  // 2026-02-10
        for (int i = 0; i < 4; ++i) feb.push_back(person());
        for (int i = 0; i < 4; ++i) {
            const std::string c = open_case(feb[i], "I-485");
            if (i < 3) vault.cases().add_status(feb[i], c, {"received", clock.now, "uscis", std::nullopt});
        }
    }
};

const AggregateCell& cell_of(const AggregateTable& t, const std::vector<std::string>& keys) {
    for (const auto* v : {&t.cells, &t.margins}) {
        for (const auto& c : *v) {
            if (c.keys == keys) return c;
        }
    }
    if (t.total.keys == keys) return t.total;
    throw std::runtime_error("no such cell");
}

std::string serialise(const std::vector<AggregateTable>& tables) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : tables) {
        nlohmann::json cells = nlohmann::json::array();
        auto add = [&](const AggregateCell& c) {
            cells.push_back({{"keys", c.keys},
                             {"count", c.count ? nlohmann::json(*c.count) : nlohmann::json()},
                             {"total_minor", c.total_minor ? nlohmann::json(*c.total_minor) : nlohmann::json()},
                             {"suppressed", c.suppressed}});
        };
        for (const auto& c : t.cells) add(c);
        for (const auto& c : t.margins) add(c);
        add(t.total);
        out.push_back({{"name", t.name}, {"dimensions", t.dimensions}, {"currency", t.currency}, {"cells", cells}});
    }
    return out.dump();
}

// Every published value is >= k; a suppressed one shows nothing.
void expect_nothing_small(const AggregateTable& t) {
    auto one = [&](const AggregateCell& c) {
        if (c.suppressed) {
            EXPECT_FALSE(c.count.has_value());
            EXPECT_FALSE(c.total_minor.has_value());
        } else {
            ASSERT_TRUE(c.count.has_value());
            EXPECT_TRUE(*c.count == 0 || *c.count >= t.min_count);
        }
    };
    for (const auto& c : t.cells) one(c);
    for (const auto& c : t.margins) one(c);
    one(t.total);
}

}  // namespace

TEST(Aggregates, CasesAccountsAndBillingThroughTheVault) {
    World w(3);
    w.populate();
    Aggregates agg = w.vault.aggregates();

    const AggregateTable cases = agg.cases();
    EXPECT_EQ(cases.name, "cases");
    EXPECT_EQ(cases.dimensions, (std::vector<std::string>{"form_type", "status", "month"}));
    EXPECT_EQ(cases.min_count, 3);
    expect_nothing_small(cases);
    ASSERT_EQ(cases.cells.size(), 4u);
    EXPECT_EQ(cases.cells[0].keys, (std::vector<std::string>{"I-130", "none", "2026-01"}));  // sorted by keys
    EXPECT_EQ(cases.cells[3].keys, (std::vector<std::string>{"I-485", "received", "2026-02"}));
    // Two cells below k (I-130 in January: 2; I-485 without status in
    // February: 1) take the whole small table with them: every cell, the
    // form and status margins. The month margins and the total stay.
    for (const auto& c : cases.cells) EXPECT_TRUE(c.suppressed);
    EXPECT_TRUE(cell_of(cases, {"I-130", "*", "*"}).suppressed);   // 2: primary
    EXPECT_TRUE(cell_of(cases, {"I-485", "*", "*"}).suppressed);   // 10: else I-130 = total - 10
    EXPECT_TRUE(cell_of(cases, {"*", "received", "*"}).suppressed);  // 3: its one cell is hidden
    EXPECT_TRUE(cell_of(cases, {"*", "none", "*"}).suppressed);
    EXPECT_EQ(cell_of(cases, {"*", "*", "2026-01"}).count, 8);
    EXPECT_EQ(cell_of(cases, {"*", "*", "2026-02"}).count, 4);
    EXPECT_EQ(cases.total.count, 12);
    EXPECT_EQ(cases.suppressed_primary, 3);        // two cells and the I-130 margin
    EXPECT_EQ(cases.suppressed_complementary, 5);  // two cells and three margins

    const AggregateTable accounts = agg.accounts();
    EXPECT_EQ(accounts.dimensions, (std::vector<std::string>{"status", "month"}));
    ASSERT_EQ(accounts.cells.size(), 2u);
    EXPECT_EQ(cell_of(accounts, {"active", "2026-01"}).count, 8);
    EXPECT_EQ(cell_of(accounts, {"active", "2026-02"}).count, 4);
    EXPECT_EQ(cell_of(accounts, {"active", "*"}).count, 12);
    EXPECT_EQ(accounts.total.count, 12);
    EXPECT_EQ(accounts.suppressed_primary + accounts.suppressed_complementary, 0);

    const auto billing = agg.billing();
    ASSERT_EQ(billing.size(), 2u);
    EXPECT_EQ(billing[0].currency, "EUR");  // one table per currency, by code
    EXPECT_TRUE(billing[0].total.suppressed);
    EXPECT_FALSE(billing[0].total.total_minor.has_value());
    const AggregateTable& usd = billing[1];
    EXPECT_EQ(usd.currency, "USD");
    EXPECT_EQ(usd.dimensions, (std::vector<std::string>{"month", "billing_state"}));
    expect_nothing_small(usd);
    EXPECT_EQ(cell_of(usd, {"2026-01", "NY"}).count, 5);
    EXPECT_EQ(cell_of(usd, {"2026-01", "NY"}).total_minor, 5000);
    EXPECT_TRUE(cell_of(usd, {"2026-01", "CA"}).suppressed);       // 1 < 3
    EXPECT_TRUE(cell_of(usd, {"2026-01", "unknown"}).suppressed);  // else CA = month - NY - unknown
    EXPECT_FALSE(cell_of(usd, {"2026-01", "unknown"}).total_minor.has_value());
    EXPECT_TRUE(cell_of(usd, {"*", "unknown"}).suppressed);  // its one cell is hidden
    EXPECT_EQ(cell_of(usd, {"2026-01", "*"}).count, 10);
    EXPECT_EQ(usd.total.count, 10);
    EXPECT_EQ(usd.total.total_minor, 5000 + 500 + 1000);
    EXPECT_EQ(usd.suppressed_primary, 2);  // the CA cell and the CA margin
    EXPECT_EQ(usd.suppressed_complementary, 2);

    // all(): the same tables in one snapshot.
    const auto every = agg.all();
    ASSERT_EQ(every.size(), 4u);
    EXPECT_EQ(serialise(every), serialise({cases, accounts, billing[0], billing[1]}));

    // A window: February only.
    AggregateOptions feb;
    feb.since = w.t0 + 31 * kDay;
    const AggregateTable later = agg.cases(feb);
    EXPECT_EQ(later.total.count, 4);
    EXPECT_EQ(later.cells.size(), 2u);
    EXPECT_EQ(agg.accounts(feb).total.count, 4);
    feb.until = feb.since;
    EXPECT_CV_ERROR(agg.cases(feb), Errc::invalid_argument);
    AggregateOptions january;
    january.until = w.t0 + 31 * kDay;
    EXPECT_EQ(agg.accounts(january).total.count, 8);
}

// Windows a second apart would count the records of that second alone when
// subtracted: only whole UTC months are accepted.
TEST(Aggregates, WindowsAreWholeMonths) {
    World w(3);
    w.populate();
    Aggregates agg = w.vault.aggregates();
    const std::int64_t feb = w.t0 + 31 * kDay, mar = w.t0 + 59 * kDay;  // 2026-02-01, 2026-03-01
    AggregateOptions o;
    o.since = feb;
    o.until = mar;
    EXPECT_EQ(agg.accounts(o).total.count, 4);
    o.since = 951868800;  // 2000-03-01
    EXPECT_EQ(agg.accounts(o).total.count, 12);
    for (const std::int64_t bad : {feb + 1, feb - 1, feb + kDay, feb - kDay, w.t0 + 40 * kDay, std::int64_t{951782400}}) {
        SCOPED_TRACE(bad);  // the last: 2000-02-29
        AggregateOptions since, until;
        since.since = bad;
        until.until = bad;
        EXPECT_CV_ERROR(agg.cases(since), Errc::invalid_argument);
        EXPECT_CV_ERROR(agg.all(until), Errc::invalid_argument);
        EXPECT_CV_ERROR(agg.billing(until), Errc::invalid_argument);
    }
    o.since = feb;
    o.until = mar + 1;
    EXPECT_CV_ERROR(agg.accounts(o), Errc::invalid_argument);
    EXPECT_EQ(w.vault.audit().read({std::nullopt, std::nullopt, std::string("aggregates.report")}).size(), 2u);
}

// The reviewer's attack through the Vault: accounts by status and month.
TEST(Aggregates, PublishedTotalsDoNotSolveAHiddenCount) {
    World w(5);
    auto make = [&](int n, AccountStatus status) {
        for (int i = 0; i < n; ++i) {
            const std::string id = w.person();
            if (status != AccountStatus::active) w.vault.accounts().set_status(id, status);
        }
    };
    make(9, AccountStatus::active);
    w.clock.now = w.t0 + 40 * kDay;  // February
    make(3, AccountStatus::active);
    make(11, AccountStatus::cancelled);
    make(14, AccountStatus::closed);
    w.clock.now = w.t0 + 70 * kDay;  // March
    make(9, AccountStatus::active);
    const AggregateTable t = w.vault.aggregates().accounts();
    expect_nothing_small(t);
    EXPECT_EQ(t.total.count, 46);
    EXPECT_TRUE(cell_of(t, {"active", "2026-02"}).suppressed);
    // 28 - (46 - 21) no longer works: one of the three is hidden.
    EXPECT_TRUE(cell_of(t, {"*", "2026-02"}).suppressed || cell_of(t, {"active", "*"}).suppressed ||
                t.total.suppressed);
    const auto solved = determined_entries(t);
    EXPECT_TRUE(solved.empty()) << joined(solved);
    EXPECT_EQ(t.suppressed_primary, 1);
    EXPECT_EQ(t.suppressed_complementary, 9);
}

TEST(Aggregates, NoSubjectIdInTheOutput) {
    World w(2);
    w.populate();
    const std::string out = serialise(w.vault.aggregates().all());
    ASSERT_GT(w.ids.size(), 20u);
    for (const auto& id : w.ids) EXPECT_EQ(out.find(id), std::string::npos) << id;
    EXPECT_EQ(out.find("acc_"), std::string::npos);
    EXPECT_EQ(out.find("cas_"), std::string::npos);
    EXPECT_EQ(out.find("pay_"), std::string::npos);
    EXPECT_EQ(out.find("Person"), std::string::npos);
    EXPECT_EQ(out.find("example.com"), std::string::npos);
}

TEST(Aggregates, KFromThePolicyRaisedByOptions) {
    {
        World w(-1);  // no policy yet: the default
        EXPECT_EQ(w.vault.aggregates().cases().min_count, 5);
        AggregateOptions o;
        o.purpose = "aggregate_analytics";  // no policy, no purposes
        EXPECT_CV_ERROR(w.vault.aggregates().cases(o), Errc::invalid_argument);
    }
    {
        World w(0);  // a policy without an aggregates section
        EXPECT_EQ(w.vault.aggregates().accounts().min_count, 5);
    }
    World w(3);
    w.populate();
    Aggregates agg = w.vault.aggregates();
    EXPECT_EQ(agg.cases().min_count, 3);
    EXPECT_EQ(cell_of(agg.accounts(), {"active", "2026-02"}).count, 4);
    AggregateOptions o;
    o.min_count = 7;
    const AggregateTable raised = agg.accounts(o);
    EXPECT_EQ(raised.min_count, 7);
    expect_nothing_small(raised);
    EXPECT_TRUE(cell_of(raised, {"active", "2026-02"}).suppressed);  // 4 < 7
    EXPECT_TRUE(cell_of(raised, {"active", "2026-01"}).suppressed);  // 8, else 12 - 8
    EXPECT_EQ(raised.total.count, 12);
    for (const auto& t : agg.billing(o)) EXPECT_EQ(t.min_count, 7);
    o.min_count = 2;  // below the policy's
    EXPECT_CV_ERROR(agg.cases(o), Errc::invalid_argument);
    o.min_count = -1;
    EXPECT_CV_ERROR(agg.accounts(o), Errc::invalid_argument);
    o.min_count = 3;  // equal: allowed
    EXPECT_EQ(agg.accounts(o).min_count, 3);
}

TEST(Aggregates, PurposesAndTheAudit) {
    World w(3);
    w.populate();
    Aggregates agg = w.vault.aggregates();
    AggregateOptions o;
    o.purpose = "billing";  // identified data: refused, named
    try {
        agg.all(o);
        FAIL() << "an identified purpose was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("billing"), std::string::npos) << e.what();
    }
    o.purpose = "no_such_purpose";  // caller text: refused, not echoed
    try {
        agg.cases(o);
        FAIL() << "an unknown purpose was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_EQ(std::string(e.what()).find("no_such_purpose"), std::string::npos) << e.what();
    }
    const auto before = w.vault.audit().read({std::nullopt, std::nullopt, std::string("aggregates.report")});
    EXPECT_TRUE(before.empty());  // refusals read nothing

    o.purpose = "aggregate_analytics";
    agg.cases(o);
    o.purpose = "deidentified_analytics";
    agg.all(o);
    o.purpose = "";
    agg.billing(o);
    const auto entries = w.vault.audit().read({std::nullopt, std::nullopt, std::string("aggregates.report")});
    ASSERT_EQ(entries.size(), 3u);  // one per call, all() included
    EXPECT_EQ(entries[0].target, "cases");
    EXPECT_EQ(entries[0].reason, "aggregate_analytics");
    EXPECT_EQ(entries[1].target, "cases,accounts,billing");
    EXPECT_EQ(entries[1].reason, "deidentified_analytics");
    EXPECT_EQ(entries[2].target, "billing");
    EXPECT_EQ(entries[2].reason, "");
    for (const auto& e : entries) {
        EXPECT_EQ(e.subject, "");
        EXPECT_EQ(e.outcome, "ok");
    }
    EXPECT_TRUE(w.vault.audit().verify().ok);
}

TEST(Aggregates, ErasedAndMinimisedRecordsStayCountedWithoutTheirSubject) {
    // k = 3: at k = 2 every primary cell is known to be exactly 1, so the
    // cells hidden beside it would be pinned and the totals go too.
    World w(3);
    w.populate();
    // Erase a January subject directly (the engine's own path is tested in
    // test_retention): the account row stays as "erased", its payments go
    // unless minimised.
    const std::string a = w.ids.front();
    VaultCore* core = w.vault.core();
    core->run([&](accounts::Context& ctx) {
        core->billing().minimize(a, {"amount", "currency", "paid_at"}, ctx.now);
        core->accounts().erase(ctx, a, store::PostsOnErasure::remove);
    });
    const AggregateTable accounts = w.vault.aggregates().accounts();
    EXPECT_EQ(cell_of(accounts, {"erased", "2026-01"}).suppressed, true);  // 1 < 3
    EXPECT_EQ(accounts.total.count, 12);
    const auto billing = w.vault.aggregates().billing();
    const AggregateTable& usd = billing.at(1);
    EXPECT_EQ(usd.total.count, 10);  // the minimised payments kept currency and time
    EXPECT_EQ(usd.total.total_minor, 6500);
}

// ---- billing fields -----------------------------------------------------------------

namespace {

struct Payer {
    TempDir dir;
    ManualClock clock;
    Vault vault;
    std::string owner, other, support;

    Payer() : vault(World::open(dir, clock)) {
        vault.policy().publish(policy_with_k(0));
        owner = vault.accounts().create({"Olga Owner", std::string("olga@example.com"), {}, {}, {}}).id;
        other = vault.accounts().create({"Otto Other", std::string("otto@example.com"), {}, {}, {}}).id;
        support = vault.principals().add(Role::support).id;
    }
    PaymentFields pay(const std::string& subject) const {
        PaymentFields p;
        p.subject = subject;
        p.amount_minor = 4900;
        p.currency = "USD";
        p.card_brand = "visa";
        p.last4 = "1111";
        p.billing_address = "1 Main St, Albany";
        p.billing_state = " ny ";
        p.tax_exemption = "EXEMPT-CANARY-7731";
        return p;
    }
};

}  // namespace

TEST(BillingFields, StateAndTaxExemptionRoundTripSealed) {
    Payer w;
    const Payment p = w.vault.billing().record(w.owner, w.pay(w.owner));
    EXPECT_EQ(p.billing_state, "NY");
    EXPECT_EQ(p.tax_exemption.value_or(""), "EXEMPT-CANARY-7731");
    const Payment g = w.vault.billing().get(w.support, p.id);
    EXPECT_EQ(g.billing_state, "NY");
    EXPECT_EQ(g.tax_exemption.value_or(""), "EXEMPT-CANARY-7731");
    EXPECT_EQ(w.vault.billing().list(w.owner, w.owner).at(0).tax_exemption.value_or(""), "EXEMPT-CANARY-7731");
    // The state is in the clear (the aggregates group by it), the exemption sealed.
    auto raw = raw_sql(w.dir.path("a.db"));
    EXPECT_EQ(raw->db().query_text("SELECT billing_state FROM payments", "test").value_or(""), "NY");
    raw.reset();
    PaymentFields none = w.pay(w.owner);
    none.billing_state = "";
    none.tax_exemption = std::string("  ");
    const Payment n = w.vault.billing().record(w.owner, none);
    EXPECT_EQ(n.billing_state, "");
    EXPECT_FALSE(n.tax_exemption.has_value());
    w.vault.close();
    EXPECT_EQ(canaries_in_files(w.dir.path("a.db"), {"EXEMPT-CANARY-7731"}), std::vector<std::string>{});
}

TEST(BillingFields, StatesAreTheUSList) {
    Payer w;
    for (const char* ok : {"AL", "wy", "DC", "pr", "GU", "VI", "AS", "MP", "AA", "AE", "AP", "Ca"}) {
        PaymentFields f = w.pay(w.owner);
        f.billing_state = ok;
        std::string upper = ok;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        EXPECT_EQ(w.vault.billing().record(w.owner, f).billing_state, upper) << ok;
    }
    for (const char* bad : {"XX", "New York", "N", "NYC", "UM", "ON", "1A", "N Y"}) {
        PaymentFields f = w.pay(w.owner);
        f.billing_state = bad;
        EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    }
}

TEST(BillingFields, TaxExemptionIsCheckedLikeOtherFreeText) {
    Payer w;
    PaymentFields f = w.pay(w.owner);
    f.tax_exemption = "cert 4111 1111 1111 1111";
    try {
        w.vault.billing().record(w.owner, f);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("tax_exemption"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("4111"), std::string::npos) << e.what();
    }
    f.tax_exemption = std::string(201, 'x');
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    f.tax_exemption = std::string(200, 'x');
    EXPECT_NO_THROW(w.vault.billing().record(w.owner, f));
    f.tax_exemption = "line\nbreak";
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    f = w.pay(w.owner);
    f.billing_state = "4111111111111111";
    EXPECT_CV_ERROR(w.vault.billing().record(w.owner, f), Errc::invalid_argument);
    EXPECT_EQ(w.vault.billing().list(w.owner, w.owner).size(), 1u);
}

TEST(BillingFields, MinimiseKeepsOrClearsThem) {
    Payer w;
    const std::string kept = w.vault.billing().record(w.owner, w.pay(w.owner)).id;
    const std::string state_only = w.vault.billing().record(w.other, w.pay(w.other)).id;
    VaultCore* core = w.vault.core();
    core->run([&](accounts::Context& ctx) {
        core->billing().minimize(w.owner, {"amount", "tax_exemption"}, ctx.now);
        core->billing().minimize(w.other, {"amount", "billing_state"}, ctx.now);
        // The subjects' keys go: the kept fields must not need them.
        core->accounts().erase(ctx, w.owner, store::PostsOnErasure::remove);
        core->accounts().erase(ctx, w.other, store::PostsOnErasure::remove);
    });
    const Payment a = w.vault.billing().get(w.support, kept);
    EXPECT_EQ(a.tax_exemption.value_or(""), "EXEMPT-CANARY-7731");  // resealed under the retention key
    EXPECT_EQ(a.billing_state, "");
    EXPECT_FALSE(a.billing_address.has_value());
    EXPECT_EQ(a.amount_minor, 4900);
    const Payment b = w.vault.billing().get(w.support, state_only);
    EXPECT_EQ(b.billing_state, "NY");
    EXPECT_FALSE(b.tax_exemption.has_value());
    w.vault.close();
    // Only the retention-key copy of the kept exemption remains (sealed).
    EXPECT_EQ(canaries_in_files(w.dir.path("a.db"), {"EXEMPT-CANARY-7731", "Albany"}), std::vector<std::string>{});
}

TEST(BillingFields, TheErasureSweepKeepsTheExemptionAndDropsTheState) {
    // Case Parallels' deletion_request rule minimises billing, keeping
    // amount, currency, paid_at, last4, billing_address and tax_exemption.
    Payer w;
    const std::string id = w.vault.billing().record(w.owner, w.pay(w.owner)).id;
    w.vault.requests().erase(w.owner, Channel::email);
    EXPECT_EQ(w.vault.retention().sweep().subjects, 1);
    EXPECT_EQ(w.vault.accounts().get(w.owner).status, AccountStatus::erased);
    const Payment p = w.vault.billing().get(w.support, id);
    EXPECT_EQ(p.tax_exemption.value_or(""), "EXEMPT-CANARY-7731");
    EXPECT_EQ(p.billing_address.value_or(""), "1 Main St, Albany");
    EXPECT_EQ(p.billing_state, "");
    // Still counted, now in the "unknown" state.
    AggregateOptions k1;
    k1.min_count = 5;
    const auto billing = w.vault.aggregates().billing(k1);
    ASSERT_EQ(billing.size(), 1u);
    EXPECT_EQ(billing[0].cells.at(0).keys, (std::vector<std::string>{"2026-01", "unknown"}));
    EXPECT_TRUE(billing[0].cells.at(0).suppressed);  // 1 < 5
}

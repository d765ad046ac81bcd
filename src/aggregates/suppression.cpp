#include "aggregates/suppression.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "common/error.hpp"

namespace casevault::aggregates {

const char* const kAll = "*";

namespace {

void add(std::int64_t& to, std::int64_t v) {
    if (__builtin_add_overflow(to, v, &to)) fail(Errc::internal, "an aggregate does not fit in 64 bits");
}

// The linear audit works modulo the prime p = 2^61 - 1, not over doubles:
// the equations have coefficients 0 and +-1, so elimination over the
// integers mod p is exact (no rounding, no tolerance to pick) and stays in
// 64 bits (products in 128). A dependence over the rationals survives the
// reduction mod p unless p divides a non-zero minor of the matrix met on
// the way, and a dependence that exists only mod p makes the engine hide
// one entry too many, never one too few that it noticed. Exact rationals
// would need big integers (minors of a 0/+-1 matrix grow past 64 bits)
// for no practical gain.
using Mod = std::uint64_t;
constexpr Mod kP = (Mod{1} << 61) - 1;

__extension__ typedef unsigned __int128 Wide;  // GCC/Clang; __extension__ keeps -Wpedantic quiet

Mod mod_mul(Mod a, Mod b) {
    const Wide x = static_cast<Wide>(a) * b;
    Mod r = static_cast<Mod>(x & kP) + static_cast<Mod>(x >> 61);  // 2^61 = 1 (mod p)
    return r >= kP ? r - kP : r;
}

Mod mod_sub(Mod a, Mod b) { return a >= b ? a - b : a + kP - b; }

Mod mod_inv(Mod a) {  // Fermat: a^(p-2)
    Mod r = 1;
    for (Mod e = kP - 2; e != 0; e >>= 1) {
        if (e & 1) r = mod_mul(r, a);
        a = mod_mul(a, a);
    }
    return r;
}

// A total and the entries that sum to it, with what the fixed point needs
// kept up to date as entries are hidden.
struct Group {
    std::size_t total = 0;
    std::vector<std::size_t> members;
    std::size_t hidden = 0;       // members suppressed
    std::int64_t hidden_sum = 0;  // their counts
    std::set<std::pair<std::int64_t, std::size_t>> shown;  // (count, entry) of published members
};

class Engine {
public:
    Engine(std::vector<Entry>& entries, std::vector<Group>& groups, std::int64_t k)
        : e_(entries), g_(groups), k_(k), of_(entries.size()) {
        for (std::size_t gi = 0; gi < g_.size(); ++gi) {
            of_[g_[gi].total].push_back(gi);
            for (std::size_t m : g_[gi].members) {
                of_[m].push_back(gi);
                g_[gi].shown.emplace(e_[m].count, m);
            }
        }
    }

    void run() {
        for (std::size_t i = 0; i < e_.size(); ++i) {
            if (e_[i].count > 0 && e_[i].count < k_) {
                e_[i].primary = true;
                hide(i);
            }
        }
        std::vector<std::size_t> every(g_.size());
        for (std::size_t gi = 0; gi < g_.size(); ++gi) every[gi] = gi;
        settle(every);
        // The groups are checked one by one; several published totals
        // together can still solve for a hidden entry. Break each such
        // dependence by hiding one more entry, then settle the groups again.
        for (std::size_t j = determined(); j != kNone; j = determined()) {
            const std::size_t n = breaker(j);
            hide(n);
            settle(of_[n]);
        }
    }

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    // The group heuristic to its fixed point, starting from these groups.
    void settle(const std::vector<std::size_t>& start) {
        std::deque<std::size_t> queue;
        std::vector<bool> queued(g_.size(), false);
        for (std::size_t gi : start) {
            if (!queued[gi]) {
                queued[gi] = true;
                queue.push_back(gi);
            }
        }
        while (!queue.empty()) {
            const std::size_t gi = queue.front();
            queue.pop_front();
            queued[gi] = false;
            const std::size_t n = next(g_[gi]);
            if (n == kNone) continue;
            hide(n);
            for (std::size_t other : of_[n]) {
                if (!queued[other]) {
                    queued[other] = true;
                    queue.push_back(other);
                }
            }
            if (!queued[gi]) {  // it may need more than one
                queued[gi] = true;
                queue.push_back(gi);
            }
        }
    }

    // A hidden entry that the published entries determine exactly through
    // the groups' equations (total - members = 0, published values known),
    // the first in entry order; or kNone. With the hidden entries as
    // unknowns, entry j is determined iff the unit vector e_j lies in the
    // row space of their coefficients: in reduced row echelon form, iff
    // some row is e_j.
    std::size_t determined() const {
        std::vector<std::size_t> hidden;               // column -> entry
        std::vector<std::size_t> col(e_.size(), kNone);  // entry -> column
        for (std::size_t i = 0; i < e_.size(); ++i) {
            if (!e_[i].suppressed) continue;
            col[i] = hidden.size();
            hidden.push_back(i);
        }
        if (hidden.empty()) return kNone;
        const std::size_t n = hidden.size();
        std::vector<std::vector<Mod>> rows;
        for (const Group& g : g_) {
            if (g.hidden == 0 && !e_[g.total].suppressed) continue;  // all known: 0 = 0
            std::vector<Mod> r(n, 0);
            if (col[g.total] != kNone) r[col[g.total]] = 1;
            for (std::size_t m : g.members) {
                if (col[m] != kNone) r[col[m]] = kP - 1;
            }
            rows.push_back(std::move(r));
        }
        // Gauss-Jordan, column by column.
        std::size_t rank = 0;
        std::vector<std::size_t> pivot_of;  // row -> its pivot column
        std::vector<std::size_t> nz;        // the pivot row's non-zero columns
        for (std::size_t c = 0; c < n && rank < rows.size(); ++c) {
            std::size_t p = rank;
            while (p < rows.size() && rows[p][c] == 0) ++p;
            if (p == rows.size()) continue;
            std::swap(rows[rank], rows[p]);
            std::vector<Mod>& piv = rows[rank];
            const Mod inv = mod_inv(piv[c]);
            nz.clear();
            for (std::size_t x = c; x < n; ++x) {
                if (piv[x] == 0) continue;
                piv[x] = mod_mul(piv[x], inv);
                nz.push_back(x);
            }
            for (std::size_t r = 0; r < rows.size(); ++r) {
                if (r == rank || rows[r][c] == 0) continue;
                const Mod f = rows[r][c];
                for (std::size_t x : nz) rows[r][x] = mod_sub(rows[r][x], mod_mul(f, piv[x]));
            }
            pivot_of.push_back(c);
            ++rank;
        }
        std::size_t first = kNone;
        for (std::size_t r = 0; r < rank; ++r) {
            const std::size_t c = pivot_of[r];
            bool unit = true;
            for (std::size_t x = c + 1; x < n && unit; ++x) unit = rows[r][x] == 0;  // left of c: 0 in RREF
            if (unit) first = std::min(first, hidden[c]);
        }
        return first;
    }

    // What to hide so that determined entry j no longer is: the smallest
    // published member (ties: the first in entry order) of a group holding
    // j; else the published total of the first such group; else, when
    // every entry of j's groups is hidden, the same search one group
    // further out (through hidden entries), which must meet a published
    // entry: hidden entries whose groups hold nothing published form
    // equations among themselves only, and those equations alone are also
    // those of an unsuppressed table, where no entry is determined.
    std::size_t breaker(std::size_t j) const {
        std::vector<bool> seen_group(g_.size(), false), seen_entry(e_.size(), false);
        std::vector<std::size_t> layer{j};
        seen_entry[j] = true;
        while (!layer.empty()) {
            std::pair<std::int64_t, std::size_t> best{0, kNone};
            std::size_t first_total = kNone;
            std::vector<std::size_t> groups;
            for (std::size_t i : layer) {
                for (std::size_t gi : of_[i]) {
                    if (seen_group[gi]) continue;
                    seen_group[gi] = true;
                    groups.push_back(gi);
                }
            }
            std::sort(groups.begin(), groups.end());
            for (std::size_t gi : groups) {
                const Group& g = g_[gi];
                if (!g.shown.empty() && (best.second == kNone || *g.shown.begin() < best)) best = *g.shown.begin();
                if (first_total == kNone && !e_[g.total].suppressed) first_total = g.total;
            }
            if (best.second != kNone) return best.second;
            if (first_total != kNone) return first_total;
            std::vector<std::size_t> outer;
            for (std::size_t gi : groups) {
                for (std::size_t i : g_[gi].members) {
                    if (!seen_entry[i]) {
                        seen_entry[i] = true;
                        outer.push_back(i);
                    }
                }
                if (!seen_entry[g_[gi].total]) {
                    seen_entry[g_[gi].total] = true;
                    outer.push_back(g_[gi].total);
                }
            }
            layer = std::move(outer);
        }
        fail(Errc::internal, "no entry left to hide for a determined aggregate");
    }

    // The entry this group needs hidden next, or kNone when it is safe.
    std::size_t next(const Group& g) const {
        if (g.members.empty()) return kNone;
        if (!e_[g.total].suppressed) {
            if (g.hidden == 0 || (g.hidden >= 2 && g.hidden_sum >= k_ && !pinned(g))) return kNone;
            return g.shown.empty() ? g.total : g.shown.begin()->second;
        }
        if (g.hidden > 0) return kNone;
        return g.shown.begin()->second;  // every member is shown: the smallest
    }

    // Whether the published total pins a hidden member to one value, for a
    // reader who knows which hidden entries are primary (the report counts
    // them) and so that those lie in [1, k-1]: e.g. k = 5 and two primary
    // cells hiding 8 together are 4 and 4. A primary cell that its bounds
    // alone pin (k = 2) is not the group's doing and is not counted.
    bool pinned(const Group& g) const {
        const std::int64_t none = std::numeric_limits<std::int64_t>::max();
        std::int64_t n = 0, ub_sum = 0, unbounded = 0;
        for (std::size_t m : g.members) {
            if (!e_[m].suppressed) continue;
            ++n;
            if (e_[m].primary) ub_sum += k_ - 1;
            else ++unbounded;
        }
        for (std::size_t m : g.members) {
            if (!e_[m].suppressed) continue;
            const std::int64_t ub = e_[m].primary ? k_ - 1 : none;
            if (ub <= 1) continue;
            const bool others_unbounded = unbounded - (e_[m].primary ? 0 : 1) > 0;
            const std::int64_t others_ub = e_[m].primary ? ub_sum - ub : ub_sum;
            const std::int64_t lo = others_unbounded ? 1 : std::max<std::int64_t>(1, g.hidden_sum - others_ub);
            const std::int64_t hi = std::min(ub, g.hidden_sum - (n - 1));
            if (lo == hi) return true;
        }
        return false;
    }

    void hide(std::size_t i) {
        if (e_[i].suppressed) return;
        e_[i].suppressed = true;
        for (std::size_t gi : of_[i]) {
            Group& g = g_[gi];
            if (g.total == i) continue;
            ++g.hidden;
            g.hidden_sum += e_[i].count;
            g.shown.erase({e_[i].count, i});
        }
    }

    std::vector<Entry>& e_;
    std::vector<Group>& g_;
    std::int64_t k_;
    std::vector<std::vector<std::size_t>> of_;  // entry -> the groups it is in (as member or total)
};

}  // namespace

SuppressedTable suppress(std::size_t dimensions, std::vector<Cell> cells, std::int64_t k) {
    if (k < 1) fail(Errc::invalid_argument, "the minimum count must be at least 1");
    for (const Cell& c : cells) {
        if (c.keys.size() != dimensions) fail(Errc::invalid_argument, "a cell needs one key per dimension");
        if (c.count < 0 || c.sum < 0) fail(Errc::invalid_argument, "counts and sums cannot be negative");
        for (const auto& key : c.keys) {
            if (key == kAll) fail(Errc::invalid_argument, "\"*\" is reserved for the margins");
        }
    }
    std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.keys < b.keys; });

    // Entries: the cells (merged, non-empty), then the margins, then the total.
    std::vector<Entry> entries;
    for (Cell& c : cells) {
        if (c.count == 0) continue;
        if (!entries.empty() && entries.back().keys == c.keys) {
            add(entries.back().count, c.count);
            add(entries.back().sum, c.sum);
        } else {
            entries.push_back(Entry{std::move(c.keys), c.count, c.sum, false, false});
        }
    }
    const std::size_t n_cells = entries.size();
    std::vector<Group> groups;
    Entry total{std::vector<std::string>(dimensions, kAll), 0, 0, false, false};
    for (std::size_t i = 0; i < n_cells; ++i) {
        add(total.count, entries[i].count);
        add(total.sum, entries[i].sum);
    }
    std::vector<std::vector<std::size_t>> margins_of(dimensions);  // per dimension, its margins
    for (std::size_t d = 0; d < dimensions; ++d) {
        std::map<std::string, std::vector<std::size_t>> by_value;
        for (std::size_t i = 0; i < n_cells; ++i) by_value[entries[i].keys[d]].push_back(i);
        for (auto& [value, members] : by_value) {
            Entry m{std::vector<std::string>(dimensions, kAll), 0, 0, false, false};
            m.keys[d] = value;
            for (std::size_t i : members) {
                add(m.count, entries[i].count);
                add(m.sum, entries[i].sum);
            }
            Group g;
            g.total = entries.size();
            g.members = std::move(members);
            groups.push_back(std::move(g));
            margins_of[d].push_back(entries.size());
            entries.push_back(std::move(m));
        }
    }
    const std::size_t total_index = entries.size();
    entries.push_back(std::move(total));
    for (std::size_t d = 0; d < dimensions; ++d) {
        Group g;
        g.total = total_index;
        g.members = margins_of[d];
        groups.push_back(std::move(g));
    }
    Group all;
    all.total = total_index;
    for (std::size_t i = 0; i < n_cells; ++i) all.members.push_back(i);
    groups.push_back(std::move(all));

    Engine(entries, groups, k).run();

    SuppressedTable out;
    for (const Entry& e : entries) {
        if (e.suppressed) ++(e.primary ? out.primary : out.complementary);
    }
    out.total = std::move(entries.back());
    entries.pop_back();
    out.margins.assign(std::make_move_iterator(entries.begin() + static_cast<std::ptrdiff_t>(n_cells)),
                       std::make_move_iterator(entries.end()));
    entries.resize(n_cells);
    out.cells = std::move(entries);
    return out;
}

}  // namespace casevault::aggregates

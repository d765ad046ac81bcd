#include "aggregates/suppression.hpp"

#include <algorithm>
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
        std::deque<std::size_t> queue;
        std::vector<bool> queued(g_.size(), true);
        for (std::size_t gi = 0; gi < g_.size(); ++gi) queue.push_back(gi);
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

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

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

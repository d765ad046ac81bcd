// Small-cell suppression of a contingency table: pure, no store, no policy.
//
// A table is a set of cells keyed by one value per dimension, each with a
// count (and, for billing, a sum). suppress() adds the margins (one per value
// of each dimension, the other keys "*") and the grand total (all "*"), then
// hides:
// - primary: every cell, margin or total with 0 < count < k;
// - complementary, first group by group: each total and the members summing
//   to it form a group: per dimension d and value v, the cells with
//   key[d] = v against margin(d, v); per dimension d, its margins against
//   the grand total; and all cells against the grand total. Until nothing
//   changes: in a group whose total is published, when exactly one member
//   is hidden, or the hidden members count fewer than k together, the
//   smallest published member is hidden too (ties: the first in key order),
//   or the total when no member is left; so it is when the total would pin
//   a hidden member to one value for a reader who knows the primary ones lie
//   in [1, k-1] (two primary cells hiding 2k-2 together); in a group whose
//   total is hidden and no member is, its smallest member is hidden (else
//   the total is the members' sum).
// - complementary, then across groups: several published totals together
//   can still solve for a hidden entry (a month margin, minus the grand
//   total, plus a status margin). A linear audit takes the hidden entries as
//   unknowns and every group's equation (total = sum of members, published
//   values substituted); while one of them is determined exactly, the
//   smallest published member of a group holding it (or that group's total
//   when no member is published) is hidden, the group rules run again to
//   their fixed point, and the audit repeats.
// At the end, in every group with a published total, the hidden members are
// none, or at least two that count at least k together and that the total
// does not pin (as above); and no hidden count or sum is determined by the
// published ones through any combination of the equations. Bounds beyond
// that (the range a hidden value is narrowed to by several equations and
// non-negativity, say by linear programming) are not audited.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace casevault::aggregates {

// The key of a summed dimension in margins and the total.
extern const char* const kAll;  // "*"

struct Cell {
    std::vector<std::string> keys;  // one per dimension
    std::int64_t count = 0;
    std::int64_t sum = 0;  // what the cell adds up besides its count (billing: amount), else 0
};

struct Entry {
    std::vector<std::string> keys;
    std::int64_t count = 0;
    std::int64_t sum = 0;
    bool suppressed = false;
    bool primary = false;  // hidden for its own count; else, when suppressed, to protect another
};

struct SuppressedTable {
    std::vector<Entry> cells;    // sorted by keys; equal keys merged, empty cells dropped
    std::vector<Entry> margins;  // dimension by dimension, each by value
    Entry total;
    std::int64_t primary = 0;        // entries hidden for their own count
    std::int64_t complementary = 0;  // entries hidden to protect others
};

// Throws Error(invalid_argument) when k < 1, a cell has not one key per
// dimension or a key "*", or a count or sum is negative.
SuppressedTable suppress(std::size_t dimensions, std::vector<Cell> cells, std::int64_t k);

}  // namespace casevault::aggregates

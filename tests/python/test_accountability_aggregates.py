"""De-identified aggregates through the Python package (vault.aggregates),
under the Case Parallels policy (k = aggregates.min_count, default 5).

The store is filled with a known set of accounts, cases and payments over
three months, some of them in cells below k. The tests check the published
tables against that ground truth: every published count is exact and at
least k, every suppressed one shows nothing, and no suppressed value can be
recovered from a published total (in any group of a total and its members,
never exactly one member is suppressed, the suppressed members together hold
at least k records, and a suppressed total always has a suppressed member).
"""

import calendar
import collections
import time

import pytest

import casevault
from conftest import open_store
from policy_docs import DAY, T0, FakeClock, load_example

K = 5
M1, M2, M3 = T0, T0 + 20 * DAY, T0 + 55 * DAY        # 2023-11, 2023-12, 2024-01
NOW = T0 + 60 * DAY

# (opened at, form type, latest status or None)
CASES = (
    [(M1, "I-130", "approved")] * 3 + [(M1, "I-130", None)] * 2 + [(M1, "I-485", "received")] * 3
    + [(M2, "I-130", "received")] * 3 + [(M2, "I-485", "received")] * 3 + [(M2, "I-765", None)]
    + [(M3, "N-400", None)] * 3
)
# (paid at, currency, billing state or None, amount)
PAYMENTS = (
    [(M1, "USD", "NY", 1000)] * 6 + [(M1, "USD", "CA", 2500)] * 2 + [(M2, "USD", "NY", 1200)] * 5
    + [(M2, "USD", None, 700)] + [(M2, "EUR", None, 900)] * 2
)


def month(t):
    return time.strftime("%Y-%m", time.gmtime(t))


class Data:
    """A store with one account per case (created when the case was
    opened), one of M1 closed and one of M2 cancelled, and PAYMENTS."""

    def __init__(self, store_path):
        self.clock = FakeClock(T0)
        self.v = v = open_store(store_path, clock=self.clock)
        v.policy.publish(load_example("case-parallels.json"))
        self.accounts = []  # (id, created at)
        self.cases = collections.Counter()
        self.ids = []
        for at, form, status in CASES:
            self.clock.t = at
            a = v.accounts.create(name="Aggregate Person", email=f"p{len(self.accounts)}@example.com")
            self.accounts.append((a.id, at))
            c = v.cases.open(a.id, a.id, form)
            if status:
                v.cases.add_status(a.id, c.id, status, "uscis")
            self.cases[(form, status or "none", month(at))] += 1
            self.ids += [a.id, c.id]
        self.clock.t = NOW
        closed = next(a for a, at in self.accounts if at == M1)
        cancelled = next(a for a, at in self.accounts if at == M2)
        v.accounts.set_status(closed, "closed")
        v.accounts.set_status(cancelled, "cancelled")
        self.account_cells = collections.Counter()
        for a, at in self.accounts:
            status = "closed" if a == closed else "cancelled" if a == cancelled else "active"
            self.account_cells[(status, month(at))] += 1
        self.billing = collections.defaultdict(collections.Counter)   # currency -> keys -> count
        self.amounts = collections.defaultdict(collections.Counter)   # currency -> keys -> total
        payer = self.accounts[0][0]
        for at, currency, state, amount in PAYMENTS:
            p = v.billing.record(payer, payer, amount_minor=amount, currency=currency, card_brand="visa",
                                 last4="4242", paid_at=at, billing_state=state)
            self.ids.append(p.id)
            keys = (month(at), state or "unknown")
            self.billing[currency][keys] += 1
            self.amounts[currency][keys] += amount


@pytest.fixture
def data(store_path):
    d = Data(store_path)
    try:
        yield d
    finally:
        d.v.close()


def truth_of(table, cells, amounts=None):
    """(count, total) of any keys of the table, margins and total included."""
    def value(keys):
        n = total = 0
        for k, c in cells.items():
            if all(want == "*" or want == have for want, have in zip(keys, k)):
                n += c
                total += amounts[k] if amounts else 0
        return n, total
    return value


def check_table(t, cells, amounts=None, k=K):
    """Published values exact and >= k; suppressed ones hidden; no value
    derivable from a published total."""
    assert isinstance(t, casevault.AggregateTable)
    assert t.min_count == k
    truth = truth_of(t, cells, amounts)
    dims = len(t.dimensions)
    listed = [c.keys for c in t.cells]
    assert sorted(listed) == sorted(cells)                  # the non-empty cells, each once
    assert listed == sorted(listed)
    assert all(len(c.keys) == dims and "*" not in c.keys for c in t.cells)
    assert t.total.keys == ("*",) * dims
    for m in t.margins:
        assert len(m.keys) == dims and sum(key != "*" for key in m.keys) == 1
    everything = list(t.cells) + list(t.margins) + [t.total]
    primary = 0
    for c in everything:
        n, total = truth(c.keys)
        if c.suppressed:
            assert c.count is None and c.total_minor is None, c
            if 0 < n < k:
                primary += 1
        else:
            assert c.count == n and n >= k, c
            assert c.total_minor == (total if amounts else None), c
    # "cells and margins below k": whether a small grand total counts too is
    # the engine's choice.
    total_small = 0 < truth(t.total.keys)[0] < k
    assert t.suppressed_primary in (primary, primary - total_small)
    suppressed = sum(c.suppressed for c in everything)
    assert t.suppressed_primary + t.suppressed_complementary in (suppressed, suppressed - total_small)

    # The groups: each one-dimensional margin with the cells of its slice;
    # the grand total with the margins of each dimension, and with all cells.
    groups = []
    for m in t.margins:
        i = next(j for j, key in enumerate(m.keys) if key != "*")
        groups.append((m, [c for c in t.cells if c.keys[i] == m.keys[i]]))
    for i in range(dims):
        groups.append((t.total, [m for m in t.margins if m.keys[i] != "*"]))
    groups.append((t.total, list(t.cells)))
    for total, members in groups:
        if not members:
            continue
        hidden = [c for c in members if c.suppressed]
        if total.suppressed:
            assert hidden or len(members) == 0, ("a suppressed total is the sum of its members", total)
            continue
        assert len(hidden) != 1, ("one suppressed member of a published total", total.keys, hidden)
        if hidden:
            assert sum(truth(c.keys)[0] for c in hidden) >= k, (total.keys, hidden)
    return t


def no_ids(d, tables):
    text = repr(tables)
    for i in d.ids:
        assert i not in text


def test_cases_accounts_and_billing_tables(data):
    a = data.v.aggregates
    cases = check_table(a.cases(), data.cases)
    assert cases.name == "cases" and cases.dimensions == ("form_type", "status", "month")
    assert cases.currency is None
    assert cases.total.count == len(CASES) and not cases.total.suppressed
    assert cases.suppressed_primary > 0                      # I-765, N-400 and others are below k
    assert cases.get("*", "*", "*") == cases.total
    assert cases.get("I-999", "none", "2023-11") is None

    accounts = check_table(a.accounts(), data.account_cells)
    assert accounts.name == "accounts" and accounts.dimensions == ("status", "month")
    assert accounts.total.count == len(CASES)
    assert accounts.get("closed", "*").suppressed              # one closed account
    assert accounts.get("active", month(M1)).suppressed        # complementary: its row shows 8

    billing = a.billing()
    assert sorted(t.currency for t in billing) == ["EUR", "USD"]
    for t in billing:
        assert t.name == "billing" and t.dimensions == ("month", "billing_state")
        check_table(t, data.billing[t.currency], data.amounts[t.currency])
    eur = next(t for t in billing if t.currency == "EUR")
    assert eur.total.suppressed and eur.total.count is None   # two payments in all

    everything = a.all()
    assert [t.name for t in everything] == ["cases", "accounts", "billing", "billing"]
    assert everything[0] == cases and everything[1] == accounts
    no_ids(data, everything)
    assert len(data.v.audit.read(action="aggregates.report")) == 4    # all() once


def test_time_window_and_min_count(data):
    a = data.v.aggregates
    dec = {k: n for k, n in data.cases.items() if k[2] == month(M2)}
    dec_1, jan_1 = calendar.timegm((2023, 12, 1, 0, 0, 0)), calendar.timegm((2024, 1, 1, 0, 0, 0))
    t = check_table(a.cases(since=dec_1, until=jan_1), dec)
    assert t.total.count == sum(dec.values())
    assert {c.keys[2] for c in t.cells} == {month(M2)}
    ten = check_table(a.cases(min_count=10), data.cases, k=10)
    assert ten.total.count == len(CASES)
    with pytest.raises(casevault.InvalidArgumentError):
        a.cases(min_count=2)                                 # only raises k
    with pytest.raises(casevault.InvalidArgumentError):
        a.cases(since=jan_1, until=dec_1)
    # whole UTC months only: windows a second apart would isolate that second
    for bad in (M2, M3, dec_1 + 1, dec_1 - 1, jan_1 - DAY):
        with pytest.raises(casevault.InvalidArgumentError):
            a.cases(since=bad)
        with pytest.raises(casevault.InvalidArgumentError):
            a.all(until=bad)
    with pytest.raises(casevault.InvalidArgumentError):
        a.accounts(min_count=0)
    with pytest.raises(TypeError):
        a.accounts(min_count="5")
    with pytest.raises(TypeError):
        a.cases(since=1.5)


def test_purpose_must_be_aggregate_or_deidentified(data):
    a = data.v.aggregates
    assert a.cases(purpose="aggregate_analytics").total.count == len(CASES)
    assert a.accounts(purpose="deidentified_analytics").total.count == len(CASES)
    for purpose in ("billing", "case_tracking", "no_such_purpose"):
        with pytest.raises(casevault.InvalidArgumentError):
            a.all(purpose=purpose)
    entries = data.v.audit.read(action="aggregates.report")
    assert entries and all("Aggregate Person" not in e.reason for e in entries)


def test_small_store_suppresses_everything(store_path):
    clock = FakeClock(T0)
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("case-parallels.json"))
        people = [v.accounts.create(name="P", email=f"s{i}@example.com").id for i in range(3)]
        for p in people:
            v.cases.open(p, p, "I-130")
        cases = v.aggregates.cases()
        assert cases.total.suppressed and cases.total.count is None
        assert all(c.suppressed and c.count is None for c in cases.cells + cases.margins)
        assert v.aggregates.billing() == [] or all(t.total.suppressed for t in v.aggregates.billing())
        empty = store_path.with_name("empty.db")
    with open_store(empty, clock=clock) as v:
        v.policy.publish(load_example("case-parallels.json"))
        t = v.aggregates.cases()
        assert t.cells == () and t.margins == ()
        assert t.total.count in (None, 0)

"""The injected clock and the audit log."""

import threading

import pytest

import casevault
from conftest import open_store

T0 = 1_700_000_000


class FakeClock:
    def __init__(self, t):
        self.t = t
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
            return self.t


def test_clock_in_created_at_and_audit(store_path):
    clock = FakeClock(T0)
    with open_store(store_path, clock=clock) as v:
        a = v.accounts.create(name="Ana", email="ana@example.com")
        assert a.created_at == T0 and a.updated_at == T0
        clock.t = T0 + 86400
        b = v.accounts.update(a.id, company="Acme")
        assert b.created_at == T0 and b.updated_at == T0 + 86400
        entries = v.audit.read(subject=a.id)
        assert entries
        ats = {e.action: e.at for e in entries}
        assert ats["account.create"] == T0
        assert max(e.at for e in entries) == T0 + 86400
        assert v.audit.read(subject=a.id, since=T0 + 1) == [e for e in entries if e.at >= T0 + 1]
        assert v.audit.read(subject=a.id, until=T0 + 1) == [e for e in entries if e.at < T0 + 1]
    assert clock.calls > 0


def test_float_clock(store_path):
    with open_store(store_path, clock=lambda: T0 + 0.75) as v:
        assert v.accounts.create(name="Ana", email="ana@example.com").created_at == T0


class ClockBroke(Exception):
    pass


def test_clock_exception_propagates(store_path):
    state = {"fail": False}

    def clock():
        if state["fail"]:
            raise ClockBroke("no time")
        return T0

    with open_store(store_path, clock=clock) as v:
        v.accounts.create(name="Ana", email="ana@example.com")
        state["fail"] = True
        with pytest.raises(ClockBroke):
            v.accounts.create(name="Bo", email="bo@example.com")
        state["fail"] = False
        assert v.accounts.count() == 1          # rolled back
        assert v.accounts.find(email="bo@example.com") is None
        assert v.audit.verify().ok


def test_clock_bad_return(store_path):
    bad = {"value": T0}
    with open_store(store_path, clock=lambda: bad["value"]) as v:
        bad["value"] = "not a time"
        with pytest.raises(TypeError):
            v.accounts.create(name="Bo", email="bo@example.com")
        bad["value"] = T0
        assert v.accounts.count() == 0


def test_actor_recorded(store_path):
    with open_store(store_path, actor="clerk-7") as v:
        a = v.accounts.create(name="Ana", email="ana@example.com")
        entries = v.audit.read(subject=a.id)
        assert entries and all(e.actor == "clerk-7" for e in entries)
        assert v.audit.read(actor="clerk-7") == v.audit.read(actor="clerk-7", limit=100000)
        assert v.audit.read(actor="nobody") == []


def test_audit_filters(vault):
    a = vault.accounts.create(name="Ana", email="ana@example.com")
    b = vault.accounts.create(name="Bo", email="bo@example.com")
    vault.accounts.get(a.id)
    vault.accounts.update(b.id, company="Acme")
    vault.accounts.erase(a.id)

    everything = vault.audit.read()
    assert all(isinstance(e, casevault.AuditEntry) for e in everything)
    seqs = [e.seq for e in everything]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)

    about_a = vault.audit.read(subject=a.id)
    assert about_a and all(e.subject == a.id for e in about_a)
    actions_a = {e.action for e in about_a}
    assert "account.create" in actions_a
    assert any("erase" in x for x in actions_a)
    about_b = vault.audit.read(subject=b.id)
    assert about_b and all(e.subject == b.id for e in about_b)
    assert not {e.seq for e in about_a} & {e.seq for e in about_b}

    creates = vault.audit.read(action="account.create")
    assert len(creates) == 2 and all(e.action == "account.create" for e in creates)
    assert {e.subject for e in creates} == {a.id, b.id}
    prefix = vault.audit.read(action="account.")
    assert len(prefix) >= 4 and all(e.action.startswith("account.") for e in prefix)
    combined = vault.audit.read(subject=b.id, action="account.create")
    assert [e.subject for e in combined] == [b.id]
    assert all(e.outcome in ("ok", "denied", "error") for e in everything)


def test_audit_paging(vault):
    vault.accounts.create_many([dict(name=f"P{i}", email=f"p{i}@example.com") for i in range(12)])
    everything = vault.audit.read()
    first = vault.audit.read(limit=5)
    assert first == everything[:5]
    rest = vault.audit.read(after_seq=first[-1].seq)
    assert first + rest == everything
    assert list(vault.audit.iter(page_size=3)) == everything
    with pytest.raises(casevault.InvalidArgumentError):
        vault.audit.read(limit=0)


def test_verify(vault):
    vault.accounts.create(name="Ana", email="ana@example.com")
    r = vault.audit.verify()
    assert isinstance(r, casevault.VerifyResult)
    assert r.ok and bool(r) and r.entries >= 1
    assert r.first_bad_seq is None and r.problem is None
    assert isinstance(r.head, str) and r.head
    vault.accounts.create(name="Bo", email="bo@example.com")
    r2 = vault.audit.verify(expected_head=r.head)
    assert r2.ok and r2.entries > r.entries and r2.head != r.head
    seq = r.head.split(":")[0]
    bad = vault.audit.verify(expected_head=f"{seq}:" + "00" * 32)
    assert not bad.ok and not bad and bad.problem
    with pytest.raises(casevault.InvalidArgumentError):
        vault.audit.verify(expected_head="not a head")


def test_unbatched_read_audit_is_written_at_once(tmp_path):
    import casevault
    path = tmp_path / "unbatched.db"
    with casevault.open(path, key=bytes(range(32)), batch_read_audit=False) as vault:
        acc = vault.accounts.create(name="Read Me", email="read.me@example.com")
        vault.accounts.get(acc.id)
        actions = [e.action for e in vault.audit.read()]
        assert actions[-1] == "account.read"
        assert vault.audit.verify().ok


def test_durable_store_opens_and_writes(tmp_path):
    import casevault
    with casevault.open(tmp_path / "durable.db", key=bytes(32), durable=True) as vault:
        vault.accounts.create(name="Durable", email="durable@example.com")
    with casevault.open(tmp_path / "durable.db", key=bytes(32)) as vault:
        assert vault.accounts.count() == 1

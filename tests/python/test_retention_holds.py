"""Legal holds and backups through the Python package, under the Case
Parallels policy (preservation: authorities sca_2703f and civil_subpoena,
a 90-day period, one 90-day extension, release processes warrant,
court_order, civil_subpoena and criminal_subpoena; backups kept at most
60 days), on the injected clock."""

import hashlib
import os

import pytest

import casevault
from conftest import open_store
from policy_docs import DAY, T0, load_example
from records_world import UNKNOWN_ACCOUNT, UNKNOWN_CASE

REFERENCE = "GJ-2024-0042"


def at(w, t):
    w.clock.advance(t - w.clock())


def day(n):
    return T0 + n * DAY


def held_for(report_or_plan, subject, trigger="deletion_request"):
    return [h for h in report_or_plan.held if h.subject == subject and h.trigger == trigger]


# ---- holds ----------------------------------------------------------------------------------


def test_hold_lifecycle(cw):
    v, o = cw.vault, cw.owner.id
    h = v.holds.place(o, authority="sca_2703f", reference=REFERENCE)
    assert isinstance(h, casevault.Hold)
    assert h.id.startswith("hld_")
    assert h.scope == casevault.HoldScope.SUBJECT and h.target == o and h.subject == o
    assert (h.authority, h.reference, h.state) == ("sca_2703f", REFERENCE, "active")
    assert (h.placed_at, h.expires_at, h.extensions) == (T0, day(90), 0)
    assert (h.process, h.process_at, h.ended_at) == (None, None, None)
    assert REFERENCE not in repr(h) and REFERENCE not in str(h)
    assert v.holds.get(h.id) == h
    assert v.holds.list(o) == [h] and v.holds.list() == [h]
    assert v.holds.list(cw.other.id) == []

    at(cw, day(80))
    e = v.holds.extend(h.id)                               # one renewed request
    assert e.extensions == 1 and e.expires_at == day(180) and e.state == "active"
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.extend(h.id)                               # max_extensions is 1

    at(cw, day(100))
    c = v.holds.record_process(h.id, "warrant", "W-77")
    assert c.state == casevault.HoldState.CONTINUED
    assert (c.process, c.process_at) == ("warrant", day(100))

    at(cw, day(400))
    r = v.holds.release(h.id)
    assert r.state == "released" and r.ended_at == day(400)
    assert v.holds.list(o) == []
    assert v.holds.list(o, include_ended=True) == [r]
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.extend(h.id)                               # not active
    assert v.audit.verify().ok


def test_hold_on_a_case(cw):
    v, o = cw.vault, cw.owner.id
    h = v.holds.place(cw.case_a.id, authority="civil_subpoena", reference=REFERENCE,
                      scope="case", at=T0 - DAY)
    assert h.scope == casevault.HoldScope.CASE_FILE
    assert h.target == cw.case_a.id and h.subject == o
    assert h.placed_at == T0 - DAY and h.expires_at == day(89)
    assert v.holds.list(o) == [h]

    v.requests.erase(o)
    report = v.retention.sweep()
    (held,) = held_for(report, o)
    assert isinstance(held, casevault.HeldBack)
    assert (held.trigger, held.hold_id, held.reason) == ("deletion_request", h.id, "held:case")
    # The held case is still there.
    v.can(cw.p["system"].id, "read", "case", cw.case_a.id)


def test_hold_refusals(cw):
    v, o = cw.vault, cw.owner.id
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.place(o, authority="national_security_letter", reference=REFERENCE)
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.place(o, authority="sca_2703f", reference="")
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.place(o, authority="sca_2703f", reference=REFERENCE, scope="everything")
    with pytest.raises(casevault.NotFoundError):
        v.holds.place(UNKNOWN_ACCOUNT, authority="sca_2703f", reference=REFERENCE)
    with pytest.raises(casevault.NotFoundError):
        v.holds.place(UNKNOWN_CASE, authority="sca_2703f", reference=REFERENCE, scope="case")
    h = v.holds.place(o, authority="sca_2703f", reference=REFERENCE)
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.record_process(h.id, "letter", "L-1")     # not a release process
    # A process must arrive before the period ends.
    at(cw, day(90) + 1)
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.record_process(h.id, "court_order", "CO-1")
    with pytest.raises(casevault.NotFoundError):
        v.holds.get("hld_" + "0" * 24)
    assert v.holds.list(include_ended=True)[0].id == h.id


def test_held_subject_is_skipped_until_the_hold_expires(cw):
    v, o = cw.vault, cw.owner.id
    h = v.holds.place(o, authority="sca_2703f", reference=REFERENCE)
    r = v.requests.erase(o)

    plan = v.retention.preview()
    (held,) = held_for(plan, o)
    assert (held.trigger, held.hold_id, held.reason) == ("deletion_request", h.id, "held:subject")
    report = v.retention.sweep()
    assert held_for(report, o) == [held]
    assert v.accounts.get(o).status == "active"
    assert v.requests.get(r.id).state == "pending"
    assert v.retention.receipts_for(o) == []

    at(cw, day(89))                                        # the day before the period ends
    report = v.retention.sweep()
    assert held_for(report, o) and report.holds_expired == 0
    assert v.accounts.get(o).status == "active"

    at(cw, day(90) + 1)                                    # ended without a release process
    assert h.id in v.retention.preview().holds_expiring
    report = v.retention.sweep()                           # the next sweep: expires it and deletes
    assert report.holds_expired == 1 and held_for(report, o) == []
    assert v.holds.get(h.id).state == "expired"
    assert v.holds.list(o) == []
    assert v.accounts.get(o).status == "erased"
    assert v.requests.get(r.id).state == "done"
    assert [rc.trigger for rc in v.retention.receipts_for(o)].count("deletion_request") == 1


def test_warrant_keeps_the_hold_until_release(cw):
    v, o = cw.vault, cw.owner.id
    h = v.holds.place(o, authority="civil_subpoena", reference=REFERENCE)
    at(cw, day(10))
    v.holds.record_process(h.id, "warrant", "W-1")
    v.requests.erase(o)
    at(cw, day(400))                                       # long past the period and any extension
    report = v.retention.sweep()
    assert report.holds_expired == 0
    assert [x.hold_id for x in held_for(report, o)] == [h.id]
    assert v.holds.get(h.id).state == "continued"
    assert v.accounts.get(o).status == "active"
    # The inactivity deletion (due on day 90) is deferred too.
    assert [x.hold_id for x in held_for(report, o, "inactivity")] == [h.id]
    assert len(v.cases.list(o, o)) == 2

    v.holds.release(h.id)
    report = v.retention.sweep()
    assert held_for(report, o) == []
    assert v.accounts.get(o).status == "erased"


# ---- backups --------------------------------------------------------------------------------


def sha256_of(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def test_backup_create_list_restore_replays_erasures(cw, tmp_path):
    v, o, other = cw.vault, cw.owner.id, cw.other.id
    path = tmp_path / "nightly.bak"
    b = v.backups.create(path)
    assert isinstance(b, casevault.BackupInfo)
    assert b.id.startswith("bak_") and b.path == os.fspath(path)
    assert b.taken_at == T0 and b.size == os.path.getsize(path) > 0
    assert b.sha256 == sha256_of(path) and b.removed_at is None
    assert v.backups.list() == [b]

    # After the backup: a new account, and the owner erased.
    at(cw, day(1))
    late = v.accounts.create(name="Late Comer", email="late@example.com")
    v.requests.erase(o)
    v.retention.sweep()
    assert v.accounts.get(o).status == "erased"

    at(cw, day(2))
    r = v.backups.restore(path)
    assert isinstance(r, casevault.RestoreReport)
    assert (r.backup_id, r.taken_at, r.erasures_replayed) == (b.id, T0, 1)
    # Nobody erased comes back; the rest is the backup's content.
    acc = v.accounts.get(o)
    assert acc.status == "erased" and acc.name == ""
    assert v.accounts.find(email="olga@example.com") is None
    assert v.accounts.get(other).name == "Otto Other"
    with pytest.raises(casevault.NotFoundError):
        v.accounts.get(late.id)
    with pytest.raises(casevault.NotFoundError):
        v.can(cw.p["system"].id, "read", "case", cw.case_a.id)
    # The catalog survives the restore.
    assert [x.id for x in v.backups.list()] == [b.id]
    assert v.audit.verify().ok
    assert v.check_integrity() > 0


def test_restore_after_reopen(cw, tmp_path, store_path):
    """The erasure ledger is in the store: a restore in a later session
    replays it too."""
    v, o = cw.vault, cw.owner.id
    path = tmp_path / "b.bak"
    v.backups.create(path)
    v.requests.erase(o)
    v.retention.sweep()
    v.close()
    with open_store(store_path, clock=cw.clock) as v2:
        r = v2.backups.restore(path)
        assert r.erasures_replayed == 1
        assert v2.accounts.get(o).status == "erased"


def test_backup_refusals(cw, tmp_path, store_path):
    v = cw.vault
    path = tmp_path / "b.bak"
    v.backups.create(path)
    with pytest.raises(casevault.InvalidArgumentError):
        v.backups.create(path)                             # exists
    with pytest.raises(casevault.InvalidArgumentError):
        v.backups.create(store_path)                       # the store itself
    with pytest.raises(casevault.NotFoundError):
        v.backups.restore(tmp_path / "missing.bak")
    with pytest.raises(TypeError):
        v.backups.create(tmp_path / "c.bak", progress=42)
    assert len(v.backups.list()) == 1


def test_restore_refuses_a_tampered_backup(cw, tmp_path):
    v = cw.vault
    path = tmp_path / "b.bak"
    v.backups.create(path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(casevault.CorruptError):
        v.backups.restore(path)
    assert v.accounts.get(cw.owner.id).name == "Olga Owner"


def test_restore_refuses_a_backup_under_another_secret(cw, tmp_path):
    foreign = tmp_path / "foreign.db"
    with open_store(foreign, passphrase="another passphrase entirely") as f:
        f.accounts.create(name="Foreign", email="foreign@example.com")
        f.backups.create(tmp_path / "foreign.bak")
    with pytest.raises(casevault.WrongKeyError):
        cw.vault.backups.restore(tmp_path / "foreign.bak")
    assert cw.vault.accounts.get(cw.owner.id).name == "Olga Owner"


class Boom(Exception):
    pass


def test_backup_progress(cw, tmp_path):
    v = cw.vault
    calls = []
    b = v.backups.create(tmp_path / "ok.bak", progress=lambda *a: calls.append(a))
    assert calls and {c[0] for c in calls} == {"backup"}
    assert all(isinstance(d, int) and isinstance(t, int) for _, d, t in calls)

    with pytest.raises(casevault.CancelledError):
        v.backups.create(tmp_path / "no.bak", progress=lambda *a: False)
    assert not (tmp_path / "no.bak").exists()

    def boom(phase, done, total):
        raise Boom("from the callback")

    with pytest.raises(Boom, match="from the callback"):
        v.backups.create(tmp_path / "boom.bak", progress=boom)
    assert not (tmp_path / "boom.bak").exists()
    assert v.backups.list() == [b]

    phases = []
    with pytest.raises(Boom):
        v.backups.restore(tmp_path / "ok.bak", progress=lambda p, d, t: phases.append(p) or boom(p, d, t))
    assert phases == ["restore"]
    assert v.accounts.get(cw.owner.id).name == "Olga Owner"
    r = v.backups.restore(tmp_path / "ok.bak", progress=lambda p, d, t: phases.append(p))
    assert r.backup_id == b.id
    assert set(phases) <= {"restore", "replay"}


def test_backups_expire_after_the_window(cw, tmp_path):
    v = cw.vault
    path = tmp_path / "old.bak"
    b = v.backups.create(path)
    at(cw, day(59))
    assert b.id not in v.retention.preview().backups_expiring
    assert v.retention.sweep().backups_removed == 0
    assert path.exists()
    at(cw, day(60) + 1)
    assert b.id in v.retention.preview().backups_expiring
    report = v.retention.sweep()
    assert report.backups_removed == 1
    assert not path.exists()
    assert v.backups.list() == []
    (gone,) = v.backups.list(include_removed=True)
    assert gone.id == b.id and gone.removed_at == day(60) + 1

"""The operator CLI's retention commands, run as a subprocess: sweep (with
--dry-run and --now), receipts, backup create/list/restore and legal holds.

The store is set up through the CLI (init, policy publish) and the Python
package's accounts and cases; everything retention-specific goes through the
CLI. Under the Case Parallels policy sign-up counts as activity for 30 days
and case content is deleted 60 days after the account became inactive: an
account created 100 days ago is due now, one created today in 90 days.
"""
import datetime
import json
import time

import pytest

import casevault
from conftest import leaks
from test_cli import CLI, CliStore, keyfile, run  # noqa: F401 - keyfile is a fixture

pytestmark = pytest.mark.skipif(not CLI, reason="CASEVAULT_CLI not set (run through ctest)")

DAY = 86400
REFERENCE = "2703(f) letter 77-Canary"


class Store(CliStore):
    """A store under Case Parallels with two accounts, each with one case:
    `old` (created 100 days ago, its case due) and `new` (created now)."""

    def __init__(self, tmp_path, keyfile):
        super().__init__(tmp_path / "ret.db", keyfile)
        self.tmp = tmp_path
        past = int(time.time()) - 100 * DAY
        with self.open(clock=lambda: past) as v:
            self.old = v.accounts.create(name="Olga Oldcanary", email="olga@example.com").id
            self.old_case = v.cases.open(self.old, self.old, "I-485", receipt_number="EAC2190000001").id
        with self.open() as v:
            self.new = v.accounts.create(name="Nina Newcanary", email="nina@example.com").id
            self.new_case = v.cases.open(self.new, self.new, "I-130", receipt_number="EAC2190000002").id

    def cases(self, subject):
        with self.open() as v:
            return [c.id for c in v.cases.list(subject, subject)]

    def status(self, subject):
        with self.open() as v:
            return str(v.accounts.get(subject).status)

    def head(self):
        return self.json("audit", "verify", self.db)["head"]

    def reference_file(self, text=REFERENCE, name="ref.txt"):
        p = self.tmp / name
        p.write_text(text)
        return p


@pytest.fixture
def store(tmp_path, keyfile):  # noqa: F811 - the fixture imported above
    return Store(tmp_path, keyfile)


def iso(t):
    """Unix seconds as YYYY-MM-DDTHH:MM:SSZ."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def progress_phases(stderr):
    """The phase names of the progress lines on stderr ("  plan  1/1 (100%)")."""
    phases = []
    for line in stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and "/" in parts[1] and parts[2].endswith("%)"):
            phases.append(parts[0])
    return phases


# ---- sweep ------------------------------------------------------------------------


def test_sweep_dry_run_changes_nothing(store):
    head = store.head()
    plan = store.json("sweep", store.db, "--dry-run")
    assert plan["dry_run"] is True
    assert abs(plan["now"] - time.time()) < 120
    assert [d["subject"] for d in plan["deletions"]] == [store.old]
    d = plan["deletions"][0]
    assert d["trigger"] == "inactivity" and d["rules"] == ["content-after-inactivity"]
    assert d["counts"] == {"case": 1} and d["actions"] == {"case": "delete"}
    assert d["due_at"] < plan["now"]
    assert plan["held"] == [] and plan["holds_expiring"] == []
    assert plan["backups_expiring"] == [] and plan["requests_expiring"] == []

    r = store.ok("sweep", store.db, "--dry-run")
    assert "dry run" in r.stdout and store.old in r.stdout and store.new not in r.stdout
    assert "content-after-inactivity" in r.stdout and "case 1 delete" in r.stdout
    assert progress_phases(r.stderr) == []

    # Far enough ahead, the new account's case is due too: still nothing changes.
    later = store.json("sweep", store.db, "--dry-run", "--now", int(time.time()) + 200 * DAY)
    assert sorted(d["subject"] for d in later["deletions"]) == sorted([store.old, store.new])

    assert store.head() == head  # not even an audit entry
    assert store.cases(store.old) == [store.old_case]
    assert store.cases(store.new) == [store.new_case]
    assert store.json("receipts", store.db) == []


def test_sweep_deletes_what_is_due_and_now_moves_the_clock(store):
    r = store.ok("sweep", store.db, "--json")
    report = json.loads(r.stdout)  # stdout holds only the report
    assert report["dry_run"] is False
    assert report["subjects"] == 1 and report["counts"] == {"case": 1}
    assert len(report["receipts"]) == 1 and report["receipts"][0].startswith("rcp_")
    assert report["held"] == [] and report["backups_removed"] == 0
    phases = progress_phases(r.stderr)
    assert "plan" in phases and "subjects" in phases, r.stderr
    assert store.cases(store.old) == [] and store.cases(store.new) == [store.new_case]
    assert store.status(store.old) == "active"  # only content goes after inactivity

    # Nothing more is due today.
    assert store.json("sweep", store.db)["subjects"] == 0

    # As of 200 days from now (an ISO-8601 time), the new account's case goes.
    when = int(time.time()) + 200 * DAY
    r = store.ok("sweep", store.db, "--now", iso(when))
    assert f"as of {iso(when)[:10]}" in r.stdout and "subjects done       1" in r.stdout
    assert "ahead of the clock" in r.stderr
    assert store.cases(store.new) == []

    # A date alone means its midnight; Unix seconds work too; the sweep is idempotent.
    day = iso(when + 10 * DAY)[:10]
    report = store.json("sweep", store.db, "--now", day)
    assert report["subjects"] == 0 and iso(report["now"]) == day + "T00:00:00Z"
    assert store.json("sweep", store.db, "--now", when + 20 * DAY)["now"] == when + 20 * DAY

    receipts = store.json("receipts", store.db)
    assert len(receipts) == 2
    assert {r["trigger"] for r in receipts} == {"inactivity"}
    mine = store.json("receipts", store.db, store.new)
    assert len(mine) == 1 and mine[0]["counts"] == {"case": 1} and mine[0]["at"] == when
    assert store.new not in json.dumps(mine)  # receipts carry a digest, not the id
    assert mine[0]["id"] in store.ok("receipts", store.db).stdout
    assert store.ok("audit", "verify", store.db).returncode == 0


def test_sweep_needs_a_policy(tmp_path, keyfile):  # noqa: F811
    db = tmp_path / "bare.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    for args in (["sweep", db], ["sweep", db, "--dry-run"]):
        r = run(*args, "--key-file", keyfile)
        assert r.returncode == 1 and "invalid_argument" in r.stderr, r.stderr


# ---- backups -----------------------------------------------------------------------


def test_backup_then_restore_replays_erasures(store):
    dest = store.tmp / "backups" / "b1.db"
    dest.parent.mkdir()
    r = store.ok("backup", "create", store.db, dest, "--json")
    info = json.loads(r.stdout)
    assert info["id"].startswith("bak_") and info["path"] == str(dest.resolve())
    assert info["size"] == dest.stat().st_size and len(info["sha256"]) == 64
    assert info["removed_at"] is None
    assert "backup" in progress_phases(r.stderr), r.stderr
    assert leaks(dest, ["Oldcanary", "olga@example.com"]) == []

    r = store.cli("backup", "create", store.db, dest)
    assert r.returncode == 1 and "already exists" in r.stderr
    listed = store.json("backup", "list", store.db)
    assert [b["id"] for b in listed] == [info["id"]]
    assert info["id"] in store.ok("backup", "list", store.db).stdout

    # After the backup: one person is erased, another signs up.
    with store.open() as v:
        v.accounts.erase(store.old)
        later = v.accounts.create(name="Lara Later", email="lara@example.com").id

    r = store.ok("restore", store.db, dest)
    assert "erasures replayed  1" in r.stdout and info["id"] in r.stdout
    phases = progress_phases(r.stderr)
    assert "restore" in phases and "replay" in phases, r.stderr
    assert store.status(store.old) == "erased"  # nobody erased comes back
    assert store.cases(store.new) == [store.new_case]
    with store.open() as v, pytest.raises(casevault.NotFoundError):
        v.accounts.get(later)  # the backup predates it

    # By catalog id, the same again; the catalog survived the restore.
    report = store.json("backup", "restore", store.db, info["id"])
    assert report == {"backup_id": info["id"], "taken_at": info["taken_at"], "erasures_replayed": 1}
    assert store.ok("audit", "verify", store.db).returncode == 0

    # The sweep removes backups past the policy's window (60 days).
    plan = store.json("sweep", store.db, "--dry-run", "--now", info["taken_at"] + 61 * DAY)
    assert plan["backups_expiring"] == [info["id"]]
    report = store.json("sweep", store.db, "--now", info["taken_at"] + 61 * DAY)
    assert report["backups_removed"] == 1
    assert not dest.exists()
    assert store.json("backup", "list", store.db) == []
    removed = store.json("backup", "list", store.db, "--all")
    assert removed[0]["id"] == info["id"] and removed[0]["removed_at"] is not None
    r = store.cli("restore", store.db, info["id"])
    assert r.returncode == 1 and "removed" in r.stderr


def test_restore_refuses_what_is_not_a_backup_of_this_store(store):
    r = store.cli("backup", "restore", store.db, store.tmp / "missing.db")
    assert r.returncode == 1 and "not_found" in r.stderr
    r = store.cli("backup", "restore", store.db, "bak_" + "0" * 24)
    assert r.returncode == 1 and "not_found" in r.stderr
    other_key = store.tmp / "other.key"
    other_key.write_bytes(bytes(32))
    other = store.tmp / "other.db"
    assert run("init", other, "--key-file", other_key).returncode == 0
    foreign = store.tmp / "foreign.db"
    assert run("backup", "create", other, foreign, "--key-file", other_key).returncode == 0
    r = store.cli("restore", store.db, foreign)
    assert r.returncode == 1 and "wrong_key" in r.stderr
    assert store.cases(store.new) == [store.new_case]


# ---- legal holds -------------------------------------------------------------------


def test_holds_place_list_release(store):
    ref = store.reference_file()
    r = store.ok("hold", "place", store.db, "--subject", store.old, "--authority", "sca_2703f",
                 "--reference-file", ref, "--json")
    hold = json.loads(r.stdout)
    hid = hold["id"]
    assert hid.startswith("hld_") and hold["state"] == "active"
    assert hold["scope"] == "subject" and hold["target"] == hold["subject"] == store.old
    assert hold["expires_at"] - hold["placed_at"] == 90 * DAY and hold["extensions"] == 0
    assert "reference" not in hold and REFERENCE not in r.stdout + r.stderr

    # Listed (without the reference); shown with it.
    assert [h["id"] for h in store.json("hold", "list", store.db)] == [hid]
    assert [h["id"] for h in store.json("holds", "list", store.db, store.old)] == [hid]
    assert store.json("hold", "list", store.db, store.new) == []
    out = store.ok("hold", "list", store.db).stdout
    assert out.startswith(hid) and "active" in out and REFERENCE not in out
    assert store.json("hold", "show", store.db, hid)["reference"] == REFERENCE
    assert f"reference   {REFERENCE}" in store.ok("hold", "show", store.db, hid).stdout

    # The due deletion is held back, in the preview and in the sweep.
    plan = store.json("sweep", store.db, "--dry-run")
    assert plan["deletions"] == []
    assert plan["held"] == [{"subject": store.old, "trigger": "inactivity", "hold_id": hid,
                             "reason": "held:subject"}]
    assert "held back" in store.ok("sweep", store.db, "--dry-run").stdout
    report = store.json("sweep", store.db)
    assert report["subjects"] == 0 and [h["hold_id"] for h in report["held"]] == [hid]
    assert store.cases(store.old) == [store.old_case]

    # One extension, as the policy allows; a second is refused.
    ext = store.json("hold", "extend", store.db, hid)
    assert ext["extensions"] == 1 and ext["expires_at"] == hold["expires_at"] + 90 * DAY
    r = store.cli("hold", "extend", store.db, hid)
    assert r.returncode == 1 and "extensions" in r.stderr

    # A warrant arrives (its reference from stdin): the hold lasts until released.
    cont = store.json("hold", "process", store.db, hid, "warrant", "--reference-file", "-",
                      input="warrant 9\n")
    assert cont["state"] == "continued" and cont["process"] == "warrant" and cont["expires_at"] is None
    report = store.json("sweep", store.db, "--now", int(time.time()) + 400 * DAY)
    assert [h["hold_id"] for h in report["held"]] == [hid] and report["holds_expired"] == 0
    assert store.cases(store.old) == [store.old_case]
    assert store.cases(store.new) == []  # not held

    r = store.ok("hold", "release", store.db, hid)
    assert "released" in r.stdout and "next sweep" in r.stderr
    assert store.json("hold", "list", store.db) == []
    ended = store.json("hold", "list", store.db, "--all")
    assert [(h["id"], h["state"]) for h in ended] == [(hid, "released")]
    assert ended[0]["ended_at"] is not None
    r = store.cli("hold", "release", store.db, hid)
    assert r.returncode == 1 and "ended" in r.stderr

    report = store.json("sweep", store.db)
    assert report["subjects"] == 1 and report["held"] == []
    assert store.cases(store.old) == []
    assert leaks(store.db, [REFERENCE, "warrant 9"]) == []
    assert store.ok("audit", "verify", store.db).returncode == 0


def test_a_case_hold_keeps_that_case_only(store):
    with store.open() as v:
        second = v.cases.open(store.old, store.old, "I-765", receipt_number="EAC2190000003").id
    ref = store.reference_file()
    hold = store.json("hold", "place", store.db, "--case", store.old_case, "--authority", "civil_subpoena",
                      "--reference-file", ref)
    assert hold["scope"] == "case" and hold["target"] == store.old_case and hold["subject"] == store.old
    assert f"case {store.old_case} of {store.old}" in store.ok("hold", "list", store.db).stdout
    plan = store.json("sweep", store.db, "--dry-run")
    # Only the case that is not held is counted. (The preview does not list
    # a partly held subject under "held"; the sweep's report does.)
    assert [(d["subject"], d["counts"]) for d in plan["deletions"]] == [(store.old, {"case": 1})]
    report = store.json("sweep", store.db)
    assert report["held"] == [{"subject": store.old, "trigger": "inactivity", "hold_id": hold["id"],
                               "reason": "held:case"}]
    assert report["subjects"] == 1 and report["counts"] == {"case": 1}
    assert store.cases(store.old) == [store.old_case]  # the other case went
    assert second not in store.cases(store.old)
    store.ok("hold", "release", store.db, hold["id"])
    assert store.json("sweep", store.db)["subjects"] == 1
    assert store.cases(store.old) == []


def test_hold_reference_never_comes_from_argv(store):
    ref = store.reference_file()
    place = ["hold", "place", store.db, "--subject", store.old, "--authority", "sca_2703f"]
    r = store.cli(*place, "--reference", REFERENCE)
    assert r.returncode == 2 and "unknown option --reference" in r.stderr
    r = store.cli(*place, input="")  # stdin is not a terminal: no prompt
    assert r.returncode == 2 and "--reference-file" in r.stderr
    r = store.cli(*place, "--reference-file", store.reference_file("   \n", "blank.txt"))
    assert r.returncode == 1 and "empty" in r.stderr
    r = store.cli(*place, "--reference-file", store.reference_file("one\ntwo\n", "two.txt"))
    assert r.returncode == 1 and "one line" in r.stderr
    r = store.cli(*place, "--reference-file", store.tmp / "missing.txt")
    assert r.returncode == 1 and "reference file" in r.stderr
    r = store.cli(*place[:-1], "fbi", "--reference-file", ref)
    assert r.returncode == 1 and "authorit" in r.stderr
    r = store.cli("hold", "place", store.db, "--subject", "acc_" + "0" * 24, "--authority", "sca_2703f",
                  "--reference-file", ref)
    assert r.returncode == 1 and "not_found" in r.stderr
    r = store.cli(*place, "--reference-file", "-", input=REFERENCE + "\n")
    assert r.returncode == 0, r.stderr
    assert store.json("hold", "list", store.db)[0]["subject"] == store.old
    for args in (["hold", "show", store.db, "hld_" + "0" * 24], ["hold", "extend", store.db, "hld_" + "0" * 24]):
        r = store.cli(*args)
        assert r.returncode == 1 and "not_found" in r.stderr, (args, r.stderr)
    assert store.json("hold", "list", store.db, "--all")[0]["state"] == "active"


# ---- usage ------------------------------------------------------------------------


def test_retention_usage_errors(store):
    db, ref = store.db, store.reference_file()
    hid = "hld_" + "0" * 24
    for args in [
        ["sweep"],
        ["sweep", db, db],
        ["sweep", db, "--now"],
        ["sweep", db, "--now", "tomorrow"],
        ["sweep", db, "--now", "2026-02-30"],
        ["sweep", db, "--now", "2026-05-01T12:00:00"],  # UTC only: the Z is required
        ["sweep", db, "--now", "0"],
        ["sweep", db, "--dry-run=yes"],
        ["sweep", db, "--all"],
        ["receipts"],
        ["receipts", db, store.old, store.new],
        ["backup"],
        ["backup", "frobnicate", db],
        ["backup", "create", db],
        ["backup", "create", db, store.tmp / "a.db", store.tmp / "b.db"],
        ["backup", "create", db, store.tmp / "a.db", "--all"],
        ["backup", "list"],
        ["backup", "list", db, "--dry-run"],
        ["backup", "restore", db],
        ["restore", db],
        ["hold"],
        ["hold", "frobnicate", db],
        ["hold", "list"],
        ["hold", "list", db, store.old, store.new],
        ["hold", "show", db],
        ["hold", "place", db, "--authority", "sca_2703f", "--reference-file", ref],
        ["hold", "place", db, "--subject", store.old, "--case", store.old_case, "--authority", "sca_2703f",
         "--reference-file", ref],
        ["hold", "place", db, "--subject", store.old, "--reference-file", ref],
        ["hold", "place", db, store.old, "--authority", "sca_2703f", "--reference-file", ref],
        ["hold", "extend", db],
        ["hold", "extend", db, hid, "--reference-file", ref],
        ["hold", "process", db, hid, "--reference-file", ref],
        ["hold", "release", db, hid, "--all"],
    ]:
        r = store.cli(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.startswith("casevault: ") and "see 'casevault --help'" in r.stderr, (args, r.stderr)
        assert r.stdout == "", args
    assert store.cases(store.old) == [store.old_case]  # nothing was swept
    assert store.json("hold", "list", db, "--all") == []

    help_text = run("help").stdout
    for line in ["sweep PATH --dry-run", "--now TIME", "backup create PATH DEST", "backup list PATH",
                 "backup restore PATH BACKUP", "hold place PATH", "hold release PATH HOLD",
                 "receipts PATH", "--reference-file F"]:
        assert line in help_text, line

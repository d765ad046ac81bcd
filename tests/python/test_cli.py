"""The operator CLI, run as a subprocess (its path comes from ctest)."""
import copy
import hashlib
import json
import os
import pathlib
import subprocess

import pytest

CLI = os.environ.get("CASEVAULT_CLI")
EXAMPLE_POLICIES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "policies"
pytestmark = pytest.mark.skipif(not CLI, reason="CASEVAULT_CLI not set (run through ctest)")


def run(*args, env=None, input=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("CASEVAULT_")}
    e.update(env or {})
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, env=e,
                          input=input, timeout=60)


@pytest.fixture
def keyfile(tmp_path):
    p = tmp_path / "store.key"
    p.write_bytes(bytes(range(32)))
    return p


class CliStore:
    """A store for the CLI tests of one area (test_cli_retention.py,
    test_cli_accountability.py): created with `init` and given the Case
    Parallels policy with `policy publish`, both through the CLI, with the
    raw key in `keyfile`."""

    def __init__(self, db, keyfile):
        self.db = db
        self.key = keyfile
        assert self.cli("init", self.db).returncode == 0
        r = self.cli("policy", "publish", self.db, EXAMPLE_POLICIES / "case-parallels.json")
        assert r.returncode == 0, r.stderr

    def cli(self, *args, **kwargs):
        return run(*args, "--key-file", self.key, **kwargs)

    def ok(self, *args, **kwargs):
        r = self.cli(*args, **kwargs)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    def json(self, *args, **kwargs):
        return json.loads(self.ok(*args, "--json", **kwargs).stdout)

    def open(self, **kwargs):
        """The store through the Python package."""
        import casevault

        return casevault.open(self.db, key=self.key.read_bytes(), **kwargs)


def test_init_info_check_and_verify(tmp_path, keyfile):
    db = tmp_path / "cli.db"
    r = run("init", db, "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    assert run("init", db, "--key-file", keyfile).returncode == 1  # exists already

    r = run("info", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["key_mode"] == "raw" and info["schema_version"] == 5
    assert info["accounts"]["total"] == 0
    assert info["policy"] is None and info["notifications_pending"] == 0
    assert info["records"] == {"principals": 0, "cases": 0, "messages": 0, "payments": 0, "posts": 0}

    r = run("check", db, "--key-file", keyfile)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "pages ok" in r.stdout

    r = run("audit", "verify", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0
    head = json.loads(r.stdout)["head"]
    assert run("audit", "verify", db, "--key-file", keyfile, "--expect-head", head).returncode == 0
    bogus = "1:" + "00" * 32
    assert run("audit", "verify", db, "--key-file", keyfile, "--expect-head", bogus).returncode == 3


def test_errors_and_usage(tmp_path, keyfile):
    db = tmp_path / "cli.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    other = tmp_path / "other.key"
    other.write_bytes(bytes(32))
    r = run("info", db, "--key-file", other)
    assert r.returncode == 1 and "wrong_key" in r.stderr
    assert run("frobnicate").returncode == 2
    assert run("info").returncode == 2
    # Secrets are never accepted on the command line.
    assert run("info", db, "--passphrase", "hunter2").returncode == 2
    assert run("version").returncode == 0
    assert "usage" in run("--help").stdout


def test_damaged_page_fails_check(tmp_path, keyfile):
    db = tmp_path / "cli.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    data = bytearray(db.read_bytes())
    data[4096 + 1000] ^= 0x01
    db.write_bytes(bytes(data))
    r = run("check", db, "--key-file", keyfile)
    assert r.returncode == 1 and "corrupt" in r.stderr


def test_rekey_with_passphrase_files_shows_progress(tmp_path):
    db = tmp_path / "pw.db"
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("old passphrase\n")
    new.write_text("new passphrase\n")
    assert run("init", db, "--passphrase-file", old, "--kdf", "testing").returncode == 0
    r = run("rekey", db, "--passphrase-file", old, "--new-passphrase-file", new, "--kdf", "testing")
    assert r.returncode == 0, r.stderr
    assert "copy" in r.stderr and "swap" in r.stderr  # progress goes to stderr
    assert run("info", db, "--passphrase-file", old).returncode == 1
    assert run("info", db, "--passphrase-file", new).returncode == 0
    r = run("info", db, env={"CASEVAULT_PASSPHRASE": "new passphrase"})
    assert r.returncode == 0, r.stderr


# ---- policy ------------------------------------------------------------------

# The smallest document that validates (docs/policy-format.md).
MINIMAL_POLICY = {
    "format": "casevault-policy/1",
    "metadata": {
        "name": "Inline Test Policy",
        "version": 1,
        "effective_date": "2026-01-01",
        "jurisdiction": "US",
        "controller": {"name": "Test Controller"},
        "text_url": "https://example.test/privacy",
    },
    "categories": [
        {"id": "identity", "description": "Name"},
        {"id": "contact", "description": "Email and phone"},
    ],
    "purposes": [
        {"id": "service", "description": "Provide the service", "legal_basis": "contract",
         "categories": ["identity", "contact"]},
        {"id": "terms", "description": "Accept the policy", "legal_basis": "consent",
         "categories": ["identity"], "requires_fresh_consent": True, "on_decline": "close_and_erase"},
        {"id": "newsletter", "description": "Newsletter", "legal_basis": "consent",
         "categories": ["contact"], "consent_max_duration": "P365D"},
    ],
}


def write_policy(path, doc):
    path.write_text(json.dumps(doc, indent=2))
    return path


def problem_lines(stdout):
    """Each line of `policy lint` output for an invalid document: (pointer, message)."""
    out = []
    for line in stdout.splitlines():
        pointer, sep, message = line.partition(": ")
        assert sep and pointer.startswith("/") and message, line
        out.append((pointer, message))
    return out


@pytest.mark.parametrize("name", ["case-parallels.json", "visapro.json"])
def test_policy_lint_accepts_the_examples(name):
    path = EXAMPLE_POLICIES / name
    r = run("policy", "lint", path)
    assert r.returncode == 0, r.stdout + r.stderr  # stdout lists the problems
    doc = json.loads(path.read_text())
    assert r.stdout == f"ok: {doc['metadata']['name']} version {doc['metadata']['version']}\n"


def test_policy_lint_accepts_an_inline_policy(tmp_path):
    r = run("policy", "lint", write_policy(tmp_path / "p.json", MINIMAL_POLICY))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == "ok: Inline Test Policy version 1\n"


def test_policy_lint_reports_every_problem_with_its_path(tmp_path):
    doc = copy.deepcopy(MINIMAL_POLICY)
    doc["bogus"] = 1
    del doc["metadata"]["name"]
    doc["metadata"]["effective_date"] = "2026-02-30"
    del doc["purposes"][0]["legal_basis"]
    doc["purposes"][1]["categories"] = ["identity", "no_such_category"]
    r = run("policy", "lint", write_policy(tmp_path / "bad.json", doc))
    assert r.returncode == 1, r.stdout + r.stderr
    problems = problem_lines(r.stdout)
    pointers = [p for p, _ in problems]
    for expected in ["/bogus", "/metadata/name", "/metadata/effective_date", "/purposes/0/legal_basis"]:
        assert expected in pointers, r.stdout
    assert any(p.startswith("/purposes/1/categories") for p in pointers), r.stdout
    assert len(problems) == 5, r.stdout
    assert "5 problems" in r.stderr

    # A document that is not JSON at all: one problem, at the root.
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    r = run("policy", "lint", garbage)
    assert r.returncode == 1
    problems = problem_lines(r.stdout)
    assert len(problems) == 1 and problems[0][0] == "/", r.stdout


def test_policy_publish_show_diff_round_trip(tmp_path, keyfile):
    db = tmp_path / "policy.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0

    r = run("policy", "show", db, "--key-file", keyfile)
    assert r.returncode == 1 and "no policy" in r.stderr

    v1 = write_policy(tmp_path / "v1.json", MINIMAL_POLICY)
    r = run("policy", "publish", db, v1, "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    assert "published version 1" in r.stdout
    assert "publishing" in r.stderr  # progress and notes go to stderr
    hash1 = next(line.split()[-1] for line in r.stdout.splitlines() if line.startswith("hash"))
    assert hash1.startswith("sha256:")

    r = run("policy", "show", db, "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Inline Test Policy" in out and "1 (active)" in out and hash1 in out
    assert "2026-01-01" in out and "published at" in out
    for purpose, basis in [("service", "contract"), ("terms", "consent"), ("newsletter", "consent")]:
        assert any(purpose in line and basis in line for line in out.splitlines()), out
    assert "requires fresh consent" in out and "at most 365 days" in out
    assert "identity" in out and "contact" in out

    # --json prints the canonical document: its sha256 is the published hash.
    r = run("policy", "show", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    canonical = r.stdout.rstrip("\n")
    assert "sha256:" + hashlib.sha256(canonical.encode()).hexdigest() == hash1
    assert json.loads(canonical) == MINIMAL_POLICY

    doc2 = copy.deepcopy(MINIMAL_POLICY)
    doc2["metadata"]["version"] = 2
    doc2["categories"].append({"id": "billing", "description": "Payments", "kind": "payment"})
    doc2["purposes"].append({"id": "billing", "description": "Charge", "legal_basis": "contract",
                             "categories": ["billing"]})
    doc2["purposes"] = [p for p in doc2["purposes"] if p["id"] != "newsletter"]
    doc2["purposes"][0]["description"] = "Provide the whole service"
    r = run("policy", "publish", db, write_policy(tmp_path / "v2.json", doc2), "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    assert "published version 2" in r.stdout
    assert "re-consent" in r.stdout and " 0 subjects" in r.stdout  # nobody had granted "terms"
    assert "reconsent" in r.stderr  # the progress phase

    # The same version again is refused; the store keeps version 2.
    r = run("policy", "publish", db, v1, "--key-file", keyfile)
    assert r.returncode == 1 and "not newer" in r.stderr

    r = run("policy", "diff", db, "1", "2", "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert (d["from"], d["to"]) == (1, 2)
    assert d["purposes"] == {"added": ["billing"], "removed": ["newsletter"], "changed": ["service"]}
    assert d["categories"] == {"added": ["billing"], "removed": []}
    assert d["reconsent_purposes"] == ["terms"]
    assert d["retention_changed"] is False and d["roles_changed"] == []

    r = run("policy", "diff", db, "1", "2", "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "policy version 1 -> 2"
    lines = {line[:21].strip(): line[21:].strip() for line in r.stdout.splitlines()[1:]}
    assert lines["purposes added"] == "billing" and lines["purposes removed"] == "newsletter"
    assert lines["purposes changed"] == "service" and lines["re-consent asked for"] == "terms"
    assert run("policy", "diff", db, "1", "9", "--key-file", keyfile).returncode == 1  # no version 9

    r = run("policy", "show", db, "--key-file", keyfile, "--version", "1")
    assert r.returncode == 0 and "1 (superseded)" in r.stdout and hash1 in r.stdout
    assert run("policy", "show", db, "--key-file", keyfile, "--version", "3").returncode == 1

    r = run("info", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["policy"]["version"] == 2 and info["notifications_pending"] == 0
    r = run("info", db, "--key-file", keyfile)
    assert "version 2" in r.stdout and "0 notifications pending" in r.stdout


def test_policy_publish_refuses_an_invalid_document(tmp_path, keyfile):
    db = tmp_path / "policy.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    doc = copy.deepcopy(MINIMAL_POLICY)
    del doc["purposes"][0]["categories"]
    r = run("policy", "publish", db, write_policy(tmp_path / "bad.json", doc), "--key-file", keyfile)
    assert r.returncode == 1
    assert "/purposes/0/categories: missing" in r.stderr and "nothing was published" in r.stderr
    assert run("policy", "show", db, "--key-file", keyfile).returncode == 1


def test_policy_usage_errors(tmp_path, keyfile):
    db = tmp_path / "policy.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    good = write_policy(tmp_path / "p.json", MINIMAL_POLICY)
    for args in [
        ["policy"],
        ["policy", "frobnicate"],
        ["policy", "lint"],
        ["policy", "lint", good, good],
        ["policy", "lint", tmp_path / "missing.json"],   # unreadable: a usage error
        ["policy", "lint", tmp_path],                    # a directory
        ["policy", "lint", good, "--key-file", keyfile],  # lint needs no store
        ["policy", "show"],
        ["policy", "show", db, "--key-file", keyfile, "--version", "x"],
        ["policy", "show", db, "--key-file", keyfile, "--version", "0"],
        ["policy", "show", db, "--key-file", keyfile, "--expect-head", "1:00"],
        ["policy", "publish", db, "--key-file", keyfile],
        ["policy", "publish", db, good, good, "--key-file", keyfile],
        ["policy", "diff", db, "1", "--key-file", keyfile],
        ["policy", "diff", db, "one", "2", "--key-file", keyfile],
    ]:
        r = run(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert "policy lint FILE" in run("help").stdout


def test_principals_assignments_and_can(tmp_path, keyfile):
    import casevault

    db = tmp_path / "team.db"
    assert run("init", db, "--key-file", keyfile).returncode == 0
    assert run("policy", "publish", db, EXAMPLE_POLICIES / "visapro.json", "--key-file", keyfile).returncode == 0
    with casevault.open(db, key=keyfile.read_bytes()) as v:
        ana = v.accounts.create(name="Ana Client", email="ana@example.com").id

    r = run("principal", "add", db, "staff", "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    staff = r.stdout.strip()
    assert staff.startswith("prn_")
    assert run("principal", "add", db, "subject", "--key-file", keyfile).returncode == 1  # subjects are accounts
    assert run("principal", "add", db, "janitor", "--key-file", keyfile).returncode == 2

    r = run("principal", "list", db, "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [{"id": staff, "role": "staff", "created_at": json.loads(r.stdout)[0]["created_at"],
                                     "active": True}]

    # The subject reaches its own account; staff has no grant on accounts in this policy.
    r = run("can", db, ana, "read", "account", ana, "--key-file", keyfile, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"allowed": True, "rule": "/roles/0/grants/0"}
    r = run("can", db, staff, "read", "account", ana, "--key-file", keyfile)
    assert r.returncode == 0 and r.stdout.strip() == "denied no_grant"
    r = run("can", db, "prn_" + "0" * 24, "read", "account", ana, "--key-file", keyfile)
    assert r.stdout.strip() == "denied unknown_actor"
    assert run("can", db, staff, "peek", "account", ana, "--key-file", keyfile).returncode == 2

    # Assignment needs an existing case.
    r = run("case", "assign", db, "cas_" + "0" * 24, staff, "--key-file", keyfile)
    assert r.returncode == 1 and "no case" in r.stderr
    r = run("case", "assign", db, "not-a-case", staff, "--key-file", keyfile)
    assert r.returncode == 1 and "invalid_argument" in r.stderr

    r = run("principal", "disable", db, staff, "--key-file", keyfile)
    assert r.returncode == 0, r.stderr
    r = run("principal", "list", db, "--key-file", keyfile)
    assert "(disabled)" in r.stdout
    r = run("can", db, staff, "read", "account", ana, "--key-file", keyfile)
    assert r.stdout.strip() == "denied actor_disabled"

    # The denials are in the (intact) audit chain.
    with casevault.open(db, key=keyfile.read_bytes()) as v:
        denied = [e for e in v.audit.read(action="access.denied")]
        assert [e.reason for e in denied] == ["no_grant", "unknown_actor", "actor_disabled"]
    assert run("audit", "verify", db, "--key-file", keyfile).returncode == 0

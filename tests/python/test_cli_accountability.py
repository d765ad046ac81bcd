"""The operator CLI's accountability commands, run as a subprocess: export
(streamed to stdout), report aggregates (a table, or JSON), disclosure list
and subprocessor list/add/retire.

The store is set up through the CLI (init, policy publish) and the Python
package; the commands under test go through the CLI.
"""
import json
import os
import subprocess

import pytest

import casevault
from test_cli import CLI, CliStore, keyfile, run  # noqa: F401 - keyfile is a fixture

pytestmark = pytest.mark.skipif(not CLI, reason="CASEVAULT_CLI not set (run through ctest)")

K = 5  # Case Parallels leaves aggregates.min_count at its default
WARRANT_REF = "W-Clicanary-77"
RECIPIENT = "Field Office Clicanary"
OTHER_CANARY = "Othercli Canarybody"


class Store(CliStore):
    """A Case Parallels store with two subjects: `own` (a case, a message,
    a payment, a disclosure under a warrant) and `other` (a message), and
    eight more accounts with cases so that some aggregate cells reach k."""

    def __init__(self, tmp_path, keyfile):
        super().__init__(tmp_path / "acc.db", keyfile)
        with self.open() as v:
            self.own = v.accounts.create(name="Olga Clicanary", email="olga@example.com").id
            self.case = v.cases.open(self.own, self.own, "I-130", receipt_number="EAC2190000001").id
            v.correspondence.record(self.own, self.own, body="own message \u00e9\u6f22",
                                    channel="web_form", direction="outbound")
            v.billing.record(self.own, self.own, amount_minor=4900, currency="USD", card_brand="visa",
                             last4="1111", billing_state="NY")
            self.other = v.accounts.create(name="Other Person", email="other@example.com").id
            v.correspondence.record(self.other, self.other, body=OTHER_CANARY, channel="web_form",
                                    direction="outbound")
            for i in range(8):
                a = v.accounts.create(name="P", email=f"p{i}@example.com").id
                v.cases.open(a, a, "I-130" if i < 6 else "N-400")
            self.disclosure = v.disclosures.record(
                self.own, recipient="law_enforcement", categories=["identity"],
                recipient_name=RECIPIENT,
                process=casevault.LegalProcess("warrant", reference=WARRANT_REF)).id


@pytest.fixture
def store(tmp_path, keyfile):  # noqa: F811 - the fixture imported above
    return Store(tmp_path, keyfile)


# ---- export -----------------------------------------------------------------------


def test_export_writes_the_document_to_stdout(store, tmp_path):
    r = store.ok("export", store.db, store.own)
    doc = json.loads(r.stdout)                                # stdout holds only the document
    assert doc["format"] == "casevault-export/1" and doc["subject"] == store.own
    assert doc["account"]["name"] == "Olga Clicanary"
    assert [c["id"] for c in doc["cases"]] == [store.case]
    assert [m["body"] for m in doc["correspondence"]] == ["own message \u00e9\u6f22"]
    assert [d["id"] for d in doc["disclosures"]] == [store.disclosure]
    assert store.other not in r.stdout and OTHER_CANARY not in r.stdout
    assert WARRANT_REF not in r.stdout

    # Redirected to a file, as `casevault export PATH SUBJECT > file.json`.
    out = tmp_path / "out.json"
    with open(out, "wb") as fp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CASEVAULT_")}
        p = subprocess.run([CLI, "export", str(store.db), store.own, "--key-file", str(store.key)],
                           stdout=fp, stderr=subprocess.PIPE, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(out.read_bytes().decode("utf-8"))["subject"] == store.own

    with store.open() as v:
        assert [e.subject for e in v.audit.read(action="subject.export")] == [store.own, store.own]


def test_export_errors(store):
    r = store.cli("export", store.db, "acc_" + "0" * 24)
    assert r.returncode == 1 and "not_found" in r.stderr and r.stdout == ""
    assert store.cli("export", store.db).returncode == 2
    assert store.cli("export", store.db, store.own, store.other).returncode == 2
    assert store.cli("export", store.db, store.own, "--json").returncode == 2
    assert store.cli("export").returncode == 2


# ---- report aggregates -----------------------------------------------------------------


def published_counts(table):
    return [c["count"] for c in table["cells"] + table["margins"] + [table["total"]]
            if c["count"] is not None]


def test_report_aggregates_json(store):
    report = store.json("report", "aggregates", store.db)
    tables = report["tables"]
    assert [t["name"] for t in tables] == ["cases", "accounts", "billing"]
    for t in tables:
        assert t["min_count"] == K
        for c in t["cells"] + t["margins"] + [t["total"]]:
            if c["suppressed"]:
                assert c["count"] is None and c.get("total_minor") is None
            else:
                assert c["count"] >= K
        assert all(n >= K for n in published_counts(t))
    cases = tables[0]
    assert cases["dimensions"] == ["form_type", "status", "month"]
    assert cases["total"]["count"] == 9                       # 1 + 8 cases
    assert tables[2]["currency"] == "USD" and tables[2]["total"]["suppressed"]   # one payment
    text = json.dumps(report)
    assert store.own not in text and store.other not in text and "acc_" not in text

    assert store.json("report", "aggregates", store.db, "--min-count", "9")["tables"][0]["min_count"] == 9
    narrow = store.json("report", "aggregates", store.db, "--since", "2000-01-01", "--until", "2000-02-01")
    assert all(t["total"]["count"] in (None, 0) for t in narrow["tables"])
    ok = store.json("report", "aggregates", store.db, "--purpose", "aggregate_analytics")
    assert ok["tables"][0]["total"]["count"] == 9


def test_report_aggregates_table(store):
    r = store.ok("report", "aggregates", store.db)
    assert "cases" in r.stdout and "accounts" in r.stdout and "suppressed" in r.stdout
    header = None
    counts = []
    for line in r.stdout.splitlines():
        words = line.split()
        if not words:
            continue
        if "count" in words:
            header = words
            continue
        if header and len(words) == len(header):
            for name, word in zip(header, words):
                if name in ("count", "total"):
                    assert word == "suppressed" or word.isdigit(), line
                    if name == "count" and word.isdigit():
                        counts.append(int(word))
    assert counts and all(n >= K for n in counts)            # never a count below k
    assert "9" in [w for line in r.stdout.splitlines() for w in line.split()]
    assert "acc_" not in r.stdout


def test_report_refusals_and_usage(store):
    r = store.cli("report", "aggregates", store.db, "--purpose", "billing")
    assert r.returncode == 1 and "invalid_argument" in r.stderr
    assert store.cli("report", "aggregates", store.db, "--min-count", "3").returncode == 1   # below k
    for window in (["--since", "2026-01-15"], ["--until", "2026-02-01T00:00:01Z"]):  # whole months only
        r = store.cli("report", "aggregates", store.db, *window)
        assert r.returncode == 1 and "invalid_argument" in r.stderr, (window, r.stderr)
    for bad in (["report"], ["report", "totals", store.db], ["report", "aggregates"],
                ["report", "aggregates", store.db, store.db],
                ["report", "aggregates", store.db, "--min-count", "0"],
                ["report", "aggregates", store.db, "--min-count", "many"],
                ["report", "aggregates", store.db, "--since", "yesterday"],
                ["report", "aggregates", store.db, "--since", "2026-02-01", "--until", "2026-01-01"],
                ["report", "aggregates", store.db, "--all"],
                ["report", "aggregates", store.db, "--location", "US"]):
        r = store.cli(*bad)
        assert r.returncode == 2, (bad, r.stderr)
        assert "casevault --help" in r.stderr


# ---- disclosures and subprocessors ---------------------------------------------------------


def test_disclosure_list(store):
    listed = store.json("disclosure", "list", store.db)
    assert [d["id"] for d in listed] == [store.disclosure]
    d = listed[0]
    assert (d["subject"], d["recipient"], d["rule"], d["process"]) == (
        store.own, "law_enforcement", "us-legal-process", "warrant")
    assert d["notice"] == "queued" and d["nondisclosure"] is False
    assert store.json("disclosure", "list", store.db, store.own) == listed
    assert store.json("disclosure", "list", store.db, store.other) == []
    r = store.ok("disclosure", "list", store.db)
    assert store.disclosure in r.stdout and "warrant" in r.stdout
    for out in (r.stdout, json.dumps(listed)):
        assert WARRANT_REF not in out and RECIPIENT not in out
    assert store.cli("disclosure").returncode == 2
    assert store.cli("disclosure", "show", store.db).returncode == 2
    assert store.cli("disclosure", "list").returncode == 2
    assert store.cli("disclosure", "list", store.db, "--all").returncode == 2


def test_subprocessor_add_list_retire(store):
    assert store.json("subprocessor", "list", store.db) == []
    added = store.json("subprocessor", "add", store.db, "Mailer Inc", "--purpose", "service_updates",
                       "--categories", "contact, identity", "--location", "US")
    assert (added["name"], added["purpose"], added["categories"], added["location"]) == (
        "Mailer Inc", "service_updates", ["contact", "identity"], "US")
    assert added["retired_at"] is None
    assert [s["name"] for s in store.json("subprocessor", "list", store.db)] == ["Mailer Inc"]
    r = store.ok("subprocessor", "list", store.db)
    assert "Mailer Inc" in r.stdout and "service_updates" in r.stdout

    r = store.cli("subprocessor", "add", store.db, "Mailer Inc", "--purpose", "service_updates",
                  "--categories", "contact", "--location", "US")
    assert r.returncode == 1 and "duplicate" in r.stderr
    r = store.cli("subprocessor", "add", store.db, "Bad", "--purpose", "nope", "--categories", "contact",
                  "--location", "US")
    assert r.returncode == 1 and "invalid_argument" in r.stderr

    retired = store.json("subprocessor", "retire", store.db, "Mailer Inc")
    assert retired["retired_at"] is not None
    assert store.json("subprocessor", "list", store.db) == []
    assert [s["name"] for s in store.json("subprocessor", "list", store.db, "--all")] == ["Mailer Inc"]

    for bad in (["subprocessor"], ["subprocessor", "remove", store.db, "X"],
                ["subprocessor", "add", store.db, "X"],
                ["subprocessor", "add", store.db, "X", "--purpose", "service_updates", "--location", "US"],
                ["subprocessor", "add", store.db, "--purpose", "service_updates", "--categories", "contact",
                 "--location", "US"],
                ["subprocessor", "add", store.db, "X", "--purpose", "service_updates", "--categories", ",",
                 "--location", "US"],
                ["subprocessor", "retire", store.db],
                ["subprocessor", "list", store.db, "extra"]):
        assert store.cli(*bad).returncode == 2, bad


def test_help_names_the_new_commands():
    out = run("--help").stdout
    for words in ("export PATH SUBJECT", "report aggregates PATH", "disclosure list PATH",
                  "subprocessor add PATH NAME", "--min-count K"):
        assert words in out, words

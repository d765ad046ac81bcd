"""Policy as code: lint, parse, publish, versions and diffs."""

import copy
import hashlib
import json

import pytest

import casevault
from conftest import open_store
from policy_docs import T0, FakeClock, example_path, load_example, next_version, small_policy


@pytest.fixture
def clock():
    return FakeClock(T0)


@pytest.fixture
def cvault(store_path, clock):
    """An open store on the fake clock."""
    v = open_store(store_path, clock=clock)
    try:
        yield v
    finally:
        v.close()


# ---- lint and parse ---------------------------------------------------------------


def test_lint_valid_policy_in_every_form():
    doc = small_policy()
    assert casevault.lint_policy(doc) == []
    assert casevault.lint_policy(json.dumps(doc)) == []
    assert casevault.lint_policy(json.dumps(doc).encode("utf-8")) == []


def test_lint_problems_with_json_paths():
    doc = small_policy()
    doc["purposes"][1].pop("legal_basis")
    doc["purposes"][0]["colour"] = "blue"                  # misspelt key
    doc["purposes"][2]["categories"] = ["contact", "nope"]  # unknown category
    doc["purposes"][4]["consent_max_duration"] = "30 days"
    doc["purposes"][5]["requires_fresh_consent"] = True     # not a consent purpose
    doc["metadata"]["effective_date"] = "2025-02-30"
    doc["a/b"] = 1                                          # escaped in the pointer
    doc["categories"].append({"id": "identity", "description": "again"})

    problems = casevault.lint_policy(doc)
    assert all(isinstance(p, casevault.PolicyProblem) for p in problems)
    by_path = {p.path: p.message for p in problems}
    assert by_path["/purposes/1/legal_basis"].startswith("missing")
    assert by_path["/purposes/0/colour"] == "unknown key"
    assert "nope" in by_path["/purposes/2/categories/1"]
    assert "duration" in by_path["/purposes/4/consent_max_duration"]
    assert "/purposes/5/requires_fresh_consent" in by_path
    assert "date" in by_path["/metadata/effective_date"]
    assert by_path["/a~1b"] == "unknown key"
    assert "duplicate" in by_path["/categories/4/id"]
    assert len(problems) == 8, problems
    assert str(problems[0]).startswith(problems[0].path)


def test_lint_malformed_json_and_wrong_types():
    problems = casevault.lint_policy('{"format": ')
    assert len(problems) == 1 and problems[0].path == "" and "JSON" in problems[0].message
    assert [p.path for p in casevault.lint_policy("[]")] == [""]
    with pytest.raises(TypeError):
        casevault.lint_policy(42)
    with pytest.raises(casevault.InvalidArgumentError):
        casevault.lint_policy({"x": {1, 2}})               # not JSON-serialisable
    with pytest.raises(casevault.InvalidArgumentError):
        casevault.lint_policy(b"\xff\xfe")                 # not UTF-8


def test_lint_message_truncation_stays_text():
    # A problem message quotes at most 64 bytes of the bad value; cut inside
    # a multi-byte character it must still arrive as str.
    doc = small_policy()
    doc["purposes"][0]["legal_basis"] = "x" * 63 + "\u00e9"
    problems = casevault.lint_policy(doc)
    assert [p.path for p in problems] == ["/purposes/0/legal_basis"]
    assert isinstance(problems[0].message, str)


def test_parse_policy():
    doc = small_policy()
    p = casevault.parse_policy(doc)
    assert isinstance(p, casevault.PolicyVersion)
    assert p.version == 1 and p.name == "Test Co Privacy Policy"
    assert p.effective_date == "2025-01-01" and p.jurisdiction == "US"
    assert p.text_url == "https://example.com/privacy" and p.text_sha256 == ""
    assert p.published_at == 0 and p.active is False
    assert [c.id for c in p.categories] == ["identity", "contact", "case_data", "visitor_data"]
    assert [c.kind for c in p.categories] == ["personal", "personal", "personal", "device"]
    assert [x.id for x in p.purposes] == [x["id"] for x in doc["purposes"]]
    # The canonical document: sorted keys, no whitespace; the hash is its SHA-256.
    assert p.document == json.dumps(doc, sort_keys=True, separators=(",", ":"))
    assert p.document_dict() == doc
    assert p.hash == "sha256:" + hashlib.sha256(p.document.encode()).hexdigest()

    sa = p.purpose("support_access")
    assert sa.legal_basis == "consent" and sa.consent_max_days == 30
    assert sa.categories == ("case_data",) and sa.account_statuses == ("active",)
    assert p.purpose("terms").close_on_decline is True
    assert p.purpose("tax").account_statuses == ("active", "cancelled", "closed")
    assert p.purpose("stats_cookies").third_party_disclosure is True
    assert p.purpose("service").consent_max_days is None and p.purpose("service").data_form == "identified"
    assert p.purpose("nope") is None
    assert "Test Co" in repr(p) and "document" not in repr(p)
    # Key order and whitespace do not change the hash.
    assert casevault.parse_policy(json.dumps(doc, indent=2)).hash == p.hash


def test_parse_policy_raises_with_every_problem():
    doc = small_policy()
    doc["purposes"][0]["legal_basis"] = "whim"
    doc["metadata"].pop("jurisdiction")
    with pytest.raises(casevault.PolicyInvalidError) as e:
        casevault.parse_policy(doc)
    err = e.value
    assert isinstance(err, casevault.InvalidArgumentError) and isinstance(err, ValueError)
    assert err.code == -2 and err.name == "invalid_argument"
    assert {p.path for p in err.problems} == {"/purposes/0/legal_basis", "/metadata/jurisdiction"}
    assert all(isinstance(p, casevault.PolicyProblem) for p in err.problems)
    assert "/purposes/0/legal_basis" in str(err)


def test_reference_policies_lint_clean():
    for name in ("case-parallels.json", "visapro.json"):
        doc = load_example(name)
        assert casevault.lint_policy(doc) == [], name
        with open(example_path(name), "rb") as fh:
            assert casevault.lint_policy(fh.read()) == [], name
        assert casevault.parse_policy(doc).version == 1


# ---- publish, versions, diff ------------------------------------------------------------


def test_publish_active_get_list(cvault, clock):
    assert cvault.policy.active() is None
    assert cvault.policy.list() == []
    with pytest.raises(casevault.NotFoundError):
        cvault.policy.get(1)

    r = cvault.policy.publish(small_policy(1))
    assert isinstance(r, casevault.PublishResult)
    assert r.subjects_reconsent == 0 and r.notifications == 0
    assert r.policy.version == 1 and r.policy.active and r.policy.published_at == T0

    active = cvault.policy.active()
    assert active == cvault.policy.get(1)
    assert active.version == 1 and active.active and active.published_at == T0
    assert active.hash == casevault.parse_policy(small_policy(1)).hash == r.policy.hash
    assert active.document_dict() == small_policy(1)

    clock.advance(3600)
    cvault.policy.publish(json.dumps(small_policy(2, effective_date="2025-06-01")))
    versions = cvault.policy.list()
    assert [v.version for v in versions] == [1, 2]
    assert [v.active for v in versions] == [False, True]
    assert [v.published_at for v in versions] == [T0, T0 + 3600]
    assert all(v.document == "" for v in versions)        # list() leaves the document out
    assert cvault.policy.get(1).active is False and cvault.policy.get(1).document
    assert cvault.policy.active().version == 2
    assert cvault.policy.active().effective_date == "2025-06-01"

    actions = [e.action for e in cvault.audit.read(action="policy.")]
    assert actions == ["policy.publish", "policy.publish"]


def test_publish_older_or_same_version_changes_nothing(cvault):
    cvault.policy.publish(small_policy(2))
    before = cvault.policy.list()
    entries = len(cvault.audit.read(limit=100000))
    for version in (1, 2):
        with pytest.raises(casevault.InvalidArgumentError) as e:
            cvault.policy.publish(small_policy(version, effective_date="2026-01-01"))
        assert not isinstance(e.value, casevault.PolicyInvalidError)
        assert "not newer" in str(e.value)
    assert cvault.policy.list() == before
    assert cvault.policy.active().version == 2
    assert len(cvault.audit.read(limit=100000)) == entries
    assert cvault.audit.verify().ok


def test_publish_invalid_policy_changes_nothing(cvault):
    cvault.policy.publish(small_policy(1))
    bad = small_policy(2)
    bad["purposes"][3]["legal_basis"] = "because"
    bad["subscriptions"][0]["purpose"] = "service"         # not a consent purpose
    with pytest.raises(casevault.PolicyInvalidError) as e:
        cvault.policy.publish(bad)
    assert {p.path for p in e.value.problems} == {"/purposes/3/legal_basis", "/subscriptions/0/purpose"}
    with pytest.raises(casevault.PolicyInvalidError) as e:
        cvault.policy.publish("not json")
    assert [p.path for p in e.value.problems] == [""]
    assert [v.version for v in cvault.policy.list()] == [1]
    assert cvault.policy.active().version == 1


def test_diff(cvault):
    v1 = small_policy(1)
    cvault.policy.publish(v1)
    v2 = next_version(v1, 2, marketing={"requires_fresh_consent": True},
                      newsletter={"description": "Weekly newsletter"})
    v2["purposes"] = [p for p in v2["purposes"] if p["id"] != "fraud"]
    v2["purposes"].append({"id": "surveys", "description": "Surveys", "legal_basis": "consent",
                           "categories": ["contact", "survey_answers"]})
    v2["categories"].append({"id": "survey_answers", "description": "Survey answers"})
    v2["roles"][1]["grants"][0]["actions"] = ["read", "write"]
    v2["retention"] = {"rules": [{"id": "r1", "categories": ["case_data"], "trigger": "cancellation",
                                  "after": "P30D", "action": "delete"}]}
    cvault.policy.publish(v2)

    d = cvault.policy.diff(1, 2)
    assert isinstance(d, casevault.PolicyDiff)
    assert d.from_ == 1 and d.to == 2
    assert d.purposes_added == ("surveys",)
    assert d.purposes_removed == ("fraud",)
    assert set(d.purposes_changed) == {"marketing", "newsletter"}
    assert d.categories_added == ("survey_answers",) and d.categories_removed == ()
    assert d.roles_changed == ("support",)
    assert d.retention_changed is True
    assert d.disclosures_changed is False and d.notifications_changed is False
    assert d.reconsent_purposes == ("marketing",)

    back = cvault.policy.diff(2, 1)
    assert back.purposes_added == ("fraud",) and back.purposes_removed == ("surveys",)
    same = cvault.policy.diff(2, 2)
    assert same.purposes_added == same.purposes_removed == same.purposes_changed == ()
    assert not (same.retention_changed or same.disclosures_changed or same.notifications_changed)
    with pytest.raises(casevault.NotFoundError):
        cvault.policy.diff(1, 3)


def test_publish_progress_and_cancel(cvault, clock):
    cvault.policy.publish(small_policy(1))
    people = [cvault.accounts.create(name=f"P{i}", email=f"p{i}@example.com") for i in range(3)]
    for p in people:
        cvault.consents.grant(p.id, "terms")
    v2 = small_policy(2, fresh=("terms",))

    with pytest.raises(casevault.CancelledError):
        cvault.policy.publish(v2, progress=lambda phase, done, total: False)
    assert cvault.policy.active().version == 1 and cvault.outbox.pending() == 0

    class Boom(Exception):
        pass

    def explode(phase, done, total):
        raise Boom()

    with pytest.raises(Boom):
        cvault.policy.publish(v2, progress=explode)
    assert cvault.policy.active().version == 1 and cvault.outbox.pending() == 0
    with pytest.raises(TypeError):
        cvault.policy.publish(v2, progress="not callable")

    calls = []
    r = cvault.policy.publish(v2, progress=lambda *a: calls.append(a))
    assert r.subjects_reconsent == 3 and r.notifications == 3
    assert calls[0] == ("reconsent", 0, 3) and calls[-1] == ("reconsent", 3, 3)


def test_policy_calls_after_close(store_path):
    v = open_store(store_path)
    v.policy.publish(small_policy(1))
    v.close()
    with pytest.raises(casevault.ClosedError):
        v.policy.active()
    with pytest.raises(casevault.ClosedError):
        v.policy.publish(small_policy(2))


def test_published_policy_survives_reopen(store_path):
    with open_store(store_path) as v:
        v.policy.publish(small_policy(1))
        v.policy.publish(small_policy(2))
        h = v.policy.active().hash
    with open_store(store_path) as v:
        assert v.policy.active().hash == h
        assert [p.version for p in v.policy.list()] == [1, 2]


def test_reference_policies_publish(cvault):
    cp = load_example("case-parallels.json")
    r = cvault.policy.publish(cp)
    assert r.policy.version == 1 and r.policy.jurisdiction == "US"
    terms = r.policy.purpose("terms")
    assert terms.requires_fresh_consent and terms.close_on_decline
    assert r.policy.purpose("support_access").consent_max_days == 30
    # VisaPro as a later version of the same store.
    vp = copy.deepcopy(load_example("visapro.json"))
    vp["metadata"]["version"] = 2
    cvault.policy.publish(vp)
    d = cvault.policy.diff(1, 2)
    assert "newsletter" in d.purposes_added and "terms" in d.purposes_removed

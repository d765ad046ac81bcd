"""Team access through the Python package: every role against every record
kind under both reference policies (examples/policies/visapro.json and
case-parallels.json), checked with vault.can() and with the calls
themselves (AccessDeniedError.rule), plus the scenarios: staff on case A
asking for case B, support before and after its consent expires, unknown
and disabled actors, and the audit entries of denials."""

import pytest

import casevault
from policy_docs import DAY, T0
from records_world import RECEIPT_A, UNKNOWN_ACCOUNT, UNKNOWN_PRINCIPAL, build

A = "allowed"


def records(w):
    """kind, record id pairs of the world, by short name."""
    out = {
        "case_a": ("case", w.case_a.id),
        "case_b": ("case", w.case_b.id),
        "msg_a": ("correspondence", w.msg_a.id),
        "msg_loose": ("correspondence", w.msg_loose.id),
        "payment": ("billing", w.payment.id),
        "account": ("account", w.owner.id),
    }
    if w.post is not None:
        out["post"] = ("post", w.post.id)
    return out


def check_matrix(w, expected):
    """expected: {actor: {action: {record name: rule}}}; every mismatch is
    reported at once."""
    recs = records(w)
    wrong = []
    for who, by_action in expected.items():
        for action, by_record in by_action.items():
            for name, rule in by_record.items():
                kind, rid = recs[name]
                got = w.rule(who, action, kind, rid)
                if got != rule:
                    wrong.append(f"{who} {action} {name}: expected {rule}, got {got}")
    assert wrong == []


# ---- visapro --------------------------------------------------------------------------------

# Roles: 0 subject, 1 attorney, 2 staff, 3 system, 4 agency (no support role).
VISAPRO = {
    "owner": {
        "read": dict(case_a=A, case_b=A, msg_a=A, msg_loose=A, payment=A, post=A, account=A),
        "write": dict(case_a=A, msg_a=A, payment=A, post=A),
        "erase": dict(case_a="no_grant", msg_a="no_grant", payment="no_grant", post=A),
        "export": dict(case_a="no_grant"),
    },
    "other": {
        "read": dict(case_a="not_owner", msg_a="not_owner", msg_loose="not_owner", payment="not_owner",
                     post=A, account="not_owner"),                  # posts are public
        "write": dict(case_a="not_owner", msg_a="not_owner", payment="not_owner", post="not_owner"),
        "erase": dict(case_a="no_grant", post="not_owner"),
    },
    "attorney": {
        "read": dict(case_a=A, case_b="not_assigned", msg_a=A, msg_loose="not_assigned",
                     payment="no_grant", post="no_grant", account="no_grant"),
        "write": dict(case_a=A, case_b="not_assigned", msg_a=A),
        "disclose": dict(case_a=A, case_b="not_assigned"),
        "erase": dict(case_a="no_grant"),
    },
    "staff": {
        "read": dict(case_a=A, case_b="not_assigned", msg_a=A, msg_loose="not_assigned",
                     payment="no_grant", post="no_grant", account="no_grant"),
        "write": dict(case_a=A, case_b="not_assigned", msg_a=A, payment="no_grant"),
        "disclose": dict(case_a="no_grant"),
    },
    "staff2": {
        "read": dict(case_a="not_assigned", case_b=A),
    },
    "support": {
        "read": dict(case_a="role_not_in_policy", msg_a="role_not_in_policy", payment="role_not_in_policy",
                     post="role_not_in_policy", account="role_not_in_policy"),
    },
    "system": {
        "read": dict(case_a=A, case_b=A, msg_a=A, payment=A, post=A, account=A),
        "write": dict(case_a=A, msg_a=A, payment=A, post=A),
        "erase": dict(case_a=A, msg_a=A, payment=A, post=A),
        "export": dict(case_a="no_grant"),
    },
    "agency": {
        "read": dict(case_a="no_grant", msg_a="no_grant", payment="no_grant", post="no_grant",
                     account="no_grant"),
        "disclose": dict(case_a="no_grant"),
    },
}


def test_visapro_matrix(vw):
    check_matrix(vw, VISAPRO)


def test_visapro_grant_pointers(vw):
    """An allowed verdict names the grant that allowed it."""
    v = vw.vault
    o, other = vw.owner.id, vw.other.id
    assert v.can(o, "read", "case", vw.case_a.id).rule == "/roles/0/grants/0"
    assert v.can(other, "read", "post", vw.post.id).rule == "/roles/0/grants/1"
    assert v.can(o, "read", "billing", vw.payment.id).rule == "/roles/0/grants/2"
    assert v.can(o, "erase", "post", vw.post.id).rule == "/roles/0/grants/3"
    assert v.can(vw.p["attorney"].id, "write", "correspondence", vw.msg_a.id).rule == "/roles/1/grants/0"
    assert v.can(vw.p["attorney"].id, "disclose", "case", vw.case_a.id).rule == "/roles/1/grants/1"
    assert v.can(vw.p["staff"].id, "read", "case", vw.case_a.id).rule == "/roles/2/grants/0"
    assert v.can(vw.p["system"].id, "erase", "billing", vw.payment.id).rule == "/roles/3/grants/0"


def test_visapro_calls_enforce_the_matrix(vw):
    """The calls decide as can() does: allowed reads return the record,
    denied ones raise AccessDeniedError with the same rule."""
    v = vw.vault
    calls = {
        "case_a": lambda who: v.cases.get(vw.id(who), vw.case_a.id),
        "case_b": lambda who: v.cases.get(vw.id(who), vw.case_b.id),
        "msg_a": lambda who: v.correspondence.get(vw.id(who), vw.msg_a.id),
        "msg_loose": lambda who: v.correspondence.get(vw.id(who), vw.msg_loose.id),
        "payment": lambda who: v.billing.get(vw.id(who), vw.payment.id),
        "post": lambda who: v.posts.get(vw.id(who), vw.post.id),
    }
    wrong = []
    for who, by_action in VISAPRO.items():
        for name, rule in by_action["read"].items():
            if name not in calls:
                continue
            try:
                got = calls[name](who)
            except casevault.AccessDeniedError as e:
                if e.rule != rule:
                    wrong.append(f"{who} {name}: expected {rule}, raised {e.rule}")
            else:
                if rule != A:
                    wrong.append(f"{who} {name}: expected {rule}, allowed")
                elif got.id != records(vw)[name][1]:
                    wrong.append(f"{who} {name}: wrong record")
    assert wrong == []


def test_staff_on_case_a_asking_for_case_b(vw):
    v = vw.vault
    staff = vw.p["staff"].id
    assert v.cases.get(staff, vw.case_a.id).form_type == "I-485"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.get(staff, vw.case_b.id)
    assert e.value.rule == "not_assigned"
    assert "WAC" not in str(e.value)
    # Writes are refused the same way, and change nothing.
    before = v.cases.get(vw.owner.id, vw.case_b.id)
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.update(staff, vw.case_b.id, form_type="N-400")
    assert e.value.rule == "not_assigned"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.add_status(staff, vw.case_b.id, "approved", "manual")
    assert e.value.rule == "not_assigned"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.history(staff, vw.case_b.id)
    assert e.value.rule == "not_assigned"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.correspondence.get(staff, vw.msg_b.id)
    assert e.value.rule == "not_assigned"
    # A lookup by value: a case the actor may not read is no match (audited).
    assert v.cases.find_by_receipt(staff, "WAC 219 005 4321") is None
    # Each denial is audited: who, whose record, which, why.
    denials = v.audit.read(action="access.denied")
    assert len(denials) == 6
    assert all((d.actor, d.subject, d.outcome, d.reason) == (staff, vw.owner.id, "denied", "not_assigned")
               for d in denials)
    assert denials[0].target == "read case:" + vw.case_b.id
    assert denials[1].target == "write case:" + vw.case_b.id
    assert denials[4].target == "read correspondence:" + vw.msg_b.id
    assert v.audit.verify().ok

    assert v.cases.get(vw.owner.id, vw.case_b.id) == before
    assert v.cases.history(vw.owner.id, vw.case_b.id) == []
    # A list leaves out what the actor may not read.
    assert [c.id for c in v.cases.list(staff, vw.owner.id)] == [vw.case_a.id]
    assert [c.id for c in v.cases.list(vw.p["staff2"].id, vw.owner.id)] == [vw.case_b.id]
    assert {m.id for m in v.correspondence.list(staff, vw.owner.id)} == {vw.msg_a.id}


def test_visapro_write_rules(vw):
    """Opening cases, recording messages and payments, publishing posts."""
    v = vw.vault
    att, staff, agency = vw.p["attorney"].id, vw.p["staff"].id, vw.p["agency"].id
    # A subject opens its own cases only; agencies open none.
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.open(vw.owner.id, vw.other.id, "N-400")
    assert e.value.rule == "not_owner"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.open(agency, vw.other.id, "N-400")
    assert e.value.rule == "no_grant"
    # Staff open cases (and are assigned), record messages on their cases only.
    c = v.cases.open(staff, vw.other.id, "I-765")
    assert v.cases.assignees(c.id) == [staff]
    m = v.correspondence.record(staff, vw.other.id, body="Intake call", channel="phone",
                                direction="outbound", case_id=c.id)
    assert v.correspondence.get(staff, m.id) == m
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.correspondence.record(staff, vw.owner.id, body="x", channel="phone", direction="outbound",
                                case_id=vw.case_b.id)
    assert e.value.rule == "not_assigned"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.correspondence.record(att, vw.owner.id, body="x", channel="phone", direction="outbound")
    assert e.value.rule == "not_assigned"                     # no case: nobody is assigned to it
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.billing.record(att, vw.owner.id, amount_minor=100, currency="USD", card_brand="visa",
                         last4="4242")
    assert e.value.rule == "no_grant"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.posts.publish(att, "Tips", "From the attorney", author=vw.owner.id)
    assert e.value.rule == "no_grant"
    assert len(v.billing.list(vw.owner.id, vw.owner.id)) == 1
    assert [p.id for p in v.posts.list(vw.owner.id)] == [vw.post.id]


# ---- case-parallels ---------------------------------------------------------------------------

# Roles: 0 subject, 1 support, 2 system, 3 agency (no attorney or staff role).
PARALLELS = {
    "owner": {
        "read": dict(case_a=A, case_b=A, msg_a=A, payment=A, account=A),
        "write": dict(case_a=A, msg_a=A, payment=A),
        "erase": dict(case_a=A, msg_a="no_grant", payment="no_grant"),
    },
    "other": {
        "read": dict(case_a="not_owner", msg_a="not_owner", payment="not_owner", account="not_owner"),
        "write": dict(case_a="not_owner", msg_a="not_owner", payment="not_owner"),
        "erase": dict(case_a="not_owner"),
    },
    "attorney": {
        "read": dict(case_a="role_not_in_policy", msg_a="role_not_in_policy", payment="role_not_in_policy"),
    },
    "staff": {
        "read": dict(case_a="role_not_in_policy", msg_a="role_not_in_policy", payment="role_not_in_policy"),
        "write": dict(case_a="role_not_in_policy"),
    },
    "support": {
        "read": dict(case_a="no_support_grant", case_b="no_support_grant", msg_a=A, msg_loose=A,
                     payment=A, account="no_grant"),
        "write": dict(case_a="no_grant", msg_a=A, payment="no_grant"),
        "erase": dict(msg_a="no_grant"),
    },
    "system": {
        "read": dict(case_a=A, msg_a=A, payment=A, account=A),
        "erase": dict(case_a=A, msg_a=A, payment=A),
    },
    "agency": {
        "read": dict(case_a="needs_legal_process", msg_a="needs_legal_process",
                     payment="needs_legal_process", account="needs_legal_process"),
        "write": dict(case_a="no_grant"),
    },
}


def test_case_parallels_matrix(cw):
    check_matrix(cw, PARALLELS)
    v = cw.vault
    assert v.can(cw.owner.id, "write", "billing", cw.payment.id).rule == "/roles/0/grants/2"
    assert v.can(cw.p["support"].id, "write", "correspondence", cw.msg_a.id).rule == "/roles/1/grants/1"
    assert v.can(cw.p["support"].id, "read", "billing", cw.payment.id).rule == "/roles/1/grants/2"
    assert v.can(cw.p["system"].id, "read", "case", cw.case_a.id).rule == "/roles/2/grants/0"


def test_case_parallels_has_no_board(cw):
    with pytest.raises(casevault.AccessDeniedError) as e:
        cw.vault.posts.publish(cw.owner.id, "Hello", "Nobody may post here")
    assert e.value.rule == "no_grant"
    for who in ("owner", "system", "support"):
        with pytest.raises(casevault.AccessDeniedError):
            cw.vault.posts.publish(cw.id(who), "t", "b", author=cw.owner.id)


def test_support_before_during_and_after_its_grant(cw):
    v, clock = cw.vault, cw.clock
    support, owner = cw.p["support"].id, cw.owner.id
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.get(support, cw.case_a.id)
    assert e.value.rule == "no_support_grant"
    assert v.cases.list(support, owner) == []

    until = T0 + 2 * 3600
    v.consents.grant(owner, "support_access", scope=cw.case_a.id, expires_at=until)
    got = v.cases.get(support, cw.case_a.id)
    assert got.id == cw.case_a.id and got.receipt_number == RECEIPT_A
    assert cw.rule("support", "read", "case", cw.case_a.id) == A
    # Scoped to case A: case B stays closed, and the list shows A only.
    assert cw.rule("support", "read", "case", cw.case_b.id) == "no_support_grant"
    assert [c.id for c in v.cases.list(support, owner)] == [cw.case_a.id]
    # Read only.
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.update(support, cw.case_a.id, form_type="N-400")
    assert e.value.rule == "no_grant"

    clock.t = until - 1
    assert cw.rule("support", "read", "case", cw.case_a.id) == A     # the second before
    clock.t = until                                                   # the grant ends
    assert cw.rule("support", "read", "case", cw.case_a.id) == "no_support_grant"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.get(support, cw.case_a.id)
    assert e.value.rule == "no_support_grant"
    assert v.cases.list(support, owner) == []
    # Correspondence and billing support do not depend on it.
    assert v.correspondence.get(support, cw.msg_a.id).id == cw.msg_a.id
    assert v.billing.get(support, cw.payment.id).id == cw.payment.id

    # A whole-purpose grant (capped at P30D) reaches every case; withdrawing ends it.
    v.consents.grant(owner, "support_access")
    assert cw.rule("support", "read", "case", cw.case_b.id) == A
    clock.advance(30 * DAY)
    assert cw.rule("support", "read", "case", cw.case_b.id) == "no_support_grant"
    v.consents.grant(owner, "support_access")
    assert cw.rule("support", "read", "case", cw.case_b.id) == A
    v.consents.withdraw(owner, "support_access")
    assert cw.rule("support", "read", "case", cw.case_b.id) == "no_support_grant"


# ---- actors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["visapro.json", "case-parallels.json"])
def test_unknown_actor(store_path, policy):
    w = build(store_path, policy)
    v = w.vault
    try:
        for actor in (UNKNOWN_PRINCIPAL, UNKNOWN_ACCOUNT, "olga@example.com", "Mallory Canary"):
            assert v.can(actor, "read", "case", w.case_a.id) == casevault.AccessVerdict(False, "unknown_actor")
            for call in (lambda: v.cases.get(actor, w.case_a.id),
                         lambda: v.cases.list(actor, w.owner.id),
                         lambda: v.correspondence.get(actor, w.msg_a.id),
                         lambda: v.billing.list(actor, w.owner.id),
                         lambda: v.cases.open(actor, w.owner.id, "I-130"),
                         lambda: v.posts.list(actor)):
                with pytest.raises(casevault.AccessDeniedError) as e:
                    call()
                assert e.value.rule == "unknown_actor"
                assert "Canary" not in str(e.value)
        # Free text as an actor is logged as "unknown", never as given.
        denials = v.audit.read(action="access.denied")
        assert {d.actor for d in denials} == {UNKNOWN_PRINCIPAL, UNKNOWN_ACCOUNT, "unknown"}
        assert all(d.reason == "unknown_actor" for d in denials)
        assert "Canary" not in repr(v.audit.read(limit=100000))
        assert "olga@" not in repr(v.audit.read(limit=100000))
        with pytest.raises(casevault.InvalidArgumentError):
            v.cases.get("", w.case_a.id)                               # no actor at all
        assert len(v.cases.list(w.owner.id, w.owner.id)) == 2           # nothing was opened
    finally:
        v.close()


def test_disabled_and_erased_actors(vw):
    v = vw.vault
    att = vw.p["attorney"].id
    v.principals.disable(att)
    assert vw.rule("attorney", "read", "case", vw.case_a.id) == "actor_disabled"
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.get(att, vw.case_a.id)
    assert e.value.rule == "actor_disabled"
    assert att in v.cases.assignees(vw.case_a.id)                     # kept for the record

    # An erased account is no longer a principal.
    v.accounts.erase(vw.other.id)
    assert vw.rule("other", "read", "post", vw.post.id) == "unknown_actor"
    with pytest.raises(casevault.NotFoundError):
        v.principals.get(vw.other.id)


def test_no_policy(store_path):
    from conftest import open_store
    with open_store(store_path) as v:
        a = v.accounts.create(name="No Policy", email="np@example.com")
        with pytest.raises(casevault.AccessDeniedError) as e:
            v.cases.open(a.id, a.id, "I-130")
        assert e.value.rule == "no_policy"
        assert v.can(a.id, "read", "account", a.id) == casevault.AccessVerdict(False, "no_policy")

"""The consent ledger, decisions, visitor consent, receipts and the outbox."""

import os

import pytest

import casevault
from conftest import leaks, open_store
from policy_docs import (
    DAY,
    T0,
    FakeClock,
    load_example,
    next_version,
    person,
    small_policy,
)

UNKNOWN_ACCOUNT = "acc_" + "0" * 24


@pytest.fixture
def clock():
    return FakeClock(T0)


@pytest.fixture
def cvault(store_path, clock):
    """An open store on the fake clock, with small_policy(1) published."""
    v = open_store(store_path, clock=clock)
    try:
        v.policy.publish(small_policy(1))
        yield v
    finally:
        v.close()


@pytest.fixture
def bare_vault(store_path, clock):
    """An open store on the fake clock, no policy."""
    v = open_store(store_path, clock=clock)
    try:
        yield v
    finally:
        v.close()


def decision(v, subject, purpose, scope=""):
    d = v.may_process(subject, purpose, scope)
    assert isinstance(d, casevault.Decision)
    assert bool(d) is d.allowed
    assert d.reason in casevault.DECISION_REASONS
    return d


# ---- records and decisions ------------------------------------------------------


def test_record_and_history(cvault, clock):
    a = person(cvault)
    e = cvault.consents.record(a.id, "newsletter", channel="email", evidence="msg-1")
    assert isinstance(e, casevault.ConsentEvent)
    assert e.id.startswith("cns_") and e.subject == a.id and e.purpose == "newsletter"
    assert e.action == "granted" and e.channel == "email" and e.scope == ""
    assert e.policy_version == 1 and e.at == T0 and e.expires_at is None
    assert e.evidence == "msg-1"
    assert "msg-1" not in repr(e)                           # evidence is personal data

    clock.advance(10)
    w = cvault.consents.withdraw(a.id, "newsletter", evidence="  msg-2  ")
    assert w.action == "withdrawn" and w.at == T0 + 10 and w.evidence == "msg-2"
    clock.advance(10)
    g = cvault.consents.grant(a.id, "marketing", scope="camp-7")
    assert g.scope == "camp-7"

    history = cvault.consents.history(a.id)
    assert history == [e, w, g]
    states = {(s.purpose, s.scope): s for s in cvault.consents.state(a.id)}
    assert set(states) == {("newsletter", ""), ("marketing", "camp-7")}
    assert states[("newsletter", "")].action == "withdrawn"
    assert states[("newsletter", "")].at == T0 + 10
    assert states[("marketing", "camp-7")].reconsent_required is False
    assert all(isinstance(s, casevault.ConsentState) for s in states.values())


def test_decisions_by_legal_basis(cvault):
    a = person(cvault)
    assert decision(cvault, a.id, "service") == casevault.Decision(True, "contract", 1)
    assert decision(cvault, a.id, "tax").reason == "legal_obligation"
    assert decision(cvault, a.id, "fraud").reason == "legitimate_interest"
    assert decision(cvault, a.id, "newsletter") == casevault.Decision(False, "no_consent", 1)
    assert decision(cvault, a.id, "no_such_purpose").reason == "purpose_unknown"
    assert decision(cvault, UNKNOWN_ACCOUNT, "service").reason == "subject_unknown"

    cvault.consents.grant(a.id, "newsletter")
    assert decision(cvault, a.id, "newsletter") == casevault.Decision(True, "consent", 1)
    assert cvault.consents.may_process(a.id, "newsletter").allowed
    cvault.consents.decline(a.id, "marketing")
    assert decision(cvault, a.id, "marketing").reason == "declined"
    # An objection to a legitimate interest.
    cvault.consents.withdraw(a.id, "fraud")
    assert decision(cvault, a.id, "fraud") == casevault.Decision(False, "objected", 1)

    # A cancelled account: only what its state allows.
    cvault.accounts.set_status(a.id, "cancelled")
    assert decision(cvault, a.id, "service").reason == "account_not_active"
    assert decision(cvault, a.id, "newsletter").reason == "account_not_active"
    assert decision(cvault, a.id, "tax").allowed


def test_depends_on(bare_vault):
    doc = small_policy(1)
    doc["purposes"][0]["depends_on"] = ["terms"]             # the service needs accepted terms
    bare_vault.policy.publish(doc)
    assert bare_vault.policy.active().purpose("service").depends_on == ("terms",)
    a = person(bare_vault)
    assert decision(bare_vault, a.id, "service") == casevault.Decision(False, "no_consent", 1)
    bare_vault.consents.grant(a.id, "terms")
    assert decision(bare_vault, a.id, "service") == casevault.Decision(True, "contract", 1)
    bare_vault.consents.withdraw(a.id, "terms")
    assert decision(bare_vault, a.id, "service").reason == "withdrawn"


def test_no_policy(bare_vault):
    a = person(bare_vault)
    assert decision(bare_vault, a.id, "service") == casevault.Decision(False, "no_policy", 0)
    with pytest.raises(casevault.InvalidArgumentError):
        bare_vault.consents.grant(a.id, "newsletter")
    assert bare_vault.consents.history(a.id) == []


def test_scoped_grant(cvault):
    a = person(cvault)
    cvault.consents.grant(a.id, "support_access", scope="case-1")
    assert decision(cvault, a.id, "support_access", "case-1").allowed
    assert decision(cvault, a.id, "support_access", "case-2").reason == "no_consent"
    assert decision(cvault, a.id, "support_access").reason == "no_consent"
    # A whole-purpose grant covers every scope; the exact scope still wins.
    cvault.consents.grant(a.id, "support_access")
    assert decision(cvault, a.id, "support_access", "case-2").allowed
    cvault.consents.withdraw(a.id, "support_access", scope="case-1")
    assert decision(cvault, a.id, "support_access", "case-1").reason == "withdrawn"
    assert decision(cvault, a.id, "support_access", "case-2").allowed


def test_record_many_and_consent_request(cvault):
    a, b = person(cvault, 1), person(cvault, 2)
    events = cvault.consents.record_many([
        casevault.ConsentRequest(a.id, "newsletter", evidence="form-1"),
        dict(subject=b.id, purpose="marketing", channel="email"),
        dict(subject=a.id, purpose="marketing", action="declined"),
    ])
    assert [(e.subject, e.purpose, e.action, e.channel) for e in events] == [
        (a.id, "newsletter", "granted", "web"),
        (b.id, "marketing", "granted", "email"),
        (a.id, "marketing", "declined", "web"),
    ]
    assert "form-1" not in repr(casevault.ConsentRequest(a.id, "newsletter", evidence="form-1"))
    assert cvault.consents.record_many([]) == []
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.record_many([dict(subject=a.id, purpose="x", colour="red")])
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.record_many([dict(purpose="newsletter")])
    with pytest.raises(TypeError):
        cvault.consents.record_many([("tuple", "not accepted")])


def test_record_many_is_all_or_nothing(cvault):
    a = person(cvault)
    cvault.consents.grant(a.id, "newsletter")
    before = cvault.consents.history(a.id)
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.record_many([
            dict(subject=a.id, purpose="marketing"),
            dict(subject=a.id, purpose="no_such_purpose"),
        ])
    assert cvault.consents.history(a.id) == before
    assert decision(cvault, a.id, "marketing").reason == "no_consent"


# ---- bad input: specific errors, nothing changed -------------------------------------------


def test_bad_input_changes_nothing(cvault):
    a = person(cvault)
    cvault.consents.grant(a.id, "newsletter", evidence="first")
    before = cvault.consents.history(a.id)
    states = cvault.consents.state(a.id)

    def unchanged():
        assert cvault.consents.history(a.id) == before
        assert cvault.consents.state(a.id) == states

    cases = [
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant(a.id, "no_such_purpose")),
        (casevault.NotFoundError, lambda: cvault.consents.grant(UNKNOWN_ACCOUNT, "newsletter")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant("not-an-id", "newsletter")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.withdraw(a.id, "marketing")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.unsubscribe(a.id, "newsletter2")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant(a.id, "service")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.decline(a.id, "tax")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.record(a.id, "marketing", action="maybe")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.record(a.id, "marketing", channel="pigeon")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant(a.id, "marketing", channel="phone")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant(a.id, "marketing", expires_at=T0)),
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant(a.id, "marketing", scope="has space")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.record(a.id, "marketing", "declined",
                                                                        expires_at=T0 + 10)),
        (casevault.InvalidArgumentError, lambda: cvault.consents.grant(a.id, "marketing",
                                                                       evidence="x" * 1001)),
        (casevault.InvalidArgumentError, lambda: cvault.may_process("not-an-id", "service")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.record_visitor("v 1", "statistics")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.record_visitor("v1", "no_such")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.record_visitor("v1", "statistics",
                                                                                action="sometimes")),
        (casevault.InvalidArgumentError, lambda: cvault.consents.withdraw(a.id, "newsletter", channel="fax")),
    ]
    for exc, call in cases:
        with pytest.raises(exc):
            call()
        unchanged()
    # withdrawing twice: the second has nothing to withdraw
    cvault.consents.unsubscribe(a.id, "newsletter")
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.unsubscribe(a.id, "newsletter")
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.withdraw(a.id, "newsletter")
    assert len(cvault.consents.history(a.id)) == len(before) + 1
    for call in (lambda: cvault.consents.history(UNKNOWN_ACCOUNT),
                 lambda: cvault.consents.state(UNKNOWN_ACCOUNT),
                 lambda: cvault.consents.receipts(UNKNOWN_ACCOUNT)):
        with pytest.raises(casevault.NotFoundError):
            call()
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.pending_reconsent(limit=0)
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.erasure_requests("bogus")
    assert cvault.audit.verify().ok


def test_type_errors_never_repeat_evidence(cvault):
    a = person(cvault)
    for call in (
        lambda: cvault.consents.grant(a.id, "newsletter", evidence="Canary-Evidence \udcff"),
        lambda: cvault.consents.grant(a.id, "newsletter", evidence="Canary-Evidence", expires_at="soon"),
        lambda: cvault.consents.record_many([dict(subject=a.id, purpose="newsletter",
                                                  evidence="Canary-Evidence", expires_at="soon")]),
    ):
        with pytest.raises(TypeError) as e:
            call()
        assert "Canary" not in str(e.value) and e.value.__context__ is None
    assert cvault.consents.history(a.id) == []


# ---- scenarios from the reference policies ----------------------------------------------------


def test_visapro_newsletter_unsubscribe(store_path, clock):
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("visapro.json"))
        a = person(v)
        assert v.consents.subscriptions(a.id) == []
        assert decision(v, a.id, "newsletter").reason == "no_consent"
        sub = v.consents.subscribe(a.id, "newsletter", channel="email", evidence="signup-form-77")
        assert sub.purpose == "newsletter" and sub.action == "granted"
        v.consents.subscribe(a.id, "alerts")
        assert sorted(v.consents.subscriptions(a.id)) == ["alerts", "newsletter"]
        assert decision(v, a.id, "newsletter").allowed

        clock.advance(DAY)
        out = v.consents.unsubscribe(a.id, "newsletter", channel="email")
        assert out.action == "withdrawn" and out.at == T0 + DAY
        d = decision(v, a.id, "newsletter")
        assert d == casevault.Decision(False, "withdrawn", 1)
        assert v.consents.subscriptions(a.id) == ["alerts"]
        # VisaPro accepts consent only by web and email.
        with pytest.raises(casevault.InvalidArgumentError):
            v.consents.subscribe(a.id, "newsletter", channel="whatsapp")
        assert decision(v, a.id, "newsletter").reason == "withdrawn"
        # Registration is a contract: no consent to give.
        assert decision(v, a.id, "registration").reason == "contract"


def test_case_parallels_reconsent_and_decline(store_path, clock):
    cp = load_example("case-parallels.json")
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(cp)
        stays, leaves, quiet = person(v, 1), person(v, 2), person(v, 3)
        for p in (stays, leaves):
            v.consents.grant(p.id, "terms")
            v.consents.grant(p.id, "surveys")
        assert decision(v, stays.id, "surveys").allowed

        # Version 2 asks again for the terms (already requires_fresh_consent)
        # and for the surveys (the marketing purpose of this policy).
        clock.advance(DAY)
        v2 = next_version(cp, 2, surveys={"requires_fresh_consent": True})
        r = v.policy.publish(v2)
        assert r.subjects_reconsent == 2 and r.notifications == 2
        for p in (stays, leaves):
            assert decision(v, p.id, "surveys") == casevault.Decision(False, "reconsent_required", 2)
            assert decision(v, p.id, "terms").reason == "reconsent_required"
            assert {s.purpose for s in v.consents.state(p.id) if s.reconsent_required} == {"terms", "surveys"}
        assert decision(v, quiet.id, "surveys").reason == "no_consent"
        # The service itself depends on the accepted terms.
        tracking = next(p for p in cp["purposes"] if p["id"] == "case_tracking")
        gated = "terms" in tracking.get("depends_on", [])
        d = decision(v, stays.id, "case_tracking")
        assert d.reason == ("reconsent_required" if gated else "contract")
        pending = {r.subject: r for r in v.consents.pending_reconsent()}
        assert set(pending) == {stays.id, leaves.id}
        assert set(pending[stays.id].purposes) == {"terms", "surveys"}
        assert pending[stays.id].policy_version == 2 and pending[stays.id].requested_at == T0 + DAY

        # One consents again...
        clock.advance(60)
        v.consents.grant(stays.id, "surveys", channel="email")
        assert decision(v, stays.id, "surveys") == casevault.Decision(True, "consent", 2)
        assert decision(v, stays.id, "terms").reason == "reconsent_required"
        v.consents.grant(stays.id, "terms")
        assert decision(v, stays.id, "terms").allowed
        assert decision(v, stays.id, "case_tracking") == casevault.Decision(True, "contract", 2)
        assert stays.id not in {r.subject for r in v.consents.pending_reconsent()}
        assert v.accounts.get(stays.id).status == "active"

        # ...the other declines the terms (on_decline: close_and_erase).
        assert v.consents.erasure_requests(leaves.id) == []
        v.consents.decline(leaves.id, "terms", channel="whatsapp")
        assert v.accounts.get(leaves.id).status == "closed"
        reqs = v.consents.erasure_requests(leaves.id)
        assert len(reqs) == 1
        er = reqs[0]
        assert isinstance(er, casevault.ErasureRequest)
        assert er.id.startswith("era_") and er.subject == leaves.id and er.state == "pending"
        assert er.reason == "consent_declined:terms" and er.channel == "whatsapp"
        assert er.requested_at == er.due_at == T0 + DAY + 60     # no reconsent_declined retention rule: at once
        assert v.consents.erasure_requests() == reqs
        assert v.consents.erasure_requests(stays.id) == []
        assert decision(v, leaves.id, "case_tracking").reason == "account_not_active"
        assert decision(v, leaves.id, "terms").reason == "account_not_active"
        assert decision(v, leaves.id, "tax_records").allowed           # legal obligation outlives it
        # The account is going: none of its re-consent requests or
        # reconsent_required notifications is left.
        assert [r for r in v.consents.pending_reconsent() if r.subject == leaves.id] == []
        assert [n for n in v.outbox.poll(1000) if n.subject == leaves.id] == []


def test_inline_marketing_reconsent(cvault, clock):
    a = person(cvault)
    cvault.consents.grant(a.id, "marketing")
    cvault.consents.grant(a.id, "newsletter")
    cvault.policy.publish(small_policy(2, fresh=("marketing",)))
    assert decision(cvault, a.id, "marketing").reason == "reconsent_required"
    assert decision(cvault, a.id, "newsletter").allowed                # not asked again
    # A withdrawal does not answer the request; a grant does.
    cvault.consents.withdraw(a.id, "marketing")
    assert decision(cvault, a.id, "marketing").reason == "withdrawn"
    assert len(cvault.consents.pending_reconsent()) == 1
    cvault.consents.grant(a.id, "marketing")
    assert decision(cvault, a.id, "marketing") == casevault.Decision(True, "consent", 2)
    assert cvault.consents.pending_reconsent() == []
    # A later version that does not ask again keeps the version-2 grant valid.
    cvault.policy.publish(small_policy(3))
    assert decision(cvault, a.id, "marketing") == casevault.Decision(True, "consent", 3)


def test_support_access_time_limited(store_path, clock):
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("case-parallels.json"))
        a = person(v)
        assert decision(v, a.id, "support_access", "case-42").reason == "no_consent"

        until = T0 + 2 * 3600
        e = v.consents.grant(a.id, "support_access", scope="case-42", expires_at=until)
        assert e.expires_at == until
        assert decision(v, a.id, "support_access", "case-42").allowed
        assert decision(v, a.id, "support_access", "case-43").reason == "no_consent"
        clock.t = until - 1
        assert decision(v, a.id, "support_access", "case-42").allowed      # the second before
        clock.t = until
        assert decision(v, a.id, "support_access", "case-42") == casevault.Decision(False, "expired", 1)
        clock.t = until + 3600
        assert decision(v, a.id, "support_access", "case-42").reason == "expired"

        # Without an expiry (or with a later one) the purpose caps it at P30D.
        start = clock.t
        e = v.consents.grant(a.id, "support_access", scope="case-44", expires_at=start + 90 * DAY)
        assert e.expires_at == start + 30 * DAY
        e = v.consents.grant(a.id, "support_access", scope="case-45")
        assert e.expires_at == start + 30 * DAY
        clock.t = start + 30 * DAY - 1
        assert decision(v, a.id, "support_access", "case-45").allowed
        clock.t = start + 30 * DAY
        assert decision(v, a.id, "support_access", "case-45").reason == "expired"
        assert decision(v, a.id, "support_access", "case-44").reason == "expired"


def test_visitor_cookie_consent(store_path, clock):
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("visapro.json"))
        visitor = "cookie-3f9a-visitor"
        d = v.consents.visitor_may(visitor, "statistics")
        assert d == casevault.Decision(False, "no_consent", 1)
        e = v.consents.record_visitor(visitor, "statistics")
        assert e.subject.startswith("vis_") and visitor not in e.subject
        assert e.scope == "statistics" and e.purpose == "statistics_cookies"
        assert e.expires_at == T0 + 395 * DAY and e.evidence == ""
        assert v.consents.visitor_may(visitor, "statistics").allowed
        assert v.consents.visitor_may(visitor, "marketing").reason == "no_consent"
        assert v.consents.visitor_may("another-visitor", "statistics").reason == "no_consent"
        assert v.consents.visitor_may(visitor, "no_such").reason == "purpose_unknown"

        v.consents.record_visitor(visitor, "marketing", action="declined")
        assert v.consents.visitor_may(visitor, "marketing").reason == "declined"

        clock.t = T0 + 395 * DAY - 1
        assert v.consents.visitor_may(visitor, "statistics").allowed
        clock.t = T0 + 395 * DAY
        assert v.consents.visitor_may(visitor, "statistics").reason == "expired"

        v.consents.record_visitor(visitor, "statistics", channel="email")
        assert v.consents.visitor_may(visitor, "statistics").allowed
        v.consents.record_visitor(visitor, "statistics", action="withdrawn")
        assert v.consents.visitor_may(visitor, "statistics").reason == "withdrawn"
        with pytest.raises(casevault.InvalidArgumentError):
            v.consents.record_visitor(visitor, "statistics", action="withdrawn")


# ---- receipts ----------------------------------------------------------------------------------


def test_kantara_receipts(store_path, clock):
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("case-parallels.json"))
        a = person(v)
        assert v.consents.receipts(a.id) == []
        g1 = v.consents.grant(a.id, "surveys", channel="email")
        clock.advance(5)
        g2 = v.consents.grant(a.id, "support_access", scope="case-9", channel="whatsapp")
        v.consents.withdraw(a.id, "surveys")                # not a grant: no receipt

        receipts = v.consents.receipts(a.id)
        assert isinstance(receipts, list) and len(receipts) == 2
        r1, r2 = receipts
        for r, g in ((r1, g1), (r2, g2)):
            assert r["version"] == "KI-CR-v1.1.0"
            assert r["jurisdiction"] == "US"
            assert r["consentTimestamp"] == g.at
            assert r["consentReceiptID"] == g.id
            assert r["piiPrincipalId"] == a.id
            assert r["policyUrl"] == "https://caseparallels.com/privacy"
            assert r["piiControllers"][0]["piiController"] == "Case Parallels LLC"
            assert isinstance(r["services"], list) and len(r["services"]) == 1
            assert r["services"][0]["service"] == g.purpose
            purposes = r["services"][0]["purposes"]
            assert purposes and purposes[0]["purposeCategory"] == [g.purpose]
            assert purposes[0]["consentType"] == "EXPLICIT"
        assert r1["collectionMethod"] == "email" and r2["collectionMethod"] == "whatsapp"
        assert r1["consentTimestamp"] == T0 and r2["consentTimestamp"] == T0 + 5
        assert r2["scope"] == "case-9" and "scope" not in r1
        assert r1["services"][0]["purposes"][0]["piiCategory"] == ["identity", "contact", "survey_responses"]
        assert "expires at" in r2["services"][0]["purposes"][0]["termination"]


# ---- outbox ------------------------------------------------------------------------------------------


def test_outbox_reconsent_lease_ack(cvault, clock):
    people = [person(cvault, i) for i in range(4)]
    for p in people[:3]:
        cvault.consents.grant(p.id, "terms")
    cvault.consents.grant(people[0].id, "marketing")
    assert cvault.outbox.pending() == 0 and cvault.outbox.poll() == []

    clock.advance(100)
    r = cvault.policy.publish(small_policy(2, fresh=("terms", "marketing")))
    assert r.subjects_reconsent == 3 and r.notifications == 3
    assert cvault.outbox.pending() == 3

    batch = cvault.outbox.poll(limit=10, lease_seconds=60)
    assert len(batch) == 3
    assert all(isinstance(n, casevault.Notification) for n in batch)
    assert {n.subject for n in batch} == {p.id for p in people[:3]}
    for n in batch:
        assert n.kind == "reconsent_required" and n.attempts == 1 and n.created_at == T0 + 100
        assert n.payload["policy_version"] == 2 and n.payload["previous_version"] == 1
        assert n.payload["policy_url"] == "https://example.com/privacy"
        expected = {"terms", "marketing"} if n.subject == people[0].id else {"terms"}
        assert set(n.payload["purposes"]) == expected
    assert len({n.id for n in batch}) == 3

    # Leased: not handed out again until the lease runs out.
    assert cvault.outbox.poll() == []
    clock.advance(59)
    assert cvault.outbox.poll() == []
    clock.advance(1)
    again = cvault.outbox.poll(limit=2, lease_seconds=60)
    assert len(again) == 2 and all(n.attempts == 2 for n in again)
    assert [n.id for n in again] == sorted(n.id for n in batch)[:2]

    # Acknowledged: never returned again.
    assert cvault.outbox.ack([again[0].id]) == 1
    assert cvault.outbox.ack([again[0].id]) == 0                     # already acknowledged
    assert cvault.outbox.ack(again[1]) == 1                          # a Notification works too
    assert cvault.outbox.pending() == 1
    clock.advance(3600)
    rest = cvault.outbox.poll()
    assert [n.id for n in rest] == [sorted(n.id for n in batch)[2]]
    assert rest[0].attempts == 2
    assert cvault.outbox.ack([n.id for n in rest] + [999999]) == 1
    assert cvault.outbox.pending() == 0
    clock.advance(3600)
    assert cvault.outbox.poll() == []

    with pytest.raises(casevault.InvalidArgumentError):
        cvault.outbox.poll(limit=0)
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.outbox.poll(lease_seconds=0)
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.outbox.ack([-1])
    with pytest.raises(TypeError):
        cvault.outbox.ack(["1"])
    assert cvault.outbox.ack([]) == 0


# ---- erasure, audit, privacy --------------------------------------------------------------------


def test_erasure_removes_consent_history(cvault, clock):
    a, b = person(cvault, 1), person(cvault, 2)
    for p in (a, b):
        cvault.consents.grant(p.id, "terms", evidence=f"proof-{p.id}")
        cvault.consents.subscribe(p.id, "newsletter")
    cvault.policy.publish(small_policy(2, fresh=("terms",)))
    assert cvault.outbox.pending() == 2
    assert {r.subject for r in cvault.consents.pending_reconsent()} == {a.id, b.id}

    cvault.accounts.erase(a.id)
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.history(a.id)                       # the history went with the person
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.receipts(a.id)
    with pytest.raises(casevault.InvalidArgumentError):
        cvault.consents.grant(a.id, "newsletter")
    assert decision(cvault, a.id, "newsletter").reason == "account_not_active"
    assert {r.subject for r in cvault.consents.pending_reconsent()} == {b.id}
    assert cvault.outbox.pending() == 1
    assert [n.subject for n in cvault.outbox.poll()] == [b.id]
    # The other person is untouched.
    assert len(cvault.consents.history(b.id)) == 2
    assert cvault.consents.subscriptions(b.id) == ["newsletter"]
    assert cvault.audit.verify().ok


def test_denials_are_audited(cvault):
    a = person(cvault)
    cvault.consents.subscribe(a.id, "newsletter")
    assert decision(cvault, a.id, "newsletter").allowed
    assert decision(cvault, a.id, "service").allowed
    cvault.consents.unsubscribe(a.id, "newsletter")
    assert decision(cvault, a.id, "newsletter").reason == "withdrawn"
    assert decision(cvault, a.id, "marketing").reason == "no_consent"
    assert decision(cvault, a.id, "Secret-Free-Text-Purpose").reason == "purpose_unknown"
    cvault.consents.record_visitor("visitor-0", "statistics")
    assert cvault.consents.visitor_may("visitor-0", "statistics").allowed
    assert cvault.consents.visitor_may("visitor-1", "statistics").reason == "no_consent"

    # The read entries are batched; reading the log flushes them first.
    entries = cvault.audit.read(action="consent.decision")
    assert all(e.outcome == "denied" for e in entries)
    mine = [e for e in entries if e.subject == a.id]
    assert [(e.target, e.reason) for e in mine] == [
        ("purpose:newsletter", "withdrawn"),
        ("purpose:marketing", "no_consent"),
        ("", "purpose_unknown"),
    ]
    visitor = [e for e in entries if e.target.startswith("cookie:")]
    assert [(e.target, e.reason) for e in visitor] == [("cookie:statistics", "no_consent")]
    assert visitor[0].subject.startswith("vis_")              # the visitor's keyed digest
    assert len(entries) == 4                                  # allowed decisions are not logged
    assert "Secret-Free-Text-Purpose" not in repr(cvault.audit.read(limit=100000))
    assert "visitor-1" not in repr(cvault.audit.read(limit=100000))
    assert cvault.audit.verify().ok


def test_denials_are_audited_unbatched(tmp_path, clock):
    with casevault.open(tmp_path / "u.db", key=bytes(32), batch_read_audit=False, clock=clock) as v:
        v.policy.publish(small_policy(1))
        a = person(v)
        assert not v.may_process(a.id, "marketing")
        last = v.audit.read()[-1]
        assert (last.action, last.subject, last.outcome, last.reason) == (
            "consent.decision", a.id, "denied", "no_consent")


EVIDENCE = ["Qzxwv-Evidence-Canary-8812", "whatsapp-msg-Qzxwv-77123"]
VISITOR = "Qzxwv-visitor-cookie-5521"
NEEDLES = ["Qzxwv", "Evidence-Canary", "77123", "5521"]
CANARIES = NEEDLES + EVIDENCE + [VISITOR]


def test_evidence_never_on_disk(store_path, clock):
    v = open_store(store_path, clock=clock)
    try:
        v.policy.publish(small_policy(1))
        a, b = person(v, 1), person(v, 2)
        v.consents.grant(a.id, "newsletter", evidence=EVIDENCE[0])
        v.consents.record_many([dict(subject=b.id, purpose="marketing", evidence=EVIDENCE[1], channel="email")])
        v.consents.subscribe(b.id, "newsletter", evidence=EVIDENCE[0])
        v.consents.record_visitor(VISITOR, "statistics")
        assert v.consents.visitor_may(VISITOR, "statistics").allowed
        assert [e.evidence for e in v.consents.history(a.id)] == [EVIDENCE[0]]
        v.consents.receipts(b.id)
        assert leaks(store_path, CANARIES) == []                    # while open, WAL in use
        audit_text = repr(v.audit.read(limit=100000))
        for n in NEEDLES:
            assert n not in audit_text
        v.accounts.erase(a.id)
        assert leaks(store_path, CANARIES) == []
    finally:
        v.close()
    assert leaks(store_path, CANARIES) == []
    with open_store(store_path) as v:
        assert [e.evidence for e in v.consents.history(b.id)] == [EVIDENCE[1], EVIDENCE[0]]
    assert leaks(store_path, CANARIES) == []


def test_consent_survives_reopen(store_path, clock):
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(small_policy(1))
        a = person(v)
        v.consents.grant(a.id, "newsletter", evidence="proof")
        v.consents.record_visitor("vis-cookie-1", "statistics")
    with open_store(store_path, clock=clock) as v:
        assert v.may_process(a.id, "newsletter").allowed
        assert v.consents.visitor_may("vis-cookie-1", "statistics").allowed
        assert v.consents.history(a.id)[0].evidence == "proof"


# ---- other connections and processes ----------------------------------------------------------


def test_other_connection_sees_withdrawal_at_once(store_path, clock):
    with open_store(store_path, clock=clock) as writer, open_store(store_path, clock=clock) as reader:
        writer.policy.publish(small_policy(1))
        a = person(writer)
        assert decision(reader, a.id, "newsletter").reason == "no_consent"   # cached in reader
        writer.consents.grant(a.id, "newsletter")
        assert decision(reader, a.id, "newsletter").allowed
        writer.consents.withdraw(a.id, "newsletter")
        assert decision(reader, a.id, "newsletter").reason == "withdrawn"
        writer.accounts.set_status(a.id, "cancelled")
        assert decision(reader, a.id, "service").reason == "account_not_active"
        writer.policy.publish(small_policy(2))
        assert decision(reader, a.id, "tax").policy_version == 2
        # and the other way round
        reader.accounts.set_status(a.id, "active")
        reader.consents.grant(a.id, "marketing")
        assert decision(writer, a.id, "marketing").allowed


WITHDRAW_IN_CHILD = """
import sys, casevault
with casevault.open(sys.argv[1], key=bytes(32), clock=lambda: int(sys.argv[3])) as v:
    v.consents.withdraw(sys.argv[2], "newsletter", evidence="child-process")
print("withdrawn")
"""


def test_other_process_sees_withdrawal_at_once(tmp_path, clock):
    import subprocess
    import sys
    from conftest import subprocess_env

    path = tmp_path / "shared.db"
    with casevault.open(path, key=bytes(32), clock=clock) as v:
        v.policy.publish(small_policy(1))
        a = person(v)
        v.consents.grant(a.id, "newsletter")
        assert decision(v, a.id, "newsletter").allowed          # now in the decision cache
        out = subprocess.run([sys.executable, "-c", WITHDRAW_IN_CHILD, str(path), a.id, str(clock.t + 5)],
                             env=subprocess_env(), capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert decision(v, a.id, "newsletter").reason == "withdrawn"
        assert [e.action for e in v.consents.history(a.id)] == ["granted", "withdrawn"]


def test_consents_survive_rekey(store_path, clock):
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(small_policy(1))
        a = person(v)
        v.consents.grant(a.id, "newsletter", evidence="proof-before-rekey")
        v.consents.record_visitor("cookie-before-rekey", "statistics")
        v.change_passphrase("a new passphrase", kdf="testing")
        assert v.may_process(a.id, "newsletter").allowed
        assert v.consents.visitor_may("cookie-before-rekey", "statistics").allowed
        v.change_key(bytes(range(32, 64)))
        assert v.consents.visitor_may("cookie-before-rekey", "statistics").allowed
        assert v.consents.history(a.id)[0].evidence == "proof-before-rekey"
    with casevault.open(store_path, key=bytes(range(32, 64)), clock=clock) as v:
        assert v.may_process(a.id, "newsletter").allowed
        assert v.consents.visitor_may("cookie-before-rekey", "statistics").allowed
        assert v.consents.visitor_may("another-cookie", "statistics").reason == "no_consent"
        assert v.audit.verify().ok

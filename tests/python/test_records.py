"""Principals, cases, correspondence, billing and board posts through the
Python package: each call's success path, the models it returns, and the
AccessDeniedError / AccessVerdict shapes. Access rules by role are in
test_records_access.py; bad input, erasure and privacy in
test_records_input.py."""

import dataclasses
import json

import pytest

import casevault
from conftest import open_store
from policy_docs import DAY, T0, FakeClock, load_example
from records_world import (
    RECEIPT_A,
    RECEIPT_B,
    SHA,
    UNKNOWN_ACCOUNT,
    UNKNOWN_CASE,
    UNKNOWN_PRINCIPAL,
    build,
)


# ---- principals ---------------------------------------------------------------------


def test_principals_add_get_list_disable(vw):
    v = vw.vault
    staff = vw.p["staff"]
    assert isinstance(staff, casevault.Principal)
    assert staff.id.startswith("prn_") and len(staff.id) == 28
    assert staff.role == "staff" and staff.role is casevault.Role.STAFF
    assert staff.created_at == T0 and staff.active is True
    assert v.principals.get(staff.id) == staff

    vw.clock.advance(5)
    for role in (casevault.Role.ATTORNEY, "support", "system", casevault.Role.AGENCY):
        p = v.principals.add(role)
        assert p.role == role and p.created_at == T0 + 5 and p.active
    listed = v.principals.list()
    assert all(isinstance(p, casevault.Principal) for p in listed)
    assert len(listed) == 6 + 4
    assert staff in listed
    assert {p.role for p in listed} == set(casevault.ROLES) - {"subject"}

    # A live account is a principal too: the subject acting as itself.
    me = v.principals.get(vw.owner.id)
    assert me == casevault.Principal(vw.owner.id, casevault.Role.SUBJECT, vw.owner.created_at, True)
    assert vw.owner.id not in {p.id for p in listed}

    v.principals.disable(staff.id)
    assert v.principals.get(staff.id).active is False
    v.principals.disable(staff.id)                        # twice: nothing more
    assert v.principals.get(staff.id).active is False
    assert next(p for p in v.principals.list() if p.id == staff.id).active is False

    with pytest.raises(casevault.InvalidArgumentError):
        v.principals.add("subject")
    with pytest.raises(casevault.InvalidArgumentError):
        v.principals.add("boss")
    with pytest.raises(casevault.NotFoundError):
        v.principals.get(UNKNOWN_PRINCIPAL)
    with pytest.raises(casevault.NotFoundError):
        v.principals.get(UNKNOWN_ACCOUNT)
    with pytest.raises(casevault.InvalidArgumentError):
        v.principals.get("not-an-id")
    assert len(v.principals.list()) == 10


def test_enums_are_plain_strings():
    assert casevault.Role.STAFF == "staff" and str(casevault.Role.STAFF) == "staff"
    assert f"{casevault.Action.EXPORT}" == "export"
    assert json.dumps([casevault.RecordKind.CASE]) == '["case"]'
    assert casevault.ROLES == ("subject", "attorney", "staff", "support", "system", "agency")
    assert casevault.ACTIONS == ("read", "write", "erase", "export", "disclose")
    assert casevault.RECORD_KINDS == ("account", "consent", "case", "correspondence", "billing", "post",
                                      "audit")
    assert casevault.MESSAGE_CHANNELS == ("email", "whatsapp", "phone", "web_form", "survey")
    assert casevault.DIRECTIONS == ("inbound", "outbound")
    assert "not_assigned" in casevault.ACCESS_DENIAL_RULES


# ---- can() and AccessDeniedError -------------------------------------------------------------


def test_can_forms_and_verdict(vw):
    v = vw.vault
    verdict = v.can(vw.owner.id, "read", "case", vw.case_a.id)
    assert verdict == casevault.AccessVerdict(True, "/roles/0/grants/0")
    assert verdict and verdict.allowed
    ref = casevault.RecordRef(casevault.RecordKind.CASE, vw.case_a.id)
    assert v.can(vw.owner.id, casevault.Action.READ, ref) == verdict
    assert v.can(vw.owner.id, "read", casevault.RecordKind.CASE, vw.case_a.id) == verdict
    denied = v.can(vw.p["staff"].id, "read", "case", vw.case_b.id)
    assert denied == casevault.AccessVerdict(False, "not_assigned")
    assert not denied

    with pytest.raises(TypeError):
        v.can(vw.owner.id, "read", ref, vw.case_a.id)       # both a RecordRef and an id
    with pytest.raises(TypeError):
        v.can(vw.owner.id, "read", "case")
    with pytest.raises(casevault.InvalidArgumentError):
        v.can(vw.owner.id, "peek", "case", vw.case_a.id)
    with pytest.raises(casevault.InvalidArgumentError):
        v.can(vw.owner.id, "read", "folder", vw.case_a.id)
    with pytest.raises(casevault.InvalidArgumentError):
        v.can(vw.owner.id, "read", "case", vw.msg_a.id)      # an id of another kind
    with pytest.raises(casevault.NotFoundError):
        v.can(vw.owner.id, "read", "case", UNKNOWN_CASE)


def test_access_denied_error_carries_the_rule(vw):
    with pytest.raises(casevault.AccessDeniedError) as e:
        vw.vault.cases.get(vw.p["staff"].id, vw.case_b.id)
    err = e.value
    assert isinstance(err, casevault.Error)
    assert err.rule == "not_assigned"
    assert err.code == -12 and err.name == "access_denied"
    assert casevault.error_class(-12) is casevault.AccessDeniedError
    assert "not_assigned" in str(err)
    assert RECEIPT_B not in str(err) and "WAC" not in str(err)
    # Constructible by hand, as the other error classes are.
    mine = casevault.AccessDeniedError("nope", code=-12, rule="no_grant")
    assert mine.rule == "no_grant" and mine.message == "nope"
    assert casevault.AccessDeniedError("x").rule == ""


# ---- cases ------------------------------------------------------------------------------


def test_case_open_get_and_model(vw):
    v, owner = vw.vault, vw.owner
    c = vw.case_a
    assert isinstance(c, casevault.Case)
    assert c.id.startswith("cas_") and c.subject == owner.id
    assert c.receipt_number == RECEIPT_A and c.form_type == "I-485"
    assert c.questionnaire == {"q1": "a"}
    assert c.latest_status is None and c.created_at == c.updated_at == T0
    assert v.cases.get(owner.id, c.id) == c
    assert vw.case_b.questionnaire is None
    # repr leaves out the receipt number and the answers.
    assert RECEIPT_A not in repr(c) and "q1" not in repr(c) and c.id in repr(c)

    vw.clock.advance(60)
    q = {"petitioner": {"name": "Ana", "citizen": True, "children": [1, 2]}, "notes": "Olá ✓"}
    d = v.cases.open(owner.id, owner.id, "i-130", receipt_number=" eac-219-007-7777 ", questionnaire=q)
    assert d.form_type == "I-130" and d.receipt_number == "EAC2190077777"
    assert d.questionnaire == q and d.created_at == T0 + 60
    # JSON text (str or bytes) and lists work too; what comes back is parsed.
    e = v.cases.open(owner.id, owner.id, "N-400", questionnaire='[1, {"a": null}]')
    assert e.questionnaire == [1, {"a": None}] and e.receipt_number is None
    f = v.cases.open(owner.id, owner.id, "DS-160", questionnaire=b'{"b": [true]}')
    assert f.questionnaire == {"b": [True]}
    g = v.cases.open(owner.id, owner.id, "I-129F", questionnaire=("x", 1))
    assert g.questionnaire == ["x", 1] and g.form_type == "I-129F"
    # By id: ids start with the creation time in milliseconds.
    assert [x.id for x in v.cases.list(owner.id, owner.id)] == sorted(
        [vw.case_a.id, vw.case_b.id, d.id, e.id, f.id, g.id])
    assert v.cases.list(vw.other.id, vw.other.id) == []


def test_case_find_update_and_duplicates(vw):
    v, owner = vw.vault, vw.owner
    found = v.cases.find_by_receipt(vw.p["attorney"].id, "eac 219 001 2345")
    assert found == vw.case_a
    assert v.cases.find_by_receipt(owner.id, "LIN2190000001") is None
    with pytest.raises(casevault.DuplicateError):
        v.cases.open(vw.other.id, vw.other.id, "I-130", receipt_number="EAC-219-001-2345")

    vw.clock.advance(30)
    u = v.cases.update(owner.id, vw.case_a.id, form_type="n-400", questionnaire={"q1": "b", "q2": [1, 2]})
    assert u.form_type == "N-400" and u.questionnaire == {"q1": "b", "q2": [1, 2]}
    assert u.receipt_number == RECEIPT_A                    # not given: unchanged
    assert u.updated_at == T0 + 30 and u.created_at == T0
    u = v.cases.update(owner.id, vw.case_a.id, receipt_number="")
    assert u.receipt_number is None and u.questionnaire == {"q1": "b", "q2": [1, 2]}
    assert v.cases.find_by_receipt(owner.id, RECEIPT_A) is None
    u = v.cases.update(owner.id, vw.case_a.id, questionnaire="")
    assert u.questionnaire is None
    assert v.cases.get(owner.id, vw.case_a.id) == u
    # The number is free again.
    again = v.cases.open(vw.other.id, vw.other.id, "I-130", receipt_number=RECEIPT_A)
    assert v.cases.find_by_receipt(vw.other.id, RECEIPT_A) == again


def test_case_status_history(vw):
    v, owner, att = vw.vault, vw.owner.id, vw.p["attorney"].id
    now = vw.clock()
    s1 = v.cases.add_status(owner, vw.case_a.id, "received", "uscis", at=now - 3 * DAY,
                            detail="Case Was Received")
    assert s1 == casevault.CaseStatus("received", now - 3 * DAY, "uscis", "Case Was Received")
    assert "Case Was Received" not in repr(s1)
    v.cases.add_status(owner, vw.case_a.id, "rfe_sent", "uscis", at=now - DAY)
    # A late-arriving older step does not become the latest.
    v.cases.add_status(att, vw.case_a.id, "biometrics", "manual", at=now - 2 * DAY)
    history = v.cases.history(owner, vw.case_a.id)
    assert [(s.status, s.at, s.source) for s in history] == [
        ("received", now - 3 * DAY, "uscis"), ("biometrics", now - 2 * DAY, "manual"),
        ("rfe_sent", now - DAY, "uscis")]
    assert history[0].detail == "Case Was Received" and history[1].detail is None
    assert all(isinstance(s, casevault.CaseStatus) for s in history)
    c = v.cases.get(owner, vw.case_a.id)
    assert c.latest_status == casevault.CaseStatus("rfe_sent", now - DAY, "uscis", None)
    # at=None is now.
    vw.clock.advance(10)
    s = v.cases.add_status(owner, vw.case_a.id, "approved", "manual")
    assert s.at == now + 10
    assert v.cases.get(owner, vw.case_a.id).latest_status.status == "approved"
    assert v.cases.history(owner, vw.case_b.id) == []


def test_case_documents(vw):
    v = vw.vault
    d = v.cases.add_document(vw.p["staff"].id, vw.case_a.id, name="passport scan.pdf", kind="passport",
                             size=123456, sha256=SHA)
    assert isinstance(d, casevault.CaseDocument)
    assert d.id.startswith("doc_") and d.case_id == vw.case_a.id
    assert (d.name, d.kind, d.size, d.sha256, d.added_at) == ("passport scan.pdf", "passport", 123456, SHA, T0)
    assert "passport scan" not in repr(d)
    assert v.cases.documents(vw.owner.id, vw.case_a.id) == [d]
    assert v.cases.documents(vw.owner.id, vw.case_b.id) == []
    # visapro gives nobody erase on cases: removing is refused, and nothing changes.
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.cases.remove_document(vw.owner.id, d.id)
    assert e.value.rule == "no_grant"
    assert v.cases.documents(vw.owner.id, vw.case_a.id) == [d]
    # The retention system may erase.
    v.cases.remove_document(vw.p["system"].id, d.id)
    assert v.cases.documents(vw.owner.id, vw.case_a.id) == []


def test_case_documents_removed_by_owner_under_case_parallels(cw):
    v = cw.vault
    d = v.cases.add_document(cw.owner.id, cw.case_a.id, name="birth.pdf", kind="birth_certificate",
                             size=1, sha256=SHA)
    v.cases.remove_document(cw.owner.id, d.id)                # subject: read/write/erase own cases
    assert v.cases.documents(cw.owner.id, cw.case_a.id) == []


def test_case_assignments(vw):
    v = vw.vault
    att, staff, staff2 = vw.p["attorney"].id, vw.p["staff"].id, vw.p["staff2"].id
    assert sorted(v.cases.assignees(vw.case_a.id)) == sorted([att, staff])
    assert v.cases.assignees(vw.case_b.id) == [staff2]
    v.cases.assign(vw.case_b.id, staff)
    v.cases.assign(vw.case_b.id, staff)                       # twice: a no-op
    assert sorted(v.cases.assignees(vw.case_b.id)) == sorted([staff, staff2])
    assert v.cases.get(staff, vw.case_b.id).id == vw.case_b.id
    v.cases.unassign(vw.case_b.id, staff)
    v.cases.unassign(vw.case_b.id, staff)                     # not assigned: a no-op
    assert v.cases.assignees(vw.case_b.id) == [staff2]
    assert vw.rule("staff", "read", "case", vw.case_b.id) == "not_assigned"

    # An attorney who opens a case for a client is assigned to it.
    mine = v.cases.open(att, vw.other.id, "N-400")
    assert mine.subject == vw.other.id
    assert v.cases.assignees(mine.id) == [att]
    assert v.cases.get(att, mine.id) == mine

    # Only active attorneys and staff can be assigned.
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.assign(vw.case_b.id, vw.p["support"].id)
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.assign(vw.case_b.id, vw.owner.id)
    v.principals.disable(att)
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.assign(vw.case_b.id, att)
    assert v.cases.assignees(vw.case_b.id) == [staff2]


# ---- correspondence ---------------------------------------------------------------------------


def test_message_record_get_and_model(cw):
    v, owner, support = cw.vault, cw.owner.id, cw.p["support"].id
    m = cw.msg_a
    assert isinstance(m, casevault.Message)
    assert m.id.startswith("msg_") and m.subject == owner and m.case_id == cw.case_a.id
    assert m.channel == "web_form" and m.channel is casevault.MessageChannel.WEB_FORM
    assert m.direction is casevault.Direction.OUTBOUND
    assert m.body == "about case A" and m.subject_line is None and m.sender is None
    assert m.at == m.recorded_at == T0
    assert "about case A" not in repr(m)
    assert cw.msg_loose.case_id is None

    # An inbound email without a subject finds its account by sender.
    cw.clock.advance(100)
    inbound = v.correspondence.record(support, body="Where is my card?\nThanks", channel="email",
                                      sender="  OLGA@Example.com ", subject_line="Question",
                                      at=T0 + 40)
    assert inbound.subject == owner and inbound.sender == "OLGA@Example.com"
    assert inbound.direction == "inbound" and inbound.at == T0 + 40 and inbound.recorded_at == T0 + 100
    assert v.correspondence.get(owner, inbound.id) == inbound
    assert "Question" not in repr(inbound) and "OLGA" not in repr(inbound)
    wa = v.correspondence.record(support, None, body="hi", channel=casevault.MessageChannel.WHATSAPP,
                                 sender="+1 (332) 555-0101")
    assert wa.subject == owner and wa.channel == "whatsapp"
    survey = v.correspondence.record(owner, owner, body='{"nps": 9}', channel="survey")
    assert survey.channel == "survey" and survey.direction == "inbound"
    assert v.correspondence.match_sender(support, "olga@example.com") == owner
    assert v.correspondence.match_sender(support, "nobody@example.com") is None
    with pytest.raises(casevault.NotFoundError):
        v.correspondence.record(support, body="?", channel="email", sender="nobody@example.com")
    with pytest.raises(casevault.InvalidArgumentError):
        v.correspondence.record(support, body="?", channel="email")          # no sender, no subject


def test_message_list_paging_and_case_filter(cw):
    v, owner = cw.vault, cw.owner.id
    more = v.correspondence.record_many(owner, [
        casevault.MessageFields(owner, f"batch {i}", channel="phone", direction="outbound",
                                case_id=cw.case_a.id)
        for i in range(3)
    ] + [dict(subject=owner, body="from a dict", channel="web_form", direction="inbound")])
    assert [m.body for m in more] == ["batch 0", "batch 1", "batch 2", "from a dict"]
    assert all(m.subject == owner for m in more)
    assert v.correspondence.record_many(owner, []) == []

    page = v.correspondence.list(owner, owner, limit=2)
    assert isinstance(page, casevault.MessagePage)
    assert len(page) == 2 and page.next_cursor is not None
    seen = list(page)
    while page.next_cursor is not None:
        page = v.correspondence.list(owner, owner, after=page.next_cursor, limit=2)
        seen.extend(page)
    all_ids = {cw.msg_a.id, cw.msg_b.id, cw.msg_loose.id} | {m.id for m in more}
    assert len(seen) == 7 and {m.id for m in seen} == all_ids
    assert [m.id for m in v.correspondence.iter(owner, owner, page_size=3)] == [m.id for m in seen]
    on_a = v.correspondence.list(owner, owner, case_id=cw.case_a.id)
    assert {m.id for m in on_a} == {cw.msg_a.id} | {m.id for m in more[:3]}
    assert on_a.next_cursor is None
    # Another subject sees none of them (left out, not refused).
    assert len(v.correspondence.list(cw.other.id, owner)) == 0
    with pytest.raises(casevault.InvalidArgumentError):
        v.correspondence.list(owner, owner, limit=0)


# ---- billing -----------------------------------------------------------------------------------


def test_payment_record_get_list(cw):
    v, owner = cw.vault, cw.owner.id
    p = cw.payment
    assert isinstance(p, casevault.Payment)
    assert p.id.startswith("pay_") and p.subject == owner
    assert (p.amount_minor, p.currency, p.card_brand, p.last4) == (4900, "USD", "visa", "1111")
    assert p.billing_address == "1 Main St\nSpringfield" and p.processor_ref == "ch_123abc"
    assert p.recurring is False and p.paid_at == p.recorded_at == T0
    assert "Main St" not in repr(p) and "ch_123abc" not in repr(p) and "1111" not in repr(p)
    assert v.billing.get(cw.p["support"].id, p.id) == p     # billing support reads any

    cw.clock.advance(DAY)
    q = v.billing.record(owner, owner, amount_minor=1999, currency="usd", card_brand="Mastercard",
                         last4="0004", paid_at=T0 + 10, recurring=True)
    assert (q.currency, q.card_brand, q.paid_at, q.recorded_at) == ("USD", "mastercard", T0 + 10, T0 + DAY)
    assert q.recurring is True and q.billing_address is None and q.processor_ref is None
    assert v.billing.list(owner, owner) == sorted([p, q], key=lambda x: x.id)
    assert v.billing.get(owner, q.id) == q


# ---- posts ----------------------------------------------------------------------------------------


def test_posts_publish_get_list_remove(vw):
    v, owner, other = vw.vault, vw.owner.id, vw.other.id
    p = vw.post
    assert isinstance(p, casevault.Post)
    assert p.id.startswith("pst_") and p.author == owner
    assert (p.title, p.body, p.created_at) == ("Hello", "My I-485 story", T0)
    assert "I-485 story" not in repr(p)
    assert v.posts.get(other, p.id) == p                      # public: anyone registered reads it

    vw.clock.advance(1)
    second = v.posts.publish(owner, "Again", "Second", author=owner)
    theirs = v.posts.publish(other, "Mine", "Other's post")
    assert theirs.author == other
    page = v.posts.list(other, author=owner)
    assert isinstance(page, casevault.PostPage)
    assert [x.id for x in page] == sorted([p.id, second.id]) and page.next_cursor is None
    first = v.posts.list(owner, limit=2)
    assert len(first) == 2 and first.next_cursor is not None
    rest = v.posts.list(owner, after=first.next_cursor, limit=2)
    assert {x.id for x in list(first) + list(rest)} == {p.id, second.id, theirs.id}
    assert [x.id for x in v.posts.iter(owner, page_size=1)] == [x.id for x in list(first) + list(rest)]

    v.posts.remove(owner, second.id)
    with pytest.raises(casevault.NotFoundError):
        v.posts.get(other, second.id)
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.posts.remove(other, p.id)
    assert e.value.rule == "not_owner"
    assert v.posts.get(other, p.id) == p
    with pytest.raises(casevault.AccessDeniedError) as e:
        v.posts.publish(other, "x", "y", author=owner)         # writing as someone else
    assert e.value.rule == "not_owner"


def test_models_are_frozen(vw):
    for record in (vw.case_a, vw.msg_a, vw.payment, vw.post, vw.p["staff"]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.id = "x"
    hash(vw.case_a)                                            # hashable despite the questionnaire dict


def test_closed_vault(store_path):
    w = build(store_path, "visapro.json")
    w.vault.close()
    for call in (lambda: w.vault.cases.get(w.owner.id, w.case_a.id),
                 lambda: w.vault.principals.list(),
                 lambda: w.vault.can(w.owner.id, "read", "case", w.case_a.id),
                 lambda: w.vault.posts.list(w.owner.id),
                 lambda: w.vault.billing.list(w.owner.id, w.owner.id),
                 lambda: w.vault.correspondence.get(w.owner.id, w.msg_a.id)):
        with pytest.raises(casevault.ClosedError):
            call()


def test_a_failing_clock_in_a_record_call_is_reraised(store_path):
    """The clock installed at open reports its exception to the record call
    that asked for the time: the call is rolled back and the original
    exception is raised (not InternalError)."""
    class ClockDown(Exception):
        pass

    fake = FakeClock(T0)
    failing = {"on": False}

    def clock():
        if failing["on"]:
            raise ClockDown("the clock is down")
        return fake()

    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("visapro.json"))
        a = v.accounts.create(name="Clock Person", email="clock@example.com")
        failing["on"] = True
        with pytest.raises(ClockDown):
            v.cases.open(a.id, a.id, "I-130")
        with pytest.raises(ClockDown):
            v.correspondence.record(a.id, a.id, body="x", channel="web_form")
        failing["on"] = False
        assert v.cases.list(a.id, a.id) == []
        assert len(v.correspondence.list(a.id, a.id)) == 0
        assert v.cases.open(a.id, a.id, "I-130").created_at == T0


def test_info_counts_the_records(vw):
    i = vw.vault.info()
    assert (i.principals, i.cases, i.messages, i.payments, i.posts) == (6, 2, 3, 1, 1)

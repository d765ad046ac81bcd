"""The retention engine through the Python package: qualifying activity,
cancel and delete requests, inbound email / WhatsApp commands with their
confirmation codes, the sweep and its receipts, under the Case Parallels
and VisaPro reference policies, on the injected clock. Holds and backups
are in test_retention_holds.py.

Case Parallels: activity kinds message, payment and token_use with a
30-day window; case content is deleted 60 days after the account became
inactive, 30 days after a cancellation, and everything but minimised
billing at the first sweep after a deletion request. Commands need a
confirmation code, valid 7 days.
"""

import dataclasses

import pytest

import casevault
from conftest import confirm_codes, leaks, open_store
from policy_docs import DAY, T0, FakeClock, load_example
from records_world import RECEIPT_A, UNKNOWN_ACCOUNT, build

OWNER_EMAIL = "olga@example.com"
OWNER_PHONE = "+1 332 555 0101"
OTHER_EMAIL = "otto@example.com"


def at(w, t):
    """Move the world's clock to t (Unix seconds)."""
    w.clock.advance(t - w.clock())
    assert w.clock() == t


def day(n):
    return T0 + n * DAY


def case_ids(w):
    """The ids of the owner's cases that still exist."""
    left = []
    for c in (w.case_a, w.case_b):
        try:
            w.vault.can(w.p["system"].id, "read", "case", c.id)
        except casevault.NotFoundError:
            continue
        left.append(c.id)
    return left


def planned(plan, subject, trigger=None):
    """The plan's deletions for subject (under trigger, if given)."""
    return [d for d in plan.deletions
            if d.subject == subject and (trigger is None or d.trigger == trigger)]


# ---- names, errors, accessors -----------------------------------------------------------


def test_enums_are_plain_strings():
    assert casevault.RETENTION_TRIGGERS == ("inactivity", "cancellation", "deletion_request",
                                            "reconsent_declined", "account_closed")
    assert casevault.REQUEST_KINDS == ("cancel", "delete")
    assert casevault.REQUEST_STATES == ("awaiting_confirmation", "pending", "done", "expired",
                                        "withdrawn")
    assert casevault.INBOUND_OUTCOMES == ("no_command", "ambiguous", "negated", "mention_only",
                                          "unknown_sender", "channel_not_accepted",
                                          "awaiting_confirmation", "accepted")
    assert casevault.HOLD_SCOPES == ("subject", "case")
    assert casevault.HOLD_STATES == ("active", "continued", "expired", "released")
    assert casevault.RequestKind.ERASE == "delete" and str(casevault.RequestKind.ERASE) == "delete"
    assert f"{casevault.InboundOutcome.NEGATED}" == "negated"
    assert casevault.RetentionTrigger("inactivity") is casevault.RetentionTrigger.INACTIVITY


def test_expired_error():
    cls = casevault.ExpiredError
    assert issubclass(cls, casevault.Error)
    assert cls.code == -14 and cls.name == "expired"
    assert casevault.error_class(-14) is cls
    e = cls("message")
    assert e.code == -14 and e.name == "expired" and str(e) == "message"
    from casevault import _casevault
    assert _casevault.errc_name(-14) == "expired"


def test_accessors(vault):
    for name, cls in (("activity", casevault.Activity), ("requests", casevault.Requests),
                      ("holds", casevault.Holds), ("retention", casevault.Retention),
                      ("backups", casevault.Backups)):
        view = getattr(vault, name)
        assert isinstance(view, cls)
        assert getattr(vault, name) is view


def test_calls_after_close_raise_closed(store_path):
    v = open_store(store_path)
    v.policy.publish(load_example("case-parallels.json"))
    a = v.accounts.create(name="Ana", email="ana@example.com")
    v.close()
    for call in (lambda: v.activity.state(a.id), lambda: v.requests.erase(a.id),
                 lambda: v.holds.list(), lambda: v.retention.preview(), lambda: v.retention.sweep(),
                 lambda: v.backups.list()):
        with pytest.raises(casevault.ClosedError):
            call()


def test_no_policy(vault):
    a = vault.accounts.create(name="Ana", email="ana@example.com")
    with pytest.raises(casevault.InvalidArgumentError):
        vault.retention.sweep()
    with pytest.raises(casevault.InvalidArgumentError):
        vault.requests.erase(a.id)
    with pytest.raises(casevault.InvalidArgumentError):
        vault.activity.record(a.id, "message")


def test_argument_checks(cw):
    v = cw.vault
    with pytest.raises(TypeError):
        v.retention.sweep(progress="not callable")
    with pytest.raises(TypeError):
        v.retention.sweep(batch_size="10")
    with pytest.raises(casevault.InvalidArgumentError):
        v.retention.sweep(batch_size=0)
    with pytest.raises(casevault.InvalidArgumentError):
        v.retention.sweep(subjects_per_commit=0)
    with pytest.raises(casevault.InvalidArgumentError):
        v.retention.sweep(subjects_per_commit=10001)
    with pytest.raises(casevault.InvalidArgumentError):
        v.retention.receipts(limit=0)
    with pytest.raises(TypeError) as e:
        v.requests.inbound("email", 42, subject_line="CANCEL")
    assert "42" not in str(e.value)
    with pytest.raises(casevault.InvalidArgumentError):
        v.requests.inbound("carrier_pigeon", OWNER_EMAIL, subject_line="CANCEL")
    with pytest.raises(casevault.InvalidArgumentError):
        v.requests.cancel(cw.owner.id, channel="carrier_pigeon")


# ---- activity ----------------------------------------------------------------------------


def test_activity_after_sign_up(cw):
    s = cw.vault.activity.state(cw.owner.id)
    assert isinstance(s, casevault.ActivityState)
    assert s.subject == cw.owner.id and s.active is True
    # Sign-up counts: active for the longest window, deleted 60 days later.
    assert s.active_until == day(30)
    assert s.inactivity_due_at == day(90)
    assert all(isinstance(m, casevault.ActivityMark) for m in s.latest)
    assert all(m.at == T0 for m in s.latest)
    other = cw.vault.activity.state(cw.other.id)
    assert (other.active_until, other.inactivity_due_at) == (day(30), day(90))


def test_activity_record_moves_the_deadline(cw):
    v, o = cw.vault, cw.owner.id
    at(cw, day(10))
    s = v.activity.record(o, "token_use")
    assert s.last("token_use") == day(10)
    assert (s.active, s.active_until, s.inactivity_due_at) == (True, day(40), day(100))
    # An earlier time of another kind does not move it back.
    s = v.activity.record(o, "message", at=day(5))
    assert s.last("message") == day(5) and s.last("token_use") == day(10)
    assert s.active_until == day(40)
    assert {m.kind for m in s.latest} >= {"message", "token_use"}
    assert v.activity.state(o) == s
    # Recurring charges count as payments under this policy.
    s = v.activity.record(o, "recurring_payment")
    assert day(10) in (s.last("payment"), s.last("recurring_payment"))
    assert s.active_until == day(40)
    # After the window, the account is inactive; the deadline stays.
    at(cw, day(41))
    s = v.activity.state(o)
    assert s.active is False and s.active_until == day(40) and s.inactivity_due_at == day(100)


def test_activity_refusals(cw):
    v, o = cw.vault, cw.owner.id
    with pytest.raises(casevault.InvalidArgumentError):
        v.activity.record(o, "login")                     # not a kind of the policy
    with pytest.raises(casevault.InvalidArgumentError):
        v.activity.record(o, "message", at=T0 + 60)       # in the future
    with pytest.raises(casevault.NotFoundError):
        v.activity.record(UNKNOWN_ACCOUNT, "message")
    with pytest.raises(casevault.NotFoundError):
        v.activity.state(UNKNOWN_ACCOUNT)
    with pytest.raises(casevault.InvalidArgumentError):
        v.activity.state("not-an-id")


def test_recorded_messages_and_payments_count(cw):
    v, o = cw.vault, cw.owner.id
    at(cw, day(20))
    v.correspondence.record(o, o, body="hello", channel="email", direction="inbound",
                            sender=OWNER_EMAIL, subject_line="question")
    assert v.activity.state(o).last("message") == day(20)
    at(cw, day(25))
    v.billing.record(o, o, amount_minor=100, currency="USD", card_brand="visa", last4="4242")
    s = v.activity.state(o)
    assert s.last("payment") == day(25)
    assert s.active_until == day(55) and s.inactivity_due_at == day(115)


# ---- the inactivity rule -----------------------------------------------------------------


def test_inactivity_deletes_case_content_on_the_day(cw):
    v, o = cw.vault, cw.owner.id
    assert len(case_ids(cw)) == 2

    # The day before: nothing due for the owner.
    at(cw, day(89))
    assert planned(v.retention.preview(), o) == []
    r = v.retention.sweep()
    assert r.now == day(89)
    assert case_ids(cw) == [cw.case_a.id, cw.case_b.id]

    # The day of: the cases go, the account stays.
    at(cw, day(90))
    plan = v.retention.preview()
    assert isinstance(plan, casevault.SweepPlan) and plan.now == day(90)
    (d,) = planned(plan, o)
    assert isinstance(d, casevault.PlannedDeletion)
    assert d.trigger == casevault.RetentionTrigger.INACTIVITY
    assert d.rules == ("content-after-inactivity",)
    assert d.due_at == day(90)
    assert d.counts == {"case": 2} and d.actions == {"case": "delete"}
    assert o in plan.subjects()
    assert case_ids(cw) == [cw.case_a.id, cw.case_b.id]      # preview changed nothing

    report = v.retention.sweep()
    assert isinstance(report, casevault.SweepReport)
    assert report.now == day(90) and report.subjects >= 1
    assert report.counts.get("case") == 2
    assert report.held == () and len(report.receipts) >= 1
    assert case_ids(cw) == []
    acc = v.accounts.get(o)
    assert acc.status == "active" and acc.name == "Olga Owner"
    assert v.info().cases == 0
    assert v.activity.state(o).inactivity_due_at is None        # acted
    assert v.audit.verify().ok

    (rcp,) = v.retention.receipts_for(o)
    assert isinstance(rcp, casevault.DeletionReceipt)
    assert rcp.id.startswith("rcp_") and rcp.id in report.receipts
    assert rcp.trigger == "inactivity" and rcp.rules == ("content-after-inactivity",)
    assert rcp.counts == {"case": 2} and rcp.at == day(90)
    assert rcp.subject_ref == v.retention.subject_ref(o) != o
    assert o not in repr(rcp)

    # Idempotent: nothing more to do.
    again = v.retention.sweep()
    assert again.counts.get("case", 0) == 0 and again.receipts == ()
    assert len(v.retention.receipts_for(o)) == 1


def test_new_activity_cancels_the_inactivity_deletion(cw):
    v, o = cw.vault, cw.owner.id
    at(cw, day(80))                         # inactive since day 30, deletion due on day 90
    assert v.activity.state(o).active is False
    s = v.activity.record(o, "message")
    assert s.active is True and s.inactivity_due_at == day(170)
    at(cw, day(90))
    assert planned(v.retention.preview(), o) == []
    v.retention.sweep()
    assert len(case_ids(cw)) == 2
    at(cw, day(170) - 1)
    v.retention.sweep()
    assert len(case_ids(cw)) == 2
    at(cw, day(170))
    v.retention.sweep()
    assert case_ids(cw) == []


# ---- requests through the host -------------------------------------------------------------


def test_cancel_request_deletes_cases_30_days_later(cw):
    v, o = cw.vault, cw.owner.id
    at(cw, day(5))
    r = v.requests.cancel(o)
    assert isinstance(r, casevault.RetentionRequest)
    assert r.id.startswith("era_") and r.subject == o
    assert r.kind == casevault.RequestKind.CANCEL and r.trigger == "cancellation"
    assert r.channel == "web" and r.state == casevault.RequestState.PENDING
    assert (r.requested_at, r.due_at, r.confirm_by, r.done_at) == (day(5), day(35), None, None)
    assert v.accounts.get(o).status == "cancelled"
    assert v.requests.cancel(o) == r                       # the pending one again
    assert v.requests.get(r.id) == r
    assert v.requests.list(o) == [r]
    assert r in v.requests.list()

    at(cw, day(34))
    v.retention.sweep()
    assert len(case_ids(cw)) == 2
    at(cw, day(35))
    (d,) = planned(v.retention.preview(), o, "cancellation")
    assert d.rules == ("content-after-cancellation",) and d.counts == {"case": 2}
    report = v.retention.sweep()
    assert report.counts.get("case") == 2
    assert case_ids(cw) == []
    done = v.requests.get(r.id)
    assert done.state == "done" and done.done_at == day(35)
    assert v.accounts.get(o).status == "cancelled"
    (rcp,) = v.retention.receipts_for(o)
    assert rcp.trigger == "cancellation"


def test_erase_request_erases_at_the_next_sweep(cw):
    v, o = cw.vault, cw.owner.id
    support = cw.p["support"].id
    at(cw, day(1))
    r = v.requests.erase(o, channel="email")
    assert r.kind == casevault.RequestKind.ERASE == "delete"
    assert r.trigger == "deletion_request" and r.channel == "email"
    assert r.state == "pending" and r.due_at == day(1)
    assert v.accounts.get(o).status == "active"            # until the sweep

    (d,) = planned(v.retention.preview(), o, "deletion_request")
    assert set(d.rules) == {"account-on-deletion-request", "billing-on-deletion-request"}
    assert d.actions["account"] == "delete" and d.actions["case"] == "delete"
    assert d.actions["correspondence"] == "delete" and d.actions["billing"] == "minimize"
    assert d.counts["case"] == 2 and d.counts["correspondence"] == 3 and d.counts["billing"] == 1

    report = v.retention.sweep()
    assert report.subjects >= 1
    acc = v.accounts.get(o)
    assert acc.status == "erased" and acc.name == "" and acc.email is None
    assert v.accounts.find(email=OWNER_EMAIL) is None
    assert case_ids(cw) == []
    with pytest.raises(casevault.NotFoundError):
        v.correspondence.get(support, cw.msg_loose.id)
    # Billing is minimised and kept (legal obligation).
    p = v.billing.get(support, cw.payment.id)
    assert (p.amount_minor, p.currency, p.paid_at, p.last4) == (4900, "USD", T0, "1111")
    assert p.billing_address == "1 Main St\nSpringfield"
    assert p.processor_ref is None
    assert v.requests.get(r.id).state == "done"
    (rcp,) = v.retention.receipts_for(o)
    assert rcp.trigger == "deletion_request" and rcp.counts["billing"] == 1
    # The other subject is untouched.
    assert v.accounts.get(cw.other.id).status == "active"
    assert v.audit.verify().ok

    with pytest.raises(casevault.NotFoundError):
        v.requests.erase(UNKNOWN_ACCOUNT)
    with pytest.raises(casevault.NotFoundError):
        v.requests.get("era_" + "0" * 24)


def test_requests_on_an_erased_account_are_not_found(cw):
    v, o = cw.vault, cw.owner.id
    v.requests.erase(o)
    v.retention.sweep()
    assert v.accounts.get(o).status == "erased"
    for call in (v.requests.erase, v.requests.cancel):
        with pytest.raises(casevault.NotFoundError):
            call(o)                                        # no live account
    with pytest.raises(casevault.NotFoundError):
        v.activity.record(o, "message")


def test_receipts_paging(cw):
    v = cw.vault
    v.requests.erase(cw.owner.id)
    v.requests.erase(cw.other.id)
    v.retention.sweep()
    everything = v.retention.receipts()
    assert len(everything) == 2
    assert [r.id for r in everything] == sorted(r.id for r in everything)
    assert {r.subject_ref for r in everything} == {v.retention.subject_ref(cw.owner.id),
                                                   v.retention.subject_ref(cw.other.id)}
    assert v.retention.receipts(after=everything[0].id) == everything[1:]
    assert v.retention.receipts(limit=1) == everything[:1]
    assert list(v.retention.iter_receipts(page_size=1)) == everything


# ---- inbound commands ----------------------------------------------------------------------


# (channel, subject line, body, outcome, command). "command": the text
# holds that command (inbound() then asks for confirmation under Case
# Parallels); otherwise the outcome that inbound() and parse() give.
PARSED = [
    # email: the word in the subject line, any case, as a word
    ("email", "CANCEL", "", "command", "cancel"),
    ("email", "cancel", "", "command", "cancel"),
    ("email", "Please Delete my account", "", "command", "delete"),
    ("email", "Re: delete.", "", "command", "delete"),
    ("email", "Cancellation of my appointment", "", "no_command", None),
    ("email", "undelete", "", "no_command", None),
    ("email", "Question", "CANCEL", "no_command", None),       # only the subject line counts
    ("email", "please don't delete my case", "", "negated", None),
    ("email", "CANCEL or DELETE?", "", "ambiguous", None),
    # WhatsApp: the body is exactly the word, surrounding space ignored
    ("whatsapp", "", "CANCEL", "command", "cancel"),
    ("whatsapp", "", "  DELETE \n", "command", "delete"),
    ("whatsapp", "", "I want to cancel my subscription", "mention_only", None),
    ("whatsapp", "", "hello", "no_command", None),
]
NOT_COMMANDS = ("no_command", "ambiguous", "negated", "mention_only")


@pytest.mark.parametrize("channel,subject_line,body,outcome,command", PARSED)
def test_parse(vault, channel, subject_line, body, outcome, command):
    r = vault.requests.parse(channel, subject_line=subject_line, body=body)
    assert isinstance(r, casevault.InboundResult)
    if outcome == "command":
        assert r.command == command and r.outcome not in NOT_COMMANDS
    else:
        assert r.outcome == outcome
        if outcome == "no_command":
            assert r.command is None
    # Only parsed: no sender matched, nothing queued.
    assert r.subject is None and r.request is None
    assert vault.outbox.pending() == 0


@pytest.mark.parametrize("channel,subject_line,body,outcome,command",
                         [p for p in PARSED if p[3] != "command"])
def test_inbound_without_a_command_changes_nothing(cw, channel, subject_line, body, outcome, command):
    v = cw.vault
    sender = OWNER_EMAIL if channel == "email" else OWNER_PHONE
    pending = v.outbox.pending()
    r = v.requests.inbound(channel, sender, subject_line=subject_line, body=body)
    assert r.outcome == outcome and r.request is None
    assert r.outcome in NOT_COMMANDS
    assert v.outbox.pending() == pending
    assert v.requests.list() == []
    assert v.accounts.get(cw.owner.id).status == "active"


@pytest.mark.parametrize("channel,subject_line,body,outcome,command",
                         [p for p in PARSED if p[3] == "command"])
def test_inbound_commands_await_confirmation(cw, channel, subject_line, body, outcome, command):
    v = cw.vault
    sender = OWNER_EMAIL if channel == "email" else OWNER_PHONE
    r = v.requests.inbound(channel, sender, subject_line=subject_line, body=body)
    assert r.outcome == "awaiting_confirmation" and r.command == command
    assert r.subject == cw.owner.id
    assert r.request.kind == command and r.request.state == "awaiting_confirmation"
    assert r.request.channel == channel
    assert list(confirm_codes(v)) == [cw.owner.id]
    assert v.accounts.get(cw.owner.id).status == "active"


def test_inbound_email_cancel_with_confirmation(cw):
    v, o = cw.vault, cw.owner.id
    at(cw, day(2))
    r = v.requests.inbound("email", " OLGA@example.com", subject_line="Cancel", body="thanks")
    assert r.outcome == casevault.InboundOutcome.AWAITING_CONFIRMATION
    assert r.command == "cancel" and r.subject == o
    req = r.request
    assert req.kind == "cancel" and req.channel == "email"
    assert req.state == "awaiting_confirmation"
    assert req.due_at is None and req.confirm_by == day(9)
    assert v.accounts.get(o).status == "active"           # not before the code
    (code,) = confirm_codes(v)[o]
    assert code not in repr(r)

    done = v.requests.confirm(code)
    assert done.id == req.id and done.state == "pending"
    assert done.due_at == day(32)
    assert v.accounts.get(o).status == "cancelled"
    with pytest.raises(casevault.NotFoundError):
        v.requests.confirm(code)                           # single use
    with pytest.raises(casevault.NotFoundError):
        v.requests.confirm("0000-0000-0000")               # a code's shape, no request


def test_inbound_whatsapp_delete_with_confirmation(cw):
    v, o = cw.vault, cw.owner.id
    r = v.requests.inbound(casevault.MessageChannel.WHATSAPP, OWNER_PHONE, body="  DELETE \n")
    assert r.outcome == "awaiting_confirmation" and r.command == casevault.RequestKind.ERASE
    assert r.subject == o and r.request.channel == "whatsapp"
    (code,) = confirm_codes(v)[o]
    assert v.requests.confirm(code).state == "pending"
    v.retention.sweep()
    assert v.accounts.get(o).status == "erased"
    assert v.requests.get(r.request.id).state == "done"


def test_inbound_unknown_sender(cw):
    v = cw.vault
    r = v.requests.inbound("email", "nobody@example.com", subject_line="DELETE")
    assert r.outcome == "unknown_sender" and r.subject is None and r.request is None
    r = v.requests.inbound("whatsapp", "+1 332 555 9999", body="DELETE")
    assert r.outcome == "unknown_sender"
    assert v.outbox.pending() == 0 and v.requests.list() == []


def test_confirmation_codes_expire_after_7_days(cw):
    v, o, other = cw.vault, cw.owner.id, cw.other.id
    first = v.requests.inbound("email", OWNER_EMAIL, subject_line="CANCEL").request
    second = v.requests.inbound("email", OTHER_EMAIL, subject_line="DELETE").request
    codes = confirm_codes(v)
    (owner_code,), (other_code,) = codes[o], codes[other]
    assert first.confirm_by == second.confirm_by == day(7)

    at(cw, day(7))                                         # confirm_by is inclusive
    # Case, spaces and hyphens do not matter.
    assert v.requests.confirm(" " + owner_code.lower().replace("-", " ")).state == "pending"
    at(cw, day(7) + 1)
    with pytest.raises(casevault.ExpiredError) as e:
        v.requests.confirm(other_code)
    assert e.value.code == -14 and e.value.name == "expired"
    assert v.accounts.get(other).status == "active"
    # The next sweep marks the request expired; the code stays refused.
    assert v.requests.get(second.id).state == "awaiting_confirmation"
    assert v.retention.sweep().requests_expired == 1
    assert v.requests.get(second.id).state == "expired"
    with pytest.raises((casevault.ExpiredError, casevault.NotFoundError)):
        v.requests.confirm(other_code)
    with pytest.raises(casevault.InvalidArgumentError):
        v.requests.confirm("not-a-code")                   # not a code's shape


def test_the_sweep_expires_unconfirmed_requests(cw):
    v, o = cw.vault, cw.owner.id
    req = v.requests.inbound("whatsapp", OWNER_PHONE, body="CANCEL").request
    (code,) = confirm_codes(v)[o]
    at(cw, day(6))
    plan = v.retention.preview()
    assert req.id not in plan.requests_expiring
    at(cw, day(8))
    assert req.id in v.retention.preview().requests_expiring
    report = v.retention.sweep()
    assert report.requests_expired == 1
    assert v.requests.get(req.id).state == "expired"
    assert v.accounts.get(o).status == "active"
    with pytest.raises((casevault.ExpiredError, casevault.NotFoundError)):
        v.requests.confirm(code)


# ---- the sweep's progress -------------------------------------------------------------------


class Boom(Exception):
    pass


def test_sweep_progress(cw):
    v = cw.vault
    v.requests.erase(cw.owner.id)
    calls = []

    def progress(phase, done, total):
        calls.append((phase, done, total))

    report = v.retention.sweep(progress=progress)
    assert report.subjects >= 1
    phases = [c[0] for c in calls]
    assert "subjects" in phases
    order = ["holds", "plan", "subjects", "backups"]
    assert set(phases) <= set(order)
    assert [order.index(p) for p in phases] == sorted(order.index(p) for p in phases)
    assert all(isinstance(d, int) and isinstance(t, int) for _, d, t in calls)


def test_sweep_subjects_per_commit(cw):
    """One subject per commit: a "subjects" report after each; cancelling
    after the first keeps it done and leaves the other to the next sweep."""
    v = cw.vault
    v.requests.erase(cw.owner.id)
    v.requests.erase(cw.other.id)
    seen = []

    def progress(phase, done, total):
        seen.append((phase, done, total))
        return not (phase == "subjects" and done == 1)

    with pytest.raises(casevault.CancelledError):
        v.retention.sweep(subjects_per_commit=1, progress=progress)
    assert ("subjects", 1, 2) in seen
    statuses = sorted(v.accounts.get(a).status for a in (cw.owner.id, cw.other.id))
    assert statuses == ["active", "erased"]
    report = v.retention.sweep(subjects_per_commit=1)
    assert report.subjects == 1
    assert [v.accounts.get(a).status for a in (cw.owner.id, cw.other.id)] == ["erased", "erased"]
    assert len(v.retention.receipts()) == 2


def test_sweep_cancelled_by_progress(cw):
    """False stops the sweep (CancelledError); the next sweep continues."""
    v = cw.vault
    v.requests.erase(cw.owner.id)
    v.requests.erase(cw.other.id)
    phases = []

    def progress(phase, done, total):
        phases.append(phase)
        return False

    with pytest.raises(casevault.CancelledError):
        v.retention.sweep(progress=progress)
    assert phases == ["holds"]                               # the first phase: nothing done yet
    assert [v.accounts.get(a).status for a in (cw.owner.id, cw.other.id)] == ["active", "active"]
    v.retention.sweep()
    assert [v.accounts.get(a).status for a in (cw.owner.id, cw.other.id)] == ["erased", "erased"]
    assert len(v.retention.receipts()) == 2


def test_sweep_progress_exception_is_reraised(cw):
    v = cw.vault
    v.requests.erase(cw.owner.id)
    v.requests.erase(cw.other.id)
    calls = []

    def progress(phase, done, total):
        calls.append(phase)
        raise Boom("from the callback")

    with pytest.raises(Boom, match="from the callback"):
        v.retention.sweep(progress=progress)
    assert len(calls) == 1                                  # not called again once it raised
    v.retention.sweep()
    assert [v.accounts.get(a).status for a in (cw.owner.id, cw.other.id)] == ["erased", "erased"]


def test_clock_exception_during_sweep_is_reraised(store_path):
    """The vault's clock is asked for "now": if it raises, the sweep fails
    with that exception and nothing is deleted."""
    clock = FakeClock(T0)
    broken = []

    def tick():
        if broken:
            raise Boom("clock")
        return clock()

    w = build(store_path, "case-parallels.json", clock=clock)
    w.vault.close()
    with open_store(store_path, clock=tick) as v:
        v.requests.erase(w.owner.id)
        broken.append(True)
        with pytest.raises(Boom, match="clock"):
            v.retention.sweep()
        broken.clear()
        assert v.accounts.get(w.owner.id).status == "active"
        assert v.retention.sweep().subjects >= 1
        assert v.accounts.get(w.owner.id).status == "erased"


# ---- VisaPro: no activity, no requests section, no preservation -------------------------------


def test_visapro(vw):
    v, o = vw.vault, vw.owner.id
    s = v.activity.state(o)
    assert s.active_until is None and s.inactivity_due_at is None
    with pytest.raises(casevault.InvalidArgumentError):
        v.activity.record(o, "message")
    r = v.requests.inbound("email", OWNER_EMAIL, subject_line="DELETE")
    assert r.outcome == casevault.InboundOutcome.CHANNEL_NOT_ACCEPTED and r.request is None
    r = v.requests.inbound("whatsapp", OWNER_PHONE, body="DELETE")
    assert r.outcome == "channel_not_accepted"
    assert v.outbox.pending() == 0 and v.requests.list() == []
    with pytest.raises(casevault.InvalidArgumentError):
        v.holds.place(o, authority="sca_2703f", reference="GJ-1")
    # A year without activity deletes nothing: no inactivity rule.
    at(vw, day(365))
    assert planned(v.retention.preview(), o) == []


def test_visapro_erase_anonymises_posts(vw):
    v, o, other = vw.vault, vw.owner.id, vw.other.id
    r = v.requests.erase(o)
    assert r.trigger == "deletion_request"
    (d,) = planned(v.retention.preview(), o)
    assert d.actions["post"] == "anonymize" and d.actions["account"] == "delete"
    assert d.counts["post"] == 1
    v.retention.sweep()
    assert v.accounts.get(o).status == "erased"
    kept = v.posts.get(other, vw.post.id)
    assert kept.author is None and (kept.title, kept.body) == ("Hello", "My I-485 story")
    (rcp,) = v.retention.receipts_for(o)
    assert rcp.counts["post"] == 1
    with pytest.raises(casevault.NotFoundError):
        v.cases.get(vw.p["system"].id, vw.case_a.id)


# ---- privacy ------------------------------------------------------------------------------


CANARIES = {
    "name": "Qzxwv Canaryperson",
    "email": "qzxwv.canary7781@example.org",
    "phone": "+1 332 555 0177",
    "receipt": "LIN2290055661",
    "questionnaire": "Qzxwv-Answer-4410",
    "subject_line": "CANCEL Qzxwv-Subject-9920",
    "body": "Qzxwv-Body-3318",
    "reference": "Qzxwv-GJ-2024-0042",
}
NEEDLES = [c for k, c in CANARIES.items() if k != "phone"] + [
    "Qzxwv", "Canaryperson", "canary7781", "2290055661", "3325550177", "555 0177"]


def test_no_personal_data_on_disk_in_reprs_or_audit(store_path, tmp_path):
    w = build(store_path, "case-parallels.json")
    v = w.vault
    seen = []
    try:
        p = v.accounts.create(name=CANARIES["name"], email=CANARIES["email"], phone=CANARIES["phone"])
        c = v.cases.open(p.id, p.id, "I-765", receipt_number=CANARIES["receipt"],
                         questionnaire={"a": CANARIES["questionnaire"]})
        seen.append(v.activity.record(p.id, "token_use"))
        seen.append(v.activity.state(p.id))
        seen.append(v.requests.parse("email", subject_line=CANARIES["subject_line"],
                                     body=CANARIES["body"]))
        r = v.requests.inbound("email", CANARIES["email"], subject_line=CANARIES["subject_line"],
                               body=CANARIES["body"])
        assert r.outcome == "awaiting_confirmation" and r.subject == p.id
        seen.append(r)
        seen.append(v.requests.inbound("whatsapp", CANARIES["phone"], body=CANARIES["body"]))
        hold = v.holds.place(c.id, authority="civil_subpoena", reference=CANARIES["reference"],
                             scope=casevault.HoldScope.CASE_FILE)
        assert hold.reference == CANARIES["reference"]
        seen += [hold, v.holds.list(include_ended=True)]
        seen.append(v.holds.release(hold.id))
        (code,) = confirm_codes(v)[p.id]
        seen.append(v.requests.confirm(code))
        seen.append(v.requests.erase(p.id))
        seen.append(v.retention.preview())
        report = v.retention.sweep()
        seen += [report, v.retention.receipts(), v.retention.receipts_for(p.id), v.requests.list()]
        assert v.accounts.get(p.id).status == "erased"
        backup = tmp_path / "after.bak"
        seen.append(v.backups.create(backup))
        seen.append(v.backups.restore(backup))
        seen.append(v.backups.list(include_removed=True))
        assert v.accounts.get(p.id).status == "erased"

        text = "\n".join(repr(x) for x in seen) + "\n".join(str(x) for x in seen)
        for n in NEEDLES:
            assert n not in text, n
        # Models built from the records hide the reference; dataclass fields agree.
        assert not any(f.repr for f in dataclasses.fields(casevault.Hold) if f.name == "reference")
        audit = repr(v.audit.read(limit=100000))
        for n in NEEDLES + [code]:
            assert n not in audit, n
        assert leaks(store_path, NEEDLES) == []
        assert leaks(backup, NEEDLES) == []
    finally:
        v.close()
    assert leaks(store_path, NEEDLES) == []

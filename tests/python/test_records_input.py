"""Bad input to the records of team access, erasure of a subject, and what
reaches the disk: malformed receipt numbers, card numbers hidden in free
text, invalid UTF-8, oversized fields and wrong argument types are refused
without echoing the input and without storing anything; erasing an account
takes its cases, messages and payments with it and treats its posts as the
policy says; planted canary strings are never readable in the store files."""

import pytest

import casevault
from conftest import leaks, open_store
from policy_docs import DAY, T0, FakeClock, load_example, next_version
from records_world import CARD, RECEIPT_A, SHA, UNKNOWN_ACCOUNT, UNKNOWN_CASE, build

MiB = 1 << 20


def snapshot(w):
    """Everything the owner can see: compared before and after refused calls."""
    v, o = w.vault, w.owner.id
    cases = v.cases.list(o, o)
    return (
        cases,
        [v.cases.history(o, c.id) for c in cases],
        [v.cases.documents(o, c.id) for c in cases],
        list(v.correspondence.iter(o, o)),
        v.billing.list(o, o),
        list(v.posts.iter(o)) if w.post is not None else [],
    )


# ---- receipt numbers, form types, questionnaires ----------------------------------------------


@pytest.mark.parametrize("receipt, says", [
    ("ABC1234567890", "office"),        # an unknown office prefix
    ("EAC123456789", "ten digits"),     # nine digits
    ("EAC12345X7890", "digits"),        # a letter among the digits
    ("EAC1234567890 1", "ten digits"),  # eleven digits
    ("", None),
])
def test_malformed_receipt_numbers(vw, receipt, says):
    before = snapshot(vw)
    with pytest.raises(casevault.InvalidArgumentError) as e:
        vw.vault.cases.open(vw.owner.id, vw.owner.id, "I-485", receipt_number=receipt or "E")
    msg = str(e.value)
    if says:
        assert says in msg, msg
    if receipt:
        assert receipt not in msg and receipt.replace(" ", "")[3:] not in msg
    with pytest.raises(casevault.InvalidArgumentError):
        vw.vault.cases.update(vw.owner.id, vw.case_b.id, receipt_number=receipt or "E")
    with pytest.raises(casevault.InvalidArgumentError):
        vw.vault.cases.find_by_receipt(vw.owner.id, receipt or "E")
    assert snapshot(vw) == before


def test_bad_case_fields(vw):
    v, o = vw.vault, vw.owner.id
    before = snapshot(vw)
    for form in ("", "I485", "I-", "-485", "I-48555", "ABCDE-1", "I-485XYZ", "I 485"):
        with pytest.raises(casevault.InvalidArgumentError):
            v.cases.open(o, o, form)
    for q in ("not json", "42", '"text"', "{", "null", "[1,"):
        with pytest.raises(casevault.InvalidArgumentError) as e:
            v.cases.open(o, o, "I-485", questionnaire=q)
        assert "questionnaire" in str(e.value)
    with pytest.raises(casevault.InvalidArgumentError) as e:
        v.cases.open(o, o, "I-485", questionnaire={"x": float("nan")})
    with pytest.raises(casevault.InvalidArgumentError) as e:
        v.cases.open(o, o, "I-485", questionnaire={"a": {"Canary-Set-Member"}})
    assert "Canary" not in str(e.value)
    deep = []
    for _ in range(200):
        deep = [deep]
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.open(o, o, "I-485", questionnaire=deep)
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.add_status(o, vw.case_a.id, "Approved!", "uscis")
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.add_status(o, vw.case_a.id, "approved", "USCIS website")
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.add_status(o, vw.case_a.id, "approved", "uscis", at=T0 + 2 * DAY)   # the future
    for sha, kind, size in (("abc", "passport", 1), (SHA, "Passport!", 1), (SHA, "passport", -1),
                            ("zz" * 32, "passport", 1)):
        with pytest.raises(casevault.InvalidArgumentError):
            v.cases.add_document(o, vw.case_a.id, name="x.pdf", kind=kind, size=size, sha256=sha)
    with pytest.raises(casevault.InvalidArgumentError):
        v.cases.get(o, "nope")
    with pytest.raises(casevault.NotFoundError):
        v.cases.assignees(UNKNOWN_CASE)
    with pytest.raises(casevault.NotFoundError):
        v.cases.assign(UNKNOWN_CASE, vw.p["staff"].id)
    with pytest.raises(casevault.NotFoundError):
        v.cases.get(o, UNKNOWN_CASE)
    with pytest.raises(casevault.NotFoundError):
        v.cases.add_status(o, UNKNOWN_CASE, "approved", "manual")
    with pytest.raises(casevault.AccessDeniedError):
        v.cases.open(o, UNKNOWN_ACCOUNT, "I-485")          # someone else's: the owner has no grant
    with pytest.raises(casevault.NotFoundError):
        v.cases.open(vw.p["attorney"].id, UNKNOWN_ACCOUNT, "I-485")
    assert snapshot(vw) == before


def test_bad_message_and_payment_fields(cw):
    v, o = cw.vault, cw.owner.id
    before = snapshot(cw)
    # (web_form: an inbound email or WhatsApp message also needs its sender)
    bad_messages = [
        (casevault.InvalidArgumentError, dict(body="x", channel="pigeon")),
        (casevault.InvalidArgumentError, dict(body="x", direction="sideways")),
        (casevault.InvalidArgumentError, dict(body="x", subject_line="line\nbreak")),
        (casevault.NotFoundError, dict(body="x", case_id=UNKNOWN_CASE)),
        (casevault.InvalidArgumentError, dict(body="x", case_id="not-a-case-id")),
        (casevault.InvalidArgumentError, dict(body="x", channel="email")),      # inbound, no sender
        (casevault.InvalidArgumentError, dict(body="x", channel="whatsapp", sender="not a phone")),
    ]
    for exc, kw in bad_messages:
        with pytest.raises(exc):
            v.correspondence.record(o, o, **{"channel": "web_form", **kw})
    # A message cannot be filed under someone else's case.
    with pytest.raises(casevault.InvalidArgumentError):
        v.correspondence.record(cw.other.id, cw.other.id, body="hi", channel="web_form",
                                case_id=cw.case_a.id)
    pay = dict(amount_minor=100, currency="USD", card_brand="visa", last4="4242")
    for change in (dict(amount_minor=0), dict(amount_minor=-5), dict(currency="US"), dict(currency="U$D"),
                   dict(card_brand="bitcoin"), dict(last4="12a4"), dict(last4="123"),
                   dict(billing_address="line\x00zero")):
        with pytest.raises(casevault.InvalidArgumentError):
            v.billing.record(o, o, **{**pay, **change})
    # All or nothing: one bad message refuses the whole batch.
    fine = dict(subject=o, body="fine", channel="web_form")
    with pytest.raises(casevault.InvalidArgumentError):
        v.correspondence.record_many(o, [fine, dict(subject=o, body="x", channel="fax")])
    with pytest.raises(casevault.AccessDeniedError):
        v.correspondence.record_many(o, [fine, dict(subject=cw.other.id, body="x", channel="web_form")])
    with pytest.raises(casevault.InvalidArgumentError):
        v.correspondence.record_many(o, [dict(subject=o, body="x", colour="red")])
    with pytest.raises(casevault.InvalidArgumentError):
        v.correspondence.record_many(o, [dict(subject=o)])
    with pytest.raises(casevault.InvalidArgumentError) as e:
        v.correspondence.record(o, o, body="", channel="web_form")
    assert "body" in str(e.value)
    with pytest.raises(casevault.InvalidArgumentError) as e:
        v.correspondence.record(o, o, body="x", channel="web_form", at=T0 + 2 * DAY)
    assert "future" in str(e.value)
    assert snapshot(cw) == before


# ---- card numbers -----------------------------------------------------------------------------


def card_calls(w):
    """(field, call) pairs: a card number hidden in each free-text field."""
    v, o = w.vault, w.owner.id
    pay = dict(amount_minor=4900, currency="USD", card_brand="visa", last4="1111")
    calls = [
        ("body", lambda: v.correspondence.record(o, o, body=f"my card is {CARD} exp 12/29",
                                                 channel="web_form")),
        ("body", lambda: v.correspondence.record(o, o, body=f"card\n{CARD}", channel="phone",
                                                 direction="outbound")),
        ("body", lambda: v.correspondence.record_many(o, [
            dict(subject=o, body="fine", channel="web_form"),
            dict(subject=o, body=f"card {CARD}", channel="web_form")])),
        ("subject_line", lambda: v.correspondence.record(o, o, body="x", subject_line="4111-1111-1111-1111",
                                                         channel="web_form")),
        ("billing_address", lambda: v.billing.record(o, o, **pay, billing_address=f"1 Main St\n{CARD}")),
        ("billing_address", lambda: v.billing.record(o, o, **pay, billing_address=f"{CARD} Main St")),
        ("processor_ref", lambda: v.billing.record(o, o, **pay, processor_ref="4111-1111-1111-1111")),
        ("last4", lambda: v.billing.record(o, o, **{**pay, "last4": "4111111111111111"})),
        ("questionnaire", lambda: v.cases.open(o, o, "I-485", questionnaire={"card": CARD})),
        ("questionnaire", lambda: v.cases.open(o, o, "I-485", questionnaire={"n": 4111111111111111})),
        ("detail", lambda: v.cases.add_status(o, w.case_a.id, "approved", "uscis", detail=f"paid {CARD}")),
        ("name", lambda: v.cases.add_document(o, w.case_a.id, name=f"card {CARD}.jpg", kind="receipt",
                                              size=1, sha256=SHA)),
    ]
    if w.post is not None:
        calls += [
            ("body", lambda: v.posts.publish(o, "Paying", f"I paid with {CARD}")),
            ("title", lambda: v.posts.publish(o, f"card {CARD}", "body")),
        ]
    return calls


@pytest.mark.parametrize("policy", ["visapro.json", "case-parallels.json"])
def test_card_numbers_are_refused_without_echo(store_path, policy):
    w = build(store_path, policy)
    try:
        before = snapshot(w)
        for name, call in card_calls(w):
            with pytest.raises(casevault.InvalidArgumentError) as e:
                call()
            msg = str(e.value)
            assert name in msg, (name, msg)
            for digits in ("4111", "1111"):
                assert digits not in msg, (name, msg)
            assert e.value.__context__ is None
        assert snapshot(w) == before                       # nothing stored
        # Phone numbers and short digit runs are not card numbers.
        w.vault.correspondence.record(w.owner.id, w.owner.id, body="call me at +44 20 7946 0958, ref 12345",
                                      channel="web_form")
        audit = repr(w.vault.audit.read(limit=100000))
        assert "4111" not in audit
    finally:
        w.vault.close()
    assert leaks(store_path, [CARD, "4111111111111111", "4111-1111-1111-1111"]) == []


# ---- invalid UTF-8 and oversized fields ------------------------------------------------------------


def test_invalid_utf8(vw):
    v, o = vw.vault, vw.owner.id
    before = snapshot(vw)
    bad = b"Canary \xc3\x28 \xff\xfe"
    pay = dict(amount_minor=100, currency="USD", card_brand="visa", last4="4242")
    # Bytes that are not UTF-8 reach the engine, which refuses them.
    for name, call in (
        ("body", lambda: v.correspondence.record(o, o, body=bad, channel="web_form")),
        ("subject_line", lambda: v.correspondence.record(o, o, body="x", subject_line=bad, channel="web_form")),
        ("billing_address", lambda: v.billing.record(o, o, **pay, billing_address=bad)),
        ("processor_ref", lambda: v.billing.record(o, o, **pay, processor_ref=bad)),
        ("title", lambda: v.posts.publish(o, bad, "body")),
        ("body", lambda: v.posts.publish(o, "title", bad)),
        ("detail", lambda: v.cases.add_status(o, vw.case_a.id, "approved", "uscis", detail=bad)),
        ("name", lambda: v.cases.add_document(o, vw.case_a.id, name=bad, kind="passport", size=1, sha256=SHA)),
        ("questionnaire", lambda: v.cases.open(o, o, "I-485", questionnaire=bad)),
        ("questionnaire", lambda: v.cases.open(o, o, "I-485", questionnaire=b'{"a": "\xff"}')),
    ):
        with pytest.raises(casevault.InvalidArgumentError) as e:
            call()
        msg = str(e.value)
        assert name in msg and "UTF-8" in msg, (name, msg)
        assert "Canary" not in msg
    # A str with a lone surrogate cannot be UTF-8 at all: a TypeError that
    # does not repeat the text.
    for call in (
        lambda: v.correspondence.record(o, o, body="Canary \udcff", channel="web_form"),
        lambda: v.billing.record(o, o, **pay, billing_address="Canary \udcff"),
        lambda: v.posts.publish(o, "Canary \udcff", "body"),
        lambda: v.cases.open(o, o, "I-485", questionnaire={"a": "Canary \udcff"}),
        lambda: v.cases.open(o, o, "I-485", receipt_number="EAC\udcff"),
    ):
        with pytest.raises(TypeError) as e:
            call()
        assert "Canary" not in str(e.value) and e.value.__context__ is None
    assert snapshot(vw) == before


def test_field_limits(vw):
    v, o = vw.vault, vw.owner.id
    pay = dict(amount_minor=100, currency="USD", card_brand="visa", last4="4242")
    at_limit = [
        lambda: v.correspondence.record(o, o, body="x" * MiB, channel="web_form"),
        lambda: v.correspondence.record(o, o, body="x", subject_line="s" * 1000, channel="web_form"),
        lambda: v.posts.publish(o, "t" * 300, "b"),
        lambda: v.posts.publish(o, "t", "b" * (64 << 10)),
        lambda: v.cases.add_status(o, vw.case_a.id, "approved", "uscis", detail="d" * 4096),
        lambda: v.cases.add_document(o, vw.case_a.id, name="n" * 255, kind="passport", size=1, sha256=SHA),
    ]
    for call in at_limit:
        call()
    before = snapshot(vw)
    over = [
        ("body", lambda: v.correspondence.record(o, o, body="x" * (MiB + 1), channel="web_form")),
        ("subject_line", lambda: v.correspondence.record(o, o, body="x", subject_line="s" * 1001,
                                                         channel="web_form")),
        ("title", lambda: v.posts.publish(o, "t" * 301, "b")),
        ("body", lambda: v.posts.publish(o, "t", "b" * ((64 << 10) + 1))),
        ("detail", lambda: v.cases.add_status(o, vw.case_a.id, "approved", "uscis", detail="d" * 4097)),
        ("status", lambda: v.cases.add_status(o, vw.case_a.id, "a" * 65, "uscis")),
        ("name", lambda: v.cases.add_document(o, vw.case_a.id, name="n" * 256, kind="passport", size=1,
                                              sha256=SHA)),
        ("questionnaire", lambda: v.cases.open(o, o, "I-485", questionnaire={"a": "q" * MiB})),
        ("questionnaire", lambda: v.cases.update(o, vw.case_a.id, questionnaire=" " * (MiB + 1))),
        ("billing_address", lambda: v.billing.record(o, o, **pay, billing_address="a" * (MiB + 1))),
    ]
    for name, call in over:
        with pytest.raises(casevault.InvalidArgumentError) as e:
            call()
        assert name in str(e.value), (name, str(e.value))
    assert snapshot(vw) == before


def test_limits_of_listing(vw):
    v, o = vw.vault, vw.owner.id
    for call in (lambda: v.correspondence.list(o, o, limit=0),
                 lambda: v.correspondence.list(o, o, limit=10001),
                 lambda: v.posts.list(o, limit=0),
                 lambda: v.posts.list(o, limit=10001)):
        with pytest.raises(casevault.InvalidArgumentError):
            call()


# ---- wrong argument types ---------------------------------------------------------------------------


def test_type_errors_never_repeat_the_arguments(vw):
    v, o = vw.vault, vw.owner.id
    before = snapshot(vw)
    pay = dict(currency="USD", card_brand="visa", last4="1111", billing_address="Canary Street 7")
    calls = [
        lambda: v.cases.open(o, o, "I-485", receipt_number=2190012345, questionnaire={"a": "Canary-Q"}),
        lambda: v.cases.open(o, o, "I-485", questionnaire={"Canary-Set"}),
        lambda: v.cases.update(o, vw.case_a.id, form_type=130, questionnaire={"a": "Canary-Q"}),
        lambda: v.cases.add_status(o, vw.case_a.id, "approved", "uscis", at=1.5, detail="Canary-Detail"),
        lambda: v.cases.add_document(o, vw.case_a.id, name="Canary.pdf", kind="passport", size="big",
                                     sha256=SHA),
        lambda: v.cases.get(o, 12345),
        lambda: v.correspondence.record(o, o, body="Canary body", at="soon"),
        lambda: v.correspondence.record(o, o, body="Canary body", sender=["Canary@example.com"]),
        lambda: v.correspondence.record_many(o, [dict(subject=o, body="Canary body", at="soon")]),
        lambda: v.correspondence.record_many(o, [("Canary", "tuple")]),
        lambda: v.correspondence.list(o, o, limit="10"),
        lambda: v.billing.record(o, o, amount_minor="4900", **pay),
        lambda: v.billing.record(o, o, amount_minor=49.0, **pay),
        lambda: v.billing.record(o, o, amount_minor=2 ** 70, **pay),
        lambda: v.posts.publish(o, "Canary title", 42),
        lambda: v.principals.add(5),
        lambda: v.principals.get(None),
        lambda: v.can(o, 1, "case", vw.case_a.id),
        lambda: v.can(["Canary"], "read", "case", vw.case_a.id),
        lambda: v.cases.assign(vw.case_a.id, object()),
    ]
    for call in calls:
        with pytest.raises(TypeError) as e:
            call()
        text = str(e.value)
        assert "Canary" not in text and "canary" not in text, text
        assert e.value.__context__ is None
    assert snapshot(vw) == before


# ---- erasure ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["visapro.json", "case-parallels.json"])
def test_erasure_removes_cases_messages_payments(store_path, policy):
    w = build(store_path, policy)
    v, system = w.vault, w.p["system"].id
    try:
        o = w.owner.id
        doc = v.cases.add_document(o, w.case_a.id, name="passport.pdf", kind="passport", size=10, sha256=SHA)
        v.cases.add_status(o, w.case_a.id, "received", "uscis", detail="received")
        # The other subject's records, which must stay.
        mine = v.cases.open(w.other.id, w.other.id, "N-400", receipt_number="LIN2190000001")
        msg = v.correspondence.record(w.other.id, w.other.id, body="mine", channel="web_form")
        pay = v.billing.record(w.other.id, w.other.id, amount_minor=100, currency="USD", card_brand="amex",
                               last4="0005")

        v.accounts.erase(o)
        assert v.accounts.get(o).status == "erased"
        for kind, rid in (("case", w.case_a.id), ("case", w.case_b.id), ("correspondence", w.msg_a.id),
                          ("correspondence", w.msg_loose.id), ("billing", w.payment.id)):
            with pytest.raises(casevault.NotFoundError):
                v.can(system, "read", kind, rid)
        for call in (lambda: v.cases.get(system, w.case_a.id),
                     lambda: v.cases.history(system, w.case_a.id),
                     lambda: v.cases.documents(system, w.case_a.id),
                     lambda: v.cases.remove_document(system, doc.id),
                     lambda: v.correspondence.get(system, w.msg_a.id),
                     lambda: v.correspondence.get(system, w.msg_b.id),
                     lambda: v.billing.get(system, w.payment.id)):
            with pytest.raises(casevault.NotFoundError):
                call()
        assert v.cases.find_by_receipt(system, RECEIPT_A) is None
        with pytest.raises(casevault.NotFoundError):
            v.cases.assignees(w.case_a.id)
        # The erased subject acts no more.
        with pytest.raises(casevault.AccessDeniedError) as e:
            v.cases.list(o, o)
        assert e.value.rule == "unknown_actor"
        # The other subject's records are untouched.
        assert v.cases.get(w.other.id, mine.id) == mine
        assert v.correspondence.get(w.other.id, msg.id) == msg
        assert v.billing.list(w.other.id, w.other.id) == [pay]
        assert v.audit.verify().ok
    finally:
        v.close()


def test_erasure_anonymises_posts_under_visapro(vw):
    v, o, other = vw.vault, vw.owner.id, vw.other.id
    second = v.posts.publish(o, "Again", "Second story")
    theirs = v.posts.publish(other, "Theirs", "Other story")
    v.accounts.erase(o)
    kept = v.posts.get(other, vw.post.id)
    assert kept.author is None
    assert (kept.id, kept.title, kept.body, kept.created_at) == (
        vw.post.id, "Hello", "My I-485 story", vw.post.created_at)
    assert v.posts.get(other, second.id).author is None
    assert v.posts.get(other, theirs.id).author == other
    assert len(v.posts.list(other, author=o)) == 0
    assert {p.id for p in v.posts.iter(other)} == {vw.post.id, second.id, theirs.id}
    # Nobody owns an anonymised post: not even its former author's successor may remove it.
    assert vw.rule("other", "erase", "post", vw.post.id) == "not_owner"
    # The retention system still may.
    v.posts.remove(vw.p["system"].id, vw.post.id)
    with pytest.raises(casevault.NotFoundError):
        v.posts.get(other, vw.post.id)


def test_erasure_deletes_posts_without_an_anonymise_rule(store_path):
    """Posts written under visapro, then case-parallels (which has no board
    and no anonymise rule) becomes the active policy: erasing the author
    deletes them."""
    clock = FakeClock(T0)
    with open_store(store_path, clock=clock) as v:
        v.policy.publish(load_example("visapro.json"))
        a = v.accounts.create(name="Poster", email="poster@example.com")
        b = v.accounts.create(name="Reader", email="reader@example.com")
        post = v.posts.publish(a.id, "Hello", "Story")
        kept = v.posts.publish(b.id, "Mine", "Stays")
        system = v.principals.add("system").id
        v.policy.publish(next_version(load_example("case-parallels.json"), 2))
        v.accounts.erase(a.id)
        with pytest.raises(casevault.NotFoundError):
            v.can(system, "read", "post", post.id)
        # Back under visapro, the other author's post is still there, the erased one's is not.
        v.policy.publish(next_version(load_example("visapro.json"), 3))
        with pytest.raises(casevault.NotFoundError):
            v.posts.get(b.id, post.id)
        assert v.posts.get(b.id, kept.id) == kept


# ---- nothing personal on disk ------------------------------------------------------------------------


CANARIES = {
    "questionnaire": "Qzxwv-Questionnaire-7731",
    "receipt": "LIN2290099887",
    "detail": "Qzxwv-Status-Detail-2207",
    "document": "Qzxwv-Passport-Scan-1189.pdf",
    "subject_line": "Qzxwv-Subject-Line-0042",
    "body": "Qzxwv-Message-Body-5512",
    "sender": "qzxwv.sender4471@example.org",
    "address": "Qzxwv Canarylane 9981",
    "processor_ref": "ch_Qzxwv3310",
}
NEEDLES = list(CANARIES.values()) + ["Qzxwv", "2290099887", "Canarylane", "sender4471"]


def test_canaries_never_on_disk(store_path):
    w = build(store_path, "case-parallels.json")
    v = w.vault
    try:
        person = v.accounts.create(name="Pat Person", email=CANARIES["sender"])
        c = v.cases.open(person.id, person.id, "I-765", receipt_number=CANARIES["receipt"],
                         questionnaire={"answer": CANARIES["questionnaire"], "list": [CANARIES["questionnaire"]]})
        v.cases.add_status(person.id, c.id, "received", "uscis", detail=CANARIES["detail"])
        v.cases.add_document(person.id, c.id, name=CANARIES["document"], kind="passport", size=1, sha256=SHA)
        m = v.correspondence.record(w.p["support"].id, body=CANARIES["body"], channel="email",
                                    sender=CANARIES["sender"], subject_line=CANARIES["subject_line"],
                                    case_id=c.id)
        assert m.subject == person.id
        p = v.billing.record(person.id, person.id, amount_minor=100, currency="USD", card_brand="visa",
                             last4="4242", billing_address=CANARIES["address"],
                             processor_ref=CANARIES["processor_ref"])
        # Read everything back (reads are audited too).
        assert v.cases.get(person.id, c.id).questionnaire["answer"] == CANARIES["questionnaire"]
        assert v.cases.find_by_receipt(person.id, CANARIES["receipt"]).id == c.id
        assert v.correspondence.get(person.id, m.id).body == CANARIES["body"]
        assert v.billing.get(person.id, p.id).billing_address == CANARIES["address"]
        assert v.correspondence.match_sender(w.p["support"].id, CANARIES["sender"]) == person.id
        assert leaks(store_path, NEEDLES) == []                       # while open, WAL in use
        audit = repr(v.audit.read(limit=100000))
        for n in NEEDLES:
            assert n not in audit
    finally:
        v.close()
    assert leaks(store_path, NEEDLES) == []                           # after close

    with open_store(store_path) as v:
        v.accounts.erase(person.id)
        assert leaks(store_path, NEEDLES) == []
    assert leaks(store_path, NEEDLES) == []

"""Accountability through the Python package: vault.subject_requests
(export, rectification, erasure) and vault.disclosures (the Case Parallels
disclosure rules, notices, gag orders, emergencies, the tax audit's minimum
fields, subprocessors and transfer notices). On the injected clock.

Every personal value written for the owner carries an OWN canary, every one
written for the other subject an OTHER canary, and the sealed references of
disclosures and holds their own canaries: an export must hold every record of
its subject and nothing of the other's, and no canary may be readable in the
store's files, in the audit log or in a repr().

The de-identified aggregates are in test_accountability_aggregates.py.
"""

import io
import json
import threading
import time

import pytest

import casevault
from conftest import leaks
from policy_docs import DAY, T0
from records_world import SHA, UNKNOWN_ACCOUNT, build

OWN = {
    "address": "12 Canarylane Ownville",
    "detail": "Ownstatus canary biometrics",
    "document": "Ownpassport-canary.pdf",
    "subject_line": "Owncanary subject",
    "body": "Owncanary body about the interview",
    "billing_address": "9 Ownbill Canary Rd",
    "tax_exemption": "OWNTAX-CANARY-77",
    "processor_ref": "ch_owncanary",
}
OTHER = {
    "name": "Xavier Othercanary",
    "email": "xavier.othercanary@example.org",
    "address": "1 Othercanary Way",
    "receipt": "IOE0999888777",
    "detail": "Otherstatus canary",
    "document": "Otherdoc-canary.pdf",
    "body": "Othercanary body",
    "billing_address": "5 Otherbill Canary St",
    "tax_exemption": "OTHERTAX-CANARY-11",
}
SEALED = {
    "hold_reference": "GJ-Holdref-Canary-42",
    "secret_hold_reference": "GJ-Secretref-Canary-43",
    "warrant": "W-Warrantref-Canary-1",
    "gag": "NDO-Gagref-Canary-2",
    "justification": "Imminent danger Justcanary",
    "recipient_name": "FBI Field Office Recipcanary",
    "host_reference": "Hostref-Canary-3",
}
# A long, multi-byte body: the export is larger than one 64 KiB chunk and a
# character is split between two chunks.
WIDE = "\u6f22\u5b57-Zo\u00eb-" * 12000


class World:
    """records_world's Case Parallels world, plus: the owner's address,
    a status step with a detail, a document, an email with a subject line,
    a payment with a billing state and a tax exemption, a consent grant and
    a subscription, a hold and a confidential hold; and the other subject's
    own records."""

    def __init__(self, store_path):
        w = build(store_path, "case-parallels.json")
        self.w = w
        self.v = v = w.vault
        self.clock = w.clock
        self.o = o = w.owner.id
        self.case_a, self.case_b = w.case_a.id, w.case_b.id
        v.accounts.update(o, address=OWN["address"])
        v.cases.add_status(o, self.case_a, "received", "uscis", detail=OWN["detail"])
        self.doc = v.cases.add_document(o, self.case_a, name=OWN["document"], kind="pdf", size=123,
                                        sha256=SHA).id
        self.msg = v.correspondence.record(o, o, body=OWN["body"], subject_line=OWN["subject_line"],
                                           sender="olga@example.com", channel="email",
                                           direction="inbound", case_id=self.case_a).id
        self.pay = v.billing.record(o, o, amount_minor=12000, currency="USD", card_brand="amex",
                                    last4="0005", billing_address=OWN["billing_address"],
                                    processor_ref=OWN["processor_ref"], billing_state="NY",
                                    tax_exemption=OWN["tax_exemption"]).id
        v.consents.grant(o, "terms")        # case_status_retrieval depends on it
        v.consents.grant(o, "surveys")
        v.consents.subscribe(o, "surveys")
        self.hold = v.holds.place(o, authority="sca_2703f", reference=SEALED["hold_reference"])
        self.secret_hold = v.holds.place(self.case_b, scope="case", authority="civil_subpoena",
                                         reference=SEALED["secret_hold_reference"], confidential=True)

        # The other subject: every personal value an OTHER canary.
        x = v.accounts.create(name=OTHER["name"], email=OTHER["email"], address=OTHER["address"])
        self.x = x.id
        c = v.cases.open(x.id, x.id, "N-400", receipt_number=OTHER["receipt"],
                         questionnaire={"othercanary": True})
        self.x_case = c.id
        v.cases.add_status(x.id, c.id, "received", "uscis", detail=OTHER["detail"])
        self.x_doc = v.cases.add_document(x.id, c.id, name=OTHER["document"], kind="pdf", size=1,
                                          sha256=SHA).id
        self.x_msg = v.correspondence.record(x.id, x.id, body=OTHER["body"], channel="web_form",
                                             direction="outbound").id
        self.x_pay = v.billing.record(x.id, x.id, amount_minor=500, currency="USD", card_brand="visa",
                                      last4="4242", billing_address=OTHER["billing_address"],
                                      billing_state="CA", tax_exemption=OTHER["tax_exemption"]).id
        v.holds.place(x.id, authority="sca_2703f", reference="GJ-other")

    def release_owner_holds(self):
        """A live hold preserves records as they are: corrections wait for its end."""
        self.v.holds.release(self.hold.id)
        self.v.holds.release(self.secret_hold.id)

    def other_ids(self):
        return [self.x, self.x_case, self.x_doc, self.x_msg, self.x_pay]

    def warrant(self, **kwargs):
        """A disclosure of the owner's identity to law enforcement under a
        warrant."""
        kwargs.setdefault("process", casevault.LegalProcess("warrant", reference=SEALED["warrant"]))
        kwargs.setdefault("categories", ["identity", "contact"])
        return self.v.disclosures.record(self.o, recipient="law_enforcement",
                                         recipient_name=SEALED["recipient_name"],
                                         reference=SEALED["host_reference"], **kwargs)

    def notices(self, kind):
        """The subjects of the pending notifications of kind, acknowledged."""
        out = []
        for n in self.v.outbox.poll(limit=10000):
            if n.kind == kind:
                out.append(n)
                self.v.outbox.ack(n)
        return out


@pytest.fixture
def aw(store_path):
    w = World(store_path)
    try:
        yield w
    finally:
        w.v.close()


def export(w, subject=None):
    return json.loads(w.v.subject_requests.export(subject or w.o))


def ids(items):
    return sorted(i["id"] for i in items)


def all_canaries():
    return list(OWN.values()) + list(OTHER.values()) + list(SEALED.values())


def audit_text(v):
    return "\n".join(" ".join(map(str, (e.action, e.subject, e.target, e.outcome, e.reason)))
                     for e in v.audit.read(limit=100000))


# ---- export -----------------------------------------------------------------------------------


def test_export_holds_every_record_of_the_subject_and_nothing_else(aw):
    v, o = aw.v, aw.o
    text = v.subject_requests.export(o)
    assert isinstance(text, str)
    doc = json.loads(text)
    assert doc["format"] == "casevault-export/1"
    assert doc["subject"] == o and doc["generated_at"] == T0
    assert doc["policy_version"] == v.policy.active().version

    a = doc["account"]
    assert (a["id"], a["status"], a["name"]) == (o, "active", "Olga Owner")
    assert (a["email"], a["phone"], a["address"]) == ("olga@example.com", "+1 332 555 0101", OWN["address"])

    assert [e["purpose"] for e in doc["consents"]["history"]].count("surveys") >= 1
    assert any(s["purpose"] == "surveys" and s["action"] == "granted" for s in doc["consents"]["state"])
    assert doc["consents"]["receipts"]
    assert doc["subscriptions"] == ["surveys"]

    assert ids(doc["cases"]) == sorted([aw.case_a, aw.case_b])
    case_a = next(c for c in doc["cases"] if c["id"] == aw.case_a)
    assert case_a["receipt_number"] == "EAC2190012345" and case_a["form_type"] == "I-485"
    assert case_a["questionnaire"] == {"q1": "a"}
    assert [s["detail"] for s in case_a["status_history"]] == [OWN["detail"]]
    assert [d["name"] for d in case_a["documents"]] == [OWN["document"]]

    assert ids(doc["correspondence"]) == sorted([aw.w.msg_a.id, aw.w.msg_b.id, aw.w.msg_loose.id, aw.msg])
    mail = next(m for m in doc["correspondence"] if m["id"] == aw.msg)
    assert (mail["subject_line"], mail["body"], mail["sender"]) == (
        OWN["subject_line"], OWN["body"], "olga@example.com")

    assert ids(doc["billing"]) == sorted([aw.w.payment.id, aw.pay])
    pay = next(p for p in doc["billing"] if p["id"] == aw.pay)
    assert (pay["billing_address"], pay["billing_state"], pay["tax_exemption"]) == (
        OWN["billing_address"], "NY", OWN["tax_exemption"])

    # The confidential hold is left out, and so are its audit entries.
    assert ids(doc["holds"]) == [aw.hold.id]
    assert aw.secret_hold.id not in text
    assert "reference" not in doc["holds"][0]
    assert doc["requests"] == [] and doc["deletion_receipts"] == [] and doc["posts"] == []
    assert "account.create" in {e["action"] for e in doc["audit"]}

    # Nothing of the other subject, nor any sealed reference.
    for needle in list(OTHER.values()) + aw.other_ids() + list(SEALED.values()):
        assert needle not in text, needle

    # And the other subject's export is the mirror image.
    other = v.subject_requests.export(aw.x)
    for needle in list(OWN.values()) + [o, aw.case_a, aw.case_b, aw.msg, aw.pay]:
        assert needle not in other, needle
    assert ids(json.loads(other)["cases"]) == [aw.x_case]

    # The export is audited, without personal data.
    entries = v.audit.read(action="subject.export")
    assert [e.subject for e in entries] == [o, aw.x]
    assert v.audit.verify().ok


def test_export_of_a_board_post(vw):
    v, o = vw.vault, vw.owner.id
    doc = json.loads(v.subject_requests.export(o))
    assert ids(doc["posts"]) == [vw.post.id]
    assert doc["posts"][0]["body"] == "My I-485 story"
    assert json.loads(v.subject_requests.export(vw.other.id))["posts"] == []


def test_export_to_binary_and_text_files(aw, tmp_path):
    v, o = aw.v, aw.o
    v.correspondence.record(o, o, body=WIDE, channel="web_form", direction="outbound")

    def without_audit(d):
        d = dict(d)
        d.pop("audit")
        return d

    expected = json.loads(v.subject_requests.export(o))

    binary = tmp_path / "export.json"
    with open(binary, "wb") as fp:
        assert v.subject_requests.export(o, fp) is None
    raw = binary.read_bytes()
    assert len(raw) > 2 * 64 * 1024
    got = json.loads(raw.decode("utf-8"))
    assert without_audit(got) == without_audit(expected)
    assert any(m["body"] == WIDE for m in got["correspondence"])
    # Each later document holds the audit entry of the export before it.
    def exports(d):
        return sum(e["action"] == "subject.export" for e in d["audit"])
    assert exports(got) == exports(expected) + 1

    text = tmp_path / "export.txt"
    with open(text, "w", encoding="utf-8") as fp:
        v.subject_requests.export(o, fp)
    assert without_audit(json.loads(text.read_text(encoding="utf-8"))) == without_audit(expected)

    s = io.StringIO()
    v.subject_requests.export(o, s)
    assert without_audit(json.loads(s.getvalue())) == without_audit(expected)
    b = io.BytesIO()
    v.subject_requests.export(o, b)
    assert without_audit(json.loads(b.getvalue())) == without_audit(expected)


class Broken(io.RawIOBase):
    def writable(self):
        return True

    def write(self, b):
        raise OSError("disk full")


def test_export_stops_when_the_file_fails(aw):
    v, o = aw.v, aw.o
    with pytest.raises(OSError, match="disk full"):
        v.subject_requests.export(o, Broken())             # one chunk, after the engine
    v.correspondence.record(o, o, body=WIDE, channel="web_form", direction="outbound")
    with pytest.raises(OSError, match="disk full"):
        v.subject_requests.export(o, Broken())             # during the engine
    with pytest.raises(TypeError):
        v.subject_requests.export(o, object())
    assert v.audit.verify().ok


def test_export_callbacks_while_other_threads_use_the_vault(aw):
    """The engine runs without the GIL and the sink takes it back: a slow
    file on one thread neither blocks nor deadlocks calls on another."""
    v, o = aw.v, aw.o
    v.correspondence.record(o, o, body=WIDE, channel="web_form", direction="outbound")

    class Slow(io.BytesIO):
        def write(self, b):
            time.sleep(0.05)
            return super().write(b)

    out, errors, reads = Slow(), [], []

    def exporter():
        try:
            v.subject_requests.export(o, out)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    def reader():
        try:
            for _ in range(20):
                reads.append(v.accounts.get(aw.x).id)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=exporter), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert errors == []
    assert reads == [aw.x] * 20
    assert json.loads(out.getvalue())["subject"] == o


def test_export_errors(aw):
    v = aw.v
    with pytest.raises(casevault.NotFoundError):
        v.subject_requests.export(UNKNOWN_ACCOUNT)
    with pytest.raises(casevault.InvalidArgumentError):
        v.subject_requests.export("not an id")
    with pytest.raises(casevault.NotFoundError):
        v.subject_requests.export(UNKNOWN_ACCOUNT, io.BytesIO())


# ---- rectification ----------------------------------------------------------------------------


def test_rectify_each_target(aw, store_path):
    aw.release_owner_holds()
    v, o, rq = aw.v, aw.o, aw.v.subject_requests
    seq = json.loads(rq.export(o))["cases"]
    seq = next(c for c in seq if c["id"] == aw.case_a)["status_history"][0]["seq"]
    new = {
        ("account", o, "email"): "olga.new@example.com",
        ("account", o, "address"): "7 Fixed St",
        ("case", aw.case_a, "receipt_number"): "EAC2190099999",
        ("case", aw.case_a, "questionnaire"): '{"q1": "fixed"}',
        ("case_status", str(seq), "detail"): "corrected detail",
        ("document", aw.doc, "name"): "passport.pdf",
        ("message", aw.msg, "body"): "corrected body",
        ("message", aw.msg, "subject_line"): "corrected subject",
        ("payment", aw.pay, "billing_address"): "8 Fixed Rd",
        ("payment", aw.pay, "tax_exemption"): "TAX-FIXED",
        ("payment", aw.pay, "billing_state"): "NJ",
    }
    for (target, rid, field), value in new.items():
        r = rq.rectify(o, target, rid, field, value)
        assert isinstance(r, casevault.RectifyResult)
        assert (r.target, r.id, r.field, r.at) == (target, rid, field, T0)
        assert value not in repr(r)
    assert casevault.RectifyTarget.CASE_FILE == "case"

    assert v.accounts.get(o).email == "olga.new@example.com"
    assert v.accounts.find(email="olga.new@example.com").id == o
    assert v.accounts.find(email="olga@example.com") is None          # the blind index followed
    assert v.cases.find_by_receipt(o, "EAC2190099999").id == aw.case_a
    assert v.cases.find_by_receipt(o, "EAC2190012345") is None
    assert v.cases.get(o, aw.case_a).questionnaire == {"q1": "fixed"}
    assert v.cases.history(o, aw.case_a)[0].detail == "corrected detail"
    assert [d.name for d in v.cases.documents(o, aw.case_a)] == ["passport.pdf"]
    m = v.correspondence.get(o, aw.msg)
    assert (m.body, m.subject_line) == ("corrected body", "corrected subject")
    p = v.billing.get(o, aw.pay)
    assert (p.billing_address, p.tax_exemption, p.billing_state) == ("8 Fixed Rd", "TAX-FIXED", "NJ")

    doc = json.loads(rq.export(o))
    text = json.dumps(doc)
    for old in (OWN["address"], OWN["detail"], OWN["document"], OWN["body"], OWN["subject_line"],
                OWN["billing_address"], OWN["tax_exemption"], "EAC2190012345"):
        assert old not in text, old

    # Audited per change, naming target and field, never a value.
    entries = v.audit.read(action="subject.rectify")
    assert len(entries) == len(new) and all(e.subject == o for e in entries)
    audit = audit_text(v)
    for value in new.values():
        assert value not in audit
    # (billing_state is kept in the clear for the aggregates, by design)
    assert leaks(store_path, all_canaries() + [x for x in new.values() if x != "NJ"]) == []


def test_rectify_errors(aw):
    aw.release_owner_holds()
    v, o, rq = aw.v, aw.o, aw.v.subject_requests
    with pytest.raises(casevault.InvalidArgumentError):
        rq.rectify(o, "spaceship", o, "name", "x")          # unknown target
    with pytest.raises(casevault.InvalidArgumentError):
        rq.rectify(o, "account", o, "shoe_size", "44")      # unknown field
    with pytest.raises(casevault.InvalidArgumentError):
        rq.rectify(o, "payment", aw.pay, "amount_minor", "1")
    with pytest.raises(casevault.InvalidArgumentError):
        rq.rectify(o, "account", o, "email", "not an email")
    with pytest.raises(casevault.NotFoundError):
        rq.rectify(o, "message", aw.x_msg, "body", "mine now")  # the other subject's record
    with pytest.raises(casevault.NotFoundError):
        rq.rectify(o, "case", aw.x_case, "receipt_number", "EAC2190011111")
    with pytest.raises(casevault.DuplicateError):
        rq.rectify(o, "account", o, "email", OTHER["email"])
    with pytest.raises(casevault.DuplicateError):
        rq.rectify(o, "case", aw.case_a, "receipt_number", OTHER["receipt"])
    assert v.correspondence.get(o, aw.msg).body == OWN["body"]
    assert v.correspondence.get(aw.x, aw.x_msg).body == OTHER["body"]


def test_rectify_many_is_all_or_nothing(aw):
    aw.release_owner_holds()
    v, o, rq = aw.v, aw.o, aw.v.subject_requests
    with pytest.raises(casevault.NotFoundError):
        rq.rectify_many(o, [
            casevault.Rectification("account", o, "company", "Fixed Inc"),
            {"target": "message", "id": aw.x_msg, "field": "body", "value": "x"},
        ])
    assert v.accounts.get(o).company is None
    done = rq.rectify_many(o, [
        casevault.Rectification(casevault.RectifyTarget.ACCOUNT, o, "company", "Fixed Inc"),
        {"target": "message", "id": aw.msg, "field": "body", "value": "fixed body"},
        ("document", aw.doc, "name", "fixed.pdf"),
    ])
    assert [(r.target, r.field) for r in done] == [("account", "company"), ("message", "body"),
                                                   ("document", "name")]
    assert v.accounts.get(o).company == "Fixed Inc"
    assert v.correspondence.get(o, aw.msg).body == "fixed body"
    assert rq.rectify_many(o, []) == []
    with pytest.raises(casevault.InvalidArgumentError):
        rq.rectify_many(o, [{"target": "account", "id": o, "field": "name"}])  # no value
    with pytest.raises(TypeError):
        rq.rectify_many(o, ["account"])
    r = casevault.Rectification("account", o, "name", "Canary Value")
    assert "Canary Value" not in repr(r)


# ---- erasure ----------------------------------------------------------------------------------


def test_erase_queues_a_request_with_a_receipt_ref(aw):
    v, x = aw.v, aw.x
    v.holds.release(next(h.id for h in v.holds.list(x)))
    ticket = v.subject_requests.erase(x, channel="email")
    assert isinstance(ticket, casevault.ErasureTicket)
    assert ticket.request.kind == casevault.RequestKind.ERASE and ticket.request.subject == x
    assert ticket.request.state == "pending" and ticket.request.channel == "email"
    assert ticket.subject_ref == v.retention.subject_ref(x)
    assert [r.id for r in v.requests.list(x)] == [ticket.request.id]
    assert ids(export(aw, x)["requests"]) == [ticket.request.id]
    report = v.retention.sweep()
    assert report.subjects >= 1 and report.receipts
    receipts = [r for r in v.retention.receipts() if r.subject_ref == ticket.subject_ref]
    assert receipts and receipts[0].trigger == "deletion_request"
    assert v.accounts.get(x).status == "erased"
    # An erased account can still be exported: its receipt, no personal data.
    text = v.subject_requests.export(x)
    doc = json.loads(text)
    assert doc["account"]["status"] == "erased" and doc["account"]["name"] is None
    assert ids(doc["deletion_receipts"]) == [r.id for r in receipts]
    assert doc["cases"] == [] and doc["correspondence"] == []
    for c in (OTHER["name"], OTHER["email"], OTHER["body"], OTHER["detail"], OTHER["receipt"]):
        assert c not in text
    with pytest.raises(casevault.NotFoundError):
        v.subject_requests.erase(UNKNOWN_ACCOUNT)


def test_erase_respects_a_hold(aw):
    v, o = aw.v, aw.o
    ticket = v.subject_requests.erase(o)
    report = v.retention.sweep()
    assert any(h.subject == o for h in report.held)
    assert v.accounts.get(o).status != "erased"
    assert ticket.request.id in [r.id for r in v.requests.list(o)]


# ---- disclosures ------------------------------------------------------------------------------


def test_disclosure_refused_error_class():
    assert casevault.error_class(-15) is casevault.DisclosureRefusedError
    e = casevault.DisclosureRefusedError("no", code=-15, reason="no_rule")
    assert (e.code, e.name, e.reason, e.message) == (-15, "disclosure_refused", "no_rule", "no")
    assert isinstance(e, casevault.Error)
    assert casevault.DisclosureRefusedError().reason == ""
    assert "no_rule" in casevault.DISCLOSURE_REFUSAL_REASONS


def test_filing_on_the_clients_behalf(aw):
    v, o = aw.v, aw.o
    d = v.disclosures.record(o, recipient="uscis", purpose="case_status_retrieval",
                             categories="receipt_numbers", case_id=aw.case_a)
    assert isinstance(d, casevault.Disclosure) and d.id.startswith("dsc_")
    assert (d.subject, d.recipient, d.rule, d.kind) == (o, "uscis", "case-status-agencies", "on_behalf")
    assert (d.purpose, d.categories, d.case_id, d.at) == ("case_status_retrieval", ("receipt_numbers",),
                                                           aw.case_a, T0)
    assert d.process is None and d.nondisclosure is False and d.lifted_at is None
    assert d.notice in tuple(casevault.NoticeState)
    assert v.disclosures.get(d.id) == d
    assert v.disclosures.list(o) == [d] and v.disclosures.list() == [d]
    assert v.disclosures.list(aw.x) == []

    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="uscis", purpose="billing", categories=["receipt_numbers"],
                             case_id=aw.case_a)
    assert e.value.reason == "purpose_not_allowed" and e.value.code == -15
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="uscis", purpose="case_status_retrieval",
                             categories=["identity"], case_id=aw.case_a)
    assert e.value.reason == "categories_not_allowed"
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="consulate", purpose="case_status_retrieval",
                             categories=["receipt_numbers"], case_id=aw.case_a)
    assert e.value.reason == "no_rule"
    with pytest.raises(casevault.NotFoundError):
        v.disclosures.record(UNKNOWN_ACCOUNT, recipient="uscis", purpose="case_status_retrieval",
                             categories=["receipt_numbers"], case_id=aw.case_a)
    with pytest.raises(casevault.NotFoundError):
        v.disclosures.get("dsc_" + "0" * 24)
    with pytest.raises(casevault.DisclosureRefusedError) as e:     # the other never accepted the terms
        v.disclosures.record(aw.x, recipient="dhs", purpose="case_status_retrieval",
                             categories=["receipt_numbers"], case_id=aw.x_case)
    assert e.value.reason == "consent_required"
    assert v.disclosures.list(o) == [d]


def test_preserved_data_and_erased_subjects(aw):
    v, o, x = aw.v, aw.o, aw.x
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        aw.warrant(hold_id=aw.hold.id)                          # preserved data: a court order only
    assert e.value.reason == "preserved_data_needs_process"
    d = aw.warrant(hold_id=aw.hold.id, process=casevault.LegalProcess("court_order", reference="CO-1"))
    assert d.hold_id == aw.hold.id and d.process.kind == "court_order"

    v.holds.release(next(h.id for h in v.holds.list(x)))
    v.subject_requests.erase(x)
    v.retention.sweep()
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(x, recipient="court", categories=["identity"],
                             process=casevault.LegalProcess("court_order", reference="CO-2"))
    assert e.value.reason == "subject_erased"
    assert v.disclosures.list(o) == [d]


def test_government_request_needs_legal_process(aw):
    v, o = aw.v, aw.o
    aw.notices("disclosure_notice")
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="law_enforcement", categories=["identity"])
    assert e.value.reason == "legal_process_required"
    assert isinstance(e.value, casevault.Error) and e.value.name == "disclosure_refused"
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        aw.warrant(process=casevault.LegalProcess("civil_subpoena", reference="CS-1"))
    assert e.value.reason == "process_not_accepted"
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="foreign_government", categories=["identity"],
                             process=casevault.LegalProcess("warrant", reference="W-2"))
    assert e.value.reason == "process_not_accepted"
    refused = v.audit.read(action="disclosure.refused")
    assert len(refused) == 3 and all(r.subject == o for r in refused)
    assert v.disclosures.list(o) == []
    assert aw.notices("disclosure_notice") == []

    d = aw.warrant()
    assert (d.rule, d.kind, d.recipient) == ("us-legal-process", "legal_process", "law_enforcement")
    assert d.process == casevault.LegalProcess("warrant", SEALED["warrant"], "")
    assert (d.recipient_name, d.reference) == (SEALED["recipient_name"], SEALED["host_reference"])
    assert d.notice == casevault.NoticeState.QUEUED and d.notice_at == T0
    notices = aw.notices("disclosure_notice")
    assert [n.subject for n in notices] == [o]
    assert d.id in json.dumps(notices[0].payload)
    for c in SEALED.values():
        assert c not in json.dumps(notices[0].payload)
    # The subject sees it in the export, process kind only.
    doc = json.loads(v.subject_requests.export(o))
    assert ids(doc["disclosures"]) == [d.id]
    assert doc["disclosures"][0]["process"] == "warrant"
    assert SEALED["warrant"] not in json.dumps(doc)
    # A dict works for the process too.
    d2 = aw.warrant(process={"kind": "court_order", "reference": "CO-9"})
    assert d2.process.kind == "court_order"


def test_gag_order_withholds_the_notice_until_lifted(aw):
    v, o = aw.v, aw.o
    aw.notices("disclosure_notice")
    d = aw.warrant(nondisclosure=casevault.NondisclosureOrder(SEALED["gag"]))
    assert d.notice == casevault.NoticeState.WITHHELD_PROHIBITED
    assert d.nondisclosure is True and d.nondisclosure_until is None and d.notice_at is None
    assert aw.notices("disclosure_notice") == []
    text = v.subject_requests.export(o)
    assert d.id not in text and SEALED["gag"] not in text
    assert json.loads(text)["disclosures"] == []

    aw.clock.advance(DAY)
    lifted = v.disclosures.lift_nondisclosure(d.id)
    assert lifted.lifted_at == T0 + DAY
    assert lifted.notice == casevault.NoticeState.QUEUED
    assert [n.subject for n in aw.notices("disclosure_notice")] == [o]
    assert d.id in v.subject_requests.export(o)
    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.lift_nondisclosure(d.id)


def test_gag_order_with_an_end_date(aw):
    v, o = aw.v, aw.o
    aw.notices("disclosure_notice")
    until = T0 + 30 * DAY
    d = aw.warrant(nondisclosure={"reference": SEALED["gag"], "until": until})
    assert d.notice == "withheld_prohibited"
    assert d.nondisclosure and d.nondisclosure_until == until and d.notice_at == until
    assert aw.notices("disclosure_notice") == []          # not before the order ends
    assert d.id not in v.subject_requests.export(o)
    aw.clock.advance(31 * DAY)
    assert [n.subject for n in aw.notices("disclosure_notice")] == [o]
    assert d.id in v.subject_requests.export(o)


def test_emergency_disclosure(aw):
    aw.notices("disclosure_notice")
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        aw.warrant(process=casevault.LegalProcess("emergency"))
    assert e.value.reason == "justification_required"
    d = aw.warrant(process=casevault.LegalProcess("emergency", justification=SEALED["justification"]))
    assert d.notice == casevault.NoticeState.WITHHELD_EMERGENCY
    assert d.process.justification == SEALED["justification"]
    assert aw.notices("disclosure_notice") == []
    for c in (SEALED["justification"], SEALED["recipient_name"], SEALED["host_reference"]):
        assert c not in repr(d) and c not in str(d)
    assert "emergency" in repr(d)


def test_tax_audit_carries_only_the_minimum_fields(aw, tmp_path):
    v, o = aw.v, aw.o
    d = v.disclosures.record(o, recipient="tax_authority", purpose="tax_records", categories=["billing"])
    assert (d.rule, d.kind, d.legal_basis) == ("tax-audit", "legal_obligation", "legal_obligation")
    assert d.fields == ("billing_address", "tax_exemption")
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="tax_authority", purpose="tax_records", categories=["billing"],
                             fields=["last4"])
    assert e.value.reason == "fields_not_allowed"
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="tax_authority", purpose="tax_records", categories=["identity"])
    assert e.value.reason == "categories_not_allowed"
    narrow = v.disclosures.record(o, recipient="tax_authority", purpose="tax_records",
                                  categories=["billing"], fields="tax_exemption")
    assert narrow.fields == ("tax_exemption",)

    package = v.disclosures.package(d.id)
    doc = json.loads(package)
    assert doc["subject"] == o
    assert set(doc) & {"account", "cases", "correspondence", "audit", "holds", "disclosures"} == set()
    assert doc["billing"] and all(set(p) <= {"billing_address", "tax_exemption"} for p in doc["billing"])
    assert {p.get("tax_exemption") for p in doc["billing"]} >= {OWN["tax_exemption"]}
    for absent in ("0005", OWN["processor_ref"], "Olga", OTHER["tax_exemption"], "amex"):
        assert absent not in package, absent

    path = tmp_path / "package.json"
    with open(path, "wb") as fp:
        assert v.disclosures.package(d.id, fp) is None
    assert json.loads(path.read_bytes())["billing"] == doc["billing"]
    s = io.StringIO()
    v.disclosures.package(narrow.id, s)
    assert all(set(p) <= {"tax_exemption"} for p in json.loads(s.getvalue())["billing"])
    assert len(v.audit.read(action="disclosure.package")) == 3


def test_subprocessors(aw):
    v, o = aw.v, aw.o
    s = v.disclosures.add_subprocessor("Mailcanary Inc", purpose="service_updates",
                                       categories=["contact"], location="US")
    assert isinstance(s, casevault.Subprocessor)
    assert (s.name, s.purpose, s.categories, s.location, s.added_at, s.retired_at) == (
        "Mailcanary Inc", "service_updates", ("contact",), "US", T0, None)
    assert v.disclosures.subprocessors() == [s]
    with pytest.raises(casevault.DuplicateError):
        v.disclosures.add_subprocessor("Mailcanary Inc", purpose="service_updates", categories="contact",
                                       location="US")
    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.add_subprocessor("Other", purpose="no_such_purpose", categories="contact",
                                       location="US")
    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.add_subprocessor("Other", purpose="service_updates", categories="no_such",
                                       location="US")
    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.add_subprocessor("Other", purpose="service_updates", categories="contact",
                                       location="")

    d = v.disclosures.record(o, recipient="subprocessor", subprocessor="Mailcanary Inc",
                             purpose="service_updates", categories=["contact"])
    assert (d.kind, d.rule, d.subprocessor) == ("subprocessor", "service-subprocessors", "Mailcanary Inc")
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="subprocessor", subprocessor="Nobody LLC",
                             purpose="service_updates", categories=["contact"])
    assert e.value.reason == "unknown_subprocessor"
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="subprocessor", subprocessor="Mailcanary Inc",
                             purpose="service_updates", categories=["identity"])
    assert e.value.reason in ("subprocessor_not_allowed", "categories_not_allowed")

    aw.clock.advance(DAY)
    r = v.disclosures.retire_subprocessor("Mailcanary Inc")
    assert r.retired_at == T0 + DAY
    assert v.disclosures.subprocessors() == []
    assert v.disclosures.subprocessors(include_retired=True) == [r]
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        v.disclosures.record(o, recipient="subprocessor", subprocessor="Mailcanary Inc",
                             purpose="service_updates", categories=["contact"])
    assert e.value.reason in ("unknown_subprocessor", "subprocessor_not_allowed")
    assert v.disclosures.get(d.id).subprocessor == "Mailcanary Inc"     # history kept


def test_transfer_notice_goes_to_active_accounts_only(aw):
    v = aw.v
    closed = v.accounts.create(name="Closed Person", email="closed@example.com").id
    v.accounts.set_status(closed, "closed")
    active = sorted(a.id for a in v.accounts.iter(status="active"))
    assert closed not in active and len(active) >= 3
    aw.notices("transfer_notice")

    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.announce_transfer("acquisition", "Acme Corp", T0 - DAY)
    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.announce_transfer("acquisition", "", T0 + 60 * DAY)
    with pytest.raises(casevault.InvalidArgumentError):
        v.disclosures.announce_transfer("hostile_takeover", "Acme Corp", T0 + 60 * DAY)
    with pytest.raises(casevault.CancelledError):
        v.disclosures.announce_transfer("merger", "Acme Corp", T0 + 60 * DAY,
                                        progress=lambda phase, done, total: False)
    with pytest.raises(ZeroDivisionError):
        v.disclosures.announce_transfer("merger", "Acme Corp", T0 + 60 * DAY,
                                        progress=lambda phase, done, total: 1 / 0)
    assert v.disclosures.transfers() == []
    assert aw.notices("transfer_notice") == []

    phases = []
    t = v.disclosures.announce_transfer(casevault.TransferKind.ACQUISITION, "Acme Corp",
                                        T0 + 60 * DAY,
                                        progress=lambda phase, done, total: phases.append(phase))
    assert isinstance(t, casevault.Transfer) and t.id.startswith("trf_")
    assert (t.kind, t.counterparty, t.effective_at, t.announced_at) == (
        "acquisition", "Acme Corp", T0 + 60 * DAY, T0)
    assert t.notified == len(active)
    assert set(phases) == {"transfer_notice"}
    assert v.disclosures.transfers() == [t]
    assert sorted(n.subject for n in aw.notices("transfer_notice")) == active


# ---- reprs and leaks --------------------------------------------------------------------------


def test_reprs_leave_out_personal_and_sealed_values(aw):
    v, o = aw.v, aw.o
    d = aw.warrant(nondisclosure=casevault.NondisclosureOrder(SEALED["gag"], until=T0 + DAY))
    records = [
        d, d.process, casevault.NondisclosureOrder(SEALED["gag"]),
        v.billing.get(o, aw.pay), v.holds.get(aw.secret_hold.id),
        casevault.Rectification("account", o, "address", OWN["address"]),
        casevault.LegalProcess("emergency", SEALED["warrant"], SEALED["justification"]),
    ]
    for r in records:
        for text in (repr(r), str(r)):
            for c in all_canaries():
                assert c not in text, (type(r).__name__, c)
    assert "tax_exemption" not in repr(v.billing.get(o, aw.pay))
    assert "billing_state='NY'" in repr(v.billing.get(o, aw.pay))
    assert v.holds.get(aw.secret_hold.id).confidential is True
    assert v.holds.get(aw.hold.id).confidential is False


def test_no_canary_in_the_files_or_the_audit_log(aw, store_path):
    v, o = aw.v, aw.o
    aw.warrant(nondisclosure=casevault.NondisclosureOrder(SEALED["gag"]))
    aw.warrant(process=casevault.LegalProcess("emergency", justification=SEALED["justification"]))
    with pytest.raises(casevault.DisclosureRefusedError) as e:
        aw.warrant(process=None)
    for c in all_canaries():
        assert c not in str(e.value)
    v.disclosures.record(o, recipient="tax_authority", purpose="tax_records", categories=["billing"])
    v.subject_requests.export(o)
    aw.release_owner_holds()
    v.subject_requests.rectify(o, "account", o, "address", "Rectified Canarystreet 1")
    audit = audit_text(v)
    for c in all_canaries() + ["Rectified Canarystreet 1"]:
        assert c not in audit, c
    assert leaks(store_path, all_canaries() + ["Rectified Canarystreet 1"]) == []
    v.close()
    assert leaks(store_path, all_canaries() + ["Rectified Canarystreet 1"]) == []


def test_rectify_waits_for_a_hold(aw):
    rq = aw.v.subject_requests
    with pytest.raises(casevault.InvalidArgumentError, match="legal hold"):
        rq.rectify(aw.o, "account", aw.o, "address", "9 Elsewhere")
    with pytest.raises(casevault.InvalidArgumentError, match="legal hold"):
        rq.rectify(aw.o, "message", aw.msg, "body", "changed")
    assert OWN["address"] in rq.export(aw.o)
    aw.release_owner_holds()
    rq.rectify(aw.o, "account", aw.o, "address", "9 Elsewhere")
    assert OWN["address"] not in rq.export(aw.o)

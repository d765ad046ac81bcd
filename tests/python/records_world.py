"""A small world of records shared by the test_records*.py files: two
subjects, one principal of every role, two cases of the owner (the
attorney and a staff member on case A, another staff member on case B),
a message on each case and one without a case, a payment and (under
visapro) a board post. Built on the injected FakeClock of policy_docs.
"""

from dataclasses import dataclass, field
from typing import Dict

import casevault
from conftest import open_store
from policy_docs import T0, FakeClock, load_example

SHA = "ab" * 32
RECEIPT_A = "EAC2190012345"
RECEIPT_B = "WAC2190054321"
UNKNOWN_PRINCIPAL = "prn_" + "0" * 24
UNKNOWN_ACCOUNT = "acc_" + "0" * 24
UNKNOWN_CASE = "cas_" + "0" * 24
CARD = "4111 1111 1111 1111"


@dataclass
class World:
    vault: casevault.Vault
    clock: FakeClock
    policy: str
    owner: casevault.Account
    other: casevault.Account
    p: Dict[str, casevault.Principal] = field(default_factory=dict)  # by role; "staff2" on case B
    case_a: casevault.Case = None
    case_b: casevault.Case = None
    msg_a: casevault.Message = None
    msg_b: casevault.Message = None
    msg_loose: casevault.Message = None    # on no case
    payment: casevault.Payment = None
    post: casevault.Post = None          # visapro only

    def id(self, who):
        """An actor id: "owner", "other", a role name or "staff2"."""
        if who == "owner":
            return self.owner.id
        if who == "other":
            return self.other.id
        return self.p[who].id

    def rule(self, who, action, kind, record_id):
        """"allowed" or the denial rule of vault.can()."""
        v = self.vault.can(self.id(who), action, kind, record_id)
        assert isinstance(v, casevault.AccessVerdict) and bool(v) is v.allowed
        if v.allowed:
            assert v.rule.startswith("/roles/"), v.rule
            return "allowed"
        assert v.rule in casevault.ACCESS_DENIAL_RULES, v.rule
        return v.rule


def build(store_path, policy_file, clock=None):
    """Open a store on a FakeClock, publish a reference policy and create
    the world's records. The caller closes world.vault."""
    clock = clock or FakeClock(T0)
    v = open_store(store_path, clock=clock)
    try:
        v.policy.publish(load_example(policy_file))
        owner = v.accounts.create(name="Olga Owner", email="olga@example.com", phone="+1 332 555 0101")
        other = v.accounts.create(name="Otto Other", email="otto@example.com")
        w = World(v, clock, policy_file, owner, other)
        for role in ("attorney", "staff", "support", "system", "agency"):
            w.p[role] = v.principals.add(role)
        w.p["staff2"] = v.principals.add(casevault.Role.STAFF)
        w.case_a = v.cases.open(owner.id, owner.id, "I-485", receipt_number=RECEIPT_A,
                                questionnaire={"q1": "a"})
        w.case_b = v.cases.open(owner.id, owner.id, "I-130", receipt_number=RECEIPT_B)
        v.cases.assign(w.case_a.id, w.p["attorney"].id)
        v.cases.assign(w.case_a.id, w.p["staff"].id)
        v.cases.assign(w.case_b.id, w.p["staff2"].id)
        w.msg_a = v.correspondence.record(owner.id, owner.id, body="about case A", channel="web_form",
                                          direction="outbound", case_id=w.case_a.id)
        w.msg_b = v.correspondence.record(owner.id, owner.id, body="about case B", channel="web_form",
                                          direction="outbound", case_id=w.case_b.id)
        w.msg_loose = v.correspondence.record(owner.id, owner.id, body="general question",
                                              channel="web_form", direction="outbound")
        w.payment = v.billing.record(owner.id, owner.id, amount_minor=4900, currency="USD",
                                     card_brand="visa", last4="1111",
                                     billing_address="1 Main St\nSpringfield", processor_ref="ch_123abc")
        if policy_file == "visapro.json":
            w.post = v.posts.publish(owner.id, "Hello", "My I-485 story")
        return w
    except BaseException:
        v.close()
        raise

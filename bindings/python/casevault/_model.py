"""The records casevault returns: frozen dataclasses built from the native
module's plain tuples."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, Iterator, List, Mapping, NamedTuple, Optional, Tuple, Type, TypeVar, Union

__all__ = [
    "Account",
    "AccountPage",
    "AuditEntry",
    "VerifyResult",
    "Info",
    "KdfParams",
    "PolicyProblem",
    "PolicyCategory",
    "PolicyPurpose",
    "PolicyVersion",
    "PolicyDiff",
    "PublishResult",
    "ConsentRequest",
    "ConsentEvent",
    "ConsentState",
    "Decision",
    "ReconsentRequest",
    "ErasureRequest",
    "Notification",
    "Role",
    "Action",
    "RecordKind",
    "MessageChannel",
    "Direction",
    "RecordRef",
    "AccessVerdict",
    "Principal",
    "CaseStatus",
    "Case",
    "CaseDocument",
    "MessageFields",
    "Message",
    "MessagePage",
    "Payment",
    "Post",
    "PostPage",
    "ACCOUNT_STATUSES",
    "ACCOUNT_FIELDS",
    "CONSENT_ACTIONS",
    "CHANNELS",
    "LEGAL_BASES",
    "DECISION_REASONS",
    "ROLES",
    "ACTIONS",
    "RECORD_KINDS",
    "MESSAGE_CHANNELS",
    "DIRECTIONS",
    "CARD_BRANDS",
    "ACCESS_DENIAL_RULES",
    "RetentionTrigger",
    "RequestKind",
    "RequestState",
    "InboundOutcome",
    "HoldScope",
    "HoldState",
    "ActivityMark",
    "ActivityState",
    "RetentionRequest",
    "InboundResult",
    "Hold",
    "PlannedDeletion",
    "HeldBack",
    "SweepPlan",
    "SweepReport",
    "DeletionReceipt",
    "BackupInfo",
    "RestoreReport",
    "RETENTION_TRIGGERS",
    "REQUEST_KINDS",
    "REQUEST_STATES",
    "INBOUND_OUTCOMES",
    "HOLD_SCOPES",
    "HOLD_STATES",
    "RectifyTarget",
    "NoticeState",
    "TransferKind",
    "Rectification",
    "RectifyResult",
    "ErasureTicket",
    "LegalProcess",
    "NondisclosureOrder",
    "Disclosure",
    "Subprocessor",
    "Transfer",
    "AggregateCell",
    "AggregateTable",
    "RECTIFY_TARGETS",
    "RECTIFY_FIELDS",
    "NOTICE_STATES",
    "TRANSFER_KINDS",
    "DISCLOSURE_REFUSAL_REASONS",
]

#: The states an account can be in.
ACCOUNT_STATUSES: Tuple[str, ...] = ("active", "cancelled", "closed", "erased")

#: The registration fields of an account, in order.
ACCOUNT_FIELDS: Tuple[str, ...] = ("name", "email", "phone", "address", "company")

#: What a consent event records.
CONSENT_ACTIONS: Tuple[str, ...] = ("granted", "withdrawn", "declined")

#: How a consent reached the host.
CHANNELS: Tuple[str, ...] = ("web", "email", "whatsapp", "phone", "api")

#: The legal bases a policy purpose may rest on.
LEGAL_BASES: Tuple[str, ...] = ("consent", "contract", "legal_obligation", "legitimate_interest")

#: Why :meth:`Vault.may_process` decided as it did: the first four allow,
#: the others deny.
DECISION_REASONS: Tuple[str, ...] = (
    "consent", "contract", "legal_obligation", "legitimate_interest",
    "no_policy", "purpose_unknown", "subject_unknown", "account_not_active", "no_consent",
    "withdrawn", "declined", "reconsent_required", "expired", "objected",
)


class KdfParams(NamedTuple):
    """Argon2id cost for a passphrase: ``opslimit`` passes over
    ``2**memlimit_log2`` bytes of memory. A plain ``(opslimit, memlimit_log2)``
    tuple is accepted wherever a ``KdfParams`` is."""

    opslimit: int
    memlimit_log2: int


@dataclass(frozen=True, repr=False)
class Account:
    """An account: the registration record of a data subject.

    ``repr()`` and ``str()`` show only ``id`` and ``status``, so that an
    account written to a log does not leak personal data. An erased account
    has ``name == ""`` and every other personal field ``None``.

    Attributes:
        id: opaque id, e.g. ``"acc_3f0c9d2e7a41b8c65d09e1f2"``.
        status: ``"active"``, ``"cancelled"``, ``"closed"`` or ``"erased"``.
        created_at: Unix seconds, from the vault's clock.
        updated_at: Unix seconds, from the vault's clock.
        name, email, phone, address, company: the personal fields, as given
            (trimmed); lookups normalise, the stored values are not rewritten.
    """

    id: str
    status: str
    created_at: int
    updated_at: int
    name: str
    email: Optional[str] = None
    phone: Optional[str] = None
    address: Optional[str] = None
    company: Optional[str] = None

    def __repr__(self) -> str:
        return f"Account(id={self.id!r}, status={self.status!r})"

    __str__ = __repr__

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Account":
        return cls(*row)

    def fields(self) -> Dict[str, Optional[str]]:
        """The personal fields as a dict (handle with care: personal data)."""
        return {f: getattr(self, f) for f in ACCOUNT_FIELDS}


@dataclass(frozen=True)
class AccountPage:
    """One page of :meth:`Accounts.list`.

    Attributes:
        items: the accounts of this page, by id.
        next_cursor: pass it as ``after=`` to get the next page; ``None``
            when this was the last page.
    """

    items: List[Account]
    next_cursor: Optional[str]

    def __iter__(self) -> Iterator[Account]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the tamper-evident audit log. Holds opaque ids only.

    Attributes:
        seq: 1, 2, 3, ... in append order.
        at: Unix seconds, from the vault's clock.
        actor: who acted (the ``actor`` given to :func:`casevault.open`).
        action: e.g. ``"account.create"``.
        subject: the data subject concerned (an account id; ``""`` if none).
        target: the record concerned, an opaque id (``""`` if none).
        outcome: ``"ok"``, ``"denied"`` or ``"error"``.
        reason: a reason code, never personal data.
    """

    seq: int
    at: int
    actor: str
    action: str
    subject: str
    target: str
    outcome: str
    reason: str

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "AuditEntry":
        return cls(*row)


@dataclass(frozen=True)
class VerifyResult:
    """The result of :meth:`Audit.verify`. True in a boolean context when
    the chain verified.

    Attributes:
        ok: the whole chain verified.
        entries: how many entries were checked.
        first_bad_seq: the first entry that fails, or ``None`` when ok.
        problem: what is wrong with it, or ``None`` when ok.
        head: hex MAC of the last entry. Record it outside the store and
            pass it as ``expected_head`` later to detect a truncated tail.
    """

    ok: bool
    entries: int
    first_bad_seq: Optional[int]
    problem: Optional[str]
    head: str

    def __bool__(self) -> bool:
        return self.ok

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "VerifyResult":
        ok, entries, first_bad_seq, problem, head = row
        return cls(
            ok=bool(ok),
            entries=int(entries),
            first_bad_seq=None if ok else int(first_bad_seq),
            problem=None if ok else str(problem),
            head=str(head),
        )


@dataclass(frozen=True)
class Info:
    """What :meth:`Vault.info` reports about an open store.

    Attributes:
        path: the store file.
        library_version, sqlcipher_version, sqlite_version, sodium_version:
            the engines in use.
        schema_version: the store's schema version.
        key_mode: ``"passphrase"`` or ``"raw"``.
        kdf: the Argon2id parameters of the passphrase, or ``None`` for a
            store opened with a raw key.
        accounts, accounts_active, accounts_erased: account counts.
        audit_entries: the number of audit entries.
        principals, cases, messages, payments, posts: record counts.
    """

    path: str
    library_version: str
    sqlcipher_version: str
    sqlite_version: str
    sodium_version: str
    schema_version: int
    key_mode: str
    kdf: Optional[KdfParams]
    accounts: int
    accounts_active: int
    accounts_erased: int
    audit_entries: int
    principals: int
    cases: int
    messages: int
    payments: int
    posts: int

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "Info":
        values = dict(d)
        values["kdf"] = KdfParams(*values["kdf"]) if values.get("key_mode") == "passphrase" else None
        return cls(**values)


# ---- policy ----------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyProblem:
    """One problem of a policy document.

    Attributes:
        path: a JSON Pointer to the offending value, e.g.
            ``"/purposes/2/legal_basis"``; ``""`` for the document itself.
        message: what is wrong, e.g. ``"missing"``.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


@dataclass(frozen=True)
class PolicyCategory:
    """A kind of data the policy covers (``identity``, ``contact``, ...)."""

    id: str
    description: str
    kind: str = "personal"  # "personal", "public", "payment" or "device"
    # The stored records that hold it, which retention rules act on:
    # "account", "case", "correspondence", "survey", "billing", "post".
    records: Tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyPurpose:
    """Why data is processed, and on which legal basis.

    Attributes:
        id, description: as in the document.
        legal_basis: ``"consent"``, ``"contract"``, ``"legal_obligation"`` or
            ``"legitimate_interest"``.
        categories: the data categories it may use.
        requires_fresh_consent: this version invalidates older grants.
        account_statuses: the account states in which it may run.
        close_on_decline: declining it closes the account and queues erasure
            (``on_decline: close_and_erase``).
        consent_max_days: a grant lasts at most this many days, or ``None``.
        third_party_disclosure: its data goes to third parties.
        depends_on: consent purposes that must be granted too.
        data_form: ``"identified"``, ``"deidentified"`` or ``"aggregate"``.
    """

    id: str
    description: str
    legal_basis: str
    categories: Tuple[str, ...]
    requires_fresh_consent: bool
    account_statuses: Tuple[str, ...]
    close_on_decline: bool
    consent_max_days: Optional[int]
    third_party_disclosure: bool
    depends_on: Tuple[str, ...]
    data_form: str

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "PolicyPurpose":
        v = dict(d)
        for k in ("categories", "account_statuses", "depends_on"):
            v[k] = tuple(v[k])
        return cls(**v)


@dataclass(frozen=True, repr=False)
class PolicyVersion:
    """A validated policy document (docs/policy-format.md), as published or
    as returned by :func:`casevault.parse_policy`.

    Attributes:
        version: ``metadata.version``, increasing with every published version.
        name, effective_date (``"YYYY-MM-DD"``), jurisdiction: from the metadata.
        text_url, text_sha256: where the human-readable text is, or its
            hash; ``""`` when absent.
        hash: ``"sha256:<64 hex>"`` of the canonical document.
        published_at: Unix seconds; 0 until published.
        active: this is the version that decides :meth:`Vault.may_process`.
        categories, purposes: the document's categories and purposes.
        document: the canonical JSON text (sorted keys, no whitespace);
            ``""`` in the results of :meth:`Policies.list`.
    """

    version: int
    name: str
    effective_date: str
    text_url: str
    text_sha256: str
    jurisdiction: str
    hash: str
    published_at: int
    active: bool
    categories: Tuple[PolicyCategory, ...]
    purposes: Tuple[PolicyPurpose, ...]
    document: str

    def __repr__(self) -> str:
        return (f"PolicyVersion(version={self.version!r}, name={self.name!r}, "
                f"active={self.active!r}, hash={self.hash!r})")

    def purpose(self, id: str) -> Optional[PolicyPurpose]:
        """The purpose with this id, or ``None``."""
        for p in self.purposes:
            if p.id == id:
                return p
        return None

    def document_dict(self) -> Dict[str, Any]:
        """The canonical document parsed back into a dict (``{}`` when
        :attr:`document` is empty)."""
        return json.loads(self.document) if self.document else {}

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "PolicyVersion":
        v = dict(d)
        v["categories"] = tuple(PolicyCategory(**c) for c in v["categories"])
        v["purposes"] = tuple(PolicyPurpose._from_dict(p) for p in v["purposes"])
        return cls(**v)


@dataclass(frozen=True)
class PolicyDiff:
    """What changed from one published version to another
    (:meth:`Policies.diff`).

    Attributes:
        from_, to: the two versions.
        purposes_added, purposes_removed, purposes_changed: purpose ids.
        categories_added, categories_removed: category ids.
        roles_changed: role ids whose grants differ.
        retention_changed, disclosures_changed, notifications_changed:
            whether those sections differ.
        reconsent_purposes: purposes whose earlier grants ``to`` invalidates.
    """

    from_: int
    to: int
    purposes_added: Tuple[str, ...]
    purposes_removed: Tuple[str, ...]
    purposes_changed: Tuple[str, ...]
    categories_added: Tuple[str, ...]
    categories_removed: Tuple[str, ...]
    roles_changed: Tuple[str, ...]
    retention_changed: bool
    disclosures_changed: bool
    notifications_changed: bool
    reconsent_purposes: Tuple[str, ...]

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "PolicyDiff":
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


@dataclass(frozen=True)
class PublishResult:
    """The result of :meth:`Policies.publish`.

    Attributes:
        policy: the version now active.
        subjects_reconsent: how many people are now asked to consent again.
        notifications: how many ``reconsent_required`` notifications were
            queued in the outbox.
    """

    policy: PolicyVersion
    subjects_reconsent: int
    notifications: int

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any]) -> "PublishResult":
        return cls(PolicyVersion._from_dict(d["policy"]), int(d["subjects_reconsent"]),
                   int(d["notifications"]))


# ---- consent ---------------------------------------------------------------------


def _expiry(t: int) -> Optional[int]:
    return None if t == 0 else int(t)


@dataclass(frozen=True)
class ConsentRequest:
    """One entry to append to the consent ledger (see
    :meth:`Consents.record_many`; a dict with the same keys works too).

    Attributes:
        subject: an account id.
        purpose: a purpose id of the active policy.
        action: ``"granted"``, ``"withdrawn"`` or ``"declined"``.
        channel: ``"web"``, ``"email"``, ``"whatsapp"``, ``"phone"`` or ``"api"``.
        scope: ``""`` for the whole purpose, else an opaque record id or
            category the grant is limited to (e.g. a case id).
        evidence: a reference to the proof (message id, form submission);
            personal data, sealed in the store; not shown by ``repr()``.
        expires_at: grants only: Unix seconds, or ``None``; the purpose's
            ``consent_max_duration`` caps it.
    """

    subject: str
    purpose: str
    action: str = "granted"
    channel: str = "web"
    scope: str = ""
    evidence: str = field(default="", repr=False)
    expires_at: Optional[int] = None


@dataclass(frozen=True)
class ConsentEvent:
    """One entry of the append-only consent ledger.

    Attributes:
        id: ``"cns_..."``; also the consent receipt's id.
        subject: the account id (``"vis_..."`` for a visitor).
        purpose, scope: what was consented to.
        action: ``"granted"``, ``"withdrawn"`` or ``"declined"``.
        channel: how it reached the host.
        policy_version: the policy version it was recorded under.
        evidence: the reference to the proof, as given (``""`` for
            visitors); personal data, not shown by ``repr()``.
        at: Unix seconds, from the vault's clock.
        expires_at: when a grant stops counting, or ``None`` for no limit.
    """

    id: str
    subject: str
    purpose: str
    scope: str
    action: str
    channel: str
    policy_version: int
    evidence: str = field(repr=False)
    at: int
    expires_at: Optional[int]

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "ConsentEvent":
        id, subject, purpose, scope, action, channel, version, evidence, at, expires_at = row
        return cls(id, subject, purpose, scope, action, channel, int(version), evidence, int(at),
                   _expiry(expires_at))


@dataclass(frozen=True)
class ConsentState:
    """The current state of one (purpose, scope) of a subject: its last event.

    Attributes:
        purpose, scope: what it is about.
        action: the last event's action.
        policy_version: the version the last event was recorded under.
        at: when it was recorded.
        expires_at: when a grant stops counting, or ``None``.
        reconsent_required: a grant the active version no longer accepts.
    """

    purpose: str
    scope: str
    action: str
    policy_version: int
    at: int
    expires_at: Optional[int]
    reconsent_required: bool

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "ConsentState":
        purpose, scope, action, version, at, expires_at, reconsent = row
        return cls(purpose, scope, action, int(version), int(at), _expiry(expires_at),
                   bool(reconsent))


@dataclass(frozen=True)
class Decision:
    """The answer of :meth:`Vault.may_process`. True in a boolean context
    when processing is allowed.

    Attributes:
        allowed: whether the data may be processed for the purpose now.
        reason: why (one of :data:`DECISION_REASONS`), e.g. ``"consent"``,
            ``"contract"``, ``"withdrawn"``, ``"reconsent_required"``.
        policy_version: the version it was decided under; 0 without a policy.
    """

    allowed: bool
    reason: str
    policy_version: int

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Decision":
        allowed, reason, version = row
        return cls(bool(allowed), str(reason), int(version))


@dataclass(frozen=True)
class ReconsentRequest:
    """A person asked to consent again after a policy change.

    Attributes:
        subject: the account id.
        policy_version: the version asking.
        purposes: the purposes still awaiting an answer.
        requested_at: Unix seconds.
    """

    subject: str
    policy_version: int
    purposes: Tuple[str, ...]
    requested_at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "ReconsentRequest":
        subject, version, purposes, at = row
        return cls(subject, int(version), tuple(purposes), int(at))


@dataclass(frozen=True)
class ErasureRequest:
    """The record that a subject is to be erased (e.g. after declining a
    purpose marked ``on_decline: close_and_erase``).

    Attributes:
        id: ``"era_..."``.
        subject: the account id.
        reason: e.g. ``"consent_declined:terms"``.
        channel: the channel of the request.
        requested_at: Unix seconds.
        due_at: erase on the first sweep at or after this time.
        state: ``"pending"``, ``"done"`` or ``"cancelled"``.
    """

    id: str
    subject: str
    reason: str
    channel: str
    requested_at: int
    due_at: int
    state: str

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "ErasureRequest":
        return cls(*row)


# ---- outbox ----------------------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    """A message the host must deliver to a person (:meth:`Outbox.poll`).

    Attributes:
        id: pass it to :meth:`Outbox.ack` once delivered.
        kind: ``"reconsent_required"``, ...
        subject: the account to notify (look the contact details up yourself).
        payload: the kind's payload (ids and policy facts, never personal
            data), e.g. ``{"policy_version": 2, "previous_version": 1,
            "purposes": ["terms"], "policy_url": "https://..."}``.
        created_at: Unix seconds.
        attempts: how many times poll() handed it out, this one included.
    """

    id: int
    kind: str
    subject: str
    payload: Dict[str, Any] = field(hash=False)
    created_at: int
    attempts: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Notification":
        id, kind, subject, payload, created_at, attempts = row
        return cls(int(id), kind, subject, json.loads(payload) if payload else {},
                   int(created_at), int(attempts))


# ---- team access and records (principals, cases, correspondence, billing, posts) ----


class _Name(str, Enum):
    """A name of the engine, as a str: ``Role.STAFF == "staff"``, and
    ``str()`` / ``format()`` give the bare name. Wherever one is accepted,
    the plain string works too."""

    def __str__(self) -> str:
        return str(self.value)

    __format__ = str.__format__  # type: ignore[assignment]


class Role(_Name):
    """The roles of the policy document's ``roles`` (a subject is an
    account acting as itself; the others are :class:`Principal` s)."""

    SUBJECT = "subject"
    ATTORNEY = "attorney"
    STAFF = "staff"
    SUPPORT = "support"
    SYSTEM = "system"
    AGENCY = "agency"


class Action(_Name):
    """What an actor does to a record (:meth:`Vault.can`)."""

    READ = "read"
    WRITE = "write"
    ERASE = "erase"
    EXPORT = "export"
    DISCLOSE = "disclose"


class RecordKind(_Name):
    """The kinds of record the policy's grants name."""

    ACCOUNT = "account"
    CONSENT = "consent"
    CASE = "case"
    CORRESPONDENCE = "correspondence"
    BILLING = "billing"
    POST = "post"
    AUDIT = "audit"


class MessageChannel(_Name):
    """How a message or call reached the host (a survey response is a
    message on the ``survey`` channel)."""

    EMAIL = "email"
    WHATSAPP = "whatsapp"
    PHONE = "phone"
    WEB_FORM = "web_form"
    SURVEY = "survey"


class Direction(_Name):
    """Whether a message came from the subject or went to it."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


#: The roles, actions, record kinds, message channels and directions as plain strings.
ROLES: Tuple[str, ...] = tuple(r.value for r in Role)
ACTIONS: Tuple[str, ...] = tuple(a.value for a in Action)
RECORD_KINDS: Tuple[str, ...] = tuple(k.value for k in RecordKind)
MESSAGE_CHANNELS: Tuple[str, ...] = tuple(c.value for c in MessageChannel)
DIRECTIONS: Tuple[str, ...] = tuple(d.value for d in Direction)

#: The card brands a payment may name.
CARD_BRANDS: Tuple[str, ...] = (
    "visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay", "other")

#: Why an access is denied (:attr:`AccessVerdict.rule`, :attr:`AccessDeniedError.rule`).
#: An allowed access's rule is instead the JSON Pointer of the policy grant
#: that allowed it, e.g. ``"/roles/1/grants/0"``.
ACCESS_DENIAL_RULES: Tuple[str, ...] = (
    "unknown_actor", "actor_disabled", "no_policy", "role_not_in_policy", "no_grant",
    "not_owner", "not_assigned", "no_support_grant", "needs_legal_process", "not_public",
)

_E = TypeVar("_E", bound=_Name)


def _named(cls: Type[_E], name: str) -> Union[_E, str]:
    """The enum member for an engine name; the bare str for a name this
    version does not know."""
    try:
        return cls(name)
    except ValueError:
        return name


def _opt_int(v: Any) -> Optional[int]:
    return None if v is None else int(v)


@dataclass(frozen=True)
class RecordRef:
    """A record, by kind and id (for an ``account``, ``consent`` or
    ``audit`` kind the id is the account's).

    Attributes:
        kind: a :class:`RecordKind` or its name.
        id: the record's id (``"cas_..."``, ``"msg_..."``, ``"pay_..."``,
            ``"pst_..."``, ``"acc_..."``).
    """

    kind: Union[RecordKind, str]
    id: str


@dataclass(frozen=True)
class AccessVerdict:
    """The answer of :meth:`Vault.can`. True in a boolean context when the
    access is allowed.

    Attributes:
        allowed: whether the actor may do the action to the record now.
        rule: when allowed, the JSON Pointer of the policy grant that
            allowed it (``"/roles/1/grants/0"``); when denied, the reason,
            one of :data:`ACCESS_DENIAL_RULES`.
    """

    allowed: bool
    rule: str

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "AccessVerdict":
        allowed, rule = row
        return cls(bool(allowed), str(rule))


@dataclass(frozen=True)
class Principal:
    """A principal other than a data subject (attorney, staff, support,
    system, agency), or a live account seen as a subject.

    Attributes:
        id: ``"prn_..."`` (or an account id for a subject).
        role: a :class:`Role` (a str).
        created_at: Unix seconds.
        active: False once disabled (:meth:`Principals.disable`): it is then
            denied everything (``"actor_disabled"``).
    """

    id: str
    role: Union[Role, str]
    created_at: int
    active: bool

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Principal":
        id, role, created_at, active = row
        return cls(id, _named(Role, role), int(created_at), bool(active))


@dataclass(frozen=True)
class CaseStatus:
    """One step of a case's history.

    Attributes:
        status: a short label such as ``"received"``, ``"rfe_sent"``,
            ``"approved"``.
        at: Unix seconds.
        source: where it came from (``"uscis"``, ``"manual"``, ...).
        detail: optional free text; personal data, not shown by ``repr()``.
    """

    status: str
    at: int
    source: str
    detail: Optional[str] = field(default=None, repr=False)

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "CaseStatus":
        status, at, source, detail = row
        return cls(status, int(at), source, detail)


def _parse_json(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)


@dataclass(frozen=True)
class Case:
    """An immigration case of an account.

    ``repr()`` leaves out the receipt number and the questionnaire
    (personal data).

    Attributes:
        id: ``"cas_..."``.
        subject: the account it belongs to.
        receipt_number: the USCIS receipt number, normalised
            (``"EAC2190012345"``), or ``None`` before filing.
        form_type: e.g. ``"I-130"``, ``"N-400"``, ``"DS-160"``.
        questionnaire: the questionnaire answers, parsed from their JSON
            (a dict or a list), or ``None``.
        latest_status: the most recent step of :meth:`Cases.history`, or
            ``None``.
        created_at, updated_at: Unix seconds.
    """

    id: str
    subject: str
    receipt_number: Optional[str] = field(repr=False)
    form_type: str
    questionnaire: Any = field(repr=False, hash=False)
    latest_status: Optional[CaseStatus]
    created_at: int
    updated_at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Case":
        id, subject, receipt, form_type, questionnaire, latest, created_at, updated_at = row
        return cls(id, subject, receipt, form_type, _parse_json(questionnaire),
                   None if latest is None else CaseStatus._from_row(latest),
                   int(created_at), int(updated_at))


@dataclass(frozen=True)
class CaseDocument:
    """The metadata of a case document (the bytes stay with the host).

    Attributes:
        id: ``"doc_..."``.
        case_id: the case it belongs to.
        name: the file name; personal data, not shown by ``repr()``.
        kind: a label such as ``"passport"``.
        size: in bytes.
        sha256: hex digest of the bytes.
        added_at: Unix seconds.
    """

    id: str
    case_id: str
    name: str = field(repr=False)
    kind: str
    size: int
    sha256: str = field(repr=False)
    added_at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "CaseDocument":
        id, case_id, name, kind, size, sha256, added_at = row
        return cls(id, case_id, name, kind, int(size), sha256, int(added_at))


@dataclass(frozen=True)
class MessageFields:
    """One message to record (see :meth:`Correspondence.record_many`; a
    dict with the same keys works too).

    Attributes:
        subject: the account; ``""`` on an inbound message to find it from
            ``sender``.
        body: the text (a call's notes); personal data, not shown by ``repr()``.
        channel: a :class:`MessageChannel` or its name.
        direction: a :class:`Direction` or its name.
        case_id: the case it is about, or ``None``.
        at: when it was sent (Unix seconds); ``None`` for now.
        subject_line: personal data, not shown by ``repr()``.
        sender: an email address or a phone number with its country code;
            personal data, not shown by ``repr()``.
    """

    subject: str
    body: str = field(repr=False)
    channel: Union[MessageChannel, str] = MessageChannel.EMAIL
    direction: Union[Direction, str] = Direction.INBOUND
    case_id: Optional[str] = None
    at: Optional[int] = None
    subject_line: Optional[str] = field(default=None, repr=False)
    sender: Optional[str] = field(default=None, repr=False)


@dataclass(frozen=True)
class Message:
    """A message or call with a data subject, or a survey response.

    ``repr()`` leaves out the subject line, the body and the sender.

    Attributes:
        id: ``"msg_..."``.
        subject: the account.
        case_id: the case it is about, or ``None``.
        channel: a :class:`MessageChannel` (a str).
        direction: a :class:`Direction` (a str).
        at: when it was sent (Unix seconds).
        subject_line, body, sender: the content, as recorded.
        recorded_at: when it was recorded (Unix seconds).
    """

    id: str
    subject: str
    case_id: Optional[str]
    channel: Union[MessageChannel, str]
    direction: Union[Direction, str]
    at: int
    subject_line: Optional[str] = field(repr=False)
    body: str = field(repr=False)
    sender: Optional[str] = field(repr=False)
    recorded_at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Message":
        id, subject, case_id, channel, direction, at, subject_line, body, sender, recorded_at = row
        return cls(id, subject, case_id, _named(MessageChannel, channel), _named(Direction, direction),
                   int(at), subject_line, body, sender, int(recorded_at))


@dataclass(frozen=True)
class MessagePage:
    """One page of :meth:`Correspondence.list`.

    Attributes:
        items: the messages of this page.
        next_cursor: pass it as ``after=`` for the next page; ``None`` on
            the last page.
    """

    items: List[Message]
    next_cursor: Optional[str]

    def __iter__(self) -> Iterator[Message]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Payment:
    """A payment record. Never a full card number.

    ``repr()`` leaves out ``last4``, the billing address, the processor
    reference and the tax exemption (sealed in the store).

    Attributes:
        id: ``"pay_..."``.
        subject: the account.
        amount_minor: in the currency's minor unit (cents).
        currency: ISO 4217 letters, e.g. ``"USD"``.
        paid_at: Unix seconds.
        card_brand: one of :data:`CARD_BRANDS`.
        last4: the card's last four digits.
        billing_address, processor_ref: or ``None``.
        recurring: part of a recurring payment.
        recorded_at: Unix seconds.
        billing_state: the US state (or territory) of the billing address,
            two letters (``"NY"``), kept in the clear for the billing
            aggregates; ``None`` when not given.
        tax_exemption: e.g. an exemption certificate id, or ``None``.
    """

    id: str
    subject: str
    amount_minor: int
    currency: str
    paid_at: int
    card_brand: str
    last4: str = field(repr=False)
    billing_address: Optional[str] = field(repr=False)
    processor_ref: Optional[str] = field(repr=False)
    recurring: bool
    recorded_at: int
    billing_state: Optional[str] = None
    tax_exemption: Optional[str] = field(default=None, repr=False)

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Payment":
        (id, subject, amount, currency, paid_at, brand, last4, address, ref, recurring,
         recorded_at, state, exemption) = row
        return cls(id, subject, int(amount), currency, int(paid_at), brand, last4, address, ref,
                   bool(recurring), int(recorded_at), state or None, exemption)


@dataclass(frozen=True)
class Post:
    """A message-board post: public content, stored as such.

    ``repr()`` shows only the id, the author and the time.

    Attributes:
        id: ``"pst_..."``.
        author: the account that wrote it; ``None`` once anonymised (its
            author was erased under a policy that keeps posts).
        title, body: the content.
        created_at: Unix seconds.
    """

    id: str
    author: Optional[str]
    title: str = field(repr=False)
    body: str = field(repr=False)
    created_at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Post":
        id, author, title, body, created_at = row
        return cls(id, author, title, body, int(created_at))


@dataclass(frozen=True)
class PostPage:
    """One page of :meth:`Posts.list`.

    Attributes:
        items: the posts of this page.
        next_cursor: pass it as ``after=`` for the next page; ``None`` on
            the last page.
    """

    items: List[Post]
    next_cursor: Optional[str]

    def __iter__(self) -> Iterator[Post]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


# ---- retention (activity, requests, holds, the sweep, backups) ---------------------


class RetentionTrigger(_Name):
    """What starts a retention rule's clock (a policy rule's ``trigger``)."""

    INACTIVITY = "inactivity"
    CANCELLATION = "cancellation"
    DELETION_REQUEST = "deletion_request"
    RECONSENT_DECLINED = "reconsent_declined"
    ACCOUNT_CLOSED = "account_closed"


class RequestKind(_Name):
    """What a person asked for: cancel the account, or erase it (the
    engine's name for an erasure request is ``"delete"``, the command
    word)."""

    CANCEL = "cancel"
    ERASE = "delete"


class RequestState(_Name):
    """Where a cancel or delete request stands."""

    AWAITING_CONFIRMATION = "awaiting_confirmation"  # an inbound command waiting for its code
    PENDING = "pending"                              # scheduled: the sweep carries it out when due
    DONE = "done"
    EXPIRED = "expired"                              # the code was not confirmed in time
    WITHDRAWN = "withdrawn"                          # reactivated, or superseded by a later request


class InboundOutcome(_Name):
    """What an inbound email or WhatsApp message amounted to
    (:meth:`Requests.inbound`). Only the last two queue or carry out a
    command."""

    NO_COMMAND = "no_command"
    AMBIGUOUS = "ambiguous"
    NEGATED = "negated"
    MENTION_ONLY = "mention_only"
    UNKNOWN_SENDER = "unknown_sender"
    CHANNEL_NOT_ACCEPTED = "channel_not_accepted"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    ACCEPTED = "accepted"


class HoldScope(_Name):
    """What a legal hold covers: a whole account (``"subject"``), or one
    case (``"case"``)."""

    SUBJECT = "subject"
    CASE_FILE = "case"


class HoldState(_Name):
    """Where a legal hold stands."""

    ACTIVE = "active"          # within its period
    CONTINUED = "continued"    # a release process arrived: lasts until released
    EXPIRED = "expired"        # the period ended without one
    RELEASED = "released"


#: The names of the retention enums, as plain strings.
RETENTION_TRIGGERS: Tuple[str, ...] = tuple(t.value for t in RetentionTrigger)
REQUEST_KINDS: Tuple[str, ...] = tuple(k.value for k in RequestKind)
REQUEST_STATES: Tuple[str, ...] = tuple(s.value for s in RequestState)
INBOUND_OUTCOMES: Tuple[str, ...] = tuple(o.value for o in InboundOutcome)
HOLD_SCOPES: Tuple[str, ...] = tuple(s.value for s in HoldScope)
HOLD_STATES: Tuple[str, ...] = tuple(s.value for s in HoldState)


def _when(t: Any) -> Optional[int]:
    """An engine time where 0 means "none"."""
    return None if not t else int(t)


@dataclass(frozen=True)
class ActivityMark:
    """The latest qualifying activity of one kind.

    Attributes:
        kind: a policy activity kind (``"message"``, ``"payment"``,
            ``"token_use"``, ...).
        at: Unix seconds.
    """

    kind: str
    at: int


@dataclass(frozen=True)
class ActivityState:
    """A subject's qualifying activity (:meth:`Activity.state`).

    Attributes:
        subject: the account id.
        active: the account's activity has not yet left its window.
        active_until: when the account becomes (or became) inactive without
            new activity: the latest of each kind's time plus its window, and
            of sign-up plus the longest window. ``None`` when the policy
            names no activity kinds.
        latest: the latest activity of each kind seen, by kind name.
        inactivity_due_at: when the inactivity rules act if nothing happens
            before; ``None`` when the policy has no inactivity rule or they
            already acted.
    """

    subject: str
    active: bool
    active_until: Optional[int]
    latest: Tuple[ActivityMark, ...]
    inactivity_due_at: Optional[int]

    def last(self, kind: str) -> Optional[int]:
        """The time of the latest activity of ``kind``, or ``None``."""
        for m in self.latest:
            if m.kind == kind:
                return m.at
        return None

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "ActivityState":
        subject, active, active_until, latest, due = row
        return cls(subject, bool(active), _when(active_until),
                   tuple(ActivityMark(k, int(at)) for k, at in latest), _opt_int(due))


@dataclass(frozen=True)
class RetentionRequest:
    """A cancel or delete request (:attr:`Vault.requests`).

    Attributes:
        id: ``"era_..."``.
        subject: the account id.
        kind: a :class:`RequestKind` (a str).
        trigger: the :class:`RetentionTrigger` whose rules it runs
            (``"cancellation"`` or ``"deletion_request"``).
        channel: how it reached the host (``"web"``, ``"email"``,
            ``"whatsapp"``, ...).
        state: a :class:`RequestState` (a str).
        requested_at: Unix seconds.
        due_at: when the sweep acts; ``None`` while awaiting confirmation.
        confirm_by: the deadline of the confirmation code; ``None`` when
            none was needed.
        done_at: when it was carried out, or ``None``.
    """

    id: str
    subject: str
    kind: Union[RequestKind, str]
    trigger: Union[RetentionTrigger, str]
    channel: str
    state: Union[RequestState, str]
    requested_at: int
    due_at: Optional[int]
    confirm_by: Optional[int]
    done_at: Optional[int]

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "RetentionRequest":
        id, subject, kind, trigger, channel, state, requested_at, due_at, confirm_by, done_at = row
        return cls(id, subject, _named(RequestKind, kind), _named(RetentionTrigger, trigger), channel,
                   _named(RequestState, state), int(requested_at), _when(due_at), _when(confirm_by),
                   _when(done_at))


@dataclass(frozen=True)
class InboundResult:
    """What an inbound message amounted to (:meth:`Requests.inbound`,
    :meth:`Requests.parse`). Holds no part of the message.

    Attributes:
        outcome: an :class:`InboundOutcome` (a str).
        command: the :class:`RequestKind` whose word was found, or ``None``.
        subject: the account the sender matched, or ``None``.
        request: the request queued or carried out (outcomes
            ``"awaiting_confirmation"`` and ``"accepted"``), else ``None``.
    """

    outcome: Union[InboundOutcome, str]
    command: Optional[Union[RequestKind, str]]
    subject: Optional[str]
    request: Optional[RetentionRequest]

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "InboundResult":
        outcome, command, subject, request = row
        return cls(_named(InboundOutcome, outcome),
                   None if command is None else _named(RequestKind, command), subject,
                   None if request is None else RetentionRequest._from_row(request))


@dataclass(frozen=True)
class Hold:
    """A legal hold (a preservation request): while it lasts, no retention
    rule deletes its target's data.

    ``repr()`` leaves out the legal-process reference (sealed in the store).

    Attributes:
        id: ``"hld_..."``.
        scope: a :class:`HoldScope` (a str).
        target: the account id or the case id held.
        subject: the account the target belongs to.
        authority: one of the policy's preservation authorities
            (``"sca_2703f"``, ``"civil_subpoena"``, ...).
        reference: the legal-process reference, as given.
        state: a :class:`HoldState` (a str).
        placed_at: Unix seconds.
        expires_at: the end of its period (extensions included); meaningless
            once ``continued``.
        extensions: how many extension periods were added.
        process: the release process that arrived (``"warrant"``, ...), or
            ``None``.
        process_at: when it arrived, or ``None``.
        ended_at: when it expired or was released, or ``None``.
        confidential: a nondisclosure order came with it: the hold is left
            out of the subject's export.
    """

    id: str
    scope: Union[HoldScope, str]
    target: str
    subject: str
    authority: str
    reference: str = field(repr=False)
    state: Union[HoldState, str]
    placed_at: int
    expires_at: int
    extensions: int
    process: Optional[str]
    process_at: Optional[int]
    ended_at: Optional[int]
    confidential: bool = False

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Hold":
        (id, scope, target, subject, authority, reference, state, placed_at, expires_at, extensions,
         process, process_at, ended_at, confidential) = row
        return cls(id, _named(HoldScope, scope), target, subject, authority, reference,
                   _named(HoldState, state), int(placed_at), int(expires_at), int(extensions),
                   process or None, _when(process_at), _when(ended_at), bool(confidential))


@dataclass(frozen=True)
class PlannedDeletion:
    """One subject's due work under one trigger (:meth:`Retention.preview`).

    Attributes:
        subject: the account id.
        trigger: a :class:`RetentionTrigger` (a str).
        rules: the ids of the policy rules that act.
        due_at: when it became due (Unix seconds).
        counts: records per kind (``"account"``, ``"case"``,
            ``"correspondence"``, ``"survey"``, ``"billing"``, ``"post"``,
            ``"consent"``).
        actions: what happens to each kind: ``"delete"``, ``"anonymize"``
            or ``"minimize"``.
    """

    subject: str
    trigger: Union[RetentionTrigger, str]
    rules: Tuple[str, ...]
    due_at: int
    counts: Dict[str, int] = field(hash=False)
    actions: Dict[str, str] = field(hash=False)

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "PlannedDeletion":
        subject, trigger, rules, due_at, counts, actions = row
        return cls(subject, _named(RetentionTrigger, trigger), tuple(rules), int(due_at),
                   {str(k): int(v) for k, v in counts.items()},
                   {str(k): str(v) for k, v in actions.items()})


@dataclass(frozen=True)
class HeldBack:
    """Due work a legal hold keeps the sweep from doing.

    Attributes:
        subject: the account id.
        trigger: a :class:`RetentionTrigger` (a str).
        hold_id: the hold (``"hld_..."``).
        reason: ``"held:subject"`` or ``"held:case"``.
    """

    subject: str
    trigger: Union[RetentionTrigger, str]
    hold_id: str
    reason: str

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "HeldBack":
        subject, trigger, hold_id, reason = row
        return cls(subject, _named(RetentionTrigger, trigger), hold_id, reason)


@dataclass(frozen=True)
class SweepPlan:
    """What :meth:`Retention.sweep` would do now (:meth:`Retention.preview`).

    Attributes:
        now: the time it was planned for.
        deletions: the due work, per subject and trigger.
        held: due work a hold defers.
        holds_expiring: ids of holds whose period is over.
        backups_expiring: ids of backups past the backup window.
        requests_expiring: ids of unconfirmed requests past their deadline.
    """

    now: int
    deletions: Tuple[PlannedDeletion, ...]
    held: Tuple[HeldBack, ...]
    holds_expiring: Tuple[str, ...]
    backups_expiring: Tuple[str, ...]
    requests_expiring: Tuple[str, ...]

    def subjects(self) -> Tuple[str, ...]:
        """The subjects with due work, each once, in plan order."""
        return tuple(dict.fromkeys(d.subject for d in self.deletions))

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "SweepPlan":
        now, deletions, held, holds, backups, requests = row
        return cls(int(now), tuple(PlannedDeletion._from_row(d) for d in deletions),
                   tuple(HeldBack._from_row(h) for h in held), tuple(holds), tuple(backups),
                   tuple(requests))


@dataclass(frozen=True)
class SweepReport:
    """What :meth:`Retention.sweep` did.

    Attributes:
        now: the time it swept at.
        subjects: how many subjects' due work was done.
        counts: records deleted, anonymised or minimised, per record kind.
        receipts: the ids of the deletion receipts written.
        held: due work a hold deferred.
        holds_expired, backups_removed, requests_expired: how many holds
            expired, backup files were removed and unconfirmed requests
            expired.
    """

    now: int
    subjects: int
    counts: Dict[str, int] = field(hash=False)
    receipts: Tuple[str, ...]
    held: Tuple[HeldBack, ...]
    holds_expired: int
    backups_removed: int
    requests_expired: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "SweepReport":
        now, subjects, counts, receipts, held, holds, backups, requests = row
        return cls(int(now), int(subjects), {str(k): int(v) for k, v in counts.items()},
                   tuple(receipts), tuple(HeldBack._from_row(h) for h in held), int(holds),
                   int(backups), int(requests))


@dataclass(frozen=True)
class DeletionReceipt:
    """The proof that a subject's data was deleted, kept after the subject
    is gone. It names the subject only through a keyed digest
    (:meth:`Retention.subject_ref`).

    Attributes:
        id: ``"rcp_..."``.
        subject_ref: the keyed digest of the subject id (hex).
        trigger: a :class:`RetentionTrigger` (a str).
        rules: the ids of the policy rules that acted.
        counts: records deleted, anonymised or minimised, per record kind.
        at: Unix seconds.
    """

    id: str
    subject_ref: str
    trigger: Union[RetentionTrigger, str]
    rules: Tuple[str, ...]
    counts: Dict[str, int] = field(hash=False)
    at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "DeletionReceipt":
        id, subject_ref, trigger, rules, counts, at = row
        return cls(id, subject_ref, _named(RetentionTrigger, trigger), tuple(rules),
                   {str(k): int(v) for k, v in counts.items()}, int(at))


@dataclass(frozen=True)
class BackupInfo:
    """A backup in the vault's catalog (:attr:`Vault.backups`).

    Attributes:
        id: ``"bak_..."``.
        path: the backup file.
        taken_at: Unix seconds.
        size: in bytes.
        sha256: hex digest of the file as written.
        removed_at: when the file was removed (past the backup window), or
            ``None`` while it is kept.
    """

    id: str
    path: str
    taken_at: int
    size: int
    sha256: str
    removed_at: Optional[int]

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "BackupInfo":
        id, path, taken_at, size, sha256, removed_at = row
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        return cls(id, path, int(taken_at), int(size), sha256, _when(removed_at))


@dataclass(frozen=True)
class RestoreReport:
    """What :meth:`Backups.restore` did.

    Attributes:
        backup_id: the catalog id of the backup, or ``None`` when the file
            is not in the catalog.
        taken_at: when the backup was taken (read from the backup itself).
        erasures_replayed: erasures recorded after the backup that were
            carried out again on the restored data.
    """

    backup_id: Optional[str]
    taken_at: int
    erasures_replayed: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "RestoreReport":
        backup_id, taken_at, replayed = row
        return cls(backup_id or None, int(taken_at), int(replayed))


# ---- accountability (subject requests, disclosures, aggregates) ---------------------


class RectifyTarget(_Name):
    """The kind of record a rectification corrects
    (:meth:`SubjectRequests.rectify`)."""

    ACCOUNT = "account"
    CASE_FILE = "case"
    CASE_STATUS = "case_status"
    DOCUMENT = "document"
    MESSAGE = "message"
    PAYMENT = "payment"


#: The personal fields each rectification target corrects. For
#: ``case_status`` the record id is the step's ``seq`` as decimal text.
RECTIFY_FIELDS: Dict[str, Tuple[str, ...]] = {
    "account": ("name", "email", "phone", "address", "company"),
    "case": ("receipt_number", "questionnaire"),
    "case_status": ("detail",),
    "document": ("name",),
    "message": ("subject_line", "body", "sender"),
    "payment": ("billing_address", "processor_ref", "tax_exemption", "billing_state"),
}


class NoticeState(_Name):
    """Whether the person was told of a disclosure (:attr:`Disclosure.notice`)."""

    QUEUED = "queued"                            # a disclosure_notice is in the outbox
    WITHHELD_PROHIBITED = "withheld_prohibited"  # a nondisclosure order forbids it (for now)
    WITHHELD_EMERGENCY = "withheld_emergency"    # an emergency disclosure the rule exempts
    NOT_REQUIRED = "not_required"                # the rule does not notify


class TransferKind(_Name):
    """An acquisition or a merger (:meth:`Disclosures.announce_transfer`)."""

    ACQUISITION = "acquisition"
    MERGER = "merger"


#: The names of the accountability enums, as plain strings.
RECTIFY_TARGETS: Tuple[str, ...] = tuple(t.value for t in RectifyTarget)
NOTICE_STATES: Tuple[str, ...] = tuple(s.value for s in NoticeState)
TRANSFER_KINDS: Tuple[str, ...] = tuple(k.value for k in TransferKind)

#: Why a disclosure is refused (:attr:`DisclosureRefusedError.reason`).
DISCLOSURE_REFUSAL_REASONS: Tuple[str, ...] = (
    "no_rule", "purpose_not_allowed", "consent_required", "categories_not_allowed",
    "fields_not_allowed", "legal_process_required", "process_not_accepted",
    "justification_required", "preserved_data_needs_process", "unknown_subprocessor",
    "subprocessor_not_allowed", "subject_erased",
)


@dataclass(frozen=True)
class Rectification:
    """One corrected personal field (:meth:`SubjectRequests.rectify_many`).

    ``repr()`` leaves out the value.

    Attributes:
        target: a :class:`RectifyTarget` or its name.
        id: the record's id (the account id for ``"account"``; a status
            step's ``seq`` as text for ``"case_status"``).
        field: one of :data:`RECTIFY_FIELDS` for the target.
        value: the corrected value (``""`` clears an optional field).
    """

    target: Union[RectifyTarget, str]
    id: str
    field: str
    # dataclasses.field in full: the member "field" above hides the name
    # inside this class body for type checkers.
    value: str = dataclasses.field(repr=False)


@dataclass(frozen=True)
class RectifyResult:
    """A field that was corrected (the value is not repeated).

    Attributes:
        target: a :class:`RectifyTarget` (a str).
        id: the record's id.
        field: the field corrected.
        at: Unix seconds.
    """

    target: Union[RectifyTarget, str]
    id: str
    field: str
    at: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "RectifyResult":
        target, id, field_name, at = row
        return cls(_named(RectifyTarget, target), id, field_name, int(at))


@dataclass(frozen=True)
class ErasureTicket:
    """What :meth:`SubjectRequests.erase` queued.

    Attributes:
        request: the erasure request the retention engine carries out at
            the policy's deadline (legal holds respected).
        subject_ref: the keyed digest under which the deletion receipt will
            be found once the account is gone
            (:meth:`Retention.receipts`).
    """

    request: RetentionRequest
    subject_ref: str

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "ErasureTicket":
        request, subject_ref = row
        return cls(RetentionRequest._from_row(request), str(subject_ref))


@dataclass(frozen=True)
class LegalProcess:
    """The legal process behind a government request.

    ``repr()`` shows only the kind.

    Attributes:
        kind: ``"warrant"``, ``"criminal_subpoena"``, ``"court_order"``,
            ``"civil_subpoena"``, ``"mlat_request"`` or ``"emergency"``.
        reference: the docket or reference number (sealed; never logged).
        justification: why it is an emergency (required for one; sealed).
    """

    kind: str
    reference: str = field(default="", repr=False)
    justification: str = field(default="", repr=False)

    @classmethod
    def _from_row(cls, row: Optional[Tuple[Any, ...]]) -> Optional["LegalProcess"]:
        if row is None:
            return None
        kind, reference, justification = row
        return cls(kind, reference, justification)


@dataclass(frozen=True)
class NondisclosureOrder:
    """A prohibition on telling the person (a gag order).

    ``repr()`` leaves out the reference.

    Attributes:
        reference: the order's reference (sealed).
        until: when it ends (the notice is then sent), Unix seconds;
            ``None`` while it lasts until lifted
            (:meth:`Disclosures.lift_nondisclosure`).
    """

    reference: str = field(default="", repr=False)
    until: Optional[int] = None


@dataclass(frozen=True)
class Disclosure:
    """A disclosure to a third party, recorded under a policy rule.

    ``repr()`` leaves out the recipient's name, the host's reference and
    the legal process's reference and justification.

    Attributes:
        id: ``"dsc_..."``.
        subject: the account whose data went.
        recipient: the recipient kind (``"uscis"``, ``"law_enforcement"``,
            ``"tax_authority"``, ``"subprocessor"``, ...).
        recipient_name: e.g. the office or agency unit.
        rule: the id of the policy rule that allowed it.
        kind: the rule's kind: ``"on_behalf"``, ``"legal_process"``,
            ``"legal_obligation"``, ``"subprocessor"`` or
            ``"partner_sharing"``.
        purpose: the purpose it served, or ``None``.
        categories: the data categories that went.
        fields: the fields that went, when the rule names fields.
        legal_basis: one of :data:`LEGAL_BASES`.
        case_id: the case a filing was for, or ``None``.
        subprocessor: the registered subprocessor, or ``None``.
        process: the legal process, or ``None``.
        hold_id: the hold whose preserved data went, or ``None``.
        reference: the host's own reference, or ``""``.
        at: Unix seconds.
        notice: a :class:`NoticeState` (a str): whether the person was told.
        notice_at: when the notice is (or was) available to send, or
            ``None`` when none is queued.
        nondisclosure: a nondisclosure order came with it.
        nondisclosure_until: when that order ends, or ``None`` (no order,
            or one that lasts until lifted).
        lifted_at: when the order was lifted, or ``None``.
    """

    id: str
    subject: str
    recipient: str
    recipient_name: str = field(repr=False)
    rule: str
    kind: str
    purpose: Optional[str]
    categories: Tuple[str, ...]
    fields: Tuple[str, ...]
    legal_basis: str
    case_id: Optional[str]
    subprocessor: Optional[str]
    process: Optional[LegalProcess]
    hold_id: Optional[str]
    reference: str = field(repr=False)
    at: int
    notice: Union[NoticeState, str]
    notice_at: Optional[int]
    nondisclosure: bool
    nondisclosure_until: Optional[int]
    lifted_at: Optional[int]

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Disclosure":
        (id, subject, recipient, recipient_name, rule, kind, purpose, categories, fields, basis,
         case_id, subprocessor, process, hold_id, reference, at, notice, notice_at, until,
         lifted_at) = row
        until = int(until)
        return cls(id, subject, recipient, recipient_name, rule, kind, purpose or None,
                   tuple(categories), tuple(fields), basis, case_id or None, subprocessor or None,
                   LegalProcess._from_row(process), hold_id or None, reference, int(at),
                   _named(NoticeState, notice), _when(notice_at), until != 0,
                   until if until > 0 else None, _when(lifted_at))


@dataclass(frozen=True)
class Subprocessor:
    """A registered service provider (:meth:`Disclosures.add_subprocessor`).

    Attributes:
        name: unique.
        purpose: the policy purpose it serves.
        categories: the data categories it may receive.
        location: where it processes data, e.g. ``"US"``.
        added_at: Unix seconds.
        retired_at: when it was retired, or ``None`` while in use.
    """

    name: str
    purpose: str
    categories: Tuple[str, ...]
    location: str
    added_at: int
    retired_at: Optional[int]

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Subprocessor":
        name, purpose, categories, location, added_at, retired_at = row
        return cls(name, purpose, tuple(categories), location, int(added_at), _when(retired_at))


@dataclass(frozen=True)
class Transfer:
    """An announced acquisition or merger
    (:meth:`Disclosures.announce_transfer`).

    Attributes:
        id: ``"trf_..."``.
        kind: a :class:`TransferKind` (a str).
        counterparty: the acquiring or merging company.
        effective_at: when data moves (Unix seconds).
        announced_at: Unix seconds.
        notified: how many active accounts were sent a ``transfer_notice``.
    """

    id: str
    kind: Union[TransferKind, str]
    counterparty: str
    effective_at: int
    announced_at: int
    notified: int

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "Transfer":
        id, kind, counterparty, effective_at, announced_at, notified = row
        return cls(id, _named(TransferKind, kind), counterparty, int(effective_at),
                   int(announced_at), int(notified))


@dataclass(frozen=True)
class AggregateCell:
    """One cell of an :class:`AggregateTable`, a margin (the keys of the
    dimensions it sums over are ``"*"``) or the grand total (every key
    ``"*"``).

    Attributes:
        keys: one value per dimension of the table, in order.
        count: the number of records, or ``None`` when suppressed.
        total_minor: billing tables: the amount in minor units, or ``None``
            (suppressed, or not a billing table).
        suppressed: below the table's ``min_count``, or hidden so that no
            suppressed value can be derived from a published total.
    """

    keys: Tuple[str, ...]
    count: Optional[int]
    total_minor: Optional[int]
    suppressed: bool

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "AggregateCell":
        keys, count, total, suppressed = row
        return cls(tuple(keys), _opt_int(count), _opt_int(total), bool(suppressed))


@dataclass(frozen=True)
class AggregateTable:
    """A de-identified count table (:attr:`Vault.aggregates`). No subject
    ids; every count below ``min_count`` is suppressed, and so is any
    value a published total would reveal.

    Attributes:
        name: ``"cases"``, ``"accounts"`` or ``"billing"``.
        dimensions: cases: ``("form_type", "status", "month")``; accounts:
            ``("status", "month")``; billing: ``("month", "billing_state")``.
            Months are UTC ``"YYYY-MM"``.
        currency: billing tables (one per currency): the ISO 4217 code;
            ``None`` for the others.
        min_count: k, the smallest count shown.
        cells: the non-empty cells, sorted by keys.
        margins: one per value of each dimension (the other keys ``"*"``).
        total: the grand total.
        suppressed_primary: cells and margins below k.
        suppressed_complementary: cells suppressed so that none can be
            derived.
    """

    name: str
    dimensions: Tuple[str, ...]
    currency: Optional[str]
    min_count: int
    cells: Tuple[AggregateCell, ...]
    margins: Tuple[AggregateCell, ...]
    total: AggregateCell
    suppressed_primary: int
    suppressed_complementary: int

    def get(self, *keys: str) -> Optional[AggregateCell]:
        """The cell, margin or total with these keys (``"*"`` for a
        dimension summed over), or ``None`` when there is none (an empty
        cell)."""
        k = tuple(keys)
        if k == self.total.keys:
            return self.total
        for c in self.cells:
            if c.keys == k:
                return c
        for c in self.margins:
            if c.keys == k:
                return c
        return None

    @classmethod
    def _from_row(cls, row: Tuple[Any, ...]) -> "AggregateTable":
        (name, dimensions, currency, min_count, cells, margins, total, primary,
         complementary) = row
        return cls(name, tuple(dimensions), currency or None, int(min_count),
                   tuple(AggregateCell._from_row(c) for c in cells),
                   tuple(AggregateCell._from_row(c) for c in margins),
                   AggregateCell._from_row(total), int(primary), int(complementary))

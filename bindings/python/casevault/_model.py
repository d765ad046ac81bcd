"""The records casevault returns: frozen dataclasses built from the native
module's plain tuples."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, NamedTuple, Optional, Tuple

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
    "ACCOUNT_STATUSES",
    "ACCOUNT_FIELDS",
    "CONSENT_ACTIONS",
    "CHANNELS",
    "LEGAL_BASES",
    "DECISION_REASONS",
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

"""The records casevault returns: frozen dataclasses built from the native
module's plain tuples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, NamedTuple, Optional, Tuple

__all__ = [
    "Account",
    "AccountPage",
    "AuditEntry",
    "VerifyResult",
    "Info",
    "KdfParams",
    "ACCOUNT_STATUSES",
    "ACCOUNT_FIELDS",
]

#: The states an account can be in.
ACCOUNT_STATUSES: Tuple[str, ...] = ("active", "cancelled", "closed", "erased")

#: The registration fields of an account, in order.
ACCOUNT_FIELDS: Tuple[str, ...] = ("name", "email", "phone", "address", "company")


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

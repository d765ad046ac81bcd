"""The vault, its accounts and its audit log: thin wrappers over the native
module. The engine does the work and the checks; this module only shapes
arguments and results."""

from __future__ import annotations

import json
import os
from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    Union,
)
from types import TracebackType

from . import _casevault as _native
from ._errors import InvalidArgumentError
from ._model import (
    ACCOUNT_FIELDS,
    AccessVerdict,
    Account,
    AccountPage,
    Action,
    AuditEntry,
    Case,
    CaseDocument,
    CaseStatus,
    ConsentEvent,
    ConsentRequest,
    ConsentState,
    Decision,
    ErasureRequest,
    Info,
    KdfParams,
    Message,
    MessageChannel,
    MessageFields,
    MessagePage,
    Direction,
    Notification,
    Payment,
    PolicyDiff,
    PolicyProblem,
    PolicyVersion,
    Post,
    PostPage,
    Principal,
    PublishResult,
    ReconsentRequest,
    RecordKind,
    RecordRef,
    Role,
    VerifyResult,
)

if TYPE_CHECKING:
    from ._accountability import Aggregates, Disclosures, SubjectRequests
    from ._retention import Activity, Backups, Holds, Requests, Retention

__all__ = [
    "open", "Vault", "Accounts", "Audit", "Policies", "Consents", "Outbox", "engine_versions",
    "lint_policy", "parse_policy", "Principals", "Cases", "Correspondence", "Billing", "Posts",
]

#: A clock: returns the current time as Unix seconds.
Clock = Callable[[], int]
#: A progress callback: ``(phase, done, total)``; return ``False`` to cancel.
Progress = Callable[[str, int, int], Optional[bool]]
#: ``None``, a preset name or ``(opslimit, memlimit_log2)``.
Kdf = Union[None, str, KdfParams, Tuple[int, int]]
PathLike = Union[str, "os.PathLike[str]", "os.PathLike[bytes]", bytes]
#: A policy document: JSON text (str or UTF-8 bytes) or the parsed dict.
PolicyDocument = Union[str, bytes, Mapping[str, Any]]
#: A case questionnaire: the answers as a dict or a list (written as JSON),
#: or JSON text (str or UTF-8 bytes).
Questionnaire = Union[str, bytes, Mapping[str, Any], List[Any], Tuple[Any, ...]]

_KDF_PRESETS = ("interactive", "moderate", "testing")


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _resolve_kdf(kdf: Kdf) -> Optional[Tuple[int, int]]:
    if kdf is None:
        return None
    if isinstance(kdf, str):
        preset = _native.kdf_preset(kdf)
        if preset is None:
            raise InvalidArgumentError(
                "unknown kdf preset; use one of " + ", ".join(repr(p) for p in _KDF_PRESETS))
        return (int(preset[0]), int(preset[1]))
    if (isinstance(kdf, tuple) and len(kdf) == 2
            and all(_is_int(x) and 0 <= x < 2 ** 32 for x in kdf)):
        return (int(kdf[0]), int(kdf[1]))
    raise InvalidArgumentError(
        "kdf must be None, 'interactive', 'moderate', 'testing' or (opslimit, memlimit_log2)")


def _check_callable(name: str, fn: object) -> None:
    if fn is not None and not callable(fn):
        raise TypeError(f"{name} must be callable or None")


def _check_limit(limit: object) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise TypeError("limit must be an int")
    if limit < 1:
        raise InvalidArgumentError("limit must be at least 1")
    return int(limit)


def _policy_text(document: PolicyDocument) -> str:
    """The JSON text of a policy given as text or as a dict."""
    if isinstance(document, str):
        return document
    if isinstance(document, (bytes, bytearray, memoryview)):
        try:
            return bytes(document).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidArgumentError("a policy document must be UTF-8") from None
    if isinstance(document, Mapping):
        try:
            return json.dumps(document, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as e:
            msg = str(e)
        raise InvalidArgumentError(f"the policy dict cannot be written as JSON: {msg}")
    raise TypeError("a policy document must be JSON text (str or bytes) or a dict")


def lint_policy(document: PolicyDocument) -> List[PolicyProblem]:
    """Validate a policy document (docs/policy-format.md) without a store.

    Args:
        document: JSON text, or the document as a dict.

    Returns:
        Every problem found, each with a JSON Pointer ``path``; ``[]`` when
        the document is valid. Malformed JSON is a problem too (path ``""``).
    """
    rows = _call_native(_native.lint_policy, "lint_policy", _policy_text(document))
    return [PolicyProblem(path, message) for path, message in rows]


def parse_policy(document: PolicyDocument) -> PolicyVersion:
    """Validate a policy document and return it parsed (not published:
    ``published_at`` is 0 and ``active`` False).

    Raises PolicyInvalidError, whose ``problems`` lists every problem."""
    return PolicyVersion._from_dict(
        _call_native(_native.parse_policy, "parse_policy", _policy_text(document)))


def engine_versions() -> Dict[str, str]:
    """The versions of the engines in use:
    ``{"casevault": ..., "sqlcipher": ..., "sqlite": ..., "sodium": ...}``.

    Raises NoCodecError if the SQLite in this process cannot encrypt."""
    return dict(_native.engine_versions())


def open(  # noqa: A001 - the package's entry point is casevault.open
    path: PathLike,
    *,
    passphrase: Union[str, bytes, None] = None,
    key: Optional[bytes] = None,
    create: bool = True,
    kdf: Kdf = None,
    actor: str = "host",
    clock: Optional[Clock] = None,
    busy_timeout_ms: int = 5000,
    batch_read_audit: bool = True,
    durable: bool = False,
    progress: Optional[Progress] = None,
) -> "Vault":
    """Open (or create) the encrypted store at ``path``.

    Args:
        path: the store file (str or os.PathLike).
        passphrase: the passphrase (str, used as UTF-8). Give exactly one of
            ``passphrase`` and ``key``.
        key: 32 raw key bytes, e.g. from a KMS.
        create: create the store if it does not exist (else NotFoundError).
        kdf: the Argon2id cost used when the store is created with a
            passphrase: ``None`` (the library default, Argon2id 3 passes over 128 MiB), one of
            ``"interactive"``, ``"moderate"``, ``"testing"`` (tests only,
            never in production), or ``(opslimit, memlimit_log2)``. An
            existing store always opens with its own parameters.
        actor: the principal recorded in the audit entries of this session.
        clock: a callable returning the current time as int Unix seconds;
            default the system clock. If it raises, the operation that asked
            for the time fails and is rolled back, and its exception is
            re-raised.
        busy_timeout_ms: how long to wait for another connection's lock.
        batch_read_audit: True (default) queues the audit entries of reads
            and writes them with the next write, after 256 reads, before the
            log is read and at close (a crash loses the queued entries);
            False writes each read's entry at once.
        durable: True syncs every commit to disk (synchronous=FULL), so a
            power loss cannot undo a committed erasure; False (default) is
            WAL with synchronous=NORMAL.
        progress: called as ``progress("migrate", done, total)`` while schema
            migrations run at open (a new store, or one from an older
            casevault); returning ``False`` cancels (CancelledError, store
            unchanged).

    Returns:
        An open :class:`Vault`; use it as a context manager to close it.

    Raises:
        WrongKeyError, CorruptError, NoCodecError, LockedError, NotFoundError,
        InvalidArgumentError, StoreIOError, UnsupportedError.
    """
    if (passphrase is None) == (key is None):
        raise InvalidArgumentError("give exactly one of passphrase and key")
    _check_callable("clock", clock)
    # The engine gets the file system's bytes, so any path the OS accepts works.
    raw_path = os.fsencode(path)
    p = os.fsdecode(raw_path)
    handle = _call_native(
        _native.Handle.open, "open",
        raw_path, passphrase, key, bool(create), _resolve_kdf(kdf), str(actor), clock,
        int(busy_timeout_ms), bool(batch_read_audit), bool(durable), progress)
    return Vault(_SafeHandle(handle), p)


_WRONG_TYPES = ("incompatible function arguments", "incompatible constructor arguments")


def _call_native(fn: Any, name: str, *args: Any) -> Any:
    """Calls into the engine; a pybind11 argument-type error is replaced.

    pybind11's message repeats every argument ("Invoked with: ..."), which
    would put passphrases, keys and personal data into logs. The replacement
    is raised outside the ``except`` block so the original is not chained.
    """
    try:
        return fn(*args)
    except TypeError as e:
        if not any(w in str(e) for w in _WRONG_TYPES):
            raise
    raise TypeError(f"casevault {name}(): an argument has the wrong type "
                    "(text must be str, without lone surrogates; numbers int; keys bytes)")


class _SafeHandle:
    """The native handle, with argument-type errors sanitised (see _call_native)."""

    __slots__ = ("_h",)

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self._h, name)
        return lambda *args: _call_native(fn, name, *args)


class Vault:
    """An open casevault store. Get one from :func:`casevault.open`.

    A vault may be shared by threads: the engine serialises calls, and the
    GIL is released while it works. Use it as a context manager, or call
    :meth:`close`; calls after close raise ClosedError.
    """

    def __init__(self, handle: "_native.Handle", path: str) -> None:
        """Internal: use :func:`casevault.open`."""
        self._h = handle
        self._path = path
        self._accounts = Accounts(handle)
        self._audit = Audit(handle)
        self._policy = Policies(handle)
        self._consents = Consents(handle)
        self._outbox = Outbox(handle)
        self._principals = Principals(handle)
        self._cases = Cases(handle)
        self._correspondence = Correspondence(handle)
        self._billing = Billing(handle)
        self._posts = Posts(handle)
        # _retention imports this module's helpers, so it is imported here.
        from ._retention import Activity, Backups, Holds, Requests, Retention
        self._activity = Activity(handle)
        self._requests = Requests(handle)
        self._holds = Holds(handle)
        self._retention = Retention(handle)
        self._backups = Backups(handle)
        from ._accountability import Aggregates, Disclosures, SubjectRequests
        self._subject_requests = SubjectRequests(handle)
        self._disclosures = Disclosures(handle)
        self._aggregates = Aggregates(handle)

    @property
    def path(self) -> str:
        """The store file, as given to :func:`casevault.open`."""
        return self._path

    @property
    def closed(self) -> bool:
        """True once the vault has been closed."""
        return not self._h.is_open()

    @property
    def accounts(self) -> "Accounts":
        """The accounts of this vault."""
        return self._accounts

    @property
    def audit(self) -> "Audit":
        """The audit log of this vault."""
        return self._audit

    @property
    def policy(self) -> "Policies":
        """The published privacy policy versions of this vault."""
        return self._policy

    @property
    def consents(self) -> "Consents":
        """The consent ledger of this vault."""
        return self._consents

    @property
    def outbox(self) -> "Outbox":
        """The notifications this vault asks the host to deliver."""
        return self._outbox

    @property
    def principals(self) -> "Principals":
        """The registered principals (team members, support, system, agencies)."""
        return self._principals

    @property
    def cases(self) -> "Cases":
        """The immigration cases of this vault."""
        return self._cases

    @property
    def correspondence(self) -> "Correspondence":
        """Messages, calls and survey responses."""
        return self._correspondence

    @property
    def billing(self) -> "Billing":
        """Payment records."""
        return self._billing

    @property
    def posts(self) -> "Posts":
        """Message-board posts."""
        return self._posts

    @property
    def activity(self) -> "Activity":
        """Qualifying activity, which keeps an account active (retention)."""
        return self._activity

    @property
    def requests(self) -> "Requests":
        """Cancel and delete requests, and inbound email / WhatsApp commands."""
        return self._requests

    @property
    def holds(self) -> "Holds":
        """Legal holds (preservation requests)."""
        return self._holds

    @property
    def retention(self) -> "Retention":
        """The retention sweep and its deletion receipts."""
        return self._retention

    @property
    def backups(self) -> "Backups":
        """Backups of the store, restored with erasure replay."""
        return self._backups

    @property
    def subject_requests(self) -> "SubjectRequests":
        """What a person asks about their own data: export, rectify, erase."""
        return self._subject_requests

    @property
    def disclosures(self) -> "Disclosures":
        """Disclosures to third parties, subprocessors and transfer notices."""
        return self._disclosures

    @property
    def aggregates(self) -> "Aggregates":
        """De-identified counts with small-cell suppression."""
        return self._aggregates

    def can(self, actor: str, action: Union[Action, str],
            kind: Union[RecordKind, str, RecordRef], record_id: Optional[str] = None
            ) -> AccessVerdict:
        """May ``actor`` do ``action`` to this record now, under the active
        policy?

        The same decision every call of :attr:`cases`, :attr:`correspondence`,
        :attr:`billing` and :attr:`posts` makes, for hosts to check before
        they render. Call it as ``can(actor, "read", "case", case_id)`` or
        ``can(actor, "read", RecordRef("case", case_id))``.

        An unknown or disabled actor, a role the policy lacks, a missing
        grant are denials (``verdict.rule`` says which, one of
        :data:`ACCESS_DENIAL_RULES`), not errors. Denials are audited
        (action ``"access.denied"``).

        Raises:
            NotFoundError: the record does not exist.
            InvalidArgumentError: a malformed id, an unknown action or kind.
        """
        if isinstance(kind, RecordRef):
            if record_id is not None:
                raise TypeError("can(): give a RecordRef or a kind and a record id, not both")
            ref = kind
        elif record_id is None:
            raise TypeError("can(): the record id is missing")
        else:
            ref = RecordRef(kind, record_id)
        return AccessVerdict._from_row(
            self._h.can(actor, _name(action), _name(ref.kind), ref.id))

    def may_process(self, subject: str, purpose: str, scope: str = "") -> Decision:
        """May this person's data be processed for this purpose now?

        Decided under the active policy from the consent ledger and the
        account's state. An unknown subject or purpose is a denial with its
        reason, not an error (InvalidArgumentError only for a malformed id
        or scope). Denials are audited (action ``"consent.decision"``,
        outcome ``"denied"``).

        Args:
            subject: an account id.
            purpose: a purpose id of the active policy.
            scope: ``""``, or the record id / category a scoped grant names
                (a grant for exactly this scope wins over a whole-purpose one).
        """
        return Decision._from_row(self._h.may_process(subject, purpose, scope))

    def close(self) -> None:
        """Close the store and wipe its keys. Safe to call twice."""
        self._h.close()

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<casevault.Vault path={self._path!r} {state}>"

    def info(self) -> Info:
        """Versions, key mode and counts of this store."""
        return Info._from_dict(self._h.info())

    def check_integrity(self) -> int:
        """Read and authenticate every page in use (tables and indexes).

        Returns the number of pages in the store. Raises CorruptError naming
        the first damaged or tampered page. The audit chain is checked by
        :meth:`Audit.verify`.
        """
        return int(self._h.check_integrity())

    def change_passphrase(self, new_passphrase: Union[str, bytes], *, kdf: Kdf = None,
                          progress: Optional[Progress] = None) -> None:
        """Re-encrypt the store under a new passphrase (a new master key).

        The old secret stops working. The work is done in a new file that
        replaces the old one only when complete.

        Args:
            new_passphrase: the new passphrase.
            kdf: its Argon2id cost (see :func:`open`); ``None`` keeps the
                store's current cost (the default cost if the store was
                opened with a raw key).
            progress: called as ``progress(phase, done, total)`` while the
                work goes on (``phase`` is a str such as ``"copy"``). Return
                ``False`` (or anything false but ``None``) to cancel:
                CancelledError is raised and the store is left as it was.
                If the callback raises, the operation is cancelled the same
                way and the callback's exception is re-raised instead of
                CancelledError.
        """
        _check_callable("progress", progress)
        self._h.change_passphrase(new_passphrase, _resolve_kdf(kdf), progress)

    def change_key(self, new_key: bytes, *, progress: Optional[Progress] = None) -> None:
        """Re-encrypt the store under a new raw key (32 bytes).

        ``progress`` works as in :meth:`change_passphrase`."""
        _check_callable("progress", progress)
        self._h.change_key(new_key, progress)


_FieldsRow = Tuple[str, Optional[str], Optional[str], Optional[str], Optional[str]]


def _row(fields: Mapping[str, Any], where: str) -> _FieldsRow:
    if not isinstance(fields, Mapping):
        raise TypeError(f"{where}: expected a dict of account fields")
    unknown = set(fields) - set(ACCOUNT_FIELDS)
    if unknown:
        raise InvalidArgumentError(
            f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}; "
            f"known: {', '.join(ACCOUNT_FIELDS)}")
    name = fields.get("name")
    if name is None:
        raise InvalidArgumentError(f"{where}: name is required")
    email, phone, address, company = (fields.get(f) for f in ACCOUNT_FIELDS[1:])
    return (name, email, phone, address, company)


class Accounts:
    """The accounts of a vault: ``vault.accounts``.

    Every call is one transaction and appends its audit entries in that
    transaction. Errors: InvalidArgumentError (bad field), DuplicateError
    (email or phone taken by another account), NotFoundError (no such id).
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def create(self, name: str, email: Optional[str] = None, phone: Optional[str] = None,
               address: Optional[str] = None, company: Optional[str] = None) -> Account:
        """Register a data subject. ``name`` and at least one of ``email``
        and ``phone`` are required; a phone number carries its country code
        (``"+1 332 555 0101"``)."""
        return Account._from_row(self._h.accounts_create((name, email, phone, address, company)))

    def create_many(self, batch: Iterable[Mapping[str, Any]]) -> List[Account]:
        """Create several accounts in one transaction: all or none.

        ``batch`` is an iterable of dicts with the keys of :meth:`create`."""
        rows = [_row(f, f"batch[{i}]") for i, f in enumerate(batch)]
        return [Account._from_row(r) for r in self._h.accounts_create_many(rows)]

    def get(self, id: str) -> Account:
        """The account with this id (NotFoundError if none). An erased
        account is returned with status ``"erased"`` and no personal data."""
        return Account._from_row(self._h.accounts_get(id))

    def find(self, *, email: Optional[str] = None, phone: Optional[str] = None) -> Optional[Account]:
        """The account with this email or phone (exactly one of the two),
        or ``None``. The value is normalised first, so ``" ANA@example.com"``
        finds ``"ana@example.com"``."""
        if (email is None) == (phone is None):
            raise InvalidArgumentError("give exactly one of email and phone")
        if email is not None:
            row = self._h.accounts_find_by_email(email)
        elif phone is not None:
            row = self._h.accounts_find_by_phone(phone)
        return None if row is None else Account._from_row(row)

    def update(self, id: str, *, name: Optional[str] = None, email: Optional[str] = None,
               phone: Optional[str] = None, address: Optional[str] = None,
               company: Optional[str] = None) -> Account:
        """Rectify an account: only the fields given (not ``None``) change;
        ``""`` clears a field (``name`` cannot be cleared). The old values
        are overwritten, not kept. An erased account cannot be updated."""
        return Account._from_row(
            self._h.accounts_update(id, name, email, phone, address, company))

    def set_status(self, id: str, status: str) -> Account:
        """Move an account between ``"active"``, ``"cancelled"`` and
        ``"closed"``. (``"erased"`` is reached only through :meth:`erase`.)"""
        return Account._from_row(self._h.accounts_set_status(id, status))

    def list(self, *, after: Optional[str] = None, limit: int = 100,
             status: Optional[str] = None) -> AccountPage:
        """One page of accounts, by id. Pass the page's ``next_cursor`` as
        ``after`` for the next one. ``limit`` is 1..10000."""
        items, cursor = self._h.accounts_list(after or "", _check_limit(limit), status)
        return AccountPage([Account._from_row(r) for r in items], cursor or None)

    def iter(self, *, status: Optional[str] = None, page_size: int = 500) -> Iterator[Account]:
        """Every account (or every account in ``status``), page by page."""
        after: Optional[str] = None
        while True:
            page = self.list(after=after, limit=page_size, status=status)
            yield from page.items
            if page.next_cursor is None:
                return
            after = page.next_cursor

    def __iter__(self) -> Iterator[Account]:
        return self.iter()

    def count(self, status: Optional[str] = None) -> int:
        """How many accounts there are (in ``status``, if given)."""
        return int(self._h.accounts_count(status))

    def erase(self, id: str) -> None:
        """Crypto-shred an account: its sealed fields and its data key are
        destroyed, leaving a tombstone with status ``"erased"``. Erasing an
        erased account succeeds and does nothing."""
        self._h.accounts_erase(id)


class Audit:
    """The tamper-evident audit log of a vault: ``vault.audit``."""

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def read(self, *, subject: Optional[str] = None, actor: Optional[str] = None,
             action: Optional[str] = None, since: Optional[int] = None,
             until: Optional[int] = None, after_seq: int = 0,
             limit: int = 1000) -> List[AuditEntry]:
        """Entries in ``seq`` order, filtered.

        Args:
            subject: only entries about this data subject (an account id).
            actor: only entries by this actor.
            action: an exact action (``"account.create"``) or a prefix
                ending in ``"."`` (``"account."``).
            since: only entries with ``at >= since`` (Unix seconds).
            until: only entries with ``at < until``.
            after_seq: paging: only entries with ``seq > after_seq``.
            limit: at most this many (1..100000).
        """
        rows = self._h.audit_read(subject, actor, action, since, until, int(after_seq),
                                  _check_limit(limit))
        return [AuditEntry._from_row(r) for r in rows]

    def iter(self, *, page_size: int = 1000, **filters: Any) -> Iterator[AuditEntry]:
        """Every entry matching the filters of :meth:`read`, page by page."""
        after_seq = int(filters.pop("after_seq", 0))
        while True:
            page = self.read(after_seq=after_seq, limit=page_size, **filters)
            yield from page
            if len(page) < page_size:
                return
            after_seq = page[-1].seq

    def verify(self, expected_head: Optional[str] = None) -> VerifyResult:
        """Recompute the keyed hash chain. With ``expected_head`` (a
        :attr:`VerifyResult.head` recorded earlier), also check that the
        chain still contains it, which detects a truncated tail."""
        return VerifyResult._from_row(self._h.audit_verify(expected_head))


class Policies:
    """The privacy policy versions of a vault: ``vault.policy``.

    A store keeps every published version; the latest is active and decides
    :meth:`Vault.may_process`.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def publish(self, document: PolicyDocument, *,
                progress: Optional[Progress] = None) -> PublishResult:
        """Validate a document and publish it as the new active version.

        Grants of the purposes it marks ``requires_fresh_consent`` stop
        counting: each holder is asked to consent again (a
        ``reconsent_required`` notification in :attr:`Vault.outbox`).

        Args:
            document: JSON text, or the document as a dict.
            progress: called as ``progress("reconsent", done, total)``;
                return ``False`` to cancel (CancelledError, nothing changed).

        Raises:
            PolicyInvalidError: the document does not validate (``problems``
                lists every problem); nothing changed.
            InvalidArgumentError: its ``metadata.version`` is not greater
                than the active version's; nothing changed.
        """
        _check_callable("progress", progress)
        return PublishResult._from_dict(self._h.policy_publish(_policy_text(document), progress))

    def active(self) -> Optional[PolicyVersion]:
        """The active version, or ``None`` before the first publish."""
        d = self._h.policy_active()
        return None if d is None else PolicyVersion._from_dict(d)

    def get(self, version: int) -> PolicyVersion:
        """A published version (NotFoundError if the store has none such)."""
        return PolicyVersion._from_dict(self._h.policy_get(version))

    def list(self) -> List[PolicyVersion]:
        """Every published version, oldest first, without ``document``."""
        return [PolicyVersion._from_dict(d) for d in self._h.policy_list()]

    def diff(self, from_: int, to: int) -> PolicyDiff:
        """What changed from version ``from_`` to version ``to`` (both
        published; NotFoundError otherwise)."""
        return PolicyDiff._from_dict(self._h.policy_diff(from_, to))


_RequestRow = Tuple[str, str, str, str, str, str, Optional[int]]
_REQUEST_KEYS = ("subject", "purpose", "action", "channel", "scope", "evidence", "expires_at")


def _request_row(request: Union[ConsentRequest, Mapping[str, Any]], where: str) -> _RequestRow:
    if isinstance(request, ConsentRequest):
        r = request
    elif isinstance(request, Mapping):
        unknown = set(request) - set(_REQUEST_KEYS)
        if unknown:
            raise InvalidArgumentError(
                f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                f"known: {', '.join(_REQUEST_KEYS)}")
        missing = [k for k in ("subject", "purpose") if request.get(k) is None]
        if missing:
            raise InvalidArgumentError(f"{where}: {' and '.join(missing)} required")
        r = ConsentRequest(**request)
    else:
        raise TypeError(f"{where}: expected a ConsentRequest or a dict")
    return (r.subject, r.purpose, r.action, r.channel, r.scope, r.evidence, r.expires_at)


class Consents:
    """The consent ledger of a vault: ``vault.consents``.

    An append-only record of what each person consented to, under which
    policy version and through which channel. Actions and channels are
    plain strings (:data:`CONSENT_ACTIONS`, :data:`CHANNELS`); an unknown one
    raises InvalidArgumentError. Every write is one transaction; a failed
    call changes nothing.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def record(self, subject: str, purpose: str, action: str = "granted", channel: str = "web",
               scope: str = "", evidence: str = "",
               expires_at: Optional[int] = None) -> ConsentEvent:
        """Append one event to the ledger.

        Args:
            subject: an account id.
            purpose: a purpose id of the active policy.
            action: ``"granted"``, ``"withdrawn"`` or ``"declined"``.
            channel: ``"web"``, ``"email"``, ``"whatsapp"``, ``"phone"`` or
                ``"api"`` (the policy may accept fewer).
            scope: ``""`` (the whole purpose) or the record id / category the
                grant is limited to.
            evidence: a reference to the proof (sealed in the store).
            expires_at: grants only: Unix seconds in the future; the
                purpose's ``consent_max_duration`` caps it.

        Declining a purpose marked ``on_decline: close_and_erase`` closes the
        account and records an erasure request (:meth:`erasure_requests`).

        Raises:
            InvalidArgumentError: no policy, unknown purpose, a purpose whose
                legal basis needs no consent, withdrawing what is not
                granted, an erased account, an expiry in the past, a
                channel the policy does not accept, a malformed id.
            NotFoundError: no such account.
        """
        return ConsentEvent._from_row(self._h.consent_record(
            (subject, purpose, action, channel, scope, evidence, expires_at)))

    def grant(self, subject: str, purpose: str, *, channel: str = "web", scope: str = "",
              evidence: str = "", expires_at: Optional[int] = None) -> ConsentEvent:
        """:meth:`record` with ``action="granted"``."""
        return self.record(subject, purpose, "granted", channel, scope, evidence, expires_at)

    def withdraw(self, subject: str, purpose: str, *, channel: str = "web", scope: str = "",
                 evidence: str = "") -> ConsentEvent:
        """:meth:`record` with ``action="withdrawn"``. For a
        ``legitimate_interest`` purpose this records an objection."""
        return self.record(subject, purpose, "withdrawn", channel, scope, evidence)

    def decline(self, subject: str, purpose: str, *, channel: str = "web", scope: str = "",
                evidence: str = "") -> ConsentEvent:
        """:meth:`record` with ``action="declined"``."""
        return self.record(subject, purpose, "declined", channel, scope, evidence)

    def record_many(self, batch: Iterable[Union[ConsentRequest, Mapping[str, Any]]]
                    ) -> List[ConsentEvent]:
        """Append several events in one transaction: all or none.

        ``batch`` holds :class:`ConsentRequest` objects or dicts with the
        keys of :meth:`record` (``subject`` and ``purpose`` required)."""
        rows = [_request_row(r, f"batch[{i}]") for i, r in enumerate(batch)]
        return [ConsentEvent._from_row(r) for r in self._h.consent_record_many(rows)]

    def may_process(self, subject: str, purpose: str, scope: str = "") -> Decision:
        """The same as :meth:`Vault.may_process`."""
        return Decision._from_row(self._h.may_process(subject, purpose, scope))

    def history(self, subject: str) -> List[ConsentEvent]:
        """Every event of an account, oldest first (NotFoundError if no
        such account; InvalidArgumentError if it was erased: its history
        went with it)."""
        return [ConsentEvent._from_row(r) for r in self._h.consent_history(subject)]

    def state(self, subject: str) -> List[ConsentState]:
        """The current state of each (purpose, scope) of an account."""
        return [ConsentState._from_row(r) for r in self._h.consent_state(subject)]

    def receipts(self, subject: str) -> List[Dict[str, Any]]:
        """Kantara Consent Receipt v1.1 documents, one per grant, as dicts
        (``version``, ``jurisdiction``, ``consentTimestamp``,
        ``collectionMethod``, ``consentReceiptID``, ``piiPrincipalId``,
        ``policyUrl``, ``services``, ...)."""
        return list(json.loads(self._h.consent_receipts(subject)))

    def subscribe(self, subject: str, subscription: str, channel: str = "web",
                  evidence: str = "") -> ConsentEvent:
        """Subscribe to one of the policy's ``subscriptions``: a grant of its
        purpose."""
        return ConsentEvent._from_row(
            self._h.consent_subscribe(subject, subscription, True, channel, evidence))

    def unsubscribe(self, subject: str, subscription: str, channel: str = "web",
                    evidence: str = "") -> ConsentEvent:
        """Unsubscribe: a withdrawal of the subscription's purpose
        (InvalidArgumentError if not subscribed)."""
        return ConsentEvent._from_row(
            self._h.consent_subscribe(subject, subscription, False, channel, evidence))

    def subscriptions(self, subject: str) -> List[str]:
        """The ids of the subscriptions an account holds now."""
        return list(self._h.consent_subscriptions(subject))

    def record_visitor(self, visitor_id: str, category: str, action: str = "granted",
                       channel: str = "web") -> ConsentEvent:
        """Record an anonymous visitor's cookie consent for one of the
        policy's ``visitors.cookie_categories``. Only a keyed digest of
        ``visitor_id`` is stored; a grant expires after the category's
        ``expiry``."""
        return ConsentEvent._from_row(
            self._h.consent_record_visitor(visitor_id, category, action, channel))

    def visitor_may(self, visitor_id: str, category: str) -> Decision:
        """May this visitor's data be used for this cookie category now?"""
        return Decision._from_row(self._h.consent_visitor_may(visitor_id, category))

    def pending_reconsent(self, limit: int = 1000) -> List[ReconsentRequest]:
        """People asked to consent again who have not yet answered."""
        return [ReconsentRequest._from_row(r)
                for r in self._h.consent_pending_reconsent(_check_limit(limit))]

    def erasure_requests(self, subject: Optional[str] = None) -> List[ErasureRequest]:
        """Recorded erasure requests (of one account, if given)."""
        return [ErasureRequest._from_row(r)
                for r in self._h.consent_erasure_requests(subject or "")]


def _notification_id(x: Any) -> int:
    if isinstance(x, Notification):
        return x.id
    if _is_int(x):
        return int(x)
    raise TypeError("ack() takes notification ids (int) or Notification objects")


class Outbox:
    """The notification outbox of a vault: ``vault.outbox``.

    Poll, deliver, then acknowledge: delivery is at-least-once, and an
    acknowledged notification is never returned again. Payloads hold ids and
    policy facts, never personal data.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def poll(self, limit: int = 100, lease_seconds: int = 300) -> List[Notification]:
        """Up to ``limit`` (1..10000) unacknowledged notifications, oldest
        first, leased for ``lease_seconds`` (1 s .. 7 days): until the lease
        runs out they are not handed out again; after it, they are."""
        rows = self._h.outbox_poll(_check_limit(limit), lease_seconds)
        return [Notification._from_row(r) for r in rows]

    def ack(self, ids: Union[int, Notification, Iterable[Union[int, Notification]]]) -> int:
        """Acknowledge delivery of notifications (ids or the Notification
        objects themselves); they are deleted. Returns how many were pending
        (unknown or already acknowledged ids are skipped)."""
        if isinstance(ids, (int, Notification)):
            return int(self._h.outbox_ack([_notification_id(ids)]))
        return int(self._h.outbox_ack([_notification_id(x) for x in ids]))

    def pending(self) -> int:
        """How many notifications are not yet acknowledged."""
        return int(self._h.outbox_pending())


# ---- team access and records ------------------------------------------------------


def _name(x: Any) -> Any:
    """An engine name from an enum member or a str (other types are left
    for the native layer to refuse with a TypeError)."""
    return x.value if isinstance(x, Enum) else x


def _time(at: Optional[int]) -> Any:
    """``None`` means now (0 for the engine)."""
    return 0 if at is None else at


def _json_text(value: Optional[Questionnaire], where: str) -> Optional[str]:
    """JSON text for a value given as text or as parsed JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidArgumentError(f"{where} is not valid UTF-8") from None
    if isinstance(value, (Mapping, list, tuple)):
        try:
            return json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as e:
            # json's messages name types, never values.
            msg = type(e).__name__ if isinstance(e, RecursionError) else str(e)
        raise InvalidArgumentError(f"{where} cannot be written as JSON: {msg}")
    raise TypeError(f"{where} must be a dict, a list or JSON text")


class Principals:
    """The principals of a vault: ``vault.principals``.

    Team members (attorneys, staff), support, the system and agencies act
    under the policy's roles; a data subject acts as itself (its account id
    is its principal id). Registering and disabling principals is the
    host's administration (the ``actor`` given to :func:`open` is
    recorded); it reveals no personal data.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def add(self, role: Union[Role, str]) -> Principal:
        """Register a new principal with ``role`` (a :class:`Role` or its
        name; not ``"subject"``: InvalidArgumentError)."""
        return Principal._from_row(self._h.principals_add(_name(role)))

    def get(self, id: str) -> Principal:
        """A registered principal, or a live account as a subject
        (NotFoundError if neither)."""
        return Principal._from_row(self._h.principals_get(id))

    def list(self) -> List[Principal]:
        """Every registered principal (accounts are not listed)."""
        return [Principal._from_row(r) for r in self._h.principals_list()]

    def disable(self, id: str) -> None:
        """Disable a principal: it is then denied everything
        (``"actor_disabled"``); its case assignments are kept for the
        record. Disabling twice does nothing."""
        self._h.principals_disable(id)


class Cases:
    """The immigration cases of a vault: ``vault.cases``.

    Every call that returns or changes a case takes the acting principal
    first (``actor``: a principal id, or an account id for the subject
    itself) and is checked against the active policy's roles; a refusal
    raises AccessDeniedError (its ``rule`` says why) and is audited. Each
    call is one transaction with its audit entries.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def open(self, actor: str, subject: str, form_type: str, *,
             receipt_number: Optional[str] = None,
             questionnaire: Optional[Questionnaire] = None) -> Case:
        """Open a case for ``subject`` (an active account).

        Allowed to the subject itself and to a role with an ``assigned``
        write grant on cases, which is then assigned to the new case.

        Args:
            actor: who acts.
            subject: the account the case belongs to.
            form_type: a USCIS / DOS form such as ``"I-130"``, ``"N-400"``,
                ``"DS-160"`` (upper-cased).
            receipt_number: the USCIS receipt number (``"EAC2190012345"``;
                case, spaces and dashes are normalised), or ``None`` before
                filing.
            questionnaire: the answers, as a dict or list (written as JSON)
                or JSON text; at most 1 MiB; returned parsed.

        Raises:
            InvalidArgumentError: a malformed receipt number or form type,
                a questionnaire that is not a JSON object or array, a card
                number in it.
            DuplicateError: a case already tracks this receipt number.
            NotFoundError: no such account.
            AccessDeniedError: the actor may not.
        """
        return Case._from_row(self._h.cases_open(
            actor, subject, receipt_number, form_type, _json_text(questionnaire, "questionnaire")))

    def get(self, actor: str, case_id: str) -> Case:
        """The case with this id (NotFoundError if none)."""
        return Case._from_row(self._h.cases_get(actor, case_id))

    def list(self, actor: str, subject: str) -> List[Case]:
        """The subject's cases that the actor may read, in id order
        (creation order to the millisecond); the others are left out, not
        refused."""
        return [Case._from_row(r) for r in self._h.cases_list(actor, subject)]

    def find_by_receipt(self, actor: str, receipt_number: str) -> Optional[Case]:
        """The case with this receipt number (found through its blind
        index; normalised first), or ``None``: also when that case is one
        the actor may not read, so a refusal does not say the number is
        tracked (it is audited as ``access.denied``)."""
        row = self._h.cases_find_by_receipt(actor, receipt_number)
        return None if row is None else Case._from_row(row)

    def update(self, actor: str, case_id: str, *, receipt_number: Optional[str] = None,
               form_type: Optional[str] = None,
               questionnaire: Optional[Questionnaire] = None) -> Case:
        """Change a case: only the fields given (not ``None``) change;
        ``receipt_number=""`` or ``questionnaire=""`` removes it."""
        return Case._from_row(self._h.cases_update(
            actor, case_id, receipt_number, form_type, _json_text(questionnaire, "questionnaire")))

    def add_status(self, actor: str, case_id: str, status: str, source: str, *,
                   at: Optional[int] = None, detail: Optional[str] = None) -> CaseStatus:
        """Append a step to the case's history.

        Args:
            status: a short label (``"received"``, ``"rfe_sent"``,
                ``"approved"``: lower-case letters, digits and ``_``).
            source: where it came from (``"uscis"``, ``"manual"``, ...).
            at: Unix seconds; ``None`` for now. The case's latest status is
                the step with the latest time (ties: the one added last).
            detail: optional free text (at most 4 KiB).
        """
        return CaseStatus._from_row(
            self._h.cases_add_status(actor, case_id, status, _time(at), source, detail))

    def history(self, actor: str, case_id: str) -> List[CaseStatus]:
        """Every step of the case, oldest first."""
        return [CaseStatus._from_row(r) for r in self._h.cases_history(actor, case_id)]

    def add_document(self, actor: str, case_id: str, *, name: str, kind: str, size: int,
                     sha256: str) -> CaseDocument:
        """Record a document's metadata (the bytes stay with the host).

        Args:
            name: the file name (at most 255 bytes; sealed).
            kind: a label such as ``"passport"`` or ``"birth_certificate"``.
            size: in bytes.
            sha256: the hex digest of the bytes.
        """
        return CaseDocument._from_row(
            self._h.cases_add_document(actor, case_id, name, kind, size, sha256))

    def documents(self, actor: str, case_id: str) -> List[CaseDocument]:
        """The documents of a case."""
        return [CaseDocument._from_row(r) for r in self._h.cases_documents(actor, case_id)]

    def remove_document(self, actor: str, document_id: str) -> None:
        """Remove a document's metadata (the ``erase`` action)."""
        self._h.cases_remove_document(actor, document_id)

    def assign(self, case_id: str, principal: str) -> None:
        """Assign an active attorney or staff principal to a case (the
        host's administration: no actor). Assigning twice does nothing."""
        self._h.cases_assign(case_id, principal)

    def unassign(self, case_id: str, principal: str) -> None:
        """Take a principal off a case. Unassigning what is not assigned
        does nothing."""
        self._h.cases_unassign(case_id, principal)

    def assignees(self, case_id: str) -> List[str]:
        """The ids of the principals assigned to a case."""
        return list(self._h.cases_assignees(case_id))


_MessageRow = Tuple[str, Optional[str], str, str, int, Optional[str], str, Optional[str]]
_MESSAGE_KEYS = ("subject", "body", "channel", "direction", "case_id", "at", "subject_line",
                 "sender")


def _message_row(m: MessageFields) -> _MessageRow:
    return (m.subject, m.case_id, _name(m.channel), _name(m.direction), _time(m.at),
            m.subject_line, m.body, m.sender)


def _message_fields(item: Union[MessageFields, Mapping[str, Any]], where: str) -> MessageFields:
    if isinstance(item, MessageFields):
        return item
    if not isinstance(item, Mapping):
        raise TypeError(f"{where}: expected a MessageFields or a dict")
    unknown = set(item) - set(_MESSAGE_KEYS)
    if unknown:
        raise InvalidArgumentError(
            f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
            f"known: {', '.join(_MESSAGE_KEYS)}")
    if item.get("body") is None:
        raise InvalidArgumentError(f"{where}: body is required")
    values = dict(item)
    values.setdefault("subject", "")
    if values["subject"] is None:
        values["subject"] = ""
    return MessageFields(**values)


class Correspondence:
    """Messages and calls with data subjects, and survey responses:
    ``vault.correspondence``.

    The subject line, body and sender are sealed under the subject's data
    key. Actor first, checked as in :class:`Cases`. Recording an inbound
    message counts as the subject's ``message`` activity (retention).
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def record(self, actor: str, subject: Optional[str] = None, *, body: str,
               channel: Union[MessageChannel, str] = MessageChannel.EMAIL,
               direction: Union[Direction, str] = Direction.INBOUND,
               case_id: Optional[str] = None, at: Optional[int] = None,
               subject_line: Optional[str] = None, sender: Optional[str] = None) -> Message:
        """Record one message.

        Args:
            actor: who acts.
            subject: the account; ``None`` on an inbound message to find it
                from ``sender`` (its registered email or phone;
                NotFoundError when none matches, and also when the match is
                an account the actor may not write to: audited as
                ``access.denied``).
            body: the text or a call's notes (at most 1 MiB).
            channel: ``"email"``, ``"whatsapp"``, ``"phone"``,
                ``"web_form"`` or ``"survey"``.
            direction: ``"inbound"`` or ``"outbound"``.
            case_id: the case it is about.
            at: when it was sent (Unix seconds); ``None`` for now.
            subject_line: at most 1000 bytes.
            sender: an email address or a phone number with its country
                code; required on inbound email and WhatsApp.

        Raises:
            InvalidArgumentError: a bad field (a card number in any of them
                is refused, naming the field but not the number).
            NotFoundError: no such account or case.
            AccessDeniedError: the actor may not.
        """
        fields = MessageFields(subject or "", body, channel, direction, case_id, at,
                               subject_line, sender)
        return Message._from_row(self._h.correspondence_record(actor, _message_row(fields)))

    def record_many(self, actor: str,
                    batch: Iterable[Union[MessageFields, Mapping[str, Any]]]) -> List[Message]:
        """Record several messages in one transaction: all or none (the
        fast way to import). ``batch`` holds :class:`MessageFields` or dicts
        with the keys of :meth:`record` (``body`` required)."""
        rows = [_message_row(_message_fields(m, f"batch[{i}]")) for i, m in enumerate(batch)]
        return [Message._from_row(r) for r in self._h.correspondence_record_many(actor, rows)]

    def get(self, actor: str, message_id: str) -> Message:
        """The message with this id (NotFoundError if none)."""
        return Message._from_row(self._h.correspondence_get(actor, message_id))

    def list(self, actor: str, subject: str, *, after: Optional[str] = None, limit: int = 100,
             case_id: Optional[str] = None) -> MessagePage:
        """One page of a subject's messages (only the case's, if given).
        Pass the page's ``next_cursor`` as ``after`` for the next one;
        ``limit`` is 1..10000."""
        items, cursor = self._h.correspondence_list(actor, subject, after or "", _check_limit(limit),
                                                    case_id)
        return MessagePage([Message._from_row(r) for r in items], cursor or None)

    def iter(self, actor: str, subject: str, *, case_id: Optional[str] = None,
             page_size: int = 500) -> Iterator[Message]:
        """Every message of a subject (of one case, if given), page by page."""
        after: Optional[str] = None
        while True:
            page = self.list(actor, subject, after=after, limit=page_size, case_id=case_id)
            yield from page.items
            if page.next_cursor is None:
                return
            after = page.next_cursor

    def match_sender(self, actor: str, sender: str) -> Optional[str]:
        """The id of the account whose email or phone is ``sender``, if the
        actor may write that account's correspondence; ``None`` when none
        matches or the actor may not (that refusal is audited)."""
        found = self._h.correspondence_match_sender(actor, sender)
        return None if found is None else str(found)


class Billing:
    """Payment records: ``vault.billing``.

    Never a full card number: one (13-19 digits passing the Luhn check) in
    any field is refused with InvalidArgumentError naming the field, not the
    number. The billing address and processor reference are sealed; amount,
    currency, brand, time and the recurring flag are kept in the clear for
    accounting. Actor first, checked as in :class:`Cases`.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def record(self, actor: str, subject: str, *, amount_minor: int, currency: str,
               card_brand: str, last4: str, paid_at: Optional[int] = None,
               billing_address: Optional[str] = None, processor_ref: Optional[str] = None,
               recurring: bool = False, billing_state: Optional[str] = None,
               tax_exemption: Optional[str] = None) -> Payment:
        """Record a payment.

        Args:
            subject: the account.
            amount_minor: in the currency's minor unit (cents), > 0.
            currency: ISO 4217 letters (``"USD"``).
            card_brand: one of :data:`CARD_BRANDS`.
            last4: exactly four digits.
            paid_at: Unix seconds; ``None`` for now.
            billing_address, processor_ref: optional.
            recurring: part of a recurring payment.
            billing_state: the US state (or territory) of the billing
                address, two letters (``"NY"``); kept in the clear for the
                billing aggregates. ``None`` when unknown.
            tax_exemption: e.g. an exemption certificate id (sealed).
        """
        return Payment._from_row(self._h.billing_record(actor, (
            subject, amount_minor, currency, _time(paid_at), card_brand, last4, billing_address,
            processor_ref, recurring, billing_state or "", tax_exemption)))

    def get(self, actor: str, payment_id: str) -> Payment:
        """The payment with this id (NotFoundError if none)."""
        return Payment._from_row(self._h.billing_get(actor, payment_id))

    def list(self, actor: str, subject: str) -> List[Payment]:
        """A subject's payments, in id order (creation order to the
        millisecond)."""
        return [Payment._from_row(r) for r in self._h.billing_list(actor, subject)]


class Posts:
    """Message-board posts: ``vault.posts``.

    Public content written by an account, stored as such (not sealed). When
    the author is erased, the policy decides: its posts are deleted, or
    kept with ``author`` ``None`` (a retention rule with action
    ``anonymize`` on a ``public`` category). Actor first, checked as in
    :class:`Cases`.
    """

    def __init__(self, handle: "_native.Handle") -> None:
        self._h = handle

    def publish(self, actor: str, title: str, body: str, *,
                author: Optional[str] = None) -> Post:
        """Publish a post by ``author``. It defaults to the actor, which suits
        a subject posting as itself; any other principal must name the
        author (an account id). The title is at most 300 bytes, the body
        64 KiB; no card numbers."""
        return Post._from_row(
            self._h.posts_publish(actor, actor if author is None else author, title, body))

    def get(self, actor: str, post_id: str) -> Post:
        """The post with this id (NotFoundError if none)."""
        return Post._from_row(self._h.posts_get(actor, post_id))

    def list(self, actor: str, *, after: Optional[str] = None, limit: int = 100,
             author: Optional[str] = None) -> PostPage:
        """One page of posts (only one author's, if given). Pass the page's
        ``next_cursor`` as ``after`` for the next one; ``limit`` is 1..10000."""
        items, cursor = self._h.posts_list(actor, after or "", _check_limit(limit), author)
        return PostPage([Post._from_row(r) for r in items], cursor or None)

    def iter(self, actor: str, *, author: Optional[str] = None,
             page_size: int = 500) -> Iterator[Post]:
        """Every post (one author's, if given), page by page."""
        after: Optional[str] = None
        while True:
            page = self.list(actor, after=after, limit=page_size, author=author)
            yield from page.items
            if page.next_cursor is None:
                return
            after = page.next_cursor

    def remove(self, actor: str, post_id: str) -> None:
        """Delete a post (the ``erase`` action)."""
        self._h.posts_remove(actor, post_id)

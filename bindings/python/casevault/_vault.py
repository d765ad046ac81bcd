"""The vault, its accounts and its audit log: thin wrappers over the native
module. The engine does the work and the checks; this module only shapes
arguments and results."""

from __future__ import annotations

import json
import os
from typing import (
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
    Account,
    AccountPage,
    AuditEntry,
    ConsentEvent,
    ConsentRequest,
    ConsentState,
    Decision,
    ErasureRequest,
    Info,
    KdfParams,
    Notification,
    PolicyDiff,
    PolicyProblem,
    PolicyVersion,
    PublishResult,
    ReconsentRequest,
    VerifyResult,
)

__all__ = [
    "open", "Vault", "Accounts", "Audit", "Policies", "Consents", "Outbox", "engine_versions",
    "lint_policy", "parse_policy",
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

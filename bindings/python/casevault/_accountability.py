"""Accountability: what a person can ask about their own data (export,
rectification, erasure), disclosures to third parties under the policy's
rules (with the subprocessor registry and transfer notices), and
de-identified aggregates. Thin wrappers over the native module, as in
_vault.py and _retention.py: the engine decides and checks; this module
shapes arguments and results.

These calls are host administration: the host authenticates the person (or
the official) first. Every call is audited under the vault's ``actor`` with
the subject named, never with personal data.

Every time is Unix seconds; ``None`` means now (the vault's clock), or, for
the aggregates' ``since`` / ``until``, an open end.
"""

from __future__ import annotations

import codecs
import io
from typing import IO, Any, Callable, Iterable, List, Mapping, Optional, Tuple, Union, overload

from ._errors import InvalidArgumentError
from ._model import (
    AggregateTable,
    Disclosure,
    ErasureTicket,
    LegalProcess,
    NondisclosureOrder,
    Rectification,
    RectifyResult,
    RectifyTarget,
    Subprocessor,
    Transfer,
    TransferKind,
)
from ._retention import ChannelName
from ._vault import Progress, _check_callable, _name, _time

__all__ = ["SubjectRequests", "Disclosures", "Aggregates"]

#: Where an export or a disclosure package goes: a text file object (written
#: as str) or a binary one (written as UTF-8 bytes).
Writable = Union[IO[str], IO[bytes]]


def _writer(fp: Any) -> Tuple[Callable[[bytes], None], Callable[[], None]]:
    """(write a chunk of UTF-8 bytes, flush what is left) for a file object.

    A text file (an ``io.TextIOBase``, or anything with an ``encoding``
    attribute such as ``io.StringIO``) gets str: the chunks are decoded
    incrementally, so a character split between two chunks is whole.
    Anything else gets the bytes as they come.
    """
    if not callable(getattr(fp, "write", None)):
        raise TypeError("fp must be a file object open for writing (text or binary)")
    write: Callable[[Any], Any] = fp.write
    if isinstance(fp, io.TextIOBase) or (
            hasattr(fp, "encoding") and not isinstance(fp, (io.RawIOBase, io.BufferedIOBase))):
        decoder = codecs.getincrementaldecoder("utf-8")("replace")

        def write_text(chunk: bytes) -> None:
            text = decoder.decode(chunk)
            if text:
                write(text)

        def finish_text() -> None:
            rest = decoder.decode(b"", final=True)
            if rest:
                write(rest)

        return write_text, finish_text

    def write_bytes(chunk: bytes) -> None:
        write(chunk)

    return write_bytes, lambda: None


def _stream(native: Callable[[Callable[[bytes], None]], Any], fp: Any) -> None:
    write, finish = _writer(fp)
    native(write)
    finish()


def _rectification(item: Union[Rectification, Mapping[str, Any], Tuple[Any, ...]],
                   where: str) -> Tuple[str, str, str, str]:
    """A change as the native (target, id, field, value) tuple."""
    if isinstance(item, Rectification):
        r = item
    elif isinstance(item, Mapping):
        unknown = set(item) - {"target", "id", "field", "value"}
        if unknown:
            raise InvalidArgumentError(
                f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                "use target, id, field and value")
        try:
            r = Rectification(item["target"], item["id"], item["field"], item["value"])
        except KeyError as e:
            raise InvalidArgumentError(f"{where}: {e.args[0]} is missing") from None
    elif isinstance(item, tuple) and len(item) == 4:
        r = Rectification(*item)
    else:
        raise TypeError(f"{where}: expected a Rectification, a dict or a "
                        "(target, id, field, value) tuple")
    return (_name(r.target), r.id, r.field, r.value)


class SubjectRequests:
    """Requests a person makes about their own data: ``vault.subject_requests``.

    Each call is audited (``subject.export``, ``subject.rectify``, ...)
    naming the subject and, for a rectification, the target and field, never
    a value.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    @overload
    def export(self, subject: str) -> str: ...

    @overload
    def export(self, subject: str, fp: Writable) -> None: ...

    def export(self, subject: str, fp: Optional[Writable] = None) -> Optional[str]:
        """Everything held about the subject, as one JSON document
        (docs/export-format.md).

        The document is written from one read snapshot, a page of records
        at a time. Disclosures under a nondisclosure order and confidential
        holds are left out while the law forbids telling. An erased account
        can still be exported (what a rule kept, its receipts and audit
        entries).

        Args:
            subject: the account id.
            fp: ``None`` to get the document as a str; or a file object
                open for writing, text (gets str) or binary (gets UTF-8
                bytes), to which it is written in chunks as it is produced,
                so a long history is never all in memory. If ``fp.write``
                raises, the export stops and that exception is raised.

        Returns:
            The JSON text when ``fp`` is ``None``, else ``None``.

        Raises:
            NotFoundError: no such account.
            InvalidArgumentError: a malformed id.
        """
        if fp is None:
            return str(self._h.subject_export_json(subject))
        _stream(lambda write: self._h.subject_export(subject, write), fp)
        return None

    def rectify(self, subject: str, target: Union[RectifyTarget, str], id: str, field: str,
                value: str) -> RectifyResult:
        """Correct one personal field of a record that belongs to the subject.

        The old value is overwritten (no history keeps it) and blind indexes
        follow.

        Args:
            subject: the account id.
            target: a :class:`RectifyTarget` or its name (``"account"``,
                ``"case"``, ``"case_status"``, ``"document"``, ``"message"``,
                ``"payment"``).
            id: the record's id (the account id for ``"account"``; the
                status step's ``seq`` as text for ``"case_status"``).
            field: one of :data:`RECTIFY_FIELDS` for the target.
            value: the corrected value (``""`` clears an optional field).

        Raises:
            NotFoundError: no such record, or not the subject's.
            InvalidArgumentError: an unknown target or field, a bad value,
                an erased account.
            DuplicateError: the email, phone or receipt number is taken.
        """
        return RectifyResult._from_row(self._h.subject_rectify(subject, _name(target), id, field, value))

    def rectify_many(self, subject: str,
                     changes: Iterable[Union[Rectification, Mapping[str, Any], Tuple[Any, ...]]]
                     ) -> List[RectifyResult]:
        """Several corrections, all or nothing, in one transaction. Each is a
        :class:`Rectification`, a dict with ``target``, ``id``, ``field`` and
        ``value``, or a ``(target, id, field, value)`` tuple.

        Raises: as :meth:`rectify`; nothing is changed when one fails.
        """
        rows = [_rectification(c, f"rectify_many() item {i}") for i, c in enumerate(changes)]
        return [RectifyResult._from_row(r) for r in self._h.subject_rectify_many(subject, rows)]

    def erase(self, subject: str, channel: ChannelName = "web") -> ErasureTicket:
        """Queue the subject's erasure with the retention engine (as
        :meth:`Requests.erase`: the policy's deadline, legal holds
        respected). The ticket says under which ``subject_ref`` the deletion
        receipt will be listed.

        Raises:
            NotFoundError: no live account with this id.
            InvalidArgumentError: no policy, an unknown channel.
        """
        return ErasureTicket._from_row(self._h.subject_erase(subject, _name(channel)))


def _names(value: Union[str, Iterable[str], None], what: str) -> List[str]:
    """A list of names; a single str is one name."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = list(value)
    for v in out:
        if not isinstance(v, str):
            raise TypeError(f"{what} must be str or an iterable of str")
    return out


def _process(p: Union[LegalProcess, Mapping[str, Any], None]) -> Optional[Tuple[str, str, str]]:
    if p is None:
        return None
    if isinstance(p, Mapping):
        unknown = set(p) - {"kind", "reference", "justification"}
        if unknown:
            raise InvalidArgumentError("process: unknown key(s) " + ", ".join(sorted(map(str, unknown))))
        p = LegalProcess(p.get("kind", ""), p.get("reference", ""), p.get("justification", ""))
    if not isinstance(p, LegalProcess):
        raise TypeError("process must be a LegalProcess, a dict or None")
    return (p.kind, p.reference, p.justification)


def _order(o: Union[NondisclosureOrder, Mapping[str, Any], None]) -> Optional[Tuple[str, int]]:
    if o is None:
        return None
    if isinstance(o, Mapping):
        unknown = set(o) - {"reference", "until"}
        if unknown:
            raise InvalidArgumentError("nondisclosure: unknown key(s) " + ", ".join(sorted(map(str, unknown))))
        o = NondisclosureOrder(o.get("reference", ""), o.get("until"))
    if not isinstance(o, NondisclosureOrder):
        raise TypeError("nondisclosure must be a NondisclosureOrder, a dict or None")
    return (o.reference, 0 if o.until is None else o.until)


class Disclosures:
    """Disclosures to third parties, the subprocessor registry and
    transfer notices: ``vault.disclosures``.

    Every disclosure is checked against the active policy's
    ``disclosures.rules`` and recorded; names, references and
    justifications are sealed under the store's retention key, so the record
    outlives an erased subject.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def record(self, subject: str, *, recipient: str, categories: Union[str, Iterable[str]],
               purpose: Optional[str] = None, fields: Union[str, Iterable[str], None] = None,
               recipient_name: str = "", case_id: Optional[str] = None,
               subprocessor: Optional[str] = None,
               process: Union[LegalProcess, Mapping[str, Any], None] = None,
               nondisclosure: Union[NondisclosureOrder, Mapping[str, Any], None] = None,
               hold_id: Optional[str] = None, reference: str = "",
               at: Optional[int] = None) -> Disclosure:
        """Check a disclosure against the policy's rules and record it.

        Unless a nondisclosure order or an exempt emergency applies (the
        rule's ``notify_subject``), the person's ``disclosure_notice`` is
        queued in the outbox in the same transaction (at the order's end
        when it has one); :attr:`Disclosure.notice` says which.

        Args:
            subject: the account whose data goes.
            recipient: ``"uscis"``, ``"dhs"``, ``"dol"``, ``"consulate"``,
                ``"court"``, ``"law_enforcement"``, ``"foreign_government"``,
                ``"tax_authority"``, ``"subprocessor"``, ``"other_agency"``
                or a partner (``"analytics_partner"``, ...).
            categories: one or more policy category ids (a str is one).
            purpose: required by on-behalf, legal-obligation and
                subprocessor rules.
            fields: when the rule names fields, a subset of them (``None``:
                the rule's own).
            recipient_name: e.g. the office or agency unit (sealed).
            case_id: on-behalf filings: the case the filing is for.
            subprocessor: recipient ``"subprocessor"``: its registered name.
            process: the :class:`LegalProcess` behind a government request.
            nondisclosure: a :class:`NondisclosureOrder` (gag order).
            hold_id: disclosing data preserved under this hold.
            reference: the host's own reference (sealed).
            at: when it happened; ``None`` for now.

        Raises:
            DisclosureRefusedError: no rule allows it; ``.reason`` says what
                was missing (audited).
            InvalidArgumentError: a malformed request.
            NotFoundError: an unknown subject, case or hold.
        """
        return Disclosure._from_row(self._h.disclosures_record(
            subject, recipient, recipient_name or "", purpose or "",
            _names(categories, "categories"), _names(fields, "fields"), case_id or "",
            subprocessor or "", _process(process), _order(nondisclosure), hold_id or "",
            reference or "", _time(at)))

    def lift_nondisclosure(self, disclosure_id: str) -> Disclosure:
        """A nondisclosure order ended early: the notice is queued now.

        Raises:
            NotFoundError: no such disclosure.
            InvalidArgumentError: it has no order in force.
        """
        return Disclosure._from_row(self._h.disclosures_lift_nondisclosure(disclosure_id))

    def get(self, disclosure_id: str) -> Disclosure:
        """The disclosure with this id (NotFoundError if none)."""
        return Disclosure._from_row(self._h.disclosures_get(disclosure_id))

    def list(self, subject: Optional[str] = None) -> List[Disclosure]:
        """A subject's disclosures (everyone's when ``None``), oldest first."""
        return [Disclosure._from_row(r) for r in self._h.disclosures_list(subject or "")]

    @overload
    def package(self, disclosure_id: str) -> str: ...

    @overload
    def package(self, disclosure_id: str, fp: Writable) -> None: ...

    def package(self, disclosure_id: str, fp: Optional[Writable] = None) -> Optional[str]:
        """The data a recorded disclosure allows, in the export format
        restricted to its categories and fields, for the host to hand over.
        Audited (``disclosure.package``).

        ``fp`` works as in :meth:`SubjectRequests.export`: ``None`` returns
        the JSON text; a text or binary file object is written in chunks.
        """
        if fp is None:
            return str(self._h.disclosures_package_json(disclosure_id))
        _stream(lambda write: self._h.disclosures_package(disclosure_id, write), fp)
        return None

    def add_subprocessor(self, name: str, *, purpose: str, categories: Union[str, Iterable[str]],
                         location: str) -> Subprocessor:
        """Register a service provider.

        Args:
            name: unique.
            purpose: a purpose of the active policy.
            categories: the policy categories it may receive.
            location: where it processes data, e.g. ``"US"``.

        Raises:
            InvalidArgumentError: an unknown purpose or category, an empty
                location.
            DuplicateError: the name is taken.
        """
        return Subprocessor._from_row(
            self._h.subprocessors_add(name, purpose, _names(categories, "categories"), location))

    def retire_subprocessor(self, name: str) -> Subprocessor:
        """Stop further disclosures to a subprocessor; its history is kept."""
        return Subprocessor._from_row(self._h.subprocessors_retire(name))

    def subprocessors(self, *, include_retired: bool = False) -> List[Subprocessor]:
        """The registered subprocessors (retired ones too with
        ``include_retired``)."""
        return [Subprocessor._from_row(r) for r in self._h.subprocessors_list(bool(include_retired))]

    def announce_transfer(self, kind: Union[TransferKind, str], counterparty: str, effective_at: int,
                          progress: Optional[Progress] = None) -> Transfer:
        """An acquisition or merger: queue a ``transfer_notice`` for every
        active account, in one transaction, before data moves.

        Args:
            kind: ``"acquisition"`` or ``"merger"``.
            counterparty: the acquiring or merging company.
            effective_at: when data moves; at least the policy's
                ``transfer_notice`` lead time ahead.
            progress: called as ``progress("transfer_notice", done, total)``;
                returning ``False`` cancels (CancelledError, nothing
                queued); if it raises, that exception is raised instead.

        Raises:
            InvalidArgumentError: ``effective_at`` inside the lead time, an
                empty counterparty, an unknown kind.
        """
        _check_callable("progress", progress)
        return Transfer._from_row(
            self._h.transfers_announce(_name(kind), counterparty, effective_at, progress))

    def transfers(self) -> List[Transfer]:
        """The announced transfers, oldest first."""
        return [Transfer._from_row(r) for r in self._h.transfers_list()]


def _min_count(k: Optional[int]) -> int:
    if k is None:
        return 0
    if not isinstance(k, int) or isinstance(k, bool):
        raise TypeError("min_count must be an int or None")
    if k < 1:
        raise InvalidArgumentError("min_count must be at least 1")
    return int(k)


def _bound(t: Optional[int], what: str) -> int:
    if t is None:
        return 0
    if not isinstance(t, int) or isinstance(t, bool):
        raise TypeError(f"{what} must be Unix seconds (int) or None")
    return int(t)


class Aggregates:
    """De-identified counts: ``vault.aggregates``.

    No subject id leaves the store, and no count below k (the policy's
    ``aggregates.min_count``, default 5) is shown, nor any that a published
    total would reveal. Every method takes the same keywords:

    - ``purpose``: the policy purpose the report serves; it must be one
      whose ``data_form`` is ``"aggregate"`` or ``"deidentified"``
      (InvalidArgumentError otherwise). ``None`` for none.
    - ``since``, ``until``: the record time window ``[since, until)``;
      ``None`` leaves that end open. Whole UTC months only (00:00:00 on
      the 1st; InvalidArgumentError otherwise): windows a second apart
      would single a person out.
    - ``min_count``: raise k for this report (never below the policy's).

    Each report is audited (``aggregates.report``).
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def _args(self, purpose: Optional[str], since: Optional[int], until: Optional[int],
              min_count: Optional[int]) -> Tuple[str, int, int, int]:
        return (purpose or "", _bound(since, "since"), _bound(until, "until"), _min_count(min_count))

    def cases(self, *, purpose: Optional[str] = None, since: Optional[int] = None,
              until: Optional[int] = None, min_count: Optional[int] = None) -> AggregateTable:
        """Cases by form type, latest status (``"none"`` before the first)
        and month opened."""
        return AggregateTable._from_row(self._h.aggregates_cases(*self._args(purpose, since, until, min_count)))

    def accounts(self, *, purpose: Optional[str] = None, since: Optional[int] = None,
                 until: Optional[int] = None, min_count: Optional[int] = None) -> AggregateTable:
        """Accounts by status and month created."""
        return AggregateTable._from_row(
            self._h.aggregates_accounts(*self._args(purpose, since, until, min_count)))

    def billing(self, *, purpose: Optional[str] = None, since: Optional[int] = None,
                until: Optional[int] = None, min_count: Optional[int] = None) -> List[AggregateTable]:
        """Payments by month and billing state (``"unknown"`` when not
        given): count and total; one table per currency."""
        return [AggregateTable._from_row(t)
                for t in self._h.aggregates_billing(*self._args(purpose, since, until, min_count))]

    def all(self, *, purpose: Optional[str] = None, since: Optional[int] = None,
            until: Optional[int] = None, min_count: Optional[int] = None) -> List[AggregateTable]:
        """The three reports (cases, accounts, then the billing tables),
        audited once."""
        return [AggregateTable._from_row(t)
                for t in self._h.aggregates_all(*self._args(purpose, since, until, min_count))]

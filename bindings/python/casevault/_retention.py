"""The retention engine: qualifying activity, cancel and delete requests
(with inbound email and WhatsApp commands), legal holds, the sweep and its
deletion receipts, and backups. Thin wrappers over the native module, as in
_vault.py: the engine decides and checks; this module shapes arguments and
results.

Every time is Unix seconds; ``None`` means now (the vault's clock, see
:func:`casevault.open`'s ``clock``).
"""

from __future__ import annotations

import os
from typing import Any, Iterator, List, Optional, Union

from ._errors import InvalidArgumentError
from ._model import (
    ActivityState,
    BackupInfo,
    DeletionReceipt,
    Hold,
    HoldScope,
    InboundResult,
    MessageChannel,
    RestoreReport,
    RetentionRequest,
    SweepPlan,
    SweepReport,
)
from ._vault import PathLike, Progress, _check_callable, _check_limit, _name, _time

__all__ = ["Activity", "Requests", "Holds", "Retention", "Backups"]

#: A channel: one of :data:`casevault.CHANNELS` (``"web"``, ``"email"``,
#: ``"whatsapp"``, ``"phone"``, ``"api"``), or the email / WhatsApp
#: :class:`MessageChannel`.
ChannelName = Union[MessageChannel, str]


class Activity:
    """Qualifying activity: ``vault.activity``.

    The policy's ``retention.activity`` names the kinds (``"message"``,
    ``"payment"``, ``"token_use"``, ...) and how long each keeps an account
    active. Sign-up counts as activity. New activity moves the inactivity
    deadline and cancels an inactivity deletion that has not happened yet.
    Inbound messages and payments recorded through :attr:`Vault.correspondence`
    and :attr:`Vault.billing` count without a call here.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def record(self, subject: str, kind: str, *, at: Optional[int] = None) -> ActivityState:
        """Record activity of ``kind`` (``"recurring_payment"`` counts as a
        payment when the policy's payment kind includes recurring charges).

        Args:
            subject: the account id.
            kind: an activity kind the active policy names.
            at: when it happened (Unix seconds); ``None`` for now. A time in
                the future is refused.

        Raises:
            InvalidArgumentError: a kind the policy does not name, no
                policy, a time in the future.
            NotFoundError: no such account (an erased one too).
        """
        return ActivityState._from_row(self._h.activity_record(subject, kind, _time(at)))

    def state(self, subject: str) -> ActivityState:
        """The account's activity and its inactivity deadline."""
        return ActivityState._from_row(self._h.activity_state(subject))


class Requests:
    """Cancel and delete requests: ``vault.requests``.

    A request through the host (an authenticated session) needs no
    confirmation: :meth:`cancel` makes the account cancelled at once and
    the policy's cancellation rules act after their ``after``; :meth:`erase`
    has the deletion-request rules act at the next :meth:`Retention.sweep`.

    An inbound email or WhatsApp message may carry the command too
    (:meth:`inbound`). When the policy's ``retention.requests`` asks for
    confirmation, a ``confirm_request`` notification holding a one-time
    ``code`` is queued in :attr:`Vault.outbox` for the account's own contact
    details; :meth:`confirm` with that code carries the request out.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def cancel(self, subject: str, *, channel: ChannelName = "web") -> RetentionRequest:
        """Cancel the account (state ``"pending"`` until the cancellation
        rules act). A second request while one is pending returns it.

        Raises:
            InvalidArgumentError: no policy, an unknown channel.
            NotFoundError: no live account with this id (an erased one too).
        """
        return RetentionRequest._from_row(self._h.requests_cancel(subject, _name(channel)))

    def erase(self, subject: str, *, channel: ChannelName = "web") -> RetentionRequest:
        """Ask for the account's erasure: the deletion-request rules act at
        the next sweep. A second request while one is pending returns it.

        Raises: as :meth:`cancel`.
        """
        return RetentionRequest._from_row(self._h.requests_erase(subject, _name(channel)))

    def inbound(self, channel: ChannelName, sender: str, *, subject_line: str = "",
                body: str = "", at: Optional[int] = None) -> InboundResult:
        """Read an inbound message for a CANCEL or DELETE command.

        Email: the word in the subject line, in any case, as a word;
        WhatsApp: the word as the whole body (surrounding space ignored).
        The sender is matched to an account through its email or phone.
        Anything that is not a command is an outcome, not an error
        (``"no_command"``, ``"negated"``, ``"mention_only"``,
        ``"unknown_sender"``, ``"channel_not_accepted"``, ...). Every
        outcome is audited without the message text.

        Args:
            channel: ``"email"`` or ``"whatsapp"``.
            sender: the email address or phone number it came from.
            subject_line: email only.
            body: the text (WhatsApp: the whole message).
            at: when it arrived; ``None`` for now.

        Raises:
            InvalidArgumentError: another channel, oversized text.
        """
        return InboundResult._from_row(self._h.requests_inbound(
            _name(channel), sender, subject_line or "", body or "", _time(at)))

    def parse(self, channel: ChannelName, *, subject_line: str = "",
              body: str = "") -> InboundResult:
        """Only parse a message: which command it holds, if any (a command
        found is outcome ``"accepted"``). Nothing is matched, stored or
        audited (``subject`` and ``request`` are ``None``)."""
        return InboundResult._from_row(
            self._h.requests_parse(_name(channel), subject_line or "", body or ""))

    def confirm(self, code: str) -> RetentionRequest:
        """Carry out the request a confirmation code was issued for. A code
        works once, until the request's ``confirm_by`` (inclusive). Case,
        spaces and hyphens do not matter.

        Raises:
            NotFoundError: no such code, or already used.
            ExpiredError: past the policy's ``confirmation_ttl`` (the next
                sweep marks the request ``"expired"``).
            InvalidArgumentError: not shaped like a code.
        """
        return RetentionRequest._from_row(self._h.requests_confirm(code))

    def get(self, request_id: str) -> RetentionRequest:
        """The request with this id (NotFoundError if none)."""
        return RetentionRequest._from_row(self._h.requests_get(request_id))

    def list(self, subject: Optional[str] = None) -> List[RetentionRequest]:
        """A subject's requests (everyone's when ``None``), oldest first."""
        return [RetentionRequest._from_row(r) for r in self._h.requests_list(subject or "")]


class Holds:
    """Legal holds (preservation requests): ``vault.holds``.

    While a hold lasts, no retention rule deletes its target's data; the
    sweep reports the deferred work as held. The period, the extension and
    the accepted authorities and release processes come from the policy's
    ``disclosures.preservation``.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def place(self, target: str, *, authority: str, reference: str,
              scope: Union[HoldScope, str] = HoldScope.SUBJECT,
              at: Optional[int] = None, confidential: bool = False) -> Hold:
        """Place a hold on an account (``scope="subject"``) or on one case
        (``scope="case"``, :attr:`HoldScope.CASE_FILE`).

        Args:
            target: the account id or the case id.
            authority: one of the policy's preservation authorities
                (``"sca_2703f"``, ``"civil_subpoena"``, ...).
            reference: the legal-process reference (sealed; never logged).
            at: when it was placed; ``None`` for now.
            confidential: a nondisclosure order came with it: the hold is
                left out of the subject's export
                (:meth:`SubjectRequests.export`).

        Raises:
            InvalidArgumentError: no preservation section in the policy, an
                authority it does not accept, an empty reference.
            NotFoundError: no such account or case.
        """
        return Hold._from_row(
            self._h.holds_place(_name(scope), target, authority, reference, _time(at),
                                bool(confidential)))

    def extend(self, hold_id: str) -> Hold:
        """A renewed request: one more extension period, up to the policy's
        ``max_extensions`` (InvalidArgumentError when none is left or the
        hold is not active)."""
        return Hold._from_row(self._h.holds_extend(hold_id))

    def record_process(self, hold_id: str, process: str, reference: str) -> Hold:
        """A warrant, court order or subpoena arrived (one of the policy's
        ``release_processes``) before the period ended: the hold now lasts
        until :meth:`release`."""
        return Hold._from_row(self._h.holds_record_process(hold_id, process, reference))

    def release(self, hold_id: str) -> Hold:
        """End the hold; the deletions it deferred happen at the next sweep."""
        return Hold._from_row(self._h.holds_release(hold_id))

    def get(self, hold_id: str) -> Hold:
        """The hold with this id (NotFoundError if none)."""
        return Hold._from_row(self._h.holds_get(hold_id))

    def list(self, subject: Optional[str] = None, *, include_ended: bool = False) -> List[Hold]:
        """Holds on a subject or its cases (all when ``None``); expired and
        released ones too with ``include_ended``."""
        return [Hold._from_row(r) for r in self._h.holds_list(subject or "", bool(include_ended))]


def _check_count(name: str, n: object) -> int:
    """A positive int option (the engine checks the upper bound)."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"{name} must be an int")
    if n < 1:
        raise InvalidArgumentError(f"{name} must be at least 1")
    return int(n)


class Retention:
    """The sweep and its receipts: ``vault.retention``.

    The sweep deletes (or anonymises, or minimises) what the policy's
    retention rules say is due (each subject's step whole in one
    transaction), writes a deletion receipt for each, expires holds and unconfirmed requests, and
    removes backups past the backup window. Run it periodically; it is
    idempotent and resumable.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def preview(self, now: Optional[int] = None) -> SweepPlan:
        """What :meth:`sweep` would do at ``now`` (``None``: the vault's
        clock); changes nothing."""
        return SweepPlan._from_row(self._h.retention_preview(_time(now)))

    def sweep(self, *, now: Optional[int] = None, batch_size: int = 500,
              subjects_per_commit: int = 256,
              progress: Optional[Progress] = None) -> SweepReport:
        """Do everything due.

        Args:
            now: the time to sweep at; ``None`` for the vault's clock.
            batch_size: due rows read per page (bounds memory).
            subjects_per_commit: subjects per transaction, 1..10000. A
                subject's step is never split across two; a crash loses at
                most the uncommitted group, which the next sweep redoes. 1
                commits every subject on its own.
            progress: called as ``progress(phase, done, total)`` with the
                phases, in order, ``"holds"`` (expired holds), ``"plan"``
                (due rows counted), ``"subjects"`` (after each commit) and
                ``"backups"``. Returning ``False`` stops at the next commit
                and raises CancelledError: what was done stays done, and the
                next sweep continues. If the callback raises, the sweep
                stops the same way and the callback's exception is
                re-raised instead.

        Raises:
            InvalidArgumentError: no policy, an option out of range.
            CancelledError: the progress callback asked to stop.
        """
        _check_callable("progress", progress)
        return SweepReport._from_row(self._h.retention_sweep(
            _time(now), _check_count("batch_size", batch_size),
            _check_count("subjects_per_commit", subjects_per_commit), progress))

    def receipts_for(self, subject: str) -> List[DeletionReceipt]:
        """The deletion receipts of a subject (found through its digest,
        so this works after the subject is gone)."""
        return [DeletionReceipt._from_row(r) for r in self._h.retention_receipts_for(subject)]

    def receipts(self, *, after: Optional[str] = None, limit: int = 1000) -> List[DeletionReceipt]:
        """Receipts in id order, after the receipt id ``after``."""
        return [DeletionReceipt._from_row(r)
                for r in self._h.retention_receipts(after or "", _check_limit(limit))]

    def iter_receipts(self, *, page_size: int = 1000) -> Iterator[DeletionReceipt]:
        """Every receipt, page by page."""
        after: Optional[str] = None
        while True:
            page = self.receipts(after=after, limit=page_size)
            yield from page
            if len(page) < page_size:
                return
            after = page[-1].id

    def subject_ref(self, subject: str) -> str:
        """The keyed digest (hex) that receipts carry for a subject id."""
        return str(self._h.retention_subject_ref(subject))


class Backups:
    """Backups of the store: ``vault.backups``.

    A backup is an encrypted copy of the store, readable with the same
    secret. The vault keeps a catalog of them and an erasure ledger, so a
    restore never brings back anyone erased after the backup was taken.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    def create(self, path: PathLike, *, progress: Optional[Progress] = None) -> BackupInfo:
        """Write a backup to ``path`` (online) and catalog it.

        Args:
            path: a new file (not the store itself).
            progress: called as ``progress("backup", pages_done, pages)``;
                works as in :meth:`Vault.change_passphrase` (on cancel the
                partial file is removed).

        Raises:
            InvalidArgumentError: the path exists or is the store.
            StoreIOError: the file system refused.
            CancelledError: the progress callback asked to stop.
        """
        _check_callable("progress", progress)
        return BackupInfo._from_row(self._h.backups_create(os.fsencode(path), progress))

    def list(self, *, include_removed: bool = False) -> List[BackupInfo]:
        """The cataloged backups (those whose file was removed too, with
        ``include_removed``)."""
        return [BackupInfo._from_row(r) for r in self._h.backups_list(bool(include_removed))]

    def restore(self, path: PathLike, *, progress: Optional[Progress] = None) -> RestoreReport:
        """Replace the store's content with a backup's, then replay every
        erasure recorded after the backup was taken.

        Args:
            path: the backup file.
            progress: called with the phases ``"restore"`` (pages) and
                ``"replay"`` (erasures); works as in :meth:`create`
                (cancelled before the copy: nothing changed).

        Raises:
            WrongKeyError: a backup under another secret.
            CorruptError: its checksum differs from the catalog's.
            NotFoundError: no such file.
            CancelledError: the progress callback asked to stop.
        """
        _check_callable("progress", progress)
        return RestoreReport._from_row(self._h.backups_restore(os.fsencode(path), progress))

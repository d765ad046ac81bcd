"""The exceptions raised by casevault.

Every failure of the engine is raised as a subclass of :class:`Error`, chosen
by the engine's error code. The codes are frozen and are the same negative
numbers as the C API's ``CASEVAULT_E*`` constants. Messages never contain
personal data.

The native module imports this module when it is loaded and raises these
classes, so ``except casevault.WrongKeyError`` works for errors that come from
C++ as well as for the few argument checks done in Python.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Tuple, Type

from ._model import PolicyProblem

__all__ = [
    "Error",
    "InternalError",
    "InvalidArgumentError",
    "PolicyInvalidError",
    "NotFoundError",
    "WrongKeyError",
    "CorruptError",
    "LockedError",
    "DuplicateError",
    "NoCodecError",
    "StoreIOError",
    "CancelledError",
    "ClosedError",
    "AccessDeniedError",
    "UnsupportedError",
    "ExpiredError",
    "DisclosureRefusedError",
    "error_class",
]


class Error(Exception):
    """Base class of every casevault error.

    Attributes:
        code: the engine's error code, a negative int (e.g. ``-4``), the same
            number as the C API's ``CASEVAULT_E*`` constant.
        name: the code's short stable name (e.g. ``"wrong_key"``).
    """

    code: int = -1
    name: str = "internal"

    def __init__(self, message: str = "", *, code: Optional[int] = None,
                 name: Optional[str] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = int(code)
            if name is None:
                cls = _CLASS_BY_CODE.get(self.code)
                name = cls.name if cls is not None else "unknown"
        if name is not None:
            self.name = str(name)

    @property
    def message(self) -> str:
        """The engine's message (never contains personal data)."""
        return str(self.args[0]) if self.args else ""


class InternalError(Error):
    """A bug or an unexpected engine failure."""

    code = -1
    name = "internal"


class InvalidArgumentError(Error, ValueError):
    """Bad input (a malformed email or phone, an out-of-range limit, ...);
    nothing was changed. Also a :class:`ValueError`."""

    code = -2
    name = "invalid_argument"


class PolicyInvalidError(InvalidArgumentError):
    """A policy document does not validate (docs/policy-format.md); nothing
    was changed. Raised by :func:`casevault.parse_policy` and
    :meth:`Policies.publish`. Also an :class:`InvalidArgumentError`.

    Attributes:
        problems: every problem found, not only the first, each a
            :class:`PolicyProblem` (``path`` is a JSON Pointer such as
            ``"/purposes/2/legal_basis"``; ``""`` for the document itself).
    """

    code = -2
    name = "invalid_argument"

    def __init__(self, message: str = "", *, code: Optional[int] = None,
                 name: Optional[str] = None,
                 problems: Iterable[Any] = ()) -> None:
        super().__init__(message, code=code, name=name)
        self.problems: List[PolicyProblem] = [
            p if isinstance(p, PolicyProblem) else PolicyProblem(str(p[0]), str(p[1]))
            for p in problems
        ]


class NotFoundError(Error, LookupError):
    """No such record (or no store file and ``create=False``).
    Also a :class:`LookupError`."""

    code = -3
    name = "not_found"


class WrongKeyError(Error):
    """The passphrase or key does not open this store."""

    code = -4
    name = "wrong_key"


class CorruptError(Error):
    """The file is not a casevault store, or it is damaged or tampered with."""

    code = -5
    name = "corrupt"


class LockedError(Error):
    """Another connection holds the store; retry later."""

    code = -6
    name = "locked"


class DuplicateError(Error):
    """A unique value (email, phone) is already taken by another account."""

    code = -7
    name = "duplicate"


class NoCodecError(Error):
    """The SQLite in this process cannot encrypt, so casevault refused to
    open the store rather than write it in clear."""

    code = -8
    name = "no_codec"


class StoreIOError(Error, OSError):
    """The file system refused (permissions, disk full, ...).
    Also an :class:`OSError`."""

    code = -9
    name = "io"


class CancelledError(Error):
    """A progress callback asked to stop; nothing was changed."""

    code = -10
    name = "cancelled"


class ClosedError(Error):
    """The vault was closed."""

    code = -11
    name = "closed"


class AccessDeniedError(Error):
    """The acting principal may not do what it asked, under the active
    policy's roles (docs/policy-format.md, roles). The denial is in the
    audit log (action ``"access.denied"``) and nothing was changed.

    Attributes:
        rule: why, one of :data:`casevault.ACCESS_DENIAL_RULES`, e.g.
            ``"not_assigned"``, ``"no_support_grant"``, ``"unknown_actor"``
            (``""`` if the engine did not name one).
    """

    code = -12
    name = "access_denied"

    def __init__(self, message: str = "", *, code: Optional[int] = None,
                 name: Optional[str] = None, rule: str = "") -> None:
        super().__init__(message, code=code, name=name)
        self.rule: str = str(rule)


class UnsupportedError(Error):
    """The store was written by another casevault version than this one
    can read."""

    code = -13
    name = "unsupported"


class ExpiredError(Error):
    """A one-time code or a deadline has passed (e.g. a confirmation code
    given to :meth:`Requests.confirm` after its ``confirmation_ttl``; the
    next sweep marks the request expired)."""

    code = -14
    name = "expired"


class DisclosureRefusedError(Error):
    """No disclosure rule of the active policy allows this disclosure
    (:meth:`Disclosures.record`). The refusal is in the audit log (action
    ``"disclosure.refused"``) and nothing else was written.

    Attributes:
        reason: what was missing, one of
            :data:`casevault.DISCLOSURE_REFUSAL_REASONS` (``"no_rule"``,
            ``"legal_process_required"``, ``"consent_required"``,
            ``"fields_not_allowed"``, ...); ``""`` if the engine named none.
    """

    code = -15
    name = "disclosure_refused"

    def __init__(self, message: str = "", *, code: Optional[int] = None,
                 name: Optional[str] = None, reason: str = "") -> None:
        super().__init__(message, code=code, name=name)
        self.reason: str = str(reason)


_ERROR_CLASSES: Tuple[Type[Error], ...] = (
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    WrongKeyError,
    CorruptError,
    LockedError,
    DuplicateError,
    NoCodecError,
    StoreIOError,
    CancelledError,
    ClosedError,
    AccessDeniedError,
    UnsupportedError,
    ExpiredError,
    DisclosureRefusedError,
)

# code -> class. The native module reads this map once, at import.
_CLASS_BY_CODE: Dict[int, Type[Error]] = {cls.code: cls for cls in _ERROR_CLASSES}


def error_class(code: int) -> Type[Error]:
    """The exception class raised for an engine error code
    (:class:`Error` itself for a code this version does not know)."""
    return _CLASS_BY_CODE.get(int(code), Error)

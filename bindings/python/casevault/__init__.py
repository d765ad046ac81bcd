"""casevault: an encrypted store for immigration case data.

The store is one SQLCipher file. Personal fields are sealed under a per-subject
data key, email and phone are findable through blind indexes, erasure is
crypto-shredding, and every access is written to a tamper-evident audit log.

Example::

    import casevault

    with casevault.open("cases.db", passphrase="correct horse") as vault:
        ana = vault.accounts.create(name="Ana Souza", email="ana@example.com",
                                    phone="+1 332 555 0101")
        assert vault.accounts.find(email=" ANA@example.com").id == ana.id
        vault.accounts.erase(ana.id)
        assert vault.audit.verify().ok

Every engine failure is raised as a subclass of :class:`casevault.Error`
chosen by its code (WrongKeyError, CorruptError, DuplicateError, ...).
"""

from __future__ import annotations

from ._errors import (
    AccessDeniedError,
    CancelledError,
    ClosedError,
    CorruptError,
    DuplicateError,
    Error,
    InternalError,
    InvalidArgumentError,
    LockedError,
    NoCodecError,
    NotFoundError,
    StoreIOError,
    UnsupportedError,
    WrongKeyError,
    error_class,
)
from ._model import (
    ACCOUNT_FIELDS,
    ACCOUNT_STATUSES,
    Account,
    AccountPage,
    AuditEntry,
    Info,
    KdfParams,
    VerifyResult,
)
from ._vault import (
    Accounts,
    Audit,
    Clock,
    Kdf,
    PathLike,
    Progress,
    Vault,
    engine_versions,
    open,
)
from . import _casevault as _native

#: The version of the casevault library this package runs on, e.g. "0.1.0".
__version__: str = _native.version()

__all__ = [
    "__version__",
    "open",
    "engine_versions",
    "Vault",
    "Accounts",
    "Audit",
    "Account",
    "AccountPage",
    "AuditEntry",
    "VerifyResult",
    "Info",
    "KdfParams",
    "Kdf",
    "Clock",
    "Progress",
    "PathLike",
    "ACCOUNT_FIELDS",
    "ACCOUNT_STATUSES",
    "Error",
    "InternalError",
    "InvalidArgumentError",
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
    "error_class",
]

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

Privacy policy, consent and notifications::

    problems = casevault.lint_policy(policy_dict)     # [] when valid
    vault.policy.publish(policy_dict)
    vault.consents.grant(ana.id, "newsletter", channel="email")
    if vault.may_process(ana.id, "newsletter"):
        ...
    for n in vault.outbox.poll():
        deliver(n)
        vault.outbox.ack([n.id])

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
    PolicyInvalidError,
    StoreIOError,
    UnsupportedError,
    WrongKeyError,
    error_class,
)
from ._model import (
    ACCOUNT_FIELDS,
    ACCOUNT_STATUSES,
    CHANNELS,
    CONSENT_ACTIONS,
    DECISION_REASONS,
    LEGAL_BASES,
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
    PolicyCategory,
    PolicyDiff,
    PolicyProblem,
    PolicyPurpose,
    PolicyVersion,
    PublishResult,
    ReconsentRequest,
    VerifyResult,
)
from ._vault import (
    Accounts,
    Audit,
    Clock,
    Consents,
    Kdf,
    Outbox,
    PathLike,
    Policies,
    PolicyDocument,
    Progress,
    Vault,
    engine_versions,
    lint_policy,
    open,
    parse_policy,
)
from . import _casevault as _native

#: The version of the casevault library this package runs on, e.g. "0.1.0".
__version__: str = _native.version()

__all__ = [
    "__version__",
    "open",
    "engine_versions",
    "lint_policy",
    "parse_policy",
    "Vault",
    "Accounts",
    "Audit",
    "Policies",
    "Consents",
    "Outbox",
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
    "Kdf",
    "Clock",
    "Progress",
    "PathLike",
    "PolicyDocument",
    "ACCOUNT_FIELDS",
    "ACCOUNT_STATUSES",
    "CONSENT_ACTIONS",
    "CHANNELS",
    "LEGAL_BASES",
    "DECISION_REASONS",
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
    "error_class",
]

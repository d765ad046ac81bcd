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

Team access and case records: every call that returns or changes personal
data names its acting principal first, and the active policy's roles
decide::

    staff = vault.principals.add("staff")
    case = vault.cases.open(staff.id, ana.id, "I-130", receipt_number="EAC2190012345",
                            questionnaire={"petitioner": {"citizen": True}})
    vault.correspondence.record(staff.id, ana.id, body="Call notes", channel="phone",
                                direction="outbound", case_id=case.id)
    if vault.can(other.id, "read", "case", case.id):
        ...
    # otherwise the call raises AccessDeniedError, whose .rule says why
    # ("not_assigned", "no_support_grant", "unknown_actor", ...)

Retention: activity keeps an account active; the policy's rules delete
what is due when the host runs the sweep::

    vault.activity.record(ana.id, "token_use")
    vault.requests.cancel(ana.id)                  # or erase(); or an inbound command:
    r = vault.requests.inbound("email", "ana@example.com", subject_line="DELETE")
    # r.outcome == "awaiting_confirmation": a confirm_request notification
    # with a one-time "code" is in the outbox; then
    vault.requests.confirm(code)
    hold = vault.holds.place(ana.id, authority="sca_2703f", reference="...")
    report = vault.retention.sweep()               # held subjects are skipped
    vault.backups.create("cases.bak")

Accountability: a person's own data, disclosures and de-identified
counts::

    with open("ana.json", "w") as fp:
        vault.subject_requests.export(ana.id, fp)   # streamed; or export(ana.id) -> str
    vault.subject_requests.rectify(ana.id, "account", ana.id, "phone", "+1 332 555 0199")
    d = vault.disclosures.record(ana.id, recipient="law_enforcement", categories=["identity"],
                                 process=casevault.LegalProcess("warrant", reference="..."))
    # no rule allows it: DisclosureRefusedError, whose .reason says why
    table = vault.aggregates.cases(purpose="aggregate_analytics")   # counts below k suppressed

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
    DisclosureRefusedError,
    ExpiredError,
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
    ACCESS_DENIAL_RULES,
    ACCOUNT_FIELDS,
    ACCOUNT_STATUSES,
    ACTIONS,
    CARD_BRANDS,
    CHANNELS,
    CONSENT_ACTIONS,
    DECISION_REASONS,
    DIRECTIONS,
    DISCLOSURE_REFUSAL_REASONS,
    HOLD_SCOPES,
    HOLD_STATES,
    INBOUND_OUTCOMES,
    LEGAL_BASES,
    MESSAGE_CHANNELS,
    NOTICE_STATES,
    RECORD_KINDS,
    RECTIFY_FIELDS,
    RECTIFY_TARGETS,
    REQUEST_KINDS,
    REQUEST_STATES,
    RETENTION_TRIGGERS,
    ROLES,
    TRANSFER_KINDS,
    AccessVerdict,
    Account,
    AccountPage,
    Action,
    ActivityMark,
    ActivityState,
    AggregateCell,
    AggregateTable,
    AuditEntry,
    BackupInfo,
    Case,
    CaseDocument,
    CaseStatus,
    ConsentEvent,
    ConsentRequest,
    ConsentState,
    Decision,
    DeletionReceipt,
    Disclosure,
    ErasureRequest,
    ErasureTicket,
    HeldBack,
    Hold,
    HoldScope,
    HoldState,
    InboundOutcome,
    InboundResult,
    Info,
    Direction,
    KdfParams,
    LegalProcess,
    Message,
    MessageChannel,
    MessageFields,
    MessagePage,
    NondisclosureOrder,
    Notification,
    NoticeState,
    Payment,
    PlannedDeletion,
    PolicyCategory,
    PolicyDiff,
    PolicyProblem,
    PolicyPurpose,
    PolicyVersion,
    Post,
    PostPage,
    Principal,
    PublishResult,
    ReconsentRequest,
    RecordKind,
    RecordRef,
    Rectification,
    RectifyResult,
    RectifyTarget,
    RequestKind,
    RequestState,
    RestoreReport,
    RetentionRequest,
    RetentionTrigger,
    Role,
    Subprocessor,
    SweepPlan,
    SweepReport,
    Transfer,
    TransferKind,
    VerifyResult,
)
from ._vault import (
    Accounts,
    Audit,
    Billing,
    Cases,
    Clock,
    Consents,
    Correspondence,
    Kdf,
    Outbox,
    PathLike,
    Policies,
    PolicyDocument,
    Posts,
    Principals,
    Progress,
    Questionnaire,
    Vault,
    engine_versions,
    lint_policy,
    open,
    parse_policy,
)
from ._retention import Activity, Backups, ChannelName, Holds, Requests, Retention
from ._accountability import Aggregates, Disclosures, SubjectRequests, Writable
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
    "Principals",
    "Cases",
    "Correspondence",
    "Billing",
    "Posts",
    "Activity",
    "Requests",
    "Holds",
    "Retention",
    "Backups",
    "SubjectRequests",
    "Disclosures",
    "Aggregates",
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
    "Case",
    "CaseStatus",
    "CaseDocument",
    "MessageFields",
    "Message",
    "MessagePage",
    "Payment",
    "Post",
    "PostPage",
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
    "Kdf",
    "Clock",
    "Progress",
    "PathLike",
    "PolicyDocument",
    "Questionnaire",
    "ChannelName",
    "Writable",
    "ACCOUNT_FIELDS",
    "ACCOUNT_STATUSES",
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
    "RETENTION_TRIGGERS",
    "REQUEST_KINDS",
    "REQUEST_STATES",
    "INBOUND_OUTCOMES",
    "HOLD_SCOPES",
    "HOLD_STATES",
    "RECTIFY_TARGETS",
    "RECTIFY_FIELDS",
    "NOTICE_STATES",
    "TRANSFER_KINDS",
    "DISCLOSURE_REFUSAL_REASONS",
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

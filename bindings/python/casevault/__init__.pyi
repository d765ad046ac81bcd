# Type stub of the public casevault API (the implementation is in _vault.py,
# _model.py and _errors.py; the engine is the native module _casevault).
import os
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import (
    IO,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    Type,
    Union,
    overload,
)

__version__: str

Clock = Callable[[], int]
Progress = Callable[[str, int, int], Optional[bool]]
Kdf = Union[None, str, KdfParams, Tuple[int, int]]
PathLike = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]

PolicyDocument = Union[str, bytes, Mapping[str, Any]]
Questionnaire = Union[str, bytes, Mapping[str, Any], List[Any], Tuple[Any, ...]]
ChannelName = Union[MessageChannel, str]
Writable = Union[IO[str], IO[bytes]]

ACCOUNT_STATUSES: Tuple[str, ...]
ACCOUNT_FIELDS: Tuple[str, ...]
CONSENT_ACTIONS: Tuple[str, ...]
CHANNELS: Tuple[str, ...]
LEGAL_BASES: Tuple[str, ...]
DECISION_REASONS: Tuple[str, ...]
ROLES: Tuple[str, ...]
ACTIONS: Tuple[str, ...]
RECORD_KINDS: Tuple[str, ...]
MESSAGE_CHANNELS: Tuple[str, ...]
DIRECTIONS: Tuple[str, ...]
CARD_BRANDS: Tuple[str, ...]
ACCESS_DENIAL_RULES: Tuple[str, ...]
RETENTION_TRIGGERS: Tuple[str, ...]
REQUEST_KINDS: Tuple[str, ...]
REQUEST_STATES: Tuple[str, ...]
INBOUND_OUTCOMES: Tuple[str, ...]
HOLD_SCOPES: Tuple[str, ...]
HOLD_STATES: Tuple[str, ...]
RECTIFY_TARGETS: Tuple[str, ...]
RECTIFY_FIELDS: Dict[str, Tuple[str, ...]]
NOTICE_STATES: Tuple[str, ...]
TRANSFER_KINDS: Tuple[str, ...]
DISCLOSURE_REFUSAL_REASONS: Tuple[str, ...]

# ---- errors --------------------------------------------------------------------

class Error(Exception):
    code: int
    name: str
    def __init__(self, message: str = ..., *, code: Optional[int] = ...,
                 name: Optional[str] = ...) -> None: ...
    @property
    def message(self) -> str: ...

class InternalError(Error): ...
class InvalidArgumentError(Error, ValueError): ...
class PolicyInvalidError(InvalidArgumentError):
    problems: List[PolicyProblem]
    def __init__(self, message: str = ..., *, code: Optional[int] = ...,
                 name: Optional[str] = ..., problems: Iterable[Any] = ...) -> None: ...
class NotFoundError(Error, LookupError): ...
class WrongKeyError(Error): ...
class CorruptError(Error): ...
class LockedError(Error): ...
class DuplicateError(Error): ...
class NoCodecError(Error): ...
class StoreIOError(Error, OSError): ...
class CancelledError(Error): ...
class ClosedError(Error): ...
class AccessDeniedError(Error):
    rule: str
    def __init__(self, message: str = ..., *, code: Optional[int] = ...,
                 name: Optional[str] = ..., rule: str = ...) -> None: ...
class UnsupportedError(Error): ...
class ExpiredError(Error): ...
class DisclosureRefusedError(Error):
    reason: str
    def __init__(self, message: str = ..., *, code: Optional[int] = ...,
                 name: Optional[str] = ..., reason: str = ...) -> None: ...

def error_class(code: int) -> Type[Error]: ...

# ---- records -------------------------------------------------------------------

class KdfParams(NamedTuple):
    opslimit: int
    memlimit_log2: int

@dataclass(frozen=True, repr=False)
class Account:
    id: str
    status: str
    created_at: int
    updated_at: int
    name: str
    email: Optional[str] = ...
    phone: Optional[str] = ...
    address: Optional[str] = ...
    company: Optional[str] = ...
    def fields(self) -> Dict[str, Optional[str]]: ...

@dataclass(frozen=True)
class AccountPage:
    items: List[Account]
    next_cursor: Optional[str]
    def __iter__(self) -> Iterator[Account]: ...
    def __len__(self) -> int: ...

@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: int
    actor: str
    action: str
    subject: str
    target: str
    outcome: str
    reason: str

@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    first_bad_seq: Optional[int]
    problem: Optional[str]
    head: str
    def __bool__(self) -> bool: ...

@dataclass(frozen=True)
class Info:
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
    principals: int
    cases: int
    messages: int
    payments: int
    posts: int

@dataclass(frozen=True)
class PolicyProblem:
    path: str
    message: str

@dataclass(frozen=True)
class PolicyCategory:
    id: str
    description: str
    kind: str
    records: Tuple[str, ...]

@dataclass(frozen=True)
class PolicyPurpose:
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

@dataclass(frozen=True, repr=False)
class PolicyVersion:
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
    def purpose(self, id: str) -> Optional[PolicyPurpose]: ...
    def document_dict(self) -> Dict[str, Any]: ...

@dataclass(frozen=True)
class PolicyDiff:
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

@dataclass(frozen=True)
class PublishResult:
    policy: PolicyVersion
    subjects_reconsent: int
    notifications: int

@dataclass(frozen=True)
class ConsentRequest:
    subject: str
    purpose: str
    action: str = ...
    channel: str = ...
    scope: str = ...
    evidence: str = ...
    expires_at: Optional[int] = ...

@dataclass(frozen=True)
class ConsentEvent:
    id: str
    subject: str
    purpose: str
    scope: str
    action: str
    channel: str
    policy_version: int
    evidence: str
    at: int
    expires_at: Optional[int]

@dataclass(frozen=True)
class ConsentState:
    purpose: str
    scope: str
    action: str
    policy_version: int
    at: int
    expires_at: Optional[int]
    reconsent_required: bool

@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    policy_version: int
    def __bool__(self) -> bool: ...

@dataclass(frozen=True)
class ReconsentRequest:
    subject: str
    policy_version: int
    purposes: Tuple[str, ...]
    requested_at: int

@dataclass(frozen=True)
class ErasureRequest:
    id: str
    subject: str
    reason: str
    channel: str
    requested_at: int
    due_at: int
    state: str

@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    subject: str
    payload: Dict[str, Any]
    created_at: int
    attempts: int

# ---- team access and records ------------------------------------------------------

class Role(str, Enum):
    SUBJECT = "subject"
    ATTORNEY = "attorney"
    STAFF = "staff"
    SUPPORT = "support"
    SYSTEM = "system"
    AGENCY = "agency"

class Action(str, Enum):
    READ = "read"
    WRITE = "write"
    ERASE = "delete"
    EXPORT = "export"
    DISCLOSE = "disclose"

class RecordKind(str, Enum):
    ACCOUNT = "account"
    CONSENT = "consent"
    CASE = "case"
    CORRESPONDENCE = "correspondence"
    BILLING = "billing"
    POST = "post"
    AUDIT = "audit"

class MessageChannel(str, Enum):
    EMAIL = "email"
    WHATSAPP = "whatsapp"
    PHONE = "phone"
    WEB_FORM = "web_form"
    SURVEY = "survey"

class Direction(str, Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"

@dataclass(frozen=True)
class RecordRef:
    kind: Union[RecordKind, str]
    id: str

@dataclass(frozen=True)
class AccessVerdict:
    allowed: bool
    rule: str
    def __bool__(self) -> bool: ...

@dataclass(frozen=True)
class Principal:
    id: str
    role: Union[Role, str]
    created_at: int
    active: bool

@dataclass(frozen=True)
class CaseStatus:
    status: str
    at: int
    source: str
    detail: Optional[str] = ...

@dataclass(frozen=True)
class Case:
    id: str
    subject: str
    receipt_number: Optional[str]
    form_type: str
    questionnaire: Any
    latest_status: Optional[CaseStatus]
    created_at: int
    updated_at: int

@dataclass(frozen=True)
class CaseDocument:
    id: str
    case_id: str
    name: str
    kind: str
    size: int
    sha256: str
    added_at: int

@dataclass(frozen=True)
class MessageFields:
    subject: str
    body: str
    channel: Union[MessageChannel, str] = ...
    direction: Union[Direction, str] = ...
    case_id: Optional[str] = ...
    at: Optional[int] = ...
    subject_line: Optional[str] = ...
    sender: Optional[str] = ...

@dataclass(frozen=True)
class Message:
    id: str
    subject: str
    case_id: Optional[str]
    channel: Union[MessageChannel, str]
    direction: Union[Direction, str]
    at: int
    subject_line: Optional[str]
    body: str
    sender: Optional[str]
    recorded_at: int

@dataclass(frozen=True)
class MessagePage:
    items: List[Message]
    next_cursor: Optional[str]
    def __iter__(self) -> Iterator[Message]: ...
    def __len__(self) -> int: ...

@dataclass(frozen=True)
class Payment:
    id: str
    subject: str
    amount_minor: int
    currency: str
    paid_at: int
    card_brand: str
    last4: str
    billing_address: Optional[str]
    processor_ref: Optional[str]
    recurring: bool
    recorded_at: int
    billing_state: Optional[str] = ...
    tax_exemption: Optional[str] = ...

@dataclass(frozen=True)
class Post:
    id: str
    author: Optional[str]
    title: str
    body: str
    created_at: int

@dataclass(frozen=True)
class PostPage:
    items: List[Post]
    next_cursor: Optional[str]
    def __iter__(self) -> Iterator[Post]: ...
    def __len__(self) -> int: ...

# ---- retention -----------------------------------------------------------------

class RetentionTrigger(str, Enum):
    INACTIVITY = "inactivity"
    CANCELLATION = "cancellation"
    DELETION_REQUEST = "deletion_request"
    RECONSENT_DECLINED = "reconsent_declined"
    ACCOUNT_CLOSED = "account_closed"

class RequestKind(str, Enum):
    CANCEL = "cancel"
    ERASE = "erase"

class RequestState(str, Enum):
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    PENDING = "pending"
    DONE = "done"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

class InboundOutcome(str, Enum):
    NO_COMMAND = "no_command"
    AMBIGUOUS = "ambiguous"
    NEGATED = "negated"
    MENTION_ONLY = "mention_only"
    UNKNOWN_SENDER = "unknown_sender"
    CHANNEL_NOT_ACCEPTED = "channel_not_accepted"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    ACCEPTED = "accepted"

class HoldScope(str, Enum):
    SUBJECT = "subject"
    CASE_FILE = "case"

class HoldState(str, Enum):
    ACTIVE = "active"
    CONTINUED = "continued"
    EXPIRED = "expired"
    RELEASED = "released"

@dataclass(frozen=True)
class ActivityMark:
    kind: str
    at: int

@dataclass(frozen=True)
class ActivityState:
    subject: str
    active: bool
    active_until: Optional[int]
    latest: Tuple[ActivityMark, ...]
    inactivity_due_at: Optional[int]
    def last(self, kind: str) -> Optional[int]: ...

@dataclass(frozen=True)
class RetentionRequest:
    id: str
    subject: str
    kind: Union[RequestKind, str]
    trigger: Union[RetentionTrigger, str]
    channel: str
    state: Union[RequestState, str]
    requested_at: int
    due_at: Optional[int]
    confirm_by: Optional[int]
    done_at: Optional[int]

@dataclass(frozen=True)
class InboundResult:
    outcome: Union[InboundOutcome, str]
    command: Optional[Union[RequestKind, str]]
    subject: Optional[str]
    request: Optional[RetentionRequest]

@dataclass(frozen=True)
class Hold:
    id: str
    scope: Union[HoldScope, str]
    target: str
    subject: str
    authority: str
    reference: str
    state: Union[HoldState, str]
    placed_at: int
    expires_at: int
    extensions: int
    process: Optional[str]
    process_at: Optional[int]
    ended_at: Optional[int]
    confidential: bool = ...

@dataclass(frozen=True)
class PlannedDeletion:
    subject: str
    trigger: Union[RetentionTrigger, str]
    rules: Tuple[str, ...]
    due_at: int
    counts: Dict[str, int]
    actions: Dict[str, str]

@dataclass(frozen=True)
class HeldBack:
    subject: str
    trigger: Union[RetentionTrigger, str]
    hold_id: str
    reason: str

@dataclass(frozen=True)
class SweepPlan:
    now: int
    deletions: Tuple[PlannedDeletion, ...]
    held: Tuple[HeldBack, ...]
    holds_expiring: Tuple[str, ...]
    backups_expiring: Tuple[str, ...]
    requests_expiring: Tuple[str, ...]
    def subjects(self) -> Tuple[str, ...]: ...

@dataclass(frozen=True)
class SweepReport:
    now: int
    subjects: int
    counts: Dict[str, int]
    receipts: Tuple[str, ...]
    held: Tuple[HeldBack, ...]
    holds_expired: int
    backups_removed: int
    requests_expired: int

@dataclass(frozen=True)
class DeletionReceipt:
    id: str
    subject_ref: str
    trigger: Union[RetentionTrigger, str]
    rules: Tuple[str, ...]
    counts: Dict[str, int]
    at: int

@dataclass(frozen=True)
class BackupInfo:
    id: str
    path: str
    taken_at: int
    size: int
    sha256: str
    removed_at: Optional[int]

@dataclass(frozen=True)
class RestoreReport:
    backup_id: Optional[str]
    taken_at: int
    erasures_replayed: int

class RectifyTarget(str, Enum):
    ACCOUNT = "account"
    CASE_FILE = "case"
    CASE_STATUS = "case_status"
    DOCUMENT = "document"
    MESSAGE = "message"
    PAYMENT = "payment"

class NoticeState(str, Enum):
    QUEUED = "queued"
    WITHHELD_PROHIBITED = "withheld_prohibited"
    WITHHELD_EMERGENCY = "withheld_emergency"
    NOT_REQUIRED = "not_required"

class TransferKind(str, Enum):
    ACQUISITION = "acquisition"
    MERGER = "merger"

@dataclass(frozen=True)
class Rectification:
    target: Union[RectifyTarget, str]
    id: str
    field: str
    value: str

@dataclass(frozen=True)
class RectifyResult:
    target: Union[RectifyTarget, str]
    id: str
    field: str
    at: int

@dataclass(frozen=True)
class ErasureTicket:
    request: RetentionRequest
    subject_ref: str

@dataclass(frozen=True)
class LegalProcess:
    kind: str
    reference: str = ...
    justification: str = ...

@dataclass(frozen=True)
class NondisclosureOrder:
    reference: str = ...
    until: Optional[int] = ...

@dataclass(frozen=True)
class Disclosure:
    id: str
    subject: str
    recipient: str
    recipient_name: str
    rule: str
    kind: str
    purpose: Optional[str]
    categories: Tuple[str, ...]
    fields: Tuple[str, ...]
    legal_basis: str
    case_id: Optional[str]
    subprocessor: Optional[str]
    process: Optional[LegalProcess]
    hold_id: Optional[str]
    reference: str
    at: int
    notice: Union[NoticeState, str]
    notice_at: Optional[int]
    nondisclosure: bool
    nondisclosure_until: Optional[int]
    lifted_at: Optional[int]

@dataclass(frozen=True)
class Subprocessor:
    name: str
    purpose: str
    categories: Tuple[str, ...]
    location: str
    added_at: int
    retired_at: Optional[int]

@dataclass(frozen=True)
class Transfer:
    id: str
    kind: Union[TransferKind, str]
    counterparty: str
    effective_at: int
    announced_at: int
    notified: int

@dataclass(frozen=True)
class AggregateCell:
    keys: Tuple[str, ...]
    count: Optional[int]
    total_minor: Optional[int]
    suppressed: bool

@dataclass(frozen=True)
class AggregateTable:
    name: str
    dimensions: Tuple[str, ...]
    currency: Optional[str]
    min_count: int
    cells: Tuple[AggregateCell, ...]
    margins: Tuple[AggregateCell, ...]
    total: AggregateCell
    suppressed_primary: int
    suppressed_complementary: int
    def get(self, *keys: str) -> Optional[AggregateCell]: ...

# ---- the vault -----------------------------------------------------------------

def engine_versions() -> Dict[str, str]: ...
def lint_policy(document: PolicyDocument) -> List[PolicyProblem]: ...
def parse_policy(document: PolicyDocument) -> PolicyVersion: ...

def open(
    path: PathLike,
    *,
    passphrase: Union[str, bytes, None] = ...,
    key: Optional[bytes] = ...,
    create: bool = ...,
    kdf: Kdf = ...,
    actor: str = ...,
    clock: Optional[Clock] = ...,
    busy_timeout_ms: int = ...,
    batch_read_audit: bool = ...,
    durable: bool = ...,
    progress: Optional[Progress] = ...,
) -> Vault: ...

class Vault:
    def __init__(self, handle: Any, path: str) -> None: ...
    @property
    def path(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    @property
    def accounts(self) -> Accounts: ...
    @property
    def audit(self) -> Audit: ...
    @property
    def policy(self) -> Policies: ...
    @property
    def consents(self) -> Consents: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def principals(self) -> Principals: ...
    @property
    def cases(self) -> Cases: ...
    @property
    def correspondence(self) -> Correspondence: ...
    @property
    def billing(self) -> Billing: ...
    @property
    def posts(self) -> Posts: ...
    @property
    def activity(self) -> Activity: ...
    @property
    def requests(self) -> Requests: ...
    @property
    def holds(self) -> Holds: ...
    @property
    def retention(self) -> Retention: ...
    @property
    def backups(self) -> Backups: ...
    @property
    def subject_requests(self) -> SubjectRequests: ...
    @property
    def disclosures(self) -> Disclosures: ...
    @property
    def aggregates(self) -> Aggregates: ...
    def can(self, actor: str, action: Union[Action, str],
            kind: Union[RecordKind, str, RecordRef],
            record_id: Optional[str] = ...) -> AccessVerdict: ...
    def may_process(self, subject: str, purpose: str, scope: str = ...) -> Decision: ...
    def close(self) -> None: ...
    def __enter__(self) -> Vault: ...
    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None: ...
    def info(self) -> Info: ...
    def check_integrity(self) -> int: ...
    def change_passphrase(self, new_passphrase: Union[str, bytes], *, kdf: Kdf = ...,
                          progress: Optional[Progress] = ...) -> None: ...
    def change_key(self, new_key: bytes, *, progress: Optional[Progress] = ...) -> None: ...

class Accounts:
    def __init__(self, handle: Any) -> None: ...
    def create(self, name: str, email: Optional[str] = ..., phone: Optional[str] = ...,
               address: Optional[str] = ..., company: Optional[str] = ...) -> Account: ...
    def create_many(self, batch: Iterable[Mapping[str, Any]]) -> List[Account]: ...
    def get(self, id: str) -> Account: ...
    def find(self, *, email: Optional[str] = ..., phone: Optional[str] = ...) -> Optional[Account]: ...
    def update(self, id: str, *, name: Optional[str] = ..., email: Optional[str] = ...,
               phone: Optional[str] = ..., address: Optional[str] = ...,
               company: Optional[str] = ...) -> Account: ...
    def set_status(self, id: str, status: str) -> Account: ...
    def list(self, *, after: Optional[str] = ..., limit: int = ...,
             status: Optional[str] = ...) -> AccountPage: ...
    def iter(self, *, status: Optional[str] = ..., page_size: int = ...) -> Iterator[Account]: ...
    def __iter__(self) -> Iterator[Account]: ...
    def count(self, status: Optional[str] = ...) -> int: ...
    def erase(self, id: str) -> None: ...

class Audit:
    def __init__(self, handle: Any) -> None: ...
    def read(self, *, subject: Optional[str] = ..., actor: Optional[str] = ...,
             action: Optional[str] = ..., since: Optional[int] = ...,
             until: Optional[int] = ..., after_seq: int = ...,
             limit: int = ...) -> List[AuditEntry]: ...
    def iter(self, *, page_size: int = ..., **filters: Any) -> Iterator[AuditEntry]: ...
    def verify(self, expected_head: Optional[str] = ...) -> VerifyResult: ...

class Policies:
    def __init__(self, handle: Any) -> None: ...
    def publish(self, document: PolicyDocument, *,
                progress: Optional[Progress] = ...) -> PublishResult: ...
    def active(self) -> Optional[PolicyVersion]: ...
    def get(self, version: int) -> PolicyVersion: ...
    def list(self) -> List[PolicyVersion]: ...
    def diff(self, from_: int, to: int) -> PolicyDiff: ...

class Consents:
    def __init__(self, handle: Any) -> None: ...
    def record(self, subject: str, purpose: str, action: str = ..., channel: str = ...,
               scope: str = ..., evidence: str = ...,
               expires_at: Optional[int] = ...) -> ConsentEvent: ...
    def grant(self, subject: str, purpose: str, *, channel: str = ..., scope: str = ...,
              evidence: str = ..., expires_at: Optional[int] = ...) -> ConsentEvent: ...
    def withdraw(self, subject: str, purpose: str, *, channel: str = ..., scope: str = ...,
                 evidence: str = ...) -> ConsentEvent: ...
    def decline(self, subject: str, purpose: str, *, channel: str = ..., scope: str = ...,
                evidence: str = ...) -> ConsentEvent: ...
    def record_many(self, batch: Iterable[Union[ConsentRequest, Mapping[str, Any]]]
                    ) -> List[ConsentEvent]: ...
    def may_process(self, subject: str, purpose: str, scope: str = ...) -> Decision: ...
    def history(self, subject: str) -> List[ConsentEvent]: ...
    def state(self, subject: str) -> List[ConsentState]: ...
    def receipts(self, subject: str) -> List[Dict[str, Any]]: ...
    def subscribe(self, subject: str, subscription: str, channel: str = ...,
                  evidence: str = ...) -> ConsentEvent: ...
    def unsubscribe(self, subject: str, subscription: str, channel: str = ...,
                    evidence: str = ...) -> ConsentEvent: ...
    def subscriptions(self, subject: str) -> List[str]: ...
    def record_visitor(self, visitor_id: str, category: str, action: str = ...,
                       channel: str = ...) -> ConsentEvent: ...
    def visitor_may(self, visitor_id: str, category: str) -> Decision: ...
    def pending_reconsent(self, limit: int = ...) -> List[ReconsentRequest]: ...
    def erasure_requests(self, subject: Optional[str] = ...) -> List[ErasureRequest]: ...

class Outbox:
    def __init__(self, handle: Any) -> None: ...
    def poll(self, limit: int = ..., lease_seconds: int = ...) -> List[Notification]: ...
    def ack(self, ids: Union[int, Notification, Iterable[Union[int, Notification]]]) -> int: ...
    def pending(self) -> int: ...

class Principals:
    def __init__(self, handle: Any) -> None: ...
    def add(self, role: Union[Role, str]) -> Principal: ...
    def get(self, id: str) -> Principal: ...
    def list(self) -> List[Principal]: ...
    def disable(self, id: str) -> None: ...

class Cases:
    def __init__(self, handle: Any) -> None: ...
    def open(self, actor: str, subject: str, form_type: str, *,
             receipt_number: Optional[str] = ...,
             questionnaire: Optional[Questionnaire] = ...) -> Case: ...
    def get(self, actor: str, case_id: str) -> Case: ...
    def list(self, actor: str, subject: str) -> List[Case]: ...
    def find_by_receipt(self, actor: str, receipt_number: str) -> Optional[Case]: ...
    def update(self, actor: str, case_id: str, *, receipt_number: Optional[str] = ...,
               form_type: Optional[str] = ...,
               questionnaire: Optional[Questionnaire] = ...) -> Case: ...
    def add_status(self, actor: str, case_id: str, status: str, source: str, *,
                   at: Optional[int] = ..., detail: Optional[str] = ...) -> CaseStatus: ...
    def history(self, actor: str, case_id: str) -> List[CaseStatus]: ...
    def add_document(self, actor: str, case_id: str, *, name: str, kind: str, size: int,
                     sha256: str) -> CaseDocument: ...
    def documents(self, actor: str, case_id: str) -> List[CaseDocument]: ...
    def remove_document(self, actor: str, document_id: str) -> None: ...
    def assign(self, case_id: str, principal: str) -> None: ...
    def unassign(self, case_id: str, principal: str) -> None: ...
    def assignees(self, case_id: str) -> List[str]: ...

class Correspondence:
    def __init__(self, handle: Any) -> None: ...
    def record(self, actor: str, subject: Optional[str] = ..., *, body: str,
               channel: Union[MessageChannel, str] = ...,
               direction: Union[Direction, str] = ...,
               case_id: Optional[str] = ..., at: Optional[int] = ...,
               subject_line: Optional[str] = ..., sender: Optional[str] = ...) -> Message: ...
    def record_many(self, actor: str,
                    batch: Iterable[Union[MessageFields, Mapping[str, Any]]]) -> List[Message]: ...
    def get(self, actor: str, message_id: str) -> Message: ...
    def list(self, actor: str, subject: str, *, after: Optional[str] = ..., limit: int = ...,
             case_id: Optional[str] = ...) -> MessagePage: ...
    def iter(self, actor: str, subject: str, *, case_id: Optional[str] = ...,
             page_size: int = ...) -> Iterator[Message]: ...
    def match_sender(self, actor: str, sender: str) -> Optional[str]: ...

class Billing:
    def __init__(self, handle: Any) -> None: ...
    def record(self, actor: str, subject: str, *, amount_minor: int, currency: str,
               card_brand: str, last4: str, paid_at: Optional[int] = ...,
               billing_address: Optional[str] = ..., processor_ref: Optional[str] = ...,
               recurring: bool = ..., billing_state: Optional[str] = ...,
               tax_exemption: Optional[str] = ...) -> Payment: ...
    def get(self, actor: str, payment_id: str) -> Payment: ...
    def list(self, actor: str, subject: str) -> List[Payment]: ...

class Posts:
    def __init__(self, handle: Any) -> None: ...
    def publish(self, actor: str, title: str, body: str, *,
                author: Optional[str] = ...) -> Post: ...
    def get(self, actor: str, post_id: str) -> Post: ...
    def list(self, actor: str, *, after: Optional[str] = ..., limit: int = ...,
             author: Optional[str] = ...) -> PostPage: ...
    def iter(self, actor: str, *, author: Optional[str] = ...,
             page_size: int = ...) -> Iterator[Post]: ...
    def remove(self, actor: str, post_id: str) -> None: ...

class Activity:
    def __init__(self, handle: Any) -> None: ...
    def record(self, subject: str, kind: str, *, at: Optional[int] = ...) -> ActivityState: ...
    def state(self, subject: str) -> ActivityState: ...

class Requests:
    def __init__(self, handle: Any) -> None: ...
    def cancel(self, subject: str, *, channel: ChannelName = ...) -> RetentionRequest: ...
    def erase(self, subject: str, *, channel: ChannelName = ...) -> RetentionRequest: ...
    def inbound(self, channel: ChannelName, sender: str, *, subject_line: str = ...,
                body: str = ..., at: Optional[int] = ...) -> InboundResult: ...
    def parse(self, channel: ChannelName, *, subject_line: str = ...,
              body: str = ...) -> InboundResult: ...
    def confirm(self, code: str) -> RetentionRequest: ...
    def get(self, request_id: str) -> RetentionRequest: ...
    def list(self, subject: Optional[str] = ...) -> List[RetentionRequest]: ...

class Holds:
    def __init__(self, handle: Any) -> None: ...
    def place(self, target: str, *, authority: str, reference: str,
              scope: Union[HoldScope, str] = ..., at: Optional[int] = ...,
              confidential: bool = ...) -> Hold: ...
    def extend(self, hold_id: str) -> Hold: ...
    def record_process(self, hold_id: str, process: str, reference: str) -> Hold: ...
    def release(self, hold_id: str) -> Hold: ...
    def get(self, hold_id: str) -> Hold: ...
    def list(self, subject: Optional[str] = ..., *, include_ended: bool = ...) -> List[Hold]: ...

class Retention:
    def __init__(self, handle: Any) -> None: ...
    def preview(self, now: Optional[int] = ...) -> SweepPlan: ...
    def sweep(self, *, now: Optional[int] = ..., batch_size: int = ...,
              subjects_per_commit: int = ...,
              progress: Optional[Progress] = ...) -> SweepReport: ...
    def receipts_for(self, subject: str) -> List[DeletionReceipt]: ...
    def receipts(self, *, after: Optional[str] = ..., limit: int = ...) -> List[DeletionReceipt]: ...
    def iter_receipts(self, *, page_size: int = ...) -> Iterator[DeletionReceipt]: ...
    def subject_ref(self, subject: str) -> str: ...

class Backups:
    def __init__(self, handle: Any) -> None: ...
    def create(self, path: PathLike, *, progress: Optional[Progress] = ...) -> BackupInfo: ...
    def list(self, *, include_removed: bool = ...) -> List[BackupInfo]: ...
    def restore(self, path: PathLike, *, progress: Optional[Progress] = ...) -> RestoreReport: ...

class SubjectRequests:
    def __init__(self, handle: Any) -> None: ...
    @overload
    def export(self, subject: str, fp: None = ...) -> str: ...
    @overload
    def export(self, subject: str, fp: Writable) -> None: ...
    def rectify(self, subject: str, target: Union[RectifyTarget, str], id: str, field: str,
                value: str) -> RectifyResult: ...
    def rectify_many(self, subject: str,
                     changes: Iterable[Union[Rectification, Mapping[str, Any], Tuple[Any, ...]]]
                     ) -> List[RectifyResult]: ...
    def erase(self, subject: str, channel: ChannelName = ...) -> ErasureTicket: ...

class Disclosures:
    def __init__(self, handle: Any) -> None: ...
    def record(self, subject: str, *, recipient: str, categories: Union[str, Iterable[str]],
               purpose: Optional[str] = ..., fields: Union[str, Iterable[str], None] = ...,
               recipient_name: str = ..., case_id: Optional[str] = ...,
               subprocessor: Optional[str] = ...,
               process: Union[LegalProcess, Mapping[str, Any], None] = ...,
               nondisclosure: Union[NondisclosureOrder, Mapping[str, Any], None] = ...,
               hold_id: Optional[str] = ..., reference: str = ...,
               at: Optional[int] = ...) -> Disclosure: ...
    def lift_nondisclosure(self, disclosure_id: str) -> Disclosure: ...
    def get(self, disclosure_id: str) -> Disclosure: ...
    def list(self, subject: Optional[str] = ...) -> List[Disclosure]: ...
    @overload
    def package(self, disclosure_id: str, fp: None = ...) -> str: ...
    @overload
    def package(self, disclosure_id: str, fp: Writable) -> None: ...
    def add_subprocessor(self, name: str, *, purpose: str, categories: Union[str, Iterable[str]],
                         location: str) -> Subprocessor: ...
    def retire_subprocessor(self, name: str) -> Subprocessor: ...
    def subprocessors(self, *, include_retired: bool = ...) -> List[Subprocessor]: ...
    def announce_transfer(self, kind: Union[TransferKind, str], counterparty: str,
                          effective_at: int, progress: Optional[Progress] = ...) -> Transfer: ...
    def transfers(self) -> List[Transfer]: ...

class Aggregates:
    def __init__(self, handle: Any) -> None: ...
    def cases(self, *, purpose: Optional[str] = ..., since: Optional[int] = ...,
              until: Optional[int] = ..., min_count: Optional[int] = ...) -> AggregateTable: ...
    def accounts(self, *, purpose: Optional[str] = ..., since: Optional[int] = ...,
                 until: Optional[int] = ..., min_count: Optional[int] = ...) -> AggregateTable: ...
    def billing(self, *, purpose: Optional[str] = ..., since: Optional[int] = ...,
                until: Optional[int] = ..., min_count: Optional[int] = ...) -> List[AggregateTable]: ...
    def all(self, *, purpose: Optional[str] = ..., since: Optional[int] = ...,
            until: Optional[int] = ..., min_count: Optional[int] = ...) -> List[AggregateTable]: ...

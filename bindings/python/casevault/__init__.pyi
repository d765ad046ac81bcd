# Type stub of the public casevault API (the implementation is in _vault.py,
# _model.py and _errors.py; the engine is the native module _casevault).
import os
from dataclasses import dataclass
from types import TracebackType
from typing import (
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
)

__version__: str

Clock = Callable[[], int]
Progress = Callable[[str, int, int], Optional[bool]]
Kdf = Union[None, str, KdfParams, Tuple[int, int]]
PathLike = Union[str, bytes, os.PathLike[str], os.PathLike[bytes]]

PolicyDocument = Union[str, bytes, Mapping[str, Any]]

ACCOUNT_STATUSES: Tuple[str, ...]
ACCOUNT_FIELDS: Tuple[str, ...]
CONSENT_ACTIONS: Tuple[str, ...]
CHANNELS: Tuple[str, ...]
LEGAL_BASES: Tuple[str, ...]
DECISION_REASONS: Tuple[str, ...]

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
class AccessDeniedError(Error): ...
class UnsupportedError(Error): ...

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

@dataclass(frozen=True)
class PolicyProblem:
    path: str
    message: str

@dataclass(frozen=True)
class PolicyCategory:
    id: str
    description: str
    kind: str

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

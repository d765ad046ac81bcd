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

ACCOUNT_STATUSES: Tuple[str, ...]
ACCOUNT_FIELDS: Tuple[str, ...]

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

# ---- the vault -----------------------------------------------------------------

def engine_versions() -> Dict[str, str]: ...

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

"""Type stubs for iamkit's native module: the wire contract's generic entry points (``call``,
``Handle``), the policy-set hot path (``PolicySet``, ``Evaluation``), the lazy credential report
(``parse_credential_report``, ``CredentialReport``, ``CredentialRows``, ``CredentialRow``) and the
exceptions.

An input is JSON text (``str``) or a Python value written as JSON: dict (str keys), list, tuple,
str, int, float (not NaN or infinite), bool, None, datetime/date (ISO 8601), bytes/bytearray/
memoryview (UTF-8 text). Anything else is refused with ``IAM_INVALID_ARGUMENT``."""

from typing import Any, Iterator, List, Literal, Optional, Sequence, Tuple, TypeVar, Union, overload

from ._contract import (
    BoolCell,
    CallName,
    CertSlot,
    CredentialReport as CredentialReportAnswer,
    CredentialRow as CredentialRowAnswer,
    Decision,
    Error,
    Evaluation as EvaluationAnswer,
    Explanation,
    HandleKind,
    InstantCell,
    KeySlot,
    Location,
)

_H = TypeVar("_H", bound="Handle")
_P = TypeVar("_P", bound="PolicySet")

Input = Any
"""A call's input: a dict (or any value the converter writes as JSON), or its JSON text."""

__version__: str

def version() -> str:
    """The iamkit version."""

def call(name: Union[CallName, str], input: Input) -> Any:
    """Answers a call that needs no handle (``evaluate``, ``validate``, ``lookupAction``,
    ``expandActions``, ``lint``, ``summarize``, ``review``, ``catalogSource``, ``credentials``,
    ``credentialReport``, ``audit``) with its answer as Python values. Releases the GIL."""

def parse_credential_report(report: Input) -> "CredentialReport":
    """Parses a credential report (its CSV as ``str`` or UTF-8 ``bytes``, or the
    ``get_credential_report`` response) into a lazy view of ``call("credentialReport")``'s answer:
    the rows stay native until read. Releases the GIL while parsing."""

def _error(code: str, message: str, json_path: Optional[str] = None) -> "IamkitError":
    """The iamkit exception of ``code``'s family, for the Python layer's own checks."""

def _test_panic() -> None:
    """Only in test builds (feature ``test-panic``): panics inside the guard."""

class IamkitError(Exception):
    """Base class of every iamkit error."""

    code: str
    """The stable code, e.g. ``IAM_POLICY_JSON``."""
    message: str
    """The message (lowercase, no final period)."""
    location: Optional[Location]
    """Where: ``{"jsonPath", "line"?, "column"?}``, or ``None``."""
    details: Error
    """The wire error: ``{"code", "message", "location"?}``."""

class InputError(IamkitError):
    """The input is not valid JSON, has the wrong shape, or a value of the wrong type
    (``IAM_INPUT_JSON``, ``IAM_INPUT_SCHEMA``, ``IAM_INPUT_TOO_LARGE``, ``IAM_INVALID_ARGUMENT``,
    ``IAM_IO``, ...)."""

class PolicyParseError(IamkitError):
    """A policy document is not valid JSON or repeats a key."""

class PolicyValidationError(IamkitError):
    """A policy document breaks IAM's grammar (``IAM_POLICY_*``)."""

class AccountError(IamkitError):
    """Account data that cannot be loaded, or a query naming an unknown principal (``IAM_ACCOUNT_*``)."""

class AuditInputError(IamkitError):
    """A credential report, password policy or account summary that cannot be read
    (``IAM_REPORT_FORMAT``, ``IAM_AUDIT_INPUT``)."""

class OrganizationError(IamkitError):
    """Organization data that cannot be read: a file of the tree, an account the organization
    does not list, an SCP or RCP on an account's path (``IAM_ORG_DATA``)."""

class RequestError(IamkitError):
    """The request is malformed (``IAM_REQUEST_*``)."""

class InternalError(IamkitError):
    """A bug in iamkit (``IAM_INTERNAL``)."""

class Handle:
    """Something opened once and called many times (a compiled policy set, a loaded account);
    immutable and safe to share between threads."""

    def __new__(cls: type[_H], kind: Union[HandleKind, str], input: Input) -> _H:
        """Opens a handle of ``kind`` from its input. Releases the GIL."""
    @property
    def kind(self) -> HandleKind:
        """``policySet`` or ``account``."""
    def call(self, name: str, input: Input) -> Any:
        """Answers a call of the handle's table with its answer as Python values. Releases the GIL."""

class Evaluation:
    """The result of one evaluation."""

    @property
    def decision(self) -> Decision:
        """``allowed``, ``explicitDeny`` or ``implicitDeny``."""
    @property
    def allowed(self) -> bool:
        """Whether the decision is ``allowed``."""
    @property
    def explain(self) -> Explanation:
        """Why: ``deniedBy``?, ``grantedBy``?, ``reason``, ``statements``, ``steps``."""
    def to_dict(self) -> EvaluationAnswer:
        """The answer as the contract's ``Evaluation``: ``{"decision", "explain"}``."""

class PolicySet(Handle):
    """Policies compiled once, to decide many requests (a handle of kind ``policySet``)."""

    def __new__(cls: type[_P], policies: Input) -> _P:
        """Compiles ``policies``: ``{"identity", "resource", "permissionBoundaries", "session",
        "scps", "rcps", "vpcEndpoint"}``, every member optional. Releases the GIL."""
    def evaluate(self, request: Input) -> Evaluation:
        """Decides one request and explains the decision."""
    def decide(self, request: Input) -> Decision:
        """Decides one request without an explanation."""
    def evaluate_batch(self, requests: Sequence[Input]) -> list[Union[Evaluation, IamkitError]]:
        """Decides many requests (a list or tuple), without holding the GIL; each item is an
        Evaluation or that request's error (located at ``$.requests[i]``), never raised."""

RowKey = Literal[
    "line", "user", "arn", "isRoot", "userCreationTime", "passwordEnabled", "passwordLastUsed",
    "passwordLastChanged", "passwordNextRotation", "mfaActive", "accessKeys", "certs",
]
"""The keys of a credential report row."""

class CredentialRow:
    """One row of a credential report: a read-only ``Mapping[str, Any]`` (registered as one) with
    the keys and values of the contract's ``CredentialRow``, made when read; the values also as
    snake_case attributes. Equal to its dict (``to_dict()``)."""

    @overload
    def __getitem__(self, key: Literal["line"]) -> int: ...
    @overload
    def __getitem__(self, key: Literal["user", "arn"]) -> str: ...
    @overload
    def __getitem__(self, key: Literal["isRoot"]) -> bool: ...
    @overload
    def __getitem__(
        self, key: Literal["userCreationTime", "passwordLastUsed", "passwordLastChanged", "passwordNextRotation"]
    ) -> InstantCell: ...
    @overload
    def __getitem__(self, key: Literal["passwordEnabled", "mfaActive"]) -> BoolCell: ...
    @overload
    def __getitem__(self, key: Literal["accessKeys"]) -> List[KeySlot]: ...
    @overload
    def __getitem__(self, key: Literal["certs"]) -> List[CertSlot]: ...
    @overload
    def __getitem__(self, key: str) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[RowKey]: ...
    def __contains__(self, key: object) -> bool: ...
    def keys(self) -> List[RowKey]:
        """The keys, in the order of the answer."""
    def values(self) -> List[Any]:
        """The values, in the order of the keys."""
    def items(self) -> List[Tuple[RowKey, Any]]:
        """The ``(key, value)`` pairs."""
    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default``."""
    def to_dict(self) -> CredentialRowAnswer:
        """The row as the contract's ``CredentialRow`` dict."""
    @property
    def line(self) -> int:
        """The 1-based line of the row in the CSV (the header is line 1)."""
    @property
    def user(self) -> str:
        """The user name (``<root_account>`` for the root user)."""
    @property
    def arn(self) -> str:
        """The ARN."""
    @property
    def is_root(self) -> bool:
        """Whether this is the root user's row."""
    @property
    def user_creation_time(self) -> InstantCell:
        """``userCreationTime``."""
    @property
    def password_enabled(self) -> BoolCell:
        """``passwordEnabled``."""
    @property
    def password_last_used(self) -> InstantCell:
        """``passwordLastUsed``."""
    @property
    def password_last_changed(self) -> InstantCell:
        """``passwordLastChanged``."""
    @property
    def password_next_rotation(self) -> InstantCell:
        """``passwordNextRotation``."""
    @property
    def mfa_active(self) -> BoolCell:
        """``mfaActive``."""
    @property
    def access_keys(self) -> List[KeySlot]:
        """``accessKeys``: the two access-key slots."""
    @property
    def certs(self) -> List[CertSlot]:
        """``certs``: the two signing-certificate slots."""

class CredentialRows:
    """The rows of a credential report: a read-only ``Sequence[CredentialRow]`` (registered as
    one); an index out of range raises ``IndexError``. Equal to the answer's list of dicts."""

    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: int) -> CredentialRow: ...
    @overload
    def __getitem__(self, index: slice) -> List[CredentialRow]: ...
    def __iter__(self) -> Iterator[CredentialRow]: ...
    def __contains__(self, value: object) -> bool: ...
    def index(self, value: Any) -> int:
        """The position of the first row equal to ``value`` (a row or its dict)."""
    def count(self, value: Any) -> int:
        """How many rows equal ``value`` (a row or its dict)."""
    def to_list(self) -> List[CredentialRowAnswer]:
        """Every row as the contract's ``CredentialRow`` dict (all converted now)."""

class CredentialReport:
    """A parsed credential report: a read-only ``Mapping[str, Any]`` (registered as one) with the
    keys of the ``credentialReport`` answer (``generatedTime`` when given, ``rows``). Equal to the
    answer's dict (``to_dict()``)."""

    @overload
    def __getitem__(self, key: Literal["rows"]) -> CredentialRows: ...
    @overload
    def __getitem__(self, key: Literal["generatedTime"]) -> str: ...
    @overload
    def __getitem__(self, key: str) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def __contains__(self, key: object) -> bool: ...
    def keys(self) -> List[str]:
        """``generatedTime`` (when given) and ``rows``."""
    def values(self) -> List[Any]:
        """The values, in the order of the keys."""
    def items(self) -> List[Tuple[str, Any]]:
        """The ``(key, value)`` pairs."""
    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default``."""
    def to_dict(self) -> CredentialReportAnswer:
        """The answer as the contract's ``CredentialReport`` dict (every row converted now)."""
    @property
    def rows(self) -> CredentialRows:
        """The rows, in file order."""
    @property
    def generated_time(self) -> Optional[str]:
        """``GeneratedTime`` from the API envelope (RFC 3339, UTC), or ``None``."""

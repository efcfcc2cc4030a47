"""Type stubs for iamkit's native module: the wire contract's generic entry points (``call``,
``Handle``), the policy-set hot path (``PolicySet``, ``Evaluation``) and the exceptions.

An input is JSON text (``str``) or a Python value written as JSON: dict (str keys), list, tuple,
str, int, float (not NaN or infinite), bool, None, datetime/date (ISO 8601), bytes/bytearray/
memoryview (UTF-8 text). Anything else is refused with ``IAM_INVALID_ARGUMENT``."""

from typing import Any, Optional, Sequence, TypeVar, Union

from ._contract import (
    CallName,
    Decision,
    Error,
    Evaluation as EvaluationAnswer,
    Explanation,
    HandleKind,
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
        "scps", "rcps"}``, every member optional. Releases the GIL."""
    def evaluate(self, request: Input) -> Evaluation:
        """Decides one request and explains the decision."""
    def decide(self, request: Input) -> Decision:
        """Decides one request without an explanation."""
    def evaluate_batch(self, requests: Sequence[Input]) -> list[Union[Evaluation, IamkitError]]:
        """Decides many requests (a list or tuple), without holding the GIL; each item is an
        Evaluation or that request's error (located at ``$.requests[i]``), never raised."""

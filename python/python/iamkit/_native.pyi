"""Type stubs for iamkit's native module."""

from typing import Any, Iterable, Literal, Mapping, Optional, Union

Decision = Literal["allowed", "explicitDeny", "implicitDeny"]
PolicyType = Literal["identity", "resource", "trust", "scp", "rcp", "boundary", "session"]
JsonDoc = Union[str, Mapping[str, Any]]
"""A JSON document: a dict (as boto3 returns policy documents) or its JSON text."""

__version__: str

def version() -> str:
    """The iamkit version."""

class IamkitError(Exception):
    """Base class of every iamkit error."""

    code: str
    """The stable code, e.g. ``IAM_POLICY_JSON``."""
    details: dict[str, Any]
    """``{"code", "message", "location": {"jsonPath", "line", "column"} | None}``."""

class InputError(IamkitError):
    """The input is not valid JSON, has the wrong shape, or a value of the wrong type."""

class PolicyParseError(IamkitError):
    """A policy document is not valid JSON or repeats a key."""

class PolicyValidationError(IamkitError):
    """A policy document breaks IAM's grammar (``IAM_POLICY_*``)."""

class AccountError(IamkitError):
    """Account data that cannot be loaded, or a query naming an unknown principal (IAM_ACCOUNT_*)."""

class AuditInputError(IamkitError):
    """A credential report, password policy or account summary that cannot be read (IAM_REPORT_FORMAT, IAM_AUDIT_INPUT)."""

class RequestError(IamkitError):
    """The request is malformed (``IAM_REQUEST_*``)."""

class InternalError(IamkitError):
    """A bug in iamkit (``IAM_INTERNAL``)."""

class MatchedStatement:
    """A statement that took part in a decision."""

    step: str
    policy: str
    statement: int
    sid: Optional[str]
    effect: Literal["Allow", "Deny"]
    indeterminate: bool

class StepResult:
    """One step's outcome."""

    step: str
    outcome: Literal["allow", "implicitDeny", "explicitDeny", "notApplicable", "skipped"]

class Explanation:
    """Why a decision came out as it did."""

    @property
    def denied_by(self) -> Optional[str]:
        """The step that denied: scp, rcp, resource, identity, boundary or session."""
    @property
    def granted_by(self) -> Optional[str]:
        """What granted: identity, resource or root."""
    @property
    def reason(self) -> str:
        """One sentence a person can act on."""
    @property
    def statements(self) -> list[MatchedStatement]:
        """The statements that decided."""
    @property
    def steps(self) -> list[StepResult]:
        """Each step's outcome, in chain order."""

class Evaluation:
    """The result of one evaluation."""

    @property
    def decision(self) -> Decision: ...
    @property
    def allowed(self) -> bool: ...
    @property
    def explain(self) -> Explanation: ...
    def to_json(self) -> str:
        """The wire JSON ``{"decision", "explain"}``."""

class Location:
    """Where a diagnostic points."""

    json_path: str
    line: int
    column: int

class Diagnostic:
    """One validation finding."""

    code: str
    severity: Literal["error", "warning"]
    message: str
    location: Location

class Validation:
    """The result of validating a policy."""

    valid: bool
    diagnostics: list[Diagnostic]

class PolicySet:
    """Policies compiled once, to evaluate many requests; immutable and thread-safe."""

    def __init__(self, policies: JsonDoc) -> None:
        """Compiles ``policies``: ``{"identity", "resource", "permissionBoundaries", "session",
        "scps", "rcps"}``, every member optional."""
    def evaluate(self, request: JsonDoc) -> Evaluation:
        """Decides one request and explains the decision."""
    def decide(self, request: JsonDoc) -> Decision:
        """Decides one request without an explanation."""
    def evaluate_batch(self, requests: Iterable[JsonDoc]) -> list[Evaluation]:
        """Decides many requests in one call, without holding the GIL."""
    def evaluate_json(self, request_json: str) -> str:
        """Decides one request given as JSON text; returns the wire JSON."""

def evaluate(request: JsonDoc, policies: JsonDoc) -> Evaluation:
    """Decides one request against policies."""

def validate_policy(policy: JsonDoc, type: PolicyType = "identity") -> Validation:
    """Validates a policy document as the given policy type."""

def evaluate_json(case_json: str) -> str:
    """The JSON entry point shared with C: ``{"request", "policies"}`` in, ``{"decision", "explain"}`` out."""

def validate_policy_json(policy_json: str, policy_type: str) -> str:
    """The JSON entry point shared with C: returns ``{"valid", "diagnostics"}``."""

class NativeAccount:
    """An account loaded from authorization details (JSON text); use ``iamkit.Account``."""

    def __init__(self, details_json: str, options_json: str | None = None) -> None:
        """Loads authorization details with optional load options."""
    def query_json(self, query_json: str) -> str:
        """Answers one query (JSON text) with JSON text."""

def credentials_json(document_json: str, as_of: str | None = None) -> str:
    """Reports an instance-metadata credential document (JSON text) without its secrets."""

def credential_report_json(report: str) -> str:
    """Parses a credential report (CSV or envelope text); returns typed rows as JSON text."""

def audit_json(inputs_json: str) -> str:
    """Runs the audit over inputs (JSON text); returns the report as JSON text."""

def catalog_json(query_json: str) -> str:
    """Answers one service-catalog query (JSON text) with JSON text."""

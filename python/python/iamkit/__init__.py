"""iamkit: one fast, correct AWS IAM engine.

Validate IAM policies and decide requests exactly as AWS documents it (explicit deny wins; SCPs,
RCPs, permissions boundaries and session policies limit; cross-account access needs both sides),
with an explanation of which statements decided. Policy documents may be dicts, as boto3 returns
them, or JSON strings.

    >>> import iamkit
    >>> r = iamkit.evaluate(
    ...     {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
    ...      "resource": "arn:aws:s3:::b/k"},
    ...     {"identity": [{"Version": "2012-10-17", "Statement": [
    ...         {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]})
    >>> r.decision
    'allowed'
"""

from ._native import (
    AccountError,
    AuditInputError,
    Diagnostic,
    Evaluation,
    Explanation,
    IamkitError,
    InputError,
    InternalError,
    Location,
    MatchedStatement,
    PolicyParseError,
    PolicySet,
    PolicyValidationError,
    RequestError,
    StepResult,
    Validation,
    __version__,
    evaluate,
    evaluate_json,
    validate_policy,
    validate_policy_json,
    version,
)

from ._account import Account, credentials
from ._catalog import (
    catalog_source,
    expand_actions,
    lint_policy,
    lookup_action,
    review_policy,
    summarize_policy,
)
from ._audit import (
    NO_PASSWORD_POLICY,
    AuditReport,
    CredentialReport,
    CredentialRow,
    Finding,
    Special,
    audit,
    parse_credential_report,
)

__all__ = [
    "catalog_source",
    "expand_actions",
    "lint_policy",
    "lookup_action",
    "review_policy",
    "summarize_policy",
    "NO_PASSWORD_POLICY",
    "AuditInputError",
    "AuditReport",
    "CredentialReport",
    "CredentialRow",
    "Finding",
    "Special",
    "audit",
    "parse_credential_report",
    "Account",
    "AccountError",
    "credentials",
    "Diagnostic",
    "Evaluation",
    "Explanation",
    "IamkitError",
    "InputError",
    "InternalError",
    "Location",
    "MatchedStatement",
    "PolicyParseError",
    "PolicySet",
    "PolicyValidationError",
    "RequestError",
    "StepResult",
    "Validation",
    "__version__",
    "evaluate",
    "evaluate_json",
    "validate_policy",
    "validate_policy_json",
    "version",
]

"""iamkit: one fast, correct AWS IAM engine.

Validate IAM policies and decide requests exactly as AWS documents it (explicit deny wins; SCPs,
RCPs, permissions boundaries and session policies limit; cross-account access needs both sides),
with an explanation of which statements decided; lint, summarize and review policies against the
AWS service catalog; load an account and ask who can do what; audit it.

Every call of the wire contract is ``iamkit.call(name, input)`` or ``handle.call(name, input)``
on a :class:`PolicySet` or :class:`Account`; the functions and methods below are typed one-liners
over them. Inputs are dicts (as boto3 returns them: datetimes and bytes are fine) or JSON text;
answers are dicts typed by the contract's TypedDicts (``iamkit._contract``). Every error is an
:class:`IamkitError` with ``.code``, ``.message``, ``.location`` and ``.details``.

    >>> import iamkit
    >>> ps = iamkit.PolicySet({"identity": [{"Version": "2012-10-17", "Statement": [
    ...     {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]})
    >>> ps.decide({"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
    ...            "resource": "arn:aws:s3:::b/k"})
    'allowed'
"""

from ._native import (
    AccountError,
    AuditInputError,
    Evaluation,
    Handle,
    IamkitError,
    InputError,
    InternalError,
    OrganizationError,
    PolicyParseError,
    PolicySet,
    PolicyValidationError,
    RequestError,
    __version__,
    call,
    version,
)
from ._account import Account
from ._organization import Organization
from ._calls import (
    NO_PASSWORD_POLICY,
    audit,
    catalog_source,
    credentials,
    evaluate,
    expand_actions,
    lint_policy,
    lookup_action,
    parse_credential_report,
    review_policy,
    summarize_policy,
    validate_policy,
)

__all__ = [
    "Account",
    "AccountError",
    "AuditInputError",
    "Evaluation",
    "Handle",
    "IamkitError",
    "InputError",
    "InternalError",
    "NO_PASSWORD_POLICY",
    "Organization",
    "OrganizationError",
    "PolicyParseError",
    "PolicySet",
    "PolicyValidationError",
    "RequestError",
    "__version__",
    "audit",
    "call",
    "catalog_source",
    "credentials",
    "evaluate",
    "expand_actions",
    "lint_policy",
    "lookup_action",
    "parse_credential_report",
    "review_policy",
    "summarize_policy",
    "validate_policy",
    "version",
]

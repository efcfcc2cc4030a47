"""The calls without a handle, as typed one-liners over :func:`iamkit.call`. Each returns the
call's answer as the contract's TypedDict (see ``_contract``); all IAM logic is in the core.

Documents (policies, authorization details, credential reports, ...) are dicts or lists as boto3
returns them (datetimes and ``bytes`` included), JSON text, or bytes holding the text."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ._contract import (
    ActionInfo,
    ActionMatch,
    AuditOptions,
    AuditReport,
    CatalogInfo,
    CredentialsStatus,
    Evaluation as EvaluationAnswer,
    LintReport,
    Policies,
    PolicyReview,
    PolicySummary,
    PolicyType,
    Request,
    Validation,
)
from ._native import CredentialReport as CredentialReportView, call
from ._native import parse_credential_report as _parse_credential_report

Doc = Any
"""A document: a dict or list (as boto3 returns it), its JSON text, or bytes holding the text."""

#: Pass as ``password_policy`` when ``get_account_password_policy`` raised ``NoSuchEntity``
#: (no custom policy: AWS's default applies, and the checks fail on it).
NO_PASSWORD_POLICY = {"Error": {"Code": "NoSuchEntity"}}


def _given(**members: Any) -> Dict[str, Any]:
    """The input object with the members given (``None`` is an absent member)."""
    return {k: v for k, v in members.items() if v is not None}


def evaluate(request: Request, policies: Optional[Policies] = None) -> EvaluationAnswer:
    """Decides one request against ``policies`` and explains the decision (``call("evaluate")``).
    To decide many requests against the same policies, compile them once with :class:`PolicySet`."""
    return call("evaluate", _given(request=request, policies=policies))


def validate_policy(policy: Doc, type: PolicyType = "identity") -> Validation:
    """Validates a policy document as ``type``: ``{"valid", "diagnostics"}``; an invalid policy is
    an answer, not an error (``call("validate")``)."""
    return call("validate", {"policy": policy, "type": type})


def lint_policy(policy: Doc, type: PolicyType = "identity", catalog: Any = None) -> LintReport:
    """Lints a policy against the service catalog, on top of the validator (``call("lint")``)."""
    return call("lint", _given(policy=policy, type=type, catalog=catalog))


def summarize_policy(policy: Doc, type: PolicyType = "identity", catalog: Any = None) -> PolicySummary:
    """The policy's access by service and access level, as the IAM console summarizes it
    (``call("summarize")``)."""
    return call("summarize", _given(policy=policy, type=type, catalog=catalog))


def review_policy(policy: Doc, type: PolicyType = "identity", catalog: Any = None) -> PolicyReview:
    """Lints and summarizes a policy in one reading: ``{"lint", "summary"}``, the summary ``None``
    when the policy has errors (``call("review")``)."""
    return call("review", _given(policy=policy, type=type, catalog=catalog))


def lookup_action(action: str, catalog: Any = None) -> Optional[ActionInfo]:
    """One action (``service:Action``, any case): access level, resource types, condition keys;
    ``None`` when the catalog does not list it (``call("lookupAction")``)."""
    return call("lookupAction", _given(action=action, catalog=catalog))


def expand_actions(*patterns: str, not_action: bool = False, catalog: Any = None) -> List[ActionMatch]:
    """The actions the patterns cover (``s3:Get*``, ``*:Describe*``), or with ``not_action`` every
    action they do not (``call("expandActions")``)."""
    return call("expandActions", _given(patterns=list(patterns), notAction=not_action, catalog=catalog))


def catalog_source(catalog: Any = None) -> CatalogInfo:
    """Where the service catalog comes from, and its size (``call("catalogSource")``)."""
    return call("catalogSource", _given(catalog=catalog))


def credentials(document: Doc, as_of: Any = None) -> CredentialsStatus:
    """Reads an EC2 instance-metadata credential document and reports it without its secrets,
    ``expired`` as of ``as_of`` (a datetime or ISO 8601 text; default now) (``call("credentials")``)."""
    return call("credentials", _given(document=document, asOf=as_of))


def parse_credential_report(report: Doc) -> CredentialReportView:
    """Parses the credential report: its CSV (bytes or str, as boto3's ``Content``) or the whole
    ``get_credential_report`` response. The answer is ``call("credentialReport")``'s as a lazy,
    read-only view: a Mapping with the same keys (``report["rows"]``, ``generatedTime`` when
    given), whose rows (a Sequence) stay native until read, each row a Mapping with the same keys
    and values as the answer's dict (``to_dict()`` gives it; a view equals its dict)."""
    return _parse_credential_report(report)


def audit(
    *,
    credential_report: Doc = None,
    authorization_details: Doc = None,
    managed_policy_documents: Optional[Mapping[str, Doc]] = None,
    password_policy: Doc = None,
    account_summary: Doc = None,
    virtual_mfa_devices: Doc = None,
    options: Optional[AuditOptions] = None,
) -> AuditReport:
    """Audits an account against CIS AWS Foundations and IAM best practice (``call("audit")``).
    Every input is optional and may be what boto3 returns as is: ``get_credential_report()``,
    ``get_account_authorization_details()`` (or the list of its pages),
    ``get_account_password_policy()`` (or :data:`NO_PASSWORD_POLICY`), ``get_account_summary()``,
    ``list_virtual_mfa_devices()``. ``options``: ``asOf`` (a datetime or RFC 3339 text),
    ``unusedDays``, ``rotationDays``, ``rootUseDays``, ``minPasswordLength``, ``passwordReuse``,
    ``maxPasswordAge``. The GIL is released while the checks run."""
    return call("audit", _given(
        credentialReport=credential_report, authorizationDetails=authorization_details,
        managedPolicyDocuments=managed_policy_documents, passwordPolicy=password_policy,
        accountSummary=account_summary, virtualMfaDevices=virtual_mfa_devices, options=options))

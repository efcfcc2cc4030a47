"""The credential report and the audit, with typed results. All rules are in the native core; this
module turns what boto3 returns into the core's JSON and the answers into dataclasses."""

from __future__ import annotations

import datetime
import enum
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

from ._account import _default
from ._native import audit_json, credential_report_json

#: Pass as ``password_policy`` when ``get_account_password_policy`` raised ``NoSuchEntity``
#: (no custom policy: AWS's default applies, and the checks fail on it).
NO_PASSWORD_POLICY = {"Error": {"Code": "NoSuchEntity"}}


class Special(str, enum.Enum):
    """The credential report's special values, kept distinct from each other and from values."""

    NOT_APPLICABLE = "N/A"
    NOT_SUPPORTED = "not_supported"
    NO_INFORMATION = "no_information"


def _instant(v: Any) -> Any:
    if isinstance(v, str):
        try:
            return Special(v)
        except ValueError:
            return datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
    return v


def _special_or(v: Any) -> Any:
    if isinstance(v, str):
        try:
            return Special(v)
        except ValueError:
            return v
    return v


@dataclass(frozen=True)
class KeySlot:
    """One access-key slot: values are bool / datetime / str, or a :class:`Special`."""

    active: Any
    last_rotated: Any
    last_used_date: Any
    last_used_region: Any
    last_used_service: Any


@dataclass(frozen=True)
class CertSlot:
    """One signing-certificate slot."""

    active: Any
    last_rotated: Any


@dataclass(frozen=True)
class CredentialRow:
    """One row of the credential report (the root user's is ``is_root``)."""

    line: int
    user: str
    arn: str
    is_root: bool
    user_creation_time: Any
    password_enabled: Any
    password_last_used: Any
    password_last_changed: Any
    password_next_rotation: Any
    mfa_active: Any
    access_keys: tuple
    certs: tuple


@dataclass(frozen=True)
class CredentialReport:
    """A parsed credential report."""

    generated_time: Optional[datetime.datetime]
    rows: list

    @property
    def root(self) -> Optional[CredentialRow]:
        """The root user's row, when present."""
        return next((r for r in self.rows if r.is_root), None)


def _report_text(report: Any) -> str:
    """CSV text or envelope JSON text from what boto3 (or a file) gives."""
    if isinstance(report, (bytes, bytearray)):
        return bytes(report).decode("utf-8")
    if isinstance(report, str):
        return report
    if isinstance(report, Mapping):
        env = dict(report)
        content = env.get("Content")
        if isinstance(content, (bytes, bytearray)):
            env["Content"] = bytes(content).decode("utf-8")
        env.pop("ResponseMetadata", None)
        return json.dumps(env, default=_default)
    raise TypeError("a credential report is bytes, str, or the get_credential_report response dict")


def parse_credential_report(report: Union[bytes, str, Mapping[str, Any]]) -> CredentialReport:
    """Parses the credential report: the CSV (bytes or str, as boto3's ``Content``) or the whole
    ``get_credential_report`` response. Raises :class:`iamkit.AuditInputError` naming the line and
    column on bad input."""
    d = json.loads(credential_report_json(_report_text(report)))
    rows = []
    for r in d["rows"]:
        rows.append(CredentialRow(
            line=r["line"], user=r["user"], arn=r["arn"], is_root=r["isRoot"],
            user_creation_time=_instant(r["userCreationTime"]),
            password_enabled=_special_or(r["passwordEnabled"]),
            password_last_used=_instant(r["passwordLastUsed"]),
            password_last_changed=_instant(r["passwordLastChanged"]),
            password_next_rotation=_instant(r["passwordNextRotation"]),
            mfa_active=_special_or(r["mfaActive"]),
            access_keys=tuple(KeySlot(_special_or(k["active"]), _instant(k["lastRotated"]), _instant(k["lastUsedDate"]),
                                      _special_or(k["lastUsedRegion"]), _special_or(k["lastUsedService"]))
                              for k in r["accessKeys"]),
            certs=tuple(CertSlot(_special_or(c["active"]), _instant(c["lastRotated"])) for c in r["certs"]),
        ))
    generated = d.get("generatedTime")
    return CredentialReport(generated_time=_instant(generated) if generated else None, rows=rows)


@dataclass(frozen=True)
class Resource:
    """What a finding is about: an ARN and, for credentials or policies, a slot."""

    arn: str
    slot: Optional[str] = None


@dataclass(frozen=True)
class Remediation:
    """How to fix a failed check."""

    text: str
    cli: Optional[str] = None


@dataclass(frozen=True)
class Finding:
    """One finding: ``status`` is ``fail``, ``pass`` or ``notEvaluated``."""

    check_id: str
    title: str
    severity: str
    status: str
    resource: Resource
    evidence: dict
    reason: str
    remediation: Remediation
    compliance: dict


@dataclass(frozen=True)
class AuditReport:
    """The audit's answer."""

    as_of: datetime.datetime
    as_of_source: str
    report_generated_time: Optional[datetime.datetime]
    account_id: Optional[str]
    summary: dict
    findings: list = field(default_factory=list)

    def failed(self, min_severity: str = "info") -> list:
        """The failed findings at or above a severity."""
        order = ["critical", "high", "medium", "low", "info"]
        limit = order.index(min_severity)
        return [f for f in self.findings if f.status == "fail" and order.index(f.severity) <= limit]


def _doc(v: Any) -> Any:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8")
    return json.loads(json.dumps(v, default=_default))


def audit_inputs_json(credential_report: Any = None, authorization_details: Any = None,
                      managed_policy_documents: Optional[Mapping[str, Any]] = None, password_policy: Any = None,
                      account_summary: Any = None, virtual_mfa_devices: Any = None, as_of: Any = None,
                      **thresholds: int) -> str:
    """The audit's inputs as the JSON the core reads (see :func:`audit`)."""
    inputs: dict = {}
    if credential_report is not None:
        text = _report_text(credential_report)
        inputs["credentialReport"] = json.loads(text) if text.lstrip().startswith("{") else text
    for key, value in (("authorizationDetails", authorization_details), ("passwordPolicy", password_policy),
                       ("accountSummary", account_summary), ("virtualMfaDevices", virtual_mfa_devices)):
        if value is not None:
            if isinstance(value, Mapping):
                value = {k: v for k, v in value.items() if k != "ResponseMetadata"}
            inputs[key] = _doc(value)
    if managed_policy_documents:
        inputs["managedPolicyDocuments"] = _doc(dict(managed_policy_documents))
    names = {"unused_days": "unusedDays", "rotation_days": "rotationDays", "root_use_days": "rootUseDays",
             "min_password_length": "minPasswordLength", "password_reuse": "passwordReuse",
             "max_password_age": "maxPasswordAge"}
    options = {}
    for k, v in thresholds.items():
        if k not in names:
            raise TypeError(f"unknown audit option {k!r} (expected one of {sorted(names)})")
        options[names[k]] = v
    if as_of is not None:
        options["asOf"] = as_of.isoformat() if isinstance(as_of, datetime.datetime) else str(as_of)
    inputs["options"] = options
    return json.dumps(inputs)


def audit(credential_report: Any = None, authorization_details: Any = None,
          managed_policy_documents: Optional[Mapping[str, Any]] = None, password_policy: Any = None,
          account_summary: Any = None, virtual_mfa_devices: Any = None, as_of: Any = None,
          **thresholds: int) -> AuditReport:
    """Audits an account against CIS AWS Foundations and IAM best practice. Every input is
    optional and may be what boto3 returns (``get_credential_report()`` or its ``Content`` bytes,
    ``get_account_authorization_details()`` or its pages, ``get_account_password_policy()`` or
    :data:`NO_PASSWORD_POLICY`, ``get_account_summary()``, ``list_virtual_mfa_devices()``), a file's
    text, or a dict. ``as_of`` (datetime or RFC 3339) fixes the instant ages are computed from;
    thresholds: ``unused_days``, ``rotation_days``, ``root_use_days``, ``min_password_length``,
    ``password_reuse``, ``max_password_age``. The GIL is released while the checks run."""
    text = audit_inputs_json(credential_report, authorization_details, managed_policy_documents, password_policy,
                             account_summary, virtual_mfa_devices, as_of, **thresholds)
    d = json.loads(audit_json(text))
    findings = [Finding(
        check_id=f["checkId"], title=f["title"], severity=f["severity"], status=f["status"],
        resource=Resource(f["resource"]["arn"], f["resource"].get("slot")), evidence=f["evidence"],
        reason=f["reason"], remediation=Remediation(f["remediation"]["text"], f["remediation"].get("cli")),
        compliance=f["compliance"]) for f in d["findings"]]
    generated = d.get("reportGeneratedTime")
    return AuditReport(as_of=_instant(d["asOf"]), as_of_source=d["asOfSource"],
                       report_generated_time=_instant(generated) if generated else None,
                       account_id=d.get("accountId"), summary=d["summary"], findings=findings)

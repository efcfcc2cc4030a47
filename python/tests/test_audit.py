"""The credential report and the audit from Python: every case in tests/cases/audit, and the API."""

import base64
import datetime
import json
import pathlib

import pytest

import iamkit
from conftest import WORKSPACE, corpus
from test_account import subset

CASES = corpus("audit")
DEMO = WORKSPACE / "examples" / "demo-account"
REPORTS = WORKSPACE.parent / "shared" / "data" / "credential-reports"


def met(expected, got):
    """tests/README.md, audit cases: contains / lacks / other members of the answer, or an error."""
    if "error" in expected:
        return "error" in got and subset(expected["error"], got["error"])
    answer = got.get("answer")
    if not isinstance(answer, dict):
        return False
    findings = answer["findings"]
    if not all(any(subset(e, f) for f in findings) for e in expected.get("contains", [])):
        return False
    if any(any(subset(e, f) for f in findings) for e in expected.get("lacks", [])):
        return False
    return all(k in answer and subset(v, answer[k]) for k, v in expected.items() if k not in ("contains", "lacks"))


def test_the_corpus_is_there():
    assert len(CASES) > 50


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_audit_case(case):
    try:
        got = {"answer": json.loads(iamkit._native.audit_json(json.dumps(case["inputs"])))}
    except iamkit.IamkitError as e:
        got = {"error": {"code": e.code, "message": e.details["message"]}}
    assert met(case["expected"], got), json.dumps(got)[:3000]


def test_audit_with_boto3_shapes():
    csv = (DEMO / "credential-report.csv").read_bytes()
    response = {"Content": csv, "ReportFormat": "text/csv",
                "GeneratedTime": datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.timezone.utc),
                "ResponseMetadata": {"HTTPStatusCode": 200}}
    report = iamkit.audit(
        credential_report=response,
        authorization_details=json.loads((DEMO / "authorization-details.json").read_text()),
        password_policy=json.loads((DEMO / "password-policy.json").read_text()),
        account_summary=json.loads((DEMO / "account-summary.json").read_text()),
        virtual_mfa_devices=json.loads((DEMO / "virtual-mfa-devices.json").read_text()),
    )
    assert report.as_of_source == "reportGeneratedTime"
    assert report.as_of == datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.timezone.utc)
    bob = [f for f in report.findings if f.check_id == "console-mfa" and f.resource.arn.endswith(":user/bob")]
    assert bob and bob[0].status == "fail" and bob[0].severity == "high"
    assert all(f.status == "fail" for f in report.failed("high"))
    assert report.summary["notEvaluated"] == 6


def test_no_password_policy_and_thresholds():
    r = iamkit.audit(password_policy=iamkit.NO_PASSWORD_POLICY, as_of="2026-11-20T08:00:00Z")
    length = next(f for f in r.findings if f.check_id == "password-min-length")
    assert length.status == "fail" and length.evidence["MinimumPasswordLength"] == 8
    missing = next(f for f in r.findings if f.check_id == "console-mfa")
    assert missing.status == "notEvaluated" and "credential report" in missing.evidence["missingInput"]
    with pytest.raises(TypeError):
        iamkit.audit(unused_dayz=3)
    with pytest.raises(iamkit.AuditInputError) as e:
        iamkit.audit(as_of="yesterday")
    assert e.value.code == "IAM_AUDIT_INPUT"


def test_parse_credential_report_typed():
    csv = (DEMO / "credential-report.csv").read_bytes()
    r = iamkit.parse_credential_report(csv)
    assert r.root is not None and r.root.password_enabled is iamkit.Special.NOT_SUPPORTED
    assert isinstance(r.root.user_creation_time, datetime.datetime)
    env = {"Content": base64.b64encode(csv).decode(), "GeneratedTime": "2026-11-20T08:00:00Z", "ReportFormat": "text/csv"}
    assert iamkit.parse_credential_report(json.dumps(env)).generated_time.year == 2026
    bad = csv.decode().replace("2021-03-15T10:22:41+00:00", "15 March 2021", 1)
    with pytest.raises(iamkit.AuditInputError) as e:
        iamkit.parse_credential_report(bad)
    assert e.value.code == "IAM_REPORT_FORMAT" and "line 2" in str(e.value) and "user_creation_time" in str(e.value)


def test_every_shared_sample_parses():
    files = sorted(REPORTS.glob("*.csv")) + sorted(REPORTS.glob("*.json"))
    if not files:
        pytest.skip("shared data is not beside the checkout")
    for f in files:
        iamkit.parse_credential_report(f.read_bytes())

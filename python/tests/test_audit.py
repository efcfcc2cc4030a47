"""The credential report and the audit from Python: what boto3 returns goes in as it is (bytes
Content, datetimes, ResponseMetadata); answers are the contract's dicts."""

import base64
import datetime
import json

import pytest

import iamkit
from conftest import DEMO, RESPONSE_METADATA, boto3_shaped, shared

UTC = datetime.timezone.utc


def demo(name):
    return json.loads((DEMO / name).read_text())


def test_audit_with_what_boto3_returns():
    csv = (DEMO / "credential-report.csv").read_bytes()
    response = {"Content": csv, "ReportFormat": "text/csv",
                "GeneratedTime": datetime.datetime(2026, 11, 20, 8, 0, tzinfo=UTC), "ResponseMetadata": RESPONSE_METADATA}
    report = iamkit.audit(
        credential_report=response,
        authorization_details=boto3_shaped(demo("authorization-details.json")),
        password_policy=boto3_shaped(demo("password-policy.json")),
        account_summary=boto3_shaped(demo("account-summary.json")),
        virtual_mfa_devices=boto3_shaped(demo("virtual-mfa-devices.json")),
    )
    assert report["asOfSource"] == "reportGeneratedTime" and report["asOf"] == "2026-11-20T08:00:00Z"
    bob = [f for f in report["findings"] if f["checkId"] == "console-mfa" and f["resource"]["arn"].endswith(":user/bob")]
    assert bob and bob[0]["status"] == "fail" and bob[0]["severity"] == "high"
    assert report["summary"]["notEvaluated"] == 6
    # the same files as the CLI reads them give the same report
    as_files = iamkit.audit(
        credential_report=(DEMO / "credential-report.json").read_text(),
        authorization_details=(DEMO / "authorization-details.json").read_bytes(),
        password_policy=demo("password-policy.json"), account_summary=demo("account-summary.json"),
        virtual_mfa_devices=demo("virtual-mfa-devices.json"))
    assert as_files == report


def test_no_password_policy_and_options():
    r = iamkit.audit(password_policy=iamkit.NO_PASSWORD_POLICY,
                     options={"asOf": datetime.datetime(2026, 11, 20, 8, 0, tzinfo=UTC), "minPasswordLength": 16})
    assert (r["asOf"], r["asOfSource"]) == ("2026-11-20T08:00:00Z", "option")
    length = next(f for f in r["findings"] if f["checkId"] == "password-min-length")
    assert length["status"] == "fail" and length["evidence"]["MinimumPasswordLength"] == 8
    missing = next(f for f in r["findings"] if f["checkId"] == "console-mfa")
    assert missing["status"] == "notEvaluated" and "credential report" in missing["evidence"]["missingInput"]
    with pytest.raises(iamkit.InputError) as e:
        iamkit.audit(options={"unusedDayz": 3})
    assert e.value.code == "IAM_INPUT_SCHEMA" and "unusedDayz" in e.value.message
    with pytest.raises(iamkit.AuditInputError) as e:
        iamkit.audit(options={"asOf": "yesterday"})
    assert e.value.code == "IAM_AUDIT_INPUT"
    assert iamkit.audit()["asOfSource"] == iamkit.call("audit", {})["asOfSource"] == "now"


def test_parse_credential_report():
    csv = (DEMO / "credential-report.csv").read_bytes()
    r = iamkit.parse_credential_report(csv)
    root = next(row for row in r["rows"] if row["isRoot"])
    assert root["passwordEnabled"] == "not_supported" and root["user"] == "<root_account>"
    assert isinstance(root["accessKeys"], list) and len(root["accessKeys"]) == 2
    assert "generatedTime" not in r
    assert iamkit.parse_credential_report(csv.decode()) == r == iamkit.parse_credential_report(memoryview(csv))
    env = {"Content": base64.b64encode(csv).decode(), "GeneratedTime": "2026-11-20T08:00:00Z", "ReportFormat": "text/csv"}
    assert iamkit.parse_credential_report(json.dumps(env))["generatedTime"] == "2026-11-20T08:00:00Z"
    boto3 = {**env, "Content": csv, "GeneratedTime": datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
             "ResponseMetadata": RESPONSE_METADATA}
    assert iamkit.parse_credential_report(boto3) == {**r, "generatedTime": "2026-11-20T08:00:00Z"}
    bad = csv.decode().replace("2021-03-15T10:22:41+00:00", "15 March 2021", 1)
    with pytest.raises(iamkit.AuditInputError) as e:
        iamkit.parse_credential_report(bad)
    assert e.value.code == "IAM_REPORT_FORMAT" and "line 2" in str(e.value) and "user_creation_time" in str(e.value)


def test_every_shared_credential_report_parses():
    folder = shared("credential-reports")
    files = sorted(folder.glob("*.csv")) + sorted(folder.glob("*.json"))
    assert files
    for f in files:
        assert iamkit.parse_credential_report(f.read_bytes())["rows"], f.name

"""parse_credential_report's lazy view: the same keys and values as the eager
call("credentialReport") answer, as a read-only Mapping (the report and each row) and Sequence (the
rows). Errors: an index out of range is IndexError, an unknown key KeyError, an index of another
type TypeError (Python's own, as for a list and a dict); a report that cannot be read raises the
iamkit error of the eager call."""

import base64
import datetime
import gc
import json
import pathlib
from collections.abc import Mapping, Sequence

import pytest

import iamkit
from iamkit import _native

CASES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "cases"
HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
)


def generated(users: int) -> str:
    """A report with a root row and users whose cells cycle through values and special values."""
    dates = ["2025-01-02T03:04:05+00:00", "2024-02-29T23:59:59-05:30", "2026-11-20 08:00:00Z", "N/A",
             "no_information", "2023-07-01T00:00:00.250+02:00"]
    lines = [HEADER, "<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,"
             "no_information,not_supported,not_supported,TRUE,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
             "false,N/A,false,N/A"]
    for i in range(users):
        d = lambda k: dates[(i + k) % len(dates)]  # noqa: E731
        region = ["us-east-1", "N/A", "eu-west-3"][i % 3]
        lines.append(",".join([
            f"user{i}", f"arn:aws:iam::111122223333:user/team{i % 7}/user{i}", d(0), ["true", "false"][i % 2],
            d(1), d(2), "N/A" if i % 4 else d(3), ["true", "false"][i % 3 == 0], "true", d(4), d(5), region,
            "s3" if region != "N/A" else "N/A", "false", "N/A", "N/A", "N/A", "N/A",
            ["true", "false"][i % 5 == 0], d(3), "false", "N/A",
        ]))
    return "\n".join(lines) + "\n"


def conformance_reports():
    """The `credentialReport` inputs of the conformance cases."""
    out = []
    for f in sorted(CASES.rglob("*.jsonl")):
        for line in f.read_text().splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            if case.get("call") == "credentialReport" and isinstance(case["input"], dict):
                out.append(pytest.param(case["input"].get("report"), id=case["name"][:60]))
    return out


def assert_same(view, report):
    eager = iamkit.call("credentialReport", {"report": report})
    assert view == eager and eager == view
    assert view.to_dict() == eager
    assert list(view.keys()) == list(eager.keys()) and len(view) == len(eager)
    assert dict(view).keys() == eager.keys()
    rows = view["rows"]
    assert len(rows) == len(eager["rows"]) and rows == eager["rows"]
    for row, want in zip(rows, eager["rows"]):
        assert list(row.keys()) == list(want.keys())
        assert dict(row) == want == row.to_dict() and row == want
        assert [row[k] for k in want] == list(want.values())
        assert row.items() == list(want.items())


@pytest.mark.parametrize("report", conformance_reports())
def test_the_view_equals_the_eager_answer_on_the_conformance_inputs(report):
    try:
        eager = iamkit.call("credentialReport", {"report": report})
    except iamkit.IamkitError as e:
        with pytest.raises(type(e)) as lazy:
            iamkit.parse_credential_report(report)
        assert lazy.value.details == e.details
        return
    assert eager is not None
    assert_same(iamkit.parse_credential_report(report), report)


def test_the_view_equals_the_eager_answer_on_a_generated_report():
    text = generated(300)
    assert_same(iamkit.parse_credential_report(text), text)
    assert_same(iamkit.parse_credential_report(text.encode()), text)
    env = {"Content": base64.b64encode(text.encode()).decode(), "ReportFormat": "text/csv",
           "GeneratedTime": datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.timezone.utc)}
    view = iamkit.parse_credential_report(env)
    assert view["generatedTime"] == view.generated_time == "2026-11-20T09:00:00Z"
    assert list(view) == ["generatedTime", "rows"]
    assert_same(view, env)
    assert_same(iamkit.parse_credential_report(json.dumps({**env, "GeneratedTime": "2026-11-20T09:00:00Z"})),
                json.dumps({**env, "GeneratedTime": "2026-11-20T09:00:00Z"}))


def test_the_view_is_a_read_only_mapping_of_a_sequence_of_mappings():
    view = iamkit.parse_credential_report(generated(10))
    eager = view.to_dict()
    assert isinstance(view, _native.CredentialReport) and isinstance(view, Mapping)
    assert list(view) == ["rows"] and "rows" in view and "generatedTime" not in view
    assert view.get("generatedTime") is None and view.get("x", 1) == 1 and view.generated_time is None
    rows = view.rows
    assert isinstance(rows, Sequence) and len(rows) == 11 == len(view["rows"])
    assert rows[-1] == rows[10] == eager["rows"][-1]
    assert rows[2:5] == eager["rows"][2:5] and rows[::-3] == eager["rows"][::-3] and rows[20:] == []
    assert [r["user"] for r in rows] == [r["user"] for r in eager["rows"]]
    assert list(reversed(rows)) == eager["rows"][::-1]
    assert rows.index(eager["rows"][3]) == 3 and rows.count(rows[3]) == 1 and eager["rows"][3] in rows
    row = rows[1]
    assert isinstance(row, Mapping) and len(row) == 12 and "user" in row and "nope" not in row
    assert (row.user, row.arn, row.line, row.is_root) == (row["user"], row["arn"], row["line"], row["isRoot"])
    assert row.user_creation_time == row["userCreationTime"] and row.access_keys == row["accessKeys"]
    assert row.mfa_active == row["mfaActive"] and row.certs == row["certs"]
    assert row.get("nope") is None and row.get("user") == "user0"
    assert rows[0].is_root and rows[0]["passwordEnabled"] == "not_supported"
    for bad in (11, -12, 2**70):
        with pytest.raises(IndexError):
            rows[bad]
    with pytest.raises(IndexError):
        rows[11]
    with pytest.raises(TypeError):
        rows["0"]
    with pytest.raises(KeyError):
        row["nope"]
    with pytest.raises(KeyError):
        view["Rows"]
    with pytest.raises((TypeError, AttributeError)):
        view["rows"] = []
    with pytest.raises((TypeError, AttributeError)):
        row["user"] = "x"
    with pytest.raises(AttributeError):
        row.user = "x"


def test_rows_outlive_the_report():
    rows = iamkit.parse_credential_report(generated(5))["rows"]
    row = rows[3]
    gc.collect()
    assert rows[3] == row and row["user"] == "user2" and len(rows) == 6


def test_a_bad_report_raises_the_eager_calls_error():
    text = generated(3).replace("user1,", ",", 1)
    with pytest.raises(iamkit.AuditInputError) as lazy:
        iamkit.parse_credential_report(text)
    with pytest.raises(iamkit.AuditInputError) as eager:
        iamkit.call("credentialReport", {"report": text})
    assert lazy.value.code == "IAM_REPORT_FORMAT" and lazy.value.details == eager.value.details
    for bad in (b"\xff\xfe", "", 42, None):
        with pytest.raises(iamkit.IamkitError) as lazy:
            iamkit.parse_credential_report(bad)
        with pytest.raises(iamkit.IamkitError) as eager:
            iamkit.call("credentialReport", {"report": bad})
        assert lazy.value.details == eager.value.details

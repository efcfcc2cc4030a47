"""Shared paths and data for the Python tests: the workspace, the shared data beside the checkout
(../shared/data: missing data skips, or fails under CI=true), the conformance tool and the
contract's JSON Schema."""

import datetime
import json
import os
import pathlib
import shlex
import subprocess

import pytest

WORKSPACE = pathlib.Path(__file__).resolve().parents[2]
SHARED = WORKSPACE.parent / "shared" / "data"
DEMO = WORKSPACE / "examples" / "demo-account"
CONTRACT = WORKSPACE / "contract" / "iamkit.schema.json"
CI = os.environ.get("CI") == "true"

ALICE = "arn:aws:iam::111122223333:user/alice"


def shared(relative: str) -> pathlib.Path:
    """A path under the shared data; skips the test when it is missing (fails under CI=true)."""
    path = SHARED / relative
    if not path.exists():
        if CI:
            pytest.fail(f"missing shared data {path} (CI=true: nothing may be skipped)")
        pytest.skip(f"shared data not beside the checkout: {path}")
    return path


def conformance(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Runs the conformance tool: $IAMKIT_CONFORMANCE, else `cargo run -q -p iamkit-conformance --`."""
    tool = os.environ.get("IAMKIT_CONFORMANCE")
    cmd = shlex.split(tool) if tool else ["cargo", "run", "-q", "-p", "iamkit-conformance", "--"]
    return subprocess.run([*cmd, *args], cwd=WORKSPACE, capture_output=True, text=True, **kwargs)


def contract() -> dict:
    """The wire contract's JSON Schema."""
    return json.loads(CONTRACT.read_text(encoding="utf-8"))


def policy(*statements: dict) -> dict:
    """A policy document holding the statements."""
    return {"Version": "2012-10-17", "Statement": list(statements)}


def request(action="s3:GetObject", resource="arn:aws:s3:::b/k", **extra) -> dict:
    """A request of alice's."""
    return {"principal": ALICE, "action": action, "resource": resource, **extra}


RESPONSE_METADATA = {"RequestId": "4f1c0d1e-example", "HTTPStatusCode": 200,
                     "HTTPHeaders": {"content-type": "text/xml"}, "RetryAttempts": 0}
DATE_KEYS = {"CreateDate", "UpdateDate", "EnableDate", "PasswordLastUsed", "GeneratedTime"}


def boto3_shaped(value, top=True):
    """`value` (CLI JSON output) as boto3 returns it: dates as datetimes, ResponseMetadata added."""
    if isinstance(value, list):
        return [boto3_shaped(v, False) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: datetime.datetime.fromisoformat(v.replace("Z", "+00:00")) if k in DATE_KEYS and isinstance(v, str)
           else boto3_shaped(v, False) for k, v in value.items()}
    if top:
        out["ResponseMetadata"] = RESPONSE_METADATA
    return out

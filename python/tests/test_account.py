"""The account model from Python: every case in tests/cases/account, and the API."""

import datetime
import json
import os
import pathlib
import threading

import pytest

import iamkit
from conftest import WORKSPACE, corpus

SAMPLES = WORKSPACE.parent / "shared" / "data" / "authorization-details"
CASES = corpus("account")


def subset(expected, actual):
    """Whether expected is a part of actual (tests/README.md, account cases)."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(map(subset, expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return expected == actual


def test_the_corpus_is_there():
    assert len(CASES) > 50


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_account_case(case):
    if "sample" in case:
        path = SAMPLES / case["sample"]
        if not path.exists():
            if os.environ.get("CI") == "true":
                pytest.fail(f"missing sample {path}")
            pytest.skip(f"missing sample {path}")
        details = path.read_text(encoding="utf-8")
    else:
        details = json.dumps(case["account"])
    try:
        options = case.get("options", {})
        account = iamkit.Account.from_json(details, options.get("managedPolicyDocuments"), options.get("credentialReport"))
        got = {"answer": account.query(case["query"])}
    except iamkit.IamkitError as e:
        got = {"error": {"code": e.code, "message": e.details["message"]}}
    assert subset(case["expected"], got), json.dumps(got)[:2000]


TINY = {
    "UserDetailList": [{
        "UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::111122223333:user/alice",
        "CreateDate": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        "Tags": [{"Key": "team", "Value": "data"}],
        "UserPolicyList": [{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}}}],
    }],
    "RoleDetailList": [{
        "RoleName": "ops", "Arn": "arn:aws:iam::111122223333:role/ops",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}},
    }],
    "IsTruncated": False,
}


def test_from_boto3_with_datetimes_and_paginator_pages():
    acct = iamkit.Account.from_boto3(TINY)
    assert acct.evaluate("alice", "s3:GetObject", "arn:aws:s3:::b/k")["decision"] == "allowed"
    assert acct.evaluate("alice", "s3:GetObject", "arn:aws:s3:::b/k", context={"aws:PrincipalTag/team": "web"})["decision"] == "implicitDeny"
    pages = [{"UserDetailList": TINY["UserDetailList"]}, {"RoleDetailList": TINY["RoleDetailList"]}]
    s = iamkit.Account.from_boto3(iter(pages)).summary()
    assert (s["users"], s["roles"], s["accountId"]) == (1, 1, "111122223333")
    trusted = iamkit.Account.from_boto3(pages).who_can_assume("ops")["trusted"]
    assert trusted[0]["kind"] == "service" and trusted[0]["source"] is False


def test_from_file_and_threads(tmp_path):
    p = tmp_path / "details.json"
    p.write_text(json.dumps(TINY, default=str))
    acct = iamkit.Account.from_file(p)
    results = []

    def work():
        for _ in range(50):
            results.append(len(acct.who_can("s3:GetObject", "arn:aws:s3:::b/k")["allowed"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1] * 200
    assert acct.is_administrator("alice") is False
    assert "s3" in [s["service"] for s in acct.effective_permissions("user/alice")["services"]]


def test_errors_are_account_errors_with_codes():
    acct = iamkit.Account.from_boto3(TINY)
    with pytest.raises(iamkit.AccountError) as e:
        acct.evaluate("bob", "s3:GetObject", "*")
    assert e.value.code == "IAM_ACCOUNT_PRINCIPAL"
    with pytest.raises(iamkit.AccountError) as e:
        iamkit.Account.from_json('{"UserDetailList": [{"Arn": "arn:aws:iam::111122223333:user/x"}]}')
    assert e.value.code == "IAM_ACCOUNT_DATA" and "UserName" in str(e.value)
    with pytest.raises(iamkit.InputError):
        iamkit.Account.from_json("{")


def test_instance_metadata_credentials():
    doc = {"Code": "Success", "LastUpdated": "2026-11-23T08:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "ASIAEXAMPLE",
           "SecretAccessKey": "s3cr3t", "Token": "tok", "Expiration": "2026-11-23T14:00:00Z"}
    r = iamkit.credentials(doc, as_of="2026-11-23T15:00:00Z")
    assert r["expired"] is True and r["keyKind"] == "temporary" and "s3cr3t" not in json.dumps(r)
    assert iamkit.credentials(doc, as_of="2026-11-23T13:00:00Z")["expired"] is False

"""The account from Python: boto3's shapes (datetimes, ResponseMetadata, paginator pages), files,
the typed wrappers over Account.call, errors, threads."""

import datetime
import json
import threading

import pytest

import iamkit
from conftest import DEMO, RESPONSE_METADATA, boto3_shaped, policy, shared

UTC = datetime.timezone.utc
TINY = {
    "UserDetailList": [{
        "UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::111122223333:user/alice", "Path": "/",
        "CreateDate": datetime.datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        "Tags": [{"Key": "team", "Value": "data"}],
        "UserPolicyList": [{"PolicyName": "read", "PolicyDocument": policy({
            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}})}],
    }],
    "RoleDetailList": [{
        "RoleName": "ops", "Arn": "arn:aws:iam::111122223333:role/ops", "CreateDate": datetime.datetime(2025, 5, 5, tzinfo=UTC),
        "AssumeRolePolicyDocument": policy({
            "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
    }],
    "IsTruncated": False,
    "ResponseMetadata": RESPONSE_METADATA,
}


class Paginator:
    """What boto3's paginate() returns: an iterable of pages (not a list)."""

    def __init__(self, pages):
        self.pages = pages

    def __iter__(self):
        return iter(self.pages)


def test_from_boto3_with_datetimes_metadata_and_paginator_pages():
    acct = iamkit.Account.from_boto3(TINY)
    assert isinstance(acct, iamkit.Handle) and acct.kind == "account"
    assert acct.evaluate("alice", "s3:GetObject", "arn:aws:s3:::b/k")["decision"] == "allowed"
    denied = acct.evaluate("alice", "s3:GetObject", "arn:aws:s3:::b/k", context={"aws:PrincipalTag/team": "web"})
    assert denied["decision"] == "implicitDeny" and denied["principal"] == "arn:aws:iam::111122223333:user/alice"
    pages = [{**TINY, "RoleDetailList": [], "IsTruncated": True, "Marker": "m1"},
             {"UserDetailList": [], "RoleDetailList": TINY["RoleDetailList"], "IsTruncated": False,
              "ResponseMetadata": RESPONSE_METADATA}]
    for given in (Paginator(pages), iter(pages), pages, tuple(pages)):
        s = iamkit.Account.from_boto3(given).summary()
        assert (s["users"], s["roles"], s["accountId"]) == (1, 1, "111122223333")
        assert s["issues"] == []
    trusted = iamkit.Account.from_boto3(Paginator(pages)).who_can_assume("ops")["trusted"]
    assert trusted[0]["kind"] == "service" and trusted[0]["source"] is False


def test_the_same_account_from_dicts_text_bytes_and_files(tmp_path):
    text = (DEMO / "authorization-details.json").read_text()
    p = tmp_path / "details.json"
    p.write_text(text)
    accounts = [iamkit.Account(json.loads(text)), iamkit.Account(text), iamkit.Account(text.encode()),
                iamkit.Account.from_file(p), iamkit.Account.from_file(str(p)),
                iamkit.Account.from_boto3(boto3_shaped(json.loads(text)))]
    summaries = [a.summary() for a in accounts]
    assert all(s == summaries[0] for s in summaries) and summaries[0]["users"] > 0
    principals = accounts[0].principals()
    assert [x["arn"] for x in principals] == [x["arn"] for x in accounts[-1].principals()]
    with pytest.raises(iamkit.InputError) as e:
        iamkit.Account.from_file(tmp_path / "missing.json")
    assert e.value.code == "IAM_IO" and "missing.json" in e.value.message


def test_managed_policy_documents_and_credential_report():
    details = {"UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::123456789012:user/alice",
                                   "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess",
                                                                "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}]}
    incomplete = iamkit.Account(details).evaluate("alice", "s3:GetObject", "arn:aws:s3:::b/k")
    assert incomplete["decision"] == "implicitDeny" and incomplete["incomplete"]
    docs = {"arn:aws:iam::aws:policy/ReadOnlyAccess": json.dumps(policy({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}))}
    report = {"Content": (DEMO / "credential-report.csv").read_bytes(), "ReportFormat": "text/csv",
              "GeneratedTime": datetime.datetime(2026, 11, 20, 8, 0, tzinfo=UTC), "ResponseMetadata": RESPONSE_METADATA}
    acct = iamkit.Account(details, managed_policy_documents=docs, credential_report=report)
    assert acct.evaluate("alice", "s3:GetObject", "arn:aws:s3:::b/k")["decision"] == "allowed"
    [alice] = acct.principals()
    assert alice["credentials"]["user"] == "alice"


def test_a_pattern_resource_asks_about_some_resource_unless_literal():
    details = {"UserDetailList": [{"UserName": "bob", "UserId": "AIDABOB", "Arn": "arn:aws:iam::111122223333:user/bob",
                                   "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": policy(
                                       {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"})}]}],
               "RoleDetailList": [], "GroupDetailList": [], "Policies": []}
    acct = iamkit.Account(details)
    [bob] = acct.who_can("s3:GetObject", "*")["allowed"]
    assert bob["resourceWitness"] == "arn:aws:s3:::logs/example"
    assert acct.who_can("s3:GetObject", "*", literal_resource=True)["allowed"] == []
    ev = acct.evaluate("bob", "s3:GetObject", "arn:aws:s3:::logs/a?")
    assert ev["decision"] == "allowed" and ev["explain"]["resourceWitness"].startswith("arn:aws:s3:::logs/a")
    assert acct.evaluate("bob", "s3:GetObject", "arn:aws:s3:::logs/a?", literal_resource=True)["decision"] == "allowed"


def test_the_typed_wrappers_are_the_generic_calls():
    acct = iamkit.Account.from_file(shared("authorization-details/moto-generated.json"))
    assert acct.summary() == acct.call("summary", {}) == acct.call("summary", "{}")
    assert acct.principal("alice") == acct.call("principal", {"principal": "alice"})
    assert acct.principal("alice") in acct.principals()
    assert acct.who_can("iam:CreateUser", "*") == acct.call("whoCan", {"action": "iam:CreateUser", "resource": "*"})
    assert acct.is_administrator("alice") is True and acct.is_administrator("role/break-glass") is True
    perms = acct.effective_permissions("user/alice")
    assert perms == acct.call("permissions", {"principal": "user/alice"}) and perms["services"]
    r = acct.evaluate("alice", "iam:CreateUser", "*", policies={"scps": [[policy(
        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}, {"Effect": "Allow", "Action": "*", "Resource": "*"})]]})
    assert r["decision"] == "explicitDeny" and r["explain"]["deniedBy"] == "scp"


def test_threads_share_an_account():
    acct = iamkit.Account.from_boto3(TINY)
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
        iamkit.Account('{"UserDetailList": [{"Arn": "arn:aws:iam::111122223333:user/x"}]}')
    assert e.value.code == "IAM_ACCOUNT_DATA" and "UserName" in str(e.value)
    with pytest.raises(iamkit.InputError) as e:
        iamkit.Account("{")
    assert e.value.code == "IAM_INPUT_JSON"
    with pytest.raises(iamkit.InputError) as e:
        acct.call("evaluate", {"principal": "alice"})
    assert e.value.code == "IAM_INPUT_SCHEMA"
    with pytest.raises(iamkit.InputError) as e:
        acct.call("decide", {})
    assert e.value.code == "IAM_INVALID_ARGUMENT"

    class Broken:
        def __iter__(self):
            raise RuntimeError("the paginator failed")

    with pytest.raises(iamkit.InputError) as e:
        iamkit.Account.from_boto3(Broken())
    assert e.value.code == "IAM_INVALID_ARGUMENT" and isinstance(e.value.__cause__, RuntimeError)


def test_instance_metadata_credentials():
    doc = {"Code": "Success", "LastUpdated": "2026-11-23T08:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "ASIAEXAMPLE",
           "SecretAccessKey": "s3cr3t", "Token": "tok", "Expiration": "2026-11-23T14:00:00Z"}
    r = iamkit.credentials(doc, as_of="2026-11-23T15:00:00Z")
    assert r["expired"] is True and r["keyKind"] == "temporary" and "s3cr3t" not in json.dumps(r)
    assert iamkit.credentials(json.dumps(doc), as_of=datetime.datetime(2026, 11, 23, 13, tzinfo=UTC))["expired"] is False

"""Privilege-escalation paths from Python: the typed wrapper over the `escalations` call. (Every
case of tests/cases/account, the lab's 122 principals and each technique, runs in
test_conformance.py.)"""

import pytest

import iamkit

ACCOUNT = {
    "UserDetailList": [
        {"UserName": name, "UserId": f"AIDA{name.upper()}", "Arn": f"arn:aws:iam::111122223333:user/{name}",
         "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": action, "Resource": resource}]}}] if action else []}
        for name, action, resource in [
            ("alice", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob"),
            ("bob", "iam:PutUserPolicy", "arn:aws:iam::111122223333:user/bob"),
            ("carol", None, None),
        ]
    ],
    "GroupDetailList": [], "RoleDetailList": [], "Policies": [],
}


def test_two_hops_each_justified_by_the_evaluator():
    acct = iamkit.Account(ACCOUNT)
    answer = acct.escalations(as_of="2026-12-01T00:00:00Z")
    assert answer["asOf"] == "2026-12-01T00:00:00Z"
    by = {e["principal"].rsplit("/", 1)[1]: e for e in answer["escalations"]}
    assert sorted(by) == ["alice", "bob"], "carol can do nothing"
    alice = by["alice"]
    assert alice["certainty"] == "exact"
    assert [(h["kind"], h["technique"], h["target"].rsplit("/", 1)[1]) for h in alice["hops"]] == [
        ("reach", "iam-002", "bob"), ("upgrade", "iam-007", "bob")]
    first = alice["hops"][0]["requests"][0]
    assert (first["action"], first["resource"]) == ("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob")
    assert first["statements"][0]["policy"] == "arn:aws:iam::111122223333:user/alice inline policy p"
    only = acct.escalations(principal="bob")
    assert [e["principal"] for e in only["escalations"]] == ["arn:aws:iam::111122223333:user/bob"]


def test_bad_input_is_an_iamkit_error():
    acct = iamkit.Account(ACCOUNT)
    with pytest.raises(iamkit.IamkitError) as e:
        acct.escalations(as_of="yesterday")
    assert e.value.code == "IAM_INVALID_ARGUMENT"
    with pytest.raises(iamkit.IamkitError) as e:
        acct.escalations(principal="nobody")
    assert e.value.code == "IAM_ACCOUNT_PRINCIPAL"
    with pytest.raises(iamkit.IamkitError) as e:
        acct.escalations(policies={"resource": {"Version": "2012-10-17", "Statement": []}})
    assert e.value.code == "IAM_INPUT_SCHEMA"


def test_to_a_principal_lists_who_can_obtain_its_permissions():
    acct = iamkit.Account(ACCOUNT)
    answer = acct.escalations(to="user/bob", as_of="2026-12-01T00:00:00Z")
    assert [e["principal"] for e in answer["escalations"]] == ["arn:aws:iam::111122223333:user/alice"]
    assert answer["escalations"][0]["target"] == "arn:aws:iam::111122223333:user/bob"
    assert [h["technique"] for h in answer["escalations"][0]["hops"]] == ["iam-002"]
    with pytest.raises(iamkit.IamkitError) as e:
        acct.escalations(to="nobody")
    assert e.value.code == "IAM_ACCOUNT_PRINCIPAL"

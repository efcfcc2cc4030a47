"""The service catalog from Python: every case in tests/cases/catalog, and the API."""

import json

import pytest

import iamkit
from conftest import corpus
from test_account import subset

CASES = corpus("catalog")


def test_the_corpus_is_there():
    assert len(CASES) > 20


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_catalog_case(case):
    try:
        got = {"answer": json.loads(iamkit._native.catalog_json(json.dumps(case["query"])))}
    except iamkit.IamkitError as e:
        got = {"error": {"code": e.code, "message": e.details["message"]}}
    assert subset(case["expected"], got), json.dumps(got)[:2000]


def test_api():
    assert iamkit.lookup_action("S3:getobject")["access"] == "Read"
    assert iamkit.lookup_action("s3:nope") is None
    assert [m["action"] for m in iamkit.expand_actions("s3:?etObject")] == ["s3:GetObject"]
    r = iamkit.lint_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}})
    assert r["valid"] and [f["code"] for f in r["findings"]] == ["IAM_LINT_PASSROLE_STAR"]
    s = iamkit.summarize_policy({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}})
    assert s["services"][0]["access"] == "Full access"
    policy = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["sqs:*", "iam:PassRole"], "Resource": "*"}}
    r = iamkit.review_policy(json.dumps(policy))
    assert r["lint"] == iamkit.lint_policy(policy) and r["summary"] == iamkit.summarize_policy(policy)
    assert iamkit.review_policy({"Version": "2012-10-17", "Statement": {"Effect": "allow"}})["summary"] is None
    assert iamkit.catalog_source()["actions"] > 20000
    with pytest.raises(iamkit.InputError):
        iamkit.lint_policy({}, type="nope")

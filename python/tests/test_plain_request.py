"""PolicySet.decide and PolicySet.evaluate read a plain request dict without JSON text in between
(python/src/request.rs). The answers and errors must be the ones the JSON path gives: every
request of the conformance evaluate cases, and requests of every shape the fast path declines,
are answered both ways and compared."""

import json
import pathlib
from collections import OrderedDict

import pytest

import iamkit
from conftest import WORKSPACE


def outcome(fn):
    try:
        ev = fn()
    except iamkit.IamkitError as e:
        return ("error", e.code, e.message, json.dumps(e.location, sort_keys=True))
    return ("answer", ev.to_dict() if hasattr(ev, "to_dict") else ev)


def compact(value):
    """JSON text as the binding writes a dict (so error columns compare)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def both_ways(ps, req):
    """The answers of decide and evaluate from the dict and from its JSON text."""
    text = compact(req)
    fast = (outcome(lambda: ps.decide(req)), outcome(lambda: ps.evaluate(req)))
    slow = (outcome(lambda: ps.decide(text)), outcome(lambda: ps.evaluate(text)))
    return fast, slow


def evaluate_cases():
    for path in sorted((WORKSPACE / "tests" / "cases" / "eval").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            inp = case.get("input")
            if case.get("call") != "evaluate" or not isinstance(inp, dict) or not isinstance(inp.get("request"), dict):
                continue
            yield case["name"], inp["request"], inp.get("policies") or {}


def test_conformance_requests_answer_the_same_both_ways():
    n = 0
    for name, req, policies in evaluate_cases():
        try:
            ps = iamkit.PolicySet(policies)
        except iamkit.IamkitError:
            continue
        fast, slow = both_ways(ps, req)
        assert fast == slow, name
        n += 1
    assert n > 300, f"only {n} conformance requests compared"


POLICIES = {
    "identity": [{
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
             "Condition": {"NumericLessThan": {"s3:max-keys": "10"}, "Bool": {"aws:SecureTransport": "true"}}},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
             "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "7"]}}},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"StringEquals": {"aws:PrincipalTag/blocked": "yes"}}},
        ],
    }]
}

BASE = {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
        "resource": "arn:aws:s3:::b/k"}


class Str(str):
    pass


class Int(int):
    pass


@pytest.mark.parametrize("req", [
    BASE,
    {**BASE, "context": None},
    {**BASE, "resourceAccount": None},
    {**BASE, "resourceAccount": "444455556666"},
    {**BASE, "context": {"s3:max-keys": 5, "aws:SecureTransport": True}},
    {**BASE, "context": {"s3:max-keys": 50, "aws:SecureTransport": "true"}},
    {**BASE, "context": {"s3:max-keys": -3, "aws:securetransport": False}},
    {**BASE, "context": {"s3:max-keys": 2**63, "aws:SecureTransport": True}},
    {**BASE, "context": {"s3:max-keys": 2**64 + 1, "aws:SecureTransport": True}},
    {**BASE, "context": {"s3:max-keys": 5.0, "aws:SecureTransport": True}},
    {**BASE, "context": {"s3:max-keys": 5.5, "aws:SecureTransport": True}},
    {**BASE, "action": "s3:ListBucket", "context": {"aws:TagKeys": ["a", 7, True]}},
    {**BASE, "action": "s3:ListBucket", "context": {"aws:TagKeys": []}},
    {**BASE, "action": "s3:ListBucket", "context": {"aws:TagKeys": ("a",)}},
    {**BASE, "context": {"aws:PrincipalTag/blocked": "yes", "AWS:PRINCIPALTAG/BLOCKED": "no"}},
    {**BASE, "context": {"aws:PrincipalTag/blocked": None}},
    {**BASE, "context": {"aws:PrincipalTag/blocked": {"nested": 1}}},
    {**BASE, "context": {"aws:PrincipalTag/blocked": ["yes", None]}},
    {**BASE, "context": []},
    {**BASE, "unknown": 1},
    {**BASE, "principal": None},
    {**BASE, "principal": "alice"},
    {**BASE, "action": "s3:*"},
    {**BASE, "resource": "bucket"},
    {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
    {**BASE, "principal": Str(BASE["principal"])},
    {**BASE, "context": {"s3:max-keys": Int(5), "aws:SecureTransport": True}},
    OrderedDict(BASE),
], ids=lambda r: json.dumps(r, default=repr)[:80])
def test_every_shape_answers_the_same_both_ways(req):
    ps = iamkit.PolicySet(POLICIES)
    try:
        text = compact(req)
    except (TypeError, ValueError):
        pytest.skip("not JSON")
    fast = (outcome(lambda: ps.decide(req)), outcome(lambda: ps.evaluate(req)))
    slow = (outcome(lambda: ps.decide(text)), outcome(lambda: ps.evaluate(text)))
    assert fast == slow


def test_lone_surrogates_are_refused_with_a_code():
    ps = iamkit.PolicySet(POLICIES)
    with pytest.raises(iamkit.IamkitError) as e:
        ps.decide({**BASE, "context": {"k": "\ud800"}})
    assert e.value.code == "IAM_INVALID_ARGUMENT"

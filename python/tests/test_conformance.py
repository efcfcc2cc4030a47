"""Every case in tests/cases, through the JSON entry points and the typed API."""

import json

import pytest

import iamkit
from conftest import corpus

EVAL = corpus("eval")
POLICY = corpus("policy")


def test_the_corpus_is_there():
    assert len(EVAL) > 250
    assert len(POLICY) > 50


@pytest.mark.parametrize("case", EVAL, ids=[c["name"] for c in EVAL])
def test_eval_case(case):
    expected = case["expected"]
    payload = json.dumps({"request": case["request"], "policies": case.get("policies", {})})
    if "error" in expected:
        with pytest.raises(iamkit.IamkitError) as info:
            iamkit.evaluate_json(payload)
        assert info.value.code == expected["error"]["code"]
        assert info.value.details["code"] == expected["error"]["code"]
        return
    out = json.loads(iamkit.evaluate_json(payload))
    assert out["decision"] == expected["decision"]
    if "deniedBy" in expected:
        assert out["explain"].get("deniedBy") == expected["deniedBy"]
    # the typed API, from dicts, agrees
    typed = iamkit.evaluate(case["request"], case.get("policies", {}))
    assert typed.decision == expected["decision"]
    assert typed.allowed == (expected["decision"] == "allowed")
    if "deniedBy" in expected:
        assert typed.explain.denied_by == expected["deniedBy"]


@pytest.mark.parametrize("case", POLICY, ids=[c["name"] for c in POLICY])
def test_policy_case(case):
    text = case["policyText"] if "policyText" in case else json.dumps(case["policy"])
    result = json.loads(iamkit.validate_policy_json(text, case.get("type", "identity")))
    assert result["valid"] == case["expected"]["valid"], result
    codes = {d["code"] for d in result["diagnostics"]}
    for code in case["expected"].get("codes", []):
        assert code in codes
    typed = iamkit.validate_policy(text, type=case.get("type", "identity"))
    assert typed.valid == case["expected"]["valid"]

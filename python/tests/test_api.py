"""The Python API: iamkit.call, PolicySet and its Evaluation objects, batches, errors with codes
and locations, numbers as JSON writes them, threads and the GIL, the panic guard."""

import json
import os
import re
import threading
import time

import jsonschema
import pytest

import iamkit
from conftest import ALICE, WORKSPACE, contract, policy, request

POLICIES = {
    "identity": [
        policy(
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/secret/*"},
        )
    ]
}


def test_version_matches_the_workspace():
    cargo = (WORKSPACE / "Cargo.toml").read_text()
    version = re.search(r'\[workspace\.package\][^\[]*?version = "([^"]+)"', cargo).group(1)
    assert iamkit.version() == version == iamkit.__version__


def test_call_answers_dicts():
    r = iamkit.call("evaluate", {"request": request(), "policies": POLICIES})
    assert r["decision"] == "allowed" and r["explain"]["grantedBy"] == "identity"
    assert iamkit.call("evaluate", json.dumps({"request": request(), "policies": POLICIES})) == r
    assert iamkit.evaluate(request(), POLICIES) == r
    assert iamkit.evaluate(request())["decision"] == "implicitDeny"
    text = json.dumps(policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    assert iamkit.call("validate", {"policy": text}) == {"valid": True, "diagnostics": []}


def test_policy_set_evaluation_objects():
    ps = iamkit.PolicySet(POLICIES)
    assert isinstance(ps, iamkit.Handle) and ps.kind == "policySet"
    r = ps.evaluate(request())
    assert isinstance(r, iamkit.Evaluation)
    assert r.decision == "allowed" and r.allowed
    assert r.explain["grantedBy"] == "identity" and "deniedBy" not in r.explain
    [s] = r.explain["statements"]
    assert (s["policy"], s["statement"], s["sid"], s["effect"]) == ("identity[0]", 0, "Read", "Allow")
    assert "allowed" in r.explain["reason"]
    assert r.to_dict() == ps.call("evaluate", request()) == iamkit.evaluate(request(), POLICIES)
    assert r == ps.evaluate(json.dumps(request())) and r != ps.evaluate(request(action="s3:PutObject"))
    assert "allowed" in repr(r)

    d = ps.evaluate(request(resource="arn:aws:s3:::b/secret/x"))
    assert d.decision == "explicitDeny" and not d.allowed
    assert d.explain["deniedBy"] == "identity" and d.explain["statements"][0]["sid"] == "NoSecrets"
    i = ps.evaluate(request(action="s3:PutObject"))
    assert i.decision == "implicitDeny"
    assert [(s["step"], s["outcome"]) for s in i.explain["steps"]] == [("identity", "implicitDeny")]

    assert ps.decide(request()) == "allowed"
    assert ps.decide(json.dumps(request(action="s3:PutObject"))) == "implicitDeny"
    assert ps.call("decide", request()) == {"decision": "allowed"}


def test_policy_documents_as_json_strings_like_boto3_may_hold():
    as_strings = {"identity": [json.dumps(POLICIES["identity"][0])]}
    assert iamkit.PolicySet(as_strings).evaluate(request()).allowed
    assert iamkit.PolicySet(json.dumps(POLICIES)).evaluate(request()).allowed


def test_context_values_of_every_type():
    policies = {"identity": [policy({
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}, "NumericLessThan": {"s3:max-keys": "10"},
                      "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]},
                      "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})]}
    ps = iamkit.PolicySet(policies)
    ctx = {"aws:SecureTransport": True, "s3:max-keys": 5, "aws:TagKeys": ("team",), "aws:SourceIp": "10.1.2.3"}
    assert ps.evaluate(request(context=ctx)).allowed
    assert not ps.evaluate(request(context={**ctx, "s3:max-keys": 50.5})).allowed


@pytest.mark.parametrize("value, text", [
    (1e20, "1e20"), (10**20, "100000000000000000000"), (2**64, "18446744073709551616"),
    (-2**63 - 1, "-9223372036854775809"), (0.1, "0.1"), (1.0, "1.0"), (5e-324, "5e-324"), (-0.0, "-0.0"),
    (123456789.123456789, "123456789.12345679"), (True, "true"), (7, "7"),
])
def test_numbers_decide_as_the_same_json_text_does(value, text):
    # a number from Python is written as JSON writes it: the decision is the one its JSON text gets
    for op in ("StringEquals", "Bool") if value is True else ("StringEquals", "NumericEquals", "NumericGreaterThan"):
        ps = iamkit.PolicySet({"identity": [policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                                    "Condition": {op: {"k": text.replace("e20", "e+20")}}})]})
        as_text = '{"principal": "%s", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"k": %s}}' % (ALICE, text)
        assert ps.decide(request(context={"k": value})) == ps.decide(as_text), op
        assert ps.evaluate_batch([request(context={"k": [value]})])[0] == ps.evaluate(as_text.replace(text, f"[{text}]"))


def test_a_float_1e20_in_a_context_decides_as_the_json_text_1e20():
    ps = iamkit.PolicySet({"identity": [policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                                "Condition": {"NumericEquals": {"k": "100000000000000000000"}}})]})
    text = '{"principal": "%s", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {"k": 1e20}}' % ALICE
    assert ps.decide(text) == ps.decide(request(context={"k": 1e20})) == "allowed"
    assert ps.evaluate(text) == ps.evaluate(request(context={"k": 1e20}))


def test_evaluate_batch_answers_each_request_and_never_raises_for_one():
    ps = iamkit.PolicySet(POLICIES)
    results = ps.evaluate_batch([
        request(), json.dumps(request(resource="arn:aws:s3:::b/secret/x")), request(action="s3:PutObject"),
        {"principal": ALICE}, "{not json", {"context": {1, 2}}, request(principal="alice"), "\ud800",
    ])
    assert [r.decision for r in results[:3]] == ["allowed", "explicitDeny", "implicitDeny"]
    errors = results[3:]
    assert all(isinstance(e, iamkit.IamkitError) for e in errors)
    assert [e.code for e in errors] == ["IAM_INPUT_SCHEMA", "IAM_INPUT_JSON", "IAM_INVALID_ARGUMENT",
                                        "IAM_REQUEST_PRINCIPAL", "IAM_INVALID_ARGUMENT"]
    assert [e.location["jsonPath"] for e in errors] == ["$.requests[3]", "$.requests[4]", "$.requests[5].context",
                                                         "$.requests[6]", "$.requests[7]"]
    assert isinstance(errors[0], iamkit.InputError) and isinstance(errors[3], iamkit.RequestError)
    assert ps.evaluate_batch(()) == []
    with pytest.raises(iamkit.IamkitError) as info:
        ps.evaluate_batch(request())
    assert info.value.code == "IAM_INVALID_ARGUMENT"


def test_policy_set_answers_match_the_contract_schema():
    c = contract()
    calls = {call["name"]: call["output"] for call in c["handles"][0]["calls"]}
    assert c["handles"][0]["kind"] == "policySet"
    ps = iamkit.PolicySet(POLICIES)

    def valid(name, answer):
        jsonschema.validate(answer, {**calls[name], "$defs": c["$defs"]}, cls=jsonschema.Draft202012Validator)

    valid("evaluate", ps.call("evaluate", request()))
    valid("evaluate", ps.evaluate(request(resource="arn:aws:s3:::b/secret/x")).to_dict())
    valid("decide", ps.call("decide", request()))
    batch = ps.call("evaluateBatch", {"requests": [request(), {"principal": 1}, request(principal="alice")]})
    valid("evaluateBatch", batch)
    assert [list(b) for b in batch] == [["decision", "explain"], ["error"], ["error"]]
    assert batch[1]["error"]["location"]["jsonPath"] == "$.requests[1]"


def test_errors_have_codes_messages_locations_and_families():
    bad_policy = {"identity": [policy({
        "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericEquals": {"k": "x"}}})]}
    with pytest.raises(iamkit.PolicyValidationError) as info:
        iamkit.PolicySet(bad_policy)
    e = info.value
    assert isinstance(e, iamkit.IamkitError) and isinstance(e, Exception)
    assert e.code == "IAM_POLICY_CONDITION_VALUE" == e.details["code"]
    assert e.location["jsonPath"] == "$.identity[0].Statement[0].Condition.NumericEquals.k"
    assert e.location["line"] >= 1 and e.location["column"] >= 1
    assert e.message == e.details["message"] and e.message in str(e)
    assert e.details["location"] == e.location

    with pytest.raises(iamkit.PolicyParseError) as info:
        iamkit.PolicySet({"identity": ["{not json"]})
    assert info.value.code == "IAM_POLICY_JSON"

    with pytest.raises(iamkit.RequestError) as info:
        iamkit.PolicySet(POLICIES).evaluate({"principal": "alice", "action": "s3:GetObject", "resource": "*"})
    assert info.value.code == "IAM_REQUEST_PRINCIPAL"

    with pytest.raises(iamkit.InputError) as info:
        iamkit.PolicySet(POLICIES).decide({"principal": ALICE, "action": "s3:GetObject"})
    assert info.value.code == "IAM_INPUT_SCHEMA" and "resource" in info.value.message

    with pytest.raises(iamkit.RequestError) as info:
        iamkit.evaluate(request(context={"k": {"nested": 1}}), POLICIES)
    assert info.value.code == "IAM_REQUEST_CONTEXT"
    assert info.value.location["jsonPath"] == "$.request.context['k']"

    with pytest.raises(iamkit.InputError) as info:
        iamkit.call("evaluate", "{")
    assert info.value.code == "IAM_INPUT_JSON" and info.value.location["line"] == 1

    with pytest.raises(iamkit.InputError) as info:
        iamkit.PolicySet({"identity": [object()]})
    assert info.value.code == "IAM_INVALID_ARGUMENT"
    assert info.value.location == {"jsonPath": "$.identity[0]"} and "object" in info.value.message

    for bad in (lambda: iamkit.call("nope", {}), lambda: iamkit.PolicySet(POLICIES).call("whoCan", {}),
                lambda: iamkit.Handle("nope", {})):
        with pytest.raises(iamkit.InputError) as info:
            bad()
        assert info.value.code == "IAM_INVALID_ARGUMENT" and info.value.location is None


def test_validate_policy_returns_diagnostics_as_values():
    v = iamkit.validate_policy({"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}})
    assert not v["valid"]
    codes = [d["code"] for d in v["diagnostics"]]
    assert "IAM_POLICY_EFFECT" in codes and "IAM_POLICY_VERSION_LEGACY" in codes
    effect = next(d for d in v["diagnostics"] if d["code"] == "IAM_POLICY_EFFECT")
    assert effect["severity"] == "error" and effect["location"]["jsonPath"] == "$.Statement.Effect"
    assert iamkit.validate_policy(POLICIES["identity"][0], type="identity")["valid"]
    with pytest.raises(iamkit.InputError) as info:
        iamkit.validate_policy("{}", type="bogus")
    assert info.value.code == "IAM_INPUT_SCHEMA"


def test_policy_set_is_shared_between_threads():
    ps = iamkit.PolicySet(POLICIES)
    errors = []

    def work():
        for i in range(500):
            want = "allowed" if i % 2 else "implicitDeny"
            got = ps.decide(request() if i % 2 else request(action="s3:PutObject"))
            if got != want:
                errors.append(got)
        if [r.decision for r in ps.evaluate_batch([request()] * 50)] != ["allowed"] * 50:
            errors.append("batch")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def synthetic_details(users: int) -> str:
    """Authorization details of `users` users, each with an inline policy, as JSON text."""
    return json.dumps({"UserDetailList": [{
        "UserName": f"u{i}", "UserId": f"AIDA{i:012d}", "Arn": f"arn:aws:iam::111122223333:user/u{i}", "Path": "/",
        "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": policy(
            {"Effect": "Allow", "Action": [f"s3:Get{j}*" for j in range(5)], "Resource": f"arn:aws:s3:::b{i}/*"})}],
    } for i in range(users)]})


def test_the_gil_is_released_while_the_core_works():
    # an account large enough to take a while to load (given as text: no conversion under the GIL)
    users, took = 2000, 0.0
    while took < 0.25 and users < 200_000:
        users *= 2
        text = synthetic_details(users)
        t = time.perf_counter()
        iamkit.Account(text)
        took = time.perf_counter() - t
    inside, done = threading.Event(), threading.Event()

    def load():
        inside.set()
        iamkit.Account(text)
        done.set()

    worker = threading.Thread(target=load)
    worker.start()
    inside.wait()
    # this thread runs Python while the worker is in the core; holding the GIL, the worker would
    # finish before this thread ran a single line
    end = time.perf_counter() + took / 5
    while time.perf_counter() < end:
        pass
    finished_meanwhile = done.is_set()
    worker.join()
    assert not finished_meanwhile, f"the GIL was held while loading ({took:.2f} s)"


@pytest.mark.skipif(not hasattr(iamkit._native, "_test_panic"), reason="built without the test-panic feature")
def test_a_rust_panic_becomes_internal_error(monkeypatch):
    monkeypatch.setenv("RUST_BACKTRACE", "0")
    with pytest.raises(Exception) as info:
        iamkit._native._test_panic()
    assert isinstance(info.value, iamkit.InternalError) and isinstance(info.value, iamkit.IamkitError)
    assert info.value.code == "IAM_INTERNAL" and "_test_panic" in info.value.message


def test_the_panic_guard_is_built_for_the_test_run():
    if os.environ.get("IAMKIT_REQUIRE_TEST_PANIC") == "1":
        assert hasattr(iamkit._native, "_test_panic")

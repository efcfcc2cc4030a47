"""The Python API: typed results, PolicySet, batches, errors, threads, the panic guard."""

import json
import os
import re
import threading

import pytest

import iamkit
from conftest import WORKSPACE

ALICE = "arn:aws:iam::111122223333:user/alice"
POLICIES = {
    "identity": [
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/secret/*"},
            ],
        }
    ]
}


def req(action="s3:GetObject", resource="arn:aws:s3:::b/k", **extra):
    return {"principal": ALICE, "action": action, "resource": resource, **extra}


def test_version_matches_the_workspace():
    cargo = (WORKSPACE / "Cargo.toml").read_text()
    version = re.search(r'\[workspace\.package\][^\[]*?version = "([^"]+)"', cargo).group(1)
    assert iamkit.version() == version == iamkit.__version__
    package = json.loads((WORKSPACE / "node" / "package.json").read_text()) if (WORKSPACE / "node" / "package.json").exists() else None
    if package is not None:
        assert package["version"] == version


def test_evaluate_with_dicts_and_explanation():
    r = iamkit.evaluate(req(), POLICIES)
    assert r.decision == "allowed" and r.allowed
    assert r.explain.granted_by == "identity"
    assert r.explain.denied_by is None
    [s] = r.explain.statements
    assert (s.policy, s.statement, s.sid, s.effect) == ("identity[0]", 0, "Read", "Allow")
    assert "allowed" in r.explain.reason
    assert json.loads(r.to_json())["decision"] == "allowed"


def test_explicit_and_implicit_deny():
    d = iamkit.evaluate(req(resource="arn:aws:s3:::b/secret/x"), POLICIES)
    assert d.decision == "explicitDeny" and not d.allowed
    assert d.explain.denied_by == "identity"
    assert d.explain.statements[0].sid == "NoSecrets"
    i = iamkit.evaluate(req(action="s3:PutObject"), POLICIES)
    assert i.decision == "implicitDeny"
    assert [(s.step, s.outcome) for s in i.explain.steps] == [("identity", "implicitDeny")]


def test_policy_documents_as_json_strings_like_boto3_may_hold():
    as_strings = {"identity": [json.dumps(POLICIES["identity"][0])]}
    assert iamkit.evaluate(req(), as_strings).allowed
    assert iamkit.evaluate(json.dumps(req()), json.dumps(POLICIES)).allowed


def test_context_values_of_every_type():
    policies = {"identity": [{"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}, "NumericLessThan": {"s3:max-keys": "10"},
                      "ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]},
                      "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}]}
    ctx = {"aws:SecureTransport": True, "s3:max-keys": 5, "aws:TagKeys": ["team"], "aws:SourceIp": "10.1.2.3"}
    assert iamkit.evaluate(req(context=ctx), policies).allowed
    assert not iamkit.evaluate(req(context={**ctx, "s3:max-keys": 50.5}), policies).allowed


def test_policy_set_reuse_decide_and_batch():
    ps = iamkit.PolicySet(POLICIES)
    assert ps.evaluate(req()).allowed
    assert ps.decide(req(action="s3:PutObject")) == "implicitDeny"
    results = ps.evaluate_batch([req(), req(resource="arn:aws:s3:::b/secret/x"), req(action="s3:PutObject")])
    assert [r.decision for r in results] == ["allowed", "explicitDeny", "implicitDeny"]
    assert json.loads(ps.evaluate_json(json.dumps(req())))["decision"] == "allowed"


def test_policy_set_is_shared_between_threads():
    ps = iamkit.PolicySet(POLICIES)
    errors = []

    def work():
        for i in range(500):
            want = "allowed" if i % 2 else "implicitDeny"
            got = ps.decide(req() if i % 2 else req(action="s3:PutObject"))
            if got != want:
                errors.append(got)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_errors_have_codes_details_and_families():
    bad_policy = {"identity": [{"Version": "2012-10-17", "Statement": {
        "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericEquals": {"k": "x"}}}}]}
    with pytest.raises(iamkit.PolicyValidationError) as info:
        iamkit.PolicySet(bad_policy)
    e = info.value
    assert isinstance(e, iamkit.IamkitError) and isinstance(e, Exception)
    assert e.code == "IAM_POLICY_CONDITION_VALUE"
    assert e.details["location"]["jsonPath"] == "$.identity[0].Statement.Condition.NumericEquals.k"

    with pytest.raises(iamkit.PolicyParseError) as info:
        iamkit.PolicySet({"identity": ["{not json"]})
    assert info.value.code == "IAM_POLICY_JSON"

    with pytest.raises(iamkit.RequestError) as info:
        iamkit.evaluate({"principal": "alice", "action": "s3:GetObject", "resource": "*"}, POLICIES)
    assert info.value.code == "IAM_REQUEST_PRINCIPAL"

    with pytest.raises(iamkit.InputError) as info:
        iamkit.evaluate({"principal": ALICE, "action": "s3:GetObject"}, POLICIES)
    assert info.value.code == "IAM_INVALID_ARGUMENT"

    with pytest.raises(iamkit.RequestError) as info:
        iamkit.evaluate(req(context={"k": {"nested": 1}}), POLICIES)
    assert info.value.code == "IAM_REQUEST_CONTEXT"

    with pytest.raises(iamkit.InputError):
        iamkit.evaluate_json("{")

    with pytest.raises(iamkit.InputError):
        iamkit.PolicySet({"identity": [object()]})


def test_validate_policy_returns_diagnostics_as_values():
    v = iamkit.validate_policy({"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}})
    assert not v.valid
    codes = [d.code for d in v.diagnostics]
    assert "IAM_POLICY_EFFECT" in codes and "IAM_POLICY_VERSION_LEGACY" in codes
    effect = next(d for d in v.diagnostics if d.code == "IAM_POLICY_EFFECT")
    assert effect.severity == "error" and effect.location.json_path == "$.Statement.Effect"
    assert iamkit.validate_policy(POLICIES["identity"][0], type="identity").valid
    with pytest.raises(iamkit.InputError):
        iamkit.validate_policy("{}", type="bogus")


@pytest.mark.skipif(not hasattr(iamkit._native, "_test_panic"), reason="built without the test-panic feature")
def test_a_rust_panic_becomes_internal_error(monkeypatch):
    monkeypatch.setenv("RUST_BACKTRACE", "0")
    with pytest.raises(Exception) as info:
        iamkit._native._test_panic()
    assert isinstance(info.value, iamkit.InternalError)
    assert info.value.code == "IAM_INTERNAL"


def test_the_panic_guard_is_built_for_the_test_run():
    if os.environ.get("IAMKIT_REQUIRE_TEST_PANIC") == "1":
        assert hasattr(iamkit._native, "_test_panic")

"""Every public function and method, given values of the wrong type: each raises an IamkitError
(never a bare TypeError, ValueError, UnicodeEncodeError or RecursionError). A value JSON cannot
carry is IAM_INVALID_ARGUMENT everywhere; a value that is valid JSON of the wrong shape gets the
core's code for it (IAM_INPUT_SCHEMA, or the code of the document it stands for)."""

import pytest

import iamkit
from conftest import policy, request


class StrRaises:
    def __str__(self):
        raise RuntimeError("__str__ raised")

    __repr__ = __str__


def circular():
    d = {"a": 1}
    d["self"] = d
    return d


def deep(n=5000):
    v = []
    for _ in range(n):
        v = [v]
    return v


# values JSON cannot carry: IAM_INVALID_ARGUMENT wherever they are given
NOT_JSON = {
    "non-UTF-8 bytes": lambda: b"\xff\xfe\x00",
    "set": lambda: {1, 2},
    "object": object,
    "function": lambda: len,
    "circular dict": circular,
    "5000-deep list": deep,
    "lone surrogate": lambda: "\ud800",
    "__str__ raises": StrRaises,
    "NaN": lambda: float("nan"),
}
# valid JSON of the wrong type: the core's code for it
WRONG_JSON = {"None": lambda: None, "int": lambda: 42, "float": lambda: 1.5}

PS = iamkit.PolicySet({"identity": [policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})]})
ACCT = iamkit.Account({"UserDetailList": [{"UserName": "alice", "Arn": "arn:aws:iam::111122223333:user/alice"}]})
P = policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})

# every public entry point, one argument at a time (the others valid)
TARGETS = {
    "call(name)": lambda v: iamkit.call(v, {}),
    "call(input)": lambda v: iamkit.call("validate", v),
    "Handle(kind)": lambda v: iamkit.Handle(v, {}),
    "Handle(input)": lambda v: iamkit.Handle("policySet", v),
    "PolicySet(policies)": lambda v: iamkit.PolicySet(v),
    "PolicySet.call(name)": lambda v: PS.call(v, request()),
    "PolicySet.call(input)": lambda v: PS.call("evaluate", v),
    "PolicySet.evaluate": lambda v: PS.evaluate(v),
    "PolicySet.decide": lambda v: PS.decide(v),
    "PolicySet.evaluate(context)": lambda v: PS.evaluate(request(context={"k": v})),
    "PolicySet.evaluate_batch": lambda v: PS.evaluate_batch(v),
    "Account(details)": lambda v: iamkit.Account(v),
    "Account(managed_policy_documents)": lambda v: iamkit.Account({}, v),
    "Account(credential_report)": lambda v: iamkit.Account({}, None, v),
    "Account.from_file": lambda v: iamkit.Account.from_file(v),
    "Account.from_boto3": lambda v: iamkit.Account.from_boto3(v),
    "Account.call(name)": lambda v: ACCT.call(v, {}),
    "Account.call(input)": lambda v: ACCT.call("whoCan", v),
    "Account.summary": lambda v: ACCT.call("summary", v),
    "Account.evaluate(principal)": lambda v: ACCT.evaluate(v, "s3:GetObject", "*"),
    "Account.evaluate(context)": lambda v: ACCT.evaluate("alice", "s3:GetObject", "*", context=v),
    "Account.who_can(action)": lambda v: ACCT.who_can(v, "*"),
    "Account.who_can(policies)": lambda v: ACCT.who_can("s3:GetObject", "*", policies=v),
    "Account.who_can_assume": lambda v: ACCT.who_can_assume(v),
    "Account.effective_permissions": lambda v: ACCT.effective_permissions(v),
    "Account.is_administrator": lambda v: ACCT.is_administrator(v),
    "evaluate(request)": lambda v: iamkit.evaluate(v, {}),
    "evaluate(policies)": lambda v: iamkit.evaluate(request(), v),
    "validate_policy(policy)": lambda v: iamkit.validate_policy(v),
    "validate_policy(type)": lambda v: iamkit.validate_policy(P, v),
    "lint_policy": lambda v: iamkit.lint_policy(v),
    "lint_policy(catalog)": lambda v: iamkit.lint_policy(P, catalog=v),
    "summarize_policy": lambda v: iamkit.summarize_policy(v),
    "review_policy": lambda v: iamkit.review_policy(v),
    "review_policy(type)": lambda v: iamkit.review_policy(P, v),
    "lookup_action": lambda v: iamkit.lookup_action(v),
    "expand_actions": lambda v: iamkit.expand_actions(v),
    "expand_actions(not_action)": lambda v: iamkit.expand_actions("s3:*", not_action=v),
    "catalog_source": lambda v: iamkit.catalog_source(v),
    "credentials(document)": lambda v: iamkit.credentials(v),
    "credentials(as_of)": lambda v: iamkit.credentials({"Code": "Success"}, v),
    "parse_credential_report": lambda v: iamkit.parse_credential_report(v),
    **{f"audit({k})": (lambda k: lambda v: iamkit.audit(**{k: v}))(k) for k in (
        "credential_report", "authorization_details", "managed_policy_documents", "password_policy",
        "account_summary", "virtual_mfa_devices", "options")},
}

# where a value's meaning is not JSON: bytes are a path (this one holds a NUL, refused; without
# it, the file it names is missing: IAM_IO)
OTHER_CODES = {("Account.from_file", "non-UTF-8 bytes"): {"IAM_IO", "IAM_INVALID_ARGUMENT"}}


def outcome(target, value):
    """The IamkitError the call raised (or, for a batch, the first error item), or None."""
    try:
        answer = TARGETS[target](value)
    except iamkit.IamkitError as e:
        return e
    except BaseException as e:  # noqa: BLE001 - the point: nothing else may escape
        pytest.fail(f"{target} raised {type(e).__name__}: {e!r}"[:500])
    if target == "PolicySet.evaluate_batch" and answer and isinstance(answer[0], iamkit.IamkitError):
        return answer[0]
    return None


@pytest.mark.parametrize("what", NOT_JSON)
@pytest.mark.parametrize("target", TARGETS)
def test_values_json_cannot_carry(target, what):
    e = outcome(target, NOT_JSON[what]())
    assert e is not None, f"{target} accepted a {what}"
    assert e.code in OTHER_CODES.get((target, what), {"IAM_INVALID_ARGUMENT"}), str(e)
    assert e.details["code"] == e.code and isinstance(e.message, str)


@pytest.mark.parametrize("what", WRONG_JSON)
@pytest.mark.parametrize("target", TARGETS)
def test_valid_json_of_the_wrong_type(target, what):
    e = outcome(target, WRONG_JSON[what]())
    if e is not None:
        assert e.code not in ("IAM_INTERNAL",), str(e)
        assert isinstance(e, iamkit.IamkitError) and e.details["code"] == e.code

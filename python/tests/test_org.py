"""iamkit.Organization over examples/demo-org: every account answered with its own SCPs and RCPs,
broken accounts as error lines, the answers independent of the threads, and bad input refused
with OrganizationError or InputError."""

import pathlib

import pytest

import iamkit
from conftest import WORKSPACE

DEMO_ORG = WORKSPACE / "examples" / "demo-org"
AS_OF = "2026-12-01T00:00:00Z"


@pytest.fixture(scope="module")
def org() -> iamkit.Organization:
    return iamkit.Organization(DEMO_ORG)


def by_account(answer):
    return {line["accountId"]: line for line in answer["accounts"]}


def test_members_and_summary_follow_the_tree(org):
    assert [m["id"] for m in org.members()] == ["111111111111", "222222222222", "333333333333",
                                                "444444444444", "555555555555"]
    lines = by_account(org.summary())
    assert lines["222222222222"]["summary"]["path"] == "Root/Workloads/Prod"
    assert lines["222222222222"]["summary"]["scps"][1] == ["FullAWSAccess", "DenyRootAndLeave"]
    assert lines["444444444444"]["error"]["code"] == "IAM_INPUT_JSON"
    assert lines["555555555555"]["error"]["code"] == "IAM_ORG_DATA"
    assert org.kind == "organization" and repr(org) == "<iamkit.Organization>"


def test_the_audit_judges_each_account_by_its_own_scps(org):
    lines = by_account(org.audit(options={"asOf": AS_OF}))
    status = lambda acct, check: [f["status"] for f in lines[acct]["audit"]["findings"] if f["checkId"] == check]
    assert status("222222222222", "org-scp-denies-root") == ["pass"]
    assert status("333333333333", "org-scp-denies-root") == ["fail"]
    assert status("111111111111", "org-scp-denies-leave") == ["notEvaluated"]
    assert status("333333333333", "privilege-escalation") == ["fail"]


def test_roles_of_other_accounts_and_the_rcps(org):
    deploy = "arn:aws:iam::222222222222:role/deploy"
    who = by_account(org.who_can("sts:AssumeRole", deploy, accounts=["333333333333"]))
    assert [e["principal"] for e in who["333333333333"]["whoCan"]["allowed"]] == ["arn:aws:iam::333333333333:user/dev"]
    other = by_account(org.who_can("sts:AssumeRole", deploy, context={"aws:PrincipalOrgID": "o-other"},
                                   accounts=["333333333333"]))
    assert other["333333333333"]["whoCan"]["allowed"] == []
    assume = by_account(org.assume())
    assert [(r["principal"], r["role"]) for r in assume["333333333333"]["assume"]] == [
        ("arn:aws:iam::333333333333:user/dev", deploy)]


def test_the_answer_does_not_depend_on_the_threads(org):
    one = org.audit(options={"asOf": AS_OF}, threads=1)
    assert org.audit(options={"asOf": AS_OF}, threads=3) == one
    assert org.escalations(as_of=AS_OF, threads=1) == org.escalations(as_of=AS_OF, threads=2)


def test_bad_input_is_an_iamkit_error(tmp_path: pathlib.Path, org):
    with pytest.raises(iamkit.InputError) as e:
        iamkit.Organization(tmp_path / "nothing-here")
    assert e.value.code == "IAM_IO"
    with pytest.raises(iamkit.OrganizationError) as e:
        iamkit.Organization(WORKSPACE / "examples" / "demo-account")
    assert e.value.code == "IAM_ORG_DATA" and "describe-organization.json" in e.value.message
    with pytest.raises(iamkit.InputError) as e:
        iamkit.Organization(42)
    assert e.value.code == "IAM_INVALID_ARGUMENT"
    with pytest.raises(iamkit.InputError) as e:
        org.summary(accounts="222222222222")
    assert e.value.code == "IAM_INVALID_ARGUMENT"
    with pytest.raises(iamkit.InputError) as e:
        org.summary(threads=0)
    assert e.value.code == "IAM_INVALID_ARGUMENT"
    assert by_account(org.summary(accounts=["999999999999"]))["999999999999"]["error"]["code"] == "IAM_ORG_DATA"

#!/usr/bin/env python3
"""Writes the conformance cases of `account.escalations` (issue 15):

    python3 scripts/gen-escalation-cases.py

- tests/cases/account/escalations-lab.jsonl: every principal of the BishopFox iam-vulnerable lab
  in ../shared/data/authorization-details/cloudsplaining-example.json (the `sample`), with the
  answer worked out from that snapshot (LAB below, reviewed principal by principal; the lab's names
  are not the answer: REASONS says why an answer differs from what a name suggests);
- tests/cases/account/escalation-techniques.jsonl: for each technique iamkit models, a small
  account where it works (positive) and one where a Deny, a resource scope, a trust policy or a
  missing prerequisite blocks it (negative);
- tests/cases/account/escalations-network.jsonl: paths that exist only for requests from a source
  address a policy names (an Allow from a network, a Deny unless from it, a trust policy that
  requires one), and what is not assumed (an address the caller gives, a VPC endpoint, MFA and an
  address together, a string operator).
- tests/cases/account/escalations-mfa.jsonl: paths that exist only for requests authenticated
  with MFA (an Allow that requires it, a Deny unless it, a trust policy that requires it) are
  possible and say so; the caller's context decides when it gives the key;
- tests/cases/account/escalations-inventory.jsonl: the techniques that take over an existing
  resource, given a resource inventory (iamkit's document or AWS responses): exact through a
  resource listed, absent when the inventory lists every resource of the service and none can be
  taken over, refused when the inventory has the wrong shape.

The analysis instant of every case is ASOF. Deterministic: the same bytes on every run.
"""
from __future__ import annotations

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ASOF = "2026-12-01T00:00:00Z"
LAB = "cloudsplaining-example.json"
ACCT = "200611803367"

# (principal, account, answer, hops): answer is admin (already one), exact, possible or no; hops
# are (technique id, the hop's `to`) in order.
TRUTH = [
    ("user/fn1-privesc3-partial-user", ACCT, "exact", [("ec2-001", "role/privesc-high-priv-service-role")]),
    ("user/fn2-exploitableResourceConstraint-user", ACCT, "exact", [("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("user/fn3-exploitableConditionConstraint-user", ACCT, "exact", [("iam-001", "user/fn3-exploitableConditionConstraint-user")]),
    ("user/fn4-exploitableNotAction-user", ACCT, "exact", [("iam-007", "user/fn4-exploitableNotAction-user")]),
    ("user/fp1-allow-and-deny-user", ACCT, "no", []),
    ("user/fp2-allow-and-deny-multiple-policies-user", ACCT, "no", []),
    ("user/fp3-deny-iam-user", ACCT, "no", []),
    ("user/fp4-nonExploitableResourceConstraint-user", ACCT, "no", []),
    ("user/fp5-nonExploitableConditionConstraint-user", ACCT, "no", []),
    ("user/privesc-AssumeRole-start-user", ACCT, "no", []),
    ("user/privesc-CloudFormationUpdateStack-user", ACCT, "possible", [("cloudformation-002", "role/privesc-high-priv-service-role")]),
    ("user/privesc-codeBuildCreateProjectPassRole-user", ACCT, "exact", [("codebuild-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc-ec2InstanceConnect-user", ACCT, "possible", [("ec2instanceconnect-003", "role/privesc-high-priv-service-role")]),
    ("user/privesc-sageMakerCreateNotebookPassRole-user", ACCT, "exact", [("sagemaker-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc-sageMakerCreatePresignedNotebookURL-user", ACCT, "possible", [("sagemaker-004", "role/privesc-high-priv-service-role")]),
    ("user/privesc-sageMakerCreateProcessingJobPassRole-user", ACCT, "exact", [("sagemaker-003", "role/privesc-high-priv-service-role")]),
    ("user/privesc-sageMakerCreateTrainingJobPassRole-user", ACCT, "exact", [("sagemaker-002", "role/privesc-high-priv-service-role")]),
    ("user/privesc-sre-user", ACCT, "exact", [("iam-001", "user/privesc-sre-user")]),
    ("user/privesc-ssmSendCommand-user", ACCT, "possible", [("ssm-002", "role/privesc-high-priv-service-role")]),
    ("user/privesc-ssmStartSession-user", ACCT, "possible", [("ssm-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc1-CreateNewPolicyVersion-user", ACCT, "exact", [("iam-001", "user/privesc1-CreateNewPolicyVersion-user")]),
    ("user/privesc10-PutUserPolicy-user", ACCT, "exact", [("iam-007", "user/privesc10-PutUserPolicy-user")]),
    ("user/privesc11-PutGroupPolicy-user", ACCT, "exact", [("iam-011", "user/privesc11-PutGroupPolicy-user")]),
    ("user/privesc12-PutRolePolicy-user", ACCT, "no", []),
    ("user/privesc13-AddUserToGroup-user", ACCT, "exact", [("iam-013", "user/privesc13-AddUserToGroup-user")]),
    ("user/privesc14-UpdatingAssumeRolePolicy-user", ACCT, "exact", [("iam-012", "role/AWS-QuickSetup-StackSet-Local-ExecutionRole")]),
    ("user/privesc15-PassExistingRoleToNewLambdaThenInvoke-user", ACCT, "exact", [("lambda-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo-user", ACCT, "exact", [("lambda-002", "role/privesc-high-priv-service-role")]),
    ("user/privesc17-EditExistingLambdaFunctionWithRole-user", ACCT, "possible", [("lambda-003", "role/privesc-high-priv-service-role")]),
    ("user/privesc18-PassExistingRoleToNewGlueDevEndpoint-user", ACCT, "exact", [("glue-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc19-UpdateExistingGlueDevEndpoint-user", ACCT, "possible", [("glue-002", "role/privesc-high-priv-service-role")]),
    ("user/privesc2-SetExistingDefaultPolicyVersion-user", ACCT, "no", []),
    ("user/privesc20-PassExistingRoleToCloudFormation-user", ACCT, "exact", [("cloudformation-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc21-PassExistingRoleToNewDataPipeline-user", ACCT, "exact", [("datapipeline-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc3-CreateEC2WithExistingInstanceProfile-user", ACCT, "exact", [("ec2-001", "role/privesc-high-priv-service-role")]),
    ("user/privesc4-CreateAccessKey-user", ACCT, "exact", [("iam-002", "user/fn2-exploitableResourceConstraint-user"), ("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("user/privesc5-CreateLoginProfile-user", ACCT, "possible", [("iam-004", "user/fn2-exploitableResourceConstraint-user"), ("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("user/privesc6-UpdateLoginProfile-user", ACCT, "possible", [("iam-006", "user/fn2-exploitableResourceConstraint-user"), ("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("user/privesc7-AttachUserPolicy-user", ACCT, "exact", [("iam-008", "user/privesc7-AttachUserPolicy-user")]),
    ("user/privesc8-AttachGroupPolicy-user", ACCT, "exact", [("iam-010", "user/privesc8-AttachGroupPolicy-user")]),
    ("user/privesc9-AttachRolePolicy-user", ACCT, "no", []),
    ("user/obama", "012345678901", "admin", []),
    ("user/userwithlotsofpermissions", "012345678901", "admin", []),
    ("user/biden", "012345678901", "no", []),
]
ROLES_NO = """AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-1 AWS-QuickSetup-EnableCRecording-1clff_ap-northeast-2
AWS-QuickSetup-EnableCRecording-1clff_ap-south-1 AWS-QuickSetup-EnableCRecording-1clff_ap-southeast-1
AWS-QuickSetup-EnableCRecording-1clff_ap-southeast-2 AWS-QuickSetup-EnableCRecording-1clff_ca-central-1
AWS-QuickSetup-EnableCRecording-1clff_eu-central-1 AWS-QuickSetup-EnableCRecording-1clff_eu-north-1
AWS-QuickSetup-EnableCRecording-1clff_eu-west-1 AWS-QuickSetup-EnableCRecording-1clff_eu-west-2
AWS-QuickSetup-EnableCRecording-1clff_eu-west-3 AWS-QuickSetup-EnableCRecording-1clff_sa-east-1
AWS-QuickSetup-EnableCRecording-1clff_us-east-1 AWS-QuickSetup-EnableCRecording-1clff_us-east-2
AWS-QuickSetup-EnableCRecording-1clff_us-west-1 AWS-QuickSetup-EnableCRecording-1clff_us-west-2
aws-reserved/sso.amazonaws.com/AWSReservedSSO_ViewOnlyAccess_0ace44bbc7092ea8
aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM
aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember
aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig
aws-service-role/organizations.amazonaws.com/AWSServiceRoleForOrganizations
aws-service-role/securityhub.amazonaws.com/AWSServiceRoleForSecurityHub aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO
aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport
aws-service-role/trustedadvisor.amazonaws.com/AWSServiceRoleForTrustedAdvisor
fp1-allow-and-deny-role fp2-allow-and-deny-multiple-policies-role fp3-deny-iam-role fp4-nonExploitableResourceConstraint-role
fp5-nonExploitableConditionConstraint-role privesc-permissive-role-trust privesc10-PutUserPolicy-role
privesc11-PutGroupPolicy-role privesc13-AddUserToGroup-role privesc2-SetExistingDefaultPolicyVersion-role
privesc7-AttachUserPolicy-role privesc8-AttachGroupPolicy-role""".split()
ROLES_ADMIN = """AWS-QuickSetup-StackSet-Local-ExecutionRole OrganizationAccountAccessRole
aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc privesc-AssumeRole-ending-role
privesc-high-priv-service-role stacksets-exec-b5520cb2730c2f54b523d6375a319abb""".split()
HIGH = "role/privesc-high-priv-service-role"
TRUTH += [(f"role/{r}", ACCT, "no", []) for r in ROLES_NO]
TRUTH += [(f"role/{r}", ACCT, "admin", []) for r in ROLES_ADMIN]
TRUTH += [
    ("role/MyRole", "012345678901", "no", []),
    ("role/MyOtherRole", "012345678901", "no", []),
    ("role/OverprivilegedEC2", "012345678901", "exact", [("iam-002", "user/obama")]),
    ("role/AWS-QuickSetup-StackSet-Local-AdministrationRole", ACCT, "exact", [("sts-001", "role/AWS-QuickSetup-StackSet-Local-ExecutionRole")]),
    ("role/privesc-AssumeRole-intermediate-role", ACCT, "exact", [("sts-001", "role/privesc-AssumeRole-ending-role")]),
    ("role/privesc-AssumeRole-starting-role", ACCT, "exact", [("sts-001", "role/privesc-AssumeRole-intermediate-role"), ("sts-001", "role/privesc-AssumeRole-ending-role")]),
]
# the roles of the lab's user techniques, with the same answer as their user where a role can use it
for name, answer, hops in [
    ("fn1-privesc3-partial", "exact", [("ec2-001", HIGH)]),
    ("fn2-exploitableResourceConstraint", "exact", [("iam-001", "role/fn2-exploitableResourceConstraint-role")]),
    ("fn3-exploitableConditionConstraint", "exact", [("iam-001", "role/fn3-exploitableConditionConstraint-role")]),
    ("fn4-exploitableNotAction", "exact", [("iam-005", "role/fn4-exploitableNotAction-role")]),
    ("privesc-CloudFormationUpdateStack", "possible", [("cloudformation-002", HIGH)]),
    ("privesc-codeBuildCreateProjectPassRole", "exact", [("codebuild-001", HIGH)]),
    ("privesc-ec2InstanceConnect", "possible", [("ec2instanceconnect-003", HIGH)]),
    ("privesc-sageMakerCreateNotebookPassRole", "exact", [("sagemaker-001", HIGH)]),
    ("privesc-sageMakerCreatePresignedNotebookURL", "possible", [("sagemaker-004", HIGH)]),
    ("privesc-sageMakerCreateProcessingJobPassRole", "exact", [("sagemaker-003", HIGH)]),
    ("privesc-sageMakerCreateTrainingJobPassRole", "exact", [("sagemaker-002", HIGH)]),
    ("privesc-sre", "exact", [("iam-001", "role/privesc-sre-role")]),
    ("privesc-ssmSendCommand", "possible", [("ssm-002", HIGH)]),
    ("privesc-ssmStartSession", "possible", [("ssm-001", HIGH)]),
    ("privesc1-CreateNewPolicyVersion", "exact", [("iam-001", "role/privesc1-CreateNewPolicyVersion-role")]),
    ("privesc12-PutRolePolicy", "exact", [("iam-005", "role/privesc12-PutRolePolicy-role")]),
    ("privesc14-UpdatingAssumeRolePolicy", "exact", [("iam-012", "role/AWS-QuickSetup-StackSet-Local-ExecutionRole")]),
    ("privesc15-PassExistingRoleToNewLambdaThenInvoke", "exact", [("lambda-001", HIGH)]),
    ("privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo", "exact", [("lambda-002", HIGH)]),
    ("privesc17-EditExistingLambdaFunctionWithRole", "possible", [("lambda-003", HIGH)]),
    ("privesc18-PassExistingRoleToNewGlueDevEndpoint", "exact", [("glue-001", HIGH)]),
    ("privesc19-UpdateExistingGlueDevEndpoint", "possible", [("glue-002", HIGH)]),
    ("privesc20-PassExistingRoleToCloudFormation", "exact", [("cloudformation-001", HIGH)]),
    ("privesc21-PassExistingRoleToNewDataPipeline", "exact", [("datapipeline-001", HIGH)]),
    ("privesc3-CreateEC2WithExistingInstanceProfile", "exact", [("ec2-001", HIGH)]),
    ("privesc4-CreateAccessKey", "exact", [("iam-002", "user/fn2-exploitableResourceConstraint-user"), ("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("privesc5-CreateLoginProfile", "possible", [("iam-004", "user/fn2-exploitableResourceConstraint-user"), ("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("privesc6-UpdateLoginProfile", "possible", [("iam-006", "user/fn2-exploitableResourceConstraint-user"), ("iam-001", "user/fn2-exploitableResourceConstraint-user")]),
    ("privesc9-AttachRolePolicy", "exact", [("iam-009", "role/privesc9-AttachRolePolicy-role")]),
]:
    TRUTH.append((f"role/{name}-role", ACCT, answer, hops))

ROLE_CANNOT_BE_USER = "a role cannot become a user or join a group, so a technique that acts on users or groups gives it nothing"
POSSIBLE_RESOURCE = ("possible only: the technique takes over a running resource that has privesc-high-priv-service-role, "
                     "and IAM data does not show whether one exists")
NO_ADMIN_USER = ("no user of account 200611803367 is an administrator, so the user it becomes is one that can escalate "
                 "itself: fn2-exploitableResourceConstraint-user (CreatePolicyVersion on its own policy)")
REASONS = {
    "user/privesc-AssumeRole-start-user": "the user has no policy in this snapshot: it can do nothing",
    "user/privesc2-SetExistingDefaultPolicyVersion-user": "its policy has a single version in this snapshot: there is no other version to make the default",
    "role/privesc2-SetExistingDefaultPolicyVersion-role": "its policy has a single version in this snapshot: there is no other version to make the default",
    "user/privesc9-AttachRolePolicy-user": "it may attach policies to roles but cannot assume, pass or otherwise use any role: it gains nothing",
    "user/privesc12-PutRolePolicy-user": "it may put policies on roles but cannot assume, pass or otherwise use any role: it gains nothing",
    "user/privesc13-AddUserToGroup-user": "no group makes it an administrator by itself, but privesc-sre-group grants iam:*: joined, it puts an administrator policy on itself",
    "user/privesc4-CreateAccessKey-user": NO_ADMIN_USER,
    "role/privesc4-CreateAccessKey-role": NO_ADMIN_USER,
    "user/privesc5-CreateLoginProfile-user": NO_ADMIN_USER + "; possible, as no credential report says whether that user has a console password",
    "role/privesc5-CreateLoginProfile-role": NO_ADMIN_USER + "; possible, as no credential report says whether that user has a console password",
    "user/privesc6-UpdateLoginProfile-user": NO_ADMIN_USER + "; possible, as no credential report says whether that user has a console password",
    "role/privesc6-UpdateLoginProfile-role": NO_ADMIN_USER + "; possible, as no credential report says whether that user has a console password",
    "user/fn1-privesc3-partial-user": "PassRole and RunInstances come from two policies: together they pass privesc-high-priv-service-role (trusts ec2, has an instance profile) to a new instance",
    "role/fn1-privesc3-partial-role": "PassRole and RunInstances come from two policies: together they pass privesc-high-priv-service-role (trusts ec2, has an instance profile) to a new instance",
    "user/fn2-exploitableResourceConstraint-user": "CreatePolicyVersion is limited to policy/fn2-*, which holds its own attached policy",
    "role/fn2-exploitableResourceConstraint-role": "CreatePolicyVersion is limited to policy/fn2-*, which holds its own attached policy",
    "user/fn3-exploitableConditionConstraint-user": "the condition aws:TokenIssueTime > 2020-01-01 holds for credentials issued at the analysis instant",
    "role/fn3-exploitableConditionConstraint-role": "the condition aws:TokenIssueTime > 2020-01-01 holds for credentials issued at the analysis instant",
    "user/fn4-exploitableNotAction-user": "NotAction excludes Update*, Create* and Attach* but still allows iam:PutUserPolicy",
    "role/fn4-exploitableNotAction-role": "NotAction excludes Update*, Create* and Attach* but still allows iam:PutRolePolicy",
    "user/fp1-allow-and-deny-user": "iam:* is allowed and denied in the same policy",
    "user/fp2-allow-and-deny-multiple-policies-user": "* is allowed by one policy and denied by another",
    "user/fp3-deny-iam-user": "iam:* is denied",
    "user/fp4-nonExploitableResourceConstraint-user": "CreatePolicyVersion is limited to AWS managed policies (arn:aws:iam::aws:policy/fp4-*), which no one can version",
    "user/fp5-nonExploitableConditionConstraint-user": "the condition aws:TokenIssueTime < 2020-01-01 cannot hold for credentials issued at the analysis instant",
    "user/biden": "its Lambda and RDS permissions pass or use no role of its own account that trusts Lambda; IAM acts only within the caller's account",
    "role/OverprivilegedEC2": "its inline policy allows iam:CreateAccessKey on every user: an access key of obama, an administrator",
    "role/privesc-AssumeRole-starting-role": "each trust policy names the previous role: starting, then intermediate, then ending-role (an administrator)",
    "role/privesc-AssumeRole-intermediate-role": "ending-role trusts it by ARN, which in the same account needs no policy of its own",
    "role/privesc-permissive-role-trust": "it trusts the whole account but has no policy of its own: nothing to gain from it, and it can do nothing",
    "user/privesc14-UpdatingAssumeRolePolicy-user": "it rewrites the trust policy of a role with administrator rights, naming itself, then assumes it",
    "role/privesc14-UpdatingAssumeRolePolicy-role": "it rewrites the trust policy of a role with administrator rights, naming itself, then assumes it",
    "role/AWS-QuickSetup-StackSet-Local-AdministrationRole": "it may assume the execution role, an administrator",
}
for r in ["privesc10-PutUserPolicy-role", "privesc11-PutGroupPolicy-role", "privesc13-AddUserToGroup-role",
          "privesc7-AttachUserPolicy-role", "privesc8-AttachGroupPolicy-role"]:
    REASONS[f"role/{r}"] = ROLE_CANNOT_BE_USER
for r in ["fp1-allow-and-deny-role", "fp2-allow-and-deny-multiple-policies-role", "fp3-deny-iam-role",
          "fp4-nonExploitableResourceConstraint-role", "fp5-nonExploitableConditionConstraint-role"]:
    REASONS[f"role/{r}"] = REASONS[f"user/{r[:-5]}-user"]
for p, _, answer, _ in TRUTH:
    if answer == "possible" and p not in REASONS:
        REASONS[p] = POSSIBLE_RESOURCE
    if "aws-service-role/" in p:
        REASONS[p] = "a service-linked role: only its service can use it, so it never acts for anyone in the account"


def arn(p: str, account: str) -> str:
    return f"arn:aws:iam::{account}:{p}"


def lab_cases() -> list[dict]:
    assert len(TRUTH) == 122, len(TRUTH)
    out = []
    for p, account, answer, hops in sorted(TRUTH):
        full = arn(p, account)
        if answer == "admin":
            expect = {"administrators": {"$contains": [full]}, "escalations": []}
            doc = "an administrator already (allowed * on *): not listed among the escalations"
        elif answer == "no":
            expect = {"administrators": {"$lacks": [full]}, "escalations": []}
            doc = REASONS.get(p, "its policies allow no technique on anything that leads to an administrator")
        else:
            expect = {"escalations": [{
                "principal": full, "certainty": answer,
                "hops": [{"technique": t, "target": arn(to, account)} for t, to in hops],
            }]}
            doc = REASONS.get(p, "the technique its name says, decided by evaluation")
        out.append({"name": f"escalations/lab: {p} ({answer})", "doc": doc, "call": "account.escalations",
                    "with": {"sample": LAB}, "input": {"principal": full, "asOf": ASOF}, "expect": {"answer": expect}})
    return out


# --- one small account per technique ------------------------------------------------------------

A = "111122223333"
ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def doc(*statements) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions, resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resource, **extra}


def deny(actions, resource="*") -> dict:
    return {"Effect": "Deny", "Action": actions, "Resource": resource}


def user(name, statements=(), groups=(), attached=()) -> dict:
    u = {"UserName": name, "UserId": f"AIDA{name.upper():0<17}"[:21], "Arn": f"arn:aws:iam::{A}:user/{name}", "Path": "/",
         "GroupList": list(groups), "AttachedManagedPolicies": [{"PolicyName": a.split("/")[-1], "PolicyArn": a} for a in attached],
         "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": doc(*statements)}] if statements else []}
    return u


def role(name, trust, statements=(), attached=(), profile=False) -> dict:
    r = {"RoleName": name, "RoleId": f"AROA{name.upper():0<17}"[:21], "Arn": f"arn:aws:iam::{A}:role/{name}", "Path": "/",
         "AssumeRolePolicyDocument": doc({"Effect": "Allow", "Principal": trust, "Action": "sts:AssumeRole"}),
         "AttachedManagedPolicies": [{"PolicyName": a.split("/")[-1], "PolicyArn": a} for a in attached],
         "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": doc(*statements)}] if statements else [],
         "InstanceProfileList": []}
    if profile:
        r["InstanceProfileList"] = [{"InstanceProfileName": name, "InstanceProfileId": "AIPA" + "X" * 17, "Path": "/",
                                     "Arn": f"arn:aws:iam::{A}:instance-profile/{name}", "Roles": []}]
    return r


def group(name, attached=(), statements=()) -> dict:
    return {"GroupName": name, "GroupId": f"AGPA{name.upper():0<17}"[:21], "Arn": f"arn:aws:iam::{A}:group/{name}", "Path": "/",
            "AttachedManagedPolicies": [{"PolicyName": a.split("/")[-1], "PolicyArn": a} for a in attached],
            "GroupPolicyList": [{"PolicyName": "inline", "PolicyDocument": doc(*statements)}] if statements else []}


def managed(arn_, document, versions=1) -> dict:
    vs = [{"Document": document, "VersionId": f"v{versions}", "IsDefaultVersion": True}]
    vs += [{"Document": doc(allow("s3:GetObject")), "VersionId": f"v{i}", "IsDefaultVersion": False} for i in range(1, versions)]
    return {"PolicyName": arn_.split("/")[-1], "Arn": arn_, "Path": "/", "DefaultVersionId": f"v{versions}",
            "AttachmentCount": 1, "PolicyVersionList": vs}


def details(users=(), roles=(), groups=(), policies=()) -> dict:
    return {"UserDetailList": list(users), "GroupDetailList": list(groups), "RoleDetailList": list(roles),
            "Policies": [managed(ADMIN_ARN, ADMIN_DOC)] + list(policies)}


ACTOR = f"arn:aws:iam::{A}:user/actor"
ACTOR_ROLE = f"arn:aws:iam::{A}:role/actor"
ADMIN_USER = user("admin", attached=[ADMIN_ARN])
TARGET_USER = f"arn:aws:iam::{A}:user/admin"
ADMIN_ROLE_ARN = f"arn:aws:iam::{A}:role/admin"
MY_POLICY = f"arn:aws:iam::{A}:policy/actor-policy"
REPORT_HEAD = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
               "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
               "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
               "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated")


def report(password: bool, two_keys: bool) -> str:
    b = lambda v: "true" if v else "false"  # noqa: E731
    row = (f"admin,{TARGET_USER},2025-01-01T00:00:00+00:00,{b(password)},N/A,N/A,N/A,false,{b(two_keys)},2025-01-01T00:00:00+00:00,"
           f"N/A,N/A,N/A,{b(two_keys)},2025-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A")
    return REPORT_HEAD + "\n" + row + "\n"


def technique_accounts() -> list[tuple[str, str, dict, dict | None, str, list[str] | None, str]]:
    """(id, kind, details, credential report or None, actor, expected hop techniques or None, doc)."""
    cases = []

    def add(tid, positive, negative, actor=ACTOR, hops=None, certainty="exact", report_pos=None, report_neg=None, why_neg=""):
        cases.append((tid, "positive", positive, report_pos, actor, hops or [tid], certainty, "the technique works"))
        cases.append((tid, "negative", negative, report_neg, actor, None, None, why_neg))

    self_user = lambda stmts, **kw: details(users=[user("actor", stmts, **kw)])  # noqa: E731
    add("iam-007", self_user([allow("iam:PutUserPolicy", ACTOR)]),
        self_user([allow("iam:PutUserPolicy", TARGET_USER)]), why_neg="PutUserPolicy only on another user")
    add("iam-008", self_user([allow("iam:AttachUserPolicy", ACTOR)]),
        self_user([allow("iam:AttachUserPolicy", ACTOR, Condition={"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}})]),
        why_neg="iam:PolicyARN pins the attachable policy to ReadOnlyAccess")
    self_role = lambda stmts: details(roles=[role("actor", {"Service": "ec2.amazonaws.com"}, stmts)])  # noqa: E731
    add("iam-005", self_role([allow("iam:PutRolePolicy", ACTOR_ROLE)]), self_role([allow("iam:PutRolePolicy", ACTOR_ROLE), deny("iam:PutRolePolicy")]),
        actor=ACTOR_ROLE, why_neg="a Deny of iam:PutRolePolicy")
    add("iam-009", self_role([allow("iam:AttachRolePolicy", ACTOR_ROLE)]), self_role([allow("iam:AttachRolePolicy", f"arn:aws:iam::{A}:role/other")]),
        actor=ACTOR_ROLE, why_neg="AttachRolePolicy only on another role")
    in_group = lambda stmts: details(users=[user("actor", stmts, groups=["team"])], groups=[group("team"), group("other")])  # noqa: E731
    add("iam-011", in_group([allow("iam:PutGroupPolicy", f"arn:aws:iam::{A}:group/team")]),
        in_group([allow("iam:PutGroupPolicy", f"arn:aws:iam::{A}:group/other")]), why_neg="PutGroupPolicy only on a group it is not in")
    add("iam-010", in_group([allow("iam:AttachGroupPolicy", f"arn:aws:iam::{A}:group/team")]),
        in_group([allow("iam:AttachGroupPolicy", "*"), deny("iam:AttachGroupPolicy", f"arn:aws:iam::{A}:group/team")]),
        why_neg="a Deny on its own group")
    versioned = lambda stmt, versions=1: details(users=[user("actor", attached=[MY_POLICY])], policies=[managed(MY_POLICY, doc(stmt), versions)])  # noqa: E731
    add("iam-001", versioned(allow("iam:CreatePolicyVersion", MY_POLICY)),
        versioned(allow("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/*")), why_neg="CreatePolicyVersion only on AWS managed policies, which no one can version")
    add("iamkit-001", versioned(allow("iam:SetDefaultPolicyVersion", MY_POLICY), 2), versioned(allow("iam:SetDefaultPolicyVersion", MY_POLICY), 1),
        certainty="possible", why_neg="the policy has a single version")
    add("iam-013", details(users=[user("actor", [allow("iam:AddUserToGroup", f"arn:aws:iam::{A}:group/admins")])], groups=[group("admins", [ADMIN_ARN])]),
        details(users=[user("actor", [allow("iam:AddUserToGroup", f"arn:aws:iam::{A}:group/readers")])], groups=[group("admins", [ADMIN_ARN]), group("readers")]),
        why_neg="it may join only a group that grants nothing")
    other = lambda stmts: details(users=[user("actor", stmts), ADMIN_USER])  # noqa: E731
    add("iam-002", other([allow("iam:CreateAccessKey", TARGET_USER)]), other([allow("iam:CreateAccessKey", TARGET_USER), deny("iam:CreateAccessKey")]),
        why_neg="a Deny of iam:CreateAccessKey")
    add("iam-003", other([allow(["iam:CreateAccessKey", "iam:DeleteAccessKey"], TARGET_USER)]), other([allow("iam:CreateAccessKey", TARGET_USER)]),
        report_pos=report(False, True), report_neg=report(False, True), why_neg="the user has two keys and it may not delete one")
    add("iam-004", other([allow("iam:CreateLoginProfile", TARGET_USER)]), other([allow("iam:CreateLoginProfile", TARGET_USER)]),
        report_pos=report(False, False), report_neg=report(True, False), why_neg="the user already has a console password")
    add("iam-006", other([allow("iam:UpdateLoginProfile", TARGET_USER)]), other([allow("iam:UpdateLoginProfile", TARGET_USER)]),
        report_pos=report(True, False), report_neg=report(False, False), why_neg="the user has no console password to change")
    admin_role = lambda trust, stmts: details(users=[user("actor", stmts)], roles=[role("admin", trust, attached=[ADMIN_ARN])])  # noqa: E731
    add("sts-001", admin_role({"AWS": f"arn:aws:iam::{A}:root"}, [allow("sts:AssumeRole", ADMIN_ROLE_ARN)]),
        admin_role({"AWS": f"arn:aws:iam::{A}:user/someone-else"}, [allow("sts:AssumeRole", ADMIN_ROLE_ARN)]),
        why_neg="the trust policy names someone else")
    add("iam-012", admin_role({"Service": "ec2.amazonaws.com"}, [allow("iam:UpdateAssumeRolePolicy", ADMIN_ROLE_ARN)]),
        admin_role({"Service": "ec2.amazonaws.com"}, [allow("iam:UpdateAssumeRolePolicy", f"arn:aws:iam::{A}:role/other")]),
        why_neg="UpdateAssumeRolePolicy only on another role")
    # composites: found as their two hops (the change first, then the way in)
    empty_role = lambda trust, stmts, attached=(), policies=(): details(users=[user("actor", stmts)], roles=[role("target", trust, attached=attached)], policies=policies)  # noqa: E731
    T = f"arn:aws:iam::{A}:role/target"
    TP = f"arn:aws:iam::{A}:policy/target-policy"
    ROOT = {"AWS": f"arn:aws:iam::{A}:root"}
    EC2 = {"Service": "ec2.amazonaws.com"}
    add("iam-014", empty_role(ROOT, [allow(["iam:AttachRolePolicy", "sts:AssumeRole"], T)]), empty_role(EC2, [allow(["iam:AttachRolePolicy", "sts:AssumeRole"], T)]),
        hops=["iam-009", "sts-001"], why_neg="the role trusts only EC2")
    add("iam-017", empty_role(ROOT, [allow(["iam:PutRolePolicy", "sts:AssumeRole"], T)]), empty_role(ROOT, [allow(["iam:PutRolePolicy"], T)]),
        hops=["iam-005", "sts-001"], why_neg="its policies do not allow sts:AssumeRole, which a trust naming the account requires")
    add("iam-016", empty_role(ROOT, [allow(["iam:CreatePolicyVersion", "sts:AssumeRole"], "*")], [TP], [managed(TP, doc(allow("s3:GetObject")))]),
        empty_role(ROOT, [allow(["iam:CreatePolicyVersion"], "*"), allow("sts:AssumeRole", "*"), deny("iam:CreatePolicyVersion", TP)], [TP], [managed(TP, doc(allow("s3:GetObject")))]),
        hops=["iam-001", "sts-001"], why_neg="a Deny of CreatePolicyVersion on the role's policy")
    add("iam-019", empty_role(EC2, [allow(["iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"], T)]), empty_role(EC2, [allow(["iam:AttachRolePolicy"], T)]),
        hops=["iam-009", "iam-012"], why_neg="it may not rewrite the trust policy, which trusts only EC2")
    add("iam-020", empty_role(EC2, [allow(["iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"], "*")], [TP], [managed(TP, doc(allow("s3:GetObject")))]),
        empty_role(EC2, [allow(["iam:UpdateAssumeRolePolicy"], "*")], [TP], [managed(TP, doc(allow("s3:GetObject")))]),
        hops=["iam-001", "iam-012"], why_neg="it may rewrite the trust but not the role's policy: the role grants nothing")
    add("iam-021", empty_role(EC2, [allow(["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"], T)]), empty_role(EC2, [allow(["iam:UpdateAssumeRolePolicy"], T)]),
        hops=["iam-005", "iam-012"], why_neg="it may rewrite the trust but not the role's permissions: the role grants nothing")
    plain = lambda stmts: details(users=[user("actor", stmts), user("target")])  # noqa: E731
    U = f"arn:aws:iam::{A}:user/target"
    add("iam-015", plain([allow(["iam:AttachUserPolicy", "iam:CreateAccessKey"], U)]), plain([allow(["iam:AttachUserPolicy"], U)]),
        hops=["iam-008", "iam-002"], why_neg="it may change the user's permissions but not become the user")
    add("iam-018", plain([allow(["iam:PutUserPolicy", "iam:CreateAccessKey"], U)]), plain([allow(["iam:CreateAccessKey"], U)]),
        hops=["iam-007", "iam-002"], why_neg="it may become the user, who grants nothing")
    return cases


def technique_cases() -> list[dict]:
    table = {}
    for line in (ROOT / "crates/iamkit-core/data/escalation-techniques.tsv").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        tid, name, category, required, services = line.split("\t")
        table[tid] = (name, category, required.split(","), [s for s in services.split(",") if s])
    cases = technique_accounts()
    # the service techniques: a role with administrator rights that trusts the service
    used = {"apprunner": "tasks.apprunner.amazonaws.com", "bedrock": "bedrock-agentcore.amazonaws.com",
            "cloudformation": "cloudformation.amazonaws.com", "codebuild": "codebuild.amazonaws.com",
            "ec2": "ec2.amazonaws.com", "ec2instanceconnect": "ec2.amazonaws.com", "ssm": "ec2.amazonaws.com",
            "glue": "glue.amazonaws.com", "lambda": "lambda.amazonaws.com", "sagemaker": "sagemaker.amazonaws.com"}
    not_modeled = {"cloudformation-003", "cloudformation-004"}

    def service_of(tid):
        _, _, _, services = table[tid]
        return services[0] if services else used[tid.split("-")[0]]

    def first_found(allowed: set[str], trusted: str) -> str:
        """The technique the analysis reports: new-passrole ones first, then existing, each in
        table order; the first whose permissions are all allowed and whose service the role
        trusts (another may need a subset of the same permissions)."""
        for wanted in ("new-passrole", "existing-passrole"):
            for tid, (_, category, required, services) in table.items():
                if category != wanted or tid in not_modeled:
                    continue
                trusts = trusted in services if services else service_of(tid) == trusted
                if trusts and set(required) <= allowed:
                    return tid
        raise AssertionError(f"no technique for {allowed}")

    for tid, (name, category, required, services) in table.items():
        if category not in ("new-passrole", "existing-passrole") or tid in not_modeled:
            continue
        new = "iam:PassRole" in required
        service = services[0] if services else used[tid.split("-")[0]]
        others = [p for p in required if p != "iam:PassRole"]
        stmts = [allow(others)]
        if new:
            stmts.append(allow("iam:PassRole", ADMIN_ROLE_ARN, Condition={"StringEquals": {"iam:PassedToService": service}}))
        acct = lambda trust: details(users=[user("actor", stmts)], roles=[role("admin", {"Service": trust}, attached=[ADMIN_ARN], profile=True)])  # noqa: E731
        positive = acct(service)
        if new:
            neg_stmts = [allow(others), allow("iam:PassRole", ADMIN_ROLE_ARN, Condition={"StringEquals": {"iam:PassedToService": "states.amazonaws.com"}})]
            negative = details(users=[user("actor", neg_stmts)], roles=[role("admin", {"Service": service}, attached=[ADMIN_ARN], profile=True)])
            why = "iam:PassRole only with iam:PassedToService = states.amazonaws.com"
        else:
            negative = acct("states.amazonaws.com")
            why = "the role trusts another service, so no resource of this one runs with it"
        found = first_found(set(required), service)
        doc_pos = "the technique works" if found == tid else f"the technique works; reported as {found}, which needs a subset of its permissions"
        cases.append((tid, "positive", positive, None, ACTOR, [found], "exact" if new else "possible", doc_pos))
        cases.append((tid, "negative", negative, None, ACTOR, None, tid, why))
    out = []
    for tid, kind, det, rep, actor, hops, certainty, why in cases:
        name, category, _, _ = table[tid] if tid in table else ("", "", [], [])
        with_ = {"details": det}
        if rep is not None:
            with_["credentialReport"] = rep
        if hops is None and certainty is not None:
            # blocked: no path uses the technique (another may remain, e.g. an existing resource)
            expect = {"escalations": {"$lacks": [{"hops": {"$contains": [{"technique": certainty}]}}]}}
        elif hops is None:
            expect = {"escalations": []}
        else:
            expect = {"escalations": [{"principal": actor, "certainty": certainty, "hops": [{"technique": h} for h in hops]}]}
        out.append({"name": f"escalations/technique {tid} ({name}): {kind}", "doc": f"{category}: {why}",
                    "call": "account.escalations", "with": with_, "input": {"principal": actor, "asOf": ASOF},
                    "expect": {"answer": expect}})
    return out


# --- existing resources from an inventory -------------------------------------------------------

# the resource each existing-resource technique takes over: (ARN service, resource part, the
# actions that act on it, whether it runs with an instance profile)
USES = {
    "apprunner-002": ("apprunner", "service/web/0123456789abcdef", ["apprunner:UpdateService"], False),
    "bedrock-002": ("bedrock-agentcore", "code-interpreter-custom/ci-1", ["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"], False),
    "cloudformation-002": ("cloudformation", "stack/web/6a1b2c3d", ["cloudformation:UpdateStack"], False),
    "cloudformation-005": ("cloudformation", "stack/web/6a1b2c3d", ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"], False),
    "codebuild-002": ("codebuild", "project/build", ["codebuild:StartBuild"], False),
    "codebuild-003": ("codebuild", "project/build", ["codebuild:StartBuildBatch"], False),
    "ec2-002": ("ec2", "instance/i-0123456789abcdef0", ["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"], True),
    "ec2-004": ("ec2", "launch-template/lt-0123456789abcdef0", ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], True),
    "ec2instanceconnect-003": ("ec2", "instance/i-0123456789abcdef0", ["ec2-instance-connect:SendSSHPublicKey"], True),
    "glue-002": ("glue", "devEndpoint/dev", ["glue:UpdateDevEndpoint"], False),
    "lambda-003": ("lambda", "function:deploy", ["lambda:UpdateFunctionCode"], False),
    "lambda-004": ("lambda", "function:deploy", ["lambda:UpdateFunctionCode", "lambda:InvokeFunction"], False),
    "lambda-005": ("lambda", "function:deploy", ["lambda:UpdateFunctionCode", "lambda:AddPermission"], False),
    "sagemaker-004": ("sagemaker", "notebook-instance/nb", ["sagemaker:CreatePresignedNotebookInstanceUrl"], False),
    "sagemaker-005": ("sagemaker", "notebook-instance/nb", ["sagemaker:StopNotebookInstance", "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"], False),
    "ssm-001": ("ec2", "instance/i-0123456789abcdef0", ["ssm:StartSession"], True),
    "ssm-002": ("ec2", "instance/i-0123456789abcdef0", ["ssm:SendCommand"], True),
}
# taking over these is not enough: the function must then be invoked, an instance launched from the
# template (no inventory shows that), so the hop stays possible
THEN = {"lambda-003", "ec2-004"}
USED_SERVICE = {"apprunner": "tasks.apprunner.amazonaws.com", "bedrock": "bedrock-agentcore.amazonaws.com",
                "cloudformation": "cloudformation.amazonaws.com", "codebuild": "codebuild.amazonaws.com",
                "ec2": "ec2.amazonaws.com", "ec2instanceconnect": "ec2.amazonaws.com", "ssm": "ec2.amazonaws.com",
                "glue": "glue.amazonaws.com", "lambda": "lambda.amazonaws.com", "sagemaker": "sagemaker.amazonaws.com"}


def inventory_cases() -> list[dict]:
    table = {}
    for line in (ROOT / "crates/iamkit-core/data/escalation-techniques.tsv").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        tid, name, category, required, _ = line.split("\t")
        table[tid] = (name, required.split(","))
    out = []

    def case(name, doc_, det, input_, expect, with_extra=None):
        with_ = {"details": det} if det is not None else {"sample": LAB}
        out.append({"name": f"escalations/inventory: {name}", "doc": doc_, "call": "account.escalations",
                    "with": with_, "input": {"asOf": ASOF, **input_}, "expect": expect})

    for tid, (service, part, on, profiled) in USES.items():
        name, required = table[tid]
        res = f"arn:aws:{service}:us-east-1:{A}:{part}"
        other = res.rsplit(part.split("/")[-1].split(":")[-1], 1)[0] + "other"
        rest = [p for p in required if p not in on]
        trust = {"Service": USED_SERVICE[tid.split("-")[0]]}

        def account(on_resource):
            stmts = [allow(on, on_resource)] + ([allow(rest)] if rest else [])
            return details(users=[user("actor", stmts)], roles=[role("admin", trust, attached=[ADMIN_ARN], profile=True)])

        listed = {"arn": res, "instanceProfile": f"arn:aws:iam::{A}:instance-profile/admin"} if profiled else {"arn": res, "role": ADMIN_ROLE_ARN}
        inventory = {"complete": [service], "resources": [listed]}
        # the first technique (table order) on the same resource whose actions are a subset, exact
        # ones first (the search prefers an exact path)
        subset = [t for t in table if t in USES and USES[t][:2] == (service, part)
                  and USED_SERVICE[t.split("-")[0]] == trust["Service"] and set(table[t][1]) <= set(required)]
        found = next((t for t in subset if t not in THEN), subset[0])
        certainty = "possible" if found in THEN else "exact"
        doc_ = f"its actions are allowed on the listed resource alone, which runs with an administrator role: {certainty}, through the resource"
        if found in THEN:
            doc_ += " (what it changes must still be run: a function invoked, an instance launched)"
        if found != tid:
            doc_ += f"; reported as {found}, which needs a subset of its actions"
        case(f"{tid} ({name}): a listed resource", doc_, account(res), {"principal": ACTOR, "resources": inventory},
             {"answer": {"escalations": [{"principal": ACTOR, "certainty": certainty,
                                          "hops": [{"technique": found, "target": ADMIN_ROLE_ARN, "via": res, "certainty": certainty}]}]}})
        case(f"{tid} ({name}): another resource", "its actions are allowed on another resource than the one listed, and the inventory lists every resource of the service: no path",
             account(other), {"principal": ACTOR, "resources": inventory}, {"answer": {"escalations": []}})

    # on the lab: Lambda's and EC2's responses as the SDKs return them
    lab_role = f"arn:aws:iam::{ACCT}:role/privesc-high-priv-service-role"
    fn_user = f"arn:aws:iam::{ACCT}:user/privesc17-EditExistingLambdaFunctionWithRole-user"
    fn_arn = f"arn:aws:lambda:us-east-1:{ACCT}:function:deploy"
    functions = {"Functions": [{"FunctionName": "deploy", "FunctionArn": fn_arn, "Runtime": "python3.12", "Role": lab_role,
                                "Handler": "app.handler", "CodeSize": 310, "Timeout": 3, "MemorySize": 128,
                                "LastModified": "2026-11-30T10:00:00.000+0000", "Version": "$LATEST", "PackageType": "Zip"}],
                 "ResponseMetadata": {"HTTPStatusCode": 200}}
    case("lab: Lambda ListFunctions lists a function with the high-privilege role",
         "privesc17 may update any function's code: the function listed runs with privesc-high-priv-service-role, so the path goes through it (possible: the function must then be invoked)",
         None, {"principal": fn_user, "resources": functions},
         {"answer": {"escalations": [{"principal": fn_user, "certainty": "possible",
                                      "hops": [{"technique": "lambda-003", "target": lab_role, "via": fn_arn}]}]}})
    sdk_v3 = {"$metadata": {"httpStatusCode": 200, "requestId": "0c1d2e3f-1111-2222-3333-444455556666", "attempts": 1, "totalRetryDelay": 0},
              "Functions": functions["Functions"]}
    case("lab: the AWS SDK v3's ListFunctionsCommand output, $metadata and all",
         "the same function as the SDK for JavaScript v3 returns it: the same path",
         None, {"principal": fn_user, "resources": sdk_v3},
         {"answer": {"escalations": [{"principal": fn_user, "certainty": "possible",
                                      "hops": [{"technique": "lambda-003", "target": lab_role, "via": fn_arn}]}]}})
    case("lab: no function, and the inventory lists every function",
         "the inventory says the account has no Lambda function: nothing runs with the role for privesc17 to take over",
         None, {"principal": fn_user, "resources": [{"Functions": []}, {"complete": ["lambda"]}]}, {"answer": {"escalations": []}})
    case("lab: a response alone does not say its service is complete",
         "a ListFunctions page lists one region: other functions may exist, so the path stays possible",
         None, {"principal": fn_user, "resources": {"Functions": []}},
         {"answer": {"escalations": [{"principal": fn_user, "certainty": "possible", "hops": [{"technique": "lambda-003"}]}]}})
    ssm_user = f"arn:aws:iam::{ACCT}:user/privesc-ssmSendCommand-user"
    reservations = {"Reservations": [{"ReservationId": "r-0abc", "OwnerId": ACCT, "Instances": [
        {"InstanceId": "i-0aaaaaaaaaaaaaaaa", "State": {"Code": 16, "Name": "running"}, "Placement": {"AvailabilityZone": "eu-west-1a"},
         "IamInstanceProfile": {"Arn": f"arn:aws:iam::{ACCT}:instance-profile/privesc-high-priv-service-profile", "Id": "AIPAS5NLFGDTULYZSFS22"}},
        {"InstanceId": "i-0bbbbbbbbbbbbbbbb", "State": {"Code": 16, "Name": "running"}, "Placement": {"AvailabilityZone": "eu-west-1a"}}]}]}
    inst = f"arn:aws:ec2:eu-west-1:{ACCT}:instance/i-0aaaaaaaaaaaaaaaa"
    case("lab: EC2 DescribeInstances lists an instance with the high-privilege instance profile",
         "privesc-ssmSendCommand may send commands to any instance: the instance listed runs with the role through its instance profile",
         None, {"principal": ssm_user, "resources": reservations},
         {"answer": {"escalations": [{"principal": ssm_user, "certainty": "exact",
                                      "hops": [{"technique": "ssm-002", "target": lab_role, "via": inst}]}]}})
    terminated = json.loads(json.dumps(reservations))
    terminated["Reservations"][0]["Instances"][0]["State"] = {"Code": 48, "Name": "terminated"}
    case("lab: a terminated instance is not taken over",
         "the only instance with the profile is terminated, and the inventory lists every instance: no path",
         None, {"principal": ssm_user, "resources": [terminated, {"complete": ["ec2"]}]}, {"answer": {"escalations": []}})

    # the rules beside the technique: trust, Deny, accounts
    fn = f"arn:aws:lambda:us-east-1:{A}:function:deploy"
    upd = allow("lambda:UpdateFunctionCode", fn)
    inv = {"complete": ["lambda"], "resources": [{"arn": fn, "role": ADMIN_ROLE_ARN}]}
    lam = {"Service": "lambda.amazonaws.com"}
    case("a function whose role does not trust Lambda", "the role trusts EC2 only: the function cannot run with it",
         details(users=[user("actor", [upd])], roles=[role("admin", {"Service": "ec2.amazonaws.com"}, attached=[ADMIN_ARN])]),
         {"principal": ACTOR, "resources": inv}, {"answer": {"escalations": []}})
    case("a Deny on the function", "an explicit Deny of lambda:UpdateFunctionCode on the listed function",
         details(users=[user("actor", [upd, deny("lambda:UpdateFunctionCode", fn)])], roles=[role("admin", lam, attached=[ADMIN_ARN])]),
         {"principal": ACTOR, "resources": inv}, {"answer": {"escalations": []}})
    far = f"arn:aws:lambda:us-east-1:444455556666:function:deploy"
    case("a function in another account", "the listed function is in another account: its code is changed only with a resource policy there, which the inventory does not give",
         details(users=[user("actor", [allow("lambda:UpdateFunctionCode", "*")])], roles=[role("admin", lam, attached=[ADMIN_ARN])]),
         {"principal": ACTOR, "resources": {"complete": ["lambda"], "resources": [{"arn": far, "role": ADMIN_ROLE_ARN}]}},
         {"answer": {"escalations": []}})
    case("a listed function, the service not complete", "allowed to change and invoke every function: the listed one makes the path exact, through it",
         details(users=[user("actor", [allow(["lambda:UpdateFunctionCode", "lambda:InvokeFunction"], "*")])], roles=[role("admin", lam, attached=[ADMIN_ARN])]),
         {"principal": ACTOR, "resources": {"resources": [{"arn": fn, "role": ADMIN_ROLE_ARN}]}},
         {"answer": {"escalations": [{"principal": ACTOR, "certainty": "exact", "hops": [{"technique": "lambda-004", "via": fn}]}]}})
    for bad, why in [({"resource": []}, "a misspelt key"),
                     ({"resources": [{"arn": "deploy", "role": ADMIN_ROLE_ARN}]}, "an ARN that is not one"),
                     ({"complete": ["lambda:*"]}, "a service that is a pattern"),
                     ({"Functions": {"FunctionArn": fn}}, "Functions not an array"),
                     ([{"Reservations": [{"Instances": []}]}], "a reservation without its owner")]:
        case(f"refused: {why}", "an inventory of the wrong shape is refused, never read in part",
             details(users=[user("actor", [upd])]), {"principal": ACTOR, "resources": bad},
             {"error": {"code": "IAM_INPUT_SCHEMA"}})
    return out


# --- MFA: what the analysis cannot know, an actor can supply -------------------------------------

def mfa_cases() -> list[dict]:
    out = []
    me = ACTOR
    mfa_true = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    requires = "requests authenticated with MFA (aws:MultiFactorAuthPresent = true)"
    put_self = allow("iam:PutUserPolicy", me, Condition=mfa_true)
    force_mfa = {"Effect": "Deny", "NotAction": ["iam:ListMFADevices", "iam:EnableMFADevice", "sts:GetSessionToken"],
                 "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}

    def case(name, doc_, det, input_, expect):
        out.append({"name": f"escalations/mfa: {name}", "doc": doc_, "call": "account.escalations",
                    "with": {"details": det}, "input": {"principal": me, "asOf": ASOF, **input_}, "expect": {"answer": expect}})

    possible = lambda tid, target: {"escalations": [{"principal": me, "certainty": "possible", "target": target, "hops": [  # noqa: E731
        {"technique": tid, "certainty": "possible", "requires": requires,
         "requests": [{"context": {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0"}}]}]}]}
    case("an Allow that requires MFA", "iam:PutUserPolicy on itself only with aws:MultiFactorAuthPresent = true: possible, for requests authenticated with MFA",
         details(users=[user("actor", [put_self])]), {}, possible("iam-007", me))
    case("a Deny unless MFA (the force-MFA policy)", "iam:* allowed, everything but MFA set-up denied when aws:MultiFactorAuthPresent is false or absent: with MFA, it puts a policy on itself",
         details(users=[user("actor", [allow("iam:*"), force_mfa])]), {}, possible("iam-007", me))
    admin_trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": me}, "Action": "sts:AssumeRole", "Condition": mfa_true}]}
    r = role("admin", {"AWS": me}, attached=[ADMIN_ARN])
    r["AssumeRolePolicyDocument"] = admin_trust
    case("a trust policy that requires MFA", "the administrator role trusts the actor only with MFA; the actor's own policies say nothing of MFA",
         details(users=[user("actor", [allow("sts:AssumeRole", ADMIN_ROLE_ARN)])], roles=[r]), {}, possible("sts-001", ADMIN_ROLE_ARN))
    case("the caller says there is no MFA", "the context gives aws:MultiFactorAuthPresent = false: that answer stands, nothing is assumed",
         details(users=[user("actor", [put_self])]), {"context": {"aws:MultiFactorAuthPresent": "false"}}, {"escalations": []})
    case("the caller says there is MFA", "the context gives aws:MultiFactorAuthPresent = true: the path is exact",
         details(users=[user("actor", [put_self])]), {"context": {"aws:MultiFactorAuthPresent": "true"}},
         {"escalations": [{"principal": me, "certainty": "exact", "hops": [{"technique": "iam-007", "certainty": "exact"}]}]})
    case("an Allow only without MFA", "iam:PutUserPolicy only when aws:MultiFactorAuthPresent is false: the actor's temporary credentials without MFA carry false, so the path is exact",
         details(users=[user("actor", [allow("iam:PutUserPolicy", me, Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}})])]), {},
         {"escalations": [{"principal": me, "certainty": "exact", "hops": [{"technique": "iam-007", "certainty": "exact"}]}]})
    case("a Deny when MFA is false (Bool, no IfExists)", "temporary credentials without MFA carry aws:MultiFactorAuthPresent = false, which the Deny matches: only MFA opens the path",
         details(users=[user("actor", [allow("iam:*"), {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}])]), {},
         possible("iam-007", me))
    case("MFA does not lift a Deny", "an unconditional Deny of iam:PutUserPolicy beside the Allow that requires MFA: no path",
         details(users=[user("actor", [put_self, deny("iam:PutUserPolicy")])]), {}, {"escalations": []})
    case("an exact path is not made possible", "one Allow without a condition and one requiring MFA: the path is exact, with no MFA assumed",
         details(users=[user("actor", [put_self, allow("iam:PutUserPolicy", me)])]), {},
         {"escalations": [{"principal": me, "certainty": "exact", "hops": [{"technique": "iam-007", "certainty": "exact"}]}]})
    return out


# --- a source address: what the analysis cannot know, an actor on a network can supply -------------

def network_cases() -> list[dict]:
    out = []
    me = ACTOR
    corp = {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    def from_(address, network):
        return f"requests from aws:SourceIp = {address} (the first address of {network}, a network a condition names)"
    requires = from_("203.0.113.0", "203.0.113.0/24")
    put_self = allow("iam:PutUserPolicy", me, Condition=corp)
    unless_corp = {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}

    def case(name, doc_, det, input_, expect):
        out.append({"name": f"escalations/network: {name}", "doc": doc_, "call": "account.escalations",
                    "with": {"details": det}, "input": {"principal": me, "asOf": ASOF, **input_}, "expect": {"answer": expect}})

    def possible(tid, target, why=requires, address="203.0.113.0"):
        return {"escalations": [{"principal": me, "certainty": "possible", "target": target, "hops": [
            {"technique": tid, "certainty": "possible", "requires": why,
             "requests": [{"context": {"aws:SourceIp": address}}]}]}]}

    exact = {"escalations": [{"principal": me, "certainty": "exact", "hops": [{"technique": "iam-007", "certainty": "exact"}]}]}
    case("an Allow only from a network", "iam:PutUserPolicy on itself only with aws:SourceIp in 203.0.113.0/24: possible, for requests from an address in it",
         details(users=[user("actor", [put_self])]), {}, possible("iam-007", me))
    case("a Deny unless from a network", "iam:* allowed, everything denied when aws:SourceIp is not in 203.0.113.0/24 (absent, it is not): from an address in it, the actor puts a policy on itself",
         details(users=[user("actor", [allow("iam:*"), unless_corp])]), {}, possible("iam-007", me))
    r = role("admin", {"AWS": me}, attached=[ADMIN_ARN])
    r["AssumeRolePolicyDocument"] = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": me}, "Action": "sts:AssumeRole", "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.7"}}}]}
    case("a trust policy that requires a source address", "the administrator role trusts the actor only from 198.51.100.7; the actor's own policies say nothing of addresses",
         details(users=[user("actor", [allow("sts:AssumeRole", ADMIN_ROLE_ARN)])], roles=[r]), {},
         possible("sts-001", ADMIN_ROLE_ARN, from_("198.51.100.7", "198.51.100.7"), "198.51.100.7"))
    r2 = role("admin", {"AWS": f"arn:aws:iam::{A}:root"}, attached=[ADMIN_ARN])
    r2["AssumeRolePolicyDocument"] = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"},
        {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole", "Condition": {"NotIpAddress": {"aws:SourceIp": "2001:db8:1::/48"}}}]}
    case("a trust policy open to the account, denied unless from an IPv6 network", "the administrator role lets in the whole account, and denies anyone not from 2001:db8:1::/48 (absent, the address is not in it): from its first address the actor, allowed sts:AssumeRole, assumes the role",
         details(users=[user("actor", [allow("sts:AssumeRole", ADMIN_ROLE_ARN)])], roles=[r2]), {},
         possible("sts-001", ADMIN_ROLE_ARN, from_("2001:db8:1::", "2001:db8:1::/48"), "2001:db8:1::"))
    case("an Allow's IpAddressIfExists is not a network to try", "IpAddressIfExists holds when no address is sent: the path is exact without one",
         details(users=[user("actor", [allow("iam:PutUserPolicy", me, Condition={"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}})])]), {}, exact)
    case("the caller gives an address inside", "the context gives aws:SourceIp = 203.0.113.9: the path is exact",
         details(users=[user("actor", [put_self])]), {"context": {"aws:SourceIp": "203.0.113.9"}}, exact)
    case("the caller gives an address outside", "the context gives aws:SourceIp = 192.0.2.1: that answer stands, no other address is tried",
         details(users=[user("actor", [put_self])]), {"context": {"aws:SourceIp": "192.0.2.1"}}, {"escalations": []})
    case("the caller says the requests come through a VPC endpoint", "the context gives aws:SourceVpce: such requests carry no aws:SourceIp, and none is assumed",
         details(users=[user("actor", [put_self])]), {"context": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, {"escalations": []})
    case("an address does not lift a Deny", "an unconditional Deny of iam:PutUserPolicy beside the Allow from the network: no path",
         details(users=[user("actor", [put_self, deny("iam:PutUserPolicy")])]), {}, {"escalations": []})
    case("a Deny of the same network", "the Allow is from 203.0.113.0/24 and a Deny is from that same network (IpAddress): no address opens the path",
         details(users=[user("actor", [put_self, {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": corp}])]), {},
         {"escalations": []})
    case("an exact path is not made possible", "one Allow without a condition and one from the network: the path is exact, with no address assumed",
         details(users=[user("actor", [put_self, allow("iam:PutUserPolicy", me)])]), {}, exact)
    case("MFA and an address together are not assumed", "the Allow needs MFA and the network at once: each pass supplies one alone, so no path is claimed",
         details(users=[user("actor", [allow("iam:PutUserPolicy", me, Condition={**corp, "Bool": {"aws:MultiFactorAuthPresent": "true"}})])]), {},
         {"escalations": []})
    case("an address named under a string operator is not one", "StringEquals on aws:SourceIp compares text: it gives no network to try, and no path",
         details(users=[user("actor", [allow("iam:PutUserPolicy", me, Condition={"StringEquals": {"aws:SourceIp": "203.0.113.5"}})])]), {},
         {"escalations": []})
    return out


def write(path: pathlib.Path, cases: list[dict]) -> None:
    path.write_text("".join(json.dumps(c, separators=(",", ":")) + "\n" for c in cases))
    print(f"{path.relative_to(ROOT)}: {len(cases)} cases")


if __name__ == "__main__":
    write(ROOT / "tests/cases/account/escalations-lab.jsonl", lab_cases())
    write(ROOT / "tests/cases/account/escalation-techniques.jsonl", technique_cases())
    write(ROOT / "tests/cases/account/escalations-inventory.jsonl", inventory_cases())
    write(ROOT / "tests/cases/account/escalations-mfa.jsonl", mfa_cases())
    write(ROOT / "tests/cases/account/escalations-network.jsonl", network_cases())

#!/usr/bin/env python3
"""Writes examples/demo-org: a small AWS Organization as `scripts/collect-org.sh` collects one
(the AWS CLI's outputs under organization/, one folder per account under accounts/).

  python3 scripts/gen-demo-org.py [OUT]        (default examples/demo-org)

The tree: the management account under the root; Workloads/Prod holds prod (222222222222);
Sandbox holds sandbox (333333333333), broken (444444444444, whose authorization details are not
JSON) and missing (555555555555, with no folder). SCPs: FullAWSAccess everywhere, DenyRootAndLeave
on Workloads, SandboxGuard on Sandbox. RCPs: RCPFullAWSAccess everywhere, OrgOnlyAssume on Prod.
With --accounts N it adds N generated member accounts under Sandbox, for benchmarks: copies of
examples/demo-account (every file, its account id replaced by theirs), every 250th one broken (its
authorization details cut short).
"""
import json
import shutil
import sys
from pathlib import Path

ORG, ROOT, MGMT = "o-demo12345", "r-demo", "111111111111"
OUS = {ROOT: [("ou-demo-workloads", "Workloads"), ("ou-demo-sandbox", "Sandbox")],
       "ou-demo-workloads": [("ou-demo-prod", "Prod")], "ou-demo-prod": [], "ou-demo-sandbox": []}
ACCOUNTS = {ROOT: [(MGMT, "management")], "ou-demo-workloads": [],
            "ou-demo-prod": [("222222222222", "prod")],
            "ou-demo-sandbox": [("333333333333", "sandbox"), ("444444444444", "broken"),
                                ("555555555555", "missing")]}
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
RCP_ALLOW_ALL = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
SCPS = {
    "p-FullAWSAccess": ("FullAWSAccess", ALLOW_ALL, [ROOT, "ou-demo-workloads", "ou-demo-prod", "ou-demo-sandbox"]),
    "p-denyrootleave": ("DenyRootAndLeave", {"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyRoot", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}},
        {"Sid": "DenyLeave", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]},
        ["ou-demo-workloads"]),
    "p-sandboxguard": ("SandboxGuard", {"Version": "2012-10-17", "Statement": [
        {"Sid": "NoLongLivedKeys", "Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey"],
         "Resource": "*"}]}, ["ou-demo-sandbox"]),
}
RCPS = {
    "p-RCPFullAWSAccess": ("RCPFullAWSAccess", RCP_ALLOW_ALL, [ROOT, "ou-demo-workloads", "ou-demo-prod", "ou-demo-sandbox"]),
    "p-orgonlyassume": ("OrgOnlyAssume", {"Version": "2012-10-17", "Statement": [
        {"Sid": "OnlyOrgCallers", "Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*",
         "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG},
                       "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}]}, ["ou-demo-prod"]),
}
DATE = "2026-01-05T10:00:00+00:00"


def role(account, name, trust, inline, condition=None):
    statement = {"Effect": "Allow", "Principal": trust if trust == "*" else {"AWS": trust}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return {"Path": "/", "RoleName": name, "RoleId": "AROA" + (account + name).upper().replace("-", "")[:17],
            "Arn": f"arn:aws:iam::{account}:role/{name}", "CreateDate": DATE,
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
            "InstanceProfileList": [], "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": inline}],
            "AttachedManagedPolicies": [], "Tags": []}


def user(account, name, inline):
    return {"Path": "/", "UserName": name, "UserId": "AIDA" + (account + name).upper()[:17],
            "Arn": f"arn:aws:iam::{account}:user/{name}", "CreateDate": DATE,
            "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": inline}], "GroupList": [],
            "AttachedManagedPolicies": [], "Tags": []}


def details(account):
    def doc(*statements):
        return {"Version": "2012-10-17", "Statement": list(statements)}
    if account == MGMT:
        users = [user(account, "org-admin", ALLOW_ALL)]
        roles = []
    elif account == "222222222222":
        users = [user(account, "alice", doc({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}))]
        roles = [role(account, "deploy", "arn:aws:iam::333333333333:root", ALLOW_ALL),
                 role(account, "partner-audit", "arn:aws:iam::999999999999:root",
                      doc({"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"})),
                 # anyone of this organization may read; "anyone of another organization" is outside it
                 role(account, "org-readers", "*", doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
                      {"StringEquals": {"aws:PrincipalOrgID": ORG}}),
                 role(account, "spoofed-org", "*", doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
                      {"StringEquals": {"aws:PrincipalOrgID": "o-attacker99"}})]
    else:
        users = [user(account, "dev", doc(
            {"Effect": "Allow", "Action": ["iam:*", "s3:*"], "Resource": "*"},
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/deploy"}))]
        roles = []
    return {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": []}


def write(path, value):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1) + "\n")


def main(out: Path, extra: int):
    if out.exists():
        shutil.rmtree(out)
    o = out / "organization"
    write(o / "describe-organization.json", {"Organization": {
        "Id": ORG, "Arn": f"arn:aws:organizations::{MGMT}:organization/{ORG}", "FeatureSet": "ALL",
        "MasterAccountArn": f"arn:aws:organizations::{MGMT}:account/{ORG}/{MGMT}", "MasterAccountId": MGMT,
        "MasterAccountEmail": "aws-management@example.com"}})
    write(o / "list-roots.json", {"Roots": [{"Id": ROOT, "Arn": f"arn:aws:organizations::{MGMT}:root/{ORG}/{ROOT}",
        "Name": "Root", "PolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"},
                                        {"Type": "RESOURCE_CONTROL_POLICY", "Status": "ENABLED"}]}]})
    accounts = {k: list(v) for k, v in ACCOUNTS.items()}
    generated = [f"{700000000000 + i:012d}" for i in range(extra)]
    accounts["ou-demo-sandbox"] += [(g, f"generated-{i}") for i, g in enumerate(generated)]
    every = [a for v in accounts.values() for a, _ in v]
    for parent, ous in OUS.items():
        write(o / "list-organizational-units-for-parent" / f"{parent}.json", {"OrganizationalUnits": [
            {"Id": i, "Arn": f"arn:aws:organizations::{MGMT}:ou/{ORG}/{i}", "Name": n} for i, n in ous]})
        write(o / "list-accounts-for-parent" / f"{parent}.json", {"Accounts": [
            {"Id": a, "Arn": f"arn:aws:organizations::{MGMT}:account/{ORG}/{a}", "Email": f"{n}@example.com",
             "Name": n, "Status": "ACTIVE", "JoinedMethod": "CREATED", "JoinedTimestamp": "2026-01-01T00:00:00+00:00"}
            for a, n in accounts[parent]]})
    for kind, table in (("SERVICE_CONTROL_POLICY", SCPS), ("RESOURCE_CONTROL_POLICY", RCPS)):
        write(o / "list-policies" / f"{kind}.json", {"Policies": [
            {"Id": pid, "Arn": f"arn:aws:organizations::aws:policy/{kind.lower()}/{pid}", "Name": name,
             "Type": kind, "AwsManaged": name.endswith("FullAWSAccess")} for pid, (name, _, _) in table.items()]})
        for pid, (name, content, targets) in table.items():
            if name.endswith("FullAWSAccess"):
                targets = targets + every
            write(o / "describe-policy" / f"{pid}.json", {"Policy": {
                "PolicySummary": {"Id": pid, "Name": name, "Type": kind}, "Content": json.dumps(content)}})
            write(o / "list-targets-for-policy" / f"{pid}.json", {"Targets": [
                {"TargetId": t, "Arn": f"arn:aws:organizations::{MGMT}:target/{t}", "Name": t,
                 "Type": "ACCOUNT" if t.isdigit() else ("ROOT" if t.startswith("r-") else "ORGANIZATIONAL_UNIT")}
                for t in targets]})
    demo = Path(__file__).resolve().parent.parent / "examples" / "demo-account"
    for i, account in enumerate(generated):
        d = out / "accounts" / account
        d.mkdir(parents=True)
        for f in sorted(demo.iterdir()):
            if f.suffix in (".json", ".csv") and f.name != "credential-report.csv":
                text = f.read_text().replace("123456789012", account)
                if i % 250 == 249 and f.name == "authorization-details.json":
                    text = text[: len(text) // 2]
                (d / f.name).write_text(text)
    for account in [MGMT, "222222222222", "333333333333"]:
        d = out / "accounts" / account
        write(d / "authorization-details.json", details(account))
        write(d / "password-policy.json", {"PasswordPolicy": {
            "MinimumPasswordLength": 14, "RequireSymbols": True, "RequireNumbers": True,
            "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True,
            "AllowUsersToChangePassword": True, "ExpirePasswords": True, "MaxPasswordAge": 90,
            "PasswordReusePrevention": 24, "HardExpiry": False}})
    broken = out / "accounts" / "444444444444"
    broken.mkdir(parents=True)
    (broken / "authorization-details.json").write_text("{ this is not JSON\n")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = 0
    if "--accounts" in sys.argv:
        n = int(sys.argv[sys.argv.index("--accounts") + 1])
        args = [a for a in args if a != str(n)]
    main(Path(args[0]) if args else Path(__file__).resolve().parent.parent / "examples" / "demo-org", n)

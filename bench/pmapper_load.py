"""Recreates one account of a get-account-authorization-details snapshot in moto_server through
boto3 (users, groups, roles, customer managed policies, attachments, instance profiles), then
writes what moto returns for the account: PMapper reads an account only through the AWS API, and
iamkit reads that same output. Usage: pmapper_load.py SNAPSHOT ACCOUNT_ID ENDPOINT OUT.json"""
import json
import sys

import boto3

snapshot, account, endpoint, out = sys.argv[1:5]
src = json.load(open(snapshot))
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="bench", aws_secret_access_key="bench")


def mine(arn):
    return f":{account}:" in arn


def text(d):
    return d if isinstance(d, str) else json.dumps(d)


created = {}
for p in src.get("Policies", []):
    if mine(p["Arn"]):
        doc = next(v["Document"] for v in p["PolicyVersionList"] if v["IsDefaultVersion"])
        r = iam.create_policy(PolicyName=p["PolicyName"], Path=p.get("Path", "/"), PolicyDocument=text(doc))
        created[p["Arn"]] = r["Policy"]["Arn"]


def managed(arn):
    return arn if arn.startswith("arn:aws:iam::aws:policy/") else created.get(arn)


def attach(call, attached, **who):
    for a in attached:
        if managed(a["PolicyArn"]):
            call(PolicyArn=managed(a["PolicyArn"]), **who)


for g in src["GroupDetailList"]:
    if mine(g["Arn"]):
        iam.create_group(GroupName=g["GroupName"], Path=g.get("Path", "/"))
        for p in g.get("GroupPolicyList", []):
            iam.put_group_policy(GroupName=g["GroupName"], PolicyName=p["PolicyName"], PolicyDocument=text(p["PolicyDocument"]))
        attach(iam.attach_group_policy, g.get("AttachedManagedPolicies", []), GroupName=g["GroupName"])
for u in src["UserDetailList"]:
    if mine(u["Arn"]):
        iam.create_user(UserName=u["UserName"], Path=u.get("Path", "/"))
        for p in u.get("UserPolicyList", []):
            iam.put_user_policy(UserName=u["UserName"], PolicyName=p["PolicyName"], PolicyDocument=text(p["PolicyDocument"]))
        attach(iam.attach_user_policy, u.get("AttachedManagedPolicies", []), UserName=u["UserName"])
        for group in u.get("GroupList", []):
            iam.add_user_to_group(GroupName=group, UserName=u["UserName"])
profiles = set()
for r in src["RoleDetailList"]:
    if mine(r["Arn"]):
        iam.create_role(RoleName=r["RoleName"], Path=r.get("Path", "/"), AssumeRolePolicyDocument=text(r["AssumeRolePolicyDocument"]))
        for p in r.get("RolePolicyList", []):
            iam.put_role_policy(RoleName=r["RoleName"], PolicyName=p["PolicyName"], PolicyDocument=text(p["PolicyDocument"]))
        attach(iam.attach_role_policy, r.get("AttachedManagedPolicies", []), RoleName=r["RoleName"])
        for prof in r.get("InstanceProfileList", []):
            name = prof["InstanceProfileName"]
            if name not in profiles:
                iam.create_instance_profile(InstanceProfileName=name)
                profiles.add(name)
            iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=r["RoleName"])
pages = list(iam.get_paginator("get_account_authorization_details").paginate())
for page in pages:
    page.pop("ResponseMetadata", None)
json.dump(pages, open(out, "w"), default=str)
print(sum(len(p["UserDetailList"]) + len(p["RoleDetailList"]) for p in pages))

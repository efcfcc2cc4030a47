#!/usr/bin/env python3
"""Generates adversarial `get-account-authorization-details` inputs for the account queries
(issue 13). Usage:
  gen-account-stress.py admin N            one user: Allow * on *, plus N Deny statements whose
                                           condition never holds (distinct actions and resources)
  gen-account-stress.py admin-users N U    U such users
  gen-account-stress.py permissions N K    one user: N Allow `s3:*a*a..` and N Deny `s3:?a?a..`
                                           (K repetitions each)
  gen-account-stress.py summary P          P principals (2/3 users in groups, 1/3 roles) sharing
                                           managed policies, with inline policies of their own
Writes JSON to stdout."""
import json
import sys

ACCOUNT = "123456789012"


def arn(kind, name):
    return f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"


def doc(statements):
    return {"Version": "2012-10-17", "Statement": statements}


def user(name, inline=(), groups=(), attached=()):
    return {
        "Path": "/",
        "UserName": name,
        "UserId": "AIDA" + name.upper().replace("-", "")[:16],
        "Arn": arn("user", name),
        "UserPolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline],
        "GroupList": list(groups),
        "AttachedManagedPolicies": [
            {"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in attached
        ],
    }


def admin_user(name, n):
    st = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    for i in range(n):
        st.append({
            "Effect": "Deny",
            "Action": f"s3:GetObject{i}",
            "Resource": f"arn:aws:s3:::bucket{i}/*",
            "Condition": {"StringEquals": {"aws:username": f"nobody{i}"}},
        })
    return user(name, inline=[("admin", doc(st))])


def permissions_user(n, k):
    st = []
    for i in range(n):
        st.append({"Effect": "Allow", "Action": "s3:" + "*a" * k + f"{i}", "Resource": "*"})
    for i in range(n):
        st.append({"Effect": "Deny", "Action": "s3:" + "?a" * k + f"{i}", "Resource": "*"})
    return user("perm", inline=[("p", doc(st))])


def managed(name, statements):
    a = f"arn:aws:iam::{ACCOUNT}:policy/{name}"
    return {
        "PolicyName": name,
        "Arn": a,
        "Path": "/",
        "DefaultVersionId": "v1",
        "AttachmentCount": 1,
        "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": doc(statements)}],
    }


def resource_of(svc, i):
    if svc == "iam":
        return f"arn:aws:iam::{ACCOUNT}:user/res{i}/*"
    if svc == "s3":
        return f"arn:aws:s3:::res{i}/*"
    return f"arn:aws:{svc}:us-east-1:{ACCOUNT}:res{i}/*"


def summary(p):
    services = ["s3", "ec2", "iam", "lambda", "dynamodb", "sqs", "sns", "kms", "logs", "rds"]
    policies = [managed("Admin", [{"Effect": "Allow", "Action": "*", "Resource": "*"}])]
    for i in range(max(10, p // 50)):
        svc = services[i % len(services)]
        policies.append(managed(f"Pol{i}", [
            {"Effect": "Allow", "Action": [f"{svc}:Get*", f"{svc}:List*"], "Resource": "*"},
            {"Effect": "Deny", "Action": f"{svc}:Delete*", "Resource": resource_of(svc, i),
             "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
        ]))
    npol = len(policies)
    groups = []
    ngroups = max(5, p // 100)
    for g in range(ngroups):
        att = [policies[1 + (g * 7 + j) % (npol - 1)]["Arn"] for j in range(3)]
        if g % 20 == 0:
            att.append(policies[0]["Arn"])
        groups.append({
            "Path": "/", "GroupName": f"group{g}", "GroupId": f"AGPA{g:016d}", "Arn": arn("group", f"group{g}"),
            "GroupPolicyList": [{"PolicyName": "gi", "PolicyDocument": doc([
                {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}])}],
            "AttachedManagedPolicies": [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in att],
        })
    users, roles = [], []
    for i in range(p):
        name = f"p{i}"
        inline = [("own", doc([{"Effect": "Allow", "Action": "s3:GetObject",
                                 "Resource": f"arn:aws:s3:::{name}/*"}]))]
        if i % 3 == 2:
            att = [policies[1 + i % (npol - 1)]["Arn"]]
            if i % 97 == 0:
                att.append(policies[0]["Arn"])
            roles.append({
                "Path": "/", "RoleName": name, "RoleId": f"AROA{i:016d}", "Arn": arn("role", name),
                "AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                  "Action": "sts:AssumeRole"}]),
                "RolePolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline],
                "AttachedManagedPolicies": [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in att],
                "InstanceProfileList": [],
            })
        else:
            gs = [f"group{(i * 13 + j) % ngroups}" for j in range(2)]
            users.append(user(name, inline=inline, groups=gs,
                              attached=[policies[1 + (i * 3) % (npol - 1)]["Arn"]]))
    return {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles, "Policies": policies}


def main():
    kind = sys.argv[1]
    if kind == "admin":
        out = {"UserDetailList": [admin_user("admin", int(sys.argv[2]))]}
    elif kind == "admin-users":
        n, u = int(sys.argv[2]), int(sys.argv[3])
        out = {"UserDetailList": [admin_user(f"admin{j}", n) for j in range(u)]}
    elif kind == "permissions":
        out = {"UserDetailList": [permissions_user(int(sys.argv[2]), int(sys.argv[3]))]}
    elif kind == "summary":
        out = summary(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

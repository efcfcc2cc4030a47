#!/usr/bin/env python3
"""Deterministic inputs for bench/compare.sh: the same bytes on every machine and every run.

    python3 bench/gen_inputs.py OUT_DIR [--quick] [--managed FILE]

writes into OUT_DIR:
- cases.jsonl           random evaluate cases (20,000; --quick 2,000), one JSON line each:
                        {"request", "policies"} only (no name, so the same line is also the input
                        of the `evaluate` call); identity, boundary, SCP, RCP and resource policies
- cases-identity.jsonl  the subset whose only policies are identity policies, in one account (what
                        iam-rs can decide: it has no SCP, boundary or cross-account logic)
- account-P.json        generated get-account-authorization-details with P principals (1,500 and
                        15,000; --quick 150 and 1,500)
- credential-report.csv a credential report of 100,000 users (--quick 10,000), the shape of
                        crates/iamkit-core/benches/audit.rs
- adversarial/...       the adversarial families of issue 13 (`?` runs, long literals, `*a*a…`,
                        N Deny statements whose condition never holds, 200×200 permissions
                        patterns), each under 1 MB
- managed-documents.jsonl  each AWS managed policy document of ../shared as its own JSON text
- manifest.json         every file above, its size, and for the adversarial families the iamkit
                        commands to run on each (compare.py reads it)

Everything comes from one seeded random.Random, so a change here changes every figure: keep it
stable, and say so in the commit when it must change.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random

ACCOUNT = "111122223333"  # the principals' account
OTHER = "444455556666"  # a second account, for cross-account cases
REGIONS = ["us-east-1", "eu-west-1"]
TEAMS = ["red", "blue", "green"]
USERS = ["alice", "bob", "carol", "ci-deployer"]
ROLES = ["Deployer", "Analyst", "Admin"]
BUCKETS = ["reports", "prod-data", "dev-data", "logs"]
KEYS = ["2026/q3.csv", "tmp/scratch.bin", "alice/notes.txt", "red/plan.md"]
NAMES = ["orders", "billing", "audit"]

# Real actions, each with the resource type it acts on: iam-simulate checks both against its
# catalog, so a made-up action or a resource of the wrong type would be an error there, not a
# decision. KMS and STS are left out on purpose: their key and trust policies change the chain.
ACTIONS = [
    ("s3:GetObject", "object"), ("s3:PutObject", "object"), ("s3:DeleteObject", "object"),
    ("s3:ListBucket", "bucket"), ("s3:GetBucketPolicy", "bucket"),
    ("dynamodb:GetItem", "table"), ("dynamodb:PutItem", "table"), ("dynamodb:Query", "table"),
    ("sqs:SendMessage", "queue"), ("sqs:ReceiveMessage", "queue"),
    ("lambda:InvokeFunction", "function"), ("lambda:GetFunction", "function"),
    ("iam:CreateUser", "user"), ("iam:GetUser", "user"), ("iam:PassRole", "role"), ("iam:GetRole", "role"),
    ("sns:Publish", "topic"),
    ("secretsmanager:GetSecretValue", "secret"),
    ("ec2:TerminateInstances", "instance"), ("ec2:StartInstances", "instance"),
]
# services whose resources take a resource-based policy (and are cheap to reason about)
RESOURCE_POLICY_SERVICES = {"s3", "sqs", "sns", "lambda", "secretsmanager", "dynamodb"}
# the services resource control policies cover (RCPs may name only these)
RCP_SERVICES = {"s3", "sqs", "secretsmanager"}


def resource_arn(rng: random.Random, kind: str, account: str) -> str:
    """A concrete resource of `kind` in `account` (S3 ARNs name no account)."""
    region = rng.choice(REGIONS)
    name = rng.choice(NAMES)
    return {
        "object": lambda: f"arn:aws:s3:::{rng.choice(BUCKETS)}/{rng.choice(KEYS)}",
        "bucket": lambda: f"arn:aws:s3:::{rng.choice(BUCKETS)}",
        "table": lambda: f"arn:aws:dynamodb:{region}:{account}:table/{name}",
        "queue": lambda: f"arn:aws:sqs:{region}:{account}:{name}",
        "function": lambda: f"arn:aws:lambda:{region}:{account}:function:{name}",
        "user": lambda: f"arn:aws:iam::{account}:user/{rng.choice(USERS)}",
        "role": lambda: f"arn:aws:iam::{account}:role/{rng.choice(ROLES)}",
        "topic": lambda: f"arn:aws:sns:{region}:{account}:{name}",
        "secret": lambda: f"arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
        "instance": lambda: f"arn:aws:ec2:{region}:{account}:instance/i-0{rng.randrange(16**6):06x}",
    }[kind]()


def resource_pattern(rng: random.Random, kind: str, account: str) -> str:
    """A Resource element value: `*`, an exact ARN, a wildcard over one, or a policy variable."""
    roll = rng.random()
    if roll < 0.15:
        return "*"
    arn = resource_arn(rng, kind, account)
    if roll < 0.45:
        return arn
    if roll < 0.55 and kind == "object":
        return f"arn:aws:s3:::{rng.choice(BUCKETS)}/${{aws:username}}/*"
    if roll < 0.65 and kind == "object":
        return f"arn:aws:s3:::{rng.choice(BUCKETS)}/${{aws:PrincipalTag/team}}/*"
    # cut the ARN after its last separator and end it with `*` (or `?` runs, now and then)
    cut = max(arn.rfind("/"), arn.rfind(":")) + 1
    tail = "*" if rng.random() < 0.85 else "?" * rng.randint(1, 3) + "*"
    return arn[:cut] + tail


def action_pattern(rng: random.Random, action: str) -> str:
    """An Action element value that may or may not cover `action`."""
    service, name = action.split(":")
    roll = rng.random()
    if roll < 0.35:
        return action
    if roll < 0.5:
        return f"{service}:*"
    if roll < 0.65:
        return f"{service}:{name[:3]}*"
    if roll < 0.72:
        return f"{service}:?{name[1:]}"
    if roll < 0.78:
        return action.upper() if rng.random() < 0.5 else action.lower()
    if roll < 0.82:
        return "*"
    other, _ = rng.choice(ACTIONS)
    return other


CONDITIONS = [
    lambda r: ("StringEquals", {"aws:PrincipalTag/team": r.choice(TEAMS)}),
    lambda r: ("StringNotEquals", {"aws:PrincipalTag/team": r.sample(TEAMS, 2)}),
    lambda r: ("StringLike", {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:{r.choice(['user', 'role'])}/{r.choice('abcDAC')}*"}),
    lambda r: ("Bool", {"aws:SecureTransport": r.choice(["true", "false"])}),
    lambda r: ("BoolIfExists", {"aws:MultiFactorAuthPresent": r.choice(["true", "false"])}),
    lambda r: ("IpAddress", {"aws:SourceIp": r.choice(["203.0.113.0/24", ["198.51.100.0/24", "10.0.0.0/8"]])}),
    lambda r: ("NotIpAddress", {"aws:SourceIp": ["198.51.100.0/24"]}),
    lambda r: ("NumericLessThan", {"aws:MultiFactorAuthAge": r.choice(["600", "3600"])}),
    lambda r: ("StringEqualsIfExists", {"aws:RequestedRegion": [r.choice(REGIONS)]}),
    lambda r: ("StringNotEqualsIfExists", {"aws:RequestedRegion": REGIONS[:1]}),
    lambda r: ("DateGreaterThan", {"aws:CurrentTime": r.choice(["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"])}),
    lambda r: ("Null", {"aws:PrincipalTag/team": r.choice(["true", "false"])}),
    lambda r: ("ForAnyValue:StringLike", {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-1*/"]}),
]


def condition(rng: random.Random) -> dict:
    block: dict = {}
    for _ in range(rng.randint(1, 2)):
        op, kv = rng.choice(CONDITIONS)(rng)
        block.setdefault(op, {}).update(kv)
    return block


def statement(rng: random.Random, action: str, kind: str, account: str, *, effect=None,
              allow_condition=True, not_elements=True, principal=None) -> dict:
    """One statement about `action` (or something near it) on resources of `kind`."""
    s: dict = {}
    if rng.random() < 0.3:
        s["Sid"] = "S"  # numbered by doc()
    s["Effect"] = effect or ("Allow" if rng.random() < 0.85 else "Deny")
    if principal is not None:
        s["Principal"] = principal
    actions = sorted({action_pattern(rng, action) for _ in range(rng.randint(1, 3))})
    key = "NotAction" if not_elements and rng.random() < 0.12 else "Action"
    s[key] = actions[0] if len(actions) == 1 and rng.random() < 0.5 else actions
    resources = sorted({resource_pattern(rng, kind, account) for _ in range(rng.randint(1, 2))})
    key = "NotResource" if not_elements and rng.random() < 0.08 else "Resource"
    s[key] = resources[0] if len(resources) == 1 else resources
    if allow_condition and rng.random() < 0.4:
        s["Condition"] = condition(rng)
    return s


def doc(statements: list) -> dict:
    for i, s in enumerate(statements):  # Sids are unique within a policy
        if "Sid" in s:
            s["Sid"] = f"S{i}"
    return {"Version": "2012-10-17", "Statement": statements}


FULL_ACCESS = doc([{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}])


def one_case(rng: random.Random) -> dict:
    action, kind = rng.choice(ACTIONS)
    service = action.split(":")[0]
    if rng.random() < 0.75:
        user = rng.choice(USERS)
        principal = f"arn:aws:iam::{ACCOUNT}:user/{user}"
        principal_arn = principal
    else:
        role = rng.choice(ROLES)
        principal = f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/session-{rng.randrange(10)}"
        principal_arn, user = f"arn:aws:iam::{ACCOUNT}:role/{role}", None

    policies: dict = {}
    # which parts of the chain this case has (each independently; none: an identity-only case)
    has_resource = service in RESOURCE_POLICY_SERVICES and rng.random() < 0.3
    cross_account = has_resource and rng.random() < 0.3
    account = OTHER if cross_account else ACCOUNT
    resource = resource_arn(rng, kind, account)

    policies["identity"] = [
        doc([statement(rng, action, kind, account) for _ in range(rng.randint(1, 4))])
        for _ in range(rng.randint(1, 3))
    ]
    if rng.random() < 0.25:
        policies["permissionBoundaries"] = [doc([
            {"Effect": "Allow", "Action": rng.choice([f"{service}:*", action, "*"]), "Resource": "*"}
        ] + [statement(rng, action, kind, account) for _ in range(rng.randint(0, 2))])]
    if rng.random() < 0.35:
        levels = []
        for _ in range(rng.randint(1, 2)):
            level = [FULL_ACCESS] if rng.random() < 0.85 else []
            extra = [statement(rng, action, kind, account, effect="Deny", not_elements=False)
                     for _ in range(rng.choice([0, 0, 1, 2]))]
            if rng.random() < 0.3:  # an allow-list SCP: Allow without a condition
                extra.append(statement(rng, action, kind, account, effect="Allow",
                                       allow_condition=False, not_elements=False))
            if extra or not level:
                level.append(doc(extra))
            levels.append(level)
        policies["scps"] = levels
    if service in RCP_SERVICES and rng.random() < 0.2:
        rcp = []
        for _ in range(rng.randint(1, 2)):
            s = statement(rng, action, kind, account, effect="Deny", not_elements=False,
                          principal="*")
            s["Action"] = [a for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
                           if a != "*" and a.split(":")[0].lower() in RCP_SERVICES] or [f"{service}:*"]
            rcp.append(s)
        policies["rcps"] = [[doc(rcp)]]
    if has_resource:
        whom = rng.choice([principal, principal_arn, f"arn:aws:iam::{ACCOUNT}:root", ACCOUNT, "*"])
        stmts = []
        for _ in range(rng.randint(1, 3)):
            p = "*" if whom == "*" else {"AWS": whom}
            s = statement(rng, action, kind, account, principal=p, not_elements=False)
            stmts.append(s)
        policies["resource"] = doc(stmts)

    context: dict = {"aws:PrincipalArn": principal_arn, "aws:PrincipalAccount": ACCOUNT}
    if user:
        context["aws:username"] = user
    for key, p, values in [
        ("aws:PrincipalTag/team", 0.6, TEAMS),
        ("aws:SecureTransport", 0.7, ["true", "false"]),
        ("aws:MultiFactorAuthPresent", 0.5, ["true", "false"]),
        ("aws:MultiFactorAuthAge", 0.3, ["120", "7200"]),
        ("aws:SourceIp", 0.7, ["203.0.113.7", "198.51.100.20", "10.1.2.3"]),
        ("aws:RequestedRegion", 0.5, REGIONS),
        ("aws:CurrentTime", 0.5, ["2026-06-01T12:00:00Z"]),
    ]:
        if rng.random() < p:
            context[key] = rng.choice(values)
    if rng.random() < 0.2:
        context["aws:PrincipalOrgPaths"] = [rng.choice(["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
                                                        "o-a1b2c3d4e5/r-ab12/ou-ab12-22222222/"])]
    request = {"principal": principal, "action": action, "resource": resource,
               "resourceAccount": account, "context": context}
    return {"request": request, "policies": policies}


def write_cases(out: pathlib.Path, n: int, rng: random.Random) -> dict:
    lines, identity_only = [], []
    for _ in range(n):
        c = one_case(rng)
        line = json.dumps(c, separators=(",", ":"))
        lines.append(line)
        if set(c["policies"]) == {"identity"}:
            identity_only.append(line)
    (out / "cases.jsonl").write_text("\n".join(lines) + "\n")
    (out / "cases-identity.jsonl").write_text("\n".join(identity_only) + "\n")
    return {"cases": n, "identityOnly": len(identity_only)}


# --- accounts (get-account-authorization-details) -------------------------------------------------

AWS_MANAGED = ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "AmazonS3FullAccess",
               "AmazonS3ReadOnlyAccess", "AmazonEC2FullAccess", "IAMFullAccess", "SecurityAudit",
               "AmazonDynamoDBFullAccess", "AWSLambda_FullAccess"]


def managed_documents(path: pathlib.Path | None) -> dict:
    """The documents of a few AWS managed policies, from the shared corpus when it is there (an
    account lists the AWS managed policies it attaches); else a stand-in for each."""
    found = {}
    if path and path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec["name"] in AWS_MANAGED:
                    found[rec["name"]] = rec["document"]
    for name in AWS_MANAGED:
        found.setdefault(name, doc([{"Effect": "Allow", "Action": "*" if name == "AdministratorAccess"
                                     else f"{name.lower()[:3]}:*", "Resource": "*"}]))
    return found


def ident(prefix: str, rng: random.Random) -> str:
    return prefix + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(17))


def random_identity_doc(rng: random.Random) -> dict:
    stmts = []
    for _ in range(rng.randint(1, 5)):
        action, kind = rng.choice(ACTIONS)
        stmts.append(statement(rng, action, kind, ACCOUNT))
    return doc(stmts)


def account(principals: int, managed: dict, rng: random.Random) -> dict:
    """An account of `principals` users and roles (two users for each role), with groups,
    customer managed policies, inline policies, boundaries and a few administrators."""
    created = "2025-01-02T03:04:05+00:00"
    n_users = principals * 2 // 3
    n_roles = principals - n_users
    policies, customer = [], []
    for name, document in managed.items():
        policies.append({"PolicyName": name, "PolicyId": ident("ANPA", rng),
                         "Arn": f"arn:aws:iam::aws:policy/{name}", "Path": "/", "DefaultVersionId": "v1",
                         "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                         "CreateDate": created, "UpdateDate": created,
                         "PolicyVersionList": [{"Document": document, "VersionId": "v1",
                                                "IsDefaultVersion": True, "CreateDate": created}]})
    for i in range(max(10, principals // 20)):
        arn = f"arn:aws:iam::{ACCOUNT}:policy/team/custom-{i}"
        customer.append({"PolicyName": f"custom-{i}", "PolicyArn": arn})
        policies.append({"PolicyName": f"custom-{i}", "PolicyId": ident("ANPA", rng), "Arn": arn,
                         "Path": "/team/", "DefaultVersionId": "v1", "AttachmentCount": 1,
                         "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                         "CreateDate": created, "UpdateDate": created,
                         "PolicyVersionList": [{"Document": random_identity_doc(rng), "VersionId": "v1",
                                                "IsDefaultVersion": True, "CreateDate": created}]})
    aws = [{"PolicyName": n, "PolicyArn": f"arn:aws:iam::aws:policy/{n}"} for n in managed if n != "AdministratorAccess"]
    admin = {"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}

    def attached() -> list:
        pool = customer + aws
        return rng.sample(pool, rng.randint(0, 2))

    def inline(prefix: str) -> list:
        return [{"PolicyName": f"{prefix}-inline", "PolicyDocument": random_identity_doc(rng)}] if rng.random() < 0.3 else []

    groups = []
    for i in range(max(5, principals // 50)):
        groups.append({"Path": "/", "GroupName": f"group-{i}", "GroupId": ident("AGPA", rng),
                       "Arn": f"arn:aws:iam::{ACCOUNT}:group/group-{i}", "CreateDate": created,
                       "GroupPolicyList": inline(f"group-{i}"),
                       "AttachedManagedPolicies": attached() + ([admin] if i == 0 else [])})
    users = []
    for i in range(n_users):
        name = f"user-{i}"
        u = {"Path": "/", "UserName": name, "UserId": ident("AIDA", rng),
             "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}", "CreateDate": created,
             "UserPolicyList": inline(name),
             # group-0 holds the administrators: about 1% of users
             "GroupList": [g["GroupName"] for g in rng.sample(groups[1:], rng.randint(0, 3))]
             + (["group-0"] if rng.random() < 0.01 else []),
             "AttachedManagedPolicies": attached(),
             "Tags": [{"Key": "team", "Value": rng.choice(TEAMS)}]}
        if rng.random() < 0.1:
            b = rng.choice(customer)
            u["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                        "PermissionsBoundaryArn": b["PolicyArn"]}
        users.append(u)
    roles = []
    for i in range(n_roles):
        name = f"role-{i}"
        service_linked = rng.random() < 0.05
        path = "/aws-service-role/" if service_linked else "/"
        trusted = ({"Service": rng.choice(["ec2.amazonaws.com", "lambda.amazonaws.com"])}
                   if rng.random() < 0.6 else {"AWS": f"arn:aws:iam::{rng.choice([ACCOUNT, OTHER])}:root"})
        roles.append({"Path": path, "RoleName": name, "RoleId": ident("AROA", rng),
                      "Arn": f"arn:aws:iam::{ACCOUNT}:role{path}{name}", "CreateDate": created,
                      "AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": trusted,
                                                        "Action": "sts:AssumeRole"}]),
                      "InstanceProfileList": [], "RolePolicyList": inline(name),
                      "AttachedManagedPolicies": attached() + ([admin] if rng.random() < 0.01 else []),
                      "Tags": [], "RoleLastUsed": {}})
    return {"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles,
            "Policies": policies}


# --- the credential report (the shape of crates/iamkit-core/benches/audit.rs) ----------------------

REPORT_HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
                 "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
                 "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
                 "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
                 "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
                 "cert_1_last_rotated,cert_2_active,cert_2_last_rotated")


def credential_report(users: int) -> str:
    out = [REPORT_HEADER,
           f"<root_account>,arn:aws:iam::{ACCOUNT}:root,2020-01-01T00:00:00+00:00,not_supported,"
           "2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,"
           "N/A,N/A,N/A,N/A,false,N/A,false,N/A"]
    b = lambda v: "true" if v else "false"  # noqa: E731
    for i in range(users):
        day, month = 1 + i % 28, 1 + i % 12
        used = "N/A" if i % 5 == 0 else f"2026-10-{day:02}T08:00:00+00:00"
        out.append(
            f"user{i},arn:aws:iam::{ACCOUNT}:user/team{i % 50}/user{i},2025-{month:02}-{day:02}T10:00:00+00:00,"
            f"{b(i % 3 != 0)},2026-{month:02}-{day:02}T12:30:00+00:00,2025-{month:02}-{day:02}T10:05:00+00:00,"
            f"N/A,{b(i % 4 != 0)},true,2025-{month:02}-{day:02}T10:06:00+00:00,{used},us-east-1,s3,"
            f"{b(i % 7 == 0)},2024-06-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A")
    return "\n".join(out) + "\n"


# --- the adversarial families of issue 13 ---------------------------------------------------------

def case_line(policy: dict, action: str, resource: str, context: dict | None = None) -> str:
    request = {"principal": f"arn:aws:iam::{ACCOUNT}:user/alice", "action": action, "resource": resource}
    if context:
        request["context"] = context
    return json.dumps({"request": request, "policies": {"identity": [policy]}}, separators=(",", ":"))


def one_user_account(statements_of_user: list[list], name="user") -> dict:
    """An account whose users each have one inline policy (one list of statements per user)."""
    users = [{"Path": "/", "UserName": f"{name}-{i}", "UserId": f"AIDA{i:017d}",
              "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}-{i}", "CreateDate": "2025-01-02T03:04:05+00:00",
              "UserPolicyList": [{"PolicyName": "inline", "PolicyDocument": doc(stmts)}],
              "GroupList": [], "AttachedManagedPolicies": []}
             for i, stmts in enumerate(statements_of_user)]
    return {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": [], "Policies": []}


def never_deny(i: int) -> dict:
    """A Deny whose condition never holds in an account: the tag key is on no principal."""
    return {"Effect": "Deny", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i}/*",
            "Condition": {"StringEquals": {f"aws:PrincipalTag/never-{i}": "x"}}}


POLICY_COMMANDS = [["validate", "{file}"], ["lint", "{file}"], ["review", "{file}"], ["summarize", "{file}"]]
ACCOUNT_COMMANDS = [["account", "summary", "{file}", "--format", "json"],
                    ["account", "permissions", "{file}", "user-0", "--format", "json"],
                    ["account", "who-can", "{file}", "--action", "s3:GetObject", "--resource", "*", "--format", "json"],
                    ["audit", "--authorization-details", "{file}", "--format", "json"]]


def adversarial(out: pathlib.Path, budget: int) -> list[dict]:
    """Each family at a size near `budget` bytes (under 1 MB), and the named sizes of the issue.
    Returns [{family, file, bytes, commands}]."""
    d = out / "adversarial"
    d.mkdir(exist_ok=True)
    entries = []

    def emit(family: str, name: str, text: str, commands: list):
        p = d / name
        p.write_text(text)
        entries.append({"family": family, "file": str(p), "bytes": len(text.encode()),
                        "commands": [[a.replace("{file}", str(p)) for a in c] for c in commands]})

    def policy_and_case(family, stem, policy, action, resource, context=None):
        emit(family, f"{stem}.policy.json", json.dumps(policy), POLICY_COMMANDS)
        emit(family, f"{stem}.case.json", case_line(policy, action, resource, context) + "\n", [["eval", "{file}"]])

    # `?` runs: `arn:aws:s3:::*` + k `?` + `b*` against a resource of 3k characters with no `b`
    for k in sorted({20_000, budget // 4}):
        policy = doc([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*" + "?" * k + "b*"}])
        policy_and_case("? runs in Resource", f"qmarks-{k}", policy, "s3:GetObject", "arn:aws:s3:::" + "a" * (3 * k))
    # long literal middle segments, in Action (case-insensitive), Resource and StringLike:
    # `*` + m `a` + `b*` against text of `a` only (every start position nearly matches)
    m = budget // 4
    policy = doc([{"Effect": "Allow", "Action": "s3:*" + "A" * m + "B*", "Resource": "*"}])
    policy_and_case("long literal in Action", f"literal-action-{m}", policy, "s3:" + "a" * (2 * m), "arn:aws:s3:::b/k")
    policy = doc([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*" + "a" * m + "b*"}])
    policy_and_case("long literal in Resource", f"literal-resource-{m}", policy, "s3:GetObject", "arn:aws:s3:::" + "a" * (2 * m))
    policy = doc([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                   "Condition": {"StringLike": {"aws:PrincipalTag/x": "*" + "a" * m + "b*"}}}])
    policy_and_case("long literal in StringLike", f"literal-stringlike-{m}", policy, "s3:GetObject",
                    "arn:aws:s3:::b/k", {"aws:PrincipalTag/x": "a" * (2 * m)})
    # `*a*a…b*` (many short literals) against `a` only
    n = budget // 16
    pattern = "*a" * n + "*b*"
    policy = doc([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + pattern,
                   "Condition": {"StringLike": {"aws:PrincipalTag/x": pattern}}}])
    policy_and_case("*a*a… patterns", f"star-a-{n}", policy, "s3:GetObject", "arn:aws:s3:::" + "a" * (4 * n),
                    {"aws:PrincipalTag/x": "a" * (4 * n)})
    # one `Allow *` and N Deny statements whose condition never holds (the administrator probe):
    # the N = 1,000 (134 kB), and N near the budget; then 20 such users
    per = len(json.dumps(never_deny(1000))) + 2
    for n in sorted({1_000, budget // per}):
        acct = one_user_account([[{"Effect": "Allow", "Action": "*", "Resource": "*"}] + [never_deny(i) for i in range(n)]])
        emit("Allow * and N never-holding Deny", f"never-deny-{n}.json", json.dumps(acct), ACCOUNT_COMMANDS)
    n = budget // per // 20
    acct = one_user_account([[{"Effect": "Allow", "Action": "*", "Resource": "*"}] + [never_deny(i) for i in range(n)]
                             for _ in range(20)])
    emit("Allow * and N never-holding Deny", f"never-deny-20x{n}.json", json.dumps(acct), ACCOUNT_COMMANDS)
    # `account permissions`: 200 Allow `s3:*a*a…` and 200 Deny `s3:?a?a…` patterns (204 kB), and
    # the same shape near the budget
    for count, length in sorted({(200, 420), (max(200, budget // 1000), 420)}):
        stmts = ([{"Effect": "Allow", "Action": "s3:" + "*a" * (length // 2 - i % 7), "Resource": "*"} for i in range(count)]
                 + [{"Effect": "Deny", "Action": "s3:" + "?a" * (length // 2 - i % 5), "Resource": "*"} for i in range(count)])
        emit("permissions patterns", f"permissions-{count}x{count}.json", json.dumps(one_user_account([stmts])),
             ACCOUNT_COMMANDS[:2])
    return entries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    ap.add_argument("--managed", type=pathlib.Path,
                    default=pathlib.Path(__file__).resolve().parents[2] / "shared/data/managed-policies/managed-policies.jsonl")
    args = ap.parse_args()
    out: pathlib.Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    q = args.quick
    manifest: dict = {"quick": q}

    manifest["cases"] = write_cases(out, 2_000 if q else 20_000, random.Random(13))
    if args.managed.exists():  # each AWS managed policy document as its own JSON text, a line each
        docs = [json.dumps(json.loads(line)["document"]) for line in args.managed.read_text().splitlines() if line.strip()]
        (out / "managed-documents.jsonl").write_text("\n".join(docs) + "\n")
        manifest["managed"] = {"file": str(out / "managed-documents.jsonl"), "policies": len(docs)}
    managed = managed_documents(args.managed)
    manifest["accounts"] = {}
    for p in ([150, 1_500] if q else [1_500, 15_000]):
        path = out / f"account-{p}.json"
        path.write_text(json.dumps(account(p, managed, random.Random(p))))
        manifest["accounts"][str(p)] = {"file": str(path), "bytes": path.stat().st_size}
    users = 10_000 if q else 100_000
    path = out / "credential-report.csv"
    path.write_text(credential_report(users))
    manifest["report"] = {"file": str(path), "users": users, "bytes": path.stat().st_size}
    manifest["adversarial"] = adversarial(out, 120_000 if q else 950_000)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"inputs in {out}: {manifest['cases']['cases']} cases ({manifest['cases']['identityOnly']} identity-only), "
          f"accounts {', '.join(manifest['accounts'])}, a {users}-user report, "
          f"{len(manifest['adversarial'])} adversarial files")


if __name__ == "__main__":
    main()

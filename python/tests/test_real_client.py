"""A real boto3 client against moto (PyPI), which mocks IAM in process and ships AWS's managed
policies: iamkit loads, queries and audits what boto3 really returns, as a user would (bytes,
datetimes, ResponseMetadata, paginator pages), with the AWS managed policies left in the output."""

import json
import os

import pytest

import iamkit

# moto loads AWS's managed policies (about 1,600) only when asked
os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
moto = pytest.importorskip("moto") if os.environ.get("CI") != "true" else __import__("moto")
boto3 = __import__("boto3")

ACCOUNT = "123456789012"  # moto's default account


def doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture()
def iam():
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with moto.mock_aws():
        client = boto3.client("iam", region_name="us-east-1")
        # alice reads one bucket; bob is an administrator through a group; carol is denied
        # everything by a customer managed policy; the app role trusts the account
        client.create_user(UserName="alice")
        client.put_user_policy(UserName="alice", PolicyName="read-reports", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}))
        client.create_access_key(UserName="alice")
        client.create_login_profile(UserName="alice", Password="Correct-Horse-9!")
        client.create_group(GroupName="admins")
        client.attach_group_policy(GroupName="admins",
                                   PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        client.create_user(UserName="bob")
        client.add_user_to_group(GroupName="admins", UserName="bob")
        deny = client.create_policy(PolicyName="deny-all", PolicyDocument=doc(
            {"Effect": "Deny", "Action": "*", "Resource": "*"}))["Policy"]["Arn"]
        client.create_user(UserName="carol")
        client.add_user_to_group(GroupName="admins", UserName="carol")
        client.attach_user_policy(UserName="carol", PolicyArn=deny)
        client.create_role(RoleName="app", AssumeRolePolicyDocument=doc(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
             "Action": "sts:AssumeRole"}))
        client.put_role_policy(RoleName="app", PolicyName="put-reports", PolicyDocument=doc(
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::reports/*"}))
        client.update_account_password_policy(MinimumPasswordLength=8)
        yield client


def pages(client):
    return client.get_paginator("get_account_authorization_details").paginate()


def test_moto_ships_aws_managed_policies_and_iamkit_reads_every_one(iam):
    details = list(pages(iam))
    aws_managed = [p for page in details for p in page["Policies"]
                   if p["Arn"].startswith("arn:aws:iam::aws:policy/")]
    assert len(aws_managed) > 1000, "moto lists AWS's managed policies"
    acct = iamkit.Account.from_boto3(details)
    summary = acct.summary()
    assert summary["users"] == 3 and summary["roles"] == 1
    # every AWS managed policy moto ships is readable (role-template and newer resource types)
    unreadable = [i for i in summary["issues"] if i["code"] == "unreadableDocument"]
    assert unreadable == [], unreadable[:3]


def test_queries_from_the_paginator_as_a_user_would(iam):
    acct = iamkit.Account.from_boto3(pages(iam))
    admins = acct.summary()["administrators"]
    assert f"arn:aws:iam::{ACCOUNT}:user/bob" in admins
    assert f"arn:aws:iam::{ACCOUNT}:user/carol" not in admins  # denied everything
    assert acct.is_administrator("bob") and not acct.is_administrator("alice")
    who = {e["principal"] for e in acct.who_can("s3:GetObject", "arn:aws:s3:::reports/q1.csv")["allowed"]}
    assert who == {f"arn:aws:iam::{ACCOUNT}:user/alice", f"arn:aws:iam::{ACCOUNT}:user/bob"}
    assume = acct.who_can_assume("app")
    assert f"arn:aws:iam::{ACCOUNT}:user/bob" in {e["principal"] for e in assume["principals"]}
    assert acct.evaluate("carol", "s3:GetObject", "arn:aws:s3:::reports/q1.csv")["decision"] == "explicitDeny"
    assert acct.evaluate("app", "s3:PutObject", "arn:aws:s3:::reports/q1.csv")["decision"] == "allowed"


def test_audit_from_raw_boto3_responses(iam):
    iam.generate_credential_report()
    report = iam.get_credential_report()
    assert isinstance(report["Content"], bytes)
    rows = iamkit.parse_credential_report(report)["rows"]
    assert {r["user"] for r in rows} >= {"alice", "bob", "carol"}
    result = iamkit.audit(
        credential_report=report,
        authorization_details=list(pages(iam)),
        password_policy=iam.get_account_password_policy(),
        account_summary=iam.get_account_summary(),
        virtual_mfa_devices=iam.list_virtual_mfa_devices(),
    )
    failed = {(f["checkId"], f["resource"].get("arn") or f["resource"].get("name"))
              for f in result["findings"] if f["status"] == "fail"}
    checks = {c for c, _ in failed}
    # alice signs in with a password and no MFA; bob is an administrator without MFA; the
    # password policy asks for 8 characters; alice's new key is unused; policies are attached to
    # users directly
    assert "console-mfa" in checks, sorted(failed)
    assert "password-min-length" in checks, sorted(failed)
    assert "user-direct-policies" in checks, sorted(failed)
    assert "administrators" in checks, sorted(failed)


def test_escalations_take_over_what_lambda_and_ec2_really_list(iam):
    """A resource inventory straight from boto3: the function and the instance that run with an
    administrator role make the paths through them exact; without them the paths stay possible."""
    import io
    import zipfile

    admin = iam.create_role(RoleName="ops", AssumeRolePolicyDocument=doc(
        {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com", "ec2.amazonaws.com"]},
         "Action": "sts:AssumeRole"}))["Role"]["Arn"]
    iam.attach_role_policy(RoleName="ops", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    iam.create_instance_profile(InstanceProfileName="ops")
    iam.add_role_to_instance_profile(InstanceProfileName="ops", RoleName="ops")
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return None\n")
    lam = boto3.client("lambda", region_name="us-east-1")
    fn = lam.create_function(FunctionName="deploy", Runtime="python3.12", Role=admin,
                             Handler="app.handler", Code={"ZipFile": code.getvalue()})["FunctionArn"]
    ec2 = boto3.client("ec2", region_name="us-east-1")
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
                                 IamInstanceProfile={"Name": "ops"})["Instances"][0]["InstanceId"]
    # dev may change and invoke that one function; sre may send commands to any instance
    iam.create_user(UserName="dev")
    iam.put_user_policy(UserName="dev", PolicyName="deploy", PolicyDocument=doc(
        {"Effect": "Allow", "Action": ["lambda:UpdateFunctionCode", "lambda:InvokeFunction"], "Resource": fn}))
    iam.create_user(UserName="sre")
    iam.put_user_policy(UserName="sre", PolicyName="run", PolicyDocument=doc(
        {"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"}))
    acct = iamkit.Account.from_boto3(pages(iam))
    inventory = [lam.list_functions(), ec2.describe_instances()]
    answer = acct.escalations(as_of="2026-12-01T00:00:00Z", resources=inventory)
    by = {e["principal"].rsplit("/", 1)[1]: e for e in answer["escalations"]}
    assert by["dev"]["certainty"] == "exact", by.get("dev")
    assert [(h["technique"], h["via"]) for h in by["dev"]["hops"]] == [("lambda-004", fn)]
    assert by["sre"]["certainty"] == "exact", by.get("sre")
    hop = by["sre"]["hops"][0]
    assert hop["technique"] == "ssm-002" and hop["via"].endswith(f":instance/{instance}")
    assert hop["requests"][0]["resource"] == hop["via"]
    # without the inventory, dev's grant names no resource the analysis knows of: no path; sre's
    # stays possible (an instance may exist)
    bare = {e["principal"].rsplit("/", 1)[1]: e for e in acct.escalations(as_of="2026-12-01T00:00:00Z")["escalations"]}
    assert "dev" not in bare and bare["sre"]["certainty"] == "possible"
    with pytest.raises(iamkit.IamkitError) as e:
        acct.escalations(resources={"Functions": {"FunctionArn": fn}})
    assert e.value.code == "IAM_INPUT_SCHEMA"

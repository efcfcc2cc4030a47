"""iamkit.spark in local mode (local[2]): the same findings, paths and principals as
iamkit.Organization, row for row. Skipped when pyspark is not installed, unless
IAMKIT_REQUIRE_SPARK=1 (the test command sets it)."""

import os
import sys

import pytest

import iamkit
from conftest import WORKSPACE

if os.environ.get("IAMKIT_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")

import iamkit.spark as ispark  # noqa: E402  (after the skip)

DEMO_ORG = str(WORKSPACE / "examples" / "demo-org")
AS_OF = "2026-12-01T00:00:00Z"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # the workers run this interpreter (the one iamkit is installed in)
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("iamkit-test")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    yield s
    s.stop()


def sorted_rows(rows):
    return sorted((tuple(sorted(r.items(), key=lambda kv: kv[0])) for r in rows), key=repr)


def test_the_audit_on_spark_is_the_organizations_row_for_row(spark):
    df = ispark.audit(spark, [DEMO_ORG], options={"asOf": AS_OF})
    assert df.schema == ispark.AUDIT_SCHEMA
    got = [r.asDict() for r in df.collect()]
    want = ispark.rows_of(iamkit.Organization(DEMO_ORG).audit(options={"asOf": AS_OF}), DEMO_ORG,
                          ispark._audit_rows, ispark.AUDIT_SCHEMA)
    assert sorted_rows(got) == sorted_rows(want)
    assert {r["account_id"] for r in got if r["error_code"]} == {"444444444444", "555555555555"}
    fails = {(r["account_id"], r["check_id"]) for r in got if r["status"] == "fail"}
    assert ("222222222222", "org-trust-outside") in fails and ("333333333333", "org-scp-denies-root") in fails


def test_escalations_and_who_can_on_spark(spark):
    esc = [r.asDict() for r in ispark.escalations(spark, DEMO_ORG, as_of=AS_OF).collect()]
    want = ispark.rows_of(iamkit.Organization(DEMO_ORG).escalations(as_of=AS_OF), DEMO_ORG,
                          ispark._escalation_rows, ispark.ESCALATION_SCHEMA)
    assert sorted_rows(esc) == sorted_rows(want)
    assert [(r["account_id"], r["principal"], r["techniques"]) for r in esc if not r["error_code"]] == [
        ("333333333333", "arn:aws:iam::333333333333:user/dev", "iam-007")]
    who = ispark.who_can(spark, DEMO_ORG, "sts:AssumeRole", "arn:aws:iam::222222222222:role/deploy")
    assert [(r.account_id, r.principal) for r in who.where("error_code is null").collect()] == [
        ("333333333333", "arn:aws:iam::333333333333:user/dev")]


def test_more_tasks_than_accounts_and_several_organizations(spark, tmp_path):
    import shutil

    copy = tmp_path / "org-copy"
    shutil.copytree(DEMO_ORG, copy)
    df = ispark.audit(spark, [DEMO_ORG, str(copy)], options={"asOf": AS_OF}, partitions=50)
    rows = [r.asDict() for r in df.collect()]
    one = ispark.rows_of(iamkit.Organization(DEMO_ORG).audit(options={"asOf": AS_OF}), DEMO_ORG,
                         ispark._audit_rows, ispark.AUDIT_SCHEMA)
    assert len(rows) == 2 * len(one)
    assert {r["org_path"] for r in rows} == {DEMO_ORG, str(copy)}
    # a question every account would refuse is refused once, on the driver
    with pytest.raises(iamkit.InputError) as e:
        ispark.audit(spark, DEMO_ORG, options={"asOf": "nope"})
    assert e.value.code == "IAM_INVALID_ARGUMENT"

"""Whole organizations on Apache Spark: the organization calls of :class:`iamkit.Organization`,
computed inside the executors, one row per finding, path or principal, ``account_id`` on each.

pyspark is an optional extra (``pip install iamkit[spark]``, which brings pyspark and pyarrow);
importing this module without it raises ``ImportError`` naming the extra.

>>> from pyspark.sql import SparkSession  # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> iamkit.spark.audit(spark, ["/mnt/audits/org-2026-12"]).where("status = 'fail'").show()  # doctest: +SKIP

``paths`` are organization folders (``scripts/collect-org.sh`` writes them) on a file system every
executor reads under the same local path (a shared mount such as NFS, EFS or a FUSE-mounted
bucket, or a folder copied to each node). The driver reads only each organization's tree to list
its accounts; the accounts are spread evenly over ``partitions`` tasks (default: the session's
default parallelism) and each task reads its own accounts' folders with ``mapInArrow``, a few
accounts per Arrow batch (memory per task stays that of a few accounts). An account that cannot
be read is one row with ``error_code`` and ``error_message`` set and the other columns null, as in
the organization calls. A ``who_can`` for an STS action reads every account's trust policies once
per Python worker (roles of other accounts).

On a cluster, iamkit (a native extension) must be installed in the Python the executors run:
``pip install iamkit[spark]`` on every node, or a packed environment shipped with the job
(``venv-pack -o env.tar.gz``, then ``spark-submit --archives env.tar.gz#env --conf
spark.pyspark.python=./env/bin/python job.py``). ``--py-files`` cannot carry it: Python does not
import native modules from a zip.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import (
        BooleanType,
        IntegerType,
        StringType,
        StructField,
        StructType,
    )
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(f"iamkit.spark needs pyspark and pyarrow: pip install 'iamkit[spark]' ({e})") from e

from ._organization import Organization

__all__ = ["audit", "escalations", "who_can", "AUDIT_SCHEMA", "ESCALATION_SCHEMA", "WHO_CAN_SCHEMA"]

_S, _B, _I = StringType(), BooleanType(), IntegerType()


def _schema(*columns: Tuple[str, Any]) -> StructType:
    base = [("org_path", _S), ("account_id", _S)]
    tail = [("error_code", _S), ("error_message", _S)]
    return StructType([StructField(n, t, True) for n, t in base + list(columns) + tail])


#: One row per finding: the audit's fields, ``evidence`` as JSON text.
AUDIT_SCHEMA = _schema(("check_id", _S), ("title", _S), ("severity", _S), ("status", _S), ("resource_arn", _S),
                       ("resource_slot", _S), ("reason", _S), ("evidence", _S), ("remediation", _S),
                       ("remediation_cli", _S), ("as_of", _S))
#: One row per principal that can become an administrator: its shortest path, ``hops`` as JSON text.
ESCALATION_SCHEMA = _schema(("principal", _S), ("kind", _S), ("certainty", _S), ("target", _S),
                            ("hop_count", _I), ("techniques", _S), ("hops", _S))
#: One row per principal allowed (or undecided), ``statements`` as JSON text.
WHO_CAN_SCHEMA = _schema(("principal", _S), ("kind", _S), ("name", _S), ("undecided", _B),
                         ("statements", _S), ("resource_witness", _S))

Row = Dict[str, Any]


def _audit_rows(line: Dict[str, Any]) -> List[Row]:
    a = line["audit"]
    return [{
        "check_id": f["checkId"], "title": f["title"], "severity": f["severity"], "status": f["status"],
        "resource_arn": f["resource"]["arn"], "resource_slot": f["resource"].get("slot"), "reason": f["reason"],
        "evidence": json.dumps(f["evidence"], sort_keys=True), "remediation": f["remediation"]["text"],
        "remediation_cli": f["remediation"].get("cli"), "as_of": a["asOf"],
    } for f in a["findings"]]


def _escalation_rows(line: Dict[str, Any]) -> List[Row]:
    return [{
        "principal": e["principal"], "kind": e["kind"], "certainty": e["certainty"], "target": e["target"],
        "hop_count": len(e["hops"]), "techniques": ",".join(h["technique"] for h in e["hops"]),
        "hops": json.dumps(e["hops"], sort_keys=True),
    } for e in line["escalations"]["escalations"]]


def _who_can_rows(line: Dict[str, Any]) -> List[Row]:
    w = line["whoCan"]
    rows: List[Row] = [{
        "principal": e["principal"], "kind": e["kind"], "name": e["name"], "undecided": False,
        "statements": json.dumps(e["statements"], sort_keys=True), "resource_witness": e.get("resourceWitness"),
    } for e in w["allowed"]]
    rows += [{"principal": u, "undecided": True} for u in w["undecided"]]
    return rows


# one Organization per path and Python worker: the tree is read once per executor process
_OPEN: Dict[str, Organization] = {}


def _org(path: str) -> Organization:
    org = _OPEN.get(path)
    if org is None:
        org = _OPEN[path] = Organization(path)
    return org


def rows_of(answer: Dict[str, Any], org_path: str, to_rows: Callable[[Dict[str, Any]], List[Row]],
            schema: StructType) -> List[Row]:
    """An organization call's answer as rows of ``schema`` (every column present, errors as rows)."""
    names = [f.name for f in schema.fields]
    out: List[Row] = []
    for line in answer["accounts"]:
        base = {"org_path": org_path, "account_id": line["accountId"]}
        if "error" in line:
            rows = [{"error_code": line["error"]["code"], "error_message": line["error"]["message"]}]
        else:
            rows = to_rows(line)
        out += [{n: {**base, **r}.get(n) for n in names} for r in rows]
    return out


#: How many accounts one call answers inside a task (and so one Arrow batch holds).
CHUNK = 16


def _parallelism(spark: SparkSession) -> int:
    try:
        return spark.sparkContext.defaultParallelism
    except Exception:  # Spark Connect has no SparkContext
        return int(spark.conf.get("spark.default.parallelism", "8") or 8)


def _run(spark: SparkSession, paths: Union[str, Sequence[str]], call: str, payload: Dict[str, Any],
         to_rows: Callable[[Dict[str, Any]], List[Row]], schema: StructType,
         partitions: Optional[int]) -> DataFrame:
    if isinstance(paths, str):
        paths = [paths]
    for p in paths:
        # refused on the driver, once (a bad asOf, a request of the wrong shape), not in each task
        Organization(p).call(call, {**payload, "accounts": [], "threads": 1})
    work = [(p, a) for p in paths for a in _accounts(p)]
    n = max(1, min(len(work) or 1, partitions or _parallelism(spark)))
    # round robin: every task gets its share of the accounts
    accounts = spark.createDataFrame(work, "org_path string, account_id string").repartition(n)
    arrow = _arrow(schema)

    def task(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            pairs = list(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()))
            for i in range(0, len(pairs), CHUNK):
                by_org: Dict[str, List[str]] = {}
                for p, a in pairs[i:i + CHUNK]:
                    by_org.setdefault(p, []).append(a)
                rows: List[Row] = []
                for p, ids in by_org.items():
                    answer = _org(p).call(call, {**payload, "accounts": sorted(ids), "threads": 1})
                    rows += rows_of(answer, p, to_rows, schema)
                if rows:
                    yield pa.RecordBatch.from_pylist(rows, schema=arrow)

    return accounts.mapInArrow(task, schema)


def _arrow(schema: StructType) -> "pa.Schema":
    kinds = {"string": pa.string(), "boolean": pa.bool_(), "integer": pa.int32()}
    return pa.schema([pa.field(f.name, kinds[f.dataType.typeName()], nullable=True) for f in schema.fields])


def _accounts(path: str) -> List[str]:
    """The accounts an organization call answers when none are named, read on the driver from the
    organization's tree alone."""
    return list(Organization(path).summary(accounts=[], threads=1)["organization"]["defaultAccounts"])


def audit(spark: SparkSession, paths: Union[str, Sequence[str]], options: Optional[Dict[str, Any]] = None,
          partitions: Optional[int] = None) -> DataFrame:
    """Every account's audit (with its SCPs and RCPs, and the organization's checks): one row per
    finding, in :data:`AUDIT_SCHEMA`. ``options`` are the audit's (``{"asOf": ...}``)."""
    payload = {"options": options} if options else {}
    return _run(spark, paths, "audit", payload, _audit_rows, AUDIT_SCHEMA, partitions)


def escalations(spark: SparkSession, paths: Union[str, Sequence[str]], as_of: Optional[str] = None,
                partitions: Optional[int] = None) -> DataFrame:
    """Every account's privilege-escalation paths: one row per principal that can become an
    administrator, in :data:`ESCALATION_SCHEMA`."""
    payload = {"asOf": as_of} if as_of else {}
    return _run(spark, paths, "escalations", payload, _escalation_rows, ESCALATION_SCHEMA, partitions)


def who_can(spark: SparkSession, paths: Union[str, Sequence[str]], action: str, resource: str,
            context: Optional[Dict[str, Any]] = None, resource_account: Optional[str] = None,
            partitions: Optional[int] = None) -> DataFrame:
    """Who in every account can do ``action`` on ``resource`` (its SCPs and RCPs applied; a resource
    of another account decided with its RCPs, a role's with its trust policy): one row per
    principal, in :data:`WHO_CAN_SCHEMA`. A single resource whose ARN names no account (an S3
    object) needs ``resource_account``."""
    payload: Dict[str, Any] = {"action": action, "resource": resource}
    if context:
        payload["context"] = context
    if resource_account:
        payload["resourceAccount"] = resource_account
    return _run(spark, paths, "whoCan", payload, _who_can_rows, WHO_CAN_SCHEMA, partitions)

"""The one converter of Python values to the wire's JSON: what it writes (seen through answers
that echo their input) and what it refuses, with IAM_INVALID_ARGUMENT naming the type and path."""

import collections
import datetime
import enum

import pytest

import iamkit
from conftest import ALICE, policy

UTC = datetime.timezone.utc
DOC = {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIA", "SecretAccessKey": "s", "Token": "t",
       "LastUpdated": datetime.datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
       "Expiration": datetime.datetime(2026, 11, 23, 14, 0, tzinfo=UTC)}
ALLOW = iamkit.PolicySet({"identity": [policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})]})


def echo(value) -> str:
    """`value` as the core reads it back: a credential document's AccessKeyId, echoed."""
    return iamkit.credentials({**DOC, "AccessKeyId": value})["accessKeyId"]


def refused(fn):
    with pytest.raises(iamkit.IamkitError) as info:
        fn()
    assert info.value.code == "IAM_INVALID_ARGUMENT", info.value
    assert isinstance(info.value, iamkit.InputError)
    return info.value


def test_strings_bytes_and_views_are_utf8_text():
    for v in ("ASIAé😀\"\\\n", b"ASIA\xc3\xa9", bytearray(b"ASIA-bytes"), memoryview(b"ASIA-view")):
        want = v if isinstance(v, str) else bytes(v).decode()
        assert echo(v) == want
    e = refused(lambda: echo(b"\xff\xfe"))
    assert e.location == {"jsonPath": "$.document.AccessKeyId"} and "UTF-8" in e.message


def test_datetimes_are_iso_8601():
    r = iamkit.credentials(DOC, as_of=datetime.datetime(2026, 11, 23, 15, 0, 0, 500, tzinfo=UTC))
    assert r["expired"] is True
    assert (r["lastUpdated"], r["expiration"]) == ("2026-11-23T08:00:00+00:00", "2026-11-23T14:00:00+00:00")
    assert iamkit.credentials(DOC, as_of=datetime.datetime(2026, 11, 23, 13, 59, tzinfo=UTC))["expired"] is False
    assert iamkit.credentials(DOC, as_of=datetime.date(2026, 11, 24))["expired"] is True
    # a naive datetime is written as it is (the core decides what it means)
    assert echo(datetime.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05"
    assert echo(datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "2026-01-02T03:04:05.000006+00:00"
    assert echo(datetime.date(2026, 1, 2)) == "2026-01-02"


def test_containers_ints_and_subclasses():
    class Color(enum.IntEnum):
        RED = 3

    class Name(str, enum.Enum):
        K = "principal"

    r = ALLOW.evaluate(collections.OrderedDict([(Name.K, ALICE), ("action", "s3:GetObject"), ("resource", "*"),
                                               ("context", {"n": Color.RED, "big": 2**200, "t": (1, 2.5, True)})]))
    assert r.allowed
    assert ALLOW.call("evaluate", {"principal": ALICE, "action": "s3:GetObject", "resource": "*",
                                  "context": collections.defaultdict(int, a=1)})["decision"] == "allowed"


@pytest.mark.parametrize("value, what", [
    ({1, 2}, "set"), (frozenset(), "frozenset"), (object(), "object"), (len, "builtin_function_or_method"),
    (lambda: 0, "function"), (float("nan"), "NaN"), (float("inf"), "inf"), (-float("inf"), "inf"),
    (complex(1, 2), "complex"), (datetime.time(1, 2), "time"), (range(3), "range"),
])
def test_values_json_cannot_carry_are_refused(value, what):
    e = refused(lambda: ALLOW.evaluate({"principal": ALICE, "action": "s3:GetObject", "resource": "*",
                                       "context": {"aws:x": [1, {"deep": value}]}}))
    assert e.location == {"jsonPath": "$.context['aws:x'][1].deep"}
    assert what in e.message


def test_keys_surrogates_cycles_and_depth():
    e = refused(lambda: iamkit.call("validate", {"policy": {1: "x"}}))
    assert "int" in e.message and e.location == {"jsonPath": "$.policy"}
    refused(lambda: iamkit.call("validate", {"policy": {"\ud800": "x"}}))
    e = refused(lambda: iamkit.call("validate", {"policy": ["ok", "\udfff"]}))
    assert e.location == {"jsonPath": "$.policy[1]"} and "surrogate" in e.message
    refused(lambda: iamkit.call("validate", '{"policy": "\ud800"}'))
    loop = {"a": []}
    loop["a"].append(loop)
    e = refused(lambda: iamkit.call("validate", {"policy": loop}))
    assert "circular" in e.message and e.location == {"jsonPath": "$.policy.a[0]"}
    deep = []
    for _ in range(5000):
        deep = [deep]
    assert "256" in refused(lambda: iamkit.call("validate", {"policy": deep})).message
    ok = []
    for _ in range(254):
        ok = [ok]
    # 256 levels in all: written by the converter, then refused by the core's depth limit (100)
    with pytest.raises(iamkit.InputError) as info:
        iamkit.call("validate", {"policy": ok})
    assert info.value.code == "IAM_INPUT_JSON" and "100 levels" in info.value.message
    shared = {"x": 1}
    assert iamkit.call("validate", {"policy": {"a": shared, "b": [shared, shared]}})["valid"] is False  # not a cycle


def test_names_must_be_str():
    for bad in (None, 1, b"validate", "\ud800"):
        e = refused(lambda: iamkit.call(bad, {}))
        assert e.location is None
        refused(lambda: iamkit.Handle(bad, {}))
        refused(lambda: ALLOW.call(bad, {}))

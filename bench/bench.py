"""Per-call cost of iamkit from Python against the shared prepared policy set (bench/fixture.json),
and the throughput of one batch call. Run: .venv/bin/python bench/bench.py"""
import json
import pathlib
import time

import iamkit

fixture = json.loads((pathlib.Path(__file__).parent / "fixture.json").read_text())
ps = iamkit.PolicySet(fixture["policies"])
request = fixture["request"]
assert ps.evaluate(request).decision == "allowed"


def per_call(fn, n=200_000):
    for _ in range(n // 10):
        fn()
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best * 1e9


ev = per_call(lambda: ps.evaluate(request))
de = per_call(lambda: ps.decide(request))
text = json.dumps(request)
js = per_call(lambda: ps.evaluate_json(text), 100_000)
batch = [request] * 10_000
best = float("inf")
for _ in range(5):
    t = time.perf_counter()
    ps.evaluate_batch(batch)
    best = min(best, time.perf_counter() - t)
print(f"python PolicySet.evaluate(dict): {ev:.0f} ns/call")
print(f"python PolicySet.decide(dict): {de:.0f} ns/call")
print(f"python PolicySet.evaluate_json(str): {js:.0f} ns/call")
print(f"python PolicySet.evaluate_batch(10000): {len(batch) / best:,.0f} requests/s")

# the account model on the largest authorization-details sample, when it is beside the checkout
sample = pathlib.Path(__file__).resolve().parents[2] / "shared/data/authorization-details/cloudsplaining-example.json"
if sample.exists():
    details = sample.read_text()
    load = per_call(lambda: iamkit.Account.from_json(details), 50) / 1e6
    acct = iamkit.Account.from_json(details)
    who = per_call(lambda: acct.who_can("iam:CreateUser", "*"), 2_000) / 1e3
    print(f"python Account.from_json(largest sample): {load:.1f} ms")
    print(f"python Account.who_can(iam:CreateUser, *): {who:.0f} µs")

# the catalog: review (lint and summarize) every AWS managed policy, as JSON text
managed = pathlib.Path(__file__).resolve().parents[2] / "shared/data/managed-policies/managed-policies.jsonl"
if managed.exists():
    docs = [json.dumps(json.loads(line)["document"]) for line in managed.read_text().splitlines() if line.strip()]
    review_all = per_call(lambda: [iamkit.review_policy(d) for d in docs], 5) / 1e6
    print(f"python review_policy(each of {len(docs)} managed policies): {review_all:.0f} ms in total")

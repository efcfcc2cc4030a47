"""Per-call cost of iamkit from Python against the shared prepared policy set (bench/fixture.json),
the throughput of one batch call, the account model and the catalog's review, when the shared data
is beside the checkout. Run: .venv/bin/python bench/bench.py (--per-call: the first two figures only,
for bench/compare.sh)"""
import json
import pathlib
import sys
import time

import iamkit

fixture = json.loads((pathlib.Path(__file__).parent / "fixture.json").read_text())
ps = iamkit.PolicySet(fixture["policies"])
request = fixture["request"]
assert ps.evaluate(request).decision == "allowed"
shared = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"


def per_call(fn, n=200_000):
    """The best of five runs of n calls, in seconds per call."""
    for _ in range(max(n // 10, 1)):
        fn()
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best


text = json.dumps(request)
print(f"python PolicySet.evaluate(dict): {per_call(lambda: ps.evaluate(request)) * 1e6:.2f} µs/call")
print(f"python PolicySet.decide(dict): {per_call(lambda: ps.decide(request)) * 1e6:.2f} µs/call")
if "--per-call" in sys.argv:
    sys.exit(0)
print(f"python PolicySet.evaluate(str): {per_call(lambda: ps.evaluate(text), 100_000) * 1e6:.2f} µs/call")
print(f"python PolicySet.evaluate(dict).explain: {per_call(lambda: ps.evaluate(request).explain, 100_000) * 1e6:.2f} µs/call")
print(f"python PolicySet.call('evaluate', dict): {per_call(lambda: ps.call('evaluate', request), 100_000) * 1e6:.2f} µs/call")
batch = [request] * 10_000
best = min(per_call(lambda: ps.evaluate_batch(batch), 1) for _ in range(3))
print(f"python PolicySet.evaluate_batch(10000): {len(batch) / best:,.0f} requests/s ({best / len(batch) * 1e6:.2f} µs/request)")

# the account model on the largest authorization-details sample
sample = shared / "authorization-details" / "cloudsplaining-example.json"
if sample.exists():
    details = sample.read_text()
    print(f"python Account(largest sample, text): {per_call(lambda: iamkit.Account(details), 50) * 1e3:.1f} ms")
    acct = iamkit.Account(details)
    print(f"python Account.who_can(iam:CreateUser, *): {per_call(lambda: acct.who_can('iam:CreateUser', '*'), 2_000) * 1e6:.0f} µs")

# the catalog: review (lint and summarize) every AWS managed policy, given as JSON text
managed = shared / "managed-policies" / "managed-policies.jsonl"
if managed.exists():
    docs = [json.dumps(json.loads(line)["document"]) for line in managed.read_text().splitlines() if line.strip()]
    review_all = per_call(lambda: [iamkit.review_policy(d) for d in docs], 5)
    print(f"python review_policy(each of {len(docs)} managed policies): {review_all * 1e3:.0f} ms in total "
          f"({review_all / len(docs) * 1e6:.0f} µs/policy)")

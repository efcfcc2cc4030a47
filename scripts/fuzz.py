#!/usr/bin/env python3
"""Seeds the cargo-fuzz corpora from tests/cases and ../shared/data, then runs every fuzz target
for a bounded time (``--seconds``, default 60 each), prints executions per target, and fails when
a target finds a crash (the input is left in fuzz/artifacts/<target>/; turn it into a conformance
case). Needs the nightly toolchain and cargo-fuzz (``cargo install cargo-fuzz --locked``).

    python3 scripts/fuzz.py --seconds 600            # while developing: 10 minutes each
    python3 scripts/fuzz.py --seconds 45 --jobs 1    # the bounded run in scripts/test-all.sh
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data")
CORPUS = os.path.join(ROOT, "target", "fuzz-corpus")
TARGETS = ["policy", "wire_call", "json_reader", "authorization_details", "credential_report",
           "catalog", "lint", "differential"]
# the order of the calls in fuzz_targets/wire_call.rs
WIRE_CALLS = ["evaluate", "validate", "credentials", "expandActions", "lookupAction", "summarize",
              "review", "audit"]
MAX_LEN = 1 << 17


def cases():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "cases", "**", "*.jsonl"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def shared(*parts):
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        if os.environ.get("CI") == "true":
            sys.exit(f"fuzz: {path} is missing (../shared/data must sit beside the checkout)")
        return []
    return [path]


def seeds():
    """Every target's seeds, as bytes."""
    out = {t: [] for t in TARGETS}
    for c in cases():
        call, inp = c.get("call", ""), c.get("input")
        text = json.dumps(inp)
        out["json_reader"].append(text.encode())
        if call in WIRE_CALLS:
            out["wire_call"].append(bytes([WIRE_CALLS.index(call)]) + text.encode())
        if isinstance(inp, dict) and isinstance(inp.get("policy"), (dict, str)):
            p = inp["policy"]
            doc = p if isinstance(p, str) else json.dumps(p, indent=1)
            out["policy"].append(doc.encode())
            out["lint"].append(doc.encode())
        given = c.get("with")
        details = given.get("details") if isinstance(given, dict) else None
        if details is not None:
            out["authorization_details"].append(json.dumps(details).encode())
        if call in ("credentialReport", "audit") and isinstance(inp, dict):
            report = inp.get("report") or inp.get("credentialReport")
            if isinstance(report, str):
                out["credential_report"].append(report.encode())
    for path in shared("authorization-details"):
        for f in sorted(glob.glob(os.path.join(path, "*.json"))):
            data = open(f, "rb").read()
            if len(data) <= MAX_LEN:
                out["authorization_details"].append(data)
    for path in shared("credential-reports"):
        for f in sorted(glob.glob(os.path.join(path, "**", "*.*"), recursive=True)):
            if f.endswith((".csv", ".json")):
                out["credential_report"].append(open(f, "rb").read()[:MAX_LEN])
    for path in shared("managed-policies", "managed-policies.jsonl"):
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i % 8 == 0:  # a sample: 200 of AWS's managed policies
                    doc = json.loads(line).get("document")
                    text = (doc if isinstance(doc, str) else json.dumps(doc, indent=1)).encode()
                    out["policy"].append(text)
                    out["lint"].append(text)
    compact = open(os.path.join(ROOT, "crates", "iamkit-core", "data", "catalog.txt"), "rb").read()
    lines = compact.split(b"\n")
    for start in (0, 2000, 9000):  # the header, and slices of services
        out["catalog"].append(b"\n".join(lines[:12] + lines[start + 12:start + 300]))
    out["catalog"].append(json.dumps([{"Name": "s3", "Actions": [{"Name": "GetObject"}]}]).encode())
    out["differential"].append(bytes(range(64)))
    return out


def write_corpora():
    for target, items in seeds().items():
        d = os.path.join(CORPUS, target)
        os.makedirs(d, exist_ok=True)
        for i, data in enumerate(items):
            with open(os.path.join(d, f"seed-{i:05}"), "wb") as f:
                f.write(data[:MAX_LEN])
        print(f"fuzz: {target}: {len(items)} seeds", flush=True)


def run(target, seconds, jobs):
    art = os.path.join(ROOT, "fuzz", "artifacts", target)
    os.makedirs(art, exist_ok=True)
    before = set(os.listdir(art))
    cmd = ["cargo", "+nightly", "fuzz", "run", "--fuzz-dir", os.path.join(ROOT, "fuzz"), target,
           os.path.join(CORPUS, target), "--", f"-max_total_time={seconds}", f"-max_len={MAX_LEN}",
           "-timeout=25", "-rss_limit_mb=2560", "-print_final_stats=1", f"-jobs={jobs}",
           f"-workers={jobs}"] if jobs > 1 else \
          ["cargo", "+nightly", "fuzz", "run", "--fuzz-dir", os.path.join(ROOT, "fuzz"), target,
           os.path.join(CORPUS, target), "--", f"-max_total_time={seconds}", f"-max_len={MAX_LEN}",
           "-timeout=25", "-rss_limit_mb=2560", "-print_final_stats=1"]
    t = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    log = p.stdout + p.stderr
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
    new = sorted(set(os.listdir(art)) - before)
    status = "ok" if p.returncode == 0 and not new else "CRASH"
    print(f"fuzz: {target}: {status}, {sum(map(int, runs)) if runs else '?'} executions in "
          f"{time.time() - t:.0f} s{'; new artifacts: ' + ', '.join(new) if new else ''}", flush=True)
    if status != "ok":
        print("\n".join(log.splitlines()[-60:]), file=sys.stderr)
    return status == "ok"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("targets", nargs="*", default=TARGETS)
    a = ap.parse_args()
    write_corpora()
    subprocess.run(["cargo", "+nightly", "fuzz", "build", "--fuzz-dir", os.path.join(ROOT, "fuzz")],
                   cwd=ROOT, check=True)
    if a.build_only:
        return
    ok = [run(t, a.seconds, a.jobs) for t in a.targets]
    if not all(ok):
        sys.exit("fuzz: a target crashed (see above)")


if __name__ == "__main__":
    main()

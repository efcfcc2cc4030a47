#!/usr/bin/env python3
"""The measuring half of bench/compare.sh (which builds iamkit and installs the peers first; run
that, not this). Generates the inputs (bench/gen_inputs.py), times each row of issue 13's targets
table for iamkit and each peer on the same inputs, prints the table (ratio first, then the
absolute figures and the target), saves everything to target/bench-peers/results/, and with
--readme rewrites README.md's "Measured" table between its markers.

    python3 bench/compare.py --root . --scratch target/bench-peers [--quick] [--reps N]
        [--status FILE] [--readme README.md]
    python3 bench/compare.py --render RESULTS.json --readme FILE   re-render a saved run only

Conventions:
- A figure is the median of --reps runs; a run slower than `slow` seconds is not repeated, and a
  run longer than its timeout is stopped and reported as "> T s (timed out)".
- CLI rows time the whole process (start, reading, writing): what a user waits for. In-process
  rows time the loop only, inside the driver (bench/rust/*.rs, bench/*.mjs, bench/py_peers.py).
- ratio = the peer's time / iamkit's (or iamkit's throughput / the peer's): above 1, iamkit is
  that many times faster.
- Anything unavailable (a peer not installed, a driver that did not build, a crash) is "n/a" with
  the reason, and the run goes on; a timeout is "> T s (timed out)". The exit status is 1 when one
  of iamkit's own figures is n/a (the harness or iamkit broke), else 0, whatever the targets.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pathlib
import platform
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field

BENCH = pathlib.Path(__file__).resolve().parent
AS_OF = "2026-11-20T08:00:00Z"  # the audit's instant: the same findings on every run


class NA(Exception):
    """Something a row needs is unavailable; the message is the reason."""


# --- running and timing commands ------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    rc: int
    timed_out: bool
    rss_kb: int | None
    stdout: str
    stderr: str
    cpu_s: float | None = None  # user + system time (with `rss`, from /usr/bin/time)


def run(cmd: list[str], timeout: float, *, stdout_path: pathlib.Path | None = None, rss=False,
        capture=False, cwd: pathlib.Path | None = None, env: dict | None = None) -> Run:
    """Runs `cmd` once, timing it with a monotonic clock around the process's whole life. With
    `rss`, under `/usr/bin/time -v` for its peak resident memory. The process group is killed at
    `timeout`."""
    rss_file = None
    if rss:
        if not os.path.exists("/usr/bin/time"):
            raise NA("no /usr/bin/time for peak memory")
        rss_file = tempfile.NamedTemporaryFile(prefix="bench-time-", delete=False)
        cmd = ["/usr/bin/time", "-v", "-o", rss_file.name] + cmd
    out = open(stdout_path, "wb") if stdout_path else (subprocess.PIPE if capture else subprocess.DEVNULL)
    try:
        t = time.perf_counter()
        try:
            p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=cwd, start_new_session=True,
                                 env=None if env is None else {**os.environ, **env})
        except OSError as e:  # the program is missing or not executable
            raise NA(f"cannot run {cmd[0]}: {e.strerror}") from e
        try:
            so, se = p.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            so, se = p.communicate()
            timed_out = True
        seconds = time.perf_counter() - t
    finally:
        if stdout_path:
            out.close()
    rss_kb = None
    if rss_file:
        text = pathlib.Path(rss_file.name).read_text(errors="replace")
        os.unlink(rss_file.name)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        rss_kb = int(m.group(1)) if m else None
        cpu = [float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)]
        cpu_s = sum(cpu) if len(cpu) == 2 else None
    else:
        cpu_s = None
    return Run(seconds, p.returncode, timed_out, rss_kb,
               (so or b"").decode(errors="replace"), (se or b"").decode(errors="replace"), cpu_s)


@dataclass
class Timing:
    seconds: float | None  # the median; None when the first run timed out
    runs: list[float]
    timeout: float
    timed_out: bool = False
    rss_kb: int | None = None
    rc: int = 0
    stderr: str = ""
    cpu_s: float | None = None  # the median user + system time, when measured

    def text(self) -> str:
        if self.timed_out and not self.runs:
            return f"> {fmt_s(self.timeout)} (timed out)"
        return fmt_s(self.seconds)


def timed(cmd: list[str], reps: int, timeout: float, slow: float, *, ok_rc=(0, 1), **kw) -> Timing:
    """`reps` runs (fewer when one is slower than `slow`), the median kept. A crash (an exit code
    not in ok_rc) is n/a with its stderr."""
    runs, rss, cpu = [], [], []
    tm = Timing(None, runs, timeout)
    for _ in range(reps):
        r = run(cmd, timeout, **kw)
        if r.timed_out:
            tm.timed_out = True
            break
        if r.rc not in ok_rc:
            raise NA(f"exit {r.rc}: {' '.join(r.stderr.split())[:240]}")
        runs.append(r.seconds)
        tm.rc, tm.stderr = r.rc, r.stderr
        if r.rss_kb is not None:
            rss.append(r.rss_kb)
        if r.cpu_s is not None:
            cpu.append(r.cpu_s)
        if r.seconds > slow:
            break
    if runs:
        tm.seconds = statistics.median(runs)
    tm.rss_kb = max(rss) if rss else None
    tm.cpu_s = statistics.median(cpu) if cpu else None
    return tm


def json_of(cmd: list[str], timeout: float, what: str) -> dict:
    """Runs a driver that prints one JSON line last; n/a when it fails or times out."""
    r = run(cmd, timeout, capture=True)
    if r.timed_out:
        raise NA(f"{what} timed out after {fmt_s(timeout)}")
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    if r.rc != 0 or not lines:
        raise NA(f"{what} failed (exit {r.rc}): {' '.join(r.stderr.split())[:240]}")
    return json.loads(lines[-1])


# --- formatting -----------------------------------------------------------------------------------

def fmt_s(s: float | None) -> str:
    if s is None:
        return "n/a"
    if s >= 10:
        return f"{s:.0f} s"
    if s >= 1:
        return f"{s:.1f} s"
    if s >= 0.1:
        return f"{s * 1e3:.0f} ms"
    if s >= 0.001:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_rate(r: float | None, unit="/s") -> str:
    if r is None:
        return "n/a"
    if r >= 1e6:
        return f"{r / 1e6:.2f} M{unit}"
    if r >= 1e3:
        return f"{r / 1e3:.0f} k{unit}"
    return f"{r:.0f}{unit}"


def fmt_bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def fmt_ratio(r: float | None) -> str:
    """iamkit's speed-up over a peer: '12×' faster, or '0.42× (2.4× slower)'."""
    if r is None:
        return "n/a"
    if r >= 1:
        return f"{r:.1f}×" if r < 100 else f"{r:.0f}×"
    return f"{r:.2f}× ({1 / r:.1f}× slower)"


def ratio(peer_time: float | None, iamkit_time: float | None) -> float | None:
    if not peer_time or not iamkit_time:
        return None
    return peer_time / iamkit_time


# --- results --------------------------------------------------------------------------------------

@dataclass
class Line:
    """One comparison: iamkit's figure beside one peer's (or beside the target alone)."""
    row: int  # the row of issue 13's targets table
    work: str
    ratio: str
    iamkit: str
    peer: str  # "name: figure", or "—"
    target: str
    meets: bool | None  # None: cannot tell (n/a)
    note: str = ""


@dataclass
class Report:
    header: dict
    lines: list[Line] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # printed under the table
    footnotes: list[str] = field(default_factory=list)  # printed, and written under the README table
    raw: dict = field(default_factory=dict)

    def add(self, *a, **kw):
        self.lines.append(Line(*a, **kw))


class Bench:
    def __init__(self, args):
        self.args = args
        self.root = pathlib.Path(args.root).resolve()
        self.scratch = pathlib.Path(args.scratch).resolve()
        self.quick = args.quick
        self.reps = args.reps
        self.cli = self.root / "target/release/iamkit"
        rust = self.scratch / "rust-target/release"
        self.iamkit_driver = rust / "iamkit-driver"
        self.iamrs_driver = rust / "iamrs-driver"
        self.venv_py = self.scratch / "venv/bin/python"
        self.peers_node = self.scratch / "node"
        self.results = self.scratch / "results"
        self.results.mkdir(parents=True, exist_ok=True)
        self.inputs = self.scratch / ("inputs-quick" if self.quick else "inputs")
        self.unavailable = {}
        if args.status and os.path.exists(args.status):
            for line in pathlib.Path(args.status).read_text().splitlines():
                if "\t" in line:
                    k, v = line.split("\t", 1)
                    self.unavailable[k] = v
        # timeouts (seconds) and the "slow" threshold past which a timing is not repeated
        self.slow = 2.0 if self.quick else 20.0
        self.timeout = 120.0 if self.quick else 300.0
        self.eval_timeout = 120.0 if self.quick else 240.0
        self.adversarial_timeout = 5.0 if self.quick else 10.0

    def need(self, name: str, path: pathlib.Path | None = None):
        """n/a when compare.sh recorded `name` as unavailable, or its program is missing."""
        if name in self.unavailable:
            raise NA(self.unavailable[name])
        if path is not None and not path.exists():
            raise NA(f"{path} is missing")

    # -- setup --

    def generate(self) -> dict:
        """The inputs, regenerated only when bench/gen_inputs.py changed (they are deterministic)."""
        gen = BENCH / "gen_inputs.py"
        stamp = hashlib.sha256(gen.read_bytes()).hexdigest()[:16]
        manifest = self.inputs / "manifest.json"
        stamp_file = self.inputs / "generator.stamp"
        if not (manifest.exists() and stamp_file.exists() and stamp_file.read_text() == stamp):
            cmd = [sys.executable, str(gen), str(self.inputs)] + (["--quick"] if self.quick else [])
            subprocess.run(cmd, check=True, stdout=sys.stderr)
            stamp_file.write_text(stamp)
        return json.loads(manifest.read_text())

    def header(self) -> dict:
        cpu = "unknown CPU"
        try:
            for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        git = lambda *a: subprocess.run(["git", *a], cwd=self.root, capture_output=True, text=True).stdout.strip()  # noqa: E731
        versions = {"python": platform.python_version()}
        try:
            versions.update(json_of(["node", str(BENCH / "peer_simulate.mjs"), str(self.peers_node), "versions"], 60, "versions"))
        except NA:
            pass
        if self.args.iam_rs_version:
            versions["iam-rs"] = self.args.iam_rs_version
        if self.venv_py.exists():
            r = run([str(self.venv_py), "-c", "import pandas; print(pandas.__version__)"], 60, capture=True)
            if r.rc == 0:
                versions["pandas"] = r.stdout.strip()
        pm = self.scratch / "pmapper-venv/bin/python"
        if pm.exists():
            r = run([str(pm), "-c", "import importlib.metadata as m; print(m.version('principalmapper'), "
                     "m.version('moto'))"], 60, capture=True)
            if r.rc == 0 and len(r.stdout.split()) == 2:
                versions["pmapper"], versions["moto"] = r.stdout.split()
        r = run(["rustc", "--version"], 30, capture=True)
        versions["rustc"] = r.stdout.split()[1] if r.rc == 0 and r.stdout else None
        return {
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpu": cpu, "nproc": os.cpu_count(), "load": os.getloadavg()[0],
            "commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no", "--", "crates", "python", "node",
                              "Cargo.lock")),
            "quick": self.quick, "reps": self.reps, "versions": versions,
        }

    # -- the rows --

    def row1_cli_eval(self, rep: Report, m: dict):
        n = m["cases"]["cases"]
        cases = self.inputs / "cases.jsonl"
        work = f"CLI: {n:,} random cases in one JSON-lines file (`iamkit eval FILE`), vs iam-simulate"
        target = "≥ 50×"
        ours_out = self.results / "row1-iamkit.jsonl"
        theirs_out = self.results / "row1-iam-simulate.txt"
        ours, ours_na = self.attempt(lambda: timed([str(self.cli), "eval", str(cases)], self.reps, self.eval_timeout,
                                                   self.slow, stdout_path=ours_out))

        def peer():  # the whole node process is timed, as the CLI's is
            self.need("iam-simulate")
            return timed(["node", str(BENCH / "peer_simulate.mjs"), str(self.peers_node), "eval", str(cases),
                          str(theirs_out)], self.reps, self.timeout, self.slow, ok_rc=(0,), capture=True)

        theirs, theirs_na = self.attempt(peer)
        rep.raw["row1"] = {"iamkit": ours.__dict__ if ours else ours_na,
                           "iam-simulate": theirs.__dict__ if theirs else theirs_na}
        peer_text = f"iam-simulate: {theirs.text()}" if theirs else f"iam-simulate: n/a ({theirs_na})"
        if ours is None:
            rep.add(1, work, "n/a", f"n/a ({ours_na})", peer_text, target, None)
        elif ours.timed_out:  # at most the peer's time over the timeout
            shown = f"< {theirs.seconds / ours.timeout:.2f}×" if theirs and theirs.seconds else "n/a"
            rep.add(1, work, shown, ours.text(), peer_text, target, False)
        else:
            r = ratio(theirs.seconds, ours.seconds) if theirs else None
            rep.add(1, work, fmt_ratio(r), ours.text(), peer_text, target, None if r is None else r >= 50)
        if ours is not None and theirs is not None and theirs.seconds:
            self.row1_differences(rep, cases, ours, ours_out, theirs_out, n)

    def iamkit_decisions(self, cases: pathlib.Path, ours: Timing, ours_out: pathlib.Path) -> list[str]:
        """iamkit's decision per case: from the timed run's output, or (when it timed out) from the
        same cases split into files of 100, which the CLI reads in one process."""
        if ours.timed_out or not ours.runs:
            chunks = self.inputs / "cases-chunks"
            chunks.mkdir(exist_ok=True)
            lines = cases.read_text().splitlines()
            files = []
            for i in range(0, len(lines), 100):
                f = chunks / f"{i // 100:05d}.jsonl"
                f.write_text("\n".join(lines[i:i + 100]) + "\n")
                files.append(str(f))
            r = run([str(self.cli), "eval", *files], self.timeout, stdout_path=ours_out)
            if r.timed_out or r.rc not in (0, 1):
                raise NA("iamkit's decisions could not be had (the chunked run failed too)")
        out = []
        for line in ours_out.read_text().splitlines():
            if not line.startswith("{"):
                continue
            d = json.loads(line)
            if "error" in d:
                out.append(f"error: {d['error'].get('code')} {d['error'].get('message', '')}")
            elif "decision" in d:
                out.append(d["decision"])
        return out

    def row1_differences(self, rep: Report, cases, ours: Timing, ours_out, theirs_out, n: int):
        """How many cases the two evaluators decide differently (a fast wrong answer is no win);
        the first 50 are saved with both answers for a look."""
        try:
            a = self.iamkit_decisions(cases, ours, ours_out)
        except NA as e:
            rep.footnotes.append(f"iamkit vs iam-simulate decisions: n/a ({e})")
            return
        b = theirs_out.read_text().splitlines()
        if len(a) != n or len(b) != n:
            rep.footnotes.append(f"iamkit vs iam-simulate decisions: n/a (answers: {len(a)} and {len(b)} of {n})")
            return
        lines = cases.read_text().splitlines()
        kinds: dict[str, int] = {}
        diffs = []
        for i, (x, y) in enumerate(zip(a, b)):
            kx, ky = x.split(":")[0], y.split(":")[0]
            if kx != ky:
                k = f"iamkit {kx} / iam-simulate {ky}"
                kinds[k] = kinds.get(k, 0) + 1
                if len(diffs) < 50:
                    diffs.append({"line": i + 1, "iamkit": x, "iam-simulate": y, "case": json.loads(lines[i])})
        (self.results / "row1-differences.jsonl").write_text("".join(json.dumps(d) + "\n" for d in diffs))
        errors = sum(1 for x in a if x.startswith("error")), sum(1 for y in b if y.startswith("error"))
        total = sum(kinds.values())
        rep.raw["row1.differences"] = {"count": total, "kinds": kinds, "errors": errors}
        text = (f"iamkit and iam-simulate decide {total:,} of the {n:,} random cases differently"
                + (": " + "; ".join(f"{k}: {v:,}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])) if kinds else "")
                + f" (errors: iamkit {errors[0]:,}, iam-simulate {errors[1]:,})")
        rep.footnotes.append(text)
        if total:
            rep.details.append(f"row 1: the first {len(diffs)} differences, with both answers: "
                               "target/bench-peers/results/row1-differences.jsonl")

    def attempt(self, fn):
        """(fn's value, None), or (None, the reason) when it is n/a: each side of a row is measured
        on its own, so a peer that is missing leaves iamkit's figure, and the other way round."""
        try:
            return fn(), None
        except NA as e:
            return None, str(e)

    def driver(self, which: str, *args: str, what: str) -> dict:
        name, path = {"iamkit": ("iamkit-rust", self.iamkit_driver), "iam-rs": ("iam-rs", self.iamrs_driver)}[which]
        self.need(name, path)
        return json_of([str(path), *args], self.timeout, what)

    def add_pair(self, rep: Report, row: int, work: str, target: str, threshold: float, peer: str,
                 ours, ours_na, theirs, theirs_na, value, shown, higher_is_faster: bool):
        """One line: iamkit's figure, the peer's, and the ratio (n/a sides with their reason)."""
        r = None
        if ours is not None and theirs is not None:
            a, b = value(ours), value(theirs)
            r = (a / b if higher_is_faster else b / a) if a and b else None
        rep.add(row, work, fmt_ratio(r),
                shown(ours) if ours is not None else f"n/a ({ours_na})",
                f"{peer}: " + (shown(theirs) if theirs is not None else f"n/a ({theirs_na})"),
                target, None if r is None else r >= threshold)

    def row2_parse_decide(self, rep: Report, m: dict):
        cases = self.inputs / "cases-identity.jsonl"
        n = m["cases"]["identityOnly"]
        ours_out, theirs_out = self.results / "row2-iamkit.txt", self.results / "row2-iam-rs.txt"
        ours, ours_na = self.attempt(lambda: self.driver("iamkit", "cases", str(cases), str(self.reps), str(ours_out),
                                                         what="the iamkit driver"))
        theirs, theirs_na = self.attempt(lambda: self.driver("iam-rs", "cases", str(cases), str(self.reps), str(theirs_out),
                                                             what="the iam-rs driver"))
        rep.raw["row2"] = {"iamkit": ours, "iam-rs": theirs}
        self.add_pair(rep, 2, f"in process, {n:,} identity-only cases, parse + decide, vs iam-rs", "≥ 2×", 2, "iam-rs",
                      ours, ours_na, theirs, theirs_na, lambda x: x["perSecond"],
                      lambda x: fmt_rate(x["perSecond"], " cases/s"), True)
        if theirs is None:
            return
        v, v_na = self.attempt(lambda: self.driver("iam-rs", "cases", str(cases), str(self.reps), "--validate",
                                                   what="the iam-rs driver"))
        rep.details.append("row 2: iam-rs with its validator (Validate::is_valid) on each policy, as iamkit always "
                           "validates: " + (f"{fmt_rate(v['perSecond'], ' cases/s')}"
                                            + (f" (iamkit {fmt_ratio(ours['perSecond'] / v['perSecond'])})" if ours else "")
                                            if v else f"n/a ({v_na})"))
        if ours is not None:
            self.compare_lists(rep, "iam-rs", ours_out, theirs_out, n, "identity-only cases", cases)

    def compare_lists(self, rep: Report, peer: str, ours: pathlib.Path, theirs: pathlib.Path, n: int, what: str,
                      cases: pathlib.Path):
        """Counts the cases decided differently; the first 50 are saved with both answers."""
        a, b = ours.read_text().split(), theirs.read_text().split()
        if len(a) != n or len(b) != n:
            rep.footnotes.append(f"iamkit vs {peer} decisions: n/a ({len(a)} and {len(b)} answers of {n})")
            return
        kinds: dict[str, int] = {}
        lines = cases.read_text().splitlines()
        examples = []
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                k = f"iamkit {x} / {peer} {y}"
                kinds[k] = kinds.get(k, 0) + 1
                if len(examples) < 50:
                    examples.append({"line": i + 1, "iamkit": x, peer: y, "case": json.loads(lines[i])})
        saved = self.results / f"differences-{peer}.jsonl"
        saved.write_text("".join(json.dumps(e) + "\n" for e in examples))
        total = sum(kinds.values())
        rep.raw[f"differences.{peer}"] = kinds
        rep.footnotes.append(f"iamkit and {peer} decide {total:,} of the {n:,} {what} differently"
                             + (": " + "; ".join(f"{k}: {v:,}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])) if kinds else ""))
        if examples:
            rep.details.append(f"the first {len(examples)} cases iamkit and {peer} decide differently, with both "
                               f"answers: target/bench-peers/results/{saved.name}")

    def row3_prepared(self, rep: Report, m: dict):
        cases = self.inputs / "cases-identity.jsonl"
        args = ["prepared", str(cases), str(max(self.reps, 3)), "0.2" if self.quick else "1.0"]
        ours, ours_na = self.attempt(lambda: self.driver("iamkit", *args, what="the iamkit driver"))
        theirs, theirs_na = self.attempt(lambda: self.driver("iam-rs", *args, what="the iam-rs driver"))
        rep.raw["row3"] = {"iamkit": ours, "iam-rs": theirs}
        self.add_pair(rep, 3, f"in process, prepared decide ({m['cases']['identityOnly']:,} identity-only cases, "
                      "policies and request parsed once), vs iam-rs", "≥ 10×", 10, "iam-rs",
                      ours, ours_na, theirs, theirs_na, lambda x: x["perSecond"],
                      lambda x: fmt_rate(x["perSecond"], " decisions/s"), True)

    def row4_validate(self, rep: Report, m: dict):
        if "managed" not in m:
            rep.add(4, "validate the AWS managed policies, vs iam-simulate's parser (iam-policy)", "n/a",
                    "n/a (../shared/data/managed-policies is missing)", "iam-policy: n/a", "≥ 5×", None)
            return
        docs, reps = m["managed"]["file"], str(max(self.reps, 3))

        def peer():
            self.need("iam-simulate")
            return json_of(["node", str(BENCH / "peer_simulate.mjs"), str(self.peers_node), "validate", docs, reps],
                           self.timeout, "iam-policy")

        ours, ours_na = self.attempt(lambda: self.driver("iamkit", "validate", docs, reps, what="the iamkit driver"))
        theirs, theirs_na = self.attempt(peer)
        rep.raw["row4"] = {"iamkit": ours, "iam-policy": theirs}
        self.add_pair(rep, 4, f"validate all {m['managed']['policies']:,} AWS managed policies (in process), vs "
                      "iam-simulate's parser (iam-policy)", "≥ 5×", 5, "iam-policy", ours, ours_na, theirs, theirs_na,
                      lambda x: x["seconds"], lambda x: fmt_s(x["seconds"]), False)
        counts = [f"{who} {x['valid']:,} of {x['policies']:,}" for who, x in (("iamkit", ours), ("iam-policy", theirs)) if x]
        if counts:
            rep.details.append("row 4: valid as identity policies: " + ", ".join(counts)
                               + " (iam-policy: validateIdentityPolicy, then loadPolicy for a valid one)")

        def node():
            self.need("iamkit-node")
            return json_of(["node", "--expose-gc", str(BENCH / "node_iamkit.mjs"), "validate", docs, reps], self.timeout,
                           "iamkit from Node")

        got, na = self.attempt(node)
        rep.details.append("row 4: iamkit from Node (validatePolicy of each text), beside iam-policy in the same "
                           "runtime: " + (f"{fmt_s(got['seconds'])}"
                                          + (f" ({fmt_ratio(ratio(theirs['seconds'], got['seconds']))})" if theirs else "")
                                          if got else f"n/a ({na})"))

    def row5_adversarial(self, rep: Report, m: dict, biggest_summary: tuple[str, Timing] | None):
        work = "any input under 1 MB through any command (issue 13's adversarial families)"
        results = []  # (seconds or inf, label)
        for entry in m["adversarial"]:
            for cmd in entry["commands"]:
                label = f"iamkit {cmd[0]}{' ' + cmd[1] if cmd[0] == 'account' else ''} on {pathlib.Path(entry['file']).name} ({fmt_bytes(entry['bytes'])})"
                try:
                    t = timed([str(self.cli), *cmd], self.reps, self.adversarial_timeout, 1.0, ok_rc=(0, 1, 2))
                    results.append((float("inf") if t.timed_out else t.seconds, label, t.text()))
                    if t.rc == 2:
                        results[-1] = (results[-1][0], label + " [exit 2: refused]", t.text())
                except NA as e:
                    results.append((float("nan"), label + f" [crashed: {e}]", "n/a"))
        if biggest_summary:
            label, t = biggest_summary
            results.append((float("inf") if t.timed_out else t.seconds, label, t.text()))
        rep.raw["row5"] = [{"label": lbl, "seconds": s if s == s and s != float("inf") else None, "shown": txt}
                           for s, lbl, txt in results]
        crashed = [lbl for s, lbl, _ in results if s != s]  # NaN: crashed
        finished = [(s, lbl, txt) for s, lbl, txt in results if s == s]  # inf: timed out
        if not finished:
            rep.add(5, work, "n/a", "n/a", "—", "< 100 ms", None)
            return
        # the target is for inputs under 1 MB: the largest account's summary (row 6's, 10 MB) is
        # listed below but not judged here
        judged = [r for r in finished if not (biggest_summary and r[1] == biggest_summary[0])] or finished
        slowest = max(judged, key=lambda x: x[0])
        finished = judged
        over = sum(1 for s, _, _ in finished if s >= 0.1)
        stopped = sum(1 for s, _, _ in finished if s == float("inf"))
        meets = slowest[0] < 0.1 and not crashed
        rep.add(5, work, f"slowest: {slowest[1]}", slowest[2], "—", "< 100 ms", meets,
                note=f"{over} of {len(results)} command runs at 100 ms or more"
                + (f", {stopped} stopped at {fmt_s(self.adversarial_timeout)}" if stopped else "")
                + (f", {len(crashed)} crashed" if crashed else ""))
        rep.details.append("row 5, every command on the adversarial families (`?` runs, long literals, `*a*a…`, "
                           "never-holding Deny statements, 200×200 permissions patterns, the largest account's "
                           "summary), slowest first:")
        for s, lbl, txt in sorted(results, key=lambda x: -(x[0] if x[0] == x[0] else float("inf"))):
            rep.details.append(f"    {txt:>22}  {lbl}")

    def row6_summary(self, rep: Report, m: dict) -> tuple[str, Timing] | None:
        sizes = sorted(m["accounts"], key=int)
        small, big = sizes[0], sizes[-1]
        work = f"`iamkit account summary` of {int(big):,} principals; growth from {int(small):,} to {int(big):,}"
        t = {}
        for p in (small, big):
            acct = m["accounts"][p]
            try:
                t[p] = timed([str(self.cli), "account", "summary", acct["file"], "--format", "json"],
                             self.reps, self.timeout, self.slow)
            except NA as e:
                rep.add(6, work, "n/a", f"n/a ({e})", "—", "< 1 s; ≤ 11×", None)
                return None
        rep.raw["row6"] = {p: t[p].__dict__ for p in t}
        a, b = t[small], t[big]
        growth = b.seconds / a.seconds if (a.seconds and b.seconds) else None
        shown = f"growth {growth:.1f}×" if growth else "n/a"
        if b.timed_out:
            meets = False
        else:
            meets = None if growth is None else (growth <= 11 and b.seconds < 1)
        rep.add(6, work, shown, f"{a.text()} / {b.text()}", "—", "< 1 s; ≤ 11×", meets,
                note=f"inputs {fmt_bytes(m['accounts'][small]['bytes'])} / {fmt_bytes(m['accounts'][big]['bytes'])}")
        label = f"iamkit account summary on account-{big}.json ({fmt_bytes(m['accounts'][big]['bytes'])}; row 6's run)"
        return label, b

    def row7_audit(self, rep: Report, m: dict):
        report = m["report"]
        users, size = report["users"], report["bytes"]
        py = str(self.venv_py if self.venv_py.exists() else sys.executable)
        rss = "time" not in self.unavailable and os.path.exists("/usr/bin/time")  # else no memory figure
        peak = lambda t: fmt_bytes(t.rss_kb * 1024) if t.rss_kb else "n/a"  # noqa: E731
        target = "≥ 5×; memory ≤ 4× the report"
        dictreader, dictreader_na = self.attempt(lambda: timed(
            [py, str(BENCH / "py_peers.py"), "dictreader", report["file"]], self.reps, self.timeout, self.slow,
            ok_rc=(0,), rss=rss))
        rep.raw["row7.dictreader"] = dictreader.__dict__ if dictreader else dictreader_na

        def pandas():
            self.need("pandas")
            return timed([py, str(BENCH / "py_peers.py"), "pandas-read", report["file"]], self.reps, self.timeout,
                         self.slow, ok_rc=(0,), rss=rss)

        pd, pd_na = self.attempt(pandas)
        for fmt in ("json", "sarif"):
            work = (f"`iamkit audit` of a {users:,}-user credential report ({fmt_bytes(size)}) as {fmt.upper()}, "
                    "vs Python csv.DictReader reading it")
            ours, ours_na = self.attempt(lambda: timed(
                [str(self.cli), "audit", "--credential-report", report["file"], "--as-of", AS_OF, "--format", fmt],
                self.reps, self.timeout, self.slow, rss=rss))
            rep.raw[f"row7.{fmt}"] = ours.__dict__ if ours else ours_na
            mem = ours.rss_kb * 1024 / size if ours and ours.rss_kb else None
            figure = (f"{ours.text()}, peak {peak(ours)}" + (f" ({mem:.1f}× the report)" if mem else "")
                      if ours else f"n/a ({ours_na})")
            peer = (f"csv.DictReader: {dictreader.text()}, peak {peak(dictreader)}" if dictreader
                    else f"csv.DictReader: n/a ({dictreader_na})")
            if ours and ours.timed_out:
                rep.add(7, work, "n/a (iamkit timed out)", figure, peer, target, False)
                continue
            r = ratio(dictreader.seconds, ours.seconds) if ours and dictreader else None
            meets = None if r is None or mem is None else (r >= 5 and mem <= 4)
            rep.add(7, work, fmt_ratio(r) + (f"; memory {mem:.1f}× the report" if mem else "; memory n/a"), figure,
                    peer, target, meets)
            if ours and pd and pd.seconds:
                rep.details.append(f"row 7 ({fmt}): vs pandas.read_csv {pd.text()} (peak {peak(pd)}): "
                                   f"{fmt_ratio(ratio(pd.seconds, ours.seconds))}")
        if pd is None:
            rep.details.append(f"row 7: pandas.read_csv: n/a ({pd_na})")

    def row8_typed(self, rep: Report, m: dict):
        report = m["report"]
        reps = str(max(self.reps, 3))
        target = "≥ 10×"

        def python():  # without the venv, the system's Python still gives the csv baseline
            py = self.venv_py if self.venv_py.exists() else pathlib.Path(sys.executable)
            return json_of([str(py), str(BENCH / "py_peers.py"), "typed", report["file"], reps],
                           self.timeout, "bench/py_peers.py typed")

        def node():
            self.need("iamkit-node")
            return json_of(["node", "--expose-gc", str(BENCH / "node_iamkit.mjs"), "report", report["file"], reps], self.timeout,
                           "iamkit from Node")

        py, py_na = self.attempt(python)
        nd, nd_na = self.attempt(node)
        rep.raw["row8"] = {"python": py, "node": nd}
        base = (py or {}).get("dictreaderDatetime")
        base_na = py_na or (py or {}).get("dictreaderDatetimeError")
        ours_py = (py or {}).get("iamkit") if "iamkit-python" not in self.unavailable else None
        ours_py_na = self.unavailable.get("iamkit-python") or py_na or (py or {}).get("iamkitError")
        for work, ours, ours_na in [
            (f"the {report['users']:,}-user report parsed into typed rows from Python "
             "(`iamkit.parse_credential_report`), vs csv.DictReader + datetime", ours_py, ours_py_na),
            ("the same from Node (`parseCredentialReport`), vs csv.DictReader + datetime (Python)", nd, nd_na),
        ]:
            self.add_pair(rep, 8, work, target, 10, "csv.DictReader + datetime", ours, ours_na, base, base_na,
                          lambda x: x["seconds"], lambda x: fmt_s(x["seconds"]), False)
        pdx = (py or {}).get("pandas")
        if pdx:
            rep.details.append(f"row 8: pandas.read_csv + to_datetime of the date columns: {fmt_s(pdx['seconds'])}"
                               + (f"; iamkit from Python {fmt_ratio(ratio(pdx['seconds'], ours_py['seconds']))}"
                                  if ours_py else ""))
        else:
            rep.details.append(f"row 8: pandas: n/a ({self.unavailable.get('pandas') or (py or {}).get('pandasError') or py_na})")

    def row9_overhead(self, rep: Report):
        """The bindings' per-call time (bench/bench.py and bench/bench.mjs, --per-call: the best of
        five runs of 200,000 calls) minus Rust's, timed the same way by the iamkit driver."""
        target = "≤ 1.5 µs"
        rust, rust_na = self.attempt(lambda: [self.driver("iamkit", "fixture", str(BENCH / "fixture.json"),
                                                          what="the iamkit driver") for _ in range(self.reps)])
        rd = statistics.median(x["decideMicros"] for x in rust) if rust else None
        re_ = statistics.median(x["evaluateMicros"] for x in rust) if rust else None
        rep.raw["row9.rust"] = {"decide": rd, "evaluate": re_} if rust else rust_na
        for lang, cmd, pats, need in [
            ("Python", [str(self.venv_py), str(BENCH / "bench.py"), "--per-call"],
             (r"^python PolicySet\.decide\(dict\): ([\d.]+) µs", r"^python PolicySet\.evaluate\(dict\): ([\d.]+) µs"),
             "iamkit-python"),
            ("Node", ["node", str(BENCH / "bench.mjs"), "--per-call"],
             (r"^node PolicySet\.decide\(object\): ([\d.]+) µs", r"^node PolicySet\.evaluate\(object\): ([\d.]+) µs"),
             "iamkit-node"),
        ]:
            work = f"{lang} per-call overhead over Rust on the shared fixture (`decide` / `evaluate`)"

            def binding():
                self.need(need)
                got = []
                for _ in range(self.reps):
                    r = run(cmd, self.timeout, capture=True, cwd=self.root)
                    if r.timed_out:
                        raise NA(f"{cmd[1]} timed out after {fmt_s(self.timeout)}")
                    if r.rc != 0:
                        raise NA(f"{cmd[1]} failed (exit {r.rc}): {' '.join(r.stderr.split())[:200]}")
                    vals = []
                    for p in pats:
                        mm = re.search(p, r.stdout, re.M)
                        if not mm:
                            raise NA(f"{cmd[1]} printed no line matching {p}")
                        vals.append(float(mm.group(1)))
                    got.append(vals)
                return statistics.median(g[0] for g in got), statistics.median(g[1] for g in got)

            fig, na = self.attempt(binding)
            rep.raw[f"row9.{lang}"] = fig or na
            if fig is None:
                rep.add(9, work, "n/a", f"{lang}: n/a ({na})", "—", target, None)
            elif rd is None:
                rep.add(9, work, "n/a", f"{lang} {fig[0]:.2f} / {fig[1]:.2f} µs; Rust n/a ({rust_na})", "—", target, None)
            else:
                od, oe = fig[0] - rd, fig[1] - re_
                rep.add(9, work, f"+{od:.2f} / +{oe:.2f} µs",
                        f"{lang} {fig[0]:.2f} / {fig[1]:.2f} µs; Rust {rd:.2f} / {re_:.2f} µs", "—", target,
                        max(od, oe) <= 1.5)

    def row10_escalations(self, rep: Report, m: dict):
        """Issue 15: the escalation analysis of the iam-vulnerable lab as moto_server returns it (PMapper
        reads an account only through the AWS API: `pmapper graph create`, which also gathers the
        data, a few percent of its time), and of the generated 15,000-principal account."""
        big = max(m["accounts"], key=int)
        acct = m["accounts"][big]
        work = f"`iamkit account escalations` of {int(big):,} principals (generated)"
        try:
            t = timed([str(self.cli), "account", "escalations", acct["file"], "--format", "json"], self.reps,
                      self.timeout, self.slow, ok_rc=(0,), rss=os.path.exists("/usr/bin/time"))
            rep.raw["row10.generated"] = t.__dict__
            mb = t.rss_kb / 1024 if t.rss_kb else None
            rep.add(10, work, "—", f"{t.text()}, peak {fmt_bytes(t.rss_kb * 1024) if t.rss_kb else 'n/a'}", "—",
                    "≤ 2 s; ≤ 500 MB", None if t.seconds is None or mb is None else (t.seconds <= 2 and mb <= 500))
        except NA as e:
            rep.add(10, work, "n/a", f"n/a ({e})", "—", "≤ 2 s; ≤ 500 MB", None)
        lab = self.root.parent / "shared/data/authorization-details/cloudsplaining-example.json"
        pm = self.scratch / "pmapper-venv/bin"
        work = "`iamkit account escalations` of the iam-vulnerable lab as moto_server returns it, vs `pmapper graph create`"
        try:
            self.need("pmapper", pm / "pmapper")
            if not lab.exists():
                raise NA(f"{lab} is missing")
            port = 5000 + os.getpid() % 1000
            endpoint = f"http://127.0.0.1:{port}"
            server = subprocess.Popen([str(pm / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                      env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"})
            try:
                for _ in range(100):
                    try:
                        urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)
                        break
                    except OSError:
                        time.sleep(0.2)
                export = self.results / "lab-from-moto.json"
                r = run([str(pm / "python"), str(BENCH / "pmapper_load.py"), str(lab), "200611803367", endpoint,
                         str(export)], self.timeout, capture=True)
                if r.rc != 0:
                    raise NA(f"loading the lab into moto failed: {' '.join(r.stderr.split())[-240:]}")
                principals = int(r.stdout.strip() or 0)
                ours, ours_na = self.attempt(lambda: timed(
                    [str(self.cli), "account", "escalations", str(export), "--format", "json"], self.reps,
                    self.timeout, self.slow, ok_rc=(0,)))
                env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "XDG_DATA_HOME": str(self.scratch / "pmapper-data"),
                       "PYTHONPATH": str(BENCH / "pmapper_shim")}
                theirs, theirs_na = self.attempt(lambda: timed(
                    [str(pm / "pmapper"), "graph", "create", "--include-regions", "us-east-1"], 1,
                    self.timeout * 3, self.slow, ok_rc=(0,), env=env))
            finally:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            rep.raw["row10.lab"] = {"principals": principals, "iamkit": ours.__dict__ if ours else ours_na,
                                    "pmapper": theirs.__dict__ if theirs else theirs_na}
            self.add_pair(rep, 10, work.replace("lab", f"lab ({principals} principals)"), "—", 0, "PMapper",
                          ours, ours_na, theirs, theirs_na, lambda x: x.seconds, lambda x: x.text(), False)
            rep.lines[-1].meets = None
        except NA as e:
            rep.add(10, work, "n/a", "n/a", f"PMapper: n/a ({e})", "—", None)

    def row11_org(self, rep: Report):
        """Issue 17: `iamkit org audit` of a generated organization of 1,000 demo-like accounts (every
        250th broken; scripts/gen-demo-org.py), against `iamkit audit DIR` run once per account (a
        sample of 100 accounts, one after another), with its peak memory beside that of an
        organization a tenth the size."""
        work = ("`iamkit org audit` of 1,000 generated demo-like accounts (JSON lines), "
                "vs `iamkit audit DIR` once per account")
        target = "≥ 2× per account; ≥ 100 accounts/s per core; memory independent of the count"
        try:
            orgs = {}
            for n in (100, 1000):
                d = self.inputs / f"org-{n}"
                if not (d / "organization").is_dir():
                    r = run([sys.executable, str(self.root / "scripts/gen-demo-org.py"), str(d), "--accounts", str(n)],
                            self.timeout, capture=True)
                    if r.rc != 0:
                        raise NA(f"gen-demo-org.py failed: {' '.join(r.stderr.split())[-200:]}")
                orgs[n] = d
            out = self.results / "org-audit.jsonl"
            big = timed([str(self.cli), "org", "audit", str(orgs[1000]), "--format", "jsonl"], self.reps,
                        self.timeout, self.slow, ok_rc=(3,), rss=True, stdout_path=out)
            small = timed([str(self.cli), "org", "audit", str(orgs[100]), "--format", "jsonl"], self.reps,
                          self.timeout, self.slow, ok_rc=(3,), rss=True)
            sample = sorted(p for p in (orgs[1000] / "accounts").iterdir() if p.name.startswith("7"))[:100]
            # the children's CPU time, from the kernel's accounting (finer than /usr/bin/time's 10 ms)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = 0.0
            for acct in sample:
                r = run([str(self.cli), "audit", str(acct), "--format", "jsonl"], self.timeout)
                if r.rc not in (0, 1, 2):
                    raise NA(f"iamkit audit exit {r.rc}")
                wall += r.seconds
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            each, each_cpu = wall / len(sample), cpu / len(sample)
            rep.raw["row11"] = {"org1000": big.__dict__, "org100": small.__dict__, "perAccountSeconds": each,
                                "perAccountCpuSeconds": each_cpu}
            if big.seconds is None or big.cpu_s is None:
                raise NA("timed out, or no CPU time measured")
            ours = big.cpu_s / 1000  # CPU per account: the comparison does not depend on the cores
            per_core = 1000 / big.cpu_s
            grows = (big.rss_kb or 0) / max(small.rss_kb or 1, 1)
            met = ours * 2 <= each_cpu and per_core >= 100 and grows <= 1.5
            rep.add(11, work, f"{each_cpu / ours:.1f}× (CPU per account)",
                    f"{big.text()} on {os.cpu_count()} cores, {ours * 1000:.2f} ms CPU per account "
                    f"({per_core:,.0f} accounts/s per core), peak {fmt_bytes((big.rss_kb or 0) * 1024)} "
                    f"(100 accounts: {fmt_bytes((small.rss_kb or 0) * 1024)})",
                    f"`iamkit audit` once per account: {each_cpu * 1000:.2f} ms CPU ({each * 1000:.1f} ms) each",
                    target, met)
        except NA as e:
            rep.add(11, work, "n/a", f"n/a ({e})", "—", target, None)

    def run_all(self) -> Report:
        if not self.cli.exists():
            raise SystemExit(f"{self.cli} is missing: run bench/compare.sh, which builds it")
        m = self.generate()
        rep = Report(self.header())
        steps = [("1", lambda: self.row1_cli_eval(rep, m)), ("2", lambda: self.row2_parse_decide(rep, m)),
                 ("3", lambda: self.row3_prepared(rep, m)), ("4", lambda: self.row4_validate(rep, m))]
        big = {}
        steps += [("6", lambda: big.setdefault("t", self.row6_summary(rep, m))),
                  ("5", lambda: self.row5_adversarial(rep, m, big.get("t"))),
                  ("7", lambda: self.row7_audit(rep, m)), ("8", lambda: self.row8_typed(rep, m)),
                  ("9", lambda: self.row9_overhead(rep)), ("10", lambda: self.row10_escalations(rep, m)),
                  ("11", lambda: self.row11_org(rep))]
        for name, fn in steps:
            t = time.time()
            print(f"==> row {name}", file=sys.stderr, flush=True)
            try:
                fn()
            except Exception as e:  # never crash the run: a row that fails is n/a with the reason
                rep.add(int(name), f"row {name}", "n/a", f"n/a (the harness failed: {type(e).__name__}: {e})", "—", "—", None)
            print(f"    row {name}: {time.time() - t:.0f} s", file=sys.stderr, flush=True)
        rep.lines.sort(key=lambda l: l.row)  # stable: a row's lines keep their order
        return rep


# --- output ---------------------------------------------------------------------------------------

def peers_line(h: dict) -> str:
    v = h["versions"]
    parts = []
    if v.get("iam-simulate"):
        parts.append(f"@cloud-copilot/iam-simulate {v['iam-simulate']} (iam-policy {v.get('iam-policy')}, "
                     f"iam-data {v.get('iam-data')}) on Node {v.get('node')}")
    if v.get("iam-rs"):
        parts.append(f"iam-rs {v['iam-rs']} (rustc {v.get('rustc')})")
    parts.append(f"csv (Python {v.get('python')})" + (f", pandas {v['pandas']}" if v.get("pandas") else ""))
    if v.get("pmapper"):
        parts.append(f"PMapper {v['pmapper']} against moto_server {v.get('moto')}")
    return "; ".join(parts)


def machine_line(h: dict) -> str:
    return (f"{h['date']}; {h['cpu']}, nproc {h['nproc']}, load average {h['load']:.2f} at the start; "
            f"iamkit {h['commit']}{' with uncommitted changes' if h['dirty'] else ''}")


def mark(meets) -> str:
    return {True: "met", False: "NOT MET", None: "n/a"}[meets]


def print_report(rep: Report, out=sys.stdout):
    h = rep.header
    runs = f"the median of up to {h['reps']} runs" if h["reps"] > 1 else "one run"
    print(f"\niamkit beside its peers: bench/compare.sh ({'quick smoke run' if h['quick'] else 'full run'}, "
          f"each figure {runs})", file=out)
    print(f"machine: {machine_line(h)}", file=out)
    print(f"peers:   {peers_line(h)}\n", file=out)
    for l in rep.lines:
        print(f"row {l.row}: {l.work}", file=out)
        print(f"    ratio {l.ratio}  |  iamkit {l.iamkit}  |  {l.peer}  |  target {l.target}: {mark(l.meets)}"
              + (f"  ({l.note})" if l.note else ""), file=out)
    if rep.footnotes:
        print("\nsame answers?", file=out)
        for f in rep.footnotes:
            print(f"  - {f}", file=out)
    if rep.details:
        print("\ndetails:", file=out)
        for d in rep.details:
            print(f"  {d}", file=out)


def markdown(rep: Report) -> str:
    h = rep.header
    cell = lambda s: s.replace("|", "\\|")  # noqa: E731
    intro = (f"iamkit beside its peers, from one run on the same generated inputs. Regenerate this table "
             f"with `bash bench/compare.sh --readme` (it installs the peers at run time into "
             f"`target/bench-peers/`, never vendored). Last run: {machine_line(h)}; peers: "
             f"{peers_line(h)}. Ratios first (above 1×, iamkit is that many times faster): absolute "
             f"times differ between machines. "
             + (f"Each figure is the median of {h['reps']} runs (a run over 20 s is not repeated)."
                if h["reps"] > 1 else "Each figure is from one run."))
    out = textwrap.wrap(intro, 100, break_on_hyphens=False, break_long_words=False) + [
        "",
        "| work | ratio | iamkit | peer | target |",
        "|---|---|---|---|---|",
    ]
    for l in rep.lines:
        target = f"{l.target} ({mark(l.meets)})" if l.meets is not None else l.target
        out.append(f"| {cell(l.work)} | {cell(l.ratio)} | {cell(l.iamkit)} | {cell(l.peer)} | {cell(target)} |")
    if rep.footnotes:
        out.append("")
        for f in rep.footnotes:
            out += textwrap.wrap(f, 100, initial_indent="- ", subsequent_indent="  ", break_on_hyphens=False)
    return "\n".join(out)


START, END = "<!-- measured:start -->", "<!-- measured:end -->"


def rewrite_readme(path: pathlib.Path, rep: Report):
    text = path.read_text()
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise SystemExit(f"{path}: need exactly one {START} before one {END}")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{markdown(rep)}\n{END}{tail}")
    print(f"\nrewrote the Measured table in {path}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description="the measuring half of bench/compare.sh")
    ap.add_argument("--root", default=str(BENCH.parent))
    ap.add_argument("--scratch", default=str(BENCH.parent / "target/bench-peers"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--status")
    ap.add_argument("--iam-rs-version", default="")
    ap.add_argument("--readme", help="rewrite this README's Measured table")
    ap.add_argument("--render", help="render a saved results.json instead of measuring")
    args = ap.parse_args()
    if args.render:
        d = json.loads(pathlib.Path(args.render).read_text())
        rep = Report(d["header"], [Line(**x) for x in d["lines"]], d["details"], d["footnotes"], d.get("raw", {}))
    else:
        rep = Bench(args).run_all()
        saved = pathlib.Path(args.scratch) / "results" / ("results-quick.json" if args.quick else "results.json")
        saved.write_text(json.dumps({"header": rep.header, "lines": [l.__dict__ for l in rep.lines],
                                     "details": rep.details, "footnotes": rep.footnotes, "raw": rep.raw},
                                    indent=1, default=str))
        print(f"\nresults saved in {saved}", file=sys.stderr)
    print_report(rep)
    if args.readme and rep.header["quick"]:
        print("\nnot rewriting the README: a quick run's figures never go there", file=sys.stderr)
    elif args.readme:
        rewrite_readme(pathlib.Path(args.readme), rep)
    # a peer that is missing is only n/a; iamkit's own figure missing means the harness or iamkit
    # broke (a driver that no longer builds, a crash): exit 1, so a smoke run in CI notices
    broken = [f"row {x.row}: {x.iamkit}" for x in rep.lines if x.iamkit.startswith("n/a")]
    if broken:
        print("\niamkit's own figure is n/a in " + "; ".join(broken), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

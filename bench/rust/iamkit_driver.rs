//! iamkit's in-process figures for bench/compare.sh. compare.sh builds it in a scratch cargo project
//! under target/bench-peers/ that depends on the checkout's iamkit-core by path, with the
//! workspace's release profile (the one iamkit ships with). Every mode prints one JSON line.
//!
//! ```text
//! iamkit-driver cases FILE REPS [DECISIONS_OUT]   parse + decide each JSON-lines case; cases/s
//! iamkit-driver prepared FILE REPS MIN_SECONDS    policies and requests prepared once; decide timed
//! iamkit-driver validate DOCS REPS                parse and validate each document (one JSON text
//!                                                 a line) as an identity policy
//! iamkit-driver fixture FIXTURE                   per-call decide / evaluate on bench/fixture.json,
//!                                                 the best of five runs of 200,000 calls, as
//!                                                 bench/bench.py and bench/bench.mjs time them
//! ```
//!
//! Timings are wall-clock (`Instant`) around the loop only: the file is read and split into
//! lines before the clock starts. REPS runs; the median is reported.

use std::hint::black_box;
use std::time::Instant;

use iamkit_core::wire::{read, EvaluateInput};
use iamkit_core::{parse_policy, Decision, PolicySet, PolicyType, Request};

fn lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn fail(msg: &str) -> ! {
    eprintln!("iamkit-driver: {msg}");
    std::process::exit(2)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Parses one case line (`{"request", "policies"}`, the `evaluate` call's input) into a policy set
/// and a request, as the `evaluate` call does.
fn prepare(line: &str) -> Result<(PolicySet, Request), String> {
    let input: EvaluateInput<'_> = read(line).map_err(|e| e.to_string())?;
    let set = input
        .policies
        .compile(None, "$.policies")
        .map_err(|e| e.to_string())?;
    let req = input.request.into_request().map_err(|e| e.to_string())?;
    Ok((set, req))
}

fn name(d: Decision) -> &'static str {
    d.as_str()
}

/// Parse + decide every case, REPS times.
fn cases(file: &str, reps: usize, out: Option<&str>) {
    let lines = lines(file);
    let mut times = Vec::new();
    let mut answers: Vec<String> = Vec::new();
    for rep in 0..reps {
        let mut local = Vec::with_capacity(if rep == 0 { lines.len() } else { 0 });
        let t = Instant::now();
        for line in &lines {
            let answer = match prepare(line) {
                Ok((set, req)) => name(set.decide(&req)),
                Err(_) => "error",
            };
            if rep == 0 {
                local.push(answer);
            }
            black_box(answer);
        }
        times.push(t.elapsed().as_secs_f64());
        if rep == 0 {
            answers = local.into_iter().map(str::to_owned).collect();
        }
    }
    if let Some(out) = out {
        std::fs::write(out, answers.join("\n") + "\n")
            .unwrap_or_else(|e| fail(&format!("cannot write {out}: {e}")));
    }
    let errors = answers.iter().filter(|a| *a == "error").count();
    let seconds = median(times.clone());
    println!(
        "{}",
        serde_json::json!({"cases": lines.len(), "errors": errors, "seconds": seconds, "runs": times,
                           "perSecond": lines.len() as f64 / seconds})
    );
}

/// Prepared decide: every policy set and request built once, then `decide` over all cases, as
/// many rounds as fill MIN_SECONDS; REPS such runs.
fn prepared(file: &str, reps: usize, min_seconds: f64) {
    let prepared: Vec<(PolicySet, Request)> =
        lines(file).iter().filter_map(|l| prepare(l).ok()).collect();
    if prepared.is_empty() {
        fail("no case could be prepared");
    }
    let round = |n: usize| {
        let t = Instant::now();
        for _ in 0..n {
            for (set, req) in &prepared {
                black_box(set.decide(black_box(req)));
            }
        }
        t.elapsed().as_secs_f64()
    };
    let one = round(1).max(1e-9); // also the warm-up
    let rounds = ((min_seconds / one).ceil() as usize).max(1);
    let mut rates = Vec::new();
    for _ in 0..reps {
        rates.push((rounds * prepared.len()) as f64 / round(rounds));
    }
    println!(
        "{}",
        serde_json::json!({"cases": prepared.len(), "rounds": rounds, "perSecond": median(rates.clone()),
                           "runs": rates})
    );
}

/// Parse and validate each document as an identity policy.
fn validate(file: &str, reps: usize) {
    let docs = lines(file);
    let mut times = Vec::new();
    let mut valid = 0;
    for _ in 0..reps {
        valid = 0;
        let t = Instant::now();
        for d in &docs {
            if black_box(parse_policy(d, PolicyType::Identity)).is_valid() {
                valid += 1;
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    println!(
        "{}",
        serde_json::json!({"policies": docs.len(), "seconds": median(times.clone()), "runs": times,
                           "valid": valid, "invalid": docs.len() - valid})
    );
}

/// The best of five runs of `n` calls (after n/10 warm-up calls), in µs per call: the method of
/// bench/bench.py and bench/bench.mjs, so the bindings' overhead is a plain difference.
fn per_call(n: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..n / 10 {
        f();
    }
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed().as_secs_f64() / n as f64 * 1e6
        })
        .fold(f64::INFINITY, f64::min)
}

fn fixture(file: &str) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
    let fixture: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{file}: {e}")));
    let set = iamkit_core::wire::open_policy_set(&fixture["policies"].to_string())
        .unwrap_or_else(|e| fail(&format!("fixture policies: {e}")));
    let req = iamkit_core::wire::read_request(&fixture["request"].to_string())
        .unwrap_or_else(|e| fail(&format!("fixture request: {e}")));
    if set.decide(&req) != Decision::Allowed {
        fail("the fixture should be allowed");
    }
    let decide = per_call(200_000, || {
        black_box(set.decide(black_box(&req)));
    });
    let evaluate = per_call(200_000, || {
        black_box(set.evaluate(black_box(&req)));
    });
    println!(
        "{}",
        serde_json::json!({"decideMicros": decide, "evaluateMicros": evaluate})
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| -> &str {
        args.get(i).map(String::as_str).unwrap_or_else(|| {
            fail("missing argument (see the header of bench/rust/iamkit_driver.rs)")
        })
    };
    let num = |i: usize| -> f64 { arg(i).parse().unwrap_or_else(|_| fail("not a number")) };
    match arg(0) {
        "cases" => cases(arg(1), num(2) as usize, args.get(3).map(String::as_str)),
        "prepared" => prepared(arg(1), num(2) as usize, num(3)),
        "validate" => validate(arg(1), num(2) as usize),
        "fixture" => fixture(arg(1)),
        other => fail(&format!("unknown mode {other}")),
    }
}

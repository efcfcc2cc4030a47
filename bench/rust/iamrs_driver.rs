//! The Rust peer for bench/compare.sh: the `iam-rs` crate (crates.io), built in a scratch cargo
//! project under target/bench-peers/ that compare.sh writes (never vendored). It reads the same
//! JSON-lines cases as bench/rust/iamkit_driver.rs and prints one JSON line per mode:
//!
//! ```text
//! iamrs-driver cases FILE REPS [DECISIONS_OUT] [--validate]   parse + decide each case; cases/s
//! iamrs-driver prepared FILE REPS MIN_SECONDS                  policies parsed once; evaluate timed
//! ```
//!
//! iam-rs decides one flat list of policies (no SCP, boundary, resource-policy or cross-account
//! logic), so compare.sh gives it the identity-only cases. Its documented path is
//! `IAMPolicy::from_json` then `PolicyEvaluator::evaluate`, which does not validate the policy;
//! `--validate` also calls its validator (`Validate::is_valid`) on each policy, for a figure
//! closer to iamkit's (which always validates: it refuses an invalid policy).
//! Decisions map as Allow → allowed, Deny → explicitDeny, NotApplicable → implicitDeny.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use iam_rs::{
    Arn, Context, ContextValue, Decision, IAMPolicy, IAMRequest, PolicyEvaluator, Principal,
    PrincipalId, Validate,
};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A case line as the generator writes it: `{"request": {...}, "policies": {"identity": [...]}}`.
#[derive(Deserialize)]
struct Case<'a> {
    request: RequestIn,
    #[serde(borrow)]
    policies: PoliciesIn<'a>,
}

#[derive(Deserialize)]
struct PoliciesIn<'a> {
    /// Each identity policy as its raw JSON text, handed to `IAMPolicy::from_json`.
    #[serde(borrow, default)]
    identity: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestIn {
    principal: String,
    action: String,
    resource: String,
    #[serde(default)]
    context: BTreeMap<String, serde_json::Value>,
}

fn fail(msg: &str) -> ! {
    eprintln!("iamrs-driver: {msg}");
    std::process::exit(2)
}

fn lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// A context value as iam-rs types it. AWS's request context is text (`"true"`); iam-rs's `Bool`
/// operator matches only a `ContextValue::Boolean`, so `"true"` / `"false"` are given as booleans,
/// as a caller of iam-rs would type `aws:SecureTransport` (numbers and dates it reads from text).
fn context_value(v: &serde_json::Value) -> Option<ContextValue> {
    Some(match v {
        serde_json::Value::String(s) if s == "true" || s == "false" => {
            ContextValue::Boolean(s == "true")
        }
        serde_json::Value::String(s) => ContextValue::String(s.clone()),
        serde_json::Value::Bool(b) => ContextValue::Boolean(*b),
        serde_json::Value::Number(n) => ContextValue::Number(n.as_f64()?),
        serde_json::Value::Array(a) => ContextValue::StringList(
            a.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                .collect(),
        ),
        _ => return None,
    })
}

/// Parses one case into iam-rs's evaluator and request.
fn prepare(line: &str, validate: bool) -> Result<(PolicyEvaluator, IAMRequest), String> {
    let case: Case<'_> = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mut policies = Vec::with_capacity(case.policies.identity.len());
    for raw in &case.policies.identity {
        let p = IAMPolicy::from_json(raw.get()).map_err(|e| e.to_string())?;
        if validate && !p.is_valid() {
            return Err("invalid policy".into());
        }
        policies.push(p);
    }
    let r = case.request;
    let resource = Arn::parse(&r.resource).map_err(|e| format!("{e:?}"))?;
    let mut context = Context::new();
    for (k, v) in &r.context {
        if let Some(v) = context_value(v) {
            context.insert(k.clone(), v);
        }
    }
    let request = IAMRequest::new_with_context(
        Principal::Aws(PrincipalId::String(r.principal)),
        r.action,
        resource,
        context,
    );
    Ok((PolicyEvaluator::with_policies(policies), request))
}

fn name(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allowed",
        Decision::Deny => "explicitDeny",
        Decision::NotApplicable => "implicitDeny",
    }
}

fn decide(e: &PolicyEvaluator, r: &IAMRequest) -> &'static str {
    match e.evaluate(r) {
        Ok(result) => name(result.decision),
        Err(_) => "error",
    }
}

fn cases(file: &str, reps: usize, out: Option<&str>, validate: bool) {
    let lines = lines(file);
    let mut times = Vec::new();
    let mut answers: Vec<&'static str> = Vec::new();
    for rep in 0..reps {
        let mut local = Vec::with_capacity(lines.len());
        let t = Instant::now();
        for line in &lines {
            let answer = match prepare(line, validate) {
                Ok((e, r)) => decide(&e, &r),
                Err(_) => "error",
            };
            local.push(black_box(answer));
        }
        times.push(t.elapsed().as_secs_f64());
        if rep == 0 {
            answers = local;
        }
    }
    if let Some(out) = out {
        std::fs::write(out, answers.join("\n") + "\n")
            .unwrap_or_else(|e| fail(&format!("cannot write {out}: {e}")));
    }
    let errors = answers.iter().filter(|a| **a == "error").count();
    let seconds = median(times.clone());
    println!(
        "{}",
        serde_json::json!({"cases": lines.len(), "errors": errors, "seconds": seconds, "runs": times,
                           "perSecond": lines.len() as f64 / seconds})
    );
}

fn prepared(file: &str, reps: usize, min_seconds: f64) {
    let prepared: Vec<(PolicyEvaluator, IAMRequest)> = lines(file)
        .iter()
        .filter_map(|l| prepare(l, false).ok())
        .collect();
    if prepared.is_empty() {
        fail("no case could be prepared");
    }
    let round = |n: usize| {
        let t = Instant::now();
        for _ in 0..n {
            for (e, r) in &prepared {
                black_box(e.evaluate(black_box(r)).map(|x| x.decision).ok());
            }
        }
        t.elapsed().as_secs_f64()
    };
    let one = round(1).max(1e-9);
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let validate = args.iter().any(|a| a == "--validate");
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--validate")
        .collect();
    let arg = |i: usize| -> &str {
        args.get(i).copied().unwrap_or_else(|| {
            fail("missing argument (see the header of bench/rust/iamrs_driver.rs)")
        })
    };
    let num = |i: usize| -> f64 { arg(i).parse().unwrap_or_else(|_| fail("not a number")) };
    match arg(0) {
        "cases" => cases(arg(1), num(2) as usize, args.get(3).copied(), validate),
        "prepared" => prepared(arg(1), num(2) as usize, num(3)),
        other => fail(&format!("unknown mode {other}")),
    }
}

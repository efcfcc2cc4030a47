//! `iamkit eval` streams its case files: a JSON-lines file is answered line by line in bounded
//! memory, and the errors of its cases are located without indexing the whole file once per case
//! (the cost was quadratic in the cases of a file). Counted, never timed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use iamkit_cli::cases::{run_file, CaseResult, Outcome};

#[path = "../../iamkit-core/tests/common/identity_cases.rs"]
mod identity_cases;

/// A case whose identity policy has an error (`allow` for `Allow`), so that its answer needs a
/// line and a column.
fn failing_case(i: usize) -> String {
    format!(
        r#"{{"name":"bad {i}","request":{{"principal":"arn:aws:iam::111122223333:user/u{i}","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}},"policies":{{"identity":[{{"Version":"2012-10-17","Statement":[{{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}}]}}]}}}}"#
    )
}

fn run(text: &str) -> Vec<CaseResult> {
    let mut out = Vec::new();
    run_file(text.as_bytes(), "cases", |r| out.push(r)).unwrap();
    out
}

fn error_line(r: &CaseResult) -> (u32, u32) {
    match &r.outcome {
        Outcome::Failed { error } => {
            let l = error.location().expect("located");
            (l.line.unwrap(), l.column.unwrap())
        }
        Outcome::Decided { .. } => panic!("{} was decided", r.name),
    }
}

#[test]
fn errors_are_located_in_the_file() {
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&failing_case(i));
        text.push('\n');
    }
    let column = failing_case(0).find("\"allow\"").unwrap() as u32 + 1;
    let got: Vec<(u32, u32)> = run(&text).iter().map(error_line).collect();
    let want: Vec<(u32, u32)> = (1..=5).map(|l| (l, column)).collect();
    assert_eq!(got, want);

    // the same cases pretty-printed, one after another
    let mut pretty = String::from("\n");
    for i in 0..3 {
        let v: serde_json::Value = serde_json::from_str(&failing_case(i)).unwrap();
        pretty.push_str(&serde_json::to_string_pretty(&v).unwrap());
        pretty.push('\n');
    }
    let lines: Vec<&str> = pretty.lines().collect();
    let want: Vec<(u32, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.find("\"allow\"").map(|c| (i as u32 + 1, c as u32 + 1)))
        .collect();
    assert_eq!(
        run(&pretty).iter().map(error_line).collect::<Vec<_>>(),
        want
    );
}

#[test]
fn a_syntax_error_is_the_files_error_after_the_cases_before_it() {
    let text = format!(
        "{}\n{{\"name\": 1,,}}\n{}\n",
        failing_case(0),
        failing_case(1)
    );
    let mut answered = 0;
    let err = run_file(text.as_bytes(), "cases", |_| answered += 1).unwrap_err();
    assert_eq!(answered, 1);
    let l = err.location().unwrap();
    assert_eq!((l.line, l.column), (Some(2), Some(12)));
}

/// Line indexes built while answering: how many, and over how many bytes in all.
#[cfg(debug_assertions)]
fn indexing(text: &str) -> (usize, usize) {
    use iamkit_core::internals::line_index_builds::so_far;
    // the counter is per thread: answer every case on this one (a pool of one thread: this one)
    thread_local! {
        static POOL: rayon::ThreadPool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .unwrap();
    }
    let before = so_far();
    let answers = POOL.with(|pool| pool.install(|| run(text)));
    assert!(answers
        .iter()
        .all(|r| matches!(r.outcome, Outcome::Failed { .. })));
    let after = so_far();
    (after.0 - before.0, after.1 - before.1)
}

/// Every case of a file needs a location: the bytes indexed grow with the file (one line each),
/// not with cases × file.
#[cfg(debug_assertions)]
#[test]
fn locating_errors_indexes_each_line_once() {
    for n in [100, 200, 400, 800] {
        let text: String = (0..n).map(|i| failing_case(i) + "\n").collect();
        let (builds, bytes) = indexing(&text);
        assert!(builds <= n, "{n} cases: {builds} indexes built");
        assert!(
            bytes <= text.len(),
            "{n} cases: {bytes} bytes indexed for {}",
            text.len()
        );
        // an array of the same cases is indexed once
        let array = format!(
            "[\n{}\n]",
            (0..n).map(failing_case).collect::<Vec<_>>().join(",\n")
        );
        let (builds, bytes) = indexing(&array);
        assert_eq!(builds, 1, "{n} cases in an array");
        assert_eq!(bytes, array.len());
    }
}

/// Valid cases build no line index at all.
#[cfg(debug_assertions)]
#[test]
fn answering_valid_cases_indexes_nothing() {
    use iamkit_core::internals::line_index_builds::so_far;
    let cases = identity_cases::identity_cases(300, 7);
    let text: String = cases
        .iter()
        .enumerate()
        .map(|(i, c)| c.case_line(&format!("c{i}")) + "\n")
        .collect();
    let before = so_far();
    let answers = run(&text);
    assert_eq!(answers.len(), 300);
    assert_eq!(so_far(), before);
}

/// The peak resident memory of a running process (`VmHWM`), in kB; `None` off Linux.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A JSON-lines stream far larger than the memory it may take: the CLI answers it through a pipe
/// while its peak resident memory stays small. Cases are padded with a long `doc` so that the
/// stream is large while a debug build still answers it quickly; every tenth is a generated,
/// realistic one.
#[test]
fn a_large_stream_is_answered_in_bounded_memory() {
    if peak_kb(std::process::id()).is_none() {
        eprintln!("skipping: no /proc/PID/status here");
        return;
    }
    const CASES: usize = 20_000;
    let pad = "x".repeat(10_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamkit"))
        .args(["eval", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || BufReader::new(stdout).lines().count());
    let mut rng = identity_cases::Rng::new(200);
    let mut written = 0usize;
    let mut peak = 0;
    for i in 0..CASES {
        let line = if i % 10 == 0 {
            identity_cases::identity_case(&mut rng).case_line(&format!("case {i}"))
        } else {
            format!(
                r#"{{"name":"padded {i}","doc":"{pad}","request":{{"principal":"arn:aws:iam::111122223333:user/u","action":"s3:GetObject","resource":"arn:aws:s3:::b/k{i}"}}}}"#
            )
        };
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        written += line.len() + 1;
        if i % 1000 == 999 {
            peak = peak.max(peak_kb(pid).unwrap_or(0));
        }
    }
    stdin.flush().unwrap();
    // the pipe holds at most a few lines: the CLI has read nearly all of it by now
    peak = peak.max(peak_kb(pid).unwrap_or(0));
    drop(stdin);
    assert_eq!(reader.join().unwrap(), CASES);
    assert!(child.wait().unwrap().success());
    assert!(written > 180_000_000, "{written} bytes");
    eprintln!("peak resident memory {peak} kB for a stream of {written} bytes");
    // a reader holding the whole stream would peak above 180 MB
    assert!(
        peak < 48_000,
        "peak resident memory {peak} kB for a stream of {written} bytes"
    );
}

//! `iamkit eval`: the requests in case files. A file holds one case, a JSON array of cases, or
//! JSON lines; a case is `{"name"?, "doc"?, "request", "policies"?, "expected"?}` (the input of
//! the `evaluate` call, with a name and what it should give).

use std::io::BufRead;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use iamkit_core::wire::{EvaluateInput, Policies, Request, SourceText};
use iamkit_core::{Decision, EvalStep, Explanation};
use iamkit_core::{Error, ErrorCode};

/// One case of a case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case<'a> {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    #[allow(dead_code)] // documentation for readers of the file
    doc: Option<String>,
    request: Request,
    #[serde(default, borrow)]
    policies: Policies<'a>,
    #[serde(default)]
    expected: Option<Expected>,
}

/// What a case expects.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expected {
    /// The decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The step expected to deny.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied_by: Option<EvalStep>,
    /// The error expected instead of a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExpectedError>,
}

/// An expected error.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExpectedError {
    /// The code, e.g. `IAM_POLICY_JSON`.
    pub code: String,
}

/// The answer to one case: a decision with its explanation, or an error.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    /// Decided.
    Decided {
        /// The decision.
        decision: Decision,
        /// Why.
        explain: Explanation,
    },
    /// Could not be decided.
    Failed {
        /// What was wrong with the input.
        error: Error,
    },
}

/// One line of `iamkit eval` output.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// The case's name (or its position when unnamed).
    pub name: String,
    /// The answer.
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Whether the answer matched `expected` (absent when the case has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    /// What was expected, when it did not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
}

/// Reads the cases of one file and answers each as soon as it is read, in file order. A file whose
/// first non-blank character is `[` is an array of cases, read whole; any other is a run of JSON
/// values (JSON lines, or one case over many lines), read a line at a time: memory holds the
/// values of one line (or of the lines one value spans), whatever the file's size. Errors point at
/// lines and columns of the file, found only for an error. `path` names the file in messages.
///
/// Returns the file's own error (unreadable, or not JSON) after the answers to the cases before it.
pub fn run_file(
    reader: impl BufRead,
    path: &str,
    answer: impl FnMut(CaseResult),
) -> Result<(), Error> {
    run_file_with(reader, path, &|r| r, answer)
}

/// [`run_file`], with each answer first handed to `map` on the thread that decided it (render it
/// there, e.g. as JSON text, and the rendering runs on every core too); `answer` gets what `map`
/// returns, in file order.
pub fn run_file_with<T: Send>(
    mut reader: impl BufRead,
    path: &str,
    map: &(impl Fn(CaseResult) -> T + Sync),
    mut answer: impl FnMut(T),
) -> Result<(), Error> {
    let unreadable =
        |e: std::io::Error| Error::new(ErrorCode::Io, format!("cannot read `{path}`: {e}"));
    let mut values = Values::default();
    // whether the file is an array is known at its first non-blank line
    let mut kind_known = false;
    loop {
        let start = values.text.len();
        let eof = reader.read_line(&mut values.text).map_err(unreadable)? == 0;
        if !kind_known && !eof {
            let head = values.text.trim_start();
            if head.starts_with('[') {
                reader
                    .read_to_string(&mut values.text)
                    .map_err(unreadable)?;
                return run_array(&values.text, map, &mut answer);
            }
            kind_known = !head.is_empty();
        }
        if eof {
            return values.run(map, &mut answer);
        }
        // complete values are answered a batch at a time (on every core), in file order
        if values.line_read(start) && kind_known && values.batch_full() {
            values.run(map, &mut answer)?;
        }
    }
}

/// A file that is one array of cases.
fn run_array<T: Send>(
    text: &str,
    map: &(impl Fn(CaseResult) -> T + Sync),
    answer: &mut impl FnMut(T),
) -> Result<(), Error> {
    let raws: Vec<&RawValue> = iamkit_core::wire::read(text)?;
    let source = SourceText::new(text);
    answer_all(&raws, &source, 0, map, answer);
    Ok(())
}

/// How many cases are answered together at most (their answers are held until all are ready).
const PARALLEL_CHUNK: usize = 4096;

/// Fewer cases than this are answered on the calling thread (a thread pool costs more).
const PARALLEL_MIN: usize = 32;

/// Answers `raws` (the cases numbered from `first`), on every core when there are many, handing
/// the answers to `answer` in order.
fn answer_all<T: Send>(
    raws: &[&RawValue],
    source: &SourceText<'_>,
    first: usize,
    map: &(impl Fn(CaseResult) -> T + Sync),
    answer: &mut impl FnMut(T),
) {
    use rayon::prelude::*;
    if raws.len() < PARALLEL_MIN {
        for (i, raw) in raws.iter().enumerate() {
            answer(map(run_case(raw, source, first + i)));
        }
        return;
    }
    for (c, chunk) in raws.chunks(PARALLEL_CHUNK).enumerate() {
        let base = first + c * PARALLEL_CHUNK;
        let results: Vec<T> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, raw)| map(run_case(raw, source, base + i)))
            .collect();
        results.into_iter().for_each(&mut *answer);
    }
}

/// The lines of a run of JSON values read since the last complete value.
#[derive(Debug)]
struct Values {
    /// The lines.
    text: String,
    /// The number of their first line in the file.
    first_line: u64,
    /// How many lines `text` holds.
    lines: u64,
    /// The cases read before them.
    cases: usize,
    /// How deep the lines leave arrays and objects open (brackets outside strings).
    depth: i64,
    /// Past this size, lines that still leave a value open are parsed to see whether an error
    /// already shows (doubled at each look, so the looks cost as much as one parse).
    look_at: usize,
}

impl Default for Values {
    fn default() -> Self {
        Values {
            text: String::new(),
            first_line: 1,
            lines: 0,
            cases: 0,
            depth: 0,
            look_at: Values::FIRST_LOOK,
        }
    }
}

impl Values {
    const FIRST_LOOK: usize = 1 << 16;

    /// Takes in the line read at `text[start..]`; whether the values begun so far are complete
    /// (or malformed beyond doubt) at its end.
    fn line_read(&mut self, start: usize) -> bool {
        self.lines += 1;
        let bytes = &self.text.as_bytes()[start..];
        let mut in_string = false;
        let mut i = 0;
        while i < bytes.len() {
            if in_string {
                // most of a line is inside strings: jump to the next quote or backslash
                match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                    None => break,
                    Some(k) => {
                        i += k;
                        if bytes[i] == b'\\' {
                            i += 2;
                            continue;
                        }
                        in_string = false;
                    }
                }
            } else {
                match bytes[i] {
                    b'"' => in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => self.depth -= 1,
                    _ => {}
                }
            }
            i += 1;
        }
        // a string cannot hold a line break: a line that ends inside one is malformed, and
        // reading the values reports where
        if in_string || self.depth <= 0 {
            return true;
        }
        if self.text.len() >= self.look_at {
            self.look_at = self.text.len().saturating_mul(2);
            return self.shows_error();
        }
        false
    }

    /// Whether reading the lines already fails short of their end (a value left open fails only
    /// at the end).
    fn shows_error(&self) -> bool {
        serde_json::Deserializer::from_str(&self.text)
            .into_iter::<serde::de::IgnoredAny>()
            .any(|r| r.is_err_and(|e| !e.is_eof()))
    }

    /// Complete lines are kept until they hold this many bytes, then answered together: memory
    /// holds one batch (and its answers), whatever the file's size.
    const BATCH_BYTES: usize = 1 << 20;

    /// Whether the complete lines read so far make a batch.
    fn batch_full(&self) -> bool {
        self.depth <= 0 && self.text.len() >= Values::BATCH_BYTES
    }

    /// Answers the cases of the lines (in parallel when there are many), in order, and starts
    /// afresh after them.
    fn run<T: Send>(
        &mut self,
        map: &(impl Fn(CaseResult) -> T + Sync),
        answer: &mut impl FnMut(T),
    ) -> Result<(), Error> {
        let text = self.text.as_str();
        let source = SourceText::at_line(text, u32::try_from(self.first_line).unwrap_or(u32::MAX));
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
        let mut raws = Vec::new();
        let mut failure = None;
        loop {
            let start = stream.byte_offset();
            match stream.next() {
                None => break,
                Some(Ok(raw)) => raws.push(raw),
                // read the failing rest again as one value, for its location in the file
                Some(Err(_)) => {
                    let rest = &text[start..];
                    failure = Some(
                        iamkit_core::wire::read_in::<&RawValue>(rest, &source, "$")
                            .err()
                            .unwrap_or_else(|| Error::new(ErrorCode::InputJson, "not JSON")),
                    );
                    break;
                }
            }
        }
        answer_all(&raws, &source, self.cases, map, answer);
        self.cases += raws.len();
        if let Some(e) = failure {
            return Err(e);
        }
        self.first_line += self.lines;
        self.lines = 0;
        self.depth = 0;
        self.look_at = Values::FIRST_LOOK;
        self.text.clear();
        Ok(())
    }
}

/// Runs one raw case read from `source` (errors point at lines and columns of its file); `index`
/// is its position in the file, its name when it has none.
pub fn run_case(raw: &RawValue, source: &SourceText<'_>, index: usize) -> CaseResult {
    let fallback = format!("case {}", index + 1);
    let path = format!("$[{index}]");
    let case: Case<'_> = match iamkit_core::wire::read_in(raw.get(), source, &path) {
        Ok(c) => c,
        Err(error) => {
            let name = serde_json::from_str::<serde_json::Value>(raw.get())
                .ok()
                .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string))
                .unwrap_or(fallback);
            return CaseResult {
                name,
                outcome: Outcome::Failed { error },
                pass: Some(false),
                expected: None,
            };
        }
    };
    let name = case.name.unwrap_or(fallback);
    let input = EvaluateInput {
        request: case.request,
        policies: case.policies,
    };
    let outcome = match input.evaluate_within(Some(source), "$") {
        Ok(ev) => Outcome::Decided {
            decision: ev.decision,
            explain: ev.explain,
        },
        Err(error) => Outcome::Failed { error },
    };
    let (pass, expected) = match case.expected {
        None => (None, None),
        Some(exp) => {
            let ok = meets(&outcome, &exp);
            (Some(ok), (!ok).then_some(exp))
        }
    };
    CaseResult {
        name,
        outcome,
        pass,
        expected,
    }
}

/// Whether an outcome is what a case expects.
fn meets(outcome: &Outcome, exp: &Expected) -> bool {
    match outcome {
        Outcome::Decided { decision, explain } => {
            exp.error.is_none()
                && exp.decision.is_none_or(|d| d == *decision)
                && exp.denied_by.is_none_or(|s| Some(s) == explain.denied_by)
        }
        Outcome::Failed { error } => exp
            .error
            .as_ref()
            .is_some_and(|e| e.code == error.code().as_str()),
    }
}

//! The call stream every language answers, and the check of its answers.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::value::RawValue;
use serde_json::Value;

use crate::{matches, minify, Corpus, Mismatch};

/// How the stream is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The JSON lines of `iamkit_core::wire::Session` (what `iamkit calls` reads).
    Jsonl,
    /// Tab-separated, for C (which has no JSON reader): `open<TAB>H<TAB>KIND<TAB>INPUT` and
    /// `call<TAB>ID<TAB>H or -<TAB>NAME<TAB>INPUT`, every JSON value on one line.
    Tsv,
}

/// The stream for a corpus: its lines, and which cases it holds (cases whose shared sample is
/// missing are left out, unless the data is required).
#[derive(Debug, Clone, Default)]
struct Plan {
    lines: Vec<String>,
    emitted: Vec<usize>,
    skipped: Vec<String>,
}

fn plan(corpus: &Corpus, samples: &Path, format: Format, required: bool) -> Result<Plan, String> {
    let mut out = Plan::default();
    let mut handles: HashMap<String, String> = HashMap::new();
    let mut sample_text: HashMap<String, Option<String>> = HashMap::new();
    for (id, case) in corpus.cases.iter().enumerate() {
        let input = minify(case.input.get());
        let (kind, name) = case.target();
        let on = match kind {
            None => None,
            Some(kind) => {
                let with = case
                    .with
                    .as_ref()
                    .ok_or_else(|| format!("{}: a `{kind}` call needs `with`", case.origin))?;
                let open = match open_input(kind, with, samples, &mut sample_text) {
                    Ok(Some(open)) => open,
                    Ok(None) if !required => {
                        out.skipped.push(case.name.clone());
                        continue;
                    }
                    Ok(None) => {
                        return Err(format!(
                            "{}: the shared sample it names is missing under {}",
                            case.origin,
                            samples.display()
                        ))
                    }
                    Err(e) => return Err(format!("{}: {e}", case.origin)),
                };
                let key = format!("{kind}\t{open}");
                let next = format!("h{}", handles.len());
                let h = handles.entry(key).or_insert_with(|| next.clone()).clone();
                if h == next {
                    out.lines.push(match format {
                        Format::Jsonl => {
                            format!(r#"{{"open":"{h}","kind":"{kind}","input":{open}}}"#)
                        }
                        Format::Tsv => format!("open\t{h}\t{kind}\t{open}"),
                    });
                }
                Some(h)
            }
        };
        let name_json = serde_json::to_string(name).map_err(|e| e.to_string())?;
        out.lines.push(match (format, &on) {
            (Format::Jsonl, Some(h)) => {
                format!(r#"{{"id":{id},"on":"{h}","call":{name_json},"input":{input}}}"#)
            }
            (Format::Jsonl, None) => format!(r#"{{"id":{id},"call":{name_json},"input":{input}}}"#),
            (Format::Tsv, _) => format!(
                "call\t{id}\t{}\t{name}\t{input}",
                on.as_deref().unwrap_or("-")
            ),
        });
        out.emitted.push(id);
    }
    Ok(out)
}

/// The input that opens a handle: `with` as written, except that an account's `"sample": FILE` is
/// replaced by `"details"` holding that file (`None` when the file is missing), and an
/// organization's relative `"path"` is made absolute from the repository's root (every language
/// opens it from its own folder).
fn open_input(
    kind: &str,
    with: &RawValue,
    samples: &Path,
    cache: &mut HashMap<String, Option<String>>,
) -> Result<Option<String>, String> {
    if kind == "organization" {
        return Ok(Some(org_input(with)));
    }
    if kind != "account" {
        return Ok(Some(minify(with.get())));
    }
    // a `with` that is not an object (a case of a refused shape) is passed on as written
    if !with.get().starts_with('{') {
        return Ok(Some(minify(with.get())));
    }
    let members: BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(with.get()).map_err(|e| format!("`with` is not an object: {e}"))?;
    let Some(sample) = members.get("sample") else {
        return Ok(Some(minify(with.get())));
    };
    let file: String = serde_json::from_str(sample.get()).map_err(|e| format!("`sample`: {e}"))?;
    let details = cache
        .entry(file.clone())
        .or_insert_with(|| {
            std::fs::read_to_string(samples.join(&file)).ok().map(
                |text| match serde_json::from_str::<&RawValue>(&text) {
                    Ok(_) => minify(&text),
                    // pages written one after another: give the text as a string
                    Err(_) => serde_json::to_string(&text).unwrap_or_default(),
                },
            )
        })
        .clone();
    let Some(details) = details else {
        return Ok(None);
    };
    let mut open = format!(r#"{{"details":{details}"#);
    for (k, v) in &members {
        if k != "sample" {
            let _ = write!(
                open,
                ",{}:{}",
                serde_json::to_string(k).unwrap_or_default(),
                minify(v.get())
            );
        }
    }
    open.push('}');
    Ok(Some(open))
}

/// The stream for `corpus`, one line per element, and the names of the cases left out because
/// their shared sample is missing (an error instead when `required`).
pub fn emit(
    corpus: &Corpus,
    samples: &Path,
    format: Format,
    required: bool,
) -> Result<(Vec<String>, Vec<String>), String> {
    let p = plan(corpus, samples, format, required)?;
    Ok((p.lines, p.skipped))
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// Cases whose answer matched.
    pub passed: usize,
    /// Cases whose answer did not match, or had none: (case name, origin, why, the answer).
    pub failed: Vec<(String, String, String, String)>,
    /// Cases left out (missing shared sample).
    pub skipped: Vec<String>,
}

impl Checked {
    /// `LABEL: N passed, N failed[, N skipped]`, then one paragraph per failure.
    pub fn report(&self, label: &str) -> String {
        let mut s = String::new();
        for (name, origin, why, got) in &self.failed {
            let _ = writeln!(s, "FAIL {name} ({origin})\n    {why}\n    got: {got}");
        }
        let _ = write!(
            s,
            "{label}: {} passed, {} failed",
            self.passed,
            self.failed.len()
        );
        if !self.skipped.is_empty() {
            let _ = write!(
                s,
                ", {} skipped (shared sample missing)",
                self.skipped.len()
            );
        }
        s
    }

    /// Whether every case ran and matched (and at least one ran).
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.passed > 0
    }
}

/// Matches the answer lines (`{"id", "answer"}` or `{"id", "error"}`; `open` lines are ignored)
/// against the cases the stream held.
pub fn check(
    corpus: &Corpus,
    samples: &Path,
    answers: &str,
    required: bool,
) -> Result<Checked, String> {
    let p = plan(corpus, samples, Format::Jsonl, required)?;
    let mut got: HashMap<u64, Value> = HashMap::new();
    for (i, line) in answers.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut v: Value = serde_json::from_str(line)
            .map_err(|e| format!("answers line {}: not JSON: {e}", i + 1))?;
        let Some(obj) = v.as_object_mut() else {
            return Err(format!("answers line {}: not an object", i + 1));
        };
        if obj.contains_key("open") {
            continue;
        }
        let Some(id) = obj.remove("id").and_then(|x| x.as_u64()) else {
            return Err(format!("answers line {}: no numeric `id`: {line}", i + 1));
        };
        got.insert(id, v);
    }
    let mut out = Checked {
        skipped: p.skipped,
        ..Checked::default()
    };
    for id in p.emitted {
        let case = &corpus.cases[id];
        let outcome = got.get(&(id as u64));
        let verdict = match outcome {
            None => Err(Mismatch {
                path: "$".into(),
                why: "no answer".into(),
            }),
            Some(o) => matches(&case.expect, o),
        };
        match verdict {
            Ok(()) => out.passed += 1,
            Err(m) => out.failed.push((
                case.name.clone(),
                case.origin.clone(),
                m.to_string(),
                outcome.map_or_else(|| "nothing".into(), |o| truncate(&o.to_string())),
            )),
        }
    }
    Ok(out)
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 600 {
        format!("{}...", s.chars().take(600).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Runs the corpus in this process through `iamkit_core::wire::Session`, and checks it.
pub fn run_in_process(corpus: &Corpus, samples: &Path, required: bool) -> Result<Checked, String> {
    let (lines, _) = emit(corpus, samples, Format::Jsonl, required)?;
    let mut session = iamkit_core::wire::Session::new();
    let mut answers = String::new();
    for line in &lines {
        if let Some(a) = session.answer(line) {
            answers.push_str(&a);
            answers.push('\n');
        }
    }
    check(corpus, samples, &answers, required)
}

/// An organization's `with`, its relative `path` made absolute from the repository's root.
fn org_input(with: &RawValue) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(with.get()) else {
        return minify(with.get());
    };
    if let Some(Value::String(p)) = v.get_mut("path") {
        if Path::new(p.as_str()).is_relative() {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
            let root = root.canonicalize().unwrap_or(root);
            *p = root.join(p.as_str()).to_string_lossy().into_owned();
        }
    }
    v.to_string()
}

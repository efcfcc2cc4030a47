//! Reading the corpus: every `.jsonl` file under a directory, one case per line.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// One case. `with` and `input` are kept as written (numbers and escapes untouched).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique in the corpus.
    pub name: String,
    /// The documented rule or fact the case checks.
    #[serde(default)]
    pub doc: Option<String>,
    /// The call: `evaluate`, or `KIND.call` for a call on a handle (`account.whoCan`).
    pub call: String,
    /// What opens the handle (handle calls only); for an account, `"sample": "FILE"` names a file
    /// of the shared authorization details instead of giving `details`.
    #[serde(default)]
    pub with: Option<Box<RawValue>>,
    /// The call's input.
    pub input: Box<RawValue>,
    /// `{"answer": PATTERN}` or `{"error": PATTERN}`.
    pub expect: Value,
    /// The file and line it was read from.
    #[serde(skip)]
    pub origin: String,
}

impl Case {
    /// The handle kind and the call's name in its table (`("account", "whoCan")`), or `None` and
    /// the name for a call without a handle.
    pub fn target(&self) -> (Option<&str>, &str) {
        match self.call.split_once('.') {
            Some((kind, name)) => (Some(kind), name),
            None => (None, self.call.as_str()),
        }
    }
}

/// The cases of a corpus, in file order then line order.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// The cases.
    pub cases: Vec<Case>,
}

impl Corpus {
    /// How many cases each area (the first directory under the corpus root) holds.
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for c in &self.cases {
            let area = c.origin.split('/').next().unwrap_or("").to_string();
            match out.iter_mut().find(|(a, _)| *a == area) {
                Some((_, n)) => *n += 1,
                None => out.push((area, 1)),
            }
        }
        out
    }
}

/// Reads every `.jsonl` file under `dir`. Refuses an empty corpus, a line that is not a case, and
/// a name used twice.
pub fn read_corpus(dir: &Path) -> Result<Corpus, String> {
    let mut files = Vec::new();
    collect(dir, &mut files).map_err(|e| format!("{}: {e}", dir.display()))?;
    files.sort();
    let mut cases = Vec::new();
    let mut names = HashSet::new();
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let rel = f
            .strip_prefix(dir)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut case: Case = serde_json::from_str(line)
                .map_err(|e| format!("{rel}:{}: not a case: {e}", i + 1))?;
            case.origin = format!("{rel}:{}", i + 1);
            if !names.insert(case.name.clone()) {
                return Err(format!(
                    "{}: the name {:?} is used twice",
                    case.origin, case.name
                ));
            }
            cases.push(case);
        }
    }
    if cases.is_empty() {
        return Err(format!("no case under {}", dir.display()));
    }
    Ok(Corpus { cases })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "jsonl") {
            out.push(p);
        }
    }
    Ok(())
}

//! The core's modules form layers: each imports only modules below it, so there is no import
//! circle and `eval` knows nothing of `wire`, `inputs` nothing of `account` or `audit`, `catalog`
//! nothing of `eval` (the evaluator asks it which actions act on no resource type). Read from the
//! sources: every `crate::MODULE` a module's files name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. `internals` (benches and fuzzers only) may reach anything.
const LAYERS: &[&str] = &[
    "error", "strict", "json", "limits", "wildcard", "arn", "policy", "catalog", "eval", "inputs",
    "account", "audit", "org", "wire",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a module's files name as `crate::MODULE` (comments left out).
fn imports(src: &Path, module: &str) -> BTreeSet<String> {
    let mut files = Vec::new();
    let dir = src.join(module);
    if dir.is_dir() {
        rust_files(&dir, &mut files);
    }
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let mut out = BTreeSet::new();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if name != module && LAYERS.contains(&name.as_str()) {
                    out.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn each_module_imports_only_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (i, module) in LAYERS.iter().enumerate() {
        for dep in imports(&src, module) {
            let below = LAYERS[..i].contains(&dep.as_str());
            if !below {
                wrong.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken: {}", wrong.join("; "));
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if matches!(name.as_str(), "lib" | "internals") {
            continue;
        }
        assert!(
            LAYERS.contains(&name.as_str()),
            "module `{name}` has no layer in tests/layers.rs"
        );
    }
}

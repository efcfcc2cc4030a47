//! iamkit's conformance harness. The cases in `tests/cases/` are data: one JSON object per line,
//! `{"name", "doc"?, "call", "with"?, "input", "expect"}` (the format is in `tests/README.md`).
//! This crate is their only reader and holds their only matcher:
//!
//! - [`emit`] turns the corpus into the JSON-lines call stream of `iamkit_core::wire::Session`
//!   (handles opened once, samples read from `../shared/data`), or tab-separated lines for C;
//! - every language answers the stream through its own binding, line for line;
//! - [`check`] matches the answers against each case's `expect`.
//!
//! So a language's runner is a loop of a few lines, and a new case runs everywhere at once.

#![allow(clippy::missing_errors_doc)]

mod corpus;
mod matcher;
mod minify;
mod stream;

pub use corpus::{read_corpus, Case, Corpus};
pub use matcher::{matches, Mismatch};
pub use minify::minify;
pub use stream::{check, emit, run_in_process, Checked, Format};

use std::path::PathBuf;

/// The workspace's `tests/cases` directory.
pub fn cases_dir() -> PathBuf {
    workspace().join("tests/cases")
}

/// The shared samples of authorization details: `$IAMKIT_SHARED_DATA/authorization-details`, by
/// default `../shared/data/authorization-details` beside the workspace.
pub fn samples_dir() -> PathBuf {
    std::env::var_os("IAMKIT_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/data"))
        .join("authorization-details")
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether missing shared data must fail (under CI) rather than skip.
pub fn shared_data_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

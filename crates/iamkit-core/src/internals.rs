//! Not part of iamkit's API: internals that iamkit's own benches and fuzz targets reach. Anything
//! here may change in any release.

pub use crate::account::sample::generated_account;
pub use crate::eval::request::Principal;
/// How many line indexes this thread built (debug builds): for tests that show error locations
/// cost no indexing of a whole file per case.
#[cfg(debug_assertions)]
pub use crate::json::builds as line_index_builds;
pub use crate::json::{minify, parse as parse_json, LineIndex, MAX_DEPTH};
pub use crate::wildcard::{Glob, NoVars};

/// The limits' check of a wire input (size, then nesting depth), as `wire::read` runs it before
/// parsing.
pub fn check_input_limits(text: &str) -> crate::Result<()> {
    crate::limits::check(
        text,
        "the input",
        crate::limits::MAX_INPUT_BYTES,
        crate::limits::MAX_INPUT_DEPTH,
    )
}

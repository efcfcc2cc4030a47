//! Not part of iamkit's API: internals that iamkit's own benches and fuzz targets reach. Anything
//! here may change in any release.

pub use crate::eval::request::Principal;
pub use crate::json::{parse as parse_json, LineIndex, MAX_DEPTH};
pub use crate::wildcard::{Glob, NoVars};

//! The iamkit command line's case runner (`iamkit eval`), as a library for the CLI's own benches
//! and tests.

pub mod cases;

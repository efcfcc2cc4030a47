#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
pub mod arn;
pub mod audit;
pub mod catalog;
pub mod error;
pub mod eval;
pub mod inputs;
pub mod json;
pub mod policy;
pub mod wildcard;
pub mod wire;

pub use account::{Account, AccountQuery};
pub use error::{Diagnostic, Error, ErrorCode, Location, Result, Severity};
pub use eval::{Decision, EvalStep, Evaluation, PolicySet, Request};
pub use policy::{parse_policy, Policy, PolicyType};

/// The version of iamkit (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
mod arn;
pub mod audit;
pub mod catalog;
mod error;
mod eval;
pub mod inputs;
#[doc(hidden)]
pub mod internals;
mod json;
pub mod limits;
pub mod org;
pub mod policy;
mod strict;
mod wildcard;
pub mod wire;

pub use account::{Account, AccountQuery, LoadOptions};
pub use error::{
    Diagnostic, Error, ErrorCode, FindingCode, LintCode, Location, Result, Severity, UnknownCode,
};
pub use eval::{
    ContextValue, Decision, EvalStep, Evaluation, Explanation, MatchedStatement, MissingKey,
    PolicySet, Request, RequestBuilder, StepOutcomeName, StepResult, Witness,
};
pub use policy::{parse_policy, ParsedPolicy, Policy, PolicyType};

/// The version of iamkit (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

//! The IAM policy language: the document model, the parser and validator, and condition
//! operators.

pub(crate) mod condition;
mod model;
pub(crate) mod parse;

pub use model::{
    CondValue, CondValueKind, ConditionBlock, Effect, ListElement, OneOrMany, Policy, PolicyType,
    PrincipalElement, PrincipalKind, PrincipalValue, Statement,
};
pub use parse::{parse_policy, ParsedPolicy};
pub(crate) use parse::{parse_policy_at, parse_policy_errors_only, Origin};

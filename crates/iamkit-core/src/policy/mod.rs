//! The IAM policy language: the document model, the parser and validator, and condition
//! operators.

pub mod condition;
pub mod model;
pub mod parse;

pub use model::{
    CondValue, CondValueKind, ConditionBlock, Effect, ListElement, OneOrMany, Policy, PolicyType,
    PrincipalElement, PrincipalKind, PrincipalValue, Statement,
};
pub use parse::{parse_policy, parse_policy_at, Origin, ParsedPolicy};

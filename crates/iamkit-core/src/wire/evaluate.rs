//! Deciding requests: the `evaluate` and `validate` calls, and the calls on a policy set.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{json_error, Context, Document, Policies};
use crate::error::{Diagnostic, Error, Location, Result};
use crate::eval::{Decision, Evaluation, PolicySet};
use crate::json::SourceText;
use crate::policy::{parse_policy_at, Origin, PolicyType};

/// A request: who asks to do what on which resource, in which context.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Request {
    /// An IAM user, role or assumed-role session ARN, the account root, a federated user, a
    /// service principal (`ec2.amazonaws.com`), an identity provider, or `anonymous`.
    pub principal: String,
    /// `service:Action`, matched case-insensitively.
    pub action: String,
    /// An ARN, or `*` for actions without resource-level permissions; a text holding `*` or `?`
    /// (`*`, `arn:aws:s3:::logs/*`) is a pattern: is the action allowed on some resource it
    /// covers?
    pub resource: String,
    /// The resource's account, when its ARN does not name it (S3 buckets and objects).
    #[serde(default)]
    pub resource_account: Option<String>,
    /// The resource is one resource even when it holds `*` or `?` (an S3 key with those
    /// characters), not a pattern.
    #[serde(default)]
    pub literal_resource: bool,
    /// Condition keys and their values.
    #[serde(default)]
    pub context: Context,
}

impl Request {
    /// Types the request (`path` is its JSON path, for errors in its context).
    pub fn into_request_at(self, path: &str) -> Result<crate::eval::Request> {
        let mut b = crate::eval::Request::builder(self.principal, self.action, self.resource)
            .context_capacity(self.context.0.len());
        if let Some(a) = self.resource_account {
            b = b.resource_account(a);
        }
        if self.literal_resource {
            b = b.literal_resource();
        }
        let mut b = Some(b);
        self.context.for_each_typed(
            || format!("{path}.context"),
            |k, vals, multi| b = b.take().map(|b| b.context_values(&k, vals, multi)),
        )?;
        match b {
            Some(b) => b.build(),
            None => Err(crate::error::Error::new(
                crate::error::ErrorCode::Internal,
                "the request builder was lost",
            )),
        }
    }

    /// Types the request.
    pub fn into_request(self) -> Result<crate::eval::Request> {
        self.into_request_at("$")
    }
}

/// The input of `evaluate`: a request and the policies that bear on it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluateInput<'a> {
    /// The request.
    pub request: Request,
    /// The policies.
    #[serde(default, borrow)]
    pub policies: Policies<'a>,
}

impl EvaluateInput<'_> {
    /// Compiles the policies and decides the request; `text` is the JSON text the input was read
    /// from, `path` the input's JSON path in it (`$`).
    pub fn evaluate_in(self, text: Option<&str>, path: &str) -> Result<Evaluation> {
        self.evaluate_within(text.map(SourceText::new).as_ref(), path)
    }

    /// [`EvaluateInput::evaluate_in`] for an input read from `source` (a file, or a line of one):
    /// errors point at lines and columns of its file, computed only for an error.
    pub fn evaluate_within(
        self,
        source: Option<&SourceText<'_>>,
        path: &str,
    ) -> Result<Evaluation> {
        let set = self
            .policies
            .compile_in(source, &format!("{path}.policies"))?;
        let req = self.request.into_request_at(&format!("{path}.request"))?;
        Ok(set.evaluate(&req))
    }
}

pub(super) fn evaluate(_: (), input: EvaluateInput<'_>, text: &str) -> Result<Evaluation> {
    input.evaluate_in(Some(text), "$")
}

/// The input of `validate`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ValidateInput<'a> {
    /// The policy document. Written as a JSON object, its diagnostics point at lines and columns
    /// of the input; written as a string, at lines and columns of the string's text.
    #[serde(borrow)]
    pub policy: Document<'a>,
    /// The policy type (default `identity`).
    #[serde(default, rename = "type")]
    pub policy_type: PolicyType,
}

/// The result of validating a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Validation {
    /// No error-severity diagnostic.
    pub valid: bool,
    /// Every diagnostic, errors and warnings, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validation {
    /// Validates a policy text as `ty`.
    pub fn of(text: &str, ty: PolicyType) -> Validation {
        Validation::at(text, ty, Origin::default())
    }

    fn at(text: &str, ty: PolicyType, origin: Origin<'_>) -> Validation {
        let parsed = parse_policy_at(text, ty, origin);
        Validation {
            valid: parsed.is_valid(),
            diagnostics: parsed.diagnostics,
        }
    }
}

pub(super) fn validate(_: (), input: ValidateInput<'_>, text: &str) -> Result<Validation> {
    let body = input.policy.text()?;
    if input.policy.is_text() {
        return Ok(Validation::of(&body, input.policy_type));
    }
    let source = SourceText::new(text);
    let enclosing = source.offset_of(&body).map(|o| (&source, o));
    Ok(Validation::at(
        &body,
        input.policy_type,
        Origin {
            path: "$",
            enclosing,
        },
    ))
}

/// The answer to `decide`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Decided {
    /// The decision.
    pub decision: Decision,
}

pub(super) fn set_evaluate(set: &PolicySet, input: Request, _: &str) -> Result<Evaluation> {
    Ok(set.evaluate(&input.into_request()?))
}

pub(super) fn set_decide(set: &PolicySet, input: Request, _: &str) -> Result<Decided> {
    Ok(Decided {
        decision: set.decide(&input.into_request()?),
    })
}

/// The input of `evaluateBatch`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EvaluateBatchInput<'a> {
    /// The requests. Each is read on its own: a malformed one fails only its own answer. `null`
    /// or absent is no request.
    #[serde(default, borrow, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<Request>>"))]
    pub requests: Vec<&'a RawValue>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<&'de RawValue>, D::Error> {
    Ok(Option::<Vec<&'de RawValue>>::deserialize(d)?.unwrap_or_default())
}

/// One answer of `evaluateBatch`: a decision with its explanation, or that request's error
/// (located at `$.requests[i]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum BatchAnswer {
    /// Decided.
    Evaluated(Evaluation),
    /// The request could not be read.
    Failed {
        /// What was wrong with it.
        error: Error,
    },
}

pub(super) fn set_evaluate_batch(
    set: &PolicySet,
    input: EvaluateBatchInput<'_>,
    _: &str,
) -> Result<Vec<BatchAnswer>> {
    Ok(input
        .requests
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let path = format!("$.requests[{i}]");
            let req = crate::strict::from_str::<Request>(raw.get())
                .map_err(|e| {
                    let err = json_error(&e);
                    let msg = err.message().to_string();
                    Error::new(err.code(), msg).at(Location::new(path.clone(), 0, 0))
                })
                .and_then(|r| r.into_request_at(&path))
                .map_err(|e| match e.location() {
                    Some(_) => e,
                    None => e.at(Location::new(path.clone(), 0, 0)),
                });
            match req {
                Ok(req) => BatchAnswer::Evaluated(set.evaluate(&req)),
                Err(error) => BatchAnswer::Failed { error },
            }
        })
        .collect())
}

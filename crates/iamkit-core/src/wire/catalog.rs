//! The AWS service catalog's calls: look up and expand actions, lint, summarize and review
//! policies.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::Document;
use crate::catalog::{
    AccessLevel, ActionMatch, Catalog, CatalogSource, LintReport, PolicyReview, PolicySummary,
};
use crate::error::Result;
#[cfg(not(feature = "embedded-catalog"))]
use crate::error::{Error, ErrorCode};
use crate::policy::PolicyType;

/// The input of `catalogSource`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogInput<'a> {
    /// A catalog to use instead of the embedded one (the normalized JSON).
    #[serde(default, borrow)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub catalog: Option<&'a RawValue>,
}

/// The input of `lookupAction`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LookupActionInput<'a> {
    /// `service:Action`, any case.
    pub action: String,
    /// A catalog to use instead of the embedded one (the normalized JSON).
    #[serde(default, borrow)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub catalog: Option<&'a RawValue>,
}

/// The input of `expandActions`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpandActionsInput<'a> {
    /// Action patterns (`s3:Get*`, `*:Describe*`).
    pub patterns: Vec<String>,
    /// Expand to every action the patterns do not match (as `NotAction` does).
    #[serde(default)]
    pub not_action: bool,
    /// A catalog to use instead of the embedded one (the normalized JSON).
    #[serde(default, borrow)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub catalog: Option<&'a RawValue>,
}

/// The input of `lint`, `summarize` and `review`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PolicyInput<'a> {
    /// The policy document.
    #[serde(borrow)]
    pub policy: Document<'a>,
    /// The policy type (default `identity`).
    #[serde(default, rename = "type")]
    pub policy_type: PolicyType,
    /// A catalog to use instead of the embedded one (the normalized JSON).
    #[serde(default, borrow)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<serde_json::Value>"))]
    pub catalog: Option<&'a RawValue>,
}

/// The answer to `catalogSource`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CatalogInfo {
    /// Where the catalog comes from.
    pub source: CatalogSource,
    /// How many services it holds.
    pub services: usize,
    /// How many actions it holds.
    pub actions: usize,
}

/// The answer to `lookupAction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActionInfo {
    /// `service:Action`, as the catalog writes it.
    pub action: String,
    /// The service's name (`Amazon S3`).
    pub service: String,
    /// The access level.
    pub access: AccessLevel,
    /// The resource types the action acts on (none: only `"Resource": "*"` applies).
    pub resources: Vec<ActionResourceInfo>,
    /// The condition keys the action supports.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub condition_keys: Vec<Arc<str>>,
}

/// A resource type an action acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActionResourceInfo {
    /// The resource type's name.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub name: Arc<str>,
    /// Whether the action always needs it.
    pub required: bool,
    /// The resource type's ARN template, when the service defines it.
    pub arn: Option<String>,
    /// Condition keys that apply with this resource type.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<String>"))]
    pub condition_keys: Vec<Arc<str>>,
}

/// Runs `f` on the catalog a query names, or on the embedded one.
fn with_catalog<T>(raw: Option<&RawValue>, f: impl FnOnce(&Catalog) -> Result<T>) -> Result<T> {
    match raw {
        Some(raw) => f(&Catalog::from_json_str(raw.get())?),
        None => f(embedded()?),
    }
}

#[cfg(feature = "embedded-catalog")]
fn embedded() -> Result<&'static Catalog> {
    Ok(Catalog::embedded())
}

#[cfg(not(feature = "embedded-catalog"))]
fn embedded() -> Result<&'static Catalog> {
    Err(Error::new(
        ErrorCode::InvalidArgument,
        "this build has no embedded catalog: give one in `catalog`",
    ))
}

pub(super) fn source(_: (), i: CatalogInput<'_>, _: &str) -> Result<CatalogInfo> {
    with_catalog(i.catalog, |c| {
        Ok(CatalogInfo {
            source: c.source.clone(),
            services: c.services.len(),
            actions: c.action_count(),
        })
    })
}

pub(super) fn lookup_action(
    _: (),
    i: LookupActionInput<'_>,
    _: &str,
) -> Result<Option<ActionInfo>> {
    with_catalog(i.catalog, |c| {
        Ok(c.action(&i.action).map(|(s, a)| ActionInfo {
            action: format!("{}:{}", s.prefix, a.name),
            service: s.name.clone(),
            access: a.access,
            resources: a
                .resources
                .iter()
                .map(|r| ActionResourceInfo {
                    name: r.name.clone(),
                    required: r.required,
                    arn: s.resource_type(&r.name).map(|t| t.arn.clone()),
                    condition_keys: r.condition_keys.clone(),
                })
                .collect(),
            condition_keys: a.condition_keys.clone(),
        }))
    })
}

pub(super) fn expand_actions(
    _: (),
    i: ExpandActionsInput<'_>,
    _: &str,
) -> Result<Vec<ActionMatch>> {
    with_catalog(i.catalog, |c| {
        let patterns: Vec<&str> = i.patterns.iter().map(String::as_str).collect();
        Ok(c.expand_all(&patterns, i.not_action))
    })
}

pub(super) fn lint(_: (), i: PolicyInput<'_>, _: &str) -> Result<LintReport> {
    let text = i.policy.text()?;
    with_catalog(i.catalog, |c| Ok(c.lint(&text, i.policy_type)))
}

pub(super) fn summarize(_: (), i: PolicyInput<'_>, _: &str) -> Result<PolicySummary> {
    let text = i.policy.text()?;
    with_catalog(i.catalog, |c| c.summarize(&text, i.policy_type))
}

pub(super) fn review(_: (), i: PolicyInput<'_>, _: &str) -> Result<PolicyReview> {
    let text = i.policy.text()?;
    with_catalog(i.catalog, |c| Ok(c.review(&text, i.policy_type)))
}

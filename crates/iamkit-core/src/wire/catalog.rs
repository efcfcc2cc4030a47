//! The service catalog's JSON entry point, shared by the CLI and every binding: one query in, one
//! answer out (`tests/README.md`, "Catalog cases").

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{json_error, PolicyDoc};
use crate::catalog::Catalog;
use crate::error::{Error, ErrorCode, Result};
use crate::policy::PolicyType;

/// A catalog query.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireCatalogQuery<'a> {
    /// `action`, `expand`, `lint`, `summarize`, `review` or `source`.
    pub query: String,
    /// The action (`action`).
    #[serde(default)]
    pub action: Option<String>,
    /// Action patterns (`expand`).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Expand to every action the patterns do not match (`NotAction`).
    #[serde(default)]
    pub not_action: bool,
    /// The policy (`lint`, `summarize`, `review`): an object or JSON text.
    #[serde(default, borrow)]
    pub policy: Option<PolicyDoc<'a>>,
    /// The policy type (default `identity`).
    #[serde(default, rename = "type")]
    pub policy_type: Option<String>,
    /// A catalog to use instead of the embedded one (the normalized JSON).
    #[serde(default, borrow)]
    pub catalog: Option<&'a RawValue>,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// Answers one catalog query (JSON text) with JSON text.
pub fn catalog_query_json_str(query: &str) -> Result<String> {
    let q: WireCatalogQuery<'_> = serde_json::from_str(query).map_err(|e| json_error(&e))?;
    let loaded;
    let catalog: &Catalog = match q.catalog {
        Some(raw) => {
            loaded = Catalog::from_json_str(raw.get())?;
            &loaded
        }
        None => embedded()?,
    };
    let ty = match &q.policy_type {
        None => PolicyType::Identity,
        Some(t) => PolicyType::parse(t).ok_or_else(|| {
            Error::new(ErrorCode::InputSchema, format!("unknown policy type `{t}` (expected identity, resource, trust, scp, rcp, boundary, session)"))
        })?,
    };
    let policy_text = || -> Result<String> {
        let p = q.policy.as_ref().ok_or_else(|| {
            Error::new(
                ErrorCode::InputSchema,
                format!("the `{}` query needs `policy`", q.query),
            )
        })?;
        Ok(p.text()?.into_owned())
    };
    match q.query.as_str() {
        "source" => json(&serde_json::json!({
            "source": catalog.source,
            "services": catalog.services.len(),
            "actions": catalog.action_count(),
        })),
        "action" => {
            let name = q.action.as_deref().ok_or_else(|| {
                Error::new(ErrorCode::InputSchema, "the `action` query needs `action`")
            })?;
            match catalog.action(name) {
                Some((s, a)) => json(&serde_json::json!({
                    "action": format!("{}:{}", s.prefix, a.name),
                    "service": s.name,
                    "access": a.access,
                    "resources": a.resources.iter().map(|r| serde_json::json!({
                        "name": r.name,
                        "required": r.required,
                        "arn": s.resource_type(&r.name).map(|t| t.arn.clone()),
                        "conditionKeys": r.condition_keys,
                    })).collect::<Vec<_>>(),
                    "conditionKeys": a.condition_keys,
                })),
                None => json(&serde_json::Value::Null),
            }
        }
        "expand" => {
            let patterns: Vec<&str> = q.patterns.iter().map(String::as_str).collect();
            json(&catalog.expand_all(&patterns, q.not_action))
        }
        "lint" => json(&catalog.lint(&policy_text()?, ty)),
        "summarize" => json(&catalog.summarize(&policy_text()?, ty)?),
        "review" => json(&catalog.review(&policy_text()?, ty)),
        other => Err(Error::new(
            ErrorCode::InputSchema,
            format!("unknown query `{other}` (expected source, action, expand, lint, summarize, review)"),
        )),
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

/// One catalog case (`tests/cases/catalog/*.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogCase<'a> {
    /// The case's name.
    pub name: String,
    /// What it checks.
    #[serde(default)]
    pub doc: Option<String>,
    /// The query.
    #[serde(borrow)]
    pub query: &'a RawValue,
    /// `{"answer": <part of the answer>}` or `{"error": {"code"}}`.
    pub expected: serde_json::Value,
}

/// Runs one catalog case: whether it passed, and `{"answer"}` or `{"error"}`.
pub fn run_catalog_case(case: &CatalogCase<'_>) -> (bool, serde_json::Value) {
    let got = match catalog_query_json_str(case.query.get()) {
        Ok(t) => {
            serde_json::json!({"answer": serde_json::from_str::<serde_json::Value>(&t).unwrap_or(serde_json::Value::Null)})
        }
        Err(e) => serde_json::json!({"error": {"code": e.code().as_str(), "message": e.message()}}),
    };
    (super::json_subset(&case.expected, &got), got)
}

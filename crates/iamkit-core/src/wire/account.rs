//! The account's JSON entry points, shared by the CLI and every binding: load authorization
//! details (with options), and answer one query given as JSON. Query and answer shapes are
//! described in `tests/README.md` ("Account cases").

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{json_error, PolicyDoc, WireContext, WireContextValue, WirePolicies};
use crate::account::{Account, AccountQuery, LoadOptions};
use crate::catalog::Catalog;
use crate::error::{Error, ErrorCode, Result};
use crate::eval::PolicySet;
use crate::inputs::TemporaryCredentials;

/// Load options on the wire: `{"managedPolicyDocuments": {ARN: document}, "credentialReport": CSV or envelope}`, documents as
/// objects or JSON text.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireLoadOptions<'a> {
    /// Documents of referenced managed policies that the output does not list.
    #[serde(default, borrow)]
    pub managed_policy_documents: BTreeMap<String, PolicyDoc<'a>>,
    /// The credential report: the CSV as a string, or the `get-credential-report` envelope.
    #[serde(default, borrow)]
    pub credential_report: Option<&'a serde_json::value::RawValue>,
}

/// Loads an account from authorization details (JSON text) and optional load options (JSON text).
pub fn account_from_json_str(details: &str, options: Option<&str>) -> Result<Account> {
    let mut opts = LoadOptions::default();
    if let Some(text) = options.filter(|t| !t.trim().is_empty()) {
        let w: WireLoadOptions<'_> = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        for (arn, doc) in w.managed_policy_documents {
            opts.managed_policy_documents
                .insert(arn, doc.text()?.into_owned());
        }
        if let Some(raw) = w.credential_report {
            let r = raw.get();
            let text = if r.starts_with('"') {
                serde_json::from_str::<String>(r).map_err(|e| json_error(&e))?
            } else {
                r.to_string()
            };
            opts.credential_report = Some(crate::inputs::CredentialReport::parse(&text)?);
        }
    }
    Account::load(details, &opts)
}

/// One query on the wire (see `tests/README.md`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireQuery<'a> {
    /// `summary`, `evaluate`, `whoCan`, `whoCanAssume`, `permissions`, `isAdministrator`,
    /// `principals`.
    pub query: String,
    /// The principal (`evaluate`, `permissions`, `isAdministrator`).
    #[serde(default)]
    pub principal: Option<String>,
    /// The role (`whoCanAssume`).
    #[serde(default)]
    pub role: Option<String>,
    /// The action (`evaluate`, `whoCan`).
    #[serde(default)]
    pub action: Option<String>,
    /// The resource (`evaluate`, `whoCan`).
    #[serde(default)]
    pub resource: Option<String>,
    /// The resource's account.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// Caller context.
    #[serde(default)]
    pub context: WireContext,
    /// Extra policies: scps, rcps, resource, session.
    #[serde(default, borrow)]
    pub policies: WirePolicies<'a>,
}

fn need<'a>(v: &'a Option<String>, query: &str, field: &str) -> Result<&'a str> {
    v.as_deref().ok_or_else(|| {
        Error::new(
            ErrorCode::InputSchema,
            format!("the `{query}` query needs `{field}`"),
        )
    })
}

fn to_query(w: &WireQuery<'_>, text: &str) -> Result<AccountQuery> {
    let policies = PolicySet::from_wire_in(&w.policies, Some(text), "$.policies")?;
    let mut context = Vec::with_capacity(w.context.0.len());
    for (k, v) in &w.context.0 {
        match v {
            WireContextValue::One(x) => context.push((k.clone(), vec![x.clone()], false)),
            WireContextValue::Many(xs) => context.push((k.clone(), xs.clone(), true)),
            WireContextValue::Unusable => {
                return Err(Error::new(
                    ErrorCode::RequestContext,
                    format!("the context value of `{k}` must be a string, number or boolean, or a list of them"),
                ))
            }
        }
    }
    Ok(AccountQuery {
        action: w.action.clone().unwrap_or_default(),
        resource: w.resource.clone().unwrap_or_default(),
        resource_account: w.resource_account.clone(),
        context,
        policies,
    })
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// Answers one query (JSON text) on an account; returns the answer as JSON text.
pub fn account_query_json_str(account: &Account, query: &str) -> Result<String> {
    let w: WireQuery<'_> = serde_json::from_str(query).map_err(|e| json_error(&e))?;
    let name = w.query.as_str();
    let takes_request = matches!(name, "evaluate" | "whoCan" | "whoCanAssume");
    let has_policies = !w.policies.identity.is_empty()
        || w.policies.resource.is_some()
        || !w.policies.permission_boundaries.is_empty()
        || w.policies.session.is_some()
        || !w.policies.scps.is_empty()
        || !w.policies.rcps.is_empty();
    if !takes_request && (has_policies || !w.context.0.is_empty()) {
        return Err(Error::new(
            ErrorCode::InputSchema,
            format!("the `{name}` query takes no `context` or `policies` (they would be ignored)"),
        ));
    }
    if name == "whoCanAssume" && w.policies.resource.is_some() {
        return Err(Error::new(
            ErrorCode::InputSchema,
            "the `whoCanAssume` query takes no `policies.resource`: the role's trust policy is the resource policy",
        ));
    }
    match name {
        "summary" => json(&account.summary()),
        "principals" => json(&account.principals()),
        "evaluate" => {
            let principal = need(&w.principal, name, "principal")?;
            need(&w.action, name, "action")?;
            need(&w.resource, name, "resource")?;
            json(&account.evaluate(principal, &to_query(&w, query)?)?)
        }
        "whoCan" => {
            need(&w.action, name, "action")?;
            need(&w.resource, name, "resource")?;
            json(&account.who_can(&to_query(&w, query)?, Catalog::embedded_if_built())?)
        }
        "whoCanAssume" => {
            let role = need(&w.role, name, "role")?;
            json(&account.who_can_assume(role, &to_query(&w, query)?)?)
        }
        "permissions" => {
            let principal = need(&w.principal, name, "principal")?;
            json(&account.effective_permissions(principal, Catalog::embedded_if_built())?)
        }
        "isAdministrator" => {
            let principal = need(&w.principal, name, "principal")?;
            json(&serde_json::json!({ "administrator": account.is_administrator(principal)? }))
        }
        other => Err(Error::new(
            ErrorCode::InputSchema,
            format!("unknown query `{other}` (expected summary, principals, evaluate, whoCan, whoCanAssume, permissions, isAdministrator)"),
        )),
    }
}

/// Reads an instance-metadata credential document and reports it (no secrets) at `as_of` (an ISO
/// 8601 date; `None`: now).
pub fn credentials_json_str(document: &str, as_of: Option<&str>) -> Result<String> {
    json(&TemporaryCredentials::from_json_str(document)?.report(as_of)?)
}

/// Whether `expected` is a part of `actual`: objects match key by key (keys absent from
/// `expected` are ignored), arrays element by element with the same length, scalars by equality.
/// The account cases compare answers this way in every language.
pub fn json_subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|x| json_subset(v, x))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| json_subset(x, y))
        }
        (e, a) => e == a,
    }
}

/// One account case (`tests/cases/account/*.json`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountCase<'a> {
    /// The case's name.
    pub name: String,
    /// The documented rule or fact it checks.
    #[serde(default)]
    pub doc: Option<String>,
    /// The authorization details, inline.
    #[serde(default, borrow)]
    pub account: Option<&'a serde_json::value::RawValue>,
    /// Or the name of a sample in `../shared/data/authorization-details/`.
    #[serde(default)]
    pub sample: Option<String>,
    /// Load options.
    #[serde(default, borrow)]
    pub options: Option<&'a serde_json::value::RawValue>,
    /// The query.
    #[serde(borrow)]
    pub query: &'a serde_json::value::RawValue,
    /// `{"answer": <part of the answer>}` or `{"error": {"code"}}`.
    pub expected: Value,
}

/// The outcome of one account case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccountCaseResult {
    /// The case's name.
    pub name: String,
    /// Whether the answer matched.
    pub pass: bool,
    /// The answer, or the error.
    pub got: Value,
}

/// Runs one account case; `sample` is the text of the sample it names, when it names one.
pub fn run_account_case(case: &AccountCase<'_>, sample: Option<&str>) -> AccountCaseResult {
    let details = case.account.map(|r| r.get()).or(sample);
    let got = match details {
        None => Err(Error::new(
            ErrorCode::InputSchema,
            "the case needs `account` or a readable `sample`",
        )),
        Some(text) => account_from_json_str(text, case.options.map(|o| o.get()))
            .and_then(|a| account_query_json_str(&a, case.query.get())),
    };
    let got = match got {
        Ok(text) => {
            serde_json::json!({ "answer": serde_json::from_str::<Value>(&text).unwrap_or(Value::Null) })
        }
        Err(e) => {
            serde_json::json!({ "error": { "code": e.code().as_str(), "message": e.message() } })
        }
    };
    AccountCaseResult {
        name: case.name.clone(),
        pass: json_subset(&case.expected, &got),
        got,
    }
}

//! The policy document model: what a policy says, kept close to how it was written (a string or
//! a list, a statement object or an array) so that it serializes back to an equivalent document.

use serde_json::{Map, Value as Json};

use super::condition::Operator;

/// The kinds of policy IAM knows; each is validated by its own rules.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum PolicyType {
    /// Attached to a user, group or role (inline or managed).
    #[default]
    Identity,
    /// Attached to a resource (S3 bucket, SQS queue, KMS key, ...).
    Resource,
    /// A role's trust policy (who may assume it).
    Trust,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
    /// A permissions boundary.
    Boundary,
    /// A session policy passed when assuming a role or federating.
    Session,
    /// A VPC endpoint policy: limits what requests made through the endpoint may do.
    #[serde(rename = "vpcEndpoint")]
    VpcEndpoint,
}

impl PolicyType {
    /// Every type.
    pub const ALL: [PolicyType; 8] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::Boundary,
        PolicyType::Session,
        PolicyType::VpcEndpoint,
    ];

    /// The name used on the command line and in the wire format.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Trust => "trust",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::Boundary => "boundary",
            PolicyType::Session => "session",
            PolicyType::VpcEndpoint => "vpcEndpoint",
        }
    }

    /// Parses a name produced by [`PolicyType::as_str`].
    pub fn parse(s: &str) -> Option<PolicyType> {
        PolicyType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether statements carry `Principal` / `NotPrincipal`.
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp | PolicyType::VpcEndpoint
        )
    }

    /// Whether IAM (rather than another service) stores and validates the policy strictly.
    pub fn iam_hosted(self) -> bool {
        !matches!(self, PolicyType::Resource | PolicyType::VpcEndpoint)
    }
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Policy {
    /// `Version`, as written.
    pub version: Option<String>,
    /// `Id`, as written.
    pub id: Option<String>,
    /// The statements.
    pub statements: Vec<Statement>,
    /// Whether `Statement` was written as a single object rather than an array.
    pub statement_is_object: bool,
}

impl Policy {
    /// Whether policy variables are substituted (only with `Version: 2012-10-17`).
    pub fn variables_enabled(&self) -> bool {
        self.version.as_deref() == Some("2012-10-17")
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Effect {
    /// Grants.
    Allow,
    /// Denies, overriding every Allow.
    Deny,
}

impl Effect {
    /// `Allow` / `Deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One value or a list of values, remembering which was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMany<T> {
    /// The values.
    pub items: Vec<T>,
    /// Whether a single value was written without a list.
    pub single: bool,
}

impl<T> OneOrMany<T> {
    /// A single value.
    pub fn one(item: T) -> Self {
        OneOrMany {
            items: vec![item],
            single: true,
        }
    }
}

/// An element that may be negated: `Action`/`NotAction`, `Resource`/`NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListElement {
    /// `NotAction` / `NotResource`.
    pub negated: bool,
    /// The patterns as written.
    pub values: OneOrMany<String>,
}

/// The principal categories of a `Principal` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `AWS`: accounts, users, roles, sessions.
    Aws,
    /// `Service`: AWS service principals.
    Service,
    /// `Federated`: identity providers.
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The JSON key.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }

    /// Parses a JSON key (case-sensitive, as IAM).
    pub fn parse(s: &str) -> Option<PrincipalKind> {
        match s {
            "AWS" => Some(PrincipalKind::Aws),
            "Service" => Some(PrincipalKind::Service),
            "Federated" => Some(PrincipalKind::Federated),
            "CanonicalUser" => Some(PrincipalKind::CanonicalUser),
            _ => None,
        }
    }
}

/// `Principal` / `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalElement {
    /// `NotPrincipal`.
    pub negated: bool,
    /// The value.
    pub value: PrincipalValue,
}

/// What a principal element names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalValue {
    /// `"*"`: everyone, including anonymous callers.
    Star,
    /// `{"AWS": ..., "Service": ...}` in written order.
    Map(Vec<(PrincipalKind, OneOrMany<String>)>),
}

/// A condition value, with the JSON type it was written as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondValue {
    /// The value as text (`true`, `12`, `arn:...`).
    pub text: String,
    /// The JSON type it was written as.
    pub kind: CondValueKind,
}

/// The JSON type of a condition value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CondValueKind {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON boolean.
    Bool,
}

/// One operator block of a `Condition`: `"StringEquals": {"key": values, ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionBlock {
    /// The operator name as written.
    pub operator_name: String,
    /// The parsed operator.
    pub operator: Operator,
    /// The keys (as written) and their values.
    pub entries: Vec<(String, OneOrMany<CondValue>)>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid`, as written.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` / `NotPrincipal`.
    pub principal: Option<PrincipalElement>,
    /// `Action` / `NotAction`.
    pub action: Option<ListElement>,
    /// `Resource` / `NotResource`.
    pub resource: Option<ListElement>,
    /// `Condition` blocks in written order.
    pub condition: Vec<ConditionBlock>,
    /// Whether a `Condition` element was present (possibly empty).
    pub has_condition: bool,
}

impl Policy {
    /// Serializes the policy back to JSON (key order: Version, Id, Statement; statement keys in
    /// the canonical order Sid, Effect, Principal, Action, Resource, Condition).
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        if let Some(v) = &self.version {
            m.insert("Version".into(), Json::String(v.clone()));
        }
        if let Some(id) = &self.id {
            m.insert("Id".into(), Json::String(id.clone()));
        }
        let stmts: Vec<Json> = self.statements.iter().map(Statement::to_json).collect();
        let st = if self.statement_is_object && stmts.len() == 1 {
            stmts.into_iter().next().unwrap_or(Json::Null)
        } else {
            Json::Array(stmts)
        };
        m.insert("Statement".into(), st);
        Json::Object(m)
    }

    /// Serializes to a compact JSON string.
    pub fn to_json_string(&self) -> String {
        self.to_json().to_string()
    }
}

fn strings(v: &OneOrMany<String>) -> Json {
    if v.single && v.items.len() == 1 {
        Json::String(v.items[0].clone())
    } else {
        Json::Array(v.items.iter().cloned().map(Json::String).collect())
    }
}

fn cond_value(v: &CondValue) -> Json {
    match v.kind {
        CondValueKind::String => Json::String(v.text.clone()),
        CondValueKind::Bool => Json::Bool(v.text == "true"),
        CondValueKind::Number => v
            .text
            .parse::<serde_json::Number>()
            .map(Json::Number)
            .unwrap_or_else(|_| Json::String(v.text.clone())),
    }
}

impl Statement {
    /// Serializes the statement back to JSON.
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        if let Some(sid) = &self.sid {
            m.insert("Sid".into(), Json::String(sid.clone()));
        }
        m.insert("Effect".into(), Json::String(self.effect.as_str().into()));
        if let Some(p) = &self.principal {
            let key = if p.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            let val = match &p.value {
                PrincipalValue::Star => Json::String("*".into()),
                PrincipalValue::Map(entries) => Json::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.as_str().to_string(), strings(v)))
                        .collect(),
                ),
            };
            m.insert(key.into(), val);
        }
        if let Some(a) = &self.action {
            let key = if a.negated { "NotAction" } else { "Action" };
            m.insert(key.into(), strings(&a.values));
        }
        if let Some(r) = &self.resource {
            let key = if r.negated { "NotResource" } else { "Resource" };
            m.insert(key.into(), strings(&r.values));
        }
        if self.has_condition {
            m.insert("Condition".into(), self.condition_json());
        }
        Json::Object(m)
    }

    /// The `Condition` element as JSON (operators and keys as written), `null` when the statement
    /// has none.
    pub fn condition_json(&self) -> Json {
        if !self.has_condition {
            return Json::Null;
        }
        let mut c = Map::new();
        for block in &self.condition {
            let mut keys = Map::new();
            for (k, vals) in &block.entries {
                let v = if vals.single && vals.items.len() == 1 {
                    cond_value(&vals.items[0])
                } else {
                    Json::Array(vals.items.iter().map(cond_value).collect())
                };
                keys.insert(k.clone(), v);
            }
            c.insert(block.operator_name.clone(), Json::Object(keys));
        }
        Json::Object(c)
    }
}

//! A request to decide: who (principal), what (action), on what (resource, its account), and the
//! request context. Built once, typed up front, so that evaluation parses nothing.

use std::net::IpAddr;
use std::sync::OnceLock;

use compact_str::CompactString;
use smallvec::{smallvec, SmallVec};

use crate::arn::{Arn, PARTITIONS};
use crate::error::{Error, ErrorCode, Result};
use crate::policy::condition::{parse_bool, parse_date, parse_ip_addr, parse_number};
use crate::wildcard::VarResolver;

/// What kind of caller a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalType {
    /// The account root user.
    Root,
    /// An IAM user.
    User,
    /// A role session (assumed-role ARN, or a role ARN standing for a session of it).
    RoleSession,
    /// A federated-user session (`GetFederationToken`).
    FederatedUser,
    /// An AWS service principal.
    Service,
    /// An identity provider (web identity, SAML), as the caller of `AssumeRoleWith*`.
    IdentityProvider,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalType {
    /// The value of `aws:PrincipalType` AWS sets for this kind of caller, if any.
    pub fn aws_principal_type(self) -> Option<&'static str> {
        match self {
            PrincipalType::Root => Some("Account"),
            PrincipalType::User => Some("User"),
            PrincipalType::RoleSession => Some("AssumedRole"),
            PrincipalType::FederatedUser => Some("FederatedUser"),
            PrincipalType::Anonymous => Some("Anonymous"),
            PrincipalType::Service | PrincipalType::IdentityProvider => None,
        }
    }

    /// Whether the caller belongs to an AWS account (and so has identity policies and SCPs).
    pub fn has_account(self) -> bool {
        matches!(
            self,
            PrincipalType::Root
                | PrincipalType::User
                | PrincipalType::RoleSession
                | PrincipalType::FederatedUser
        )
    }
}

/// The request's principal, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The principal as given (ARN, service name, provider, `anonymous`).
    pub text: String,
    /// The kind of caller.
    pub kind: PrincipalType,
    /// The account, for callers that have one.
    pub account: Option<String>,
    /// For role sessions: the role's name.
    pub role_name: Option<String>,
    /// For role sessions: the role ARN (with path, when known from `aws:PrincipalArn`).
    pub role_arn: Option<String>,
    /// For role sessions: whether the session ARN itself is known (false for a bare role ARN).
    pub has_session_arn: bool,
    /// For IAM users: the user name.
    pub user_name: Option<String>,
    /// The partition (`aws`, ...), for callers with an ARN.
    pub partition: Option<String>,
}

impl Principal {
    /// Parses a principal string (see the case format in `tests/README.md`).
    pub fn parse(text: &str) -> Result<Principal> {
        Principal::parse_owned(text.to_string())
    }

    /// [`Principal::parse`] of an owned text (kept as the principal's text, not copied).
    pub fn parse_owned(owned: String) -> Result<Principal> {
        let text = owned.as_str();
        let bad = |why: &str| {
            Error::new(
                ErrorCode::RequestPrincipal,
                format!("the principal `{text}` {why}"),
            )
        };
        let mut p = Principal {
            text: String::new(),
            kind: PrincipalType::Anonymous,
            account: None,
            role_name: None,
            role_arn: None,
            has_session_arn: false,
            user_name: None,
            partition: None,
        };
        if text == "anonymous" {
            p.text = owned;
            return Ok(p);
        }
        if text.starts_with("arn:") {
            let arn = Arn::parse(text).ok_or_else(|| bad("is not a well-formed ARN"))?;
            if !PARTITIONS.contains(&arn.partition) {
                return Err(bad("has an unknown partition"));
            }
            if arn.account.len() != 12 || !arn.account.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("must name a 12-digit account"));
            }
            p.account = Some(arn.account.to_string());
            p.partition = Some(arn.partition.to_string());
            {
                // a set of one char: no searcher to set up (the resource is short)
                let segs: SmallVec<[&str; 8]> = arn.resource.split(['/']).collect();
                let segs = &segs[..];
                let nonempty = |s: &[&str]| s.iter().all(|x| !x.is_empty());
                match (arn.service, segs) {
                    ("iam", ["root"]) => p.kind = PrincipalType::Root,
                    ("iam", ["user", .., name]) if nonempty(segs) => {
                        p.kind = PrincipalType::User;
                        p.user_name = Some((*name).to_string());
                    }
                    ("iam", ["role", .., name]) if nonempty(segs) => {
                        p.kind = PrincipalType::RoleSession;
                        p.role_name = Some((*name).to_string());
                        p.role_arn = Some(text.to_string());
                    }
                    ("iam", ["oidc-provider" | "saml-provider", ..]) if segs.len() > 1 => {
                        p.kind = PrincipalType::IdentityProvider;
                        p.account = None;
                    }
                    ("sts", ["assumed-role", role, session]) if !role.is_empty() && !session.is_empty() => {
                        p.kind = PrincipalType::RoleSession;
                        p.role_name = Some((*role).to_string());
                        let mut role_arn = String::with_capacity(
                            arn.partition.len() + arn.account.len() + role.len() + 16,
                        );
                        for part in ["arn:", arn.partition, ":iam::", arn.account, ":role/", role] {
                            role_arn.push_str(part);
                        }
                        p.role_arn = Some(role_arn);
                        p.has_session_arn = true;
                    }
                    ("sts", ["federated-user", name]) if !name.is_empty() => {
                        p.kind = PrincipalType::FederatedUser;
                    }
                    _ => {
                        return Err(bad(
                            "is not a user, role, assumed-role, federated-user, root or identity-provider ARN",
                        ))
                    }
                }
            }
            p.text = owned;
            return Ok(p);
        }
        let dns = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            && text.contains('.');
        if !dns {
            return Err(bad(
                "must be an ARN, a service principal (ec2.amazonaws.com), an identity provider, or \"anonymous\"",
            ));
        }
        let lower = text.to_ascii_lowercase();
        p.kind = match lower.as_str() {
            "cognito-identity.amazonaws.com"
            | "accounts.google.com"
            | "graph.facebook.com"
            | "www.amazon.com" => PrincipalType::IdentityProvider,
            s if s.ends_with(".amazonaws.com") || s.ends_with(".amazonaws.com.cn") => {
                PrincipalType::Service
            }
            _ => {
                return Err(bad(
                    "is neither a service principal (*.amazonaws.com) nor a known identity provider; give an oidc-provider or saml-provider ARN",
                ))
            }
        };
        p.text = owned;
        Ok(p)
    }

    /// The ARN AWS reports as `aws:PrincipalArn`.
    pub fn principal_arn(&self) -> Option<&str> {
        match self.kind {
            PrincipalType::RoleSession => self.role_arn.as_deref(),
            PrincipalType::Root | PrincipalType::User | PrincipalType::FederatedUser => {
                Some(&self.text)
            }
            _ => None,
        }
    }

    /// Whether the principal is a service-linked role session (path `/aws-service-role/`).
    pub fn is_service_linked_role(&self) -> bool {
        self.kind == PrincipalType::RoleSession
            && self
                .role_arn
                .as_deref()
                .is_some_and(|a| a.contains(":role/aws-service-role/"))
    }
}

/// One typed request value: the text, and every type it could be read as, read on first use
/// (most values are only ever compared as text) and kept. Two values are equal when their texts
/// are (the types follow from the text).
#[derive(Debug, Clone)]
pub struct ContextValue {
    /// The value as text (kept inline up to 24 bytes).
    pub text: CompactString,
    typed: OnceLock<Typed>,
}

impl PartialEq for ContextValue {
    fn eq(&self, other: &ContextValue) -> bool {
        self.text == other.text
    }
}

/// A value read as a number, a date, a boolean and an IP address (each `None` when it is not one).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Typed {
    num: Option<f64>,
    /// The date as whole seconds since the epoch and nanoseconds (an `i128` of nanoseconds would
    /// double the size of every context value, which requests move around).
    date: Option<(i64, u32)>,
    boolean: Option<bool>,
    ip: Option<IpAddr>,
}

impl Typed {
    fn of(text: &str) -> Typed {
        let first = text.as_bytes().first().copied().unwrap_or(b' ');
        let numeric_start =
            first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.';
        Typed {
            num: if numeric_start {
                parse_number(text)
            } else {
                None
            },
            date: if numeric_start {
                parse_date(text).and_then(|ns| {
                    let secs = i64::try_from(ns.div_euclid(1_000_000_000)).ok()?;
                    let nanos = u32::try_from(ns.rem_euclid(1_000_000_000)).ok()?;
                    Some((secs, nanos))
                })
            } else {
                None
            },
            boolean: if matches!(first, b't' | b'T' | b'f' | b'F') {
                parse_bool(text)
            } else {
                None
            },
            // only hex digits, dots and colons, at most an IPv6 address long: an ARN, a name or a
            // sentence is never handed to the address parser
            ip: if text.len() <= 45
                && text
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b':')
            {
                parse_ip_addr(text)
            } else {
                None
            },
        }
    }
}

impl ContextValue {
    /// A value from text. Numbers, dates, booleans and IP addresses are read when a condition
    /// first needs one, once; base64 is decoded only when a `BinaryEquals` reads the value.
    pub fn from_text(text: impl Into<CompactString>) -> ContextValue {
        ContextValue {
            text: text.into(),
            typed: OnceLock::new(),
        }
    }

    fn typed(&self) -> &Typed {
        self.typed.get_or_init(|| Typed::of(&self.text))
    }

    /// The value as a number, when it is one.
    pub(crate) fn num(&self) -> Option<f64> {
        self.typed().num
    }

    /// The value as a date (nanoseconds since the epoch), when it is one.
    pub(crate) fn date(&self) -> Option<i128> {
        self.typed()
            .date
            .map(|(secs, nanos)| i128::from(secs) * 1_000_000_000 + i128::from(nanos))
    }

    /// The value as a boolean, when it is one.
    pub(crate) fn boolean(&self) -> Option<bool> {
        self.typed().boolean
    }

    /// The value as an IP address, when it is one.
    pub(crate) fn ip(&self) -> Option<IpAddr> {
        self.typed().ip
    }

    /// A value from a JSON scalar (string, number, boolean); `None` for other JSON types.
    pub fn from_json(v: &serde_json::Value) -> Option<ContextValue> {
        match v {
            serde_json::Value::String(s) => Some(ContextValue::from_text(s.as_str())),
            serde_json::Value::Number(n) => Some(ContextValue::from_text(n.to_string())),
            serde_json::Value::Bool(b) => Some(ContextValue::from_text(b.to_string())),
            _ => None,
        }
    }
}

/// A context key's values: one is kept inline (most keys have one value).
pub type ContextValues = SmallVec<[ContextValue; 1]>;

/// One context key and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextEntry {
    /// The key, lowercased (kept inline up to 24 bytes).
    pub key: CompactString,
    /// The values.
    pub values: ContextValues,
    /// Whether the key was given as a list (a multivalued key).
    pub multivalued: bool,
}

/// The request context: condition keys (case-insensitive) and their typed values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    entries: Vec<ContextEntry>,
}

impl Context {
    /// Looks a key up (`key` must be lowercase).
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
        self.entries.iter().find(|e| &*e.key == key)
    }

    /// Whether a key is present, in any letter case, without allocating.
    fn contains_ignore_case(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key.eq_ignore_ascii_case(key))
    }

    /// Sets a key (replacing any earlier value).
    pub fn set(&mut self, key: &str, values: impl Into<ContextValues>, multivalued: bool) {
        if self.contains_ignore_case(key) {
            self.entries.retain(|e| !e.key.eq_ignore_ascii_case(key));
        }
        let mut key = CompactString::from(key);
        key.make_ascii_lowercase();
        self.entries.push(ContextEntry {
            key,
            values: values.into(),
            multivalued,
        });
    }

    /// Removes a key (given in lowercase), if present.
    pub(crate) fn remove(&mut self, key: &str) {
        self.entries.retain(|e| &*e.key != key);
    }

    /// Sets a single-valued key (given in lowercase) only when it is not already present.
    fn set_default(&mut self, key: &'static str, value: &str) {
        debug_assert!(!key.bytes().any(|b| b.is_ascii_uppercase()));
        if self.get(key).is_none() {
            self.entries.push(ContextEntry {
                key: CompactString::const_new(key),
                values: smallvec![ContextValue::from_text(value)],
                multivalued: false,
            });
        }
    }

    /// Every entry.
    pub fn entries(&self) -> &[ContextEntry] {
        &self.entries
    }
}

impl VarResolver for Context {
    fn resolve(&self, key: &str) -> Option<&str> {
        let e = self.get(key)?;
        if e.multivalued || e.values.len() != 1 {
            return None;
        }
        Some(&e.values[0].text)
    }
}

/// A request, ready to be decided any number of times.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Who is asking.
    pub principal: Principal,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN, or `*`.
    pub resource: String,
    /// The account that owns the resource, when known.
    pub resource_account: Option<String>,
    /// The request context, including the keys filled in from the principal.
    pub context: Context,
    /// Whether the resource is an IAM role and the action an STS one (the trust policy decides).
    pub(crate) is_trust_request: bool,
    /// Whether the resource is a KMS key and the action a KMS one (the key policy decides).
    pub(crate) is_kms_key_request: bool,
    /// Whether the service catalog lists the action with no resource type: AWS authorizes it on
    /// `*` alone, so only a statement whose `Resource` matches `*` itself grants it.
    pub(crate) wildcard_only: bool,
    /// Whether the resource is a pattern (`*`, `arn:aws:s3:::logs/*`) asking about some resource
    /// it covers, in the request's resource account: allowed when one is.
    pub(crate) pattern: bool,
}

/// Builds a [`Request`].
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    principal: String,
    action: String,
    resource: String,
    resource_account: Option<String>,
    context: Context,
    /// The resource is one resource even when it holds `*` or `?` (iamkit's own probes).
    literal: bool,
}

impl Request {
    /// Starts a request for `principal` doing `action` on `resource`.
    pub fn builder(
        principal: impl Into<String>,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> RequestBuilder {
        RequestBuilder {
            principal: principal.into(),
            action: action.into(),
            resource: resource.into(),
            resource_account: None,
            context: Context::default(),
            literal: false,
        }
    }

    /// Whether the resource is a pattern: the request asks whether the action is allowed on some
    /// resource it covers (see [`RequestBuilder::build`]).
    pub fn resource_is_pattern(&self) -> bool {
        self.pattern
    }

    /// The same request on one concrete `resource` (the keys that follow from the resource
    /// computed again; its account and context kept).
    pub(crate) fn at_resource(&self, resource: &str) -> Request {
        let mut r = self.clone();
        r.resource = resource.to_string();
        r.pattern = false;
        (r.is_trust_request, r.is_kms_key_request) =
            resource_policy_required(&r.action, Arn::parse(resource).as_ref());
        r
    }

    /// Points the request at `action` on `resource` in place, keeping its principal and context
    /// (no allocation when the strings fit), when that leaves the keys derived from the resource
    /// unchanged: the resource's account (from its ARN, else the principal's) must be the
    /// request's resource account. Returns false, the request unchanged, otherwise or when the
    /// action or resource is malformed (build a new request then).
    pub(crate) fn retarget(&mut self, action: &str, resource: &str) -> bool {
        if check_action(action).is_err() {
            return false;
        }
        let Ok(arn) = check_resource(resource) else {
            return false;
        };
        let Ok(wildcard_only) = check_scope(action, resource) else {
            return false;
        };
        let account = arn
            .as_ref()
            .filter(|a| !a.account.is_empty())
            .map(|a| a.account)
            .or(self.principal.account.as_deref());
        if account != self.resource_account.as_deref() {
            return false;
        }
        let (trust, kms) = resource_policy_required(action, arn.as_ref());
        self.action.clear();
        self.action.push_str(action);
        self.resource.clear();
        self.resource.push_str(resource);
        self.is_trust_request = trust;
        self.is_kms_key_request = kms;
        self.wildcard_only = wildcard_only;
        self.pattern = false;
        true
    }

    /// Whether principal and resource are in the same account.
    pub fn same_account(&self) -> bool {
        match (&self.principal.account, &self.resource_account) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

impl RequestBuilder {
    /// Sets the resource's account (else taken from the ARN, else the principal's).
    pub fn resource_account(mut self, account: impl Into<String>) -> Self {
        self.resource_account = Some(account.into());
        self
    }

    /// Reads the resource as one resource even when it holds `*` or `?` (an S3 key with those
    /// characters; iamkit's own probes ask whether a statement grants `*` itself), not as a
    /// pattern.
    pub fn literal_resource(mut self) -> Self {
        self.literal = true;
        self
    }

    /// Makes room for `n` caller context keys and the keys filled in from the principal, so the
    /// context is allocated once (a hint: more keys may still be set).
    pub fn context_capacity(mut self, n: usize) -> Self {
        self.context.entries.reserve_exact(n + 7);
        self
    }

    /// Sets a single-valued context key.
    pub fn context(mut self, key: &str, value: impl Into<String>) -> Self {
        let value: String = value.into();
        self.context.set(
            key,
            smallvec![ContextValue::from_text(value)] as ContextValues,
            false,
        );
        self
    }

    /// Sets a multivalued context key.
    pub fn context_list<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let vals: ContextValues = values
            .into_iter()
            .map(|v| ContextValue::from_text(v.into()))
            .collect();
        self.context.set(key, vals, true);
        self
    }

    /// Sets a context key from already typed values.
    pub fn context_values(
        mut self,
        key: &str,
        values: impl Into<ContextValues>,
        multivalued: bool,
    ) -> Self {
        self.context.set(key, values, multivalued);
        self
    }

    /// Checks and types everything, and fills in the keys that follow from the principal.
    ///
    /// A resource holding `*` or `?` is a pattern: the request asks whether the action is allowed
    /// on some resource the pattern covers (`*`: any resource at all) in the resource's account
    /// (given, else the pattern's own account segment when it is plain, else the principal's).
    /// Except `*` for an action AWS asks for on `*` alone (one with no resource type, or one the
    /// service catalog does not list, or any action in a build without the catalog): that `*` is
    /// the literal resource AWS authorizes, matched only by statements that match `*` itself.
    pub fn build(self) -> Result<Request> {
        let mut principal = Principal::parse_owned(self.principal)?;
        let action = self.action;
        check_action(&action)?;
        let resource = self.resource;
        let pattern = !self.literal && is_pattern(&action, &resource);
        let arn = if pattern {
            check_pattern(&resource)?;
            None
        } else {
            check_resource(&resource)?
        };
        let wildcard_only = check_scope(&action, &resource)?;
        let mut context = self.context;
        context.entries.reserve(7);
        // a role session's role ARN (with path) may come from aws:PrincipalArn
        if principal.kind == PrincipalType::RoleSession {
            if let Some(given) = context.resolve("aws:principalarn") {
                let same_role = Arn::parse(given).is_some_and(|a| {
                    a.service == "iam"
                        && Some(a.account) == principal.account.as_deref()
                        && a.resource.starts_with("role/")
                        && a.resource.rsplit('/').next() == principal.role_name.as_deref()
                });
                if same_role {
                    principal.role_arn = Some(given.to_string());
                }
            }
        }
        let resource_account = self
            .resource_account
            .or_else(|| {
                arn.filter(|a| !a.account.is_empty())
                    .map(|a| a.account.to_string())
            })
            .or_else(|| pattern.then(|| plain_account(&resource)).flatten())
            .or_else(|| principal.account.clone());
        // keys AWS derives from the principal, unless the caller set them
        if let Some(a) = principal.principal_arn() {
            context.set_default("aws:principalarn", a);
        }
        if let Some(acct) = &principal.account {
            context.set_default("aws:principalaccount", acct.as_str());
        }
        if let Some(name) = &principal.user_name {
            context.set_default("aws:username", name.as_str());
        }
        if let Some(t) = principal.kind.aws_principal_type() {
            context.set_default("aws:principaltype", t);
        }
        let is_service = principal.kind == PrincipalType::Service;
        context.set_default(
            "aws:principalisawsservice",
            if is_service { "true" } else { "false" },
        );
        if is_service {
            context.set_default("aws:principalservicename", principal.text.as_str());
        }
        if let Some(acct) = &resource_account {
            context.set_default("aws:resourceaccount", acct.as_str());
        }
        let (is_trust_request, is_kms_key_request) =
            resource_policy_required(&action, arn.as_ref());
        Ok(Request {
            principal,
            action,
            resource,
            resource_account,
            context,
            is_trust_request,
            is_kms_key_request,
            wildcard_only,
            pattern,
        })
    }
}

/// Whether `resource` is a pattern for `action` (see [`RequestBuilder::build`]).
fn is_pattern(action: &str, resource: &str) -> bool {
    if !resource.bytes().any(|b| matches!(b, b'*' | b'?')) {
        return false;
    }
    resource != "*"
        || (cfg!(feature = "embedded-catalog") && known_action(action) && !wildcard_only(action))
}

/// Checks a request's resource pattern: `*` or an ARN pattern.
fn check_pattern(resource: &str) -> Result<()> {
    if resource == "*" || resource.starts_with("arn:") {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::RequestResource,
        format!("the resource pattern `{resource}` must be `*` or an ARN pattern (arn:partition:service:region:account:resource, with `*` and `?`)"),
    ))
}

/// The account segment of an ARN pattern when it is plain text (no wildcard) and not empty.
fn plain_account(pattern: &str) -> Option<String> {
    let parts = crate::arn::split_pattern(pattern);
    let account = *parts.get(4)?;
    (parts.len() == 6 && !account.is_empty() && !account.contains(['*', '?']))
        .then(|| account.to_string())
}

/// Checks a request's action: `service:Action`, no wildcards.
pub(crate) fn check_action(action: &str) -> Result<()> {
    let valid_action = match action.bytes().position(|b| b == b':') {
        None => false,
        Some(colon) => {
            let (svc, name) = (&action.as_bytes()[..colon], &action.as_bytes()[colon + 1..]);
            !svc.is_empty()
                && !name.is_empty()
                && svc
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
                && !name.iter().any(|&c| matches!(c, b':' | b'*' | b'?'))
        }
    };
    if !valid_action {
        return Err(Error::new(
            ErrorCode::RequestAction,
            format!("the action `{action}` must be `service:Action` (no wildcards)"),
        ));
    }
    Ok(())
}

/// Checks a request's resource: an ARN (returned parsed) or `*`.
pub(crate) fn check_resource(resource: &str) -> Result<Option<Arn<'_>>> {
    let arn = Arn::parse(resource);
    if resource != "*" && arn.is_none() {
        return Err(Error::new(
            ErrorCode::RequestResource,
            format!("the resource `{resource}` must be an ARN (arn:partition:service:region:account:resource) or `*`"),
        ));
    }
    Ok(arn)
}

/// Checks that the service catalog lets `action` be asked on `resource`, and says whether the
/// action is wildcard-only. AWS's Service Authorization Reference lists, per action, the resource
/// types it acts on; an action with none (`s3:ListAllMyBuckets`, `ec2:DescribeInstances`,
/// `iam:ListRoles`) is authorized on `*` alone, so a request naming one resource for it is refused
/// (AWS never makes one). An action the catalog does not list is asked as given; a build without
/// the catalog (no cargo feature `embedded-catalog`) cannot tell, and refuses every resource but
/// `*` rather than guess.
pub(crate) fn check_scope(action: &str, resource: &str) -> Result<bool> {
    if !cfg!(feature = "embedded-catalog") {
        if resource == "*" {
            return Ok(false);
        }
        return Err(Error::new(
            ErrorCode::RequestResource,
            format!("this build of iamkit has no service catalog (cargo feature `embedded-catalog`), so it cannot tell whether `{action}` acts on `{resource}` or only on `*`: it decides requests on `*` only"),
        ));
    }
    let wildcard_only = wildcard_only(action);
    if wildcard_only && resource != "*" {
        return Err(Error::new(
            ErrorCode::RequestResource,
            format!("`{action}` acts on no resource type (AWS's Service Authorization Reference lists none), so AWS authorizes it on `*` alone: ask for it on `*`, not on `{resource}`"),
        ));
    }
    Ok(wildcard_only)
}

/// FNV-1a, 64 bits (the hash `build.rs` lists the catalog's actions by).
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// Whether the embedded catalog lists `action` (by the hash of its lowercase name: an action it
/// does not list is taken for a listed one only on a 64-bit hash collision); false in a build
/// without the catalog.
pub(crate) fn known_action(action: &str) -> bool {
    lowercased(action, |lower| {
        untyped::KNOWN_ACTIONS
            .binary_search(&fnv1a(lower.as_bytes()))
            .is_ok()
    })
    .unwrap_or(false)
}

/// `f` of `action` lowercased (ASCII) in a stack buffer, without allocating; `None` when the
/// action is longer than any AWS lists.
fn lowercased<R>(action: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    let mut buf = [0u8; 128];
    let lower = buf.get_mut(..action.len())?;
    lower.copy_from_slice(action.as_bytes());
    lower.make_ascii_lowercase();
    // ASCII lowercasing keeps UTF-8 valid
    std::str::from_utf8(lower).ok().map(f)
}

/// The ARN templates (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`) of the
/// resource types the embedded catalog lists for `action`; empty when it lists none, or does not
/// list the action, and in a build without the catalog.
pub(crate) fn arn_formats(action: &str) -> impl Iterator<Item = &'static str> {
    let ids: &[u16] = lowercased(action, |lower| {
        let h = fnv1a(lower.as_bytes());
        untyped::ACTION_ARNS
            .binary_search_by_key(&h, |(k, _)| *k)
            .map_or(&[][..], |i| untyped::ACTION_ARNS[i].1)
    })
    .unwrap_or(&[]);
    ids.iter()
        .filter_map(|&i| untyped::ARN_FORMATS.get(usize::from(i)).copied())
}

mod untyped {
    include!(concat!(env!("OUT_DIR"), "/wildcard_only.rs"));
}

/// Whether the embedded catalog lists `action` with no resource type (AWS asks for it on `*`
/// alone); false for an action it does not list, and in a build without the catalog. A binary
/// search in the table `build.rs` derives from the embedded catalog, lowercased in a stack
/// buffer: no allocation, and no catalog to parse.
pub(crate) fn wildcard_only(action: &str) -> bool {
    lowercased(action, |lower| {
        untyped::WILDCARD_ONLY.binary_search(&lower).is_ok()
    })
    .unwrap_or(false)
}

/// Whether an STS action on `resource` is a trust request (`is_trust_request`), and a KMS action a
/// key request (`is_kms_key_request`): the resource-based policy must then decide.
pub(crate) fn resource_policy_required(action: &str, arn: Option<&Arn<'_>>) -> (bool, bool) {
    let service_is = |svc: &str| {
        action
            .get(..svc.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(svc))
    };
    let is_trust_request = service_is("sts:")
        && arn.is_some_and(|a| a.service == "iam" && a.resource.starts_with("role/"));
    let is_kms_key_request = service_is("kms:")
        && arn.is_some_and(|a| a.service == "kms" && a.resource.starts_with("key/"));
    (is_trust_request, is_kms_key_request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "embedded-catalog")]
    #[test]
    fn the_wildcard_only_table_is_the_catalogs() {
        let catalog = crate::catalog::Catalog::embedded();
        let mut n = 0;
        for s in &catalog.services {
            for a in &s.actions {
                let name = format!("{}:{}", s.prefix, a.name);
                assert_eq!(wildcard_only(&name), a.resources.is_empty(), "{name}");
                assert_eq!(
                    wildcard_only(&name.to_ascii_uppercase()),
                    a.resources.is_empty()
                );
                n += usize::from(a.resources.is_empty());
            }
        }
        assert_eq!(n, untyped::WILDCARD_ONLY.len());
        assert!(n > 5_000, "{n} wildcard-only actions");
        assert!(!wildcard_only("s3:GetObject") && wildcard_only("s3:ListAllMyBuckets"));
        assert!(!wildcard_only(&"x".repeat(300)));
    }

    /// The tables of known actions and of each typed action's ARN templates hold what the parsed
    /// catalog lists.
    #[cfg(feature = "embedded-catalog")]
    #[test]
    fn the_action_tables_are_the_catalogs() {
        let catalog = crate::catalog::Catalog::embedded();
        for s in &catalog.services {
            for a in &s.actions {
                let name = format!("{}:{}", s.prefix, a.name);
                assert!(known_action(&name) && known_action(&name.to_ascii_uppercase()));
                let formats: Vec<&str> = arn_formats(&name).collect();
                for r in &a.resources {
                    let t = s.resource_types.iter().find(|t| t.name == r.name);
                    let arn = t.map(|t| t.arn.as_str()).unwrap_or_default();
                    assert!(t.is_none() || formats.contains(&arn), "{name}: {arn}");
                }
                assert_eq!(
                    formats.is_empty(),
                    a.resources.is_empty()
                        || a.resources
                            .iter()
                            .all(|r| !s.resource_types.iter().any(|t| t.name == r.name)),
                    "{name}"
                );
            }
        }
        assert!(!known_action("iamkitnone:DoThing"));
        assert_eq!(
            arn_formats("iam:PassRole").collect::<Vec<_>>(),
            ["arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"]
        );
        assert_eq!(arn_formats("s3:ListAllMyBuckets").count(), 0);
    }

    #[test]
    fn a_context_value_is_small_and_keeps_every_date() {
        // requests move their values around: keep them small
        assert!(
            std::mem::size_of::<ContextValue>() <= 96,
            "{}",
            std::mem::size_of::<ContextValue>()
        );
        for text in [
            "0",
            "-1",
            "1700000000",
            "2020-01-01T00:00:00.123456789Z",
            "1969-12-31T23:59:59.5Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(
                ContextValue::from_text(text).date(),
                parse_date(text),
                "{text}"
            );
        }
    }

    #[test]
    fn principals() {
        let p = Principal::parse("arn:aws:sts::111122223333:assumed-role/Dev/s1").unwrap();
        assert_eq!(p.kind, PrincipalType::RoleSession);
        assert_eq!(
            p.role_arn.as_deref(),
            Some("arn:aws:iam::111122223333:role/Dev")
        );
        assert_eq!(
            Principal::parse("ec2.amazonaws.com").unwrap().kind,
            PrincipalType::Service
        );
        assert_eq!(
            Principal::parse("cognito-identity.amazonaws.com")
                .unwrap()
                .kind,
            PrincipalType::IdentityProvider
        );
        assert_eq!(
            Principal::parse("arn:aws:iam::111122223333:root")
                .unwrap()
                .kind,
            PrincipalType::Root
        );
        assert!(Principal::parse("alice").is_err());
        assert!(Principal::parse("arn:aws:iam::1:user/x").is_err());
    }

    #[test]
    fn filled_keys_and_overrides() {
        let r = Request::builder(
            "arn:aws:sts::111122223333:assumed-role/Dev/s1",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        )
        .context(
            "aws:PrincipalArn",
            "arn:aws:iam::111122223333:role/team/Dev",
        )
        .build()
        .unwrap();
        assert_eq!(
            r.principal.role_arn.as_deref(),
            Some("arn:aws:iam::111122223333:role/team/Dev")
        );
        assert_eq!(
            r.context.resolve("aws:principalaccount"),
            Some("111122223333")
        );
        assert_eq!(r.context.resolve("aws:principaltype"), Some("AssumedRole"));
        assert_eq!(r.resource_account.as_deref(), Some("111122223333"));
        assert!(r.same_account());
    }

    #[test]
    fn bad_requests() {
        let e = Request::builder("arn:aws:iam::111122223333:user/a", "GetObject", "*")
            .build()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::RequestAction);
        let e = Request::builder("arn:aws:iam::111122223333:user/a", "s3:GetObject", "bucket")
            .build()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::RequestResource);
    }
}

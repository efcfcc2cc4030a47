//! The evaluator: a [`PolicySet`] compiled once, deciding any number of [`Request`]s, with an
//! [`Explanation`] of which statements decided.

pub(crate) mod chain;
pub(crate) mod compile;
mod missing;
mod pattern_request;
mod patterns;
pub(crate) mod request;
pub(crate) mod service_rules;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Location, Result};
use crate::policy::{parse_policy_errors_only, Effect, Origin, PolicyType};

pub(crate) use chain::{NoTrace, Recorder, StatementRef, StepOutcome};
pub(crate) use compile::CompiledPolicy;
pub use missing::{MissingKey, Witness};
pub use request::{ContextValue, ContextValues, Request, RequestBuilder};
pub(crate) use request::{Principal, PrincipalType};

/// The answer, with AWS's `EvalDecision` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    /// The request is allowed.
    Allowed,
    /// A `Deny` statement applies.
    ExplicitDeny,
    /// Nothing allows the request (or a limit does not).
    ImplicitDeny,
}

impl Decision {
    /// `allowed` / `explicitDeny` / `implicitDeny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// A step of the decision chain (also names the kind of policy a statement is in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum EvalStep {
    /// Service control policies.
    Scp,
    /// Resource control policies.
    Rcp,
    /// The resource-based policy (trust policy, key policy, bucket policy, ...).
    Resource,
    /// Identity-based policies.
    Identity,
    /// The permissions boundary.
    Boundary,
    /// The session policy.
    Session,
    /// The policy of a VPC endpoint the request passes through.
    VpcEndpoint,
    /// The account root user's own full access.
    Root,
    /// A rule AWS applies whatever the policies say: `sts:GetCallerIdentity` is always allowed;
    /// AWS managed policies, `alias/aws/` KMS aliases, service-linked roles and roles under
    /// `/aws-reserved/` cannot be changed by an account.
    ServiceRule,
}

impl EvalStep {
    /// The wire name (`scp`, `rcp`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EvalStep::Scp => "scp",
            EvalStep::Rcp => "rcp",
            EvalStep::Resource => "resource",
            EvalStep::Identity => "identity",
            EvalStep::Boundary => "boundary",
            EvalStep::Session => "session",
            EvalStep::VpcEndpoint => "vpcEndpoint",
            EvalStep::Root => "root",
            EvalStep::ServiceRule => "serviceRule",
        }
    }
}

/// Every policy that bears on a request, compiled. Immutable, `Send + Sync`, and cheap to evaluate
/// against many requests.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub(crate) identity: Vec<Arc<CompiledPolicy>>,
    pub(crate) resource: Option<Arc<CompiledPolicy>>,
    pub(crate) boundaries: Vec<Arc<CompiledPolicy>>,
    pub(crate) session: Option<Arc<CompiledPolicy>>,
    pub(crate) scps: Vec<Vec<Arc<CompiledPolicy>>>,
    pub(crate) rcps: Vec<Vec<Arc<CompiledPolicy>>>,
    /// The policies of the VPC endpoints the request passes through.
    pub(crate) vpc_endpoints: Vec<Arc<CompiledPolicy>>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PolicySet>();
    assert_send_sync::<Request>();
};

/// One statement that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MatchedStatement {
    /// The step (kind of policy).
    pub step: EvalStep,
    /// Where the policy is in the set: `identity[0]`, `scps[1][0]`, `resource`, ...
    pub policy: String,
    /// The statement's index in the policy.
    pub statement: usize,
    /// The statement's Sid, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// True when the statement's conditions could not be decided (a request value of the wrong
    /// type) and it was applied fail-closed.
    #[serde(default)]
    pub indeterminate: bool,
}

/// One step's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StepResult {
    /// The step.
    pub step: EvalStep,
    /// `allow`, `implicitDeny`, `explicitDeny`, `notApplicable`, or `skipped` (not reached).
    pub outcome: StepOutcomeName,
}

/// What a step of the decision chain gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum StepOutcomeName {
    /// The step allowed.
    Allow,
    /// No matching Allow.
    ImplicitDeny,
    /// A matching Deny.
    ExplicitDeny,
    /// The step does not apply to this request.
    NotApplicable,
    /// Not reached.
    Skipped,
}

impl From<StepOutcome> for StepOutcomeName {
    fn from(o: StepOutcome) -> Self {
        match o {
            StepOutcome::Allow => StepOutcomeName::Allow,
            StepOutcome::ImplicitDeny => StepOutcomeName::ImplicitDeny,
            StepOutcome::ExplicitDeny => StepOutcomeName::ExplicitDeny,
            StepOutcome::NotApplicable => StepOutcomeName::NotApplicable,
            StepOutcome::Skipped => StepOutcomeName::Skipped,
        }
    }
}

/// Why the decision came out as it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// The step that denied, when the decision is not `allowed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denied_by: Option<EvalStep>,
    /// What granted, when allowed: `identity`, `resource` or `root`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_by: Option<EvalStep>,
    /// One sentence a person can act on.
    pub reason: String,
    /// The statements that decided: the applicable Deny statements for an explicit deny, else
    /// the applicable Allow statements.
    pub statements: Vec<MatchedStatement>,
    /// The outcome of each step reached, in chain order.
    pub steps: Vec<StepResult>,
    /// The condition keys the decision read that the request left out, each with whether
    /// supplying it could change the decision (and a context that does); empty when none.
    #[serde(default)]
    pub missing_context: Vec<MissingKey>,
    /// When the request's resource is a pattern: the resource the answer was decided on (one the
    /// pattern covers that is allowed; else, denied, the one that got furthest through the
    /// chain), which the statements and steps are about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_witness: Option<String>,
}

/// A decision with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// Why.
    pub explain: Explanation,
}

impl PolicySet {
    /// An empty set (no policy at all).
    pub fn new() -> PolicySet {
        PolicySet::default()
    }

    /// Adds an identity policy (JSON text); refused with its error when it does not validate.
    pub fn add_identity(&mut self, policy_json: &str) -> Result<&mut Self> {
        let p = compile_text(policy_json, PolicyType::Identity, "$")?;
        self.identity.push(p);
        Ok(self)
    }

    /// Sets the resource-based policy (JSON text; a policy whose every action is an STS one is
    /// validated as a role trust policy).
    pub fn set_resource(&mut self, policy_json: &str) -> Result<&mut Self> {
        let ty = resource_policy_type(policy_json);
        self.resource = Some(compile_text(policy_json, ty, "$")?);
        Ok(self)
    }

    /// Adds a permissions boundary document (JSON text).
    pub fn add_boundary(&mut self, policy_json: &str) -> Result<&mut Self> {
        let p = compile_text(policy_json, PolicyType::Boundary, "$")?;
        self.boundaries.push(p);
        Ok(self)
    }

    /// Sets the session policy (JSON text).
    pub fn set_session(&mut self, policy_json: &str) -> Result<&mut Self> {
        self.session = Some(compile_text(policy_json, PolicyType::Session, "$")?);
        Ok(self)
    }

    /// Adds an SCP level, root first (JSON texts).
    pub fn add_scp_level(&mut self, level: &[&str]) -> Result<&mut Self> {
        let level = level
            .iter()
            .map(|t| compile_text(t, PolicyType::Scp, "$"))
            .collect::<Result<Vec<_>>>()?;
        self.scps.push(level);
        Ok(self)
    }

    /// Adds an RCP level, root first (JSON texts).
    pub fn add_rcp_level(&mut self, level: &[&str]) -> Result<&mut Self> {
        let level = level
            .iter()
            .map(|t| compile_text(t, PolicyType::Rcp, "$"))
            .collect::<Result<Vec<_>>>()?;
        self.rcps.push(level);
        Ok(self)
    }

    /// Adds the policy of a VPC endpoint the request passes through (JSON text): every endpoint
    /// policy must allow the request, and a Deny in one denies it.
    pub fn add_vpc_endpoint(&mut self, policy_json: &str) -> Result<&mut Self> {
        let p = compile_text(policy_json, PolicyType::VpcEndpoint, "$")?;
        self.vpc_endpoints.push(p);
        Ok(self)
    }

    /// Decides a request: no explanation, no allocation (a request whose resource is a pattern
    /// searches the resources it covers: see [`RequestBuilder::build`]).
    pub fn decide(&self, req: &Request) -> Decision {
        if req.pattern {
            if pattern_request::surely_implicit(self, req) {
                return Decision::ImplicitDeny;
            }
            return pattern_request::search(self, req, true).decision;
        }
        chain::decide(self, req, &mut NoTrace).decision
    }

    /// [`PolicySet::decide`], and for a request whose resource is a pattern that the search
    /// decided, its explanation too (the search is not run twice to explain it).
    pub(crate) fn decide_explaining_patterns(
        &self,
        req: &Request,
    ) -> (Decision, Option<Evaluation>) {
        if !req.pattern {
            return (self.decide(req), None);
        }
        if pattern_request::surely_implicit(self, req) {
            return (Decision::ImplicitDeny, None);
        }
        let ev = self.over_pattern(req, false);
        (ev.decision, Some(ev))
    }

    /// What the policies alone decide, without AWS's service rules (the administrator probes
    /// ask what the policies grant).
    pub(crate) fn decide_by_policies(&self, req: &Request) -> Decision {
        if req.pattern {
            return pattern_request::search(self, req, false).decision;
        }
        chain::decide_with(self, req, &mut NoTrace, false).decision
    }

    /// Decides a request and explains the decision, with the condition keys it read that the
    /// request left out and whether supplying them could change it.
    pub fn evaluate(&self, req: &Request) -> Evaluation {
        // a pattern's missing context is looked for on the resource the answer names (one
        // bounded search, then the usual bounded analysis)
        if req.pattern {
            return self.over_pattern(req, true);
        }
        let mut ev = self.explain(req);
        ev.explain.missing_context = missing::analyze(self, req, ev.decision);
        if let Some(w) = ev
            .explain
            .missing_context
            .iter()
            .find_map(|m| m.witness.as_ref())
        {
            let names: Vec<String> = w.context.keys().map(|k| format!("`{k}`")).collect();
            let values: Vec<String> = w
                .context
                .iter()
                .map(|(k, v)| format!("`{k}` = `{v}`"))
                .collect();
            ev.explain.reason = format!(
                "{}; the request does not give {}: with {} it would be {}",
                ev.explain.reason,
                listing(&names),
                listing(&values),
                match w.decision {
                    Decision::Allowed => "allowed",
                    _ => "denied",
                }
            );
        }
        ev
    }

    /// Decides a request and explains the decision (which statements and steps), without
    /// looking for missing context.
    pub(crate) fn explain(&self, req: &Request) -> Evaluation {
        if req.pattern {
            return self.over_pattern(req, false);
        }
        let mut rec = Recorder::default();
        let out = chain::decide(self, req, &mut rec);
        let wanted = if out.decision == Decision::ExplicitDeny {
            Effect::Deny
        } else {
            Effect::Allow
        };
        let statements: Vec<MatchedStatement> = rec
            .statements
            .iter()
            .filter(|(_, e, _)| *e == wanted)
            .map(|(at, effect, ind)| MatchedStatement {
                step: at.step,
                policy: self.policy_name(at),
                statement: at.statement,
                sid: self
                    .policy_at(at)
                    .and_then(|p| p.source.statements.get(at.statement))
                    .and_then(|s| s.sid.clone())
                    .filter(|s| !s.is_empty()),
                effect: *effect,
                indeterminate: *ind,
            })
            .collect();
        let steps = rec
            .steps
            .iter()
            .map(|(s, o)| StepResult {
                step: *s,
                outcome: (*o).into(),
            })
            .collect();
        let scoped_allow = req.wildcard_only
            && out.decision == Decision::ImplicitDeny
            && out
                .denied_by
                .is_some_and(|step| self.allows_on_resources_only(step, req));
        let endpoint = (out.decision == Decision::ImplicitDeny
            && out.denied_by == Some(EvalStep::VpcEndpoint))
        .then(|| self.endpoint_without_allow(req))
        .flatten();
        let reason = reason(
            out,
            req,
            &statements,
            Notes {
                scoped_allow,
                endpoint,
            },
        );
        Evaluation {
            decision: out.decision,
            explain: Explanation {
                denied_by: out.denied_by,
                granted_by: out.granted_by,
                reason,
                statements,
                steps,
                missing_context: Vec::new(),
                resource_witness: None,
            },
        }
    }

    /// Decides and explains a request whose resource is a pattern, by the resource the search
    /// decided on (its missing context too, when `missing`).
    fn over_pattern(&self, req: &Request, missing: bool) -> Evaluation {
        let found = pattern_request::search(self, req, true);
        self.present_pattern(req, found.decision, found.witness, found.undecided, missing)
    }

    /// The answer to a request whose resource is a pattern, given the resource decided on
    /// (`witness`: allowed when `decision` is) and whether the search stopped undecided: the
    /// witness's explanation (and missing context, when `missing`), said of the pattern.
    pub(crate) fn present_pattern(
        &self,
        req: &Request,
        decision: Decision,
        witness: Option<Request>,
        undecided: bool,
        missing: bool,
    ) -> Evaluation {
        let what = format!("`{}` on `{}`", req.action, req.resource);
        let Some(w) = witness else {
            let reason = if undecided {
                format!("{what} is not decided: the search for a resource the pattern covers that is allowed stopped at its bound before finding one (the policies hold too many patterns to compare), so it is denied (fail closed); ask about a narrower pattern or one resource")
            } else {
                format!(
                    "{what} is denied: the pattern covers no well-formed resource (an ARN of a known partition) in account `{}`",
                    req.resource_account.as_deref().unwrap_or("none")
                )
            };
            return Evaluation {
                decision,
                explain: Explanation {
                    denied_by: None,
                    granted_by: None,
                    reason,
                    statements: Vec::new(),
                    steps: Vec::new(),
                    missing_context: Vec::new(),
                    resource_witness: None,
                },
            };
        };
        let mut ev = if missing {
            self.evaluate(&w)
        } else {
            self.explain(&w)
        };
        ev.explain.reason = if decision == Decision::Allowed {
            format!(
                "{what} is allowed on some resources it covers; for one, {}",
                ev.explain.reason
            )
        } else {
            format!(
                "{what} is denied on every resource it covers{}; for one, {}",
                if req.resource == "*" {
                    format!(
                        " in account `{}`",
                        req.resource_account.as_deref().unwrap_or("none")
                    )
                } else {
                    String::new()
                },
                ev.explain.reason
            )
        };
        ev.explain.resource_witness = Some(w.resource);
        ev
    }

    /// The first VPC endpoint policy with no Allow that applies to the request (naming the
    /// caller), as the chain reads it.
    fn endpoint_without_allow(&self, req: &Request) -> Option<usize> {
        let has_boundary = !self.boundaries.is_empty();
        self.vpc_endpoints.iter().position(|p| {
            !p.statements.iter().any(|s| {
                let m = s.matches(req, has_boundary);
                s.effect == Effect::Allow && m.applies == compile::Tri::True && m.via.is_some()
            })
        })
    }

    /// Whether an Allow of `step`'s policies admits the request's action on specific resources
    /// only (its `Resource` does not match `*` itself).
    fn allows_on_resources_only(&self, step: EvalStep, req: &Request) -> bool {
        let policies: Vec<&Arc<CompiledPolicy>> = match step {
            EvalStep::Identity => self.identity.iter().collect(),
            EvalStep::Boundary => self.boundaries.iter().collect(),
            EvalStep::Session => self.session.iter().collect(),
            EvalStep::Scp => self.scps.iter().flatten().collect(),
            EvalStep::VpcEndpoint => self.vpc_endpoints.iter().collect(),
            _ => return false,
        };
        policies.iter().flat_map(|p| p.statements.iter()).any(|s| {
            s.effect == Effect::Allow
                && s.admits_action(&req.action)
                && !s.admits_resource("*", req)
        })
    }

    fn policy_at(&self, at: &StatementRef) -> Option<&Arc<CompiledPolicy>> {
        match at.step {
            EvalStep::Identity => self.identity.get(at.policy),
            EvalStep::Resource => self.resource.as_ref(),
            EvalStep::Boundary => self.boundaries.get(at.policy),
            EvalStep::Session => self.session.as_ref(),
            EvalStep::Scp => self.scps.get(at.level)?.get(at.policy),
            EvalStep::Rcp => self.rcps.get(at.level)?.get(at.policy),
            EvalStep::VpcEndpoint => self.vpc_endpoints.get(at.policy),
            EvalStep::Root | EvalStep::ServiceRule => None,
        }
    }

    fn policy_name(&self, at: &StatementRef) -> String {
        match at.step {
            EvalStep::Identity => format!("identity[{}]", at.policy),
            EvalStep::Resource => "resource".into(),
            EvalStep::Boundary => format!("permissionBoundaries[{}]", at.policy),
            EvalStep::Session => "session".into(),
            EvalStep::Scp => format!("scps[{}][{}]", at.level, at.policy),
            EvalStep::Rcp => format!("rcps[{}][{}]", at.level, at.policy),
            EvalStep::VpcEndpoint => format!("vpcEndpoint[{}]", at.policy),
            EvalStep::Root => "root".into(),
            EvalStep::ServiceRule => "serviceRule".into(),
        }
    }
}

/// What the reason adds to the outcome.
struct Notes {
    /// The request is for an action with no resource type, denied at a step where an Allow
    /// admits the action on specific resources only.
    scoped_allow: bool,
    /// The VPC endpoint policy that holds no Allow for the request.
    endpoint: Option<usize>,
}

fn reason(out: chain::Outcome, req: &Request, stmts: &[MatchedStatement], notes: Notes) -> String {
    let what = format!("`{}` on `{}`", req.action, req.resource);
    // the statement to cite: the first of the step that decided (the granting step for an
    // Allow, the denying one for an explicit Deny)
    let deciding = out.granted_by.or(out.denied_by);
    let first = stmts
        .iter()
        .find(|s| Some(s.step) == deciding)
        .or(stmts.first())
        .map(|s| {
            let sid = s
                .sid
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            format!("statement {}{sid} of {}", s.statement, s.policy)
        });
    let rule = || service_rules::rule_for(req).map_or("", |r| r.reason);
    let text = match (out.decision, out.denied_by, out.granted_by) {
        (Decision::Allowed, _, Some(EvalStep::ServiceRule)) => {
            format!("{what} is allowed: {}", rule())
        }
        (_, Some(EvalStep::ServiceRule), _) => format!("{what} is refused: {}", rule()),
        (Decision::Allowed, _, Some(EvalStep::Root)) => {
            format!("{what} is allowed: the account root user has full access and nothing denies it")
        }
        (Decision::Allowed, _, Some(g)) => format!(
            "{what} is allowed by {}{}",
            first.unwrap_or_else(|| "the policies".into()),
            if g == EvalStep::Resource { " (the resource-based policy)" } else { "" }
        ),
        (Decision::ExplicitDeny, Some(step), _) => format!(
            "{what} is explicitly denied by {}",
            first.unwrap_or_else(|| format!("a Deny statement ({})", step.as_str()))
        ),
        (_, Some(step), _) => match step {
            EvalStep::Scp => format!("{what} is denied: an SCP level has no Allow for it"),
            EvalStep::Resource => format!(
                "{what} is denied: the resource-based policy does not allow this principal (required for {})",
                if req.is_trust_request {
                    "assuming a role"
                } else if req.is_kms_key_request {
                    "a KMS key"
                } else if !req.principal.kind.has_account() {
                    "callers without an identity"
                } else {
                    "cross-account access"
                }
            ),
            EvalStep::Identity => format!("{what} is denied: no identity-based policy allows it"),
            EvalStep::Boundary => format!("{what} is denied: the permissions boundary does not allow it"),
            EvalStep::Session if req.principal.kind == PrincipalType::FederatedUser => format!(
                "{what} is denied: a federated-user session has only what its session policy allows, and it allows no such thing"
            ),
            EvalStep::Session => format!("{what} is denied: the session policy does not allow it"),
            EvalStep::VpcEndpoint => format!(
                "{what} is denied: the VPC endpoint policy {} does not allow it for this principal",
                notes.endpoint.map_or("of an endpoint it passes through".into(), |i| format!("vpcEndpoint[{i}]"))
            ),
            _ => format!("{what} is denied"),
        },
        _ => format!("{what}: {}", out.decision.as_str()),
    };
    if notes.scoped_allow {
        // the usual surprise: a statement naming the service's resources does not grant it
        return format!(
            "{text} (`{}` acts on no resource type, so AWS asks for it on `*`: a statement allowing it on specific resources does not grant it; `\"Resource\": \"*\"` or a `NotResource` does)",
            req.action
        );
    }
    text
}

/// `a`, `a and b`, `a, b and c`.
fn listing<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => format!(
            "{} and {}",
            rest.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// Validates and compiles one policy text; refuses it on any error-severity diagnostic.
pub(crate) fn compile_text(text: &str, ty: PolicyType, path: &str) -> Result<Arc<CompiledPolicy>> {
    compile_at(
        text,
        ty,
        Origin {
            path,
            enclosing: None,
        },
    )
}

/// Validates and compiles a policy text that sits at `origin` (for error locations).
pub(crate) fn compile_at(
    text: &str,
    ty: PolicyType,
    origin: Origin<'_>,
) -> Result<Arc<CompiledPolicy>> {
    let parsed = parse_policy_errors_only(text, ty, origin);
    if let Some(d) = parsed.first_error() {
        return Err(d.to_error());
    }
    let policy = parsed.policy.ok_or_else(|| {
        Error::new(ErrorCode::PolicyJson, "the policy is not a JSON object").at(Location::new(
            origin.path,
            0,
            0,
        ))
    })?;
    Ok(Arc::new(CompiledPolicy::new(policy)))
}

/// A policy under `resource` whose every action is an STS one is read as a role trust policy.
pub(crate) fn resource_policy_type(text: &str) -> PolicyType {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return PolicyType::Resource;
    };
    let stmts: Vec<&serde_json::Value> = match v.get("Statement") {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(o @ serde_json::Value::Object(_)) => vec![o],
        _ => return PolicyType::Resource,
    };
    let sts_only = !stmts.is_empty()
        && stmts.iter().all(|s| {
            let acts: Vec<&str> = match s.get("Action") {
                Some(serde_json::Value::String(a)) => vec![a.as_str()],
                Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_str()).collect(),
                _ => return false,
            };
            !acts.is_empty()
                && acts
                    .iter()
                    .all(|a| a.to_ascii_lowercase().starts_with("sts:"))
        });
    if sts_only {
        PolicyType::Trust
    } else {
        PolicyType::Resource
    }
}

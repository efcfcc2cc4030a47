//! The wire contract: every call that the CLI, C, Go, Python and Node make, as typed inputs and
//! typed answers, read from JSON text and written back as JSON.
//!
//! A call has a name and an input object. Calls live in three tables:
//! - [`Call`]: calls that need no handle (`evaluate`, `validate`, `audit`, `lint`, ...);
//! - [`PolicySetCall`]: calls on a compiled policy set (`evaluate`, `decide`, `evaluateBatch`);
//! - [`AccountCall`]: calls on a loaded account (`whoCan`, `summary`, ...).
//!
//! A [`Handle`] is opened once from its kind (`policySet`, `account`) and an input, then answers
//! any number of calls from any number of threads. Each table is declared once (see
//! [`calls`](self#calls)); the JSON Schema of the whole contract, and from it the TypeScript, Go and
//! Python types, are generated from these declarations.
//!
//! Inputs are read without copying the policy documents they carry: a document is kept as the
//! slice of the input text that holds it, so errors point at a line and column of that text.

#[macro_use]
mod table;
mod account;
mod audit;
mod catalog;
mod context;
mod document;
mod evaluate;
mod org;
mod policies;
mod session;

#[cfg(feature = "schema")]
pub mod contract;

use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::error::{Error, ErrorCode, Location, Result};
use crate::eval::PolicySet;
use crate::limits;
use crate::org::Organization;

pub use crate::json::SourceText;
pub use account::{
    AccountEvaluateInput, AccountOpenInput, Administrator, EscalationsInput, NoInput,
    PrincipalInput, RoleInput, WhoCanInput,
};
pub use audit::{
    credential_report_of_text, AuditData, AuditInput, CredentialReportInput, CredentialsInput,
};
pub use catalog::{ActionInfo, ActionResourceInfo, CatalogInfo, CatalogInput, PolicyInput};
pub use catalog::{ExpandActionsInput, LookupActionInput};
pub use context::{Context, ContextEntry};
pub use document::Document;
pub use evaluate::{BatchAnswer, Decided, EvaluateBatchInput, EvaluateInput, Request};
pub use evaluate::{ValidateInput, Validation};
pub use org::{OrgAccountsInput, OrgAuditInput, OrgOpenInput, OrgWhoCanInput};
pub use policies::Policies;
pub use session::Session;

call_table! {
    /// A call that needs no handle.
    pub enum Call<'a> -> CallAnswer on () {
        /// Decides one request against the policies given with it, and explains the decision.
        "evaluate" => Evaluate(EvaluateInput<'a>) -> crate::eval::Evaluation = evaluate::evaluate;
        /// Validates a policy document as a policy type; an invalid policy is an answer
        /// (`valid: false` with its diagnostics), not an error.
        "validate" => Validate(ValidateInput<'a>) -> Validation = evaluate::validate;
        /// One action of the service catalog: access level, resource types, condition keys; `null`
        /// when the catalog does not list it.
        "lookupAction" => LookupAction(LookupActionInput<'a>) -> Option<ActionInfo> = catalog::lookup_action;
        /// The actions that action patterns cover (or, with `notAction`, every action they do not).
        "expandActions" => ExpandActions(ExpandActionsInput<'a>) -> Vec<crate::catalog::ActionMatch> = catalog::expand_actions;
        /// Lints a policy against the service catalog, on top of the validator.
        "lint" => Lint(PolicyInput<'a>) -> crate::catalog::LintReport = catalog::lint;
        /// A policy's access by service and access level, as the IAM console summarizes it.
        "summarize" => Summarize(PolicyInput<'a>) -> crate::catalog::PolicySummary = catalog::summarize;
        /// Lints and summarizes a policy in one reading (the summary is `null` when the policy has
        /// errors).
        "review" => Review(PolicyInput<'a>) -> crate::catalog::PolicyReview = catalog::review;
        /// Where the service catalog comes from, and its size.
        "catalogSource" => CatalogSource(CatalogInput<'a>) -> CatalogInfo = catalog::source;
        /// Reads an EC2 instance-metadata credential document and reports it without its secrets.
        "credentials" => Credentials(CredentialsInput<'a>) -> crate::inputs::CredentialsStatus = audit::credentials;
        /// Parses an IAM credential report (CSV, or the `GetCredentialReport` envelope) into typed
        /// rows.
        "credentialReport" => CredentialReport(CredentialReportInput<'a>) -> crate::inputs::CredentialReport = audit::credential_report;
        /// Audits an account (CIS AWS Foundations Benchmark and IAM best practice) from the inputs
        /// IAM gives; every input is optional.
        "audit" => Audit(AuditInput<'a>) -> crate::audit::AuditReport = audit::audit;
    }
}

call_table! {
    /// A call on a compiled policy set (a [`Handle`] of kind `policySet`).
    pub enum PolicySetCall<'a> -> PolicySetAnswer on &PolicySet {
        /// Decides one request and explains the decision.
        "evaluate" => Evaluate(Request) -> crate::eval::Evaluation = evaluate::set_evaluate;
        /// Decides one request, without an explanation.
        "decide" => Decide(Request) -> Decided = evaluate::set_decide;
        /// Decides many requests; each answer is a decision or that request's own error.
        "evaluateBatch" => EvaluateBatch(EvaluateBatchInput<'a>) -> Vec<BatchAnswer> = evaluate::set_evaluate_batch;
    }
}

call_table! {
    /// A call on a loaded account (a [`Handle`] of kind `account`).
    pub enum AccountCall<'a> -> AccountAnswer on &Account {
        /// Counts, administrators (found by evaluation) and the issues found while loading.
        "summary" => Summary(NoInput) -> crate::account::Summary = account::summary;
        /// Every user and role, with its policies, boundary, groups and credentials.
        "principals" => Principals(NoInput) -> Vec<crate::account::PrincipalInfo> = account::principals;
        /// One user or role, with its policies, boundary, groups and credentials.
        "principal" => Principal(PrincipalInput) -> crate::account::PrincipalInfo = account::principal;
        /// Decides one request of one principal of the account, with its own policies plus the
        /// policies given.
        "evaluate" => Evaluate(AccountEvaluateInput<'a>) -> crate::account::AccountEvaluation = account::evaluate;
        /// Every user and role allowed an action on a resource.
        "whoCan" => WhoCan(WhoCanInput<'a>) -> crate::account::WhoCan = account::who_can;
        /// Who can assume a role: principals of the account, and what the trust policy names
        /// outside it.
        "whoCanAssume" => WhoCanAssume(RoleInput<'a>) -> crate::account::WhoCanAssume = account::who_can_assume;
        /// What a principal may do, by service, net of its denies and its boundary.
        "permissions" => Permissions(PrincipalInput) -> crate::account::EffectivePermissions = account::permissions;
        /// Whether a principal is allowed `*` on `*` (found by evaluation).
        "isAdministrator" => IsAdministrator(PrincipalInput) -> Administrator = account::is_administrator;
        /// Who can become an administrator, and how: each principal's shortest escalation path,
        /// every hop decided by evaluation.
        "escalations" => Escalations(EscalationsInput<'a>) -> crate::account::Escalations = account::escalations;
    }
}

call_table! {
    /// A call on an organization (a [`Handle`] of kind `organization`): each answers every
    /// account (or those asked), each account's line holding its answer or its error.
    pub enum OrgCall<'a> -> OrgCallAnswer on &Organization {
        /// The member accounts the organization lists, in id order.
        "members" => Members(NoInput) -> Vec<crate::org::Member> = org::members;
        /// Each account's summary: its OU path, SCPs and RCPs by level, counts and administrators.
        "summary" => Summary(OrgAccountsInput) -> crate::org::OrgAnswer = org::summary;
        /// Each account's audit with its SCPs and RCPs, and the organization's checks (SCPs
        /// denying the root user and leaving; roles trusting accounts outside the organization).
        "audit" => Audit(OrgAuditInput) -> crate::org::OrgAnswer = org::audit;
        /// Who in each account can do an action on a resource, with the account's SCPs and RCPs.
        "whoCan" => WhoCan(OrgWhoCanInput<'a>) -> crate::org::OrgAnswer = org::who_can;
        /// Each account's privilege-escalation paths, with its SCPs and RCPs.
        "escalations" => Escalations(OrgAccountsInput) -> crate::org::OrgAnswer = org::escalations;
        /// Who in each account can assume roles of other accounts of the organization.
        "assume" => Assume(OrgAccountsInput) -> crate::org::OrgAnswer = org::assume;
    }
}

/// The answer to any call: serializes as the call's answer.
#[allow(clippy::large_enum_variant)] // made once and serialized at once (see `call_table!`)
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Answer {
    /// The answer to a call without a handle.
    Call(CallAnswer),
    /// The answer to a call on a policy set.
    PolicySet(PolicySetAnswer),
    /// The answer to a call on an account.
    Account(AccountAnswer),
    /// The answer to a call on an organization.
    Org(OrgCallAnswer),
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Answer::Call(a) => a.serialize(s),
            Answer::PolicySet(a) => a.serialize(s),
            Answer::Account(a) => a.serialize(s),
            Answer::Org(a) => a.serialize(s),
        }
    }
}

/// Answers a call that needs no handle: `name` names it, `input` is its input object (JSON text).
pub fn call(name: &str, input: &str) -> Result<Answer> {
    Call::parse(name, input)?.run((), input).map(Answer::Call)
}

/// Like [`call`], with the answer as JSON text.
pub fn call_json(name: &str, input: &str) -> Result<String> {
    to_json(&call(name, input)?)
}

/// Something opened once and called many times: a compiled policy set or a loaded account.
/// Immutable, `Send + Sync`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Handle {
    /// A compiled policy set (kind `policySet`; opened from a [`Policies`] object).
    PolicySet(PolicySet),
    /// A loaded account (kind `account`; opened from an [`AccountOpenInput`]).
    Account(Box<Account>),
    /// An organization folder's tree and policies (kind `organization`; opened from an
    /// [`OrgOpenInput`]); accounts are read when a call asks about them.
    Organization(Box<Organization>),
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Handle>();
};

impl Handle {
    /// The kinds of handle, as [`Handle::open`] names them.
    pub const KINDS: &'static [&'static str] = &["policySet", "account", "organization"];

    /// Opens a handle of `kind` (`policySet`, `account` or `organization`) from its input (JSON
    /// text).
    pub fn open(kind: &str, input: &str) -> Result<Handle> {
        match kind {
            "policySet" => open_policy_set(input).map(Handle::PolicySet),
            "account" => open_account(input).map(|a| Handle::Account(Box::new(a))),
            "organization" => org::open(read(input)?).map(|o| Handle::Organization(Box::new(o))),
            other => Err(Error::new(
                ErrorCode::InvalidArgument,
                format!(
                    "unknown handle kind `{other}` (expected one of: {})",
                    Handle::KINDS.join(", ")
                ),
            )),
        }
    }

    /// The handle's kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Handle::PolicySet(_) => "policySet",
            Handle::Account(_) => "account",
            Handle::Organization(_) => "organization",
        }
    }

    /// Answers a call on the handle: `name` names it in the handle's table, `input` is its input
    /// object (JSON text).
    pub fn call(&self, name: &str, input: &str) -> Result<Answer> {
        match self {
            Handle::PolicySet(set) => PolicySetCall::parse(name, input)?
                .run(set, input)
                .map(Answer::PolicySet),
            Handle::Account(account) => AccountCall::parse(name, input)?
                .run(account, input)
                .map(Answer::Account),
            Handle::Organization(org) => OrgCall::parse(name, input)?
                .run(org, input)
                .map(Answer::Org),
        }
    }

    /// Like [`Handle::call`], with the answer as JSON text.
    pub fn call_json(&self, name: &str, input: &str) -> Result<String> {
        to_json(&self.call(name, input)?)
    }
}

/// Compiles a [`Policies`] object (JSON text) into a policy set.
pub fn open_policy_set(input: &str) -> Result<PolicySet> {
    let p: Policies<'_> = read(input)?;
    p.compile(Some(input), "$")
}

/// Loads an account from an [`AccountOpenInput`] (JSON text).
pub fn open_account(input: &str) -> Result<Account> {
    account::open(read(input)?)
}

/// Reads a request object (JSON text).
pub fn read_request(input: &str) -> Result<crate::eval::Request> {
    read::<Request>(input)?.into_request()
}

/// Reads a wire input from JSON text, borrowing from it. Every input of the contract is read here,
/// so every surface refuses the same shapes with the same codes: an input larger than
/// [`MAX_INPUT_BYTES`](crate::limits::MAX_INPUT_BYTES) is `IAM_INPUT_TOO_LARGE`; text that is not
/// JSON, or nests deeper than [`MAX_INPUT_DEPTH`](crate::limits::MAX_INPUT_DEPTH), is
/// `IAM_INPUT_JSON`; JSON of the wrong shape is `IAM_INPUT_SCHEMA` (an array where an object is
/// expected included: structs are never read by position), with the line and column.
pub fn read<'a, T: Deserialize<'a>>(input: &'a str) -> Result<T> {
    read_limited(
        input,
        "the input",
        limits::MAX_INPUT_BYTES,
        Some(limits::MAX_INPUT_DEPTH),
    )
}

/// [`read`] under the given limits (`None`: no nesting limit but `serde_json`'s own).
fn read_limited<'a, T: Deserialize<'a>>(
    input: &'a str,
    what: &str,
    max_bytes: usize,
    max_depth: Option<usize>,
) -> Result<T> {
    match max_depth {
        Some(depth) => limits::check(input, what, max_bytes, depth)?,
        None if input.len() > max_bytes => {
            return Err(limits::too_large(what, Some(input.len()), max_bytes))
        }
        None => {}
    }
    crate::strict::from_str(input).map_err(|e| json_error(&e))
}

/// Reads a wire input from `raw`, a slice of a larger `text` (a line of a JSON-lines file, an
/// element of an array): errors point at lines and columns of `text`, under the JSON path `path`.
/// The same limits and shapes as [`read`].
pub fn read_within<'a, T: Deserialize<'a>>(raw: &'a str, text: &str, path: &str) -> Result<T> {
    read_in(raw, &SourceText::new(text), path)
}

/// [`read_within`] for a `raw` slice of `source` (a file, or a line of one): errors point at lines
/// and columns of its file, computed only for an error.
pub fn read_in<'a, T: Deserialize<'a>>(
    raw: &'a str,
    source: &SourceText<'_>,
    path: &str,
) -> Result<T> {
    let limits = limits::check(
        raw,
        "the input",
        limits::MAX_INPUT_BYTES,
        limits::MAX_INPUT_DEPTH,
    );
    if let Err(e) = limits {
        let at = match e.location().and_then(|l| l.line.zip(l.column)) {
            Some((line, column)) => located_within(source, raw, path, line, column),
            None => Location::path(path),
        };
        return Err(e.at(at));
    }
    crate::strict::from_str(raw).map_err(|e| {
        let err = json_error(&e);
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let at = located_within(source, raw, path, to_u32(e.line()), to_u32(e.column()));
        Error::new(err.code(), err.message()).at(at)
    })
}

/// The location in `text` of a `line` and `column` of `raw`, a slice of it.
fn located_within(
    source: &SourceText<'_>,
    raw: &str,
    path: &str,
    line: u32,
    column: u32,
) -> Location {
    let (l0, c0) = match source.offset_of(raw) {
        Some(o) => source.position(o),
        None => (1, 1),
    };
    let (line, column) = if line <= 1 {
        (l0, c0.saturating_add(column.saturating_sub(1)))
    } else {
        (l0.saturating_add(line - 1), column)
    };
    Location::new(path, line, column)
}

/// The iamkit error for a `serde_json` error, located at its line and column.
pub(crate) fn json_error(e: &serde_json::Error) -> Error {
    let code = if e.is_data() {
        ErrorCode::InputSchema
    } else {
        ErrorCode::InputJson
    };
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    Error::new(code, msg).at(Location::new(
        "$",
        u32::try_from(e.line()).unwrap_or(u32::MAX),
        u32::try_from(e.column()).unwrap_or(u32::MAX),
    ))
}

/// The error for a call name that a table does not hold.
pub(crate) fn unknown_call(table: &str, name: &str, names: &[&str]) -> Error {
    let what = match table {
        "PolicySetCall" => "policy-set call",
        "AccountCall" => "account call",
        _ => "call",
    };
    Error::new(
        ErrorCode::InvalidArgument,
        format!(
            "unknown {what} `{name}` (expected one of: {})",
            names.join(", ")
        ),
    )
}

/// Serializes an answer as JSON text.
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("serialization failed: {e}")))
}

/// Serializes an error as `{"code", "message", "location"?}`, as every surface reports it.
pub fn error_json(e: &Error) -> String {
    serde_json::to_string(e).unwrap_or_else(|_| {
        format!(
            r#"{{"code":"{}","message":"the error could not be serialized"}}"#,
            e.code().as_str()
        )
    })
}

//! `iamkit account ...`: load authorization details and query them.

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;
use iamkit_core::wire::Handle;
use iamkit_core::{Error, ErrorCode};
use serde_json::{json, Value};

use crate::input::{self, Field};
use crate::{read_input, Format};

/// The account commands' output formats: `dot` (Graphviz) only for `escalations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AccountFormat {
    /// One JSON object per line.
    Json,
    /// For people.
    Text,
    /// A Graphviz graph (`escalations` only): `iamkit account escalations A --format dot | dot -Tsvg`.
    Dot,
}

/// Where account queries read from.
#[derive(Debug, clap::Args)]
pub struct Source {
    /// `aws iam get-account-authorization-details` output (`-` for stdin).
    file: String,
    /// Documents of referenced managed policies the output does not list: a JSON lines file with
    /// `{"arn", "document"}` per line (the managed-policy corpus), or a load-options object.
    #[arg(long = "managed-policies")]
    managed_policies: Option<String>,
    /// The credential report (CSV, or the get-credential-report JSON): users' console passwords,
    /// MFA and access keys appear in `principals`.
    #[arg(long = "credential-report")]
    credential_report: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AccountFormat::Text, global = true)]
    format: AccountFormat,
}

impl Source {
    /// The format of answers and errors (`dot` answers; its errors are text).
    fn format(&self) -> Format {
        match self.format {
            AccountFormat::Json => Format::Json,
            AccountFormat::Text | AccountFormat::Dot => Format::Text,
        }
    }
}

/// Extra policies and context for eval and who-can.
#[derive(Debug, clap::Args)]
pub struct Extras {
    /// A condition key: `--context aws:SourceIp=10.1.2.3` (repeat it; repeating a key makes it a
    /// list).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// A JSON file of extra policies: `{"scps", "rcps", "resource", "session", "vpcEndpoint"}`.
    #[arg(long = "policies")]
    policies: Option<String>,
}

/// The account subcommands.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Counts, administrators (by evaluation) and load issues.
    Summary {
        #[command(flatten)]
        source: Source,
    },
    /// Every user and role with its policies.
    Principals {
        #[command(flatten)]
        source: Source,
    },
    /// Decide one request of a principal of the account.
    Eval {
        #[command(flatten)]
        source: Source,
        /// An ARN, user/NAME, role/NAME or a unique name.
        #[arg(long)]
        principal: String,
        /// `service:Action`.
        #[arg(long)]
        action: String,
        /// An ARN or `*`; holding `*` or `?` (`arn:aws:s3:::logs/*`), a pattern: allowed on some
        /// resource it covers?
        #[arg(long)]
        resource: String,
        /// Read `--resource` as one resource even when it holds `*` or `?` (an S3 key with those
        /// characters), not as a pattern.
        #[arg(long)]
        literal_resource: bool,
        #[command(flatten)]
        extras: Extras,
    },
    /// Every user and role allowed an action on a resource.
    WhoCan {
        #[command(flatten)]
        source: Source,
        /// `service:Action`.
        #[arg(long)]
        action: String,
        /// An ARN or `*`; holding `*` or `?` (`arn:aws:s3:::logs/*`), a pattern: allowed on some
        /// resource it covers?
        #[arg(long)]
        resource: String,
        /// Read `--resource` as one resource even when it holds `*` or `?` (an S3 key with those
        /// characters), not as a pattern.
        #[arg(long)]
        literal_resource: bool,
        #[command(flatten)]
        extras: Extras,
    },
    /// Who can become a role: principals of the account, and what the trust policy names.
    WhoCanAssume {
        #[command(flatten)]
        source: Source,
        /// The role: an ARN, role/NAME or its name.
        role: String,
        #[command(flatten)]
        extras: Extras,
    },
    /// What a principal may do, by service, net of denies and its boundary.
    Permissions {
        #[command(flatten)]
        source: Source,
        /// An ARN, user/NAME, role/NAME or a unique name.
        principal: String,
    },
    /// Who can become an administrator, and how: each principal's shortest privilege-escalation
    /// path, every hop decided by evaluation (`--format dot` draws the paths for Graphviz).
    Escalations {
        #[command(flatten)]
        source: Source,
        /// Only this principal's path: an ARN, user/NAME, role/NAME or a unique name.
        #[arg(long)]
        principal: Option<String>,
        /// Paths to `administrator` (the default), or to this principal (an ARN, user/NAME,
        /// role/NAME or a unique name): who can obtain its permissions.
        #[arg(long)]
        to: Option<String>,
        /// The analysis instant (RFC 3339; default: now): time condition keys are set to it.
        #[arg(long = "as-of")]
        as_of: Option<String>,
        /// A resource inventory (repeat it for several files): `aws lambda list-functions`,
        /// `aws ec2 describe-instances`, `aws cloudformation describe-stacks` or
        /// `aws codebuild batch-get-projects` output, or `{"complete": [...], "resources": [...]}`.
        /// Taking over a running resource listed is exact; in a service listed as `complete`,
        /// only those listed exist.
        #[arg(long = "resources", value_name = "FILE")]
        resources: Vec<String>,
        #[command(flatten)]
        extras: Extras,
    },
}

/// Opens the account `source` names: the `account` handle's input is built from the files (each
/// as its text; the core reads JSON and CSV alike).
fn load(source: &Source) -> Result<Handle, Error> {
    let mut input = vec![("details", Field::file(read_input(&source.file)?))];
    if let Some(path) = &source.managed_policies {
        let t = read_input(path)?;
        let docs = if t.trim_start().starts_with("{\"managedPolicyDocuments\"") {
            let v: Value = serde_json::from_str(&t)
                .map_err(|e| Error::new(ErrorCode::InputJson, format!("{path}: {e}")))?;
            v["managedPolicyDocuments"].clone()
        } else {
            // JSON lines of {"arn", "document"} (the managed-policy corpus)
            let mut docs = serde_json::Map::new();
            for (i, line) in t.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                let v: Value = serde_json::from_str(line).map_err(|e| {
                    Error::new(ErrorCode::InputJson, format!("{path}:{}: {e}", i + 1))
                })?;
                if let (Some(arn), Some(doc)) =
                    (v.get("arn").and_then(Value::as_str), v.get("document"))
                {
                    docs.insert(arn.to_string(), doc.clone());
                }
            }
            Value::Object(docs)
        };
        input.push(("managedPolicyDocuments", Field::Value(docs)));
    }
    if let Some(path) = &source.credential_report {
        input.push(("credentialReport", Field::file(read_input(path)?)));
    }
    Handle::open("account", &input::object(input))
}

/// `--context KEY=VALUE` pairs by key, in first-seen order, each key's values in order (a
/// repeated key is a list).
pub(crate) fn context_pairs(pairs: &[String]) -> Result<Vec<(String, Vec<String>)>, Error> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for p in pairs {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("--context `{p}` must be KEY=VALUE"),
            )
        })?;
        match out.iter_mut().find(|(key, _)| key == k) {
            Some((_, values)) => values.push(v.to_string()),
            None => out.push((k.to_string(), vec![v.to_string()])),
        }
    }
    Ok(out)
}

fn context_json(pairs: &[String]) -> Result<Value, Error> {
    let mut m = serde_json::Map::new();
    for (k, mut values) in context_pairs(pairs)? {
        let v = if values.len() == 1 {
            Value::String(values.remove(0))
        } else {
            Value::Array(values.into_iter().map(Value::String).collect())
        };
        m.insert(k, v);
    }
    Ok(Value::Object(m))
}

fn with_extras(mut q: Value, extras: &Extras) -> Result<Value, Error> {
    q["context"] = context_json(&extras.context)?;
    if let Some(path) = &extras.policies {
        let text = read_input(path)?;
        q["policies"] = serde_json::from_str(&text)
            .map_err(|e| Error::new(ErrorCode::InputJson, format!("{path}: {e}")))?;
    }
    Ok(q)
}

/// Runs an account subcommand.
pub fn run(cmd: AccountCommand, out: &mut impl Write) -> ExitCode {
    let (source, call, input) = match build(&cmd) {
        Ok(x) => x,
        Err(e) => return fail(out, Format::Text, &e),
    };
    let account = match load(source) {
        Ok(a) => a,
        Err(e) => return fail(out, source.format(), &e),
    };
    let answer = match account.call_json(call, &input.to_string()) {
        Ok(a) => a,
        Err(e) => return fail(out, source.format(), &e),
    };
    // JSON is printed as the core wrote it; the text, the graph and an eval's exit code read it
    let read = source.format != AccountFormat::Json || matches!(cmd, AccountCommand::Eval { .. });
    let v: Value = if read {
        serde_json::from_str(&answer).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    match source.format {
        AccountFormat::Json => {
            let _ = writeln!(out, "{answer}");
        }
        AccountFormat::Text => text(&cmd, &v, out),
        AccountFormat::Dot => {
            let to = match &cmd {
                AccountCommand::Escalations { to, .. } => {
                    to.as_deref().filter(|t| *t != "administrator")
                }
                _ => None,
            };
            crate::escalations::dot(&v, to, out)
        }
    }
    // an eval that is not allowed exits 1, like `iamkit eval` with a failed expectation
    if matches!(cmd, AccountCommand::Eval { .. }) && v["decision"] != "allowed" {
        return ExitCode::from(1);
    }
    let code = match &account {
        Handle::Account(a) => conflicting_exit(a),
        _ => ExitCode::SUCCESS,
    };
    // the process ends here: freeing a large account first would only take time
    std::mem::forget(account);
    code
}

/// Exit code 3 (with a note on standard error) when the authorization details list an entity
/// twice with different content: the answers stand, but principals that depend on it are
/// undecided, which a pipeline must not take for success.
pub fn conflicting_exit(account: &iamkit_core::account::Account) -> ExitCode {
    let conflicting: Vec<&str> = account
        .issues()
        .iter()
        .filter(|i| i.code == iamkit_core::account::LoadIssueCode::ConflictingDuplicate)
        .map(|i| i.entity.as_str())
        .collect();
    if conflicting.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "iamkit: listed twice with different content (principals that depend on them are undecided): {}",
        conflicting.join(", ")
    );
    ExitCode::from(3)
}

/// The source, the account call and its input.
fn build(cmd: &AccountCommand) -> Result<(&Source, &'static str, Value), Error> {
    let built = build_call(cmd)?;
    if built.0.format == AccountFormat::Dot && built.1 != "escalations" {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "--format dot draws escalation paths: it is only for `iamkit account escalations`",
        ));
    }
    Ok(built)
}

fn build_call(cmd: &AccountCommand) -> Result<(&Source, &'static str, Value), Error> {
    Ok(match cmd {
        AccountCommand::Summary { source } => (source, "summary", json!({})),
        AccountCommand::Principals { source } => (source, "principals", json!({})),
        AccountCommand::Eval {
            source,
            principal,
            action,
            resource,
            literal_resource,
            extras,
        } => (
            source,
            "evaluate",
            with_extras(
                json!({"principal": principal, "action": action, "resource": resource,
                       "literalResource": literal_resource}),
                extras,
            )?,
        ),
        AccountCommand::WhoCan {
            source,
            action,
            resource,
            literal_resource,
            extras,
        } => (
            source,
            "whoCan",
            with_extras(
                json!({"action": action, "resource": resource,
                       "literalResource": literal_resource}),
                extras,
            )?,
        ),
        AccountCommand::WhoCanAssume {
            source,
            role,
            extras,
        } => (
            source,
            "whoCanAssume",
            with_extras(json!({"role": role}), extras)?,
        ),
        AccountCommand::Permissions { source, principal } => {
            (source, "permissions", json!({ "principal": principal }))
        }
        AccountCommand::Escalations {
            source,
            principal,
            to,
            as_of,
            resources,
            extras,
        } => {
            let mut q = with_extras(json!({}), extras)?;
            let mut inventory = Vec::with_capacity(resources.len());
            for path in resources {
                let text = read_input(path)?;
                let v: Value = serde_json::from_str(&text)
                    .map_err(|e| Error::new(ErrorCode::InputJson, format!("{path}: {e}")))?;
                match v {
                    Value::Array(items) => inventory.extend(items),
                    v => inventory.push(v),
                }
            }
            if !resources.is_empty() {
                q["resources"] = Value::Array(inventory);
            }
            if let Some(p) = principal {
                q["principal"] = json!(p);
            }
            if let Some(t) = to.as_deref().filter(|t| *t != "administrator") {
                q["to"] = json!(t);
            }
            if let Some(t) = as_of {
                q["asOf"] = json!(t);
            }
            (source, "escalations", q)
        }
    })
}

fn fail(out: &mut impl Write, format: Format, e: &Error) -> ExitCode {
    match format {
        Format::Json => {
            let _ = writeln!(out, "{}", json!({ "error": e }));
        }
        Format::Text => {
            let _ = writeln!(out, "error {e}");
        }
    }
    ExitCode::from(2)
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn text(cmd: &AccountCommand, v: &Value, out: &mut impl Write) {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    match cmd {
        AccountCommand::Escalations { principal, to, .. } => {
            let to = to.as_deref().filter(|t| *t != "administrator");
            crate::escalations::text(v, principal.is_some(), to, out)
        }
        AccountCommand::Summary { .. } => {
            let _ = writeln!(
                out,
                "account {} ({})",
                s(&v["accountId"]),
                s(&v["partition"])
            );
            let _ = writeln!(
                out,
                "{} users, {} groups, {} roles, {} customer managed policies, {} AWS managed policies, {} instance profiles",
                v["users"], v["groups"], v["roles"], v["customerPolicies"], v["awsManagedPolicies"], v["instanceProfiles"]
            );
            let admins = list(&v["administrators"]);
            let _ = writeln!(out, "administrators (allowed * on *): {}", admins.len());
            for a in admins {
                let _ = writeln!(out, "  {}", s(&a));
            }
            for i in list(&v["issues"]) {
                let _ = writeln!(out, "issue {}: {}", s(&i["code"]), s(&i["message"]));
            }
        }
        AccountCommand::Principals { .. } => {
            for p in list(v) {
                let _ = writeln!(out, "{} {}", s(&p["kind"]), s(&p["arn"]));
                for pol in list(&p["policies"]) {
                    let _ = writeln!(out, "    {}", s(&pol));
                }
            }
        }
        AccountCommand::Eval { .. } => {
            let _ = writeln!(out, "{}: {}", s(&v["principal"]), s(&v["decision"]));
            let _ = writeln!(out, "    {}", s(&v["explain"]["reason"]));
        }
        AccountCommand::WhoCan { .. } => {
            let allowed = list(&v["allowed"]);
            let _ = writeln!(out, "{} principals allowed", allowed.len());
            for e in allowed {
                let _ = writeln!(out, "  {}", s(&e["principal"]));
                if let Some(w) = e["resourceWitness"].as_str() {
                    // the query's resource is a pattern: one resource it covers
                    let _ = writeln!(out, "    on some resources, e.g. {w}");
                }
                for st in list(&e["statements"]) {
                    let _ = writeln!(
                        out,
                        "      {} statement {} {}",
                        s(&st["policy"]),
                        st["statement"],
                        s(&st["sid"])
                    );
                }
            }
            for u in list(&v["undecided"]) {
                let _ = writeln!(out, "  undecided (unknown policy documents): {}", s(&u));
            }
        }
        AccountCommand::WhoCanAssume { .. } => {
            let _ = writeln!(out, "who can assume {}", s(&v["role"]));
            for e in list(&v["principals"]) {
                let _ = writeln!(out, "  in the account: {}", s(&e["principal"]));
            }
            for t in list(&v["trusted"]) {
                let mut guards = Vec::new();
                for (flag, name) in [
                    ("externalId", "ExternalId"),
                    ("mfa", "MFA"),
                    ("org", "organization"),
                    ("source", "SourceArn/Account"),
                ] {
                    if t[flag] == true {
                        guards.push(name);
                    }
                }
                let _ = writeln!(
                    out,
                    "  trust names {} {} ({}){}",
                    s(&t["kind"]),
                    s(&t["value"]),
                    s(&t["effect"]),
                    if guards.is_empty() {
                        " with no ExternalId, MFA, organization or source condition".to_string()
                    } else {
                        format!(" guarded by {}", guards.join(", "))
                    }
                );
            }
        }
        AccountCommand::Permissions { .. } => {
            let _ = writeln!(
                out,
                "{}{}",
                s(&v["principal"]),
                if v["administrator"] == true {
                    " (administrator)"
                } else {
                    ""
                }
            );
            for svc in list(&v["services"]) {
                let _ = writeln!(out, "  {}", s(&svc["service"]));
                for e in list(&svc["allowed"]) {
                    let acts: Vec<String> = list(&e["actions"])
                        .iter()
                        .map(|a| s(a).to_string())
                        .collect();
                    let res: Vec<String> = list(&e["resources"])
                        .iter()
                        .map(|a| s(a).to_string())
                        .collect();
                    let _ = writeln!(
                        out,
                        "    {}{} on {}{}{}",
                        if e["notActions"] == true {
                            "all but "
                        } else {
                            ""
                        },
                        acts.join(", "),
                        if e["notResources"] == true {
                            "all but "
                        } else {
                            ""
                        },
                        res.join(", "),
                        if e["conditions"].is_null() {
                            ""
                        } else {
                            " (conditional)"
                        }
                    );
                    for l in list(&e["limitedBy"]) {
                        let _ = writeln!(out, "        limited: {}", s(&l));
                    }
                }
            }
            for e in list(&v["removed"]) {
                let _ = writeln!(
                    out,
                    "  removed: {}",
                    list(&e["limitedBy"])
                        .iter()
                        .map(|x| s(x).to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
        }
    }
}

//! `iamkit`: evaluate IAM requests and validate policies from the command line.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod account;
mod actions;
mod audit;
mod escalations;
mod input;
mod limited;
mod lint;
mod org;
mod sarif;
use iamkit_cli::cases::{run_file_with, CaseResult, Outcome};
use iamkit_core::wire::Validation;
use iamkit_core::{Error, ErrorCode, PolicyType, Severity};

/// iamkit: one fast, correct AWS IAM engine.
#[derive(Debug, Parser)]
#[command(name = "iamkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decide the requests in case files (an object, an array, or JSON lines; `-` for stdin).
    Eval {
        /// Case files.
        #[arg(required = true)]
        files: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// List the actions a pattern covers (`s3:Get*`, `*:Describe*`), with their access levels,
    /// from the embedded AWS service catalog; exit 1 when none.
    Actions {
        /// Action patterns.
        #[arg(required = true)]
        patterns: Vec<String>,
        /// A catalog to use instead of the embedded one (normalized JSON).
        #[arg(long)]
        catalog: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Lint policies against the AWS service catalog (unknown actions, condition keys the actions
    /// do not set, resources they do not act on, NotAction/NotResource, `*:*`, ...); exit 1 on an
    /// error-severity finding.
    Lint {
        #[command(flatten)]
        policies: lint::PolicyFiles,
        /// Output format.
        #[arg(long, value_enum, default_value_t = lint::LintFormat::Text)]
        format: lint::LintFormat,
    },
    /// Summarize a policy by service and access level, as the IAM console does.
    Summarize {
        /// The policy file (`-` for stdin).
        file: String,
        /// A catalog to use instead of the embedded one (normalized JSON).
        #[arg(long)]
        catalog: Option<String>,
        /// The policy type.
        #[arg(long = "type", value_enum, default_value_t = TypeArg::Identity)]
        policy_type: TypeArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Lint and summarize policies in one reading (the findings of `lint`, then the summary of
    /// `summarize`); exit 1 on an error-severity finding.
    Review {
        #[command(flatten)]
        policies: lint::PolicyFiles,
        /// Output format (JSON: one object per file).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Load an account's authorization details and query it.
    Account {
        #[command(subcommand)]
        command: account::AccountCommand,
    },
    /// Every account of an AWS Organization (a folder of `organization/` and
    /// `accounts/<id>/`), in parallel, with each account's SCPs and RCPs.
    Org {
        #[command(subcommand)]
        command: org::OrgCommand,
    },
    /// Audit an account: credential report, authorization details, password policy, account
    /// summary (CIS AWS Foundations and IAM best practice).
    Audit(audit::AuditArgs),
    /// Parse an IAM credential report (CSV or the get-credential-report JSON); print typed rows.
    CredentialReport {
        /// The report (`-` for stdin).
        file: String,
    },
    /// Answer one call of the wire contract (any language's API, from the shell): NAME and its
    /// input object (JSON text, `@FILE`, or `-` for stdin); prints the answer as JSON, or
    /// `{"error"}` and exits 1.
    Call {
        /// The call (`evaluate`, `validate`, `lookupAction`, `lint`, `audit`, ...).
        name: String,
        /// Its input object (default `{}`).
        input: Option<String>,
    },
    /// Answer a stream of JSON lines (a file, or `-` for stdin), each opening a handle or making
    /// a call, with one JSON line each (see tests/README.md, "The JSON-lines interface").
    Calls {
        /// The stream (default stdin).
        file: Option<String>,
    },
    /// Validate policy documents.
    Validate {
        /// Policy files (`-` for stdin).
        #[arg(required = true)]
        files: Vec<String>,
        /// The policy type to validate as.
        #[arg(long = "type", value_enum, default_value_t = TypeArg::Identity)]
        policy_type: TypeArg,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One JSON object per line.
    Json,
    /// For people.
    Text,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum TypeArg {
    Identity,
    Resource,
    Trust,
    Scp,
    Rcp,
    Boundary,
    Session,
    /// A VPC endpoint policy (`vpcEndpoint` in the wire format).
    #[value(name = "vpc-endpoint", alias = "vpcEndpoint")]
    VpcEndpoint,
}

impl From<TypeArg> for PolicyType {
    fn from(t: TypeArg) -> Self {
        match t {
            TypeArg::Identity => PolicyType::Identity,
            TypeArg::Resource => PolicyType::Resource,
            TypeArg::Trust => PolicyType::Trust,
            TypeArg::Scp => PolicyType::Scp,
            TypeArg::Rcp => PolicyType::Rcp,
            TypeArg::Boundary => PolicyType::Boundary,
            TypeArg::Session => PolicyType::Session,
            TypeArg::VpcEndpoint => PolicyType::VpcEndpoint,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Eval { files, format } => eval(&files, format, &mut out),
        Command::Account { command } => account::run(command, &mut out),
        Command::Audit(args) => audit::run(&args, &mut out),
        Command::Org { command } => org::run(command, &mut out),
        Command::Actions {
            patterns,
            catalog,
            format,
        } => actions::run(&patterns, catalog.as_deref(), format, &mut out),
        Command::Lint { policies, format } => lint::lint(&policies, format, &mut out),
        Command::Summarize {
            file,
            catalog,
            policy_type,
            format,
        } => lint::summarize(
            &file,
            catalog.as_deref(),
            policy_type,
            format == Format::Json,
            &mut out,
        ),
        Command::Review { policies, format } => {
            lint::review(&policies, format == Format::Json, &mut out)
        }
        Command::CredentialReport { file } => audit::credential_report(&file, &mut out),
        Command::Validate {
            files,
            policy_type,
            format,
        } => validate(&files, policy_type.into(), format, &mut out),
        Command::Call { name, input } => call(&name, input.as_deref(), &mut out),
        Command::Calls { file } => calls(file.as_deref().unwrap_or("-"), &mut out),
    };
    // a closed pipe (e.g. `| head`) is not an error worth a message
    let _ = out.flush();
    code
}

/// The embedded service catalog, or a newer one from `--catalog FILE` (the normalized JSON that
/// `scripts/gen-catalog.py --json` writes).
pub(crate) fn load_catalog(
    path: Option<&str>,
) -> Result<std::borrow::Cow<'static, iamkit_core::catalog::Catalog>, Error> {
    match path {
        None => Ok(std::borrow::Cow::Borrowed(
            iamkit_core::catalog::Catalog::embedded(),
        )),
        Some(p) => Ok(std::borrow::Cow::Owned(
            iamkit_core::catalog::Catalog::from_json_str(&read_input(p)?)?,
        )),
    }
}

/// Reads a file, or standard input for `-`, whole: at most
/// [`MAX_FILE_BYTES`](iamkit_core::limits::MAX_FILE_BYTES) of UTF-8 text (`IAM_INPUT_TOO_LARGE`
/// past it, `IAM_IO` when it cannot be read).
pub(crate) fn read_input(path: &str) -> Result<String, Error> {
    let name = format!("`{path}`");
    let max = iamkit_core::limits::MAX_FILE_BYTES;
    if path == "-" {
        return limited::read_text(std::io::stdin().lock(), &name, None, max);
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("cannot read {name}: {e}")))?;
    let len = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    limited::read_text(file, &name, len, max)
}

fn eval(files: &[String], format: Format, out: &mut impl Write) -> ExitCode {
    let (mut passed, mut failed, mut checked) = (0usize, 0usize, false);
    let mut unusable = false;
    for path in files {
        // read as a stream: a JSON-lines file is answered line by line, in bounded memory
        let reader: Box<dyn std::io::BufRead> = if path == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    unusable = true;
                    let e = Error::new(ErrorCode::Io, format!("cannot read `{path}`: {e}"));
                    print_file_error(out, format, path, &e);
                    continue;
                }
            }
        };
        // each answer is rendered on the thread that decided it
        let render = |r: CaseResult| {
            let mut text = Vec::with_capacity(512);
            print_case(&mut text, format, &r);
            (r.pass, text)
        };
        let read = run_file_with(reader, path, &render, |(pass, text)| {
            match pass {
                Some(true) => {
                    checked = true;
                    passed += 1
                }
                Some(false) => {
                    checked = true;
                    failed += 1
                }
                None => {}
            }
            let _ = out.write_all(&text);
        });
        if let Err(e) = read {
            unusable = true;
            print_file_error(out, format, path, &e);
        }
    }
    if checked {
        let _ = writeln!(out, "{passed} passed, {failed} failed");
    }
    if unusable {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_file_error(out: &mut impl Write, format: Format, path: &str, e: &Error) {
    match format {
        Format::Json => {
            let line = serde_json::json!({"file": path, "error": e});
            let _ = writeln!(out, "{line}");
        }
        Format::Text => {
            let _ = writeln!(out, "{path}: {e}");
        }
    }
}

fn print_case(out: &mut impl Write, format: Format, r: &CaseResult) {
    match format {
        Format::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string(r).unwrap_or_default());
        }
        Format::Text => {
            let mark = match r.pass {
                Some(true) => "PASS ",
                Some(false) => "FAIL ",
                None => "",
            };
            match &r.outcome {
                Outcome::Decided { decision, explain } => {
                    let _ = writeln!(out, "{mark}{}: {}", r.name, decision.as_str());
                    let _ = writeln!(out, "    {}", explain.reason);
                }
                Outcome::Failed { error } => {
                    let _ = writeln!(out, "{mark}{}: error {error}", r.name);
                }
            }
            if let Some(exp) = &r.expected {
                let _ = writeln!(
                    out,
                    "    expected: {}",
                    serde_json::to_string(exp).unwrap_or_default()
                );
            }
        }
    }
}

fn validate(files: &[String], ty: PolicyType, format: Format, out: &mut impl Write) -> ExitCode {
    let mut any_invalid = false;
    for path in files {
        let text = match read_input(path) {
            Ok(t) => t,
            Err(e) => {
                any_invalid = true;
                print_file_error(out, format, path, &e);
                continue;
            }
        };
        let v = Validation::of(&text, ty);
        any_invalid |= !v.valid;
        match format {
            Format::Json => {
                let line = serde_json::json!({"file": path, "valid": v.valid, "diagnostics": v.diagnostics});
                let _ = writeln!(out, "{line}");
            }
            Format::Text => {
                let _ = writeln!(out, "{path}: {}", if v.valid { "valid" } else { "invalid" });
                for d in &v.diagnostics {
                    let sev = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    let _ = writeln!(
                        out,
                        "  {path}:{}:{}: {sev} {}: {} ({})",
                        d.location.line.unwrap_or(0),
                        d.location.column.unwrap_or(0),
                        d.code,
                        d.message,
                        d.location.json_path
                    );
                }
            }
        }
    }
    if any_invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `iamkit call NAME [INPUT]`.
fn call(name: &str, input: Option<&str>, out: &mut impl Write) -> ExitCode {
    let text = match input {
        None => Ok("{}".to_string()),
        Some("-") => read_input("-"),
        Some(a) => match a.strip_prefix('@') {
            Some(path) => read_input(path),
            None => Ok(a.to_string()),
        },
    };
    match text.and_then(|t| iamkit_core::wire::call_json(name, &t)) {
        Ok(answer) => {
            let _ = writeln!(out, "{answer}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(out, r#"{{"error":{}}}"#, iamkit_core::wire::error_json(&e));
            ExitCode::from(1)
        }
    }
}

/// `iamkit calls [FILE]`: the JSON-lines interface, answered line by line as it is read. A line
/// longer than [`MAX_LINE_BYTES`](iamkit_core::limits::MAX_LINE_BYTES) is read past, not kept,
/// and answered `IAM_INPUT_TOO_LARGE`.
fn calls(path: &str, out: &mut impl Write) -> ExitCode {
    use iamkit_core::limits::{too_large, MAX_LINE_BYTES};
    use std::io::BufRead;
    // a stream that cannot be read ends with one error line and exit status 2
    let unreadable = |out: &mut dyn Write, e: std::io::Error| {
        let e = Error::new(ErrorCode::Io, format!("cannot read `{path}`: {e}"));
        let _ = writeln!(
            out,
            r#"{{"id":null,"error":{}}}"#,
            iamkit_core::wire::error_json(&e)
        );
        ExitCode::from(2)
    };
    let mut reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => return unreadable(out, e),
        }
    };
    let mut session = iamkit_core::wire::Session::new();
    loop {
        let answer = match limited::next_line(&mut reader, MAX_LINE_BYTES) {
            Ok(None) => return ExitCode::SUCCESS,
            Ok(Some(limited::Line::Text(line))) => session.answer(&line),
            Ok(Some(limited::Line::TooLong(n))) => Some(format!(
                r#"{{"id":null,"error":{}}}"#,
                iamkit_core::wire::error_json(&too_large("the line", Some(n), MAX_LINE_BYTES))
            )),
            Err(e) => return unreadable(out, e),
        };
        if let Some(answer) = answer {
            if writeln!(out, "{answer}").is_err() {
                return ExitCode::SUCCESS;
            }
        }
    }
}

//! `iamkit-conformance`: the corpus as a call stream for every language, and the check of their
//! answers. Not shipped: a development tool.
//!
//! ```sh
//! iamkit-conformance emit > calls.jsonl            # the stream (JSON lines)
//! iamkit-conformance emit --format tsv > calls.tsv # the same, tab-separated, for C
//! iamkit calls calls.jsonl > answers.jsonl         # any language answers it line for line
//! iamkit-conformance check --label cli answers.jsonl
//! iamkit-conformance run                           # in this process, through the Rust API
//! iamkit-conformance contract > contract/iamkit.schema.json
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use iamkit_conformance::{
    cases_dir, check, emit, read_corpus, run_in_process, samples_dir, shared_data_required, Format,
};

#[derive(Parser)]
#[command(
    name = "iamkit-conformance",
    about = "iamkit's conformance corpus for every language"
)]
struct Cli {
    /// The corpus (default: the workspace's tests/cases).
    #[arg(long, global = true)]
    cases: Option<PathBuf>,
    /// The shared authorization-details samples (default: ../shared/data/authorization-details).
    #[arg(long, global = true)]
    samples: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the call stream to standard output.
    Emit {
        /// jsonl (the `iamkit calls` stream) or tsv (for C).
        #[arg(long, value_enum, default_value = "jsonl")]
        format: Fmt,
    },
    /// Checks answer lines (a file, or - for standard input) against the cases.
    Check {
        /// The answers: JSON lines `{"id", "answer"}` or `{"id", "error"}`.
        answers: PathBuf,
        /// The name printed before the counts (a language).
        #[arg(long, default_value = "answers")]
        label: String,
    },
    /// Runs every case in this process, through the Rust API.
    Run,
    /// Prints how many cases each area holds.
    Count,
    /// Writes the wire contract's JSON Schema (contract/iamkit.schema.json) to standard output.
    Contract,
}

#[derive(Clone, Copy, ValueEnum)]
enum Fmt {
    Jsonl,
    Tsv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("iamkit-conformance: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Command::Contract = cli.command {
        print!("{}", iamkit_core::wire::contract::document_text());
        return Ok(ExitCode::SUCCESS);
    }
    let corpus = read_corpus(&cli.cases.unwrap_or_else(cases_dir))?;
    let samples = cli.samples.unwrap_or_else(samples_dir);
    let required = shared_data_required();
    let report = |checked: iamkit_conformance::Checked, label: &str| {
        println!("{}", checked.report(label));
        if checked.ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    };
    match cli.command {
        Command::Emit { format } => {
            let format = match format {
                Fmt::Jsonl => Format::Jsonl,
                Fmt::Tsv => Format::Tsv,
            };
            let (lines, skipped) = emit(&corpus, &samples, format, required)?;
            let mut out = lines.join("\n");
            out.push('\n');
            print!("{out}");
            if !skipped.is_empty() {
                eprintln!(
                    "iamkit-conformance: {} cases left out (shared sample missing)",
                    skipped.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { answers, label } => {
            let text = if answers.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| e.to_string())?
            } else {
                std::fs::read_to_string(&answers)
                    .map_err(|e| format!("{}: {e}", answers.display()))?
            };
            Ok(report(check(&corpus, &samples, &text, required)?, &label))
        }
        Command::Run => Ok(report(run_in_process(&corpus, &samples, required)?, "rust")),
        Command::Count => {
            let counts = corpus.counts();
            for (area, n) in &counts {
                println!("{area}\t{n}");
            }
            println!("total\t{}", corpus.cases.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Contract => Ok(ExitCode::SUCCESS),
    }
}

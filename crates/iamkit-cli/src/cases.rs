//! Running conformance case files: read each file, split it into cases, run each, print a `FAIL`
//! line per failure and a final `N passed, N failed` line. Exit 1 on a failure, 2 when a file or a
//! case cannot be read.

use std::io::Write;
use std::process::ExitCode;

use iamkit_core::wire::split_cases;

use crate::read_input;

/// What running one case gave: its name, whether it passed, and what it got (for the FAIL line).
pub struct Outcome {
    /// The case's name.
    pub name: String,
    /// Whether the answer matched.
    pub pass: bool,
    /// The answer or error, as JSON text.
    pub got: String,
}

/// Runs every case of `files` through `run` (which reads one case's JSON text).
pub fn run_files(
    files: &[String],
    out: &mut impl Write,
    run: impl Fn(&str) -> Result<Outcome, String>,
) -> ExitCode {
    let (mut passed, mut failed, mut unusable) = (0, 0, false);
    for path in files {
        let text = match read_input(path) {
            Ok(t) => t,
            Err(e) => {
                unusable = true;
                let _ = writeln!(out, "{path}: {e}");
                continue;
            }
        };
        let raws = match split_cases(&text) {
            Ok(r) => r,
            Err(e) => {
                unusable = true;
                let _ = writeln!(out, "{path}: {e}");
                continue;
            }
        };
        for raw in raws {
            match run(raw.get()) {
                Ok(o) if o.pass => passed += 1,
                Ok(o) => {
                    failed += 1;
                    let _ = writeln!(
                        out,
                        "FAIL {}: got {}",
                        o.name,
                        o.got.chars().take(3000).collect::<String>()
                    );
                }
                Err(e) => {
                    unusable = true;
                    let _ = writeln!(out, "{path}: a case does not have the expected shape: {e}");
                }
            }
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if unusable {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

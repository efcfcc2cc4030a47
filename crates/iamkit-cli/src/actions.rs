//! `iamkit actions PATTERN`: the actions a pattern covers, with their access levels.

use std::io::Write;
use std::process::ExitCode;

use iamkit_core::catalog::Catalog;
use serde_json::json;

use crate::Format;

/// Runs `iamkit actions`.
pub fn run(
    patterns: &[String],
    catalog: Option<&str>,
    format: Format,
    out: &mut impl Write,
) -> ExitCode {
    let catalog = match crate::load_catalog(catalog) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "error {e}");
            return ExitCode::from(2);
        }
    };
    let catalog: &Catalog = &catalog;
    let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let matches = catalog.expand_all(&refs, false);
    match format {
        Format::Json => {
            let rows: Vec<_> = matches
                .iter()
                .map(|m| {
                    let (s, a) = catalog
                        .action(&m.action)
                        .map_or((None, None), |(s, a)| (Some(s), Some(a)));
                    json!({
                        "action": m.action,
                        "access": m.access,
                        "service": s.map(|s| s.name.clone()),
                        "resources": a.map(|a| &a.resources),
                        "conditionKeys": a.map(|a| &a.condition_keys),
                    })
                })
                .collect();
            let _ = writeln!(out, "{}", serde_json::to_string(&rows).unwrap_or_default());
        }
        Format::Text => {
            for m in &matches {
                let _ = writeln!(out, "{:<60} {}", m.action, m.access.as_str());
            }
            let _ = writeln!(
                out,
                "{} actions (catalog: {} {}, data of {})",
                matches.len(),
                catalog.source.package,
                catalog.source.version,
                catalog.source.data_updated_at
            );
        }
    }
    if matches.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

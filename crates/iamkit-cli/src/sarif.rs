//! SARIF 2.1.0 for GitHub code scanning, the one writer of it: `iamkit audit --format sarif` (one
//! rule per check, with `security-severity`, one result per failed finding, located in the input
//! file the check read) and `iamkit lint --format sarif` (one rule per code met, one result per
//! finding, located at its line and column).

use std::collections::BTreeSet;

use std::io::Write;

use iamkit_core::audit::CHECKS;
use iamkit_core::audit::{Audit, AuditSummary, Check, Compliance, Finding, Risk, Status};
use iamkit_core::catalog::LintReport;
use iamkit_core::Severity;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// A SARIF log of one run of iamkit: the driver with its rules, optional run properties, the
/// results.
fn log(rules: Vec<Value>, properties: Option<Value>, results: Vec<Value>) -> Value {
    let mut run = Map::new();
    run.insert(
        "tool".into(),
        json!({"driver": {"name": "iamkit", "version": iamkit_core::VERSION, "rules": rules}}),
    );
    if let Some(p) = properties {
        run.insert("properties".into(), p);
    }
    run.insert("results".into(), Value::Array(results));
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [Value::Object(run)],
    })
}

/// The files the audit's findings point at (paths as the user gave them).
#[derive(Debug, Clone, Default)]
pub struct AuditArtifacts {
    /// The credential report.
    pub credential_report: Option<String>,
    /// The authorization details.
    pub authorization_details: Option<String>,
    /// The password policy.
    pub password_policy: Option<String>,
    /// The account summary.
    pub account_summary: Option<String>,
}

fn security_severity(s: Risk) -> &'static str {
    match s {
        Risk::Critical => "9.5",
        Risk::High => "8.0",
        Risk::Medium => "5.5",
        Risk::Low => "3.0",
        Risk::Info => "0.0",
    }
}

fn level(s: Risk) -> &'static str {
    match s {
        Risk::Critical | Risk::High => "error",
        Risk::Medium => "warning",
        Risk::Low | Risk::Info => "note",
    }
}

/// A stable fingerprint of a finding (FNV-1a of check, resource and slot).
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A path as a SARIF URI reference: relative to the working directory when under it (GitHub
/// matches repository-relative paths), `/` separators, and percent-encoded.
fn uri(path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(|r| r.to_path_buf()))
        .unwrap_or_else(|| p.to_path_buf());
    let text = rel.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text).to_string();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if p.is_absolute() && !out.starts_with('/') {
        out
    } else if p.is_absolute() {
        format!("file://{out}")
    } else {
        out
    }
}

/// One rule per check.
fn audit_rules() -> Vec<Value> {
    CHECKS
        .iter()
        .map(|c| {
            let tags: Vec<String> = std::iter::once("security".to_string())
                .chain(c.compliance.iter().flat_map(|(fw, ids)| ids.iter().map(move |id| format!("{fw}/{id}"))))
                .collect();
            json!({
                "id": c.id,
                "name": c.id,
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": format!("{} (reads: {})", c.title, c.inputs)},
                "help": {"text": match c.cli { Some(cli) => format!("{}\n\n{cli}", c.remediation), None => c.remediation.to_string() }},
                "defaultConfiguration": {"level": level(c.severity)},
                "properties": {"security-severity": security_severity(c.severity), "tags": tags, "precision": "high"},
            })
        })
        .collect()
}

/// One SARIF result: a failed finding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'f, E> {
    rule_id: &'f str,
    level: &'static str,
    message: Text<'f>,
    locations: [SarifLocation<'f>; 1],
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'f, E>,
}

#[derive(Serialize)]
struct Text<'f> {
    text: &'f str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'f> {
    physical_location: PhysicalLocation<'f>,
    logical_locations: [LogicalLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'f> {
    artifact_location: ArtifactLocation<'f>,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation<'f> {
    uri: &'f str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "iamkitFinding/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties<'f, E> {
    severity: &'static str,
    evidence: E,
    compliance: &'f Compliance,
}

/// The SARIF result of a failed finding of a check, as text around what changes from one finding
/// to the next (the reason, the file, the resource's name, the fingerprint, the evidence):
/// pretty-printed once per check, so the rest is not escaped and indented again per finding.
struct ResultTemplate {
    /// The text before each hole, then the text after the last.
    pieces: Vec<Vec<u8>>,
    /// Each hole: what goes there, and the depth of its line.
    holes: Vec<(u8, usize)>,
}

impl ResultTemplate {
    const REASON: u8 = 0;
    const URI: u8 = 1;
    const NAME: u8 = 2;
    const FINGERPRINT: u8 = 3;
    const EVIDENCE: u8 = 4;

    /// The template of `check`'s results, written `depth` levels deep.
    fn new(check: &'static Check, depth: usize) -> std::io::Result<ResultTemplate> {
        let mark = |i: u8| format!("\u{1}{i}");
        let (reason, uri, evidence) = (mark(Self::REASON), mark(Self::URI), mark(Self::EVIDENCE));
        let compliance = Compliance(check.compliance);
        let shape = SarifResult {
            rule_id: check.id,
            level: level(check.severity),
            message: Text { text: &reason },
            locations: [SarifLocation {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: &uri },
                    region: Region { start_line: 1 },
                },
                logical_locations: [LogicalLocation {
                    fully_qualified_name: mark(Self::NAME),
                    kind: "resource",
                }],
            }],
            partial_fingerprints: Fingerprints {
                v1: mark(Self::FINGERPRINT),
            },
            properties: ResultProperties {
                severity: check.severity.as_str(),
                evidence: &evidence,
                compliance: &compliance,
            },
        };
        let mut text = Vec::new();
        shape
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut text,
                Indented::at(depth),
            ))
            .map_err(std::io::Error::other)?;
        // each hole is written `"\u0001N"`
        const OPEN: &[u8] = b"\"\\u0001";
        let (mut pieces, mut holes, mut from) = (Vec::new(), Vec::new(), 0);
        while let Some(at) = text[from..]
            .windows(OPEN.len())
            .position(|w| w == OPEN)
            .map(|p| from + p)
        {
            let id = text
                .get(at + OPEN.len())
                .map_or(0, |b| b.wrapping_sub(b'0'));
            let line = text[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let spaces = text[line..at].iter().take_while(|b| **b == b' ').count();
            pieces.push(text[from..at].to_vec());
            // the first line is written after the caller's indent
            holes.push((id, if line == 0 { depth } else { spaces / 2 }));
            from = at + OPEN.len() + 2;
        }
        pieces.push(text[from..].to_vec());
        Ok(ResultTemplate { pieces, holes })
    }

    /// Writes the result of `f`, located in `file` (or, for evidence taken from the account
    /// summary, `summary_file`).
    fn write(
        &self,
        w: &mut impl Write,
        f: &Finding,
        file: &str,
        summary_file: &str,
    ) -> std::io::Result<()> {
        let arn = f.resource.arn.as_str();
        let slot = f.resource.slot.as_deref();
        for (piece, (hole, depth)) in self.pieces.iter().zip(&self.holes) {
            w.write_all(piece)?;
            let text =
                |w: &mut _, s: &str| serde_json::to_writer(w, s).map_err(std::io::Error::other);
            match *hole {
                Self::REASON => text(&mut *w, &f.reason)?,
                Self::URI => {
                    let from_summary = f.evidence.keys().any(|k| k.starts_with("Account"));
                    text(&mut *w, if from_summary { summary_file } else { file })?
                }
                Self::NAME => match slot {
                    Some(s) => text(&mut *w, &format!("{arn}#{s}"))?,
                    None => text(&mut *w, arn)?,
                },
                Self::FINGERPRINT => text(
                    &mut *w,
                    &fingerprint(&[f.check_id, arn, slot.unwrap_or("")]),
                )?,
                _ => f
                    .evidence
                    .serialize(&mut serde_json::Serializer::with_formatter(
                        &mut *w,
                        Indented::at(*depth),
                    ))
                    .map_err(std::io::Error::other)?,
            }
        }
        match self.pieces.last() {
            Some(p) => w.write_all(p),
            None => Ok(()),
        }
    }
}

/// The file a check's findings point at.
fn file_of(check: &Check, files: &AuditArtifacts) -> Option<String> {
    let inputs = check.inputs;
    if inputs.starts_with("credential report") {
        files.credential_report.clone()
    } else if inputs.starts_with("password policy") {
        files.password_policy.clone()
    } else if inputs.starts_with("authorization details") {
        files.authorization_details.clone()
    } else {
        files
            .account_summary
            .clone()
            .or_else(|| files.credential_report.clone())
    }
}

fn uri_or_default(p: Option<String>) -> String {
    p.map(|p| uri(&p))
        .unwrap_or_else(|| "iamkit-audit".to_string())
}

/// Writes the SARIF log of an audit as it runs: the log's head (tool, rules, properties), each
/// failed finding as a result, then the log's tail. The text is the same as pretty-printing the
/// whole log at once. Returns the counts of the run.
pub fn write_audit_log(
    run: &Audit<'_>,
    files: &AuditArtifacts,
    w: &mut impl Write,
) -> std::io::Result<AuditSummary> {
    const MARK: &str = "\u{1}iamkit-results\u{1}";
    let skeleton = log(
        audit_rules(),
        Some(json!({"asOf": run.as_of(), "asOfSource": run.as_of_source()})),
        vec![Value::String(MARK.into())],
    );
    let text = serde_json::to_string_pretty(&skeleton).map_err(std::io::Error::other)?;
    let marker = serde_json::to_string(MARK).map_err(std::io::Error::other)?;
    let at = text
        .find(&marker)
        .ok_or_else(|| std::io::Error::other("SARIF skeleton without its results"))?;
    let (head, tail) = (&text[..at], &text[at + marker.len()..]);
    // `head` ends with "[\n" and the results' indent; `tail` starts with "\n", the closing
    // bracket's indent and "]"
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let indent = &head[line_start..];
    let open = head[..line_start].trim_end();
    let close_at = tail.find(']').unwrap_or(0);
    w.write_all(open.as_bytes())?;
    let summary_file = uri_or_default(files.account_summary.clone());
    let mut summary = AuditSummary::default();
    let mut first = true;
    let depth = indent.len() / 2;
    let mut result_of = Ok(());
    for check in CHECKS {
        let file = uri_or_default(file_of(check, files));
        let template = ResultTemplate::new(check, depth)?;
        run.for_each_of(check, &mut |f| {
            summary.add(&f);
            if f.status != Status::Fail || result_of.is_err() {
                return;
            }
            result_of = w
                .write_all(if first { b"\n" } else { b",\n" })
                .and_then(|()| w.write_all(indent.as_bytes()))
                .and_then(|()| template.write(w, &f, &file, &summary_file));
            first = false;
        });
    }
    result_of?;
    if first {
        // no result: an empty array, as pretty-printing writes it
        w.write_all(b"]")?;
        w.write_all(&tail.as_bytes()[close_at + 1..])?;
    } else {
        w.write_all(tail.as_bytes())?;
    }
    Ok(summary)
}

/// serde_json's pretty formatter (two spaces), starting `depth` levels deep: a value written
/// with it reads as if pretty-printed inside the whole log.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn at(depth: usize) -> Indented {
        Indented {
            depth,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        w.write_all(b"\n")?;
        self.indent(w)
    }

    /// Two spaces a level, written at once.
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The SARIF log of an audit report (the report's JSON), all at once: what
/// [`write_audit_log`] must write.
#[cfg(test)]
pub fn audit_log(report: &Value, files: &AuditArtifacts) -> Value {
    let rules = audit_rules();
    let results: Vec<Value> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["status"] == "fail")
        .map(|f| {
            let check_id = f["checkId"].as_str().unwrap_or("");
            let check = CHECKS.iter().find(|c| c.id == check_id);
            let severity = check.map(|c| c.severity).unwrap_or(Risk::Info);
            let inputs = check.map(|c| c.inputs).unwrap_or("");
            let from_summary = f["evidence"].as_object().is_some_and(|e| e.keys().any(|k| k.starts_with("Account")));
            let file = if from_summary {
                files.account_summary.clone()
            } else if inputs.starts_with("credential report") {
                files.credential_report.clone()
            } else if inputs.starts_with("password policy") {
                files.password_policy.clone()
            } else if inputs.starts_with("authorization details") {
                files.authorization_details.clone()
            } else {
                files.account_summary.clone().or_else(|| files.credential_report.clone())
            }
            .map(|p| uri(&p))
            .unwrap_or_else(|| "iamkit-audit".to_string());
            let arn = f["resource"]["arn"].as_str().unwrap_or("");
            let slot = f["resource"]["slot"].as_str();
            let name = match slot {
                Some(s) => format!("{arn}#{s}"),
                None => arn.to_string(),
            };
            json!({
                "ruleId": check_id,
                "level": level(severity),
                "message": {"text": f["reason"]},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": file}, "region": {"startLine": 1}},
                    "logicalLocations": [{"fullyQualifiedName": name, "kind": "resource"}],
                }],
                "partialFingerprints": {"iamkitFinding/v1": fingerprint(&[check_id, arn, slot.unwrap_or("")])},
                "properties": {"severity": severity.as_str(), "evidence": f["evidence"], "compliance": f["compliance"]},
            })
        })
        .collect();
    log(
        rules,
        Some(json!({"asOf": report["asOf"], "asOfSource": report["asOfSource"]})),
        results,
    )
}

/// The SARIF log of `iamkit lint`: findings are added file by file, the log is written at the
/// end.
#[derive(Debug, Default)]
pub struct LintLog {
    /// The codes met, sorted (one rule each).
    rules: BTreeSet<&'static str>,
    results: Vec<Value>,
}

impl LintLog {
    /// Adds the findings of one file (`path` as the user gave it).
    pub fn add(&mut self, path: &str, report: &LintReport) {
        for f in &report.findings {
            self.rules.insert(f.code.as_str());
            self.results.push(json!({
                "ruleId": f.code,
                "level": if f.severity == Severity::Error { "error" } else { "warning" },
                "message": {"text": match &f.fix { Some(fix) => format!("{} Fix: {fix}", f.message), None => f.message.clone() }},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": f.location.line.unwrap_or(0).max(1), "startColumn": f.location.column.unwrap_or(0).max(1)},
                }, "logicalLocations": [{"fullyQualifiedName": f.location.json_path}]}],
            }));
        }
    }

    /// The log.
    pub fn finish(self) -> Value {
        let rules = self
            .rules
            .iter()
            .map(|r| json!({"id": r, "name": r, "shortDescription": {"text": r}}))
            .collect();
        log(rules, None, self.results)
    }
}

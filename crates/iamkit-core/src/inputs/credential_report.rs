//! The IAM credential report: the CSV (`aws iam get-credential-report`, base64-decoded) or the API
//! envelope `{"Content", "ReportFormat", "GeneratedTime"}` (with `Content` in base64 or already
//! plain CSV). Columns are found by header name; the special values `N/A`, `not_supported` and
//! `no_information` stay distinct from each other and from values.

use base64::Engine;
use serde::{Serialize, Serializer};

use super::instant::Instant;
use crate::error::{Error, ErrorCode, Location, Result};

/// A cell: a value, or one of the report's special values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<T> {
    /// A value.
    Value(T),
    /// `N/A`: does not apply (no password, no key, never used since tracking began for keys).
    NotApplicable,
    /// `not_supported`: the column does not apply to this row (the root user's password columns).
    NotSupported,
    /// `no_information`: never used, or not since tracking began.
    NoInformation,
}

impl<T> Cell<T> {
    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Cell::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The special value's text, if this is one.
    pub fn special(&self) -> Option<&'static str> {
        match self {
            Cell::Value(_) => None,
            Cell::NotApplicable => Some("N/A"),
            Cell::NotSupported => Some("not_supported"),
            Cell::NoInformation => Some("no_information"),
        }
    }
}

impl<T: Serialize> Serialize for Cell<T> {
    /// A value as itself (a boolean, an RFC 3339 string, a string); a special value as its text.
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Cell::Value(v) => v.serialize(s),
            other => s.serialize_str(other.special().unwrap_or_default()),
        }
    }
}

/// One access-key slot of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct KeySlot {
    /// Whether the key is Active.
    pub active: Cell<bool>,
    /// When the key was created or last rotated.
    pub last_rotated: Cell<Instant>,
    /// When it was last used.
    pub last_used_date: Cell<Instant>,
    /// The region it was last used in.
    pub last_used_region: Cell<String>,
    /// The service it was last used with.
    pub last_used_service: Cell<String>,
}

/// One signing-certificate slot of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CertSlot {
    /// Whether the certificate is Active.
    pub active: Cell<bool>,
    /// When it was created or last rotated.
    pub last_rotated: Cell<Instant>,
}

/// One row: a user, or the root user (`<root_account>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CredentialRow {
    /// The 1-based line of the row in the CSV (the header is line 1).
    pub line: usize,
    /// The user name (`<root_account>` for the root user).
    pub user: String,
    /// The ARN.
    pub arn: String,
    /// Whether this is the root user's row.
    pub is_root: bool,
    /// When the user (or the account) was created.
    pub user_creation_time: Cell<Instant>,
    /// Whether the user has a console password.
    pub password_enabled: Cell<bool>,
    /// When the password was last used.
    pub password_last_used: Cell<Instant>,
    /// When the password was last changed.
    pub password_last_changed: Cell<Instant>,
    /// When the password policy requires the next change.
    pub password_next_rotation: Cell<Instant>,
    /// Whether an MFA device is active.
    pub mfa_active: Cell<bool>,
    /// Access keys 1 and 2.
    #[serde(serialize_with = "as_list")]
    pub access_keys: [KeySlot; 2],
    /// Signing certificates 1 and 2.
    #[serde(serialize_with = "as_list")]
    pub certs: [CertSlot; 2],
}

/// A fixed-size array written as a list (serde writes arrays as tuples, which some formats,
/// Python's among them, keep apart from lists).
fn as_list<S: serde::Serializer, T: Serialize>(
    v: &[T; 2],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(v)
}

/// A parsed credential report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CredentialReport {
    /// `GeneratedTime` from the API envelope, when the input had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_time: Option<Instant>,
    /// The rows, in file order.
    pub rows: Vec<CredentialRow>,
}

const COLUMNS: [&str; 22] = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
];

fn bad(line: usize, column: &str, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::ReportFormat,
        format!("credential report line {line}, column `{column}`: {why}"),
    )
    .at(Location::new(
        format!("line {line}/{column}"),
        line as u32,
        0,
    ))
}

fn special<T>(text: &str) -> Option<Cell<T>> {
    match text {
        "N/A" => Some(Cell::NotApplicable),
        "not_supported" => Some(Cell::NotSupported),
        "no_information" => Some(Cell::NoInformation),
        _ => None,
    }
}

/// A true/false column. AWS writes only `true` / `false` there (any letter case), except
/// `not_supported` in the root user's `password_enabled`; any other special value would make a
/// check judge an unknown as `false`, so it is refused.
fn boolean(text: &str, line: usize, column: &str, not_supported_ok: bool) -> Result<Cell<bool>> {
    if text.eq_ignore_ascii_case("true") {
        Ok(Cell::Value(true))
    } else if text.eq_ignore_ascii_case("false") {
        Ok(Cell::Value(false))
    } else if not_supported_ok && text == "not_supported" {
        Ok(Cell::NotSupported)
    } else {
        Err(bad(
            line,
            column,
            format!(
                "`{text}` is not true or false{}",
                if not_supported_ok {
                    " (or not_supported)"
                } else {
                    ""
                }
            ),
        ))
    }
}

/// `text` without leading and trailing whitespace, as `str::trim`; most cells have none, which
/// two byte tests tell without its walk (a byte below 0x80 is a whole character in UTF-8).
fn trimmed(text: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b < 0x80 && !char::from(b).is_whitespace());
    if plain(text.as_bytes().first()) && plain(text.as_bytes().last()) {
        text
    } else {
        text.trim()
    }
}

fn instant(text: &str, line: usize, column: &str) -> Result<Cell<Instant>> {
    // a special value starts with a letter, an instant with a digit
    if !text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        if let Some(s) = special(text) {
            return Ok(s);
        }
    }
    Instant::parse(text).map(Cell::Value).ok_or_else(|| {
        bad(line, column, format!("`{text}` is not a timestamp with a zone (RFC 3339), N/A, not_supported or no_information"))
    })
}

fn string(text: &str) -> Cell<String> {
    special(text).unwrap_or_else(|| Cell::Value(text.to_string()))
}

/// The records of the report's CSV, each with its 1-based line; blank lines are no records.
///
/// Text without a double quote or a carriage return is read as lines split at commas, which is
/// what the `csv` crate reads from it (no quoting, no escapes, records ended by `\n` alone) at a
/// fraction of its cost (its reader passes each byte through a state machine and copies it; a
/// 100,000-user report is 28 MB); any other text goes through the `csv` crate. A unit test holds
/// the two to the same rows and errors.
enum Records<'t> {
    /// Quote-free text: its commas and line feeds found by `memchr`.
    Plain(Plain<'t>),
    /// The `csv` crate's reader, whether the header was read, and the last record read.
    Csv(Box<csv::Reader<&'t [u8]>>, bool, csv::StringRecord),
}

impl<'t> Records<'t> {
    fn new(text: &'t str) -> Records<'t> {
        if memchr::memchr2(b'"', b'\r', text.as_bytes()).is_none() {
            Records::Plain(Plain {
                text,
                stops: memchr::memchr2_iter(b',', b'\n', text.as_bytes()),
                start: 0,
                physical: 0,
                line: 1,
                done: false,
                fields: Vec::with_capacity(32),
            })
        } else {
            Records::csv(text)
        }
    }

    fn csv(text: &'t str) -> Records<'t> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        Records::Csv(Box::new(reader), false, csv::StringRecord::new())
    }

    /// Reads the next record; its line, or `None` at the end.
    fn next(&mut self) -> Result<Option<usize>> {
        match self {
            Records::Plain(p) => Ok(p.next()),
            Records::Csv(reader, header_read, record) => {
                let more = reader.read_record(record).map_err(|e| {
                    if *header_read {
                        let line = e.position().map_or(0, |p| p.line() as usize);
                        bad(line, "*", e)
                    } else {
                        Error::new(
                            ErrorCode::ReportFormat,
                            format!("cannot read the header line: {e}"),
                        )
                    }
                })?;
                *header_read = true;
                Ok(more.then(|| record.position().map_or(0, |p| p.line() as usize)))
            }
        }
    }

    /// The fields of the record last read.
    fn fields(&self) -> Fields<'_, 't> {
        match self {
            Records::Plain(p) => Fields::Plain(&p.fields),
            Records::Csv(_, _, record) => Fields::Csv(record),
        }
    }
}

/// Quote-free CSV text read a line at a time.
struct Plain<'t> {
    text: &'t str,
    /// Where the commas and line feeds are.
    stops: memchr::Memchr2<'t>,
    /// Where the next field starts.
    start: usize,
    /// The physical line last read (1-based).
    physical: usize,
    /// The line the `csv` crate gives the next record: the line after the previous record's
    /// (1 for the first), blank lines between them not counted.
    line: usize,
    /// Whether the text is read to its end.
    done: bool,
    /// The fields of the line last read.
    fields: Vec<&'t str>,
}

impl Plain<'_> {
    /// Reads the next line that is not empty; its line number as the `csv` crate counts it, or
    /// `None` at the end.
    fn next(&mut self) -> Option<usize> {
        while !self.done {
            self.fields.clear();
            self.physical += 1;
            loop {
                // a comma or a line feed is ASCII: the slices stay on character boundaries
                match self.stops.next() {
                    Some(at) => {
                        self.fields
                            .push(self.text.get(self.start..at).unwrap_or_default());
                        self.start = at + 1;
                        if self.text.as_bytes().get(at) == Some(&b'\n') {
                            break;
                        }
                    }
                    None => {
                        self.fields
                            .push(self.text.get(self.start..).unwrap_or_default());
                        self.done = true;
                        break;
                    }
                }
            }
            if self.fields.len() > 1 || self.fields.first().is_some_and(|f| !f.is_empty()) {
                let line = self.line;
                self.line = self.physical + 1;
                return Some(line);
            }
        }
        None
    }
}

/// The fields of one record.
enum Fields<'a, 't> {
    Plain(&'a [&'t str]),
    Csv(&'a csv::StringRecord),
}

impl Fields<'_, '_> {
    fn len(&self) -> usize {
        match self {
            Fields::Plain(f) => f.len(),
            Fields::Csv(r) => r.len(),
        }
    }

    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Fields::Plain(f) => f.get(i).copied(),
            Fields::Csv(r) => r.get(i),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

impl CredentialReport {
    /// Parses the report: CSV text, or the API envelope (JSON) around it.
    pub fn parse(input: &str) -> Result<CredentialReport> {
        let t = input.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with('{') {
            return CredentialReport::from_envelope(t);
        }
        CredentialReport::from_csv(t, None)
    }

    /// Parses bytes (what boto3 returns for `Content`): UTF-8 CSV or envelope.
    pub fn parse_bytes(input: &[u8]) -> Result<CredentialReport> {
        let text = std::str::from_utf8(input).map_err(|e| {
            Error::new(
                ErrorCode::ReportFormat,
                format!("the credential report is not UTF-8: {e}"),
            )
        })?;
        CredentialReport::parse(text)
    }

    fn from_envelope(text: &str) -> Result<CredentialReport> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InputJson,
                format!("the credential report envelope is not JSON: {e}"),
            )
        })?;
        let content = v.get("Content").and_then(|c| c.as_str()).ok_or_else(|| {
            Error::new(
                ErrorCode::ReportFormat,
                "the envelope has no `Content` string (expected the output of `aws iam get-credential-report`)",
            )
        })?;
        if let Some(fmt) = v.get("ReportFormat").and_then(|f| f.as_str()) {
            if fmt != "text/csv" {
                return Err(Error::new(
                    ErrorCode::ReportFormat,
                    format!("ReportFormat `{fmt}` is not text/csv"),
                ));
            }
        }
        let generated = match v.get("GeneratedTime") {
            None | Some(serde_json::Value::Null) => None,
            Some(g) => {
                let s = g.as_str().unwrap_or_default();
                Some(Instant::parse(s).ok_or_else(|| {
                    Error::new(
                        ErrorCode::ReportFormat,
                        format!("GeneratedTime `{g}` is not a timestamp with a zone"),
                    )
                })?)
            }
        };
        // plain CSV (some tools save the decoded bytes) or base64
        let csv = if content.trim_start().starts_with("user,") || content.contains(',') {
            content.to_string()
        } else {
            let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map_err(|e| {
                    Error::new(
                        ErrorCode::ReportFormat,
                        format!("`Content` is neither CSV nor base64: {e}"),
                    )
                })?;
            String::from_utf8(bytes).map_err(|e| {
                Error::new(
                    ErrorCode::ReportFormat,
                    format!("the decoded `Content` is not UTF-8: {e}"),
                )
            })?
        };
        CredentialReport::from_csv(&csv, generated)
    }

    fn from_csv(text: &str, generated_time: Option<Instant>) -> Result<CredentialReport> {
        Self::from_records(Records::new(text), text.len() / 200, generated_time)
    }

    /// The report of `reader`'s records (room made for `rows` rows).
    fn from_records(
        mut reader: Records<'_>,
        rows: usize,
        generated_time: Option<Instant>,
    ) -> Result<CredentialReport> {
        let headers: Vec<String> = match reader.next()? {
            Some(_) => reader.fields().iter().map(str::to_string).collect(),
            None => Vec::new(),
        };
        if headers.len() <= 1 {
            let first = headers.first().map_or("", String::as_str);
            let why = if first.is_empty() {
                "the credential report is empty".to_string()
            } else if first.len() > 40
                && first
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            {
                "this looks like base64: decode it (base64 -d), or give the whole get-credential-report JSON".to_string()
            } else {
                "the first line is not the credential report's header".to_string()
            };
            return Err(Error::new(ErrorCode::ReportFormat, why).at(Location::new("line 1", 1, 0)));
        }
        let mut index = [0usize; 22];
        for (i, name) in COLUMNS.iter().enumerate() {
            let positions: Vec<usize> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.trim() == *name)
                .map(|(p, _)| p + 1)
                .collect();
            if positions.len() > 1 {
                return Err(Error::new(
                    ErrorCode::ReportFormat,
                    format!("the header line has `{name}` more than once (fields {positions:?})"),
                )
                .at(Location::new(format!("line 1/{name}"), 1, 0)));
            }
            index[i] = headers.iter().position(|h| h.trim() == *name).ok_or_else(|| {
                Error::new(
                    ErrorCode::ReportFormat,
                    format!("the header line has no `{name}` column (is this an IAM credential report?)"),
                )
                .at(Location::new(format!("line 1/{name}"), 1, 0))
            })?;
        }
        let mut rows = Vec::with_capacity(rows);
        while let Some(line) = reader.next()? {
            let record = reader.fields();
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if record.len() < headers.len() {
                return Err(bad(
                    line,
                    headers.get(record.len()).map_or("*", String::as_str),
                    format!(
                        "the row has {} fields, the header {}",
                        record.len(),
                        headers.len()
                    ),
                ));
            }
            let col = |i: usize| trimmed(record.get(index[i]).unwrap_or(""));
            let user = col(0).to_string();
            if user.is_empty() {
                return Err(bad(line, "user", "is empty"));
            }
            let arn = col(1).to_string();
            if !arn.starts_with("arn:") {
                return Err(bad(line, "arn", format!("`{arn}` is not an ARN")));
            }
            // the root row: its name and its ARN must agree, and there is one
            let named_root = user == "<root_account>";
            let root_arn = arn.ends_with(":root");
            if named_root != root_arn {
                return Err(bad(line, if named_root { "arn" } else { "user" }, format!(
                    "the user `{user}` and the ARN `{arn}` disagree on whether this is the root user's row"
                )));
            }
            let is_root = named_root;
            if is_root && rows.iter().any(|r: &CredentialRow| r.is_root) {
                return Err(bad(line, "user", "a second <root_account> row"));
            }
            let key = |base: usize| -> Result<KeySlot> {
                Ok(KeySlot {
                    active: boolean(col(base), line, COLUMNS[base], false)?,
                    last_rotated: instant(col(base + 1), line, COLUMNS[base + 1])?,
                    last_used_date: instant(col(base + 2), line, COLUMNS[base + 2])?,
                    last_used_region: string(col(base + 3)),
                    last_used_service: string(col(base + 4)),
                })
            };
            let cert = |base: usize| -> Result<CertSlot> {
                Ok(CertSlot {
                    active: boolean(col(base), line, COLUMNS[base], false)?,
                    last_rotated: instant(col(base + 1), line, COLUMNS[base + 1])?,
                })
            };
            rows.push(CredentialRow {
                line,
                is_root,
                user_creation_time: instant(col(2), line, "user_creation_time")?,
                password_enabled: boolean(col(3), line, "password_enabled", is_root)?,
                password_last_used: instant(col(4), line, "password_last_used")?,
                password_last_changed: instant(col(5), line, "password_last_changed")?,
                password_next_rotation: instant(col(6), line, "password_next_rotation")?,
                mfa_active: boolean(col(7), line, "mfa_active", false)?,
                access_keys: [key(8)?, key(13)?],
                certs: [cert(18)?, cert(20)?],
                user,
                arn,
            });
        }
        Ok(CredentialReport {
            generated_time,
            rows,
        })
    }

    /// The root user's row, when the report has one.
    pub fn root(&self) -> Option<&CredentialRow> {
        self.rows.iter().find(|r| r.is_root)
    }

    /// The IAM users' rows (every row but the root user's).
    pub fn users(&self) -> impl Iterator<Item = &CredentialRow> {
        self.rows.iter().filter(|r| !r.is_root)
    }
}

#[cfg(feature = "schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Cell<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        match T::schema_name().as_ref() {
            "boolean" => "BoolCell".into(),
            "string" => "TextCell".into(),
            other => format!("{other}Cell").into(),
        }
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = g.subschema_for::<T>();
        schemars::json_schema!({
            "description": "A cell of the credential report: its value, or one of the report's special values kept as text.",
            "anyOf": [value, {"type": "string", "enum": ["N/A", "not_supported", "no_information"]}]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report read by the plain reader and by the `csv` crate, as text to compare.
    fn both_ways(text: &str) -> (String, String) {
        assert!(matches!(Records::new(text), Records::Plain(_)), "{text:?}");
        let plain = CredentialReport::from_records(Records::new(text), 0, None);
        let csv = CredentialReport::from_records(Records::csv(text), 0, None);
        (format!("{plain:?}"), format!("{csv:?}"))
    }

    #[test]
    fn plain_text_reads_as_the_csv_crate_reads_it() {
        let header = COLUMNS.join(",");
        let row = |u: &str, created: &str| {
            format!("{u},arn:aws:iam::111122223333:user/{u},{created},true,N/A,N/A,N/A,false,true,2025-01-01T10:06:00Z,no_information,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
        };
        let root = "<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
        let (a, b) = (
            row("alice", "2025-01-01T10:00:00+00:00"),
            row("bob", " 2025-01-01 10:00:00Z "),
        );
        let texts = [
            String::new(),
            "\n\n".to_string(),
            "\n\n\n ".to_string(),
            header.clone(),
            format!("{header}\n"),
            format!("{header}\n{root}\n{a}\n{b}\n"),
            format!("{header}\n{root}\n{a}\n{b}"),
            format!("\n\n{header}\n\n{a}\n\n\n{b}\n\n"),
            format!("{header}\n{a}\n   \n,,,\n{b}\n"),
            format!("{header}\n{a}\n\t\n{b}\n"),
            format!("{header}\n{a},extra,fields\n"),
            format!("{header}\nalice,arn:aws:iam::1:user/alice,N/A\n"),
            format!("{header}\n{a}\n{}\n", row("carol", "15 March 2021")),
            format!("{header}\n{a}\n{}\n", row("", "N/A")),
            format!("{header}\n{a}\n{root}\n{root}\n"),
            format!(
                "{header}\n{}\n",
                row("é€😀 user", "2025-01-01T10:00:00+05:30")
            ),
            format!(" {} \n{a}\n", COLUMNS.join(" , ")),
            format!("{header},user\n{a}\n"),
            header.replace(",mfa_active", ""),
            "user".to_string(),
            "dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lLHBhc3N3b3JkX2VuYWJsZWQ=".to_string(),
        ];
        for text in &texts {
            let (plain, csv) = both_ways(text);
            assert_eq!(plain, csv, "{text:?}");
        }
        // generated texts: lines of cells from a pool, with blank and short lines among them
        let pool = [
            "",
            " ",
            "\t",
            "N/A",
            "no_information",
            "not_supported",
            "true",
            "FALSE",
            "x",
            "2025-01-01T10:00:00+00:00",
            "2024-02-30T00:00:00Z",
            " 2025-01-01 10:00:00Z",
            "arn:aws:iam::1:user/u",
            "arn:aws:iam::1:root",
            "<root_account>",
            "é",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let mut text = String::new();
            for l in 0..next(6) {
                if l == 0 && next(4) > 0 {
                    text.push_str(&header);
                } else {
                    let cells: Vec<&str> = (0..next(26)).map(|_| pool[next(pool.len())]).collect();
                    text.push_str(&cells.join(","));
                }
                text.push_str(["\n", "\n\n", "\n \n"][next(3)]);
            }
            let (plain, csv) = both_ways(&text);
            assert_eq!(plain, csv, "{text:?}");
        }
        // a report with quotes or carriage returns goes the csv crate's way
        assert!(matches!(Records::new("a,\"b\"\n"), Records::Csv(..)));
        assert!(matches!(Records::new("a,b\r\n"), Records::Csv(..)));
    }
}

//! Errors and diagnostics: one table of stable codes shared by every surface (Rust, CLI, C, Go,
//! Python, Node).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A stable machine code. The string forms (`IAM_...`) never change once released; a test
/// snapshots the full list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ErrorCode {
    /// The input (a case, a request) is not valid JSON, or nests too deep.
    #[serde(rename = "IAM_INPUT_JSON")]
    InputJson,
    /// The input is JSON of the wrong shape.
    #[serde(rename = "IAM_INPUT_SCHEMA")]
    InputSchema,
    /// A policy document is not valid JSON, not one object, or nests too deep.
    #[serde(rename = "IAM_POLICY_JSON")]
    PolicyJson,
    /// A JSON object in a policy repeats a key.
    #[serde(rename = "IAM_POLICY_DUPLICATE_KEY")]
    PolicyDuplicateKey,
    /// An element name IAM does not know.
    #[serde(rename = "IAM_POLICY_UNKNOWN_ELEMENT")]
    PolicyUnknownElement,
    /// A required element is missing or empty.
    #[serde(rename = "IAM_POLICY_MISSING_ELEMENT")]
    PolicyMissingElement,
    /// Two mutually exclusive elements (`Action` and `NotAction`, ...).
    #[serde(rename = "IAM_POLICY_CONFLICTING_ELEMENTS")]
    PolicyConflictingElements,
    /// An element the policy type forbids.
    #[serde(rename = "IAM_POLICY_ELEMENT_NOT_ALLOWED")]
    PolicyElementNotAllowed,
    /// An element of the wrong JSON type.
    #[serde(rename = "IAM_POLICY_TYPE")]
    PolicyType,
    /// An unknown policy language version.
    #[serde(rename = "IAM_POLICY_VERSION")]
    PolicyVersion,
    /// Warning: `Version` missing or `2008-10-17`.
    #[serde(rename = "IAM_POLICY_VERSION_LEGACY")]
    PolicyVersionLegacy,
    /// `Effect` other than `Allow` or `Deny`.
    #[serde(rename = "IAM_POLICY_EFFECT")]
    PolicyEffect,
    /// A `Sid` with characters IAM rejects.
    #[serde(rename = "IAM_POLICY_SID")]
    PolicySid,
    /// Two statements share a `Sid`.
    #[serde(rename = "IAM_POLICY_DUPLICATE_SID")]
    PolicyDuplicateSid,
    /// A malformed action.
    #[serde(rename = "IAM_POLICY_ACTION")]
    PolicyAction,
    /// A resource that is neither `*` nor a well-formed ARN.
    #[serde(rename = "IAM_POLICY_RESOURCE")]
    PolicyResource,
    /// A malformed principal.
    #[serde(rename = "IAM_POLICY_PRINCIPAL")]
    PolicyPrincipal,
    /// A condition operator IAM does not define.
    #[serde(rename = "IAM_POLICY_UNKNOWN_OPERATOR")]
    PolicyUnknownOperator,
    /// A condition value the operator cannot read.
    #[serde(rename = "IAM_POLICY_CONDITION_VALUE")]
    PolicyConditionValue,
    /// Warning: a policy with no statements.
    #[serde(rename = "IAM_POLICY_EMPTY")]
    PolicyEmpty,
    /// Warning: leading or trailing white space in a value.
    #[serde(rename = "IAM_POLICY_WHITESPACE")]
    PolicyWhitespace,
    /// Warning: a malformed or inert policy variable.
    #[serde(rename = "IAM_POLICY_VARIABLE")]
    PolicyVariable,
    /// The request's principal is not an accepted form.
    #[serde(rename = "IAM_REQUEST_PRINCIPAL")]
    RequestPrincipal,
    /// The request's action is not `service:Action`.
    #[serde(rename = "IAM_REQUEST_ACTION")]
    RequestAction,
    /// The request's resource is neither an ARN nor `*`.
    #[serde(rename = "IAM_REQUEST_RESOURCE")]
    RequestResource,
    /// A context value of an unusable type.
    #[serde(rename = "IAM_REQUEST_CONTEXT")]
    RequestContext,
    /// Account data (authorization details) that cannot be loaded: a missing name or ARN, a
    /// policy document that cannot be read. The message names the entity and the field.
    #[serde(rename = "IAM_ACCOUNT_DATA")]
    AccountData,
    /// A query names a principal or role the account does not have (or names it ambiguously).
    #[serde(rename = "IAM_ACCOUNT_PRINCIPAL")]
    AccountPrincipal,
    /// A credential report that cannot be read: a missing column, a bad value (the message names
    /// the line and the column).
    #[serde(rename = "IAM_REPORT_FORMAT")]
    ReportFormat,
    /// A password policy, account summary or MFA device list that cannot be read, or audit
    /// options that do not make sense.
    #[serde(rename = "IAM_AUDIT_INPUT")]
    AuditInput,
    /// A service catalog (run-time loaded) that cannot be read.
    #[serde(rename = "IAM_CATALOG_FORMAT")]
    CatalogFormat,
    /// A file could not be read.
    #[serde(rename = "IAM_IO")]
    Io,
    /// A binding was called with a NULL pointer, text that is not UTF-8, or a value of the wrong
    /// type.
    #[serde(rename = "IAM_INVALID_ARGUMENT")]
    InvalidArgument,
    /// A bug in iamkit (a caught panic).
    #[serde(rename = "IAM_INTERNAL")]
    Internal,
}

impl ErrorCode {
    /// Every code, in table order.
    pub const ALL: [ErrorCode; 34] = [
        ErrorCode::InputJson,
        ErrorCode::InputSchema,
        ErrorCode::PolicyJson,
        ErrorCode::PolicyDuplicateKey,
        ErrorCode::PolicyUnknownElement,
        ErrorCode::PolicyMissingElement,
        ErrorCode::PolicyConflictingElements,
        ErrorCode::PolicyElementNotAllowed,
        ErrorCode::PolicyType,
        ErrorCode::PolicyVersion,
        ErrorCode::PolicyVersionLegacy,
        ErrorCode::PolicyEffect,
        ErrorCode::PolicySid,
        ErrorCode::PolicyDuplicateSid,
        ErrorCode::PolicyAction,
        ErrorCode::PolicyResource,
        ErrorCode::PolicyPrincipal,
        ErrorCode::PolicyUnknownOperator,
        ErrorCode::PolicyConditionValue,
        ErrorCode::PolicyEmpty,
        ErrorCode::PolicyWhitespace,
        ErrorCode::PolicyVariable,
        ErrorCode::RequestPrincipal,
        ErrorCode::RequestAction,
        ErrorCode::RequestResource,
        ErrorCode::RequestContext,
        ErrorCode::AccountData,
        ErrorCode::AccountPrincipal,
        ErrorCode::ReportFormat,
        ErrorCode::AuditInput,
        ErrorCode::CatalogFormat,
        ErrorCode::Io,
        ErrorCode::InvalidArgument,
        ErrorCode::Internal,
    ];

    /// The stable string form, e.g. `IAM_POLICY_JSON`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InputJson => "IAM_INPUT_JSON",
            ErrorCode::InputSchema => "IAM_INPUT_SCHEMA",
            ErrorCode::PolicyJson => "IAM_POLICY_JSON",
            ErrorCode::PolicyDuplicateKey => "IAM_POLICY_DUPLICATE_KEY",
            ErrorCode::PolicyUnknownElement => "IAM_POLICY_UNKNOWN_ELEMENT",
            ErrorCode::PolicyMissingElement => "IAM_POLICY_MISSING_ELEMENT",
            ErrorCode::PolicyConflictingElements => "IAM_POLICY_CONFLICTING_ELEMENTS",
            ErrorCode::PolicyElementNotAllowed => "IAM_POLICY_ELEMENT_NOT_ALLOWED",
            ErrorCode::PolicyType => "IAM_POLICY_TYPE",
            ErrorCode::PolicyVersion => "IAM_POLICY_VERSION",
            ErrorCode::PolicyVersionLegacy => "IAM_POLICY_VERSION_LEGACY",
            ErrorCode::PolicyEffect => "IAM_POLICY_EFFECT",
            ErrorCode::PolicySid => "IAM_POLICY_SID",
            ErrorCode::PolicyDuplicateSid => "IAM_POLICY_DUPLICATE_SID",
            ErrorCode::PolicyAction => "IAM_POLICY_ACTION",
            ErrorCode::PolicyResource => "IAM_POLICY_RESOURCE",
            ErrorCode::PolicyPrincipal => "IAM_POLICY_PRINCIPAL",
            ErrorCode::PolicyUnknownOperator => "IAM_POLICY_UNKNOWN_OPERATOR",
            ErrorCode::PolicyConditionValue => "IAM_POLICY_CONDITION_VALUE",
            ErrorCode::PolicyEmpty => "IAM_POLICY_EMPTY",
            ErrorCode::PolicyWhitespace => "IAM_POLICY_WHITESPACE",
            ErrorCode::PolicyVariable => "IAM_POLICY_VARIABLE",
            ErrorCode::RequestPrincipal => "IAM_REQUEST_PRINCIPAL",
            ErrorCode::RequestAction => "IAM_REQUEST_ACTION",
            ErrorCode::RequestResource => "IAM_REQUEST_RESOURCE",
            ErrorCode::RequestContext => "IAM_REQUEST_CONTEXT",
            ErrorCode::Io => "IAM_IO",
            ErrorCode::InvalidArgument => "IAM_INVALID_ARGUMENT",
            ErrorCode::AccountData => "IAM_ACCOUNT_DATA",
            ErrorCode::AccountPrincipal => "IAM_ACCOUNT_PRINCIPAL",
            ErrorCode::ReportFormat => "IAM_REPORT_FORMAT",
            ErrorCode::AuditInput => "IAM_AUDIT_INPUT",
            ErrorCode::CatalogFormat => "IAM_CATALOG_FORMAT",
            ErrorCode::Internal => "IAM_INTERNAL",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where in a JSON text something is: a JSON path (`$.Statement[0].Action`) and the 1-based line
/// and column (in characters) of the value's first character.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// JSONPath of the value, e.g. `$.Statement[0].Condition.StringEquals`.
    pub json_path: String,
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column (characters), 0 when unknown.
    pub column: u32,
}

impl Location {
    /// A location with a path and a position.
    pub fn new(json_path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            json_path: json_path.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{} (line {}, column {})",
                self.json_path, self.line, self.column
            )
        } else {
            f.write_str(&self.json_path)
        }
    }
}

/// An iamkit error: a stable code, a message, and where the problem is when that is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{code}: {message}{}", location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default())]
pub struct Error {
    /// The stable machine code.
    pub code: ErrorCode,
    /// A human-readable message (lowercase, no final period).
    pub message: String,
    /// Where in the input the problem is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<Location>,
}

impl Error {
    /// A new error without a location.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            location: None,
        }
    }

    /// The same error with a location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// The `IAM_INTERNAL` error for a caught panic (the bindings' guards use it).
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Error::new(
            ErrorCode::Internal,
            format!("internal error (a bug in iamkit): {msg}"),
        )
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The location, when known.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The policy is invalid; iamkit refuses to evaluate it.
    Error,
    /// The policy is valid but probably not what its author meant.
    Warning,
}

/// One finding of the policy validator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diagnostic {
    /// The stable code.
    pub code: ErrorCode,
    /// Error or warning.
    pub severity: Severity,
    /// A human-readable message.
    pub message: String,
    /// Where the problem is.
    pub location: Location,
}

impl Diagnostic {
    /// Turns an error-severity diagnostic into an [`Error`].
    pub fn to_error(&self) -> Error {
        Error::new(self.code, self.message.clone()).at(self.location.clone())
    }
}

/// A result with an iamkit [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_strings_are_stable() {
        let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            all.join(","),
            "IAM_INPUT_JSON,IAM_INPUT_SCHEMA,IAM_POLICY_JSON,IAM_POLICY_DUPLICATE_KEY,\
IAM_POLICY_UNKNOWN_ELEMENT,IAM_POLICY_MISSING_ELEMENT,IAM_POLICY_CONFLICTING_ELEMENTS,\
IAM_POLICY_ELEMENT_NOT_ALLOWED,IAM_POLICY_TYPE,IAM_POLICY_VERSION,IAM_POLICY_VERSION_LEGACY,\
IAM_POLICY_EFFECT,IAM_POLICY_SID,IAM_POLICY_DUPLICATE_SID,IAM_POLICY_ACTION,IAM_POLICY_RESOURCE,\
IAM_POLICY_PRINCIPAL,IAM_POLICY_UNKNOWN_OPERATOR,IAM_POLICY_CONDITION_VALUE,IAM_POLICY_EMPTY,\
IAM_POLICY_WHITESPACE,IAM_POLICY_VARIABLE,IAM_REQUEST_PRINCIPAL,IAM_REQUEST_ACTION,\
IAM_REQUEST_RESOURCE,IAM_REQUEST_CONTEXT,IAM_ACCOUNT_DATA,IAM_ACCOUNT_PRINCIPAL,IAM_REPORT_FORMAT,IAM_AUDIT_INPUT,IAM_CATALOG_FORMAT,IAM_IO,IAM_INVALID_ARGUMENT,IAM_INTERNAL"
        );
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}

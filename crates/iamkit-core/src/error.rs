//! Errors and diagnostics: one table of stable codes shared by every surface (Rust, CLI, C, Go,
//! Python, Node).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a table of stable string codes, each written once: the enum (`#[non_exhaustive]`,
/// with its docs), `ALL` in table order, `as_str`, `parse` and `FromStr`, `Display`, and serde
/// through the string form.
macro_rules! string_codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $name {
            /// Every code, in table order.
            pub const ALL: [$name; { [$($text),+].len() }] = [$($name::$variant),+];

            /// The string forms, in table order.
            const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stable string form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The code whose string form is exactly `text`.
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string", "enum": [$($text),+]})
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::UnknownCode;

            fn from_str(text: &str) -> std::result::Result<$name, Self::Err> {
                $name::parse(text).ok_or_else(|| $crate::error::UnknownCode(text.to_string()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<$name, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: serde::de::Error>(
                        self,
                        v: &str,
                    ) -> std::result::Result<$name, E> {
                        $name::parse(v).ok_or_else(|| E::unknown_variant(v, $name::NAMES))
                    }
                }
                d.deserialize_str(Visitor)
            }
        }
    };
}
pub(crate) use string_codes;

/// A string that names no code of the table it was parsed against.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code `{0}`")]
pub struct UnknownCode(pub String);

string_codes! {
    /// A stable machine code. The string forms (`IAM_...`) never change once released; a test
    /// snapshots the full list.
    pub enum ErrorCode {
        /// The input (a case, a request) is not valid JSON, or nests too deep.
        InputJson = "IAM_INPUT_JSON",
        /// The input is JSON of the wrong shape.
        InputSchema = "IAM_INPUT_SCHEMA",
        /// The input (a wire input, a line of the JSON-lines interface, a file the CLI reads) is
        /// larger than its limit (see `iamkit_core::limits`).
        InputTooLarge = "IAM_INPUT_TOO_LARGE",
        /// A policy document is not valid JSON, not one object, or nests too deep.
        PolicyJson = "IAM_POLICY_JSON",
        /// A JSON object in a policy repeats a key.
        PolicyDuplicateKey = "IAM_POLICY_DUPLICATE_KEY",
        /// An element name IAM does not know.
        PolicyUnknownElement = "IAM_POLICY_UNKNOWN_ELEMENT",
        /// A required element is missing or empty.
        PolicyMissingElement = "IAM_POLICY_MISSING_ELEMENT",
        /// Two mutually exclusive elements (`Action` and `NotAction`, ...).
        PolicyConflictingElements = "IAM_POLICY_CONFLICTING_ELEMENTS",
        /// An element the policy type forbids.
        PolicyElementNotAllowed = "IAM_POLICY_ELEMENT_NOT_ALLOWED",
        /// An element of the wrong JSON type.
        PolicyType = "IAM_POLICY_TYPE",
        /// An unknown policy language version.
        PolicyVersion = "IAM_POLICY_VERSION",
        /// Warning: `Version` missing or `2008-10-17`.
        PolicyVersionLegacy = "IAM_POLICY_VERSION_LEGACY",
        /// `Effect` other than `Allow` or `Deny`.
        PolicyEffect = "IAM_POLICY_EFFECT",
        /// A `Sid` with characters IAM rejects.
        PolicySid = "IAM_POLICY_SID",
        /// Two statements share a `Sid`.
        PolicyDuplicateSid = "IAM_POLICY_DUPLICATE_SID",
        /// Warning: the document is larger than AWS's size quota for its policy type.
        PolicySize = "IAM_POLICY_SIZE",
        /// A malformed action.
        PolicyAction = "IAM_POLICY_ACTION",
        /// A resource that is neither `*` nor a well-formed ARN.
        PolicyResource = "IAM_POLICY_RESOURCE",
        /// A malformed principal.
        PolicyPrincipal = "IAM_POLICY_PRINCIPAL",
        /// A condition operator IAM does not define.
        PolicyUnknownOperator = "IAM_POLICY_UNKNOWN_OPERATOR",
        /// A condition value the operator cannot read.
        PolicyConditionValue = "IAM_POLICY_CONDITION_VALUE",
        /// Warning: a policy with no statements.
        PolicyEmpty = "IAM_POLICY_EMPTY",
        /// Warning: leading or trailing white space in a value.
        PolicyWhitespace = "IAM_POLICY_WHITESPACE",
        /// Warning: a malformed or inert policy variable.
        PolicyVariable = "IAM_POLICY_VARIABLE",
        /// The request's principal is not an accepted form.
        RequestPrincipal = "IAM_REQUEST_PRINCIPAL",
        /// The request's action is not `service:Action`.
        RequestAction = "IAM_REQUEST_ACTION",
        /// The request's resource is neither an ARN nor `*`, or names one resource for an action
        /// that acts on none (a wildcard-only action is asked on `*`).
        RequestResource = "IAM_REQUEST_RESOURCE",
        /// A context value of an unusable type.
        RequestContext = "IAM_REQUEST_CONTEXT",
        /// Account data (authorization details) that cannot be loaded: a missing name or ARN, a
        /// policy document that cannot be read. The message names the entity and the field.
        AccountData = "IAM_ACCOUNT_DATA",
        /// A query names a principal or role the account does not have (or names it ambiguously).
        AccountPrincipal = "IAM_ACCOUNT_PRINCIPAL",
        /// A credential report that cannot be read: a missing column, a bad value (the message names
        /// the line and the column).
        ReportFormat = "IAM_REPORT_FORMAT",
        /// A password policy, account summary or MFA device list that cannot be read, or audit
        /// options that do not make sense.
        AuditInput = "IAM_AUDIT_INPUT",
        /// A service catalog (run-time loaded) that cannot be read.
        CatalogFormat = "IAM_CATALOG_FORMAT",
        /// Organization data that cannot be read: a file of the tree missing or of another shape,
        /// an account the organization does not list, an SCP or RCP on an account's path that
        /// cannot be read. The message names the file or the policy.
        OrgData = "IAM_ORG_DATA",
        /// A file could not be read.
        Io = "IAM_IO",
        /// A binding was called with a NULL pointer, text that is not UTF-8, or a value of the wrong
        /// type.
        InvalidArgument = "IAM_INVALID_ARGUMENT",
        /// A bug in iamkit (a caught panic).
        Internal = "IAM_INTERNAL",
    }
}

string_codes! {
    /// The stable code of a finding of the catalog's linter (the validator's own findings carry
    /// an [`ErrorCode`]). The string forms never change once released; a test snapshots the full
    /// list.
    pub enum LintCode {
        /// `Allow` with `NotPrincipal`, `NotAction` or `NotResource`.
        AllowNot = "IAM_LINT_ALLOW_NOT",
        /// An action pattern that names no action AWS lists.
        UnknownAction = "IAM_LINT_UNKNOWN_ACTION",
        /// An action pattern whose service prefix AWS does not list.
        UnknownService = "IAM_LINT_UNKNOWN_SERVICE",
        /// Every action on every resource (full administrator).
        Admin = "IAM_LINT_ADMIN",
        /// Permissions management actions allowed on `*`.
        PermissionsManagementStar = "IAM_LINT_PERMISSIONS_MANAGEMENT_STAR",
        /// `iam:PassRole` allowed on `*`.
        PassRoleStar = "IAM_LINT_PASSROLE_STAR",
        /// A resource ARN no action of the statement acts on.
        ResourceMismatch = "IAM_LINT_RESOURCE_MISMATCH",
        /// An `aws:` condition key that is not a global condition key.
        UnknownConditionKey = "IAM_LINT_UNKNOWN_CONDITION_KEY",
        /// A service condition key no action of the statement sets.
        ConditionKeyNotApplicable = "IAM_LINT_CONDITION_KEY_NOT_APPLICABLE",
        /// A multivalued key without `ForAllValues:` or `ForAnyValue:`.
        SetOperatorMissing = "IAM_LINT_SET_OPERATOR_MISSING",
        /// `ForAllValues:` on a single-valued key.
        ForAllValuesSingleValued = "IAM_LINT_FORALLVALUES_SINGLE_VALUED",
        /// A condition in an Allow that holds when the key is missing (`ForAllValues:`,
        /// `IfExists`).
        VacuousCondition = "IAM_LINT_VACUOUS_CONDITION",
    }
}

/// The code of a linter finding: the validator's [`ErrorCode`] or the linter's own
/// [`LintCode`], serialized as its string form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingCode {
    /// A validator diagnostic (`IAM_POLICY_*`).
    Policy(ErrorCode),
    /// A lint rule (`IAM_LINT_*`).
    Lint(LintCode),
}

impl FindingCode {
    /// The stable string form.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::Policy(c) => c.as_str(),
            FindingCode::Lint(c) => c.as_str(),
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for FindingCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FindingCode".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let (e, l) = (
            g.subschema_for::<ErrorCode>(),
            g.subschema_for::<LintCode>(),
        );
        schemars::json_schema!({
            "description": "A validator code (`IAM_POLICY_*`) or a lint rule's code (`IAM_LINT_*`).",
            "anyOf": [e, l]
        })
    }
}

impl From<ErrorCode> for FindingCode {
    fn from(c: ErrorCode) -> Self {
        FindingCode::Policy(c)
    }
}

impl From<LintCode> for FindingCode {
    fn from(c: LintCode) -> Self {
        FindingCode::Lint(c)
    }
}

/// Where in a JSON text something is: a JSON path (`$.Statement[0].Action`) and, when known, the
/// 1-based line and column (in characters) of the value's first character. An unknown line or
/// column is absent from the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// JSONPath of the value, e.g. `$.Statement[0].Condition.StringEquals`.
    pub json_path: String,
    /// 1-based line, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (characters), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Location {
    /// A location with a path and a position; a line or column of 0 means unknown.
    pub fn new(json_path: impl Into<String>, line: u32, column: u32) -> Self {
        Location {
            json_path: json_path.into(),
            line: (line > 0).then_some(line),
            column: (column > 0).then_some(column),
        }
    }

    /// A location with a path and no position.
    pub fn path(json_path: impl Into<String>) -> Self {
        Location {
            json_path: json_path.into(),
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(
                f,
                "{} (line {line}, column {})",
                self.json_path,
                self.column.unwrap_or(0)
            ),
            None => f.write_str(&self.json_path),
        }
    }
}

/// An iamkit error: a stable code, a message, and where the problem is when that is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[error("{code}: {message}{}", location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default())]
pub struct Error {
    /// The stable machine code.
    code: ErrorCode,
    /// A human-readable message (lowercase, no final period).
    message: String,
    /// Where in the input the problem is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    location: Option<Location>,
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

    /// The message (lowercase, no final period).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The location, when known.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// The same error with its message rewritten by `f` (to name the input it came from, say).
    pub fn map_message(mut self, f: impl FnOnce(String) -> String) -> Self {
        self.message = f(self.message);
        self
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
            "IAM_INPUT_JSON,IAM_INPUT_SCHEMA,IAM_INPUT_TOO_LARGE,IAM_POLICY_JSON,IAM_POLICY_DUPLICATE_KEY,\
IAM_POLICY_UNKNOWN_ELEMENT,IAM_POLICY_MISSING_ELEMENT,IAM_POLICY_CONFLICTING_ELEMENTS,\
IAM_POLICY_ELEMENT_NOT_ALLOWED,IAM_POLICY_TYPE,IAM_POLICY_VERSION,IAM_POLICY_VERSION_LEGACY,\
IAM_POLICY_EFFECT,IAM_POLICY_SID,IAM_POLICY_DUPLICATE_SID,IAM_POLICY_SIZE,IAM_POLICY_ACTION,IAM_POLICY_RESOURCE,\
IAM_POLICY_PRINCIPAL,IAM_POLICY_UNKNOWN_OPERATOR,IAM_POLICY_CONDITION_VALUE,IAM_POLICY_EMPTY,\
IAM_POLICY_WHITESPACE,IAM_POLICY_VARIABLE,IAM_REQUEST_PRINCIPAL,IAM_REQUEST_ACTION,\
IAM_REQUEST_RESOURCE,IAM_REQUEST_CONTEXT,IAM_ACCOUNT_DATA,IAM_ACCOUNT_PRINCIPAL,IAM_REPORT_FORMAT,IAM_AUDIT_INPUT,IAM_CATALOG_FORMAT,IAM_ORG_DATA,IAM_IO,IAM_INVALID_ARGUMENT,IAM_INTERNAL"
        );
        let lint: Vec<&str> = LintCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            lint.join(","),
            "IAM_LINT_ALLOW_NOT,IAM_LINT_UNKNOWN_ACTION,IAM_LINT_UNKNOWN_SERVICE,IAM_LINT_ADMIN,\
IAM_LINT_PERMISSIONS_MANAGEMENT_STAR,IAM_LINT_PASSROLE_STAR,IAM_LINT_RESOURCE_MISMATCH,\
IAM_LINT_UNKNOWN_CONDITION_KEY,IAM_LINT_CONDITION_KEY_NOT_APPLICABLE,\
IAM_LINT_SET_OPERATOR_MISSING,IAM_LINT_FORALLVALUES_SINGLE_VALUED,IAM_LINT_VACUOUS_CONDITION"
        );
        for code in LintCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(code.as_str().parse::<LintCode>(), Ok(code));
            assert_eq!(serde_json::from_str::<LintCode>(&json).unwrap(), code);
        }
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
    }
}

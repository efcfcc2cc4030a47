//! Condition operators and the typed values they read (numbers, dates, booleans, IP ranges,
//! base64 binaries).

use std::net::IpAddr;

use ipnet::IpNet;

/// A set operator prefix for multivalued keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// No prefix.
    None,
    /// `ForAllValues:`: every request value must match (true when the key is missing or empty).
    ForAllValues,
    /// `ForAnyValue:`: some request value must match (false when the key is missing or empty).
    ForAnyValue,
}

/// The operator families; each reads its values as one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Text.
    String,
    /// Numbers.
    Numeric,
    /// Instants.
    Date,
    /// `true` / `false`.
    Bool,
    /// Base64 binaries.
    Binary,
    /// IP addresses and CIDR ranges.
    Ip,
    /// ARNs with per-segment wildcards.
    Arn,
    /// Key presence.
    Null,
}

/// Base condition operators (without `IfExists` and set prefixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

const BASE_OPS: [(&str, BaseOp); 27] = [
    ("StringEquals", BaseOp::StringEquals),
    ("StringNotEquals", BaseOp::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOp::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        BaseOp::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", BaseOp::StringLike),
    ("StringNotLike", BaseOp::StringNotLike),
    ("NumericEquals", BaseOp::NumericEquals),
    ("NumericNotEquals", BaseOp::NumericNotEquals),
    ("NumericLessThan", BaseOp::NumericLessThan),
    ("NumericLessThanEquals", BaseOp::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOp::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOp::NumericGreaterThanEquals),
    ("DateEquals", BaseOp::DateEquals),
    ("DateNotEquals", BaseOp::DateNotEquals),
    ("DateLessThan", BaseOp::DateLessThan),
    ("DateLessThanEquals", BaseOp::DateLessThanEquals),
    ("DateGreaterThan", BaseOp::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOp::DateGreaterThanEquals),
    ("Bool", BaseOp::Bool),
    ("BinaryEquals", BaseOp::BinaryEquals),
    ("IpAddress", BaseOp::IpAddress),
    ("NotIpAddress", BaseOp::NotIpAddress),
    ("ArnEquals", BaseOp::ArnEquals),
    ("ArnLike", BaseOp::ArnLike),
    ("ArnNotEquals", BaseOp::ArnNotEquals),
    ("ArnNotLike", BaseOp::ArnNotLike),
    ("Null", BaseOp::Null),
];

impl BaseOp {
    /// The documented name.
    pub fn name(self) -> &'static str {
        BASE_OPS
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// The value family the operator reads.
    pub fn family(self) -> Family {
        use BaseOp::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }

    /// Whether the operator is negated (its values are NOR-ed, and a missing key makes it true).
    pub fn negated(self) -> bool {
        use BaseOp::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The positive operator a negated one negates (itself when not negated).
    pub fn positive(self) -> BaseOp {
        use BaseOp::*;
        match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            NotIpAddress => IpAddress,
            ArnNotEquals => ArnEquals,
            ArnNotLike => ArnLike,
            other => other,
        }
    }

    /// Whether policy variables are substituted in the operator's values.
    pub fn takes_variables(self) -> bool {
        matches!(self.family(), Family::String | Family::Arn)
    }
}

/// A full condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// The base operator.
    pub base: BaseOp,
    /// `...IfExists`: true when the key is missing.
    pub if_exists: bool,
    /// `ForAllValues:` / `ForAnyValue:`.
    pub set: SetOp,
}

impl Operator {
    /// Parses an operator name; names are matched case-insensitively, as IAM accepts them.
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = if let Some(r) = strip_prefix_ci(name, "ForAllValues:") {
            (SetOp::ForAllValues, r)
        } else if let Some(r) = strip_prefix_ci(name, "ForAnyValue:") {
            (SetOp::ForAnyValue, r)
        } else {
            (SetOp::None, name)
        };
        let (if_exists, base_name) = match strip_suffix_ci(rest, "IfExists") {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let base = BASE_OPS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(base_name))
            .map(|(_, op)| *op)?;
        if base == BaseOp::Null && (if_exists || set != SetOp::None) {
            return None;
        }
        Some(Operator {
            base,
            if_exists,
            set,
        })
    }

    /// The value family the operator reads (`String`, `Arn`, `Null`, ...).
    pub fn family(&self) -> Family {
        self.base.family()
    }

    /// Whether the base operator is negated (`StringNotEquals`, `NotIpAddress`, ...).
    pub fn is_negated(&self) -> bool {
        self.base.negated()
    }

    /// The set operator prefix (`ForAllValues:`, `ForAnyValue:`, or none).
    pub fn set_operator(&self) -> SetOp {
        self.set
    }

    /// Whether the operator ends in `IfExists` (true when the key is missing).
    pub fn is_if_exists(&self) -> bool {
        self.if_exists
    }

    /// Whether the operator is `Null` (a test of the key's presence, not of its value).
    pub fn is_null(&self) -> bool {
        self.base == BaseOp::Null
    }

    /// Whether a condition with this operator can hold only when the request carries the key with
    /// a value that fits: a positive operator without `IfExists` and without `ForAllValues:`
    /// (which holds when the key is missing), and not `Null`.
    pub fn requires_key(&self) -> bool {
        self.set != SetOp::ForAllValues && !self.if_exists && !self.is_null() && !self.is_negated()
    }

    /// The canonical name, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn canonical_name(&self) -> String {
        let prefix = match self.set {
            SetOp::None => "",
            SetOp::ForAllValues => "ForAllValues:",
            SetOp::ForAnyValue => "ForAnyValue:",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{prefix}{}{suffix}", self.base.name())
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    (tail.eq_ignore_ascii_case(suffix) && cut > 0).then(|| &s[..cut])
}

/// Reads a number as IAM does: decimal digits with an optional sign, fraction and exponent.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let ok = !t.is_empty()
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if !ok {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads `true` / `false` (case-insensitive).
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Reads an IP address or CIDR range (a single address is a /32 or /128).
pub fn parse_ip_net(s: &str) -> Option<IpNet> {
    if let Ok(net) = s.parse::<IpNet>() {
        return Some(net);
    }
    s.parse::<IpAddr>().ok().map(IpNet::from)
}

/// Reads a single IP address (a request value).
pub fn parse_ip_addr(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok()
}

/// Reads base64 (standard alphabet, padding optional).
pub fn parse_base64(s: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    use base64::Engine;
    STANDARD
        .decode(s)
        .or_else(|_| STANDARD_NO_PAD.decode(s))
        .ok()
}

/// Reads a date as IAM does: epoch seconds (an integer), or W3C ISO 8601
/// (`YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fraction]]` with `Z` or an offset `±hh[:mm]`).
/// Returns nanoseconds since the Unix epoch.
pub fn parse_date(s: &str) -> Option<i128> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = s.parse().ok()?;
        return Some(i128::from(secs) * 1_000_000_000);
    }
    parse_iso8601(s)
}

fn parse_iso8601(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    let mut p = Cursor { b, i: 0 };
    let year = p.digits(4, 4)?;
    p.expect(b'-')?;
    let month = p.digits(2, 2)?;
    p.expect(b'-')?;
    let day = p.digits(2, 2)?;
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?)
            .ok()?;
    let mut secs_of_day: i64 = 0;
    let mut nanos: i64 = 0;
    let mut offset_secs: i64 = 0;
    if p.i < b.len() {
        if !matches!(b[p.i], b'T' | b't') {
            return None;
        }
        p.i += 1;
        let h = p.digits(1, 2)?;
        p.expect(b':')?;
        let m = p.digits(2, 2)?;
        let mut sec = 0;
        if p.peek() == Some(b':') {
            p.i += 1;
            sec = p.digits(2, 2)?;
            if p.peek() == Some(b'.') {
                p.i += 1;
                let start = p.i;
                let frac = p.digits(1, 9)?;
                let len = p.i - start;
                nanos = i64::try_from(frac).ok()? * 10i64.pow(u32::try_from(9 - len).ok()?);
            }
        }
        if h > 24 || m > 59 || sec > 60 || (h == 24 && (m > 0 || sec > 0)) {
            return None;
        }
        secs_of_day = i64::try_from(h * 3600 + m * 60 + sec).ok()?;
        match p.peek() {
            None => {}
            Some(b'Z' | b'z') => p.i += 1,
            Some(sign @ (b'+' | b'-')) => {
                p.i += 1;
                let oh = p.digits(2, 2)?;
                let mut om = 0;
                if p.peek() == Some(b':') {
                    p.i += 1;
                    om = p.digits(2, 2)?;
                } else if p.peek().is_some_and(|c| c.is_ascii_digit()) {
                    om = p.digits(2, 2)?;
                }
                if oh > 23 || om > 59 {
                    return None;
                }
                let off = i64::try_from(oh * 3600 + om * 60).ok()?;
                offset_secs = if sign == b'+' { off } else { -off };
            }
            Some(_) => return None,
        }
        if p.i != b.len() {
            return None;
        }
    }
    let days = i64::from(
        date.to_julian_day()
            - time::Date::from_calendar_date(1970, time::Month::January, 1)
                .ok()?
                .to_julian_day(),
    );
    let secs = days * 86_400 + secs_of_day - offset_secs;
    Some(i128::from(secs) * 1_000_000_000 + i128::from(nanos))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }
    fn digits(&mut self, min: usize, max: usize) -> Option<u64> {
        let start = self.i;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        let n = self.i - start;
        if n < min {
            return None;
        }
        std::str::from_utf8(&self.b[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        let op = Operator::parse("ForAllValues:ARNEqualsIfExists").unwrap();
        assert_eq!(op.base, BaseOp::ArnEquals);
        assert!(op.if_exists);
        assert_eq!(op.set, SetOp::ForAllValues);
        assert_eq!(op.canonical_name(), "ForAllValues:ArnEqualsIfExists");
        assert!(Operator::parse("bad").is_none());
        assert!(Operator::parse("NullIfExists").is_none());
        let requires = |name: &str| Operator::parse(name).is_some_and(|o| o.requires_key());
        assert!(requires("StringEquals"));
        assert!(requires("ForAnyValue:StringLike"));
        assert!(!requires("ForAllValues:StringEquals"));
        assert!(!requires("StringEqualsIfExists"));
        assert!(!requires("StringNotEquals"));
        assert!(!requires("NotIpAddress"));
        assert!(!requires("Null"));
        let op = Operator::parse("ForAnyValue:ArnNotLikeIfExists").unwrap();
        assert!(op.is_negated() && op.is_if_exists());
        assert_eq!(op.set_operator(), SetOp::ForAnyValue);
        assert_eq!(op.family(), Family::Arn);
        assert!(Operator::parse("ForAnyValue::StringEquals").is_none());
        assert!(Operator::parse("IfExists").is_none());
        assert!(BaseOp::NotIpAddress.negated());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("0"), Some(0));
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_date("1970-01-01T00:00:01.5Z"), Some(1_500_000_000));
        assert!(parse_date("2016-12-13t2:00:00.593194+23").is_some());
        assert!(parse_date("2016-12-13t2:00:00.593194+1").is_none());
        assert!(parse_date("2016-12-13t2:00:00.1999999999+10:59").is_none());
        assert!(parse_date("9223372036854775808").is_none());
        assert!(parse_date("-292275054").is_some());
        assert!(parse_date("234-13").is_none());
        assert!(parse_date("2020-02-30").is_none());
        assert!(parse_date("sdfdsf").is_none());
    }

    #[test]
    fn numbers_and_others() {
        assert_eq!(parse_number("1.5"), Some(1.5));
        assert_eq!(parse_number("-2"), Some(-2.0));
        assert!(parse_number("inf").is_none());
        assert!(parse_number("NaN").is_none());
        assert!(parse_number("abc").is_none());
        assert!(parse_number("").is_none());
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert!(parse_ip_net("10.0.0.0/8").is_some());
        assert!(parse_ip_net("2001:db8::/32").is_some());
        assert!(parse_ip_net("203.0.113.7").is_some());
        assert!(parse_ip_net("300.1.1.1/8").is_none());
        assert_eq!(parse_base64("QUJD"), Some(b"ABC".to_vec()));
        assert!(parse_base64("***").is_none());
    }
}

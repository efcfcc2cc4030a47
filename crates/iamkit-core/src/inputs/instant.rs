//! Instants as the IAM inputs write them: RFC 3339 with `T` or a space, `Z` or an offset, optional
//! fraction. A time without a zone is refused rather than guessed.

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::policy::condition::parse_date;

/// One instant, kept as nanoseconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i128);

/// Nanoseconds in a day.
pub const DAY_NANOS: i128 = 86_400 * 1_000_000_000;

impl Instant {
    /// Parses `2026-11-20T08:00:00+00:00`, `2026-11-20 08:00:00+00:00`, `...Z`, with an optional
    /// fraction of a second.
    pub fn parse(text: &str) -> Option<Instant> {
        // the report's own shapes first (`fast` checks the date, the time and the zone itself),
        // before trimming: they start with a digit and end with a digit or `Z`
        if let Some(i) = fast(text.as_bytes()) {
            return Some(i);
        }
        let t = text.trim();
        let b = t.as_bytes();
        if let Some(i) = fast(b) {
            return Some(i);
        }
        // a date, a time and a zone: at least `YYYY-MM-DDTHH:MMZ`
        if b.len() < 17 || !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return None;
        }
        let zoned = matches!(b.last(), Some(b'Z' | b'z'))
            || b[11..].iter().any(|c| matches!(c, b'+' | b'-'));
        if !zoned {
            return None;
        }
        if b[10] == b' ' {
            let normalized = format!("{}T{}", &t[..10], &t[11..]);
            return parse_date(&normalized).map(Instant);
        }
        parse_date(t).map(Instant)
    }

    /// Now.
    pub fn now() -> Instant {
        Instant(OffsetDateTime::now_utc().unix_timestamp_nanos())
    }

    /// RFC 3339 in UTC (`2026-11-20T08:00:00Z`).
    pub fn to_rfc3339(self) -> String {
        OffsetDateTime::from_unix_timestamp_nanos(self.0)
            .ok()
            .and_then(|d| d.format(&Rfc3339).ok())
            .unwrap_or_else(|| self.0.to_string())
    }

    /// Days from `self` to `later`, as a fraction (negative when `later` is earlier).
    pub fn days_until(self, later: Instant) -> f64 {
        (later.0 - self.0) as f64 / DAY_NANOS as f64
    }
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number of two ASCII digits (checked by the caller).
#[inline(always)]
fn num2(hi: u8, lo: u8) -> i64 {
    i64::from(hi.wrapping_sub(b'0')) * 10 + i64::from(lo.wrapping_sub(b'0'))
}

/// The exact shapes the credential report writes, `YYYY-MM-DDTHH:MM:SS+HH:MM` and
/// `YYYY-MM-DDTHH:MM:SSZ`, read without allocation; anything else goes the general way.
fn fast(b: &[u8]) -> Option<Instant> {
    // the date and the time: fixed positions in a fixed-size array (no bounds to check)
    let dt: &[u8; 19] = b.get(..19)?.try_into().ok()?;
    let offset = match b.len() {
        20 if matches!(b[19], b'Z' | b'z') => 0,
        25 => {
            let z: &[u8; 6] = b.get(19..)?.try_into().ok()?;
            let sign = match z[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits = z[1].is_ascii_digit()
                & z[2].is_ascii_digit()
                & z[4].is_ascii_digit()
                & z[5].is_ascii_digit();
            if z[3] != b':' || !digits {
                return None;
            }
            let (oh, om) = (num2(z[1], z[2]), num2(z[4], z[5]));
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    // every position tested, without stopping early: the loop unrolls into plain tests
    let mut digits = true;
    for i in DIGITS {
        digits &= dt[i].is_ascii_digit();
    }
    if dt[4] != b'-'
        || dt[7] != b'-'
        || !matches!(dt[10], b'T' | b't' | b' ')
        || dt[13] != b':'
        || dt[16] != b':'
        || !digits
    {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (
        num2(dt[0], dt[1]) * 100 + num2(dt[2], dt[3]),
        num2(dt[5], dt[6]),
        num2(dt[8], dt[9]),
        num2(dt[11], dt[12]),
        num2(dt[14], dt[15]),
        num2(dt[17], dt[18]),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > month_days || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset;
    Some(Instant(i128::from(secs) * 1_000_000_000))
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Instant {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An instant, written in RFC 3339 (UTC, with nanoseconds when there are any).",
            "type": "string",
            "format": "date-time"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Instant;

    #[test]
    fn forms() {
        let a = Instant::parse("2026-11-20T08:00:00+00:00").unwrap();
        assert_eq!(Instant::parse("2026-11-20 08:00:00+00:00"), Some(a));
        assert_eq!(Instant::parse("2026-11-20T08:00:00Z"), Some(a));
        assert_eq!(Instant::parse("2026-11-20T09:00:00+01:00"), Some(a));
        assert!(Instant::parse("2026-11-20T08:00:00.577736+00:00").is_some());
        assert_eq!(Instant::parse("2026-11-20T08:00:00"), None, "no zone");
        assert_eq!(Instant::parse("N/A"), None);
        assert_eq!(Instant::parse("2026-11-2é 08:00:00Z"), None);
        assert_eq!(a.to_rfc3339(), "2026-11-20T08:00:00Z");
        // the fast path agrees with the general one
        for t in [
            "2016-02-29T23:59:59+00:00",
            "2000-03-01T00:00:00-05:30",
            "1999-12-31T23:59:60Z",
            "2026-01-01T00:00:00+14:00",
        ] {
            let general = crate::policy::condition::parse_date(t).map(Instant);
            assert_eq!(Instant::parse(t), general, "{t}");
        }
        assert_eq!(Instant::parse("2026-02-30T00:00:00+00:00"), None);
        assert_eq!(Instant::parse("2026-13-01T00:00:00Z"), None);
    }
}

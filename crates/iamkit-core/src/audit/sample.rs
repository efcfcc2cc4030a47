//! A generated credential report, for tests and benchmarks: `users` IAM users (plus the root
//! user) with varied ages, passwords, MFA, keys used and unused, active and inactive, and the
//! odd signing certificate, so that every credential-report check has findings of each status.
//! Deterministic: the same `users` gives the same text.

use std::fmt::Write;

/// The instant the generated report is meant to be audited at.
pub const SAMPLE_AS_OF: &str = "2026-11-20T08:00:00Z";

/// The report's header line.
const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The time `seconds_ago` before [`SAMPLE_AS_OF`], as the report writes it.
fn stamp(out: &mut String, seconds_ago: u64) {
    // SAMPLE_AS_OF is 2026-11-20T08:00:00Z, 20,777 days after the epoch, plus 8 hours
    let t = 20_777 * 86_400 + 8 * 3_600 - seconds_ago as i64;
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    );
}

/// A CSV credential report of `users` users and the root user.
pub fn sample_credential_report(users: usize) -> String {
    const DAY: u64 = 86_400;
    const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];
    const SERVICES: [&str; 6] = ["s3", "ec2", "sts", "iam", "lambda", "dynamodb"];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut s = String::with_capacity(300 * (users + 2));
    s.push_str(HEADER);
    s.push('\n');
    s.push_str(
        "<root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,",
    );
    stamp(&mut s, 30 * DAY);
    s.push_str(",not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
    for i in 0..users {
        let created = (10 + rng.below(2_000)) * DAY + rng.below(DAY);
        let _ = write!(
            s,
            "user{i:06},arn:aws:iam::111122223333:user/team{}/user{i:06},",
            i % 97
        );
        stamp(&mut s, created);
        if rng.chance(60) {
            s.push_str(",true,");
            match rng.below(10) {
                0 => s.push_str("no_information"),
                1 => s.push_str("N/A"),
                _ => stamp(&mut s, rng.below(created)),
            }
            s.push(',');
            stamp(&mut s, rng.below(created));
            s.push_str(",N/A,");
            s.push_str(if rng.chance(50) { "true" } else { "false" });
        } else {
            s.push_str(",false,N/A,N/A,N/A,false");
        }
        for _ in 0..2 {
            if rng.chance(35) {
                s.push_str(",false,N/A,N/A,N/A,N/A");
                continue;
            }
            s.push_str(if rng.chance(80) { ",true," } else { ",false," });
            let rotated = rng.below(created);
            stamp(&mut s, rotated);
            s.push(',');
            if rng.chance(70) {
                stamp(&mut s, rng.below(rotated + 1));
                let region = REGIONS[rng.below(4) as usize];
                let service = SERVICES[rng.below(6) as usize];
                let _ = write!(s, ",{region},{service}");
            } else {
                s.push_str("N/A,N/A,N/A");
            }
        }
        if rng.chance(3) {
            s.push_str(",true,");
            stamp(&mut s, rng.below(created));
        } else {
            s.push_str(",false,N/A");
        }
        s.push_str(",false,N/A\n");
    }
    s
}

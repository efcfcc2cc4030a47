//! Pattern-set algebra on wildcard patterns: whether every string one pattern matches is matched
//! by another ([`covers`]), and whether some string matches both ([`intersects`]). Actions
//! compare ASCII case-insensitively, resources case-sensitively. Used to reason about policies
//! without enumerating actions or resources (effective permissions, the linter, the audit).

/// Patterns longer than this (AWS caps ARNs at 2048 characters) are not compared exactly: they
/// count as overlapping and never as covering, which only ever reports less as removed.
const MAX_PATTERN: usize = 2048;

fn chars(s: &str, fold: bool) -> Vec<char> {
    if fold {
        s.to_ascii_lowercase().chars().collect()
    } else {
        s.chars().collect()
    }
}

/// Whether `general` matches every string `specific` matches (a sufficient test: `specific`'s
/// wildcards must be absorbed by `general`'s `*`). `fold`: compare ASCII case-insensitively (for
/// actions; resources are case-sensitive). Two rows of memory.
fn covers_with(general: &str, specific: &str, fold: bool) -> bool {
    if general.len() > MAX_PATTERN || specific.len() > MAX_PATTERN {
        return false;
    }
    let g = chars(general, fold);
    let s = chars(specific, fold);
    let m = s.len();
    // next[j]: g[i+1..] covers s[j..]; cur[j]: g[i..] covers s[j..]
    let mut next = vec![false; m + 1];
    next[m] = true;
    for i in (0..g.len()).rev() {
        let mut cur = vec![false; m + 1];
        for j in (0..=m).rev() {
            cur[j] = match g[i] {
                '*' => next[j] || (j < m && cur[j + 1]),
                '?' => j < m && s[j] != '*' && next[j + 1],
                c => j < m && s[j] == c && next[j + 1],
            };
        }
        next = cur;
    }
    next[0]
}

/// Whether some string matches both patterns. `fold` as in [`covers_with`].
fn intersects_with(a: &str, b: &str, fold: bool) -> bool {
    if a.len() > MAX_PATTERN || b.len() > MAX_PATTERN {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // bytes are characters here; borrowed as they are unless case must be folded
        if fold {
            let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
            overlap(a.as_bytes(), b.as_bytes(), b'*', b'?')
        } else {
            overlap(a.as_bytes(), b.as_bytes(), b'*', b'?')
        }
    } else {
        overlap(&chars(a, fold), &chars(b, fold), '*', '?')
    }
}

/// Whether some string matches both patterns, given as characters (`star` and `any` are the
/// wildcards).
///
/// The start of the string must fit both patterns' text before their first `*`, and its end
/// their text after their last `*`; [`literal_ends_differ`] checks that. When both patterns have
/// a `*` that is also enough: such a string is the longer start, then the inner pieces of one
/// pattern, then those of the other, then the longer end, each `*` taking up what lies between
/// its neighbours. When neither has a `*` the check compared every position. When only one has a
/// `*`, the other stands for strings of one length and is matched against it.
fn overlap<T: Copy + Eq>(a: &[T], b: &[T], star: T, any: T) -> bool {
    if literal_ends_differ(a, b, star, any) {
        return false;
    }
    match (a.contains(&star), b.contains(&star)) {
        (true, false) => glob_fits(a, b, star, any),
        (false, true) => glob_fits(b, a, star, any),
        _ => true,
    }
}

/// Whether `pattern` matches some string that `text` (no `*`; its `any` stands for one
/// character of any kind) matches: the usual wildcard match, a character fitting a `?` on
/// either side. Greedy, going back to the last `*` on a mismatch.
fn glob_fits<T: Copy + Eq>(pattern: &[T], text: &[T], star: T, any: T) -> bool {
    let fits = |p: T, t: T| p == any || t == any || p == t;
    let (mut p, mut t) = (0, 0);
    let mut back: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == star {
            back = Some((p, t));
            p += 1;
        } else if p < pattern.len() && fits(pattern[p], text[t]) {
            p += 1;
            t += 1;
        } else if let Some((bp, bt)) = back {
            // the last `*` takes one more character
            p = bp + 1;
            t = bt + 1;
            back = Some((bp, bt + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == star)
}

/// Whether two patterns already disagree before their first `*` or after their last one: a
/// literal character in each, at the same distance from the start (or the end), that differ. No
/// string matches both then.
fn literal_ends_differ<T: Copy + Eq>(a: &[T], b: &[T], star: T, any: T) -> bool {
    let clash = |x: T, y: T| x != any && y != any && x != y;
    for (x, y) in a.iter().zip(b) {
        if *x == star || *y == star {
            break;
        }
        if clash(*x, *y) {
            return true;
        }
    }
    if !a.contains(&star) && !b.contains(&star) {
        // no star: the lengths must agree too (the walk above compared every position)
        return a.len() != b.len();
    }
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if *x == star || *y == star {
            break;
        }
        if clash(*x, *y) {
            return true;
        }
    }
    false
}

/// [`covers_with`] for actions (case-insensitive).
pub(crate) fn covers(general: &str, specific: &str) -> bool {
    covers_with(general, specific, true)
}

/// [`intersects_with`] for actions (case-insensitive).
pub(crate) fn intersects(a: &str, b: &str) -> bool {
    intersects_with(a, b, true)
}

/// [`covers_with`] for resources (case-sensitive).
pub(crate) fn covers_resource(general: &str, specific: &str) -> bool {
    covers_with(general, specific, false)
}

/// [`intersects_with`] for resources (case-sensitive).
pub(crate) fn intersects_resource(a: &str, b: &str) -> bool {
    intersects_with(a, b, false)
}

#[cfg(test)]
mod tests {
    use super::{covers, intersects};

    #[test]
    fn pattern_algebra() {
        assert!(covers("*", "s3:GetObject"));
        assert!(covers("s3:*", "s3:Get*"));
        assert!(covers("s3:Get*", "s3:GetObject"));
        assert!(!covers("s3:Get*", "s3:*"));
        assert!(covers("S3:get*", "s3:GetObject"));
        assert!(!covers("s3:?et*", "s3:*"));
        assert!(intersects("s3:Get*", "s3:*Object"));
        assert!(intersects("*", "iam:PassRole"));
        assert!(!intersects("s3:Get*", "s3:Put*"));
        assert!(!intersects("ec2:*", "s3:*"));
        assert!(intersects("s3:?etObject", "s3:G*"));
        // resources are case-sensitive, actions are not
        assert!(!super::covers_resource(
            "arn:aws:s3:::Secret/*",
            "arn:aws:s3:::secret/*"
        ));
        assert!(covers("S3:*", "s3:getobject"));
        // very long patterns are never said to cover, always said to overlap
        let long = "a".repeat(5000);
        assert!(!covers("*", &long));
        assert!(intersects(&long, "b"));
    }

    /// Whether some string over `alphabet` of length at most `max` matches both patterns (brute
    /// force, to check the quick test and the table against).
    fn brute(a: &str, b: &str, alphabet: &[char], max: usize) -> bool {
        let glob = |p: &str, s: &str| {
            crate::wildcard::Glob::wildcard(p).matches(s, false, &crate::wildcard::NoVars)
        };
        let mut words = vec![String::new()];
        for _ in 0..max {
            let next: Vec<String> = words
                .iter()
                .filter(|w| w.len() == words.last().map_or(0, String::len))
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(next);
        }
        words.iter().any(|w| glob(a, w) && glob(b, w))
    }

    #[test]
    fn overlap_agrees_with_brute_force() {
        // every pattern of up to 3 characters over a, b, * and ?; a witness, when there is one,
        // is at most 6 characters long
        let mut patterns = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = patterns
                .iter()
                .filter(|p| p.len() == patterns.last().map_or(0, String::len))
                .flat_map(|p| ["a", "b", "*", "?"].map(|c| format!("{p}{c}")))
                .collect();
            patterns.extend(longer);
        }
        patterns.extend(["a*b*a", "*ab?", "?*?", "ab*ba", "a?*?b"].map(String::from));
        for a in &patterns {
            for b in &patterns {
                assert_eq!(
                    super::intersects_resource(a, b),
                    brute(a, b, &['a', 'b'], 6),
                    "{a:?} and {b:?}"
                );
            }
        }
    }
}

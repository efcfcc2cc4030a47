//! Wildcard patterns (`*` any run of characters, `?` exactly one) with optional policy variables
//! (`${aws:username}`, `${aws:username, 'default'}`, escapes `${*}` `${?}` `${$}`).
//!
//! Matching never backtracks: the pattern is cut at each `*` into segments, the first must match
//! at the start, the last at the end, and each middle segment is found at its leftmost place (which
//! is always right, since a segment has a fixed length once its variables are resolved). Texts of
//! up to [`SMALL_TEXT`] bytes are matched in place (each segment tried at each place: at most
//! `SMALL_TEXT` times the pattern's length); longer ones by [`search`], in O(n + m) (O(n log m)
//! for segments of more than 64 characters holding a `?`), whatever the pattern.

mod algebra;
mod fft;
mod fold;
mod language;
mod search;
mod shift_and;
mod steps;
mod variables;

pub(crate) use algebra::{covers, covers_resource, intersects, intersects_resource};
pub use fold::Case;
pub(crate) use language::{explore, Explored, Language};

/// Texts up to this many bytes are matched without allocating (quadratic only in this bound).
const SMALL_TEXT: usize = 256;

/// Looks up the value of a policy variable (a condition key, lowercased).
pub trait VarResolver {
    /// The single value of `key` (lowercase), or `None` when the key is missing or multivalued.
    fn resolve(&self, key: &str) -> Option<&str>;
}

/// A resolver that knows no variables.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVars;

impl VarResolver for NoVars {
    fn resolve(&self, _key: &str) -> Option<&str> {
        None
    }
}

/// A policy variable reference inside a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    /// The key, lowercased (`aws:username`).
    pub key: Box<str>,
    /// The key as written, for serialization and messages.
    pub written: Box<str>,
    /// The default used when the key has no value.
    pub default: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(Box<str>),
    One,
    Var(VarRef),
}

/// Whether `s` holds `${` (the start of a policy variable): a search for `$` (memchr), which
/// most texts do not hold at all.
pub(crate) fn holds_variable(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'$', b).any(|i| b.get(i + 1) == Some(&b'{'))
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    /// Segments between stars.
    segs: Box<[Box<[Tok]>]>,
    /// Whether the pattern starts with `*` (the first segment may float).
    star_start: bool,
    /// Whether the pattern ends with `*`.
    star_end: bool,
    /// Whether the pattern contains any `*`.
    has_star: bool,
    /// Whether the pattern contains a variable.
    has_var: bool,
}

/// A problem found while reading `${...}` in a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarIssue {
    /// Byte offset in the pattern.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// How a pattern is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Syntax {
    /// `*` and `?` are wildcards (else literal).
    pub wildcards: bool,
    /// `${...}` is a policy variable (else literal).
    pub variables: bool,
}

impl Glob {
    /// Compiles `pattern`, returning the glob and any malformed-variable issues (a malformed
    /// `${` is kept as literal text).
    pub fn compile(pattern: &str, syntax: Syntax) -> (Glob, Vec<VarIssue>) {
        let mut issues = Vec::new();
        let mut segs: Vec<Box<[Tok]>> = Vec::new();
        let mut cur: Vec<Tok> = Vec::new();
        let mut lit = String::new();
        let mut has_star = false;
        let mut has_var = false;
        let mut star_start = false;
        let mut star_end = false;
        let bytes = pattern.as_bytes();
        let mut i = 0;
        // `lit` and `cur` are reused: each literal and segment is copied out at its exact size
        // (one allocation, no shrinking reallocation)
        let flush = |lit: &mut String, cur: &mut Vec<Tok>| {
            if !lit.is_empty() {
                cur.push(Tok::Lit(Box::from(lit.as_str())));
                lit.clear();
            }
        };
        let close = |cur: &mut Vec<Tok>| -> Box<[Tok]> { cur.drain(..).collect() };
        while i < pattern.len() {
            // a run of ordinary characters is copied at once (found by memchr), not char by char
            if !matches!(bytes[i], b'*' | b'?' | b'$') {
                let stop =
                    memchr::memchr3(b'*', b'?', b'$', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                lit.push_str(&pattern[i..stop]);
                i = stop;
                continue;
            }
            let rest = &pattern[i..];
            let c = char::from(bytes[i]); // `*`, `?` or `$`
            if syntax.variables && rest.starts_with("${") {
                match parse_var(&rest[2..]) {
                    Some((inner_len, parsed)) => {
                        match parsed {
                            ParsedVar::Escape(ch) => lit.push(ch),
                            ParsedVar::Var(v) => {
                                flush(&mut lit, &mut cur);
                                cur.push(Tok::Var(v));
                                has_var = true;
                            }
                        }
                        i += 2 + inner_len + 1;
                        continue;
                    }
                    None => {
                        issues.push(VarIssue {
                            offset: i,
                            message: "malformed policy variable (kept as literal text)".into(),
                        });
                        lit.push_str("${");
                        i += 2;
                        continue;
                    }
                }
            }
            if syntax.wildcards && c == '*' {
                flush(&mut lit, &mut cur);
                if i == 0 {
                    star_start = true;
                }
                if i + 1 == pattern.len() {
                    star_end = true;
                }
                // consecutive stars are one star
                if !(has_star && cur.is_empty() && i > 0 && bytes[i - 1] == b'*') {
                    segs.push(close(&mut cur));
                }
                has_star = true;
                i += 1;
                continue;
            }
            if syntax.wildcards && c == '?' {
                flush(&mut lit, &mut cur);
                cur.push(Tok::One);
                i += 1;
                continue;
            }
            lit.push(c);
            i += c.len_utf8();
        }
        flush(&mut lit, &mut cur);
        segs.push(close(&mut cur));
        (
            Glob {
                segs: segs.into_boxed_slice(),
                star_start,
                star_end,
                has_star,
                has_var,
            },
            issues,
        )
    }

    /// Compiles a plain wildcard pattern without variables.
    pub fn wildcard(pattern: &str) -> Glob {
        Glob::compile(
            pattern,
            Syntax {
                wildcards: true,
                variables: false,
            },
        )
        .0
    }

    /// Whether the pattern holds a policy variable.
    pub fn has_variables(&self) -> bool {
        self.has_var
    }

    /// Whether the pattern is exactly `*` (matches everything).
    pub fn is_match_all(&self) -> bool {
        self.has_star && self.segs.iter().all(|s| s.is_empty())
    }

    /// Matches `text`; `ignore_case` folds ASCII letters only (as IAM compares action names:
    /// the Kelvin sign `K` does not match `k`); variables are looked up in `vars`.
    pub fn matches(&self, text: &str, ignore_case: bool, vars: &dyn VarResolver) -> bool {
        self.matches_case(text, Case::ascii_if(ignore_case), vars)
    }

    /// Matches `text`, comparing letters as `case` says; variables are looked up in `vars` (a
    /// variable with neither a value nor a default matches nothing).
    pub fn matches_case(&self, text: &str, case: Case, vars: &dyn VarResolver) -> bool {
        if text.len() <= SMALL_TEXT {
            self.matches_in_place(text, case, vars)
        } else {
            self.matches_linear(text, case, vars)
        }
    }

    /// [`Glob::matches_case`] by [`search`]: segments and text turned into keys, then each
    /// segment found by a linear search.
    fn matches_linear(&self, text: &str, case: Case, vars: &dyn VarResolver) -> bool {
        let key = |c: char| u32::from(case.key(c));
        let mut segs = Vec::with_capacity(self.segs.len());
        for seg in self.segs.iter() {
            let mut out = Vec::new();
            for t in seg.iter() {
                match t {
                    Tok::Lit(s) => out.extend(s.chars().map(key)),
                    Tok::One => out.push(search::ANY),
                    Tok::Var(v) => match resolve(v, vars) {
                        Some(s) => out.extend(s.chars().map(key)),
                        None => return false,
                    },
                }
            }
            steps::add(out.len() + 1);
            segs.push(out);
        }
        let text = search::Text::new(text.chars().map(key).collect());
        search::matches(&segs, self.has_star, &text)
    }

    /// [`Glob::matches_case`] without allocating: each middle segment tried at every place.
    fn matches_in_place(&self, text: &str, case: Case, vars: &dyn VarResolver) -> bool {
        let segs = &self.segs;
        if !self.has_star {
            return match seg_match_at(&segs[0], text, 0, case, vars) {
                Some(end) => end == text.len(),
                None => false,
            };
        }
        let first = &segs[0];
        let last = &segs[segs.len() - 1];
        // prefix
        let mut pos = if self.star_start || first.is_empty() {
            0
        } else {
            match seg_match_at(first, text, 0, case, vars) {
                Some(end) => end,
                None => return false,
            }
        };
        // suffix
        let mut limit = text.len();
        if !self.star_end && !last.is_empty() {
            let Some(len) = seg_char_len(last, vars) else {
                return false;
            };
            let Some(start) = nth_char_from_end(text, len) else {
                return false;
            };
            if start < pos {
                return false;
            }
            match seg_match_at(last, text, start, case, vars) {
                Some(end) if end == text.len() => limit = start,
                _ => return false,
            }
        }
        // middle segments: leftmost match inside [pos, limit)
        let middle = &segs[1..segs.len() - 1];
        for seg in middle {
            if seg.is_empty() {
                continue;
            }
            let mut found = None;
            let mut start = pos;
            while start <= limit {
                if let Some(end) = seg_match_at(seg, &text[..limit], start, case, vars) {
                    found = Some(end);
                    break;
                }
                match text[start..].chars().next() {
                    Some(c) => start += c.len_utf8(),
                    None => break,
                }
            }
            match found {
                Some(end) => pos = end,
                None => return false,
            }
        }
        pos <= limit
    }
}

fn nth_char_from_end(text: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(text.len());
    }
    text.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}

fn seg_char_len(seg: &[Tok], vars: &dyn VarResolver) -> Option<usize> {
    let mut n = 0;
    for t in seg {
        n += match t {
            Tok::Lit(s) => s.chars().count(),
            Tok::One => 1,
            Tok::Var(v) => resolve(v, vars)?.chars().count(),
        };
    }
    Some(n)
}

fn resolve<'a>(v: &'a VarRef, vars: &'a dyn VarResolver) -> Option<&'a str> {
    vars.resolve(&v.key).or(v.default.as_deref())
}

/// Matches one segment starting at byte `pos`; returns the end offset.
fn seg_match_at(
    seg: &[Tok],
    text: &str,
    mut pos: usize,
    case: Case,
    vars: &dyn VarResolver,
) -> Option<usize> {
    for t in seg {
        match t {
            Tok::Lit(s) => pos = lit_at(text, pos, s, case)?,
            Tok::Var(v) => pos = lit_at(text, pos, resolve(v, vars)?, case)?,
            Tok::One => {
                steps::add(1);
                let c = text.get(pos..)?.chars().next()?;
                pos += c.len_utf8();
            }
        }
    }
    Some(pos)
}

fn lit_at(text: &str, pos: usize, lit: &str, case: Case) -> Option<usize> {
    let rest = text.get(pos..)?;
    steps::add(lit.len());
    if case == Case::Sensitive {
        return rest.starts_with(lit).then_some(pos + lit.len());
    }
    // an ASCII literal matches ASCII text only, unless Unicode folds (`k` = `K`)
    if case == Case::Ascii && lit.is_ascii() {
        let cand = rest.as_bytes().get(..lit.len())?;
        return cand
            .eq_ignore_ascii_case(lit.as_bytes())
            .then_some(pos + lit.len());
    }
    let mut it = rest.char_indices();
    let mut consumed = 0;
    for lc in lit.chars() {
        let (i, tc) = it.next()?;
        if case.key(lc) != case.key(tc) {
            return None;
        }
        consumed = i + tc.len_utf8();
    }
    Some(pos + consumed)
}

/// Case-insensitive comparison of two characters (Unicode simple lowercase).
pub fn chars_eq_ignore_case(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Case-insensitive string equality without allocating.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    let mut ai = a.chars();
    let mut bi = b.chars();
    loop {
        match (ai.next(), bi.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if chars_eq_ignore_case(x, y) => {}
            _ => return false,
        }
    }
}

enum ParsedVar {
    Escape(char),
    Var(VarRef),
}

/// Parses the inside of `${...}` (the text after `${`); returns its length up to the `}`.
fn parse_var(after: &str) -> Option<(usize, ParsedVar)> {
    let close = find_var_end(after)?;
    let inner = &after[..close];
    let parsed = match inner {
        "*" => ParsedVar::Escape('*'),
        "?" => ParsedVar::Escape('?'),
        "$" => ParsedVar::Escape('$'),
        _ => {
            let (key, default) = match inner.find(',') {
                Some(comma) => {
                    let d = inner[comma + 1..].trim();
                    let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
                    (inner[..comma].trim(), Some(d.into()))
                }
                None => (inner.trim(), None),
            };
            if key.is_empty()
                || !key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":/-_.@+=".contains(c))
            {
                return None;
            }
            ParsedVar::Var(VarRef {
                key: key.to_ascii_lowercase().into(),
                written: key.into(),
                default,
            })
        }
    };
    Some((close, parsed))
}

/// The offset of the `}` closing a variable, honouring quotes in a default value.
fn find_var_end(after: &str) -> Option<usize> {
    let mut in_quote = false;
    for (i, c) in after.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            '}' if !in_quote => return Some(i),
            '$' if !in_quote && after[i..].starts_with("${") => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod linear_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, &'static str>);
    impl VarResolver for Map {
        fn resolve(&self, key: &str) -> Option<&str> {
            self.0.get(key).copied()
        }
    }

    fn m(p: &str, t: &str) -> bool {
        Glob::wildcard(p).matches(t, false, &NoVars)
    }

    #[test]
    fn basics() {
        assert!(m("*", ""));
        assert!(m("*", "abc"));
        assert!(m("a*", "abc"));
        assert!(m("*c", "abc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "ab"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a**c", "abbc"));
        assert!(m("*b*", "abc"));
        assert!(!m("*x*", "abc"));
        assert!(m("a*b*c", "aXbYc"));
        assert!(!m("aa*aa", "aaa"));
        assert!(m("aa*aa", "aaaa"));
        assert!(m("?", "é"));
        assert!(m("abc", "abc"));
        assert!(!m("abc", "abcd"));
        assert!(m("*a*a*a", "aaa"));
        assert!(!m("*a*a*a*a", "aaa"));
    }

    #[test]
    fn case_folding() {
        assert!(Glob::wildcard("S3:Get*").matches("s3:getobject", true, &NoVars));
        assert!(!Glob::wildcard("S3:Get*").matches("s3:getobject", false, &NoVars));
        assert!(eq_ignore_case("ÄBC", "äbc"));
    }

    #[test]
    fn variables() {
        let syn = Syntax {
            wildcards: true,
            variables: true,
        };
        let vars = Map([("aws:username", "alice")].into_iter().collect());
        let (g, issues) = Glob::compile("home/${aws:username}/*", syn);
        assert!(issues.is_empty());
        assert!(g.matches("home/alice/x", false, &vars));
        assert!(!g.matches("home/bob/x", false, &vars));
        assert!(!g.matches("home/alice/x", false, &NoVars));
        let (g, _) = Glob::compile("${aws:username, 'guest'}", syn);
        assert!(g.matches("guest", false, &NoVars));
        let (g, _) = Glob::compile("a${*}b${?}${$}", syn);
        assert!(g.matches("a*b?$", false, &NoVars));
        assert!(!g.matches("aXbY$", false, &NoVars));
        let (g, issues) = Glob::compile("x${aws:username", syn);
        assert_eq!(issues.len(), 1);
        assert!(g.matches("x${aws:username", false, &NoVars));
        // a variable's value is literal, never a wildcard
        let star = Map([("k", "*")].into_iter().collect());
        let (g, _) = Glob::compile("${k}", syn);
        assert!(!g.matches("anything", false, &star));
        assert!(g.matches("*", false, &star));
    }
}

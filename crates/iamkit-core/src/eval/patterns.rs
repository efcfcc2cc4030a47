//! Action, resource and condition patterns compiled for matching, with fast paths for the shapes
//! policies mostly hold: `*`, an exact text (`s3:GetObject`, a segment `s3` of an ARN, a condition
//! value), and a prefix (`s3:Get*`, `bucket/*`). Each is kept as one boxed text and matched with one
//! comparison; any other pattern is a [`Glob`], compiled and matched as before. The fast paths
//! match exactly what the glob of the same pattern matches.

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::arn::split_pattern;
use crate::wildcard::{Case, Glob, Language, Syntax, VarResolver};

/// A pattern matched against one whole text: an action, a segment of an ARN, a condition value.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    /// `*`: any text.
    Any,
    /// No wildcard and no variable: the text itself.
    Exact(Box<str>),
    /// A text then one `*`: any text that starts with it.
    Prefix(Box<str>),
    /// Anything else.
    Glob(Glob),
}

impl Piece {
    /// Compiles `p` read with `syntax`, to be matched case-insensitively when `ignore_case`
    /// (the fast paths then fold ASCII only, so a text with other letters takes the glob).
    pub(crate) fn compile(p: &str, syntax: Syntax, ignore_case: bool) -> Piece {
        // whether `s` holds nothing the syntax reads as a wildcard or a variable (and, folded,
        // only ASCII)
        let plain = |s: &str| {
            let b = s.as_bytes();
            !b.iter().enumerate().any(|(i, &c)| {
                (syntax.wildcards && matches!(c, b'*' | b'?'))
                    || (syntax.variables && c == b'$' && b.get(i + 1) == Some(&b'{'))
                    || (ignore_case && !c.is_ascii())
            })
        };
        if syntax.wildcards && p == "*" {
            return Piece::Any;
        }
        if plain(p) {
            return Piece::Exact(p.into());
        }
        if syntax.wildcards {
            if let Some(head) = p.strip_suffix('*').filter(|h| !h.is_empty() && plain(h)) {
                return Piece::Prefix(head.into());
            }
        }
        Piece::Glob(Glob::compile(p, syntax).0)
    }

    /// Whether `text` matches a condition value; `ignore_case` (as compiled) folds Unicode
    /// letters, as `StringEqualsIgnoreCase` does; `vars` for a glob's variables.
    pub(crate) fn matches(&self, text: &str, ignore_case: bool, vars: &dyn VarResolver) -> bool {
        let case = if ignore_case {
            Case::Unicode
        } else {
            Case::Sensitive
        };
        self.matches_case(text, case, vars)
    }

    /// Whether `text` matches, comparing letters as `case` says (not `Sensitive` only when
    /// compiled with `ignore_case`).
    pub(crate) fn matches_case(&self, text: &str, case: Case, vars: &dyn VarResolver) -> bool {
        match self {
            Piece::Any => true,
            Piece::Exact(s) => case.eq(text, s),
            Piece::Prefix(s) => case.starts_with(text, s),
            Piece::Glob(g) => g.matches_case(text, case, vars),
        }
    }

    /// Appends the texts the piece matches to `lang` (variables from `vars`; `colon`: whether
    /// its wildcards take colons).
    fn extend(&self, lang: &mut Language, vars: &dyn VarResolver, colon: bool) {
        match self {
            Piece::Any => lang.star(colon),
            Piece::Exact(s) => lang.lit(s),
            Piece::Prefix(s) => {
                lang.lit(s);
                lang.star(colon);
            }
            Piece::Glob(g) => lang.glob(g, vars, colon),
        }
    }
}

/// An action pattern (`s3:GetObject`, `s3:Get*`, `*`), matched ASCII case-insensitively (the
/// Kelvin sign `K` does not match `k`).
#[derive(Debug, Clone)]
pub(crate) struct ActionPattern(Piece);

impl ActionPattern {
    const SYNTAX: Syntax = Syntax {
        wildcards: true,
        variables: false,
    };

    /// Compiles an action pattern.
    pub(crate) fn compile(p: &str) -> ActionPattern {
        ActionPattern(Piece::compile(p, Self::SYNTAX, true))
    }

    /// [`ActionPattern::compile`], shared: a text compiled before on this thread is not compiled
    /// again.
    pub(crate) fn shared(p: &str) -> Arc<ActionPattern> {
        thread_local! {
            static SHARED: Interner<ActionPattern> = Interner::default();
        }
        SHARED.with(|s| s.get(p, ActionPattern::compile))
    }

    /// Whether `action` matches.
    pub(crate) fn matches(&self, action: &str) -> bool {
        self.0
            .matches_case(action, Case::Ascii, &crate::wildcard::NoVars)
    }
}

/// A resource pattern: `*`, an ARN matched segment by segment, or another text matched whole
/// (the rules of [`crate::arn::ArnPattern`]).
#[derive(Debug, Clone)]
pub(crate) enum ResourcePattern {
    /// `*`: every resource.
    Any,
    /// A full ARN whose first five segments are plain text (`arn:aws:s3:::bucket/*`): the
    /// resource must start with them, colons included, and its rest match the last piece. The
    /// same answer as [`ResourcePattern::Segments`] (plain segments hold no colon) in two
    /// comparisons instead of six.
    Headed {
        /// The first five segments, each followed by its colon.
        head: Box<str>,
        /// The sixth segment.
        last: Piece,
    },
    /// Per-segment pieces (up to six).
    Segments {
        /// One piece per segment.
        segs: Box<[Piece]>,
        /// Whether the last segment ends in `*` and may run past colons.
        open_end: bool,
    },
    /// A pattern that is not an ARN: matched as one glob.
    Whole(Piece),
}

impl ResourcePattern {
    /// Compiles a resource pattern; `variables` when policy variables are substituted.
    pub(crate) fn compile(p: &str, variables: bool) -> ResourcePattern {
        let syntax = Syntax {
            wildcards: true,
            variables,
        };
        if p == "*" {
            return ResourcePattern::Any;
        }
        let parts = split_pattern(p);
        if parts.first() != Some(&"arn") {
            return ResourcePattern::Whole(Piece::compile(p, syntax, false));
        }
        let mut segs: Vec<Piece> = parts
            .iter()
            .map(|part| Piece::compile(part, syntax, false))
            .collect();
        // a plain segment may still hold a colon (`${aws:x}` read as text where variables are
        // off): matched segment by segment, such a pattern matches nothing
        if segs.len() == 6
            && segs[..5].iter().all(|s| matches!(s, Piece::Exact(_)))
            && parts[..5].iter().all(|p| !p.contains(':'))
        {
            let mut head = String::with_capacity(p.len());
            for part in &parts[..5] {
                head.push_str(part);
                head.push(':');
            }
            if let Some(last) = segs.pop() {
                return ResourcePattern::Headed {
                    head: head.into(),
                    last,
                };
            }
        }
        ResourcePattern::Segments {
            segs: segs.into(),
            open_end: parts.len() < 6 && p.ends_with('*'),
        }
    }

    /// [`ResourcePattern::compile`], shared: a text compiled before on this thread is not
    /// compiled again (statements and policies hold the same resources over and over).
    pub(crate) fn shared(p: &str, variables: bool) -> Arc<ResourcePattern> {
        thread_local! {
            static SHARED: [Interner<ResourcePattern>; 2] = Default::default();
        }
        SHARED
            .with(|s| s[usize::from(variables)].get(p, |p| ResourcePattern::compile(p, variables)))
    }

    /// The resources the pattern matches, with its variables resolved from `vars`, as a
    /// [`Language`]: what [`ResourcePattern::matches`] accepts, segment by segment (a wildcard of
    /// the first five segments takes no colon).
    pub(crate) fn language(&self, vars: &dyn VarResolver) -> Language {
        let mut lang = Language::default();
        match self {
            ResourcePattern::Any => lang.star(true),
            ResourcePattern::Whole(p) => p.extend(&mut lang, vars, true),
            ResourcePattern::Headed { head, last } => {
                lang.lit(head);
                last.extend(&mut lang, vars, true);
            }
            ResourcePattern::Segments { segs, open_end } => {
                let last = segs.len() - 1;
                for (i, p) in segs.iter().enumerate() {
                    if i > 0 {
                        lang.lit(":");
                    }
                    let colon = i == last && (*open_end || i == 5);
                    let mut seg = Language::default();
                    p.extend(&mut seg, vars, colon);
                    if !colon && seg.names(':') {
                        // a segment that must hold no colon names one: nothing matches
                        return Language::nothing();
                    }
                    lang.append(seg);
                }
            }
        }
        lang
    }

    /// Matches a concrete resource (an ARN or `*`), case-sensitively.
    pub(crate) fn matches(&self, resource: &str, vars: &dyn VarResolver) -> bool {
        match self {
            ResourcePattern::Any => true,
            ResourcePattern::Whole(p) => p.matches(resource, false, vars),
            ResourcePattern::Headed { head, last } => resource
                .strip_prefix(&**head)
                .is_some_and(|rest| last.matches(rest, false, vars)),
            ResourcePattern::Segments { segs, open_end } => {
                let last = segs.len() - 1;
                let mut rest = resource;
                for (i, p) in segs.iter().enumerate() {
                    if i == last {
                        if *open_end || i == 5 {
                            return p.matches(rest, false, vars);
                        }
                        // fewer than six segments and no open end: the resource must end here
                        return !rest.bytes().any(|b| b == b':') && p.matches(rest, false, vars);
                    }
                    // a byte loop: the segments are short, and a searcher costs more to set up
                    let Some(colon) = rest.bytes().position(|b| b == b':') else {
                        return false;
                    };
                    if !p.matches(&rest[..colon], false, vars) {
                        return false;
                    }
                    rest = &rest[colon + 1..];
                }
                false
            }
        }
    }
}

/// Compiled patterns by their text, on one thread: a text is compiled once and then shared. Holds
/// at most [`Interner::CAPACITY`] texts and starts afresh when full (what was handed out stays
/// valid), so hostile input that never repeats a pattern costs one lookup per pattern and bounded
/// memory.
#[derive(Debug)]
struct Interner<T> {
    compiled: RefCell<FxHashMap<Box<str>, Arc<T>>>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            compiled: RefCell::new(FxHashMap::default()),
        }
    }
}

impl<T> Interner<T> {
    const CAPACITY: usize = 4096;

    /// The compiled `text`, compiled now by `compile` unless it was before.
    fn get(&self, text: &str, compile: impl FnOnce(&str) -> T) -> Arc<T> {
        let mut compiled = self.compiled.borrow_mut();
        if let Some(c) = compiled.get(text) {
            return Arc::clone(c);
        }
        if compiled.len() >= Self::CAPACITY {
            compiled.clear();
        }
        let c = Arc::new(compile(text));
        compiled.insert(text.into(), Arc::clone(&c));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arn::ArnPattern;
    use crate::wildcard::NoVars;

    struct Vars;
    impl VarResolver for Vars {
        fn resolve(&self, key: &str) -> Option<&str> {
            (key == "aws:username").then_some("alice")
        }
    }

    const TEXTS: &[&str] = &[
        "",
        "*",
        "s3:GetObject",
        "S3:getobject",
        "s3:GetObjectAcl",
        "s3:Get",
        "s3:get*",
        "ec2:DescribeInstances",
        "k",
        "\u{212A}",
        "s3:Ge\u{212A}",
        "ß",
        "SS",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::bucket/",
        "arn:aws:s3:::bucket/key",
        "arn:aws:s3:::bucket/home/alice/x",
        "arn:aws:s3:::bucket/home/${aws:username}/x",
        "arn:aws:s3:::other/key:colon",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
        "arn:aws:logs:us-east-1:1:log-group:x:log-stream:y",
        "arn:aws:iam::1:user/Alice",
        "arn:aws:iam::1:",
        "arn:aws:iam::1",
        "arn:aws:iam:::user/Alice",
        "arn:aws:iam::1:user/Alice:x",
        "arn:aws:iam::${aws:PrincipalAccount}:user/x",
        "arn:aws",
        "not an arn",
    ];

    const PATTERNS: &[&str] = &[
        "",
        "*",
        "**",
        "s3:GetObject",
        "s3:getobject",
        "s3:Get*",
        "s3:Get**",
        "s3:*Object",
        "s3:Get?bject",
        "*:*",
        "k",
        "\u{212A}",
        "s3:Ge\u{212A}*",
        "ß",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::bucket/*",
        "arn:aws:s3:::bucket*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::bucket/home/${aws:username}/*",
        "arn:aws:s3:::bucket/home/${aws:username}",
        "arn:aws:s3:::bucket/home/${aws:username, 'bob'}/*",
        "arn:aws:s3:::bucket/home/${bad/*",
        "arn:aws:s3:::bucket/${*}",
        "arn:aws:ec2:*:111122223333:instance/*",
        "arn:aws:ec2:us-*:instance/i-1",
        "arn:aws:ec2:*",
        "arn:aws:logs:*:*:log-group:x:*",
        "arn:aws:logs:us-east-1:1:log-group:x:*",
        "arn:aws:logs:us-east-1:1:*",
        "arn:aws:iam::1:user/Alice",
        "arn:aws:iam::1:",
        "arn:aws:iam::1:*",
        "arn:aws:iam:::user/Alice",
        "arn:aws:iam::${aws:PrincipalAccount}:user/*",
        "arn:aws",
        "arn:*",
        "not an arn",
        "not*",
    ];

    /// Every fast path answers as the glob of the same pattern.
    #[test]
    fn pieces_match_as_globs_do() {
        for &p in PATTERNS {
            for wildcards in [false, true] {
                for variables in [false, true] {
                    let syntax = Syntax {
                        wildcards,
                        variables,
                    };
                    let glob = Glob::compile(p, syntax).0;
                    for case in [Case::Sensitive, Case::Ascii, Case::Unicode] {
                        let piece = Piece::compile(p, syntax, case != Case::Sensitive);
                        for &t in TEXTS {
                            for vars in [&NoVars as &dyn VarResolver, &Vars] {
                                assert_eq!(
                                    piece.matches_case(t, case, vars),
                                    glob.matches_case(t, case, vars),
                                    "{p:?} {syntax:?} {case:?} on {t:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    /// Actions fold ASCII letters only (issue 14): the Kelvin sign is not `k`.
    #[test]
    fn actions_fold_ascii_only() {
        for p in [
            "s3:\u{212A}ey*",
            "s3:*\u{212A}ey*",
            "s3:\u{212A}ey",
            "s3:\u{212A}e?x",
        ] {
            assert!(!ActionPattern::compile(p).matches("s3:keyx"), "{p}");
            assert!(!ActionPattern::compile(p).matches("s3:key"), "{p}");
        }
        for p in ["s3:KEY*", "s3:*EYX", "s3:keyx", "S3:K?YX", "s3:*"] {
            assert!(ActionPattern::compile(p).matches("s3:keyx"), "{p}");
        }
        let long = format!("s3:*{}*", "K".repeat(300));
        assert!(!ActionPattern::compile(&long)
            .matches(&format!("s3:{}", "k".repeat(300)).replace('k', "\u{212A}")));
        assert!(ActionPattern::compile(&long).matches(&format!("s3:x{}", "k".repeat(400))));
    }

    /// Resource patterns answer as [`ArnPattern`] does.
    #[test]
    fn resources_match_as_arn_patterns_do() {
        for &p in PATTERNS {
            for variables in [false, true] {
                let ours = ResourcePattern::compile(p, variables);
                let theirs = ArnPattern::compile(p, variables).0;
                for &t in TEXTS {
                    for vars in [&NoVars as &dyn VarResolver, &Vars] {
                        assert_eq!(
                            ours.matches(t, vars),
                            theirs.matches(t, vars),
                            "{p:?} variables {variables} on {t:?}"
                        );
                    }
                }
            }
        }
    }

    /// A pattern's language holds exactly the resources it matches.
    #[test]
    fn languages_hold_what_patterns_match() {
        for &p in PATTERNS {
            for variables in [false, true] {
                let compiled = ResourcePattern::compile(p, variables);
                for vars in [&NoVars as &dyn VarResolver, &Vars] {
                    let lang = compiled.language(vars);
                    for &t in TEXTS {
                        assert_eq!(
                            lang.matches(t),
                            compiled.matches(t, vars),
                            "{p:?} variables {variables} on {t:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_interner_shares_and_stays_bounded() {
        let i = Interner::<usize>::default();
        let a = i.get("arn:aws:s3:::b/*", str::len);
        assert!(Arc::ptr_eq(&a, &i.get("arn:aws:s3:::b/*", |_| 0)));
        for n in 0..3 * Interner::<usize>::CAPACITY {
            i.get(&n.to_string(), str::len);
            assert!(i.compiled.borrow().len() <= Interner::<usize>::CAPACITY);
        }
        assert_eq!(*a, 16);
    }

    #[test]
    fn the_common_shapes_take_the_fast_paths() {
        let shape = |p: &str| match ActionPattern::compile(p).0 {
            Piece::Any => "any",
            Piece::Exact(_) => "exact",
            Piece::Prefix(_) => "prefix",
            Piece::Glob(_) => "glob",
        };
        assert_eq!(shape("*"), "any");
        assert_eq!(shape("s3:GetObject"), "exact");
        assert_eq!(shape("s3:Get*"), "prefix");
        assert_eq!(shape("s3:*Object"), "glob");
        let ResourcePattern::Headed { head, last } =
            ResourcePattern::compile("arn:aws:s3:::bucket/*", true)
        else {
            panic!()
        };
        assert_eq!(&*head, "arn:aws:s3:::");
        assert!(matches!(&last, Piece::Prefix(s) if &**s == "bucket/"));
        let ResourcePattern::Segments { segs, .. } =
            ResourcePattern::compile("arn:aws:s3:*::bucket/*", true)
        else {
            panic!()
        };
        assert!(matches!(&segs[5], Piece::Prefix(s) if &**s == "bucket/"));
    }

    #[test]
    fn a_literal_with_one_trailing_star_admits_exactly_what_begins_with_the_literal() {
        // what the escalation builder relies on to set a sorted universe's range without matching each member
        let universe = [
            "*",
            "arn",
            "arn:aws:iam::",
            "arn:aws:iam::111122223333:group/g:x",
            "arn:aws:iam::111122223333:role/a/b",
            "arn:aws:iam::111122223333:user/u",
            "arn:aws:iam::111122223333:user/u:with:colons",
            "arn:aws:iam::222233334444:user/u",
            "arn:aws:s3:::bucket/key:x",
            "arnold",
        ];
        let patterns = [
            "arn*",
            "arn:*",
            "arn:aws:*",
            "arn:aws:iam::*",
            "arn:aws:iam::111122223333:*",
            "arn:aws:iam::111122223333:user/*",
            "arn:aws:iam::111122223333:user/u:*",
            "arn:aws:s3:::*",
            "ar*",
        ];
        for p in patterns {
            let literal = &p[..p.len() - 1];
            let compiled = ResourcePattern::compile(p, false);
            for r in universe {
                assert_eq!(
                    compiled.matches(r, &crate::wildcard::NoVars),
                    r.starts_with(literal),
                    "{p} against {r}"
                );
            }
        }
    }
}

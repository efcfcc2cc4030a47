//! Patterns as languages: the texts a resource pattern matches, as a small automaton with one
//! state per position of the pattern, and a search through the product of several of them for the
//! texts of one language, told apart by which of the others they belong to.
//!
//! A [`Language`] is a sequence of [`Sym`]s: a character, `?` (any one character) or `*` (any
//! run), each wildcard either taking colons or not, which is how an ARN pattern reads its first
//! five segments (a wildcard there never crosses a colon) and its last (it may). Policy variables
//! are resolved before a pattern becomes a language, so one is decided for one request context.
//!
//! [`explore`] walks the product automaton breadth first over an alphabet of every character the
//! languages name, a colon, and one character none of them names (which stands for all the
//! others: no pattern tells them apart). Each product state is the set of positions each language
//! can be at after some text; two texts reaching the same state belong to the same languages
//! whatever follows, so visiting one text per state (the shortest) and one per distinct set of
//! memberships is exact: no text of the first language with another membership exists. The walk
//! is bounded by the work it may do; past the bound it says so, and the caller fails closed.

use std::collections::BTreeSet;
use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Glob, Tok, VarResolver};

/// One position of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Sym {
    /// This character.
    Lit(char),
    /// Any one character (`?`); a colon too only when `colon`.
    One {
        /// Whether a colon is taken.
        colon: bool,
    },
    /// Any run of characters, the empty one too (`*`); colons too only when `colon`.
    Star {
        /// Whether colons are taken.
        colon: bool,
    },
}

impl Sym {
    /// Whether the symbol reads `c` (a star reads it and stays).
    fn reads(self, c: char) -> bool {
        match self {
            Sym::Lit(d) => c == d,
            Sym::One { colon } | Sym::Star { colon } => colon || c != ':',
        }
    }
}

/// The texts a pattern matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Language {
    syms: Vec<Sym>,
    /// The pattern matches no text at all (a variable without a value, a colon where a segment
    /// cannot hold one).
    nothing: bool,
}

impl Language {
    /// The language of no text.
    pub(crate) fn nothing() -> Language {
        Language {
            syms: Vec::new(),
            nothing: true,
        }
    }

    /// Appends literal text.
    pub(crate) fn lit(&mut self, s: &str) {
        self.syms.extend(s.chars().map(Sym::Lit));
    }

    /// Appends `?`.
    pub(crate) fn one(&mut self, colon: bool) {
        self.syms.push(Sym::One { colon });
    }

    /// Appends `*` (a star right after the same star adds nothing).
    pub(crate) fn star(&mut self, colon: bool) {
        if self.syms.last() != Some(&Sym::Star { colon }) {
            self.syms.push(Sym::Star { colon });
        }
    }

    /// Appends the texts `g` matches with its variables resolved from `vars` (a variable with
    /// neither a value nor a default makes the language empty, as it makes the glob match
    /// nothing); `colon`: whether its wildcards take colons.
    pub(crate) fn glob(&mut self, g: &Glob, vars: &dyn VarResolver, colon: bool) {
        for (i, seg) in g.segs.iter().enumerate() {
            if i > 0 {
                self.star(colon);
            }
            for t in seg.iter() {
                match t {
                    Tok::Lit(s) => self.lit(s),
                    Tok::One => self.one(colon),
                    Tok::Var(v) => match vars.resolve(&v.key).or(v.default.as_deref()) {
                        Some(value) => self.lit(value),
                        None => self.nothing = true,
                    },
                }
            }
        }
    }

    /// Appends `other` (the texts of this one followed by one of `other`'s).
    pub(crate) fn append(&mut self, other: Language) {
        self.nothing |= other.nothing;
        for s in other.syms {
            match s {
                Sym::Star { colon } => self.star(colon),
                s => self.syms.push(s),
            }
        }
    }

    /// Whether the pattern names `c` literally.
    pub(crate) fn names(&self, c: char) -> bool {
        self.syms.contains(&Sym::Lit(c))
    }

    /// Whether the language holds no text.
    #[cfg(test)]
    pub(crate) fn is_nothing(&self) -> bool {
        self.nothing
    }

    /// One text of the language, read as an ARN pattern: each `*` replaced by `fill(segment)`
    /// (the segment counted by the literal colons before it, at most 5) and each `?` by `x`;
    /// `None` for the empty language and for a lone `*`.
    pub(crate) fn instance(&self, fill: &dyn Fn(usize) -> String) -> Option<String> {
        if self.nothing || matches!(self.syms[..], [Sym::Star { .. }]) {
            return None;
        }
        let mut out = String::new();
        let mut segment = 0;
        for s in &self.syms {
            match s {
                Sym::Lit(c) => {
                    if *c == ':' {
                        segment = (segment + 1).min(5);
                    }
                    out.push(*c);
                }
                Sym::One { .. } => out.push('x'),
                Sym::Star { .. } => out.push_str(&fill(segment)),
            }
        }
        Some(out)
    }

    /// Whether `text` belongs to the language (the automaton run on it).
    pub(crate) fn matches(&self, text: &str) -> bool {
        let words = self.words();
        let mut cur = vec![0u64; words];
        let mut next = vec![0u64; words];
        self.start(&mut cur);
        for c in text.chars() {
            self.step(&cur, c, &mut next);
            std::mem::swap(&mut cur, &mut next);
        }
        self.accepts(&cur)
    }

    /// Words of a state set: one bit per position, the end included.
    fn words(&self) -> usize {
        (self.syms.len() + 1).div_ceil(64)
    }

    /// Adds the positions a star lets the automaton skip to.
    fn close(&self, set: &mut [u64]) {
        for (p, s) in self.syms.iter().enumerate() {
            if matches!(s, Sym::Star { .. }) && set[p / 64] >> (p % 64) & 1 == 1 {
                set[(p + 1) / 64] |= 1 << ((p + 1) % 64);
            }
        }
    }

    /// The positions before any text.
    fn start(&self, set: &mut [u64]) {
        set.fill(0);
        if !self.nothing {
            set[0] = 1;
            self.close(set);
        }
    }

    /// The positions after reading `c` from the positions `from`.
    fn step(&self, from: &[u64], c: char, to: &mut [u64]) {
        to.fill(0);
        let mut any = false;
        for (w, &word) in from.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let p = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let Some(&s) = self.syms.get(p) else {
                    continue; // the end reads nothing
                };
                if !s.reads(c) {
                    continue;
                }
                let q = if matches!(s, Sym::Star { .. }) {
                    p
                } else {
                    p + 1
                };
                to[q / 64] |= 1 << (q % 64);
                any = true;
            }
        }
        if any {
            self.close(to);
        }
    }

    /// Whether the positions include the end.
    fn accepts(&self, set: &[u64]) -> bool {
        let end = self.syms.len();
        set[end / 64] >> (end % 64) & 1 == 1
    }
}

/// How [`explore`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Explored {
    /// The visitor asked to stop.
    Stopped,
    /// Every text of the first language was accounted for.
    Exhausted,
    /// The work bound was reached first: some texts were not accounted for.
    OverBudget,
}

/// Characters tried, in order, for the character no language names.
const FILLERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789-_.";

/// Walks the texts of `langs[0]` that can still belong to one of `langs[needed]`, shortest
/// first, and calls `visit(text, member)` for one text per distinct membership (`member[i]`:
/// whether the text belongs to `langs[i]`) until it returns true. `max_work` bounds the symbols
/// stepped (each state costs the alphabet's size times the symbols of all languages).
pub(crate) fn explore(
    langs: &[Language],
    needed: std::ops::Range<usize>,
    max_work: u64,
    mut visit: impl FnMut(&str, &[bool]) -> bool,
) -> Explored {
    if langs.is_empty() || langs[0].nothing {
        return Explored::Exhausted;
    }
    // the alphabet: every character a language names, a colon, and one it does not name
    let mut named: BTreeSet<char> = langs
        .iter()
        .flat_map(|l| l.syms.iter())
        .filter_map(|s| match s {
            Sym::Lit(c) => Some(*c),
            _ => None,
        })
        .collect();
    named.insert(':');
    let Some(filler) = FILLERS
        .chars()
        .chain((0xE000..0xF900).filter_map(char::from_u32))
        .find(|c| !named.contains(c))
    else {
        // every candidate named: the texts the alphabet leaves out are not accounted for
        return Explored::OverBudget;
    };
    let alphabet: Vec<char> = named.into_iter().chain([filler]).collect();
    let offsets: Vec<usize> = langs
        .iter()
        .scan(0, |at, l| {
            let here = *at;
            *at += l.words();
            Some(here)
        })
        .collect();
    let width: usize = langs.iter().map(Language::words).sum();
    // a step walks every symbol of every language (the closure) and each set position
    let symbols: usize = langs.iter().map(|l| l.syms.len() + 1).sum();
    let per_state = (symbols * alphabet.len()) as u64;
    let mut work = 0u64;

    let mut first = vec![0u64; width];
    for (l, &o) in langs.iter().zip(&offsets) {
        l.start(&mut first[o..o + l.words()]);
    }
    // each state stored once, shared by the index and the queue
    let mut ids: FxHashMap<Rc<[u64]>, u32> = FxHashMap::default();
    let mut states: Vec<Rc<[u64]>> = Vec::new();
    // how each state was first reached: the state before and the character read
    let mut parent: Vec<(u32, char)> = Vec::new();
    let mut seen: FxHashSet<Vec<bool>> = FxHashSet::default();
    let first: Rc<[u64]> = first.into();
    ids.insert(first.clone(), 0);
    states.push(first);
    parent.push((0, '\0'));
    let mut next = vec![0u64; width];
    let mut at = 0usize;
    while at < states.len() {
        // the state's memberships, visited once each
        let member: Vec<bool> = langs
            .iter()
            .zip(&offsets)
            .map(|(l, &o)| l.accepts(&states[at][o..o + l.words()]))
            .collect();
        if member[0] && seen.insert(member.clone()) {
            let mut text: Vec<char> = Vec::new();
            let mut s = at;
            while s != 0 {
                let (p, c) = parent[s];
                text.push(c);
                s = p as usize;
            }
            let text: String = text.into_iter().rev().collect();
            if visit(&text, &member) {
                return Explored::Stopped;
            }
        }
        work += per_state;
        if work > max_work {
            return Explored::OverBudget;
        }
        for &c in &alphabet {
            let cur = &states[at];
            for (l, &o) in langs.iter().zip(&offsets) {
                let w = l.words();
                l.step(&cur[o..o + w], c, &mut next[o..o + w]);
            }
            // a text that has left the first language, or every needed one, never comes back
            let dead = |i: usize| {
                next[offsets[i]..offsets[i] + langs[i].words()]
                    .iter()
                    .all(|w| *w == 0)
            };
            if dead(0) || (!needed.is_empty() && needed.clone().all(dead)) {
                continue;
            }
            if ids.contains_key(&next[..]) {
                continue;
            }
            let id = u32::try_from(states.len()).unwrap_or(u32::MAX);
            let key: Rc<[u64]> = next.as_slice().into();
            ids.insert(key.clone(), id);
            states.push(key);
            parent.push((at as u32, c));
        }
        at += 1;
    }
    Explored::Exhausted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::{NoVars, Syntax};

    fn lang(p: &str) -> Language {
        let mut l = Language::default();
        let g = Glob::compile(
            p,
            Syntax {
                wildcards: true,
                variables: true,
            },
        )
        .0;
        l.glob(&g, &NoVars, true);
        l
    }

    /// Every text over `alphabet` of at most `max` characters.
    fn texts(alphabet: &[char], max: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn a_language_matches_what_its_glob_matches() {
        let patterns = [
            "",
            "*",
            "a",
            "a*",
            "*a",
            "a?b",
            "*a*b*",
            "a**b",
            "?",
            "??*",
            "a:*",
            "${x, 'q'}*",
        ];
        for p in patterns {
            let g = Glob::wildcard(p);
            let l = lang(p);
            for t in texts(&['a', 'b', ':', 'q'], 4) {
                let glob = if p.starts_with("${") {
                    t.starts_with('q')
                } else {
                    g.matches(&t, false, &NoVars)
                };
                assert_eq!(l.matches(&t), glob, "{p:?} on {t:?}");
            }
        }
        // a variable without a value matches nothing
        assert!(lang("a${x}").is_nothing());
        // a wildcard that takes no colon
        let mut l = Language::default();
        l.lit("a");
        l.star(false);
        assert!(l.matches("abc") && !l.matches("a:c"));
    }

    /// The search visits exactly the memberships some text of the first language has, checked
    /// against every text of up to six characters.
    #[test]
    fn the_search_finds_every_membership_there_is() {
        let sets: [&[&str]; 6] = [
            &["*", "a*", "*b", "a?b"],
            &["a*", "*a*a*", "b*", "??"],
            &["*:*", "a*", "*a"],
            &["a*b", "a*", "*b", "ab"],
            &["??", "a", "ab*", "*ba"],
            &["a?", "b*", ""],
        ];
        for set in sets {
            let langs: Vec<Language> = set.iter().map(|p| lang(p)).collect();
            let mut found: FxHashSet<Vec<bool>> = FxHashSet::default();
            let end = explore(&langs, 0..0, u64::MAX, |text, member| {
                // the text has the memberships reported
                for (l, m) in langs.iter().zip(member) {
                    assert_eq!(l.matches(text), *m, "{set:?} on {text:?}");
                }
                assert!(found.insert(member.to_vec()));
                false
            });
            assert_eq!(end, Explored::Exhausted);
            let brute: FxHashSet<Vec<bool>> = texts(&['a', 'b', ':', 'x'], 6)
                .iter()
                .filter(|t| langs[0].matches(t))
                .map(|t| langs.iter().map(|l| l.matches(t)).collect())
                .collect();
            assert_eq!(found, brute, "{set:?}");
        }
    }

    #[test]
    fn the_search_stops_when_asked_and_when_over_budget() {
        let langs = [lang("*"), lang("*a*b*c*d*e*f*")];
        let mut n = 0;
        let end = explore(&langs, 0..0, u64::MAX, |_, m| {
            n += 1;
            m[1]
        });
        assert_eq!(end, Explored::Stopped);
        assert_eq!(n, 2);
        assert_eq!(
            explore(&langs, 0..0, 10, |_, _| false),
            Explored::OverBudget
        );
        assert_eq!(
            explore(&[Language::nothing()], 0..0, 10, |_, _| true),
            Explored::Exhausted
        );
    }
}

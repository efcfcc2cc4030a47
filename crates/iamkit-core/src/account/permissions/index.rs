//! The Deny statements a grant's action pattern can meet, found without comparing it with every
//! Deny. Two action patterns match a common action only if the literal text before their first
//! wildcard agrees (so, when both name a service, the same service) and the literal text after
//! their last wildcard agrees (one ends with the other). Denies are filed by the service their
//! patterns name and, within it, in a trie of their literal endings read backwards: a grant's
//! candidates are the Denies filed under its service (or under none) whose ending is compatible
//! with its own, in statement order. Everything else is compared as before (`NotAction` Denies,
//! grants that are `NotAction`, patterns too long or not ASCII).
//!
//! The trie is a few lines over a `Vec`: a crate would bring a general map where only this one
//! walk (ancestors and descendants of one path) is needed.

use std::collections::HashMap;

/// Patterns longer than this are not compared exactly by the wildcard algebra (they count as
/// overlapping), so they are never left out here (`wildcard::algebra`'s limit).
const MAX_EXACT: usize = 2048;

/// Literal endings read backwards; each node lists the Denies whose ending ends there.
#[derive(Debug)]
struct Endings {
    /// Node 0 is the root (the empty ending).
    nodes: Vec<Node>,
}

#[derive(Debug, Default)]
struct Node {
    children: Vec<(u8, usize)>,
    here: Vec<usize>,
}

impl Default for Endings {
    fn default() -> Self {
        Endings {
            nodes: vec![Node::default()],
        }
    }
}

impl Endings {
    fn insert(&mut self, ending: &[u8], deny: usize) {
        let mut at = 0;
        for &b in ending.iter().rev() {
            at = match self.nodes[at].children.iter().find(|(c, _)| *c == b) {
                Some(&(_, next)) => next,
                None => {
                    self.nodes.push(Node::default());
                    let next = self.nodes.len() - 1;
                    self.nodes[at].children.push((b, next));
                    next
                }
            };
        }
        self.nodes[at].here.push(deny);
    }

    /// The Denies whose ending is compatible with `ending`: those ending in a suffix of it (on
    /// the path) and those ending in something it is a suffix of (below the path's end).
    fn compatible(&self, ending: &[u8], out: &mut Vec<usize>, steps: &mut u64) {
        let mut at = 0;
        out.extend_from_slice(&self.nodes[0].here);
        for &b in ending.iter().rev() {
            *steps += 1;
            match self.nodes[at].children.iter().find(|(c, _)| *c == b) {
                Some(&(_, next)) => {
                    at = next;
                    out.extend_from_slice(&self.nodes[at].here);
                }
                None => return,
            }
        }
        let mut stack: Vec<usize> = self.nodes[at].children.iter().map(|(_, n)| *n).collect();
        while let Some(n) = stack.pop() {
            *steps += 1;
            out.extend_from_slice(&self.nodes[n].here);
            stack.extend(self.nodes[n].children.iter().map(|(_, c)| *c));
        }
    }
}

/// A pattern's literal start (up to its first wildcard) and end (after its last), lowercased;
/// `None` when it cannot be indexed.
fn literal_ends(pattern: &str) -> Option<(String, Vec<u8>)> {
    if pattern.len() > MAX_EXACT || !pattern.is_ascii() {
        return None;
    }
    let lower = pattern.to_ascii_lowercase();
    let wild = |c: char| c == '*' || c == '?';
    let start = lower.find(wild).map_or(lower.as_str(), |i| &lower[..i]);
    let end = lower
        .rfind(wild)
        .map_or(lower.as_str(), |i| &lower[i + 1..]);
    Some((start.to_string(), end.as_bytes().to_vec()))
}

/// The service a literal start names (`s3` in `s3:Get`), if it reaches the colon.
fn service(start: &str) -> Option<&str> {
    start.split_once(':').map(|(svc, _)| svc)
}

/// Deny statements filed by the literal ends of their action patterns.
#[derive(Debug, Default)]
pub(super) struct DenyIndex {
    /// How many Denies there are.
    count: usize,
    /// Compared with every grant: `NotAction` Denies and unindexable patterns.
    always: Vec<usize>,
    /// By the service their pattern names.
    by_service: HashMap<String, Endings>,
    /// Patterns that name no service literally (`*`, `s3*`, `*:Get*`).
    unnamed: Endings,
}

impl DenyIndex {
    /// Files Deny `i` (its action patterns, `negated` for `NotAction`).
    pub(super) fn add(&mut self, i: usize, patterns: &[String], negated: bool) {
        self.count = self.count.max(i + 1);
        if negated {
            self.always.push(i);
            return;
        }
        for p in patterns {
            match literal_ends(p) {
                None => self.always.push(i),
                Some((start, end)) => match service(&start) {
                    Some(svc) => self
                        .by_service
                        .entry(svc.to_string())
                        .or_default()
                        .insert(&end, i),
                    None => self.unnamed.insert(&end, i),
                },
            }
        }
    }

    /// The Denies an action pattern of a grant may meet, in statement order (all of them when
    /// the pattern cannot be indexed). A Deny left out matches no action the pattern matches.
    pub(super) fn candidates(&self, pattern: &str, steps: &mut u64) -> Vec<usize> {
        let Some((start, end)) = literal_ends(pattern) else {
            return (0..self.count).collect();
        };
        let mut out = self.always.clone();
        match service(&start) {
            Some(svc) => {
                if let Some(e) = self.by_service.get(svc) {
                    e.compatible(&end, &mut out, steps);
                }
            }
            None => {
                for e in self.by_service.values() {
                    e.compatible(&end, &mut out, steps);
                }
            }
        }
        self.unnamed.compatible(&end, &mut out, steps);
        out.sort_unstable();
        out.dedup();
        out
    }
}

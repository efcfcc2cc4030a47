//! The linear matcher: a glob's segments (variables resolved, letters folded to keys) against a
//! text of keys. The first segment must match at the start, the last at the end, and each middle
//! segment is taken at its leftmost place after the previous one; that is always right, because a
//! segment has a fixed length once its variables are resolved, so an earlier place leaves at
//! least as much text for the rest.
//!
//! Each middle segment is searched by the cheapest matcher that is linear for it:
//! - no `?`: a substring search (`memchr::memmem`, two-way: O(n + m));
//! - only `?`: its length;
//! - at most 64 symbols: Shift-And ([`super::shift_and`], O(n + m));
//! - longer, with `?`: FFT correlation ([`super::fft`], O((p + m) log m) for a match at p).
//!
//! So a whole match costs O(n + m), or O(n log m) with long segments that hold a `?`.

use std::cell::OnceCell;

use super::{fft, shift_and, steps};

/// The symbol of a `?` in a segment (never a character).
pub(super) const ANY: u32 = u32::MAX;

/// A text as keys, with its bytes for the substring search made on first use.
pub(super) struct Text {
    syms: Vec<u32>,
    /// One byte per symbol when all are ASCII; else three (see [`encode`]).
    bytes: OnceCell<(Vec<u8>, usize)>,
}

impl Text {
    /// The text of `syms` (characters as `u32`, never [`ANY`]).
    pub(super) fn new(syms: Vec<u32>) -> Text {
        steps::add(syms.len());
        Text {
            syms,
            bytes: OnceCell::new(),
        }
    }

    fn bytes(&self) -> (&[u8], usize) {
        let (b, unit) = self.bytes.get_or_init(|| {
            let unit = if self.syms.iter().all(|&c| c < 0x80) {
                1
            } else {
                3
            };
            steps::add(self.syms.len());
            (encode(&self.syms, unit).unwrap_or_default(), unit)
        });
        (b, *unit)
    }

    /// The first `s` in `from..` with the literal `needle` at `s` ending by `to`.
    fn find_literal(&self, needle: &[u32], from: usize, to: usize) -> Option<usize> {
        let (bytes, unit) = self.bytes();
        // a symbol past ASCII cannot occur in an all-ASCII text
        let needle = encode(needle, unit)?;
        let hay = bytes.get(from * unit..to * unit)?;
        steps::add(needle.len());
        match memchr::memmem::find(hay, &needle) {
            Some(i) => {
                steps::add(i + needle.len());
                Some(from + i / unit)
            }
            None => {
                steps::add(hay.len());
                None
            }
        }
    }

    /// The first `s` in `from..` with `seg` at `s` ending by `to`.
    fn find(&self, seg: &[u32], from: usize, to: usize) -> Option<usize> {
        let m = seg.len();
        if from > to || to - from < m {
            return None;
        }
        if !seg.contains(&ANY) {
            self.find_literal(seg, from, to)
        } else if seg.iter().all(|&c| c == ANY) {
            Some(from)
        } else if m <= shift_and::MAX_LEN {
            shift_and::find(seg, &self.syms, from, to)
        } else {
            fft::find(seg, &self.syms, from, to)
        }
    }

    /// Whether `seg` matches at exactly `at`.
    fn at(&self, seg: &[u32], at: usize) -> bool {
        steps::add(seg.len());
        self.syms
            .get(at..at + seg.len())
            .is_some_and(|w| w.iter().zip(seg).all(|(&t, &p)| p == ANY || p == t))
    }
}

/// Symbols as bytes the substring search can take: with `unit` 1 each symbol is one byte (all
/// below 0x80, else `None`); with `unit` 3 each is `0x80 | c >> 14`, `c >> 7 & 0x7f`, `c & 0x7f`,
/// whose first byte alone has the high bit, so a needle can only be found at a symbol's start.
fn encode(syms: &[u32], unit: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(syms.len() * unit);
    for &c in syms {
        if unit == 1 {
            out.push(u8::try_from(c).ok().filter(|b| *b < 0x80)?);
        } else {
            out.extend([
                0x80 | ((c >> 14) & 0x7f) as u8,
                ((c >> 7) & 0x7f) as u8,
                (c & 0x7f) as u8,
            ]);
        }
    }
    Some(out)
}

/// Whether `text` matches segments `segs` (cut at each `*`; `has_star` whether there was one).
pub(super) fn matches(segs: &[Vec<u32>], has_star: bool, text: &Text) -> bool {
    let n = text.syms.len();
    let (Some(first), Some(last)) = (segs.first(), segs.last()) else {
        return n == 0;
    };
    if !has_star {
        return first.len() == n && text.at(first, 0);
    }
    if !text.at(first, 0) {
        return false;
    }
    let pos = first.len();
    let Some(limit) = n.checked_sub(last.len()) else {
        return false;
    };
    if limit < pos || !text.at(last, limit) {
        return false;
    }
    let mut pos = pos;
    for seg in segs.get(1..segs.len() - 1).unwrap_or_default() {
        match text.find(seg, pos, limit) {
            Some(s) => pos = s + seg.len(),
            None => return false,
        }
    }
    pos <= limit
}

//! How letters compare in a pattern: exactly, ASCII case-insensitively (action names), or with
//! Unicode simple lowercasing (`StringEqualsIgnoreCase`).
//!
//! Every mode maps a character to a *key* (itself a character) and two characters are equal when
//! their keys are: matching then compares keys exactly, so the linear searches of
//! [`super::search`] need no notion of case.

/// How letters compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Exactly.
    Sensitive,
    /// `A`–`Z` equal `a`–`z`, nothing else folds: IAM action names (the Kelvin sign `K`,
    /// U+212A, does not match `k`).
    Ascii,
    /// Two characters are equal when their Unicode lowercase forms are (`Ä` = `ä`, `K` = `k`):
    /// the `...IgnoreCase` condition operators.
    Unicode,
}

impl Case {
    /// `Ascii` when `ignore_case`, else `Sensitive`.
    pub fn ascii_if(ignore_case: bool) -> Case {
        if ignore_case {
            Case::Ascii
        } else {
            Case::Sensitive
        }
    }

    /// The key of `c`: two characters are equal under this mode exactly when their keys are.
    ///
    /// Under `Unicode` the key is the lowercase form when that is one character; a character
    /// whose lowercase form is longer (only `İ`, U+0130, whose lowercase is `i̇`) is its own key,
    /// which no other character's lowercase form can be (it is not lowercase), so it equals only
    /// itself, as comparing lowercase forms says.
    #[inline]
    pub fn key(self, c: char) -> char {
        match self {
            Case::Sensitive => c,
            Case::Ascii => c.to_ascii_lowercase(),
            Case::Unicode if c.is_ascii() => c.to_ascii_lowercase(),
            Case::Unicode => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => c,
                }
            }
        }
    }

    /// Whether `a` and `b` are equal under this mode.
    #[inline]
    pub fn eq(self, a: &str, b: &str) -> bool {
        match self {
            Case::Sensitive => a == b,
            // ASCII folding leaves every other byte as it is: no need to look for one first
            Case::Ascii => a.eq_ignore_ascii_case(b),
            _ if a.is_ascii() && b.is_ascii() => a.eq_ignore_ascii_case(b),
            _ => a
                .chars()
                .map(|c| self.key(c))
                .eq(b.chars().map(|c| self.key(c))),
        }
    }

    /// Whether `text` starts with `prefix` under this mode.
    #[inline]
    pub fn starts_with(self, text: &str, prefix: &str) -> bool {
        match self {
            Case::Sensitive => text.starts_with(prefix),
            Case::Ascii => text
                .as_bytes()
                .get(..prefix.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(prefix.as_bytes())),
            _ if text.is_ascii() && prefix.is_ascii() => text
                .as_bytes()
                .get(..prefix.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(prefix.as_bytes())),
            _ => {
                let mut t = text.chars();
                prefix
                    .chars()
                    .all(|p| t.next().is_some_and(|c| self.key(c) == self.key(p)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Case;

    #[test]
    fn keys() {
        assert_eq!(Case::Ascii.key('K'), 'k');
        assert_eq!(Case::Ascii.key('\u{212A}'), '\u{212A}');
        assert_eq!(Case::Ascii.key('Ä'), 'Ä');
        assert_eq!(Case::Unicode.key('\u{212A}'), 'k');
        assert_eq!(Case::Unicode.key('Ä'), 'ä');
        assert_eq!(Case::Unicode.key('\u{130}'), '\u{130}');
        assert!(Case::Unicode.eq("ÄBC", "äbc"));
        assert!(!Case::Ascii.eq("ÄBC", "äbc"));
        assert!(Case::Unicode.starts_with("\u{212A}ey", "KE"));
        assert!(!Case::Ascii.starts_with("\u{212A}ey", "KE"));
        assert!(!Case::Unicode.starts_with("ke", "kex"));
    }
}

//! The limits that protect a program embedding iamkit: how large and how deep an input may be at
//! each entry point. Past a limit the input is refused with a coded error before it is parsed,
//! never with an allocation failure or a stack overflow. Every limit is here, once; the README's
//! "Limits" section and tests/README.md list them.
//!
//! | entry point | size | nesting |
//! |---|---|---|
//! | a wire input: [`crate::wire::call`], [`crate::wire::Handle::open`], [`crate::wire::Handle::call`] (and so `iamkit_call`, `iamkit_open`, `iamkit_handle_call`, Go, Python, Node) | [`MAX_INPUT_BYTES`] | [`MAX_INPUT_DEPTH`] |
//! | a line of the JSON-lines interface ([`crate::wire::Session`], `iamkit calls`) | [`MAX_LINE_BYTES`] | (its input's, checked as the open's or the call's error) |
//! | a file or standard input that the CLI reads | [`MAX_FILE_BYTES`] | (as the input it becomes) |
//! | a policy document (wherever it comes from) | (its input's) | [`MAX_POLICY_DEPTH`] |
//!
//! Too large is `IAM_INPUT_TOO_LARGE`; too deep is `IAM_INPUT_JSON` (`IAM_POLICY_JSON` for a
//! policy document), with the line and column of the first bracket past the limit.

use crate::error::{Error, ErrorCode, Location};

/// The largest input a wire call or handle accepts, in bytes of UTF-8 (64 MiB).
pub const MAX_INPUT_BYTES: usize = 64 << 20;

/// The deepest nesting of arrays and objects a wire input may have: `{}` nests 1 level,
/// `{"a": [1]}` 2. Inside `serde_json`'s own recursion limit (127 levels), so this limit is the
/// one that decides, with the same answer at every place in an input.
pub const MAX_INPUT_DEPTH: usize = 100;

/// The longest line of the JSON-lines interface, in bytes without its line ending: an input of
/// [`MAX_INPUT_BYTES`] plus 1 MiB for the rest of the line (`open`, `kind`, `id`, `on`, `call`).
pub const MAX_LINE_BYTES: usize = MAX_INPUT_BYTES + (1 << 20);

/// The largest file (or standard input) the CLI reads whole, in bytes (64 MiB): what it holds then
/// becomes an input, under [`MAX_INPUT_BYTES`] and [`MAX_INPUT_DEPTH`]. (`iamkit calls` reads its
/// stream line by line instead, each line under [`MAX_LINE_BYTES`].)
pub const MAX_FILE_BYTES: usize = MAX_INPUT_BYTES;

/// The deepest nesting of a policy document (its own text: the policy parser's limit; policies
/// nest at most 6 levels).
pub const MAX_POLICY_DEPTH: usize = crate::json::MAX_DEPTH;

/// The `IAM_INPUT_TOO_LARGE` error for `what` (`the input`, `the line`, a file's name) of `len`
/// bytes (`None`: more than the limit, length unknown), over the limit `max`.
pub fn too_large(what: &str, len: Option<usize>, max: usize) -> Error {
    let size = match len {
        Some(n) => format!("{n} bytes"),
        None => format!("more than {max} bytes"),
    };
    Error::new(
        ErrorCode::InputTooLarge,
        format!("{what} is {size}; the limit is {max} bytes{}", mib(max)),
    )
}

/// ` (N MiB)` for a whole number of MiB.
fn mib(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!(" ({} MiB)", n >> 20)
    } else {
        String::new()
    }
}

const _: () = assert!(
    MAX_INPUT_DEPTH < 127,
    "serde_json refuses the 128th level itself"
);
const _: () = assert!(MAX_POLICY_DEPTH < MAX_INPUT_DEPTH);
const _: () = assert!(MAX_LINE_BYTES > MAX_INPUT_BYTES);

/// Refuses `text` when it is longer than `max_bytes` (`IAM_INPUT_TOO_LARGE`) or nests arrays and
/// objects deeper than `max_depth` (`IAM_INPUT_JSON`, at the first bracket past the limit). One
/// pass over the bytes, strings skipped; the text need not be valid JSON (the parser that reads
/// it next says what else is wrong).
pub(crate) fn check(
    text: &str,
    what: &str,
    max_bytes: usize,
    max_depth: usize,
) -> Result<(), Error> {
    if text.len() > max_bytes {
        return Err(too_large(what, Some(text.len()), max_bytes));
    }
    // a text with no more opening brackets than the limit cannot nest deeper: one vectorised
    // count instead of the scan (most inputs: a request, a policy)
    let opening = memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count();
    if opening <= max_depth {
        return Ok(());
    }
    match too_deep_at(text.as_bytes(), max_depth) {
        None => Ok(()),
        Some(offset) => {
            let (line, column) = position(text, offset);
            Err(Error::new(
                ErrorCode::InputJson,
                format!("{what} nests arrays and objects deeper than {max_depth} levels"),
            )
            .at(Location::new("$", line, column)))
        }
    }
}

/// Whether `text` nests arrays and objects deeper than `max_depth` levels (strings skipped; the
/// text need not be valid JSON): what a wire input past [`MAX_INPUT_DEPTH`] is refused for. For a
/// caller that puts the text inside another input, where it nests one level deeper.
pub fn nests_deeper(text: &str, max_depth: usize) -> bool {
    let opening = memchr::memchr2_iter(b'[', b'{', text.as_bytes()).count();
    opening > max_depth && too_deep_at(text.as_bytes(), max_depth).is_some()
}

/// The byte offset of the first `[` or `{` (outside strings) that opens level `max_depth + 1`.
/// Byte by byte between strings, which are skipped eight bytes at a time, and so are runs of
/// white space (a pretty-printed input's indentation), so the scan costs a small part of parsing.
fn too_deep_at(b: &[u8], max_depth: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    // at the end (or in a string that does not end) nothing went too deep
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => i = after_string(b, i + 1)?,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Some(i);
                }
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b' ' | b'\n' | b'\r' | b'\t' => i = next_mark(b, i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The offset of the next quote or bracket from `i` on, eight bytes at a time (or of one of the
/// last bytes, fewer than eight left).
fn next_mark(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(bytes);
        // `[` and `{` differ in one bit (0x20), and so do `]` and `}`
        let folded = word | (ONES * 0x20);
        let hits = holds(word, b'"') | holds(folded, b'{') | holds(folded, b'}');
        if hits != 0 {
            // the lowest flag is the first hit (false flags only sit above a true one)
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// The offset just past the quote that ends the string whose text starts at `i` (`None`: it
/// does not end). Strings hold most of an input's bytes (ARNs, actions, documents as text): eight
/// bytes at a time while they hold no quote and no backslash.
fn after_string(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        while let Some(chunk) = b.get(i..i + 8) {
            let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
                break;
            };
            let word = u64::from_le_bytes(bytes);
            let hits = holds(word, b'"') | holds(word, b'\\');
            if hits != 0 {
                // the lowest flag is the first hit (false flags only sit above a true one)
                i += (hits.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        // a quote, a backslash, or one of the last bytes (fewer than eight left)
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// `1` in every byte of a word.
const ONES: u64 = u64::from_le_bytes([1; 8]);

/// The high bit of each byte of `word` that is `c` is set (the classic test for a zero byte, on
/// `word ^ c...c`); a byte above one that is `c` may be flagged too, so only the lowest flag is
/// sure.
const fn holds(word: u64, c: u8) -> u64 {
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let v = word ^ (ONES * c as u64);
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// The 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.bytes().filter(|&c| c == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (to_u32(line), to_u32(column))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn depth_at_the_limit_passes_and_one_more_is_refused() {
        assert!(check(
            &nested(MAX_INPUT_DEPTH),
            "the input",
            1 << 20,
            MAX_INPUT_DEPTH
        )
        .is_ok());
        let e = check(
            &nested(MAX_INPUT_DEPTH + 1),
            "the input",
            1 << 20,
            MAX_INPUT_DEPTH,
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputJson);
        let at = e.location().unwrap();
        assert_eq!(
            (at.line, at.column),
            (Some(1), Some(MAX_INPUT_DEPTH as u32 + 1))
        );
        // objects count as arrays do; siblings do not add up
        let objects = format!("{}1{}", r#"{"a":"#.repeat(3), "}".repeat(3));
        assert!(check(&objects, "x", 100, 3).is_ok());
        assert!(check(&objects, "x", 100, 2).is_err());
        assert!(check("[[1],[2],{\"a\":[3]}]", "x", 100, 2).is_err());
        assert!(check("[[1],[2],{\"a\":3}]", "x", 100, 2).is_ok());
    }

    #[test]
    fn brackets_in_strings_do_not_count() {
        let text = r#"{"a": "[[[[{{{{", "b\"[[[": "\\", "c": ["]]]]"]}"#;
        assert!(check(text, "x", 100, 2).is_ok());
        assert!(check(text, "x", 100, 1).is_err());
        // an unterminated string, or a lone backslash at the end, is left to the parser
        assert!(check(r#"["abc\"#, "x", 100, 1).is_ok());
        assert!(check("\"[[[", "x", 100, 1).is_ok());
    }

    #[test]
    fn size_at_the_limit_passes_and_one_byte_more_is_refused() {
        assert!(check("[1,  2]", "x", 7, 10).is_ok());
        let e = check("[1,   2]", "the input", 7, 10).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputTooLarge);
        assert_eq!(e.message(), "the input is 8 bytes; the limit is 7 bytes");
        assert_eq!(
            too_large("the line", None, MAX_LINE_BYTES).message(),
            "the line is more than 68157440 bytes; the limit is 68157440 bytes (65 MiB)"
        );
    }

    /// The scan, one byte at a time: what [`too_deep_at`] must find.
    fn reference(b: &[u8], max_depth: usize) -> Option<usize> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for (i, &c) in b.iter().enumerate() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == b'\\' {
                    escaped = true;
                } else if c == b'"' {
                    in_string = false;
                }
                continue;
            }
            match c {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max_depth {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn the_scan_finds_what_a_byte_by_byte_scan_finds(
            text in proptest::collection::vec(
                proptest::sample::select(&b"\"\\[]{}aaaaaaaaaaaaaaaa \xc3\xa9"[..]), 0..200),
            max_depth in 0usize..6,
        ) {
            proptest::prop_assert_eq!(too_deep_at(&text, max_depth), reference(&text, max_depth));
        }
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "{\n  \"é\": [[\n[";
        let e = check(text, "x", 100, 3).unwrap_err();
        let at = e.location().unwrap();
        assert_eq!((at.line, at.column), (Some(3), Some(1)));
        assert_eq!(position("aé[", 3), (1, 3));
    }
}

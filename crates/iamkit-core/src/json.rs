//! A strict JSON reader that keeps what policy validation needs and `serde_json` drops: the byte
//! offset of every value, object members in order, and repeated keys.
//!
//! It accepts exactly RFC 8259 JSON (no comments, no trailing commas) and limits nesting depth, so
//! hostile input produces an error, never a stack overflow.

use std::borrow::Cow;
use std::fmt;

/// The deepest nesting accepted (policies nest at most 6 levels).
pub const MAX_DEPTH: usize = 64;

/// A JSON value with the byte offset of its first character. Text is borrowed from the parsed
/// document unless unescaping changed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// Byte offset of the value's first character in the parsed text.
    pub offset: usize,
    /// The value.
    pub value: Value<'a>,
}

/// A JSON value. Numbers keep their source text, because IAM compares condition values as text.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object; members in source order, repeats kept.
    Object(Vec<Member<'a>>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// Byte offset of the key's opening quote.
    pub key_offset: usize,
    /// The value.
    pub value: Node<'a>,
}

impl Value<'_> {
    /// A short name of the JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Byte offset where it was found.
    pub offset: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses one JSON value that must fill the whole text (surrounding white space allowed).
pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        nodes: Vec::new(),
        members: Vec::new(),
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(
            p.err("unexpected text after the JSON value (a document holds exactly one value)")
        );
    }
    Ok(node)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// The items of the arrays being read, innermost last: an array's items are copied out at
    /// their exact count when it closes (one allocation each, no growth).
    nodes: Vec<Node<'a>>,
    /// The members of the objects being read, likewise.
    members: Vec<Member<'a>>,
}

impl<'a> Parser<'a> {
    fn err(&self, message: &str) -> SyntaxError {
        SyntaxError {
            message: message.to_string(),
            offset: self.pos,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nests too deep"));
        }
        let offset = self.pos;
        let value = match self.src.get(self.pos) {
            None => return Err(self.err("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("expected a JSON value")),
        };
        Ok(Node { offset, value })
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, SyntaxError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Value<'a>, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("malformed number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("malformed number"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("malformed number"));
            }
            self.digits();
        }
        Ok(Value::Number(&self.text[start..self.pos]))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.skip_plain();
        if self.peek() == Some(b'"') {
            // no escape: the text as it stands
            self.pos += 1;
            return Ok(Cow::Borrowed(&self.text[start..self.pos - 1]));
        }
        self.pos = start;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            self.skip_plain();
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.err("invalid escape in string")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.err("control character in string")),
            }
        }
    }

    /// Moves past the characters of a string that stand for themselves (up to a quote, a
    /// backslash, a control character or the end).
    fn skip_plain(&mut self) {
        let rest = self.src.get(self.pos..).unwrap_or_default();
        // the next quote or backslash (memchr), then a control character before it, if any (a
        // branch-free pass the compiler vectorizes; the position only when there is one)
        let end = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
        let run = &rest[..end];
        self.pos += if run.iter().fold(false, |any, &b| any | (b < 0x20)) {
            run.iter().position(|&b| b < 0x20).unwrap_or(end)
        } else {
            end
        };
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let hex = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.err("truncated \\u escape"))?;
        let v = u32::from_str_radix(hex, 16).map_err(|_| self.err("invalid \\u escape"))?;
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.src[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let lo = self.hex4()?;
                if (0xDC00..0xE000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(c).ok_or_else(|| self.err("invalid \\u escape"));
                }
            }
            return Err(self.err("unpaired surrogate in \\u escape"));
        }
        char::from_u32(hi).ok_or_else(|| self.err("unpaired surrogate in \\u escape"))
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        self.pos += 1;
        let base = self.nodes.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(Vec::new()));
        }
        loop {
            self.skip_ws();
            let item = self.value(depth + 1)?;
            self.nodes.push(item);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        return Err(self.err("trailing comma in array"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(self.nodes.drain(base..).collect()));
                }
                _ => return Err(self.err("expected ',' or ']' in array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        self.pos += 1;
        let base = self.members.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Vec::new()));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.err(if self.members.len() == base {
                    "expected a string key in object"
                } else {
                    "expected a string key in object (trailing comma?)"
                }));
            }
            let key_offset = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after object key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            self.members.push(Member {
                key,
                key_offset,
                value,
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(self.members.drain(base..).collect()));
                }
                _ => return Err(self.err("expected ',' or '}' in object")),
            }
        }
    }
}

/// Removes the white space between JSON tokens of `raw` (valid JSON), keeping strings untouched
/// and everything else as written (numbers, escapes, key order): what a size quota that does not
/// count that white space measures, and what the conformance stream sends on one line.
pub fn minify(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in raw.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Maps byte offsets of a text to 1-based lines and columns (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            line_starts: line_starts(text),
        }
    }

    /// The 1-based (line, column) of a byte offset.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        position(self.text, &self.line_starts, offset)
    }
}

/// The byte offset of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    #[cfg(debug_assertions)]
    builds::count(text.len());
    let mut starts = vec![0];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

/// The 1-based (line, column) of a byte offset of `text`, whose lines start at `line_starts`.
fn position(text: &str, line_starts: &[usize], offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let line = match line_starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    let start = line_starts.get(line).copied().unwrap_or(0);
    let column = text
        .get(start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(offset - start);
    (to_u32(line + 1), to_u32(column + 1))
}

/// A text that inputs are read from, and where it sits in its file: the lines and columns of byte
/// offsets in it are computed on demand, with its line index built at the first position asked for
/// (an input that has no error never builds one) and kept for the next.
#[derive(Debug)]
pub struct SourceText<'a> {
    text: &'a str,
    /// How many lines of the file come before the text (which then starts at a line's start).
    lines_before: u32,
    /// The byte offset of each line's start, found at the first position asked for.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl<'a> SourceText<'a> {
    /// A whole text (a file, an input).
    pub fn new(text: &'a str) -> Self {
        SourceText::at_line(text, 1)
    }

    /// A text that starts at the start of line `line` (1-based) of its file: a line, or a run of
    /// lines, read from a stream.
    pub fn at_line(text: &'a str, line: u32) -> Self {
        SourceText {
            text,
            lines_before: line.saturating_sub(1),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// The text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The 1-based (line, column) in the file of a byte offset of the text (columns count
    /// characters): the same as a line index of the whole file gives.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let starts = self.line_starts.get_or_init(|| line_starts(self.text));
        let (line, column) = position(self.text, starts, offset);
        (line.saturating_add(self.lines_before), column)
    }

    /// The byte offset of `part` in the text, when `part` is a slice of it.
    pub fn offset_of(&self, part: &str) -> Option<usize> {
        let start = self.text.as_ptr() as usize;
        let p = part.as_ptr() as usize;
        (p >= start && p + part.len() <= start + self.text.len()).then(|| p - start)
    }
}

/// How many line indexes this thread built, and over how many bytes: a debug-build counter, for
/// the tests that show errors are located without indexing a file once per case.
#[cfg(debug_assertions)]
pub mod builds {
    use std::cell::Cell;

    thread_local! {
        static BUILT: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    }

    pub(super) fn count(bytes: usize) {
        BUILT.with(|b| {
            let (n, total) = b.get();
            b.set((n + 1, total + bytes));
        });
    }

    /// The line indexes built by this thread so far, and the bytes they indexed in all.
    pub fn so_far() -> (usize, usize) {
        BUILT.with(Cell::get)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_keeps_duplicates_and_offsets() {
        let n = parse(r#" {"a": [1, "x\u0041"], "a": null} "#).unwrap();
        let Value::Object(m) = n.value else { panic!() };
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].key_offset, 2);
        assert_eq!(
            m[0].value.value,
            Value::Array(vec![
                Node {
                    offset: 8,
                    value: Value::Number("1")
                },
                Node {
                    offset: 11,
                    value: Value::String("xA".into())
                }
            ])
        );
    }

    #[test]
    fn rejects_what_strict_json_rejects() {
        for bad in [
            "",
            "{",
            "[1,]",
            r#"{"a":1,}"#,
            "{} {}",
            "01",
            "1.",
            r#""\ud800""#,
            "nul",
            "'a'",
            "{\"a\"\n:1 // c\n}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn line_index_counts_characters() {
        let text = "a\né€x\ny";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(text.find('x').unwrap()), (2, 3));
        assert_eq!(idx.position(text.find('y').unwrap()), (3, 1));
    }

    #[test]
    fn a_source_text_placed_in_its_file_gives_the_file_positions() {
        let file = "{\"a\": 1}\n  {\"é\": [1,\n 2, x]}\n";
        let whole = LineIndex::new(file);
        let second = &file[file.find('\n').unwrap() + 1..];
        let part = SourceText::at_line(second, 2);
        let base = file.len() - second.len();
        for (o, _) in second.char_indices() {
            assert_eq!(part.position(o), whole.position(base + o), "offset {o}");
        }
        assert_eq!(part.offset_of(&second[2..4]), Some(2));
        assert_eq!(part.offset_of("elsewhere"), None);
    }

    #[test]
    #[cfg(debug_assertions)]
    fn a_source_text_builds_its_index_once_and_only_when_asked() {
        let before = builds::so_far();
        let s = SourceText::new("a\nb\nc");
        assert_eq!(builds::so_far(), before);
        assert_eq!(s.position(4), (3, 1));
        assert_eq!(s.position(2), (2, 1));
        assert_eq!(builds::so_far(), (before.0 + 1, before.1 + 5));
    }
}

//! Reading files, standard input and the lines of a stream under the limits of
//! `iamkit_core::limits`, never holding more than the limit in memory: past it, the reader stops
//! and the caller answers `IAM_INPUT_TOO_LARGE`.

use std::io::{BufRead, Read};

use iamkit_core::limits::too_large;
use iamkit_core::{Error, ErrorCode};

/// Reads all of `r` as UTF-8 text of at most `max` bytes; `name` names it in errors (a file that
/// cannot be read, or is not UTF-8, is `IAM_IO`; a larger one `IAM_INPUT_TOO_LARGE`). `len` is its
/// size when known beforehand (a file's), to refuse it without reading.
pub(crate) fn read_text(
    r: impl Read,
    name: &str,
    len: Option<u64>,
    max: usize,
) -> Result<String, Error> {
    let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("cannot read {name}: {e}"));
    if let Some(n) = len.filter(|&n| n > max as u64) {
        return Err(too_large(name, usize::try_from(n).ok(), max));
    }
    let mut bytes = Vec::new();
    r.take(max as u64 + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > max {
        return Err(too_large(name, None, max));
    }
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("stream did not contain valid UTF-8: {}", e.utf8_error()),
        ))
    })
}

/// One line of a stream, without its line ending (`\n` or `\r\n`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// A line of at most the limit.
    Text(String),
    /// A longer line, skipped: its length in bytes.
    TooLong(usize),
}

/// The next line of `r` (`None` at the end), holding at most `max` bytes of it (plus its line
/// ending): a longer line is read past without being kept. A line that is not UTF-8 is an
/// `InvalidData` error, as `BufRead::lines` makes it.
pub(crate) fn next_line(r: &mut impl BufRead, max: usize) -> std::io::Result<Option<Line>> {
    let mut buf = Vec::new();
    // room for the line, `\r\n`, and one byte more to tell a longer line
    let cap = max + 3;
    let n = r.take(cap as u64).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    let ended = buf.last() == Some(&b'\n');
    if !ended && n == cap {
        return Ok(Some(Line::TooLong(n + skip_line(r)?)));
    }
    if ended {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.len() > max {
        return Ok(Some(Line::TooLong(buf.len())));
    }
    String::from_utf8(buf)
        .map(|s| Some(Line::Text(s)))
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            )
        })
}

/// Reads past the rest of a line and its `\n`, keeping nothing: how many bytes before the `\n`.
fn skip_line(r: &mut impl BufRead) -> std::io::Result<usize> {
    let mut skipped = 0;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                r.consume(i + 1);
                return Ok(skipped + i);
            }
            None => {
                let n = buf.len();
                r.consume(n);
                skipped += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use iamkit_core::limits::{MAX_FILE_BYTES, MAX_LINE_BYTES};

    fn lines(text: &[u8], max: usize) -> Vec<Line> {
        let mut r = std::io::BufReader::with_capacity(4, text);
        let mut out = Vec::new();
        while let Some(l) = next_line(&mut r, max).unwrap() {
            out.push(l);
        }
        out
    }

    #[test]
    fn lines_up_to_the_limit_are_read_and_longer_ones_skipped() {
        use Line::{Text, TooLong};
        let t = |s: &str| Text(s.to_string());
        assert_eq!(
            lines(b"abc\r\nabcd\nab\n\nabcdefghij\nxyz", 3),
            [t("abc"), TooLong(4), t("ab"), t(""), TooLong(10), t("xyz")]
        );
        assert_eq!(lines(b"abcd", 3), [TooLong(4)]);
        assert_eq!(lines(b"abcdef\r\nab", 3), [TooLong(7), t("ab")]);
        assert_eq!(lines(b"abc\r", 3), [TooLong(4)]);
        assert_eq!(lines(b"", 3), []);
        let mut r = std::io::BufReader::new(&b"a\xffb\nok\n"[..]);
        assert!(next_line(&mut r, 10).is_err());
    }

    #[test]
    fn a_line_at_the_real_limit_is_read() {
        let mut text = vec![b' '; MAX_LINE_BYTES];
        text.extend_from_slice(b"\r\n");
        text.extend(std::iter::repeat_n(b' ', MAX_LINE_BYTES + 1));
        text.push(b'\n');
        let got = lines(&text, MAX_LINE_BYTES);
        assert!(matches!(&got[0], Line::Text(s) if s.len() == MAX_LINE_BYTES));
        assert_eq!(got[1], Line::TooLong(MAX_LINE_BYTES + 1));
    }

    #[test]
    fn files_up_to_the_limit_are_read() {
        assert_eq!(read_text(&b"abc"[..], "x", None, 3).unwrap(), "abc");
        let e = read_text(&b"abcd"[..], "`x`", None, 3).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputTooLarge);
        assert_eq!(
            e.message(),
            "`x` is more than 3 bytes; the limit is 3 bytes"
        );
        let e = read_text(&b""[..], "`x`", Some(4), 3).unwrap_err();
        assert_eq!(e.message(), "`x` is 4 bytes; the limit is 3 bytes");
        assert_eq!(
            read_text(&b"\xff"[..], "x", None, 3).unwrap_err().code(),
            ErrorCode::Io
        );
        let at = vec![b' '; MAX_FILE_BYTES];
        assert_eq!(
            read_text(&at[..], "x", None, MAX_FILE_BYTES).unwrap().len(),
            MAX_FILE_BYTES
        );
        let over = vec![b' '; MAX_FILE_BYTES + 1];
        let e = read_text(&over[..], "x", None, MAX_FILE_BYTES).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InputTooLarge);
    }
}

//! A plain request handed over as one string of fields, read straight into a core request: the
//! hot path of `PolicySet.decide` and `PolicySet.evaluate` (one N-API string, no JSON text written
//! in JavaScript and read back here).
//!
//! `index.js` writes the fields only for a plain request (the wire request's members; strings; a
//! plain context of strings, booleans and safe integers, or arrays of them), joined by NUL
//! (`\0`, which no field may hold):
//!
//! ```text
//! principal NUL action NUL resource NUL account-or-empty-marker [NUL key NUL count NUL value...]...
//! ```
//!
//! The account field is `-` for none or `=` followed by the account. Each context key is followed
//! by `1` and its value (a single value) or `*N` and its N values (a list, even of one). Values
//! are text as JSON writes them (`true`, `false`, decimal digits). Anything this reader does not
//! accept, and any request the core refuses, is `None`: `index.js` then takes the JSON path, whose
//! one reader gives every error.

use iamkit_core::{ContextValue, Request};

/// The request the fields hold, when they are well formed and the request builds.
pub(crate) fn request(fields: &str) -> Option<Request> {
    let mut it = Fields { rest: Some(fields) };
    let principal = it.next()?;
    let action = it.next()?;
    let resource = it.next()?;
    let account = it.next()?;
    // a context key takes at least three fields: room for as many as the rest can hold
    let keys = it
        .rest
        .map_or(0, |r| r.bytes().filter(|&b| b == 0).count() / 3);
    let mut b = Request::builder(principal, action, resource).context_capacity(keys);
    match account.as_bytes().first()? {
        b'-' if account.len() == 1 => {}
        b'=' => b = b.resource_account(&account[1..]),
        _ => return None,
    }
    while let Some(key) = it.next() {
        let count = it.next()?;
        if count == "1" {
            b = b.context_values(key, [ContextValue::from_text(it.next()?)], false);
        } else {
            let n: usize = count.strip_prefix('*')?.parse().ok()?;
            let values = (0..n)
                .map(|_| it.next().map(ContextValue::from_text))
                .collect::<Option<Vec<ContextValue>>>()?;
            b = b.context_values(key, values, true);
        }
    }
    b.build().ok()
}

/// The fields of a text, split at NUL by a byte loop (fields are short: a searcher costs more to
/// set up than to run).
struct Fields<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == 0) {
            Some(i) => {
                self.rest = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_fields_and_declines_the_rest() {
        let r = super::request(
            "arn:aws:iam::111122223333:user/a\0s3:GetObject\0arn:aws:s3:::b/k\0=444455556666\0aws:SecureTransport\x001\0true\0aws:TagKeys\0*2\0a\x007",
        )
        .unwrap();
        assert_eq!(r.resource_account.as_deref(), Some("444455556666"));
        let tags = r.context.get("aws:tagkeys").unwrap();
        assert!(tags.multivalued && tags.values.len() == 2);
        assert!(super::request(
            "arn:aws:iam::111122223333:user/a\0s3:GetObject\0arn:aws:s3:::b/k\0-"
        )
        .is_some());
        for bad in [
            "",
            "a\0b\0c",
            "arn:aws:iam::111122223333:user/a\0s3:GetObject\0arn:aws:s3:::b/k\0x",
            "arn:aws:iam::111122223333:user/a\0s3:GetObject\0arn:aws:s3:::b/k\0-\0k\0*3\0a",
            "arn:aws:iam::111122223333:user/a\0s3:GetObject\0arn:aws:s3:::b/k\0-\0k\x002\0a",
            "alice\0s3:GetObject\0arn:aws:s3:::b/k\0-",
        ] {
            assert!(super::request(bad).is_none(), "{bad:?}");
        }
    }
}

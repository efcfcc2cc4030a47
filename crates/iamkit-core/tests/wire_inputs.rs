//! The wire reader as every surface meets it (`wire::call`, `Handle::open`, `Handle::call`,
//! `Session`): an array where an object is expected is refused with `IAM_INPUT_SCHEMA` at every
//! depth and in every call of every table; documents stay borrowed from the input; and the limits
//! of `iamkit_core::limits` hold at their boundaries (exactly at the limit passes, one over is
//! refused with its code).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use iamkit_core::limits::{MAX_INPUT_BYTES, MAX_INPUT_DEPTH, MAX_LINE_BYTES};
use iamkit_core::wire::{
    self, AccountCall, Call, EvaluateBatchInput, EvaluateInput, Handle, PolicySetCall,
    ValidateInput,
};
use iamkit_core::{Error, ErrorCode};

const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;
const REQUEST: &str = r#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:DeleteBucket", "resource": "arn:aws:s3:::prod"}"#;
const DETAILS: &str = r#"{"details": {"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice"}], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}}"#;

fn code(r: Result<impl std::fmt::Debug, Error>) -> ErrorCode {
    match r {
        Ok(a) => panic!("expected an error, got {a:?}"),
        Err(e) => e.code(),
    }
}

fn policy_set() -> Handle {
    Handle::open("policySet", &format!(r#"{{"identity": [{ALLOW_ALL}]}}"#)).unwrap()
}

fn account() -> Handle {
    Handle::open("account", DETAILS).unwrap()
}

/// The issue's reproduction: a request and a policy list written as arrays were read by position
/// and allowed.
#[test]
fn the_positional_reproduction_is_refused() {
    let input = format!(
        r#"{{"request": ["arn:aws:iam::111122223333:user/alice", "s3:DeleteBucket", "arn:aws:s3:::prod"], "policies": [[{ALLOW_ALL}]]}}"#
    );
    let e = wire::call("evaluate", &input).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InputSchema, "{e}");
    let at = e.location().unwrap();
    assert_eq!((at.line, at.column), (Some(1), Some(12)), "{e}");
    // the same request as an object is allowed, so it is the shape that is refused
    let fixed = format!(r#"{{"request": {REQUEST}, "policies": {{"identity": [{ALLOW_ALL}]}}}}"#);
    let answer = wire::call_json("evaluate", &fixed).unwrap();
    assert!(answer.contains(r#""decision":"allowed""#), "{answer}");
    // a policy set opened from an array, and a request as an array on it
    assert_eq!(
        code(Handle::open("policySet", "[]")),
        ErrorCode::InputSchema
    );
    assert_eq!(
        code(Handle::open("policySet", &format!("[[{ALLOW_ALL}]]"))),
        ErrorCode::InputSchema
    );
    let set = policy_set();
    let positional =
        r#"["arn:aws:iam::111122223333:user/alice", "s3:DeleteBucket", "arn:aws:s3:::prod"]"#;
    assert_eq!(code(set.call("decide", positional)), ErrorCode::InputSchema);
    assert_eq!(code(wire::read_request(positional)), ErrorCode::InputSchema);
}

/// Every call of every table, and every handle kind, given an array for its input object.
#[test]
fn an_array_for_any_input_is_refused() {
    let arrays = [
        "[]",
        "[{}]",
        "[1, 2, 3]",
        r#"["arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*"]"#,
    ];
    let (set, acct) = (policy_set(), account());
    for input in arrays {
        for name in Call::NAMES {
            assert_eq!(
                code(wire::call(name, input)),
                ErrorCode::InputSchema,
                "{name} {input}"
            );
        }
        for name in PolicySetCall::NAMES {
            assert_eq!(
                code(set.call(name, input)),
                ErrorCode::InputSchema,
                "{name} {input}"
            );
        }
        for name in AccountCall::NAMES {
            assert_eq!(
                code(acct.call(name, input)),
                ErrorCode::InputSchema,
                "{name} {input}"
            );
        }
        for kind in Handle::KINDS {
            assert_eq!(
                code(Handle::open(kind, input)),
                ErrorCode::InputSchema,
                "{kind} {input}"
            );
        }
    }
}

/// Arrays where an object is expected, below the input's top level.
#[test]
fn an_array_for_a_nested_object_is_refused() {
    let policies = format!(r#"{{"identity": [{ALLOW_ALL}]}}"#);
    let calls = [
        format!(r#"{{"request": ["a", "s3:GetObject", "*"], "policies": {policies}}}"#),
        format!(r#"{{"request": {REQUEST}, "policies": [[{ALLOW_ALL}]]}}"#),
        format!(r#"{{"request": {REQUEST}, "policies": {{"scps": [{ALLOW_ALL}]}}}}"#),
        format!(
            r#"{{"request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "context": [["aws:username", "alice"]]}}, "policies": {policies}}}"#
        ),
    ];
    for input in &calls {
        assert_eq!(
            code(wire::call("evaluate", input)),
            ErrorCode::InputSchema,
            "{input}"
        );
    }
    let audit = [
        r#"{"options": ["2026-01-01T00:00:00Z", 45, 90]}"#,
        r#"{"options": [], "passwordPolicy": "{}"}"#,
    ];
    for input in audit {
        assert_eq!(
            code(wire::call("audit", input)),
            ErrorCode::InputSchema,
            "{input}"
        );
    }
    let acct = account();
    for (name, input) in [
        ("whoCan", format!(r#"{{"action": "s3:GetObject", "resource": "*", "policies": [[{ALLOW_ALL}]]}}"#)),
        ("evaluate", r#"{"principal": "alice", "action": "s3:GetObject", "resource": "*", "policies": [[], []]}"#.to_string()),
        ("whoCanAssume", r#"{"role": "r", "policies": [[]]}"#.to_string()),
    ] {
        assert_eq!(code(acct.call(name, &input)), ErrorCode::InputSchema, "{name} {input}");
    }
    // a batch item is read on its own: its answer is the error, the others are decided
    let batch = policy_set()
        .call_json(
            "evaluateBatch",
            &format!(r#"{{"requests": [["a", "s3:GetObject", "*"], {REQUEST}]}}"#),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&batch).unwrap();
    assert_eq!(v[0]["error"]["code"], "IAM_INPUT_SCHEMA", "{batch}");
    assert_eq!(
        v[0]["error"]["location"]["jsonPath"], "$.requests[0]",
        "{batch}"
    );
    assert_eq!(v[1]["decision"], "allowed", "{batch}");
}

/// The documents an input carries stay slices of the input text (no copy), read strictly or not.
#[test]
fn documents_stay_borrowed() {
    let inside = |text: &str, part: &str| {
        let (start, p) = (text.as_ptr() as usize, part.as_ptr() as usize);
        p >= start && p + part.len() <= start + text.len()
    };
    let text = format!(
        r#"{{"request": {REQUEST}, "policies": {{"identity": [{ALLOW_ALL}], "scps": [[{ALLOW_ALL}]]}}}}"#
    );
    let input: EvaluateInput<'_> = wire::read(&text).unwrap();
    assert_eq!(input.policies.identity[0].raw(), ALLOW_ALL);
    assert!(inside(&text, input.policies.identity[0].raw()));
    assert!(inside(&text, input.policies.scps[0][0].raw()));
    let text = format!(r#"{{"policy": {ALLOW_ALL}}}"#);
    let input: ValidateInput<'_> = wire::read(&text).unwrap();
    assert!(inside(&text, input.policy.raw()));
    let text = format!(r#"{{"requests": [{REQUEST}, [1]]}}"#);
    let input: EvaluateBatchInput<'_> = wire::read(&text).unwrap();
    assert_eq!(input.requests.len(), 2);
    assert!(input.requests.iter().all(|r| inside(&text, r.get())));
}

/// `text` padded with spaces to exactly `len` bytes.
fn padded(text: &str, len: usize) -> String {
    text.to_string() + &" ".repeat(len - text.len())
}

#[test]
fn inputs_up_to_the_size_limit_are_read_and_larger_ones_refused() {
    let validate = format!(r#"{{"policy": {ALLOW_ALL}}}"#);
    let at = padded(&validate, MAX_INPUT_BYTES);
    assert!(wire::call("validate", &at).is_ok());
    let over = padded(&validate, MAX_INPUT_BYTES + 1);
    let e = wire::call("validate", &over).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InputTooLarge, "{e}");
    assert_eq!(
        e.message(),
        "the input is 67108865 bytes; the limit is 67108864 bytes (64 MiB)"
    );
    drop((at, over));

    let open = padded("{}", MAX_INPUT_BYTES);
    assert!(Handle::open("policySet", &open).is_ok());
    let open = padded("{}", MAX_INPUT_BYTES + 1);
    assert_eq!(
        code(Handle::open("policySet", &open)),
        ErrorCode::InputTooLarge
    );
    drop(open);

    let set = policy_set();
    let request = padded(REQUEST, MAX_INPUT_BYTES);
    assert!(set.call("decide", &request).is_ok());
    let request = padded(REQUEST, MAX_INPUT_BYTES + 1);
    assert_eq!(code(set.call("decide", &request)), ErrorCode::InputTooLarge);
}

/// `[[...[1]...]]`: `levels` nested arrays around a number.
fn nested(levels: usize) -> String {
    format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn inputs_up_to_the_depth_limit_are_read_and_deeper_ones_refused() {
    // audit: the input (1) > accountSummary (2) > an extra member nested `k` more
    let audit = |k: usize| {
        format!(
            r#"{{"accountSummary": {{"SummaryMap": {{"AccountMFAEnabled": 1}}, "Extra": {}}}}}"#,
            nested(k)
        )
    };
    assert!(wire::call("audit", &audit(MAX_INPUT_DEPTH - 2)).is_ok());
    let e = wire::call("audit", &audit(MAX_INPUT_DEPTH - 1)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InputJson, "{e}");
    assert_eq!(
        e.message(),
        "the input nests arrays and objects deeper than 100 levels"
    );
    let column = audit(0).find("1}}").unwrap() + MAX_INPUT_DEPTH - 1;
    let at = e.location().unwrap();
    assert_eq!((at.line, at.column), (Some(1), Some(column as u32)), "{e}");

    // an account: the input (1) > details (2) > UserDetailList (3) > a user (4) > CreateDate
    let open = |k: usize| {
        format!(
            r#"{{"details": {{"UserDetailList": [{{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "CreateDate": {}}}]}}}}"#,
            nested(k)
        )
    };
    let acct = Handle::open("account", &open(MAX_INPUT_DEPTH - 4)).unwrap();
    assert!(acct.call("summary", "{}").is_ok());
    assert_eq!(
        code(Handle::open("account", &open(MAX_INPUT_DEPTH - 3))),
        ErrorCode::InputJson
    );

    // a call on a handle: the request (1) > context (2) > a key's value nested `k` more; a nested
    // list is read, then refused as a context value
    let request = |k: usize| {
        format!(
            r#"{{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "*", "context": {{"k": {}}}}}"#,
            nested(k)
        )
    };
    let set = policy_set();
    assert_eq!(
        code(set.call("decide", &request(MAX_INPUT_DEPTH - 2))),
        ErrorCode::RequestContext
    );
    assert_eq!(
        code(set.call("decide", &request(MAX_INPUT_DEPTH - 1))),
        ErrorCode::InputJson
    );
}

/// Far past the limit, in a document (which `serde_json` skips without recursing) and in a typed
/// member: a coded error, no stack overflow, no time to speak of.
#[test]
fn hostile_depth_is_refused_before_parsing() {
    let deep = "[".repeat(1_000_000);
    for (name, input) in [
        ("validate", format!(r#"{{"policy": {deep}"#)),
        (
            "evaluate",
            format!(r#"{{"request": {{"context": {{"k": {deep}"#),
        ),
        ("audit", format!(r#"{{"passwordPolicy": {deep}"#)),
    ] {
        assert_eq!(
            code(wire::call(name, &input)),
            ErrorCode::InputJson,
            "{name}"
        );
    }
    assert_eq!(
        code(Handle::open("account", &format!(r#"{{"details": {deep}"#))),
        ErrorCode::InputJson
    );
}

#[test]
fn lines_up_to_the_size_limit_are_answered_and_longer_ones_refused() {
    let mut session = wire::Session::new();
    let line = format!(r#"{{"id": 1, "call": "validate", "input": {{"policy": {ALLOW_ALL}}}}}"#);
    let answer = session.answer(&padded(&line, MAX_LINE_BYTES)).unwrap();
    assert!(
        answer.starts_with(r#"{"id":1,"answer":{"valid":true"#),
        "{answer}"
    );
    let answer = session.answer(&padded(&line, MAX_LINE_BYTES + 1)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["id"], serde_json::Value::Null, "{answer}");
    assert_eq!(v["error"]["code"], "IAM_INPUT_TOO_LARGE", "{answer}");
    assert_eq!(
        v["error"]["message"],
        "the line is 68157441 bytes; the limit is 68157440 bytes (65 MiB)"
    );
    // the session goes on, and an input deeper than the limit is its call's error
    let deep = format!(
        r#"{{"id": 2, "call": "audit", "input": {{"accountSummary": {}}}}}"#,
        nested(MAX_INPUT_DEPTH)
    );
    let answer = session.answer(&deep).unwrap();
    assert!(
        answer.starts_with(r#"{"id":2,"error":{"code":"IAM_INPUT_JSON""#),
        "{answer}"
    );
}

//! The C ABI called as C calls it, written to run under Miri (`cargo +nightly miri test -p
//! iamkit-capi --lib`), which checks every pointer the boundary reads and writes, that every
//! string and handle it hands out is freed exactly once (a leak fails the run), and that a handle
//! shared between threads has no data race. The calls stay small (`validate`, a one-statement
//! policy set, a one-user account): Miri interprets every instruction, and the embedded catalog's
//! parse alone would take it many minutes.

#![allow(clippy::undocumented_unsafe_blocks)] // every call passes pointers made right here

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use crate::{
    iamkit_call, iamkit_handle_call, iamkit_handle_free, iamkit_handle_kind, iamkit_open,
    iamkit_string_free, iamkit_version, IamkitHandle, IamkitStatus,
};

const POLICY: &CStr =
    cr#"{"policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}"#;
const POLICIES: &CStr = cr#"{"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]}"#;
const REQUEST: &CStr = cr#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}"#;
const DENIED: &CStr = cr#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject", "resource": "arn:aws:s3:::b/k"}"#;
const ACCOUNT: &CStr = cr#"{"details": {"UserDetailList": [{"UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::111122223333:user/alice", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]}]}}"#;
/// `validate` and its input, as bytes that are not UTF-8.
const NOT_UTF8: &[u8] = b"valid\xffate\0";

/// A pointer that no call may write over (the outputs are written only on their outcome).
fn sentinel() -> *mut c_char {
    ptr::NonNull::dangling().as_ptr()
}

/// Takes ownership of a string iamkit returned: its text, then frees it (once).
fn take(s: *mut c_char) -> String {
    assert!(!s.is_null() && s != sentinel(), "no string was written");
    let text = unsafe { CStr::from_ptr(s) }
        .to_str()
        .expect("iamkit writes UTF-8")
        .to_string();
    unsafe { iamkit_string_free(s) };
    text
}

/// The code of an error JSON iamkit returned (freed).
fn code(error: *mut c_char) -> String {
    let v: serde_json::Value = serde_json::from_str(&take(error)).expect("the error is JSON");
    v["code"]
        .as_str()
        .expect("the error has a code")
        .to_string()
}

/// Calls `iamkit_call`; the status, the answer (freed) and the error's code (freed).
fn call(
    name: *const c_char,
    input: *const c_char,
) -> (IamkitStatus, Option<String>, Option<String>) {
    let (mut out, mut err) = (sentinel(), sentinel());
    let status = unsafe { iamkit_call(name, input, &mut out, &mut err) };
    outcome(status, out, err)
}

fn outcome(
    status: IamkitStatus,
    out: *mut c_char,
    err: *mut c_char,
) -> (IamkitStatus, Option<String>, Option<String>) {
    if status == IamkitStatus::Ok {
        assert_eq!(err, sentinel(), "an error was written on success");
        (status, Some(take(out)), None)
    } else {
        assert_eq!(out, sentinel(), "an answer was written on failure");
        (status, None, Some(code(err)))
    }
}

fn open(kind: &CStr, input: &CStr) -> *mut IamkitHandle {
    let (mut h, mut err) = (ptr::null_mut(), sentinel());
    let status = unsafe { iamkit_open(kind.as_ptr(), input.as_ptr(), &mut h, &mut err) };
    assert_eq!(status, IamkitStatus::Ok, "{}", code(err));
    assert_eq!(err, sentinel());
    assert!(!h.is_null());
    h
}

fn handle_call(
    h: *const IamkitHandle,
    name: *const c_char,
    input: *const c_char,
) -> (IamkitStatus, Option<String>, Option<String>) {
    let (mut out, mut err) = (sentinel(), sentinel());
    let status = unsafe { iamkit_handle_call(h, name, input, &mut out, &mut err) };
    outcome(status, out, err)
}

#[test]
fn the_version_is_a_static_string() {
    let v = unsafe { CStr::from_ptr(iamkit_version()) };
    assert_eq!(v.to_str(), Ok(env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_call_answers_and_its_answer_is_freed_once() {
    let (status, answer, _) = call(c"validate".as_ptr(), POLICY.as_ptr());
    assert_eq!(status, IamkitStatus::Ok);
    let answer = answer.unwrap();
    assert!(answer.starts_with(r#"{"valid":true"#), "{answer}");
}

#[test]
fn refused_inputs_are_coded_errors() {
    let cases: [(&CStr, &CStr, IamkitStatus, &str); 4] = [
        (
            c"nope",
            c"{}",
            IamkitStatus::InvalidArgument,
            "IAM_INVALID_ARGUMENT",
        ),
        (c"validate", c"{", IamkitStatus::Input, "IAM_INPUT_JSON"),
        (c"validate", c"{}", IamkitStatus::Input, "IAM_INPUT_SCHEMA"),
        // an array where the input object is: never read by position
        (
            c"validate",
            c"[{}, \"identity\"]",
            IamkitStatus::Input,
            "IAM_INPUT_SCHEMA",
        ),
    ];
    for (name, input, status, expected) in cases {
        let (got, _, err) = call(name.as_ptr(), input.as_ptr());
        assert_eq!(got, status, "{name:?} {input:?}");
        assert_eq!(err.as_deref(), Some(expected), "{name:?} {input:?}");
    }
    // nested one level past the limit: refused before it is parsed
    let deep = iamkit_core::limits::MAX_INPUT_DEPTH + 1;
    let input = CString::new(format!(r#"{{"policy": {}}}"#, "[".repeat(deep))).unwrap();
    let (status, _, err) = call(c"validate".as_ptr(), input.as_ptr());
    assert_eq!(
        (status, err.as_deref()),
        (IamkitStatus::Input, Some("IAM_INPUT_JSON"))
    );
}

#[test]
fn null_and_non_utf8_arguments_are_invalid_arguments() {
    let not_utf8 = NOT_UTF8.as_ptr().cast::<c_char>();
    for (name, input) in [
        (ptr::null(), POLICY.as_ptr()),
        (c"validate".as_ptr(), ptr::null()),
        (not_utf8, POLICY.as_ptr()),
        (c"validate".as_ptr(), not_utf8),
    ] {
        let (status, _, err) = call(name, input);
        assert_eq!(status, IamkitStatus::InvalidArgument);
        assert_eq!(err.as_deref(), Some("IAM_INVALID_ARGUMENT"));
    }
    // no place for the answer: an error, written where asked
    let mut err = sentinel();
    let status = unsafe {
        iamkit_call(
            c"validate".as_ptr(),
            POLICY.as_ptr(),
            ptr::null_mut(),
            &mut err,
        )
    };
    assert_eq!(status, IamkitStatus::InvalidArgument);
    assert_eq!(code(err), "IAM_INVALID_ARGUMENT");
    // no place for the error either: the status alone, nothing written, nothing leaked
    let status = unsafe {
        iamkit_call(
            c"nope".as_ptr(),
            POLICY.as_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    assert_eq!(status, IamkitStatus::InvalidArgument);
    let mut out = sentinel();
    let status = unsafe {
        iamkit_call(
            c"validate".as_ptr(),
            POLICY.as_ptr(),
            &mut out,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, IamkitStatus::Ok);
    take(out);
}

#[test]
fn a_policy_set_opens_answers_and_is_freed() {
    let h = open(c"policySet", POLICIES);
    let kind = unsafe { CStr::from_ptr(iamkit_handle_kind(h)) };
    assert_eq!(kind, c"policySet");
    let (status, answer, _) = handle_call(h, c"decide".as_ptr(), REQUEST.as_ptr());
    assert_eq!(
        (status, answer.as_deref()),
        (IamkitStatus::Ok, Some(r#"{"decision":"allowed"}"#))
    );
    let (_, answer, _) = handle_call(h, c"decide".as_ptr(), DENIED.as_ptr());
    assert_eq!(answer.as_deref(), Some(r#"{"decision":"implicitDeny"}"#));
    let (status, answer, _) = handle_call(h, c"evaluate".as_ptr(), REQUEST.as_ptr());
    assert_eq!(status, IamkitStatus::Ok);
    assert!(answer.unwrap().contains(r#""grantedBy":"identity""#));
    // errors on the handle: an unknown call, a request written as an array, NULL and non-UTF-8
    let (status, _, err) = handle_call(h, c"nope".as_ptr(), REQUEST.as_ptr());
    assert_eq!(
        (status, err.as_deref()),
        (IamkitStatus::InvalidArgument, Some("IAM_INVALID_ARGUMENT"))
    );
    let positional = cr#"["arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*"]"#;
    let (status, _, err) = handle_call(h, c"decide".as_ptr(), positional.as_ptr());
    assert_eq!(
        (status, err.as_deref()),
        (IamkitStatus::Input, Some("IAM_INPUT_SCHEMA"))
    );
    for (name, input) in [
        (ptr::null(), REQUEST.as_ptr()),
        (c"decide".as_ptr(), ptr::null()),
        (NOT_UTF8.as_ptr().cast(), REQUEST.as_ptr()),
        (c"decide".as_ptr(), NOT_UTF8.as_ptr().cast()),
    ] {
        let (status, _, err) = handle_call(h, name, input);
        assert_eq!(
            (status, err.as_deref()),
            (IamkitStatus::InvalidArgument, Some("IAM_INVALID_ARGUMENT"))
        );
    }
    unsafe { iamkit_handle_free(h) };
}

#[test]
#[cfg_attr(miri, ignore)] // reads a folder: Miri's isolation has no file system
fn an_organization_opens_with_its_own_kind() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-org");
    let input = std::ffi::CString::new(serde_json::json!({ "path": path }).to_string()).unwrap();
    let h = open(c"organization", &input);
    assert_eq!(
        unsafe { CStr::from_ptr(iamkit_handle_kind(h)) },
        c"organization"
    );
    let (status, answer, _) = handle_call(h, c"members".as_ptr(), c"{}".as_ptr());
    assert_eq!(status, IamkitStatus::Ok);
    assert!(answer.unwrap().contains("\"222222222222\""));
    unsafe { iamkit_handle_free(h) };
}

#[test]
fn an_account_opens_answers_and_is_freed() {
    let h = open(c"account", ACCOUNT);
    assert_eq!(unsafe { CStr::from_ptr(iamkit_handle_kind(h)) }, c"account");
    let (status, answer, _) = handle_call(
        h,
        c"isAdministrator".as_ptr(),
        cr#"{"principal": "alice"}"#.as_ptr(),
    );
    assert_eq!(
        (status, answer.as_deref()),
        (IamkitStatus::Ok, Some(r#"{"administrator":true}"#))
    );
    let (status, _, err) = handle_call(
        h,
        c"principal".as_ptr(),
        cr#"{"principal": "bob"}"#.as_ptr(),
    );
    assert_eq!(
        (status, err.as_deref()),
        (IamkitStatus::Input, Some("IAM_ACCOUNT_PRINCIPAL"))
    );
    unsafe { iamkit_handle_free(h) };
}

#[test]
fn a_failed_open_writes_no_handle() {
    let cases: [(*const c_char, *const c_char, IamkitStatus, &str); 6] = [
        (
            c"nope".as_ptr(),
            POLICIES.as_ptr(),
            IamkitStatus::InvalidArgument,
            "IAM_INVALID_ARGUMENT",
        ),
        (
            c"policySet".as_ptr(),
            c"[]".as_ptr(),
            IamkitStatus::Input,
            "IAM_INPUT_SCHEMA",
        ),
        (
            c"account".as_ptr(),
            c"[{}]".as_ptr(),
            IamkitStatus::Input,
            "IAM_INPUT_SCHEMA",
        ),
        (
            ptr::null(),
            POLICIES.as_ptr(),
            IamkitStatus::InvalidArgument,
            "IAM_INVALID_ARGUMENT",
        ),
        (
            c"policySet".as_ptr(),
            ptr::null(),
            IamkitStatus::InvalidArgument,
            "IAM_INVALID_ARGUMENT",
        ),
        (
            c"policySet".as_ptr(),
            NOT_UTF8.as_ptr().cast(),
            IamkitStatus::InvalidArgument,
            "IAM_INVALID_ARGUMENT",
        ),
    ];
    for (kind, input, status, expected) in cases {
        let (mut h, mut err) = (ptr::null_mut(), sentinel());
        let got = unsafe { iamkit_open(kind, input, &mut h, &mut err) };
        assert_eq!(got, status);
        assert!(h.is_null(), "a handle was written on failure");
        assert_eq!(code(err), expected);
    }
    let mut err = sentinel();
    let status = unsafe {
        iamkit_open(
            c"policySet".as_ptr(),
            POLICIES.as_ptr(),
            ptr::null_mut(),
            &mut err,
        )
    };
    assert_eq!(status, IamkitStatus::InvalidArgument);
    assert_eq!(code(err), "IAM_INVALID_ARGUMENT");
}

#[test]
fn null_handles_are_refused_or_ignored() {
    let (status, _, err) = handle_call(ptr::null(), c"decide".as_ptr(), REQUEST.as_ptr());
    assert_eq!(
        (status, err.as_deref()),
        (IamkitStatus::InvalidArgument, Some("IAM_INVALID_ARGUMENT"))
    );
    assert!(unsafe { iamkit_handle_kind(ptr::null()) }.is_null());
    unsafe { iamkit_handle_free(ptr::null_mut()) };
    unsafe { iamkit_string_free(ptr::null_mut()) };
}

/// One handle, called from several threads at once (the header's promise for a const handle);
/// Miri checks that no call races another.
#[test]
fn a_handle_is_shared_between_threads() {
    struct Shared(*const IamkitHandle);
    // SAFETY: the header promises a const IamkitHandle* may be used from many threads at once
    unsafe impl Sync for Shared {}
    let h = open(c"policySet", POLICIES);
    let shared = Shared(h);
    std::thread::scope(|s| {
        for request in [REQUEST, DENIED] {
            let shared = &shared;
            s.spawn(move || {
                let (status, answer, _) =
                    handle_call(shared.0, c"decide".as_ptr(), request.as_ptr());
                assert_eq!(status, IamkitStatus::Ok);
                assert!(answer.unwrap().starts_with(r#"{"decision":"#));
            });
        }
    });
    unsafe { iamkit_handle_free(h) };
}

/// Inputs made at run time (a `CString` per call), freed by the caller while the answers it got
/// stay owned by iamkit's allocations until freed.
#[test]
fn answers_outlive_their_inputs() {
    let mut answers = Vec::new();
    for i in 0..3 {
        let input = CString::new(format!(
            r#"{{"policy": {{"Version": "2012-10-17", "Statement": [{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}}}}"#
        ))
        .unwrap();
        let (mut out, mut err) = (sentinel(), sentinel());
        let status =
            unsafe { iamkit_call(c"validate".as_ptr(), input.as_ptr(), &mut out, &mut err) };
        assert_eq!(status, IamkitStatus::Ok);
        drop(input);
        answers.push(out);
    }
    for out in answers {
        assert!(take(out).starts_with(r#"{"valid":true"#));
    }
}

/// The embedded catalog is parsed on first use: fast natively, far too slow under Miri.
#[test]
#[cfg_attr(
    miri,
    ignore = "parses the embedded catalog (1.3 MB): minutes under Miri"
)]
fn a_catalog_call_answers() {
    let (status, answer, _) = call(
        c"lookupAction".as_ptr(),
        cr#"{"action": "s3:getobject"}"#.as_ptr(),
    );
    assert_eq!(status, IamkitStatus::Ok);
    assert!(answer.unwrap().contains(r#""action":"s3:GetObject""#));
}

/// An input at the size limit is read (and one byte over refused): 64 MiB, too much for Miri.
#[test]
#[cfg_attr(miri, ignore = "a 64 MiB input: hours under Miri")]
fn inputs_up_to_the_size_limit_are_read() {
    let max = iamkit_core::limits::MAX_INPUT_BYTES;
    let body = r#"{"policy": {"Version": "2012-10-17", "Statement": []}}"#;
    let at = CString::new(format!("{body}{}", " ".repeat(max - body.len()))).unwrap();
    let (status, _, _) = call(c"validate".as_ptr(), at.as_ptr());
    assert_eq!(status, IamkitStatus::Ok);
    let over = CString::new(format!("{body}{}", " ".repeat(max + 1 - body.len()))).unwrap();
    let (status, _, err) = call(c"validate".as_ptr(), over.as_ptr());
    assert_eq!(
        (status, err.as_deref()),
        (IamkitStatus::Input, Some("IAM_INPUT_TOO_LARGE"))
    );
}

//! Loading `get-account-authorization-details` output, then the account's queries: never a
//! panic, and an administrator is never someone with a conflicting or unreadable dependency.
#![no_main]
use iamkit_core::{Account, AccountQuery};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(account) = Account::from_json_str(text) else {
        return;
    };
    let summary = account.summary();
    for admin in &summary.administrators {
        let p = account.principal(admin).expect("an administrator is a principal");
        assert!(p.incomplete.is_empty(), "{admin} is an administrator with unknown policies");
    }
    let q = AccountQuery::new("s3:GetObject", "arn:aws:s3:::bucket/key");
    let _ = account.who_can(&q, None);
    for p in account.principals().iter().take(4) {
        let _ = account.evaluate(&p.arn, &q);
        let _ = account.effective_permissions(&p.arn, None);
    }
    for r in account.roles().iter().take(2) {
        let _ = account.who_can_assume(&r.arn, &q);
    }
});

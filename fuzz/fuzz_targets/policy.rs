//! Policy parse + validate, as every policy type: never a panic, and a document the validator
//! accepts compiles into a policy set.
#![no_main]
use iamkit_core::{parse_policy, PolicySet, PolicyType};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for ty in [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Trust,
        PolicyType::Scp,
        PolicyType::Rcp,
    ] {
        let parsed = parse_policy(text, ty);
        if ty == PolicyType::Identity && parsed.policy.is_some() && parsed.is_valid() {
            let mut set = PolicySet::new();
            assert!(set.add_identity(text).is_ok(), "valid but not compiled: {text}");
        }
    }
});

//! The service catalog loaders (iamkit's compact form and the service reference JSON).
#![no_main]
use iamkit_core::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for catalog in [Catalog::from_compact(text), Catalog::from_json_str(text)]
        .into_iter()
        .flatten()
    {
        let _ = catalog.expand("s3:Get*");
        for s in catalog.services.iter().take(2) {
            let _ = catalog.service(&s.prefix);
        }
    }
});

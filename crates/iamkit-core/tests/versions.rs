//! One version for everything: the Node package and the Python package follow the workspace
//! version (`iamkit_version()` in C, `iamkit.version()` in Python and Node, and Go's test check it
//! at run time too).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel),
    )
    .unwrap()
}

#[test]
fn every_package_has_the_workspace_version() {
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(iamkit_core::VERSION, version);
    let package: serde_json::Value = serde_json::from_str(&read("node/package.json")).unwrap();
    assert_eq!(package["version"], version, "node/package.json");
    let pyproject = read("python/pyproject.toml");
    assert!(
        pyproject.contains("dynamic = [\"version\"]"),
        "python/pyproject.toml must take its version from Cargo (dynamic = [\"version\"])"
    );
    for manifest in [
        "python/Cargo.toml",
        "node/Cargo.toml",
        "bindings/c/Cargo.toml",
        "crates/iamkit-cli/Cargo.toml",
    ] {
        assert!(
            read(manifest).contains("version.workspace = true"),
            "{manifest} must use the workspace version"
        );
    }
    assert!(read("include/iamkit.h").contains(&format!("#define IAMKIT_VERSION \"{version}\"")));
}

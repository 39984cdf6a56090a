//! The transport's own build needs no proc-macro crate (no syn, quote, serde_derive,
//! thiserror-impl, tokio-macros): they cost seconds of a cold build of every endpoint crate.
//! Read from `cargo tree` of the normal (non-dev) dependencies, for each feature set that
//! matters; the tests themselves may use derives and `#[tokio::test]` (dev-dependencies).

use std::process::Command;

/// `cargo tree` lines of the transport's normal dependencies with `features` (one crate a line).
fn tree(features: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "-p", "docker-engine-transport", "-e", "normal", "--prefix", "none", "--locked"])
        .args(features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("cargo tree prints UTF-8")
}

#[test]
fn normal_dependencies_have_no_proc_macro_crate() {
    const PROC_MACRO_CHAIN: &[&str] =
        &["syn ", "proc-macro2 ", "quote ", "serde_derive ", "thiserror", "tokio-macros ", "tracing-attributes "];
    for features in [&["--no-default-features"][..], &[], &["--all-features"]] {
        let tree = tree(features);
        assert!(tree.contains("hyper "), "{features:?}: not a dependency tree:\n{tree}");
        let offending: Vec<&str> = tree
            .lines()
            .filter(|l| l.contains("(proc-macro)") || PROC_MACRO_CHAIN.iter().any(|c| l.starts_with(c)))
            .collect();
        assert!(offending.is_empty(), "{features:?}: proc-macro crates in the build: {offending:?}");
    }
}

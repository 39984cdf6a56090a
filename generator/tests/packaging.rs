//! Publishability and MSRV of the workspace, read from `cargo metadata` (`tests/package.sh` runs `cargo package`
//! itself).
//!
//! - Every shipped crate (the transport, 16 models and 16 endpoint crates) carries the package
//!   metadata the generator's `emit::manifest::PACKAGE` prints, equal to `[workspace.package]`.
//! - Every endpoint crate passes every transport feature through, with the same defaults.
//! - No package in the resolved dependency graph declares a `rust-version` newer than ours: the
//!   declared MSRV is true without a second toolchain (the workspace's resolver 3 picks
//!   versions that fit it; this test fails when a new dependency cannot).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use codegen::emit::manifest::{PACKAGE, TRANSPORT_FEATURES};
use serde_json::Value;

const TRANSPORT: &str = "docker-engine-transport";

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--all-features", "--locked"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

fn is_shipped(name: &str) -> bool {
    name == TRANSPORT || name.starts_with("docker-engine-models-v") || name.starts_with("docker-engine-api-v")
}

fn workspace_packages(meta: &Value) -> Vec<&Value> {
    let members: BTreeSet<&str> =
        meta["workspace_members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    meta["packages"].as_array().unwrap().iter().filter(|p| members.contains(p["id"].as_str().unwrap())).collect()
}

/// `1.85` or `1.85.0` as (major, minor, patch).
fn rust_version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or_else(|_| panic!("bad rust-version {text}")));
    (parts.next().unwrap(), parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn shipped_crates_carry_the_workspace_package_metadata() {
    let meta = metadata();
    let shipped: Vec<&Value> =
        workspace_packages(&meta).into_iter().filter(|p| is_shipped(p["name"].as_str().unwrap())).collect();
    assert_eq!(shipped.len(), 33, "the transport and 16 models and 16 endpoint crates");
    for p in shipped {
        let name = p["name"].as_str().unwrap();
        assert_eq!(p["version"], PACKAGE.version, "{name}: version");
        assert_eq!(p["edition"], PACKAGE.edition, "{name}: edition");
        assert_eq!(p["rust_version"], PACKAGE.rust_version, "{name}: rust-version");
        assert_eq!(p["license"], PACKAGE.license, "{name}: license");
        assert_eq!(p["repository"], PACKAGE.repository, "{name}: repository");
        for key in ["description", "readme", "documentation"] {
            assert!(p[key].as_str().is_some_and(|v| !v.is_empty()), "{name}: {key} missing");
        }
        assert!(!p["keywords"].as_array().unwrap().is_empty(), "{name}: keywords");
        assert!(!p["categories"].as_array().unwrap().is_empty(), "{name}: categories");
        assert_eq!(p["publish"], Value::Null, "{name} must be publishable");
    }
}

#[test]
fn endpoint_crates_pass_every_transport_feature_through() {
    let meta = metadata();
    let packages = workspace_packages(&meta);
    let features =
        |p: &Value| -> BTreeMap<String, Vec<String>> { serde_json::from_value(p["features"].clone()).unwrap() };
    let transport = packages.iter().find(|p| p["name"] == TRANSPORT).expect("transport is a member");
    let mut theirs = features(transport);
    let their_default: BTreeSet<String> = theirs.remove("default").unwrap_or_default().into_iter().collect();
    let ours: BTreeSet<&str> = TRANSPORT_FEATURES.iter().map(|(f, _, _)| *f).collect();
    let our_default: BTreeSet<String> = TRANSPORT_FEATURES.iter().filter(|f| f.2).map(|f| f.0.to_string()).collect();
    // The generator's list is the allow-list: it must name exactly the transport's features.
    assert_eq!(
        theirs.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        ours,
        "emit::manifest::TRANSPORT_FEATURES is stale"
    );
    assert_eq!(their_default, our_default, "emit::manifest::TRANSPORT_FEATURES defaults are stale");

    let endpoint_crates = packages.iter().filter(|p| p["name"].as_str().unwrap().starts_with("docker-engine-api-v"));
    let mut count = 0;
    for p in endpoint_crates {
        count += 1;
        let name = p["name"].as_str().unwrap();
        let mut theirs = features(p);
        let default: BTreeSet<String> = theirs.remove("default").unwrap_or_default().into_iter().collect();
        assert_eq!(default, our_default, "{name}: default features");
        for feature in &ours {
            assert_eq!(
                theirs.get(*feature),
                Some(&vec![format!("{TRANSPORT}/{feature}")]),
                "{name}: feature {feature}"
            );
        }
        let dep = p["dependencies"].as_array().unwrap().iter().find(|d| d["name"] == TRANSPORT).unwrap();
        assert_eq!(dep["uses_default_features"], false, "{name}: the transport's defaults must come from ours");
    }
    assert_eq!(count, 16);
}

#[test]
fn no_dependency_needs_a_newer_rust_than_the_declared_msrv() {
    let meta = metadata();
    let msrv = rust_version(PACKAGE.rust_version);
    let packages: BTreeMap<&str, &Value> =
        meta["packages"].as_array().unwrap().iter().map(|p| (p["id"].as_str().unwrap(), p)).collect();
    // Every package cargo resolved for the workspace (all features, dev-dependencies included).
    let resolved: Vec<&str> =
        meta["resolve"]["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert!(resolved.len() > 50, "the resolve graph was read");
    let too_new: Vec<String> = resolved
        .iter()
        .map(|id| packages[id])
        .filter_map(|p| {
            let declared = p["rust_version"].as_str()?;
            (rust_version(declared) > msrv).then(|| format!("{} {} needs Rust {declared}", p["name"], p["version"]))
        })
        .collect();
    assert!(too_new.is_empty(), "dependencies newer than the MSRV {}: {too_new:#?}", PACKAGE.rust_version);
}

#[test]
fn the_workspace_declares_the_msrv_the_generated_crates_print() {
    let meta = metadata();
    let unset: Vec<&str> = workspace_packages(&meta)
        .into_iter()
        .filter(|p| p["rust_version"] != PACKAGE.rust_version)
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(unset.is_empty(), "members without rust-version {}: {unset:?}", PACKAGE.rust_version);
}

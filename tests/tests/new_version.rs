//! A new API version needs no code change: drop `v1.NN.yaml` into the spec folder and regen.

use std::process::Command;

use codegen::regen::{self, RegenOptions};
use codegen::ApiVersion;
use integration_tests::{specs_dir, workspace};

#[test]
fn a_new_spec_file_becomes_a_compiling_crate() {
    let temp = tempfile::tempdir().unwrap();
    let specs = temp.path().join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    // The newest upstream spec, published under a version number that does not exist.
    let newest = regen::discover_specs(&specs_dir()).unwrap().pop().unwrap().1;
    std::fs::copy(&newest, specs.join("v1.99.yaml")).unwrap();
    // Older versions and non-spec files are ignored.
    std::fs::write(specs.join("v1.39.yaml"), "not even YAML: [").unwrap();
    std::fs::write(specs.join("README.md"), "notes").unwrap();

    let out = temp.path().join("generated");
    let options = RegenOptions {
        specs_dir: specs,
        out_dir: out.clone(),
        project_specs_dir: temp.path().join("project-specs"),
        only: None,
    };
    std::fs::create_dir_all(&options.project_specs_dir).unwrap();
    std::fs::copy(workspace().join("specs/overrides.yaml"), options.project_specs_dir.join("overrides.yaml")).unwrap();
    let generation = regen::generate(&options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(generation.stats.len(), 1);
    assert_eq!(generation.stats[0].version, ApiVersion::new(1, 99));
    regen::write_generation(&generation, &out).unwrap();

    let manifest = out.join("v1_99/models/Cargo.toml");
    let cargo_toml = std::fs::read_to_string(&manifest).unwrap();
    assert!(cargo_toml.contains("name = \"docker-engine-models-v1-99\""), "{cargo_toml}");
    let versions = std::fs::read_to_string(temp.path().join("project-specs/versions.toml")).unwrap();
    assert!(versions.contains("[versions.\"1.99\"]"), "{versions}");

    // The crate stands alone (no workspace inheritance) and compiles.
    let status = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", workspace().join("target/new-version-check"))
        .status()
        .unwrap();
    assert!(status.success(), "the generated v1.99 crate does not compile");
}

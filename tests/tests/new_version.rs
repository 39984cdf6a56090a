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

/// A spec folder in a temp dir with the newest upstream spec under the given version names.
fn spec_folder(temp: &std::path::Path, versions: &[&str]) -> RegenOptions {
    let specs = temp.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    let newest = regen::discover_specs(&specs_dir()).unwrap().pop().unwrap().1;
    for v in versions {
        std::fs::copy(&newest, specs.join(format!("v{v}.yaml"))).unwrap();
    }
    let project_specs_dir = temp.join("project-specs");
    std::fs::create_dir_all(&project_specs_dir).unwrap();
    RegenOptions { specs_dir: specs, out_dir: temp.join("generated"), project_specs_dir, only: None }
}

fn snapshot_tree(root: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path)
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()))
            }
        }
    }
    files.sort();
    files
}

#[test]
fn regen_is_deterministic_removes_old_versions_and_survives_bad_input() {
    let temp = tempfile::tempdir().unwrap();
    let options = spec_folder(temp.path(), &["1.98", "1.99"]);

    // Same input, same bytes.
    let first = regen::generate(&options).unwrap();
    let second = regen::generate(&options).unwrap();
    assert_eq!(first.files, second.files);
    regen::write_generation(&first, &options.out_dir).unwrap();
    assert!(options.out_dir.join("v1_98/models/src/lib.rs").exists());

    // A version whose spec is gone is removed.
    std::fs::remove_file(options.specs_dir.join("v1.98.yaml")).unwrap();
    let plan = regen::write_generation(&regen::generate(&options).unwrap(), &options.out_dir).unwrap();
    assert!(!plan.extra.is_empty());
    assert!(!options.out_dir.join("v1_98").exists(), "files of a removed version are left behind");
    let before = snapshot_tree(&options.out_dir);

    // A broken spec is an error naming file and place, and the output is untouched.
    let spec = options.specs_dir.join("v1.99.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(
        &spec,
        text.replacen("$ref: \"#/definitions/ContainerState\"", "$ref: \"#/definitions/NoSuchThing\"", 1),
    )
    .unwrap();
    let err = regen::generate(&options).unwrap_err().to_string();
    assert!(err.contains("v1.99.yaml") && err.contains("NoSuchThing") && err.contains("at /definitions/"), "{err}");
    assert_eq!(snapshot_tree(&options.out_dir), before);
}

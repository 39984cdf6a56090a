//! The checked-in `generated/` must be exactly what a fresh `regen` produces.

use codegen::regen::{self, RegenOptions};
use integration_tests::{specs_dir, workspace};

#[test]
fn generated_files_are_fresh() {
    let root = workspace();
    let options = RegenOptions {
        specs_dir: specs_dir(),
        out_dir: root.join("generated"),
        project_specs_dir: root.join("specs"),
        only: None,
    };
    let generation = regen::generate(&options).unwrap_or_else(|e| panic!("{e}"));
    let plan = codegen::write::plan(&generation.files, &generation.owned_roots).unwrap();
    assert!(plan.is_clean(), "generated files are out of date; run `cargo xtask regen`:\n{}", plan.describe());
}

#[test]
fn every_override_matches_in_every_version_it_names() {
    let unmatched: Vec<String> = integration_tests::all_versions()
        .into_iter()
        .flat_map(|b| b.unmatched_overrides.into_iter().map(move |o| format!("v{}: {o}", b.api.version)))
        .collect();
    assert!(unmatched.is_empty(), "overrides that matched nothing:\n{}", unmatched.join("\n"));
}

//! Every operation of every spec has a method in that version's endpoint crate. The count is
//! taken from the spec YAML directly, not through the generator, so the two cannot agree by
//! sharing a bug.

use std::collections::BTreeSet;

use integration_tests::{specs_dir, workspace};

const METHODS: &[&str] = &["get", "put", "post", "delete", "head", "patch", "options"];

#[test]
fn every_spec_operation_has_a_method() {
    let mut checked = 0;
    for (version, path) in codegen::regen::discover_specs(&specs_dir()).unwrap() {
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let mut in_spec = BTreeSet::new();
        for (_, item) in yaml["paths"].as_mapping().unwrap() {
            for (method, op) in item.as_mapping().unwrap() {
                if METHODS.contains(&method.as_str().unwrap()) {
                    in_spec.insert(op["operationId"].as_str().unwrap().to_string());
                }
            }
        }
        let src = workspace().join("generated").join(version.dir_name()).join("api/src");
        let mut in_crate = BTreeSet::new();
        for entry in std::fs::read_dir(&src).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            // Each method declares `static OP: transport::Operation = … id: "<operationId>"`.
            for line in text.lines().map(str::trim) {
                if let Some(id) = line.strip_prefix("id: \"").and_then(|rest| rest.strip_suffix("\",")) {
                    assert!(in_crate.insert(id.to_string()), "v{version}: {id} has two methods");
                }
            }
        }
        assert_eq!(in_spec, in_crate, "v{version}: operations in the spec vs methods in the crate");
        assert!((106..=108).contains(&in_spec.len()), "v{version}: {} operations", in_spec.len());
        checked += 1;
    }
    assert_eq!(checked, 16);
}

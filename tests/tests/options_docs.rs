//! Every options field of every endpoint crate carries its parameter's description from the
//! spec (Swagger 2.0 keeps it on the parameter, not on its schema), and every `filters` field
//! lists the filter keys.
//!
//! Read from the generated sources and checked against the lineage views the crates are
//! generated from, so a field that loses its docs, or a description that stops reaching the
//! field, fails here.

use std::collections::BTreeMap;
use std::path::Path;

use codegen::ir::ParamLocation;

/// `(options struct, field)` → doc text, from the `pub struct …Options` blocks of one crate.
fn field_docs(api_src: &Path) -> BTreeMap<(String, String), String> {
    let mut docs = BTreeMap::new();
    for entry in std::fs::read_dir(api_src).expect("api src") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
        let (mut current, mut doc) = (None::<String>, String::new());
        for line in text.lines() {
            let line = line.trim();
            if let Some(name) = line.strip_prefix("pub struct ").and_then(|l| l.strip_suffix(" {")) {
                current = name.ends_with("Options").then(|| name.to_string());
                doc.clear();
                continue;
            }
            let Some(strukt) = &current else { continue };
            if line == "}" {
                current = None;
            } else if let Some(text) = line.strip_prefix("///") {
                doc.push_str(text.trim());
                doc.push('\n');
            } else if let Some(field) = line.strip_prefix("pub ").and_then(|l| l.split(':').next()) {
                let field = field.trim_start_matches("r#").to_string();
                docs.insert((strukt.clone(), field), std::mem::take(&mut doc));
            }
        }
    }
    docs
}

#[test]
fn every_options_field_has_its_parameter_description() {
    let lineages = integration_tests::lineages();
    let root = integration_tests::workspace().join("generated");
    let (mut fields, mut described) = (0, 0);
    let mut missing = Vec::new();
    for view in &lineages.views {
        let api = &view.api;
        let docs = field_docs(&root.join(api.version.dir_name()).join("api/src"));
        for op in api.operations.values() {
            let optional = op
                .params
                .iter()
                .filter(|p| p.location != ParamLocation::Path && !(p.location == ParamLocation::Query && p.required));
            for p in optional {
                fields += 1;
                let key = (op.options_name.clone(), p.rust_name.trim_start_matches("r#").to_string());
                let Some(doc) = docs.get(&key) else {
                    missing.push(format!("v{}: {}.{} is not generated", api.version, key.0, key.1));
                    continue;
                };
                let Some(first) =
                    p.description.as_deref().and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                else {
                    continue;
                };
                described += 1;
                // The first line of the description, as rustdoc text (its words, not its layout).
                let words: String = first.chars().take(40).collect();
                if !doc.contains(words.trim()) {
                    missing.push(format!("v{}: {}.{} lacks \"{words}\"", api.version, key.0, key.1));
                }
                if p.name == "filters" && !doc.lines().any(|l| l.starts_with("- ") || l.starts_with("* ")) {
                    missing.push(format!("v{}: {}.filters lists no filter keys", api.version, key.0));
                }
            }
        }
    }
    println!("{fields} options fields in {} crates, {described} with a description in the spec", lineages.views.len());
    assert!(described > 2000, "the spec describes almost every parameter; only {described} of {fields} found");
    assert!(
        missing.is_empty(),
        "{} options fields without their parameter's docs:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

//! Facts about the lineage views that the crates' promises rest on.
//!
//! - Upgrades: every operation's method has the same shape in every crate that has it (path
//!   parameters, required parameters and their types, the options struct, the body), and a
//!   type name a program uses with crate v1.MM still exists in every newer crate (itself or a
//!   deprecated alias). A shape that differs must be a change the matrix lists as breaking
//!   for Rust source (`rust` level) for that operation in that version pair.
//! - Every member of every version's types is in every newer crate's view.
//! - No header parameter changes its range between the oldest and the newest spec, which is
//!   why header gates are exercised in the transport's tests rather than through a generated
//!   method.

use std::collections::BTreeSet;

use codegen::ir::{Api, ParamLocation, TypeKind, TypeRef};
use codegen::lineage::superset::View;
use codegen::matrix::{Level, Matrix};

/// How a method of `op` looks to a caller: each argument with its type, lineage-keyed.
fn shape(view: &View, lineage: &codegen::lineage::Lineage, vi: usize, id: &str) -> Vec<String> {
    let op = &view.api.operations[id];
    let key = |ty: &TypeRef| {
        let ty = codegen::lineage::rename_type(ty, &|name| lineage.key(vi, name).map(str::to_owned));
        ty.rust()
    };
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| format!("{}: &str", p.rust_name))
        .collect();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Query && p.required) {
        args.push(format!("{}: {}", p.rust_name, key(&p.ty)));
    }
    args.push("options".into());
    if let Some(body) = &op.body {
        let ty = body.ty.as_ref().map(key).unwrap_or_else(|| "Upload".into());
        args.push(format!("body: {}{ty}", if body.required { "" } else { "Option " }));
    }
    args
}

fn names_of(api: &Api) -> BTreeSet<&str> {
    api.types.keys().map(String::as_str).collect()
}

#[test]
fn method_shapes_and_type_names_survive_upgrades() {
    let l = integration_tests::lineages();
    let matrix = Matrix::build_sorted(&l.apis, &l.lineage);
    let mut problems = Vec::new();
    for vi in 1..l.views.len() {
        let (before, after) = (&l.views[vi - 1], &l.views[vi]);
        let breaking: BTreeSet<String> = matrix
            .diff(vi - 1, vi)
            .changes
            .iter()
            // A method's shape is Rust source: the change must be breaking for Rust code.
            .filter(|c| c.rust == Level::Breaking)
            .map(|c| c.key.split(' ').next().unwrap_or(&c.key).to_string())
            .collect();
        for id in before.api.operations.keys() {
            if !after.api.operations.contains_key(id) {
                continue;
            }
            let (a, b) = (shape(before, &l.lineage, vi - 1, id), shape(after, &l.lineage, vi, id));
            if a != b && !breaking.contains(id) {
                problems.push(format!(
                    "{id}: v{} {a:?} → v{} {b:?}, and the diff lists no breaking change",
                    before.api.version, after.api.version
                ));
            }
        }
        let kept = names_of(&after.api);
        for name in names_of(&before.api) {
            if !kept.contains(name) {
                problems.push(format!(
                    "type `{name}` of crate v{} is gone from crate v{}",
                    before.api.version, after.api.version
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_member_of_every_version_is_in_every_newer_crate() {
    let l = integration_tests::lineages();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (mm, api) in l.apis.iter().enumerate() {
        for (nn, view) in l.views.iter().enumerate().skip(mm) {
            for (name, def) in &api.types {
                let Some(view_name) = l.lineage.key(mm, name).and_then(|k| view.names.get(k)) else {
                    missing.push(format!("v{} type {name} has no lineage in crate v{}", api.version, view.api.version));
                    continue;
                };
                let Some(target) = view.api.types.get(view_name) else {
                    missing.push(format!(
                        "v{} type {name} → {view_name} is not in crate v{}",
                        api.version, view.api.version
                    ));
                    continue;
                };
                match (&def.kind, &target.kind) {
                    (TypeKind::Struct { fields }, TypeKind::Struct { fields: kept }) => {
                        for f in fields {
                            checked += 1;
                            if !kept.iter().any(|k| k.wire_name == f.wire_name) {
                                missing.push(format!(
                                    "v{} {name}.{} is not in crate v{} {view_name}",
                                    api.version, f.wire_name, view.api.version
                                ));
                            }
                        }
                    }
                    (TypeKind::StringEnum { variants, .. }, TypeKind::StringEnum { variants: kept, .. }) => {
                        for v in variants {
                            checked += 1;
                            if !kept.iter().any(|k| k.value == v.value) {
                                missing.push(format!(
                                    "v{} {name} value {:?} is not in crate v{}",
                                    api.version, v.value, view.api.version
                                ));
                            }
                        }
                    }
                    _ => {}
                }
            }
            let _ = nn;
        }
    }
    assert!(checked > 100_000, "only {checked} members checked");
    assert!(missing.is_empty(), "{} missing:\n{}", missing.len(), missing.join("\n"));
}

#[test]
fn no_header_parameter_changes_its_range() {
    let l = integration_tests::lineages();
    let newest = l.views.last().expect("views");
    let gated: Vec<String> = newest
        .api
        .operations
        .values()
        .flat_map(|op| op.params.iter().map(move |p| (op, p)))
        .filter(|(_, p)| p.location == ParamLocation::Header && !p.availability.is_always())
        .map(|(op, p)| format!("{} {}", op.id, p.name))
        .collect();
    assert!(gated.is_empty(), "header parameters with a range; cover them in tests/tests/version_gates.rs: {gated:?}");
}

/// The first generated item after the line `within` whose line starts with `anchor` (a field or
/// method), with the attributes and docs above it.
fn item_with_attributes(
    files: &std::collections::BTreeMap<std::path::PathBuf, String>,
    within: &str,
    anchor: &str,
) -> String {
    let text = files.values().find(|t| t.contains(within)).unwrap_or_else(|| panic!("no `{within}` generated"));
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|l| l.contains(within)).unwrap_or(0);
    let at = from
        + lines[from..].iter().position(|l| l.trim_start().starts_with(anchor)).unwrap_or_else(|| panic!("{anchor}"));
    let mut start = at;
    while start > 0 {
        let above = lines[start - 1].trim();
        let attribute_or_doc = ["#", "///", "note", ")]"].iter().any(|p| above.starts_with(p));
        if !attribute_or_doc && (above.ends_with(',') || above.ends_with('{') || above.ends_with('}')) {
            break;
        }
        start -= 1;
    }
    lines[start..=at].join("\n")
}

#[test]
fn deprecations_in_the_specs_prose_become_deprecated_attributes() {
    let l = integration_tests::lineages();
    let view = |minor: u16| {
        l.views.iter().find(|v| v.api.version.minor == minor).unwrap_or_else(|| panic!("no v1.{minor} view"))
    };
    // A legacy member still in v1.41, deprecated in prose since (at least) v1.40.
    let models = codegen::emit::models::models_crate(&view(41).api).expect("v1.41 models");
    let ip = item_with_attributes(&models, "pub struct NetworkSettings {", "pub ip_address: Option<String>,");
    assert!(ip.contains("#[deprecated(") && ip.contains("This field was deprecated in Docker 1.9"), "{ip}");
    assert_eq!(ip.matches("#[deprecated").count(), 1, "{ip}");
    // Removed later and deprecated in prose before: one attribute saying both.
    let models = codegen::emit::models::models_crate(&view(55).api).expect("v1.55 models");
    let progress = item_with_attributes(&models, "pub struct CreateImageInfo {", "pub progress: Option<String>,");
    assert_eq!(progress.matches("#[deprecated").count(), 1, "{progress}");
    assert!(
        progress.contains("Removed in API v1.52")
            && progress.contains("Deprecated: This field is deprecated since API v1.8")
    );
    // An options field and a method.
    let api = codegen::emit::api::api_crate(&view(55).api).expect("v1.55 endpoints");
    let keep_storage = item_with_attributes(&api, "pub struct BuildPruneOptions {", "pub keep_storage: Option<i64>,");
    assert!(keep_storage.contains("#[deprecated(") && keep_storage.contains("reserved-space"), "{keep_storage}");
    let session = item_with_attributes(&api, "pub async fn session(", "pub async fn session(");
    assert!(session.contains("#[deprecated(") && session.contains("This endpoint is deprecated"), "{session}");
    // Not every member.
    let networks = item_with_attributes(&models, "pub struct NetworkSettings {", "pub networks: Option<");
    assert!(!networks.contains("#[deprecated"), "{networks}");
}

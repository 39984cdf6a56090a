//! Every `example` in every spec decodes into its generated type and re-encodes without
//! losing anything. Examples that are wrong upstream are listed, with the reason, in
//! `tests/example-allowlist.yaml`; an allow-listed example that starts passing fails the test,
//! so the list never goes stale.
//!
//! Across versions: every example of spec v1.MM also decodes into the matching type (followed
//! through the lineage) of every crate v1.NN with NN > MM, and re-encodes with nothing
//! dropped — the promise that a newer crate reads what an older daemon sends. Exceptions are
//! the `cross_version` list of the same file, each with its reason; it cannot go stale either.

use std::collections::BTreeMap;

use codegen::version::VersionRange;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct AllowList {
    examples: Vec<Allowed>,
    #[serde(default)]
    cross_version: Vec<CrossAllowed>,
}

/// An example of versions `from` that does not decode losslessly into crates `into`.
#[derive(Deserialize)]
struct CrossAllowed {
    pointer: String,
    from: String,
    into: String,
    reason: String,
}

#[derive(Deserialize)]
struct Allowed {
    pointer: String,
    versions: String,
    reason: String,
}

/// `Ok` if `reencoded` carries everything `original` had: `null` members may be dropped (they
/// decode to `None`), nothing else may change or appear.
fn lossless(original: &Value, reencoded: &Value, path: &str) -> Result<(), String> {
    match (original, reencoded) {
        (Value::Null, _) => Ok(()),
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = format!("{path}/{key}");
                match b.get(key) {
                    Some(v) => lossless(value, v, &at)?,
                    None if value.is_null() => {}
                    None => return Err(format!("{at} was dropped (not in the schema?)")),
                }
            }
            match b.keys().find(|k| !a.contains_key(*k)) {
                Some(extra) => Err(format!("{path}/{extra} appeared on re-encoding")),
                None => Ok(()),
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().try_for_each(|(i, (x, y))| lossless(x, y, &format!("{path}/{i}")))
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{path}: {a} became {b}")),
    }
}

#[test]
fn spec_examples_round_trip() {
    let allow: AllowList = serde_yaml_ng::from_str(
        &std::fs::read_to_string(integration_tests::workspace().join("tests/example-allowlist.yaml")).unwrap(),
    )
    .unwrap();
    let mut problems = Vec::new();
    let mut used: BTreeMap<usize, usize> = BTreeMap::new();
    let mut checked = 0;
    for built in integration_tests::all_versions() {
        let api = &built.api;
        let version = api.version.to_string();
        for example in &api.examples {
            let rust_type = example.ty.rust();
            let outcome = match docker_engine_models_testing::roundtrip(&version, &rust_type, example.value.clone()) {
                None => Err(format!("no type `{rust_type}` in the v{version} models crate")),
                Some(Err(e)) => Err(format!("does not decode as {rust_type}: {e}")),
                Some(Ok(reencoded)) => lossless(&example.value, &reencoded, ""),
            };
            checked += 1;
            let allowed = allow.examples.iter().position(|a| {
                a.pointer == example.pointer
                    && a.versions.parse::<VersionRange>().map(|r| r.contains(api.version)).unwrap_or(false)
            });
            match (outcome, allowed) {
                (Ok(()), None) => {}
                (Ok(()), Some(i)) => problems.push(format!(
                    "v{version} {}: allow-listed ({}) but passes now; remove it from the allow-list",
                    example.pointer, allow.examples[i].reason
                )),
                (Err(e), None) => problems.push(format!("v{version} {}: {e}", example.pointer)),
                (Err(_), Some(i)) => *used.entry(i).or_default() += 1,
            }
        }
    }
    for (i, entry) in allow.examples.iter().enumerate() {
        if !used.contains_key(&i) {
            problems
                .push(format!("allow-list entry {} ({}) matches no failing example", entry.pointer, entry.versions));
        }
    }
    assert!(checked > 7000, "only {checked} examples were checked");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Decodes `value` as `ty` of crate `version` and re-encodes it; arrays and maps element by
/// element (a crate's testing module lists the named types, not every expression of them).
fn roundtrip_as(version: &str, ty: &codegen::ir::TypeRef, value: &Value) -> Result<Value, String> {
    use codegen::ir::TypeRef;
    match (ty, value) {
        (_, Value::Null) => Ok(Value::Null),
        (TypeRef::Array(slot), Value::Array(items)) => items
            .iter()
            .map(|item| roundtrip_as(version, &slot.ty, item))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (TypeRef::Map(slot), Value::Object(members)) => members
            .iter()
            .map(|(k, v)| roundtrip_as(version, &slot.ty, v).map(|v| (k.clone(), v)))
            .collect::<Result<serde_json::Map<_, _>, _>>()
            .map(Value::Object),
        // A schema-less object or value keeps whatever it holds.
        (TypeRef::FreeFormObject | TypeRef::Any, _) => Ok(value.clone()),
        (TypeRef::Named(name), _) => match docker_engine_models_testing::roundtrip(version, name, value.clone()) {
            None => Err(format!("no type `{name}` in the v{version} models crate")),
            Some(Err(e)) => Err(format!("does not decode as {name}: {e}")),
            Some(Ok(reencoded)) => Ok(reencoded),
        },
        (other, _) => match docker_engine_models_testing::roundtrip(version, &other.rust(), value.clone()) {
            None => Err(format!("no type `{}` in the v{version} models crate", other.rust())),
            Some(result) => result.map_err(|e| format!("does not decode as {}: {e}", other.rust())),
        },
    }
}

#[test]
fn older_examples_decode_in_every_newer_crate() {
    let allow: AllowList = serde_yaml_ng::from_str(
        &std::fs::read_to_string(integration_tests::workspace().join("tests/example-allowlist.yaml")).unwrap(),
    )
    .unwrap();
    let lineages = integration_tests::lineages();
    let mut problems = Vec::new();
    let mut used: BTreeMap<usize, usize> = BTreeMap::new();
    let mut checked = 0;
    for (mm, api) in lineages.apis.iter().enumerate() {
        for example in &api.examples {
            // Examples wrong upstream fail in their own version already.
            let wrong_upstream = allow.examples.iter().any(|a| {
                a.pointer == example.pointer
                    && a.versions.parse::<VersionRange>().map(|r| r.contains(api.version)).unwrap_or(false)
            });
            if wrong_upstream {
                continue;
            }
            for (nn, view) in lineages.views.iter().enumerate().skip(mm + 1) {
                let into = view.api.version;
                let key = |name: &str| lineages.lineage.key(mm, name).and_then(|k| view.names.get(k)).cloned();
                let ty = codegen::lineage::rename_type(&example.ty.ty, &key);
                let outcome = roundtrip_as(&into.to_string(), &ty, &example.value)
                    .and_then(|reencoded| lossless(&example.value, &reencoded, ""));
                checked += 1;
                let allowed = allow.cross_version.iter().position(|a| {
                    let from: Option<VersionRange> = a.from.parse().ok();
                    let to: Option<VersionRange> = a.into.parse().ok();
                    a.pointer == example.pointer
                        && from.is_some_and(|r| r.contains(api.version))
                        && to.is_some_and(|r| r.contains(into))
                });
                let _ = nn;
                match (outcome, allowed) {
                    (Ok(()), None) => {}
                    (Ok(()), Some(i)) => problems.push(format!(
                        "v{} {} into v{into}: allow-listed ({}) but passes now",
                        api.version, example.pointer, allow.cross_version[i].reason
                    )),
                    (Err(e), None) => problems.push(format!("v{} {} into v{into}: {e}", api.version, example.pointer)),
                    (Err(_), Some(i)) => *used.entry(i).or_default() += 1,
                }
            }
        }
    }
    for (i, entry) in allow.cross_version.iter().enumerate() {
        if !used.contains_key(&i) {
            problems.push(format!(
                "cross_version entry {} ({} into {}) matches no failing example",
                entry.pointer, entry.from, entry.into
            ));
        }
    }
    println!("{checked} cross-version decodes checked");
    assert!(checked > 50_000, "only {checked} cross-version decodes were checked");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

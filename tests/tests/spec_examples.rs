//! Every `example` in every spec decodes into its generated type and re-encodes without
//! losing anything. Examples that are wrong upstream are listed, with the reason, in
//! `tests/example-allowlist.yaml`; an allow-listed example that starts passing fails the test,
//! so the list never goes stale.

use std::collections::BTreeMap;

use codegen::version::VersionRange;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct AllowList {
    examples: Vec<Allowed>,
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
                a.pointer == example.pointer && a.versions.parse::<VersionRange>().map(|r| r.contains(api.version)).unwrap_or(false)
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
            problems.push(format!("allow-list entry {} ({}) matches no failing example", entry.pointer, entry.versions));
        }
    }
    assert!(checked > 7000, "only {checked} examples were checked");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

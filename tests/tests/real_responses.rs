//! Responses captured from a real Docker daemon (`tests/daemon/capture.sh`, under
//! `tests/daemon/daemon.sh run`) decode into the generated models.
//!
//! Fixtures live in `tests/daemon/responses/v<daemon API>/<OperationId>[.<variant>].json` (one
//! document) or `.ndjson` (one streamed document per line). The Rust type comes from the
//! operation's wire kind in the IR, so a fixture is checked against exactly the type the client
//! decodes it into. Every fixture is decoded by the models of the daemon's own version and by
//! the newest models (a new client talking to an older daemon).
//!
//! Failures that are known, each waiting for a `specs/overrides.yaml` entry, are listed in
//! `tests/daemon/responses/known-failures.yaml`; a listed failure that no longer happens fails
//! the test too, so the list stays exact. A member the daemon sends that the models drop fails
//! the test — for the daemon's own models and for the newest, which keep every member older
//! versions defined — unless `undocumented` lists it (no spec version defines it) with a reason.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use codegen::ir::{Api, TypeRef, WireKind};
use codegen::version::VersionRange;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct KnownFailures {
    #[serde(default)]
    failures: Vec<Known>,
    #[serde(default)]
    undocumented: Vec<Undocumented>,
}

/// A member the daemon sends that the models of the daemon's own version do not have, so it is
/// dropped on decoding (the way bollard lost the stats `networks`).
#[derive(Deserialize)]
struct Undocumented {
    versions: String,
    /// The Rust type decoded (`EventMessage`, `Vec<Task>`).
    #[serde(rename = "type")]
    rust_type: String,
    /// JSON pointer of the member, `*` for array indices.
    path: String,
    #[allow(dead_code)]
    reason: String,
}

#[derive(Deserialize)]
struct Known {
    /// `models` versions this applies to (`"1.41"`, `"1.40-"`, ...).
    versions: String,
    /// The fixture file name (`ContainerInspect.json`).
    fixture: String,
    /// The failing member, as a JSON pointer with `*` for array indices and map keys as found.
    path: String,
    #[allow(dead_code)]
    reason: String,
}

fn responses_dir() -> PathBuf {
    integration_tests::workspace().join("tests/daemon/responses")
}

fn decodes(version: &str, rust_type: &str, json: &Value) -> Result<Value, String> {
    match docker_engine_models_testing::roundtrip(version, rust_type, json.clone()) {
        Some(Err(e)) => Err(e.to_string()),
        Some(Ok(v)) => Ok(v),
        None => match (rust_type.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')), json) {
            // The testing crate spells only the types the models mention; a list response
            // (`Vec<ImageSummary>`) decodes item by item, which is what serde does for a Vec.
            (Some(item), Value::Array(items)) => {
                items.iter().map(|i| decodes(version, item, i)).collect::<Result<Vec<_>, _>>().map(Value::Array)
            }
            (Some(_), _) => Err(format!("invalid type: expected a sequence for {rust_type}")),
            (None, _) => Err(format!("no type `{rust_type}` in the v{version} models crate")),
        },
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The members of `doc` that make it fail to decode, each as a JSON pointer (array indices
/// written `*`) with the error. Works by removing members: the models ignore absent members,
/// so a document that decodes once a member is gone had its problem inside that member.
fn locate(version: &str, rust_type: &str, doc: &Value) -> Vec<(String, String)> {
    let fails = |d: &Value| decodes(version, rust_type, d).err();
    let mut found = Vec::new();
    let mut doc = doc.clone();
    for _ in 0..50 {
        let Some(error) = fails(&doc) else { break };
        // Walk down from the root to one smallest failing member.
        let mut at: Vec<Step> = Vec::new();
        let mut work = doc.clone();
        while let Some((next, reduced)) = narrow(&work, &at, &fails) {
            work = reduced;
            at.push(next);
        }
        let error = fails(&work).unwrap_or(error);
        let pointer: String = at
            .iter()
            .map(|s| match s {
                Step::Key(k) => format!("/{}", escape(k)),
                Step::Index(_) => "/*".to_string(),
            })
            .collect();
        found.push((if pointer.is_empty() { "/".into() } else { pointer }, error));
        if at.is_empty() || !remove(&mut doc, &at) {
            break;
        }
    }
    found
}

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn node<'a>(doc: &'a Value, at: &[Step]) -> Option<&'a Value> {
    at.iter().try_fold(doc, |v, s| match (s, v) {
        (Step::Key(k), Value::Object(m)) => m.get(k),
        (Step::Index(i), Value::Array(a)) => a.get(*i),
        _ => None,
    })
}

fn node_mut<'a>(doc: &'a mut Value, at: &[Step]) -> Option<&'a mut Value> {
    at.iter().try_fold(doc, |v, s| match (s, v) {
        (Step::Key(k), Value::Object(m)) => m.get_mut(k),
        (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

fn remove(doc: &mut Value, at: &[Step]) -> bool {
    let (last, parent) = at.split_last().expect("not the root");
    match (node_mut(doc, parent), last) {
        (Some(Value::Object(m)), Step::Key(k)) => m.remove(k).is_some(),
        (Some(Value::Array(a)), Step::Index(i)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// One step further down towards a failing member of the node at `at`, with the document
/// reduced so that the failure is known to be inside that member; `None` when the node itself
/// is the smallest failing piece.
fn narrow(doc: &Value, at: &[Step], fails: &dyn Fn(&Value) -> Option<String>) -> Option<(Step, Value)> {
    match node(doc, at)? {
        Value::Object(members) => {
            // Remove members one by one (cumulatively) until the document decodes: the last one
            // removed holds a failure, with everything removed before it out of the way.
            let keys: Vec<String> = members.keys().cloned().collect();
            let mut reduced = doc.clone();
            for key in keys {
                let before = reduced.clone();
                if let Some(Value::Object(m)) = node_mut(&mut reduced, at) {
                    m.remove(&key);
                }
                if fails(&reduced).is_none() {
                    return Some((Step::Key(key), before));
                }
            }
            None
        }
        Value::Array(items) => {
            // The shortest failing prefix ends with a failing item; keeping the prefix keeps
            // the indices of the original document.
            for n in 1..=items.len() {
                let mut reduced = doc.clone();
                if let Some(Value::Array(a)) = node_mut(&mut reduced, at) {
                    a.truncate(n);
                }
                if fails(&reduced).is_some() {
                    let mut without = reduced.clone();
                    if let Some(Value::Array(a)) = node_mut(&mut without, at) {
                        a.pop();
                    }
                    if fails(&without).is_none() {
                        return Some((Step::Index(n - 1), reduced));
                    }
                    return None;
                }
            }
            None
        }
        _ => None,
    }
}

/// Members of `original` that do not survive decoding and re-encoding: members the spec does
/// not know, as JSON pointers with `*` for array indices.
fn dropped(original: &Value, reencoded: &Value, path: &str, out: &mut BTreeSet<String>) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = format!("{path}/{}", escape(key));
                match b.get(key) {
                    Some(v) => dropped(value, v, &at, out),
                    None if value.is_null() => {}
                    None => {
                        out.insert(at);
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (x, y) in a.iter().zip(b) {
                dropped(x, y, &format!("{path}/*"), out);
            }
        }
        _ => {}
    }
}

struct Fixture {
    daemon_version: String,
    file: String,
    operation: String,
    documents: Vec<Value>,
}

fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(responses_dir())
        .expect("tests/daemon/responses")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let daemon_version = dir.file_name().unwrap().to_string_lossy().trim_start_matches('v').to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for path in files {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let documents: Vec<Value> = if file.ends_with(".ndjson") {
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
                    .collect()
            } else if file.ends_with(".json") {
                vec![serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))]
            } else {
                continue;
            };
            let operation = file.split('.').next().unwrap().to_string();
            out.push(Fixture { daemon_version: daemon_version.clone(), file, operation, documents });
        }
    }
    out
}

/// The type one document of `operation`'s success response decodes into.
fn response_type(api: &Api, operation: &str) -> Option<TypeRef> {
    match &api.operations.get(operation)?.wire {
        WireKind::Json(t) | WireKind::JsonOrEmpty(t) | WireKind::JsonStream(t) => Some(t.clone()),
        _ => None,
    }
}

fn load(version: &str) -> Api {
    let wanted: codegen::ApiVersion = version.parse().unwrap();
    let overrides = integration_tests::overrides();
    let (v, path) = codegen::regen::discover_specs(&integration_tests::specs_dir())
        .unwrap()
        .into_iter()
        .find(|(v, _)| *v == wanted)
        .unwrap_or_else(|| panic!("no spec for v{version}"));
    codegen::regen::build_version(&path, v, &overrides).unwrap_or_else(|e| panic!("{e}")).api
}

fn newest_version() -> String {
    docker_engine_models_testing::VERSIONS.last().unwrap().to_string()
}

#[test]
fn real_daemon_responses_decode() {
    let known: KnownFailures = {
        let path = responses_dir().join("known-failures.yaml");
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            Err(_) => KnownFailures { failures: Vec::new(), undocumented: Vec::new() },
        }
    };
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures under {}", responses_dir().display());

    let mut apis: BTreeMap<String, Api> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut expected_seen = vec![false; known.failures.len()];
    let mut unknown_members: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut checked = 0;

    for fixture in &fixtures {
        let mut versions = vec![fixture.daemon_version.clone(), newest_version()];
        versions.dedup();
        for version in versions {
            let api = apis.entry(version.clone()).or_insert_with(|| load(&version));
            let Some(ty) = response_type(api, &fixture.operation) else {
                if version == fixture.daemon_version {
                    problems.push(format!(
                        "{} (v{}): operation {} has no JSON response type in v{version}",
                        fixture.file, fixture.daemon_version, fixture.operation
                    ));
                }
                continue;
            };
            let rust_type = ty.rust();
            let mut failures: BTreeMap<String, String> = BTreeMap::new();
            for (i, doc) in fixture.documents.iter().enumerate() {
                checked += 1;
                match decodes(&version, &rust_type, doc) {
                    Ok(reencoded) => {
                        let mut out = BTreeSet::new();
                        dropped(doc, &reencoded, "", &mut out);
                        if !out.is_empty() {
                            unknown_members.entry((version.clone(), rust_type.clone())).or_default().extend(out);
                        }
                    }
                    Err(_) => {
                        for (path, error) in locate(&version, &rust_type, doc) {
                            let path = if fixture.documents.len() > 1 { format!("[{i}]{path}") } else { path };
                            failures.entry(strip_item(&path)).or_insert(error);
                        }
                    }
                }
            }
            for (path, error) in failures {
                let listed = known.failures.iter().position(|k| {
                    k.fixture == fixture.file
                        && k.path == path
                        && k.versions
                            .parse::<VersionRange>()
                            .map(|r| r.contains(version.parse().unwrap()))
                            .unwrap_or(false)
                });
                match listed {
                    Some(i) => expected_seen[i] = true,
                    None => problems.push(format!(
                        "{} decoded by the v{version} models as {rust_type}: {path}: {error}",
                        fixture.file
                    )),
                }
            }
        }
    }
    for (k, seen) in known.failures.iter().zip(&expected_seen) {
        if !seen {
            problems.push(format!(
                "known failure {} {} (v{}) no longer happens: remove it from tests/daemon/responses/known-failures.yaml",
                k.fixture, k.path, k.versions
            ));
        }
    }
    let mut undocumented_seen = vec![false; known.undocumented.len()];
    for ((version, ty), members) in &unknown_members {
        for member in members {
            let listed = known.undocumented.iter().position(|u| {
                &u.rust_type == ty
                    && &u.path == member
                    && u.versions.parse::<VersionRange>().map(|r| r.contains(version.parse().unwrap())).unwrap_or(false)
            });
            match listed {
                Some(i) => undocumented_seen[i] = true,
                // The daemon's own models and every newer crate (which keeps the members later
                // versions removed) must know every member the daemon sends.
                None => problems.push(format!(
                    "v{version} {ty} drops {member}: no spec version describes it (add an override, or list it under `undocumented` with the reason)"
                )),
            }
        }
    }
    for (u, seen) in known.undocumented.iter().zip(&undocumented_seen) {
        if !seen {
            problems.push(format!(
                "undocumented {} {} (v{}) is decoded now: remove it from tests/daemon/responses/known-failures.yaml",
                u.rust_type, u.path, u.versions
            ));
        }
    }
    println!("{checked} documents from {} fixtures checked", fixtures.len());
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// `[3]/a/b` (the item of a stream) → `/a/b`: a failure is listed once per fixture and path.
fn strip_item(path: &str) -> String {
    match path.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map(|(_, p)| p.to_string()).unwrap_or_else(|| path.to_string()),
        None => path.to_string(),
    }
}

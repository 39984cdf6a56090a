//! The version matrix and diff reports, checked against the real specs (facts from
//! `spec-survey.md` §7).

use std::collections::BTreeSet;
use std::path::Path;

use codegen::lineage::Lineage;
use codegen::matrix::{self, json, markdown, query, Attribute, ChangeId, Diff, Kind, Level, Matrix};
use codegen::ApiVersion;
use serde_json::Value;

mod common;
use common::{apis, m, workspace};

fn v(text: &str) -> ApiVersion {
    text.parse().expect("version")
}

fn idx(text: &str) -> usize {
    m().index_of(v(text)).unwrap_or_else(|| panic!("no version {text}"))
}

/// `added`/`removed` of an entry as version strings.
fn lifetime(kind: Kind, key: &str) -> (Option<String>, Option<String>) {
    let e = m().get(kind, key).unwrap_or_else(|| panic!("no {} `{key}`", kind.as_str()));
    let at = |i: Option<usize>| i.map(|i| m().versions[i].version.to_string());
    (at(e.added_index()), at(e.removed_index()))
}

fn pair(to: &str) -> Diff {
    let t = idx(to);
    m().diff(t - 1, t)
}

fn find(diff: &Diff, id: &str, key: &str) -> matrix::Change {
    diff.changes.iter().find(|c| c.id.as_str() == id && c.key == key).cloned().unwrap_or_else(|| {
        panic!("v{}→v{}: no `{id}` on `{key}`; have:\n{}", diff.from, diff.to, markdown::diff_text(diff))
    })
}

#[test]
fn sixteen_versions_in_order() {
    let versions = m().version_list();
    assert_eq!(versions.first(), Some(&v("1.40")));
    assert_eq!(versions.len(), apis().len());
    assert!(versions.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn one_shot_of_container_stats_since_1_41() {
    assert_eq!(lifetime(Kind::Parameter, "ContainerStats query:one-shot"), (Some("1.41".into()), None));
    let change = find(&pair("1.41"), "request-parameter-added", "ContainerStats query:one-shot");
    assert_eq!(change.level, Level::Info);
    let answer = query::answer(m(), "GET /containers/{id}/stats one-shot").expect("answer");
    assert!(answer.contains("since 1.41"), "{answer}");
}

#[test]
fn image_attestations_added_in_1_55() {
    assert_eq!(lifetime(Kind::Operation, "ImageAttestations"), (Some("1.55".into()), None));
    let diff = pair("1.55");
    assert_eq!(find(&diff, "operation-added", "ImageAttestations").level, Level::Info);
    // Its parameters come with it, not one by one.
    assert!(!diff.changes.iter().any(|c| c.kind == Kind::Parameter && c.key.starts_with("ImageAttestations ")));
}

#[test]
fn mount_type_gains_cluster_then_image() {
    assert_eq!(lifetime(Kind::EnumValue, "MountType=cluster"), (Some("1.42".into()), None));
    assert_eq!(lifetime(Kind::EnumValue, "MountType=image"), (Some("1.48".into()), None));
    assert_eq!(lifetime(Kind::EnumValue, "MountType=bind"), (Some("1.40".into()), None));
    find(&pair("1.42"), "enum-value-added", "MountType=cluster");
    find(&pair("1.48"), "enum-value-added", "MountType=image");
    find(&pair("1.48"), "enum-value-added", "HostConfig.LogConfig.Type=local");
}

#[test]
fn network_settings_loses_ip_address_and_13_siblings_in_1_52() {
    let diff = pair("1.52");
    let removed: BTreeSet<&str> = diff
        .changes
        .iter()
        .filter(|c| c.id.as_str() == "response-property-removed" && c.key.starts_with("NetworkSettings."))
        .map(|c| c.key.trim_start_matches("NetworkSettings."))
        .collect();
    let expected: BTreeSet<&str> = [
        "Bridge",
        "EndpointID",
        "Gateway",
        "GlobalIPv6Address",
        "GlobalIPv6PrefixLen",
        "HairpinMode",
        "IPAddress",
        "IPPrefixLen",
        "IPv6Gateway",
        "LinkLocalIPv6Address",
        "LinkLocalIPv6PrefixLen",
        "MacAddress",
        "SecondaryIPAddresses",
        "SecondaryIPv6Addresses",
    ]
    .into_iter()
    .collect();
    assert_eq!(removed, expected);
    assert!(diff
        .changes
        .iter()
        .filter(|c| c.key.starts_with("NetworkSettings.") && c.attribute.is_none())
        .all(|c| c.level == Level::Breaking));
    assert_eq!(lifetime(Kind::Property, "NetworkSettings.IPAddress"), (Some("1.40".into()), Some("1.52".into())));
    let answer = query::answer(m(), "NetworkSettings.IPAddress").expect("answer");
    assert!(answer.contains("removed in 1.52"), "{answer}");
}

#[test]
fn image_inspect_virtual_size_removed_in_1_44() {
    assert_eq!(lifetime(Kind::Property, "ImageInspect.VirtualSize"), (Some("1.40".into()), Some("1.44".into())));
    assert_eq!(find(&pair("1.44"), "response-property-removed", "ImageInspect.VirtualSize").level, Level::Breaking);
}

#[test]
fn image_load_platform_becomes_an_array_in_1_52() {
    let key = "ImageLoad query:platform";
    assert_eq!(lifetime(Kind::Parameter, key), (Some("1.48".into()), None));
    let change = find(&pair("1.52"), "request-parameter-type-changed", key);
    assert_eq!((change.before.as_str(), change.after.as_str()), (Some("String"), Some("Vec<String>")));
    assert_eq!(change.level, Level::Breaking);
    // The same for the two image export operations; the encoding change is not listed twice.
    let diff = pair("1.52");
    find(&diff, "request-parameter-type-changed", "ImageGet query:platform");
    find(&diff, "request-parameter-type-changed", "ImageGetAll query:platform");
    assert!(!diff.changes.iter().any(|c| c.id.as_str() == "request-parameter-style-changed"));
}

#[test]
fn events_media_types_change_in_1_52_and_1_53() {
    let c52 = find(&pair("1.52"), "response-media-type-changed", "SystemEvents 200");
    assert_eq!(c52.before, serde_json::json!(["application/json"]));
    assert_eq!(c52.after, serde_json::json!(["application/x-ndjson", "application/json-seq"]));
    assert_eq!(c52.level, Level::Warning, "application/json went away");
    let c53 = find(&pair("1.53"), "response-media-type-changed", "SystemEvents 200");
    assert_eq!(c53.after, serde_json::json!(["application/jsonl", "application/x-ndjson", "application/json-seq"]));
    assert_eq!(c53.level, Level::Info, "only a media type was added");
    let history: Vec<String> = m()
        .get(Kind::Response, "SystemEvents 200")
        .expect("events response")
        .history(&m().version_list())
        .into_iter()
        .filter(|c| c.attribute == Attribute::MediaTypes)
        .map(|c| c.version.to_string())
        .collect();
    assert_eq!(history, ["1.52", "1.53"]);
}

/// (to-version, old name, new name) of every rename the brief names.
const RENAMES: &[(&str, &str, &str)] = &[
    ("1.44", "Task.Status", "TaskStatus"),
    ("1.47", "GraphDriverData", "DriverData"),
    ("1.48", "IdResponse", "IDResponse"),
    ("1.52", "Port", "PortSummary"),
    ("1.52", "VolumeCreateOptions", "VolumeCreateRequest"),
    ("1.52", "NetworkContainer", "EndpointResource"),
];

#[test]
fn renames_are_reported_as_renames() {
    for (to, old, new) in RENAMES {
        let diff = pair(to);
        let change = find(&diff, "type-renamed", new);
        assert_eq!((change.before.as_str(), change.after.as_str()), (Some(*old), Some(*new)), "{to}");
        // Neither an addition of the new name nor a removal of the old one.
        assert!(
            !diff
                .changes
                .iter()
                .any(|c| c.kind == Kind::Type && c.attribute.is_none() && (c.key == *old || c.key == *new)),
            "{to} {new}"
        );
    }
    // One entry with its history of names.
    let e = m().get(Kind::Type, "VolumeCreateRequest").expect("VolumeCreateRequest");
    assert_eq!(e.added_index(), Some(0));
    let j = json::entity_value(m(), e);
    let names: Vec<(&str, &str)> = j["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(|n| (n["since"].as_str().unwrap_or(""), n["name"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(names, [("1.40", "VolumeCreateOptions"), ("1.52", "VolumeCreateRequest")]);
    // Properties keep their history through the rename; the old path still answers queries.
    assert_eq!(lifetime(Kind::Property, "VolumeCreateRequest.Driver"), (Some("1.40".into()), None));
    assert!(query::answer(m(), "VolumeCreateOptions.Driver").expect("answer").contains("VolumeCreateRequest.Driver"));
    // The VolumeCreate body's type is the same type throughout.
    assert!(!pair("1.52").changes.iter().any(|c| c.key == "VolumeCreate body"));
}

#[test]
fn inline_responses_promoted_to_definitions_in_1_48() {
    let diff = pair("1.48");
    for name in ["ContainerInspectResponse", "ContainerTopResponse"] {
        let c = find(&diff, "type-promoted", name);
        assert_eq!((c.before.as_str(), c.after.as_str()), (Some("inline"), Some("definition")));
    }
    // Stats had no schema at all before: an untyped object became a named type.
    let c = find(&diff, "response-type-changed", "ContainerStats 200");
    assert_eq!(c.after.as_str(), Some("ContainerStatsResponse"));
    // The same JSON on the wire; Rust code that read the untyped value must change.
    assert_eq!((c.wire, c.rust), (Level::Info, Level::Breaking));
    // Properties of the promoted inspect response keep their history from 1.40.
    assert_eq!(lifetime(Kind::Property, "ContainerInspectResponse.Name").0.as_deref(), Some("1.40"));
}

#[test]
fn swapped_titles_of_network_bodies_do_not_swap_the_bodies() {
    // v1.41 titles the connect body `NetworkDisconnectRequest` and the other way round.
    let diff = pair("1.42");
    assert!(
        !diff.changes.iter().any(|c| c.id.as_str() == "request-body-type-changed"),
        "{}",
        markdown::diff_text(&diff)
    );
    assert_eq!(lifetime(Kind::Property, "NetworkConnectRequest.EndpointConfig").0.as_deref(), Some("1.40"));
}

#[test]
fn survey_invariants_hold() {
    // No operation, enum value or response code is ever removed.
    for e in m().entities.values().filter(|e| matches!(e.kind(), Kind::Operation | Kind::EnumValue | Kind::Response)) {
        assert_eq!(e.removed_index(), None, "{} {} removed", e.kind().as_str(), e.key);
    }
    for diff in m().pairs() {
        assert!(!diff.changes.iter().any(|c| c.id.as_str() == "operation-removed"));
    }
    // Added operations: VolumeUpdate (1.42) and ImageAttestations (1.55).
    let added: Vec<(&str, usize)> = m()
        .entities
        .values()
        .filter(|e| e.kind() == Kind::Operation && e.added_index() != Some(0))
        .map(|e| (e.key.as_str(), e.added_index().unwrap_or(0)))
        .collect();
    assert_eq!(added, [("ImageAttestations", idx("1.55")), ("VolumeUpdate", idx("1.42"))]);
}

#[test]
fn diff_of_any_two_versions() {
    let diff = m().diff(idx("1.40"), idx("1.55"));
    find(&diff, "request-parameter-added", "ContainerStats query:one-shot");
    find(&diff, "operation-added", "ImageAttestations");
    find(&diff, "response-property-removed", "NetworkSettings.IPAddress");
    let rename = find(&diff, "type-renamed", "VolumeCreateRequest");
    assert_eq!(rename.before.as_str(), Some("VolumeCreateOptions"));
    // A version against itself: nothing.
    let same = m().diff(idx("1.48"), idx("1.48"));
    assert!(same.changes.is_empty() && same.descriptions.is_empty());
}

#[test]
fn description_changes_are_separate() {
    for diff in m().pairs() {
        assert!(diff.changes.iter().all(|c| c.id.as_str() != "description-changed"));
        assert!(diff.descriptions.iter().all(|c| c.id == ChangeId::DescriptionChanged && c.level == Level::Info));
    }
    assert!(!pair("1.48").descriptions.is_empty());
}

#[test]
fn bad_input_does_not_panic() {
    assert!(query::answer(m(), "").is_err());
    assert!(query::answer(m(), "zzzz-nothing-like-this").is_err());
    assert!(query::answer(m(), "GET /no/such/path").is_err());
    assert!(query::answer(m(), "GET /containers/{id}/stats no-such-param").is_err());
    assert!(query::answer(m(), "ContainerStats").expect("op id").contains("GET /containers/{id}/stats"));
    assert!(query::answer(m(), "ealth.Stat").expect("substring").contains("ContainerSummary.Health.Status"));
    // Out-of-range indices and an empty matrix.
    let diff = m().diff(999, 1000);
    assert!(diff.changes.is_empty());
    let empty = Matrix::build(&[]);
    assert!(empty.pairs().is_empty());
    let files = matrix::report_files(&[], &Lineage::build(&[]), Path::new("/nowhere"));
    assert!(files.keys().any(|p| p.ends_with("report.html")));
}

#[test]
fn reports_are_deterministic() {
    let a = matrix::report_files(apis(), &Lineage::build(apis()), Path::new("/out"));
    let b = matrix::report_files(apis(), &Lineage::build(apis()), Path::new("/out"));
    assert_eq!(a, b);
    // The matrix does not depend on the order the IRs come in.
    let mut reversed = apis().clone();
    reversed.reverse();
    assert_eq!(
        json::matrix_json(&Matrix::build(&reversed), &Matrix::build(&reversed).pairs()),
        a[Path::new("/out/matrix.json")]
    );
    let names: Vec<String> = a.keys().map(|p| p.strip_prefix("/out").unwrap_or(p).display().to_string()).collect();
    assert!(names.contains(&"diffs/v1.51-v1.52.md".to_string()));
    assert_eq!(names.iter().filter(|n| n.starts_with("diffs/")).count(), apis().len() - 1);
}

#[test]
fn diff_markdown_v1_47_to_v1_48() {
    insta::assert_snapshot!(markdown::diff_md(m(), &pair("1.48")));
}

#[test]
fn diff_markdown_v1_51_to_v1_52() {
    insta::assert_snapshot!(markdown::diff_md(m(), &pair("1.52")));
}

// ---------------------------------------------------------------------------------------------
// matrix.json against its committed JSON Schema.
//
// A small validator for the subset of JSON Schema (draft-07) that matrix.schema.json uses:
// `type` (name or list), `enum`, `properties`, `required`, `additionalProperties` (bool or
// schema), `items`, `minItems`, `minimum`, `pattern`, `allOf`, `oneOf` and local `$ref`
// (`#/definitions/…`). Any other keyword in the schema fails the test, so the subset cannot
// silently grow.

const KNOWN_KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "type",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "minimum",
    "pattern",
    "allOf",
    "oneOf",
    "$ref",
    "definitions",
];

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if errors.len() > 20 {
        return;
    }
    let Some(schema) = schema.as_object() else { return };
    for key in schema.keys() {
        assert!(
            KNOWN_KEYWORDS.contains(&key.as_str()),
            "schema keyword `{key}` is not supported by the test validator"
        );
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/definitions/").expect("local $ref");
        validate(root, &root["definitions"][name], value, at, errors);
    }
    if let Some(ty) = schema.get("type") {
        let ok = match ty {
            Value::String(name) => type_matches(name, value),
            Value::Array(names) => names.iter().filter_map(Value::as_str).any(|n| type_matches(n, value)),
            _ => false,
        };
        if !ok {
            errors.push(format!("{at}: {value} is not of type {ty}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64()) {
        if n < min {
            errors.push(format!("{at}: {n} < {min}"));
        }
    }
    if let (Some(pattern), Some(text)) = (schema.get("pattern").and_then(Value::as_str), value.as_str()) {
        if !regex::Regex::new(pattern).expect("pattern compiles").is_match(text) {
            errors.push(format!("{at}: `{text}` does not match {pattern}"));
        }
    }
    for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        validate(root, member, value, at, errors);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                validate(root, o, value, at, &mut e);
                e.is_empty()
            })
            .count();
        if passing != 1 {
            errors.push(format!("{at}: {passing} of oneOf match"));
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
        {
            if !object.contains_key(required) {
                errors.push(format!("{at}: missing `{required}`"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, member) in object {
            let here = format!("{at}/{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => validate(root, sub, member, &here, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{at}: unexpected key `{key}`")),
                    Some(sub @ Value::Object(_)) => validate(root, sub, member, &here, errors),
                    _ => {}
                },
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                errors.push(format!("{at}: fewer than {min} items"));
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(root, item_schema, item, &format!("{at}/{i}"), errors);
            }
        }
    }
}

fn schema_errors(schema: &Value, document: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(schema, schema, document, "", &mut errors);
    errors
}

#[test]
fn matrix_json_validates_against_its_committed_schema() {
    let committed = std::fs::read_to_string(workspace().join("generated/matrix.schema.json"))
        .expect("generated/matrix.schema.json is committed");
    assert_eq!(committed, matrix::MATRIX_SCHEMA, "generated/matrix.schema.json is stale: run `cargo xtask regen`");
    let schema: Value = serde_json::from_str(&committed).expect("schema is JSON");
    let document: Value = serde_json::from_str(&json::matrix_json(m(), &m().pairs())).expect("matrix.json is JSON");
    let errors = schema_errors(&schema, &document);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(document["format_version"], matrix::FORMAT_VERSION);
    // The validator does reject what the schema forbids.
    let mut broken = document.clone();
    broken["operations"]["ContainerStats"]["added"] = Value::from("latest");
    broken["pairs"][0]["changes"][0]["level"] = Value::from("fatal");
    broken["versions"][0].as_object_mut().expect("object").remove("sha256");
    broken["surprise"] = Value::from(1);
    assert_eq!(schema_errors(&schema, &broken).len(), 4, "{:#?}", schema_errors(&schema, &broken));
}

// ---------------------------------------------------------------------------------------------
// report.html, parsed by a small tag tokenizer (the page is written as well-formed HTML).

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Tags in document order; `<script>`/`<style>` bodies are skipped; checks nesting.
fn parse_html(page: &str) -> Vec<Tag> {
    const VOID: &[&str] = &["meta", "br", "input", "link", "img", "hr"];
    let mut tags = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->").expect("comment closed") + 3..];
            continue;
        }
        if rest.starts_with("<!DOCTYPE") {
            rest = &rest[rest.find('>').expect("doctype closed") + 1..];
            continue;
        }
        let end = rest.find('>').expect("tag closed");
        let inner = rest[1..end].trim_end_matches('/');
        rest = &rest[end + 1..];
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()), "bad tag `{inner}`");
        let mut attrs = Vec::new();
        let mut a = inner[name_end..].trim();
        while !a.is_empty() {
            let eq = a.find('=').unwrap_or_else(|| panic!("attribute without value in <{name} {a}>"));
            let key = a[..eq].trim().to_string();
            let value_part = &a[eq + 1..];
            assert!(value_part.starts_with('"'), "unquoted attribute {key} in <{name}>");
            let close = value_part[1..].find('"').expect("attribute closed") + 1;
            attrs.push((key, value_part[1..close].to_string()));
            a = value_part[close + 1..].trim();
        }
        if closing {
            assert_eq!(open.pop().as_deref(), Some(name.as_str()), "mis-nested </{name}>");
        } else if !VOID.contains(&name.as_str()) {
            open.push(name.clone());
            if name == "script" || name == "style" {
                let close = format!("</{name}>");
                rest = &rest[rest.find(&close).expect("script/style closed")..];
            }
        }
        tags.push(Tag { name, closing, attrs });
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    tags
}

#[test]
fn report_html_is_self_contained_and_complete() {
    let pairs = m().pairs();
    let page = codegen::matrix::html::report(m(), &pairs);
    assert!(!page.contains("http://") && !page.contains("https://"), "no external references");
    let tags = parse_html(&page);
    for tag in &tags {
        assert!(
            !matches!(tag.name.as_str(), "link" | "img" | "iframe" | "object" | "embed"),
            "external-capable <{}>",
            tag.name
        );
        for key in ["src", "href"] {
            if let Some(value) = attr(tag, key) {
                assert!(value.starts_with('#'), "<{} {key}=\"{value}\"> is not a local anchor", tag.name);
            }
        }
    }
    // Every version column.
    let columns: Vec<&str> =
        tags.iter().filter(|t| t.name == "th" && !t.closing).filter_map(|t| attr(t, "data-version")).collect();
    let versions: Vec<String> = m().version_list().iter().map(|v| v.to_string()).collect();
    assert_eq!(columns, versions);
    // Every operation row, with one cell per version.
    let rows: BTreeSet<&str> =
        tags.iter().filter(|t| t.name == "tr" && !t.closing).filter_map(|t| attr(t, "data-op")).collect();
    let operations: BTreeSet<&str> =
        m().entities.values().filter(|e| e.kind() == Kind::Operation).map(|e| e.key.as_str()).collect();
    assert_eq!(rows, operations);
    let cells = tags
        .iter()
        .filter(|t| t.name == "td" && !t.closing && attr(t, "class").is_some_and(|c| c.starts_with("c ")))
        .count();
    assert_eq!(cells, operations.len() * versions.len());
    // Every pair has a section, and every in-page link has a target.
    let ids: BTreeSet<&str> = tags.iter().filter_map(|t| attr(t, "id")).collect();
    for diff in &pairs {
        assert!(ids.contains(format!("v{}-v{}", diff.from, diff.to).as_str()));
    }
    for href in tags.iter().filter_map(|t| attr(t, "href")) {
        assert!(ids.contains(&href[1..]), "dangling {href}");
    }
    // The filter controls exist.
    assert!(ids.contains("q") && ids.contains("tag") && ids.contains("grid"));
}

//! What other SDKs build on (issue 14): the operations each change affects, response headers
//! in full, deprecations stated in prose, and two verdicts per change (wire and Rust source),
//! checked against the real specs.

use std::collections::BTreeMap;

use codegen::lineage::deprecation;
use codegen::matrix::{json, side_names, Change, ChangeId, Diff, Kind, Level};
use codegen::ApiVersion;

mod common;
use common::{apis, m};

fn pair(to: &str) -> Diff {
    let v: ApiVersion = to.parse().expect("version");
    let t = m().index_of(v).unwrap_or_else(|| panic!("no version {to}"));
    m().diff(t - 1, t)
}

fn find(diff: &Diff, id: &str, key: &str) -> Change {
    diff.changes.iter().chain(&diff.deprecations).find(|c| c.id.as_str() == id && c.key == key).cloned().unwrap_or_else(
        || panic!("v{}→v{}: no `{id}` on `{key}`:\n{}", diff.from, diff.to, codegen::matrix::markdown::diff_text(diff)),
    )
}

/// `{"ContainerInspect": "response"}`, as the reports spell sides.
fn operations(change: &Change) -> BTreeMap<&str, String> {
    change.operations.iter().map(|(op, side)| (op.as_str(), side_names(*side).join("+"))).collect()
}

fn expect(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
    pairs.iter().map(|(op, side)| (*op, side.to_string())).collect()
}

#[test]
fn five_known_removals_list_the_operations_they_affect() {
    let ip = find(&pair("1.52"), "response-property-removed", "NetworkSettings.IPAddress");
    assert_eq!(operations(&ip), expect(&[("ContainerInspect", "response")]));
    let summary = find(&pair("1.44"), "response-property-removed", "ImageSummary.VirtualSize");
    assert_eq!(operations(&summary), expect(&[("ImageList", "response"), ("SystemDataUsage", "response")]));
    let inspect = find(&pair("1.44"), "response-property-removed", "ImageInspect.VirtualSize");
    assert_eq!(operations(&inspect), expect(&[("ImageInspect", "response")]));
    for legacy in ["Images", "Containers", "Volumes", "BuildCache", "LayersSize"] {
        let df = find(&pair("1.52"), "response-property-removed", &format!("SystemDataUsageResponse.{legacy}"));
        assert_eq!(operations(&df), expect(&[("SystemDataUsage", "response")]), "{legacy}");
    }
    // Reached through `allOf` (ContainerCreateBody and ContainerInspectResponse.Config copy
    // ContainerConfig) on both sides.
    let mac = find(&pair("1.52"), "response-property-removed", "ContainerConfig.MacAddress");
    assert_eq!(
        operations(&mac),
        expect(&[("ContainerCreate", "request"), ("ContainerInspect", "response"), ("ImageCommit", "request")])
    );
    // Breaking items say so in the Markdown report.
    let md = codegen::matrix::markdown::diff_md(m(), &pair("1.52"));
    let line = md.lines().find(|l| l.contains("`NetworkSettings.IPAddress` removed")).expect("listed");
    assert!(line.ends_with("affects `GET /containers/{id}/json` (response)"), "{line}");
    // And MATRIX.md's table of removals.
    let matrix_md = codegen::matrix::markdown::matrix_md(m(), &m().pairs());
    assert!(matrix_md.contains("| `NetworkSettings.IPAddress` | 1.52 | ContainerInspect (response) |"));
    assert!(
        matrix_md.contains("| `ImageSummary.VirtualSize` | 1.44 | ImageList (response), SystemDataUsage (response) |")
    );
}

#[test]
fn types_list_every_operation_that_ever_reached_them() {
    let resources = json::entity_value(m(), m().get(Kind::Type, "Resources").expect("Resources"));
    let ops: Vec<&str> = resources["operations"].as_object().expect("map").keys().map(String::as_str).collect();
    assert_eq!(ops, ["ContainerCreate", "ContainerInspect", "ContainerUpdate"]);
    assert_eq!(resources["operations"]["ContainerInspect"], serde_json::json!(["response"]));
    let build_info = json::entity_value(m(), m().get(Kind::Type, "BuildInfo").expect("BuildInfo"));
    assert_eq!(build_info["operations"], serde_json::json!({"ImageBuild": ["response"], "ImageLoad": ["response"]}));
}

#[test]
fn response_headers_record_type_default_and_description() {
    let c = find(&pair("1.42"), "response-header-default-changed", "SystemPing 200 Builder-Version");
    assert_eq!((c.before.clone(), c.after.clone()), (serde_json::Value::Null, serde_json::json!("2")));
    assert_eq!(operations(&c), expect(&[("SystemPing", "response")]));
    let described = pair("1.42")
        .descriptions
        .into_iter()
        .find(|c| c.key == "SystemPing 200 Builder-Version")
        .expect("the description of Builder-Version changed too");
    assert!(described.after.as_str().is_some_and(|t| t.contains("BuildKit")), "{:?}", described.after);
    let header = json::entity_value(m(), m().get(Kind::Header, "SystemPing 200 Builder-Version").expect("header"));
    assert_eq!(header["added"], "1.40");
    let added = find(&pair("1.42"), "response-header-added", "SystemPing 200 Swarm");
    assert_eq!(added.level, Level::Info);
}

// ---------------------------------------------------------------------------------------------
// Deprecations stated in prose.

#[test]
fn deprecations_in_prose_are_found_in_the_real_specs() {
    let since = |key: &str| {
        let value = json::entity_value(m(), m().get(Kind::Property, key).unwrap_or_else(|| panic!("{key}")));
        value["deprecated"]["since"].as_str().map(str::to_owned)
    };
    for legacy in ["IPAddress", "Gateway", "MacAddress", "EndpointID", "GlobalIPv6Address", "IPPrefixLen"] {
        assert_eq!(since(&format!("NetworkSettings.{legacy}")).as_deref(), Some("1.40"), "{legacy}");
    }
    assert_eq!(since("NetworkSettings.HairpinMode").as_deref(), Some("1.44"));
    assert_eq!(since("ImageSummary.VirtualSize").as_deref(), Some("1.43"));
    assert_eq!(since("ImageInspect.VirtualSize").as_deref(), Some("1.43"));
    assert_eq!(since("ImageInspect.ContainerConfig").as_deref(), Some("1.44"));
    assert_eq!(since("ContainerConfig.MacAddress").as_deref(), Some("1.44"));
    assert_eq!(since("NetworkSettings.Networks"), None);
    // Each diff has the section; 1.44 deprecates ContainerConfig.MacAddress.
    let c = find(&pair("1.44"), "deprecated", "ContainerConfig.MacAddress");
    assert!(c.message.contains("Use EndpointSettings.MacAddress instead"), "{}", c.message);
    assert_eq!(operations(&c).get("ContainerInspect").map(String::as_str), Some("response"));
    let md = codegen::matrix::markdown::diff_md(m(), &pair("1.44"));
    assert!(md.contains("## Deprecated in this version (15)"), "{md}");
    assert!(codegen::matrix::markdown::diff_md(m(), &pair("1.52")).contains("## Deprecated in this version (0)"));
}

/// Every description in every spec that says "Deprecated" at a line start (the way the specs
/// mark a deprecated member) is recognised, and what is recognised is exactly that.
#[test]
fn every_deprecation_marker_in_the_specs_is_recognised() {
    let mut marked = 0;
    let mut check = |text: &str, at: &str| {
        let by_line = text.lines().any(|l| {
            let l = l.trim().trim_start_matches('>').trim();
            deprecation::MARKERS.iter().any(|m| l.starts_with(m))
        });
        let mentions = text.contains("**Deprecated") || text.lines().any(|l| l.trim().starts_with("Deprecated"));
        assert_eq!(deprecation::note(text).is_some(), by_line, "{at}: {text}");
        assert!(!mentions || by_line, "{at}: a marker that no pattern accepts: {text}");
        marked += usize::from(by_line);
    };
    for api in apis() {
        for def in api.types.values() {
            check(def.doc.as_deref().unwrap_or_default(), &def.name);
            if let codegen::ir::TypeKind::Struct { fields } = &def.kind {
                fields.iter().for_each(|f| check(f.facts.description.as_deref().unwrap_or_default(), &f.pointer));
            }
        }
        for op in api.operations.values() {
            check(op.description.as_deref().unwrap_or_default(), &op.id);
            op.params.iter().for_each(|p| check(p.description.as_deref().unwrap_or_default(), &p.name));
        }
    }
    assert!(marked >= 300, "only {marked} deprecated descriptions over 16 specs (336 when written)");
    // The only endpoint the specs deprecate.
    let session = m().get(Kind::Operation, "Session").expect("Session");
    assert!(json::entity_value(m(), session)["deprecated"]["note"].as_str().is_some());
}

// ---------------------------------------------------------------------------------------------
// Two verdicts per change: (wire, Rust source).

fn levels(change: &Change) -> (Level, Level) {
    (change.wire, change.rust)
}

#[test]
fn network_becomes_network_inspect_compatible_on_the_wire_breaking_in_rust() {
    let c = find(&pair("1.52"), "response-type-changed", "NetworkInspect 200");
    assert_eq!((c.before.as_str(), c.after.as_str()), (Some("Network"), Some("NetworkInspect")));
    assert_eq!(levels(&c), (Level::Info, Level::Breaking));
    assert_eq!(c.level, Level::Breaking);
}

#[test]
fn platform_string_to_array_compatible_on_the_wire_breaking_in_rust() {
    for key in ["ImageLoad query:platform", "ImageGet query:platform", "ImageGetAll query:platform"] {
        let c = find(&pair("1.52"), "request-parameter-type-changed", key);
        assert_eq!(levels(&c), (Level::Info, Level::Breaking), "{key}");
    }
}

#[test]
fn virtual_size_no_longer_required_breaks_a_strict_wire_client_only() {
    let c = find(&pair("1.43"), "response-property-required-changed", "ImageSummary.VirtualSize");
    assert_eq!(c.after, serde_json::json!(false));
    assert_eq!(levels(&c), (Level::Breaking, Level::Info));
    assert_eq!(c.level, Level::Breaking);
}

#[test]
fn network_list_200_is_not_counted_twice() {
    let diff = pair("1.52");
    // `Vec<Network>` → `Vec<NetworkSummary>`, an alias of `Network`: the same type for both.
    let c = find(&diff, "response-type-changed", "NetworkList 200");
    assert_eq!(levels(&c), (Level::Info, Level::Info));
    // What the list loses is the one breaking change.
    let containers = find(&diff, "response-property-removed", "Network.Containers");
    assert_eq!(levels(&containers), (Level::Breaking, Level::Warning));
    // `NetworkInspect` copies `Network` (`allOf`) and keeps `Containers`: only the list and the
    // tasks (whose attachments hold a `Network`) lose it.
    assert_eq!(
        operations(&containers),
        expect(&[("NetworkList", "response"), ("TaskInspect", "response"), ("TaskList", "response")])
    );
    let breaking_for_list: Vec<&str> = diff
        .changes
        .iter()
        .filter(|c| c.level == Level::Breaking && c.operations.contains_key("NetworkList"))
        .map(|c| c.key.as_str())
        .collect();
    assert_eq!(breaking_for_list, ["Network.Containers"]);
}

#[test]
fn resources_is_reached_through_all_of() {
    let c = find(&pair("1.52"), "response-property-removed", "Resources.KernelMemoryTCP");
    assert_eq!(levels(&c), (Level::Breaking, Level::Warning));
    assert_eq!(
        operations(&c),
        expect(&[("ContainerCreate", "request"), ("ContainerInspect", "response"), ("ContainerUpdate", "request")])
    );
    // Never again "used by no operation".
    assert!(!pair("1.52")
        .changes
        .iter()
        .any(|c| c.key.starts_with("Resources.") && c.id.as_str() == "property-removed"));
}

#[test]
fn stream_items_are_reached_through_the_streaming_table() {
    let diff = pair("1.52");
    for (ty, ops) in [
        ("BuildInfo", &[("ImageBuild", "response"), ("ImageLoad", "response")][..]),
        ("CreateImageInfo", &[("ImageCreate", "response"), ("PluginPull", "response"), ("PluginUpgrade", "response")]),
        ("PushImageInfo", &[("ImagePush", "response"), ("PluginPush", "response")]),
    ] {
        for member in ["error", "progress"] {
            let c = find(&diff, "response-property-removed", &format!("{ty}.{member}"));
            assert_eq!(levels(&c), (Level::Breaking, Level::Warning), "{ty}.{member}");
            assert_eq!(operations(&c), expect(ops), "{ty}.{member}");
        }
    }
}

#[test]
fn volume_update_body_comes_with_its_operation() {
    let diff = pair("1.42");
    let op = find(&diff, "operation-added", "VolumeUpdate");
    assert_eq!(levels(&op), (Level::Info, Level::Info));
    let listed: Vec<&str> =
        diff.changes.iter().filter(|c| c.key.starts_with("VolumeUpdate")).map(|c| c.key.as_str()).collect();
    assert_eq!(listed, ["VolumeUpdate"]);
}

#[test]
fn every_change_has_both_levels_and_its_level_is_the_more_severe() {
    for diff in m().pairs() {
        for c in diff.changes.iter().chain(&diff.descriptions).chain(&diff.deprecations) {
            assert_eq!(c.level, c.wire.min(c.rust), "{} {}", c.id, c.key);
            assert!(!c.operations.is_empty() || matches!(c.kind, Kind::Type | Kind::Property | Kind::EnumValue));
        }
        assert!(diff.descriptions.iter().all(|c| c.id == ChangeId::DescriptionChanged));
    }
}

#[test]
fn description_changes_show_their_words() {
    let md = codegen::matrix::markdown::diff_md(m(), &pair("1.52"));
    assert!(md.contains("- type `PortSummary`: description changed\n  > ~~An open port on a~~**Describes a port-mapping between the** container **and the host.**"), "{md}");
    let html = codegen::matrix::html::report(m(), &m().pairs());
    assert!(html.contains("<del>An open port on a</del><ins>Describes a port-mapping between the</ins> container"));
}

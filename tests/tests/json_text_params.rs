//! Query parameters whose text is JSON (`buildargs`, `labels`, OCI platforms, …) take typed
//! values and the generated code encodes them.
//!
//! - every such parameter of every spec (its description says so) is in the IR's table
//!   `JSON_TEXT_PARAMETERS`, and every table entry names a parameter that exists;
//! - on the wire, against a scripted daemon: maps, lists and platforms arrive as the JSON the
//!   daemon parses, a list of platforms as one repeated key per platform.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use codegen::ir::encoding::{Encoding, ListItem, JSON_TEXT_PARAMETERS};
use codegen::ir::ParamLocation;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;

/// A description that says the text is JSON.
fn says_json(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    ["json map", "json array", "json encoded", "json-encoded", "stringified json"].iter().any(|w| d.contains(w))
        || (d.contains("encoded as a json string"))
}

#[test]
fn every_json_text_parameter_is_in_the_table_and_every_entry_is_used() {
    let mut used = vec![false; JSON_TEXT_PARAMETERS.len()];
    let mut unlisted = Vec::new();
    let mut checked = 0;
    for built in integration_tests::all_versions() {
        let api = &built.api;
        for op in api.operations.values() {
            for p in &op.params {
                if let Some(i) = JSON_TEXT_PARAMETERS.iter().position(|e| e.operation == op.id && e.name == p.name) {
                    used[i] = true;
                }
                let described_as_json = p.description.as_deref().is_some_and(says_json);
                // `filters` has its own builder; `X-Registry-Config` is a header of credentials.
                if !described_as_json || p.location != ParamLocation::Query || p.name == "filters" {
                    continue;
                }
                checked += 1;
                match p.encoding {
                    Encoding::JsonText(_) | Encoding::List { item: ListItem::Json(_), .. } => {}
                    other => unlisted.push(format!("v{} {}.{}: {other:?}", api.version, op.id, p.name)),
                }
            }
        }
    }
    println!("{checked} JSON-text query parameters across all versions");
    assert!(checked >= 4 * 16, "buildargs, labels, cachefrom and outputs are in every version; found {checked}");
    assert!(unlisted.is_empty(), "JSON-text parameters missing from JSON_TEXT_PARAMETERS:\n{}", unlisted.join("\n"));
    let stale: Vec<_> = JSON_TEXT_PARAMETERS
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(e, _)| format!("{}.{}", e.operation, e.name))
        .collect();
    assert!(stale.is_empty(), "entries that match no parameter of any spec: {stale:?}");
}

/// A daemon that records each request line and answers `{}` (a JSON object, a one-item JSON
/// stream, or bytes, whatever the call expects).
async fn recording_daemon() -> (tempfile::TempDir, std::path::PathBuf, Arc<Mutex<Vec<String>>>) {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let Ok(Some(request_line)) = lines.next_line().await else { return };
                while let Ok(Some(line)) = lines.next_line().await {
                    if line.is_empty() {
                        break;
                    }
                }
                seen.lock().unwrap().push(request_line);
                let reply = "HTTP/1.1 200 OK\r\nApi-Version: 1.55\r\nContent-Type: application/json\r\n\
                             Content-Length: 2\r\nConnection: close\r\n\r\n{}";
                let _ = write.write_all(reply.as_bytes()).await;
                let _ = write.shutdown().await;
            });
        }
    });
    (dir, socket, requests)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The decoded values of `key` in the query of `request_line`, in order.
fn query_values(request_line: &str, key: &str) -> Vec<serde_json::Value> {
    let target = request_line.split(' ').nth(1).unwrap();
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| serde_json::from_str(&percent_decode(v)).unwrap_or_else(|e| panic!("{key}={v}: {e}")))
        .collect()
}

#[tokio::test]
async fn maps_lists_and_platforms_are_sent_as_json() {
    use docker_engine_api_v1_55::{models, ApiVersion, Docker, ImageBuildOptions, StreamExt, Transport};
    let (_dir, socket, requests) = recording_daemon().await;
    let docker = Docker::new(Transport::unix(&socket).with_pinned_version(ApiVersion::new(1, 55)));

    let options = ImageBuildOptions {
        buildargs: Some(BTreeMap::from([("A".into(), "1".into()), ("B".into(), "x y&z=\"q\"".into())])),
        labels: Some(BTreeMap::from([("team".into(), "core".into())])),
        cachefrom: Some(vec!["app:1".into(), "app:2".into()]),
        outputs: Some(vec![serde_json::json!({"Type": "local", "Attrs": {"dest": "/out"}})
            .as_object()
            .cloned()
            .unwrap()]),
        ..Default::default()
    };
    let items: Vec<_> = docker.image_build(&options, None).await.expect("build").collect().await;
    assert_eq!(items.len(), 1);

    let arm =
        models::OciPlatform { os: Some("linux".into()), architecture: Some("arm64".into()), ..Default::default() };
    let amd =
        models::OciPlatform { os: Some("linux".into()), architecture: Some("amd64".into()), ..Default::default() };
    let inspect = docker_engine_api_v1_55::ImageInspectOptions { platform: Some(arm.clone()), ..Default::default() };
    docker.image_inspect("app", &inspect).await.expect("inspect");
    let get = docker_engine_api_v1_55::ImageGetOptions { platform: Some(vec![arm, amd]) };
    docker.image_get("app", &get).await.expect("save");

    let requests = requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3, "{requests:?}");
    let build = &requests[0];
    assert_eq!(query_values(build, "buildargs"), [serde_json::json!({"A": "1", "B": "x y&z=\"q\""})]);
    assert_eq!(query_values(build, "labels"), [serde_json::json!({"team": "core"})]);
    assert_eq!(query_values(build, "cachefrom"), [serde_json::json!(["app:1", "app:2"])]);
    assert_eq!(query_values(build, "outputs"), [serde_json::json!([{"Type": "local", "Attrs": {"dest": "/out"}}])]);
    let arm_json = serde_json::json!({"os": "linux", "architecture": "arm64"});
    assert_eq!(query_values(&requests[1], "platform"), std::slice::from_ref(&arm_json));
    assert_eq!(
        query_values(&requests[2], "platform"),
        [arm_json, serde_json::json!({"os": "linux", "architecture": "amd64"})],
        "one repeated key per platform: {}",
        requests[2]
    );
}

#[tokio::test]
async fn the_oldest_crates_take_maps_too() {
    use docker_engine_api_v1_41::{ApiVersion, Docker, ImageBuildOptions, StreamExt, Transport};
    let (_dir, socket, requests) = recording_daemon().await;
    let docker = Docker::new(Transport::unix(&socket).with_pinned_version(ApiVersion::new(1, 41)));
    let options = ImageBuildOptions {
        buildargs: Some(BTreeMap::from([("HTTP_PROXY".into(), "http://127.0.0.1:3128".into())])),
        ..Default::default()
    };
    let _: Vec<_> = docker.image_build(&options, None).await.expect("build").collect().await;
    let requests = requests.lock().unwrap().clone();
    assert!(requests[0].starts_with("POST /v1.41/build?"), "{}", requests[0]);
    assert_eq!(query_values(&requests[0], "buildargs"), [serde_json::json!({"HTTP_PROXY": "http://127.0.0.1:3128"})]);
}

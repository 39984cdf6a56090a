//! Version gates of the v1.55 crate against scripted daemons at API 1.40, 1.41, 1.44 and 1.52.
//!
//! A request that sets a query parameter or a body member (top level, nested, inside arrays and
//! maps) the negotiated version lacks fails before anything is sent — the daemon records every
//! request, so "nothing arrived" is checked, not assumed — and names the member, its range and
//! the negotiated version. The same request against a version that has the member arrives
//! byte for byte as the crate encodes it. Removed members work against versions that still
//! have them. (No header parameter changes its range between v1.40 and v1.55 — the lineage test
//! in `tests/tests/lineage.rs` checks that — so header gates are covered by the transport's own
//! tests.)

// Options are written `..Default::default()` as users should (a later crate may add fields),
// even where this crate's struct is complete.
#![allow(clippy::needless_update)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use docker_engine_api_v1_55::{models, ApiVersion, Docker, Error, Transport};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;

/// One request as the daemon saw it: request line and body.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    line: String,
    body: Vec<u8>,
}

struct ScriptedDaemon {
    socket: PathBuf,
    seen: Arc<Mutex<Vec<Seen>>>,
    _dir: tempfile::TempDir,
}

impl ScriptedDaemon {
    /// Requests other than the version ping.
    fn calls(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().iter().filter(|s| !s.line.contains("/_ping")).cloned().collect()
    }
}

fn answer(line: &str) -> (&'static str, &'static str) {
    let path = line.split(' ').nth(1).unwrap_or("");
    if path.contains("/_ping") {
        ("200 OK", "OK")
    } else if path.contains("/containers/create") {
        ("201 Created", r#"{"Id":"c1","Warnings":[]}"#)
    } else if path.contains("/networks/create") {
        ("201 Created", r#"{"Id":"n1"}"#)
    } else if path.contains("/build/prune") {
        ("200 OK", r#"{"SpaceReclaimed":0}"#)
    } else if path.contains("/stats") {
        ("200 OK", "{\"read\":\"now\"}\n")
    } else {
        ("204 No Content", "")
    }
}

async fn daemon(version: &'static str) -> ScriptedDaemon {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                let mut line = String::new();
                if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                let mut length = 0usize;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).await.unwrap_or(0) == 0 || header.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = header.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body).await;
                let line = line.trim().to_string();
                let (status, text) = answer(&line);
                record.lock().unwrap().push(Seen { line, body });
                let response = format!(
                    "HTTP/1.1 {status}\r\nApi-Version: {version}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = write.write_all(response.as_bytes()).await;
                let _ = write.shutdown().await;
            });
        }
    });
    ScriptedDaemon { socket, seen, _dir: dir }
}

const VERSIONS: [&str; 4] = ["1.40", "1.41", "1.44", "1.52"];

fn version(text: &str) -> ApiVersion {
    let (major, minor) = text.split_once('.').unwrap();
    ApiVersion::new(major.parse().unwrap(), minor.parse().unwrap())
}

/// Runs `call` against a daemon at every version; where `allowed(version)` it must succeed and
/// send exactly one request `expect(version)`; elsewhere it must fail with `UnsupportedMember`
/// naming `member`, and send nothing.
async fn check<F, Fut, T>(
    member: &str,
    allowed: impl Fn(ApiVersion) -> bool,
    call: F,
) -> Vec<(ApiVersion, Result<Seen, Error>)>
where
    F: Fn(Docker) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut results = Vec::new();
    for text in VERSIONS {
        let daemon = daemon(text).await;
        let docker = Docker::new(Transport::unix(&daemon.socket));
        let outcome = call(docker).await;
        let v = version(text);
        match outcome {
            Ok(_) => {
                assert!(allowed(v), "{member} at {v}: sent although the version lacks it: {:?}", daemon.calls());
                let calls = daemon.calls();
                assert_eq!(calls.len(), 1, "{member} at {v}: {calls:?}");
                results.push((v, Ok(calls[0].clone())));
            }
            Err(err) => {
                assert!(!allowed(v), "{member} at {v}: refused although the version has it: {err}");
                assert!(daemon.calls().is_empty(), "{member} at {v}: something was sent: {:?}", daemon.calls());
                match &err {
                    Error::UnsupportedMember { member: m, negotiated, .. } => {
                        assert_eq!(m, member);
                        assert_eq!(*negotiated, v);
                    }
                    other => panic!("{member} at {v}: expected UnsupportedMember, got {other}"),
                }
                let text = err.to_string();
                assert!(text.contains(member) && text.contains(&v.to_string()), "{text}");
                results.push((v, Err(err)));
            }
        }
    }
    results
}

#[tokio::test]
async fn query_parameter_added_later() {
    let options = docker_engine_api_v1_55::ContainerStopOptions {
        signal: Some("SIGINT".into()),
        t: Some(3),
        ..Default::default()
    };
    let results = check(
        "signal",
        |v| v >= ApiVersion::new(1, 42),
        |d| {
            let options = options.clone();
            async move { d.container_stop("c1", &options).await }
        },
    )
    .await;
    for (v, result) in results {
        match result {
            Ok(seen) => assert_eq!(seen.line, format!("POST /v{v}/containers/c1/stop?signal=SIGINT&t=3 HTTP/1.1")),
            Err(err) => assert!(err.to_string().contains("API v1.42 and later"), "{err}"),
        }
    }
    // Without the parameter, every version gets the request.
    for text in VERSIONS {
        let daemon = daemon(text).await;
        let docker = Docker::new(Transport::unix(&daemon.socket));
        docker.container_stop("c1", &Default::default()).await.unwrap();
        assert_eq!(daemon.calls().len(), 1);
    }
}

#[tokio::test]
async fn query_parameter_since_1_41() {
    let options = docker_engine_api_v1_55::ContainerStatsOptions {
        stream: Some(false),
        one_shot: Some(true),
        ..Default::default()
    };
    check(
        "one-shot",
        |v| v >= ApiVersion::new(1, 41),
        |d| {
            let options = options.clone();
            async move { d.container_stats("c1", &options).await }
        },
    )
    .await;
}

#[tokio::test]
// `keep_storage` is deprecated (the spec says so); this test sets it on purpose.
#[allow(deprecated)]
async fn replaced_parameter_names_its_replacement() {
    let old = docker_engine_api_v1_55::BuildPruneOptions { keep_storage: Some(1 << 30), ..Default::default() };
    let results = check(
        "keep-storage",
        |v| v < ApiVersion::new(1, 52),
        |d| {
            let options = old.clone();
            async move { d.build_prune(&options).await }
        },
    )
    .await;
    let refused = results.iter().find_map(|(_, r)| r.as_ref().err()).expect("1.52 refuses keep-storage");
    assert!(refused.to_string().contains("use `reserved-space` (API v1.48 and later) instead"), "{refused}");

    let new = docker_engine_api_v1_55::BuildPruneOptions { reserved_space: Some(1 << 30), ..Default::default() };
    let results = check(
        "reserved-space",
        |v| v >= ApiVersion::new(1, 48),
        |d| {
            let options = new.clone();
            async move { d.build_prune(&options).await }
        },
    )
    .await;
    let refused = results.iter().find_map(|(_, r)| r.as_ref().err()).expect("1.40 refuses reserved-space");
    assert!(refused.to_string().contains("use `keep-storage`"), "{refused}");
}

fn network(body: models::NetworkCreateRequest) -> models::NetworkCreateRequest {
    models::NetworkCreateRequest { name: Some("n".into()), ..body }
}

#[tokio::test]
async fn top_level_body_members_added_and_removed() {
    // Added in 1.41.
    let body = network(models::NetworkCreateRequest { scope: Some("local".into()), ..Default::default() });
    let results = check(
        "Scope",
        |v| v >= ApiVersion::new(1, 41),
        |d| {
            let body = body.clone();
            async move { d.network_create(&Default::default(), &body).await }
        },
    )
    .await;
    for (_, result) in results {
        if let Ok(seen) = result {
            assert_eq!(seen.body, serde_json::to_vec(&body).unwrap(), "the body arrives unchanged");
        }
    }
    // Removed in 1.46: still usable against daemons that have it.
    #[allow(deprecated)]
    let body = network(models::NetworkCreateRequest { check_duplicate: Some(true), ..Default::default() });
    check(
        "CheckDuplicate",
        |v| v < ApiVersion::new(1, 46),
        |d| {
            let body = body.clone();
            async move { d.network_create(&Default::default(), &body).await }
        },
    )
    .await;
}

#[tokio::test]
async fn nested_members_inside_arrays_and_maps() {
    // HostConfig.Mounts[].ImageOptions: since 1.48, inside an array.
    let mount = models::Mount {
        target: Some("/m".into()),
        r#type: Some(models::MountType::Image),
        image_options: Some(models::MountImageOptions { subpath: Some("etc".into()) }),
        ..Default::default()
    };
    let body = models::ContainerCreateBody {
        image: Some("busybox".into()),
        host_config: Some(models::HostConfig {
            mounts: Some(vec![models::Mount::default(), mount]),
            ..Default::default()
        }),
        ..Default::default()
    };
    let results = check(
        "HostConfig.Mounts[].ImageOptions",
        |v| v >= ApiVersion::new(1, 48),
        |d| {
            let body = body.clone();
            async move { d.container_create(&Default::default(), &body).await }
        },
    )
    .await;
    for (_, result) in results {
        match result {
            Ok(seen) => assert_eq!(seen.body, serde_json::to_vec(&body).unwrap()),
            Err(err) => assert!(err.to_string().contains("API v1.48 and later"), "{err}"),
        }
    }

    // NetworkingConfig.EndpointsConfig{}.DNSNames: since 1.44, inside a map.
    let endpoint = models::EndpointSettings { dns_names: Some(vec!["db".into()]), ..Default::default() };
    let body = models::ContainerCreateBody {
        image: Some("busybox".into()),
        networking_config: Some(models::NetworkingConfig {
            endpoints_config: Some([("net".to_string(), endpoint)].into_iter().collect()),
        }),
        ..Default::default()
    };
    check(
        "NetworkingConfig.EndpointsConfig{}.DNSNames",
        |v| v >= ApiVersion::new(1, 44),
        |d| {
            let body = body.clone();
            async move { d.container_create(&Default::default(), &body).await }
        },
    )
    .await;

    // The same containers without the newer members go to every version.
    let plain = models::ContainerCreateBody {
        image: Some("busybox".into()),
        host_config: Some(models::HostConfig { mounts: Some(vec![models::Mount::default()]), ..Default::default() }),
        ..Default::default()
    };
    check(
        "(nothing gated)",
        |_| true,
        |d| {
            let body = plain.clone();
            async move { d.container_create(&Default::default(), &body).await }
        },
    )
    .await;
}

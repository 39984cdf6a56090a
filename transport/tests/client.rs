//! Wire tests against a loopback mock daemon.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{
    decode_path_stat, ApiVersion, Error, Filters, Operation, OutputChunk, Request, Transport,
};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static LIST: Operation = Operation { id: "ContainerList", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
static INSPECT: Operation =
    Operation { id: "ContainerInspect", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
static START: Operation = Operation { id: "ContainerStart", method: Method::POST, since: Some(ApiVersion::new(1, 24)) };
static NEW_OP: Operation =
    Operation { id: "ImageAttestations", method: Method::GET, since: Some(ApiVersion::new(1, 48)) };
static PULL: Operation = Operation { id: "ImageCreate", method: Method::POST, since: Some(ApiVersion::new(1, 24)) };
static IMAGE_INSPECT: Operation =
    Operation { id: "ImageInspect", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
static LOGS: Operation = Operation { id: "ContainerLogs", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
static ATTACH: Operation =
    Operation { id: "ContainerAttach", method: Method::POST, since: Some(ApiVersion::new(1, 24)) };
static BUILD: Operation = Operation { id: "ImageBuild", method: Method::POST, since: Some(ApiVersion::new(1, 24)) };
static ARCHIVE_HEAD: Operation =
    Operation { id: "ContainerArchiveInfo", method: Method::HEAD, since: Some(ApiVersion::new(1, 24)) };
static EXPORT: Operation =
    Operation { id: "ContainerExport", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };

const V141: ApiVersion = ApiVersion::new(1, 41);
const V145: ApiVersion = ApiVersion::new(1, 45);
const V147: ApiVersion = ApiVersion::new(1, 47);

fn list_request() -> Request {
    let mut r = Request::new(&LIST);
    r.path("/containers/json");
    r.query_bool("all", true);
    r
}

fn ok_json(body: &str) -> Vec<u8> {
    response(200, &[("Content-Type", "application/json")], body.as_bytes())
}

#[tokio::test]
async fn version_prefix_host_and_user_agent_on_the_wire() {
    let mock = Mock::unix(daemon("1.45", |_| ok_json("[]"))).await;
    let client = mock.client(V147);
    let v: Vec<serde_json::Value> = guard(client.send_json(list_request())).await.unwrap();
    assert!(v.is_empty());
    let reqs = mock.non_ping();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].request_line, "GET /v1.45/containers/json?all=true HTTP/1.1");
    assert_eq!(reqs[0].header("host"), Some("api.moby.localhost"));
    assert_eq!(reqs[0].header("user-agent"), Some(concat!("docker-engine-rust/", env!("CARGO_PKG_VERSION"))));
    // The ping itself is unversioned and HEAD.
    let ping = mock.requests().into_iter().find(|r| r.is_ping()).unwrap();
    assert_eq!(ping.request_line, "HEAD /_ping HTTP/1.1");
    assert_eq!(client.negotiated_version(), Some(V145));
}

#[tokio::test]
async fn negotiation_picks_the_lower_version() {
    // Daemon newer than the crate: the crate's version.
    let mock = Mock::unix(daemon("1.50", |_| ok_json("[]"))).await;
    let client = mock.client(V141);
    let _: serde_json::Value = guard(client.send_json(list_request())).await.unwrap();
    assert!(mock.non_ping()[0].request_line.starts_with("GET /v1.41/containers/json"));
    assert_eq!(client.api_version().await.unwrap(), V141);
}

#[tokio::test]
async fn concurrent_first_calls_share_one_ping() {
    let pings = Arc::new(AtomicUsize::new(0));
    let p = pings.clone();
    let handler = Arc::new(move |rec: Recorded, mut conn: Conn| {
        let p = p.clone();
        Box::pin(async move {
            if rec.is_ping() {
                p.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                let _ = conn.write_all(&ping_response("1.44", &rec.method)).await;
            } else {
                let _ = conn.write_all(&ok_json("[]")).await;
            }
            let _ = conn.shutdown().await;
        }) as BoxFut
    });
    let mock = Mock::unix(handler).await;
    let client = mock.client(V147);
    let calls = (0..10).map(|_| {
        let c = client.clone();
        async move { c.send_json::<serde_json::Value>(list_request()).await }
    });
    let results = guard(futures_util::future::join_all(calls)).await;
    assert!(results.iter().all(|r| r.is_ok()));
    assert_eq!(pings.load(Ordering::SeqCst), 1);
    assert!(mock.non_ping().iter().all(|r| r.target.starts_with("/v1.44/")));
}

#[tokio::test]
async fn pinned_version_and_env_skip_the_ping() {
    let mock = Mock::unix(daemon("1.45", |_| ok_json("[]"))).await;
    let client =
        docker_engine_transport::Client::new(mock.transport().with_pinned_version(ApiVersion::new(1, 30)), V147);
    assert_eq!(client.negotiated_version(), Some(ApiVersion::new(1, 30)));
    let _: serde_json::Value = guard(client.send_json(list_request())).await.unwrap();

    let sock = mock.socket_path();
    let host = format!("unix://{}", sock.display());
    let t = Transport::from_env_with(|k| match k {
        "DOCKER_HOST" => Some(host.clone()),
        "DOCKER_API_VERSION" => Some("1.43".into()),
        _ => None,
    })
    .unwrap();
    let client = docker_engine_transport::Client::new(t, V147);
    let _: serde_json::Value = guard(client.send_json(list_request())).await.unwrap();

    assert_eq!(mock.pings(), 0);
    let lines: Vec<_> = mock.requests().into_iter().map(|r| r.request_line).collect();
    assert_eq!(
        lines,
        ["GET /v1.30/containers/json?all=true HTTP/1.1", "GET /v1.43/containers/json?all=true HTTP/1.1",]
    );
}

#[tokio::test]
async fn failed_ping_is_an_error_and_is_retried_next_call() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let handler = Arc::new(move |rec: Recorded, mut conn: Conn| {
        let c = c.clone();
        Box::pin(async move {
            let bytes = if rec.is_ping() {
                // First HEAD and GET fail; later ones work.
                if c.fetch_add(1, Ordering::SeqCst) < 2 {
                    response(500, &[("Content-Type", "application/json")], b"{\"message\":\"daemon starting\"}\n")
                } else {
                    ping_response("1.42", &rec.method)
                }
            } else {
                ok_json("[]")
            };
            let _ = conn.write_all(&bytes).await;
            let _ = conn.shutdown().await;
        }) as BoxFut
    });
    let mock = Mock::unix(handler).await;
    let client = mock.client(V147);
    let err = guard(client.send_json::<serde_json::Value>(list_request())).await.unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    assert!(err.to_string().contains("daemon starting"));
    assert_eq!(client.negotiated_version(), None);
    assert!(mock.non_ping().is_empty());
    // HEAD then GET fallback were tried.
    let methods: Vec<_> = mock.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["HEAD", "GET"]);

    let _: serde_json::Value = guard(client.send_json(list_request())).await.unwrap();
    assert_eq!(client.negotiated_version(), Some(ApiVersion::new(1, 42)));
}

#[tokio::test]
async fn ping_reports_daemon_headers_and_missing_api_version_means_the_fallback() {
    let handler = Arc::new(|rec: Recorded, mut conn: Conn| {
        Box::pin(async move {
            let bytes = if rec.is_ping() {
                response(
                    200,
                    &[
                        ("Ostype", "linux"),
                        ("Docker-Experimental", "true"),
                        ("Swarm", "active/manager"),
                        ("Builder-Version", "2"),
                    ],
                    b"",
                )
            } else {
                ok_json("[]")
            };
            let _ = conn.write_all(&bytes).await;
            let _ = conn.shutdown().await;
        }) as BoxFut
    });
    let mock = Mock::unix(handler).await;
    let client = mock.client(V145);
    let info = guard(client.ping()).await.unwrap();
    assert_eq!(info.api_version, None);
    assert_eq!(info.os_type.as_deref(), Some("linux"));
    assert!(info.experimental);
    assert_eq!(info.swarm.as_deref(), Some("active/manager"));
    assert_eq!(info.builder_version.as_deref(), Some("2"));
    assert_eq!(client.negotiated_version(), None, "ping() does not negotiate");
    // Like the Go client: no Api-Version header means API 1.24, not the crate's version.
    assert_eq!(guard(client.api_version()).await.unwrap(), docker_engine_transport::FALLBACK_API_VERSION);
    assert_eq!(docker_engine_transport::FALLBACK_API_VERSION, ApiVersion::new(1, 24));
}

#[tokio::test]
async fn operation_newer_than_negotiated_fails_before_sending() {
    let mock = Mock::unix(daemon("1.45", |_| ok_json("{}"))).await;
    let client = mock.client(ApiVersion::new(1, 50));
    let mut r = Request::new(&NEW_OP);
    r.path("/images/");
    r.path_name("name", "busybox").unwrap();
    r.path("/attestations");
    let err = guard(client.send_json::<serde_json::Value>(r)).await.unwrap_err();
    match err {
        Error::UnsupportedOperation { operation, since, negotiated } => {
            assert_eq!((operation, since, negotiated), ("ImageAttestations", ApiVersion::new(1, 48), V145));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(mock.non_ping().is_empty(), "server saw {:?}", mock.non_ping());
}

#[tokio::test]
async fn path_parameters_cannot_reach_another_endpoint() {
    let mock = Mock::unix(daemon("1.45", |_| ok_json("{}"))).await;
    let client = mock.client(V145);
    let cases = [
        ("abc?x=1#frag", Some("/v1.45/containers/abc%3Fx%3D1%23frag/json")),
        ("%2F..%2Fimages%2Fjson", Some("/v1.45/containers/%252F..%252Fimages%252Fjson/json")),
        ("a b", Some("/v1.45/containers/a%20b/json")),
        ("..", None),
        (".", None),
        ("", None),
        ("../../images/foo", None),
        ("x/../../v1.45/images/json", None),
    ];
    for (id, want) in cases {
        let mut r = Request::new(&INSPECT);
        r.path("/containers/");
        let built = r.path_id("id", id);
        match want {
            None => {
                let e = built.unwrap_err();
                assert!(matches!(e, Error::InvalidParameter { parameter: "id", .. }), "{id:?}: {e}");
            }
            Some(target) => {
                built.unwrap();
                r.path("/json");
                let _: serde_json::Value = guard(client.send_json(r)).await.unwrap();
                let last = mock.non_ping().pop().unwrap();
                assert_eq!(last.request_line, format!("GET {target} HTTP/1.1"), "{id:?}");
            }
        }
    }
    // Image names keep their slashes, but not dot segments or query/fragment characters.
    let mut r = Request::new(&IMAGE_INSPECT);
    r.path("/images/");
    r.path_name("name", "localhost:5000/ns/img:tag?x#y").unwrap();
    r.path("/json");
    let _: serde_json::Value = guard(client.send_json(r)).await.unwrap();
    assert_eq!(mock.non_ping().pop().unwrap().target, "/v1.45/images/localhost%3A5000/ns/img%3Atag%3Fx%23y/json");
    for bad in ["ns/../../containers/x", "a//b", "/abs", "a/./b"] {
        assert!(Request::new(&IMAGE_INSPECT).path_name("name", bad).is_err(), "{bad}");
    }
}

#[tokio::test]
async fn registry_auth_is_base64url_with_padding_and_filters_are_map_form() {
    let mock = Mock::unix(daemon("1.45", |_| ok_json("{\"status\":\"ok\"}\n"))).await;
    let client = mock.client(V145);
    let mut r = Request::new(&PULL);
    r.path("/images/create");
    r.query_str("fromImage", "busybox");
    r.query_json("filters", &Filters::new().add("label", "a=b")).unwrap();
    // Chosen so that the standard alphabet would need '+' and '/' and padding is required.
    let auth = serde_json::json!({"username": "me", "password": "p>>>?x"});
    r.header_base64_json("X-Registry-Auth", &auth).unwrap();
    let s = guard(client.send_json_stream::<serde_json::Value>(r)).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 1);
    let req = mock.non_ping().pop().unwrap();
    let header = req.header("x-registry-auth").unwrap();
    assert!(header.ends_with('='), "padding: {header}");
    assert!(!header.contains('+') && !header.contains('/'), "url-safe: {header}");
    let decoded = base64::engine::general_purpose::URL_SAFE.decode(header).unwrap();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&decoded).unwrap(), auth);
    assert!(req.target.ends_with("filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D"), "{}", req.target);
    // Empty POST: Content-Length 0, not chunked (the daemon refuses chunked on container start).
    assert_eq!(req.header("content-length"), Some("0"));
}

#[derive(Debug, Deserialize, PartialEq)]
struct Progress {
    status: Option<String>,
    id: Option<String>,
}

#[tokio::test]
async fn json_stream_over_the_wire_with_crlf_blank_lines_and_record_separators() {
    let body: &'static [u8] =
        b"{\"status\":\"Pulling\",\"id\":\"a\"}\r\n\r\n\x1e{\"status\":\"Done\"}\n{\"status\":\"x\"}{\"status\":\"y\"}";
    let mock = Mock::unix(daemon_raw("1.45", move |_rec, mut conn| async move {
        let mut out = chunked_head(200, &[("Content-Type", "application/json")]);
        conn.write_all(&out).await.unwrap();
        // One HTTP chunk per byte, flushed separately.
        for b in body {
            out = chunk(&[*b]);
            conn.write_all(&out).await.unwrap();
            conn.flush().await.unwrap();
        }
        conn.write_all(LAST_CHUNK).await.unwrap();
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&PULL);
    r.path("/images/create");
    let s = guard(client.send_json_stream::<Progress>(r)).await.unwrap();
    let items: Vec<Progress> = guard(s.map(|i| i.unwrap()).collect()).await;
    let statuses: Vec<_> = items.iter().map(|p| p.status.clone().unwrap()).collect();
    assert_eq!(statuses, ["Pulling", "Done", "x", "y"]);
    assert_eq!(items[0].id.as_deref(), Some("a"));
}

#[tokio::test]
async fn in_band_error_detail_becomes_an_error() {
    let body = "{\"status\":\"Pulling from library/nope\"}\r\n{\"errorDetail\":{\"code\":404,\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\r\n";
    let mock = Mock::unix(daemon("1.45", move |_| ok_json(body))).await;
    let client = mock.client(V145);
    let mut r = Request::new(&PULL);
    r.path("/images/create");
    let s = guard(client.send_json_stream::<Progress>(r)).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    match &items[1] {
        Err(Error::Stream { operation, message, code }) => {
            assert_eq!((*operation, message.as_str(), *code), ("ImageCreate", "manifest unknown", Some(404)));
        }
        other => panic!("expected an in-band error, got {other:?}"),
    }
}

#[tokio::test]
async fn server_closing_mid_stream_is_an_error_not_a_hang() {
    // (a) close-delimited body cut inside a JSON value.
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"status\":\"a\"}\n{\"status\":\"b").await.unwrap();
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&PULL);
    r.path("/images/create");
    let s = guard(client.send_json_stream::<Progress>(r)).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(Error::UnexpectedEof { .. })), "{:?}", items[1]);

    // (b) chunked body whose connection drops before the last chunk.
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let mut out = chunked_head(200, &[("Content-Type", "application/json")]);
        out.extend(chunk(b"{\"status\":\"a\"}\n"));
        conn.write_all(&out).await.unwrap();
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&PULL);
    r.path("/images/create");
    let s = guard(client.send_json_stream::<Progress>(r)).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert!(items[0].is_ok());
    assert!(matches!(items.last().unwrap(), Err(Error::Transport { .. })), "{items:?}");

    // (c) multiplexed logs cut inside a frame.
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let mut out =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: close\r\n\r\n"
                .to_vec();
        out.extend(frame(1, b"complete\n"));
        out.extend(&frame(2, b"cut short")[..12]);
        conn.write_all(&out).await.unwrap();
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&LOGS);
    r.path("/containers/c/logs");
    let s = guard(client.send_output(r, None)).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap(), &OutputChunk::StdOut(Bytes::from_static(b"complete\n")));
    assert!(matches!(items[1], Err(Error::UnexpectedEof { .. })), "{:?}", items[1]);
}

#[tokio::test]
async fn logs_demultiplex_split_across_packets_and_report_system_errors() {
    let mut payload = frame(1, b"out line\n");
    payload.extend(frame(2, b"err line\n"));
    payload.extend(frame(0, b"stdin echo"));
    payload.extend(frame(3, b"Error grabbing logs: boom\n"));
    let mock = Mock::unix(daemon_raw("1.45", move |_rec, mut conn| {
        let payload = payload.clone();
        async move {
            let head = chunked_head(200, &[("Content-Type", "application/vnd.docker.multiplexed-stream")]);
            conn.write_all(&head).await.unwrap();
            // Split at awkward places: inside a header, inside a payload.
            for piece in [&payload[..3], &payload[3..13], &payload[13..30], &payload[30..]] {
                conn.write_all(&chunk(piece)).await.unwrap();
                conn.flush().await.unwrap();
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            conn.write_all(LAST_CHUNK).await.unwrap();
        }
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&LOGS);
    r.path("/containers/c/logs");
    // tty hint says raw, but from 1.42 the Content-Type decides.
    let s = guard(client.send_output(r, Some(true))).await.unwrap();
    assert!(s.is_multiplexed());
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items[0].as_ref().unwrap(), &OutputChunk::StdOut(Bytes::from_static(b"out line\n")));
    assert_eq!(items[1].as_ref().unwrap(), &OutputChunk::StdErr(Bytes::from_static(b"err line\n")));
    assert_eq!(items[2].as_ref().unwrap(), &OutputChunk::StdIn(Bytes::from_static(b"stdin echo")));
    match &items[3] {
        Err(Error::Stream { message, .. }) => assert_eq!(message, "Error grabbing logs: boom"),
        other => panic!("{other:?}"),
    }
    assert_eq!(items.len(), 4);
}

#[tokio::test]
async fn raw_tty_output_below_1_42_follows_the_tty_hint() {
    let mock = Mock::unix(daemon("1.41", |_| {
        response(200, &[("Content-Type", "application/vnd.docker.raw-stream")], b"\x01\x00raw tty bytes")
    }))
    .await;
    let client = mock.client(V147);
    let mut r = Request::new(&LOGS);
    r.path("/containers/c/logs");
    let s = guard(client.send_output(r, Some(true))).await.unwrap();
    assert!(!s.is_multiplexed());
    let all: Vec<u8> = guard(s.collect::<Vec<_>>())
        .await
        .into_iter()
        .flat_map(|c| match c.unwrap() {
            OutputChunk::Console(b) => b.to_vec(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(all, b"\x01\x00raw tty bytes");
}

#[tokio::test]
async fn oversize_frame_header_is_refused() {
    let mock = Mock::unix(daemon("1.45", |_| {
        let mut body = vec![1, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0];
        body.extend_from_slice(b"tiny");
        response(200, &[("Content-Type", "application/vnd.docker.multiplexed-stream")], &body)
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&LOGS);
    r.path("/containers/c/logs");
    let s = guard(client.send_output(r, None)).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 1);
    match &items[0] {
        Err(Error::FrameTooLarge { size, limit, .. }) => {
            assert_eq!((*size, *limit), (0xffff_fff0, 16 * 1024 * 1024));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn non_json_error_bodies_give_useful_api_errors() {
    let mock = Mock::unix(daemon("1.45", |rec| match rec.path() {
        "/v1.45/containers/json" => response(404, &[("Content-Type", "text/plain; charset=utf-8")], b"page not found\n"),
        "/v1.45/containers/html/json" => response(
            502,
            &[("Content-Type", "text/html")],
            b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>",
        ),
        _ => response(409, &[("Content-Type", "application/json")], b"{\"message\":\"Conflict. The container name is already in use\"}\n"),
    }))
    .await;
    let client = mock.client(V145);
    let e = guard(client.send_json::<serde_json::Value>(list_request())).await.unwrap_err();
    assert!(e.is_not_found());
    assert!(
        matches!(&e, Error::Api { operation: "ContainerList", status: 404, message } if message == "page not found"),
        "{e:?}"
    );

    let mut r = Request::new(&INSPECT);
    r.path("/containers/");
    r.path_id("id", "html").unwrap();
    r.path("/json");
    let e = guard(client.send_json::<serde_json::Value>(r)).await.unwrap_err();
    assert!(e.is_server_error());
    assert_eq!(e.to_string(), "ContainerInspect: daemon returned 502: Bad Gateway: 502 Bad Gateway");

    let mut r = Request::new(&INSPECT);
    r.path("/containers/x/json");
    let e = guard(client.send_json::<serde_json::Value>(r)).await.unwrap_err();
    assert!(e.is_conflict());
    assert!(e.to_string().ends_with("Conflict. The container name is already in use"));
}

#[tokio::test]
async fn decode_errors_name_the_operation_and_field_path() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct C {
        #[serde(rename = "Id")]
        id: String,
        #[serde(rename = "State")]
        state: State,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct State {
        #[serde(rename = "Pid")]
        pid: u32,
    }
    let mock =
        Mock::unix(daemon("1.45", |_| ok_json(r#"[{"Id":"a","State":{"Pid":1}},{"Id":"b","State":{"Pid":-1}}]"#)))
            .await;
    let client = mock.client(V145);
    let e = guard(client.send_json::<Vec<C>>(list_request())).await.unwrap_err();
    match &e {
        Error::Decode { operation, path, excerpt, .. } => {
            assert_eq!(*operation, "ContainerList");
            assert_eq!(path, "[1].State.Pid");
            assert!(excerpt.starts_with("[{\"Id\":\"a\""));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn hijack_round_trips_stdin_and_keeps_bytes_sent_with_the_101() {
    let saw_eof = Arc::new(AtomicUsize::new(0));
    let eof = saw_eof.clone();
    let mock = Mock::unix(daemon_raw("1.45", move |rec, mut conn| {
        let eof = eof.clone();
        async move {
            assert_eq!(rec.header("upgrade"), Some("tcp"));
            assert_eq!(rec.header("connection"), Some("Upgrade"));
            // Headers and the first output frame in one write.
            let mut out = b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".to_vec();
            out.extend(frame(1, b"hello from the container\n"));
            conn.write_all(&out).await.unwrap();
            // Echo stdin as stdout frames until the client half-closes.
            let mut buf = [0u8; 1024];
            loop {
                let n = conn.read(&mut buf).await.unwrap();
                if n == 0 {
                    eof.fetch_add(1, Ordering::SeqCst);
                    break;
                }
                conn.write_all(&frame(1, &buf[..n])).await.unwrap();
            }
            conn.write_all(&frame(2, b"bye\n")).await.unwrap();
            let _ = conn.shutdown().await;
        }
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&ATTACH);
    r.path("/containers/c/attach");
    r.query_bool("stream", true);
    r.query_bool("stdin", true);
    let h = guard(client.send_upgrade(r, Some(false))).await.unwrap();
    let (mut output, mut input) = (h.output, h.input);
    // The frame that came with the 101 is the first item.
    let first = guard(output.next()).await.unwrap().unwrap();
    assert_eq!(first, OutputChunk::StdOut(Bytes::from_static(b"hello from the container\n")));
    input.write_all(b"echo me\n").await.unwrap();
    input.flush().await.unwrap();
    let echoed = guard(output.next()).await.unwrap().unwrap();
    assert_eq!(echoed, OutputChunk::StdOut(Bytes::from_static(b"echo me\n")));
    input.close_write().await.unwrap();
    let rest: Vec<_> = guard(output.collect::<Vec<_>>()).await;
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].as_ref().unwrap(), &OutputChunk::StdErr(Bytes::from_static(b"bye\n")));
    assert_eq!(saw_eof.load(Ordering::SeqCst), 1, "server saw the half-close");
}

#[tokio::test]
async fn websocket_upgrade_hands_over_raw_bytes() {
    let mock = Mock::unix(daemon_raw("1.45", |rec, mut conn| async move {
        assert_eq!(rec.header("upgrade"), Some("websocket"));
        assert_eq!(rec.header("connection"), Some("Upgrade"));
        assert_eq!(rec.header("sec-websocket-version"), Some("13"));
        assert!(rec.header("sec-websocket-key").is_some_and(|k| k.len() == 24), "a base64 16-byte nonce");
        // A frame-like byte sequence with a multiplex-looking header: it must come through as is.
        let mut out = b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n".to_vec();
        out.extend([1u8, 0, 0, 0, 0, 0, 0, 2, b'h', b'i']);
        conn.write_all(&out).await.unwrap();
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&ATTACH);
    r.path("/containers/c/attach/ws");
    let h = guard(client.send_upgrade_protocol(r, "websocket")).await.unwrap();
    let chunks: Vec<_> = guard(h.output.collect::<Vec<_>>()).await;
    let bytes: Vec<u8> = chunks.into_iter().flat_map(|c| c.unwrap().into_bytes().to_vec()).collect();
    assert_eq!(bytes, vec![1u8, 0, 0, 0, 0, 0, 0, 2, b'h', b'i']);
}

#[tokio::test]
async fn hijack_refused_by_the_daemon_is_an_api_error() {
    // What the daemon writes on the hijacked socket when the container does not exist: a bare
    // response without length, then it closes.
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        conn.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nNo such container: nope\r\n").await.unwrap();
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&ATTACH);
    r.path("/containers/nope/attach");
    let e = guard(client.send_upgrade(r, None)).await.unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(e.to_string().contains("No such container: nope"), "{e}");
}

#[tokio::test]
async fn streamed_request_body_is_chunked_and_arrives_whole() {
    let mock = Mock::unix(daemon("1.45", |_| ok_json("{\"stream\":\"Step 1/1\"}\n"))).await;
    let client = mock.client(V145);
    let mut r = Request::new(&BUILD);
    r.path("/build");
    let parts: Vec<Result<Bytes, std::io::Error>> = (0..50).map(|i| Ok(Bytes::from(vec![i as u8; 1000]))).collect();
    r.stream_body("application/x-tar", futures_util::stream::iter(parts));
    let s = guard(client.send_json_stream::<serde_json::Value>(r)).await.unwrap();
    assert_eq!(guard(s.collect::<Vec<_>>()).await.len(), 1);
    let req = mock.non_ping().pop().unwrap();
    assert!(req.chunked);
    assert_eq!(req.header("content-type"), Some("application/x-tar"));
    assert_eq!(req.body.len(), 50_000);
    assert!(req.body[..1000].iter().all(|b| *b == 0) && req.body[49_000..].iter().all(|b| *b == 49));
}

#[tokio::test]
async fn json_body_empty_success_304_head_and_byte_stream() {
    let stat = base64::engine::general_purpose::STANDARD
        .encode(r#"{"name":"hosts","size":174,"mode":420,"mtime":"2024-05-01T10:00:00.123456789Z","linkTarget":""}"#);
    let mock = Mock::unix(daemon("1.45", move |rec| match (rec.method.as_str(), rec.path()) {
        ("POST", "/v1.45/containers/c/start") => response(304, &[], b""),
        ("HEAD", _) => {
            format!("HTTP/1.1 200 OK\r\nX-Docker-Container-Path-Stat: {stat}\r\nContent-Length: 0\r\n\r\n").into_bytes()
        }
        ("GET", "/v1.45/containers/c/export") => {
            response(200, &[("Content-Type", "application/x-tar")], &[7u8; 100_000])
        }
        _ => response(201, &[("Content-Type", "application/json")], b"{\"Id\":\"x\"}"),
    }))
    .await;
    let client = mock.client(V145);

    let mut r = Request::new(&START);
    r.path("/containers/c/start");
    guard(client.send_empty(r)).await.unwrap();

    let mut r = Request::new(&START);
    r.path("/containers/create");
    r.json_body(&serde_json::json!({"Image": "busybox"})).unwrap();
    let v: serde_json::Value = guard(client.send_json(r)).await.unwrap();
    assert_eq!(v["Id"], "x");
    let req = mock.non_ping().pop().unwrap();
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.body, br#"{"Image":"busybox"}"#);

    let mut r = Request::new(&ARCHIVE_HEAD);
    r.path("/containers/c/archive");
    r.query_str("path", "/etc/hosts");
    let headers = guard(client.send_head(r)).await.unwrap();
    let st = decode_path_stat(&headers).unwrap().unwrap();
    assert_eq!((st.name.as_str(), st.size, st.mode), ("hosts", 174, 0o644));

    let mut r = Request::new(&EXPORT);
    r.path("/containers/c/export");
    let s = guard(client.send_bytes_stream(r)).await.unwrap();
    let chunks: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    let total: usize = chunks.iter().map(|c| c.as_ref().unwrap().len()).sum();
    assert_eq!(total, 100_000);
}

#[tokio::test]
async fn dropping_a_stream_closes_the_connection() {
    let closed = Arc::new(AtomicUsize::new(0));
    let c = closed.clone();
    let mock = Mock::unix(daemon_raw("1.45", move |_rec, mut conn| {
        let c = c.clone();
        async move {
            conn.write_all(&chunked_head(200, &[("Content-Type", "application/json")])).await.unwrap();
            // An endless event stream (bounded here), until the client goes away.
            for i in 0..2000 {
                let ev = format!("{{\"status\":\"tick\",\"id\":\"{i}\"}}\n");
                if conn.write_all(&chunk(ev.as_bytes())).await.is_err() || conn.flush().await.is_err() {
                    c.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }))
    .await;
    let client = mock.client(V145);
    let mut r = Request::new(&LIST);
    r.path("/events");
    let mut s = guard(client.send_json_stream::<serde_json::Value>(r)).await.unwrap();
    for _ in 0..3 {
        guard(s.next()).await.unwrap().unwrap();
    }
    drop(s);
    guard(async {
        while closed.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn request_timeout_applies_until_headers() {
    let mock = Mock::unix(daemon_raw("1.45", |_rec, conn| async move {
        let _held_open = conn;
        tokio::time::sleep(Duration::from_secs(5)).await;
    }))
    .await;
    let client = docker_engine_transport::Client::new(
        mock.transport().with_request_timeout(Some(Duration::from_millis(200))),
        V145,
    );
    let e = guard(client.send_json::<serde_json::Value>(list_request())).await.unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
}

#[tokio::test]
async fn connection_errors_say_where() {
    let dir = tempfile::tempdir().unwrap();
    let client = docker_engine_transport::Client::new(Transport::unix(dir.path().join("missing.sock")), V145);
    let e = guard(client.send_json::<serde_json::Value>(list_request())).await.unwrap_err();
    assert!(e.is_transport());
    let text = e.to_string();
    assert!(text.contains("cannot connect to the Docker daemon at unix://") && text.contains("missing.sock"), "{text}");
}

#[tokio::test]
async fn tcp_transport_sends_host_port() {
    let mock = Mock::tcp(daemon("1.44", |_| ok_json("[]"))).await;
    let client = mock.client(V147);
    let _: serde_json::Value = guard(client.send_json(list_request())).await.unwrap();
    let req = mock.non_ping().pop().unwrap();
    assert_eq!(req.request_line, "GET /v1.44/containers/json?all=true HTTP/1.1");
    assert!(req.header("host").unwrap().starts_with("127.0.0.1:"));
}

#[tokio::test]
async fn base_path_prefix_from_docker_host() {
    let mock = Mock::tcp(daemon("1.44", |_| ok_json("[]"))).await;
    let host = mock.non_ping().len(); // no request yet
    assert_eq!(host, 0);
    let t = mock.transport().with_base_path("/proxy/docker/");
    let client = docker_engine_transport::Client::new(t, V147);
    let _: serde_json::Value = guard(client.send_json(list_request())).await.unwrap();
    let lines: Vec<_> = mock.requests().into_iter().map(|r| r.request_line).collect();
    assert_eq!(
        lines,
        ["HEAD /proxy/docker/_ping HTTP/1.1", "GET /proxy/docker/v1.44/containers/json?all=true HTTP/1.1"]
    );
}

#[test]
fn futures_streams_and_errors_are_send_and_sync() {
    fn is_send<T: Send>(_: T) {}
    fn is_send_sync<T: Send + Sync>() {}
    let client = docker_engine_transport::Client::new(Transport::unix("/nonexistent.sock"), V145);
    is_send(client.send_json::<serde_json::Value>(list_request()));
    is_send(client.send_empty(list_request()));
    is_send(client.send_text(list_request()));
    is_send(client.send_json_stream::<serde_json::Value>(list_request()));
    is_send(client.send_output(list_request(), None));
    is_send(client.send_bytes_stream(list_request()));
    is_send(client.send_head(list_request()));
    is_send(client.send_upgrade(list_request(), None));
    is_send(client.api_version());
    is_send(client.ping());
    is_send_sync::<docker_engine_transport::Client>();
    is_send_sync::<Transport>();
    is_send_sync::<Error>();
    is_send(docker_engine_transport::JsonStream::<serde_json::Value>::new("x", futures_util::stream::empty(), 1));
}

//! The client against a hostile or broken daemon (issue 8): every case either fails with a
//! typed error or stays bounded, in time and, where memory is the point, in memory (measured
//! per thread with the counting allocator of `common/meter.rs`). Timeouts are short here, so
//! no test takes long.

mod common;
#[path = "common/meter.rs"]
mod meter;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{
    ApiVersion, Client, Error, Operation, Request, TimeoutPhase, Transport, DEFAULT_MAX_JSON_BODY_LEN,
    DEFAULT_RESPONSE_TIMEOUT, FALLBACK_API_VERSION,
};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

#[global_allocator]
static ALLOC: meter::Meter = meter::Meter;

static LIST: Operation = Operation { id: "ContainerList", method: Method::GET, since: None };
static CHANGES: Operation = Operation { id: "ContainerChanges", method: Method::GET, since: None };
static INSPECT: Operation = Operation { id: "ContainerInspect", method: Method::GET, since: None };
static TOP: Operation = Operation { id: "ContainerTop", method: Method::GET, since: None };
static START: Operation = Operation { id: "ContainerStart", method: Method::POST, since: None };
static EVENTS: Operation = Operation { id: "SystemEvents", method: Method::GET, since: None };
static PULL: Operation = Operation { id: "ImageCreate", method: Method::POST, since: None };
static EXEC_START: Operation = Operation { id: "ExecStart", method: Method::POST, since: None };

const V145: ApiVersion = ApiVersion::new(1, 45);
const MIB: usize = 1024 * 1024;

fn req(op: &'static Operation, path: &'static str) -> Request {
    let mut r = Request::new(op);
    r.path(path);
    r
}

/// A client of `mock` whose transport `f` adjusts.
fn client_with(mock: &Mock, f: impl FnOnce(Transport) -> Transport) -> Client {
    Client::new(f(mock.transport()), V145)
}

fn short(ms: u64) -> Option<Duration> {
    Some(Duration::from_millis(ms))
}

fn phase(e: &Error) -> Option<TimeoutPhase> {
    e.timeout_phase()
}

// ---- 1. Timeouts -------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn silent_daemon_fails_by_the_default_response_deadline() {
    let _watchdog = watchdog(30);
    let mock = Mock::unix(silent()).await;
    // Defaults only: the (virtual) clock runs to the default deadline.
    let client = mock.client(V145);
    let started = tokio::time::Instant::now();
    let e = client.send_json::<serde_json::Value>(req(&LIST, "/containers/json")).await.unwrap_err();
    assert_eq!(phase(&e), Some(TimeoutPhase::Headers), "{e:?}");
    assert_eq!(e.operation(), Some("SystemPing"), "the negotiation ping timed out");
    let waited = started.elapsed();
    assert!(
        waited >= DEFAULT_RESPONSE_TIMEOUT && waited < DEFAULT_RESPONSE_TIMEOUT + Duration::from_millis(10),
        "{waited:?}"
    );
    assert_eq!(e.to_string(), "SystemPing: timed out waiting for the response headers");
    // With the version pinned, the call itself times out, by a short configured deadline.
    let client = client_with(&mock, |t| t.with_pinned_version(V145).with_response_timeout(short(200)));
    let started = tokio::time::Instant::now();
    let e = client.send_json::<serde_json::Value>(req(&LIST, "/containers/json")).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { operation: "ContainerList", phase: TimeoutPhase::Headers }), "{e:?}");
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(200) && waited < Duration::from_millis(210), "{waited:?}");
}

#[tokio::test]
async fn headers_dribbled_a_byte_per_100ms_time_out() {
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        for b in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]" {
            if conn.write_all(&[*b]).await.is_err() || conn.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }))
    .await;
    let client = client_with(&mock, |t| t.with_response_timeout(short(500)));
    let started = std::time::Instant::now();
    let e = guard(client.send_json::<serde_json::Value>(req(&LIST, "/containers/json"))).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { operation: "ContainerList", phase: TimeoutPhase::Headers }), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
}

#[tokio::test]
async fn error_body_that_never_ends_times_out_in_the_body_phase() {
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let _ = conn.write_all(&chunked_head(500, &[("Content-Type", "text/plain")])).await;
        // A chunk every 50 ms, for ever: never idle, never finished.
        loop {
            if conn.write_all(&chunk(b"still failing... ")).await.is_err() || conn.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }))
    .await;
    let client = client_with(&mock, |t| t.with_response_timeout(short(400)));
    // A stream call too: error bodies are bounded by the response timeout whatever the call.
    let e = guard(client.send_json_stream::<serde_json::Value>(req(&PULL, "/images/create"))).await.unwrap_err();
    assert!(matches!(e, Error::Timeout { operation: "ImageCreate", phase: TimeoutPhase::Body }), "{e:?}");
    assert_eq!(e.to_string(), "ImageCreate: timed out reading the response body");
}

#[tokio::test]
async fn stalled_stream_ends_with_an_idle_timeout() {
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let _ = conn.write_all(&chunked_head(200, &[("Content-Type", "application/json")])).await;
        // Items 150 ms apart (slower than the response timeout, which streams do not get),
        // then silence with the connection open.
        for i in 0..3 {
            let _ = conn.write_all(&chunk(format!("{{\"id\":\"{i}\"}}\n").as_bytes())).await;
            let _ = conn.flush().await;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        std::future::pending::<()>().await;
    }))
    .await;
    let client = client_with(&mock, |t| t.with_response_timeout(short(100)).with_stream_idle_timeout(short(400)));
    let s = guard(client.send_json_stream::<serde_json::Value>(req(&EVENTS, "/events"))).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[..3].iter().all(Result::is_ok));
    let e = items[3].as_ref().unwrap_err();
    assert!(matches!(e, Error::Timeout { operation: "SystemEvents", phase: TimeoutPhase::Idle }), "{e:?}");
}

// ---- 2. Detached exec start ---------------------------------------------------------------

#[tokio::test]
async fn detached_exec_start_answered_200_is_a_success() {
    let mock = Mock::unix(daemon("1.45", |_| response(200, &[], b""))).await;
    let client = mock.client(V145);
    let mut r = req(&EXEC_START, "/exec/e1/start");
    r.json_body(&serde_json::json!({"Detach": true})).unwrap();
    let mut h = guard(client.send_upgrade(r, Some(false))).await.unwrap();
    assert!(h.input.is_closed());
    let e = h.input.write_all(b"ignored").await.unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
    h.input.close_write().await.unwrap();
    let output: Vec<_> = guard(h.output.collect::<Vec<_>>()).await;
    assert!(output.is_empty(), "{output:?}");
}

// ---- 3. Top-level null --------------------------------------------------------------------

#[derive(Deserialize, Debug, Default, PartialEq)]
struct Change {
    #[serde(rename = "Path")]
    path: String,
}

#[derive(Deserialize, Debug, Default, PartialEq)]
struct Inspect {
    #[serde(default, rename = "Id")]
    id: String,
    #[serde(default, rename = "Mounts")]
    mounts: Vec<Change>,
}

#[tokio::test]
async fn top_level_null_decodes_as_empty() {
    let mock = Mock::unix(daemon("1.45", |_| response(200, &[("Content-Type", "application/json")], b"null\n"))).await;
    let client = mock.client(V145);
    let changes: Vec<Change> = guard(client.send_json(req(&CHANGES, "/containers/c/changes"))).await.unwrap();
    assert!(changes.is_empty());
    let inspect: Inspect = guard(client.send_json(req(&INSPECT, "/containers/c/json"))).await.unwrap();
    assert_eq!(inspect, Inspect::default());
    let maybe: Option<Vec<Change>> = guard(client.send_json(req(&CHANGES, "/containers/c/changes"))).await.unwrap();
    assert_eq!(maybe, None);
    let or_empty: Option<Vec<Change>> =
        guard(client.send_json_or_empty(req(&CHANGES, "/containers/c/changes"))).await.unwrap();
    assert_eq!(or_empty, Some(Vec::new()));
}

// ---- 4. Empty bodies where JSON is expected ---------------------------------------------

#[tokio::test]
async fn empty_body_204_and_304_on_a_json_call_say_what_happened() {
    let mock = Mock::unix(daemon("1.45", |rec| match rec.path() {
        "/v1.45/containers/a/top" => response(200, &[("Content-Type", "application/json")], b""),
        "/v1.45/containers/b/top" => response(204, &[], b""),
        _ => response(304, &[], b""),
    }))
    .await;
    let client = mock.client(V145);
    let cases = [
        ("/containers/a/top", 200, "200 OK"),
        ("/containers/b/top", 204, "204 No Content"),
        ("/containers/c/top", 304, "304 Not Modified"),
    ];
    for (path, want, text) in cases {
        let e = guard(client.send_json::<Inspect>(req(&TOP, path))).await.unwrap_err();
        assert!(matches!(e, Error::EmptyBody { operation: "ContainerTop", status } if status == want), "{e:?}");
        let msg = e.to_string();
        assert!(msg.starts_with("ContainerTop: empty response body where JSON was expected"), "{msg}");
        assert!(msg.contains(text), "{msg}");
    }
}

// ---- 5. Memory ------------------------------------------------------------------------------

#[tokio::test]
async fn json_stream_item_without_newline_stops_at_the_limit() {
    const LIMIT: usize = 4 * MIB;
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let _ = conn
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"status\":\"")
            .await;
        write_repeated(&mut conn, &[b'a'; 64 * 1024], 256 * MIB).await;
    }))
    .await;
    let client = client_with(&mock, |t| t.with_max_frame_len(LIMIT));
    let (items, peak) = meter::peak_of(async {
        let s = guard(client.send_json_stream::<serde_json::Value>(req(&PULL, "/images/create"))).await.unwrap();
        guard(s.collect::<Vec<_>>()).await
    })
    .await;
    assert_eq!(items.len(), 1);
    match &items[0] {
        Err(Error::FrameTooLarge { size, limit, .. }) => {
            assert_eq!(*limit, LIMIT);
            assert_eq!(*size as usize, LIMIT + 1, "refused one byte past the limit");
        }
        other => panic!("{other:?}"),
    }
    assert!(peak < LIMIT + MIB, "peak {peak} bytes for a limit of {LIMIT}");
}

#[tokio::test]
async fn send_empty_drains_an_unexpected_body_without_buffering_it() {
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", 64 * MIB);
        let _ = conn.write_all(head.as_bytes()).await;
        write_repeated(&mut conn, &[b'x'; 64 * 1024], 64 * MIB).await;
    }))
    .await;
    let client = mock.client(V145);
    let (result, peak) = meter::peak_of(guard(client.send_empty(req(&START, "/containers/c/start")))).await;
    result.unwrap();
    assert!(peak < MIB, "peak {peak} bytes while draining 64 MiB");
}

#[tokio::test]
async fn huge_json_body_is_refused_at_the_json_limit() {
    const LIMIT: usize = 8 * MIB;
    assert_eq!(DEFAULT_MAX_JSON_BODY_LEN, 64 * MIB);
    let mock = Mock::unix(daemon_raw("1.45", |rec, mut conn| async move {
        if rec.path().ends_with("/announced") {
            // Announces 1 GiB and sends nothing: refused without reading.
            let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n").await;
            std::future::pending::<()>().await;
        }
        let _ =
            conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[\"").await;
        write_repeated(&mut conn, &[b'a'; 64 * 1024], 256 * MIB).await;
    }))
    .await;
    let client = client_with(&mock, |t| t.with_max_json_body_len(LIMIT).with_response_timeout(short(5000)));
    let (e, peak) = meter::peak_of(guard(client.send_json::<serde_json::Value>(req(&LIST, "/containers/json")))).await;
    let e = e.unwrap_err();
    assert!(matches!(e, Error::BodyTooLarge { operation: "ContainerList", limit: LIMIT }), "{e:?}");
    assert!(peak < LIMIT + MIB, "peak {peak} bytes for a limit of {LIMIT}");
    let (e, peak) = meter::peak_of(guard(client.send_json::<serde_json::Value>(req(&LIST, "/announced")))).await;
    assert!(matches!(e.unwrap_err(), Error::BodyTooLarge { limit: LIMIT, .. }));
    assert!(peak < MIB, "peak {peak} bytes for a refused Content-Length");
}

// ---- 6. Error text --------------------------------------------------------------------------

#[tokio::test]
async fn error_body_cut_midway_keeps_the_partial_text() {
    let mock = Mock::unix(daemon_raw("1.45", |_rec, mut conn| async move {
        let _ = conn
            .write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n\r\nwrite /var/lib/docker/overlay2: no space le")
            .await;
        let _ = conn.shutdown().await;
    }))
    .await;
    let client = mock.client(V145);
    let e = guard(client.send_json::<serde_json::Value>(req(&INSPECT, "/containers/c/json"))).await.unwrap_err();
    let Error::Api { status: 500, message, .. } = &e else { panic!("{e:?}") };
    assert!(message.starts_with("write /var/lib/docker/overlay2: no space le"), "{message}");
    assert!(message.contains("(error body cut off: "), "{message}");
}

#[tokio::test]
async fn control_and_escape_bytes_from_the_daemon_are_escaped() {
    let mock = Mock::unix(daemon("1.45", |rec| match rec.path() {
        "/v1.45/images/create" => ok_stream(b"{\"error\":\"pull failed\\u001b[2J\\r\\nINFO forged line\"}\n"),
        "/v1.45/containers/c/json" => response(200, &[], b"{\"Id\":\"\x1b]0;pwned\x07\", \"Mounts\": 7}"),
        _ => response(
            500,
            &[("Content-Type", "application/json")],
            b"{\"message\":\"\\u001b[31mred\\u001b[0m\\r\\nforged\"}",
        ),
    }))
    .await;
    let client = mock.client(V145);
    let e = guard(client.send_empty(req(&START, "/containers/x/start"))).await.unwrap_err();
    assert_eq!(e.to_string(), "ContainerStart: daemon returned 500: \\x1b[31mred\\x1b[0m\\r\\nforged");
    let s = guard(client.send_json_stream::<serde_json::Value>(req(&PULL, "/images/create"))).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    let Err(Error::Stream { message, .. }) = &items[0] else { panic!("{items:?}") };
    assert_eq!(message, "pull failed\\x1b[2J\\r\\nINFO forged line");
    let e = guard(client.send_json::<Inspect>(req(&INSPECT, "/containers/c/json"))).await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("\\x1b]0;pwned\\x07"), "{text}");
    assert!(!text.chars().any(char::is_control), "{text:?}");
}

fn ok_stream(body: &[u8]) -> Vec<u8> {
    response(200, &[("Content-Type", "application/json")], body)
}

#[tokio::test]
async fn non_string_error_members_in_a_stream_are_in_band_errors() {
    let body = b"{\"status\":\"Pulling\"}\n{\"error\":{\"message\":\"denied\",\"code\":401}}\n{\"error\":123}\n{\"status\":\"ok\",\"error\":null}\n";
    let mock = Mock::unix(daemon("1.45", |_| ok_stream(body))).await;
    let client = mock.client(V145);
    let s = guard(client.send_json_stream::<serde_json::Value>(req(&PULL, "/images/create"))).await.unwrap();
    let items: Vec<_> = guard(s.collect::<Vec<_>>()).await;
    assert_eq!(items.len(), 4);
    assert!(items[0].is_ok() && items[3].is_ok(), "{items:?}");
    assert!(matches!(&items[1], Err(Error::Stream { message, .. }) if message == "denied"), "{:?}", items[1]);
    assert!(matches!(&items[2], Err(Error::Stream { message, .. }) if message == "123"), "{:?}", items[2]);
}

// ---- 7. Small ---------------------------------------------------------------------------------

#[test]
fn user_agent_with_cr_lf_is_refused() {
    let e = Transport::unix("/nonexistent.sock").with_user_agent("me/1.0\r\nX-Injected: 1").unwrap_err();
    assert!(matches!(e, Error::Config { .. }), "{e:?}");
    assert!(e.to_string().contains("User-Agent"), "{e}");
    Transport::unix("/nonexistent.sock").with_user_agent("me/1.0 (tests)").unwrap();
}

#[tokio::test]
async fn overlong_path_parameter_names_the_parameter() {
    let mut r = req(&INSPECT, "/containers/");
    let e = r.path_id("id", &"a".repeat(100_000)).unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { operation: "ContainerInspect", parameter: "id", .. }), "{e:?}");
    let e = Request::new(&PULL).path_name("name", "n/".repeat(30_000).trim_end_matches('/')).unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { parameter: "name", .. }), "{e:?}");
    // A target too long because of the query names the query; nothing is sent.
    let mock = Mock::unix(daemon("1.45", |_| response(200, &[], b"{}"))).await;
    let client = mock.client(V145);
    let mut r = req(&LIST, "/containers/json");
    r.query_str("filters", &"f".repeat(70_000));
    let e = guard(client.send_json::<serde_json::Value>(r)).await.unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { parameter: "query", .. }), "{e:?}");
    assert!(mock.non_ping().is_empty());
}

#[tokio::test]
async fn invalid_daemon_api_version_is_remembered_and_named() {
    let pings = Arc::new(AtomicUsize::new(0));
    let p = pings.clone();
    let handler: Handler = Arc::new(move |rec: Recorded, mut conn: Conn| {
        let p = p.clone();
        Box::pin(async move {
            if rec.is_ping() {
                p.fetch_add(1, Ordering::SeqCst);
                let _ = conn.write_all(&response(200, &[("Api-Version", "1.forty")], b"")).await;
            } else {
                let _ = conn.write_all(&response(200, &[], b"[]")).await;
            }
        })
    });
    let mock = Mock::unix(handler).await;
    let client = mock.client(V145);
    for _ in 0..3 {
        let e = guard(client.send_json::<serde_json::Value>(req(&LIST, "/containers/json"))).await.unwrap_err();
        assert!(matches!(e, Error::InvalidDaemonVersion { ref value, .. } if value == "1.forty"), "{e:?}");
        assert!(
            e.to_string().starts_with("the daemon's Api-Version header \"1.forty\" is not a valid API version"),
            "{e}"
        );
    }
    assert_eq!(pings.load(Ordering::SeqCst), 1, "the failure is cached, not re-pinged");
    assert!(mock.non_ping().is_empty());
    assert_eq!(client.negotiated_version(), None);
}

#[tokio::test]
async fn missing_api_version_falls_back_to_1_24() {
    let handler: Handler = Arc::new(|rec: Recorded, mut conn: Conn| {
        Box::pin(async move {
            let bytes = if rec.is_ping() { response(200, &[], b"") } else { response(200, &[], b"[]") };
            let _ = conn.write_all(&bytes).await;
        })
    });
    let mock = Mock::unix(handler).await;
    let client = mock.client(ApiVersion::new(1, 55));
    let _: serde_json::Value = guard(client.send_json(req(&LIST, "/containers/json"))).await.unwrap();
    assert_eq!(FALLBACK_API_VERSION, ApiVersion::new(1, 24));
    assert_eq!(mock.non_ping()[0].request_line, "GET /v1.24/containers/json HTTP/1.1");
}

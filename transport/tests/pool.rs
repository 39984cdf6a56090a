//! The idle connection pool (keep-alive), against a loopback daemon that keeps connections
//! open and records which requests came on which connection: ordinary calls reuse one
//! connection on TCP and unix sockets; a connection the daemon closed while idle, or closes
//! when the next request comes, is replaced without an error; a hijack (attach) always gets a
//! connection of its own; a dropped stream's connection is closed, never pooled; the pool can
//! be turned off. No timing is asserted.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Client, Operation, Request, Transport};
use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

static INSPECT: Operation = Operation { id: "ContainerInspect", method: Method::GET, since: None };
static LOGS: Operation = Operation { id: "ContainerLogs", method: Method::GET, since: None };
static ATTACH: Operation = Operation { id: "ContainerAttach", method: Method::POST, since: None };
const V141: ApiVersion = ApiVersion::new(1, 41);

/// What the daemon does with a connection after a request.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Answers and keeps the connection open (dockerd's behaviour).
    KeepAlive,
    /// Answers, then closes the connection (an idle timeout of zero).
    CloseAfterAnswer,
    /// Closes the connection without answering a second request on it.
    DropSecondRequest,
}

/// One connection as the daemon saw it.
#[derive(Clone, Debug, Default)]
struct Seen {
    requests: Vec<String>,
    /// The client closed it (the daemon read the end of the stream).
    closed_by_client: bool,
}

#[derive(Clone)]
struct Daemon {
    conns: Arc<Mutex<Vec<Seen>>>,
    mode: Mode,
}

impl Daemon {
    fn seen(&self) -> Vec<Seen> {
        self.conns.lock().unwrap().clone()
    }

    async fn serve<S: AsyncRead + AsyncWrite + Unpin>(self, mut s: S) {
        let id = {
            let mut conns = self.conns.lock().unwrap();
            conns.push(Seen::default());
            conns.len() - 1
        };
        loop {
            let Some(path) = read_head(&mut s).await else {
                self.conns.lock().unwrap()[id].closed_by_client = true;
                return;
            };
            let n = {
                let mut conns = self.conns.lock().unwrap();
                conns[id].requests.push(path.clone());
                conns[id].requests.len()
            };
            if self.mode == Mode::DropSecondRequest && n == 2 {
                return;
            }
            if path.contains("/logs") {
                // Writing fails once the client has closed the connection.
                stream_forever(s).await;
                self.conns.lock().unwrap()[id].closed_by_client = true;
                return;
            }
            if path.contains("/attach") {
                let head = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello";
                let _ = s.write_all(head.as_bytes()).await;
                // Echo until the client closes.
                let mut buf = [0u8; 1024];
                while let Ok(n @ 1..) = s.read(&mut buf).await {
                    let _ = s.write_all(&buf[..n]).await;
                }
                self.conns.lock().unwrap()[id].closed_by_client = true;
                return;
            }
            let answer = if path.contains("/chunked") {
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"Id\"\r\n6\r\n:\"c1\"}\r\n0\r\n\r\n".to_owned()
            } else {
                let body = format!("{{\"Id\":\"c{id}\"}}");
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
            };
            if s.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
            if self.mode == Mode::CloseAfterAnswer {
                let _ = s.shutdown().await;
                return;
            }
        }
    }
}

/// The request line's path, or `None` at the end of the connection.
async fn read_head<S: AsyncRead + Unpin>(s: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&head);
    Some(text.split(' ').nth(1).unwrap_or("").to_owned())
}

/// A multiplexed log stream that never ends; returns when the client has left.
async fn stream_forever<S: AsyncWrite + Unpin>(mut s: S) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    if s.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let frame = b"\x01\x00\x00\x00\x00\x00\x00\x03hi\n";
    loop {
        let chunk = [format!("{:x}\r\n", frame.len()).as_bytes(), frame, b"\r\n"].concat();
        if s.write_all(&chunk).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn tcp_daemon(mode: Mode) -> (Daemon, Transport) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let d = Daemon { conns: Arc::default(), mode };
    let server = d.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            tokio::spawn(server.clone().serve(s));
        }
    });
    (d, Transport::tcp(&addr.to_string()).unwrap().with_pinned_version(V141))
}

async fn unix_daemon(dir: &std::path::Path, mode: Mode) -> (Daemon, Transport) {
    let path = dir.join("d.sock");
    let listener = tokio::net::UnixListener::bind(&path).unwrap();
    let d = Daemon { conns: Arc::default(), mode };
    let server = d.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = listener.accept().await {
            tokio::spawn(server.clone().serve(s));
        }
    });
    (d, Transport::unix(&path).with_pinned_version(V141))
}

fn inspect(path: &'static str) -> Request {
    let mut r = Request::new(&INSPECT);
    r.path(path);
    r
}

async fn guard<T>(fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), fut).await.expect("the client hung")
}

/// Waits (bounded) until the daemon has seen what `done` wants.
async fn until(d: &Daemon, done: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
    for _ in 0..1000 {
        let seen = d.seen();
        if done(&seen) {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the daemon never saw it: {:?}", d.seen())
}

#[tokio::test]
async fn ordinary_calls_reuse_one_connection_on_tcp_and_unix() {
    let dir = tempfile::tempdir().unwrap();
    for (d, t) in [tcp_daemon(Mode::KeepAlive).await, unix_daemon(dir.path(), Mode::KeepAlive).await] {
        let client = Client::new(t, V141);
        for path in ["/containers/a/json", "/containers/chunked/json", "/containers/b/json"] {
            let v: serde_json::Value = guard(client.send_json(inspect(path))).await.unwrap();
            assert!(v["Id"].is_string());
        }
        let seen = d.seen();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(seen[0].requests.len(), 3);
    }
}

#[tokio::test]
async fn a_connection_the_daemon_closed_is_replaced() {
    // Closed after each answer: the client notices when it takes the connection.
    let (d, t) = tcp_daemon(Mode::CloseAfterAnswer).await;
    let client = Client::new(t, V141);
    for _ in 0..3 {
        let _: serde_json::Value = guard(client.send_json(inspect("/containers/a/json"))).await.unwrap();
        until(&d, |s| s.iter().all(|c| !c.requests.is_empty())).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(d.seen().len(), 3);

    // Closed when the next request arrives: the GET is sent again on a new connection.
    let (d, t) = tcp_daemon(Mode::DropSecondRequest).await;
    let client = Client::new(t, V141);
    for _ in 0..2 {
        let _: serde_json::Value = guard(client.send_json(inspect("/containers/a/json"))).await.unwrap();
    }
    let seen = d.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].requests.len(), 2);
    assert_eq!(seen[1].requests.len(), 1);
}

#[tokio::test]
async fn a_hijack_never_takes_a_pooled_connection() {
    let (d, t) = tcp_daemon(Mode::KeepAlive).await;
    let client = Client::new(t, V141);
    let _: serde_json::Value = guard(client.send_json(inspect("/containers/a/json"))).await.unwrap();
    let mut attach = Request::new(&ATTACH);
    attach.path("/containers/a/attach");
    let mut session = guard(client.send_upgrade(attach, Some(true))).await.unwrap();
    let first = guard(session.output.next()).await.unwrap().unwrap();
    assert_eq!(first.bytes().as_ref(), b"hello");
    // The pooled connection still serves ordinary calls, alongside the session.
    let _: serde_json::Value = guard(client.send_json(inspect("/containers/b/json"))).await.unwrap();
    let seen = d.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].requests, ["/v1.41/containers/a/json", "/v1.41/containers/b/json"]);
    assert_eq!(seen[1].requests, ["/v1.41/containers/a/attach"]);
    // Once dropped, the session's connection is closed, not pooled.
    drop(session);
    until(&d, |s| s[1].closed_by_client).await;
    let _: serde_json::Value = guard(client.send_json(inspect("/containers/c/json"))).await.unwrap();
    assert_eq!(d.seen().len(), 2);
    assert_eq!(d.seen()[0].requests.len(), 3);
}

#[tokio::test]
async fn a_dropped_stream_closes_its_connection_and_never_pools_it() {
    let (d, t) = tcp_daemon(Mode::KeepAlive).await;
    let client = Client::new(t, V141);
    let mut logs = Request::new(&LOGS);
    logs.path("/containers/a/logs");
    let mut stream = guard(client.send_output(logs, Some(false))).await.unwrap();
    let chunk = guard(stream.next()).await.unwrap().unwrap();
    assert_eq!(chunk.bytes().as_ref(), b"hi\n");
    drop(stream);
    let seen = until(&d, |s| s.len() == 1 && s[0].closed_by_client).await;
    assert_eq!(seen[0].requests, ["/v1.41/containers/a/logs"]);
    // Ordinary calls then open a connection of their own.
    for _ in 0..2 {
        let _: serde_json::Value = guard(client.send_json(inspect("/containers/a/json"))).await.unwrap();
    }
    let seen = d.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1].requests.len(), 2);
}

#[tokio::test]
async fn pooling_can_be_turned_off() {
    let (d, t) = tcp_daemon(Mode::KeepAlive).await;
    let client = Client::new(t.with_idle_connections(0), V141);
    for _ in 0..3 {
        let _: serde_json::Value = guard(client.send_json(inspect("/containers/a/json"))).await.unwrap();
    }
    let seen = until(&d, |s| s.len() == 3 && s.iter().all(|c| c.closed_by_client)).await;
    assert!(seen.iter().all(|c| c.requests.len() == 1), "{seen:?}");
}

//! A loopback mock daemon: a raw tokio listener (unix socket in a temp dir, or 127.0.0.1 TCP)
//! that records each request line, headers and body, and lets a test handler write whatever
//! bytes it wants back.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use docker_engine_transport::{ApiVersion, Client, Transport};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// The connection handed to a handler (buffered: no byte after the request head is lost).
pub type Conn = BufReader<Box<dyn Io>>;
pub type BoxFut = Pin<Box<dyn Future<Output = ()> + Send>>;
pub type Handler = Arc<dyn Fn(Recorded, Conn) -> BoxFut + Send + Sync>;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub request_line: String,
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub chunked: bool,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    pub fn is_ping(&self) -> bool {
        self.path().ends_with("/_ping")
    }
}

pub struct Mock {
    pub requests: Arc<Mutex<Vec<Recorded>>>,
    /// TCP address (TCP and TLS mocks).
    pub addr: Option<std::net::SocketAddr>,
    transport: Transport,
    _dir: Option<tempfile::TempDir>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Mock {
    pub async fn unix(handler: Handler) -> Mock {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("docker.sock");
        let listener = tokio::net::UnixListener::bind(&path).unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let reqs = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((s, _)) = listener.accept().await else { return };
                tokio::spawn(serve(Box::new(s), handler.clone(), reqs.clone()));
            }
        });
        Mock { requests, transport: Transport::unix(&path), addr: None, _dir: Some(dir), task }
    }

    pub async fn tcp(handler: Handler) -> Mock {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let reqs = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((s, _)) = listener.accept().await else { return };
                tokio::spawn(serve(Box::new(s), handler.clone(), reqs.clone()));
            }
        });
        Mock { requests, transport: Transport::tcp(&addr.to_string()).unwrap(), addr: Some(addr), _dir: None, task }
    }

    /// TLS on 127.0.0.1; `transport()` is plain TCP, build a TLS transport from `addr`.
    #[cfg(feature = "tls")]
    pub async fn tls(handler: Handler, acceptor: tokio_rustls::TlsAcceptor) -> Mock {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let reqs = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((s, _)) = listener.accept().await else { return };
                let (acceptor, handler, reqs) = (acceptor.clone(), handler.clone(), reqs.clone());
                tokio::spawn(async move {
                    // A failed handshake is what some tests expect: just drop the connection.
                    if let Ok(tls) = acceptor.accept(s).await {
                        serve(Box::new(tls), handler, reqs).await;
                    }
                });
            }
        });
        Mock { requests, transport: Transport::tcp(&addr.to_string()).unwrap(), addr: Some(addr), _dir: None, task }
    }

    pub fn transport(&self) -> Transport {
        self.transport.clone()
    }

    pub fn socket_path(&self) -> std::path::PathBuf {
        self._dir.as_ref().unwrap().path().join("docker.sock")
    }

    pub fn client(&self, crate_version: ApiVersion) -> Client {
        Client::new(self.transport(), crate_version)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn non_ping(&self) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| !r.is_ping()).collect()
    }

    pub fn pings(&self) -> usize {
        self.requests().iter().filter(|r| r.is_ping()).count()
    }
}

async fn serve(io: Box<dyn Io>, handler: Handler, reqs: Arc<Mutex<Vec<Recorded>>>) {
    let mut conn = BufReader::new(io);
    let Some(rec) = read_request(&mut conn).await else { return };
    reqs.lock().unwrap().push(rec.clone());
    handler(rec, conn).await;
}

async fn read_request(conn: &mut Conn) -> Option<Recorded> {
    let mut line = String::new();
    conn.read_line(&mut line).await.ok()?;
    if line.is_empty() {
        return None;
    }
    let request_line = line.trim_end().to_owned();
    let mut parts = request_line.split(' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        conn.read_line(&mut h).await.ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let get = |n: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    let chunked = get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    if chunked {
        loop {
            let mut size = String::new();
            conn.read_line(&mut size).await.ok()?;
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; n + 2];
            conn.read_exact(&mut chunk).await.ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(n, 0);
        conn.read_exact(&mut body).await.ok()?;
    }
    Some(Recorded { request_line, method, target, headers, body, chunked })
}

/// A complete HTTP/1.1 response with Content-Length, closing the connection.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Head of a chunked response; follow with [`chunk`]s and [`LAST_CHUNK`].
pub fn chunked_head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("Transfer-Encoding: chunked\r\n\r\n");
    out.into_bytes()
}

pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

fn reason(status: u16) -> &'static str {
    match status {
        101 => "UPGRADED",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Whatever",
    }
}

pub fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![stream, 0, 0, 0];
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// Handler that answers pings with `Api-Version: api` and everything else with `f(request)`.
pub fn daemon(api: &'static str, f: impl Fn(&Recorded) -> Vec<u8> + Send + Sync + 'static) -> Handler {
    let f = Arc::new(f);
    Arc::new(move |rec: Recorded, mut conn: Conn| {
        let f = f.clone();
        Box::pin(async move {
            let bytes = if rec.is_ping() { ping_response(api, &rec.method) } else { f(&rec) };
            let _ = conn.write_all(&bytes).await;
            let _ = conn.shutdown().await;
        })
    })
}

/// Handler that answers pings and gives other requests to an async handler with the connection.
pub fn daemon_raw<F, Fut>(api: &'static str, f: F) -> Handler
where
    F: Fn(Recorded, Conn) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |rec: Recorded, mut conn: Conn| {
        let f = f.clone();
        Box::pin(async move {
            if rec.is_ping() {
                let _ = conn.write_all(&ping_response(api, &rec.method)).await;
                let _ = conn.shutdown().await;
            } else {
                f(rec, conn).await;
            }
        })
    })
}

pub fn ping_response(api: &str, method: &str) -> Vec<u8> {
    let body: &[u8] = if method == "HEAD" { b"" } else { b"OK" };
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nApi-Version: {api}\r\nOstype: linux\r\nDocker-Experimental: false\r\nBuilder-Version: 2\r\nSwarm: inactive\r\nServer: Docker/x (linux)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        if method == "HEAD" { 0 } else { 2 }
    )
    .into_bytes();
    if method != "HEAD" {
        r.extend_from_slice(body);
    }
    r
}

/// Polls a stream whose source is always ready (tests without a network) to the end.
pub fn drain_ready<S: futures_util::Stream + Unpin>(mut s: S) -> Vec<S::Item> {
    let mut cx = Context::from_waker(std::task::Waker::noop());
    let mut out = Vec::new();
    loop {
        match Pin::new(&mut s).poll_next(&mut cx) {
            Poll::Ready(Some(i)) => out.push(i),
            Poll::Ready(None) => return out,
            Poll::Pending => panic!("stream over a ready source returned Pending"),
        }
    }
}

/// Guard against hangs: a test that would hang fails instead.
pub async fn guard<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), fut).await.expect("timed out: the client hung")
}

/// Handler that accepts every connection (pings included), reads the request and never
/// answers, holding the connection open.
pub fn silent() -> Handler {
    Arc::new(|_rec: Recorded, conn: Conn| {
        Box::pin(async move {
            let _held_open = conn;
            std::future::pending::<()>().await;
        })
    })
}

/// Writes `total` bytes made of repeats of `piece` (no allocation per write); stops quietly
/// when the client goes away.
pub async fn write_repeated(conn: &mut Conn, piece: &[u8], total: usize) {
    let mut left = total;
    while left > 0 {
        let n = left.min(piece.len());
        if conn.write_all(&piece[..n]).await.is_err() {
            return;
        }
        left -= n;
    }
}

/// Aborts the process if the returned sender is neither used nor dropped within `secs` real
/// seconds: a hang guard for tests on a paused clock, where a tokio timeout cannot serve.
pub fn watchdog(secs: u64) -> std::sync::mpsc::Sender<()> {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(secs)) {
            eprintln!("watchdog: test hung for {secs} s");
            std::process::abort();
        }
    });
    tx
}

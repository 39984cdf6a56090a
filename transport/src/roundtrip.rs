//! One request and its response on a connection of their own: connect (within the connect
//! timeout), hyper's HTTP/1.1 `client::conn` handshake with the [`ReqBody`] type, the `Host`
//! and `User-Agent` headers, send, wait for the response head (within the deadlines of
//! `timeout`). Connect failures name the address and, for the common cases, give a hint.
//!
//! Each request opens its own connection, and the connection dies with the response. On the
//! local unix socket a connect costs microseconds, and this keeps the life cycle obvious:
//! dropping a stream drops the connection (its [`ConnGuard`]), so the daemon sees the client
//! leave and stops the work (a log follow, a pull, an event subscription). There is no idle pool
//! to go stale, and hijacked attach/exec sessions need a dedicated connection anyway (the Go
//! client does the same for them).

use http::header::{HeaderValue, CONTENT_LENGTH, HOST, USER_AGENT};
use http::{HeaderMap, Method, Response};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::time::Instant;

use crate::body::ConnGuard;
use crate::error::Error;
use crate::req_body::ReqBody;
use crate::timeout::{await_head, earliest, within, Deadlines, TimeoutPhase};
use crate::transport::Settings;

/// The longest request target the `http` crate accepts.
const MAX_TARGET_LEN: usize = u16::MAX as usize - 1;

/// A response head, the guard that keeps its connection alive, and the deadline for its body.
pub(crate) struct Head {
    pub(crate) resp: Response<Incoming>,
    pub(crate) guard: ConnGuard,
    /// When the body must have been read (response and request timeouts), if ever.
    pub(crate) body_deadline: Option<Instant>,
}

/// Opens a connection and sends one request on it, within the call's deadlines.
pub(crate) async fn roundtrip(
    s: &Settings,
    op: &'static str,
    method: Method,
    path_and_query: &str,
    mut headers: HeaderMap,
    body: ReqBody,
    dl: &Deadlines,
) -> Result<Head, Error> {
    let request = build(op, method, path_and_query)?;
    let connect_by = earliest(Some(Instant::now() + s.connect_timeout), dl.request);
    let (mut sender, guard) = within(connect_by, op, TimeoutPhase::Connect, connect(s, op)).await?;
    let mut insert = |name, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    insert(HOST, &s.endpoint.host_header());
    insert(USER_AGENT, &s.user_agent);
    // Go sends `Content-Length: 0` for bodiless POST/PUT; some handlers (container start)
    // refuse chunked bodies.
    if body.is_empty() && (request.method() == Method::POST || request.method() == Method::PUT) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    let (mut parts, ()) = request.into_parts();
    parts.headers = headers;
    let (body, written) = body.with_end_signal();
    let request = http::Request::from_parts(parts, body);
    let head =
        async { sender.send_request(request).await.map_err(|e| Error::transport(op, crate::ssh::promote_failure(e))) };
    let (resp, body_deadline) = await_head(op, head, written, dl).await?;
    Ok(Head { resp, guard, body_deadline })
}

/// The request line, or an error that names what is wrong with it.
fn build(op: &'static str, method: Method, target: &str) -> Result<http::Request<()>, Error> {
    http::Request::builder().method(method).uri(target).body(()).map_err(|e| {
        // Path parameters are refused long before this (`Request::path_id`), so a target
        // this long comes from the query.
        let (parameter, reason) = if target.len() > MAX_TARGET_LEN {
            let reason = format!("the request target is {} bytes, over the limit of {MAX_TARGET_LEN}", target.len());
            ("query", reason)
        } else {
            ("path", e.to_string())
        };
        Error::InvalidParameter { operation: op, parameter, reason }
    })
}

/// Connects and hands the socket to hyper; a spawned task drives the connection (upgrades
/// included) until the guard is dropped.
async fn connect(s: &Settings, op: &'static str) -> Result<(SendRequest<ReqBody>, ConnGuard), Error> {
    let io = s.endpoint.connect().await.map_err(|e| Error::transport(op, ConnectError::new(&s.endpoint, e)))?;
    let (sender, conn) = hyper::client::conn::http1::Builder::new()
        .handshake::<_, ReqBody>(TokioIo::new(io))
        .await
        .map_err(|e| Error::transport(op, e))?;
    let guard = ConnGuard(tokio::spawn(async move {
        // Errors surface through the response future or the body.
        let _ = conn.with_upgrades().await;
    }));
    Ok((sender, guard))
}

/// A connect failure with the address and, for the common cases, a hint.
#[derive(Debug)]
struct ConnectError {
    endpoint: String,
    source: std::io::Error,
}

impl ConnectError {
    fn new(endpoint: &crate::connect::Endpoint, source: std::io::Error) -> ConnectError {
        ConnectError { endpoint: format!("{endpoint:?}"), source }
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::io::ErrorKind::*;
        let hint = match self.source.kind() {
            PermissionDenied => " (permission denied: is the user allowed to use the socket?)",
            NotFound => " (no such socket: check the path and that the daemon is running)",
            ConnectionRefused => " (is the docker daemon running?)",
            _ => "",
        };
        write!(f, "cannot connect to the Docker daemon at {}: {}{hint}", self.endpoint, self.source)
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

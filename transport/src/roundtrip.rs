//! One request and its response: a connection (from the idle pool for ordinary calls, else a
//! new one within the connect timeout), hyper's HTTP/1.1 `client::conn` handshake with the
//! [`ReqBody`] type, the `Host` and `User-Agent` headers, send, wait for the response head
//! (within the deadlines of `timeout`). Connect failures name the address and, for the common
//! cases, give a hint.
//!
//! The connection is driven where the response is read (`conn`), never by a task of its own.
//! Ordinary calls give it back to the idle pool once their response was read whole (`pool`);
//! streams and hijacked attach/exec get a new connection that dies with them, so dropping a
//! stream closes it and the daemon stops the work (a log follow, a pull, an event
//! subscription).

mod conn;
mod pool;

pub(crate) use conn::Conn;
pub(crate) use pool::Pool;

use http::header::{HeaderValue, CONTENT_LENGTH, HOST, USER_AGENT};
use http::{HeaderMap, Method, Response};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::time::Instant;

use crate::body::DrivenBody;
use crate::connect::ReadWait;
use crate::error::Error;
use crate::req_body::ReqBody;
use crate::timeout::{await_head, earliest, within, Deadlines, TimeoutPhase};
use crate::transport::Settings;

/// The longest request target the `http` crate accepts.
const MAX_TARGET_LEN: usize = u16::MAX as usize - 1;

/// A response head, the connection that carries its body, and the deadline for the body.
pub(crate) struct Head {
    pub(crate) resp: Response<Incoming>,
    pub(crate) conn: Conn,
    /// When the body must have been read (response and request timeouts), if ever.
    pub(crate) body_deadline: Option<Instant>,
}

impl Head {
    /// The status line and headers, and the body with its connection.
    pub(crate) fn into_parts(self) -> (http::response::Parts, DrivenBody) {
        let (parts, body) = self.resp.into_parts();
        (parts, DrivenBody::new(body, self.conn))
    }

    /// The headers; the connection goes back to the pool when the body (of a `HEAD`) is
    /// already over.
    pub(crate) fn into_headers(self) -> HeaderMap {
        let (parts, body) = self.into_parts();
        body.finish();
        parts.headers
    }
}

/// Whether a call may use (and give back) a pooled connection.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reuse {
    /// An ordinary call: read whole, then the connection goes back to the pool.
    Pooled,
    /// A stream: a connection of its own.
    Own,
    /// A hijacked attach/exec: a connection of its own, whose reads do not wait on the socket
    /// itself before the `101`; after it, `hijack::split_upgraded` gives the output its own
    /// half, which may (`unix_io`).
    Upgrade,
}

/// Sends one request within the call's deadlines.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn roundtrip(
    s: &Settings,
    op: &'static str,
    method: Method,
    path_and_query: &str,
    mut headers: HeaderMap,
    body: ReqBody,
    dl: &Deadlines,
    reuse: Reuse,
) -> Result<Head, Error> {
    let request = build(op, method, path_and_query)?;
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
    if reuse == Reuse::Pooled {
        if let Some(mut conn) = s.pool.take() {
            conn.come_back_to(s.pool.clone());
            // A request that can be sent again: no body or one in memory, and either not sent
            // yet or idempotent (the Go client's rule for reused connections).
            let again = body.replay().map(|b| (rebuild(&parts), b));
            let idempotent = parts.method == Method::GET || parts.method == Method::HEAD;
            match send(conn, op, http::Request::from_parts(parts, body), dl).await {
                Ok(head) => return Ok(head),
                Err(Failure::NotSent(request)) => return fresh(s, op, request, dl, reuse).await,
                Err(Failure::Failed(e)) => match again {
                    Some((parts, body)) if idempotent && !matches!(e, Error::Timeout { .. }) => {
                        return fresh(s, op, http::Request::from_parts(parts, body), dl, reuse).await;
                    }
                    _ => return Err(e),
                },
            }
        }
    }
    fresh(s, op, http::Request::from_parts(parts, body), dl, reuse).await
}

/// The same request line and headers, for a second attempt.
fn rebuild(parts: &http::request::Parts) -> http::request::Parts {
    let mut request = http::Request::new(());
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.headers_mut() = parts.headers.clone();
    request.into_parts().0
}

/// On a new connection.
async fn fresh(
    s: &Settings,
    op: &'static str,
    request: http::Request<ReqBody>,
    dl: &Deadlines,
    reuse: Reuse,
) -> Result<Head, Error> {
    let connect_by = earliest(Some(Instant::now() + s.connect_timeout), dl.request);
    // Only a stream's reads wait briefly on the socket: hyper probes an idle pooled connection
    // with a read after each response, which must not block.
    let wait = if reuse == Reuse::Own { ReadWait::Brief } else { ReadWait::Never };
    let mut conn = within(connect_by, op, TimeoutPhase::Connect, connect(s, op, wait)).await?;
    if reuse == Reuse::Pooled {
        conn.come_back_to(s.pool.clone());
    }
    send(conn, op, request, dl).await.map_err(|f| match f {
        Failure::Failed(e) => e,
        Failure::NotSent(_) => Error::transport(op, "the new connection refused the request"),
    })
}

enum Failure {
    /// The connection could not take the request; it was not written.
    NotSent(http::Request<ReqBody>),
    Failed(Error),
}

/// Sends on `conn`, driving it until the response head arrives.
async fn send(
    mut conn: Conn,
    op: &'static str,
    request: http::Request<ReqBody>,
    dl: &Deadlines,
) -> Result<Head, Failure> {
    if conn.reused && conn.ready().await.is_err() {
        return Err(Failure::NotSent(request));
    }
    let (parts, body) = request.into_parts();
    let (body, written) = body.with_end_signal();
    let sending = conn.sender.try_send_request(http::Request::from_parts(parts, body));
    let mut not_sent = None;
    let head = async {
        conn.drive_while(sending).await.map_err(|mut e| {
            not_sent = e.take_message();
            Error::transport(op, crate::ssh::promote_failure(e.into_error()))
        })
    };
    match await_head(op, head, written, dl).await {
        Ok((resp, body_deadline)) => Ok(Head { resp, conn, body_deadline }),
        Err(_) if not_sent.is_some() => Err(Failure::NotSent(not_sent.take().expect("checked"))),
        Err(e) => Err(Failure::Failed(e)),
    }
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

/// Connects and hands the socket to hyper; the connection is driven by its user (`Conn`).
async fn connect(s: &Settings, op: &'static str, wait: ReadWait) -> Result<Conn, Error> {
    let io = s.endpoint.connect(wait).await.map_err(|e| Error::transport(op, ConnectError::new(&s.endpoint, e)))?;
    let (sender, conn) = hyper::client::conn::http1::Builder::new()
        .handshake::<_, ReqBody>(TokioIo::new(io))
        .await
        .map_err(|e| Error::transport(op, e))?;
    Ok(Conn::new(sender, conn.with_upgrades()))
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

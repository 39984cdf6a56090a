//! One request and its response on a connection of their own: connect (within the connect
//! timeout), hyper's HTTP/1.1 `client::conn` handshake with the [`ReqBody`] type, the `Host`
//! and `User-Agent` headers, send. Connect failures name the address and, for the common
//! cases, give a hint.
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

use crate::body::ConnGuard;
use crate::error::Error;
use crate::req_body::ReqBody;
use crate::transport::Settings;

/// Opens a connection and sends one request on it. The guard keeps the connection alive.
pub(crate) async fn roundtrip(
    s: &Settings,
    op: &'static str,
    method: Method,
    path_and_query: &str,
    mut headers: HeaderMap,
    body: ReqBody,
) -> Result<(Response<Incoming>, ConnGuard), Error> {
    let (mut sender, guard) = connect(s, op).await?;
    let mut insert = |name, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    insert(HOST, &s.endpoint.host_header());
    insert(USER_AGENT, &s.user_agent);
    // Go sends `Content-Length: 0` for bodiless POST/PUT; some handlers (container start)
    // refuse chunked bodies.
    if body.is_empty() && (method == Method::POST || method == Method::PUT) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    let mut request = http::Request::builder()
        .method(method)
        .uri(path_and_query)
        .body(body)
        .map_err(|e| Error::InvalidParameter {
            operation: op,
            parameter: "path",
            reason: e.to_string(),
        })?;
    *request.headers_mut() = headers;
    let resp = sender
        .send_request(request)
        .await
        .map_err(|e| Error::transport(op, e))?;
    Ok((resp, guard))
}

/// Connects and hands the socket to hyper; a spawned task drives the connection (upgrades
/// included) until the guard is dropped.
async fn connect(s: &Settings, op: &'static str) -> Result<(SendRequest<ReqBody>, ConnGuard), Error> {
    let io = tokio::time::timeout(s.connect_timeout, s.endpoint.connect())
        .await
        .map_err(|_| Error::Timeout { operation: op })?
        .map_err(|e| Error::transport(op, ConnectError::new(&s.endpoint, e)))?;
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
        ConnectError {
            endpoint: format!("{endpoint:?}"),
            source,
        }
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

//! The negotiating client that executes [`Request`]s.
//!
//! **Connections.** Each request opens its own connection, which dies with the response
//! (`roundtrip`: connect, hyper handshake, send).
//!
//! **Versions.** Every request goes to `/v{version}{path}`. The version is the pinned one, or it
//! is negotiated once by pinging the daemon: `min(daemon Api-Version, crate version)`. Concurrent
//! first calls share one ping; a failed ping fails that call and the next call pings again.
//! Then the operation's `since` and every version gate the request recorded
//! ([`Request::require`]) are checked against that version; a miss fails with nothing sent.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use http::header::{HeaderValue, CONNECTION, CONTENT_TYPE, UPGRADE};
use http::{HeaderMap, Method, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::body::{read_to_end, ByteStream, ConnGuard, IncomingStream, ReaderStream};
use crate::error::Error;
use crate::hijack::{HijackWriter, Hijacked};
use crate::json_stream::{decode_json, excerpt, JsonStream};
use crate::multiplex::OutputStream;
use crate::req_body::ReqBody;
use crate::request::Request;
use crate::roundtrip::roundtrip;
use crate::transport::Transport;
use crate::version::ApiVersion;

/// Operation id used in errors of the negotiation ping.
const PING_OP: &str = "SystemPing";
/// Error bodies are read up to this size (as the Go client does).
const MAX_ERROR_BODY: usize = 1024 * 1024;
/// Output of attach/exec/logs is multiplexed-or-raw according to Content-Type from this version.
const CONTENT_TYPE_TELLS_MUX: ApiVersion = ApiVersion::new(1, 42);
const MULTIPLEXED: &str = "application/vnd.docker.multiplexed-stream";
const RAW: &str = "application/vnd.docker.raw-stream";

/// What `/_ping` says about the daemon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingInfo {
    /// `Api-Version`: the daemon's highest API version (None if absent or unparsable).
    pub api_version: Option<ApiVersion>,
    /// `Ostype`: `linux` or `windows`.
    pub os_type: Option<String>,
    /// `Docker-Experimental: true`.
    pub experimental: bool,
    /// `Builder-Version`: `"1"` (classic) or `"2"` (BuildKit).
    pub builder_version: Option<String>,
    /// `Swarm`: e.g. `inactive`, `active/manager`, `active/worker`.
    pub swarm: Option<String>,
}

impl PingInfo {
    fn from_headers(h: &HeaderMap) -> PingInfo {
        let text = |name: &str| {
            h.get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        PingInfo {
            api_version: text("api-version").and_then(|v| ApiVersion::parse_strict(&v).ok()),
            os_type: text("ostype"),
            experimental: text("docker-experimental").as_deref() == Some("true"),
            builder_version: text("builder-version"),
            swarm: text("swarm"),
        }
    }
}

/// A client for one API crate version. Clone is cheap and clones share the negotiated version.
///
/// Must be used inside a tokio runtime (each connection is driven by a spawned task).
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    transport: Transport,
    crate_version: ApiVersion,
    negotiated: OnceLock<ApiVersion>,
    /// Serialises negotiation pings (single flight).
    ping_lock: tokio::sync::Mutex<()>,
}

/// A response whose status was already checked.
struct Sent {
    resp: Response<Incoming>,
    guard: ConnGuard,
    version: ApiVersion,
}

impl Client {
    /// A client speaking at most `crate_version` (the API version the calling crate was generated
    /// from). With a pinned version on `transport`, that version is used as is and no ping is sent.
    pub fn new(transport: Transport, crate_version: ApiVersion) -> Client {
        let negotiated = OnceLock::new();
        if let Some(v) = transport.pinned_version() {
            let _ = negotiated.set(v);
        }
        Client {
            inner: Arc::new(Inner {
                transport,
                crate_version,
                negotiated,
                ping_lock: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The connection settings.
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The highest version this client speaks.
    pub fn crate_version(&self) -> ApiVersion {
        self.inner.crate_version
    }

    /// The version requests use: the pinned one, else negotiated on first use with one ping
    /// (`HEAD /_ping`, then `GET /_ping` if that fails) as `min(daemon, crate version)`. A daemon
    /// that sends no `Api-Version` gets the crate version. Errors are not cached.
    pub async fn api_version(&self) -> Result<ApiVersion, Error> {
        if let Some(v) = self.inner.negotiated.get() {
            return Ok(*v);
        }
        let _flight = self.inner.ping_lock.lock().await;
        if let Some(v) = self.inner.negotiated.get() {
            return Ok(*v);
        }
        let headers = self.timed(PING_OP, self.ping_headers()).await?;
        let crate_version = self.inner.crate_version;
        let version = match headers.get("api-version").map(|v| v.to_str()) {
            None => crate_version,
            Some(Ok(v)) if v.trim().is_empty() => crate_version,
            Some(Ok(v)) => ApiVersion::parse_strict(v.trim())?.min(crate_version),
            Some(Err(_)) => {
                return Err(Error::InvalidVersion {
                    value: String::from("<non-ASCII Api-Version header>"),
                    reason: "not text",
                })
            }
        };
        let _ = self.inner.negotiated.set(version);
        Ok(version)
    }

    /// The negotiated (or pinned) version, if already known.
    pub fn negotiated_version(&self) -> Option<ApiVersion> {
        self.inner.negotiated.get().copied()
    }

    /// Pings the daemon (unversioned `/_ping`) and returns what its headers say. Does not change
    /// the negotiated version.
    pub async fn ping(&self) -> Result<PingInfo, Error> {
        let headers = self.timed(PING_OP, self.ping_headers()).await?;
        Ok(PingInfo::from_headers(&headers))
    }

    async fn ping_headers(&self) -> Result<HeaderMap, Error> {
        let path = format!("{}/_ping", self.settings().base_path);
        // Like the Go client: HEAD first (no body), GET if HEAD fails in any way.
        let head = roundtrip(self.settings(), PING_OP, Method::HEAD, &path, HeaderMap::new(), ReqBody::Empty);
        if let Ok((resp, _guard)) = head.await {
            if resp.status() == StatusCode::OK {
                return Ok(resp.into_parts().0.headers);
            }
        }
        let (resp, _guard) =
            roundtrip(self.settings(), PING_OP, Method::GET, &path, HeaderMap::new(), ReqBody::Empty).await?;
        let resp = self.check_status(PING_OP, resp).await?;
        Ok(resp.into_parts().0.headers)
    }

    /// Sends and expects no useful body: any 2xx or 304 ("already started/stopped") is success.
    pub async fn send_empty(&self, req: Request) -> Result<(), Error> {
        let op = req.op.id;
        let limit = self.settings().max_body_len;
        self.timed(op, async {
            let mut sent = self.execute(req, false).await?;
            read_to_end(sent.resp.body_mut(), op, limit).await?;
            Ok(())
        })
        .await
    }

    /// Sends and decodes the JSON response as `T`. Decode errors name the operation, the field
    /// path and show the start of the body.
    pub async fn send_json<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        let op = req.op.id;
        let body = self.timed(op, self.buffered(req)).await?;
        decode_json(op, &body)
    }

    /// Like [`Client::send_json`] for operations that answer either a JSON body or nothing
    /// (`POST /auth`: 200 with a token, or 204): an empty body is `None`.
    pub async fn send_json_or_empty<T: DeserializeOwned>(&self, req: Request) -> Result<Option<T>, Error> {
        let op = req.op.id;
        let body = self.timed(op, self.buffered(req)).await?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        decode_json(op, &body).map(Some)
    }

    /// Sends and returns the response body as text (invalid UTF-8 is replaced).
    pub async fn send_text(&self, req: Request) -> Result<String, Error> {
        let op = req.op.id;
        let body = self.timed(op, self.buffered(req)).await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends and returns a stream of JSON values (progress, events, stats).
    pub async fn send_json_stream<T: DeserializeOwned>(&self, req: Request) -> Result<JsonStream<T>, Error> {
        let op = req.op.id;
        let sent = self.timed(op, self.execute(req, false)).await?;
        let max = self.settings().max_frame_len;
        Ok(JsonStream::from_source(op, Box::pin(body_stream(op, sent)), max))
    }

    /// Sends and returns container output (logs). Multiplexed or raw is decided by the response
    /// Content-Type when the API version is at least 1.42 (the daemon sets it reliably from then
    /// on), else by `tty`: `Some(true)` raw, `Some(false)` or `None` multiplexed.
    pub async fn send_output(&self, req: Request, tty: Option<bool>) -> Result<OutputStream, Error> {
        let op = req.op.id;
        let sent = self.timed(op, self.execute(req, false)).await?;
        let mux = is_multiplexed(sent.resp.headers(), sent.version, tty);
        let max = self.settings().max_frame_len;
        Ok(OutputStream::from_source(op, Box::pin(body_stream(op, sent)), mux, max))
    }

    /// Sends and returns the raw body (tar archives) chunk by chunk.
    pub async fn send_bytes_stream(&self, req: Request) -> Result<ByteStream, Error> {
        let op = req.op.id;
        let sent = self.timed(op, self.execute(req, false)).await?;
        Ok(ByteStream::new(body_stream(op, sent)))
    }

    /// Sends (usually a `HEAD`) and returns the response headers.
    pub async fn send_head(&self, req: Request) -> Result<HeaderMap, Error> {
        let op = req.op.id;
        self.timed(op, async {
            let sent = self.execute(req, false).await?;
            Ok(sent.resp.into_parts().0.headers)
        })
        .await
    }

    /// Sends with `Connection: Upgrade` / `Upgrade: tcp` and takes over the connection after the
    /// daemon's `101`. Output is multiplexed or raw as for [`Client::send_output`]. Any status
    /// other than 101 is an error (the daemon's message when it sent one).
    pub async fn send_upgrade(&self, req: Request, tty: Option<bool>) -> Result<Hijacked, Error> {
        self.upgrade(req, "tcp", |headers, version| is_multiplexed(headers, version, tty)).await
    }

    /// Upgrades the connection to another protocol and hands it over raw: `websocket` (attach
    /// over a WebSocket; frames are not decoded here) or `h2c` (the BuildKit session). The
    /// output is the peer's bytes as they come ([`OutputChunk::Console`](crate::OutputChunk)).
    pub async fn send_upgrade_protocol(&self, mut req: Request, protocol: &'static str) -> Result<Hijacked, Error> {
        if protocol == "websocket" {
            req.headers.insert("Sec-WebSocket-Version", HeaderValue::from_static("13"));
            req.headers.insert("Sec-WebSocket-Key", websocket_key());
        }
        self.upgrade(req, protocol, |_, _| false).await
    }

    /// The shared part of both upgrades; `multiplexed` decides from the 101's headers and the
    /// negotiated version whether output frames carry stream headers.
    async fn upgrade(
        &self,
        mut req: Request,
        protocol: &'static str,
        multiplexed: impl FnOnce(&HeaderMap, ApiVersion) -> bool,
    ) -> Result<Hijacked, Error> {
        let op = req.op.id;
        req.headers.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
        req.headers.insert(UPGRADE, HeaderValue::from_static(protocol));
        let sent = self.timed(op, self.execute(req, true)).await?;
        let mux = multiplexed(sent.resp.headers(), sent.version);
        let Sent { resp, guard, .. } = sent;
        let upgraded = hyper::upgrade::on(resp)
            .await
            .map_err(|e| Error::transport(op, e))?;
        // The connection task has handed the socket over; nothing is left for it to drive.
        drop(guard);
        let (read, write) = tokio::io::split(TokioIo::new(upgraded));
        let max = self.settings().max_frame_len;
        Ok(Hijacked {
            output: OutputStream::from_source(op, Box::pin(ReaderStream::new(read, op)), mux, max),
            input: HijackWriter::new(write),
        })
    }

    fn settings(&self) -> &crate::transport::Settings {
        &self.inner.transport.inner
    }

    /// Applies the request timeout, if any, to `fut`.
    async fn timed<T>(
        &self,
        operation: &'static str,
        fut: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        match self.settings().request_timeout {
            None => fut.await,
            Some(d) => tokio::time::timeout(d, fut)
                .await
                .map_err(|_| Error::Timeout { operation })?,
        }
    }

    async fn buffered(&self, req: Request) -> Result<Bytes, Error> {
        let op = req.op.id;
        let limit = self.settings().max_body_len;
        let mut sent = self.execute(req, false).await?;
        let (body, truncated) = read_to_end(sent.resp.body_mut(), op, limit).await?;
        if truncated {
            return Err(Error::Protocol {
                operation: op,
                reason: format!("response body larger than the limit of {limit} bytes"),
            });
        }
        Ok(body)
    }

    /// Negotiates, checks the operation's and the members' versions, sends, checks the status.
    async fn execute(&self, mut req: Request, upgrade: bool) -> Result<Sent, Error> {
        let op = req.op;
        let version = self.api_version().await?;
        if let Some(since) = op.since.filter(|s| *s > version) {
            return Err(Error::UnsupportedOperation {
                operation: op.id,
                since,
                negotiated: version,
            });
        }
        let requirements = std::mem::take(&mut req.requirements);
        if let Some(missing) = requirements.into_iter().find(|r| !r.range.contains(version)) {
            return Err(Error::UnsupportedMember {
                operation: op.id,
                member: missing.member.into_text(),
                range: missing.range,
                negotiated: version,
                hint: missing.hint,
            });
        }
        let path = format!(
            "{}/v{}{}",
            self.settings().base_path,
            version,
            req.path_and_query()
        );
        let (resp, guard) =
            roundtrip(self.settings(), op.id, op.method.clone(), &path, req.headers, req.body).await?;
        let resp = if upgrade {
            if resp.status() != StatusCode::SWITCHING_PROTOCOLS {
                if resp.status().is_success() {
                    return Err(Error::Protocol {
                        operation: op.id,
                        reason: format!("expected 101 Switching Protocols, got {}", resp.status()),
                    });
                }
                return Err(self.api_error(op.id, resp).await);
            }
            resp
        } else {
            self.check_status(op.id, resp).await?
        };
        Ok(Sent {
            resp,
            guard,
            version,
        })
    }

    /// Passes 2xx and 304 through; turns anything else into [`Error::Api`].
    async fn check_status(&self, op: &'static str, resp: Response<Incoming>) -> Result<Response<Incoming>, Error> {
        let s = resp.status();
        if s.is_success() || s == StatusCode::NOT_MODIFIED {
            Ok(resp)
        } else {
            Err(self.api_error(op, resp).await)
        }
    }

    async fn api_error(&self, op: &'static str, mut resp: Response<Incoming>) -> Error {
        let status = resp.status();
        let (body, truncated) = read_to_end(resp.body_mut(), op, MAX_ERROR_BODY)
            .await
            .unwrap_or_default();
        let ct = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Error::Api {
            operation: op,
            status: status.as_u16(),
            message: error_message(status, ct, &body, truncated),
        }
    }
}

fn body_stream(op: &'static str, sent: Sent) -> IncomingStream {
    IncomingStream::new(sent.resp.into_body(), op, sent.guard)
}

fn is_multiplexed(headers: &HeaderMap, version: ApiVersion, tty: Option<bool>) -> bool {
    if version >= CONTENT_TYPE_TELLS_MUX {
        let ct = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if ct.starts_with(MULTIPLEXED) {
            return true;
        }
        if ct.starts_with(RAW) {
            return false;
        }
    }
    !tty.unwrap_or(false)
}

/// Turns an error body into a short, useful message: the daemon's JSON `message`, else the text
/// of the body (HTML reduced to its title/text), else the status line.
fn error_message(status: StatusCode, content_type: &str, body: &[u8], truncated: bool) -> String {
    #[derive(Deserialize)]
    struct Message {
        message: Option<String>,
    }
    const MAX_TEXT: usize = 1000;
    let reason = status.canonical_reason().unwrap_or("unknown status");
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut msg = if text.is_empty() {
        format!("{reason} (empty response body)")
    } else if let Ok(Message { message }) = serde_json::from_slice::<Message>(body) {
        match message.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()) {
            Some(m) => m,
            None => format!("{reason} (no error message; body: {})", excerpt(body)),
        }
    } else if content_type.contains("html") || text.starts_with('<') {
        format!("{reason}: {}", html_text(text))
    } else {
        text.to_owned()
    };
    if msg.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !msg.is_char_boundary(cut) {
            cut -= 1;
        }
        msg.truncate(cut);
        msg.push('…');
    }
    if truncated {
        msg.push_str(" (error body longer than 1 MiB, truncated)");
    }
    msg
}

/// The `<title>` of an HTML page, else its text without tags, whitespace collapsed.
fn html_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>")) {
        if a + 7 <= b {
            let t = html[a + 7..b].split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                return t;
            }
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `Sec-WebSocket-Key`: 16 bytes, base64. RFC 6455 asks for a nonce so that caches and
/// proxies cannot replay a handshake; it carries no secret, so time and a counter suffice.
fn websocket_key() -> HeaderValue {
    use base64::Engine as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut nonce = [0u8; 16];
    nonce[..8].copy_from_slice(&nanos.to_le_bytes());
    nonce[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let key = base64::engine::general_purpose::STANDARD.encode(nonce);
    HeaderValue::from_str(&key).unwrap_or_else(|_| HeaderValue::from_static("dGhlIHNhbXBsZSBub25jZQ=="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages() {
        let s = StatusCode::NOT_FOUND;
        assert_eq!(error_message(s, "application/json", b"{\"message\":\"No such container: x\"}\n", false), "No such container: x");
        assert_eq!(error_message(s, "text/plain", b"  page not found \n", false), "page not found");
        assert_eq!(
            error_message(StatusCode::BAD_GATEWAY, "text/html", b"<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>", false),
            "Bad Gateway: 502 Bad Gateway"
        );
        assert_eq!(error_message(StatusCode::BAD_GATEWAY, "", b"<p>upstream <b>down</b></p>", false), "Bad Gateway: upstream down");
        assert_eq!(error_message(s, "", b"", false), "Not Found (empty response body)");
        assert!(error_message(s, "application/json", b"{\"message\":\"\"}", false).contains("no error message"));
        assert!(error_message(s, "", &[b'x'; 5000], true).ends_with("truncated)"));
    }

    #[test]
    fn mux_decision() {
        let mut h = HeaderMap::new();
        let v141 = ApiVersion::new(1, 41);
        let v142 = ApiVersion::new(1, 42);
        h.insert(CONTENT_TYPE, HeaderValue::from_static(RAW));
        assert!(!is_multiplexed(&h, v142, None));
        assert!(is_multiplexed(&h, v141, None));
        assert!(!is_multiplexed(&h, v141, Some(true)));
        h.insert(CONTENT_TYPE, HeaderValue::from_static(MULTIPLEXED));
        assert!(is_multiplexed(&h, v142, Some(true)));
        assert!(is_multiplexed(&HeaderMap::new(), v142, Some(false)));
        assert!(!is_multiplexed(&HeaderMap::new(), v142, Some(true)));
    }
}

//! The negotiating client that executes [`Request`]s.
//!
//! **Connections.** Ordinary calls (read whole) take an idle connection from the transport's
//! pool and give it back afterwards; streams and attach/exec open their own, which dies with
//! them (`roundtrip`: pool or connect, hyper handshake, send). A connection is driven by the
//! task that reads its response, never by a task of its own.
//!
//! **Versions.** Every request goes to `/v{version}{path}`. The version is the pinned one, or it
//! is negotiated once by pinging the daemon (`negotiate`). Then the operation's `since` and
//! every version gate the request recorded ([`Request::require`]) are checked against that
//! version; a miss fails with nothing sent.
//!
//! **Deadlines.** Every call runs within the deadlines of the `timeout` module: connect,
//! response head and body for non-streaming calls, an optional idle limit for streams.
//!
//! **Bodies.** JSON bodies are read up to their own limit and decoded by the rules of
//! `decode` (empty bodies and top-level `null`); bodies a call does not expect are read and
//! thrown away chunk by chunk; error bodies are read up to 1 MiB and turned into a message with
//! control characters escaped (`error_text`).

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use http::header::{HeaderValue, CONNECTION, CONTENT_TYPE, UPGRADE};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::body::{drain, read_capped, ByteSource, ByteStream, Ending, IncomingStream, ReaderStream};
use crate::decode::{decode_body, is_blank};
use crate::error::Error;
use crate::error_text::{error_message, MAX_ERROR_BODY};
use crate::hijack::{split_upgraded, HijackWriter, Hijacked};
use crate::json_stream::JsonStream;
use crate::multiplex::OutputStream;
use crate::negotiate::Negotiated;
use crate::request::Request;
use crate::roundtrip::{roundtrip, Head, Reuse};
use crate::timeout::{earliest, Deadlines, IdleTimeout};
use crate::trace::RequestSpan;
use crate::transport::Transport;
use crate::version::ApiVersion;

/// Output of attach/exec/logs is multiplexed-or-raw according to Content-Type from this version.
const CONTENT_TYPE_TELLS_MUX: ApiVersion = ApiVersion::new(1, 42);
const MULTIPLEXED: &str = "application/vnd.docker.multiplexed-stream";
const RAW: &str = "application/vnd.docker.raw-stream";

/// A client for one API crate version. Clone is cheap and clones share the negotiated version.
///
/// Must be used inside a tokio runtime (sockets and timers are tokio's).
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) crate_version: ApiVersion,
    /// The negotiated (or pinned) version, or the daemon's invalid `Api-Version` header.
    pub(crate) negotiated: OnceLock<Negotiated>,
    /// Serialises negotiation pings (single flight).
    pub(crate) ping_lock: tokio::sync::Mutex<()>,
}

/// A response whose status was already checked.
struct Sent {
    head: Head,
    version: ApiVersion,
}

/// What a call does with the response body; decides the deadlines and the accepted statuses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Read whole (or thrown away): the response timeout covers head and body.
    Buffered,
    /// A stream: no response timeout, optional idle timeout.
    Stream,
    /// Attach/exec: `101`, or a success without an upgrade (detached).
    Upgrade,
}

impl Client {
    /// A client speaking at most `crate_version` (the API version the calling crate was generated
    /// from). With a pinned version on `transport`, that version is used as is and no ping is sent.
    pub fn new(transport: Transport, crate_version: ApiVersion) -> Client {
        let negotiated = OnceLock::new();
        if let Some(v) = transport.pinned_version() {
            let _ = negotiated.set(Ok(v));
        }
        Client {
            inner: Arc::new(Inner { transport, crate_version, negotiated, ping_lock: tokio::sync::Mutex::new(()) }),
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

    /// Sends and expects no useful body: any 2xx or 304 ("already started/stopped") is success.
    /// A body the daemon sends anyway is read to its end and thrown away, one chunk at a time
    /// (never held whole), within the response timeout.
    pub async fn send_empty(&self, req: Request) -> Result<(), Error> {
        let op = req.op.id;
        let sent = self.execute(req, Mode::Buffered).await?;
        let deadline = sent.head.body_deadline;
        drain(sent.head.into_parts().1, op, deadline).await
    }

    /// Sends and decodes the JSON response as `T`. Decode errors name the operation, the field
    /// path and show the start of the body. An empty body (or a 204/304) is
    /// [`Error::EmptyBody`]; a body of `null` is the empty `T` (`[]`, else `{}`); a body over
    /// the JSON limit ([`Transport::with_max_json_body_len`]) is [`Error::BodyTooLarge`].
    pub async fn send_json<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        let op = req.op.id;
        let (body, status) = self.buffered(req, self.settings().max_json_body_len).await?;
        decode_body(op, status, &body)
    }

    /// Like [`Client::send_json`] for operations that answer either a JSON body or nothing
    /// (`POST /auth`: 200 with a token, or 204): an empty body is `None`.
    pub async fn send_json_or_empty<T: DeserializeOwned>(&self, req: Request) -> Result<Option<T>, Error> {
        let op = req.op.id;
        let (body, status) = self.buffered(req, self.settings().max_json_body_len).await?;
        if is_blank(&body) {
            return Ok(None);
        }
        decode_body(op, status, &body).map(Some)
    }

    /// Sends and returns the response body as text (invalid UTF-8 is replaced).
    pub async fn send_text(&self, req: Request) -> Result<String, Error> {
        let (body, _) = self.buffered(req, self.settings().max_body_len).await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends and returns a stream of JSON values (progress, events, stats).
    pub async fn send_json_stream<T: DeserializeOwned>(&self, req: Request) -> Result<JsonStream<T>, Error> {
        let op = req.op.id;
        let sent = self.execute(req, Mode::Stream).await?;
        let max = self.settings().max_frame_len;
        Ok(JsonStream::from_source(op, self.stream_source(op, sent.head), max))
    }

    /// Sends and returns container output (logs). Multiplexed or raw is decided by the response
    /// Content-Type when the API version is at least 1.42 (the daemon sets it reliably from then
    /// on), else by `tty`: `Some(true)` raw, `Some(false)` or `None` multiplexed.
    pub async fn send_output(&self, req: Request, tty: Option<bool>) -> Result<OutputStream, Error> {
        let op = req.op.id;
        let sent = self.execute(req, Mode::Stream).await?;
        let mux = is_multiplexed(sent.head.resp.headers(), sent.version, tty);
        let max = self.settings().max_frame_len;
        Ok(OutputStream::from_source(op, self.stream_source(op, sent.head), mux, max))
    }

    /// Sends and returns the raw body (tar archives) chunk by chunk.
    pub async fn send_bytes_stream(&self, req: Request) -> Result<ByteStream, Error> {
        let op = req.op.id;
        let sent = self.execute(req, Mode::Stream).await?;
        Ok(ByteStream::new(self.stream_source(op, sent.head)))
    }

    /// Sends (usually a `HEAD`) and returns the response headers.
    pub async fn send_head(&self, req: Request) -> Result<HeaderMap, Error> {
        let sent = self.execute(req, Mode::Buffered).await?;
        Ok(sent.head.into_headers())
    }

    /// Sends with `Connection: Upgrade` / `Upgrade: tcp` and takes over the connection after the
    /// daemon's `101`. Output is multiplexed or raw as for [`Client::send_output`].
    ///
    /// A success status without an upgrade is a success too: a detached `ExecStart`
    /// (`Detach: true`) is answered `200 OK`. The [`Hijacked`] then has the response body
    /// (usually empty) as output and a closed input ([`HijackWriter::is_closed`]). Any other
    /// status is an error (the daemon's message when it sent one).
    pub async fn send_upgrade(&self, req: Request, tty: Option<bool>) -> Result<Hijacked, Error> {
        self.upgrade(req, "tcp", |headers, version| is_multiplexed(headers, version, tty)).await
    }

    /// Upgrades the connection to another protocol and hands it over raw: `websocket` (attach
    /// over a WebSocket; frames are not decoded here) or `h2c` (the BuildKit session). The
    /// output is the peer's bytes as they come ([`OutputChunk::Console`](crate::OutputChunk)).
    /// A success without an upgrade is handled as in [`Client::send_upgrade`].
    pub async fn send_upgrade_protocol(&self, mut req: Request, protocol: &'static str) -> Result<Hijacked, Error> {
        if protocol == "websocket" {
            req.headers.insert("Sec-WebSocket-Version", HeaderValue::from_static("13"));
            req.headers.insert("Sec-WebSocket-Key", websocket_key());
        }
        self.upgrade(req, protocol, |_, _| false).await
    }

    /// The shared part of both upgrades; `multiplexed` decides from the response headers and the
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
        let sent = self.execute(req, Mode::Upgrade).await?;
        let mux = multiplexed(sent.head.resp.headers(), sent.version);
        let max = self.settings().max_frame_len;
        if sent.head.resp.status() != StatusCode::SWITCHING_PROTOCOLS {
            // Not upgraded (detached exec start): the body is the output, there is no stdin.
            return Ok(Hijacked {
                output: OutputStream::from_source(op, self.stream_source(op, sent.head), mux, max),
                input: HijackWriter::closed(),
            });
        }
        let Head { mut resp, mut conn, .. } = sent.head;
        // The connection hands the socket over once it has read the 101; then it is done.
        let upgraded = conn.drive_while(hyper::upgrade::on(&mut resp)).await.map_err(|e| Error::transport(op, e))?;
        drop(conn);
        let (read, write) = split_upgraded(upgraded).map_err(|e| Error::transport(op, e))?;
        let idle = self.settings().stream_idle_timeout;
        let source = IdleTimeout::wrap(op, Box::pin(ReaderStream::new(read, op)), idle);
        Ok(Hijacked { output: OutputStream::from_source(op, source, mux, max), input: HijackWriter::new(write) })
    }

    pub(crate) fn settings(&self) -> &crate::transport::Settings {
        &self.inner.transport.inner
    }

    /// A response body as a stream, with the idle timeout when one is set.
    fn stream_source(&self, op: &'static str, head: Head) -> ByteSource {
        let body = IncomingStream::new(head.into_parts().1, op);
        IdleTimeout::wrap(op, Box::pin(body), self.settings().stream_idle_timeout)
    }

    /// Sends and reads the whole body, refusing more than `limit` bytes.
    async fn buffered(&self, req: Request, limit: usize) -> Result<(Bytes, u16), Error> {
        let op = req.op.id;
        let sent = self.execute(req, Mode::Buffered).await?;
        let status = sent.head.resp.status().as_u16();
        let deadline = sent.head.body_deadline;
        match read_capped(sent.head.into_parts().1, op, limit, deadline).await? {
            (body, Ending::Complete) => Ok((body, status)),
            (_, Ending::OverLimit) => Err(Error::BodyTooLarge { operation: op, limit }),
            (_, Ending::Cut(e)) => Err(e),
        }
    }

    /// [`Client::send`] inside the request's span (feature `tracing`).
    async fn execute(&self, req: Request, mode: Mode) -> Result<Sent, Error> {
        let span = RequestSpan::start(req.op, &req.template);
        let sent = span.instrument(self.send(req, mode, &span)).await;
        match &sent {
            Ok(s) => span.finish(Some(s.head.resp.status().as_u16()), None),
            Err(e) => span.finish(None, Some(e)),
        }
        sent
    }

    /// Negotiates, checks the operation's and the members' versions, sends, checks the status.
    async fn send(&self, mut req: Request, mode: Mode, span: &RequestSpan) -> Result<Sent, Error> {
        let op = req.op;
        let dl = Deadlines::start(self.settings(), op.id, mode == Mode::Stream);
        let version = self.negotiate(&dl).await?;
        span.version(version);
        if let Some(since) = op.since.filter(|s| *s > version) {
            return Err(Error::UnsupportedOperation { operation: op.id, since, negotiated: version });
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
        let path = format!("{}/v{}{}", self.settings().base_path, version, req.path_and_query());
        // Ordinary calls share the idle pool; streams and upgrades get a connection of their own.
        let reuse = match mode {
            Mode::Buffered => Reuse::Pooled,
            Mode::Stream => Reuse::Own,
            Mode::Upgrade => Reuse::Upgrade,
        };
        let head =
            roundtrip(self.settings(), op.id, op.method.clone(), &path, req.headers, req.body, &dl, reuse).await?;
        let status = head.resp.status();
        let accepted = match mode {
            Mode::Upgrade => status == StatusCode::SWITCHING_PROTOCOLS || status.is_success(),
            Mode::Buffered | Mode::Stream => status.is_success() || status == StatusCode::NOT_MODIFIED,
        };
        if !accepted {
            return Err(self.api_error(op.id, head, &dl).await);
        }
        Ok(Sent { head, version })
    }

    /// Turns an error response into [`Error::Api`], reading at most 1 MiB of its body within
    /// the response timeout (a timeout is returned as such).
    pub(crate) async fn api_error(&self, op: &'static str, head: Head, dl: &Deadlines) -> Error {
        let body_deadline = head.body_deadline;
        let (resp, body) = head.into_parts();
        let status = resp.status;
        let deadline = earliest(body_deadline, dl.error_body_deadline());
        let (body, ending) = match read_capped(body, op, MAX_ERROR_BODY, deadline).await {
            Ok(read) => read,
            Err(e) => return e,
        };
        let ct = resp.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Error::Api { operation: op, status: status.as_u16(), message: error_message(status, ct, &body, &ending) }
    }
}

fn is_multiplexed(headers: &HeaderMap, version: ApiVersion, tty: Option<bool>) -> bool {
    if version >= CONTENT_TYPE_TELLS_MUX {
        let ct = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if ct.starts_with(MULTIPLEXED) {
            return true;
        }
        if ct.starts_with(RAW) {
            return false;
        }
    }
    !tty.unwrap_or(false)
}

/// A `Sec-WebSocket-Key`: 16 bytes, base64. RFC 6455 asks for a nonce so that caches and
/// proxies cannot replay a handshake; it carries no secret, so time and a counter suffice.
fn websocket_key() -> HeaderValue {
    use base64::Engine as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
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

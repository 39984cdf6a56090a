//! Async transport shared by the generated Docker Engine API crates.
//!
//! Generated endpoint code builds a [`Request`] for a static [`Operation`] and hands it to one of
//! the [`Client`] `send_*` methods; this crate does everything that touches the wire:
//!
//! - connecting ([`Transport`]: unix socket, TCP, TLS with rustls, Windows named pipe, `ssh://`
//!   through the user's `ssh`), found like the Docker CLI finds it ([`Resolver`]: `DOCKER_HOST`,
//!   contexts, well-known sockets), registry credentials like the CLI's ([`Credentials`]),
//! - API version negotiation (`/_ping`, `min(daemon, crate)`, pinning) and the `/vX.Y` prefix on
//!   every request,
//! - version gates: an operation's `since`, and every parameter or body member the request sets
//!   that exists only in some versions ([`Request::require`], [`Request::require_at`] with a
//!   [`MemberPath`], a [`VersionRange`]), are checked against the negotiated version; a miss is
//!   an [`Error::UnsupportedOperation`] or [`Error::UnsupportedMember`] and nothing is sent,
//! - safe path and query encoding, base64url registry auth headers, [`Filters`],
//! - streams: JSON progress/events ([`JsonStream`], in-band errors become `Err`), container output
//!   ([`OutputStream`], multiplexed or raw), tar bodies in ([`Request::stream_body`]) and out
//!   ([`ByteStream`]) without buffering, hijacked attach/exec ([`Hijacked`]),
//! - a folder as a streamed tar archive ([`BuildContext`]) for builds and `docker cp`,
//!   honouring `.dockerignore` with the CLI's rules ([`DockerIgnore`]),
//! - deadlines: connect, response headers and body of every non-streaming call (default
//!   [`DEFAULT_RESPONSE_TIMEOUT`]), an optional idle limit for streams; a timeout says which
//!   [`TimeoutPhase`] ran out,
//! - bounded memory: JSON bodies, stream items and frames are refused at their limits without
//!   buffering past them; unexpected bodies are thrown away chunk by chunk,
//! - typed [`Error`]s that say which operation failed and why, with the daemon's text escaped.
//!
//! Modules, one idea each: `version` (versions and ranges), `transport` (settings and
//! environment), `config` (the CLI's configuration: contexts, well-known sockets, the rules'
//! order, registry credentials), `connect` (sockets), `ssh` (`ssh://` over a child's stdio),
//! `tls`, `request` (builder), `req_body` (the one request body type, also inside [`Upload`]),
//! `upload`, `member_path` (body member paths for version gates), `client` (version checks and execution), `negotiate` (the version ping), `timeout`
//! (deadlines and phases), `roundtrip` (one request: pooled or own connection, driven where it is read), `body` (response
//! bodies), `decode` (JSON bodies: empty and `null` rules), `json_stream`, `multiplex`, `hijack`,
//! `filters`, `path_stat`, `error`, `error_text` (daemon text in messages), `build_context`
//! and `dockerignore`.
//!
//! ```no_run
//! use docker_engine_transport::{ApiVersion, Client, Operation, Request, Transport};
//! use http::Method;
//!
//! static SYSTEM_INFO: Operation =
//!     Operation { id: "SystemInfo", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
//!
//! # async fn f() -> Result<(), docker_engine_transport::Error> {
//! let client = Client::new(Transport::from_env()?, ApiVersion::new(1, 47));
//! let mut req = Request::new(&SYSTEM_INFO);
//! req.path("/info");
//! let info: serde_json::Value = client.send_json(req).await?;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]
// `unix_io` alone allows it, for one `ppoll` and one reactor registration of a unix socket.
#![deny(unsafe_code)]

mod body;
mod build_context;
mod client;
mod config;
mod connect;
mod decode;
mod dockerignore;
mod error;
mod error_text;
mod filters;
mod hijack;
mod json_object;
mod json_stream;
mod member_path;
mod multiplex;
mod negotiate;
mod path_stat;
mod req_body;
mod request;
mod roundtrip;
mod spawn;
mod ssh;
mod timeout;
#[cfg(feature = "tls")]
mod tls;
mod trace;
mod transport;
#[cfg(unix)]
mod unix_io;
mod upload;
mod version;

pub use body::{ByteSource, ByteStream};
pub use build_context::BuildContext;
pub use client::Client;
pub use config::credentials::{Credentials, RegistryAuth, DEFAULT_HELPER_TIMEOUT};
pub use config::reference::DOCKER_HUB_AUTH_KEY;
pub use config::resolve::{ContextChoice, Resolved, Resolver, Source};
pub use dockerignore::DockerIgnore;
pub use error::{BoxError, Error};
pub use filters::Filters;
pub use hijack::{HijackWriter, Hijacked};
pub use json_stream::JsonStream;
pub use member_path::MemberPath;
pub use multiplex::{OutputChunk, OutputStream};
pub use negotiate::{PingInfo, FALLBACK_API_VERSION};
pub use path_stat::{decode_path_stat, PathStat, PATH_STAT_HEADER};
pub use request::{Operation, Request};
pub use ssh::SshCommand;
pub use timeout::TimeoutPhase;
#[cfg(feature = "tls")]
pub use tls::TlsConfig;
pub use transport::{
    Transport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_CONNECTIONS, DEFAULT_MAX_BODY_LEN, DEFAULT_MAX_FRAME_LEN,
    DEFAULT_MAX_JSON_BODY_LEN, DEFAULT_RESPONSE_TIMEOUT,
};
pub use upload::{Upload, UploadStream};
pub use version::{ApiVersion, VersionRange};

/// Re-exported for [`Request::stream_body`] and stream payloads.
pub use bytes;
/// Chunks of uploads and of container output.
pub use bytes::Bytes;
/// The trait of [`JsonStream`], [`OutputStream`] and [`ByteStream`], and the extension trait
/// whose `next().await` reads them.
pub use futures_util::{Stream, StreamExt};
/// Re-exported so generated code and callers use the same `http` types.
pub use http;
/// `write_all` and `shutdown` on the stdin of a [`Hijacked`] attach or exec.
pub use tokio::io::AsyncWriteExt;

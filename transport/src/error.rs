//! The one error type of the crate.
//!
//! Every variant names the operation (the OpenAPI `operationId`) it happened in, so a failure deep
//! inside a program still says which call failed. No variant ever carries a request header value:
//! `X-Registry-Auth` holds credentials and must not end up in logs.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use crate::version::{ApiVersion, VersionRange};

use crate::timeout::TimeoutPhase;

/// Boxed source error (I/O, hyper, TLS, ...).
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Everything that can go wrong between a generated call and the daemon.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The daemon answered with an error status. `message` is the daemon's `{"message": ...}`,
    /// or the (trimmed, shortened) text of a non-JSON body such as a proxy's HTML page.
    Api {
        /// Operation id.
        operation: &'static str,
        /// HTTP status code.
        status: u16,
        /// Error text.
        message: String,
    },

    /// Connecting, writing or reading failed (I/O, TLS, HTTP framing).
    Transport {
        /// Operation id (`_ping` for the version negotiation ping).
        operation: &'static str,
        /// Underlying error.
        source: BoxError,
    },

    /// A deadline expired: the connect timeout, the response timeout, the request timeout or a
    /// stream's idle timeout. `phase` says what was being waited for.
    Timeout {
        /// Operation id.
        operation: &'static str,
        /// What was being waited for when the time ran out.
        phase: TimeoutPhase,
    },

    /// A call that expects a JSON document got no body at all: an empty 2xx body, or a
    /// `204 No Content` / `304 Not Modified` answer.
    EmptyBody {
        /// Operation id.
        operation: &'static str,
        /// HTTP status code of the answer.
        status: u16,
    },

    /// A buffered (non-stream) response body is larger than the configured limit
    /// ([`Transport::with_max_json_body_len`](crate::Transport::with_max_json_body_len) for
    /// JSON, [`Transport::with_max_body_len`](crate::Transport::with_max_body_len) for text).
    /// At most `limit` bytes were held in memory.
    BodyTooLarge {
        /// Operation id.
        operation: &'static str,
        /// Configured limit.
        limit: usize,
    },

    /// A response body did not match the expected type.
    Decode {
        /// Operation id.
        operation: &'static str,
        /// Field path inside the JSON document, e.g. `Containers[3].Ports`.
        path: String,
        /// The first bytes of the offending document (lossy UTF-8).
        excerpt: String,
        /// serde_json's error.
        source: serde_json::Error,
    },

    /// The operation needs a newer API version than the one negotiated. Nothing was sent.
    UnsupportedOperation {
        /// Operation id.
        operation: &'static str,
        /// First API version that has the operation.
        since: ApiVersion,
        /// Version in use.
        negotiated: ApiVersion,
    },

    /// The request sets a parameter or body member the negotiated API version lacks. Nothing was
    /// sent.
    UnsupportedMember {
        /// Operation id.
        operation: &'static str,
        /// Parameter name (`signal`) or body member path (`HostConfig.Mounts[].ImageOptions`).
        member: Cow<'static, str>,
        /// The versions that have the member.
        range: VersionRange,
        /// Version in use.
        negotiated: ApiVersion,
        /// What to use instead, when there is something.
        hint: Option<&'static str>,
    },

    /// A version string (env, header, argument) is not `<int>.<int>`.
    InvalidVersion {
        /// The offending text.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The daemon's `Api-Version` header (from the negotiation ping) is not a version. The
    /// failure is remembered: later calls of the same client fail the same way without pinging.
    InvalidDaemonVersion {
        /// The header value, control characters escaped.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A request parameter was refused before anything was sent (e.g. a path id of `..`).
    InvalidParameter {
        /// Operation id.
        operation: &'static str,
        /// Parameter (or header) name.
        parameter: &'static str,
        /// What is wrong with it. Never contains the value of a header.
        reason: String,
    },

    /// The daemon reported an error inside a successful (200) stream: an `error`/`errorDetail`
    /// item of a JSON progress stream, or a frame on the multiplexed `systemerr` channel.
    Stream {
        /// Operation id.
        operation: &'static str,
        /// The daemon's message.
        message: String,
        /// `errorDetail.code`, when the daemon sent one.
        code: Option<i64>,
    },

    /// A stream frame or JSON item announced (or grew to) more than the configured limit.
    /// The stream ends; nothing of that size was allocated.
    FrameTooLarge {
        /// Operation id.
        operation: &'static str,
        /// Announced (multiplexed) or reached (JSON) size.
        size: u64,
        /// Configured limit.
        limit: usize,
    },

    /// The connection ended in the middle of a frame or JSON item.
    UnexpectedEof {
        /// Operation id.
        operation: &'static str,
        /// What was being read.
        what: &'static str,
    },

    /// A stream contained bytes that do not follow its framing (e.g. unknown stream id).
    Protocol {
        /// Operation id.
        operation: &'static str,
        /// What was wrong.
        reason: String,
    },

    /// Bad configuration: unparsable `DOCKER_HOST`, missing or invalid certificates, ...
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// HTTP status of an [`Error::Api`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The operation id the error belongs to, when it belongs to one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::EmptyBody { operation, .. }
            | Error::BodyTooLarge { operation, .. }
            | Error::Decode { operation, .. }
            | Error::UnsupportedOperation { operation, .. }
            | Error::UnsupportedMember { operation, .. }
            | Error::InvalidParameter { operation, .. }
            | Error::Stream { operation, .. }
            | Error::FrameTooLarge { operation, .. }
            | Error::UnexpectedEof { operation, .. }
            | Error::Protocol { operation, .. } => Some(operation),
            Error::InvalidVersion { .. } | Error::InvalidDaemonVersion { .. } | Error::Config { .. } => None,
        }
    }

    /// 404: no such container, image, network, ... (or no such endpoint).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// 409: conflict, e.g. a name already in use or a running container.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// 400: the daemon refused a parameter.
    pub fn is_bad_request(&self) -> bool {
        self.status() == Some(400)
    }

    /// 401: missing or bad registry credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// 403: forbidden.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// Any 5xx status.
    pub fn is_server_error(&self) -> bool {
        matches!(self.status(), Some(500..=599))
    }

    /// The daemon could not be reached or the connection broke.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. })
    }

    /// The negotiated API version lacks the operation ([`Error::UnsupportedOperation`]) or a
    /// parameter or body member the request sets ([`Error::UnsupportedMember`]). Nothing was sent.
    pub fn is_unsupported_version(&self) -> bool {
        matches!(self, Error::UnsupportedOperation { .. } | Error::UnsupportedMember { .. })
    }

    /// A timeout expired (any phase; see [`Error::timeout_phase`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// What was being waited for, when a timeout expired.
    pub fn timeout_phase(&self) -> Option<TimeoutPhase> {
        match self {
            Error::Timeout { phase, .. } => Some(*phase),
            _ => None,
        }
    }

    pub(crate) fn transport(operation: &'static str, source: impl Into<BoxError>) -> Error {
        Error::Transport { operation, source: source.into() }
    }
}

// Written out rather than derived (thiserror) so the crate builds without any proc-macro.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { operation, status, message } => {
                write!(f, "{operation}: daemon returned {status}: {message}")
            }
            Error::Transport { operation, source } => write!(f, "{operation}: transport error: {source}"),
            Error::Timeout { operation, phase } => write!(f, "{operation}: timed out {phase}"),
            Error::EmptyBody { operation, status } => write!(
                f,
                "{operation}: empty response body where JSON was expected (the daemon answered {})",
                StatusText(*status)
            ),
            Error::BodyTooLarge { operation, limit } => {
                write!(f, "{operation}: response body larger than the limit of {limit} bytes")
            }
            Error::Decode { operation, path, excerpt, source } => write!(
                f,
                "{operation}: cannot decode response at `{path}`: {source} (body starts with: {excerpt})"
            ),
            Error::UnsupportedOperation { operation, since, negotiated } => write!(
                f,
                "{operation} requires API version {since}, but the negotiated API version is {negotiated}"
            ),
            Error::UnsupportedMember { operation, member, range, negotiated, hint } => write!(
                f,
                "{operation}: `{member}` exists in {range}, but the negotiated API version is {negotiated}; nothing was sent{}",
                HintSuffix(*hint)
            ),
            Error::InvalidVersion { value, reason } => write!(f, "invalid API version {value:?}: {reason}"),
            Error::InvalidDaemonVersion { value, reason } => {
                write!(f, "the daemon's Api-Version header \"{value}\" is not a valid API version: {reason}")
            }
            Error::InvalidParameter { operation, parameter, reason } => {
                write!(f, "{operation}: invalid parameter `{parameter}`: {reason}")
            }
            Error::Stream { operation, message, .. } => {
                write!(f, "{operation}: error from daemon in stream: {message}")
            }
            Error::FrameTooLarge { operation, size, limit } => {
                write!(f, "{operation}: stream frame of {size} bytes exceeds the limit of {limit} bytes")
            }
            Error::UnexpectedEof { operation, what } => {
                write!(f, "{operation}: connection closed in the middle of {what}")
            }
            Error::Protocol { operation, reason } => write!(f, "{operation}: malformed stream: {reason}"),
            Error::Config { message } => write!(f, "configuration error: {message}"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source.as_ref()),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `204 No Content`: a status code with its reason phrase.
struct StatusText(u16);

impl fmt::Display for StatusText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = http::StatusCode::from_u16(self.0).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
        write!(f, "{} {reason}", self.0)?;
        if self.0 == 304 {
            f.write_str(", which has no body")?;
        }
        Ok(())
    }
}

/// ` (hint)` after an [`Error::UnsupportedMember`] message, nothing without a hint.
struct HintSuffix(Option<&'static str>);

impl fmt::Display for HintSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(h) => write!(f, " ({h})"),
            None => Ok(()),
        }
    }
}

//! API version negotiation: one ping per client, `min(daemon, crate)`, and what `/_ping` says.
//!
//! The version is the pinned one, or it is negotiated on first use by pinging the daemon
//! (`HEAD /_ping`, then `GET /_ping` if that fails in any way but a timeout): the lower of the
//! daemon's `Api-Version` header and the crate's version. Concurrent first calls share one
//! ping. A daemon that sends no `Api-Version` (or an empty one) gets [`FALLBACK_API_VERSION`],
//! as the Go client does. An invalid header is remembered: every later call of the client fails
//! the same way ([`Error::InvalidDaemonVersion`]) without pinging again. Other failures (no
//! connection, a timeout, an error status) are not remembered: the next call pings again.

use http::header::HeaderValue;
use http::{HeaderMap, Method, StatusCode};

use crate::body::read_capped;
use crate::client::Client;
use crate::error::Error;
use crate::error_text::{daemon_text, escape_controls};
use crate::req_body::ReqBody;
use crate::roundtrip::{roundtrip, Reuse};
use crate::timeout::Deadlines;
use crate::version::ApiVersion;

/// Operation id used in errors of the negotiation ping.
const PING_OP: &str = "SystemPing";

/// The version used when the daemon's ping answer has no `Api-Version` header: 1.24, the Go
/// client's fallback (daemons have sent the header since long before; a peer without it is old
/// or a proxy that drops headers, and the oldest version is the one most likely understood).
pub const FALLBACK_API_VERSION: ApiVersion = ApiVersion::new(1, 24);

/// Outcome of a negotiation: the version, or the daemon's invalid header and why it is invalid.
pub(crate) type Negotiated = Result<ApiVersion, (String, &'static str)>;

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
                .map(|v| escape_controls(v).into_owned())
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

/// The version the daemon's `Api-Version` header gives a client of `crate_version`.
fn from_header(header: Option<&HeaderValue>, crate_version: ApiVersion) -> Negotiated {
    let Some(value) = header else {
        return Ok(FALLBACK_API_VERSION.min(crate_version));
    };
    let Ok(text) = value.to_str() else {
        return Err((daemon_text(value.as_bytes()), "not visible ASCII text"));
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(FALLBACK_API_VERSION.min(crate_version));
    }
    match ApiVersion::parse_strict(text) {
        Ok(v) => Ok(v.min(crate_version)),
        Err(Error::InvalidVersion { reason, .. }) => Err((escape_controls(text).into_owned(), reason)),
        Err(_) => Err((escape_controls(text).into_owned(), "not a version")),
    }
}

fn known(outcome: &Negotiated) -> Result<ApiVersion, Error> {
    outcome.clone().map_err(|(value, reason)| Error::InvalidDaemonVersion { value, reason })
}

impl Client {
    /// The version requests use: the pinned one, else negotiated on first use with one ping
    /// (`HEAD /_ping`, then `GET /_ping` if that fails other than by a timeout) as
    /// `min(daemon, crate version)`.
    ///
    /// A daemon that sends no `Api-Version` header (or an empty one) gets
    /// [`FALLBACK_API_VERSION`] (1.24), like the Go client: the conservative choice, since such
    /// a peer is old or a proxy; pin a version ([`Transport::with_pinned_version`](crate::Transport::with_pinned_version),
    /// `DOCKER_API_VERSION`) to choose another. An invalid header is
    /// [`Error::InvalidDaemonVersion`], and is remembered: every later call of this client (and
    /// its clones) fails the same way without pinging again. Other errors are not remembered.
    pub async fn api_version(&self) -> Result<ApiVersion, Error> {
        let dl = Deadlines::start(self.settings(), PING_OP, false);
        self.negotiate(&dl).await
    }

    /// The negotiated (or pinned) version, if already known.
    pub fn negotiated_version(&self) -> Option<ApiVersion> {
        self.inner.negotiated.get().and_then(|n| n.clone().ok())
    }

    /// Pings the daemon (unversioned `/_ping`) and returns what its headers say. Does not change
    /// the negotiated version.
    pub async fn ping(&self) -> Result<PingInfo, Error> {
        let dl = Deadlines::start(self.settings(), PING_OP, false);
        let headers = self.ping_headers(&dl).await?;
        Ok(PingInfo::from_headers(&headers))
    }

    /// The version for a call with deadlines `dl` (the ping always gets the response timeout,
    /// also when the call is a stream).
    pub(crate) async fn negotiate(&self, dl: &Deadlines) -> Result<ApiVersion, Error> {
        if let Some(outcome) = self.inner.negotiated.get() {
            return known(outcome);
        }
        let _flight = self.inner.ping_lock.lock().await;
        if let Some(outcome) = self.inner.negotiated.get() {
            return known(outcome);
        }
        let ping_dl = Deadlines { response: self.settings().response_timeout, bounds_body: true, ..*dl };
        let headers = self.ping_headers(&ping_dl).await?;
        let outcome = from_header(headers.get("api-version"), self.inner.crate_version);
        let _ = self.inner.negotiated.set(outcome.clone());
        known(&outcome)
    }

    async fn ping_headers(&self, dl: &Deadlines) -> Result<HeaderMap, Error> {
        let s = self.settings();
        let path = format!("{}/_ping", s.base_path);
        // Like the Go client: HEAD first (no body), GET if HEAD fails, unless it timed out (a
        // daemon that does not answer HEAD in time will not answer GET either).
        let head =
            roundtrip(s, PING_OP, Method::HEAD, &path, HeaderMap::new(), ReqBody::Empty, dl, Reuse::Pooled).await;
        match head {
            Ok(head) if head.resp.status() == StatusCode::OK => return Ok(head.into_headers()),
            Err(e) if e.is_timeout() => return Err(e),
            _ => {}
        }
        let head =
            roundtrip(s, PING_OP, Method::GET, &path, HeaderMap::new(), ReqBody::Empty, dl, Reuse::Pooled).await?;
        if !head.resp.status().is_success() {
            return Err(self.api_error(PING_OP, head, dl).await);
        }
        let (parts, body) = head.into_parts();
        // The body of the GET ping ("OK") is read so the connection can be used again.
        let _ = read_capped(body, PING_OP, 64, dl.error_body_deadline()).await;
        Ok(parts.headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rules() {
        let crate_v = ApiVersion::new(1, 55);
        assert_eq!(from_header(None, crate_v), Ok(FALLBACK_API_VERSION));
        assert_eq!(from_header(Some(&HeaderValue::from_static(" ")), crate_v), Ok(FALLBACK_API_VERSION));
        assert_eq!(from_header(Some(&HeaderValue::from_static("1.60")), crate_v), Ok(crate_v));
        assert_eq!(from_header(Some(&HeaderValue::from_static("1.41")), crate_v), Ok(ApiVersion::new(1, 41)));
        let bad = from_header(Some(&HeaderValue::from_static("1.x")), crate_v).unwrap_err();
        assert_eq!(bad.0, "1.x");
        let e = known(&Err(bad)).unwrap_err();
        assert!(e.to_string().starts_with("the daemon's Api-Version header \"1.x\""), "{e}");
    }
}

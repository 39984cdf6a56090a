//! Connection settings: where the daemon is, how long to wait, which version to pin.
//!
//! [`Transport::from_env`] finds the daemon like the Docker CLI (`DOCKER_HOST`, contexts,
//! well-known sockets: the rules live in `config::resolve`). Addresses follow the Go client, with
//! two CLI conveniences: an address without a scheme is `tcp://`, and a `tcp://` address without
//! a port gets 2375 (2376 with TLS).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::config::resolve::Resolver;
use crate::connect::{split_host_port, Endpoint};
use crate::error::Error;
use crate::roundtrip::Pool;
use crate::ssh::{SshCommand, SshTarget};
use crate::version::ApiVersion;

#[cfg(feature = "tls")]
use crate::tls::TlsConfig;

/// Default connect timeout (the Go client's dialer uses the same).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit for one multiplexed frame or one JSON stream item.
pub const DEFAULT_MAX_FRAME_LEN: usize = 16 * 1024 * 1024;
/// Default limit for a buffered text response body ([`Transport::with_max_body_len`]).
pub const DEFAULT_MAX_BODY_LEN: usize = 256 * 1024 * 1024;
/// Default limit for a JSON response body of a non-stream call
/// ([`Transport::with_max_json_body_len`]).
pub const DEFAULT_MAX_JSON_BODY_LEN: usize = 64 * 1024 * 1024;
/// Default number of idle connections kept for reuse ([`Transport::with_idle_connections`]).
pub const DEFAULT_IDLE_CONNECTIONS: usize = 4;
/// Default deadline for the response of a non-streaming call ([`Transport::with_response_timeout`]).
pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(300);

/// Where and how to reach the daemon, plus an optional pinned API version.
///
/// Cheap to clone (an `Arc` inside). The `with_*` methods return a modified copy.
#[derive(Clone, Debug)]
pub struct Transport {
    pub(crate) inner: Arc<Settings>,
}

#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) endpoint: Endpoint,
    /// Path prefix from `tcp://host:port/prefix`, without a trailing `/` (usually empty).
    pub(crate) base_path: String,
    pub(crate) pinned: Option<ApiVersion>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) response_timeout: Option<Duration>,
    pub(crate) stream_idle_timeout: Option<Duration>,
    pub(crate) max_frame_len: usize,
    pub(crate) max_body_len: usize,
    pub(crate) max_json_body_len: usize,
    pub(crate) user_agent: String,
    /// Idle connections of ordinary calls, shared by the clones of a transport.
    pub(crate) pool: Arc<Pool>,
}

impl Transport {
    fn with_endpoint(endpoint: Endpoint) -> Transport {
        Transport {
            inner: Arc::new(Settings {
                endpoint,
                base_path: String::new(),
                pinned: None,
                connect_timeout: DEFAULT_CONNECT_TIMEOUT,
                request_timeout: None,
                response_timeout: Some(DEFAULT_RESPONSE_TIMEOUT),
                stream_idle_timeout: None,
                max_frame_len: DEFAULT_MAX_FRAME_LEN,
                max_body_len: DEFAULT_MAX_BODY_LEN,
                max_json_body_len: DEFAULT_MAX_JSON_BODY_LEN,
                user_agent: concat!("docker-engine-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
                pool: Arc::new(Pool::new(DEFAULT_IDLE_CONNECTIONS)),
            }),
        }
    }

    fn edit(mut self, f: impl FnOnce(&mut Settings)) -> Transport {
        f(Arc::make_mut(&mut self.inner));
        self
    }

    /// Finds the daemon like the Docker CLI, in this order (details: [`Resolver`] and the
    /// README's "Connecting"):
    ///
    /// 1. `DOCKER_HOST`: `unix:///path`, `tcp://host[:port][/prefix]` (`http://` is the same,
    ///    `https://` requires TLS), `ssh://[user@]host[:port][/socket]`, `npipe:////./pipe/name`
    ///    (Windows). TLS is used for `tcp` hosts when `DOCKER_CERT_PATH` or `DOCKER_TLS_VERIFY`
    ///    is non-empty; certificates come from `DOCKER_CERT_PATH`, else `$DOCKER_CONFIG`, else
    ///    `~/.docker`. `DOCKER_TLS_VERIFY` non-empty (any value, even `0`) turns verification on;
    ///    otherwise the server certificate is **not** verified, exactly like the Go client.
    /// 2. `DOCKER_CONTEXT`, else `currentContext` in `$DOCKER_CONFIG/config.json` (default
    ///    `~/.docker`): the context's endpoint and TLS material from the CLI's context store.
    /// 3. Nothing configured: the first well-known socket that exists (the CLI's
    ///    `/var/run/docker.sock`, rootless Docker, Docker Desktop, Podman), else
    ///    `unix:///var/run/docker.sock` (Windows: `npipe:////./pipe/docker_engine`).
    ///
    /// `DOCKER_API_VERSION` non-empty pins the version (no ping); spaces are trimmed and one
    /// leading `v` is stripped. An invalid value is an error. `fd://` is refused with
    /// [`Error::Config`].
    pub fn from_env() -> Result<Transport, Error> {
        Resolver::from_env().transport()
    }

    /// [`Transport::from_env`] with the variables supplied by `get` (for tests and embedding).
    pub fn from_env_with(get: impl Fn(&str) -> Option<String>) -> Result<Transport, Error> {
        Resolver::from_vars(get).transport()
    }

    /// The daemon of the CLI context `name` (`"default"`: the environment and defaults), like
    /// `docker --context NAME`; it wins over `DOCKER_HOST` and `DOCKER_CONTEXT`.
    pub fn from_context(name: &str) -> Result<Transport, Error> {
        Resolver::from_env().context(name).transport()
    }

    /// A daemon reached over ssh, as the CLI does it: `ssh [-l user] [-p port] -- host docker
    /// system dial-stdio`, one `ssh` process per connection (the user's ssh configuration and
    /// agent apply). `url` is `ssh://[user@]host[:port][/socket-path]`.
    pub fn ssh(url: &str) -> Result<Transport, Error> {
        Transport::ssh_with(url, SshCommand::default())
    }

    /// [`Transport::ssh`] with another `ssh` program or extra options.
    pub fn ssh_with(url: &str, ssh: SshCommand) -> Result<Transport, Error> {
        Ok(Transport::with_endpoint(Endpoint::Ssh(SshTarget::new(url, &ssh)?)))
    }

    /// Where this transport connects, e.g. `unix:///var/run/docker.sock`,
    /// `tcp://10.0.0.1:2376 (TLS)`, `ssh://me@host`.
    pub fn endpoint(&self) -> String {
        format!("{:?}", self.inner.endpoint)
    }

    /// Daemon on a unix socket (`Host: api.moby.localhost` is sent, like the Go client).
    pub fn unix(path: impl Into<PathBuf>) -> Transport {
        Transport::with_endpoint(Endpoint::Unix(path.into()))
    }

    /// Plain HTTP over TCP to `host:port` (a leading `tcp://` is accepted; port default 2375).
    pub fn tcp(host_port: &str) -> Result<Transport, Error> {
        let hp = host_port.strip_prefix("tcp://").unwrap_or(host_port);
        let (host, port) = split_host_port(hp, 2375)?;
        Ok(Transport::with_endpoint(Endpoint::Tcp { host, port }))
    }

    /// HTTPS over TCP to `host:port` (a leading `tcp://` is accepted; port default 2376). The host
    /// part is the TLS server name.
    #[cfg(feature = "tls")]
    pub fn tls(host_port: &str, tls: TlsConfig) -> Result<Transport, Error> {
        let hp = host_port.strip_prefix("tcp://").unwrap_or(host_port);
        let (host, port) = split_host_port(hp, 2376)?;
        let server_name = crate::tls::server_name(&host)?;
        let connector = tokio_rustls::TlsConnector::from(tls.build()?);
        Ok(Transport::with_endpoint(Endpoint::Tls { host, port, connector, server_name }))
    }

    /// Daemon on a Windows named pipe such as `\\.\pipe\docker_engine`.
    #[cfg(windows)]
    pub fn named_pipe(path: &str) -> Transport {
        Transport::with_endpoint(Endpoint::NamedPipe(path.to_owned()))
    }

    /// Uses this version for every request and never pings (what `DOCKER_API_VERSION` does).
    pub fn with_pinned_version(self, v: ApiVersion) -> Transport {
        self.edit(|s| s.pinned = Some(v))
    }

    /// Time allowed to open a connection, TLS handshake included. Default 10 s. A timeout is
    /// [`Error::Timeout`] in [`TimeoutPhase::Connect`](crate::TimeoutPhase::Connect).
    pub fn with_connect_timeout(self, d: Duration) -> Transport {
        self.edit(|s| s.connect_timeout = d)
    }

    /// Deadline for the response of every non-streaming call: JSON, text and empty answers,
    /// `HEAD`, the version ping, and the handshake of attach/exec. The clock starts once the
    /// request is written (a streamed upload does not count) and covers the response head
    /// ([`TimeoutPhase::Headers`](crate::TimeoutPhase::Headers)) and body
    /// ([`TimeoutPhase::Body`](crate::TimeoutPhase::Body)). Error bodies of every call, streams
    /// included, are read within it too.
    ///
    /// Default [`DEFAULT_RESPONSE_TIMEOUT`] (5 minutes); `None` turns it off. Long-poll
    /// operations get it for their head only: `ContainerWait` (the daemon sends the head at once
    /// and the body when the container exits) and the plugin pull, upgrade and push (which
    /// stream progress). Calls that can legitimately take longer than the deadline to answer
    /// need a longer one or `None`: a `ContainerStop`/`ContainerRestart` whose stop timeout is
    /// near it, prunes and commits of very large amounts of data.
    pub fn with_response_timeout(self, d: Option<Duration>) -> Transport {
        self.edit(|s| s.response_timeout = d)
    }

    /// Longest gap allowed between two chunks of a stream's body (JSON streams, container
    /// output, tar downloads, hijacked output); a longer one ends the stream with
    /// [`Error::Timeout`] in [`TimeoutPhase::Idle`](crate::TimeoutPhase::Idle). Default `None`
    /// (off): `follow` streams and event subscriptions can be quiet for hours.
    pub fn with_stream_idle_timeout(self, d: Option<Duration>) -> Transport {
        self.edit(|s| s.stream_idle_timeout = d)
    }

    /// Time allowed for a whole request: until the body is read for buffered responses, until the
    /// response headers for streams (a stream's body may run for ever). Default: none, like the
    /// Go client (pulls and waits can legitimately take hours); the response timeout
    /// ([`Transport::with_response_timeout`]) bounds non-streaming calls by default.
    pub fn with_request_timeout(self, d: Option<Duration>) -> Transport {
        self.edit(|s| s.request_timeout = d)
    }

    /// Largest multiplexed frame or JSON stream item accepted (default 16 MiB). A bigger one ends
    /// the stream with [`Error::FrameTooLarge`] before it is buffered: the item's buffer never
    /// grows past the limit.
    pub fn with_max_frame_len(self, n: usize) -> Transport {
        self.edit(|s| s.max_frame_len = n)
    }

    /// Largest buffered text response body accepted ([`Client::send_text`](crate::Client::send_text);
    /// default 256 MiB); a bigger one is [`Error::BodyTooLarge`].
    pub fn with_max_body_len(self, n: usize) -> Transport {
        self.edit(|s| s.max_body_len = n)
    }

    /// Largest JSON response body of a non-stream call accepted (default
    /// [`DEFAULT_MAX_JSON_BODY_LEN`], 64 MiB: a container or image list of ten thousand entries
    /// is a few MiB). A bigger one is [`Error::BodyTooLarge`]: a `Content-Length` over the limit
    /// is refused before the body is read, and the buffer never grows past the limit. Decoding
    /// then needs memory in proportion to the body.
    pub fn with_max_json_body_len(self, n: usize) -> Transport {
        self.edit(|s| s.max_json_body_len = n)
    }

    /// How many idle connections are kept for reuse (keep-alive; default
    /// [`DEFAULT_IDLE_CONNECTIONS`]; 0 turns reuse off). Ordinary calls (JSON, text and empty
    /// answers, `HEAD`, the ping) take an idle connection when there is one and give theirs
    /// back once the response was read whole; streams and attach/exec always open their own,
    /// which closes when they are dropped. An idle connection is closed after 90 s. Every
    /// endpoint pools, `ssh://` included (one `ssh` process per pooled connection). The copy
    /// returned has a pool of its own; clones share theirs.
    pub fn with_idle_connections(self, n: usize) -> Transport {
        self.edit(|s| s.pool = Arc::new(Pool::new(n)))
    }

    /// Path prefix put before `/vX.Y` (what `tcp://host:port/prefix` sets). Default empty.
    pub fn with_base_path(self, prefix: &str) -> Transport {
        let p = prefix.trim_end_matches('/');
        let p = if p.is_empty() || p.starts_with('/') { p.to_owned() } else { format!("/{p}") };
        self.edit(|s| s.base_path = p)
    }

    /// Replaces the `User-Agent` (default `docker-engine-rust/<version>`). A value with a
    /// control character (CR, LF, ...) or a non-ASCII character cannot be sent and is refused
    /// with [`Error::Config`].
    pub fn with_user_agent(self, ua: &str) -> Result<Transport, Error> {
        if http::HeaderValue::from_str(ua).is_err() {
            return Err(Error::Config {
                message: String::from(
                    "the User-Agent may hold only visible ASCII characters, spaces and tabs (no CR, LF or other control characters)",
                ),
            });
        }
        Ok(self.edit(|s| s.user_agent = ua.to_owned()))
    }

    /// The pinned version, if any.
    pub fn pinned_version(&self) -> Option<ApiVersion> {
        self.inner.pinned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Result<Transport, Error> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Transport::from_env_with(move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    fn shown(t: &Transport) -> String {
        format!("{:?}", t.inner.endpoint)
    }

    #[test]
    #[cfg(unix)]
    fn default_is_local_socket() {
        // An empty fake file system: no well-known socket exists.
        let root = tempfile::tempdir().unwrap();
        let t = Resolver::from_vars(|_| None).filesystem_root(root.path()).transport().unwrap();
        assert_eq!(shown(&t), "unix:///var/run/docker.sock");
        assert_eq!(env(&[("DOCKER_HOST", "unix://")]).unwrap().inner.pinned, None);
        assert_eq!(shown(&env(&[("DOCKER_HOST", "unix://")]).unwrap()), "unix:///var/run/docker.sock");
    }

    #[test]
    fn hosts() {
        let t = env(&[("DOCKER_HOST", "unix:///tmp/d.sock")]).unwrap();
        assert_eq!(shown(&t), "unix:///tmp/d.sock");
        let t = env(&[("DOCKER_HOST", "tcp://10.0.0.1:2375/prefix/")]).unwrap();
        assert_eq!(shown(&t), "tcp://10.0.0.1:2375");
        assert_eq!(t.inner.base_path, "/prefix");
        let t = env(&[("DOCKER_HOST", "tcp://example.org")]).unwrap();
        assert_eq!(shown(&t), "tcp://example.org:2375");
        let t = env(&[("DOCKER_HOST", "localhost:1234")]).unwrap();
        assert_eq!(shown(&t), "tcp://localhost:1234");
        let t = env(&[("DOCKER_HOST", "ssh://me@host:2222")]).unwrap();
        assert_eq!(shown(&t), "ssh://me@host:2222");
        for bad in ["ssh://me:pw@host", "fd://", "foo://x", "tcp://h:x", "tcp://u@h:1", "tcp://h:1?x=1"] {
            assert!(matches!(env(&[("DOCKER_HOST", bad)]), Err(Error::Config { .. })), "{bad}");
        }
        #[cfg(not(windows))]
        assert!(env(&[("DOCKER_HOST", "npipe:////./pipe/docker_engine")]).is_err());
    }

    #[test]
    fn api_version_env() {
        let t = env(&[("DOCKER_API_VERSION", " v1.41 ")]).unwrap();
        assert_eq!(t.pinned_version(), Some(ApiVersion::new(1, 41)));
        assert_eq!(env(&[("DOCKER_API_VERSION", "")]).unwrap().pinned_version(), None);
        assert!(matches!(env(&[("DOCKER_API_VERSION", "1.41.0")]), Err(Error::InvalidVersion { .. })));
    }

    #[test]
    #[cfg(feature = "tls")]
    fn tls_env_needs_certs() {
        // Verification requested but no CA present: refused rather than silently unverified.
        let dir = std::env::temp_dir().join("docker-engine-transport-no-such-dir");
        let r = env(&[
            ("DOCKER_HOST", "tcp://h:2376"),
            ("DOCKER_TLS_VERIFY", "1"),
            ("DOCKER_CERT_PATH", dir.to_str().unwrap()),
        ]);
        assert!(matches!(r, Err(Error::Config { .. })));
        // https without any TLS env.
        assert!(env(&[("DOCKER_HOST", "https://h:2376")]).is_err());
        // Cert path without verify: no CA needed, no client cert present → unverified TLS.
        let empty = std::env::temp_dir();
        let t = env(&[("DOCKER_HOST", "tcp://h"), ("DOCKER_CERT_PATH", empty.to_str().unwrap())]);
        // temp dir might contain stray cert.pem/key.pem; only assert the port default when Ok.
        if let Ok(t) = t {
            assert_eq!(shown(&t), "tcp://h:2376 (TLS)");
        }
    }
}

//! Opening a byte stream to the daemon: unix socket, TCP, TLS over TCP, Windows named pipe, the
//! stdio of an `ssh` child (`ssh`).
//!
//! Every endpoint yields the same boxed [`Io`] so the HTTP layer above does not care which one it
//! talks to. Shutting down the write side of an [`Io`] is a real half-close (`shutdown(SHUT_WR)`
//! on sockets, `close_notify` then `SHUT_WR` on TLS), which hijacked attach/exec rely on.

use std::io;
use std::path::PathBuf;

use tokio::io::{AsyncRead, AsyncWrite};

use crate::error::Error;

/// Whether a connection's reads may wait briefly on the socket itself before they sleep in the
/// reactor (unix sockets only; see `unix_io`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ReadWait {
    Brief,
    Never,
}

/// Any bidirectional byte stream we can speak HTTP/1.1 over.
pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin + 'static {
    /// Two halves usable from two tasks without sharing a lock, for a hijacked session, when the
    /// stream can give them (a unix socket: a duplicate of its descriptor each); else `None`.
    fn halves(&self) -> Option<io::Result<(ReadSide, WriteSide)>> {
        None
    }
}

/// The output direction of a hijacked session.
pub(crate) type ReadSide = Box<dyn AsyncRead + Send + Unpin>;
/// The stdin direction of a hijacked session.
pub(crate) type WriteSide = Box<dyn AsyncWrite + Send + Unpin>;

#[cfg(unix)]
impl Io for crate::unix_io::UnixIo {
    fn halves(&self) -> Option<io::Result<(ReadSide, WriteSide)>> {
        Some(self.duplicated_halves().map(|(r, w)| (Box::new(r) as ReadSide, Box::new(w) as WriteSide)))
    }
}
impl Io for tokio::net::TcpStream {}
#[cfg(feature = "tls")]
impl Io for tokio_rustls::client::TlsStream<tokio::net::TcpStream> {}
impl Io for crate::ssh::SshIo {}
#[cfg(windows)]
impl Io for tokio::net::windows::named_pipe::NamedPipeClient {}

/// Boxed connection.
pub(crate) type BoxIo = Box<dyn Io>;

/// `Host` header for local sockets, as the Go client sends it.
const LOCAL_HOST: &str = "api.moby.localhost";

/// Where the daemon listens.
#[derive(Clone)]
pub(crate) enum Endpoint {
    /// Unix domain socket path.
    Unix(PathBuf),
    /// Plain HTTP over TCP.
    Tcp { host: String, port: u16 },
    /// HTTPS over TCP.
    #[cfg(feature = "tls")]
    Tls {
        host: String,
        port: u16,
        connector: tokio_rustls::TlsConnector,
        server_name: rustls_pki_types::ServerName<'static>,
    },
    /// Windows named pipe such as `\\.\pipe\docker_engine`.
    #[cfg(windows)]
    NamedPipe(String),
    /// `ssh://`: HTTP over the stdio of `ssh … docker system dial-stdio`.
    Ssh(crate::ssh::SshTarget),
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(p) => write!(f, "unix://{}", p.display()),
            Endpoint::Tcp { host, port } => write!(f, "tcp://{}", join_host_port(host, *port)),
            #[cfg(feature = "tls")]
            Endpoint::Tls { host, port, .. } => {
                write!(f, "tcp://{} (TLS)", join_host_port(host, *port))
            }
            #[cfg(windows)]
            Endpoint::NamedPipe(p) => write!(f, "npipe://{p}"),
            Endpoint::Ssh(t) => write!(f, "{t:?}"),
        }
    }
}

impl Endpoint {
    /// Value of the `Host` request header.
    pub(crate) fn host_header(&self) -> String {
        match self {
            Endpoint::Unix(_) => LOCAL_HOST.to_owned(),
            Endpoint::Tcp { host, port } => join_host_port(host, *port),
            #[cfg(feature = "tls")]
            Endpoint::Tls { host, port, .. } => join_host_port(host, *port),
            #[cfg(windows)]
            Endpoint::NamedPipe(_) => LOCAL_HOST.to_owned(),
            Endpoint::Ssh(_) => LOCAL_HOST.to_owned(),
        }
    }

    /// Opens a fresh connection (no timeout here; the caller applies it). `wait`: whether its
    /// reads may wait briefly on a unix socket itself (`unix_io`).
    pub(crate) async fn connect(&self, wait: ReadWait) -> io::Result<BoxIo> {
        match self {
            Endpoint::Unix(path) => {
                #[cfg(unix)]
                {
                    Ok(Box::new(crate::unix_io::UnixIo::connect(path, wait).await?))
                }
                #[cfg(not(unix))]
                {
                    let _ = (path, wait);
                    Err(io::Error::new(io::ErrorKind::Unsupported, "unix sockets are not available on this platform"))
                }
            }
            Endpoint::Tcp { host, port } => Ok(Box::new(tcp(host, *port).await?)),
            #[cfg(feature = "tls")]
            Endpoint::Tls { host, port, connector, server_name } => {
                let s = tcp(host, *port).await?;
                let tls = connector.connect(server_name.clone(), s).await?;
                Ok(Box::new(tls))
            }
            #[cfg(windows)]
            Endpoint::NamedPipe(path) => named_pipe(path).await,
            Endpoint::Ssh(target) => Ok(Box::new(target.connect()?)),
        }
    }
}

async fn tcp(host: &str, port: u16) -> io::Result<tokio::net::TcpStream> {
    let s = tokio::net::TcpStream::connect((host, port)).await?;
    // Small request/response exchanges and interactive stdin: do not wait for Nagle.
    s.set_nodelay(true)?;
    Ok(s)
}

#[cfg(windows)]
async fn named_pipe(path: &str) -> io::Result<BoxIo> {
    use std::time::Duration;
    use tokio::net::windows::named_pipe::ClientOptions;
    // ERROR_PIPE_BUSY: every server instance is taken; the daemon creates a new one shortly.
    const ERROR_PIPE_BUSY: i32 = 231;
    loop {
        match ClientOptions::new().open(path) {
            Ok(c) => return Ok(Box::new(c)),
            Err(e) if e.raw_os_error() == Some(ERROR_PIPE_BUSY) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// `host:port`, with brackets around IPv6 literals.
pub(crate) fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Splits `host:port`, `[v6]:port` or a bare host (then `default_port`). The host may be empty only
/// if `empty_host` is given (the CLI's `tcp://:2375` means localhost).
pub(crate) fn split_host_port(s: &str, default_port: u16) -> Result<(String, u16), Error> {
    let bad = |why: &str| Error::Config { message: format!("invalid daemon address {s:?}: {why}") };
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest.split_once(']').ok_or_else(|| bad("unclosed '['"))?;
        match after {
            "" => (h, None),
            p => (h, Some(p.strip_prefix(':').ok_or_else(|| bad("junk after ']'"))?)),
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, _)) if h.contains(':') => return Err(bad("IPv6 addresses need [brackets]")),
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let port = match port {
        None => default_port,
        Some(p) => p.parse().map_err(|_| bad("port is not a number in 0..=65535"))?,
    };
    let host = if host.is_empty() { "localhost" } else { host };
    if host.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad("unexpected character in host"));
    }
    Ok((host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_forms() {
        assert_eq!(split_host_port("1.2.3.4:2376", 1).unwrap(), ("1.2.3.4".into(), 2376));
        assert_eq!(split_host_port("example.org", 2375).unwrap(), ("example.org".into(), 2375));
        assert_eq!(split_host_port("[::1]:80", 1).unwrap(), ("::1".into(), 80));
        assert_eq!(split_host_port("[::1]", 7).unwrap(), ("::1".into(), 7));
        assert_eq!(split_host_port(":2375", 1).unwrap(), ("localhost".into(), 2375));
        assert!(split_host_port("::1:80", 1).is_err());
        assert!(split_host_port("h:99999", 1).is_err());
        assert!(split_host_port("h:x", 1).is_err());
        assert_eq!(join_host_port("::1", 80), "[::1]:80");
    }
}

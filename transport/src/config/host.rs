//! A daemon address (`unix://`, `tcp://`, `http(s)://`, `npipe://`, `ssh://`, or a bare
//! `host:port`) plus where its TLS settings come from, into a [`Transport`].
//!
//! TLS for `tcp://` follows the source: from the environment when `DOCKER_CERT_PATH` or
//! `DOCKER_TLS_VERIFY` is set (the Go client's rules), from a context when it has TLS material
//! or `SkipTLSVerify` (the CLI's `cli/context/docker` rules).

use std::path::{Path, PathBuf};

use super::config_error;
use super::context::ContextEndpoint;
use crate::error::Error;
use crate::ssh::SshCommand;
use crate::transport::Transport;

#[cfg(unix)]
pub(crate) const DEFAULT_UNIX_SOCKET: &str = "/var/run/docker.sock";
#[cfg(windows)]
pub(crate) const DEFAULT_NAMED_PIPE: &str = "//./pipe/docker_engine";

/// Where the TLS settings of a `tcp://` address come from.
pub(crate) enum TlsSource<'a> {
    /// `DOCKER_CERT_PATH` (else the config folder) and `DOCKER_TLS_VERIFY`.
    Env { cert_path: Option<PathBuf>, verify: bool },
    /// A context's TLS folder and `SkipTLSVerify`.
    Context(&'a ContextEndpoint),
}

impl TlsSource<'_> {
    fn wanted(&self) -> bool {
        match self {
            TlsSource::Env { cert_path, verify } => cert_path.is_some() || *verify,
            TlsSource::Context(ep) => ep.tls.is_some() || ep.skip_tls_verify,
        }
    }
}

/// The platform's default daemon: `unix:///var/run/docker.sock` (Windows: the
/// `docker_engine` named pipe).
pub(crate) fn default_local() -> Result<Transport, Error> {
    #[cfg(unix)]
    {
        Ok(Transport::unix(DEFAULT_UNIX_SOCKET))
    }
    #[cfg(windows)]
    {
        Ok(Transport::named_pipe(DEFAULT_NAMED_PIPE))
    }
    #[cfg(not(any(unix, windows)))]
    {
        Err(config_error("no default Docker host on this platform".into()))
    }
}

/// `host` into a transport. `origin` names where `host` was read (`DOCKER_HOST`, `…/meta.json:
/// Endpoints.docker.Host`) in error messages; `config_dir` is the default cert folder of the
/// environment rules.
pub(crate) fn transport_for(
    host: &str,
    origin: &str,
    tls: TlsSource<'_>,
    config_dir: Option<&Path>,
    ssh: &SshCommand,
) -> Result<Transport, Error> {
    parse(host, origin, tls, config_dir, ssh).map_err(|e| match e {
        Error::Config { message } if !message.starts_with(origin) => config_error(format!("{origin}: {message}")),
        e => e,
    })
}

fn parse(
    host: &str,
    origin: &str,
    tls: TlsSource<'_>,
    config_dir: Option<&Path>,
    ssh: &SshCommand,
) -> Result<Transport, Error> {
    let (scheme, rest) = host.split_once("://").unwrap_or(("tcp", host));
    match scheme {
        "unix" => {
            #[cfg(unix)]
            let path = if rest.is_empty() { DEFAULT_UNIX_SOCKET } else { rest };
            #[cfg(not(unix))]
            let path = if rest.is_empty() { "/var/run/docker.sock" } else { rest };
            Ok(Transport::unix(path))
        }
        "tcp" | "http" | "https" => {
            if scheme == "https" && !tls.wanted() {
                return Err(config_error(format!(
                    "{origin} is https:// but no TLS is configured (DOCKER_CERT_PATH or DOCKER_TLS_VERIFY, or a context with TLS material)"
                )));
            }
            tcp(rest, origin, tls, config_dir)
        }
        "npipe" => npipe(rest),
        "ssh" => Ok(Transport::ssh_with(host, ssh.clone())?),
        "fd" => Err(config_error(format!("{origin}: fd:// hosts are not supported by this crate"))),
        other => Err(config_error(format!("{origin} has unknown scheme {other:?}"))),
    }
}

fn tcp(rest: &str, origin: &str, tls: TlsSource<'_>, config_dir: Option<&Path>) -> Result<Transport, Error> {
    if rest.contains(['?', '#', '@']) {
        return Err(config_error(format!("{origin} must not contain a query, fragment or user info")));
    }
    let (authority, base) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let t = if tls.wanted() {
        #[cfg(feature = "tls")]
        {
            Transport::tls(authority, tls_config(tls, config_dir)?)?
        }
        #[cfg(not(feature = "tls"))]
        {
            let _ = config_dir;
            return Err(config_error(format!(
                "{origin}: TLS is configured but this build has no TLS: turn on the `tls` feature of the \
                 docker-engine-api crate (or of docker-engine-transport)"
            )));
        }
    } else {
        Transport::tcp(authority)?
    };
    Ok(t.with_base_path(base))
}

#[cfg(feature = "tls")]
fn tls_config(tls: TlsSource<'_>, config_dir: Option<&Path>) -> Result<crate::tls::TlsConfig, Error> {
    use crate::tls::TlsConfig;
    match tls {
        TlsSource::Env { cert_path, verify } => {
            let dir = match cert_path {
                Some(d) => d,
                None => config_dir.map(Path::to_owned).ok_or_else(|| {
                    config_error(
                        "cannot find the Docker config dir for the TLS certificates: set DOCKER_CERT_PATH".into(),
                    )
                })?,
            };
            TlsConfig::from_cert_path(dir, verify)
        }
        TlsSource::Context(ep) => {
            let at = |file: &str, e: Error| match (&ep.tls, e) {
                (Some(t), Error::Config { message }) => {
                    config_error(format!("{}: {message}", t.dir.join(file).display()))
                }
                (_, e) => e,
            };
            let mut c = TlsConfig::new().verify(!ep.skip_tls_verify);
            // The CLI trusts the system roots when the context has no ca.pem.
            if ep.tls.as_ref().and_then(|t| t.ca.as_ref()).is_none() && !ep.skip_tls_verify {
                c = c.with_platform_roots()?;
            }
            if let Some(t) = &ep.tls {
                if let Some(ca) = &t.ca {
                    c = c.ca_pem(ca).map_err(|e| at("ca.pem", e))?;
                }
                if let (Some(cert), Some(key)) = (&t.cert, &t.key) {
                    c = c.client_cert_pem(cert, key).map_err(|e| at("cert.pem", e))?;
                }
            }
            Ok(c)
        }
    }
}

#[cfg(windows)]
fn npipe(rest: &str) -> Result<Transport, Error> {
    Ok(Transport::named_pipe(if rest.is_empty() { DEFAULT_NAMED_PIPE } else { rest }))
}

#[cfg(not(windows))]
fn npipe(_rest: &str) -> Result<Transport, Error> {
    Err(config_error("npipe:// hosts exist only on Windows".into()))
}

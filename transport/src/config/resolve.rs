//! The order of the connection rules, as the Docker CLI applies them
//! (`cli/command/cli.go`, `resolveContextName`, and `cli/context/docker`):
//!
//! 1. a context chosen in code ([`Resolver::context`], the CLI's `--context`);
//! 2. `DOCKER_HOST` (with `DOCKER_CERT_PATH` and `DOCKER_TLS_VERIFY`): the "default" context;
//! 3. `DOCKER_CONTEXT`;
//! 4. `currentContext` in `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`);
//! 5. nothing configured: the first well-known socket that exists (`sockets`), else
//!    `unix:///var/run/docker.sock`.
//!
//! A context named `default` means rules 2 and 5. `DOCKER_API_VERSION` pins the version in
//! every case. A named context that does not exist is an error, never a silent fallback.

use std::path::PathBuf;

use super::context::{self, DEFAULT_CONTEXT};
use super::host::{default_local, transport_for, TlsSource};
use super::{config_error, sockets, ConfigFile, Vars};
use crate::error::Error;
use crate::ssh::SshCommand;
use crate::transport::Transport;

/// Why a context was used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContextChoice {
    /// Chosen in code with [`Resolver::context`].
    Explicit,
    /// The `DOCKER_CONTEXT` variable.
    DockerContext,
    /// `currentContext` in `config.json` (set by `docker context use`).
    ConfigFile,
}

/// Which rule picked the daemon.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// `DOCKER_HOST`.
    DockerHost,
    /// A context of the CLI's context store.
    Context {
        /// The context's name.
        name: String,
        /// Why it was used.
        chosen_by: ContextChoice,
        /// Its `meta.json`.
        meta: PathBuf,
    },
    /// Nothing configured; a well-known socket exists.
    WellKnownSocket {
        /// The socket.
        path: PathBuf,
        /// What usually listens there ("rootless Docker", "Podman", ...).
        what: &'static str,
    },
    /// Nothing configured and no well-known socket: the platform's default
    /// (`unix:///var/run/docker.sock`, on Windows `npipe:////./pipe/docker_engine`).
    Default,
}

/// A resolved connection: the transport and the rule that chose it.
#[derive(Clone, Debug)]
pub struct Resolved {
    source: Source,
    transport: Transport,
}

impl Resolved {
    /// The rule that chose the daemon.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The transport (see [`Transport::endpoint`] for where it connects).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The transport, by value.
    pub fn into_transport(self) -> Transport {
        self.transport
    }
}

/// Finds the daemon the way the Docker CLI does (see the module rules above and the README's
/// "Connecting" section). [`Transport::from_env`] is `Resolver::from_env().transport()`.
///
/// ```no_run
/// use docker_engine_transport::{Resolver, Source};
/// # fn f() -> Result<(), docker_engine_transport::Error> {
/// let resolved = Resolver::from_env().context("staging").resolve()?;
/// assert!(matches!(resolved.source(), Source::Context { .. }));
/// println!("{}", resolved.transport().endpoint());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Resolver {
    vars: Vars,
    context: Option<String>,
    root: PathBuf,
    ssh: SshCommand,
}

impl Resolver {
    /// Rules over the process environment.
    pub fn from_env() -> Resolver {
        Resolver::with_vars(Vars::process())
    }

    /// Rules over the variables `get` answers (tests, embedding): `DOCKER_HOST`,
    /// `DOCKER_CONTEXT`, `DOCKER_CONFIG`, `DOCKER_CERT_PATH`, `DOCKER_TLS_VERIFY`,
    /// `DOCKER_API_VERSION`, `HOME`, `USERPROFILE`, `XDG_RUNTIME_DIR`. Empty means unset.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Resolver {
        Resolver::with_vars(Vars::capture(get))
    }

    fn with_vars(vars: Vars) -> Resolver {
        Resolver { vars, context: None, root: PathBuf::from("/"), ssh: SshCommand::default() }
    }

    /// Uses this context, like the CLI's `--context`: it wins over `DOCKER_HOST`,
    /// `DOCKER_CONTEXT` and `currentContext`. `"default"` means the environment and defaults.
    pub fn context(mut self, name: impl Into<String>) -> Resolver {
        self.context = Some(name.into());
        self
    }

    /// Looks for the well-known sockets under `root` instead of `/` (tests).
    pub fn filesystem_root(mut self, root: impl Into<PathBuf>) -> Resolver {
        self.root = root.into();
        self
    }

    /// The `ssh` program and options used when the daemon is an `ssh://` address.
    pub fn ssh_command(mut self, ssh: SshCommand) -> Resolver {
        self.ssh = ssh;
        self
    }

    /// Applies the rules.
    pub fn resolve(&self) -> Result<Resolved, Error> {
        let (source, transport) = self.pick()?;
        let transport = match self.vars.get("DOCKER_API_VERSION") {
            Some(v) => transport.with_pinned_version(v.parse()?),
            None => transport,
        };
        Ok(Resolved { source, transport })
    }

    /// Applies the rules and returns the transport.
    pub fn transport(&self) -> Result<Transport, Error> {
        self.resolve().map(Resolved::into_transport)
    }

    fn pick(&self) -> Result<(Source, Transport), Error> {
        let config_dir = self.vars.config_dir();
        let (name, chosen_by, origin) = if let Some(name) = &self.context {
            (name.clone(), ContextChoice::Explicit, "Resolver::context".to_owned())
        } else if self.vars.get("DOCKER_HOST").is_some() {
            return self.default_context();
        } else if let Some(name) = self.vars.get("DOCKER_CONTEXT") {
            (name.to_owned(), ContextChoice::DockerContext, "DOCKER_CONTEXT".to_owned())
        } else {
            let current = match &config_dir {
                Some(dir) => ConfigFile::load(dir)?.current_context.filter(|c| !c.is_empty()),
                None => None,
            };
            match (current, &config_dir) {
                (Some(name), Some(dir)) => {
                    let origin = format!("currentContext in {}", dir.join("config.json").display());
                    (name, ContextChoice::ConfigFile, origin)
                }
                _ => return self.default_context(),
            }
        };
        if name == DEFAULT_CONTEXT {
            return self.default_context();
        }
        let dir = config_dir.ok_or_else(|| {
            config_error(format!(
                "context {name:?} (from {origin}): cannot find the Docker config folder: set DOCKER_CONFIG or HOME"
            ))
        })?;
        let ep = context::load(&dir, &name, &origin)?;
        let transport = match &ep.host {
            Some(host) => {
                let origin = format!("{}: Endpoints.docker.Host", ep.meta_path.display());
                transport_for(host, &origin, TlsSource::Context(&ep), Some(&dir), &self.ssh)?
            }
            None => default_local()?,
        };
        Ok((Source::Context { name, chosen_by, meta: ep.meta_path }, transport))
    }

    /// The "default" context: `DOCKER_HOST` and the TLS variables, else a well-known socket.
    fn default_context(&self) -> Result<(Source, Transport), Error> {
        let tls = TlsSource::Env {
            cert_path: self.vars.get("DOCKER_CERT_PATH").map(PathBuf::from),
            verify: self.vars.get("DOCKER_TLS_VERIFY").is_some(),
        };
        if let Some(host) = self.vars.get("DOCKER_HOST") {
            let dir = self.vars.config_dir();
            let t = transport_for(host, "DOCKER_HOST", tls, dir.as_deref(), &self.ssh)?;
            return Ok((Source::DockerHost, t));
        }
        #[cfg(unix)]
        if let Some(c) = sockets::find(&self.vars, &self.root) {
            return Ok((Source::WellKnownSocket { what: c.what, path: c.path.clone() }, Transport::unix(c.path)));
        }
        #[cfg(not(unix))]
        let _ = sockets::find;
        Ok((Source::Default, default_local()?))
    }
}

//! The Docker CLI's configuration, read the way the CLI reads it: the environment
//! ([`Vars`], captured once so tests inject their own), the config folder (`$DOCKER_CONFIG`, else
//! `~/.docker`) and its `config.json` (`currentContext`, `auths`, `credsStore`, `credHelpers`).
//!
//! Submodules, one idea each: `context` (the context store), `sockets` (well-known daemon
//! sockets), `host` (a `DOCKER_HOST`-style address into a [`Transport`](crate::Transport)),
//! `resolve` (the order of the rules: [`Resolver`]), `reference` (registry names as the CLI
//! normalises them), `credentials` (registry credentials: [`Credentials`], [`RegistryAuth`]),
//! `cred_helper` (running `docker-credential-*`).

pub(crate) mod context;
pub(crate) mod cred_helper;
pub(crate) mod credentials;
pub(crate) mod host;
pub(crate) mod reference;
pub(crate) mod resolve;
pub(crate) mod sockets;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::json_object::json_object;

/// The environment variables the rules read.
const NAMES: &[&str] = &[
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DOCKER_CONFIG",
    "DOCKER_CERT_PATH",
    "DOCKER_TLS_VERIFY",
    "DOCKER_API_VERSION",
    "HOME",
    "USERPROFILE",
    "XDG_RUNTIME_DIR",
];

/// A snapshot of the environment variables the connection rules read; empty values count as
/// unset, as in the CLI.
#[derive(Clone, Debug, Default)]
pub(crate) struct Vars(BTreeMap<&'static str, String>);

impl Vars {
    /// Captures the variables `get` answers.
    pub(crate) fn capture(get: impl Fn(&str) -> Option<String>) -> Vars {
        Vars(NAMES.iter().filter_map(|n| get(n).filter(|v| !v.is_empty()).map(|v| (*n, v))).collect())
    }

    /// The process environment.
    pub(crate) fn process() -> Vars {
        Vars::capture(|k| std::env::var(k).ok())
    }

    /// A non-empty variable.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The home folder: `$HOME`, else `%USERPROFILE%`.
    pub(crate) fn home(&self) -> Option<PathBuf> {
        self.get("HOME").or_else(|| self.get("USERPROFILE")).map(PathBuf::from)
    }

    /// The CLI's config folder: `$DOCKER_CONFIG`, else `~/.docker`; `None` without a home.
    pub(crate) fn config_dir(&self) -> Option<PathBuf> {
        match self.get("DOCKER_CONFIG") {
            Some(d) => Some(PathBuf::from(d)),
            None => self.home().map(|h| h.join(".docker")),
        }
    }
}

/// The parts of `config.json` the connection and credential rules use. Not `Debug`: it holds
/// credentials.
#[derive(Default)]
pub(crate) struct ConfigFile {
    pub(crate) current_context: Option<String>,
    pub(crate) auths: Option<BTreeMap<String, AuthEntry>>,
    pub(crate) creds_store: Option<String>,
    pub(crate) cred_helpers: Option<BTreeMap<String, String>>,
}

json_object!(ConfigFile {
    current_context: "currentContext",
    auths: "auths",
    creds_store: "credsStore",
    cred_helpers: "credHelpers",
});

/// One `auths` entry: `auth` is base64 of `user:password`; `identitytoken` an OAuth refresh token.
#[derive(Default)]
pub(crate) struct AuthEntry {
    pub(crate) auth: Option<String>,
    pub(crate) identitytoken: Option<String>,
}

json_object!(AuthEntry { auth: "auth", identitytoken: "identitytoken" });

impl ConfigFile {
    /// Reads `<dir>/config.json`. A missing file is an empty configuration (as in the CLI); an
    /// unreadable or invalid one is an error naming the file and the key.
    pub(crate) fn load(dir: &Path) -> Result<ConfigFile, Error> {
        let path = dir.join("config.json");
        match std::fs::read(&path) {
            Ok(bytes) => parse_json(&path, "", &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(e) => Err(config_error(format!("cannot read {}: {e}", path.display()))),
        }
    }
}

pub(crate) fn config_error(message: String) -> Error {
    Error::Config { message }
}

/// Parses JSON with errors that name the file and the key, and never quote a value (a value in
/// these files may be a credential): `…/config.json: auths.example.auth: wrong type or value
/// (line 3, column 20)`.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(file: &Path, prefix: &str, bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let key = e.path().to_string();
        let key = match (prefix.is_empty(), key.as_str()) {
            (true, k) => k.to_owned(),
            (false, ".") => prefix.to_owned(),
            (false, k) => format!("{prefix}.{k}"),
        };
        let inner = e.inner();
        let what = match inner.classify() {
            serde_json::error::Category::Data => "wrong type or value",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Eof => "unexpected end of file",
            serde_json::error::Category::Io => "read error",
        };
        let at = format!("line {}, column {}", inner.line(), inner.column());
        let key = if key == "." || key.is_empty() { String::new() } else { format!("{key}: ") };
        config_error(format!("{}: {key}{what} ({at})", file.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_dir_rules() {
        let v = Vars::capture(|k| (k == "HOME").then(|| "/home/u".to_owned()));
        assert_eq!(v.config_dir(), Some(PathBuf::from("/home/u/.docker")));
        let v = Vars::capture(|k| match k {
            "HOME" => Some("/home/u".into()),
            "DOCKER_CONFIG" => Some("/etc/dc".into()),
            _ => None,
        });
        assert_eq!(v.config_dir(), Some(PathBuf::from("/etc/dc")));
        assert_eq!(Vars::capture(|_| Some(String::new())).config_dir(), None);
    }

    #[test]
    fn json_errors_name_file_and_key_but_no_value() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.json");
        std::fs::write(&p, br#"{"auths": {"r.example": {"auth": ["s3cr3t-value"]}}}"#).unwrap();
        let e = ConfigFile::load(dir.path()).err().unwrap().to_string();
        assert!(e.contains("config.json: auths.r.example.auth: wrong type or value"), "{e}");
        assert!(!e.contains("s3cr3t"), "{e}");
        std::fs::write(&p, b"{\"currentContext\": ").unwrap();
        let e = ConfigFile::load(dir.path()).err().unwrap().to_string();
        assert!(e.contains("unexpected end of file"), "{e}");
        std::fs::remove_file(&p).unwrap();
        assert!(ConfigFile::load(dir.path()).unwrap().current_context.is_none());
    }
}

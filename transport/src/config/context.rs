//! The CLI's context store: `<config>/contexts/meta/<sha256(name)>/meta.json` holds the
//! endpoint (`Endpoints.docker.Host`, `Endpoints.docker.SkipTLSVerify`), and
//! `<config>/contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem` its TLS material, exactly as
//! `docker context create` writes them (`cli/context/store`).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{config_error, parse_json};
use crate::error::Error;
use crate::json_object::json_object;

/// The name that means "no context": the environment and the defaults.
pub(crate) const DEFAULT_CONTEXT: &str = "default";

/// A context's Docker endpoint, as read from the store.
#[derive(Debug)]
pub(crate) struct ContextEndpoint {
    /// `meta.json` it came from (for error messages).
    pub(crate) meta_path: PathBuf,
    /// `Endpoints.docker.Host`; `None` when empty (the CLI then uses its default host).
    pub(crate) host: Option<String>,
    pub(crate) skip_tls_verify: bool,
    /// TLS material, when the context has a `tls/<id>/docker` folder.
    pub(crate) tls: Option<ContextTls>,
}

/// PEM files of a context. Not `Debug`-printed with contents: `key` is a private key.
pub(crate) struct ContextTls {
    pub(crate) dir: PathBuf,
    pub(crate) ca: Option<Vec<u8>>,
    pub(crate) cert: Option<Vec<u8>>,
    pub(crate) key: Option<Vec<u8>>,
}

impl std::fmt::Debug for ContextTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContextTls")
            .field("dir", &self.dir)
            .field("ca", &self.ca.is_some())
            .field("cert", &self.cert.is_some())
            .field("key", &self.key.is_some())
            .finish()
    }
}

struct Meta {
    endpoints: Option<std::collections::BTreeMap<String, serde_json::Value>>,
}

json_object!(Meta { endpoints: "Endpoints" });

struct DockerEndpointMeta {
    host: Option<String>,
    skip_tls_verify: Option<bool>,
}

json_object!(DockerEndpointMeta { host: "Host", skip_tls_verify: "SkipTLSVerify" });

/// The store's folder name for a context: hex of the SHA-256 of its name.
pub(crate) fn context_id(name: &str) -> String {
    Sha256::digest(name.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads context `name` from the store under `config_dir`. `origin` says where the name came
/// from (`DOCKER_CONTEXT`, `currentContext in …/config.json`, …) for the error messages.
pub(crate) fn load(config_dir: &Path, name: &str, origin: &str) -> Result<ContextEndpoint, Error> {
    let id = context_id(name);
    let meta_path = config_dir.join("contexts").join("meta").join(&id).join("meta.json");
    let bytes = match std::fs::read(&meta_path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(config_error(format!(
                "context {name:?} (from {origin}) does not exist: no {}",
                meta_path.display()
            )))
        }
        Err(e) => return Err(config_error(format!("cannot read {}: {e}", meta_path.display()))),
    };
    let meta: Meta = parse_json(&meta_path, "", &bytes)?;
    let docker = meta.endpoints.and_then(|mut e| e.remove("docker")).ok_or_else(|| {
        config_error(format!(
            "{}: Endpoints.docker: missing (context {name:?} has no Docker endpoint)",
            meta_path.display()
        ))
    })?;
    let docker_bytes = serde_json::to_vec(&docker).unwrap_or_default();
    let ep: DockerEndpointMeta = parse_json(&meta_path, "Endpoints.docker", &docker_bytes)?;
    let tls_dir = config_dir.join("contexts").join("tls").join(&id).join("docker");
    let tls = load_tls(&tls_dir)?;
    Ok(ContextEndpoint {
        meta_path,
        host: ep.host.filter(|h| !h.is_empty()),
        skip_tls_verify: ep.skip_tls_verify.unwrap_or(false),
        tls,
    })
}

/// Reads the PEM files of a context's TLS folder; `None` when the folder does not exist.
fn load_tls(dir: &Path) -> Result<Option<ContextTls>, Error> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let read = |name: &str| {
        let p = dir.join(name);
        match std::fs::read(&p) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(config_error(format!("cannot read {}: {e}", p.display()))),
        }
    };
    Ok(Some(ContextTls { dir: dir.to_owned(), ca: read("ca.pem")?, cert: read("cert.pem")?, key: read("key.pem")? }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_sha256_of_the_name() {
        // `printf %s default | sha256sum`
        assert_eq!(context_id("default"), "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
    }

    #[test]
    fn meta_errors_name_file_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let meta = dir.path().join("contexts/meta").join(context_id("x"));
        std::fs::create_dir_all(&meta).unwrap();
        let e = load(dir.path(), "y", "DOCKER_CONTEXT").unwrap_err().to_string();
        assert!(e.contains("context \"y\" (from DOCKER_CONTEXT) does not exist"), "{e}");
        std::fs::write(meta.join("meta.json"), br#"{"Name":"x","Endpoints":{}}"#).unwrap();
        let e = load(dir.path(), "x", "t").unwrap_err().to_string();
        assert!(e.contains("meta.json: Endpoints.docker: missing"), "{e}");
        std::fs::write(meta.join("meta.json"), br#"{"Name":"x","Endpoints":{"docker":{"Host":7}}}"#).unwrap();
        let e = load(dir.path(), "x", "t").unwrap_err().to_string();
        assert!(e.contains("meta.json: Endpoints.docker.Host: wrong type or value"), "{e}");
        std::fs::write(meta.join("meta.json"), br#"{"Endpoints":{"docker":{"Host":"","SkipTLSVerify":true}}}"#)
            .unwrap();
        let ep = load(dir.path(), "x", "t").unwrap();
        assert!(ep.host.is_none() && ep.skip_tls_verify && ep.tls.is_none());
    }
}

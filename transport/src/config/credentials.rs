//! Registry credentials found the way the CLI finds them (`cli/config/configfile`,
//! `cli/config/credentials`): for the registry's key, the helper named in `credHelpers`, else
//! the `credsStore` helper, else the `auths` entry of `config.json` (`auth` = base64 of
//! `user:password`, or `identitytoken`). A helper's username `<token>` means the secret is an
//! identity token.
//!
//! [`RegistryAuth`] is the result, ready for `X-Registry-Auth`: it serialises as the daemon's
//! `AuthConfig` and converts into the generated `models::AuthConfig`. Nothing here prints a
//! secret: `Debug` shows the server and the kind of credential only, errors name files, keys and
//! helpers, never values.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use super::reference::{auth_key, registry_of, to_hostname};
use super::{config_error, cred_helper, AuthEntry, ConfigFile, Vars};
use crate::error::Error;
use crate::request::Request;

/// Default time a credential helper may take (it may have to unlock a keychain).
pub const DEFAULT_HELPER_TIMEOUT: Duration = Duration::from_secs(30);

/// The username a credential helper gives for an identity token.
const TOKEN_USERNAME: &str = "<token>";

/// Credentials for one registry, as the daemon's `X-Registry-Auth` wants them.
#[derive(Clone, PartialEq, Eq)]
pub struct RegistryAuth {
    username: String,
    password: String,
    identity_token: String,
    server_address: String,
}

/// The daemon's `AuthConfig` members; empty credentials are left out, `serveraddress` never is.
impl Serialize for RegistryAuth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let secrets =
            [("username", &self.username), ("password", &self.password), ("identitytoken", &self.identity_token)];
        let len = 1 + secrets.iter().filter(|(_, v)| !v.is_empty()).count();
        let mut st = s.serialize_struct("RegistryAuth", len)?;
        for (name, value) in secrets {
            if value.is_empty() {
                st.skip_field(name)?;
            } else {
                st.serialize_field(name, value)?;
            }
        }
        st.serialize_field("serveraddress", &self.server_address)?;
        st.end()
    }
}

impl fmt::Debug for RegistryAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.identity_token.is_empty() { "password" } else { "identity token" };
        f.debug_struct("RegistryAuth")
            .field("server_address", &self.server_address)
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

impl RegistryAuth {
    /// A username and password (or personal access token) for `server`.
    pub fn with_password(server: &str, username: &str, password: &str) -> RegistryAuth {
        RegistryAuth {
            username: username.to_owned(),
            password: password.to_owned(),
            identity_token: String::new(),
            server_address: server.to_owned(),
        }
    }

    /// An identity (OAuth refresh) token for `server`.
    pub fn with_identity_token(server: &str, token: &str) -> RegistryAuth {
        RegistryAuth {
            username: String::new(),
            password: String::new(),
            identity_token: token.to_owned(),
            server_address: server.to_owned(),
        }
    }

    /// The registry key these credentials are for (`https://index.docker.io/v1/`,
    /// `registry.example:5000`).
    pub fn server_address(&self) -> &str {
        &self.server_address
    }

    /// Whether this is an identity token rather than a username and password.
    pub fn is_identity_token(&self) -> bool {
        !self.identity_token.is_empty()
    }

    /// The `X-Registry-Auth` header value: JSON in URL-safe base64 with padding.
    pub fn header_value(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE.encode(json)
    }

    /// Sets `X-Registry-Auth` on a request built by hand.
    pub fn apply(&self, req: &mut Request) -> Result<(), Error> {
        req.header_base64_json("X-Registry-Auth", self)
    }

    /// Converts into a generated `AuthConfig` (or any type with the same JSON members), the type
    /// of the endpoint crates' `x_registry_auth` options:
    /// `options.x_registry_auth = Some(auth.to_model()?)`. Fails, naming the member, when `T`
    /// cannot carry all of the credentials (an identity token needs an `identitytoken` member)
    /// rather than send incomplete ones.
    pub fn to_model<T: DeserializeOwned + Serialize>(&self) -> Result<T, Error> {
        let ours = serde_json::to_value(self).map_err(|e| config_error(format!("credentials: {e}")))?;
        let lossy = |member: &str| {
            config_error(format!(
                "{} cannot carry the registry credentials' {member:?} member; set X-Registry-Auth from RegistryAuth::header_value instead",
                std::any::type_name::<T>()
            ))
        };
        let model: T = serde_json::from_value(ours.clone()).map_err(|_| lossy("(all)"))?;
        let back = serde_json::to_value(&model).map_err(|_| lossy("(all)"))?;
        if let serde_json::Value::Object(members) = &ours {
            for (k, v) in members {
                if back.get(k) != Some(v) {
                    return Err(lossy(k));
                }
            }
        }
        Ok(model)
    }
}

/// The CLI's credential configuration: `config.json` plus where to find credential helpers.
///
/// ```no_run
/// # async fn f() -> Result<(), docker_engine_transport::Error> {
/// use docker_engine_transport::Credentials;
/// let creds = Credentials::from_env()?;
/// if let Some(auth) = creds.for_image("registry.example:5000/team/app:1.0").await? {
///     println!("X-Registry-Auth for {}", auth.server_address());
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Credentials {
    config: Arc<ConfigFile>,
    config_path: Option<PathBuf>,
    helper_dirs: Vec<PathBuf>,
    timeout: Duration,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        f.debug_struct("Credentials")
            .field("config", &self.config_path)
            .field("auths", &c.auths.as_ref().map(|a| a.keys().collect::<Vec<_>>()))
            .field("creds_store", &c.creds_store)
            .field("cred_helpers", &c.cred_helpers)
            .field("helper_dirs", &self.helper_dirs)
            .finish()
    }
}

impl Credentials {
    /// `config.json` of `$DOCKER_CONFIG`, else `~/.docker` (none: no credentials); helpers are
    /// looked up in `PATH`.
    pub fn from_env() -> Result<Credentials, Error> {
        match Vars::process().config_dir() {
            Some(dir) => Credentials::from_config_dir(dir),
            None => Ok(Credentials::empty()),
        }
    }

    /// `config.json` in `dir` (a missing file means no credentials); helpers in `PATH`.
    pub fn from_config_dir(dir: impl AsRef<Path>) -> Result<Credentials, Error> {
        let dir = dir.as_ref();
        let config = ConfigFile::load(dir)?;
        Ok(Credentials { config: Arc::new(config), config_path: Some(dir.join("config.json")), ..Credentials::empty() })
    }

    fn empty() -> Credentials {
        let path = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
        Credentials {
            config: Arc::new(ConfigFile::default()),
            config_path: None,
            helper_dirs: path,
            timeout: DEFAULT_HELPER_TIMEOUT,
        }
    }

    /// Looks for `docker-credential-*` helpers in these folders instead of `PATH`.
    pub fn with_helper_dirs<I: IntoIterator<Item = P>, P: Into<PathBuf>>(mut self, dirs: I) -> Credentials {
        self.helper_dirs = dirs.into_iter().map(Into::into).collect();
        self
    }

    /// Time a helper may take before it is killed (default [`DEFAULT_HELPER_TIMEOUT`]).
    pub fn with_helper_timeout(mut self, timeout: Duration) -> Credentials {
        self.timeout = timeout;
        self
    }

    /// Credentials for the registry of an image reference (`registry.example:5000/x:1`,
    /// `busybox` → Docker Hub); `None` when the configuration has none.
    pub async fn for_image(&self, image: &str) -> Result<Option<RegistryAuth>, Error> {
        self.for_registry(registry_of(image)).await
    }

    /// Credentials for a registry (`registry.example:5000`, `docker.io`, a URL);
    /// `None` when the configuration has none.
    pub async fn for_registry(&self, server: &str) -> Result<Option<RegistryAuth>, Error> {
        let key = auth_key(server);
        let helpers = self.config.cred_helpers.as_ref();
        let helper = helpers.and_then(|h| h.get(&key)).or(self.config.creds_store.as_ref()).filter(|h| !h.is_empty());
        match helper {
            Some(name) => {
                let found = cred_helper::get(name, &self.helper_dirs, &key, self.timeout).await?;
                Ok(found.map(|c| {
                    if c.username == TOKEN_USERNAME {
                        RegistryAuth::with_identity_token(&key, &c.secret)
                    } else {
                        RegistryAuth::with_password(&key, &c.username, &c.secret)
                    }
                }))
            }
            None => self.in_auths(&key),
        }
    }

    /// The `auths` entry for `key`, else (old config files) the first whose hostname is `key`.
    fn in_auths(&self, key: &str) -> Result<Option<RegistryAuth>, Error> {
        let empty = BTreeMap::new();
        let auths = self.config.auths.as_ref().unwrap_or(&empty);
        let found = auths.get_key_value(key).or_else(|| auths.iter().find(|(k, _)| to_hostname(k) == key));
        let Some((entry_key, entry)) = found else { return Ok(None) };
        self.decode(key, entry_key, entry)
    }

    fn decode(&self, key: &str, entry_key: &str, entry: &AuthEntry) -> Result<Option<RegistryAuth>, Error> {
        if let Some(token) = entry.identitytoken.as_deref().filter(|t| !t.is_empty()) {
            return Ok(Some(RegistryAuth::with_identity_token(key, token)));
        }
        let Some(auth) = entry.auth.as_deref().filter(|a| !a.is_empty()) else { return Ok(None) };
        let bad = || {
            let file =
                self.config_path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "config.json".into());
            config_error(format!("{file}: auths.{entry_key}.auth: not base64 of \"user:password\""))
        };
        let decoded = base64::engine::general_purpose::STANDARD.decode(auth.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(decoded).map_err(|_| bad())?;
        let (user, password) = text.split_once(':').ok_or_else(bad)?;
        Ok(Some(RegistryAuth::with_password(key, user, password.trim_end_matches('\0'))))
    }
}

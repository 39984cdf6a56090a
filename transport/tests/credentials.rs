//! Registry credentials found the way the Docker CLI finds them: `auths` in config.json,
//! `credsStore` and `credHelpers` running a `docker-credential-test` helper this test writes (in a
//! folder handed to the lookup, never by changing `PATH`), Docker Hub's key, and the
//! `X-Registry-Auth` header a request then carries. Secrets never show in `Debug` or errors.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine as _;
use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Credentials, Error, Operation, RegistryAuth, Request, DOCKER_HUB_AUTH_KEY};

static PULL: Operation = Operation { id: "ImageCreate", method: Method::POST, since: None };

const HELPER: &str = r#"#!/bin/sh
# docker-credential-test: answers `get` for two servers, records what it was asked.
[ "$1" = get ] || exit 3
server=$(cat)
printf %s "$server" >"$(dirname "$0")/asked"
case "$server" in
registry.example:5000) printf '{"ServerURL":"%s","Username":"alice","Secret":"s3cr3t-from-helper"}' "$server" ;;
https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"<token>","Secret":"id-token-from-helper"}' "$server" ;;
broken.example) printf '{"ServerURL":"x","Username":"u","Secret":s3cr3t-unquoted}' ;;
failing.example) echo "keychain is locked"; exit 1 ;;
slow.example) sleep 10 ;;
*) echo "credentials not found in native keychain"; exit 1 ;;
esac
"#;

struct Setup {
    config: tempfile::TempDir,
    helpers: tempfile::TempDir,
}

impl Setup {
    fn new(config_json: serde_json::Value) -> Setup {
        let config = tempfile::tempdir().unwrap();
        std::fs::write(config.path().join("config.json"), serde_json::to_vec(&config_json).unwrap()).unwrap();
        let helpers = tempfile::tempdir().unwrap();
        let h = helpers.path().join("docker-credential-test");
        std::fs::write(&h, HELPER).unwrap();
        std::fs::set_permissions(&h, std::fs::Permissions::from_mode(0o755)).unwrap();
        Setup { config, helpers }
    }

    fn credentials(&self) -> Credentials {
        Credentials::from_config_dir(self.config.path()).unwrap().with_helper_dirs([self.helpers.path()])
    }

    fn asked(&self) -> Option<String> {
        std::fs::read_to_string(self.helpers.path().join("asked")).ok()
    }
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// The JSON inside an `X-Registry-Auth` value (URL-safe base64 with padding).
fn decode_header(v: &str) -> serde_json::Value {
    let bytes = base64::engine::general_purpose::URL_SAFE.decode(v).expect("URL-safe base64 with padding");
    serde_json::from_slice(&bytes).unwrap()
}

/// Sends a pull with `auth` to a mock daemon and returns the `X-Registry-Auth` it saw.
async fn header_seen(auth: &RegistryAuth) -> serde_json::Value {
    let mock = Mock::unix(daemon("1.45", |_| response(200, &[], b""))).await;
    let client = mock.client(ApiVersion::new(1, 45));
    let mut req = Request::new(&PULL);
    req.path("/images/create");
    req.query_str("fromImage", "registry.example:5000/x");
    auth.apply(&mut req).unwrap();
    guard(client.send_empty(req)).await.unwrap();
    let seen = mock.non_ping().pop().unwrap();
    decode_header(seen.header("x-registry-auth").expect("X-Registry-Auth sent"))
}

fn assert_no_secret(text: &str) {
    for secret in ["s3cr3t", "pw-from-file", "hub-token", "id-token-from-helper"] {
        assert!(!text.contains(secret), "secret {secret:?} leaked: {text}");
    }
}

#[tokio::test]
async fn auths_in_config_json() {
    let s = Setup::new(serde_json::json!({"auths": {
        "registry.example:5000": {"auth": b64("bob:pw-from-file:with-colon")},
        DOCKER_HUB_AUTH_KEY: {"identitytoken": "hub-token"},
        "https://legacy.example/v1/": {"auth": b64("carol:s3cr3t-legacy")},
    }}));
    let c = s.credentials();
    let auth = c.for_image("registry.example:5000/team/app:1.0").await.unwrap().expect("credentials");
    assert_eq!(auth.server_address(), "registry.example:5000");
    assert_eq!(
        header_seen(&auth).await,
        serde_json::json!({"username": "bob", "password": "pw-from-file:with-colon", "serveraddress": "registry.example:5000"})
    );
    // Docker Hub under every spelling, here an identity token.
    for image in ["busybox", "library/busybox:1.36", "docker.io/user/app", "index.docker.io/user/app"] {
        let hub = c.for_image(image).await.unwrap().expect(image);
        assert!(hub.is_identity_token());
        assert_eq!(
            decode_header(&hub.header_value()),
            serde_json::json!({"identitytoken": "hub-token", "serveraddress": DOCKER_HUB_AUTH_KEY})
        );
    }
    // An old-style key with scheme and path matches by hostname.
    let legacy = c.for_registry("legacy.example").await.unwrap().expect("legacy key");
    assert_eq!(decode_header(&legacy.header_value())["username"], "carol");
    assert!(c.for_image("elsewhere.example/x").await.unwrap().is_none());
    assert!(s.asked().is_none(), "no helper configured, none run");
    assert_no_secret(&format!("{auth:?} {legacy:?} {c:?}"));
}

#[tokio::test]
async fn creds_store_is_used_instead_of_auths() {
    let s = Setup::new(serde_json::json!({
        "credsStore": "test",
        "auths": {"registry.example:5000": {"auth": b64("bob:pw-from-file")}},
    }));
    let c = s.credentials();
    let auth = c.for_image("registry.example:5000/x").await.unwrap().expect("from the helper");
    assert_eq!(s.asked().as_deref(), Some("registry.example:5000"));
    assert_eq!(
        header_seen(&auth).await,
        serde_json::json!({"username": "alice", "password": "s3cr3t-from-helper", "serveraddress": "registry.example:5000"})
    );
    // `<token>` as the username: an identity token, asked for under Docker Hub's key.
    let hub = c.for_image("busybox").await.unwrap().unwrap();
    assert_eq!(s.asked().as_deref(), Some(DOCKER_HUB_AUTH_KEY));
    assert_eq!(
        decode_header(&hub.header_value()),
        serde_json::json!({"identitytoken": "id-token-from-helper", "serveraddress": DOCKER_HUB_AUTH_KEY})
    );
    // "credentials not found in native keychain" is no error: there are none.
    assert!(c.for_image("unknown.example/x").await.unwrap().is_none());
    assert_no_secret(&format!("{auth:?} {hub:?} {c:?}"));
}

#[tokio::test]
async fn cred_helpers_win_over_creds_store() {
    let s = Setup::new(serde_json::json!({
        "credsStore": "absent",
        "credHelpers": {"registry.example:5000": "test"},
    }));
    let c = s.credentials();
    let auth = c.for_image("registry.example:5000/x").await.unwrap().unwrap();
    assert_eq!(header_seen(&auth).await["username"], "alice");
    // Any other registry goes to credsStore, whose helper is not there: the error says where
    // it looked.
    let e = c.for_image("other.example/x").await.unwrap_err().to_string();
    let dir = s.helpers.path().display().to_string();
    assert!(e.contains("docker-credential-absent") && e.contains("other.example") && e.contains(&dir), "{e}");
}

#[tokio::test]
async fn helper_failures_are_errors_without_secrets() {
    let s = Setup::new(serde_json::json!({"credsStore": "test"}));
    let c = s.credentials().with_helper_timeout(Duration::from_millis(500));
    let e = c.for_registry("failing.example").await.unwrap_err();
    assert!(matches!(e, Error::Config { .. }));
    assert!(e.to_string().contains("keychain is locked"), "{e}");
    let e = c.for_registry("broken.example").await.unwrap_err().to_string();
    assert!(e.contains("docker-credential-test") && e.contains("invalid answer"), "{e}");
    assert_no_secret(&e);
    let started = std::time::Instant::now();
    let e = c.for_registry("slow.example").await.unwrap_err().to_string();
    assert!(e.contains("no answer within"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5), "the helper was not killed at the timeout");
    // A helper name that is a path is refused before anything runs.
    let s = Setup::new(serde_json::json!({"credsStore": "../../bin/sh"}));
    let e = s.credentials().for_registry("r.example").await.unwrap_err().to_string();
    assert!(e.contains("invalid credential helper name"), "{e}");
}

#[test]
fn bad_auth_entries_name_file_and_key_only() {
    let s = Setup::new(serde_json::json!({"auths": {"r.example": {"auth": "s3cr3t-not-base64!"}}}));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let e = rt.block_on(s.credentials().for_registry("r.example")).unwrap_err().to_string();
    let file = s.config.path().join("config.json");
    assert!(e.contains(&format!("{}: auths.r.example.auth", file.display())), "{e}");
    assert_no_secret(&e);
    let s = Setup::new(serde_json::json!({"auths": {"r.example": {"auth": b64("no-colon-s3cr3t")}}}));
    let e = rt.block_on(s.credentials().for_registry("r.example")).unwrap_err().to_string();
    assert!(e.contains("not base64 of \"user:password\""), "{e}");
    assert_no_secret(&e);
    // A broken config.json is reported at load, by file and key.
    std::fs::write(s.config.path().join("config.json"), br#"{"credHelpers": {"r": 1}}"#).unwrap();
    let e = Credentials::from_config_dir(s.config.path()).unwrap_err().to_string();
    assert!(e.contains("config.json: credHelpers.r: wrong type or value"), "{e}");
    // No config.json at all: no credentials, no error.
    let empty = tempfile::tempdir().unwrap();
    let c = Credentials::from_config_dir(empty.path()).unwrap().with_helper_dirs(Vec::<PathBuf>::new());
    assert!(rt.block_on(c.for_image("busybox")).unwrap().is_none());
}

/// The members of the generated `models::AuthConfig` (v1.40 to v1.55).
#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
struct AuthConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    serveraddress: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

#[test]
fn converts_into_the_generated_auth_config() {
    let auth = RegistryAuth::with_password("registry.example:5000", "alice", "s3cr3t");
    let model: AuthConfig = auth.to_model().unwrap();
    assert_eq!(model.username.as_deref(), Some("alice"));
    assert_eq!(model.password.as_deref(), Some("s3cr3t"));
    assert_eq!(model.serveraddress.as_deref(), Some("registry.example:5000"));
    // That type has no identitytoken member: refused rather than sent without the token.
    let token = RegistryAuth::with_identity_token(DOCKER_HUB_AUTH_KEY, "s3cr3t-token");
    let e = token.to_model::<AuthConfig>().unwrap_err().to_string();
    assert!(e.contains("\"identitytoken\"") && e.contains("header_value"), "{e}");
    assert_no_secret(&e);
}

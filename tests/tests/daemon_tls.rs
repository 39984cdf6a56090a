//! The real daemon over TLS on 127.0.0.1, configured the way the Docker CLI is: `DOCKER_HOST`,
//! `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`. The certificates are made by `tests/daemon/daemon.sh`
//! when it starts the daemon; a second, unrelated CA must be refused.

use docker_engine_api_v1_55::{ApiVersion, Docker, Transport};

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("{key} is not set: run under tests/run.sh"))
}

/// A client built from CLI-style variables (passed explicitly: tests must not change the
/// process environment other tests read).
fn docker_from(vars: &[(&str, String)]) -> Result<Docker, docker_engine_api_v1_55::Error> {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let transport = Transport::from_env_with(move |key| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))?;
    Ok(Docker::new(transport))
}

#[tokio::test]
async fn tls_with_the_right_ca_works() {
    let docker = docker_from(&[
        ("DOCKER_HOST", env("DOCKER_TEST_TLS_HOST")),
        ("DOCKER_TLS_VERIFY", "1".into()),
        ("DOCKER_CERT_PATH", env("DOCKER_TEST_CERT_DIR")),
    ])
    .expect("TLS configuration from the environment");
    assert!(env("DOCKER_TEST_TLS_HOST").starts_with("tcp://127.0.0.1:"));
    let version = docker.system_version(&Default::default()).await.expect("version over TLS");
    assert_eq!(version.api_version.as_deref(), Some("1.41"));
    assert_eq!(docker.api_version().await.unwrap(), ApiVersion::new(1, 41));
    let info = docker.system_info(&Default::default()).await.expect("info over TLS");
    assert!(info.id.is_some());
}

#[tokio::test]
async fn tls_with_a_wrong_ca_is_refused() {
    let docker = docker_from(&[
        ("DOCKER_HOST", env("DOCKER_TEST_TLS_HOST")),
        ("DOCKER_TLS_VERIFY", "1".into()),
        ("DOCKER_CERT_PATH", env("DOCKER_TEST_WRONG_CA_DIR")),
    ])
    .expect("the configuration itself is valid");
    let err = docker
        .system_version(&Default::default())
        .await
        .expect_err("a server certificate from another CA must be refused");
    let text = format!("{err} {:?}", std::error::Error::source(&err));
    assert!(err.is_transport() && text.contains("certificate"), "{text}");
}

#[tokio::test]
async fn plain_http_to_the_tls_port_fails_cleanly() {
    let host = env("DOCKER_TEST_TLS_HOST");
    let docker = Docker::new(Transport::tcp(&host).expect("tcp transport"));
    let err = docker.system_ping(&Default::default()).await.expect_err("the TLS port does not speak plain HTTP");
    assert!(err.is_transport() || err.status() == Some(400), "{err}");
}

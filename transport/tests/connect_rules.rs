//! The connection rules, each against loopback mock daemons so the test sees which daemon a
//! request reached and with which `Host` header: `DOCKER_HOST`, an explicit context,
//! `DOCKER_CONTEXT`, `currentContext` in config.json, contexts with TLS material (verified,
//! wrong CA, `SkipTLSVerify`), well-known sockets in a fake file system, and the errors.

mod common;

use std::path::Path;

use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Client, ContextChoice, Error, Operation, Request, Resolver, Source};

static INFO: Operation = Operation { id: "SystemInfo", method: Method::GET, since: None };
const V: ApiVersion = ApiVersion::new(1, 45);

/// `printf %s NAME | sha256sum`: the context store's folder names.
const BLUE: &str = "16477688c0e00699c6cfa4497a3612d7e83c532062b64b250fed8908128ed548";
const GREEN: &str = "ba4788b226aa8dc2e6dc74248bb9f618cfa8c959e0c26c147be48f6839a0b088";
#[cfg(feature = "tls")]
const TLS_CTX: &str = "f29671c36aea263eda561e45f53d2985925dff54c881728df51a83e0008fd4ef";

/// A mock daemon that answers `/info` with its own name.
async fn named(name: &'static str) -> Mock {
    let body = format!("{{\"Name\":\"{name}\"}}").into_bytes();
    Mock::unix(daemon("1.45", move |_| response(200, &[("Content-Type", "application/json")], &body))).await
}

/// Which mock answered a call through `resolver`.
async fn who_answers(resolver: &Resolver) -> String {
    let client = Client::new(resolver.transport().unwrap(), V);
    let mut req = Request::new(&INFO);
    req.path("/info");
    let v: serde_json::Value = guard(client.send_json(req)).await.unwrap();
    v["Name"].as_str().unwrap().to_owned()
}

fn write_context(config: &Path, id: &str, name: &str, endpoint: serde_json::Value) {
    let dir = config.join("contexts/meta").join(id);
    std::fs::create_dir_all(&dir).unwrap();
    let meta = serde_json::json!({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}});
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
}

/// A config folder with contexts `blue` and `green` on the two mocks and `currentContext`.
fn config_with(blue: &Mock, green: &Mock, current: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let host = |m: &Mock| format!("unix://{}", m.socket_path().display());
    write_context(dir.path(), BLUE, "blue", serde_json::json!({"Host": host(blue), "SkipTLSVerify": false}));
    write_context(dir.path(), GREEN, "green", serde_json::json!({"Host": host(green), "SkipTLSVerify": false}));
    if let Some(c) = current {
        std::fs::write(dir.path().join("config.json"), format!("{{\"currentContext\": \"{c}\"}}")).unwrap();
    }
    dir
}

fn vars(pairs: Vec<(&'static str, String)>) -> Resolver {
    // Tests that reach the well-known sockets give a fake root.
    Resolver::from_vars(move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))
}

#[tokio::test]
async fn docker_host_wins_over_docker_context_and_current_context() {
    let (blue, green, env) = (named("blue").await, named("green").await, named("env").await);
    let config = config_with(&blue, &green, Some("blue"));
    let r = vars(vec![
        ("DOCKER_HOST", format!("unix://{}", env.socket_path().display())),
        ("DOCKER_CONTEXT", "green".into()),
        ("DOCKER_CONFIG", config.path().display().to_string()),
    ]);
    assert_eq!(r.resolve().unwrap().source(), &Source::DockerHost);
    assert_eq!(who_answers(&r).await, "env");
    assert_eq!(env.non_ping()[0].header("host"), Some("api.moby.localhost"));
    assert!(blue.requests().is_empty() && green.requests().is_empty());

    // An explicit context (the CLI's --context) wins over DOCKER_HOST.
    let r = r.context("green");
    assert!(
        matches!(r.resolve().unwrap().source(), Source::Context { name, chosen_by: ContextChoice::Explicit, .. } if name == "green")
    );
    assert_eq!(who_answers(&r).await, "green");
}

#[tokio::test]
async fn docker_context_wins_over_current_context() {
    let (blue, green) = (named("blue").await, named("green").await);
    let config = config_with(&blue, &green, Some("blue"));
    let r = vars(vec![("DOCKER_CONTEXT", "green".into()), ("DOCKER_CONFIG", config.path().display().to_string())]);
    match r.resolve().unwrap().source() {
        Source::Context { name, chosen_by, meta } => {
            assert_eq!((name.as_str(), chosen_by), ("green", &ContextChoice::DockerContext));
            assert_eq!(meta, &config.path().join("contexts/meta").join(GREEN).join("meta.json"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(who_answers(&r).await, "green");
    assert_eq!(green.non_ping()[0].header("host"), Some("api.moby.localhost"));
    assert!(blue.requests().is_empty());
}

#[tokio::test]
async fn current_context_from_config_json_under_home() {
    let (blue, green) = (named("blue").await, named("green").await);
    let home = tempfile::tempdir().unwrap();
    let config = config_with(&blue, &green, Some("blue"));
    std::fs::rename(config.path(), home.path().join(".docker")).unwrap();
    let r = vars(vec![("HOME", home.path().display().to_string()), ("DOCKER_API_VERSION", "1.41".into())]);
    let resolved = r.resolve().unwrap();
    assert!(matches!(resolved.source(), Source::Context { chosen_by: ContextChoice::ConfigFile, .. }));
    // DOCKER_API_VERSION applies to contexts too.
    assert_eq!(resolved.transport().pinned_version(), Some(ApiVersion::new(1, 41)));
    let client = Client::new(r.transport().unwrap(), V);
    let mut req = Request::new(&INFO);
    req.path("/info");
    let _: serde_json::Value = guard(client.send_json(req)).await.unwrap();
    let seen = blue.requests();
    assert_eq!(seen.len(), 1, "pinned: no ping");
    assert_eq!(seen[0].request_line, "GET /v1.41/info HTTP/1.1");
    assert!(green.requests().is_empty());
}

#[tokio::test]
async fn default_context_and_nothing_configured_use_well_known_sockets() {
    let podman = named("podman").await;
    let root = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join("config.json"), br#"{"currentContext": "default"}"#).unwrap();
    // Only rootless Podman's socket exists in the fake file system (a link to the mock's).
    let sock = root.path().join("run/user/1000/podman/podman.sock");
    std::fs::create_dir_all(sock.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(podman.socket_path(), &sock).unwrap();
    let r = vars(vec![
        ("DOCKER_CONFIG", config.path().display().to_string()),
        ("XDG_RUNTIME_DIR", "/run/user/1000".into()),
    ])
    .filesystem_root(root.path());
    assert_eq!(r.resolve().unwrap().source(), &Source::WellKnownSocket { path: sock.clone(), what: "rootless Podman" });
    assert_eq!(who_answers(&r).await, "podman");

    // Nothing exists: the CLI's default, named in the endpoint.
    let empty = tempfile::tempdir().unwrap();
    let r = vars(vec![]).filesystem_root(empty.path());
    let resolved = r.resolve().unwrap();
    assert_eq!(resolved.source(), &Source::Default);
    assert_eq!(resolved.transport().endpoint(), "unix:///var/run/docker.sock");
}

#[tokio::test]
async fn missing_or_broken_contexts_are_errors_naming_file_and_key() {
    let config = tempfile::tempdir().unwrap();
    let dc = config.path().display().to_string();
    let e = vars(vec![("DOCKER_CONTEXT", "blue".into()), ("DOCKER_CONFIG", dc.clone())]).resolve().unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::Config { .. }));
    assert!(text.contains("context \"blue\" (from DOCKER_CONTEXT) does not exist") && text.contains(BLUE), "{text}");

    std::fs::write(config.path().join("config.json"), br#"{"currentContext": "green"}"#).unwrap();
    write_context(config.path(), GREEN, "green", serde_json::json!({"Host": "tcp://h:notaport"}));
    let text = vars(vec![("DOCKER_CONFIG", dc.clone())]).resolve().unwrap_err().to_string();
    assert!(text.contains("meta.json: Endpoints.docker.Host") && text.contains("port is not a number"), "{text}");

    write_context(config.path(), GREEN, "green", serde_json::json!({"Host": "tcp://h:1", "SkipTLSVerify": "yes"}));
    let text = vars(vec![("DOCKER_CONFIG", dc.clone())]).resolve().unwrap_err().to_string();
    assert!(text.contains("meta.json: Endpoints.docker.SkipTLSVerify: wrong type or value"), "{text}");

    std::fs::write(config.path().join("config.json"), b"{\"currentContext\": 1}").unwrap();
    let text = vars(vec![("DOCKER_CONFIG", dc)]).resolve().unwrap_err().to_string();
    assert!(text.contains("config.json: currentContext: wrong type or value"), "{text}");
}

#[test]
fn ssh_hosts_from_env_and_contexts() {
    let config = tempfile::tempdir().unwrap();
    write_context(config.path(), BLUE, "blue", serde_json::json!({"Host": "ssh://me@example.org:2222/run/d.sock"}));
    let r = vars(vec![("DOCKER_CONTEXT", "blue".into()), ("DOCKER_CONFIG", config.path().display().to_string())]);
    assert_eq!(r.transport().unwrap().endpoint(), "ssh://me@example.org:2222/run/d.sock");
    let r = vars(vec![("DOCKER_HOST", "ssh://example.org".into())]);
    assert_eq!(r.transport().unwrap().endpoint(), "ssh://example.org");
}

#[cfg(feature = "tls")]
mod tls {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};
    use std::sync::Arc;

    use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, SanType};
    use rustls::server::WebPkiClientVerifier;
    use rustls::{RootCertStore, ServerConfig};
    use rustls_pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

    struct Ca(rcgen::Certificate, KeyPair);

    fn ca(name: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(DnType::CommonName, name);
        Ca(p.self_signed(&key).unwrap(), key)
    }

    /// A TLS daemon on 127.0.0.1 that requires a client certificate of `ca`.
    async fn tls_daemon(ca: &Ca) -> Mock {
        let skey = KeyPair::generate().unwrap();
        let mut sp = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        sp.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        let server = sp.signed_by(&skey, &ca.0, &ca.1).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.add(ca.0.der().clone()).unwrap();
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(skey.serialize_der()));
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![server.der().clone()], key)
            .unwrap();
        let handler = daemon("1.45", |_| response(200, &[("Content-Type", "application/json")], b"{\"Name\":\"tls\"}"));
        Mock::tls(handler, tokio_rustls::TlsAcceptor::from(Arc::new(config))).await
    }

    /// Writes the context `tls-ctx` for `mock` with `trust` as ca.pem and a client certificate
    /// of `client_ca`.
    fn tls_context(config: &Path, mock: &Mock, trust: &Ca, client_ca: &Ca, skip_verify: bool) {
        let host = format!("tcp://{}", mock.addr.unwrap());
        write_context(config, TLS_CTX, "tls-ctx", serde_json::json!({"Host": host, "SkipTLSVerify": skip_verify}));
        let dir = config.join("contexts/tls").join(TLS_CTX).join("docker");
        std::fs::create_dir_all(&dir).unwrap();
        let ckey = KeyPair::generate().unwrap();
        let mut cp = CertificateParams::new(Vec::<String>::new()).unwrap();
        cp.distinguished_name.push(DnType::CommonName, "client");
        cp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client = cp.signed_by(&ckey, &client_ca.0, &client_ca.1).unwrap();
        std::fs::write(dir.join("ca.pem"), trust.0.pem()).unwrap();
        std::fs::write(dir.join("cert.pem"), client.pem()).unwrap();
        std::fs::write(dir.join("key.pem"), ckey.serialize_pem()).unwrap();
    }

    #[tokio::test]
    async fn context_tls_material_is_used_and_verified() {
        let good = ca("context CA");
        let mock = tls_daemon(&good).await;
        let config = tempfile::tempdir().unwrap();
        let r =
            vars(vec![("DOCKER_CONTEXT", "tls-ctx".into()), ("DOCKER_CONFIG", config.path().display().to_string())]);

        tls_context(config.path(), &mock, &good, &good, false);
        assert_eq!(r.transport().unwrap().endpoint(), format!("tcp://{} (TLS)", mock.addr.unwrap()));
        assert_eq!(who_answers(&r).await, "tls");
        let seen = mock.non_ping();
        assert_eq!(seen[0].header("host"), Some(mock.addr.unwrap().to_string().as_str()));

        // ca.pem of another CA: the daemon's certificate is refused, nothing is sent.
        let before = mock.requests().len();
        let other = ca("other CA");
        tls_context(config.path(), &mock, &other, &good, false);
        let client = Client::new(r.transport().unwrap(), V);
        let mut req = Request::new(&INFO);
        req.path("/info");
        let e = guard(client.send_json::<serde_json::Value>(req)).await.unwrap_err();
        assert!(matches!(e, Error::Transport { .. }), "{e:?}");
        assert_eq!(mock.requests().len(), before);

        // The same with SkipTLSVerify: accepted (the client certificate still proves who we are).
        tls_context(config.path(), &mock, &other, &good, true);
        assert_eq!(who_answers(&r).await, "tls");
    }

    /// A context with a client certificate but no ca.pem: the platform's roots (with a feature
    /// that provides them) and still verified, so a private CA's daemon is refused; without such
    /// a feature, an error that names them.
    #[tokio::test]
    async fn context_without_ca_uses_platform_roots_and_still_verifies() {
        let good = ca("context CA");
        let mock = tls_daemon(&good).await;
        let config = tempfile::tempdir().unwrap();
        tls_context(config.path(), &mock, &good, &good, false);
        std::fs::remove_file(config.path().join("contexts/tls").join(TLS_CTX).join("docker/ca.pem")).unwrap();
        let r =
            vars(vec![("DOCKER_CONTEXT", "tls-ctx".into()), ("DOCKER_CONFIG", config.path().display().to_string())]);
        if cfg!(any(feature = "tls-native-roots", feature = "tls-webpki-roots")) {
            let client = Client::new(r.transport().unwrap(), V);
            let mut req = Request::new(&INFO);
            req.path("/info");
            let e = guard(client.send_json::<serde_json::Value>(req)).await.unwrap_err();
            let text = format!("{e} {:?}", std::error::Error::source(&e));
            assert!(matches!(e, Error::Transport { .. }) && text.contains("UnknownIssuer"), "{text}");
            assert!(mock.requests().is_empty());
        } else {
            let e = r.resolve().unwrap_err().to_string();
            assert!(e.contains("tls-native-roots or tls-webpki-roots"), "{e}");
        }
    }

    #[test]
    fn broken_context_pem_names_the_file() {
        let config = tempfile::tempdir().unwrap();
        write_context(config.path(), TLS_CTX, "tls-ctx", serde_json::json!({"Host": "tcp://127.0.0.1:1"}));
        let dir = config.path().join("contexts/tls").join(TLS_CTX).join("docker");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), "not a certificate").unwrap();
        let r =
            vars(vec![("DOCKER_CONTEXT", "tls-ctx".into()), ("DOCKER_CONFIG", config.path().display().to_string())]);
        let text = r.resolve().unwrap_err().to_string();
        assert!(text.contains(&format!("{}", dir.join("ca.pem").display())), "{text}");
    }
}

/// TLS is an opt-in feature: without it a TLS host is refused with the feature to turn on,
/// never silently reached over plain TCP. (`tests/run.sh` runs this file without features.)
#[cfg(not(feature = "tls"))]
#[test]
fn a_tls_host_without_the_tls_feature_names_the_feature() {
    let text = vars(vec![("DOCKER_HOST", "tcp://127.0.0.1:2376".into()), ("DOCKER_TLS_VERIFY", "1".into())])
        .resolve()
        .unwrap_err()
        .to_string();
    assert!(text.contains("DOCKER_HOST") && text.contains("turn on the `tls` feature"), "{text}");
    // Plain TCP needs no feature.
    let plain = vars(vec![("DOCKER_HOST", "tcp://127.0.0.1:2375".into())]).resolve();
    assert_eq!(plain.unwrap().source(), &Source::DockerHost);
}

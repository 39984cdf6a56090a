//! TLS against a loopback rustls server with a throw-away CA: verification on and off, client
//! certificates, the environment variables, and half-close of a hijacked TLS connection.
#![cfg(feature = "tls")]

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::*;
use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Client, Error, Operation, OutputChunk, Request, TlsConfig, Transport};
use futures_util::StreamExt;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, SanType};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static INFO: Operation = Operation { id: "SystemInfo", method: Method::GET, since: Some(ApiVersion::new(1, 24)) };
static EXEC: Operation = Operation { id: "ExecStart", method: Method::POST, since: Some(ApiVersion::new(1, 24)) };
const V: ApiVersion = ApiVersion::new(1, 45);

struct Pki {
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    server: (CertificateDer<'static>, PrivateKeyDer<'static>),
    client_pem: (String, String),
}

fn ca() -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name.push(DnType::CommonName, "test CA");
    (p.self_signed(&key).unwrap(), key)
}

fn pki() -> Pki {
    let (ca, ca_key) = ca();
    let skey = KeyPair::generate().unwrap();
    let mut sp = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    sp.subject_alt_names.push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    let server = sp.signed_by(&skey, &ca, &ca_key).unwrap();
    let ckey = KeyPair::generate().unwrap();
    let mut cp = CertificateParams::new(Vec::<String>::new()).unwrap();
    cp.distinguished_name.push(DnType::CommonName, "client");
    cp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client = cp.signed_by(&ckey, &ca, &ca_key).unwrap();
    Pki {
        ca_pem: ca.pem(),
        ca_der: ca.der().clone(),
        server: (server.der().clone(), PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(skey.serialize_der()))),
        client_pem: (client.pem(), ckey.serialize_pem()),
    }
}

/// A server requiring a client certificate signed by the CA.
fn acceptor(pki: &Pki) -> tokio_rustls::TlsAcceptor {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build().unwrap();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![pki.server.0.clone()], pki.server.1.clone_key())
        .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

fn cert_dir(pki: &Pki, with_ca: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(ca) = with_ca {
        std::fs::write(dir.path().join("ca.pem"), ca).unwrap();
    }
    std::fs::write(dir.path().join("cert.pem"), &pki.client_pem.0).unwrap();
    std::fs::write(dir.path().join("key.pem"), &pki.client_pem.1).unwrap();
    dir
}

fn info() -> Request {
    let mut r = Request::new(&INFO);
    r.path("/info");
    r
}

#[tokio::test]
async fn verified_tls_from_env_with_client_certificate() {
    let pki = pki();
    let mock = Mock::tls(
        daemon("1.45", |_| response(200, &[("Content-Type", "application/json")], b"{\"OSType\":\"linux\"}")),
        acceptor(&pki),
    )
    .await;
    let dir = cert_dir(&pki, Some(&pki.ca_pem));
    let host = format!("tcp://{}", mock.addr.unwrap());
    let cert_path = dir.path().to_str().unwrap().to_owned();
    let t = Transport::from_env_with(|k| match k {
        "DOCKER_HOST" => Some(host.clone()),
        "DOCKER_CERT_PATH" => Some(cert_path.clone()),
        "DOCKER_TLS_VERIFY" => Some("1".into()),
        _ => None,
    })
    .unwrap();
    let client = Client::new(t, V);
    let v: serde_json::Value = guard(client.send_json(info())).await.unwrap();
    assert_eq!(v["OSType"], "linux");
    let req = mock.non_ping().pop().unwrap();
    assert_eq!(req.request_line, "GET /v1.45/info HTTP/1.1");
    assert_eq!(req.header("host"), Some(mock.addr.unwrap().to_string().as_str()));
}

#[tokio::test]
async fn wrong_ca_is_refused_and_verify_off_accepts_it() {
    let pki = pki();
    let mock = Mock::tls(daemon("1.45", |_| response(200, &[], b"{}")), acceptor(&pki)).await;
    let addr = mock.addr.unwrap().to_string();
    let (other_ca, _) = ca();
    let client_tls =
        || TlsConfig::new().client_cert_pem(pki.client_pem.0.as_bytes(), pki.client_pem.1.as_bytes()).unwrap();

    let tls = client_tls().ca_pem(other_ca.pem().as_bytes()).unwrap();
    let client = Client::new(Transport::tls(&addr, tls).unwrap(), V);
    let e = guard(client.send_json::<serde_json::Value>(info())).await.unwrap_err();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert!(mock.requests().is_empty());

    // DOCKER_TLS_VERIFY unset: no CA needed (a wrong ca.pem is ignored), certificate not checked.
    let dir = cert_dir(&pki, Some(&other_ca.pem()));
    let tls = TlsConfig::from_cert_path(dir.path(), false).unwrap();
    let client = Client::new(Transport::tls(&addr, tls).unwrap(), V);
    let _: serde_json::Value = guard(client.send_json(info())).await.unwrap();

    // Without a client certificate the server refuses the handshake.
    let tls = TlsConfig::new().ca_pem(pki.ca_pem.as_bytes()).unwrap();
    let client = Client::new(Transport::tls(&addr, tls).unwrap(), V);
    assert!(guard(client.send_json::<serde_json::Value>(info())).await.is_err());
}

#[tokio::test]
async fn hijack_half_close_over_tls_reaches_the_server() {
    let pki = pki();
    let eof = Arc::new(AtomicUsize::new(0));
    let e2 = eof.clone();
    let mock = Mock::tls(
        daemon_raw("1.45", move |_rec, mut conn| {
            let eof = e2.clone();
            async move {
                let mut out = b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n$ ".to_vec();
                conn.write_all(&out).await.unwrap();
                let mut got = Vec::new();
                conn.read_to_end(&mut got).await.unwrap();
                eof.fetch_add(1, Ordering::SeqCst);
                out = got.to_ascii_uppercase();
                conn.write_all(&out).await.unwrap();
                let _ = conn.shutdown().await;
            }
        }),
        acceptor(&pki),
    )
    .await;
    let tls = TlsConfig::new()
        .ca_pem(pki.ca_pem.as_bytes())
        .unwrap()
        .client_cert_pem(pki.client_pem.0.as_bytes(), pki.client_pem.1.as_bytes())
        .unwrap();
    let client = Client::new(Transport::tls(&mock.addr.unwrap().to_string(), tls).unwrap(), V);
    let mut r = Request::new(&EXEC);
    r.path("/exec/abc/start");
    r.json_body(&serde_json::json!({"Detach": false, "Tty": true})).unwrap();
    let h = guard(client.send_upgrade(r, Some(true))).await.unwrap();
    let (output, mut input) = (h.output, h.input);
    input.write_all(b"echo hi\n").await.unwrap();
    input.close_write().await.unwrap();
    let text: Vec<u8> = guard(output.collect::<Vec<_>>())
        .await
        .into_iter()
        .flat_map(|c| match c.unwrap() {
            OutputChunk::Console(b) => b.to_vec(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(text, b"$ ECHO HI\n");
    assert_eq!(eof.load(Ordering::SeqCst), 1);
}

//! TLS settings for `tcp://` daemons (rustls with the `ring` provider; TLS 1.2+ only, AEAD suites
//! only, which matches what the daemon's own client allows).
//!
//! Roots: a given CA (`ca.pem`) is trusted exclusively. Docker daemons are normally signed by a
//! private CA, and the Go client's `WithTLSClientConfig` and CLI contexts use the CA exclusively
//! too. Without a `ca.pem`, a daemon behind a public certificate is verified against the
//! platform's roots when a feature provides them: `tls-native-roots` (the system store, through
//! rustls-native-certs) and/or `tls-webpki-roots` (Mozilla's roots compiled in). Neither is on by
//! default; without them a verified connection needs a `ca.pem`. Encrypted private keys are
//! refused, as in the Go client.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, TrustAnchor, UnixTime};

use crate::error::Error;

/// Certificates and verification policy for a TLS connection to the daemon.
///
/// Verification is **on** by default. Build it from a Docker cert directory with
/// [`TlsConfig::from_cert_path`] or piece by piece:
///
/// ```no_run
/// # fn f() -> Result<(), docker_engine_transport::Error> {
/// use docker_engine_transport::TlsConfig;
/// let tls = TlsConfig::new()
///     .ca_pem(&std::fs::read("ca.pem").unwrap())?
///     .client_cert_pem(&std::fs::read("cert.pem").unwrap(), &std::fs::read("key.pem").unwrap())?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TlsConfig {
    roots: Vec<CertificateDer<'static>>,
    /// Platform roots (`with_platform_roots`), kept apart from `ca.pem`.
    platform: Vec<CertificateDer<'static>>,
    anchors: Vec<TrustAnchor<'static>>,
    client: Option<(Vec<CertificateDer<'static>>, Arc<PrivateKeyDer<'static>>)>,
    verify: bool,
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        f.debug_struct("TlsConfig")
            .field("ca_certs", &self.roots.len())
            .field("platform_roots", &(self.platform.len() + self.anchors.len()))
            .field("client_cert", &self.client.is_some())
            .field("verify", &self.verify)
            .finish()
    }
}

impl Default for TlsConfig {
    fn default() -> Self {
        TlsConfig::new()
    }
}

fn cfg_err(message: String) -> Error {
    Error::Config { message }
}

impl TlsConfig {
    /// Empty configuration with verification on (add a CA with [`TlsConfig::ca_pem`]).
    pub fn new() -> TlsConfig {
        TlsConfig { roots: Vec::new(), platform: Vec::new(), anchors: Vec::new(), client: None, verify: true }
    }

    /// Loads `ca.pem`, `cert.pem` and `key.pem` from a Docker cert directory.
    ///
    /// - `ca.pem` is required when `verify` is true, ignored otherwise (as the Go client does).
    ///   With a platform-roots feature (`tls-native-roots`, `tls-webpki-roots`) a missing
    ///   `ca.pem` means the platform's roots instead.
    /// - `cert.pem` and `key.pem` are loaded when both exist; exactly one of them is an error.
    pub fn from_cert_path(dir: impl AsRef<Path>, verify: bool) -> Result<TlsConfig, Error> {
        let dir = dir.as_ref();
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|e| cfg_err(format!("cannot read {}: {e}", p.display())))
        };
        let mut tls = TlsConfig::new().verify(verify);
        if verify {
            if PLATFORM_ROOTS_AVAILABLE && dir.is_dir() && !dir.join("ca.pem").exists() {
                tls = tls.with_platform_roots()?;
            } else {
                tls = tls.ca_pem(&read("ca.pem")?)?;
            }
        }
        match (dir.join("cert.pem").exists(), dir.join("key.pem").exists()) {
            (true, true) => tls = tls.client_cert_pem(&read("cert.pem")?, &read("key.pem")?)?,
            (false, false) => {}
            _ => {
                return Err(cfg_err(format!(
                    "{}: cert.pem and key.pem must both exist or both be absent",
                    dir.display()
                )))
            }
        }
        Ok(tls)
    }

    /// Trusts the CA certificates in `pem` (adds to any given before).
    pub fn ca_pem(mut self, pem: &[u8]) -> Result<TlsConfig, Error> {
        let certs = parse_certs(pem, "CA")?;
        self.roots.extend(certs);
        Ok(self)
    }

    /// Also trusts the platform's roots, as the enabled features provide them: the system store
    /// (`tls-native-roots`) and Mozilla's roots (`tls-webpki-roots`). A given `ca.pem` still wins:
    /// these are used only when no CA was given. Without either feature this adds nothing (and a
    /// verified connection without `ca.pem` is refused at build time).
    #[cfg_attr(not(any(feature = "tls-native-roots", feature = "tls-webpki-roots")), allow(unused_mut))]
    pub fn with_platform_roots(mut self) -> Result<TlsConfig, Error> {
        #[cfg(feature = "tls-native-roots")]
        {
            let found = rustls_native_certs::load_native_certs();
            if found.certs.is_empty() {
                let why = found.errors.first().map(|e| e.to_string()).unwrap_or_else(|| "none found".into());
                return Err(cfg_err(format!("cannot load the platform's root certificates: {why}")));
            }
            self.platform.extend(found.certs);
        }
        #[cfg(feature = "tls-webpki-roots")]
        self.anchors.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        Ok(self)
    }

    /// Presents a client certificate chain and its (unencrypted) private key.
    pub fn client_cert_pem(mut self, cert_pem: &[u8], key_pem: &[u8]) -> Result<TlsConfig, Error> {
        let certs = parse_certs(cert_pem, "client")?;
        let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| {
            cfg_err(format!("no usable private key in key PEM ({e}); encrypted keys are not supported"))
        })?;
        self.client = Some((certs, Arc::new(key)));
        Ok(self)
    }

    /// Turns server certificate verification on (default) or off. Off accepts any server
    /// certificate: test setups only (`DOCKER_TLS_VERIFY` unset with `DOCKER_CERT_PATH` set).
    pub fn verify(mut self, verify: bool) -> TlsConfig {
        self.verify = verify;
        self
    }

    /// Whether the server certificate is verified.
    pub fn verifies(&self) -> bool {
        self.verify
    }

    pub(crate) fn build(&self) -> Result<Arc<ClientConfig>, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| cfg_err(format!("TLS setup: {e}")))?;
        let builder = if self.verify {
            let mut store = RootCertStore::empty();
            for c in &self.roots {
                store.add(c.clone()).map_err(|e| cfg_err(format!("invalid CA certificate: {e}")))?;
            }
            if self.roots.is_empty() {
                // Platform stores hold the odd certificate rustls cannot parse: skip those.
                let _ = store.add_parsable_certificates(self.platform.iter().cloned());
                store.extend(self.anchors.iter().cloned());
            }
            if store.is_empty() {
                return Err(cfg_err(format!(
                    "TLS verification is on but no CA certificate was given (ca.pem){}",
                    if PLATFORM_ROOTS_AVAILABLE {
                        " and no platform root was loaded"
                    } else {
                        "; the features tls-native-roots or tls-webpki-roots trust the platform's roots instead"
                    }
                )));
            }
            builder.with_root_certificates(store)
        } else {
            builder.dangerous().with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
        };
        let config = match &self.client {
            Some((certs, key)) => builder
                .with_client_auth_cert(certs.clone(), key.clone_key())
                .map_err(|e| cfg_err(format!("invalid client certificate or key: {e}")))?,
            None => builder.with_no_client_auth(),
        };
        Ok(Arc::new(config))
    }
}

/// Whether a feature provides platform roots.
pub(crate) const PLATFORM_ROOTS_AVAILABLE: bool = cfg!(any(feature = "tls-native-roots", feature = "tls-webpki-roots"));

fn parse_certs(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| cfg_err(format!("invalid {what} certificate PEM: {e}")))?;
    if certs.is_empty() {
        return Err(cfg_err(format!("no certificate found in {what} PEM")));
    }
    Ok(certs)
}

/// Server name for SNI and certificate checks: the host of `DOCKER_HOST` (a name or an IP).
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, Error> {
    ServerName::try_from(host.to_owned()).map_err(|e| cfg_err(format!("invalid TLS server name {host:?}: {e}")))
}

/// Accepts any certificate but still checks handshake signatures (so the session keys are bound
/// to the presented key). Used only when verification is explicitly off.
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_without_ca_is_refused() {
        assert!(TlsConfig::new().build().is_err());
        assert!(TlsConfig::new().verify(false).build().is_ok());
        // Platform roots, when a feature provides them, stand in for a CA.
        let with_platform = TlsConfig::new().with_platform_roots().unwrap();
        assert_eq!(with_platform.build().is_ok(), PLATFORM_ROOTS_AVAILABLE);
        if !PLATFORM_ROOTS_AVAILABLE {
            let e = with_platform.build().unwrap_err().to_string();
            assert!(e.contains("tls-native-roots or tls-webpki-roots"), "{e}");
        }
    }

    #[test]
    fn garbage_pem_is_refused() {
        assert!(TlsConfig::new().ca_pem(b"not a pem").is_err());
        let enc = b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let cert = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(TlsConfig::new().client_cert_pem(cert, enc).is_err());
    }

    #[test]
    fn missing_dir_is_config_error() {
        let e = TlsConfig::from_cert_path("/nonexistent/certs", true).unwrap_err();
        assert!(matches!(e, Error::Config { .. }));
    }
}

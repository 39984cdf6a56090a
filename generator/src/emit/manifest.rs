//! Step 5, packaging: the `Cargo.toml` and `README.md` of each generated crate.
//!
//! The manifest is typed data serialized with `toml`, so every value is escaped and every crate
//! is publishable as written: path dependencies carry a version, and the package metadata
//! crates.io asks for (`rust-version`, `repository`, `readme`, `keywords`, …) is set. The values
//! shared with the hand-written crates are in [`PACKAGE`]; a test
//! (`tests/tests/packaging.rs`) fails when they drift from the workspace's `Cargo.toml`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::crate_allow_reasons;
use crate::ir::Api;

/// Package metadata every generated crate shares with the workspace (`[workspace.package]`).
pub struct PackageMetadata {
    pub version: &'static str,
    pub edition: &'static str,
    pub rust_version: &'static str,
    pub license: &'static str,
    pub repository: &'static str,
}

pub const PACKAGE: PackageMetadata = PackageMetadata {
    version: "0.1.0",
    edition: "2021",
    rust_version: "1.85",
    license: "MIT OR Apache-2.0",
    repository: "https://github.com/docker-engine-rs/docker-engine-rs",
};

/// The transport's features, passed through by every endpoint crate so a user can choose them
/// from the crate they depend on: (name, what it gives, on by default). The packaging test
/// fails when this list and `transport/Cargo.toml` disagree.
pub const TRANSPORT_FEATURES: &[(&str, &str, bool)] = &[
    (
        "tls",
        "TLS to `tcp://` daemons with rustls (ring backend; no OpenSSL); `DOCKER_CERT_PATH`, contexts' TLS material",
        false,
    ),
    ("tls-native-roots", "also trust the platform's certificate store when no `ca.pem` is given", false),
    ("tls-webpki-roots", "also trust Mozilla's roots (webpki-roots, compiled in) when no `ca.pem` is given", false),
    ("tracing", "one `tracing` span per request: operation, method, path template, version, status, duration", false),
];

const KEYWORDS: [&str; 4] = ["docker", "docker-engine", "containers", "api"];

#[derive(Serialize)]
struct Manifest {
    package: Package,
    dependencies: BTreeMap<String, Dependency>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    features: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Package {
    name: String,
    version: &'static str,
    edition: &'static str,
    rust_version: &'static str,
    license: &'static str,
    description: String,
    repository: &'static str,
    documentation: String,
    readme: &'static str,
    keywords: &'static [&'static str],
    categories: &'static [&'static str],
}

/// One dependency; a local one has a path and a version (what `cargo publish` needs).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Dependency {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'static str>,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_features: Option<bool>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    features: &'static [&'static str],
}

fn registry(version: &'static str, features: &'static [&'static str]) -> Dependency {
    Dependency { path: None, version, default_features: None, features }
}

fn local(path: &'static str, default_features: Option<bool>) -> Dependency {
    Dependency { path: Some(path), version: PACKAGE.version, default_features, features: &[] }
}

fn package(name: String, description: String, categories: &'static [&'static str]) -> Package {
    Package {
        documentation: format!("https://docs.rs/{name}"),
        name,
        version: PACKAGE.version,
        edition: PACKAGE.edition,
        rust_version: PACKAGE.rust_version,
        license: PACKAGE.license,
        description,
        repository: PACKAGE.repository,
        readme: "README.md",
        keywords: &KEYWORDS,
        categories,
    }
}

/// The models crate's `Cargo.toml`.
pub fn models_manifest(api: &Api) -> String {
    let name = super::models::package_name(api);
    let description =
        format!("Docker Engine API v{} models (serde), generated from the upstream Swagger spec", api.version);
    let manifest = Manifest {
        package: package(name, description, &["api-bindings", "encoding"]),
        dependencies: BTreeMap::from([("serde".into(), registry("1", &[])), ("serde_json".into(), registry("1", &[]))]),
        features: BTreeMap::from([("testing".into(), Vec::new())]),
    };
    render(api, &manifest)
}

/// The endpoint crate's `Cargo.toml`: the transport without its defaults, and its features
/// passed through.
pub fn api_manifest(api: &Api) -> String {
    let name = super::api::package_name(api);
    let description = format!("Docker Engine API v{} endpoints, generated from the upstream Swagger spec", api.version);
    let transport = "docker-engine-transport";
    let mut features: BTreeMap<String, Vec<String>> = TRANSPORT_FEATURES
        .iter()
        .map(|(feature, _, _)| (feature.to_string(), vec![format!("{transport}/{feature}")]))
        .collect();
    let defaults = TRANSPORT_FEATURES.iter().filter(|(_, _, on)| *on).map(|(f, _, _)| f.to_string()).collect();
    features.insert("default".into(), defaults);
    let manifest = Manifest {
        package: package(name, description, &["api-bindings", "asynchronous"]),
        dependencies: BTreeMap::from([
            (super::models::package_name(api), local("../models", None)),
            (transport.into(), local("../../../transport", Some(false))),
            ("serde_json".into(), registry("1", &[])),
        ]),
        features,
    };
    render(api, &manifest)
}

fn render(api: &Api, manifest: &Manifest) -> String {
    let header = super::header(api).replace("// ", "# ");
    let body = toml::to_string(manifest).expect("a manifest of strings and tables always serializes");
    format!("{header}{}\n{body}", crate_allow_reasons())
}

/// The models crate's `README.md` (the crates.io page).
pub fn models_readme(api: &Api) -> String {
    let (name, version, oldest) = (super::models::package_name(api), api.version, api.oldest);
    let endpoints = super::api::package_name(api);
    format!(
        "# {name}\n\n\
         The serde types of the Docker Engine API v{version}, generated from the upstream Swagger spec.\n\n\
         They are a superset of every version from v{oldest} to v{version}: a member a later version removed\n\
         stays, `#[deprecated]`, so responses of older daemons decode without loss. Every field is\n\
         optional and every enum is open, so `null`, missing and unknown values never fail a decode.\n\n\
         Most programs use these types through [`{endpoints}`](https://docs.rs/{endpoints}), the\n\
         async client of the same version. Source and reports: <{repository}>.\n\n\
         ## Features\n\n\
         | feature | default | what it gives |\n|---|---|---|\n\
         | `testing` | no | `testing::roundtrip`: decode and re-encode any model by its Rust type name |\n",
        repository = PACKAGE.repository,
    )
}

/// The endpoint crate's `README.md` (the crates.io page).
pub fn api_readme(api: &Api) -> String {
    let (name, version, oldest) = (super::api::package_name(api), api.version, api.oldest);
    let krate = name.replace('-', "_");
    let features: String = TRANSPORT_FEATURES
        .iter()
        .map(|(feature, what, on)| format!("| `{feature}` | {} | {what} |\n", if *on { "yes" } else { "no" }))
        .collect();
    format!(
        "# {name}\n\n\
         An async client for the Docker Engine API v{version}, generated from the upstream Swagger spec:\n\
         one method per operation on `Docker`, over the shared `docker-engine-transport`.\n\n\
         It serves daemons of API v{version} **and every earlier version** (back to v{oldest}): it negotiates\n\
         the lower of the two versions, and a request that sets something the negotiated version lacks\n\
         fails before anything is sent.\n\n\
         ```rust,ignore\n\
         let docker = {krate}::Docker::from_env()?; // DOCKER_HOST, contexts, or the default socket\n\
         let containers = docker.container_list(&Default::default()).await?;\n\
         ```\n\n\
         Source, version matrix and diff reports: <{repository}>.\n\n\
         ## Features\n\n\
         | feature | default | what it gives |\n|---|---|---|\n{features}",
        repository = PACKAGE.repository,
    )
}

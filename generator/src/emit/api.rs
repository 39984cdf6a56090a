//! The endpoint crate of one version: `generated/v1_NN/api`.
//!
//! One async method per operation on [`Docker`], named after the operationId in snake case.
//! The methods themselves are printed by [`super::operation`], the body gates by
//! [`super::gates`]; this file prints the crate around them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, rust_file};
use crate::ir::naming::module_name;
use crate::ir::{Api, Operation};

pub mod examples;
mod guide;

/// Package name of the endpoint crate of a version.
pub fn package_name(api: &Api) -> String {
    format!("docker-engine-api-{}", api.version.crate_suffix())
}

/// All files of the crate (from a lineage view), relative to its directory.
pub fn api_crate(api: &Api) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("Cargo.toml"), super::manifest::api_manifest(api));
    files.insert(PathBuf::from("README.md"), super::manifest::api_readme(api));

    let mut modules: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in api.operations.values() {
        let module = op.tags.first().map(|t| module_name(t)).unwrap_or_else(|| "other".into());
        modules.entry(module).or_default().push(op);
    }
    for (module, ops) in &modules {
        let mut options = Vec::new();
        let mut methods = Vec::new();
        for op in ops {
            let (option_struct, method) = super::operation::operation(op, api)?;
            options.push(option_struct);
            methods.push(method);
        }
        let doc = guide::module_doc(api, ops[0].tags.first().map(String::as_str).unwrap_or(module), ops);
        let tokens = quote! {
            #![doc = #doc]
            // One import line for every module; which names a module uses depends on its
            // operations, so unused ones are allowed rather than computed.
            #[allow(unused_imports)]
            use crate::{gates, models, transport, ApiVersion, ByteStream, Docker, Error, Hijacked, JsonStream, OutputStream, PathStat, Upload};
            #(#options)*
            impl Docker {
                #(#methods)*
            }
        };
        files.insert(PathBuf::from(format!("src/{module}.rs")), rust_file(api, tokens)?);
    }
    files.insert(PathBuf::from("src/gates.rs"), rust_file(api, super::gates::gates_module(api))?);
    files.insert(PathBuf::from("src/lib.rs"), rust_file(api, lib_rs(api, modules.keys()))?);
    Ok(files)
}

fn lib_rs<'a>(api: &Api, modules: impl Iterator<Item = &'a String>) -> TokenStream {
    let client_doc = format!(" A client of the Docker Engine API, speaking v{} or lower. Cheap to clone.", api.version);
    let models_crate = ident(&super::models::package_name(api).replace('-', "_"));
    let (major, minor) = (
        proc_macro2::Literal::u16_unsuffixed(api.version.major),
        proc_macro2::Literal::u16_unsuffixed(api.version.minor),
    );
    let crate_doc = guide::crate_doc(api);
    // Modules add methods to `Docker` and export their options structs. `Docker`'s own methods
    // below are names no operation may take: keep `ir::build::checks::DOCKER_METHODS` in step.
    let allows = super::crate_allow_attrs();
    let mods = modules.map(|m| {
        let id = ident(m);
        quote! { pub mod #id; pub use #id::*; }
    });
    quote! {
        #![doc = #crate_doc]
        #allows

        /// The models (request and response types) of this API version.
        pub use #models_crate as models;
        /// The shared transport.
        pub use docker_engine_transport as transport;
        // Everything a caller of any method needs, so that no program has to name the
        // transport crate or add `bytes`, `futures` or `tokio` to call one.
        pub use docker_engine_transport::{
            ApiVersion, AsyncWriteExt, BoxError, BuildContext, ByteStream, Bytes, Credentials, DockerIgnore, Error,
            Filters, HijackWriter, Hijacked, JsonStream, OutputChunk, OutputStream, PathStat, RegistryAuth, Stream,
            StreamExt, Transport, Upload, VersionRange,
        };

        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Docker {
            client: transport::Client,
        }

        impl Docker {
            /// The API version of this crate: the highest version it will negotiate.
            pub const API_VERSION: ApiVersion = ApiVersion::new(#major, #minor);

            /// A client over `transport`; the version is negotiated on first use.
            pub fn new(transport: Transport) -> Docker {
                Docker { client: transport::Client::new(transport, Self::API_VERSION) }
            }

            /// A client that finds the daemon the way the Docker CLI does: `DOCKER_HOST`
            /// (with `DOCKER_CERT_PATH`, `DOCKER_TLS_VERIFY`), else the context named by
            /// `DOCKER_CONTEXT` or `currentContext` in `$DOCKER_CONFIG/config.json`, else a
            /// well-known socket; `DOCKER_API_VERSION` pins the version
            /// ([`transport::Resolver`] has the rules).
            pub fn from_env() -> Result<Docker, Error> {
                Ok(Docker::new(Transport::from_env()?))
            }

            /// A client for the Docker CLI context `name` (like `docker --context name`): its
            /// endpoint and TLS material from the CLI's context store; wins over `DOCKER_HOST`.
            pub fn from_context(name: &str) -> Result<Docker, Error> {
                Ok(Docker::new(Transport::from_context(name)?))
            }

            /// The underlying transport client.
            pub fn client(&self) -> &transport::Client {
                &self.client
            }

            /// The API version requests use (negotiated on first call).
            pub async fn api_version(&self) -> Result<ApiVersion, Error> {
                self.client.api_version().await
            }
        }

        pub mod gates;
        #(#mods)*
    }
}

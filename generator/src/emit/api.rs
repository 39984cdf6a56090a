//! The endpoint crate of one version: `generated/v1_NN/api`.
//!
//! One async method per operation on [`Docker`], named after the operationId in snake case.
//! Arguments, in order: path parameters (`&str`), required query parameters, the body, an
//! options struct (`<OperationId>Options`, `Default`) with every optional query and header
//! parameter, and for container output a `tty` hint. The response type follows the
//! operation's [`WireKind`]. Every operation knows the first API version that has it, so a
//! call the negotiated version lacks fails before anything is sent.

use std::collections::BTreeMap;
use std::path::PathBuf;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, header, ident, rust_file};
use crate::ir::naming::field_name;
use crate::ir::{Api, ArrayStyle, IntKind, Operation, Param, ParamLocation, TypeRef, WireKind};
use crate::version::ApiVersion;

/// Package name of the endpoint crate of a version.
pub fn package_name(api: &Api) -> String {
    format!("docker-engine-api-{}", api.version.crate_suffix())
}

/// Method name of an operation: `ContainerList` → `container_list`.
pub fn method_name(op: &Operation) -> String {
    field_name(&op.id).unwrap_or_else(|| op.id.to_snake_case())
}

/// All files of the crate, relative to its directory. `since` maps operationId → first
/// version that has it.
pub fn api_crate(api: &Api, since: &BTreeMap<String, ApiVersion>) -> Result<BTreeMap<PathBuf, String>, String> {
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from("Cargo.toml"), cargo_toml(api));

    let mut modules: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    let mut with_options = Vec::new();
    for op in api.operations.values() {
        let module = op.tags.first().map(|t| t.to_snake_case()).unwrap_or_else(|| "other".into());
        modules.entry(module).or_default().push(op);
    }
    for (module, ops) in &modules {
        let mut options = Vec::new();
        let mut methods = Vec::new();
        for op in ops {
            let first = since.get(&op.id).copied().unwrap_or(api.version);
            let (option_struct, method) = operation(op, first)?;
            if option_struct.is_some() && !with_options.contains(module) {
                with_options.push(module.clone());
            }
            options.extend(option_struct);
            methods.push(method);
        }
        let doc = format!(" `{}` operations.", ops[0].tags.first().cloned().unwrap_or_default());
        let tokens = quote! {
            #![doc = #doc]
            // One import line for every module; which names a module uses depends on its
            // operations, so unused ones are allowed rather than computed.
            #[allow(unused_imports)]
            use crate::{models, transport, ApiVersion, ByteStream, Docker, Error, Hijacked, JsonStream, OutputStream, PathStat, Upload};
            #(#options)*
            impl Docker {
                #(#methods)*
            }
        };
        files.insert(PathBuf::from(format!("src/{module}.rs")), rust_file(api, tokens)?);
    }
    files.insert(PathBuf::from("src/lib.rs"), rust_file(api, lib_rs(api, modules.keys(), &with_options))?);
    Ok(files)
}

fn cargo_toml(api: &Api) -> String {
    format!(
        "{header}{reasons}\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT OR Apache-2.0\"\ndescription = \"Docker Engine API v{version} endpoints, generated from the upstream Swagger spec\"\n\n[dependencies]\n{models} = {{ path = \"../models\" }}\ndocker-engine-transport = {{ path = \"../../../transport\" }}\nserde_json = \"1\"\n",
        header = header(api).replace("// ", "# "),
        reasons = super::crate_allow_reasons(),
        name = package_name(api),
        version = api.version,
        models = super::models::package_name(api),
    )
}

fn lib_rs<'a>(api: &Api, modules: impl Iterator<Item = &'a String>, with_options: &[String]) -> TokenStream {
    let models_crate = ident(&super::models::package_name(api).replace('-', "_"));
    let (major, minor) = (proc_macro2::Literal::u16_unsuffixed(api.version.major), proc_macro2::Literal::u16_unsuffixed(api.version.minor));
    let crate_doc = format!(
        " Docker Engine API v{version} endpoints, generated from `{file}`.\n\n Every operation is an async method on [`Docker`]. Requests carry the negotiated\n `/v1.NN` prefix: the lower of v{version} and the daemon's version (or\n `DOCKER_API_VERSION`). Calling an operation the negotiated version lacks fails with\n [`Error::UnsupportedOperation`] before anything is sent.\n\n ```no_run\n # async fn demo() -> Result<(), {krate}::Error> {{\n let docker = {krate}::Docker::from_env()?;\n let containers = docker.container_list(&Default::default()).await?;\n println!(\"{{}} containers\", containers.len());\n # Ok(()) }}\n ```",
        version = api.version,
        file = api.spec_file,
        krate = format!("docker_engine_api_{}", api.version.dir_name()),
    );
    // Modules add methods to `Docker`; those with options structs also export them.
    let allows = super::crate_allow_attrs();
    let mods = modules.map(|m| {
        let id = ident(m);
        if with_options.contains(m) { quote! { mod #id; pub use #id::*; } } else { quote! { mod #id; } }
    });
    quote! {
        #![doc = #crate_doc]
        #allows

        /// The models (request and response types) of this API version.
        pub use #models_crate as models;
        /// The shared transport.
        pub use docker_engine_transport as transport;
        pub use docker_engine_transport::{
            ApiVersion, ByteStream, Error, Filters, Hijacked, JsonStream, OutputChunk, OutputStream,
            PathStat, Transport, Upload,
        };

        /// A client of the Docker Engine API, speaking v#major.#minor or lower. Cheap to clone.
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

            /// A client configured like the Docker CLI: `DOCKER_HOST`, `DOCKER_API_VERSION`,
            /// `DOCKER_CERT_PATH`, `DOCKER_TLS_VERIFY`.
            pub fn from_env() -> Result<Docker, Error> {
                Ok(Docker::new(Transport::from_env()?))
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

        #(#mods)*
    }
}

/// Path parameters that carry image, plugin or distribution references may contain `/`.
fn path_allows_slashes(op: &Operation, param: &str) -> bool {
    param == "name" && ["/images/", "/plugins/", "/distribution/"].iter().any(|p| op.path.starts_with(p))
}

fn is_required_arg(p: &Param) -> bool {
    p.location == ParamLocation::Query && p.required
}

/// The Rust type of a query/header parameter value.
fn param_type(p: &Param) -> TokenStream {
    if p.name == "filters" {
        return quote!(transport::Filters);
    }
    match p.name.as_str() {
        "X-Registry-Auth" => return quote!(models::AuthConfig),
        "X-Registry-Config" => return quote!(std::collections::BTreeMap<String, models::AuthConfig>),
        _ => {}
    }
    value_type(&p.ty)
}

fn value_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let id = ident(name);
            quote!(models::#id)
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer(kind) => super::int_tokens(*kind),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(slot) => {
            let inner = value_type(&slot.ty);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(slot) => {
            let inner = value_type(&slot.ty);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::FreeFormObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// Statements that add parameter `p` to `req`; `value` is a reference to the value, or the
/// value itself for numbers and booleans when `by_value`.
fn param_statement(p: &Param, value: TokenStream, by_value: bool) -> TokenStream {
    let key = &p.name;
    let deref = if by_value { quote!() } else { quote!(*) };
    if p.location == ParamLocation::Header {
        return if matches!(key.as_str(), "X-Registry-Auth" | "X-Registry-Config") {
            quote!(req.header_base64_json(#key, #value)?;)
        } else {
            quote!(req.header(#key, #value.as_str())?;)
        };
    }
    if key == "filters" {
        return quote! {
            if !#value.is_empty() {
                req.query_json(#key, #value)?;
            }
        };
    }
    match &p.ty {
        TypeRef::String => quote!(req.query_str(#key, #value);),
        TypeRef::Boolean => quote!(req.query_bool(#key, #deref #value);),
        TypeRef::Integer(IntKind::I64) => quote!(req.query_i64(#key, #deref #value);),
        TypeRef::Integer(IntKind::I32) => quote!(req.query_i64(#key, i64::from(#deref #value));),
        TypeRef::Integer(IntKind::U64) => quote!(req.query_u64(#key, #deref #value);),
        TypeRef::Integer(_) => quote!(req.query_u64(#key, u64::from(#deref #value));),
        TypeRef::Number => quote!(req.query_f64(#key, #deref #value);),
        TypeRef::Named(_) => quote!(req.query_str(#key, #value.as_str());),
        TypeRef::Array(slot) => {
            let values = match &slot.ty {
                TypeRef::String => quote!(#value.clone()),
                TypeRef::Named(_) => quote!(#value.iter().map(|v| v.as_str().to_owned()).collect::<Vec<_>>()),
                _ => quote!(#value.iter().map(|v| v.to_string()).collect::<Vec<_>>()),
            };
            match p.array_style {
                Some(ArrayStyle::Repeated) => quote!(req.query_multi(#key, &#values);),
                _ => quote!(req.query_csv(#key, &#values);),
            }
        }
        _ => quote!(req.query_json(#key, #value)?;),
    }
}

fn op_doc(op: &Operation, since: ApiVersion) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = op.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(summary.trim().to_string());
    }
    if let Some(description) = op.description.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(description.trim().to_string());
    }
    parts.push(format!("`{} {}` (operation `{}`, since API v{since}).", op.method, op.path, op.id));
    parts.join("\n\n")
}

/// The options struct (if the operation has optional query/header parameters) and the method.
fn operation(op: &Operation, since: ApiVersion) -> Result<(Option<TokenStream>, TokenStream), String> {
    let method = ident(&method_name(op));
    let options_name = ident(&format!("{}Options", crate::ir::naming::type_name(&op.id).unwrap_or_default()));
    let optional: Vec<&Param> = op.params.iter().filter(|p| p.location != ParamLocation::Path && !is_required_arg(p)).collect();

    let options_struct = (!optional.is_empty()).then(|| {
        let fields = optional.iter().map(|p| {
            let name = ident(&p.rust_name);
            let ty = param_type(p);
            let mut doc = p.facts.description.clone().unwrap_or_default();
            if let Some(default) = &p.facts.default {
                doc.push_str(&format!("\n\nServer default: `{default}`."));
            }
            let docs = doc_attrs(Some(doc.as_str()));
            quote! { #docs pub #name: Option<#ty>, }
        });
        let doc = format!(" Optional parameters of [`Docker::{}`].", method_name(op));
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Default, PartialEq)]
            pub struct #options_name {
                #(#fields)*
            }
        }
    });

    let mut args = Vec::new();
    let mut statements = Vec::new();
    // Path, split at its parameters.
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| format!("{}: unclosed `{{` in {}", op.id, op.path))?;
        let literal = &rest[..open];
        if !literal.is_empty() {
            statements.push(quote!(req.path(#literal);));
        }
        let name = &rest[open + 1..close];
        let param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name)
            .ok_or_else(|| format!("{}: path parameter `{name}` is not declared", op.id))?;
        let arg = ident(&param.rust_name);
        args.push(quote!(#arg: &str));
        statements.push(if path_allows_slashes(op, name) {
            quote!(req.path_name(#name, #arg)?;)
        } else {
            quote!(req.path_id(#name, #arg)?;)
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        statements.push(quote!(req.path(#rest);));
    }
    for p in op.params.iter().filter(|p| is_required_arg(p)) {
        let arg = ident(&p.rust_name);
        // Strings are borrowed as `&str`, numbers and booleans taken by value.
        let by_value = matches!(p.ty, TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean);
        let ty = param_type(p);
        args.push(match (&p.ty, by_value) {
            (_, true) => quote!(#arg: #ty),
            (TypeRef::String, _) if p.name != "filters" => quote!(#arg: &str),
            _ => quote!(#arg: &#ty),
        });
        statements.push(param_statement(p, quote!(#arg), by_value));
    }
    if let Some(body) = &op.body {
        let content_type = ["application/json", "application/x-tar"]
            .into_iter()
            .find(|m| body.media_types.iter().any(|t| t == m))
            .or_else(|| body.media_types.first().map(String::as_str))
            .unwrap_or("application/octet-stream")
            .to_string();
        match (&body.ty, body.required) {
            (Some(ty), true) => {
                let ty = value_type(ty);
                args.push(quote!(body: &#ty));
                statements.push(quote!(req.json_body(body)?;));
            }
            (Some(ty), false) => {
                let ty = value_type(ty);
                args.push(quote!(body: Option<&#ty>));
                statements.push(quote!(if let Some(body) = body { req.json_body(body)?; }));
            }
            (None, true) => {
                args.push(quote!(body: Upload));
                statements.push(quote!(req.upload_body(#content_type, body);));
            }
            (None, false) => {
                args.push(quote!(body: Option<Upload>));
                statements.push(quote!(if let Some(body) = body { req.upload_body(#content_type, body); }));
            }
        }
    }
    if !optional.is_empty() {
        args.push(quote!(options: &#options_name));
        for p in &optional {
            let field = ident(&p.rust_name);
            let set = param_statement(p, quote!(value), false);
            statements.push(quote!(if let Some(value) = &options.#field { #set }));
        }
    }

    let (ret, send) = match &op.wire {
        WireKind::Json(ty) => {
            let ty = value_type(ty);
            (quote!(#ty), quote!(self.client.send_json(req).await))
        }
        WireKind::JsonOrEmpty(ty) => {
            let ty = value_type(ty);
            (quote!(Option<#ty>), quote!(self.client.send_json_or_empty(req).await))
        }
        WireKind::Empty => (quote!(()), quote!(self.client.send_empty(req).await)),
        WireKind::Text => (quote!(String), quote!(self.client.send_text(req).await)),
        WireKind::JsonStream(ty) => {
            let ty = value_type(ty);
            (quote!(JsonStream<#ty>), quote!(self.client.send_json_stream(req).await))
        }
        WireKind::Output => {
            args.push(quote!(tty: Option<bool>));
            (quote!(OutputStream), quote!(self.client.send_output(req, tty).await))
        }
        WireKind::Bytes => (quote!(ByteStream), quote!(self.client.send_bytes_stream(req).await)),
        WireKind::Headers => (quote!(transport::http::HeaderMap), quote!(self.client.send_head(req).await)),
        WireKind::PathStat => (
            quote!(Option<PathStat>),
            quote!(transport::decode_path_stat(&self.client.send_head(req).await?)),
        ),
        WireKind::Hijack => {
            args.push(quote!(tty: Option<bool>));
            (quote!(Hijacked), quote!(self.client.send_upgrade(req, tty).await))
        }
        WireKind::Upgrade(protocol) => (quote!(Hijacked), quote!(self.client.send_upgrade_protocol(req, #protocol).await)),
    };
    let mut doc = op_doc(op, since);
    match &op.wire {
        WireKind::Output | WireKind::Hijack => doc.push_str(
            "\n\n`tty` says whether the container (or exec) has a TTY; it decides how output is read when the daemon does not say (API < 1.42). `None` assumes no TTY.",
        ),
        WireKind::Upgrade(p) => doc.push_str(&format!("\n\nThe connection is upgraded to `{p}` and handed over raw.")),
        _ => {}
    }
    let docs = doc_attrs(Some(doc.as_str()));
    let id = &op.id;
    let http_method = ident(&op.method);
    let (major, minor) = (proc_macro2::Literal::u16_unsuffixed(since.major), proc_macro2::Literal::u16_unsuffixed(since.minor));
    let req_mut = if statements.is_empty() { quote!() } else { quote!(mut) };
    let method_tokens = quote! {
        #docs
        pub async fn #method(&self, #(#args),*) -> Result<#ret, Error> {
            static OP: transport::Operation = transport::Operation {
                id: #id,
                method: transport::http::Method::#http_method,
                since: ApiVersion::new(#major, #minor),
            };
            let #req_mut req = transport::Request::new(&OP);
            #(#statements)*
            #send
        }
    };
    Ok((options_struct, method_tokens))
}

//! One operation of an endpoint crate: its options struct and its method on `Docker`.
//!
//! Every method has the same shape in every crate version that has the operation, so moving
//! to a newer crate changes nothing unless the API itself did: path parameters (`&str`), then
//! required query parameters, then one options struct (`<OperationId>Options`, `Default`,
//! always present — a later optional parameter is a new field, not a new argument), then the
//! body. Anything the view marks with a version range is gated: setting it records a
//! requirement that the transport checks after negotiation, before anything is sent.
//! Output framing (multiplexed or TTY raw) is never passed: the daemon's `Content-Type` says it
//! from API v1.42 on, before that the operation's [`TtyProbe`] inspects the object, and the
//! options carry an explicit override.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, ident};
use crate::ir::encoding::{AbsentBody, Encoding, ListItem, PathSegment};
use crate::ir::wire::{TtyProbe, FRAMING_CONTENT_TYPE_SINCE};
use crate::ir::{Api, ArrayStyle, Availability, IntKind, Operation, Param, ParamLocation, TypeRef, WireKind};
use crate::lineage::deprecation;
use crate::version::ApiVersion;

/// The options struct and the method of `op` (from a lineage view).
pub fn operation(op: &Operation, api: &Api) -> Result<(TokenStream, TokenStream), String> {
    let method = ident(&op.method_name);
    let options_name = ident(&op.options_name);
    json_value_types_exist(op, api)?;
    let mut args = Vec::new();
    let mut statements = Vec::new();
    if let Some(until) = op.availability.until {
        let range = range_tokens(Availability { since: op.availability.since, until: Some(until) });
        let id = &op.id;
        statements.push(quote!(req.require(#id, #range);));
    }
    path(op, &mut args, &mut statements);
    required_params(op, &mut args, &mut statements);
    args.push(quote!(options: &#options_name));
    let optional = optional_params(op);
    for p in &optional {
        let field = ident(&p.rust_name);
        let gate = param_gate(p);
        let set = param_statement(p, quote!(value), false);
        statements.push(quote!(if let Some(value) = &options.#field { #gate #set }));
    }
    body(op, api, &mut args, &mut statements);
    let (ret, send) = response(op);
    if optional.is_empty() && !has_tty_override(op) {
        statements.push(quote!(let _ = options;));
    }

    let docs = doc_attrs(Some(op_doc(op, api.oldest).as_str()));
    let extra = examples_and_aliases(op, api);
    let docs = quote!(#docs #(#extra)*);
    let id = &op.id;
    let http_method = ident(&op.method);
    let since = match op.availability.since {
        Some(v) => {
            let v = version_tokens(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let deprecated = super::models::deprecated_attr(op.description.as_deref().and_then(deprecation::note).as_deref());
    let method_tokens = quote! {
        #docs
        #deprecated
        pub async fn #method(&self, #(#args),*) -> Result<#ret, Error> {
            static OP: transport::Operation = transport::Operation {
                id: #id,
                method: transport::http::Method::#http_method,
                since: #since,
            };
            #[allow(unused_mut)]
            let mut req = transport::Request::new(&OP);
            #(#statements)*
            #send
        }
    };
    Ok((options_struct(op, &options_name, &optional, api.oldest), method_tokens))
}

/// The method's runnable examples (doctests, not passed through the spec-text rewriting that
/// fences code as `text`) and its Docker CLI words as `#[doc(alias)]`s
/// ([`super::api::examples`]).
fn examples_and_aliases(op: &Operation, api: &Api) -> Vec<TokenStream> {
    use super::api::examples;
    let krate = format!("docker_engine_api_{}", api.version.dir_name());
    let has_op = |id: &str| api.operations.contains_key(id);
    let has_type = |name: &str| api.types.contains_key(name);
    let mut out = Vec::new();
    for (i, example) in examples::doc_examples(&op.id, &has_op, &has_type, &krate).iter().enumerate() {
        let heading = if i == 0 { " # Examples" } else { "" };
        out.push(quote!(#[doc = ""] #[doc = #heading]));
        let lines = example.lines().map(|l| format!(" {l}"));
        out.push(quote!(#(#[doc = #lines])*));
    }
    for alias in examples::aliases(&op.id) {
        out.push(quote!(#[doc(alias = #alias)]));
    }
    out
}

/// A JSON-text parameter's typed value may name a model; the version must define it.
fn json_value_types_exist(op: &Operation, api: &Api) -> Result<(), String> {
    for p in &op.params {
        let (Encoding::JsonText(value) | Encoding::List { item: ListItem::Json(value), .. }) = p.encoding else {
            continue;
        };
        let mut named = Vec::new();
        value.value_type().named(&mut named);
        if let Some(missing) = named.iter().find(|n| !api.types.contains_key(*n)) {
            return Err(format!(
                "{}: parameter `{}` takes the model `{missing}`, which this spec does not define",
                op.id, p.name
            ));
        }
    }
    Ok(())
}

fn has_tty_override(op: &Operation) -> bool {
    matches!(op.wire, WireKind::Output | WireKind::Hijack)
}

fn optional_params(op: &Operation) -> Vec<&Param> {
    op.params.iter().filter(|p| p.location != ParamLocation::Path && !is_required_arg(p)).collect()
}

fn options_struct(op: &Operation, name: &proc_macro2::Ident, optional: &[&Param], oldest: ApiVersion) -> TokenStream {
    let fields = optional.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = param_type(p);
        let mut doc = p.description.as_deref().map(str::trim_end).unwrap_or_default().to_string();
        if let Some(default) = &p.facts.default {
            doc.push_str(&format!("\n\nServer default: `{default}`."));
        }
        if let Some(range) = p.availability.doc(oldest) {
            doc.push_str(&format!("\n\n{range} Setting it when the negotiated version lacks it fails before sending."));
        }
        let docs = doc_attrs(Some(doc.as_str()));
        let deprecated =
            super::models::deprecated_attr(p.description.as_deref().and_then(deprecation::note).as_deref());
        quote! { #docs #deprecated pub #field: Option<#ty>, }
    });
    let tty = has_tty_override(op).then(|| {
        quote! {
            /// Whether the output is raw (the container or exec has a TTY) rather than
            /// multiplexed. Leave it `None`: the daemon's `Content-Type` says so from API v1.42
            /// on, and before that the client inspects the object first.
            pub tty: Option<bool>,
        }
    });
    let doc = format!(" Optional parameters of [`Docker::{}`].", op.method_name);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
            #tty
        }
    }
}

/// The path: literal pieces and encoded path arguments.
fn path(op: &Operation, args: &mut Vec<TokenStream>, statements: &mut Vec<TokenStream>) {
    for segment in &op.segments {
        statements.push(match segment {
            PathSegment::Literal(text) => quote!(req.path(#text);),
            PathSegment::Param { name, encoding } => {
                let rust = op.params.iter().find(|p| &p.name == name).map(|p| p.rust_name.as_str()).unwrap_or(name);
                let arg = ident(rust);
                args.push(quote!(#arg: &str));
                if *encoding == Encoding::PathName {
                    quote!(req.path_name(#name, #arg)?;)
                } else {
                    quote!(req.path_id(#name, #arg)?;)
                }
            }
        });
    }
}

fn is_required_arg(p: &Param) -> bool {
    p.location == ParamLocation::Query && p.required
}

/// Required query parameters: strings borrowed as `&str`, numbers and booleans by value.
fn required_params(op: &Operation, args: &mut Vec<TokenStream>, statements: &mut Vec<TokenStream>) {
    for p in op.params.iter().filter(|p| is_required_arg(p)) {
        let arg = ident(&p.rust_name);
        let by_value = matches!(p.encoding, Encoding::Int(_) | Encoding::Number | Encoding::Bool);
        let ty = param_type(p);
        args.push(match p.encoding {
            _ if by_value => quote!(#arg: #ty),
            Encoding::Text { enumerated: false } => quote!(#arg: &str),
            _ => quote!(#arg: &#ty),
        });
        statements.push(param_gate(p));
        statements.push(param_statement(p, quote!(#arg), by_value));
    }
}

/// `req.require(…)` when the parameter is not in every version.
fn param_gate(p: &Param) -> TokenStream {
    if p.availability.is_always() {
        return TokenStream::new();
    }
    let name = &p.name;
    let range = range_tokens(p.availability);
    match &p.replacement_hint {
        Some(hint) => quote!(req.require_with_hint(#name, #range, #hint);),
        None => quote!(req.require(#name, #range);),
    }
}

/// The body argument and the statements that encode and gate it.
fn body(op: &Operation, api: &Api, args: &mut Vec<TokenStream>, statements: &mut Vec<TokenStream>) {
    let Some(body) = &op.body else { return };
    let content_type = &body.content_type;
    let gated = body.ty.as_ref().is_some_and(|ty| super::gates::has_gates(api, ty));
    let gate = gated.then(|| quote!(gates::Gate::gate(body, &transport::MemberPath::Root, &mut req);));
    match (&body.ty, body.required) {
        (Some(ty), true) => {
            let ty = value_type(ty);
            args.push(quote!(body: &#ty));
            statements.push(quote!(req.json_body(body)?; #gate));
        }
        (Some(ty), false) => {
            let ty = value_type(ty);
            args.push(quote!(body: Option<&#ty>));
            let empty = match body.absent {
                AbsentBody::EmptyArray => quote!(req.json_body(&[(); 0])?),
                AbsentBody::EmptyObject => quote!(req.json_body(&serde_json::Map::new())?),
                AbsentBody::Nothing => quote!({}),
            };
            statements.push(quote! {
                match body {
                    Some(body) => {
                        req.json_body(body)?;
                        #gate
                    }
                    None => #empty,
                }
            });
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

/// The return type and the statements that send the request and read the answer.
fn response(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.wire {
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
            let tty = tty_statement(op.tty_probe.as_ref());
            (quote!(OutputStream), quote!(#tty self.client.send_output(req, tty).await))
        }
        WireKind::Bytes => (quote!(ByteStream), quote!(self.client.send_bytes_stream(req).await)),
        WireKind::Headers => (quote!(transport::http::HeaderMap), quote!(self.client.send_head(req).await)),
        WireKind::PathStat => {
            (quote!(Option<PathStat>), quote!(transport::decode_path_stat(&self.client.send_head(req).await?)))
        }
        WireKind::Hijack => {
            let tty = tty_statement(op.tty_probe.as_ref());
            (quote!(Hijacked), quote!(#tty self.client.send_upgrade(req, tty).await))
        }
        WireKind::Upgrade(protocol) => {
            (quote!(Hijacked), quote!(self.client.send_upgrade_protocol(req, #protocol).await))
        }
    }
}

/// `let tty = …;`: the caller's override, else (before API v1.42, when the daemon does not say)
/// what the probe tells, else `None` (the `Content-Type` decides).
fn tty_statement(probe: Option<&TtyProbe>) -> TokenStream {
    let Some(probe) = probe else {
        return quote!(let tty = options.tty;);
    };
    let learn = match probe {
        TtyProbe::Inspect { inspect, path_arg, fields } => {
            let inspect = ident(&crate::ir::naming::field_name(inspect).unwrap_or_default());
            let arg = ident(path_arg);
            let mut read = quote!(inspected);
            for (i, field) in fields.iter().enumerate() {
                let field = ident(field);
                read = if i == 0 { quote!(#read.#field) } else { quote!(#read.and_then(|v| v.#field)) };
            }
            quote! {
                let inspected = self.#inspect(#arg, &Default::default()).await?;
                #read
            }
        }
        TtyProbe::Body { field, optional: true } => {
            let field = ident(field);
            quote!(Some(body.and_then(|b| b.#field).unwrap_or(false)))
        }
        TtyProbe::Body { field, optional: false } => {
            let field = ident(field);
            quote!(Some(body.#field.unwrap_or(false)))
        }
    };
    let since = version_tokens(ApiVersion::new(FRAMING_CONTENT_TYPE_SINCE.0, FRAMING_CONTENT_TYPE_SINCE.1));
    quote! {
        let tty = match options.tty {
            Some(tty) => Some(tty),
            None if self.client.api_version().await? < #since => { #learn }
            None => None,
        };
    }
}

/// The Rust type of a query/header parameter value.
fn param_type(p: &Param) -> TokenStream {
    match p.encoding {
        Encoding::Filters => quote!(transport::Filters),
        Encoding::RegistryAuth => quote!(models::AuthConfig),
        Encoding::RegistryConfig => quote!(std::collections::BTreeMap<String, models::AuthConfig>),
        Encoding::JsonText(value) => value_type(&value.value_type()),
        Encoding::List { item: ListItem::Json(value), .. } => {
            let item = value_type(&value.value_type());
            quote!(Vec<#item>)
        }
        _ => value_type(&p.ty),
    }
}

/// A type of the endpoint crate: named types are `models::Name`.
fn value_type(ty: &TypeRef) -> TokenStream {
    super::type_tokens(ty, &|name| {
        let id = ident(name);
        quote!(models::#id)
    })
}

/// Statements that add parameter `p` to `req`; `value` is a reference to the value, or the
/// value itself for numbers and booleans when `by_value`.
fn param_statement(p: &Param, value: TokenStream, by_value: bool) -> TokenStream {
    let key = &p.name;
    let deref = if by_value { quote!() } else { quote!(*) };
    match p.encoding {
        Encoding::RegistryAuth | Encoding::RegistryConfig => quote!(req.header_base64_json(#key, #value)?;),
        Encoding::Header => quote!(req.header(#key, #value.as_str())?;),
        Encoding::Filters => quote! {
            if !#value.is_empty() {
                req.query_json(#key, #value)?;
            }
        },
        Encoding::Text { enumerated: false } => quote!(req.query_str(#key, #value);),
        Encoding::Text { enumerated: true } => quote!(req.query_str(#key, #value.as_str());),
        Encoding::Bool => quote!(req.query_bool(#key, #deref #value);),
        Encoding::Int(IntKind::I64) => quote!(req.query_i64(#key, #deref #value);),
        Encoding::Int(IntKind::I32) => quote!(req.query_i64(#key, i64::from(#deref #value));),
        Encoding::Int(IntKind::U64) => quote!(req.query_u64(#key, #deref #value);),
        Encoding::Int(_) => quote!(req.query_u64(#key, u64::from(#deref #value));),
        Encoding::Number => quote!(req.query_f64(#key, #deref #value);),
        Encoding::JsonText(_) => quote!(req.query_json(#key, #value)?;),
        Encoding::List { style, item } => {
            let values = match item {
                // The IR allows JSON items only as repeated keys: one `key=<json>` per item.
                ListItem::Json(_) => {
                    return quote! {
                        for item in #value.iter() {
                            req.query_json(#key, item)?;
                        }
                    }
                }
                ListItem::Text => quote!(#value.clone()),
                ListItem::Enum => quote!(#value.iter().map(|v| v.as_str().to_owned()).collect::<Vec<_>>()),
                ListItem::Other => quote!(#value.iter().map(|v| v.to_string()).collect::<Vec<_>>()),
            };
            match style {
                ArrayStyle::Repeated => quote!(req.query_multi(#key, &#values);),
                ArrayStyle::CommaSeparated => quote!(req.query_csv(#key, &#values);),
            }
        }
        Encoding::Json | Encoding::PathId | Encoding::PathName => quote!(req.query_json(#key, #value)?;),
    }
}

fn op_doc(op: &Operation, oldest: ApiVersion) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = op.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(summary.trim().to_string());
    }
    if let Some(description) = op.description.as_deref().filter(|s| !s.trim().is_empty()) {
        parts.push(description.trim().to_string());
    }
    let range = op
        .availability
        .doc(oldest)
        .unwrap_or_else(|| format!("In API v{oldest} and earlier, and every later version."));
    parts.push(format!("`{} {}` (operation `{}`). {range}", op.method, op.path, op.id));
    parts.join("\n\n")
}

fn version_tokens(v: ApiVersion) -> TokenStream {
    let (major, minor) = (proc_macro2::Literal::u16_unsuffixed(v.major), proc_macro2::Literal::u16_unsuffixed(v.minor));
    quote!(ApiVersion::new(#major, #minor))
}

/// `transport::VersionRange { since: …, until: … }`.
pub fn range_tokens(a: Availability) -> TokenStream {
    let opt = |v: Option<ApiVersion>| match v {
        Some(v) => {
            let v = version_tokens(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let (since, until) = (opt(a.since), opt(a.until));
    quote!(transport::VersionRange { since: #since, until: #until })
}

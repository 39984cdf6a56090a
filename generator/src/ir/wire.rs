//! How each operation's response travels on the wire.
//!
//! Most of it follows from the spec (media types, schemas, the method). What the spec cannot
//! express — which operations stream JSON although typed as one object or nothing, which take
//! over the connection — is the [`STREAMING`] table below. An operation added in a new version
//! gets its kind from the spec with no code change; only a new *streaming* operation needs a
//! line here.

use super::naming::type_name;
use super::{Operation, Response, TypeRef};

/// The shape of an operation's successful response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireKind {
    /// One JSON document of this type.
    Json(TypeRef),
    /// One JSON document, or an empty body (another success code has no schema).
    JsonOrEmpty(TypeRef),
    /// Nothing useful in the body.
    Empty,
    /// A plain-text body (`/_ping`'s `OK`).
    Text,
    /// A stream of JSON documents (progress, events, stats). In-band errors become `Err`.
    JsonStream(TypeRef),
    /// Container output: multiplexed stdout/stderr frames, or raw bytes with a TTY.
    Output,
    /// A raw byte stream (tar archives).
    Bytes,
    /// Headers only (a `HEAD`).
    Headers,
    /// `HEAD /containers/{id}/archive`: the decoded `X-Docker-Container-Path-Stat` header.
    PathStat,
    /// The connection is hijacked (`Upgrade: tcp`): stdin writer + output reader.
    Hijack,
    /// The connection is upgraded to another protocol and handed over raw.
    Upgrade(&'static str),
}

/// What the spec cannot say. `item` names the definition each streamed JSON document decodes
/// into (`None`: the success schema's own type).
pub struct StreamingRule {
    pub operation: &'static str,
    pub kind: StreamingKind,
    pub why: &'static str,
}

pub enum StreamingKind {
    JsonStream { item: Option<&'static str> },
    Output,
    Hijack,
    Upgrade(&'static str),
}

pub const STREAMING: &[StreamingRule] = &[
    StreamingRule {
        operation: "ContainerStats",
        kind: StreamingKind::JsonStream { item: None },
        why: "one stats object per interval while `stream` is true (the default)",
    },
    StreamingRule {
        operation: "SystemEvents",
        kind: StreamingKind::JsonStream { item: None },
        why: "one event per line until `until` or disconnect",
    },
    StreamingRule {
        operation: "ImageBuild",
        kind: StreamingKind::JsonStream { item: Some("BuildInfo") },
        why: "build progress messages; the spec types the 200 as nothing",
    },
    StreamingRule {
        operation: "ImageCreate",
        kind: StreamingKind::JsonStream { item: Some("CreateImageInfo") },
        why: "pull/import progress messages",
    },
    StreamingRule {
        operation: "ImagePush",
        kind: StreamingKind::JsonStream { item: Some("PushImageInfo") },
        why: "push progress messages",
    },
    StreamingRule {
        operation: "ImageLoad",
        kind: StreamingKind::JsonStream { item: Some("BuildInfo") },
        why: "load messages (`stream`, `status`, errors in-band)",
    },
    StreamingRule {
        operation: "PluginPull",
        kind: StreamingKind::JsonStream { item: Some("CreateImageInfo") },
        why: "pull progress; the spec says 204",
    },
    StreamingRule {
        operation: "PluginUpgrade",
        kind: StreamingKind::JsonStream { item: Some("CreateImageInfo") },
        why: "pull progress; the spec says 204",
    },
    StreamingRule {
        operation: "PluginPush",
        kind: StreamingKind::JsonStream { item: Some("PushImageInfo") },
        why: "push progress",
    },
    StreamingRule {
        operation: "ContainerLogs",
        kind: StreamingKind::Output,
        why: "multiplexed/raw output; before v1.42 the spec declares no raw-stream media type",
    },
    StreamingRule { operation: "ServiceLogs", kind: StreamingKind::Output, why: "as ContainerLogs" },
    StreamingRule { operation: "TaskLogs", kind: StreamingKind::Output, why: "as ContainerLogs" },
    StreamingRule {
        operation: "ContainerAttach",
        kind: StreamingKind::Hijack,
        why: "101 UPGRADED, then raw stdin and multiplexed/raw output",
    },
    StreamingRule {
        operation: "ExecStart",
        kind: StreamingKind::Hijack,
        why: "101 UPGRADED, then raw stdin and multiplexed/raw output (no 101 in the spec)",
    },
    StreamingRule {
        operation: "ContainerAttachWebsocket",
        kind: StreamingKind::Upgrade("websocket"),
        why: "WebSocket upgrade",
    },
    StreamingRule {
        operation: "Session",
        kind: StreamingKind::Upgrade("h2c"),
        why: "HTTP/2 cleartext upgrade for BuildKit",
    },
];

/// From this version on the daemon says in the `Content-Type` whether output is multiplexed
/// (`application/vnd.docker.multiplexed-stream`) or raw; before it, attach always claims raw.
pub const FRAMING_CONTENT_TYPE_SINCE: (u16, u16) = (1, 42);

/// How to learn whether an operation's output is raw (TTY) when the daemon does not say. The
/// caller never has to pass it.
pub struct TtyRule {
    pub operation: &'static str,
    pub source: TtySource,
    pub why: &'static str,
}

pub enum TtySource {
    /// Inspect the object (same path parameter) and read one boolean (wire names).
    Inspect { operation: &'static str, path_param: &'static str, field: &'static [&'static str] },
    /// A boolean member of the request body; absent means `false`.
    Body { member: &'static str },
}

pub const TTY: &[TtyRule] = &[
    TtyRule {
        operation: "ContainerLogs",
        source: TtySource::Inspect { operation: "ContainerInspect", path_param: "id", field: &["Config", "Tty"] },
        why: "logs are raw when the container was created with a TTY",
    },
    TtyRule {
        operation: "ContainerAttach",
        source: TtySource::Inspect { operation: "ContainerInspect", path_param: "id", field: &["Config", "Tty"] },
        why: "as logs; and before 1.42 the 101 claims raw-stream whatever the container",
    },
    TtyRule {
        operation: "ExecStart",
        source: TtySource::Body { member: "Tty" },
        why: "the daemon frames by the start request's `Tty`, not the exec's own (Docker 20.10, checked live)",
    },
    TtyRule {
        operation: "ServiceLogs",
        source: TtySource::Inspect {
            operation: "ServiceInspect",
            path_param: "id",
            field: &["Spec", "TaskTemplate", "ContainerSpec", "TTY"],
        },
        why: "the service's containers have a TTY",
    },
    TtyRule {
        operation: "TaskLogs",
        source: TtySource::Inspect {
            operation: "TaskInspect",
            path_param: "id",
            field: &["Spec", "ContainerSpec", "TTY"],
        },
        why: "the task's container has a TTY",
    },
];

/// [`TtyRule`] resolved against one IR: Rust names to call and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TtyProbe {
    Inspect {
        /// The inspect operation's id.
        inspect: String,
        /// Rust name of the path parameter passed on to it.
        path_arg: String,
        /// Rust field names from the inspect response to the boolean.
        fields: Vec<String>,
    },
    Body {
        /// Rust name of the body's boolean member.
        field: String,
        /// Whether the body is optional (`Option<&T>`).
        optional: bool,
    },
}

/// The probe of `op`, when a rule names it and every step resolves in `api`.
pub fn tty_probe(op: &Operation, api: &super::Api) -> Option<TtyProbe> {
    let rule = TTY.iter().find(|r| r.operation == op.id)?;
    match &rule.source {
        TtySource::Inspect { operation, path_param, field } => {
            let WireKind::Json(ty) = &api.operations.get(*operation)?.wire else { return None };
            let path_arg = op.params.iter().find(|p| p.name == *path_param)?.rust_name.clone();
            let fields = boolean_path(api, ty, field)?;
            Some(TtyProbe::Inspect { inspect: operation.to_string(), path_arg, fields })
        }
        TtySource::Body { member } => {
            let body = op.body.as_ref()?;
            let mut fields = boolean_path(api, body.ty.as_ref()?, &[member])?;
            Some(TtyProbe::Body { field: fields.remove(0), optional: !body.required })
        }
    }
}

/// Rust field names along `wires` from `ty` to a boolean, if every step exists.
fn boolean_path(api: &super::Api, ty: &TypeRef, wires: &[&str]) -> Option<Vec<String>> {
    let mut ty = ty.clone();
    let mut fields = Vec::new();
    for wire in wires {
        let TypeRef::Named(name) = super::reach::resolve_alias(&api.types, &ty) else { return None };
        let super::TypeKind::Struct { fields: members } = &api.types.get(&name)?.kind else { return None };
        let field = members.iter().find(|f| f.wire_name == *wire)?;
        fields.push(field.rust_name.clone());
        ty = field.ty.clone();
    }
    (super::reach::resolve_alias(&api.types, &ty) == TypeRef::Boolean).then_some(fields)
}

fn is_success(r: &Response) -> bool {
    (100..400).contains(&r.code)
}

/// The wire kind of `op`; `has_type` tells whether a definition exists (for stream items).
pub fn wire_kind(op: &Operation, has_type: &dyn Fn(&str) -> bool) -> WireKind {
    let success: Vec<&Response> = op.responses.iter().filter(|r| is_success(r)).collect();
    let typed = success.iter().find_map(|r| r.ty.clone());
    if let Some(rule) = STREAMING.iter().find(|r| r.operation == op.id) {
        return match rule.kind {
            StreamingKind::JsonStream { item: Some(item) } => {
                let name = type_name(item).filter(|n| has_type(n));
                WireKind::JsonStream(name.map(TypeRef::Named).unwrap_or(TypeRef::Any))
            }
            StreamingKind::JsonStream { item: None } => WireKind::JsonStream(typed.unwrap_or(TypeRef::Any)),
            StreamingKind::Output => WireKind::Output,
            StreamingKind::Hijack => WireKind::Hijack,
            StreamingKind::Upgrade(protocol) => WireKind::Upgrade(protocol),
        };
    }
    let media = |m: &str| success.iter().any(|r| r.media_types.iter().any(|t| t == m));
    if op.method == "HEAD" {
        let has_path_stat = success.iter().any(|r| r.headers.iter().any(|h| h.name == "X-Docker-Container-Path-Stat"));
        return if has_path_stat { WireKind::PathStat } else { WireKind::Headers };
    }
    if media("application/vnd.docker.raw-stream") || media("application/vnd.docker.multiplexed-stream") {
        return WireKind::Output;
    }
    if (media("application/x-tar") || media("application/octet-stream")) && !media("application/json") {
        return WireKind::Bytes;
    }
    if let Some(ty) = typed {
        let some_untyped = success.iter().any(|r| r.ty.is_none() && !r.is_string && r.code != 304);
        return if some_untyped { WireKind::JsonOrEmpty(ty) } else { WireKind::Json(ty) };
    }
    if success.iter().any(|r| r.is_string) {
        return if media("application/json") { WireKind::Json(TypeRef::String) } else { WireKind::Text };
    }
    WireKind::Empty
}

//! Classification of differences, in the spirit of oasdiff, for a client written against the
//! older version: each change gets a stable id, a level and a one-line message.
//!
//! | id | level |
//! |---|---|
//! | `operation-added` | info |
//! | `operation-removed`, `operation-method-changed`, `operation-path-changed` | breaking |
//! | `operation-tags-changed` | info |
//! | `request-parameter-added` | breaking when required, else info |
//! | `request-parameter-removed` | warning |
//! | `request-parameter-type-changed`, `request-parameter-style-changed` | breaking |
//! | `request-parameter-format-changed`, `request-parameter-default-changed` | warning |
//! | `request-parameter-required-changed` | breaking when it became required, else info |
//! | `request-body-added` | breaking when required, else info |
//! | `request-body-removed`, `request-body-media-type-changed` | warning |
//! | `request-body-type-changed` | breaking |
//! | `request-body-required-changed` | breaking when it became required, else info |
//! | `response-added`, `response-headers-changed` | info |
//! | `response-removed`, `response-type-changed` | breaking (warning when an untyped object became a named type) |
//! | `response-media-type-changed` | warning when a media type went away, else info |
//! | `type-added`, `type-promoted` | info |
//! | `type-removed` | warning |
//! | `type-renamed` | warning when the Rust name changed, else info |
//! | `type-kind-changed`, `type-changed` (alias target) | breaking |
//! | `default-changed` (enum default) | warning |
//! | `{request,response}-property-added` (`property-*` for types used by no operation) | breaking for a new required request property, else info |
//! | `response-property-removed` | breaking |
//! | `request-property-removed`, `property-removed` | warning |
//! | `*-property-type-changed` | breaking |
//! | `*-property-enum-introduced` (a string became an enum) | warning |
//! | `*-property-format-changed`, `*-property-default-changed` | warning |
//! | `*-property-required-changed` | breaking when a request property became required, warning when a response property became optional, else info |
//! | `*-property-nullable-changed` | warning when a response property became nullable, else info |
//! | `enum-value-added` | warning for types clients receive, else info |
//! | `enum-value-removed` | breaking for types clients send, else warning |
//! | `description-changed` (descriptions and summaries) | info, listed separately |

use serde_json::Value;

use super::{Entity, Kind, Matrix, Side, State};

pub const DESCRIPTION_CHANGED: &str = "description-changed";

/// How much a change matters to a client written against the older version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Breaking,
    Warning,
    Info,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Breaking, Level::Warning, Level::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// One classified difference between two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: &'static str,
    pub level: Level,
    pub kind: Kind,
    /// Key of the entry in its `matrix.json` section.
    pub key: String,
    /// The attribute that changed; `None` when the entry was added or removed.
    pub attribute: Option<&'static str>,
    pub before: Value,
    pub after: Value,
    pub message: String,
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) => format!("`{s}`"),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string())).collect::<Vec<_>>().join(", "))
        }
        other => format!("`{other}`"),
    }
}

fn info_str<'a>(entity: &'a Entity, key: &str) -> &'a str {
    entity.info.get(key).and_then(Value::as_str).unwrap_or("")
}

/// What the message calls the entry (`` `GET /events` response 200 ``).
fn subject(matrix: &Matrix, entity: &Entity, side: Side) -> String {
    let op = || entity.parent.as_deref().map(|p| matrix.op_label(p)).unwrap_or_default();
    match entity.kind {
        Kind::Operation => format!("`{}` ({})", matrix.op_label(&entity.key), entity.key),
        Kind::Parameter if info_str(entity, "location") == "body" => format!("`{}`: request body", op()),
        Kind::Parameter => format!("`{}`: {} parameter `{}`", op(), info_str(entity, "location"), info_str(entity, "name")),
        Kind::Response => format!("`{}` response {}", op(), entity.info.get("code").map(|c| c.to_string()).unwrap_or_default()),
        Kind::Type => format!("type `{}`", entity.key),
        Kind::Property => format!("{} `{}`", property_prefix(side).replace('-', " "), entity.key),
        Kind::EnumValue => format!("enum `{}` value `{}`", info_str(entity, "type"), entity.info.get("value").map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())).unwrap_or_default()),
    }
}

fn property_prefix(side: Side) -> &'static str {
    if side.response {
        "response-property"
    } else if side.request {
        "request-property"
    } else {
        "property"
    }
}

fn change(id: &'static str, level: Level, entity: &Entity, attribute: Option<&'static str>, before: Value, after: Value, message: String) -> Change {
    Change { id, level, kind: entity.kind, key: entity.key.clone(), attribute, before, after, message }
}

/// Interns the handful of property ids (`response-property-removed`, …).
fn property_id(side: Side, what: &str) -> &'static str {
    const IDS: &[&str] = &[
        "response-property-added",
        "response-property-removed",
        "response-property-type-changed",
        "response-property-enum-introduced",
        "response-property-format-changed",
        "response-property-required-changed",
        "response-property-nullable-changed",
        "response-property-default-changed",
        "request-property-added",
        "request-property-removed",
        "request-property-type-changed",
        "request-property-enum-introduced",
        "request-property-format-changed",
        "request-property-required-changed",
        "request-property-nullable-changed",
        "request-property-default-changed",
        "property-added",
        "property-removed",
        "property-type-changed",
        "property-enum-introduced",
        "property-format-changed",
        "property-required-changed",
        "property-nullable-changed",
        "property-default-changed",
    ];
    let wanted = format!("{}-{what}", property_prefix(side));
    IDS.iter().find(|id| **id == wanted).copied().unwrap_or("property-changed")
}

/// An entry that one side has and the other lacks.
pub fn presence(matrix: &Matrix, entity: &Entity, added: bool, side: Side, state: Option<&State>) -> Option<Change> {
    let what = subject(matrix, entity, side);
    let get = |k: &str| state.and_then(|s| s.get(k)).cloned().unwrap_or(Value::Null);
    let required = get("required").as_bool().unwrap_or(false);
    let (id, level, message) = match (entity.kind, added) {
        (Kind::Operation, true) => ("operation-added", Level::Info, format!("{what} added")),
        (Kind::Operation, false) => ("operation-removed", Level::Breaking, format!("{what} removed")),
        (Kind::Parameter, _) if info_str(entity, "location") == "body" => {
            if added {
                ("request-body-added", if required { Level::Breaking } else { Level::Info }, format!("{what} added ({})", if required { "required" } else { "optional" }))
            } else {
                ("request-body-removed", Level::Warning, format!("{what} removed"))
            }
        }
        (Kind::Parameter, true) => (
            "request-parameter-added",
            if required { Level::Breaking } else { Level::Info },
            format!("{what} added ({}, {})", if required { "required" } else { "optional" }, show(&get("type"))),
        ),
        (Kind::Parameter, false) => ("request-parameter-removed", Level::Warning, format!("{what} removed")),
        (Kind::Response, true) => ("response-added", Level::Info, format!("{what} added")),
        (Kind::Response, false) => ("response-removed", Level::Breaking, format!("{what} removed")),
        (Kind::Type, _) => {
            // Inline types come and go with the property or operation that holds them.
            if get("origin").as_str() != Some("definition") {
                return None;
            }
            if added {
                ("type-added", Level::Info, format!("{what} added"))
            } else {
                ("type-removed", Level::Warning, format!("{what} removed"))
            }
        }
        (Kind::Property, true) => {
            let level = if side.request && required { Level::Breaking } else { Level::Info };
            let detail = format!("{}{}", show(&get("type")), if required { ", required" } else { "" });
            (property_id(side, "added"), level, format!("{what} added ({detail})"))
        }
        (Kind::Property, false) => {
            let level = if side.response { Level::Breaking } else { Level::Warning };
            (property_id(side, "removed"), level, format!("{what} removed"))
        }
        (Kind::EnumValue, true) => {
            let level = if side.response { Level::Warning } else { Level::Info };
            ("enum-value-added", level, format!("{what} added"))
        }
        (Kind::EnumValue, false) => {
            let level = if side.request { Level::Breaking } else { Level::Warning };
            ("enum-value-removed", level, format!("{what} removed"))
        }
    };
    let (before, after) = if added { (Value::Null, Value::Bool(true)) } else { (Value::Bool(true), Value::Null) };
    Some(change(id, level, entity, None, before, after, message))
}

fn is_enum_type(matrix: &Matrix, spelled: &Value) -> bool {
    spelled
        .as_str()
        .and_then(|key| matrix.get(Kind::Type, key))
        .is_some_and(|t| matches!(t.info.get("kind").and_then(Value::as_str), Some("string-enum")))
}

/// Every attribute that differs between two states of one entry.
pub fn attributes(matrix: &Matrix, entity: &Entity, a: &State, b: &State, side: Side) -> Vec<Change> {
    let what = subject(matrix, entity, side);
    let null = Value::Null;
    let mut out = Vec::new();
    let mut keys: Vec<&'static str> = a.keys().chain(b.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    for attribute in keys {
        let (x, y) = (a.get(attribute).unwrap_or(&null), b.get(attribute).unwrap_or(&null));
        if x == y {
            continue;
        }
        let became = |v: &Value| v.as_bool().unwrap_or(false);
        let arrow = format!("{} → {}", show(x), show(y));
        let push = |out: &mut Vec<Change>, id: &'static str, level: Level, message: String| {
            out.push(change(id, level, entity, Some(attribute), x.clone(), y.clone(), message));
        };
        // A parameter that became an array is one change, not also an encoding change.
        if attribute == "style" && a.get("type") != b.get("type") {
            continue;
        }
        if attribute == "description" || attribute == "summary" {
            push(&mut out, DESCRIPTION_CHANGED, Level::Info, format!("{what}: {attribute} changed"));
            continue;
        }
        match (entity.kind, attribute) {
            (Kind::Operation, "method") => push(&mut out, "operation-method-changed", Level::Breaking, format!("{what}: method {arrow}")),
            (Kind::Operation, "path") => push(&mut out, "operation-path-changed", Level::Breaking, format!("{what}: path {arrow}")),
            (Kind::Operation, _) => push(&mut out, "operation-tags-changed", Level::Info, format!("{what}: {attribute} {arrow}")),
            (Kind::Parameter, _) if info_str(entity, "location") == "body" => match attribute {
                "type" => push(&mut out, "request-body-type-changed", Level::Breaking, format!("{what}: type {arrow}")),
                "media_types" => push(&mut out, "request-body-media-type-changed", Level::Warning, format!("{what}: media types {arrow}")),
                _ => {
                    let level = if became(y) { Level::Breaking } else { Level::Info };
                    push(&mut out, "request-body-required-changed", level, format!("{what}: {}", if became(y) { "now required" } else { "now optional" }))
                }
            },
            (Kind::Parameter, "type") => push(&mut out, "request-parameter-type-changed", Level::Breaking, format!("{what}: type {arrow}")),
            (Kind::Parameter, "style") => {
                push(&mut out, "request-parameter-style-changed", Level::Breaking, format!("{what}: array encoding {arrow}"))
            }
            (Kind::Parameter, "format") => push(&mut out, "request-parameter-format-changed", Level::Warning, format!("{what}: format {arrow}")),
            (Kind::Parameter, "default") => push(&mut out, "request-parameter-default-changed", Level::Warning, format!("{what}: default {arrow}")),
            (Kind::Parameter, _) => {
                let level = if became(y) { Level::Breaking } else { Level::Info };
                push(&mut out, "request-parameter-required-changed", level, format!("{what}: {}", if became(y) { "now required" } else { "now optional" }))
            }
            (Kind::Response, "type") => {
                if matches!(x.as_str(), Some("Map<String, Value>" | "Value")) && y.as_str().is_some_and(|t| matrix.get(Kind::Type, t).is_some()) {
                    // Same JSON, now described: code using the untyped value has to change.
                    push(&mut out, "response-type-changed", Level::Warning, format!("{what}: untyped object now typed as {}", show(y)))
                } else {
                    push(&mut out, "response-type-changed", Level::Breaking, format!("{what}: type {arrow}"))
                }
            }
            (Kind::Response, "media_types") => {
                let lost = x.as_array().is_some_and(|old| old.iter().any(|m| !y.as_array().is_some_and(|new| new.contains(m))));
                let level = if lost { Level::Warning } else { Level::Info };
                push(&mut out, "response-media-type-changed", level, format!("{what}: media types {arrow}"))
            }
            (Kind::Response, _) => push(&mut out, "response-headers-changed", Level::Info, format!("{what}: headers {arrow}")),
            (Kind::Type, "name") => {
                let rust_changed = a.get("rust_name") != b.get("rust_name");
                let promoted = a.get("origin") != b.get("origin") && b.get("origin").and_then(Value::as_str) == Some("definition");
                let level = if rust_changed { Level::Warning } else { Level::Info };
                let note = if promoted { " (inline schema promoted to a definition)" } else { "" };
                push(&mut out, "type-renamed", level, format!("type {} renamed to {}{note}", show(x), show(y)))
            }
            (Kind::Type, "rust_name") => {
                if a.get("name") == b.get("name") {
                    push(&mut out, "type-renamed", Level::Warning, format!("{what}: Rust name {arrow}"))
                }
            }
            (Kind::Type, "origin") => {
                if a.get("name") == b.get("name") {
                    let id = if became_definition(y) { "type-promoted" } else { "type-inlined" };
                    let message = if became_definition(y) {
                        format!("{what}: inline schema promoted to a definition")
                    } else {
                        format!("{what}: definition replaced by an inline schema")
                    };
                    push(&mut out, id, Level::Info, message)
                }
            }
            (Kind::Type, "kind") => push(&mut out, "type-kind-changed", Level::Breaking, format!("{what}: kind {arrow}")),
            (Kind::Type, "target") => push(&mut out, "type-changed", Level::Breaking, format!("{what}: {arrow}")),
            (Kind::Type, _) => push(&mut out, "default-changed", Level::Warning, format!("{what}: default {arrow}")),
            (Kind::Property, "type") => {
                if x.as_str() == Some("String") && is_enum_type(matrix, y) {
                    push(&mut out, property_id(side, "enum-introduced"), Level::Warning, format!("{what}: string became enum {}", show(y)))
                } else {
                    push(&mut out, property_id(side, "type-changed"), Level::Breaking, format!("{what}: type {arrow}"))
                }
            }
            (Kind::Property, "format") => push(&mut out, property_id(side, "format-changed"), Level::Warning, format!("{what}: format {arrow}")),
            (Kind::Property, "required") => {
                let level = if side.request && became(y) {
                    Level::Breaking
                } else if side.response && !became(y) {
                    Level::Warning
                } else {
                    Level::Info
                };
                push(&mut out, property_id(side, "required-changed"), level, format!("{what}: {}", if became(y) { "now required" } else { "now optional" }))
            }
            (Kind::Property, "nullable") => {
                let level = if side.response && became(y) { Level::Warning } else { Level::Info };
                push(&mut out, property_id(side, "nullable-changed"), level, format!("{what}: {}", if became(y) { "now nullable" } else { "no longer nullable" }))
            }
            (Kind::Property, _) => {
                let level = if side.request { Level::Warning } else { Level::Info };
                push(&mut out, property_id(side, "default-changed"), level, format!("{what}: default {arrow}"))
            }
            (Kind::EnumValue, _) => {}
        }
    }
    out
}

fn became_definition(v: &Value) -> bool {
    v.as_str() == Some("definition")
}

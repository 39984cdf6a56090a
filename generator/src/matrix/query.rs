//! `cargo xtask matrix QUERY`: when did something appear, disappear or change.
//!
//! A query is one of:
//! - `METHOD /path` (`GET /containers/{id}/stats`), optionally followed by a parameter name
//!   (`GET /containers/{id}/stats one-shot`) or `body`;
//! - an operationId (`ContainerStats`), optionally followed by a parameter name;
//! - a key of `matrix.json` (`NetworkSettings.IPAddress`, `MountType=cluster`,
//!   `ContainerStats query:one-shot`, `SystemEvents 200`, `VolumeCreateRequest`); a property
//!   path may start with an older name of its type (`VolumeCreateOptions.Driver`);
//! - otherwise, a case-insensitive substring of keys: the matches are listed.
//!
//! Place in the pipeline: beside the reports (step 4), reading the built matrix.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Attribute, Entity, Info, Kind, Location, Matrix, State};

/// The attributes shown for the newest state of an entry, in this order.
const SHOWN: [Attribute; 7] = [
    Attribute::Type,
    Attribute::Required,
    Attribute::Nullable,
    Attribute::Format,
    Attribute::Default,
    Attribute::MediaTypes,
    Attribute::Deprecated,
];

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"];
/// At most this many substring matches are listed.
pub const MAX_MATCHES: usize = 40;

fn version_at(matrix: &Matrix, index: Option<usize>) -> Option<String> {
    index.and_then(|i| matrix.versions.get(i)).map(|v| v.version.to_string())
}

fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    };
    let line = text.lines().next().unwrap_or("").to_string();
    if line.chars().count() > 70 || text.lines().count() > 1 {
        format!("{}…", line.chars().take(70).collect::<String>())
    } else {
        line
    }
}

/// One line: `since 1.41` / `since 1.40 (the oldest version here), removed in 1.52`.
pub fn lifetime(matrix: &Matrix, entity: &Entity) -> String {
    let added = entity.added_index();
    let mut out = match version_at(matrix, added) {
        Some(v) if added == Some(0) => format!("since {v} (the oldest version here)"),
        Some(v) => format!("since {v}"),
        None => "in no version".into(),
    };
    if let Some(removed) = version_at(matrix, entity.removed_index()) {
        let _ = write!(out, ", removed in {removed}");
    }
    out
}

fn describe(matrix: &Matrix, entity: &Entity) -> String {
    let mut out = String::new();
    let what = match &entity.info {
        Info::Parameter { operation, location: Location::Body, .. } => {
            format!("request body of {operation} ({})", matrix.op_label(operation))
        }
        Info::Parameter { operation, location, name } => {
            format!("{} parameter `{name}` of {operation} ({})", location.name(), matrix.op_label(operation))
        }
        Info::Operation { .. } => format!("operation {} ({})", entity.key, matrix.op_label(&entity.key)),
        Info::Response { operation, code } => {
            format!("response {code} of {operation} ({})", matrix.op_label(operation))
        }
        Info::Header { response, name, .. } => format!("header `{name}` of response {response}"),
        Info::Type { .. } | Info::Property { .. } | Info::EnumValue { .. } => {
            format!("{} {}", entity.kind().as_str(), entity.key)
        }
    };
    let _ = writeln!(out, "{what}: {}", lifetime(matrix, entity));
    let latest = entity.states.iter().rev().flatten().next();
    if let Some(state) = latest {
        let facts = state.facts();
        for attribute in SHOWN {
            if let Some((_, fact)) = facts.iter().find(|(a, fact)| *a == attribute && !fact.is_null()) {
                let _ = writeln!(out, "  {attribute}: {}", short(&fact.to_json()));
            }
        }
    }
    let history = entity.history(&matrix.version_list());
    if !history.is_empty() {
        let _ = writeln!(out, "  changes:");
        for c in history {
            let _ = writeln!(out, "    {} {}: {} -> {}", c.version, c.attribute, short(&c.before), short(&c.after));
        }
    }
    out
}

fn find_key<'m>(matrix: &'m Matrix, key: &str) -> Vec<&'m Entity> {
    Kind::ALL.iter().filter_map(|k| matrix.get(*k, key)).collect()
}

/// Resolves a property path written with an older name of its type.
fn via_old_type_name<'m>(matrix: &'m Matrix, query: &str) -> Option<&'m Entity> {
    for ty in matrix.entities.values().filter(|e| e.kind() == Kind::Type) {
        for state in ty.states.iter().flatten() {
            let State::Type(state) = state else { continue };
            for name in [&state.name, &state.rust_name] {
                if let Some(rest) = query.strip_prefix(name).and_then(|r| r.strip_prefix('.')) {
                    if let Some(e) = matrix.get(Kind::Property, &format!("{}.{rest}", ty.key)) {
                        return Some(e);
                    }
                }
            }
        }
    }
    None
}

fn operation_param<'m>(matrix: &'m Matrix, op: &str, param: Option<&str>) -> Result<Vec<&'m Entity>, String> {
    let Some(param) = param else {
        return Ok(matrix.get(Kind::Operation, op).into_iter().collect());
    };
    let found: Vec<&Entity> = matrix
        .entities
        .values()
        .filter(|e| match &e.info {
            Info::Parameter { operation, location, name } if operation == op => {
                name.eq_ignore_ascii_case(param) || (*location == Location::Body && param.eq_ignore_ascii_case("body"))
            }
            _ => false,
        })
        .collect();
    if found.is_empty() {
        let names: Vec<String> = matrix
            .entities
            .values()
            .filter(|e| e.kind() == Kind::Parameter && e.parent() == Some(op))
            .map(|e| e.key.split_once(' ').map(|(_, w)| w.to_string()).unwrap_or_default())
            .collect();
        return Err(format!("{op} has no parameter `{param}` in any version; it has: {}", names.join(", ")));
    }
    Ok(found)
}

/// Answers a query; `Err` when nothing matches.
pub fn answer(matrix: &Matrix, query: &str) -> Result<String, String> {
    let query = query.trim();
    if query.is_empty() {
        return Err("empty query".into());
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut found: Vec<&Entity> = Vec::new();

    if let [method, path, rest @ ..] = words.as_slice() {
        if METHODS.iter().any(|m| m.eq_ignore_ascii_case(method)) && path.starts_with('/') {
            let op = matrix.entities.values().find(|e| {
                matches!(&e.info, Info::Operation { method: m, path: p, .. } if m.eq_ignore_ascii_case(method) && p == path)
            });
            let Some(op) = op else {
                return Err(format!("no operation {} {path} in any version", method.to_uppercase()));
            };
            found = operation_param(matrix, &op.key, rest.first().copied())?;
        }
    }
    if found.is_empty() {
        found = find_key(matrix, query);
    }
    if found.is_empty() {
        if let [op, rest @ ..] = words.as_slice() {
            let op_entity =
                matrix.entities.values().find(|e| e.kind() == Kind::Operation && e.key.eq_ignore_ascii_case(op));
            if let Some(op_entity) = op_entity {
                found = operation_param(matrix, &op_entity.key, rest.first().copied())?;
            }
        }
    }
    if found.is_empty() {
        found.extend(via_old_type_name(matrix, query));
    }
    if found.is_empty() {
        found = matrix.entities.values().filter(|e| e.key.eq_ignore_ascii_case(query)).collect();
    }
    if !found.is_empty() {
        return Ok(found.iter().map(|e| describe(matrix, e)).collect::<Vec<_>>().join("\n"));
    }

    let needle = query.to_lowercase();
    let matches: Vec<&Entity> = matrix.entities.values().filter(|e| e.key.to_lowercase().contains(&needle)).collect();
    if matches.is_empty() {
        return Err(format!("nothing in the matrix matches `{query}`"));
    }
    let mut out = format!("{} entries match `{query}`", matches.len());
    if matches.len() > MAX_MATCHES {
        let _ = write!(out, " (first {MAX_MATCHES} shown)");
    }
    out.push_str(":\n");
    for e in matches.iter().take(MAX_MATCHES) {
        let _ = writeln!(out, "  {:<10} {:<60} {}", e.kind().as_str(), e.key, lifetime(matrix, e));
    }
    Ok(out)
}

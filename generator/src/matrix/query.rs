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

use std::fmt::Write as _;

use serde_json::Value;

use super::{Entity, Kind, Matrix};

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
    let what = match entity.kind {
        Kind::Parameter => {
            let op = entity.parent.as_deref().unwrap_or("");
            let location = entity.info.get("location").and_then(Value::as_str).unwrap_or("");
            let name = entity.info.get("name").and_then(Value::as_str).unwrap_or("");
            if location == "body" {
                format!("request body of {op} ({})", matrix.op_label(op))
            } else {
                format!("{location} parameter `{name}` of {op} ({})", matrix.op_label(op))
            }
        }
        Kind::Operation => format!("operation {} ({})", entity.key, matrix.op_label(&entity.key)),
        Kind::Response => {
            let op = entity.parent.as_deref().unwrap_or("");
            format!("response {} of {op} ({})", entity.info.get("code").map(|c| c.to_string()).unwrap_or_default(), matrix.op_label(op))
        }
        kind => format!("{} {}", kind.as_str(), entity.key),
    };
    let _ = writeln!(out, "{what}: {}", lifetime(matrix, entity));
    let latest = entity.states.iter().rev().flatten().next();
    if let Some(state) = latest {
        for attribute in ["type", "required", "nullable", "format", "default", "media_types"] {
            if let Some(value) = state.get(attribute).filter(|v| !v.is_null()) {
                let _ = writeln!(out, "  {attribute}: {}", short(value));
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
    for ty in matrix.entities.values().filter(|e| e.kind == Kind::Type) {
        for state in ty.states.iter().flatten() {
            for name in ["name", "rust_name"].iter().filter_map(|k| state.get(k).and_then(Value::as_str)) {
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
        .filter(|e| e.kind == Kind::Parameter && e.parent.as_deref() == Some(op))
        .filter(|e| {
            let name = e.info.get("name").and_then(Value::as_str).unwrap_or("");
            let location = e.info.get("location").and_then(Value::as_str).unwrap_or("");
            name.eq_ignore_ascii_case(param) || (location == "body" && param.eq_ignore_ascii_case("body"))
        })
        .collect();
    if found.is_empty() {
        let names: Vec<String> = matrix
            .entities
            .values()
            .filter(|e| e.kind == Kind::Parameter && e.parent.as_deref() == Some(op))
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
                e.kind == Kind::Operation
                    && e.info.get("method").and_then(Value::as_str).is_some_and(|m| m.eq_ignore_ascii_case(method))
                    && e.info.get("path").and_then(Value::as_str) == Some(*path)
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
            let op_entity = matrix.entities.values().find(|e| e.kind == Kind::Operation && e.key.eq_ignore_ascii_case(op));
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
        let _ = writeln!(out, "  {:<10} {:<60} {}", e.kind.as_str(), e.key, lifetime(matrix, e));
    }
    Ok(out)
}

//! `generated/matrix.json`: the matrix as a published interface (see `README.md` and
//! `matrix.schema.json` beside this file).

use serde_json::{Map, Value};

use super::{Change, Diff, Entity, Kind, Level, Matrix, FORMAT_VERSION};

fn version_value(matrix: &Matrix, index: Option<usize>) -> Value {
    index.and_then(|i| matrix.versions.get(i)).map(|v| Value::String(v.version.to_string())).unwrap_or(Value::Null)
}

/// One entry: its descriptive facts, `added`, `removed` and `changes`.
pub fn entity_value(matrix: &Matrix, entity: &Entity) -> Value {
    let versions = matrix.version_list();
    let mut out = Map::new();
    for (k, v) in &entity.info {
        out.insert((*k).to_string(), v.clone());
    }
    out.insert("added".into(), version_value(matrix, entity.added_index()));
    out.insert("removed".into(), version_value(matrix, entity.removed_index()));
    if entity.kind == Kind::Type {
        let mut names = Vec::new();
        let mut last: Option<(Value, Value, Value)> = None;
        for (vi, state) in entity.states.iter().enumerate() {
            let Some(state) = state else { continue };
            let get = |k: &str| state.get(k).cloned().unwrap_or(Value::Null);
            let current = (get("name"), get("rust_name"), get("origin"));
            if last.as_ref() != Some(&current) {
                let mut name = Map::new();
                name.insert("since".into(), version_value(matrix, Some(vi)));
                name.insert("name".into(), current.0.clone());
                name.insert("rust_name".into(), current.1.clone());
                name.insert("origin".into(), current.2.clone());
                names.push(Value::Object(name));
                last = Some(current);
            }
        }
        out.insert("names".into(), Value::Array(names));
    }
    let changes = entity
        .history(&versions)
        .into_iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("version".into(), Value::String(c.version.to_string()));
            m.insert("attribute".into(), Value::String(c.attribute.to_string()));
            m.insert("before".into(), c.before);
            m.insert("after".into(), c.after);
            Value::Object(m)
        })
        .collect();
    out.insert("changes".into(), Value::Array(changes));
    Value::Object(out)
}

/// One classified change. `with_values: false` leaves out `before`/`after` (used for
/// description changes, whose text is in the entry's history).
pub fn change_value(change: &Change, with_values: bool) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::String(change.id.to_string()));
    m.insert("level".into(), Value::String(change.level.as_str().to_string()));
    m.insert("kind".into(), Value::String(change.kind.as_str().to_string()));
    m.insert("key".into(), Value::String(change.key.clone()));
    m.insert("attribute".into(), change.attribute.map(|a| Value::String(a.to_string())).unwrap_or(Value::Null));
    if with_values {
        m.insert("before".into(), change.before.clone());
        m.insert("after".into(), change.after.clone());
    }
    m.insert("message".into(), Value::String(change.message.clone()));
    Value::Object(m)
}

/// A diff between two versions as JSON (also `cargo xtask diff --format json`).
pub fn diff_value(diff: &Diff) -> Value {
    let mut summary = Map::new();
    for level in Level::ALL {
        summary.insert(level.as_str().to_string(), Value::from(diff.count(level)));
    }
    summary.insert("descriptions".into(), Value::from(diff.descriptions.len()));
    let mut m = Map::new();
    m.insert("from".into(), Value::String(diff.from.to_string()));
    m.insert("to".into(), Value::String(diff.to.to_string()));
    m.insert("summary".into(), Value::Object(summary));
    m.insert("changes".into(), Value::Array(diff.changes.iter().map(|c| change_value(c, true)).collect()));
    m.insert("description_changes".into(), Value::Array(diff.descriptions.iter().map(|c| change_value(c, false)).collect()));
    Value::Object(m)
}

/// The whole `matrix.json` document.
pub fn matrix_value(matrix: &Matrix, pairs: &[Diff]) -> Value {
    let mut root = Map::new();
    root.insert("format_version".into(), Value::from(FORMAT_VERSION));
    root.insert(
        "generated_by".into(),
        Value::String("docker-engine-codegen (`cargo xtask regen`) from the Docker Engine API specs; do not edit".into()),
    );
    let versions = matrix
        .versions
        .iter()
        .map(|v| {
            let mut m = Map::new();
            m.insert("version".into(), Value::String(v.version.to_string()));
            m.insert("spec_file".into(), Value::String(v.spec_file.clone()));
            m.insert("sha256".into(), Value::String(v.sha256.clone()));
            m.insert("operations".into(), Value::from(v.operations));
            m.insert("types".into(), Value::from(v.types));
            Value::Object(m)
        })
        .collect();
    root.insert("versions".into(), Value::Array(versions));
    for kind in Kind::ALL {
        let section: Map<String, Value> = matrix
            .entities
            .values()
            .filter(|e| e.kind == kind)
            .map(|e| (e.key.clone(), entity_value(matrix, e)))
            .collect();
        root.insert(kind.section().into(), Value::Object(section));
    }
    root.insert("pairs".into(), Value::Array(pairs.iter().map(diff_value).collect()));
    Value::Object(root)
}

/// `matrix.json` text (pretty, newline-terminated).
pub fn matrix_json(matrix: &Matrix, pairs: &[Diff]) -> String {
    let mut text = serde_json::to_string_pretty(&matrix_value(matrix, pairs)).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

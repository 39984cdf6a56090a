//! `generated/matrix.json`: the matrix as a published interface (see `README.md` and
//! `matrix.schema.json` beside this file).
//!
//! Place in the pipeline: step 4, a report; the serialization boundary where the typed entries,
//! states and changes become JSON.

use serde_json::{Map, Value};

use super::{
    side_names, Attribute, Audience, Change, Diff, Entity, Info, Kind, Level, Matrix, State, Uses, FORMAT_VERSION,
};

fn version_value(matrix: &Matrix, index: Option<usize>) -> Value {
    index.and_then(|i| matrix.versions.get(i)).map(|v| Value::String(v.version.to_string())).unwrap_or(Value::Null)
}

/// What an entry is, as the first keys of its object (in name order).
fn info_fields(info: &Info, out: &mut Map<String, Value>) {
    let text = |s: &str| Value::String(s.to_string());
    let fields: Vec<(&str, Value)> = match info {
        Info::Operation { method, path, tags } => {
            vec![("method", text(method)), ("path", text(path)), ("tags", tags.iter().map(|t| text(t)).collect())]
        }
        Info::Parameter { operation, location, name } => {
            vec![("location", text(location.name())), ("name", text(name)), ("operation", text(operation))]
        }
        Info::Response { operation, code } => vec![("code", Value::from(*code)), ("operation", text(operation))],
        Info::Header { operation, response, name } => {
            vec![("name", text(name)), ("operation", text(operation)), ("response", text(response))]
        }
        Info::Type { kind } => vec![("kind", text(kind.name()))],
        Info::Property { owner, name } => vec![("name", text(name)), ("type", text(owner))],
        Info::EnumValue { owner, value } => vec![("type", text(owner)), ("value", value.to_json())],
    };
    for (key, value) in fields {
        out.insert(key.to_string(), value);
    }
}

/// A type's `names`: each name it has had (with its Rust name and origin) and since when.
fn type_names(matrix: &Matrix, entity: &Entity) -> Value {
    let mut names = Vec::new();
    let mut last = None;
    for (vi, state) in entity.states.iter().enumerate() {
        let Some(State::Type(state)) = state else { continue };
        let current = (&state.name, &state.rust_name, state.origin);
        if last != Some(current) {
            let mut name = Map::new();
            name.insert("since".into(), version_value(matrix, Some(vi)));
            name.insert("name".into(), Value::String(state.name.clone()));
            name.insert("rust_name".into(), Value::String(state.rust_name.clone()));
            name.insert("origin".into(), Value::String(state.origin.name().to_string()));
            names.push(Value::Object(name));
            last = Some(current);
        }
    }
    Value::Array(names)
}

/// Operation id → the sides (`request`, `response`) it uses something on.
pub fn uses_value(uses: &Uses) -> Value {
    let sides = |side| side_names(side).into_iter().map(|s| Value::String(s.to_string())).collect();
    Value::Object(uses.iter().map(|(op, side)| (op.clone(), sides(*side))).collect())
}

/// `{since, note}` of the deprecation the newest version that has the entry states, since the
/// first version of the run of versions that state one; `null` when it states none.
fn deprecation_value(matrix: &Matrix, entity: &Entity) -> Value {
    let note_at = |vi: usize| {
        entity.state(vi).and_then(|s| s.facts().into_iter().find(|(a, _)| *a == Attribute::Deprecated)).map(|f| f.1)
    };
    let Some(last) = entity.states.iter().rposition(Option::is_some) else { return Value::Null };
    let Some(note) = note_at(last).filter(|n| !n.is_null()) else { return Value::Null };
    let since = (0..=last).rev().take_while(|vi| note_at(*vi).is_some_and(|n| !n.is_null())).last().unwrap_or(last);
    let mut m = Map::new();
    m.insert("since".into(), version_value(matrix, Some(since)));
    m.insert("note".into(), note.to_json());
    Value::Object(m)
}

/// One entry: what it is, `added`, `removed`, `deprecated`, a type's `names` and
/// `operations`, and `changes`.
pub fn entity_value(matrix: &Matrix, entity: &Entity) -> Value {
    let versions = matrix.version_list();
    let mut out = Map::new();
    info_fields(&entity.info, &mut out);
    out.insert("added".into(), version_value(matrix, entity.added_index()));
    out.insert("removed".into(), version_value(matrix, entity.removed_index()));
    if !matches!(entity.info, Info::Response { .. } | Info::EnumValue { .. }) {
        out.insert("deprecated".into(), deprecation_value(matrix, entity));
    }
    if let Info::Type { .. } = entity.info {
        out.insert("names".into(), type_names(matrix, entity));
        out.insert("operations".into(), uses_value(&matrix.users_ever(&entity.key)));
    }
    let changes = entity
        .history(&versions)
        .into_iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("version".into(), Value::String(c.version.to_string()));
            m.insert("attribute".into(), Value::String(c.attribute.name().to_string()));
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
    m.insert("id".into(), Value::String(change.id.as_str().to_string()));
    m.insert("level".into(), Value::String(change.level.as_str().to_string()));
    m.insert("wire".into(), Value::String(change.wire.as_str().to_string()));
    m.insert("rust".into(), Value::String(change.rust.as_str().to_string()));
    m.insert("kind".into(), Value::String(change.kind.as_str().to_string()));
    m.insert("key".into(), Value::String(change.key.clone()));
    m.insert("attribute".into(), change.attribute.map(|a| Value::String(a.name().to_string())).unwrap_or(Value::Null));
    if with_values {
        m.insert("before".into(), change.before.clone());
        m.insert("after".into(), change.after.clone());
    }
    m.insert("message".into(), Value::String(change.message.clone()));
    m.insert("operations".into(), uses_value(&change.operations));
    Value::Object(m)
}

/// A diff between two versions as JSON (also `cargo xtask diff --format json`).
pub fn diff_value(diff: &Diff) -> Value {
    let mut summary = Map::new();
    for level in Level::ALL {
        summary.insert(level.as_str().to_string(), Value::from(diff.count(level)));
    }
    summary.insert("descriptions".into(), Value::from(diff.descriptions.len()));
    summary.insert("deprecations".into(), Value::from(diff.deprecations.len()));
    for (name, audience) in [("wire", Audience::Wire), ("rust", Audience::Rust)] {
        let counts: Map<String, Value> =
            Level::ALL.iter().map(|l| (l.as_str().to_string(), Value::from(diff.count_for(audience, *l)))).collect();
        summary.insert(name.into(), Value::Object(counts));
    }
    let mut m = Map::new();
    m.insert("from".into(), Value::String(diff.from.to_string()));
    m.insert("to".into(), Value::String(diff.to.to_string()));
    m.insert("summary".into(), Value::Object(summary));
    m.insert("changes".into(), Value::Array(diff.changes.iter().map(|c| change_value(c, true)).collect()));
    m.insert(
        "description_changes".into(),
        Value::Array(diff.descriptions.iter().map(|c| change_value(c, false)).collect()),
    );
    m.insert("deprecations".into(), Value::Array(diff.deprecations.iter().map(|c| change_value(c, true)).collect()));
    Value::Object(m)
}

/// The whole `matrix.json` document.
pub fn matrix_value(matrix: &Matrix, pairs: &[Diff]) -> Value {
    let mut root = Map::new();
    root.insert("format_version".into(), Value::from(FORMAT_VERSION));
    root.insert(
        "generated_by".into(),
        Value::String(
            "docker-engine-codegen (`cargo xtask regen`) from the Docker Engine API specs; do not edit".into(),
        ),
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
            .filter(|e| e.kind() == kind)
            .map(|e| (e.key.clone(), entity_value(matrix, e)))
            .collect();
        root.insert(kind.section().into(), Value::Object(section));
    }
    root.insert("pairs".into(), Value::Array(pairs.iter().map(diff_value).collect()));
    Value::Object(root)
}

/// `matrix.json` text (pretty, newline-terminated).
pub fn matrix_json(matrix: &Matrix, pairs: &[Diff]) -> String {
    let mut text = serde_json::to_string_pretty(&matrix_value(matrix, pairs))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

//! The version matrix: for every operation, parameter, response, type, property and enum value,
//! the first version that has it, the first that no longer has it, and every change in
//! between — computed from the IRs of all versions (never from generated code).
//!
//! [`Matrix::build`] lines the versions up; [`Matrix::diff`] compares any two of them and
//! [`classify`] gives each difference a stable id, a level and a message. The reports
//! (`generated/matrix.json`, `MATRIX.md`, `diffs/*.md`, `report.html`) come from
//! [`report_files`]. The JSON format is documented in `README.md` beside this file.

pub mod classify;
pub mod html;
pub mod json;
pub mod markdown;
pub mod query;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::ir::{Api, ArrayStyle, Origin, ParamLocation, TypeKind, TypeRef};
use crate::lineage::Lineage;
use crate::version::ApiVersion;

pub use classify::{Change, Level};

/// Version of the `matrix.json` format. Bumped when a key is removed or changes meaning;
/// adding keys does not bump it.
pub const FORMAT_VERSION: u64 = 1;

/// The JSON Schema of `matrix.json`, also written to `generated/matrix.schema.json`.
pub const MATRIX_SCHEMA: &str = include_str!("matrix.schema.json");

/// What an entry of the matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Operation,
    Parameter,
    Response,
    Type,
    Property,
    EnumValue,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::Operation, Kind::Parameter, Kind::Response, Kind::Type, Kind::Property, Kind::EnumValue];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::Response => "response",
            Kind::Type => "type",
            Kind::Property => "property",
            Kind::EnumValue => "enum-value",
        }
    }

    /// The key of this kind's map in `matrix.json`.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Operation => "operations",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::Type => "types",
            Kind::Property => "properties",
            Kind::EnumValue => "enum_values",
        }
    }
}

/// The facts about one entry at one version (`type`, `required`, `description`, …).
pub type State = BTreeMap<&'static str, Value>;

/// Whether a type is sent by clients, received by them, or both (in one version).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Side {
    pub request: bool,
    pub response: bool,
}

/// One entry of the matrix and its state in every version.
#[derive(Debug, Clone)]
pub struct Entity {
    pub kind: Kind,
    pub key: String,
    /// The enclosing entry: the operation of a parameter or response, the type of a property
    /// or enum value.
    pub parent: Option<String>,
    /// Descriptive facts from the newest version that has the entry.
    pub info: BTreeMap<&'static str, Value>,
    /// Index = version index; `None` where the version lacks the entry.
    pub states: Vec<Option<State>>,
    /// Index = version index; for types, properties and enum values.
    pub sides: Vec<Side>,
}

/// One change of one attribute between two consecutive versions.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeChange {
    pub version: ApiVersion,
    /// `present` when the entry comes back after a gap or goes away before its last version.
    pub attribute: &'static str,
    pub before: Value,
    pub after: Value,
}

impl Entity {
    fn present(&self, vi: usize) -> bool {
        self.states.get(vi).is_some_and(Option::is_some)
    }

    /// Index of the first version that has the entry.
    pub fn added_index(&self) -> Option<usize> {
        self.states.iter().position(Option::is_some)
    }

    /// Index of the first version after the last one that has the entry (`None`: still there).
    pub fn removed_index(&self) -> Option<usize> {
        let last = self.states.iter().rposition(Option::is_some)?;
        (last + 1 < self.states.len()).then_some(last + 1)
    }

    /// Every change between consecutive versions, oldest first.
    pub fn history(&self, versions: &[ApiVersion]) -> Vec<AttributeChange> {
        let mut out = Vec::new();
        let (Some(first), last) = (self.added_index(), self.states.iter().rposition(Option::is_some).unwrap_or(0)) else {
            return out;
        };
        for vi in first + 1..=last {
            let (Some(version), Some(before), Some(after)) = (versions.get(vi), self.states.get(vi - 1), self.states.get(vi)) else {
                continue;
            };
            match (before, after) {
                (Some(a), Some(b)) => {
                    for attribute in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
                        let (x, y) = (a.get(attribute).unwrap_or(&Value::Null), b.get(attribute).unwrap_or(&Value::Null));
                        if x != y {
                            out.push(AttributeChange { version: *version, attribute, before: x.clone(), after: y.clone() });
                        }
                    }
                }
                (Some(_), None) | (None, Some(_)) => out.push(AttributeChange {
                    version: *version,
                    attribute: "present",
                    before: Value::Bool(before.is_some()),
                    after: Value::Bool(after.is_some()),
                }),
                (None, None) => {}
            }
        }
        out
    }
}

/// One version's line in the matrix.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    pub version: ApiVersion,
    pub spec_file: String,
    pub sha256: String,
    pub operations: usize,
    pub types: usize,
}

/// The matrix over every version.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub versions: Vec<VersionInfo>,
    pub entities: BTreeMap<(Kind, String), Entity>,
    /// Per version: operation id → keys of every type its parameters, body and responses reach.
    pub op_types: Vec<BTreeMap<String, BTreeSet<String>>>,
    /// Tag name → description (newest wording).
    pub tags: BTreeMap<String, String>,
}

/// The two changes compared by [`Matrix::diff`].
#[derive(Debug, Clone)]
pub struct Diff {
    pub from: ApiVersion,
    pub to: ApiVersion,
    /// Everything but description-only changes, most severe first.
    pub changes: Vec<Change>,
    /// Description (and summary) changes.
    pub descriptions: Vec<Change>,
}

impl Diff {
    pub fn count(&self, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level == level).count()
    }
}

/// Rust-like spelling of a type expression with named types replaced by their lineage key, so
/// a rename alone is not a type change.
pub fn spell(ty: &TypeRef, keys: &BTreeMap<String, String>) -> String {
    match ty {
        TypeRef::Named(name) => keys.get(name).cloned().unwrap_or_else(|| name.clone()),
        TypeRef::Array(slot) => format!("Vec<{}>", spell_slot(&slot.ty, slot.nullable, keys)),
        TypeRef::Map(slot) => format!("BTreeMap<String, {}>", spell_slot(&slot.ty, slot.nullable, keys)),
        TypeRef::FreeFormObject => "Map<String, Value>".into(),
        TypeRef::Any => "Value".into(),
        other => other.rust(),
    }
}

fn spell_slot(ty: &TypeRef, nullable: bool, keys: &BTreeMap<String, String>) -> String {
    if nullable {
        format!("Option<{}>", spell(ty, keys))
    } else {
        spell(ty, keys)
    }
}

fn text(value: &Option<String>) -> Value {
    value.as_ref().map(|s| Value::String(s.clone())).unwrap_or(Value::Null)
}

/// The format of a property's own schema; a named type (inline enum or `$ref`) carries its own.
fn own_format(ty: &TypeRef, format: &Option<String>) -> Value {
    if matches!(ty, TypeRef::Named(_)) {
        Value::Null
    } else {
        text(format)
    }
}

fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    Value::Array(items.into_iter().map(|s| Value::String(s.clone())).collect())
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// Types reachable from `roots` through fields and alias targets.
fn closure(api: &Api, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match api.types.get(&name).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields }) => fields.iter().for_each(|f| f.ty.named(&mut stack)),
            Some(TypeKind::Alias { target }) => target.named(&mut stack),
            _ => {}
        }
    }
    seen
}

struct Builder {
    n: usize,
    /// The version being added.
    vi: usize,
    entities: BTreeMap<(Kind, String), Entity>,
}

impl Builder {
    fn put(&mut self, kind: Kind, key: String, parent: Option<String>, state: State, info: BTreeMap<&'static str, Value>, side: Side) {
        let (n, vi) = (self.n, self.vi);
        let entity = self.entities.entry((kind, key.clone())).or_insert_with(|| Entity {
            kind,
            key,
            parent: parent.clone(),
            info: BTreeMap::new(),
            states: vec![None; n],
            sides: vec![Side::default(); n],
        });
        entity.parent = parent;
        entity.info = info;
        if let Some(slot) = entity.states.get_mut(vi) {
            *slot = Some(state);
        }
        if let Some(slot) = entity.sides.get_mut(vi) {
            *slot = side;
        }
    }
}

macro_rules! map {
    ($($k:literal => $v:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut m: BTreeMap<&'static str, Value> = BTreeMap::new();
        $(m.insert($k, Value::from($v));)*
        m
    }};
}

impl Matrix {
    /// Lines up the IRs of `apis` (any order; sorted by version here).
    pub fn build(apis: &[Api]) -> Matrix {
        if apis.windows(2).all(|w| w[0].version < w[1].version) {
            return Self::build_sorted(apis, &Lineage::build(apis));
        }
        let mut sorted = apis.to_vec();
        sorted.sort_by_key(|a| a.version);
        sorted.dedup_by_key(|a| a.version);
        Self::build_sorted(&sorted, &Lineage::build(&sorted))
    }

    /// Lines up `apis` (sorted oldest first) with the lineage the pipeline computed for them.
    pub fn build_sorted(apis: &[Api], lineage: &Lineage) -> Matrix {
        let n = apis.len();
        let lineages = &lineage.types;
        let mut b = Builder { n, vi: 0, entities: BTreeMap::new() };
        let mut op_types = Vec::with_capacity(n);
        let mut tags = BTreeMap::new();
        for (vi, api) in apis.iter().enumerate() {
            b.vi = vi;
            let empty = BTreeMap::new();
            let keys = lineages.keys.get(vi).unwrap_or(&empty);
            let displays = lineages.display.get(vi).unwrap_or(&empty);
            let key_of = |rust: &str| keys.get(rust).cloned().unwrap_or_else(|| rust.to_string());
            for (tag, description) in &api.tags {
                tags.insert(tag.clone(), description.clone());
            }

            // Which types travel in requests, which in responses.
            let mut request_roots = Vec::new();
            let mut response_roots = Vec::new();
            let mut reach: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for op in api.operations.values() {
                let mut roots = Vec::new();
                for p in &op.params {
                    p.ty.named(&mut request_roots);
                    p.ty.named(&mut roots);
                }
                if let Some(ty) = op.body.as_ref().and_then(|b| b.ty.as_ref()) {
                    ty.named(&mut request_roots);
                    ty.named(&mut roots);
                }
                for r in &op.responses {
                    if let Some(ty) = &r.ty {
                        ty.named(&mut response_roots);
                        ty.named(&mut roots);
                    }
                    for h in &r.headers {
                        h.ty.named(&mut response_roots);
                    }
                }
                reach.insert(op.id.clone(), closure(api, roots).iter().map(|t| key_of(t)).collect());
            }
            op_types.push(reach);
            let request = closure(api, request_roots);
            let response = closure(api, response_roots);
            let side_of = |rust: &str| Side { request: request.contains(rust), response: response.contains(rust) };

            for op in api.operations.values() {
                let state = map! {
                    "method" => op.method.clone(),
                    "path" => op.path.clone(),
                    "tags" => strings(&op.tags),
                    "summary" => text(&op.summary),
                    "description" => text(&op.description),
                };
                let info = map! { "method" => op.method.clone(), "path" => op.path.clone(), "tags" => strings(&op.tags) };
                b.put(Kind::Operation, op.id.clone(), None, state, info, Side::default());
                for p in &op.params {
                    let location = location_name(p.location);
                    let style = match p.array_style {
                        Some(ArrayStyle::Repeated) => Value::from("multi"),
                        Some(ArrayStyle::CommaSeparated) => Value::from("csv"),
                        None => Value::Null,
                    };
                    let state = map! {
                        "type" => spell(&p.ty, keys),
                        "format" => own_format(&p.ty, &p.facts.format),
                        "required" => p.required,
                        "default" => p.facts.default.clone().unwrap_or(Value::Null),
                        "style" => style,
                        "description" => text(&p.facts.description),
                    };
                    let info = map! { "operation" => op.id.clone(), "location" => location, "name" => p.name.clone() };
                    let side = Side { request: true, response: false };
                    b.put(Kind::Parameter, format!("{} {location}:{}", op.id, p.name), Some(op.id.clone()), state, info, side);
                }
                if let Some(body) = &op.body {
                    let state = map! {
                        "type" => body.ty.as_ref().map(|t| spell(t, keys)).unwrap_or_else(|| "bytes".into()),
                        "required" => body.required,
                        "media_types" => strings(&body.media_types),
                        "description" => text(&body.description),
                    };
                    let info = map! { "operation" => op.id.clone(), "location" => "body", "name" => body.name.clone() };
                    let side = Side { request: true, response: false };
                    b.put(Kind::Parameter, format!("{} body", op.id), Some(op.id.clone()), state, info, side);
                }
                for r in &op.responses {
                    let ty = match (&r.ty, r.is_string) {
                        (Some(t), _) => Value::from(spell(t, keys)),
                        (None, true) => Value::from("string"),
                        (None, false) => Value::Null,
                    };
                    let state = map! {
                        "type" => ty,
                        "media_types" => strings(&r.media_types),
                        "headers" => strings(r.headers.iter().map(|h| &h.name)),
                        "description" => r.description.clone(),
                    };
                    let info = map! { "operation" => op.id.clone(), "code" => r.code };
                    let side = Side { request: false, response: true };
                    b.put(Kind::Response, format!("{} {}", op.id, r.code), Some(op.id.clone()), state, info, side);
                }
            }

            for def in api.types.values() {
                let key = key_of(&def.name);
                let side = side_of(&def.name);
                let (kind, target, default) = match &def.kind {
                    TypeKind::Struct { .. } => ("struct", Value::Null, Value::Null),
                    TypeKind::StringEnum { default, .. } => ("string-enum", Value::Null, text(default)),
                    TypeKind::IntegerEnum { .. } => ("integer-enum", Value::Null, Value::Null),
                    TypeKind::Alias { target } => ("alias", Value::from(spell(target, keys)), Value::Null),
                };
                let origin = match def.origin {
                    Origin::Definition(_) => "definition",
                    Origin::Inline { .. } => "inline",
                };
                let name = displays.get(&def.name).cloned().unwrap_or_else(|| def.name.clone());
                let state = map! {
                    "name" => name.clone(),
                    "rust_name" => def.name.clone(),
                    "origin" => origin,
                    "kind" => kind,
                    "target" => target,
                    "default" => default,
                    "description" => text(&def.doc),
                };
                let info = map! { "kind" => kind };
                b.put(Kind::Type, key.clone(), None, state, info, side);
                match &def.kind {
                    TypeKind::Struct { fields } => {
                        for f in fields {
                            let state = map! {
                                "type" => spell(&f.ty, keys),
                                "format" => own_format(&f.ty, &f.facts.format),
                                "required" => f.required,
                                "nullable" => f.facts.nullable,
                                "default" => f.facts.default.clone().unwrap_or(Value::Null),
                                "description" => text(&f.facts.description),
                            };
                            let info = map! { "type" => key.clone(), "name" => f.wire_name.clone() };
                            b.put(Kind::Property, format!("{key}.{}", f.wire_name), Some(key.clone()), state, info, side);
                        }
                    }
                    TypeKind::StringEnum { variants, .. } => {
                        for v in variants {
                            let info = map! { "type" => key.clone(), "value" => v.value.clone() };
                            b.put(Kind::EnumValue, format!("{key}={}", v.value), Some(key.clone()), State::new(), info, side);
                        }
                    }
                    TypeKind::IntegerEnum { variants, .. } => {
                        for v in variants {
                            let info = map! { "type" => key.clone(), "value" => v.value };
                            b.put(Kind::EnumValue, format!("{key}={}", v.value), Some(key.clone()), State::new(), info, side);
                        }
                    }
                    TypeKind::Alias { .. } => {}
                }
            }
        }
        let versions = apis
            .iter()
            .map(|a| VersionInfo {
                version: a.version,
                spec_file: a.spec_file.clone(),
                sha256: a.sha256.clone(),
                operations: a.operations.len(),
                types: a.types.len(),
            })
            .collect();
        Matrix { versions, entities: b.entities, op_types, tags }
    }

    pub fn version_list(&self) -> Vec<ApiVersion> {
        self.versions.iter().map(|v| v.version).collect()
    }

    /// Index of a version in the matrix.
    pub fn index_of(&self, version: ApiVersion) -> Option<usize> {
        self.versions.iter().position(|v| v.version == version)
    }

    pub fn get(&self, kind: Kind, key: &str) -> Option<&Entity> {
        self.entities.get(&(kind, key.to_string()))
    }

    /// The state of an entry at a version.
    pub fn state(&self, kind: Kind, key: &str, vi: usize) -> Option<&State> {
        self.get(kind, key).and_then(|e| e.states.get(vi)).and_then(Option::as_ref)
    }

    /// `GET /containers/{id}/stats`, from the newest version that has the operation.
    pub fn op_label(&self, op: &str) -> String {
        match self.get(Kind::Operation, op) {
            Some(e) => format!(
                "{} {}",
                e.info.get("method").and_then(Value::as_str).unwrap_or("?"),
                e.info.get("path").and_then(Value::as_str).unwrap_or("?")
            ),
            None => op.to_string(),
        }
    }

    /// Everything that differs between version indices `from` and `to`, classified for a
    /// client written against `from`.
    pub fn diff(&self, from: usize, to: usize) -> Diff {
        let version = |i: usize| self.versions.get(i).map(|v| v.version).unwrap_or(ApiVersion::new(0, 0));
        let mut changes = Vec::new();
        let mut descriptions = Vec::new();
        for entity in self.entities.values() {
            let (a, b) = (entity.states.get(from).and_then(Option::as_ref), entity.states.get(to).and_then(Option::as_ref));
            let side = merge_sides(entity.sides.get(from).copied(), entity.sides.get(to).copied());
            match (a, b) {
                (None, None) => {}
                (None, Some(_)) | (Some(_), None) => {
                    if self.covered_by_parent(entity, from, to) {
                        continue;
                    }
                    let added = b.is_some();
                    if let Some(change) = classify::presence(self, entity, added, side, a.or(b)) {
                        changes.push(change);
                    }
                }
                (Some(a), Some(b)) => {
                    for change in classify::attributes(self, entity, a, b, side) {
                        if change.id == classify::DESCRIPTION_CHANGED {
                            descriptions.push(change);
                        } else {
                            changes.push(change);
                        }
                    }
                }
            }
        }
        let order = |c: &Change| (c.level, c.kind, c.key.clone(), c.attribute, c.id);
        changes.sort_by_key(order);
        descriptions.sort_by_key(order);
        Diff { from: version(from), to: version(to), changes, descriptions }
    }

    /// A parameter or response of an added/removed operation, a value of an added/removed enum,
    /// or a property of an added/removed definition (or of an inline type inside one) is
    /// reported with its parent.
    fn covered_by_parent(&self, entity: &Entity, from: usize, to: usize) -> bool {
        let changed = |kind: Kind, key: &str| {
            self.get(kind, key).is_some_and(|p| p.present(from) != p.present(to))
        };
        match entity.kind {
            Kind::Parameter | Kind::Response => entity.parent.as_deref().is_some_and(|op| changed(Kind::Operation, op)),
            Kind::Property | Kind::EnumValue => {
                let Some(parent) = entity.parent.as_deref() else { return false };
                if !changed(Kind::Type, parent) {
                    return false;
                }
                // A new (or dropped) enum brings (or takes) all its values.
                if entity.kind == Kind::EnumValue {
                    return true;
                }
                let Some(ty) = self.get(Kind::Type, parent) else { return false };
                let origin = ty.states.get(from).and_then(Option::as_ref).or(ty.states.get(to).and_then(Option::as_ref));
                if origin.and_then(|s| s.get("origin")).and_then(Value::as_str) == Some("definition") {
                    return true;
                }
                // An inline type: covered when the definition (or operation) it lives in came or went.
                let root = parent.split(['.', '[', '{']).next().unwrap_or(parent);
                root != parent && changed(Kind::Type, root)
            }
            _ => false,
        }
    }

    /// Diffs of every consecutive pair.
    pub fn pairs(&self) -> Vec<Diff> {
        (1..self.versions.len()).map(|i| self.diff(i - 1, i)).collect()
    }
}

fn merge_sides(a: Option<Side>, b: Option<Side>) -> Side {
    let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
    Side { request: a.request || b.request, response: a.response || b.response }
}

/// File name of a pair's diff report: `v1.47-v1.48.md`.
pub fn diff_file_name(from: ApiVersion, to: ApiVersion) -> String {
    format!("v{from}-v{to}.md")
}

/// Every report file, keyed by absolute path under `out_dir`: `matrix.json`,
/// `matrix.schema.json`, `MATRIX.md`, `diffs/v1.NN-v1.MM.md`, `report.html`.
pub fn report_files(apis: &[Api], lineage: &Lineage, out_dir: &Path) -> BTreeMap<PathBuf, String> {
    let matrix = Matrix::build_sorted(apis, lineage);
    let pairs = matrix.pairs();
    let mut files = BTreeMap::new();
    files.insert(out_dir.join("matrix.json"), json::matrix_json(&matrix, &pairs));
    files.insert(out_dir.join("matrix.schema.json"), MATRIX_SCHEMA.to_string());
    files.insert(out_dir.join("MATRIX.md"), markdown::matrix_md(&matrix, &pairs));
    for diff in &pairs {
        files.insert(out_dir.join("diffs").join(diff_file_name(diff.from, diff.to)), markdown::diff_md(&matrix, diff));
    }
    files.insert(out_dir.join("report.html"), html::report(&matrix, &pairs));
    files
}

/// What the matrix grid shows for one operation at one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Absent,
    /// The version that no longer has the operation.
    Removed,
    Added,
    /// Present, with nothing (but descriptions) changed since the previous version.
    Present,
    /// Present, and the operation, its parameters, responses or the types they reach changed;
    /// the most severe level.
    Changed(Level),
}

impl Matrix {
    /// For each operation, one [`Cell`] per version; `pairs` are [`Matrix::pairs`].
    pub fn operation_cells(&self, pairs: &[Diff]) -> BTreeMap<String, Vec<Cell>> {
        // Per pair: operation → most severe level of the changes that touch it.
        let mut touched: Vec<BTreeMap<&str, Level>> = vec![BTreeMap::new(); self.versions.len()];
        for (pi, diff) in pairs.iter().enumerate() {
            let to = pi + 1;
            let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for vi in [pi, to] {
                for (op, types) in self.op_types.get(vi).into_iter().flatten() {
                    for ty in types {
                        users.entry(ty.as_str()).or_default().insert(op.as_str());
                    }
                }
            }
            let Some(slot) = touched.get_mut(to) else { continue };
            for change in &diff.changes {
                let entity = self.get(change.kind, &change.key);
                let parent = entity.and_then(|e| e.parent.as_deref());
                let ops: Vec<&str> = match change.kind {
                    Kind::Operation => vec![change.key.as_str()],
                    Kind::Parameter | Kind::Response => parent.into_iter().collect(),
                    Kind::Type => users.get(change.key.as_str()).into_iter().flatten().copied().collect(),
                    Kind::Property | Kind::EnumValue => parent.and_then(|p| users.get(p)).into_iter().flatten().copied().collect(),
                };
                for op in ops {
                    let level = slot.entry(op).or_insert(change.level);
                    *level = (*level).min(change.level);
                }
            }
        }
        let mut out = BTreeMap::new();
        for entity in self.entities.values().filter(|e| e.kind == Kind::Operation) {
            let cells = (0..self.versions.len())
                .map(|vi| {
                    let now = entity.present(vi);
                    let before = vi > 0 && entity.present(vi - 1);
                    match (now, before) {
                        (false, true) => Cell::Removed,
                        (false, false) => Cell::Absent,
                        (true, false) if vi > 0 => Cell::Added,
                        (true, false) => Cell::Present,
                        (true, true) => match touched.get(vi).and_then(|t| t.get(entity.key.as_str())) {
                            Some(level) => Cell::Changed(*level),
                            None => Cell::Present,
                        },
                    }
                })
                .collect();
            out.insert(entity.key.clone(), cells);
        }
        out
    }
}

pub use serde_json::Value as JsonValue;

/// Pretty JSON text of a value (for callers without their own `serde_json`).
pub fn to_pretty_json(value: &JsonValue) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

//! Step 1 of the pipeline: lines up the IRs of every version into the entries of a [`Matrix`],
//! recording each entry's typed state per version (one function per kind of entry) and which
//! types each operation reaches.

use std::collections::BTreeMap;

use super::entity::{Entity, EnumLiteral, Info, Kind, Location, Side};
use super::state::{
    BodyState, HeaderState, OperationState, ParameterState, PropertyState, ResponseState, State, TypeOrigin, TypeShape,
    TypeState,
};
use super::{Matrix, VersionInfo};
use crate::ir::{Api, Body, Field, Operation, Origin, Param, ParamLocation, Response, TypeDef, TypeKind, TypeRef};
use crate::lineage::{deprecation, Lineage};

/// The deprecation note a description states.
fn deprecated(description: Option<&str>) -> Option<String> {
    description.and_then(deprecation::note)
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

/// The format of a schema of its own; a named type (inline enum or `$ref`) carries its own.
fn own_format(ty: &TypeRef, format: &Option<String>) -> Option<String> {
    if matches!(ty, TypeRef::Named(_)) {
        None
    } else {
        format.clone()
    }
}

/// How one version's types are named in the matrix.
struct Names<'a> {
    /// Rust name → lineage key.
    keys: &'a BTreeMap<String, String>,
    /// Rust name → the name the spec gives it.
    displays: &'a BTreeMap<String, String>,
}

impl Names<'_> {
    fn key(&self, rust: &str) -> String {
        self.keys.get(rust).cloned().unwrap_or_else(|| rust.to_string())
    }

    fn spell(&self, ty: &TypeRef) -> String {
        spell(ty, self.keys)
    }
}

/// Which types one version's operations reach, and on which side.
struct Reach {
    /// Type key → operation id → how the operation uses it.
    users: BTreeMap<String, BTreeMap<String, Side>>,
    /// Rust name → how any operation uses it.
    sides: BTreeMap<String, Side>,
}

impl Reach {
    /// Requests start from parameters and the body; responses from every response, its headers
    /// and the stream item the streaming table names. `allOf` parents are followed: their
    /// fields travel inside the types that copied them. One walk: [`crate::ir::reach`].
    fn of(api: &Api, names: &Names<'_>) -> Reach {
        use crate::ir::reach::{reachable_with_all_of, Roots};
        let request = Roots { params: true, body: true, success: false, errors: false, stream: false };
        let response = Roots { params: false, body: false, success: true, errors: true, stream: true };
        let mut out = Reach { users: BTreeMap::new(), sides: BTreeMap::new() };
        for op in api.operations.values() {
            for (roots, side) in [(request, Side::REQUEST), (response, Side::RESPONSE)] {
                for rust in reachable_with_all_of(&api.types, op.root_types(roots)) {
                    let slot = out.users.entry(names.key(&rust)).or_default().entry(op.id.clone()).or_default();
                    *slot = slot.or(side);
                    let any = out.sides.entry(rust).or_default();
                    *any = any.or(side);
                }
            }
        }
        out
    }

    fn side(&self, rust: &str) -> Side {
        self.sides.get(rust).copied().unwrap_or_default()
    }
}

/// Collects the entries while the versions are added one by one.
struct Builder {
    n: usize,
    /// The version being added.
    vi: usize,
    entities: BTreeMap<(Kind, String), Entity>,
}

impl Builder {
    /// Records an entry at the current version; `info` replaces what older versions said.
    fn put(&mut self, key: String, info: Info, state: State, side: Side) {
        let (n, vi) = (self.n, self.vi);
        let entity = self.entities.entry((info.kind(), key.clone())).or_insert_with(|| Entity {
            key,
            info: info.clone(),
            states: vec![None; n],
            sides: vec![Side::default(); n],
        });
        entity.info = info;
        if let Some(slot) = entity.states.get_mut(vi) {
            *slot = Some(state);
        }
        if let Some(slot) = entity.sides.get_mut(vi) {
            *slot = side;
        }
    }

    /// An operation with its parameters, body and responses.
    fn operation(&mut self, op: &Operation, names: &Names<'_>) {
        let state = OperationState {
            method: op.method.clone(),
            path: op.path.clone(),
            tags: op.tags.clone(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: deprecated(op.description.as_deref()),
        };
        let info = Info::Operation { method: op.method.clone(), path: op.path.clone(), tags: op.tags.clone() };
        self.put(op.id.clone(), info, State::Operation(state), Side::default());
        for p in &op.params {
            self.parameter(op, p, names);
        }
        if let Some(body) = &op.body {
            self.body(op, body, names);
        }
        for r in &op.responses {
            self.response(op, r, names);
        }
    }

    fn parameter(&mut self, op: &Operation, p: &Param, names: &Names<'_>) {
        let location = match p.location {
            ParamLocation::Path => Location::Path,
            ParamLocation::Query => Location::Query,
            ParamLocation::Header => Location::Header,
        };
        let state = ParameterState {
            ty: names.spell(&p.ty),
            format: own_format(&p.ty, &p.facts.format),
            required: p.required,
            default: p.facts.default.clone(),
            style: p.array_style,
            description: p.facts.description.clone(),
            deprecated: deprecated(p.facts.description.as_deref()),
        };
        let key = format!("{} {}:{}", op.id, location.name(), p.name);
        let info = Info::Parameter { operation: op.id.clone(), location, name: p.name.clone() };
        self.put(key, info, State::Parameter(state), Side::REQUEST);
    }

    fn body(&mut self, op: &Operation, body: &Body, names: &Names<'_>) {
        let state = BodyState {
            ty: body.ty.as_ref().map(|t| names.spell(t)).unwrap_or_else(|| "bytes".into()),
            required: body.required,
            media_types: body.media_types.clone(),
            description: body.description.clone(),
        };
        let info = Info::Parameter { operation: op.id.clone(), location: Location::Body, name: body.name.clone() };
        self.put(format!("{} body", op.id), info, State::Body(state), Side::REQUEST);
    }

    fn response(&mut self, op: &Operation, r: &Response, names: &Names<'_>) {
        let ty = match (&r.ty, r.is_string) {
            (Some(t), _) => Some(names.spell(t)),
            (None, true) => Some("string".into()),
            (None, false) => None,
        };
        let state = ResponseState { ty, media_types: r.media_types.clone(), description: r.description.clone() };
        let info = Info::Response { operation: op.id.clone(), code: r.code };
        let response = format!("{} {}", op.id, r.code);
        self.put(response.clone(), info, State::Response(state), Side::RESPONSE);
        for h in &r.headers {
            let state = HeaderState {
                ty: names.spell(&h.ty),
                format: own_format(&h.ty, &h.facts.format),
                default: h.facts.default.clone(),
                description: h.description.clone(),
                deprecated: deprecated(h.description.as_deref()),
            };
            let info = Info::Header { operation: op.id.clone(), response: response.clone(), name: h.name.clone() };
            self.put(format!("{response} {}", h.name), info, State::Header(state), Side::RESPONSE);
        }
    }

    /// A type with its properties or enum values.
    fn type_def(&mut self, def: &TypeDef, names: &Names<'_>, side: Side) {
        let key = names.key(&def.name);
        let (kind, target, default) = match &def.kind {
            TypeKind::Struct { .. } => (TypeShape::Struct, None, None),
            TypeKind::StringEnum { default, .. } => (TypeShape::StringEnum, None, default.clone()),
            TypeKind::IntegerEnum { .. } => (TypeShape::IntegerEnum, None, None),
            TypeKind::Alias { target } => (TypeShape::Alias, Some(names.spell(target)), None),
        };
        let state = TypeState {
            name: names.displays.get(&def.name).cloned().unwrap_or_else(|| def.name.clone()),
            rust_name: def.name.clone(),
            origin: match def.origin {
                Origin::Definition(_) => TypeOrigin::Definition,
                Origin::Inline { .. } => TypeOrigin::Inline,
            },
            kind,
            target,
            default,
            description: def.doc.clone(),
            deprecated: deprecated(def.doc.as_deref()),
        };
        self.put(key.clone(), Info::Type { kind }, State::Type(state), side);
        match &def.kind {
            TypeKind::Struct { fields } => fields.iter().for_each(|f| self.property(&key, f, names, side)),
            TypeKind::StringEnum { variants, .. } => {
                variants.iter().for_each(|v| self.enum_value(&key, EnumLiteral::Text(v.value.clone()), side));
            }
            TypeKind::IntegerEnum { variants, .. } => {
                variants.iter().for_each(|v| self.enum_value(&key, EnumLiteral::Integer(v.value), side))
            }
            TypeKind::Alias { .. } => {}
        }
    }

    fn property(&mut self, owner: &str, f: &Field, names: &Names<'_>, side: Side) {
        let state = PropertyState {
            ty: names.spell(&f.ty),
            format: own_format(&f.ty, &f.facts.format),
            required: f.required,
            nullable: f.facts.nullable,
            default: f.facts.default.clone(),
            description: f.facts.description.clone(),
            deprecated: deprecated(f.facts.description.as_deref()),
        };
        let info = Info::Property { owner: owner.to_string(), name: f.wire_name.clone() };
        self.put(format!("{owner}.{}", f.wire_name), info, State::Property(state), side);
    }

    fn enum_value(&mut self, owner: &str, value: EnumLiteral, side: Side) {
        let key = format!("{owner}={value}");
        self.put(key, Info::EnumValue { owner: owner.to_string(), value }, State::EnumValue, side);
    }
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
        let mut b = Builder { n, vi: 0, entities: BTreeMap::new() };
        let mut type_users = Vec::with_capacity(n);
        let mut tags = BTreeMap::new();
        let empty = BTreeMap::new();
        for (vi, api) in apis.iter().enumerate() {
            b.vi = vi;
            let names = Names {
                keys: lineage.types.keys.get(vi).unwrap_or(&empty),
                displays: lineage.types.display.get(vi).unwrap_or(&empty),
            };
            tags.extend(api.tags.iter().map(|(tag, description)| (tag.clone(), description.clone())));
            let reach = Reach::of(api, &names);
            for op in api.operations.values() {
                b.operation(op, &names);
            }
            for def in api.types.values() {
                b.type_def(def, &names, reach.side(&def.name));
            }
            type_users.push(reach.users);
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
        Matrix { versions, entities: b.entities, type_users, tags }
    }
}

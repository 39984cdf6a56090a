//! Lineage, part 2: the *view* of one version — the IR that crate v1.NN is generated from.
//!
//! The view starts from version NN's own IR and adds everything that any older version
//! (back to the oldest spec) defines and NN lacks, each item carrying its
//! [`Availability`]:
//! - every type of every lineage, under its name in NN, else its latest name (a name NN gives
//!   another type gets a `Legacy` suffix); a removed type is deprecated;
//! - every property and enum value of a type across its versions (removed ones deprecated);
//! - a property whose type changed keeps NN's type, which is made to accept the older shape:
//!   a struct absorbs the members of the struct it replaced, an open enum accepts any string;
//!   any other change is reported as a warning;
//! - every operation and parameter across versions, with replacement hints;
//! - an alias under each older name of a renamed type, deprecated.
//!
//! Named types inside older items are renamed into the view's names through the type lineage.

use std::collections::{BTreeMap, BTreeSet};

use super::{rename_type, Lineage, Replacements};
use crate::ir::wire::{tty_probe, TtyProbe};
use crate::ir::{
    Api, Availability, EnumVariant, Field, IntVariant, Operation, Param, TypeDef, TypeKind, TypeRef, WireKind,
};

/// The view of one version and what the stage could not reconcile.
#[derive(Debug, Clone)]
pub struct View {
    pub api: Api,
    /// Type changes whose older shape the newer type may not accept (one line each).
    pub warnings: Vec<String>,
    /// Lineage key → the type's name in this view (how an older version's type is found here).
    pub names: BTreeMap<String, String>,
}

/// The view of version index `target` of `apis` (sorted oldest first, as given to [`Lineage::build`]).
pub fn view(apis: &[Api], lineage: &Lineage, replacements: &Replacements, target: usize) -> View {
    let mut ctx = Ctx {
        apis: &apis[..=target],
        lineage,
        target,
        view_names: BTreeMap::new(),
        changes: Vec::new(),
        changed_in: BTreeMap::new(),
        warnings: Vec::new(),
    };
    ctx.assign_view_names();
    let mut types = ctx.merged_types();
    let operations = ctx.merged_operations(replacements);
    let changes = std::mem::take(&mut ctx.changes);
    for change in &changes {
        ctx.absorb(&mut types, change, &change.into, &change.from);
    }
    ctx.add_old_name_aliases(&mut types);
    let own = &apis[target];
    let mut api = Api {
        version: own.version,
        spec_file: own.spec_file.clone(),
        sha256: own.sha256.clone(),
        types,
        operations,
        tags: own.tags.clone(),
        examples: own.examples.clone(),
        oldest: lineage.versions[0],
        request_gates: BTreeMap::new(),
    };
    api.request_gates = super::gates::request_gates(&api);
    let probes: Vec<(String, Option<TtyProbe>)> =
        api.operations.values().map(|op| (op.id.clone(), tty_probe(op, &api))).collect();
    for (id, probe) in probes {
        if let Some(op) = api.operations.get_mut(&id) {
            op.tty_probe = probe;
        }
    }
    View { api, warnings: ctx.warnings, names: ctx.view_names }
}

/// A member whose type differs between versions: `into` (the view's) must accept `from`.
struct TypeChange {
    /// `Type.member` or `Operation body`, for warnings.
    place: String,
    into: TypeRef,
    from: TypeRef,
    /// The versions in which the member had the older type.
    during: Availability,
}

struct Ctx<'a> {
    apis: &'a [Api],
    lineage: &'a Lineage,
    target: usize,
    /// Lineage key → the type's name in the view.
    view_names: BTreeMap<String, String>,
    changes: Vec<TypeChange>,
    /// Per (place, older type): the versions with that type, for [`Ctx::note_change`].
    changed_in: BTreeMap<(String, String), BTreeSet<usize>>,
    warnings: Vec<String>,
}

impl Ctx<'_> {
    /// The view's name of every lineage: NN's name, else the latest name, made unique.
    fn assign_view_names(&mut self) {
        let mut taken: BTreeSet<String> = self.apis[self.target].types.keys().cloned().collect();
        for vi in (0..=self.target).rev() {
            for (key, name) in self.lineage.names_by_key(vi) {
                if self.view_names.contains_key(key) {
                    continue;
                }
                let name = if vi == self.target { name.to_string() } else { unique(&mut taken, name) };
                self.view_names.insert(key.to_string(), name);
            }
        }
    }

    /// `ty` of version index `vi`, with named types renamed to the view's names.
    fn rename(&self, vi: usize, ty: &TypeRef) -> TypeRef {
        rename_type(ty, &|name| self.lineage.key(vi, name).and_then(|k| self.view_names.get(k)).cloned())
    }

    fn availability(&self, present: &BTreeSet<usize>) -> Availability {
        let (Some(&first), Some(&last)) = (present.first(), present.last()) else { return Availability::ALWAYS };
        Availability {
            since: (first > 0).then(|| self.lineage.versions[first]),
            until: (last < self.target).then(|| self.lineage.versions[last + 1]),
        }
    }

    fn oldest(&self) -> crate::version::ApiVersion {
        self.lineage.versions[0]
    }

    // -------------------------------------------------------------------------------------
    // Types

    fn merged_types(&mut self) -> BTreeMap<String, TypeDef> {
        let mut by_key: BTreeMap<String, Vec<(usize, &TypeDef)>> = BTreeMap::new();
        for vi in (0..=self.target).rev() {
            for (name, def) in &self.apis[vi].types {
                if let Some(key) = self.lineage.key(vi, name) {
                    by_key.entry(key.to_string()).or_default().push((vi, def));
                }
            }
        }
        let mut types = BTreeMap::new();
        for (key, defs) in by_key {
            let def = self.merged_type(&key, &defs);
            types.insert(def.name.clone(), def);
        }
        types
    }

    /// One lineage's type: its newest definition, with the members of older ones added.
    fn merged_type(&mut self, key: &str, defs: &[(usize, &TypeDef)]) -> TypeDef {
        let (newest_vi, newest) = defs[0];
        let mut def = newest.clone();
        def.name = self.view_names[key].clone();
        def.kind = match &newest.kind {
            TypeKind::Struct { .. } => TypeKind::Struct { fields: self.merged_fields(&def.name, defs) },
            TypeKind::StringEnum { default, .. } => {
                TypeKind::StringEnum { variants: self.merged_variants(defs), default: default.clone() }
            }
            TypeKind::IntegerEnum { int, .. } => {
                TypeKind::IntegerEnum { int: *int, variants: self.merged_int_variants(defs) }
            }
            TypeKind::Alias { target } => TypeKind::Alias { target: self.rename(newest_vi, target) },
        };
        let present: BTreeSet<usize> = defs.iter().map(|(vi, _)| *vi).collect();
        def.availability = self.availability(&present);
        if def.availability.until.is_some() {
            def.deprecated = def.availability.doc(self.oldest());
        }
        def
    }

    fn merged_fields(&mut self, type_name: &str, defs: &[(usize, &TypeDef)]) -> Vec<Field> {
        let mut fields: Vec<Field> = Vec::new();
        let mut present: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        // Per field: the versions in which it had another type than the view's.
        let mut other_type: BTreeMap<String, (TypeRef, BTreeSet<usize>)> = BTreeMap::new();
        for &(vi, def) in defs {
            let TypeKind::Struct { fields: own } = &def.kind else { continue };
            for field in own {
                present.entry(field.wire_name.clone()).or_default().insert(vi);
                let ty = self.rename(vi, &field.ty);
                match fields.iter().find(|f| f.wire_name == field.wire_name) {
                    None => {
                        let mut field = field.clone();
                        field.ty = ty;
                        if fields.iter().any(|f| f.rust_name == field.rust_name) {
                            field.rust_name = format!("{}_legacy", field.rust_name.trim_start_matches("r#"));
                        }
                        fields.push(field);
                    }
                    Some(existing) if existing.ty != ty => {
                        other_type.entry(field.wire_name.clone()).or_insert_with(|| (ty, BTreeSet::new())).1.insert(vi);
                    }
                    Some(_) => {}
                }
            }
        }
        for field in &mut fields {
            field.availability = self.availability(&present[&field.wire_name]);
            if let Some((from, versions)) = other_type.remove(&field.wire_name) {
                let during = self.availability(&versions);
                self.changes.push(TypeChange {
                    place: format!("{type_name}.{}", field.wire_name),
                    into: field.ty.clone(),
                    from,
                    during,
                });
            }
        }
        fields
    }

    fn merged_variants(&self, defs: &[(usize, &TypeDef)]) -> Vec<EnumVariant> {
        let mut variants: Vec<EnumVariant> = Vec::new();
        let mut present: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for &(vi, def) in defs {
            let TypeKind::StringEnum { variants: own, .. } = &def.kind else { continue };
            for v in own {
                present.entry(v.value.clone()).or_default().insert(vi);
                if !variants.iter().any(|x| x.value == v.value) && !variants.iter().any(|x| x.rust_name == v.rust_name)
                {
                    variants.push(v.clone());
                }
            }
        }
        for v in &mut variants {
            v.availability = self.availability(&present[&v.value]);
        }
        variants
    }

    fn merged_int_variants(&self, defs: &[(usize, &TypeDef)]) -> Vec<IntVariant> {
        let mut variants: Vec<IntVariant> = Vec::new();
        let mut present: BTreeMap<i64, BTreeSet<usize>> = BTreeMap::new();
        for &(vi, def) in defs {
            let TypeKind::IntegerEnum { variants: own, .. } = &def.kind else { continue };
            for v in own {
                present.entry(v.value).or_default().insert(vi);
                if !variants.iter().any(|x| x.value == v.value || x.rust_name == v.rust_name) {
                    variants.push(v.clone());
                }
            }
        }
        for v in &mut variants {
            v.availability = self.availability(&present[&v.value]);
        }
        variants
    }

    /// Makes `into` accept what `from` decoded: a struct takes over the members of the struct
    /// it replaced; an open string enum already takes any string; arrays and maps by element.
    fn absorb(&mut self, types: &mut BTreeMap<String, TypeDef>, change: &TypeChange, into: &TypeRef, from: &TypeRef) {
        let (into, from) =
            (&crate::ir::reach::resolve_alias(types, into), &crate::ir::reach::resolve_alias(types, from));
        match (into, from) {
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.absorb(types, change, &a.ty, &b.ty)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) if a == b => {}
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let extra = match types.get(b).map(|d| &d.kind) {
                    Some(TypeKind::Struct { fields }) => fields.clone(),
                    _ => return self.cannot(change),
                };
                let Some(TypeDef { kind: TypeKind::Struct { fields }, .. }) = types.get_mut(a) else {
                    return self.cannot(change);
                };
                for mut field in extra {
                    if fields.iter().any(|f| f.wire_name == field.wire_name) {
                        continue;
                    }
                    if fields.iter().any(|f| f.rust_name == field.rust_name) {
                        field.rust_name = format!("{}_legacy", field.rust_name.trim_start_matches("r#"));
                    }
                    field.availability = change.during;
                    fields.push(field);
                }
            }
            // The older spec described no members, so none can be lost.
            (_, TypeRef::FreeFormObject | TypeRef::Any) => {}
            (TypeRef::Named(a), TypeRef::String)
                if matches!(types.get(a).map(|d| &d.kind), Some(TypeKind::StringEnum { .. })) => {}
            // A struct decodes a string map with its member names as keys.
            (TypeRef::Named(a), TypeRef::Map(slot))
                if slot.ty == TypeRef::String
                    && matches!(types.get(a).map(|d| &d.kind), Some(TypeKind::Struct { .. })) => {}
            _ => self.cannot(change),
        }
    }

    fn cannot(&mut self, change: &TypeChange) {
        self.warnings.push(format!(
            "{}: `{}` may not decode `{}`, its type in {}",
            change.place,
            change.into.rust(),
            change.from.rust(),
            change.during.range_text(self.oldest()),
        ));
    }

    /// A deprecated alias under every older name of a type that the view knows by another name.
    fn add_old_name_aliases(&mut self, types: &mut BTreeMap<String, TypeDef>) {
        let mut old_names: BTreeMap<String, (String, BTreeSet<usize>)> = BTreeMap::new();
        for vi in 0..self.target {
            for (key, name) in self.lineage.names_by_key(vi) {
                let view_name = &self.view_names[key];
                if view_name != name && !types.contains_key(name) {
                    old_names
                        .entry(name.to_string())
                        .or_insert_with(|| (view_name.clone(), BTreeSet::new()))
                        .1
                        .insert(vi);
                }
            }
        }
        for (old, (new, versions)) in old_names {
            let Some(target) = types.get(&new) else { continue };
            let during = self.availability(&versions);
            let last = during.until.map(|u| u.previous()).unwrap_or(self.lineage.versions[self.target]);
            let first = during.since.unwrap_or(self.oldest());
            let doc = format!("The name of [`{new}`] in API v{first} to v{last}.");
            let alias = TypeDef {
                name: old.clone(),
                origin: target.origin.clone(),
                pointer: target.pointer.clone(),
                module: target.module.clone(),
                doc: Some(doc),
                kind: TypeKind::Alias { target: TypeRef::Named(new.clone()) },
                availability: Availability::ALWAYS,
                deprecated: Some(format!("renamed to `{new}`")),
                all_of: Vec::new(),
            };
            types.insert(old, alias);
        }
    }

    // -------------------------------------------------------------------------------------
    // Operations

    fn merged_operations(&mut self, replacements: &Replacements) -> BTreeMap<String, Operation> {
        let mut by_id: BTreeMap<&str, Vec<(usize, &Operation)>> = BTreeMap::new();
        for vi in (0..=self.target).rev() {
            for (id, op) in &self.apis[vi].operations {
                by_id.entry(id.as_str()).or_default().push((vi, op));
            }
        }
        let mut operations = BTreeMap::new();
        for (id, ops) in by_id {
            let mut op = self.merged_operation(&ops);
            for p in 0..op.params.len() {
                op.params[p].replacement_hint = self.replacement_hint(&op, &op.params[p], replacements);
            }
            operations.insert(id.to_string(), op);
        }
        operations
    }

    fn merged_operation(&mut self, ops: &[(usize, &Operation)]) -> Operation {
        let (newest_vi, newest) = ops[0];
        let mut op = self.renamed_operation(newest_vi, newest);
        let mut present: BTreeMap<(crate::ir::ParamLocation, String), BTreeSet<usize>> = BTreeMap::new();
        for &(vi, older) in ops {
            for p in &older.params {
                present.entry((p.location, p.name.clone())).or_default().insert(vi);
                if !op.params.iter().any(|x| x.location == p.location && x.name == p.name) {
                    let mut p = p.clone();
                    p.ty = self.rename(vi, &p.ty);
                    op.params.push(p);
                }
            }
            if vi == newest_vi {
                continue;
            }
            // A body or response type that belongs to another lineage must still decode.
            let body = older.body.as_ref().and_then(|b| b.ty.as_ref()).map(|t| self.rename(vi, t));
            if let (Some(from), Some(into)) = (body, op.body.as_ref().and_then(|b| b.ty.clone())) {
                self.note_change(format!("{} body", op.id), into, from, vi);
            }
            for r in older.responses.iter().filter(|r| r.code < 400) {
                let into = op.responses.iter().find(|x| x.code == r.code).and_then(|x| x.ty.clone());
                if let (Some(from), Some(into)) = (r.ty.as_ref().map(|t| self.rename(vi, t)), into) {
                    self.note_change(format!("{} response {}", op.id, r.code), into, from, vi);
                }
            }
        }
        for p in &mut op.params {
            p.availability = self.availability(&present[&(p.location, p.name.clone())]);
        }
        let versions: BTreeSet<usize> = ops.iter().map(|(vi, _)| *vi).collect();
        op.availability = self.availability(&versions);
        op
    }

    /// Records that `place` had type `from` in version index `vi`; one change per older type.
    fn note_change(&mut self, place: String, into: TypeRef, from: TypeRef, vi: usize) {
        if into == from {
            return;
        }
        let versions = self.changed_in.entry((place.clone(), from.rust())).or_default();
        versions.insert(vi);
        let versions = versions.clone();
        let during = self.availability(&versions);
        match self.changes.iter_mut().find(|c| c.place == place && c.from == from) {
            Some(change) => change.during = during,
            None => self.changes.push(TypeChange { place, into, from, during }),
        }
    }

    fn renamed_operation(&self, vi: usize, op: &Operation) -> Operation {
        let mut op = op.clone();
        for p in &mut op.params {
            p.ty = self.rename(vi, &p.ty);
        }
        if let Some(ty) = op.body.as_mut().and_then(|b| b.ty.as_mut()) {
            *ty = self.rename(vi, ty);
        }
        for r in &mut op.responses {
            if let Some(ty) = r.ty.as_mut() {
                *ty = self.rename(vi, ty);
            }
            for h in &mut r.headers {
                h.ty = self.rename(vi, &h.ty);
            }
        }
        op.wire = match &op.wire {
            WireKind::Json(t) => WireKind::Json(self.rename(vi, t)),
            WireKind::JsonOrEmpty(t) => WireKind::JsonOrEmpty(self.rename(vi, t)),
            WireKind::JsonStream(t) => WireKind::JsonStream(self.rename(vi, t)),
            other => other.clone(),
        };
        op
    }

    /// "use `reserved-space` (API v1.48 and later) instead", from `specs/replacements.yaml`.
    fn replacement_hint(&self, op: &Operation, param: &Param, replacements: &Replacements) -> Option<String> {
        let by = replacements.replacement(&op.id, &param.name)?;
        let other = op.params.iter().find(|p| p.name == by)?;
        Some(format!("use `{by}` ({}) instead", other.availability.range_text(self.oldest())))
    }
}

/// `name`, or `nameLegacy`, `nameLegacy2`, … when taken; the result is marked taken.
fn unique(taken: &mut BTreeSet<String>, name: &str) -> String {
    let mut candidate = name.to_string();
    let mut n = 1;
    while taken.contains(&candidate) {
        candidate = if n == 1 { format!("{name}Legacy") } else { format!("{name}Legacy{n}") };
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

//! Part of the IR: which named types a set of roots reaches — the one walk every step uses
//! (modules of the models crate, the matrix's request/response sides and affected operations,
//! the body gates). Callers choose the roots (e.g. only success responses, or also the items of
//! a JSON stream) and whether `allOf` parents count: the walk is always the same: struct fields
//! and alias targets (and, for reports, the definitions `allOf` copied), cycles allowed.

use std::collections::{BTreeMap, BTreeSet};

use super::{Operation, TypeDef, TypeKind, TypeName, TypeRef, WireKind};

/// Every type reachable from `roots`, the roots included.
pub fn reachable(types: &BTreeMap<TypeName, TypeDef>, roots: impl IntoIterator<Item = TypeName>) -> BTreeSet<TypeName> {
    walk(types, roots, false)
}

/// As [`reachable`], and also every definition an `allOf` copied into a reached type: its
/// fields travel inside the reached one (`ContainerCreate` uses `Resources` through
/// `HostConfig`). The reports use this; code generation does not (the fields are copied).
pub fn reachable_with_all_of(
    types: &BTreeMap<TypeName, TypeDef>,
    roots: impl IntoIterator<Item = TypeName>,
) -> BTreeSet<TypeName> {
    walk(types, roots, true)
}

fn walk(
    types: &BTreeMap<TypeName, TypeDef>,
    roots: impl IntoIterator<Item = TypeName>,
    all_of: bool,
) -> BTreeSet<TypeName> {
    let mut stack: Vec<TypeName> = roots.into_iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = types.get(&name) else { continue };
        if all_of {
            stack.extend(def.all_of.iter().cloned());
        }
        match &def.kind {
            TypeKind::Struct { fields } => fields.iter().for_each(|f| f.ty.named(&mut stack)),
            TypeKind::Alias { target } => target.named(&mut stack),
            _ => {}
        }
    }
    seen
}

/// The type an alias stands for, through any chain of aliases (`PluginPrivileges` →
/// `Vec<PluginPrivilege>`); a non-alias is returned as it is. Bounded, so an alias cycle
/// (refused earlier in the pipeline) cannot loop.
pub fn resolve_alias(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> TypeRef {
    let mut ty = ty.clone();
    for _ in 0..=types.len() {
        let TypeRef::Named(name) = &ty else { break };
        match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias { target }) => ty = target.clone(),
            _ => break,
        }
    }
    ty
}

/// Which parts of an operation to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roots {
    pub params: bool,
    pub body: bool,
    /// Success responses (and their headers).
    pub success: bool,
    /// Error responses (status ≥ 400).
    pub errors: bool,
    /// The item type of a JSON stream, which the streaming table ([`super::wire::STREAMING`])
    /// names where the spec does not (`ImageBuild` streams `BuildInfo`).
    pub stream: bool,
}

impl Operation {
    /// The named types `roots` of this operation mention.
    pub fn root_types(&self, roots: Roots) -> Vec<TypeName> {
        let mut out = Vec::new();
        if roots.params {
            self.params.iter().for_each(|p| p.ty.named(&mut out));
        }
        if roots.body {
            if let Some(ty) = self.body.as_ref().and_then(|b| b.ty.as_ref()) {
                ty.named(&mut out);
            }
        }
        for r in &self.responses {
            let wanted = if r.code < 400 { roots.success } else { roots.errors };
            if !wanted {
                continue;
            }
            if let Some(ty) = &r.ty {
                ty.named(&mut out);
            }
            r.headers.iter().for_each(|h| h.ty.named(&mut out));
        }
        if let (true, WireKind::JsonStream(item)) = (roots.stream, &self.wire) {
            item.named(&mut out);
        }
        out
    }
}

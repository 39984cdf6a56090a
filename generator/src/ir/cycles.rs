//! Part of the IR: reference cycles between named types, which Rust handles only with help.
//!
//! A struct that holds itself by value (`Node { next: Option<Node> }`, or `A → B → A`) has no
//! finite size, so the fields that close such a cycle are printed as `Option<Box<T>>`
//! ([`boxed_fields`]). Arrays and maps already put their items on the heap and break no
//! cycle's need for a box; they never need one. A type alias that refers to itself, directly
//! or through other aliases and at any depth (`Loop = Loop`, `Loop = Vec<Loop>`), cannot be
//! written at all ([`alias_cycle`]): it is a spec error.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeName, TypeRef};

/// The first cycle of aliases (in name order), as the names along it, the first repeated at
/// the end: `[A, B, A]`.
pub fn alias_cycle(types: &BTreeMap<TypeName, TypeDef>) -> Option<Vec<TypeName>> {
    let alias_targets = |name: &str| -> Vec<TypeName> {
        let mut out = Vec::new();
        if let Some(TypeKind::Alias { target }) = types.get(name).map(|d| &d.kind) {
            target.named(&mut out);
        }
        out.retain(|n| matches!(types.get(n).map(|d| &d.kind), Some(TypeKind::Alias { .. })));
        out
    };
    // Depth-first search with an explicit path; `done` holds aliases known to reach no cycle.
    let mut done: BTreeSet<TypeName> = BTreeSet::new();
    for start in types.keys() {
        if !is_alias(types, start) || done.contains(start) {
            continue;
        }
        let mut path: Vec<(TypeName, Vec<TypeName>)> = vec![(start.clone(), alias_targets(start))];
        while let Some((_, pending)) = path.last_mut() {
            let Some(next) = pending.pop() else {
                let (name, _) = path.pop().expect("the path is not empty");
                done.insert(name);
                continue;
            };
            if let Some(at) = path.iter().position(|(n, _)| *n == next) {
                let mut cycle: Vec<TypeName> = path[at..].iter().map(|(n, _)| n.clone()).collect();
                cycle.push(next);
                return Some(cycle);
            }
            if !done.contains(&next) {
                let targets = alias_targets(&next);
                path.push((next, targets));
            }
        }
    }
    None
}

fn is_alias(types: &BTreeMap<TypeName, TypeDef>, name: &str) -> bool {
    matches!(types.get(name).map(|d| &d.kind), Some(TypeKind::Alias { .. }))
}

/// The struct types a value of `ty` holds in place (not behind a `Vec` or a map), looking
/// through aliases.
fn held_in_place(
    types: &BTreeMap<TypeName, TypeDef>,
    ty: &TypeRef,
    out: &mut BTreeSet<TypeName>,
    seen: &mut BTreeSet<TypeName>,
) {
    let TypeRef::Named(name) = ty else { return };
    if !seen.insert(name.clone()) {
        return;
    }
    match types.get(name).map(|d| &d.kind) {
        Some(TypeKind::Alias { target }) => held_in_place(types, target, out, seen),
        Some(TypeKind::Struct { .. }) => {
            out.insert(name.clone());
        }
        _ => {}
    }
}

/// `(struct, field rust name)` of every field whose value holds, in place and at any depth,
/// the struct the field belongs to: printed `Option<Box<T>>`. Empty for the Docker specs.
pub fn boxed_fields(types: &BTreeMap<TypeName, TypeDef>) -> BTreeSet<(TypeName, String)> {
    // Per struct, per field: the structs the field holds in place.
    let mut edges: BTreeMap<&TypeName, Vec<(&str, BTreeSet<TypeName>)>> = BTreeMap::new();
    for (name, def) in types {
        let TypeKind::Struct { fields } = &def.kind else { continue };
        let held = fields
            .iter()
            .map(|f| {
                let mut out = BTreeSet::new();
                held_in_place(types, &f.ty, &mut out, &mut BTreeSet::new());
                (f.rust_name.as_str(), out)
            })
            .filter(|(_, out)| !out.is_empty())
            .collect();
        edges.insert(name, held);
    }
    // Per struct: every struct reachable from it in place, itself included.
    let reach: BTreeMap<&TypeName, BTreeSet<&TypeName>> = edges
        .keys()
        .map(|&start| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(name) = stack.pop() {
                if seen.insert(name) {
                    for (_, held) in edges.get(name).into_iter().flatten() {
                        stack.extend(held.iter());
                    }
                }
            }
            (start, seen)
        })
        .collect();
    let mut boxed = BTreeSet::new();
    for (&name, fields) in &edges {
        for (field, held) in fields {
            if held.iter().any(|h| reach.get(h).is_some_and(|r| r.contains(name))) {
                boxed.insert((name.clone(), field.to_string()));
            }
        }
    }
    boxed
}

//! Lineage, part 3: what the version gates of request bodies look at.
//!
//! A member of a request body needs a gate when some version the crate covers lacks it. A
//! gate is cheap — an `is_some()` per gated member — and the walk only enters values whose
//! type has gated members somewhere below, so a body of members every version has costs
//! nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, MemberGate, TypeKind, TypeName, TypeRef};

/// Per struct type reachable from a request body and holding gated members (at any depth):
/// the members to check or to walk into, in field order.
pub fn request_gates(api: &Api) -> BTreeMap<TypeName, Vec<MemberGate>> {
    let reachable = reachable_from_bodies(api);
    let needs = types_with_gates(api, &reachable);
    let mut gates = BTreeMap::new();
    for name in &needs {
        let Some(TypeKind::Struct { fields }) = api.types.get(name).map(|d| &d.kind) else { continue };
        let members: Vec<MemberGate> = fields
            .iter()
            .map(|f| MemberGate {
                wire_name: f.wire_name.clone(),
                rust_name: f.rust_name.clone(),
                required: (!f.availability.is_always()).then_some(f.availability),
                descend: type_has_gates(api, &needs, &f.ty),
            })
            .filter(|g| g.required.is_some() || g.descend)
            .collect();
        gates.insert(name.clone(), members);
    }
    gates
}

/// Whether a value of type `ty` has gated members (through aliases, arrays and maps).
pub fn type_has_gates(api: &Api, needs: &BTreeSet<TypeName>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(name) => match api.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias { target }) => type_has_gates(api, needs, target),
            _ => needs.contains(name),
        },
        TypeRef::Array(slot) | TypeRef::Map(slot) => type_has_gates(api, needs, &slot.ty),
        _ => false,
    }
}

/// Struct types whose members, or their members' members, are gated; a fixpoint, so
/// reference cycles are fine.
fn types_with_gates(api: &Api, reachable: &BTreeSet<TypeName>) -> BTreeSet<TypeName> {
    let mut needs: BTreeSet<TypeName> = BTreeSet::new();
    loop {
        let before = needs.len();
        for name in reachable {
            if needs.contains(name) {
                continue;
            }
            let Some(TypeKind::Struct { fields }) = api.types.get(name).map(|d| &d.kind) else { continue };
            if fields.iter().any(|f| !f.availability.is_always() || type_has_gates(api, &needs, &f.ty)) {
                needs.insert(name.clone());
            }
        }
        if needs.len() == before {
            return needs;
        }
    }
}

fn reachable_from_bodies(api: &Api) -> BTreeSet<TypeName> {
    let roots = crate::ir::reach::Roots { params: false, body: true, success: false, errors: false, stream: false };
    crate::ir::reach::reachable(&api.types, api.operations.values().flat_map(|op| op.root_types(roots)))
}

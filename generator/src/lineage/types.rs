//! Lineage, part 1: which types of consecutive versions are "the same type": by name first,
//! then by shape.
//!
//! A type of version N that has no same-named type in N-1 is matched with a type of N-1 that
//! disappeared in N when their members (field names, enum values) overlap enough (Jaccard
//! ≥ 0.6) and they are referenced from the same place (same field name or operation slot) or
//! carry the same Rust name; a very close match (≥ 0.9, ≥ 3 members) needs neither. Such pairs
//! are one *lineage*: a rename (`VolumeCreateOptions` → `VolumeCreateRequest`) or an inline
//! schema promoted to a definition (`Task.Status` → `TaskStatus`).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, Origin, TypeDef, TypeKind, TypeRef};

/// Minimum member overlap for a rename.
pub const RENAME_JACCARD: f64 = 0.6;
/// Overlap that counts as a rename without any other evidence.
pub const CLOSE_JACCARD: f64 = 0.9;

/// The lineage of every type of every version.
#[derive(Debug, Clone)]
pub struct Lineages {
    /// Per version: Rust type name → lineage key (the type's name in the last version that has it).
    pub keys: Vec<BTreeMap<String, String>>,
    /// Per version: Rust type name → the name the type goes by in that version.
    pub display: Vec<BTreeMap<String, String>>,
}

/// The name a type goes by in its version: the spec name of a definition; for an inline schema
/// inside a definition, its path (`ContainerSummary.Health`, `SystemInfo.DefaultAddressPools[]`);
/// for an inline schema of an operation, its Rust name (`ContainerInspectResponse`).
pub fn display_name(def: &TypeDef) -> String {
    match &def.origin {
        Origin::Definition(name) => name.clone(),
        Origin::Inline { pointer } => path_of_pointer(pointer).unwrap_or_else(|| def.name.clone()),
    }
}

/// `/definitions/HostConfig/allOf/1/properties/LogConfig/properties/Type` → `HostConfig.LogConfig.Type`.
fn path_of_pointer(pointer: &str) -> Option<String> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let mut iter = tokens.iter();
    if iter.next().map(String::as_str) != Some("definitions") {
        return None;
    }
    let mut path = iter.next()?.clone();
    while let Some(token) = iter.next() {
        match token.as_str() {
            "properties" => {
                path.push('.');
                path.push_str(iter.next()?);
            }
            "items" => path.push_str("[]"),
            "additionalProperties" => path.push_str("{}"),
            "allOf" => {
                iter.next();
            }
            _ => {}
        }
    }
    Some(path)
}

/// Named types in a type expression with the way they sit in it (`[]`, `{}`).
pub fn named_with_suffix(ty: &TypeRef, suffix: &str, out: &mut Vec<(String, String)>) {
    match ty {
        TypeRef::Named(name) => out.push((name.clone(), suffix.to_string())),
        TypeRef::Array(slot) => named_with_suffix(&slot.ty, &format!("{suffix}[]"), out),
        TypeRef::Map(slot) => named_with_suffix(&slot.ty, &format!("{suffix}{{}}"), out),
        _ => {}
    }
}

struct Shape {
    display: String,
    inline: bool,
    class: &'static str,
    members: BTreeSet<String>,
    sites: BTreeSet<String>,
}

fn shapes(api: &Api) -> BTreeMap<String, Shape> {
    let mut sites: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |ty: &TypeRef, site: String| {
        let mut found = Vec::new();
        named_with_suffix(ty, "", &mut found);
        for (name, suffix) in found {
            sites.entry(name).or_default().insert(format!("{site}{suffix}"));
        }
    };
    for def in api.types.values() {
        match &def.kind {
            TypeKind::Struct { fields } => fields.iter().for_each(|f| add(&f.ty, f.wire_name.clone())),
            TypeKind::Alias { target } => add(target, format!("alias:{}", def.name)),
            _ => {}
        }
    }
    for op in api.operations.values() {
        for p in &op.params {
            add(&p.ty, format!("op:{}:{}", op.id, p.name));
        }
        if let Some(ty) = op.body.as_ref().and_then(|b| b.ty.as_ref()) {
            add(ty, format!("op:{}:body", op.id));
        }
        for r in &op.responses {
            if let Some(ty) = &r.ty {
                add(ty, format!("op:{}:{}", op.id, r.code));
            }
        }
    }
    api.types
        .values()
        .map(|def| {
            let (class, members): (&'static str, BTreeSet<String>) = match &def.kind {
                TypeKind::Struct { fields } => ("struct", fields.iter().map(|f| f.wire_name.clone()).collect()),
                TypeKind::StringEnum { variants, .. } => ("enum", variants.iter().map(|v| v.value.clone()).collect()),
                TypeKind::IntegerEnum { variants, .. } => {
                    ("enum", variants.iter().map(|v| v.value.to_string()).collect())
                }
                TypeKind::Alias { target } => ("alias", BTreeSet::from([target.rust()])),
            };
            let inline = matches!(def.origin, Origin::Inline { .. });
            let shape = Shape {
                display: display_name(def),
                inline,
                class,
                members,
                sites: sites.remove(&def.name).unwrap_or_default(),
            };
            (def.name.clone(), shape)
        })
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// Assigns every type of every version (oldest first) to a lineage.
pub fn assign(apis: &[Api]) -> Lineages {
    // Lineage ids per version, and each lineage's (version, display name) history.
    let mut ids: Vec<BTreeMap<String, usize>> = Vec::with_capacity(apis.len());
    let mut history: Vec<Vec<(usize, String)>> = Vec::new();
    let mut displays: Vec<BTreeMap<String, String>> = Vec::with_capacity(apis.len());
    let mut previous: Option<BTreeMap<String, Shape>> = None;
    for (vi, api) in apis.iter().enumerate() {
        let current = shapes(api);
        let mut assigned = match (&previous, ids.last()) {
            (Some(prev), Some(prev_ids)) => match_previous(prev, prev_ids, &current),
            _ => BTreeMap::new(),
        };
        // A type that continues no lineage starts a new one.
        for rust in current.keys() {
            if !assigned.contains_key(rust) {
                history.push(Vec::new());
                assigned.insert(rust.clone(), history.len() - 1);
            }
        }
        for (rust, &id) in &assigned {
            if let (Some(h), Some(shape)) = (history.get_mut(id), current.get(rust)) {
                h.push((vi, shape.display.clone()));
            }
        }
        displays.push(current.iter().map(|(rust, s)| (rust.clone(), s.display.clone())).collect());
        ids.push(assigned);
        previous = Some(current);
    }
    let key_of = lineage_keys(&history);
    let keys = ids.iter().map(|m| m.iter().map(|(rust, &id)| (rust.clone(), key_of[id].clone())).collect()).collect();
    Lineages { keys, display: displays }
}

/// The types of this version that continue a lineage of the previous version (`prev`, whose
/// lineage ids are `prev_ids`): Rust name → lineage id. The strongest evidence goes first.
fn match_previous<'p>(
    prev: &'p BTreeMap<String, Shape>,
    prev_ids: &'p BTreeMap<String, usize>,
    current: &BTreeMap<String, Shape>,
) -> BTreeMap<String, usize> {
    let mut matches = Matches { prev_ids, used_old: BTreeSet::new(), assigned: BTreeMap::new() };
    matches.inline_operation_slots(prev, current);
    matches.same_names(prev, current);
    matches.similar_shapes(prev, current);
    matches.assigned
}

/// The matching of one version against the previous one, built up step by step.
struct Matches<'p> {
    prev_ids: &'p BTreeMap<String, usize>,
    /// Types of the previous version already continued by a type of this one.
    used_old: BTreeSet<&'p str>,
    /// Types of this version matched so far: Rust name → lineage id.
    assigned: BTreeMap<String, usize>,
}

impl<'p> Matches<'p> {
    /// `new` continues the lineage of `old`, unless either is already matched.
    fn link(&mut self, old: &'p str, new: &str) {
        if self.used_old.contains(old) || self.assigned.contains_key(new) {
            return;
        }
        if let Some(&id) = self.prev_ids.get(old) {
            self.assigned.insert(new.to_string(), id);
            self.used_old.insert(old);
        }
    }

    /// Inline schemas of operations are what sits in their place, whatever their title says
    /// (v1.41 swaps the titles of the network connect and disconnect bodies): one in the same
    /// operation slots with a similar shape is the same type.
    fn inline_operation_slots(&mut self, prev: &'p BTreeMap<String, Shape>, current: &BTreeMap<String, Shape>) {
        let mut inline_pairs: Vec<(i64, &str, &str)> = Vec::new();
        let op_rooted =
            |s: &Shape| s.inline && !s.sites.is_empty() && s.sites.iter().all(|site| site.starts_with("op:"));
        for (old, o) in prev.iter().filter(|(_, s)| op_rooted(s)) {
            for (new, n) in current.iter().filter(|(_, s)| s.inline && s.sites == o.sites && s.class == o.class) {
                let score = jaccard(&o.members, &n.members);
                if score >= RENAME_JACCARD {
                    inline_pairs.push(((score * 1_000_000.0) as i64, old, new));
                }
            }
        }
        inline_pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)).then(a.2.cmp(b.2)));
        for (_, old, new) in inline_pairs {
            self.link(old, new);
        }
    }

    /// A type that goes by the same name (spec name or inline path) as one of the previous
    /// version is that type.
    fn same_names(&mut self, prev: &'p BTreeMap<String, Shape>, current: &BTreeMap<String, Shape>) {
        let by_display: BTreeMap<&str, &str> =
            prev.iter().map(|(rust, s)| (s.display.as_str(), rust.as_str())).collect();
        for (rust, shape) in current {
            if let Some(old) = by_display.get(shape.display.as_str()) {
                self.link(old, rust);
            }
        }
    }

    /// Shape matches among what is left on both sides: similar members and the same place or
    /// Rust name, or very similar members alone; the best scores are linked first.
    fn similar_shapes(&mut self, prev: &'p BTreeMap<String, Shape>, current: &BTreeMap<String, Shape>) {
        let mut candidates: Vec<(i64, bool, &str, &str)> = Vec::new();
        for (old, old_shape) in prev.iter().filter(|(r, _)| !self.used_old.contains(r.as_str())) {
            for (new, new_shape) in current.iter().filter(|(r, _)| !self.assigned.contains_key(*r)) {
                if old_shape.class != new_shape.class {
                    continue;
                }
                let score = jaccard(&old_shape.members, &new_shape.members);
                let same_rust = old == new;
                let same_site = !old_shape.sites.is_disjoint(&new_shape.sites);
                let small = old_shape.members.len().min(new_shape.members.len()) < 3;
                let accept =
                    (score >= RENAME_JACCARD && (same_rust || same_site)) || (score >= CLOSE_JACCARD && !small);
                if accept {
                    candidates.push(((score * 1_000_000.0) as i64, same_rust || same_site, old, new));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)).then(a.3.cmp(b.3)));
        for (_, _, old, new) in candidates {
            self.link(old, new);
        }
    }
}

/// Key of each lineage (by id): its latest name. Lineages that end with the same name: the one
/// reaching the latest version keeps it, the others get `#2`, `#3`….
fn lineage_keys(history: &[Vec<(usize, String)>]) -> Vec<String> {
    let mut order: Vec<usize> = (0..history.len()).collect();
    order.sort_by_key(|&id| {
        let last = history[id].last().cloned().unwrap_or_default();
        (std::cmp::Reverse(last.0), last.1, id)
    });
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut key_of: Vec<String> = vec![String::new(); history.len()];
    for id in order {
        let name = history[id].last().map(|(_, n)| n.clone()).unwrap_or_default();
        let count = taken.entry(name.clone()).or_insert(0);
        *count += 1;
        key_of[id] = if *count == 1 { name } else { format!("{name}#{count}") };
    }
    key_of
}

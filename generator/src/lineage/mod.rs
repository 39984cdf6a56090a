//! Step 4 of the pipeline: lineage across all versions.
//!
//! From the IRs of every version (oldest first) this stage works out, once, which types of
//! different versions are the same type ([`types`], renames followed), and from that the *view*
//! of each version ([`superset::view`]): the IR that crate v1.NN is generated from. The view
//! has every type, property, enum value, operation and parameter that any version 1.40..=NN
//! defines, each with its [`Availability`](crate::ir::Availability). The code emitters and the
//! reports both read this one lineage, so they can never disagree.

pub mod deprecation;
pub mod gates;
pub mod replacements;
pub mod superset;
pub mod types;

use std::collections::BTreeMap;

use crate::ir::{Api, TypeRef};
use crate::version::ApiVersion;

pub use replacements::Replacements;
pub use types::Lineages as TypeLineages;

/// The lineage of every version's items.
#[derive(Debug, Clone)]
pub struct Lineage {
    /// Every version, oldest first (index = version index everywhere below).
    pub versions: Vec<ApiVersion>,
    /// Which types are the same across versions.
    pub types: TypeLineages,
}

impl Lineage {
    /// Computes the lineage of `apis`, which must be sorted oldest first.
    pub fn build(apis: &[Api]) -> Lineage {
        Lineage { versions: apis.iter().map(|a| a.version).collect(), types: types::assign(apis) }
    }

    /// Index of `version`, if it is one of the lined-up versions.
    pub fn index_of(&self, version: ApiVersion) -> Option<usize> {
        self.versions.iter().position(|v| *v == version)
    }

    /// The lineage key of type `name` of version index `vi`.
    pub fn key(&self, vi: usize, name: &str) -> Option<&str> {
        self.types.keys.get(vi).and_then(|k| k.get(name)).map(String::as_str)
    }

    /// Every type name of version index `vi`, by lineage key.
    pub fn names_by_key(&self, vi: usize) -> BTreeMap<&str, &str> {
        self.types.keys.get(vi).into_iter().flatten().map(|(name, key)| (key.as_str(), name.as_str())).collect()
    }
}

/// A type expression with every named type renamed by `rename` (names it does not know are kept).
pub fn rename_type(ty: &TypeRef, rename: &dyn Fn(&str) -> Option<String>) -> TypeRef {
    match ty {
        TypeRef::Named(name) => TypeRef::Named(rename(name).unwrap_or_else(|| name.clone())),
        TypeRef::Array(slot) => {
            TypeRef::Array(Box::new(crate::ir::Slot { ty: rename_type(&slot.ty, rename), nullable: slot.nullable }))
        }
        TypeRef::Map(slot) => {
            TypeRef::Map(Box::new(crate::ir::Slot { ty: rename_type(&slot.ty, rename), nullable: slot.nullable }))
        }
        other => other.clone(),
    }
}

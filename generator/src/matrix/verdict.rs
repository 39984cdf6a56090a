//! Two verdicts per change: one for the wire, one for Rust source. Step 2 of the pipeline,
//! after [`super::classify`] (whose level is the wire level before the refinements below).
//!
//! - **wire**: a client written against the older version's spec, talking JSON over HTTP to a
//!   daemon of the newer one. Names do not travel, so a rename is `info`; a response type that
//!   keeps every member it had (`Network` → `NetworkInspect` in 1.52), or is the same after
//!   aliases are resolved (`Vec<Network>` → `Vec<NetworkSummary>`), is `info` (the members it
//!   lost are reported on their own); a query parameter that became an array of what it was
//!   (`platform`, 1.52) is `info` (one value is a one-element array); a response property that
//!   is no longer required is `breaking` for a strict client (`ImageSummary.VirtualSize`, 1.43).
//! - **rust**: Rust code written against this project's crate of the older version, built
//!   against the crate of the newer one. Crates keep what later versions removed (deprecated),
//!   so removals are `warning`; every field is an `Option`, so required/nullable changes are
//!   `info`; a type that changes (a property, parameter, body or response type; a string that
//!   became an enum; untyped JSON that became a struct) is `breaking`, as is a new or changed
//!   method argument (a required parameter, a body); a renamed type keeps a deprecated alias
//!   (`warning`).
//!
//! [`Change::level`] is the more severe of the two.

use serde_json::Value;

use super::change_id::{ChangeId as C, Level, PropertyChange as P, PropertyUse};
use super::classify::Change;
use super::entity::{Info, Kind};
use super::state::{State, TypeShape};
use super::Matrix;

impl Matrix {
    /// Sets the wire and Rust levels of a change between version indices `from` and `to`, and
    /// its level, the more severe of the two.
    pub(super) fn judge(&self, change: &mut Change, from: usize, to: usize) {
        // Only a change of a type expression compares types (descriptions are long texts).
        let typed = matches!(
            change.id,
            C::RequestParameterTypeChanged
                | C::RequestBodyTypeChanged
                | C::ResponseTypeChanged
                | C::TypeChanged
                | C::Property(_, P::TypeChanged)
        );
        let same = typed && self.same_type(&change.before, from, &change.after, to);
        change.wire = self.wire_level(change, from, to, same);
        change.rust = rust_level(change, same);
        change.level = change.wire.min(change.rust);
    }

    fn wire_level(&self, c: &Change, from: usize, to: usize, same: bool) -> Level {
        let (before, after) = (c.before.as_str().unwrap_or_default(), c.after.as_str().unwrap_or_default());
        match c.id {
            C::TypeRenamed | C::TypePromoted | C::TypeInlined => Level::Info,
            C::RequestParameterTypeChanged if after == format!("Vec<{before}>") => Level::Info,
            C::ResponseTypeChanged if matches!(before, "Map<String, Value>" | "Value") => Level::Info,
            C::ResponseTypeChanged | C::RequestBodyTypeChanged | C::TypeChanged | C::Property(_, P::TypeChanged)
                if same || self.keeps_members(before, from, after, to, 0) =>
            {
                Level::Info
            }
            C::Property(PropertyUse::Response, P::RequiredChanged) if c.after == Value::Bool(false) => Level::Breaking,
            _ => c.level,
        }
    }

    /// Whether two spelled type expressions are one Rust type once aliases are resolved.
    fn same_type(&self, before: &Value, from: usize, after: &Value, to: usize) -> bool {
        match (before.as_str(), after.as_str()) {
            (Some(a), Some(b)) => self.resolve(a, from, 0) == self.resolve(b, to, 0),
            _ => false,
        }
    }

    /// A spelled type expression with every alias replaced by what it stands for at `vi`.
    fn resolve(&self, spelled: &str, vi: usize, depth: usize) -> String {
        let mut out = String::with_capacity(spelled.len());
        let mut word = String::new();
        for ch in spelled.chars().chain(std::iter::once('\0')) {
            if matches!(ch, '<' | '>' | ',' | ' ' | '\0') {
                match self.alias_target(&word, vi) {
                    Some(target) if depth < 8 => out.push_str(&self.resolve(target, vi, depth + 1)),
                    _ => out.push_str(&word),
                }
                word.clear();
                if ch != '\0' {
                    out.push(ch);
                }
            } else {
                word.push(ch);
            }
        }
        out
    }

    fn alias_target(&self, key: &str, vi: usize) -> Option<&str> {
        match self.state(Kind::Type, key, vi) {
            Some(State::Type(t)) if t.kind == TypeShape::Alias => t.target.as_deref(),
            _ => None,
        }
    }

    /// Whether `after` (at `to`) has every member `before` (at `from`) had, with a type that
    /// keeps its members in turn: JSON a client read or sent before still means the same.
    fn keeps_members(&self, before: &str, from: usize, after: &str, to: usize, depth: usize) -> bool {
        let (a, b) = (self.resolve(before, from, 0), self.resolve(after, to, 0));
        if a == b {
            return true;
        }
        if depth > 4 {
            return false;
        }
        for wrapper in ["Vec<", "BTreeMap<String, ", "Option<"] {
            if let (Some(x), Some(y)) = (a.strip_prefix(wrapper), b.strip_prefix(wrapper)) {
                let (x, y) = (x.strip_suffix('>').unwrap_or(x), y.strip_suffix('>').unwrap_or(y));
                return self.keeps_members(x, from, y, to, depth + 1);
            }
        }
        let (old, new) = (self.members(&a, from), self.members(&b, to));
        if old.is_empty() || new.is_empty() {
            return false;
        }
        old.iter()
            .all(|(name, ty)| new.iter().any(|(n, t)| n == name && self.keeps_members(ty, from, t, to, depth + 1)))
    }

    /// (JSON name, spelled type) of every property of the struct `key` at `vi`.
    pub(super) fn members(&self, key: &str, vi: usize) -> Vec<(&str, &str)> {
        let prefix = format!("{key}.");
        self.entities
            .range((Kind::Property, prefix.clone())..)
            .take_while(|((kind, k), _)| *kind == Kind::Property && k.starts_with(&prefix))
            .filter(|(_, e)| matches!(&e.info, Info::Property { owner, .. } if owner == key))
            .filter_map(|(_, e)| match (&e.info, e.state(vi)) {
                (Info::Property { name, .. }, Some(State::Property(p))) => Some((name.as_str(), p.ty.as_str())),
                _ => None,
            })
            .collect()
    }
}

/// The level for Rust code written against the older crate (see the module docs).
fn rust_level(c: &Change, same: bool) -> Level {
    match c.id {
        C::OperationRemoved
        | C::RequestParameterRemoved
        | C::RequestBodyRemoved
        | C::ResponseRemoved
        | C::TypeRemoved
        | C::EnumValueRemoved
        | C::Property(_, P::Removed) => Level::Warning,
        C::RequestParameterAdded if c.message.contains("(required") => Level::Breaking,
        C::RequestBodyAdded | C::RequestParameterRequiredChanged | C::RequestBodyRequiredChanged => Level::Breaking,
        C::RequestParameterTypeChanged
        | C::RequestBodyTypeChanged
        | C::ResponseTypeChanged
        | C::TypeChanged
        | C::Property(_, P::TypeChanged)
            if same =>
        {
            Level::Info
        }
        C::RequestParameterTypeChanged
        | C::RequestBodyTypeChanged
        | C::ResponseTypeChanged
        | C::TypeChanged
        | C::TypeKindChanged
        | C::Property(_, P::TypeChanged | P::EnumIntroduced) => Level::Breaking,
        C::TypeRenamed if c.level != Level::Info => Level::Warning,
        _ => Level::Info,
    }
}

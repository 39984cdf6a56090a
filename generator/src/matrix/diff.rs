//! Step 2 of the pipeline: what differs between any two versions of the matrix, each
//! difference classified by [`super::classify`] for a client written against the older one.

use super::change_id::{ChangeId, Level};
use super::classify::{self, Change};
use super::entity::{Entity, Info, Kind, Side};
use super::state::{State, TypeOrigin};
use super::Matrix;
use crate::version::ApiVersion;

/// The changes between two versions, as [`Matrix::diff`] finds them.
#[derive(Debug, Clone)]
pub struct Diff {
    pub from: ApiVersion,
    pub to: ApiVersion,
    /// Everything but description-only changes, most severe first.
    pub changes: Vec<Change>,
    /// Description (and summary) changes.
    pub descriptions: Vec<Change>,
    /// Deprecations the descriptions state, new, withdrawn or reworded in this version.
    pub deprecations: Vec<Change>,
}

/// Whose level of a change: the combined one, the wire's or Rust source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Both,
    Wire,
    Rust,
}

impl Change {
    pub fn level_for(&self, audience: Audience) -> Level {
        match audience {
            Audience::Both => self.level,
            Audience::Wire => self.wire,
            Audience::Rust => self.rust,
        }
    }
}

impl Diff {
    pub fn count(&self, level: Level) -> usize {
        self.count_for(Audience::Both, level)
    }

    /// How many changes have `level` for `audience`.
    pub fn count_for(&self, audience: Audience, level: Level) -> usize {
        self.changes.iter().filter(|c| c.level_for(audience) == level).count()
    }
}

impl Matrix {
    /// Everything that differs between version indices `from` and `to`, classified for a
    /// client written against `from`.
    pub fn diff(&self, from: usize, to: usize) -> Diff {
        let version = |i: usize| self.versions.get(i).map(|v| v.version).unwrap_or(ApiVersion::new(0, 0));
        let (mut changes, mut descriptions, mut deprecations) = (Vec::new(), Vec::new(), Vec::new());
        for entity in self.entities.values() {
            let side = sides(entity, from, to);
            let found = match (entity.state(from), entity.state(to)) {
                (None, None) => continue,
                (None, Some(state)) | (Some(state), None) => {
                    if self.covered_by_parent(entity, from, to) {
                        continue;
                    }
                    classify::presence(self, entity, entity.present(to), side, state).into_iter().collect()
                }
                (Some(a), Some(b)) => classify::attributes(self, entity, a, b, side),
            };
            for mut change in found {
                change.operations = self.affected(entity, from, to);
                self.judge(&mut change, from, to);
                match change.id {
                    ChangeId::DescriptionChanged => descriptions.push(change),
                    ChangeId::Deprecated | ChangeId::DeprecationWithdrawn | ChangeId::DeprecationNoteChanged => {
                        deprecations.push(change)
                    }
                    _ => changes.push(change),
                }
            }
        }
        let order = |c: &Change| (c.level, c.kind, c.key.clone(), c.attribute, c.id);
        for list in [&mut changes, &mut descriptions, &mut deprecations] {
            list.sort_by_key(order);
        }
        Diff { from: version(from), to: version(to), changes, descriptions, deprecations }
    }

    /// A parameter or response of an added/removed operation, a value of an added/removed enum,
    /// or a property of an added/removed definition (or of an inline type inside one) is
    /// reported with its parent.
    fn covered_by_parent(&self, entity: &Entity, from: usize, to: usize) -> bool {
        let changed = |kind: Kind, key: &str| self.get(kind, key).is_some_and(|p| p.present(from) != p.present(to));
        match &entity.info {
            Info::Parameter { operation, .. } | Info::Response { operation, .. } => changed(Kind::Operation, operation),
            Info::Header { response, .. } => changed(Kind::Response, response),
            // A new (or dropped) enum brings (or takes) all its values.
            Info::EnumValue { owner, .. } => changed(Kind::Type, owner),
            Info::Property { owner, .. } => {
                if !changed(Kind::Type, owner) {
                    return false;
                }
                let Some(ty) = self.get(Kind::Type, owner) else { return false };
                if let Some(State::Type(state)) = ty.state(from).or(ty.state(to)) {
                    if state.origin == TypeOrigin::Definition {
                        return true;
                    }
                }
                // An inline type: covered when the definition it lives in came or went, or every
                // operation that uses it.
                let root = owner.split(['.', '[', '{']).next().unwrap_or(owner);
                (root != owner && changed(Kind::Type, root)) || self.came_with_its_operations(owner, from, to)
            }
            Info::Operation { .. } | Info::Type { .. } => false,
        }
    }

    /// Diffs of every consecutive pair.
    pub fn pairs(&self) -> Vec<Diff> {
        (1..self.versions.len()).map(|i| self.diff(i - 1, i)).collect()
    }
}

/// How the entry travels in either version.
fn sides(entity: &Entity, from: usize, to: usize) -> Side {
    let side = |vi: usize| entity.sides.get(vi).copied().unwrap_or_default();
    side(from).or(side(to))
}

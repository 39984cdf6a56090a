//! Which operations a change affects, and on which side (request or response): step 2 of the
//! pipeline, after [`super::classify`]. The operations come from the one reachability walk
//! ([`crate::ir::reach`], with `allOf` parents and the streaming table's item types) that
//! [`super::build`] records per version in [`Matrix::type_users`].

use std::collections::BTreeMap;

use super::entity::{Entity, Info, Kind, Side};
use super::Matrix;

/// Operation id → how the operation uses the changed entry.
pub type Uses = BTreeMap<String, Side>;

impl Matrix {
    /// The operations that reach the type `key` at version index `vi`.
    pub fn users_at(&self, key: &str, vi: usize) -> Option<&Uses> {
        self.type_users.get(vi).and_then(|users| users.get(key))
    }

    /// Every operation that reaches the type `key` in any version, with the sides it has used.
    pub fn users_ever(&self, key: &str) -> Uses {
        let mut out = Uses::new();
        for vi in 0..self.type_users.len() {
            merge(&mut out, self.users_at(key, vi));
        }
        out
    }

    /// The operations a difference of `entity` between version indices `from` and `to` affects:
    /// an operation itself (its call, a request side); the operation of a parameter (request)
    /// or response (response); and for a type, property or enum value every operation that
    /// reaches the type in either version.
    pub fn affected(&self, entity: &Entity, from: usize, to: usize) -> Uses {
        let type_users = |key: &str| {
            let mut out = Uses::new();
            merge(&mut out, self.users_at(key, from));
            merge(&mut out, self.users_at(key, to));
            out
        };
        match &entity.info {
            Info::Operation { .. } => Uses::from([(entity.key.clone(), Side::REQUEST)]),
            Info::Parameter { operation, .. } => Uses::from([(operation.clone(), Side::REQUEST)]),
            Info::Response { operation, .. } | Info::Header { operation, .. } => {
                Uses::from([(operation.clone(), Side::RESPONSE)])
            }
            Info::Type { .. } => type_users(&entity.key),
            Info::Property { owner, name } if entity.present(from) && !entity.present(to) => {
                let mut uses = type_users(owner);
                uses.retain(|op, _| !self.still_carried(owner, name, op, to));
                uses
            }
            Info::Property { owner, .. } | Info::EnumValue { owner, .. } => type_users(owner),
        }
    }

    /// Whether `op` still gets the member `name` that `owner` lost at `to`, through another type
    /// that has all of `owner`'s members and that one too: the type that copied `owner` with
    /// `allOf` and kept it (`NetworkInspect` keeps `Containers`, which `Network` drops in 1.52).
    fn still_carried(&self, owner: &str, name: &str, op: &str, to: usize) -> bool {
        let Some(users) = self.type_users.get(to) else { return false };
        let base: Vec<&str> = self.members(owner, to).into_iter().map(|(n, _)| n).collect();
        users.iter().filter(|(key, ops)| key.as_str() != owner && ops.contains_key(op)).any(|(key, _)| {
            let members: Vec<&str> = self.members(key, to).into_iter().map(|(n, _)| n).collect();
            members.contains(&name) && base.iter().all(|b| members.contains(b))
        })
    }

    /// A type (or a member of one) that only operations added (or removed) between `from` and
    /// `to` use, in the version that has it: it came (or went) with them and is reported with
    /// them (`VolumeUpdateBody.Spec` with `VolumeUpdate` in 1.42).
    pub(super) fn came_with_its_operations(&self, type_key: &str, from: usize, to: usize) -> bool {
        let came = |vi: usize| self.users_at(type_key, vi).filter(|users| !users.is_empty());
        let Some(users) = came(to).or_else(|| came(from)) else { return false };
        users.keys().all(|op| self.get(Kind::Operation, op).is_some_and(|o| o.present(from) != o.present(to)))
    }
}

fn merge(out: &mut Uses, users: Option<&Uses>) {
    for (op, side) in users.into_iter().flatten() {
        let slot = out.entry(op.clone()).or_default();
        *slot = slot.or(*side);
    }
}

/// The sides as `matrix.json` and the reports spell them: `["request"]`, `["request", "response"]`.
pub fn side_names(side: Side) -> Vec<&'static str> {
    let mut out = Vec::new();
    if side.request {
        out.push("request");
    }
    if side.response {
        out.push("response");
    }
    out
}

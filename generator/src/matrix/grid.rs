//! Step 3 of the pipeline: the operations × versions grid of `MATRIX.md` and `report.html`,
//! each cell showing whether the operation was there and how much it changed.

use std::collections::{BTreeMap, BTreeSet};

use super::change_id::Level;
use super::diff::Diff;
use super::entity::Kind;
use super::Matrix;

/// What the matrix grid shows for one operation at one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Absent,
    /// The version that no longer has the operation.
    Removed,
    Added,
    /// Present, with nothing (but descriptions) changed since the previous version.
    Present,
    /// Present, and the operation, its parameters, responses or the types they reach changed;
    /// the most severe level.
    Changed(Level),
}

impl Matrix {
    /// For each operation, one [`Cell`] per version; `pairs` are [`Matrix::pairs`].
    pub fn operation_cells(&self, pairs: &[Diff]) -> BTreeMap<String, Vec<Cell>> {
        let touched = self.touched_operations(pairs);
        let mut out = BTreeMap::new();
        for entity in self.entities.values().filter(|e| e.kind() == Kind::Operation) {
            let cells = (0..self.versions.len())
                .map(|vi| {
                    let now = entity.present(vi);
                    let before = vi > 0 && entity.present(vi - 1);
                    match (now, before) {
                        (false, true) => Cell::Removed,
                        (false, false) => Cell::Absent,
                        (true, false) if vi > 0 => Cell::Added,
                        (true, false) => Cell::Present,
                        (true, true) => match touched.get(vi).and_then(|t| t.get(entity.key.as_str())) {
                            Some(level) => Cell::Changed(*level),
                            None => Cell::Present,
                        },
                    }
                })
                .collect();
            out.insert(entity.key.clone(), cells);
        }
        out
    }

    /// Per version index (the newer of each pair): operation → most severe level of the
    /// changes that touch it.
    fn touched_operations<'a>(&'a self, pairs: &'a [Diff]) -> Vec<BTreeMap<&'a str, Level>> {
        let mut touched: Vec<BTreeMap<&'a str, Level>> = vec![BTreeMap::new(); self.versions.len()];
        for (pi, diff) in pairs.iter().enumerate() {
            let to = pi + 1;
            let mut users: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for vi in [pi, to] {
                for (op, types) in self.op_types.get(vi).into_iter().flatten() {
                    for ty in types {
                        users.entry(ty.as_str()).or_default().insert(op.as_str());
                    }
                }
            }
            let Some(slot) = touched.get_mut(to) else { continue };
            for change in &diff.changes {
                let parent = self.get(change.kind, &change.key).and_then(|e| e.parent());
                let ops: Vec<&str> = match change.kind {
                    Kind::Operation => vec![change.key.as_str()],
                    Kind::Parameter | Kind::Response => parent.into_iter().collect(),
                    Kind::Type => users.get(change.key.as_str()).into_iter().flatten().copied().collect(),
                    Kind::Property | Kind::EnumValue => {
                        parent.and_then(|p| users.get(p)).into_iter().flatten().copied().collect()
                    }
                };
                for op in ops {
                    let level = slot.entry(op).or_insert(change.level);
                    *level = (*level).min(change.level);
                }
            }
        }
        touched
    }
}

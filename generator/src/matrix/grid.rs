//! Step 3 of the pipeline: the operations × versions grid of `MATRIX.md` and `report.html`,
//! each cell showing whether the operation was there and how much it changed.

use std::collections::BTreeMap;

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
    /// changes that affect it ([`super::Change::operations`]).
    fn touched_operations<'a>(&'a self, pairs: &'a [Diff]) -> Vec<BTreeMap<&'a str, Level>> {
        let mut touched: Vec<BTreeMap<&'a str, Level>> = vec![BTreeMap::new(); self.versions.len()];
        for (pi, diff) in pairs.iter().enumerate() {
            let Some(slot) = touched.get_mut(pi + 1) else { continue };
            for change in &diff.changes {
                for op in change.operations.keys() {
                    let level = slot.entry(op.as_str()).or_insert(change.level);
                    *level = (*level).min(change.level);
                }
            }
        }
        touched
    }
}

//! The "what is new in v1.NN" summary `cargo xtask regen` prints for the newest version: its
//! changes against the version before, counted by level, and every breaking one listed (the
//! full list is `generated/diffs/v1.MM-v1.NN.md` and `cargo xtask diff`).

use std::fmt::Write as _;

use codegen::ir::Api;
use codegen::matrix::{Level, Matrix};

/// How many breaking changes are listed before "… and N more".
const MAX_LISTED: usize = 25;

/// The summary for the newest of `apis` (oldest first); `None` with fewer than two versions.
pub fn summary(apis: &[Api]) -> Option<String> {
    let pair = apis.get(apis.len().checked_sub(2)?..)?;
    // The last pair alone: a diff between neighbours needs no other version.
    let matrix = Matrix::build(pair);
    let diff = matrix.diff(0, 1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "what is new in v{} (against v{}): {} breaking, {} warnings, {} info, {} description changes",
        diff.to,
        diff.from,
        diff.count(Level::Breaking),
        diff.count(Level::Warning),
        diff.count(Level::Info),
        diff.descriptions.len()
    );
    let breaking: Vec<_> = diff.changes.iter().filter(|c| c.level == Level::Breaking).collect();
    for change in breaking.iter().take(MAX_LISTED) {
        let _ = writeln!(out, "  breaking: {} ({})", change.message.replace('`', ""), change.id);
    }
    if breaking.len() > MAX_LISTED {
        let _ = writeln!(out, "  … and {} more breaking changes", breaking.len() - MAX_LISTED);
    }
    let _ = writeln!(out, "  every change: cargo xtask diff {} {}", diff.from, diff.to);
    Some(out)
}

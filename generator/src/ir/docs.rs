//! Spec descriptions → rustdoc text.
//!
//! The descriptions are Markdown written for ReDoc. Two things would break `cargo test` or the
//! docs: fenced blocks without a language (rustdoc compiles them as Rust doctests) and
//! indented blocks (rustdoc treats them as Rust code too). Fences get the `text` language;
//! indentation of four or more spaces outside a fence is reduced so nothing becomes code.

/// Rewrites one description so that rustdoc renders it and never runs it.
pub fn rustdoc_text(description: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in description.trim_end().lines() {
        let line = line.trim_end();
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_start_matches(marker.as_str()).is_empty() {
                out.push(format!("{indent}{marker}"));
                fence = None;
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        let marker = if trimmed.starts_with("```") {
            "```"
        } else if trimmed.starts_with("~~~") {
            "~~~"
        } else {
            ""
        };
        if !marker.is_empty() {
            let language = trimmed[marker.len()..].trim();
            let language = if language == "rust" { "rust" } else { "text" };
            fence = Some(marker.to_string());
            out.push(format!("{}{marker}{language}", reduce_indent(indent)));
            continue;
        }
        out.push(format!("{}{trimmed}", reduce_indent(indent)));
    }
    if let Some(marker) = fence {
        // An unclosed fence would swallow the rest of the item's docs.
        out.push(marker);
    }
    out.join("\n")
}

/// Indentation of 4+ columns makes an indented code block; keep nesting, stay below 4.
fn reduce_indent(indent: &str) -> String {
    let width = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum::<usize>();
    " ".repeat(width.min(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_indentation_is_capped() {
        let input = "Intro\n\n```\n{\"a\": 1}\n```\n\n    indented\n- item\n  more";
        let out = rustdoc_text(input);
        assert_eq!(out, "Intro\n\n```text\n{\"a\": 1}\n```\n\n  indented\n- item\n  more");
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(rustdoc_text("```json\n{}"), "```text\n{}\n```");
    }
}

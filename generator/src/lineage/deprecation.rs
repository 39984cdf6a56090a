//! Deprecations the specs state in prose: which wording counts, and the note it gives.
//!
//! Place in the pipeline: read by the matrix (the `deprecated` attribute of operations,
//! parameters, responses' headers, types and properties, and each diff's "deprecated in this
//! version" section) and by the emitters (`#[deprecated(note = "…")]` on the generated field,
//! options field, method or type). The accepted wording is [`MARKERS`], nowhere else.
//!
//! A description is deprecated when one of its lines — after an optional Markdown block-quote
//! `>` — starts with a marker. The note is the rest of that paragraph (up to a blank line), its
//! lines joined. Words in passing ("MAINTAINER (deprecated)", "the `is-automated` filter is
//! deprecated") do not count: they speak of something else than the member itself.

/// The line starts that mark a member as deprecated, as the specs write them:
/// `> **Deprecated**: …` (block-quoted or not), `**Deprecated:** …` and `Deprecated: …`.
pub const MARKERS: &[&str] = &["**Deprecated**:", "**Deprecated:**", "Deprecated:"];

/// The deprecation note of a description, if it has one (`None` when it is not deprecated).
/// A marker with nothing after it gives the note "Deprecated.".
pub fn note(description: &str) -> Option<String> {
    let mut lines = description.lines().map(unquote);
    let rest = lines.by_ref().find_map(|line| MARKERS.iter().find_map(|m| line.strip_prefix(m)))?;
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    for line in lines.take_while(|line| !line.is_empty()) {
        words.extend(line.split_whitespace());
    }
    if words.is_empty() {
        Some("Deprecated.".to_string())
    } else {
        Some(words.join(" "))
    }
}

/// The note of the one `#[deprecated]` a generated item gets: why it is kept although a later
/// version removed it (`removed`, its range), then what the spec's prose says; `None` when
/// neither applies.
pub fn attribute_note(removed: Option<String>, description: Option<&str>) -> Option<String> {
    match (removed, description.and_then(note)) {
        (Some(removed), Some(prose)) => Some(format!("{removed} Deprecated: {prose}")),
        (removed, prose) => removed.or(prose),
    }
}

/// A line without its indentation and an optional block-quote marker.
fn unquote(line: &str) -> &str {
    let line = line.trim();
    line.strip_prefix('>').map(str::trim).unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_and_the_whole_paragraph() {
        let quoted = "IP address.\n\n<p><br /></p>\n\n> **Deprecated**: This field is only propagated\n> when attached to the default network.\n\nMore.";
        assert_eq!(
            note(quoted).as_deref(),
            Some("This field is only propagated when attached to the default network.")
        );
        assert_eq!(note("Deprecated: never set.").as_deref(), Some("never set."));
        assert_eq!(note("x\n**Deprecated:** gone").as_deref(), Some("gone"));
        assert_eq!(note("**Deprecated**:").as_deref(), Some("Deprecated."));
    }

    #[test]
    fn one_note_for_removal_and_prose() {
        let removed = Some("Removed in API v1.52.".to_string());
        assert_eq!(
            attribute_note(removed.clone(), Some("Deprecated: gone.")).as_deref(),
            Some("Removed in API v1.52. Deprecated: gone.")
        );
        assert_eq!(attribute_note(removed.clone(), Some("plain")), removed);
        assert_eq!(attribute_note(None, Some("Deprecated: gone.")).as_deref(), Some("gone."));
        assert_eq!(attribute_note(None, None), None);
    }

    #[test]
    fn words_in_passing_do_not_count() {
        assert_eq!(note("specified through MAINTAINER (deprecated) in the Dockerfile."), None);
        assert_eq!(note("- `1` is the first generation classic (deprecated) builder"), None);
        assert_eq!(note("The `is-automated` filter is deprecated."), None);
        assert_eq!(note("Not Deprecated: here"), None);
    }
}

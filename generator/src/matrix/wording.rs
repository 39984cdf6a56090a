//! Word-level diffs of descriptions (crate `similar`), for the Markdown and HTML reports.
//!
//! Place in the pipeline: step 4, a helper of the reports; the texts come from the entry's
//! states, never from generated code.

use similar::{ChangeTag, TextDiff};

/// One run of words: kept, removed or added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Words {
    Same(String),
    Removed(String),
    Added(String),
}

/// The word-level difference of two texts, whitespace collapsed to single spaces. Changed words
/// with only spaces between them form one removed run followed by one added run, so a reworded
/// phrase reads as the old phrase and the new one.
pub fn diff(before: &str, after: &str) -> Vec<Words> {
    let (a, b) = (collapse(before), collapse(after));
    let text_diff = TextDiff::from_words(a.as_str(), b.as_str());
    let tokens: Vec<(ChangeTag, &str)> = text_diff.iter_all_changes().map(|c| (c.tag(), c.value())).collect();
    let mut out: Vec<Words> = Vec::new();
    let (mut removed, mut added) = (String::new(), String::new());
    for (i, (tag, text)) in tokens.iter().enumerate() {
        let between_changes = text.trim().is_empty()
            && !(removed.is_empty() && added.is_empty())
            && tokens.get(i + 1).is_some_and(|(next, _)| *next != ChangeTag::Equal);
        match tag {
            ChangeTag::Delete => removed.push_str(text),
            ChangeTag::Insert => added.push_str(text),
            ChangeTag::Equal if between_changes => {
                removed.push_str(text);
                added.push_str(text);
            }
            ChangeTag::Equal => {
                flush(&mut out, &mut removed, &mut added);
                match out.last_mut() {
                    Some(Words::Same(run)) => run.push_str(text),
                    _ => out.push(Words::Same(text.to_string())),
                }
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

fn flush(out: &mut Vec<Words>, removed: &mut String, added: &mut String) {
    if !removed.is_empty() {
        out.push(Words::Removed(std::mem::take(removed)));
    }
    if !added.is_empty() {
        out.push(Words::Added(std::mem::take(added)));
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown: removed words ~~struck~~, added ones **bold**, long unchanged runs shortened.
pub fn markdown(before: &str, after: &str) -> String {
    let runs = diff(before, after);
    if runs.iter().all(|r| matches!(r, Words::Same(_))) {
        return "(whitespace only)".into();
    }
    let mut out = String::new();
    for run in runs {
        match run {
            Words::Same(text) => out.push_str(&shorten(&escape_md(&text))),
            Words::Removed(text) => mark(&mut out, "~~", &escape_md(&text)),
            Words::Added(text) => mark(&mut out, "**", &escape_md(&text)),
        }
    }
    out
}

/// `~~a b~~ ` with the run's own outer spaces kept outside the marks (Markdown needs that).
fn mark(out: &mut String, marks: &str, text: &str) {
    let core = text.trim();
    if core.is_empty() {
        out.push_str(text);
        return;
    }
    if text.starts_with(' ') {
        out.push(' ');
    }
    out.push_str(marks);
    out.push_str(core);
    out.push_str(marks);
    if text.ends_with(' ') {
        out.push(' ');
    }
}

/// An unchanged run of more than 24 words keeps 8 at each end.
pub fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() <= 24 {
        return text.to_string();
    }
    format!("{} … {}", words[..8].join(" "), words[words.len() - 8..].join(" "))
}

/// Characters Markdown would read as markup in running text.
fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '|' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_not_characters() {
        let runs = diff("Default version of  docker image builder", "Default version of docker image builder: \"2\"");
        assert_eq!(runs.first(), Some(&Words::Same("Default version of docker image ".into())));
        assert!(runs.contains(&Words::Removed("builder".into())), "{runs:?}");
        assert!(runs.contains(&Words::Added("builder: \"2\"".into())), "{runs:?}");
        assert_eq!(markdown("a b", "a c"), "a ~~b~~**c**");
        assert_eq!(
            markdown("An open port on a container", "Describes a port-mapping between the container"),
            "~~An open port on a~~**Describes a port-mapping between the** container"
        );
        assert_eq!(diff("same", "same"), [Words::Same("same".into())]);
        assert_eq!(markdown("a  b", "a b"), "(whitespace only)");
    }

    #[test]
    fn markup_is_escaped_and_long_runs_shortened() {
        assert_eq!(markdown("x", "`y` *z*"), "~~x~~**\\`y\\` \\*z\\***");
        let long = (0..30).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let text = markdown(&format!("{long} old"), &format!("{long} new"));
        assert!(text.starts_with("w0 w1") && text.contains(" … ") && text.ends_with("~~old~~**new**"), "{text}");
    }
}

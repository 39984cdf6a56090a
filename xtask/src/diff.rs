//! `cargo xtask diff FROM TO [--format text|markdown|json|html] [--specs DIR]`: what changed
//! between any two API versions (not only neighbours), classified for a client of FROM.

use std::path::PathBuf;

use codegen::matrix::{html, json, markdown, without_generated_note, Matrix};
use codegen::ApiVersion;

use crate::workspace_root;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Json,
    Html,
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut format = Format::Text;
    let mut specs: Option<PathBuf> = None;
    let mut positional: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--format" => {
                format = match iter.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("markdown" | "md") => Format::Markdown,
                    Some("json") => Format::Json,
                    Some("html") => Format::Html,
                    Some(other) => return Err(format!("--format: `{other}` is not one of text, markdown, json, html")),
                    None => return Err("--format needs a value (text, markdown, json, html)".into()),
                }
            }
            "--specs" => specs = Some(PathBuf::from(iter.next().ok_or("--specs needs a value")?)),
            other if other.starts_with("--") => return Err(format!("unknown argument `{other}`")),
            other => positional.push(other),
        }
    }
    let [from, to] = positional.as_slice() else {
        return Err("usage: cargo xtask diff FROM TO [--format text|markdown|json|html] [--specs DIR]".into());
    };
    let from: ApiVersion = from.parse().map_err(|e| format!("FROM: {e}"))?;
    let to: ApiVersion = to.parse().map_err(|e| format!("TO: {e}"))?;
    if from > to {
        return Err(format!("FROM ({from}) must not be newer than TO ({to})"));
    }
    let root = workspace_root();
    let specs_dir = codegen::regen::resolve_specs_dir(specs.as_deref(), &root).map_err(|e| e.to_string())?;
    // Every version in between is loaded too, so renames are followed step by step.
    let apis =
        codegen::regen::build_apis(&specs_dir, &root.join("specs"), Some(from), Some(to)).map_err(|e| e.to_string())?;
    let matrix = Matrix::build(&apis);
    let available = || matrix.versions.iter().map(|v| v.version.to_string()).collect::<Vec<_>>().join(", ");
    let fi = matrix.index_of(from).ok_or_else(|| format!("no spec for version {from} (found: {})", available()))?;
    let ti = matrix.index_of(to).ok_or_else(|| format!("no spec for version {to} (found: {})", available()))?;
    let diff = matrix.diff(fi, ti);
    // Only the files regen writes say "Generated … Do not edit"; printed output does not.
    let text = match format {
        Format::Text => markdown::diff_text(&diff),
        Format::Markdown => without_generated_note(&markdown::diff_md(&matrix, &diff)),
        Format::Json => serde_json::to_string_pretty(&json::diff_value(&diff)).map_err(|e| e.to_string())? + "\n",
        Format::Html => without_generated_note(&html::diff_page(&diff)),
    };
    print!("{text}");
    Ok(true)
}

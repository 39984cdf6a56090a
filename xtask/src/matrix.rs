//! `cargo xtask matrix QUERY [--specs DIR]`: since when an operation, parameter, property,
//! type or enum value exists, when it went away and how it changed.
//!
//! ```text
//! cargo xtask matrix "GET /containers/{id}/stats one-shot"   # since 1.41
//! cargo xtask matrix NetworkSettings.IPAddress               # removed in 1.52
//! cargo xtask matrix MountType=cluster
//! ```

use std::path::PathBuf;

use codegen::matrix::{query, Matrix};

use crate::workspace_root;

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut specs: Option<PathBuf> = None;
    let mut words: Vec<&str> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--specs" => specs = Some(PathBuf::from(iter.next().ok_or("--specs needs a value")?)),
            other => words.push(other),
        }
    }
    if words.is_empty() {
        return Err("usage: cargo xtask matrix QUERY [--specs DIR]   (e.g. \"GET /containers/{id}/stats one-shot\", NetworkSettings.IPAddress)".into());
    }
    let root = workspace_root();
    let specs_dir = codegen::regen::resolve_specs_dir(specs.as_deref(), &root).map_err(|e| e.to_string())?;
    let apis = codegen::regen::build_apis(&specs_dir, &root.join("specs"), None, None).map_err(|e| e.to_string())?;
    let matrix = Matrix::build(&apis);
    match query::answer(&matrix, &words.join(" ")) {
        Ok(text) => {
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
            Ok(true)
        }
        Err(message) => {
            eprintln!("{message}");
            Ok(false)
        }
    }
}

//! Step 5: put generated files on disk — or, with `--check`, say how the disk differs.
//!
//! Files are compared with what is on disk and only changed files are written, so cargo does
//! not rebuild crates whose sources did not change (rust-analyzer's habit). Everything is
//! generated in memory first; a generation error therefore writes nothing. Changed files are
//! then written into a staging folder next to the output and renamed into place, so an I/O
//! error while writing also leaves every existing file as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How the disk differs from a fresh generation.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Files whose content differs.
    pub stale: Vec<PathBuf>,
    /// Files that do not exist yet.
    pub missing: Vec<PathBuf>,
    /// Files under an owned folder that generation no longer produces.
    pub extra: Vec<PathBuf>,
    pub unchanged: usize,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// One line per differing file, for `--check`.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for (what, paths) in [("stale", &self.stale), ("missing", &self.missing), ("extra", &self.extra)] {
            for p in paths {
                out.push_str(&format!("{what}: {}\n", p.display()));
            }
        }
        out
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

fn list_files(root: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(root)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(root))?;
        let path = entry.path();
        if entry.file_type().map_err(io(&path))?.is_dir() {
            list_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Compares `files` (absolute path → content) with the disk. Every file below one of
/// `owned_roots` that is not in `files` is extra.
pub fn plan(files: &BTreeMap<PathBuf, String>, owned_roots: &[PathBuf]) -> Result<Plan> {
    let mut plan = Plan::default();
    for (path, content) in files {
        match std::fs::read(path) {
            Ok(bytes) if bytes == content.as_bytes() => plan.unchanged += 1,
            Ok(_) => plan.stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.missing.push(path.clone()),
            Err(e) => return Err(io(path)(e)),
        }
    }
    for root in owned_roots {
        let mut existing = Vec::new();
        list_files(root, &mut existing)?;
        plan.extra.extend(existing.into_iter().filter(|p| !files.contains_key(p)));
    }
    plan.extra.sort();
    Ok(plan)
}

/// Writes what `plan` found different. `staging` must be on the same file system as the
/// output (a sibling folder), so the final step is a rename.
pub fn apply(files: &BTreeMap<PathBuf, String>, plan: &Plan, staging: &Path, owned_roots: &[PathBuf]) -> Result<()> {
    let changed: Vec<&PathBuf> = plan.stale.iter().chain(&plan.missing).collect();
    if !changed.is_empty() {
        if staging.exists() {
            std::fs::remove_dir_all(staging).map_err(io(staging))?;
        }
        std::fs::create_dir_all(staging).map_err(io(staging))?;
        let staged: Vec<(PathBuf, &PathBuf)> = changed
            .iter()
            .enumerate()
            .map(|(i, target)| (staging.join(format!("{i}.tmp")), *target))
            .collect();
        let result = (|| -> Result<()> {
            for (tmp, target) in &staged {
                std::fs::write(tmp, &files[*target]).map_err(io(tmp))?;
            }
            for (tmp, target) in &staged {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                std::fs::rename(tmp, target).map_err(io(target))?;
            }
            Ok(())
        })();
        std::fs::remove_dir_all(staging).map_err(io(staging))?;
        result?;
    }
    for extra in &plan.extra {
        std::fs::remove_file(extra).map_err(io(extra))?;
    }
    for root in owned_roots {
        remove_empty_dirs(root)?;
    }
    Ok(())
}

fn remove_empty_dirs(dir: &Path) -> Result<bool> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(io(dir)(e)),
    };
    let mut empty = true;
    for entry in entries {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if entry.file_type().map_err(io(&path))?.is_dir() {
            if remove_empty_dirs(&path)? {
                std::fs::remove_dir(&path).map_err(io(&path))?;
            } else {
                empty = false;
            }
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_removes_extras() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let keep = out.join("a/keep.rs");
        let old = out.join("b/old.rs");
        std::fs::create_dir_all(keep.parent().unwrap()).unwrap();
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(&keep, "same").unwrap();
        std::fs::write(&old, "gone").unwrap();
        let before = std::fs::metadata(&keep).unwrap().modified().unwrap();

        let mut files = BTreeMap::new();
        files.insert(keep.clone(), "same".to_string());
        files.insert(out.join("c/new.rs"), "new".to_string());
        let roots = vec![out.clone()];
        let plan = plan(&files, &roots).unwrap();
        assert_eq!(plan.missing, vec![out.join("c/new.rs")]);
        assert_eq!(plan.extra, vec![old.clone()]);
        assert_eq!(plan.unchanged, 1);
        apply(&files, &plan, &dir.path().join("staging"), &roots).unwrap();

        assert_eq!(std::fs::read_to_string(out.join("c/new.rs")).unwrap(), "new");
        assert!(!old.exists() && !out.join("b").exists());
        assert_eq!(std::fs::metadata(&keep).unwrap().modified().unwrap(), before);
        assert!(super::plan(&files, &roots).unwrap().is_clean());
    }
}

//! `specs/replacements.yaml`: parameters another parameter replaced between versions.
//!
//! Kept as data with a reason per entry, like `specs/overrides.yaml`. The lineage stage turns
//! each entry into a hint on the replaced parameter ("use `reserved-space` (since API v1.48)
//! instead"), which the version gate shows when the negotiated version lacks the parameter.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::ir::Api;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplacementsFile {
    replacements: Vec<Replacement>,
}

/// One entry: `parameter` of `operation` was replaced by `replaced_by`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub operation: String,
    pub parameter: String,
    pub replaced_by: String,
    pub reason: String,
}

/// Every entry, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replacements {
    pub entries: Vec<Replacement>,
}

impl Replacements {
    /// Reads the file; a missing file means no replacements.
    pub fn load(path: &Path) -> Result<Replacements> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Replacements::default()),
            Err(source) => return Err(Error::Io { path: path.to_path_buf(), source }),
        };
        let file: ReplacementsFile =
            serde_yaml_ng::from_slice(&bytes).map_err(|e| Error::Other(format!("{}: {e}", path.display())))?;
        Ok(Replacements { entries: file.replacements })
    }

    /// Entries that name an operation or parameter no version of `apis` has, as messages.
    pub fn stale(&self, apis: &[Api]) -> Vec<String> {
        let has = |op: &str, param: &str| {
            apis.iter().any(|api| api.operations.get(op).is_some_and(|o| o.params.iter().any(|p| p.name == param)))
        };
        self.entries
            .iter()
            .flat_map(|r| [&r.parameter, &r.replaced_by].map(|p| (r, p)))
            .filter(|(r, p)| !has(&r.operation, p))
            .map(|(r, p)| {
                format!("specs/replacements.yaml: no version has parameter `{p}` of operation {}", r.operation)
            })
            .collect()
    }

    /// What replaced `parameter` of `operation`, if anything.
    pub fn replacement(&self, operation: &str, parameter: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|r| r.operation == operation && r.parameter == parameter)
            .map(|r| r.replaced_by.as_str())
    }
}

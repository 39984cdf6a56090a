//! `specs/overrides.yaml`: the project's own corrections on top of the upstream specs.
//!
//! Each entry names the versions it applies to, a JSON pointer into the spec, one edit
//! (`merge` keys into the node, `replace` it, or `remove` keys from it) and the reason. The
//! edits are applied to the loaded JSON document before conversion, so everything downstream
//! (code, matrix, reports) sees the corrected spec. An entry whose pointer finds nothing in a
//! version it claims to apply to is reported, so stale corrections do not linger.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result, SpecError};
use crate::version::{ApiVersion, VersionRange};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    versions: String,
    pointer: String,
    #[serde(default)]
    merge: Option<Map<String, Value>>,
    #[serde(default)]
    replace: Option<Value>,
    #[serde(default)]
    remove: Option<Vec<String>>,
    reason: String,
}

/// What an override does to the node its pointer names.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Merge(Map<String, Value>),
    Replace(Value),
    Remove(Vec<String>),
}

/// One correction.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Position in the overrides file (0-based), used to name it in reports.
    pub index: usize,
    pub versions: VersionRange,
    pub versions_text: String,
    pub pointer: String,
    pub edit: Edit,
    pub reason: String,
}

impl Override {
    /// A short human name: `#3 /definitions/X (1.52-)`.
    pub fn label(&self) -> String {
        format!("override #{} {} ({})", self.index + 1, self.pointer, self.versions_text)
    }
}

/// All corrections, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    pub entries: Vec<Override>,
}

impl Overrides {
    /// Reads `specs/overrides.yaml`; a missing file means no overrides.
    pub fn load(path: &Path) -> Result<Overrides> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Self::parse(path, &bytes)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Overrides::default()),
            Err(source) => Err(Error::Io { path: path.to_path_buf(), source }),
        }
    }

    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Overrides, SpecError> {
        let file: OverridesFile = serde_yaml_ng::from_slice(bytes)
            .map_err(|e| SpecError::new(path, "", format!("invalid overrides file: {e}")))?;
        let mut entries = Vec::new();
        for (index, raw) in file.overrides.into_iter().enumerate() {
            let at = format!("/overrides/{index}");
            let versions = raw.versions.parse().map_err(|e| SpecError::new(path, &format!("{at}/versions"), e))?;
            if !raw.pointer.starts_with('/') {
                return Err(SpecError::new(path, &format!("{at}/pointer"), "a pointer starts with `/`"));
            }
            if raw.reason.trim().is_empty() {
                return Err(SpecError::new(path, &format!("{at}/reason"), "every override needs a reason"));
            }
            let edit = match (raw.merge, raw.replace, raw.remove) {
                (Some(m), None, None) => Edit::Merge(m),
                (None, Some(r), None) => Edit::Replace(r),
                (None, None, Some(keys)) => Edit::Remove(keys),
                _ => {
                    return Err(SpecError::new(path, &at, "exactly one of `merge`, `replace` or `remove` is required"))
                }
            };
            entries.push(Override {
                index,
                versions,
                versions_text: raw.versions,
                pointer: raw.pointer,
                edit,
                reason: raw.reason,
            });
        }
        Ok(Overrides { entries })
    }

    /// Applies every entry that covers `version` to `document`; returns the entries that
    /// matched nothing (their pointer does not exist, or a `remove` key is absent).
    pub fn apply(&self, version: ApiVersion, document: &mut Value) -> Vec<&Override> {
        let mut unmatched = Vec::new();
        for entry in self.entries.iter().filter(|e| e.versions.contains(version)) {
            let Some(node) = document.pointer_mut(&entry.pointer) else {
                unmatched.push(entry);
                continue;
            };
            let matched = match &entry.edit {
                Edit::Replace(value) => {
                    *node = value.clone();
                    true
                }
                Edit::Merge(keys) => match node.as_object_mut() {
                    Some(object) => {
                        for (k, v) in keys {
                            object.insert(k.clone(), v.clone());
                        }
                        true
                    }
                    None => false,
                },
                Edit::Remove(keys) => match node.as_object_mut() {
                    Some(object) => keys.iter().all(|k| object.shift_remove(k).is_some()),
                    None => false,
                },
            };
            if !matched {
                unmatched.push(entry);
            }
        }
        unmatched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn applies_and_reports_unmatched() {
        let text = br#"
overrides:
  - versions: "1.52-"
    pointer: /definitions/A/properties/x
    merge: { type: integer }
    reason: because
  - versions: "1.40"
    pointer: /definitions/Missing
    remove: [type]
    reason: stale
"#;
        let overrides = Overrides::parse(Path::new("o.yaml"), text).unwrap();
        let mut doc = json!({"definitions": {"A": {"properties": {"x": {"type": "string"}}}}});
        assert!(overrides.apply(ApiVersion::new(1, 53), &mut doc).is_empty());
        assert_eq!(doc["definitions"]["A"]["properties"]["x"]["type"], "integer");
        let unmatched = overrides.apply(ApiVersion::new(1, 40), &mut doc);
        assert_eq!(unmatched.len(), 1);
        assert_eq!(unmatched[0].pointer, "/definitions/Missing");
    }

    #[test]
    fn rejects_entries_without_reason() {
        let text = b"overrides:\n  - versions: '1.41'\n    pointer: /x\n    remove: [a]\n    reason: ''\n";
        let err = Overrides::parse(Path::new("o.yaml"), text).unwrap_err();
        assert!(err.to_string().contains("reason"), "{err}");
    }
}

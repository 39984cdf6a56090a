//! Step 1 of the pipeline: read one `v1.NN.yaml` into a JSON document.
//!
//! The specs are YAML but the rest of the pipeline only needs JSON values, and JSON pointers
//! into them. YAML mapping keys that are not strings (the unquoted response codes `200:`) become
//! their decimal text so the response map reads like any other map. Flow collections nested
//! too deep are refused before parsing, in time linear in the input ([`nesting`]).

pub mod nesting;

use std::path::Path;

use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

use crate::error::{pointer_push, Result, SpecError};

/// A loaded spec: its JSON form and the sha256 of the exact bytes read.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub document: Value,
    pub sha256: String,
}

/// Reads and parses one spec file.
pub fn load_file(path: &Path) -> Result<LoadedSpec> {
    let bytes = std::fs::read(path).map_err(|source| crate::error::Error::Io { path: path.to_path_buf(), source })?;
    Ok(load_bytes(path, &bytes)?)
}

/// Parses spec bytes; `path` is only used to name the file in errors.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<LoadedSpec, SpecError> {
    let sha256 = hex(&Sha256::digest(bytes));
    if let Some((line, column)) = nesting::too_deep(bytes) {
        return Err(SpecError::new(
            path,
            "",
            format!(
                "not valid YAML: flow collections (`[`, `{{`) nested deeper than {} levels, at line {line} column {column}",
                nesting::MAX_FLOW_DEPTH
            ),
        ));
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_slice(bytes).map_err(|e| SpecError::new(path, "", format!("not valid YAML: {e}")))?;
    let document = yaml_to_json(path, "", yaml)?;
    if !document.is_object() {
        return Err(SpecError::new(path, "", "the document is not a mapping"));
    }
    Ok(LoadedSpec { document, sha256 })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn yaml_to_json(path: &Path, pointer: &str, yaml: serde_yaml_ng::Value) -> Result<Value, SpecError> {
    use serde_yaml_ng::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or_else(|| {
                    SpecError::new(path, pointer, format!("number {f} cannot be represented in JSON"))
                })?)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(path, &pointer_push(pointer, &i.to_string()), item))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(SpecError::new(
                            path,
                            pointer,
                            format!("unsupported mapping key {other:?}: keys must be strings or numbers"),
                        ))
                    }
                };
                let child = pointer_push(pointer, &key);
                let value = yaml_to_json(path, &child, value)?;
                if object.insert(key.clone(), value).is_some() {
                    return Err(SpecError::new(path, &child, "duplicate mapping key"));
                }
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => {
            return Err(SpecError::new(path, pointer, format!("YAML tag {} is not supported", tagged.tag)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_keys_become_strings() {
        let spec = load_bytes(Path::new("t.yaml"), b"responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(spec.document["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn bad_yaml_names_the_file() {
        let err = load_bytes(Path::new("bad.yaml"), b"a: [1, 2").unwrap_err();
        assert!(err.to_string().starts_with("bad.yaml"), "{err}");
    }
}

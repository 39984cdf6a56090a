//! Conversion helpers: typed reads of one key of a Swagger mapping.
//!
//! Every part of the conversion (`document`, `operation`, `parameter`, `schema`) reads its
//! keys through these, so a value of the wrong kind is always an error at that key's pointer.

use indexmap::IndexMap;
use serde_json::Value;

use super::{Converter, Obj, SOURCE_POINTER};
use crate::error::{pointer_push, SpecError};

impl Converter<'_> {
    pub(super) fn err(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(self.file, pointer, message)
    }

    pub(super) fn object<'v>(&self, value: &'v Value, pointer: &str) -> Result<&'v Obj, SpecError> {
        value.as_object().ok_or_else(|| self.err(pointer, "expected a mapping"))
    }

    pub(super) fn string(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<String>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(&pointer_push(pointer, key), "expected a string")),
        }
    }

    pub(super) fn strings(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<Vec<String>>, SpecError> {
        let Some(value) = obj.get(key) else { return Ok(None) };
        let at = pointer_push(pointer, key);
        let items = value.as_array().ok_or_else(|| self.err(&at, "expected a list of strings"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| self.err(&pointer_push(&at, &i.to_string()), "expected a string"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub(super) fn boolean(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<bool>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.err(&pointer_push(pointer, key), "expected true or false")),
        }
    }

    pub(super) fn usize_value(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<usize>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n as usize))
                .ok_or_else(|| self.err(&pointer_push(pointer, key), "expected a non-negative integer")),
        }
    }

    pub(super) fn int_value(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<i64>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| self.err(&pointer_push(pointer, key), "expected an integer")),
        }
    }

    /// The vendor extensions (`x-…` keys) of a mapping, kept as they are.
    pub(super) fn extensions(obj: &Obj) -> IndexMap<String, Value> {
        obj.iter().filter(|(k, _)| k.starts_with("x-")).map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The vendor extensions plus [`SOURCE_POINTER`], for nodes later steps report errors on.
    pub(super) fn extensions_with_source(obj: &Obj, pointer: &str) -> IndexMap<String, Value> {
        let mut extensions = Self::extensions(obj);
        extensions.insert(SOURCE_POINTER.into(), Value::String(pointer.to_string()));
        extensions
    }

    /// Fails on the first key that is neither in `allowed` nor a vendor extension.
    pub(super) fn check_keys(&self, obj: &Obj, allowed: &[&str], pointer: &str, what: &str) -> Result<(), SpecError> {
        for key in obj.keys() {
            if !key.starts_with("x-") && !allowed.contains(&key.as_str()) {
                return Err(self.err(&pointer_push(pointer, key), format!("unsupported {what} keyword `{key}`")));
            }
        }
        Ok(())
    }
}

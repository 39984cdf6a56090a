//! The `filters` query parameter of list, prune and events endpoints.
//!
//! Serialised in the canonical map form `{"label":{"a=b":true},"status":{"running":true}}`: it is
//! what the daemon's own Go client sends, and every daemon version accepts it (the daemon tries
//! this form first and falls back to the legacy list form `{"label":["a=b"]}`). The map form also
//! de-duplicates values for free. Keys and values are kept sorted, so the URL is deterministic.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Typed builder for `filters`.
///
/// ```
/// use docker_engine_transport::Filters;
/// let f = Filters::new().add("label", "a=b").add("status", "running");
/// assert_eq!(serde_json::to_string(&f).unwrap(),
///            r#"{"label":{"a=b":true},"status":{"running":true}}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    map: BTreeMap<String, BTreeMap<String, bool>>,
}

impl Filters {
    /// No filters.
    pub fn new() -> Filters {
        Filters::default()
    }

    /// Adds `value` under `key` (a key may have several values; the daemon ORs them).
    #[must_use]
    pub fn add(mut self, key: impl Into<String>, value: impl Into<String>) -> Filters {
        self.insert(key, value);
        self
    }

    /// Adds `value` under `key` in place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.map.entry(key.into()).or_default().insert(value.into(), true);
    }

    /// True when no filter was added; callers omit the parameter then.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The values given for `key`, in sorted order.
    pub fn get(&self, key: &str) -> impl Iterator<Item = &str> {
        self.map.get(key).into_iter().flat_map(|m| m.keys().map(String::as_str))
    }
}

impl Serialize for Filters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.map.len()))?;
        for (k, v) in &self.map {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Filters {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut f = Filters::new();
        for (k, v) in iter {
            f.insert(k, v);
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_form_sorted_and_deduplicated() {
        let f = Filters::new().add("status", "running").add("label", "b").add("label", "a").add("label", "a");
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"label":{"a":true,"b":true},"status":{"running":true}}"#);
        assert!(Filters::new().is_empty());
        assert_eq!(f.get("label").collect::<Vec<_>>(), ["a", "b"]);
    }
}

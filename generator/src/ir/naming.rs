//! Rust names for spec names, and the registry that hands out type names.
//!
//! Type names are reserved for every definition before any inline schema is named (as typify
//! does), so an inline schema can never take a name a definition needs, and the same spec always
//! yields the same names.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in",
    "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Words that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// `IDResponse` → `IdResponse`, `os.version` → `OsVersion`; `None` if nothing usable is left.
pub fn type_name(raw: &str) -> Option<String> {
    let name = raw.to_upper_camel_case();
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() {
        return None;
    }
    Some(if name.starts_with(|c: char| c.is_ascii_digit()) { format!("T{name}") } else { name })
}

/// `NetworkSettings` → `network_settings`, `type` → `r#type`, `os.version` → `os_version`.
pub fn field_name(raw: &str) -> Option<String> {
    let name = raw.to_snake_case();
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    if name.is_empty() || name == "_" {
        return None;
    }
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("n_{name}") } else { name };
    Some(if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    })
}

/// An enum value's variant name: `unless-stopped` → `UnlessStopped`, `""` → `Empty`,
/// `1` → `V1`, `active/worker` → `ActiveWorker`.
pub fn variant_name(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("Empty".to_string());
    }
    let spaced: String = value.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let name = spaced.to_upper_camel_case();
    if name.is_empty() {
        return None;
    }
    Some(if name.starts_with(|c: char| c.is_ascii_digit()) { format!("V{name}") } else { name })
}

/// The set of type names already handed out in one API version.
#[derive(Debug, Default)]
pub struct NameRegistry {
    taken: BTreeSet<String>,
}

impl NameRegistry {
    /// Claims `name`; `false` if it was already taken.
    pub fn reserve(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_string())
    }

    /// Claims `base`, or `base2`, `base3`, … — the first that is free.
    pub fn reserve_unique(&mut self, base: &str) -> String {
        if self.reserve(base) {
            return base.to_string();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.reserve(candidate))
            .expect("an unbounded range always yields a free name")
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("IDResponse").unwrap(), "IdResponse");
        assert_eq!(type_name("GraphDriverData").unwrap(), "GraphDriverData");
        assert_eq!(field_name("Type").unwrap(), "r#type");
        assert_eq!(field_name("os.version").unwrap(), "os_version");
        assert_eq!(field_name("self").unwrap(), "self_");
        assert_eq!(field_name("NetworkSettings").unwrap(), "network_settings");
        assert_eq!(variant_name("").unwrap(), "Empty");
        assert_eq!(variant_name("unless-stopped").unwrap(), "UnlessStopped");
        assert_eq!(variant_name("active/worker").unwrap(), "ActiveWorker");
        assert_eq!(variant_name("1").unwrap(), "V1");
        assert_eq!(variant_name("moby.plugins.http/v1").unwrap(), "MobyPluginsHttpV1");
    }

    #[test]
    fn registry_disambiguates() {
        let mut names = NameRegistry::default();
        assert_eq!(names.reserve_unique("A"), "A");
        assert_eq!(names.reserve_unique("A"), "A2");
        assert!(names.is_taken("A2"));
    }
}

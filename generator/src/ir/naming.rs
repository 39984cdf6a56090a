//! Rust names for spec names, and the registry that hands out type names.
//!
//! Type names are reserved for every definition before any inline schema is named (as typify
//! does), so an inline schema can never take a name a definition needs, and the same spec always
//! yields the same names.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Words that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Names generated code uses unqualified (`Option<T>`, `Result<…>`, `impl From<&str>`,
/// `Box<T>`), and `Self`: a type of one of these names would shadow them, so it gets
/// [`TYPE_SUFFIX`] ([`type_item_name`]).
const SHADOWING: &[&str] = &["Option", "Result", "String", "Vec", "Box", "Default", "From", "Self"];

/// What a type named like a prelude item is renamed to: `Result` → `ResultType`.
const TYPE_SUFFIX: &str = "Type";

/// Module names a tag must not take: files and modules the crates have anyway (`lib.rs`,
/// `main.rs` would even make a binary, `gates`, `testing`), and names of crates generated code
/// refers to (`models`, `transport`, `serde`, …), which a module of that name would shadow.
const RESERVED_MODULES: &[&str] =
    &["lib", "main", "gates", "testing", "models", "transport", "serde", "serde_json", "std", "core", "alloc"];

/// `IDResponse` → `IdResponse`, `os.version` → `OsVersion`; `None` if nothing usable is left.
pub fn type_name(raw: &str) -> Option<String> {
    let name = raw.to_upper_camel_case();
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if name.is_empty() {
        return None;
    }
    Some(if name.starts_with(|c: char| c.is_ascii_digit()) { format!("T{name}") } else { name })
}

/// The name of a whole generated type (a definition, or an inline schema's title or base
/// name): `Result` → `ResultType`, every other name as it is.
pub fn type_item_name(name: String) -> String {
    if SHADOWING.contains(&name.as_str()) {
        format!("{name}{TYPE_SUFFIX}")
    } else {
        name
    }
}

/// The module of a tag: `Container` → `container`, `1Tag` → `tag_1tag`, `fn` → `tag_fn`,
/// `Ünïcode` → `u00fc_n_u00ef_code`. ASCII only (a module file name must be); a character
/// outside ASCII becomes `u` and its code point. A name that would not be a usable module
/// (empty, a digit first, a keyword, `RESERVED_MODULES`) gets the prefix `tag_`.
pub fn module_name(tag: &str) -> String {
    use heck::ToSnakeCase;
    let mut name = String::new();
    for c in tag.to_snake_case().chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if c.is_ascii() {
            name.push('_');
        } else {
            name.push_str(&format!("_u{:04x}_", u32::from(c)));
        }
    }
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let name = words.join("_");
    let usable = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && !KEYWORDS.contains(&name.as_str())
        && !RESERVED_MODULES.contains(&name.as_str())
        && !name.starts_with("docker_engine_");
    match (usable, name.is_empty()) {
        (true, _) => name,
        (false, true) => "tag".to_string(),
        (false, false) => format!("tag_{name}"),
    }
}

/// Splits a spec name into lower-case words, keeping acronyms whole: `IPv4Address` →
/// `ipv4 address`, `NanoCPUs` → `nano cpus`, `IOMaximumIOps` → `io maximum iops`,
/// `HTTPServer` → `http server`. (heck would give `i_pv4_address`, `nano_cp_us`.)
fn snake_words(raw: &str) -> Vec<String> {
    let chars: Vec<char> = raw.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        }
        if c.is_ascii_uppercase() {
            // An upper-case run: an acronym, possibly ending in the first letter of a word.
            let start = i;
            while i < chars.len() && chars[i].is_ascii_uppercase() {
                i += 1;
            }
            let lower_end = (i..chars.len()).find(|&j| !chars[j].is_ascii_lowercase()).unwrap_or(chars.len());
            let tail: String = chars[i..lower_end].iter().collect();
            let run: String = chars[start..i].iter().collect();
            let prev_lower = current.chars().last().is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if !current.is_empty() && (prev_lower || run.len() > 1) {
                words.push(std::mem::take(&mut current));
            }
            if run.len() > 1 && matches!(tail.as_str(), "s" | "v" | "ps") {
                // Plural or versioned acronym: CPUs, CAs, IPv(4), IOps.
                current.push_str(&run.to_ascii_lowercase());
                current.push_str(&tail);
                i = lower_end;
            } else if run.len() > 1 && !tail.is_empty() {
                // HTTPServer: the last capital starts the next word.
                current.push_str(&run[..run.len() - 1].to_ascii_lowercase());
                words.push(std::mem::take(&mut current));
                current.push_str(&run[run.len() - 1..].to_ascii_lowercase());
            } else {
                current.push_str(&run.to_ascii_lowercase());
            }
            continue;
        }
        current.push(c);
        i += 1;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `NetworkSettings` → `network_settings`, `type` → `r#type`, `os.version` → `os_version`,
/// `IPv4Address` → `ipv4_address`.
pub fn field_name(raw: &str) -> Option<String> {
    let name = snake_words(raw).join("_");
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
    Some(variant_ident(if name.starts_with(|c: char| c.is_ascii_digit()) { format!("V{name}") } else { name }))
}

/// A variant cannot be called `Self` (the one keyword in upper camel case): `SelfValue`.
pub fn variant_ident(name: String) -> String {
    if name == "Self" {
        "SelfValue".to_string()
    } else {
        name
    }
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
        assert_eq!(field_name("IPv4Address").unwrap(), "ipv4_address");
        assert_eq!(field_name("GlobalIPv6PrefixLen").unwrap(), "global_ipv6_prefix_len");
        assert_eq!(field_name("NanoCPUs").unwrap(), "nano_cpus");
        assert_eq!(field_name("ExternalCAs").unwrap(), "external_cas");
        assert_eq!(field_name("IOMaximumIOps").unwrap(), "io_maximum_iops");
        assert_eq!(field_name("HTTPServer").unwrap(), "http_server");
        assert_eq!(field_name("NGoroutines").unwrap(), "n_goroutines");
        assert_eq!(field_name("CpuShares").unwrap(), "cpu_shares");
        assert_eq!(field_name("cpu_stats").unwrap(), "cpu_stats");
        assert_eq!(field_name("one-shot").unwrap(), "one_shot");
        assert_eq!(field_name("ID").unwrap(), "id");
        assert_eq!(field_name("IPAMConfig").unwrap(), "ipam_config");
        assert_eq!(field_name("OSType").unwrap(), "os_type");
        assert_eq!(field_name("KernelMemoryTCP").unwrap(), "kernel_memory_tcp");
        assert_eq!(field_name("Runtime2").unwrap(), "runtime2");
        assert_eq!(variant_name("").unwrap(), "Empty");
        assert_eq!(variant_name("unless-stopped").unwrap(), "UnlessStopped");
        assert_eq!(variant_name("active/worker").unwrap(), "ActiveWorker");
        assert_eq!(variant_name("1").unwrap(), "V1");
        assert_eq!(variant_name("moby.plugins.http/v1").unwrap(), "MobyPluginsHttpV1");
        assert_eq!(variant_name("self").unwrap(), "SelfValue");
        assert_eq!(type_item_name("Result".into()), "ResultType");
        assert_eq!(type_item_name("Results".into()), "Results");
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("Container"), "container");
        assert_eq!(module_name("Distribution"), "distribution");
        assert_eq!(module_name("1Tag"), "tag_1tag");
        assert_eq!(module_name("fn"), "tag_fn");
        assert_eq!(module_name("self"), "tag_self");
        assert_eq!(module_name("Self"), "tag_self");
        assert_eq!(module_name("lib"), "tag_lib");
        assert_eq!(module_name("Gates"), "tag_gates");
        assert_eq!(module_name("!!"), "tag");
        assert_eq!(module_name("Ünïcode"), "u00fc_n_u00ef_code");
        assert_eq!(module_name("容器"), "u5bb9_u5668");
        assert_eq!(module_name("Docker Engine Models"), "tag_docker_engine_models");
    }

    #[test]
    fn registry_disambiguates() {
        let mut names = NameRegistry::default();
        assert_eq!(names.reserve_unique("A"), "A");
        assert_eq!(names.reserve_unique("A"), "A2");
        assert!(names.is_taken("A2"));
    }
}

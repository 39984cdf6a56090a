//! The names of the attributes an entry records, and [`Fact`], the value of one attribute at
//! one version.
//!
//! Place in the pipeline: the vocabulary of the per-version states that [`super::build`] records
//! ([`super::state`]), that an entry's history and [`super::classify`] compare, and that the
//! reports print. A `Fact` borrows from its state, so comparing two versions allocates
//! nothing; it becomes JSON ([`Fact::to_json`]) only where a value is printed.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// An attribute of an entry, spelled in `matrix.json` and the reports as [`Attribute::name`]
/// says. Which attributes each kind of entry records is fixed by its state type
/// ([`super::State`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attribute {
    Default,
    /// The deprecation note the description states ([`crate::lineage::deprecation`]).
    Deprecated,
    Description,
    Format,
    /// The kind of a type (`struct`, `string-enum`, `integer-enum`, `alias`).
    Kind,
    MediaTypes,
    Method,
    Name,
    Nullable,
    Origin,
    Path,
    /// Not a recorded fact: in an entry's history, it came back after a gap or went away
    /// before its last version.
    Present,
    Required,
    RustName,
    Style,
    Summary,
    Tags,
    Target,
    Type,
}

impl Attribute {
    pub const ALL: [Attribute; 19] = [
        Attribute::Default,
        Attribute::Deprecated,
        Attribute::Description,
        Attribute::Format,
        Attribute::Kind,
        Attribute::MediaTypes,
        Attribute::Method,
        Attribute::Name,
        Attribute::Nullable,
        Attribute::Origin,
        Attribute::Path,
        Attribute::Present,
        Attribute::Required,
        Attribute::RustName,
        Attribute::Style,
        Attribute::Summary,
        Attribute::Tags,
        Attribute::Target,
        Attribute::Type,
    ];

    /// The name in `matrix.json` and the reports.
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Default => "default",
            Attribute::Deprecated => "deprecated",
            Attribute::Description => "description",
            Attribute::Format => "format",
            Attribute::Kind => "kind",
            Attribute::MediaTypes => "media_types",
            Attribute::Method => "method",
            Attribute::Name => "name",
            Attribute::Nullable => "nullable",
            Attribute::Origin => "origin",
            Attribute::Path => "path",
            Attribute::Present => "present",
            Attribute::Required => "required",
            Attribute::RustName => "rust_name",
            Attribute::Style => "style",
            Attribute::Summary => "summary",
            Attribute::Tags => "tags",
            Attribute::Target => "target",
            Attribute::Type => "type",
        }
    }
}

/// Attributes are ordered by name: the reports list them so.
impl Ord for Attribute {
    fn cmp(&self, other: &Self) -> Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Attribute {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The value of one attribute at one version, borrowed from the state that records it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fact<'a> {
    /// No value (`null`).
    Null,
    Text(&'a str),
    Flag(bool),
    /// A list of strings (tags, media types).
    List(&'a [String]),
    /// A value the spec gives as JSON (a default); never `null`.
    Json(&'a Value),
}

impl<'a> Fact<'a> {
    pub fn text(value: Option<&'a str>) -> Fact<'a> {
        value.map_or(Fact::Null, Fact::Text)
    }

    /// A JSON value from the spec; an explicit `null` is no value.
    pub fn json(value: Option<&'a Value>) -> Fact<'a> {
        match value {
            None | Some(Value::Null) => Fact::Null,
            Some(value) => Fact::Json(value),
        }
    }

    pub fn is_null(self) -> bool {
        self == Fact::Null
    }

    /// The value as it is written in `matrix.json`.
    pub fn to_json(self) -> Value {
        match self {
            Fact::Null => Value::Null,
            Fact::Text(text) => Value::String(text.to_string()),
            Fact::Flag(flag) => Value::Bool(flag),
            Fact::List(items) => Value::Array(items.iter().map(|s| Value::String(s.clone())).collect()),
            Fact::Json(value) => value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_all_is_in_name_order() {
        let names: Vec<&str> = Attribute::ALL.iter().map(|a| a.name()).collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        assert!(Attribute::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn an_explicit_null_is_no_value() {
        assert_eq!(Fact::json(Some(&Value::Null)), Fact::Null);
        assert_eq!(Fact::json(Some(&Value::from(1))).to_json(), Value::from(1));
        assert_eq!(Fact::text(None).to_json(), Value::Null);
    }
}

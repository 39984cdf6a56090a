//! An entry of the matrix (an operation, parameter, response, type, property or enum value):
//! what it is ([`Info`]), its state in every version, and its history.
//!
//! Place in the pipeline: [`super::build`] creates the entries; [`super::diff`] compares two
//! versions of each; the reports and [`super::query`] read them.

use serde_json::Value;

use super::attribute::Attribute;
use super::state::{State, TypeShape};
use crate::version::ApiVersion;

/// What an entry of the matrix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Operation,
    Parameter,
    Response,
    /// A header of a response.
    Header,
    Type,
    Property,
    EnumValue,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Operation, Kind::Parameter, Kind::Response, Kind::Header, Kind::Type, Kind::Property, Kind::EnumValue];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::Response => "response",
            Kind::Header => "header",
            Kind::Type => "type",
            Kind::Property => "property",
            Kind::EnumValue => "enum-value",
        }
    }

    /// The key of this kind's map in `matrix.json`.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Operation => "operations",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::Type => "types",
            Kind::Property => "properties",
            Kind::EnumValue => "enum_values",
        }
    }
}

/// Whether a type is sent by clients, received by them, or both (in one version).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Side {
    pub request: bool,
    pub response: bool,
}

impl Side {
    pub const REQUEST: Side = Side { request: true, response: false };
    pub const RESPONSE: Side = Side { request: false, response: true };

    /// Sent or received in either of two versions.
    pub fn or(self, other: Side) -> Side {
        Side { request: self.request || other.request, response: self.response || other.response }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
}

impl Location {
    pub fn name(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Body => "body",
        }
    }
}

/// The wire value of an enum value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EnumLiteral {
    Text(String),
    Integer(i64),
}

impl EnumLiteral {
    pub fn to_json(&self) -> Value {
        match self {
            EnumLiteral::Text(text) => Value::String(text.clone()),
            EnumLiteral::Integer(n) => Value::from(*n),
        }
    }
}

impl std::fmt::Display for EnumLiteral {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EnumLiteral::Text(text) => f.write_str(text),
            EnumLiteral::Integer(n) => write!(f, "{n}"),
        }
    }
}

/// What an entry is, from the newest version that has it. The variant is the entry's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Info {
    Operation {
        method: String,
        path: String,
        tags: Vec<String>,
    },
    Parameter {
        operation: String,
        location: Location,
        name: String,
    },
    Response {
        operation: String,
        code: u16,
    },
    /// `response`: the key of the response (`SystemPing 200`).
    Header {
        operation: String,
        response: String,
        name: String,
    },
    Type {
        kind: TypeShape,
    },
    /// `owner`: the type key of the struct.
    Property {
        owner: String,
        name: String,
    },
    /// `owner`: the type key of the enum.
    EnumValue {
        owner: String,
        value: EnumLiteral,
    },
}

impl Info {
    pub fn kind(&self) -> Kind {
        match self {
            Info::Operation { .. } => Kind::Operation,
            Info::Parameter { .. } => Kind::Parameter,
            Info::Response { .. } => Kind::Response,
            Info::Header { .. } => Kind::Header,
            Info::Type { .. } => Kind::Type,
            Info::Property { .. } => Kind::Property,
            Info::EnumValue { .. } => Kind::EnumValue,
        }
    }

    /// The enclosing entry's key: the operation of a parameter or response, the response of a
    /// header, the type of a property or enum value.
    pub fn parent(&self) -> Option<&str> {
        match self {
            Info::Parameter { operation, .. } | Info::Response { operation, .. } => Some(operation),
            Info::Header { response, .. } => Some(response),
            Info::Property { owner, .. } | Info::EnumValue { owner, .. } => Some(owner),
            Info::Operation { .. } | Info::Type { .. } => None,
        }
    }
}

/// One entry of the matrix and its state in every version.
#[derive(Debug, Clone)]
pub struct Entity {
    pub key: String,
    pub info: Info,
    /// Index = version index; `None` where the version lacks the entry.
    pub states: Vec<Option<State>>,
    /// Index = version index; for types, properties and enum values.
    pub sides: Vec<Side>,
}

/// One change of one attribute between two consecutive versions.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeChange {
    pub version: ApiVersion,
    /// [`Attribute::Present`] when the entry comes back after a gap or goes away before its
    /// last version.
    pub attribute: Attribute,
    pub before: Value,
    pub after: Value,
}

impl Entity {
    pub fn kind(&self) -> Kind {
        self.info.kind()
    }

    /// The enclosing entry's key (see [`Info::parent`]).
    pub fn parent(&self) -> Option<&str> {
        self.info.parent()
    }

    /// The first tag of an operation.
    pub fn first_tag(&self) -> Option<&str> {
        match &self.info {
            Info::Operation { tags, .. } => tags.first().map(String::as_str),
            _ => None,
        }
    }

    /// The state at version index `vi`.
    pub fn state(&self, vi: usize) -> Option<&State> {
        self.states.get(vi).and_then(Option::as_ref)
    }

    pub(super) fn present(&self, vi: usize) -> bool {
        self.state(vi).is_some()
    }

    /// Index of the first version that has the entry.
    pub fn added_index(&self) -> Option<usize> {
        self.states.iter().position(Option::is_some)
    }

    /// Index of the first version after the last one that has the entry (`None`: still there).
    pub fn removed_index(&self) -> Option<usize> {
        let last = self.states.iter().rposition(Option::is_some)?;
        (last + 1 < self.states.len()).then_some(last + 1)
    }

    /// Every change between consecutive versions, oldest first.
    pub fn history(&self, versions: &[ApiVersion]) -> Vec<AttributeChange> {
        let mut out = Vec::new();
        let (Some(first), last) = (self.added_index(), self.states.iter().rposition(Option::is_some).unwrap_or(0))
        else {
            return out;
        };
        for vi in first + 1..=last {
            let (Some(version), Some(before), Some(after)) =
                (versions.get(vi), self.states.get(vi - 1), self.states.get(vi))
            else {
                continue;
            };
            match (before, after) {
                (Some(a), Some(b)) => {
                    out.extend(a.changes(b).into_iter().map(|(attribute, before, after)| AttributeChange {
                        version: *version,
                        attribute,
                        before,
                        after,
                    }))
                }
                (Some(_), None) | (None, Some(_)) => out.push(AttributeChange {
                    version: *version,
                    attribute: Attribute::Present,
                    before: Value::Bool(before.is_some()),
                    after: Value::Bool(after.is_some()),
                }),
                (None, None) => {}
            }
        }
        out
    }
}

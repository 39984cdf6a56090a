//! The stable ids and levels of classified changes, as `matrix.json` and the reports spell them.
//!
//! Place in the pipeline: [`super::classify`] gives every difference [`super::diff`] finds a
//! [`ChangeId`] and a [`Level`]; the reports print [`ChangeId::as_str`]. Which id gets which
//! level is tabled at the top of `classify.rs`.

use std::cmp::Ordering;
use std::fmt;

use super::entity::Side;

/// How much a change matters to a client written against the older version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Breaking,
    Warning,
    Info,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Breaking, Level::Warning, Level::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// How the type that holds a property travels, the first part of a property change's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyUse {
    /// Received by clients (perhaps also sent): `response-property-*`.
    Response,
    /// Only sent by clients: `request-property-*`.
    Request,
    /// Used by no operation: `property-*`.
    Unused,
}

impl PropertyUse {
    pub fn of(side: Side) -> PropertyUse {
        if side.response {
            PropertyUse::Response
        } else if side.request {
            PropertyUse::Request
        } else {
            PropertyUse::Unused
        }
    }

    /// How messages call such a property (`response property`).
    pub fn words(self) -> &'static str {
        match self {
            PropertyUse::Response => "response property",
            PropertyUse::Request => "request property",
            PropertyUse::Unused => "property",
        }
    }
}

/// What happened to a property, the second part of a property change's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropertyChange {
    Added,
    Removed,
    TypeChanged,
    /// A string became an enum.
    EnumIntroduced,
    FormatChanged,
    RequiredChanged,
    NullableChanged,
    DefaultChanged,
}

impl PropertyChange {
    pub const ALL: [PropertyChange; 8] = [
        PropertyChange::Added,
        PropertyChange::Removed,
        PropertyChange::TypeChanged,
        PropertyChange::EnumIntroduced,
        PropertyChange::FormatChanged,
        PropertyChange::RequiredChanged,
        PropertyChange::NullableChanged,
        PropertyChange::DefaultChanged,
    ];
}

/// The stable id of a kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeId {
    OperationAdded,
    OperationRemoved,
    OperationMethodChanged,
    OperationPathChanged,
    OperationTagsChanged,
    RequestParameterAdded,
    RequestParameterRemoved,
    RequestParameterTypeChanged,
    RequestParameterStyleChanged,
    RequestParameterFormatChanged,
    RequestParameterDefaultChanged,
    RequestParameterRequiredChanged,
    RequestBodyAdded,
    RequestBodyRemoved,
    RequestBodyMediaTypeChanged,
    RequestBodyTypeChanged,
    RequestBodyRequiredChanged,
    ResponseAdded,
    ResponseRemoved,
    ResponseTypeChanged,
    ResponseMediaTypeChanged,
    ResponseHeaderAdded,
    ResponseHeaderRemoved,
    ResponseHeaderTypeChanged,
    ResponseHeaderFormatChanged,
    ResponseHeaderDefaultChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypePromoted,
    TypeInlined,
    TypeKindChanged,
    /// The target of an alias changed.
    TypeChanged,
    /// The default of an enum changed.
    DefaultChanged,
    EnumValueAdded,
    EnumValueRemoved,
    /// A description or summary changed.
    DescriptionChanged,
    /// The description now says the entry is deprecated.
    Deprecated,
    /// The description no longer says the entry is deprecated.
    DeprecationWithdrawn,
    /// The deprecation note changed.
    DeprecationNoteChanged,
    Property(PropertyUse, PropertyChange),
}

impl ChangeId {
    /// The id as `matrix.json` and the reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeId::OperationAdded => "operation-added",
            ChangeId::OperationRemoved => "operation-removed",
            ChangeId::OperationMethodChanged => "operation-method-changed",
            ChangeId::OperationPathChanged => "operation-path-changed",
            ChangeId::OperationTagsChanged => "operation-tags-changed",
            ChangeId::RequestParameterAdded => "request-parameter-added",
            ChangeId::RequestParameterRemoved => "request-parameter-removed",
            ChangeId::RequestParameterTypeChanged => "request-parameter-type-changed",
            ChangeId::RequestParameterStyleChanged => "request-parameter-style-changed",
            ChangeId::RequestParameterFormatChanged => "request-parameter-format-changed",
            ChangeId::RequestParameterDefaultChanged => "request-parameter-default-changed",
            ChangeId::RequestParameterRequiredChanged => "request-parameter-required-changed",
            ChangeId::RequestBodyAdded => "request-body-added",
            ChangeId::RequestBodyRemoved => "request-body-removed",
            ChangeId::RequestBodyMediaTypeChanged => "request-body-media-type-changed",
            ChangeId::RequestBodyTypeChanged => "request-body-type-changed",
            ChangeId::RequestBodyRequiredChanged => "request-body-required-changed",
            ChangeId::ResponseAdded => "response-added",
            ChangeId::ResponseRemoved => "response-removed",
            ChangeId::ResponseTypeChanged => "response-type-changed",
            ChangeId::ResponseMediaTypeChanged => "response-media-type-changed",
            ChangeId::ResponseHeaderAdded => "response-header-added",
            ChangeId::ResponseHeaderRemoved => "response-header-removed",
            ChangeId::ResponseHeaderTypeChanged => "response-header-type-changed",
            ChangeId::ResponseHeaderFormatChanged => "response-header-format-changed",
            ChangeId::ResponseHeaderDefaultChanged => "response-header-default-changed",
            ChangeId::TypeAdded => "type-added",
            ChangeId::TypeRemoved => "type-removed",
            ChangeId::TypeRenamed => "type-renamed",
            ChangeId::TypePromoted => "type-promoted",
            ChangeId::TypeInlined => "type-inlined",
            ChangeId::TypeKindChanged => "type-kind-changed",
            ChangeId::TypeChanged => "type-changed",
            ChangeId::DefaultChanged => "default-changed",
            ChangeId::EnumValueAdded => "enum-value-added",
            ChangeId::EnumValueRemoved => "enum-value-removed",
            ChangeId::DescriptionChanged => "description-changed",
            ChangeId::Deprecated => "deprecated",
            ChangeId::DeprecationWithdrawn => "deprecation-withdrawn",
            ChangeId::DeprecationNoteChanged => "deprecation-note-changed",
            ChangeId::Property(used, change) => property_id(used, change),
        }
    }
}

fn property_id(used: PropertyUse, change: PropertyChange) -> &'static str {
    use PropertyChange as C;
    use PropertyUse as U;
    match (used, change) {
        (U::Response, C::Added) => "response-property-added",
        (U::Response, C::Removed) => "response-property-removed",
        (U::Response, C::TypeChanged) => "response-property-type-changed",
        (U::Response, C::EnumIntroduced) => "response-property-enum-introduced",
        (U::Response, C::FormatChanged) => "response-property-format-changed",
        (U::Response, C::RequiredChanged) => "response-property-required-changed",
        (U::Response, C::NullableChanged) => "response-property-nullable-changed",
        (U::Response, C::DefaultChanged) => "response-property-default-changed",
        (U::Request, C::Added) => "request-property-added",
        (U::Request, C::Removed) => "request-property-removed",
        (U::Request, C::TypeChanged) => "request-property-type-changed",
        (U::Request, C::EnumIntroduced) => "request-property-enum-introduced",
        (U::Request, C::FormatChanged) => "request-property-format-changed",
        (U::Request, C::RequiredChanged) => "request-property-required-changed",
        (U::Request, C::NullableChanged) => "request-property-nullable-changed",
        (U::Request, C::DefaultChanged) => "request-property-default-changed",
        (U::Unused, C::Added) => "property-added",
        (U::Unused, C::Removed) => "property-removed",
        (U::Unused, C::TypeChanged) => "property-type-changed",
        (U::Unused, C::EnumIntroduced) => "property-enum-introduced",
        (U::Unused, C::FormatChanged) => "property-format-changed",
        (U::Unused, C::RequiredChanged) => "property-required-changed",
        (U::Unused, C::NullableChanged) => "property-nullable-changed",
        (U::Unused, C::DefaultChanged) => "property-default-changed",
    }
}

/// Ids are ordered by name: the reports list changes of one entry and attribute so.
impl Ord for ChangeId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for ChangeId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn property_ids_are_distinct_and_named_by_their_parts() {
        let mut names = BTreeSet::new();
        for used in [PropertyUse::Response, PropertyUse::Request, PropertyUse::Unused] {
            for change in PropertyChange::ALL {
                let name = ChangeId::Property(used, change).as_str();
                assert!(name.starts_with(&used.words().replace(' ', "-")), "{name}");
                assert!(names.insert(name), "{name} twice");
            }
        }
        assert_eq!(names.len(), 24);
    }

    #[test]
    fn display_pads_like_a_str() {
        assert_eq!(format!("{:<20}|", ChangeId::TypeAdded), format!("{:<20}|", "type-added"));
    }
}

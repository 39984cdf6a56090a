//! Classification of differences, in the spirit of oasdiff, for a client written against the
//! older version: each change gets a stable id ([`ChangeId`]), a level and a one-line message.
//!
//! Place in the pipeline: step 2, called by [`super::Matrix::diff`] for every entry that differs
//! between two versions; the typed states are compared attribute by attribute, one function
//! per kind of entry, and `before`/`after` become JSON here, for the reports.
//!
//! | id | level |
//! |---|---|
//! | `operation-added` | info |
//! | `operation-removed`, `operation-method-changed`, `operation-path-changed` | breaking |
//! | `operation-tags-changed` | info |
//! | `request-parameter-added` | breaking when required, else info |
//! | `request-parameter-removed` | warning |
//! | `request-parameter-type-changed`, `request-parameter-style-changed` | breaking |
//! | `request-parameter-format-changed`, `request-parameter-default-changed` | warning |
//! | `request-parameter-required-changed` | breaking when it became required, else info |
//! | `request-body-added` | breaking when required, else info |
//! | `request-body-removed`, `request-body-media-type-changed` | warning |
//! | `request-body-type-changed` | breaking |
//! | `request-body-required-changed` | breaking when it became required, else info |
//! | `response-added`, `response-header-added`, `response-header-default-changed` | info |
//! | `response-header-removed`, `response-header-type-changed`, `response-header-format-changed` | warning |
//! | `response-removed`, `response-type-changed` | breaking (warning when an untyped object became a named type) |
//! | `response-media-type-changed` | warning when a media type went away, else info |
//! | `type-added`, `type-promoted`, `type-inlined` | info |
//! | `type-removed` | warning |
//! | `type-renamed` | warning when the Rust name changed, else info |
//! | `type-kind-changed`, `type-changed` (alias target) | breaking |
//! | `default-changed` (enum default) | warning |
//! | `{request,response}-property-added` (`property-*` for types used by no operation) | breaking for a new required request property, else info |
//! | `response-property-removed` | breaking |
//! | `request-property-removed`, `property-removed` | warning |
//! | `*-property-type-changed` | breaking |
//! | `*-property-enum-introduced` (a string became an enum) | warning |
//! | `*-property-format-changed` | warning |
//! | `*-property-default-changed` | warning for a request property, else info |
//! | `*-property-required-changed` | breaking when a request property became required, warning when a response property became optional, else info |
//! | `*-property-nullable-changed` | warning when a response property became nullable, else info |
//! | `enum-value-added` | warning for types clients receive, else info |
//! | `enum-value-removed` | breaking for types clients send, else warning |
//! | `description-changed` (descriptions and summaries) | info, listed separately |
//! | `deprecated`, `deprecation-withdrawn`, `deprecation-note-changed` | info, listed separately |
//!
//! These levels are for a client on the wire; [`super::verdict`] then gives each change its
//! two levels, wire and Rust source, refining the wire level where a change is invisible on
//! the wire (renames, a response type with the same members).

use serde_json::Value;

use super::affected::Uses;
use super::attribute::Attribute;
use super::change_id::{ChangeId, Level, PropertyChange, PropertyUse};
use super::entity::{Entity, Info, Kind, Location, Side};
use super::state::{
    BodyAttribute, BodyState, Facts, HeaderAttribute, OperationAttribute, ParameterAttribute, ParameterState,
    PropertyAttribute, PropertyState, ResponseAttribute, ResponseState, State, TypeAttribute, TypeOrigin, TypeShape,
    TypeState,
};
use super::Matrix;

/// One classified difference between two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: ChangeId,
    /// The more severe of [`Change::wire`] and [`Change::rust`].
    pub level: Level,
    /// For a client written against the older version's spec, talking JSON over HTTP.
    pub wire: Level,
    /// For Rust code written against this project's crate of the older version.
    pub rust: Level,
    pub kind: Kind,
    /// Key of the entry in its `matrix.json` section.
    pub key: String,
    /// The attribute that changed; `None` when the entry was added or removed.
    pub attribute: Option<Attribute>,
    pub before: Value,
    pub after: Value,
    pub message: String,
    /// The operations the change affects, and on which side ([`super::affected`]).
    pub operations: Uses,
}

impl Change {
    fn new(id: ChangeId, level: Level, entity: &Entity, attribute: Option<Attribute>, values: (Value, Value)) -> Self {
        let (before, after) = values;
        let (kind, key) = (entity.kind(), entity.key.clone());
        let operations = Uses::new();
        Change {
            id,
            level,
            wire: level,
            rust: level,
            kind,
            key,
            attribute,
            before,
            after,
            message: String::new(),
            operations,
        }
    }
}

/// The id, level and message of a change.
type Verdict = (ChangeId, Level, String);

/// A text value as it is, without quotes.
fn plain(value: &Value) -> String {
    value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string())
}

fn show(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::String(s) => format!("`{s}`"),
        Value::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        other => format!("`{other}`"),
    }
}

/// What the message calls the entry (`` `GET /events` response 200 ``).
fn subject(matrix: &Matrix, entity: &Entity, side: Side) -> String {
    match &entity.info {
        Info::Operation { .. } => format!("`{}` ({})", matrix.op_label(&entity.key), entity.key),
        Info::Parameter { operation, location: Location::Body, .. } => {
            format!("`{}`: request body", matrix.op_label(operation))
        }
        Info::Parameter { operation, location, name } => {
            format!("`{}`: {} parameter `{name}`", matrix.op_label(operation), location.name())
        }
        Info::Response { operation, code } => format!("`{}` response {code}", matrix.op_label(operation)),
        Info::Header { operation, response, name } => {
            let code = response.rsplit(' ').next().unwrap_or_default();
            format!("`{}` response {code} header `{name}`", matrix.op_label(operation))
        }
        Info::Type { .. } => format!("type `{}`", entity.key),
        Info::Property { .. } => format!("{} `{}`", PropertyUse::of(side).words(), entity.key),
        Info::EnumValue { owner, value } => format!("enum `{owner}` value `{value}`"),
    }
}

fn required_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

/// An entry that one side has and the other lacks; `state` is its state on the side that has it.
pub fn presence(matrix: &Matrix, entity: &Entity, added: bool, side: Side, state: &State) -> Option<Change> {
    let what = subject(matrix, entity, side);
    let (id, level, message) = if added { addition(what, side, state)? } else { removal(what, side, state)? };
    let values = if added { (Value::Null, Value::Bool(true)) } else { (Value::Bool(true), Value::Null) };
    Some(Change { message, ..Change::new(id, level, entity, None, values) })
}

/// Inline types come and go with the property or operation that holds them.
fn reported_alone(ty: &TypeState) -> bool {
    ty.origin == TypeOrigin::Definition
}

fn addition(what: String, side: Side, state: &State) -> Option<Verdict> {
    let breaking_if = |required: bool| if required { Level::Breaking } else { Level::Info };
    Some(match state {
        State::Operation(_) => (ChangeId::OperationAdded, Level::Info, format!("{what} added")),
        State::Body(body) => (
            ChangeId::RequestBodyAdded,
            breaking_if(body.required),
            format!("{what} added ({})", required_word(body.required)),
        ),
        State::Parameter(p) => (
            ChangeId::RequestParameterAdded,
            breaking_if(p.required),
            format!("{what} added ({}, `{}`)", required_word(p.required), p.ty),
        ),
        State::Response(_) => (ChangeId::ResponseAdded, Level::Info, format!("{what} added")),
        State::Header(h) => (ChangeId::ResponseHeaderAdded, Level::Info, format!("{what} added (`{}`)", h.ty)),
        State::Type(ty) if reported_alone(ty) => (ChangeId::TypeAdded, Level::Info, format!("{what} added")),
        State::Type(_) => return None,
        State::Property(p) => {
            let detail = format!("`{}`{}", p.ty, if p.required { ", required" } else { "" });
            let id = ChangeId::Property(PropertyUse::of(side), PropertyChange::Added);
            (id, breaking_if(side.request && p.required), format!("{what} added ({detail})"))
        }
        State::EnumValue => {
            let level = if side.response { Level::Warning } else { Level::Info };
            (ChangeId::EnumValueAdded, level, format!("{what} added"))
        }
    })
}

fn removal(what: String, side: Side, state: &State) -> Option<Verdict> {
    let message = format!("{what} removed");
    Some(match state {
        State::Operation(_) => (ChangeId::OperationRemoved, Level::Breaking, message),
        State::Body(_) => (ChangeId::RequestBodyRemoved, Level::Warning, message),
        State::Parameter(_) => (ChangeId::RequestParameterRemoved, Level::Warning, message),
        State::Response(_) => (ChangeId::ResponseRemoved, Level::Breaking, message),
        State::Header(_) => (ChangeId::ResponseHeaderRemoved, Level::Warning, message),
        State::Type(ty) if reported_alone(ty) => (ChangeId::TypeRemoved, Level::Warning, message),
        State::Type(_) => return None,
        State::Property(_) => {
            let level = if side.response { Level::Breaking } else { Level::Warning };
            (ChangeId::Property(PropertyUse::of(side), PropertyChange::Removed), level, message)
        }
        State::EnumValue => {
            let level = if side.request { Level::Breaking } else { Level::Warning };
            (ChangeId::EnumValueRemoved, level, message)
        }
    })
}

/// One attribute that differs, as the per-kind classifiers see it.
struct Step<'a> {
    matrix: &'a Matrix,
    side: Side,
    /// What the message calls the entry.
    what: &'a str,
    before: &'a Value,
    after: &'a Value,
}

impl Step<'_> {
    /// `{what}: {label} {before} → {after}`.
    fn says(&self, label: &str) -> String {
        format!("{}: {label} {}", self.what, self.arrow())
    }

    fn arrow(&self) -> String {
        format!("{} → {}", show(self.before), show(self.after))
    }

    /// `{what}: {yes}` when the flag became true, else `{what}: {no}` (`now required`, `now optional`).
    fn now(&self, became: bool, yes: &str, no: &str) -> String {
        format!("{}: {}", self.what, if became { yes } else { no })
    }

    fn description(&self, attribute: impl Into<Attribute>) -> Verdict {
        (ChangeId::DescriptionChanged, Level::Info, format!("{}: {} changed", self.what, attribute.into()))
    }

    /// The description now (or no longer) says the entry is deprecated.
    fn deprecation(&self) -> Verdict {
        match (self.before, self.after) {
            (Value::Null, note) => {
                (ChangeId::Deprecated, Level::Info, format!("{}: deprecated: {}", self.what, plain(note)))
            }
            (_, Value::Null) => {
                (ChangeId::DeprecationWithdrawn, Level::Info, format!("{}: no longer deprecated", self.what))
            }
            (_, note) => (
                ChangeId::DeprecationNoteChanged,
                Level::Info,
                format!("{}: deprecation note now: {}", self.what, plain(note)),
            ),
        }
    }
}

/// Every attribute that differs between two states of one entry.
pub fn attributes(matrix: &Matrix, entity: &Entity, a: &State, b: &State, side: Side) -> Vec<Change> {
    let what = subject(matrix, entity, side);
    let each = Each { matrix, entity, side, what: &what };
    match (a, b) {
        (State::Operation(a), State::Operation(b)) => {
            each.run(a, b, |attribute, _, _, step| operation(attribute, step))
        }
        (State::Parameter(a), State::Parameter(b)) => each.run(a, b, parameter),
        (State::Body(a), State::Body(b)) => each.run(a, b, body),
        (State::Response(a), State::Response(b)) => each.run(a, b, response),
        (State::Header(a), State::Header(b)) => each.run(a, b, |attribute, _, _, step| header(attribute, step)),
        (State::Type(a), State::Type(b)) => each.run(a, b, type_change),
        (State::Property(a), State::Property(b)) => each.run(a, b, property),
        // An enum value has no attributes; the key of an entry fixes its kind, so the two
        // states are never of different kinds.
        _ => Vec::new(),
    }
}

/// Runs a per-kind classifier over every attribute that differs.
struct Each<'a> {
    matrix: &'a Matrix,
    entity: &'a Entity,
    side: Side,
    what: &'a str,
}

impl Each<'_> {
    fn run<S: Facts>(
        &self,
        a: &S,
        b: &S,
        classify: impl Fn(S::Attribute, &S, &S, &Step<'_>) -> Option<Verdict>,
    ) -> Vec<Change> {
        let mut out = Vec::new();
        for attribute in a.changed(b) {
            let (before, after) = (a.fact(attribute).to_json(), b.fact(attribute).to_json());
            let step = Step { matrix: self.matrix, side: self.side, what: self.what, before: &before, after: &after };
            if let Some((id, level, message)) = classify(attribute, a, b, &step) {
                let values = (before.clone(), after.clone());
                out.push(Change { message, ..Change::new(id, level, self.entity, Some(attribute.into()), values) });
            }
        }
        out
    }
}

fn operation(attribute: OperationAttribute, step: &Step<'_>) -> Option<Verdict> {
    use OperationAttribute as A;
    Some(match attribute {
        A::Description | A::Summary => step.description(attribute),
        A::Deprecated => step.deprecation(),
        A::Method => (ChangeId::OperationMethodChanged, Level::Breaking, step.says("method")),
        A::Path => (ChangeId::OperationPathChanged, Level::Breaking, step.says("path")),
        A::Tags => (ChangeId::OperationTagsChanged, Level::Info, step.says("tags")),
    })
}

fn parameter(
    attribute: ParameterAttribute,
    a: &ParameterState,
    b: &ParameterState,
    step: &Step<'_>,
) -> Option<Verdict> {
    use ParameterAttribute as A;
    Some(match attribute {
        A::Description => step.description(attribute),
        A::Deprecated => step.deprecation(),
        A::Type => (ChangeId::RequestParameterTypeChanged, Level::Breaking, step.says("type")),
        // A parameter that became an array is one change, not also an encoding change.
        A::Style if a.ty != b.ty => return None,
        A::Style => (ChangeId::RequestParameterStyleChanged, Level::Breaking, step.says("array encoding")),
        A::Format => (ChangeId::RequestParameterFormatChanged, Level::Warning, step.says("format")),
        A::Default => (ChangeId::RequestParameterDefaultChanged, Level::Warning, step.says("default")),
        A::Required => {
            let level = if b.required { Level::Breaking } else { Level::Info };
            (ChangeId::RequestParameterRequiredChanged, level, step.now(b.required, "now required", "now optional"))
        }
    })
}

fn body(attribute: BodyAttribute, _: &BodyState, b: &BodyState, step: &Step<'_>) -> Option<Verdict> {
    use BodyAttribute as A;
    Some(match attribute {
        A::Description => step.description(attribute),
        A::Type => (ChangeId::RequestBodyTypeChanged, Level::Breaking, step.says("type")),
        A::MediaTypes => (ChangeId::RequestBodyMediaTypeChanged, Level::Warning, step.says("media types")),
        A::Required => {
            let level = if b.required { Level::Breaking } else { Level::Info };
            (ChangeId::RequestBodyRequiredChanged, level, step.now(b.required, "now required", "now optional"))
        }
    })
}

fn response(attribute: ResponseAttribute, a: &ResponseState, b: &ResponseState, step: &Step<'_>) -> Option<Verdict> {
    use ResponseAttribute as A;
    Some(match attribute {
        A::Description => step.description(attribute),
        A::Type => {
            let untyped = matches!(a.ty.as_deref(), Some("Map<String, Value>" | "Value"));
            if untyped && b.ty.as_deref().is_some_and(|t| step.matrix.get(Kind::Type, t).is_some()) {
                // Same JSON, now described: code using the untyped value has to change.
                let message = format!("{}: untyped object now typed as {}", step.what, show(step.after));
                (ChangeId::ResponseTypeChanged, Level::Warning, message)
            } else {
                (ChangeId::ResponseTypeChanged, Level::Breaking, step.says("type"))
            }
        }
        A::MediaTypes => {
            let lost = a.media_types.iter().any(|m| !b.media_types.contains(m));
            let level = if lost { Level::Warning } else { Level::Info };
            (ChangeId::ResponseMediaTypeChanged, level, step.says("media types"))
        }
    })
}

fn header(attribute: HeaderAttribute, step: &Step<'_>) -> Option<Verdict> {
    use HeaderAttribute as A;
    Some(match attribute {
        A::Description => step.description(attribute),
        A::Deprecated => step.deprecation(),
        A::Type => (ChangeId::ResponseHeaderTypeChanged, Level::Warning, step.says("type")),
        A::Format => (ChangeId::ResponseHeaderFormatChanged, Level::Warning, step.says("format")),
        A::Default => (ChangeId::ResponseHeaderDefaultChanged, Level::Info, step.says("default")),
    })
}

fn type_change(attribute: TypeAttribute, a: &TypeState, b: &TypeState, step: &Step<'_>) -> Option<Verdict> {
    use TypeAttribute as A;
    let what = step.what;
    Some(match attribute {
        A::Description => step.description(attribute),
        A::Deprecated => step.deprecation(),
        A::Name => {
            let level = if a.rust_name != b.rust_name { Level::Warning } else { Level::Info };
            let promoted = a.origin != b.origin && b.origin == TypeOrigin::Definition;
            let note = if promoted { " (inline schema promoted to a definition)" } else { "" };
            (ChangeId::TypeRenamed, level, format!("type {} renamed to {}{note}", show(step.before), show(step.after)))
        }
        // A renamed type is reported once, by its name.
        A::RustName | A::Origin if a.name != b.name => return None,
        A::RustName => (ChangeId::TypeRenamed, Level::Warning, step.says("Rust name")),
        A::Origin if b.origin == TypeOrigin::Definition => {
            (ChangeId::TypePromoted, Level::Info, format!("{what}: inline schema promoted to a definition"))
        }
        A::Origin => (ChangeId::TypeInlined, Level::Info, format!("{what}: definition replaced by an inline schema")),
        A::Kind => (ChangeId::TypeKindChanged, Level::Breaking, step.says("kind")),
        A::Target => (ChangeId::TypeChanged, Level::Breaking, format!("{what}: {}", step.arrow())),
        A::Default => (ChangeId::DefaultChanged, Level::Warning, step.says("default")),
    })
}

fn is_string_enum(matrix: &Matrix, key: &str) -> bool {
    matrix.get(Kind::Type, key).is_some_and(|t| matches!(t.info, Info::Type { kind: TypeShape::StringEnum }))
}

fn property(attribute: PropertyAttribute, a: &PropertyState, b: &PropertyState, step: &Step<'_>) -> Option<Verdict> {
    use PropertyAttribute as A;
    let side = step.side;
    let id = |change: PropertyChange| ChangeId::Property(PropertyUse::of(side), change);
    Some(match attribute {
        A::Description => step.description(attribute),
        A::Deprecated => step.deprecation(),
        A::Type if a.ty == "String" && is_string_enum(step.matrix, &b.ty) => (
            id(PropertyChange::EnumIntroduced),
            Level::Warning,
            format!("{}: string became enum {}", step.what, show(step.after)),
        ),
        A::Type => (id(PropertyChange::TypeChanged), Level::Breaking, step.says("type")),
        A::Format => (id(PropertyChange::FormatChanged), Level::Warning, step.says("format")),
        A::Required => {
            let level = if side.request && b.required {
                Level::Breaking
            } else if side.response && !b.required {
                Level::Warning
            } else {
                Level::Info
            };
            (id(PropertyChange::RequiredChanged), level, step.now(b.required, "now required", "now optional"))
        }
        A::Nullable => {
            let level = if side.response && b.nullable { Level::Warning } else { Level::Info };
            (id(PropertyChange::NullableChanged), level, step.now(b.nullable, "now nullable", "no longer nullable"))
        }
        A::Default => {
            let level = if side.request { Level::Warning } else { Level::Info };
            (id(PropertyChange::DefaultChanged), level, step.says("default"))
        }
    })
}

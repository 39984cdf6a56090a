//! What an entry of the matrix is like at one version: one state type per kind of entry, each
//! with an enum naming exactly the attributes it records.
//!
//! Place in the pipeline: [`super::build`] fills these in from each version's IR; an entry's
//! history ([`super::Entity::history`]) and [`super::classify`] compare them attribute by
//! attribute through [`Facts`]. The attribute names in the reports are [`Attribute::name`].

use serde_json::Value;

use super::attribute::{Attribute, Fact};
use crate::ir::ArrayStyle;

/// A state whose attributes can be listed and compared one by one.
pub trait Facts {
    /// The attributes this kind of entry records.
    type Attribute: Copy + Into<Attribute> + 'static;
    /// Every attribute, in name order.
    const ATTRIBUTES: &'static [Self::Attribute];

    fn fact(&self, attribute: Self::Attribute) -> Fact<'_>;

    /// The attributes whose values differ from `other`'s, in name order.
    fn changed(&self, other: &Self) -> Vec<Self::Attribute> {
        Self::ATTRIBUTES.iter().copied().filter(|a| self.fact(*a) != other.fact(*a)).collect()
    }

    /// Every attribute with its value, in name order.
    fn facts(&self) -> Vec<(Attribute, Fact<'_>)> {
        Self::ATTRIBUTES.iter().map(|a| ((*a).into(), self.fact(*a))).collect()
    }
}

/// Declares a per-kind attribute enum (variants in name order) and its mapping to [`Attribute`].
macro_rules! attributes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every attribute, in name order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl From<$name> for Attribute {
            fn from(attribute: $name) -> Attribute {
                match attribute {
                    $($name::$variant => Attribute::$variant),+
                }
            }
        }
    };
}

attributes! {
    /// The attributes of an operation.
    OperationAttribute { Deprecated, Description, Method, Path, Summary, Tags }
}

attributes! {
    /// The attributes of a path, query or header parameter.
    ParameterAttribute { Default, Deprecated, Description, Format, Required, Style, Type }
}

attributes! {
    /// The attributes of a request body.
    BodyAttribute { Description, MediaTypes, Required, Type }
}

attributes! {
    /// The attributes of a response.
    ResponseAttribute { Description, MediaTypes, Type }
}

attributes! {
    /// The attributes of a response header.
    HeaderAttribute { Default, Deprecated, Description, Format, Type }
}

attributes! {
    /// The attributes of a type.
    TypeAttribute { Default, Deprecated, Description, Kind, Name, Origin, RustName, Target }
}

attributes! {
    /// The attributes of a property.
    PropertyAttribute { Default, Deprecated, Description, Format, Nullable, Required, Type }
}

/// An operation at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationState {
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The deprecation note of the description.
    pub deprecated: Option<String>,
}

impl Facts for OperationState {
    type Attribute = OperationAttribute;
    const ATTRIBUTES: &'static [OperationAttribute] = OperationAttribute::ALL;

    fn fact(&self, attribute: OperationAttribute) -> Fact<'_> {
        match attribute {
            OperationAttribute::Deprecated => Fact::text(self.deprecated.as_deref()),
            OperationAttribute::Description => Fact::text(self.description.as_deref()),
            OperationAttribute::Method => Fact::Text(&self.method),
            OperationAttribute::Path => Fact::Text(&self.path),
            OperationAttribute::Summary => Fact::text(self.summary.as_deref()),
            OperationAttribute::Tags => Fact::List(&self.tags),
        }
    }
}

/// A path, query or header parameter at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterState {
    /// Spelled by [`super::spell`].
    pub ty: String,
    /// The format of the parameter's own schema (none for a named type).
    pub format: Option<String>,
    pub required: bool,
    pub default: Option<Value>,
    /// How an array is written; `multi` or `csv` in the reports.
    pub style: Option<ArrayStyle>,
    pub description: Option<String>,
    /// The deprecation note of the description.
    pub deprecated: Option<String>,
}

/// The name of an array style in the reports.
pub fn style_name(style: ArrayStyle) -> &'static str {
    match style {
        ArrayStyle::Repeated => "multi",
        ArrayStyle::CommaSeparated => "csv",
    }
}

impl Facts for ParameterState {
    type Attribute = ParameterAttribute;
    const ATTRIBUTES: &'static [ParameterAttribute] = ParameterAttribute::ALL;

    fn fact(&self, attribute: ParameterAttribute) -> Fact<'_> {
        match attribute {
            ParameterAttribute::Default => Fact::json(self.default.as_ref()),
            ParameterAttribute::Deprecated => Fact::text(self.deprecated.as_deref()),
            ParameterAttribute::Description => Fact::text(self.description.as_deref()),
            ParameterAttribute::Format => Fact::text(self.format.as_deref()),
            ParameterAttribute::Required => Fact::Flag(self.required),
            ParameterAttribute::Style => Fact::text(self.style.map(style_name)),
            ParameterAttribute::Type => Fact::Text(&self.ty),
        }
    }
}

/// A request body at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyState {
    /// Spelled by [`super::spell`]; `bytes` for a raw body.
    pub ty: String,
    pub required: bool,
    pub media_types: Vec<String>,
    pub description: Option<String>,
}

impl Facts for BodyState {
    type Attribute = BodyAttribute;
    const ATTRIBUTES: &'static [BodyAttribute] = BodyAttribute::ALL;

    fn fact(&self, attribute: BodyAttribute) -> Fact<'_> {
        match attribute {
            BodyAttribute::Description => Fact::text(self.description.as_deref()),
            BodyAttribute::MediaTypes => Fact::List(&self.media_types),
            BodyAttribute::Required => Fact::Flag(self.required),
            BodyAttribute::Type => Fact::Text(&self.ty),
        }
    }
}

/// A response at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseState {
    /// Spelled by [`super::spell`]; `string` for a text body; none without a body.
    pub ty: Option<String>,
    pub media_types: Vec<String>,
    pub description: String,
}

impl Facts for ResponseState {
    type Attribute = ResponseAttribute;
    const ATTRIBUTES: &'static [ResponseAttribute] = ResponseAttribute::ALL;

    fn fact(&self, attribute: ResponseAttribute) -> Fact<'_> {
        match attribute {
            ResponseAttribute::Description => Fact::Text(&self.description),
            ResponseAttribute::MediaTypes => Fact::List(&self.media_types),
            ResponseAttribute::Type => Fact::text(self.ty.as_deref()),
        }
    }
}

/// A response header at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderState {
    /// Spelled by [`super::spell`].
    pub ty: String,
    pub format: Option<String>,
    pub default: Option<Value>,
    pub description: Option<String>,
    /// The deprecation note of the description.
    pub deprecated: Option<String>,
}

impl Facts for HeaderState {
    type Attribute = HeaderAttribute;
    const ATTRIBUTES: &'static [HeaderAttribute] = HeaderAttribute::ALL;

    fn fact(&self, attribute: HeaderAttribute) -> Fact<'_> {
        match attribute {
            HeaderAttribute::Default => Fact::json(self.default.as_ref()),
            HeaderAttribute::Deprecated => Fact::text(self.deprecated.as_deref()),
            HeaderAttribute::Description => Fact::text(self.description.as_deref()),
            HeaderAttribute::Format => Fact::text(self.format.as_deref()),
            HeaderAttribute::Type => Fact::Text(&self.ty),
        }
    }
}

/// What a type is (the `kind` attribute of a type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeShape {
    Struct,
    StringEnum,
    IntegerEnum,
    Alias,
}

impl TypeShape {
    pub fn name(self) -> &'static str {
        match self {
            TypeShape::Struct => "struct",
            TypeShape::StringEnum => "string-enum",
            TypeShape::IntegerEnum => "integer-enum",
            TypeShape::Alias => "alias",
        }
    }
}

/// Where a type is defined (the `origin` attribute of a type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeOrigin {
    /// Under `definitions`.
    Definition,
    /// An inline schema.
    Inline,
}

impl TypeOrigin {
    pub fn name(self) -> &'static str {
        match self {
            TypeOrigin::Definition => "definition",
            TypeOrigin::Inline => "inline",
        }
    }
}

/// A type at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeState {
    /// The name the spec gives it at this version.
    pub name: String,
    pub rust_name: String,
    pub origin: TypeOrigin,
    pub kind: TypeShape,
    /// Of an alias: the aliased type expression, spelled by [`super::spell`].
    pub target: Option<String>,
    /// Of a string enum.
    pub default: Option<String>,
    pub description: Option<String>,
    /// The deprecation note of the description.
    pub deprecated: Option<String>,
}

impl Facts for TypeState {
    type Attribute = TypeAttribute;
    const ATTRIBUTES: &'static [TypeAttribute] = TypeAttribute::ALL;

    fn fact(&self, attribute: TypeAttribute) -> Fact<'_> {
        match attribute {
            TypeAttribute::Default => Fact::text(self.default.as_deref()),
            TypeAttribute::Deprecated => Fact::text(self.deprecated.as_deref()),
            TypeAttribute::Description => Fact::text(self.description.as_deref()),
            TypeAttribute::Kind => Fact::Text(self.kind.name()),
            TypeAttribute::Name => Fact::Text(&self.name),
            TypeAttribute::Origin => Fact::Text(self.origin.name()),
            TypeAttribute::RustName => Fact::Text(&self.rust_name),
            TypeAttribute::Target => Fact::text(self.target.as_deref()),
        }
    }
}

/// A property (a member of a struct) at one version.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyState {
    /// Spelled by [`super::spell`].
    pub ty: String,
    /// The format of the property's own schema (none for a named type).
    pub format: Option<String>,
    pub required: bool,
    pub nullable: bool,
    pub default: Option<Value>,
    pub description: Option<String>,
    /// The deprecation note of the description.
    pub deprecated: Option<String>,
}

impl Facts for PropertyState {
    type Attribute = PropertyAttribute;
    const ATTRIBUTES: &'static [PropertyAttribute] = PropertyAttribute::ALL;

    fn fact(&self, attribute: PropertyAttribute) -> Fact<'_> {
        match attribute {
            PropertyAttribute::Default => Fact::json(self.default.as_ref()),
            PropertyAttribute::Deprecated => Fact::text(self.deprecated.as_deref()),
            PropertyAttribute::Description => Fact::text(self.description.as_deref()),
            PropertyAttribute::Format => Fact::text(self.format.as_deref()),
            PropertyAttribute::Nullable => Fact::Flag(self.nullable),
            PropertyAttribute::Required => Fact::Flag(self.required),
            PropertyAttribute::Type => Fact::Text(&self.ty),
        }
    }
}

/// An entry at one version. The variant follows from the entry's key, so the two states of
/// one entry that are compared are always of the same variant.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Operation(OperationState),
    /// A path, query or header parameter.
    Parameter(ParameterState),
    /// A request body (an entry of kind parameter).
    Body(BodyState),
    Response(ResponseState),
    Header(HeaderState),
    Type(TypeState),
    Property(PropertyState),
    /// An enum value records nothing but its presence.
    EnumValue,
}

impl State {
    /// Every attribute this state records, with its value, in name order.
    pub fn facts(&self) -> Vec<(Attribute, Fact<'_>)> {
        match self {
            State::Operation(s) => s.facts(),
            State::Parameter(s) => s.facts(),
            State::Body(s) => s.facts(),
            State::Response(s) => s.facts(),
            State::Header(s) => s.facts(),
            State::Type(s) => s.facts(),
            State::Property(s) => s.facts(),
            State::EnumValue => Vec::new(),
        }
    }

    /// Every attribute whose value differs from `other`'s (an attribute one of them does not
    /// record counts as `null`), in name order, with both values as JSON.
    pub fn changes(&self, other: &State) -> Vec<(Attribute, Value, Value)> {
        let (a, b) = (self.facts(), other.facts());
        fn value<'s>(facts: &[(Attribute, Fact<'s>)], attribute: Attribute) -> Fact<'s> {
            facts.iter().find(|(name, _)| *name == attribute).map_or(Fact::Null, |(_, fact)| *fact)
        }
        let mut attributes: Vec<Attribute> = a.iter().chain(&b).map(|(attribute, _)| *attribute).collect();
        attributes.sort_unstable();
        attributes.dedup();
        attributes
            .into_iter()
            .filter_map(|attribute| {
                let (x, y) = (value(&a, attribute), value(&b, attribute));
                (x != y).then(|| (attribute, x.to_json(), y.to_json()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_name_order<A: Copy + Into<Attribute>>(all: &[A]) -> bool {
        all.windows(2).all(|w| w[0].into() < w[1].into())
    }

    #[test]
    fn every_kind_lists_its_attributes_in_name_order() {
        assert!(in_name_order(OperationAttribute::ALL));
        assert!(in_name_order(ParameterAttribute::ALL));
        assert!(in_name_order(BodyAttribute::ALL));
        assert!(in_name_order(ResponseAttribute::ALL));
        assert!(in_name_order(HeaderAttribute::ALL));
        assert!(in_name_order(TypeAttribute::ALL));
        assert!(in_name_order(PropertyAttribute::ALL));
    }

    #[test]
    fn changes_compare_values_not_spellings() {
        let a = PropertyState {
            ty: "String".into(),
            format: None,
            required: false,
            nullable: false,
            default: None,
            description: None,
            deprecated: None,
        };
        let b = PropertyState { default: Some(Value::Null), required: true, ..a.clone() };
        let changes = State::Property(a).changes(&State::Property(b));
        assert_eq!(changes, [(Attribute::Required, Value::Bool(false), Value::Bool(true))]);
    }
}

//! Step 3 of the pipeline: the intermediate representation (IR) of one API version.
//!
//! The IR is the single source of truth: the Rust code, the version matrix and the diff
//! reports are all computed from it. It is plain data, keyed in `BTreeMap`s so that iteration
//! order never depends on the order of the input.

pub mod build;
pub mod cycles;
pub mod docs;
pub mod encoding;
pub mod naming;
pub mod reach;
pub mod wire;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::version::ApiVersion;

pub use build::build;
pub use wire::WireKind;

/// The Rust name of a generated type (`ContainerSummary`).
pub type TypeName = String;

/// Everything generated for one API version.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub version: ApiVersion,
    /// File name of the spec (`v1.41.yaml`).
    pub spec_file: String,
    /// sha256 of the spec bytes.
    pub sha256: String,
    /// Named types, by Rust name.
    pub types: BTreeMap<TypeName, TypeDef>,
    /// Operations, by operationId.
    pub operations: BTreeMap<String, Operation>,
    /// Tag name → description, in spec order of first appearance kept by name.
    pub tags: BTreeMap<String, String>,
    /// Every `example` of the spec with the type it should decode into.
    pub examples: Vec<Example>,
    /// The oldest version this IR covers: its own version for one spec; for a lineage view
    /// the oldest spec, which is what `Availability { since: None, .. }` means.
    pub oldest: ApiVersion,
    /// Per request-body type, what the version gates check (filled in by the lineage stage).
    pub request_gates: BTreeMap<TypeName, Vec<MemberGate>>,
}

/// One member of a request-body type that a version gate looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberGate {
    pub wire_name: String,
    pub rust_name: String,
    /// Setting the member needs a version in this range (`None`: any version).
    pub required: Option<Availability>,
    /// The member's value has gated members of its own (walk into it).
    pub descend: bool,
}

/// Where a named type came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `#/definitions/<name>`.
    Definition(String),
    /// An inline schema, named by the generator (pointer of the schema).
    Inline { pointer: String },
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: TypeName,
    pub origin: Origin,
    /// JSON pointer of the schema in the original spec.
    pub pointer: String,
    /// The module the type is emitted into (`container`, `common`, …).
    pub module: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// The versions that have this type (filled in by the lineage stage; one spec alone says
    /// [`Availability::ALWAYS`]).
    pub availability: Availability,
    /// Why this type is deprecated (a legacy type or an old name kept as an alias).
    pub deprecated: Option<String>,
    /// The named types whose fields `allOf` copied into this one (`HostConfig` ← `Resources`):
    /// a user of this type uses them too (reports follow them, see [`reach`]).
    pub all_of: Vec<TypeName>,
}

/// The versions, among those a crate covers, in which an item exists. Computed by the lineage
/// stage; a single spec's IR has [`Availability::ALWAYS`] everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Availability {
    /// First version that has it; `None`: the oldest spec has it (it may be older still).
    pub since: Option<ApiVersion>,
    /// First version that no longer has it; `None`: the crate's own version has it.
    pub until: Option<ApiVersion>,
}

impl Availability {
    pub const ALWAYS: Availability = Availability { since: None, until: None };

    pub fn is_always(self) -> bool {
        self == Availability::ALWAYS
    }

    /// "every API version", "API v1.48 and later", "API v1.40 to v1.51", "API v1.44 to v1.51".
    pub fn range_text(self, oldest: ApiVersion) -> String {
        match (self.since, self.until) {
            (None, None) => "every API version".to_string(),
            (Some(since), None) => format!("API v{since} and later"),
            (since, Some(until)) => format!("API v{} to v{}", since.unwrap_or(oldest), until.previous()),
        }
    }

    /// A doc sentence: "Since API v1.44.", "Removed in API v1.52 (API v1.40 to v1.51).".
    pub fn doc(self, oldest: ApiVersion) -> Option<String> {
        match (self.since, self.until) {
            (None, None) => None,
            (Some(since), None) => Some(format!("Since API v{since}.")),
            (since, Some(until)) => Some(format!(
                "Removed in API v{until}: sent and understood by API v{} to v{}.",
                since.unwrap_or(oldest),
                until.previous()
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named fields (`allOf` flattened into it).
    Struct { fields: Vec<Field> },
    /// An open string enum: unknown values are kept.
    StringEnum { variants: Vec<EnumVariant>, default: Option<String> },
    /// An open integer enum, encoded as an integer.
    IntegerEnum { int: IntKind, variants: Vec<IntVariant> },
    /// Another name for a type expression (`PortMap`, `GenericResources`).
    Alias { target: TypeRef },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The wire text (`unless-stopped`, `""`).
    pub value: String,
    /// The Rust variant name (`UnlessStopped`, `Empty`).
    pub rust_name: String,
    pub availability: Availability,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntVariant {
    pub value: i64,
    pub rust_name: String,
    pub availability: Availability,
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON key.
    pub wire_name: String,
    /// The Rust field name (`r#type`, `os_version`).
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub facts: SchemaFacts,
    /// Pointer of the field's schema in the original spec.
    pub pointer: String,
    pub availability: Availability,
}

/// Facts about a schema node that do not change its Rust shape but matter to reports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaFacts {
    pub description: Option<String>,
    /// `x-nullable: true`.
    pub nullable: bool,
    pub format: Option<String>,
    pub default: Option<Value>,
    /// `x-go-type`'s `type`, when present.
    pub go_type: Option<String>,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Named(TypeName),
    String,
    Integer(IntKind),
    Number,
    Boolean,
    Array(Box<Slot>),
    /// A JSON object with string keys and values of one type.
    Map(Box<Slot>),
    /// A JSON object whose members the spec does not describe.
    FreeFormObject,
    /// Any JSON value (the spec gives no type).
    Any,
}

/// An array element or map value: its type and whether `null` may stand in its place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub ty: TypeRef,
    pub nullable: bool,
}

/// Integer width, chosen from the schema's `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntKind {
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

impl IntKind {
    /// `int64`, `int` and no format → `i64`; `uintN` → `uN`.
    pub fn from_format(format: Option<&str>) -> Option<IntKind> {
        Some(match format {
            None | Some("int64") | Some("int") => IntKind::I64,
            Some("int32") => IntKind::I32,
            Some("uint64") => IntKind::U64,
            Some("uint32") => IntKind::U32,
            Some("uint16") => IntKind::U16,
            Some("uint8") => IntKind::U8,
            Some(_) => return None,
        })
    }

    pub fn rust(self) -> &'static str {
        match self {
            IntKind::I32 => "i32",
            IntKind::I64 => "i64",
            IntKind::U8 => "u8",
            IntKind::U16 => "u16",
            IntKind::U32 => "u32",
            IntKind::U64 => "u64",
        }
    }
}

impl TypeRef {
    /// The Rust spelling of the type, as used in generated code (`Vec<Option<String>>`).
    pub fn rust(&self) -> String {
        match self {
            TypeRef::Named(name) => name.clone(),
            TypeRef::String => "String".into(),
            TypeRef::Integer(kind) => kind.rust().into(),
            TypeRef::Number => "f64".into(),
            TypeRef::Boolean => "bool".into(),
            TypeRef::Array(slot) => format!("Vec<{}>", slot.rust()),
            TypeRef::Map(slot) => format!("BTreeMap<String, {}>", slot.rust()),
            TypeRef::FreeFormObject => "serde_json::Map<String, serde_json::Value>".into(),
            TypeRef::Any => "serde_json::Value".into(),
        }
    }

    /// Named types this expression mentions.
    pub fn named(&self, out: &mut Vec<TypeName>) {
        match self {
            TypeRef::Named(n) => out.push(n.clone()),
            TypeRef::Array(slot) | TypeRef::Map(slot) => slot.ty.named(out),
            _ => {}
        }
    }
}

impl Slot {
    pub fn rust(&self) -> String {
        if self.nullable {
            format!("Option<{}>", self.ty.rust())
        } else {
            self.ty.rust()
        }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// How an array query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArrayStyle {
    /// `?k=a&k=b` (`collectionFormat: multi`).
    Repeated,
    /// `?k=a,b` (absent `collectionFormat`, Swagger's default csv).
    CommaSeparated,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    /// How the value travels ([`encoding`]).
    pub encoding: encoding::Encoding,
    /// The parameter's own description (Swagger 2.0 puts it on the parameter, not its schema).
    pub description: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub array_style: Option<ArrayStyle>,
    pub facts: SchemaFacts,
    pub pointer: String,
    pub availability: Availability,
    /// What to use instead when the negotiated version lacks this parameter
    /// (`specs/replacements.yaml`, resolved by the lineage stage).
    pub replacement_hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The Swagger body parameter's name (`container`, `execConfig`).
    pub name: String,
    /// `None` for raw bytes (`type: string, format: binary`, tar archives).
    pub ty: Option<TypeRef>,
    pub media_types: Vec<String>,
    /// The `Content-Type` the body is sent with.
    pub content_type: String,
    /// What is sent when an optional body is absent.
    pub absent: encoding::AbsentBody,
    pub required: bool,
    pub description: Option<String>,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub ty: TypeRef,
    pub description: Option<String>,
    /// Format and default of the header's schema (for the reports).
    pub facts: SchemaFacts,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub code: u16,
    pub description: String,
    /// The JSON type of the body, when the spec declares one that is not raw bytes or text.
    pub ty: Option<TypeRef>,
    /// `true` when the schema is `type: string` (plain text or binary).
    pub is_string: bool,
    pub media_types: Vec<String>,
    pub headers: Vec<ResponseHeader>,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// The Rust method (`container_list`).
    pub method_name: String,
    /// The options struct (`ContainerListOptions`).
    pub options_name: String,
    pub method: String,
    pub path: String,
    /// `path` split at its parameters.
    pub segments: Vec<encoding::PathSegment>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// How the successful response travels (see [`wire`]).
    pub wire: WireKind,
    pub pointer: String,
    pub availability: Availability,
    /// How to learn whether output is raw (TTY) when the daemon does not say (lineage stage).
    pub tty_probe: Option<wire::TtyProbe>,
}

/// One `example` from the spec with the Rust type it must decode into.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub pointer: String,
    pub ty: Slot,
    pub value: Value,
}

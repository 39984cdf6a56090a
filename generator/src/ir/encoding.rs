//! Step 3, part of the IR: how each parameter and body travels on the wire, and what an
//! operation's method is called. Decided once here, so the endpoint emitter only prints.
//!
//! What the spec cannot say is kept as data with a reason: [`SPECIAL_PARAMETERS`],
//! [`JSON_TEXT_PARAMETERS`] and [`SLASHED_PATHS`].

use heck::ToSnakeCase;

use super::naming::{field_name, type_name};
use super::{ArrayStyle, IntKind, Param, ParamLocation, Slot, TypeRef};

/// How a parameter's value reaches the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A path segment that may not contain `/` (container, network, volume ids and names).
    PathId,
    /// An image, plugin or distribution reference: `/` separates its components.
    PathName,
    /// `key=text`; `enumerated`: an open enum, sent as its wire text.
    Text {
        enumerated: bool,
    },
    Bool,
    Int(IntKind),
    Number,
    /// An array, repeated (`t=a&t=b`) or comma-joined.
    List {
        style: ArrayStyle,
        item: ListItem,
    },
    /// Any other value, as JSON text.
    Json,
    /// A `string` parameter whose text is JSON ([`JSON_TEXT_PARAMETERS`]): the options take the
    /// typed value and the generated code encodes it.
    JsonText(JsonValue),
    /// `filters`: the typed `Filters` builder, sent as JSON when it is not empty.
    Filters,
    /// Registry credentials as base64url JSON (`X-Registry-Auth`).
    RegistryAuth,
    /// Credentials per registry as base64url JSON (`X-Registry-Config`).
    RegistryConfig,
    /// A plain text header.
    Header,
}

/// The items of a list parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListItem {
    Text,
    Enum,
    /// Numbers and booleans, sent as their `Display` text.
    Other,
    /// Each item is JSON text ([`JSON_TEXT_PARAMETERS`]), sent as repeated keys (JSON has commas).
    Json(JsonValue),
}

/// The typed value of a parameter whose text is JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonValue {
    /// `{"k":"v",…}`: `BTreeMap<String, String>`.
    StringMap,
    /// `["a",…]`: `Vec<String>`.
    StringList,
    /// `[{…},…]`: objects the spec does not describe as a type.
    ObjectList,
    /// One OCI platform (`{"os":"linux","architecture":"arm64"}`): the `OCIPlatform` model.
    Platform,
}

impl JsonValue {
    /// The Rust type of the value, as a type expression of the version's IR.
    pub fn value_type(self) -> TypeRef {
        let slot = |ty| Box::new(Slot { ty, nullable: false });
        match self {
            JsonValue::StringMap => TypeRef::Map(slot(TypeRef::String)),
            JsonValue::StringList => TypeRef::Array(slot(TypeRef::String)),
            JsonValue::ObjectList => TypeRef::Array(slot(TypeRef::FreeFormObject)),
            JsonValue::Platform => TypeRef::Named(type_name("OCIPlatform").unwrap_or_default()),
        }
    }
}

/// A query parameter the spec types as text (or a list of texts) whose text is JSON.
#[derive(Debug, Clone, Copy)]
pub struct JsonTextParameter {
    pub operation: &'static str,
    pub name: &'static str,
    pub value: JsonValue,
    pub reason: &'static str,
}

/// Every query parameter whose description says its text is JSON (`filters` and
/// `X-Registry-Config` are [`SPECIAL_PARAMETERS`]). A test (`tests/tests/json_text_params.rs`)
/// reads every spec's descriptions and fails when one is missing here.
pub const JSON_TEXT_PARAMETERS: &[JsonTextParameter] = &[
    JsonTextParameter {
        operation: "ImageBuild",
        name: "buildargs",
        value: JsonValue::StringMap,
        reason: "\"JSON map of string pairs for build-time variables\"",
    },
    JsonTextParameter {
        operation: "ImageBuild",
        name: "labels",
        value: JsonValue::StringMap,
        reason: "\"key/value labels … as a JSON map of string pairs\"",
    },
    JsonTextParameter {
        operation: "ImageBuild",
        name: "cachefrom",
        value: JsonValue::StringList,
        reason: "\"JSON array of images used for build cache resolution\"",
    },
    JsonTextParameter {
        operation: "ImageBuild",
        name: "outputs",
        value: JsonValue::ObjectList,
        reason: "\"a stringified JSON array of objects\" with `Type` and `Attrs`; no model describes them",
    },
    JsonTextParameter {
        operation: "ImageInspect",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON-encoded OCI platform\"",
    },
    JsonTextParameter {
        operation: "ImageHistory",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON-encoded OCI platform\"",
    },
    JsonTextParameter {
        operation: "ImagePush",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON-encoded OCI platform\"",
    },
    JsonTextParameter {
        operation: "ImageAttestations",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON-encoded OCI platform\", repeated",
    },
    JsonTextParameter {
        operation: "ImageDelete",
        name: "platforms",
        value: JsonValue::Platform,
        reason: "\"Each platform is a OCI platform encoded as a JSON string\"",
    },
    JsonTextParameter {
        operation: "ImageGet",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON encoded OCI platform\" (one value before v1.52, repeated since)",
    },
    JsonTextParameter {
        operation: "ImageGetAll",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON encoded OCI platform(s)\" (one value before v1.52, repeated since)",
    },
    JsonTextParameter {
        operation: "ImageLoad",
        name: "platform",
        value: JsonValue::Platform,
        reason: "\"JSON encoded OCI platform(s)\" (one value before v1.52, repeated since)",
    },
];

/// Parameters whose encoding the spec's types do not tell.
pub const SPECIAL_PARAMETERS: &[(&str, Encoding, &str)] = &[
    (
        "filters",
        Encoding::Filters,
        "typed `string` (JSON text) in the spec; the `Filters` builder writes the JSON the daemon parses",
    ),
    (
        "X-Registry-Auth",
        Encoding::RegistryAuth,
        "base64url JSON of an AuthConfig; standard base64 is silently ignored by the daemon",
    ),
    ("X-Registry-Config", Encoding::RegistryConfig, "base64url JSON of registry → AuthConfig"),
];

/// Path prefixes whose `{name}` is a reference that may contain `/` (`registry:5000/ns/img`).
pub const SLASHED_PATHS: &[&str] = &["/images/", "/plugins/", "/distribution/"];

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Literal(String),
    /// A path parameter, by its spec name.
    Param {
        name: String,
        encoding: Encoding,
    },
}

/// The encoding of `param` of operation `operation_id` at `path`; an error says why a
/// [`JSON_TEXT_PARAMETERS`] entry does not fit the spec's parameter.
pub fn param_encoding(operation_id: &str, path: &str, param: &Param) -> Result<Encoding, String> {
    if let Some((_, encoding, _)) = SPECIAL_PARAMETERS.iter().find(|(name, _, _)| *name == param.name) {
        return Ok(*encoding);
    }
    if let Some(entry) = JSON_TEXT_PARAMETERS.iter().find(|e| e.operation == operation_id && e.name == param.name) {
        return json_text_encoding(entry, param);
    }
    Ok(plain_encoding(path, param))
}

/// A [`JSON_TEXT_PARAMETERS`] entry applied to the spec's parameter: text becomes the typed
/// value, a list of texts a list of typed values. A list is always sent as repeated keys,
/// whatever `collectionFormat` the spec declares: JSON text contains commas, so comma-joined
/// items could not be told apart (the daemon reads repeated keys).
fn json_text_encoding(entry: &JsonTextParameter, param: &Param) -> Result<Encoding, String> {
    let name = &param.name;
    match (&param.location, &param.ty) {
        (ParamLocation::Query, TypeRef::String) => Ok(Encoding::JsonText(entry.value)),
        (ParamLocation::Query, TypeRef::Array(slot)) if slot.ty == TypeRef::String => {
            Ok(Encoding::List { style: ArrayStyle::Repeated, item: ListItem::Json(entry.value) })
        }
        _ => Err(format!(
            "parameter `{name}` is listed in JSON_TEXT_PARAMETERS but is not a query string or list of strings"
        )),
    }
}

fn plain_encoding(path: &str, param: &Param) -> Encoding {
    match param.location {
        ParamLocation::Path if param.name == "name" && SLASHED_PATHS.iter().any(|p| path.starts_with(p)) => {
            Encoding::PathName
        }
        ParamLocation::Path => Encoding::PathId,
        ParamLocation::Header => Encoding::Header,
        ParamLocation::Query => match &param.ty {
            TypeRef::String => Encoding::Text { enumerated: false },
            TypeRef::Named(_) => Encoding::Text { enumerated: true },
            TypeRef::Boolean => Encoding::Bool,
            TypeRef::Integer(kind) => Encoding::Int(*kind),
            TypeRef::Number => Encoding::Number,
            TypeRef::Array(slot) => Encoding::List {
                style: param.array_style.unwrap_or(ArrayStyle::CommaSeparated),
                item: match slot.ty {
                    TypeRef::String => ListItem::Text,
                    TypeRef::Named(_) => ListItem::Enum,
                    _ => ListItem::Other,
                },
            },
            _ => Encoding::Json,
        },
    }
}

/// `template` split at its `{parameters}`; an error names what is wrong.
pub fn path_segments(template: &str, params: &[Param]) -> Result<Vec<PathSegment>, String> {
    let mut segments = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| format!("unclosed `{{` in {template}"))?;
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..close];
        let param = params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name)
            .ok_or_else(|| format!("path parameter `{name}` is not declared"))?;
        segments.push(PathSegment::Param { name: name.to_string(), encoding: param.encoding });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    Ok(segments)
}

/// The content type a body is sent with: JSON or a tar archive when offered, else the first.
pub fn body_content_type(media_types: &[String]) -> String {
    ["application/json", "application/x-tar"]
        .into_iter()
        .find(|m| media_types.iter().any(|t| t == m))
        .or_else(|| media_types.first().map(String::as_str))
        .unwrap_or("application/octet-stream")
        .to_string()
}

/// `ContainerList` → `container_list`.
pub fn method_name(operation_id: &str) -> String {
    field_name(operation_id).unwrap_or_else(|| operation_id.to_snake_case())
}

/// `ContainerList` → `ContainerListOptions`.
pub fn options_name(operation_id: &str) -> String {
    format!("{}Options", type_name(operation_id).unwrap_or_default())
}

/// What an optional body that the caller leaves out is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsentBody {
    /// No body (raw byte bodies: archives, build contexts).
    Nothing,
    /// `{}`, as the CLI sends: daemons read the body, and some (Docker 20.10 exec start,
    /// Podman commit) fail on an empty one.
    EmptyObject,
    /// `[]` for a list body (plugin privileges).
    EmptyArray,
}

/// [`AbsentBody`] of a body of type `ty` (`None`: raw bytes).
pub fn absent_body(
    ty: Option<&TypeRef>,
    types: &std::collections::BTreeMap<super::TypeName, super::TypeDef>,
) -> AbsentBody {
    let Some(ty) = ty else { return AbsentBody::Nothing };
    // Aliases (`PluginPrivileges = Vec<PluginPrivilege>`) count by the shape on the wire.
    let ty = super::reach::resolve_alias(types, ty);
    match ty {
        TypeRef::Array(_) => AbsentBody::EmptyArray,
        _ => AbsentBody::EmptyObject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Availability, SchemaFacts};

    fn param(name: &str, ty: TypeRef, array_style: Option<ArrayStyle>) -> Param {
        Param {
            name: name.into(),
            rust_name: name.into(),
            location: ParamLocation::Query,
            encoding: Encoding::Json,
            description: None,
            ty,
            required: false,
            array_style,
            facts: SchemaFacts::default(),
            pointer: String::new(),
            availability: Availability::ALWAYS,
            replacement_hint: None,
        }
    }

    #[test]
    fn json_text_parameters_take_typed_values() {
        let text = param("buildargs", TypeRef::String, None);
        assert_eq!(param_encoding("ImageBuild", "/build", &text), Ok(Encoding::JsonText(JsonValue::StringMap)));
        // The same name elsewhere is plain text.
        assert_eq!(param_encoding("Other", "/x", &text), Ok(Encoding::Text { enumerated: false }));
        assert_eq!(
            JsonValue::StringMap.value_type(),
            TypeRef::Map(Box::new(Slot { ty: TypeRef::String, nullable: false }))
        );
        assert_eq!(JsonValue::Platform.value_type(), TypeRef::Named("OciPlatform".into()));
    }

    #[test]
    fn json_text_lists_are_repeated_keys_whatever_the_spec_says() {
        let strings = TypeRef::Array(Box::new(Slot { ty: TypeRef::String, nullable: false }));
        for style in [ArrayStyle::CommaSeparated, ArrayStyle::Repeated] {
            let p = param("platforms", strings.clone(), Some(style));
            assert_eq!(
                param_encoding("ImageDelete", "/images/{name}", &p),
                Ok(Encoding::List { style: ArrayStyle::Repeated, item: ListItem::Json(JsonValue::Platform) })
            );
        }
        let wrong = param("platforms", TypeRef::Boolean, None);
        let err = param_encoding("ImageDelete", "/images/{name}", &wrong).unwrap_err();
        assert!(err.contains("JSON_TEXT_PARAMETERS") && err.contains("platforms"), "{err}");
    }
}

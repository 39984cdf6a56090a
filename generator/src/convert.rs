//! Step 2 of the pipeline: Swagger 2.0 (as JSON) → OpenAPI 3.0 (`openapiv3` types).
//!
//! The conversion is strict: a keyword this generator does not understand is an error that
//! names the file and the JSON pointer, never silently dropped. The Docker-specific shapes are
//! handled here once, so later steps see plain OpenAPI 3.0:
//!
//! - `definitions` → `components.schemas`, `$ref: #/definitions/X` → `#/components/schemas/X`;
//! - a `$ref` with siblings becomes `allOf: [$ref]` carrying the siblings (`x-nullable` →
//!   `nullable`, `description`, vendor extensions); a sibling `type: object` is dropped, it must
//!   not replace the reference;
//! - `allOf` with sibling `properties` gets those properties as one more `allOf` member;
//! - body parameters → request bodies (one content entry per `consumes` type); other
//!   parameters keep their schema; `collectionFormat: multi` → `style: form, explode: true`,
//!   absent/`csv` → `explode: false`;
//! - response schemas → one content entry per `produces` type; response `examples` → the
//!   content's `example`; integer response-code keys were already made strings by `load`;
//! - every vendor extension (`x-nullable`, `x-omitempty`, `x-go-name`, `x-go-type`, …) is kept.
//!
//! Converted request bodies, parameters and responses carry `x-source-pointer`, the pointer of
//! the Swagger node they came from, so later errors and examples can point at the real text.

use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Components, Header, HeaderStyle,
    Info, IntegerType, MediaType, NumberType, ObjectType, OpenAPI, Operation, Parameter,
    ParameterData, ParameterSchemaOrContent, PathItem, PathStyle, Paths, QueryStyle, ReferenceOr,
    RequestBody, Response, Responses, Schema, SchemaData, SchemaKind, Server, StatusCode,
    StringType, Tag, Type,
};
use serde_json::{Map, Value};

use crate::error::{pointer_push, SpecError};

/// Extension key that records where a converted node came from in the Swagger document.
pub const SOURCE_POINTER: &str = "x-source-pointer";

const SCHEMA_KEYWORDS: &[&str] = &[
    "type", "format", "description", "title", "default", "enum", "example", "required",
    "properties", "additionalProperties", "items", "allOf", "$ref", "minimum", "maximum",
    "minItems", "maxItems", "minLength", "maxLength", "pattern",
];

const PARAMETER_KEYWORDS: &[&str] = &[
    "name", "in", "description", "required", "schema", "type", "format", "items",
    "collectionFormat", "default", "enum", "pattern", "minimum", "maximum",
];

/// Converts one Swagger 2.0 document. `file` only names the source in errors.
pub fn convert(file: &Path, swagger: &Value) -> Result<OpenAPI, SpecError> {
    Converter { file, root: swagger }.document()
}

struct Converter<'a> {
    file: &'a Path,
    root: &'a Value,
}

type Obj = Map<String, Value>;

impl<'a> Converter<'a> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(self.file, pointer, message)
    }

    fn object<'v>(&self, value: &'v Value, pointer: &str) -> Result<&'v Obj, SpecError> {
        value.as_object().ok_or_else(|| self.err(pointer, "expected a mapping"))
    }

    fn string(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<String>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(&pointer_push(pointer, key), "expected a string")),
        }
    }

    fn strings(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<Vec<String>>, SpecError> {
        let Some(value) = obj.get(key) else { return Ok(None) };
        let at = pointer_push(pointer, key);
        let items = value.as_array().ok_or_else(|| self.err(&at, "expected a list of strings"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| self.err(&pointer_push(&at, &i.to_string()), "expected a string"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn boolean(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<bool>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.err(&pointer_push(pointer, key), "expected true or false")),
        }
    }

    fn usize_value(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<usize>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(|n| Some(n as usize))
                .ok_or_else(|| self.err(&pointer_push(pointer, key), "expected a non-negative integer")),
        }
    }

    fn int_value(&self, obj: &Obj, key: &str, pointer: &str) -> Result<Option<i64>, SpecError> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.err(&pointer_push(pointer, key), "expected an integer")),
        }
    }

    fn extensions(obj: &Obj) -> IndexMap<String, Value> {
        obj.iter().filter(|(k, _)| k.starts_with("x-")).map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn check_keys(&self, obj: &Obj, allowed: &[&str], pointer: &str, what: &str) -> Result<(), SpecError> {
        for key in obj.keys() {
            if !key.starts_with("x-") && !allowed.contains(&key.as_str()) {
                return Err(self.err(&pointer_push(pointer, key), format!("unsupported {what} keyword `{key}`")));
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------------------------------
    // Document

    fn document(&self) -> Result<OpenAPI, SpecError> {
        let root = self.object(self.root, "")?;
        match root.get("swagger") {
            Some(Value::String(v)) if v == "2.0" => {}
            Some(_) => return Err(self.err("/swagger", "only Swagger 2.0 documents are supported")),
            None => return Err(self.err("", "missing `swagger: \"2.0\"`: not a Swagger 2.0 document")),
        }
        for key in root.keys() {
            let known = ["swagger", "schemes", "produces", "consumes", "basePath", "info", "tags", "definitions", "paths", "host"];
            if !key.starts_with("x-") && !known.contains(&key.as_str()) {
                return Err(self.err(&pointer_push("", key), format!("unsupported top-level key `{key}`")));
            }
        }
        let produces = self.strings(root, "produces", "")?.unwrap_or_default();
        let consumes = self.strings(root, "consumes", "")?.unwrap_or_default();

        let info_obj = self.object(root.get("info").ok_or_else(|| self.err("", "missing `info`"))?, "/info")?;
        let info = Info {
            title: self.string(info_obj, "title", "/info")?.unwrap_or_default(),
            description: self.string(info_obj, "description", "/info")?,
            version: self
                .string(info_obj, "version", "/info")?
                .ok_or_else(|| self.err("/info", "missing `version`"))?,
            extensions: Self::extensions(info_obj),
            ..Default::default()
        };

        let servers = match self.string(root, "basePath", "")? {
            Some(url) => vec![Server { url, ..Default::default() }],
            None => Vec::new(),
        };

        let mut tags = Vec::new();
        if let Some(list) = root.get("tags") {
            let list = list.as_array().ok_or_else(|| self.err("/tags", "expected a list"))?;
            for (i, tag) in list.iter().enumerate() {
                let at = format!("/tags/{i}");
                let obj = self.object(tag, &at)?;
                tags.push(Tag {
                    name: self.string(obj, "name", &at)?.ok_or_else(|| self.err(&at, "tag without `name`"))?,
                    description: self.string(obj, "description", &at)?,
                    extensions: Self::extensions(obj),
                    ..Default::default()
                });
            }
        }

        let mut schemas = IndexMap::new();
        if let Some(defs) = root.get("definitions") {
            for (name, schema) in self.object(defs, "/definitions")? {
                let at = pointer_push("/definitions", name);
                schemas.insert(name.clone(), self.schema(schema, &at)?);
            }
        }

        let mut paths = IndexMap::new();
        let mut operation_ids = std::collections::BTreeSet::new();
        if let Some(p) = root.get("paths") {
            for (path, item) in self.object(p, "/paths")? {
                let at = pointer_push("/paths", path);
                if !path.starts_with('/') {
                    return Err(self.err(&at, "a path must start with `/`"));
                }
                let item_obj = self.object(item, &at)?;
                let mut path_item = PathItem::default();
                for (method, op) in item_obj {
                    let op_at = pointer_push(&at, method);
                    if method.starts_with("x-") {
                        continue;
                    }
                    let converted = self.operation(op, &op_at, path, &produces, &consumes)?;
                    let id = converted.operation_id.clone().unwrap_or_default();
                    if !operation_ids.insert(id.clone()) {
                        return Err(self.err(&pointer_push(&op_at, "operationId"), format!("duplicate operationId `{id}`")));
                    }
                    let slot = match method.as_str() {
                        "get" => &mut path_item.get,
                        "put" => &mut path_item.put,
                        "post" => &mut path_item.post,
                        "delete" => &mut path_item.delete,
                        "head" => &mut path_item.head,
                        "patch" => &mut path_item.patch,
                        "options" => &mut path_item.options,
                        other => return Err(self.err(&op_at, format!("unsupported path item key `{other}`"))),
                    };
                    *slot = Some(converted);
                }
                paths.insert(path.clone(), ReferenceOr::Item(path_item));
            }
        }

        Ok(OpenAPI {
            openapi: "3.0.3".to_string(),
            info,
            servers,
            paths: Paths { paths, ..Default::default() },
            components: Some(Components { schemas, ..Default::default() }),
            tags,
            extensions: Self::extensions(root),
            ..Default::default()
        })
    }

    // ---------------------------------------------------------------------------------------
    // Schemas

    fn reference(&self, target: &str, pointer: &str) -> Result<String, SpecError> {
        let name = target
            .strip_prefix("#/definitions/")
            .ok_or_else(|| self.err(pointer, format!("unsupported $ref `{target}`: only #/definitions/… is supported")))?;
        let exists = self.root.get("definitions").and_then(|d| d.get(name)).is_some();
        if !exists {
            return Err(self.err(pointer, format!("$ref `{target}` points at no definition")));
        }
        Ok(format!("#/components/schemas/{name}"))
    }

    fn schema(&self, value: &Value, pointer: &str) -> Result<ReferenceOr<Schema>, SpecError> {
        let obj = self.object(value, pointer)?;
        self.check_keys(obj, SCHEMA_KEYWORDS, pointer, "schema")?;

        if let Some(target) = obj.get("$ref") {
            let target = target.as_str().ok_or_else(|| self.err(&pointer_push(pointer, "$ref"), "expected a string"))?;
            let reference = self.reference(target, &pointer_push(pointer, "$ref"))?;
            // Siblings of $ref: only annotations may stand beside it. `type: object` is
            // redundant (the target is an object) and must never replace the reference.
            for key in obj.keys() {
                let allowed = key == "$ref" || key == "description" || key == "example" || key.starts_with("x-");
                let redundant_type = key == "type" && obj.get("type") == Some(&Value::String("object".into()));
                if !allowed && !redundant_type {
                    return Err(self.err(&pointer_push(pointer, key), format!("`{key}` beside `$ref` is not supported")));
                }
            }
            let data = self.schema_data(obj, pointer)?;
            if data == SchemaData::default() {
                return Ok(ReferenceOr::Reference { reference });
            }
            return Ok(ReferenceOr::Item(Schema {
                schema_data: data,
                schema_kind: SchemaKind::AllOf { all_of: vec![ReferenceOr::Reference { reference }] },
            }));
        }

        let schema_data = self.schema_data(obj, pointer)?;
        let kind = match obj.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(self.err(&pointer_push(pointer, "type"), "`type` must be a single string")),
            None => String::new(),
        };

        if let Some(all_of) = obj.get("allOf") {
            if !(kind.is_empty() || kind == "object") {
                return Err(self.err(&pointer_push(pointer, "type"), format!("`allOf` with `type: {kind}` is not supported")));
            }
            let at = pointer_push(pointer, "allOf");
            let list = all_of.as_array().ok_or_else(|| self.err(&at, "expected a list"))?;
            if list.is_empty() {
                return Err(self.err(&at, "`allOf` is empty"));
            }
            let mut members = list
                .iter()
                .enumerate()
                .map(|(i, m)| self.schema(m, &pointer_push(&at, &i.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            if obj.contains_key("properties") || obj.contains_key("required") {
                // Own properties beside allOf become one more member, which records where it came from.
                let mut own = self.object_type(obj, pointer)?;
                own.additional_properties = None;
                let mut data = SchemaData::default();
                data.extensions.insert(SOURCE_POINTER.into(), Value::String(pointer.to_string()));
                members.push(ReferenceOr::Item(Schema { schema_data: data, schema_kind: SchemaKind::Type(Type::Object(own)) }));
            }
            return Ok(ReferenceOr::Item(Schema { schema_data, schema_kind: SchemaKind::AllOf { all_of: members } }));
        }

        let ty = match kind.as_str() {
            "string" => Type::String(StringType {
                format: self.string(obj, "format", pointer)?.into(),
                pattern: self.string(obj, "pattern", pointer)?,
                enumeration: self.enumeration(obj, pointer, |v| v.as_str().map(str::to_owned))?,
                min_length: self.usize_value(obj, "minLength", pointer)?,
                max_length: self.usize_value(obj, "maxLength", pointer)?,
            }),
            "integer" => Type::Integer(IntegerType {
                format: self.string(obj, "format", pointer)?.into(),
                minimum: self.int_value(obj, "minimum", pointer)?,
                maximum: self.int_value(obj, "maximum", pointer)?,
                enumeration: self.enumeration(obj, pointer, Value::as_i64)?,
                ..Default::default()
            }),
            "number" => Type::Number(NumberType {
                format: self.string(obj, "format", pointer)?.into(),
                minimum: obj.get("minimum").and_then(Value::as_f64),
                maximum: obj.get("maximum").and_then(Value::as_f64),
                enumeration: self.enumeration(obj, pointer, Value::as_f64)?,
                ..Default::default()
            }),
            "boolean" => Type::Boolean(BooleanType { enumeration: self.enumeration(obj, pointer, Value::as_bool)? }),
            "array" => {
                let items = obj
                    .get("items")
                    .ok_or_else(|| self.err(pointer, "`type: array` without `items`"))?;
                let items = match self.schema(items, &pointer_push(pointer, "items"))? {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
                    ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s)),
                };
                Type::Array(ArrayType {
                    items: Some(items),
                    min_items: self.usize_value(obj, "minItems", pointer)?,
                    max_items: self.usize_value(obj, "maxItems", pointer)?,
                    unique_items: false,
                })
            }
            "object" => Type::Object(self.object_type(obj, pointer)?),
            "" if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                Type::Object(self.object_type(obj, pointer)?)
            }
            "" => {
                // A schema with no type at all: in these specs only nodes that carry a Go
                // type name (`x-go-type`); overrides map the meaningful ones to definitions.
                for key in ["enum", "items", "format"] {
                    if obj.contains_key(key) {
                        return Err(self.err(&pointer_push(pointer, key), format!("`{key}` on a schema without `type`")));
                    }
                }
                return Ok(ReferenceOr::Item(Schema { schema_data, schema_kind: SchemaKind::Any(AnySchema::default()) }));
            }
            other => return Err(self.err(&pointer_push(pointer, "type"), format!("unsupported type `{other}`"))),
        };
        for key in ["properties", "additionalProperties", "required"] {
            if obj.contains_key(key) && !matches!(ty, Type::Object(_)) {
                return Err(self.err(&pointer_push(pointer, key), format!("`{key}` on a `{kind}` schema")));
            }
        }
        if obj.contains_key("items") && !matches!(ty, Type::Array(_)) {
            return Err(self.err(&pointer_push(pointer, "items"), format!("`items` on a `{kind}` schema")));
        }
        Ok(ReferenceOr::Item(Schema { schema_data, schema_kind: SchemaKind::Type(ty) }))
    }

    fn schema_data(&self, obj: &Obj, pointer: &str) -> Result<SchemaData, SpecError> {
        let nullable = self.boolean(obj, "x-nullable", pointer)?.unwrap_or(false);
        Ok(SchemaData {
            nullable,
            title: self.string(obj, "title", pointer)?,
            description: self.string(obj, "description", pointer)?,
            default: obj.get("default").cloned(),
            example: obj.get("example").cloned(),
            extensions: Self::extensions(obj),
            ..Default::default()
        })
    }

    fn enumeration<T>(
        &self,
        obj: &Obj,
        pointer: &str,
        get: impl Fn(&Value) -> Option<T>,
    ) -> Result<Vec<Option<T>>, SpecError> {
        let Some(list) = obj.get("enum") else { return Ok(Vec::new()) };
        let at = pointer_push(pointer, "enum");
        let list = list.as_array().ok_or_else(|| self.err(&at, "expected a list"))?;
        list.iter()
            .enumerate()
            .map(|(i, v)| {
                if v.is_null() {
                    return Ok(None);
                }
                get(v).map(Some).ok_or_else(|| {
                    self.err(&pointer_push(&at, &i.to_string()), format!("enum value {v} does not match the schema type"))
                })
            })
            .collect()
    }

    fn object_type(&self, obj: &Obj, pointer: &str) -> Result<ObjectType, SpecError> {
        let mut properties = IndexMap::new();
        if let Some(props) = obj.get("properties") {
            let at = pointer_push(pointer, "properties");
            for (name, schema) in self.object(props, &at)? {
                let converted = match self.schema(schema, &pointer_push(&at, name))? {
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
                    ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s)),
                };
                properties.insert(name.clone(), converted);
            }
        }
        let additional_properties = match obj.get("additionalProperties") {
            None => None,
            Some(Value::Bool(b)) => Some(AdditionalProperties::Any(*b)),
            Some(schema) => Some(AdditionalProperties::Schema(Box::new(
                self.schema(schema, &pointer_push(pointer, "additionalProperties"))?,
            ))),
        };
        if let Some(Value::Array(values)) = obj.get("enum") {
            // `enum: [{}]` marks Go's map[string]struct{} values; anything else is unsupported.
            if !values.iter().all(|v| v.as_object().is_some_and(Map::is_empty)) {
                return Err(self.err(&pointer_push(pointer, "enum"), "an object `enum` other than `[{}]` is not supported"));
            }
        }
        Ok(ObjectType {
            properties,
            required: self.strings(obj, "required", pointer)?.unwrap_or_default(),
            additional_properties,
            ..Default::default()
        })
    }

    // ---------------------------------------------------------------------------------------
    // Operations

    fn operation(
        &self,
        value: &Value,
        pointer: &str,
        path: &str,
        produces_default: &[String],
        consumes_default: &[String],
    ) -> Result<Operation, SpecError> {
        let obj = self.object(value, pointer)?;
        let known = ["tags", "summary", "description", "operationId", "consumes", "produces", "parameters", "responses"];
        self.check_keys(obj, &known, pointer, "operation")?;
        let operation_id = self
            .string(obj, "operationId", pointer)?
            .ok_or_else(|| self.err(pointer, "operation without `operationId`"))?;
        let produces = self.strings(obj, "produces", pointer)?.unwrap_or_else(|| produces_default.to_vec());
        let consumes = self.strings(obj, "consumes", pointer)?.unwrap_or_else(|| consumes_default.to_vec());

        let mut parameters = Vec::new();
        let mut request_body = None;
        if let Some(params) = obj.get("parameters") {
            let at = pointer_push(pointer, "parameters");
            let list = params.as_array().ok_or_else(|| self.err(&at, "expected a list"))?;
            for (i, param) in list.iter().enumerate() {
                let p_at = pointer_push(&at, &i.to_string());
                let p = self.object(param, &p_at)?;
                self.check_keys(p, PARAMETER_KEYWORDS, &p_at, "parameter")?;
                let location = self.string(p, "in", &p_at)?.ok_or_else(|| self.err(&p_at, "parameter without `in`"))?;
                if location == "body" {
                    if request_body.is_some() {
                        return Err(self.err(&p_at, "more than one body parameter"));
                    }
                    request_body = Some(ReferenceOr::Item(self.body(p, &p_at, &consumes)?));
                } else {
                    parameters.push(ReferenceOr::Item(self.parameter(p, &p_at, &location, path)?));
                }
            }
        }

        let responses_value = obj.get("responses").ok_or_else(|| self.err(pointer, "operation without `responses`"))?;
        let r_at = pointer_push(pointer, "responses");
        let mut responses = Responses::default();
        for (code, response) in self.object(responses_value, &r_at)? {
            let at = pointer_push(&r_at, code);
            let converted = ReferenceOr::Item(self.response(response, &at, code, &produces)?);
            if code == "default" {
                responses.default = Some(converted);
            } else {
                let number: u16 = code
                    .parse()
                    .ok()
                    .filter(|c| (100..600).contains(c))
                    .ok_or_else(|| self.err(&at, format!("`{code}` is not an HTTP status code")))?;
                responses.responses.insert(StatusCode::Code(number), converted);
            }
        }

        let mut extensions = Self::extensions(obj);
        extensions.insert(SOURCE_POINTER.into(), Value::String(pointer.to_string()));
        Ok(Operation {
            tags: self.strings(obj, "tags", pointer)?.unwrap_or_default(),
            summary: self.string(obj, "summary", pointer)?,
            description: self.string(obj, "description", pointer)?,
            operation_id: Some(operation_id),
            parameters,
            request_body,
            responses,
            extensions,
            ..Default::default()
        })
    }

    fn body(&self, p: &Obj, pointer: &str, consumes: &[String]) -> Result<RequestBody, SpecError> {
        let schema = p.get("schema").ok_or_else(|| self.err(pointer, "body parameter without `schema`"))?;
        let schema = self.schema(schema, &pointer_push(pointer, "schema"))?;
        let content = consumes
            .iter()
            .map(|media| (media.clone(), MediaType { schema: Some(schema.clone()), ..Default::default() }))
            .collect();
        let mut extensions = Self::extensions(p);
        extensions.insert(SOURCE_POINTER.into(), Value::String(pointer.to_string()));
        extensions.insert("x-body-name".into(), Value::String(self.string(p, "name", pointer)?.unwrap_or_default()));
        Ok(RequestBody {
            description: self.string(p, "description", pointer)?,
            content,
            required: self.boolean(p, "required", pointer)?.unwrap_or(false),
            extensions,
        })
    }

    /// A non-body parameter's own type keywords form a schema (as in OpenAPI 3).
    fn parameter_schema(&self, p: &Obj, pointer: &str) -> Result<ReferenceOr<Schema>, SpecError> {
        let mut schema = Map::new();
        for key in ["type", "format", "items", "default", "enum", "pattern", "minimum", "maximum"] {
            if let Some(v) = p.get(key) {
                schema.insert(key.to_string(), v.clone());
            }
        }
        if !schema.contains_key("type") {
            return Err(self.err(pointer, "parameter without `type`"));
        }
        self.schema(&Value::Object(schema), pointer)
    }

    fn parameter(&self, p: &Obj, pointer: &str, location: &str, path: &str) -> Result<Parameter, SpecError> {
        let name = self.string(p, "name", pointer)?.ok_or_else(|| self.err(pointer, "parameter without `name`"))?;
        let schema = self.parameter_schema(p, pointer)?;
        let is_array = p.get("type").and_then(Value::as_str) == Some("array");
        let explode = match (is_array, self.string(p, "collectionFormat", pointer)?.as_deref()) {
            (false, None) => None,
            (false, Some(_)) => {
                return Err(self.err(&pointer_push(pointer, "collectionFormat"), "`collectionFormat` on a non-array parameter"))
            }
            (true, Some("multi")) => Some(true),
            (true, None | Some("csv")) => Some(false),
            (true, Some(other)) => {
                return Err(self.err(&pointer_push(pointer, "collectionFormat"), format!("collectionFormat `{other}` is not supported")))
            }
        };
        let mut extensions = Self::extensions(p);
        extensions.insert(SOURCE_POINTER.into(), Value::String(pointer.to_string()));
        let required = self.boolean(p, "required", pointer)?.unwrap_or(false);
        let data = ParameterData {
            name: name.clone(),
            description: self.string(p, "description", pointer)?,
            required,
            deprecated: None,
            format: ParameterSchemaOrContent::Schema(schema),
            example: None,
            examples: IndexMap::new(),
            explode,
            extensions,
        };
        Ok(match location {
            "path" => {
                if !required {
                    return Err(self.err(pointer, "a path parameter must be `required: true`"));
                }
                if !path.contains(&format!("{{{name}}}")) {
                    return Err(self.err(pointer, format!("path parameter `{name}` does not appear in `{path}`")));
                }
                Parameter::Path { parameter_data: data, style: PathStyle::Simple }
            }
            "query" => Parameter::Query {
                parameter_data: data,
                allow_reserved: false,
                style: QueryStyle::Form,
                allow_empty_value: None,
            },
            "header" => Parameter::Header { parameter_data: data, style: HeaderStyle::Simple },
            other => return Err(self.err(&pointer_push(pointer, "in"), format!("parameters `in: {other}` are not supported"))),
        })
    }

    fn response(&self, value: &Value, pointer: &str, code: &str, produces: &[String]) -> Result<Response, SpecError> {
        let obj = self.object(value, pointer)?;
        self.check_keys(obj, &["description", "schema", "examples", "headers"], pointer, "response")?;
        let schema = match obj.get("schema") {
            Some(s) => Some(self.schema(s, &pointer_push(pointer, "schema"))?),
            None => None,
        };
        let examples = match obj.get("examples") {
            Some(e) => self.object(e, &pointer_push(pointer, "examples"))?.clone(),
            None => Map::new(),
        };
        // No-content codes carry no media type; every other response lists what it produces.
        let no_content = matches!(code, "204" | "304");
        let mut content = IndexMap::new();
        if !no_content && (schema.is_some() || code.starts_with('1') || code.starts_with('2')) {
            for media in produces {
                content.insert(
                    media.clone(),
                    MediaType { schema: schema.clone(), example: examples.get(media).cloned(), ..Default::default() },
                );
            }
        }
        // An example in a media type the operation does not list (JSON errors of a tar
        // download) shows the response can come in that type too.
        for (media, example) in &examples {
            if !content.contains_key(media) {
                content.insert(media.clone(), MediaType { schema: schema.clone(), example: Some(example.clone()), ..Default::default() });
            }
        }
        let mut headers = IndexMap::new();
        if let Some(h) = obj.get("headers") {
            let h_at = pointer_push(pointer, "headers");
            for (name, header) in self.object(h, &h_at)? {
                let at = pointer_push(&h_at, name);
                let header_obj = self.object(header, &at)?;
                let mut schema_obj = header_obj.clone();
                let description = schema_obj.remove("description").and_then(|d| d.as_str().map(str::to_owned));
                let schema = self.schema(&Value::Object(schema_obj), &at)?;
                headers.insert(
                    name.clone(),
                    ReferenceOr::Item(Header {
                        description,
                        style: HeaderStyle::Simple,
                        required: false,
                        deprecated: None,
                        format: ParameterSchemaOrContent::Schema(schema),
                        example: None,
                        examples: IndexMap::new(),
                        extensions: IndexMap::new(),
                    }),
                );
            }
        }
        let mut extensions = Self::extensions(obj);
        extensions.insert(SOURCE_POINTER.into(), Value::String(pointer.to_string()));
        Ok(Response {
            description: self.string(obj, "description", pointer)?.unwrap_or_default(),
            headers,
            content,
            extensions,
            ..Default::default()
        })
    }
}

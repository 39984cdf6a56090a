//! Conversion of an operation's `parameters`: the body parameter becomes the request body (one
//! content entry per `consumes` type), every other parameter an OpenAPI 3 parameter whose type
//! keywords form its schema.

use indexmap::IndexMap;
use openapiv3::{
    HeaderStyle, MediaType, Parameter, ParameterData, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, Schema,
};
use serde_json::{Map, Value};

use super::{Converter, Obj};
use crate::error::{pointer_push, SpecError};

const PARAMETER_KEYWORDS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "schema",
    "type",
    "format",
    "items",
    "collectionFormat",
    "default",
    "enum",
    "pattern",
    "minimum",
    "maximum",
];

/// An operation's converted parameters and its request body, if it has one.
type Inputs = (Vec<ReferenceOr<Parameter>>, Option<ReferenceOr<RequestBody>>);

impl Converter<'_> {
    /// The `parameters` of the operation `obj` at `pointer`, on the path template `path`.
    pub(super) fn parameters(
        &self,
        obj: &Obj,
        pointer: &str,
        path: &str,
        consumes: &[String],
    ) -> Result<Inputs, SpecError> {
        let mut parameters = Vec::new();
        let mut request_body = None;
        let Some(params) = obj.get("parameters") else { return Ok((parameters, request_body)) };
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
                request_body = Some(ReferenceOr::Item(self.body(p, &p_at, consumes)?));
            } else {
                parameters.push(ReferenceOr::Item(self.parameter(p, &p_at, &location, path)?));
            }
        }
        Ok((parameters, request_body))
    }

    fn body(&self, p: &Obj, pointer: &str, consumes: &[String]) -> Result<RequestBody, SpecError> {
        let schema = p.get("schema").ok_or_else(|| self.err(pointer, "body parameter without `schema`"))?;
        let schema = self.schema(schema, &pointer_push(pointer, "schema"))?;
        let content = consumes
            .iter()
            .map(|media| (media.clone(), MediaType { schema: Some(schema.clone()), ..Default::default() }))
            .collect();
        let mut extensions = Self::extensions_with_source(p, pointer);
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
        let explode = self.explode(p, pointer)?;
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
            extensions: Self::extensions_with_source(p, pointer),
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
            other => {
                return Err(
                    self.err(&pointer_push(pointer, "in"), format!("parameters `in: {other}` are not supported"))
                )
            }
        })
    }

    /// How an array parameter is spelled: `collectionFormat: multi` repeats the name
    /// (`explode: true`), absent or `csv` joins with commas (`explode: false`).
    fn explode(&self, p: &Obj, pointer: &str) -> Result<Option<bool>, SpecError> {
        let is_array = p.get("type").and_then(Value::as_str) == Some("array");
        Ok(match (is_array, self.string(p, "collectionFormat", pointer)?.as_deref()) {
            (false, None) => None,
            (false, Some(_)) => {
                return Err(
                    self.err(&pointer_push(pointer, "collectionFormat"), "`collectionFormat` on a non-array parameter")
                )
            }
            (true, Some("multi")) => Some(true),
            (true, None | Some("csv")) => Some(false),
            (true, Some(other)) => {
                return Err(self.err(
                    &pointer_push(pointer, "collectionFormat"),
                    format!("collectionFormat `{other}` is not supported"),
                ))
            }
        })
    }
}

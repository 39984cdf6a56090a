//! Conversion of one operation: its own keys, its `responses` (content per `produces` type,
//! examples, headers). Its parameters and body are converted in `parameter.rs`.

use indexmap::IndexMap;
use openapiv3::{
    Header, HeaderStyle, MediaType, Operation, ParameterSchemaOrContent, ReferenceOr, Response, Responses, Schema,
    StatusCode,
};
use serde_json::{Map, Value};

use super::{Converter, Obj};
use crate::error::{pointer_push, SpecError};

const OPERATION_KEYWORDS: &[&str] =
    &["tags", "summary", "description", "operationId", "consumes", "produces", "parameters", "responses"];

/// The media types an operation produces and consumes: its own lists, else the document's.
pub(super) struct MediaTypes {
    pub produces: Vec<String>,
    pub consumes: Vec<String>,
}

impl Converter<'_> {
    /// `path` is the operation's path template, which its path parameters must appear in.
    pub(super) fn operation(
        &self,
        value: &Value,
        pointer: &str,
        path: &str,
        defaults: &MediaTypes,
    ) -> Result<Operation, SpecError> {
        let obj = self.object(value, pointer)?;
        self.check_keys(obj, OPERATION_KEYWORDS, pointer, "operation")?;
        let operation_id = self
            .string(obj, "operationId", pointer)?
            .ok_or_else(|| self.err(pointer, "operation without `operationId`"))?;
        let media = MediaTypes {
            produces: self.strings(obj, "produces", pointer)?.unwrap_or_else(|| defaults.produces.clone()),
            consumes: self.strings(obj, "consumes", pointer)?.unwrap_or_else(|| defaults.consumes.clone()),
        };
        let (parameters, request_body) = self.parameters(obj, pointer, path, &media.consumes)?;
        let responses = self.responses(obj, pointer, &media.produces)?;
        Ok(Operation {
            tags: self.strings(obj, "tags", pointer)?.unwrap_or_default(),
            summary: self.string(obj, "summary", pointer)?,
            description: self.string(obj, "description", pointer)?,
            operation_id: Some(operation_id),
            parameters,
            request_body,
            responses,
            extensions: Self::extensions_with_source(obj, pointer),
            ..Default::default()
        })
    }

    /// `responses`, keyed by HTTP status code or `default`.
    fn responses(&self, obj: &Obj, pointer: &str, produces: &[String]) -> Result<Responses, SpecError> {
        let responses_value = obj.get("responses").ok_or_else(|| self.err(pointer, "operation without `responses`"))?;
        let r_at = pointer_push(pointer, "responses");
        let mut responses = Responses::default();
        for (code, response) in self.object(responses_value, &r_at)? {
            let at = pointer_push(&r_at, code);
            let converted = ReferenceOr::Item(self.response(response, &at, code, produces)?);
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
        Ok(responses)
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
        let content = response_content(code, schema, &examples, produces);
        let headers = self.response_headers(obj, pointer)?;
        Ok(Response {
            description: self.string(obj, "description", pointer)?.unwrap_or_default(),
            headers,
            content,
            extensions: Self::extensions_with_source(obj, pointer),
            ..Default::default()
        })
    }

    /// Response headers: each header's type keywords are its schema.
    fn response_headers(&self, obj: &Obj, pointer: &str) -> Result<IndexMap<String, ReferenceOr<Header>>, SpecError> {
        let mut headers = IndexMap::new();
        let Some(h) = obj.get("headers") else { return Ok(headers) };
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
        Ok(headers)
    }
}

/// A response's content: one entry per media type it can come in, each with the schema and the
/// example given for that type.
fn response_content(
    code: &str,
    schema: Option<ReferenceOr<Schema>>,
    examples: &Map<String, Value>,
    produces: &[String],
) -> IndexMap<String, MediaType> {
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
    for (media, example) in examples {
        if !content.contains_key(media) {
            content.insert(
                media.clone(),
                MediaType { schema: schema.clone(), example: Some(example.clone()), ..Default::default() },
            );
        }
    }
    content
}

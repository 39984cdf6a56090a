//! Step 3 of the pipeline, operations: one OpenAPI operation → an IR [`Operation`].
//!
//! Inline bodies and responses are named `<OperationId>Body` / `<OperationId>Response` (with
//! the status code when several success responses have a schema) unless titled; inline
//! parameter enums `<OperationId><Param>`. How each parameter travels is decided by
//! [`super::super::encoding`].

use heck::ToUpperCamelCase;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, StatusCode, Type};
use serde_json::Value;

use super::{plain, source_pointer, Builder, NameHint};
use crate::error::{pointer_push, SpecError};
use crate::ir::encoding::{self, Encoding};
use crate::ir::naming::{field_name, type_name};
use crate::ir::{
    ArrayStyle, Availability, Body, Example, Operation, Param, ParamLocation, Response, ResponseHeader, Slot, TypeRef,
    WireKind,
};

impl Builder<'_> {
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
    ) -> Result<Operation, SpecError> {
        let pointer =
            source_pointer(&op.extensions).unwrap_or_else(|| pointer_push(&pointer_push("/paths", path), method));
        let id = op.operation_id.clone().ok_or_else(|| self.err(&pointer, "operation without operationId"))?;
        let op_hint =
            NameHint { base: type_name(&id).ok_or_else(|| self.err(&pointer, "operationId gives no Rust name"))? };
        let params = self.parameters(path, op, &op_hint, &pointer)?;
        let segments = encoding::path_segments(path, &params).map_err(|e| self.err(&pointer, e))?;
        let body = self.body(op, &op_hint, &pointer)?;
        let responses = self.responses(op, &op_hint, &pointer)?;
        Ok(Operation {
            method_name: encoding::method_name(&id),
            options_name: encoding::options_name(&id),
            id,
            method: method.to_uppercase(),
            path: path.to_string(),
            segments,
            tags: op.tags.clone(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            params,
            body,
            responses,
            wire: WireKind::Empty,
            pointer,
            availability: Availability::ALWAYS,
            tty_probe: None,
        })
    }

    fn parameters(
        &mut self,
        path: &str,
        op: &openapiv3::Operation,
        op_hint: &NameHint,
        pointer: &str,
    ) -> Result<Vec<Param>, SpecError> {
        let mut params: Vec<Param> = Vec::new();
        for param in &op.parameters {
            let ReferenceOr::Item(param) = param else {
                return Err(self.err(pointer, "parameter references are not supported"));
            };
            let (data, location) = match param {
                Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
                Parameter::Cookie { .. } => return Err(self.err(pointer, "cookie parameters are not supported")),
            };
            let at = source_pointer(&data.extensions).unwrap_or_else(|| pointer.to_string());
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(self.err(&at, "parameter without a schema"));
            };
            let (ty, facts) = self.lower_ref(plain(schema), &op_hint.child(&data.name), &at)?;
            let rust_name =
                field_name(&data.name).ok_or_else(|| self.err(&at, "parameter name gives no Rust identifier"))?;
            if params.iter().any(|p| p.rust_name == rust_name) {
                return Err(self.err(&at, format!("two parameters become `{rust_name}`")));
            }
            let array_style = match (&ty, data.explode) {
                (TypeRef::Array(_), Some(true)) => Some(ArrayStyle::Repeated),
                (TypeRef::Array(_), _) => Some(ArrayStyle::CommaSeparated),
                _ => None,
            };
            let mut param = Param {
                name: data.name.clone(),
                rust_name,
                location,
                encoding: Encoding::Json,
                description: data.description.clone().or_else(|| facts.description.clone()),
                ty,
                required: data.required,
                array_style,
                facts,
                pointer: at,
                availability: Availability::ALWAYS,
                replacement_hint: None,
            };
            let op_id = op.operation_id.as_deref().unwrap_or_default();
            param.encoding = encoding::param_encoding(op_id, path, &param).map_err(|e| self.err(&param.pointer, e))?;
            params.push(param);
        }
        Ok(params)
    }

    fn body(
        &mut self,
        op: &openapiv3::Operation,
        op_hint: &NameHint,
        pointer: &str,
    ) -> Result<Option<Body>, SpecError> {
        let body = match &op.request_body {
            None => return Ok(None),
            Some(ReferenceOr::Reference { .. }) => {
                return Err(self.err(pointer, "request body references are not supported"))
            }
            Some(ReferenceOr::Item(body)) => body,
        };
        let at = source_pointer(&body.extensions).unwrap_or_else(|| pointer.to_string());
        let schema = body.content.values().find_map(|m| m.schema.as_ref());
        let ty = match schema {
            // Raw bytes (tar archives) have no JSON type.
            Some(ReferenceOr::Item(s)) if matches!(s.schema_kind, SchemaKind::Type(Type::String(_))) => None,
            Some(schema) => {
                Some(self.lower_ref(plain(schema), &op_hint.child("Body"), &pointer_push(&at, "schema"))?.0)
            }
            None => None,
        };
        let name = body.extensions.get("x-body-name").and_then(Value::as_str).unwrap_or("body").to_string();
        let media_types: Vec<String> = body.content.keys().cloned().collect();
        Ok(Some(Body {
            name,
            ty,
            content_type: encoding::body_content_type(&media_types),
            absent: encoding::AbsentBody::Nothing,
            media_types,
            required: body.required,
            description: body.description.clone(),
            pointer: at,
        }))
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        op_hint: &NameHint,
        pointer: &str,
    ) -> Result<Vec<Response>, SpecError> {
        let success_with_schema = op
            .responses
            .responses
            .iter()
            .filter(|(code, r)| {
                matches!(code, StatusCode::Code(c) if *c < 400)
                    && matches!(r, ReferenceOr::Item(r) if r.content.values().any(|m| m.schema.is_some()))
            })
            .count();
        let mut responses = Vec::new();
        for (code, response) in &op.responses.responses {
            let StatusCode::Code(code) = *code else {
                return Err(self.err(pointer, "status code ranges are not supported"));
            };
            let ReferenceOr::Item(response) = response else {
                return Err(self.err(pointer, "response references are not supported"));
            };
            let hint = if code < 400 && success_with_schema > 1 {
                op_hint.child(&format!("Response{code}"))
            } else {
                op_hint.child("Response")
            };
            responses.push(self.response(code, response, op_hint, &hint, pointer)?);
        }
        responses.sort_by_key(|r| r.code);
        Ok(responses)
    }

    fn response(
        &mut self,
        code: u16,
        response: &openapiv3::Response,
        op_hint: &NameHint,
        hint: &NameHint,
        pointer: &str,
    ) -> Result<Response, SpecError> {
        let at = source_pointer(&response.extensions).unwrap_or_else(|| pointer.to_string());
        let schema = response.content.values().find_map(|m| m.schema.as_ref());
        let mut is_string = false;
        let ty = match schema {
            Some(ReferenceOr::Item(s)) if matches!(s.schema_kind, SchemaKind::Type(Type::String(_))) => {
                is_string = true;
                None
            }
            Some(schema) => Some(self.lower_ref(plain(schema), hint, &pointer_push(&at, "schema"))?.0),
            None => None,
        };
        for (media, content) in &response.content {
            if let (Some(example), Some(ty)) = (&content.example, &ty) {
                self.examples.push(Example {
                    pointer: pointer_push(&pointer_push(&at, "examples"), media),
                    ty: Slot { ty: ty.clone(), nullable: false },
                    value: example.clone(),
                });
            }
        }
        let mut headers = Vec::new();
        for (name, header) in &response.headers {
            let ReferenceOr::Item(header) = header else { continue };
            let header_at = pointer_push(&pointer_push(&at, "headers"), name);
            let ParameterSchemaOrContent::Schema(schema) = &header.format else { continue };
            let (ty, facts) = self.lower_ref(plain(schema), &op_hint.child(&name.to_upper_camel_case()), &header_at)?;
            headers.push(ResponseHeader { name: name.clone(), ty, description: header.description.clone(), facts });
        }
        Ok(Response {
            code,
            description: response.description.clone(),
            ty,
            is_string,
            media_types: response.content.keys().cloned().collect(),
            headers,
            pointer: at,
        })
    }
}

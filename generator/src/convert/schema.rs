//! Conversion of one schema (a definition, a property, a body, a response, an item, …):
//! `$ref` and its siblings, `allOf`, and the typed schemas (string, integer, number, boolean,
//! array, object, and the typeless `x-go-type` nodes).

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, IntegerType, NumberType, ObjectType, ReferenceOr, Schema,
    SchemaData, SchemaKind, StringType, Type,
};
use serde_json::{Map, Value};

use super::{Converter, Obj, SOURCE_POINTER};
use crate::error::{pointer_push, SpecError};

const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "description",
    "title",
    "default",
    "enum",
    "example",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "$ref",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
];

impl Converter<'_> {
    pub(super) fn schema(&self, value: &Value, pointer: &str) -> Result<ReferenceOr<Schema>, SpecError> {
        let obj = self.object(value, pointer)?;
        self.check_keys(obj, SCHEMA_KEYWORDS, pointer, "schema")?;
        if let Some(target) = obj.get("$ref") {
            return self.reference_schema(obj, target, pointer);
        }
        let schema_data = self.schema_data(obj, pointer)?;
        let kind = match obj.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(self.err(&pointer_push(pointer, "type"), "`type` must be a single string")),
            None => String::new(),
        };
        let schema_kind = if let Some(all_of) = obj.get("allOf") {
            SchemaKind::AllOf { all_of: self.all_of(obj, all_of, pointer, &kind)? }
        } else {
            match self.schema_type(obj, pointer, &kind)? {
                Some(ty) => SchemaKind::Type(ty),
                None => SchemaKind::Any(AnySchema::default()),
            }
        };
        Ok(ReferenceOr::Item(Schema { schema_data, schema_kind }))
    }

    /// `#/definitions/X` → `#/components/schemas/X`, for a definition that exists.
    fn reference(&self, target: &str, pointer: &str) -> Result<String, SpecError> {
        let name = target.strip_prefix("#/definitions/").ok_or_else(|| {
            self.err(pointer, format!("unsupported $ref `{target}`: only #/definitions/… is supported"))
        })?;
        let exists = self.root.get("definitions").and_then(|d| d.get(name)).is_some();
        if !exists {
            return Err(self.err(pointer, format!("$ref `{target}` points at no definition")));
        }
        Ok(format!("#/components/schemas/{name}"))
    }

    /// A `$ref` schema: a plain reference, or `allOf: [$ref]` carrying its annotations.
    fn reference_schema(&self, obj: &Obj, target: &Value, pointer: &str) -> Result<ReferenceOr<Schema>, SpecError> {
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
        Ok(ReferenceOr::Item(Schema {
            schema_data: data,
            schema_kind: SchemaKind::AllOf { all_of: vec![ReferenceOr::Reference { reference }] },
        }))
    }

    /// The members of an `allOf` schema of type `kind`, plus its own properties as one more.
    fn all_of(
        &self,
        obj: &Obj,
        all_of: &Value,
        pointer: &str,
        kind: &str,
    ) -> Result<Vec<ReferenceOr<Schema>>, SpecError> {
        if !(kind.is_empty() || kind == "object") {
            return Err(
                self.err(&pointer_push(pointer, "type"), format!("`allOf` with `type: {kind}` is not supported"))
            );
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
            members.push(ReferenceOr::Item(Schema {
                schema_data: data,
                schema_kind: SchemaKind::Type(Type::Object(own)),
            }));
        }
        Ok(members)
    }

    /// The type of a schema whose `type` is `kind` (empty when absent); `None` for a schema of
    /// no type at all.
    fn schema_type(&self, obj: &Obj, pointer: &str, kind: &str) -> Result<Option<Type>, SpecError> {
        let ty = match kind {
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
            "array" => Type::Array(self.array_type(obj, pointer)?),
            "object" => Type::Object(self.object_type(obj, pointer)?),
            "" if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                Type::Object(self.object_type(obj, pointer)?)
            }
            "" => {
                // A schema with no type at all: in these specs only nodes that carry a Go
                // type name (`x-go-type`); overrides map the meaningful ones to definitions.
                for key in ["enum", "items", "format"] {
                    if obj.contains_key(key) {
                        return Err(
                            self.err(&pointer_push(pointer, key), format!("`{key}` on a schema without `type`"))
                        );
                    }
                }
                return Ok(None);
            }
            other => return Err(self.err(&pointer_push(pointer, "type"), format!("unsupported type `{other}`"))),
        };
        // Keywords of another type are an error, not something to drop.
        for key in ["properties", "additionalProperties", "required"] {
            if obj.contains_key(key) && !matches!(ty, Type::Object(_)) {
                return Err(self.err(&pointer_push(pointer, key), format!("`{key}` on a `{kind}` schema")));
            }
        }
        if obj.contains_key("items") && !matches!(ty, Type::Array(_)) {
            return Err(self.err(&pointer_push(pointer, "items"), format!("`items` on a `{kind}` schema")));
        }
        Ok(Some(ty))
    }

    /// The annotations every schema may carry; `x-nullable` becomes `nullable`.
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

    /// The `enum` values, each read with `get`; `null` stays a `None` value.
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
                    self.err(
                        &pointer_push(&at, &i.to_string()),
                        format!("enum value {v} does not match the schema type"),
                    )
                })
            })
            .collect()
    }

    fn array_type(&self, obj: &Obj, pointer: &str) -> Result<ArrayType, SpecError> {
        let items = obj.get("items").ok_or_else(|| self.err(pointer, "`type: array` without `items`"))?;
        let items = boxed(self.schema(items, &pointer_push(pointer, "items"))?);
        Ok(ArrayType {
            items: Some(items),
            min_items: self.usize_value(obj, "minItems", pointer)?,
            max_items: self.usize_value(obj, "maxItems", pointer)?,
            unique_items: false,
        })
    }

    fn object_type(&self, obj: &Obj, pointer: &str) -> Result<ObjectType, SpecError> {
        let mut properties = IndexMap::new();
        if let Some(props) = obj.get("properties") {
            let at = pointer_push(pointer, "properties");
            for (name, schema) in self.object(props, &at)? {
                properties.insert(name.clone(), boxed(self.schema(schema, &pointer_push(&at, name))?));
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
                return Err(
                    self.err(&pointer_push(pointer, "enum"), "an object `enum` other than `[{}]` is not supported")
                );
            }
        }
        Ok(ObjectType {
            properties,
            required: self.strings(obj, "required", pointer)?.unwrap_or_default(),
            additional_properties,
            ..Default::default()
        })
    }
}

/// Properties and items hold boxed schemas.
fn boxed(schema: ReferenceOr<Schema>) -> ReferenceOr<Box<Schema>> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(s) => ReferenceOr::Item(Box::new(s)),
    }
}

//! OpenAPI 3.0 (`openapiv3`) → IR for one API version.
//!
//! Order of work, so names never depend on accident:
//! 1. reserve a Rust name for every definition;
//! 2. lower every definition (inline schemas inside get names derived from the parent type and
//!    field, or their `title`), flattening `allOf` by copying fields;
//! 3. lower every operation ([`operations`]);
//! 4. place each type in the module of the one tag whose operations use it, else `common`.
//!
//! Along the way `checks` refuse what would not compile (repeated method names, alias
//! cycles, parameters named like the method's own arguments), with file and pointer.

mod checks;
mod formats;
mod operations;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind, Type};
use serde_json::Value;

use super::naming::{field_name, module_name, type_item_name, type_name, variant_ident, variant_name, NameRegistry};
use super::{
    Api, Availability, EnumVariant, Example, Field, IntKind, IntVariant, Operation, Origin, SchemaFacts, Slot, TypeDef,
    TypeKind, TypeName, TypeRef,
};
use crate::convert::SOURCE_POINTER;
use crate::error::{pointer_push, SpecError};
use crate::version::ApiVersion;
use formats::{format_text, schema_format};

/// Module of types used by several tags, or by none.
pub const COMMON_MODULE: &str = "common";

/// Builds the IR of one converted spec. `file` names the spec in errors.
pub fn build(file: &Path, version: ApiVersion, sha256: &str, openapi: &OpenAPI) -> Result<Api, SpecError> {
    let empty = IndexMap::new();
    let schemas = openapi.components.as_ref().map(|c| &c.schemas).unwrap_or(&empty);
    let mut builder = Builder {
        file,
        schemas,
        names: NameRegistry::default(),
        def_names: BTreeMap::new(),
        types: BTreeMap::new(),
        lowering: BTreeSet::new(),
        examples: Vec::new(),
        all_of: BTreeMap::new(),
    };
    builder.reserve_definitions()?;
    for name in schemas.keys() {
        builder.lower_definition(name)?;
    }
    let mut operations = BTreeMap::new();
    for (path, item) in &openapi.paths.paths {
        let ReferenceOr::Item(item) = item else {
            return Err(builder.err(&pointer_push("/paths", path), "path item references are not supported"));
        };
        for (method, op) in item.iter() {
            let operation = builder.operation(path, method, op)?;
            checks::operation_names(file, &operations, &operation)?;
            operations.insert(operation.id.clone(), operation);
        }
    }
    checks::alias_cycles(file, &builder.types)?;
    let Builder { mut types, examples, .. } = builder;
    for op in operations.values_mut() {
        op.wire = super::wire::wire_kind(op, &|name| types.contains_key(name));
        if let Some(body) = op.body.as_mut() {
            body.absent = super::encoding::absent_body(body.ty.as_ref(), &types);
        }
    }
    checks::parameter_names(file, &operations)?;
    assign_modules(&mut types, &operations);
    let tags = openapi.tags.iter().map(|t| (t.name.clone(), t.description.clone().unwrap_or_default())).collect();
    let spec_file = file.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Api {
        version,
        spec_file,
        sha256: sha256.to_string(),
        types,
        operations,
        tags,
        examples,
        oldest: version,
        request_gates: BTreeMap::new(),
    })
}

struct Builder<'a> {
    file: &'a Path,
    schemas: &'a IndexMap<String, ReferenceOr<Schema>>,
    names: NameRegistry,
    /// Definition name → Rust type name.
    def_names: BTreeMap<String, TypeName>,
    types: BTreeMap<TypeName, TypeDef>,
    /// Definitions being lowered right now (guards against reference cycles).
    lowering: BTreeSet<String>,
    examples: Vec<Example>,
    /// Type being built → the definitions its `allOf` copied (moved into the type by `add_type`).
    all_of: BTreeMap<TypeName, Vec<TypeName>>,
}

/// What to call an inline schema if it needs a name.
#[derive(Clone)]
struct NameHint {
    base: String,
}

impl NameHint {
    fn child(&self, part: &str) -> NameHint {
        NameHint { base: format!("{}{}", self.base, type_name(part).unwrap_or_default()) }
    }
}

/// A schema or a reference to one, borrowed from either shape openapiv3 uses.
enum SchemaRef<'s> {
    Reference(&'s str),
    Item(&'s Schema),
}

fn boxed(schema: &ReferenceOr<Box<Schema>>) -> SchemaRef<'_> {
    match schema {
        ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
        ReferenceOr::Item(schema) => SchemaRef::Item(schema),
    }
}

fn plain(schema: &ReferenceOr<Schema>) -> SchemaRef<'_> {
    match schema {
        ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
        ReferenceOr::Item(schema) => SchemaRef::Item(schema),
    }
}

fn definition_pointer(name: &str) -> String {
    pointer_push("/definitions", name)
}

fn reference_target(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

fn source_pointer(extensions: &IndexMap<String, Value>) -> Option<String> {
    extensions.get(SOURCE_POINTER).and_then(Value::as_str).map(str::to_owned)
}

fn facts_of(data: &SchemaData, format: Option<String>) -> SchemaFacts {
    SchemaFacts {
        description: data.description.clone(),
        nullable: data.nullable,
        format,
        default: data.default.clone(),
        go_type: data
            .extensions
            .get("x-go-type")
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    }
}

impl<'a> Builder<'a> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError::new(self.file, pointer, message)
    }

    fn reserve_definitions(&mut self) -> Result<(), SpecError> {
        for name in self.schemas.keys() {
            let pointer = definition_pointer(name);
            let rust = type_name(name)
                .map(type_item_name)
                .ok_or_else(|| self.err(&pointer, "definition name gives no Rust identifier"))?;
            if !self.names.reserve(&rust) {
                let other =
                    self.def_names.iter().find(|(_, r)| **r == rust).map(|(d, _)| d.clone()).unwrap_or_default();
                return Err(
                    self.err(&pointer, format!("definitions `{other}` and `{name}` both become Rust type `{rust}`"))
                );
            }
            self.def_names.insert(name.clone(), rust);
        }
        Ok(())
    }

    fn named_ref(&self, reference: &str, pointer: &str) -> Result<TypeName, SpecError> {
        let target = reference_target(reference);
        self.def_names
            .get(target)
            .cloned()
            .ok_or_else(|| self.err(pointer, format!("$ref `{reference}` points at no definition")))
    }

    fn add_type(&mut self, mut def: TypeDef) {
        def.all_of = self.all_of.remove(&def.name).unwrap_or_default();
        self.types.insert(def.name.clone(), def);
    }

    // ---------------------------------------------------------------------------------------
    // Definitions

    fn lower_definition(&mut self, name: &str) -> Result<(), SpecError> {
        let rust = self.def_names[name].clone();
        if self.types.contains_key(&rust) {
            return Ok(());
        }
        let pointer = definition_pointer(name);
        if !self.lowering.insert(name.to_string()) {
            return Err(self.err(&pointer, "reference cycle through this definition is not supported"));
        }
        let schema = &self.schemas[name];
        let (kind, doc) = match schema {
            ReferenceOr::Reference { reference } => {
                (TypeKind::Alias { target: TypeRef::Named(self.named_ref(reference, &pointer)?) }, None)
            }
            ReferenceOr::Item(schema) => {
                self.record_example(&schema.schema_data, &pointer, TypeRef::Named(rust.clone()));
                (self.root_kind(&rust, schema, &pointer)?, schema.schema_data.description.clone())
            }
        };
        self.lowering.remove(name);
        self.add_type(TypeDef {
            name: rust,
            origin: Origin::Definition(name.to_string()),
            pointer,
            module: COMMON_MODULE.to_string(),
            doc,
            kind,
            availability: Availability::ALWAYS,
            deprecated: None,
            all_of: Vec::new(),
        });
        Ok(())
    }

    /// The kind of a named type whose schema is `schema`.
    fn root_kind(&mut self, name: &str, schema: &Schema, pointer: &str) -> Result<TypeKind, SpecError> {
        let hint = NameHint { base: name.to_string() };
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                if let [ReferenceOr::Reference { reference }] = all_of.as_slice() {
                    return Ok(TypeKind::Alias { target: TypeRef::Named(self.named_ref(reference, pointer)?) });
                }
                let mut fields = Vec::new();
                self.flatten_all_of(name, all_of, pointer, &mut fields)?;
                Ok(TypeKind::Struct { fields })
            }
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                if object.additional_properties.is_some() {
                    return Err(self
                        .err(pointer, "an object with both `properties` and `additionalProperties` is not supported"));
                }
                let fields = self.object_fields(name, &object.properties, &object.required, pointer)?;
                Ok(TypeKind::Struct { fields })
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                self.string_enum(s, &schema.schema_data, pointer)
            }
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => {
                self.integer_enum(i, &schema.schema_data, pointer)
            }
            _ => {
                let (target, _) = self.lower_schema(schema, &hint, pointer, false)?;
                Ok(TypeKind::Alias { target })
            }
        }
    }

    fn string_enum(&self, s: &openapiv3::StringType, data: &SchemaData, pointer: &str) -> Result<TypeKind, SpecError> {
        let mut variants: Vec<EnumVariant> = Vec::new();
        for (i, value) in s.enumeration.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "enum"), &i.to_string());
            let Some(value) = value else { return Err(self.err(&at, "`null` in a string enum is not supported")) };
            let rust_name =
                variant_name(value).ok_or_else(|| self.err(&at, format!("enum value `{value}` gives no Rust name")))?;
            if rust_name == "Other" {
                return Err(self.err(&at, "enum value `other` collides with the catch-all variant `Other`"));
            }
            if let Some(previous) = variants.iter().find(|v| v.rust_name == rust_name) {
                return Err(self.err(
                    &at,
                    format!("enum values `{}` and `{value}` both become variant `{rust_name}`", previous.value),
                ));
            }
            variants.push(EnumVariant { value: value.clone(), rust_name, availability: Availability::ALWAYS });
        }
        let default = data.default.as_ref().and_then(Value::as_str).map(str::to_owned);
        Ok(TypeKind::StringEnum { variants, default })
    }

    fn integer_enum(
        &self,
        i: &openapiv3::IntegerType,
        data: &SchemaData,
        pointer: &str,
    ) -> Result<TypeKind, SpecError> {
        let int = IntKind::from_format(format_text(&i.format).as_deref())
            .ok_or_else(|| self.err(&pointer_push(pointer, "format"), "unsupported integer format"))?;
        // `x-enum-varnames` (added by an override) names the variants; else `V<value>`.
        let names: Vec<String> = data
            .extensions
            .get("x-enum-varnames")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let mut variants = Vec::new();
        for (index, value) in i.enumeration.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "enum"), &index.to_string());
            let value = value.ok_or_else(|| self.err(&at, "`null` in an integer enum is not supported"))?;
            let rust_name = match names.get(index) {
                Some(name) => variant_ident(
                    type_name(name).ok_or_else(|| self.err(&at, format!("`{name}` is not a usable variant name")))?,
                ),
                None => format!("V{}", value.unsigned_abs()),
            };
            if rust_name == "Other" {
                return Err(self.err(&at, "variant name `Other` collides with the catch-all variant `Other`"));
            }
            if let Some(previous) = variants.iter().find(|v: &&IntVariant| v.rust_name == rust_name) {
                return Err(self.err(
                    &at,
                    format!("enum values {} and {value} both become variant `{rust_name}`", previous.value),
                ));
            }
            variants.push(IntVariant { value, rust_name, availability: Availability::ALWAYS });
        }
        Ok(TypeKind::IntegerEnum { int, variants })
    }

    fn object_fields(
        &mut self,
        parent: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Result<Vec<Field>, SpecError> {
        let mut fields: Vec<Field> = Vec::new();
        let props_at = pointer_push(pointer, "properties");
        for (wire, schema) in properties {
            let at = pointer_push(&props_at, wire);
            let rust_name = field_name(wire).ok_or_else(|| self.err(&at, "property name gives no Rust identifier"))?;
            if let Some(other) = fields.iter().find(|f| f.rust_name == rust_name) {
                return Err(self.err(
                    &at,
                    format!("properties `{}` and `{wire}` both become field `{rust_name}`", other.wire_name),
                ));
            }
            let hint = NameHint { base: parent.to_string() }.child(wire);
            let (ty, facts) = self.lower_ref(boxed(schema), &hint, &at)?;
            fields.push(Field {
                wire_name: wire.clone(),
                rust_name,
                ty,
                required: required.contains(wire),
                facts,
                pointer: at,
                availability: Availability::ALWAYS,
            });
        }
        Ok(fields)
    }

    /// Copies the fields of every `allOf` member into `fields` (a later field of the same name
    /// replaces the earlier one in place).
    fn flatten_all_of(
        &mut self,
        parent: &str,
        members: &[ReferenceOr<Schema>],
        pointer: &str,
        fields: &mut Vec<Field>,
    ) -> Result<(), SpecError> {
        let add =
            |fields: &mut Vec<Field>, field: Field| match fields.iter_mut().find(|f| f.wire_name == field.wire_name) {
                Some(existing) => *existing = field,
                None => fields.push(field),
            };
        for (i, member) in members.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            match member {
                ReferenceOr::Reference { reference } => {
                    let target = reference_target(reference).to_string();
                    self.lower_definition(&target)?;
                    let rust = self.def_names[&target].clone();
                    self.all_of.entry(parent.to_string()).or_default().push(rust.clone());
                    match &self.types[&rust].kind {
                        TypeKind::Struct { fields: copied } => {
                            for field in copied.clone() {
                                add(fields, field);
                            }
                        }
                        TypeKind::Alias { target: TypeRef::FreeFormObject } => {}
                        _ => return Err(self.err(&at, format!("`allOf` member `{target}` is not an object"))),
                    }
                }
                ReferenceOr::Item(schema) => {
                    let member_at = source_pointer(&schema.schema_data.extensions).unwrap_or(at);
                    match &schema.schema_kind {
                        SchemaKind::AllOf { all_of } => self.flatten_all_of(parent, all_of, &member_at, fields)?,
                        SchemaKind::Type(Type::Object(object)) => {
                            for field in self.object_fields(parent, &object.properties, &object.required, &member_at)? {
                                add(fields, field);
                            }
                        }
                        _ => return Err(self.err(&member_at, "an `allOf` member must be an object")),
                    }
                }
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------------------------------
    // Type expressions

    fn lower_ref(
        &mut self,
        schema: SchemaRef<'_>,
        hint: &NameHint,
        pointer: &str,
    ) -> Result<(TypeRef, SchemaFacts), SpecError> {
        match schema {
            SchemaRef::Reference(reference) => {
                Ok((TypeRef::Named(self.named_ref(reference, pointer)?), SchemaFacts::default()))
            }
            SchemaRef::Item(schema) => {
                let (ty, facts) = self.lower_schema(schema, hint, pointer, true)?;
                self.record_example(&schema.schema_data, pointer, ty.clone());
                Ok((ty, facts))
            }
        }
    }

    fn record_example(&mut self, data: &SchemaData, pointer: &str, ty: TypeRef) {
        if let Some(value) = &data.example {
            self.examples.push(Example {
                pointer: pointer_push(pointer, "example"),
                ty: Slot { ty, nullable: data.nullable },
                value: value.clone(),
            });
        }
    }

    /// Lowers a schema to a type expression; inline objects and enums become named types
    /// (unless `inline_named` is false, which is used for a definition root's own alias).
    fn lower_schema(
        &mut self,
        schema: &Schema,
        hint: &NameHint,
        pointer: &str,
        inline_named: bool,
    ) -> Result<(TypeRef, SchemaFacts), SpecError> {
        let facts = facts_of(&schema.schema_data, schema_format(schema));
        let name_for = |builder: &mut Self| {
            let base = schema.schema_data.title.as_deref().and_then(type_name).unwrap_or_else(|| hint.base.clone());
            builder.names.reserve_unique(&type_item_name(base))
        };
        let ty = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                if let [ReferenceOr::Reference { reference }] = all_of.as_slice() {
                    TypeRef::Named(self.named_ref(reference, pointer)?)
                } else {
                    let name = name_for(self);
                    let mut fields = Vec::new();
                    self.flatten_all_of(&name, all_of, pointer, &mut fields)?;
                    self.inline_type(&name, pointer, schema, TypeKind::Struct { fields })
                }
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() && inline_named => {
                let kind = self.string_enum(s, &schema.schema_data, pointer)?;
                let name = name_for(self);
                self.inline_type(&name, pointer, schema, kind)
            }
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() && inline_named => {
                let kind = self.integer_enum(i, &schema.schema_data, pointer)?;
                let name = name_for(self);
                self.inline_type(&name, pointer, schema, kind)
            }
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Integer(i)) => {
                let format = format_text(&i.format);
                TypeRef::Integer(IntKind::from_format(format.as_deref()).ok_or_else(|| {
                    self.err(
                        &pointer_push(pointer, "format"),
                        format!("unsupported integer format `{}`", format.unwrap_or_default()),
                    )
                })?)
            }
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => self.array(array, hint, pointer, inline_named)?,
            SchemaKind::Type(Type::Object(object)) => {
                if !object.properties.is_empty() {
                    if object.additional_properties.is_some() {
                        return Err(self.err(
                            pointer,
                            "an object with both `properties` and `additionalProperties` is not supported",
                        ));
                    }
                    let name = name_for(self);
                    let fields = self.object_fields(&name, &object.properties, &object.required, pointer)?;
                    self.inline_type(&name, pointer, schema, TypeKind::Struct { fields })
                } else {
                    self.map(object, hint, pointer)?
                }
            }
            SchemaKind::Any(_) => TypeRef::Any,
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => {
                return Err(self.err(pointer, "oneOf/anyOf/not are not supported"))
            }
        };
        Ok((ty, facts))
    }

    /// An array; items of a definition that is itself an array are named `<Name>Item`.
    fn array(
        &mut self,
        array: &openapiv3::ArrayType,
        hint: &NameHint,
        pointer: &str,
        inline_named: bool,
    ) -> Result<TypeRef, SpecError> {
        let items = array.items.as_ref().ok_or_else(|| self.err(pointer, "array without `items`"))?;
        let items_at = pointer_push(pointer, "items");
        let nullable = matches!(items, ReferenceOr::Item(s) if s.schema_data.nullable);
        // A definition that is an array (`GenericResources`) already holds the name: its items
        // are `GenericResourcesItem`, not `GenericResources2`.
        let item_hint = if inline_named { hint.clone() } else { hint.child("Item") };
        let (ty, _) = self.lower_ref(boxed(items), &item_hint, &items_at)?;
        Ok(TypeRef::Array(Box::new(Slot { ty, nullable })))
    }

    /// An object without properties: a map when `additionalProperties` has a schema, else free-form.
    fn map(&mut self, object: &openapiv3::ObjectType, hint: &NameHint, pointer: &str) -> Result<TypeRef, SpecError> {
        match &object.additional_properties {
            Some(AdditionalProperties::Schema(value)) => {
                let at = pointer_push(pointer, "additionalProperties");
                let nullable = matches!(value.as_ref(), ReferenceOr::Item(s) if s.schema_data.nullable);
                let (ty, _) = self.lower_ref(plain(value), hint, &at)?;
                Ok(TypeRef::Map(Box::new(Slot { ty, nullable })))
            }
            _ => Ok(TypeRef::FreeFormObject),
        }
    }

    fn inline_type(&mut self, name: &str, pointer: &str, schema: &Schema, kind: TypeKind) -> TypeRef {
        self.add_type(TypeDef {
            name: name.to_string(),
            origin: Origin::Inline { pointer: pointer.to_string() },
            pointer: pointer.to_string(),
            module: COMMON_MODULE.to_string(),
            doc: schema.schema_data.description.clone(),
            kind,
            availability: Availability::ALWAYS,
            deprecated: None,
            all_of: Vec::new(),
        });
        TypeRef::Named(name.to_string())
    }
}

/// Puts each type in the module of the single tag whose operations reach it (from their
/// parameters, body and success responses); types reached by several tags, or by none, go to
/// `common`.
fn assign_modules(types: &mut BTreeMap<TypeName, TypeDef>, operations: &BTreeMap<String, Operation>) {
    let roots = super::reach::Roots { params: true, body: true, success: true, errors: false, stream: false };
    let mut tags_of: BTreeMap<TypeName, BTreeSet<String>> = BTreeMap::new();
    for op in operations.values() {
        let Some(tag) = op.tags.first() else { continue };
        for name in super::reach::reachable(types, op.root_types(roots)) {
            tags_of.entry(name).or_default().insert(tag.clone());
        }
    }
    for def in types.values_mut() {
        if let Some(tags) = tags_of.get(&def.name) {
            if tags.len() == 1 {
                def.module = tags.iter().next().map(|t| module_name(t)).unwrap_or_else(|| COMMON_MODULE.into());
            }
        }
    }
}

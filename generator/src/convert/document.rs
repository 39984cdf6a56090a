//! Conversion, top level: the document header, `info`, `basePath`, `tags`, `definitions` and
//! `paths`. Each operation found under `paths` is handed to `operation.rs`, each definition
//! to `schema.rs`.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{Components, Info, OpenAPI, PathItem, Paths, ReferenceOr, Schema, Server, Tag};
use serde_json::Value;

use super::operation::MediaTypes;
use super::{Converter, Obj};
use crate::error::{pointer_push, SpecError};

/// The top-level keys a Swagger document may have besides vendor extensions.
const TOP_LEVEL_KEYS: &[&str] =
    &["swagger", "schemes", "produces", "consumes", "basePath", "info", "tags", "definitions", "paths", "host"];

impl Converter<'_> {
    pub(super) fn document(&self) -> Result<OpenAPI, SpecError> {
        let root = self.object(self.root, "")?;
        self.check_header(root)?;
        // Document-wide media types, the default of every operation that lists none.
        let media = MediaTypes {
            produces: self.strings(root, "produces", "")?.unwrap_or_default(),
            consumes: self.strings(root, "consumes", "")?.unwrap_or_default(),
        };
        let info = self.info(root)?;
        let servers = match self.string(root, "basePath", "")? {
            Some(url) => vec![Server { url, ..Default::default() }],
            None => Vec::new(),
        };
        let tags = self.tags(root)?;
        let schemas = self.definitions(root)?;
        let paths = self.paths(root, &media)?;
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

    /// Only Swagger 2.0, and only the top-level keys this converter knows.
    fn check_header(&self, root: &Obj) -> Result<(), SpecError> {
        match root.get("swagger") {
            Some(Value::String(v)) if v == "2.0" => {}
            Some(_) => return Err(self.err("/swagger", "only Swagger 2.0 documents are supported")),
            None => return Err(self.err("", "missing `swagger: \"2.0\"`: not a Swagger 2.0 document")),
        }
        for key in root.keys() {
            if !key.starts_with("x-") && !TOP_LEVEL_KEYS.contains(&key.as_str()) {
                return Err(self.err(&pointer_push("", key), format!("unsupported top-level key `{key}`")));
            }
        }
        Ok(())
    }

    fn info(&self, root: &Obj) -> Result<Info, SpecError> {
        let info_obj = self.object(root.get("info").ok_or_else(|| self.err("", "missing `info`"))?, "/info")?;
        Ok(Info {
            title: self.string(info_obj, "title", "/info")?.unwrap_or_default(),
            description: self.string(info_obj, "description", "/info")?,
            version: self
                .string(info_obj, "version", "/info")?
                .ok_or_else(|| self.err("/info", "missing `version`"))?,
            extensions: Self::extensions(info_obj),
            ..Default::default()
        })
    }

    fn tags(&self, root: &Obj) -> Result<Vec<Tag>, SpecError> {
        let mut tags = Vec::new();
        let Some(list) = root.get("tags") else { return Ok(tags) };
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
        Ok(tags)
    }

    /// `definitions` become `components.schemas` under the same names.
    fn definitions(&self, root: &Obj) -> Result<IndexMap<String, ReferenceOr<Schema>>, SpecError> {
        let mut schemas = IndexMap::new();
        if let Some(defs) = root.get("definitions") {
            for (name, schema) in self.object(defs, "/definitions")? {
                let at = pointer_push("/definitions", name);
                schemas.insert(name.clone(), self.schema(schema, &at)?);
            }
        }
        Ok(schemas)
    }

    fn paths(&self, root: &Obj, media: &MediaTypes) -> Result<IndexMap<String, ReferenceOr<PathItem>>, SpecError> {
        let mut paths = IndexMap::new();
        // Operation ids name the generated methods, so they must be unique across all paths.
        let mut operation_ids = BTreeSet::new();
        let Some(p) = root.get("paths") else { return Ok(paths) };
        for (path, item) in self.object(p, "/paths")? {
            let at = pointer_push("/paths", path);
            if !path.starts_with('/') {
                return Err(self.err(&at, "a path must start with `/`"));
            }
            let path_item = self.path_item(item, &at, path, media, &mut operation_ids)?;
            paths.insert(path.clone(), ReferenceOr::Item(path_item));
        }
        Ok(paths)
    }

    /// One path's operations, each in the slot of its HTTP method.
    fn path_item(
        &self,
        item: &Value,
        at: &str,
        path: &str,
        media: &MediaTypes,
        operation_ids: &mut BTreeSet<String>,
    ) -> Result<PathItem, SpecError> {
        let item_obj = self.object(item, at)?;
        let mut path_item = PathItem::default();
        for (method, op) in item_obj {
            let op_at = pointer_push(at, method);
            if method.starts_with("x-") {
                continue;
            }
            let converted = self.operation(op, &op_at, path, media)?;
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
        Ok(path_item)
    }
}

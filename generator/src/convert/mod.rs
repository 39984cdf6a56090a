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
//!
//! One file per part of the document, read top down: `document.rs` (top level, tags, paths),
//! `operation.rs` (operations and responses), `parameter.rs` (parameters and request bodies),
//! `schema.rs` (schemas); `read.rs` holds the typed field readers every part uses, so a wrong
//! value is reported at its pointer.

mod document;
mod operation;
mod parameter;
mod read;
mod schema;

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::{Map, Value};

use crate::error::SpecError;

/// Extension key that records where a converted node came from in the Swagger document.
pub const SOURCE_POINTER: &str = "x-source-pointer";

/// Converts one Swagger 2.0 document. `file` only names the source in errors.
pub fn convert(file: &Path, swagger: &Value) -> Result<OpenAPI, SpecError> {
    Converter { file, root: swagger }.document()
}

/// The document being converted; every part of the conversion is a method on it, so each
/// can name the file in its errors and resolve `$ref`s against the whole document.
struct Converter<'a> {
    file: &'a Path,
    root: &'a Value,
}

/// A JSON mapping of the Swagger document.
type Obj = Map<String, Value>;

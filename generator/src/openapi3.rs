//! `generated/openapi/v1.NN.json`: the corrected OpenAPI 3.0 document of one version, a
//! published interface for generators that read OpenAPI 3 (progenitor, oapi-codegen,
//! openapi-typescript, Kiota, …).
//!
//! Place in the pipeline: a report of step 2. It is exactly what [`crate::convert`] made of the
//! Swagger 2.0 spec after `specs/overrides.yaml` was applied — the document the IR is built
//! from — printed as JSON. Keys keep the order of the upstream spec (every map on the way is
//! insertion-ordered), so the same spec and overrides give the same bytes. Every vendor
//! extension of the spec (`x-nullable`, `x-go-name`, …) stays, and converted parameters,
//! request bodies and responses carry `x-source-pointer`: the JSON pointer of the node they
//! came from in the upstream Swagger file, for tracing a question back to the source text.

use openapiv3::OpenAPI;

use crate::version::ApiVersion;

/// File name of a version's document inside `generated/openapi/`: `v1.47.json`.
pub fn file_name(version: ApiVersion) -> String {
    format!("v{version}.json")
}

/// The published JSON text of a converted document (pretty-printed, ending in a newline).
/// Serialized straight from the typed document: going through `serde_json::Value` first
/// would cost twice as much, in every `regen`.
pub fn document_json(document: &OpenAPI) -> Result<String, String> {
    let mut text = serde_json::to_string_pretty(document).map_err(|e| format!("OpenAPI 3 document to JSON: {e}"))?;
    text.push('\n');
    Ok(text)
}

//! Target `spec`: the generator's front end on arbitrary bytes as a spec file: `load` (YAML or
//! JSON to a JSON document), the project's `overrides`, `convert` (Swagger 2.0 to OpenAPI 3)
//! and `ir::build`, the calls `regen::build_version` makes.
//!
//! Input: the whole input is the file. The API version (which overrides apply, and what the IR
//! is built for) is v1.40 plus the input length modulo 16.
//!
//! Checks: every step returns `Ok` or `Err`, never panics.

use std::path::Path;
use std::sync::OnceLock;

use codegen::overrides::Overrides;
use codegen::ApiVersion;

/// The project's `specs/overrides.yaml`, as `regen` applies it.
fn overrides() -> &'static Overrides {
    static OVERRIDES: OnceLock<Overrides> = OnceLock::new();
    OVERRIDES.get_or_init(|| {
        let path = Path::new("specs/overrides.yaml");
        Overrides::parse(path, include_bytes!("../../specs/overrides.yaml")).expect("specs/overrides.yaml parses")
    })
}

/// The target body.
pub fn run(data: &[u8]) {
    let path = Path::new("v1.fuzz.yaml");
    let version = ApiVersion::new(1, 40 + (data.len() % 16) as u16);
    let Ok(mut spec) = codegen::load::load_bytes(path, data) else {
        return;
    };
    overrides().apply(version, &mut spec.document);
    let Ok(openapi) = codegen::convert::convert(path, &spec.document) else {
        return;
    };
    let _ = codegen::ir::build(path, version, &spec.sha256, &openapi);
}

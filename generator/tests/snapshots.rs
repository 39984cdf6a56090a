//! One small spec per construct the generator must handle, with the generated Rust (or, for a
//! malformed spec, the error text) as an insta snapshot. Read a snapshot before accepting it.

use std::path::Path;

use codegen::{convert, emit, ir, load, ApiVersion};

/// Runs the whole pipeline on a fixture; returns the generated modules (without the header
/// line, whose sha256 is noise here) or the error text.
fn generate(fixture: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let bytes = std::fs::read(&path).unwrap();
    let shown = Path::new("fixtures").join(fixture);
    let result = load::load_bytes(&shown, &bytes)
        .and_then(|spec| {
            let openapi = convert::convert(&shown, &spec.document)?;
            ir::build(&shown, ApiVersion::new(1, 99), &spec.sha256, &openapi)
        })
        .map_err(|e| e.to_string())
        .and_then(|api| emit::models::models_crate(&api));
    match result {
        Err(message) => format!("error: {message}\n"),
        Ok(files) => files
            .iter()
            .filter(|(p, _)| {
                p.extension().is_some_and(|e| e == "rs") && !p.ends_with("lib.rs") && !p.ends_with("testing.rs")
            })
            .map(|(p, content)| {
                let body = content.split_once('\n').map(|(_, rest)| rest).unwrap_or_default();
                format!("// ==== {}\n{}", p.display(), body.trim_start())
            })
            .collect(),
    }
}

macro_rules! snapshot {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(generate(concat!(stringify!($name), ".yaml")));
        }
    };
}

snapshot!(allof_flattening);
snapshot!(open_enum);
snapshot!(empty_string_enum);
snapshot!(integer_enum);
snapshot!(ref_nullable_sibling);
snapshot!(ref_type_object_sibling);
snapshot!(map_of_empty_objects);
snapshot!(keyword_dotted_fields);
snapshot!(inline_schema_naming);
snapshot!(array_of_arrays);
snapshot!(typeless_go_type);
snapshot!(integer_formats);
snapshot!(malformed);
snapshot!(malformed_dangling_ref);
snapshot!(malformed_integer_format);

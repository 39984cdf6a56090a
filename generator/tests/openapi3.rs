//! `generated/openapi/v1.NN.json`: one corrected OpenAPI 3 document per spec version, with the
//! overrides applied, the same bytes on every run, and covered by `regen --check`.
//!
//! The external validator (`openapi-spec-validator`) runs on the same files from
//! `tests/openapi/validate.sh`, called by `tests/run.sh`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::openapi3;
use codegen::overrides::Overrides;
use codegen::regen::{self, RegenOptions};
use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ is in the workspace").to_path_buf()
}

fn specs_dir() -> PathBuf {
    regen::resolve_specs_dir(None, &workspace()).unwrap_or_else(|e| panic!("{e}"))
}

fn overrides() -> Overrides {
    Overrides::load(&workspace().join("specs/overrides.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

/// Every spec version's document, built twice from scratch, is the same text both times and
/// the same as the committed file.
#[test]
fn documents_are_byte_stable_across_runs_and_committed() {
    let overrides = overrides();
    let specs = regen::discover_specs(&specs_dir()).unwrap();
    let committed = workspace().join("generated/openapi");
    for (version, path) in &specs {
        let runs: Vec<String> = (0..2)
            .map(|_| {
                let built = regen::build_version(path, *version, &overrides).unwrap_or_else(|e| panic!("{e}"));
                openapi3::document_json(&built.openapi).unwrap()
            })
            .collect();
        assert!(runs[0] == runs[1], "v{version}: two runs gave different bytes");
        let file = committed.join(openapi3::file_name(*version));
        let on_disk = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(on_disk == runs[0], "{} is stale: run `cargo xtask regen`", file.display());
    }
    let mut names: Vec<String> =
        std::fs::read_dir(&committed).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let expected: Vec<String> = specs.iter().map(|(v, _)| openapi3::file_name(*v)).collect();
    assert_eq!(names, expected, "one document per spec version, nothing else");
}

fn document(version: &str) -> Value {
    let file = workspace().join(format!("generated/openapi/v{version}.json"));
    serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap()
}

#[test]
fn documents_are_openapi_3_with_the_versioned_server() {
    for version in ["1.40", "1.47", "1.55"] {
        let doc = document(version);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["servers"][0]["url"], format!("/v{version}"));
        assert_eq!(doc["info"]["version"], version);
        assert!(doc["components"]["schemas"]["ContainerSummary"].is_object());
        // Converted nodes say where they came from upstream.
        let list = &doc["paths"]["/containers/json"]["get"];
        assert_eq!(list["parameters"][0]["x-source-pointer"], "/paths/~1containers~1json/get/parameters/0");
        // Swagger 2.0 body parameters became request bodies.
        let create = &doc["paths"]["/containers/create"]["post"];
        assert!(create["requestBody"]["content"]["application/json"]["schema"].is_object(), "{create}");
    }
}

/// The overrides of `specs/overrides.yaml` are in the documents, for exactly their versions.
#[test]
fn documents_carry_the_overrides() {
    let items = |version: &str| {
        document(version)["components"]["schemas"]["ImagesDiskUsage"]["properties"]["Items"]["items"].clone()
    };
    assert_eq!(items("1.52"), serde_json::json!({"$ref": "#/components/schemas/ImageSummary"}));
    assert_eq!(items("1.55"), serde_json::json!({"$ref": "#/components/schemas/ImageSummary"}));

    let connect_title = |version: &str| {
        document(version)["paths"]["/networks/{id}/connect"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"]["title"]
            .clone()
    };
    // Upstream swaps the connect and disconnect titles up to v1.41; the override fixes them.
    assert_eq!(connect_title("1.40"), "NetworkConnectRequest");
    assert_eq!(connect_title("1.41"), "NetworkConnectRequest");
}

const SPEC: &str = r##"swagger: "2.0"
basePath: /v1.99
info: { title: t, version: "1.99" }
produces: [application/json]
paths:
  /things:
    get:
      operationId: ThingList
      responses:
        200: { description: ok, schema: { type: array, items: { type: string } } }
"##;

/// `regen --check` (the write plan) reports a changed or missing document.
#[test]
fn regen_check_covers_the_documents() {
    let temp = tempfile::tempdir().unwrap();
    let specs = temp.path().join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::write(specs.join("v1.99.yaml"), SPEC).unwrap();
    let out = temp.path().join("out");
    let options = RegenOptions {
        specs_dir: specs,
        out_dir: out.clone(),
        // No overrides or replacements: they name operations this spec does not have.
        project_specs_dir: temp.path().join("project-specs"),
        only: None,
    };
    let generation = regen::generate(&options).unwrap_or_else(|e| panic!("{e}"));
    let document = out.join("openapi/v1.99.json");
    assert!(generation.files.contains_key(&document));
    regen::write_generation(&generation, &out).unwrap();
    let plan = |files: &BTreeMap<_, _>| codegen::write::plan(files, &generation.owned_roots).unwrap();
    assert!(plan(&generation.files).is_clean());

    std::fs::write(&document, "{}\n").unwrap();
    assert_eq!(plan(&generation.files).stale, vec![document.clone()]);
    std::fs::remove_file(&document).unwrap();
    assert_eq!(plan(&generation.files).missing, vec![document.clone()]);
    regen::write_generation(&generation, &out).unwrap();
    let text = std::fs::read_to_string(&document).unwrap();
    assert!(text.starts_with("{\n  \"openapi\": \"3.0.3\""), "{text}");
}

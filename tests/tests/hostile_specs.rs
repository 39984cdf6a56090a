//! Hostile specs: names, shapes and sizes no real Docker spec has, each taken through the
//! whole pipeline (`regen::generate` into a temporary folder). Every case ends in crates that
//! `cargo check` accepts (all compiling cases are checked at once, in one temporary workspace)
//! or in an error naming the spec file and a JSON pointer (an insta snapshot) — never in a
//! panic, a hang or a crate that does not compile.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::regen::{self, Generation, RegenOptions};
use integration_tests::workspace;

/// A minimal Swagger 2.0 document of API `version` with the given top-level `tags`, `paths`
/// and `definitions` (YAML, each indented by two spaces under its key).
fn spec(version: &str, tags: &str, paths: &str, definitions: &str) -> String {
    format!(
        "swagger: \"2.0\"\nbasePath: /v{version}\ninfo: {{ title: hostile, version: \"{version}\" }}\n\
         produces: [application/json]\nconsumes: [application/json]\n\
         tags:\n{tags}\npaths:\n{paths}\ndefinitions:\n{definitions}\n"
    )
}

/// A GET operation at `path` with `tag`, answering `schema_ref` (a definition name).
fn get(path: &str, id: &str, tag: &str, schema_ref: &str) -> String {
    format!(
        "  {path}:\n    get:\n      operationId: {id}\n      tags: [\"{tag}\"]\n      responses:\n        200:\n          description: ok\n          schema: {{ $ref: \"#/definitions/{schema_ref}\" }}\n"
    )
}

const THING: &str = "  Thing:\n    type: object\n    properties:\n      Name: { type: string }\n";

/// One generation into `root/<name>/generated`, from `root/<name>/specs/v<version>.yaml` for
/// each `(version, yaml)`.
fn generate(root: &Path, name: &str, specs_yaml: &[(&str, String)]) -> (RegenOptions, Result<Generation, String>) {
    let case = root.join(name);
    let specs = case.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::create_dir_all(case.join("project-specs")).unwrap();
    for (version, yaml) in specs_yaml {
        std::fs::write(specs.join(format!("v{version}.yaml")), yaml).unwrap();
    }
    let options = RegenOptions {
        specs_dir: specs.clone(),
        out_dir: case.join("generated"),
        project_specs_dir: case.join("project-specs"),
        only: None,
    };
    let result =
        regen::generate(&options).map_err(|e| e.to_string().replace(&format!("{}/", specs.display()), "specs/"));
    (options, result)
}

/// The error of a case that must fail, with the spec folder shown as `specs/`.
fn error_of(version: &str, yaml: &str) -> String {
    let temp = tempfile::tempdir().unwrap();
    match generate(temp.path(), "case", &[(version, yaml.to_string())]).1 {
        Ok(_) => panic!("generation succeeded; expected an error"),
        Err(e) => {
            assert!(e.starts_with(&format!("specs/v{version}.yaml: at /")), "no file and pointer: {e}");
            e
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases that compile

/// Tags that are no Rust module name as they are: a digit first, keywords, names the crates use
/// themselves (`lib.rs`, `main.rs`, `gates`, `testing`, `models`), non-ASCII, nothing usable.
fn tag_names() -> String {
    let tags =
        ["1Tag", "fn", "self", "Self", "super", "lib", "main", "Gates", "testing", "models", "Ünïcode", "容器", "!!"];
    let tag_list: String = tags.iter().map(|t| format!("  - name: \"{t}\"\n")).collect();
    let mut paths = String::new();
    let mut definitions = String::new();
    for (i, tag) in tags.iter().enumerate() {
        paths.push_str(&get(&format!("/t{i}"), &format!("Op{i}"), tag, &format!("Thing{i}")));
        definitions.push_str(&THING.replace("Thing", &format!("Thing{i}")));
    }
    spec("1.60", &tag_list, &paths, &definitions)
}

/// Enum values that become keywords or odd variant names; types named like the parameters and
/// helper items of the serde impls (`D`, `S`, `Visitor`), which must not capture them.
fn enum_values() -> String {
    let definitions = "  Mode:\n    type: string\n    enum: [self, super, crate, fn, \"1\", \"\", Type, r#type]\n\
                       \x20 Level:\n    type: integer\n    enum: [0, 1, 2]\n    x-enum-varnames: [Self, fn, Other2]\n\
                       \x20 D:\n    type: string\n    enum: [a, b]\n\
                       \x20 S:\n    type: integer\n    enum: [1, 2]\n\
                       \x20 Visitor:\n    type: object\n    properties:\n      D: { $ref: \"#/definitions/D\" }\n      S: { $ref: \"#/definitions/S\" }\n\
                       \x20 Holder:\n    type: object\n    properties:\n      Mode: { $ref: \"#/definitions/Mode\" }\n      Level: { $ref: \"#/definitions/Level\" }\n      Visitor: { $ref: \"#/definitions/Visitor\" }\n";
    spec("1.61", "  - name: Mode\n", &get("/mode", "ModeGet", "Mode", "Holder"), definitions)
}

/// Types that hold themselves: Node → Node, A → B → A, through an alias, and inside an inline
/// object; a tree through an array needs no box. `Node` gains a member in `later` versions (so
/// a crate covering both versions gates it, through the boxed fields).
fn recursive_types(version: &str, later: bool) -> String {
    let definitions = "  Node:\n    type: object\n    properties:\n      Value: { type: string }\n      Next: { $ref: \"#/definitions/Node\" }\n\
                       \x20 A:\n    type: object\n    properties:\n      B: { $ref: \"#/definitions/B\" }\n\
                       \x20 B:\n    type: object\n    properties:\n      Back: { $ref: \"#/definitions/AliasOfA\" }\n      Inner:\n        type: object\n        properties:\n          A: { $ref: \"#/definitions/A\" }\n\
                       \x20 AliasOfA:\n    $ref: \"#/definitions/A\"\n\
                       \x20 Tree:\n    type: object\n    properties:\n      Children: { type: array, items: { $ref: \"#/definitions/Tree\" } }\n";
    let paths = format!(
        "{}{}  /nodes/create:\n    post:\n      operationId: NodeCreate\n      tags: [Node]\n      parameters:\n        - {{ name: body, in: body, required: true, schema: {{ $ref: \"#/definitions/Node\" }} }}\n      responses:\n        200: {{ description: ok, schema: {{ $ref: \"#/definitions/Tree\" }} }}\n",
        get("/nodes", "NodeList", "Node", "Node"),
        get("/a", "AGet", "Node", "A"),
    );
    let definitions = if later {
        definitions.replace(
            "      Value: { type: string }\n",
            "      Value: { type: string }\n      Label: { type: string }\n",
        )
    } else {
        definitions.to_string()
    };
    spec(version, "  - name: Node\n", &paths, &definitions)
}

/// Definitions named like the std items generated code uses unqualified.
fn std_names() -> String {
    let definitions = "  Result:\n    type: string\n    enum: [ok, failed]\n\
                       \x20 Option:\n    type: object\n    properties:\n      Name: { type: string }\n      Items: { type: array, items: { type: string } }\n\
                       \x20 Vec:\n    type: array\n    items: { $ref: \"#/definitions/Option\" }\n\
                       \x20 String:\n    type: object\n    properties:\n      Value: { type: string }\n      Option: { $ref: \"#/definitions/Option\" }\n      Result: { $ref: \"#/definitions/Result\" }\n      Vec: { $ref: \"#/definitions/Vec\" }\n      Self: { $ref: \"#/definitions/Self\" }\n      Boxed: { $ref: \"#/definitions/Box\" }\n\
                       \x20 Box:\n    type: object\n    properties:\n      Next: { $ref: \"#/definitions/Box\" }\n\
                       \x20 Default:\n    type: integer\n    enum: [0, 1]\n\
                       \x20 From:\n    type: object\n    title: From\n    properties:\n      Default: { $ref: \"#/definitions/Default\" }\n\
                       \x20 Self:\n    type: object\n    properties:\n      From: { $ref: \"#/definitions/From\" }\n";
    spec("1.63", "  - name: Std\n", &get("/std", "StdGet", "Std", "String"), definitions)
}

/// operationIds that are keywords, start with a digit, or look like `Docker`'s own methods
/// without being them.
fn operation_names() -> String {
    let paths: String = ["fn", "self", "Self2", "1List", "NewContainer", "ClientList", "Default"]
        .iter()
        .enumerate()
        .map(|(i, id)| get(&format!("/o{i}"), id, "Ops", "Thing"))
        .collect();
    spec("1.64", "  - name: Ops\n", &paths, THING)
}

#[test]
fn hostile_names_and_recursion_give_crates_that_compile() {
    let cases: [(&str, Vec<(&str, String)>); 6] = [
        ("tag_names", vec![("1.60", tag_names())]),
        ("enum_values", vec![("1.61", enum_values())]),
        ("recursive_types", vec![("1.62", recursive_types("1.62", false))]),
        ("std_names", vec![("1.63", std_names())]),
        ("operation_names", vec![("1.64", operation_names())]),
        (
            "recursive_across_versions",
            vec![("1.65", recursive_types("1.65", false)), ("1.66", recursive_types("1.66", true))],
        ),
    ];
    let temp = tempfile::tempdir().unwrap();
    let transport = workspace().join("transport");
    let mut members = Vec::new();
    for (name, specs) in &cases {
        let (options, generation) = generate(temp.path(), name, specs);
        let generation = generation.unwrap_or_else(|e| panic!("{name}: {e}"));
        regen::write_generation(&generation, &options.out_dir).unwrap();
        for (version, _) in specs {
            let version_dir = options.out_dir.join(format!("v{}", version.replace('.', "_")));
            // The endpoint crate finds the transport beside generated/ in the project; here it
            // is the project's own.
            let manifest = version_dir.join("api/Cargo.toml");
            let text = std::fs::read_to_string(&manifest).unwrap();
            std::fs::write(
                &manifest,
                text.replace("path = \"../../../transport\"", &format!("path = {:?}", transport.display().to_string())),
            )
            .unwrap();
            for krate in ["models", "api"] {
                members.push(version_dir.join(krate).strip_prefix(temp.path()).unwrap().display().to_string());
            }
        }
    }
    assert_generated(temp.path());

    let list: String = members.iter().map(|m| format!("    {m:?},\n")).collect();
    std::fs::write(temp.path().join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [\n{list}]\n"))
        .unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), temp.path().join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--workspace", "--all-features"])
        .current_dir(temp.path())
        .env("CARGO_TARGET_DIR", workspace().join("target/hostile-specs-check"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the generated crates do not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// What the compiling cases must have become (read from the written files).
fn assert_generated(root: &Path) {
    let models = |case: &str, version: &str| -> String {
        let dir = root.join(format!("{case}/generated/v{version}/models/src"));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
    };
    let api_dir = root.join("tag_names/generated/v1_60/api/src");
    for module in [
        "tag_1tag",
        "tag_fn",
        "tag_self",
        "tag_super",
        "tag_lib",
        "tag_main",
        "tag_gates",
        "tag_testing",
        "tag_models",
        "u00fc_n_u00ef_code",
        "u5bb9_u5668",
        "tag",
    ] {
        assert!(api_dir.join(format!("{module}.rs")).is_file(), "no module {module} in {}", api_dir.display());
    }
    let enums = models("enum_values", "1_61");
    for variant in ["SelfValue,", "Super,", "Crate,", "Fn,", "V1,", "Empty,", "Type,", "RType,", "Other2,"] {
        assert!(enums.contains(variant), "no variant {variant}:\n{enums}");
    }
    let recursive = models("recursive_types", "1_62");
    for field in [
        "Option<Box<Node>>",
        "Option<Box<B>>",
        "Option<Box<AliasOfA>>",
        "Option<Box<BInner>>",
        "Option<Box<A>>",
        "Option<Vec<Tree>>",
    ] {
        assert!(recursive.contains(field), "no {field}:\n{recursive}");
    }
    let gates =
        std::fs::read_to_string(root.join("recursive_across_versions/generated/v1_66/api/src/gates.rs")).unwrap();
    assert!(gates.contains("impl Gate for models::Node") && gates.contains("\"Label\""), "{gates}");
    let std_names = models("std_names", "1_63");
    for renamed in [
        "pub enum ResultType",
        "pub struct OptionType",
        "pub type VecType",
        "pub struct StringType",
        "pub struct BoxType",
        "pub enum DefaultType",
        "pub struct FromType",
        "pub struct SelfType",
    ] {
        assert!(std_names.contains(renamed), "no {renamed}:\n{std_names}");
    }
}

// ---------------------------------------------------------------------------------------------
// Cases that are errors with file and pointer

#[test]
fn alias_of_itself() {
    let yaml =
        spec("1.70", "  - name: T\n", &get("/t", "TGet", "T", "Loop"), "  Loop:\n    $ref: \"#/definitions/Loop\"\n");
    insta::assert_snapshot!(error_of("1.70", &yaml));
}

#[test]
fn alias_cycle_through_an_array() {
    let definitions =
        "  A:\n    $ref: \"#/definitions/B\"\n  B:\n    type: array\n    items: { $ref: \"#/definitions/A\" }\n";
    let yaml = spec("1.71", "  - name: T\n", &get("/t", "TGet", "T", "A"), definitions);
    insta::assert_snapshot!(error_of("1.71", &yaml));
}

#[test]
fn operation_ids_equal_after_case_conversion() {
    let paths = format!("{}{}", get("/a", "ContainerList", "T", "Thing"), get("/b", "containerList", "T", "Thing"));
    insta::assert_snapshot!(error_of("1.72", &spec("1.72", "  - name: T\n", &paths, THING)));
}

#[test]
fn operation_ids_that_are_docker_methods() {
    let errors: Vec<String> = ["New", "FromEnv", "Client", "ApiVersion"]
        .iter()
        .map(|id| error_of("1.73", &spec("1.73", "  - name: T\n", &get("/a", id, "T", "Thing"), THING)))
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
}

#[test]
fn enum_values_equal_as_variants() {
    let definitions =
        "  Mode:\n    type: string\n    enum: [self, Self]\n  Level:\n    type: integer\n    enum: [1, -1]\n";
    let string = error_of(
        "1.74",
        &spec(
            "1.74",
            "  - name: T\n",
            &get("/t", "TGet", "T", "Mode"),
            &definitions[..definitions.find("  Level").unwrap()],
        ),
    );
    let integer = error_of(
        "1.74",
        &spec(
            "1.74",
            "  - name: T\n",
            &get("/t", "TGet", "T", "Level"),
            &definitions[definitions.find("  Level").unwrap()..],
        ),
    );
    insta::assert_snapshot!(format!("{string}\n{integer}"));
}

#[test]
fn parameter_names_the_method_uses() {
    let op = |path: &str, params: &str| {
        let paths = format!("  {path}:\n    get:\n      operationId: TGet\n      tags: [T]\n      parameters:\n{params}      responses:\n        200: {{ description: ok }}\n");
        error_of("1.76", &spec("1.76", "  - name: T\n", &paths, THING))
    };
    let errors = [
        op("/t/{options}", "        - { name: options, in: path, required: true, type: string }\n"),
        op("/t", "        - { name: body, in: query, required: true, type: string }\n"),
        op("/t/{id}/{id}", "        - { name: id, in: path, required: true, type: string }\n"),
    ];
    insta::assert_snapshot!(errors.join("\n"));
}

/// 200 KB of nesting: refused before parsing (it used to take a minute), with a clear error.
#[test]
fn deep_nesting_fails_fast() {
    let errors: Vec<String> =
        ["[", "{a: ", "- ["].iter().map(|open| error_of("1.75", &open.repeat(200_000 / open.len()))).collect();
    insta::assert_snapshot!(errors.join("\n"));
}

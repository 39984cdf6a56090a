//! What the peers fail on, checked for every generated type of every version: a field that is
//! `null` (required ones included), a field the type does not know, an enum value the version
//! does not list.

use codegen::ir::TypeKind;
use serde_json::{json, Map, Value};

#[test]
fn every_type_survives_nulls_unknown_fields_and_unknown_enum_values() {
    let mut failures = Vec::new();
    let (mut structs, mut enums) = (0, 0);
    for built in integration_tests::all_versions() {
        let version = built.api.version.to_string();
        for (name, def) in &built.api.types {
            let mut check = |input: Value, expect: Option<Value>| match docker_engine_models_testing::roundtrip(
                &version,
                name,
                input.clone(),
            ) {
                None => failures.push(format!("v{version} {name}: no such type in the crate")),
                Some(Err(e)) => failures.push(format!("v{version} {name}: {input} fails to decode: {e}")),
                Some(Ok(out)) => {
                    if let Some(expected) = expect {
                        if out != expected {
                            failures.push(format!("v{version} {name}: {input} re-encodes as {out}"));
                        }
                    }
                }
            };
            match &def.kind {
                TypeKind::Struct { fields } => {
                    structs += 1;
                    let all_null: Map<String, Value> =
                        fields.iter().map(|f| (f.wire_name.clone(), Value::Null)).collect();
                    // Every field null decodes, and nothing is written back for them.
                    check(Value::Object(all_null), Some(json!({})));
                    check(json!({ "FieldNoVersionHas": [1, {"x": null}] }), Some(json!({})));
                    check(json!({}), Some(json!({})));
                }
                TypeKind::StringEnum { variants, .. } => {
                    enums += 1;
                    check(json!("value-from-a-newer-daemon"), Some(json!("value-from-a-newer-daemon")));
                    for v in variants {
                        check(json!(v.value), Some(json!(v.value)));
                    }
                }
                TypeKind::IntegerEnum { variants, .. } => {
                    enums += 1;
                    check(json!(200), Some(json!(200)));
                    for v in variants {
                        check(json!(v.value), Some(json!(v.value)));
                    }
                }
                TypeKind::Alias { .. } => {}
            }
        }
    }
    assert!(structs > 3000 && enums > 500, "only {structs} structs and {enums} enums checked");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

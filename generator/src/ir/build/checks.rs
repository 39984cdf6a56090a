//! Checks of a lowered spec that stop code that would not compile from being emitted: each
//! failure names the file and the JSON pointer of the offending node.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::SpecError;
use crate::ir::encoding::PathSegment;
use crate::ir::{Operation, Origin, ParamLocation, TypeDef, TypeName, WireKind};

/// Methods `Docker` has besides the operations (see `emit::api`).
pub const DOCKER_METHODS: &[&str] = &["new", "from_env", "from_context", "client", "api_version"];

/// `op` against the operations before it: a repeated operationId, or a method or options
/// struct name another operation (or `Docker` itself) already has, is an error at `op`.
pub fn operation_names(file: &Path, before: &BTreeMap<String, Operation>, op: &Operation) -> Result<(), SpecError> {
    let err = |message: String| Err(SpecError::new(file, &op.pointer, message));
    if let Some(other) = before.get(&op.id) {
        return err(format!("operationId `{}` is used twice (also at {})", op.id, other.pointer));
    }
    if DOCKER_METHODS.contains(&op.method_name.as_str()) {
        return err(format!("operationId `{}` becomes method `{}`, which `Docker` already has", op.id, op.method_name));
    }
    if let Some(other) = before.values().find(|o| o.method_name == op.method_name) {
        return err(format!(
            "operationIds `{}` (at {}) and `{}` both become method `{}`",
            other.id, other.pointer, op.id, op.method_name
        ));
    }
    if let Some(other) = before.values().find(|o| o.options_name == op.options_name) {
        return err(format!(
            "operationIds `{}` (at {}) and `{}` both become options struct `{}`",
            other.id, other.pointer, op.id, op.options_name
        ));
    }
    Ok(())
}

/// Names the method of an operation gives its own arguments and locals (`emit::operation`):
/// a path or required query parameter (an argument) must not take one.
const METHOD_NAMES: &[&str] = &["options", "body", "req"];

/// Parameter names that would clash in the generated method: a path parameter twice in the
/// path (two arguments of one name), an argument named like another argument or local ([`METHOD_NAMES`]), or an optional parameter named `tty` where the
/// options struct has its own `tty` (output and hijacked streams). Needs the wire kinds.
pub fn parameter_names(file: &Path, operations: &BTreeMap<String, Operation>) -> Result<(), SpecError> {
    for op in operations.values() {
        let mut in_path = std::collections::BTreeSet::new();
        for segment in &op.segments {
            if let PathSegment::Param { name, .. } = segment {
                if !in_path.insert(name) {
                    return Err(SpecError::new(
                        file,
                        &op.pointer,
                        format!("path parameter `{name}` appears twice in `{}`", op.path),
                    ));
                }
            }
        }
        let own_tty = matches!(op.wire, WireKind::Output | WireKind::Hijack);
        for p in &op.params {
            let argument = p.location == ParamLocation::Path || (p.location == ParamLocation::Query && p.required);
            if argument && METHOD_NAMES.contains(&p.rust_name.as_str()) || !argument && own_tty && p.rust_name == "tty"
            {
                let message = format!(
                    "parameter `{}` of operation `{}` becomes `{}`, a name the generated method already uses",
                    p.name, op.id, p.rust_name
                );
                return Err(SpecError::new(file, &p.pointer, message));
            }
        }
    }
    Ok(())
}

/// A type alias that refers to itself (`Loop: {$ref: Loop}`, or through other aliases) is an
/// error at the first alias of the cycle.
pub fn alias_cycles(file: &Path, types: &BTreeMap<TypeName, TypeDef>) -> Result<(), SpecError> {
    let Some(cycle) = crate::ir::cycles::alias_cycle(types) else { return Ok(()) };
    let spec_name = |name: &TypeName| match types.get(name).map(|d| &d.origin) {
        Some(Origin::Definition(def)) => def.clone(),
        _ => name.clone(),
    };
    let path: Vec<String> = cycle.iter().map(spec_name).collect();
    let pointer = types.get(&cycle[0]).map(|d| d.pointer.as_str()).unwrap_or_default();
    Err(SpecError::new(file, pointer, format!("type alias refers to itself: {}", path.join(" → "))))
}

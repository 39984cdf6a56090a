//! The version matrix: for every operation, parameter, response, type, property and enum value,
//! the first version that has it, the first that no longer has it, and every change in
//! between — computed from the IRs of all versions (never from generated code).
//!
//! The pipeline, one module per step:
//!
//! 1. [`Matrix::build`] (`build.rs`) lines the versions up into entries ([`Entity`],
//!    `entity.rs`), each with a typed state per version (`state.rs`) whose attributes are named
//!    by [`Attribute`] (`attribute.rs`);
//! 2. [`Matrix::diff`] (`diff.rs`) compares any two versions, and [`classify`] gives each
//!    difference a stable [`ChangeId`] and a [`Level`] (`change_id.rs`) and a message;
//! 3. [`Matrix::operation_cells`] (`grid.rs`) sums the changes up per operation and version;
//! 4. the reports: [`json`] (`generated/matrix.json`), [`markdown`] (`MATRIX.md`, `diffs/*.md`)
//!    and [`html`] (`report.html`), all from [`report_files`]; [`query`] answers
//!    `cargo xtask matrix`.
//!
//! JSON appears only in the reports and where a changed value is printed. The JSON format is
//! documented in `README.md` beside this file.

mod attribute;
mod build;
mod change_id;
pub mod classify;
mod diff;
mod entity;
mod grid;
pub mod html;
pub mod json;
pub mod markdown;
pub mod query;
mod state;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::ir::Api;
use crate::lineage::Lineage;
use crate::version::ApiVersion;

pub use attribute::{Attribute, Fact};
pub use build::spell;
pub use change_id::{ChangeId, Level, PropertyChange, PropertyUse};
pub use classify::Change;
pub use diff::Diff;
pub use entity::{AttributeChange, Entity, EnumLiteral, Info, Kind, Location, Side};
pub use grid::Cell;
pub use state::{
    BodyAttribute, BodyState, Facts, OperationAttribute, OperationState, ParameterAttribute, ParameterState,
    PropertyAttribute, PropertyState, ResponseAttribute, ResponseState, State, TypeAttribute, TypeOrigin, TypeShape,
    TypeState,
};

/// Version of the `matrix.json` format. Bumped when a key is removed or changes meaning;
/// adding keys does not bump it.
pub const FORMAT_VERSION: u64 = 1;

/// The JSON Schema of `matrix.json`, also written to `generated/matrix.schema.json`.
pub const MATRIX_SCHEMA: &str = include_str!("matrix.schema.json");

/// One version's line in the matrix.
#[derive(Debug, Clone)]
pub struct VersionInfo {
    pub version: ApiVersion,
    pub spec_file: String,
    pub sha256: String,
    pub operations: usize,
    pub types: usize,
}

/// The matrix over every version.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub versions: Vec<VersionInfo>,
    pub entities: BTreeMap<(Kind, String), Entity>,
    /// Per version: operation id → keys of every type its parameters, body and responses reach.
    pub op_types: Vec<BTreeMap<String, BTreeSet<String>>>,
    /// Tag name → description (newest wording).
    pub tags: BTreeMap<String, String>,
}

impl Matrix {
    pub fn version_list(&self) -> Vec<ApiVersion> {
        self.versions.iter().map(|v| v.version).collect()
    }

    /// Index of a version in the matrix.
    pub fn index_of(&self, version: ApiVersion) -> Option<usize> {
        self.versions.iter().position(|v| v.version == version)
    }

    pub fn get(&self, kind: Kind, key: &str) -> Option<&Entity> {
        self.entities.get(&(kind, key.to_string()))
    }

    /// The state of an entry at a version.
    pub fn state(&self, kind: Kind, key: &str, vi: usize) -> Option<&State> {
        self.get(kind, key).and_then(|e| e.state(vi))
    }

    /// `GET /containers/{id}/stats`, from the newest version that has the operation.
    pub fn op_label(&self, op: &str) -> String {
        match self.get(Kind::Operation, op).map(|e| &e.info) {
            Some(Info::Operation { method, path, .. }) => format!("{method} {path}"),
            _ => op.to_string(),
        }
    }
}

/// File name of a pair's diff report: `v1.47-v1.48.md`.
pub fn diff_file_name(from: ApiVersion, to: ApiVersion) -> String {
    format!("v{from}-v{to}.md")
}

/// Every report file, keyed by absolute path under `out_dir`: `matrix.json`,
/// `matrix.schema.json`, `MATRIX.md`, `diffs/v1.NN-v1.MM.md`, `report.html`.
pub fn report_files(apis: &[Api], lineage: &Lineage, out_dir: &Path) -> BTreeMap<PathBuf, String> {
    let matrix = Matrix::build_sorted(apis, lineage);
    let pairs = matrix.pairs();
    let mut files = BTreeMap::new();
    files.insert(out_dir.join("matrix.json"), json::matrix_json(&matrix, &pairs));
    files.insert(out_dir.join("matrix.schema.json"), MATRIX_SCHEMA.to_string());
    files.insert(out_dir.join("MATRIX.md"), markdown::matrix_md(&matrix, &pairs));
    for diff in &pairs {
        files.insert(out_dir.join("diffs").join(diff_file_name(diff.from, diff.to)), markdown::diff_md(&matrix, diff));
    }
    files.insert(out_dir.join("report.html"), html::report(&matrix, &pairs));
    files
}

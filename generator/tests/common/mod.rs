//! What the matrix tests share: the real specs built once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::ir::Api;
use codegen::matrix::Matrix;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generator/ is inside the workspace").to_path_buf()
}

/// Every version's IR from the real specs (with the project's overrides).
pub fn apis() -> &'static Vec<Api> {
    static APIS: OnceLock<Vec<Api>> = OnceLock::new();
    APIS.get_or_init(|| {
        let root = workspace();
        let specs = codegen::regen::resolve_specs_dir(None, &root).expect("spec folder");
        codegen::regen::build_apis(&specs, &root.join("specs"), None, None).expect("every spec builds")
    })
}

/// The version matrix of [`apis`].
pub fn m() -> &'static Matrix {
    static MATRIX: OnceLock<Matrix> = OnceLock::new();
    MATRIX.get_or_init(|| Matrix::build(apis()))
}

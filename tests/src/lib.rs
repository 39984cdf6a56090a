//! Shared helpers for the workspace-level tests.

use std::path::{Path, PathBuf};

use codegen::overrides::Overrides;
use codegen::regen::{self, BuiltVersion};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// The spec folder, found the way `cargo xtask regen` finds it.
pub fn specs_dir() -> PathBuf {
    regen::resolve_specs_dir(None, &workspace()).unwrap_or_else(|e| panic!("{e}"))
}

/// The project's overrides.
pub fn overrides() -> Overrides {
    Overrides::load(&workspace().join("specs/overrides.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

/// Every spec version taken through the pipeline, oldest first.
pub fn all_versions() -> Vec<BuiltVersion> {
    let overrides = overrides();
    regen::discover_specs(&specs_dir())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|(version, path)| regen::build_version(&path, version, &overrides).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The lineage of every version and the view (superset IR) each crate is generated from.
pub struct Lineages {
    pub apis: Vec<codegen::ir::Api>,
    pub lineage: codegen::lineage::Lineage,
    pub views: Vec<codegen::lineage::superset::View>,
}

/// [`all_versions`] taken through the lineage stage, as `cargo xtask regen` does.
pub fn lineages() -> Lineages {
    use codegen::lineage::{superset, Lineage, Replacements};
    let apis: Vec<codegen::ir::Api> = all_versions().into_iter().map(|b| b.api).collect();
    let lineage = Lineage::build(&apis);
    let replacements =
        Replacements::load(&workspace().join("specs/replacements.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let views = (0..apis.len()).map(|vi| superset::view(&apis, &lineage, &replacements, vi)).collect();
    Lineages { apis, lineage, views }
}

//! The whole pipeline for every spec version: load → overrides → convert → IR → lineage →
//! files.
//!
//! `cargo xtask regen` is a thin command line over [`generate`] and [`write::apply`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::ir::Api;
use crate::lineage::{self, Lineage, Replacements};
use crate::overrides::Overrides;
use crate::parallel::parallel_map;
use crate::version::{ApiVersion, MIN_VERSION};
use crate::{convert, emit, ir, load, write};

/// The environment variable naming the spec folder when `--specs` is not given.
pub const SPECS_ENV: &str = "DOCKER_API_SPECS";

/// Picks the spec folder: `--specs`, else `$DOCKER_API_SPECS`, else `../shared/specs` beside
/// the workspace, else `specs/upstream/`.
pub fn resolve_specs_dir(explicit: Option<&Path>, workspace: &Path) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return existing_dir(dir, "--specs");
    }
    if let Some(dir) = std::env::var_os(SPECS_ENV).filter(|v| !v.is_empty()) {
        return existing_dir(Path::new(&dir), SPECS_ENV);
    }
    let candidates = [workspace.join("../shared/specs"), workspace.join("specs/upstream")];
    candidates.iter().find(|d| d.is_dir()).cloned().ok_or_else(|| {
        Error::Other(format!(
            "no spec folder found: pass --specs DIR, set ${SPECS_ENV}, or put the v1.NN.yaml files in {} or {}",
            candidates[0].display(),
            candidates[1].display()
        ))
    })
}

fn existing_dir(dir: &Path, source: &str) -> Result<PathBuf> {
    if dir.is_dir() {
        Ok(dir.to_path_buf())
    } else {
        Err(Error::Other(format!("spec folder {} (from {source}) does not exist or is not a folder", dir.display())))
    }
}

/// Every `v1.NN.yaml` with version ≥ 1.40 in `dir`, oldest first.
pub fn discover_specs(dir: &Path) -> Result<Vec<(ApiVersion, PathBuf)>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mut specs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(version) = ApiVersion::from_spec_file_name(&name) {
            if version >= MIN_VERSION {
                specs.push((version, entry.path()));
            }
        }
    }
    specs.sort();
    if specs.is_empty() {
        return Err(Error::Other(format!("no v1.NN.yaml spec (NN ≥ 40) in {}", dir.display())));
    }
    Ok(specs)
}

/// One version taken through the pipeline.
#[derive(Debug)]
pub struct BuiltVersion {
    pub api: Api,
    /// The converted document the IR was built from (overrides applied).
    pub openapi: openapiv3::OpenAPI,
    /// Labels of overrides that cover this version but matched nothing in it.
    pub unmatched_overrides: Vec<String>,
}

/// load → overrides → convert → IR for one spec file.
pub fn build_version(path: &Path, version: ApiVersion, overrides: &Overrides) -> Result<BuiltVersion> {
    let mut spec = load::load_file(path)?;
    let unmatched = overrides.apply(version, &mut spec.document).into_iter().map(|o| o.label()).collect();
    let openapi = convert::convert(path, &spec.document)?;
    let api = ir::build(path, version, &spec.sha256, &openapi)?;
    Ok(BuiltVersion { api, openapi, unmatched_overrides: unmatched })
}

/// Per-version numbers printed by `regen`.
#[derive(Debug, Clone)]
pub struct VersionStats {
    pub version: ApiVersion,
    pub types: usize,
    pub operations: usize,
    pub lines: usize,
    pub elapsed: Duration,
}

/// Everything one run produces, in memory.
#[derive(Debug)]
pub struct Generation {
    /// Absolute path → content.
    pub files: BTreeMap<PathBuf, String>,
    /// Folders whose every file must be in `files` (others are extra).
    pub owned_roots: Vec<PathBuf>,
    pub stats: Vec<VersionStats>,
    pub warnings: Vec<String>,
    pub apis: Vec<Api>,
}

/// Inputs of a run.
#[derive(Debug, Clone)]
pub struct RegenOptions {
    pub specs_dir: PathBuf,
    /// Where the crates and reports go. Nothing outside it is written, except
    /// `versions.toml` when this is the project's own `generated/` ([`Self::versions_toml`]).
    pub out_dir: PathBuf,
    /// `specs/` of the workspace: `overrides.yaml` and `replacements.yaml` are read from it,
    /// and `versions.toml` written when [`Self::versions_toml`] says so.
    pub project_specs_dir: PathBuf,
    pub only: Option<ApiVersion>,
}

impl RegenOptions {
    /// `specs/versions.toml` records which spec produced what is in the project's
    /// `generated/` (the folder beside `project_specs_dir`), so it is written only when
    /// `out_dir` is that folder: a run into any other folder touches nothing outside it (its
    /// files say their spec and its sha256 in their first line anyway).
    pub fn versions_toml(&self) -> Option<PathBuf> {
        let project_out = self.project_specs_dir.parent()?.join("generated");
        same_dir(&project_out, &self.out_dir).then(|| self.project_specs_dir.join("versions.toml"))
    }
}

/// Whether two paths name the same folder: the same canonical path when both exist, else the
/// same absolute path.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => matches!((std::path::absolute(a), std::path::absolute(b)), (Ok(a), Ok(b)) if a == b),
    }
}

/// Runs the pipeline for every version (or just `only`) and returns the files to write.
pub fn generate(options: &RegenOptions) -> Result<Generation> {
    let overrides = Overrides::load(&options.project_specs_dir.join("overrides.yaml"))?;
    let specs = discover_specs(&options.specs_dir)?;
    let all_versions: Vec<ApiVersion> = specs.iter().map(|(v, _)| *v).collect();
    if let Some(only) = options.only {
        if !all_versions.contains(&only) {
            return Err(Error::Other(format!("--only {only}: no v{only}.yaml in {}", options.specs_dir.display())));
        }
    }

    // Every version's IR is built even with --only: crate v1.NN covers every version up to NN.
    let built: Vec<(BuiltVersion, Duration)> = parallel_map(&specs, |(version, path)| {
        let started = Instant::now();
        build_version(path, *version, &overrides).map(|b| (b, started.elapsed()))
    })
    .into_iter()
    .collect::<Result<_>>()?;
    let apis: Vec<Api> = built.iter().map(|(b, _)| b.api.clone()).collect();
    let lineage = Lineage::build(&apis);
    let replacements = Replacements::load(&options.project_specs_dir.join("replacements.yaml"))?;
    if let Some(stale) = replacements.stale(&apis).into_iter().next() {
        return Err(Error::Other(stale));
    }

    let selected: Vec<usize> =
        (0..built.len()).filter(|&vi| options.only.is_none_or(|only| built[vi].0.api.version == only)).collect();
    let emitted: Vec<Emitted> =
        parallel_map(&selected, |&vi| emit_version(options, &built[vi].0, &apis, &lineage, &replacements, vi))
            .into_iter()
            .collect::<Result<_>>()?;

    let mut generation = Generation {
        files: BTreeMap::new(),
        owned_roots: Vec::new(),
        stats: Vec::new(),
        warnings: Vec::new(),
        apis: Vec::new(),
    };
    for (&vi, emitted) in selected.iter().zip(emitted) {
        let (built, build_time) = &built[vi];
        generation.add_version(&built.api, emitted, *build_time, options);
    }
    for (b, _) in &built {
        generation
            .warnings
            .extend(b.unmatched_overrides.iter().map(|label| format!("v{}: {label} matched nothing", b.api.version)));
    }
    generation.apis = apis;
    if options.only.is_none() {
        generation.owned_roots.push(options.out_dir.clone());
    }
    let index = emit::models_index::index_crate(&all_versions).map_err(Error::Other)?;
    for (relative, content) in index {
        generation.files.insert(options.out_dir.join("testing").join(relative), content);
    }
    if options.only.is_none() {
        // The version matrix and diff reports need every version.
        generation.files.extend(crate::matrix::report_files(&generation.apis, &lineage, &options.out_dir));
    }
    if let Some(versions_toml) = options.versions_toml() {
        // With --only, the other versions' entries of versions.toml are kept as they are.
        let previous = std::fs::read_to_string(&versions_toml).unwrap_or_default();
        let written: Vec<&Api> =
            generation.apis.iter().filter(|a| options.only.is_none_or(|o| a.version == o)).collect();
        generation
            .files
            .insert(versions_toml, versions_file(&written, options.only.is_some().then_some(previous.as_str())));
    }
    generation.add_marker(&options.out_dir);
    Ok(generation)
}

/// The files of one version's crates, the lineage warnings about it, and the time it took.
struct Emitted {
    files: BTreeMap<PathBuf, String>,
    /// `openapi/v1.NN.json` (not counted in the crates' lines).
    openapi: String,
    warnings: Vec<String>,
    elapsed: Duration,
}

/// Lineage view of version index `vi` → its models and endpoint crates; its converted
/// document → `openapi/v1.NN.json`.
fn emit_version(
    options: &RegenOptions,
    built: &BuiltVersion,
    apis: &[Api],
    lineage: &Lineage,
    replacements: &Replacements,
    vi: usize,
) -> Result<Emitted> {
    let started = Instant::now();
    let view = lineage::superset::view(apis, lineage, replacements, vi);
    let api = &view.api;
    let context = |e: String| Error::Other(format!("{}: {e}", api.spec_file));
    let version_dir = options.out_dir.join(api.version.dir_name());
    let mut files = BTreeMap::new();
    for (relative, content) in emit::models::models_crate(api).map_err(context)? {
        files.insert(version_dir.join("models").join(relative), content);
    }
    for (relative, content) in emit::api::api_crate(api).map_err(context)? {
        files.insert(version_dir.join("api").join(relative), content);
    }
    let openapi = crate::openapi3::document_json(&built.openapi).map_err(context)?;
    let warnings = view.warnings.iter().map(|w| format!("v{}: {w}", api.version)).collect();
    Ok(Emitted { files, openapi, warnings, elapsed: started.elapsed() })
}

impl Generation {
    /// The [`write::MARKER`] of `out_dir`: every file of this generation in it, and (with
    /// `--only`) the files an earlier run listed outside the folders this run owns.
    fn add_marker(&mut self, out_dir: &Path) {
        let kept: Vec<String> = write::read_marker(out_dir)
            .into_iter()
            .filter(|relative| !self.owned_roots.iter().any(|root| out_dir.join(relative).starts_with(root)))
            .collect();
        let written: Vec<String> = self
            .files
            .keys()
            .filter_map(|path| path.strip_prefix(out_dir).ok())
            .map(|relative| {
                relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
            })
            .collect();
        let content = write::marker_content(kept.iter().chain(&written).map(String::as_str));
        self.files.insert(out_dir.join(write::MARKER), content);
    }

    fn add_version(&mut self, api: &Api, emitted: Emitted, build_time: Duration, options: &RegenOptions) {
        self.warnings.extend(emitted.warnings);
        self.stats.push(VersionStats {
            version: api.version,
            types: api.types.len(),
            operations: api.operations.len(),
            lines: emitted.files.values().map(|c| c.lines().count()).sum(),
            elapsed: build_time + emitted.elapsed,
        });
        self.files.extend(emitted.files);
        self.files
            .insert(options.out_dir.join("openapi").join(crate::openapi3::file_name(api.version)), emitted.openapi);
        if options.only.is_some() {
            self.owned_roots.push(options.out_dir.join(api.version.dir_name()));
        }
    }
}

/// Builds the IR of every spec in `specs_dir` whose version is in `first..=last` (`None`:
/// unbounded), on all cores, oldest first.
pub fn build_apis(
    specs_dir: &Path,
    project_specs_dir: &Path,
    first: Option<ApiVersion>,
    last: Option<ApiVersion>,
) -> Result<Vec<Api>> {
    let overrides = Overrides::load(&project_specs_dir.join("overrides.yaml"))?;
    let mut specs = discover_specs(specs_dir)?;
    specs.retain(|(v, _)| first.is_none_or(|f| *v >= f) && last.is_none_or(|l| *v <= l));
    if specs.is_empty() {
        return Err(Error::Other(format!("no spec in {} is in the requested version range", specs_dir.display())));
    }
    // `parallel_map` keeps the order of `specs`, which is oldest first.
    parallel_map(&specs, |(v, path)| build_version(path, *v, &overrides).map(|b| b.api)).into_iter().collect()
}

/// `specs/versions.toml`: which spec (by sha256) produced what is in `generated/`. With
/// `--only`, the entries of other versions are kept from `previous`.
fn versions_file(apis: &[&Api], previous: Option<&str>) -> String {
    let mut entries: BTreeMap<ApiVersion, (String, String)> = BTreeMap::new();
    if let Some(previous) = previous {
        if let Ok(table) = previous.parse::<toml::Table>() {
            for (key, value) in table.get("versions").and_then(|v| v.as_table()).into_iter().flatten() {
                if let (Ok(v), Some(file), Some(sha)) = (
                    key.parse::<ApiVersion>(),
                    value.get("file").and_then(|f| f.as_str()),
                    value.get("sha256").and_then(|s| s.as_str()),
                ) {
                    entries.insert(v, (file.to_string(), sha.to_string()));
                }
            }
        }
    }
    for api in apis {
        entries.insert(api.version, (api.spec_file.clone(), api.sha256.clone()));
    }
    let mut out = String::from("# Written by `cargo xtask regen`: the spec behind each version in generated/.\n");
    for (version, (file, sha)) in entries {
        out.push_str(&format!("\n[versions.\"{version}\"]\nfile = \"{file}\"\nsha256 = \"{sha}\"\n"));
    }
    out
}

/// The staging folder used by [`write::apply`] for an output folder: inside it, so that a run
/// touches nothing outside the output folder.
pub fn staging_dir(out_dir: &Path) -> PathBuf {
    out_dir.join(write::STAGING)
}

/// Writes a generation to disk (only changed files) and returns the plan that was applied.
pub fn write_generation(generation: &Generation, out_dir: &Path) -> Result<write::Plan> {
    let plan = write::plan(&generation.files, &generation.owned_roots)?;
    write::apply(&generation.files, &plan, &staging_dir(out_dir), &generation.owned_roots)?;
    Ok(plan)
}

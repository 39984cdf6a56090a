//! `cargo xtask …`: the project's maintenance commands (a thin CLI over the generator).
//!
//! ```text
//! cargo xtask regen [--specs DIR] [--out DIR] [--only 1.NN] [--check]
//! cargo xtask bench [--runs N] [--daemon] [--write-readme] …
//! cargo xtask diff FROM TO [--format text|markdown|json|html]
//! cargo xtask matrix QUERY
//! cargo xtask fetch-specs [--specs DIR] [--url TEMPLATE] [--version 1.NN]...
//! ```
//!
//! Paths are those of the workspace around the current directory ([`workspace_root`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::regen::{self, RegenOptions};
use codegen::ApiVersion;

mod bench;
mod diff;
mod fetch;
mod matrix;
mod settle;
mod side_by_side;
mod whats_new;

const USAGE: &str = "usage:
  cargo xtask regen [--specs DIR] [--out DIR] [--only 1.NN] [--check]
      regenerate every crate and report from the v1.NN.yaml specs (NN >= 40);
      --out must be a new or empty folder or one regen made (it has a .docker-engine-generated
      file); specs/versions.toml is only written when --out is the project's generated/
  cargo xtask bench [--runs N] [--build-runs N] [--skip-build] [--regen-only] [--daemon]
                    [--lines N] [--calls N] [--export-mib N] [--write-readme] [--models-baseline REV]
      time regen (in process), then side by side with bollard 0.21 in one run: cold debug
      builds (models crate vs bollard-stubs, endpoint crate vs bollard), demux, JSON streams,
      model decode; --daemon adds logs, exec, export and sequential calls on a real daemon
      (run under tests/daemon/daemon.sh run --); --write-readme puts the table into README.md;
      with --models-baseline, the v1.55 models crate now against git revision REV
  cargo xtask diff FROM TO [--format text|markdown|json|html] [--specs DIR]
      what changed between two API versions (any two), classified for a client of FROM
  cargo xtask matrix QUERY [--specs DIR]
      since when / until when / how something changed, e.g.
      \"GET /containers/{id}/stats one-shot\", NetworkSettings.IPAddress, MountType=cluster
  cargo xtask fetch-specs [--specs DIR] [--url TEMPLATE] [--version 1.NN]...
      download the v1.NN.yaml specs missing from the spec folder (gaps, then newer versions
      until a 404; or exactly the --version ones) from TEMPLATE, else $DOCKER_API_SPEC_URL,
      else https://docs.docker.com/reference/api/engine/version/v{version}.yaml; each is
      checked with the generator's pipeline and written atomically, or not at all";

/// Regen's time is mostly many small allocations (token trees, strings); see xtask/Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => run_regen(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("matrix") => matrix::run(&args[1..]),
        Some("fetch-specs") => fetch::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(true)
        }
        Some(other) => Err(format!("unknown command `{other}`\n{USAGE}")),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The workspace the command works on: the nearest folder, from the current directory up,
/// that has an `xtask/` folder and a `Cargo.toml` with a `[workspace]` table (so a copy of the
/// checkout works on the copy); else the workspace this binary was compiled in.
pub fn workspace_root() -> PathBuf {
    std::env::current_dir().ok().and_then(|dir| find_workspace(&dir)).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
    })
}

/// The nearest of `start` and its ancestors that is this project's workspace root.
pub fn find_workspace(start: &Path) -> Option<PathBuf> {
    let is_root = |dir: &Path| {
        dir.join("xtask").is_dir()
            && std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|toml| toml.lines().any(|l| l.trim() == "[workspace]"))
    };
    start.ancestors().find(|dir| is_root(dir)).map(Path::to_path_buf)
}

/// Flags shared by `regen` and `bench`.
pub struct RegenArgs {
    pub specs: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub only: Option<ApiVersion>,
    pub check: bool,
}

pub fn parse_regen_args(args: &[String]) -> Result<RegenArgs, String> {
    let mut parsed = RegenArgs { specs: None, out: None, only: None, check: false };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--specs" => parsed.specs = Some(PathBuf::from(value("--specs")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--only" => parsed.only = Some(value("--only")?.parse().map_err(|e| format!("--only: {e}"))?),
            "--check" => parsed.check = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

pub fn regen_options(args: &RegenArgs) -> Result<RegenOptions, String> {
    let root = workspace_root();
    let specs_dir = regen::resolve_specs_dir(args.specs.as_deref(), &root).map_err(|e| e.to_string())?;
    // Absolute, so that versions.toml is written exactly when it is the project's generated/.
    let out_dir = match &args.out {
        Some(out) => std::path::absolute(out).map_err(|e| format!("--out {}: {e}", out.display()))?,
        None => root.join("generated"),
    };
    Ok(RegenOptions { specs_dir, out_dir, project_specs_dir: root.join("specs"), only: args.only })
}

fn run_regen(args: &[String]) -> Result<bool, String> {
    let args = parse_regen_args(args)?;
    let options = regen_options(&args)?;
    let started = Instant::now();
    let generation = regen::generate(&options).map_err(|e| e.to_string())?;
    for s in &generation.stats {
        println!(
            "v{:<5} {:>4} types {:>4} operations {:>7} lines {:>6} ms",
            s.version.to_string(),
            s.types,
            s.operations,
            s.lines,
            s.elapsed.as_millis()
        );
    }
    for warning in &generation.warnings {
        eprintln!("warning: {warning}");
    }
    let plan = codegen::write::plan(&generation.files, &generation.owned_roots).map_err(|e| e.to_string())?;
    for path in &plan.foreign {
        eprintln!("note: left alone (not written by regen): {}", path.display());
    }
    let total_lines: usize = generation.stats.iter().map(|s| s.lines).sum();
    if args.check {
        if plan.is_clean() {
            println!(
                "up to date: {} files checked ({} versions, {} lines) in {} ms",
                generation.files.len(),
                generation.stats.len(),
                total_lines,
                started.elapsed().as_millis()
            );
            return Ok(true);
        }
        eprint!("{}", plan.describe());
        eprintln!("generated files are out of date: run `cargo xtask regen`");
        return Ok(false);
    }
    // Apply the plan computed above rather than comparing every file with the disk again.
    codegen::write::apply(&generation.files, &plan, &regen::staging_dir(&options.out_dir), &generation.owned_roots)
        .map_err(|e| e.to_string())?;
    println!(
        "total: {} versions, {} files ({} written, {} removed, {} unchanged), {} lines in {} ms",
        generation.stats.len(),
        generation.files.len(),
        plan.stale.len() + plan.missing.len(),
        plan.extra.len(),
        plan.unchanged,
        total_lines,
        started.elapsed().as_millis()
    );
    if let Some(summary) = whats_new::summary(&generation.apis) {
        print!("{summary}");
    }
    Ok(true)
}

//! `cargo xtask bench`: the speed numbers quoted in the README.
//!
//! - regen: the whole pipeline for every spec, in process (nothing written), best and median
//!   of N runs;
//! - the version matrix and its reports alone, from already-built IRs;
//! - a cold debug build of one models crate with its dependencies, in a fresh target folder.

use std::process::Command;
use std::time::{Duration, Instant};

use codegen::regen;

use crate::{parse_regen_args, regen_options, workspace_root};

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut runs = 5usize;
    let mut skip_build = false;
    let mut rest = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--runs" => runs = iter.next().and_then(|n| n.parse().ok()).ok_or("--runs needs a number")?,
            "--skip-build" => skip_build = true,
            _ => rest.push(arg.clone()),
        }
    }
    let options = regen_options(&parse_regen_args(&rest)?)?;

    let mut times: Vec<Duration> = Vec::new();
    let mut versions = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let generation = regen::generate(&options).map_err(|e| e.to_string())?;
        codegen::write::plan(&generation.files, &generation.owned_roots).map_err(|e| e.to_string())?;
        times.push(started.elapsed());
        versions = generation.stats.len();
    }
    times.sort();
    println!(
        "regen, {versions} versions, in process (generate + compare with disk): best {} ms, median {} ms over {} runs",
        times[0].as_millis(),
        times[times.len() / 2].as_millis(),
        times.len()
    );

    // The version matrix and every report alone (part of the regen time above), from IRs
    // already built.
    let apis = codegen::regen::build_apis(&options.specs_dir, &options.project_specs_dir, None, None).map_err(|e| e.to_string())?;
    let mut matrix_times: Vec<Duration> = Vec::new();
    let mut report_files = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let lineage = codegen::lineage::Lineage::build(&apis);
        report_files = codegen::matrix::report_files(&apis, &lineage, &options.out_dir).len();
        matrix_times.push(started.elapsed());
    }
    matrix_times.sort();
    println!(
        "matrix + reports ({report_files} files) from {} IRs: best {} ms, median {} ms over {} runs",
        apis.len(),
        matrix_times[0].as_millis(),
        matrix_times[matrix_times.len() / 2].as_millis(),
        matrix_times.len()
    );

    if !skip_build {
        // Compared with bollard-stubs (~18 s) and bollard (~60 s) on the same machine.
        for package in ["docker-engine-models-v1-55", "docker-engine-api-v1-55"] {
            let target = tempfile_dir()?;
            let started = Instant::now();
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", package])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(workspace_root())
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            let elapsed = started.elapsed();
            let _ = std::fs::remove_dir_all(&target);
            if !status.success() {
                return Err(format!("cargo build -p {package} failed"));
            }
            println!("cold debug build of {package} with its dependencies: {:.1} s", elapsed.as_secs_f64());
        }
    }
    Ok(true)
}

fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

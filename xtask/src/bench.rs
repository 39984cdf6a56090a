//! `cargo xtask bench`: the speed numbers quoted in the README.
//!
//! - regen: the whole pipeline for every spec, in process (nothing written), best and median
//!   of N runs;
//! - the version matrix and its reports alone, from already-built IRs;
//! - side by side with bollard (`side_by_side`): cold debug builds and the `bench/side-by-side`
//!   program, the end-to-end figures too with `--daemon` (under `tests/daemon/daemon.sh run`);
//! - with `--models-baseline REV`: the v1.55 models crate as it is now and as it was at git
//!   revision REV, each copied out on its own with the workspace's `Cargo.lock`, built cold
//!   in turns (N runs each), so the cost of a change to the models is measured in one run.

use std::process::Command;
use std::time::{Duration, Instant};

use codegen::regen;

use crate::side_by_side;
use crate::{parse_regen_args, regen_options, workspace_root};

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut runs = 5usize;
    let mut skip_build = false;
    let mut baseline: Option<String> = None;
    let mut rest = Vec::new();
    let mut side = side_by_side::Options {
        runs: 3,
        build_runs: 1,
        skip_build: false,
        daemon: false,
        write_readme: false,
        command: format!("cargo xtask bench {}", args.join(" ")).trim_end().to_owned(),
        program_args: Vec::new(),
        rows: Vec::new(),
    };
    let mut regen_only = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--runs" => runs = iter.next().and_then(|n| n.parse().ok()).ok_or("--runs needs a number")?,
            "--build-runs" => {
                side.build_runs = iter.next().and_then(|n| n.parse().ok()).ok_or("--build-runs needs a number")?
            }
            "--lines" | "--calls" | "--export-mib" => {
                side.program_args.push(arg.clone());
                side.program_args.push(iter.next().ok_or(format!("{arg} needs a number"))?.clone());
            }
            "--daemon" => side.daemon = true,
            "--write-readme" => side.write_readme = true,
            "--regen-only" => regen_only = true,
            "--skip-build" => skip_build = true,
            "--models-baseline" => {
                baseline = Some(iter.next().ok_or("--models-baseline needs a git revision")?.clone())
            }
            _ => rest.push(arg.clone()),
        }
    }
    let options = regen_options(&parse_regen_args(&rest)?)?;
    if let Some(rev) = baseline {
        return models_before_after(&rev, runs).map(|()| true);
    }

    crate::settle::wait_until_quiet(Duration::from_secs(60));
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
    let apis = codegen::regen::build_apis(&options.specs_dir, &options.project_specs_dir, None, None)
        .map_err(|e| e.to_string())?;
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

    if regen_only {
        return Ok(true);
    }
    side.rows.push(format!(
        "| `regen` of all {versions} versions in process (generate + compare with disk), release; median of {} (project only) | {} ms | — | — | best {} ms; of which matrix + reports: median {} ms |",
        times.len(),
        times[times.len() / 2].as_millis(),
        times[0].as_millis(),
        matrix_times[matrix_times.len() / 2].as_millis()
    ));
    side.runs = runs;
    side.skip_build = skip_build;
    side_by_side::run(&side)?;
    Ok(true)
}

const MODELS_DIR: &str = "generated/v1_55/models";

/// Cold debug builds of the v1.55 models crate at `rev` and now, alternating, `runs` each.
fn models_before_after(rev: &str, runs: usize) -> Result<(), String> {
    let root = workspace_root();
    let scratch = tempfile_dir()?;
    let before = scratch.join("before");
    let after = scratch.join("after");
    for dir in [&before, &after] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // `git archive` + `tar -x`: the crate exactly as committed at REV.
    let tarball = scratch.join("before.tar");
    let archive = Command::new("git")
        .args(["archive", "--format=tar", "-o"])
        .arg(&tarball)
        .args([rev, MODELS_DIR])
        .current_dir(&root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        return Err(format!("git archive {rev} {MODELS_DIR}: {}", String::from_utf8_lossy(&archive.stderr).trim()));
    }
    let unpacked = Command::new("tar")
        .arg("-xf")
        .arg(&tarball)
        .arg("-C")
        .arg(&before)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !unpacked.success() {
        return Err(format!("tar -xf {}", tarball.display()));
    }
    copy_dir(&root.join(MODELS_DIR), &after.join(MODELS_DIR))?;
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..runs.max(1) {
        for (i, base) in [&before, &after].into_iter().enumerate() {
            let krate = base.join(MODELS_DIR);
            // A crate of its own (not a workspace member) with the workspace's locked versions.
            std::fs::copy(root.join("Cargo.lock"), krate.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
            let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).map_err(|e| e.to_string())?;
            if !manifest.contains("[workspace]") {
                std::fs::write(krate.join("Cargo.toml"), format!("{manifest}\n[workspace]\n"))
                    .map_err(|e| e.to_string())?;
            }
            let target = scratch.join("target");
            let _ = std::fs::remove_dir_all(&target);
            let started = Instant::now();
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "--offline"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(&krate)
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if !status.success() {
                return Err(format!("cargo build in {} failed", krate.display()));
            }
            times[i].push(started.elapsed().as_secs_f64());
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (b, a) = (median(&mut times[0]), median(&mut times[1]));
    println!(
        "cold debug build of docker-engine-models-v1-55 with its dependencies, median of {runs}: at {rev} {b:.1} s, now {a:.1} s ({:+.1} %)",
        (a / b - 1.0) * 100.0
    );
    Ok(())
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

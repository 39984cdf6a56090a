//! `cargo xtask bench`, side by side with bollard: cold debug builds of a models crate against
//! bollard-stubs and of an endpoint crate against bollard (both with default features), built
//! in turns in fresh target folders; then the `bench/side-by-side` program (release), which
//! measures both clients on the same inputs in one run. bollard comes from the registry into
//! that program and into temporary projects under `target/`, never into a shipped crate.
//!
//! Prints one Markdown table (command, machine, figures); `--write-readme` puts it into the
//! README between the `bench:side-by-side` markers, so no figure there is typed by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::workspace_root;

const BOLLARD: &str = "bollard = \"=0.21.1\"";
const STUBS: &str = "bollard-stubs = \"=1.53.1-rc.29.3.1\"";
const MODELS: &str = "docker-engine-models-v1-53";
const API: &str = "docker-engine-api-v1-53";
/// The commit before the keep-alive pool (issue 10's "today"), whose transport the TLS calls
/// are also measured with.
const BEFORE_POOL: &str = "0d537b2d13a3a660be809c2ebd147e90b6546ce1";
const START: &str = "<!-- bench:side-by-side:start -->";
const END: &str = "<!-- bench:side-by-side:end -->";

pub struct Options {
    pub runs: usize,
    pub build_runs: usize,
    pub skip_build: bool,
    pub daemon: bool,
    pub write_readme: bool,
    pub command: String,
    /// Extra arguments for the bench program (`--lines`, `--calls`, ...).
    pub program_args: Vec<String>,
    /// Rows measured before (regen).
    pub rows: Vec<String>,
}

pub fn run(o: &Options) -> Result<(), String> {
    let root = workspace_root();
    let started = Instant::now();
    let mut rows = o.rows.clone();
    if !o.skip_build {
        rows.extend(cold_builds(&root, o.build_runs)?);
    }
    rows.extend(program(&root, o)?);
    let table = table(o, &rows, started.elapsed().as_secs_f64());
    println!("{table}");
    if o.write_readme {
        write_readme(&root.join("README.md"), &table)?;
        println!("README.md: side-by-side table replaced");
    }
    Ok(())
}

/// A project of its own under `target/` that depends on `dep` only (not a workspace member).
fn bollard_project(root: &Path, name: &str, dep: &str) -> Result<PathBuf, String> {
    let dir = root.join("target/side-by-side-builds").join(name);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{dep}\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
    // The bench program's lock file: the same bollard dependency versions as it measures.
    let lock = root.join("bench/side-by-side/Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

/// Seconds for `cargo build -p package` in `dir` with an empty target folder.
fn cold_build(dir: &Path, package: &str) -> Result<f64, String> {
    let target = dir.join("target-cold");
    let _ = std::fs::remove_dir_all(&target);
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", package])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&target);
    if !status.success() {
        return Err(format!("cargo build -p {package} in {} failed", dir.display()));
    }
    Ok(elapsed)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Cold debug builds, ours and bollard's in turns; one row per pair.
fn cold_builds(root: &Path, runs: usize) -> Result<Vec<String>, String> {
    let stubs = bollard_project(root, "stubs-build", STUBS)?;
    let bollard = bollard_project(root, "bollard-build", BOLLARD)?;
    // Download first, so no build below waits for the network.
    for dir in [&stubs, &bollard] {
        let status = Command::new(env!("CARGO")).args(["fetch", "--quiet"]).current_dir(dir).status();
        if !status.map(|s| s.success()).unwrap_or(false) {
            return Err(format!("cargo fetch in {} failed", dir.display()));
        }
    }
    let scratch = root.join("target/side-by-side-builds/project");
    let pairs = [
        (MODELS, "bollard-stubs", &stubs, "models crate (v1.53) vs bollard-stubs 1.53.1"),
        (API, "bollard", &bollard, "endpoint crate (v1.53, default features) vs bollard 0.21.1 (default features)"),
    ];
    let mut rows = Vec::new();
    for (ours, theirs, dir, what) in pairs {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..runs.max(1) {
            eprintln!("bench: cold debug build of {ours}");
            a.push(cold_build_in_workspace(root, &scratch, ours)?);
            eprintln!("bench: cold debug build of {theirs}");
            b.push(cold_build(dir, theirs)?);
        }
        let (a, b) = (median(a), median(b));
        rows.push(format!(
            "| cold debug build with dependencies, {what}, median of {} | {a:.1} s | {b:.1} s | {:.2}× (project ÷ bollard: {:.2}) | — |",
            runs.max(1),
            b / a,
            a / b
        ));
    }
    Ok(rows)
}

/// A cold build of a workspace package into `scratch` (removed afterwards).
fn cold_build_in_workspace(root: &Path, scratch: &Path, package: &str) -> Result<f64, String> {
    let _ = std::fs::remove_dir_all(scratch);
    let started = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", package])
        .env("CARGO_TARGET_DIR", scratch)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let elapsed = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(scratch);
    if !status.success() {
        return Err(format!("cargo build -p {package} failed"));
    }
    Ok(elapsed)
}

/// `cargo build` or `cargo test`, release, of the project in `dir` into `target`.
fn cargo_release(dir: &Path, target: &Path, what: &str) -> Result<(), String> {
    let status = Command::new(env!("CARGO"))
        .args([what, "--quiet", "--release"])
        .env("CARGO_TARGET_DIR", target)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {what} in {} failed", dir.display()))
    }
}

/// Builds and runs the bench program; its stdout is table rows.
fn program(root: &Path, o: &Options) -> Result<Vec<String>, String> {
    let dir = root.join("bench/side-by-side");
    let target = root.join("target/side-by-side");
    eprintln!("bench: building bench/side-by-side (release) and running its tests");
    cargo_release(&dir, &target, "build")?;
    // Its own tests: the balanced order of the real-daemon figures.
    cargo_release(&dir, &target, "test")?;
    let mut cmd = Command::new(target.join("release/side-by-side"));
    cmd.args(["--runs", &o.runs.to_string()]).args(&o.program_args);
    if o.daemon {
        cmd.arg("--daemon").arg("--before").arg(before_pool(root)?);
    }
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("cannot run the bench program: {e}"))?;
    if !out.status.success() {
        return Err(String::from("the bench program failed (see above)"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect())
}

/// Builds `bench/before-pool/main.rs` against the transport and v1.53 crates of
/// [`BEFORE_POOL`], extracted from git (with that commit's lock file); returns the binary.
fn before_pool(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/side-by-side-builds/before-pool");
    let tree = dir.join("tree");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    // The commit never changes: extract it once, so later runs build nothing again (a fresh
    // extraction has new mtimes, and cargo would rebuild the old crates every time).
    let extracted = tree.join(".extracted");
    if std::fs::read_to_string(&extracted).ok().as_deref() != Some(BEFORE_POOL) {
        extract_before_pool(root, &tree)?;
        std::fs::write(&extracted, BEFORE_POOL).map_err(|e| format!("{}: {e}", extracted.display()))?;
    }
    eprintln!("bench: building the transport of {BEFORE_POOL} (before the pool)");
    std::fs::write(dir.join("Cargo.toml"), before_pool_manifest(root)?).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("bench/before-pool/main.rs"), dir.join("src/main.rs")).map_err(|e| e.to_string())?;
    std::fs::copy(tree.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    cargo_release(&dir, &dir.join("target"), "build")?;
    Ok(dir.join("target/release/before-pool"))
}

/// `git archive` of the pre-pool transport and v1.53 crates (and the lock file) into `tree`.
fn extract_before_pool(root: &Path, tree: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(tree);
    std::fs::create_dir_all(tree).map_err(|e| format!("{}: {e}", tree.display()))?;
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", BEFORE_POOL, "transport", "generated/v1_53", "Cargo.lock"])
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let unpacked = Command::new("tar")
        .args(["-x", "-C"])
        .arg(tree)
        .stdin(archive.stdout.take().ok_or("git archive: no stdout")?)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let archived = archive.wait().map_err(|e| format!("git archive: {e}"))?;
    if !archived.success() || !unpacked.success() {
        return Err(format!("git archive {BEFORE_POOL} | tar -x failed (a shallow clone lacks that commit)"));
    }
    Ok(())
}

/// The pre-pool program's manifest. The transport of that commit inherits its edition and
/// dependency versions from its workspace, so this workspace takes those sections over.
fn before_pool_manifest(root: &Path) -> Result<String, String> {
    let out = Command::new("git")
        .args(["show", &format!("{BEFORE_POOL}:Cargo.toml")])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let old = String::from_utf8_lossy(&out.stdout);
    let inherited = old
        .find("[workspace.package]")
        .map(|at| &old[at..])
        .ok_or_else(|| format!("{BEFORE_POOL}:Cargo.toml has no [workspace.package]"))?;
    Ok(format!(
        "[package]\nname = \"before-pool\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n\
         docker-engine-api-v1-53 = {{ path = \"tree/generated/v1_53/api\" }}\n\
         docker-engine-transport = {{ path = \"tree/transport\" }}\n\
         tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\n\
         [workspace]\nresolver = \"3\"\n\n{inherited}"
    ))
}

/// What the figures were measured on.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| String::from("unknown CPU"));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc =
        Command::new("rustc").arg("-V").output().ok().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    format!("{cpu}, {cores} cores, {}", rustc.unwrap_or_default())
}

fn table(o: &Options, rows: &[String], seconds: f64) -> String {
    let mut t = format!(
        "Command: `{}` — machine: {} — whole run {:.0} s; medians of {} runs (the cheap fake-daemon and in-memory figures 5× as many, model decode 3×; builds: {}), both sides interleaved (on the real daemon each figure in whole rounds of a balanced order, at least as many as the runs: each side comes first and follows every other side equally often; logs: 4 sides, so rounds in fours; attach 2; exec and export 3, so sixes), after waiting for the machine to be quiet. \
         Ratio: bollard's time ÷ the project's (above 1: the project is faster).\n\n\
         | figure | this project | bollard 0.21 | ratio | reference |\n|---|---|---|---|---|\n",
        if o.daemon { format!("tests/daemon/daemon.sh run -- {}", o.command) } else { o.command.clone() },
        machine(),
        seconds,
        o.runs,
        o.build_runs
    );
    for r in rows {
        t.push_str(r);
        t.push('\n');
    }
    t
}

/// Replaces the text between the markers (which must exist) with `table`.
fn write_readme(path: &Path, table: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(a), Some(b)) = (text.find(START), text.find(END)) else {
        return Err(format!("{}: no {START} … {END} markers", path.display()));
    };
    let new = format!("{}{START}\n{table}{}", &text[..a], &text[b..]);
    std::fs::write(path, new).map_err(|e| format!("{}: {e}", path.display()))
}

//! `cargo xtask regen` touches only what it should: it works on the workspace around the
//! current directory (not the one it was compiled in), writes nothing outside `--out` when
//! `--out` is not the project's `generated/`, and never writes into, or deletes from, a folder
//! it did not make.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = r##"swagger: "2.0"
basePath: /v1.99
info: { title: t, version: "1.99" }
produces: [application/json]
consumes: [application/json]
tags: [{ name: Thing }]
paths:
  /things:
    get:
      operationId: ThingList
      tags: [Thing]
      responses:
        200:
          description: ok
          schema: { type: array, items: { $ref: "#/definitions/Thing" } }
definitions:
  Thing:
    type: object
    properties:
      Name: { type: string }
"##;

/// A copy of a checkout, as far as xtask cares: `Cargo.toml` with `[workspace]`, `xtask/`,
/// `specs/`, and a spec in `specs/upstream/`.
fn fake_workspace(temp: &Path) -> PathBuf {
    let ws = temp.join("ws");
    std::fs::create_dir_all(ws.join("xtask/src")).unwrap();
    std::fs::create_dir_all(ws.join("specs/upstream")).unwrap();
    std::fs::write(ws.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::write(ws.join("specs/upstream/v1.99.yaml"), SPEC).unwrap();
    ws
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .env_remove("DOCKER_API_SPECS")
        .output()
        .unwrap();
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Every file below `root` with its content.
fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn works_on_the_workspace_around_the_current_directory() {
    let temp = tempfile::tempdir().unwrap();
    let ws = fake_workspace(temp.path());
    // Started in a subfolder of the copy, as `cargo xtask` may be.
    assert!(xtask(&ws.join("xtask/src"), &["regen"]).status.success());
    assert!(ws.join("generated/v1_99/models/Cargo.toml").is_file());
    assert!(ws.join("generated/.docker-engine-generated").is_file());
    let versions = std::fs::read_to_string(ws.join("specs/versions.toml")).unwrap();
    assert!(versions.contains("[versions.\"1.99\"]"), "{versions}");
    let compiled_in = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    assert!(!compiled_in.join("generated/v1_99").exists(), "wrote into the checkout xtask was compiled in");

    // A second run is clean, and `--check` agrees.
    let check = xtask(&ws, &["regen", "--check"]);
    assert!(check.status.success());
}

#[test]
fn out_elsewhere_writes_nothing_outside_it() {
    let temp = tempfile::tempdir().unwrap();
    let ws = fake_workspace(temp.path());
    let before = tree(&ws);
    let out = temp.path().join("elsewhere");
    let specs = ws.join("specs/upstream");
    let status = xtask(&ws, &["regen", "--specs", specs.to_str().unwrap(), "--out", out.to_str().unwrap()]).status;
    assert!(status.success());
    assert!(out.join("v1_99/api/src/lib.rs").is_file());
    assert_eq!(tree(&ws), before, "the workspace changed (specs/versions.toml?)");
    let mut top: Vec<String> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["elsewhere", "ws"], "something was written beside the output folder");

    // A relative --out that is the project's generated/ does write versions.toml.
    assert!(xtask(&ws, &["regen", "--out", "generated"]).status.success());
    assert!(ws.join("specs/versions.toml").is_file());
}

#[test]
fn out_never_deletes_what_regen_did_not_write() {
    let temp = tempfile::tempdir().unwrap();
    let ws = fake_workspace(temp.path());
    let out = temp.path().join("mine");
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git/config"), "[core]\n").unwrap();
    std::fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    let before = tree(&out);

    // Not empty and not made by regen: refused, nothing written or removed.
    let refused = xtask(&ws, &["regen", "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refusing to write into"));
    assert_eq!(tree(&out), before);

    // A folder regen made keeps the user's files that are added to it later.
    let made = temp.path().join("made");
    assert!(xtask(&ws, &["regen", "--out", made.to_str().unwrap()]).status.success());
    std::fs::create_dir_all(made.join(".git")).unwrap();
    std::fs::write(made.join(".git/config"), "[core]\n").unwrap();
    std::fs::write(made.join("v1_99/notes.txt"), "my notes\n").unwrap();
    // The version goes away: its generated files go, the notes stay.
    std::fs::rename(ws.join("specs/upstream/v1.99.yaml"), ws.join("specs/upstream/v1.98.yaml")).unwrap();
    let spec = std::fs::read_to_string(ws.join("specs/upstream/v1.98.yaml")).unwrap();
    std::fs::write(ws.join("specs/upstream/v1.98.yaml"), spec.replace("1.99", "1.98")).unwrap();
    let rerun = xtask(&ws, &["regen", "--out", made.to_str().unwrap()]);
    assert!(rerun.status.success());
    assert!(String::from_utf8_lossy(&rerun.stderr).contains("left alone (not written by regen)"));
    assert!(made.join("v1_98/models/src/lib.rs").is_file());
    assert!(!made.join("v1_99/models").exists() && !made.join("v1_99/api").exists());
    assert_eq!(std::fs::read_to_string(made.join("v1_99/notes.txt")).unwrap(), "my notes\n");
    assert_eq!(std::fs::read_to_string(made.join(".git/config")).unwrap(), "[core]\n");
}

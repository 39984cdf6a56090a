//! Replays the fuzz corpora on stable: every file under `fuzz/corpus/<target>/` and
//! `fuzz/artifacts/<target>/` goes through the same target body `cargo fuzz` runs (the modules
//! below are the files of `fuzz/src/`), and must not panic. Fuzzing itself needs nightly; see
//! `fuzz/README.md`.

use std::path::{Path, PathBuf};

use docker_engine_api_v1_55::transport;

#[path = "../../fuzz/src/common.rs"]
mod common;
#[path = "../../fuzz/src/demux.rs"]
mod demux;
#[path = "../../fuzz/src/error_body.rs"]
mod error_body;
#[path = "../../fuzz/src/json_stream.rs"]
mod json_stream;
#[path = "../../fuzz/src/spec.rs"]
mod spec;

/// The demux target checks the size of allocations, as under `cargo fuzz`.
#[global_allocator]
static ALLOC: common::Tracking = common::Tracking;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs `body` on every input of `target`; returns how many there were.
fn replay(target: &str, body: fn(&[u8])) -> usize {
    let mut inputs = Vec::new();
    for dir in ["corpus", "artifacts"] {
        let dir = fuzz_dir().join(dir).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("read a corpus directory").path();
            if path.is_file() {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    for path in &inputs {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            panic!("fuzz target `{target}` panics on {}", path.display());
        }
    }
    inputs.len()
}

#[test]
fn demux_corpus() {
    assert!(replay("demux", demux::run) > 0, "no corpus for demux");
}

#[test]
fn json_stream_corpus() {
    assert!(replay("json_stream", json_stream::run) > 0, "no corpus for json_stream");
}

#[test]
fn error_body_corpus() {
    assert!(replay("error_body", error_body::run) > 0, "no corpus for error_body");
}

#[test]
fn spec_corpus() {
    assert!(replay("spec", spec::run) > 0, "no corpus for spec");
}

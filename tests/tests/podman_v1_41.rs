//! The real-daemon walk against a second server implementation: Podman 4.3's Docker-compatible
//! service (`tests/daemon/podman.sh`), with the v1.41 crate (Podman serves API 1.41).
//!
//! Every call goes through [`Probe`]: a response that decodes counts as `decoded`; an error is a
//! divergence from dockerd, and every divergence must be listed, with its status and message, in
//! `tests/daemon/podman-divergences.yaml` — the test fails on an unlisted divergence and on a
//! listed one that no longer happens. The README's coverage table has a Podman column, kept
//! equal to what this walk saw.

// Options structs are written with `..Default::default()` as a user would, so that the walk
// keeps compiling when a later crate adds members; in v1.41 some are already complete.
#![allow(clippy::needless_update)]

use std::collections::BTreeMap;
use std::time::Duration;

use api::{models, Docker, Filters, OutputChunk, Transport, Upload};
use docker_engine_api_v1_41 as api;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("{key} is not set: run under tests/daemon/daemon.sh run -- …"))
}

/// What one operation did against Podman.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Decoded,
    Diverged { status: Option<u16>, message: String },
}

#[derive(Default)]
struct Probe(BTreeMap<&'static str, Outcome>);

impl Probe {
    /// Records the outcome of `op`; the value when it decoded. A divergence is kept over a
    /// later success of the same operation (the table shows the first difference).
    fn check<T>(&mut self, op: &'static str, result: Result<T, api::Error>) -> Option<T> {
        match result {
            Ok(value) => {
                self.0.entry(op).or_insert(Outcome::Decoded);
                Some(value)
            }
            Err(e) => {
                let outcome = Outcome::Diverged { status: e.status(), message: e.to_string() };
                if !matches!(self.0.get(op), Some(Outcome::Diverged { .. })) {
                    self.0.insert(op, outcome);
                }
                None
            }
        }
    }

    /// A stream call: the call and every item must decode.
    async fn stream<T>(&mut self, op: &'static str, result: Result<api::JsonStream<T>, api::Error>) -> Option<Vec<T>>
    where
        T: serde::de::DeserializeOwned + Send + 'static,
    {
        let mut stream = self.check(op, result)?;
        let mut items = Vec::new();
        while let Some(item) = tokio::time::timeout(Duration::from_secs(60), stream.next()).await.expect("stream ends")
        {
            match item {
                Ok(item) => items.push(item),
                Err(e) => {
                    self.0.insert(op, Outcome::Diverged { status: e.status(), message: e.to_string() });
                    return None;
                }
            }
        }
        Some(items)
    }

    async fn output(&mut self, op: &'static str, result: Result<api::OutputStream, api::Error>) -> Option<String> {
        let mut output = self.check(op, result)?;
        let mut text = Vec::new();
        while let Some(chunk) = tokio::time::timeout(Duration::from_secs(30), output.next()).await.expect("output ends")
        {
            match chunk {
                Ok(
                    OutputChunk::StdOut(b) | OutputChunk::StdErr(b) | OutputChunk::Console(b) | OutputChunk::StdIn(b),
                ) => text.extend_from_slice(&b),
                Err(e) => {
                    self.0.insert(op, Outcome::Diverged { status: e.status(), message: e.to_string() });
                    return None;
                }
            }
        }
        Some(String::from_utf8_lossy(&text).into_owned())
    }

    async fn bytes(&mut self, op: &'static str, result: Result<api::ByteStream, api::Error>) -> Option<Vec<u8>> {
        let mut stream = self.check(op, result)?;
        let mut all = Vec::new();
        while let Some(chunk) = stream.next().await {
            all.extend_from_slice(&self.check(op, chunk)?);
        }
        Some(all)
    }
}

fn tar_of(path: &str, content: &[u8]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(content.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(1_700_000_000);
    header.set_cksum();
    builder.append_data(&mut header, path, content).expect("tar entry");
    builder.into_inner().expect("tar")
}

fn labels() -> BTreeMap<String, String> {
    BTreeMap::from([("suite".to_string(), "podman".to_string())])
}

include!("../podman_walk.rs");

/// One divergence of the list file.
#[derive(Debug, serde::Deserialize)]
struct Listed {
    operation: String,
    status: Option<u16>,
    message: String,
    #[allow(dead_code)]
    why: String,
}

fn check_divergences(probe: &Probe) {
    let path = integration_tests::workspace().join("tests/daemon/podman-divergences.yaml");
    let text = std::fs::read_to_string(&path).expect("podman-divergences.yaml");
    let listed: Vec<Listed> = serde_yaml_ng::from_str(&text).expect("podman-divergences.yaml parses");
    let mut problems = Vec::new();
    for (op, outcome) in &probe.0 {
        let Outcome::Diverged { status, message } = outcome else { continue };
        match listed.iter().find(|l| l.operation == *op) {
            Some(l) if l.status == *status && message.contains(&l.message) => {}
            Some(l) => problems.push(format!(
                "{op}: listed as {:?} {:?}, but Podman answered {status:?} {message:?}",
                l.status, l.message
            )),
            None => problems.push(format!(
                "unlisted divergence:\n- operation: {op}\n  status: {}\n  message: {message:?}\n  why: ",
                status.map(|s| s.to_string()).unwrap_or("null".into())
            )),
        }
    }
    for l in &listed {
        if !matches!(probe.0.get(l.operation.as_str()), Some(Outcome::Diverged { .. })) {
            problems.push(format!(
                "{}: listed divergence no longer happens (now {:?})",
                l.operation,
                probe.0.get(l.operation.as_str())
            ));
        }
    }
    assert!(problems.is_empty(), "Podman divergences vs {}:\n{}", path.display(), problems.join("\n"));
}

/// The README table's Podman column must be what this walk saw.
fn check_readme_column(probe: &Probe) {
    let readme = std::fs::read_to_string(integration_tests::workspace().join("README.md")).expect("README");
    let section = readme
        .split("<!-- daemon-coverage:start -->")
        .nth(1)
        .and_then(|s| s.split("<!-- daemon-coverage:end -->").next())
        .expect("coverage table markers in README");
    let mut listed = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let op = cells[0].trim_matches('`');
        if let Some(cell) = cells.get(2).filter(|c| !c.is_empty() && **c != "—") {
            listed.insert(op.to_string(), cell.to_string());
        }
    }
    let seen: BTreeMap<String, String> = probe
        .0
        .iter()
        .map(|(op, o)| (op.to_string(), if *o == Outcome::Decoded { "decoded" } else { "divergence" }.to_string()))
        .collect();
    assert_eq!(listed, seen, "README coverage table, Podman column, vs what the walk saw");
    assert!(seen.len() >= 80, "only {} operations called against Podman", seen.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn podman_walk() {
    let docker = Docker::new(Transport::unix(env("DOCKER_TEST_PODMAN_SOCKET")));
    let mut probe = Probe::default();
    walk(&docker, &mut probe).await;
    let summary: Vec<String> = probe.0.iter().map(|(op, o)| format!("{op}: {o:?}")).collect();
    println!("{}", summary.join("\n"));
    check_divergences(&probe);
    check_readme_column(&probe);
}

//! Bodies of the fuzz targets, one module each, as plain functions `run(data: &[u8])`.
//!
//! The modules only name their dependencies through `crate::transport`, `crate::common`,
//! `codegen`, `futures_util`, `serde` and `serde_json`, so `tests/tests/fuzz_corpus.rs` in the
//! main workspace includes the very same files (`#[path]`) and replays the corpus on stable.

pub use docker_engine_transport as transport;

pub mod common;
pub mod demux;
pub mod error_body;
pub mod json_stream;
pub mod spec;

/// Records the largest single allocation while a probe is armed ([`common::largest_allocation`]).
#[global_allocator]
static ALLOC: common::Tracking = common::Tracking;

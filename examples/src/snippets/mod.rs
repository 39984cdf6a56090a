//! The examples in the docs of the endpoint crates, one function each.
//!
//! The generator copies the lines between `// doc:start` and `// doc:end` of each file into the
//! docs of the matching method (`generator/src/emit/api/examples.rs`), as a doctest that the
//! rest of the file, hidden, makes compile; `docker_engine_api_v1_55` becomes the crate of the
//! version. `tests/snippets_daemon.rs` runs the same functions against the test daemon, so the
//! examples the docs show are the code that ran.

pub mod attach;
pub mod build;
pub mod copy;
pub mod create_and_start;
pub mod events;
pub mod exec;
pub mod list;
pub mod logs;
pub mod pull;
pub mod push;
pub mod stats;

/// What the examples return on failure: any error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

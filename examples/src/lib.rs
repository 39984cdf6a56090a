//! Small programs a user writes first (`examples/*.rs`, run with
//! `cargo run -p docker-engine-examples --example list_containers`), and the examples of the
//! endpoint crates' docs ([`snippets`]), which the real-daemon tests run
//! (`examples/tests/snippets_daemon.rs`).

pub mod snippets;

//! See the examples: `cargo run -p docker-engine-examples --example list_containers`.

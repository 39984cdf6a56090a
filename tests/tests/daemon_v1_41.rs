//! The real-daemon suite with the v1.41 crate: the daemon's own version, no negotiation down.

// The shared suite writes `..Default::default()` for options structs that gain fields in later
// versions; in v1.41 some of those structs are already complete.
#![allow(clippy::needless_update)]

use docker_engine_api_v1_41 as api;

const PREFIX: &str = "s41";
/// The suite's tests run here, against the daemon.
macro_rules! daemon_test {
    ($test:item) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $test
    };
}

/// The suite's one per-crate hook: `ContainerStopOptions` with `signal` set, where the crate has
/// that member. It is not forced by a breaking change: `generated/diffs/v1.41-v1.42.md` lists
/// `request-parameter-added — POST /containers/{id}/stop: query parameter signal added`, and an
/// options struct (unlike a model) cannot be built from data, so a source that sets the field
/// does not compile against this crate, which predates it. v1.41 has no such member: `None`.
fn stop_options_with_signal(_signal: &str) -> Option<api::ContainerStopOptions> {
    None
}

include!("../daemon_suite.rs");

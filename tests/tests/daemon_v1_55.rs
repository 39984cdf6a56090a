//! The real-daemon suite with the v1.55 crate, negotiating down to the daemon's 1.41.

// The shared suite writes `..Default::default()` for options structs whose fields differ
// between versions; in v1.55 some of those structs are already complete.
#![allow(clippy::needless_update)]

use docker_engine_api_v1_55 as api;

const PREFIX: &str = "s55";
/// The suite's tests run here, against the daemon.
macro_rules! daemon_test {
    ($test:item) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $test
    };
}

/// The suite's one per-crate hook (see `daemon_v1_41.rs`): `signal` is since v1.42.
fn stop_options_with_signal(signal: &str) -> Option<api::ContainerStopOptions> {
    Some(api::ContainerStopOptions { signal: Some(signal.into()), ..Default::default() })
}

include!("../daemon_suite.rs");

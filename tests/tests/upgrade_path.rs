//! The upgrade path: the real-daemon suite (`tests/daemon_suite.rs`), one source, compiles
//! unchanged against every endpoint crate from v1.41 to v1.55.
//!
//! `daemon_v1_41.rs` and `daemon_v1_55.rs` compile it against the two ends and run it against
//! Docker 20.10 (API 1.41). This binary includes it once more for each crate in between
//! (v1.42 ..= v1.54), so a user whose code builds against one crate can move to any later one
//! without touching a call: every method keeps its shape (path parameters, required query
//! parameters, an options struct, the body), and the models keep every member of older versions
//! (deprecated where a version removed it, renamed types as deprecated aliases). What the suite
//! does differently per crate it decides at run time from `Docker::API_VERSION`; the one hook,
//! `stop_options_with_signal`, sets a member (`ContainerStopOptions.signal`, added in v1.42) that
//! only the v1.41 crate lacks, and that is not a breaking change.
//!
//! These modules never talk to the daemon: their `daemon_test!` leaves the suite's test
//! functions plain functions, compiled and type-checked but not registered as tests, so this
//! binary reports no test that passes without doing anything. It fails by not compiling. No crate of the range needs an exception: none of
//! the breaking changes listed in `generated/diffs/v1.41-v1.42.md` .. `v1.54-v1.55.md` breaks
//! this source (the response types that changed, e.g. `Network` → `NetworkInspect` in v1.52 or
//! `ContainerStats` → `ContainerStatsResponse` in v1.48, are only used through their members).

// The shared suite writes `..Default::default()` for options structs that gain fields in later
// versions; in some crates those structs are already complete.
#![allow(clippy::needless_update)]

macro_rules! suite_against {
    ($module:ident, $krate:ident, $prefix:literal) => {
        #[allow(dead_code)] // the suite is compiled, never called, here
        mod $module {
            use $krate as api;

            const PREFIX: &str = $prefix;
            /// Compiled and type-checked, never run: not a test here.
            macro_rules! daemon_test {
                ($test:item) => {
                    #[allow(dead_code)]
                    $test
                };
            }

            /// The suite's one per-crate hook (see `daemon_v1_41.rs`): `signal` is since v1.42.
            fn stop_options_with_signal(signal: &str) -> Option<api::ContainerStopOptions> {
                Some(api::ContainerStopOptions { signal: Some(signal.into()), ..Default::default() })
            }

            include!("../daemon_suite.rs");
        }
    };
}

suite_against!(v1_42, docker_engine_api_v1_42, "s42");
suite_against!(v1_43, docker_engine_api_v1_43, "s43");
suite_against!(v1_44, docker_engine_api_v1_44, "s44");
suite_against!(v1_45, docker_engine_api_v1_45, "s45");
suite_against!(v1_46, docker_engine_api_v1_46, "s46");
suite_against!(v1_47, docker_engine_api_v1_47, "s47");
suite_against!(v1_48, docker_engine_api_v1_48, "s48");
suite_against!(v1_49, docker_engine_api_v1_49, "s49");
suite_against!(v1_50, docker_engine_api_v1_50, "s50");
suite_against!(v1_51, docker_engine_api_v1_51, "s51");
suite_against!(v1_52, docker_engine_api_v1_52, "s52");
suite_against!(v1_53, docker_engine_api_v1_53, "s53");
suite_against!(v1_54, docker_engine_api_v1_54, "s54");

//! The real-daemon suite with the v1.41 crate: the daemon's own version, no negotiation down.

// The shared suite writes `..Default::default()` for options structs that gain fields in later
// versions; in v1.41 some of those structs are already complete.
#![allow(clippy::needless_update)]

use docker_engine_api_v1_41 as api;

const PREFIX: &str = "s41";

/// The names that differ between the two crates the suite runs with.
mod shim {
    use super::api;

    pub type VolumeCreateBody = api::models::VolumeCreateOptions;

    /// v1.41 has no operation newer than the daemon.
    pub async fn newer_operation_is_refused(_: &api::Docker) {}

    pub async fn data_usage(d: &api::Docker) {
        let usage = d.system_data_usage().await.expect("system df");
        assert!(usage.images.is_some(), "{usage:?}");
    }

    pub async fn image_inspect(d: &api::Docker, name: &str) -> Result<api::models::ImageInspect, api::Error> {
        d.image_inspect(name).await
    }

    pub async fn image_history(d: &api::Docker, name: &str) -> Result<Vec<api::models::ImageHistoryResponseItem>, api::Error> {
        d.image_history(name).await
    }

    pub async fn image_get(d: &api::Docker, name: &str) -> Result<api::ByteStream, api::Error> {
        d.image_get(name).await
    }
}

include!("../daemon_suite.rs");

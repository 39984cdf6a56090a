//! The real-daemon suite with the v1.55 crate, negotiating down to the daemon's 1.41.

// The shared suite writes `..Default::default()` for options structs whose fields differ
// between versions; in v1.55 some of those structs are already complete.
#![allow(clippy::needless_update)]

use docker_engine_api_v1_55 as api;

const PREFIX: &str = "s55";

/// The names that differ between the two crates the suite runs with.
mod shim {
    use super::api;

    pub type VolumeCreateBody = api::models::VolumeCreateRequest;

    /// An operation v1.41 lacks fails before anything is sent.
    pub async fn newer_operation_is_refused(d: &api::Docker) {
        let err = d.image_attestations("suite-busybox", &Default::default()).await.expect_err("v1.55-only operation");
        assert!(
            matches!(err, api::Error::UnsupportedOperation { operation: "ImageAttestations", .. }),
            "{err}"
        );
    }

    /// A 1.41 daemon answers with the legacy shape (`Images`, `Containers`, …) that v1.52 removed
    /// from the spec: it decodes (unknown fields are ignored), the new `*Usage` fields are absent.
    pub async fn data_usage(d: &api::Docker) {
        let usage = d.system_data_usage(&Default::default()).await.expect("system df");
        assert!(usage.image_usage.is_none(), "{usage:?}");
    }

    pub async fn image_inspect(d: &api::Docker, name: &str) -> Result<api::models::ImageInspect, api::Error> {
        d.image_inspect(name, &Default::default()).await
    }

    pub async fn image_history(d: &api::Docker, name: &str) -> Result<Vec<api::models::ImageHistoryResponseItem>, api::Error> {
        d.image_history(name, &Default::default()).await
    }

    pub async fn image_get(d: &api::Docker, name: &str) -> Result<api::ByteStream, api::Error> {
        d.image_get(name, &Default::default()).await
    }
}

include!("../daemon_suite.rs");

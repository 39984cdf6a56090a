//! `docker pull REGISTRY/team/app:1.0` with the credentials `docker login` stored.
use docker_engine_api_v1_55::{Credentials, Docker, ImageCreateOptions, StreamExt};

use super::BoxError;

/// Pulls `image` with the credentials the Docker CLI would use for its registry; returns the
/// statuses the daemon reported.
pub async fn pull(docker: &Docker, image: &str) -> Result<Vec<String>, BoxError> {
    // doc:start
    // Credentials as the CLI finds them: `credHelpers`, `credsStore` or `auths` in
    // `$DOCKER_CONFIG/config.json`. They travel in `X-Registry-Auth` and never appear in
    // `Debug` output or errors.
    let auth = Credentials::from_env()?.for_image(image).await?;
    let options = ImageCreateOptions {
        from_image: Some(image.to_string()),
        x_registry_auth: auth.map(|a| a.to_model()).transpose()?,
        ..Default::default()
    };
    let mut progress = docker.image_create(&options, None).await?;
    let mut statuses = Vec::new();
    while let Some(item) = progress.next().await {
        let item = item?; // an error the daemon reports mid-pull is an `Err`
        statuses.push(item.status.unwrap_or_default());
    }
    // doc:end
    Ok(statuses)
}

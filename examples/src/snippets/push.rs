//! `docker push REGISTRY/team/app:1.0` with a user name and password.
use docker_engine_api_v1_55::{models, Docker, ImagePushOptions, StreamExt};

use super::BoxError;

/// Pushes `repository:tag` to `registry` as `user`; returns the statuses the daemon reported.
pub async fn push(
    docker: &Docker,
    registry: &str,
    repository: &str,
    tag: &str,
    user: &str,
    password: &str,
) -> Result<Vec<String>, BoxError> {
    // doc:start
    // Credentials given in code (or found like the CLI does: see `image_create`).
    let auth = models::AuthConfig {
        username: Some(user.into()),
        password: Some(password.into()),
        serveraddress: Some(registry.into()),
        ..Default::default()
    };
    let options = ImagePushOptions { tag: Some(tag.into()), x_registry_auth: Some(auth), ..Default::default() };
    let mut progress = docker.image_push(repository, &options).await?;
    let mut statuses = Vec::new();
    while let Some(item) = progress.next().await {
        statuses.push(item?.status.unwrap_or_default()); // a refused push is an `Err`
    }
    // doc:end
    Ok(statuses)
}

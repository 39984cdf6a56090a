//! `docker push`: push an image to a registry with credentials.
use docker_engine_api_v1_55::{models, Docker, ImagePushOptions, StreamExt};

use super::BoxError;

/// Pushes `registry.example:5000/team/app:1.0` with a user name and token.
pub async fn push(docker: &Docker, token: &str) -> Result<(), BoxError> {
    // doc:start
    let auth = models::AuthConfig {
        username: Some("me".into()),
        password: Some(token.into()),
        serveraddress: Some("registry.example:5000".into()),
        ..Default::default()
    };
    let options = ImagePushOptions { tag: Some("1.0".into()), x_registry_auth: Some(auth), ..Default::default() };
    let mut progress = docker.image_push("registry.example:5000/team/app", &options).await?;
    while let Some(item) = progress.next().await {
        println!("{}", item?.status.unwrap_or_default());
    }
    // doc:end
    Ok(())
}

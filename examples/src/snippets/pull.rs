//! `docker login` + `docker pull`: pull an image from a registry with credentials.
use docker_engine_api_v1_55::{models, Docker, ImageCreateOptions, StreamExt};

use super::BoxError;

/// Pulls `registry.example:5000/team/app:1.0` with a user name and token.
pub async fn pull(docker: &Docker, token: &str) -> Result<(), BoxError> {
    // doc:start
    // Credentials travel in `X-Registry-Auth`; they never appear in `Debug` output or errors.
    let auth = models::AuthConfig {
        username: Some("me".into()),
        password: Some(token.into()),
        serveraddress: Some("registry.example:5000".into()),
        ..Default::default()
    };
    let options = ImageCreateOptions {
        from_image: Some("registry.example:5000/team/app".into()),
        tag: Some("1.0".into()),
        x_registry_auth: Some(auth),
        ..Default::default()
    };
    let mut progress = docker.image_create(&options, None).await?;
    while let Some(item) = progress.next().await {
        let item = item?; // an error the daemon reports mid-pull is an `Err`
        let done = item.progress_detail.and_then(|p| p.current).unwrap_or_default();
        println!("{} {} ({done} bytes)", item.id.unwrap_or_default(), item.status.unwrap_or_default());
    }
    // doc:end
    Ok(())
}

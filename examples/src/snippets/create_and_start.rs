//! `docker run -d --network none IMAGE echo hello`: create a container and start it.
use docker_engine_api_v1_55::{models, Docker};

use super::BoxError;

/// Creates and starts a container of `image` that prints `hello`; returns its id.
pub async fn create_and_start(docker: &Docker, image: &str) -> Result<String, BoxError> {
    // doc:start
    let config = models::ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["echo".into(), "hello".into()]),
        host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
        ..Default::default()
    };
    let created = docker.container_create(&Default::default(), &config).await?;
    let id = created.id.ok_or("the daemon returned no container id")?;
    docker.container_start(&id, &Default::default()).await?;
    // doc:end
    Ok(id)
}

//! `docker ps -a --filter status=exited`: list containers.
use docker_engine_api_v1_55::{ContainerListOptions, Docker, Filters};

use super::BoxError;

/// Lists the exited containers; returns their ids.
pub async fn list(docker: &Docker) -> Result<Vec<String>, BoxError> {
    // doc:start
    let containers = docker
        .container_list(&ContainerListOptions {
            all: Some(true),
            filters: Some(Filters::new().add("status", "exited")),
            ..Default::default()
        })
        .await?;
    for c in &containers {
        println!("{} {}", c.id.as_deref().unwrap_or_default(), c.image.as_deref().unwrap_or_default());
    }
    // doc:end
    Ok(containers.into_iter().filter_map(|c| c.id).collect())
}

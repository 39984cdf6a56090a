//! `docker stats --no-stream CONTAINER`: one sample of a container's resource usage.
use docker_engine_api_v1_55::{models, ContainerStatsOptions, Docker, StreamExt};

use super::BoxError;

/// One sample of the running `container`'s resource usage.
pub async fn stats(docker: &Docker, container: &str) -> Result<models::ContainerStatsResponse, BoxError> {
    // doc:start
    // `stream: Some(false)`: one sample; leave it unset to get one every second.
    let options = ContainerStatsOptions { stream: Some(false), ..Default::default() };
    let mut stats = docker.container_stats(container, &options).await?;
    let sample = stats.next().await.ok_or("no stats sample")??;
    let memory = sample.memory_stats.as_ref().and_then(|m| m.usage);
    println!("memory: {memory:?} bytes");
    // doc:end
    Ok(sample)
}

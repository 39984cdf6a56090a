//! `docker logs -f CONTAINER`: follow a container's output.
use docker_engine_api_v1_55::{ContainerLogsOptions, Docker, OutputChunk, StreamExt};

use super::BoxError;

/// Follows the output of `container` until it exits; returns stdout.
pub async fn logs(docker: &Docker, container: &str) -> Result<String, BoxError> {
    // doc:start
    // Multiplexed or raw (TTY) output is detected; chunks say which stream they come from.
    let options =
        ContainerLogsOptions { follow: Some(true), stdout: Some(true), stderr: Some(true), ..Default::default() };
    let mut logs = docker.container_logs(container, &options).await?;
    let mut stdout = String::new();
    while let Some(chunk) = logs.next().await {
        match chunk? {
            OutputChunk::StdErr(bytes) => eprint!("{}", String::from_utf8_lossy(&bytes)),
            other => stdout.push_str(&String::from_utf8_lossy(other.bytes())),
        }
    }
    // doc:end
    Ok(stdout)
}

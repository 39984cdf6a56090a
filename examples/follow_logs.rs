//! Follow a container's logs, like `docker logs -f CONTAINER`.
//!
//! ```text
//! cargo run -p docker-engine-examples --example follow_logs -- CONTAINER
//! ```

use std::io::Write;

use docker_engine_api_v1_55::{ContainerLogsOptions, Docker, OutputChunk};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let container = std::env::args().nth(1).ok_or("usage: follow_logs CONTAINER")?;
    let docker = Docker::from_env()?;
    // Multiplexed or raw (TTY) output is detected; nothing to say here.
    let options =
        ContainerLogsOptions { follow: Some(true), stdout: Some(true), stderr: Some(true), ..Default::default() };
    let mut logs = docker.container_logs(&container, &options).await?;
    while let Some(chunk) = logs.next().await {
        match chunk? {
            OutputChunk::StdErr(bytes) => std::io::stderr().write_all(&bytes)?,
            other => std::io::stdout().write_all(other.bytes())?,
        }
    }
    Ok(())
}

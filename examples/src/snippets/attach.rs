//! `docker run -i IMAGE cat` with stdin: attach to a container before it starts.
use docker_engine_api_v1_55::{models, AsyncWriteExt, ContainerAttachOptions, Docker, StreamExt};

use super::BoxError;

/// Creates a `cat` container of `image`, attaches, starts it, writes to its stdin and reads
/// what it echoes; returns the container id and the output.
pub async fn attach(docker: &Docker, image: &str) -> Result<(String, String), BoxError> {
    // doc:start
    let config = models::ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["cat".into()]),
        open_stdin: Some(true),
        stdin_once: Some(true), // the container's stdin closes when ours does
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
        ..Default::default()
    };
    let id = docker.container_create(&Default::default(), &config).await?.id.ok_or("no container id")?;
    let options =
        ContainerAttachOptions { stream: Some(true), stdin: Some(true), stdout: Some(true), ..Default::default() };
    let mut session = docker.container_attach(&id, &options).await?;
    docker.container_start(&id, &Default::default()).await?;
    session.input.write_all(b"ping\n").await?;
    session.input.close_write().await?;
    let mut output = Vec::new();
    while let Some(chunk) = session.output.next().await {
        output.extend_from_slice(chunk?.bytes());
    }
    // doc:end
    Ok((id, String::from_utf8(output)?))
}

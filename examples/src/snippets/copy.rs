//! `docker cp DIR CONTAINER:/tmp` and `docker cp CONTAINER:/tmp/FILE -`: copy files in and out.
use std::path::Path;

use docker_engine_api_v1_55::{BuildContext, Docker, StreamExt};

use super::BoxError;

/// Copies the folder `dir` into `/tmp` of `container`, then reads `/tmp/<file>` back as a tar
/// archive (what `GET /containers/{id}/archive` sends).
pub async fn copy(docker: &Docker, container: &str, dir: &Path, file: &str) -> Result<Vec<u8>, BoxError> {
    // doc:start
    // In: the folder's files, streamed as a tar archive, unpacked into /tmp.
    let archive = BuildContext::whole_dir(dir)?.into_upload()?;
    docker.put_container_archive(container, "/tmp", &Default::default(), archive).await?;
    // Out: a tar archive of the path, streamed.
    let mut tar = docker.container_archive(container, &format!("/tmp/{file}"), &Default::default()).await?;
    let mut archive = Vec::new();
    while let Some(chunk) = tar.next().await {
        archive.extend_from_slice(&chunk?);
    }
    // doc:end
    Ok(archive)
}

//! `docker build -t TAG --build-arg GREETING=hello --label example=build DIR`: build an image from
//! a folder.
use std::collections::BTreeMap;
use std::path::Path;

use docker_engine_api_v1_55::{BuildContext, Docker, ImageBuildOptions, StreamExt};

use super::BoxError;

/// Builds the folder `dir` (its `Dockerfile`, honouring its `.dockerignore`) as `tag`; returns
/// the build output.
pub async fn build(docker: &Docker, dir: &Path, tag: &str) -> Result<String, BoxError> {
    // doc:start
    // The folder is streamed as a tar archive; `.dockerignore` is honoured like the CLI does.
    let context = BuildContext::new(dir)?;
    let options = ImageBuildOptions {
        t: Some(tag.to_string()),
        buildargs: Some(BTreeMap::from([("GREETING".to_string(), "hello".to_string())])),
        labels: Some(BTreeMap::from([("example".to_string(), "build".to_string())])),
        rm: Some(true),
        ..Default::default()
    };
    let mut progress = docker.image_build(&options, Some(context.into_upload()?)).await?;
    let mut output = String::new();
    while let Some(item) = progress.next().await {
        let item = item?; // a failing step is an `Err` here, not a message to look for
        output.push_str(item.stream.as_deref().unwrap_or_default());
    }
    // doc:end
    Ok(output)
}

//! `echo hello | docker exec -i CONTAINER cat`: run a command in a container and feed it stdin.
use docker_engine_api_v1_55::{models, AsyncWriteExt, Docker, StreamExt};

use super::BoxError;

/// Runs `cat` in the running `container` with `hello` on its stdin; returns its output.
pub async fn exec(docker: &Docker, container: &str) -> Result<String, BoxError> {
    // doc:start
    let config = models::ExecConfig {
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        cmd: Some(vec!["cat".into()]),
        ..Default::default()
    };
    let exec = docker.container_exec(container, &Default::default(), &config).await?;
    let exec_id = exec.id.ok_or("the daemon returned no exec id")?;
    let mut session = docker.exec_start(&exec_id, &Default::default(), Some(&Default::default())).await?;
    session.input.write_all(b"hello\n").await?;
    session.input.close_write().await?; // end of stdin: `cat` exits
    let mut output = Vec::new();
    while let Some(chunk) = session.output.next().await {
        output.extend_from_slice(chunk?.bytes());
    }
    let exit_code = docker.exec_inspect(&exec_id, &Default::default()).await?.exit_code;
    // doc:end
    assert_eq!(exit_code, Some(0), "cat exits with 0");
    Ok(String::from_utf8(output)?)
}

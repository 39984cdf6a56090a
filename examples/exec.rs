//! Run a command in a running container and feed it stdin, like
//! `echo hello | docker exec -i CONTAINER cat`.
//!
//! ```text
//! cargo run -p docker-engine-examples --example exec -- CONTAINER cat
//! ```

use std::io::Write;

use docker_engine_api_v1_55::{models, Docker, OutputChunk};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let container = args.next().ok_or("usage: exec CONTAINER COMMAND [ARGS...]")?;
    let cmd: Vec<String> = args.collect();
    let docker = Docker::from_env()?;

    let config = models::ExecConfig {
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        cmd: Some(if cmd.is_empty() { vec!["cat".into()] } else { cmd }),
        ..Default::default()
    };
    let exec = docker.container_exec(&container, &Default::default(), &config).await?;
    let exec_id = exec.id.ok_or("the daemon returned no exec id")?;

    let mut session =
        docker.exec_start(&exec_id, &Default::default(), Some(&models::ExecStartConfig::default())).await?;
    session.input.write_all(b"hello from docker-engine-api\n").await?;
    session.input.close_write().await?; // end of stdin: `cat` exits
    while let Some(chunk) = session.output.next().await {
        match chunk? {
            OutputChunk::StdErr(bytes) => std::io::stderr().write_all(&bytes)?,
            other => std::io::stdout().write_all(other.bytes())?,
        }
    }
    let inspect = docker.exec_inspect(&exec_id, &Default::default()).await?;
    println!("exit code: {:?}", inspect.exit_code);
    Ok(())
}

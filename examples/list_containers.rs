//! List every container, like `docker ps -a`.
//!
//! ```text
//! cargo run -p docker-engine-examples --example list_containers
//! ```
//! Uses `DOCKER_HOST` (default `unix:///var/run/docker.sock`) and negotiates the API version.

use docker_engine_api_v1_55::{ContainerListOptions, Docker};

#[tokio::main]
async fn main() -> Result<(), docker_engine_api_v1_55::Error> {
    let docker = Docker::from_env()?;
    let containers = docker.container_list(&ContainerListOptions { all: Some(true), ..Default::default() }).await?;
    println!("API v{}: {} containers", docker.api_version().await?, containers.len());
    for c in containers {
        let id = c.id.unwrap_or_default();
        let name = c.names.unwrap_or_default().join(",");
        let state = c.state.map(|s| s.to_string()).unwrap_or_default();
        println!("{:12}  {:30}  {:10}  {}", &id[..id.len().min(12)], name, state, c.image.unwrap_or_default());
    }
    Ok(())
}

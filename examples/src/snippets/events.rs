//! `docker events --since 1m --until now --filter type=container`: read the daemon's events.
use std::time::{SystemTime, UNIX_EPOCH};

use docker_engine_api_v1_55::{Docker, Filters, StreamExt, SystemEventsOptions};

use super::BoxError;

/// The container events of the last minute, as `(action, container id)`.
pub async fn events(docker: &Docker) -> Result<Vec<(String, String)>, BoxError> {
    // doc:start
    // With `until` the stream ends; without it, it follows new events until dropped.
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let options = SystemEventsOptions {
        since: Some((now - 60).to_string()),
        until: Some(now.to_string()),
        filters: Some(Filters::new().add("type", "container")),
    };
    let mut events = docker.system_events(&options).await?;
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        let event = event?;
        let actor = event.actor.and_then(|a| a.id).unwrap_or_default();
        seen.push((event.action.unwrap_or_default(), actor));
    }
    // doc:end
    Ok(seen)
}

//! The generated endpoint crates wired to the transport, against a scripted daemon on a unix
//! socket: the negotiated `/v1.NN` prefix is on the wire, an operation newer than the
//! negotiated version fails before sending, path parameters cannot escape, streams decode.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;

/// A daemon that says it speaks API 1.41 and answers from a fixed script.
struct MockDaemon {
    socket: PathBuf,
    requests: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

fn respond(request_line: &str) -> String {
    let path = request_line.split(' ').nth(1).unwrap_or("");
    let (status, content_type, body) = if path.starts_with("/_ping") {
        ("200 OK", "text/plain", "OK".to_string())
    } else if path.contains("/containers/json") {
        (
            "200 OK",
            "application/json",
            r#"[{"Id":"abc","State":"stopping","Ports":[{"PrivatePort":80,"Type":"tcp"}],"Labels":null}]"#.to_string(),
        )
    } else if path.contains("/images/create") {
        let lines = "{\"status\":\"Pulling\"}\r\n{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\r\n";
        ("200 OK", "application/json", lines.to_string())
    } else {
        ("404 Not Found", "application/json", r#"{"message":"page not found"}"#.to_string())
    };
    format!(
        "HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

async fn mock_daemon() -> MockDaemon {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("docker.sock");
    let listener = UnixListener::bind(&socket).unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let Ok(Some(request_line)) = lines.next_line().await else { return };
                while let Ok(Some(line)) = lines.next_line().await {
                    if line.is_empty() {
                        break;
                    }
                }
                seen.lock().unwrap().push(request_line.clone());
                let _ = write.write_all(respond(&request_line).as_bytes()).await;
                let _ = write.shutdown().await;
            });
        }
    });
    MockDaemon { socket, requests, _dir: dir }
}

impl MockDaemon {
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn newer_crate_negotiates_down_and_refuses_what_the_daemon_lacks() {
    use docker_engine_api_v1_55::{models, ApiVersion, Docker, Error, Transport};
    let daemon = mock_daemon().await;
    let docker = Docker::new(Transport::unix(&daemon.socket));

    let options = docker_engine_api_v1_55::ContainerListOptions { all: Some(true), ..Default::default() };
    let containers = docker.container_list(&options).await.unwrap();
    assert_eq!(docker.api_version().await.unwrap(), ApiVersion::new(1, 41));
    // An enum value v1.55 does not list, and `null` for a map, both decode.
    assert_eq!(containers[0].state, Some(models::ContainerSummaryState::Other("stopping".into())));
    assert_eq!(containers[0].labels, None);
    assert!(
        daemon.requests().contains(&"GET /v1.41/containers/json?all=true HTTP/1.1".to_string()),
        "{:?}",
        daemon.requests()
    );

    let before = daemon.requests().len();
    let err = docker.image_attestations("busybox", &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::UnsupportedOperation { operation: "ImageAttestations", .. }), "{err}");
    // A path parameter cannot reach another endpoint.
    let err = docker.container_inspect("../images/json", &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { .. }), "{err}");
    assert_eq!(daemon.requests().len(), before, "nothing may be sent: {:?}", daemon.requests());
}

#[tokio::test]
async fn progress_stream_error_arrives_as_err() {
    use docker_engine_api_v1_41::{Docker, Transport};
    let daemon = mock_daemon().await;
    let docker = Docker::new(Transport::unix(&daemon.socket));
    let options =
        docker_engine_api_v1_41::ImageCreateOptions { from_image: Some("nothing".into()), ..Default::default() };
    let items: Vec<_> = docker.image_create(&options, None).await.unwrap().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().status.as_deref(), Some("Pulling"));
    let err = items[1].as_ref().unwrap_err();
    assert!(err.to_string().contains("manifest unknown"), "{err}");
    assert!(daemon.requests().iter().any(|r| r.starts_with("POST /v1.41/images/create?fromImage=nothing")));
}

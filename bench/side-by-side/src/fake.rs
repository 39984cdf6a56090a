//! A fake daemon on a unix socket: answers every request whose path contains a route's key
//! with that route's canned response (HTTP/1.1, chunked, one HTTP chunk per piece, then the
//! connection is closed). It runs on threads of its own, like dockerd in its own process, so
//! the client's runtime has its two workers to itself.

use std::io::{Read, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A canned answer: Content-Type (none when empty, as dockerd 20.10 answers `stats`) and the
/// body's pieces (each becomes one HTTP chunk).
pub struct Route {
    pub key: &'static str,
    pub content_type: &'static str,
    pub pieces: Vec<Vec<u8>>,
}

/// The whole response, head and chunked body, ready to write.
fn encode(route: &Route) -> Vec<u8> {
    let content_type =
        if route.content_type.is_empty() { String::new() } else { format!("Content-Type: {}\r\n", route.content_type) };
    let mut out = format!(
        "HTTP/1.1 200 OK\r\n{content_type}Api-Version: 1.41\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for piece in &route.pieces {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

pub struct FakeDaemon {
    pub socket: PathBuf,
}

impl FakeDaemon {
    /// Listens on `socket` (removed first if it exists) and serves `routes` until the process
    /// ends.
    pub fn start(socket: &Path, routes: Vec<Route>) -> std::io::Result<FakeDaemon> {
        let _ = std::fs::remove_file(socket);
        let listener = UnixListener::bind(socket)?;
        let answers: Arc<Vec<(&'static str, Vec<u8>)>> = Arc::new(routes.iter().map(|r| (r.key, encode(r))).collect());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let answers = answers.clone();
                std::thread::spawn(move || {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match conn.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let line = String::from_utf8_lossy(&head);
                    let path = line.split(' ').nth(1).unwrap_or("");
                    match answers.iter().find(|(key, _)| path.contains(key)) {
                        Some((_, answer)) => {
                            let _ = conn.write_all(answer);
                        }
                        None => {
                            let _ = conn
                                .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                        }
                    }
                    let _ = conn.shutdown(std::net::Shutdown::Write);
                    // Wait for the client to close, like a server that lingers.
                    while matches!(conn.read(&mut buf), Ok(n) if n > 0) {}
                });
            }
        });
        Ok(FakeDaemon { socket: socket.to_owned() })
    }
}

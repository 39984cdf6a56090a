//! Target `error_body`: the error-body parser (the transport's `error_message`: the daemon's
//! JSON `message`, else the body's text, HTML reduced to its title or text, shortened), reached
//! the way a daemon reaches it: an error status answered on a socket.
//!
//! `error_message` is private to the transport, so the target drives it through the public
//! client: an in-process "daemon" on a unix socket answers one request with the fuzzed status,
//! `Content-Type` and body, and `Client::send_empty` turns that into `Error::Api`. That also
//! covers the body framings and the 1 MiB error-body limit around the parser.
//!
//! Input: two bytes of status (mapped onto 300-999, 304 excluded), a flags byte, the
//! `Content-Type` bytes, then the body. Flags bits 0-1: framing (0 `Content-Length`, 1 chunked,
//! 2 `Content-Length` one byte longer than the body that is sent before the connection closes,
//! 3 no length, the body ends with the connection); bit 2, if the second status byte is 0:
//! the body is repeated to just over 1 MiB (rarely, as it is slow); bits 3-7: length of the
//! `Content-Type` (0: no header). Control characters in the `Content-Type` become `_` (they
//! cannot be in a header).
//!
//! Checks, besides "no panic": the call fails with `Error::Api` carrying the status, with a
//! non-empty message of bounded size that says the body was truncated when it was over 1 MiB.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixListener;
use tokio::runtime::Runtime;

use crate::transport::http::Method;
use crate::transport::{ApiVersion, Client, Error, Operation, Request, Transport};

static OP: Operation = Operation { id: "FuzzErrorBody", method: Method::GET, since: None };

/// The transport reads error bodies up to this size.
const MAX_ERROR_BODY: usize = 1024 * 1024;

/// Messages are cut to 1000 bytes, then control characters may be escaped (up to 10 bytes
/// each), then a note may follow.
const MAX_MESSAGE: usize = 16 * 1024;

/// A runtime, a listening socket and a client of it, per thread.
struct Peer {
    rt: Runtime,
    listener: Arc<UnixListener>,
    client: Client,
    path: PathBuf,
}

impl Peer {
    fn new() -> Peer {
        static SERIAL: AtomicUsize = AtomicUsize::new(0);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
        let path = std::env::temp_dir().join(format!(
            "docker-engine-fuzz-{}-{}.sock",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_file(&path);
        let listener = {
            let _in_rt = rt.enter();
            UnixListener::bind(&path).expect("bind the fuzz daemon's socket")
        };
        let transport = Transport::unix(&path).with_pinned_version(ApiVersion::new(1, 41));
        let client = Client::new(transport, ApiVersion::new(1, 41));
        Peer { rt, listener: Arc::new(listener), client, path }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

thread_local! {
    static PEER: Peer = Peer::new();
}

/// The fuzzed answer.
struct Answer {
    status: u16,
    /// Status line, headers and body as sent.
    wire: Vec<u8>,
    /// The body sent is longer than the transport reads.
    oversize: bool,
}

fn answer(data: &[u8]) -> Answer {
    let (head, rest) = data.split_at(data.len().min(3));
    let mut head = head.to_vec();
    head.resize(3, 0);
    let mut status = 300 + u16::from_be_bytes([head[0], head[1]]) % 700;
    if status == 304 {
        status = 418;
    }
    let flags = head[2];
    let framing = flags & 3;
    // Rarely: a 1 MiB body costs as much as a thousand small ones.
    let oversize = flags & 4 != 0 && head[1] == 0;
    let (content_type, body) = rest.split_at(rest.len().min(usize::from(flags >> 3)));
    let content_type: Vec<u8> =
        content_type.iter().map(|&b| if (b < 0x20 && b != b'\t') || b == 0x7f { b'_' } else { b }).collect();
    let body: Vec<u8> = if oversize {
        let unit: &[u8] = if body.is_empty() { b"x" } else { body };
        let mut long = Vec::with_capacity(2 * (MAX_ERROR_BODY + unit.len()));
        long.extend_from_slice(unit);
        while long.len() <= MAX_ERROR_BODY {
            long.extend_from_within(..);
        }
        long
    } else {
        body.to_vec()
    };

    let mut wire = format!("HTTP/1.1 {status} Fuzz\r\nConnection: close\r\n").into_bytes();
    if !content_type.is_empty() {
        wire.extend_from_slice(b"Content-Type: ");
        wire.extend_from_slice(&content_type);
        wire.extend_from_slice(b"\r\n");
    }
    match framing {
        0 => wire.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()),
        1 => wire.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n"),
        2 => wire.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len() + 1).as_bytes()),
        _ => wire.extend_from_slice(b"\r\n"),
    }
    if framing == 1 {
        for piece in body.chunks(64 * 1024) {
            wire.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
            wire.extend_from_slice(piece);
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n\r\n");
    } else {
        wire.extend_from_slice(&body);
    }
    Answer { status, wire, oversize: oversize && framing != 2 }
}

/// Answers one connection: reads the request head, writes `wire`, closes.
async fn serve(listener: Arc<UnixListener>, wire: Vec<u8>) {
    let Ok((mut sock, _)) = listener.accept().await else {
        return;
    };
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    // The client stops reading after 1 MiB and closes: a failed write is expected then.
    let _ = sock.write_all(&wire).await;
    let _ = sock.shutdown().await;
}

/// The target body.
pub fn run(data: &[u8]) {
    let answer = answer(data);
    let result = PEER.with(|peer| {
        peer.rt.block_on(async {
            let server = tokio::spawn(serve(peer.listener.clone(), answer.wire));
            let mut req = Request::new(&OP);
            req.path("/fuzz/error");
            let result = peer.client.send_empty(req).await;
            let _ = server.await;
            result
        })
    });
    match result {
        Err(Error::Api { operation, status, message }) => {
            assert_eq!(operation, OP.id);
            assert_eq!(status, answer.status);
            assert!(!message.trim().is_empty(), "empty error message");
            assert!(
                message.len() <= MAX_MESSAGE,
                "error message of {} bytes: {:?}…",
                message.len(),
                message.chars().take(200).collect::<String>()
            );
            if answer.oversize {
                assert!(message.contains("truncated"), "an over-long body is not said to be truncated: {message:?}");
            }
        }
        other => panic!("status {}: expected Error::Api, got {other:?}", answer.status),
    }
}

// Part of the real-daemon suite (included by `tests/daemon_suite.rs`): the connections upgraded to
// another protocol. The WebSocket attach (`ContainerAttachWebsocket`), and, at the end, the
// BuildKit session (`Session`, h2c). The crate upgrades the connection and hands it over raw; the
// frames are read and written by tokio-tungstenite, the way a user would, over an adapter that
// joins the session's output stream and stdin writer into one socket.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::Message;

/// A hijacked session as one byte socket: reads are the raw output chunks, writes go to stdin.
struct SessionSocket {
    session: api::transport::Hijacked,
    buffered: api::transport::Bytes,
}

impl tokio::io::AsyncRead for SessionSocket {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        while this.buffered.is_empty() {
            match this.session.output.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Ok(chunk))) => this.buffered = chunk.into_bytes(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(std::io::Error::other(e))),
            }
        }
        let n = buf.remaining().min(this.buffered.len());
        buf.put_slice(&this.buffered.split_to(n));
        Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncWrite for SessionSocket {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.session.input).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.session.input).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.session.input).poll_shutdown(cx)
    }
}

impl Suite {
    /// `cat` attached over a WebSocket: a frame sent to stdin comes back as an output frame.
    async fn attach_websocket(&mut self) {
        let d = self.docker.clone();
        let mut body = self.container_body(&["cat"]);
        body.open_stdin = Some(true);
        body.stdin_once = Some(true);
        body.attach_stdin = Some(true);
        body.attach_stdout = Some(true);
        let id = self.create("attach-ws", &body).await;
        let options = api::ContainerAttachWebsocketOptions {
            stream: Some(true),
            stdin: Some(true),
            stdout: Some(true),
            stderr: Some(true),
            ..Default::default()
        };
        let session = d.container_attach_websocket(&id, &options).await.expect("attach over a WebSocket");
        self.cov.hit("ContainerAttachWebsocket");
        let socket = SessionSocket { session, buffered: Default::default() };
        let mut ws = tokio_tungstenite::WebSocketStream::from_raw_socket(socket, Role::Client, None).await;
        self.start(&id).await;
        ws.send(Message::binary(&b"over the websocket\n"[..])).await.expect("a frame to stdin");
        let mut echoed = Vec::new();
        while !echoed.ends_with(b"over the websocket\n") {
            let frame = tokio::time::timeout(Duration::from_secs(20), ws.next())
                .await
                .expect("a frame within 20 s")
                .expect("the socket stays open")
                .expect("a valid frame");
            match frame {
                // API >= 1.28: the daemon sends binary frames.
                Message::Binary(bytes) => echoed.extend_from_slice(&bytes),
                other => panic!("unexpected frame {other:?}"),
            }
        }
        assert_eq!(String::from_utf8_lossy(&echoed), "over the websocket\n");
        // Closing the socket closes stdin (StdinOnce): `cat` ends.
        ws.close(None).await.expect("close");
        drop(ws);
        assert_eq!(self.wait(&id).await, 0);
    }
}

impl Suite {
    /// The BuildKit session (`POST /session`, upgraded to `h2c`): once upgraded, the daemon is the
    /// HTTP/2 (gRPC) client of the caller's session and opens with the HTTP/2 connection preface.
    /// Dropping the connection ends the session. Later specs deprecate the endpoint (servers
    /// should speak gRPC on the socket directly); a 1.41 daemon has nothing else.
    #[allow(deprecated)]
    async fn session(&mut self) {
        let session = self.docker.session(&Default::default()).await.expect("session upgrade");
        self.cov.hit("Session");
        let mut output = session.output;
        let mut seen = Vec::new();
        const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        while seen.len() < PREFACE.len() {
            let chunk = tokio::time::timeout(Duration::from_secs(20), output.next())
                .await
                .expect("the daemon speaks first")
                .expect("the upgraded connection stays open")
                .expect("bytes from the daemon");
            seen.extend_from_slice(&chunk.into_bytes());
        }
        assert!(seen.starts_with(PREFACE), "not an HTTP/2 preface: {:?}", String::from_utf8_lossy(&seen));
    }
}

//! [`ReqBody`], the one request body type: what a [`Request`](crate::Request) holds, what an
//! [`Upload`](crate::Upload) wraps, and what hyper sends (it implements [`http_body::Body`]).
//!
//! A body is nothing, bytes already in memory (sent with a `Content-Length`), or a stream of
//! chunks (sent with chunked transfer encoding as the chunks come, never collected in memory;
//! an `Err` item aborts the request).

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Frame, SizeHint};
use tokio::sync::oneshot;

/// A boxed stream of request body chunks: what [`Upload::stream`](crate::Upload::stream) and
/// [`Request::stream_body`](crate::Request::stream_body) box the stream they are given into.
pub type UploadStream = Pin<Box<dyn Stream<Item = Result<Bytes, io::Error>> + Send>>;

/// A request body, handed to hyper as is.
pub(crate) enum ReqBody {
    /// No body (and, once sent, what a [`ReqBody::Bytes`] becomes).
    Empty,
    /// Bytes in memory: sent in one frame with a `Content-Length`.
    Bytes(Bytes),
    /// Chunks sent as they come, with chunked transfer encoding.
    Stream(UploadStream),
}

impl ReqBody {
    /// A body streamed chunk by chunk.
    pub(crate) fn stream<S>(stream: S) -> ReqBody
    where
        S: Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
    {
        ReqBody::Stream(Box::pin(stream))
    }

    /// Whether there is no body at all.
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, ReqBody::Empty)
    }

    /// The same body again, when it can be sent twice (nothing, or bytes in memory).
    pub(crate) fn replay(&self) -> Option<ReqBody> {
        match self {
            ReqBody::Empty => Some(ReqBody::Empty),
            ReqBody::Bytes(b) => Some(ReqBody::Bytes(b.clone())),
            ReqBody::Stream(_) => None,
        }
    }

    /// For a streamed body: the same body, and a receiver that resolves once it has been
    /// written out (its end or its first error was handed to hyper, or it was dropped). Bodies
    /// in memory get no receiver: they are written at once.
    pub(crate) fn with_end_signal(self) -> (ReqBody, Option<oneshot::Receiver<()>>) {
        match self {
            ReqBody::Stream(inner) => {
                let (tx, rx) = oneshot::channel();
                let signalled = EndSignal { inner, tx: Some(tx) };
                (ReqBody::Stream(Box::pin(signalled)), Some(rx))
            }
            other => (other, None),
        }
    }
}

/// A body stream that tells when it is finished (dropping the sender tells too).
struct EndSignal {
    inner: UploadStream,
    tx: Option<oneshot::Sender<()>>,
}

impl Stream for EndSignal {
    type Item = Result<Bytes, io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = self.inner.as_mut().poll_next(cx);
        if matches!(item, Poll::Ready(None | Some(Err(_)))) {
            if let Some(tx) = self.tx.take() {
                let _ = tx.send(());
            }
        }
        item
    }
}

impl From<Bytes> for ReqBody {
    fn from(bytes: Bytes) -> Self {
        ReqBody::Bytes(bytes)
    }
}

impl fmt::Debug for ReqBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReqBody::Empty => f.write_str("Empty"),
            ReqBody::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            ReqBody::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl http_body::Body for ReqBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        match this {
            ReqBody::Empty => Poll::Ready(None),
            ReqBody::Bytes(b) => {
                let b = std::mem::take(b);
                *this = ReqBody::Empty;
                Poll::Ready(Some(Ok(Frame::data(b))))
            }
            ReqBody::Stream(s) => loop {
                match s.as_mut().poll_next(cx) {
                    // An empty chunk would read as the end of a chunked body: skip it.
                    Poll::Ready(Some(Ok(b))) if b.is_empty() => continue,
                    Poll::Ready(Some(Ok(b))) => return Poll::Ready(Some(Ok(Frame::data(b)))),
                    Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Pending => return Poll::Pending,
                }
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ReqBody::Empty => SizeHint::with_exact(0),
            ReqBody::Bytes(b) => SizeHint::with_exact(b.len() as u64),
            ReqBody::Stream(_) => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body as _;
    use std::future::poll_fn;

    async fn frames(mut body: ReqBody) -> Result<Vec<Bytes>, io::Error> {
        let mut out = Vec::new();
        while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            out.push(frame?.into_data().unwrap_or_default());
        }
        assert!(body.is_end_stream() || matches!(body, ReqBody::Stream(_)));
        Ok(out)
    }

    #[tokio::test]
    async fn bytes_have_a_length_and_go_in_one_frame() {
        let body = ReqBody::from(Bytes::from_static(b"hello"));
        assert_eq!(body.size_hint().exact(), Some(5));
        assert!(!body.is_end_stream());
        assert_eq!(frames(body).await.unwrap(), [Bytes::from_static(b"hello")]);
        let empty = ReqBody::Empty;
        assert!(empty.is_end_stream());
        assert_eq!(empty.size_hint().exact(), Some(0));
        assert!(frames(empty).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn streams_have_no_length_skip_empty_chunks_and_stop_at_err() {
        let items = [Ok(Bytes::from_static(b"a")), Ok(Bytes::new()), Ok(Bytes::from_static(b"b"))];
        let body = ReqBody::stream(futures_util::stream::iter(items));
        assert_eq!(body.size_hint().exact(), None);
        assert_eq!(frames(body).await.unwrap(), [Bytes::from_static(b"a"), Bytes::from_static(b"b")]);
        let failing = ReqBody::stream(futures_util::stream::iter([
            Ok(Bytes::from_static(b"a")),
            Err(io::Error::other("disk gone")),
        ]));
        assert_eq!(frames(failing).await.unwrap_err().to_string(), "disk gone");
    }
}

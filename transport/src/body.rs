//! Response bodies as streams of `Bytes`, and [`ByteStream`] for tar downloads.
//!
//! Every streaming response type ([`JsonStream`](crate::JsonStream),
//! [`OutputStream`](crate::OutputStream), [`ByteStream`]) reads from a [`ByteSource`]: either a
//! hyper response body or the read half of a hijacked connection. The source owns what keeps the
//! connection alive, so dropping a stream closes the connection and the daemon stops the work.

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http_body::Body as _;
use hyper::body::Incoming;
use tokio::io::{AsyncRead, ReadBuf};
use tokio::time::Instant;

use crate::error::Error;
use crate::roundtrip::Conn;
use crate::timeout::{within, TimeoutPhase};

/// A boxed stream of body chunks.
pub type ByteSource = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A response body and the connection it arrives on, which is driven as the body is read
/// (`roundtrip::Conn`): no task of its own, no channel hop per chunk.
pub(crate) struct DrivenBody {
    body: Incoming,
    conn: Conn,
    /// The body was read to its end (`is_end_stream` says so only for known lengths).
    ended: bool,
}

impl DrivenBody {
    pub(crate) fn new(body: Incoming, conn: Conn) -> DrivenBody {
        DrivenBody { body, conn, ended: false }
    }

    /// The next data chunk (empty frames and trailers are skipped), `None` at the end.
    pub(crate) fn poll_data(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, hyper::Error>>> {
        let mut drove = false;
        loop {
            match Pin::new(&mut self.body).poll_frame(cx) {
                Poll::Ready(None) => {
                    self.ended = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        if !data.is_empty() {
                            return Poll::Ready(Some(Ok(data)));
                        }
                    }
                }
                Poll::Pending if drove => return Poll::Pending,
                Poll::Pending => {
                    // The connection reads the next chunk into the body (or waits for the
                    // socket, with this task's waker).
                    self.conn.drive(cx);
                    drove = true;
                }
            }
        }
    }

    /// After the body was read to its end: the connection goes back to the idle pool when
    /// it came for an ordinary call.
    pub(crate) fn finish(self) {
        if self.ended || self.body.is_end_stream() {
            self.conn.release();
        }
    }
}

/// A hyper response body as a [`Stream`] of data chunks (trailers are skipped). Dropping it
/// closes the connection.
pub(crate) struct IncomingStream {
    body: DrivenBody,
    operation: &'static str,
}

impl IncomingStream {
    pub(crate) fn new(body: DrivenBody, operation: &'static str) -> Self {
        IncomingStream { body, operation }
    }
}

impl Stream for IncomingStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let op = self.operation;
        self.body.poll_data(cx).map(|item| item.map(|r| r.map_err(|e| Error::transport(op, e))))
    }
}

/// How a buffered read of a body ended.
#[derive(Debug)]
pub(crate) enum Ending {
    /// The whole body was read.
    Complete,
    /// The body is longer than the limit; what was read is its beginning.
    OverLimit,
    /// The connection failed in the middle of the body; what was read is what arrived.
    Cut(Error),
}

/// Reads a body into memory, keeping at most `limit` bytes, within `deadline` (past it:
/// [`TimeoutPhase::Body`]). A `Content-Length` over the limit ends the read before any byte
/// is read; the buffer never grows past the limit.
pub(crate) async fn read_capped(
    mut body: DrivenBody,
    operation: &'static str,
    limit: usize,
    deadline: Option<Instant>,
) -> Result<(Bytes, Ending), Error> {
    let hint = body.body.size_hint();
    if hint.lower() > limit as u64 {
        return Ok((Bytes::new(), Ending::OverLimit));
    }
    // Reserve what the daemon announces (at most the limit), else grow as data comes.
    let mut out = BytesMut::with_capacity(hint.exact().map_or(0, |n| n as usize));
    let read = async {
        while let Some(data) = poll_fn(|cx| body.poll_data(cx)).await {
            let data = match data {
                Ok(data) => data,
                Err(e) => return Ok(Ending::Cut(Error::transport(operation, e))),
            };
            let room = limit - out.len();
            if data.len() > room {
                append_within(&mut out, &data[..room], limit);
                return Ok(Ending::OverLimit);
            }
            append_within(&mut out, &data, limit);
        }
        Ok(Ending::Complete)
    };
    let ending = within(deadline, operation, TimeoutPhase::Body, read).await?;
    if let Ending::Complete = ending {
        body.finish();
    }
    Ok((out.freeze(), ending))
}

/// Reads a body to its end and throws it away, holding no more than one chunk at a time,
/// within `deadline`.
pub(crate) async fn drain(
    mut body: DrivenBody,
    operation: &'static str,
    deadline: Option<Instant>,
) -> Result<(), Error> {
    let read = async {
        while let Some(data) = poll_fn(|cx| body.poll_data(cx)).await {
            data.map_err(|e| Error::transport(operation, e))?;
        }
        Ok(())
    };
    within(deadline, operation, TimeoutPhase::Body, read).await?;
    body.finish();
    Ok(())
}

/// Appends `data` to `buf`, never letting its allocation grow past `ceiling` bytes (the caller
/// never appends past it): below the ceiling it doubles as usual, near it it grows to exactly
/// the ceiling, so a buffer bounded by a limit never allocates twice the limit. Growing goes
/// through `Vec::reserve_exact`, which reallocates in place where the allocator can.
pub(crate) fn append_within(buf: &mut BytesMut, data: &[u8], ceiling: usize) {
    let need = buf.len() + data.len();
    if need > buf.capacity() {
        let target = need.max(buf.capacity().saturating_mul(2)).max(64).min(ceiling.max(need));
        let mut v = Vec::from(std::mem::take(buf));
        v.reserve_exact(target.saturating_sub(v.len()));
        *buf = BytesMut::from(Bytes::from(v));
    }
    buf.extend_from_slice(data);
}

/// An [`AsyncRead`] (the hijacked connection) as a [`Stream`] of chunks.
///
/// Reads go into one buffer zeroed once and kept; each chunk is a copy of what one read
/// returned. (Zeroing and allocating a fresh 32 KiB buffer per read cost more than the data
/// when the daemon writes one small frame at a time.)
pub(crate) struct ReaderStream<R> {
    reader: R,
    scratch: Box<[u8]>,
    operation: &'static str,
    done: bool,
}

const READ_CHUNK: usize = 32 * 1024;

impl<R> ReaderStream<R> {
    pub(crate) fn new(reader: R, operation: &'static str) -> Self {
        ReaderStream { reader, scratch: vec![0; READ_CHUNK].into_boxed_slice(), operation, done: false }
    }
}

impl<R: AsyncRead + Unpin> Stream for ReaderStream<R> {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let mut rb = ReadBuf::new(&mut this.scratch);
        match Pin::new(&mut this.reader).poll_read(cx, &mut rb) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(())) if rb.filled().is_empty() => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Ok(())) => Poll::Ready(Some(Ok(Bytes::copy_from_slice(rb.filled())))),
            Poll::Ready(Err(e)) => {
                this.done = true;
                Poll::Ready(Some(Err(Error::transport(this.operation, e))))
            }
        }
    }
}

/// A raw response body (tar archives, exported images), chunk by chunk, never buffered whole.
pub struct ByteStream {
    source: ByteSource,
}

impl ByteStream {
    /// Wraps any stream of chunks.
    pub fn new(source: impl Stream<Item = Result<Bytes, Error>> + Send + 'static) -> ByteStream {
        ByteStream { source: Box::pin(source) }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.source.as_mut().poll_next(cx)
    }
}

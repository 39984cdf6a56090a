//! Hijacked connections of attach and exec start.
//!
//! The request carries `Connection: Upgrade` and `Upgrade: tcp`; the daemon answers
//! `101 UPGRADED` and from then on the socket is raw: container output comes in (multiplexed
//! unless a TTY is attached), stdin goes out as raw bytes (never framed). hyper hands over the
//! connection together with any bytes it had already read past the 101 headers, so output the
//! daemon sent in the same packet as the headers is not lost (tested).
//!
//! A success status without an upgrade is a success too: the daemon answers a detached
//! `ExecStart` (`Detach: true`) with `200 OK` and runs the command without a session. The
//! [`Hijacked`] then has the (usually empty) response body as its output and a closed input.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::connect::{BoxIo, ReadSide, WriteSide};
use crate::multiplex::OutputStream;

/// Both directions of an attach/exec session.
///
/// When the daemon answered with a success status instead of `101` (a detached exec start),
/// `output` is the response body, usually empty, and `input` is closed
/// ([`HijackWriter::is_closed`]): writes fail with [`io::ErrorKind::BrokenPipe`], flushing and
/// closing do nothing.
#[derive(Debug)]
pub struct Hijacked {
    /// Container output.
    pub output: OutputStream,
    /// Container stdin.
    pub input: HijackWriter,
}

/// Write side of a hijacked connection: bytes written go to the container's stdin.
pub struct HijackWriter {
    /// None: the connection was not upgraded, there is no stdin.
    inner: Option<WriteSide>,
}

impl fmt::Debug for HijackWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HijackWriter").finish_non_exhaustive()
    }
}

impl HijackWriter {
    pub(crate) fn new(inner: WriteSide) -> HijackWriter {
        HijackWriter { inner: Some(inner) }
    }

    /// The input of a session the daemon did not upgrade (a detached exec start).
    pub(crate) fn closed() -> HijackWriter {
        HijackWriter { inner: None }
    }

    /// True when there is no stdin to write to: the daemon answered without upgrading the
    /// connection (a detached exec start).
    pub fn is_closed(&self) -> bool {
        self.inner.is_none()
    }

    /// Ends stdin: flushes, then half-closes the connection (`shutdown(SHUT_WR)` on unix and
    /// TCP sockets, `close_notify` then `SHUT_WR` on TLS). Output keeps flowing until the daemon
    /// closes its side; the daemon closes the container's stdin (exec, or attach with
    /// `StdinOnce`) or ends the attach. Does nothing on a closed input.
    pub async fn close_write(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Some(w) => w.shutdown().await,
            None => Ok(()),
        }
    }
}

fn no_stdin() -> io::Error {
    io::Error::new(
        io::ErrorKind::BrokenPipe,
        "no stdin: the daemon answered without upgrading the connection (detached)",
    )
}

impl AsyncWrite for HijackWriter {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match &mut self.inner {
            Some(w) => Pin::new(w).poll_write(cx, buf),
            None => Poll::Ready(Err(no_stdin())),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.inner {
            Some(w) => Pin::new(w).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.inner {
            Some(w) => Pin::new(w).poll_shutdown(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match &mut self.inner {
            Some(w) => Pin::new(w).poll_write_vectored(cx, bufs),
            None => Poll::Ready(Err(no_stdin())),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.as_ref().is_some_and(|w| w.is_write_vectored())
    }
}

/// The output and stdin directions of an upgraded connection, the bytes hyper read past the
/// `101` headers first. A unix socket gives two halves of its own (`Io::halves`), so the output
/// is read without a lock shared with the stdin writer and may wait briefly on the socket like
/// a stream (`unix_io`); any other stream is shared through `tokio::io::split`.
pub(crate) fn split_upgraded(upgraded: Upgraded) -> io::Result<(ReadSide, WriteSide)> {
    let parts = match upgraded.downcast::<TokioIo<BoxIo>>() {
        Ok(parts) => parts,
        Err(upgraded) => {
            let (read, write) = tokio::io::split(TokioIo::new(upgraded));
            return Ok((Box::new(read), Box::new(write)));
        }
    };
    let io = parts.io.into_inner();
    let early = io::Cursor::new(parts.read_buf);
    if let Some(halves) = io.halves() {
        // The halves hold duplicates of the descriptor; `io` closes only its own.
        let (read, write) = halves?;
        return Ok((Box::new(early.chain(read)), write));
    }
    let (read, write) = tokio::io::split(io);
    Ok((Box::new(early.chain(read)), Box::new(write)))
}

//! Hijacked connections of attach and exec start.
//!
//! The request carries `Connection: Upgrade` and `Upgrade: tcp`; the daemon answers
//! `101 UPGRADED` and from then on the socket is raw: container output comes in (multiplexed
//! unless a TTY is attached), stdin goes out as raw bytes (never framed). hyper hands over the
//! connection together with any bytes it had already read past the 101 headers, so output the
//! daemon sent in the same packet as the headers is not lost (tested).

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::upgrade::Upgraded;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncWrite, AsyncWriteExt, WriteHalf};

use crate::multiplex::OutputStream;

/// Both directions of an attach/exec session.
#[derive(Debug)]
pub struct Hijacked {
    /// Container output.
    pub output: OutputStream,
    /// Container stdin.
    pub input: HijackWriter,
}

/// Write side of a hijacked connection: bytes written go to the container's stdin.
pub struct HijackWriter {
    inner: WriteHalf<TokioIo<Upgraded>>,
}

impl fmt::Debug for HijackWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HijackWriter").finish_non_exhaustive()
    }
}

impl HijackWriter {
    pub(crate) fn new(inner: WriteHalf<TokioIo<Upgraded>>) -> HijackWriter {
        HijackWriter { inner }
    }

    /// Ends stdin: flushes, then half-closes the connection (`shutdown(SHUT_WR)` on unix and
    /// TCP sockets, `close_notify` then `SHUT_WR` on TLS). Output keeps flowing until the daemon
    /// closes its side; the daemon closes the container's stdin (exec, or attach with
    /// `StdinOnce`) or ends the attach.
    pub async fn close_write(&mut self) -> io::Result<()> {
        self.inner.shutdown().await
    }
}

impl AsyncWrite for HijackWriter {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

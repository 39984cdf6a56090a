//! The unix socket under every `unix://` connection (`connect`): a tokio reactor registration
//! only while a read or write has to wait, and, on the thread that runs `block_on` of a
//! multi-thread runtime, a brief wait on the socket itself before that.
//!
//! Why: dockerd writes each log line as a frame of its own. Read from `main` of a plain
//! `#[tokio::main]` program, every frame costs a hop: the reactor's worker thread wakes in
//! `epoll_wait` on the daemon's write, then wakes the `block_on` thread, and it is woken again by
//! writes that arrive while `main` is still reading. The two busy threads leave dockerd, the real
//! bottleneck, less of the machine: logs read from `main` took as long as `docker logs`, while the
//! same code on a `current_thread` runtime (one thread) was 20 % faster. Waiting in `poll(2)` on
//! the socket itself, with the socket out of the reactor, makes `main` the only thread involved
//! and reads as fast as `current_thread` (`cargo xtask bench --daemon`, the logs rows).
//!
//! The brief wait blocks the `block_on` thread for at most [`BRIEF_WAIT`] when nothing arrives,
//! and only there: never on a worker or a `current_thread` runtime (other tasks would wait),
//! never while a write waits for room (deregistering would lose its wake-up), never on an
//! ordinary call's pooled connection (hyper probes it with a read after each response). A
//! hijacked attach/exec session gets two halves on duplicates of the descriptor
//! ([`UnixIo::duplicated_halves`]): its output waits briefly like a stream, its stdin writer never, and
//! no lock is shared between them.

use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio::runtime::{Handle, RuntimeFlavor};

use crate::connect::ReadWait;

/// The longest a read on the `block_on` thread waits on the socket itself before it registers
/// with the reactor and returns `Pending`. A busy stream's next frame comes within microseconds.
const BRIEF_WAIT: Duration = Duration::from_micros(200);

/// A connected, non-blocking unix socket.
pub(crate) struct UnixIo {
    socket: Socket,
    wait: ReadWait,
    /// A write returned `Pending`: its wake-up hangs on the registration, so keep it.
    write_pending: bool,
    /// A brief wait ran out since the last data: the stream is idle, wait in the reactor until
    /// data comes (no brief wait per wake-up: a wake-up without data is allowed).
    idle: bool,
}

enum Socket {
    /// Not known to the reactor.
    Plain(UnixStream),
    /// Registered with the reactor, for a read or write that waits.
    Registered(AsyncFd<UnixStream>),
    /// Only while switching between the two.
    Switching,
}

impl UnixIo {
    pub(crate) async fn connect(path: &std::path::Path, wait: ReadWait) -> io::Result<UnixIo> {
        let socket = tokio::net::UnixStream::connect(path).await?.into_std()?;
        socket.set_nonblocking(true)?;
        Ok(UnixIo { socket: Socket::Plain(socket), wait, write_pending: false, idle: false })
    }

    /// A reading and a writing side on duplicates of the descriptor, for a hijacked session:
    /// the output is read without a lock shared with the stdin writer, so the reading side may
    /// wait briefly like a stream.
    pub(crate) fn duplicated_halves(&self) -> io::Result<(UnixIo, UnixIo)> {
        let side = |wait| -> io::Result<UnixIo> {
            let socket = Socket::Plain(self.stream().try_clone()?);
            Ok(UnixIo { socket, wait, write_pending: false, idle: false })
        };
        Ok((side(ReadWait::Brief)?, side(ReadWait::Never)?))
    }

    fn stream(&self) -> &UnixStream {
        match &self.socket {
            Socket::Plain(s) => s,
            Socket::Registered(fd) => fd.get_ref(),
            Socket::Switching => unreachable!("the socket is only absent inside register/deregister"),
        }
    }

    fn registered(&mut self) -> io::Result<&AsyncFd<UnixStream>> {
        if let Socket::Plain(_) = self.socket {
            let Socket::Plain(s) = std::mem::replace(&mut self.socket, Socket::Switching) else { unreachable!() };
            let interest = Interest::READABLE | Interest::WRITABLE;
            // SAFETY: a std `UnixStream` owns its open fd for its whole life and `as_raw_fd`
            // always returns that fd; the `AsyncFd` owns the stream until `into_inner`.
            #[allow(unsafe_code)]
            let registered = unsafe { AsyncFd::register_with_interest(s, interest) };
            match registered {
                Ok(fd) => self.socket = Socket::Registered(fd),
                Err(e) => {
                    let (s, e) = e.into_parts();
                    self.socket = Socket::Plain(s);
                    return Err(e);
                }
            }
        }
        match &self.socket {
            Socket::Registered(fd) => Ok(fd),
            _ => unreachable!("registered above"),
        }
    }

    fn deregister(&mut self) {
        if let Socket::Registered(_) = self.socket {
            let Socket::Registered(fd) = std::mem::replace(&mut self.socket, Socket::Switching) else { unreachable!() };
            self.socket = Socket::Plain(fd.into_inner());
        }
    }

    /// A brief wait is allowed now: the setting, no write waiting, and the `block_on` thread of
    /// a multi-thread runtime (no task id there; workers always run a task).
    fn may_wait_here(&self) -> bool {
        self.wait == ReadWait::Brief
            && !self.write_pending
            && !self.idle
            && tokio::task::try_id().is_none()
            && Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread)
    }
}

/// `poll(2)` for input on `fd` for at most `timeout`: true when something can be read (data,
/// end of stream or an error, which the next read reports).
#[allow(unsafe_code)]
fn readable_within(fd: &impl AsRawFd, timeout: Duration) -> bool {
    let mut pollfd = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    let secs = libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX);
    let ts = libc::timespec { tv_sec: secs, tv_nsec: timeout.subsec_nanos() as libc::c_long };
    // SAFETY: one valid `pollfd` on the stack for the duration of the call, an fd this value
    // owns, a valid timespec and no signal mask; ppoll writes only `revents`.
    let ready = unsafe { libc::ppoll(&mut pollfd, 1, &ts, std::ptr::null()) };
    ready > 0
}

impl AsyncRead for UnixIo {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let me = self.get_mut();
        loop {
            match me.stream().read(buf.initialize_unfilled()) {
                Ok(n) => {
                    me.idle = false;
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
            if me.may_wait_here() {
                // Out of the reactor, so its worker is not woken by every write of the daemon.
                me.deregister();
                if readable_within(me.stream(), BRIEF_WAIT) {
                    continue;
                }
                me.idle = true;
            }
            match me.registered()?.poll_read_ready(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(mut guard)) => guard.clear_ready(),
            }
        }
    }
}

impl UnixIo {
    /// One write (`write` or `write_vectored`), waiting in the reactor for room.
    fn poll_write_with(
        &mut self,
        cx: &mut Context<'_>,
        write: impl Fn(&UnixStream) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        loop {
            match write(self.stream()) {
                Ok(n) => {
                    self.write_pending = false;
                    return Poll::Ready(Ok(n));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Poll::Ready(Err(e)),
            }
            match self.registered()?.poll_write_ready(cx) {
                Poll::Pending => {
                    self.write_pending = true;
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(mut guard)) => guard.clear_ready(),
            }
        }
    }
}

impl AsyncWrite for UnixIo {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_with(cx, |mut s| s.write(data))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_write_with(cx, |mut s| s.write_vectored(bufs))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// A real half-close, which hijacked sessions rely on.
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.stream().shutdown(std::net::Shutdown::Write))
    }
}

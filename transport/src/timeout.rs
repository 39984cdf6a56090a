//! Deadlines: how long each phase of a call may take, and the error that says which one ran out.
//!
//! A call goes through phases, each with its own clock:
//!
//! - **connect** ([`TimeoutPhase::Connect`]): opening the socket and the TLS handshake, within
//!   the connect timeout (default 10 s);
//! - **response headers** ([`TimeoutPhase::Headers`]) and **body** ([`TimeoutPhase::Body`]) of a
//!   non-streaming call (JSON, text, empty, `HEAD`, the ping, the handshake of attach/exec),
//!   within the response timeout (default [`DEFAULT_RESPONSE_TIMEOUT`](crate::DEFAULT_RESPONSE_TIMEOUT)).
//!   Its clock starts once the request has been written, so a large streamed upload
//!   (`PutContainerArchive`) does not count against it; it then covers the head and the body.
//!   Long-poll operations, whose daemon sends the head at once and the body only when the work
//!   is done (`ContainerWait`, and the plugin pulls, upgrades and pushes that stream progress),
//!   get the deadline for their head only. An error body (any status that is not a success) is
//!   always read within the response timeout, streams included: error bodies are never slow;
//! - **idle** ([`TimeoutPhase::Idle`]): the longest gap between two chunks of a stream's body
//!   (JSON streams, logs, tar downloads, hijacked output), when a stream idle timeout is set
//!   (off by default: a `follow` stream may legitimately be quiet for hours).
//!
//! The request timeout, when set, is one more deadline over the whole call (until the response
//! head for streams); whichever deadline expires first names the phase it expired in.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use tokio::sync::oneshot;
use tokio::time::{Instant, Sleep};

use crate::body::ByteSource;
use crate::error::Error;

/// What was being waited for when a timeout expired ([`Error::Timeout`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Opening the connection (TLS handshake included).
    Connect,
    /// The response status line and headers (for an upload: after the body was written).
    Headers,
    /// The rest of the response body of a non-streaming call, or an error body.
    Body,
    /// The next chunk of a stream (the stream idle timeout).
    Idle,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting to the daemon",
            TimeoutPhase::Headers => "waiting for the response headers",
            TimeoutPhase::Body => "reading the response body",
            TimeoutPhase::Idle => "waiting for more of the stream (idle timeout)",
        })
    }
}

/// Operations whose daemon sends the response head at once and the body only when long work is
/// done: the response timeout covers their head only.
const LONG_POLL: &[&str] = &["ContainerWait", "PluginPull", "PluginUpgrade", "PluginPush"];

/// The deadlines of one call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadlines {
    /// End of the request timeout, counted from the start of the call.
    pub(crate) request: Option<Instant>,
    /// The response timeout, when it applies to this call (not to streams).
    pub(crate) response: Option<Duration>,
    /// The response timeout as configured: the bound for error bodies, streams included.
    pub(crate) error_body: Option<Duration>,
    /// Whether the response timeout covers the body too (not for long-poll operations).
    pub(crate) bounds_body: bool,
}

impl Deadlines {
    /// Deadlines for a call of `operation` starting now.
    pub(crate) fn start(s: &crate::transport::Settings, operation: &str, streaming: bool) -> Deadlines {
        Deadlines {
            request: s.request_timeout.map(|d| Instant::now() + d),
            response: if streaming { None } else { s.response_timeout },
            error_body: s.response_timeout,
            bounds_body: !LONG_POLL.contains(&operation),
        }
    }

    /// The deadline of an error body, whose reading starts now.
    pub(crate) fn error_body_deadline(&self) -> Option<Instant> {
        earliest(self.request, self.error_body.map(|d| Instant::now() + d))
    }
}

/// The earlier of two optional instants.
pub(crate) fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Runs `fut` until `deadline`; past it, fails with [`Error::Timeout`] in `phase`.
pub(crate) async fn within<T>(
    deadline: Option<Instant>,
    operation: &'static str,
    phase: TimeoutPhase,
    fut: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    match deadline {
        None => fut.await,
        Some(at) => tokio::time::timeout_at(at, fut).await.map_err(|_| Error::Timeout { operation, phase })?,
    }
}

/// Sleeps until `at`, or for ever without one.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Waits for the response head of a sent request. `written` fires when a streamed request body
/// has been written out (None: the body is in memory, the clock starts now). Returns the head
/// and the deadline for the body.
pub(crate) async fn await_head<T>(
    operation: &'static str,
    head: impl Future<Output = Result<T, Error>>,
    written: Option<oneshot::Receiver<()>>,
    dl: &Deadlines,
) -> Result<(T, Option<Instant>), Error> {
    let mut written = written;
    let mut response_at = match written {
        None => dl.response.map(|d| Instant::now() + d),
        Some(_) => None,
    };
    let mut head = std::pin::pin!(head);
    loop {
        let until = earliest(dl.request, response_at);
        let mut expiry = std::pin::pin!(sleep_until(until));
        // Polled in this order (the head first), as `tokio::select! { biased; .. }` would, without
        // needing tokio's proc-macros.
        let event = std::future::poll_fn(|cx| {
            if let Poll::Ready(resp) = head.as_mut().poll(cx) {
                return Poll::Ready(HeadEvent::Head(resp));
            }
            if let Some(w) = written.as_mut() {
                if Pin::new(w).poll(cx).is_ready() {
                    return Poll::Ready(HeadEvent::Written);
                }
            }
            match expiry.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(HeadEvent::Expired),
                Poll::Pending => Poll::Pending,
            }
        })
        .await;
        match event {
            HeadEvent::Head(resp) => {
                let response_at = response_at.or_else(|| dl.response.map(|d| Instant::now() + d));
                let body = if dl.bounds_body { earliest(dl.request, response_at) } else { dl.request };
                return Ok((resp?, body));
            }
            // The upload is out (or its writer gave up): the response clock starts now.
            HeadEvent::Written => {
                written = None;
                response_at = dl.response.map(|d| Instant::now() + d);
            }
            HeadEvent::Expired => return Err(Error::Timeout { operation, phase: TimeoutPhase::Headers }),
        }
    }
}

/// What [`await_head`] woke up for.
enum HeadEvent<T> {
    /// The response head (or the error of getting it).
    Head(Result<T, Error>),
    /// The streamed request body has been written out.
    Written,
    /// The deadline passed.
    Expired,
}

/// A stream of body chunks that fails with [`TimeoutPhase::Idle`] when no chunk comes for
/// `limit`, then ends.
pub(crate) struct IdleTimeout {
    source: ByteSource,
    limit: Duration,
    sleep: Pin<Box<Sleep>>,
    operation: &'static str,
    expired: bool,
}

impl IdleTimeout {
    /// `source` with an idle limit, if there is one.
    pub(crate) fn wrap(operation: &'static str, source: ByteSource, limit: Option<Duration>) -> ByteSource {
        match limit {
            None => source,
            Some(limit) => Box::pin(IdleTimeout {
                source,
                limit,
                sleep: Box::pin(tokio::time::sleep(limit)),
                operation,
                expired: false,
            }),
        }
    }
}

impl Stream for IdleTimeout {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.expired {
            return Poll::Ready(None);
        }
        match this.source.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                let next = Instant::now() + this.limit;
                this.sleep.as_mut().reset(next);
                Poll::Ready(item)
            }
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.expired = true;
                    Poll::Ready(Some(Err(Error::Timeout { operation: this.operation, phase: TimeoutPhase::Idle })))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadlines(request: Option<Duration>, response: Option<Duration>) -> Deadlines {
        Deadlines { request: request.map(|d| Instant::now() + d), response, error_body: response, bounds_body: true }
    }

    /// A head that comes `after` from now.
    async fn head_after(after: Duration) -> Result<&'static str, Error> {
        tokio::time::sleep(after).await;
        Ok("head")
    }

    const SEC: Duration = Duration::from_secs(1);

    #[tokio::test(start_paused = true)]
    async fn response_clock_starts_once_the_upload_is_written() {
        let (tx, rx) = oneshot::channel();
        let started = Instant::now();
        tokio::spawn(async move {
            tokio::time::sleep(5 * SEC).await;
            let _ = tx.send(());
        });
        // The upload takes 5 s, the head comes 0.5 s later: within a 1 s response timeout.
        let dl = deadlines(None, Some(SEC));
        let (head, body_at) =
            await_head("PutContainerArchive", head_after(5 * SEC + SEC / 2), Some(rx), &dl).await.unwrap();
        assert_eq!(head, "head");
        assert_eq!(body_at, Some(started + 6 * SEC), "the body deadline counts from the written upload");
    }

    #[tokio::test(start_paused = true)]
    async fn silence_after_the_upload_times_out_in_the_headers_phase() {
        let (tx, rx) = oneshot::channel::<()>();
        let started = Instant::now();
        tokio::spawn(async move {
            tokio::time::sleep(3 * SEC).await;
            drop(tx); // a writer that gives up counts as done: the clock must start anyway
        });
        // The request deadline only stops a broken wait from hanging the test.
        let dl = deadlines(Some(100 * SEC), Some(SEC));
        let e = await_head("PutContainerArchive", std::future::pending::<Result<(), Error>>(), Some(rx), &dl)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Timeout { phase: TimeoutPhase::Headers, .. }), "{e:?}");
        assert_eq!(started.elapsed(), 4 * SEC);
    }

    #[tokio::test(start_paused = true)]
    async fn request_deadline_bounds_a_slow_upload() {
        let (_tx, rx) = oneshot::channel::<()>();
        let started = Instant::now();
        let dl = deadlines(Some(2 * SEC), Some(SEC));
        let e = await_head("PutContainerArchive", std::future::pending::<Result<(), Error>>(), Some(rx), &dl)
            .await
            .unwrap_err();
        assert_eq!(e.timeout_phase(), Some(TimeoutPhase::Headers));
        assert_eq!(started.elapsed(), 2 * SEC);
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_ready_at_the_deadline_wins() {
        let started = Instant::now();
        let dl = deadlines(None, Some(SEC));
        let (head, body_at) = await_head("ContainerList", head_after(SEC), None, &dl).await.unwrap();
        assert_eq!(head, "head");
        assert_eq!(body_at, Some(started + SEC));
        let dl = Deadlines { bounds_body: false, ..deadlines(Some(10 * SEC), Some(SEC)) };
        let (_, body_at) = await_head("ContainerWait", head_after(SEC / 2), None, &dl).await.unwrap();
        assert_eq!(body_at, dl.request, "a long-poll body is bounded by the request timeout only");
    }
}

//! A connection driven where its response is read.
//!
//! hyper's `client::conn` hands back a `SendRequest` and a connection future that does the
//! socket work. Spawning that future makes every body chunk cross from the connection task to
//! the reader through a channel: on a multi-thread runtime that is a cross-thread wake-up per
//! chunk, and dockerd sends each log frame or stream item as its own chunk. Each request here
//! has its connection to itself while it runs, so the future is polled by whoever waits for
//! the response or reads the body instead: one task, no hand-over.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use hyper::client::conn::http1::SendRequest;

use super::pool::Pool;
use crate::req_body::ReqBody;

/// hyper's connection future (`with_upgrades`; its type cannot be named).
type Driver = Pin<Box<dyn Future<Output = hyper::Result<()>> + Send>>;

/// One HTTP/1.1 connection: the request side and the future that drives the socket.
pub(crate) struct Conn {
    pub(crate) sender: SendRequest<ReqBody>,
    /// `None` once the connection has ended (closed, failed, or upgraded away).
    driver: Option<Driver>,
    /// The pool an ordinary call's connection goes back to once its response was read whole.
    home: Option<Arc<Pool>>,
    /// Whether it came from the pool (a request that fails on it may be retried).
    pub(crate) reused: bool,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conn").field("open", &self.is_open()).field("reused", &self.reused).finish()
    }
}

impl Conn {
    pub(crate) fn new(
        sender: SendRequest<ReqBody>,
        driver: impl Future<Output = hyper::Result<()>> + Send + 'static,
    ) -> Conn {
        Conn { sender, driver: Some(Box::pin(driver)), home: None, reused: false }
    }

    /// Lets the connection do its socket work (read the response, write the request).
    pub(crate) fn drive(&mut self, cx: &mut Context<'_>) {
        if let Some(driver) = self.driver.as_mut() {
            // Errors surface through the response future or the body.
            if driver.as_mut().poll(cx).is_ready() {
                self.driver = None;
            }
        }
    }

    /// Takes in whatever already arrived (the end of a response, the peer's close) without
    /// waiting.
    pub(crate) fn drive_now(&mut self) {
        self.drive(&mut Context::from_waker(Waker::noop()));
    }

    /// Whether the connection can still carry a request.
    pub(crate) fn is_open(&self) -> bool {
        self.driver.is_some() && !self.sender.is_closed()
    }

    /// Runs `fut` (a response, an upgrade) while driving the connection.
    pub(crate) async fn drive_while<F: Future>(&mut self, fut: F) -> F::Output {
        let mut fut = std::pin::pin!(fut);
        poll_fn(|cx| {
            if let Poll::Ready(v) = fut.as_mut().poll(cx) {
                return Poll::Ready(v);
            }
            self.drive(cx);
            fut.as_mut().poll(cx)
        })
        .await
    }

    /// Waits until the connection takes a request (a pooled one must say so first).
    pub(crate) async fn ready(&mut self) -> Result<(), hyper::Error> {
        poll_fn(|cx| {
            self.drive(cx);
            self.sender.poll_ready(cx)
        })
        .await
    }

    /// Marks the connection as one to give back to `pool` once its response is read whole.
    pub(crate) fn come_back_to(&mut self, pool: Arc<Pool>) {
        self.home = Some(pool);
    }

    /// Back to its pool, if it has one and can carry another request; else closed.
    pub(crate) fn release(mut self) {
        if let Some(pool) = self.home.take() {
            self.drive_now();
            if self.is_open() {
                pool.put(self);
            }
        }
    }
}

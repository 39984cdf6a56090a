//! The idle pool of ordinary calls' connections (keep-alive).
//!
//! A call whose response is read whole (JSON, text, empty answers, `HEAD`, the ping) gives its
//! connection back here, and the next such call takes it instead of connecting again: no TCP
//! or TLS handshake, no `ssh` process per call, no `TIME_WAIT` socket per call. Streams and
//! hijacked attach/exec always open a connection of their own and never give it back: a
//! stream's connection dies with the stream, so the daemon sees the reader leave. A response
//! not read to its end (an error, a timeout, a dropped future) closes its connection.
//!
//! At most `max` connections wait, each at most [`IDLE_TIMEOUT`] (the Go client's
//! `IdleConnTimeout`). A connection the daemon closed while it waited is noticed when it is
//! taken (its end of stream is read without waiting) and thrown away; a request that fails on
//! a reused connection before any answer is retried once on a new connection when it can be
//! replayed (see `roundtrip`).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::conn::Conn;

/// How long an idle connection is kept.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(90);

pub(crate) struct Pool {
    idle: Mutex<Vec<(Conn, Instant)>>,
    /// How many connections may wait (0: no pooling).
    max: usize,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool").field("idle", &self.idle_count()).finish()
    }
}

impl Pool {
    pub(crate) fn new(max: usize) -> Pool {
        Pool { idle: Mutex::new(Vec::new()), max }
    }

    /// The most recently used idle connection that is still open, if any.
    pub(crate) fn take(&self) -> Option<Conn> {
        loop {
            let (mut conn, since) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            if since.elapsed() >= IDLE_TIMEOUT {
                continue;
            }
            conn.drive_now();
            if conn.is_open() {
                conn.reused = true;
                return Some(conn);
            }
        }
    }

    /// Keeps `conn` for the next call, if there is room.
    pub(crate) fn put(&self, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        idle.retain(|(_, since)| since.elapsed() < IDLE_TIMEOUT);
        if idle.len() < self.max {
            idle.push((conn, Instant::now()));
        }
    }

    /// How many connections wait.
    pub(crate) fn idle_count(&self) -> usize {
        self.idle.lock().map_or(0, |i| i.len())
    }
}

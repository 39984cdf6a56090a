//! stdout/stderr output of logs, attach and exec: multiplexed frames or raw TTY bytes.
//!
//! Multiplexed format: an 8-byte header `[stream, 0, 0, 0, len (big-endian u32)]` then `len`
//! payload bytes. Stream ids: 0 stdin, 1 stdout, 2 stderr, 3 "systemerr" (a daemon error, which
//! ends the stream). Unlike Go's `StdCopy`, a frame bigger than the limit, an unknown stream id
//! or a frame cut by EOF is an error, never a silent truncation or an unbounded allocation.
//!
//! Payloads are slices of the received buffers: a frame that lies inside one received chunk is
//! handed out without copying; only frames straddling chunks are assembled.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;

use crate::body::ByteSource;
use crate::error::Error;
use crate::error_text::daemon_text;
use crate::transport::DEFAULT_MAX_FRAME_LEN;

/// One piece of container output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputChunk {
    /// Stream 0 (echoed stdin; the daemon writes it to stdout readers).
    StdIn(Bytes),
    /// Stream 1.
    StdOut(Bytes),
    /// Stream 2.
    StdErr(Bytes),
    /// Raw TTY output (not multiplexed): stdout and stderr are mixed.
    Console(Bytes),
}

impl OutputChunk {
    /// The payload, whatever the stream.
    pub fn bytes(&self) -> &Bytes {
        match self {
            OutputChunk::StdIn(b) | OutputChunk::StdOut(b) | OutputChunk::StdErr(b) | OutputChunk::Console(b) => b,
        }
    }

    /// The payload, whatever the stream.
    pub fn into_bytes(self) -> Bytes {
        match self {
            OutputChunk::StdIn(b) | OutputChunk::StdOut(b) | OutputChunk::StdErr(b) | OutputChunk::Console(b) => b,
        }
    }
}

/// Why the demuxer stopped.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DemuxError {
    /// Stream 3: the daemon's error text.
    SystemErr(Bytes),
    UnknownStream(u8),
    TooLarge(u32),
}

/// Incremental frame decoder: feed chunks, pull frames.
pub(crate) struct Demuxer {
    /// Unconsumed part of the last chunk fed.
    cur: Bytes,
    header: [u8; 8],
    header_len: usize,
    /// Stream id and length of the frame whose payload is being read.
    frame: Option<(u8, usize)>,
    /// Payload of a frame that straddles chunks.
    partial: BytesMut,
    max: usize,
}

impl Demuxer {
    pub(crate) fn new(max: usize) -> Demuxer {
        Demuxer { cur: Bytes::new(), header: [0; 8], header_len: 0, frame: None, partial: BytesMut::new(), max }
    }

    /// True when all fed bytes were consumed (call [`Demuxer::feed`] next).
    #[cfg(test)]
    pub(crate) fn needs_input(&self) -> bool {
        self.cur.is_empty()
    }

    /// Adds a chunk. Only call when the previous chunk is used up (`needs_input` in tests).
    pub(crate) fn feed(&mut self, chunk: Bytes) {
        debug_assert!(self.cur.is_empty());
        self.cur = chunk;
    }

    /// True if EOF now would cut a frame.
    pub(crate) fn in_frame(&self) -> bool {
        self.header_len > 0 || self.frame.is_some()
    }

    /// Next complete frame from the bytes fed so far, `Ok(None)` if more input is needed.
    pub(crate) fn next_frame(&mut self) -> Result<Option<(u8, Bytes)>, DemuxError> {
        loop {
            let (stream, len) = match self.frame {
                Some(f) => f,
                None => {
                    if self.header_len == 0 && self.cur.len() >= 8 {
                        self.header.copy_from_slice(&self.cur[..8]);
                        self.cur.advance(8);
                    } else {
                        let take = (8 - self.header_len).min(self.cur.len());
                        self.header[self.header_len..self.header_len + take].copy_from_slice(&self.cur[..take]);
                        self.cur.advance(take);
                        self.header_len += take;
                        if self.header_len < 8 {
                            return Ok(None);
                        }
                    }
                    self.header_len = 0;
                    let stream = self.header[0];
                    let len = u32::from_be_bytes([self.header[4], self.header[5], self.header[6], self.header[7]]);
                    if stream > 3 {
                        return Err(DemuxError::UnknownStream(stream));
                    }
                    if len as usize > self.max {
                        return Err(DemuxError::TooLarge(len));
                    }
                    if len == 0 {
                        // Empty frames carry nothing; skip them like docker-py does.
                        continue;
                    }
                    self.frame = Some((stream, len as usize));
                    (stream, len as usize)
                }
            };
            let payload = if self.partial.is_empty() && self.cur.len() >= len {
                // Whole frame inside the current chunk: zero-copy slice.
                self.cur.split_to(len)
            } else {
                let take = (len - self.partial.len()).min(self.cur.len());
                if self.partial.is_empty() {
                    // Grow with the data actually received, not with the announced length.
                    self.partial.reserve(take);
                }
                self.partial.extend_from_slice(&self.cur[..take]);
                self.cur.advance(take);
                if self.partial.len() < len {
                    return Ok(None);
                }
                self.partial.split().freeze()
            };
            self.frame = None;
            if stream == 3 {
                return Err(DemuxError::SystemErr(payload));
            }
            return Ok(Some((stream, payload)));
        }
    }
}

enum Mode {
    Multiplexed(Demuxer),
    Raw,
}

/// Container output as a stream of [`OutputChunk`]s.
///
/// Multiplexed errors: stream 3 → [`Error::Stream`] with the daemon's text; unknown stream id →
/// [`Error::Protocol`]; frame over the limit → [`Error::FrameTooLarge`]; frame cut by the end of
/// the connection → [`Error::UnexpectedEof`]. The stream ends after its first error.
pub struct OutputStream {
    source: ByteSource,
    mode: Mode,
    operation: &'static str,
    done: bool,
}

impl fmt::Debug for OutputStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputStream")
            .field("operation", &self.operation)
            .field("multiplexed", &self.is_multiplexed())
            .finish_non_exhaustive()
    }
}

impl OutputStream {
    /// Decodes multiplexed frames from `source`, refusing frames larger than `max_frame_len`.
    pub fn multiplexed(
        operation: &'static str,
        source: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
        max_frame_len: usize,
    ) -> OutputStream {
        OutputStream::with_mode(operation, Box::pin(source), Mode::Multiplexed(Demuxer::new(max_frame_len)))
    }

    /// Passes `source` through as [`OutputChunk::Console`] chunks (TTY output).
    pub fn raw(
        operation: &'static str,
        source: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
    ) -> OutputStream {
        OutputStream::with_mode(operation, Box::pin(source), Mode::Raw)
    }

    pub(crate) fn from_source(
        operation: &'static str,
        source: ByteSource,
        multiplexed: bool,
        max_frame_len: usize,
    ) -> OutputStream {
        let mode = if multiplexed { Mode::Multiplexed(Demuxer::new(max_frame_len)) } else { Mode::Raw };
        OutputStream::with_mode(operation, source, mode)
    }

    fn with_mode(operation: &'static str, source: ByteSource, mode: Mode) -> OutputStream {
        OutputStream { source, mode, operation, done: false }
    }

    /// Whether the output is decoded as multiplexed frames (false: raw TTY bytes).
    pub fn is_multiplexed(&self) -> bool {
        matches!(self.mode, Mode::Multiplexed(_))
    }

    fn fail(&mut self, e: Error) -> Poll<Option<Result<OutputChunk, Error>>> {
        self.done = true;
        Poll::Ready(Some(Err(e)))
    }
}

impl Default for Demuxer {
    fn default() -> Self {
        Demuxer::new(DEFAULT_MAX_FRAME_LEN)
    }
}

impl Stream for OutputStream {
    type Item = Result<OutputChunk, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        let operation = this.operation;
        loop {
            if let Mode::Multiplexed(demux) = &mut this.mode {
                match demux.next_frame() {
                    Ok(Some((stream, payload))) => {
                        let chunk = match stream {
                            0 => OutputChunk::StdIn(payload),
                            1 => OutputChunk::StdOut(payload),
                            _ => OutputChunk::StdErr(payload),
                        };
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Ok(None) => {}
                    Err(DemuxError::SystemErr(msg)) => {
                        let message = daemon_text(String::from_utf8_lossy(&msg).trim().as_bytes());
                        return this.fail(Error::Stream { operation, message, code: None });
                    }
                    Err(DemuxError::UnknownStream(id)) => {
                        return this.fail(Error::Protocol {
                            operation,
                            reason: format!("unknown multiplexed stream id {id}"),
                        });
                    }
                    Err(DemuxError::TooLarge(size)) => {
                        let limit = demux.max;
                        return this.fail(Error::FrameTooLarge { operation, size: size.into(), limit });
                    }
                }
            }
            match this.source.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => match &mut this.mode {
                    Mode::Raw => return Poll::Ready(Some(Ok(OutputChunk::Console(chunk)))),
                    Mode::Multiplexed(demux) => demux.feed(chunk),
                },
                Poll::Ready(Some(Err(e))) => return this.fail(e),
                Poll::Ready(None) => {
                    this.done = true;
                    if let Mode::Multiplexed(demux) = &this.mode {
                        if demux.in_frame() {
                            return Poll::Ready(Some(Err(Error::UnexpectedEof {
                                operation,
                                what: "a multiplexed frame",
                            })));
                        }
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![stream, 0, 0, 0];
        v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    type Decoded = (Vec<(u8, Vec<u8>)>, Option<DemuxError>, bool);

    fn decode_all(chunks: &[&[u8]]) -> Decoded {
        let mut d = Demuxer::new(1024);
        let mut out = Vec::new();
        for c in chunks {
            assert!(d.needs_input());
            d.feed(Bytes::copy_from_slice(c));
            loop {
                match d.next_frame() {
                    Ok(Some((s, p))) => out.push((s, p.to_vec())),
                    Ok(None) => break,
                    Err(e) => return (out, Some(e), d.in_frame()),
                }
            }
        }
        (out, None, d.in_frame())
    }

    #[test]
    fn frames_in_one_chunk_are_zero_copy() {
        let mut input = frame(1, b"hello");
        input.extend(frame(2, b"world"));
        let buf = Bytes::from(input);
        let mut d = Demuxer::new(1024);
        d.feed(buf.clone());
        let (_, p) = d.next_frame().unwrap().unwrap();
        // Same allocation: the payload points into the fed buffer.
        assert_eq!(p.as_ptr(), buf[8..].as_ptr());
        assert_eq!(d.next_frame().unwrap().unwrap(), (2, Bytes::from_static(b"world")));
        assert_eq!(d.next_frame().unwrap(), None);
    }

    #[test]
    fn every_split_point_decodes() {
        let mut input = frame(1, b"abc");
        input.extend(frame(0, b""));
        input.extend(frame(2, b"defgh"));
        for i in 0..=input.len() {
            let (out, err, cut) = decode_all(&[&input[..i], &input[i..]]);
            assert!(err.is_none());
            assert!(!cut);
            assert_eq!(out, vec![(1, b"abc".to_vec()), (2, b"defgh".to_vec())], "split at {i}");
        }
    }

    #[test]
    fn errors() {
        let (_, e, _) = decode_all(&[&frame(3, b"boom")]);
        assert_eq!(e, Some(DemuxError::SystemErr(Bytes::from_static(b"boom"))));
        let (_, e, _) = decode_all(&[&frame(7, b"x")]);
        assert_eq!(e, Some(DemuxError::UnknownStream(7)));
        let (_, e, _) = decode_all(&[&[1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]]);
        assert_eq!(e, Some(DemuxError::TooLarge(u32::MAX)));
        let (_, e, cut) = decode_all(&[&frame(1, b"abc")[..9]]);
        assert!(e.is_none() && cut);
        let (_, _, cut) = decode_all(&[&[1, 0, 0]]);
        assert!(cut);
    }
}

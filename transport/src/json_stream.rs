//! Streams of JSON values: pull/push/build/load progress, events, stats.
//!
//! The framing is found by a small scanner, not by splitting on newlines, because the daemon's
//! streams come in several shapes: objects followed by `\r\n` (progress), by `\n` (events, stats),
//! preceded by `0x1E` (RFC 7464 json-seq events), and some peers send objects with nothing in
//! between. The scanner remembers where it stopped, so a value split across any number of chunks
//! is scanned once, and it refuses a value larger than the limit before buffering more of it.
//! The scanner is the careful path: a value that lies whole in one chunk is first decoded
//! straight from it by serde_json ([`JsonFramer::decode_in_place`]), which costs about what
//! decoding the same value alone does.
//!
//! Progress streams report failures *inside* a 200 response as a final
//! `{"errorDetail":{"code":..,"message":..},"error":".."}` object; that item becomes
//! `Err(Error::Stream)` instead of a value with an unnoticed error field.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::body::{append_within, ByteSource};
use crate::decode::decode_json;
use crate::error::Error;
use crate::error_text::escape_controls;
use crate::json_object::json_object;

/// Bytes allowed between values: JSON whitespace and the json-seq record separator.
fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x1e)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// `{...}` or `[...]`: ends when the bracket depth returns to zero.
    Nested { open: u8, close: u8 },
    /// `"..."`.
    Str,
    /// Number, `true`, `false`, `null` (or garbage): ends at a separator or the next value.
    Scalar,
}

/// What the framer produced.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    Value(Bytes),
    NeedMore,
    /// The value in progress has reached this many bytes, over the limit.
    TooLarge(usize),
}

/// Incremental splitter of a byte stream into JSON values.
pub(crate) struct JsonFramer {
    /// The value being framed (and, briefly, bytes after it), at most `max + 1` bytes.
    buf: BytesMut,
    /// The part of the last chunk not yet moved into `buf`.
    pending: Bytes,
    /// Kind of the value starting at `buf[0]`, if one has started.
    kind: Option<Kind>,
    /// Next byte of `buf` to scan.
    pos: usize,
    depth: usize,
    in_string: bool,
    /// The previous byte (possibly in the previous chunk) was a backslash inside a string.
    escaped: bool,
    max: usize,
    /// Where the first `"error` in `pending` starts (`usize::MAX`: nowhere); `None` until
    /// searched. One search per chunk, kept in step as `pending` is consumed, instead of one
    /// search per item.
    error_key_at: Option<usize>,
}

impl JsonFramer {
    pub(crate) fn new(max: usize) -> JsonFramer {
        JsonFramer {
            buf: BytesMut::new(),
            pending: Bytes::new(),
            kind: None,
            pos: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            max,
            error_key_at: None,
        }
    }

    /// The fast path, for values that lie whole in the current chunk (nearly all of them):
    /// when no value is in progress and nothing is buffered, decodes a `T` straight from the
    /// chunk, without copying or scanning it first, and consumes it. `None`, with nothing but
    /// separators consumed, when that does not apply or does not work: a value cut by the
    /// chunk's end, one that is not a `T`, one over the limit, one holding an `"error` key (it
    /// may be an in-band error), or one that is not an object or array. The caller then frames
    /// the same bytes the careful way ([`JsonFramer::next_frame`]), so the scanner runs only
    /// where this fails. A value decoded here is no larger than the chunk, already in memory.
    pub(crate) fn decode_in_place<T: DeserializeOwned>(&mut self) -> Option<T> {
        if self.kind.is_some() {
            return None;
        }
        if !self.buf.is_empty() {
            // Only the separators a framed value left behind (its `\r\n`) may stay.
            if self.buf.iter().any(|&b| !is_separator(b)) {
                return None;
            }
            self.buf.clear();
        }
        let skip = self.pending.iter().position(|&b| !is_separator(b)).unwrap_or(self.pending.len());
        if skip > 0 {
            self.skip_pending(skip);
        }
        if !matches!(self.pending.first(), Some(b'{' | b'[')) {
            return None;
        }
        let mut de = serde_json::Deserializer::from_slice(&self.pending);
        let item = T::deserialize(&mut de).ok()?;
        // Where the value ended: a stream deserializer starts at its deserializer's offset.
        let end = de.into_iter::<serde::de::IgnoredAny>().byte_offset();
        let error_key_at = self.first_error_key();
        if end > self.max || error_key_at.saturating_add(ERROR_KEY_LEN) <= end {
            return None;
        }
        self.skip_pending(end);
        Some(item)
    }

    /// Where the first `"error` in `pending` starts, searching the whole chunk once.
    fn first_error_key(&mut self) -> usize {
        *self.error_key_at.get_or_insert_with(|| ERROR_KEY.find(&self.pending).unwrap_or(usize::MAX))
    }

    /// Drops `n` bytes from the front of `pending`.
    fn skip_pending(&mut self, n: usize) {
        self.pending_consumed(n);
        self.pending.advance(n);
    }

    /// Takes `n` bytes from the front of `pending`.
    fn take_pending(&mut self, n: usize) -> Bytes {
        self.pending_consumed(n);
        self.pending.split_to(n)
    }

    /// Keeps `error_key_at` in step with `n` bytes leaving the front of `pending`.
    fn pending_consumed(&mut self, n: usize) {
        self.error_key_at = match self.error_key_at {
            Some(usize::MAX) => Some(usize::MAX),
            Some(at) if at >= n => Some(at - n),
            // The key left with those bytes (or was never searched for): search again if asked.
            _ => None,
        };
    }

    /// Takes the next chunk; call only after [`JsonFramer::next_frame`] said
    /// [`Frame::NeedMore`]. The chunk is moved into the buffer piece by piece as framing needs
    /// it, so the buffer never holds more than the limit plus one byte.
    pub(crate) fn push(&mut self, chunk: Bytes) {
        debug_assert!(self.pending.is_empty());
        self.pending = chunk;
        self.error_key_at = None;
    }

    /// True if a value has started but not ended.
    #[cfg(test)]
    pub(crate) fn in_value(&self) -> bool {
        self.kind.is_some()
    }

    /// At end of input: a trailing scalar (`42` with no newline) is complete; anything else
    /// unfinished is an error (`Err(())`).
    pub(crate) fn finish(&mut self) -> Result<Option<Bytes>, ()> {
        match self.kind {
            None => Ok(None),
            Some(Kind::Scalar) => {
                self.kind = None;
                self.pos = 0;
                Ok(Some(self.buf.split().freeze()))
            }
            Some(_) => Err(()),
        }
    }

    pub(crate) fn next_frame(&mut self) -> Frame {
        loop {
            match self.frame_buffered() {
                Frame::NeedMore if !self.pending.is_empty() => {
                    // One byte past the limit is enough to know a value is too large.
                    let room = (self.max + 1).saturating_sub(self.buf.len()).max(1);
                    // Up to the next newline only: a value cut by the end of a chunk usually
                    // ends there, and the rest of the chunk then stays in `pending`, where the
                    // fast path decodes values without copying them.
                    let line_end = memchr::memchr(b'\n', &self.pending).map_or(self.pending.len(), |i| i + 1);
                    let take = room.min(line_end);
                    let piece = self.take_pending(take);
                    append_within(&mut self.buf, &piece, self.max.saturating_add(1));
                }
                frame => return frame,
            }
        }
    }

    /// Frames what is in `buf`.
    fn frame_buffered(&mut self) -> Frame {
        let kind = match self.kind {
            Some(k) => k,
            None => {
                let skip = self.buf.iter().position(|&b| !is_separator(b));
                match skip {
                    None => {
                        self.buf.clear();
                        return Frame::NeedMore;
                    }
                    Some(n) => self.buf.advance(n),
                }
                let k = match self.buf[0] {
                    b'{' => Kind::Nested { open: b'{', close: b'}' },
                    b'[' => Kind::Nested { open: b'[', close: b']' },
                    b'"' => Kind::Str,
                    _ => Kind::Scalar,
                };
                self.kind = Some(k);
                self.pos = 0;
                self.depth = 0;
                self.escaped = false;
                self.in_string = false;
                if k == Kind::Str {
                    self.pos = 1;
                    self.in_string = true;
                }
                k
            }
        };
        match self.scan(kind) {
            Some(end) => {
                if end > self.max {
                    return Frame::TooLarge(end);
                }
                self.kind = None;
                self.pos = 0;
                Frame::Value(self.buf.split_to(end).freeze())
            }
            None if self.pos > self.max => Frame::TooLarge(self.pos),
            None => Frame::NeedMore,
        }
    }

    /// Scans from `pos`; returns the end offset of the value if it is complete.
    fn scan(&mut self, kind: Kind) -> Option<usize> {
        let buf = &self.buf[..];
        loop {
            if self.escaped {
                if self.pos >= buf.len() {
                    return None;
                }
                self.pos += 1;
                self.escaped = false;
            }
            if self.in_string {
                match memchr::memchr2(b'"', b'\\', &buf[self.pos..]) {
                    None => {
                        self.pos = buf.len();
                        return None;
                    }
                    Some(i) => {
                        let at = self.pos + i;
                        self.pos = at + 1;
                        if buf[at] == b'\\' {
                            self.escaped = true;
                        } else {
                            self.in_string = false;
                            if kind == Kind::Str {
                                return Some(self.pos);
                            }
                        }
                    }
                }
                continue;
            }
            match kind {
                Kind::Nested { open, close } => match memchr::memchr3(b'"', open, close, &buf[self.pos..]) {
                    None => {
                        self.pos = buf.len();
                        return None;
                    }
                    Some(i) => {
                        let at = self.pos + i;
                        self.pos = at + 1;
                        let b = buf[at];
                        if b == b'"' {
                            self.in_string = true;
                        } else if b == open {
                            self.depth += 1;
                        } else {
                            self.depth -= 1;
                            if self.depth == 0 {
                                return Some(self.pos);
                            }
                        }
                    }
                },
                Kind::Scalar => {
                    // The first byte is never a terminator, so a scalar is at least one byte.
                    let start = self.pos.max(1);
                    let end = buf[start..].iter().position(|&b| is_separator(b) || matches!(b, b'{' | b'[' | b'"'));
                    return match end {
                        Some(i) => Some(start + i),
                        None => {
                            self.pos = buf.len();
                            None
                        }
                    };
                }
                // Strings are handled by the in_string branch above.
                Kind::Str => return None,
            }
        }
    }
}

/// An in-band error item: `{"errorDetail":{"code":..,"message":..},"error":".."}`. Any
/// non-null `error` or `errorDetail` member makes the item an error, whatever its type.
struct InbandError {
    error: Option<serde_json::Value>,
    error_detail: Option<serde_json::Value>,
}

json_object!(InbandError { error: "error", error_detail: "errorDetail" });

/// Where an in-band error object can start; built once (a `memmem` searcher per item cost
/// more than the search).
const ERROR_KEY_LEN: usize = b"\"error".len();
static ERROR_KEY: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"error"));

/// If `frame` is an in-band error object, its message (control characters escaped) and code.
fn inband_error(frame: &[u8]) -> Option<(String, Option<i64>)> {
    // Cheap pre-checks so ordinary items are parsed once: only an object with an `"error…` key
    // can be an in-band error.
    if frame.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    ERROR_KEY.find(frame)?;
    let e: InbandError = serde_json::from_slice(frame).ok()?;
    let detail = e.error_detail.filter(|d| !d.is_null());
    let error = e.error.filter(|e| !e.is_null());
    if detail.is_none() && error.is_none() {
        return None;
    }
    let code = detail.as_ref().and_then(|d| d.get("code")).and_then(serde_json::Value::as_i64);
    let message = [detail.as_ref(), error.as_ref()]
        .into_iter()
        .flatten()
        .map(value_message)
        .find(|m| !m.is_empty())
        .unwrap_or_else(|| String::from("(empty error)"));
    Some((escape_controls(&message).into_owned(), code))
}

/// The text of an `error`/`errorDetail` value: a string as is, an object's `message` string,
/// else the value as JSON.
fn value_message(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(o) => match o.get("message") {
            Some(serde_json::Value::String(m)) => m.clone(),
            Some(other) if !other.is_null() => other.to_string(),
            _ if o.len() == 1 && o.contains_key("code") => String::new(),
            _ => v.to_string(),
        },
        other => other.to_string(),
    }
}

/// A stream of JSON values of type `T`.
///
/// Items: `Ok(T)` per value; `Err(Error::Stream)` for an in-band error object (the stream goes
/// on, though the daemon normally ends it there); `Err(Error::Decode)` for a value that does not
/// fit `T` (the stream goes on with the next value). Terminal errors (the stream ends):
/// [`Error::FrameTooLarge`], [`Error::UnexpectedEof`] for a value cut by the end of the
/// connection, and transport errors.
pub struct JsonStream<T> {
    source: ByteSource,
    framer: JsonFramer,
    operation: &'static str,
    done: bool,
    _item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream").field("operation", &self.operation).finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> JsonStream<T> {
    /// Decodes values from any stream of chunks, refusing values over `max_item_len` bytes.
    pub fn new(
        operation: &'static str,
        source: impl Stream<Item = Result<Bytes, Error>> + Send + 'static,
        max_item_len: usize,
    ) -> JsonStream<T> {
        JsonStream::from_source(operation, Box::pin(source), max_item_len)
    }

    pub(crate) fn from_source(operation: &'static str, source: ByteSource, max_item_len: usize) -> Self {
        JsonStream { source, framer: JsonFramer::new(max_item_len), operation, done: false, _item: PhantomData }
    }

    fn item(&self, frame: &[u8]) -> Result<T, Error> {
        if let Some((message, code)) = inband_error(frame) {
            return Err(Error::Stream { operation: self.operation, message, code });
        }
        decode_json(self.operation, frame)
    }
}

impl<T: DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            if let Some(item) = this.framer.decode_in_place::<T>() {
                return Poll::Ready(Some(Ok(item)));
            }
            match this.framer.next_frame() {
                Frame::Value(v) => return Poll::Ready(Some(this.item(&v))),
                Frame::TooLarge(size) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::FrameTooLarge {
                        operation: this.operation,
                        size: size as u64,
                        limit: this.framer.max,
                    })));
                }
                Frame::NeedMore => {}
            }
            match this.source.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.framer.push(chunk),
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return match this.framer.finish() {
                        Ok(None) => Poll::Ready(None),
                        Ok(Some(v)) => Poll::Ready(Some(this.item(&v))),
                        Err(()) => Poll::Ready(Some(Err(Error::UnexpectedEof {
                            operation: this.operation,
                            what: "a JSON value",
                        }))),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(chunks: &[&[u8]], max: usize) -> (Vec<String>, Option<Frame>, bool) {
        let mut f = JsonFramer::new(max);
        let mut out = Vec::new();
        for c in chunks {
            f.push(Bytes::copy_from_slice(c));
            loop {
                match f.next_frame() {
                    Frame::Value(v) => out.push(String::from_utf8(v.to_vec()).unwrap()),
                    Frame::NeedMore => break,
                    other => return (out, Some(other), f.in_value()),
                }
            }
        }
        let trailing = f.in_value();
        if let Ok(Some(v)) = f.finish() {
            out.push(String::from_utf8(v.to_vec()).unwrap());
        }
        (out, None, trailing)
    }

    #[test]
    fn framing_shapes() {
        let input = b"{\"a\":\"}{\\\"\"}\r\n\r\n\x1e{\"b\":[1,{\"c\":2}]}{\"d\":3}\n[1,[2]] \"s\\\"\" 42\n";
        let want = vec![r#"{"a":"}{\""}"#, r#"{"b":[1,{"c":2}]}"#, r#"{"d":3}"#, "[1,[2]]", r#""s\"""#, "42"];
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let (out, err, _) = frames(&[&input[..i], &input[i..j], &input[j..]], 1024);
                assert!(err.is_none());
                assert_eq!(out, want, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn limit_applies_to_value_not_buffer() {
        let (_, err, _) = frames(&[b"{\"a\":\"0123456789\"}"], 8);
        assert!(matches!(err, Some(Frame::TooLarge(_))));
        let (out, err, _) = frames(&[b"{}{}{}{}{}{}{}{}{}{}"], 2);
        assert!(err.is_none());
        assert_eq!(out.len(), 10);
        // Unfinished value keeps growing: refused once over the limit, without waiting for end.
        let (_, err, _) = frames(&[b"{\"a\":\"", &[b'x'; 64]], 16);
        assert!(matches!(err, Some(Frame::TooLarge(_))));
    }

    #[test]
    fn unfinished_value_is_reported() {
        let mut f = JsonFramer::new(100);
        f.push(Bytes::from_static(b"{\"a\":1"));
        assert_eq!(f.next_frame(), Frame::NeedMore);
        assert!(f.finish().is_err());
    }

    #[test]
    fn inband_errors() {
        let e = inband_error(br#"{"errorDetail":{"code":404,"message":"not found"},"error":"nf"}"#);
        assert_eq!(e, Some(("not found".into(), Some(404))));
        assert_eq!(inband_error(br#"{"error":"boom"}"#), Some(("boom".into(), None)));
        assert_eq!(inband_error(br#"{"status":"ok","error":null}"#), None);
        assert_eq!(inband_error(br#"{"Actor":{"Attributes":{"error":"x"}}}"#), None);
        assert_eq!(inband_error(br#"{"stream":"\"error"}"#), None);
        // Any non-null error member, whatever its type.
        assert_eq!(inband_error(br#"{"error":{"message":"deep"}}"#), Some(("deep".into(), None)));
        assert_eq!(inband_error(br#"{"error":123}"#), Some(("123".into(), None)));
        assert_eq!(inband_error(br#"["errors happen", {"code": 1}]"#), None);
        assert_eq!(inband_error(br#"{"error":{"x":1}}"#), Some((r#"{"x":1}"#.into(), None)));
        assert_eq!(inband_error(br#"{"errorDetail":{"code":7},"error":"e"}"#), Some(("e".into(), Some(7))));
        assert_eq!(inband_error(br#"{"error":"\u001b[2J"}"#), Some(("\\x1b[2J".into(), None)));
    }
}

//! Target `demux`: container output (`OutputStream::multiplexed`, the transport's demultiplexer)
//! on arbitrary bytes cut at arbitrary points.
//!
//! Input: a control byte, a chunking seed, then the bytes the daemon sends. Control bits 0-2: the
//! frame limit ([`LIMITS`]); bits 3-5: the largest chunk ([`max_chunk`]); bits 6-7: 0 or 1
//! multiplexed, 2 multiplexed and the source fails after its last chunk, 3 raw (TTY).
//!
//! Checks, besides "no panic": the items are exactly what a reference decoder reading the whole
//! input at once expects, whatever the chunking (payloads, streams, order, the error that ends
//! the stream, the size a too-large frame announced); and no single allocation is larger than
//! twice min(limit, input length) plus a little (a frame's announced length is never
//! allocated), except while turning a `systemerr` frame into a message.

use crate::common::{control, drain, max_chunk, split};
use crate::transport::bytes::Bytes;
use crate::transport::{Error, OutputChunk, OutputStream, DEFAULT_MAX_FRAME_LEN};

/// Frame limits, by control bits 0-2.
pub const LIMITS: [usize; 8] = [0, 1, 7, 8, 16, 255, 4096, DEFAULT_MAX_FRAME_LEN];

/// Allocations beyond the payload's: the boxed source, error texts.
const SLACK: usize = 4096;

#[derive(Debug, PartialEq, Eq)]
enum Item {
    /// Stream id (255: raw console output) and payload.
    Chunk(u8, Vec<u8>),
    /// A stream-3 (`systemerr`) frame.
    Daemon,
    UnknownStream,
    /// The announced size.
    TooLarge(u64),
    Eof,
    /// The injected source error.
    Source,
}

/// The whole input decoded at once, the simplest way.
fn reference(mut rest: &[u8], limit: usize) -> Vec<Item> {
    let mut out = Vec::new();
    loop {
        if rest.is_empty() {
            return out;
        }
        if rest.len() < 8 {
            out.push(Item::Eof);
            return out;
        }
        let (header, tail) = rest.split_at(8);
        let len = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        let end = match header[0] {
            4.. => Item::UnknownStream,
            _ if u64::from(len) > limit as u64 => Item::TooLarge(len.into()),
            _ if len == 0 => {
                rest = tail;
                continue;
            }
            _ if tail.len() < len as usize => Item::Eof,
            3 => Item::Daemon,
            stream => {
                let (payload, tail) = tail.split_at(len as usize);
                out.push(Item::Chunk(stream, payload.to_vec()));
                rest = tail;
                continue;
            }
        };
        out.push(end);
        return out;
    }
}

fn item(result: Result<OutputChunk, Error>, limit: usize) -> Item {
    match result {
        Ok(OutputChunk::StdIn(b)) => Item::Chunk(0, b.to_vec()),
        Ok(OutputChunk::StdOut(b)) => Item::Chunk(1, b.to_vec()),
        Ok(OutputChunk::StdErr(b)) => Item::Chunk(2, b.to_vec()),
        Ok(OutputChunk::Console(b)) => Item::Chunk(255, b.to_vec()),
        Err(Error::Stream { .. }) => Item::Daemon,
        Err(Error::Protocol { .. }) => Item::UnknownStream,
        Err(Error::FrameTooLarge { size, limit: l, .. }) => {
            assert_eq!(l, limit, "FrameTooLarge names another limit");
            Item::TooLarge(size)
        }
        Err(Error::UnexpectedEof { .. }) => Item::Eof,
        Err(Error::Config { message }) if message == INJECTED => Item::Source,
        Err(e) => panic!("unexpected error from the output stream: {e:?}"),
    }
}

const INJECTED: &str = "fuzz: injected source error";

/// The target body.
pub fn run(data: &[u8]) {
    let (ctl, seed, input) = control(data);
    let limit = LIMITS[usize::from(ctl & 7)];
    let chunks = split(input, seed, max_chunk(ctl >> 3));
    let mode = ctl >> 6;
    let raw = mode == 3;
    let fail_source = mode == 2;

    let expected = if raw {
        chunks.iter().map(|c| Item::Chunk(255, c.to_vec())).collect()
    } else {
        let mut items = reference(input, limit);
        if fail_source && matches!(items.last(), None | Some(Item::Eof | Item::Chunk(..))) {
            // The error comes after the last chunk: the decoder only meets it when the data
            // itself ended without an error (a cut frame is not noticed before the source ends).
            if items.last() == Some(&Item::Eof) {
                items.pop();
            }
            items.push(Item::Source);
        }
        items
    };

    let mut source: Vec<Result<Bytes, Error>> = chunks.into_iter().map(Ok).collect();
    if fail_source {
        source.push(Err(Error::Config { message: INJECTED.into() }));
    }
    let source = futures_util::stream::iter(source);
    let stream = if raw {
        OutputStream::raw("FuzzOutput", source)
    } else {
        OutputStream::multiplexed("FuzzOutput", source, limit)
    };
    assert_eq!(stream.is_multiplexed(), !raw);

    let (results, last_poll) = drain(stream);
    let bound = 2 * limit.min(input.len()) + SLACK;
    assert!(last_poll <= bound, "the final poll allocated {last_poll} bytes at once (bound {bound})");
    let mut actual = Vec::with_capacity(results.len());
    for (result, size) in results {
        let item = item(result, limit);
        // Turning a systemerr payload into a message may take several times its size
        // (U+FFFD for invalid bytes, escapes for controls); it is still bounded by the limit.
        let bound = if item == Item::Daemon { 16 * limit.min(input.len()) + SLACK } else { bound };
        assert!(size <= bound, "a poll yielding {item:?} allocated {size} bytes at once (bound {bound})");
        actual.push(item);
    }
    assert_eq!(actual, expected, "limit {limit}, mode {mode}");
}

//! Target `json_stream`: the JSON stream decoder (`JsonStream`) on arbitrary bytes cut at
//! arbitrary points, decoding typed items: `serde_json::Value` and a small progress struct.
//!
//! Input: a control byte, a chunking seed, then the stream's bytes. Control bits 0-2: the item
//! limit ([`LIMITS`]); bits 3-5: the largest chunk ([`max_chunk`]); bit 6: the source fails
//! after its last chunk.
//!
//! Checks, besides "no panic": the items do not depend on the chunking (the same input as one
//! chunk gives the same values and errors; only the size a too-large item had reached when it
//! was refused may differ, and it is over the limit); a too-large item names the limit and ends
//! the stream; a finished stream stays finished.

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::common::{control, drain, max_chunk, split};
use crate::transport::bytes::Bytes;
use crate::transport::{Error, JsonStream};

/// Item limits, by control bits 0-2.
pub const LIMITS: [usize; 8] = [0, 1, 2, 7, 16, 64, 4096, 1 << 20];

const INJECTED: &str = "fuzz: injected source error";

/// A progress item of pull/push/build (a few of its members).
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read through Debug only
struct Progress {
    status: Option<String>,
    id: Option<String>,
    #[serde(rename = "progressDetail")]
    progress_detail: Option<ProgressDetail>,
    stream: Option<String>,
    aux: Option<BTreeMap<String, serde_json::Value>>,
    time: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // read through Debug only
struct ProgressDetail {
    current: Option<u64>,
    total: Option<u64>,
}

/// What one item was, in a form two chunkings can be compared by.
#[derive(Debug, PartialEq, Eq)]
enum Item {
    Ok(String),
    TooLarge,
    Err(String),
}

fn decode<T: DeserializeOwned + Debug>(chunks: Vec<Bytes>, limit: usize, fail_source: bool) -> Vec<Item> {
    let mut source: Vec<Result<Bytes, Error>> = chunks.into_iter().map(Ok).collect();
    if fail_source {
        source.push(Err(Error::Config { message: INJECTED.into() }));
    }
    let stream = JsonStream::<T>::new("FuzzJson", futures_util::stream::iter(source), limit);
    let (results, _) = drain(stream);
    let n = results.len();
    let mut items = Vec::with_capacity(n);
    for (i, (result, _)) in results.into_iter().enumerate() {
        let item = match result {
            Ok(v) => Item::Ok(format!("{v:?}")),
            Err(Error::FrameTooLarge { size, limit: l, .. }) => {
                assert_eq!(l, limit, "FrameTooLarge names another limit");
                assert!(size > limit as u64, "FrameTooLarge of {size} bytes under the limit {limit}");
                assert_eq!(i + 1, n, "the stream went on after FrameTooLarge");
                Item::TooLarge
            }
            Err(e @ (Error::UnexpectedEof { .. } | Error::Config { .. })) => {
                assert_eq!(i + 1, n, "the stream went on after {e:?}");
                Item::Err(e.to_string())
            }
            Err(e @ (Error::Decode { .. } | Error::Stream { .. })) => Item::Err(e.to_string()),
            Err(e) => panic!("unexpected error from the JSON stream: {e:?}"),
        };
        items.push(item);
    }
    items
}

fn check<T: DeserializeOwned + Debug>(input: &[u8], chunks: &[Bytes], limit: usize, fail_source: bool) {
    let whole = decode::<T>(vec![Bytes::copy_from_slice(input)], limit, fail_source);
    let split = decode::<T>(chunks.to_vec(), limit, fail_source);
    assert_eq!(whole, split, "limit {limit}: one chunk and {} chunks disagree", chunks.len());
}

/// The target body.
pub fn run(data: &[u8]) {
    let (ctl, seed, input) = control(data);
    let limit = LIMITS[usize::from(ctl & 7)];
    let chunks = split(input, seed, max_chunk(ctl >> 3));
    let fail_source = ctl & 0x40 != 0;
    check::<serde_json::Value>(input, &chunks, limit, fail_source);
    check::<Progress>(input, &chunks, limit, fail_source);
}

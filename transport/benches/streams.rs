//! Decode throughput of the two stream decoders on ~16 MiB of input delivered in 64 KiB chunks
//! (the size of reads from a socket), without any I/O.
//!
//! `cargo bench -p docker-engine-transport --bench streams`

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use docker_engine_transport::{Error, JsonStream, OutputStream};
use futures_core::Stream;
use serde::Deserialize;

const TOTAL: usize = 16 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

fn chunked(data: &Bytes) -> Vec<Result<Bytes, Error>> {
    (0..data.len()).step_by(CHUNK).map(|i| Ok(data.slice(i..(i + CHUNK).min(data.len())))).collect()
}

/// Counts items of a stream over an always-ready source.
fn count<S: Stream + Unpin>(mut s: S) -> usize {
    let mut cx = Context::from_waker(std::task::Waker::noop());
    let mut n = 0;
    loop {
        match Pin::new(&mut s).poll_next(&mut cx) {
            Poll::Ready(Some(item)) => {
                black_box(item);
                n += 1;
            }
            Poll::Ready(None) => return n,
            Poll::Pending => unreachable!("ready source"),
        }
    }
}

/// Log-like multiplexed output: lines of 40–200 bytes on stdout/stderr, plus some 32 KiB frames.
fn multiplexed_input() -> Bytes {
    let mut out = Vec::with_capacity(TOTAL + 64 * 1024);
    let mut i = 0usize;
    while out.len() < TOTAL {
        let len = if i % 50 == 0 { 32 * 1024 } else { 40 + (i * 37) % 160 };
        out.push(1 + (i % 2) as u8);
        out.extend_from_slice(&[0, 0, 0]);
        out.extend_from_slice(&(len as u32).to_be_bytes());
        out.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, len));
        i += 1;
    }
    Bytes::from(out)
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Progress {
    status: Option<String>,
    id: Option<String>,
    #[serde(rename = "progressDetail")]
    progress_detail: Option<Detail>,
    progress: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Detail {
    current: Option<i64>,
    total: Option<i64>,
}

/// Pull-progress-like JSON lines, `\r\n`-separated as the daemon writes them.
fn json_input() -> Bytes {
    let mut out = Vec::with_capacity(TOTAL + 1024);
    let mut i = 0u64;
    while out.len() < TOTAL {
        let line = format!(
            "{{\"status\":\"Downloading\",\"progressDetail\":{{\"current\":{},\"total\":31457280}},\"progress\":\"[=====>        ] {}kB/31.46MB\",\"id\":\"a3ed95caeb02\"}}\r\n",
            i * 1024,
            i
        );
        out.extend_from_slice(line.as_bytes());
        i += 1;
    }
    Bytes::from(out)
}

fn bench(c: &mut Criterion) {
    let mux = multiplexed_input();
    let mut g = c.benchmark_group("streams");
    g.throughput(Throughput::Bytes(mux.len() as u64));
    g.bench_function("demux_16MiB", |b| {
        b.iter(|| {
            let src = futures_util::stream::iter(chunked(&mux));
            count(OutputStream::multiplexed("Bench", src, 16 * 1024 * 1024))
        })
    });
    let json = json_input();
    g.throughput(Throughput::Bytes(json.len() as u64));
    g.bench_function("json_stream_typed_16MiB", |b| {
        b.iter(|| {
            let src = futures_util::stream::iter(chunked(&json));
            count(JsonStream::<Progress>::new("Bench", src, 16 * 1024 * 1024))
        })
    });
    g.bench_function("json_stream_value_16MiB", |b| {
        b.iter(|| {
            let src = futures_util::stream::iter(chunked(&json));
            count(JsonStream::<serde_json::Value>::new("Bench", src, 16 * 1024 * 1024))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

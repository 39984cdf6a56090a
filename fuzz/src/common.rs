//! What every target shares: the input's control bytes, chunking at arbitrary points, a poll
//! loop without a runtime, and an allocation probe.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use futures_util::stream::Stream;

use crate::transport::bytes::Bytes;

/// Splits `data` into its first two bytes (control byte and chunking seed; zero when missing)
/// and the rest.
pub fn control(data: &[u8]) -> (u8, u8, &[u8]) {
    match data {
        [ctl, seed, rest @ ..] => (*ctl, *seed, rest),
        [ctl] => (*ctl, 0, &[]),
        [] => (0, 0, &[]),
    }
}

/// Largest chunk for the 3-bit selector `sel`; `usize::MAX` is "one chunk".
pub fn max_chunk(sel: u8) -> usize {
    [1, 2, 3, 7, 8, 9, 64, usize::MAX][usize::from(sel & 7)]
}

/// Cuts `data` into chunks of 0 to `max` bytes (empty chunks included: a peer may send them),
/// sizes drawn from a xorshift generator seeded with `seed`. Every chunk is its own allocation,
/// like the buffers a connection hands out.
pub fn split(data: &[u8], seed: u8, max: usize) -> Vec<Bytes> {
    if max >= data.len() {
        return vec![Bytes::copy_from_slice(data)];
    }
    let mut state = (u32::from(seed).wrapping_mul(0x9e37_79b9) ^ 0x6d2b_79f5) | 1;
    let mut chunks = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state as usize % (max + 1)).min(rest.len());
        let (chunk, tail) = rest.split_at(n);
        chunks.push(Bytes::copy_from_slice(chunk));
        rest = tail;
    }
    chunks
}

/// Polls `stream` to its end with a no-op waker: the sources here are always ready, so
/// `Pending` is a bug. Each poll runs under the allocation probe: returns every item with the
/// largest single allocation of the poll that produced it, and that of the final poll. Checks
/// that a finished stream stays finished.
pub fn drain<S: Stream + Unpin>(mut stream: S) -> (Vec<(S::Item, usize)>, usize) {
    let mut cx = Context::from_waker(Waker::noop());
    let mut items = Vec::new();
    loop {
        match largest_allocation(|| Pin::new(&mut stream).poll_next(&mut cx)) {
            (Poll::Ready(Some(item)), size) => items.push((item, size)),
            (Poll::Ready(None), size) => {
                assert!(
                    matches!(Pin::new(&mut stream).poll_next(&mut cx), Poll::Ready(None)),
                    "a finished stream yielded again"
                );
                return (items, size);
            }
            (Poll::Pending, _) => panic!("stream returned Pending although its source is always ready"),
        }
    }
}

thread_local! {
    /// Armed, and the largest allocation seen while armed.
    static PROBE: Cell<(bool, usize)> = const { Cell::new((false, 0)) };
}

fn note(size: usize) {
    let _ = PROBE.try_with(|p| {
        let (armed, largest) = p.get();
        if armed && size > largest {
            p.set((true, size));
        }
    });
}

/// Runs `f` and returns the size of the largest single allocation (or reallocation) it made on
/// this thread. Needs [`Tracking`] as the global allocator; 0 otherwise.
pub fn largest_allocation<R>(f: impl FnOnce() -> R) -> (R, usize) {
    PROBE.with(|p| p.set((true, 0)));
    let r = f();
    let (_, largest) = PROBE.with(|p| p.replace((false, 0)));
    (r, largest)
}

/// The system allocator, recording allocation sizes for [`largest_allocation`].
pub struct Tracking;

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }
}

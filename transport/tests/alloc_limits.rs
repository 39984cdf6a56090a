//! Oversized frames are refused *before* memory is reserved for them: a counting global
//! allocator records the largest single allocation while the decoders run.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use common::drain_ready;
use docker_engine_transport::{Error, JsonStream, OutputStream};

struct Counting;

static LARGEST: AtomicUsize = AtomicUsize::new(0);
static ON: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ON.load(Ordering::Relaxed) {
            LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if ON.load(Ordering::Relaxed) {
            LARGEST.fetch_max(new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn measure<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.store(0, Ordering::SeqCst);
    ON.store(true, Ordering::SeqCst);
    let out = f();
    ON.store(false, Ordering::SeqCst);
    (out, LARGEST.load(Ordering::SeqCst))
}

// One test function: the allocator counts every thread, so nothing may run beside it.
#[test]
fn oversized_frames_are_refused_without_allocating() {
    const MIB: usize = 1024 * 1024;

    // A multiplexed header announcing ~4 GiB, followed by a little data.
    let mut data = vec![1u8, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0];
    data.extend_from_slice(&[b'x'; 100]);
    let input = Bytes::from(data);
    let (items, largest) = measure(|| {
        let src = futures_util::stream::iter(vec![Ok::<_, Error>(input)]);
        drain_ready(OutputStream::multiplexed("Test", src, 16 * MIB))
    });
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(Error::FrameTooLarge { size: 0xffff_fff0, .. })));
    assert!(largest < 64 * 1024, "largest allocation {largest} bytes");

    // A JSON value that never ends: 64 KiB chunks of one string, 256 MiB offered, 1 MiB limit.
    let pulled = Arc::new(AtomicUsize::new(0));
    let p = pulled.clone();
    let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
    let (items, largest) = measure(|| {
        let head = std::iter::once(Ok::<_, Error>(Bytes::from_static(b"{\"status\":\"")));
        let body = std::iter::repeat_with(move || {
            p.fetch_add(1, Ordering::Relaxed);
            Ok(chunk.clone())
        })
        .take(4096);
        let src = futures_util::stream::iter(head.chain(body));
        drain_ready(JsonStream::<serde_json::Value>::new("Test", src, MIB))
    });
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(Error::FrameTooLarge { limit: MIB, .. })), "{:?}", items[0]);
    assert!(pulled.load(Ordering::Relaxed) <= 20, "read {} chunks", pulled.load(Ordering::Relaxed));
    assert!(largest <= 4 * MIB, "largest allocation {largest} bytes");
}

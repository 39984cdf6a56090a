//! A counting global allocator that measures memory per thread: the most bytes live at once
//! while a future runs. `#[tokio::test]` runs everything of a test on its own thread (the
//! client, its connection tasks and the mock daemon), so tests running in parallel do not
//! disturb each other's measurement.
//!
//! A test binary that uses it declares `#[global_allocator] static A: meter::Meter = meter::Meter;`.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;

pub struct Meter;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn add(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

unsafe impl GlobalAlloc for Meter {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `fut` and returns its output and the most bytes this thread had allocated at once
/// while it ran, over what was live when it started.
pub async fn peak_of<F: Future>(fut: F) -> (F::Output, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = fut.await;
    let peak = PEAK.with(Cell::get);
    (out, (peak - base).max(0) as usize)
}

//! Waits until the machine is quiet before a timed figure: cold builds just wrote and deleted
//! gigabytes of target folders, and the daemon of `tests/daemon/daemon.sh` has just started its
//! companions (registries, a second dockerd, Podman); both keep a core busy for a while, which
//! once made both sides' demux figures three times slower. Used by `cargo xtask bench` (before
//! timing regen) and, included by path, by the `bench/side-by-side` program (its own
//! workspace) before its first figure and after preparing the daemon's containers.

use std::time::{Duration, Instant};

/// (idle, total) jiffies of all CPUs from `/proc/stat`, or `None` where there is none.
fn cpu_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal …: idle and iowait are idle time.
    let idle = fields.get(3)? + fields.get(4).copied().unwrap_or(0);
    Some((idle, fields.iter().sum()))
}

/// Flushes dirty pages, then waits until two consecutive half-second windows were at least
/// 90 % idle, for at most `limit`. Says on stderr how long it waited.
pub fn wait_until_quiet(limit: Duration) {
    let started = Instant::now();
    let _ = std::process::Command::new("sync").status();
    let mut quiet_windows = 0;
    let Some(mut before) = cpu_times() else { return };
    while quiet_windows < 2 && started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(500));
        let Some(now) = cpu_times() else { return };
        let (idle, total) = (now.0 - before.0, now.1 - before.1);
        quiet_windows = if total > 0 && idle * 10 >= total * 9 { quiet_windows + 1 } else { 0 };
        before = now;
    }
    let waited = started.elapsed().as_secs_f64();
    if quiet_windows < 2 {
        eprintln!("bench: the machine is still busy after {waited:.0} s; measuring anyway");
    } else {
        eprintln!("bench: machine quiet after {waited:.1} s");
    }
}

//! The inputs both clients read: log-line frames, progress, event and stats lines, an inspect
//! body. Built once in memory, served byte for byte the same to both sides.

/// One log line as dockerd frames it: 8-byte header (stdout) and a 65-byte payload.
pub const LOG_LINE: &[u8; 65] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01\n";

/// `n` multiplexed stdout frames of [`LOG_LINE`] (73 bytes each).
pub fn log_frames(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|_| {
            let mut f = vec![1, 0, 0, 0];
            f.extend_from_slice(&(LOG_LINE.len() as u32).to_be_bytes());
            f.extend_from_slice(LOG_LINE);
            f
        })
        .collect()
}

/// Pull progress lines (`\r\n` after each, as dockerd writes them) up to about `bytes`.
pub fn progress_lines(bytes: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut total = 0;
    let mut i = 0u64;
    while total < bytes {
        let line = format!(
            "{{\"status\":\"Downloading\",\"progressDetail\":{{\"current\":{},\"total\":73109384}},\"progress\":\"[=====>                                             ]  {}kB/73.11MB\",\"id\":\"a2318d6c47ec\"}}\r\n",
            i * 32768,
            i * 32
        );
        total += line.len();
        out.push(line.into_bytes());
        i += 1;
    }
    out
}

/// Container events (`\n` after each) up to about `bytes`.
pub fn event_lines(bytes: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut total = 0;
    let mut i = 0u64;
    while total < bytes {
        let line = format!(
            "{{\"status\":\"start\",\"id\":\"{i:064x}\",\"from\":\"busybox\",\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{{\"ID\":\"{i:064x}\",\"Attributes\":{{\"image\":\"busybox\",\"name\":\"bench-{i}\"}}}},\"scope\":\"local\",\"time\":1700000000,\"timeNano\":1700000000{i:09}}}\n"
        );
        total += line.len();
        out.push(line.into_bytes());
        i += 1;
    }
    out
}

/// Items in pieces of `size` bytes (how a body arrives when the daemon writes big chunks).
pub fn rechunk(items: &[Vec<u8>], size: usize) -> Vec<Vec<u8>> {
    items.concat().chunks(size).map(<[u8]>::to_vec).collect()
}

/// A `GET /containers/{id}/json` body as dockerd 20.10 writes it.
pub const INSPECT: &str = include_str!("inspect.json");

/// One `GET /containers/{id}/stats` item as dockerd 20.10 writes it (cgroup v1, a busy
/// container started with the CLI on the private daemon of `tests/daemon/daemon.sh`, which has
/// no bridge network: no `networks` member).
pub const STATS: &str = include_str!("stats.json");

/// `n` stats items, `\n` after each, as `stats?stream=true` sends them (one a second).
pub fn stats_lines(n: usize) -> Vec<Vec<u8>> {
    (0..n).map(|_| format!("{}\n", STATS.trim_end()).into_bytes()).collect()
}

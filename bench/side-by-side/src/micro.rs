//! Figures without a daemon: the same bytes served by the fake daemon to both clients
//! (demultiplexing, JSON streams: pull progress, events and stats, one HTTP chunk per frame or
//! item), in-memory JSON framing against bare `serde_json`, and model decoding.

use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;

use crate::data;
use crate::fake::Route;
use crate::report::Figure;
use crate::Sides;

pub const LOGS_CHUNKED: &str = "/containers/chunked/logs";
pub const LOGS_PER_FRAME: &str = "/containers/perframe/logs";
pub const PROGRESS: &str = "/images/create";
pub const EVENTS: &str = "/events";
pub const STATS_ID: &str = "bench";
pub const STATS: &str = "/containers/bench/stats";

pub struct Inputs {
    pub frames: usize,
    pub per_frame: usize,
    pub progress: Vec<Vec<u8>>,
    pub events: usize,
    pub stats: usize,
}

/// The fake daemon's routes and what each figure expects to count.
pub fn routes(scale: usize) -> (Vec<Route>, Inputs) {
    let mux_bytes = 16 << 20;
    let frames = mux_bytes / 73 * scale;
    let per_frame = 100_000 * scale;
    let progress = data::progress_lines((32 << 20) * scale);
    let events = data::event_lines((16 << 20) * scale);
    let stats = data::stats_lines(10_000 * scale);
    let routes = vec![
        Route { key: LOGS_CHUNKED, content_type: MUX, pieces: data::rechunk(&data::log_frames(frames), 64 * 1024) },
        Route { key: LOGS_PER_FRAME, content_type: MUX, pieces: data::log_frames(per_frame) },
        Route { key: PROGRESS, content_type: "application/json", pieces: data::rechunk(&progress, 64 * 1024) },
        Route { key: EVENTS, content_type: "application/json", pieces: events.clone() },
        // dockerd 20.10 sends the stats stream without a Content-Type.
        Route { key: STATS, content_type: "", pieces: stats.clone() },
        // Before 1.42 the project inspects the container to learn whether it has a TTY.
        Route { key: "/json", content_type: "application/json", pieces: vec![data::INSPECT.as_bytes().to_vec()] },
    ];
    (routes, Inputs { frames, per_frame, progress, events: events.len(), stats: stats.len() })
}

const MUX: &str = "application/vnd.docker.multiplexed-stream";

/// Runs `f` `runs` times, checking it counted `expect` items each time.
async fn timed<F, Fut>(runs: usize, expect: usize, what: &str, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut out = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let n = f().await;
        out.push(start.elapsed());
        assert_eq!(n, expect, "{what}: counted {n} items, expected {expect}");
    }
    out
}

async fn ours_logs(s: &Sides, path: &str) -> usize {
    use docker_engine_api_v1_53::ContainerLogsOptions;
    let id = path.trim_start_matches("/containers/").trim_end_matches("/logs");
    let options = ContainerLogsOptions { stdout: Some(true), stderr: Some(true), ..Default::default() };
    let mut logs = s.ours.container_logs(id, &options).await.expect("project: logs");
    let mut n = 0;
    while let Some(chunk) = logs.next().await {
        chunk.expect("project: log frame");
        n += 1;
    }
    n
}

async fn bollard_logs(s: &Sides, path: &str) -> usize {
    let id = path.trim_start_matches("/containers/").trim_end_matches("/logs");
    let options = bollard::query_parameters::LogsOptionsBuilder::default().stdout(true).stderr(true).build();
    let mut logs = s.bollard.logs(id, Some(options));
    let mut n = 0;
    while let Some(chunk) = logs.next().await {
        chunk.expect("bollard: log frame");
        n += 1;
    }
    n
}

/// Demultiplexing and log reading through the fake daemon.
pub async fn logs(s: &Sides, inputs: &Inputs, runs: usize) -> Vec<Figure> {
    let mut chunked =
        Figure::new(format!("demux: {} log-line frames (73 B) in 64 KiB HTTP chunks, fake daemon", inputs.frames));
    let mut per_frame = Figure::new(format!(
        "logs: {} log-line frames, one HTTP chunk each (as dockerd sends them), fake daemon",
        inputs.per_frame
    ));
    chunked.per_run = Some((inputs.frames as f64, "frames"));
    per_frame.per_run = Some((inputs.per_frame as f64, "frames"));
    // Cheap figures get more turns: medians of five times the runs, against a busy machine.
    for _ in 0..runs * 5 {
        chunked.ours.extend(timed(1, inputs.frames, "demux", || ours_logs(s, LOGS_CHUNKED)).await);
        chunked.bollard.extend(timed(1, inputs.frames, "demux", || bollard_logs(s, LOGS_CHUNKED)).await);
    }
    for _ in 0..runs {
        per_frame.ours.extend(timed(1, inputs.per_frame, "logs", || ours_logs(s, LOGS_PER_FRAME)).await);
        per_frame.bollard.extend(timed(1, inputs.per_frame, "logs", || bollard_logs(s, LOGS_PER_FRAME)).await);
    }
    vec![chunked, per_frame]
}

async fn ours_progress(s: &Sides) -> usize {
    let options = docker_engine_api_v1_53::ImageCreateOptions { from_image: Some("x".into()), ..Default::default() };
    let mut items = s.ours.image_create(&options, None).await.expect("project: image create");
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("project: progress item");
        n += 1;
    }
    n
}

async fn bollard_progress(s: &Sides) -> usize {
    let options = bollard::query_parameters::CreateImageOptionsBuilder::default().from_image("x").build();
    let mut items = s.bollard.create_image(Some(options), None, None);
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("bollard: progress item");
        n += 1;
    }
    n
}

async fn ours_events(s: &Sides) -> usize {
    let options = docker_engine_api_v1_53::SystemEventsOptions::default();
    let mut items = s.ours.system_events(&options).await.expect("project: events");
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("project: event");
        n += 1;
    }
    n
}

async fn bollard_events(s: &Sides) -> usize {
    let mut items = s.bollard.events(None::<bollard::query_parameters::EventsOptions>);
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("bollard: event");
        n += 1;
    }
    n
}

async fn ours_stats(s: &Sides) -> usize {
    let options = docker_engine_api_v1_53::ContainerStatsOptions { stream: Some(true), ..Default::default() };
    let mut items = s.ours.container_stats(STATS_ID, &options).await.expect("project: stats");
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("project: stats item");
        n += 1;
    }
    n
}

async fn bollard_stats(s: &Sides) -> usize {
    let options = bollard::query_parameters::StatsOptionsBuilder::default().stream(true).build();
    let mut items = s.bollard.stats(STATS_ID, Some(options));
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("bollard: stats item");
        n += 1;
    }
    n
}

/// The project's JSON stream over in-memory chunks (no transport).
async fn ours_in_memory(chunks: Vec<Bytes>) -> usize {
    use docker_engine_api_v1_53::models::CreateImageInfo;
    let source = futures_util::stream::iter(chunks.into_iter().map(Ok));
    let mut items = docker_engine_transport::JsonStream::<CreateImageInfo>::new("ImageCreate", source, 16 << 20);
    let mut n = 0;
    while let Some(item) = items.next().await {
        item.expect("project: in-memory item");
        n += 1;
    }
    n
}

/// The floor: each newline-delimited item parsed with `serde_json::from_slice`, nothing else.
fn bare_serde(lines: &[Vec<u8>]) -> usize {
    use docker_engine_api_v1_53::models::CreateImageInfo;
    let mut n = 0;
    for line in lines {
        let _: CreateImageInfo = serde_json::from_slice(line).expect("bare serde_json");
        n += 1;
    }
    n
}

/// JSON streams: progress through the fake daemon, events and stats one chunk each, and in
/// memory.
pub async fn json(s: &Sides, inputs: &Inputs, runs: usize) -> Vec<Figure> {
    let items = inputs.progress.len();
    let bytes: usize = inputs.progress.iter().map(Vec::len).sum();
    let mib = bytes as f64 / (1 << 20) as f64;
    let mut progress = Figure::new(format!(
        "JSON stream: {mib:.0} MiB of pull progress ({items} items) in 64 KiB HTTP chunks → CreateImageInfo, fake daemon"
    ));
    progress.per_run = Some((mib, "MiB"));
    let mut events =
        Figure::new(format!("events: {} EventMessage items, one HTTP chunk each, fake daemon", inputs.events));
    events.per_run = Some((inputs.events as f64, "items"));
    let mut stats = Figure::new(format!(
        "stats: {} ContainerStatsResponse items ({} B, from dockerd 20.10), one HTTP chunk each, fake daemon",
        inputs.stats,
        data::STATS.trim_end().len()
    ));
    stats.per_run = Some((inputs.stats as f64, "items"));
    let mut memory = Figure::new(format!(
        "JSON stream in memory, same {mib:.0} MiB in 64 KiB chunks (framing, in-band error check, decode) vs bare serde_json::from_slice per line"
    ));
    memory.per_run = Some((mib, "MiB"));
    let chunks: Vec<Bytes> = data::rechunk(&inputs.progress, 64 * 1024).into_iter().map(Bytes::from).collect();
    let mut bare = Vec::new();
    for _ in 0..runs {
        events.ours.extend(timed(1, inputs.events, "events", || ours_events(s)).await);
        events.bollard.extend(timed(1, inputs.events, "events", || bollard_events(s)).await);
        stats.ours.extend(timed(1, inputs.stats, "stats", || ours_stats(s)).await);
        stats.bollard.extend(timed(1, inputs.stats, "stats", || bollard_stats(s)).await);
    }
    // Cheap figures get more turns (see `logs`).
    for turn in 0..runs * 5 {
        progress.ours.extend(timed(1, items, "progress", || ours_progress(s)).await);
        progress.bollard.extend(timed(1, items, "progress", || bollard_progress(s)).await);
        // The in-memory pair takes turns going first: the side that runs right after the
        // fake-daemon figures finds the allocator and caches as those left them.
        let bare_turn = || {
            let start = Instant::now();
            assert_eq!(bare_serde(&inputs.progress), items);
            start.elapsed()
        };
        if turn % 2 == 1 {
            bare.push(bare_turn());
        }
        memory.ours.extend(timed(1, items, "in memory", || ours_in_memory(chunks.clone())).await);
        if turn % 2 == 0 {
            bare.push(bare_turn());
        }
    }
    memory.reference = Some(("bare serde_json", bare));
    vec![progress, events, stats, memory]
}

/// `ContainerInspectResponse` decoded from a dockerd 20.10 body, both model crates.
pub fn decode(runs: usize) -> Figure {
    const N: usize = 20_000;
    let body = data::INSPECT.as_bytes();
    let mut f =
        Figure::new(format!("model decode: ContainerInspectResponse ({} B body from dockerd 20.10) × {N}", body.len()));
    f.per_run = Some((N as f64, "decodes"));
    for _ in 0..runs * 3 {
        let start = Instant::now();
        for _ in 0..N {
            let v: docker_engine_api_v1_53::models::ContainerInspectResponse =
                serde_json::from_slice(std::hint::black_box(body)).expect("project model");
            std::hint::black_box(v);
        }
        f.ours.push(start.elapsed());
        let start = Instant::now();
        for _ in 0..N {
            let v: bollard_stubs::models::ContainerInspectResponse =
                serde_json::from_slice(std::hint::black_box(body)).expect("bollard-stubs model");
            std::hint::black_box(v);
        }
        f.bollard.push(start.elapsed());
    }
    f
}

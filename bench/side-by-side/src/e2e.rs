//! Figures against a real daemon (`tests/daemon/daemon.sh run -- cargo xtask bench --daemon`):
//! logs of a container that wrote many small lines, the same output replayed by attach, exec
//! output, export, and sequential inspects on the unix socket and over TLS; the Docker CLI
//! reads the same containers where it can (`docker attach` refuses a stopped container).
//! Containers are made with the CLI and removed at the end.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use crate::report::{median, Figure};
use crate::{data, Sides};

const IMAGE: &str = "side-by-side-busybox:latest";
const LOGS: &str = "side-by-side-logs";
const EXPORT: &str = "side-by-side-export";
const IDLE: &str = "side-by-side-idle";

pub struct Daemon {
    pub socket: String,
    pub tls_host: String,
    pub cert_dir: String,
    rootfs: String,
}

impl Daemon {
    /// The private daemon's settings from `tests/daemon/daemon.sh`.
    pub fn from_env() -> Option<Daemon> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Some(Daemon {
            socket: var("DOCKER_TEST_SOCKET")?,
            tls_host: var("DOCKER_TEST_TLS_HOST")?,
            cert_dir: var("DOCKER_TEST_CERT_DIR")?,
            rootfs: var("DOCKER_TEST_ROOTFS_TAR")?,
        })
    }

    fn docker(&self, args: &[&str]) -> Command {
        let mut c = Command::new("docker");
        c.env("DOCKER_HOST", format!("unix://{}", self.socket)).args(args);
        c
    }

    fn run(&self, args: &[&str]) {
        let out = self.docker(args).stdout(Stdio::null()).output().expect("cannot run docker");
        assert!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Time of a CLI command with its output thrown away.
    fn cli(&self, args: &[&str]) -> Duration {
        let start = Instant::now();
        let status = self.docker(args).stdout(Stdio::null()).stderr(Stdio::null()).status().expect("docker");
        assert!(status.success(), "docker {args:?} failed");
        start.elapsed()
    }

    pub fn setup(&self, lines: usize, export_mib: usize) {
        self.cleanup();
        self.run(&["import", &self.rootfs, IMAGE]);
        let line = std::str::from_utf8(&data::LOG_LINE[..64]).unwrap();
        let script = format!("yes {line} | head -n {lines}");
        self.run(&["run", "--name", LOGS, IMAGE, "sh", "-c", &script]);
        let fill = format!("dd if=/dev/zero of=/fill bs=1048576 count={export_mib} 2>/dev/null");
        self.run(&["run", "--name", EXPORT, IMAGE, "sh", "-c", &fill]);
        self.run(&["run", "-d", "--name", IDLE, IMAGE, "sleep", "3600"]);
    }

    pub fn cleanup(&self) {
        let _ = self.docker(&["rm", "-f", LOGS, EXPORT, IDLE]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        let _ = self.docker(&["rmi", IMAGE]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

async fn ours_logs(s: &Sides) -> usize {
    logs_with(&s.ours).await
}

async fn logs_with(docker: &docker_engine_api_v1_53::Docker) -> usize {
    let options =
        docker_engine_api_v1_53::ContainerLogsOptions { stdout: Some(true), stderr: Some(true), ..Default::default() };
    let mut logs = docker.container_logs(LOGS, &options).await.expect("project: logs");
    let mut n = 0;
    while let Some(chunk) = logs.next().await {
        n += chunk.expect("project: logs").bytes().len();
    }
    n
}

async fn bollard_logs(s: &Sides) -> usize {
    let options = bollard::query_parameters::LogsOptionsBuilder::default().stdout(true).stderr(true).build();
    let mut logs = s.bollard.logs(LOGS, Some(options));
    let mut n = 0;
    while let Some(chunk) = logs.next().await {
        n += chunk.expect("bollard: logs").into_bytes().len();
    }
    n
}

/// Attach with `logs=true, stream=false`: dockerd replays the stopped container's output over
/// the hijacked connection and closes it.
async fn ours_attach(s: &Sides) -> usize {
    let options = docker_engine_api_v1_53::ContainerAttachOptions {
        logs: Some(true),
        stream: Some(false),
        stdout: Some(true),
        stderr: Some(true),
        ..Default::default()
    };
    let mut session = s.ours.container_attach(LOGS, &options).await.expect("project: attach");
    let mut n = 0;
    while let Some(chunk) = session.output.next().await {
        n += chunk.expect("project: attach output").bytes().len();
    }
    n
}

async fn bollard_attach(s: &Sides) -> usize {
    let options = bollard::query_parameters::AttachContainerOptionsBuilder::default()
        .logs(true)
        .stream(false)
        .stdout(true)
        .stderr(true)
        .build();
    let mut session = s.bollard.attach_container(LOGS, Some(options)).await.expect("bollard: attach");
    let mut n = 0;
    while let Some(chunk) = session.output.next().await {
        n += chunk.expect("bollard: attach output").into_bytes().len();
    }
    n
}

async fn ours_exec(s: &Sides, script: &str) -> usize {
    use docker_engine_api_v1_53::models::{ExecConfig, ExecStartConfig};
    let config = ExecConfig {
        attach_stdout: Some(true),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        ..Default::default()
    };
    let id = s.ours.container_exec(IDLE, &Default::default(), &config).await.expect("project: exec").id.unwrap();
    let mut session =
        s.ours.exec_start(&id, &Default::default(), Some(&ExecStartConfig::default())).await.expect("exec start");
    let mut n = 0;
    while let Some(chunk) = session.output.next().await {
        n += chunk.expect("project: exec output").bytes().len();
    }
    n
}

async fn bollard_exec(s: &Sides, script: &str) -> usize {
    use bollard::exec::{CreateExecOptions, StartExecResults};
    let config = CreateExecOptions {
        attach_stdout: Some(true),
        cmd: Some(vec!["sh".to_string(), "-c".into(), script.into()]),
        ..Default::default()
    };
    let id = s.bollard.create_exec(IDLE, config).await.expect("bollard: exec").id;
    let StartExecResults::Attached { mut output, .. } = s.bollard.start_exec(&id, None).await.expect("start") else {
        panic!("bollard: exec detached")
    };
    let mut n = 0;
    while let Some(chunk) = output.next().await {
        n += chunk.expect("bollard: exec output").into_bytes().len();
    }
    n
}

async fn ours_export(s: &Sides) -> usize {
    let mut tar = s.ours.container_export(EXPORT, &Default::default()).await.expect("project: export");
    let mut n = 0;
    while let Some(chunk) = tar.next().await {
        n += chunk.expect("project: export").len();
    }
    n
}

async fn bollard_export(s: &Sides) -> usize {
    let mut tar = s.bollard.export_container(EXPORT);
    let mut n = 0;
    while let Some(chunk) = tar.next().await {
        n += chunk.expect("bollard: export").len();
    }
    n
}

/// The order in which round `round` measures the `n` sides of a figure. A reader leaves the
/// daemon in a state that speeds up or slows down whoever comes next (after bollard's slow
/// read of the logs the CLI took 1.8 s instead of 2.5 s), so the order is a Williams design:
/// over [`rounds`] rounds each side comes first equally often and follows every other side
/// equally often. (Rotating one order kept each side's predecessor fixed: the CLI always
/// followed bollard, the project its `current_thread` twin.)
fn turns(round: usize, n: usize) -> Vec<usize> {
    // 0, 1, n-1, 2, n-2, …: the steps between neighbours are all different modulo n.
    let first = (0..n).map(|k| if k % 2 == 1 { k.div_ceil(2) } else { (n - k / 2) % n });
    let row: Vec<usize> = first.map(|side| (side + round) % n).collect();
    // An odd `n` needs the mirrored square too.
    if n % 2 == 1 && (round / n) % 2 == 1 {
        row.into_iter().rev().collect()
    } else {
        row
    }
}

/// At least `runs` rounds, in whole designs of [`turns`] (`n` rounds, `2n` for an odd `n`).
fn rounds(runs: usize, n: usize) -> usize {
    runs.max(1).next_multiple_of(if n % 2 == 0 { n } else { 2 * n })
}

/// The project reading the logs on a `current_thread` runtime in a thread of its own, with a
/// client of its own: the one-thread reader that reading from `main` is measured against.
fn ours_logs_current_thread(socket: &str) -> (Duration, usize) {
    let socket = socket.to_owned();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let docker = docker_engine_api_v1_53::Docker::new(crate::Sides::unix_transport(&socket));
            time(logs_with(&docker)).await
        })
    })
    .join()
    .expect("current_thread reader")
}

async fn time<F: std::future::Future<Output = usize>>(f: F) -> (Duration, usize) {
    let start = Instant::now();
    let n = f.await;
    (start.elapsed(), n)
}

/// The time of one read whose byte count `n` must pass `ok` (else the bench stops: `what`).
async fn checked<F: std::future::Future<Output = usize>>(f: F, ok: impl Fn(usize) -> bool, what: &str) -> Duration {
    let (t, n) = time(f).await;
    assert!(ok(n), "{what}: {n} bytes");
    t
}

/// `bytes` as MiB per run, for a rate beside the time.
fn mib(bytes: usize) -> Option<(f64, &'static str)> {
    Some((bytes as f64 / (1 << 20) as f64, "MiB"))
}

/// Logs, attach, exec output and export, each beside the Docker CLI where it has the command.
pub async fn streams(d: &Daemon, s: &Sides, lines: usize, export_mib: usize, runs: usize) -> Vec<Figure> {
    let (logs, current) = logs(d, s, lines, runs).await;
    let line = std::str::from_utf8(&data::LOG_LINE[..64]).unwrap();
    let script = format!("yes {line} | head -n {lines}");
    vec![
        logs,
        current,
        attach(s, lines, runs).await,
        exec(d, s, &script, lines, runs).await,
        export(d, s, export_mib, runs).await,
    ]
}

/// The logs from `main` on the multi-thread runtime (the project, bollard), the CLI, and the
/// project on a `current_thread` runtime: four sides in one design.
async fn logs(d: &Daemon, s: &Sides, lines: usize, runs: usize) -> (Figure, Figure) {
    let bytes = lines * 65;
    let mut logs =
        Figure::new(format!("logs of a container that wrote {lines} lines of 65 B (73 B frames), real daemon"));
    logs.per_run = mib(bytes);
    let mut current = Figure::new("the same logs read by the project on a `current_thread` runtime (project only)");
    current.per_run = logs.per_run;
    let mut cli = Vec::new();
    for round in 0..rounds(runs, 4) {
        for side in turns(round, 4) {
            match side {
                0 => logs.ours.push(checked(ours_logs(s), |n| n == bytes, "project: log bytes").await),
                1 => logs.bollard.push(checked(bollard_logs(s), |n| n == bytes, "bollard: log bytes").await),
                2 => cli.push(d.cli(&["logs", LOGS])),
                _ => {
                    let (t, n) = ours_logs_current_thread(&d.socket);
                    assert_eq!(n, bytes, "project (current_thread): log bytes");
                    current.ours.push(t);
                }
            }
        }
    }
    current.reference = Some(("docker logs > /dev/null", cli.clone()));
    logs.reference = Some(("docker logs > /dev/null", cli));
    (logs, current)
}

async fn attach(s: &Sides, lines: usize, runs: usize) -> Figure {
    let bytes = lines * 65;
    let mut attach = Figure::new(format!(
        "attach output (`logs=1&stream=0`: the same {lines} lines replayed over the hijacked connection), real daemon"
    ));
    attach.per_run = mib(bytes);
    for round in 0..rounds(runs, 2) {
        for side in turns(round, 2) {
            if side == 0 {
                attach.ours.push(checked(ours_attach(s), |n| n == bytes, "project: attach bytes").await);
            } else {
                attach.bollard.push(checked(bollard_attach(s), |n| n == bytes, "bollard: attach bytes").await);
            }
        }
    }
    attach
}

async fn exec(d: &Daemon, s: &Sides, script: &str, lines: usize, runs: usize) -> Figure {
    let bytes = lines * 65;
    let mut exec = Figure::new(format!("exec output: `yes | head -n {lines}` (65 B lines), real daemon"));
    exec.per_run = mib(bytes);
    let mut cli = Vec::new();
    for round in 0..rounds(runs, 3) {
        for side in turns(round, 3) {
            match side {
                0 => exec.ours.push(checked(ours_exec(s, script), |n| n == bytes, "project: exec bytes").await),
                1 => exec.bollard.push(checked(bollard_exec(s, script), |n| n == bytes, "bollard: exec bytes").await),
                _ => cli.push(d.cli(&["exec", IDLE, "sh", "-c", script])),
            }
        }
    }
    exec.reference = Some(("docker exec > /dev/null", cli));
    exec
}

async fn export(d: &Daemon, s: &Sides, export_mib: usize, runs: usize) -> Figure {
    let mut export = Figure::new(format!("export of a container with a {export_mib} MiB file, real daemon"));
    let mut cli = Vec::new();
    for round in 0..rounds(runs, 3) {
        for side in turns(round, 3) {
            match side {
                0 => export.ours.push(checked(ours_export(s), |n| n >= export_mib << 20, "project: export size").await),
                1 => export
                    .bollard
                    .push(checked(bollard_export(s), |n| n >= export_mib << 20, "bollard: export size").await),
                _ => cli.push(d.cli(&["export", EXPORT])),
            }
        }
    }
    export.reference = Some(("docker export > /dev/null", cli));
    export
}

#[cfg(test)]
mod tests {
    use super::{rounds, turns};
    use std::collections::BTreeSet;

    /// Over whole designs every side comes first equally often and follows every other side
    /// equally often (with the last side of a round followed by the first of the next).
    #[test]
    fn the_order_is_balanced_for_the_previous_side() {
        for n in 2..=6 {
            let order: Vec<usize> = (0..rounds(1, n)).flat_map(|r| turns(r, n)).collect();
            for r in 0..rounds(1, n) {
                assert_eq!(turns(r, n).into_iter().collect::<BTreeSet<_>>().len(), n, "n {n} round {r}");
            }
            let mut pairs = std::collections::BTreeMap::new();
            for w in order.windows(2).filter(|w| w[0] != w[1]) {
                *pairs.entry((w[0], w[1])).or_insert(0) += 1;
            }
            let counts: BTreeSet<usize> = pairs.values().copied().collect();
            assert_eq!(pairs.len(), n * (n - 1), "n {n}: every ordered pair occurs");
            assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1, "n {n}: {pairs:?}");
        }
    }
}

/// Sockets in TIME_WAIT towards `port` (from /proc/net/tcp and tcp6), if readable.
fn time_wait(port: Option<u16>) -> usize {
    let Some(port) = port else { return 0 };
    let needle = format!(":{port:04X} ");
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .flat_map(|t| t.lines().skip(1).map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols.len() > 3 && cols[3] == "06" && format!("{} ", cols[2]).ends_with(&needle)
        })
        .count()
}

async fn ours_inspects(c: &docker_engine_api_v1_53::Docker, calls: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..calls {
        c.container_inspect(IDLE, &Default::default()).await.expect("project: inspect");
    }
    start.elapsed()
}

/// Seconds the pre-pool transport's program (`bench/before-pool`) took for `calls` calls.
fn before_pool_inspects(program: &str, calls: usize) -> Duration {
    let out = Command::new(program)
        .args(["--calls", &calls.to_string(), "--container", IDLE])
        .stderr(Stdio::inherit())
        .output()
        .expect("cannot run the pre-pool program");
    assert!(out.status.success(), "the pre-pool program failed");
    let text = String::from_utf8_lossy(&out.stdout);
    Duration::from_secs_f64(text.trim().parse().unwrap_or_else(|_| panic!("pre-pool program printed {text:?}")))
}

/// `calls` sequential `container_inspect` on both clients, and on the project's with its
/// pool turned off; with a TCP port, the `TIME_WAIT` sockets each side left; with `before`,
/// also by the transport as it was before the pool (issue 10's "today").
pub async fn inspects(
    s: &Sides,
    unpooled: &docker_engine_api_v1_53::Docker,
    calls: usize,
    runs: usize,
    how: &str,
    port: Option<u16>,
    before: Option<&str>,
) -> Figure {
    let mut f = Figure::new(format!("{calls} sequential container_inspect, {how}, real daemon"));
    f.per_run = Some((calls as f64, "calls"));
    let (mut off, mut old) = (Vec::new(), Vec::new());
    let (mut ours_tw, mut theirs_tw) = (0, 0);
    for _ in 0..runs {
        let before_ours = time_wait(port);
        f.ours.push(ours_inspects(&s.ours, calls).await);
        ours_tw = time_wait(port).saturating_sub(before_ours);
        let before_theirs = time_wait(port);
        let start = Instant::now();
        for _ in 0..calls {
            s.bollard.inspect_container(IDLE, None).await.expect("bollard: inspect");
        }
        f.bollard.push(start.elapsed());
        theirs_tw = time_wait(port).saturating_sub(before_theirs);
        off.push(ours_inspects(unpooled, calls).await);
        if let Some(program) = before {
            old.push(before_pool_inspects(program, calls));
        }
    }
    f.reference = Some(("project with its pool off", off));
    if port.is_some() {
        f.note = format!("; new TIME_WAIT sockets in the last run: project {ours_tw}, bollard {theirs_tw}");
    }
    if let (Some(old), Some(ours)) = (median(&old), median(&f.ours)) {
        f.note += &format!(
            "; the transport before the pool (commit 0d537b2, built by the bench): {:.0} calls/s (project ÷ it: {:.2}, {:.1}× its calls/s)",
            calls as f64 / old.as_secs_f64(),
            ours.as_secs_f64() / old.as_secs_f64(),
            old.as_secs_f64() / ours.as_secs_f64()
        );
    }
    f
}

//! The side-by-side bench: this project's v1.53 endpoint crate and bollard 0.21 on the same
//! inputs, in one run, interleaved, in a plain `#[tokio::main]` (multi-thread) program.
//! Prints Markdown table rows on stdout (progress on stderr); `cargo xtask bench` adds the
//! cold builds and the table's head.
//!
//! Arguments: `--runs N` (3), `--daemon` (end-to-end figures against the daemon of
//! `tests/daemon/daemon.sh`), `--only-daemon` (only those; run the built program directly under
//! `tests/daemon/daemon.sh run --` to look at them alone), `--lines N` (log lines, 400000), `--export-mib N` (128),
//! `--calls N` (sequential inspects, 500).

mod data;
mod e2e;
mod fake;
mod micro;
mod report;
// Shared with `cargo xtask bench`, which lives in the main workspace.
#[path = "../../../xtask/src/settle.rs"]
mod settle;

use std::time::Duration;

use docker_engine_transport::{ApiVersion, TlsConfig, Transport};

/// The two clients under test, talking to the same daemon.
pub struct Sides {
    pub ours: docker_engine_api_v1_53::Docker,
    pub bollard: bollard::Docker,
}

const V141: bollard::ClientVersion = bollard::ClientVersion { major_version: 1, minor_version: 41 };

impl Sides {
    fn unix_transport(socket: &str) -> Transport {
        Transport::unix(socket).with_pinned_version(ApiVersion::new(1, 41))
    }

    fn tls_transport(d: &e2e::Daemon) -> Transport {
        let config = TlsConfig::from_cert_path(&d.cert_dir, true).expect("project: TLS config");
        Transport::tls(&d.tls_host, config).expect("project: TLS").with_pinned_version(ApiVersion::new(1, 41))
    }

    fn unix(socket: &str) -> Sides {
        Sides {
            ours: docker_engine_api_v1_53::Docker::new(Sides::unix_transport(socket)),
            bollard: bollard::Docker::connect_with_unix(socket, 600, &V141).expect("bollard: unix"),
        }
    }

    fn tls(d: &e2e::Daemon) -> Sides {
        let dir = std::path::Path::new(&d.cert_dir);
        let (key, cert, ca) = (dir.join("key.pem"), dir.join("cert.pem"), dir.join("ca.pem"));
        let bollard =
            bollard::Docker::connect_with_ssl(&d.tls_host, &key, &cert, &ca, 600, &V141).expect("bollard: TLS");
        Sides { ours: docker_engine_api_v1_53::Docker::new(Sides::tls_transport(d)), bollard }
    }
}

struct Args {
    runs: usize,
    daemon: bool,
    /// Only the real-daemon figures (`--only-daemon`), to look at them alone.
    only_daemon: bool,
    lines: usize,
    export_mib: usize,
    calls: usize,
    /// The pre-pool transport's program (`bench/before-pool`), built by `cargo xtask bench`.
    before: Option<String>,
}

fn args() -> Args {
    let mut a =
        Args { runs: 3, daemon: false, only_daemon: false, lines: 400_000, export_mib: 128, calls: 500, before: None };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = || it.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{arg} needs a number"));
        match arg.as_str() {
            "--runs" => a.runs = num(),
            "--lines" => a.lines = num(),
            "--export-mib" => a.export_mib = num(),
            "--calls" => a.calls = num(),
            "--daemon" => a.daemon = true,
            "--before" => a.before = Some(it.next().expect("--before needs a path")),
            "--only-daemon" => {
                a.daemon = true;
                a.only_daemon = true;
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn print(figures: &[report::Figure]) {
    for f in figures {
        println!("{}", f.row());
    }
}

/// The fake-daemon and in-memory figures.
async fn micro_figures(runs: usize) {
    let dir = std::env::temp_dir().join(format!("side-by-side-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (routes, inputs) = micro::routes(1);
    let fake = fake::FakeDaemon::start(&dir.join("fake.sock"), routes).expect("fake daemon");
    let sides = Sides::unix(fake.socket.to_str().expect("utf-8 path"));
    settle::wait_until_quiet(Duration::from_secs(60));
    eprintln!("side-by-side: demux and logs (fake daemon)");
    print(&micro::logs(&sides, &inputs, runs).await);
    eprintln!("side-by-side: JSON streams (progress, events, stats)");
    print(&micro::json(&sides, &inputs, runs).await);
    eprintln!("side-by-side: model decode");
    print(&[micro::decode(runs)]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::main]
async fn main() {
    let a = args();
    if !a.only_daemon {
        micro_figures(a.runs).await;
    }
    if a.daemon {
        let d = e2e::Daemon::from_env().expect("--daemon needs the DOCKER_TEST_* variables of tests/daemon/daemon.sh");
        eprintln!("side-by-side: preparing containers on the daemon");
        d.setup(a.lines, a.export_mib);
        // The daemon is still writing the logs container's json-file when `docker run` returns.
        settle::wait_until_quiet(Duration::from_secs(60));
        let unix = Sides::unix(&d.socket);
        eprintln!("side-by-side: logs, attach, exec, export (real daemon)");
        print(&e2e::streams(&d, &unix, a.lines, a.export_mib, a.runs).await);
        eprintln!("side-by-side: sequential calls");
        let unpooled = docker_engine_api_v1_53::Docker::new(Sides::unix_transport(&d.socket).with_idle_connections(0));
        print(&[e2e::inspects(&unix, &unpooled, a.calls, a.runs, "unix socket", None, None).await]);
        let tls = Sides::tls(&d);
        let unpooled = docker_engine_api_v1_53::Docker::new(Sides::tls_transport(&d).with_idle_connections(0));
        let port = d.tls_host.rsplit(':').next().and_then(|p| p.parse().ok());
        let before = a.before.as_deref();
        print(&[e2e::inspects(&tls, &unpooled, a.calls, a.runs, "TLS on 127.0.0.1", port, before).await]);
        d.cleanup();
    }
}

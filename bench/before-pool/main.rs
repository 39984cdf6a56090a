//! The sequential TLS calls of the side-by-side bench, made by the transport as it was before
//! the keep-alive pool (commit 0d537b2, the "today" of issue 10: one connection and one TLS
//! handshake per call, each driven by a spawned task). `cargo xtask bench --daemon` extracts
//! that commit's transport and v1.53 crates with `git archive`, builds this file against them
//! in `target/side-by-side-builds/before-pool/`, and the bench program runs it between its own
//! turns. Prints the seconds that `--calls N` sequential `container_inspect` calls took.

use std::time::Instant;

use docker_engine_transport::{ApiVersion, TlsConfig, Transport};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut calls, mut id) = (500usize, String::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--calls" => calls = args.next().and_then(|v| v.parse().ok()).expect("--calls needs a number"),
            "--container" => id = args.next().expect("--container needs a name"),
            other => panic!("unknown argument {other}"),
        }
    }
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} is not set (tests/daemon/daemon.sh)"));
    let config = TlsConfig::from_cert_path(var("DOCKER_TEST_CERT_DIR"), true).expect("TLS config");
    let transport = Transport::tls(&var("DOCKER_TEST_TLS_HOST"), config).expect("TLS transport");
    let docker = docker_engine_api_v1_53::Docker::new(transport.with_pinned_version(ApiVersion::new(1, 41)));
    let start = Instant::now();
    for _ in 0..calls {
        docker.container_inspect(&id, &Default::default()).await.expect("inspect");
    }
    println!("{}", start.elapsed().as_secs_f64());
}

//! Streams over a unix socket read from the `block_on` thread of a multi-thread runtime, where
//! reads first wait briefly on the socket itself (`transport/src/unix_io.rs`), from a spawned
//! task and from a `current_thread` runtime, where they never do: every frame arrives, in
//! order, across pauses longer than the brief wait; a stream with nothing to read does not
//! keep waking the reading thread; an upload that fills the socket finishes. The daemons are
//! plain threads, so they run whatever the runtime under test does. No timing is asserted.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Client, Operation, Request, Transport};
use futures_util::StreamExt;

static LOGS: Operation = Operation { id: "ContainerLogs", method: Method::GET, since: None };
const V141: ApiVersion = ApiVersion::new(1, 41);

/// What the daemon sends after the head: frames, and pauses between them.
#[derive(Clone)]
enum Step {
    Frames(usize),
    Pause(Duration),
}

/// Reads from `conn` until a request head has ended: all bytes read (the head and any body
/// bytes after it) and where the head ends; `None` when the client went away first.
fn read_head(conn: &mut impl Read) -> Option<(Vec<u8>, usize)> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some((seen, i + 4));
        }
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

/// A daemon on `dir/d.sock` answering every request with a multiplexed log stream of
/// numbered frames (`line N\n`), one HTTP chunk each, as dockerd sends them.
fn daemon(dir: &Path, steps: Vec<Step>) -> PathBuf {
    let path = dir.join("d.sock");
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let steps = steps.clone();
            std::thread::spawn(move || {
                if read_head(&mut conn).is_none() {
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
                if conn.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let mut n = 0;
                for step in steps {
                    match step {
                        Step::Pause(d) => std::thread::sleep(d),
                        Step::Frames(count) => {
                            for _ in 0..count {
                                let line = format!("line {n}\n");
                                n += 1;
                                let mut frame = vec![1, 0, 0, 0];
                                frame.extend_from_slice(&(line.len() as u32).to_be_bytes());
                                frame.extend_from_slice(line.as_bytes());
                                let chunk = [format!("{:x}\r\n", frame.len()).as_bytes(), &frame, b"\r\n"].concat();
                                if conn.write_all(&chunk).is_err() {
                                    return;
                                }
                            }
                        }
                    }
                }
                let _ = conn.write_all(b"0\r\n\r\n");
            });
        }
    });
    path
}

/// Reads the whole log stream; the lines in order.
async fn read_lines(socket: PathBuf) -> Vec<String> {
    let client = Client::new(Transport::unix(&socket).with_pinned_version(V141), V141);
    let mut logs = Request::new(&LOGS);
    logs.path("/containers/c/logs");
    let read = async {
        let mut stream = client.send_output(logs, Some(false)).await.unwrap();
        let mut lines = Vec::new();
        while let Some(chunk) = stream.next().await {
            lines.push(String::from_utf8(chunk.unwrap().bytes().to_vec()).unwrap());
        }
        lines
    };
    tokio::time::timeout(Duration::from_secs(20), read).await.expect("the stream hung")
}

fn expected(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("line {i}\n")).collect()
}

/// Bursts and pauses of 0, 5 and 60 ms: shorter and longer than the brief wait.
fn bursts() -> (Vec<Step>, usize) {
    let ms = Duration::from_millis;
    let steps = vec![
        Step::Frames(3),
        Step::Pause(ms(60)),
        Step::Frames(500),
        Step::Pause(ms(5)),
        Step::Frames(1),
        Step::Pause(ms(60)),
        Step::Frames(2000),
        Step::Pause(ms(60)),
        Step::Frames(1),
    ];
    (steps, 2505)
}

#[test]
fn every_frame_arrives_in_order_on_every_kind_of_runtime_thread() {
    let (steps, n) = bursts();
    let dir = tempfile::tempdir().unwrap();
    let socket = daemon(dir.path(), steps);
    // The `block_on` thread of a multi-thread runtime: the brief waits.
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    assert_eq!(rt.block_on(read_lines(socket.clone())), expected(n), "block_on of a multi-thread runtime");
    // A task on a worker: never a brief wait.
    let spawned = rt.block_on(async { tokio::spawn(read_lines(socket.clone())).await.unwrap() });
    assert_eq!(spawned, expected(n), "a spawned task");
    // A current_thread runtime: never a brief wait.
    let ct = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    assert_eq!(ct.block_on(read_lines(socket)), expected(n), "current_thread");
}

/// The calling thread's voluntary context switches so far (it slept that often).
fn sleeps_of_this_thread() -> u64 {
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("voluntary_ctxt_switches:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A stream that says nothing for 800 ms: the reading thread sleeps in the reactor until data
/// comes. A busy loop of brief waits (each a 200 µs sleep in `ppoll`, then a new registration
/// whose first event wakes the reader again, as happened on an idle pooled connection while
/// this was built) would sleep thousands of times.
#[test]
fn a_silent_stream_does_not_keep_waking_the_reader() {
    let steps = vec![Step::Frames(1), Step::Pause(Duration::from_millis(800)), Step::Frames(1)];
    let dir = tempfile::tempdir().unwrap();
    let socket = daemon(dir.path(), steps);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let before = sleeps_of_this_thread();
    assert_eq!(rt.block_on(read_lines(socket)), expected(2));
    let sleeps = sleeps_of_this_thread() - before;
    assert!(sleeps < 200, "the reading thread slept {sleeps} times during one 800 ms pause");
}

static BUILD: Operation = Operation { id: "ImageBuild", method: Method::POST, since: None };

/// A daemon that takes a request body slowly (64 KiB, then a pause), then answers with a JSON
/// stream of one item naming how many body bytes it read.
fn slow_reader_daemon(dir: &Path) -> PathBuf {
    let path = dir.join("slow.sock");
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else { return };
        let (seen, head_end) = read_head(&mut conn).expect("a request head");
        let mut buf = vec![0u8; 64 * 1024];
        let head = String::from_utf8_lossy(&seen[..head_end]).to_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map(|v| v.trim().parse().unwrap())
            .expect("a Content-Length");
        let mut body = seen.len() - head_end;
        while body < len {
            std::thread::sleep(Duration::from_millis(2));
            let n = conn.read(&mut buf).unwrap();
            assert!(n > 0, "the client closed the upload after {body} bytes");
            body += n;
        }
        let item = format!("{{\"stream\":\"{body}\"}}\n");
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{item}\r\n0\r\n\r\n",
            item.len()
        );
        conn.write_all(answer.as_bytes()).unwrap();
    });
    path
}

/// A stream whose request body fills the socket, read from `block_on`: the write waits for
/// room in the reactor while hyper also polls for the answer, so a waiting write and reads
/// (which leave the reactor for their brief waits) share one registration; the upload
/// finishes and the daemon saw all of it.
#[test]
fn an_upload_that_fills_the_socket_finishes_when_read_from_block_on() {
    let dir = tempfile::tempdir().unwrap();
    let socket = slow_reader_daemon(dir.path());
    let body = vec![b'x'; 4 << 20];
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let items: Vec<serde_json::Value> = rt.block_on(async {
        let client = Client::new(Transport::unix(&socket).with_pinned_version(V141), V141);
        let mut build = Request::new(&BUILD);
        build.path("/build");
        build.bytes_body("application/x-tar", body.into());
        let read = async {
            let stream = client.send_json_stream::<serde_json::Value>(build).await.unwrap();
            stream.map(Result::unwrap).collect::<Vec<_>>().await
        };
        tokio::time::timeout(Duration::from_secs(30), read).await.expect("the upload stalled")
    });
    assert_eq!(items, vec![serde_json::json!({"stream": (4 << 20).to_string()})]);
}

static ATTACH: Operation = Operation { id: "ContainerAttach", method: Method::POST, since: None };

/// A daemon that upgrades the connection, sends `hello` in the packet of its `101`, then
/// echoes what it reads until the client half-closes, and then closes.
fn echo_daemon(dir: &Path) -> PathBuf {
    let path = dir.join("echo.sock");
    let listener = UnixListener::bind(&path).unwrap();
    std::thread::spawn(move || {
        let Ok((mut conn, _)) = listener.accept() else { return };
        if read_head(&mut conn).is_none() {
            return;
        }
        let mut buf = [0u8; 4096];
        let answer = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello";
        conn.write_all(answer.as_bytes()).unwrap();
        while let Ok(n @ 1..) = conn.read(&mut buf) {
            conn.write_all(&buf[..n]).unwrap();
        }
    });
    path
}

/// A hijacked session on a unix socket, its output read on `block_on` while a spawned task
/// writes stdin with pauses longer than the brief wait: the early bytes come first, every
/// echo arrives in order, and the output ends after the stdin half-close.
#[test]
fn a_hijacked_session_reads_on_block_on_while_a_task_writes_stdin() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let socket = echo_daemon(dir.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let output = rt.block_on(async {
        let client = Client::new(Transport::unix(&socket).with_pinned_version(V141), V141);
        let mut attach = Request::new(&ATTACH);
        attach.path("/containers/c/attach");
        let session = client.send_upgrade(attach, Some(true)).await.unwrap();
        let mut input = session.input;
        let writer = tokio::spawn(async move {
            for i in 0..20 {
                input.write_all(format!("<{i}>").as_bytes()).await.unwrap();
                tokio::time::sleep(Duration::from_millis(if i % 5 == 0 { 30 } else { 0 })).await;
            }
            input.close_write().await.unwrap();
        });
        let read = session.output.map(|c| String::from_utf8(c.unwrap().bytes().to_vec()).unwrap()).collect::<String>();
        let output = tokio::time::timeout(Duration::from_secs(20), read).await.expect("the session hung");
        writer.await.unwrap();
        output
    });
    let echoed: String = (0..20).map(|i| format!("<{i}>")).collect();
    assert_eq!(output, format!("hello{echoed}"));
}

//! The `ssh://` connector with stand-in `ssh` programs the test writes: the arguments the CLI
//! passes, HTTP over the child's stdio, what the child printed on stderr in the error when it
//! fails, bounded stderr, and the child killed when the connection drops. (The real OpenSSH
//! server run is `tests/tests/daemon_ssh.rs`.)
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use docker_engine_transport::http::Method;
use docker_engine_transport::{ApiVersion, Client, Error, Operation, Request, SshCommand, Transport};

static PING: Operation = Operation { id: "SystemPing", method: Method::GET, since: None };

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

async fn ping(program: &Path, url: &str) -> Result<String, Error> {
    let t = Transport::ssh_with(url, SshCommand::new(program).args(["-F", "/dev/null"])).unwrap();
    let client = Client::new(t.with_pinned_version(ApiVersion::new(1, 45)), ApiVersion::new(1, 45));
    let mut req = Request::new(&PING);
    req.path("/_ping");
    tokio::time::timeout(Duration::from_secs(20), client.send_text(req)).await.expect("no hang")
}

#[tokio::test]
async fn http_over_the_childs_stdio_with_the_clis_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let args = dir.path().join("args");
    // Records its arguments, reads the request head, answers.
    let body = format!(
        r#"printf '%s\n' "$@" >{}
while IFS= read -r line; do [ "$line" = "$(printf '\r')" ] && break; done
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK'"#,
        args.display()
    );
    let fake = script(dir.path(), "fake-ssh", &body);
    assert_eq!(ping(&fake, "ssh://me@example.org:2222/run/alt.sock").await.unwrap(), "OK");
    let seen = std::fs::read_to_string(&args).unwrap();
    assert_eq!(
        seen.lines().collect::<Vec<_>>(),
        [
            "-F",
            "/dev/null",
            "-o",
            "ConnectTimeout=30",
            "-T",
            "-l",
            "me",
            "-p",
            "2222",
            "--",
            "example.org",
            "docker",
            "--host=unix:///run/alt.sock",
            "system",
            "dial-stdio"
        ]
    );
}

#[tokio::test]
async fn a_failing_ssh_is_reported_with_its_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let fake = script(dir.path(), "fake-ssh", "echo 'me@example.org: Permission denied (publickey).' >&2; exit 255");
    let e = ping(&fake, "ssh://me@example.org").await.unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::Transport { .. }), "{e:?}");
    assert!(text.contains("ssh://me@example.org") && text.contains("exit status: 255"), "{text}");
    assert!(text.contains("ssh said: me@example.org: Permission denied (publickey)."), "{text}");

    // Megabytes of stderr: kept bounded, control characters escaped.
    let noisy = script(
        dir.path(),
        "noisy-ssh",
        "printf '\\033[31mred\\n' >&2; head -c 3000000 /dev/zero | tr '\\0' x >&2; exit 1",
    );
    let text = ping(&noisy, "ssh://h").await.unwrap_err().to_string();
    assert!(text.len() < 6000, "{} bytes", text.len());
    assert!(text.contains("\\x1b[31mred\\n") && !text.contains('\u{1b}'), "{}", &text[..200]);

    // A program that does not exist.
    let e = ping(&dir.path().join("no-such-ssh"), "ssh://h").await.unwrap_err().to_string();
    assert!(e.contains("cannot run") && e.contains("no-such-ssh"), "{e}");
}

#[tokio::test]
async fn the_child_is_killed_when_the_connection_drops() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // Answers the head of a stream, then stays quiet for ever.
    let body = format!(
        r#"echo $$ >{}
while IFS= read -r line; do [ "$line" = "$(printf '\r')" ] && break; done
printf 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n'
exec sleep 600"#,
        pid_file.display()
    );
    let fake = script(dir.path(), "fake-ssh", &body);
    let t = Transport::ssh_with("ssh://h", SshCommand::new(&fake)).unwrap().with_pinned_version(ApiVersion::new(1, 45));
    let client = Client::new(t, ApiVersion::new(1, 45));
    static EXPORT: Operation = Operation { id: "ContainerExport", method: Method::GET, since: None };
    let mut req = Request::new(&EXPORT);
    req.path("/containers/x/export");
    let stream = client.send_bytes_stream(req).await.unwrap();
    let pid: u32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
    assert!(alive(pid), "the child runs while the stream is open");
    drop(stream);
    for _ in 0..100 {
        if !alive(pid) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("ssh child {pid} still running after the stream was dropped");
}

/// Running and not a zombie.
fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit_once(')').map(|(_, a)| a.trim_start().chars().next()).unwrap_or(None);
    matches!(state, Some(s) if s != 'Z' && s != 'X')
}

//! `cargo xtask fetch-specs` against a local HTTP server on 127.0.0.1 (a few lines of std
//! networking in this file): missing versions are fetched until a 404, and an HTTP error, a
//! cut-off body, or a body that is not the spec it should be writes nothing. Then `regen` says
//! what is new in the newest version.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// A spec of version `version`; 1.99 drops `Thing.Size` (breaking for clients reading it).
fn spec(version: &str) -> String {
    let size = if version == "1.99" { "" } else { "\n      Size: { type: integer }" };
    format!(
        r##"swagger: "2.0"
basePath: /v{version}
info: {{ title: t, version: "{version}" }}
produces: [application/json]
tags: [{{ name: Thing }}]
paths:
  /things:
    get:
      operationId: ThingList
      tags: [Thing]
      responses:
        200:
          description: ok
          schema: {{ type: array, items: {{ $ref: "#/definitions/Thing" }} }}
definitions:
  Thing:
    type: object
    properties:
      Name: {{ type: string }}{size}
"##
    )
}

#[derive(Clone)]
enum Reply {
    Ok(String),
    Status(u16),
    /// Announces the whole body in Content-Length, sends `cut` bytes, closes.
    Truncated(String, usize),
}

/// Serves `routes` (anything else: 404) on 127.0.0.1 until the test process ends; returns
/// the URL template and the list of requested paths.
fn serve(routes: BTreeMap<&'static str, Reply>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("").to_string();
            seen.lock().unwrap().push(path.clone());
            let (status, body, sent) = match routes.get(path.as_str()).cloned().unwrap_or(Reply::Status(404)) {
                Reply::Ok(body) => (200, body.clone(), body.len()),
                Reply::Status(status) => (status, format!("status {status}\n"), usize::MAX),
                Reply::Truncated(body, cut) => (200, body, cut),
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/x-yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body.as_bytes()[..sent.min(body.len())]);
        }
    });
    (format!("http://127.0.0.1:{port}/v{{version}}.yaml"), requests)
}

fn fake_workspace(temp: &Path, versions: &[&str]) -> PathBuf {
    let ws = temp.join("ws");
    std::fs::create_dir_all(ws.join("xtask")).unwrap();
    std::fs::create_dir_all(ws.join("specs/upstream")).unwrap();
    std::fs::write(ws.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    for v in versions {
        std::fs::write(ws.join(format!("specs/upstream/v{v}.yaml")), spec(v)).unwrap();
    }
    ws
}

fn xtask(ws: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).current_dir(ws).env_remove("DOCKER_API_SPECS").env_remove("DOCKER_API_SPEC_URL");
    for proxy in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
        command.env_remove(proxy);
    }
    let output = command.envs(env.iter().copied()).output().unwrap();
    eprintln!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// File names in the spec folder (temporary files would show up here).
fn listing(ws: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ws.join("specs/upstream"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn fetches_missing_versions_until_a_404_then_regen_says_what_is_new() {
    let temp = tempfile::tempdir().unwrap();
    let ws = fake_workspace(temp.path(), &["1.98"]);
    let (url, requests) = serve(BTreeMap::from([("/v1.99.yaml", Reply::Ok(spec("1.99")))]));
    let out = xtask(&ws, &["fetch-specs", "--url", &url], &[]);
    assert!(out.status.success());
    assert_eq!(listing(&ws), ["v1.98.yaml", "v1.99.yaml"]);
    assert_eq!(std::fs::read_to_string(ws.join("specs/upstream/v1.99.yaml")).unwrap(), spec("1.99"));
    assert_eq!(*requests.lock().unwrap(), ["/v1.99.yaml", "/v1.100.yaml"]);

    // Nothing missing now: only the next version is asked for (the URL from the environment).
    requests.lock().unwrap().clear();
    let again = xtask(&ws, &["fetch-specs"], &[("DOCKER_API_SPEC_URL", &url)]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("no spec missing"));
    assert_eq!(*requests.lock().unwrap(), ["/v1.100.yaml"]);

    let regen = xtask(&ws, &["regen"], &[]);
    assert!(regen.status.success());
    let stdout = String::from_utf8_lossy(&regen.stdout);
    assert!(stdout.contains("what is new in v1.99 (against v1.98): 1 breaking, 0 warnings"), "{stdout}");
    assert!(stdout.contains("breaking: ") && stdout.contains("Thing.Size"), "{stdout}");
}

#[test]
fn fills_gaps_and_fetches_exactly_the_versions_asked_for() {
    let temp = tempfile::tempdir().unwrap();
    let ws = fake_workspace(temp.path(), &["1.97", "1.99"]);
    let (url, requests) =
        serve(BTreeMap::from([("/v1.98.yaml", Reply::Ok(spec("1.98"))), ("/v1.96.yaml", Reply::Ok(spec("1.96")))]));
    assert!(xtask(&ws, &["fetch-specs", "--url", &url], &[]).status.success());
    assert_eq!(listing(&ws), ["v1.97.yaml", "v1.98.yaml", "v1.99.yaml"]);
    assert_eq!(*requests.lock().unwrap(), ["/v1.98.yaml", "/v1.100.yaml"]);

    assert!(xtask(&ws, &["fetch-specs", "--url", &url, "--version", "1.96"], &[]).status.success());
    assert_eq!(listing(&ws), ["v1.96.yaml", "v1.97.yaml", "v1.98.yaml", "v1.99.yaml"]);
    let missing = xtask(&ws, &["fetch-specs", "--url", &url, "--version", "1.95"], &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("404"));
    assert_eq!(listing(&ws), ["v1.96.yaml", "v1.97.yaml", "v1.98.yaml", "v1.99.yaml"]);
}

/// Each broken answer for v1.99: an error naming the URL and the cause, and the folder as it was.
#[test]
fn a_failed_download_writes_nothing() {
    let full = spec("1.99");
    let cases = [
        ("HTTP 500", Reply::Status(500)),
        ("HTTP 403", Reply::Status(403)),
        ("did not complete", Reply::Truncated(full.clone(), full.len() / 2)),
        ("did not complete", Reply::Truncated(full.clone(), full.len() - 1)),
        ("not a usable v1.99 spec", Reply::Ok("<html><body>moved</body></html>\n".into())),
        ("not a usable v1.99 spec (its info.version is 1.98)", Reply::Ok(spec("1.98"))),
        ("not a usable v1.99 spec", Reply::Ok(full.replace("swagger: \"2.0\"", "swagger: \"1.2\""))),
    ];
    for (expected, reply) in cases {
        let temp = tempfile::tempdir().unwrap();
        let ws = fake_workspace(temp.path(), &["1.98"]);
        let (url, _) = serve(BTreeMap::from([("/v1.99.yaml", reply)]));
        let out = xtask(&ws, &["fetch-specs", "--url", &url], &[]);
        assert_eq!(out.status.code(), Some(2), "{expected}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected) && stderr.contains("/v1.99.yaml"), "{expected}: {stderr}");
        assert!(stderr.contains("nothing written"), "{stderr}");
        assert_eq!(listing(&ws), ["v1.98.yaml"], "{expected}");
    }
}

#[test]
fn a_template_without_the_version_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let ws = fake_workspace(temp.path(), &["1.98"]);
    let out = xtask(&ws, &["fetch-specs", "--url", "http://127.0.0.1:9/spec.yaml"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("{version}"));
}

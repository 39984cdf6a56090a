//! The examples of the endpoint crates' docs (`src/snippets/`), run against the test daemon
//! that `tests/run.sh` starts (`tests/daemon/daemon.sh`: Docker 20.10, API 1.41, reached with the
//! v1.55 crate negotiating down). What the docs show is the code that runs here.
//! `pull` and `push` run against the htpasswd registry of `tests/daemon/registry.sh`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use docker_engine_api_v1_55::{models, Docker, ImageCreateOptions, StreamExt, Transport, Upload};
use docker_engine_examples::snippets;

const IMAGE: &str = "snippets-busybox:latest";
const BUILT: &str = "snippets-built:latest";

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| {
        panic!("{key} is not set: the real-daemon tests run under tests/run.sh (or tests/daemon/daemon.sh run -- cargo test)")
    })
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

async fn import_image(docker: &Docker) {
    let rootfs = std::fs::read(env("DOCKER_TEST_ROOTFS_TAR")).expect("rootfs tar");
    let options = ImageCreateOptions {
        from_src: Some("-".into()),
        repo: Some("snippets-busybox".into()),
        tag: Some("latest".into()),
        ..Default::default()
    };
    let mut progress = docker.image_create(&options, Some(Upload::bytes(rootfs))).await.expect("import");
    while let Some(item) = progress.next().await {
        item.expect("import progress");
    }
}

/// Runs `cmd` in a new container of `image` (network `none`) and returns its stdout once it
/// exited.
async fn run_to_end(docker: &Docker, image: &str, cmd: &[&str], containers: &mut Vec<String>) -> String {
    let body = models::ContainerCreateBody {
        image: Some(image.into()),
        cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
        host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
        ..Default::default()
    };
    let id = docker.container_create(&Default::default(), &body).await.expect("create").id.expect("id");
    containers.push(id.clone());
    docker.container_start(&id, &Default::default()).await.expect("start");
    docker.container_wait(&id, &Default::default()).await.expect("wait");
    snippets::logs::logs(docker, &id).await.expect("logs")
}

/// A running container (`sleep`) for exec, stats and copy.
async fn sleeper(docker: &Docker, containers: &mut Vec<String>) -> String {
    let body = models::ContainerCreateBody {
        image: Some(IMAGE.into()),
        cmd: Some(vec!["sleep".into(), "300".into()]),
        host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
        ..Default::default()
    };
    let id = docker.container_create(&Default::default(), &body).await.expect("create").id.expect("id");
    containers.push(id.clone());
    docker.container_start(&id, &Default::default()).await.expect("start");
    id
}

async fn cleanup(docker: &Docker, containers: &[String]) {
    let force = docker_engine_api_v1_55::ContainerDeleteOptions { force: Some(true), ..Default::default() };
    for id in containers {
        let _ = docker.container_delete(id, &force).await;
    }
    for image in [BUILT, IMAGE] {
        let _ = docker.image_delete(image, &Default::default()).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doc_examples_run_against_the_daemon() {
    let docker = Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")));
    import_image(&docker).await;
    let mut containers = Vec::new();
    let result = tokio::time::timeout(Duration::from_secs(180), examples(&docker, &mut containers)).await;
    cleanup(&docker, &containers).await;
    result.expect("the examples finish within 3 minutes");
}

async fn examples(docker: &Docker, containers: &mut Vec<String>) {
    // docker run, docker logs, docker ps, docker events
    let id = snippets::create_and_start::create_and_start(docker, IMAGE).await.expect("create and start");
    containers.push(id.clone());
    docker.container_wait(&id, &Default::default()).await.expect("wait");
    assert_eq!(snippets::logs::logs(docker, &id).await.expect("logs"), "hello\n");
    assert!(snippets::list::list(docker).await.expect("list").contains(&id), "the exited container is listed");
    // The example reads events up to the current second; the daemon stamps them in
    // nanoseconds, so let this second pass.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let events = snippets::events::events(docker).await.expect("events");
    for action in ["create", "start", "die"] {
        assert!(events.contains(&(action.to_string(), id.clone())), "no {action} event for {id} in {events:?}");
    }

    // docker run -i: attach, stdin in, output out
    let (attached, output) = snippets::attach::attach(docker, IMAGE).await.expect("attach");
    containers.push(attached);
    assert_eq!(output, "ping\n");

    // exec with stdin, stats, cp in and out
    let running = sleeper(docker, containers).await;
    assert_eq!(snippets::exec::exec(docker, &running).await.expect("exec"), "hello\n");
    let sample = snippets::stats::stats(docker, &running).await.expect("stats");
    assert!(sample.read.is_some(), "a stats sample has its time: {sample:?}");
    let local = tempfile::tempdir().unwrap();
    write(local.path(), "index.html", "<h1>hi</h1>\n");
    write(local.path(), "assets/app.css", "body {}\n");
    let archive = snippets::copy::copy(docker, &running, local.path(), "index.html").await.expect("copy");
    let mut tar = tar::Archive::new(&archive[..]);
    let mut entry = tar.entries().unwrap().next().expect("one entry").unwrap();
    assert_eq!(entry.path().unwrap().to_str(), Some("index.html"));
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    assert_eq!(text, "<h1>hi</h1>\n");

    // docker build of a folder: .dockerignore honoured by the context, build args and labels
    // sent as maps
    let context = tempfile::tempdir().unwrap();
    let dir = context.path();
    write(dir, "Dockerfile", &format!("FROM {IMAGE}\nARG GREETING\nLABEL greeting=$GREETING\nCOPY . /ctx/\n"));
    write(dir, ".dockerignore", "*.log\n!keep.log\nsecret\n**/*.tmp\n");
    write(dir, "app.txt", "app\n");
    write(dir, "debug.log", "noise\n");
    write(dir, "keep.log", "kept\n");
    write(dir, "secret/key", "hunter2\n");
    write(dir, "sub/dir/x.tmp", "tmp\n");
    write(dir, "sub/dir/y.txt", "y\n");
    let output = snippets::build::build(docker, dir, BUILT).await.expect("build");
    assert!(output.contains("Successfully tagged snippets-built:latest"), "build output: {output}");
    let labels = docker.image_inspect(BUILT, &Default::default()).await.expect("inspect").config.and_then(|c| c.labels);
    let want = BTreeMap::from([("example".to_string(), "build".to_string()), ("greeting".into(), "hello".into())]);
    assert_eq!(labels, Some(want), "build args and labels arrived as maps");
    let listing = run_to_end(docker, BUILT, &["find", "/ctx"], containers).await;
    let mut files: Vec<&str> = listing.lines().collect();
    files.sort();
    assert_eq!(
        files,
        [
            "/ctx",
            "/ctx/.dockerignore",
            "/ctx/Dockerfile",
            "/ctx/app.txt",
            "/ctx/keep.log",
            "/ctx/sub",
            "/ctx/sub/dir",
            "/ctx/sub/dir/y.txt"
        ],
        "what the daemon received"
    );
}

/// `docker push` and `docker pull` with credentials against the htpasswd registry that
/// `tests/daemon/registry.sh` runs on 127.0.0.1: push with an `AuthConfig` given in code, pull
/// with the credentials a `config.json` holds (found like the CLI finds them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_and_push_examples_run_against_the_local_registry() {
    use base64::Engine;

    const SOURCE: &str = "snippets-registry-busybox:latest";
    let docker = Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")));
    let (registry, user, password) =
        (env("DOCKER_TEST_REGISTRY"), env("DOCKER_TEST_REGISTRY_USER"), env("DOCKER_TEST_REGISTRY_PASSWORD"));
    let rootfs = std::fs::read(env("DOCKER_TEST_ROOTFS_TAR")).expect("rootfs tar");
    let options = ImageCreateOptions {
        from_src: Some("-".into()),
        repo: Some("snippets-registry-busybox".into()),
        tag: Some("latest".into()),
        ..Default::default()
    };
    let mut progress = docker.image_create(&options, Some(Upload::bytes(rootfs))).await.expect("import");
    while let Some(item) = progress.next().await {
        item.expect("import progress");
    }
    let repository = format!("{registry}/snippets/app");
    let pushed = format!("{repository}:1.0");
    let tag = docker_engine_api_v1_55::ImageTagOptions { repo: Some(repository.clone()), tag: Some("1.0".into()) };
    docker.image_tag(SOURCE, &tag).await.expect("tag");

    let result = async {
        // A wrong password is refused, and the error does not carry it.
        let wrong = snippets::push::push(&docker, &registry, &repository, "1.0", &user, "not-the-password").await;
        let err = wrong.expect_err("a wrong password is refused").to_string();
        assert!(!err.contains("not-the-password"), "{err}");

        let statuses =
            snippets::push::push(&docker, &registry, &repository, "1.0", &user, &password).await.expect("push");
        assert!(statuses.iter().any(|s| s.contains("digest: sha256:")), "push said {statuses:?}");
        docker.image_delete(&pushed, &Default::default()).await.expect("remove the local tag");

        let config = tempfile::tempdir().unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let json = format!(r#"{{"auths": {{"{registry}": {{"auth": "{auth}"}}}}}}"#);
        std::fs::write(config.path().join("config.json"), json).unwrap();
        // The one test of this binary that reads DOCKER_CONFIG; the other sets nothing.
        std::env::set_var("DOCKER_CONFIG", config.path());
        let statuses = snippets::pull::pull(&docker, &pushed).await.expect("pull");
        assert!(statuses.iter().any(|s| s.contains("Downloaded newer image")), "pull said {statuses:?}");
        docker.image_inspect(&pushed, &Default::default()).await.expect("the pulled image is there");
    };
    let outcome = tokio::time::timeout(Duration::from_secs(120), result).await;
    for image in [pushed.as_str(), SOURCE] {
        let _ = docker.image_delete(image, &Default::default()).await;
    }
    outcome.expect("push and pull finish within 2 minutes");
}

//! The real daemon over `ssh://`, the way the Docker CLI reaches it: `ssh … -- host docker
//! system dial-stdio` against a real OpenSSH server on 127.0.0.1 (started by
//! `tests/daemon/sshd.sh` with its own host key and a key made for the test; its sessions get
//! `DOCKER_HOST` of the private daemon). The client uses the ssh config the script wrote
//! (`-F`), never the user's `~/.ssh`.

use std::path::Path;

use docker_engine_api_v1_55::transport::{ContextChoice, OutputChunk, Resolver, Source, SshCommand, Upload};
use docker_engine_api_v1_55::{models, ContainerAttachOptions, ContainerCreateOptions, ImageCreateOptions};
use docker_engine_api_v1_55::{ApiVersion, ContainerListOptions, Docker, Transport};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("{key} is not set: run under tests/run.sh"))
}

fn ssh_with_config(config: &str) -> SshCommand {
    SshCommand::default().args(["-F", config])
}

/// ssh children of this process whose command line mentions `marker`.
fn ssh_children(marker: &str) -> usize {
    let me = std::process::id().to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0 };
    dir.filter_map(Result::ok)
        .filter(|e| {
            let p = e.path();
            let stat = std::fs::read_to_string(p.join("stat")).unwrap_or_default();
            // pid (comm) state ppid ...: the fields after the last ')'.
            let after = stat.rsplit_once(')').map(|(_, a)| a).unwrap_or("");
            let mut f = after.split_whitespace();
            let (state, ppid) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
            let cmd = std::fs::read(p.join("cmdline")).unwrap_or_default();
            ppid == me && state != "Z" && String::from_utf8_lossy(&cmd).contains(marker)
        })
        .count()
}

async fn wait_no_children(marker: &str) {
    for _ in 0..50 {
        if ssh_children(marker) == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("ssh children still running after the connections were dropped");
}

#[tokio::test]
async fn ping_version_and_list_over_ssh() {
    let host = env("DOCKER_TEST_SSH_HOST");
    let config = env("DOCKER_TEST_SSH_CONFIG");
    assert!(host.starts_with("ssh://root@127.0.0.1:"), "{host}");
    let transport = Transport::ssh_with(&host, ssh_with_config(&config)).expect("ssh transport");
    assert_eq!(transport.endpoint(), host);
    let docker = Docker::new(transport);

    assert_eq!(docker.system_ping(&Default::default()).await.expect("ping over ssh"), "OK");
    let version = docker.system_version(&Default::default()).await.expect("version over ssh");
    assert_eq!(version.api_version.as_deref(), Some(env("DOCKER_TEST_API_VERSION").as_str()));
    assert_eq!(docker.api_version().await.unwrap(), ApiVersion::new(1, 41));
    // The same daemon as the unix socket: the same ID.
    let over_ssh = docker.system_info(&Default::default()).await.expect("info over ssh");
    let local = Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")));
    let direct = local.system_info(&Default::default()).await.expect("info over the socket");
    assert_eq!(over_ssh.id, direct.id);
    // The same containers (those of the attach test in this file, which may run meanwhile,
    // carry the label `ssh-test` and are left out).
    let all = ContainerListOptions { all: Some(true), ..Default::default() };
    let ids = |list: Vec<models::ContainerSummary>| {
        let mut ids: Vec<String> = list
            .into_iter()
            .filter(|c| !c.labels.as_ref().is_some_and(|l| l.contains_key("ssh-test")))
            .filter_map(|c| c.id)
            .collect();
        ids.sort();
        ids
    };
    let listed = ids(docker.container_list(&all).await.expect("container list over ssh"));
    assert_eq!(listed, ids(local.container_list(&all).await.unwrap()));

    // One ssh process per connection, gone once the call is done.
    drop(docker);
    wait_no_children(&config).await;
}

#[tokio::test]
async fn docker_host_and_contexts_resolve_to_ssh() {
    let host = env("DOCKER_TEST_SSH_HOST");
    let config = env("DOCKER_TEST_SSH_CONFIG");
    let vars = |k: &str| (k == "DOCKER_HOST").then(|| host.clone());
    let resolved = Resolver::from_vars(vars).ssh_command(ssh_with_config(&config)).resolve().unwrap();
    assert_eq!(resolved.source(), &Source::DockerHost);
    let docker = Docker::new(resolved.into_transport());
    assert_eq!(docker.system_ping(&Default::default()).await.expect("ping via DOCKER_HOST=ssh://"), "OK");

    // A context whose endpoint is the ssh host, chosen by DOCKER_CONTEXT.
    let store = tempfile::tempdir().unwrap();
    write_ssh_context(store.path(), &host);
    let dc = store.path().display().to_string();
    let resolver = Resolver::from_vars(move |k| match k {
        "DOCKER_CONTEXT" => Some("remote".to_owned()),
        "DOCKER_CONFIG" => Some(dc.clone()),
        _ => None,
    })
    .ssh_command(ssh_with_config(&config));
    let resolved = resolver.resolve().unwrap();
    assert!(
        matches!(resolved.source(), Source::Context { name, chosen_by: ContextChoice::DockerContext, .. } if name == "remote")
    );
    let docker = Docker::new(resolved.into_transport());
    let version = docker.system_version(&Default::default()).await.expect("version via an ssh context");
    assert_eq!(version.api_version.as_deref(), Some("1.41"));
}

/// `docker context create remote --docker host=ssh://…` writes this.
fn write_ssh_context(config: &Path, host: &str) {
    // printf %s remote | sha256sum
    let dir = config.join("contexts/meta/b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a");
    std::fs::create_dir_all(&dir).unwrap();
    let meta = serde_json::json!({"Name": "remote", "Metadata": {}, "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}});
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
}

#[tokio::test]
async fn a_refused_key_says_what_ssh_said() {
    let host = env("DOCKER_TEST_SSH_HOST");
    let real = env("DOCKER_TEST_SSH_CONFIG");
    // Same server and known_hosts, but a key the server does not know.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("stranger");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen");
    assert!(made.success());
    let known = Path::new(&real).with_file_name("known_hosts");
    let config = dir.path().join("ssh_config");
    std::fs::write(
        &config,
        format!(
            "Host *\n IdentityFile {}\n IdentitiesOnly yes\n IdentityAgent none\n UserKnownHostsFile {}\n GlobalKnownHostsFile /dev/null\n StrictHostKeyChecking accept-new\n BatchMode yes\n",
            key.display(),
            known.display()
        ),
    )
    .unwrap();
    let config = config.display().to_string();
    let docker = Docker::new(Transport::ssh_with(&host, ssh_with_config(&config)).unwrap());
    let err = docker.system_ping(&Default::default()).await.expect_err("an unknown key must be refused");
    let text = err.to_string();
    assert!(err.is_transport(), "{text}");
    assert!(text.contains(&host) && text.contains("ssh said") && text.contains("Permission denied"), "{text}");
    drop(docker);
    wait_no_children(&config).await;
}

/// A streamed upload (the busybox rootfs import) and a hijacked attach over ssh: stdin written,
/// half-closed (ssh's stdin ends, `dial-stdio` closes the socket's write side), `cat` ends and
/// its output comes back.
#[tokio::test]
async fn import_and_attach_with_half_close_over_ssh() {
    let host = env("DOCKER_TEST_SSH_HOST");
    let config = env("DOCKER_TEST_SSH_CONFIG");
    let docker = Docker::new(Transport::ssh_with(&host, ssh_with_config(&config)).unwrap());
    let tar = std::fs::read(env("DOCKER_TEST_ROOTFS_TAR")).expect("rootfs tar");
    let chunks: Vec<std::io::Result<_>> = tar
        .chunks(64 * 1024)
        .map(|c| Ok(docker_engine_api_v1_55::transport::bytes::Bytes::copy_from_slice(c)))
        .collect();
    let options = ImageCreateOptions {
        from_src: Some("-".into()),
        repo: Some("ssh-test/busybox".into()),
        tag: Some("ssh".into()),
        ..Default::default()
    };
    let mut progress = docker
        .image_create(&options, Some(Upload::stream(futures_util::stream::iter(chunks))))
        .await
        .expect("import over ssh");
    let mut imported = false;
    while let Some(item) = progress.next().await {
        imported |= item.expect("progress").status.unwrap_or_default().starts_with("sha256:");
    }
    assert!(imported);

    let body = models::ContainerCreateBody {
        image: Some("ssh-test/busybox:ssh".into()),
        cmd: Some(vec!["cat".into()]),
        labels: Some([("ssh-test".to_owned(), "1".to_owned())].into_iter().collect()),
        open_stdin: Some(true),
        stdin_once: Some(true),
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
        ..Default::default()
    };
    let created = docker.container_create(&ContainerCreateOptions::default(), &body).await.expect("create over ssh");
    let id = created.id.expect("container id");
    let attach = ContainerAttachOptions {
        stream: Some(true),
        stdin: Some(true),
        stdout: Some(true),
        stderr: Some(true),
        ..Default::default()
    };
    let mut session = docker.container_attach(&id, &attach).await.expect("attach over ssh");
    docker.container_start(&id, &Default::default()).await.expect("start over ssh");
    session.input.write_all(b"through ssh\n").await.expect("stdin over ssh");
    session.input.close_write().await.expect("half-close over ssh");
    let mut out = Vec::new();
    let collect = async {
        while let Some(chunk) = session.output.next().await {
            if let OutputChunk::StdOut(b) = chunk.expect("output chunk") {
                out.extend_from_slice(&b);
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), collect).await.expect("attach ends after half-close");
    assert_eq!(String::from_utf8_lossy(&out), "through ssh\n");

    let local = Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")));
    let delete = docker_engine_api_v1_55::ContainerDeleteOptions { force: Some(true), ..Default::default() };
    local.container_delete(&id, &delete).await.expect("remove the container");
    local.image_delete("ssh-test/busybox:ssh", &Default::default()).await.expect("remove the image");
}

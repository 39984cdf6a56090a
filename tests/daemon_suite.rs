// The real-daemon suite, written as a user of the generated crates would write it. One source,
// compiled unchanged against every endpoint crate from v1.41 to v1.55:
//
// - `tests/tests/daemon_v1_41.rs`: the v1.41 crate, the daemon's own version; runs.
// - `tests/tests/daemon_v1_55.rs`: the v1.55 crate negotiating down to 1.41; runs.
// - `tests/tests/upgrade_path.rs`: v1.42 ..= v1.54, compiled only (never run).
//
// Two tests: `real_daemon_suite` (everything, in order) and
// `exec_output_framing_follows_the_start_body` (one edge of reading exec output from a 1.41
// daemon; its own objects, so it runs beside the first).
//
// Each includer defines `api` (the crate), `PREFIX` (unique names per crate), the macro
// `daemon_test!` (makes a function a `#[tokio::test]` where the suite runs, leaves it a plain,
// type-checked function where it is only compiled) and one hook,
// `stop_options_with_signal` (see there). Whatever differs between crates is decided at run time
// from `Docker::API_VERSION` (the crate's version); nothing here is `cfg`'d.
//
// The daemon is the one `tests/daemon/daemon.sh` starts (see `DOCKER_TEST_*` below): Docker
// 20.10, API 1.41. Only the unix socket and 127.0.0.1 are used; containers run with network
// mode `none`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::time::Duration;

use api::{models, ApiVersion, Docker, Filters, OutputChunk, Transport, Upload};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

const IMAGE_REPO: &str = "suite-busybox";

/// The daemon's API version (Docker 20.10): every crate negotiates down (or stays) to it.
const DAEMON_API: ApiVersion = ApiVersion::new(1, 41);

/// Whether this crate has a member or operation that is `since` a version: the crate's models and
/// options hold everything of API 1.40 ..= its own version.
fn crate_has(since: ApiVersion) -> bool {
    Docker::API_VERSION >= since
}

/// Stand-ins for operations older crates do not have, so that one source compiles against every
/// crate. Method resolution prefers an inherent method to a trait method: where the crate
/// generates the operation, `docker.image_attestations(..)` is the generated method and this
/// trait is never consulted; only in older crates does the call resolve here. Callers check
/// [`crate_has`] first, so a stand-in never runs.
#[allow(dead_code)]
trait OperationsNewerThanThisCrate {
    /// `ImageAttestations`, since API v1.55.
    async fn image_attestations(
        &self,
        _name: &str,
        _options: &NotInThisCrate,
    ) -> Result<Vec<NotInThisCrate>, api::Error> {
        unreachable!("ImageAttestations is not in the v{} crate; check crate_has() first", Docker::API_VERSION)
    }
}

impl OperationsNewerThanThisCrate for Docker {}

/// The options and result types of an operation this crate does not have.
#[derive(Debug, Default)]
struct NotInThisCrate;

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| {
        panic!("{key} is not set: the real-daemon suite runs under tests/run.sh (or tests/daemon/daemon.sh run -- cargo test)")
    })
}

/// The calls the suite made, by operationId, checked against the README's coverage table.
#[derive(Default)]
struct Coverage(BTreeSet<&'static str>);

impl Coverage {
    fn hit(&mut self, op: &'static str) {
        self.0.insert(op);
    }
}

struct Suite {
    docker: Docker,
    cov: Coverage,
    image: String,
    /// Containers to remove at the end, whatever happens.
    containers: Vec<String>,
}

fn name(suffix: &str) -> String {
    format!("{PREFIX}-{suffix}")
}

fn labels() -> BTreeMap<String, String> {
    BTreeMap::from([("suite".to_string(), PREFIX.to_string())])
}

fn suite_filter() -> Filters {
    Filters::new().add("label", format!("suite={PREFIX}"))
}

/// Collects container output into (stdout, stderr, console) text.
async fn collect_output(mut output: api::OutputStream) -> (String, String, String) {
    let (mut out, mut err, mut console) = (Vec::new(), Vec::new(), Vec::new());
    while let Some(chunk) = output.next().await {
        match chunk.expect("output stream item") {
            OutputChunk::StdOut(b) | OutputChunk::StdIn(b) => out.extend_from_slice(&b),
            OutputChunk::StdErr(b) => err.extend_from_slice(&b),
            OutputChunk::Console(b) => console.extend_from_slice(&b),
        }
    }
    let text = |v: Vec<u8>| String::from_utf8_lossy(&v).into_owned();
    (text(out), text(err), text(console))
}

async fn collect_bytes(mut stream: api::ByteStream) -> Vec<u8> {
    let mut all = Vec::new();
    while let Some(chunk) = stream.next().await {
        all.extend_from_slice(&chunk.expect("byte stream chunk"));
    }
    all
}

/// A tar archive of `(path, content)` files, built in memory.
fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_700_000_000);
        header.set_cksum();
        builder.append_data(&mut header, path, *content).expect("tar entry");
    }
    builder.into_inner().expect("tar")
}

/// File names and contents of a tar archive.
fn untar(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(bytes);
    let mut files = BTreeMap::new();
    for entry in archive.entries().expect("tar entries") {
        let mut entry = entry.expect("tar entry");
        let path = entry.path().expect("tar path").to_string_lossy().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("tar content");
        files.insert(path, content);
    }
    files
}

/// The legacy members of an imported image's inspect (v1.44, v1.45 and v1.52 removed them from
/// the spec; every crate keeps them, deprecated where removed): Docker 20.10 sends them all.
#[allow(deprecated)]
fn assert_legacy_image_inspect(inspect: &models::ImageInspect) {
    assert_eq!(inspect.parent.as_deref(), Some(""), "Parent (an imported image has none)");
    assert_eq!(inspect.container.as_deref(), Some(""), "Container (an imported image has none)");
    assert!(inspect.container_config.is_some(), "ContainerConfig");
    assert!(
        inspect.docker_version.as_deref().is_some_and(|v| v.starts_with("20.10")),
        "DockerVersion: {:?}",
        inspect.docker_version
    );
    assert!(
        inspect.virtual_size.is_some_and(|v| v > 0) && inspect.virtual_size == inspect.size,
        "VirtualSize {:?} (Size {:?})",
        inspect.virtual_size,
        inspect.size
    );
}

/// The legacy top-level `NetworkSettings` members (v1.52 removed them from the spec; every crate
/// keeps them) of a running container in network mode `none`: Docker 20.10 sends each of them,
/// empty except the sandbox. (`SecondaryIPAddresses` and `SecondaryIPv6Addresses` it sends as
/// `null`, so they decode as `None` and are not checked.)
#[allow(deprecated)]
fn assert_legacy_network_settings(settings: &models::NetworkSettings) {
    let text = |name: &str, value: &Option<String>| {
        assert_eq!(value.as_deref(), Some(""), "NetworkSettings.{name}: {settings:?}")
    };
    text("Bridge", &settings.bridge);
    text("EndpointID", &settings.endpoint_id);
    text("Gateway", &settings.gateway);
    text("GlobalIPv6Address", &settings.global_ipv6_address);
    text("IPAddress", &settings.ip_address);
    text("IPv6Gateway", &settings.ipv6_gateway);
    text("LinkLocalIPv6Address", &settings.link_local_ipv6_address);
    text("MacAddress", &settings.mac_address);
    let number = |name: &str, value: Option<i64>| assert_eq!(value, Some(0), "NetworkSettings.{name}: {settings:?}");
    number("GlobalIPv6PrefixLen", settings.global_ipv6_prefix_len);
    number("IPPrefixLen", settings.ip_prefix_len);
    number("LinkLocalIPv6PrefixLen", settings.link_local_ipv6_prefix_len);
    assert_eq!(settings.hairpin_mode, Some(false), "NetworkSettings.HairpinMode: {settings:?}");
    // Still in the spec, and set for a running container.
    assert!(settings.sandbox_id.as_deref().is_some_and(|id| !id.is_empty()), "NetworkSettings.SandboxID: {settings:?}");
    assert!(
        settings.networks.as_ref().is_some_and(|n| n.contains_key("none")),
        "NetworkSettings.Networks: {settings:?}"
    );
}

/// A file streamed from disk in 64 KiB chunks, never read whole.
fn file_upload(path: &str) -> Upload {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let chunks = futures_util::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf) {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(api::transport::bytes::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    Upload::stream(chunks)
}

impl Suite {
    fn container_body(&self, cmd: &[&str]) -> models::ContainerCreateBody {
        models::ContainerCreateBody {
            image: Some(self.image.clone()),
            cmd: Some(cmd.iter().map(|s| s.to_string()).collect()),
            labels: Some(labels()),
            env: Some(vec!["SUITE=1".into()]),
            host_config: Some(models::HostConfig { network_mode: Some("none".into()), ..Default::default() }),
            ..Default::default()
        }
    }

    async fn create(&mut self, suffix: &str, body: &models::ContainerCreateBody) -> String {
        let created = self
            .docker
            .container_create(&api::ContainerCreateOptions { name: Some(name(suffix)), ..Default::default() }, body)
            .await
            .expect("container create");
        self.cov.hit("ContainerCreate");
        let id = created.id.expect("created container id");
        self.containers.push(id.clone());
        id
    }

    async fn start(&mut self, id: &str) {
        self.docker.container_start(id, &Default::default()).await.expect("container start");
        self.cov.hit("ContainerStart");
    }

    async fn wait(&mut self, id: &str) -> i64 {
        let options = api::ContainerWaitOptions {
            condition: Some(models::ContainerWaitCondition::NotRunning),
            ..Default::default()
        };
        let waited = self.docker.container_wait(id, &options).await.expect("container wait");
        self.cov.hit("ContainerWait");
        waited.status_code.expect("exit status")
    }

    // ---------------------------------------------------------------------------------------

    async fn system(&mut self) {
        assert_eq!(self.docker.system_ping(&Default::default()).await.expect("ping"), "OK");
        self.cov.hit("SystemPing");
        let headers = self.docker.system_ping_head(&Default::default()).await.expect("ping head");
        assert_eq!(headers.get("Api-Version").and_then(|v| v.to_str().ok()), Some("1.41"));
        self.cov.hit("SystemPingHead");
        let version = self.docker.system_version(&Default::default()).await.expect("version");
        assert_eq!(version.api_version.as_deref(), Some("1.41"));
        self.cov.hit("SystemVersion");
        let info = self.docker.system_info(&Default::default()).await.expect("info");
        assert!(info.id.is_some() && info.driver.is_some(), "{info:?}");
        self.cov.hit("SystemInfo");
        let plugins = self.docker.plugin_list(&Default::default()).await.expect("plugins");
        assert!(plugins.iter().all(|p| p.name.is_some()));
        self.cov.hit("PluginList");
    }

    /// Imports the busybox rootfs as `self.image`.
    async fn import_image(&mut self) {
        let (repo, tag) = self.image.split_once(':').expect("image is repo:tag");
        let options = api::ImageCreateOptions {
            from_src: Some("-".into()),
            repo: Some(repo.into()),
            tag: Some(tag.into()),
            ..Default::default()
        };
        let mut progress = self
            .docker
            .image_create(&options, Some(file_upload(&env("DOCKER_TEST_ROOTFS_TAR"))))
            .await
            .expect("import");
        let mut statuses = Vec::new();
        while let Some(item) = progress.next().await {
            statuses.push(item.expect("import progress item").status.unwrap_or_default());
        }
        assert!(statuses.iter().any(|s| s.starts_with("sha256:")), "import reported {statuses:?}");
        self.cov.hit("ImageCreate");
    }

    async fn images(&mut self) {
        let d = self.docker.clone();
        let list = d
            .image_list(&api::ImageListOptions {
                filters: Some(Filters::new().add("reference", IMAGE_REPO)),
                ..Default::default()
            })
            .await
            .expect("image list");
        assert!(list.iter().any(|i| i.repo_tags.iter().flatten().any(|t| *t == self.image)), "{list:?}");
        self.cov.hit("ImageList");
        let inspect = d.image_inspect(&self.image, &Default::default()).await.expect("image inspect");
        assert!(inspect.id.as_deref().is_some_and(|id| id.starts_with("sha256:")));
        assert_legacy_image_inspect(&inspect);
        self.cov.hit("ImageInspect");
        let history = d.image_history(&self.image, &Default::default()).await.expect("image history");
        assert!(!history.is_empty());
        self.cov.hit("ImageHistory");

        let alias = format!("{IMAGE_REPO}:{PREFIX}-alias");
        d.image_tag(
            &self.image,
            &api::ImageTagOptions {
                repo: Some(IMAGE_REPO.into()),
                tag: Some(format!("{PREFIX}-alias")),
                ..Default::default()
            },
        )
        .await
        .expect("image tag");
        self.cov.hit("ImageTag");

        // save (get) one and several, then delete the alias and load it back
        let saved = collect_bytes(d.image_get(&alias, &Default::default()).await.expect("image get")).await;
        assert!(untar(&saved).contains_key("manifest.json"), "a saved image has a manifest");
        self.cov.hit("ImageGet");
        let both = collect_bytes(
            d.image_get_all(&api::ImageGetAllOptions {
                names: Some(vec![alias.clone(), self.image.clone()]),
                ..Default::default()
            })
            .await
            .expect("image get all"),
        )
        .await;
        assert!(untar(&both).contains_key("manifest.json"));
        self.cov.hit("ImageGetAll");
        let deleted = d.image_delete(&alias, &Default::default()).await.expect("image delete");
        assert!(deleted.iter().any(|r| r.untagged.as_deref() == Some(alias.as_str())), "{deleted:?}");
        self.cov.hit("ImageDelete");
        let mut load = d
            .image_load(&api::ImageLoadOptions { quiet: Some(false), ..Default::default() }, Some(Upload::bytes(saved)))
            .await
            .expect("image load");
        let mut loaded = String::new();
        while let Some(item) = load.next().await {
            loaded.push_str(&item.expect("load item").stream.unwrap_or_default());
        }
        assert!(loaded.contains(&alias), "load said {loaded:?}");
        self.cov.hit("ImageLoad");
    }

    async fn build(&mut self) {
        let d = self.docker.clone();
        let dockerfile = format!("FROM {}\nRUN echo built > /built.txt\nLABEL suite={PREFIX}\n", self.image);
        let context = tar_of(&[("Dockerfile", dockerfile.as_bytes())]);
        let tag = format!("{IMAGE_REPO}:{PREFIX}-built");
        let options = api::ImageBuildOptions {
            t: Some(tag.clone()),
            networkmode: Some("none".into()),
            rm: Some(true),
            ..Default::default()
        };
        let mut progress = d.image_build(&options, Some(Upload::bytes(context))).await.expect("build");
        let (mut output, mut image_id) = (String::new(), None);
        while let Some(item) = progress.next().await {
            let item = item.expect("build progress item");
            output.push_str(&item.stream.unwrap_or_default());
            if let Some(aux) = item.aux {
                image_id = aux.id;
            }
        }
        assert!(output.contains("Successfully tagged"), "build output: {output}");
        assert!(image_id.is_some_and(|id| id.starts_with("sha256:")), "the build reports the image id");
        self.cov.hit("ImageBuild");

        // A failing build: the daemon reports the error inside the 200 stream.
        let failing = tar_of(&[("Dockerfile", format!("FROM {}\nRUN exit 3\n", self.image).as_bytes())]);
        let options = api::ImageBuildOptions {
            networkmode: Some("none".into()),
            rm: Some(true),
            forcerm: Some(true),
            ..Default::default()
        };
        let items: Vec<_> =
            d.image_build(&options, Some(Upload::bytes(failing))).await.expect("failing build starts").collect().await;
        let err = items.iter().find_map(|i| i.as_ref().err()).expect("the failing build yields an Err item");
        assert!(err.to_string().contains("returned a non-zero code: 3"), "{err}");
        self.cov.hit("ImageBuild");

        let pruned = d.build_prune(&Default::default()).await.expect("build prune");
        assert!(pruned.space_reclaimed.is_some());
        self.cov.hit("BuildPrune");
        d.image_delete(&tag, &Default::default()).await.expect("delete built image");
    }

    async fn containers(&mut self) {
        let d = self.docker.clone();

        // Logs: the same call for a container with and without a TTY; the crate finds out how
        // the daemon frames them (a 1.41 daemon does not say: it asks the container's config).
        // Non-TTY: multiplexed, stdout and stderr apart.
        let logs = api::ContainerLogsOptions { stdout: Some(true), stderr: Some(true), ..Default::default() };
        let id = self.create("mux", &self.container_body(&["sh", "-c", "echo out; echo err >&2"])).await;
        self.start(&id).await;
        assert_eq!(self.wait(&id).await, 0);
        let (out, err, console) = collect_output(d.container_logs(&id, &logs).await.expect("logs")).await;
        assert_eq!(
            (out.as_str(), err.as_str(), console.as_str()),
            ("out\n", "err\n", ""),
            "non-TTY logs arrive as StdOut/StdErr"
        );
        self.cov.hit("ContainerLogs");

        // TTY: raw, one console stream (the terminal turns `\n` into `\r\n` and merges stderr).
        let mut body = self.container_body(&["sh", "-c", "echo tty; echo tty-err >&2"]);
        body.tty = Some(true);
        let tty = self.create("tty", &body).await;
        self.start(&tty).await;
        self.wait(&tty).await;
        let (out, err, console) = collect_output(d.container_logs(&tty, &logs).await.expect("tty logs")).await;
        assert_eq!(
            (out.as_str(), err.as_str(), console.as_str()),
            ("", "", "tty\r\ntty-err\r\n"),
            "TTY logs arrive as Console"
        );

        // Follow: lines arrive while the container runs; the stream ends when it exits.
        let follower = self
            .create("follow", &self.container_body(&["sh", "-c", "for i in 1 2 3; do echo $i; sleep 0.2; done"]))
            .await;
        self.start(&follower).await;
        let follow = api::ContainerLogsOptions { follow: Some(true), stdout: Some(true), ..Default::default() };
        let followed = tokio::time::timeout(
            Duration::from_secs(30),
            collect_output(d.container_logs(&follower, &follow).await.expect("follow")),
        )
        .await
        .expect("a followed log ends when the container exits");
        assert_eq!(followed.0, "1\n2\n3\n");

        // Inspect, list, changes, export, archive on an exited container.
        let inspect = d
            .container_inspect(&id, &api::ContainerInspectOptions { size: Some(true), ..Default::default() })
            .await
            .expect("inspect");
        assert_eq!(inspect.state.and_then(|s| s.exit_code), Some(0));
        self.cov.hit("ContainerInspect");
        let list = d
            .container_list(&api::ContainerListOptions {
                all: Some(true),
                filters: Some(suite_filter()),
                ..Default::default()
            })
            .await
            .expect("list");
        assert!(list.len() >= 3, "{list:?}");
        self.cov.hit("ContainerList");

        let writer = self.create("writer", &self.container_body(&["sh", "-c", "echo data > /tmp/written.txt"])).await;
        self.start(&writer).await;
        self.wait(&writer).await;
        let changes = serde_json::to_value(d.container_changes(&writer, &Default::default()).await.expect("changes"))
            .expect("changes as JSON");
        assert!(changes.to_string().contains("/tmp/written.txt"), "{changes}");
        self.cov.hit("ContainerChanges");
        // A container nothing ran in has no changes: the daemon answers `null`, which is empty.
        let untouched = self.create("untouched", &self.container_body(&["true"])).await;
        let none =
            d.container_changes(&untouched, &Default::default()).await.expect("changes of an untouched container");
        assert!(none.is_empty(), "{none:?}");
        let exported =
            untar(&collect_bytes(d.container_export(&writer, &Default::default()).await.expect("export")).await);
        assert_eq!(exported.get("tmp/written.txt").map(Vec::as_slice), Some(&b"data\n"[..]));
        self.cov.hit("ContainerExport");

        let upload = tar_of(&[("hello.txt", b"hello archive\n")]);
        d.put_container_archive(&writer, "/tmp", &Default::default(), Upload::bytes(upload))
            .await
            .expect("archive put");
        self.cov.hit("PutContainerArchive");
        let stat = d
            .container_archive_info(&writer, "/tmp/hello.txt", &Default::default())
            .await
            .expect("archive head")
            .expect("path stat header");
        assert_eq!((stat.name.as_str(), stat.size), ("hello.txt", 14));
        self.cov.hit("ContainerArchiveInfo");
        let fetched = untar(
            &collect_bytes(
                d.container_archive(&writer, "/tmp/hello.txt", &Default::default()).await.expect("archive get"),
            )
            .await,
        );
        assert_eq!(fetched.get("hello.txt").map(Vec::as_slice), Some(&b"hello archive\n"[..]));
        self.cov.hit("ContainerArchive");

        // Commit the container into an image.
        let committed = d
            .image_commit(
                &api::ImageCommitOptions {
                    container: Some(writer.clone()),
                    repo: Some(IMAGE_REPO.into()),
                    tag: Some(format!("{PREFIX}-commit")),
                    ..Default::default()
                },
                None,
            )
            .await
            .expect("commit");
        assert!(committed.id.is_some());
        self.cov.hit("ImageCommit");
        d.image_delete(&format!("{IMAGE_REPO}:{PREFIX}-commit"), &Default::default())
            .await
            .expect("delete committed image");
    }

    async fn running_container(&mut self) {
        let d = self.docker.clone();
        let mut body = self.container_body(&["sleep", "300"]);
        body.tty = Some(true);
        let id = self.create("runner", &body).await;
        self.start(&id).await;

        let top = d.container_top(&id, &Default::default()).await.expect("top");
        assert!(top.processes.iter().flatten().any(|p| p.iter().any(|c| c.contains("sleep"))), "{top:?}");
        self.cov.hit("ContainerTop");
        d.container_resize(&id, 40, 120, &Default::default()).await.expect("resize");
        self.cov.hit("ContainerResize");

        // The legacy `NetworkSettings` members (v1.52 removed them from the spec; every crate keeps
        // them): a 1.41 daemon sends them for a `none` container too, mostly empty.
        let running = d.container_inspect(&id, &Default::default()).await.expect("inspect running");
        assert_legacy_network_settings(running.network_settings.as_ref().expect("NetworkSettings"));

        // Stats: one-shot, then two samples of the stream.
        let one = d
            .container_stats(
                &id,
                &api::ContainerStatsOptions { stream: Some(false), one_shot: Some(true), ..Default::default() },
            )
            .await
            .expect("stats")
            .next()
            .await
            .expect("one stats object")
            .expect("stats decode");
        assert!(serde_json::to_value(&one).expect("stats JSON").get("read").is_some());
        let mut stream = d
            .container_stats(&id, &api::ContainerStatsOptions { stream: Some(true), ..Default::default() })
            .await
            .expect("stats stream");
        for _ in 0..2 {
            let sample = tokio::time::timeout(Duration::from_secs(10), stream.next())
                .await
                .expect("a stats sample")
                .expect("stream open");
            assert!(serde_json::to_value(sample.expect("sample decodes")).expect("JSON").get("read").is_some());
        }
        drop(stream);
        self.cov.hit("ContainerStats");

        // Exec with a TTY: start hijacked, resize, exit through stdin. The start body says `Tty`
        // as the Docker CLI does (the daemon frames by it); the call does not say how to read
        // the output: a 1.41 daemon does not say either, the crate finds out.
        let exec = d
            .container_exec(
                &id,
                &Default::default(),
                &models::ExecConfig {
                    attach_stdin: Some(true),
                    attach_stdout: Some(true),
                    tty: Some(true),
                    cmd: Some(vec!["sh".into()]),
                    ..Default::default()
                },
            )
            .await
            .expect("exec create");
        self.cov.hit("ContainerExec");
        let exec_id = exec.id.expect("exec id");
        let mut session = d
            .exec_start(
                &exec_id,
                &Default::default(),
                Some(&models::ExecStartConfig { tty: Some(true), ..Default::default() }),
            )
            .await
            .expect("exec start");
        self.cov.hit("ExecStart");
        d.exec_resize(&exec_id, 30, 100, &Default::default()).await.expect("exec resize");
        self.cov.hit("ExecResize");
        session.input.write_all(b"echo from-tty; echo tty-err >&2; exit 7\n").await.expect("stdin");
        let (out, err, console) =
            tokio::time::timeout(Duration::from_secs(20), collect_output(session.output)).await.expect("exec ends");
        assert_eq!((out.as_str(), err.as_str()), ("", ""), "TTY exec output is Console only; console: {console:?}");
        assert!(console.contains("from-tty\r\ntty-err\r\n"), "{console:?}");
        let inspected = d.exec_inspect(&exec_id, &Default::default()).await.expect("exec inspect");
        assert_eq!(inspected.exit_code, Some(7));
        self.cov.hit("ExecInspect");

        // Exec without a TTY in the same (TTY) container: multiplexed, stdout and stderr apart.
        let exec = d
            .container_exec(
                &id,
                &Default::default(),
                &models::ExecConfig {
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    cmd: Some(vec!["sh".into(), "-c".into(), "echo exec-out; echo exec-err >&2".into()]),
                    ..Default::default()
                },
            )
            .await
            .expect("exec create (no TTY)");
        let exec_id = exec.id.expect("exec id");
        let session = d
            .exec_start(&exec_id, &Default::default(), Some(&models::ExecStartConfig::default()))
            .await
            .expect("exec start (no TTY)");
        let (out, err, console) =
            tokio::time::timeout(Duration::from_secs(20), collect_output(session.output)).await.expect("exec ends");
        assert_eq!(
            (out.as_str(), err.as_str(), console.as_str()),
            ("exec-out\n", "exec-err\n", ""),
            "non-TTY exec output is StdOut/StdErr"
        );

        // A detached exec: the daemon answers 200 (no upgrade) and runs the command on its own.
        let exec = d
            .container_exec(
                &id,
                &Default::default(),
                &models::ExecConfig {
                    cmd: Some(vec!["sh".into(), "-c".into(), "echo detached > /tmp/detached.txt".into()]),
                    ..Default::default()
                },
            )
            .await
            .expect("exec create (detached)");
        let exec_id = exec.id.expect("exec id");
        let session = d
            .exec_start(
                &exec_id,
                &Default::default(),
                Some(&models::ExecStartConfig { detach: Some(true), ..Default::default() }),
            )
            .await
            .expect("detached exec start succeeds");
        let (out, err, console) =
            tokio::time::timeout(Duration::from_secs(20), collect_output(session.output)).await.expect("no output");
        assert_eq!(format!("{out}{err}{console}"), "", "a detached exec sends no output");
        let mut exit_code = None;
        for _ in 0..100 {
            let inspect = d.exec_inspect(&exec_id, &Default::default()).await.expect("inspect detached exec");
            if inspect.running == Some(false) {
                exit_code = inspect.exit_code;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(exit_code, Some(0), "the detached command ran to its end");

        // Gates: a parameter 1.41 lacks fails before anything is sent; the container keeps running.
        if let Some(options) = stop_options_with_signal("SIGTERM") {
            let err = d.container_stop(&id, &options).await.expect_err("`signal` is since 1.42");
            match &err {
                api::Error::UnsupportedMember { operation, member, range, negotiated, .. } => {
                    assert_eq!(
                        (*operation, member.as_ref(), range.since, *negotiated),
                        ("ContainerStop", "signal", Some(ApiVersion::new(1, 42)), DAEMON_API),
                        "{err}"
                    );
                }
                other => panic!("expected UnsupportedMember, got {other}"),
            }
            assert_eq!(err.status(), None, "nothing was sent: {err}");
            let state = d
                .container_inspect(&id, &Default::default())
                .await
                .expect("inspect after refused stop")
                .state
                .expect("state");
            assert_eq!(
                (state.running, state.status),
                (Some(true), Some(models::ContainerStateStatus::Running)),
                "the refused stop did nothing"
            );
        } else {
            assert!(
                !crate_has(ApiVersion::new(1, 42)),
                "every crate from v1.42 on has ContainerStopOptions.signal: the hook must return it"
            );
        }

        // pause/unpause, rename, update, restart, kill
        d.container_pause(&id, &Default::default()).await.expect("pause");
        self.cov.hit("ContainerPause");
        let paused = d.container_inspect(&id, &Default::default()).await.expect("inspect paused");
        assert_eq!(paused.state.and_then(|s| s.paused), Some(true));
        d.container_unpause(&id, &Default::default()).await.expect("unpause");
        self.cov.hit("ContainerUnpause");
        d.container_rename(&id, &name("renamed"), &Default::default()).await.expect("rename");
        self.cov.hit("ContainerRename");
        let update = models::ContainerUpdateBody {
            restart_policy: Some(models::RestartPolicy {
                name: Some(models::RestartPolicyName::OnFailure),
                maximum_retry_count: Some(2),
                ..Default::default()
            }),
            ..Default::default()
        };
        let updated = d.container_update(&id, &Default::default(), &update).await.expect("update");
        assert!(updated.warnings.unwrap_or_default().is_empty());
        self.cov.hit("ContainerUpdate");
        d.container_restart(&id, &api::ContainerRestartOptions { t: Some(0), ..Default::default() })
            .await
            .expect("restart");
        self.cov.hit("ContainerRestart");

        // 409: a running container cannot be removed without force.
        let conflict = d.container_delete(&id, &Default::default()).await.expect_err("removing a running container");
        assert!(conflict.is_conflict(), "{conflict}");

        d.container_kill(&id, &api::ContainerKillOptions { signal: Some("SIGKILL".into()), ..Default::default() })
            .await
            .expect("kill");
        self.cov.hit("ContainerKill");
        assert_eq!(self.wait(&id).await, 137);
        d.container_start(&id, &Default::default()).await.expect("start again");
        d.container_stop(&id, &api::ContainerStopOptions { t: Some(0), ..Default::default() }).await.expect("stop");
        self.cov.hit("ContainerStop");
    }

    /// A request body member 1.41 lacks fails before anything is sent: nothing is created.
    /// `Mount.ImageOptions` is since v1.48, and only crates from v1.48 on have the field, so the
    /// body is written as JSON: it compiles against every crate, and older crates (which skip
    /// the check) would drop the unknown member while decoding it.
    async fn body_member_gate(&mut self) {
        if !crate_has(ApiVersion::new(1, 48)) {
            return;
        }
        let d = self.docker.clone();
        let body: models::ContainerCreateBody = serde_json::from_value(serde_json::json!({
            "Image": self.image,
            "Cmd": ["true"],
            "Labels": labels(),
            "HostConfig": {
                "NetworkMode": "none",
                "Mounts": [{ "Type": "image", "Source": self.image, "Target": "/image", "ImageOptions": { "Subpath": "bin" } }],
            },
        }))
        .expect("a ContainerCreateBody");
        let gated = name("gated");
        let err = d
            .container_create(&api::ContainerCreateOptions { name: Some(gated.clone()), ..Default::default() }, &body)
            .await
            .expect_err("Mount.ImageOptions is since 1.48");
        match &err {
            api::Error::UnsupportedMember { operation, member, range, negotiated, .. } => {
                assert_eq!(
                    (*operation, member.as_ref(), range.since, *negotiated),
                    ("ContainerCreate", "HostConfig.Mounts[].ImageOptions", Some(ApiVersion::new(1, 48)), DAEMON_API),
                    "{err}"
                );
            }
            other => panic!("expected UnsupportedMember, got {other}"),
        }
        assert_eq!(err.status(), None, "nothing was sent: {err}");
        let missing =
            d.container_inspect(&gated, &Default::default()).await.expect_err("the refused create made nothing");
        assert!(missing.is_not_found(), "{missing}");
    }

    /// Attach, the same call for a container with and without a TTY.
    async fn attach(&mut self) {
        let d = self.docker.clone();
        let options = api::ContainerAttachOptions {
            stream: Some(true),
            stdin: Some(true),
            stdout: Some(true),
            stderr: Some(true),
            ..Default::default()
        };

        // Non-TTY: multiplexed; stdin half-closed ends `cat`.
        let mut body = self.container_body(&["cat"]);
        body.open_stdin = Some(true);
        body.stdin_once = Some(true);
        body.attach_stdin = Some(true);
        body.attach_stdout = Some(true);
        body.attach_stderr = Some(true);
        let id = self.create("attach", &body).await;
        let mut session = d.container_attach(&id, &options).await.expect("attach");
        self.cov.hit("ContainerAttach");
        self.start(&id).await;
        session.input.write_all(b"round trip\n").await.expect("stdin");
        session.input.close_write().await.expect("half-close");
        let (out, err, console) =
            tokio::time::timeout(Duration::from_secs(20), collect_output(session.output)).await.expect("attach ends");
        assert_eq!(
            (out.as_str(), err.as_str(), console.as_str()),
            ("round trip\n", "", ""),
            "non-TTY attach output is StdOut/StdErr"
        );
        assert_eq!(self.wait(&id).await, 0);

        // TTY: raw; the terminal echoes the input line, then the program's answer.
        let mut body = self.container_body(&["sh", "-c", "read line; echo \"got $line\"; echo tty-err >&2"]);
        body.tty = Some(true);
        body.open_stdin = Some(true);
        body.stdin_once = Some(true);
        body.attach_stdin = Some(true);
        body.attach_stdout = Some(true);
        body.attach_stderr = Some(true);
        let id = self.create("attach-tty", &body).await;
        let mut session = d.container_attach(&id, &options).await.expect("attach (TTY)");
        self.start(&id).await;
        session.input.write_all(b"hello\n").await.expect("stdin");
        let (out, err, console) =
            tokio::time::timeout(Duration::from_secs(20), collect_output(session.output)).await.expect("attach ends");
        assert_eq!((out.as_str(), err.as_str()), ("", ""), "TTY attach output is Console only; console: {console:?}");
        assert_eq!(console, "hello\r\ngot hello\r\ntty-err\r\n");
        assert_eq!(self.wait(&id).await, 0);
    }

    // The body's type is `VolumeCreateOptions` up to v1.51 and `VolumeCreateRequest` from v1.52
    // on; the newer crates keep the old name as a deprecated alias, so the old name is the one
    // that compiles against every crate.
    #[allow(deprecated)]
    async fn volumes(&mut self) {
        let d = self.docker.clone();
        let volume_name = name("vol");
        let created = d
            .volume_create(
                &Default::default(),
                &models::VolumeCreateOptions {
                    name: Some(volume_name.clone()),
                    labels: Some(labels()),
                    ..Default::default()
                },
            )
            .await
            .expect("volume create");
        assert_eq!(created.name.as_deref(), Some(volume_name.as_str()));
        self.cov.hit("VolumeCreate");
        let list = d
            .volume_list(&api::VolumeListOptions { filters: Some(suite_filter()), ..Default::default() })
            .await
            .expect("volume list");
        assert!(list.volumes.iter().flatten().any(|v| v.name.as_deref() == Some(volume_name.as_str())));
        self.cov.hit("VolumeList");
        let inspect = d.volume_inspect(&volume_name, &Default::default()).await.expect("volume inspect");
        assert_eq!(inspect.driver.as_deref(), Some("local"));
        self.cov.hit("VolumeInspect");

        // While the volume, the suite's image and its (exited) containers exist.
        self.data_usage(&volume_name).await;

        d.volume_delete(&volume_name, &Default::default()).await.expect("volume delete");
        self.cov.hit("VolumeDelete");
        d.volume_create(
            &Default::default(),
            &models::VolumeCreateOptions { name: Some(name("vol2")), labels: Some(labels()), ..Default::default() },
        )
        .await
        .expect("volume create 2");
        let pruned = d
            .volume_prune(&api::VolumePruneOptions { filters: Some(suite_filter()), ..Default::default() })
            .await
            .expect("volume prune");
        assert_eq!(pruned.volumes_deleted, Some(vec![name("vol2")]));
        self.cov.hit("VolumePrune");
    }

    /// `GET /system/df` from a 1.41 daemon: the legacy shape (`LayersSize`, `Images`,
    /// `Containers`, `Volumes`, `BuildCache`) that v1.52 replaced by `*Usage` members. Every
    /// crate keeps the legacy members (deprecated from v1.52 on), so the data arrives whole.
    #[allow(deprecated)]
    async fn data_usage(&mut self, volume_name: &str) {
        let usage = self.docker.system_data_usage(&Default::default()).await.expect("system df");
        self.cov.hit("SystemDataUsage");
        assert!(usage.layers_size.is_some_and(|size| size > 0), "LayersSize: {:?}", usage.layers_size);
        let images = usage.images.as_ref().expect("Images");
        assert!(
            images.iter().any(|i| i.repo_tags.iter().flatten().any(|t| *t == self.image)),
            "our image in Images: {images:?}"
        );
        let containers = usage.containers.as_ref().expect("Containers");
        let mux = format!("/{}", name("mux"));
        assert!(
            containers.iter().any(|c| c.names.iter().flatten().any(|n| *n == mux)),
            "our container in Containers: {containers:?}"
        );
        let volumes = usage.volumes.as_ref().expect("Volumes");
        assert!(volumes.iter().any(|v| v.name.as_deref() == Some(volume_name)), "our volume in Volumes: {volumes:?}");
        // `BuildCache` lists BuildKit's cache; the suite builds with the classic builder, and
        // Docker 20.10 then sends `"BuildCache": null` (decoded as `None`).
        assert!(usage.build_cache.as_ref().is_none_or(|c| c.is_empty()), "BuildCache: {:?}", usage.build_cache);
        // The members that replaced them (v1.52) are not sent by a 1.41 daemon.
        let json = serde_json::to_value(&usage).expect("usage as JSON");
        for absent in ["ImageUsage", "ContainerUsage", "VolumeUsage", "BuildCacheUsage"] {
            assert!(json.get(absent).is_none(), "{absent} from a 1.41 daemon: {json}");
        }
    }

    async fn networks(&mut self) {
        let d = self.docker.clone();
        let net_name = name("net");
        let created = d
            .network_create(
                &Default::default(),
                &models::NetworkCreateRequest {
                    name: Some(net_name.clone()),
                    driver: Some("bridge".into()),
                    internal: Some(true),
                    labels: Some(labels()),
                    ..Default::default()
                },
            )
            .await
            .expect("network create");
        let net_id = created.id.expect("network id");
        self.cov.hit("NetworkCreate");
        let list = d
            .network_list(&api::NetworkListOptions { filters: Some(suite_filter()), ..Default::default() })
            .await
            .expect("network list");
        assert_eq!(list.len(), 1);
        self.cov.hit("NetworkList");
        // Connect a created, never started container: no traffic. It cannot be in network mode
        // `none` (the daemon refuses a second network then), so it is created on another
        // internal network of ours.
        let home = name("net-home");
        d.network_create(
            &Default::default(),
            &models::NetworkCreateRequest {
                name: Some(home.clone()),
                internal: Some(true),
                labels: Some(labels()),
                ..Default::default()
            },
        )
        .await
        .expect("network create (home)");
        let mut body = self.container_body(&["true"]);
        body.host_config = Some(models::HostConfig { network_mode: Some(home.clone()), ..Default::default() });
        let container = self.create("netc", &body).await;
        d.network_connect(
            &net_id,
            &Default::default(),
            &models::NetworkConnectRequest { container: Some(container.clone()), ..Default::default() },
        )
        .await
        .expect("network connect");
        self.cov.hit("NetworkConnect");
        let inspect = d.network_inspect(&net_id, &Default::default()).await.expect("network inspect");
        assert_eq!(inspect.name.as_deref(), Some(net_name.as_str()));
        self.cov.hit("NetworkInspect");
        d.network_disconnect(
            &net_id,
            &Default::default(),
            &models::NetworkDisconnectRequest {
                container: Some(container.clone()),
                force: Some(true),
                ..Default::default()
            },
        )
        .await
        .expect("network disconnect");
        self.cov.hit("NetworkDisconnect");
        d.network_delete(&net_id, &Default::default()).await.expect("network delete");
        self.cov.hit("NetworkDelete");
        d.container_delete(&container, &Default::default()).await.expect("remove the never-started container");
        self.cov.hit("ContainerDelete");
        d.network_delete(&home, &Default::default()).await.expect("network delete (home)");
        d.network_create(
            &Default::default(),
            &models::NetworkCreateRequest {
                name: Some(name("net2")),
                internal: Some(true),
                labels: Some(labels()),
                ..Default::default()
            },
        )
        .await
        .expect("network create 2");
        let pruned = d
            .network_prune(&api::NetworkPruneOptions { filters: Some(suite_filter()), ..Default::default() })
            .await
            .expect("network prune");
        assert_eq!(pruned.networks_deleted, Some(vec![name("net2")]));
        self.cov.hit("NetworkPrune");
    }

    async fn swarm(&mut self) {
        let d = self.docker.clone();
        let node_id = d
            .swarm_init(
                &Default::default(),
                &models::SwarmInitRequest {
                    listen_addr: Some(env("DOCKER_TEST_SWARM_LISTEN_ADDR")),
                    advertise_addr: Some("127.0.0.1".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("swarm init");
        assert!(!node_id.is_empty());
        self.cov.hit("SwarmInit");
        let result = self.swarm_objects(&node_id).await;
        // Always leave, even when a check failed.
        d.swarm_leave(&api::SwarmLeaveOptions { force: Some(true), ..Default::default() }).await.expect("swarm leave");
        self.cov.hit("SwarmLeave");
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
    }

    async fn swarm_objects(&mut self, node_id: &str) -> Result<(), Box<dyn std::any::Any + Send>> {
        use futures_util::FutureExt;
        std::panic::AssertUnwindSafe(self.swarm_checks(node_id)).catch_unwind().await
    }

    async fn swarm_checks(&mut self, node_id: &str) {
        let d = self.docker.clone();
        let swarm = d.swarm_inspect(&Default::default()).await.expect("swarm inspect");
        self.cov.hit("SwarmInspect");
        let version = swarm.version.and_then(|v| v.index).expect("swarm version") as i64;
        let mut spec = swarm.spec.expect("swarm spec");
        spec.labels = Some(labels());
        d.swarm_update(version, &Default::default(), &spec).await.expect("swarm update");
        self.cov.hit("SwarmUpdate");
        let key = d.swarm_unlockkey(&Default::default()).await.expect("unlock key");
        assert!(key.unlock_key.is_some());
        self.cov.hit("SwarmUnlockkey");

        let nodes = d.node_list(&Default::default()).await.expect("node list");
        assert_eq!(nodes.len(), 1);
        self.cov.hit("NodeList");
        let node = d.node_inspect(node_id, &Default::default()).await.expect("node inspect");
        self.cov.hit("NodeInspect");
        let mut node_spec = node.spec.expect("node spec");
        node_spec.labels = Some(labels());
        let node_version = node.version.and_then(|v| v.index).expect("node version") as i64;
        d.node_update(node_id, node_version, &Default::default(), Some(&node_spec)).await.expect("node update");
        self.cov.hit("NodeUpdate");

        // A service with zero replicas: no task ever runs.
        let service = models::ServiceCreateBody {
            name: Some(name("svc")),
            labels: Some(labels()),
            task_template: Some(models::TaskSpec {
                container_spec: Some(models::TaskSpecContainerSpec {
                    image: Some(self.image.clone()),
                    command: Some(vec!["sleep".into(), "300".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            mode: Some(models::ServiceSpecMode {
                replicated: Some(models::ServiceSpecModeReplicated { replicas: Some(0), ..Default::default() }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let created = d.service_create(&Default::default(), &service).await.expect("service create");
        let service_id = created.id.expect("service id");
        self.cov.hit("ServiceCreate");
        let inspected = d.service_inspect(&service_id, &Default::default()).await.expect("service inspect");
        self.cov.hit("ServiceInspect");
        let service_version = inspected.version.and_then(|v| v.index).expect("service version") as i64;
        let mut update =
            models::ServiceUpdateBody { name: Some(name("svc")), labels: Some(labels()), ..Default::default() };
        update.task_template = service.task_template.clone();
        update.mode = service.mode.clone();
        update.labels.get_or_insert_with(BTreeMap::new).insert("updated".into(), "yes".into());
        d.service_update(&service_id, service_version, &Default::default(), &update).await.expect("service update");
        self.cov.hit("ServiceUpdate");
        let services = d
            .service_list(&api::ServiceListOptions { filters: Some(suite_filter()), ..Default::default() })
            .await
            .expect("service list");
        assert_eq!(services.len(), 1);
        assert_eq!(
            services[0]
                .spec
                .as_ref()
                .and_then(|s| s.labels.as_ref())
                .and_then(|l| l.get("updated"))
                .map(String::as_str),
            Some("yes")
        );
        self.cov.hit("ServiceList");
        let logs = api::ServiceLogsOptions { stdout: Some(true), ..Default::default() };
        let (out, err, console) = collect_output(d.service_logs(&service_id, &logs).await.expect("service logs")).await;
        assert_eq!((out.as_str(), err.as_str(), console.as_str()), ("", "", ""), "a service without tasks has no logs");
        self.cov.hit("ServiceLogs");
        let tasks = d.task_list(&Default::default()).await.expect("task list");
        assert!(tasks.is_empty(), "{tasks:?}");
        self.cov.hit("TaskList");
        d.service_delete(&service_id, &Default::default()).await.expect("service delete");
        self.cov.hit("ServiceDelete");

        // Secrets and configs.
        let secret = d
            .secret_create(
                &Default::default(),
                Some(&models::SecretCreateBody {
                    name: Some(name("secret")),
                    labels: Some(labels()),
                    data: Some("c2VjcmV0".into()),
                    ..Default::default()
                }),
            )
            .await
            .expect("secret create");
        let secret_id = secret.id.expect("secret id (the daemon sends `ID`)");
        self.cov.hit("SecretCreate");
        let inspected = d.secret_inspect(&secret_id, &Default::default()).await.expect("secret inspect");
        self.cov.hit("SecretInspect");
        assert!(d
            .secret_list(&Default::default())
            .await
            .expect("secret list")
            .iter()
            .any(|s| s.id.as_deref() == Some(secret_id.as_str())));
        self.cov.hit("SecretList");
        let mut secret_spec = inspected.spec.expect("secret spec");
        secret_spec.labels.get_or_insert_with(BTreeMap::new).insert("updated".into(), "yes".into());
        let secret_version = inspected.version.and_then(|v| v.index).expect("secret version") as i64;
        d.secret_update(&secret_id, secret_version, &Default::default(), Some(&secret_spec))
            .await
            .expect("secret update");
        self.cov.hit("SecretUpdate");
        d.secret_delete(&secret_id, &Default::default()).await.expect("secret delete");
        self.cov.hit("SecretDelete");

        let config = d
            .config_create(
                &Default::default(),
                Some(&models::ConfigCreateBody {
                    name: Some(name("config")),
                    labels: Some(labels()),
                    data: Some("Y29uZmln".into()),
                    ..Default::default()
                }),
            )
            .await
            .expect("config create");
        let config_id = config.id.expect("config id (the daemon sends `ID`)");
        self.cov.hit("ConfigCreate");
        let inspected = d.config_inspect(&config_id, &Default::default()).await.expect("config inspect");
        self.cov.hit("ConfigInspect");
        assert!(d
            .config_list(&Default::default())
            .await
            .expect("config list")
            .iter()
            .any(|c| c.id.as_deref() == Some(config_id.as_str())));
        self.cov.hit("ConfigList");
        let mut config_spec = inspected.spec.expect("config spec");
        config_spec.labels.get_or_insert_with(BTreeMap::new).insert("updated".into(), "yes".into());
        let config_version = inspected.version.and_then(|v| v.index).expect("config version") as i64;
        d.config_update(&config_id, config_version, &Default::default(), Some(&config_spec))
            .await
            .expect("config update");
        self.cov.hit("ConfigUpdate");
        d.config_delete(&config_id, &Default::default()).await.expect("config delete");
        self.cov.hit("ConfigDelete");

        // A task that runs, a second node, autolock (tests/daemon_suite/swarm.rs).
        self.swarm_running_task(node_id).await;
        self.swarm_second_node().await;
    }

    async fn errors(&mut self) {
        let d = self.docker.clone();
        let missing = d.container_inspect(&name("no-such-container"), &Default::default()).await.expect_err("404");
        assert!(missing.is_not_found(), "{missing}");
        assert_eq!(missing.status(), Some(404));
        // A version the daemon does not support: its 400, typed.
        let pinned =
            Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")).with_pinned_version(api::ApiVersion::new(1, 99)));
        let too_new = pinned.system_version(&Default::default()).await.expect_err("version 1.99 is refused");
        assert_eq!(too_new.status(), Some(400), "{too_new}");
        assert!(too_new.to_string().contains("too new"), "{too_new}");

        // An operation 1.41 lacks fails before anything is sent (only crates that have one).
        if crate_has(ApiVersion::new(1, 55)) {
            let err = d
                .image_attestations(IMAGE_REPO, &Default::default())
                .await
                .expect_err("ImageAttestations is since 1.55");
            assert!(
                matches!(err, api::Error::UnsupportedOperation { operation: "ImageAttestations", since, negotiated } if since == ApiVersion::new(1, 55) && negotiated == DAEMON_API),
                "{err}"
            );
            assert_eq!(err.status(), None, "nothing was sent: {err}");
        }
    }

    async fn cleanup_and_prune(&mut self) {
        let d = self.docker.clone();
        let pruned = d
            .container_prune(&api::ContainerPruneOptions { filters: Some(suite_filter()), ..Default::default() })
            .await
            .expect("container prune");
        assert!(!pruned.containers_deleted.unwrap_or_default().is_empty());
        self.cov.hit("ContainerPrune");
        for id in std::mem::take(&mut self.containers) {
            match d
                .container_delete(
                    &id,
                    &api::ContainerDeleteOptions { force: Some(true), v: Some(true), ..Default::default() },
                )
                .await
            {
                Ok(()) => self.cov.hit("ContainerDelete"),
                Err(e) if e.is_not_found() => {} // pruned above
                Err(e) => panic!("container delete {id}: {e}"),
            }
        }
        d.image_delete(&self.image, &api::ImageDeleteOptions { force: Some(true), ..Default::default() })
            .await
            .expect("delete suite image");
        let pruned = d
            .image_prune(&api::ImagePruneOptions {
                filters: Some(Filters::new().add("dangling", "true")),
                ..Default::default()
            })
            .await
            .expect("image prune");
        assert!(pruned.space_reclaimed.is_some());
        self.cov.hit("ImagePrune");
    }
}

include!("daemon_suite/registry.rs");
include!("daemon_suite/websocket.rs");
include!("daemon_suite/plugins.rs");
include!("daemon_suite/swarm.rs");

/// The README table of operations this suite exercises must be exactly what it called.
fn check_readme_table(cov: &Coverage) {
    let readme = std::fs::read_to_string(integration_tests::workspace().join("README.md")).expect("README");
    let section = readme
        .split("<!-- daemon-coverage:start -->")
        .nth(1)
        .and_then(|s| s.split("<!-- daemon-coverage:end -->").next())
        .expect("coverage table markers in README");
    let listed: BTreeSet<&str> =
        section.lines().filter_map(|l| l.trim().strip_prefix("| `")).filter_map(|l| l.split('`').next()).collect();
    let called: BTreeSet<&str> = cov.0.iter().copied().collect();
    assert_eq!(listed, called, "README coverage table vs operations the suite called");
    assert!(called.len() >= 102, "only {} operations exercised", called.len());
}

daemon_test! {
async fn real_daemon_suite() {
    let docker = Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")));
    assert_eq!(docker.api_version().await.expect("negotiate"), DAEMON_API);

    // Events, streamed while everything else runs: (type, action, actor id, actor name).
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
    let mut events = docker
        .system_events(&api::SystemEventsOptions { since: Some(since.to_string()), ..Default::default() })
        .await
        .expect("events");
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = seen.clone();
    let collector = tokio::spawn(async move {
        while let Some(event) = events.next().await {
            let event = event.expect("every event decodes");
            let actor = event.actor.unwrap_or_default();
            let actor_name = actor.attributes.unwrap_or_default().remove("name").unwrap_or_default();
            let kind = event.r#type.map(|t| t.to_string()).unwrap_or_default();
            let line = format!("{kind} {} {} {actor_name}", event.action.unwrap_or_default(), actor.id.unwrap_or_default());
            sink.lock().expect("events list").push(line);
        }
    });

    let mut suite = Suite { docker, cov: Coverage::default(), image: format!("{IMAGE_REPO}:{PREFIX}"), containers: Vec::new() };
    suite.cov.hit("SystemEvents");
    suite.system().await;
    suite.import_image().await;
    suite.images().await;
    suite.registry().await;
    suite.plugins().await;
    suite.build().await;
    suite.containers().await;
    suite.running_container().await;
    suite.body_member_gate().await;
    suite.attach().await;
    suite.attach_websocket().await;
    suite.session().await;
    suite.volumes().await;
    suite.networks().await;
    suite.swarm().await;
    suite.errors().await;
    suite.cleanup_and_prune().await;

    tokio::time::sleep(Duration::from_millis(500)).await;
    collector.abort();
    let seen = seen.lock().expect("events list").clone();
    let expect = [
        "container create",
        "container start",
        "container die",
        "container attach",
        "container exec_start",
        "container pause",
        "container kill",
        "container destroy",
        "image import",
        "image tag",
        "image untag",
        "image load",
        "volume create",
        "volume destroy",
        "network create",
        "network connect",
        "network disconnect",
        "network destroy",
    ];
    let missing: Vec<&str> = expect.iter().copied().filter(|e| !seen.iter().any(|s| s.starts_with(e))).collect();
    assert!(missing.is_empty(), "events not seen: {missing:?}\nseen: {seen:#?}");
    // Our own objects by name: the container, volume and network created above.
    for (kind, action, object) in [("container", "destroy", name("mux")), ("volume", "destroy", name("vol")), ("network", "destroy", name("net"))] {
        assert!(
            seen.iter().any(|s| s.starts_with(&format!("{kind} {action}")) && s.contains(&object)),
            "no {kind} {action} event for {object}: {seen:#?}"
        );
    }
    check_readme_table(&suite.cov);
}
}

daemon_test! {
/// Exec output framing against a 1.41 daemon, which does not say how it frames (1.42 added the
/// `Content-Type` that does): Docker 20.10 frames by the `Tty` of the *start* request body
/// (`ExecStartCheck.Tty`), not by the `Tty` the exec was created with. When the two differ (a
/// caller who creates a TTY exec and starts it with a default body, or the reverse), the output
/// must still decode the way the daemon framed it. Its own image, container and label, so it can
/// run beside `real_daemon_suite`.
async fn exec_output_framing_follows_the_start_body() {
    let docker = Docker::new(Transport::unix(env("DOCKER_TEST_SOCKET")));
    let mut suite = Suite { docker: docker.clone(), cov: Coverage::default(), image: format!("{IMAGE_REPO}:{PREFIX}-framing"), containers: Vec::new() };
    suite.import_image().await;
    let mut body = suite.container_body(&["sleep", "300"]);
    body.labels = Some(BTreeMap::from([("suite".to_string(), format!("{PREFIX}-framing"))]));
    let id = suite.create("framing", &body).await;
    suite.start(&id).await;

    let mut outcomes = Vec::new();
    for (created_with_tty, start_body_tty) in [(true, None), (false, Some(true))] {
        let exec = docker
            .container_exec(&id, &Default::default(), &models::ExecConfig {
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                tty: Some(created_with_tty),
                cmd: Some(vec!["sh".into(), "-c".into(), "echo framed-out".into()]),
                ..Default::default()
            })
            .await
            .expect("exec create");
        let exec_id = exec.id.expect("exec id");
        let start = models::ExecStartConfig { tty: start_body_tty, ..Default::default() };
        let session = docker.exec_start(&exec_id, &Default::default(), Some(&start)).await.expect("exec start");
        let mut output = session.output;
        let (mut chunks, mut error) = (Vec::new(), None);
        while let Some(chunk) = tokio::time::timeout(Duration::from_secs(20), output.next()).await.expect("exec ends") {
            match chunk {
                Ok(chunk) => chunks.push(chunk),
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
        }
        let text = |pick: fn(&OutputChunk) -> Option<&[u8]>| chunks.iter().filter_map(pick).map(|b| String::from_utf8_lossy(b).into_owned()).collect::<String>();
        let out = text(|c| if let OutputChunk::StdOut(b) = c { Some(b) } else { None });
        let console = text(|c| if let OutputChunk::Console(b) = c { Some(b) } else { None });
        // Created with a TTY: the program writes to a terminal (`\r\n`); the default start body
        // (no `Tty`) makes the daemon multiplex it: StdOut frames. Created without, started
        // with `Tty: true`: a pipe (`\n`), sent raw: Console.
        let expected = if created_with_tty { ("framed-out\r\n", "") } else { ("", "framed-out\n") };
        let case = format!("exec created with Tty={created_with_tty}, started with Tty={start_body_tty:?}");
        outcomes.push(((out.as_str() == expected.0 && console == expected.1 && error.is_none()), format!("{case}: stdout {out:?}, console {console:?}, error {error:?}; expected stdout {:?}, console {:?}", expected.0, expected.1)));
    }

    docker
        .container_delete(&id, &api::ContainerDeleteOptions { force: Some(true), ..Default::default() })
        .await
        .expect("remove the framing container");
    docker.image_delete(&suite.image, &api::ImageDeleteOptions { force: Some(true), ..Default::default() }).await.expect("delete the framing image");
    let wrong: Vec<&String> = outcomes.iter().filter(|(ok, _)| !ok).map(|(_, what)| what).collect();
    assert!(wrong.is_empty(), "exec output decoded against the daemon's framing:\n{wrong:#?}");
}
}

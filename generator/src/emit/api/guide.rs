//! The front page of an endpoint crate: a short guide (connecting, versions, streams, errors,
//! features, where the examples are) and the docs of its modules.
//!
//! Every code block compiles for any spec: it calls only `Docker`'s own methods and
//! `container_list`, which is used only when the spec has it.

use crate::ir::docs::rustdoc_text;
use crate::ir::{Api, Operation};

/// The crate's `//!` documentation: the version's introduction and example, then the sections.
pub fn crate_doc(api: &Api) -> String {
    let (intro, versions, features) = (intro(api), versions(api), features(api));
    [intro.as_str(), CONNECTING, versions.as_str(), STREAMS, ERRORS, features.as_str(), MODULES].join("\n\n")
}

/// What the crate is, and a first call that compiles for any spec.
fn intro(api: &Api) -> String {
    let (version, file) = (api.version, &api.spec_file);
    let krate = format!("docker_engine_api_{}", api.version.dir_name());
    // `container_list` is in every Docker spec; a made-up one without it gets a call every
    // crate has, so the doctest compiles for any spec.
    let example = if api.operations.values().any(|op| op.method_name == "container_list") {
        "let containers = docker.container_list(&Default::default()).await?;\nprintln!(\"{} containers\", containers.len());"
    } else {
        "let version = docker.api_version().await?;\nprintln!(\"API v{version}\");"
    };
    let example = example.lines().map(|l| format!(" {l}\n")).collect::<String>();
    format!(
        r#" Docker Engine API v{version} endpoints, generated from `{file}`.

 Every operation is an async method on [`Docker`], named after its operationId in
 snake case (`ContainerList` → [`Docker::container_list`]); the Docker CLI's words
 (`ps`, `run`, `pull`, `cp`, …) find them in the search box. Arguments are the path
 parameters (`&str`), required query parameters, one options struct
 (`<OperationId>Options`, always `Default`), then the body.

 ```no_run
 # async fn demo() -> Result<(), {krate}::Error> {{
 let docker = {krate}::Docker::from_env()?;
{example} # Ok(()) }}
 ```"#
    )
}

const CONNECTING: &str = r#" # Connecting

 [`Docker::from_env`] finds the daemon the way the Docker CLI does; the exact order is in
 [`Transport::from_env`]: `DOCKER_HOST` (`unix://`, `tcp://` with TLS from `DOCKER_CERT_PATH`
 and `DOCKER_TLS_VERIFY`, `ssh://`, `npipe://`), else the CLI's current context
 (`DOCKER_CONTEXT`, or `currentContext` in `~/.docker/config.json`), else a well-known
 socket. `DOCKER_API_VERSION` pins the version. To choose yourself, build a [`Transport`]
 and call [`Docker::new`]: [`Transport::unix`], [`Transport::tcp`], `Transport::tls` (feature
 `tls`), [`Transport::ssh`] (runs `ssh … docker system dial-stdio`, as the CLI does); a CLI context by
 name is [`Docker::from_context`]. Timeouts and size limits are `Transport::with_*` settings.
 Registry credentials are found the way the CLI finds them (`credHelpers`, `credsStore`,
 `auths` in `config.json`) by [`Credentials`]; see [`Docker::image_create`]."#;

/// How the version is chosen and what that means for requests and responses.
fn versions(api: &Api) -> String {
    let (version, oldest) = (api.version, api.oldest);
    format!(
        r#" # Versions and negotiation

 Requests carry the negotiated `/v1.NN` prefix: the lower of v{version} and the daemon's
 version, learnt from `/_ping` on first use ([`Docker::api_version`]), unless pinned. The crate
 serves every daemon from API v{oldest} up to v{version}: responses decode every member any of
 those versions sends (members later versions removed are kept, deprecated), and a request
 that sets an operation, parameter or body member the negotiated version lacks fails with
 [`Error::UnsupportedOperation`] or [`Error::UnsupportedMember`] before anything is sent
 ([`Error::is_unsupported_version`]). Docs say each item's range ("Since API v1.44."); an
 item without one is in every version."#
    )
}

const STREAMS: &str = r#" # Streams

 Progress, events and stats come as a [`JsonStream`] of typed items; container output (logs,
 attach, exec) as an [`OutputStream`] of [`OutputChunk`]s, multiplexed or TTY raw (detected);
 archives and exports as a [`ByteStream`] of [`Bytes`]. All are [`Stream`]s: read them with
 [`StreamExt::next`]. An error the daemon reports inside a stream (a failing build step, a
 pull that fails halfway) is an `Err` item. Attach and exec start give a [`Hijacked`]
 session: write stdin with [`AsyncWriteExt`], half-close it with
 [`HijackWriter::close_write`], read the output. Uploads (build contexts, archives, image
 loads) are an [`Upload`]: bytes in memory, any stream of chunks, or a folder as a streamed
 tar archive ([`BuildContext`], honouring `.dockerignore` like the CLI).

 dockerd writes each log line as a frame of its own. Read from `main` of the default
 multi-thread runtime, a stream on a unix socket waits up to 200 µs on the socket itself
 before it sleeps in the I/O driver, so a busy log is followed by the main thread alone
 instead of a hop through the driver's worker per frame; in a spawned task, or on a
 `current_thread` runtime, it never blocks (the project README's Performance table measures
 `main` and `current_thread` beside `docker logs`)."#;

const ERRORS: &str = r#" # Errors

 Every method returns [`Error`], which names the operation that failed. The daemon's status
 and message are kept ([`Error::status`], [`Error::is_not_found`], [`Error::is_conflict`], …);
 timeouts say which phase ran out ([`Error::timeout_phase`]); credentials never appear in an
 error or in `Debug` output."#;

/// The features the crate passes through to the transport.
fn features(api: &Api) -> String {
    let package = super::package_name(api);
    format!(
        r#" # Features

 The features of [`transport`] (`docker-engine-transport`), passed through by `{package}`:
 `tls` (off by default: `tcp://` daemons over TLS with rustls, `DOCKER_TLS_VERIFY`,
 `DOCKER_CERT_PATH` and contexts' TLS material; without it such a host is an error that says
 to turn it on, while unix sockets, plain `tcp://` and `ssh://` need no feature),
 `tls-native-roots` and `tls-webpki-roots` (without a `ca.pem`, trust the
 platform's or Mozilla's roots; verification stays on), `tracing` (one span per request:
 operation, method, path template, version, status, duration; never values or bodies)."#
    )
}

const MODULES: &str = r#" # Modules and examples

 One module per group of operations (`container`, `image`, …): each lists its methods and
 holds their options structs, which are also at the crate root. Request and response types
 are in [`models`], the runtime in [`transport`]. Runnable examples of the common tasks are on
 the methods: [`Docker::container_list`] (`docker ps`), [`Docker::container_create`] and
 [`Docker::container_start`] (`docker run`), [`Docker::container_logs`],
 [`Docker::exec_start`] (exec with stdin), [`Docker::container_attach`],
 [`Docker::image_build`] (a folder with `.dockerignore`), [`Docker::image_create`] (pull with
 credentials), [`Docker::image_push`], [`Docker::system_events`], [`Docker::container_stats`],
 [`Docker::put_container_archive`] and [`Docker::container_archive`] (`docker cp`)."#;

/// The `//!` documentation of the module of `tag`: the tag's description from the spec and
/// its methods with their summaries.
pub fn module_doc(api: &Api, tag: &str, ops: &[&Operation]) -> String {
    let mut text = format!("`{tag}` operations.");
    if let Some(description) = api.tags.get(tag).map(|d| d.trim()).filter(|d| !d.is_empty()) {
        text.push_str("\n\n");
        text.push_str(&rustdoc_text(description));
    }
    text.push_str(
        "\n\nThe methods are on [`Docker`]; this module holds their options \
         structs, which the crate root re-exports.\n",
    );
    for op in ops {
        let summary = op.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&op.id);
        let summary = summary.lines().next().unwrap_or_default();
        // Every module imports `Docker`, so the links resolve from here.
        text.push_str(&format!("\n- [`Docker::{}`] — {summary}", op.method_name));
    }
    text.lines().map(|l| format!(" {l}")).collect::<Vec<_>>().join("\n")
}

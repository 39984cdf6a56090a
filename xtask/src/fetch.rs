//! `cargo xtask fetch-specs`: downloads the `v1.NN.yaml` specs missing from the spec folder,
//! the first step when a new API version ships (then `cargo xtask regen`).
//!
//! Which versions are missing: every version between the oldest and the newest spec in the
//! folder that has no file, then the versions after the newest, one by one, until the server
//! answers 404 (at most [`MAX_NEW`] in one run); `--version 1.NN` (repeatable) asks for exactly
//! those instead. An empty folder starts at 1.40.
//!
//! A download is written only when the whole body arrived, is at most [`MAX_SPEC_BYTES`], and
//! goes through the generator's own pipeline (load, overrides, conversion, IR) as the version
//! it claims to be (`info.version`). It is written to a temporary file in the spec folder and
//! renamed into place, never over an existing file: a failed or cut-off download leaves the
//! folder as it was.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use codegen::overrides::Overrides;
use codegen::version::MIN_VERSION;
use codegen::{convert, ir, load, ApiVersion};

use crate::workspace_root;

/// Where the specs are published: the Docker documentation keeps every version's spec there.
/// `{version}` is replaced by `1.NN`.
pub const DEFAULT_URL: &str = "https://docs.docker.com/reference/api/engine/version/v{version}.yaml";

/// The environment variable that overrides [`DEFAULT_URL`] (`--url` overrides both).
pub const URL_ENV: &str = "DOCKER_API_SPEC_URL";

/// How many versions past the newest one run probes for at most.
pub const MAX_NEW: u16 = 20;

/// The largest spec accepted (the real ones are about 0.5 MB).
pub const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

pub const USAGE: &str = "cargo xtask fetch-specs [--specs DIR] [--url TEMPLATE] [--version 1.NN]...";

struct Args {
    specs: Option<PathBuf>,
    url: Option<String>,
    versions: Vec<ApiVersion>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args { specs: None, url: None, versions: Vec::new() };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--specs" => parsed.specs = Some(PathBuf::from(value("--specs")?)),
            "--url" => parsed.url = Some(value("--url")?),
            "--version" => parsed.versions.push(value("--version")?.parse().map_err(|e| format!("--version: {e}"))?),
            other => return Err(format!("unknown argument `{other}`\nusage: {USAGE}")),
        }
    }
    Ok(parsed)
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    let root = workspace_root();
    let dir = spec_folder(args.specs.as_deref(), &root)?;
    let template = args.url.or_else(|| std::env::var(URL_ENV).ok().filter(|u| !u.is_empty()));
    let template = template.unwrap_or_else(|| DEFAULT_URL.to_string());
    if !template.contains("{version}") {
        return Err(format!("URL template `{template}` has no `{{version}}` to replace"));
    }
    let fetcher = Fetcher {
        agent: agent(),
        template,
        dir: dir.clone(),
        overrides: Overrides::load(&root.join("specs/overrides.yaml")).map_err(|e| e.to_string())?,
    };
    let present = present_versions(&dir)?;
    let mut fetched = Vec::new();
    if args.versions.is_empty() {
        fetch_missing(&fetcher, &present, &mut fetched)?;
    } else {
        for version in args.versions {
            if present.contains(&version) {
                println!("v{version}.yaml is already in {}", dir.display());
            } else if fetcher.fetch(version)?.is_none() {
                return Err(format!("{}: 404 Not Found", fetcher.url(version)));
            } else {
                fetched.push(version);
            }
        }
    }
    if fetched.is_empty() {
        println!("no spec missing in {}", dir.display());
    } else {
        println!("fetched {} spec(s) into {}; now run `cargo xtask regen`", fetched.len(), dir.display());
    }
    Ok(true)
}

/// The gaps between the oldest and the newest spec present, then newer versions until a 404.
fn fetch_missing(fetcher: &Fetcher, present: &[ApiVersion], fetched: &mut Vec<ApiVersion>) -> Result<(), String> {
    if let (Some(&oldest), Some(&newest)) = (present.first(), present.last()) {
        for minor in oldest.minor..newest.minor {
            let version = ApiVersion::new(oldest.major, minor);
            if present.contains(&version) {
                continue;
            }
            // A version between two published ones must exist upstream.
            fetcher.fetch(version)?.ok_or_else(|| format!("{}: 404 Not Found", fetcher.url(version)))?;
            fetched.push(version);
        }
    }
    let start = present.last().map_or(MIN_VERSION, |v| ApiVersion::new(v.major, v.minor + 1));
    for minor in start.minor..start.minor + MAX_NEW {
        let version = ApiVersion::new(start.major, minor);
        if fetcher.fetch(version)?.is_none() {
            println!("v{version}: not published yet ({}: 404)", fetcher.url(version));
            return Ok(());
        }
        fetched.push(version);
    }
    println!("stopped after {MAX_NEW} new versions; run again for more");
    Ok(())
}

/// The spec folder as `regen` finds it; when there is none yet, `specs/upstream/` of the
/// workspace (git-ignored), made here.
fn spec_folder(explicit: Option<&Path>, root: &Path) -> Result<PathBuf, String> {
    match codegen::regen::resolve_specs_dir(explicit, root) {
        Ok(dir) => Ok(dir),
        Err(_) if explicit.is_none() && std::env::var_os(codegen::regen::SPECS_ENV).is_none() => {
            let dir = root.join("specs/upstream");
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            Ok(dir)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Every `v1.NN.yaml` (NN ≥ 40) in `dir`, oldest first.
fn present_versions(dir: &Path) -> Result<Vec<ApiVersion>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut versions: Vec<ApiVersion> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| ApiVersion::from_spec_file_name(&e.file_name().to_string_lossy()))
        .filter(|v| *v >= MIN_VERSION)
        .collect();
    versions.sort();
    Ok(versions)
}

/// An HTTP agent that verifies TLS (webpki roots), follows redirects, uses the proxy the
/// environment names, and gives up on a stalled server.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_global(Some(Duration::from_secs(300)))
        .user_agent(concat!("docker-engine-rs-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

struct Fetcher {
    agent: ureq::Agent,
    template: String,
    dir: PathBuf,
    overrides: Overrides,
}

impl Fetcher {
    fn url(&self, version: ApiVersion) -> String {
        self.template.replace("{version}", &version.to_string())
    }

    /// Downloads, checks and writes one version; `None` when the server says 404.
    fn fetch(&self, version: ApiVersion) -> Result<Option<PathBuf>, String> {
        let url = self.url(version);
        let Some(body) = self.download(&url)? else { return Ok(None) };
        self.check(version, &url, &body)?;
        let target = self.dir.join(format!("v{version}.yaml"));
        write_new(&self.dir, &target, &body)?;
        println!("v{version}: {} bytes from {url} → {}", body.len(), target.display());
        Ok(Some(target))
    }

    fn download(&self, url: &str) -> Result<Option<Vec<u8>>, String> {
        let mut response = self.agent.get(url).call().map_err(|e| format!("GET {url}: {e}"))?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(None),
            status => return Err(format!("GET {url}: HTTP {status}; nothing written")),
        }
        // ureq fails a body shorter than its Content-Length or a chunked body cut short.
        let body = response.body_mut().with_config().limit(MAX_SPEC_BYTES).read_to_vec();
        body.map(Some).map_err(|e| format!("GET {url}: the download did not complete ({e}); nothing written"))
    }

    /// The download goes through the generator's pipeline as `version`.
    fn check(&self, version: ApiVersion, url: &str, body: &[u8]) -> Result<(), String> {
        let source = Path::new(url);
        let fail = |e: String| format!("{url} is not a usable v{version} spec ({e}); nothing written");
        let mut spec = load::load_bytes(source, body).map_err(|e| fail(e.to_string()))?;
        let claimed = spec.document.pointer("/info/version").and_then(|v| v.as_str()).unwrap_or("none");
        if claimed != version.to_string() {
            return Err(fail(format!("its info.version is {claimed}")));
        }
        self.overrides.apply(version, &mut spec.document);
        let openapi = convert::convert(source, &spec.document).map_err(|e| fail(e.to_string()))?;
        ir::build(source, version, &spec.sha256, &openapi).map_err(|e| fail(e.to_string()))?;
        Ok(())
    }
}

/// Writes `content` to `target` through a temporary file in `dir`, never replacing a file.
fn write_new(dir: &Path, target: &Path, content: &[u8]) -> Result<(), String> {
    let context = |e: std::io::Error| format!("{}: {e}", target.display());
    let mut temp = tempfile::Builder::new().prefix(".fetch-").suffix(".part").tempfile_in(dir).map_err(context)?;
    temp.write_all(content).map_err(context)?;
    temp.as_file().sync_all().map_err(context)?;
    temp.persist_noclobber(target).map_err(|e| context(e.error))?;
    Ok(())
}

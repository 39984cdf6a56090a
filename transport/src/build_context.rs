//! [`BuildContext`]: a folder as a tar archive streamed into an [`Upload`] (the body of
//! `ImageBuild`, or of `PutContainerArchive` for `docker cp`), honouring `.dockerignore` like
//! the Docker CLI ([`DockerIgnore`]).
//!
//! The archive is written on its own thread into a bounded channel of 64 KiB chunks, so memory
//! stays small whatever the size of the folder, and nothing is read before the request sends.
//! Entries are in sorted order; owners are `0:0` (as the CLI writes them); symbolic links are
//! stored as links, never followed. Sockets, pipes and devices are left out. A file that cannot
//! be read ends the stream with an error naming it, so the request fails rather than sending
//! half a context.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use tokio::sync::mpsc;

use crate::dockerignore::DockerIgnore;
use crate::upload::Upload;

/// Size of one chunk sent to the daemon.
const CHUNK: usize = 64 * 1024;
/// Chunks written ahead of the network at most.
const CHUNKS_AHEAD: usize = 4;

/// A folder to send as a tar archive: the body of `ImageBuild` ([`BuildContext::new`], with the
/// folder's `.dockerignore` applied by [`DockerIgnore`]'s rules) or of `PutContainerArchive`
/// ([`BuildContext::whole_dir`]).
///
/// The archive is written on a thread of its own into a bounded channel of 64 KiB chunks, so
/// memory stays small whatever the size of the folder. Entries are sorted, owners are `0:0` (as
/// the CLI writes them), symbolic links are stored, never followed; sockets, pipes and devices
/// are left out. A file that cannot be read ends the upload with an error naming it, so the
/// request fails rather than sending half a context.
///
/// ```no_run
/// # fn f() -> std::io::Result<()> {
/// use docker_engine_transport::BuildContext;
/// let context = BuildContext::new("./app")?; // reads ./app/.dockerignore
/// println!("{:?}", context.paths()?); // what will be sent
/// let body = context.into_upload()?; // for `ImageBuild`
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct BuildContext {
    root: PathBuf,
    ignore: DockerIgnore,
}

/// One entry of the archive: its path in the archive and on disk.
struct Entry {
    name: String,
    path: PathBuf,
    meta: fs::Metadata,
}

impl BuildContext {
    /// The folder `dir` as a build context, with its `.dockerignore` applied; `Dockerfile` and
    /// `.dockerignore` are always kept, as the CLI keeps them.
    pub fn new(dir: impl Into<PathBuf>) -> io::Result<BuildContext> {
        BuildContext::with_dockerfile(dir, "Dockerfile")
    }

    /// Like [`BuildContext::new`] with the Dockerfile at `dockerfile` (relative to `dir`, the
    /// `dockerfile` option of `ImageBuild`), which is always kept.
    pub fn with_dockerfile(dir: impl Into<PathBuf>, dockerfile: &str) -> io::Result<BuildContext> {
        let root = dir.into();
        check_dir(&root)?;
        let ignore_file = root.join(".dockerignore");
        let mut ignore = match fs::read_to_string(&ignore_file) {
            Ok(text) => DockerIgnore::parse(&text)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", ignore_file.display())))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => DockerIgnore::default(),
            Err(e) => return Err(io::Error::new(e.kind(), format!("cannot read {}: {e}", ignore_file.display()))),
        };
        // As the CLI's `TrimBuildFilesFromExcludes`: the daemon needs these two.
        for keep in [".dockerignore", dockerfile] {
            if ignore.is_excluded(keep) {
                ignore.push(&format!("!{keep}"))?;
            }
        }
        Ok(BuildContext { root, ignore })
    }

    /// Every file of `dir`, nothing left out (a body for `PutContainerArchive`).
    pub fn whole_dir(dir: impl Into<PathBuf>) -> io::Result<BuildContext> {
        let root = dir.into();
        check_dir(&root)?;
        Ok(BuildContext { root, ignore: DockerIgnore::default() })
    }

    /// The patterns applied.
    pub fn ignore(&self) -> &DockerIgnore {
        &self.ignore
    }

    /// The paths the archive will hold, in order (folders end in `/`).
    pub fn paths(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        walk(&self.root, "", &self.ignore, &mut |entry| {
            names.push(entry.name);
            Ok(())
        })?;
        Ok(names)
    }

    /// The archive as a streamed request body. Writing starts on a thread of its own; the
    /// thread stops when the body is dropped.
    pub fn into_upload(self) -> io::Result<Upload> {
        let (tx, rx) = mpsc::channel(CHUNKS_AHEAD);
        let error_tx = tx.clone();
        std::thread::Builder::new().name("docker-build-context".into()).spawn(move || {
            let mut writer = ChunkWriter { tx, buf: Vec::with_capacity(CHUNK) };
            let result = write_tar(&self.root, &self.ignore, &mut writer).and_then(|()| writer.flush());
            if let Err(e) = result {
                // The receiver may be gone already (the request failed): nothing to tell.
                let _ = error_tx.blocking_send(Err(e));
            }
        })?;
        Ok(Upload::stream(ChunkStream { rx }))
    }
}

fn check_dir(root: &Path) -> io::Result<()> {
    let meta = fs::metadata(root).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", root.display())))?;
    if !meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a folder", root.display())));
    }
    Ok(())
}

/// Visits the entries below `dir` (archive prefix `prefix`) in sorted order, leaving out what
/// `ignore` excludes and not descending into excluded folders unless an exception may match
/// inside (Docker's rule, [`DockerIgnore::may_include_below`]).
fn walk(
    dir: &Path,
    prefix: &str,
    ignore: &DockerIgnore,
    visit: &mut dyn FnMut(Entry) -> io::Result<()>,
) -> io::Result<()> {
    let named = |e: io::Error, p: &Path| io::Error::new(e.kind(), format!("{}: {e}", p.display()));
    let mut children = Vec::new();
    for child in fs::read_dir(dir).map_err(|e| named(e, dir))? {
        let child = child.map_err(|e| named(e, dir))?;
        let Some(name) = child.file_name().to_str().map(str::to_owned) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: the name is not UTF-8", child.path().display()),
            ));
        };
        children.push((name, child.path()));
    }
    children.sort();
    for (name, path) in children {
        let rel = format!("{prefix}{name}");
        let meta = fs::symlink_metadata(&path).map_err(|e| named(e, &path))?;
        let kind = meta.file_type();
        let excluded = ignore.is_excluded(&rel);
        if kind.is_dir() {
            if !excluded {
                visit(Entry { name: format!("{rel}/"), path: path.clone(), meta })?;
            }
            if !excluded || ignore.may_include_below(&rel) {
                walk(&path, &format!("{rel}/"), ignore, visit)?;
            }
        } else if !excluded && (kind.is_file() || kind.is_symlink()) {
            visit(Entry { name: rel, path, meta })?;
        }
    }
    Ok(())
}

fn write_tar(root: &Path, ignore: &DockerIgnore, out: &mut ChunkWriter) -> io::Result<()> {
    let mut builder = tar::Builder::new(out);
    walk(root, "", ignore, &mut |entry| append(&mut builder, entry))?;
    builder.finish()
}

fn append(builder: &mut tar::Builder<&mut ChunkWriter>, entry: Entry) -> io::Result<()> {
    let named = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", entry.path.display()));
    let mut header = tar::Header::new_gnu();
    header.set_metadata_in_mode(&entry.meta, tar::HeaderMode::Complete);
    header.set_uid(0);
    header.set_gid(0);
    header.set_username("").map_err(named)?;
    header.set_groupname("").map_err(named)?;
    let kind = entry.meta.file_type();
    if kind.is_symlink() {
        let target = fs::read_link(&entry.path).map_err(named)?;
        header.set_size(0);
        builder.append_link(&mut header, &entry.name, target).map_err(named)
    } else if kind.is_dir() {
        header.set_size(0);
        builder.append_data(&mut header, &entry.name, io::empty()).map_err(named)
    } else {
        let file = fs::File::open(&entry.path).map_err(named)?;
        // The size in the header is the one read now; a file that changes size while it is
        // sent fails (the tar crate checks) rather than corrupting the archive.
        builder.append_data(&mut header, &entry.name, file).map_err(named)
    }
}

/// `io::Write` into the channel, in chunks of [`CHUNK`] bytes.
struct ChunkWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the build context upload was dropped"))
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

struct ChunkStream {
    rx: mpsc::Receiver<io::Result<Bytes>>,
}

impl Stream for ChunkStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    async fn entries(upload: Upload) -> Vec<(String, Vec<u8>)> {
        let crate::req_body::ReqBody::Stream(mut stream) = crate::req_body::ReqBody::from(upload) else {
            panic!("a build context is streamed")
        };
        let mut all = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            assert!(chunk.len() <= CHUNK);
            all.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert!(chunks >= 1);
        let mut archive = tar::Archive::new(&all[..]);
        let mut out = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            assert_eq!((entry.header().uid().unwrap(), entry.header().gid().unwrap()), (0, 0));
            let name = entry.path().unwrap().to_string_lossy().into_owned();
            let mut data = Vec::new();
            io::Read::read_to_end(&mut entry, &mut data).unwrap();
            out.push((name, data));
        }
        out
    }

    #[tokio::test]
    async fn dockerignore_is_applied_and_build_files_are_kept() {
        let dir = tree(&[
            ("Dockerfile", "FROM scratch\n"),
            (".dockerignore", "*.log\n**/secret*\nDockerfile\n.dockerignore\nlogs\n!logs/keep.txt\n"),
            ("app.log", "x"),
            ("src/main.rs", "fn main() {}"),
            ("src/deep/secret.key", "k"),
            ("logs/a.txt", "a"),
            ("logs/keep.txt", "keep"),
        ]);
        let context = BuildContext::new(dir.path()).unwrap();
        let want = [".dockerignore", "Dockerfile", "logs/keep.txt", "src/", "src/deep/", "src/main.rs"];
        assert_eq!(context.paths().unwrap(), want);
        let got = entries(context.into_upload().unwrap()).await;
        let names: Vec<&str> = got.iter().map(|(n, _)| n.trim_end_matches('/')).collect();
        assert_eq!(names, want.map(|n| n.trim_end_matches('/')));
        assert_eq!(got[2].1, b"keep");
    }

    #[tokio::test]
    async fn large_files_stream_in_chunks() {
        let big = "x".repeat(3 * CHUNK + 17);
        let dir = tree(&[("big.bin", big.as_str())]);
        let got = entries(BuildContext::whole_dir(dir.path()).unwrap().into_upload().unwrap()).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.len(), big.len());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn symlinks_are_stored_not_followed() {
        let dir = tree(&[("target.txt", "t")]);
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("link")).unwrap();
        let upload = BuildContext::whole_dir(dir.path()).unwrap().into_upload().unwrap();
        let got = entries(upload).await;
        assert_eq!(got.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["link", "target.txt"]);
        assert!(got[0].1.is_empty(), "the link's target is not read");
    }

    #[test]
    fn errors_name_the_path() {
        let err = BuildContext::new("/definitely/not/here").unwrap_err().to_string();
        assert!(err.contains("/definitely/not/here"), "{err}");
        let dir = tree(&[(".dockerignore", "[oops\n")]);
        let err = BuildContext::new(dir.path()).unwrap_err().to_string();
        assert!(err.contains(".dockerignore") && err.contains("line 1"), "{err}");
        let file = dir.path().join(".dockerignore");
        let err = BuildContext::whole_dir(&file).unwrap_err().to_string();
        assert!(err.contains("is not a folder"), "{err}");
    }

    #[tokio::test]
    async fn dropping_the_upload_stops_the_writer() {
        let big = "y".repeat(64 * CHUNK);
        let dir = tree(&[("a", big.as_str()), ("b", big.as_str())]);
        let upload = BuildContext::whole_dir(dir.path()).unwrap().into_upload().unwrap();
        drop(upload);
        // The thread ends on its own (its send fails); nothing to join, nothing hangs.
    }
}

//! Well-known daemon sockets, tried only when nothing is configured (no `DOCKER_HOST`, no
//! context): the first of these that exists and is a socket wins.
//!
//! 1. `/var/run/docker.sock`: the CLI's own default, first so that a machine where a bare
//!    `docker` works talks to the same daemon here;
//! 2. `$XDG_RUNTIME_DIR/docker.sock`: rootless Docker;
//! 3. `~/.docker/run/docker.sock`: Docker Desktop's user socket (macOS, recent Linux);
//! 4. `~/.docker/desktop/docker.sock`: Docker Desktop for Linux;
//! 5. `$XDG_RUNTIME_DIR/podman/podman.sock`: rootless Podman's Docker-compatible service;
//! 6. `/run/podman/podman.sock`: the system Podman service.
//!
//! Docker daemons before Podman (its compatibility API is a second implementation), the
//! user's own Docker before Desktop's. When none exists the CLI's default is used, so the
//! connect error names `/var/run/docker.sock`. Paths are looked up under a root folder (`/`
//! normally) so tests can lay out a fake file system.

use std::path::{Path, PathBuf};

use super::Vars;

/// One place a daemon may listen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// The socket path, under the root.
    pub(crate) path: PathBuf,
    /// What usually listens there.
    pub(crate) what: &'static str,
}

/// The candidates in order, for this environment, under `root`.
pub(crate) fn candidates(vars: &Vars, root: &Path) -> Vec<Candidate> {
    let under = |p: PathBuf| match p.strip_prefix("/") {
        Ok(rel) => root.join(rel),
        Err(_) => root.join(p),
    };
    let mut out = Vec::new();
    let mut push = |p: Option<PathBuf>, what| {
        if let Some(p) = p {
            out.push(Candidate { path: under(p), what });
        }
    };
    let runtime = vars.get("XDG_RUNTIME_DIR").map(PathBuf::from).filter(|p| p.is_absolute());
    let home = vars.home().filter(|p| p.is_absolute());
    push(Some(PathBuf::from("/var/run/docker.sock")), "Docker (the CLI's default)");
    push(runtime.as_ref().map(|r| r.join("docker.sock")), "rootless Docker");
    push(home.as_ref().map(|h| h.join(".docker/run/docker.sock")), "Docker Desktop");
    push(home.as_ref().map(|h| h.join(".docker/desktop/docker.sock")), "Docker Desktop for Linux");
    push(runtime.as_ref().map(|r| r.join("podman/podman.sock")), "rootless Podman");
    push(Some(PathBuf::from("/run/podman/podman.sock")), "Podman");
    out
}

/// The first candidate that is a socket.
pub(crate) fn find(vars: &Vars, root: &Path) -> Option<Candidate> {
    candidates(vars, root).into_iter().find(|c| is_socket(&c.path))
}

#[cfg(unix)]
fn is_socket(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(p).is_ok_and(|m| m.file_type().is_socket())
}

#[cfg(not(unix))]
fn is_socket(p: &Path) -> bool {
    p.exists()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    fn vars() -> Vars {
        Vars::capture(|k| match k {
            "HOME" => Some("/home/u".into()),
            "XDG_RUNTIME_DIR" => Some("/run/user/1000".into()),
            _ => None,
        })
    }

    #[test]
    fn order_and_existence() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        let v = vars();
        let order: Vec<_> = candidates(&v, r).into_iter().map(|c| c.path.strip_prefix(r).unwrap().to_owned()).collect();
        let expect = [
            "var/run/docker.sock",
            "run/user/1000/docker.sock",
            "home/u/.docker/run/docker.sock",
            "home/u/.docker/desktop/docker.sock",
            "run/user/1000/podman/podman.sock",
            "run/podman/podman.sock",
        ];
        assert_eq!(order, expect.iter().map(PathBuf::from).collect::<Vec<_>>());
        assert_eq!(find(&v, r), None);
        // Bind from the last to the first: each new one must win.
        let mut keep = Vec::new();
        for rel in expect.iter().rev() {
            let p = r.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            keep.push(UnixListener::bind(&p).unwrap());
            assert_eq!(find(&v, r).unwrap().path, p);
        }
        // A regular file is not a socket.
        let q = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(q.path().join("var/run")).unwrap();
        std::fs::write(q.path().join("var/run/docker.sock"), b"").unwrap();
        assert_eq!(find(&v, q.path()), None);
    }
}

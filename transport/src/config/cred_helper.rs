//! Running a credential helper as the CLI does (`docker-credential-helpers/client`):
//! `docker-credential-<name> get`, the server address on stdin, `{"ServerURL", "Username",
//! "Secret"}` on stdout. The program is looked up in a list of folders the caller gives (the
//! `PATH` by default), never through a changed process environment; the child is killed when
//! the lookup is dropped or times out, and its output is bounded.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::config_error;
use crate::error::Error;
use crate::error_text::excerpt;
use crate::json_object::json_object;

/// Largest helper answer read.
const MAX_OUTPUT: u64 = 64 * 1024;
/// What a helper prints when it has nothing for the server (not an error for the CLI).
const NOT_FOUND: &str = "credentials not found in native keychain";

/// A helper's answer. Not `Debug`: `secret` is a password or token.
pub(crate) struct HelperCredentials {
    pub(crate) username: String,
    pub(crate) secret: String,
}

json_object!(HelperCredentials { username: "Username", secret: "Secret" });

/// The executable `docker-credential-<name>` in the first of `dirs` that has it.
fn find(name: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    let file = format!("docker-credential-{name}");
    dirs.iter().flat_map(|d| candidates(d, &file)).find(|p| is_executable(p))
}

fn candidates(dir: &Path, file: &str) -> Vec<PathBuf> {
    if cfg!(windows) {
        vec![dir.join(format!("{file}.exe")), dir.join(file)]
    } else {
        vec![dir.join(file)]
    }
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Starts `path get`.
fn spawn(path: &Path) -> std::io::Result<tokio::process::Child> {
    crate::spawn::spawn_retrying_busy(
        tokio::process::Command::new(path)
            .arg("get")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true),
    )
}

/// Asks helper `name` for the credentials of `server`; `None` when it has none.
pub(crate) async fn get(
    name: &str,
    dirs: &[PathBuf],
    server: &str,
    timeout: Duration,
) -> Result<Option<HelperCredentials>, Error> {
    let program = format!("docker-credential-{name}");
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(config_error(format!("invalid credential helper name {program:?}")));
    }
    let path = find(name, dirs).ok_or_else(|| {
        config_error(format!(
            "credential helper {program} (for {server}) not found in {}",
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(":")
        ))
    })?;
    let fail = |what: String| config_error(format!("credential helper {program} (for {server}): {what}"));
    let mut child = spawn(&path).map_err(|e| fail(format!("cannot run {}: {e}", path.display())))?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(fail("no stdio pipes".into()));
    };
    let run = async {
        // A helper that exits without reading stdin makes this fail with EPIPE: its exit status
        // and output tell more, so the write error is ignored.
        let _ = stdin.write_all(server.as_bytes()).await;
        drop(stdin);
        let mut out = Vec::new();
        stdout.take(MAX_OUTPUT).read_to_end(&mut out).await?;
        let status = child.wait().await?;
        Ok::<_, std::io::Error>((status, out))
    };
    let (status, out) = match tokio::time::timeout(timeout, run).await {
        Ok(r) => r.map_err(|e| fail(format!("{e}")))?,
        Err(_) => return Err(fail(format!("no answer within {} s", timeout.as_secs_f32()))),
    };
    if !status.success() {
        let text = String::from_utf8_lossy(&out);
        if text.trim() == NOT_FOUND {
            return Ok(None);
        }
        return Err(fail(format!("failed ({status}): {}", excerpt(text.trim().as_bytes()))));
    }
    // Never quote the output in an error: it may hold the secret.
    let creds: HelperCredentials = serde_json::from_slice(&out)
        .map_err(|e| fail(format!("invalid answer (line {}, column {})", e.line(), e.column())))?;
    if creds.username.is_empty() && creds.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(creds))
}

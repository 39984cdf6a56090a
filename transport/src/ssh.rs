//! `ssh://[user@]host[:port][/socket]` daemons, the way the Docker CLI reaches them: run
//! `ssh … -- host docker system dial-stdio` and speak HTTP/1.1 over the child's stdin and stdout.
//!
//! The user's own `ssh` does the work (config, agent, known hosts, jump hosts), so there is no
//! cryptography here. One child process per connection: [`SshIo`] owns it, closing the write
//! side closes the child's stdin (a half-close, as hijacked attach/exec need), and dropping the
//! connection kills the child. The child's stderr is kept (bounded) so that a failure to connect
//! says what ssh said.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::error::Error;
use crate::error_text::escape_controls;

/// How much of the child's stderr is kept for error messages.
const MAX_STDERR: usize = 4096;
/// How long a failed connection waits for ssh to finish writing its stderr.
const STDERR_GRACE: Duration = Duration::from_secs(2);
/// How often a failing connection looks again for ssh's exit status (within [`STDERR_GRACE`]).
const EXIT_POLL: Duration = Duration::from_millis(5);

/// The local `ssh` program and extra options put before the CLI's own (`-o ConnectTimeout=30`,
/// `-T`, `-l user`, `-p port`).
///
/// The default is `ssh` from `PATH` with no extra option, exactly what the Docker CLI runs. Add
/// options to use another configuration, e.g. `SshCommand::default().args(["-F", "ssh_config"])`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SshCommand {
    program: PathBuf,
    args: Vec<String>,
}

impl Default for SshCommand {
    fn default() -> Self {
        SshCommand::new("ssh")
    }
}

impl SshCommand {
    /// Runs `program` (a name looked up in `PATH`, or a path) instead of `ssh`.
    pub fn new(program: impl Into<PathBuf>) -> SshCommand {
        SshCommand { program: program.into(), args: Vec::new() }
    }

    /// Adds one option before the CLI's own.
    pub fn arg(mut self, arg: impl Into<String>) -> SshCommand {
        self.args.push(arg.into());
        self
    }

    /// Adds options before the CLI's own.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> SshCommand {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }
}

/// A parsed `ssh://` daemon address and the full argument list to reach it.
#[derive(Clone)]
pub(crate) struct SshTarget {
    program: PathBuf,
    argv: Vec<String>,
    /// `ssh://user@host:port/path` as given (there is no password: it is refused).
    shown: String,
}

impl fmt::Debug for SshTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl SshTarget {
    /// Parses `url` like the CLI's `connhelper/ssh` and builds `ssh [opts] -o ConnectTimeout=30
    /// -T [-l user] [-p port] -- host docker [--host=unix://path] system dial-stdio`.
    pub(crate) fn new(url: &str, command: &SshCommand) -> Result<SshTarget, Error> {
        let bad = |why: &str| Error::Config { message: format!("invalid ssh URL {:?}: {why}", redact_password(url)) };
        let rest = url.strip_prefix("ssh://").ok_or_else(|| bad("it must start with ssh://"))?;
        if rest.contains('?') {
            return Err(bad("query parameters are not allowed"));
        }
        if rest.contains('#') {
            return Err(bad("fragments are not allowed"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if user.is_some_and(|u| u.contains(':')) {
            return Err(bad("plain-text password is not supported"));
        }
        let (host, port) = split_ssh_host(host_port).map_err(bad)?;
        if host.is_empty() {
            return Err(bad("hostname is empty"));
        }
        if host.starts_with('-') || user.is_some_and(|u| u.starts_with('-')) {
            return Err(bad("host and user may not start with '-'"));
        }
        let mut argv = command.args.clone();
        if !argv.iter().any(|a| a.contains("ConnectTimeout")) {
            argv.extend(["-o".into(), "ConnectTimeout=30".into()]);
        }
        if !argv.iter().any(|a| a == "-T") {
            argv.push("-T".into());
        }
        if let Some(u) = user.filter(|u| !u.is_empty()) {
            argv.extend(["-l".into(), u.to_owned()]);
        }
        if let Some(p) = port {
            argv.extend(["-p".into(), p.to_string()]);
        }
        argv.extend(["--".into(), host.to_owned(), "docker".into()]);
        if !path.trim_matches('/').is_empty() {
            // The remote shell reads this word: quote it.
            argv.push(shell_quote(&format!("--host=unix://{path}")));
        }
        argv.extend(["system".into(), "dial-stdio".into()]);
        Ok(SshTarget { program: command.program.clone(), argv, shown: url.to_owned() })
    }

    /// The arguments after the program name (for tests and error messages).
    #[cfg(test)]
    pub(crate) fn argv(&self) -> &[String] {
        &self.argv
    }

    /// Starts one ssh child for one connection.
    pub(crate) fn connect(&self) -> io::Result<SshIo> {
        let mut child =
            self.spawn().map_err(|e| io::Error::other(format!("cannot run {}: {e}", self.program.display())))?;
        let (stdin, stdout, stderr) = match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => return Err(io::Error::other("ssh child has no stdio pipes")),
        };
        let kept = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let sink = kept.clone();
        tokio::spawn(async move {
            let mut stderr = stderr;
            let mut buf = [0u8; 1024];
            while let Ok(n) = stderr.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                // Keep the first MAX_STDERR bytes, read (and drop) the rest so ssh never blocks.
                let mut kept = sink.lock().unwrap_or_else(|p| p.into_inner());
                let room = MAX_STDERR.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            let _ = done_tx.send(());
        });
        Ok(SshIo {
            child,
            stdin: Some(stdin),
            stdout,
            stderr: kept,
            stderr_done: Some(done_rx),
            got_bytes: false,
            failing: None,
            exit_poll: None,
            shown: self.shown.clone(),
        })
    }
}

impl SshTarget {
    /// Starts the child.
    fn spawn(&self) -> io::Result<Child> {
        crate::spawn::spawn_retrying_busy(
            Command::new(&self.program)
                .args(&self.argv)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true),
        )
    }
}

/// `host`, `host:port` or `[v6]:port` of an ssh URL.
fn split_ssh_host(s: &str) -> Result<(&str, Option<u16>), &'static str> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, after) = rest.split_once(']').ok_or("unclosed '['")?;
        (h, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, _)) if h.contains(':') => return Err("IPv6 addresses need [brackets]"),
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| "port is not a number in 0..=65535")?),
    };
    if host.contains(['/', ' ', '@']) {
        return Err("unexpected character in host");
    }
    Ok((host, port))
}

/// `ssh://user:secret@host` → `ssh://user:***@host` (for error messages).
fn redact_password(url: &str) -> String {
    let Some(rest) = url.strip_prefix("ssh://") else { return escape_controls(url).into_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((user, _)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or("");
            format!("ssh://{name}:***@{}", escape_controls(&rest[user.len() + 1..]))
        }
        _ => escape_controls(url).into_owned(),
    }
}

/// One word for a POSIX shell.
fn shell_quote(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c)) {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A failure of the ssh child: what it printed to stderr and how it ended.
#[derive(Debug)]
pub(crate) struct SshFailed {
    pub(crate) message: String,
}

impl fmt::Display for SshFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SshFailed {}

/// `e`, or the [`SshFailed`] somewhere in its causes: hyper reports a failed read as "connection
/// error", and what ssh said is the useful part.
pub(crate) fn promote_failure(e: hyper::Error) -> crate::error::BoxError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(c) = cause {
        let found =
            c.downcast_ref::<io::Error>().and_then(|io| io.get_ref()).and_then(|i| i.downcast_ref::<SshFailed>());
        if let Some(f) = found {
            return Box::new(SshFailed { message: f.message.clone() });
        }
        cause = c.source();
    }
    Box::new(e)
}

/// The connection: the child's stdout to read, its stdin to write.
pub(crate) struct SshIo {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Option<tokio::sync::oneshot::Receiver<()>>,
    /// Whether the daemon ever sent a byte: an end before that is a connect failure.
    got_bytes: bool,
    /// Set once the child failed: waits (bounded) for its stderr before reporting.
    failing: Option<Pin<Box<tokio::time::Sleep>>>,
    /// While failing: the next look at whether ssh has exited.
    exit_poll: Option<Pin<Box<tokio::time::Sleep>>>,
    shown: String,
}

impl SshIo {
    /// Waits for ssh's stderr to end (at most [`STDERR_GRACE`]), then returns the error.
    fn poll_failure(&mut self, cx: &mut Context<'_>, what: &str) -> Poll<io::Error> {
        let sleep = self.failing.get_or_insert_with(|| Box::pin(tokio::time::sleep(STDERR_GRACE)));
        if let Some(done) = self.stderr_done.as_mut() {
            let finished = Pin::new(done).poll(cx).is_ready();
            if !finished && sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.stderr_done = None;
        }
        // ssh closes stderr a moment before it exits: within the same grace period, wait
        // for its exit status too (re-polled every few milliseconds; `Child::wait` would
        // borrow the child across polls).
        let status = match self.child.try_wait() {
            Ok(Some(s)) => format!(" ({s})"),
            Ok(None) if sleep.as_mut().poll(cx).is_pending() => {
                let retry = self.exit_poll.insert(Box::pin(tokio::time::sleep(EXIT_POLL)));
                if retry.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            _ => String::new(),
        };
        let kept = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        let text = String::from_utf8_lossy(&kept);
        let text = escape_controls(text.trim());
        let said = if text.is_empty() { String::new() } else { format!(": ssh said: {text}") };
        let message = format!("{} {what}{status}{said}", self.shown);
        Poll::Ready(io::Error::other(SshFailed { message }))
    }
}

use std::future::Future as _;

impl AsyncRead for SshIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.failing.is_some() {
            let e = ready!(this.poll_failure(cx, "closed the connection before the daemon answered"));
            return Poll::Ready(Err(e));
        }
        let before = buf.filled().len();
        match ready!(Pin::new(&mut this.stdout).poll_read(cx, buf)) {
            Ok(()) if buf.filled().len() == before && !this.got_bytes && buf.remaining() > 0 => {
                let e = ready!(this.poll_failure(cx, "closed the connection before the daemon answered"));
                Poll::Ready(Err(e))
            }
            Ok(()) => {
                this.got_bytes |= buf.filled().len() > before;
                Poll::Ready(Ok(()))
            }
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

impl AsyncWrite for SshIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let Some(stdin) = this.stdin.as_mut() else {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::BrokenPipe, "write after shutdown")));
        };
        match ready!(Pin::new(stdin).poll_write(cx, data)) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe && !this.got_bytes => {
                let e = ready!(this.poll_failure(cx, "exited before the request was sent"));
                Poll::Ready(Err(e))
            }
            r => Poll::Ready(r),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.stdin.as_mut() {
            Some(stdin) => Pin::new(stdin).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    /// Half-close: the child's stdin ends, `dial-stdio` closes the write side of its socket.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(stdin) = self.stdin.as_mut() {
            ready!(Pin::new(stdin).poll_flush(cx))?;
        }
        self.stdin = None;
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(url: &str) -> Vec<String> {
        SshTarget::new(url, &SshCommand::default()).unwrap().argv().to_vec()
    }

    #[test]
    fn arguments_like_the_cli() {
        assert_eq!(
            argv("ssh://me@example.org:2222"),
            [
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
                "system",
                "dial-stdio"
            ]
        );
        assert_eq!(
            argv("ssh://example.org"),
            ["-o", "ConnectTimeout=30", "-T", "--", "example.org", "docker", "system", "dial-stdio"]
        );
        assert_eq!(
            argv("ssh://h/run/user/1000/docker.sock")[4..],
            ["h", "docker", "--host=unix:///run/user/1000/docker.sock", "system", "dial-stdio"]
        );
        assert_eq!(argv("ssh://h/we ird")[6], "'--host=unix:///we ird'");
        assert_eq!(argv("ssh://[::1]:22")[5..7], ["--", "::1"]);
        let own = SshCommand::new("/usr/bin/ssh").args(["-F", "cfg", "-T", "-o", "ConnectTimeout=5"]);
        let t = SshTarget::new("ssh://h", &own).unwrap();
        assert_eq!(
            t.argv(),
            ["-F", "cfg", "-T", "-o", "ConnectTimeout=5", "--", "h", "docker", "system", "dial-stdio"]
        );
    }

    #[test]
    fn bad_urls_are_refused_without_the_password() {
        for bad in
            ["ssh://", "ssh://u@", "ssh://h?x=1", "ssh://h#f", "ssh://h:port", "ssh://-oProxyCommand=x", "tcp://h"]
        {
            assert!(SshTarget::new(bad, &SshCommand::default()).is_err(), "{bad}");
        }
        let e = SshTarget::new("ssh://me:hunter2@h", &SshCommand::default()).unwrap_err().to_string();
        assert!(e.contains("plain-text password") && !e.contains("hunter2"), "{e}");
    }
}

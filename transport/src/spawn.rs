//! Starting child processes (ssh for `ssh://`, `docker-credential-*` helpers).

use std::io;
use std::time::Duration;

use tokio::process::{Child, Command};

/// `cmd.spawn()`, retrying "Text file busy" briefly: a program written a moment ago (a
/// wrapper script, a test's helper) can still be open for writing in a child another thread
/// forked meanwhile. At most 20 tries, 5 ms apart.
pub(crate) fn spawn_retrying_busy(cmd: &mut Command) -> io::Result<Child> {
    const ETXTBSY: i32 = 26;
    let mut tries = 0;
    loop {
        match cmd.spawn() {
            Err(e) if cfg!(unix) && e.raw_os_error() == Some(ETXTBSY) && tries < 20 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(5));
            }
            r => return r,
        }
    }
}

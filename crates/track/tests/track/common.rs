//! Shared helpers.

use std::os::fd::BorrowedFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A unique token for names in this test process.
pub fn unique() -> String {
    format!(
        "{}{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!("vigil-track-{}", unique()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Waits until `fd` is readable or `until` passes; true when readable.
pub fn wait_readable(fd: Option<BorrowedFd<'_>>, until: Instant) -> bool {
    let now = Instant::now();
    let left = until.saturating_duration_since(now);
    match fd {
        Some(fd) => {
            let ms = left.as_millis().min(60_000) as u32;
            let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
            let t = PollTimeout::try_from(ms).unwrap();
            matches!(poll(&mut fds, t), Ok(n) if n > 0)
        }
        None => {
            std::thread::sleep(left);
            false
        }
    }
}

/// Whether we run as root (the process connector needs it).
pub fn is_root() -> bool {
    nix::unistd::Uid::effective().is_root()
}

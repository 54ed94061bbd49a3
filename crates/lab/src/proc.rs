//! Background processes started inside a lab host.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use crate::cmd::{describe, output};
use crate::LabError;

/// Process-wide counter naming captured output files.
static NEXT_PROC: AtomicU64 = AtomicU64::new(0);

/// The child shared between its [`Proc`] and the lab that kills it on drop.
pub(crate) type SharedChild = Arc<Mutex<Child>>;

/// Weak handles to every child a lab spawned, so the lab can kill survivors.
#[derive(Default, Clone)]
pub(crate) struct Registry(Arc<Mutex<Vec<Weak<Mutex<Child>>>>>);

impl Registry {
    fn add(&self, child: &SharedChild) {
        let mut list = lock(&self.0);
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(child));
    }

    /// SIGKILLs and reaps every child whose `Proc` is still alive.
    pub(crate) fn kill_all(&self) {
        for weak in lock(&self.0).drain(..) {
            if let Some(child) = weak.upgrade() {
                let mut c = lock(&child);
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

/// Locks a mutex, recovering the data from a poisoned lock (cleanup must not panic).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A background process; SIGKILLed and reaped on drop.
///
/// Standard output and error go to temporary files (so a long run never blocks
/// on a full pipe) and can be read at any time with [`Proc::stdout`] and
/// [`Proc::stderr`]. The files are removed on drop.
pub struct Proc {
    child: SharedChild,
    pid: u32,
    cmdline: String,
    stdout_path: PathBuf,
    stderr_path: PathBuf,
}

impl Proc {
    /// Starts `cmd` with stdin closed and output captured to files named after `tag`.
    pub(crate) fn start(
        mut cmd: Command,
        tag: &str,
        registry: &Registry,
    ) -> Result<Proc, LabError> {
        let n = NEXT_PROC.fetch_add(1, Ordering::Relaxed);
        let base = std::env::temp_dir().join(format!("{tag}-p{n}"));
        let stdout_path = base.with_extension("out");
        let stderr_path = base.with_extension("err");
        let create = |p: &Path| {
            File::create(p).map_err(|source| LabError::Io {
                path: p.to_owned(),
                source,
            })
        };
        let out = create(&stdout_path)?;
        let err = create(&stderr_path)?;
        cmd.stdin(Stdio::null()).stdout(out).stderr(err);
        let cmdline = describe(&cmd);
        let child = match cmd.spawn() {
            Ok(c) => c,
            Err(source) => {
                let _ = std::fs::remove_file(&stdout_path);
                let _ = std::fs::remove_file(&stderr_path);
                return Err(LabError::Spawn {
                    cmd: cmdline,
                    source,
                });
            }
        };
        let pid = child.id();
        let child = Arc::new(Mutex::new(child));
        registry.add(&child);
        Ok(Proc {
            child,
            pid,
            cmdline,
            stdout_path,
            stderr_path,
        })
    }

    /// The process id (the program itself: `ip netns exec` execs it in place).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The command line it was started with.
    pub fn cmdline(&self) -> &str {
        &self.cmdline
    }

    /// Sends signal number `sig` (e.g. 15 for SIGTERM, 1 for SIGHUP) with `kill -s`.
    ///
    /// Fails with [`LabError::Exited`] once the process has been reaped, because
    /// its pid may then belong to someone else.
    pub fn signal(&self, sig: i32) -> Result<(), LabError> {
        let mut child = lock(&self.child);
        // try_wait reaps a zombie; after that the pid is no longer ours.
        if matches!(child.try_wait(), Ok(Some(_))) {
            return Err(LabError::Exited {
                pid: self.pid,
                cmd: self.cmdline.clone(),
            });
        }
        // Holding the lock keeps the child unreaped, so the pid is still ours.
        output(
            Command::new("kill")
                .arg("-s")
                .arg(sig.to_string())
                .arg(self.pid.to_string()),
        )
        .map(drop)
    }

    /// Returns the exit status if the process has exited, without waiting.
    pub fn try_wait(&self) -> Option<ExitStatus> {
        lock(&self.child).try_wait().ok().flatten()
    }

    /// Waits up to `timeout` for the process to exit (polling every 10 ms).
    pub fn wait_timeout(&self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(st) = self.try_wait() {
                return Some(st);
            }
            let now = Instant::now();
            if now >= deadline {
                return None;
            }
            std::thread::sleep((deadline - now).min(Duration::from_millis(10)));
        }
    }

    /// Waits up to `timeout` (polling every 10 ms) until `needle` appears in
    /// stdout or stderr; false on timeout or if the process exits without it.
    pub fn wait_output(&self, needle: &str, timeout: Duration) -> bool {
        let seen = || {
            self.stdout().is_ok_and(|o| o.contains(needle))
                || self.stderr().is_ok_and(|e| e.contains(needle))
        };
        // Stop early when the process exits; look once more, as it may have
        // printed just before exiting.
        crate::wait_until(timeout, || seen() || self.try_wait().is_some()) && seen()
    }

    /// SIGKILLs the process and reaps it; returns its exit status.
    pub fn kill(&self) -> Result<ExitStatus, LabError> {
        let mut child = lock(&self.child);
        let _ = child.kill();
        child.wait().map_err(|source| LabError::Spawn {
            cmd: self.cmdline.clone(),
            source,
        })
    }

    /// Everything the process wrote to stdout so far (lossy UTF-8).
    pub fn stdout(&self) -> Result<String, LabError> {
        read_lossy(&self.stdout_path)
    }

    /// Everything the process wrote to stderr so far (lossy UTF-8).
    pub fn stderr(&self) -> Result<String, LabError> {
        read_lossy(&self.stderr_path)
    }
}

fn read_lossy(path: &Path) -> Result<String, LabError> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|source| LabError::Io {
            path: path.to_owned(),
            source,
        })
}

impl std::fmt::Debug for Proc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proc")
            .field("pid", &self.pid)
            .field("cmdline", &self.cmdline)
            .finish()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let mut child = lock(&self.child);
        let _ = child.kill();
        let _ = child.wait();
        drop(child);
        let _ = std::fs::remove_file(&self.stdout_path);
        let _ = std::fs::remove_file(&self.stderr_path);
    }
}

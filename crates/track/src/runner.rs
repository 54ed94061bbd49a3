//! Spawns script processes, kills them at their deadline and reaps them,
//! from a single-threaded poll loop.
//!
//! Each script runs in its own process group (so a kill reaches the shell
//! and whatever it started) with stdin, stdout and stderr on `/dev/null`
//! (a script that floods output can never block on a pipe). [`poll`]
//! reaps with `try_wait` and sends SIGKILL to the process group of every
//! run past its deadline; [`next_deadline`] tells the loop when to call it
//! again. [`ChildWaker`] turns SIGCHLD into a readable fd so the loop wakes
//! as soon as a script exits. No threads.
//!
//! [`poll`]: ScriptRunner::poll
//! [`next_deadline`]: ScriptRunner::next_deadline

use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal as NixSignal};
use nix::unistd::{Group, Pid, User};

use crate::TrackError;

/// How often to re-check a killed child that has not been reaped yet.
const REAP_RETRY: Duration = Duration::from_millis(5);

/// uid/gid a script runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials {
    /// User id.
    pub uid: u32,
    /// Group id.
    pub gid: u32,
}

impl Credentials {
    /// Resolves `user [group]` (keepalived: the group defaults to the
    /// user's primary group). Numeric ids are accepted.
    pub fn resolve(user: &str, group: Option<&str>) -> Result<Self, TrackError> {
        let u = match User::from_name(user) {
            Ok(Some(u)) => u,
            _ => match user.parse::<u32>() {
                Ok(uid) => match User::from_uid(uid.into()) {
                    Ok(Some(u)) => u,
                    _ => return Err(TrackError::UnknownUser(user.to_string())),
                },
                Err(_) => return Err(TrackError::UnknownUser(user.to_string())),
            },
        };
        let gid = match group {
            None => u.gid.as_raw(),
            Some(g) => match Group::from_name(g) {
                Ok(Some(g)) => g.gid.as_raw(),
                _ => g
                    .parse::<u32>()
                    .map_err(|_| TrackError::UnknownGroup(g.to_string()))?,
            },
        };
        Ok(Credentials {
            uid: u.uid.as_raw(),
            gid,
        })
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Exited with this status (0 = success).
    Exited(i32),
    /// Killed by this signal.
    Signaled(i32),
    /// The program could not be started.
    SpawnFailed,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptExit {
    /// Caller's id given to [`ScriptRunner::spawn`].
    pub id: usize,
    /// How it ended.
    pub outcome: Outcome,
    /// The runner killed it because its deadline passed.
    pub timed_out: bool,
    /// Wall time from spawn to reap.
    pub runtime: Duration,
}

/// Counters of a runner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunnerStats {
    /// Processes started.
    pub spawned: u64,
    /// Spawn attempts that failed.
    pub spawn_failures: u64,
    /// Spawn requests for an id that was still running (refused).
    pub busy: u64,
    /// Runs that exited 0.
    pub exited_ok: u64,
    /// Runs that exited non-zero.
    pub exited_fail: u64,
    /// Runs that died by a signal (including our kills).
    pub signaled: u64,
    /// Runs killed because their deadline passed.
    pub timeouts: u64,
    /// SIGKILLs sent (deadline or [`ScriptRunner::kill`]).
    pub kills: u64,
}

#[derive(Debug)]
struct Running {
    id: usize,
    child: Child,
    started: Instant,
    deadline: Option<Instant>,
    /// When we sent SIGKILL, if we did.
    killed_at: Option<Instant>,
    timed_out: bool,
}

/// Runs scripts as child processes.
#[derive(Debug, Default)]
pub struct ScriptRunner {
    running: Vec<Running>,
    done: Vec<ScriptExit>,
    stats: RunnerStats,
}

impl ScriptRunner {
    /// An empty runner.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts `argv` for `id`; it will be killed at `deadline`. Returns
    /// false when it could not start: a [`Outcome::SpawnFailed`] exit is
    /// then queued for the next [`poll`](Self::poll), so the caller sees
    /// every request end exactly once. A request for an `id` that is still
    /// running is refused (counted in `busy`, no exit queued).
    pub fn spawn(
        &mut self,
        now: Instant,
        id: usize,
        argv: &[String],
        creds: Option<Credentials>,
        deadline: Option<Instant>,
    ) -> bool {
        if self.running.iter().any(|r| r.id == id) {
            self.stats.busy += 1;
            return false;
        }
        let Some(program) = argv.first() else {
            self.fail_spawn(id);
            return false;
        };
        let mut cmd = Command::new(program);
        cmd.args(&argv[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        if let Some(c) = creds {
            cmd.uid(c.uid).gid(c.gid);
        }
        match cmd.spawn() {
            Ok(child) => {
                self.stats.spawned += 1;
                self.running.push(Running {
                    id,
                    child,
                    started: now,
                    deadline,
                    killed_at: None,
                    timed_out: false,
                });
                true
            }
            Err(_) => {
                self.fail_spawn(id);
                false
            }
        }
    }

    fn fail_spawn(&mut self, id: usize) {
        self.stats.spawn_failures += 1;
        self.done.push(ScriptExit {
            id,
            outcome: Outcome::SpawnFailed,
            timed_out: false,
            runtime: Duration::ZERO,
        });
    }

    /// Sends SIGKILL to the process group of `id`'s run. Returns whether a
    /// run was found that had not been killed yet.
    pub fn kill(&mut self, now: Instant, id: usize) -> bool {
        let Some(r) = self.running.iter_mut().find(|r| r.id == id) else {
            return false;
        };
        if r.killed_at.is_some() {
            return false;
        }
        Self::kill_group(r, now, &mut self.stats);
        true
    }

    fn kill_group(r: &mut Running, now: Instant, stats: &mut RunnerStats) {
        let pid = Pid::from_raw(r.child.id() as i32);
        // The child leads its own group (process_group(0)); kill the whole
        // group so a shell's children die too. Fall back to the child alone.
        if killpg(pid, NixSignal::SIGKILL).is_err() {
            let _ = r.child.kill();
        }
        r.killed_at = Some(now);
        stats.kills += 1;
    }

    /// Reaps finished runs and kills overdue ones; returns the runs that
    /// ended since the last call (including queued spawn failures).
    pub fn poll(&mut self, now: Instant) -> Vec<ScriptExit> {
        let mut out = std::mem::take(&mut self.done);
        let stats = &mut self.stats;
        self.running.retain_mut(|r| {
            match r.child.try_wait() {
                Ok(Some(status)) => {
                    let outcome = match (status.code(), status.signal()) {
                        (Some(c), _) => {
                            if c == 0 {
                                stats.exited_ok += 1;
                            } else {
                                stats.exited_fail += 1;
                            }
                            Outcome::Exited(c)
                        }
                        (None, Some(s)) => {
                            stats.signaled += 1;
                            Outcome::Signaled(s)
                        }
                        (None, None) => Outcome::Signaled(0),
                    };
                    out.push(ScriptExit {
                        id: r.id,
                        outcome,
                        timed_out: r.timed_out,
                        runtime: now.saturating_duration_since(r.started),
                    });
                    return false;
                }
                Ok(None) => {}
                Err(_) => {
                    // Not our child any more (someone else reaped it):
                    // report it as killed rather than waiting forever.
                    stats.signaled += 1;
                    out.push(ScriptExit {
                        id: r.id,
                        outcome: Outcome::Signaled(0),
                        timed_out: r.timed_out,
                        runtime: now.saturating_duration_since(r.started),
                    });
                    return false;
                }
            }
            if r.killed_at.is_none() && r.deadline.is_some_and(|d| now >= d) {
                r.timed_out = true;
                stats.timeouts += 1;
                Self::kill_group(r, now, stats);
            }
            true
        });
        out
    }

    /// When [`poll`](Self::poll) must run next regardless of SIGCHLD: the
    /// earliest deadline, or shortly after a kill to reap the victim.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.running
            .iter()
            .filter_map(|r| match r.killed_at {
                Some(at) => Some(at + REAP_RETRY),
                None => r.deadline,
            })
            .min()
    }

    /// Runs in progress.
    pub fn running(&self) -> usize {
        self.running.len()
    }

    /// Whether `id` has a run in progress.
    pub fn is_running(&self, id: usize) -> bool {
        self.running.iter().any(|r| r.id == id)
    }

    /// Counters.
    pub fn stats(&self) -> RunnerStats {
        self.stats
    }
}

impl Drop for ScriptRunner {
    fn drop(&mut self) {
        for r in &mut self.running {
            let _ = killpg(Pid::from_raw(r.child.id() as i32), NixSignal::SIGKILL);
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }
}

/// A readable fd that becomes ready when SIGCHLD arrives (self-pipe through
/// signal-hook; other SIGCHLD handlers keep working).
#[derive(Debug)]
pub struct ChildWaker {
    read: UnixStream,
    id: signal_hook::SigId,
}

impl ChildWaker {
    /// Registers the SIGCHLD handler.
    pub fn new() -> Result<Self, TrackError> {
        let (read, write) = UnixStream::pair()?;
        read.set_nonblocking(true)?;
        write.set_nonblocking(true)?;
        let id = signal_hook::low_level::pipe::register(signal_hook::consts::SIGCHLD, write)?;
        Ok(ChildWaker { read, id })
    }

    /// Empties the pipe (call after it polled readable, before reaping).
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        while let Ok(n) = (&self.read).read(&mut buf) {
            if n == 0 {
                break;
            }
        }
    }
}

impl AsFd for ChildWaker {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.read.as_fd()
    }
}

impl Drop for ChildWaker {
    fn drop(&mut self) {
        signal_hook::low_level::unregister(self.id);
    }
}

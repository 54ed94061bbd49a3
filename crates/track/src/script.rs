//! Sans-IO state machine of one `vrrp_script`.
//!
//! Timing (keepalived vrrp_scheduler.c): the first run starts at once; runs
//! start every `interval`, start to start; a run still going when the next is
//! due makes that run skipped (counted). A run that outlives `timeout`
//! (default: the interval) is killed and counts as a failure, as does a run
//! that exits non-zero, dies by a signal, or cannot be spawned.
//!
//! Result counting (keepalived's `result` counter, 0..rise+fall-1):
//! - at start `result = rise - 1` (unknown: the first run decides), or 0 with
//!   `init_fail` (failed until `rise` successes);
//! - a success below `rise - 1` increments; otherwise the script is good and
//!   `result` jumps to `rise + fall - 1`;
//! - a failure above `rise` decrements; otherwise the script is bad and
//!   `result` drops to 0.
//!
//! So a good script needs `fall` consecutive failures to go bad, and a bad
//! one `rise` consecutive successes to go good.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::runner::{Outcome, ScriptExit};
use crate::spec::ScriptSpec;

/// Status of a script as the priority core sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptStatus {
    /// No run has finished yet (and no `init_fail`).
    Init,
    /// Good (`result >= rise`).
    Good,
    /// Bad.
    Bad,
}

impl ScriptStatus {
    /// As a [`crate::Signal`] for [`crate::effective_priority`].
    pub fn signal(self) -> crate::Signal {
        match self {
            ScriptStatus::Init => crate::Signal::Init,
            ScriptStatus::Good => crate::Signal::Up,
            ScriptStatus::Bad => crate::Signal::Down,
        }
    }
}

/// What the driver must do for this script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptCommand {
    /// Start the script now; kill it if still running at `deadline`.
    Run {
        /// When the run times out.
        deadline: Instant,
    },
    /// The running script timed out: kill it (its process group).
    Kill,
}

/// Counters of one script.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptCounters {
    /// Runs started.
    pub runs: u64,
    /// Runs that succeeded.
    pub successes: u64,
    /// Runs that failed (non-zero exit, signal, spawn failure, timeout).
    pub failures: u64,
    /// Runs that timed out.
    pub timeouts: u64,
    /// Runs skipped because the previous one was still going.
    pub skipped: u64,
}

/// One `vrrp_script`'s state machine.
#[derive(Debug, Clone)]
pub struct ScriptTracker {
    name: String,
    rise: u32,
    fall: u32,
    interval: Duration,
    timeout: Duration,
    /// keepalived's `result` counter.
    result: u32,
    /// `Init` until the first run finished, unless `init_fail`.
    status: ScriptStatus,
    next_run: Instant,
    /// Deadline of the current run, `None` when idle.
    running: Option<Instant>,
    kill_sent: bool,
    commands: VecDeque<ScriptCommand>,
    counters: ScriptCounters,
}

impl ScriptTracker {
    /// A tracker whose first run is due at `now`. `rise`/`fall` below 1 are
    /// taken as 1 (use [`ScriptSpec::validate`] to reject them).
    pub fn new(spec: &ScriptSpec, now: Instant) -> Self {
        let rise = spec.rise.max(1);
        let fall = spec.fall.max(1);
        let (result, status) = if spec.init_fail {
            (0, ScriptStatus::Bad)
        } else {
            (rise - 1, ScriptStatus::Init)
        };
        ScriptTracker {
            name: spec.name.clone(),
            rise,
            fall,
            interval: spec.interval.max(Duration::from_millis(1)),
            timeout: spec.effective_timeout(),
            result,
            status,
            next_run: now,
            running: None,
            kill_sent: false,
            commands: VecDeque::new(),
            counters: ScriptCounters::default(),
        }
    }

    /// Name of the script.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Current status.
    pub fn status(&self) -> ScriptStatus {
        self.status
    }

    /// Whether a run is in progress.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Counters.
    pub fn counters(&self) -> ScriptCounters {
        self.counters
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.running {
            Some(deadline) if !self.kill_sent => Some(deadline.min(self.next_run)),
            _ => Some(self.next_run),
        }
    }

    /// Advances timers: starts due runs, kills overdue ones.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(deadline) = self.running {
            if !self.kill_sent && now >= deadline {
                self.kill_sent = true;
                self.commands.push_back(ScriptCommand::Kill);
            }
        }
        if now >= self.next_run {
            if self.running.is_some() {
                // keepalived: "Track script %s is already running, expect idle - skipping run"
                self.counters.skipped += 1;
            } else {
                let deadline = now + self.timeout;
                self.running = Some(deadline);
                self.kill_sent = false;
                self.counters.runs += 1;
                self.commands.push_back(ScriptCommand::Run { deadline });
            }
            self.next_run += self.interval;
            if self.next_run <= now {
                // Fell behind (the loop stalled): do not fire a burst.
                self.next_run = now + self.interval;
            }
        }
    }

    /// Next command for the driver.
    pub fn poll_command(&mut self) -> Option<ScriptCommand> {
        self.commands.pop_front()
    }

    /// The run finished as the runner reported. Returns the new status when
    /// it changed.
    pub fn on_exit(&mut self, _now: Instant, exit: &ScriptExit) -> Option<ScriptStatus> {
        let timed_out = self.kill_sent || exit.timed_out;
        self.running = None;
        self.kill_sent = false;
        let success = !timed_out && exit.outcome == Outcome::Exited(0);
        if timed_out {
            self.counters.timeouts += 1;
        }
        self.record(success)
    }

    /// Feeds one result (success or failure) into the rise/fall counter.
    /// Returns the new status when it changed.
    pub fn record(&mut self, success: bool) -> Option<ScriptStatus> {
        let old = self.status;
        let top = self.rise + self.fall - 1;
        if success {
            self.counters.successes += 1;
            if self.result < self.rise - 1 {
                self.result += 1;
            } else {
                self.result = top;
                self.status = ScriptStatus::Good;
            }
        } else {
            self.counters.failures += 1;
            if self.result > self.rise {
                self.result -= 1;
            } else {
                self.result = 0;
                self.status = ScriptStatus::Bad;
            }
        }
        (self.status != old).then_some(self.status)
    }
}

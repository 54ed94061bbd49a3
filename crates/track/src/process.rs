//! Sans-IO core of `vrrp_track_process` (keepalived track_process.c):
//! which processes match each tracker, how many there are, whether the
//! quorum holds, and the fork/terminate delays. Process events come in with
//! `now`; quorum changes come out.
//!
//! Matching: without parameters or `full_command`, the process name
//! (`/proc/PID/comm`) must equal `process` exactly (like `pgrep '^NAME$'`).
//! With `full_command` or parameters, argv\[0\] of `/proc/PID/cmdline` must
//! equal it, and parameters are compared as keepalived does (exact, partial:
//! the first N equal, initial: the last configured one may be a prefix).
//!
//! Quorum: up when `quorum <= count <= quorum_max`. A change caused by a
//! fork waits `fork_delay`, one caused by an exit waits `terminate_delay`
//! (if the count comes back meanwhile, nothing is reported); exec and name
//! changes apply at once. A pid counts once per tracker.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::spec::{ParamMatch, ProcessSpec};

/// What is known of a process: its name and (when needed) its command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcInfo {
    /// `/proc/PID/comm` without the newline.
    pub comm: Vec<u8>,
    /// `/proc/PID/cmdline` (NUL-terminated arguments), if read.
    pub cmdline: Option<Vec<u8>>,
}

/// A tracker's quorum state changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessChange {
    /// Index of the tracker in the specs given to [`ProcessCore::new`].
    pub index: usize,
    /// Quorum now present.
    pub up: bool,
    /// Matching processes now.
    pub count: u32,
}

/// What caused a count change (selects the delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    Fork,
    Exit,
    Immediate,
}

#[derive(Debug)]
struct Tracker {
    name: Vec<u8>,
    /// NUL-terminated configured parameters.
    params: Option<Vec<u8>>,
    param_match: Option<ParamMatch>,
    use_cmdline: bool,
    quorum: u32,
    quorum_max: u32,
    fork_delay: Duration,
    terminate_delay: Duration,
    count: u32,
    up: bool,
    /// Pending delayed re-evaluation and the cause that armed it.
    timer: Option<(Instant, Cause)>,
}

impl Tracker {
    fn from_spec(s: &ProcessSpec) -> Self {
        let params = s.params.as_ref().map(|ps| {
            let mut b = Vec::new();
            for p in ps {
                b.extend_from_slice(p.as_bytes());
                b.push(0);
            }
            b
        });
        Tracker {
            name: s.process.as_bytes().to_vec(),
            params,
            param_match: s.effective_match(),
            use_cmdline: s.uses_cmdline(),
            quorum: s.quorum,
            quorum_max: s.quorum_max,
            fork_delay: s.fork_delay,
            terminate_delay: s.terminate_delay,
            count: 0,
            up: false,
            timer: None,
        }
    }

    fn desired(&self) -> bool {
        self.count >= self.quorum && self.count <= self.quorum_max
    }

    fn matches(&self, info: &ProcInfo) -> bool {
        if !self.use_cmdline {
            return info.comm == self.name;
        }
        let Some(cmdline) = info.cmdline.as_deref() else {
            return false;
        };
        let (argv0, rest) = match cmdline.iter().position(|&b| b == 0) {
            Some(i) => (&cmdline[..i], &cmdline[i + 1..]),
            None => (cmdline, &[][..]),
        };
        if argv0 != self.name.as_slice() {
            return false;
        }
        match self.param_match {
            None => true,
            Some(m) => check_params(m, self.params.as_deref(), rest),
        }
    }
}

/// keepalived's parameter comparison; `params` and `actual` are
/// NUL-terminated argument lists.
fn check_params(m: ParamMatch, params: Option<&[u8]>, actual: &[u8]) -> bool {
    let want = params.unwrap_or(&[]);
    match m {
        ParamMatch::Exact => actual == want,
        _ if actual.len() < want.len() => false,
        _ if params.is_none() => true,
        ParamMatch::Partial => actual.starts_with(want),
        ParamMatch::Initial => want.len() <= 1 || actual.starts_with(&want[..want.len() - 1]),
    }
}

/// Counters of the core.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessStats {
    /// Events handled (fork, exec, comm, exit).
    pub events: u64,
    /// Quorum changes reported.
    pub changes: u64,
}

/// State of every `vrrp_track_process`.
#[derive(Debug)]
pub struct ProcessCore {
    trackers: Vec<Tracker>,
    /// pid -> trackers counting it.
    pids: HashMap<i32, Vec<usize>>,
    changes: VecDeque<ProcessChange>,
    stats: ProcessStats,
}

impl ProcessCore {
    /// A core for `specs` with no process counted yet (all down).
    pub fn new(specs: &[ProcessSpec]) -> Self {
        ProcessCore {
            trackers: specs.iter().map(Tracker::from_spec).collect(),
            pids: HashMap::new(),
            changes: VecDeque::new(),
            stats: ProcessStats::default(),
        }
    }

    /// Whether any tracker matches on the command line (so `/proc/PID/cmdline`
    /// must be read).
    pub fn needs_cmdline(&self) -> bool {
        self.trackers.iter().any(|t| t.use_cmdline)
    }

    /// Quorum state of tracker `index` as reported.
    pub fn is_up(&self, index: usize) -> bool {
        self.trackers.get(index).is_some_and(|t| t.up)
    }

    /// Matching processes of tracker `index`.
    pub fn count(&self, index: usize) -> u32 {
        self.trackers.get(index).map_or(0, |t| t.count)
    }

    /// Counters.
    pub fn stats(&self) -> ProcessStats {
        self.stats
    }

    /// Replaces all counts by a full scan. With `initial`, states are set
    /// without delay and no change is reported; otherwise (a resync after
    /// lost events) changes are reported like an exec (up at once) or an
    /// exit (down after `terminate_delay`).
    pub fn reset<'a>(
        &mut self,
        now: Instant,
        procs: impl IntoIterator<Item = (i32, &'a ProcInfo)>,
        initial: bool,
    ) {
        self.pids.clear();
        let old: Vec<u32> = self.trackers.iter().map(|t| t.count).collect();
        for t in &mut self.trackers {
            t.count = 0;
        }
        for (pid, info) in procs {
            for (i, t) in self.trackers.iter_mut().enumerate() {
                if t.matches(info) {
                    t.count += 1;
                    self.pids.entry(pid).or_default().push(i);
                }
            }
        }
        for (i, old_count) in old.into_iter().enumerate() {
            if initial {
                let t = &mut self.trackers[i];
                t.up = t.desired();
                t.timer = None;
            } else if old_count != self.trackers[i].count {
                let cause = if self.trackers[i].desired() {
                    Cause::Immediate
                } else {
                    Cause::Exit
                };
                self.reevaluate(now, i, cause);
            }
        }
    }

    /// A process forked: the child inherits the parent's matches.
    pub fn on_fork(&mut self, now: Instant, parent: i32, child: i32) {
        self.stats.events += 1;
        let Some(list) = self.pids.get(&parent).cloned() else {
            return;
        };
        for i in list {
            self.add(now, child, i, Cause::Fork);
        }
    }

    /// A process exec'd (or was found by a scan): match it afresh. `info`
    /// is `None` when it could not be read (it is gone).
    pub fn on_exec(&mut self, now: Instant, pid: i32, info: Option<&ProcInfo>) {
        self.stats.events += 1;
        for i in 0..self.trackers.len() {
            if info.is_some_and(|inf| self.trackers[i].matches(inf)) {
                self.add(now, pid, i, Cause::Immediate);
            } else {
                self.remove(now, pid, i, Cause::Immediate);
            }
        }
    }

    /// A process changed its name (`PR_SET_NAME`): name-matched trackers are
    /// re-evaluated, command-line ones are not (keepalived ignores them too).
    pub fn on_comm(&mut self, now: Instant, pid: i32, comm: &[u8]) {
        self.stats.events += 1;
        let info = ProcInfo {
            comm: comm.to_vec(),
            cmdline: None,
        };
        for i in 0..self.trackers.len() {
            if self.trackers[i].use_cmdline {
                continue;
            }
            if self.trackers[i].matches(&info) {
                self.add(now, pid, i, Cause::Immediate);
            } else {
                self.remove(now, pid, i, Cause::Immediate);
            }
        }
    }

    /// A process exited.
    pub fn on_exit(&mut self, now: Instant, pid: i32) {
        self.stats.events += 1;
        let Some(list) = self.pids.remove(&pid) else {
            return;
        };
        for i in list {
            let t = &mut self.trackers[i];
            t.count = t.count.saturating_sub(1);
            self.reevaluate(now, i, Cause::Exit);
        }
    }

    fn add(&mut self, now: Instant, pid: i32, i: usize, cause: Cause) {
        let list = self.pids.entry(pid).or_default();
        if list.contains(&i) {
            return;
        }
        list.push(i);
        self.trackers[i].count += 1;
        self.reevaluate(now, i, cause);
    }

    fn remove(&mut self, now: Instant, pid: i32, i: usize, cause: Cause) {
        let Some(list) = self.pids.get_mut(&pid) else {
            return;
        };
        let Some(pos) = list.iter().position(|&x| x == i) else {
            return;
        };
        list.swap_remove(pos);
        if list.is_empty() {
            self.pids.remove(&pid);
        }
        let t = &mut self.trackers[i];
        t.count = t.count.saturating_sub(1);
        self.reevaluate(now, i, cause);
    }

    /// The one place where a tracker's reported state changes.
    fn reevaluate(&mut self, now: Instant, i: usize, cause: Cause) {
        let t = &mut self.trackers[i];
        let desired = t.desired();
        if desired == t.up {
            // Back where we were before any pending delay: nothing happened.
            t.timer = None;
            return;
        }
        let delay = match cause {
            Cause::Fork => t.fork_delay,
            Cause::Exit => t.terminate_delay,
            Cause::Immediate => Duration::ZERO,
        };
        match t.timer {
            Some((_, armed)) if armed == cause => {} // keep the running delay
            Some(_) => {
                // A delay of the other kind was pending: settle now.
                t.timer = None;
                self.set_up(i, desired);
            }
            None if !delay.is_zero() => t.timer = Some((now + delay, cause)),
            None => self.set_up(i, desired),
        }
    }

    fn set_up(&mut self, i: usize, up: bool) {
        let t = &mut self.trackers[i];
        if t.up == up {
            return;
        }
        t.up = up;
        self.stats.changes += 1;
        self.changes.push_back(ProcessChange {
            index: i,
            up,
            count: t.count,
        });
    }

    /// Earliest pending delay.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.trackers
            .iter()
            .filter_map(|t| t.timer.map(|(at, _)| at))
            .min()
    }

    /// Applies delays that expired.
    pub fn handle_timeout(&mut self, now: Instant) {
        for i in 0..self.trackers.len() {
            if let Some((at, _)) = self.trackers[i].timer {
                if now >= at {
                    self.trackers[i].timer = None;
                    let desired = self.trackers[i].desired();
                    self.set_up(i, desired);
                }
            }
        }
    }

    /// Next quorum change.
    pub fn poll_change(&mut self) -> Option<ProcessChange> {
        self.changes.pop_front()
    }
}

//! Drives [`ProcessCore`] from the kernel: the process events connector
//! when available (root, CONFIG_PROC_EVENTS, initial namespaces), else a
//! periodic `/proc` scan. Subscribes before the initial scan so no event in
//! between is lost; an overrun (ENOBUFS) triggers a rescan.

use std::collections::HashMap;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cn_proc::{ConnectorStats, ProcConnector, ProcEvent, RecvStatus};
use crate::process::{ProcInfo, ProcessChange, ProcessCore};
use crate::procfs;
use crate::spec::ProcessSpec;
use crate::TrackError;

/// How the monitor learns about processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorMode {
    /// Event-driven through the process events connector.
    Connector,
    /// Periodic `/proc` scans (connector unavailable).
    Scan(Duration),
}

#[derive(Debug)]
enum Source {
    Connector(ProcConnector),
    Scan {
        interval: Duration,
        next: Instant,
        known: HashMap<i32, ProcInfo>,
    },
}

/// `track_process` monitor: an fd to poll, timers, quorum changes out.
#[derive(Debug)]
pub struct ProcessMonitor {
    core: ProcessCore,
    source: Source,
    proc_root: PathBuf,
    cmdline: bool,
    events: Vec<ProcEvent>,
    /// Why the connector is not used, when it is not.
    fallback_reason: Option<String>,
}

impl ProcessMonitor {
    /// Opens the connector (falling back to scans every `scan_interval`
    /// when it cannot be opened) and does the initial `/proc` scan.
    pub fn new(
        specs: &[ProcessSpec],
        now: Instant,
        scan_interval: Duration,
    ) -> Result<Self, TrackError> {
        match ProcConnector::open() {
            Ok(c) => Self::build(specs, now, Source::Connector(c), None),
            Err(e) => Self::with_scan(specs, now, scan_interval, Some(e.to_string())),
        }
    }

    /// A monitor that only scans `/proc` every `interval`.
    pub fn scanning(
        specs: &[ProcessSpec],
        now: Instant,
        interval: Duration,
    ) -> Result<Self, TrackError> {
        Self::with_scan(specs, now, interval, None)
    }

    fn with_scan(
        specs: &[ProcessSpec],
        now: Instant,
        interval: Duration,
        reason: Option<String>,
    ) -> Result<Self, TrackError> {
        let interval = interval.max(Duration::from_millis(10));
        let source = Source::Scan {
            interval,
            next: now + interval,
            known: HashMap::new(),
        };
        Self::build(specs, now, source, reason)
    }

    fn build(
        specs: &[ProcessSpec],
        now: Instant,
        source: Source,
        fallback_reason: Option<String>,
    ) -> Result<Self, TrackError> {
        for s in specs {
            s.validate()?;
        }
        let core = ProcessCore::new(specs);
        let cmdline = core.needs_cmdline();
        let mut m = ProcessMonitor {
            core,
            source,
            proc_root: PathBuf::from("/proc"),
            cmdline,
            events: Vec::new(),
            fallback_reason,
        };
        m.rescan(now, true);
        Ok(m)
    }

    /// Connector or scanning.
    pub fn mode(&self) -> MonitorMode {
        match &self.source {
            Source::Connector(_) => MonitorMode::Connector,
            Source::Scan { interval, .. } => MonitorMode::Scan(*interval),
        }
    }

    /// Why the connector could not be used (for the daemon's log).
    pub fn fallback_reason(&self) -> Option<&str> {
        self.fallback_reason.as_deref()
    }

    /// Connector counters (zero when scanning).
    pub fn connector_stats(&self) -> ConnectorStats {
        match &self.source {
            Source::Connector(c) => c.stats(),
            Source::Scan { .. } => ConnectorStats::default(),
        }
    }

    /// The core (for `is_up`/`count`).
    pub fn core(&self) -> &ProcessCore {
        &self.core
    }

    /// The fd to poll for readability (connector mode only).
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        match &self.source {
            Source::Connector(c) => Some(c.as_fd()),
            Source::Scan { .. } => None,
        }
    }

    fn rescan(&mut self, now: Instant, initial: bool) {
        let procs = procfs::scan(&self.proc_root, self.cmdline);
        self.core
            .reset(now, procs.iter().map(|(pid, info)| (*pid, info)), initial);
        if let Source::Scan { known, .. } = &mut self.source {
            *known = procs.into_iter().collect();
        }
    }

    /// Reads pending connector events (call when the fd is readable).
    pub fn handle_readable(&mut self, now: Instant) -> Result<(), TrackError> {
        let Source::Connector(c) = &mut self.source else {
            return Ok(());
        };
        self.events.clear();
        let status = c.recv(&mut self.events).map_err(TrackError::Connector)?;
        let events = std::mem::take(&mut self.events);
        for ev in &events {
            match *ev {
                ProcEvent::Fork {
                    parent_tgid,
                    child_pid,
                    child_tgid,
                } if child_pid == child_tgid => self.core.on_fork(now, parent_tgid, child_tgid),
                ProcEvent::Exec { pid, tgid } if pid == tgid => {
                    let info = procfs::read_proc(&self.proc_root, tgid, self.cmdline);
                    self.core.on_exec(now, tgid, info.as_ref());
                }
                ProcEvent::Comm { pid, tgid, comm } if pid == tgid => {
                    self.core.on_comm(now, tgid, ProcEvent::comm_name(&comm));
                }
                ProcEvent::Exit { pid, tgid } if pid == tgid => self.core.on_exit(now, tgid),
                _ => {}
            }
        }
        self.events = events;
        if status == RecvStatus::Overrun {
            self.rescan(now, false);
        }
        Ok(())
    }

    /// Earliest timer: a pending delay or the next scan.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let scan = match &self.source {
            Source::Scan { next, .. } => Some(*next),
            Source::Connector(_) => None,
        };
        [self.core.poll_timeout(), scan].into_iter().flatten().min()
    }

    /// Runs expired delays and, when scanning, a due scan.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.core.handle_timeout(now);
        let due = matches!(&self.source, Source::Scan { next, .. } if now >= *next);
        if due {
            let procs: HashMap<i32, ProcInfo> = procfs::scan(&self.proc_root, self.cmdline)
                .into_iter()
                .collect();
            if let Source::Scan {
                interval,
                next,
                known,
            } = &mut self.source
            {
                for pid in known.keys() {
                    if !procs.contains_key(pid) {
                        self.core.on_exit(now, *pid);
                    }
                }
                for (pid, info) in &procs {
                    if known.get(pid) != Some(info) {
                        self.core.on_exec(now, *pid, Some(info));
                    }
                }
                *known = procs;
                *next = now + *interval;
            }
        }
    }

    /// Next quorum change.
    pub fn poll_change(&mut self) -> Option<ProcessChange> {
        self.core.poll_change()
    }
}

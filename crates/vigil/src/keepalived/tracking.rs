//! Tracking in the daemon: keepalived's `vrrp_script`/`track_script`, `track_file`,
//! `track_process` and `track_interface`, turned into each instance's effective priority
//! or FAULT by the `vigil-track` crate. This module builds the trackers from the typed
//! configuration, drives them from the event loop (fds and a deadline), and answers
//! "what does tracking say about instance X" with keepalived's arithmetic.

use std::collections::HashMap;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

use tracing::{debug, info, warn};
use vigil_kaconf::config::{TrackInterface, TrackRef};
use vigil_kaconf::Config;
use vigil_track::{
    effective_priority, ChildWaker, Credentials, Effect, FileSpec, FileWatcher, InitFile, Input,
    InterfaceTable, InterfaceUse, ParamMatch, ProcessMonitor, ProcessSpec, ScriptCommand,
    ScriptSpec, ScriptTracker,
};

/// How often `/proc` is scanned when the process connector is not available.
const PROC_SCAN_INTERVAL: Duration = Duration::from_secs(1);

/// One tracker an instance uses, with the weight and direction in force for it.
#[derive(Debug, Clone, PartialEq)]
enum Use {
    Script {
        index: usize,
        weight: i32,
        reverse: bool,
    },
    File {
        index: usize,
        weight: i32,
        reverse: bool,
    },
    Process {
        index: usize,
        weight: i32,
        reverse: bool,
    },
    Interface(InterfaceUse),
}

struct Script {
    spec: ScriptSpec,
    tracker: ScriptTracker,
    creds: Option<Credentials>,
}

/// Every tracker of a configuration, and which instance uses which.
pub struct Tracking {
    waker: Option<ChildWaker>,
    runner: vigil_track::ScriptRunner,
    scripts: Vec<Script>,
    files: Option<FileWatcher>,
    procs: Option<ProcessMonitor>,
    ifaces: InterfaceTable,
    uses: HashMap<String, Vec<Use>>,
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

impl Tracking {
    /// Builds the trackers that the instances of `cfg` use. Problems (unknown users, a
    /// watch that cannot be set up) are logged; the tracker concerned is left out.
    pub fn build(cfg: &Config, now: Instant) -> Tracking {
        let mut t = Tracking {
            waker: None,
            runner: vigil_track::ScriptRunner::new(),
            scripts: Vec::new(),
            files: None,
            procs: None,
            ifaces: InterfaceTable::new(),
            uses: HashMap::new(),
        };
        let script_index: HashMap<&str, usize> = cfg
            .vrrp_scripts
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let file_index: HashMap<&str, usize> = cfg
            .track_files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.as_str(), i))
            .collect();
        let proc_index: HashMap<&str, usize> = cfg
            .track_processes
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();

        for s in &cfg.vrrp_scripts {
            let mut spec = ScriptSpec::new(&s.name, s.script.argv.clone());
            spec.interval = secs(s.interval);
            spec.timeout = s.timeout.map(secs);
            spec.weight = s.weight;
            spec.weight_reverse = s.reverse;
            spec.rise = s.rise.max(1);
            spec.fall = s.fall.max(1);
            spec.init_fail = s.init_fail;
            spec.user = s.user.clone().or_else(|| cfg.global.script_user.clone());
            let creds = match &spec.user {
                Some((u, g)) => match Credentials::resolve(u, g.as_deref()) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        warn!(
                            "vrrp_script {}: {e}; running it as the daemon's user",
                            s.name
                        );
                        None
                    }
                },
                None => None,
            };
            let tracker = ScriptTracker::new(&spec, now);
            t.scripts.push(Script {
                spec,
                tracker,
                creds,
            });
        }

        let file_specs: Vec<FileSpec> = cfg
            .track_files
            .iter()
            .map(|f| {
                let mut spec = FileSpec::new(&f.name, &f.path);
                spec.weight = f.weight;
                spec.weight_reverse = f.reverse;
                spec.init_file = f.init_file.as_ref().map(|i| InitFile {
                    value: i.value,
                    overwrite: i.overwrite,
                });
                spec
            })
            .collect();
        if !file_specs.is_empty() {
            match FileWatcher::new(&file_specs) {
                Ok(w) => t.files = Some(w),
                Err(e) => warn!("track_file: {e}"),
            }
        }

        let proc_specs: Vec<ProcessSpec> = cfg
            .track_processes
            .iter()
            .map(|p| {
                let mut words = p.process.iter();
                let mut spec = ProcessSpec::new(&p.name, words.next().cloned().unwrap_or_default());
                let params: Vec<String> = words.cloned().collect();
                if !params.is_empty() {
                    spec.params = Some(params);
                }
                spec.param_match = p.param_match.map(|m| match m {
                    vigil_kaconf::config::ParamMatch::Exact => ParamMatch::Exact,
                    vigil_kaconf::config::ParamMatch::Initial => ParamMatch::Initial,
                    vigil_kaconf::config::ParamMatch::Partial => ParamMatch::Partial,
                });
                spec.weight = p.weight;
                spec.weight_reverse = p.reverse;
                spec.quorum = p.quorum.max(1);
                spec.quorum_max = p.quorum_max.unwrap_or(u32::MAX);
                spec.fork_delay = p.fork_delay.map(secs).unwrap_or_default();
                spec.terminate_delay = p.terminate_delay.map(secs).unwrap_or_default();
                spec.full_command = p.full_command;
                spec
            })
            .collect();
        if !proc_specs.is_empty() {
            match ProcessMonitor::new(&proc_specs, now, PROC_SCAN_INTERVAL) {
                Ok(m) => {
                    if let Some(why) = m.fallback_reason() {
                        info!(
                            "track_process: process connector unavailable ({why}); scanning /proc"
                        );
                    }
                    t.procs = Some(m);
                }
                Err(e) => warn!("track_process: {e}"),
            }
        }

        let resolve =
            |r: &TrackRef, index: &HashMap<&str, usize>| index.get(r.name.as_str()).copied();
        // Instances by name, and sync groups under their own key (their trackers fault
        // the whole group).
        let owners = cfg
            .vrrp_instances
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    &i.track_script,
                    &i.track_file,
                    &i.track_process,
                    &i.track_interface,
                )
            })
            .chain(cfg.sync_groups.iter().map(|g| {
                (
                    super::groups::group_tracking_key(&g.name),
                    &g.track_script,
                    &g.track_file,
                    &g.track_process,
                    &g.track_interface,
                )
            }));
        for (owner, track_script, track_file, track_process, track_interface) in owners {
            let mut uses = Vec::new();
            for r in track_script {
                if let Some(i) = resolve(r, &script_index) {
                    let s = &t.scripts[i].spec;
                    uses.push(Use::Script {
                        index: i,
                        weight: r.weight.unwrap_or(s.weight),
                        reverse: r.reverse.unwrap_or(s.weight_reverse),
                    });
                }
            }
            for r in track_file {
                if let Some(i) = resolve(r, &file_index) {
                    let f = &file_specs[i];
                    uses.push(Use::File {
                        index: i,
                        weight: r.weight.unwrap_or(f.weight),
                        reverse: r.reverse.unwrap_or(f.weight_reverse),
                    });
                }
            }
            for r in track_process {
                if let Some(i) = resolve(r, &proc_index) {
                    let p = &proc_specs[i];
                    uses.push(Use::Process {
                        index: i,
                        weight: r.weight.unwrap_or(p.weight),
                        reverse: r.reverse.unwrap_or(p.weight_reverse),
                    });
                }
            }
            for TrackInterface {
                name,
                weight,
                reverse,
                ..
            } in track_interface
            {
                uses.push(Use::Interface(InterfaceUse {
                    ifname: name.clone(),
                    weight: weight.unwrap_or(0),
                    reverse: *reverse,
                }));
            }
            if !uses.is_empty() {
                t.uses.insert(owner, uses);
            }
        }
        // Only scripts some instance uses are run, as keepalived does.
        let used: Vec<bool> = (0..t.scripts.len())
            .map(|i| {
                t.uses
                    .values()
                    .flatten()
                    .any(|u| matches!(u, Use::Script { index, .. } if *index == i))
            })
            .collect();
        for (s, used) in t.scripts.iter_mut().zip(used) {
            if !used {
                debug!("vrrp_script {} is not used by any instance", s.spec.name);
                s.tracker = ScriptTracker::new(
                    &ScriptSpec {
                        interval: Duration::MAX / 4,
                        ..s.spec.clone()
                    },
                    now,
                );
            }
        }
        if !t.scripts.is_empty() {
            match ChildWaker::new() {
                Ok(w) => t.waker = Some(w),
                Err(e) => warn!(
                    "vrrp_script: cannot watch SIGCHLD ({e}); scripts are reaped on timers only"
                ),
            }
        }
        t
    }

    /// The interfaces that `track_interface` watches (the daemon seeds their state).
    pub fn interfaces(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .uses
            .values()
            .flatten()
            .filter_map(|u| match u {
                Use::Interface(i) => Some(i.ifname.clone()),
                _ => None,
            })
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Descriptors the event loop must watch for tracking.
    pub fn fds(&self) -> Vec<BorrowedFd<'_>> {
        use std::os::fd::AsFd;
        let mut v = Vec::new();
        if let Some(w) = &self.waker {
            v.push(w.as_fd());
        }
        if let Some(f) = &self.files {
            v.push(f.as_fd());
        }
        if let Some(fd) = self.procs.as_ref().and_then(|p| p.fd()) {
            v.push(fd);
        }
        v
    }

    /// The next time tracking needs the loop, if any.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let scripts = self.scripts.iter().filter_map(|s| s.tracker.poll_timeout());
        scripts
            .chain(self.runner.next_deadline())
            .chain(self.procs.as_ref().and_then(|p| p.poll_timeout()))
            .min()
    }

    /// Runs whatever is due or readable; true when some tracker changed its verdict.
    pub fn service(&mut self, now: Instant) -> bool {
        let mut changed = false;
        if let Some(w) = &self.waker {
            w.drain();
        }
        for exit in self.runner.poll(now) {
            if let Some(s) = self.scripts.get_mut(exit.id) {
                if let Some(status) = s.tracker.on_exit(now, &exit) {
                    info!("vrrp_script {}: {status:?}", s.spec.name);
                    changed = true;
                }
            }
        }
        for (id, s) in self.scripts.iter_mut().enumerate() {
            if s.tracker.poll_timeout().is_some_and(|t| t <= now) {
                s.tracker.handle_timeout(now);
            }
            while let Some(cmd) = s.tracker.poll_command() {
                match cmd {
                    ScriptCommand::Run { deadline } => {
                        self.runner
                            .spawn(now, id, &s.spec.argv, s.creds, Some(deadline));
                    }
                    ScriptCommand::Kill => {
                        self.runner.kill(now, id);
                    }
                }
            }
        }
        if let Some(f) = &mut self.files {
            match f.process_events() {
                Ok(c) => changed |= !c.is_empty(),
                Err(e) => warn!("track_file: {e}"),
            }
        }
        if let Some(p) = &mut self.procs {
            if let Err(e) = p.handle_readable(now) {
                debug!("track_process: {e}");
            }
            if p.poll_timeout().is_some_and(|t| t <= now) {
                p.handle_timeout(now);
            }
            while let Some(c) = p.poll_change() {
                info!(
                    "track_process #{}: {} ({} running)",
                    c.index,
                    if c.up { "up" } else { "down" },
                    c.count
                );
                changed = true;
            }
        }
        changed
    }

    /// A tracked interface went up or down; true when that changes a verdict.
    pub fn set_link(&mut self, ifname: &str, up: bool) -> bool {
        self.uses
            .values()
            .flatten()
            .any(|u| matches!(u, Use::Interface(i) if i.ifname == ifname))
            && self.ifaces.set_link(ifname, up)
    }

    /// The trackers of instance `name` and their verdicts, for status reports.
    pub fn statuses(&self, name: &str) -> Vec<crate::keepalived::status::TrackerStatus> {
        use crate::keepalived::status::{TrackerKind, TrackerStatus};
        let Some(uses) = self.uses.get(name) else {
            return Vec::new();
        };
        uses.iter()
            .map(|u| match u {
                Use::Script { index, weight, .. } => {
                    let s = &self.scripts[*index];
                    TrackerStatus {
                        name: s.spec.name.clone(),
                        kind: TrackerKind::Script,
                        ok: s.tracker.status().signal() == vigil_track::Signal::Up,
                        weight: *weight,
                        command: Some(s.spec.argv.join(" ")),
                    }
                }
                Use::File { index, weight, .. } => TrackerStatus {
                    name: self
                        .files
                        .as_ref()
                        .and_then(|f| f.path(*index))
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    kind: TrackerKind::File,
                    ok: self.files.as_ref().is_some_and(|f| f.value(*index) >= 0),
                    weight: *weight,
                    command: None,
                },
                Use::Process { index, weight, .. } => TrackerStatus {
                    name: format!("process #{index}"),
                    kind: TrackerKind::Process,
                    ok: self.procs.as_ref().is_some_and(|p| p.core().is_up(*index)),
                    weight: *weight,
                    command: None,
                },
                Use::Interface(i) => TrackerStatus {
                    name: i.ifname.clone(),
                    kind: TrackerKind::Interface,
                    ok: self.ifaces.signal(&i.ifname) == vigil_track::Signal::Up,
                    weight: i.weight,
                    command: None,
                },
            })
            .collect()
    }

    /// What tracking says about instance `name` with configured priority `base`;
    /// `None` when the instance tracks nothing.
    pub fn effect(&self, name: &str, base: u8) -> Option<Effect> {
        let uses = self.uses.get(name)?;
        let inputs: Vec<Input> = uses
            .iter()
            .map(|u| match u {
                Use::Script {
                    index,
                    weight,
                    reverse,
                } => Input::Signal {
                    state: self.scripts[*index].tracker.status().signal(),
                    weight: *weight,
                    reverse: *reverse,
                },
                Use::File {
                    index,
                    weight,
                    reverse,
                } => Input::File {
                    value: self.files.as_ref().map(|f| f.value(*index)).unwrap_or(0),
                    weight: *weight,
                    reverse: *reverse,
                },
                Use::Process {
                    index,
                    weight,
                    reverse,
                } => Input::Signal {
                    state: match &self.procs {
                        Some(p) if p.core().is_up(*index) => vigil_track::Signal::Up,
                        _ => vigil_track::Signal::Down,
                    },
                    weight: *weight,
                    reverse: *reverse,
                },
                Use::Interface(i) => self.ifaces.input(i),
            })
            .collect();
        Some(effective_priority(base, inputs))
    }
}

/// What tracking is built from, as text: a reload whose fingerprint is unchanged keeps
/// the running trackers (and their verdicts) instead of restarting them.
pub fn fingerprint(cfg: &Config) -> String {
    use std::fmt::Write;
    let mut f = String::new();
    for s in &cfg.vrrp_scripts {
        let _ = write!(
            f,
            "script {} {:?} {} {:?} {} {} {} {} {:?} {};",
            s.name,
            s.script.argv,
            s.interval,
            s.timeout,
            s.weight,
            s.reverse,
            s.rise,
            s.fall,
            s.user,
            s.init_fail
        );
    }
    for t in &cfg.track_files {
        let i = t.init_file.as_ref().map(|i| (i.value, i.overwrite));
        let _ = write!(
            f,
            "file {} {:?} {} {} {:?};",
            t.name, t.path, t.weight, t.reverse, i
        );
    }
    for p in &cfg.track_processes {
        let _ = write!(
            f,
            "proc {} {:?} {:?} {} {} {} {:?} {:?} {:?} {};",
            p.name,
            p.process,
            p.param_match.map(|m| m as u8),
            p.weight,
            p.reverse,
            p.quorum,
            p.quorum_max,
            p.fork_delay,
            p.terminate_delay,
            p.full_command
        );
    }
    let refs = |v: &[TrackRef]| {
        v.iter()
            .map(|r| format!("{}/{:?}/{:?}", r.name, r.weight, r.reverse))
            .collect::<Vec<_>>()
    };
    let ifs = |v: &[TrackInterface]| {
        v.iter()
            .map(|i| format!("{}/{:?}/{}", i.name, i.weight, i.reverse))
            .collect::<Vec<_>>()
    };
    for i in &cfg.vrrp_instances {
        let _ = write!(
            f,
            "inst {} {:?} {:?} {:?} {:?};",
            i.name,
            refs(&i.track_script),
            refs(&i.track_file),
            refs(&i.track_process),
            ifs(&i.track_interface)
        );
    }
    for g in &cfg.sync_groups {
        let _ = write!(
            f,
            "group {} {:?} {:?} {:?} {:?};",
            g.name,
            refs(&g.track_script),
            refs(&g.track_file),
            refs(&g.track_process),
            ifs(&g.track_interface)
        );
    }
    f
}

//! Tracker definitions, independent of keepalived.conf syntax. The daemon
//! converts kaconf's typed config into these.

use std::path::PathBuf;
use std::time::Duration;

use crate::TrackError;

/// A `vrrp_script` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptSpec {
    /// Name of the block (`vrrp_script NAME`).
    pub name: String,
    /// Program and arguments (`script`), already split.
    pub argv: Vec<String>,
    /// `user USER [GROUP]`: run as this user (group defaults to the user's).
    pub user: Option<(String, Option<String>)>,
    /// `interval` (default 1 s): start-to-start period.
    pub interval: Duration,
    /// `timeout` (default: the interval).
    pub timeout: Option<Duration>,
    /// `weight` (default 0).
    pub weight: i32,
    /// `weight W reverse`.
    pub weight_reverse: bool,
    /// `rise` (default 1): successes needed to become good.
    pub rise: u32,
    /// `fall` (default 1): failures needed to become bad.
    pub fall: u32,
    /// `init_fail`: start in the failed state instead of unknown.
    pub init_fail: bool,
}

impl ScriptSpec {
    /// A script with keepalived's defaults (interval 1 s, rise/fall 1, weight 0).
    pub fn new(name: impl Into<String>, argv: Vec<String>) -> Self {
        ScriptSpec {
            name: name.into(),
            argv,
            user: None,
            interval: Duration::from_secs(1),
            timeout: None,
            weight: 0,
            weight_reverse: false,
            rise: 1,
            fall: 1,
            init_fail: false,
        }
    }

    /// The effective timeout: `timeout`, or the interval when unset
    /// (keepalived: "default = interval").
    pub fn effective_timeout(&self) -> Duration {
        self.timeout.unwrap_or(self.interval)
    }

    /// Checks what keepalived's parser rejects.
    pub fn validate(&self) -> Result<(), TrackError> {
        let bad = |reason: &str| {
            Err(TrackError::InvalidSpec {
                name: self.name.clone(),
                reason: reason.to_string(),
            })
        };
        if self.argv.is_empty() || self.argv[0].is_empty() {
            return bad("empty script");
        }
        if self.interval.is_zero() {
            return bad("interval must be greater than 0");
        }
        if self.rise == 0 || self.fall == 0 {
            return bad("rise and fall must be at least 1");
        }
        Ok(())
    }
}

/// `init_file [VALUE] [overwrite]` of a `track_file` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InitFile {
    /// Value written (default 0).
    pub value: i64,
    /// Overwrite an existing file too.
    pub overwrite: bool,
}

/// A `track_file` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSpec {
    /// Name of the block.
    pub name: String,
    /// `file` path.
    pub path: PathBuf,
    /// `weight` (default 1).
    pub weight: i32,
    /// `weight W reverse`.
    pub weight_reverse: bool,
    /// `init_file`.
    pub init_file: Option<InitFile>,
}

impl FileSpec {
    /// A track file with keepalived's default weight 1.
    pub fn new(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        FileSpec {
            name: name.into(),
            path: path.into(),
            weight: 1,
            weight_reverse: false,
            init_file: None,
        }
    }
}

/// `param_match` of a `vrrp_track_process` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamMatch {
    /// Parameters must be exactly the configured ones (the default when
    /// parameters are given; with no parameters: the process must have none).
    Exact,
    /// The first N parameters must equal the configured N.
    Partial,
    /// Like partial, but the last configured parameter may be a prefix.
    Initial,
}

/// A `vrrp_track_process` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessSpec {
    /// Name of the block.
    pub name: String,
    /// `process NAME`: matched against `/proc/PID/comm`, or against argv\[0\]
    /// of `/proc/PID/cmdline` with `full_command` or parameters.
    pub process: String,
    /// `param_match`; `None` with `params` given means [`ParamMatch::Exact`].
    pub param_match: Option<ParamMatch>,
    /// Parameters after the process name on the `process` line.
    pub params: Option<Vec<String>>,
    /// `quorum` (default 1).
    pub quorum: u32,
    /// `quorum_max` (default unlimited).
    pub quorum_max: u32,
    /// `weight` (default 0).
    pub weight: i32,
    /// `weight W reverse`.
    pub weight_reverse: bool,
    /// `fork_delay` (or `delay`).
    pub fork_delay: Duration,
    /// `terminate_delay` (or `delay`).
    pub terminate_delay: Duration,
    /// `full_command`.
    pub full_command: bool,
}

impl ProcessSpec {
    /// A process tracker with keepalived's defaults (quorum 1..unlimited).
    pub fn new(name: impl Into<String>, process: impl Into<String>) -> Self {
        ProcessSpec {
            name: name.into(),
            process: process.into(),
            param_match: None,
            params: None,
            quorum: 1,
            quorum_max: u32::MAX,
            weight: 0,
            weight_reverse: false,
            fork_delay: Duration::ZERO,
            terminate_delay: Duration::ZERO,
            full_command: false,
        }
    }

    /// `delay SECS`: sets both fork and terminate delays.
    pub fn set_delay(&mut self, d: Duration) {
        self.fork_delay = d;
        self.terminate_delay = d;
    }

    /// The match mode in force: `param_match`, or exact when parameters are given.
    pub fn effective_match(&self) -> Option<ParamMatch> {
        match (self.param_match, &self.params) {
            (Some(m), _) => Some(m),
            (None, Some(_)) => Some(ParamMatch::Exact),
            (None, None) => None,
        }
    }

    /// Whether matching needs `/proc/PID/cmdline` (full command or parameters).
    pub fn uses_cmdline(&self) -> bool {
        self.full_command || self.effective_match().is_some()
    }

    /// Checks quorum and name.
    pub fn validate(&self) -> Result<(), TrackError> {
        if self.process.is_empty() {
            return Err(TrackError::InvalidSpec {
                name: self.name.clone(),
                reason: "process name not specified".into(),
            });
        }
        if self.quorum > self.quorum_max {
            return Err(TrackError::InvalidSpec {
                name: self.name.clone(),
                reason: format!(
                    "quorum {} is greater than quorum_max {}",
                    self.quorum, self.quorum_max
                ),
            });
        }
        Ok(())
    }
}

/// One entry of an instance's `track_script`, `track_file` or `track_process`
/// block: `NAME [weight W [reverse|noreverse]]`. Unset fields take the
/// tracker's own weight/reverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackRef {
    /// Name of the tracker block.
    pub name: String,
    /// `weight W` override.
    pub weight: Option<i32>,
    /// `reverse` (`Some(true)`) or `noreverse` (`Some(false)`) override.
    pub reverse: Option<bool>,
}

impl TrackRef {
    /// A reference without overrides.
    pub fn new(name: impl Into<String>) -> Self {
        TrackRef {
            name: name.into(),
            weight: None,
            reverse: None,
        }
    }

    /// (weight, reverse) in force given the tracker's defaults.
    pub fn resolve(&self, default_weight: i32, default_reverse: bool) -> (i32, bool) {
        (
            self.weight.unwrap_or(default_weight),
            self.reverse.unwrap_or(default_reverse),
        )
    }
}

/// One entry of an instance's `track_interface` block: `IF [weight W [reverse]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceUse {
    /// Interface name.
    pub ifname: String,
    /// Weight (default 0: link down puts the instance in FAULT).
    pub weight: i32,
    /// `reverse`.
    pub reverse: bool,
}

//! Trackers that turn the world into VRRP priority changes, as keepalived's
//! `vrrp_script`/`track_script`, `track_interface`, `track_file` and
//! `vrrp_track_process`/`track_process` do.
//!
//! Layout (sans-IO cores, I/O at the edges):
//!
//! - [`spec`]: the tracker definitions the daemon builds from keepalived.conf.
//! - [`priority`]: pure scoring: base priority + tracker states -> [`Effect`].
//! - [`script`]: per-`vrrp_script` state machine (rise/fall, init_fail, timeout).
//! - [`runner`]: spawns and reaps script processes, kills them at their timeout.
//! - [`file`](mod@file): `track_file` value parsing and an inotify watcher.
//! - [`interface`]: `track_interface` link states.
//! - [`process`]: `track_process` pure core (matching, quorum, delays).
//! - [`procfs`], [`cn_proc`], [`monitor`]: `/proc` scanning, the kernel's
//!   process events connector, and the monitor that drives the core from them.

pub mod cn_proc;
pub mod error;
pub mod file;
pub mod interface;
pub mod monitor;
pub mod priority;
pub mod process;
pub mod procfs;
pub mod runner;
pub mod script;
pub mod spec;

pub use error::TrackError;
pub use file::{parse_value, FileChange, FileWatcher};
pub use interface::InterfaceTable;
pub use monitor::{MonitorMode, ProcessMonitor};
pub use priority::{effective_priority, Effect, Input, Signal};
pub use process::{ProcInfo, ProcessChange, ProcessCore};
pub use runner::{ChildWaker, Credentials, Outcome, RunnerStats, ScriptExit, ScriptRunner};
pub use script::{ScriptCommand, ScriptStatus, ScriptTracker};
pub use spec::{FileSpec, InitFile, InterfaceUse, ParamMatch, ProcessSpec, ScriptSpec, TrackRef};

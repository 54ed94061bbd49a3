//! Errors of the tracking layer.

use std::path::PathBuf;

/// Everything that can go wrong while setting up or running trackers.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// A tracker definition is inconsistent (e.g. `rise 0`, empty script).
    #[error("{name}: invalid definition: {reason}")]
    InvalidSpec {
        /// Tracker name as configured.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The `user` of a `vrrp_script` does not exist.
    #[error("unknown user '{0}'")]
    UnknownUser(String),
    /// The group of a `vrrp_script` `user` line does not exist.
    #[error("unknown group '{0}'")]
    UnknownGroup(String),
    /// The directory holding a `track_file` does not exist or is not a directory.
    #[error("track_file {name}: directory of {} does not exist", path.display())]
    FileDirectory {
        /// Tracker name.
        name: String,
        /// Configured path.
        path: PathBuf,
    },
    /// `init_file` could not write the initial value.
    #[error("track_file {name}: cannot initialise {}: {source}", path.display())]
    InitFile {
        /// Tracker name.
        name: String,
        /// Configured path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// inotify could not be set up or a watch could not be added.
    #[error("inotify: {0}")]
    Inotify(#[source] nix::Error),
    /// The process events connector socket could not be set up.
    #[error("process connector: {0}")]
    Connector(#[source] std::io::Error),
    /// Any other I/O error (e.g. SIGCHLD pipe, /proc).
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

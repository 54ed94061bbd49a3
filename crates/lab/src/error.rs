//! The lab's error type.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong while building or driving a lab.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// A program could not be started at all (missing binary, fork failure).
    #[error("cannot start `{cmd}`: {source}")]
    Spawn {
        /// The command line that was attempted.
        cmd: String,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// A program ran but exited unsuccessfully; `stderr` holds what it said.
    #[error("`{cmd}` failed ({status}): {stderr}")]
    Failed {
        /// The command line that failed.
        cmd: String,
        /// Its exit status, as text.
        status: String,
        /// Its standard error, trimmed.
        stderr: String,
    },
    /// `run`/`spawn` was called with an empty argument list.
    #[error("empty command line")]
    EmptyCommand,
    /// A host name that cannot serve as a namespace and interface name.
    #[error("invalid host name {name:?}: {reason}")]
    InvalidName {
        /// The rejected name.
        name: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// `add_host` was called twice with the same name.
    #[error("host {0:?} already exists in this lab")]
    DuplicateHost(String),
    /// A host name that is not part of this lab.
    #[error("no host named {0:?} in this lab")]
    UnknownHost(String),
    /// An address that is not `IP/prefix` inside the lab's permitted ranges.
    #[error("invalid address {addr:?}: {reason}")]
    InvalidAddress {
        /// The rejected address text.
        addr: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A tool printed something the lab could not understand.
    #[error("unexpected output from `{cmd}`: {detail}")]
    Parse {
        /// The command whose output was parsed.
        cmd: String,
        /// What was wrong with it.
        detail: String,
    },
    /// A local file operation (captured output files) failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// Something the lab waited for did not happen in time.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long the lab waited.
        after: Duration,
    },
    /// A loss percentage above 100.
    #[error("loss must be 0 to 100 percent, not {0}")]
    InvalidLoss(u8),
    /// The process has already been reaped; signalling its pid could hit another process.
    #[error("process {pid} (`{cmd}`) has already exited")]
    Exited {
        /// The former pid.
        pid: u32,
        /// Its command line.
        cmd: String,
    },
}

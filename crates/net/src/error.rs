//! Errors of the net crate.
//!
//! Every public call returns `io::Result` so the daemon can test
//! `ErrorKind::WouldBlock` and friends directly; the underlying cause is a
//! [`NetError`] that names the call that failed, kept as the `io::Error`'s
//! inner error so the daemon can print the whole chain.

use std::io;

/// What went wrong talking to the kernel, and in which call.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// A system call (socket, setsockopt, bind, sendmsg, ...) failed.
    #[error("{call}: {source}")]
    Syscall {
        /// The call and its subject, e.g. `setsockopt(IP_HDRINCL) on eth0`.
        call: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The kernel answered a netlink request with an error code.
    #[error("netlink {request}: {source}")]
    Kernel {
        /// The request, e.g. `RTM_NEWADDR 198.51.100.10/24 on ifindex 2`.
        request: String,
        /// The errno the kernel returned.
        #[source]
        source: io::Error,
    },
    /// A netlink message from the kernel could not be decoded.
    #[error("netlink {request}: cannot decode reply: {detail}")]
    Decode {
        /// The request the reply belonged to.
        request: String,
        /// What the decoder said.
        detail: String,
    },
    /// The kernel did not answer a netlink request in time.
    #[error("netlink {request}: no answer from the kernel within {millis} ms")]
    Timeout {
        /// The request that went unanswered.
        request: String,
        /// How long we waited.
        millis: u64,
    },
    /// A named object (interface, address) does not exist.
    #[error("{what} not found")]
    NotFound {
        /// The object, e.g. `interface eth9`.
        what: String,
    },
    /// The caller passed an argument that cannot work.
    #[error("invalid argument: {0}")]
    Invalid(String),
}

impl NetError {
    /// The `io::ErrorKind` the error maps to.
    fn kind(&self) -> io::ErrorKind {
        match self {
            NetError::Syscall { source, .. } | NetError::Kernel { source, .. } => source.kind(),
            NetError::Decode { .. } => io::ErrorKind::InvalidData,
            NetError::Timeout { .. } => io::ErrorKind::TimedOut,
            NetError::NotFound { .. } => io::ErrorKind::NotFound,
            NetError::Invalid(_) => io::ErrorKind::InvalidInput,
        }
    }

    /// The raw errno, when the kernel gave one.
    pub fn raw_os_error(&self) -> Option<i32> {
        match self {
            NetError::Syscall { source, .. } | NetError::Kernel { source, .. } => {
                source.raw_os_error()
            }
            _ => None,
        }
    }
}

impl From<NetError> for io::Error {
    fn from(e: NetError) -> io::Error {
        io::Error::new(e.kind(), e)
    }
}

/// Wraps an OS error with the name of the call that produced it.
///
/// `WouldBlock` passes through unwrapped: it is flow control, not a failure,
/// and the event loop compares its kind on the hot path.
pub(crate) fn syscall(call: impl Into<String>, source: io::Error) -> io::Error {
    if source.kind() == io::ErrorKind::WouldBlock {
        return source;
    }
    NetError::Syscall {
        call: call.into(),
        source,
    }
    .into()
}

/// Builds a closure for `map_err` that wraps with [`syscall`].
pub(crate) fn ctx<E: Into<io::Error>>(call: impl Into<String>) -> impl FnOnce(E) -> io::Error {
    let call = call.into();
    move |e| syscall(call, e.into())
}

/// The errno an `io::Error` built by this crate carries, looking through [`NetError`].
pub fn errno_of(e: &io::Error) -> Option<i32> {
    if let Some(n) = e.raw_os_error() {
        return Some(n);
    }
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<NetError>())
        .and_then(NetError::raw_os_error)
}

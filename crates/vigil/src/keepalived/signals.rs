//! keepalived's signals (keepalived(8) "SIGNALS"), delivered to the event loop as a
//! readable file descriptor: each handler sets a flag and writes a byte to a wake pipe.

use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::cli::libc_sig;

/// What a signal asks the daemon to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// TERM, INT: shut down (priority 0, release addresses).
    Stop,
    /// HUP: reload the configuration.
    Reload,
    /// USR1: write the data dump.
    DumpData,
    /// USR2: write the statistics file.
    DumpStats,
    /// SIGRTMAX-1 (keepalived 2.2's STATS_CLEAR): write statistics, then clear them.
    DumpStatsClear,
    /// SIGRTMIN+2: write the JSON dump.
    DumpJson,
    /// CHLD: a script finished; reap it.
    Child,
}

/// The signals the daemon listens to, with their flags and the wake pipe.
#[derive(Debug)]
pub struct Signals {
    wake: UnixStream,
    flags: Vec<(Request, Arc<AtomicBool>)>,
}

impl Signals {
    /// Installs the handlers. `ignore_sigint` leaves SIGINT alone (keepalived's
    /// `--ignore-sigint`).
    pub fn install(ignore_sigint: bool) -> std::io::Result<Signals> {
        let (wake, writer) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        let mut table = vec![
            (libc_sig::SIGTERM, Request::Stop),
            (libc_sig::SIGHUP, Request::Reload),
            (libc_sig::SIGUSR1, Request::DumpData),
            (libc_sig::SIGUSR2, Request::DumpStats),
            (libc_sig::sigrtmax() - 1, Request::DumpStatsClear),
            (libc_sig::sigrtmin() + 2, Request::DumpJson),
            (libc_sig::SIGCHLD, Request::Child),
        ];
        if !ignore_sigint {
            table.push((libc_sig::SIGINT, Request::Stop));
        }
        let mut flags = Vec::new();
        for (sig, req) in table {
            let flag = Arc::new(AtomicBool::new(false));
            signal_hook::flag::register(sig, Arc::clone(&flag))?;
            signal_hook::low_level::pipe::register(sig, writer.try_clone()?)?;
            flags.push((req, flag));
        }
        Ok(Signals { wake, flags })
    }

    /// The descriptor that becomes readable when a signal arrived.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.wake.as_fd()
    }

    /// The requests that arrived since the last call, in a fixed order.
    pub fn take(&mut self) -> Vec<Request> {
        let mut buf = [0u8; 64];
        while matches!((&self.wake).read(&mut buf), Ok(n) if n > 0) {}
        self.flags
            .iter()
            .filter(|(_, f)| f.swap(false, Ordering::SeqCst))
            .map(|(r, _)| *r)
            .collect()
    }
}

//! The non-blocking connection table shared by the status socket and the metrics HTTP
//! listener: read one bounded request, answer it from a bounded buffer, close. Nothing
//! here ever blocks: sockets are non-blocking, and a client that has not finished within
//! its deadline (default 1 s from accept) is dropped.

use std::io::{ErrorKind, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

/// Limits of a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest request accepted, bytes.
    pub max_request: usize,
    /// Longest response sent, bytes (a longer one is replaced by an error).
    pub max_response: usize,
    /// Clients served at once; more are refused (closed at once).
    pub max_clients: usize,
    /// Time a client gets from accept to the last byte of its answer.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request: 4096,
            max_response: 16 << 20,
            max_clients: 32,
            timeout: Duration::from_secs(1),
        }
    }
}

/// What a server has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Connections accepted.
    pub accepted: u64,
    /// Requests answered in full.
    pub answered: u64,
    /// Requests that could not be parsed (answered with an error).
    pub bad_requests: u64,
    /// Clients dropped because they did not finish within the deadline.
    pub timed_out: u64,
    /// Connections refused because `max_clients` were being served.
    pub refused: u64,
    /// Clients that went away or failed before the answer was sent.
    pub aborted: u64,
}

/// Turns a complete request (`Ok(bytes)`) or an over-long one (`Err(length)`) into the
/// bytes of the answer.
pub(super) type Answer<'a> = dyn FnMut(Result<&[u8], usize>) -> Vec<u8> + 'a;

/// What a readable request looks like once it is complete.
pub(super) trait Framing {
    /// The length of the request in `buf` if it is complete.
    fn complete(buf: &[u8]) -> Option<usize>;
}

/// Where a connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Reading,
    Writing,
}

/// One client.
pub(super) struct Conn<S> {
    stream: S,
    buf: Vec<u8>,
    out: Vec<u8>,
    sent: usize,
    deadline: Instant,
    phase: Phase,
}

/// Result of driving one connection.
pub(super) enum Step {
    /// Still in progress.
    Pending,
    /// Finished: answered, aborted or timed out (the counter to bump was bumped).
    Done,
}

impl<S: Read + Write + AsFd> Conn<S> {
    pub(super) fn new(stream: S, now: Instant, limits: &Limits) -> Self {
        Conn {
            stream,
            buf: Vec::new(),
            out: Vec::new(),
            sent: 0,
            deadline: now + limits.timeout,
            phase: Phase::Reading,
        }
    }

    pub(super) fn fd(&self) -> BorrowedFd<'_> {
        self.stream.as_fd()
    }

    pub(super) fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the connection waits to write (else to read).
    pub(super) fn wants_write(&self) -> bool {
        self.phase == Phase::Writing
    }

    /// Drives the connection as far as it goes without blocking. `answer` turns a complete
    /// request (or `Err(too_long)`) into the response bytes.
    pub(super) fn drive<F: Framing>(
        &mut self,
        now: Instant,
        limits: &Limits,
        stats: &mut ServerStats,
        answer: &mut Answer<'_>,
    ) -> Step {
        if now >= self.deadline {
            stats.timed_out += 1;
            return Step::Done;
        }
        if self.phase == Phase::Reading {
            let mut chunk = [0u8; 1024];
            loop {
                match self.stream.read(&mut chunk) {
                    Ok(0) => {
                        // End of input: a request without its terminator still counts.
                        if self.buf.is_empty() {
                            stats.aborted += 1;
                            return Step::Done;
                        }
                        let req = std::mem::take(&mut self.buf);
                        self.respond(answer(Ok(&req)), limits);
                        break;
                    }
                    Ok(n) => {
                        self.buf.extend_from_slice(&chunk[..n]);
                        if let Some(len) = F::complete(&self.buf) {
                            let req = std::mem::take(&mut self.buf);
                            self.respond(answer(Ok(&req[..len])), limits);
                            break;
                        }
                        if self.buf.len() > limits.max_request {
                            stats.bad_requests += 1;
                            let len = self.buf.len();
                            self.buf.clear();
                            self.respond(answer(Err(len)), limits);
                            break;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return Step::Pending,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => {
                        stats.aborted += 1;
                        return Step::Done;
                    }
                }
            }
        }
        while self.sent < self.out.len() {
            match self.stream.write(&self.out[self.sent..]) {
                Ok(0) => {
                    stats.aborted += 1;
                    return Step::Done;
                }
                Ok(n) => self.sent += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Step::Pending,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => {
                    stats.aborted += 1;
                    return Step::Done;
                }
            }
        }
        stats.answered += 1;
        Step::Done
    }

    fn respond(&mut self, mut out: Vec<u8>, limits: &Limits) {
        if out.len() > limits.max_response {
            out = format!(
                "{{\"error\":\"response of {} bytes exceeds the limit of {} bytes\"}}\n",
                out.len(),
                limits.max_response
            )
            .into_bytes();
        }
        self.out = out;
        self.sent = 0;
        self.phase = Phase::Writing;
    }
}

/// A table of clients, driven from the daemon's loop.
pub(super) struct Table<S> {
    pub(super) conns: Vec<Conn<S>>,
    pub(super) limits: Limits,
    pub(super) stats: ServerStats,
}

impl<S: Read + Write + AsFd> Table<S> {
    pub(super) fn new(limits: Limits) -> Self {
        Table {
            conns: Vec::new(),
            limits,
            stats: ServerStats::default(),
        }
    }

    /// Takes a freshly accepted, already non-blocking stream (or refuses it when full).
    pub(super) fn admit(&mut self, stream: S, now: Instant) {
        if self.conns.len() >= self.limits.max_clients {
            self.stats.refused += 1;
            drop(stream);
            return;
        }
        self.stats.accepted += 1;
        self.conns.push(Conn::new(stream, now, &self.limits));
    }

    /// Drives every client once.
    pub(super) fn drive<F: Framing>(&mut self, now: Instant, answer: &mut Answer<'_>) {
        let limits = self.limits;
        let stats = &mut self.stats;
        self.conns
            .retain_mut(|c| matches!(c.drive::<F>(now, &limits, stats, answer), Step::Pending));
    }

    /// Client fds and whether each waits to write (else to read).
    pub(super) fn wants(&self) -> Vec<(BorrowedFd<'_>, bool)> {
        self.conns
            .iter()
            .map(|c| (c.fd(), c.wants_write()))
            .collect()
    }

    /// The earliest client deadline.
    pub(super) fn poll_timeout(&self) -> Option<Instant> {
        self.conns.iter().map(|c| c.deadline()).min()
    }
}

//! The kernel's process events connector (NETLINK_CONNECTOR, CN_IDX_PROC):
//! socket setup and a bounds-checked parser of its messages.
//!
//! ```text
//! struct nlmsghdr   { u32 len; u16 type; u16 flags; u32 seq; u32 pid; }   16 bytes
//! struct cn_msg     { u32 idx; u32 val; u32 seq; u32 ack; u16 len; u16 flags; u8 data[]; } 20 bytes
//! struct proc_event { u32 what; u32 cpu; u64 timestamp_ns; union event_data; }
//!   fork: i32 parent_pid, parent_tgid, child_pid, child_tgid
//!   exec: i32 process_pid, process_tgid
//!   comm: i32 process_pid, process_tgid; char comm[16]
//!   exit: i32 process_pid, process_tgid; u32 exit_code, exit_signal
//! ```
//! (linux/connector.h, linux/cn_proc.h; host byte order.)

use std::io;
use std::os::fd::{AsFd, BorrowedFd};

use netlink_sys::{protocols::NETLINK_CONNECTOR, Socket, SocketAddr};

/// linux/connector.h
const CN_IDX_PROC: u32 = 1;
const CN_VAL_PROC: u32 = 1;
/// linux/cn_proc.h `enum proc_cn_mcast_op`
const PROC_CN_MCAST_LISTEN: u32 = 1;
/// linux/netlink.h
const NLMSG_NOOP: u16 = 1;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const NLMSG_HDRLEN: usize = 16;
const CN_MSG_LEN: usize = 20;
/// `what` + `cpu` + `timestamp_ns`.
const EVENT_HDR: usize = 16;

const PROC_EVENT_FORK: u32 = 0x0000_0001;
const PROC_EVENT_EXEC: u32 = 0x0000_0002;
const PROC_EVENT_COMM: u32 = 0x0000_0200;
const PROC_EVENT_EXIT: u32 = 0x8000_0000;

/// One process event of interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcEvent {
    /// `fork()`/`clone()`; a new thread has `child_pid != child_tgid`.
    Fork {
        /// Parent process (thread group) id.
        parent_tgid: i32,
        /// Child thread id.
        child_pid: i32,
        /// Child process id.
        child_tgid: i32,
    },
    /// `execve()`.
    Exec {
        /// Thread id.
        pid: i32,
        /// Process id.
        tgid: i32,
    },
    /// Name change.
    Comm {
        /// Thread id.
        pid: i32,
        /// Process id.
        tgid: i32,
        /// New name, NUL padded.
        comm: [u8; 16],
    },
    /// Exit.
    Exit {
        /// Thread id.
        pid: i32,
        /// Process id.
        tgid: i32,
    },
    /// Any other event (uid, gid, sid, ptrace, coredump, listen ack).
    Other(u32),
}

impl ProcEvent {
    /// The name of a `Comm` event without its NUL padding.
    pub fn comm_name(comm: &[u8; 16]) -> &[u8] {
        let end = comm.iter().position(|&b| b == 0).unwrap_or(comm.len());
        &comm[..end]
    }
}

/// Why (part of) a datagram was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Shorter than a netlink header, or a header length that overruns the datagram.
    #[error("truncated netlink message")]
    TruncatedNetlink,
    /// Connector header missing or its `len` overruns the netlink payload.
    #[error("truncated connector message")]
    TruncatedConnector,
    /// Event payload shorter than its type requires.
    #[error("truncated process event")]
    TruncatedEvent,
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    u32_at(b, off).map(|v| v as i32)
}

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

/// Parses one connector payload (`struct proc_event`).
fn parse_event(data: &[u8]) -> Result<ProcEvent, ParseError> {
    let t = ParseError::TruncatedEvent;
    let what = u32_at(data, 0).ok_or(t)?;
    if data.len() < EVENT_HDR {
        return Err(t);
    }
    let d = &data[EVENT_HDR..];
    Ok(match what {
        PROC_EVENT_FORK => ProcEvent::Fork {
            parent_tgid: i32_at(d, 4).ok_or(t)?,
            child_pid: i32_at(d, 8).ok_or(t)?,
            child_tgid: i32_at(d, 12).ok_or(t)?,
        },
        PROC_EVENT_EXEC => ProcEvent::Exec {
            pid: i32_at(d, 0).ok_or(t)?,
            tgid: i32_at(d, 4).ok_or(t)?,
        },
        PROC_EVENT_COMM => {
            let mut comm = [0u8; 16];
            comm.copy_from_slice(d.get(8..24).ok_or(t)?);
            ProcEvent::Comm {
                pid: i32_at(d, 0).ok_or(t)?,
                tgid: i32_at(d, 4).ok_or(t)?,
                comm,
            }
        }
        PROC_EVENT_EXIT => ProcEvent::Exit {
            pid: i32_at(d, 0).ok_or(t)?,
            tgid: i32_at(d, 4).ok_or(t)?,
        },
        other => ProcEvent::Other(other),
    })
}

/// Parses a datagram of netlink messages into `out`. Messages that are not
/// process events are skipped; the first malformed one stops parsing and is
/// returned as the error (events before it are kept). Never panics.
pub fn parse_datagram(buf: &[u8], out: &mut Vec<ProcEvent>) -> Result<(), ParseError> {
    let mut off = 0;
    while off < buf.len() {
        let rest = &buf[off..];
        let len = u32_at(rest, 0).ok_or(ParseError::TruncatedNetlink)? as usize;
        let ty = u16_at(rest, 4).ok_or(ParseError::TruncatedNetlink)?;
        if len < NLMSG_HDRLEN || len > rest.len() {
            return Err(ParseError::TruncatedNetlink);
        }
        let payload = &rest[NLMSG_HDRLEN..len];
        if ty != NLMSG_NOOP && ty != NLMSG_ERROR {
            if payload.len() < CN_MSG_LEN {
                return Err(ParseError::TruncatedConnector);
            }
            let idx = u32_at(payload, 0).ok_or(ParseError::TruncatedConnector)?;
            let val = u32_at(payload, 4).ok_or(ParseError::TruncatedConnector)?;
            let ack = u32_at(payload, 12).ok_or(ParseError::TruncatedConnector)?;
            let dlen = u16_at(payload, 16).ok_or(ParseError::TruncatedConnector)? as usize;
            let data = payload
                .get(CN_MSG_LEN..CN_MSG_LEN + dlen)
                .ok_or(ParseError::TruncatedConnector)?;
            if idx == CN_IDX_PROC && val == CN_VAL_PROC && ack == 0 {
                out.push(parse_event(data)?);
            }
        }
        // NLMSG_ALIGN
        off += (len + 3) & !3;
    }
    Ok(())
}

/// Builds the subscription message (`PROC_CN_MCAST_LISTEN`).
pub fn listen_message(port: u32) -> Vec<u8> {
    let total = NLMSG_HDRLEN + CN_MSG_LEN + 4;
    let mut m = Vec::with_capacity(total);
    m.extend_from_slice(&(total as u32).to_ne_bytes());
    m.extend_from_slice(&NLMSG_DONE.to_ne_bytes());
    m.extend_from_slice(&0u16.to_ne_bytes()); // flags
    m.extend_from_slice(&0u32.to_ne_bytes()); // seq
    m.extend_from_slice(&port.to_ne_bytes());
    m.extend_from_slice(&CN_IDX_PROC.to_ne_bytes());
    m.extend_from_slice(&CN_VAL_PROC.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes()); // seq
    m.extend_from_slice(&0u32.to_ne_bytes()); // ack
    m.extend_from_slice(&4u16.to_ne_bytes()); // len
    m.extend_from_slice(&0u16.to_ne_bytes()); // flags
    m.extend_from_slice(&PROC_CN_MCAST_LISTEN.to_ne_bytes());
    m
}

/// Counters of the connector.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnectorStats {
    /// Datagrams received.
    pub datagrams: u64,
    /// Events parsed.
    pub events: u64,
    /// Datagrams (or their tails) dropped as malformed.
    pub malformed: u64,
    /// Datagrams not sent by the kernel (dropped).
    pub foreign: u64,
    /// Receive buffer overruns (ENOBUFS): events were lost.
    pub overruns: u64,
}

/// What a drain of the socket found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecvStatus {
    /// All pending events were read.
    Drained,
    /// The kernel dropped events (ENOBUFS): the caller must rescan.
    Overrun,
}

/// A subscribed, non-blocking process events socket.
#[derive(Debug)]
pub struct ProcConnector {
    sock: Socket,
    buf: Vec<u8>,
    stats: ConnectorStats,
}

impl ProcConnector {
    /// Opens, binds and subscribes. Fails without root or CONFIG_PROC_EVENTS,
    /// or outside the initial user/pid namespace.
    pub fn open() -> io::Result<Self> {
        let mut sock = Socket::new(NETLINK_CONNECTOR)?;
        sock.bind(&SocketAddr::new(0, CN_IDX_PROC))?;
        let mut addr = SocketAddr::new(0, 0);
        sock.get_address(&mut addr)?;
        sock.set_non_blocking(true)?;
        // Losing events is detected (ENOBUFS) and repaired by a rescan.
        let _ = sock.set_rx_buf_sz(1 << 20);
        let msg = listen_message(addr.port_number());
        sock.send_to(&msg, &SocketAddr::new(0, 0), 0)?;
        Ok(ProcConnector {
            sock,
            buf: Vec::with_capacity(1 << 16),
            stats: ConnectorStats::default(),
        })
    }

    /// Counters.
    pub fn stats(&self) -> ConnectorStats {
        self.stats
    }

    /// Reads every pending datagram (non-blocking) into `out`.
    pub fn recv(&mut self, out: &mut Vec<ProcEvent>) -> io::Result<RecvStatus> {
        loop {
            self.buf.clear();
            match self.sock.recv_from(&mut self.buf, 0) {
                Ok((_, from)) => {
                    self.stats.datagrams += 1;
                    if from.port_number() != 0 {
                        self.stats.foreign += 1;
                        continue;
                    }
                    let before = out.len();
                    if parse_datagram(&self.buf, out).is_err() {
                        self.stats.malformed += 1;
                    }
                    self.stats.events += (out.len() - before) as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(RecvStatus::Drained),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                    self.stats.overruns += 1;
                    return Ok(RecvStatus::Overrun);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

impl AsFd for ProcConnector {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

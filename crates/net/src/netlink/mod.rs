//! Synchronous rtnetlink (NETLINK_ROUTE): one request, its replies, its ACK.
//!
//! The daemon is a single-threaded event loop, so every exchange here is a
//! short blocking round trip bounded by a receive timeout; the socket never
//! joins multicast groups (that is [`crate::LinkMonitor`]'s job), so nothing
//! else arrives on it.

mod addr;
mod link;
pub(crate) mod raw;
mod route;

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_sys::{protocols::NETLINK_ROUTE, Socket, SocketAddr};
use nix::sys::socket::MsgFlags;

use crate::error::{ctx, NetError};

pub use addr::{IpNetAddr, VirtualAddress};
pub use link::LinkInfo;
pub use route::{RouteKind, VirtualRoute};

/// How long a request waits for the kernel's answer.
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

/// A synchronous rtnetlink socket for queries and address/route changes.
pub struct Netlink {
    sock: Socket,
    seq: u32,
    buf: Vec<u8>,
}

impl Netlink {
    /// Opens and binds an rtnetlink socket.
    pub fn new() -> io::Result<Netlink> {
        let mut sock = Socket::new(NETLINK_ROUTE).map_err(ctx("socket(NETLINK_ROUTE)"))?;
        sock.bind_auto().map_err(ctx("bind(NETLINK_ROUTE)"))?;
        // Extended ACKs give the kernel's reason text on errors; best effort.
        let _ = sock.set_ext_ack(true);
        socket2::SockRef::from(&sock)
            .set_read_timeout(Some(REPLY_TIMEOUT))
            .map_err(ctx("setsockopt(SO_RCVTIMEO) on NETLINK_ROUTE"))?;
        Ok(Netlink {
            sock,
            seq: 0,
            buf: vec![0; 64 * 1024],
        })
    }

    /// Sends `msg` as a dump request and collects every reply until NLMSG_DONE.
    pub(crate) fn dump(&mut self, msg: RouteNetlinkMessage, what: &str) -> io::Result<Vec<Reply>> {
        self.exchange(msg, NLM_F_REQUEST | NLM_F_DUMP, what)
    }

    /// Sends `msg` with `flags | NLM_F_ACK` and waits for the ACK.
    ///
    /// Returns the kernel's errno as `Err(NetError::Kernel)`.
    pub(crate) fn request(
        &mut self,
        msg: RouteNetlinkMessage,
        flags: u16,
        what: &str,
    ) -> io::Result<Vec<Reply>> {
        self.exchange(msg, NLM_F_REQUEST | NLM_F_ACK | flags, what)
    }

    fn exchange(
        &mut self,
        msg: RouteNetlinkMessage,
        flags: u16,
        what: &str,
    ) -> io::Result<Vec<Reply>> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let mut header = NetlinkHeader::default();
        header.flags = flags;
        header.sequence_number = seq;
        let mut nl = NetlinkMessage::new(header, NetlinkPayload::InnerMessage(msg));
        nl.finalize();
        let mut out = vec![0u8; nl.buffer_len()];
        nl.serialize(&mut out);
        let kernel = SocketAddr::new(0, 0);
        self.sock
            .send_to(&out, &kernel, 0)
            .map_err(ctx(format!("sendto(NETLINK_ROUTE) for {what}")))?;

        let dump = flags & NLM_F_DUMP == NLM_F_DUMP;
        let mut replies = Vec::new();
        loop {
            let n = self.recv_datagram(what)?;
            for raw in raw::split(&self.buf[..n]) {
                let raw = raw.map_err(|detail| NetError::Decode {
                    request: what.to_string(),
                    detail,
                })?;
                if raw.seq != seq {
                    continue; // a late reply to an earlier, timed-out request
                }
                let reply = match NetlinkMessage::<RouteNetlinkMessage>::deserialize(raw.bytes) {
                    Ok(m) => m,
                    Err(e) => match raw::link_fallback(&raw) {
                        Some(info) if raw.kind == raw::RTM_NEWLINK => {
                            replies.push(Reply::Link(info));
                            if !dump {
                                return Ok(replies);
                            }
                            continue;
                        }
                        _ => {
                            return Err(NetError::Decode {
                                request: what.to_string(),
                                detail: e.to_string(),
                            }
                            .into())
                        }
                    },
                };
                match reply.payload {
                    NetlinkPayload::Done(_) => return Ok(replies),
                    NetlinkPayload::Error(e) => match e.code {
                        None => return Ok(replies), // the ACK
                        Some(code) => {
                            return Err(NetError::Kernel {
                                request: what.to_string(),
                                source: io::Error::from_raw_os_error(-code.get()),
                            }
                            .into())
                        }
                    },
                    NetlinkPayload::InnerMessage(m) => {
                        replies.push(Reply::Route(m));
                        if !dump && flags & NLM_F_ACK == 0 {
                            return Ok(replies);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Receives one datagram into `self.buf`, growing it if the datagram is larger.
    fn recv_datagram(&mut self, what: &str) -> io::Result<usize> {
        let fd = self.sock.as_raw_fd();
        loop {
            let peek = MsgFlags::MSG_PEEK | MsgFlags::MSG_TRUNC;
            match nix::sys::socket::recv(fd, &mut self.buf, peek) {
                Ok(n) if n > self.buf.len() => self.buf.resize(n, 0),
                Ok(_) => break,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(nix::errno::Errno::EAGAIN) => {
                    return Err(NetError::Timeout {
                        request: what.to_string(),
                        millis: REPLY_TIMEOUT.as_millis() as u64,
                    }
                    .into())
                }
                Err(e) => {
                    return Err(ctx(format!("recv(NETLINK_ROUTE) for {what}"))(e));
                }
            }
        }
        nix::sys::socket::recv(fd, &mut self.buf, MsgFlags::empty())
            .map_err(ctx(format!("recv(NETLINK_ROUTE) for {what}")))
    }
}

impl AsRawFd for Netlink {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

impl AsFd for Netlink {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

/// One decoded reply: a message the decoder understood, or a link message
/// read by the fallback parser.
pub(crate) enum Reply {
    /// Decoded by netlink-packet-route.
    Route(RouteNetlinkMessage),
    /// An RTM_NEWLINK the decoder rejected, read by hand.
    Link(LinkInfo),
}

impl Reply {
    /// The link this reply describes, if it is an RTM_NEWLINK.
    pub(crate) fn link(&self) -> Option<LinkInfo> {
        match self {
            Reply::Route(RouteNetlinkMessage::NewLink(l)) => LinkInfo::from_message(l),
            Reply::Link(info) => Some(info.clone()),
            Reply::Route(_) => None,
        }
    }
}

/// True when `e` carries errno `code` from the kernel.
pub(crate) fn is_errno(e: &io::Error, code: i32) -> bool {
    crate::error::errno_of(e) == Some(code)
}

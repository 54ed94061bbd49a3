//! Link and address events from the kernel (RTMGRP_LINK and the IPv4/IPv6
//! address groups), read non-blocking from the event loop.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_route::link::LinkMessage;
use netlink_packet_route::RouteNetlinkMessage;
use netlink_sys::{protocols::NETLINK_ROUTE, Socket, SocketAddr};
use nix::sys::socket::MsgFlags;

use crate::error::ctx;
use crate::netlink::{raw, IpNetAddr, LinkInfo};

/// An interface came up, went down or disappeared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEvent {
    /// Interface index.
    pub ifindex: u32,
    /// Interface name.
    pub name: String,
    /// Up and running (IFF_UP and IFF_RUNNING); false once removed.
    pub up: bool,
    /// The interface was deleted (RTM_DELLINK).
    pub removed: bool,
}

/// Anything the monitor reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonitorEvent {
    /// A link changed state (only changes of `up`, or a first sighting, or removal).
    Link(LinkEvent),
    /// An address was added (RTM_NEWADDR).
    AddressAdded(IpNetAddr),
    /// An address was removed (RTM_DELADDR).
    AddressRemoved(IpNetAddr),
    /// The kernel dropped events (ENOBUFS): state may have changed unseen.
    /// The monitor has asked for a fresh link dump, whose links follow as
    /// `Link` events; addresses must be re-read by the caller.
    Resync,
}

/// A non-blocking rtnetlink socket subscribed to link and address changes.
pub struct LinkMonitor {
    sock: Socket,
    buf: Vec<u8>,
    last_up: HashMap<u32, bool>,
    seq: u32,
    /// Messages that could not be decoded (counted, then skipped).
    pub decode_errors: u64,
}

impl LinkMonitor {
    /// Opens the socket and joins RTMGRP_LINK, RTMGRP_IPV4_IFADDR and RTMGRP_IPV6_IFADDR.
    pub fn new() -> io::Result<LinkMonitor> {
        let mut sock =
            Socket::new(NETLINK_ROUTE).map_err(ctx("socket(NETLINK_ROUTE) for events"))?;
        let groups =
            (libc::RTMGRP_LINK | libc::RTMGRP_IPV4_IFADDR | libc::RTMGRP_IPV6_IFADDR) as u32;
        sock.bind(&SocketAddr::new(0, groups))
            .map_err(ctx("bind(NETLINK_ROUTE, RTMGRP_LINK|IFADDR)"))?;
        sock.set_non_blocking(true)
            .map_err(ctx("fcntl(O_NONBLOCK) on the link monitor"))?;
        Ok(LinkMonitor {
            sock,
            buf: vec![0; 64 * 1024],
            last_up: HashMap::new(),
            seq: 0,
            decode_errors: 0,
        })
    }

    /// The descriptor to watch for readability.
    pub fn fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    /// Drains the socket and returns link state changes only.
    pub fn poll_events(&mut self) -> io::Result<Vec<LinkEvent>> {
        Ok(self
            .poll()?
            .into_iter()
            .filter_map(|e| match e {
                MonitorEvent::Link(l) => Some(l),
                _ => None,
            })
            .collect())
    }

    /// Drains the socket and returns every event, in kernel order.
    pub fn poll(&mut self) -> io::Result<Vec<MonitorEvent>> {
        let mut out = Vec::new();
        loop {
            let n = match self.recv() {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(out),
                Err(e) if crate::error::errno_of(&e) == Some(libc::ENOBUFS) => {
                    out.push(MonitorEvent::Resync);
                    self.last_up.clear();
                    self.request_link_dump()?;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let buf = std::mem::take(&mut self.buf);
            self.parse(&buf[..n], &mut out);
            self.buf = buf;
        }
    }

    fn parse(&mut self, datagram: &[u8], out: &mut Vec<MonitorEvent>) {
        for raw in raw::split(datagram) {
            let Ok(raw) = raw else {
                // The rest of this datagram cannot be trusted.
                self.decode_errors += 1;
                return;
            };
            match NetlinkMessage::<RouteNetlinkMessage>::deserialize(raw.bytes) {
                Ok(msg) => {
                    if let NetlinkPayload::InnerMessage(inner) = msg.payload {
                        self.route_message(inner, out);
                    }
                }
                Err(_) => match raw::link_fallback(&raw) {
                    Some(info) if raw.kind == raw::RTM_NEWLINK => self.link_changed(info, out),
                    Some(info) if raw.kind == raw::RTM_DELLINK => self.link_removed(info, out),
                    _ => self.decode_errors += 1,
                },
            }
        }
    }

    fn route_message(&mut self, msg: RouteNetlinkMessage, out: &mut Vec<MonitorEvent>) {
        match msg {
            RouteNetlinkMessage::NewLink(l) => {
                if let Some(info) = LinkInfo::from_message(&l) {
                    self.link_changed(info, out);
                }
            }
            RouteNetlinkMessage::DelLink(l) => {
                let info = LinkInfo::from_message(&l).unwrap_or(LinkInfo {
                    index: l.header.index,
                    name: String::new(),
                    mac: [0; 6],
                    up: false,
                    mtu: 0,
                });
                self.link_removed(info, out);
            }
            RouteNetlinkMessage::NewAddress(a) => {
                if let Some(a) = IpNetAddr::from_message(&a) {
                    out.push(MonitorEvent::AddressAdded(a));
                }
            }
            RouteNetlinkMessage::DelAddress(a) => {
                if let Some(a) = IpNetAddr::from_message(&a) {
                    out.push(MonitorEvent::AddressRemoved(a));
                }
            }
            _ => {}
        }
    }

    fn link_changed(&mut self, info: LinkInfo, out: &mut Vec<MonitorEvent>) {
        let prev = self.last_up.insert(info.index, info.up);
        if prev != Some(info.up) {
            out.push(MonitorEvent::Link(LinkEvent {
                ifindex: info.index,
                name: info.name,
                up: info.up,
                removed: false,
            }));
        }
    }

    fn link_removed(&mut self, info: LinkInfo, out: &mut Vec<MonitorEvent>) {
        self.last_up.remove(&info.index);
        out.push(MonitorEvent::Link(LinkEvent {
            ifindex: info.index,
            name: info.name,
            up: false,
            removed: true,
        }));
    }

    fn recv(&mut self) -> io::Result<usize> {
        let fd = self.sock.as_raw_fd();
        loop {
            let peek = MsgFlags::MSG_PEEK | MsgFlags::MSG_TRUNC;
            match nix::sys::socket::recv(fd, &mut self.buf, peek) {
                Ok(n) if n > self.buf.len() => self.buf.resize(n, 0),
                Ok(_) => break,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(ctx("recv(NETLINK_ROUTE events)")(e)),
            }
        }
        nix::sys::socket::recv(fd, &mut self.buf, MsgFlags::empty())
            .map_err(ctx("recv(NETLINK_ROUTE events)"))
    }

    /// Asks the kernel for every link; the replies arrive as NEWLINK messages.
    fn request_link_dump(&mut self) -> io::Result<()> {
        self.seq = self.seq.wrapping_add(1);
        let mut header = NetlinkHeader::default();
        header.flags = NLM_F_REQUEST | NLM_F_DUMP;
        header.sequence_number = self.seq;
        let mut nl = NetlinkMessage::new(
            header,
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::GetLink(LinkMessage::default())),
        );
        nl.finalize();
        let mut out = vec![0u8; nl.buffer_len()];
        nl.serialize(&mut out);
        self.sock
            .send_to(&out, &SocketAddr::new(0, 0), 0)
            .map_err(ctx("sendto(NETLINK_ROUTE) for RTM_GETLINK resync dump"))?;
        Ok(())
    }
}

impl AsRawFd for LinkMonitor {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

impl AsFd for LinkMonitor {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

//! Gratuitous ARP and unsolicited Neighbor Advertisements: tell the LAN
//! that a virtual address now lives at this host's MAC.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsFd, AsRawFd, RawFd};

use nix::sys::socket::{sendmsg, ControlMessage, MsgFlags, SockaddrIn6};
use socket2::{Domain, Protocol, Socket, Type};

use crate::error::{ctx, syscall, NetError};
use crate::packet::{build_garp, build_unsolicited_na, GARP_FRAME_LEN};
use crate::vrrp_socket::if_index;
use crate::{sys, Netlink};

/// The all-nodes multicast address, destination of unsolicited NAs (RFC 4861 §7.2.6).
pub const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);

/// Sends gratuitous ARPs and unsolicited NAs on one interface.
pub struct Announcer {
    ifname: String,
    ifindex: u32,
    mac: [u8; 6],
    packet: Socket,
    icmp6: Socket,
}

impl Announcer {
    /// Opens the AF_PACKET and ICMPv6 sockets for `ifname`; the sender MAC is
    /// the interface's own.
    pub fn open(ifname: &str) -> io::Result<Announcer> {
        let ifindex = if_index(ifname)?;
        let mac = Netlink::new()?.link_by_index(ifindex)?.mac;
        let what = |s: &str| format!("{s} for announcements on {ifname}");
        // Protocol 0: the socket sends any frame and receives none.
        let packet = Socket::new_raw(Domain::PACKET, Type::RAW, None)
            .map_err(ctx(what("socket(AF_PACKET, SOCK_RAW)")))?;
        packet
            .set_nonblocking(true)
            .map_err(ctx(what("fcntl(O_NONBLOCK)")))?;

        let icmp6 = Socket::new_raw(Domain::IPV6, Type::RAW, Some(Protocol::ICMPV6))
            .map_err(ctx(what("socket(AF_INET6, SOCK_RAW, ICMPV6)")))?;
        icmp6
            .bind_device(Some(ifname.as_bytes()))
            .map_err(ctx(what("setsockopt(SO_BINDTODEVICE)")))?;
        // RFC 4861 §7.1.2: receivers drop NAs whose hop limit is not 255.
        icmp6
            .set_multicast_hops_v6(255)
            .map_err(ctx(what("setsockopt(IPV6_MULTICAST_HOPS)")))?;
        icmp6
            .set_unicast_hops_v6(255)
            .map_err(ctx(what("setsockopt(IPV6_UNICAST_HOPS)")))?;
        icmp6
            .set_multicast_if_v6(ifindex)
            .map_err(ctx(what("setsockopt(IPV6_MULTICAST_IF)")))?;
        icmp6
            .set_multicast_loop_v6(false)
            .map_err(ctx(what("setsockopt(IPV6_MULTICAST_LOOP)")))?;
        // The VIP may still be tentative (DAD) when we announce it.
        icmp6
            .set_freebind_ipv6(true)
            .map_err(ctx(what("setsockopt(IPV6_FREEBIND)")))?;
        // Send only: block every ICMPv6 type so nothing queues up (RFC 3542 §3.2).
        let block_all = [u32::MAX; 8];
        sys::setsockopt(icmp6.as_fd(), libc::IPPROTO_ICMPV6, 1, &block_all)
            .map_err(ctx(what("setsockopt(ICMP6_FILTER)")))?;
        icmp6
            .set_nonblocking(true)
            .map_err(ctx(what("fcntl(O_NONBLOCK)")))?;
        Ok(Announcer {
            ifname: ifname.to_string(),
            ifindex,
            mac,
            packet,
            icmp6,
        })
    }

    /// The sender MAC used for announcements.
    pub fn mac(&self) -> [u8; 6] {
        self.mac
    }

    /// Uses `mac` as sender (e.g. the VRRP virtual MAC) instead of the interface's.
    pub fn set_mac(&mut self, mac: [u8; 6]) {
        self.mac = mac;
    }

    /// The interface index.
    pub fn ifindex(&self) -> u32 {
        self.ifindex
    }

    /// Sends one gratuitous ARP request for `ip` from the sender MAC.
    pub fn send_garp(&self, ip: Ipv4Addr) -> io::Result<()> {
        self.send_garp_as(ip, self.mac)
    }

    /// Sends one gratuitous ARP request for `ip` claiming hardware address `mac`.
    pub fn send_garp_as(&self, ip: Ipv4Addr, mac: [u8; 6]) -> io::Result<()> {
        let frame = build_garp(mac, ip);
        let what = || {
            format!(
                "sendto(AF_PACKET, gratuitous ARP for {ip}) on {}",
                self.ifname
            )
        };
        let n = sys::send_frame(self.packet.as_fd(), self.ifindex, &frame).map_err(ctx(what()))?;
        if n != GARP_FRAME_LEN {
            return Err(syscall(
                what(),
                io::Error::new(io::ErrorKind::WriteZero, format!("short send: {n} bytes")),
            ));
        }
        Ok(())
    }

    /// Sends one unsolicited Neighbor Advertisement for `ip` to ff02::1,
    /// from `ip`, with the sender MAC as target link-layer address.
    ///
    /// The Router flag follows the interface's IPv6 forwarding setting, as
    /// keepalived does.
    pub fn send_unsolicited_na(&self, ip: Ipv6Addr) -> io::Result<()> {
        if ip.is_multicast() || ip.is_unspecified() {
            return Err(NetError::Invalid(format!("cannot advertise {ip}")).into());
        }
        let body = build_unsolicited_na(ip, self.mac, self.ipv6_forwarding());
        let to = SockaddrIn6::from(sys::v6_sockaddr(ALL_NODES, self.ifindex));
        let info = libc::in6_pktinfo {
            ipi6_addr: libc::in6_addr {
                s6_addr: ip.octets(),
            },
            ipi6_ifindex: self.ifindex,
        };
        let cmsgs = [ControlMessage::Ipv6PacketInfo(&info)];
        let iov = [io::IoSlice::new(&body)];
        sendmsg(
            self.icmp6.as_raw_fd(),
            &iov,
            &cmsgs,
            MsgFlags::empty(),
            Some(&to),
        )
        .map_err(ctx(format!(
            "sendmsg(ICMPv6 unsolicited NA for {ip}) on {}",
            self.ifname
        )))?;
        Ok(())
    }

    /// The interface's `net.ipv6.conf.IF.forwarding` (false if unreadable).
    fn ipv6_forwarding(&self) -> bool {
        std::fs::read_to_string(format!(
            "/proc/sys/net/ipv6/conf/{}/forwarding",
            self.ifname
        ))
        .map(|s| s.trim() != "0")
        .unwrap_or(false)
    }

    /// The descriptors (send-only; nothing is ever readable on them).
    pub fn fds(&self) -> Vec<RawFd> {
        vec![self.packet.as_raw_fd(), self.icmp6.as_raw_fd()]
    }
}

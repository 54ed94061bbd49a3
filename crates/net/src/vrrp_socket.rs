//! Raw VRRP sockets: one per (interface, address family), shared by every
//! VRRP instance on that interface.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddrV4};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use nix::sys::socket::{sendmsg, ControlMessage, MsgFlags, SockaddrIn6};
use socket2::{Domain, InterfaceIndexOrAddress, Protocol, SockAddr, Socket, Type};

use crate::error::{ctx, syscall, NetError};
use crate::packet::parse_ipv4_header;
use crate::{sys, Family, Netlink};

/// IP protocol number of VRRP (RFC 5798 §5.1.1.4).
pub const IPPROTO_VRRP: i32 = 112;
/// IP protocol number of the Authentication Header (RFC 4302), used by VRRPv2 AH auth.
pub const IPPROTO_AH: i32 = 51;
/// The IPv4 VRRP multicast group (RFC 5798 §5.1.1.2).
pub const VRRP_GROUP_V4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 18);
/// The IPv6 VRRP multicast group (RFC 5798 §5.1.2.2).
pub const VRRP_GROUP_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x12);
/// Offset of the checksum in the VRRP header (RFC 5798 §5.1): the kernel
/// computes and verifies it for IPv6 through `IPV6_CHECKSUM`.
const VRRP_CHECKSUM_OFFSET: libc::c_int = 6;
/// Receive buffer of a VRRP socket. One socket carries every VRID on its interface:
/// 255 masters at advert_int 0.01 send bursts of 255 adverts every 10 ms, and the
/// kernel default (`rmem_default`, 208 KiB: a few hundred small packets at their
/// truesize) overflows at the first scheduling hiccup, losing adverts and causing
/// spurious takeovers. 1 MiB (the kernel doubles it to 2 MiB) holds ~100 ms of that load.
const RECV_BUFFER: libc::c_int = 1 << 20;

/// How a [`VrrpSocket`] is set up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SocketOptions {
    /// The multicast group to join on the interface; `None` for unicast only.
    pub multicast_group: Option<IpAddr>,
    /// IPv4 only: also open a raw socket for IP protocol 51 (AH authentication).
    pub ah: bool,
}

impl SocketOptions {
    /// Options for the standard VRRP group of `family` (224.0.0.18 or ff02::12).
    pub fn multicast(family: Family) -> SocketOptions {
        SocketOptions {
            multicast_group: Some(family.vrrp_group()),
            ah: false,
        }
    }
}

/// One VRRP (or AH) packet read from a [`VrrpSocket`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Bytes written into the caller's buffer.
    ///
    /// IPv4: the whole IP packet, header included (as raw IPv4 sockets
    /// deliver it, and as [`VrrpSocket::send`] takes it); IPv6: the VRRP
    /// message only.
    pub len: usize,
    /// Source address of the IP header.
    pub src: IpAddr,
    /// Destination address of the IP header.
    pub dst: IpAddr,
    /// TTL / hop limit of the IP header (RFC 5798 §7.1 wants 255).
    pub hop_limit: Option<u8>,
    /// The interface the packet arrived on.
    pub ifindex: u32,
    /// Where the VRRP (or AH) header starts in the buffer: the IPv4 header
    /// length, or 0 for IPv6.
    pub payload_offset: usize,
}

/// Raw VRRP socket(s) bound to one interface for one address family.
///
/// Non-blocking: `recv` returns `ErrorKind::WouldBlock` when nothing is queued.
/// Register [`VrrpSocket::fds`] (or `as_raw_fd()` and [`VrrpSocket::ah_fd`]) with the event loop.
pub struct VrrpSocket {
    ifname: String,
    ifindex: u32,
    family: Family,
    group: Option<IpAddr>,
    sock: Socket,
    ah: Option<Socket>,
    /// IPv6: default source for sends (the interface's link-local address).
    src_v6: Option<Ipv6Addr>,
}

impl VrrpSocket {
    /// Opens the socket(s) for `family` on `ifname` and joins the multicast group if any.
    pub fn open(ifname: &str, family: Family, opts: &SocketOptions) -> io::Result<VrrpSocket> {
        let ifindex = if_index(ifname)?;
        if let Some(g) = opts.multicast_group {
            if Family::of(&g) != family || !g.is_multicast() {
                return Err(NetError::Invalid(format!(
                    "multicast group {g} is not an {family} multicast address"
                ))
                .into());
            }
        }
        if opts.ah && family == Family::V6 {
            return Err(NetError::Invalid("AH authentication is IPv4 only".into()).into());
        }
        let mut me = VrrpSocket {
            ifname: ifname.to_string(),
            ifindex,
            family,
            group: opts.multicast_group,
            sock: match family {
                Family::V4 => open_v4(ifname, ifindex, IPPROTO_VRRP, opts.multicast_group)?,
                Family::V6 => open_v6(ifname, ifindex, opts.multicast_group)?,
            },
            ah: None,
            src_v6: None,
        };
        if opts.ah {
            me.ah = Some(open_v4(ifname, ifindex, IPPROTO_AH, opts.multicast_group)?);
        }
        if family == Family::V6 {
            // RFC 5798 §5.1.2.1: the source is the interface's link-local address.
            me.src_v6 = Netlink::new()?.link_local_ipv6(ifindex)?;
        }
        Ok(me)
    }

    /// The interface name.
    pub fn ifname(&self) -> &str {
        &self.ifname
    }

    /// The interface index.
    pub fn ifindex(&self) -> u32 {
        self.ifindex
    }

    /// The address family.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The joined multicast group, if any.
    pub fn multicast_group(&self) -> Option<IpAddr> {
        self.group
    }

    /// IPv6: the default source address of sends (the link-local address found at open).
    pub fn default_source_v6(&self) -> Option<Ipv6Addr> {
        self.src_v6
    }

    /// IPv6: replaces the default source address (e.g. after the link-local address changed).
    pub fn set_default_source_v6(&mut self, src: Option<Ipv6Addr>) {
        self.src_v6 = src;
    }

    /// Sends one packet to `dst`.
    ///
    /// IPv4: `pkt` is a whole IPv4 packet, header included (IP_HDRINCL); the
    /// kernel fills in the header checksum, total length and an ID of 0; `src` is
    /// ignored (it is in the header). IPv6: `pkt` is the VRRP message; the kernel
    /// writes the VRRP checksum (IPV6_CHECKSUM) and the source is `src` or the
    /// interface's link-local address, set with IPV6_PKTINFO.
    pub fn send(&self, pkt: &[u8], dst: IpAddr, src: Option<IpAddr>) -> io::Result<()> {
        match (self.family, dst) {
            (Family::V4, IpAddr::V4(d)) => send_v4(&self.sock, &self.ifname, pkt, d),
            (Family::V6, IpAddr::V6(d)) => {
                let src = match src {
                    Some(IpAddr::V6(s)) => Some(s),
                    Some(IpAddr::V4(s)) => {
                        return Err(
                            NetError::Invalid(format!("IPv4 source {s} on an IPv6 socket")).into(),
                        )
                    }
                    None => self.src_v6,
                };
                self.send_v6(pkt, d, src)
            }
            (fam, d) => {
                Err(NetError::Invalid(format!("destination {d} on an {fam} socket")).into())
            }
        }
    }

    /// Sends on the AH socket (IPv4, `ah: true`): `pkt` is a whole IPv4 packet
    /// with protocol 51.
    pub fn send_ah(&self, pkt: &[u8], dst: Ipv4Addr) -> io::Result<()> {
        let ah = self.ah_socket()?;
        send_v4(ah, &self.ifname, pkt, dst)
    }

    /// Reads one VRRP packet; `WouldBlock` when none is queued.
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<Received> {
        match self.family {
            Family::V4 => recv_v4(&self.sock, &self.ifname, self.ifindex, buf),
            Family::V6 => {
                let r = sys::recv_v6(self.sock.as_fd(), buf)
                    .map_err(ctx(format!("recvmsg(VRRP) on {}", self.ifname)))?;
                if r.truncated {
                    return Err(NetError::Invalid(format!(
                        "VRRP packet from {} longer than the {}-byte buffer",
                        r.src,
                        buf.len()
                    ))
                    .into());
                }
                Ok(Received {
                    len: r.len,
                    src: IpAddr::V6(r.src),
                    dst: IpAddr::V6(r.dst.unwrap_or(Ipv6Addr::UNSPECIFIED)),
                    hop_limit: r.hop_limit,
                    ifindex: r.ifindex.unwrap_or(self.ifindex),
                    payload_offset: 0,
                })
            }
        }
    }

    /// Reads one packet from the AH socket (IPv4 with `ah: true`).
    pub fn recv_ah(&self, buf: &mut [u8]) -> io::Result<Received> {
        recv_v4(self.ah_socket()?, &self.ifname, self.ifindex, buf)
    }

    /// The AH socket's descriptor, when opened with `ah: true`.
    pub fn ah_fd(&self) -> Option<BorrowedFd<'_>> {
        self.ah.as_ref().map(AsFd::as_fd)
    }

    /// Every descriptor the event loop must watch: the VRRP socket, then the AH socket.
    pub fn fds(&self) -> Vec<RawFd> {
        std::iter::once(self.sock.as_raw_fd())
            .chain(self.ah.as_ref().map(AsRawFd::as_raw_fd))
            .collect()
    }

    fn ah_socket(&self) -> io::Result<&Socket> {
        self.ah.as_ref().ok_or_else(|| {
            NetError::Invalid(format!(
                "no AH socket on {} (open with ah: true)",
                self.ifname
            ))
            .into()
        })
    }

    fn send_v6(&self, pkt: &[u8], dst: Ipv6Addr, src: Option<Ipv6Addr>) -> io::Result<()> {
        let scope = if is_link_scoped(&dst) {
            self.ifindex
        } else {
            0
        };
        let to = SockaddrIn6::from(sys::v6_sockaddr(dst, scope));
        let info = libc::in6_pktinfo {
            ipi6_addr: libc::in6_addr {
                s6_addr: src.unwrap_or(Ipv6Addr::UNSPECIFIED).octets(),
            },
            ipi6_ifindex: self.ifindex,
        };
        let cmsgs = [ControlMessage::Ipv6PacketInfo(&info)];
        let iov = [io::IoSlice::new(pkt)];
        sendmsg(
            self.sock.as_raw_fd(),
            &iov,
            &cmsgs,
            MsgFlags::empty(),
            Some(&to),
        )
        .map_err(ctx(format!("sendmsg(VRRP to {dst}) on {}", self.ifname)))?;
        Ok(())
    }
}

impl AsRawFd for VrrpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }
}

impl AsFd for VrrpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }
}

impl Drop for VrrpSocket {
    fn drop(&mut self) {
        // Closing leaves the groups too; leaving explicitly first makes the
        // IGMP/MLD leave go out now rather than when the last fd closes.
        match self.group {
            Some(IpAddr::V4(g)) => {
                let ifx = InterfaceIndexOrAddress::Index(self.ifindex);
                for s in std::iter::once(&self.sock).chain(self.ah.as_ref()) {
                    let _ = s.leave_multicast_v4_n(&g, &ifx);
                }
            }
            Some(IpAddr::V6(g)) => {
                let _ = self.sock.leave_multicast_v6(&g, self.ifindex);
            }
            None => {}
        }
    }
}

/// The index of interface `name`, or a NotFound error naming it.
pub(crate) fn if_index(name: &str) -> io::Result<u32> {
    nix::net::if_::if_nametoindex(name).map_err(|e| {
        if e == nix::errno::Errno::ENODEV {
            NetError::NotFound {
                what: format!("interface {name}"),
            }
            .into()
        } else {
            syscall(format!("if_nametoindex({name})"), e.into())
        }
    })
}

fn is_link_scoped(a: &Ipv6Addr) -> bool {
    let s = a.segments();
    (s[0] & 0xffc0) == 0xfe80 || (a.is_multicast() && (s[0] & 0x000f) <= 2)
}

fn open_v4(ifname: &str, ifindex: u32, proto: i32, group: Option<IpAddr>) -> io::Result<Socket> {
    let what = |opt: &str| format!("{opt} on raw IPv4 protocol {proto} socket for {ifname}");
    let s = Socket::new_raw(Domain::IPV4, Type::RAW, Some(Protocol::from(proto)))
        .map_err(ctx(what("socket(AF_INET, SOCK_RAW)")))?;
    s.set_header_included_v4(true)
        .map_err(ctx(what("setsockopt(IP_HDRINCL)")))?;
    s.bind_device(Some(ifname.as_bytes()))
        .map_err(ctx(what("setsockopt(SO_BINDTODEVICE)")))?;
    s.set_multicast_loop_v4(false)
        .map_err(ctx(what("setsockopt(IP_MULTICAST_LOOP)")))?;
    s.set_multicast_ttl_v4(255)
        .map_err(ctx(what("setsockopt(IP_MULTICAST_TTL)")))?;
    // Only the groups this socket joined, not every group of the host.
    s.set_multicast_all_v4(false)
        .map_err(ctx(what("setsockopt(IP_MULTICAST_ALL)")))?;
    let mreqn = libc::ip_mreqn {
        imr_multiaddr: libc::in_addr { s_addr: 0 },
        imr_address: libc::in_addr { s_addr: 0 },
        imr_ifindex: ifindex as libc::c_int,
    };
    sys::setsockopt(s.as_fd(), libc::IPPROTO_IP, libc::IP_MULTICAST_IF, &mreqn)
        .map_err(ctx(what("setsockopt(IP_MULTICAST_IF)")))?;
    if let Some(IpAddr::V4(g)) = group {
        s.join_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(ifindex))
            .map_err(ctx(what(&format!("IP_ADD_MEMBERSHIP({g})"))))?;
    }
    set_recv_buffer(&s);
    s.set_nonblocking(true)
        .map_err(ctx(what("fcntl(O_NONBLOCK)")))?;
    Ok(s)
}

/// Sets the receive buffer to [`RECV_BUFFER`]: `SO_RCVBUFFORCE` (CAP_NET_ADMIN, which
/// the daemon has) passes `net.core.rmem_max`; without the capability, `SO_RCVBUF`
/// gets what `rmem_max` allows. Not fatal: the default still works at lower loads.
fn set_recv_buffer(s: &Socket) {
    if sys::setsockopt_int(
        s.as_fd(),
        libc::SOL_SOCKET,
        libc::SO_RCVBUFFORCE,
        RECV_BUFFER,
    )
    .is_err()
    {
        let _ = s.set_recv_buffer_size(RECV_BUFFER as usize);
    }
}

fn open_v6(ifname: &str, ifindex: u32, group: Option<IpAddr>) -> io::Result<Socket> {
    let what = |opt: &str| format!("{opt} on raw IPv6 VRRP socket for {ifname}");
    let s = Socket::new_raw(Domain::IPV6, Type::RAW, Some(Protocol::from(IPPROTO_VRRP)))
        .map_err(ctx(what("socket(AF_INET6, SOCK_RAW)")))?;
    s.bind_device(Some(ifname.as_bytes()))
        .map_err(ctx(what("setsockopt(SO_BINDTODEVICE)")))?;
    sys::setsockopt_int(
        s.as_fd(),
        libc::IPPROTO_IPV6,
        libc::IPV6_CHECKSUM,
        VRRP_CHECKSUM_OFFSET,
    )
    .map_err(ctx(what("setsockopt(IPV6_CHECKSUM)")))?;
    // RFC 5798 §5.1.2.3: hop limit 255 on every VRRP packet.
    s.set_multicast_hops_v6(255)
        .map_err(ctx(what("setsockopt(IPV6_MULTICAST_HOPS)")))?;
    s.set_unicast_hops_v6(255)
        .map_err(ctx(what("setsockopt(IPV6_UNICAST_HOPS)")))?;
    s.set_multicast_loop_v6(false)
        .map_err(ctx(what("setsockopt(IPV6_MULTICAST_LOOP)")))?;
    s.set_multicast_if_v6(ifindex)
        .map_err(ctx(what("setsockopt(IPV6_MULTICAST_IF)")))?;
    s.set_recv_hoplimit_v6(true)
        .map_err(ctx(what("setsockopt(IPV6_RECVHOPLIMIT)")))?;
    sys::setsockopt_int(s.as_fd(), libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, 1)
        .map_err(ctx(what("setsockopt(IPV6_RECVPKTINFO)")))?;
    // Only the groups this socket joined (Linux 4.20+; older kernels lack the
    // option and deliver every joined group, which the VRRP core filters).
    let _ = s.set_multicast_all_v6(false);
    if let Some(IpAddr::V6(g)) = group {
        s.join_multicast_v6(&g, ifindex)
            .map_err(ctx(what(&format!("IPV6_ADD_MEMBERSHIP({g})"))))?;
    }
    set_recv_buffer(&s);
    s.set_nonblocking(true)
        .map_err(ctx(what("fcntl(O_NONBLOCK)")))?;
    Ok(s)
}

fn send_v4(s: &Socket, ifname: &str, pkt: &[u8], dst: Ipv4Addr) -> io::Result<()> {
    parse_ipv4_header(pkt).map_err(|e| NetError::Invalid(format!("packet to send: {e}")))?;
    let to = SockAddr::from(SocketAddrV4::new(dst, 0));
    let n = s
        .send_to(pkt, &to)
        .map_err(ctx(format!("sendto({dst}) on {ifname}")))?;
    if n != pkt.len() {
        return Err(syscall(
            format!("sendto({dst}) on {ifname}"),
            io::Error::new(
                io::ErrorKind::WriteZero,
                format!("short send: {n} of {} bytes", pkt.len()),
            ),
        ));
    }
    Ok(())
}

fn recv_v4(s: &Socket, ifname: &str, ifindex: u32, buf: &mut [u8]) -> io::Result<Received> {
    // MSG_TRUNC makes recv return the datagram's real length, so an
    // oversized packet is reported instead of silently cut.
    let len = nix::sys::socket::recv(s.as_raw_fd(), buf, MsgFlags::MSG_TRUNC)
        .map_err(ctx(format!("recv(raw IPv4) on {ifname}")))?;
    if len > buf.len() {
        return Err(NetError::Invalid(format!(
            "{len}-byte packet on {ifname} longer than the {}-byte buffer",
            buf.len()
        ))
        .into());
    }
    let meta = parse_ipv4_header(&buf[..len])
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    Ok(Received {
        len,
        src: IpAddr::V4(meta.src),
        dst: IpAddr::V4(meta.dst),
        hop_limit: Some(meta.ttl),
        ifindex,
        payload_offset: meta.header_len,
    })
}

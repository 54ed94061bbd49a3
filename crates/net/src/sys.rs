//! The few raw system calls that neither socket2 nor nix wrap: plain
//! `setsockopt` for options they lack, and `recvmsg` that reads the IPv6
//! hop-limit and packet-info control messages.
//!
//! Every `unsafe` block in the crate lives in this file.

use std::io;
use std::mem::{size_of, MaybeUninit};
use std::net::{Ipv6Addr, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd};

/// Sets a socket option whose value is a plain C struct or integer.
///
/// `T` must be a `repr(C)` type without padding that the kernel reads as
/// bytes (c_int, byte arrays, libc option structs).
#[allow(unsafe_code)]
pub(crate) fn setsockopt<T: Copy>(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    value: &T,
) -> io::Result<()> {
    // SAFETY: `value` points to `size_of::<T>()` initialised bytes that live
    // for the duration of the call; the kernel only reads them. `fd` is a
    // valid open descriptor borrowed for the call.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (value as *const T).cast::<libc::c_void>(),
            size_of::<T>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Sets an integer socket option.
pub(crate) fn setsockopt_int(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    setsockopt(fd, level, name, &value)
}

/// One IPv6 datagram read with `recvmsg`, with the ancillary data we asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recv6 {
    /// Bytes written into the buffer.
    pub len: usize,
    /// The sender.
    pub src: Ipv6Addr,
    /// The destination address (IPV6_PKTINFO), when the kernel gave it.
    pub dst: Option<Ipv6Addr>,
    /// The arrival interface (IPV6_PKTINFO), when the kernel gave it.
    pub ifindex: Option<u32>,
    /// The hop limit of the IPv6 header (IPV6_HOPLIMIT).
    pub hop_limit: Option<u8>,
    /// The datagram was longer than the buffer.
    pub truncated: bool,
}

/// Control buffer big enough for IPV6_PKTINFO plus IPV6_HOPLIMIT, 8-aligned.
#[repr(C, align(8))]
struct CmsgBuf([u8; 128]);

/// `recvmsg` on an IPv6 datagram socket, non-blocking per the socket's mode.
#[allow(unsafe_code)]
pub(crate) fn recv_v6(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<Recv6> {
    let mut from = MaybeUninit::<libc::sockaddr_in6>::zeroed();
    let mut cbuf = CmsgBuf([0; 128]);
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: msghdr is a plain C struct; all-zero is a valid value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_name = from.as_mut_ptr().cast();
    msg.msg_namelen = size_of::<libc::sockaddr_in6>() as libc::socklen_t;
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf.0.as_mut_ptr().cast();
    msg.msg_controllen = cbuf.0.len();
    // SAFETY: every pointer in `msg` points to live, writable memory of the
    // stated length (buf, from, cbuf) that outlives the call.
    let n = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel filled `from` (msg_namelen bytes, zero-initialised
    // before, so any shorter fill still leaves a valid value).
    let from = unsafe { from.assume_init() };
    let mut out = Recv6 {
        len: n as usize,
        src: Ipv6Addr::from(from.sin6_addr.s6_addr),
        dst: None,
        ifindex: None,
        hop_limit: None,
        truncated: msg.msg_flags & libc::MSG_TRUNC != 0,
    };
    // SAFETY: CMSG_FIRSTHDR/CMSG_NXTHDR walk the control buffer the kernel
    // filled, bounded by msg_controllen; CMSG_DATA points inside it, and we
    // read unaligned copies of exactly the payload size we check for.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            let hdr = &*cmsg;
            let data = libc::CMSG_DATA(cmsg);
            let payload = hdr.cmsg_len.saturating_sub(libc::CMSG_LEN(0) as usize);
            if hdr.cmsg_level == libc::IPPROTO_IPV6 {
                if hdr.cmsg_type == libc::IPV6_PKTINFO && payload >= size_of::<libc::in6_pktinfo>()
                {
                    let info: libc::in6_pktinfo = std::ptr::read_unaligned(data.cast());
                    out.dst = Some(Ipv6Addr::from(info.ipi6_addr.s6_addr));
                    out.ifindex = Some(info.ipi6_ifindex);
                } else if hdr.cmsg_type == libc::IPV6_HOPLIMIT
                    && payload >= size_of::<libc::c_int>()
                {
                    let hl: libc::c_int = std::ptr::read_unaligned(data.cast());
                    out.hop_limit = u8::try_from(hl).ok();
                }
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    Ok(out)
}

/// Builds a `sockaddr_in6`-compatible socket address with a scope id.
pub(crate) fn v6_sockaddr(addr: Ipv6Addr, scope_id: u32) -> SocketAddrV6 {
    SocketAddrV6::new(addr, 0, 0, scope_id)
}

/// Sends one whole Ethernet frame on interface `ifindex` through an
/// AF_PACKET/SOCK_RAW socket (`frame` starts with the Ethernet header).
#[allow(unsafe_code)]
pub(crate) fn send_frame(fd: BorrowedFd<'_>, ifindex: u32, frame: &[u8]) -> io::Result<usize> {
    if frame.len() < 14 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "Ethernet frame shorter than its header",
        ));
    }
    // SAFETY: sockaddr_ll is a plain C struct; all-zero is a valid value.
    let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    sll.sll_family = libc::AF_PACKET as u16;
    sll.sll_protocol = u16::from_be_bytes([frame[12], frame[13]]).to_be();
    sll.sll_ifindex = ifindex as libc::c_int;
    sll.sll_halen = 6;
    sll.sll_addr[..6].copy_from_slice(&frame[..6]);
    // SAFETY: `frame` and `sll` are live for the call and their lengths are
    // passed exactly; the kernel only reads them.
    let n = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            frame.as_ptr().cast(),
            frame.len(),
            0,
            (&sll as *const libc::sockaddr_ll).cast(),
            size_of::<libc::sockaddr_ll>() as libc::socklen_t,
        )
    };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

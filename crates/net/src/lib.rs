//! vigil-net: the Linux plumbing of vigil's VRRP daemon.
//!
//! - [`VrrpSocket`]: raw VRRP sockets (IPv4 with IP_HDRINCL, optional AH
//!   socket; IPv6 with hop limit and destination from ancillary data),
//!   one per (interface, family), multicast or unicast.
//! - [`Netlink`]: synchronous rtnetlink for links, addresses and routes.
//! - [`Announcer`]: gratuitous ARP and unsolicited Neighbor Advertisements.
//! - [`LinkMonitor`]: link up/down and address events, non-blocking.
//! - [`Vmac`]: macvlan virtual MAC interfaces (`use_vmac`) and their sysctls.
//! - [`AcceptFilter`]: nftables drop rules for VIPs in `no_accept` mode.
//!
//! Every socket is non-blocking where it is read from the event loop and
//! exposes `AsRawFd`/`AsFd` for tokio's `AsyncFd`. Errors are `io::Error`s
//! whose inner [`NetError`] names the call that failed.

mod accept;
mod error;
mod garp;
mod link;
mod netlink;
pub mod packet;
mod sys;
mod sysctl;
mod vmac;
mod vmac_link;
mod vmac_sysctl;
mod vrrp_socket;

use std::fmt;
use std::net::IpAddr;

pub use accept::{
    AcceptFilter, AcceptOptions, AcceptRules, FirewallError, DEFAULT_PRIORITY, DEFAULT_TABLE,
};
pub use error::{errno_of, NetError};
pub use garp::{Announcer, ALL_NODES};
pub use link::{LinkEvent, LinkMonitor, MonitorEvent};
pub use netlink::{IpNetAddr, LinkInfo, Netlink, RouteKind, VirtualAddress, VirtualRoute};
pub use vmac::{default_vmac_names, eui64_link_local, virtual_mac, Vmac, VmacConfig, VmacInfo};
pub use vrrp_socket::{
    Received, SocketOptions, VrrpSocket, IPPROTO_AH, IPPROTO_VRRP, VRRP_GROUP_V4, VRRP_GROUP_V6,
};

/// An address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    /// The family of `addr`.
    pub fn of(addr: &IpAddr) -> Family {
        match addr {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    /// The standard VRRP multicast group of the family (RFC 5798 §5.1.1.2, §5.1.2.2).
    pub fn vrrp_group(self) -> IpAddr {
        match self {
            Family::V4 => IpAddr::V4(VRRP_GROUP_V4),
            Family::V6 => IpAddr::V6(VRRP_GROUP_V6),
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        })
    }
}

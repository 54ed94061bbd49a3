//! Interface addresses: list them, add and remove virtual addresses.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL};
use netlink_packet_route::address::{
    AddressAttribute, AddressFlags, AddressHeaderFlags, AddressMessage, AddressScope,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::{is_errno, Netlink, Reply};
use crate::error::NetError;
use crate::Family;

/// An address configured on an interface, as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpNetAddr {
    /// Interface index.
    pub ifindex: u32,
    /// The local address.
    pub addr: IpAddr,
    /// Prefix length.
    pub prefix_len: u8,
    /// RT scope (0 global, 200 site, 253 link, 254 host).
    pub scope: u8,
    /// IPv4 label (`eth0:1`), if the kernel reported one.
    pub label: Option<String>,
    /// IFA_F_* flags (secondary, nodad, tentative, ...).
    pub flags: u32,
}

impl IpNetAddr {
    /// IFA_F_SECONDARY: not the primary address of its subnet.
    pub fn is_secondary(&self) -> bool {
        self.flags & AddressFlags::Secondary.bits() != 0
    }

    /// IFA_F_TENTATIVE: IPv6 duplicate address detection still running.
    pub fn is_tentative(&self) -> bool {
        self.flags & AddressFlags::Tentative.bits() != 0
    }

    /// Reads an address message (RTM_NEWADDR reply or event).
    pub fn from_message(msg: &AddressMessage) -> Option<IpNetAddr> {
        let mut local = None;
        let mut address = None;
        let mut label = None;
        let mut flags = u32::from(msg.header.flags.bits());
        for attr in &msg.attributes {
            match attr {
                AddressAttribute::Local(a) => local = Some(*a),
                AddressAttribute::Address(a) => address = Some(*a),
                AddressAttribute::Label(l) => label = Some(l.clone()),
                AddressAttribute::Flags(f) => flags = f.bits(),
                _ => {}
            }
        }
        Some(IpNetAddr {
            ifindex: msg.header.index,
            addr: local.or(address)?,
            prefix_len: msg.header.prefix_len,
            scope: u8::from(msg.header.scope),
            label,
            flags,
        })
    }
}

/// A virtual address to add to or remove from an interface
/// (keepalived's `virtual_ipaddress` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualAddress {
    /// Interface index.
    pub ifindex: u32,
    /// The address.
    pub addr: IpAddr,
    /// Prefix length (32 / 128 for a host address).
    pub prefix_len: u8,
    /// IPv4 broadcast address (`brd`).
    pub broadcast: Option<Ipv4Addr>,
    /// RT scope (`scope`): 0 global, 200 site, 253 link, 254 host.
    pub scope: Option<u8>,
    /// IPv4 label (`label eth0:1`); Linux wants it to start with the interface name.
    pub label: Option<String>,
    /// Point-to-point peer (`peer`).
    pub peer: Option<IpAddr>,
    /// IPv6: skip duplicate address detection (`nodad`).
    pub nodad: bool,
    /// Do not add the prefix route (`noprefixroute`).
    pub noprefixroute: bool,
}

impl VirtualAddress {
    /// A plain address with no options.
    pub fn new(ifindex: u32, addr: IpAddr, prefix_len: u8) -> VirtualAddress {
        VirtualAddress {
            ifindex,
            addr,
            prefix_len,
            broadcast: None,
            scope: None,
            label: None,
            peer: None,
            nodad: false,
            noprefixroute: false,
        }
    }

    fn describe(&self) -> String {
        format!(
            "{}/{} on ifindex {}",
            self.addr, self.prefix_len, self.ifindex
        )
    }

    /// Checks the fields against each other before anything is sent.
    pub fn validate(&self) -> Result<(), NetError> {
        let max = match self.addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        if self.prefix_len > max {
            return Err(NetError::Invalid(format!(
                "prefix length {} > {max} for {}",
                self.prefix_len, self.addr
            )));
        }
        if let Some(p) = self.peer {
            if p.is_ipv4() != self.addr.is_ipv4() {
                return Err(NetError::Invalid(format!(
                    "peer {p} is not the family of {}",
                    self.addr
                )));
            }
        }
        if self.addr.is_ipv6() && (self.broadcast.is_some() || self.label.is_some()) {
            return Err(NetError::Invalid(format!(
                "broadcast and label are IPv4 only ({})",
                self.addr
            )));
        }
        if let Some(l) = &self.label {
            if l.is_empty() || l.len() > 15 {
                return Err(NetError::Invalid(format!(
                    "label {l:?} must be 1 to 15 characters"
                )));
            }
        }
        Ok(())
    }

    /// The RTM_NEWADDR / RTM_DELADDR body for this address.
    ///
    /// Mirrors `ip addr add`: IFA_LOCAL is the address, IFA_ADDRESS the peer
    /// (or the address itself); flags beyond 8 bits go in IFA_FLAGS.
    pub fn to_message(&self, for_delete: bool) -> AddressMessage {
        let mut msg = AddressMessage::default();
        msg.header.family = match self.addr {
            IpAddr::V4(_) => AddressFamily::Inet,
            IpAddr::V6(_) => AddressFamily::Inet6,
        };
        msg.header.prefix_len = self.prefix_len;
        msg.header.index = self.ifindex;
        msg.header.scope = AddressScope::from(self.scope.unwrap_or(0));
        msg.attributes.push(AddressAttribute::Local(self.addr));
        msg.attributes
            .push(AddressAttribute::Address(self.peer.unwrap_or(self.addr)));
        if for_delete {
            return msg;
        }
        let mut flags = AddressFlags::empty();
        if self.nodad {
            flags |= AddressFlags::Nodad;
            msg.header.flags |= AddressHeaderFlags::Nodad;
        }
        if self.noprefixroute {
            flags |= AddressFlags::Noprefixroute;
        }
        if !flags.is_empty() {
            msg.attributes.push(AddressAttribute::Flags(flags));
        }
        if let Some(b) = self.broadcast {
            msg.attributes.push(AddressAttribute::Broadcast(b));
        }
        if let Some(l) = &self.label {
            msg.attributes.push(AddressAttribute::Label(l.clone()));
        }
        msg
    }
}

impl Netlink {
    /// The addresses on interface `ifindex` of `family`.
    pub fn addresses(&mut self, ifindex: u32, family: Family) -> io::Result<Vec<IpNetAddr>> {
        let mut req = AddressMessage::default();
        req.header.family = match family {
            Family::V4 => AddressFamily::Inet,
            Family::V6 => AddressFamily::Inet6,
        };
        req.header.index = ifindex;
        let replies = self.dump(
            RouteNetlinkMessage::GetAddress(req),
            &format!("RTM_GETADDR {family} dump"),
        )?;
        Ok(replies
            .iter()
            .filter_map(|m| match m {
                Reply::Route(RouteNetlinkMessage::NewAddress(a)) if a.header.index == ifindex => {
                    IpNetAddr::from_message(a)
                }
                _ => None,
            })
            .filter(|a| Family::of(&a.addr) == family)
            .collect())
    }

    /// The primary IPv4 address of `ifindex`: the first non-secondary one of
    /// global scope, else the first non-secondary one that is not host-scoped
    /// (keepalived's default source for VRRP adverts).
    pub fn primary_ipv4(&mut self, ifindex: u32) -> io::Result<Option<Ipv4Addr>> {
        let addrs = self.addresses(ifindex, Family::V4)?;
        let primaries = || addrs.iter().filter(|a| !a.is_secondary());
        let pick = primaries()
            .find(|a| a.scope == 0)
            .or_else(|| primaries().find(|a| a.scope < 254));
        Ok(pick.and_then(|a| match a.addr {
            IpAddr::V4(v4) => Some(v4),
            IpAddr::V6(_) => None,
        }))
    }

    /// The link-local IPv6 address of `ifindex` (fe80::/10), preferring one
    /// that finished duplicate address detection.
    pub fn link_local_ipv6(&mut self, ifindex: u32) -> io::Result<Option<Ipv6Addr>> {
        let mut ll: Vec<(bool, Ipv6Addr)> = self
            .addresses(ifindex, Family::V6)?
            .into_iter()
            .filter_map(|a| match a.addr {
                IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) == 0xfe80 => {
                    Some((a.is_tentative(), v6))
                }
                _ => None,
            })
            .collect();
        ll.sort_by_key(|(tentative, _)| *tentative);
        Ok(ll.first().map(|(_, a)| *a))
    }

    /// Adds `va`. Returns `false` if the address was already there (not an error).
    pub fn add_address(&mut self, va: &VirtualAddress) -> io::Result<bool> {
        va.validate()?;
        let what = format!("RTM_NEWADDR {}", va.describe());
        match self.request(
            RouteNetlinkMessage::NewAddress(va.to_message(false)),
            NLM_F_CREATE | NLM_F_EXCL,
            &what,
        ) {
            Ok(_) => Ok(true),
            Err(e) if is_errno(&e, libc::EEXIST) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Removes `va`. Returns `false` if the address was not there (not an error).
    pub fn del_address(&mut self, va: &VirtualAddress) -> io::Result<bool> {
        va.validate()?;
        let what = format!("RTM_DELADDR {}", va.describe());
        match self.request(
            RouteNetlinkMessage::DelAddress(va.to_message(true)),
            0,
            &what,
        ) {
            Ok(_) => Ok(true),
            Err(e) if is_errno(&e, libc::EADDRNOTAVAIL) || is_errno(&e, libc::ENOENT) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

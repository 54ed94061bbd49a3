//! Virtual routes (keepalived's `virtual_routes`).

use std::io;
use std::net::IpAddr;

use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL};
use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteHeader, RouteMessage, RouteProtocol, RouteScope, RouteType,
};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};

use super::{is_errno, Netlink};
use crate::error::NetError;

/// The route type (`ip route add TYPE ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RouteKind {
    /// A normal route (RTN_UNICAST).
    #[default]
    Unicast,
    /// Silently drop (RTN_BLACKHOLE).
    Blackhole,
    /// Drop with ICMP unreachable (RTN_UNREACHABLE).
    Unreachable,
    /// Drop with ICMP administratively prohibited (RTN_PROHIBIT).
    Prohibit,
}

/// A route to add or remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualRoute {
    /// Destination network.
    pub dst: IpAddr,
    /// Destination prefix length.
    pub prefix_len: u8,
    /// Gateway (`via`).
    pub via: Option<IpAddr>,
    /// Preferred source address (`src`).
    pub src: Option<IpAddr>,
    /// Output interface (`dev`).
    pub ifindex: Option<u32>,
    /// Routing table (`table`), main (254) when `None`.
    pub table: Option<u32>,
    /// Route priority (`metric`).
    pub metric: Option<u32>,
    /// RT scope (`scope`); `None` picks what `ip route` picks.
    pub scope: Option<u8>,
    /// Route type.
    pub kind: RouteKind,
}

/// RT_SCOPE_UNIVERSE.
const SCOPE_UNIVERSE: u8 = 0;
/// RT_SCOPE_LINK.
const SCOPE_LINK: u8 = 253;
/// RT_SCOPE_NOWHERE: on delete, matches any scope.
const SCOPE_NOWHERE: u8 = 255;
/// RT_TABLE_MAIN.
const TABLE_MAIN: u32 = 254;

impl VirtualRoute {
    /// A unicast route to `dst/prefix_len` with no other options.
    pub fn new(dst: IpAddr, prefix_len: u8) -> VirtualRoute {
        VirtualRoute {
            dst,
            prefix_len,
            via: None,
            src: None,
            ifindex: None,
            table: None,
            metric: None,
            scope: None,
            kind: RouteKind::Unicast,
        }
    }

    fn describe(&self) -> String {
        let mut s = format!("{}/{}", self.dst, self.prefix_len);
        if let Some(v) = self.via {
            s += &format!(" via {v}");
        }
        if let Some(i) = self.ifindex {
            s += &format!(" ifindex {i}");
        }
        if let Some(t) = self.table {
            s += &format!(" table {t}");
        }
        s
    }

    /// Checks the fields against each other before anything is sent.
    pub fn validate(&self) -> Result<(), NetError> {
        let v4 = self.dst.is_ipv4();
        let max = if v4 { 32 } else { 128 };
        if self.prefix_len > max {
            return Err(NetError::Invalid(format!(
                "prefix length {} > {max} for route {}",
                self.prefix_len, self.dst
            )));
        }
        for (name, a) in [("via", self.via), ("src", self.src)] {
            if let Some(a) = a {
                if a.is_ipv4() != v4 {
                    return Err(NetError::Invalid(format!(
                        "{name} {a} is not the family of route {}",
                        self.dst
                    )));
                }
            }
        }
        if self.kind != RouteKind::Unicast && self.via.is_some() {
            return Err(NetError::Invalid(format!(
                "{:?} route {} cannot have a gateway",
                self.kind, self.dst
            )));
        }
        Ok(())
    }

    /// The scope `ip route` would use: given, else link for a unicast route
    /// without gateway, else universe; on delete "nowhere" (any) unless given.
    fn effective_scope(&self, for_delete: bool) -> u8 {
        match self.scope {
            Some(s) => s,
            None if for_delete => SCOPE_NOWHERE,
            None if self.kind == RouteKind::Unicast && self.via.is_none() => SCOPE_LINK,
            None => SCOPE_UNIVERSE,
        }
    }

    /// The RTM_NEWROUTE / RTM_DELROUTE body for this route.
    pub fn to_message(&self, for_delete: bool) -> RouteMessage {
        let mut msg = RouteMessage::default();
        let h = &mut msg.header;
        h.address_family = if self.dst.is_ipv4() {
            AddressFamily::Inet
        } else {
            AddressFamily::Inet6
        };
        h.destination_prefix_length = self.prefix_len;
        let table = self.table.unwrap_or(TABLE_MAIN);
        h.table = u8::try_from(table).unwrap_or(RouteHeader::RT_TABLE_UNSPEC);
        h.protocol = if for_delete {
            RouteProtocol::Unspec
        } else {
            RouteProtocol::KeepAlived
        };
        h.scope = RouteScope::from(self.effective_scope(for_delete));
        h.kind = match self.kind {
            RouteKind::Unicast => RouteType::Unicast,
            RouteKind::Blackhole => RouteType::BlackHole,
            RouteKind::Unreachable => RouteType::Unreachable,
            RouteKind::Prohibit => RouteType::Prohibit,
        };
        let a = &mut msg.attributes;
        a.push(RouteAttribute::Table(table));
        a.push(RouteAttribute::Destination(RouteAddress::from(self.dst)));
        if let Some(v) = self.via {
            a.push(RouteAttribute::Gateway(RouteAddress::from(v)));
        }
        if let Some(s) = self.src {
            a.push(RouteAttribute::PrefSource(RouteAddress::from(s)));
        }
        if let Some(i) = self.ifindex {
            a.push(RouteAttribute::Oif(i));
        }
        if let Some(m) = self.metric {
            a.push(RouteAttribute::Priority(m));
        }
        msg
    }
}

impl Netlink {
    /// Adds `route`. Returns `false` if an identical route was already there.
    pub fn add_route(&mut self, route: &VirtualRoute) -> io::Result<bool> {
        route.validate()?;
        let what = format!("RTM_NEWROUTE {}", route.describe());
        match self.request(
            RouteNetlinkMessage::NewRoute(route.to_message(false)),
            NLM_F_CREATE | NLM_F_EXCL,
            &what,
        ) {
            Ok(_) => Ok(true),
            Err(e) if is_errno(&e, libc::EEXIST) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Removes `route`. Returns `false` if no such route was there.
    pub fn del_route(&mut self, route: &VirtualRoute) -> io::Result<bool> {
        route.validate()?;
        let what = format!("RTM_DELROUTE {}", route.describe());
        match self.request(
            RouteNetlinkMessage::DelRoute(route.to_message(true)),
            0,
            &what,
        ) {
            Ok(_) => Ok(true),
            Err(e) if is_errno(&e, libc::ESRCH) || is_errno(&e, libc::ENOENT) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

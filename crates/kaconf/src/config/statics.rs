//! Top-level VRRP-side blocks that are not instances: `static_ipaddress`,
//! `static_routes`, `static_rules`, `track_group`, `garp_group`,
//! `linkbeat_interfaces` and `interface_up_down_delays`
//! (keepalived.conf(5) GLOBAL CONFIGURATION and "VRRP gratuitous ARP and
//! unsolicited neighbour advert delay group(s)").

use std::path::Path;
use std::sync::Arc;

use super::address::{parse_route, parse_vip, VirtualAddress, VirtualRoute};
use super::ctx::{ConfigError, Ctx};
use super::global::TIMER_MAX_SECS;
use crate::tree::Node;

/// One `static_ipaddress` line: an address that stays on the host.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticAddress {
    /// The address with the same options as a virtual address.
    pub address: VirtualAddress,
    /// `track_group GROUP`: instances that go to FAULT if it is lost.
    pub track_group: Option<String>,
}

/// One `static_routes` line.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticRoute {
    /// The route with the same options as a virtual route.
    pub route: VirtualRoute,
    /// `track_group GROUP`.
    pub track_group: Option<String>,
}

/// `track_group NAME { group { INSTANCE... } }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackGroup {
    /// Name referenced by static addresses, routes and rules.
    pub name: String,
    /// Instances that track the static items.
    pub group: Vec<String>,
    /// File of the block line.
    pub file: Arc<Path>,
    /// Line of the block line.
    pub line: u32,
}

/// `garp_group { ... }`: rate limits for gratuitous ARP / unsolicited NA.
#[derive(Debug, Clone, PartialEq)]
pub struct GarpGroup {
    /// `garp_interval SECS`.
    pub garp_interval: Option<f64>,
    /// `gna_interval SECS`.
    pub gna_interval: Option<f64>,
    /// `interface IF`.
    pub interface: Option<String>,
    /// `interfaces { IF... }`.
    pub interfaces: Vec<String>,
    /// File of the block line.
    pub file: Arc<Path>,
    /// Line of the block line.
    pub line: u32,
}

/// Link polling method of a `linkbeat_interfaces` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkbeatKind {
    /// `MII`.
    Mii,
    /// `ETHTOOL`.
    Ethtool,
    /// `IOCTL`.
    Ioctl,
}

/// One interface polled for link state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkbeatInterface {
    /// Interface name.
    pub name: String,
    /// Preferred method (default: MII, else ETHTOOL, else IOCTL).
    pub kind: Option<LinkbeatKind>,
}

/// `linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] ... }` (all blocks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkbeatInterfaces {
    /// The interfaces, in order.
    pub interfaces: Vec<LinkbeatInterface>,
}

/// One `interface_up_down_delays` line: `IF DOWN [UP]` seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct UpDownDelay {
    /// Interface name.
    pub interface: String,
    /// Delay before acting on link down.
    pub down: f64,
    /// Delay before acting on link up (default: `down`).
    pub up: f64,
}

/// Largest interface up/down delay (keepalived.conf(5)).
pub const UP_DOWN_DELAY_MAX: f64 = 255.0;

/// Removes `track_group NAME` from a line, returning the rest and the name.
fn take_track_group(n: &Node, cx: &mut Ctx<'_>) -> (Node, Option<String>) {
    let mut rest = n.clone();
    let mut group = None;
    if let Some(i) = rest.args.iter().position(|a| a == "track_group") {
        match rest.args.get(i + 1).cloned() {
            Some(g) => {
                group = Some(g);
                rest.args.drain(i..i + 2);
            }
            None => {
                cx.error(n, ConfigError::MissingArgument("track_group".into()));
                rest.args.remove(i);
            }
        }
    }
    (rest, group)
}

pub(crate) fn parse_static_address(n: &Node, cx: &mut Ctx<'_>) -> Option<StaticAddress> {
    let (rest, track_group) = take_track_group(n, cx);
    let address = parse_vip(&rest, cx)?;
    if address.no_track {
        cx.warn(
            n,
            ConfigError::Other("no_track is not valid for a static address - ignoring".into()),
        );
    }
    Some(StaticAddress {
        address: VirtualAddress {
            no_track: false,
            ..address
        },
        track_group,
    })
}

pub(crate) fn parse_static_route(n: &Node, cx: &mut Ctx<'_>) -> Option<StaticRoute> {
    let (rest, track_group) = take_track_group(n, cx);
    // A static route is not tracked by an instance: mark it `no_track` so
    // the route parser does not complain about a missing interface.
    let mut quiet = rest.clone();
    if !quiet.args.iter().any(|a| a == "no_track") {
        quiet.args.push("no_track".into());
    }
    let route = parse_route(&quiet, cx)?;
    Some(StaticRoute { route, track_group })
}

pub(crate) fn parse_track_group(block: &Node, cx: &mut Ctx<'_>) -> Option<TrackGroup> {
    let [name] = block.args.as_slice() else {
        cx.error(
            block,
            ConfigError::Other("track_group must have exactly one name - ignoring".into()),
        );
        return None;
    };
    let mut g = TrackGroup {
        name: name.clone(),
        group: Vec::new(),
        file: block.file.clone(),
        line: block.line,
    };
    for n in block.kids() {
        cx.typed("track_group", n);
        match n.keyword.as_str() {
            "group" => {
                for m in n.kids() {
                    g.group.extend(m.words().map(str::to_string));
                }
            }
            _ => cx.unknown_in(n, "track_group"),
        }
    }
    Some(g)
}

pub(crate) fn parse_garp_group(block: &Node, cx: &mut Ctx<'_>) -> Option<GarpGroup> {
    let secs = TIMER_MAX_SECS as f64;
    let mut g = GarpGroup {
        garp_interval: None,
        gna_interval: None,
        interface: None,
        interfaces: Vec::new(),
        file: block.file.clone(),
        line: block.line,
    };
    for n in block.kids() {
        cx.typed("garp_group", n);
        match n.keyword.as_str() {
            "garp_interval" => g.garp_interval = cx.float(n, 0.0, secs).or(g.garp_interval),
            "gna_interval" => g.gna_interval = cx.float(n, 0.0, secs).or(g.gna_interval),
            "interface" => g.interface = cx.arg(n).map(str::to_string).or(g.interface),
            "interfaces" => {
                for m in n.kids() {
                    g.interfaces.extend(m.words().map(str::to_string));
                }
            }
            _ => cx.unknown_in(n, "garp_group"),
        }
    }
    if g.interface.is_some() && !g.interfaces.is_empty() {
        cx.error(
            block,
            ConfigError::Other(
                "garp_group: only one of interface and interfaces may be used - ignoring interfaces".into(),
            ),
        );
        g.interfaces.clear();
    }
    if g.interface.is_none() && g.interfaces.is_empty() {
        cx.error(
            block,
            ConfigError::Other("garp_group has no interface or interfaces - ignoring".into()),
        );
        return None;
    }
    Some(g)
}

pub(crate) fn parse_linkbeat(block: &Node, into: &mut LinkbeatInterfaces, cx: &mut Ctx<'_>) {
    for n in block.kids() {
        let kind = match n.args.first().map(String::as_str) {
            None => None,
            Some("MII") => Some(LinkbeatKind::Mii),
            Some("ETHTOOL") => Some(LinkbeatKind::Ethtool),
            Some("IOCTL") => Some(LinkbeatKind::Ioctl),
            Some(other) => {
                cx.error(
                    n,
                    ConfigError::Other(format!("extra characters {other} in linkbeat interface")),
                );
                None
            }
        };
        if n.args.len() > 1 {
            cx.error(
                n,
                ConfigError::Other(format!(
                    "extra characters {} in linkbeat interface",
                    n.args[1..].join(" ")
                )),
            );
        }
        into.interfaces.push(LinkbeatInterface {
            name: n.keyword.clone(),
            kind,
        });
    }
}

pub(crate) fn parse_up_down_delay(n: &Node, cx: &mut Ctx<'_>) -> Option<UpDownDelay> {
    let num = |s: &str, cx: &mut Ctx<'_>| match s.parse::<f64>() {
        Ok(v) if (0.0..=UP_DOWN_DELAY_MAX).contains(&v) => Some(v),
        _ => {
            cx.error(
                n,
                ConfigError::BadNumber {
                    keyword: format!("interface_up_down_delays {}", n.keyword),
                    value: s.to_string(),
                    min: "0".into(),
                    max: UP_DOWN_DELAY_MAX.to_string(),
                },
            );
            None
        }
    };
    let Some(d) = n.args.first() else {
        cx.error(
            n,
            ConfigError::MissingArgument(format!("interface_up_down_delays {}", n.keyword)),
        );
        return None;
    };
    let down = num(d, cx)?;
    let up = match n.args.get(1) {
        Some(u) => num(u, cx)?,
        None => down,
    };
    Some(UpDownDelay {
        interface: n.keyword.clone(),
        down,
        up,
    })
}

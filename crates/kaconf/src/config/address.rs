//! Lines of `virtual_ipaddress`, `virtual_routes` and `unicast_peer` blocks.
//!
//! keepalived.conf(5) VRRPD CONFIGURATION, virtual_ipaddress:
//! `ADDR[/PREFIX] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL] [peer ADDR]
//! [home] [-nodad] [noprefixroute] [autojoin] [no_track] [preferred_lft N]`;
//! virtual_routes: `[src ADDR] [to] PREFIX [via ADDR] [or ADDR] [dev IF]
//! [scope S] [table T] [metric M] [no_track]` and the `blackhole`,
//! `unreachable`, `prohibit` route types.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use super::ctx::{ConfigError, Ctx};
use crate::tree::Node;

/// An address with a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// The address.
    pub addr: IpAddr,
    /// Prefix length (32 / 128 when not written).
    pub len: u8,
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.len)
    }
}

/// One virtual (or excluded) address.
#[derive(Debug, Clone, PartialEq)]
pub struct VirtualAddress {
    /// Address and prefix.
    pub prefix: Prefix,
    /// `brd ADDR|+|-` (IPv4 broadcast).
    pub brd: Option<Broadcast>,
    /// `dev IF` (default: the instance's interface).
    pub dev: Option<String>,
    /// `scope SCOPE`.
    pub scope: Option<String>,
    /// `label LABEL`.
    pub label: Option<String>,
    /// `peer ADDR`.
    pub peer: Option<IpAddr>,
    /// `home` (IPv6 home address).
    pub home: bool,
    /// `-nodad` (IPv6: skip duplicate address detection).
    pub nodad: bool,
    /// `noprefixroute`.
    pub noprefixroute: bool,
    /// `autojoin`.
    pub autojoin: bool,
    /// `no_track`.
    pub no_track: bool,
    /// `mngtmpaddr` (IPv6: manage temporary addresses).
    pub mngtmpaddr: bool,
    /// `use_vmac`: put the address on a VMAC of its `dev`.
    pub use_vmac: bool,
    /// `preferred_lft N`.
    pub preferred_lft: Option<u32>,
    /// File of the line.
    pub file: Arc<Path>,
    /// Line number.
    pub line: u32,
}

/// The `brd` option of an address (as in `ip addr add ... brd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broadcast {
    /// An explicit broadcast address.
    Address(IpAddr),
    /// `+`: host part all ones.
    Ones,
    /// `-`: host part all zeros.
    Zeros,
}

impl fmt::Display for Broadcast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Broadcast::Address(a) => write!(f, "{a}"),
            Broadcast::Ones => f.write_str("+"),
            Broadcast::Zeros => f.write_str("-"),
        }
    }
}

/// Kind of a virtual route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteType {
    /// An ordinary route.
    Unicast,
    /// `blackhole PREFIX`.
    Blackhole,
    /// `unreachable PREFIX`.
    Unreachable,
    /// `prohibit PREFIX`.
    Prohibit,
}

/// One virtual route.
#[derive(Debug, Clone, PartialEq)]
pub struct VirtualRoute {
    /// Route type.
    pub kind: RouteType,
    /// `src ADDR`.
    pub src: Option<IpAddr>,
    /// Destination prefix.
    pub to: Prefix,
    /// `via ADDR`.
    pub via: Option<IpAddr>,
    /// `or ADDR` (deprecated second gateway).
    pub or: Option<IpAddr>,
    /// `dev IF`.
    pub dev: Option<String>,
    /// `scope S`.
    pub scope: Option<String>,
    /// `table T`.
    pub table: Option<u32>,
    /// `metric M`.
    pub metric: Option<u32>,
    /// `no_track`.
    pub no_track: bool,
    /// File of the line.
    pub file: Arc<Path>,
    /// Line number.
    pub line: u32,
}

/// One `unicast_peer` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnicastPeer {
    /// Peer address.
    pub addr: IpAddr,
    /// `min_ttl N`.
    pub min_ttl: Option<u8>,
    /// `max_ttl N`.
    pub max_ttl: Option<u8>,
}

/// Parses a route destination: `default` (IPv4), `default6` (IPv6) or a
/// prefix.
fn parse_dest(s: &str, n: &Node, cx: &mut Ctx<'_>) -> Option<Prefix> {
    match s {
        "default" => Some(Prefix {
            addr: IpAddr::from([0u8; 4]),
            len: 0,
        }),
        "default6" => Some(Prefix {
            addr: IpAddr::from([0u8; 16]),
            len: 0,
        }),
        _ => parse_prefix(s, n, cx),
    }
}

/// Parses `ADDR[/LEN]`; a length above the family's maximum is clamped with
/// a warning, as keepalived does.
pub(crate) fn parse_prefix(s: &str, n: &Node, cx: &mut Ctx<'_>) -> Option<Prefix> {
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let Ok(addr) = a.parse::<IpAddr>() else {
        cx.error(
            n,
            ConfigError::BadAddress {
                keyword: n.keyword.clone(),
                value: s.to_string(),
            },
        );
        return None;
    };
    let max: u8 = if addr.is_ipv4() { 32 } else { 128 };
    let len = match l {
        None => max,
        Some(l) => match l.parse::<u32>() {
            Ok(v) if v <= u32::from(max) => v as u8,
            Ok(_) => {
                cx.warn(
                    n,
                    ConfigError::Other(format!(
                        "invalid address prefix len {l} for address {s} - using {max}"
                    )),
                );
                max
            }
            Err(_) => {
                cx.error(
                    n,
                    ConfigError::BadAddress {
                        keyword: n.keyword.clone(),
                        value: s.to_string(),
                    },
                );
                return None;
            }
        },
    };
    Some(Prefix { addr, len })
}

fn value<'a>(words: &'a [String], i: usize, n: &Node, cx: &mut Ctx<'_>) -> Option<&'a str> {
    match words.get(i + 1) {
        Some(v) => Some(v.as_str()),
        None => {
            cx.error(
                n,
                ConfigError::MissingArgument(format!("{} {}", n.keyword, words[i])),
            );
            None
        }
    }
}

fn ip_value(words: &[String], i: usize, n: &Node, cx: &mut Ctx<'_>) -> Option<IpAddr> {
    let v = value(words, i, n, cx)?;
    match v.parse() {
        Ok(ip) => Some(ip),
        Err(_) => {
            cx.error(
                n,
                ConfigError::BadAddress {
                    keyword: words[i].clone(),
                    value: v.to_string(),
                },
            );
            None
        }
    }
}

fn num_value(words: &[String], i: usize, max: u64, n: &Node, cx: &mut Ctx<'_>) -> Option<u64> {
    let v = value(words, i, n, cx)?;
    match v.parse::<u64>() {
        Ok(x) if x <= max => Some(x),
        _ => {
            cx.error(
                n,
                ConfigError::BadNumber {
                    keyword: words[i].clone(),
                    value: v.to_string(),
                    min: "0".into(),
                    max: max.to_string(),
                },
            );
            None
        }
    }
}

fn words_of(n: &Node) -> Vec<String> {
    n.words().map(str::to_string).collect()
}

/// Parses one line of a `virtual_ipaddress` block; `None` drops the line.
pub(crate) fn parse_vip(n: &Node, cx: &mut Ctx<'_>) -> Option<VirtualAddress> {
    let w = words_of(n);
    let prefix = parse_prefix(&w[0], n, cx)?;
    let mut v = VirtualAddress {
        prefix,
        brd: None,
        dev: None,
        scope: None,
        label: None,
        peer: None,
        home: false,
        nodad: false,
        noprefixroute: false,
        autojoin: false,
        no_track: false,
        mngtmpaddr: false,
        use_vmac: false,
        preferred_lft: None,
        file: n.file.clone(),
        line: n.line,
    };
    let mut i = 1;
    while i < w.len() {
        let mut skip = 2;
        match w[i].as_str() {
            "brd" => {
                v.brd = Some(match value(&w, i, n, cx)? {
                    "+" => Broadcast::Ones,
                    "-" => Broadcast::Zeros,
                    _ => Broadcast::Address(ip_value(&w, i, n, cx)?),
                });
            }
            "dev" => v.dev = Some(value(&w, i, n, cx)?.to_string()),
            "scope" => v.scope = Some(value(&w, i, n, cx)?.to_string()),
            "label" => v.label = Some(value(&w, i, n, cx)?.to_string()),
            "peer" => v.peer = Some(ip_value(&w, i, n, cx)?),
            "preferred_lft" => {
                let s = value(&w, i, n, cx)?;
                v.preferred_lft = match s {
                    "forever" => Some(u32::MAX),
                    _ => Some(num_value(&w, i, u64::from(u32::MAX), n, cx)? as u32),
                };
            }
            flag => {
                skip = 1;
                match flag {
                    "home" => v.home = true,
                    "-nodad" => v.nodad = true,
                    "noprefixroute" => v.noprefixroute = true,
                    "autojoin" => v.autojoin = true,
                    "no_track" => v.no_track = true,
                    "mngtmpaddr" => v.mngtmpaddr = true,
                    "use_vmac" => v.use_vmac = true,
                    other => cx.warn(
                        n,
                        ConfigError::Other(format!(
                            "unknown configuration entry '{other}' for ip address - ignoring"
                        )),
                    ),
                }
            }
        }
        i += skip;
    }
    Some(v)
}

/// Parses one line of a `virtual_routes` block; `None` drops the line.
pub(crate) fn parse_route(n: &Node, cx: &mut Ctx<'_>) -> Option<VirtualRoute> {
    let w = words_of(n);
    let mut i = 0;
    let kind = match w[0].as_str() {
        "blackhole" => RouteType::Blackhole,
        "unreachable" => RouteType::Unreachable,
        "prohibit" => RouteType::Prohibit,
        _ => RouteType::Unicast,
    };
    if kind != RouteType::Unicast {
        i = 1;
    }
    let mut r = VirtualRoute {
        kind,
        src: None,
        to: Prefix {
            addr: IpAddr::from([0, 0, 0, 0]),
            len: 0,
        },
        via: None,
        or: None,
        dev: None,
        scope: None,
        table: None,
        metric: None,
        no_track: false,
        file: n.file.clone(),
        line: n.line,
    };
    let mut have_to = false;
    while i < w.len() {
        let mut skip = 2;
        match w[i].as_str() {
            "src" => r.src = Some(ip_value(&w, i, n, cx)?),
            "to" => {
                r.to = parse_dest(value(&w, i, n, cx)?, n, cx)?;
                have_to = true;
            }
            "via" | "gw" => {
                // iproute2 syntax allows a family word: `via inet6 ADDR`.
                if matches!(w.get(i + 1).map(String::as_str), Some("inet" | "inet6")) {
                    i += 1;
                }
                r.via = Some(ip_value(&w, i, n, cx)?);
            }
            "or" => {
                cx.warn(
                    n,
                    ConfigError::Other("\"or\" for routes is deprecated".into()),
                );
                r.or = Some(ip_value(&w, i, n, cx)?);
            }
            "dev" | "oif" => r.dev = Some(value(&w, i, n, cx)?.to_string()),
            "scope" => r.scope = Some(value(&w, i, n, cx)?.to_string()),
            "table" => r.table = Some(num_value(&w, i, u64::from(u32::MAX), n, cx)? as u32),
            "metric" | "priority" | "preference" => {
                r.metric = Some(num_value(&w, i, u64::from(u32::MAX), n, cx)? as u32);
            }
            "no_track" => {
                r.no_track = true;
                skip = 1;
            }
            dest if !have_to => {
                r.to = parse_dest(dest, n, cx)?;
                have_to = true;
                skip = 1;
            }
            other => {
                cx.warn(
                    n,
                    ConfigError::Other(format!("unknown route option '{other}' - ignoring")),
                );
                skip = 1;
            }
        }
        i += skip;
    }
    if !have_to {
        cx.error(n, ConfigError::Other("route has no destination".into()));
        return None;
    }
    // `default via IPV6-GATEWAY` is the IPv6 default route.
    if r.to.len == 0 && r.to.addr.is_ipv4() && r.via.is_some_and(|v| v.is_ipv6()) {
        r.to.addr = IpAddr::from([0u8; 16]);
    }
    if r.dev.is_none() && !r.no_track {
        cx.warn(
            n,
            ConfigError::Other(format!(
                "cannot track route {} with no interface specified, not tracking",
                r.to
            )),
        );
        r.no_track = true;
    }
    Some(r)
}

/// Parses one line of a `unicast_peer` block.
pub(crate) fn parse_peer(n: &Node, cx: &mut Ctx<'_>) -> Option<UnicastPeer> {
    let w = words_of(n);
    let Ok(addr) = w[0].parse::<IpAddr>() else {
        cx.error(
            n,
            ConfigError::BadAddress {
                keyword: "unicast_peer".into(),
                value: w[0].clone(),
            },
        );
        return None;
    };
    let mut p = UnicastPeer {
        addr,
        min_ttl: None,
        max_ttl: None,
    };
    let mut i = 1;
    while i < w.len() {
        match w[i].as_str() {
            "min_ttl" => p.min_ttl = Some(num_value(&w, i, 255, n, cx)? as u8),
            "max_ttl" => p.max_ttl = Some(num_value(&w, i, 255, n, cx)? as u8),
            other => {
                cx.warn(
                    n,
                    ConfigError::Other(format!("unknown unicast_peer option '{other}' - ignoring")),
                );
                i -= 1;
            }
        }
        i += 2;
    }
    Some(p)
}

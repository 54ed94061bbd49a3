//! Policy routing rules in `ip rule` syntax: `static_rules` and an
//! instance's `virtual_rules` (keepalived.conf(5) "Static
//! routes/addresses/rules"; ip-rule(8) for the selectors and actions).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use super::address::{parse_prefix, Prefix};
use super::ctx::{ConfigError, Ctx};
use super::instance::Family;
use crate::tree::Node;

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    /// `table T` (number or name, e.g. `main`).
    Table(String),
    /// `goto PREF`.
    Goto(u32),
    /// `nop`.
    Nop,
    /// `blackhole`.
    Blackhole,
    /// `unreachable`.
    Unreachable,
    /// `prohibit`.
    Prohibit,
}

/// A numeric range `A[-B]` (`uidrange`, `sport`, `dport`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// Lowest.
    pub start: u32,
    /// Highest (equal to `start` for a single value).
    pub end: u32,
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// One rule line.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `inet` / `inet6`, else decided by the addresses (IPv4 by default).
    pub family: Option<Family>,
    /// `not`: invert the selector.
    pub not: bool,
    /// `from PREFIX` (`all` is `None`).
    pub from: Option<Prefix>,
    /// `to PREFIX` (`all` is `None`).
    pub to: Option<Prefix>,
    /// `preference` / `priority` / `order N`.
    pub preference: Option<u32>,
    /// `tos` / `dsfield N`.
    pub tos: Option<u8>,
    /// `fwmark MARK[/MASK]`.
    pub fwmark: Option<(u32, Option<u32>)>,
    /// `realms [SRC/]DST`.
    pub realms: Option<String>,
    /// `iif` / `dev IF`.
    pub iif: Option<String>,
    /// `oif IF`.
    pub oif: Option<String>,
    /// `uidrange A-B`.
    pub uidrange: Option<Range>,
    /// `l3mdev`.
    pub l3mdev: bool,
    /// `protocol N`.
    pub protocol: Option<u8>,
    /// `ip_proto PROTO` (name or number).
    pub ip_proto: Option<String>,
    /// `sport A[-B]`.
    pub sport: Option<Range>,
    /// `dport A[-B]`.
    pub dport: Option<Range>,
    /// `suppress_prefixlength N`.
    pub suppress_prefixlength: Option<u32>,
    /// `suppress_ifgroup GROUP`.
    pub suppress_ifgroup: Option<String>,
    /// `tunnel-id N`.
    pub tunnel_id: Option<u64>,
    /// The action.
    pub action: Option<RuleAction>,
    /// `no_track` (virtual rules).
    pub no_track: bool,
    /// `track_group GROUP` (static rules).
    pub track_group: Option<String>,
    /// File of the line.
    pub file: Arc<Path>,
    /// Line number.
    pub line: u32,
}

/// A number in decimal or `0x` hexadecimal.
pub(crate) fn parse_num(s: &str) -> Option<u64> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn parse_range(s: &str, max: u32) -> Option<Range> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (start, end) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
    (start <= end && end <= max).then_some(Range { start, end })
}

/// Parses one rule line; `None` drops it (keepalived: "Unknown rule
/// option", bad values).
pub(crate) fn parse_rule(n: &Node, cx: &mut Ctx<'_>) -> Option<Rule> {
    let w: Vec<&str> = n.words().collect();
    let mut r = Rule {
        family: None,
        not: false,
        from: None,
        to: None,
        preference: None,
        tos: None,
        fwmark: None,
        realms: None,
        iif: None,
        oif: None,
        uidrange: None,
        l3mdev: false,
        protocol: None,
        ip_proto: None,
        sport: None,
        dport: None,
        suppress_prefixlength: None,
        suppress_ifgroup: None,
        tunnel_id: None,
        action: None,
        no_track: false,
        track_group: None,
        file: n.file.clone(),
        line: n.line,
    };
    let mut i = 0;
    while i < w.len() {
        let k = w[i];
        // Keywords without a value.
        let flag = match k {
            "inet" => {
                r.family = Some(Family::V4);
                true
            }
            "inet6" => {
                r.family = Some(Family::V6);
                true
            }
            "not" => {
                r.not = true;
                true
            }
            "l3mdev" => {
                r.l3mdev = true;
                true
            }
            "no_track" => {
                r.no_track = true;
                true
            }
            "nop" => {
                r.action = Some(RuleAction::Nop);
                true
            }
            "blackhole" => {
                r.action = Some(RuleAction::Blackhole);
                true
            }
            "unreachable" => {
                r.action = Some(RuleAction::Unreachable);
                true
            }
            "prohibit" => {
                r.action = Some(RuleAction::Prohibit);
                true
            }
            _ => false,
        };
        if flag {
            i += 1;
            continue;
        }
        let Some(v) = w.get(i + 1).copied() else {
            cx.error(n, ConfigError::MissingArgument(format!("rule {k}")));
            return None;
        };
        match k {
            "from" | "to" => {
                // iproute2 get_prefix: `all`, `any` and `default` match everything.
                let p = if matches!(v, "all" | "any" | "default") {
                    None
                } else {
                    Some(parse_prefix(v, n, cx)?)
                };
                if k == "from" {
                    r.from = p;
                } else {
                    r.to = p;
                }
            }
            "preference" | "priority" | "order" | "pref" => match parse_num(v) {
                Some(p) if p <= u64::from(u32::MAX) => r.preference = Some(p as u32),
                _ => return bad_then_none(cx, n, k, v),
            },
            "tos" | "dsfield" => match parse_num(v) {
                Some(t) if t <= 255 => r.tos = Some(t as u8),
                _ => return bad_then_none(cx, n, k, v),
            },
            "fwmark" => {
                let (m, mask) = v.split_once('/').map_or((v, None), |(a, b)| (a, Some(b)));
                let mark = parse_num(m).and_then(|x| u32::try_from(x).ok());
                let mask = mask.map(|x| parse_num(x).and_then(|x| u32::try_from(x).ok()));
                match (mark, mask) {
                    (Some(a), None) => r.fwmark = Some((a, None)),
                    (Some(a), Some(Some(b))) => r.fwmark = Some((a, Some(b))),
                    _ => return bad_then_none(cx, n, k, v),
                }
            }
            "realms" => r.realms = Some(v.to_string()),
            "iif" | "dev" => r.iif = Some(v.to_string()),
            "oif" => r.oif = Some(v.to_string()),
            "uidrange" => match parse_range(v, u32::MAX) {
                Some(x) => r.uidrange = Some(x),
                None => return bad_then_none(cx, n, k, v),
            },
            "protocol" => match parse_num(v) {
                Some(p) if p <= 255 => r.protocol = Some(p as u8),
                _ => return bad_then_none(cx, n, k, v),
            },
            "ip_proto" | "ipproto" => r.ip_proto = Some(v.to_string()),
            "sport" | "dport" => match parse_range(v, 65535) {
                Some(x) if k == "sport" => r.sport = Some(x),
                Some(x) => r.dport = Some(x),
                None => return bad_then_none(cx, n, k, v),
            },
            "suppress_prefixlength" => match v.parse::<u32>() {
                Ok(x) if x <= 128 => r.suppress_prefixlength = Some(x),
                _ => return bad_then_none(cx, n, k, v),
            },
            "suppress_ifgroup" => r.suppress_ifgroup = Some(v.to_string()),
            "tunnel-id" | "tun_id" => match parse_num(v) {
                Some(x) => r.tunnel_id = Some(x),
                None => return bad_then_none(cx, n, k, v),
            },
            "table" | "lookup" => r.action = Some(RuleAction::Table(v.to_string())),
            "goto" => match parse_num(v) {
                Some(x) if x <= u64::from(u32::MAX) => r.action = Some(RuleAction::Goto(x as u32)),
                _ => return bad_then_none(cx, n, k, v),
            },
            "track_group" => r.track_group = Some(v.to_string()),
            other => {
                cx.error(
                    n,
                    ConfigError::Other(format!("Unknown rule option {other} - ignoring rule")),
                );
                return None;
            }
        }
        i += 2;
    }
    // The family: explicit, else from the addresses.
    let fam = r.from.or(r.to).map(|p| Family::of(p.addr));
    match (r.family, fam) {
        (Some(a), Some(b)) if a != b => {
            cx.error(
                n,
                ConfigError::Other("rule addresses do not match the rule's family".into()),
            );
            return None;
        }
        (None, f) => r.family = f,
        _ => {}
    }
    if let (Some(a), Some(b)) = (r.from, r.to) {
        if Family::of(a.addr) != Family::of(b.addr) {
            cx.error(
                n,
                ConfigError::Other("rule from and to addresses are of different families".into()),
            );
            return None;
        }
    }
    if r.preference.is_none() {
        cx.warn(
            n,
            ConfigError::Other(
                "Rule has no preference specified - keepalived assigns one. This is probably not what you want.".into(),
            ),
        );
    }
    Some(r)
}

fn bad_then_none<T>(cx: &mut Ctx<'_>, n: &Node, k: &str, v: &str) -> Option<T> {
    cx.error(
        n,
        ConfigError::BadValue {
            keyword: format!("rule {k}"),
            value: v.to_string(),
            expected: "a valid value".into(),
        },
    );
    None
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w: Vec<String> = Vec::new();
        match self.family {
            Some(Family::V6) if self.from.is_none() && self.to.is_none() => w.push("inet6".into()),
            _ => {}
        }
        if self.not {
            w.push("not".into());
        }
        let mut kv = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                w.push(k.to_string());
                w.push(v);
            }
        };
        kv("from", self.from.map(|p| p.to_string()));
        kv("to", self.to.map(|p| p.to_string()));
        kv("preference", self.preference.map(|p| p.to_string()));
        kv("tos", self.tos.map(|p| p.to_string()));
        kv(
            "fwmark",
            self.fwmark.map(|(m, k)| match k {
                Some(k) => format!("{m}/{k}"),
                None => m.to_string(),
            }),
        );
        kv("realms", self.realms.clone());
        kv("iif", self.iif.clone());
        kv("oif", self.oif.clone());
        kv("uidrange", self.uidrange.map(|r| r.to_string()));
        kv("protocol", self.protocol.map(|p| p.to_string()));
        kv("ip_proto", self.ip_proto.clone());
        kv("sport", self.sport.map(|r| r.to_string()));
        kv("dport", self.dport.map(|r| r.to_string()));
        kv(
            "suppress_prefixlength",
            self.suppress_prefixlength.map(|p| p.to_string()),
        );
        kv("suppress_ifgroup", self.suppress_ifgroup.clone());
        kv("tunnel-id", self.tunnel_id.map(|p| p.to_string()));
        match &self.action {
            Some(RuleAction::Table(t)) => kv("table", Some(t.clone())),
            Some(RuleAction::Goto(g)) => kv("goto", Some(g.to_string())),
            _ => {}
        }
        kv("track_group", self.track_group.clone());
        match &self.action {
            Some(RuleAction::Nop) => w.push("nop".into()),
            Some(RuleAction::Blackhole) => w.push("blackhole".into()),
            Some(RuleAction::Unreachable) => w.push("unreachable".into()),
            Some(RuleAction::Prohibit) => w.push("prohibit".into()),
            _ => {}
        }
        if self.l3mdev {
            w.push("l3mdev".into());
        }
        if self.no_track {
            w.push("no_track".into());
        }
        let q: Vec<String> = w.iter().map(|x| super::dump::quote(x)).collect();
        f.write_str(&q.join(" "))
    }
}

//! `vrrp_instance NAME { ... }`.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use super::address::{
    parse_peer, parse_route, parse_vip, UnicastPeer, VirtualAddress, VirtualRoute,
};
use super::ctx::{ConfigError, Ctx};
use super::global::{GlobalDefs, TIMER_MAX_SECS};
use super::script::{parse_script, Script};
use crate::tree::Node;

/// keepalived's default priority (`VRRP_PRIO_DFL`).
pub const DEFAULT_PRIORITY: u8 = 100;
/// Longest `auth_pass` (RFC 2338 §5.3.10: 8 octets of authentication data).
pub const AUTH_PASS_MAX: usize = 8;
/// Largest VRRPv3 advertisement interval (RFC 5798 §5.2.7: 12 bits of
/// centiseconds).
pub const ADVERT_INT_V3_MAX: f64 = 40.95;
/// Largest `preempt_delay` keepalived accepts, in seconds.
pub const PREEMPT_DELAY_MAX: f64 = 1000.0;

/// Initial state wanted by the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitialState {
    /// `state MASTER`.
    Master,
    /// `state BACKUP` (also the default).
    Backup,
}

/// `auth_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthType {
    /// Simple password (RFC 2338 type 1).
    Pass,
    /// IPsec AH (RFC 2338 type 2).
    Ah,
}

/// `authentication { auth_type ...; auth_pass ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    /// Type.
    pub auth_type: AuthType,
    /// Password, at most [`AUTH_PASS_MAX`] bytes (longer ones are truncated).
    pub auth_pass: Option<String>,
}

/// One `track_interface` entry (parsed only; tracking is not implemented).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackInterface {
    /// Interface name.
    pub name: String,
    /// `weight N` (negative lowers the priority when the interface is down).
    pub weight: Option<i32>,
}

/// A VRRP instance as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct VrrpInstance {
    /// Instance name.
    pub name: String,
    /// File of the `vrrp_instance` line.
    pub file: Arc<Path>,
    /// Line of the `vrrp_instance` line.
    pub line: u32,
    /// `state`: `None` when not written (keepalived starts as BACKUP).
    pub state: Option<InitialState>,
    /// `interface IF`.
    pub interface: Option<String>,
    /// `virtual_router_id` 1..=255 (instances without one are dropped).
    pub virtual_router_id: u8,
    /// `priority` 1..=255, default [`DEFAULT_PRIORITY`].
    pub priority: u8,
    /// `advert_int` seconds, default 1.
    pub advert_int: f64,
    /// VRRP version: `version`, else global `vrrp_version`, else 2 (3 when
    /// the instance is IPv6).
    pub version: u8,
    /// `nopreempt` (`preempt` switches it back off).
    pub nopreempt: bool,
    /// `preempt_delay` seconds.
    pub preempt_delay: Option<f64>,
    /// `authentication` block.
    pub authentication: Option<Authentication>,
    /// `virtual_ipaddress` block.
    pub virtual_ipaddress: Vec<VirtualAddress>,
    /// `virtual_ipaddress_excluded` block.
    pub virtual_ipaddress_excluded: Vec<VirtualAddress>,
    /// `virtual_routes` block.
    pub virtual_routes: Vec<VirtualRoute>,
    /// `unicast_src_ip ADDR`.
    pub unicast_src_ip: Option<IpAddr>,
    /// `unicast_peer` block.
    pub unicast_peer: Vec<UnicastPeer>,
    /// `mcast_src_ip ADDR`.
    pub mcast_src_ip: Option<IpAddr>,
    /// `accept` (true) / `no_accept` (false).
    pub accept: Option<bool>,
    /// `notify_master`.
    pub notify_master: Option<Script>,
    /// `notify_backup`.
    pub notify_backup: Option<Script>,
    /// `notify_fault`.
    pub notify_fault: Option<Script>,
    /// `notify_stop`.
    pub notify_stop: Option<Script>,
    /// `notify` (called with type, name, state, priority).
    pub notify: Option<Script>,
    /// `track_interface` block.
    pub track_interface: Vec<TrackInterface>,
    /// `garp_master_delay` seconds.
    pub garp_master_delay: Option<u32>,
    /// `garp_master_repeat`.
    pub garp_master_repeat: Option<u32>,
    /// `garp_master_refresh` seconds.
    pub garp_master_refresh: Option<u32>,
    /// `garp_master_refresh_repeat`.
    pub garp_master_refresh_repeat: Option<u32>,
    /// `lower_prio_no_advert [BOOL]`.
    pub lower_prio_no_advert: Option<bool>,
    /// `higher_prio_send_advert [BOOL]`.
    pub higher_prio_send_advert: Option<bool>,
    /// `skip_check_adv_addr [BOOL]`.
    pub skip_check_adv_addr: Option<bool>,
    /// `strict_mode [BOOL]`.
    pub strict_mode: Option<bool>,
    /// `dont_track_primary`.
    pub dont_track_primary: bool,
    /// `use_vmac [NAME]`: `Some("")` without a name (parsed only).
    pub use_vmac: Option<String>,
    /// `debug N` (0..=4).
    pub debug: u8,
    /// Keywords vigil does not implement yet, kept as written.
    pub other: Vec<Node>,
}

impl VrrpInstance {
    /// IPv6 when the instance's addresses are IPv6.
    pub fn is_ipv6(&self) -> bool {
        self.family() == Some(Family::V6)
    }

    /// The address family decided by the source addresses, VIPs and peers.
    pub fn family(&self) -> Option<Family> {
        self.unicast_src_ip
            .or(self.mcast_src_ip)
            .or(self.virtual_ipaddress.first().map(|v| v.prefix.addr))
            .or(self.unicast_peer.first().map(|p| p.addr))
            .map(Family::of)
    }
}

/// Address family of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    /// Family of an address.
    pub fn of(a: IpAddr) -> Self {
        if a.is_ipv4() {
            Family::V4
        } else {
            Family::V6
        }
    }
}

/// An instance being read; `vrid`/`version` are finalised by [`Draft::finish`].
struct Draft {
    inst: VrrpInstance,
    vrid: Option<u8>,
    version: Option<u8>,
}

/// Reads a `vrrp_instance` block. Returns `None` when keepalived would drop
/// the instance (reported as an error).
pub(crate) fn parse_instance(
    block: &Node,
    global: &GlobalDefs,
    cx: &mut Ctx<'_>,
) -> Option<VrrpInstance> {
    let Some(name) = block.args.first().filter(|_| block.args.len() == 1) else {
        cx.error(
            block,
            ConfigError::Other("vrrp_instance must have a name".into()),
        );
        return None;
    };
    let mut d = Draft {
        inst: VrrpInstance {
            name: name.clone(),
            file: block.file.clone(),
            line: block.line,
            state: None,
            interface: None,
            virtual_router_id: 0,
            priority: DEFAULT_PRIORITY,
            advert_int: 1.0,
            version: 2,
            nopreempt: false,
            preempt_delay: None,
            authentication: None,
            virtual_ipaddress: Vec::new(),
            virtual_ipaddress_excluded: Vec::new(),
            virtual_routes: Vec::new(),
            unicast_src_ip: None,
            unicast_peer: Vec::new(),
            mcast_src_ip: None,
            accept: None,
            notify_master: None,
            notify_backup: None,
            notify_fault: None,
            notify_stop: None,
            notify: None,
            track_interface: Vec::new(),
            garp_master_delay: None,
            garp_master_repeat: None,
            garp_master_refresh: None,
            garp_master_refresh_repeat: None,
            lower_prio_no_advert: None,
            higher_prio_send_advert: None,
            skip_check_adv_addr: None,
            strict_mode: None,
            dont_track_primary: false,
            use_vmac: None,
            debug: 0,
            other: Vec::new(),
        },
        vrid: None,
        version: None,
    };
    if block.children.is_none() {
        cx.error(
            block,
            ConfigError::Other(format!("vrrp_instance {name} has no '{{' block")),
        );
    }
    for n in block.kids() {
        d.apply(n, cx);
    }
    d.finish(block, global, cx)
}

impl Draft {
    fn apply(&mut self, n: &Node, cx: &mut Ctx<'_>) {
        let i = &mut self.inst;
        let secs = TIMER_MAX_SECS;
        let name = i.name.clone();
        match n.keyword.as_str() {
            "state" => match cx.arg(n) {
                Some("MASTER") => i.state = Some(InitialState::Master),
                Some("BACKUP") if i.state == Some(InitialState::Master) => cx.warn(
                    n,
                    ConfigError::Other(format!(
                        "({name}) state previously set as MASTER - ignoring BACKUP"
                    )),
                ),
                Some("BACKUP") => i.state = Some(InitialState::Backup),
                Some(other) => {
                    cx.error(
                        n,
                        ConfigError::Other(format!(
                            "({name}) unknown state '{other}', defaulting to BACKUP"
                        )),
                    );
                    i.state = Some(InitialState::Backup);
                }
                None => {}
            },
            "interface" => i.interface = cx.arg(n).map(str::to_string),
            "virtual_router_id" => {
                if let Some(v) = cx.uint(n, 1, 255) {
                    self.vrid = Some(v as u8);
                }
            }
            "priority" => match cx.uint(n, 1, 255) {
                Some(v) => i.priority = v as u8,
                None => i.priority = DEFAULT_PRIORITY,
            },
            "advert_int" => {
                if let Some(v) = cx.float(n, 0.01, 255.0) {
                    i.advert_int = v;
                }
            }
            "version" => {
                if let Some(v) = cx.uint(n, 2, 3) {
                    self.version = Some(v as u8);
                }
            }
            "nopreempt" => i.nopreempt = true,
            "preempt" => i.nopreempt = false,
            "preempt_delay" => i.preempt_delay = cx.float(n, 0.0, PREEMPT_DELAY_MAX),
            "authentication" => i.authentication = parse_auth(n, &name, cx),
            "virtual_ipaddress" => {
                let vips = value_block(n, cx, parse_vip);
                i.virtual_ipaddress.extend(vips);
            }
            "virtual_ipaddress_excluded" => {
                let vips = value_block(n, cx, parse_vip);
                i.virtual_ipaddress_excluded.extend(vips);
            }
            "virtual_routes" => {
                let routes = value_block(n, cx, parse_route);
                i.virtual_routes.extend(routes);
            }
            "unicast_peer" => {
                let peers = value_block(n, cx, parse_peer);
                i.unicast_peer.extend(peers);
            }
            "unicast_src_ip" => i.unicast_src_ip = src_ip(n, cx).or(i.unicast_src_ip),
            "mcast_src_ip" => i.mcast_src_ip = src_ip(n, cx).or(i.mcast_src_ip),
            "accept" => i.accept = Some(true),
            "no_accept" => i.accept = Some(false),
            "notify_master" => set_script(&mut i.notify_master, n, &name, cx),
            "notify_backup" => set_script(&mut i.notify_backup, n, &name, cx),
            "notify_fault" => set_script(&mut i.notify_fault, n, &name, cx),
            "notify_stop" => set_script(&mut i.notify_stop, n, &name, cx),
            "notify" => set_script(&mut i.notify, n, &name, cx),
            "track_interface" => {
                let t = value_block(n, cx, parse_track_if);
                i.track_interface.extend(t);
            }
            "garp_master_delay" => i.garp_master_delay = u32_of(cx.uint(n, 0, secs)),
            "garp_master_repeat" => i.garp_master_repeat = u32_of(cx.uint(n, 0, i32::MAX as u64)),
            "garp_master_refresh" => i.garp_master_refresh = u32_of(cx.uint(n, 0, secs)),
            "garp_master_refresh_repeat" => {
                i.garp_master_refresh_repeat = u32_of(cx.uint(n, 0, i32::MAX as u64));
            }
            "lower_prio_no_advert" => i.lower_prio_no_advert = cx.flag(n),
            "higher_prio_send_advert" => i.higher_prio_send_advert = cx.flag(n),
            "skip_check_adv_addr" => i.skip_check_adv_addr = cx.flag(n),
            "strict_mode" => i.strict_mode = cx.flag(n),
            "dont_track_primary" => i.dont_track_primary = true,
            "use_vmac" => i.use_vmac = Some(n.args.first().cloned().unwrap_or_default()),
            "debug" => i.debug = cx.uint(n, 0, 4).map_or(0, |v| v as u8),
            _ => {
                cx.not_handled(n);
                i.other.push(n.clone());
            }
        }
    }

    /// Completion checks keepalived makes after reading the block
    /// (vrrp_complete_instance).
    fn finish(
        mut self,
        block: &Node,
        global: &GlobalDefs,
        cx: &mut Ctx<'_>,
    ) -> Option<VrrpInstance> {
        let name = self.inst.name.clone();
        let Some(vrid) = self.vrid else {
            cx.fatal(
                block,
                ConfigError::Other(format!("({name}) the virtual router id must be set")),
            );
            return None;
        };
        let i = &mut self.inst;
        i.virtual_router_id = vrid;
        // The instance's family: the first address that decides it.
        let family = i.family();
        // VIPs of the other family are dropped (excluded ones may mix).
        if let Some(f) = family {
            let before = std::mem::take(&mut i.virtual_ipaddress);
            for v in before {
                if Family::of(v.prefix.addr) == f {
                    i.virtual_ipaddress.push(v);
                } else {
                    cx.error(
                        &at(&v.file, v.line, block),
                        ConfigError::Other(format!(
                            "({name}): address family must match VRRP instance [{}] - ignoring",
                            v.prefix
                        )),
                    );
                }
            }
            let peers = std::mem::take(&mut i.unicast_peer);
            for p in peers {
                if Family::of(p.addr) == f {
                    i.unicast_peer.push(p);
                } else {
                    cx.error(
                        block,
                        ConfigError::Other(format!(
                            "({name}) unicast peer {} is not of the instance's address family - ignoring",
                            p.addr
                        )),
                    );
                }
            }
        }
        // keepalived vrrp_complete_instance: unicast peers and strict mode
        // exclude each other.
        if i.strict_mode.unwrap_or(global.vrrp_strict) && !i.unicast_peer.is_empty() {
            cx.fatal(
                block,
                ConfigError::Other(format!(
                    "({name}) Unicast peers are not supported in strict mode"
                )),
            );
            return None;
        }
        if i.unicast_src_ip.is_some() && i.unicast_peer.is_empty() {
            cx.warn(
                block,
                ConfigError::Other(format!(
                    "({name}) A unicast keyword has been specified without any unicast peers. Defaulting to multicast."
                )),
            );
        }
        if i.virtual_ipaddress.is_empty() {
            cx.warn(
                block,
                ConfigError::Other(format!(
                    "({name}) No VIP specified; at least one is sensible"
                )),
            );
        }
        let mut version = self.version.or(global.vrrp_version).unwrap_or(2);
        if family == Some(Family::V6) && version == 2 {
            if self.version.is_some() {
                cx.warn(
                    block,
                    ConfigError::Other(format!(
                        "({name}) cannot use VRRP version 2 with IPv6 - using version 3"
                    )),
                );
            }
            version = 3;
        }
        i.version = version;
        if version == 2 && i.advert_int.fract() != 0.0 {
            let rounded = i.advert_int.round().max(1.0);
            cx.warn(
                block,
                ConfigError::Other(format!(
                    "({name}) VRRPv2 advertisement interval {}s must be an integer. rounding",
                    i.advert_int
                )),
            );
            i.advert_int = rounded;
        } else if version == 3 {
            // RFC 5798 §5.2.7: Max Adver Int is 12 bits of centiseconds.
            if i.advert_int > ADVERT_INT_V3_MAX {
                cx.warn(
                    block,
                    ConfigError::Other(format!(
                        "({name}) VRRPv3 advertisement interval {:.2}s is out of range. Must be less than 40.96s. Setting to 40.95s",
                        i.advert_int
                    )),
                );
                i.advert_int = ADVERT_INT_V3_MAX;
            }
            let centis = (i.advert_int * 100.0).round();
            if (centis - i.advert_int * 100.0).abs() > 1e-6 {
                cx.warn(
                    block,
                    ConfigError::Other(format!(
                        "({name}) VRRPv3 advertisement interval {}s must be in units of 10ms - rounding",
                        i.advert_int
                    )),
                );
            }
            i.advert_int = centis / 100.0;
        }
        if let Some(a) = &i.authentication {
            if version == 3 {
                cx.warn(
                    block,
                    ConfigError::Other(format!(
                        "({name}) VRRP version 3 does not support authentication. Ignoring."
                    )),
                );
                i.authentication = None;
            } else if a.auth_type == AuthType::Pass && a.auth_pass.is_none() {
                cx.error(
                    block,
                    ConfigError::Other(format!("({name}) auth_type PASS requires auth_pass")),
                );
            }
        }
        if i.interface.is_none() {
            cx.note(
                block,
                ConfigError::Other(format!(
                    "({name}) no interface specified; keepalived falls back to its default interface"
                )),
            );
        }
        Some(self.inst)
    }
}

fn at(file: &Arc<Path>, line: u32, block: &Node) -> Node {
    Node {
        keyword: block.keyword.clone(),
        args: Vec::new(),
        children: None,
        file: file.clone(),
        line,
    }
}

/// A source address; keepalived ignores a `/PREFIX` suffix here.
fn src_ip(n: &Node, cx: &mut Ctx<'_>) -> Option<IpAddr> {
    let a = cx.arg(n)?;
    let addr = a.split_once('/').map_or(a, |(a, _)| a);
    match addr.parse() {
        Ok(ip) => Some(ip),
        Err(_) => {
            cx.error(
                n,
                ConfigError::BadAddress {
                    keyword: n.keyword.clone(),
                    value: a.to_string(),
                },
            );
            None
        }
    }
}

fn u32_of(v: Option<u64>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok())
}

fn set_script(slot: &mut Option<Script>, n: &Node, name: &str, cx: &mut Ctx<'_>) {
    if slot.is_some() {
        cx.warn(
            n,
            ConfigError::Other(format!(
                "({name}) {} script already specified - ignoring",
                n.keyword
            )),
        );
        return;
    }
    *slot = parse_script(n, cx);
}

/// Parses the lines of a value block with `f`; lines it rejects are dropped.
fn value_block<T>(n: &Node, cx: &mut Ctx<'_>, f: fn(&Node, &mut Ctx<'_>) -> Option<T>) -> Vec<T> {
    if n.children.is_none() {
        cx.error(
            n,
            ConfigError::Other(format!(
                "'{{' missing from beginning of block {}",
                n.keyword
            )),
        );
    }
    let mut out = Vec::new();
    for line in n.kids() {
        if line.children.is_some() {
            cx.warn(
                line,
                ConfigError::Other(format!(
                    "unexpected block inside {} - ignoring it",
                    n.keyword
                )),
            );
        }
        if let Some(v) = f(line, cx) {
            out.push(v);
        }
    }
    out
}

fn parse_track_if(n: &Node, cx: &mut Ctx<'_>) -> Option<TrackInterface> {
    let mut t = TrackInterface {
        name: n.keyword.clone(),
        weight: None,
    };
    match n.args.as_slice() {
        [] => {}
        [w, v] if w == "weight" => match v.parse::<i32>() {
            Ok(x) if (-254..=254).contains(&x) => t.weight = Some(x),
            _ => {
                cx.error(
                    n,
                    ConfigError::BadNumber {
                        keyword: "weight".into(),
                        value: v.clone(),
                        min: "-254".into(),
                        max: "254".into(),
                    },
                );
                return None;
            }
        },
        other => cx.warn(
            n,
            ConfigError::Other(format!(
                "track_interface {}: unexpected '{}' - ignoring",
                n.keyword,
                other.join(" ")
            )),
        ),
    }
    Some(t)
}

fn parse_auth(block: &Node, name: &str, cx: &mut Ctx<'_>) -> Option<Authentication> {
    let mut auth_type = None;
    let mut auth_pass = None;
    for n in block.kids() {
        match n.keyword.as_str() {
            "auth_type" => match cx.arg(n) {
                Some("PASS") => auth_type = Some(AuthType::Pass),
                Some("AH") => auth_type = Some(AuthType::Ah),
                Some(other) => cx.error(
                    n,
                    ConfigError::BadValue {
                        keyword: "auth_type".into(),
                        value: other.to_string(),
                        expected: "PASS|AH".into(),
                    },
                ),
                None => {}
            },
            "auth_pass" => {
                if let Some(p) = cx.arg(n) {
                    let mut p = p.to_string();
                    if p.len() > AUTH_PASS_MAX {
                        cx.warn(
                            n,
                            ConfigError::Other(format!(
                                "({name}) Truncating auth_pass to {AUTH_PASS_MAX} characters"
                            )),
                        );
                        let mut end = AUTH_PASS_MAX;
                        while !p.is_char_boundary(end) {
                            end -= 1;
                        }
                        p.truncate(end);
                    }
                    auth_pass = Some(p);
                }
            }
            _ => cx.not_handled(n),
        }
    }
    match auth_type {
        Some(t) => Some(Authentication {
            auth_type: t,
            auth_pass,
        }),
        None => {
            cx.error(
                block,
                ConfigError::Other(format!(
                    "({name}) authentication block without auth_type - ignoring"
                )),
            );
            None
        }
    }
}

//! `vrrp_instance NAME { ... }`.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use super::address::{
    parse_peer, parse_prefix, parse_route, parse_vip, Prefix, UnicastPeer, VirtualAddress,
    VirtualRoute,
};
use super::ctx::{ConfigError, Ctx};
use super::global::{parse_garp_extra_if, GarpExtraIf, GlobalDefs, TIMER_MAX_SECS};
use super::hmac::{parse_auth_hmac, AuthHmac};
use super::rule::{parse_rule, Rule};
use super::script::{parse_script, Script};
use super::track::{parse_refs, TrackRef, FILE_WEIGHT_MAX, SCRIPT_WEIGHT_MAX};
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
    /// `reverse` after the weight.
    pub reverse: bool,
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
    /// `track_script` block (references to `vrrp_script`s).
    pub track_script: Vec<TrackRef>,
    /// `track_file` block (references to `track_file`s).
    pub track_file: Vec<TrackRef>,
    /// `track_process` block (references to `track_process`es).
    pub track_process: Vec<TrackRef>,
    /// `track_bfd` block (references to `bfd_instance`s).
    pub track_bfd: Vec<TrackRef>,
    /// `use_vmac` with all its options (`use_vmac` above keeps the name).
    pub vmac: Option<Vmac>,
    /// `use_vmac_addr`.
    pub use_vmac_addr: bool,
    /// `vmac_xmit_base`: adverts on the base interface, not the VMAC.
    pub vmac_xmit_base: bool,
    /// `use_ipvlan`.
    pub use_ipvlan: Option<Ipvlan>,
    /// `native_ipv6` (deprecated: the addresses decide the family).
    pub native_ipv6: bool,
    /// `vrf IF` (unicast without an interface).
    pub vrf: Option<String>,
    /// `mcast_dst_ip ADDR`.
    pub mcast_dst_ip: Option<IpAddr>,
    /// `track_src_ip`.
    pub track_src_ip: bool,
    /// `check_unicast_src`.
    pub check_unicast_src: bool,
    /// `unicast_fault_no_peer`.
    pub unicast_fault_no_peer: bool,
    /// `unicast_ttl N`.
    pub unicast_ttl: Option<u8>,
    /// `old_unicast_checksum [never]`.
    pub old_unicast_checksum: Option<OldChecksum>,
    /// `v3_checksum_as_v2 [BOOL]`.
    pub v3_checksum_as_v2: Option<bool>,
    /// `garp_lower_prio_delay` seconds.
    pub garp_lower_prio_delay: Option<u32>,
    /// `garp_lower_prio_repeat`.
    pub garp_lower_prio_repeat: Option<u32>,
    /// `garp_extra_if [all] SECS`.
    pub garp_extra_if: Option<GarpExtraIf>,
    /// `down_timer_adverts N` (1..=100, default 3).
    pub down_timer_adverts: Option<u8>,
    /// `timer_expired_backup [PRIO]` (default 254 when written bare).
    pub timer_expired_backup: Option<u8>,
    /// `no_virtual_ipaddress`: no VIPs on purpose.
    pub no_virtual_ipaddress: bool,
    /// `promote_secondaries`.
    pub promote_secondaries: bool,
    /// `virtual_rules` block.
    pub virtual_rules: Vec<Rule>,
    /// `auth_hmac` block.
    pub auth_hmac: Option<AuthHmac>,
    /// `notify_master_rx_lower_pri`.
    pub notify_master_rx_lower_pri: Option<Script>,
    /// `notify_deleted [SCRIPT]`: send DELETED rather than FAULT.
    pub notify_deleted: bool,
    /// The script given to `notify_deleted`, if any.
    pub notify_deleted_script: Option<Script>,
    /// `notify_priority_changes [BOOL]`.
    pub notify_priority_changes: Option<bool>,
    /// `smtp_alert [BOOL]`.
    pub smtp_alert: Option<bool>,
    /// `kernel_rx_buf_size BYTES`.
    pub kernel_rx_buf_size: Option<u64>,
    /// `linkbeat_use_polling` (deprecated here).
    pub linkbeat_use_polling: bool,
    /// Keywords vigil does not implement yet, kept as written.
    pub other: Vec<Node>,
}

/// `use_vmac [[name] NAME] [MAC] [netlink_notify_msg] [group GROUP]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vmac {
    /// Interface name (default `vrrp.VRID`).
    pub name: Option<String>,
    /// MAC address (5 octets: the VRID is the sixth).
    pub mac: Option<String>,
    /// `netlink_notify_msg`.
    pub netlink_notify_msg: bool,
    /// `group GROUP` (link group).
    pub group: Option<String>,
}

/// `use_ipvlan` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpvlanMode {
    /// `bridge` (default).
    Bridge,
    /// `private`.
    Private,
    /// `vepa`.
    Vepa,
}

/// `use_ipvlan [[name] NAME] [ADDR[/LEN]] [bridge|private|vepa] [group G]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ipvlan {
    /// Interface name.
    pub name: Option<String>,
    /// Address of the ipvlan interface.
    pub addr: Option<Prefix>,
    /// Mode flag.
    pub mode: Option<IpvlanMode>,
    /// `group GROUP`.
    pub group: Option<String>,
}

/// `old_unicast_checksum [never]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldChecksum {
    /// Use the pre-1.3.6 VRRPv3 unicast checksum.
    Use,
    /// `never`: no auto detection of old checksums.
    Never,
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
            .or(self.native_ipv6.then_some(Family::V6))
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
            track_script: Vec::new(),
            track_file: Vec::new(),
            track_process: Vec::new(),
            track_bfd: Vec::new(),
            vmac: None,
            use_vmac_addr: false,
            vmac_xmit_base: false,
            use_ipvlan: None,
            native_ipv6: false,
            vrf: None,
            mcast_dst_ip: None,
            track_src_ip: false,
            check_unicast_src: false,
            unicast_fault_no_peer: false,
            unicast_ttl: None,
            old_unicast_checksum: None,
            v3_checksum_as_v2: None,
            garp_lower_prio_delay: None,
            garp_lower_prio_repeat: None,
            garp_extra_if: None,
            down_timer_adverts: None,
            timer_expired_backup: None,
            no_virtual_ipaddress: false,
            promote_secondaries: false,
            virtual_rules: Vec::new(),
            auth_hmac: None,
            notify_master_rx_lower_pri: None,
            notify_deleted: false,
            notify_deleted_script: None,
            notify_priority_changes: None,
            smtp_alert: None,
            kernel_rx_buf_size: None,
            linkbeat_use_polling: false,
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
        cx.typed("vrrp_instance", n);
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
            "use_vmac" => {
                if let Some(v) = parse_vmac(n, &name, cx) {
                    i.use_vmac = Some(v.name.clone().unwrap_or_default());
                    i.vmac = Some(v);
                }
            }
            "debug" => i.debug = cx.uint(n, 0, 4).map_or(0, |v| v as u8),
            "track_script" => {
                i.track_script = parse_refs(n, SCRIPT_WEIGHT_MAX, &name, cx);
            }
            "track_file" => i.track_file = parse_refs(n, FILE_WEIGHT_MAX, &name, cx),
            "track_process" => i.track_process = parse_refs(n, FILE_WEIGHT_MAX, &name, cx),
            "track_bfd" => i.track_bfd = parse_refs(n, SCRIPT_WEIGHT_MAX, &name, cx),
            "use_vmac_addr" => i.use_vmac_addr = true,
            "vmac_xmit_base" => i.vmac_xmit_base = true,
            "use_ipvlan" => i.use_ipvlan = parse_ipvlan(n, cx),
            "native_ipv6" => i.native_ipv6 = true,
            "vrf" => i.vrf = cx.arg(n).map(str::to_string),
            "mcast_dst_ip" => match cx.ip(n) {
                Some(a) if a.is_multicast() => i.mcast_dst_ip = Some(a),
                Some(_) => cx.error(
                    n,
                    ConfigError::Other(format!(
                        "({name}) mcast_dst_ip is not multicast - ignoring"
                    )),
                ),
                None => {}
            },
            "track_src_ip" => i.track_src_ip = true,
            "check_unicast_src" => i.check_unicast_src = true,
            "unicast_fault_no_peer" => i.unicast_fault_no_peer = true,
            "unicast_ttl" => i.unicast_ttl = cx.uint(n, 0, 255).map(|v| v as u8),
            "old_unicast_checksum" => match n.args.first().map(String::as_str) {
                None => i.old_unicast_checksum = Some(OldChecksum::Use),
                Some("never") => i.old_unicast_checksum = Some(OldChecksum::Never),
                Some(v) => cx.error(
                    n,
                    ConfigError::BadValue {
                        keyword: n.keyword.clone(),
                        value: v.to_string(),
                        expected: "never".into(),
                    },
                ),
            },
            "v3_checksum_as_v2" => i.v3_checksum_as_v2 = cx.flag(n),
            "garp_lower_prio_delay" => i.garp_lower_prio_delay = u32_of(cx.uint(n, 0, secs)),
            "garp_lower_prio_repeat" => {
                i.garp_lower_prio_repeat = u32_of(cx.uint(n, 0, i32::MAX as u64));
            }
            "garp_extra_if" => i.garp_extra_if = parse_garp_extra_if(n, cx),
            "down_timer_adverts" => i.down_timer_adverts = cx.uint(n, 1, 100).map(|v| v as u8),
            "timer_expired_backup" => {
                i.timer_expired_backup = if n.args.is_empty() {
                    Some(254)
                } else {
                    cx.uint(n, 1, 254).map(|v| v as u8)
                };
            }
            "no_virtual_ipaddress" => i.no_virtual_ipaddress = true,
            "promote_secondaries" => i.promote_secondaries = true,
            "virtual_rules" => {
                let rules = value_block(n, cx, parse_rule);
                i.virtual_rules.extend(rules);
            }
            "auth_hmac" => i.auth_hmac = parse_auth_hmac(n, &name, cx),
            "notify_master_rx_lower_pri" => {
                set_script(&mut i.notify_master_rx_lower_pri, n, &name, cx);
            }
            "notify_deleted" => {
                i.notify_deleted = true;
                if !n.args.is_empty() {
                    i.notify_deleted_script = parse_script(n, cx);
                }
            }
            "notify_priority_changes" => i.notify_priority_changes = cx.flag(n),
            "smtp_alert" => i.smtp_alert = cx.flag(n),
            "kernel_rx_buf_size" => i.kernel_rx_buf_size = cx.uint(n, 1, u64::from(u32::MAX)),
            "linkbeat_use_polling" => {
                cx.warn(
                    n,
                    ConfigError::Other(format!(
                        "({name}) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block"
                    )),
                );
                i.linkbeat_use_polling = true;
            }
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
        if i.native_ipv6 {
            i.native_ipv6 = false;
            if i.family() == Some(Family::V4) {
                cx.error(
                    block,
                    ConfigError::Other(format!(
                        "({name}) Cannot specify native_ipv6 with IPv4 addresses"
                    )),
                );
            } else {
                i.native_ipv6 = true;
            }
        }
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
        if i.virtual_ipaddress.is_empty() && !i.no_virtual_ipaddress {
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
        finish_extras(i, block, &name, cx);
        if i.interface.is_none() && i.vrf.is_none() {
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

/// keepalived's completion checks of the newer instance keywords
/// (messages and grading measured with keepalived 2.2.7).
fn finish_extras(i: &mut VrrpInstance, block: &Node, name: &str, cx: &mut Ctx<'_>) {
    let unicast = !i.unicast_peer.is_empty();
    if i.vrf.is_some() && i.interface.is_some() {
        cx.error(
            block,
            ConfigError::Other(format!(
                "({name}) Cannot specify VRF interface and interface - ignoring"
            )),
        );
        i.vrf = None;
    }
    if unicast && i.vmac.is_some() && !i.vmac_xmit_base {
        cx.warn(
            block,
            ConfigError::Other(format!(
                "({name}) unicast with use_vmac requires vmac_xmit_base - setting"
            )),
        );
        i.vmac_xmit_base = true;
    }
    if i.vmac_xmit_base && i.vmac.is_none() {
        cx.note(
            block,
            ConfigError::Other(format!(
                "({name}) vmac_xmit_base without use_vmac has no effect"
            )),
        );
    }
    if let Some(dst) = i.mcast_dst_ip {
        if unicast {
            cx.warn(
                block,
                ConfigError::Other(format!(
                    "({name}) multicast destination specified with unicast - ignoring"
                )),
            );
            i.mcast_dst_ip = None;
        } else if i.family().is_some_and(|f| f != Family::of(dst)) {
            cx.error(
                block,
                ConfigError::Other(format!(
                    "({name}) mcast_dst_ip {dst} is not of the instance's address family - ignoring"
                )),
            );
            i.mcast_dst_ip = None;
        }
    }
    if let Some(own) = i.interface.clone() {
        let before = i.track_interface.len();
        i.track_interface.retain(|t| t.name != own);
        if i.track_interface.len() != before {
            cx.warn(
                block,
                ConfigError::Other(format!(
                    "({name}) Ignoring track_interface {own} since own interface"
                )),
            );
        }
    }
    if i.auth_hmac.is_some() && i.authentication.is_some() {
        cx.error(
            block,
            ConfigError::Other(format!(
                "({name}) auth_hmac and authentication are mutually exclusive - ignoring auth_hmac"
            )),
        );
        i.auth_hmac = None;
    }
    if let Some(r) = i.virtual_rules.iter().find(|r| r.track_group.is_some()) {
        cx.warn(
            &at(&r.file, r.line, block),
            ConfigError::Other(format!(
                "({name}) track_group is only valid for static rules - ignoring"
            )),
        );
    }
    for r in &mut i.virtual_rules {
        r.track_group = None;
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

pub(crate) fn set_script(slot: &mut Option<Script>, n: &Node, name: &str, cx: &mut Ctx<'_>) {
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
pub(crate) fn value_block<T>(
    n: &Node,
    cx: &mut Ctx<'_>,
    f: fn(&Node, &mut Ctx<'_>) -> Option<T>,
) -> Vec<T> {
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

pub(crate) fn parse_track_if(n: &Node, cx: &mut Ctx<'_>) -> Option<TrackInterface> {
    let mut t = TrackInterface {
        name: n.keyword.clone(),
        weight: None,
        reverse: false,
    };
    let mut args = n.args.as_slice();
    if let [rest @ .., r] = args {
        if r == "reverse" {
            t.reverse = true;
            args = rest;
        }
    }
    match args {
        [] => {}
        [w, v] if w == "weight" => match v.parse::<i32>() {
            // keepalived.conf(5): the weight must be within [-253, 253];
            // keepalived 2.2.7 turns +/-254 into +/-253 with a warning.
            Ok(x) if x.abs() <= 253 => t.weight = Some(x),
            Ok(x) if x.abs() == 254 => {
                cx.warn(
                    n,
                    ConfigError::Other(format!(
                        "weight for {} cannot be +/-254. Setting to +/-253",
                        n.keyword
                    )),
                );
                t.weight = Some(x.signum() * 253);
            }
            _ => {
                cx.error(
                    n,
                    ConfigError::BadNumber {
                        keyword: "weight".into(),
                        value: v.clone(),
                        min: "-253".into(),
                        max: "253".into(),
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

fn is_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    (parts.len() == 5 || parts.len() == 6)
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// RFC 5798 §7.3: the virtual router MAC prefix 00-00-5E-00-01 (IPv4) /
/// 00-00-5E-00-02 (IPv6), which a configured VMAC address may not use.
fn is_rfc_vmac(mac: &str) -> bool {
    let l = mac.to_ascii_lowercase();
    let p: Vec<u8> = l
        .split(':')
        .filter_map(|x| u8::from_str_radix(x, 16).ok())
        .collect();
    p.len() >= 5 && p[..4] == [0, 0, 0x5e, 0] && (p[4] == 1 || p[4] == 2)
}

fn parse_vmac(n: &Node, name: &str, cx: &mut Ctx<'_>) -> Option<Vmac> {
    let mut v = Vmac::default();
    let mut i = 0;
    while i < n.args.len() {
        let a = n.args[i].as_str();
        match a {
            "name" | "group" => {
                let Some(val) = n.args.get(i + 1) else {
                    cx.error(n, ConfigError::MissingArgument(format!("use_vmac {a}")));
                    return None;
                };
                if a == "name" {
                    v.name = Some(val.clone());
                } else {
                    v.group = Some(val.clone());
                }
                i += 2;
                continue;
            }
            "netlink_notify_msg" => v.netlink_notify_msg = true,
            mac if is_mac(mac) => {
                if is_rfc_vmac(mac) {
                    cx.error(
                        n,
                        ConfigError::Other(format!(
                            "({name}) VMAC MAC address not allowed to be RFC5798 address ({mac}) - ignoring"
                        )),
                    );
                } else {
                    v.mac = Some(mac.to_string());
                }
            }
            other if v.name.is_none() && i == 0 => v.name = Some(other.to_string()),
            other => cx.error(
                n,
                ConfigError::Other(format!("({name}) unknown use_vmac option '{other}'")),
            ),
        }
        i += 1;
    }
    if v.name.as_ref().is_some_and(|s| s.len() > 15) {
        cx.error(
            n,
            ConfigError::Other(format!(
                "({name}) VMAC interface name is too long - ignoring"
            )),
        );
        v.name = None;
    }
    Some(v)
}

fn parse_ipvlan(n: &Node, cx: &mut Ctx<'_>) -> Option<Ipvlan> {
    let mut v = Ipvlan::default();
    let mut i = 0;
    while i < n.args.len() {
        let a = n.args[i].as_str();
        match a {
            "name" | "group" => {
                let Some(val) = n.args.get(i + 1) else {
                    cx.error(n, ConfigError::MissingArgument(format!("use_ipvlan {a}")));
                    return None;
                };
                if a == "name" {
                    v.name = Some(val.clone());
                } else {
                    v.group = Some(val.clone());
                }
                i += 2;
                continue;
            }
            "bridge" => v.mode = Some(IpvlanMode::Bridge),
            "private" => v.mode = Some(IpvlanMode::Private),
            "vepa" => v.mode = Some(IpvlanMode::Vepa),
            addr if addr
                .split('/')
                .next()
                .is_some_and(|x| x.parse::<IpAddr>().is_ok()) =>
            {
                v.addr = parse_prefix(addr, n, cx);
            }
            other if v.name.is_none() && i == 0 => v.name = Some(other.to_string()),
            other => cx.error(
                n,
                ConfigError::Other(format!("unknown use_ipvlan option '{other}'")),
            ),
        }
        i += 1;
    }
    Some(v)
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

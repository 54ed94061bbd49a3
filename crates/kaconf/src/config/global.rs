//! `global_defs { ... }`: the global settings the VRRP daemon acts on.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use super::ctx::{ConfigError, Ctx};
use crate::tree::Node;

/// keepalived's largest timer in seconds (`UINT_MAX` microseconds).
pub(crate) const TIMER_MAX_SECS: u64 = u32::MAX as u64 / 1_000_000;

/// Typed `global_defs`. `None` means "not set, keepalived's default".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GlobalDefs {
    /// `router_id NAME`.
    pub router_id: Option<String>,
    /// `vrrp_version 2|3`: default protocol version of instances.
    pub vrrp_version: Option<u8>,
    /// `vrrp_mcast_group4 ADDR` (default 224.0.0.18).
    pub vrrp_mcast_group4: Option<Ipv4Addr>,
    /// `vrrp_mcast_group6 ADDR` (default ff02::12).
    pub vrrp_mcast_group6: Option<Ipv6Addr>,
    /// `vrrp_garp_master_delay SECS`.
    pub vrrp_garp_master_delay: Option<u32>,
    /// `vrrp_garp_master_repeat N`.
    pub vrrp_garp_master_repeat: Option<u32>,
    /// `vrrp_garp_master_refresh SECS`.
    pub vrrp_garp_master_refresh: Option<u32>,
    /// `vrrp_garp_master_refresh_repeat N`.
    pub vrrp_garp_master_refresh_repeat: Option<u32>,
    /// `vrrp_garp_interval SECS` (decimal) between gratuitous ARPs.
    pub vrrp_garp_interval: Option<f64>,
    /// `vrrp_gna_interval SECS` (decimal) between unsolicited NAs.
    pub vrrp_gna_interval: Option<f64>,
    /// `vrrp_garp_lower_prio_delay SECS`.
    pub vrrp_garp_lower_prio_delay: Option<u32>,
    /// `vrrp_garp_lower_prio_repeat N`.
    pub vrrp_garp_lower_prio_repeat: Option<u32>,
    /// `vrrp_lower_prio_no_advert [BOOL]`.
    pub vrrp_lower_prio_no_advert: Option<bool>,
    /// `vrrp_higher_prio_send_advert [BOOL]`.
    pub vrrp_higher_prio_send_advert: Option<bool>,
    /// `vrrp_skip_check_adv_addr [BOOL]`.
    pub vrrp_skip_check_adv_addr: Option<bool>,
    /// `vrrp_strict`.
    pub vrrp_strict: bool,
    /// `vrrp_check_unicast_src`.
    pub vrrp_check_unicast_src: bool,
    /// `script_user USER [GROUP]`.
    pub script_user: Option<(String, Option<String>)>,
    /// `enable_script_security`.
    pub enable_script_security: bool,
    /// `notify_fifo FIFO [USER [GROUP]]`.
    pub notify_fifo: Option<Fifo>,
    /// `vrrp_notify_fifo FIFO [USER [GROUP]]`.
    pub vrrp_notify_fifo: Option<Fifo>,
    /// Keywords vigil does not implement yet, kept as written.
    pub other: Vec<Node>,
}

/// A notify FIFO path with the optional owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fifo {
    /// Path of the FIFO.
    pub path: PathBuf,
    /// Optional owner user.
    pub user: Option<String>,
    /// Optional owner group.
    pub group: Option<String>,
}

impl GlobalDefs {
    /// Applies the children of one `global_defs` block.
    pub(crate) fn apply(&mut self, block: &Node, cx: &mut Ctx<'_>) {
        for n in block.kids() {
            self.apply_one(n, cx);
        }
    }

    fn apply_one(&mut self, n: &Node, cx: &mut Ctx<'_>) {
        let secs = TIMER_MAX_SECS;
        let u32max = u64::from(i32::MAX as u32);
        match n.keyword.as_str() {
            "router_id" => {
                if let Some(a) = cx.arg(n) {
                    self.router_id = Some(a.to_string());
                }
            }
            "vrrp_version" => {
                if let Some(v) = cx.uint(n, 2, 3) {
                    self.vrrp_version = Some(v as u8);
                }
            }
            "vrrp_mcast_group4" => match cx.ip(n) {
                Some(IpAddr::V4(a)) if a.is_multicast() => self.vrrp_mcast_group4 = Some(a),
                Some(_) => cx.error(n, not_multicast(n)),
                None => {}
            },
            "vrrp_mcast_group6" => match cx.ip(n) {
                Some(IpAddr::V6(a)) if a.is_multicast() => self.vrrp_mcast_group6 = Some(a),
                Some(_) => cx.error(n, not_multicast(n)),
                None => {}
            },
            "vrrp_garp_master_delay" => self.vrrp_garp_master_delay = u32_of(cx.uint(n, 0, secs)),
            "vrrp_garp_master_repeat" => {
                self.vrrp_garp_master_repeat = u32_of(cx.uint(n, 0, u32max));
            }
            "vrrp_garp_master_refresh" => {
                self.vrrp_garp_master_refresh = u32_of(cx.uint(n, 0, secs));
            }
            "vrrp_garp_master_refresh_repeat" => {
                self.vrrp_garp_master_refresh_repeat = u32_of(cx.uint(n, 0, u32max));
            }
            "vrrp_garp_interval" => self.vrrp_garp_interval = cx.float(n, 0.0, secs as f64),
            "vrrp_gna_interval" => self.vrrp_gna_interval = cx.float(n, 0.0, secs as f64),
            "vrrp_garp_lower_prio_delay" => {
                self.vrrp_garp_lower_prio_delay = u32_of(cx.uint(n, 0, secs));
            }
            "vrrp_garp_lower_prio_repeat" => {
                self.vrrp_garp_lower_prio_repeat = u32_of(cx.uint(n, 0, u32max));
            }
            "vrrp_lower_prio_no_advert" => self.vrrp_lower_prio_no_advert = cx.flag(n),
            "vrrp_higher_prio_send_advert" => self.vrrp_higher_prio_send_advert = cx.flag(n),
            "vrrp_skip_check_adv_addr" => self.vrrp_skip_check_adv_addr = cx.flag(n),
            "vrrp_strict" => self.vrrp_strict = true,
            "vrrp_check_unicast_src" => self.vrrp_check_unicast_src = true,
            "enable_script_security" => self.enable_script_security = true,
            "script_user" => {
                if let Some(user) = cx.arg(n) {
                    self.script_user = Some((user.to_string(), n.args.get(1).cloned()));
                }
            }
            "notify_fifo" => self.notify_fifo = fifo(n, cx),
            "vrrp_notify_fifo" => self.vrrp_notify_fifo = fifo(n, cx),
            _ => {
                cx.not_handled(n);
                self.other.push(n.clone());
            }
        }
    }
}

fn u32_of(v: Option<u64>) -> Option<u32> {
    v.and_then(|v| u32::try_from(v).ok())
}

fn not_multicast(n: &Node) -> ConfigError {
    ConfigError::Other(format!(
        "{} [{}] is not multicast - skipping",
        n.keyword,
        n.args.first().map(String::as_str).unwrap_or("")
    ))
}

fn fifo(n: &Node, cx: &mut Ctx<'_>) -> Option<Fifo> {
    let path = cx.arg(n)?;
    Some(Fifo {
        path: PathBuf::from(path),
        user: n.args.get(1).cloned(),
        group: n.args.get(2).cloned(),
    })
}

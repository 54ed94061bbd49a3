//! `global_defs { ... }`: the global settings the VRRP daemon acts on.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use super::ctx::{ConfigError, Ctx};
use super::defs::{DaemonDefs, SmtpDefs, VrrpDefs};
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
    /// `notification_email { ADDR... }` (all blocks, in order).
    pub notification_email: Vec<String>,
    /// `smtp_server HOST [PORT]`.
    pub smtp_server: Option<SmtpServer>,
    /// `umask NUMBER|BITS` (the resulting mask).
    pub umask: Option<u32>,
    /// `vrrp_garp_extra_if [all] SECS`.
    pub vrrp_garp_extra_if: Option<GarpExtraIf>,
    /// `vrrp_rx_bufs_policy MTU|ADVERT|SIZE`.
    pub vrrp_rx_bufs_policy: Option<RxBufsPolicy>,
    /// Daemon-wide settings (process names, scripts, reload, D-Bus, SNMP).
    pub daemon: DaemonDefs,
    /// E-mail alert settings.
    pub smtp: SmtpDefs,
    /// Further VRRP settings.
    pub vrrp: VrrpDefs,
    /// Keywords vigil does not implement yet, kept as written.
    pub other: Vec<Node>,
}

/// `smtp_server HOST [PORT]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpServer {
    /// Address or host name.
    pub host: String,
    /// Port (default 25).
    pub port: Option<u16>,
}

/// `garp_extra_if [all] SECS`: periodic GARP/NA on other interfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GarpExtraIf {
    /// `all`: every interface of the instance, not only VMACs.
    pub all: bool,
    /// Interval in seconds (0 disables; at most 86400).
    pub interval: u32,
}

/// Largest `garp_extra_if` interval (one day).
pub const GARP_EXTRA_IF_MAX: u32 = 86_400;

/// `vrrp_rx_bufs_policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RxBufsPolicy {
    /// `MTU`: interface MTU x multiplier per instance.
    Mtu,
    /// `ADVERT`: advert size x multiplier per instance.
    Advert,
    /// A fixed size in bytes.
    Size(u32),
}

/// Reads `[all] SECS` of `garp_extra_if` / `vrrp_garp_extra_if`.
pub(crate) fn parse_garp_extra_if(n: &Node, cx: &mut Ctx<'_>) -> Option<GarpExtraIf> {
    let (all, v) = match n.args.as_slice() {
        [a, v] if a == "all" => (true, v),
        [v] => (false, v),
        _ => {
            cx.error(n, ConfigError::MissingArgument(n.keyword.clone()));
            return None;
        }
    };
    match v.parse::<u32>() {
        Ok(i) if i <= GARP_EXTRA_IF_MAX => Some(GarpExtraIf { all, interval: i }),
        _ => {
            cx.error(
                n,
                ConfigError::BadNumber {
                    keyword: n.keyword.clone(),
                    value: v.clone(),
                    min: "0".into(),
                    max: GARP_EXTRA_IF_MAX.to_string(),
                },
            );
            None
        }
    }
}

/// keepalived.conf(5) `umask [NUMBER|BITS]`: a number (decimal, `0`
/// octal or `0x` hex) or permission names joined by `|`.
fn parse_umask(n: &Node, cx: &mut Ctx<'_>) -> Option<u32> {
    let text = n.args.join("");
    let num = if let Some(h) = text.strip_prefix("0x") {
        u32::from_str_radix(h, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u32::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse::<u32>().ok()
    };
    if let Some(v) = num {
        return (v <= 0o777).then_some(v).or_else(|| {
            cx.error(n, bad_umask(&text));
            None
        });
    }
    let mut mask = 0;
    for bit in text.split('|') {
        mask |= match bit {
            "IRUSR" => 0o400,
            "IWUSR" => 0o200,
            "IXUSR" => 0o100,
            "IRWXU" => 0o700,
            "IRGRP" => 0o040,
            "IWGRP" => 0o020,
            "IXGRP" => 0o010,
            "IRWXG" => 0o070,
            "IROTH" => 0o004,
            "IWOTH" => 0o002,
            "IXOTH" => 0o001,
            "IRWXO" => 0o007,
            _ => {
                cx.error(n, bad_umask(&text));
                return None;
            }
        };
    }
    Some(mask)
}

fn bad_umask(text: &str) -> ConfigError {
    ConfigError::BadValue {
        keyword: "umask".into(),
        value: text.to_string(),
        expected: "a number or IRUSR|IWGRP|... bits".into(),
    }
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
        cx.typed("global_defs", n);
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
            "notification_email" => {
                for m in n.kids() {
                    self.notification_email
                        .extend(m.words().map(str::to_string));
                }
            }
            "smtp_server" => {
                if let Some(host) = cx.arg(n) {
                    let port = match n.args.get(1) {
                        None => None,
                        Some(p) => match p.parse::<u16>() {
                            Ok(p) if p > 0 => Some(p),
                            _ => {
                                cx.error(
                                    n,
                                    ConfigError::BadNumber {
                                        keyword: "smtp_server port".into(),
                                        value: p.clone(),
                                        min: "1".into(),
                                        max: "65535".into(),
                                    },
                                );
                                None
                            }
                        },
                    };
                    self.smtp_server = Some(SmtpServer {
                        host: host.to_string(),
                        port,
                    });
                }
            }
            // keepalived.conf(5): omitting the priority sets the maximum.
            "max_auto_priority" if n.args.is_empty() => self.vrrp.max_auto_priority = Some(99),
            "umask" => self.umask = parse_umask(n, cx).or(self.umask),
            "vrrp_garp_extra_if" => self.vrrp_garp_extra_if = parse_garp_extra_if(n, cx),
            "vrrp_rx_bufs_policy" => match cx.arg(n) {
                Some("MTU") => self.vrrp_rx_bufs_policy = Some(RxBufsPolicy::Mtu),
                Some("ADVERT") => self.vrrp_rx_bufs_policy = Some(RxBufsPolicy::Advert),
                Some(v) => match v.parse::<u32>() {
                    Ok(b) => self.vrrp_rx_bufs_policy = Some(RxBufsPolicy::Size(b)),
                    Err(_) => cx.error(
                        n,
                        ConfigError::Other(format!("Invalid vrrp_rx_bufs_policy {v}")),
                    ),
                },
                None => {}
            },
            _ if self.daemon.apply(n, cx) || self.smtp.apply(n, cx) || self.vrrp.apply(n, cx) => {}
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

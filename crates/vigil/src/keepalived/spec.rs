//! From the typed keepalived.conf to what the daemon runs: one [`InstanceSpec`] per
//! `vrrp_instance`, with global defaults applied. Pure: interface indexes and primary
//! addresses are resolved later, against the kernel, when an instance is started.
//!
//! Specs compare with `==` so that a reload can tell unchanged instances from changed
//! ones; they leave out where in the file a keyword stood.

use std::net::IpAddr;
use std::time::Duration;

use vigil_kaconf::config::{AuthType, GlobalDefs, InitialState, RouteType, Script, VrrpInstance};
use vigil_kaconf::Config;
use vigil_vrrp::{Auth, Family, GarpConfig, Version};

/// A virtual address as the daemon installs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrSpec {
    /// The address.
    pub addr: IpAddr,
    /// Prefix length.
    pub prefix_len: u8,
    /// Interface (`dev`, else the instance's interface).
    pub dev: String,
    /// IPv4 broadcast.
    pub brd: Option<IpAddr>,
    /// Scope as a number (rtnetlink `RT_SCOPE_*`).
    pub scope: Option<u8>,
    /// Label.
    pub label: Option<String>,
    /// Peer address.
    pub peer: Option<IpAddr>,
    /// IPv6 without duplicate address detection.
    pub nodad: bool,
    /// No prefix route.
    pub noprefixroute: bool,
}

/// A virtual route as the daemon installs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    /// Destination.
    pub dst: IpAddr,
    /// Destination prefix length.
    pub prefix_len: u8,
    /// Gateway.
    pub via: Option<IpAddr>,
    /// Preferred source.
    pub src: Option<IpAddr>,
    /// Output interface.
    pub dev: Option<String>,
    /// Table.
    pub table: Option<u32>,
    /// Metric.
    pub metric: Option<u32>,
    /// Scope.
    pub scope: Option<u8>,
    /// Route type.
    pub kind: RouteType,
}

/// Everything the daemon needs to run one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceSpec {
    /// Instance name.
    pub name: String,
    /// Interface the adverts go out on.
    pub interface: String,
    /// The core's configuration; `primary_addr` is filled when the instance starts.
    pub core: vigil_vrrp::InstanceConfig,
    /// Source address of adverts (`unicast_src_ip` / `mcast_src_ip`), if configured.
    pub src: Option<IpAddr>,
    /// Unicast peers; empty means multicast.
    pub peers: Vec<IpAddr>,
    /// Multicast group when not unicast.
    pub group: IpAddr,
    /// `virtual_ipaddress` then `virtual_ipaddress_excluded`.
    pub addrs: Vec<AddrSpec>,
    /// `virtual_routes`.
    pub routes: Vec<RouteSpec>,
    /// Notify scripts.
    pub scripts: Scripts,
    /// The instance's own interface going down means FAULT (not `dont_track_primary`).
    pub track_primary: bool,
    /// Where the instance is defined (for logs), not compared.
    pub origin: String,
}

/// Notify scripts of an instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scripts {
    /// `notify_master`.
    pub master: Option<Script>,
    /// `notify_backup`.
    pub backup: Option<Script>,
    /// `notify_fault`.
    pub fault: Option<Script>,
    /// `notify_stop`.
    pub stop: Option<Script>,
    /// `notify`.
    pub any: Option<Script>,
}

impl InstanceSpec {
    /// Whether `other` is the same virtual router (name, interface, VRID, family), so a
    /// reload that changes anything else updates the instance rather than replacing it.
    pub fn same_router(&self, other: &InstanceSpec) -> bool {
        self.name == other.name
            && self.interface == other.interface
            && self.core.vrid == other.core.vrid
            && self.core.family == other.core.family
    }

    /// Whether `other` can replace `self` without touching the running instance.
    pub fn same_as(&self, other: &InstanceSpec) -> bool {
        let mut a = self.clone();
        a.origin.clear();
        let mut b = other.clone();
        b.origin.clear();
        a == b
    }
}

/// rtnetlink scope number of a keepalived scope word.
pub fn scope_number(s: &str) -> Option<u8> {
    Some(match s {
        "global" | "universe" => 0,
        "site" => 200,
        "link" => 253,
        "host" => 254,
        "nowhere" => 255,
        n => return n.parse().ok(),
    })
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

fn garp(g: &GlobalDefs, i: &VrrpInstance) -> GarpConfig {
    let d = GarpConfig::default();
    let pick = |inst: Option<u32>, glob: Option<u32>| inst.or(glob);
    GarpConfig {
        master_delay: pick(i.garp_master_delay, g.vrrp_garp_master_delay)
            .map(|s| Duration::from_secs(s.into()))
            .unwrap_or(d.master_delay),
        master_repeat: pick(i.garp_master_repeat, g.vrrp_garp_master_repeat)
            .unwrap_or(d.master_repeat),
        master_refresh: pick(i.garp_master_refresh, g.vrrp_garp_master_refresh)
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s.into())),
        master_refresh_repeat: pick(
            i.garp_master_refresh_repeat,
            g.vrrp_garp_master_refresh_repeat,
        )
        .unwrap_or(d.master_refresh_repeat),
        lower_prio_delay: g
            .vrrp_garp_lower_prio_delay
            .map(|s| Duration::from_secs(s.into()))
            .unwrap_or(d.lower_prio_delay),
        lower_prio_repeat: g.vrrp_garp_lower_prio_repeat.unwrap_or(d.lower_prio_repeat),
    }
}

/// The IPv4 broadcast address of a `brd` option (`+`: host part all ones, `-`: zeros).
fn broadcast(v: &vigil_kaconf::config::VirtualAddress) -> Option<IpAddr> {
    use vigil_kaconf::config::Broadcast;
    let IpAddr::V4(a) = v.prefix.addr else {
        return None;
    };
    let mask = u32::MAX
        .checked_shl(32 - u32::from(v.prefix.len.min(32)))
        .unwrap_or(0);
    match v.brd? {
        Broadcast::Address(b) => Some(b),
        Broadcast::Ones => Some(IpAddr::V4((u32::from(a) | !mask).into())),
        Broadcast::Zeros => Some(IpAddr::V4((u32::from(a) & mask).into())),
    }
}

/// keepalived 2.4's `auth_hmac` block as the core's configuration; `file:` keys are read
/// here (the key material is the file's first line, `hex:` or text as inline keys).
fn hmac_config(h: &vigil_kaconf::config::AuthHmac) -> Result<vigil_vrrp::HmacConfig, String> {
    use vigil_kaconf::config::{AntiReplay, HmacMode, HmacSecret};
    let mut keys = Vec::new();
    for k in &h.keys {
        let key = match &k.secret {
            HmacSecret::Bytes(b) => b.clone(),
            HmacSecret::Text(t) => t.clone().into_bytes(),
            HmacSecret::File(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("key file {}: {e}", path.display()))?;
                let line = text.lines().next().unwrap_or_default().trim();
                vigil_vrrp::auth_hmac::parse_key_material(line).map_err(|e| e.to_string())?
            }
        };
        keys.push(vigil_vrrp::HmacKey { id: k.id, key });
    }
    let first = keys.first().map(|k| k.id).ok_or("no key")?;
    let mut cfg = vigil_vrrp::HmacConfig::new(keys, h.active_key.unwrap_or(first));
    cfg.anti_replay = match h.anti_replay {
        AntiReplay::Time => vigil_vrrp::AntiReplay::Time,
        AntiReplay::Monotonic => vigil_vrrp::AntiReplay::Monotonic,
    };
    cfg.time_window = h.time_window;
    cfg.mode = match h.mode {
        HmacMode::Enforce => vigil_vrrp::HmacMode::Enforce,
        HmacMode::Permissive => vigil_vrrp::HmacMode::Permissive,
        HmacMode::ReceiveOnly => vigil_vrrp::HmacMode::ReceiveOnly,
    };
    Ok(cfg)
}

/// Builds the spec of one instance; `Err` says why it cannot run (the daemon logs it
/// and goes on with the others, as keepalived drops an invalid instance).
pub fn instance_spec(g: &GlobalDefs, i: &VrrpInstance) -> Result<InstanceSpec, String> {
    let origin = format!("{}:{}", i.file.display(), i.line);
    let interface = i
        .interface
        .clone()
        .ok_or_else(|| format!("{origin}: ({}) no interface", i.name))?;
    let family = match i.family() {
        Some(vigil_kaconf::config::Family::V6) => Family::V6,
        _ => Family::V4,
    };
    let version = match i.version {
        3 => Version::V3,
        _ if family == Family::V6 => Version::V3,
        _ => Version::V2,
    };
    let auth = match (&i.authentication, version) {
        (Some(a), Version::V2) => {
            let pass = a.auth_pass.clone().unwrap_or_default().into_bytes();
            match a.auth_type {
                AuthType::Pass => Auth::Pass(pass),
                AuthType::Ah => Auth::Ah(pass),
            }
        }
        _ => Auth::None,
    };
    let auth = match &i.auth_hmac {
        Some(h) => Auth::Hmac(
            hmac_config(h).map_err(|e| format!("{origin}: ({}) auth_hmac: {e}", i.name))?,
        ),
        None => auth,
    };
    let vips: Vec<IpAddr> = i.virtual_ipaddress.iter().map(|v| v.prefix.addr).collect();
    let unspecified = match family {
        Family::V4 => IpAddr::from([0u8; 4]),
        Family::V6 => IpAddr::from([0u16; 8]),
    };
    let mut core = vigil_vrrp::InstanceConfig::new(&i.name, i.virtual_router_id, unspecified, vips);
    core.version = version;
    core.family = family;
    core.priority = i.priority;
    core.advert_interval = secs(i.advert_int);
    core.preempt = !i.nopreempt;
    core.preempt_delay = i.preempt_delay.map(secs).unwrap_or(Duration::ZERO);
    core.accept = i.accept.unwrap_or(!g.vrrp_strict);
    core.start_as_master = i.state == Some(InitialState::Master);
    core.auth = auth;
    core.lower_prio_no_advert = i
        .lower_prio_no_advert
        .or(g.vrrp_lower_prio_no_advert)
        .unwrap_or(false);
    core.higher_prio_send_advert = i
        .higher_prio_send_advert
        .or(g.vrrp_higher_prio_send_advert)
        .unwrap_or(false);
    core.skip_check_adv_addr = i
        .skip_check_adv_addr
        .or(g.vrrp_skip_check_adv_addr)
        .unwrap_or(false);
    core.garp = garp(g, i);

    let group = match family {
        Family::V4 => g
            .vrrp_mcast_group4
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V4(vigil_vrrp::MCAST_V4)),
        Family::V6 => g
            .vrrp_mcast_group6
            .map(IpAddr::V6)
            .unwrap_or(IpAddr::V6(vigil_vrrp::MCAST_V6)),
    };
    let addr_spec = |v: &vigil_kaconf::config::VirtualAddress| AddrSpec {
        addr: v.prefix.addr,
        prefix_len: v.prefix.len,
        dev: v.dev.clone().unwrap_or_else(|| interface.clone()),
        brd: broadcast(v),
        scope: v.scope.as_deref().and_then(scope_number),
        label: v.label.clone(),
        peer: v.peer,
        nodad: v.nodad,
        noprefixroute: v.noprefixroute,
    };
    let addrs = i
        .virtual_ipaddress
        .iter()
        .chain(&i.virtual_ipaddress_excluded)
        .map(addr_spec)
        .collect();
    let routes = i
        .virtual_routes
        .iter()
        .map(|r| RouteSpec {
            dst: r.to.addr,
            prefix_len: r.to.len,
            via: r.via,
            src: r.src,
            dev: r.dev.clone(),
            table: r.table,
            metric: r.metric,
            scope: r.scope.as_deref().and_then(scope_number),
            kind: r.kind,
        })
        .collect();
    Ok(InstanceSpec {
        name: i.name.clone(),
        interface,
        core,
        src: i.unicast_src_ip.or(i.mcast_src_ip),
        peers: i.unicast_peer.iter().map(|p| p.addr).collect(),
        group,
        addrs,
        routes,
        scripts: Scripts {
            master: i.notify_master.clone(),
            backup: i.notify_backup.clone(),
            fault: i.notify_fault.clone(),
            stop: i.notify_stop.clone(),
            any: i.notify.clone(),
        },
        track_primary: !i.dont_track_primary,
        origin,
    })
}

/// Specs of every instance of `cfg`, and the reasons for the ones that cannot run.
pub fn specs(cfg: &Config) -> (Vec<InstanceSpec>, Vec<String>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for i in &cfg.vrrp_instances {
        match instance_spec(&cfg.global, i) {
            Ok(s) => ok.push(s),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

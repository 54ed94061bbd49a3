//! [`StatusSnapshot`]: plain data the daemon builds from its running instances, and what every
//! renderer and the status API read. Nothing here looks at a clock or the kernel: the daemon
//! fills the fields (times included) and the renderers only format them.
//!
//! The serde form is the status API's JSON (`vigil status --json`); times are Unix seconds
//! as floating point numbers with microsecond precision, durations are seconds.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use vigil_vrrp::Stats;

/// Everything `vigil keepalived` reports about itself at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusSnapshot {
    /// Process-wide facts.
    pub global: GlobalStatus,
    /// One entry per `vrrp_instance`, in configuration order.
    pub instances: Vec<InstanceStatus>,
    /// `vrrp_sync_group`s.
    #[serde(default)]
    pub groups: Vec<GroupStatus>,
}

/// Process-wide facts (keepalived.data's "Global definitions", trimmed to what vigil knows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlobalStatus {
    /// `router_id` (keepalived defaults it to the host name).
    pub router_id: String,
    /// Daemon process id.
    pub pid: u32,
    /// vigil's version.
    pub version: String,
    /// Configuration file in use.
    pub config_file: String,
    /// When the snapshot was taken.
    #[serde(with = "unix_time")]
    pub now: SystemTime,
    /// Time since the daemon started.
    #[serde(with = "secs")]
    pub uptime: Duration,
    /// Successful reloads since start.
    pub reloads: u64,
    /// `vrrp_notify_priority_changes`.
    pub notify_priority_changes: bool,
    /// `vrrp_mcast_group4` (224.0.0.18 unless configured).
    pub mcast_group4: IpAddr,
    /// `vrrp_mcast_group6` (ff02::12 unless configured).
    pub mcast_group6: IpAddr,
    /// `vrrp_strict`.
    pub strict: bool,
}

/// A VRRP instance state, spelled as keepalived prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum VrrpState {
    /// INIT: not started yet.
    Init,
    /// BACKUP.
    Backup,
    /// MASTER.
    Master,
    /// FAULT.
    Fault,
    /// STOP: shut down.
    Stop,
    /// DELETED: removed by a reload (keepalived 2.3+ reports it to notify FIFOs).
    Deleted,
}

impl VrrpState {
    /// The word keepalived prints (`State = MASTER`, FIFO lines, notify arguments).
    pub fn word(self) -> &'static str {
        match self {
            VrrpState::Init => "INIT",
            VrrpState::Backup => "BACKUP",
            VrrpState::Master => "MASTER",
            VrrpState::Fault => "FAULT",
            VrrpState::Stop => "STOP",
            VrrpState::Deleted => "DELETED",
        }
    }

    /// keepalived's numeric state (`VRRP_STATE_*` in vrrp.h), used by keepalived.json.
    pub fn code(self) -> u32 {
        match self {
            VrrpState::Init => 0,
            VrrpState::Backup => 1,
            VrrpState::Master => 2,
            VrrpState::Fault => 3,
            VrrpState::Deleted => 97,
            VrrpState::Stop => 98,
        }
    }

    /// All states, in the order of their codes (for metrics).
    pub const ALL: [VrrpState; 6] = [
        VrrpState::Init,
        VrrpState::Backup,
        VrrpState::Master,
        VrrpState::Fault,
        VrrpState::Deleted,
        VrrpState::Stop,
    ];
}

impl From<vigil_vrrp::State> for VrrpState {
    fn from(s: vigil_vrrp::State) -> Self {
        match s {
            vigil_vrrp::State::Initialize => VrrpState::Init,
            vigil_vrrp::State::Backup => VrrpState::Backup,
            vigil_vrrp::State::Master => VrrpState::Master,
            vigil_vrrp::State::Fault => VrrpState::Fault,
            vigil_vrrp::State::Stop => VrrpState::Stop,
        }
    }
}

impl std::fmt::Display for VrrpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// Address family of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// IPv4.
    Inet,
    /// IPv6 (keepalived: "Using Native IPv6").
    Inet6,
}

impl From<vigil_vrrp::Family> for Family {
    fn from(f: vigil_vrrp::Family) -> Self {
        match f {
            vigil_vrrp::Family::V4 => Family::Inet,
            vigil_vrrp::Family::V6 => Family::Inet6,
        }
    }
}

/// Advert authentication of an instance (VRRPv2 only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthStatus {
    /// No authentication.
    None,
    /// Simple password (`auth_type PASS`); keepalived's dumps show the password.
    Password(String),
    /// IPsec AH (`auth_type AH`).
    Ah,
}

impl AuthStatus {
    /// keepalived's `auth_type` number (0 none, 1 PASS, 2 AH).
    pub fn code(&self) -> u32 {
        match self {
            AuthStatus::None => 0,
            AuthStatus::Password(_) => 1,
            AuthStatus::Ah => 2,
        }
    }
}

/// One virtual address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VipStatus {
    /// The address.
    pub addr: IpAddr,
    /// Prefix length.
    pub prefix_len: u8,
    /// Interface it is installed on.
    pub dev: String,
    /// IPv4 broadcast, if configured.
    #[serde(default)]
    pub brd: Option<IpAddr>,
    /// Scope word (`global`, `link`, `host`, ...).
    pub scope: String,
    /// Label, if configured.
    #[serde(default)]
    pub label: Option<String>,
    /// Peer address, if configured.
    #[serde(default)]
    pub peer: Option<IpAddr>,
}

impl VipStatus {
    /// keepalived's one-line form, as in keepalived.data and keepalived.json:
    /// `198.51.100.10/24 dev eth0 scope global set`. The prefix is left out for host
    /// addresses; IPv6 addresses carry `preferred_lft forever`; `set` when installed.
    pub fn keepalived_line(&self, set: bool) -> String {
        let host = match self.addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        let mut s = self.addr.to_string();
        if self.prefix_len != host {
            s.push_str(&format!("/{}", self.prefix_len));
        }
        if let Some(b) = self.brd {
            s.push_str(&format!(" brd {b}"));
        }
        if let Some(p) = self.peer {
            s.push_str(&format!(" peer {p}"));
        }
        s.push_str(&format!(" dev {} scope {}", self.dev, self.scope));
        if let Some(l) = &self.label {
            s.push_str(&format!(" label {l}"));
        }
        if self.addr.is_ipv6() {
            s.push_str(" preferred_lft forever");
        }
        if set {
            s.push_str(" set");
        }
        s
    }
}

/// One virtual route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteStatus {
    /// Destination.
    pub dst: IpAddr,
    /// Destination prefix length.
    pub prefix_len: u8,
    /// Gateway.
    #[serde(default)]
    pub via: Option<IpAddr>,
    /// Preferred source.
    #[serde(default)]
    pub src: Option<IpAddr>,
    /// Output interface.
    #[serde(default)]
    pub dev: Option<String>,
    /// Routing table.
    #[serde(default)]
    pub table: Option<u32>,
    /// Metric.
    #[serde(default)]
    pub metric: Option<u32>,
}

impl RouteStatus {
    /// ip-route style one-line form: `203.0.113.0/24 via 198.51.100.254 dev eth0`.
    pub fn line(&self) -> String {
        let mut s = format!("{}/{}", self.dst, self.prefix_len);
        if let Some(v) = self.via {
            s.push_str(&format!(" via {v}"));
        }
        if let Some(d) = &self.dev {
            s.push_str(&format!(" dev {d}"));
        }
        if let Some(src) = self.src {
            s.push_str(&format!(" src {src}"));
        }
        if let Some(t) = self.table {
            s.push_str(&format!(" table {t}"));
        }
        if let Some(m) = self.metric {
            s.push_str(&format!(" metric {m}"));
        }
        s
    }
}

/// What a tracker watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackerKind {
    /// `track_interface`.
    Interface,
    /// `track_script` (a `vrrp_script`).
    Script,
    /// `track_file`.
    File,
    /// `track_process`.
    Process,
    /// `track_bfd`.
    Bfd,
}

/// One tracker of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerStatus {
    /// Interface, script, file, process or BFD name.
    pub name: String,
    /// What it watches.
    pub kind: TrackerKind,
    /// Whether it currently reports good.
    pub ok: bool,
    /// Weight (0: failure means FAULT).
    pub weight: i32,
    /// For scripts: the command line as keepalived prints it (`'/usr/bin/true'`).
    #[serde(default)]
    pub command: Option<String>,
}

/// The most recent state change of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// When.
    #[serde(with = "unix_time")]
    pub at: SystemTime,
    /// Old state.
    pub from: VrrpState,
    /// New state.
    pub to: VrrpState,
    /// Why, in a few words (`master down`, `higher priority advert`, ...).
    pub reason: String,
}

/// Gratuitous ARP / unsolicited NA settings of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GarpStatus {
    /// `garp_master_delay`, seconds.
    pub delay: u32,
    /// `garp_master_repeat`.
    pub repeat: u32,
    /// `garp_master_refresh`, seconds (0: off).
    pub refresh: u32,
    /// `garp_master_refresh_repeat`.
    pub refresh_repeat: u32,
    /// `garp_lower_prio_delay`, seconds.
    pub lower_prio_delay: u32,
    /// `garp_lower_prio_repeat`.
    pub lower_prio_repeat: u32,
}

impl Default for GarpStatus {
    /// keepalived's defaults.
    fn default() -> Self {
        GarpStatus {
            delay: 5,
            repeat: 5,
            refresh: 0,
            refresh_repeat: 1,
            lower_prio_delay: 5,
            lower_prio_repeat: 5,
        }
    }
}

/// One `vrrp_instance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceStatus {
    /// Instance name.
    pub name: String,
    /// Virtual router id.
    pub vrid: u8,
    /// Interface the adverts use.
    pub interface: String,
    /// Its interface index, when known.
    #[serde(default)]
    pub ifindex: Option<u32>,
    /// Address family.
    pub family: Family,
    /// VRRP version (2 or 3).
    pub version: u8,
    /// Current state.
    pub state: VrrpState,
    /// State the instance is heading for (keepalived's `wantstate`).
    pub wantstate: VrrpState,
    /// Configured priority.
    pub base_priority: u8,
    /// Priority after tracker weights.
    pub effective_priority: u8,
    /// Configured advert interval.
    #[serde(with = "secs")]
    pub advert_int: Duration,
    /// The master's advert interval (VRRPv3 learns it; otherwise ours).
    #[serde(with = "secs")]
    pub master_advert_int: Duration,
    /// Address of the current master when BACKUP (None when unknown or when we are master).
    #[serde(default)]
    pub master_addr: Option<IpAddr>,
    /// Priority the master advertises (0 when unknown).
    pub master_priority: u8,
    /// Source address of our adverts.
    #[serde(default)]
    pub src_addr: Option<IpAddr>,
    /// Whether the source address came from the configuration.
    #[serde(default)]
    pub src_from_config: bool,
    /// Unicast peers; empty means multicast.
    #[serde(default)]
    pub unicast_peers: Vec<IpAddr>,
    /// `virtual_ipaddress`.
    pub vips: Vec<VipStatus>,
    /// `virtual_ipaddress_excluded`.
    #[serde(default)]
    pub excluded: Vec<VipStatus>,
    /// `virtual_routes`.
    #[serde(default)]
    pub routes: Vec<RouteStatus>,
    /// Whether the virtual addresses are installed now.
    pub vips_set: bool,
    /// Preemption enabled (not `nopreempt`).
    pub preempt: bool,
    /// `preempt_delay`.
    #[serde(with = "secs")]
    pub preempt_delay: Duration,
    /// `accept` mode.
    pub accept: bool,
    /// Authentication.
    pub auth: AuthStatus,
    /// Gratuitous ARP settings.
    #[serde(default)]
    pub garp: GarpStatus,
    /// Number of trackers (interfaces, scripts, ...) currently failed with weight 0.
    pub fault_count: u32,
    /// Last state change, if any.
    #[serde(default)]
    pub last_transition: Option<Transition>,
    /// State changes since start.
    pub transitions: u64,
    /// Counters.
    #[serde(with = "stats_serde")]
    pub stats: Stats,
    /// Trackers.
    #[serde(default)]
    pub trackers: Vec<TrackerStatus>,
    /// `notify_priority_changes` of the instance.
    #[serde(default)]
    pub notify_priority_changes: bool,
    /// `smtp_alert` of the instance.
    #[serde(default)]
    pub smtp_alert: bool,
    /// When the instance's next timer fires (keepalived's "Read timeout"); None: no timer
    /// (FAULT, STOP).
    #[serde(default, with = "opt_unix_time")]
    pub read_timeout: Option<SystemTime>,
    /// Master_Down_Interval as the core computes it now.
    #[serde(with = "secs")]
    pub master_down_timer: Duration,
    /// Notify scripts, as command lines.
    #[serde(default)]
    pub scripts: NotifyScripts,
}

/// Notify scripts of an instance, each as keepalived prints its command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyScripts {
    /// `notify_backup`.
    #[serde(default)]
    pub backup: Option<String>,
    /// `notify_master`.
    #[serde(default)]
    pub master: Option<String>,
    /// `notify_fault`.
    #[serde(default)]
    pub fault: Option<String>,
    /// `notify_stop`.
    #[serde(default)]
    pub stop: Option<String>,
    /// `notify_deleted`.
    #[serde(default)]
    pub deleted: Option<String>,
    /// `notify`.
    #[serde(default)]
    pub any: Option<String>,
    /// `notify_master_rx_lower_pri`.
    #[serde(default)]
    pub master_rx_lower_pri: Option<String>,
}

/// Declares every counter of [`vigil_vrrp::Stats`] once, by field name.
macro_rules! counters {
    ($($f:ident),* $(,)?) => {
        /// Every counter of `s`, named as its field (the status API's names).
        pub fn stats_counters(s: &Stats) -> Vec<(&'static str, u64)> {
            vec![$((stringify!($f), s.$f)),*]
        }

        /// The counter called `name`.
        fn stats_counter_mut<'a>(s: &'a mut Stats, name: &str) -> Option<&'a mut u64> {
            match name {
                $(stringify!($f) => Some(&mut s.$f),)*
                _ => None,
            }
        }
    };
}

counters!(
    advert_rcvd,
    advert_sent,
    became_master,
    release_master,
    packet_len_err,
    ip_header_err,
    advert_interval_err,
    ip_ttl_err,
    invalid_type_rcvd,
    version_err,
    vrid_err,
    addr_list_err,
    invalid_authtype,
    authtype_mismatch,
    auth_failure,
    checksum_err,
    hmac_missing,
    hmac_malformed,
    hmac_stale,
    hmac_unknown_key,
    hmac_bad_icv,
    hmac_replay,
    pri_zero_rcvd,
    pri_zero_sent,
);

/// [`vigil_vrrp::Stats`] (which has no serde) as a JSON object of counters. Unknown names
/// are ignored and missing ones are 0, so a client and a daemon of different versions
/// still understand each other.
mod stats_serde {
    use std::collections::BTreeMap;

    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serializer};
    use vigil_vrrp::Stats;

    pub fn serialize<S: Serializer>(st: &Stats, s: S) -> Result<S::Ok, S::Error> {
        let counters = super::stats_counters(st);
        let mut m = s.serialize_map(Some(counters.len()))?;
        for (k, v) in counters {
            m.serialize_entry(k, &v)?;
        }
        m.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Stats, D::Error> {
        let map = BTreeMap::<String, u64>::deserialize(d)?;
        let mut st = Stats::default();
        for (k, v) in map {
            if let Some(c) = super::stats_counter_mut(&mut st, &k) {
                *c = v;
            }
        }
        Ok(st)
    }
}

/// A sync group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupStatus {
    /// Group name.
    pub name: String,
    /// Group state.
    pub state: VrrpState,
    /// Member instance names.
    pub instances: Vec<String>,
}

impl StatusSnapshot {
    /// The instance called `name`.
    pub fn instance(&self, name: &str) -> Option<&InstanceStatus> {
        self.instances.iter().find(|i| i.name == name)
    }
}

/// Seconds since the Unix epoch as an `f64` with microsecond precision (times before the
/// epoch count as the epoch).
pub fn unix_secs(t: SystemTime) -> f64 {
    let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    d.as_secs() as f64 + f64::from(d.subsec_micros()) / 1e6
}

/// `SystemTime` as Unix seconds (float).
mod unix_time {
    use std::time::{Duration, SystemTime};

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(super::unix_secs(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let secs = f64::deserialize(d)?;
        if !secs.is_finite() || secs < 0.0 {
            return Err(serde::de::Error::custom(format!(
                "time {secs} is not a Unix time"
            )));
        }
        let micros = (secs * 1e6).round() as u64;
        Ok(SystemTime::UNIX_EPOCH + Duration::from_micros(micros))
    }
}

/// `Option<SystemTime>` as Unix seconds or null.
mod opt_unix_time {
    use std::time::SystemTime;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::unix_time::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SystemTime>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "super::unix_time")] SystemTime);
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

/// `Duration` as seconds (float, microsecond precision).
mod secs {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs() as f64 + f64::from(d.subsec_micros()) / 1e6)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        if !secs.is_finite() || secs < 0.0 {
            return Err(serde::de::Error::custom(format!(
                "duration {secs} is not a number of seconds"
            )));
        }
        Ok(Duration::from_micros((secs * 1e6).round() as u64))
    }
}

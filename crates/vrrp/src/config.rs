//! Static configuration of one VRRP instance.

use std::net::IpAddr;
use std::time::Duration;

use crate::auth::Auth;
use crate::auth_hmac::HmacConfigError;
use crate::encode::{AdvertEncoder, EncodeError, EncoderConfig};
use crate::packet::{Family, Version, VRRP_TTL};

/// Gratuitous ARP / unsolicited NA schedule (keepalived `garp_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GarpConfig {
    /// Delay of the second burst after becoming master; zero: no second burst.
    pub master_delay: Duration,
    /// Messages per burst after becoming master.
    pub master_repeat: u32,
    /// Period of refresh bursts while master; `None`: no refresh.
    pub master_refresh: Option<Duration>,
    /// Messages per refresh burst.
    pub master_refresh_repeat: u32,
    /// Delay of the second burst after a lower priority advert; zero: none.
    pub lower_prio_delay: Duration,
    /// Messages per burst after a lower priority advert; zero: no burst.
    pub lower_prio_repeat: u32,
}

impl Default for GarpConfig {
    /// keepalived's defaults: 5 messages now and 5 more after 5 s; the
    /// lower-priority schedule follows the master one; no refresh.
    fn default() -> Self {
        GarpConfig {
            master_delay: Duration::from_secs(5),
            master_repeat: 5,
            master_refresh: None,
            master_refresh_repeat: 1,
            lower_prio_delay: Duration::from_secs(5),
            lower_prio_repeat: 5,
        }
    }
}

/// Configuration of one VRRP instance, as the daemon derives it from a
/// keepalived `vrrp_instance` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceConfig {
    /// Instance name (for logs).
    pub name: String,
    /// Virtual router id, 1..=255.
    pub vrid: u8,
    /// Protocol version.
    pub version: Version,
    /// Address family of the adverts and the virtual addresses.
    pub family: Family,
    /// Configured priority 1..=255; 255 is the address owner.
    pub priority: u8,
    /// Advert interval (v2: whole seconds; v3: 10 ms steps up to 40.95 s).
    pub advert_interval: Duration,
    /// Preempt a lower priority master (keepalived: not `nopreempt`).
    pub preempt: bool,
    /// Extra delay before preempting at start-up or a lower priority master.
    pub preempt_delay: Duration,
    /// Accept mode (RFC 5798 §6.1); used by the daemon, not by the core.
    pub accept: bool,
    /// keepalived `state MASTER`: with priority 255 the instance becomes
    /// master at once; otherwise it starts as backup like any other
    /// (keepalived 2.2 `vrrp_init_state`), and `nopreempt` is ignored.
    /// Cleared with AH authentication, as keepalived does.
    pub start_as_master: bool,
    /// Authentication: PASS / AH (VRRPv2 over IPv4 only), or `auth_hmac`
    /// (any version and family).
    pub auth: Auth,
    /// Virtual addresses, all of `family`, at most 255.
    pub vips: Vec<IpAddr>,
    /// Our primary address on the interface (tie-break, RFC 5798 §6.4.3).
    pub primary_addr: IpAddr,
    /// Do not answer a lower priority advert with an advert while master.
    pub lower_prio_no_advert: bool,
    /// Send an advert before yielding to a higher priority master.
    pub higher_prio_send_advert: bool,
    /// Skip the address list check for adverts from the current master.
    pub skip_check_adv_addr: bool,
    /// VRRPv2: drop adverts whose interval differs from ours (RFC 3768 §7.1).
    pub check_interval_mismatch: bool,
    /// VRRPv3 over IPv4: checksum without the pseudo-header.
    pub v3_checksum_as_v2: bool,
    /// Gratuitous ARP / NA schedule.
    pub garp: GarpConfig,
}

/// Why an [`InstanceConfig`] is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Virtual router id 0.
    #[error("{0}: virtual_router_id must be 1..=255")]
    Vrid(String),
    /// Priority 0 is reserved for "master stopping".
    #[error("{0}: priority must be 1..=255")]
    Priority(String),
    /// The interval cannot be carried by this version.
    #[error("{0}: advert interval {1:?} not representable for this VRRP version")]
    Interval(String, Duration),
    /// An address of the other family.
    #[error("{0}: address {1} is not of the instance's family")]
    Family(String, IpAddr),
    /// More than 255 virtual addresses.
    #[error("{0}: {1} virtual addresses, at most 255")]
    TooManyAddresses(String, usize),
    /// Authentication with VRRPv3 or IPv6, or VRRPv2 over IPv6.
    #[error("{0}: VRRPv2 and authentication are IPv4 only; VRRPv3 has no authentication")]
    Version(String),
    /// The `auth_hmac` block is unusable.
    #[error("{0}: {1}")]
    Hmac(String, HmacConfigError),
}

impl InstanceConfig {
    /// A configuration with keepalived's defaults: VRRPv2 for IPv4, v3 for
    /// IPv6, priority 100, 1 s interval, preempt, no auth, no delay.
    pub fn new(name: &str, vrid: u8, primary_addr: IpAddr, vips: Vec<IpAddr>) -> Self {
        let family = Family::of(primary_addr);
        InstanceConfig {
            name: name.to_string(),
            vrid,
            version: if family == Family::V4 {
                Version::V2
            } else {
                Version::V3
            },
            family,
            priority: 100,
            advert_interval: Duration::from_secs(1),
            preempt: true,
            preempt_delay: Duration::ZERO,
            accept: true,
            start_as_master: false,
            auth: Auth::None,
            vips,
            primary_addr,
            lower_prio_no_advert: false,
            higher_prio_send_advert: false,
            skip_check_adv_addr: false,
            check_interval_mismatch: true,
            v3_checksum_as_v2: false,
            garp: GarpConfig::default(),
        }
    }

    /// The advert interval in centiseconds as carried on the wire.
    pub fn interval_cs(&self) -> u16 {
        (self.advert_interval.as_millis() / 10).min(u128::from(u16::MAX)) as u16
    }

    /// Checks the configuration is usable.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let n = || self.name.clone();
        if self.vrid == 0 {
            return Err(ConfigError::Vrid(n()));
        }
        if self.priority == 0 {
            return Err(ConfigError::Priority(n()));
        }
        let cs = self.interval_cs();
        let exact = Duration::from_millis(u64::from(cs) * 10) == self.advert_interval;
        let ok = exact
            && match self.version {
                Version::V2 => (100..=25500).contains(&cs) && cs % 100 == 0,
                Version::V3 => (1..=0x0fff).contains(&cs),
            };
        if !ok {
            return Err(ConfigError::Interval(n(), self.advert_interval));
        }
        for a in self.vips.iter().chain([&self.primary_addr]) {
            if Family::of(*a) != self.family {
                return Err(ConfigError::Family(n(), *a));
            }
        }
        if self.vips.len() > 255 {
            return Err(ConfigError::TooManyAddresses(n(), self.vips.len()));
        }
        let v2_v6 = self.version == Version::V2 && self.family == Family::V6;
        let bad_auth = match &self.auth {
            Auth::None => false,
            Auth::Hmac(h) => {
                h.validate().map_err(|e| ConfigError::Hmac(n(), e))?;
                false
            }
            Auth::Pass(_) | Auth::Ah(_) => self.version != Version::V2 || self.family != Family::V4,
        };
        if v2_v6 || bad_auth {
            return Err(ConfigError::Version(n()));
        }
        Ok(())
    }

    /// An encoder for this instance's adverts from `src` to `dst`
    /// (the multicast group or one unicast peer), TTL 255.
    pub fn encoder(&self, src: IpAddr, dst: IpAddr) -> Result<AdvertEncoder, EncodeError> {
        AdvertEncoder::new(EncoderConfig {
            version: self.version,
            vrid: self.vrid,
            interval_cs: self.interval_cs(),
            addrs: self.vips.clone(),
            auth: self.auth.clone(),
            src,
            dst,
            v3_checksum_as_v2: self.v3_checksum_as_v2,
            ttl: VRRP_TTL,
        })
    }
}

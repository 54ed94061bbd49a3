//! Helpers shared by the test modules.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use vigil_vrrp::{Action, Instance};

/// Bytes from a hex string (whitespace ignored).
pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Drains every pending action.
pub fn drain(i: &mut Instance) -> Vec<Action> {
    std::iter::from_fn(|| i.poll_action()).collect()
}

pub fn v4(d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(198, 51, 100, d))
}

pub fn v6(s: &str) -> IpAddr {
    IpAddr::V6(s.parse::<Ipv6Addr>().unwrap())
}

use std::time::{Duration, Instant};

use vigil_vrrp::{InstanceConfig, MCAST_V4, MCAST_V6};

/// The test instance: vrid 51, primary 198.51.100.5, VIP .100, prio 100.
pub fn cfg() -> InstanceConfig {
    InstanceConfig::new("vi", 51, v4(5), vec![v4(100)])
}

/// Bytes of an advert that a peer with `cfg` sends from `src` at `prio`.
pub fn advert_from(cfg: &InstanceConfig, src: IpAddr, prio: u8) -> Vec<u8> {
    let dst = match src {
        IpAddr::V4(_) => IpAddr::V4(MCAST_V4),
        IpAddr::V6(_) => IpAddr::V6(MCAST_V6),
    };
    cfg.encoder(src, dst).unwrap().encode(prio).to_vec()
}

/// Feeds a peer advert built from the instance's own config.
pub fn rx(i: &mut Instance, now: Instant, src: IpAddr, prio: u8) {
    let c = i.config().clone();
    rx_with(i, now, &c, src, prio);
}

/// Feeds a peer advert built from `peer`'s config.
pub fn rx_with(i: &mut Instance, now: Instant, peer: &InstanceConfig, src: IpAddr, prio: u8) {
    let bytes = advert_from(peer, src, prio);
    match src {
        IpAddr::V4(_) => i.handle_ipv4(now, &bytes),
        IpAddr::V6(s) => i.handle_ipv6(now, &bytes, s, MCAST_V6, 255),
    }
}

/// Milliseconds after `t0`.
pub fn ms(t0: Instant, n: u64) -> Instant {
    t0 + Duration::from_millis(n)
}

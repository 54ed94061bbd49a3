//! Per-instance validation of received adverts: every drop is counted and
//! changes nothing.

use std::time::{Duration, Instant};

use vigil_vrrp::{Auth, DropReason, Instance, InstanceConfig, Stats, Version};

use super::common::{advert_from, cfg, drain, rx, rx_with, v4};

/// A started backup instance with `c`.
fn backup(c: InstanceConfig, t0: Instant) -> Instance {
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    drain(&mut i);
    i
}

/// Asserts that exactly one drop of `reason` was counted and nothing else
/// happened.
fn assert_dropped(i: &mut Instance, reason: DropReason, before: Option<Instant>) {
    let mut want = Stats::default();
    want.count(reason);
    assert_eq!(i.stats(), &want);
    assert_eq!(drain(i), vec![]);
    assert_eq!(i.poll_timeout(), before, "timers untouched");
    assert_eq!(i.master_addr(), None);
}

#[test]
fn vrid_mismatch() {
    let t0 = Instant::now();
    let mut i = backup(cfg(), t0);
    let before = i.poll_timeout();
    let mut peer = cfg();
    peer.vrid = 52;
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_dropped(&mut i, DropReason::VridMismatch, before);
}

#[test]
fn version_mismatch() {
    let t0 = Instant::now();
    let mut i = backup(cfg(), t0);
    let before = i.poll_timeout();
    let mut peer = cfg();
    peer.version = Version::V3;
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_dropped(&mut i, DropReason::InvalidVersion, before);
}

#[test]
fn v2_interval_mismatch() {
    let t0 = Instant::now();
    let mut i = backup(cfg(), t0);
    let before = i.poll_timeout();
    let mut peer = cfg();
    peer.advert_interval = Duration::from_secs(2);
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_dropped(&mut i, DropReason::AdvertInterval, before);
}

#[test]
fn v2_interval_mismatch_allowed_when_not_checked() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.check_interval_mismatch = false;
    let mut i = backup(c, t0);
    let mut peer = cfg();
    peer.advert_interval = Duration::from_secs(2);
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_eq!(i.stats().advert_rcvd, 1);
}

#[test]
fn address_list_mismatch_and_skip() {
    let t0 = Instant::now();
    let mut peer = cfg();
    peer.vips = vec![v4(100), v4(101)];
    let mut i = backup(cfg(), t0);
    let before = i.poll_timeout();
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_dropped(&mut i, DropReason::AddressList, before);

    // skip_check_adv_addr: checked for a new master, skipped for the
    // current one.
    let mut c = cfg();
    c.skip_check_adv_addr = true;
    let mut i = backup(c, t0);
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_eq!(i.stats().addr_list_err, 1);
    rx(&mut i, t0, v4(9), 200);
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_eq!(i.stats().addr_list_err, 1);
    assert_eq!(i.stats().advert_rcvd, 2);
}

#[test]
fn auth_type_mismatch() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.auth = Auth::Pass(b"secret".to_vec());
    let mut i = backup(c, t0);
    let before = i.poll_timeout();
    rx_with(&mut i, t0, &cfg(), v4(9), 200);
    assert_dropped(&mut i, DropReason::AuthTypeMismatch, before);
}

#[test]
fn wrong_password() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.auth = Auth::Pass(b"secret".to_vec());
    let mut i = backup(c.clone(), t0);
    let before = i.poll_timeout();
    let mut peer = c.clone();
    peer.auth = Auth::Pass(b"Secret".to_vec());
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_dropped(&mut i, DropReason::AuthFailure, before);
    // Only 8 bytes count (keepalived): a longer password with the same
    // first 8 bytes is accepted.
    let mut c8 = c.clone();
    c8.auth = Auth::Pass(b"12345678".to_vec());
    let mut i = backup(c8, t0);
    peer.auth = Auth::Pass(b"123456789".to_vec());
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_eq!(i.stats().advert_rcvd, 1);
}

#[test]
fn ah_accept_bad_key_and_replay() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.auth = Auth::Ah(b"ahkey123".to_vec());
    let mut i = backup(c.clone(), t0);
    let mut enc = c.encoder(v4(9), vigil_vrrp::MCAST_V4.into()).unwrap();
    let first = enc.encode(200).to_vec();
    let second = enc.encode(200).to_vec();
    i.handle_ipv4(t0, &first);
    i.handle_ipv4(t0, &second);
    assert_eq!(i.stats().advert_rcvd, 2);
    // Replaying an old sequence number fails.
    i.handle_ipv4(t0, &first);
    assert_eq!(i.stats().auth_failure, 1);
    // Another key fails.
    let mut other = c.clone();
    other.auth = Auth::Ah(b"ahkey124".to_vec());
    rx_with(&mut i, t0, &other, v4(9), 200);
    assert_eq!(i.stats().auth_failure, 2);
    assert_eq!(i.stats().advert_rcvd, 2);
}

#[test]
fn ah_spi_must_be_source() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.auth = Auth::Ah(b"k".to_vec());
    let mut i = backup(c.clone(), t0);
    let before = i.poll_timeout();
    let mut b = advert_from(&c, v4(9), 200);
    // Rewrite the source address (SPI stays .9) and fix the header sum.
    b[15] = 8;
    b[10..12].fill(0);
    let ck = vigil_vrrp::checksum::Sum::default()
        .bytes(&b[..20])
        .finish();
    b[10..12].copy_from_slice(&ck.to_be_bytes());
    i.handle_ipv4(t0, &b);
    assert_dropped(&mut i, DropReason::AuthFailure, before);
}

#[test]
fn checksum_variant_mismatch() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.version = Version::V3;
    let mut i = backup(c.clone(), t0);
    let before = i.poll_timeout();
    let mut peer = c;
    peer.v3_checksum_as_v2 = true;
    rx_with(&mut i, t0, &peer, v4(9), 200);
    assert_dropped(&mut i, DropReason::Checksum, before);
}

#[test]
fn decode_errors_are_counted_on_the_instance() {
    let t0 = Instant::now();
    let mut i = backup(cfg(), t0);
    let before = i.poll_timeout();
    let mut b = advert_from(&cfg(), v4(9), 200);
    b.truncate(30);
    i.handle_ipv4(t0, &b);
    assert_dropped(&mut i, DropReason::PacketLength, before);
}

#[test]
fn config_errors() {
    let mut c = cfg();
    c.vrid = 0;
    assert!(Instance::new(c).is_err());
    let mut c = cfg();
    c.priority = 0;
    assert!(Instance::new(c).is_err());
    let mut c = cfg();
    c.advert_interval = Duration::from_millis(1500);
    let e = Instance::new(c).unwrap_err();
    assert!(e.to_string().contains("vi"), "{e}");
    let mut c = cfg();
    c.version = Version::V3;
    c.auth = Auth::Pass(b"x".to_vec());
    assert!(Instance::new(c).is_err());
    let mut c = cfg();
    c.vips.push(super::common::v6("2001:db8::1"));
    assert!(Instance::new(c).is_err());
}

//! Fixed byte vectors, both ways.
//!
//! Unless noted, each vector is the first advert (IPv4 id 1, AH seq 1) that
//! Debian's keepalived 2.2.7 sent on a veth `d0` (198.51.100.1/24) in a
//! network namespace, captured with `tcpdump -i d0 -w` and printed with
//! tshark; the config had one `vrrp_instance` per vector, `state MASTER`,
//! `advert_int 1` (0.5 for vrid 14), and the VIPs decoded below.

use std::net::{IpAddr, Ipv4Addr};

use vigil_vrrp::{
    decode_ipv4, decode_ipv6, Advert, AdvertEncoder, Auth, AuthField, EncoderConfig, Received,
    Version, MCAST_V4, MCAST_V6,
};

use super::common::{hex, v4, v6};

const SRC: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);

/// vrid 10, prio 100, v2, no auth, VIP 198.51.100.10.
const V2_NONE: &str =
    "45c0002800010000ff70b05dc6336401e0000012 210a6401000150b5c633640a0000000000000000";
/// Same instance's priority 0 advert at shutdown (IPv4 id 4).
const V2_NONE_STOP: &str =
    "45c0002800040000ff70b05ac6336401e0000012 210a00010001b4b5c633640a0000000000000000";
/// vrid 11, prio 150, v2, `auth_type PASS`, `auth_pass secret`, 2 VIPs.
const V2_PASS: &str =
    "45c0002c00010000ff70b059c6336401e0000012 210b96020101b725c633640bc633640c 7365637265740000";
/// vrid 12, prio 200, v2, `auth_type AH`, `auth_pass ahkey123`, VIP .13.
const V2_AH: &str =
    "45c0004000010000ff33b082c6336401e0000012 70040000c633640100000001732660bf4b83277954b3e7d9 \
                     210cc8010201eaafc633640d0000000000000000";
/// The same instance's priority 0 advert at shutdown (IPv4 id 4, AH seq 4).
const V2_AH_STOP: &str =
    "45c0004000040000ff33b07fc6336401e0000012 70040000c63364010000000403bc8f8b0112427c35d85b5a \
                          210c00010201b2b0c633640d0000000000000000";
/// vrid 13, prio 120, v3, interval 100 cs, VIPs .14 .15.
const V3_V4: &str = "45c0002400010000ff70b061c6336401e0000012 310d78020064f73ec633640ec633640f";
/// vrid 14, prio 110, v3, `advert_int 0.5` (50 cs), VIP .16.
const V3_V4_HALF: &str = "45c0002000010000ff70b065c6336401e0000012 310e6e0100322bb6c6336410";
/// vrid 14 with `v3_checksum_as_v2`. keepalived 2.2.7 rejects that keyword
/// ("Unknown keyword"), so this is V3_V4_HALF with the checksum recomputed
/// by hand (python, RFC 1071 sum over the 12 VRRP bytes only): 0x367a.
const V3_V4_AS_V2: &str = "45c0002000010000ff70b065c6336401e0000012 310e6e010032367ac6336410";
/// vrid 15, prio 130, v3 over IPv6, VIP 2001:db8::15; IPv6 payload only,
/// from fe80::d85d:8fff:fe74:a66f to ff02::12, hop limit 255.
const V3_V6: &str = "310f82010064135d20010db8000000000000000000000015";
const V6_SRC: &str = "fe80::d85d:8fff:fe74:a66f";

fn enc(
    version: Version,
    vrid: u8,
    interval_cs: u16,
    addrs: Vec<IpAddr>,
    auth: Auth,
    as_v2: bool,
) -> AdvertEncoder {
    AdvertEncoder::new(EncoderConfig {
        version,
        vrid,
        interval_cs,
        addrs,
        auth,
        src: IpAddr::V4(SRC),
        dst: IpAddr::V4(MCAST_V4),
        v3_checksum_as_v2: as_v2,
        ttl: 255,
    })
    .unwrap()
}

#[test]
fn v2_none_both_ways() {
    let bytes = hex(V2_NONE);
    let p = decode_ipv4(&bytes).unwrap();
    assert_eq!(
        p.advert,
        Advert {
            version: Version::V2,
            vrid: 10,
            priority: 100,
            interval_cs: 100,
            addrs: vec![v4(10)],
            auth: AuthField::None
        }
    );
    assert_eq!((p.src, p.dst, p.ttl), (SRC, MCAST_V4, 255));
    assert!(p.checksum_ok(false));
    let mut e = enc(Version::V2, 10, 100, vec![v4(10)], Auth::None, false);
    assert_eq!(e.encode(100), &bytes[..]);
    // ids 2 and 3, then the shutdown advert with id 4.
    e.encode(100);
    e.encode(100);
    assert_eq!(e.encode(0), &hex(V2_NONE_STOP)[..]);
}

#[test]
fn v2_pass_both_ways() {
    let bytes = hex(V2_PASS);
    let p = decode_ipv4(&bytes).unwrap();
    assert_eq!(p.advert.auth, AuthField::Pass(*b"secret\0\0"));
    assert_eq!(p.advert.addrs, vec![v4(11), v4(12)]);
    assert_eq!(p.advert.priority, 150);
    assert!(p.checksum_ok(false));
    let mut e = enc(
        Version::V2,
        11,
        100,
        vec![v4(11), v4(12)],
        Auth::Pass(b"secret".to_vec()),
        false,
    );
    assert_eq!(e.encode(150), &bytes[..]);
}

#[test]
fn v2_ah_both_ways() {
    let bytes = hex(V2_AH);
    let p = decode_ipv4(&bytes).unwrap();
    assert_eq!(p.advert.auth, AuthField::Ah);
    let ah = p.ah.unwrap();
    assert_eq!(ah.spi, u32::from(SRC));
    assert_eq!(ah.seq, 1);
    assert!(p.checksum_ok(false));
    assert!(p.ah_ok(b"ahkey123"));
    assert!(!p.ah_ok(b"ahkey124"));
    let mut e = enc(
        Version::V2,
        12,
        100,
        vec![v4(13)],
        Auth::Ah(b"ahkey123".to_vec()),
        false,
    );
    assert_eq!(e.encode(200), &bytes[..]);
    e.encode(200);
    e.encode(200);
    let stop = hex(V2_AH_STOP);
    assert_eq!(e.encode(0), &stop[..]);
    assert!(decode_ipv4(&stop).unwrap().ah_ok(b"ahkey123"));
}

#[test]
fn ah_icv_covers_the_vrrp_message() {
    let mut bytes = hex(V2_AH);
    // Flip the priority; fix both checksums so only the ICV can catch it.
    bytes[46] = 201;
    bytes[50..52].fill(0);
    let ck = vigil_vrrp::checksum::Sum::default()
        .bytes(&bytes[44..])
        .finish();
    bytes[50..52].copy_from_slice(&ck.to_be_bytes());
    let p = decode_ipv4(&bytes).unwrap();
    assert!(p.checksum_ok(false));
    assert!(!p.ah_ok(b"ahkey123"));
}

#[test]
fn ah_icv_ignores_mutable_fields() {
    let mut bytes = hex(V2_AH);
    bytes[1] = 0x00; // TOS rewritten by a router
    bytes[10..12].fill(0);
    let ck = vigil_vrrp::checksum::Sum::default()
        .bytes(&bytes[..20])
        .finish();
    bytes[10..12].copy_from_slice(&ck.to_be_bytes());
    assert!(decode_ipv4(&bytes).unwrap().ah_ok(b"ahkey123"));
}

#[test]
fn v3_ipv4_both_ways() {
    let bytes = hex(V3_V4);
    let p = decode_ipv4(&bytes).unwrap();
    assert_eq!(
        p.advert,
        Advert {
            version: Version::V3,
            vrid: 13,
            priority: 120,
            interval_cs: 100,
            addrs: vec![v4(14), v4(15)],
            auth: AuthField::None
        }
    );
    assert!(p.checksum_ok(false));
    assert!(!p.checksum_ok(true));
    let mut e = enc(
        Version::V3,
        13,
        100,
        vec![v4(14), v4(15)],
        Auth::None,
        false,
    );
    assert_eq!(e.encode(120), &bytes[..]);
}

#[test]
fn v3_ipv4_half_second_interval() {
    let bytes = hex(V3_V4_HALF);
    let p = decode_ipv4(&bytes).unwrap();
    assert_eq!(p.advert.interval_cs, 50);
    assert!(p.checksum_ok(false));
    let mut e = enc(Version::V3, 14, 50, vec![v4(16)], Auth::None, false);
    assert_eq!(e.encode(110), &bytes[..]);
}

#[test]
fn v3_ipv4_checksum_as_v2_both_ways() {
    let bytes = hex(V3_V4_AS_V2);
    let p = decode_ipv4(&bytes).unwrap();
    assert!(p.checksum_ok(true));
    assert!(!p.checksum_ok(false));
    let mut e = enc(Version::V3, 14, 50, vec![v4(16)], Auth::None, true);
    assert_eq!(e.encode(110), &bytes[..]);
}

#[test]
fn v3_ipv6_both_ways() {
    let bytes = hex(V3_V6);
    let IpAddr::V6(src) = v6(V6_SRC) else {
        unreachable!()
    };
    let p = decode_ipv6(&bytes, src, MCAST_V6, 255).unwrap();
    assert_eq!(
        p.advert,
        Advert {
            version: Version::V3,
            vrid: 15,
            priority: 130,
            interval_cs: 100,
            addrs: vec![v6("2001:db8::15")],
            auth: AuthField::None
        }
    );
    assert!(p.checksum_ok());
    assert!(Received::V6(p).checksum_ok(false));
    let mut e = AdvertEncoder::new(EncoderConfig {
        version: Version::V3,
        vrid: 15,
        interval_cs: 100,
        addrs: vec![v6("2001:db8::15")],
        auth: Auth::None,
        src: IpAddr::V6(src),
        dst: IpAddr::V6(MCAST_V6),
        v3_checksum_as_v2: false,
        ttl: 255,
    })
    .unwrap();
    assert_eq!(e.encode(130), &bytes[..]);
    // The shutdown advert keepalived sent: priority 0, checksum 955d.
    assert_eq!(
        e.encode(0),
        &hex("310f00010064955d20010db8000000000000000000000015")[..]
    );
}

#[test]
fn encoder_caches_and_switches_destination() {
    let mut e = enc(
        Version::V3,
        13,
        100,
        vec![v4(14), v4(15)],
        Auth::None,
        false,
    );
    let first = e.encode(120).to_vec();
    let second = e.encode(120).to_vec();
    // Only the IP id (and so the header checksum) differs.
    assert_eq!(first[..4], second[..4]);
    assert_eq!(&second[4..6], &[0, 2]);
    assert_eq!(first[12..], second[12..]);
    // Unicast peer: the v3 pseudo-header changes, so does the checksum.
    let peer = v4(2);
    let uni = e.encode_for(120, peer).unwrap().to_vec();
    let p = decode_ipv4(&uni).unwrap();
    assert_eq!(IpAddr::V4(p.dst), peer);
    assert!(p.checksum_ok(false));
    assert_ne!(uni[26..28], first[26..28]);
    assert!(e.set_destination(v6("2001:db8::1")).is_err());
}

#[test]
fn ah_unicast_zeroes_ttl_in_icv() {
    let mut e = AdvertEncoder::new(EncoderConfig {
        version: Version::V2,
        vrid: 12,
        interval_cs: 100,
        addrs: vec![v4(13)],
        auth: Auth::Ah(b"ahkey123".to_vec()),
        src: IpAddr::V4(SRC),
        dst: v4(2),
        v3_checksum_as_v2: false,
        ttl: 64,
    })
    .unwrap();
    let mut bytes = e.encode(200).to_vec();
    assert!(decode_ipv4(&bytes).unwrap().ah_ok(b"ahkey123"));
    // A router decrements the TTL on the way: still valid for unicast.
    bytes[8] = 60;
    bytes[10..12].fill(0);
    let ck = vigil_vrrp::checksum::Sum::default()
        .bytes(&bytes[..20])
        .finish();
    bytes[10..12].copy_from_slice(&ck.to_be_bytes());
    assert!(decode_ipv4(&bytes).unwrap().ah_ok(b"ahkey123"));
}

/// Our encoder's adverts from 198.51.100.2 at priority 250 (vrids 11, 12
/// with AH sequence 1000, 13, and 15 over IPv6 from fe80::5ca0:12ff:fe9f:8da0)
/// were injected with a raw socket into keepalived 2.2.7's namespace; it
/// logged "Master received advert from 198.51.100.2 with higher priority
/// 250" for each and went BACKUP. These are those bytes.
#[test]
fn bytes_keepalived_accepted() {
    let src: IpAddr = v4(2);
    let mut c = vigil_vrrp::InstanceConfig::new("x", 12, src, vec![v4(13)]);
    c.auth = Auth::Ah(b"ahkey123".to_vec());
    let mut e = c.encoder(src, IpAddr::V4(MCAST_V4)).unwrap();
    e.set_ah_seq(999);
    assert_eq!(
        e.encode(250),
        &hex("45c0004000010000ff33b081c6336402e000001270040000c6336402000003e8074fad4611ad01941f6c8b62 \
              210cfa010201b8afc633640d0000000000000000")[..]
    );
    let mut c = vigil_vrrp::InstanceConfig::new("x", 11, src, vec![v4(11), v4(12)]);
    c.auth = Auth::Pass(b"secret".to_vec());
    assert_eq!(
        c.encoder(src, IpAddr::V4(MCAST_V4)).unwrap().encode(250),
        &hex("45c0002c00010000ff70b058c6336402e0000012210bfa0201015325c633640bc633640c7365637265740000")[..]
    );
    let mut c = vigil_vrrp::InstanceConfig::new("x", 13, src, vec![v4(14), v4(15)]);
    c.version = Version::V3;
    assert_eq!(
        c.encoder(src, IpAddr::V4(MCAST_V4)).unwrap().encode(250),
        &hex("45c0002400010000ff70b060c6336402e0000012310dfa020064753dc633640ec633640f")[..]
    );
    let s6 = v6("fe80::5ca0:12ff:fe9f:8da0");
    let c = vigil_vrrp::InstanceConfig::new("x", 15, s6, vec![v6("2001:db8::15")]);
    assert_eq!(
        c.encoder(s6, IpAddr::V6(MCAST_V6)).unwrap().encode(250),
        &hex("310ffa010064acbe20010db8000000000000000000000015")[..]
    );
}

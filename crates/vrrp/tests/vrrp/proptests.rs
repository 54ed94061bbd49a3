//! Property tests: encode → decode round trips for every variant, and
//! decode never panics.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use vigil_vrrp::{
    decode_ipv4, decode_ipv6, AdvertEncoder, Auth, AuthField, EncoderConfig, Received, Version,
    MCAST_V4, MCAST_V6,
};

#[derive(Debug, Clone)]
struct Case {
    cfg: EncoderConfig,
    priority: u8,
    packets: usize,
}

fn v4_addr() -> impl Strategy<Value = IpAddr> {
    any::<[u8; 4]>().prop_map(|o| IpAddr::V4(Ipv4Addr::from(o)))
}

fn v6_addr() -> impl Strategy<Value = IpAddr> {
    any::<[u8; 16]>().prop_map(|o| IpAddr::V6(Ipv6Addr::from(o)))
}

fn unicast_v4() -> impl Strategy<Value = IpAddr> {
    (1u8..=254).prop_map(|d| IpAddr::V4(Ipv4Addr::new(203, 0, 113, d)))
}

fn case() -> impl Strategy<Value = Case> {
    let password = proptest::collection::vec(any::<u8>(), 0..12);
    let v2 = (
        1u8..=255,
        1u16..=255,
        proptest::collection::vec(v4_addr(), 0..40),
        prop_oneof![
            Just(Auth::None),
            password.clone().prop_map(Auth::Pass),
            password.prop_map(Auth::Ah)
        ],
        prop_oneof![Just(IpAddr::V4(MCAST_V4)), unicast_v4()],
    )
        .prop_map(|(vrid, secs, addrs, auth, dst)| EncoderConfig {
            version: Version::V2,
            vrid,
            interval_cs: secs * 100,
            addrs,
            auth,
            src: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)),
            dst,
            v3_checksum_as_v2: false,
            ttl: 255,
        });
    let v3v4 = (
        1u8..=255,
        1u16..=4095,
        proptest::collection::vec(v4_addr(), 0..40),
        prop_oneof![Just(IpAddr::V4(MCAST_V4)), unicast_v4()],
        any::<bool>(),
    )
        .prop_map(|(vrid, cs, addrs, dst, as_v2)| EncoderConfig {
            version: Version::V3,
            vrid,
            interval_cs: cs,
            addrs,
            auth: Auth::None,
            src: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)),
            dst,
            v3_checksum_as_v2: as_v2,
            ttl: 255,
        });
    let v3v6 = (
        1u8..=255,
        1u16..=4095,
        proptest::collection::vec(v6_addr(), 0..20),
    )
        .prop_map(|(vrid, cs, addrs)| EncoderConfig {
            version: Version::V3,
            vrid,
            interval_cs: cs,
            addrs,
            auth: Auth::None,
            src: IpAddr::V6("fe80::1".parse().unwrap()),
            dst: IpAddr::V6(MCAST_V6),
            v3_checksum_as_v2: false,
            ttl: 255,
        });
    (prop_oneof![v2, v3v4, v3v6], any::<u8>(), 1usize..4).prop_map(|(cfg, priority, packets)| {
        Case {
            cfg,
            priority,
            packets,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip(c in case()) {
        let mut e = AdvertEncoder::new(c.cfg.clone()).unwrap();
        let mut bytes = Vec::new();
        for _ in 0..c.packets {
            bytes = e.encode(c.priority).to_vec();
        }
        let rx = match c.cfg.src {
            IpAddr::V4(_) => Received::V4(decode_ipv4(&bytes).unwrap()),
            IpAddr::V6(s) => {
                let IpAddr::V6(d) = c.cfg.dst else { unreachable!() };
                Received::V6(decode_ipv6(&bytes, s, d, 255).unwrap())
            }
        };
        let a = rx.advert();
        prop_assert_eq!(a.version, c.cfg.version);
        prop_assert_eq!(a.vrid, c.cfg.vrid);
        prop_assert_eq!(a.priority, c.priority);
        prop_assert_eq!(a.interval_cs, c.cfg.interval_cs);
        prop_assert_eq!(&a.addrs, &c.cfg.addrs);
        prop_assert_eq!(rx.src(), c.cfg.src);
        prop_assert_eq!(rx.dst(), c.cfg.dst);
        prop_assert!(rx.checksum_ok(c.cfg.v3_checksum_as_v2));
        match (&c.cfg.auth, a.auth, &rx) {
            (Auth::None, AuthField::None, _) => {}
            (Auth::Pass(p), AuthField::Pass(d), _) => prop_assert_eq!(vigil_vrrp::auth::pad_password(p), d),
            (Auth::Ah(k), AuthField::Ah, Received::V4(p)) => {
                prop_assert!(p.ah_ok(&vigil_vrrp::auth::pad_password(k)));
                prop_assert_eq!(p.ah.unwrap().seq, c.packets as u32);
            }
            other => prop_assert!(false, "auth mismatch {:?}", other),
        }
        if let Received::V4(p) = &rx {
            prop_assert_eq!(p.packet[4..6].to_vec(), (c.packets as u16).to_be_bytes().to_vec());
        }
    }

    #[test]
    fn decode_ipv4_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_ipv4(&bytes);
    }

    #[test]
    fn decode_ipv6_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), hl in any::<u8>()) {
        let _ = decode_ipv6(&bytes, Ipv6Addr::LOCALHOST, MCAST_V6, hl);
    }

    /// Valid packets with random bytes overwritten: decode either fails
    /// cleanly or yields adverts whose verification runs without panicking.
    #[test]
    fn mutated_packets_never_panic(c in case(), edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6)) {
        let mut e = AdvertEncoder::new(c.cfg.clone()).unwrap();
        let mut bytes = e.encode(c.priority).to_vec();
        for (at, v) in edits {
            let n = bytes.len();
            bytes[at % n] = v;
        }
        if let Ok(p) = decode_ipv4(&bytes) {
            let _ = p.checksum_ok(false);
            let _ = p.ah_ok(b"password");
        }
        let _ = decode_ipv6(&bytes, Ipv6Addr::LOCALHOST, MCAST_V6, 255);
    }
}

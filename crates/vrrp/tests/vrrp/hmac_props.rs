//! `auth_hmac` properties: signed adverts of every version and family
//! round-trip through decoder and instance; any change to the signed
//! bytes is refused; random input never panics; sequences are accepted
//! exactly when they grow.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use vigil_vrrp::auth_hmac::replay::{clock_seq, RxContext};
use vigil_vrrp::auth_hmac::{self, pseudo_header, Trailer, TRAILER_LEN};
use vigil_vrrp::{
    decode_ipv4, decode_ipv6, AntiReplay, Auth, HmacConfig, HmacError, HmacKey, HmacMode,
    HmacReceiver, Instance, InstanceConfig, Version, MCAST_V4, MCAST_V6,
};

#[derive(Debug, Clone)]
struct Case {
    version: Version,
    v6: bool,
    vrid: u8,
    priority: u8,
    vips: usize,
    key_id: u8,
    key: Vec<u8>,
    unix: Duration,
    multicast: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![
            Just((Version::V2, false)),
            Just((Version::V3, false)),
            Just((Version::V3, true))
        ],
        1u8..=255,
        1u8..=255,
        0usize..20,
        1u8..=255,
        proptest::collection::vec(any::<u8>(), 32..=64),
        (1_000_000_000u64..2_000_000_000, 0u32..1_000_000_000),
        any::<bool>(),
    )
        .prop_map(
            |((version, v6), vrid, priority, vips, key_id, key, (s, n), multicast)| Case {
                version,
                v6,
                vrid,
                priority,
                vips,
                key_id,
                key,
                unix: Duration::new(s, n),
                multicast,
            },
        )
}

fn addr(v6: bool, n: u16) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 1, n))
    } else {
        IpAddr::V4(Ipv4Addr::new(203, 0, 113, n as u8))
    }
}

impl Case {
    fn cfg(&self, src: IpAddr) -> InstanceConfig {
        let vips = (0..self.vips)
            .map(|i| addr(self.v6, 100 + i as u16))
            .collect();
        let mut c = InstanceConfig::new("p", self.vrid, src, vips);
        c.version = self.version;
        c.auth = Auth::Hmac(HmacConfig::new(
            vec![HmacKey {
                id: self.key_id,
                key: self.key.clone(),
            }],
            self.key_id,
        ));
        c
    }

    fn src(&self) -> IpAddr {
        addr(self.v6, 1)
    }

    fn dst(&self) -> IpAddr {
        match (self.v6, self.multicast) {
            (false, true) => IpAddr::V4(MCAST_V4),
            (true, true) => IpAddr::V6(MCAST_V6),
            (v6, false) => addr(v6, 2),
        }
    }

    /// The signed packet (IPv4 whole packet, IPv6 payload).
    fn packet(&self) -> Vec<u8> {
        let mut enc = self
            .cfg(self.src())
            .encoder(self.src(), self.dst())
            .unwrap();
        enc.encode_at(self.priority, self.unix).to_vec()
    }

    /// A started receiving instance whose clock agrees with the sender's.
    fn receiver(&self, now: Instant) -> Instance {
        let mut i = Instance::new(self.cfg(addr(self.v6, 2))).unwrap();
        i.set_wall_clock(now, self.unix);
        i.start(now);
        while i.poll_action().is_some() {}
        i
    }

    fn feed(&self, i: &mut Instance, now: Instant, bytes: &[u8]) {
        match (self.src(), self.dst()) {
            (IpAddr::V6(s), IpAddr::V6(d)) => i.handle_ipv6(now, bytes, s, d, 255),
            _ => i.handle_ipv4(now, bytes),
        }
    }
}

proptest! {
    #[test]
    fn signed_adverts_round_trip(c in case()) {
        let bytes = c.packet();
        let trailer = match (c.src(), c.dst()) {
            (IpAddr::V6(s), IpAddr::V6(d)) => {
                let p = decode_ipv6(&bytes, s, d, 255).unwrap();
                prop_assert!(p.checksum_ok());
                prop_assert_eq!(p.message().len() + TRAILER_LEN, bytes.len());
                p.trailer.unwrap()
            }
            _ => {
                let p = decode_ipv4(&bytes).unwrap();
                prop_assert!(p.checksum_ok(false));
                prop_assert_eq!(p.vrrp.end + TRAILER_LEN, bytes.len());
                p.trailer.unwrap()
            }
        };
        prop_assert_eq!(trailer.key_id, c.key_id);
        prop_assert_eq!(trailer.seq, clock_seq(c.unix));
        let now = Instant::now();
        let mut i = c.receiver(now);
        c.feed(&mut i, now, &bytes);
        prop_assert_eq!(i.stats().dropped(), 0, "{:?}", i.stats());
        prop_assert_eq!(i.stats().advert_rcvd, 1);
        c.feed(&mut i, now, &bytes);
        prop_assert_eq!(i.stats().hmac_replay, 1);
    }

    #[test]
    fn any_change_to_signed_bytes_is_refused(
        c in case(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut bytes = c.packet();
        // The VRRP message and trailer: skip the IPv4 header, whose
        // fields the HMAC does not cover (the decoder checks them).
        let start = if c.v6 { 0 } else { 20 };
        let off = start + at.index(bytes.len() - start);
        bytes[off] ^= flip;
        let now = Instant::now();
        let mut i = c.receiver(now);
        c.feed(&mut i, now, &bytes);
        prop_assert_eq!(i.stats().advert_rcvd, 0, "flip at {} accepted", off);
        prop_assert_eq!(i.stats().dropped(), 1, "{:?}", i.stats());
    }

    #[test]
    fn hmac_instances_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..160),
        mode in prop_oneof![
            Just(HmacMode::Enforce),
            Just(HmacMode::Permissive),
            Just(HmacMode::ReceiveOnly)
        ],
    ) {
        let now = Instant::now();
        for v6 in [false, true] {
            let mut c = InstanceConfig::new("f", 1, addr(v6, 1), vec![]);
            c.version = Version::V3;
            let mut h = HmacConfig::new(vec![HmacKey { id: 1, key: vec![1; 32] }], 1);
            h.mode = mode;
            c.auth = Auth::Hmac(h);
            let mut i = Instance::new(c).unwrap();
            i.set_wall_clock(now, Duration::from_secs(1_700_000_000));
            i.start(now);
            if v6 {
                i.handle_ipv6(now, &bytes, "fe80::1".parse().unwrap(), MCAST_V6, 255);
            } else {
                i.handle_ipv4(now, &bytes);
            }
            let st = i.stats();
            prop_assert_eq!(st.dropped() + st.advert_rcvd, 1);
            if let Some(t) = bytes.get(bytes.len().saturating_sub(TRAILER_LEN)..) {
                let _ = Trailer::parse(t);
            }
        }
    }

    #[test]
    fn sequences_are_accepted_exactly_when_they_grow(
        seqs in proptest::collection::vec(0u64..64, 1..40),
    ) {
        let key = HmacKey { id: 5, key: vec![5; 40] };
        let mut cfg = HmacConfig::new(vec![key.clone()], 5);
        cfg.anti_replay = AntiReplay::Monotonic;
        let src: IpAddr = "198.51.100.7".parse().unwrap();
        let msg = [0x31, 9, 100, 0, 0, 100, 0, 0];
        let pseudo = pseudo_header(Version::V3, src, 9);
        let mut rx = HmacReceiver::default();
        let mut high: Option<u64> = None;
        for s in seqs {
            let t = Trailer::parse(&auth_hmac::sign(&key, &pseudo, &msg, s)).unwrap();
            let got = rx.verify(&cfg, None, RxContext {
                version: Version::V3,
                vrid: 9,
                src,
                multicast: false,
                msg: &msg,
                trailer: Some(&t),
                unix: None,
            });
            match high {
                Some(h) if s <= h => prop_assert_eq!(got, Err(HmacError::Replay { seq: s, last: h })),
                _ => {
                    prop_assert_eq!(got, Ok(()));
                    high = Some(s);
                }
            }
        }
    }
}

//! `auth_hmac` byte vectors, both ways, and the codec-level checks.
//!
//! Where the vectors come from:
//! - `APPENDIX_V4` / `APPENDIX_V6` are the wire images keepalived's own
//!   regression test pins (its "draft appendix" vectors: key 00..1f id 1,
//!   VRID 51, priority 200, sequence 0x6800000080000000; IPv4 source
//!   198.51.100.10 with a message-only checksum; IPv6 source fe80::10 with
//!   the kernel checksum for destination fe80::20 covering the trailer).
//! - `OWN_V2_V4` and `OWN_V3_V6` were derived by hand for this crate with
//!   Python's `hmac`/`hashlib` from the layout in `src/auth_hmac.rs`
//!   (pseudo-header ‖ message with checksum zeroed ‖ trailer prefix ‖ 16
//!   zero bytes, HMAC-SHA256 cut to 16 bytes), then the RFC 1071 checksums;
//!   the same script reproduces the two appendix ICVs, which cross-checks it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use vigil_vrrp::auth_hmac::replay::{clock_seq, RxContext, Sequencer};
use vigil_vrrp::auth_hmac::{self, parse_key_material, pseudo_header, Trailer, TRAILER_LEN};
use vigil_vrrp::checksum::Sum;
use vigil_vrrp::{
    decode_ipv4, decode_ipv6, AdvertEncoder, AntiReplay, Auth, ConfigError, DecodeError,
    EncodeError, EncoderConfig, HmacConfig, HmacConfigError, HmacError, HmacKey, HmacReceiver,
    Instance, InstanceConfig, Version, MCAST_V4,
};

use super::common::hex;

const APPENDIX_V4: &str = "3133c80100644402c0000264 010100006800000080000000 \
                           1b84bc4e8e43892dc6d98448f8ee2265";
const APPENDIX_V6: &str = "3133c8010064a2e9 fe800000000000000000000000000100 \
                           010100006800000080000000 c8c56146ebfd66ee10ec4d8186461b78";
/// VRRPv2 over IPv4, whole packet: VRID 10, priority 100, VIP
/// 198.51.100.100, source 198.51.100.5 to 224.0.0.18, IP id 1, key id 2 =
/// ASCII "vigil-hmac-test-key-0123456789ab", wall clock 1700000000.25 s.
const OWN_V2_V4: &str = "45c0004400010000ff70b03dc6336405e0000012 \
                         210a64010001505bc63364640000000000000000 \
                         010200006553f10040000000dc7d4223fd2909df615f13396b976df4";
/// VRRPv3 over IPv6: VRID 20, priority 150, 1 s, VIPs 2001:db8::100 and
/// ::101, source fe80::5 to ff02::12, key id 7 = bytes a0..df (64 bytes),
/// wall clock 1700000123.0 s.
const OWN_V3_V6: &str = "31149602006462f2 20010db8000000000000000000000100 \
                         20010db8000000000000000000000101 \
                         010700006553f17b00000000f8b10f4e0e94cae78f1718eec980cef7";

fn key(id: u8, key: &[u8]) -> HmacKey {
    HmacKey {
        id,
        key: key.to_vec(),
    }
}

fn appendix_key() -> HmacKey {
    key(1, &(0u8..32).collect::<Vec<_>>())
}

fn own_v2_key() -> HmacKey {
    key(2, b"vigil-hmac-test-key-0123456789ab")
}

fn own_v6_key() -> HmacKey {
    key(7, &(0xa0u8..0xe0).collect::<Vec<_>>())
}

fn monotonic(k: HmacKey) -> HmacConfig {
    let mut h = HmacConfig::new(vec![k.clone()], k.id);
    h.anti_replay = AntiReplay::Monotonic;
    h
}

fn ip6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A whole IPv4 packet around `vrrp` (TTL 255, id 1, protocol 112).
fn ipv4_packet(src: Ipv4Addr, dst: Ipv4Addr, vrrp: &[u8]) -> Vec<u8> {
    let mut b = hex("45c0 0000 0001 0000 ff70 0000");
    b[2..4].copy_from_slice(&((20 + vrrp.len()) as u16).to_be_bytes());
    b.extend_from_slice(&src.octets());
    b.extend_from_slice(&dst.octets());
    let ck = Sum::default().bytes(&b).finish();
    b[10..12].copy_from_slice(&ck.to_be_bytes());
    b.extend_from_slice(vrrp);
    b
}

fn started(cfg: InstanceConfig, now: Instant) -> Instance {
    let mut i = Instance::new(cfg).unwrap();
    i.start(now);
    while i.poll_action().is_some() {}
    i
}

#[test]
fn appendix_ipv6_decodes_and_verifies() {
    let bytes = hex(APPENDIX_V6);
    let p = decode_ipv6(&bytes, ip6("fe80::10"), ip6("fe80::20"), 255).unwrap();
    let t = p.trailer.unwrap();
    assert_eq!((t.ext_type, t.key_id, t.reserved), (1, 1, 0));
    assert_eq!(t.seq, 0x6800_0000_8000_0000);
    assert_eq!(p.message().len(), 24);
    assert_eq!(p.advert.priority, 200);
    // The IPv6 checksum covers the trailer.
    assert!(p.checksum_ok());

    let mut cfg = InstanceConfig::new("v6", 51, ip("fe80::1"), vec![ip("fe80::100")]);
    cfg.auth = Auth::Hmac(monotonic(appendix_key()));
    let t0 = Instant::now();
    let mut i = started(cfg, t0);
    i.handle_ipv6(t0, &bytes, ip6("fe80::10"), ip6("fe80::20"), 255);
    assert_eq!(i.stats().dropped(), 0, "{:?}", i.stats());
    assert_eq!(i.stats().advert_rcvd, 1);
    assert_eq!(i.master_addr(), Some(ip("fe80::10")));
}

#[test]
fn appendix_ipv4_decodes_and_verifies() {
    let src = Ipv4Addr::new(198, 51, 100, 10);
    let pkt = ipv4_packet(src, MCAST_V4, &hex(APPENDIX_V4));
    let p = decode_ipv4(&pkt).unwrap();
    assert_eq!(p.vrrp, 20..32, "the message range leaves the trailer out");
    assert_eq!(p.trailer.unwrap().seq, 0x6800_0000_8000_0000);
    // The vector's checksum is the message-only (RFC 9568 reading) one.
    assert!(p.checksum_ok(true));

    let mut cfg = InstanceConfig::new("v4", 51, ip("198.51.100.1"), vec![ip("192.0.2.100")]);
    cfg.version = Version::V3;
    cfg.v3_checksum_as_v2 = true;
    cfg.auth = Auth::Hmac(monotonic(appendix_key()));
    let t0 = Instant::now();
    let mut i = started(cfg, t0);
    i.handle_ipv4(t0, &pkt);
    assert_eq!(i.stats().dropped(), 0, "{:?}", i.stats());
    assert_eq!(i.stats().advert_rcvd, 1);
}

fn appendix_encoder(src: &str, dst: &str, vip: &str, as_v2: bool) -> AdvertEncoder {
    AdvertEncoder::new(EncoderConfig {
        version: Version::V3,
        vrid: 51,
        interval_cs: 100,
        addrs: vec![ip(vip)],
        auth: Auth::Hmac(monotonic(appendix_key())),
        src: ip(src),
        dst: ip(dst),
        v3_checksum_as_v2: as_v2,
        ttl: 255,
    })
    .unwrap()
}

/// 0x68000000 s and 0x8000/65536 s: the appendix sequence.
fn appendix_time() -> Duration {
    Duration::new(0x6800_0000, 500_000_000)
}

#[test]
fn encoder_reproduces_appendix_vectors() {
    let mut e6 = appendix_encoder("fe80::10", "fe80::20", "fe80::100", false);
    assert_eq!(
        e6.encode_at(200, appendix_time()),
        hex(APPENDIX_V6).as_slice()
    );
    assert_eq!(e6.hmac_seq(), Some(0x6800_0000_8000_0000));

    let mut e4 = appendix_encoder("198.51.100.10", "224.0.0.18", "192.0.2.100", true);
    let pkt = e4.encode_at(200, appendix_time()).to_vec();
    assert_eq!(&pkt[20..], hex(APPENDIX_V4).as_slice());
    assert_eq!(u16::from_be_bytes([pkt[2], pkt[3]]), 20 + 40);
}

#[test]
fn own_v2_ipv4_vector_both_ways() {
    let mut enc = AdvertEncoder::new(EncoderConfig {
        version: Version::V2,
        vrid: 10,
        interval_cs: 100,
        addrs: vec![ip("198.51.100.100")],
        auth: Auth::Hmac(HmacConfig::new(vec![own_v2_key()], 2)),
        src: ip("198.51.100.5"),
        dst: IpAddr::V4(MCAST_V4),
        v3_checksum_as_v2: false,
        ttl: 255,
    })
    .unwrap();
    let wall = Duration::new(1_700_000_000, 250_000_000);
    assert_eq!(enc.encode_at(100, wall), hex(OWN_V2_V4).as_slice());

    let mut cfg = InstanceConfig::new("v2", 10, ip("198.51.100.1"), vec![ip("198.51.100.100")]);
    cfg.auth = Auth::Hmac(HmacConfig::new(vec![own_v2_key()], 2));
    let t0 = Instant::now();
    let mut i = started(cfg, t0);
    // Our clock 3 s later than the sender's: inside the 5 s window.
    i.set_wall_clock(t0, wall + Duration::from_secs(3));
    let bytes = hex(OWN_V2_V4);
    i.handle_ipv4(t0, &bytes);
    assert_eq!(i.stats().advert_rcvd, 1, "{:?}", i.stats());
    // The same bytes again: a replay.
    i.handle_ipv4(t0, &bytes);
    assert_eq!(i.stats().hmac_replay, 1);
    assert_eq!(i.stats().advert_rcvd, 1);
}

#[test]
fn own_v3_ipv6_vector_both_ways() {
    let h = HmacConfig::new(vec![own_v6_key()], 7);
    let mut enc = AdvertEncoder::new(EncoderConfig {
        version: Version::V3,
        vrid: 20,
        interval_cs: 100,
        addrs: vec![ip("2001:db8::100"), ip("2001:db8::101")],
        auth: Auth::Hmac(h.clone()),
        src: ip("fe80::5"),
        dst: ip("ff02::12"),
        v3_checksum_as_v2: false,
        ttl: 255,
    })
    .unwrap();
    let wall = Duration::from_secs(1_700_000_123);
    assert_eq!(enc.encode_at(150, wall), hex(OWN_V3_V6).as_slice());

    let vips = vec![ip("2001:db8::100"), ip("2001:db8::101")];
    let mut cfg = InstanceConfig::new("v6", 20, ip("fe80::9"), vips);
    cfg.auth = Auth::Hmac(h);
    let t0 = Instant::now();
    let mut i = started(cfg, t0);
    i.set_wall_clock(t0, wall);
    i.handle_ipv6(t0, &hex(OWN_V3_V6), ip6("fe80::5"), ip6("ff02::12"), 255);
    assert_eq!(i.stats().advert_rcvd, 1, "{:?}", i.stats());
    assert_eq!(i.hmac_receiver().multicast_senders().len(), 1);
}

/// Verifies the IPv6 appendix image (possibly mutated) with a fresh receiver.
fn verify_v6(bytes: &[u8], src: &str, vrid: u8, version: Version) -> Result<(), HmacError> {
    let (msg, tr) = bytes.split_at(bytes.len() - TRAILER_LEN);
    let t = Trailer::parse(tr).unwrap();
    HmacReceiver::default().verify(
        &monotonic(appendix_key()),
        None,
        RxContext {
            version,
            vrid,
            src: ip(src),
            multicast: false,
            msg,
            trailer: Some(&t),
            unix: None,
        },
    )
}

#[test]
fn mutations_of_the_appendix_vector() {
    let img = hex(APPENDIX_V6);
    assert_eq!(verify_v6(&img, "fe80::10", 51, Version::V3), Ok(()));
    let t = 24; // trailer offset
    let cases = [
        ("priority", 2, Err(HmacError::BadIcv(1))),
        ("advert interval", 5, Err(HmacError::BadIcv(1))),
        // The checksum is read as zero: the kernel writes it after signing.
        ("checksum", 6, Ok(())),
        ("vip", 8 + 15, Err(HmacError::BadIcv(1))),
        (
            "ext type",
            t,
            Err(HmacError::Malformed {
                ext_type: 0,
                reserved: 0,
            }),
        ),
        ("key id", t + 1, Err(HmacError::UnknownKey(0))),
        (
            "reserved",
            t + 3,
            Err(HmacError::Malformed {
                ext_type: 1,
                reserved: 1,
            }),
        ),
        ("seconds", t + 4, Err(HmacError::BadIcv(1))),
        ("counter", t + 11, Err(HmacError::BadIcv(1))),
        ("icv", t + 12, Err(HmacError::BadIcv(1))),
    ];
    for (what, off, want) in cases {
        let mut b = img.clone();
        b[off] ^= 0x01;
        assert_eq!(verify_v6(&b, "fe80::10", 51, Version::V3), want, "{what}");
    }
    // The pseudo-header binds source, VRID and version.
    let bad = Err(HmacError::BadIcv(1));
    assert_eq!(verify_v6(&img, "fe80::20", 51, Version::V3), bad);
    assert_eq!(verify_v6(&img, "fe80::10", 52, Version::V3), bad);
    assert_eq!(verify_v6(&img, "fe80::10", 51, Version::V2), bad);
}

#[test]
fn pseudo_header_layout() {
    let p4 = pseudo_header(Version::V2, ip("198.51.100.5"), 10);
    assert_eq!(
        p4.to_vec(),
        hex("04020a00 c6336405 00000000000000000000000000000000")[..20]
    );
    let p6 = pseudo_header(Version::V3, ip("2001:db8::1"), 255);
    assert_eq!(
        p6.to_vec(),
        hex("0603ff00 20010db8000000000000000000000001")
    );
}

fn window_verify(trailer_secs: u32, now: Option<u64>) -> Result<(), HmacError> {
    let img = hex(APPENDIX_V6);
    let (msg, tr) = img.split_at(24);
    let mut t = Trailer::parse(tr).unwrap();
    t.seq = (u64::from(trailer_secs) << 32) | (t.seq & 0xffff_ffff);
    HmacReceiver::default().verify(
        &appendix_cfg_time(),
        Some(5),
        RxContext {
            version: Version::V3,
            vrid: 51,
            src: ip("fe80::10"),
            multicast: true,
            msg,
            trailer: Some(&t),
            unix: now.map(Duration::from_secs),
        },
    )
}

fn appendix_cfg_time() -> HmacConfig {
    HmacConfig::new(vec![appendix_key()], 1)
}

#[test]
fn time_window_is_checked_before_the_icv() {
    let sent = 0x6800_0000u32;
    let now = u64::from(sent);
    assert_eq!(window_verify(sent, Some(now)), Ok(()));
    // 5 s either way is inside, so the ICV is reached (the seconds were
    // changed, so it fails there rather than on staleness).
    assert_eq!(window_verify(sent, Some(now + 5)), Ok(()));
    assert_eq!(
        window_verify(sent, Some(now + 6)),
        Err(HmacError::Stale {
            skew: Some(6),
            window: 5
        })
    );
    assert_eq!(
        window_verify(sent + 100, Some(now)),
        Err(HmacError::Stale {
            skew: Some(-100),
            window: 5
        })
    );
    assert_eq!(
        window_verify(sent - 4, Some(now)),
        Err(HmacError::BadIcv(1))
    );
    assert_eq!(
        window_verify(sent, None),
        Err(HmacError::Stale {
            skew: None,
            window: 5
        })
    );
}

#[test]
fn sequencer_follows_the_clock_and_never_repeats() {
    let t = Duration::new(1_700_000_000, 500_000_000);
    assert_eq!(clock_seq(t), (1_700_000_000u64 << 32) | (0x8000 << 16));
    let mut s = Sequencer::default();
    let a = s.next(t, Some(5));
    assert_eq!(a, clock_seq(t));
    // Same clock reading: the counter grows.
    assert_eq!(s.next(t, Some(5)), a + 1);
    assert_eq!(s.next(t, Some(5)), a + 2);
    // Clock moves on: the sequence jumps to it.
    let later = t + Duration::from_millis(20);
    assert_eq!(s.next(later, Some(5)), clock_seq(later));
    // Clock steps back 3 s (inside the window): strict growth continues.
    let back = later - Duration::from_secs(3);
    assert_eq!(s.next(back, Some(5)), clock_seq(later) + 1);
    // Stranded an hour ahead: time mode restarts from the clock...
    s.set_last(Some(clock_seq(t + Duration::from_secs(3600))));
    assert_eq!(s.next(t, Some(5)), clock_seq(t));
    // ...monotonic mode keeps growing.
    let ahead = clock_seq(t + Duration::from_secs(3600));
    s.set_last(Some(ahead));
    assert_eq!(s.next(t, None), ahead + 1);
}

/// Verifies a freshly signed appendix-style message from fe80::10.
fn signed_rx(
    rx: &mut HmacReceiver,
    cfg: &HmacConfig,
    window: Option<u32>,
    seq: u64,
    now: Option<Duration>,
) -> Result<(), HmacError> {
    let msg = &hex(APPENDIX_V6)[..24];
    let pseudo = pseudo_header(Version::V3, ip("fe80::10"), 51);
    let tr = Trailer::parse(&auth_hmac::sign(&appendix_key(), &pseudo, msg, seq)).unwrap();
    rx.verify(
        cfg,
        window,
        RxContext {
            version: Version::V3,
            vrid: 51,
            src: ip("fe80::10"),
            multicast: true,
            msg,
            trailer: Some(&tr),
            unix: now,
        },
    )
}

#[test]
fn replay_marks_expire_outside_the_window() {
    let s = 1_700_000_000u64;
    let at = |secs: u64| Some(Duration::from_secs(secs));
    let seq = |secs: u64, ctr: u64| (secs << 32) | ctr;
    let cfg = appendix_cfg_time();
    let mut rx = HmacReceiver::default();
    assert_eq!(signed_rx(&mut rx, &cfg, Some(5), seq(s, 0), at(s)), Ok(()));
    let replay = Err(HmacError::Replay {
        seq: seq(s, 0),
        last: seq(s, 0),
    });
    assert_eq!(signed_rx(&mut rx, &cfg, Some(5), seq(s, 0), at(s)), replay);
    // Both clocks are stepped back a minute and the sender restarts from
    // its clock: the old mark lies outside the window and is forgotten.
    assert_eq!(
        signed_rx(&mut rx, &cfg, Some(5), seq(s - 60, 0), at(s - 60)),
        Ok(())
    );
    assert_eq!(
        rx.multicast_senders().get(ip("fe80::10")),
        Some(seq(s - 60, 0))
    );
    // Inside the window a lower sequence is still a replay.
    assert!(matches!(
        signed_rx(&mut rx, &cfg, Some(5), seq(s - 61, 9), at(s - 60)),
        Err(HmacError::Replay { .. })
    ));
    // Monotonic mode keeps its mark whatever the clock says.
    let mut m = HmacReceiver::default();
    assert_eq!(signed_rx(&mut m, &cfg, None, seq(s, 0), None), Ok(()));
    assert!(matches!(
        signed_rx(&mut m, &cfg, None, seq(s - 60, 0), None),
        Err(HmacError::Replay { .. })
    ));
    // A bad ICV never creates a mark.
    let mut b = HmacReceiver::default();
    let other = HmacConfig::new(vec![key(1, &[9u8; 32])], 1);
    assert_eq!(
        signed_rx(&mut b, &other, None, seq(s, 0), None),
        Err(HmacError::BadIcv(1))
    );
    assert!(b.multicast_senders().is_empty());
}

#[test]
fn sender_table_evicts_least_recently_used() {
    // Four multicast senders fill the table; a fifth evicts the oldest.
    let key = appendix_key();
    let cfg = monotonic(key.clone());
    let mut rx = HmacReceiver::default();
    let msg = &hex(APPENDIX_V6)[..24];
    let send = |rx: &mut HmacReceiver, src: &str, seq: u64| {
        let pseudo = pseudo_header(Version::V3, ip(src), 51);
        let tr = Trailer::parse(&auth_hmac::sign(&key, &pseudo, msg, seq)).unwrap();
        rx.verify(
            &cfg,
            None,
            RxContext {
                version: Version::V3,
                vrid: 51,
                src: ip(src),
                multicast: true,
                msg,
                trailer: Some(&tr),
                unix: None,
            },
        )
    };
    for (n, src) in ["fe80::1", "fe80::2", "fe80::3", "fe80::4"]
        .iter()
        .enumerate()
    {
        assert_eq!(send(&mut rx, src, 100 + n as u64), Ok(()));
    }
    assert_eq!(send(&mut rx, "fe80::1", 200), Ok(()), "refreshes ::1");
    assert_eq!(send(&mut rx, "fe80::5", 300), Ok(()), "evicts ::2");
    assert_eq!(rx.multicast_senders().len(), 4);
    assert_eq!(rx.multicast_senders().get(ip("fe80::2")), None);
    assert_eq!(rx.multicast_senders().get(ip("fe80::1")), Some(200));
    assert!(matches!(
        send(&mut rx, "fe80::1", 150),
        Err(HmacError::Replay { .. })
    ));
}

#[test]
fn decoder_only_takes_a_trailer_where_it_may_be() {
    // VRRPv2 with a password never carries a trailer.
    let mut v2 = hex(OWN_V2_V4);
    v2[24] = 1; // auth type 1
    let mut fixed = v2[..20].to_vec();
    fixed[10..12].fill(0);
    let ck = Sum::default().bytes(&fixed).finish();
    v2[10..12].copy_from_slice(&ck.to_be_bytes());
    assert_eq!(
        decode_ipv4(&v2).unwrap_err(),
        DecodeError::Length {
            len: 48,
            count: 1,
            expected: 20
        }
    );
    // One byte short of a trailer is a length error.
    let v6 = hex(APPENDIX_V6);
    let cut = &v6[..v6.len() - 1];
    assert!(matches!(
        decode_ipv6(cut, ip6("fe80::10"), ip6("fe80::20"), 255),
        Err(DecodeError::Length { .. })
    ));
}

#[test]
fn config_validation() {
    let k = |id: u8, len: usize| key(id, &vec![7u8; len]);
    let check = |keys: Vec<HmacKey>, active: u8, window: Option<u32>| {
        let mut h = HmacConfig::new(keys, active);
        h.time_window = window;
        h.validate()
    };
    assert_eq!(check(vec![k(1, 32)], 1, None), Ok(()));
    assert_eq!(check(vec![k(1, 64), k(2, 40)], 2, Some(300)), Ok(()));
    assert_eq!(check(vec![], 1, None), Err(HmacConfigError::NoKeys));
    assert_eq!(
        check(vec![k(0, 32)], 0, None),
        Err(HmacConfigError::KeyIdZero)
    );
    assert_eq!(
        check(vec![k(1, 31)], 1, None),
        Err(HmacConfigError::KeyLength { id: 1, len: 31 })
    );
    assert_eq!(
        check(vec![k(1, 65)], 1, None),
        Err(HmacConfigError::KeyLength { id: 1, len: 65 })
    );
    assert_eq!(
        check(vec![k(1, 32), k(1, 33)], 1, None),
        Err(HmacConfigError::DuplicateKey(1))
    );
    assert_eq!(
        check(vec![k(1, 32)], 2, None),
        Err(HmacConfigError::ActiveKeyMissing(2))
    );
    assert_eq!(
        check(vec![k(1, 32)], 1, Some(0)),
        Err(HmacConfigError::TimeWindow(0))
    );
    assert_eq!(
        check(vec![k(1, 32)], 1, Some(301)),
        Err(HmacConfigError::TimeWindow(301))
    );

    // Through the instance and the encoder.
    let mut cfg = InstanceConfig::new("bad", 1, ip("198.51.100.1"), vec![]);
    cfg.auth = Auth::Hmac(HmacConfig::new(vec![k(1, 32)], 9));
    assert_eq!(
        Instance::new(cfg.clone()).unwrap_err(),
        ConfigError::Hmac("bad".into(), HmacConfigError::ActiveKeyMissing(9))
    );
    assert_eq!(
        cfg.encoder(ip("198.51.100.1"), IpAddr::V4(MCAST_V4))
            .unwrap_err(),
        EncodeError::Hmac(HmacConfigError::ActiveKeyMissing(9))
    );
}

#[test]
fn derived_time_window() {
    let h = HmacConfig::new(vec![appendix_key()], 1);
    assert_eq!(h.window_secs(Duration::from_secs(1)), 5);
    assert_eq!(h.window_secs(Duration::from_millis(920)), 5);
    assert_eq!(h.window_secs(Duration::from_secs(2)), 6);
    assert_eq!(h.window_secs(Duration::from_millis(2500)), 8);
    assert_eq!(h.window_secs(Duration::from_secs(255)), 300);
    let mut m = h.clone();
    m.anti_replay = AntiReplay::Monotonic;
    assert_eq!(m.time_window_for(Duration::from_secs(1)), None);
    let mut e = h;
    e.time_window = Some(2);
    assert_eq!(e.time_window_for(Duration::from_secs(10)), Some(2));
}

#[test]
fn key_values() {
    assert_eq!(
        parse_key_material("hex:00ff10Ab").unwrap(),
        vec![0x00, 0xff, 0x10, 0xab]
    );
    assert_eq!(parse_key_material("secret").unwrap(), b"secret".to_vec());
    assert_eq!(parse_key_material("hex:0"), Err(HmacConfigError::Hex(5)));
    assert_eq!(parse_key_material("hex:0g"), Err(HmacConfigError::Hex(5)));
    assert_eq!(
        parse_key_material("file:/etc/keepalived/k"),
        Err(HmacConfigError::FileValue)
    );
    // Key material never shows in debug output.
    let dbg = format!("{:?}", own_v2_key());
    assert!(!dbg.contains("vigil-hmac"), "{dbg}");
}

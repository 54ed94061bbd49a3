//! Every decode error, with its drop reason and counter.

use std::net::Ipv6Addr;

use vigil_vrrp::checksum::Sum;
use vigil_vrrp::{decode_ipv4, decode_ipv6, DecodeError, DropReason, Stats, MCAST_V6};

use super::common::hex;

/// keepalived's v2 no-auth advert (see vectors.rs).
fn base() -> Vec<u8> {
    hex("45c0002800010000ff70b05dc6336401e0000012 210a6401000150b5c633640a0000000000000000")
}

/// keepalived's v2 AH advert (see vectors.rs).
const AH: &str = "45c0004000010000ff33b082c6336401e000001270040000c633640100000001732660bf4b83277954b3e7d9210cc8010201eaafc633640d0000000000000000";

/// Re-does the IPv4 header checksum after a mutation.
fn fix_ip(mut b: Vec<u8>) -> Vec<u8> {
    let ihl = usize::from(b[0] & 0xf) * 4;
    b[10..12].fill(0);
    let ck = Sum::default().bytes(&b[..ihl]).finish();
    b[10..12].copy_from_slice(&ck.to_be_bytes());
    b
}

fn mutate(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = base();
    f(&mut b);
    fix_ip(b)
}

fn err(b: &[u8]) -> DecodeError {
    decode_ipv4(b).unwrap_err()
}

#[test]
fn ipv4_errors() {
    let cases: Vec<(Vec<u8>, DecodeError, DropReason)> = vec![
        (
            base()[..10].to_vec(),
            DecodeError::Truncated {
                at: 0,
                need: 20,
                have: 10,
            },
            DropReason::PacketLength,
        ),
        (
            mutate(|b| b[0] = 0x65),
            DecodeError::NotIpv4(6),
            DropReason::IpHeader,
        ),
        (
            mutate(|b| b[0] = 0x44),
            DecodeError::BadIhl(16),
            DropReason::IpHeader,
        ),
        (
            mutate(|b| b[3] = 0x30),
            DecodeError::BadTotalLength {
                total: 0x30,
                ihl: 20,
                have: 40,
            },
            DropReason::PacketLength,
        ),
        (
            {
                let mut b = base();
                b[10] ^= 1;
                b
            },
            DecodeError::IpChecksum,
            DropReason::IpHeader,
        ),
        (
            mutate(|b| b[6] = 0x20),
            DecodeError::Fragment(0x2000),
            DropReason::IpHeader,
        ),
        (
            mutate(|b| b[9] = 17),
            DecodeError::Protocol(17),
            DropReason::IpHeader,
        ),
        (
            mutate(|b| b[8] = 254),
            DecodeError::Ttl(254),
            DropReason::IpTtl,
        ),
        (
            mutate(|b| b[20] = 0x41),
            DecodeError::Version(4),
            DropReason::InvalidVersion,
        ),
        (
            mutate(|b| b[20] = 0x22),
            DecodeError::Type(2),
            DropReason::InvalidType,
        ),
        (
            mutate(|b| b[23] = 2),
            DecodeError::Length {
                len: 20,
                count: 2,
                expected: 24,
            },
            DropReason::PacketLength,
        ),
        (
            mutate(|b| b[25] = 0),
            DecodeError::ZeroInterval,
            DropReason::AdvertInterval,
        ),
        (
            mutate(|b| b[24] = 7),
            DecodeError::AuthType(7),
            DropReason::InvalidAuthType,
        ),
        // AH auth type in a packet without AH header.
        (
            mutate(|b| b[24] = 2),
            DecodeError::AuthType(2),
            DropReason::InvalidAuthType,
        ),
        (
            mutate(|b| b[9] = 51),
            DecodeError::Truncated {
                at: 20,
                need: 44,
                have: 40,
            },
            DropReason::PacketLength,
        ),
        (
            fix_ip({
                let mut b = hex(AH);
                b[20] = 17;
                b
            }),
            DecodeError::BadAh { next: 17, len: 4 },
            DropReason::AuthFailure,
        ),
        (
            fix_ip({
                let mut b = hex(AH);
                // VRRPv3 (3 addresses fill the 20 bytes) inside AH.
                b[44] = 0x31;
                b[47] = 3;
                b
            }),
            DecodeError::AuthType(2),
            DropReason::InvalidAuthType,
        ),
    ];
    let mut stats = Stats::default();
    for (i, (bytes, want, reason)) in cases.iter().enumerate() {
        let got = err(bytes);
        assert_eq!(&got, want, "case {i}");
        assert_eq!(got.reason(), *reason, "case {i}");
        assert!(!got.to_string().is_empty());
        stats.count(got.reason());
    }
    assert_eq!(stats.dropped(), cases.len() as u64);
    assert_eq!(stats.ip_header_err, 5);
    assert_eq!(stats.packet_len_err, 4);
    assert_eq!(stats.ip_ttl_err, 1);
    assert_eq!(stats.invalid_authtype, 3);
}

#[test]
fn unicast_ttl_is_not_checked_by_decode() {
    let b = mutate(|b| {
        b[8] = 64;
        b[16..20].copy_from_slice(&[198, 51, 100, 2]);
    });
    assert_eq!(decode_ipv4(&b).unwrap().ttl, 64);
}

#[test]
fn trailing_bytes_after_total_length_are_ignored() {
    let mut b = base();
    b.extend_from_slice(&[0xde, 0xad]);
    let p = decode_ipv4(&b).unwrap();
    assert_eq!(p.packet.len(), 40);
}

#[test]
fn ipv6_errors() {
    let src: Ipv6Addr = "fe80::1".parse().unwrap();
    let good = hex("310f82010064135d20010db8000000000000000000000015");
    assert_eq!(
        decode_ipv6(&good, src, MCAST_V6, 1).unwrap_err(),
        DecodeError::Ttl(1)
    );
    let mut v2 = good.clone();
    v2[0] = 0x21;
    assert_eq!(
        decode_ipv6(&v2, src, MCAST_V6, 255).unwrap_err(),
        DecodeError::Version(2)
    );
    assert_eq!(
        decode_ipv6(&good[..20], src, MCAST_V6, 255).unwrap_err(),
        DecodeError::Length {
            len: 20,
            count: 1,
            expected: 24
        }
    );
    assert_eq!(
        decode_ipv6(&good[..4], src, MCAST_V6, 255).unwrap_err(),
        DecodeError::Truncated {
            at: 0,
            need: 8,
            have: 4
        }
    );
}

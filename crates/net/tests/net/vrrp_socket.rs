//! VrrpSocket between two lab hosts: multicast and unicast, IPv4 and IPv6, AH.

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use vigil_net::{Family, Netlink, SocketOptions, VrrpSocket, VRRP_GROUP_V4, VRRP_GROUP_V6};

use crate::support::*;

const WAIT: Duration = Duration::from_secs(3);

/// A VRRPv2 advert for VRID 51, priority 100, one VIP 198.51.100.10.
const VRRP_V2: [u8; 20] = [
    0x21, 51, 100, 1, 0, 1, 0xb2, 0x98, 198, 51, 100, 10, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// A VRRPv3 advert for IPv6 VRID 51, priority 100, one VIP 2001:db8::10; the
/// checksum (bytes 6..8) is left zero for the kernel to fill in.
fn vrrp_v3_v6() -> Vec<u8> {
    let mut p = vec![0x31, 51, 100, 1, 0x00, 0x64, 0, 0];
    p.extend_from_slice(&ip6("2001:db8::10").octets());
    p
}

/// An IPv4 packet around `payload`, TTL 255, as the vrrp crate builds it.
fn ipv4_packet(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, payload: &[u8]) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let mut p = vec![0x45, 0xc0];
    p.extend_from_slice(&total.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0, 0, 255, proto, 0, 0]);
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&dst.octets());
    p.extend_from_slice(payload);
    p
}

fn v4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn ipv4_multicast_advert_reaches_peer_with_ttl_and_addresses() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let opts = SocketOptions::multicast(Family::V4);
    let tx = in_ns(h1, || VrrpSocket::open("eth0", Family::V4, &opts)).unwrap();
    let (rx, h2_index) = in_ns(h2, || {
        let s = VrrpSocket::open("eth0", Family::V4, &opts).unwrap();
        let i = s.ifindex();
        (s, i)
    });
    assert_eq!(rx.multicast_group(), Some(IpAddr::V4(VRRP_GROUP_V4)));
    let pkt = ipv4_packet(v4(H1_V4), VRRP_GROUP_V4, 112, &VRRP_V2);
    tx.send(&pkt, IpAddr::V4(VRRP_GROUP_V4), None).unwrap();

    let mut buf = [0u8; 1500];
    let r = wait_recv(WAIT, || rx.recv(&mut buf)).unwrap();
    assert_eq!(r.src, ip(H1_V4));
    assert_eq!(r.dst, IpAddr::V4(VRRP_GROUP_V4));
    assert_eq!(r.hop_limit, Some(255));
    assert_eq!(r.ifindex, h2_index);
    assert_eq!(r.payload_offset, 20);
    assert_eq!(r.len, 40);
    assert_eq!(&buf[20..40], &VRRP_V2);
    // IP_MULTICAST_LOOP is off: the sender does not hear itself.
    assert_silent(Duration::from_millis(200), || tx.recv(&mut buf));

    // A packet longer than the buffer is reported, not cut silently.
    tx.send(&pkt, IpAddr::V4(VRRP_GROUP_V4), None).unwrap();
    let mut small = [0u8; 24];
    let e = wait_recv(WAIT, || rx.recv(&mut small)).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("40-byte packet"), "{e}");
    assert_silent(Duration::from_millis(100), || rx.recv(&mut buf));
}

#[test]
fn ipv6_multicast_advert_has_link_local_source_hop_limit_and_kernel_checksum() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let opts = SocketOptions::multicast(Family::V6);
    let (tx, h1_ll) = in_ns(h1, || {
        let s = VrrpSocket::open("eth0", Family::V6, &opts).unwrap();
        let ll = Netlink::new()
            .unwrap()
            .link_local_ipv6(s.ifindex())
            .unwrap()
            .expect("h1 has a link-local address");
        (s, ll)
    });
    assert_eq!(tx.default_source_v6(), Some(h1_ll));
    let rx = in_ns(h2, || VrrpSocket::open("eth0", Family::V6, &opts)).unwrap();
    let payload = vrrp_v3_v6();
    tx.send(&payload, IpAddr::V6(VRRP_GROUP_V6), None).unwrap();

    let mut buf = [0u8; 1500];
    let r = wait_recv(WAIT, || rx.recv(&mut buf)).unwrap();
    assert_eq!(r.src, IpAddr::V6(h1_ll));
    assert_eq!(r.dst, IpAddr::V6(VRRP_GROUP_V6));
    assert_eq!(r.hop_limit, Some(255));
    assert_eq!(r.ifindex, rx.ifindex());
    assert_eq!(r.payload_offset, 0);
    assert_eq!(r.len, payload.len());
    assert_eq!(&buf[..6], &payload[..6]);
    assert_eq!(&buf[8..r.len], &payload[8..]);
    // RFC 5798 §5.2.8: checksum over the pseudo-header, filled in by IPV6_CHECKSUM.
    assert_ne!(&buf[6..8], &[0, 0]);
    assert!(v6_checksum_ok(h1_ll, VRRP_GROUP_V6, 112, &buf[..r.len]));
    assert_silent(Duration::from_millis(200), || tx.recv(&mut buf));
}

#[test]
fn unicast_v4_and_v6_reach_a_unicast_only_socket_and_multicast_does_not() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let mc4 = SocketOptions::multicast(Family::V4);
    let uni = SocketOptions::default();
    let (tx4, tx6) = in_ns(h1, || {
        (
            VrrpSocket::open("eth0", Family::V4, &mc4).unwrap(),
            VrrpSocket::open("eth0", Family::V6, &uni).unwrap(),
        )
    });
    let (rx4, rx6) = in_ns(h2, || {
        (
            VrrpSocket::open("eth0", Family::V4, &uni).unwrap(),
            VrrpSocket::open("eth0", Family::V6, &uni).unwrap(),
        )
    });
    // A multicast advert first: the unicast-only socket joined no group.
    let mc = ipv4_packet(v4(H1_V4), VRRP_GROUP_V4, 112, &VRRP_V2);
    tx4.send(&mc, IpAddr::V4(VRRP_GROUP_V4), None).unwrap();
    let mut uc_payload = VRRP_V2;
    uc_payload[2] = 200; // priority, to tell them apart
    let uc = ipv4_packet(v4(H1_V4), v4(H2_V4), 112, &uc_payload);
    tx4.send(&uc, ip(H2_V4), None).unwrap();
    let mut buf = [0u8; 1500];
    let r = wait_recv(WAIT, || rx4.recv(&mut buf)).unwrap();
    assert_eq!(
        (r.src, r.dst, r.hop_limit),
        (ip(H1_V4), ip(H2_V4), Some(255))
    );
    assert_eq!(buf[r.payload_offset + 2], 200);
    assert_silent(Duration::from_millis(200), || rx4.recv(&mut buf));

    let payload = vrrp_v3_v6();
    tx6.send(&payload, ip(H2_V6), Some(ip(H1_V6))).unwrap();
    let r = wait_recv(WAIT, || rx6.recv(&mut buf)).unwrap();
    assert_eq!(
        (r.src, r.dst, r.hop_limit),
        (ip(H1_V6), ip(H2_V6), Some(255))
    );
    assert!(v6_checksum_ok(ip6(H1_V6), ip6(H2_V6), 112, &buf[..r.len]));
}

#[test]
fn ah_socket_carries_protocol_51_separately() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let opts = SocketOptions {
        multicast_group: Some(IpAddr::V4(VRRP_GROUP_V4)),
        ah: true,
    };
    let tx = in_ns(h1, || VrrpSocket::open("eth0", Family::V4, &opts)).unwrap();
    let rx = in_ns(h2, || VrrpSocket::open("eth0", Family::V4, &opts)).unwrap();
    assert_eq!(rx.fds().len(), 2);
    assert!(rx.ah_fd().is_some());
    // AH header (RFC 4302 §2): next header 112, length, SPI, sequence, ICV...
    let mut ah = vec![112, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1];
    ah.extend_from_slice(&[0xab; 12]);
    ah.extend_from_slice(&VRRP_V2);
    let pkt = ipv4_packet(v4(H1_V4), VRRP_GROUP_V4, 51, &ah);
    tx.send_ah(&pkt, VRRP_GROUP_V4).unwrap();
    let mut buf = [0u8; 1500];
    let r = wait_recv(WAIT, || rx.recv_ah(&mut buf)).unwrap();
    assert_eq!(
        (r.src, r.dst, r.hop_limit),
        (ip(H1_V4), ip("224.0.0.18"), Some(255))
    );
    assert_eq!(&buf[r.payload_offset..r.len], &ah[..]);
    // The VRRP socket (protocol 112) does not see the AH packet.
    assert_silent(Duration::from_millis(200), || rx.recv(&mut buf));
}

#[test]
fn bad_arguments_give_clear_errors() {
    let Some(lab) = lab2() else { return };
    in_ns(lab.host("h1"), || {
        let e = VrrpSocket::open("nosuch0", Family::V4, &SocketOptions::default())
            .err()
            .unwrap();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("nosuch0"), "{e}");

        let wrong = SocketOptions {
            multicast_group: Some(IpAddr::V6(VRRP_GROUP_V6)),
            ah: false,
        };
        let e = VrrpSocket::open("eth0", Family::V4, &wrong).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);

        let ah6 = SocketOptions {
            multicast_group: None,
            ah: true,
        };
        let e = VrrpSocket::open("eth0", Family::V6, &ah6).err().unwrap();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);

        let s = VrrpSocket::open("eth0", Family::V4, &SocketOptions::default()).unwrap();
        // Wrong family destination, truncated header, and no AH socket.
        let e = s.send(&VRRP_V2, ip(H2_V6), None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let e = s.send(&VRRP_V2[..10], ip(H2_V4), None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let e = s.send_ah(&VRRP_V2, v4(H2_V4)).unwrap_err();
        assert!(e.to_string().contains("no AH socket"), "{e}");
        let mut buf = [0u8; 64];
        assert_eq!(s.recv(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    });
}

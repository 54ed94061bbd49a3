//! Gratuitous ARP and unsolicited NA seen by the other host.

use std::io::Read;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};
use vigil_net::packet::{build_garp, parse_mac};
use vigil_net::{Announcer, Netlink, VirtualAddress, ALL_NODES};

use crate::support::*;

const ETH_P_ARP: u16 = 0x0806;
const ETH_P_IPV6: u16 = 0x86dd;

/// A packet socket receiving `ethertype` frames (opened in the caller's namespace).
fn sniffer(ethertype: u16) -> Socket {
    let s = Socket::new_raw(
        Domain::PACKET,
        Type::RAW,
        Some(Protocol::from(i32::from(ethertype.to_be()))),
    )
    .unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    s
}

/// The first frame for which `want` holds, within 3 s.
fn capture(s: &Socket, want: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut buf = [0u8; 2048];
    while Instant::now() < deadline {
        let mut r: &Socket = s;
        if let Ok(n) = r.read(&mut buf) {
            if want(&buf[..n]) {
                return buf[..n].to_vec();
            }
        }
    }
    panic!("no matching frame captured");
}

#[test]
fn gratuitous_arp_reaches_peer_and_updates_its_neighbour_table() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let h1_mac = parse_mac(&h1.mac().unwrap()).unwrap();
    let vip: Ipv4Addr = "198.51.100.10".parse().unwrap();
    // Let h2 create neighbour entries from gratuitous ARP (it has none for the VIP).
    h2.run(&["sysctl", "-qw", "net.ipv4.conf.eth0.arp_accept=1"])
        .unwrap();
    h2.flush_neigh().unwrap();
    let sniff = in_ns(h2, || sniffer(ETH_P_ARP));
    let ann = in_ns(h1, || Announcer::open("eth0")).unwrap();
    assert_eq!(ann.mac(), h1_mac);
    ann.send_garp(vip).unwrap();

    let frame = capture(&sniff, |f| f.len() >= 42 && f[28..32] == vip.octets());
    assert_eq!(&frame[..42], &build_garp(h1_mac, vip)[..]);
    assert!(vigil_lab::wait_until(Duration::from_secs(3), || {
        h2.neigh_mac("198.51.100.10").unwrap() == Some(h1.mac().unwrap())
    }));

    // A given sender MAC (the VRRP virtual MAC 00:00:5e:00:01:33).
    let vmac = [0x00, 0x00, 0x5e, 0x00, 0x01, 0x33];
    ann.send_garp_as(vip, vmac).unwrap();
    let frame = capture(&sniff, |f| f.len() >= 42 && f[6..12] == vmac);
    assert_eq!(&frame[..42], &build_garp(vmac, vip)[..]);
    assert!(vigil_lab::wait_until(Duration::from_secs(3), || {
        h2.neigh_mac("198.51.100.10").unwrap().as_deref() == Some("00:00:5e:00:01:33")
    }));
}

fn is_na_for(f: &[u8], target: &[u8; 16]) -> bool {
    f.len() >= 14 + 40 + 32 && f[14 + 6] == 58 && f[54] == 136 && &f[62..78] == target
}

#[test]
fn unsolicited_na_has_override_target_lladdr_and_router_flag_from_forwarding() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let h1_mac = parse_mac(&h1.mac().unwrap()).unwrap();
    let vip = ip6("2001:db8::10");
    let sniff = in_ns(h2, || sniffer(ETH_P_IPV6));
    let ann = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let idx = nl.link_index("eth0").unwrap();
        nl.add_address(&VirtualAddress::new(idx, vip.into(), 64))
            .unwrap();
        let ann = Announcer::open("eth0").unwrap();
        ann.send_unsolicited_na(vip).unwrap();
        ann
    });

    let f = capture(&sniff, |f| is_na_for(f, &vip.octets()));
    assert_eq!(
        &f[0..6],
        &[0x33, 0x33, 0, 0, 0, 1],
        "RFC 2464 §7 multicast MAC"
    );
    assert_eq!(&f[6..12], &h1_mac);
    let (ip6h, icmp) = (&f[14..54], &f[54..]);
    assert_eq!(ip6h[7], 255, "hop limit");
    assert_eq!(&ip6h[8..24], &vip.octets(), "source is the VIP");
    assert_eq!(&ip6h[24..40], &ALL_NODES.octets());
    let plen = usize::from(u16::from_be_bytes([ip6h[4], ip6h[5]]));
    assert_eq!(plen, 32);
    let icmp = &icmp[..plen];
    assert_eq!(icmp[1], 0, "code");
    assert_eq!(icmp[4], 0x20, "Override only: h1 does not forward");
    assert_eq!(&icmp[24..26], &[2, 1], "target link-layer address option");
    assert_eq!(&icmp[26..32], &h1_mac);
    assert!(v6_checksum_ok(vip, ALL_NODES, 58, icmp));

    // With forwarding on, the Router flag is set too (as keepalived does).
    in_ns(h1, || {
        std::fs::write("/proc/sys/net/ipv6/conf/eth0/forwarding", "1").unwrap();
        ann.send_unsolicited_na(vip).unwrap();
    });
    let f = capture(&sniff, |f| is_na_for(f, &vip.octets()) && f[58] & 0x80 != 0);
    assert_eq!(f[58], 0xa0);

    let e = ann.send_unsolicited_na(ALL_NODES).unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
}

//! VMACs (macvlan virtual MAC interfaces) in the lab.

use std::io::ErrorKind;
use std::net::Ipv4Addr;
use std::time::Duration;

use vigil_lab::{wait_until, Host, Prober};
use vigil_net::{
    eui64_link_local, Announcer, Family, Netlink, VirtualAddress, Vmac, VmacConfig, VmacInfo,
};

use crate::support::*;

/// The integer in `/proc/sys/net/<path>` on `host`.
fn sysctl(host: &Host, path: &str) -> i64 {
    let out = host
        .run(&["cat", &format!("/proc/sys/net/{path}")])
        .unwrap();
    out.trim().parse().unwrap()
}

fn set_sysctl(host: &Host, path: &str, v: i64) {
    host.run(&["sh", "-c", &format!("echo {v} > /proc/sys/net/{path}")])
        .unwrap();
}

#[test]
fn ipv4_vmac_has_the_virtual_mac_sysctls_and_answers_for_its_vip() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let h1_mac = h1.mac().unwrap();
    let (mut vm, info) = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let mut vm = Vmac::new();
        let info = vm.create(&mut nl, "eth0", None, 51, Family::V4).unwrap();
        (vm, info)
    });
    assert_eq!(info.name, "vrrp.51");
    assert_eq!(info.mac, [0x00, 0x00, 0x5e, 0x00, 0x01, 51]);
    assert_eq!(info.parent, "eth0");
    assert!(!info.adopted);
    let details = h1.run(&["ip", "-d", "link", "show", "vrrp.51"]).unwrap();
    assert!(details.contains("macvlan mode private"), "{details}");
    assert!(
        details.contains("link/ether 00:00:5e:00:01:33"),
        "{details}"
    );
    assert!(details.contains(",UP,"), "{details}");
    assert!(
        wait_until(Duration::from_secs(3), || in_ns(h1, || {
            Netlink::new().unwrap().link_by_name("vrrp.51").unwrap().up
        })),
        "VMAC not running"
    );
    // keepalived's settings on the VMAC and its parent (vrrp_if_config.c).
    for (key, want) in [
        ("arp_ignore", 1),
        ("accept_local", 1),
        ("rp_filter", 0),
        ("promote_secondaries", 1),
    ] {
        assert_eq!(
            sysctl(h1, &format!("ipv4/conf/vrrp.51/{key}")),
            want,
            "{key}"
        );
    }
    assert_eq!(sysctl(h1, "ipv6/conf/vrrp.51/disable_ipv6"), 1);
    for (key, want) in [("arp_ignore", 1), ("arp_filter", 1), ("arp_announce", 2)] {
        assert_eq!(sysctl(h1, &format!("ipv4/conf/eth0/{key}")), want, "{key}");
    }

    // A VIP on the VMAC: the GARP carries the virtual MAC.
    let vip: Ipv4Addr = "198.51.100.51".parse().unwrap();
    set_sysctl(h2, "ipv4/conf/eth0/arp_accept", 1);
    h2.flush_neigh().unwrap();
    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        nl.add_address(&VirtualAddress::new(info.ifindex, vip.into(), 24))
            .unwrap();
        let ann = Announcer::open("vrrp.51").unwrap();
        assert_eq!(ann.mac(), info.mac);
        ann.send_garp(vip).unwrap();
    });
    assert!(wait_until(Duration::from_secs(3), || {
        h2.neigh_mac("198.51.100.51").unwrap().as_deref() == Some("00:00:5e:00:01:33")
    }));

    // Pings: h2 resolves the VIP to the virtual MAC (eth0 stays silent,
    // arp_ignore), and replies leaving through eth0 do not re-point it
    // (arp_announce): the entry is still the VMAC afterwards.
    h2.flush_neigh().unwrap();
    h1.flush_neigh().unwrap(); // so h1 must ARP for h2 when it replies
    assert!(h2.ping("198.51.100.51", 3, Duration::from_secs(5)).unwrap());
    assert_eq!(
        h2.neigh_mac("198.51.100.51").unwrap().as_deref(),
        Some("00:00:5e:00:01:33")
    );
    assert!(h2.ping("198.51.100.1", 1, Duration::from_secs(3)).unwrap());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        h2.neigh_mac("198.51.100.51").unwrap().as_deref(),
        Some("00:00:5e:00:01:33"),
        "the VIP was re-pointed at eth0's MAC {h1_mac}"
    );

    // With a source rule (what keepalived's virtual_rules/virtual_routes
    // give), replies from the VIP leave through the VMAC with its MAC.
    h1.run(&[
        "ip",
        "rule",
        "add",
        "from",
        "198.51.100.51",
        "lookup",
        "100",
    ])
    .unwrap();
    h1.run(&[
        "ip",
        "route",
        "add",
        "198.51.100.0/24",
        "dev",
        "vrrp.51",
        "table",
        "100",
    ])
    .unwrap();
    let probe = Prober::start(h2, "198.51.100.51").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let report = probe.stop().unwrap();
    assert!(!report.replies.is_empty(), "{}", report.errors);
    assert_eq!(report.macs(), vec!["00:00:5e:00:01:33".to_string()]);

    // Delete: gone, parent restored; a second delete finds nothing.
    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        assert!(vm.delete(&mut nl, &info).unwrap());
        let e = nl.link_by_name("vrrp.51").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(!vm.delete(&mut nl, &info).unwrap());
        assert_eq!(vm.vmacs().count(), 0);
    });
    for key in ["arp_ignore", "arp_filter", "arp_announce"] {
        assert_eq!(sysctl(h1, &format!("ipv4/conf/eth0/{key}")), 0, "{key}");
    }
}

#[test]
fn ipv6_vmac_gets_the_parents_link_local_and_no_address_of_its_own_mac() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let vip = ip6("2001:db8::52");
    let (parent_ll, info, addrs) = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let eth0 = nl.link_index("eth0").unwrap();
        let parent_ll = nl.link_local_ipv6(eth0).unwrap().expect("eth0 link-local");
        let mut vm = Vmac::new();
        let info = vm.create(&mut nl, "eth0", None, 52, Family::V6).unwrap();
        let mut va = VirtualAddress::new(info.ifindex, vip.into(), 64);
        va.nodad = true;
        nl.add_address(&va).unwrap();
        // Give the kernel a moment to (not) add an EUI-64 address.
        std::thread::sleep(Duration::from_millis(300));
        let addrs: Vec<_> = nl
            .addresses(info.ifindex, Family::V6)
            .unwrap()
            .into_iter()
            .map(|a| a.addr)
            .collect();
        (parent_ll, info, addrs)
    });
    assert_eq!(info.name, "vrrp.52");
    assert_eq!(info.mac, [0x00, 0x00, 0x5e, 0x00, 0x02, 52]);
    assert_eq!(info.link_local, Some(parent_ll));
    assert_eq!(sysctl(h1, "ipv6/conf/vrrp.52/addr_gen_mode"), 1);
    assert!(addrs.contains(&parent_ll.into()), "{addrs:?}");
    assert!(addrs.contains(&vip.into()), "{addrs:?}");
    assert!(
        !addrs.contains(&eui64_link_local(info.mac).into()),
        "address from the virtual MAC: {addrs:?}"
    );
    // The parent's IPv4 ARP settings are untouched by an IPv6 VMAC.
    assert_eq!(sysctl(h1, "ipv4/conf/eth0/arp_ignore"), 0);

    // h2 reaches the VIP; Neighbor Discovery answers with the virtual MAC.
    h2.flush_neigh().unwrap();
    assert!(h2.ping("2001:db8::52", 2, Duration::from_secs(5)).unwrap());
    assert_eq!(
        h2.neigh_mac("2001:db8::52").unwrap().as_deref(),
        Some("00:00:5e:00:02:34")
    );
    // Replies from an IPv6 VIP leave through the VMAC (the kernel prefers the
    // route on the interface that holds the source address).
    let probe = Prober::start(h2, "2001:db8::52").unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let report = probe.stop().unwrap();
    assert_eq!(report.macs(), vec!["00:00:5e:00:02:34".to_string()]);
}

#[test]
fn names_adoption_and_conflicts() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    h1.run(&["ip", "link", "add", "vrrp.54", "type", "bridge"])
        .unwrap();
    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let mut vm = Vmac::new();
        let a = vm.create(&mut nl, "eth0", None, 53, Family::V4).unwrap();
        assert_eq!(a.name, "vrrp.53");
        // An IPv6 instance with the same VRID: keepalived's second choice.
        let b = vm.create(&mut nl, "eth0", None, 53, Family::V6).unwrap();
        assert_eq!(b.name, "vrrp6.53");
        // vrrp.54 is a bridge: the default name moves on, an explicit one fails.
        let c = vm.create(&mut nl, "eth0", None, 54, Family::V4).unwrap();
        assert_eq!(c.name, "vrrp1.54");
        let e = vm
            .create(&mut nl, "eth0", Some("vrrp.54"), 54, Family::V4)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("not a macvlan"), "{e}");

        // A restarted daemon (new registry) adopts the existing VMAC.
        let mut again = Vmac::new();
        let a2 = again.create(&mut nl, "eth0", None, 53, Family::V4).unwrap();
        assert!(a2.adopted);
        assert_eq!((a2.ifindex, a2.name.as_str()), (a.ifindex, "vrrp.53"));

        // A named VMAC with the wrong MAC is replaced.
        let mut cfg = VmacConfig::new("eth0", 55, Family::V4);
        cfg.name = Some("vip55".into());
        cfg.mac = Some([0x02, 0, 0, 0, 0, 0x55]);
        let d = vm.create_with(&mut nl, &cfg).unwrap();
        assert_eq!(d.mac, [0x02, 0, 0, 0, 0, 0x55]);
        cfg.mac = None;
        let d2 = vm.create_with(&mut nl, &cfg).unwrap();
        assert!(!d2.adopted);
        assert_eq!(
            nl.link_by_name("vip55").unwrap().mac,
            [0, 0, 0x5e, 0, 1, 55]
        );

        // Deleting something that is not a macvlan is refused.
        let eth0 = nl.link_by_name("eth0").unwrap();
        let fake = VmacInfo {
            ifindex: eth0.index,
            name: "eth0".into(),
            ..a.clone()
        };
        let e = vm.delete(&mut nl, &fake).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(nl.link_by_name("eth0").is_ok());

        // Unknown parent, bad VRID: clear errors, nothing made.
        let e = vm.create(&mut nl, "eth9", None, 1, Family::V4).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        let e = vm.create(&mut nl, "eth0", None, 0, Family::V4).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);

        vm.delete_all(&mut nl).unwrap();
        assert_eq!(vm.vmacs().count(), 0);
        for n in ["vrrp.53", "vrrp6.53", "vrrp1.54", "vip55"] {
            assert!(nl.link_by_name(n).is_err(), "{n} left");
        }
    });
}

#[test]
fn all_rp_filter_is_cleared_while_ipv4_vmacs_exist_and_restored_after() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    set_sysctl(h1, "ipv4/conf/all/rp_filter", 2);
    set_sysctl(h1, "ipv4/conf/eth0/rp_filter", 1);
    let (mut vm, info) = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let mut vm = Vmac::new();
        let info = vm.create(&mut nl, "eth0", None, 56, Family::V4).unwrap();
        (vm, info)
    });
    assert_eq!(sysctl(h1, "ipv4/conf/all/rp_filter"), 0);
    assert_eq!(sysctl(h1, "ipv4/conf/eth0/rp_filter"), 2, "raised to all's");
    assert_eq!(sysctl(h1, "ipv4/conf/vrrp.56/rp_filter"), 0);
    in_ns(h1, || {
        vm.delete(&mut Netlink::new().unwrap(), &info).unwrap();
    });
    assert_eq!(sysctl(h1, "ipv4/conf/all/rp_filter"), 2);
    assert_eq!(sysctl(h1, "ipv4/conf/eth0/rp_filter"), 1);
}

/// A VRRPv2 advert for VRID 57 (checksum not checked by the socket layer).
fn advert_v2(src: Ipv4Addr) -> Vec<u8> {
    let vrrp = [0x21, 57, 100, 1, 0, 1, 0, 0, 198, 51, 100, 57];
    let mut p = vec![0x45, 0xc0, 0, 32, 0, 0, 0, 0, 255, 112, 0, 0];
    p.extend_from_slice(&src.octets());
    p.extend_from_slice(&vigil_net::VRRP_GROUP_V4.octets());
    p.extend_from_slice(&vrrp);
    p
}

#[test]
fn adverts_leave_with_the_virtual_mac_and_arrive_on_the_vmac() {
    use socket2::{Domain, Protocol, Socket, Type};
    use std::io::Read;
    use vigil_net::{SocketOptions, VrrpSocket};

    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let opts = SocketOptions::multicast(Family::V4);
    let (_vm, info, vsock) = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let mut vm = Vmac::new();
        let info = vm.create(&mut nl, "eth0", None, 57, Family::V4).unwrap();
        let s = VrrpSocket::open(&info.name, Family::V4, &opts).unwrap();
        (vm, info, s)
    });
    let (sniff, h2_sock) = in_ns(h2, || {
        // ETH_P_IP frames as h2 receives them.
        let s = Socket::new_raw(
            Domain::PACKET,
            Type::RAW,
            Some(Protocol::from(i32::from(0x0800u16.to_be()))),
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        (s, VrrpSocket::open("eth0", Family::V4, &opts).unwrap())
    });
    let h1_v4: Ipv4Addr = H1_V4.parse().unwrap();
    vsock
        .send(&advert_v2(h1_v4), vigil_net::VRRP_GROUP_V4.into(), None)
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let mut frame = None;
    let mut buf = [0u8; 2048];
    while frame.is_none() && std::time::Instant::now() < deadline {
        let mut r: &Socket = &sniff;
        if let Ok(n) = r.read(&mut buf) {
            if n >= 34 && buf[14 + 9] == 112 {
                frame = Some(buf[..n].to_vec());
            }
        }
    }
    let frame = frame.expect("no advert captured on h2");
    assert_eq!(&frame[6..12], &info.mac, "source MAC is the virtual MAC");
    assert_eq!(&frame[0..6], &[0x01, 0x00, 0x5e, 0x00, 0x00, 0x12]);
    let mut rbuf = [0u8; 1500];
    let r = wait_recv(Duration::from_secs(3), || h2_sock.recv(&mut rbuf)).unwrap();
    assert_eq!(r.src, ip(H1_V4));

    // The other way: h2's advert reaches the socket on the VMAC, which has
    // no address of its own (rp_filter=0, accept_local=1).
    let h2_v4: Ipv4Addr = H2_V4.parse().unwrap();
    h2_sock
        .send(&advert_v2(h2_v4), vigil_net::VRRP_GROUP_V4.into(), None)
        .unwrap();
    let r = wait_recv(Duration::from_secs(3), || vsock.recv(&mut rbuf)).unwrap();
    assert_eq!(r.src, ip(H2_V4));
    assert_eq!(r.ifindex, info.ifindex);
}

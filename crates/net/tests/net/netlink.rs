//! Netlink queries and changes inside a lab host, checked against `ip`.

use std::io::ErrorKind;
use std::net::IpAddr;

use vigil_net::{packet::format_mac, Family, Netlink, RouteKind, VirtualAddress, VirtualRoute};

use crate::support::*;

#[test]
fn link_queries_match_ip_link() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    let mac = h1.mac().unwrap();
    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let idx = nl.link_index("eth0").unwrap();
        assert_eq!(idx, nix::net::if_::if_nametoindex("eth0").unwrap());
        let info = nl.link_by_index(idx).unwrap();
        assert_eq!(info.index, idx);
        assert_eq!(info.name, "eth0");
        assert_eq!(format_mac(&info.mac), mac);
        assert!(info.up);
        assert_eq!(info.mtu, 1500);
        assert_eq!(nl.link_by_name("eth0").unwrap(), info);
        assert!(nl.links().unwrap().iter().any(|l| l.name == "lo"));

        let e = nl.link_index("nosuch0").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("nosuch0"), "{e}");
        assert_eq!(
            nl.link_by_index(999_999).unwrap_err().kind(),
            ErrorKind::NotFound
        );

        assert_eq!(nl.primary_ipv4(idx).unwrap(), Some(H1_V4.parse().unwrap()));
        let ll = nl.link_local_ipv6(idx).unwrap().expect("link-local");
        assert_eq!(ll.segments()[0], 0xfe80);
        let v6: Vec<IpAddr> = nl
            .addresses(idx, Family::V6)
            .unwrap()
            .iter()
            .map(|a| a.addr)
            .collect();
        assert!(
            v6.contains(&ip(H1_V6)) && v6.contains(&IpAddr::V6(ll)),
            "{v6:?}"
        );
        let v4 = nl.addresses(idx, Family::V4).unwrap();
        assert_eq!(v4.len(), 1);
        assert_eq!((v4[0].addr, v4[0].prefix_len), (ip(H1_V4), 24));
    });
}

fn ip_addr_line(host: &vigil_lab::Host, family: &str, needle: &str) -> Option<String> {
    let out = host
        .run(&["ip", family, "-o", "addr", "show", "dev", "eth0"])
        .unwrap();
    out.lines().find(|l| l.contains(needle)).map(str::to_string)
}

#[test]
fn add_and_delete_addresses_with_options() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    let idx = in_ns(h1, || Netlink::new().unwrap().link_index("eth0").unwrap());

    let mut vip = VirtualAddress::new(idx, ip("198.51.100.10"), 24);
    vip.broadcast = Some("198.51.100.255".parse().unwrap());
    vip.label = Some("eth0:vip".into());
    let mut host_scoped = VirtualAddress::new(idx, ip("203.0.113.20"), 32);
    host_scoped.scope = Some(254);
    host_scoped.noprefixroute = true;
    let mut ptp = VirtualAddress::new(idx, ip("203.0.113.1"), 32);
    ptp.peer = Some(ip("203.0.113.2"));
    let mut v6 = VirtualAddress::new(idx, ip("2001:db8::10"), 64);
    v6.nodad = true;

    let all = [&vip, &host_scoped, &ptp, &v6];
    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        for va in all {
            assert!(nl.add_address(va).unwrap(), "first add of {va:?}");
            assert!(!nl.add_address(va).unwrap(), "second add of {va:?}");
        }
        let v4 = nl.addresses(idx, Family::V4).unwrap();
        let got = v4.iter().find(|a| a.addr == vip.addr).expect("vip listed");
        assert_eq!(got.label.as_deref(), Some("eth0:vip"));
        assert!(got.is_secondary());
        let got = v4.iter().find(|a| a.addr == host_scoped.addr).unwrap();
        assert_eq!(got.scope, 254);
    });
    let l = ip_addr_line(h1, "-4", "198.51.100.10/24").unwrap();
    assert!(
        l.contains("brd 198.51.100.255") && l.contains("eth0:vip"),
        "{l}"
    );
    let l = ip_addr_line(h1, "-4", "203.0.113.20/32").unwrap();
    assert!(
        l.contains("scope host") && l.contains("noprefixroute"),
        "{l}"
    );
    let l = ip_addr_line(h1, "-4", "203.0.113.1 peer 203.0.113.2/32").unwrap();
    assert!(l.contains("scope global"), "{l}");
    let l = ip_addr_line(h1, "-6", "2001:db8::10/64").unwrap();
    assert!(l.contains("nodad"), "{l}");
    // The primary address stays primary.
    assert_eq!(
        in_ns(h1, || Netlink::new().unwrap().primary_ipv4(idx).unwrap()),
        Some(H1_V4.parse().unwrap())
    );

    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        for va in all {
            assert!(nl.del_address(va).unwrap(), "first delete of {va:?}");
            assert!(!nl.del_address(va).unwrap(), "second delete of {va:?}");
        }
    });
    for (fam, a) in [
        ("-4", "198.51.100.10/"),
        ("-4", "203.0.113.20/"),
        ("-4", "203.0.113.1 "),
        ("-6", "2001:db8::10/"),
    ] {
        assert_eq!(ip_addr_line(h1, fam, a), None, "{a} still there");
    }
}

#[test]
fn bad_addresses_are_rejected_before_the_kernel() {
    let Some(lab) = lab2() else { return };
    in_ns(lab.host("h1"), || {
        let mut nl = Netlink::new().unwrap();
        let idx = nl.link_index("eth0").unwrap();
        let e = nl
            .add_address(&VirtualAddress::new(idx, ip("198.51.100.10"), 33))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("prefix length 33"), "{e}");
        // The kernel's own refusal names the request.
        let e = nl
            .add_address(&VirtualAddress::new(999_999, ip("198.51.100.10"), 24))
            .unwrap_err();
        assert!(
            e.to_string().contains("RTM_NEWADDR 198.51.100.10/24"),
            "{e}"
        );
        assert_eq!(vigil_net::errno_of(&e), Some(libc_enodev()));
    });
}

fn libc_enodev() -> i32 {
    nix::errno::Errno::ENODEV as i32
}

fn ip_route(host: &vigil_lab::Host, args: &[&str]) -> String {
    let mut all = vec!["ip"];
    all.extend_from_slice(args);
    host.run(&all).unwrap()
}

#[test]
fn add_and_delete_routes() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    let idx = in_ns(h1, || Netlink::new().unwrap().link_index("eth0").unwrap());

    let mut via = VirtualRoute::new(ip("203.0.113.0"), 24);
    via.via = Some(ip(H2_V4));
    via.metric = Some(50);
    via.src = Some(ip(H1_V4));
    let mut dev_only = VirtualRoute::new(ip("203.0.113.64"), 26);
    dev_only.ifindex = Some(idx);
    let mut blackhole = VirtualRoute::new(ip("203.0.113.128"), 25);
    blackhole.kind = RouteKind::Blackhole;
    blackhole.table = Some(100);
    let mut unreachable = VirtualRoute::new(ip("203.0.113.192"), 26);
    unreachable.kind = RouteKind::Unreachable;
    unreachable.table = Some(1000);
    let mut prohibit = VirtualRoute::new(ip("2001:db8:2::"), 48);
    prohibit.kind = RouteKind::Prohibit;
    let mut v6 = VirtualRoute::new(ip("2001:db8:1::"), 48);
    v6.via = Some(ip(H2_V6));
    v6.ifindex = Some(idx);

    let all = [&via, &dev_only, &blackhole, &unreachable, &prohibit, &v6];
    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        for r in all {
            assert!(nl.add_route(r).unwrap(), "first add of {r:?}");
            assert!(!nl.add_route(r).unwrap(), "second add of {r:?}");
        }
    });
    let main4 = ip_route(h1, &["-4", "route", "show"]);
    assert!(
        main4.contains(
            "203.0.113.0/24 via 198.51.100.2 dev eth0 proto keepalived src 198.51.100.1 metric 50"
        ),
        "{main4}"
    );
    assert!(
        main4.contains("203.0.113.64/26 dev eth0 proto keepalived scope link"),
        "{main4}"
    );
    let t100 = ip_route(h1, &["-4", "route", "show", "table", "100"]);
    assert!(
        t100.contains("blackhole 203.0.113.128/25 proto keepalived"),
        "{t100}"
    );
    let t1000 = ip_route(h1, &["-4", "route", "show", "table", "1000"]);
    assert!(t1000.contains("unreachable 203.0.113.192/26"), "{t1000}");
    let main6 = ip_route(h1, &["-6", "route", "show"]);
    assert!(main6.contains("prohibit 2001:db8:2::/48"), "{main6}");
    assert!(
        main6.contains("2001:db8:1::/48 via 2001:db8::2 dev eth0"),
        "{main6}"
    );

    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        for r in all {
            assert!(nl.del_route(r).unwrap(), "first delete of {r:?}");
            assert!(!nl.del_route(r).unwrap(), "second delete of {r:?}");
        }
    });
    let after = ip_route(h1, &["-4", "route", "show", "table", "all"])
        + &ip_route(h1, &["-6", "route", "show", "table", "all"]);
    for gone in ["203.0.113.", "2001:db8:1::", "2001:db8:2::"] {
        assert!(!after.contains(gone), "{gone} still routed:\n{after}");
    }
}

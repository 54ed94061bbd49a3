//! The netlink messages built for addresses and routes, field by field
//! (pure: no kernel needed).

use std::io::ErrorKind;

use netlink_packet_route::address::{AddressAttribute, AddressFlags, AddressScope};
use netlink_packet_route::route::{
    RouteAddress, RouteAttribute, RouteProtocol, RouteScope, RouteType,
};
use netlink_packet_route::AddressFamily;
use vigil_net::{NetError, RouteKind, VirtualAddress, VirtualRoute};

use crate::support::ip;

#[test]
fn ipv4_address_message_carries_every_option() {
    let mut va = VirtualAddress::new(3, ip("198.51.100.10"), 24);
    va.broadcast = Some("198.51.100.255".parse().unwrap());
    va.label = Some("eth0:1".into());
    va.scope = Some(253);
    va.peer = Some(ip("198.51.100.11"));
    va.noprefixroute = true;
    let m = va.to_message(false);
    assert_eq!(m.header.family, AddressFamily::Inet);
    assert_eq!(m.header.prefix_len, 24);
    assert_eq!(m.header.index, 3);
    assert_eq!(m.header.scope, AddressScope::Link);
    assert_eq!(
        m.attributes,
        vec![
            AddressAttribute::Local(ip("198.51.100.10")),
            AddressAttribute::Address(ip("198.51.100.11")),
            AddressAttribute::Flags(AddressFlags::Noprefixroute),
            AddressAttribute::Broadcast("198.51.100.255".parse().unwrap()),
            AddressAttribute::Label("eth0:1".into()),
        ]
    );
    // Deletion matches on the address only.
    assert_eq!(
        va.to_message(true).attributes,
        vec![
            AddressAttribute::Local(ip("198.51.100.10")),
            AddressAttribute::Address(ip("198.51.100.11")),
        ]
    );
}

#[test]
fn ipv6_nodad_sets_header_and_attribute_flags() {
    let mut va = VirtualAddress::new(4, ip("2001:db8::10"), 64);
    va.nodad = true;
    let m = va.to_message(false);
    assert_eq!(m.header.family, AddressFamily::Inet6);
    assert_eq!(m.header.scope, AddressScope::Universe);
    assert_eq!(m.header.flags.bits(), 0x02);
    assert!(m
        .attributes
        .contains(&AddressAttribute::Flags(AddressFlags::Nodad)));
}

#[test]
fn address_validation_names_the_problem() {
    let cases: [(VirtualAddress, &str); 4] = [
        (
            VirtualAddress::new(1, ip("2001:db8::1"), 129),
            "prefix length 129",
        ),
        (
            VirtualAddress {
                peer: Some(ip("2001:db8::2")),
                ..VirtualAddress::new(1, ip("198.51.100.1"), 32)
            },
            "not the family",
        ),
        (
            VirtualAddress {
                label: Some("eth0:x".into()),
                ..VirtualAddress::new(1, ip("2001:db8::1"), 64)
            },
            "IPv4 only",
        ),
        (
            VirtualAddress {
                label: Some("a-label-that-is-far-too-long".into()),
                ..VirtualAddress::new(1, ip("198.51.100.1"), 32)
            },
            "1 to 15 characters",
        ),
    ];
    for (va, want) in cases {
        let e = va.validate().unwrap_err();
        assert!(matches!(e, NetError::Invalid(_)));
        assert!(e.to_string().contains(want), "{e} lacks {want}");
        let io: std::io::Error = e.into();
        assert_eq!(io.kind(), ErrorKind::InvalidInput);
    }
}

#[test]
fn route_messages_follow_ip_route_defaults() {
    let mut r = VirtualRoute::new(ip("203.0.113.0"), 24);
    r.via = Some(ip("198.51.100.2"));
    r.metric = Some(50);
    r.src = Some(ip("198.51.100.1"));
    r.ifindex = Some(2);
    let m = r.to_message(false);
    assert_eq!(m.header.address_family, AddressFamily::Inet);
    assert_eq!(m.header.destination_prefix_length, 24);
    assert_eq!(m.header.table, 254);
    assert_eq!(m.header.protocol, RouteProtocol::KeepAlived);
    assert_eq!(m.header.scope, RouteScope::Universe, "gateway route");
    assert_eq!(m.header.kind, RouteType::Unicast);
    assert_eq!(
        m.attributes,
        vec![
            RouteAttribute::Table(254),
            RouteAttribute::Destination(RouteAddress::Inet("203.0.113.0".parse().unwrap())),
            RouteAttribute::Gateway(RouteAddress::Inet("198.51.100.2".parse().unwrap())),
            RouteAttribute::PrefSource(RouteAddress::Inet("198.51.100.1".parse().unwrap())),
            RouteAttribute::Oif(2),
            RouteAttribute::Priority(50),
        ]
    );
    // Delete matches any scope unless one is given.
    assert_eq!(r.to_message(true).header.scope, RouteScope::NoWhere);

    let dev = VirtualRoute {
        ifindex: Some(2),
        ..VirtualRoute::new(ip("203.0.113.64"), 26)
    };
    assert_eq!(dev.to_message(false).header.scope, RouteScope::Link);

    let bh = VirtualRoute {
        kind: RouteKind::Blackhole,
        table: Some(1000),
        ..VirtualRoute::new(ip("2001:db8:1::"), 48)
    };
    let m = bh.to_message(false);
    assert_eq!(m.header.address_family, AddressFamily::Inet6);
    assert_eq!(m.header.kind, RouteType::BlackHole);
    assert_eq!(m.header.scope, RouteScope::Universe);
    assert_eq!(m.header.table, 0, "tables above 255 go in RTA_TABLE only");
    assert_eq!(m.attributes[0], RouteAttribute::Table(1000));
}

#[test]
fn route_validation_names_the_problem() {
    let gw_on_blackhole = VirtualRoute {
        kind: RouteKind::Blackhole,
        via: Some(ip("198.51.100.2")),
        ..VirtualRoute::new(ip("203.0.113.0"), 24)
    };
    assert!(gw_on_blackhole
        .validate()
        .unwrap_err()
        .to_string()
        .contains("cannot have a gateway"));
    let mixed = VirtualRoute {
        via: Some(ip("2001:db8::2")),
        ..VirtualRoute::new(ip("203.0.113.0"), 24)
    };
    assert!(mixed
        .validate()
        .unwrap_err()
        .to_string()
        .contains("via 2001:db8::2"));
    let long = VirtualRoute::new(ip("203.0.113.0"), 40);
    assert!(long
        .validate()
        .unwrap_err()
        .to_string()
        .contains("prefix length 40"));
    assert!(VirtualRoute::new(ip("203.0.113.0"), 24).validate().is_ok());
}

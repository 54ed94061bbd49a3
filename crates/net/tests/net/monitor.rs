//! LinkMonitor: carrier loss when the lab cuts the link, address events.

use std::time::{Duration, Instant};

use vigil_net::{LinkEvent, LinkMonitor, MonitorEvent, Netlink, VirtualAddress};

use crate::support::*;

/// Polls `mon` until an event satisfying `want` arrives, or panics after 5 s.
fn wait_event(mon: &mut LinkMonitor, want: impl Fn(&MonitorEvent) -> bool) -> MonitorEvent {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        for e in mon.poll().unwrap() {
            if want(&e) {
                return e;
            }
            seen.push(e);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!(
        "event not seen; saw {seen:?}; {} undecodable messages",
        mon.decode_errors
    );
}

#[test]
fn link_down_and_up_when_the_lab_cuts_and_restores_the_link() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    let (mut mon, idx) = in_ns(h1, || {
        (
            LinkMonitor::new().unwrap(),
            Netlink::new().unwrap().link_index("eth0").unwrap(),
        )
    });
    assert!(
        mon.poll_events().unwrap().is_empty(),
        "nothing happened yet"
    );

    lab.cut_link("h1").unwrap();
    let e = wait_event(
        &mut mon,
        |e| matches!(e, MonitorEvent::Link(l) if l.ifindex == idx),
    );
    assert_eq!(
        e,
        MonitorEvent::Link(LinkEvent {
            ifindex: idx,
            name: "eth0".into(),
            up: false,
            removed: false,
        })
    );
    assert!(!in_ns(h1, || Netlink::new()
        .unwrap()
        .link_by_index(idx)
        .unwrap()
        .up));

    lab.restore_link("h1").unwrap();
    let e = wait_event(
        &mut mon,
        |e| matches!(e, MonitorEvent::Link(l) if l.ifindex == idx),
    );
    assert_eq!(
        e,
        MonitorEvent::Link(LinkEvent {
            ifindex: idx,
            name: "eth0".into(),
            up: true,
            removed: false,
        })
    );
}

#[test]
fn address_events_and_link_removal() {
    let Some(lab) = lab2() else { return };
    let h1 = lab.host("h1");
    let mut mon = in_ns(h1, || LinkMonitor::new().unwrap());
    let idx = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let idx = nl.link_index("eth0").unwrap();
        nl.add_address(&VirtualAddress::new(idx, ip("198.51.100.10"), 32))
            .unwrap();
        idx
    });
    let e = wait_event(&mut mon, |e| matches!(e, MonitorEvent::AddressAdded(_)));
    let MonitorEvent::AddressAdded(a) = e else {
        unreachable!()
    };
    assert_eq!(
        (a.ifindex, a.addr, a.prefix_len),
        (idx, ip("198.51.100.10"), 32)
    );

    in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        nl.del_address(&VirtualAddress::new(idx, ip("198.51.100.10"), 32))
            .unwrap();
    });
    let e = wait_event(&mut mon, |e| matches!(e, MonitorEvent::AddressRemoved(_)));
    let MonitorEvent::AddressRemoved(a) = e else {
        unreachable!()
    };
    assert_eq!(a.addr, ip("198.51.100.10"));

    // A veth pair appears, then is deleted.
    h1.run(&[
        "ip", "link", "add", "vt0", "type", "veth", "peer", "name", "vt1",
    ])
    .unwrap();
    let e = wait_event(
        &mut mon,
        |e| matches!(e, MonitorEvent::Link(l) if l.name == "vt0"),
    );
    let MonitorEvent::Link(l) = e else {
        unreachable!()
    };
    assert!(!l.up && !l.removed, "{l:?}");
    h1.run(&["ip", "link", "del", "vt0"]).unwrap();
    let e = wait_event(
        &mut mon,
        |e| matches!(e, MonitorEvent::Link(l) if l.removed),
    );
    let MonitorEvent::Link(l) = e else {
        unreachable!()
    };
    assert!(l.name.starts_with("vt") && !l.up, "{l:?}");
}

//! Topology, addresses, pings, link cuts, neighbours.

use std::time::Duration;

use vigil_lab::{lab_available, wait_until};

use super::two_hosts;

const SEC: Duration = Duration::from_secs(1);

#[test]
fn hosts_ping_each_other_v4_and_v6() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    assert!(h1.ping("198.51.100.2", 1, 2 * SEC).unwrap());
    assert!(h2.ping("198.51.100.1", 1, 2 * SEC).unwrap());
    assert!(h1.ping("2001:db8::2", 1, 2 * SEC).unwrap());
    assert!(h2.ping("2001:db8::1", 1, 2 * SEC).unwrap());
    // An address nobody has gets no reply.
    assert!(!h1.ping("198.51.100.3", 1, SEC).unwrap());
    assert!(!h1.ping("2001:db8::3", 1, SEC).unwrap());
}

#[test]
fn names_and_topology() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    let pid = std::process::id();
    assert!(
        lab.prefix().starts_with(&format!("vgl{pid}-")),
        "{}",
        lab.prefix()
    );
    assert_eq!(lab.switch_netns(), format!("{}-sw", lab.prefix()));
    let h1 = lab.host("h1");
    assert_eq!(h1.name(), "h1");
    assert_eq!(h1.netns(), format!("{}-h1", lab.prefix()));
    assert_eq!(lab.hosts().len(), 2);

    let sw = |args: &[&str]| {
        let out = std::process::Command::new("ip")
            .args(["-d", "-n", lab.switch_netns()])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let br = sw(&["link", "show", "br0"]);
    for want in [
        "state UP",
        "stp_state 0",
        "forward_delay 0",
        "mcast_snooping 0",
    ] {
        assert!(br.contains(want), "br0 lacks {want}: {br}");
    }
    for port in ["h1", "h2"] {
        let p = sw(&["link", "show", port]);
        assert!(p.contains("master br0") && p.contains("veth"), "{p}");
    }
    // Inside the host: lo and eth0 up, DAD off, addresses not tentative.
    let links = h1.run(&["ip", "-o", "link", "show"]).unwrap();
    assert!(
        links
            .lines()
            .any(|l| l.contains(" lo:") && l.contains("UP")),
        "{links}"
    );
    assert!(
        links
            .lines()
            .any(|l| l.contains(" eth0@") && l.contains("state UP")),
        "{links}"
    );
    let dad = h1
        .run(&[
            "sysctl",
            "-n",
            "net.ipv6.conf.eth0.accept_dad",
            "net.ipv6.conf.eth0.dad_transmits",
        ])
        .unwrap();
    assert_eq!(dad.split_whitespace().collect::<Vec<_>>(), ["0", "0"]);
    let v6 = h1
        .run(&["ip", "-6", "addr", "show", "dev", "eth0"])
        .unwrap();
    assert!(
        v6.contains("2001:db8::1/64") && !v6.contains("tentative"),
        "{v6}"
    );
}

#[test]
fn addresses_and_mac() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    let h1 = lab.host("h1");
    assert!(h1.has_addr("198.51.100.1").unwrap());
    assert!(h1.has_addr("198.51.100.1/24").unwrap());
    assert!(h1.has_addr("2001:db8:0:0::1").unwrap());
    assert!(h1.has_addr("127.0.0.1").unwrap());
    assert!(!h1.has_addr("198.51.100.2").unwrap());
    assert!(!h1.has_addr("2001:db8::2").unwrap());
    assert!(h1.has_addr("not-an-ip").is_err());
    // A VIP added by hand shows up.
    h1.run(&["ip", "addr", "add", "198.51.100.100/32", "dev", "eth0"])
        .unwrap();
    assert!(h1.has_addr("198.51.100.100").unwrap());

    let (m1, m2) = (h1.mac().unwrap(), lab.host("h2").mac().unwrap());
    assert_ne!(m1, m2);
    for m in [&m1, &m2] {
        assert_eq!(m.len(), 17, "{m}");
        assert!(
            m.split(':').all(|b| u8::from_str_radix(b, 16).is_ok()),
            "{m}"
        );
    }
    let link = h1.run(&["ip", "link", "show", "eth0"]).unwrap();
    assert!(link.contains(&m1), "{link}");
}

#[test]
fn cut_link_stops_traffic_and_restore_brings_it_back() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    let h1 = lab.host("h1");
    assert!(h1.ping("198.51.100.2", 1, 2 * SEC).unwrap());
    lab.cut_link("h2").unwrap();
    assert!(!h1.ping("198.51.100.2", 3, SEC).unwrap());
    assert!(!h1.ping("2001:db8::2", 3, SEC).unwrap());
    // The host side sees no carrier.
    let link = lab.host("h2").run(&["ip", "link", "show", "eth0"]).unwrap();
    assert!(link.contains("NO-CARRIER"), "{link}");
    lab.restore_link("h2").unwrap();
    assert!(wait_until(5 * SEC, || h1
        .ping("198.51.100.2", 1, SEC)
        .unwrap_or(false)));
    assert!(wait_until(5 * SEC, || h1
        .ping("2001:db8::2", 1, SEC)
        .unwrap_or(false)));
}

#[test]
fn neighbour_table_shows_peer_mac_and_flushes() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let m2 = h2.mac().unwrap();
    assert_eq!(h1.neigh_mac("198.51.100.2").unwrap(), None);
    assert!(h1.ping("198.51.100.2", 1, 2 * SEC).unwrap());
    assert!(h1.ping("2001:db8::2", 1, 2 * SEC).unwrap());
    assert_eq!(h1.neigh_mac("198.51.100.2").unwrap(), Some(m2.clone()));
    assert_eq!(h1.neigh_mac("2001:db8::2").unwrap(), Some(m2));
    // The peer learnt us too.
    assert_eq!(
        h2.neigh_mac("198.51.100.1").unwrap(),
        Some(h1.mac().unwrap())
    );
    h1.flush_neigh().unwrap();
    assert_eq!(h1.neigh_mac("198.51.100.2").unwrap(), None);
    assert_eq!(h1.neigh_mac("2001:db8::2").unwrap(), None);
    // Unanswered resolution leaves no MAC.
    assert!(!h1.ping("198.51.100.9", 1, SEC).unwrap());
    assert_eq!(h1.neigh_mac("198.51.100.9").unwrap(), None);
}

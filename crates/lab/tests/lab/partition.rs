//! Partitions with nftables on the switch.

use std::time::Duration;

use vigil_lab::{lab_available, Lab};

const SEC: Duration = Duration::from_secs(1);

fn three_hosts() -> Lab {
    let mut lab = Lab::new().unwrap();
    for i in 1..=3 {
        lab.add_host(
            &format!("h{i}"),
            &[&format!("198.51.100.{i}/24"), &format!("2001:db8::{i}/64")],
        )
        .unwrap();
    }
    lab
}

#[test]
fn partition_blocks_across_and_heal_restores() {
    if !lab_available() {
        return;
    }
    let lab = three_hosts();
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    // Nothing to heal yet: still fine.
    lab.heal().unwrap();
    lab.partition(&["h1"], &["h2", "h3"]).unwrap();
    assert!(!h1.ping("198.51.100.2", 2, SEC).unwrap());
    assert!(!h1.ping("2001:db8::3", 2, SEC).unwrap());
    assert!(!h2.ping("198.51.100.1", 2, SEC).unwrap());
    // Within one side traffic flows.
    assert!(h2.ping("198.51.100.3", 1, 2 * SEC).unwrap());
    assert!(h2.ping("2001:db8::3", 1, 2 * SEC).unwrap());
    // Links stay up.
    let link = h1.run(&["ip", "link", "show", "eth0"]).unwrap();
    assert!(!link.contains("NO-CARRIER"), "{link}");

    lab.heal().unwrap();
    assert!(h1.ping("198.51.100.2", 1, 2 * SEC).unwrap());
    assert!(h2.ping("198.51.100.1", 1, 2 * SEC).unwrap());
    assert!(h1.ping("2001:db8::3", 1, 2 * SEC).unwrap());
    lab.heal().unwrap();
}

#[test]
fn isolate_cuts_one_host_off() {
    if !lab_available() {
        return;
    }
    let lab = three_hosts();
    lab.isolate("h3").unwrap();
    assert!(!lab.host("h1").ping("198.51.100.3", 2, SEC).unwrap());
    assert!(!lab.host("h3").ping("198.51.100.2", 2, SEC).unwrap());
    assert!(lab.host("h1").ping("198.51.100.2", 1, 2 * SEC).unwrap());
    assert!(matches!(
        lab.partition(&["h1"], &["nope"]),
        Err(vigil_lab::LabError::UnknownHost(_))
    ));
    lab.heal().unwrap();
    assert!(lab.host("h1").ping("198.51.100.3", 1, 2 * SEC).unwrap());
}

#[test]
fn block_is_one_way() {
    if !lab_available() {
        return;
    }
    let lab = three_hosts();
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let m1 = h1.mac().unwrap();
    lab.block(&["h1"], &["h2"]).unwrap();
    // h2 -> h1 frames still pass: h1 hears h2's ARP request and learns h2's MAC...
    assert!(!h2.ping("198.51.100.1", 2, SEC).unwrap());
    assert!(h1.neigh_mac("198.51.100.2").unwrap().is_some());
    // ...but h1's answers never reach h2.
    assert_eq!(h2.neigh_mac("198.51.100.1").unwrap(), None);
    // h1 -> h3 is untouched.
    assert!(h1.ping("198.51.100.3", 1, 2 * SEC).unwrap());
    lab.heal().unwrap();
    assert!(h2.ping("198.51.100.1", 1, 2 * SEC).unwrap());
    assert_eq!(h2.neigh_mac("198.51.100.1").unwrap(), Some(m1));
}

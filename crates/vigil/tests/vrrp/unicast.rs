//! Unicast peers: adverts go to the peer's address only, and election and failover
//! work without any multicast.

use std::time::Duration;

use super::common::*;

fn unicast(id: &str, prio: u8, src: &str, peer: &str) -> String {
    Conf {
        unicast: Some((src.to_string(), vec![peer.to_string()])),
        ..Conf::v3(id, prio)
    }
    .render()
}

#[test]
fn unicast_election_and_failover() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (a1, a2) = ("198.51.100.1", "198.51.100.2");
    let on_h2 = Capture::start(&t, "h2", &["proto", "112"]);
    let on_h3 = Capture::start(&t, "h3", &["proto", "112"]);
    let (_d1, d2) = start_pair(
        &t,
        Impl::Vigil,
        &unicast("h1", 120, a1, a2),
        Impl::Vigil,
        &unicast("h2", 110, a2, a1),
        VIP4,
    );
    settle_client(&t, VIP4, &t.mac("h1"));
    let seen_h2 = on_h2.stop();
    let seen_h3 = on_h3.stop();
    assert!(
        seen_h2
            .iter()
            .any(|l| l.contains(&format!("{a1} > {a2}: VRRPv3")) && l.contains("prio 120")),
        "no unicast advert from h1 to h2: {seen_h2:#?}"
    );
    assert!(
        !seen_h2.iter().any(|l| l.contains("224.0.0.18")),
        "multicast advert seen: {seen_h2:#?}"
    );
    // The switch floods multicast to every port; unicast adverts never reach h3.
    assert!(seen_h3.is_empty(), "h3 saw VRRP traffic: {seen_h3:#?}");
    assert_eq!(d2.master_entries(), 0);

    t.lab.cut_link("h1").expect("cutting h1");
    let took = time_until_holds(&t, "h2", VIP4, Duration::from_secs(5));
    assert!(took <= takeover_bound(V3_INT), "takeover after {took:?}");
    expect_moved(&t, "h2", &["h1"], VIP4);
    t.lab.restore_link("h1").expect("restoring h1");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
}

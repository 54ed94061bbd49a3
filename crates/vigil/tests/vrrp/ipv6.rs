//! VRRPv3 over IPv6: election and failover with 2001:db8::100/64, seen in the client's
//! ND table and with ping -6.

use std::time::Duration;

use super::common::*;

#[test]
fn ipv6_election_and_failover() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let conf = |id: &str, prio: u8| Conf::v3(id, prio).with_vips(&["2001:db8::100/64"]).render();
    let cap = Capture::start(&t, "h3", &["proto", "112"]);
    let (c1, c2) = (conf("h1", 120), conf("h2", 110));
    let (d1, d2) = start_pair(&t, Impl::Vigil, &c1, Impl::Vigil, &c2, VIP6);
    assert!(!t.has("h1", VIP4) && !t.has("h2", VIP4));
    settle_client(&t, VIP6, &t.mac("h1"));
    let adverts = cap.stop();
    // RFC 5798 §5.1.2: from the link-local address to ff02::12, hop limit 255.
    assert!(
        adverts
            .iter()
            .any(|l| l.contains("IP6 fe80::") && l.contains("> ff02::12: VRRPv3")),
        "no IPv6 multicast advert: {adverts:#?}"
    );
    assert_eq!(d2.master_entries(), 0);

    t.lab.cut_link("h1").expect("cutting h1");
    let took = time_until_holds(&t, "h2", VIP6, Duration::from_secs(5));
    assert!(took <= takeover_bound(V3_INT), "takeover after {took:?}");
    expect_moved(&t, "h2", &["h1"], VIP6);

    t.lab.restore_link("h1").expect("restoring h1");
    expect_master(&t, "h1", &["h2"], VIP6, Duration::from_secs(5));
    assert_eq!(d1.master_entries(), 2);
}

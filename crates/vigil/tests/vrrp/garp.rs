//! keepalived's `vrrp_garp_interval`: gratuitous ARPs for a new master's address are
//! spaced by the interval on the interface, as the third host sees them.

use std::time::Duration;

use super::common::*;

/// Times (seconds) of the gratuitous ARPs for VIP4 that h3 saw.
fn garp_times(lines: &[String]) -> Vec<f64> {
    // "Request who-has VIP [(Broadcast)] tell VIP": sender and target are both the VIP.
    let (asks, tells) = (format!("who-has {VIP4} "), format!("tell {VIP4},"));
    lines
        .iter()
        .filter(|l| l.contains(&asks) && l.contains(&tells))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

fn burst(interval: Option<&str>) -> Vec<f64> {
    let t = TestLab::new();
    let cap = Capture::start(&t, "h3", &["-tt", "arp"]);
    let mut conf = Conf::v3("h1", 120)
        .global("vrrp_garp_master_repeat 4")
        .global("vrrp_garp_master_delay 0");
    if let Some(i) = interval {
        conf = conf.global(&format!("vrrp_garp_interval {i}"));
    }
    let d = start_vigil(&t, "h1", &conf.render());
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(1200));
    let times = garp_times(&cap.stop());
    drop(d);
    times
}

#[test]
fn garp_interval_spaces_the_burst() {
    if !vigil_lab::lab_available() {
        return;
    }
    let paced = burst(Some("0.2"));
    assert!(
        paced.len() >= 4,
        "expected 4 gratuitous ARPs, saw {paced:?}"
    );
    for w in paced[..4].windows(2) {
        let gap = w[1] - w[0];
        assert!(
            gap >= 0.18,
            "gratuitous ARPs {gap:.3} s apart with vrrp_garp_interval 0.2: {paced:?}"
        );
    }
    let unpaced = burst(None);
    assert!(
        unpaced.len() >= 4,
        "expected 4 gratuitous ARPs, saw {unpaced:?}"
    );
    let span = unpaced[3] - unpaced[0];
    assert!(
        span < 0.1,
        "without an interval the burst took {span:.3} s: {unpaced:?}"
    );
}

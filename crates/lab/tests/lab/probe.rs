//! The failover prober against real link cuts and address moves.

use std::thread::sleep;
use std::time::Duration;

use vigil_lab::{lab_available, Lab, Prober};

use super::two_hosts;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn cut_gap(target: &str) {
    let lab = two_hosts();
    let mac2 = lab.host("h2").mac().unwrap();
    // Resolve first so the probe does not start with ARP/ND.
    assert!(lab.host("h1").ping(target, 1, ms(2000)).unwrap());
    let probe = Prober::start(lab.host("h1"), target).unwrap();
    sleep(ms(500));
    lab.cut_link("h2").unwrap();
    sleep(ms(300));
    lab.restore_link("h2").unwrap();
    sleep(ms(700));
    let report = probe.stop().unwrap();

    let n = report.replies.len();
    assert!(n > 40, "too few replies: {n}");
    let sent = report.transmitted.expect("ping summary");
    assert!(sent as usize >= n, "{sent} sent, {n} replies");
    assert_eq!(report.macs(), vec![mac2.clone()]);
    assert_eq!(report.duplicates(), 0);
    assert_eq!(report.errors, "");
    let (before, after, gap) = report.longest_gap().expect("a gap");
    assert!(
        gap >= ms(250) && gap <= ms(1000),
        "gap {gap:?} between seq {} and {}",
        before.seq,
        after.seq
    );
    assert!(after.seq > before.seq);
    assert_eq!(before.mac.as_deref(), Some(mac2.as_str()));
    assert_eq!(after.mac.as_deref(), Some(mac2.as_str()));
    assert!(report.handover(&mac2, "02:00:00:00:00:99").is_none());
}

#[test]
fn prober_measures_link_cut_v4() {
    if !lab_available() {
        return;
    }
    cut_gap("198.51.100.2");
}

#[test]
fn prober_measures_link_cut_v6() {
    if !lab_available() {
        return;
    }
    cut_gap("2001:db8::2");
}

#[test]
fn prober_sees_address_move_between_macs() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    lab.add_host("h1", &["198.51.100.1/24"]).unwrap();
    lab.add_host("h2", &["198.51.100.2/24", "198.51.100.100/24"])
        .unwrap();
    lab.add_host("h3", &["198.51.100.3/24"]).unwrap();
    let (h1, h2, h3) = (lab.host("h1"), lab.host("h2"), lab.host("h3"));
    let (m2, m3) = (h2.mac().unwrap(), h3.mac().unwrap());
    let vip = "198.51.100.100";
    let probe = Prober::start(h1, vip).unwrap();
    sleep(ms(300));
    h2.run(&["ip", "addr", "del", "198.51.100.100/24", "dev", "eth0"])
        .unwrap();
    sleep(ms(100));
    h3.run(&["ip", "addr", "add", "198.51.100.100/24", "dev", "eth0"])
        .unwrap();
    // What a gratuitous ARP would do for h1.
    h1.flush_neigh().unwrap();
    sleep(ms(400));
    let report = probe.stop().unwrap();
    assert_eq!(report.macs(), vec![m2.clone(), m3.clone()]);
    let h = report.handover(&m2, &m3).expect("handover");
    assert!(h.first_new > h.last_old);
    assert!(
        h.gap_ms >= 90.0 && h.gap_ms < 1500.0,
        "handover gap {} ms",
        h.gap_ms
    );
    assert!((h.gap_ms - (h.first_new - h.last_old) * 1000.0).abs() < 1e-6);
    assert!(report.handover(&m3, &m2).is_none(), "never went back");
    assert_eq!(report.handover(&m2.to_uppercase(), &m3), Some(h));
}

#[test]
fn prober_reports_ping_errors() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    lab.add_host("h1", &["198.51.100.1/24"]).unwrap();
    // No route to TEST-NET-3 from h1: nothing is sent, ping says why.
    let probe = Prober::start(lab.host("h1"), "203.0.113.9").unwrap();
    sleep(ms(200));
    let report = probe.stop().unwrap();
    assert!(report.replies.is_empty());
    assert!(report.longest_gap().is_none());
    assert!(report.errors.contains("unreachable"), "{report:?}");
}

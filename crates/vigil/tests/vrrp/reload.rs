//! SIGHUP: an unchanged instance is not touched; a changed one takes the new
//! configuration; a broken configuration leaves the running one alone.

use std::time::Duration;

use vigil_lab::Prober;

use super::common::*;

const VIP_B: &str = "198.51.100.101";
const VIP_C: &str = "198.51.100.102";
/// Longest silence allowed between two of the prober's replies (sent every 10 ms). A VIP
/// that left and came back would be silent for a Master_Down_Interval (over 1 s) or
/// answer from the backup's MAC; the margin is for ping itself on a loaded machine.
const MAX_GAP: Duration = Duration::from_millis(800);

fn started(t: &TestLab, c1: &Conf, c2: &Conf) -> (Daemon, Daemon) {
    start_pair(
        t,
        Impl::Vigil,
        &c1.render(),
        Impl::Vigil,
        &c2.render(),
        VIP4,
    )
}

#[test]
fn unchanged_instance_is_not_touched() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (d1, d2) = started(&t, &Conf::v3("h1", 120), &Conf::v3("h2", 110));
    let (tr1, tr2) = (d1.transitions(), d2.transitions());
    let cap = Capture::start(&t, "h3", &["proto", "112"]);
    let probe = Prober::start(t.h("h3"), VIP4).expect("starting the prober");
    std::thread::sleep(Duration::from_millis(300));
    d1.signal(SIGHUP);
    d2.signal(SIGHUP);
    for d in [&d1, &d2] {
        assert!(
            d.wait_log(
                "reload done: 1 unchanged, 0 started",
                Duration::from_secs(5)
            ),
            "{} did not report an unchanged reload",
            d.host
        );
    }
    std::thread::sleep(Duration::from_millis(500));
    let report = probe.stop().expect("stopping the prober");
    let adverts = cap.stop();

    let mac1 = t.mac("h1");
    assert!(report.replies.len() >= 5, "too few replies: {report:?}");
    assert_eq!(report.macs(), vec![mac1], "every reply came from h1");
    let (_, _, gap) = report.longest_gap().expect("a gap between replies");
    assert!(gap < MAX_GAP, "pings stalled {gap:?}");
    assert!(
        !adverts.iter().any(|l| l.contains("prio 0,")),
        "priority 0 advert during the reload: {adverts:#?}"
    );
    assert!(
        adverts.iter().any(|l| l.contains("prio 120,")),
        "h1 kept advertising"
    );
    assert_eq!(d1.transitions(), tr1, "h1 changed state");
    assert_eq!(d2.transitions(), tr2, "h2 changed state");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(2));
}

#[test]
fn changed_addresses_take_effect() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let old = ["198.51.100.100/24", "198.51.100.101/24"];
    let new = ["198.51.100.100/24", "198.51.100.102/24"];
    let (d1, d2) = started(
        &t,
        &Conf::v3("h1", 120).with_vips(&old),
        &Conf::v3("h2", 110).with_vips(&old),
    );
    expect_master(&t, "h1", &["h2"], VIP_B, Duration::from_secs(2));
    let cap = Capture::start(&t, "h3", &["proto", "112"]);
    let probe = Prober::start(t.h("h3"), VIP4).expect("starting the prober");
    std::thread::sleep(Duration::from_millis(300));

    d1.rewrite(&Conf::v3("h1", 120).with_vips(&new).render());
    d2.rewrite(&Conf::v3("h2", 110).with_vips(&new).render());
    d1.signal(SIGHUP);
    d2.signal(SIGHUP);
    for d in [&d1, &d2] {
        assert!(
            d.wait_log(
                "reload done: 0 unchanged, 1 started",
                Duration::from_secs(5)
            ),
            "{} did not restart the changed instance",
            d.host
        );
    }
    expect_master(&t, "h1", &["h2"], VIP_C, Duration::from_secs(5));
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(2));
    assert!(
        !t.has("h1", VIP_B) && !t.has("h2", VIP_B),
        "the removed VIP stayed"
    );
    assert!(
        !t.client_ping(VIP_B, Duration::from_secs(1)),
        "the removed VIP still answers"
    );
    // The address both configs have never left h1, and h1 stayed master throughout
    // (keepalived keeps an instance's state over a reload).
    let report = probe.stop().expect("stopping the prober");
    let adverts = cap.stop();
    assert_eq!(report.macs(), vec![t.mac("h1")], "every reply came from h1");
    let (_, _, gap) = report.longest_gap().expect("a gap between replies");
    assert!(gap < MAX_GAP, "{VIP4} stalled {gap:?}");
    assert!(
        !adverts.iter().any(|l| l.contains("prio 0,")),
        "priority 0 advert during the reload: {adverts:#?}"
    );
    assert_eq!(
        d1.master_entries(),
        2,
        "h1: startup, then carried over the reload"
    );
    assert!(d1.log().contains("Initialize -> Master (Reload)"));
    assert_eq!(d2.master_entries(), 0, "h2 took over during the reload");
}

#[test]
fn lowered_master_priority_hands_over() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (d1, d2) = started(&t, &Conf::v3("h1", 120), &Conf::v3("h2", 110));
    d1.rewrite(&Conf::v3("h1", 100).render());
    d1.signal(SIGHUP);
    assert!(d1.wait_log(
        "reload done: 0 unchanged, 1 started",
        Duration::from_secs(5)
    ));
    // h1 now advertises 100 < 110: h2 (preempt) takes over, h1 yields.
    expect_master(&t, "h2", &["h1"], VIP4, Duration::from_secs(5));
    assert!(d1.log().contains("Master -> Backup (HigherPriority)"));
    assert_eq!(d2.master_entries(), 1);
}

#[test]
fn changed_priority_takes_effect() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (_d1, d2) = started(&t, &Conf::v3("h1", 120), &Conf::v3("h2", 110));
    d2.rewrite(&Conf::v3("h2", 130).render());
    d2.signal(SIGHUP);
    assert!(d2.wait_log(
        "reload done: 0 unchanged, 1 started",
        Duration::from_secs(5)
    ));
    // h2 now outranks h1 and preempts it.
    expect_master(&t, "h2", &["h1"], VIP4, Duration::from_secs(5));
    assert_eq!(d2.master_entries(), 1);
}

#[test]
fn broken_config_keeps_the_running_one() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (d1, d2) = started(&t, &Conf::v3("h1", 120), &Conf::v3("h2", 110));
    let tr1 = d1.transitions();
    d1.rewrite("vrrp_instance VI_1 {\n    interface eth0\n    priority many\n");
    d1.signal(SIGHUP);
    assert!(
        d1.wait_log("keeping the running one", Duration::from_secs(5)),
        "the broken reload was not refused"
    );
    // Longer than Master_Down_Interval: h1 still advertises, h2 stays backup.
    std::thread::sleep(Duration::from_millis(1500));
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(2));
    assert_eq!(d1.transitions(), tr1, "h1 changed state");
    assert_eq!(d2.master_entries(), 0, "h2 took over");
    assert!(d1.proc.try_wait().is_none(), "h1 exited");
}

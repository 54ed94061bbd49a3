//! Election, failover on a cut link, preempt, nopreempt and preempt_delay, all seen from
//! the client h3.

use std::time::Duration;

use vigil_lab::wait_until;

use super::common::*;

/// vigil on h1 (priority 120, master) and h2 (110, backup), `tweak` applied to both.
fn pair(t: &TestLab, tweak: impl Fn(Conf) -> Conf) -> (Daemon, Daemon) {
    let c1 = tweak(Conf::v3("h1", 120)).render();
    let c2 = tweak(Conf::v3("h2", 110)).render();
    start_pair(t, Impl::Vigil, &c1, Impl::Vigil, &c2, VIP4)
}

#[test]
fn higher_priority_becomes_master() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    // Both start at once; the election settles on h1.
    let d1 = start_vigil(&t, "h1", &Conf::v3("h1", 120).render());
    let d2 = start_vigil(&t, "h2", &Conf::v3("h2", 110).render());
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    let (tr1, tr2) = (d1.transitions(), d2.transitions());
    // Stable: no further transitions over several Master_Down_Intervals.
    std::thread::sleep(Duration::from_millis(1500));
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(2));
    assert_eq!((d1.transitions(), d2.transitions()), (tr1, tr2), "flapping");
    assert!(d1.log().contains("(VI_1) Initialize -> Backup (Startup)"));
    assert!(d1.master_entries() >= 1);
}

#[test]
fn cut_link_fails_over_and_preempt_takes_back() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (d1, d2) = pair(&t, |c| c);
    settle_client(&t, VIP4, &t.mac("h1"));

    t.lab.cut_link("h1").expect("cutting h1");
    let took = time_until_holds(&t, "h2", VIP4, Duration::from_secs(5));
    // RFC 5798 §6.1: Master_Down_Interval = 3 × advert_int + Skew_Time.
    assert!(
        took <= takeover_bound(V3_INT),
        "h2 took over after {took:?}, more than 3 x advert_int + skew + margin"
    );
    assert!(
        wait_until(Duration::from_secs(2), || !t.has("h1", VIP4)),
        "h1 (link down, FAULT) still holds the VIP"
    );
    expect_moved(&t, "h2", &["h1"], VIP4);
    assert_eq!(d2.master_entries(), 1);

    t.lab.restore_link("h1").expect("restoring h1");
    // preempt (the default): h1 takes the VIP back.
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
    assert_eq!(d1.master_entries(), 2, "h1 became master again");
}

#[test]
fn nopreempt_keeps_the_restored_node_backup() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (d1, d2) = pair(&t, |c| Conf {
        nopreempt: true,
        ..c
    });
    settle_client(&t, VIP4, &t.mac("h1"));
    t.lab.cut_link("h1").expect("cutting h1");
    time_until_holds(&t, "h2", VIP4, Duration::from_secs(5));
    expect_moved(&t, "h2", &["h1"], VIP4);

    t.lab.restore_link("h1").expect("restoring h1");
    assert!(
        d1.wait_log("-> Backup (FaultCleared)", Duration::from_secs(5)),
        "h1 did not leave FAULT"
    );
    // Many advert intervals later h2 is still master and h1 has not preempted it.
    std::thread::sleep(Duration::from_millis(1500));
    expect_master(&t, "h2", &["h1"], VIP4, Duration::from_secs(2));
    assert_eq!(d1.master_entries(), 1, "h1 (nopreempt) must not take back");
    assert_eq!(d2.master_entries(), 1);
}

#[test]
fn preempt_delay_holds_back_preemption() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (d1, _d2) = pair(&t, |c| Conf {
        preempt_delay: Some(2),
        ..c
    });
    t.lab.cut_link("h1").expect("cutting h1");
    time_until_holds(&t, "h2", VIP4, Duration::from_secs(5));
    t.lab.restore_link("h1").expect("restoring h1");
    assert!(
        d1.wait_log("-> Backup (FaultCleared)", Duration::from_secs(5)),
        "h1 did not leave FAULT"
    );
    let back = std::time::Instant::now();
    // Well inside the 2 s delay h2 still serves the VIP.
    std::thread::sleep(Duration::from_millis(1200));
    assert!(
        t.has("h2", VIP4) && !t.has("h1", VIP4),
        "h1 preempted before preempt_delay"
    );
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(6));
    let after = back.elapsed();
    assert!(
        after >= Duration::from_secs(2),
        "h1 preempted after {after:?}, before preempt_delay 2 s"
    );
}

//! Graceful stop: SIGTERM to the master sends a priority 0 advert, so the backup takes
//! over after Skew_Time instead of Master_Down_Interval.

use std::time::Duration;

use vigil_lab::wait_until;

use super::common::*;

#[test]
fn sigterm_hands_over_in_skew_time() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    // advert_int 1 s: Master_Down_Interval 3.57 s for priority 110, Skew_Time 0.57 s.
    let conf = |id: &str, prio: u8| {
        Conf {
            advert_int: "1".to_string(),
            ..Conf::v3(id, prio)
        }
        .render()
    };
    let (c1, c2) = (conf("h1", 120), conf("h2", 110));
    let (d1, d2) = start_pair(&t, Impl::Vigil, &c1, Impl::Vigil, &c2, VIP4);
    settle_client(&t, VIP4, &t.mac("h1"));
    let cap = Capture::start(&t, "h3", &["proto", "112"]);

    d1.signal(SIGTERM);
    let took = time_until_holds(&t, "h2", VIP4, Duration::from_secs(5));
    assert!(
        took < Duration::from_millis(1500),
        "h2 took over {took:?} after SIGTERM: not Skew_Time (0.57 s) but about \
         Master_Down_Interval (3.57 s)?"
    );
    let status = d1
        .proc
        .wait_timeout(Duration::from_secs(5))
        .expect("vigil did not exit on SIGTERM");
    assert!(status.success(), "vigil exited with {status}");
    assert!(!t.has("h1", VIP4), "the stopped host kept the VIP");
    expect_moved(&t, "h2", &["h1"], VIP4);
    let lines = cap.stop();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("198.51.100.1 > 224.0.0.18") && l.contains("prio 0,")),
        "no priority 0 advert from h1 in {lines:#?}"
    );
    assert_eq!(d2.master_entries(), 1);
    assert!(d2.log().contains("-> Master (PriorityZero)"), "h2's reason");
    // The pid files go away with the daemon.
    assert!(wait_until(Duration::from_secs(1), || !t
        .path("h1-vigil.pid")
        .exists()));
}

//! Tracking (keepalived.conf(5) "VRRP script", "Track files", "VRRP track processes",
//! `track_interface`): h1 (priority 120) tracks something, h2 (110) tracks nothing; the
//! tracked thing fails and the VIP moves to h2, as seen from the client h3; it recovers
//! and h1 preempts.
//!
//! `VIGIL_TEST_IMPL=keepalived` runs the same scenarios against Debian's keepalived (a
//! check of the tests themselves).

use std::time::{Duration, Instant};

use vigil_lab::wait_until;

use super::common::*;

/// The daemon under test: vigil, or keepalived with `VIGIL_TEST_IMPL=keepalived`.
pub fn under_test() -> Impl {
    match std::env::var("VIGIL_TEST_IMPL").as_deref() {
        Ok("keepalived") => Impl::Keepalived,
        _ => Impl::Vigil,
    }
}

/// A `vrrp_script NAME` block that runs `test -e FILE` every `interval` seconds.
pub fn file_check(name: &str, file: &std::path::Path, extra: &str) -> String {
    format!(
        "vrrp_script {name} {{\n    script \"/usr/bin/test -e {}\"\n    interval {V3_INT}\n    \
         {extra}\n}}",
        file.display()
    )
}

/// `track_script { NAME }` for an instance.
pub fn track_script(name: &str) -> String {
    format!("track_script {{\n        {name}\n    }}")
}

/// The daemon under test on h1 with `c1` (master) and on h2 with a plain priority 110
/// instance (backup); the client's entry settled on h1.
fn pair(t: &TestLab, c1: Conf) -> (Daemon, Daemon) {
    let k = under_test();
    let c2 = Conf::v3("h2", 110).render();
    let pair = start_pair(t, k, &c1.render(), k, &c2, VIP4);
    settle_client(t, VIP4, &t.mac("h1"));
    pair
}

/// h2 takes the VIP (h3 sees it move) and h1 lets it go.
fn expect_h2_takes_over(t: &TestLab, within: Duration) -> Duration {
    let took = time_until_holds(t, "h2", VIP4, within);
    expect_moved(t, "h2", &["h1"], VIP4);
    took
}

#[test]
fn script_weight_0_faults_the_master_and_recovers() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let ok = t.write("ok", "");
    let c1 = Conf::v3("h1", 120)
        .block(&file_check("chk", &ok, "weight 0\n    rise 1\n    fall 1"))
        .line(&track_script("chk"));
    let (d1, d2) = pair(&t, c1);

    // keepalived.conf(5): a failing weight 0 script puts the instance in FAULT.
    std::fs::remove_file(&ok).expect("removing the ok file");
    expect_h2_takes_over(&t, Duration::from_secs(5));
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Fault") == 1),
        "h1 did not enter FAULT"
    );
    assert_eq!(d2.master_entries(), 1);

    // The script succeeds again: h1 leaves FAULT and preempts (the default).
    std::fs::write(&ok, "").expect("recreating the ok file");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
    assert_eq!(d1.master_entries(), 2, "h1 became master again");
    assert_eq!(d1.entries("VI_1", "Fault"), 1);
}

#[test]
fn script_negative_weight_lowers_the_master_below_the_backup() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let ok = t.write("ok", "");
    // 120 - 30 = 90 < 110 while the script fails.
    let c1 = Conf::v3("h1", 120)
        .block(&file_check("chk", &ok, "weight -30"))
        .line(&track_script("chk"));
    let (d1, d2) = pair(&t, c1);

    std::fs::remove_file(&ok).expect("removing the ok file");
    expect_h2_takes_over(&t, Duration::from_secs(5));
    // Lower priority, not a fault: h1 is a backup.
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Backup") >= 2),
        "h1 did not go back to BACKUP"
    );
    assert_eq!(d1.entries("VI_1", "Fault"), 0, "weight -30 must not fault");
    assert_eq!(d2.master_entries(), 1);

    std::fs::write(&ok, "").expect("recreating the ok file");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
    assert_eq!(d1.master_entries(), 2);
}

#[test]
fn fall_and_rise_count_consecutive_results() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let ok = t.write("ok", "");
    let c1 = Conf::v3("h1", 120)
        .block(&file_check("chk", &ok, "weight 0\n    fall 3\n    rise 3"))
        .line(&track_script("chk"));
    let (d1, _d2) = pair(&t, c1);
    let before = d1.transitions();

    // A blip of 0.4 s sees at most two runs (0.3 s apart): fewer than `fall 3`.
    std::fs::remove_file(&ok).expect("removing the ok file");
    std::thread::sleep(Duration::from_millis(400));
    std::fs::write(&ok, "").expect("recreating the ok file");
    std::thread::sleep(Duration::from_millis(1500));
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(2));
    assert_eq!(
        d1.transitions(),
        before,
        "h1 acted on fewer than 3 failures"
    );

    // A lasting failure: three runs 0.3 s apart fail before h1 gives up, so h2 cannot
    // hold the VIP before 0.6 s.
    let start = Instant::now();
    std::fs::remove_file(&ok).expect("removing the ok file");
    time_until_holds(&t, "h2", VIP4, Duration::from_secs(6));
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(600),
        "h2 took over {took:?} after the failure began: fall 3 at 0.3 s needs 0.6 s"
    );
    assert!(
        took <= Duration::from_secs_f64(3.0 * V3_INT) + takeover_bound(V3_INT),
        "h2 took over only after {took:?}"
    );
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Fault") == 1),
        "h1 did not enter FAULT"
    );

    // Likewise three successes are needed before h1 leaves FAULT.
    let start = Instant::now();
    std::fs::write(&ok, "").expect("recreating the ok file");
    assert!(
        wait_until(Duration::from_secs(6), || t.has("h1", VIP4)),
        "h1 did not take back"
    );
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(600),
        "h1 left FAULT {took:?} after the recovery: rise 3 at 0.3 s needs 0.6 s"
    );
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
}

/// Processes whose command line is exactly `argv`.
fn count_procs(argv: &[&str]) -> usize {
    let want: Vec<u8> = argv
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    std::fs::read_dir("/proc")
        .map(|d| {
            d.flatten()
                .filter(|e| std::fs::read(e.path().join("cmdline")).is_ok_and(|c| c == want))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn hanging_script_times_out_as_a_failure_and_the_daemon_stays_responsive() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    const VIP_B: &str = "198.51.100.101";
    let ok = t.write("ok", "");
    // A unique argument, so this test's sleeps can be counted in /proc.
    let nap = format!("100.{}", std::process::id());
    let script = t.script(
        "hang.sh",
        &format!("[ -e {} ] && exit 0\nexec /bin/sleep {nap}", ok.display()),
    );
    let hang = format!(
        "vrrp_script hang {{\n    script \"{script}\"\n    interval 1\n    timeout 1\n    \
         weight 0\n}}"
    );
    // VI_1 tracks the script; VI_2 (VRID 52) in the same daemon tracks nothing.
    let vi2 = |c: Conf| Conf {
        name: "VI_2".into(),
        vrid: 52,
        ..c.with_vips(&[&format!("{VIP_B}/24")])
    };
    let c1 = Conf::v3("h1", 120).block(&hang).line(&track_script("hang"));
    let c1 = format!(
        "{}\n{}",
        c1.render(),
        vi2(Conf::v3("h1", 120)).instance_block()
    );
    let c2 = Conf::v3("h2", 110);
    let c2 = format!(
        "{}\n{}",
        c2.render(),
        vi2(Conf::v3("h2", 110)).instance_block()
    );
    let k = under_test();
    let (d1, d2) = start_pair(&t, k, &c1, k, &c2, VIP4);
    expect_master(&t, "h1", &["h2"], VIP_B, Duration::from_secs(5));

    // From now on the script hangs past its 1 s timeout: a failure, VI_1 goes FAULT.
    std::fs::remove_file(&ok).expect("removing the ok file");
    expect_master(&t, "h2", &["h1"], VIP4, Duration::from_secs(8));
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Fault") >= 1),
        "h1's VI_1 did not enter FAULT"
    );
    // Over several more hanging runs VI_2 stays on h1: h1's adverts keep flowing and
    // h2's VI_2 never becomes master.
    std::thread::sleep(Duration::from_secs(4));
    expect_master(&t, "h1", &["h2"], VIP_B, Duration::from_secs(2));
    expect_master(&t, "h2", &["h1"], VIP4, Duration::from_secs(2));
    assert_eq!(d2.entries("VI_2", "Master"), 0, "h2 took VI_2 spuriously");
    assert_eq!(d1.entries("VI_2", "Master"), 1, "h1's VI_2 flapped");
    assert_eq!(d1.entries("VI_1", "Master"), 1);
    // Timed-out scripts are killed, not left to pile up.
    let hung = count_procs(&["/bin/sleep", &nap]);
    assert!(hung <= 2, "{hung} hanging scripts still run");
}

#[test]
fn track_file_value_times_weight_changes_priority() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let file = t.write("prio", "0\n");
    let block = format!(
        "track_file prio {{\n    file \"{}\"\n    weight 1\n}}",
        file.display()
    );
    let c1 = Conf::v3("h1", 120)
        .block(&block)
        .line("track_file {\n        prio\n    }");
    let (d1, d2) = pair(&t, c1);

    // 120 + (-50 × 1) = 70 < 110.
    std::fs::write(&file, "-50\n").expect("writing the tracked file");
    expect_h2_takes_over(&t, Duration::from_secs(5));
    assert_eq!(
        d1.entries("VI_1", "Fault"),
        0,
        "a weighted file must not fault"
    );
    assert_eq!(d2.master_entries(), 1);

    // 120 - 5 = 115 > 110: h1 preempts.
    std::fs::write(&file, "-5\n").expect("writing the tracked file");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
    assert_eq!(d1.master_entries(), 2);
}

#[test]
fn track_interface_down_faults_the_instance() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let h1 = t.h("h1");
    // A second interface in h1: a veth pair (this kernel has no dummy driver).
    h1.run(&[
        "ip", "link", "add", "trk0", "type", "veth", "peer", "name", "trk1",
    ])
    .expect("adding trk0");
    for dev in ["trk0", "trk1"] {
        h1.run(&["ip", "link", "set", dev, "up"])
            .expect("setting a link up");
    }
    let c1 = Conf::v3("h1", 120).line("track_interface {\n        trk0\n    }");
    let (d1, _d2) = pair(&t, c1);

    h1.run(&["ip", "link", "set", "trk0", "down"])
        .expect("setting trk0 down");
    expect_h2_takes_over(&t, Duration::from_secs(5));
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Fault") == 1),
        "h1 did not enter FAULT"
    );

    h1.run(&["ip", "link", "set", "trk0", "up"])
        .expect("setting trk0 up");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(5));
    assert_eq!(d1.master_entries(), 2);
}

#[test]
fn track_process_presence_decides_the_fault() {
    if !vigil_lab::lab_available() {
        return;
    }
    if under_test() == Impl::Keepalived {
        // keepalived 2.2.7 needs the process connector, which a network namespace refuses
        // (errno 111), and has no /proc fallback: it stays in FAULT.
        eprintln!("SKIP: keepalived cannot track processes in a network namespace");
        return;
    }
    let t = TestLab::new();
    // A process name of our own (15 characters at most, /proc/PID/status Name:).
    let name = format!("vs{}", std::process::id() % 10_000_000);
    let exe = t.path(&name);
    std::fs::copy("/bin/sleep", &exe).expect("copying sleep");
    let exe = exe.to_string_lossy().into_owned();
    let run = || {
        t.h("h1")
            .spawn(&[&exe, "1000"])
            .expect("starting the process")
    };
    let block = format!("vrrp_track_process proc {{\n    process {name}\n    weight 0\n}}");
    let p = run();
    let c1 = Conf::v3("h1", 120)
        .block(&block)
        .line("track_process {\n        proc\n    }");
    let (d1, _d2) = pair(&t, c1);

    p.kill().expect("killing the tracked process");
    // Without the process connector (network namespace) vigil scans /proc each second.
    expect_h2_takes_over(&t, Duration::from_secs(6));
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Fault") == 1),
        "h1 did not enter FAULT"
    );

    let _p = run();
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(6));
    assert_eq!(d1.master_entries(), 2);
}

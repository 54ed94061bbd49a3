//! The vrrp_script state machine with simulated time.

use std::time::{Duration, Instant};

use vigil_track::{Outcome, ScriptCommand, ScriptExit, ScriptSpec, ScriptStatus, ScriptTracker};

fn spec(rise: u32, fall: u32) -> ScriptSpec {
    let mut s = ScriptSpec::new("chk", vec!["/bin/true".into()]);
    s.rise = rise;
    s.fall = fall;
    s
}

fn exit(outcome: Outcome) -> ScriptExit {
    ScriptExit {
        id: 0,
        outcome,
        timed_out: false,
        runtime: Duration::ZERO,
    }
}

const OK: Outcome = Outcome::Exited(0);
const FAIL: Outcome = Outcome::Exited(1);

/// Runs one full cycle at `t`: expects a Run, feeds `outcome`.
fn cycle(tr: &mut ScriptTracker, t: Instant, outcome: Outcome) -> Option<ScriptStatus> {
    tr.handle_timeout(t);
    assert!(matches!(tr.poll_command(), Some(ScriptCommand::Run { .. })));
    assert_eq!(tr.poll_command(), None);
    tr.on_exit(t, &exit(outcome))
}

#[test]
fn first_run_is_immediate_and_periodic_start_to_start() {
    let t0 = Instant::now();
    let mut tr = ScriptTracker::new(&spec(1, 1), t0);
    assert_eq!(tr.poll_timeout(), Some(t0));
    tr.handle_timeout(t0);
    assert_eq!(
        tr.poll_command(),
        Some(ScriptCommand::Run {
            deadline: t0 + Duration::from_secs(1)
        })
    );
    // Exits after 300 ms: next run still at t0 + 1 s (start to start).
    tr.on_exit(t0 + Duration::from_millis(300), &exit(OK));
    assert_eq!(tr.poll_timeout(), Some(t0 + Duration::from_secs(1)));
    tr.handle_timeout(t0 + Duration::from_millis(999));
    assert_eq!(tr.poll_command(), None);
}

#[test]
fn first_result_decides_from_init() {
    let t = Instant::now();
    let mut a = ScriptTracker::new(&spec(3, 3), t);
    assert_eq!(a.status(), ScriptStatus::Init);
    assert_eq!(cycle(&mut a, t, OK), Some(ScriptStatus::Good));
    let mut b = ScriptTracker::new(&spec(3, 3), t);
    assert_eq!(cycle(&mut b, t, FAIL), Some(ScriptStatus::Bad));
}

#[test]
fn rise_and_fall_counts() {
    let t0 = Instant::now();
    let mut tr = ScriptTracker::new(&spec(3, 2), t0);
    let mut t = t0;
    let mut step = |tr: &mut ScriptTracker, o| {
        let r = cycle(tr, t, o);
        t += Duration::from_secs(1);
        r
    };
    assert_eq!(step(&mut tr, FAIL), Some(ScriptStatus::Bad));
    assert_eq!(step(&mut tr, OK), None);
    assert_eq!(step(&mut tr, OK), None);
    // A failure in between restarts the rise count.
    assert_eq!(step(&mut tr, FAIL), None);
    assert_eq!(step(&mut tr, OK), None);
    assert_eq!(step(&mut tr, OK), None);
    assert_eq!(step(&mut tr, OK), Some(ScriptStatus::Good));
    assert_eq!(step(&mut tr, FAIL), None);
    // A success in between restarts the fall count.
    assert_eq!(step(&mut tr, OK), None);
    assert_eq!(step(&mut tr, FAIL), None);
    assert_eq!(step(&mut tr, FAIL), Some(ScriptStatus::Bad));
    assert_eq!(tr.status(), ScriptStatus::Bad);
}

#[test]
fn init_fail_starts_bad_and_needs_rise() {
    let t = Instant::now();
    let mut s = spec(2, 1);
    s.init_fail = true;
    let mut tr = ScriptTracker::new(&s, t);
    assert_eq!(tr.status(), ScriptStatus::Bad);
    assert_eq!(cycle(&mut tr, t, OK), None);
    assert_eq!(
        cycle(&mut tr, t + Duration::from_secs(1), OK),
        Some(ScriptStatus::Good)
    );
}

#[test]
fn timeout_kills_and_counts_as_failure() {
    let t0 = Instant::now();
    let mut s = spec(1, 1);
    s.interval = Duration::from_secs(5);
    s.timeout = Some(Duration::from_secs(2));
    let mut tr = ScriptTracker::new(&s, t0);
    tr.handle_timeout(t0);
    assert_eq!(
        tr.poll_command(),
        Some(ScriptCommand::Run {
            deadline: t0 + Duration::from_secs(2)
        })
    );
    assert_eq!(tr.poll_timeout(), Some(t0 + Duration::from_secs(2)));
    tr.handle_timeout(t0 + Duration::from_secs(2));
    assert_eq!(tr.poll_command(), Some(ScriptCommand::Kill));
    assert_eq!(tr.poll_command(), None);
    // The killed process is reaped: whatever its status, a timeout fails.
    let r = tr.on_exit(t0 + Duration::from_secs(2), &exit(Outcome::Signaled(9)));
    assert_eq!(r, Some(ScriptStatus::Bad));
    assert_eq!(tr.counters().timeouts, 1);
    assert_eq!(tr.counters().failures, 1);
}

#[test]
fn timeout_defaults_to_interval() {
    let t0 = Instant::now();
    let mut s = spec(1, 1);
    s.interval = Duration::from_millis(1500);
    let mut tr = ScriptTracker::new(&s, t0);
    tr.handle_timeout(t0);
    assert_eq!(
        tr.poll_command(),
        Some(ScriptCommand::Run {
            deadline: t0 + Duration::from_millis(1500)
        })
    );
}

#[test]
fn overlapping_run_is_skipped() {
    let t0 = Instant::now();
    let mut s = spec(1, 1);
    s.timeout = Some(Duration::from_secs(10));
    let mut tr = ScriptTracker::new(&s, t0);
    tr.handle_timeout(t0);
    assert!(matches!(tr.poll_command(), Some(ScriptCommand::Run { .. })));
    tr.handle_timeout(t0 + Duration::from_secs(1));
    assert_eq!(tr.poll_command(), None);
    assert_eq!(tr.counters().skipped, 1);
    tr.on_exit(t0 + Duration::from_millis(1500), &exit(OK));
    tr.handle_timeout(t0 + Duration::from_secs(2));
    assert!(matches!(tr.poll_command(), Some(ScriptCommand::Run { .. })));
    assert_eq!(tr.counters().runs, 2);
}

#[test]
fn nonzero_signal_and_spawn_failure_fail() {
    for o in [
        Outcome::Exited(2),
        Outcome::Signaled(15),
        Outcome::SpawnFailed,
    ] {
        let t = Instant::now();
        let mut tr = ScriptTracker::new(&spec(1, 1), t);
        assert_eq!(cycle(&mut tr, t, OK), Some(ScriptStatus::Good));
        assert_eq!(
            cycle(&mut tr, t + Duration::from_secs(1), o),
            Some(ScriptStatus::Bad),
            "{o:?}"
        );
    }
}

#[test]
fn stalled_loop_does_not_burst() {
    let t0 = Instant::now();
    let mut tr = ScriptTracker::new(&spec(1, 1), t0);
    cycle(&mut tr, t0, OK);
    // The loop wakes 10 s late: one run, next one interval later.
    let late = t0 + Duration::from_secs(10);
    cycle(&mut tr, late, OK);
    assert_eq!(tr.poll_timeout(), Some(late + Duration::from_secs(1)));
}

#[test]
fn validate_rejects_bad_specs() {
    let mut s = spec(0, 1);
    assert!(s.validate().is_err());
    s.rise = 1;
    s.argv.clear();
    assert!(s.validate().is_err());
    let ok = spec(1, 1);
    assert!(ok.validate().is_ok());
}

//! The script runner with real processes.

use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use vigil_track::{
    ChildWaker, Credentials, Outcome, ScriptCommand, ScriptExit, ScriptRunner, ScriptSpec,
    ScriptStatus, ScriptTracker,
};

use crate::common::{wait_readable, TempDir};

fn argv(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Polls `runner` (woken by SIGCHLD) until `n` exits arrived or `limit` passed.
fn collect(
    runner: &mut ScriptRunner,
    waker: &ChildWaker,
    n: usize,
    limit: Duration,
) -> Vec<ScriptExit> {
    let end = Instant::now() + limit;
    let mut out = Vec::new();
    loop {
        waker.drain();
        out.extend(runner.poll(Instant::now()));
        if out.len() >= n || Instant::now() >= end {
            return out;
        }
        let until = runner.next_deadline().map_or(end, |d| d.min(end));
        let until = until.min(Instant::now() + Duration::from_millis(200));
        wait_readable(Some(waker.as_fd()), until);
    }
}

#[test]
fn true_and_false() {
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let now = Instant::now();
    assert!(r.spawn(
        now,
        1,
        &argv(&["true"]),
        None,
        Some(now + Duration::from_secs(5))
    ));
    assert!(r.spawn(
        now,
        2,
        &argv(&["false"]),
        None,
        Some(now + Duration::from_secs(5))
    ));
    let mut ex = collect(&mut r, &waker, 2, Duration::from_secs(5));
    ex.sort_by_key(|e| e.id);
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].outcome, Outcome::Exited(0));
    assert_eq!(ex[1].outcome, Outcome::Exited(1));
    assert!(!ex[0].timed_out && !ex[1].timed_out);
    let st = r.stats();
    assert_eq!((st.spawned, st.exited_ok, st.exited_fail), (2, 1, 1));
    assert_eq!(r.running(), 0);
}

#[test]
fn hanging_script_is_killed_at_its_timeout() {
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let start = Instant::now();
    let deadline = start + Duration::from_millis(300);
    assert!(r.spawn(start, 7, &argv(&["sleep", "100"]), None, Some(deadline)));
    assert_eq!(r.next_deadline(), Some(deadline));
    let ex = collect(&mut r, &waker, 1, Duration::from_secs(5));
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].id, 7);
    assert!(ex[0].timed_out);
    assert_eq!(ex[0].outcome, Outcome::Signaled(9));
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert_eq!(r.stats().timeouts, 1);
    assert_eq!(r.stats().kills, 1);
}

#[test]
fn flooding_script_does_not_block_and_is_killed() {
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let start = Instant::now();
    // `yes` writes as fast as it can; with stdout on /dev/null nothing fills up.
    assert!(r.spawn(
        start,
        1,
        &argv(&["yes"]),
        None,
        Some(start + Duration::from_millis(400))
    ));
    let ex = collect(&mut r, &waker, 1, Duration::from_secs(5));
    assert_eq!(ex.len(), 1);
    assert!(ex[0].timed_out);
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn kill_reaches_the_whole_process_group() {
    let dir = TempDir::new();
    let pidfile = dir.0.join("pid");
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let start = Instant::now();
    let script = format!("sleep 100 & echo $! > {}; wait", pidfile.display());
    assert!(r.spawn(
        start,
        1,
        &argv(&["sh", "-c", &script]),
        None,
        Some(start + Duration::from_millis(500))
    ));
    let ex = collect(&mut r, &waker, 1, Duration::from_secs(5));
    assert!(ex[0].timed_out);
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The grandchild got SIGKILL too: gone, or a zombie awaiting its reaper.
    let end = Instant::now() + Duration::from_secs(2);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"));
        match stat {
            Err(_) => break,
            Ok(s)
                if s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z') =>
            {
                break
            }
            Ok(s) => assert!(Instant::now() < end, "grandchild still alive: {s}"),
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn death_by_signal_is_a_failure() {
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let t0 = Instant::now();
    let mut tr = ScriptTracker::new(
        &ScriptSpec::new("sig", argv(&["sh", "-c", "kill -TERM $$"])),
        t0,
    );
    tr.handle_timeout(t0);
    let Some(ScriptCommand::Run { deadline }) = tr.poll_command() else {
        panic!("no run")
    };
    assert!(r.spawn(
        t0,
        0,
        &argv(&["sh", "-c", "kill -TERM $$"]),
        None,
        Some(deadline)
    ));
    let ex = collect(&mut r, &waker, 1, Duration::from_secs(5));
    assert_eq!(ex[0].outcome, Outcome::Signaled(15));
    assert!(!ex[0].timed_out);
    assert_eq!(tr.on_exit(Instant::now(), &ex[0]), Some(ScriptStatus::Bad));
    assert_eq!(r.stats().signaled, 1);
}

#[test]
fn spawn_failure_is_reported_once() {
    let mut r = ScriptRunner::new();
    let now = Instant::now();
    assert!(!r.spawn(now, 3, &argv(&["/nonexistent/vigil-script"]), None, None));
    let ex = r.poll(now);
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].outcome, Outcome::SpawnFailed);
    assert!(r.poll(now).is_empty());
    assert_eq!(r.stats().spawn_failures, 1);
}

#[test]
fn busy_id_is_refused() {
    let mut r = ScriptRunner::new();
    let now = Instant::now();
    assert!(r.spawn(now, 1, &argv(&["sleep", "5"]), None, None));
    assert!(!r.spawn(now, 1, &argv(&["true"]), None, None));
    assert_eq!(r.stats().busy, 1);
    assert!(r.kill(now, 1));
    assert!(!r.kill(now, 1));
}

#[test]
fn runs_as_configured_user() {
    let creds = Credentials::resolve("nobody", None).expect("user nobody");
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let now = Instant::now();
    let check = format!(
        "test \"$(id -u)\" = {} && test \"$(id -g)\" = {}",
        creds.uid, creds.gid
    );
    assert!(r.spawn(now, 1, &argv(&["sh", "-c", &check]), Some(creds), None));
    let ex = collect(&mut r, &waker, 1, Duration::from_secs(5));
    assert_eq!(ex[0].outcome, Outcome::Exited(0));
    assert!(Credentials::resolve("no-such-user-vigil", None).is_err());
    assert!(Credentials::resolve("nobody", Some("no-such-group-vigil")).is_err());
}

/// 200 scripts at a 1 s interval for 3 s: every script starts on schedule
/// (t = 0, 1, 2, 3 s), nothing is skipped, the loop never falls behind.
#[test]
fn two_hundred_scripts_keep_up() {
    const N: usize = 200;
    let waker = ChildWaker::new().unwrap();
    let mut runner = ScriptRunner::new();
    let t0 = Instant::now();
    let spec = ScriptSpec::new("t", argv(&["true"]));
    let mut trackers: Vec<ScriptTracker> = (0..N).map(|_| ScriptTracker::new(&spec, t0)).collect();
    let end = t0 + Duration::from_millis(3500);
    let mut max_late = Duration::ZERO;
    loop {
        let now = Instant::now();
        waker.drain();
        for ex in runner.poll(now) {
            trackers[ex.id].on_exit(now, &ex);
        }
        for (id, tr) in trackers.iter_mut().enumerate() {
            if tr.poll_timeout().is_some_and(|t| t <= now) {
                let due = tr.poll_timeout().unwrap();
                tr.handle_timeout(now);
                while let Some(cmd) = tr.poll_command() {
                    match cmd {
                        ScriptCommand::Run { deadline } => {
                            max_late = max_late.max(now - due);
                            runner.spawn(now, id, &spec.argv, None, Some(deadline));
                        }
                        ScriptCommand::Kill => {
                            runner.kill(now, id);
                        }
                    }
                }
            }
        }
        if now >= end && runner.running() == 0 {
            break;
        }
        let next = trackers
            .iter()
            .filter_map(|t| t.poll_timeout())
            .chain(runner.next_deadline())
            .min()
            .unwrap();
        let next = if now >= end {
            now + Duration::from_millis(20)
        } else {
            next.min(end)
        };
        wait_readable(Some(waker.as_fd()), next);
        assert!(t0.elapsed() < Duration::from_secs(10), "runaway loop");
    }
    for tr in &trackers {
        let c = tr.counters();
        assert_eq!(c.runs, 4, "runs at 0, 1, 2, 3 s");
        assert_eq!(c.skipped, 0);
        assert_eq!(c.timeouts, 0);
        assert_eq!(tr.status(), ScriptStatus::Good);
    }
    assert_eq!(runner.stats().spawned, 4 * N as u64);
    assert!(
        max_late < Duration::from_millis(300),
        "started {max_late:?} late"
    );
}

/// The tracker's own timeout (Kill command) reaches the process through
/// `ScriptRunner::kill` and the run counts as a timed-out failure.
#[test]
fn tracker_kill_command_ends_a_hung_run() {
    let waker = ChildWaker::new().unwrap();
    let mut r = ScriptRunner::new();
    let t0 = Instant::now();
    let mut spec = ScriptSpec::new("hang", argv(&["sleep", "100"]));
    spec.timeout = Some(Duration::from_millis(200));
    let mut tr = ScriptTracker::new(&spec, t0);
    tr.handle_timeout(t0);
    assert!(matches!(tr.poll_command(), Some(ScriptCommand::Run { .. })));
    // No runner deadline: only the tracker's Kill ends it.
    assert!(r.spawn(t0, 0, &spec.argv, None, None));
    let kill_at = tr.poll_timeout().unwrap();
    assert_eq!(kill_at, t0 + Duration::from_millis(200));
    std::thread::sleep(kill_at.saturating_duration_since(Instant::now()));
    tr.handle_timeout(Instant::now());
    assert_eq!(tr.poll_command(), Some(ScriptCommand::Kill));
    assert!(r.kill(Instant::now(), 0));
    let ex = collect(&mut r, &waker, 1, Duration::from_secs(5));
    assert_eq!(ex[0].outcome, Outcome::Signaled(9));
    assert!(!ex[0].timed_out, "the runner itself had no deadline");
    assert_eq!(tr.on_exit(Instant::now(), &ex[0]), Some(ScriptStatus::Bad));
    assert_eq!(tr.counters().timeouts, 1);
    assert_eq!(r.stats().kills, 1);
    assert_eq!(r.stats().timeouts, 0);
}

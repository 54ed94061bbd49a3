//! track_process: pure core (matching, quorum, delays), connector message
//! parsing, and the monitor with real processes.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use vigil_track::cn_proc::{parse_datagram, ProcEvent};
use vigil_track::{
    MonitorMode, ParamMatch, ProcInfo, ProcessChange, ProcessCore, ProcessMonitor, ProcessSpec,
};

use crate::common::{is_root, unique, wait_readable, TempDir};

fn comm(name: &str) -> ProcInfo {
    ProcInfo {
        comm: name.as_bytes().to_vec(),
        cmdline: None,
    }
}

fn cmd(args: &[&str]) -> ProcInfo {
    let mut c = Vec::new();
    for a in args {
        c.extend_from_slice(a.as_bytes());
        c.push(0);
    }
    ProcInfo {
        comm: args[0].rsplit('/').next().unwrap().as_bytes().to_vec(),
        cmdline: Some(c),
    }
}

fn changes(core: &mut ProcessCore) -> Vec<(usize, bool)> {
    std::iter::from_fn(|| core.poll_change())
        .map(|c| (c.index, c.up))
        .collect()
}

#[test]
fn name_match_is_exact() {
    let t = Instant::now();
    let mut core = ProcessCore::new(&[ProcessSpec::new("p", "ssh")]);
    core.on_exec(t, 10, Some(&comm("sshd")));
    assert_eq!(core.count(0), 0);
    core.on_exec(t, 11, Some(&comm("ssh")));
    assert_eq!(core.count(0), 1);
    assert_eq!(changes(&mut core), vec![(0, true)]);
    // Re-exec of the same process does not double count.
    core.on_exec(t, 11, Some(&comm("ssh")));
    assert_eq!(core.count(0), 1);
    // Exec into something else drops it.
    core.on_exec(t, 11, Some(&comm("bash")));
    assert_eq!(changes(&mut core), vec![(0, false)]);
}

/// (param_match, params, process, expected match)
type ParamCase<'a> = (
    Option<ParamMatch>,
    Option<&'a [&'a str]>,
    &'a ProcInfo,
    bool,
);

#[test]
fn parameter_matching() {
    let mk = |m: Option<ParamMatch>, params: Option<&[&str]>| {
        let mut s = ProcessSpec::new("p", "/usr/sbin/haproxy");
        s.param_match = m;
        s.params = params.map(|p| p.iter().map(|x| x.to_string()).collect());
        ProcessCore::new(&[s])
    };
    let proc_ = cmd(&["/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg"]);
    let no_args = cmd(&["/usr/sbin/haproxy"]);
    let cases: &[ParamCase] = &[
        (None, Some(&["-f", "/etc/haproxy.cfg"]), &proc_, true), // exact by default
        (None, Some(&["-f"]), &proc_, false),
        (Some(ParamMatch::Partial), Some(&["-f"]), &proc_, true),
        (
            Some(ParamMatch::Partial),
            Some(&["-f", "/etc/hap"]),
            &proc_,
            false,
        ),
        (
            Some(ParamMatch::Initial),
            Some(&["-f", "/etc/hap"]),
            &proc_,
            true,
        ),
        (Some(ParamMatch::Initial), Some(&["-x"]), &proc_, false),
        (Some(ParamMatch::Exact), None, &proc_, false), // must have no parameters
        (Some(ParamMatch::Exact), None, &no_args, true),
        (Some(ParamMatch::Partial), None, &proc_, true),
    ];
    for (i, (m, p, info, want)) in cases.iter().enumerate() {
        let mut core = mk(*m, *p);
        core.on_exec(Instant::now(), 100, Some(info));
        assert_eq!(core.count(0) == 1, *want, "case {i}");
    }
    // full_command compares argv[0], not the name.
    let mut s = ProcessSpec::new("p", "/usr/sbin/haproxy");
    s.full_command = true;
    let mut core = ProcessCore::new(&[s]);
    core.on_exec(Instant::now(), 1, Some(&comm("haproxy")));
    assert_eq!(core.count(0), 0);
    core.on_exec(Instant::now(), 1, Some(&proc_));
    assert_eq!(core.count(0), 1);
}

#[test]
fn quorum_and_quorum_max() {
    let t = Instant::now();
    let mut s = ProcessSpec::new("p", "w");
    s.quorum = 2;
    s.quorum_max = 3;
    let mut core = ProcessCore::new(&[s]);
    for pid in 1..=4 {
        core.on_exec(t, pid, Some(&comm("w")));
    }
    // 1: down, 2: up, 3: up, 4: down (too many).
    assert_eq!(changes(&mut core), vec![(0, true), (0, false)]);
    core.on_exit(t, 4);
    assert_eq!(changes(&mut core), vec![(0, true)]);
    core.on_exit(t, 3);
    core.on_exit(t, 2);
    assert_eq!(changes(&mut core), vec![(0, false)]);
    assert_eq!(core.count(0), 1);
}

#[test]
fn fork_inherits_and_fork_delay_waits() {
    let t0 = Instant::now();
    let mut s = ProcessSpec::new("p", "w");
    s.quorum = 2;
    s.fork_delay = Duration::from_millis(500);
    let mut core = ProcessCore::new(&[s]);
    core.on_exec(t0, 1, Some(&comm("w")));
    core.on_fork(t0, 1, 2);
    assert_eq!(core.count(0), 2);
    assert!(changes(&mut core).is_empty(), "delayed");
    assert_eq!(core.poll_timeout(), Some(t0 + Duration::from_millis(500)));
    core.handle_timeout(t0 + Duration::from_millis(499));
    assert!(changes(&mut core).is_empty());
    core.handle_timeout(t0 + Duration::from_millis(500));
    assert_eq!(changes(&mut core), vec![(0, true)]);
    // A fork of an untracked parent is ignored.
    core.on_fork(t0, 99, 100);
    assert_eq!(core.count(0), 2);
}

#[test]
fn fork_then_quick_exit_reports_nothing() {
    let t0 = Instant::now();
    let mut s = ProcessSpec::new("p", "w");
    s.quorum = 2;
    s.fork_delay = Duration::from_secs(1);
    let mut core = ProcessCore::new(&[s]);
    core.on_exec(t0, 1, Some(&comm("w")));
    core.on_fork(t0, 1, 2);
    core.on_exit(t0 + Duration::from_millis(100), 2);
    core.handle_timeout(t0 + Duration::from_secs(2));
    assert!(changes(&mut core).is_empty());
    assert_eq!(core.poll_timeout(), None);
}

#[test]
fn terminate_delay_rides_out_a_restart() {
    let t0 = Instant::now();
    let mut s = ProcessSpec::new("p", "w");
    s.set_delay(Duration::from_secs(2));
    let mut core = ProcessCore::new(&[s]);
    core.reset(t0, [(1, &comm("w"))], true);
    assert!(core.is_up(0));
    assert!(
        changes(&mut core).is_empty(),
        "initial state is not a change"
    );
    core.on_exit(t0, 1);
    assert!(changes(&mut core).is_empty());
    // Restarted within the delay: never reported down.
    core.on_exec(t0 + Duration::from_secs(1), 5, Some(&comm("w")));
    core.handle_timeout(t0 + Duration::from_secs(3));
    assert!(changes(&mut core).is_empty());
    assert!(core.is_up(0));
    // Gone for good: down after the delay.
    core.on_exit(t0 + Duration::from_secs(4), 5);
    core.handle_timeout(t0 + Duration::from_secs(5));
    assert!(changes(&mut core).is_empty());
    core.handle_timeout(t0 + Duration::from_secs(6));
    assert_eq!(changes(&mut core), vec![(0, false)]);
}

#[test]
fn comm_change_moves_a_process() {
    let t = Instant::now();
    let mut core = ProcessCore::new(&[
        ProcessSpec::new("a", "firefox"),
        ProcessSpec::new("b", "Web Content"),
    ]);
    core.on_exec(t, 7, Some(&comm("firefox")));
    core.on_comm(t, 7, b"Web Content");
    assert_eq!((core.count(0), core.count(1)), (0, 1));
    assert_eq!(changes(&mut core), vec![(0, true), (0, false), (1, true)]);
}

#[test]
fn resync_reports_differences() {
    let t = Instant::now();
    let mut core = ProcessCore::new(&[ProcessSpec::new("a", "x"), ProcessSpec::new("b", "y")]);
    core.reset(t, [(1, &comm("x"))], true);
    core.reset(t, [(2, &comm("y"))], false);
    assert_eq!(changes(&mut core), vec![(0, false), (1, true)]);
}

// ---- connector messages ----

fn nlmsg(payload: &[u8]) -> Vec<u8> {
    let len = 16 + payload.len();
    let mut m = Vec::new();
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&3u16.to_ne_bytes());
    m.extend_from_slice(&[0; 10]);
    m.extend_from_slice(payload);
    while m.len() % 4 != 0 {
        m.push(0);
    }
    m
}

fn cn_event(what: u32, data: &[i32], extra: &[u8]) -> Vec<u8> {
    let mut ev = Vec::new();
    ev.extend_from_slice(&what.to_ne_bytes());
    ev.extend_from_slice(&0u32.to_ne_bytes());
    ev.extend_from_slice(&0u64.to_ne_bytes());
    for d in data {
        ev.extend_from_slice(&d.to_ne_bytes());
    }
    ev.extend_from_slice(extra);
    let mut cn = Vec::new();
    for v in [1u32, 1, 0, 0] {
        cn.extend_from_slice(&v.to_ne_bytes());
    }
    cn.extend_from_slice(&(ev.len() as u16).to_ne_bytes());
    cn.extend_from_slice(&0u16.to_ne_bytes());
    cn.extend_from_slice(&ev);
    nlmsg(&cn)
}

#[test]
fn parses_connector_events() {
    let mut dgram = cn_event(1, &[10, 10, 11, 11], &[]);
    dgram.extend(cn_event(2, &[11, 11], &[]));
    let mut name = [0u8; 16];
    name[..4].copy_from_slice(b"abcd");
    dgram.extend(cn_event(0x200, &[11, 11], &name));
    dgram.extend(cn_event(0x8000_0000, &[11, 11, 0, 17], &[]));
    dgram.extend(cn_event(0x4, &[11, 11, 0, 0], &[]));
    let mut out = Vec::new();
    parse_datagram(&dgram, &mut out).unwrap();
    assert_eq!(
        out,
        vec![
            ProcEvent::Fork {
                parent_tgid: 10,
                child_pid: 11,
                child_tgid: 11
            },
            ProcEvent::Exec { pid: 11, tgid: 11 },
            ProcEvent::Comm {
                pid: 11,
                tgid: 11,
                comm: name
            },
            ProcEvent::Exit { pid: 11, tgid: 11 },
            ProcEvent::Other(4),
        ]
    );
    assert_eq!(ProcEvent::comm_name(&name), b"abcd");
}

#[test]
fn malformed_connector_messages_are_errors() {
    let good = cn_event(2, &[5, 5], &[]);
    let mut out = Vec::new();
    // Truncated anywhere: an error, never a panic; earlier events kept.
    for cut in 1..good.len() {
        out.clear();
        let mut d = cn_event(2, &[1, 1], &[]);
        let first = d.len();
        d.extend_from_slice(&good[..cut]);
        let r = parse_datagram(&d, &mut out);
        assert!(r.is_err() || d.len() == first, "cut {cut}");
        assert_eq!(
            out.first(),
            Some(&ProcEvent::Exec { pid: 1, tgid: 1 }),
            "cut {cut}"
        );
    }
    // A netlink length shorter than the header.
    let mut bad = good.clone();
    bad[..4].copy_from_slice(&8u32.to_ne_bytes());
    assert!(parse_datagram(&bad, &mut out).is_err());
    // A connector length past the end.
    let mut bad = good;
    bad[16 + 16..16 + 18].copy_from_slice(&500u16.to_ne_bytes());
    assert!(parse_datagram(&bad, &mut out).is_err());
}

proptest! {
    #[test]
    fn parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut out = Vec::new();
        let _ = parse_datagram(&bytes, &mut out);
    }
}

// ---- real processes ----

/// `sleep` with a unique duration argument, so it matches only our spec.
fn unique_sleep() -> (ProcessSpec, String) {
    let arg = format!("30.{}", unique());
    let mut s = ProcessSpec::new("sleep", "sleep");
    s.params = Some(vec![arg.clone()]);
    s.full_command = true;
    (s, arg)
}

fn spawn_sleep(arg: &str) -> Child {
    Command::new("sleep")
        .arg(arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Drives the monitor until a change arrives or `limit` passes.
fn next_change(m: &mut ProcessMonitor, limit: Duration) -> Option<ProcessChange> {
    let end = Instant::now() + limit;
    loop {
        if let Some(c) = m.poll_change() {
            return Some(c);
        }
        let now = Instant::now();
        if now >= end {
            return None;
        }
        let until = m.poll_timeout().map_or(end, |t| t.min(end));
        if wait_readable(m.fd(), until) {
            m.handle_readable(Instant::now()).unwrap();
        }
        m.handle_timeout(Instant::now());
    }
}

fn kill(mut c: Child) {
    c.kill().unwrap();
    c.wait().unwrap();
}

#[test]
fn connector_sees_a_process_come_and_go() {
    assert!(
        is_root(),
        "the process connector needs root; run the tests as root"
    );
    let (spec, arg) = unique_sleep();
    let mut m = ProcessMonitor::new(&[spec], Instant::now(), Duration::from_millis(100)).unwrap();
    assert_eq!(
        m.mode(),
        MonitorMode::Connector,
        "fallback: {:?}",
        m.fallback_reason()
    );
    assert!(!m.core().is_up(0));
    let child = spawn_sleep(&arg);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("appear");
    assert_eq!((c.index, c.up, c.count), (0, true, 1));
    kill(child);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("disappear");
    assert_eq!((c.up, c.count), (false, 0));
    assert_eq!(m.connector_stats().malformed, 0);
}

#[test]
fn connector_quorum_of_two() {
    assert!(
        is_root(),
        "the process connector needs root; run the tests as root"
    );
    let (mut spec, arg) = unique_sleep();
    spec.quorum = 2;
    let mut m = ProcessMonitor::new(&[spec], Instant::now(), Duration::from_millis(100)).unwrap();
    assert_eq!(m.mode(), MonitorMode::Connector);
    let a = spawn_sleep(&arg);
    assert_eq!(
        next_change(&mut m, Duration::from_millis(500)),
        None,
        "one is not a quorum"
    );
    assert_eq!(m.core().count(0), 1);
    let b = spawn_sleep(&arg);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("quorum");
    assert_eq!((c.up, c.count), (true, 2));
    kill(a);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("lost");
    assert_eq!((c.up, c.count), (false, 1));
    kill(b);
}

#[test]
fn initial_scan_counts_running_processes_by_name() {
    // A copy of `sleep` under a unique name: matched on /proc/PID/comm.
    let dir = TempDir::new();
    let name = format!("vgs{}", unique());
    let name = &name[..name.len().min(15)];
    let bin = dir.0.join(name);
    std::fs::copy("/bin/sleep", &bin).unwrap();
    let child = Command::new(&bin).arg("30").spawn().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let spec = ProcessSpec::new("c", name);
    let mut m = ProcessMonitor::new(&[spec], Instant::now(), Duration::from_millis(100)).unwrap();
    assert!(m.core().is_up(0));
    assert_eq!(m.core().count(0), 1);
    kill(child);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("gone");
    assert!(!c.up);
}

#[test]
fn scan_fallback_sees_a_process_come_and_go() {
    let (spec, arg) = unique_sleep();
    let mut m =
        ProcessMonitor::scanning(&[spec], Instant::now(), Duration::from_millis(50)).unwrap();
    assert_eq!(m.mode(), MonitorMode::Scan(Duration::from_millis(50)));
    assert!(m.fd().is_none());
    let child = spawn_sleep(&arg);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("appear");
    assert!(c.up);
    kill(child);
    let c = next_change(&mut m, Duration::from_secs(5)).expect("disappear");
    assert!(!c.up);
}

//! Drop removes everything; stale labs of dead processes are swept.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use vigil_lab::{lab_available, sweep_stale, wait_until, Lab};

use super::{netns_list, two_hosts};

const SEC: Duration = Duration::from_secs(1);

#[test]
fn drop_kills_processes_and_deletes_namespaces() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    let names = [
        lab.switch_netns().to_owned(),
        lab.host("h1").netns().to_owned(),
        lab.host("h2").netns().to_owned(),
    ];
    let listed = netns_list();
    for n in &names {
        assert!(listed.contains(n), "{n} missing from {listed:?}");
    }
    // One process through spawn (its Proc outlives the lab), one started by hand.
    let tracked = lab.host("h1").spawn(&["sleep", "1000"]).unwrap();
    let mut untracked = lab
        .host("h2")
        .command("sleep")
        .arg("1000")
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let untracked_pid = untracked.id();
    drop(lab);

    let listed = netns_list();
    for n in &names {
        assert!(!listed.contains(n), "{n} still in {listed:?}");
    }
    // The tracked child was killed and reaped by the lab.
    let st = tracked.try_wait().expect("tracked process killed");
    assert!(!st.success());
    // The untracked one was killed through `ip netns pids`.
    let mut status = None;
    assert!(wait_until(5 * SEC, || {
        status = untracked.try_wait().unwrap();
        status.is_some()
    }));
    assert!(!status.unwrap().success());
    assert!(!Path::new(&format!("/proc/{untracked_pid}/cmdline")).exists());
}

#[test]
fn stale_lab_of_dead_pid_is_swept() {
    if !lab_available() {
        return;
    }
    // Above PID_MAX_LIMIT (2^22), so surely not alive; unique per test process.
    let dead = 5_000_000 + std::process::id();
    let stale = [format!("vgl{dead}-0-sw"), format!("vgl{dead}-0-h1")];
    for ns in &stale {
        let st = Command::new("ip")
            .args(["netns", "add", ns])
            .status()
            .unwrap();
        assert!(st.success(), "ip netns add {ns}");
    }
    // Something still running inside a stale namespace gets killed.
    let mut inside = Command::new("ip")
        .args(["netns", "exec", &stale[1], "sleep", "1000"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_until(5 * SEC, || {
        Command::new("ip")
            .args(["netns", "pids", &stale[1]])
            .output()
            .is_ok_and(|o| !o.stdout.is_empty())
    }));
    // A namespace of a live process (ours) is left alone.
    let live = Lab::new().unwrap();

    // Lab::new sweeps; another test's sweep may have beaten it, so check the result.
    let second = Lab::new().unwrap();
    let listed = netns_list();
    for ns in &stale {
        assert!(!listed.contains(ns), "{ns} not swept: {listed:?}");
    }
    assert!(listed.contains(&live.switch_netns().to_owned()));
    assert!(listed.contains(&second.switch_netns().to_owned()));
    let mut status = None;
    assert!(wait_until(5 * SEC, || {
        status = inside.try_wait().unwrap();
        status.is_some()
    }));
    assert!(!status.unwrap().success(), "sleep was killed");
    // Nothing of ours is ever swept.
    assert!(sweep_stale()
        .iter()
        .all(|n| !n.starts_with(&format!("vgl{}-", std::process::id()))));
}

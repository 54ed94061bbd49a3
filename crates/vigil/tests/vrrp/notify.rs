//! Notify scripts get keepalived's arguments: `notify` is called with
//! `INSTANCE VI_1 STATE PRIORITY`, `notify_master` runs on becoming master. Checked
//! against Debian's keepalived running the same scripts.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use vigil_lab::wait_until;

use super::common::*;

/// Runs `kind` alone on h1 (priority 120) with notify scripts until it is master, then
/// stops it; returns the lines the `notify` script got and whether `notify_master` ran.
fn notify_run(t: &TestLab, kind: Impl) -> (Vec<String>, bool) {
    let tag = format!("{kind:?}");
    let log = t.path(&format!("{tag}-notify.log"));
    let mlog = t.path(&format!("{tag}-master.log"));
    let script = |name: &str, body: String| {
        let p = t.write(&format!("{tag}-{name}.sh"), &format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
            .expect("chmod a script");
        p.to_string_lossy().into_owned()
    };
    let notify = script("notify", format!("echo \"$@\" >> {}", log.display()));
    let master = script("master", format!("echo \"$@\" >> {}", mlog.display()));
    let conf = Conf {
        notify: Some(notify),
        notify_master: Some(master),
        ..Conf::v3("h1", 120)
    };
    let d = start_impl(t, kind, "h1", &conf.render());
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    assert!(
        wait_until(Duration::from_secs(10), || read(&log).contains("MASTER")),
        "{kind:?}: notify never got MASTER: {:?}",
        read(&log)
    );
    assert!(
        wait_until(Duration::from_secs(2), || mlog.exists()),
        "{kind:?}: notify_master did not run"
    );
    d.signal(SIGTERM);
    assert!(
        d.proc.wait_timeout(Duration::from_secs(5)).is_some(),
        "{kind:?} did not stop"
    );
    // Scripts run asynchronously: wait for the line of the stop.
    wait_until(Duration::from_secs(2), || read(&log).contains("STOP"));
    std::thread::sleep(Duration::from_millis(200));
    let lines = read(&log).lines().map(str::to_string).collect();
    (lines, mlog.exists())
}

#[test]
fn notify_scripts_get_keepalived_arguments() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (vigil, vigil_master_ran) = notify_run(&t, Impl::Vigil);
    assert!(vigil_master_ran, "notify_master did not run");
    // keepalived.conf(5): notify gets INSTANCE, the name, the state and the priority.
    assert_eq!(
        vigil,
        [
            "INSTANCE VI_1 BACKUP 120",
            "INSTANCE VI_1 MASTER 120",
            "INSTANCE VI_1 STOP 120"
        ]
    );
    let (keepalived, _) = notify_run(&t, Impl::Keepalived);
    assert_eq!(
        vigil, keepalived,
        "vigil's notify calls differ from keepalived's"
    );
}

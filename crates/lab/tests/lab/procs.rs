//! Background processes: output capture, signals, exit, kill on drop.

use std::path::Path;
use std::time::Duration;

use vigil_lab::{lab_available, wait_until, Lab, LabError};

const SEC: Duration = Duration::from_secs(1);

#[test]
fn spawn_captures_output_and_takes_signals() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    lab.add_host("h1", &["198.51.100.1/24"]).unwrap();
    let h1 = lab.host("h1");
    let p = h1
        .spawn(&[
            "sh",
            "-c",
            "echo started; echo oops >&2; ip -o addr show dev eth0; exec sleep 1000",
        ])
        .unwrap();
    assert!(p.wait_output("198.51.100.1/24", 5 * SEC));
    assert!(p.wait_output("oops", SEC), "stderr is searched too");
    assert!(!p.wait_output("never printed", Duration::from_millis(50)));
    assert!(p.stdout().unwrap().starts_with("started\n"));
    assert_eq!(p.stderr().unwrap(), "oops\n");
    assert!(p.wait_timeout(Duration::from_millis(50)).is_none());
    assert!(p.try_wait().is_none());
    p.signal(15).unwrap();
    let st = p.wait_timeout(5 * SEC).expect("exited on SIGTERM");
    assert!(!st.success());
    assert!(matches!(p.signal(15), Err(LabError::Exited { .. })));
}

#[test]
fn exit_status_and_drop_kills() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    lab.add_host("h1", &[]).unwrap();
    let h1 = lab.host("h1");
    let quick = h1.spawn(&["sh", "-c", "exit 7"]).unwrap();
    let st = quick.wait_timeout(5 * SEC).unwrap();
    // Exited without printing: no need to wait out the timeout.
    let t = std::time::Instant::now();
    assert!(!quick.wait_output("x", 10 * SEC));
    assert!(t.elapsed() < SEC);
    assert_eq!(st.code(), Some(7));

    let long = h1.spawn(&["sleep", "1000"]).unwrap();
    let pid = long.pid();
    let proc_dir = format!("/proc/{pid}");
    // `ip netns exec` execs the program in place: the pid becomes `sleep`.
    assert!(wait_until(5 * SEC, || std::fs::read_to_string(format!(
        "{proc_dir}/comm"
    ))
    .is_ok_and(|c| c.trim() == "sleep")));
    drop(long);
    assert!(!Path::new(&proc_dir).exists(), "killed and reaped on drop");

    // A lot of output does not block the process.
    let loud = h1
        .spawn(&["sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x"])
        .unwrap();
    assert!(loud.wait_timeout(10 * SEC).unwrap().success());
    assert_eq!(loud.stdout().unwrap().len(), 1_000_000);
}

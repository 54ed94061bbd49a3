//! keepalived's command line: `-t` exit codes, `--signum`, `-v`, and going to the
//! background without `-n`. Exit codes and outputs are compared with Debian's keepalived.

use std::process::Command;
use std::time::Duration;

use vigil_lab::wait_until;

use super::common::*;

const VIGIL: &str = env!("CARGO_BIN_EXE_vigil");

fn vigil(args: &[&str]) -> std::process::Output {
    Command::new(VIGIL)
        .arg("keepalived")
        .args(args)
        .output()
        .expect("running vigil")
}

fn keepalived(args: &[&str]) -> std::process::Output {
    Command::new(KEEPALIVED)
        .args(args)
        .output()
        .expect("running keepalived")
}

#[test]
fn config_test_exit_codes() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let good = t.write("good.conf", &Conf::v3("h1", 120).render());
    let bad = t.write(
        "bad.conf",
        "vrrp_instance VI_1 {\n    interface eth0\n    priority many\n",
    );
    for (conf, code) in [(&good, 0), (&bad, 5)] {
        let arg = format!("-f{}", conf.display());
        let v = vigil(&["-t", &arg]);
        assert_eq!(v.status.code(), Some(code), "vigil -t {}", conf.display());
        let k = keepalived(&["-t", &arg]);
        assert_eq!(
            k.status.code(),
            Some(code),
            "keepalived -t {}",
            conf.display()
        );
    }
    let v = vigil(&["-t", &format!("-f{}", bad.display())]);
    let err = String::from_utf8_lossy(&v.stderr);
    assert!(err.contains("bad.conf:3"), "located diagnostic: {err}");
}

#[test]
fn signum_and_version() {
    if !vigil_lab::lab_available() {
        return;
    }
    for func in ["RELOAD", "STOP", "DATA", "STATS"] {
        let arg = format!("--signum={func}");
        let v = vigil(&[&arg]);
        let k = keepalived(&[&arg]);
        assert!(v.status.success());
        assert_eq!(
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&k.stdout),
            "--signum={func}"
        );
    }
    assert_eq!(
        String::from_utf8_lossy(&vigil(&["--signum=RELOAD"]).stdout),
        "1\n"
    );
    let v = vigil(&["-v"]);
    assert!(v.status.success());
    let text = String::from_utf8_lossy(&v.stderr);
    assert!(text.contains("vigil keepalived"), "-v printed {text:?}");
}

#[test]
fn daemonizes_without_dont_fork() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let conf = t.write("d.conf", &Conf::v3("h1", 120).render());
    let pid = t.path("d.pid");
    let vpid = t.path("d-vrrp.pid");
    let status = t
        .h("h1")
        .command(VIGIL)
        .args(["keepalived", "--log-console", "-f"])
        .arg(&conf)
        .arg("-p")
        .arg(&pid)
        .arg("-r")
        .arg(&vpid)
        .status()
        .expect("running vigil");
    assert!(status.success(), "the foreground part exited with {status}");
    assert!(
        wait_until(Duration::from_secs(5), || pid.exists() && vpid.exists()),
        "no pid files"
    );
    let read_pid = |p: &std::path::Path| -> u32 {
        std::fs::read_to_string(p)
            .expect("reading a pid file")
            .trim()
            .parse()
            .expect("a pid")
    };
    let n = read_pid(&pid);
    assert_eq!(read_pid(&vpid), n, "one process, one pid");
    let cmdline = std::fs::read(format!("/proc/{n}/cmdline")).expect("the daemon runs");
    assert!(String::from_utf8_lossy(&cmdline).contains("keepalived"));
    // The background daemon is the VRRP router.
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    Command::new("kill")
        .args(["-TERM", &n.to_string()])
        .status()
        .expect("kill");
    assert!(
        wait_until(Duration::from_secs(5), || !pid.exists()
            && !t.has("h1", VIP4)),
        "the daemon did not stop cleanly"
    );
}

//! `lab_available` without root: skips locally, fails in CI.

use std::process::Command;

use vigil_lab::lab_available;

/// This test binary re-run as user nobody on one lab test.
fn as_nobody(ci: Option<&str>) -> (bool, String) {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .arg(exe)
        .args(["--exact", "lab::basics::names_and_topology", "--nocapture"])
        .env_remove("CI");
    if let Some(v) = ci {
        cmd.env("CI", v);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn without_root_skips_or_fails_in_ci() {
    if !lab_available() {
        return;
    }
    let (ok, text) = as_nobody(None);
    assert!(ok, "{text}");
    assert!(
        text.contains("SKIP: lab tests need root (effective uid is 65534)"),
        "{text}"
    );
    for ci in ["true", "1"] {
        let (ok, text) = as_nobody(Some(ci));
        assert!(!ok, "CI={ci}: {text}");
        assert!(
            text.contains("lab tests must run in CI but cannot: lab tests need root"),
            "{text}"
        );
    }
}

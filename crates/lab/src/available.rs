//! Whether this machine and user can run lab tests.

use std::sync::OnceLock;

use crate::cmd::{ip, ip_in};
use crate::lab::next_prefix;

/// The outcome of the one-time check, shared by every caller in the process.
static STATE: OnceLock<Result<(), String>> = OnceLock::new();

/// Lab tests call this first. Returns true if the lab can run (root and a
/// working `ip netns`). If it cannot: with `CI=true` (or `CI=1`) in the
/// environment it panics with the reason, since CI must run lab tests;
/// otherwise it prints `SKIP: <reason>` to stderr and returns false.
pub fn lab_available() -> bool {
    match STATE.get_or_init(check) {
        Ok(()) => true,
        Err(reason) => {
            let ci = std::env::var("CI")
                .map(|v| v.eq_ignore_ascii_case("true") || v == "1")
                .unwrap_or(false);
            if ci {
                panic!("lab tests must run in CI but cannot: {reason}");
            }
            eprintln!("SKIP: {reason}");
            false
        }
    }
}

/// Root check, then a throw-away namespace made and deleted.
fn check() -> Result<(), String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("cannot read /proc/self/status: {e}"))?;
    let euid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .ok_or("no Uid line in /proc/self/status")?;
    if euid != "0" {
        return Err(format!("lab tests need root (effective uid is {euid})"));
    }
    let ns = format!("{}-chk", next_prefix());
    ip(&["netns", "add", &ns]).map_err(|e| format!("network namespaces unusable: {e}"))?;
    let up = ip_in(&ns, &["link", "set", "lo", "up"]);
    let del = ip(&["netns", "del", &ns]);
    up.map_err(|e| format!("cannot configure a namespace: {e}"))?;
    del.map_err(|e| format!("cannot delete a namespace: {e}"))?;
    Ok(())
}

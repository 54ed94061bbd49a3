//! Running the external tools (`ip`, `sysctl`, `kill`, `nft`) that build the lab.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::LabError;

/// The command line of `cmd` as one string, for error messages.
pub(crate) fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `cmd` to completion with stdin closed and returns its stdout.
/// A non-zero exit becomes [`LabError::Failed`] carrying stderr.
pub(crate) fn output(cmd: &mut Command) -> Result<String, LabError> {
    let desc = describe(cmd);
    cmd.stdin(Stdio::null());
    let out = cmd.output().map_err(|source| LabError::Spawn {
        cmd: desc.clone(),
        source,
    })?;
    finish(desc, out)
}

/// Runs `cmd` with `input` on its stdin and returns its stdout.
pub(crate) fn output_with_input(cmd: &mut Command, input: &str) -> Result<String, LabError> {
    let desc = describe(cmd);
    let spawn_err = |source| LabError::Spawn {
        cmd: desc.clone(),
        source,
    };
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(spawn_err)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A write error shows up as the tool's own failure below.
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().map_err(spawn_err)?;
    finish(desc, out)
}

/// Stdout on success, [`LabError::Failed`] with stderr otherwise.
fn finish(desc: String, out: Output) -> Result<String, LabError> {
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(LabError::Failed {
            cmd: desc,
            status: out.status.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// `ip ARGS...` in the root namespace (use `-n NS` to reach into a namespace).
pub(crate) fn ip(args: &[&str]) -> Result<String, LabError> {
    output(Command::new("ip").args(args))
}

/// `ip -n NS ARGS...`.
pub(crate) fn ip_in(netns: &str, args: &[&str]) -> Result<String, LabError> {
    output(Command::new("ip").arg("-n").arg(netns).args(args))
}

/// A `Command` running `program` inside `netns` (`ip netns exec NS program`).
pub(crate) fn in_netns(netns: &str, program: &str) -> Command {
    let mut c = Command::new("ip");
    c.args(["netns", "exec", netns, program]);
    c
}

/// `sysctl -q -w k=v ...` inside `netns`.
pub(crate) fn sysctl_in(netns: &str, settings: &[&str]) -> Result<(), LabError> {
    output(in_netns(netns, "sysctl").arg("-q").arg("-w").args(settings)).map(drop)
}

/// Sends SIGKILL to every process in `netns`; errors are ignored (cleanup path).
pub(crate) fn kill_netns_pids(netns: &str) {
    let Ok(pids) = ip(&["netns", "pids", netns]) else {
        return;
    };
    let me = std::process::id().to_string();
    let pids: Vec<&str> = pids
        .split_whitespace()
        .filter(|p| *p != me && p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    if !pids.is_empty() {
        let _ = output(Command::new("kill").arg("-9").args(&pids));
    }
}

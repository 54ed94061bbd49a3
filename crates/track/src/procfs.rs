//! Reading processes from `/proc`: the initial scan of `track_process` and
//! the per-event lookup after an exec.

use std::fs;
use std::io::Read;
use std::path::Path;

use crate::process::ProcInfo;

/// Longest command line read (argv\[0\] and parameters are compared within it).
const CMDLINE_MAX: usize = 64 * 1024;

/// Reads at most `max` bytes of a file.
fn read_bounded(path: &Path, max: usize) -> Option<Vec<u8>> {
    let f = fs::File::open(path).ok()?;
    let mut buf = Vec::new();
    f.take(max as u64).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Name and state from `/proc/PID/stat`: `pid (comm) S ...`. The name may
/// itself contain parentheses, so the last `)` ends it.
pub fn parse_stat(stat: &[u8]) -> Option<(&[u8], u8)> {
    let open = stat.iter().position(|&b| b == b'(')?;
    let close = stat.iter().rposition(|&b| b == b')')?;
    if close <= open {
        return None;
    }
    let state = *stat.get(close + 2)?;
    Some((&stat[open + 1..close], state))
}

/// Reads `pid`'s name and, with `cmdline`, its command line. `None` when
/// the process is gone or is a zombie (keepalived does not count zombies).
pub fn read_proc(root: &Path, pid: i32, cmdline: bool) -> Option<ProcInfo> {
    let dir = root.join(pid.to_string());
    let stat = read_bounded(&dir.join("stat"), 4096)?;
    let (comm, state) = parse_stat(&stat)?;
    if state == b'Z' || state == b'X' {
        return None;
    }
    let comm = comm.to_vec();
    let cmdline = if cmdline {
        Some(read_bounded(&dir.join("cmdline"), CMDLINE_MAX)?)
    } else {
        None
    };
    Some(ProcInfo { comm, cmdline })
}

/// Every live process under `root` (normally `/proc`).
pub fn scan(root: &Path, cmdline: bool) -> Vec<(i32, ProcInfo)> {
    let Ok(dir) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ent in dir.flatten() {
        let name = ent.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid <= 0 {
            continue;
        }
        if let Some(info) = read_proc(root, pid, cmdline) {
            out.push((pid, info));
        }
    }
    out
}

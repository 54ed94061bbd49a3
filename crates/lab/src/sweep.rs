//! Removal of labs left behind by processes that died without dropping them.

use std::path::Path;

use crate::cmd::{ip, kill_netns_pids};

/// The pid embedded in a lab name `vgl<pid>-...`, if `name` is one.
pub(crate) fn lab_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("vgl")?;
    let (pid, tail) = rest.split_once('-')?;
    if tail.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process with this pid exists.
fn alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Deletes every `vgl<pid>-...` namespace (after killing what runs inside) and
/// every captured-output file whose `<pid>` is no longer alive.
/// Returns the namespaces removed. Best effort: errors are ignored, since a
/// concurrent sweeper may remove the same namespace first.
pub fn sweep_stale() -> Vec<String> {
    let mut removed = Vec::new();
    if let Ok(list) = ip(&["netns", "list"]) {
        for line in list.lines() {
            let Some(name) = line.split_whitespace().next() else {
                continue;
            };
            match lab_pid(name) {
                Some(pid) if !alive(pid) => {
                    kill_netns_pids(name);
                    if ip(&["netns", "del", name]).is_ok() {
                        removed.push(name.to_owned());
                    }
                }
                _ => {}
            }
        }
    }
    if let Ok(dir) = std::fs::read_dir(std::env::temp_dir()) {
        for entry in dir.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let captured = name.ends_with(".out") || name.ends_with(".err");
            if captured && lab_pid(&name).is_some_and(|p| !alive(p)) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::lab_pid;

    #[test]
    fn parses_lab_names() {
        assert_eq!(lab_pid("vgl123-0-sw"), Some(123));
        assert_eq!(lab_pid("vgl9-17-h1"), Some(9));
        assert_eq!(lab_pid("vgl-1-sw"), None);
        assert_eq!(lab_pid("vgl12"), None);
        assert_eq!(lab_pid("vgl12-"), None);
        assert_eq!(lab_pid("vglx-0-sw"), None);
        assert_eq!(lab_pid("other-0-sw"), None);
        assert_eq!(lab_pid("vgl99999999999-0-sw"), None);
    }
}

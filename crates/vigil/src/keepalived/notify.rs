//! Notify scripts and the notify FIFO, with keepalived's arguments and line format.
//!
//! keepalived.conf(5): `notify_master`, `notify_backup`, `notify_fault`, `notify_stop`
//! run as configured; `notify` runs after them with four more arguments:
//! `INSTANCE|GROUP`, the name, the target state in upper case, and the priority. The
//! FIFO gets the same four words as one line (`INSTANCE "VI_1" MASTER 100`).

use std::io::Write;
use std::process::{Child, Command, Stdio};

use tracing::{debug, warn};
use vigil_kaconf::config::Script;

use super::spec::Scripts;
use super::status::{notify_fifo_line, FifoEvent, InstanceEvent, VrrpState};

/// A state as notify scripts and the FIFO name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyState {
    /// MASTER.
    Master,
    /// BACKUP.
    Backup,
    /// FAULT.
    Fault,
    /// STOP.
    Stop,
}

impl NotifyState {
    /// The word keepalived uses.
    pub fn word(self) -> &'static str {
        match self {
            NotifyState::Master => "MASTER",
            NotifyState::Backup => "BACKUP",
            NotifyState::Fault => "FAULT",
            NotifyState::Stop => "STOP",
        }
    }
}

/// Runs scripts and keeps their children until they are reaped.
#[derive(Debug, Default)]
pub struct Notifier {
    children: Vec<Child>,
    fifo: Option<std::fs::File>,
    /// Scripts started so far.
    pub started: u64,
    /// Scripts that could not be started.
    pub failed: u64,
}

impl Notifier {
    /// Opens the notify FIFO (global `notify_fifo` / `vrrp_notify_fifo`), if configured.
    /// keepalived creates the FIFO if it does not exist.
    pub fn with_fifo(path: Option<&std::path::Path>) -> Notifier {
        let mut n = Notifier::default();
        if let Some(p) = path {
            if !p.exists() {
                let _ = nix::unistd::mkfifo(p, nix::sys::stat::Mode::from_bits_truncate(0o600));
            }
            // Read-write so that opening never blocks and writes never get EPIPE when no
            // reader is attached yet.
            match std::fs::OpenOptions::new().read(true).write(true).open(p) {
                Ok(f) => n.fifo = Some(f),
                Err(e) => warn!("notify fifo {}: {e}", p.display()),
            }
        }
        n
    }

    /// Tells the world an instance entered `state`: the state's script, then `notify`
    /// with its four arguments, then the FIFO line.
    pub fn instance_state(
        &mut self,
        name: &str,
        scripts: &Scripts,
        state: NotifyState,
        priority: u8,
    ) {
        let specific = match state {
            NotifyState::Master => &scripts.master,
            NotifyState::Backup => &scripts.backup,
            NotifyState::Fault => &scripts.fault,
            NotifyState::Stop => &scripts.stop,
        };
        if let Some(s) = specific {
            self.spawn(s, &[]);
        }
        let extra = [
            "INSTANCE".to_string(),
            name.to_string(),
            state.word().to_string(),
            priority.to_string(),
        ];
        if let Some(s) = &scripts.any {
            self.spawn(s, &extra);
        }
        let state = match state {
            NotifyState::Master => VrrpState::Master,
            NotifyState::Backup => VrrpState::Backup,
            NotifyState::Fault => VrrpState::Fault,
            NotifyState::Stop => VrrpState::Stop,
        };
        self.fifo_line(&FifoEvent::Instance {
            name,
            event: InstanceEvent::State(state),
            priority,
        });
    }

    /// Tells the world a sync group entered `state` (`MASTER`, `BACKUP`, `FAULT`): the
    /// state's script, then `notify` with `GROUP <name> <STATE> 0`, then the FIFO line.
    pub fn group_state(&mut self, name: &str, scripts: &Scripts, state: &str) {
        let specific = match state {
            "MASTER" => &scripts.master,
            "BACKUP" => &scripts.backup,
            "FAULT" => &scripts.fault,
            "STOP" => &scripts.stop,
            _ => &None,
        };
        if let Some(s) = specific {
            self.spawn(s, &[]);
        }
        let extra = [
            "GROUP".to_string(),
            name.to_string(),
            state.to_string(),
            "0".to_string(),
        ];
        if let Some(s) = &scripts.any {
            self.spawn(s, &extra);
        }
        let state = match state {
            "MASTER" => VrrpState::Master,
            "BACKUP" => VrrpState::Backup,
            "FAULT" => VrrpState::Fault,
            _ => VrrpState::Stop,
        };
        self.fifo_line(&FifoEvent::Group { name, state });
    }

    fn fifo_line(&mut self, ev: &FifoEvent<'_>) {
        let (Some(f), Some(line)) = (&mut self.fifo, notify_fifo_line(ev)) else {
            return;
        };
        if let Err(e) = f.write_all(line.as_bytes()) {
            warn!("notify fifo: {e}");
        }
    }

    fn spawn(&mut self, script: &Script, extra: &[String]) {
        let Some((prog, args)) = script.argv.split_first() else {
            return;
        };
        let mut cmd = Command::new(prog);
        cmd.args(args)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(user) = &script.user {
            match nix::unistd::User::from_name(user) {
                Ok(Some(u)) => {
                    use std::os::unix::process::CommandExt;
                    cmd.uid(u.uid.as_raw());
                    let gid = script
                        .group
                        .as_deref()
                        .and_then(|g| nix::unistd::Group::from_name(g).ok().flatten())
                        .map(|g| g.gid)
                        .unwrap_or(u.gid);
                    cmd.gid(gid.as_raw());
                }
                _ => {
                    warn!("script {prog}: unknown user {user}; not run");
                    self.failed += 1;
                    return;
                }
            }
        }
        match cmd.spawn() {
            Ok(child) => {
                debug!("started script {prog} (pid {})", child.id());
                self.started += 1;
                self.children.push(child);
            }
            Err(e) => {
                warn!("script {prog}: {e}");
                self.failed += 1;
            }
        }
    }

    /// Reaps finished scripts (called on SIGCHLD and periodically).
    pub fn reap(&mut self) {
        self.children
            .retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_)) | Err(_)));
    }
}

//! Process-level chores of a daemon: logging, pid files, going to the background.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::cli::KeepalivedArgs;

/// Default pid file of the parent, as keepalived's.
pub const DEFAULT_PID: &str = "/run/keepalived.pid";
/// Default pid file of the VRRP process, as keepalived's.
pub const DEFAULT_VRRP_PID: &str = "/run/keepalived_vrrp.pid";

/// Sets up `tracing`: to the log file (`-g`) when given, else to stderr. keepalived logs to
/// syslog by default; vigil writes to stderr, which systemd's journal collects.
pub fn init_logging(args: &KeepalivedArgs) -> anyhow::Result<()> {
    use tracing_subscriber::EnvFilter;
    let default = if args.log_detail {
        "debug,netlink_packet_route=off,netlink_packet_core=off"
    } else {
        "info,netlink_packet_route=off,netlink_packet_core=off"
    };
    let filter = EnvFilter::try_from_env("VIGIL_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(false);
    if let Some(path) = &args.log_file {
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening log file {}", path.display()))?;
        builder.with_writer(std::sync::Mutex::new(file)).init();
    } else {
        builder.with_writer(std::io::stderr).init();
    }
    Ok(())
}

/// Pid files written at start and removed at exit.
#[derive(Debug, Default)]
pub struct PidFiles {
    paths: Vec<PathBuf>,
}

impl PidFiles {
    /// Writes this process's pid to the parent and VRRP pid files (vigil is one process,
    /// so both name it: `kill $(cat keepalived.pid)` and scripts that read the VRRP pid
    /// file both reach the daemon).
    pub fn write(args: &KeepalivedArgs) -> anyhow::Result<PidFiles> {
        let pid = std::process::id();
        let mut paths = vec![args.pid.clone().unwrap_or_else(|| DEFAULT_PID.into())];
        paths.push(
            args.vrrp_pid
                .clone()
                .unwrap_or_else(|| DEFAULT_VRRP_PID.into()),
        );
        for p in &paths {
            write_pid(p, pid)?;
        }
        Ok(PidFiles { paths })
    }
}

impl Drop for PidFiles {
    fn drop(&mut self) {
        for p in &self.paths {
            let _ = fs::remove_file(p);
        }
    }
}

fn write_pid(path: &Path, pid: u32) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let mut f =
        fs::File::create(path).with_context(|| format!("writing pid file {}", path.display()))?;
    writeln!(f, "{pid}")?;
    Ok(())
}

/// Goes to the background the way keepalived does without `--dont-fork`: the same command
/// line is started again with `--dont-fork`, in a new session, with standard input and
/// output on /dev/null, and this process exits 0 once the child is running.
pub fn daemonize() -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("finding own executable")?;
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if !args.iter().any(|a| a == "keepalived") {
        args.insert(0, "keepalived".into());
    }
    args.push("--dont-fork".into());
    std::process::Command::new(exe)
        .args(args)
        .env("VIGIL_DAEMONIZED", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting the background daemon")?;
    Ok(())
}

/// In the re-started background process: leave the parent's session.
pub fn detach_if_daemonized() {
    if std::env::var_os("VIGIL_DAEMONIZED").is_some() {
        let _ = nix::unistd::setsid();
    }
}

/// The config id for `@ID` lines: `-i`, else the host name up to the first dot.
pub fn config_id(args: &KeepalivedArgs) -> String {
    if let Some(id) = &args.config_id {
        return id.clone();
    }
    let host = nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_default();
    host.split('.').next().unwrap_or_default().to_string()
}

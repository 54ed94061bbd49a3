//! keepalived's command line, flag for flag (keepalived(8)), so that `vigil keepalived`
//! can replace `keepalived` in an existing unit file.

use std::path::PathBuf;

/// Flags of keepalived 2.4. Subsystems that vigil does not have yet (checkers, BFD, SNMP)
/// are accepted so existing unit files keep working; using them prints a warning.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(about = "VRRP daemon, compatible with keepalived's flags, signals and keepalived.conf")]
pub struct KeepalivedArgs {
    /// Use the specified configuration file (default /etc/keepalived/keepalived.conf).
    #[arg(short = 'f', long = "use-file", value_name = "FILE")]
    pub use_file: Option<PathBuf>,
    /// Only run the VRRP subsystem.
    #[arg(short = 'P', long = "vrrp")]
    pub vrrp: bool,
    /// Only run the health-check subsystem (not implemented by vigil yet).
    #[arg(short = 'C', long = "check")]
    pub check: bool,
    /// Don't run the BFD subsystem.
    #[arg(short = 'B', long = "no_bfd")]
    pub no_bfd: bool,
    /// Run all subsystems, even if they have no configuration.
    #[arg(long = "all")]
    pub all: bool,
    /// Log messages to the console (stderr).
    #[arg(short = 'l', long = "log-console")]
    pub log_console: bool,
    /// Detailed log messages.
    #[arg(short = 'D', long = "log-detail")]
    pub log_detail: bool,
    /// Syslog facility: 0-7, local0-7, user or daemon.
    #[arg(short = 'S', long = "log-facility", value_name = "FACILITY")]
    pub log_facility: Option<String>,
    /// Write log entries to FILE.
    #[arg(short = 'g', long = "log-file", value_name = "FILE")]
    pub log_file: Option<PathBuf>,
    /// Flush the log file after each write.
    #[arg(long = "flush-log-file")]
    pub flush_log_file: bool,
    /// Do not write log entries to syslog.
    #[arg(short = 'G', long = "no-syslog")]
    pub no_syslog: bool,
    /// Drop VIPs on transition from signal.
    #[arg(short = 'X', long = "release-vips")]
    pub release_vips: bool,
    /// Don't remove VRRP VIPs and VROUTEs on daemon stop.
    #[arg(short = 'V', long = "dont-release-vrrp")]
    pub dont_release_vrrp: bool,
    /// Don't remove IPVS topology on daemon stop.
    #[arg(short = 'I', long = "dont-release-ipvs")]
    pub dont_release_ipvs: bool,
    /// Don't respawn child processes (vigil runs one process; accepted for compatibility).
    #[arg(short = 'R', long = "dont-respawn")]
    pub dont_respawn: bool,
    /// Don't fork: run in the foreground.
    #[arg(short = 'n', long = "dont-fork")]
    pub dont_fork: bool,
    /// Dump the configuration data.
    #[arg(short = 'd', long = "dump-conf")]
    pub dump_conf: bool,
    /// Pidfile of the parent process.
    #[arg(short = 'p', long = "pid", value_name = "FILE")]
    pub pid: Option<PathBuf>,
    /// Pidfile of the VRRP process (vigil writes its one pid here too).
    #[arg(short = 'r', long = "vrrp_pid", value_name = "FILE")]
    pub vrrp_pid: Option<PathBuf>,
    /// Pidfile of the checkers process.
    #[arg(short = 'c', long = "checkers_pid", value_name = "FILE")]
    pub checkers_pid: Option<PathBuf>,
    /// Pidfile of the BFD process.
    #[arg(short = 'b', long = "bfd_pid", value_name = "FILE")]
    pub bfd_pid: Option<PathBuf>,
    /// genhash utility mode (not implemented by vigil yet).
    #[arg(short = 'T', long = "genhash")]
    pub genhash: bool,
    /// Log all address additions/deletions reported by netlink.
    #[arg(short = 'a', long = "address-monitoring")]
    pub address_monitoring: bool,
    /// Run in network namespace NAME.
    #[arg(short = 's', long = "namespace", value_name = "NAME")]
    pub namespace: Option<String>,
    /// Don't load if any configuration file is missing or cannot be read.
    #[arg(short = 'e', long = "all-config")]
    pub all_config: bool,
    /// Configuration id for `@ID` conditional lines (default: host name without domain).
    #[arg(short = 'i', long = "config-id", value_name = "ID")]
    pub config_id: Option<String>,
    /// Enable the SNMP subsystem (not implemented by vigil).
    #[arg(short = 'x', long = "snmp")]
    pub snmp: bool,
    /// SNMP agent socket.
    #[arg(short = 'A', long = "snmp-agent-socket", value_name = "FILE")]
    pub snmp_agent_socket: Option<String>,
    /// umask, in the usual numeric way.
    #[arg(short = 'u', long = "umask", value_name = "NUMBER")]
    pub umask: Option<String>,
    /// Allow core dumps.
    #[arg(short = 'm', long = "core-dump")]
    pub core_dump: bool,
    /// Set the core dump pattern (implies --core-dump).
    #[arg(short = 'M', long = "core-dump-pattern", value_name = "PATTERN",
          num_args = 0..=1, require_equals = true, default_missing_value = "core")]
    pub core_dump_pattern: Option<String>,
    /// Print the signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON, TDATA.
    #[arg(long = "signum", value_name = "SIGFUNC")]
    pub signum: Option<String>,
    /// Check the configuration and exit; diagnostics go to FILE if given, else stderr.
    #[arg(short = 't', long = "config-test", value_name = "FILE",
          num_args = 0..=1, require_equals = true, default_missing_value = "")]
    pub config_test: Option<String>,
    /// Record perf data (accepted, ignored).
    #[arg(long = "perf", value_name = "WHAT", num_args = 0..=1, require_equals = true,
          default_missing_value = "run")]
    pub perf: Option<String>,
    /// Debug options (accepted, ignored).
    #[arg(long = "debug", value_name = "OPTIONS", num_args = 0..=1, require_equals = true,
          default_missing_value = "")]
    pub debug: Option<String>,
    /// Disable memory checks (accepted, ignored).
    #[arg(long = "no-mem-check")]
    pub no_mem_check: bool,
    /// Don't terminate on SIGINT.
    #[arg(long = "ignore-sigint")]
    pub ignore_sigint: bool,
    /// vigil: serve the JSON status API on this unix socket (`vigil status` reads it).
    #[arg(long = "status-socket", value_name = "PATH", default_value = super::status::DEFAULT_SOCKET)]
    pub status_socket: PathBuf,
    /// vigil: no status socket.
    #[arg(long = "no-status-socket")]
    pub no_status_socket: bool,
    /// vigil: serve Prometheus metrics over HTTP at ADDR:PORT (`/metrics`).
    #[arg(long = "metrics-listen", value_name = "ADDR:PORT")]
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// Display the version and exit.
    #[arg(short = 'v', long = "version")]
    pub version: bool,
}

/// Default configuration file, as keepalived's.
pub const DEFAULT_CONFIG: &str = "/etc/keepalived/keepalived.conf";

/// keepalived's exit code when its subsystems cannot be initialised (the daemon refuses
/// to run the configuration). `-t` codes come from `vigil_kaconf::check_exit_code`.
pub const EXIT_PROGRAM_ERROR: i32 = 2;

/// keepalived's `--signum` names and the signals vigil uses for them.
pub fn signum(func: &str) -> Option<i32> {
    let sig = match func.to_ascii_uppercase().as_str() {
        "STOP" => libc_sig::SIGTERM,
        "RELOAD" => libc_sig::SIGHUP,
        "DATA" => libc_sig::SIGUSR1,
        "STATS" => libc_sig::SIGUSR2,
        "STATS_CLEAR" => libc_sig::sigrtmax() - 1,
        "JSON" => libc_sig::sigrtmin() + 2,
        _ => return None,
    };
    Some(sig)
}

/// Signal numbers, without libc: Linux's numbering on every architecture vigil targets.
pub mod libc_sig {
    /// SIGHUP.
    pub const SIGHUP: i32 = 1;
    /// SIGINT.
    pub const SIGINT: i32 = 2;
    /// SIGTERM.
    pub const SIGTERM: i32 = 15;
    /// SIGCHLD.
    pub const SIGCHLD: i32 = 17;
    /// SIGUSR1.
    pub const SIGUSR1: i32 = 10;
    /// SIGUSR2.
    pub const SIGUSR2: i32 = 12;
    /// SIGRTMIN as glibc reports it (glibc reserves the first two real-time signals).
    pub fn sigrtmin() -> i32 {
        34
    }
    /// SIGRTMAX.
    pub fn sigrtmax() -> i32 {
        64
    }
}

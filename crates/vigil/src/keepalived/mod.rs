//! `vigil keepalived`: the keepalived-compatible VRRP daemon.
//!
//! Same flags (keepalived(8)), same configuration file (keepalived.conf(5)), same signals,
//! same notify script arguments. One process: the pid goes to both the parent and the VRRP
//! pid files.

pub mod cli;
mod daemon;
mod gratuitous;
mod groups;
mod notify;
mod process;
mod signals;
mod spec;
// The status module is also compiled on its own into tests/status.rs, which exercises
// its whole API (limits, counters, request parsing); the daemon uses a part of it.
#[allow(dead_code, unused_imports)]
pub mod status;
mod tracking;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tracing::{error, info, warn};
use vigil_kaconf::{LoadOptions, Loaded, RealFs, Severity};

use cli::KeepalivedArgs;
use daemon::{Daemon, DaemonOptions};

fn load(path: &std::path::Path, config_id: &str) -> Loaded {
    let opts = LoadOptions {
        config_id: Some(config_id.to_string()),
        ..LoadOptions::default()
    };
    vigil_kaconf::load(path, &RealFs, &opts)
}

fn log_diagnostics(loaded: &Loaded) {
    for d in &loaded.diagnostics {
        match d.severity {
            Severity::Error => error!("{d}"),
            Severity::Warning => warn!("{d}"),
        }
    }
}

/// Runs `vigil keepalived` with keepalived's arguments; returns the exit code.
pub fn run(args: KeepalivedArgs) -> anyhow::Result<i32> {
    if args.version {
        eprintln!("vigil keepalived {} (keepalived.conf and command line compatible with keepalived 2.2/2.4)", env!("CARGO_PKG_VERSION"));
        return Ok(0);
    }
    if let Some(func) = &args.signum {
        return Ok(match cli::signum(func) {
            Some(n) => {
                println!("{n}");
                0
            }
            None => {
                eprintln!("Unknown sigfunc {func}");
                1
            }
        });
    }
    let path: PathBuf = args
        .use_file
        .clone()
        .unwrap_or_else(|| cli::DEFAULT_CONFIG.into());
    let config_id = process::config_id(&args);

    if let Some(out) = &args.config_test {
        let loaded = load(&path, &config_id);
        let mut text = String::new();
        for d in &loaded.diagnostics {
            text.push_str(&format!("{d}\n"));
        }
        if out.is_empty() {
            eprint!("{text}");
        } else {
            std::fs::write(out, text).with_context(|| format!("writing {out}"))?;
        }
        return Ok(vigil_kaconf::check_exit_code(&loaded));
    }

    for (used, what) in [
        (args.check, "-C/--check"),
        (args.genhash, "-T/--genhash"),
        (args.snmp, "-x/--snmp"),
    ] {
        if used {
            eprintln!("vigil keepalived: {what} is not supported by vigil yet; ignored");
        }
    }

    if !args.dont_fork && std::env::var_os("VIGIL_DAEMONIZED").is_none() {
        process::daemonize()?;
        return Ok(0);
    }
    process::detach_if_daemonized();
    process::init_logging(&args)?;

    let loaded = load(&path, &config_id);
    log_diagnostics(&loaded);
    if loaded.refuses_start() {
        error!("configuration {} cannot be run", path.display());
        return Ok(cli::EXIT_PROGRAM_ERROR);
    }
    if args.dump_conf {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{}", loaded.config);
    }
    let (specs, bad) = spec::specs(&loaded.config);
    for b in &bad {
        error!("{b}");
    }
    let _pids = process::PidFiles::write(&args)?;
    info!(
        "starting vigil keepalived with {} VRRP instance(s) from {}",
        specs.len(),
        path.display()
    );

    let reload_path = path.clone();
    let reload_id = config_id.clone();
    let reloader: daemon::Reloader = Box::new(move || {
        let loaded = load(&reload_path, &reload_id);
        log_diagnostics(&loaded);
        if loaded.refuses_start() || loaded.has_errors() {
            return None;
        }
        let (specs, bad) = spec::specs(&loaded.config);
        if !bad.is_empty() {
            for b in &bad {
                error!("{b}");
            }
            return None;
        }
        Some(Plan {
            specs,
            config: loaded.config,
        })
    });
    let opts = DaemonOptions {
        dont_release_vrrp: args.dont_release_vrrp,
        ignore_sigint: args.ignore_sigint,
        config_file: path.clone(),
        status_socket: (!args.no_status_socket).then(|| args.status_socket.clone()),
        metrics_listen: args.metrics_listen,
    };
    let plan = Plan {
        specs,
        config: loaded.config,
    };
    let mut daemon = Daemon::start(plan, opts, reloader)?;
    daemon.run()?;
    info!("stopped");
    Ok(0)
}

/// What the daemon runs: the instances and the configuration they come from.
pub struct Plan {
    /// One spec per runnable `vrrp_instance`.
    pub specs: Vec<spec::InstanceSpec>,
    /// The whole typed configuration (tracking, sync groups, global settings).
    pub config: vigil_kaconf::Config,
}

impl Plan {
    /// The notify FIFO (`vrrp_notify_fifo`, else `notify_fifo`).
    pub fn fifo(&self) -> Option<PathBuf> {
        let g = &self.config.global;
        g.vrrp_notify_fifo
            .as_ref()
            .or(g.notify_fifo.as_ref())
            .map(|f| f.path.clone())
    }
}

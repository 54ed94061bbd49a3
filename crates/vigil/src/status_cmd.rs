//! `vigil status`: asks a running `vigil keepalived` over its status socket and prints its
//! instances as a table (or the daemon's JSON with `--json`).

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::keepalived::status::{render_table, StatusSnapshot, DEFAULT_SOCKET};

/// Arguments of `vigil status`.
#[derive(clap::Args, Debug, Clone)]
pub struct StatusArgs {
    /// Status socket of `vigil keepalived`.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_SOCKET)]
    pub socket: PathBuf,
    /// Print the daemon's JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show only this instance.
    #[arg(value_name = "INSTANCE")]
    pub instance: Option<String>,
}

/// How long `vigil status` waits for the daemon.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Sends one request line and reads the answer to the end.
pub fn query(socket: &std::path::Path, request: &str) -> anyhow::Result<String> {
    let mut s = UnixStream::connect(socket).with_context(|| {
        format!(
            "connecting to {} (is vigil keepalived running?)",
            socket.display()
        )
    })?;
    s.set_read_timeout(Some(TIMEOUT))?;
    s.set_write_timeout(Some(TIMEOUT))?;
    s.write_all(format!("{request}\n").as_bytes())
        .with_context(|| format!("sending the request to {}", socket.display()))?;
    let mut answer = String::new();
    s.read_to_string(&mut answer)
        .with_context(|| format!("reading the answer from {}", socket.display()))?;
    Ok(answer)
}

/// Runs `vigil status`; returns the exit code (0, or 1 when the instance is unknown).
pub fn run(args: StatusArgs) -> anyhow::Result<i32> {
    let answer = query(&args.socket, "status")?;
    let value: serde_json::Value =
        serde_json::from_str(&answer).context("the daemon's answer is not JSON")?;
    if let Some(err) = value.get("error").and_then(|e| e.as_str()) {
        anyhow::bail!("the daemon refused the request: {err}");
    }
    let mut snap: StatusSnapshot =
        serde_json::from_value(value).context("the daemon's answer is not a status")?;
    if let Some(name) = &args.instance {
        snap.instances.retain(|i| &i.name == name);
        if snap.instances.is_empty() {
            eprintln!("vigil status: no instance {name:?}");
            return Ok(1);
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        let text = if args.instance.is_some() {
            serde_json::to_string_pretty(&snap.instances[0])?
        } else {
            serde_json::to_string_pretty(&snap)?
        };
        writeln!(out, "{text}")?;
    } else {
        write!(out, "{}", render_table(&snap))?;
    }
    Ok(0)
}

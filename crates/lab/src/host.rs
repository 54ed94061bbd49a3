//! One host of a lab: a network namespace with an `eth0` on the lab's bridge.

use std::net::IpAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::cmd::{in_netns, ip_in, output};
use crate::proc::{Proc, Registry};
use crate::LabError;

/// A lab host. Obtained from [`crate::Lab::host`]; lives as long as its lab.
pub struct Host {
    name: String,
    netns: String,
    registry: Registry,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("name", &self.name)
            .field("netns", &self.netns)
            .finish()
    }
}

impl Host {
    pub(crate) fn new(name: &str, netns: String, registry: Registry) -> Host {
        Host {
            name: name.to_owned(),
            netns,
            registry,
        }
    }

    /// The host's name as given to [`crate::Lab::add_host`] (also its switch port name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The host's network namespace name (`vgl<pid>-<n>-<name>`).
    pub fn netns(&self) -> &str {
        &self.netns
    }

    /// A `Command` that runs `program` inside this host (`ip netns exec NS program`);
    /// add arguments, environment and stdio as needed.
    pub fn command(&self, program: &str) -> Command {
        in_netns(&self.netns, program)
    }

    /// Runs `args` (program first) inside the host to completion and returns its stdout.
    /// A non-zero exit is an error carrying the command line and stderr.
    pub fn run(&self, args: &[&str]) -> Result<String, LabError> {
        let (program, rest) = args.split_first().ok_or(LabError::EmptyCommand)?;
        output(self.command(program).args(rest))
    }

    /// Starts `args` (program first) in the background inside the host. The process
    /// is SIGKILLed when the returned [`Proc`] or the lab is dropped.
    pub fn spawn(&self, args: &[&str]) -> Result<Proc, LabError> {
        let (program, rest) = args.split_first().ok_or(LabError::EmptyCommand)?;
        let mut cmd = self.command(program);
        cmd.args(rest);
        Proc::start(cmd, &self.netns, &self.registry)
    }

    /// The MAC address of `eth0`, lower case `aa:bb:cc:dd:ee:ff`.
    pub fn mac(&self) -> Result<String, LabError> {
        let out = ip_in(&self.netns, &["-o", "link", "show", "dev", "eth0"])?;
        let mut words = out.split_whitespace();
        while let Some(w) = words.next() {
            if w == "link/ether" {
                if let Some(mac) = words.next() {
                    return Ok(mac.to_ascii_lowercase());
                }
            }
        }
        Err(LabError::Parse {
            cmd: format!("ip -n {} -o link show dev eth0", self.netns),
            detail: format!("no link/ether in {:?}", out.trim()),
        })
    }

    /// Whether `ip` (with or without `/prefix`) is assigned to any interface of the host.
    pub fn has_addr(&self, ip: &str) -> Result<bool, LabError> {
        let want = parse_ip(ip)?;
        let out = ip_in(&self.netns, &["-o", "addr", "show"])?;
        let found = addrs_in(&out).any(|a| a == want);
        Ok(found)
    }

    /// All addresses assigned to the host's interfaces (including `lo` and link-local).
    pub fn addrs(&self) -> Result<Vec<IpAddr>, LabError> {
        let out = ip_in(&self.netns, &["-o", "addr", "show"])?;
        Ok(addrs_in(&out).collect())
    }

    /// Pings `ip` and reports whether any echo reply came back within `timeout`.
    ///
    /// Each round sends up to `count` requests, 10 per second, and ends at the
    /// first reply (or `count` replies), at an ICMP error such as "destination
    /// host unreachable" (a neighbour entry that just failed), or at the
    /// deadline. Rounds repeat until a reply or `timeout` (at least 1 s: ping's
    /// deadline is whole seconds, so the last round may overrun by under 1 s).
    pub fn ping(&self, ip: &str, count: u32, timeout: Duration) -> Result<bool, LabError> {
        parse_ip(ip)?;
        let deadline = Instant::now() + timeout.max(Duration::from_secs(1));
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if self.ping_round(ip, count, left)? {
                return Ok(true);
            }
            if deadline.saturating_duration_since(Instant::now()) < Duration::from_millis(100) {
                return Ok(false);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// One `ping -c count -w ceil(left)` run: whether it got a reply.
    fn ping_round(&self, ip: &str, count: u32, left: Duration) -> Result<bool, LabError> {
        let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let secs = secs.max(1).to_string();
        let count = count.max(1).to_string();
        let mut cmd = self.command("ping");
        cmd.args([
            "-n", "-q", "-i", "0.1", "-c", &count, "-w", &secs, "-W", "1", ip,
        ]);
        let cmdline = crate::cmd::describe(&cmd);
        let out = cmd
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|source| LabError::Spawn {
                cmd: cmdline.clone(),
                source,
            })?;
        // ping exits 1 without (enough) replies and 2 on errors; its summary
        // line says how many replies came, whatever the exit code.
        let stdout = String::from_utf8_lossy(&out.stdout);
        match received(&stdout) {
            Some(n) => Ok(n > 0),
            None => Err(LabError::Failed {
                cmd: cmdline,
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            }),
        }
    }

    /// The link-layer address the host's neighbour table (ARP or ND) holds for `ip`,
    /// if the entry has one (REACHABLE, STALE, DELAY, PROBE, PERMANENT, NOARP).
    pub fn neigh_mac(&self, ip: &str) -> Result<Option<String>, LabError> {
        let want = parse_ip(ip)?;
        let out = ip_in(&self.netns, &["neigh", "show"])?;
        for line in out.lines() {
            let mut words = line.split_whitespace();
            if words.next().and_then(|w| w.parse::<IpAddr>().ok()) != Some(want) {
                continue;
            }
            let words: Vec<&str> = words.collect();
            if words.iter().any(|w| *w == "FAILED" || *w == "INCOMPLETE") {
                continue;
            }
            if let Some(i) = words.iter().position(|w| *w == "lladdr") {
                if let Some(mac) = words.get(i + 1) {
                    return Ok(Some(mac.to_ascii_lowercase()));
                }
            }
        }
        Ok(None)
    }

    /// Empties the host's neighbour tables (IPv4 and IPv6, non-permanent entries).
    pub fn flush_neigh(&self) -> Result<(), LabError> {
        ip_in(&self.netns, &["-4", "neigh", "flush", "all"])?;
        ip_in(&self.netns, &["-6", "neigh", "flush", "all"])?;
        Ok(())
    }
}

/// Parses `ip` or `ip/prefix` to an address.
pub(crate) fn parse_ip(text: &str) -> Result<IpAddr, LabError> {
    let addr = text.split('/').next().unwrap_or(text);
    addr.parse().map_err(|_| LabError::InvalidAddress {
        addr: text.to_owned(),
        reason: "not an IPv4 or IPv6 address".to_owned(),
    })
}

/// The addresses in `ip -o addr show` output.
fn addrs_in(out: &str) -> impl Iterator<Item = IpAddr> + '_ {
    out.lines().filter_map(|line| {
        let mut words = line.split_whitespace();
        words.find(|w| *w == "inet" || *w == "inet6")?;
        words.next().and_then(|a| parse_ip(a).ok())
    })
}

/// The `received` count from ping's summary line.
fn received(out: &str) -> Option<u32> {
    let line = out.lines().find(|l| l.contains("packets transmitted"))?;
    let part = line.split(',').find(|p| p.contains("received"))?;
    part.split_whitespace().next()?.parse().ok()
}

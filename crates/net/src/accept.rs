//! Accept mode (RFC 5798 §6.1, keepalived's `accept` / `no_accept`) with
//! nftables.
//!
//! RFC 5798 §6.1: unless Accept_Mode is True, a Master that is not the
//! address owner must not accept packets addressed to the virtual
//! addresses, except ARP and Neighbor Discovery for them (RFC 5798 §6.4.3,
//! §8.1.1). keepalived does this with an nftables table of its own
//! (default name `keepalived`, base chains at priority -1) whose address
//! sets hold the VIPs of every instance currently in that state; vigil does
//! the same with one `inet` table:
//!
//! ```text
//! table inet T {
//!     set vips  { type ipv4_addr; }
//!     set vips6 { type ipv6_addr; }
//!     chain input {
//!         type filter hook input priority -1; policy accept;
//!         ip daddr @vips drop
//!         ip6 daddr @vips6 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
//!         ip6 daddr @vips6 drop
//!     }
//! }
//! ```
//!
//! ARP is not seen by an `inet` table at all, so it keeps working. Every
//! change is one `nft -f -` transaction: the kernel applies all of it or
//! none. [`AcceptRules`] is the pure part (state and script text);
//! [`AcceptFilter`] runs the scripts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// keepalived's default table name (`nftables` without a name).
pub const DEFAULT_TABLE: &str = "keepalived";
/// keepalived's default base chain priority (`nftables_priority`).
pub const DEFAULT_PRIORITY: i32 = -1;
/// How long one `nft` run may take.
const NFT_TIMEOUT: Duration = Duration::from_secs(10);

/// What can go wrong managing the accept-mode table.
#[derive(Debug, thiserror::Error)]
pub enum FirewallError {
    /// The table name is not a plain nftables identifier.
    #[error(
        "nftables table name {0:?}: must be 1 to 64 letters, digits or '_', starting with a letter"
    )]
    TableName(String),
    /// The `nft` program could not be started or fed.
    #[error("cannot run {program} for {action}: {source}")]
    Spawn {
        /// The program, normally `nft`.
        program: String,
        /// What the transaction was for.
        action: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// `nft` rejected the transaction (nothing of it was applied).
    #[error("nft -f - ({action}) failed with {status}: {stderr}")]
    Rejected {
        /// What the transaction was for.
        action: String,
        /// nft's exit status.
        status: ExitStatus,
        /// nft's error output.
        stderr: String,
    },
    /// The caller's thread is not in the network namespace the table was
    /// made in (nft would change another namespace's ruleset).
    #[error("table inet {table} belongs to another network namespace than this thread's")]
    WrongNamespace {
        /// The table.
        table: String,
    },
    /// `nft` did not finish in time and was killed.
    #[error("nft -f - ({action}) did not finish within {secs} s")]
    Timeout {
        /// What the transaction was for.
        action: String,
        /// The limit.
        secs: u64,
    },
}

impl From<FirewallError> for io::Error {
    fn from(e: FirewallError) -> io::Error {
        let kind = match &e {
            FirewallError::TableName(_) => io::ErrorKind::InvalidInput,
            FirewallError::Spawn { source, .. } => source.kind(),
            FirewallError::Rejected { .. } => io::ErrorKind::Other,
            FirewallError::WrongNamespace { .. } => io::ErrorKind::InvalidInput,
            FirewallError::Timeout { .. } => io::ErrorKind::TimedOut,
        };
        io::Error::new(kind, e)
    }
}

/// keepalived's `nftables_priority` and `nftables_counters`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptOptions {
    /// Priority of the input base chain (default -1: just before the
    /// usual filter chains at 0).
    pub priority: i32,
    /// Add `counter` to the rules (for debugging; `nft list table` shows them).
    pub counters: bool,
}

impl Default for AcceptOptions {
    fn default() -> AcceptOptions {
        AcceptOptions {
            priority: DEFAULT_PRIORITY,
            counters: false,
        }
    }
}

/// The accept-mode state and the nft scripts that realise it (no I/O).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptRules {
    table: String,
    options: AcceptOptions,
    /// VIPs of each instance that currently blocks them.
    blocked: BTreeMap<String, BTreeSet<IpAddr>>,
}

impl AcceptRules {
    /// Checks the table name.
    pub fn new(table: &str, options: AcceptOptions) -> Result<AcceptRules, FirewallError> {
        let ok = !table.is_empty()
            && table.len() <= 64
            && table.starts_with(|c: char| c.is_ascii_alphabetic())
            && table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(FirewallError::TableName(table.to_string()));
        }
        Ok(AcceptRules {
            table: table.to_string(),
            options,
            blocked: BTreeMap::new(),
        })
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Every address currently dropped.
    pub fn blocked_addrs(&self) -> BTreeSet<IpAddr> {
        self.blocked.values().flatten().copied().collect()
    }

    /// The instances currently blocking their VIPs.
    pub fn blocking_instances(&self) -> impl Iterator<Item = &str> {
        self.blocked.keys().map(String::as_str)
    }

    /// Creates the table with empty sets, replacing any table of that name
    /// (a leftover of a killed daemon) in the same transaction.
    pub fn create_script(&self) -> String {
        let t = &self.table;
        let c = if self.options.counters {
            "counter "
        } else {
            ""
        };
        format!(
            "table inet {t} {{}}\n\
             delete table inet {t}\n\
             table inet {t} {{\n\
             \tset vips {{\n\t\ttype ipv4_addr\n\t}}\n\
             \tset vips6 {{\n\t\ttype ipv6_addr\n\t}}\n\
             \tchain input {{\n\
             \t\ttype filter hook input priority {p}; policy accept;\n\
             \t\tip daddr @vips {c}drop\n\
             \t\tip6 daddr @vips6 icmpv6 type {{ nd-neighbor-solicit, nd-neighbor-advert }} {c}accept\n\
             \t\tip6 daddr @vips6 {c}drop\n\
             \t}}\n\
             }}\n",
            p = self.options.priority,
        )
    }

    /// Removes the table.
    pub fn delete_script(&self) -> String {
        format!("delete table inet {}\n", self.table)
    }

    /// Records that `instance` blocks `vips` (`blocked`) or none
    /// (`!blocked`), and returns the script that brings the sets in line,
    /// or `None` when the set of dropped addresses did not change.
    pub fn set_blocked(
        &mut self,
        instance: &str,
        vips: &[IpAddr],
        blocked: bool,
    ) -> Option<String> {
        let before = self.blocked_addrs();
        if blocked && !vips.is_empty() {
            self.blocked
                .insert(instance.to_string(), vips.iter().copied().collect());
        } else {
            self.blocked.remove(instance);
        }
        let after = self.blocked_addrs();
        if before == after {
            return None;
        }
        let mut script = String::new();
        for (set, v4) in [("vips", true), ("vips6", false)] {
            let pick = |s: &BTreeSet<IpAddr>| -> Vec<IpAddr> {
                s.iter().filter(|a| a.is_ipv4() == v4).copied().collect()
            };
            let (old, new) = (pick(&before), pick(&after));
            if old == new {
                continue;
            }
            // Flush and refill: the set ends exactly as computed, whatever
            // drifted in the kernel.
            let _ = writeln!(script, "flush set inet {} {set}", self.table);
            if !new.is_empty() {
                let list: Vec<String> = new.iter().map(IpAddr::to_string).collect();
                let _ = writeln!(
                    script,
                    "add element inet {} {set} {{ {} }}",
                    self.table,
                    list.join(", ")
                );
            }
        }
        Some(script)
    }
}

/// The accept-mode nftables table of one daemon; removed on drop.
#[derive(Debug)]
pub struct AcceptFilter {
    rules: AcceptRules,
    program: String,
    live: bool,
    /// (device, inode) of the network namespace the table lives in.
    netns: (u64, u64),
}

impl AcceptFilter {
    /// Creates table `inet table_name` with default options.
    pub fn new(table_name: &str) -> io::Result<AcceptFilter> {
        AcceptFilter::with_options(table_name, AcceptOptions::default())
    }

    /// Creates table `inet table_name` (replacing a leftover of that name).
    pub fn with_options(table_name: &str, options: AcceptOptions) -> io::Result<AcceptFilter> {
        let rules = AcceptRules::new(table_name, options)?;
        let mut f = AcceptFilter {
            rules,
            program: "nft".to_string(),
            live: false,
            netns: current_netns()?,
        };
        let script = f.rules.create_script();
        f.run(&script, &format!("create table inet {table_name}"))?;
        f.live = true;
        Ok(f)
    }

    /// The rules and the state they hold.
    pub fn rules(&self) -> &AcceptRules {
        &self.rules
    }

    /// Drops traffic to `vips` for `instance` (`blocked`: no_accept and not
    /// the address owner) or stops dropping it (accept mode, backup, stop).
    ///
    /// Replaces the instance's earlier list. On failure the kernel and the
    /// recorded state are both unchanged.
    pub fn set_blocked(
        &mut self,
        instance: &str,
        vips: &[IpAddr],
        blocked: bool,
    ) -> io::Result<()> {
        let mut next = self.rules.clone();
        if let Some(script) = next.set_blocked(instance, vips, blocked) {
            let what = format!(
                "{} {instance} in table {}",
                if blocked { "block" } else { "unblock" },
                self.rules.table()
            );
            self.run(&script, &what)?;
        }
        self.rules = next;
        Ok(())
    }

    /// Removes the table now, reporting failure (drop ignores it).
    pub fn remove(mut self) -> io::Result<()> {
        self.live = false;
        let what = format!("delete table inet {}", self.rules.table());
        self.run(&self.rules.delete_script(), &what)?;
        Ok(())
    }

    /// Runs a script, after checking that this thread is in the table's
    /// namespace (`nft` runs in the namespace of the thread that spawns it).
    fn run(&self, script: &str, action: &str) -> Result<(), FirewallError> {
        match current_netns() {
            Ok(ns) if ns == self.netns => run_nft(&self.program, script, action),
            _ => Err(FirewallError::WrongNamespace {
                table: self.rules.table().to_string(),
            }),
        }
    }
}

/// The identity of the calling thread's network namespace.
fn current_netns() -> io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let path = "/proc/thread-self/ns/net";
    let m =
        std::fs::metadata(path).map_err(|e| crate::error::syscall(format!("stat {path}"), e))?;
    Ok((m.dev(), m.ino()))
}

impl Drop for AcceptFilter {
    fn drop(&mut self) {
        if self.live {
            // Best effort; a drop on a thread of another namespace leaves
            // the table alone rather than touching that namespace.
            let _ = self.run(&self.rules.delete_script(), "drop");
        }
    }
}

/// Runs `program -f -` with `script` on stdin, as one transaction.
fn run_nft(program: &str, script: &str, action: &str) -> Result<(), FirewallError> {
    let spawn_err = |source| FirewallError::Spawn {
        program: program.to_string(),
        action: action.to_string(),
        source,
    };
    let mut child = Command::new(program)
        .args(["-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(spawn_err)?;
    let fed = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(script.as_bytes()));
    let deadline = Instant::now() + NFT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(FirewallError::Timeout {
                    action: action.to_string(),
                    secs: NFT_TIMEOUT.as_secs(),
                });
            }
            Err(e) => return Err(spawn_err(e)),
        }
    };
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    if !status.success() {
        return Err(FirewallError::Rejected {
            action: action.to_string(),
            status,
            stderr: stderr.trim().to_string(),
        });
    }
    if let Some(Err(e)) = fed {
        return Err(spawn_err(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn table_names_are_checked() {
        for bad in ["", "1abc", "a b", "a;flush ruleset", "x-y", &"a".repeat(65)] {
            let e = AcceptRules::new(bad, AcceptOptions::default()).unwrap_err();
            assert!(matches!(e, FirewallError::TableName(_)), "{bad:?}");
        }
        assert!(AcceptRules::new("keepalived_2", AcceptOptions::default()).is_ok());
    }

    #[test]
    fn create_script_has_priority_and_counters() {
        let r = AcceptRules::new(
            "vg",
            AcceptOptions {
                priority: -5,
                counters: true,
            },
        )
        .unwrap();
        let s = r.create_script();
        assert!(s.starts_with("table inet vg {}\ndelete table inet vg\ntable inet vg {\n"));
        assert!(s.contains("type filter hook input priority -5; policy accept;"));
        assert!(s.contains("\t\tip daddr @vips counter drop\n"));
        assert!(s.contains("nd-neighbor-advert } counter accept\n"));
        let plain = AcceptRules::new("vg", AcceptOptions::default()).unwrap();
        assert!(plain.create_script().contains("priority -1;"));
        assert!(plain
            .create_script()
            .contains("\t\tip6 daddr @vips6 drop\n"));
        assert_eq!(plain.delete_script(), "delete table inet vg\n");
    }

    #[test]
    fn sets_follow_the_union_of_instances() {
        let mut r = AcceptRules::new("vg", AcceptOptions::default()).unwrap();
        let a = [ip("198.51.100.10"), ip("2001:db8::10")];
        assert_eq!(
            r.set_blocked("VI_1", &a, true).unwrap(),
            "flush set inet vg vips\nadd element inet vg vips { 198.51.100.10 }\n\
             flush set inet vg vips6\nadd element inet vg vips6 { 2001:db8::10 }\n"
        );
        // Same again: nothing to do.
        assert_eq!(r.set_blocked("VI_1", &a, true), None);
        // A second instance sharing nothing in IPv6 touches only vips.
        assert_eq!(
            r.set_blocked("VI_2", &[ip("203.0.113.5")], true).unwrap(),
            "flush set inet vg vips\nadd element inet vg vips { 198.51.100.10, 203.0.113.5 }\n"
        );
        // A VIP shared by two instances stays blocked until both release it.
        assert_eq!(
            r.set_blocked("VI_3", &[ip("203.0.113.5")], true),
            None,
            "already blocked by VI_2"
        );
        assert_eq!(r.set_blocked("VI_2", &[], false), None);
        assert_eq!(
            r.set_blocked("VI_3", &[ip("203.0.113.5")], false).unwrap(),
            "flush set inet vg vips\nadd element inet vg vips { 198.51.100.10 }\n"
        );
        assert_eq!(
            r.set_blocked("VI_1", &a, false).unwrap(),
            "flush set inet vg vips\nflush set inet vg vips6\n"
        );
        assert!(r.blocked_addrs().is_empty());
        assert_eq!(r.blocking_instances().count(), 0);
    }

    #[test]
    fn a_missing_nft_is_a_located_error() {
        let e = run_nft("/nonexistent/nft", "list tables\n", "test").unwrap_err();
        assert!(
            e.to_string()
                .contains("cannot run /nonexistent/nft for test"),
            "{e}"
        );
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::NotFound);
    }
}

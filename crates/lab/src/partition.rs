//! Partitions of the lab's switch with an nftables bridge-family drop rule.

use std::process::Command;

use crate::cmd::output_with_input;
use crate::{Lab, LabError};

/// The nftables table the lab owns in the switch namespace.
const TABLE: &str = "bridge vigil";

impl Lab {
    /// Stops all frames between the hosts in `a` and the hosts in `b`, both
    /// ways, at the bridge (links stay up). Cumulative: calling it again adds
    /// more drop rules. Unicast, broadcast and multicast are all dropped, since
    /// the bridge forward hook sees each copy of a flooded frame per output port.
    pub fn partition(&self, a: &[&str], b: &[&str]) -> Result<(), LabError> {
        self.drop_rules(&[(a, b), (b, a)])
    }

    /// Stops frames from the hosts in `from` to the hosts in `to` only: a
    /// one-way failure (`to` still reaches `from`, but gets no answers that
    /// need the blocked direction). Cumulative until [`Lab::heal`].
    pub fn block(&self, from: &[&str], to: &[&str]) -> Result<(), LabError> {
        self.drop_rules(&[(from, to)])
    }

    /// Adds one drop rule per `(ingress ports, egress ports)` pair, atomically.
    fn drop_rules(&self, pairs: &[(&[&str], &[&str])]) -> Result<(), LabError> {
        let set = |names: &[&str]| {
            let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            format!("{{ {} }}", quoted.join(", "))
        };
        let mut script = format!(
            "add table {TABLE}\n\
             add chain {TABLE} forward {{ type filter hook forward priority 0; policy accept; }}\n"
        );
        for (from, to) in pairs {
            self.check_hosts(from)?;
            self.check_hosts(to)?;
            if !from.is_empty() && !to.is_empty() {
                script.push_str(&format!(
                    "add rule {TABLE} forward iifname {} oifname {} drop\n",
                    set(from),
                    set(to)
                ));
            }
        }
        self.nft(&script)
    }

    /// Cuts host `name` off from every other host (its link stays up).
    pub fn isolate(&self, name: &str) -> Result<(), LabError> {
        self.try_host(name)?;
        let others: Vec<&str> = self
            .hosts()
            .iter()
            .map(|h| h.name())
            .filter(|n| *n != name)
            .collect();
        self.partition(&[name], &others)
    }

    /// Removes every partition. Does nothing when there is none.
    pub fn heal(&self) -> Result<(), LabError> {
        // `add` first makes the delete succeed when no table exists; one atomic batch.
        self.nft(&format!("add table {TABLE}\ndelete table {TABLE}\n"))
    }

    /// Runs an nft script atomically in the switch namespace.
    pub(crate) fn nft(&self, script: &str) -> Result<(), LabError> {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", self.switch_netns(), "nft", "-f", "-"]);
        output_with_input(&mut cmd, script).map(drop)
    }
}

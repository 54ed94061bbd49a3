//! Random frame loss on switch ports, with nftables `numgen random`.
//!
//! The kernel here has no `sch_netem`, so loss is a bridge-family rule in the
//! switch namespace rather than a queueing discipline; it drops, never delays.

use crate::{Lab, LabError};

/// The nftables table holding the loss rules, separate from partitions.
const TABLE: &str = "bridge vigil_loss";

impl Lab {
    /// Drops each frame entering or leaving host `name`'s switch port with
    /// probability `percent`/100 (0 removes the loss, 100 drops everything).
    /// A frame between two lossy hosts faces both chances.
    pub fn set_loss(&self, name: &str, percent: u8) -> Result<(), LabError> {
        self.try_host(name)?;
        if percent > 100 {
            return Err(LabError::InvalidLoss(percent));
        }
        let mut loss = self.loss.lock().unwrap_or_else(|e| e.into_inner());
        let mut next = loss.clone();
        if percent == 0 {
            next.remove(name);
        } else {
            next.insert(name.to_owned(), percent);
        }
        self.nft(&loss_script(&next))?;
        *loss = next;
        Ok(())
    }

    /// The loss currently set on host `name`'s port, in percent.
    pub fn loss(&self, name: &str) -> u8 {
        let loss = self.loss.lock().unwrap_or_else(|e| e.into_inner());
        loss.get(name).copied().unwrap_or(0)
    }
}

/// One atomic batch replacing the whole loss table with `loss`.
fn loss_script(loss: &std::collections::BTreeMap<String, u8>) -> String {
    // `add` before `delete` makes the delete succeed when no table exists yet.
    let mut s = format!("add table {TABLE}\ndelete table {TABLE}\n");
    if loss.is_empty() {
        return s;
    }
    s.push_str(&format!(
        "add table {TABLE}\n\
         add chain {TABLE} forward {{ type filter hook forward priority 1; policy accept; }}\n"
    ));
    for (port, pct) in loss {
        // numgen values run 0..=99, so `< 100` is out of range: 100 % is a plain drop.
        let chance = if *pct >= 100 {
            String::new()
        } else {
            format!("numgen random mod 100 < {pct} ")
        };
        for dir in ["iifname", "oifname"] {
            s.push_str(&format!(
                "add rule {TABLE} forward {dir} \"{port}\" {chance}drop\n"
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_replaces_the_table_atomically() {
        let mut m = std::collections::BTreeMap::new();
        assert_eq!(
            loss_script(&m),
            "add table bridge vigil_loss\ndelete table bridge vigil_loss\n"
        );
        m.insert("h2".to_owned(), 30);
        let s = loss_script(&m);
        assert!(s.starts_with("add table bridge vigil_loss\ndelete table bridge vigil_loss\n"));
        assert!(s.contains(
            "add rule bridge vigil_loss forward iifname \"h2\" numgen random mod 100 < 30 drop\n"
        ));
        assert!(s.contains(
            "add rule bridge vigil_loss forward oifname \"h2\" numgen random mod 100 < 30 drop\n"
        ));
    }
}

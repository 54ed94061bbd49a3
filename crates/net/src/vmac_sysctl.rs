//! The sysctls an IPv4 VMAC needs on its parent and globally, saved so
//! they can be put back when the last VMAC goes (keepalived restores them
//! on termination).

use std::io;

use crate::sysctl::{self, Proto};

/// The parent's ARP settings while it carries IPv4 VMACs, and what they were.
///
/// keepalived sets `arp_ignore=1` (answer ARP only for addresses of the
/// receiving interface, so the parent does not answer for VIPs that live on
/// the VMAC) and `arp_filter=1`. vigil also sets `arp_announce=2`: without
/// it, a packet from a VIP routed out of the parent (the kernel picks the
/// parent's connected route) makes the parent send an ARP request with the
/// VIP as sender and the parent's MAC, and every neighbour that already
/// knows the VIP re-points it at the parent's MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParentSysctls {
    /// Parent interface name.
    ifname: String,
    /// (key, original value) for each changed sysctl.
    saved: Vec<(&'static str, i64)>,
}

/// The parent settings: key and value.
pub(crate) const PARENT_SETTINGS: [(&str, i64); 3] =
    [("arp_ignore", 1), ("arp_filter", 1), ("arp_announce", 2)];

impl ParentSysctls {
    /// Applies [`PARENT_SETTINGS`] to `ifname`, remembering the old values.
    pub(crate) fn apply(ifname: &str) -> io::Result<ParentSysctls> {
        let mut saved = Vec::new();
        for (key, value) in PARENT_SETTINGS {
            let old = sysctl::read(Proto::V4, ifname, key)?;
            if old != value {
                sysctl::write(Proto::V4, ifname, key, value)?;
                saved.push((key, old));
            }
        }
        Ok(ParentSysctls {
            ifname: ifname.to_string(),
            saved,
        })
    }

    /// Puts the saved values back.
    pub(crate) fn restore(&self) -> io::Result<()> {
        for (key, old) in &self.saved {
            sysctl::write(Proto::V4, &self.ifname, key, *old)?;
        }
        Ok(())
    }
}

/// `rp_filter` values changed so that a VMAC's own `rp_filter=0` counts.
///
/// The kernel uses max(`all.rp_filter`, `IF.rp_filter`). When `all` is set,
/// keepalived raises every interface (and `default`) to at least the `all`
/// value, then sets `all` to 0, so nothing but the VMACs changes behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RpFilterSaved {
    /// (interface or `default`, original value), then (`all`, original).
    saved: Vec<(String, i64)>,
}

impl RpFilterSaved {
    /// Does the change if `all.rp_filter` is set; `None` if nothing changed.
    pub(crate) fn clear_all() -> io::Result<Option<RpFilterSaved>> {
        let all = sysctl::read(Proto::V4, "all", "rp_filter")?;
        if all == 0 {
            return Ok(None);
        }
        let mut saved = Vec::new();
        for name in sysctl::ipv4_conf_names()? {
            if name == "all" {
                continue;
            }
            // An interface may vanish between readdir and read.
            let Ok(v) = sysctl::read(Proto::V4, &name, "rp_filter") else {
                continue;
            };
            if v < all {
                sysctl::write(Proto::V4, &name, "rp_filter", all)?;
                saved.push((name, v));
            }
        }
        sysctl::write(Proto::V4, "all", "rp_filter", 0)?;
        saved.push(("all".to_string(), all));
        Ok(Some(RpFilterSaved { saved }))
    }

    /// Puts the saved values back (interfaces that are gone are skipped).
    pub(crate) fn restore(&self) -> io::Result<()> {
        for (name, v) in &self.saved {
            match sysctl::write(Proto::V4, name, "rp_filter", *v) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                other => other?,
            }
        }
        Ok(())
    }
}

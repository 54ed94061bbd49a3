//! VRRP virtual MACs (keepalived's `use_vmac`): a macvlan interface per
//! instance carrying the virtual router MAC, on which the VIPs live.
//!
//! RFC 5798 §7.3: the virtual router MAC is 00-00-5E-00-01-{VRID} for IPv4
//! and 00-00-5E-00-02-{VRID} for IPv6. The macvlan is made in `private` mode
//! (it hears frames for its own MAC, broadcasts and multicasts, but no other
//! macvlan of the same parent), as keepalived does.
//!
//! [`Vmac`] remembers what it changed on each parent interface, so the
//! parent's ARP sysctls are restored when its last VMAC goes.

use std::collections::BTreeMap;
use std::io;
use std::net::Ipv6Addr;

use crate::error::NetError;
use crate::sysctl::{self, Proto};
use crate::vmac_link::{create_macvlan, delete_link, link_details, set_up, LinkDetail};
use crate::vmac_sysctl::{ParentSysctls, RpFilterSaved};
use crate::{Family, Netlink, VirtualAddress};

/// Longest interface name the kernel takes (IFNAMSIZ - 1).
const IFNAME_MAX: usize = 15;

/// The VRRP virtual router MAC of `vrid` (RFC 5798 §7.3).
pub fn virtual_mac(vrid: u8, family: Family) -> [u8; 6] {
    let kind = match family {
        Family::V4 => 0x01,
        Family::V6 => 0x02,
    };
    [0x00, 0x00, 0x5e, 0x00, kind, vrid]
}

/// The EUI-64 link-local address of `mac` (RFC 4291 §2.5.6, appendix A).
pub fn eui64_link_local(mac: [u8; 6]) -> Ipv6Addr {
    Ipv6Addr::from([
        0xfe,
        0x80,
        0,
        0,
        0,
        0,
        0,
        0,
        mac[0] ^ 0x02,
        mac[1],
        mac[2],
        0xff,
        0xfe,
        mac[3],
        mac[4],
        mac[5],
    ])
}

/// The names keepalived tries for an unnamed VMAC, in order: `vrrp.VRID`,
/// then for IPv4 `vrrp1.VRID`, `vrrp2.VRID`, ...; for IPv6 `vrrp6.VRID`
/// first, then `vrrp1.VRID`, ... skipping 6. Names longer than 15 bytes are
/// never produced.
pub fn default_vmac_names(vrid: u8, family: Family) -> impl Iterator<Item = String> {
    let numbers: Vec<u32> = match family {
        Family::V4 => (1..100).collect(),
        Family::V6 => std::iter::once(6)
            .chain((1..100).filter(|n| *n != 6))
            .collect(),
    };
    std::iter::once(format!("vrrp.{vrid}"))
        .chain(numbers.into_iter().map(move |n| format!("vrrp{n}.{vrid}")))
        .filter(|n| n.len() <= IFNAME_MAX)
}

/// Everything that describes one VMAC to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmacConfig {
    /// The parent (base) interface, keepalived's `interface`.
    pub parent: String,
    /// `use_vmac NAME`; `None` picks the first free [`default_vmac_names`].
    pub name: Option<String>,
    /// The virtual router id (1-255).
    pub vrid: u8,
    /// The instance's address family (chooses the MAC and the setup).
    pub family: Family,
    /// `use_vmac ... MAC_ADDRESS`; `None` is [`virtual_mac`].
    pub mac: Option<[u8; 6]>,
    /// IPv4 instance that also puts IPv6 eVIPs on the VMAC: keep IPv6 on it
    /// (otherwise IPv6 is disabled on an IPv4 VMAC, as keepalived does).
    pub ipv6: bool,
    /// IPv6: the link-local address adverts are sent from (`mcast_src_ip`);
    /// `None` copies the parent's, or derives one from the parent's MAC.
    pub link_local: Option<Ipv6Addr>,
}

impl VmacConfig {
    /// A VMAC on `parent` for `vrid` with keepalived's defaults.
    pub fn new(parent: &str, vrid: u8, family: Family) -> VmacConfig {
        VmacConfig {
            parent: parent.to_string(),
            name: None,
            vrid,
            family,
            mac: None,
            ipv6: false,
            link_local: None,
        }
    }

    /// Checks the fields before anything is sent to the kernel.
    pub fn validate(&self) -> Result<(), NetError> {
        if self.vrid == 0 {
            return Err(NetError::Invalid("VMAC for VRID 0 (must be 1-255)".into()));
        }
        if let Some(n) = &self.name {
            let bad = n.is_empty()
                || n.len() > IFNAME_MAX
                || n == "."
                || n == ".."
                || n.chars().any(|c| c == '/' || c == ':' || c.is_whitespace());
            if bad {
                return Err(NetError::Invalid(format!(
                    "VMAC name {n:?}: 1 to 15 characters, no '/', ':' or spaces"
                )));
            }
        }
        if let Some(m) = self.mac {
            if m[0] & 1 != 0 || m == [0; 6] {
                return Err(NetError::Invalid(format!(
                    "VMAC address {} is not a unicast MAC",
                    crate::packet::format_mac(&m)
                )));
            }
        }
        if let Some(ll) = self.link_local {
            if ll.segments()[0] & 0xffc0 != 0xfe80 {
                return Err(NetError::Invalid(format!("{ll} is not link-local")));
            }
        }
        Ok(())
    }
}

/// A VMAC that exists (made or adopted by [`Vmac`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmacInfo {
    /// The VMAC's interface index.
    pub ifindex: u32,
    /// The VMAC's name.
    pub name: String,
    /// Its MAC (the virtual router MAC).
    pub mac: [u8; 6],
    /// The parent interface's index.
    pub parent_ifindex: u32,
    /// The parent interface's name.
    pub parent: String,
    /// The instance's family.
    pub family: Family,
    /// IPv6: the link-local address put on the VMAC.
    pub link_local: Option<Ipv6Addr>,
    /// True when a matching VMAC already existed (a restart) and was adopted.
    pub adopted: bool,
}

/// Creates and deletes VMACs, and undoes the sysctl changes on parents.
#[derive(Debug, Default)]
pub struct Vmac {
    /// VMACs made or adopted, by ifindex.
    vmacs: BTreeMap<u32, VmacInfo>,
    /// Saved ARP sysctls of parents with IPv4 VMACs, by parent ifindex.
    parents: BTreeMap<u32, ParentSysctls>,
    /// rp_filter values changed because `all.rp_filter` was set.
    rp_filter: Option<RpFilterSaved>,
}

impl Vmac {
    /// An empty registry.
    pub fn new() -> Vmac {
        Vmac::default()
    }

    /// The VMACs this registry made or adopted.
    pub fn vmacs(&self) -> impl Iterator<Item = &VmacInfo> {
        self.vmacs.values()
    }

    /// Creates (or adopts) the VMAC for `vrid` on `parent` with defaults:
    /// shorthand for [`Vmac::create_with`].
    pub fn create(
        &mut self,
        nl: &mut Netlink,
        parent: &str,
        name: Option<&str>,
        vrid: u8,
        family: Family,
    ) -> io::Result<VmacInfo> {
        let mut cfg = VmacConfig::new(parent, vrid, family);
        cfg.name = name.map(str::to_string);
        self.create_with(nl, &cfg)
    }

    /// Creates the macvlan, sets its sysctls (and its parent's), gives an
    /// IPv6 VMAC its link-local address and brings it up.
    ///
    /// A macvlan of the wanted name, parent and MAC that already exists is
    /// adopted (keepalived restarted); one with another MAC or parent is
    /// deleted and made again; a name held by any other kind of interface
    /// is an `InvalidInput` error.
    pub fn create_with(&mut self, nl: &mut Netlink, cfg: &VmacConfig) -> io::Result<VmacInfo> {
        cfg.validate()?;
        let parent = nl.link_by_name(&cfg.parent)?;
        let mac = cfg.mac.unwrap_or_else(|| virtual_mac(cfg.vrid, cfg.family));
        let links = link_details(nl)?;
        let matches = |l: &LinkDetail| l.macvlan && l.mac == mac && l.parent == Some(parent.index);

        let mut adopt = None;
        let name = match &cfg.name {
            Some(n) => {
                if let Some(l) = links.iter().find(|l| &l.name == n) {
                    if matches(l) {
                        adopt = Some(l.index);
                    } else if l.macvlan {
                        // A VMAC left over with another MAC or parent.
                        delete_link(nl, l.index, n)?;
                    } else {
                        return Err(NetError::Invalid(format!(
                            "VMAC name {n}: an interface that is not a macvlan has it"
                        ))
                        .into());
                    }
                }
                n.clone()
            }
            None => {
                let candidates: Vec<String> = default_vmac_names(cfg.vrid, cfg.family).collect();
                if let Some(l) = links
                    .iter()
                    .find(|l| matches(l) && candidates.contains(&l.name))
                {
                    adopt = Some(l.index);
                    l.name.clone()
                } else {
                    let taken = |n: &str| {
                        links.iter().any(|l| l.name == n)
                            || self.vmacs.values().any(|v| v.name == n)
                    };
                    candidates.into_iter().find(|n| !taken(n)).ok_or_else(|| {
                        NetError::Invalid(format!("no free VMAC name for VRID {}", cfg.vrid))
                    })?
                }
            }
        };

        let ifindex = match adopt {
            Some(i) => i,
            None => {
                create_macvlan(nl, &name, parent.index, mac)?;
                nl.link_index(&name)?
            }
        };
        let mut info = VmacInfo {
            ifindex,
            name,
            mac,
            parent_ifindex: parent.index,
            parent: parent.name.clone(),
            family: cfg.family,
            link_local: None,
            adopted: adopt.is_some(),
        };
        if let Err(e) = self.configure(nl, cfg, &mut info, parent.mac) {
            if adopt.is_none() {
                let _ = delete_link(nl, ifindex, &info.name);
            }
            // Undo parent and rp_filter changes nobody else needs.
            let _ = self.release(info.parent_ifindex, true);
            return Err(e);
        }
        self.vmacs.insert(ifindex, info.clone());
        Ok(info)
    }

    fn configure(
        &mut self,
        nl: &mut Netlink,
        cfg: &VmacConfig,
        info: &mut VmacInfo,
        parent_mac: [u8; 6],
    ) -> io::Result<()> {
        let name = info.name.clone();
        if cfg.family == Family::V4 {
            // rp_filter is the max of `all` and the interface's: clear `all`
            // first (raising each interface to keep its effective value).
            if self.rp_filter.is_none() {
                self.rp_filter = RpFilterSaved::clear_all()?;
            }
            // keepalived's vrrp_if_config.c: the VMAC answers ARP only for
            // its own addresses, hears its own multicasts, takes packets
            // without an address of its own, and promotes secondaries.
            sysctl::write(Proto::V4, &name, "arp_ignore", 1)?;
            sysctl::write(Proto::V4, &name, "accept_local", 1)?;
            sysctl::write(Proto::V4, &name, "rp_filter", 0)?;
            sysctl::write(Proto::V4, &name, "promote_secondaries", 1)?;
            if let std::collections::btree_map::Entry::Vacant(slot) =
                self.parents.entry(info.parent_ifindex)
            {
                slot.insert(ParentSysctls::apply(&info.parent)?);
            }
            if !cfg.ipv6 {
                // No IPv6 on an IPv4 VMAC: no link-local, no MLD, no RS.
                sysctl::write(Proto::V6, &name, "disable_ipv6", 1)?;
            }
        }
        if cfg.family == Family::V6 || cfg.ipv6 {
            sysctl::write(Proto::V6, &name, "disable_ipv6", 0)?;
            // RFC 5798 §7.4 / keepalived: no link-local made from the
            // virtual MAC; IN6_ADDR_GEN_MODE_NONE = 1.
            sysctl::write(Proto::V6, &name, "addr_gen_mode", 1)?;
        }
        if cfg.family == Family::V6 {
            let ll = match cfg.link_local {
                Some(a) => a,
                None => match nl.link_local_ipv6(info.parent_ifindex)? {
                    Some(a) => a,
                    None => eui64_link_local(parent_mac),
                },
            };
            let mut va = VirtualAddress::new(info.ifindex, ll.into(), 64);
            // The address is the parent's, which passed DAD on this link
            // already; a tentative source cannot send adverts.
            va.nodad = true;
            nl.add_address(&va)?;
            info.link_local = Some(ll);
        }
        set_up(nl, info.ifindex, &name)
    }

    /// Deletes the VMAC; restores the parent's ARP sysctls when it was the
    /// parent's last IPv4 VMAC, and `rp_filter` when it was the last one.
    ///
    /// `Ok(false)` when the interface was already gone. Refuses to delete
    /// an interface that is not a macvlan.
    pub fn delete(&mut self, nl: &mut Netlink, vmac: &VmacInfo) -> io::Result<bool> {
        let links = link_details(nl)?;
        let existed = match links.iter().find(|l| l.index == vmac.ifindex) {
            Some(l) if !l.macvlan => {
                return Err(NetError::Invalid(format!(
                    "refusing to delete {} (index {}): not a macvlan",
                    l.name, l.index
                ))
                .into())
            }
            Some(l) => delete_link(nl, l.index, &l.name)?,
            None => false,
        };
        self.vmacs.remove(&vmac.ifindex);
        // The parent may be gone too; nothing to restore on it then.
        let parent_exists = links.iter().any(|l| l.index == vmac.parent_ifindex);
        self.release(vmac.parent_ifindex, parent_exists)?;
        Ok(existed)
    }

    /// Restores the parent's ARP sysctls if no IPv4 VMAC of the registry
    /// uses it any more, and `rp_filter` if there is no IPv4 VMAC at all.
    fn release(&mut self, parent_ifindex: u32, parent_exists: bool) -> io::Result<()> {
        let parent_busy = self
            .vmacs
            .values()
            .any(|v| v.parent_ifindex == parent_ifindex && v.family == Family::V4);
        if !parent_busy {
            if let Some(saved) = self.parents.remove(&parent_ifindex) {
                if parent_exists {
                    saved.restore()?;
                }
            }
        }
        if !self.vmacs.values().any(|v| v.family == Family::V4) {
            if let Some(saved) = self.rp_filter.take() {
                saved.restore()?;
            }
        }
        Ok(())
    }

    /// Deletes every VMAC of the registry (daemon shutdown); the first error
    /// is returned after trying them all.
    pub fn delete_all(&mut self, nl: &mut Netlink) -> io::Result<()> {
        let all: Vec<VmacInfo> = self.vmacs.values().cloned().collect();
        let mut first = None;
        for v in all {
            if let Err(e) = self.delete(nl, &v) {
                first.get_or_insert(e);
            }
        }
        first.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_macs_follow_rfc_5798() {
        assert_eq!(virtual_mac(51, Family::V4), [0, 0, 0x5e, 0, 1, 51]);
        assert_eq!(virtual_mac(255, Family::V6), [0, 0, 0x5e, 0, 2, 255]);
    }

    #[test]
    fn eui64_flips_the_universal_bit() {
        let mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
        let ll: Ipv6Addr = "fe80::5054:ff:fe12:3456".parse().unwrap();
        assert_eq!(eui64_link_local(mac), ll);
    }

    #[test]
    fn default_names_are_keepalived_s() {
        let v4: Vec<String> = default_vmac_names(51, Family::V4).take(3).collect();
        assert_eq!(v4, ["vrrp.51", "vrrp1.51", "vrrp2.51"]);
        let v6: Vec<String> = default_vmac_names(51, Family::V6).take(8).collect();
        assert_eq!(
            v6,
            [
                "vrrp.51", "vrrp6.51", "vrrp1.51", "vrrp2.51", "vrrp3.51", "vrrp4.51", "vrrp5.51",
                "vrrp7.51"
            ]
        );
        assert!(default_vmac_names(255, Family::V4).all(|n| n.len() <= 15));
    }

    #[test]
    fn config_validation_names_the_problem() {
        let ok = VmacConfig::new("eth0", 1, Family::V4);
        assert!(ok.validate().is_ok());
        let bad = |f: &dyn Fn(&mut VmacConfig)| {
            let mut c = ok.clone();
            f(&mut c);
            c.validate().unwrap_err().to_string()
        };
        assert!(bad(&|c| c.vrid = 0).contains("VRID 0"));
        assert!(bad(&|c| c.name = Some("a-very-long-vmac-name".into())).contains("15"));
        assert!(bad(&|c| c.name = Some("a/b".into())).contains("'/'"));
        assert!(bad(&|c| c.mac = Some([1, 0, 0x5e, 0, 1, 1])).contains("unicast"));
        assert!(
            bad(&|c| c.link_local = Some("2001:db8::1".parse().unwrap())).contains("link-local")
        );
    }
}

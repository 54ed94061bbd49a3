//! The lab: a switch namespace with bridge `br0` and host namespaces on it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use crate::addr::check_lab_addr;
use crate::cmd::{ip, ip_in, kill_netns_pids, sysctl_in};
use crate::host::Host;
use crate::proc::Registry;
use crate::sweep::sweep_stale;
use crate::LabError;

/// Process-wide counter making lab names unique within the process.
static NEXT_LAB: AtomicU32 = AtomicU32::new(0);

/// A fresh `vgl<pid>-<n>` name prefix.
pub(crate) fn next_prefix() -> String {
    let n = NEXT_LAB.fetch_add(1, Ordering::Relaxed);
    format!("vgl{}-{n}", std::process::id())
}

/// A network-namespace lab.
///
/// The switch namespace `<prefix>-sw` holds bridge `br0` (STP off, forward
/// delay 0, multicast snooping off). Each host `<prefix>-<name>` has `eth0`,
/// a veth whose peer is port `<name>` of `br0`. Dropping the lab kills every
/// process it spawned or that still runs in its namespaces, then deletes them.
pub struct Lab {
    prefix: String,
    switch: String,
    hosts: Vec<Host>,
    /// Namespaces created so far, deleted on drop.
    namespaces: Vec<String>,
    registry: Registry,
    /// Loss percentage per switch port, see [`Lab::set_loss`].
    pub(crate) loss: Mutex<BTreeMap<String, u8>>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab")
            .field("prefix", &self.prefix)
            .field("hosts", &self.hosts)
            .finish()
    }
}

impl Lab {
    /// Sweeps stale labs of dead processes, then creates the switch namespace and bridge.
    pub fn new() -> Result<Lab, LabError> {
        sweep_stale();
        let prefix = next_prefix();
        let switch = format!("{prefix}-sw");
        let mut lab = Lab {
            prefix,
            switch: switch.clone(),
            hosts: Vec::new(),
            namespaces: Vec::new(),
            registry: Registry::default(),
            loss: Mutex::new(BTreeMap::new()),
        };
        ip(&["netns", "add", &switch])?;
        lab.namespaces.push(switch.clone());
        // The switch only bridges: no IPv6 of its own, so it adds no MLD/RS noise.
        sysctl_in(
            &switch,
            &[
                "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1",
            ],
        )?;
        ip_in(&switch, &["link", "set", "lo", "up"])?;
        ip_in(
            &switch,
            &[
                "link",
                "add",
                "br0",
                "type",
                "bridge",
                "stp_state",
                "0",
                "forward_delay",
                "0",
                "mcast_snooping",
                "0",
            ],
        )?;
        ip_in(&switch, &["link", "set", "br0", "up"])?;
        Ok(lab)
    }

    /// Adds host `name` with `eth0` on the bridge carrying `addrs`
    /// (`"198.51.100.1/24"`, `"2001:db8::1/64"`; documentation ranges and fe80::/10 only).
    ///
    /// `name` is also the switch port's interface name: 1 to 15 characters of
    /// `[A-Za-z0-9_-]`, not `br0`, `lo` or `sw`.
    pub fn add_host(&mut self, name: &str, addrs: &[&str]) -> Result<(), LabError> {
        check_host_name(name)?;
        if self.hosts.iter().any(|h| h.name() == name) {
            return Err(LabError::DuplicateHost(name.to_owned()));
        }
        for a in addrs {
            check_lab_addr(a)?;
        }
        let netns = format!("{}-{name}", self.prefix);
        ip(&["netns", "add", &netns])?;
        if let Err(e) = self.build_host(name, &netns, addrs) {
            // Leave no half-built host behind, so the name can be used again.
            let _ = ip_in(&self.switch, &["link", "del", name]);
            kill_netns_pids(&netns);
            let _ = ip(&["netns", "del", &netns]);
            return Err(e);
        }
        self.namespaces.push(netns.clone());
        self.hosts
            .push(Host::new(name, netns, self.registry.clone()));
        Ok(())
    }

    /// Plumbs host namespace `netns`: loopback, veth to the bridge, sysctls, addresses.
    fn build_host(&self, name: &str, netns: &str, addrs: &[&str]) -> Result<(), LabError> {
        ip_in(netns, &["link", "set", "lo", "up"])?;
        // Both ends are created in their namespaces: nothing shows in the root namespace.
        ip(&[
            "link",
            "add",
            "eth0",
            "netns",
            netns,
            "type",
            "veth",
            "peer",
            "name",
            name,
            "netns",
            &self.switch,
        ])?;
        // Addresses are usable at once without duplicate address detection
        // (RFC 4862 §5.1: DupAddrDetectTransmits 0 disables DAD); unprivileged
        // ICMP echo sockets are allowed for every group.
        sysctl_in(
            netns,
            &[
                "net.ipv6.conf.eth0.accept_dad=0",
                "net.ipv6.conf.eth0.dad_transmits=0",
                "net.ipv4.ping_group_range=0 2147483647",
            ],
        )?;
        for a in addrs {
            ip_in(netns, &["addr", "add", a, "dev", "eth0"])?;
        }
        ip_in(netns, &["link", "set", "eth0", "up"])?;
        ip_in(&self.switch, &["link", "set", name, "master", "br0", "up"])?;
        Ok(())
    }

    /// The host called `name`.
    ///
    /// # Panics
    /// If the lab has no such host (a bug in the test using the lab).
    pub fn host(&self, name: &str) -> &Host {
        self.try_host(name).unwrap_or_else(|e| {
            let known: Vec<&str> = self.hosts.iter().map(Host::name).collect();
            panic!("{e} (hosts: {known:?})")
        })
    }

    /// The host called `name`, or [`LabError::UnknownHost`].
    pub fn try_host(&self, name: &str) -> Result<&Host, LabError> {
        self.hosts
            .iter()
            .find(|h| h.name() == name)
            .ok_or_else(|| LabError::UnknownHost(name.to_owned()))
    }

    /// All hosts, in the order they were added.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// Takes host `name`'s switch port down: its frames stop crossing the bridge
    /// and its `eth0` loses carrier.
    pub fn cut_link(&self, name: &str) -> Result<(), LabError> {
        self.try_host(name)?;
        ip_in(&self.switch, &["link", "set", name, "down"]).map(drop)
    }

    /// Brings host `name`'s switch port back up.
    pub fn restore_link(&self, name: &str) -> Result<(), LabError> {
        self.try_host(name)?;
        ip_in(&self.switch, &["link", "set", name, "up"]).map(drop)
    }

    /// The lab's unique name prefix, `vgl<pid>-<n>`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The switch namespace's name, `<prefix>-sw`.
    pub fn switch_netns(&self) -> &str {
        &self.switch
    }

    /// Checks that every name in `names` is a host of this lab.
    pub(crate) fn check_hosts(&self, names: &[&str]) -> Result<(), LabError> {
        names.iter().try_for_each(|n| self.try_host(n).map(drop))
    }
}

/// Checks that `name` can be a namespace suffix and an interface name (IFNAMSIZ 16).
fn check_host_name(name: &str) -> Result<(), LabError> {
    let bad = |reason| LabError::InvalidName {
        name: name.to_owned(),
        reason,
    };
    if name.is_empty() || name.len() > 15 {
        return Err(bad("must be 1 to 15 characters (an interface name)"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(bad("only letters, digits, '-' and '_' are allowed"));
    }
    if matches!(name, "br0" | "lo" | "sw") {
        return Err(bad(
            "reserved by the lab (bridge, loopback or switch namespace)",
        ));
    }
    Ok(())
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.registry.kill_all();
        for ns in &self.namespaces {
            kill_netns_pids(ns);
        }
        // Hosts first, the switch last.
        for ns in self.namespaces.iter().rev() {
            if let Err(e) = ip(&["netns", "del", ns]) {
                eprintln!("vigil-lab: cannot delete namespace {ns}: {e}");
            }
        }
    }
}

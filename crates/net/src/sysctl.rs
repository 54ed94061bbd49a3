//! Per-interface sysctls under `/proc/sys/net/{ipv4,ipv6}/conf/IF/KEY`.
//!
//! `/proc/sys/net` shows the network namespace of the thread that opens the
//! file, so these follow the caller's `setns` like sockets do. Names are
//! written literally (a VMAC called `vrrp.51` is the directory `vrrp.51`;
//! only sysctl(8) turns dots into slashes).

use std::io;
use std::path::PathBuf;

use crate::error::{syscall, NetError};

/// The protocol directory of a sysctl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proto {
    /// `net.ipv4.conf`.
    V4,
    /// `net.ipv6.conf`.
    V6,
}

/// The file of `net.<proto>.conf.<ifname>.<key>`.
pub(crate) fn conf_path(proto: Proto, ifname: &str, key: &str) -> io::Result<PathBuf> {
    // An interface name cannot contain '/' (dev_valid_name), and "." / ".."
    // would walk out of the conf directory.
    if ifname.is_empty() || ifname.contains('/') || ifname == "." || ifname == ".." {
        return Err(
            NetError::Invalid(format!("interface name {ifname:?} in a sysctl path")).into(),
        );
    }
    let dir = match proto {
        Proto::V4 => "ipv4",
        Proto::V6 => "ipv6",
    };
    Ok(PathBuf::from(format!(
        "/proc/sys/net/{dir}/conf/{ifname}/{key}"
    )))
}

/// Reads an integer sysctl.
pub(crate) fn read(proto: Proto, ifname: &str, key: &str) -> io::Result<i64> {
    let path = conf_path(proto, ifname, key)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| syscall(format!("read {}", path.display()), e))?;
    text.trim().parse().map_err(|_| {
        NetError::Invalid(format!(
            "{} holds {:?}, not an integer",
            path.display(),
            text.trim()
        ))
        .into()
    })
}

/// Writes an integer sysctl.
pub(crate) fn write(proto: Proto, ifname: &str, key: &str, value: i64) -> io::Result<()> {
    let path = conf_path(proto, ifname, key)?;
    std::fs::write(&path, format!("{value}\n"))
        .map_err(|e| syscall(format!("write {value} to {}", path.display()), e))
}

/// The interface directories of `net.ipv4.conf` (including `all` and `default`).
pub(crate) fn ipv4_conf_names() -> io::Result<Vec<String>> {
    let dir = "/proc/sys/net/ipv4/conf";
    let entries = std::fs::read_dir(dir).map_err(|e| syscall(format!("readdir {dir}"), e))?;
    let mut names = Vec::new();
    for e in entries {
        let e = e.map_err(|e| syscall(format!("readdir {dir}"), e))?;
        if let Some(n) = e.file_name().to_str() {
            names.push(n.to_string());
        }
    }
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_literal_and_refuse_escapes() {
        assert_eq!(
            conf_path(Proto::V4, "vrrp.51", "arp_ignore").unwrap(),
            PathBuf::from("/proc/sys/net/ipv4/conf/vrrp.51/arp_ignore")
        );
        assert_eq!(
            conf_path(Proto::V6, "eth0", "addr_gen_mode").unwrap(),
            PathBuf::from("/proc/sys/net/ipv6/conf/eth0/addr_gen_mode")
        );
        for bad in ["", "..", ".", "a/b"] {
            let e = conf_path(Proto::V4, bad, "rp_filter").unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        }
    }
}

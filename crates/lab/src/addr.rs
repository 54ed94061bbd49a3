//! Validation of the addresses a lab host may carry.
//!
//! Lab traffic stays on documentation ranges: 198.51.100.0/24 (TEST-NET-2) and
//! 203.0.113.0/24 (TEST-NET-3) from RFC 5737, 2001:db8::/32 from RFC 3849, plus
//! IPv6 link-local fe80::/10 (RFC 4291 §2.5.6), which VRRPv3 over IPv6 needs.

use std::net::IpAddr;

use crate::LabError;

/// Checks that `text` is `IP/prefix` inside the permitted ranges.
pub(crate) fn check_lab_addr(text: &str) -> Result<(), LabError> {
    let bad = |reason: &str| LabError::InvalidAddress {
        addr: text.to_owned(),
        reason: reason.to_owned(),
    };
    let (ip, len) = text
        .split_once('/')
        .ok_or_else(|| bad("expected IP/prefix, e.g. 198.51.100.1/24"))?;
    let ip: IpAddr = ip.parse().map_err(|_| bad("not an IPv4 or IPv6 address"))?;
    let len: u8 = len
        .parse()
        .map_err(|_| bad("prefix length is not a number"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if len > max {
        return Err(bad("prefix length too long"));
    }
    if !permitted(ip) {
        return Err(bad(
            "outside the lab ranges 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, fe80::/10",
        ));
    }
    Ok(())
}

/// Whether `ip` lies in a range the lab may use.
pub(crate) fn permitted(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            matches!((o[0], o[1], o[2]), (198, 51, 100) | (203, 0, 113))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_documentation_ranges() {
        for a in [
            "198.51.100.1/24",
            "203.0.113.254/32",
            "2001:db8::1/64",
            "2001:db8:ffff::2/128",
            "fe80::1/64",
        ] {
            assert!(check_lab_addr(a).is_ok(), "{a}");
        }
    }

    #[test]
    fn rejects_everything_else_with_reason() {
        for (a, why) in [
            ("198.51.100.1", "IP/prefix"),
            ("10.0.0.1/8", "outside"),
            ("192.0.2.1/24", "outside"),
            ("2001:db9::1/64", "outside"),
            ("198.51.100.1/33", "too long"),
            ("2001:db8::1/129", "too long"),
            ("198.51.100.x/24", "not an IPv4"),
            ("198.51.100.1/abc", "not a number"),
        ] {
            let e = check_lab_addr(a).unwrap_err().to_string();
            assert!(e.contains(why), "{a}: {e}");
            assert!(e.contains(a), "{a}: {e}");
        }
    }
}

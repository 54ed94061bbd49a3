//! Accept mode: the nftables table that drops traffic to VIPs (no_accept).

use std::io::ErrorKind;
use std::time::Duration;

use vigil_net::{AcceptFilter, AcceptOptions, Netlink, VirtualAddress};

use crate::support::*;

const VIP4: &str = "198.51.100.60";
const VIP6: &str = "2001:db8::60";

fn tables(host: &vigil_lab::Host) -> String {
    host.run(&["nft", "list", "tables"]).unwrap()
}

#[test]
fn blocked_vips_drop_traffic_but_not_arp_or_nd() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let h1_mac = h1.mac().unwrap();
    let vips = [ip(VIP4), ip(VIP6)];
    // A leftover table of the same name (a killed daemon) is replaced.
    h1.run(&["nft", "add table inet vigil_t; add chain inet vigil_t junk"])
        .unwrap();
    let mut filter = in_ns(h1, || {
        let mut nl = Netlink::new().unwrap();
        let eth0 = nl.link_index("eth0").unwrap();
        for v in vips {
            let mut va = VirtualAddress::new(eth0, v, if v.is_ipv4() { 24 } else { 64 });
            va.nodad = v.is_ipv6();
            nl.add_address(&va).unwrap();
        }
        AcceptFilter::new("vigil_t").unwrap()
    });
    let listing = h1
        .run(&["nft", "list", "table", "inet", "vigil_t"])
        .unwrap();
    assert!(!listing.contains("junk"), "{listing}");
    assert!(
        listing.contains("type filter hook input priority filter - 1; policy accept;"),
        "{listing}"
    );
    // Accepting: both VIPs answer.
    assert!(h2.ping(VIP4, 1, Duration::from_secs(3)).unwrap());
    assert!(h2.ping(VIP6, 1, Duration::from_secs(3)).unwrap());

    in_ns(h1, || filter.set_blocked("VI_1", &vips, true)).unwrap();
    let listing = h1
        .run(&["nft", "list", "set", "inet", "vigil_t", "vips"])
        .unwrap();
    assert!(listing.contains(VIP4), "{listing}");
    h2.flush_neigh().unwrap();
    assert!(!h2.ping(VIP4, 1, Duration::from_secs(2)).unwrap());
    assert!(!h2.ping(VIP6, 1, Duration::from_secs(2)).unwrap());
    // ARP and ND still resolve the VIPs to h1 (RFC 5798 §6.1 allows them).
    assert_eq!(h2.neigh_mac(VIP4).unwrap(), Some(h1_mac.clone()));
    assert_eq!(h2.neigh_mac(VIP6).unwrap(), Some(h1_mac.clone()));
    // h1's own address is not affected.
    assert!(h2.ping(H1_V4, 1, Duration::from_secs(3)).unwrap());
    assert!(h2.ping(H1_V6, 1, Duration::from_secs(3)).unwrap());

    // Accept mode on (or the instance leaves master): answers again.
    in_ns(h1, || filter.set_blocked("VI_1", &vips, false)).unwrap();
    assert!(h2.ping(VIP4, 1, Duration::from_secs(3)).unwrap());
    assert!(h2.ping(VIP6, 1, Duration::from_secs(3)).unwrap());
    assert!(filter.rules().blocked_addrs().is_empty());

    // Dropped in its namespace: the table is gone.
    assert!(tables(h1).contains("vigil_t"));
    in_ns(h1, move || drop(filter));
    assert!(!tables(h1).contains("vigil_t"), "{}", tables(h1));
}

#[test]
fn the_table_is_only_touched_from_its_own_namespace() {
    let Some(lab) = lab2() else { return };
    let (h1, h2) = (lab.host("h1"), lab.host("h2"));
    let opts = AcceptOptions {
        priority: -10,
        counters: true,
    };
    let mut filter = in_ns(h1, || AcceptFilter::with_options("vigil_ns", opts)).unwrap();
    let listing = h1
        .run(&["nft", "list", "table", "inet", "vigil_ns"])
        .unwrap();
    assert!(listing.contains("priority filter - 10;"), "{listing}");
    assert!(
        listing.contains("counter packets 0 bytes 0 drop"),
        "{listing}"
    );
    // From h2's namespace (or the test's own) nothing runs: an error, no change.
    let e = in_ns(h2, || filter.set_blocked("VI_1", &[ip(VIP4)], true)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("another network namespace"), "{e}");
    assert!(filter.rules().blocked_addrs().is_empty(), "state unchanged");
    in_ns(h2, move || drop(filter));
    assert!(
        tables(h1).contains("vigil_ns"),
        "a foreign drop must not act"
    );
    h1.run(&["nft", "delete", "table", "inet", "vigil_ns"])
        .unwrap();

    let e = in_ns(h1, || AcceptFilter::new("bad name")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    // remove() reports; afterwards the table is gone.
    let f = in_ns(h1, || AcceptFilter::new("vigil_rm")).unwrap();
    in_ns(h1, move || f.remove()).unwrap();
    assert!(!tables(h1).contains("vigil_rm"));
}

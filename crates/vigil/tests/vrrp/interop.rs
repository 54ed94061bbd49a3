//! Interoperation with Debian's keepalived 2.2.7 in one VRID: each side as master and as
//! backup, for VRRPv2 with PASS, VRRPv2 with AH, VRRPv3 over IPv4 and over IPv6.

use std::time::Duration;

use super::common::*;

/// Words of keepalived's log messages about adverts it rejects (vrrp_in_chk and friends).
const KEEPALIVED_COMPLAINTS: &[&str] = &[
    "invalid", "mismatch", "wrong", "bogus", "bad ", "ttl", "passwd", "sequence", "error",
    "checksum",
];

/// A protocol variant both daemons run.
#[derive(Debug, Clone, Copy)]
enum Case {
    V2Pass,
    V2Ah,
    V3Ipv4,
    V3Ipv6,
}

impl Case {
    fn conf(self, id: &str, prio: u8) -> Conf {
        let auth = |kind: &str| Some((kind.to_string(), "vigil42".to_string()));
        match self {
            Case::V2Pass => Conf {
                auth: auth("PASS"),
                ..Conf::v2(id, prio)
            },
            Case::V2Ah => Conf {
                auth: auth("AH"),
                ..Conf::v2(id, prio)
            },
            Case::V3Ipv4 => Conf {
                advert_int: "0.5".to_string(),
                ..Conf::v3(id, prio)
            },
            Case::V3Ipv6 => Conf {
                advert_int: "0.5".to_string(),
                ..Conf::v3(id, prio).with_vips(&["2001:db8::100/64"])
            },
        }
    }

    fn advert_int(self) -> f64 {
        match self {
            Case::V2Pass | Case::V2Ah => 1.0,
            Case::V3Ipv4 | Case::V3Ipv6 => 0.5,
        }
    }

    /// What tcpdump shows of every advert of this variant.
    fn wire(self) -> &'static [&'static str] {
        match self {
            Case::V2Pass => &["> 224.0.0.18: VRRPv2", "authtype simple"],
            Case::V2Ah => &["> 224.0.0.18: AH(", "VRRPv2"],
            Case::V3Ipv4 => &["> 224.0.0.18: VRRPv3", "intvl 50cs"],
            Case::V3Ipv6 => &["IP6 fe80::", "> ff02::12: VRRPv3", "intvl 50cs"],
        }
    }

    fn vip(self) -> &'static str {
        match self {
            Case::V3Ipv6 => VIP6,
            _ => VIP4,
        }
    }
}

/// `master` runs on h1 at priority 120, the other implementation on h2 at 110.
fn interop(case: Case, master: Impl) {
    if !vigil_lab::lab_available() {
        return;
    }
    let backup = match master {
        Impl::Vigil => Impl::Keepalived,
        Impl::Keepalived => Impl::Vigil,
    };
    let vip = case.vip();
    let t = TestLab::new();
    let cap = Capture::start(&t, "h3", &["proto", "112", "or", "proto", "51"]);
    let (c1, c2) = (case.conf("h1", 120).render(), case.conf("h2", 110).render());
    let (dm, db) = start_pair(&t, master, &c1, backup, &c2, vip);
    // Longer than the backup's Master_Down_Interval: it takes the master's adverts
    // (authentication, checksum, address list) or it would take over.
    let interval = case.advert_int();
    std::thread::sleep(Duration::from_secs_f64(4.0 * interval + 0.5));
    expect_master(&t, "h1", &["h2"], vip, Duration::from_secs(2));
    assert_eq!(dm.master_entries(), 1, "{master:?} on h1 flapped");
    assert_eq!(db.master_entries(), 0, "{backup:?} on h2 became master");
    assert_eq!(
        dm.transitions(),
        2,
        "{master:?} on h1: init -> backup -> master"
    );
    assert_eq!(db.transitions(), 1, "{backup:?} on h2: init -> backup");
    settle_client(&t, vip, &t.mac("h1"));
    // keepalived logs what it rejects in vigil's adverts (bad TTL, password, AH sequence,
    // address list, interval, checksum): none of that.
    let ka = if master == Impl::Keepalived { &dm } else { &db };
    let ka_log = ka.log().to_lowercase();
    for bad in KEEPALIVED_COMPLAINTS {
        assert!(!ka_log.contains(bad), "keepalived complained ({bad:?})");
    }
    // On the wire: only the master advertises, in the variant's format.
    let adverts = cap.stop();
    assert!(adverts.len() >= 4, "too few adverts: {adverts:#?}");
    for l in &adverts {
        assert!(
            case.wire().iter().all(|w| l.contains(w)) && l.contains("prio 120,"),
            "unexpected packet {l:?} for {case:?}"
        );
    }

    t.lab.cut_link("h1").expect("cutting h1");
    let took = time_until_holds(&t, "h2", vip, Duration::from_secs(8));
    assert!(
        took <= takeover_bound(interval),
        "{backup:?} took over after {took:?}"
    );
    expect_moved(&t, "h2", &["h1"], vip);
    assert_eq!(db.master_entries(), 1);
}

#[test]
fn v2_pass_vigil_master() {
    interop(Case::V2Pass, Impl::Vigil);
}

#[test]
fn v2_pass_keepalived_master() {
    interop(Case::V2Pass, Impl::Keepalived);
}

#[test]
fn v2_ah_vigil_master() {
    interop(Case::V2Ah, Impl::Vigil);
}

#[test]
fn v2_ah_keepalived_master() {
    interop(Case::V2Ah, Impl::Keepalived);
}

#[test]
fn v3_ipv4_vigil_master() {
    interop(Case::V3Ipv4, Impl::Vigil);
}

#[test]
fn v3_ipv4_keepalived_master() {
    interop(Case::V3Ipv4, Impl::Keepalived);
}

#[test]
fn v3_ipv6_vigil_master() {
    interop(Case::V3Ipv6, Impl::Vigil);
}

#[test]
fn v3_ipv6_keepalived_master() {
    interop(Case::V3Ipv6, Impl::Keepalived);
}

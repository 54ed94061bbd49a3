//! Typed configuration: every supported keyword, and errors with lines.

use std::net::IpAddr;
use std::path::PathBuf;

use vigil_kaconf::config::{AuthType, Broadcast, InitialState, RouteType};
use vigil_kaconf::{check_exit_code, exit, Severity};

use crate::common::{diags, has, load_str};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

const GLOBAL: &str = "\
global_defs {
    router_id r1
    vrrp_version 3
    vrrp_mcast_group4 224.0.0.19
    vrrp_mcast_group6 ff02::13
    vrrp_garp_master_delay 6
    vrrp_garp_master_repeat 2
    vrrp_garp_master_refresh 60
    vrrp_garp_master_refresh_repeat 3
    vrrp_garp_interval 0.001
    vrrp_gna_interval 0.000500
    vrrp_garp_lower_prio_delay 7
    vrrp_garp_lower_prio_repeat 4
    vrrp_lower_prio_no_advert
    vrrp_higher_prio_send_advert false
    vrrp_skip_check_adv_addr on
    vrrp_strict
    vrrp_check_unicast_src
    script_user nobody nogroup
    enable_script_security
    notify_fifo /run/k.fifo
    vrrp_notify_fifo /run/v.fifo root
}
";

#[test]
fn global_defs_every_keyword() {
    let l = load_str(GLOBAL);
    assert!(l.diagnostics.is_empty(), "{:?}", diags(&l));
    let g = &l.config.global;
    assert_eq!(g.router_id.as_deref(), Some("r1"));
    assert_eq!(g.vrrp_version, Some(3));
    assert_eq!(g.vrrp_mcast_group4, Some("224.0.0.19".parse().unwrap()));
    assert_eq!(g.vrrp_mcast_group6, Some("ff02::13".parse().unwrap()));
    assert_eq!(g.vrrp_garp_master_delay, Some(6));
    assert_eq!(g.vrrp_garp_master_repeat, Some(2));
    assert_eq!(g.vrrp_garp_master_refresh, Some(60));
    assert_eq!(g.vrrp_garp_master_refresh_repeat, Some(3));
    assert_eq!(g.vrrp_garp_interval, Some(0.001));
    assert_eq!(g.vrrp_gna_interval, Some(0.0005));
    assert_eq!(g.vrrp_garp_lower_prio_delay, Some(7));
    assert_eq!(g.vrrp_garp_lower_prio_repeat, Some(4));
    assert_eq!(g.vrrp_lower_prio_no_advert, Some(true));
    assert_eq!(g.vrrp_higher_prio_send_advert, Some(false));
    assert_eq!(g.vrrp_skip_check_adv_addr, Some(true));
    assert!(g.vrrp_strict && g.vrrp_check_unicast_src && g.enable_script_security);
    assert_eq!(
        g.script_user,
        Some(("nobody".to_string(), Some("nogroup".to_string())))
    );
    let nf = g.notify_fifo.as_ref().unwrap();
    assert_eq!(
        (nf.path.clone(), nf.user.clone()),
        (PathBuf::from("/run/k.fifo"), None)
    );
    let vf = g.vrrp_notify_fifo.as_ref().unwrap();
    assert_eq!(vf.user.as_deref(), Some("root"));
    assert_eq!(check_exit_code(&l), exit::OK);
}

#[test]
fn global_defs_bad_values_are_located() {
    let l = load_str(
        "global_defs {\n  vrrp_version 4\n  vrrp_mcast_group4 10.0.0.1\n  vrrp_mcast_group6 zz\n  vrrp_strict yes\n  vrrp_garp_master_delay -1\n  vrrp_lower_prio_no_advert maybe\n  router_id\n}\n",
    );
    let d = diags(&l);
    assert!(has(&l, Severity::Error, 2, "vrrp_version"), "{d:?}");
    assert!(has(&l, Severity::Error, 3, "not multicast"), "{d:?}");
    assert!(has(&l, Severity::Error, 4, "invalid address 'zz'"), "{d:?}");
    assert!(
        has(&l, Severity::Error, 6, "vrrp_garp_master_delay"),
        "{d:?}"
    );
    assert!(has(&l, Severity::Error, 7, "maybe"), "{d:?}");
    assert!(has(&l, Severity::Error, 8, "missing a parameter"), "{d:?}");
    assert_eq!(l.config.global.vrrp_version, None);
    assert_eq!(l.config.global.vrrp_mcast_group4, None);
    assert!(l.config.global.vrrp_strict);
    assert_eq!(check_exit_code(&l), exit::CONFIG_TEST);
    assert!(l.has_errors() && !l.refuses_start());
}

const FULL: &str = "\
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 2
    version 2
    nopreempt
    preempt_delay 5.5
    authentication {
        auth_type PASS
        auth_pass secret12
    }
    virtual_ipaddress {
        198.51.100.10/24 brd 198.51.100.255 dev eth0 scope global label eth0:1
        198.51.100.11 peer 198.51.100.12 home -nodad noprefixroute autojoin no_track preferred_lft 0
    }
    virtual_ipaddress_excluded {
        2001:db8::10/64 dev eth1
    }
    virtual_routes {
        src 198.51.100.10 to 203.0.113.0/24 via 198.51.100.1 dev eth0 scope link table 100 metric 5
        blackhole 203.0.113.128/25 no_track
        unreachable 203.0.113.192/26 dev eth0
        prohibit 203.0.113.64/27 dev eth0
    }
    unicast_src_ip 198.51.100.2
    unicast_peer {
        198.51.100.3 min_ttl 1 max_ttl 64
        198.51.100.4
    }
    mcast_src_ip 198.51.100.2
    accept
    notify_master \"/usr/local/bin/notify.sh master 'a b'\" nobody nogroup
    notify_backup /bin/backup.sh
    notify_fault /bin/fault.sh root
    notify_stop /bin/stop.sh
    notify /bin/notify.sh
    track_interface {
        eth1 weight -20
        eth2
    }
    garp_master_delay 3
    garp_master_repeat 4
    garp_master_refresh 30
    garp_master_refresh_repeat 2
    lower_prio_no_advert
    higher_prio_send_advert true
    skip_check_adv_addr off
    strict_mode false
    dont_track_primary
    use_vmac vrrp.51
    debug 2
}
";

#[test]
fn instance_every_keyword() {
    let l = load_str(FULL);
    assert!(!l.has_errors(), "{:?}", diags(&l));
    assert_eq!(l.config.vrrp_instances.len(), 1);
    let i = &l.config.vrrp_instances[0];
    assert_eq!((i.name.as_str(), i.line), ("VI_1", 1));
    assert_eq!(i.state, Some(InitialState::Master));
    assert_eq!(i.interface.as_deref(), Some("eth0"));
    assert_eq!((i.virtual_router_id, i.priority, i.version), (51, 150, 2));
    assert_eq!(i.advert_int, 2.0);
    assert!(i.nopreempt);
    assert_eq!(i.preempt_delay, Some(5.5));
    let a = i.authentication.as_ref().unwrap();
    assert_eq!(
        (a.auth_type, a.auth_pass.as_deref()),
        (AuthType::Pass, Some("secret12"))
    );

    assert_eq!(i.virtual_ipaddress.len(), 2);
    let v = &i.virtual_ipaddress[0];
    assert_eq!(v.prefix.to_string(), "198.51.100.10/24");
    assert_eq!(v.brd, Some(Broadcast::Address(ip("198.51.100.255"))));
    assert_eq!(v.dev.as_deref(), Some("eth0"));
    assert_eq!(v.scope.as_deref(), Some("global"));
    assert_eq!(v.label.as_deref(), Some("eth0:1"));
    assert_eq!(v.line, 15);
    let v = &i.virtual_ipaddress[1];
    assert_eq!(v.prefix.to_string(), "198.51.100.11/32");
    assert_eq!(v.peer, Some(ip("198.51.100.12")));
    assert!(v.home && v.nodad && v.noprefixroute && v.autojoin && v.no_track);
    assert_eq!(v.preferred_lft, Some(0));
    assert_eq!(
        i.virtual_ipaddress_excluded[0].prefix.to_string(),
        "2001:db8::10/64"
    );

    let r = &i.virtual_routes;
    assert_eq!(r.len(), 4);
    assert_eq!(r[0].kind, RouteType::Unicast);
    assert_eq!(r[0].src, Some(ip("198.51.100.10")));
    assert_eq!(r[0].to.to_string(), "203.0.113.0/24");
    assert_eq!(r[0].via, Some(ip("198.51.100.1")));
    assert_eq!(
        (r[0].table, r[0].metric, r[0].scope.as_deref()),
        (Some(100), Some(5), Some("link"))
    );
    assert_eq!((r[1].kind, r[1].no_track), (RouteType::Blackhole, true));
    assert_eq!(r[2].kind, RouteType::Unreachable);
    assert_eq!(r[3].kind, RouteType::Prohibit);

    assert_eq!(i.unicast_src_ip, Some(ip("198.51.100.2")));
    assert_eq!(i.unicast_peer.len(), 2);
    assert_eq!(
        (i.unicast_peer[0].min_ttl, i.unicast_peer[0].max_ttl),
        (Some(1), Some(64))
    );
    assert_eq!(i.mcast_src_ip, Some(ip("198.51.100.2")));
    assert_eq!(i.accept, Some(true));
    let nm = i.notify_master.as_ref().unwrap();
    assert_eq!(nm.argv, vec!["/usr/local/bin/notify.sh", "master", "a b"]);
    assert_eq!(
        (nm.user.as_deref(), nm.group.as_deref()),
        (Some("nobody"), Some("nogroup"))
    );
    assert_eq!(
        i.notify_fault.as_ref().unwrap().user.as_deref(),
        Some("root")
    );
    assert!(i.notify_backup.is_some() && i.notify_stop.is_some() && i.notify.is_some());
    assert_eq!(i.track_interface.len(), 2);
    assert_eq!(
        (
            i.track_interface[0].name.as_str(),
            i.track_interface[0].weight
        ),
        ("eth1", Some(-20))
    );
    assert_eq!(i.track_interface[1].weight, None);
    assert_eq!(
        (
            i.garp_master_delay,
            i.garp_master_repeat,
            i.garp_master_refresh,
            i.garp_master_refresh_repeat
        ),
        (Some(3), Some(4), Some(30), Some(2))
    );
    assert_eq!(i.lower_prio_no_advert, Some(true));
    assert_eq!(i.higher_prio_send_advert, Some(true));
    assert_eq!(i.skip_check_adv_addr, Some(false));
    assert_eq!(i.strict_mode, Some(false));
    assert!(i.dont_track_primary);
    assert_eq!(i.use_vmac.as_deref(), Some("vrrp.51"));
    assert_eq!(i.debug, 2);
}

#[test]
fn defaults_and_versions() {
    let l = load_str(
        "global_defs {\n vrrp_version 3\n}\n\
         vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 0.456\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n\
         vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 2\n advert_int 1.6\n virtual_ipaddress {\n 198.51.100.2\n }\n}\n\
         vrrp_instance C {\n interface eth0\n virtual_router_id 1\n version 2\n virtual_ipaddress {\n 2001:db8::1\n }\n}\n",
    );
    let a = l.config.instance("A").unwrap();
    assert_eq!(
        (a.priority, a.version, a.advert_int, a.state),
        (100, 3, 0.46, None)
    );
    let b = l.config.instance("B").unwrap();
    assert_eq!((b.version, b.advert_int), (2, 2.0));
    assert!(
        has(&l, Severity::Warning, 12, "must be an integer"),
        "{:?}",
        diags(&l)
    );
    // Same VRID as A on the same interface, but IPv6: allowed, and v3.
    let c = l.config.instance("C").unwrap();
    assert_eq!(c.version, 3);
    assert!(c.is_ipv6());
    assert!(!l.has_errors(), "{:?}", diags(&l));
}

#[test]
fn instance_errors_are_graded_and_located() {
    let l = load_str(
        "vrrp_instance A {\n\
         state FOO\n\
         interface eth0\n\
         virtual_router_id 10\n\
         priority 300\n\
         advert_int 0.005\n\
         authentication {\n\
         auth_type PASS\n\
         auth_pass 1234567890\n\
         }\n\
         virtual_ipaddress {\n\
         198.51.100.1/24\n\
         198.51.100.300/24\n\
         2001:db8::1/64\n\
         198.51.100.7/33\n\
         }\n\
         frobnicate 1\n\
         track_script {\n\
         chk\n\
         }\n\
         }\n",
    );
    let d = diags(&l);
    assert!(has(&l, Severity::Error, 2, "unknown state 'FOO'"), "{d:?}");
    assert!(has(&l, Severity::Error, 5, "'300'"), "{d:?}");
    assert!(has(&l, Severity::Error, 6, "'0.005'"), "{d:?}");
    assert!(
        has(&l, Severity::Warning, 9, "Truncating auth_pass"),
        "{d:?}"
    );
    assert!(has(&l, Severity::Error, 13, "198.51.100.300/24"), "{d:?}");
    assert!(
        has(&l, Severity::Error, 14, "address family must match"),
        "{d:?}"
    );
    assert!(has(&l, Severity::Warning, 15, "using 32"), "{d:?}");
    assert!(
        has(&l, Severity::Warning, 17, "unknown keyword frobnicate"),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            19,
            "(A) track script chk not found, ignoring"
        ),
        "{d:?}"
    );
    let i = &l.config.vrrp_instances[0];
    assert_eq!((i.priority, i.advert_int), (100, 1.0));
    assert_eq!(i.state, Some(InitialState::Backup));
    assert_eq!(
        i.authentication.as_ref().unwrap().auth_pass.as_deref(),
        Some("12345678")
    );
    let vips: Vec<String> = i
        .virtual_ipaddress
        .iter()
        .map(|v| v.prefix.to_string())
        .collect();
    assert_eq!(vips, vec!["198.51.100.1/24", "198.51.100.7/32"]);
    // frobnicate stays raw; the unknown track_script reference is dropped.
    assert_eq!(i.other.len(), 1);
    assert!(i.track_script.is_empty());
    assert!(!l.refuses_start());
    assert_eq!(check_exit_code(&l), exit::CONFIG_TEST);
}

#[test]
fn missing_or_bad_vrid_drops_instance_fatally() {
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n\
         vrrp_instance B {\n interface eth0\n virtual_router_id 256\n}\n\
         vrrp_instance OK {\n interface eth0\n virtual_router_id 3\n virtual_ipaddress {\n 198.51.100.3\n }\n}\n",
    );
    let d = diags(&l);
    assert!(
        has(
            &l,
            Severity::Error,
            1,
            "(A) the virtual router id must be set"
        ),
        "{d:?}"
    );
    assert!(has(&l, Severity::Error, 9, "'256'"), "{d:?}");
    assert!(
        has(
            &l,
            Severity::Error,
            7,
            "(B) the virtual router id must be set"
        ),
        "{d:?}"
    );
    let names: Vec<&str> = l
        .config
        .vrrp_instances
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, vec!["OK"]);
    assert!(l.refuses_start());
}

#[test]
fn duplicate_vrid_and_name() {
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 10\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n\
         vrrp_instance B {\n interface eth0\n virtual_router_id 10\n virtual_ipaddress {\n 198.51.100.2\n }\n}\n\
         vrrp_instance C {\n interface eth1\n virtual_router_id 10\n virtual_ipaddress {\n 198.51.100.3\n }\n}\n\
         vrrp_instance A {\n interface eth2\n virtual_router_id 11\n}\n",
    );
    let d = diags(&l);
    assert!(
        has(
            &l,
            Severity::Error,
            8,
            "A and B both use VRID 10 with IPv4 on interface eth0"
        ),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Error, 22, "vrrp instance A already defined"),
        "{d:?}"
    );
    let names: Vec<&str> = l
        .config
        .vrrp_instances
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, vec!["A", "C"]);
    assert!(l.refuses_start());
}

#[test]
fn strict_mode_with_unicast_peers_is_fatal() {
    let l = load_str(
        "global_defs {\n vrrp_strict\n}\nvrrp_instance A {\n interface eth0\n virtual_router_id 10\n unicast_peer {\n 198.51.100.9\n }\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n",
    );
    assert!(
        has(&l, Severity::Error, 4, "not supported in strict mode"),
        "{:?}",
        diags(&l)
    );
    assert!(l.config.vrrp_instances.is_empty());
    assert!(l.refuses_start());
}

#[test]
fn value_block_errors() {
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 10\n virtual_ipaddress {\n 198.51.100.1 dev\n 198.51.100.2 bogus\n }\n\
         virtual_routes {\n via 198.51.100.1\n 203.0.113.0/24 or 198.51.100.1 dev eth0\n }\n\
         unicast_peer {\n nonsense\n 198.51.100.5 max_ttl 300\n }\n\
         track_interface {\n eth1 weight 1000\n }\n\
         notify_master \"/bin/x 'unterminated\"\n}\n",
    );
    let d = diags(&l);
    assert!(has(&l, Severity::Error, 5, "missing a parameter"), "{d:?}");
    assert!(
        has(
            &l,
            Severity::Warning,
            6,
            "unknown configuration entry 'bogus'"
        ),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Error, 9, "route has no destination"),
        "{d:?}"
    );
    assert!(has(&l, Severity::Warning, 10, "deprecated"), "{d:?}");
    assert!(has(&l, Severity::Error, 13, "'nonsense'"), "{d:?}");
    assert!(has(&l, Severity::Error, 14, "'300'"), "{d:?}");
    assert!(has(&l, Severity::Error, 17, "'1000'"), "{d:?}");
    assert!(has(&l, Severity::Error, 19, "missing terminating"), "{d:?}");
    let i = &l.config.vrrp_instances[0];
    assert_eq!(i.virtual_ipaddress.len(), 1);
    assert_eq!(i.virtual_routes.len(), 1);
    assert!(i.unicast_peer.is_empty());
    assert!(i.notify_master.is_none());
}

#[test]
fn unsupported_top_level_blocks_are_kept_with_warnings() {
    let l = load_str(
        "static_routes {\n 203.0.113.0/24 via 198.51.100.254\n}\nvirtual_server 198.51.100.1 80 {\n delay_loop 6\n}\nnot_a_keyword {\n}\nvrrp_script chk {\n script \"/bin/true\"\n}\n",
    );
    let d = diags(&l);
    assert_eq!(
        d,
        vec![
            "1: warning: static_routes: parsed, but vigil does not act on it yet",
            "4: warning: keyword virtual_server is not supported by vigil yet",
            "7: warning: unknown keyword not_a_keyword",
        ]
    );
    assert_eq!(l.config.vrrp_scripts.len(), 1);
    assert_eq!(l.config.other.len(), 2);
    assert_eq!(l.config.other[0].kids()[0].keyword, "delay_loop");
    // "not supported yet" is vigil's own note; keepalived reports unknown keywords.
    assert!(!l.diagnostics[0].keepalived_reports);
    assert!(l.diagnostics[2].keepalived_reports);
    assert_eq!(check_exit_code(&l), exit::CONFIG_TEST);
}

#[test]
fn exit_codes() {
    let ok = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 198.51.100.1\n }\n}\nvrrp_script s {\n script /bin/true\n}\n",
    );
    assert_eq!(check_exit_code(&ok), exit::OK, "{:?}", diags(&ok));
    let fs = vigil_kaconf::MemFs::new();
    let missing = vigil_kaconf::load(std::path::Path::new("/nope.conf"), &fs, &Default::default());
    assert_eq!(check_exit_code(&missing), exit::CONFIG);
    assert!(missing.refuses_start() && missing.has_errors());
    assert_eq!(
        missing.diagnostics[0].to_string().split(": ").nth(1),
        Some("error")
    );
}

#[test]
fn diagnostic_display_format() {
    let l = load_str("\nvrrp_instance A {\n priority 0\n}\n");
    let first = l.diagnostics[0].to_string();
    assert!(
        first.starts_with("/k/keepalived.conf:3: error: "),
        "{first}"
    );
}

#[test]
fn notify_unquoted_command_line() {
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n notify_master /bin/bash /usr/local/bin/a.sh 3 4\n notify_backup /bin/b.sh user grp\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n",
    );
    let i = &l.config.vrrp_instances[0];
    let m = i.notify_master.as_ref().unwrap();
    assert_eq!(m.argv, vec!["/bin/bash", "/usr/local/bin/a.sh", "3", "4"]);
    assert_eq!((m.user.as_deref(), m.group.as_deref()), (None, None));
    let b = i.notify_backup.as_ref().unwrap();
    assert_eq!(
        (b.user.as_deref(), b.group.as_deref()),
        (Some("user"), Some("grp"))
    );
    // keepalived accepts this silently: only a vigil note, exit code 0.
    assert_eq!(check_exit_code(&l), exit::OK, "{:?}", diags(&l));
}

#[test]
fn routes_default_and_family_words() {
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 198.51.100.1 brd +\n }\n virtual_routes {\n default via 198.51.100.254 dev eth0\n default via inet6 2001:db8::1 dev eth0\n default6 via 2001:db8::1 dev eth0\n }\n unicast_src_ip 198.51.100.1/24\n unicast_peer {\n 198.51.100.2\n }\n}\n",
    );
    assert!(!l.has_errors(), "{:?}", diags(&l));
    let i = &l.config.vrrp_instances[0];
    assert_eq!(i.virtual_ipaddress[0].brd, Some(Broadcast::Ones));
    let to: Vec<String> = i.virtual_routes.iter().map(|r| r.to.to_string()).collect();
    assert_eq!(to, vec!["0.0.0.0/0", "::/0", "::/0"]);
    assert_eq!(i.virtual_routes[1].via, Some(ip("2001:db8::1")));
    assert_eq!(i.unicast_src_ip, Some(ip("198.51.100.1")));
}

#[test]
fn unicast_instances_may_share_a_vrid() {
    // Measured with keepalived 2.2.7: only multicast instances must not share
    // a VRID on one interface.
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 9\n unicast_peer {\n 198.51.100.2\n }\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n\
         vrrp_instance B {\n interface eth0\n virtual_router_id 9\n virtual_ipaddress {\n 198.51.100.3\n }\n}\n",
    );
    assert!(!l.has_errors(), "{:?}", diags(&l));
    assert_eq!(l.config.vrrp_instances.len(), 2);
}

#[test]
fn vrrp_v3_interval_and_authentication() {
    // Messages and grading measured with keepalived 2.2.7.
    let l = load_str(
        "vrrp_instance A {\n interface eth0\n virtual_router_id 10\n version 3\n advert_int 50\n virtual_ipaddress {\n 198.51.100.1\n }\n}\n\
         vrrp_instance B {\n interface eth0\n virtual_router_id 11\n version 3\n advert_int 0.123\n virtual_ipaddress {\n 198.51.100.2\n }\n authentication {\n auth_type PASS\n auth_pass x\n }\n}\n",
    );
    let d = diags(&l);
    assert!(has(&l, Severity::Warning, 1, "Setting to 40.95s"), "{d:?}");
    assert!(has(&l, Severity::Warning, 10, "units of 10ms"), "{d:?}");
    assert!(
        has(&l, Severity::Warning, 10, "does not support authentication"),
        "{d:?}"
    );
    assert!(!l.has_errors(), "{d:?}");
    let a = l.config.instance("A").unwrap();
    let b = l.config.instance("B").unwrap();
    assert_eq!((a.advert_int, b.advert_int), (40.95, 0.12));
    assert!(b.authentication.is_none());
    assert_eq!(check_exit_code(&l), exit::CONFIG_TEST);
}

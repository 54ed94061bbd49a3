//! The effective-config dump: a golden file, and dump -> load -> dump is
//! stable.

use std::path::{Path, PathBuf};

use vigil_kaconf::{load, MemFs};

use crate::common::{load_str, opts};

const INPUT: &str = "\
global_defs {
    router_id \"r 1\"
    vrrp_version 2
    vrrp_garp_interval 0.5
    vrrp_lower_prio_no_advert
    script_user nobody
    enable_script_security
    notify_fifo /run/k.fifo root root
    smtp_server 198.51.100.25 2525
    notification_email {
        ops@example.com
    }
    notification_email_from vigil@example.com
    umask IWGRP|IWOTH
    vrrp_garp_extra_if all 100
    vrrp_rx_bufs_policy MTU
    startup_script \"/bin/start x\" root
    vrrp_min_garp
    nftables
    vrrp_iptables
    max_auto_priority
    vmac_prefix vr
    smtp_alert_checker true
}
instance lab1
linkbeat_interfaces {
    eth0 MII
    eth1
}
interface_up_down_delays {
    eth0 1 2.5
}
track_group TG {
    group {
        VI_3
    }
}
static_ipaddress {
    203.0.113.5/24 dev eth1 track_group TG
}
static_routes {
    203.0.113.128/25 via 203.0.113.1 dev eth1 track_group TG
}
static_rules {
    from 203.0.113.0/24 table 100 preference 100 track_group TG
    to 203.0.113.64/26 fwmark 0x10/0xff goto 200 preference 101
}
garp_group {
    garp_interval 0.25
    interfaces {
        eth0
        eth1
    }
}
track_file tf {
    file \"/run/t f\"
    weight 2 reverse
    init_file 5 overwrite
}
vrrp_track_process tp {
    process haproxy -f \"/etc/h a.cfg\"
    param_match partial
    weight -5
    quorum 2
    quorum_max 4
    delay 1.5
    full_command
}
vrrp_sync_group SG {
    group {
        VI_1 VI_2
    }
    track_script {
        chk weight 0
    }
    notify_master \"/bin/sg master\"
    notify_deleted
    smtp_alert
}
$VIP=198.51.100
vrrp_script chk {
    script \"/bin/check --x 'y z'\"
    weight -10
    interval 2
    rise 2
    fall 3
    user nobody
    init_fail
}
$SMALL= \\
vrrp_instance VI_${N} { \\
    interface eth0 \\
    virtual_router_id ${N} \\
    virtual_ipaddress { \\
        ${VIP}.1${N} \\
    } \\
}
~SEQ(N, 1, 2) $SMALL
vrrp_instance VI_3 {
    state MASTER
    interface eth0
    virtual_router_id 3
    priority 200
    advert_int 3
    nopreempt
    authentication {
        auth_type AH
        auth_pass abc
    }
    virtual_ipaddress {
        ${VIP}.1/24 dev eth0 label eth0:v
        ${VIP}.2 -nodad no_track
    }
    virtual_routes {
        203.0.113.0/24 via ${VIP}.254 dev eth0
        blackhole 203.0.113.128/25 no_track
    }
    unicast_peer {
        ${VIP}.3 max_ttl 2
    }
    no_accept
    notify \"/bin/notify 'a b'\" nobody
    track_interface {
        eth1 weight 5
    }
    garp_master_refresh 10
    strict_mode off
    use_vmac vr3 02:11:22:33:44 group 3
    vmac_xmit_base
    track_script {
        chk
    }
    track_file {
        tf weight 3
    }
    track_process {
        tp noreverse
    }
    unicast_ttl 5
    garp_extra_if 60
    down_timer_adverts 4
    timer_expired_backup
    notify_master_rx_lower_pri /bin/lower
    notify_priority_changes
    smtp_alert
    kernel_rx_buf_size 65536
    track_src_ip
    virtual_rules {
        from 198.51.100.1 table 100 preference 50 no_track
    }
}
vrrp_instance VI_4 {
    interface eth1
    virtual_router_id 4
    native_ipv6
    virtual_ipaddress {
        2001:db8::4/64
    }
    auth_hmac {
        key 1 hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
        key 2 \"an ascii key of thirty two bytes\"
        key 3 file:/etc/keepalived/k3
        active_key 2
        anti_replay monotonic
        time_window 10
        mode permissive
    }
    mcast_dst_ip ff02::18
    v3_checksum_as_v2
    old_unicast_checksum never
    promote_secondaries
    use_ipvlan name ipv4 2001:db8::44/64 private
    check_unicast_src
    unicast_fault_no_peer
}
";

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/kaconf/golden")
        .join(name)
}

/// Compares `got` with the golden file, or rewrites it with VIGIL_BLESS=1.
pub fn check_golden(name: &str, got: &str) {
    check_golden_at(&golden(name), got);
}

/// [`check_golden`] for a file anywhere.
pub fn check_golden_at(path: &Path, got: &str) {
    if std::env::var_os("VIGIL_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with VIGIL_BLESS=1)", path.display()));
    assert!(
        want == got,
        "{} differs (VIGIL_BLESS=1 rewrites it)\n--- want\n{want}\n--- got\n{got}",
        path.display()
    );
}

#[test]
fn dump_matches_golden() {
    let l = load_str(INPUT);
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    check_golden("full.dump", &l.config.to_string());
}

#[test]
fn dump_round_trips() {
    let l = load_str(INPUT);
    let first = l.config.to_string();
    let fs = MemFs::new().with("/d/dump.conf", first.clone());
    let again = load(Path::new("/d/dump.conf"), &fs, &opts(Some("main")));
    assert!(!again.has_errors(), "{:?}", again.diagnostics);
    assert_eq!(again.config.to_string(), first);
    assert_eq!(again.config.vrrp_instances.len(), 4);
    // The typed sections survive the round trip.
    let (a, b) = (&again.config, &l.config);
    let strip = |g: &vigil_kaconf::config::GlobalDefs| {
        let mut g = g.clone();
        g.other.clear();
        g
    };
    assert_eq!(strip(&a.global), strip(&b.global));
    assert_eq!(a.process, b.process);
    assert_eq!(a.sync_groups[0].group, b.sync_groups[0].group);
    assert_eq!(a.vrrp_scripts[0].script, b.vrrp_scripts[0].script);
    assert_eq!(a.track_processes[0].process, b.track_processes[0].process);
    assert_eq!(
        a.instance("VI_4").unwrap().auth_hmac,
        b.instance("VI_4").unwrap().auth_hmac
    );
    assert_eq!(
        a.instance("VI_3").unwrap().vmac,
        b.instance("VI_3").unwrap().vmac
    );
    assert_eq!(a.linkbeat_interfaces, b.linkbeat_interfaces);
    assert_eq!(a.static_rules.len(), 2);
}

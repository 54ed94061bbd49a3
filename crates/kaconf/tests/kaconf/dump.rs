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
    smtp_server 198.51.100.25
}
$VIP=198.51.100
vrrp_script chk {
    script \"/bin/check --x 'y z'\"
    weight -10
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
    use_vmac
    track_script {
        chk
    }
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
    assert_eq!(again.config.vrrp_instances.len(), 3);
}

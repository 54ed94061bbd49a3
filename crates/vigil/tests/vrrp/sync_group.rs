//! `vrrp_sync_group` (keepalived.conf(5) "VRRP synchronization group(s)"): VI_1 (VRID 51,
//! .100) and VI_2 (VRID 52, .101) grouped on h1 (120) and h2 (110). Only VI_1 fails on
//! h1, yet both addresses move to h2 together, as the client h3 sees; the group's
//! `notify` script gets `GROUP G STATE PRIORITY`.

use std::time::Duration;

use vigil_lab::wait_until;

use super::common::*;
use super::tracking::{file_check, track_script, under_test};

/// The second virtual address (VI_2).
const VIP_B: &str = "198.51.100.101";

/// keepalived.conf of `host` at `prio`: VI_1 (tracking `chk` if `ok` is given), VI_2
/// and the sync group G with the `notify` script.
fn conf(host: &str, prio: u8, ok: Option<&std::path::Path>, notify: &str) -> String {
    let mut vi1 = Conf::v3(host, prio);
    if let Some(ok) = ok {
        vi1 = vi1
            .block(&file_check("chk", ok, "weight 0"))
            .line(&track_script("chk"));
    }
    let vi2 = Conf {
        name: "VI_2".into(),
        vrid: 52,
        ..Conf::v3(host, prio).with_vips(&[&format!("{VIP_B}/24")])
    };
    format!(
        "{}\n{}\nvrrp_sync_group G {{\n    group {{\n        VI_1\n        VI_2\n    }}\n    \
         notify \"{notify}\"\n}}\n",
        vi1.render(),
        vi2.instance_block()
    )
}

fn lines(p: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn sync_group_moves_both_addresses_together() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let ok = t.write("ok", "");
    let (log1, log2) = (t.path("h1-group.log"), t.path("h2-group.log"));
    let n1 = t.script(
        "h1-notify.sh",
        &format!("echo \"$@\" >> {}", log1.display()),
    );
    let n2 = t.script(
        "h2-notify.sh",
        &format!("echo \"$@\" >> {}", log2.display()),
    );
    let k = under_test();

    let d1 = start_impl(&t, k, "h1", &conf("h1", 120, Some(&ok), &n1));
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    expect_master(&t, "h1", &["h2"], VIP_B, Duration::from_secs(5));
    let d2 = start_impl(&t, k, "h2", &conf("h2", 110, None, &n2));
    assert!(
        wait_until(Duration::from_secs(5), || d2.entries("VI_2", "Backup") >= 1
            && d2.entries("VI_1", "Backup") >= 1),
        "h2 did not start as backup"
    );
    settle_client(&t, VIP4, &t.mac("h1"));
    assert!(
        wait_until(Duration::from_secs(3), || lines(&log1)
            .contains(&"GROUP G MASTER 0".to_string())),
        "h1's group notify: {:?}",
        lines(&log1)
    );

    // Only VI_1's script fails on h1; the group takes VI_2 along.
    std::fs::remove_file(&ok).expect("removing the ok file");
    expect_moved(&t, "h2", &["h1"], VIP4);
    expect_moved(&t, "h2", &["h1"], VIP_B);
    assert!(
        wait_until(Duration::from_secs(2), || d1.entries("VI_1", "Fault") == 1),
        "h1's VI_1 did not enter FAULT"
    );
    assert_eq!(d1.entries("VI_2", "Master"), 1);
    assert_eq!(d2.entries("VI_1", "Master"), 1);
    assert_eq!(d2.entries("VI_2", "Master"), 1);
    // Stable: the group does not flap.
    std::thread::sleep(Duration::from_millis(1500));
    expect_master(&t, "h2", &["h1"], VIP4, Duration::from_secs(2));
    expect_master(&t, "h2", &["h1"], VIP_B, Duration::from_secs(2));
    assert!(
        wait_until(Duration::from_secs(3), || lines(&log2)
            .contains(&"GROUP G MASTER 0".to_string())
            && lines(&log1).contains(&"GROUP G FAULT 0".to_string())),
        "group notify: h1 {:?}, h2 {:?}",
        lines(&log1),
        lines(&log2)
    );

    // VI_1 recovers: both come back to h1.
    std::fs::write(&ok, "").expect("recreating the ok file");
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(6));
    expect_master(&t, "h1", &["h2"], VIP_B, Duration::from_secs(3));
    assert_eq!(d1.entries("VI_1", "Master"), 2);
    assert_eq!(d1.entries("VI_2", "Master"), 2);
    // keepalived.conf(5): the group's notify gets "GROUP", its name, the state and a
    // priority; every line is of that form.
    for l in lines(&log1).iter().chain(lines(&log2).iter()) {
        let w: Vec<&str> = l.split(' ').collect();
        assert!(
            w.len() == 4
                && w[0] == "GROUP"
                && w[1] == "G"
                && ["MASTER", "BACKUP", "FAULT"].contains(&w[2])
                && w[3].parse::<u8>().is_ok(),
            "group notify line {l:?}"
        );
    }
}

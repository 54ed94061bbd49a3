//! Renderers: golden files, plus byte-for-byte comparisons with what Debian's keepalived
//! 2.2.7 wrote for the same state (scenario B).

use std::time::Duration;

use crate::fixtures::{scenario_a, scenario_b};
use crate::golden::check;
use crate::keepalived::status::*;

#[test]
fn data_a() {
    check("data_a", &render_data(&scenario_a()));
}

#[test]
fn data_b() {
    check("data_b", &render_data(&scenario_b()));
}

#[test]
fn stats_b() {
    check("stats_b", &render_stats(&scenario_b()));
}

#[test]
fn json_v1_a() {
    check("json_v1_a", &render_json(&scenario_a(), JsonVersion::V1));
}

#[test]
fn json_v1_b() {
    check("json_v1_b", &render_json(&scenario_b(), JsonVersion::V1));
}

#[test]
fn json_v2_b() {
    check("json_v2_b", &render_json(&scenario_b(), JsonVersion::V2));
}

#[test]
fn metrics_a() {
    check("metrics_a", &render_metrics(&scenario_a()));
}

#[test]
fn table_a() {
    check("table_a", &render_table(&scenario_a()));
}

#[test]
fn table_b() {
    check("table_b", &render_table(&scenario_b()));
}

/// keepalived 2.2.7 wrote exactly this for scenario B on SIGUSR2.
#[test]
fn stats_match_keepalived() {
    let mut expected = String::new();
    for (name, rcvd, sent, became, released) in [
        ("VI_1", 10, 0, 0, 0),
        ("VI_6", 14, 9, 1, 1),
        ("VI_F", 0, 0, 0, 0),
    ] {
        expected.push_str(&format!(
            "VRRP Instance: {name}\n  Advertisements:\n    Received: {rcvd}\n    Sent: {sent}\n  \
             Became master: {became}\n  Released master: {released}\n  Packet Errors:\n    Length: 0\n    \
             TTL: 0\n    Invalid Type: 0\n    Advertisement Interval: 0\n    Address List: 0\n  \
             Authentication Errors:\n    Invalid Type: 0\n    Type Mismatch: 0\n    Failure: 0\n  \
             Priority Zero:\n    Received: 0\n    Sent: 0\n"
        ));
    }
    assert_eq!(render_stats(&scenario_b()), expected);
}

/// The first instance of keepalived 2.2.7's keepalived.json for scenario B, as it wrote it.
#[test]
fn json_matches_keepalived() {
    let kept = concat!(
        r#"[{"data":{"iname":"VI_1","dont_track_primary":0,"skip_check_adv_addr":0,"strict_mode":0,"#,
        r#""vmac_ifname":"","ifp_ifname":"d0","master_priority":200,"last_transition":1795595447.566511,"#,
        r#""garp_delay":5,"garp_refresh":0,"garp_rep":5,"garp_refresh_rep":1,"garp_lower_prio_delay":5,"#,
        r#""garp_lower_prio_rep":5,"lower_prio_no_advert":0,"higher_prio_send_advert":0,"vrid":51,"#,
        r#""base_priority":100,"effective_priority":100,"vipset":false,"promote_secondaries":false,"#,
        r#""adver_int":1,"master_adver_int":1,"accept":1,"nopreempt":false,"preempt_delay":0,"state":1,"#,
        r#""wantstate":1,"version":2,"smtp_alert":false,"notify_deleted":false,"#,
        r#""vips":["198.51.100.10\/24 dev d0 scope global"],"auth_type":1,"auth_data":"secret1"},"#,
        r#""stats":{"advert_rcvd":10,"advert_sent":0,"become_master":0,"release_master":0,"#,
        r#""packet_len_err":0,"advert_interval_err":0,"ip_ttl_err":0,"invalid_type_rcvd":0,"#,
        r#""addr_list_err":0,"invalid_authtype":0,"authtype_mismatch":0,"auth_failure":0,"#,
        r#""pri_zero_rcvd":0,"pri_zero_sent":0}},"#
    );
    let ours = render_json(&scenario_b(), JsonVersion::V1);
    assert!(ours.starts_with(kept), "ours:\n{ours}\nkeepalived:\n{kept}");
    // The VRRPv3 instance: half-second intervals print like %g, the time like %f.
    assert!(ours.contains(r#""last_transition":1795595453.555740,"#));
    assert!(ours.contains(r#""adver_int":0.5,"master_adver_int":0.5,"#));
    assert!(
        ours.contains(r#""vips":["2001:db8::10\/64 dev d0 scope global preferred_lft forever"]"#)
    );
    assert!(ours.ends_with("}}]\n"));
}

#[test]
fn json_is_valid_and_versioned() {
    let snap = scenario_a();
    let v1: serde_json::Value =
        serde_json::from_str(&render_json(&snap, JsonVersion::V1)).expect("v1 is JSON");
    let arr = v1.as_array().expect("v1 is an array");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["data"]["iname"], "VI_1");
    assert_eq!(
        arr[0]["data"]["vips"][0],
        "198.51.100.10/24 dev d0 scope global set"
    );
    assert_eq!(arr[0]["data"]["track_script"][0], "'/usr/bin/true'");
    assert_eq!(arr[0]["data"]["script"], "/usr/local/bin/notify.sh");
    assert_eq!(arr[1]["data"]["state"], 2);
    let v2: serde_json::Value =
        serde_json::from_str(&render_json(&snap, JsonVersion::V2)).expect("v2 is JSON");
    assert_eq!(v2["vrrp"], v1);
    assert_eq!(JsonVersion::try_from(2), Ok(JsonVersion::V2));
    assert_eq!(JsonVersion::try_from(3), Err(3));
}

#[test]
fn json_escapes_odd_names() {
    let mut snap = scenario_a();
    snap.instances[0].name = "a\"b\\c/d\u{1}e\n".into();
    let text = render_json(&snap, JsonVersion::V1);
    assert!(text.contains(r#""iname":"a\"b\\c\/d\u0001e\n""#), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
    assert_eq!(v[0]["data"]["iname"], "a\"b\\c/d\u{1}e\n");
}

/// keepalived.data lines that depend on state, family and version.
#[test]
fn data_lines_follow_keepalived() {
    let text = render_data(&scenario_b());
    for line in [
        " VRRP Instance = VI_1\n   VRRP Version = 2\n   State = BACKUP\n   Master router = 198.51.100.2\n   Master priority = 200\n   Flags: none\n   Wantstate = BACKUP\n",
        "   Last transition = 1795595447.566511 (Wed Nov 25 08:30:47.566511 2026)\n",
        "   Master down timer = 3609375 usecs\n   Interface = d0\n   Using src_ip = 198.51.100.1\n   Multicast address 224.0.0.18\n",
        "   Authentication type = SIMPLE_PASSWORD\n   Password = secret1\n   Virtual IP (1):\n     198.51.100.10/24 dev d0 scope global\n",
        " VRRP Instance = VI_6\n   VRRP Version = 3\n   Using Native IPv6\n   State = BACKUP\n   Master router = fe80::843e:4fff:fe61:19da\n   Master priority = 200\n   Master advert int = 0.50 sec\n",
        "   Advert interval = 500 milli-sec\n   Master advert interval = 500 milli-sec\n   Accept = enabled\n   Preempt = enabled\n   Preempt delay = 3 secs\n   Promote_secondaries = disabled\n   Virtual IP (1):\n",
        "   State = FAULT\n   Flags: none\n   Wantstate = FAULT\n   Number of config faults = 0\n   Number of interface and track script faults = 1\n",
        "   Tracked interfaces :\n     dy weight 0\n   Using smtp notification = no\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let a = render_data(&scenario_a());
    assert!(a.contains("   Flags:\n     Using unicast\n"));
    assert!(a.contains("   Unicast Peer :\n     198.51.100.2 min_ttl 0 max_ttl 255\n"));
    assert!(a.contains("   Virtual IP Excluded :\n     198.51.100.20 dev d0 scope global set\n"));
    assert!(a.contains("   Tracked scripts :\n     chk_ok weight 10\n"));
}

#[test]
fn fifo_lines() {
    let inst = |event, priority| {
        notify_fifo_line(&FifoEvent::Instance {
            name: "VI_1",
            event,
            priority,
        })
    };
    assert_eq!(
        inst(InstanceEvent::State(VrrpState::Master), 100).as_deref(),
        Some("INSTANCE \"VI_1\" MASTER 100\n")
    );
    assert_eq!(
        inst(InstanceEvent::State(VrrpState::Fault), 90).as_deref(),
        Some("INSTANCE \"VI_1\" FAULT 90\n")
    );
    assert_eq!(
        inst(InstanceEvent::State(VrrpState::Stop), 0).as_deref(),
        Some("INSTANCE \"VI_1\" STOP 0\n")
    );
    assert_eq!(
        inst(InstanceEvent::State(VrrpState::Deleted), 100).as_deref(),
        Some("INSTANCE \"VI_1\" DELETED 100\n")
    );
    assert_eq!(inst(InstanceEvent::State(VrrpState::Init), 100), None);
    assert_eq!(
        inst(InstanceEvent::MasterRxLowerPri, 100).as_deref(),
        Some("INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 100\n")
    );
    assert_eq!(
        inst(
            InstanceEvent::PriorityChange {
                state: VrrpState::Master
            },
            90
        )
        .as_deref(),
        Some("INSTANCE \"VI_1\" MASTER_PRIORITY 90\n")
    );
    assert_eq!(
        inst(
            InstanceEvent::PriorityChange {
                state: VrrpState::Backup
            },
            110
        )
        .as_deref(),
        Some("INSTANCE \"VI_1\" BACKUP_PRIORITY 110\n")
    );
    assert_eq!(
        inst(
            InstanceEvent::PriorityChange {
                state: VrrpState::Fault
            },
            110
        ),
        None
    );
    assert_eq!(
        notify_fifo_line(&FifoEvent::Group {
            name: "G",
            state: VrrpState::Backup
        })
        .as_deref(),
        Some("GROUP \"G\" BACKUP 0\n")
    );
}

#[test]
fn metrics_are_well_formed() {
    let text = render_metrics(&scenario_a());
    let mut declared = std::collections::HashSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split(' ').next().expect("name");
            assert!(declared.insert(name.to_string()), "{name} declared twice");
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let name = line.split(['{', ' ']).next().expect("name");
        assert!(declared.contains(name), "{name} sampled before its TYPE");
        let value = line.rsplit(' ').next().expect("value");
        value.parse::<f64>().expect("numeric value");
    }
    assert!(text.contains(
        "vigil_vrrp_dropped_total{instance=\"VI_2\",vrid=\"52\",interface=\"d0\",reason=\"checksum\"} 2\n"
    ));
    assert!(text.contains("vigil_vrrp_state{instance=\"VI_1\",vrid=\"51\",interface=\"d0\"} 2\n"));
    assert!(text.contains(
        "vigil_vrrp_tracker_up{instance=\"VI_1\",vrid=\"51\",interface=\"d0\",tracker=\"chk_ok\",kind=\"script\"} 1\n"
    ));

    let mut odd = scenario_a();
    odd.instances[0].name = "x\"y\\z\nw".into();
    let text = render_metrics(&odd);
    assert!(text.contains("instance=\"x\\\"y\\\\z\\nw\""), "{text}");
}

#[test]
fn fmt_g_like_c() {
    use crate::keepalived::status::json::fmt_g;
    for (v, s) in [
        (0.0, "0"),
        (1.0, "1"),
        (0.5, "0.5"),
        (2.0, "2"),
        (0.01, "0.01"),
        (40.95, "40.95"),
        (123456.0, "123456"),
        (1234567.0, "1.23457e+06"),
        (0.00001, "1e-05"),
        (1.0 / 3.0, "0.333333"),
    ] {
        assert_eq!(fmt_g(v), s, "{v}");
    }
}

#[test]
fn snapshot_json_round_trips() {
    for snap in [scenario_a(), scenario_b()] {
        let text = serde_json::to_string(&snap).expect("encode");
        let back: StatusSnapshot = serde_json::from_str(&text).expect("decode");
        assert_eq!(back, snap);
    }
    let v: serde_json::Value = serde_json::to_value(scenario_b()).expect("encode");
    assert_eq!(v["instances"][0]["state"], "BACKUP");
    assert_eq!(
        v["instances"][0]["last_transition"]["at"],
        1795595447.566511
    );
    assert_eq!(v["instances"][1]["advert_int"], 0.5);
    assert_eq!(v["instances"][1]["family"], "inet6");
    assert_eq!(v["instances"][1]["stats"]["advert_rcvd"], 14);
    let bad = text_with(&v, "/instances/0/advert_int", serde_json::json!(-1.0));
    let err = serde_json::from_str::<StatusSnapshot>(&bad).expect_err("negative duration");
    assert!(err.to_string().contains("not a number of seconds"), "{err}");
}

fn text_with(v: &serde_json::Value, pointer: &str, new: serde_json::Value) -> String {
    let mut v = v.clone();
    *v.pointer_mut(pointer).expect("pointer") = new;
    v.to_string()
}

#[test]
fn time_formats() {
    use crate::keepalived::status::timefmt::{age, iso, keepalived_stamp};
    let t = crate::fixtures::at(1_795_595_393_898_533);
    assert_eq!(
        keepalived_stamp(t),
        "1795595393.898533 (Wed Nov 25 08:29:53.898533 2026)"
    );
    assert_eq!(iso(t), "2026-11-25 08:29:53Z");
    assert_eq!(
        iso(crate::fixtures::at(951_782_400_000_000)),
        "2000-02-29 00:00:00Z"
    );
    assert_eq!(
        keepalived_stamp(crate::fixtures::at(0)),
        "0.000000 (Thu Jan  1 00:00:00.000000 1970)"
    );
    assert_eq!(age(Duration::from_secs(59)), "59s");
    assert_eq!(age(Duration::from_secs(3 * 3600 + 12 * 60)), "3h12m");
    assert_eq!(age(Duration::from_secs(2 * 86_400 + 3 * 3600)), "2d3h");
}

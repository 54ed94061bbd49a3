//! Round 2 sections: tracking definitions and references, sync groups,
//! statics, rules, VMAC / HMAC options, and the cross-reference checks
//! graded as keepalived 2.2.7 grades them.

use vigil_kaconf::config::{
    AntiReplay, HmacMode, HmacSecret, LinkbeatKind, ParamMatch, RuleAction,
};
use vigil_kaconf::{check_exit_code, exit, Severity};

use crate::common::{diags, has, load_str};

const VI: &str = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 198.51.100.1\n }\n";

#[test]
fn vrrp_script_fields_defaults_and_errors() {
    let l = load_str(
        "vrrp_script a {\n script \"/bin/a x\" nobody\n interval 2.5\n weight 300\n rise 0\n}\nvrrp_script b {\n interval 2\n}\nvrrp_script c {\n script /bin/c\n weight -20 reverse\n init_fail\n}\n",
    );
    let d = diags(&l);
    assert!(has(&l, Severity::Error, 4, "'300'"), "{d:?}");
    assert!(has(&l, Severity::Error, 5, "'0'"), "{d:?}");
    assert!(
        has(
            &l,
            Severity::Error,
            7,
            "No script set for vrrp_script b - removing"
        ),
        "{d:?}"
    );
    let s = &l.config.vrrp_scripts;
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].script.argv, vec!["/bin/a", "x"]);
    assert_eq!(s[0].script.user.as_deref(), Some("nobody"));
    assert_eq!(
        (s[0].interval, s[0].weight, s[0].rise, s[0].fall),
        (2.5, 0, 1, 1)
    );
    assert_eq!(
        (s[1].weight, s[1].reverse, s[1].init_fail),
        (-20, true, true)
    );
    assert_eq!(s[1].timeout, None);
}

#[test]
fn track_file_and_process_blocks() {
    let l = load_str(
        "track_file f1 {\n file /run/f1\n weight -7 reverse\n init_file overwrite\n}\nvrrp_track_file f2 {\n weight 2\n}\nvrrp_track_process p1 {\n process nginx -g \"daemon off;\"\n param_match initial\n quorum 2\n quorum_max 1\n delay 0.5\n}\ntrack_process p2 {\n param_match\n}\n",
    );
    let d = diags(&l);
    assert!(
        has(&l, Severity::Error, 6, "No file set for track_file f2"),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Error, 9, "quorum_max 1 is less than quorum 2"),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Error,
            16,
            "track process 'p2' process name not specified"
        ),
        "{d:?}"
    );
    let f = &l.config.track_files;
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].weight, f[0].reverse), (-7, true));
    let init = f[0].init_file.unwrap();
    assert_eq!((init.value, init.overwrite), (0, true));
    let p = &l.config.track_processes;
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].process, vec!["nginx", "-g", "daemon off;"]);
    assert_eq!(p[0].param_match, Some(ParamMatch::Initial));
    assert_eq!((p[0].quorum, p[0].quorum_max), (2, None));
    assert_eq!(
        (p[0].fork_delay, p[0].terminate_delay),
        (Some(0.5), Some(0.5))
    );
}

#[test]
fn references_to_unknown_or_duplicate_trackers_are_dropped() {
    let l = load_str(&format!(
        "vrrp_script chk {{\n script /bin/true\n}}\n{VI} track_script {{\n chk weight 10 reverse\n nope\n chk\n }}\n track_file {{\n tf weight 300\n }}\n track_process {{\n tp\n }}\n track_bfd {{\n b1\n }}\n}}\n"
    ));
    // Lines: 1 vrrp_script, 4 vrrp_instance, 10 track_script, 11 chk, 12 nope, 13 chk, 16 tf, 19 tp, 22 b1.
    let d = diags(&l);
    assert!(
        has(
            &l,
            Severity::Warning,
            12,
            "(VI_1) track script nope not found, ignoring..."
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            13,
            "(VI_1) duplicate track_script chk - ignoring"
        ),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Error, 16, "weight '300' for track file tf"),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            19,
            "(VI_1) track process tp not found"
        ),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Warning, 22, "(VI_1) track bfd b1 not found"),
        "{d:?}"
    );
    let i = l.config.instance("VI_1").unwrap();
    assert_eq!(i.track_script.len(), 1);
    assert_eq!(
        (i.track_script[0].weight, i.track_script[0].reverse),
        (Some(10), Some(true))
    );
    assert!(i.track_file.is_empty() && i.track_process.is_empty() && i.track_bfd.is_empty());
    assert_eq!(check_exit_code(&l), exit::CONFIG_TEST);
}

#[test]
fn sync_group_membership_is_checked_like_keepalived() {
    let vi = |n: u8| {
        format!("vrrp_instance VI_{n} {{\n interface eth0\n virtual_router_id {n}\n virtual_ipaddress {{\n 198.51.100.{n}\n }}\n}}\n")
    };
    let text = format!(
        "{}{}{}vrrp_sync_group G1 {{\n group {{\n VI_1 VI_9\n }}\n notify_master /bin/m\n}}\nvrrp_sync_group G2 {{\n group {{\n VI_1\n VI_2\n VI_3\n }}\n}}\nvrrp_sync_group G3 {{\n group {{\n }}\n}}\n",
        vi(1),
        vi(2),
        vi(3)
    );
    let l = load_str(&text);
    let d = diags(&l);
    // G1 at line 22, G2 at 28, G3 at 35.
    assert!(
        has(
            &l,
            Severity::Warning,
            22,
            "Virtual router VI_9 specified in sync group G1 doesn't exist - ignoring"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            22,
            "Sync group G1 has only 1 virtual router(s)"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            28,
            "Virtual router VI_1 cannot exist in more than one sync group; ignoring G2"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            36,
            "sync group G3 has empty group block"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            35,
            "Sync group G3 has no virtual router(s). removing"
        ),
        "{d:?}"
    );
    let g = &l.config.sync_groups;
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].group, vec!["VI_1"]);
    assert_eq!(g[0].notify_master.as_ref().unwrap().command, "/bin/m");
    assert_eq!(g[1].group, vec!["VI_2", "VI_3"]);
    assert_eq!(l.config.sync_group_of("VI_3").unwrap().name, "G2");
    assert!(l.config.sync_group_of("VI_9").is_none());
}

#[test]
fn weighted_trackers_of_grouped_instances_are_ignored() {
    let text = "vrrp_script w {\n script /bin/w\n weight 5\n}\nvrrp_script z {\n script /bin/z\n}\n\
        vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 198.51.100.1\n }\n track_script {\n w\n z\n z2\n }\n track_interface {\n eth1 weight -3\n }\n}\n\
        vrrp_instance B {\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {\n 198.51.100.2\n }\n track_script {\n w weight 0\n }\n}\n\
        vrrp_sync_group G {\n group {\n A\n B\n }\n}\n";
    let l = load_str(text);
    let d = diags(&l);
    assert!(
        has(
            &l,
            Severity::Warning,
            15,
            "(A) ignoring tracked script w with weights due to SYNC group"
        ),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Warning, 17, "(A) track script z2 not found"),
        "{d:?}"
    );
    let a = l.config.instance("A").unwrap();
    assert_eq!(
        a.track_script
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        vec!["z"]
    );
    assert!(a.track_interface.is_empty());
    // An explicit weight 0 overrides the script's weight.
    assert_eq!(l.config.instance("B").unwrap().track_script.len(), 1);
    // With sync_group_tracking_weight the weights stay.
    let kept = load_str(&text.replace(" B\n }\n", " B\n }\n sync_group_tracking_weight\n"));
    assert_eq!(kept.config.instance("A").unwrap().track_script.len(), 2);
    assert_eq!(kept.config.instance("A").unwrap().track_interface.len(), 1);
}

#[test]
fn instance_extras_and_their_checks() {
    let l = load_str(
        "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n use_vmac 00:00:5e:00:01:07\n unicast_peer {\n 198.51.100.9\n }\n native_ipv6\n unicast_ttl 300\n down_timer_adverts 0\n garp_extra_if 90000\n vrf red\n mcast_dst_ip 224.0.0.19\n track_interface {\n eth0\n eth1 weight 254\n eth2 weight -10 reverse\n }\n linkbeat_use_polling\n virtual_ipaddress {\n 198.51.100.1\n }\n timer_expired_backup 200\n no_virtual_ipaddress\n}\n",
    );
    let d = diags(&l);
    assert!(
        has(&l, Severity::Error, 4, "not allowed to be RFC5798 address"),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Error,
            1,
            "Cannot specify native_ipv6 with IPv4 addresses"
        ),
        "{d:?}"
    );
    assert!(has(&l, Severity::Error, 9, "'300'"), "{d:?}");
    assert!(has(&l, Severity::Error, 10, "'0'"), "{d:?}");
    assert!(has(&l, Severity::Error, 11, "'90000'"), "{d:?}");
    assert!(
        has(
            &l,
            Severity::Error,
            1,
            "Cannot specify VRF interface and interface"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            1,
            "multicast destination specified with unicast - ignoring"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            1,
            "unicast with use_vmac requires vmac_xmit_base - setting"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            16,
            "cannot be +/-254. Setting to +/-253"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            1,
            "Ignoring track_interface eth0 since own interface"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            19,
            "linkbeat_use_polling' in vrrp instance deprecated"
        ),
        "{d:?}"
    );
    let i = l.config.instance("V").unwrap();
    assert!(!i.native_ipv6 && i.vmac_xmit_base && i.vrf.is_none() && i.mcast_dst_ip.is_none());
    assert_eq!(i.vmac.as_ref().unwrap().mac, None);
    assert_eq!(i.use_vmac.as_deref(), Some(""));
    let t: Vec<(&str, Option<i32>, bool)> = i
        .track_interface
        .iter()
        .map(|t| (t.name.as_str(), t.weight, t.reverse))
        .collect();
    assert_eq!(
        t,
        vec![("eth1", Some(253), false), ("eth2", Some(-10), true)]
    );
    assert_eq!(i.timer_expired_backup, Some(200));
    assert!(i.no_virtual_ipaddress);
}

#[test]
fn no_virtual_ipaddress_silences_the_missing_vip_warning() {
    let l = load_str(
        "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n no_virtual_ipaddress\n}\n",
    );
    assert!(
        !diags(&l).iter().any(|d| d.contains("No VIP")),
        "{:?}",
        diags(&l)
    );
}

#[test]
fn auth_hmac_keys_and_exclusivity() {
    let good = load_str(&format!(
        "{VI} version 3\n auth_hmac {{\n key 7 hex:{}\n anti_replay monotonic\n mode receive-only\n }}\n}}\n",
        "ab".repeat(32)
    ));
    assert!(!good.has_errors(), "{:?}", diags(&good));
    let h = good
        .config
        .instance("VI_1")
        .unwrap()
        .auth_hmac
        .clone()
        .unwrap();
    assert_eq!(h.active_key, Some(7));
    assert_eq!(h.keys[0].secret, HmacSecret::Bytes(vec![0xab; 32]));
    assert_eq!(
        (h.anti_replay, h.mode),
        (AntiReplay::Monotonic, HmacMode::ReceiveOnly)
    );

    let bad = load_str(&format!(
        "{VI} auth_hmac {{\n key 1 short\n key 0 {k}\n key 2 hex:zz\n key 3 {k}\n key 4 {k}\n active_key 9\n time_window 301\n mode loud\n }}\n authentication {{\n auth_type PASS\n auth_pass x\n }}\n}}\n",
        k = "k".repeat(40)
    ));
    let d = diags(&bad);
    assert!(
        has(
            &bad,
            Severity::Error,
            8,
            "auth_hmac key 1 is 5 bytes, must be 32 to 64"
        ),
        "{d:?}"
    );
    assert!(has(&bad, Severity::Error, 9, "'0'"), "{d:?}");
    assert!(has(&bad, Severity::Error, 10, "invalid hex"), "{d:?}");
    assert!(has(&bad, Severity::Error, 14, "'301'"), "{d:?}");
    assert!(has(&bad, Severity::Error, 15, "'loud'"), "{d:?}");
    assert!(
        has(
            &bad,
            Severity::Error,
            7,
            "active_key 9 is not a defined key"
        ),
        "{d:?}"
    );
    assert!(bad.config.instance("VI_1").unwrap().auth_hmac.is_none());

    let both = load_str(&format!(
        "{VI} auth_hmac {{\n key 1 {k}\n }}\n authentication {{\n auth_type PASS\n auth_pass x\n }}\n}}\n",
        k = "k".repeat(40)
    ));
    assert!(
        has(&both, Severity::Error, 1, "mutually exclusive"),
        "{:?}",
        diags(&both)
    );
    let i = both.config.instance("VI_1").unwrap();
    assert!(i.auth_hmac.is_none() && i.authentication.is_some());
}

#[test]
fn statics_rules_groups_and_linkbeat() {
    let l = load_str(
        "track_group TG {\n group {\n VI_1 VI_X\n }\n}\n\
         static_ipaddress {\n 203.0.113.5/24 dev eth1 track_group TG\n 203.0.113.6/24 dev eth1 track_group NOPE\n}\n\
         static_routes {\n 203.0.113.0/25 via 203.0.113.1 dev eth1\n}\n\
         static_rules {\n from 203.0.113.0/24 table main preference 10\n to 2001:db8::/64 goto 20 preference 11\n from default iif eth0 fwmark 0x10/0xf0 uidrange 100-200 sport 10-20 prohibit preference 12\n from 203.0.113.0/24 bogus 1\n from 198.51.100.0/24 table 5\n}\n\
         linkbeat_interfaces {\n eth0 ETHTOOL\n eth1 BOGUS\n}\n\
         garp_group {\n gna_interval 0.5\n interface eth0\n}\n\
         garp_group {\n garp_interval 1\n}\n",
    );
    let d = diags(&l);
    assert!(
        has(
            &l,
            Severity::Warning,
            1,
            "track_group TG: virtual router VI_X doesn't exist"
        ),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Error, 8, "track_group NOPE not found"),
        "{d:?}"
    );
    assert!(
        has(&l, Severity::Error, 17, "Unknown rule option bogus"),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Warning,
            18,
            "Rule has no preference specified"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Error,
            22,
            "extra characters BOGUS in linkbeat interface"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &l,
            Severity::Error,
            28,
            "garp_group has no interface or interfaces"
        ),
        "{d:?}"
    );
    let c = &l.config;
    assert!(c.track_groups[0].group.is_empty());
    assert_eq!(c.static_ipaddress.len(), 2);
    assert_eq!(c.static_ipaddress[0].track_group.as_deref(), Some("TG"));
    assert_eq!(c.static_ipaddress[1].track_group, None);
    assert_eq!(c.static_routes[0].route.dev.as_deref(), Some("eth1"));
    let r = &c.static_rules;
    assert_eq!(r.len(), 4);
    assert_eq!(r[0].action, Some(RuleAction::Table("main".into())));
    assert_eq!(r[1].action, Some(RuleAction::Goto(20)));
    assert_eq!(r[1].family, Some(vigil_kaconf::config::Family::V6));
    assert_eq!(
        (r[2].from, r[2].fwmark, r[2].action.clone()),
        (None, Some((16, Some(0xf0))), Some(RuleAction::Prohibit))
    );
    assert_eq!(r[2].uidrange.unwrap().to_string(), "100-200");
    let lb = &c.linkbeat_interfaces.interfaces;
    assert_eq!(
        (lb[0].kind, lb[1].kind),
        (Some(LinkbeatKind::Ethtool), None)
    );
    assert_eq!(c.garp_groups.len(), 1);
    assert_eq!(c.garp_groups[0].gna_interval, Some(0.5));
}

#[test]
fn not_acted_on_keywords_are_noted_once_per_load() {
    let l = load_str(&format!(
        "global_defs {{\n vrrp_min_garp\n vrrp_min_garp off\n}}\n{VI} promote_secondaries\n}}\nvrrp_instance VI_2 {{\n interface eth0\n virtual_router_id 2\n virtual_ipaddress {{\n 198.51.100.2\n }}\n promote_secondaries\n}}\n"
    ));
    let notes: Vec<String> = l
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("does not act on it yet"))
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect();
    assert_eq!(
        notes,
        vec![
            "2: vrrp_min_garp: parsed, but vigil does not act on it yet",
            "11: promote_secondaries: parsed, but vigil does not act on it yet",
        ]
    );
    // Vigil's own notes do not change keepalived's exit code.
    assert_eq!(check_exit_code(&l), exit::OK, "{:?}", diags(&l));
    assert_eq!(l.config.global.vrrp.vrrp_min_garp, Some(false));
}

#[test]
fn global_defs_extras() {
    let l = load_str(
        "global_defs {\n umask 0027\n vrrp_rx_bufs_policy BOGUS\n vrrp_down_timer_adverts 200\n startup_script_timeout 2000\n max_auto_priority 120\n smtp_server mail.example.com\n notification_email {\n a@example.com \"B <b@example.com>\"\n }\n reload_file\n random_seed 12\n}\nnet_namespace blue\nchild_wait_time 10\n",
    );
    let d = diags(&l);
    assert!(
        has(&l, Severity::Error, 3, "Invalid vrrp_rx_bufs_policy BOGUS"),
        "{d:?}"
    );
    assert!(has(&l, Severity::Error, 4, "'200'"), "{d:?}");
    assert!(has(&l, Severity::Error, 5, "'2000'"), "{d:?}");
    assert!(has(&l, Severity::Error, 6, "'120'"), "{d:?}");
    let g = &l.config.global;
    assert_eq!(g.umask, Some(0o027));
    assert_eq!(
        g.smtp_server.as_ref().map(|s| (s.host.as_str(), s.port)),
        Some(("mail.example.com", None))
    );
    assert_eq!(
        g.notification_email,
        vec!["a@example.com", "B <b@example.com>"]
    );
    assert_eq!(g.daemon.reload_file, Some(None));
    assert_eq!(g.daemon.random_seed, Some(12));
    assert_eq!(g.vrrp.max_auto_priority, None);
    assert_eq!(l.config.process.net_namespace.as_deref(), Some("blue"));
    assert_eq!(l.config.process.child_wait_time, Some(10));
    assert!(g.other.is_empty() && l.config.other.is_empty());
}

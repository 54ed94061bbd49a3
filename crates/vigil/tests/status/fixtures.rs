//! Snapshots used by the tests. Scenario B reproduces, field by field, a run of Debian's
//! keepalived 2.2.7 (three instances on one host: a BACKUP with PASS authentication, a
//! VRRPv3 IPv6 BACKUP, a FAULT one tracking a down interface), so that the renderers'
//! output can be compared with keepalived's files.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use crate::keepalived::status::*;
use vigil_vrrp::Stats;

pub fn at(micros: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_micros(micros)
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

pub fn vip(addr: &str, prefix_len: u8) -> VipStatus {
    VipStatus {
        addr: ip(addr),
        prefix_len,
        dev: "d0".into(),
        brd: None,
        scope: "global".into(),
        label: None,
        peer: None,
    }
}

pub fn global(now: SystemTime) -> GlobalStatus {
    GlobalStatus {
        router_id: "LAB1".into(),
        pid: 4242,
        version: "0.1.0".into(),
        config_file: "/etc/keepalived/keepalived.conf".into(),
        now,
        uptime: Duration::from_secs(600),
        reloads: 0,
        notify_priority_changes: false,
        mcast_group4: ip("224.0.0.18"),
        mcast_group6: ip("ff02::12"),
        strict: false,
    }
}

/// A BACKUP VRRPv2 IPv4 instance; tests adjust fields.
pub fn base(name: &str, vrid: u8) -> InstanceStatus {
    InstanceStatus {
        name: name.into(),
        vrid,
        interface: "d0".into(),
        ifindex: Some(2),
        family: Family::Inet,
        version: 2,
        state: VrrpState::Backup,
        wantstate: VrrpState::Backup,
        base_priority: 100,
        effective_priority: 100,
        advert_int: Duration::from_secs(1),
        master_advert_int: Duration::from_secs(1),
        master_addr: None,
        master_priority: 0,
        src_addr: Some(ip("198.51.100.1")),
        src_from_config: false,
        unicast_peers: vec![],
        vips: vec![],
        excluded: vec![],
        routes: vec![],
        vips_set: false,
        preempt: true,
        preempt_delay: Duration::ZERO,
        accept: true,
        auth: AuthStatus::None,
        garp: GarpStatus::default(),
        fault_count: 0,
        last_transition: None,
        transitions: 0,
        stats: Stats::default(),
        trackers: vec![],
        notify_priority_changes: false,
        smtp_alert: false,
        master_down_timer: Duration::from_micros(3_609_375),
        read_timeout: None,
        scripts: NotifyScripts::default(),
    }
}

pub fn transition(micros: u64, from: VrrpState, to: VrrpState, reason: &str) -> Transition {
    Transition {
        at: at(micros),
        from,
        to,
        reason: reason.into(),
    }
}

/// keepalived 2.2.7 run B (see the module comment).
pub fn scenario_b() -> StatusSnapshot {
    let mut vi1 = base("VI_1", 51);
    vi1.master_addr = Some(ip("198.51.100.2"));
    vi1.master_priority = 200;
    vi1.auth = AuthStatus::Password("secret1".into());
    vi1.vips = vec![vip("198.51.100.10", 24)];
    vi1.last_transition = Some(transition(
        1_795_595_447_566_511,
        VrrpState::Init,
        VrrpState::Backup,
        "startup",
    ));
    vi1.transitions = 1;
    vi1.read_timeout = Some(at(1_795_595_463_154_580));
    vi1.stats.advert_rcvd = 10;

    let mut vi6 = base("VI_6", 61);
    vi6.family = Family::Inet6;
    vi6.version = 3;
    vi6.advert_int = Duration::from_millis(500);
    vi6.master_advert_int = Duration::from_millis(500);
    vi6.master_addr = Some(ip("fe80::843e:4fff:fe61:19da"));
    vi6.master_priority = 200;
    vi6.src_addr = Some(ip("fe80::543e:43ff:fe89:83b5"));
    vi6.preempt_delay = Duration::from_secs(3);
    vi6.vips = vec![vip("2001:db8::10", 64)];
    vi6.master_down_timer = Duration::from_micros(1_804_687);
    vi6.last_transition = Some(transition(
        1_795_595_453_555_740,
        VrrpState::Master,
        VrrpState::Backup,
        "higher priority advert",
    ));
    vi6.transitions = 3;
    vi6.read_timeout = Some(at(1_795_595_461_857_776));
    vi6.stats.advert_rcvd = 14;
    vi6.stats.advert_sent = 9;
    vi6.stats.became_master = 1;
    vi6.stats.release_master = 1;

    let mut vif = base("VI_F", 70);
    vif.state = VrrpState::Fault;
    vif.wantstate = VrrpState::Fault;
    vif.base_priority = 50;
    vif.effective_priority = 50;
    vif.fault_count = 1;
    vif.vips = vec![vip("198.51.100.70", 32)];
    vif.master_down_timer = Duration::from_micros(3_804_687);
    vif.last_transition = Some(transition(
        1_795_595_447_543_804,
        VrrpState::Init,
        VrrpState::Fault,
        "fault",
    ));
    vif.transitions = 1;
    vif.trackers = vec![TrackerStatus {
        name: "dy".into(),
        kind: TrackerKind::Interface,
        ok: false,
        weight: 0,
        command: None,
    }];

    StatusSnapshot {
        global: global(at(1_795_595_462_000_000)),
        instances: vec![vi1, vi6, vif],
        groups: vec![],
    }
}

/// keepalived 2.2.7 run A: a multicast MASTER with a tracked script, excluded address and
/// a virtual route, and a unicast MASTER; plus a sync group.
pub fn scenario_a() -> StatusSnapshot {
    let mut vi1 = base("VI_1", 51);
    vi1.state = VrrpState::Master;
    vi1.wantstate = VrrpState::Master;
    vi1.effective_priority = 110;
    vi1.vips_set = true;
    vi1.vips = vec![vip("198.51.100.10", 24), vip("198.51.100.11", 32)];
    vi1.excluded = vec![vip("198.51.100.20", 32)];
    vi1.routes = vec![RouteStatus {
        dst: ip("203.0.113.0"),
        prefix_len: 24,
        via: Some(ip("198.51.100.254")),
        src: None,
        dev: None,
        table: None,
        metric: None,
    }];
    vi1.trackers = vec![TrackerStatus {
        name: "chk_ok".into(),
        kind: TrackerKind::Script,
        ok: true,
        weight: 10,
        command: Some("'/usr/bin/true'".into()),
    }];
    vi1.master_down_timer = Duration::from_micros(3_570_312);
    vi1.last_transition = Some(transition(
        1_795_595_393_898_533,
        VrrpState::Backup,
        VrrpState::Master,
        "master down",
    ));
    vi1.transitions = 2;
    vi1.read_timeout = Some(at(1_795_595_397_898_851));
    vi1.stats.advert_sent = 4;
    vi1.stats.became_master = 1;
    vi1.scripts.any = Some("/usr/local/bin/notify.sh".into());

    let mut vi2 = base("VI_2", 52);
    vi2.state = VrrpState::Master;
    vi2.wantstate = VrrpState::Master;
    vi2.base_priority = 90;
    vi2.effective_priority = 90;
    vi2.advert_int = Duration::from_secs(2);
    vi2.master_advert_int = Duration::from_secs(2);
    vi2.unicast_peers = vec![ip("198.51.100.2")];
    vi2.vips_set = true;
    vi2.vips = vec![vip("198.51.100.30", 24)];
    vi2.master_down_timer = Duration::from_micros(6_648_437);
    vi2.last_transition = Some(transition(
        1_795_595_396_908_653,
        VrrpState::Backup,
        VrrpState::Master,
        "master down",
    ));
    vi2.transitions = 2;
    vi2.read_timeout = Some(at(1_795_595_398_908_662));
    vi2.stats.advert_sent = 1;
    vi2.stats.became_master = 1;
    vi2.stats.checksum_err = 2;
    vi2.stats.vrid_err = 5;

    StatusSnapshot {
        global: global(at(1_795_595_400_000_000)),
        instances: vec![vi1, vi2],
        groups: vec![GroupStatus {
            name: "G1".into(),
            state: VrrpState::Master,
            instances: vec!["VI_1".into(), "VI_2".into()],
        }],
    }
}

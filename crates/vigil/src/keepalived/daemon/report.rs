//! The daemon's state as a [`StatusSnapshot`], for the signal dumps, the status socket and
//! the metrics endpoint. Read-only: building a snapshot changes nothing.

use std::time::{Instant, SystemTime};

use vigil_vrrp::{Auth, State};

use super::Daemon;
use crate::keepalived::spec::{AddrSpec, RouteSpec};
use crate::keepalived::status::{
    AuthStatus, GarpStatus, GlobalStatus, GroupStatus, InstanceStatus, NotifyScripts, RouteStatus,
    StatusSnapshot, VipStatus, VrrpState,
};

fn scope_word(scope: Option<u8>) -> String {
    match scope {
        None | Some(0) => "global".into(),
        Some(200) => "site".into(),
        Some(253) => "link".into(),
        Some(254) => "host".into(),
        Some(255) => "nowhere".into(),
        Some(n) => n.to_string(),
    }
}

fn vip(a: &AddrSpec) -> VipStatus {
    VipStatus {
        addr: a.addr,
        prefix_len: a.prefix_len,
        dev: a.dev.clone(),
        brd: a.brd,
        scope: scope_word(a.scope),
        label: a.label.clone(),
        peer: a.peer,
    }
}

fn route(r: &RouteSpec) -> RouteStatus {
    RouteStatus {
        dst: r.dst,
        prefix_len: r.prefix_len,
        via: r.via,
        src: r.src,
        dev: r.dev.clone(),
        table: r.table,
        metric: r.metric,
    }
}

fn command(s: &Option<vigil_kaconf::config::Script>) -> Option<String> {
    s.as_ref().map(|s| s.command.clone())
}

/// Converts an instant of the monotonic clock to wall-clock time.
fn wall(at: Instant, now: Instant, wall_now: SystemTime) -> SystemTime {
    if at >= now {
        wall_now + (at - now)
    } else {
        wall_now - (now - at)
    }
}

impl Daemon {
    /// Everything the daemon reports about itself now.
    pub(super) fn snapshot(&self) -> StatusSnapshot {
        let now = Instant::now();
        let wall_now = SystemTime::now();
        let g = &self.plan.config.global;
        let global = GlobalStatus {
            router_id: g.router_id.clone().unwrap_or_else(|| {
                nix::unistd::gethostname()
                    .ok()
                    .and_then(|h| h.into_string().ok())
                    .unwrap_or_default()
            }),
            pid: std::process::id(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            config_file: self.opts.config_file.display().to_string(),
            now: wall_now,
            uptime: now - self.started,
            reloads: self.reloads,
            notify_priority_changes: false,
            mcast_group4: g
                .vrrp_mcast_group4
                .map(Into::into)
                .unwrap_or(vigil_vrrp::MCAST_V4.into()),
            mcast_group6: g
                .vrrp_mcast_group6
                .map(Into::into)
                .unwrap_or(vigil_vrrp::MCAST_V6.into()),
            strict: g.vrrp_strict,
        };
        let mut instances = Vec::new();
        for inst in self.slots.iter().flatten() {
            let spec = &inst.spec;
            let core = &inst.core;
            let state = VrrpState::from(core.state());
            let n_vips = spec.core.vips.len();
            let auth = match &spec.core.auth {
                Auth::None => AuthStatus::None,
                Auth::Pass(p) => AuthStatus::Password(String::from_utf8_lossy(p).into_owned()),
                Auth::Ah(_) => AuthStatus::Ah,
                _ => AuthStatus::None,
            };
            let garp = &spec.core.garp;
            let effect = self.tracking.effect(&spec.name, spec.core.priority);
            instances.push(InstanceStatus {
                name: spec.name.clone(),
                vrid: spec.core.vrid,
                interface: spec.interface.clone(),
                ifindex: Some(inst.ifindex),
                family: spec.core.family.into(),
                version: spec.core.version.number(),
                state,
                wantstate: state,
                base_priority: spec.core.priority,
                effective_priority: core.priority(),
                advert_int: spec.core.advert_interval,
                master_advert_int: core.master_adver_interval(),
                master_addr: if core.state() == State::Master {
                    None
                } else {
                    core.master_addr()
                },
                master_priority: 0,
                src_addr: inst.src,
                src_from_config: spec.src.is_some(),
                unicast_peers: spec.peers.clone(),
                vips: spec.addrs[..n_vips.min(spec.addrs.len())]
                    .iter()
                    .map(vip)
                    .collect(),
                excluded: spec.addrs[n_vips.min(spec.addrs.len())..]
                    .iter()
                    .map(vip)
                    .collect(),
                routes: spec.routes.iter().map(route).collect(),
                vips_set: core.state() == State::Master,
                preempt: spec.core.preempt,
                preempt_delay: spec.core.preempt_delay,
                accept: spec.core.accept,
                auth,
                garp: GarpStatus {
                    delay: garp.master_delay.as_secs() as u32,
                    repeat: garp.master_repeat,
                    refresh: garp.master_refresh.map(|d| d.as_secs() as u32).unwrap_or(0),
                    refresh_repeat: garp.master_refresh_repeat,
                    lower_prio_delay: garp.lower_prio_delay.as_secs() as u32,
                    lower_prio_repeat: garp.lower_prio_repeat,
                },
                fault_count: u32::from(inst.link_down)
                    + u32::from(effect.as_ref().is_some_and(|e| e.fault)),
                last_transition: inst.last.clone(),
                transitions: inst.transitions,
                stats: core.stats().clone(),
                trackers: self.tracking.statuses(&spec.name),
                notify_priority_changes: false,
                smtp_alert: false,
                read_timeout: core.poll_timeout().map(|t| wall(t, now, wall_now)),
                master_down_timer: core.master_down_interval(),
                scripts: NotifyScripts {
                    backup: command(&spec.scripts.backup),
                    master: command(&spec.scripts.master),
                    fault: command(&spec.scripts.fault),
                    stop: command(&spec.scripts.stop),
                    any: command(&spec.scripts.any),
                    ..NotifyScripts::default()
                },
            });
        }
        let groups = self
            .groups
            .iter()
            .map(|grp| GroupStatus {
                name: grp.name.clone(),
                state: VrrpState::from(grp.core.group_state()),
                instances: grp
                    .core
                    .members()
                    .filter_map(|m| self.slots[m].as_ref().map(|i| i.spec.name.clone()))
                    .collect(),
            })
            .collect();
        StatusSnapshot {
            global,
            instances,
            groups,
        }
    }
}

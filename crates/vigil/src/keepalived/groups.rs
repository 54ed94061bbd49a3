//! `vrrp_sync_group` in the daemon: the pure `vigil_vrrp::SyncGroup` coordinator over the
//! running instances, with the group's notify scripts.

use tracing::warn;
use vigil_kaconf::Config;
use vigil_vrrp::SyncGroup;

use super::spec::Scripts;

/// One sync group over the instance slots of its members.
pub struct Group {
    /// The coordinator; member ids are instance slots.
    pub core: SyncGroup,
    /// Group name.
    pub name: String,
    /// The group's notify scripts.
    pub scripts: Scripts,
}

impl Group {
    /// The key under which tracking knows this group's own trackers.
    pub fn tracking_name(&self) -> String {
        group_tracking_key(&self.name)
    }
}

/// Tracking key of a sync group's own `track_*` entries.
pub fn group_tracking_key(name: &str) -> String {
    format!("\u{0}group:{name}")
}

/// The sync groups of `cfg` whose members run (`slot_of` finds an instance's slot).
pub fn build(cfg: &Config, slot_of: impl Fn(&str) -> Option<usize>) -> Vec<Group> {
    let mut out = Vec::new();
    for g in &cfg.sync_groups {
        let members: Vec<usize> = g.group.iter().filter_map(|m| slot_of(m)).collect();
        if members.len() != g.group.len() {
            warn!("vrrp_sync_group {}: some members are not running", g.name);
        }
        match SyncGroup::new(&g.name, members) {
            Ok(core) => out.push(Group {
                core,
                name: g.name.clone(),
                scripts: Scripts {
                    master: g.notify_master.clone(),
                    backup: g.notify_backup.clone(),
                    fault: g.notify_fault.clone(),
                    stop: g.notify_stop.clone(),
                    any: g.notify.clone(),
                },
            }),
            Err(e) => warn!("vrrp_sync_group {}: {e}", g.name),
        }
    }
    out
}

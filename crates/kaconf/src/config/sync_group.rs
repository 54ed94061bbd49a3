//! `vrrp_sync_group NAME { group { ... } ... }`: instances that change
//! state together (keepalived.conf(5) "VRRP synchronization group(s)").

use std::path::Path;
use std::sync::Arc;

use super::ctx::{ConfigError, Ctx};
use super::instance::{parse_track_if, set_script, value_block, TrackInterface};
use super::script::{parse_script, Script};
use super::track::{parse_refs, TrackRef, FILE_WEIGHT_MAX, SCRIPT_WEIGHT_MAX};
use crate::tree::Node;

/// A sync group as configured (members already checked against the
/// instances by [`super::check`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SyncGroup {
    /// Group name.
    pub name: String,
    /// `group { INSTANCE... }`: member instance names.
    pub group: Vec<String>,
    /// `track_interface` block.
    pub track_interface: Vec<TrackInterface>,
    /// `track_script` block.
    pub track_script: Vec<TrackRef>,
    /// `track_file` block.
    pub track_file: Vec<TrackRef>,
    /// `track_process` block.
    pub track_process: Vec<TrackRef>,
    /// `track_bfd` block.
    pub track_bfd: Vec<TrackRef>,
    /// `notify_master`.
    pub notify_master: Option<Script>,
    /// `notify_backup`.
    pub notify_backup: Option<Script>,
    /// `notify_fault`.
    pub notify_fault: Option<Script>,
    /// `notify_stop`.
    pub notify_stop: Option<Script>,
    /// `notify` (called with GROUP, name, state, priority).
    pub notify: Option<Script>,
    /// `notify_deleted [SCRIPT]`: send DELETED rather than FAULT.
    pub notify_deleted: bool,
    /// The script given to `notify_deleted`, if any.
    pub notify_deleted_script: Option<Script>,
    /// `notify_priority_changes [BOOL]`.
    pub notify_priority_changes: Option<bool>,
    /// `smtp_alert [BOOL]`.
    pub smtp_alert: Option<bool>,
    /// `global_tracking` (deprecated).
    pub global_tracking: bool,
    /// `sync_group_tracking_weight`: members may keep weighted trackers.
    pub sync_group_tracking_weight: bool,
    /// File of the `vrrp_sync_group` line.
    pub file: Arc<Path>,
    /// Line of the `vrrp_sync_group` line.
    pub line: u32,
}

/// Reads a `vrrp_sync_group` block; `None` when it has no usable name.
pub(crate) fn parse_sync_group(block: &Node, cx: &mut Ctx<'_>) -> Option<SyncGroup> {
    let Some(name) = block.args.first().filter(|_| block.args.len() == 1) else {
        cx.error(
            block,
            ConfigError::Other("vrrp_sync_group must have exactly one name - ignoring".into()),
        );
        return None;
    };
    let mut g = SyncGroup {
        name: name.clone(),
        group: Vec::new(),
        track_interface: Vec::new(),
        track_script: Vec::new(),
        track_file: Vec::new(),
        track_process: Vec::new(),
        track_bfd: Vec::new(),
        notify_master: None,
        notify_backup: None,
        notify_fault: None,
        notify_stop: None,
        notify: None,
        notify_deleted: false,
        notify_deleted_script: None,
        notify_priority_changes: None,
        smtp_alert: None,
        global_tracking: false,
        sync_group_tracking_weight: false,
        file: block.file.clone(),
        line: block.line,
    };
    let mut saw_group = false;
    for n in block.kids() {
        cx.typed("vrrp_sync_group", n);
        match n.keyword.as_str() {
            "group" => {
                saw_group = true;
                if n.kids().is_empty() {
                    cx.warn(
                        n,
                        ConfigError::Other(format!(
                            "Warning - sync group {name} has empty group block"
                        )),
                    );
                }
                for m in n.kids() {
                    // Each word of each line names an instance.
                    for w in m.words() {
                        if g.group.iter().any(|x| x == w) {
                            cx.warn(
                                m,
                                ConfigError::Other(format!(
                                    "sync group {name}: instance {w} listed twice - ignoring"
                                )),
                            );
                        } else {
                            g.group.push(w.to_string());
                        }
                    }
                }
            }
            "track_interface" => g.track_interface = value_block(n, cx, parse_track_if),
            "track_script" => g.track_script = parse_refs(n, SCRIPT_WEIGHT_MAX, name, cx),
            "track_file" => g.track_file = parse_refs(n, FILE_WEIGHT_MAX, name, cx),
            "track_process" => g.track_process = parse_refs(n, FILE_WEIGHT_MAX, name, cx),
            "track_bfd" => g.track_bfd = parse_refs(n, SCRIPT_WEIGHT_MAX, name, cx),
            "notify_master" => set_script(&mut g.notify_master, n, name, cx),
            "notify_backup" => set_script(&mut g.notify_backup, n, name, cx),
            "notify_fault" => set_script(&mut g.notify_fault, n, name, cx),
            "notify_stop" => set_script(&mut g.notify_stop, n, name, cx),
            "notify" => set_script(&mut g.notify, n, name, cx),
            "notify_deleted" => {
                g.notify_deleted = true;
                if !n.args.is_empty() {
                    g.notify_deleted_script = parse_script(n, cx);
                }
            }
            "notify_priority_changes" => g.notify_priority_changes = cx.flag(n),
            "smtp_alert" => g.smtp_alert = cx.flag(n),
            "global_tracking" => {
                cx.warn(
                    n,
                    ConfigError::Other(format!(
                        "({name}) global_tracking is deprecated. Use track_interface/script/file/bfd/process on the sync group"
                    )),
                );
                g.global_tracking = true;
            }
            "sync_group_tracking_weight" => g.sync_group_tracking_weight = true,
            _ => cx.unknown_in(n, "vrrp_sync_group"),
        }
    }
    if !saw_group {
        cx.warn(
            block,
            ConfigError::Other(format!("sync group {name} has no group block")),
        );
    }
    Some(g)
}

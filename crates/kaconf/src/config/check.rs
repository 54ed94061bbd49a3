//! Cross-reference checks keepalived makes once everything is read
//! (vrrp_complete_init and the tracking setup): tracked objects that do
//! not exist, sync group membership, weighted trackers inside sync
//! groups, static items naming unknown track groups. Messages and grading
//! follow keepalived 2.2.7 (measured with `keepalived -t`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::ctx::{ConfigError, Ctx};
use super::track::TrackRef;
use super::Config;
use crate::tree::Node;

fn as_str(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn loc(file: &Arc<Path>, line: u32) -> Node {
    Node {
        keyword: String::new(),
        args: Vec::new(),
        children: None,
        file: file.clone(),
        line,
    }
}

/// Drops references to objects that are not defined.
fn resolve(refs: &mut Vec<TrackRef>, known: &[&str], what: &str, owner: &str, cx: &mut Ctx<'_>) {
    refs.retain(|r| {
        let ok = known.contains(&r.name.as_str());
        if !ok {
            cx.warn(
                &loc(&r.file, r.line),
                ConfigError::Other(format!(
                    "({owner}) {what} {} not found, ignoring...",
                    r.name
                )),
            );
        }
        ok
    });
}

/// Runs every cross-reference check, dropping what keepalived drops.
pub(crate) fn check(cfg: &mut Config, cx: &mut Ctx<'_>) {
    let scripts: Vec<String> = cfg.vrrp_scripts.iter().map(|s| s.name.clone()).collect();
    let files: Vec<String> = cfg.track_files.iter().map(|s| s.name.clone()).collect();
    let procs: Vec<String> = cfg.track_processes.iter().map(|s| s.name.clone()).collect();
    let bfds: Vec<String> = cfg
        .other
        .iter()
        .filter(|n| n.keyword == "bfd_instance")
        .filter_map(|n| n.args.first().cloned())
        .collect();
    let (scripts, files, procs, bfds) = (
        as_str(&scripts),
        as_str(&files),
        as_str(&procs),
        as_str(&bfds),
    );
    for i in &mut cfg.vrrp_instances {
        let o = i.name.clone();
        resolve(&mut i.track_script, &scripts, "track script", &o, cx);
        resolve(&mut i.track_file, &files, "track file", &o, cx);
        resolve(&mut i.track_process, &procs, "track process", &o, cx);
        resolve(&mut i.track_bfd, &bfds, "track bfd", &o, cx);
    }
    for g in &mut cfg.sync_groups {
        let o = g.name.clone();
        resolve(&mut g.track_script, &scripts, "track script", &o, cx);
        resolve(&mut g.track_file, &files, "track file", &o, cx);
        resolve(&mut g.track_process, &procs, "track process", &o, cx);
        resolve(&mut g.track_bfd, &bfds, "track bfd", &o, cx);
    }
    check_sync_groups(cfg, cx);
    check_track_groups(cfg, cx);
}

fn check_sync_groups(cfg: &mut Config, cx: &mut Ctx<'_>) {
    let mut member_of: HashMap<String, String> = HashMap::new();
    let mut keep = Vec::with_capacity(cfg.sync_groups.len());
    for mut g in std::mem::take(&mut cfg.sync_groups) {
        let at = loc(&g.file, g.line);
        let mut members = Vec::new();
        for m in std::mem::take(&mut g.group) {
            if cfg.instance(&m).is_none() {
                cx.warn(
                    &at,
                    ConfigError::Other(format!(
                        "Virtual router {m} specified in sync group {} doesn't exist - ignoring",
                        g.name
                    )),
                );
            } else if member_of.contains_key(&m) {
                cx.warn(
                    &at,
                    ConfigError::Other(format!(
                        "Virtual router {m} cannot exist in more than one sync group; ignoring {}",
                        g.name
                    )),
                );
            } else {
                member_of.insert(m.clone(), g.name.clone());
                members.push(m);
            }
        }
        g.group = members;
        match g.group.len() {
            0 => {
                cx.warn(
                    &at,
                    ConfigError::Other(format!(
                        "Sync group {} has no virtual router(s). removing",
                        g.name
                    )),
                );
                continue;
            }
            1 => cx.warn(
                &at,
                ConfigError::Other(format!(
                    "Sync group {} has only 1 virtual router(s) - this probably isn't what you want",
                    g.name
                )),
            ),
            _ => {}
        }
        keep.push(g);
    }
    cfg.sync_groups = keep;

    // keepalived.conf(5): trackers of grouped instances must be unweighted
    // unless the group sets sync_group_tracking_weight; others are ignored.
    let script_w: HashMap<String, i32> = cfg
        .vrrp_scripts
        .iter()
        .map(|s| (s.name.clone(), s.weight))
        .collect();
    let file_w: HashMap<String, i32> = cfg
        .track_files
        .iter()
        .map(|s| (s.name.clone(), s.weight))
        .collect();
    let proc_w: HashMap<String, i32> = cfg
        .track_processes
        .iter()
        .map(|s| (s.name.clone(), s.weight))
        .collect();
    let weighted_ok: HashMap<&str, bool> = cfg
        .sync_groups
        .iter()
        .map(|g| (g.name.as_str(), g.sync_group_tracking_weight))
        .collect();
    for i in &mut cfg.vrrp_instances {
        let Some(group) = member_of.get(&i.name) else {
            continue;
        };
        if weighted_ok.get(group.as_str()).copied().unwrap_or(false) {
            continue;
        }
        let name = i.name.clone();
        let mut drop_weighted =
            |refs: &mut Vec<TrackRef>, dflt: &HashMap<String, i32>, what: &str| {
                refs.retain(|r| {
                    let w = r
                        .weight
                        .unwrap_or_else(|| dflt.get(&r.name).copied().unwrap_or(0));
                    if w != 0 {
                        cx.warn(
                            &loc(&r.file, r.line),
                            ConfigError::Other(format!(
                            "({name}) ignoring tracked {what} {} with weights due to SYNC group",
                            r.name
                        )),
                        );
                    }
                    w == 0
                });
            };
        drop_weighted(&mut i.track_script, &script_w, "script");
        drop_weighted(&mut i.track_file, &file_w, "file");
        drop_weighted(&mut i.track_process, &proc_w, "process");
        let before = i.track_interface.len();
        i.track_interface.retain(|t| t.weight.unwrap_or(0) == 0);
        if i.track_interface.len() != before {
            cx.warn(
                &loc(&i.file, i.line),
                ConfigError::Other(format!(
                    "({name}) ignoring tracked interfaces with weights due to SYNC group"
                )),
            );
        }
    }
}

fn check_track_groups(cfg: &mut Config, cx: &mut Ctx<'_>) {
    let names: Vec<String> = cfg.track_groups.iter().map(|g| g.name.clone()).collect();
    for g in &mut cfg.track_groups {
        let at = loc(&g.file, g.line);
        let before = std::mem::take(&mut g.group);
        for m in before {
            if cfg.vrrp_instances.iter().any(|i| i.name == m) {
                g.group.push(m);
            } else {
                cx.warn(
                    &at,
                    ConfigError::Other(format!(
                        "track_group {}: virtual router {m} doesn't exist - ignoring",
                        g.name
                    )),
                );
            }
        }
    }
    let mut unknown = |tg: &mut Option<String>, file: &Arc<Path>, line: u32| {
        if let Some(t) = tg {
            if !names.contains(t) {
                cx.error(
                    &loc(file, line),
                    ConfigError::Other(format!("track_group {t} not found")),
                );
                *tg = None;
            }
        }
    };
    for a in &mut cfg.static_ipaddress {
        unknown(&mut a.track_group, &a.address.file, a.address.line);
    }
    for r in &mut cfg.static_routes {
        unknown(&mut r.track_group, &r.route.file, r.route.line);
    }
    for r in &mut cfg.static_rules {
        unknown(&mut r.track_group, &r.file, r.line);
    }
}

//! Unpacking `<status>`: node states, transient attributes and operation history
//! (Pacemaker Explained, "Status -- Here be dragons"; OCF 1.1 return codes).

use vigil_cib::{Cib, LrmOp, LrmResource, NodeState};

use crate::model::*;
use crate::unpack::WorkingSet;
use crate::SchedError;

// OCF 1.1 §"Exit codes".
const OCF_OK: i32 = 0;
const OCF_ERR_ARGS: i32 = 2;
const OCF_ERR_UNIMPLEMENTED: i32 = 3;
const OCF_ERR_PERM: i32 = 4;
const OCF_NOT_INSTALLED: i32 = 5;
const OCF_NOT_CONFIGURED: i32 = 6;
const OCF_NOT_RUNNING: i32 = 7;
const OCF_RUNNING_PROMOTED: i32 = 8;
const OCF_FAILED_PROMOTED: i32 = 9;

/// Operation states (`op-status`).
const EXEC_PENDING: i32 = -1;
const EXEC_DONE: i32 = 0;
const EXEC_CANCELLED: i32 = 1;
const EXEC_TIMEOUT: i32 = 2;
const EXEC_ERROR: i32 = 4;
const EXEC_NOT_INSTALLED: i32 = 7;

/// Unpack node states, then resource history.
pub fn unpack_status(ws: &mut WorkingSet, cib: &Cib) -> Result<(), SchedError> {
    // Unseen nodes: with fencing, they are unclean until seen (startup-fencing).
    let startup_fencing = ws
        .options
        .get("startup-fencing")
        .map(|v| is_true(v))
        .unwrap_or(true);
    for n in ws.nodes.iter_mut() {
        if n.kind == NodeKind::Member && ws.fencing_enabled && startup_fencing {
            n.unclean = true;
        }
    }
    let states = &cib.status.node_states;
    for st in states {
        let Some(ni) = node_of_state(ws, st) else {
            continue;
        };
        if ws.nodes[ni].kind != NodeKind::Member {
            continue;
        }
        determine_online(ws, ni, st);
    }
    // no-quorum-policy=suicide: without quorum every member fences itself.
    if !ws.have_quorum && ws.no_quorum_policy == "suicide" && ws.fencing_enabled {
        for n in ws.nodes.iter_mut() {
            if n.online && n.kind == NodeKind::Member && !n.unclean {
                n.unclean = true;
                n.fence_reason = Some("cluster does not have quorum".into());
            }
        }
    }
    for n in ws.nodes.iter_mut() {
        n.standby = n.attrs.get("standby").map(|v| is_true(v)).unwrap_or(false);
        n.maintenance = ws.maintenance_mode
            || n.attrs
                .get("maintenance")
                .map(|v| is_true(v))
                .unwrap_or(false);
        if n.unclean && n.fence_reason.is_none() {
            n.fence_reason = Some("node is unclean".into());
        }
    }
    // Remote nodes: online when their connection resource is running (decided after
    // history); guests likewise.
    for st in states {
        let Some(ni) = node_of_state(ws, st) else {
            continue;
        };
        let node = &ws.nodes[ni];
        // Offline nodes run nothing, unless they are unclean and will be fenced, in
        // which case their resources are recovered after the fencing.
        if node.kind == NodeKind::Member && !node.online && !(node.unclean && ws.fencing_enabled) {
            continue;
        }
        for lr in &st.lrm {
            ws.nodes[ni].lrm_ids.push(lr.id.clone());
            unpack_lrm_resource(ws, ni, lr);
        }
    }
    // Pacemaker Explained, "multiple-active": with "block", a resource found active
    // on more than one node is left alone.
    for r in ws.rscs.iter_mut() {
        if r.running_on.len() > 1 && r.multiple_active == "block" {
            r.blocked = true;
            r.managed = false;
        }
    }
    // Roll up roles.
    for r in ws.rscs.iter_mut() {
        r.role = r
            .running_on
            .iter()
            .map(|&(_, role)| role)
            .max()
            .unwrap_or(Role::Stopped);
    }
    Ok(())
}

/// The configured node a `node_state` is about (by id, else by name).
fn node_of_state(ws: &WorkingSet, st: &NodeState) -> Option<usize> {
    ws.nodes
        .iter()
        .position(|n| n.id == st.id)
        .or_else(|| ws.node_by_name(st.uname.as_deref().unwrap_or("")))
}

fn determine_online(ws: &mut WorkingSet, ni: usize, st: &NodeState) {
    let in_ccm = st.is_in_ccm();
    let crmd = st.is_crmd_online();
    let join = st.join.as_deref().unwrap_or("down");
    let expected = st.expected.as_deref().unwrap_or("");
    let shutdown = ws.nodes[ni]
        .attrs
        .get("shutdown")
        .map(|v| v != "0" && !v.is_empty())
        .unwrap_or(false);
    let n = &mut ws.nodes[ni];
    n.seen = true;
    n.unclean = false;
    n.expected_up = expected == "member";
    n.shutdown = shutdown;
    if !ws.fencing_enabled {
        // Without fencing nobody is unclean: a node is either up or down.
        if in_ccm && crmd && join == "member" {
            n.online = true;
        } else if in_ccm && crmd && join != "down" {
            n.pending = true;
        } else if in_ccm && !crmd && n.expected_up && !shutdown {
            // In the membership but the controller is gone: unclean, even though
            // nobody can fence it.
            n.unclean = true;
        }
        return;
    }
    if in_ccm && crmd {
        match join {
            "member" => n.online = true,
            "down" | "banned" => {
                // Controller up but not joined.
                n.pending = join != "banned";
            }
            _ => n.pending = true,
        }
        return;
    }
    if !in_ccm && !crmd {
        if n.expected_up && !shutdown {
            n.unclean = true;
            n.fence_reason = Some("peer is no longer part of the cluster".into());
        }
        return;
    }
    if in_ccm && !crmd {
        if n.expected_up && !shutdown {
            // Still a cluster member, so shown as online, but it must be fenced.
            n.online = true;
            n.unclean = true;
            n.fence_reason = Some("peer process is no longer available".into());
        }
        return;
    }
    // crmd up but not in membership.
    if n.expected_up && !shutdown {
        n.unclean = true;
        n.fence_reason = Some("peer is no longer part of the cluster".into());
    }
}

/// The rc the controller expected, from `transition-key` (or the key inside
/// `transition-magic`): "action:transition:target-rc:uuid".
fn transition_target_rc(op: &LrmOp) -> i32 {
    let key = op.transition_key.as_deref().or(op
        .transition_magic
        .as_deref()
        .and_then(|m| m.split_once(';').map(|x| x.1)));
    key.and_then(|k| {
        let parts: Vec<&str> = k.split(':').collect();
        if parts.len() >= 4 {
            parts[2].parse().ok()
        } else {
            None
        }
    })
    .unwrap_or(-1)
}

fn parse_history(op: &LrmOp) -> OpHistory {
    OpHistory {
        id: op.id.clone(),
        task: op.operation.clone(),
        interval_ms: op.interval_ms,
        call_id: op.call_id,
        rc: op.rc_code,
        status: op.op_status,
        target_rc: transition_target_rc(op),
        last_change: op.last_rc_change.or(op.last_run).unwrap_or(0),
        exit_reason: op.exit_reason.clone().unwrap_or_default(),
        migrate_source: op.migrate_source.clone(),
        migrate_target: op.migrate_target.clone(),
        digest: op.op_digest.clone(),
    }
}

/// Find (or create, as an orphan) the resource an `lrm_resource` entry is about.
fn find_rsc_for_history(ws: &mut WorkingSet, ni: usize, lr: &LrmResource) -> Option<usize> {
    let id = lr.id.as_str();
    if let Some(r) = ws.rscs.iter().position(|r| {
        r.id == id && r.variant == Variant::Primitive && !is_anonymous_instance(ws, r)
    }) {
        return Some(r);
    }
    // Anonymous clone instance: strip ":N" and pick an instance.
    let base = id.split(':').next().unwrap_or(id);
    let candidates: Vec<usize> = ws
        .rscs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.base_id == base && r.variant == Variant::Primitive && r.id != r.base_id)
        .map(|(i, _)| i)
        .collect();
    if !candidates.is_empty() {
        // As Pacemaker does for anonymous clones: the instance already active on this
        // node, else the first instance active nowhere (a history that shows the
        // resource stopped does not use up an instance).
        if let Some(&c) = candidates
            .iter()
            .find(|&&c| instance_active_on(ws, c, Some(ni)))
        {
            return Some(c);
        }
        return candidates
            .iter()
            .copied()
            .find(|&c| !instance_active_on(ws, c, None));
    }
    // Orphan.
    let mut r = Resource::new(id, Variant::Primitive);
    r.class = lr.class.clone();
    r.provider = lr.provider.clone().unwrap_or_default();
    r.ty = lr.kind.clone();
    r.orphan = true;
    r.requires = if ws.fencing_enabled && r.class != "stonith" {
        "fencing".into()
    } else {
        "quorum".into()
    };
    if !ws.stop_orphans {
        r.managed = false;
    }
    r.config_order = usize::MAX;
    ws.rscs.push(r);
    let idx = ws.rscs.len() - 1;
    ws.top.push(idx);
    Some(idx)
}

fn is_anonymous_instance(ws: &WorkingSet, r: &Resource) -> bool {
    let mut p = r.parent;
    while let Some(pi) = p {
        if ws.rscs[pi].variant == Variant::Clone {
            return !ws.rscs[pi].unique;
        }
        p = ws.rscs[pi].parent;
    }
    false
}

/// Whether the clone instance containing primitive `c` (the primitive itself, or its
/// group) is active on `node` (any node when `None`).
fn instance_active_on(ws: &WorkingSet, c: usize, node: Option<usize>) -> bool {
    let inst = match ws.rscs[c].parent {
        Some(p) if ws.rscs[p].variant == Variant::Group => p,
        _ => c,
    };
    ws.primitives(inst).iter().any(|&m| {
        ws.rscs[m]
            .running_on
            .iter()
            .any(|&(n, _)| node.is_none_or(|x| x == n))
    })
}

fn is_promotable_instance(ws: &WorkingSet, r: usize) -> bool {
    let mut p = ws.rscs[r].parent;
    while let Some(pi) = p {
        if ws.rscs[pi].variant == Variant::Clone {
            return ws.rscs[pi].promotable;
        }
        p = ws.rscs[pi].parent;
    }
    false
}

fn unpack_lrm_resource(ws: &mut WorkingSet, ni: usize, lr: &LrmResource) {
    let Some(ri) = find_rsc_for_history(ws, ni, lr) else {
        return;
    };
    // An active history under another name renames the anonymous instance.
    let rename = ws.rscs[ri].id != lr.id && is_anonymous_instance(ws, &ws.rscs[ri]);
    let mut ops: Vec<OpHistory> = lr.ops.iter().map(parse_history).collect();
    // Pending operations (call-id -1) sort last.
    ops.sort_by_key(|o| if o.call_id < 0 { i64::MAX } else { o.call_id });
    let promotable = is_promotable_instance(ws, ri);
    let started_role = if promotable {
        Role::Unpromoted
    } else {
        Role::Started
    };
    let mut role = Role::Unknown;
    let mut failed = false;
    let mut on_fail = String::new();
    let mut ignored = false;
    let mut pending: Option<String> = None;
    let mut recurring: Vec<(u64, String)> = Vec::new();
    // Recurring monitors that check the resource stays stopped (role=Stopped).
    let mut stopped_recurring: Vec<u64> = Vec::new();
    let fencing = ws.fencing_enabled;
    let now = ws.now;
    let failure_timeout = ws.rscs[ri].failure_timeout;
    for op in &ops {
        let task = op.task.as_str();
        let is_probe = task == "monitor" && op.interval_ms == 0;
        pending = None;
        if op.status == EXEC_PENDING {
            match task {
                "start" | "migrate_from" => role = started_role,
                "promote" => role = Role::Promoted,
                _ => {}
            }
            if task == "start" || task == "stop" || task == "promote" || task == "demote" {
                pending = Some(task.to_string());
            }
            if task == "monitor" && op.interval_ms > 0 {
                recurring.push((op.interval_ms, task.into()));
            }
            continue;
        }
        if op.status == EXEC_CANCELLED {
            recurring.retain(|(i, _)| *i != op.interval_ms);
            continue;
        }
        let expected = if op.target_rc >= 0 {
            op.target_rc
        } else if is_probe {
            OCF_NOT_RUNNING
        } else {
            OCF_OK
        };
        // Is this a failure?
        let mut ok = match op.status {
            EXEC_DONE | EXEC_ERROR => {
                op.rc == expected
                    || (is_probe
                        && matches!(op.rc, OCF_OK | OCF_NOT_RUNNING | OCF_RUNNING_PROMOTED))
                    || (op.rc == OCF_NOT_RUNNING && is_probe)
                    || (op.rc == OCF_OK && expected == OCF_RUNNING_PROMOTED && task != "monitor")
                    || (op.rc == OCF_RUNNING_PROMOTED
                        && expected == OCF_OK
                        && task == "monitor"
                        && role == Role::Promoted)
                    || (op.rc == OCF_NOT_RUNNING && task == "stop")
            }
            EXEC_NOT_INSTALLED if is_probe => {
                // Treat as not running but note it.
                role = Role::Stopped;
                continue;
            }
            _ => false,
        };
        if op.status == EXEC_DONE && matches!(op.rc, 190 | 191) {
            ok = true;
        }
        if !ok
            && failure_timeout > 0
            && op.last_change > 0
            && op.last_change + failure_timeout <= now
        {
            // Expired failure (failure-timeout): ignore it.
            continue;
        }
        if ok {
            let mut clear = false;
            match task {
                "stop" => {
                    role = Role::Stopped;
                    clear = true;
                    recurring.clear();
                }
                "start" | "migrate_from" => {
                    role = started_role;
                    clear = true;
                }
                "promote" => {
                    role = Role::Promoted;
                    clear = true;
                }
                "demote" => {
                    role = Role::Unpromoted;
                    clear = true;
                }
                "migrate_to" => {
                    role = started_role;
                }
                "monitor" => match op.rc {
                    OCF_NOT_RUNNING => {
                        role = Role::Stopped;
                        clear = true;
                        recurring.clear();
                        if op.interval_ms > 0 && !stopped_recurring.contains(&op.interval_ms) {
                            stopped_recurring.push(op.interval_ms);
                        }
                    }
                    OCF_RUNNING_PROMOTED => role = Role::Promoted,
                    _ => {
                        if role < Role::Started {
                            role = started_role;
                        }
                    }
                },
                _ => {
                    if role < Role::Started
                        && task != "notify"
                        && task != "cancel"
                        && task != "delete"
                    {
                        role = started_role;
                    }
                }
            }
            if task == "monitor" && op.interval_ms > 0 && op.rc != OCF_NOT_RUNNING {
                recurring.retain(|(i, _)| *i != op.interval_ms);
                recurring.push((op.interval_ms, task.into()));
            }
            if clear && !matches!(on_fail.as_str(), "stop" | "fence" | "standby" | "migrate") {
                failed = false;
                on_fail.clear();
                ignored = false;
            }
            continue;
        }
        // Failure.
        let configured = ws.rscs[ri]
            .ops
            .iter()
            .find(|d| d.name == task && d.interval_ms == op.interval_ms)
            .and_then(|d| d.on_fail.clone());
        let mut this_fail = configured.unwrap_or_else(|| {
            if task == "stop" {
                if fencing {
                    "fence".into()
                } else {
                    "block".into()
                }
            } else {
                "restart".into()
            }
        });
        if this_fail == "fence" && !fencing {
            this_fail = "stop".into();
        }
        let hard = matches!(
            op.rc,
            OCF_ERR_ARGS | OCF_ERR_PERM | OCF_NOT_INSTALLED | OCF_NOT_CONFIGURED
        ) || (op.rc == OCF_ERR_UNIMPLEMENTED && op.interval_ms == 0);
        if hard && op.status != EXEC_TIMEOUT {
            if op.rc == OCF_NOT_CONFIGURED {
                for n in 0..ws.nodes.len() {
                    ws.locations.push(Location {
                        id: "hard-error".into(),
                        rsc: ri,
                        node: n,
                        score: -INFINITY,
                        role: None,
                    });
                }
            } else {
                ws.locations.push(Location {
                    id: "hard-error".into(),
                    rsc: ri,
                    node: ni,
                    score: -INFINITY,
                    role: None,
                });
            }
            if is_probe {
                role = Role::Stopped;
                continue;
            }
        }
        if this_fail == "ignore" {
            ignored = true;
            if role < Role::Started && task != "stop" {
                role = started_role;
            }
            continue;
        }
        failed = true;
        if on_fail_rank(&this_fail) > on_fail_rank(&on_fail) {
            on_fail = this_fail;
        }
        match task {
            "stop" => {
                ws.locations.push(Location {
                    id: "__stop_fail__".into(),
                    rsc: ri,
                    node: ni,
                    score: -INFINITY,
                    role: None,
                });
                if role < Role::Started {
                    role = started_role;
                }
            }
            "promote" => role = Role::Promoted,
            "demote" => {
                role = if op.rc == OCF_NOT_RUNNING {
                    Role::Stopped
                } else {
                    Role::Promoted
                };
            }
            _ => {
                if op.rc == OCF_FAILED_PROMOTED || op.rc == OCF_RUNNING_PROMOTED {
                    role = Role::Promoted;
                } else if role < Role::Started {
                    role = started_role;
                }
            }
        }
        if task == "monitor" && op.interval_ms > 0 {
            recurring.retain(|(i, _)| *i != op.interval_ms);
        }
    }
    let r = &mut ws.rscs[ri];
    let hist = r.history.entry(ni).or_default();
    hist.extend(ops);
    hist.sort_by_key(|o| if o.call_id < 0 { i64::MAX } else { o.call_id });
    r.probed_on.push(ni);
    if let Some(p) = pending {
        if role >= Role::Started || p == "start" {
            r.pending = Some((p, ni));
        }
    }
    if role > Role::Stopped {
        if rename {
            r.clone_name = Some(lr.id.clone());
        }
        r.running_on.push((ni, role));
        if !recurring.is_empty() {
            r.active_recurring.insert(ni, recurring);
        }
    } else if !stopped_recurring.is_empty() {
        r.stopped_monitors.insert(ni, stopped_recurring);
    }
    if ignored && !failed && role > Role::Stopped {
        r.failure_ignored = true;
    }
    // On a node that will be fenced anyway, fencing resolves the failure: the
    // resource counts as active there, not as failed or blocked.
    let node_unclean = ws.nodes[ni].unclean;
    let r = &mut ws.rscs[ri];
    if failed && role > Role::Stopped && !node_unclean {
        r.failed_on.push(ni);
        r.failed = true;
        match on_fail.as_str() {
            "block" => {
                r.blocked = true;
                r.managed = false;
            }
            "stop" => r.next_role = Some(Role::Stopped),
            "standby" => ws.nodes[ni].standby_onfail = true,
            "fence" => {
                let node = &mut ws.nodes[ni];
                if !node.unclean {
                    node.unclean = true;
                    node.fence_reason = Some(format!("{} failed there", ws.rscs[ri].id));
                }
            }
            _ => {}
        }
    }
    // Fail counts from transient attributes.
    let prefix = format!("fail-count-{}", ws.rscs[ri].base_id);
    let full_prefix = format!("fail-count-{}", ws.rscs[ri].id);
    let mut count = 0;
    let mut last_failure = 0;
    for (k, v) in &ws.nodes[ni].attrs {
        let matches = |p: &str| k == p || k.starts_with(&format!("{p}#"));
        if matches(&prefix) || matches(&full_prefix) {
            count = add_scores(count, parse_score(v).unwrap_or(0));
        }
        let lp = |p: &str| {
            let l = p.replacen("fail-count", "last-failure", 1);
            *k == l || k.starts_with(&format!("{l}#"))
        };
        if lp(&prefix) || lp(&full_prefix) {
            last_failure = last_failure.max(v.parse::<i64>().unwrap_or(0));
        }
    }
    let r = &mut ws.rscs[ri];
    if count > 0 {
        if r.failure_timeout > 0 && last_failure > 0 && last_failure + r.failure_timeout <= now {
            // Pacemaker Explained, "failure-timeout": an expired fail count is
            // ignored and cleared.
            count = 0;
            if !r.clear_failcount.contains(&ni) {
                r.clear_failcount.push(ni);
            }
        }
        if count > 0 {
            if r.orphan && !r.clear_failcount.contains(&ni) {
                // The fail count of a resource that is gone is cleared.
                r.clear_failcount.push(ni);
            }
            r.fail_count.insert(ni, count);
        }
    }
}

fn on_fail_rank(s: &str) -> u8 {
    match s {
        "" | "ignore" => 0,
        "demote" => 1,
        "restart" => 2,
        "stop" => 3,
        "standby" => 4,
        "block" => 5,
        "fence" => 6,
        _ => 2,
    }
}

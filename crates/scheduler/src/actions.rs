//! Actions and their orderings: probes, stops, starts, recurring monitors, group
//! pseudo-actions, order constraints (Pacemaker Explained, "Ordering Constraints").

use crate::model::*;
use crate::unpack::WorkingSet;

/// Find or create an action; returns its index. Actions are kept per resource in
/// creation order; the graph lists them newest first, as Pacemaker does.
pub fn action(
    ws: &mut WorkingSet,
    kind: ActionKind,
    rsc: Option<usize>,
    task: &str,
    interval_ms: u64,
    node: Option<usize>,
) -> usize {
    let key = match rsc {
        Some(r) => format!("{}_{}_{}", ws.rscs[r].id, task, interval_ms),
        None => task.to_string(),
    };
    if let Some(&i) = ws.action_index.get(&(key.clone(), node)) {
        return i;
    }
    let id = ws.actions.len();
    ws.actions.push(Action {
        id,
        kind,
        rsc,
        task: task.to_string(),
        interval_ms,
        node,
        optional: false,
        runnable: true,
        detail: String::new(),
        key: key.clone(),
    });
    ws.action_index.insert((key, node), id);
    id
}

/// Order `a` before `b`.
pub fn order(ws: &mut WorkingSet, a: usize, b: usize) {
    if a != b && !ws.edges.iter().any(|e| e.before == a && e.after == b) {
        ws.edges.push(Edge {
            before: a,
            after: b,
            flags: 0,
        });
    }
}

/// Create all actions.
pub fn create(ws: &mut WorkingSet) {
    let top = ws.top.clone();
    // Fencing of unclean nodes (Pacemaker Explained, "Fencing"); a partition without
    // quorum fences nobody unless told to ignore quorum or to commit suicide.
    let may_fence = ws.have_quorum || matches!(ws.no_quorum_policy.as_str(), "ignore" | "suicide");
    if ws.fencing_enabled && may_fence {
        for n in 0..ws.nodes.len() {
            if ws.nodes[n].unclean && ws.nodes[n].kind == NodeKind::Member {
                let a = action(
                    ws,
                    ActionKind::Fence,
                    None,
                    &format!("stonith-{}-reboot", ws.nodes[n].uname),
                    0,
                    Some(n),
                );
                ws.actions[a].detail = "reboot".into();
                ws.actions[a].task = "stonith".into();
            }
        }
    }
    // Recurring operations that are no longer configured are cancelled where the
    // resource stays (Pacemaker checks the history before it schedules anything).
    for &t in &top {
        for p in ws.primitives(t) {
            create_cancels(ws, p);
        }
    }
    // Probes first (Pacemaker schedules probes before other actions).
    for &t in &top {
        for p in ws.primitives(t) {
            create_probes(ws, p);
        }
    }
    for &t in &top {
        create_for(ws, t);
    }
    if ws.placement_strategy != "default" {
        create_load_stopped(ws);
    }
    // Order constraints.
    let orders = ws.orderings.clone();
    for o in orders {
        let firsts = task_actions(ws, o.first, &o.first_task, true);
        let thens = task_actions(ws, o.then, &o.then_task, false);
        for &f in &firsts {
            for &t in &thens {
                order(ws, f, t);
            }
        }
    }
    for set in ws.one_or_more.clone() {
        let thens: Vec<usize> = set
            .thens
            .iter()
            .flat_map(|&t| task_actions(ws, t, &set.then_task, false))
            .collect();
        let firsts: Vec<usize> = set
            .firsts
            .iter()
            .flat_map(|&f| task_actions(ws, f, &set.first_task, true))
            .collect();
        let p = action(ws, ActionKind::Pseudo, None, &set.name, 0, None);
        ws.actions[p].optional = thens.iter().all(|&t| ws.actions[t].optional);
        for f in firsts {
            order(ws, f, p);
        }
        for t in thens {
            order(ws, p, t);
        }
    }
    // What must happen before a migrating resource stops must also happen before it
    // begins to migrate away.
    for r in 0..ws.rscs.len() {
        if !ws.rscs[r].migrating {
            continue;
        }
        let Some(mt) = ws
            .actions
            .iter()
            .position(|a| a.rsc == Some(r) && a.task == "migrate_to")
        else {
            continue;
        };
        let before: Vec<usize> = ws
            .edges
            .iter()
            .filter(|e| {
                let after = &ws.actions[e.after];
                after.rsc == Some(r) && after.task == "stop" && ws.actions[e.before].rsc != Some(r)
            })
            .map(|e| e.before)
            .collect();
        for b in before {
            order(ws, b, mt);
        }
    }
    // Shutdown of nodes.
    for n in 0..ws.nodes.len() {
        if ws.nodes[n].shutdown && ws.nodes[n].online {
            let a = action(ws, ActionKind::Cluster, None, "do_shutdown", 0, Some(n));
            let stops: Vec<usize> = ws
                .actions
                .iter()
                .filter(|x| x.task == "stop" && x.node == Some(n) && x.kind == ActionKind::Resource)
                .map(|x| x.id)
                .collect();
            for s in stops {
                order(ws, s, a);
            }
        }
    }
}

/// With a placement strategy other than "default", each node a resource may run on
/// gets a `load_stopped_<node>` pseudo action: stops there come before it, starts
/// there after it, so capacity is freed before it is used (Pacemaker Explained,
/// "Utilization and Placement Strategy").
fn create_load_stopped(ws: &mut WorkingSet) {
    let prims: Vec<usize> = ws
        .top
        .clone()
        .into_iter()
        .flat_map(|t| ws.primitives(t))
        .collect();
    for p in prims {
        let mut nodes: Vec<usize> = ws.rscs[p].running_on.iter().map(|&(n, _)| n).collect();
        nodes.extend(ws.rscs[p].allowed.keys().copied());
        let mut seen = Vec::new();
        for n in nodes {
            if seen.contains(&n) {
                continue;
            }
            seen.push(n);
            let key = format!("load_stopped_{}", ws.nodes[n].uname);
            let ls = action(ws, ActionKind::Pseudo, None, &key, 0, Some(n));
            let mine: Vec<(usize, String)> = ws
                .actions
                .iter()
                .filter(|a| a.rsc == Some(p) && a.node == Some(n) && a.interval_ms == 0)
                .map(|a| (a.id, a.task.clone()))
                .collect();
            for (a, task) in mine {
                match task.as_str() {
                    "stop" => order(ws, a, ls),
                    "start" => order(ws, ls, a),
                    // A migration to this node starts with migrate_to on the source.
                    "migrate_from" => {
                        let mt = ws.actions.iter().position(|x| {
                            x.rsc == Some(p) && x.task == "migrate_to" && x.interval_ms == 0
                        });
                        if let Some(mt) = mt {
                            order(ws, ls, mt);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The actions implementing `task` for resource `r`. For a collective resource on the
/// "first" side of an ordering, its completion pseudo-action is used (start ->
/// running, stop -> stopped), as Pacemaker does.
fn task_actions(ws: &WorkingSet, r: usize, task: &str, first: bool) -> Vec<usize> {
    let res = &ws.rscs[r];
    let want = if res.variant != Variant::Primitive && first {
        match task {
            "start" => "running",
            "stop" => "stopped",
            "promote" => "promoted",
            "demote" => "demoted",
            t => t,
        }
    } else {
        task
    };
    let mut out: Vec<usize> = ws
        .actions
        .iter()
        .filter(|a| a.rsc == Some(r) && a.task == want && a.interval_ms == 0)
        .map(|a| a.id)
        .collect();
    out.sort();
    out
}

/// The promotable clone `r` is an instance (member) of, if any.
pub fn promotable_clone_of(ws: &WorkingSet, r: usize) -> Option<usize> {
    let mut p = ws.rscs[r].parent;
    while let Some(x) = p {
        if ws.rscs[x].variant == Variant::Clone {
            return ws.rscs[x].promotable.then_some(x);
        }
        p = ws.rscs[x].parent;
    }
    None
}

fn anonymous_clone_of(ws: &WorkingSet, r: usize) -> Option<usize> {
    let mut p = ws.rscs[r].parent;
    while let Some(x) = p {
        if ws.rscs[x].variant == Variant::Clone {
            return (!ws.rscs[x].unique).then_some(x);
        }
        p = ws.rscs[x].parent;
    }
    None
}

fn create_probes(ws: &mut WorkingSet, r: usize) {
    if !ws.rscs[r].managed && ws.rscs[r].running_on.is_empty() {
        // Unmanaged resources are still probed.
    }
    for n in 0..ws.nodes.len() {
        let node = &ws.nodes[n];
        if !node.online || node.unclean || node.pending {
            continue;
        }
        if ws.rscs[r].probed_on.contains(&n) {
            continue;
        }
        if let Some(c) = anonymous_clone_of(ws, r) {
            // One probe per node for an anonymous clone, by the instance that will run
            // there (else the first instance that runs nowhere).
            let base = ws.rscs[r].base_id.clone();
            let siblings: Vec<usize> = ws
                .primitives(c)
                .into_iter()
                .filter(|&p| ws.rscs[p].base_id == base)
                .collect();
            if siblings.iter().any(|&p| ws.rscs[p].probed_on.contains(&n)) {
                continue;
            }
            let chosen = siblings
                .iter()
                .copied()
                .find(|&p| ws.rscs[p].assigned == Some(n))
                .or_else(|| {
                    siblings.iter().copied().find(|&p| {
                        ws.rscs[p].assigned.is_none() && ws.rscs[p].running_on.is_empty()
                    })
                });
            if chosen != Some(r) {
                continue;
            }
        }
        if ws.rscs[r].orphan {
            continue;
        }
        action(ws, ActionKind::Resource, Some(r), "monitor", 0, Some(n));
    }
}

fn create_for(ws: &mut WorkingSet, r: usize) {
    match ws.rscs[r].variant {
        Variant::Primitive => create_primitive(ws, r),
        Variant::Group | Variant::Clone => create_collective(ws, r),
        _ => {
            let kids = ws.rscs[r].children.clone();
            for k in kids {
                create_for(ws, k);
            }
        }
    }
}

/// Start/stop actions of a member: its own for primitives, the member's pseudo
/// actions for nested collectives (`start`/`stop` before, `running`/`stopped` after).
fn member_actions(ws: &WorkingSet, k: usize, task: &str) -> Vec<usize> {
    ws.actions
        .iter()
        .filter(|a| a.rsc == Some(k) && a.task == task && a.interval_ms == 0)
        .map(|a| a.id)
        .collect()
}

fn create_collective(ws: &mut WorkingSet, r: usize) {
    let start = action(ws, ActionKind::Pseudo, Some(r), "start", 0, None);
    let running = action(ws, ActionKind::Pseudo, Some(r), "running", 0, None);
    let stop = action(ws, ActionKind::Pseudo, Some(r), "stop", 0, None);
    let stopped = action(ws, ActionKind::Pseudo, Some(r), "stopped", 0, None);
    let kids = ws.rscs[r].children.clone();
    for &k in &kids {
        create_for(ws, k);
    }
    let is_group = ws.rscs[r].variant == Variant::Group;
    let mut any_start = false;
    let mut any_stop = false;
    let mut prev: Option<usize> = None;
    for &k in &kids {
        let nested = ws.rscs[k].variant != Variant::Primitive;
        let starts = member_actions(ws, k, "start");
        let stops = member_actions(ws, k, "stop");
        let kstart_done = if nested {
            member_actions(ws, k, "running")
        } else {
            starts.clone()
        };
        let kstop_done = if nested {
            member_actions(ws, k, "stopped")
        } else {
            stops.clone()
        };
        let k_starting = starts.iter().any(|&a| !ws.actions[a].optional);
        let k_stopping = stops.iter().any(|&a| !ws.actions[a].optional);
        any_start |= k_starting;
        any_stop |= k_stopping;
        if k_starting {
            for &s in &starts {
                order(ws, start, s);
            }
            for &s in &kstart_done {
                order(ws, s, running);
            }
        }
        if k_stopping {
            for &s in &stops {
                order(ws, stop, s);
            }
            for &s in &kstop_done {
                order(ws, s, stopped);
            }
        }
        if is_group {
            if let Some(p) = prev {
                let pstart_done = member_actions(ws, p, "start");
                for &ps in &pstart_done {
                    for &s in &starts {
                        order(ws, ps, s);
                    }
                }
                let pstops = member_actions(ws, p, "stop");
                for &s in &kstop_done {
                    for &ps in &pstops {
                        order(ws, s, ps);
                    }
                }
            }
        }
        prev = Some(k);
    }
    order(ws, stopped, start);
    if ws.rscs[r].variant == Variant::Clone && ws.rscs[r].promotable {
        create_promotable_pseudo(ws, r, running, stop);
    }
    ws.actions[start].optional = !any_start;
    ws.actions[running].optional = !any_start;
    ws.actions[stop].optional = !any_stop;
    ws.actions[stopped].optional = !any_stop;
}

/// Cancel the recurring monitors active on the node where `r` stays whose
/// definition is gone or disabled (a changed interval is a different operation).
fn create_cancels(ws: &mut WorkingSet, r: usize) {
    let res = &ws.rscs[r];
    if !res.managed || res.orphan || res.restart_reason.is_some() {
        return;
    }
    let Some(n) = res.assigned else {
        return;
    };
    if res.running_on.len() != 1 || res.running_on[0].0 != n || res.failed_on.contains(&n) {
        return;
    }
    let Some(active) = res.active_recurring.get(&n) else {
        return;
    };
    let gone: Vec<(u64, String)> = active
        .iter()
        .filter(|(interval, name)| {
            !res.ops.iter().any(|o| {
                o.name == *name
                    && o.interval_ms == *interval
                    && o.enabled
                    && o.role != Some(Role::Stopped)
            })
        })
        .cloned()
        .collect();
    for (interval, _) in gone {
        action(
            ws,
            ActionKind::Resource,
            Some(r),
            "cancel",
            interval,
            Some(n),
        );
    }
}

/// A promotable clone's `promote`/`promoted` and `demote`/`demoted` pseudo actions
/// around its instances' promotions and demotions: promotion after the clone is
/// running, demotion before it stops.
fn create_promotable_pseudo(ws: &mut WorkingSet, r: usize, running: usize, stop: usize) {
    let promote = action(ws, ActionKind::Pseudo, Some(r), "promote", 0, None);
    let promoted = action(ws, ActionKind::Pseudo, Some(r), "promoted", 0, None);
    let demote = action(ws, ActionKind::Pseudo, Some(r), "demote", 0, None);
    let demoted = action(ws, ActionKind::Pseudo, Some(r), "demoted", 0, None);
    let prims = ws.primitives(r);
    let mut any_promote = false;
    let mut any_demote = false;
    for p in prims {
        for a in member_actions(ws, p, "promote") {
            order(ws, promote, a);
            order(ws, a, promoted);
            any_promote = true;
        }
        for a in member_actions(ws, p, "demote") {
            order(ws, demote, a);
            order(ws, a, demoted);
            any_demote = true;
        }
    }
    order(ws, running, promote);
    order(ws, demoted, stop);
    order(ws, demoted, promote);
    ws.actions[promote].optional = !any_promote;
    ws.actions[promoted].optional = !any_promote;
    ws.actions[demote].optional = !any_demote;
    ws.actions[demoted].optional = !any_demote;
}

fn fence_of(ws: &WorkingSet, n: usize) -> Option<usize> {
    ws.actions
        .iter()
        .position(|a| a.kind == ActionKind::Fence && a.node == Some(n))
}

fn create_primitive(ws: &mut WorkingSet, r: usize) {
    let res = ws.rscs[r].clone();
    let next = res.assigned;
    let current: Vec<usize> = res.running_on.iter().map(|&(n, _)| n).collect();
    if !res.managed || res.stop_blocked {
        return;
    }
    for &n in &res.clear_failcount {
        if ws.nodes[n].online {
            let task = format!("clear_failcount for {}", res.id);
            action(ws, ActionKind::Cluster, None, &task, 0, Some(n));
        }
    }
    if res.orphan {
        // The history of an inactive orphan is deleted.
        for &n in res.history.keys() {
            if !current.contains(&n) && ws.nodes[n].online && !ws.nodes[n].unclean {
                action(ws, ActionKind::Resource, Some(r), "delete", 0, Some(n));
            }
        }
    }
    let failed_here = |n: usize| res.failed_on.contains(&n);
    let promotable = promotable_clone_of(ws, r).is_some();
    let mut stops = Vec::new();
    let mut demotes = Vec::new();
    for &(c, role) in &res.running_on {
        if !promotable || role != Role::Promoted || ws.nodes[c].unclean {
            continue;
        }
        let stays = Some(c) == next
            && !failed_here(c)
            && current.len() == 1
            && res.restart_reason.is_none();
        if !(stays && res.promote_next) {
            demotes.push(action(
                ws,
                ActionKind::Resource,
                Some(r),
                "demote",
                0,
                Some(c),
            ));
        }
    }
    for &c in &current {
        let restart = res.restart_reason.is_some();
        if Some(c) != next || failed_here(c) || current.len() > 1 || ws.nodes[c].unclean || restart
        {
            if ws.nodes[c].unclean && ws.fencing_enabled {
                // Implied by fencing: a pseudo stop after the node is fenced.
                let s = action(ws, ActionKind::Pseudo, Some(r), "stop", 0, None);
                if let Some(f) = fence_of(ws, c) {
                    order(ws, f, s);
                }
                stops.push(s);
            } else {
                let s = action(ws, ActionKind::Resource, Some(r), "stop", 0, Some(c));
                stops.push(s);
                for &d in &demotes {
                    order(ws, d, s);
                }
                if res.orphan {
                    // The history of a stopped orphan is cleaned up.
                    let d = action(ws, ActionKind::Resource, Some(r), "delete", 0, Some(c));
                    order(ws, s, d);
                }
            }
        }
    }
    if let Some(n) = next {
        let needs_start = !current.contains(&n)
            || failed_here(n)
            || current.len() > 1
            || res.restart_reason.is_some();
        // Pacemaker Explained, "Migrating Resources": a resource with allow-migrate
        // that moves from a healthy node migrates (migrate_to on the source,
        // migrate_from on the target, then the stop, and the start is a pseudo action).
        let migrate_from = match current.as_slice() {
            [c] if res.allow_migrate
                && *c != n
                && !failed_here(*c)
                && ws.nodes[*c].online
                && !ws.nodes[*c].unclean
                && res.restart_reason.is_none()
                && res.partial_migration.is_none() =>
            {
                Some(*c)
            }
            _ => None,
        };
        let mut start = None;
        if needs_start {
            let st = match migrate_from {
                Some(src) => {
                    let mt = action(
                        ws,
                        ActionKind::Resource,
                        Some(r),
                        "migrate_to",
                        0,
                        Some(src),
                    );
                    let mf = action(
                        ws,
                        ActionKind::Resource,
                        Some(r),
                        "migrate_from",
                        0,
                        Some(n),
                    );
                    order(ws, mt, mf);
                    for &s in &stops {
                        order(ws, mf, s);
                    }
                    ws.rscs[r].migrating = true;
                    let st = action(ws, ActionKind::Pseudo, Some(r), "start", 0, None);
                    let probes: Vec<usize> = ws
                        .actions
                        .iter()
                        .filter(|a| a.rsc == Some(r) && a.task == "monitor" && a.interval_ms == 0)
                        .map(|a| a.id)
                        .collect();
                    for p in probes {
                        order(ws, p, mt);
                    }
                    st
                }
                None => action(ws, ActionKind::Resource, Some(r), "start", 0, Some(n)),
            };
            start = Some(st);
            for &s in &stops {
                order(ws, s, st);
            }
            if res.requires == "fencing" {
                let fences: Vec<usize> = ws
                    .actions
                    .iter()
                    .filter(|a| a.kind == ActionKind::Fence)
                    .map(|a| a.id)
                    .collect();
                for f in fences {
                    order(ws, f, st);
                }
            }
            let probes: Vec<usize> = ws
                .actions
                .iter()
                .filter(|a| a.rsc == Some(r) && a.task == "monitor" && a.interval_ms == 0)
                .map(|a| a.id)
                .collect();
            for p in probes {
                order(ws, p, st);
            }
        }
        // Promotion after the start (Pacemaker Explained, "Promotable Clones").
        let was_promoted = res
            .running_on
            .iter()
            .any(|&(x, role)| x == n && role == Role::Promoted);
        let mut role_change = None;
        if promotable && res.promote_next && (needs_start || !was_promoted) {
            let pr = action(ws, ActionKind::Resource, Some(r), "promote", 0, Some(n));
            if let Some(st) = start {
                order(ws, st, pr);
            }
            for &d in &demotes {
                order(ws, d, pr);
            }
            role_change = Some(pr);
        } else if let Some(&d) = demotes.first() {
            if !needs_start {
                role_change = Some(d);
            }
        }
        let next_role = if !promotable {
            Role::Started
        } else if res.promote_next {
            Role::Promoted
        } else {
            Role::Unpromoted
        };
        // Recurring monitors for the role it will have.
        let active = res.active_recurring.get(&n).cloned().unwrap_or_default();
        for op in res
            .ops
            .iter()
            .filter(|o| o.name == "monitor" && o.interval_ms > 0 && o.enabled)
        {
            // Two monitors with one interval are a configuration error; Pacemaker
            // schedules neither.
            let duplicate = res
                .ops
                .iter()
                .any(|o| o.name == "monitor" && o.interval_ms == op.interval_ms && o.id != op.id);
            let applies = !duplicate
                && match op.role {
                    None => true,
                    Some(Role::Started) => next_role != Role::Promoted,
                    Some(role) => role == next_role,
                };
            if !applies {
                continue;
            }
            let fresh = needs_start || (role_change.is_some() && op.role.is_some());
            if !fresh && active.iter().any(|(i, _)| *i == op.interval_ms) {
                continue;
            }
            if role_change.is_some() && op.role.is_some() {
                // The monitor for the old role, if one runs, is cancelled first.
                let old: Vec<u64> = res
                    .ops
                    .iter()
                    .filter(|o| {
                        o.name == "monitor"
                            && o.role.is_some()
                            && o.role != op.role
                            && o.role != Some(Role::Stopped)
                            && active.iter().any(|(i, _)| *i == o.interval_ms)
                    })
                    .map(|o| o.interval_ms)
                    .collect();
                for i in old {
                    let c = action(ws, ActionKind::Resource, Some(r), "cancel", i, Some(n));
                    if let Some(rc) = role_change {
                        order(ws, c, rc);
                    }
                }
            }
            let m = action(
                ws,
                ActionKind::Resource,
                Some(r),
                "monitor",
                op.interval_ms,
                Some(n),
            );
            if let Some(st) = role_change.or(start) {
                order(ws, st, m);
            }
        }
    }
    create_stopped_monitors(ws, r, next);
}

/// `role="Stopped"` monitors (Pacemaker Explained, "Monitoring Resources When
/// Administration is Disabled" / op `role`): they run on every node where the resource
/// will not be active, and are cancelled on the node where it starts.
fn create_stopped_monitors(ws: &mut WorkingSet, r: usize, next: Option<usize>) {
    let intervals: Vec<u64> = ws.rscs[r]
        .ops
        .iter()
        .filter(|o| {
            o.name == "monitor" && o.interval_ms > 0 && o.enabled && o.role == Some(Role::Stopped)
        })
        .map(|o| o.interval_ms)
        .collect();
    if intervals.is_empty() {
        return;
    }
    for n in 0..ws.nodes.len() {
        let node = &ws.nodes[n];
        if !node.online || node.unclean || node.pending {
            continue;
        }
        let active = ws.rscs[r]
            .stopped_monitors
            .get(&n)
            .cloned()
            .unwrap_or_default();
        for &i in &intervals {
            if Some(n) == next {
                if active.contains(&i) {
                    let c = action(ws, ActionKind::Resource, Some(r), "cancel", i, Some(n));
                    if let Some(st) = member_actions(ws, r, "start").first().copied() {
                        order(ws, c, st);
                    }
                }
                continue;
            }
            if active.contains(&i) {
                continue;
            }
            let m = action(ws, ActionKind::Resource, Some(r), "monitor", i, Some(n));
            let before: Vec<usize> = ws
                .actions
                .iter()
                .filter(|a| {
                    a.rsc == Some(r)
                        && a.node == Some(n)
                        && a.interval_ms == 0
                        && (a.task == "stop" || a.task == "monitor")
                })
                .map(|a| a.id)
                .collect();
            for b in before {
                order(ws, b, m);
            }
        }
    }
}

/// The summary line of a promotable clone instance whose role changes, in Pacemaker's
/// role forms ("Promote x ( Unpromoted -> Promoted node )"); None when the generic
/// forms apply.
fn promotable_summary(ws: &WorkingSet, p: usize) -> Option<String> {
    let res = &ws.rscs[p];
    let id = &res.id;
    let name = |n: usize| ws.nodes[n].uname.clone();
    let next_role = if res.promote_next {
        Role::Promoted
    } else {
        Role::Unpromoted
    };
    let restart = res.restart_reason.is_some();
    match (res.running_on.as_slice(), res.assigned) {
        ([], Some(n)) if res.promote_next => Some(format!(
            "{:<10} {id:<7} ( Stopped -> Promoted {} )",
            "Promote",
            name(n)
        )),
        ([(c, role)], Some(n)) if *c == n && !restart && !res.failed_on.contains(c) => {
            match (role, res.promote_next) {
                (Role::Promoted, false) => Some(format!(
                    "{:<10} {id:<7} ( Promoted -> Unpromoted {} )",
                    "Demote",
                    name(n)
                )),
                (r, true) if *r != Role::Promoted => Some(format!(
                    "{:<10} {id:<7} ( {} -> Promoted {} )",
                    "Promote",
                    r.name(),
                    name(n)
                )),
                _ => None,
            }
        }
        ([(c, Role::Promoted)], Some(n)) if *c == n => Some(format!(
            "{:<10} {id:<7} ( Promoted {} )",
            "Recover",
            name(n)
        )),
        ([(c, Role::Promoted)], None) => Some(format!(
            "{:<10} {id:<7} ( Promoted {} )  due to node availability",
            "Stop",
            name(*c)
        )),
        ([(c, role)], Some(n)) if *c != n && (*role == Role::Promoted || res.promote_next) => {
            Some(format!(
                "{:<10} {id:<7} ( {} {} -> {} {} )",
                "Move",
                role.name(),
                name(*c),
                next_role.name(),
                name(n)
            ))
        }
        _ => None,
    }
}

/// Transition summary lines, in resource order.
pub fn summary(ws: &WorkingSet) -> Vec<String> {
    let mut out = Vec::new();
    // Pacemaker lists fencing newest first, i.e. in reverse node order.
    for a in ws
        .actions
        .iter()
        .rev()
        .filter(|a| a.kind == ActionKind::Fence)
    {
        if let Some(n) = a.node {
            let reason = ws.nodes[n]
                .fence_reason
                .clone()
                .unwrap_or_else(|| "node is unclean".into());
            out.push(format!(
                "Fence ({}) {} '{}'",
                a.detail, ws.nodes[n].uname, reason
            ));
        }
    }
    for &t in &ws.top {
        for p in ws.primitives(t) {
            let res = &ws.rscs[p];
            if !res.managed {
                continue;
            }
            if promotable_clone_of(ws, p).is_some() {
                if let Some(line) = promotable_summary(ws, p) {
                    out.push(line);
                    continue;
                }
            }
            let cur: Vec<usize> = res.running_on.iter().map(|&(n, _)| n).collect();
            let next = res.assigned;
            let name = |n: usize| ws.nodes[n].uname.clone();
            let id = &res.id;
            match (cur.as_slice(), next) {
                ([], Some(n)) => out.push(format!("{:<10} {id:<7} ( {} )", "Start", name(n))),
                ([], None) => {
                    if let Some((why, n)) = &res.blocked_start {
                        out.push(format!(
                            "{:<10} {id:<7} ( {} )  due to {why} (blocked)",
                            "Start",
                            name(*n)
                        ));
                    }
                }
                ([c], Some(n)) if *c == n && res.restart_reason.is_some() => {
                    let why = res.restart_reason.as_deref().unwrap_or_default();
                    out.push(format!(
                        "{:<10} {id:<7} ( {} )  due to {why}",
                        "Restart",
                        name(n)
                    ));
                }
                ([c], Some(n)) if *c == n && res.failed_on.contains(c) => {
                    out.push(format!("{:<10} {id:<7} ( {} )", "Recover", name(n)));
                }
                ([c], Some(n)) if *c == n => {}
                ([c], Some(n)) if res.migrating => {
                    out.push(format!(
                        "{:<10} {id:<7} ( {} -> {} )",
                        "Migrate",
                        name(*c),
                        name(n)
                    ));
                }
                ([c], Some(n)) => {
                    if res.failed_on.contains(c) {
                        out.push(format!(
                            "{:<10} {id:<7} ( {} -> {} )",
                            "Recover",
                            name(*c),
                            name(n)
                        ));
                    } else {
                        out.push(format!(
                            "{:<10} {id:<7} ( {} -> {} )",
                            "Move",
                            name(*c),
                            name(n)
                        ));
                    }
                }
                ([c], None) => {
                    let why = if let Some((b, _)) = &res.blocked_start {
                        format!("  due to {b}")
                    } else {
                        "  due to node availability".to_string()
                    };
                    let why = if res.stop_blocked {
                        format!("{why} (blocked)")
                    } else {
                        why
                    };
                    out.push(format!("{:<10} {id:<7} ( {} ){why}", "Stop", name(*c)));
                }
                // Multiply active: the extra copies stop silently; the one that stays
                // is restarted (recovered if failed), else every copy stops.
                (cs, Some(n)) if cs.len() > 1 && cs.contains(&n) => {
                    let verb = if res.failed { "Recover" } else { "Restart" };
                    out.push(format!("{verb:<10} {id:<7} ( {} )", name(n)));
                }
                (cs, next) if cs.len() > 1 => {
                    for &c in cs {
                        if Some(c) != next {
                            out.push(format!(
                                "{:<10} {id:<7} ( {} )  due to node availability",
                                "Stop",
                                name(c)
                            ));
                        }
                    }
                    if let Some(n) = next {
                        out.push(format!("{:<10} {id:<7} ( {} )", "Start", name(n)));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

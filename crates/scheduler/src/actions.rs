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
    // Fencing of unclean nodes (Pacemaker Explained, "Fencing").
    if ws.fencing_enabled {
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
    // Probes first (Pacemaker schedules probes before other actions).
    for &t in &top {
        for p in ws.primitives(t) {
            create_probes(ws, p);
        }
    }
    for &t in &top {
        create_for(ws, t);
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
    ws.actions[start].optional = !any_start;
    ws.actions[running].optional = !any_start;
    ws.actions[stop].optional = !any_stop;
    ws.actions[stopped].optional = !any_stop;
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
    if !res.managed {
        return;
    }
    let failed_here = |n: usize| res.failed_on.contains(&n);
    let mut stops = Vec::new();
    for &c in &current {
        if Some(c) != next || failed_here(c) || current.len() > 1 || ws.nodes[c].unclean {
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
            }
        }
    }
    if let Some(n) = next {
        let needs_start = !current.contains(&n) || failed_here(n) || current.len() > 1;
        if needs_start {
            let st = action(ws, ActionKind::Resource, Some(r), "start", 0, Some(n));
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
        // Recurring monitors for the role it will have.
        let active = res.active_recurring.get(&n).cloned().unwrap_or_default();
        for op in res
            .ops
            .iter()
            .filter(|o| o.name == "monitor" && o.interval_ms > 0 && o.enabled)
        {
            if op.role.is_some_and(|x| x != Role::Started) {
                continue;
            }
            if !needs_start && active.iter().any(|(i, _)| *i == op.interval_ms) {
                continue;
            }
            let m = action(
                ws,
                ActionKind::Resource,
                Some(r),
                "monitor",
                op.interval_ms,
                Some(n),
            );
            if needs_start {
                let st = action(ws, ActionKind::Resource, Some(r), "start", 0, Some(n));
                order(ws, st, m);
            }
        }
    }
}

/// Transition summary lines, in resource order.
pub fn summary(ws: &WorkingSet) -> Vec<String> {
    let mut out = Vec::new();
    for a in ws.actions.iter().filter(|a| a.kind == ActionKind::Fence) {
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
            let cur: Vec<usize> = res.running_on.iter().map(|&(n, _)| n).collect();
            let next = res.assigned;
            let name = |n: usize| ws.nodes[n].uname.clone();
            let id = &res.id;
            match (cur.as_slice(), next) {
                ([], Some(n)) => out.push(format!("{:<10} {id:<7} ( {} )", "Start", name(n))),
                ([c], Some(n)) if *c == n && res.failed_on.contains(c) => {
                    out.push(format!("{:<10} {id:<7} ( {} )", "Recover", name(n)));
                }
                ([c], Some(n)) if *c == n => {}
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
                    let why = if res.target_role == Some(Role::Stopped) {
                        ""
                    } else {
                        "  due to node availability"
                    };
                    out.push(format!("{:<10} {id:<7} ( {} ){why}", "Stop", name(*c)));
                }
                (cs, _) if cs.len() > 1 => {
                    for &c in cs {
                        if Some(c) != next {
                            out.push(format!("{:<10} {id:<7} ( {} )", "Stop", name(c)));
                        }
                    }
                    if let Some(n) = next {
                        out.push(format!("{:<10} {id:<7} ( {} )", "Restart", name(n)));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

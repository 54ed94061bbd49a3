//! What mandatory orderings imply for the resources they name, decided after
//! placement and before actions are created (Pacemaker Explained, "Ordering
//! Constraints": with `kind="Mandatory"`, if the first action cannot run the then
//! action cannot either, and if the first action runs the then action must run too).
//!
//! Two consequences, applied until nothing changes, so chains propagate:
//!
//! - *unrunnable*: the first resource cannot start anywhere, so the then resource may
//!   not start: a running one stops ("due to unrunnable A start"), a stopped one stays
//!   stopped ("Start ... due to unrunnable A start (blocked)").
//! - *required*: the first resource starts (fresh, moved or recovered), so a then
//!   resource that stays where it runs is restarted ("due to required A start").
//!
//! Only start-then-start orderings between primitives (constraints and group
//! members) are handled here.

use crate::model::*;
use crate::unpack::WorkingSet;

/// Whether `r`'s start action will be executed in this transition.
fn start_is_scheduled(ws: &WorkingSet, r: usize) -> bool {
    let res = &ws.rscs[r];
    let Some(n) = res.assigned else {
        return false;
    };
    if !res.managed {
        return false;
    }
    let here = res.running_on.iter().any(|&(x, _)| x == n);
    !here || res.running_on.len() > 1 || res.failed_on.contains(&n) || res.restart_reason.is_some()
}

/// Whether `r` stops somewhere in this transition (moves, recovers, restarts, stops).
fn stop_is_scheduled(ws: &WorkingSet, r: usize) -> bool {
    let res = &ws.rscs[r];
    if !res.managed || res.running_on.is_empty() {
        return false;
    }
    res.running_on.len() > 1
        || res
            .running_on
            .iter()
            .any(|&(n, _)| res.assigned != Some(n) || res.failed_on.contains(&n))
        || res.restart_reason.is_some()
}

/// Whether `r` can start (or keep running) in this transition.
fn start_is_runnable(ws: &WorkingSet, r: usize) -> bool {
    let res = &ws.rscs[r];
    res.assigned.is_some() || (!res.managed && !res.running_on.is_empty())
}

/// Without quorum (Pacemaker Explained, "no-quorum-policy"): with "stop" nothing that
/// requires quorum may run, so running resources stop and others cannot start; with
/// "freeze" running resources stay where they are and nothing new starts.
fn apply_no_quorum(ws: &mut WorkingSet) {
    let policy = ws.no_quorum_policy.as_str();
    if ws.have_quorum || !matches!(policy, "stop" | "freeze") {
        return;
    }
    let (reason, freeze) = match policy {
        "freeze" => ("quorum freeze", true),
        _ => ("no quorum", false),
    };
    for r in 0..ws.rscs.len() {
        let res = &ws.rscs[r];
        if res.variant != Variant::Primitive || !res.managed || res.requires == "nothing" {
            continue;
        }
        let Some(n) = res.assigned else {
            continue;
        };
        let here = res.running_on.iter().any(|&(x, _)| x == n);
        if freeze && (here || !res.running_on.is_empty()) {
            continue;
        }
        ws.rscs[r].assigned = None;
        ws.rscs[r].blocked_start = Some((reason.to_string(), n));
        if let Some(c) = ws.nodes.get_mut(n) {
            c.num_assigned = c.num_assigned.saturating_sub(1);
        }
    }
}

/// A resource that must stop after an unmanaged, active one (a mandatory
/// stop-then-stop ordering, e.g. the inverse of "start A then B" when B is blocked)
/// cannot stop either.
fn apply_blocked_stops(ws: &mut WorkingSet) {
    let orders: Vec<(usize, usize)> = ws
        .orderings
        .iter()
        .filter(|o| {
            o.kind == OrderKind::Mandatory && o.first_task == "stop" && o.then_task == "stop"
        })
        .map(|o| (o.first, o.then))
        .collect();
    for _ in 0..=orders.len() {
        let mut changed = false;
        for &(first, then) in &orders {
            let f = &ws.rscs[first];
            let t = &ws.rscs[then];
            if f.variant != Variant::Primitive || t.variant != Variant::Primitive {
                continue;
            }
            let first_stuck = (!f.managed || f.stop_blocked) && !f.running_on.is_empty();
            let then_stops = t.managed
                && !t.stop_blocked
                && t.running_on.len() == 1
                && t.assigned != Some(t.running_on[0].0);
            if first_stuck && then_stops {
                ws.rscs[then].stop_blocked = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The clone a resource is (an instance of), if any.
fn clone_of(ws: &WorkingSet, r: usize) -> Option<usize> {
    let mut cur = Some(r);
    while let Some(x) = cur {
        if ws.rscs[x].variant == Variant::Clone {
            return Some(x);
        }
        cur = ws.rscs[x].parent;
    }
    None
}

/// The primitives of `first` that matter to `then_prim`: with interleaving clones on
/// both sides, only the first's instances on the node where `then_prim` runs or will
/// run; otherwise all of them.
fn relevant_firsts(ws: &WorkingSet, first: usize, then: usize, then_prim: usize) -> Vec<usize> {
    let all = ws.primitives(first);
    let interleave = ws.rscs[first].variant == Variant::Clone
        && ws.rscs[then].variant == Variant::Clone
        && ws.rscs[then].interleave;
    if !interleave {
        return all;
    }
    let t = &ws.rscs[then_prim];
    let node = t.assigned.or_else(|| t.running_on.first().map(|&(n, _)| n));
    all.into_iter()
        .filter(|&p| {
            let f = &ws.rscs[p];
            node.is_some_and(|n| f.assigned == Some(n) || f.running_on.iter().any(|&(x, _)| x == n))
        })
        .collect()
}

/// Apply quorum loss, then the consequences of mandatory orderings.
pub fn apply(ws: &mut WorkingSet) {
    apply_no_quorum(ws);
    apply_blocked_stops(ws);
    let orders: Vec<(usize, usize)> = ws
        .orderings
        .iter()
        .filter(|o| {
            o.kind == OrderKind::Mandatory
                && o.require_all
                && o.first_task == "start"
                && o.then_task == "start"
        })
        .filter(|o| {
            ws.rscs[o.first].variant != Variant::Bundle
                && ws.rscs[o.then].variant != Variant::Bundle
                && clone_of(ws, o.first).is_none_or(|c| c == o.first)
        })
        .map(|o| (o.first, o.then))
        .collect();
    // A group orders each member after the previous one (Pacemaker Explained,
    // "Groups": members start in order), unless `ordered=false`.
    let mut orders = orders;
    for g in ws
        .rscs
        .iter()
        .filter(|g| g.variant == Variant::Group && g.ordered)
    {
        for w in g.children.windows(2) {
            if ws.rscs[w[0]].variant == Variant::Primitive
                && ws.rscs[w[1]].variant == Variant::Primitive
            {
                orders.push((w[0], w[1]));
            }
        }
    }
    // Each step only removes placements or adds restarts, so this terminates; the
    // bound is a guard against cycles in the configuration.
    for _ in 0..=orders.len() {
        let mut changed = false;
        for &(first, then) in &orders {
            if first == then {
                continue;
            }
            let collective = ws.rscs[first].variant != Variant::Primitive;
            let first_id = ws.rscs[first].id.clone();
            for t in ws.primitives(then) {
                if !ws.rscs[t].managed {
                    continue;
                }
                let firsts = relevant_firsts(ws, first, then, t);
                let runnable = firsts.iter().any(|&f| start_is_runnable(ws, f));
                if !runnable && !collective {
                    if let Some(n) = ws.rscs[t].assigned.take() {
                        ws.rscs[t].blocked_start =
                            Some((format!("unrunnable {first_id} start"), n));
                        if let Some(c) = ws.nodes.get_mut(n) {
                            c.num_assigned = c.num_assigned.saturating_sub(1);
                        }
                        changed = true;
                    }
                    continue;
                }
                // A collective first forces a restart of what depends on it when one
                // of its instances or members restarts, moves or recovers (the
                // symmetrical stop order makes the dependent stop first); a fresh
                // instance elsewhere or one that only stops does not.
                let scheduled = if collective {
                    firsts
                        .iter()
                        .any(|&f| stop_is_scheduled(ws, f) && ws.rscs[f].assigned.is_some())
                } else {
                    firsts.iter().any(|&f| start_is_scheduled(ws, f))
                };
                if scheduled && !start_is_scheduled(ws, t) {
                    let res = &ws.rscs[t];
                    if res.assigned.is_some() && res.running_on.len() == 1 {
                        let why = if collective {
                            format!("required {first_id} running")
                        } else {
                            format!("required {first_id} start")
                        };
                        ws.rscs[t].restart_reason = Some(why);
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
}

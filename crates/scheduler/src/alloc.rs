//! Placement: node scores from locations, stickiness, failures and colocations, then a
//! node per resource (Pacemaker Explained, "Resource Placement", "Scores").

use crate::model::*;
use crate::simulate::natural_cmp;
use crate::unpack::WorkingSet;

/// Assign every resource, highest priority first.
pub fn assign(ws: &mut WorkingSet) {
    // Pacemaker keeps resources sorted by priority (stable).
    let mut top = ws.top.clone();
    top.sort_by(|&a, &b| ws.rscs[b].priority.cmp(&ws.rscs[a].priority));
    ws.top = top.clone();
    for r in 0..ws.rscs.len() {
        init_scores(ws, r);
    }
    for r in top {
        assign_rsc(ws, r);
    }
}

fn can_run_here(ws: &WorkingSet, n: usize) -> bool {
    ws.nodes[n].can_run()
}

fn init_scores(ws: &mut WorkingSet, r: usize) {
    let mut scores = std::collections::BTreeMap::new();
    if ws.symmetric {
        for n in 0..ws.nodes.len() {
            scores.insert(n, 0);
        }
    }
    // Locations on this resource or any ancestor.
    let mut chain = vec![r];
    let mut p = ws.rscs[r].parent;
    while let Some(x) = p {
        chain.push(x);
        p = ws.rscs[x].parent;
    }
    for loc in &ws.locations {
        if !chain.contains(&loc.rsc) {
            continue;
        }
        if matches!(loc.role, Some(Role::Promoted)) {
            continue;
        }
        let cur = scores.get(&loc.node).copied().unwrap_or(0);
        scores.insert(loc.node, add_scores(cur, loc.score));
    }
    let res = &ws.rscs[r];
    if res.variant == Variant::Primitive {
        // Stickiness to where it runs (managed resources only).
        if res.managed && res.running_on.len() == 1 {
            let n = res.running_on[0].0;
            if let Some(s) = scores.get_mut(&n) {
                *s = add_scores(*s, res.stickiness);
            }
        }
        // migration-threshold.
        for (&n, &count) in &res.fail_count {
            if res.migration_threshold > 0 && count >= res.migration_threshold {
                scores.insert(n, -INFINITY);
            }
        }
    }
    ws.rscs[r].allowed = scores;
}

fn assign_rsc(ws: &mut WorkingSet, r: usize) {
    if ws.rscs[r].assign_done || ws.rscs[r].assigning {
        return;
    }
    ws.rscs[r].assigning = true;
    match ws.rscs[r].variant {
        Variant::Primitive => assign_primitive(ws, r),
        Variant::Group => {
            let kids = ws.rscs[r].children.clone();
            for k in kids {
                assign_rsc(ws, k);
            }
        }
        Variant::Clone => assign_clone(ws, r),
        Variant::Bundle => {}
    }
    ws.rscs[r].assigning = false;
    ws.rscs[r].assign_done = true;
}

/// Colocations a primitive depends on: its own, its ancestors', and the implicit
/// "with the previous group member".
fn dependencies(ws: &WorkingSet, r: usize) -> Vec<(usize, i64, Option<Role>)> {
    let mut out = Vec::new();
    if let Some(p) = ws.rscs[r].parent {
        let parent = &ws.rscs[p];
        if parent.variant == Variant::Group {
            let pos = parent.children.iter().position(|&c| c == r).unwrap_or(0);
            if pos > 0 {
                out.push((parent.children[pos - 1], INFINITY, None));
            }
        }
    }
    let mut chain = vec![r];
    if let Some(p) = ws.rscs[r].parent {
        if ws.rscs[p].variant == Variant::Group && ws.rscs[p].children.first() == Some(&r) {
            chain.push(p);
        }
    }
    for c in &ws.colocations {
        if !chain.contains(&c.dependent) || c.dependent_role.is_some_and(|x| x != Role::Started) {
            continue;
        }
        match c.primary_role {
            None | Some(Role::Started) => out.push((c.primary, c.score, None)),
            // With a role of a promotable clone: where its instances will have it.
            Some(role @ (Role::Promoted | Role::Unpromoted))
                if ws.rscs[c.primary].variant == Variant::Clone
                    && ws.rscs[c.primary].promotable =>
            {
                out.push((c.primary, c.score, Some(role)))
            }
            _ => {}
        }
    }
    out
}

/// Nodes hosting an assigned instance of clone `c`.
fn clone_nodes(ws: &WorkingSet, c: usize) -> Vec<usize> {
    let mut out: Vec<usize> = ws
        .primitives(c)
        .into_iter()
        .filter_map(|p| ws.rscs[p].assigned)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn is_stopped_by_config(ws: &WorkingSet, r: usize) -> bool {
    let mut cur = Some(r);
    // on-fail=stop: the failed resource stays stopped.
    if ws.rscs[r].next_role == Some(Role::Stopped) {
        return true;
    }
    while let Some(x) = cur {
        if ws.rscs[x].target_role == Some(Role::Stopped) {
            return true;
        }
        cur = ws.rscs[x].parent;
    }
    ws.stop_all
}

/// Clone instances: keep running instances where they are, then spread the rest over
/// the best nodes (score, then fewest instances), at most clone-node-max per node.
fn assign_clone(ws: &mut WorkingSet, c: usize) {
    let deps = dependencies(ws, c);
    for &(p, _, _) in &deps {
        assign_rsc(ws, p);
    }
    let mut scores = ws.rscs[c].allowed.clone();
    apply_deps(ws, &deps, &mut scores);
    for (n, s) in scores.iter_mut() {
        if !can_run_here(ws, *n) {
            *s = -INFINITY;
        }
    }
    let instances = ws.rscs[c].children.clone();
    let node_max = ws.rscs[c].clone_node_max.max(1);
    let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
    let stopped = is_stopped_by_config(ws, c);
    let managed = ws.rscs[c].managed;
    let mut assigned: Vec<Option<usize>> = vec![None; instances.len()];
    let node_ok =
        |ws: &WorkingSet, i: usize, n: usize, counts: &std::collections::BTreeMap<usize, usize>| {
            scores.get(&n).is_some_and(|&s| s >= 0)
                && counts.get(&n).copied().unwrap_or(0) < node_max
                && ws
                    .primitives(i)
                    .iter()
                    .all(|&p| ws.rscs[p].allowed.get(&n).is_none_or(|&s| s > -INFINITY))
        };
    // Spread evenly: while keeping instances where they run, no node takes more than
    // its fair share.
    let available = scores.values().filter(|&&s| s >= 0).count().max(1);
    let fair = instances.len().div_ceil(available).min(node_max).max(1);
    if !stopped || !managed {
        // Phase 1: instances stay where they run.
        for (k, &i) in instances.iter().enumerate() {
            let prims = ws.primitives(i);
            let cur = prims.iter().find_map(|&p| {
                let r = &ws.rscs[p];
                (r.running_on.len() == 1).then(|| r.running_on[0].0)
            });
            if let Some(n) = cur {
                if !managed
                    || (node_ok(ws, i, n, &counts) && counts.get(&n).copied().unwrap_or(0) < fair)
                {
                    assigned[k] = Some(n);
                    *counts.entry(n).or_default() += 1;
                }
            }
        }
        // Phase 2: the rest, best node first.
        if managed {
            for (k, &i) in instances.iter().enumerate() {
                if assigned[k].is_some() {
                    continue;
                }
                let mut cands: Vec<(usize, i64)> = scores
                    .iter()
                    .filter(|(&n, _)| node_ok(ws, i, n, &counts))
                    .map(|(&n, &s)| (n, s))
                    .collect();
                cands.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then(
                            counts
                                .get(&a.0)
                                .copied()
                                .unwrap_or(0)
                                .cmp(&counts.get(&b.0).copied().unwrap_or(0)),
                        )
                        .then(ws.nodes[a.0].num_assigned.cmp(&ws.nodes[b.0].num_assigned))
                        .then(natural_cmp(&ws.nodes[a.0].uname, &ws.nodes[b.0].uname))
                });
                if let Some(&(n, _)) = cands.first() {
                    assigned[k] = Some(n);
                    *counts.entry(n).or_default() += 1;
                }
            }
        }
    }
    for (k, &i) in instances.iter().enumerate() {
        for p in ws.primitives(i) {
            ws.rscs[p].assigned = assigned[k];
            ws.rscs[p].assign_done = true;
            if let Some(n) = assigned[k] {
                ws.nodes[n].num_assigned += 1;
            }
        }
        ws.rscs[i].assign_done = true;
    }
    ws.rscs[c].allowed = scores;
    if ws.rscs[c].promotable {
        // Roles are known once the instances are placed, so resources colocated with
        // a role can follow it.
        crate::promote::assign_clone_roles(ws, c);
    }
}

fn apply_deps(
    ws: &WorkingSet,
    deps: &[(usize, i64, Option<Role>)],
    scores: &mut std::collections::BTreeMap<usize, i64>,
) {
    for &(p, score, role) in deps {
        let pnodes: Vec<usize> = match (ws.rscs[p].variant, role) {
            (Variant::Clone, Some(role)) => {
                let mut v: Vec<usize> = ws
                    .primitives(p)
                    .into_iter()
                    .filter(|&x| ws.rscs[x].promote_next == (role == Role::Promoted))
                    .filter_map(|x| ws.rscs[x].assigned)
                    .collect();
                v.sort();
                v.dedup();
                v
            }
            (Variant::Clone, None) => clone_nodes(ws, p),
            _ => primary_node(ws, p).into_iter().collect(),
        };
        if score >= INFINITY {
            for (n, s) in scores.iter_mut() {
                if !pnodes.contains(n) {
                    *s = -INFINITY;
                }
            }
        } else {
            for pn in pnodes {
                if let Some(s) = scores.get_mut(&pn) {
                    *s = add_scores(*s, score);
                }
            }
        }
    }
}

fn primary_node(ws: &WorkingSet, p: usize) -> Option<usize> {
    match ws.rscs[p].variant {
        Variant::Primitive => ws.rscs[p].assigned,
        Variant::Group => ws.rscs[p]
            .children
            .first()
            .and_then(|&c| primary_node(ws, c)),
        _ => None,
    }
}

fn assign_primitive(ws: &mut WorkingSet, r: usize) {
    let deps = dependencies(ws, r);
    for &(p, _, _) in &deps {
        assign_rsc(ws, p);
    }
    let mut scores = ws.rscs[r].allowed.clone();
    apply_deps(ws, &deps, &mut scores);
    for (n, s) in scores.iter_mut() {
        if !can_run_here(ws, *n) {
            *s = -INFINITY;
        }
    }
    let res = &ws.rscs[r];
    let current = res.running_on.first().map(|&(n, _)| n);
    let mut chosen = None;
    let stopped = is_stopped_by_config(ws, r) || res.orphan;
    if !res.managed {
        chosen = current;
    } else if !stopped {
        let mut cands: Vec<(usize, i64)> = scores
            .iter()
            .filter(|(_, &s)| s >= 0)
            .map(|(&n, &s)| (n, s))
            .collect();
        // Highest score, then fewest resources already assigned, then the node it is
        // active on, then name.
        cands.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(ws.nodes[a.0].num_assigned.cmp(&ws.nodes[b.0].num_assigned))
                .then((Some(b.0) == current).cmp(&(Some(a.0) == current)))
                .then(natural_cmp(&ws.nodes[a.0].uname, &ws.nodes[b.0].uname))
        });
        chosen = cands.first().map(|&(n, _)| n);
    }
    ws.rscs[r].allowed = scores;
    ws.rscs[r].assigned = chosen;
    if let Some(n) = chosen {
        ws.nodes[n].num_assigned += 1;
    }
}

//! Promotion: which instances of a promotable clone will be promoted, decided after
//! placement (Pacemaker Explained, "Promotable Clones": promotion scores come from the
//! `master-<resource>` node attributes the agent sets, plus location constraints and
//! colocations for the Promoted role; at most `promoted-max` instances overall and
//! `promoted-node-max` per node are promoted, highest priority first).

use crate::model::*;
use crate::unpack::WorkingSet;

/// Decide the next role of every promotable clone instance (`Resource::promote_next`).
pub fn assign_roles(ws: &mut WorkingSet) {
    // A clone whose promotion is colocated with another clone's promotion needs that
    // clone's roles first; a few passes settle such chains.
    for _ in 0..3 {
        for c in 0..ws.rscs.len() {
            if ws.rscs[c].variant == Variant::Clone && ws.rscs[c].promotable {
                assign_clone_roles(ws, c);
            }
        }
    }
}

/// Where instance `i` (a primitive or a cloned group) will run.
fn chosen_node(ws: &WorkingSet, i: usize) -> Option<usize> {
    let prims = ws.primitives(i);
    let first = *prims.first()?;
    let n = ws.rscs[first].assigned?;
    prims
        .iter()
        .all(|&p| ws.rscs[p].assigned == Some(n))
        .then_some(n)
}

/// Whether `p`'s promotion score counts on node `n`: on the node where the instance
/// is active, where the resource was probed, or anywhere while nothing is known.
fn score_applies(ws: &WorkingSet, clone: usize, p: usize, n: usize) -> bool {
    let res = &ws.rscs[p];
    let anonymous = !ws.rscs[clone].unique;
    if anonymous {
        let siblings: Vec<usize> = ws
            .primitives(clone)
            .into_iter()
            .filter(|&s| ws.rscs[s].base_id == res.base_id)
            .collect();
        let active = siblings
            .iter()
            .copied()
            .find(|&s| ws.rscs[s].running_on.iter().any(|&(x, _)| x == n));
        if active == Some(p) {
            return true;
        }
        if active.is_none() && siblings.iter().any(|&s| ws.rscs[s].probed_on.contains(&n)) {
            return true;
        }
    }
    if res.running_on.is_empty() && res.probed_on.is_empty() {
        return true;
    }
    res.probed_on.contains(&n) || res.running_on.iter().any(|&(x, _)| x == n)
}

/// The `master-<name>` attribute of primitive `p` on node `n` (None: not set).
fn promotion_score(ws: &WorkingSet, clone: usize, p: usize, n: usize) -> Option<i64> {
    if !score_applies(ws, clone, p, n) {
        return None;
    }
    let res = &ws.rscs[p];
    let attrs = &ws.nodes[n].attrs;
    let name = res.clone_name.as_deref().unwrap_or(&res.id);
    let value = attrs.get(&format!("master-{name}")).or_else(|| {
        (!ws.rscs[clone].unique)
            .then(|| attrs.get(&format!("master-{}", res.base_id)))
            .flatten()
    })?;
    parse_score(value)
}

/// The resource and its ancestors.
fn chain(ws: &WorkingSet, r: usize) -> Vec<usize> {
    let mut out = vec![r];
    let mut cur = ws.rscs[r].parent;
    while let Some(x) = cur {
        out.push(x);
        cur = ws.rscs[x].parent;
    }
    out
}

/// An instance's promotion priority on its node, before node scores are added.
fn instance_priority(ws: &WorkingSet, clone: usize, i: usize, n: usize) -> i64 {
    let targets_unpromoted = chain(ws, i)
        .iter()
        .any(|&x| ws.rscs[x].target_role == Some(Role::Unpromoted));
    let mut priority = if targets_unpromoted {
        -INFINITY
    } else {
        let scores: Vec<Option<i64>> = ws
            .primitives(i)
            .iter()
            .map(|&p| promotion_score(ws, clone, p, n))
            .collect();
        if scores.iter().all(Option::is_none) {
            // No promotion score at all: only constraints can make it eligible.
            -1
        } else {
            scores.into_iter().flatten().fold(0, add_scores)
        }
    };
    let mine = chain(ws, i);
    for loc in &ws.locations {
        if loc.role == Some(Role::Promoted) && loc.node == n && mine.contains(&loc.rsc) {
            priority = add_scores(priority, loc.score);
        }
    }
    // Colocations of the promoted role with other resources.
    for col in &ws.colocations {
        if col.dependent_role != Some(Role::Promoted) || !mine.contains(&col.dependent) {
            continue;
        }
        let primary_nodes: Vec<usize> = ws
            .primitives(col.primary)
            .iter()
            .filter(|&&p| {
                col.primary_role
                    .is_none_or(|want| want != Role::Promoted || ws.rscs[p].promote_next)
            })
            .filter_map(|&p| ws.rscs[p].assigned)
            .collect();
        if primary_nodes.contains(&n) {
            priority = add_scores(priority, col.score);
        } else if col.score >= INFINITY {
            priority = -INFINITY;
        }
    }
    priority
}

/// Decide the next roles of one promotable clone's instances.
pub fn assign_clone_roles(ws: &mut WorkingSet, c: usize) {
    let instances = ws.rscs[c].children.clone();
    let mut node_scores = ws.rscs[c].allowed.clone();
    // (instance, node, priority, sort index)
    let mut ranked: Vec<(usize, Option<usize>, i64, i64)> = Vec::new();
    for &i in &instances {
        match chosen_node(ws, i) {
            Some(n) => {
                let p = instance_priority(ws, c, i, n);
                ranked.push((i, Some(n), p, p));
            }
            None => ranked.push((i, None, -INFINITY, -INFINITY)),
        }
    }
    for &(_, n, _, sort) in &ranked {
        if let (Some(n), true) = (n, sort >= 0) {
            let cur = node_scores.get(&n).copied().unwrap_or(0);
            node_scores.insert(n, add_scores(cur, sort));
        }
    }
    // Resources colocated with the promoted role pull it to where they are active
    // (their non-negative node scores, scaled by the colocation score).
    for col in &ws.colocations {
        if col.primary != c || col.primary_role != Some(Role::Promoted) || !col.influence {
            continue;
        }
        let Some(&d) = ws.primitives(col.dependent).first() else {
            continue;
        };
        for &(x, _) in &ws.rscs[d].running_on {
            let Some(&sc) = ws.rscs[d].allowed.get(&x) else {
                continue;
            };
            if sc < 0 {
                continue;
            }
            let add = (sc as f64 * col.score as f64 / INFINITY as f64) as i64;
            let cur = node_scores.get(&x).copied().unwrap_or(0);
            node_scores.insert(x, add_scores(cur, add));
        }
    }
    for entry in ranked.iter_mut() {
        if let (Some(n), true) = (entry.1, entry.3 >= 0) {
            entry.3 = node_scores.get(&n).copied().unwrap_or(0);
        }
    }
    let current_role = |ws: &WorkingSet, i: usize| {
        ws.primitives(i)
            .iter()
            .flat_map(|&p| ws.rscs[p].running_on.iter().map(|&(_, r)| r))
            .max()
            .unwrap_or(Role::Stopped)
    };
    ranked.sort_by(|a, b| {
        b.3.cmp(&a.3)
            .then_with(|| current_role(ws, b.0).cmp(&current_role(ws, a.0)))
    });
    let promoted_max = ws.rscs[c].promoted_max;
    let node_max = ws.rscs[c].promoted_node_max;
    let managed = ws.rscs[c].managed;
    let freeze = !ws.have_quorum && ws.no_quorum_policy == "freeze";
    let mut count = 0;
    let mut per_node: std::collections::BTreeMap<usize, usize> = Default::default();
    for (i, n, priority, sort) in ranked {
        let mut promote = false;
        if let Some(n) = n {
            let eligible = sort >= 0
                && (count < promoted_max || !managed)
                && priority >= 0
                && ws.nodes[n].can_run()
                && per_node.get(&n).copied().unwrap_or(0) < node_max;
            let frozen = freeze && current_role(ws, i) < Role::Promoted;
            if eligible && !frozen {
                promote = true;
                count += 1;
                *per_node.entry(n).or_default() += 1;
            }
        }
        for p in ws.primitives(i) {
            ws.rscs[p].promote_next = promote;
        }
    }
}

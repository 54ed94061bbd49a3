//! The transition graph as crm_simulate's dummy executor runs it, the revised status,
//! and Graphviz output.

use std::fmt::Write;

use crate::model::*;
use crate::unpack::WorkingSet;

/// Synapse order: each top-level resource's actions newest first, then its children's,
/// then node-level actions newest first (Pacemaker prepends actions to its lists).
fn synapse_order(ws: &WorkingSet) -> Vec<usize> {
    let mut out = Vec::new();
    fn walk(ws: &WorkingSet, r: usize, out: &mut Vec<usize>) {
        let mut own: Vec<usize> = ws
            .actions
            .iter()
            .filter(|a| a.rsc == Some(r))
            .map(|a| a.id)
            .collect();
        own.reverse();
        // Clones add their instances' actions before their own; everything else
        // its own first.
        if ws.rscs[r].variant == Variant::Clone {
            for &c in &ws.rscs[r].children {
                walk(ws, c, out);
            }
            out.extend(own);
        } else {
            out.extend(own);
            for &c in &ws.rscs[r].children {
                walk(ws, c, out);
            }
        }
    }
    for &t in &ws.top {
        walk(ws, t, &mut out);
    }
    let mut rest: Vec<usize> = ws
        .actions
        .iter()
        .filter(|a| a.rsc.is_none())
        .map(|a| a.id)
        .collect();
    rest.reverse();
    out.extend(rest);
    out.retain(|&a| !ws.actions[a].optional && ws.actions[a].runnable);
    out
}

/// Run passes over the synapses, firing each whose inputs are all done; a fired action
/// completes at once, so later synapses in the same pass may fire too.
fn execute(ws: &WorkingSet, order: &[usize]) -> Vec<usize> {
    let n = ws.actions.len();
    let in_graph: Vec<bool> = {
        let mut v = vec![false; n];
        for &a in order {
            v[a] = true;
        }
        v
    };
    let mut inputs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &ws.edges {
        if in_graph[e.before] && in_graph[e.after] {
            inputs[e.after].push(e.before);
        }
    }
    let mut done = vec![false; n];
    let mut out = Vec::new();
    loop {
        let mut fired = false;
        for &a in order {
            if done[a] {
                continue;
            }
            if inputs[a].iter().all(|&i| done[i]) {
                done[a] = true;
                out.push(a);
                fired = true;
            }
        }
        if !fired {
            break;
        }
    }
    out
}

/// Finish: run the graph, compute the revised view, and package the schedule.
pub fn finish(ws: WorkingSet) -> Schedule {
    let order = synapse_order(&ws);
    let executed = execute(&ws, &order);
    let summary = crate::actions::summary(&ws);
    let current = ClusterView {
        nodes: ws.nodes.clone(),
        resources: ws.rscs.clone(),
    };
    let mut revised = current.clone();
    for &a in &executed {
        let act = &ws.actions[a];
        if act.kind == ActionKind::Pseudo && act.task == "stop" {
            if let Some(r) = act.rsc {
                let res = &mut revised.resources[r];
                let nodes = &current.nodes;
                res.running_on.retain(|&(x, _)| !nodes[x].unclean);
                res.failed_on.retain(|&x| !nodes[x].unclean);
                if res.failed_on.is_empty() {
                    res.failed = false;
                }
            }
            continue;
        }
        let (Some(r), Some(n)) = (act.rsc, act.node) else {
            if act.kind == ActionKind::Fence {
                if let Some(n) = act.node {
                    revised.nodes[n].unclean = false;
                    revised.nodes[n].online = false;
                }
            }
            continue;
        };
        let promotable = crate::actions::promotable_clone_of(&ws, r).is_some();
        let res = &mut revised.resources[r];
        match act.task.as_str() {
            "stop" => {
                res.running_on.retain(|&(x, _)| x != n);
                res.failed_on.retain(|&x| x != n);
                if res.failed_on.is_empty() {
                    res.failed = false;
                }
            }
            "start" | "migrate_from" => {
                let role = if promotable {
                    Role::Unpromoted
                } else {
                    Role::Started
                };
                res.running_on.retain(|&(x, _)| x != n);
                res.running_on.push((n, role));
            }
            "promote" => {
                for x in res.running_on.iter_mut() {
                    if x.0 == n {
                        x.1 = Role::Promoted;
                    }
                }
            }
            "demote" => {
                for x in res.running_on.iter_mut() {
                    if x.0 == n {
                        x.1 = Role::Unpromoted;
                    }
                }
            }
            _ => {}
        }
        res.pending = None;
    }
    // Fenced nodes run nothing afterwards.
    let fenced: Vec<usize> = executed
        .iter()
        .filter(|&&a| ws.actions[a].kind == ActionKind::Fence)
        .filter_map(|&a| ws.actions[a].node)
        .collect();
    for r in revised.resources.iter_mut() {
        r.pending = None;
        r.running_on.retain(|(x, _)| !fenced.contains(x));
        r.failed_on.retain(|x| !fenced.contains(x));
        if r.failed_on.is_empty() {
            r.failed = false;
        }
    }
    // The status as printed before the transition does not show fencing that only
    // the scheduler decided.
    let mut current = current;
    for n in current.nodes.iter_mut() {
        if n.fence_by_scheduler {
            n.unclean = false;
        }
    }
    let mut scores = Vec::new();
    for (i, r) in ws.rscs.iter().enumerate() {
        if r.variant != Variant::Primitive {
            continue;
        }
        let _ = i;
        for (&n, &s) in &r.allowed {
            scores.push(Score {
                rsc: r.id.clone(),
                node: ws.nodes[n].uname.clone(),
                score: s,
            });
        }
    }
    Schedule {
        current,
        revised,
        top: ws.top.clone(),
        scores,
        actions: ws.actions.clone(),
        edges: ws.edges.clone(),
        summary,
        executed,
        warnings: ws.warnings.clone(),
        original_execution_date: ws.original_execution_date,
    }
}

fn label(s: &Schedule, a: &Action) -> String {
    let node = a
        .node
        .map(|n| s.current.nodes[n].uname.as_str())
        .unwrap_or("");
    if node.is_empty() {
        a.key.clone()
    } else {
        format!("{} {}", a.key, node)
    }
}

/// The graph in Graphviz dot, like `crm_simulate -D`.
pub fn to_dot(s: &Schedule) -> String {
    let mut out = String::from(" digraph \"g\" {\n");
    let in_graph: std::collections::BTreeSet<usize> = s.executed.iter().copied().collect();
    for &a in &s.executed {
        let _ = writeln!(
            out,
            "\"{}\" [ style=bold color=\"green\" fontcolor=\"black\"]",
            label(s, &s.actions[a])
        );
    }
    for e in &s.edges {
        if in_graph.contains(&e.before) && in_graph.contains(&e.after) {
            let _ = writeln!(
                out,
                "\"{}\" -> \"{}\" [ style = bold]",
                label(s, &s.actions[e.before]),
                label(s, &s.actions[e.after])
            );
        }
    }
    out.push_str("}\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn action_xml(s: &Schedule, a: &Action) -> String {
    let tag = match a.kind {
        ActionKind::Resource => "rsc_op",
        ActionKind::Pseudo => "pseudo_event",
        ActionKind::Fence | ActionKind::Cluster => "crm_event",
    };
    let mut x = format!(
        "<{tag} id=\"{}\" operation=\"{}\" operation_key=\"{}\"",
        a.id,
        xml_escape(&a.task),
        xml_escape(&a.key)
    );
    if let Some(n) = a.node {
        let node = &s.current.nodes[n];
        let _ = write!(
            x,
            " on_node=\"{}\" on_node_uuid=\"{}\"",
            xml_escape(&node.uname),
            xml_escape(&node.id)
        );
    }
    x.push_str("/>");
    x
}

/// The graph as Pacemaker-style transition-graph XML (`crm_simulate -G`): one synapse
/// per action in execution order, with its inputs.
pub fn to_graph_xml(s: &Schedule) -> String {
    let mut out = String::from("<transition_graph transition_id=\"0\">\n");
    let pos: std::collections::BTreeMap<usize, usize> = s
        .executed
        .iter()
        .enumerate()
        .map(|(i, &a)| (a, i))
        .collect();
    for (i, &a) in s.executed.iter().enumerate() {
        let _ = writeln!(out, "  <synapse id=\"{i}\">");
        let _ = writeln!(
            out,
            "    <action_set>{}</action_set>",
            action_xml(s, &s.actions[a])
        );
        out.push_str("    <inputs>\n");
        for e in s
            .edges
            .iter()
            .filter(|e| e.after == a && pos.contains_key(&e.before))
        {
            let _ = writeln!(
                out,
                "      <trigger>{}</trigger>",
                action_xml(s, &s.actions[e.before])
            );
        }
        out.push_str("    </inputs>\n  </synapse>\n");
    }
    out.push_str("</transition_graph>\n");
    out
}

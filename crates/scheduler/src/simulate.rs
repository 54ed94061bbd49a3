//! The crm_simulate-compatible text printer: "Current cluster status", "Transition
//! Summary", "Executing Cluster Transition", "Revised Cluster Status".

use std::fmt::Write;

use crate::model::*;

/// What to print.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Print allocation scores (`-s`).
    pub show_scores: bool,
    /// Print the simulated execution (`-S`); without it only current status and
    /// the transition summary are printed.
    pub simulate: bool,
    /// The `-t` text, echoed as crm_simulate does ("Setting effective cluster time").
    pub effective_time: Option<String>,
}

/// Render a schedule as crm_simulate prints it.
pub fn render(s: &Schedule, opts: &RenderOptions) -> String {
    let mut out = String::new();
    let time_note = match (&opts.effective_time, s.original_execution_date) {
        (Some(t), _) => Some(format!("Setting effective cluster time: {t}")),
        (None, Some(d)) => Some(format!(
            "Using the original execution date of: {}",
            vigil_cib::time::format_datetime(d).replacen('T', " ", 1)
        )),
        (None, None) => None,
    };
    if let Some(t) = &time_note {
        let _ = writeln!(out, "{t}");
    }
    let prims: Vec<&Resource> = s
        .current
        .resources
        .iter()
        .filter(|r| r.variant == Variant::Primitive && !(r.orphan && r.running_on.is_empty()))
        .collect();
    let disabled_n = prims
        .iter()
        .filter(|r| effective_target_role(&s.current, r) == Some(Role::Stopped))
        .count();
    let blocked_n = prims.iter().filter(|r| r.blocked).count();
    if disabled_n > 0 || blocked_n > 0 {
        let _ = writeln!(
            out,
            "{disabled_n} of {} resource instances DISABLED and {blocked_n} BLOCKED from further action due to failure\n",
            prims.len()
        );
    }
    out.push_str("Current cluster status:\n");
    print_view(&mut out, &s.current, &s.top);
    out.push('\n');
    if opts.show_scores {
        out.push_str("Assignment Scores:\n");
        for sc in &s.scores {
            let _ = writeln!(
                out,
                "  * pcmk__primitive_assign: {} allocation score on {}: {}",
                sc.rsc,
                sc.node,
                score_text(sc.score)
            );
        }
        out.push('\n');
    }
    out.push_str("Transition Summary:\n");
    for l in &s.summary {
        let _ = writeln!(out, "  * {l}");
    }
    if opts.simulate {
        out.push('\n');
        out.push_str("Executing Cluster Transition:\n");
        for &a in &s.executed {
            let _ = writeln!(out, "  * {}", execution_line(s, &s.actions[a]));
        }
        if let Some(t) = &time_note {
            let _ = writeln!(out, "{t}");
        }
        out.push('\n');
        out.push_str("Revised Cluster Status:\n");
        print_view(&mut out, &s.revised, &s.top);
    }
    out
}

fn execution_line(s: &Schedule, a: &Action) -> String {
    let node = a
        .node
        .map(|n| s.current.nodes[n].uname.as_str())
        .unwrap_or("");
    match a.kind {
        ActionKind::Pseudo => format!("Pseudo action:   {}", a.key),
        ActionKind::Fence => format!("Fencing {} ({})", node, a.detail),
        ActionKind::Cluster => format!("Cluster action:  {} on {}", a.task, node),
        ActionKind::Resource => {
            let rsc = a
                .rsc
                .map(|r| graph_name(&s.current, r, a.node))
                .unwrap_or("");
            let task = if a.interval_ms > 0 {
                format!("{}={}", a.task, a.interval_ms)
            } else {
                a.task.clone()
            };
            format!("Resource action: {rsc:<15} {task} on {node}")
        }
    }
}

/// The resource name crm_simulate prints for an action: for an anonymous clone
/// instance the name its history used, else the configured (base) id when the node's
/// history knows that name, else the instance id; otherwise the id.
fn graph_name(v: &ClusterView, r: usize, node: Option<usize>) -> &str {
    let res = &v.resources[r];
    let mut p = res.parent;
    while let Some(x) = p {
        if v.resources[x].variant == Variant::Clone {
            if v.resources[x].unique {
                break;
            }
            if let Some(n) = &res.clone_name {
                return n;
            }
            let known = node.is_some_and(|n| v.nodes[n].lrm_ids.contains(&res.base_id));
            return if known { &res.base_id } else { &res.id };
        }
        p = v.resources[x].parent;
    }
    &res.id
}

/// Natural ("node2" < "node10") comparison Pacemaker uses for node names.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        if ab[i].is_ascii_digit() && bb[j].is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let na: u128 = a[si..i].parse().unwrap_or(0);
            let nb: u128 = b[sj..j].parse().unwrap_or(0);
            if na != nb {
                return na.cmp(&nb);
            }
        } else {
            let ca = ab[i].to_ascii_lowercase();
            let cb = bb[j].to_ascii_lowercase();
            if ca != cb {
                return ca.cmp(&cb);
            }
            i += 1;
            j += 1;
        }
    }
    (ab.len() - i).cmp(&(bb.len() - j))
}

fn sorted_nodes(v: &ClusterView) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..v.nodes.len()).collect();
    idx.sort_by(|&a, &b| natural_cmp(&v.nodes[a].uname, &v.nodes[b].uname));
    idx
}

fn print_view(out: &mut String, v: &ClusterView, top: &[usize]) {
    out.push_str("  * Node List:\n");
    let mut online = Vec::new();
    let mut offline = Vec::new();
    let mut r_online = Vec::new();
    let mut r_offline = Vec::new();
    let mut g_online = Vec::new();
    let mut g_offline = Vec::new();
    for ni in sorted_nodes(v) {
        let n = &v.nodes[ni];
        let prefix = match n.kind {
            NodeKind::Member => "Node",
            NodeKind::Remote => "RemoteNode",
            NodeKind::Guest => "GuestNode",
        };
        if n.unclean {
            let state = if n.online { "online" } else { "offline" };
            let _ = writeln!(out, "    * {prefix} {}: UNCLEAN ({state})", n.uname);
        } else if n.pending {
            let _ = writeln!(out, "    * {prefix} {}: pending", n.uname);
        } else if n.online && (n.standby || n.standby_onfail) {
            let active = v.resources.iter().any(|r| {
                r.variant == Variant::Primitive && r.running_on.iter().any(|&(x, _)| x == ni)
            });
            if active {
                let _ = writeln!(
                    out,
                    "    * {prefix} {}: standby (with active resources)",
                    n.uname
                );
            } else {
                let _ = writeln!(out, "    * {prefix} {}: standby", n.uname);
            }
        } else if let (true, Some(h)) = (n.online, n.health) {
            let _ = writeln!(out, "    * {prefix} {}: online (health is {h})", n.uname);
        } else if n.online && n.maintenance {
            let _ = writeln!(out, "    * {prefix} {}: maintenance", n.uname);
        } else if n.online {
            match n.kind {
                NodeKind::Member => online.push(n.uname.clone()),
                NodeKind::Remote => r_online.push(n.uname.clone()),
                NodeKind::Guest => g_online.push(n.uname.clone()),
            }
        } else if n.standby && n.kind == NodeKind::Member {
            let _ = writeln!(out, "    * {prefix} {}: OFFLINE (standby)", n.uname);
        } else {
            match n.kind {
                NodeKind::Member => offline.push(n.uname.clone()),
                NodeKind::Remote => r_offline.push(n.uname.clone()),
                NodeKind::Guest => g_offline.push(n.uname.clone()),
            }
        }
    }
    for (label, list) in [
        ("Online", &online),
        ("OFFLINE", &offline),
        ("RemoteOnline", &r_online),
        ("RemoteOFFLINE", &r_offline),
        ("GuestOnline", &g_online),
        ("GuestOFFLINE", &g_offline),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "    * {label}: [ {} ]", list.join(" "));
        }
    }
    out.push('\n');
    out.push_str("  * Full List of Resources:\n");
    let mut any = false;
    for &r in top {
        let res = &v.resources[r];
        if res.orphan && res.running_on.is_empty() {
            continue;
        }
        any = true;
        print_rsc(out, v, r, 4);
    }
    if !any {
        out.push_str("    * No resources\n");
    }
}

fn effective_target_role(v: &ClusterView, r: &Resource) -> Option<Role> {
    let mut cur = Some(r);
    while let Some(x) = cur {
        if x.target_role.is_some() {
            return x.target_role;
        }
        cur = x.parent.map(|p| &v.resources[p]);
    }
    None
}

fn disabled(r: &Resource) -> bool {
    r.target_role == Some(Role::Stopped)
}

fn primitive_line(v: &ClusterView, r: usize) -> String {
    let res = &v.resources[r];
    let mut s = format!("{}\t({}):\t ", res.id, res.agent());
    if res.orphan {
        s.push_str("ORPHANED ");
    }
    let failed = res.failed && !res.failed_on.is_empty();
    let role = res
        .running_on
        .iter()
        .map(|&(_, r)| r)
        .max()
        .unwrap_or(Role::Stopped);
    let role_text = if failed {
        "FAILED".to_string()
    } else if let Some((task, _)) = &res.pending {
        match task.as_str() {
            "start" => "Starting".into(),
            "stop" => "Stopping".into(),
            "promote" => "Promoting".into(),
            "demote" => "Demoting".into(),
            _ => role.name().into(),
        }
    } else {
        role.name().to_string()
    };
    s.push_str(&role_text);
    let mut nodes: Vec<usize> = res.running_on.iter().map(|&(n, _)| n).collect();
    nodes.dedup();
    let mut flags: Vec<&str> = Vec::new();
    if nodes.len() == 1 {
        let n = &v.nodes[nodes[0]];
        let _ = write!(s, " {}", n.uname);
        if n.unclean && !n.online {
            flags.push("UNCLEAN");
        }
    }
    if disabled(res) {
        flags.push("disabled");
    }
    if res.blocked {
        flags.push("blocked");
    } else if res.maintenance {
        flags.push("maintenance");
    } else if !res.managed {
        flags.push("unmanaged");
    }
    if res.failure_ignored {
        flags.push("failure ignored");
    }
    if nodes.len() > 1 {
        if !flags.is_empty() {
            let _ = write!(s, " ({})", flags.join(", "));
        }
        let names: Vec<&str> = nodes.iter().map(|&n| v.nodes[n].uname.as_str()).collect();
        let _ = write!(s, " [ {} ]", names.join(" "));
        return s;
    }
    if !flags.is_empty() {
        let _ = write!(s, " ({})", flags.join(", "));
    }
    s
}

fn print_rsc(out: &mut String, v: &ClusterView, r: usize, indent: usize) {
    let res = &v.resources[r];
    let pad = " ".repeat(indent);
    match res.variant {
        Variant::Primitive => {
            let _ = writeln!(out, "{pad}* {}", primitive_line(v, r));
        }
        Variant::Group => {
            let mut flags = Vec::new();
            if disabled(res) {
                flags.push("disabled");
            }
            if res.maintenance {
                flags.push("maintenance");
            } else if !res.managed {
                flags.push("unmanaged");
            }
            let f = if flags.is_empty() {
                String::new()
            } else {
                format!(" ({})", flags.join(", "))
            };
            let _ = writeln!(out, "{pad}* Resource Group: {}{f}:", res.id);
            for &c in &res.children {
                print_rsc(out, v, c, indent + 2);
            }
        }
        Variant::Clone => print_clone(out, v, r, indent),
        Variant::Bundle => {}
    }
}

fn instance_summary(v: &ClusterView, inst: usize) -> Option<(Role, usize)> {
    // An instance is "simple" when all its primitives run on the same single node with
    // the same role, not failed, managed.
    let prims = prims_of(v, inst);
    let mut node = None;
    let mut role = None;
    for p in prims {
        let r = &v.resources[p];
        if r.failed || !r.managed || r.pending.is_some() || r.running_on.len() != 1 || r.orphan {
            return None;
        }
        let (n, ro) = r.running_on[0];
        if node.is_some_and(|x| x != n) || role.is_some_and(|x| x != ro) {
            return None;
        }
        node = Some(n);
        role = Some(ro);
    }
    Some((role?, node?))
}

fn prims_of(v: &ClusterView, r: usize) -> Vec<usize> {
    let res = &v.resources[r];
    if res.variant == Variant::Primitive {
        return vec![r];
    }
    res.children.iter().flat_map(|&c| prims_of(v, c)).collect()
}

fn print_clone(out: &mut String, v: &ClusterView, r: usize, indent: usize) {
    let res = &v.resources[r];
    let pad = " ".repeat(indent);
    let child_name = res
        .children
        .first()
        .map(|&c| v.resources[c].base_id.clone())
        .unwrap_or_default();
    let mut flags = Vec::new();
    if res.promotable {
        flags.push("promotable");
    }
    if res.unique {
        flags.push("unique");
    }
    if res.maintenance {
        flags.push("maintenance");
    } else if !res.managed {
        flags.push("unmanaged");
    }
    if disabled(res) {
        flags.push("disabled");
    }
    let f = if flags.is_empty() {
        String::new()
    } else {
        format!(" ({})", flags.join(", "))
    };
    let _ = writeln!(out, "{pad}* Clone Set: {} [{}]{f}:", res.id, child_name);
    let inner = " ".repeat(indent + 2);
    if res.unique {
        for &c in &res.children {
            print_rsc(out, v, c, indent + 2);
        }
        return;
    }
    let mut promoted = Vec::new();
    let mut started = Vec::new();
    let mut active_nodes = Vec::new();
    for &c in &res.children {
        let prims = prims_of(v, c);
        let active = prims.iter().any(|&p| !v.resources[p].running_on.is_empty());
        if !active {
            continue;
        }
        match instance_summary(v, c) {
            Some((role, node)) => {
                active_nodes.push(node);
                if role == Role::Promoted {
                    promoted.push(node);
                } else {
                    started.push(node);
                }
            }
            None => {
                for &p in &prims {
                    for &(n, _) in &v.resources[p].running_on {
                        active_nodes.push(n);
                    }
                }
                if v.resources[c].variant == Variant::Group {
                    print_rsc(out, v, c, indent + 2);
                } else {
                    let line = primitive_line(v, c).replacen(
                        &v.resources[c].id,
                        &v.resources[c].base_id,
                        1,
                    );
                    let _ = writeln!(out, "{inner}* {line}");
                }
            }
        }
    }
    let names = |l: &Vec<usize>| -> String {
        let mut x: Vec<&str> = l.iter().map(|&n| v.nodes[n].uname.as_str()).collect();
        x.sort_by(|a, b| natural_cmp(a, b));
        x.join(" ")
    };
    if !promoted.is_empty() {
        let _ = writeln!(out, "{inner}* Promoted: [ {} ]", names(&promoted));
    }
    if !started.is_empty() {
        let label = if res.promotable {
            "Unpromoted"
        } else {
            "Started"
        };
        let _ = writeln!(out, "{inner}* {label}: [ {} ]", names(&started));
    }
    // Stopped: nodes (that could host it) where no instance is active.
    let mut stopped: Vec<usize> = (0..v.nodes.len())
        .filter(|n| !active_nodes.contains(n))
        .filter(|&n| {
            let node = &v.nodes[n];
            node.kind == NodeKind::Member || res.allowed.get(&n).is_some_and(|&s| s >= 0)
        })
        .collect();
    stopped.sort_by(|&a, &b| natural_cmp(&v.nodes[a].uname, &v.nodes[b].uname));
    if !stopped.is_empty() {
        let label = if disabled(res) {
            "Stopped (disabled)"
        } else {
            "Stopped"
        };
        let _ = writeln!(out, "{inner}* {label}: [ {} ]", names(&stopped));
    }
}

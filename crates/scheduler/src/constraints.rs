//! Unpacking `<constraints>`: location (with rules), colocation, ordering, including
//! resource sets and tags (Pacemaker Explained, "Resource Constraints").

use vigil_cib::{
    Colocation as CibColocation, Configuration, Constraint, Location as CibLocation, LossPolicy,
    Order as CibOrder, OrderKind as CibOrderKind, ResourceSet, RuleContext, Ticket as CibTicket,
    TicketState,
};

use crate::model::*;
use crate::unpack::WorkingSet;
use crate::SchedError;

/// Unpack all constraints in configuration order.
pub fn unpack_constraints(
    ws: &mut WorkingSet,
    config: &Configuration,
    tickets: &[TicketState],
) -> Result<(), SchedError> {
    for c in &config.constraints {
        match c {
            Constraint::Location(l) => unpack_location(ws, l, config),
            Constraint::Colocation(c) => unpack_colocation(ws, c, config),
            Constraint::Order(o) => unpack_order(ws, o, config),
            Constraint::Ticket(t) => unpack_ticket(ws, t, config, tickets),
        }
    }
    Ok(())
}

/// Resolve a reference (resource, tag or template) to resource indices.
fn resolve(ws: &WorkingSet, id: &str, config: &Configuration) -> Vec<usize> {
    if let Some(r) = ws.top.iter().copied().find(|&r| ws.rscs[r].id == id) {
        return vec![r];
    }
    if let Some(r) = ws.rscs.iter().position(|r| {
        r.id == id
            || (r.base_id == id
                && r.parent.is_some_and(|p| {
                    ws.rscs[p].variant == Variant::Group && ws.rscs[p].parent.is_none()
                }))
    }) {
        return vec![r];
    }
    if let Some(members) = config.expand_tag(id) {
        return members
            .iter()
            .flat_map(|m| resolve(ws, m, config))
            .collect();
    }
    // Templates are not expanded yet: a constraint naming one is dropped.
    if config.templates.iter().any(|t| t.id == id) {
        return Vec::new();
    }
    // Inside clones: refer to the clone's child by its configured id -> the clone.
    if let Some(r) = ws.rscs.iter().position(|r| r.base_id == id) {
        let mut top = r;
        while let Some(p) = ws.rscs[top].parent {
            if ws.rscs[p].variant == Variant::Clone {
                return vec![p];
            }
            top = p;
        }
        return vec![r];
    }
    Vec::new()
}

fn unpack_location(ws: &mut WorkingSet, c: &CibLocation, config: &Configuration) {
    let mut targets: Vec<usize> = Vec::new();
    if let Some(r) = &c.rsc {
        targets = resolve(ws, r, config);
        if targets.is_empty() {
            ws.warn(format!("rsc_location '{}': unknown resource '{}'", c.id, r));
            return;
        }
    } else if let Some(p) = &c.rsc_pattern {
        let (neg, pat) = match p.strip_prefix('!') {
            Some(x) => (true, x),
            None => (false, p.as_str()),
        };
        for &t in &ws.top {
            if simple_regex_match(pat, &ws.rscs[t].id) != neg {
                targets.push(t);
            }
        }
    } else {
        for set in &c.sets {
            targets.extend(set_members(ws, set, config));
        }
    }
    let role = c.role.map(Role::from);
    if let Some(node) = &c.node {
        let score = c.score.map(|s| s.value()).unwrap_or(0);
        let Some(ni) = ws.node_by_name(node) else {
            return;
        };
        for &t in &targets {
            ws.locations.push(Location {
                id: c.id.clone(),
                rsc: t,
                node: ni,
                score,
                role,
            });
        }
        return;
    }
    for rule in &c.rules {
        let role = rule.role.map(Role::from).or(role);
        // The rule's own role filter was applied above; evaluate for any role.
        let rule = vigil_cib::Rule {
            role: None,
            ..rule.clone()
        };
        for ni in 0..ws.nodes.len() {
            let ctx = RuleContext::new(&ws.nodes[ni].attrs).at(ws.now);
            if !rule.evaluate(&ctx) {
                continue;
            }
            let s = match (&rule.score_attribute, rule.score) {
                // A rule whose score attribute is missing or not a score adds nothing.
                (Some(a), _) => match ws.nodes[ni].attrs.get(a).and_then(|v| parse_score(v)) {
                    Some(v) => v,
                    None => continue,
                },
                (None, Some(s)) => s.value(),
                (None, None) => 0,
            };
            for &t in &targets {
                ws.locations.push(Location {
                    id: c.id.clone(),
                    rsc: t,
                    node: ni,
                    score: s,
                    role,
                });
            }
        }
    }
}

/// `rsc_ticket`: a resource may only run (or, with `rsc-role="Promoted"`, be promoted)
/// while its ticket is granted and not in standby (Pacemaker Explained, "Ticket
/// Constraints"). When the ticket is lost, `loss-policy` says what happens to an active
/// resource: stop (default), demote, fence the nodes it runs on (only when the ticket
/// is revoked, not for standby), or freeze it where it is.
fn unpack_ticket(
    ws: &mut WorkingSet,
    t: &CibTicket,
    config: &Configuration,
    tickets: &[TicketState],
) {
    let state = tickets.iter().find(|s| s.id == t.ticket);
    let granted = state.is_some_and(|s| s.granted);
    let standby = state.is_some_and(|s| s.standby);
    if granted && !standby {
        return;
    }
    // (resource, role the ticket governs): a set's own role wins.
    let mut targets: Vec<(usize, Option<Role>)> = Vec::new();
    if let Some(r) = &t.rsc {
        let role = t.rsc_role.map(Role::from);
        targets.extend(resolve(ws, r, config).into_iter().map(|x| (x, role)));
    }
    for set in &t.sets {
        let role = set.role.or(t.rsc_role).map(Role::from);
        targets.extend(set_members(ws, set, config).into_iter().map(|x| (x, role)));
    }
    let policy = t.loss_policy.unwrap_or(LossPolicy::Stop);
    for (r, role) in targets {
        let prims = ws.primitives(r);
        let active: Vec<usize> = prims
            .iter()
            .flat_map(|&p| ws.rscs[p].running_on.iter().map(|&(n, _)| n))
            .collect();
        if policy == LossPolicy::Freeze && !active.is_empty() {
            continue;
        }
        if policy == LossPolicy::Fence && !granted && ws.fencing_enabled {
            for n in active {
                let node = &mut ws.nodes[n];
                if !node.unclean {
                    node.unclean = true;
                    node.fence_by_scheduler = true;
                    node.fence_reason = Some("deadman ticket was lost".into());
                }
            }
        }
        if role == Some(Role::Promoted) {
            // Only promotion is banned; the resource may stay unpromoted.
            for n in 0..ws.nodes.len() {
                ws.locations.push(Location {
                    id: t.id.clone(),
                    rsc: r,
                    node: n,
                    score: -INFINITY,
                    role: Some(Role::Promoted),
                });
            }
            continue;
        }
        for n in 0..ws.nodes.len() {
            ws.locations.push(Location {
                id: t.id.clone(),
                rsc: r,
                node: n,
                score: -INFINITY,
                role: None,
            });
        }
    }
}

/// Minimal POSIX ERE subset used by rsc-pattern: `^`, `$`, `.`, `*`, literal text.
fn simple_regex_match(pat: &str, s: &str) -> bool {
    fn m(p: &[char], s: &[char]) -> bool {
        if p.is_empty() {
            return true;
        }
        if p[0] == '$' && p.len() == 1 {
            return s.is_empty();
        }
        if p.len() >= 2 && p[1] == '*' {
            let mut i = 0;
            loop {
                if m(&p[2..], &s[i..]) {
                    return true;
                }
                if i < s.len() && (p[0] == '.' || p[0] == s[i]) {
                    i += 1;
                } else {
                    return false;
                }
            }
        }
        if !s.is_empty() && (p[0] == '.' || p[0] == s[0]) {
            return m(&p[1..], &s[1..]);
        }
        false
    }
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    if p.first() == Some(&'^') {
        return m(&p[1..], &s);
    }
    (0..=s.len()).any(|i| m(&p, &s[i..]))
}

fn set_members(ws: &WorkingSet, set: &ResourceSet, config: &Configuration) -> Vec<usize> {
    set.resources
        .iter()
        .flat_map(|r| resolve(ws, r, config))
        .collect()
}

fn unpack_colocation(ws: &mut WorkingSet, c: &CibColocation, config: &Configuration) {
    let score = c.score.map(|s| s.value()).unwrap_or(0);
    let node_attribute = c
        .node_attribute
        .clone()
        .unwrap_or_else(|| "#uname".to_string());
    let influence = c.influence.unwrap_or(true);
    if c.sets.is_empty() {
        let (Some(a), Some(b)) = (&c.rsc, &c.with_rsc) else {
            ws.warn(format!("rsc_colocation '{}': no resources", c.id));
            return;
        };
        let da = resolve(ws, a, config);
        let pb = resolve(ws, b, config);
        for (list, name) in [(&da, a), (&pb, b)] {
            if list.is_empty() {
                ws.warn(format!(
                    "rsc_colocation '{}': unknown resource '{}'",
                    c.id, name
                ));
                return;
            }
        }
        ws.colocations.push(Colocation {
            id: c.id.clone(),
            dependent: da[0],
            primary: pb[0],
            score,
            dependent_role: c.rsc_role.map(Role::from),
            primary_role: c.with_rsc_role.map(Role::from),
            node_attribute,
            influence,
        });
        return;
    }
    // Sets: within a sequential set each member is colocated with the previous one;
    // between sets, every member of a later set with the last of the previous one.
    let mut prev_set: Option<(Vec<usize>, Option<Role>)> = None;
    for set in &c.sets {
        let members = set_members(ws, set, config);
        let role = set.role.map(Role::from);
        let sequential = set.sequential.unwrap_or(true);
        let set_score = set.score.map(|s| s.value()).unwrap_or(score);
        if sequential {
            for w in members.windows(2) {
                ws.colocations.push(Colocation {
                    id: c.id.clone(),
                    dependent: w[1],
                    primary: w[0],
                    score: set_score,
                    dependent_role: role,
                    primary_role: role,
                    node_attribute: node_attribute.clone(),
                    influence,
                });
            }
        }
        if let Some((pm, prole)) = &prev_set {
            if let Some(&last) = pm.last() {
                for &m in &members {
                    ws.colocations.push(Colocation {
                        id: c.id.clone(),
                        dependent: m,
                        primary: last,
                        score,
                        dependent_role: role,
                        primary_role: *prole,
                        node_attribute: node_attribute.clone(),
                        influence,
                    });
                    if sequential {
                        break;
                    }
                }
            }
        }
        prev_set = Some((members, role));
    }
}

/// Strength of an order: `kind`, else the legacy score (0 = Optional).
fn order_kind(kind: Option<CibOrderKind>, score: Option<vigil_cib::Score>) -> OrderKind {
    match kind {
        Some(CibOrderKind::Optional) => OrderKind::Optional,
        Some(CibOrderKind::Serialize) => OrderKind::Serialize,
        Some(CibOrderKind::Mandatory) => OrderKind::Mandatory,
        None => match score {
            Some(s) if s.value() == 0 => OrderKind::Optional,
            _ => OrderKind::Mandatory,
        },
    }
}

fn inverse_task(t: &str) -> &'static str {
    match t {
        "start" => "stop",
        "stop" => "start",
        "promote" => "demote",
        "demote" => "promote",
        "promoted" => "demoted",
        "demoted" => "promoted",
        "running" => "stopped",
        "stopped" => "running",
        _ => "",
    }
}

/// Record an ordering and, when symmetrical, its inverse (stop B before stopping A).
fn push_order(ws: &mut WorkingSet, o: Ordering, symmetrical: bool) {
    let inverse = if symmetrical && o.kind != OrderKind::Serialize {
        let (fi, ti) = (inverse_task(&o.first_task), inverse_task(&o.then_task));
        (!fi.is_empty() && !ti.is_empty()).then(|| Ordering {
            id: o.id.clone(),
            first: o.then,
            first_task: ti.into(),
            then: o.first,
            then_task: fi.into(),
            kind: o.kind,
            require_all: o.require_all,
        })
    } else {
        None
    };
    ws.orderings.push(o);
    if let Some(inv) = inverse {
        ws.orderings.push(inv);
    }
}

fn ord(id: &str, first: usize, ft: &str, then: usize, tt: &str, kind: OrderKind) -> Ordering {
    Ordering {
        id: id.into(),
        first,
        first_task: ft.into(),
        then,
        then_task: tt.into(),
        kind,
        require_all: true,
    }
}

fn unpack_order(ws: &mut WorkingSet, c: &CibOrder, config: &Configuration) {
    let kind = order_kind(c.kind, c.score);
    let symmetrical = c.symmetrical.unwrap_or(kind != OrderKind::Serialize);
    if c.sets.is_empty() {
        let (Some(a), Some(b)) = (&c.first, &c.then) else {
            ws.warn(format!("rsc_order '{}': no resources", c.id));
            return;
        };
        let fa = resolve(ws, a, config);
        let tb = resolve(ws, b, config);
        if fa.is_empty() || tb.is_empty() {
            ws.warn(format!("rsc_order '{}': unknown resource", c.id));
            return;
        }
        let ft = c.first_action.map(|a| a.as_str()).unwrap_or("start");
        let tt = c.then_action.map(|a| a.as_str()).unwrap_or(ft);
        let mut o = ord(&c.id, fa[0], ft, tb[0], tt, kind);
        o.require_all = c.require_all.unwrap_or(true);
        push_order(ws, o, symmetrical);
        return;
    }
    let mut prev: Option<(Vec<usize>, String, bool, bool)> = None;
    let mut prev_id: Option<String> = None;
    for set in &c.sets {
        let members = set_members(ws, set, config);
        let action = set
            .action
            .map(|a| a.as_str())
            .unwrap_or("start")
            .to_string();
        let sequential = set.sequential.unwrap_or(true);
        let skind = match set.kind {
            Some(k) => order_kind(Some(k), None),
            None => kind,
        };
        if sequential {
            for w in members.windows(2) {
                push_order(
                    ws,
                    ord(&c.id, w[0], &action, w[1], &action, skind),
                    symmetrical,
                );
            }
        }
        if let Some((pm, pa, pseq, prequire)) = &prev {
            let firsts: Vec<usize> = if *pseq {
                pm.last().copied().into_iter().collect()
            } else {
                pm.clone()
            };
            let thens: Vec<usize> = if sequential {
                members.first().copied().into_iter().collect()
            } else {
                members.clone()
            };
            if let (false, Some(name)) = (*prequire, &prev_id) {
                // Pacemaker Explained, "Ordering Sets" require-all=false: any one
                // member of the set suffices, through a pseudo action.
                ws.one_or_more.push(OneOrMore {
                    name: format!("one-or-more:{name}"),
                    firsts: pm.clone(),
                    first_task: pa.clone(),
                    thens: thens.clone(),
                    then_task: action.clone(),
                });
            } else {
                for &f in &firsts {
                    for &t in &thens {
                        let mut o = ord(&c.id, f, pa, t, &action, kind);
                        o.require_all = *prequire;
                        push_order(ws, o, symmetrical);
                    }
                }
            }
        }
        let require_all = set.require_all.or(c.require_all).unwrap_or(true);
        prev_id = Some(set.id.clone());
        prev = Some((members, action, sequential, require_all));
    }
}

/// Used by placement: is the score mandatory?
pub fn is_mandatory(score: i64) -> bool {
    score >= INFINITY || score <= -INFINITY
}

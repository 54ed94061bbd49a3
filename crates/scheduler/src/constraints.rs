//! Unpacking `<constraints>`: location (with rules), colocation, ordering, including
//! resource sets and tags (Pacemaker Explained, "Resource Constraints").

use std::collections::BTreeMap;

use crate::model::*;
use crate::rules::{self, is_true, parse_score, RuleContext, INFINITY};
use crate::unpack::{score_attr, WorkingSet};
use crate::xml::Element;
use crate::SchedError;

/// Unpack all constraints in configuration order.
pub fn unpack_constraints(
    ws: &mut WorkingSet,
    config: &Element,
    _status: &Element,
) -> Result<(), SchedError> {
    let empty = Element::default();
    let cons = config.child("constraints").unwrap_or(&empty);
    let tags: BTreeMap<String, Vec<String>> = config
        .child("tags")
        .map(|t| {
            t.children_named("tag")
                .map(|tag| {
                    (
                        tag.id().to_string(),
                        tag.children_named("obj_ref")
                            .map(|o| o.id().to_string())
                            .collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for c in &cons.children {
        match c.name.as_str() {
            "rsc_location" => unpack_location(ws, c, &tags)?,
            "rsc_colocation" => unpack_colocation(ws, c, &tags)?,
            "rsc_order" => unpack_order(ws, c, &tags)?,
            _ => {}
        }
    }
    Ok(())
}

/// Resolve a reference (resource, tag or template) to resource indices.
fn resolve(ws: &WorkingSet, id: &str, tags: &BTreeMap<String, Vec<String>>) -> Vec<usize> {
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
    if let Some(members) = tags.get(id) {
        return members.iter().flat_map(|m| resolve(ws, m, tags)).collect();
    }
    // A template: every primitive built from it.
    if let Some(t) = ws.idrefs.get(id) {
        if t.name == "template" {
            let _ = t;
            // Primitives don't record their template; fall back to none.
        }
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

fn unknown(e: &Element, what: &'static str, reference: &str) -> SchedError {
    SchedError::UnknownReference {
        element: e.name.clone(),
        id: e.id().to_string(),
        what,
        reference: reference.to_string(),
    }
}

fn unpack_location(
    ws: &mut WorkingSet,
    c: &Element,
    tags: &BTreeMap<String, Vec<String>>,
) -> Result<(), SchedError> {
    let mut targets: Vec<usize> = Vec::new();
    if let Some(r) = c.attr("rsc") {
        targets = resolve(ws, r, tags);
        if targets.is_empty() {
            ws.warn(format!(
                "rsc_location '{}': unknown resource '{}'",
                c.id(),
                r
            ));
            return Ok(());
        }
    } else if let Some(p) = c.attr("rsc-pattern") {
        let (neg, pat) = match p.strip_prefix('!') {
            Some(x) => (true, x),
            None => (false, p),
        };
        for &t in &ws.top {
            if simple_regex_match(pat, &ws.rscs[t].id) != neg {
                targets.push(t);
            }
        }
    } else {
        for set in c.children_named("resource_set") {
            for rr in set.children_named("resource_ref") {
                targets.extend(resolve(ws, rr.id(), tags));
            }
        }
    }
    let role = c.attr("role").and_then(Role::parse);
    if let Some(node) = c.attr("node") {
        let score = score_attr(c, "score")?.unwrap_or(0);
        let Some(ni) = ws.node_by_name(node) else {
            return Ok(());
        };
        for &t in &targets {
            ws.locations.push(Location {
                id: c.id().into(),
                rsc: t,
                node: ni,
                score,
                role,
            });
        }
        return Ok(());
    }
    for rule in c.children_named("rule") {
        let rule = match rule.attr("id-ref") {
            Some(r) => ws.idrefs.get(r).cloned().unwrap_or_else(|| rule.clone()),
            None => rule.clone(),
        };
        let score = score_attr(&rule, "score")?;
        let score_attribute = rule.attr("score-attribute").map(str::to_string);
        let role = rule.attr("role").and_then(Role::parse).or(role);
        for ni in 0..ws.nodes.len() {
            let ctx = RuleContext {
                node_attrs: Some(&ws.nodes[ni].attrs),
                now: ws.now,
                ..Default::default()
            };
            if !rules::eval_rule(&rule, &ctx) {
                continue;
            }
            let s = match (&score_attribute, score) {
                (Some(a), _) => match ws.nodes[ni].attrs.get(a).and_then(|v| parse_score(v)) {
                    Some(v) => v,
                    None => continue,
                },
                (None, Some(s)) => s,
                (None, None) => 0,
            };
            for &t in &targets {
                ws.locations.push(Location {
                    id: c.id().into(),
                    rsc: t,
                    node: ni,
                    score: s,
                    role,
                });
            }
        }
    }
    Ok(())
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

fn set_members(ws: &WorkingSet, set: &Element, tags: &BTreeMap<String, Vec<String>>) -> Vec<usize> {
    set.children_named("resource_ref")
        .flat_map(|r| resolve(ws, r.id(), tags))
        .collect()
}

fn unpack_colocation(
    ws: &mut WorkingSet,
    c: &Element,
    tags: &BTreeMap<String, Vec<String>>,
) -> Result<(), SchedError> {
    let score = score_attr(c, "score")?.unwrap_or(0);
    let node_attribute = c.attr("node-attribute").unwrap_or("#uname").to_string();
    let influence = c.attr("influence").map(is_true).unwrap_or(true);
    let sets: Vec<&Element> = c.children_named("resource_set").collect();
    if sets.is_empty() {
        let (Some(a), Some(b)) = (c.attr("rsc"), c.attr("with-rsc")) else {
            return Err(unknown(c, "resource", ""));
        };
        let da = resolve(ws, a, tags);
        let pb = resolve(ws, b, tags);
        if da.is_empty() {
            ws.warn(format!(
                "rsc_colocation '{}': unknown resource '{}'",
                c.id(),
                a
            ));
            return Ok(());
        }
        if pb.is_empty() {
            ws.warn(format!(
                "rsc_colocation '{}': unknown resource '{}'",
                c.id(),
                b
            ));
            return Ok(());
        }
        ws.colocations.push(Colocation {
            id: c.id().into(),
            dependent: da[0],
            primary: pb[0],
            score,
            dependent_role: c.attr("rsc-role").and_then(Role::parse),
            primary_role: c.attr("with-rsc-role").and_then(Role::parse),
            node_attribute,
            influence,
        });
        return Ok(());
    }
    // Sets: within a sequential set each member is colocated with the previous one;
    // between sets, every member of a later set with the last of the previous one.
    let mut prev_set: Option<(Vec<usize>, Option<Role>)> = None;
    for set in sets {
        let members = set_members(ws, set, tags);
        let role = set.attr("role").and_then(Role::parse);
        let sequential = set.attr("sequential").map(is_true).unwrap_or(true);
        let set_score = score_attr(set, "score")?.unwrap_or(score);
        if sequential {
            for w in members.windows(2) {
                ws.colocations.push(Colocation {
                    id: c.id().into(),
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
            if let (Some(&last), Some(&first)) = (pm.last(), members.first()) {
                let _ = first;
                for &m in &members {
                    ws.colocations.push(Colocation {
                        id: c.id().into(),
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
    Ok(())
}

fn order_kind(c: &Element) -> Result<OrderKind, SchedError> {
    if let Some(k) = c.attr("kind") {
        return Ok(match k {
            "Optional" => OrderKind::Optional,
            "Serialize" => OrderKind::Serialize,
            _ => OrderKind::Mandatory,
        });
    }
    match score_attr(c, "score")? {
        Some(0) => Ok(OrderKind::Optional),
        _ => Ok(OrderKind::Mandatory),
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
    }
}

fn unpack_order(
    ws: &mut WorkingSet,
    c: &Element,
    tags: &BTreeMap<String, Vec<String>>,
) -> Result<(), SchedError> {
    let kind = order_kind(c)?;
    let symmetrical = c
        .attr("symmetrical")
        .map(is_true)
        .unwrap_or(kind != OrderKind::Serialize);
    let sets: Vec<&Element> = c.children_named("resource_set").collect();
    if sets.is_empty() {
        let (Some(a), Some(b)) = (c.attr("first"), c.attr("then")) else {
            return Err(unknown(c, "resource", ""));
        };
        let fa = resolve(ws, a, tags);
        let tb = resolve(ws, b, tags);
        if fa.is_empty() || tb.is_empty() {
            ws.warn(format!("rsc_order '{}': unknown resource", c.id()));
            return Ok(());
        }
        let ft = c.attr("first-action").unwrap_or("start");
        let tt = c.attr("then-action").unwrap_or(ft);
        push_order(ws, ord(c.id(), fa[0], ft, tb[0], tt, kind), symmetrical);
        return Ok(());
    }
    let mut prev: Option<(Vec<usize>, String, bool)> = None;
    for set in sets {
        let members = set_members(ws, set, tags);
        let action = set.attr("action").unwrap_or("start").to_string();
        let sequential = set.attr("sequential").map(is_true).unwrap_or(true);
        let skind = match set.attr("kind") {
            Some(_) => order_kind(set)?,
            None => kind,
        };
        if sequential {
            for w in members.windows(2) {
                push_order(
                    ws,
                    ord(c.id(), w[0], &action, w[1], &action, skind),
                    symmetrical,
                );
            }
        }
        if let Some((pm, pa, pseq)) = &prev {
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
            for &f in &firsts {
                for &t in &thens {
                    push_order(ws, ord(c.id(), f, pa, t, &action, kind), symmetrical);
                }
            }
        }
        prev = Some((members, action, sequential));
    }
    Ok(())
}

/// Used by placement: is the score mandatory?
pub fn is_mandatory(score: i64) -> bool {
    score >= INFINITY || score <= -INFINITY
}

//! Unpacking `<resources>`: primitives, templates, groups, clones (Pacemaker Explained,
//! "Resources", "Groups", "Clones").

use std::collections::BTreeMap;

use crate::model::*;
use crate::rules::{self, is_true, parse_interval_ms, parse_score, RuleContext};
use crate::unpack::WorkingSet;
use crate::xml::Element;
use crate::SchedError;

struct Defaults {
    rsc: Vec<Element>,
    op: Vec<Element>,
}

/// Unpack all resources in configuration order.
pub fn unpack_resources(ws: &mut WorkingSet, config: &Element) -> Result<(), SchedError> {
    let empty = Element::default();
    let resources = config.child("resources").unwrap_or(&empty);
    let defaults = Defaults {
        rsc: config
            .child("rsc_defaults")
            .map(|d| d.children.clone())
            .unwrap_or_default(),
        op: config
            .child("op_defaults")
            .map(|d| d.children.clone())
            .unwrap_or_default(),
    };
    let templates: BTreeMap<String, Element> = resources
        .children_named("template")
        .map(|t| (t.id().to_string(), t.clone()))
        .collect();
    let mut order = 0;
    for e in &resources.children {
        let idx = match e.name.as_str() {
            "primitive" => unpack_primitive(ws, e, None, &defaults, &templates)?,
            "group" => unpack_group(ws, e, None, &defaults, &templates)?,
            "clone" | "master" => unpack_clone(ws, e, &defaults, &templates)?,
            _ => continue,
        };
        ws.rscs[idx].config_order = order;
        order += 1;
        ws.top.push(idx);
    }
    Ok(())
}

fn meta_of(
    ws: &WorkingSet,
    e: &Element,
    parent: Option<usize>,
    defaults: &Defaults,
    agent: Option<(&str, &str, &str)>,
) -> BTreeMap<String, String> {
    let ctx = RuleContext {
        now: ws.now,
        rsc: agent,
        ..Default::default()
    };
    let mut meta = BTreeMap::new();
    rules::unpack_nvpair_sets(e, "meta_attributes", &ctx, &mut meta, false, &ws.idrefs);
    if let Some(p) = parent {
        for (k, v) in &ws.rscs[p].meta {
            meta.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let holder = Element {
        name: "rsc_defaults".into(),
        attrs: vec![],
        children: defaults.rsc.clone(),
    };
    rules::unpack_nvpair_sets(
        &holder,
        "meta_attributes",
        &ctx,
        &mut meta,
        false,
        &ws.idrefs,
    );
    meta
}

fn apply_meta(ws: &WorkingSet, r: &mut Resource) {
    let m = &r.meta;
    let get = |k: &str| m.get(k).map(String::as_str);
    r.priority = get("priority").and_then(parse_score).unwrap_or(0);
    r.stickiness = get("resource-stickiness")
        .or(get("resource_stickiness"))
        .or(ws
            .options
            .get("default-resource-stickiness")
            .map(String::as_str))
        .and_then(parse_score)
        .unwrap_or(0);
    r.migration_threshold = get("migration-threshold")
        .and_then(parse_score)
        .unwrap_or(rules::INFINITY);
    r.failure_timeout = get("failure-timeout")
        .and_then(parse_interval_ms)
        .map(|ms| (ms / 1000) as i64)
        .unwrap_or(0);
    r.managed = get("is-managed").map(is_true).unwrap_or_else(|| {
        ws.options
            .get("is-managed-default")
            .map(|v| is_true(v))
            .unwrap_or(true)
    });
    r.maintenance = get("maintenance")
        .map(is_true)
        .unwrap_or(ws.maintenance_mode);
    if r.maintenance {
        r.managed = false;
    }
    r.target_role = get("target-role").and_then(Role::parse);
    r.allow_migrate = get("allow-migrate").map(is_true).unwrap_or(false);
    if let Some(v) = get("multiple-active") {
        r.multiple_active = v.to_string();
    }
    r.requires = get("requires").map(str::to_string).unwrap_or_else(|| {
        if r.class == "stonith" {
            "quorum".into()
        } else if ws.fencing_enabled {
            "fencing".into()
        } else {
            "quorum".into()
        }
    });
}

fn unpack_ops(
    ws: &WorkingSet,
    e: &Element,
    defaults: &Defaults,
    agent: (&str, &str, &str),
) -> Vec<OpDef> {
    let mut out = Vec::new();
    let Some(ops) = e.child("operations") else {
        return out;
    };
    let ops = match ops.attr("id-ref") {
        Some(r) => ws.idrefs.get(r).unwrap_or(ops),
        None => ops,
    };
    for op in ops.children_named("op") {
        let name = op.attr("name").unwrap_or("").to_string();
        let interval_ms = op.attr("interval").and_then(parse_interval_ms).unwrap_or(0);
        let ctx = RuleContext {
            now: ws.now,
            rsc: Some(agent),
            op: Some((&name, interval_ms)),
            ..Default::default()
        };
        let mut meta = BTreeMap::new();
        rules::unpack_nvpair_sets(op, "meta_attributes", &ctx, &mut meta, false, &ws.idrefs);
        let holder = Element {
            name: "op_defaults".into(),
            attrs: vec![],
            children: defaults.op.clone(),
        };
        rules::unpack_nvpair_sets(
            &holder,
            "meta_attributes",
            &ctx,
            &mut meta,
            false,
            &ws.idrefs,
        );
        let enabled = op
            .attr("enabled")
            .or(meta.get("enabled").map(String::as_str))
            .map(is_true)
            .unwrap_or(true);
        out.push(OpDef {
            id: op.id().to_string(),
            name,
            interval_ms,
            role: op.attr("role").and_then(Role::parse),
            on_fail: op
                .attr("on-fail")
                .or(meta.get("on-fail").map(String::as_str))
                .map(str::to_string),
            enabled,
        });
    }
    out
}

fn unpack_primitive(
    ws: &mut WorkingSet,
    e: &Element,
    parent: Option<usize>,
    defaults: &Defaults,
    templates: &BTreeMap<String, Element>,
) -> Result<usize, SchedError> {
    let id = e.id();
    let mut merged = e.clone();
    if let Some(t) = e.attr("template") {
        let tmpl = templates
            .get(t)
            .ok_or_else(|| SchedError::UnknownReference {
                element: "primitive".into(),
                id: id.to_string(),
                what: "template",
                reference: t.to_string(),
            })?;
        for k in ["class", "provider", "type"] {
            if merged.attr(k).is_none() {
                if let Some(v) = tmpl.attr(k) {
                    merged.attrs.push((k.to_string(), v.to_string()));
                }
            }
        }
        // Template sets come after the primitive's own, so the primitive wins.
        for c in &tmpl.children {
            if c.name == "operations" {
                let mine = merged.children.iter_mut().find(|x| x.name == "operations");
                match mine {
                    Some(m) => {
                        for op in &c.children {
                            let dup = m.children.iter().any(|o| {
                                o.attr("name") == op.attr("name")
                                    && o.attr("interval") == op.attr("interval")
                            });
                            if !dup {
                                m.children.push(op.clone());
                            }
                        }
                    }
                    None => merged.children.push(c.clone()),
                }
            } else {
                merged.children.push(c.clone());
            }
        }
    }
    let class = merged.attr("class").unwrap_or("").to_string();
    let provider = merged.attr("provider").unwrap_or("").to_string();
    let ty = merged.attr("type").unwrap_or("").to_string();
    let mut r = Resource::new(id, Variant::Primitive);
    r.class = class.clone();
    r.provider = provider.clone();
    r.ty = ty.clone();
    r.parent = parent;
    r.meta = meta_of(
        ws,
        &merged,
        parent,
        defaults,
        Some((&class, &provider, &ty)),
    );
    let ctx = RuleContext {
        now: ws.now,
        ..Default::default()
    };
    rules::unpack_nvpair_sets(
        &merged,
        "instance_attributes",
        &ctx,
        &mut r.params,
        false,
        &ws.idrefs,
    );
    let mut util = BTreeMap::new();
    rules::unpack_nvpair_sets(&merged, "utilization", &ctx, &mut util, false, &ws.idrefs);
    r.utilization = util
        .into_iter()
        .map(|(k, v)| (k, v.parse().unwrap_or(0)))
        .collect();
    r.ops = unpack_ops(ws, &merged, defaults, (&class, &provider, &ty));
    apply_meta(ws, &mut r);
    ws.rscs.push(r);
    Ok(ws.rscs.len() - 1)
}

fn unpack_group(
    ws: &mut WorkingSet,
    e: &Element,
    parent: Option<usize>,
    defaults: &Defaults,
    templates: &BTreeMap<String, Element>,
) -> Result<usize, SchedError> {
    let mut g = Resource::new(e.id(), Variant::Group);
    g.parent = parent;
    g.meta = meta_of(ws, e, parent, defaults, None);
    apply_meta(ws, &mut g);
    g.ordered = g.meta.get("ordered").map(|v| is_true(v)).unwrap_or(true);
    ws.rscs.push(g);
    let gi = ws.rscs.len() - 1;
    for c in e.children_named("primitive") {
        let ci = unpack_primitive(ws, c, Some(gi), defaults, templates)?;
        ws.rscs[gi].children.push(ci);
    }
    Ok(gi)
}

fn unpack_clone(
    ws: &mut WorkingSet,
    e: &Element,
    defaults: &Defaults,
    templates: &BTreeMap<String, Element>,
) -> Result<usize, SchedError> {
    let mut c = Resource::new(e.id(), Variant::Clone);
    c.meta = meta_of(ws, e, None, defaults, None);
    apply_meta(ws, &mut c);
    let m = c.meta.clone();
    let get = |k: &str| m.get(k).map(String::as_str);
    c.promotable = e.name == "master" || get("promotable").map(is_true).unwrap_or(false);
    c.unique = get("globally-unique").map(is_true).unwrap_or(false);
    c.interleave = get("interleave").map(is_true).unwrap_or(false);
    c.ordered = get("ordered").map(is_true).unwrap_or(false);
    let nnodes = ws.nodes.len().max(1);
    c.clone_max = get("clone-max")
        .and_then(|v| v.parse().ok())
        .unwrap_or(nnodes);
    c.clone_node_max = get("clone-node-max")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    c.promoted_max = get("promoted-max")
        .or(get("master-max"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    c.promoted_node_max = get("promoted-node-max")
        .or(get("master-node-max"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    // Clones are sticky by default (Pacemaker Explained: resource-stickiness defaults to 1
    // for clones when not set).
    if get("resource-stickiness").is_none()
        && !ws.options.contains_key("default-resource-stickiness")
    {
        c.stickiness = 1;
        c.meta.insert("resource-stickiness".into(), "1".into());
    }
    ws.rscs.push(c);
    let ci = ws.rscs.len() - 1;
    let Some(child) = e
        .children
        .iter()
        .find(|x| x.name == "primitive" || x.name == "group")
    else {
        return Ok(ci);
    };
    let max = ws.rscs[ci].clone_max;
    for n in 0..max {
        let inst = match child.name.as_str() {
            "primitive" => unpack_primitive(ws, child, Some(ci), defaults, templates)?,
            _ => unpack_group(ws, child, Some(ci), defaults, templates)?,
        };
        rename_instance(ws, inst, n);
        ws.rscs[ci].children.push(inst);
    }
    Ok(ci)
}

fn rename_instance(ws: &mut WorkingSet, r: usize, n: usize) {
    let base = ws.rscs[r].id.clone();
    ws.rscs[r].base_id = base.clone();
    ws.rscs[r].id = format!("{base}:{n}");
    let kids = ws.rscs[r].children.clone();
    for k in kids {
        rename_instance(ws, k, n);
    }
}

/// Score of an attribute or `None` (used by sibling modules).
pub fn opt_score(v: Option<&str>) -> Option<i64> {
    v.and_then(parse_score)
}

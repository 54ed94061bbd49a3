//! Unpacking `<resources>`: primitives, templates, groups, clones (Pacemaker Explained,
//! "Resources", "Groups", "Clones").

use std::collections::BTreeMap;

use vigil_cib::{
    evaluate_nvsets, parse_interval_ms, Clone as CibClone, Configuration, Group, NvSet, Primitive,
    Resource as CibResource, RscAgent, RuleContext,
};

use crate::model::*;
use crate::unpack::WorkingSet;
use crate::SchedError;

struct Defaults<'a> {
    rsc: &'a [NvSet],
    op: &'a [NvSet],
}

/// Unpack all resources in configuration order.
pub fn unpack_resources(ws: &mut WorkingSet, config: &Configuration) -> Result<(), SchedError> {
    let defaults = Defaults {
        rsc: &config.rsc_defaults,
        op: &config.op_defaults,
    };
    let mut order = 0;
    for e in &config.resources {
        let idx = match e {
            CibResource::Primitive(p) => unpack_primitive(ws, p, None, &defaults, &[])?,
            CibResource::Group(g) => unpack_group(ws, g, None, &defaults, &[])?,
            CibResource::Clone(c) => unpack_clone(ws, c, &defaults)?,
            // Bundles are not scheduled yet (see docs/crates/scheduler.md).
            CibResource::Bundle(_) => continue,
        };
        ws.rscs[idx].config_order = order;
        order += 1;
        ws.top.push(idx);
    }
    Ok(())
}

/// Meta-attributes of a resource: its own sets, then the parent's values, then
/// `rsc_defaults` (Pacemaker Explained, "Resource Meta-Attributes").
fn meta_of(
    ws: &WorkingSet,
    own: &[NvSet],
    parent: Option<usize>,
    defaults: &Defaults<'_>,
    agent: Option<RscAgent<'_>>,
) -> BTreeMap<String, String> {
    let ctx = RuleContext {
        rsc: agent,
        ..RuleContext::default().at(ws.now)
    };
    let mut meta = evaluate_nvsets(own, &ctx);
    if let Some(p) = parent {
        for (k, v) in &ws.rscs[p].meta {
            meta.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    for (k, v) in evaluate_nvsets(defaults.rsc, &ctx) {
        meta.entry(k).or_insert(v);
    }
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
        .unwrap_or(INFINITY);
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

fn unpack_ops(ws: &WorkingSet, p: &Primitive, defaults: &Defaults<'_>) -> Vec<OpDef> {
    let agent = RscAgent {
        class: &p.class,
        provider: p.provider.as_deref(),
        kind: &p.kind,
    };
    let mut out = Vec::new();
    for op in &p.ops {
        let ctx = RuleContext {
            rsc: Some(agent),
            op: Some((&op.name, op.interval_ms)),
            ..RuleContext::default().at(ws.now)
        };
        let mut meta = evaluate_nvsets(&op.meta, &ctx);
        for (k, v) in evaluate_nvsets(defaults.op, &ctx) {
            meta.entry(k).or_insert(v);
        }
        let enabled = op
            .enabled
            .or_else(|| meta.get("enabled").map(|v| is_true(v)))
            .unwrap_or(true);
        out.push(OpDef {
            id: op.id.clone(),
            name: op.name.clone(),
            interval_ms: op.interval_ms,
            role: op.role.map(Role::from),
            on_fail: op
                .on_fail
                .map(|f| f.as_str().to_string())
                .or_else(|| meta.get("on-fail").cloned()),
            enabled,
        });
    }
    out
}

/// Unpack one primitive (`inherited`: instance attribute sets of enclosing groups and
/// clones, which the primitive's own sets override).
fn unpack_primitive(
    ws: &mut WorkingSet,
    p: &Primitive,
    parent: Option<usize>,
    defaults: &Defaults<'_>,
    inherited: &[NvSet],
) -> Result<usize, SchedError> {
    let mut r = Resource::new(&p.id, Variant::Primitive);
    r.class = p.class.clone();
    r.provider = p.provider.clone().unwrap_or_default();
    r.ty = p.kind.clone();
    r.parent = parent;
    let agent = RscAgent {
        class: &p.class,
        provider: p.provider.as_deref(),
        kind: &p.kind,
    };
    r.meta = meta_of(ws, &p.meta, parent, defaults, Some(agent));
    let ctx = RuleContext {
        rsc: Some(agent),
        ..RuleContext::default().at(ws.now)
    };
    r.params = evaluate_nvsets(&p.instance, &ctx);
    for (k, v) in evaluate_nvsets(inherited, &ctx) {
        r.params.entry(k).or_insert(v);
    }
    r.utilization = evaluate_nvsets(&p.utilization, &ctx)
        .into_iter()
        .map(|(k, v)| (k, v.parse().unwrap_or(0)))
        .collect();
    r.ops = unpack_ops(ws, p, defaults);
    apply_meta(ws, &mut r);
    ws.rscs.push(r);
    Ok(ws.rscs.len() - 1)
}

fn unpack_group(
    ws: &mut WorkingSet,
    e: &Group,
    parent: Option<usize>,
    defaults: &Defaults<'_>,
    inherited: &[NvSet],
) -> Result<usize, SchedError> {
    let mut g = Resource::new(&e.id, Variant::Group);
    g.parent = parent;
    g.meta = meta_of(ws, &e.meta, parent, defaults, None);
    apply_meta(ws, &mut g);
    g.ordered = g.meta.get("ordered").map(|v| is_true(v)).unwrap_or(true);
    ws.rscs.push(g);
    let gi = ws.rscs.len() - 1;
    let sets: Vec<NvSet> = e.instance.iter().chain(inherited).cloned().collect();
    for c in &e.children {
        let ci = unpack_primitive(ws, c, Some(gi), defaults, &sets)?;
        ws.rscs[gi].children.push(ci);
    }
    Ok(gi)
}

fn unpack_clone(
    ws: &mut WorkingSet,
    e: &CibClone,
    defaults: &Defaults<'_>,
) -> Result<usize, SchedError> {
    let mut c = Resource::new(&e.id, Variant::Clone);
    c.meta = meta_of(ws, &e.meta, None, defaults, None);
    apply_meta(ws, &mut c);
    let m = c.meta.clone();
    let get = |k: &str| m.get(k).map(String::as_str);
    c.promotable = e.is_promotable_tag || get("promotable").map(is_true).unwrap_or(false);
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
    let max = ws.rscs[ci].clone_max;
    for n in 0..max {
        let inst = match e.child.as_ref() {
            CibResource::Primitive(p) => unpack_primitive(ws, p, Some(ci), defaults, &e.instance)?,
            CibResource::Group(g) => unpack_group(ws, g, Some(ci), defaults, &e.instance)?,
            // A clone of a clone or bundle is not valid configuration.
            _ => return Ok(ci),
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

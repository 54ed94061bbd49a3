//! Unpacking the CIB: configuration (options, nodes, resources, constraints) and status
//! (node states, operation history) into a [`WorkingSet`].
//!
//! Pacemaker Explained, "Cluster Options", "Nodes", "Resources", "Status": this follows
//! what Pacemaker's `lib/pengine/unpack.c` decides, rewritten from the documented rules.

use std::collections::BTreeMap;

use crate::model::*;
use crate::rules::{self, is_true, parse_interval_ms, parse_score, RuleContext, INFINITY};
use crate::xml::Element;
use crate::{Options, SchedError};

/// Everything the scheduler knows while it works.
#[derive(Debug, Clone, Default)]
pub struct WorkingSet {
    /// "Now", seconds since the epoch.
    pub now: i64,
    /// Nodes in configuration order.
    pub nodes: Vec<Node>,
    /// All resources (tree in an arena).
    pub rscs: Vec<Resource>,
    /// Top-level resources in configuration order.
    pub top: Vec<usize>,
    /// Location preferences.
    pub locations: Vec<Location>,
    /// Colocations in configuration order.
    pub colocations: Vec<Colocation>,
    /// Orderings in configuration order.
    pub orderings: Vec<Ordering>,
    /// Cluster options after rule evaluation.
    pub options: BTreeMap<String, String>,
    /// fencing-enabled / stonith-enabled.
    pub fencing_enabled: bool,
    /// symmetric-cluster.
    pub symmetric: bool,
    /// Partition has quorum.
    pub have_quorum: bool,
    /// no-quorum-policy.
    pub no_quorum_policy: String,
    /// stop-orphan-resources.
    pub stop_orphans: bool,
    /// start-failure-is-fatal.
    pub start_failure_fatal: bool,
    /// placement-strategy.
    pub placement_strategy: String,
    /// stop-all-resources.
    pub stop_all: bool,
    /// maintenance-mode.
    pub maintenance_mode: bool,
    /// Actions created so far.
    pub actions: Vec<Action>,
    /// Orderings between actions.
    pub edges: Vec<Edge>,
    /// Action lookup by (key, node).
    pub action_index: BTreeMap<(String, Option<usize>), usize>,
    /// Tolerated configuration problems.
    pub warnings: Vec<String>,
    /// Elements by id for id-ref resolution.
    pub idrefs: BTreeMap<String, Element>,
    /// The DC node.
    pub dc: Option<usize>,
    /// Nodes that must be fenced, with reason.
    pub to_fence: Vec<(usize, String)>,
    /// Tickets granted.
    pub tickets: BTreeMap<String, (bool, bool)>,
}

impl WorkingSet {
    /// Index of the node named `uname` (or with that id).
    pub fn node_by_name(&self, name: &str) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| n.uname == name)
            .or_else(|| self.nodes.iter().position(|n| n.id == name))
    }

    /// Index of the resource with this id (configured resources and instances).
    pub fn rsc_by_id(&self, id: &str) -> Option<usize> {
        self.rscs.iter().position(|r| r.id == id)
    }

    /// Top-level ancestor.
    pub fn top_of(&self, mut r: usize) -> usize {
        while let Some(p) = self.rscs[r].parent {
            r = p;
        }
        r
    }

    /// All primitives under `r` (including `r` itself), in tree order.
    pub fn primitives(&self, r: usize) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_primitives(r, &mut out);
        out
    }

    fn collect_primitives(&self, r: usize, out: &mut Vec<usize>) {
        if self.rscs[r].variant == Variant::Primitive {
            out.push(r);
        }
        for &c in &self.rscs[r].children {
            self.collect_primitives(c, out);
        }
    }

    /// Warn about a tolerated problem.
    pub fn warn(&mut self, msg: String) {
        self.warnings.push(msg);
    }
}

fn collect_ids(e: &Element, out: &mut BTreeMap<String, Element>) {
    if let Some(id) = e.attr("id") {
        if e.name != "lrm_rsc_op" && e.name != "lrm_resource" && e.name != "node_state" {
            out.entry(id.to_string()).or_insert_with(|| e.clone());
        }
    }
    if e.name == "status" {
        return;
    }
    for c in &e.children {
        collect_ids(c, out);
    }
}

/// Unpack a whole CIB.
pub fn unpack(root: &Element, opts: &Options) -> Result<WorkingSet, SchedError> {
    let config = root
        .child("configuration")
        .ok_or(SchedError::MissingSection("configuration"))?;
    let empty = Element::default();
    let status = root.child("status").unwrap_or(&empty);
    let mut ws = WorkingSet::default();
    collect_ids(config, &mut ws.idrefs);

    // Options first (they may use date rules, so "now" first).
    let mut now = opts.now.unwrap_or(0);
    let crm_config = config.child("crm_config").unwrap_or(&empty);
    let ctx0 = RuleContext {
        now,
        ..Default::default()
    };
    let mut options = BTreeMap::new();
    rules::unpack_nvpair_sets(
        crm_config,
        "cluster_property_set",
        &ctx0,
        &mut options,
        false,
        &ws.idrefs,
    );
    if opts.now.is_none() {
        if let Some(d) = options
            .get("execution-date")
            .and_then(|v| v.parse::<i64>().ok())
        {
            now = d;
        }
    }
    ws.now = now;
    let opt = |k: &str| options.get(k).map(String::as_str);
    ws.fencing_enabled = opt("fencing-enabled")
        .or(opt("stonith-enabled"))
        .map(is_true)
        .unwrap_or(true);
    ws.symmetric = opt("symmetric-cluster").map(is_true).unwrap_or(true);
    ws.no_quorum_policy = opt("no-quorum-policy").unwrap_or("stop").to_string();
    ws.stop_orphans = opt("stop-orphan-resources").map(is_true).unwrap_or(true);
    ws.start_failure_fatal = opt("start-failure-is-fatal").map(is_true).unwrap_or(true);
    ws.placement_strategy = opt("placement-strategy").unwrap_or("default").to_string();
    ws.stop_all = opt("stop-all-resources").map(is_true).unwrap_or(false);
    ws.maintenance_mode = opt("maintenance-mode").map(is_true).unwrap_or(false);
    ws.have_quorum = root.attr("have-quorum").map(is_true).unwrap_or(false);
    ws.options = options;

    unpack_nodes(&mut ws, config, status, root)?;
    crate::unpack_rsc::unpack_resources(&mut ws, config)?;
    crate::unpack_status::unpack_status(&mut ws, status)?;
    crate::constraints::unpack_constraints(&mut ws, config, status)?;
    Ok(ws)
}

fn unpack_nodes(
    ws: &mut WorkingSet,
    config: &Element,
    status: &Element,
    root: &Element,
) -> Result<(), SchedError> {
    let empty = Element::default();
    let nodes = config.child("nodes").unwrap_or(&empty);
    let dc_uuid = root.attr("dc-uuid").unwrap_or("");
    for n in nodes.children_named("node") {
        let id = n.attr("id").unwrap_or("").to_string();
        let uname = n.attr("uname").unwrap_or(&id).to_string();
        let kind = match n.attr("type") {
            Some("remote") => NodeKind::Remote,
            _ => NodeKind::Member,
        };
        ws.nodes.push(new_node(&id, &uname, kind));
        let idx = ws.nodes.len() - 1;
        if id == dc_uuid {
            ws.nodes[idx].is_dc = true;
            ws.dc = Some(idx);
        }
        let ctx = RuleContext {
            now: ws.now,
            ..Default::default()
        };
        let mut attrs = BTreeMap::new();
        rules::unpack_nvpair_sets(
            n,
            "instance_attributes",
            &ctx,
            &mut attrs,
            false,
            &ws.idrefs,
        );
        let mut util = BTreeMap::new();
        rules::unpack_nvpair_sets(n, "utilization", &ctx, &mut util, false, &ws.idrefs);
        ws.nodes[idx].utilization = util
            .into_iter()
            .map(|(k, v)| (k, v.parse().unwrap_or(0)))
            .collect();
        for (k, v) in attrs {
            ws.nodes[idx].attrs.insert(k, v);
        }
        let _ = status;
    }
    // Pacemaker keeps nodes sorted by name.
    ws.nodes
        .sort_by(|a, b| crate::simulate::natural_cmp(&a.uname, &b.uname));
    ws.dc = ws.nodes.iter().position(|n| n.is_dc);
    Ok(())
}

/// A node with default state (offline, clean).
pub fn new_node(id: &str, uname: &str, kind: NodeKind) -> Node {
    let mut attrs = BTreeMap::new();
    attrs.insert("#uname".to_string(), uname.to_string());
    attrs.insert("#id".to_string(), id.to_string());
    attrs.insert(
        "#kind".to_string(),
        match kind {
            NodeKind::Member => "cluster",
            NodeKind::Remote => "remote",
            NodeKind::Guest => "container",
        }
        .to_string(),
    );
    Node {
        id: id.to_string(),
        uname: uname.to_string(),
        kind,
        online: false,
        unclean: false,
        standby: false,
        standby_onfail: false,
        maintenance: false,
        pending: false,
        shutdown: false,
        expected_up: false,
        seen: false,
        is_dc: false,
        attrs,
        utilization: BTreeMap::new(),
        remote_rsc: None,
        num_assigned: 0,
        fence_reason: None,
        remote_was_fenced: false,
    }
}

/// Parse a score attribute of an element, with a located error.
pub fn score_attr(e: &Element, key: &str) -> Result<Option<i64>, SchedError> {
    match e.attr(key) {
        None => Ok(None),
        Some(v) => parse_score(v)
            .map(Some)
            .ok_or_else(|| SchedError::BadScore {
                element: e.name.clone(),
                id: e.id().to_string(),
                value: v.to_string(),
            }),
    }
}

/// Interval attribute in ms (0 when absent or bad).
pub fn interval_attr(e: &Element) -> u64 {
    e.attr("interval").and_then(parse_interval_ms).unwrap_or(0)
}

/// INFINITY re-exported for siblings.
pub const INF: i64 = INFINITY;

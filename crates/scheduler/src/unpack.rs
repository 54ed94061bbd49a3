//! Unpacking the CIB: configuration (options, nodes, resources, constraints) and status
//! (node states, operation history) into a [`WorkingSet`].
//!
//! Pacemaker Explained, "Cluster Options", "Nodes", "Resources", "Status": this follows
//! what Pacemaker's `lib/pengine/unpack.c` decides, rewritten from the documented rules.

use std::collections::BTreeMap;

use vigil_cib::{evaluate_nvsets, Cib, RuleContext};

use crate::model::*;
use crate::{Options, SchedError};

/// Everything the scheduler knows while it works.
#[derive(Debug, Clone, Default)]
pub struct WorkingSet {
    /// "Now", seconds since the epoch.
    pub now: i64,
    /// The CIB's `execution-date`, when it supplied "now".
    pub original_execution_date: Option<i64>,
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
    /// `require-all="false"` ordering sets.
    pub one_or_more: Vec<OneOrMore>,
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
    /// The DC node.
    pub dc: Option<usize>,
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

/// Unpack a whole CIB model.
pub fn unpack(cib: &Cib, opts: &Options) -> Result<WorkingSet, SchedError> {
    let config = &cib.configuration;
    let mut ws = WorkingSet::default();

    // Options first (they may use date rules, so "now" first).
    // crm_simulate: an explicit time wins, else the CIB's recorded execution date.
    let now = match (opts.now, cib.execution_date) {
        (Some(t), _) => t,
        (None, Some(d)) => {
            ws.original_execution_date = Some(d);
            d
        }
        (None, None) => opts.wall_clock,
    };
    let ctx0 = RuleContext::default().at(now);
    let options = config.cluster_options(&ctx0);
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
    ws.have_quorum = cib.have_quorum;
    ws.options = options;

    unpack_nodes(&mut ws, cib);
    crate::unpack_rsc::unpack_resources(&mut ws, config)?;
    crate::unpack_status::unpack_status(&mut ws, cib)?;
    crate::constraints::unpack_constraints(&mut ws, config, &cib.status.tickets)?;
    Ok(ws)
}

/// Nodes from `<nodes>`, with their permanent and transient attributes as rules see
/// them (`Cib::node_attributes`).
fn unpack_nodes(ws: &mut WorkingSet, cib: &Cib) {
    let dc_uuid = cib.dc_uuid.as_deref().unwrap_or("");
    let ctx = RuleContext::default().at(ws.now);
    for n in &cib.configuration.nodes {
        let kind = match n.kind {
            vigil_cib::NodeKind::Remote => NodeKind::Remote,
            _ => NodeKind::Member,
        };
        let uname = if n.uname.is_empty() { &n.id } else { &n.uname };
        let mut node = new_node(&n.id, uname, kind);
        if n.id == dc_uuid {
            node.is_dc = true;
        }
        node.utilization = evaluate_nvsets(&n.utilization, &ctx)
            .into_iter()
            .map(|(k, v)| (k, v.parse().unwrap_or(0)))
            .collect();
        for (k, v) in cib.node_attributes(&n.id, Some(ws.now)) {
            node.attrs.insert(k, v);
        }
        ws.nodes.push(node);
    }
    apply_node_health(ws);
    // Pacemaker keeps nodes sorted by name.
    ws.nodes
        .sort_by(|a, b| crate::simulate::natural_cmp(&a.uname, &b.uname));
    ws.dc = ws.nodes.iter().position(|n| n.is_dc);
}

/// Pacemaker Explained, "Tracking Node Health": with a node-health-strategy, the
/// worst `#health-*` attribute colours the node; migrate-on-red bans resources from
/// red nodes, only-green from red and yellow ones.
fn apply_node_health(ws: &mut WorkingSet) {
    let strategy = ws
        .options
        .get("node-health-strategy")
        .cloned()
        .unwrap_or_else(|| "none".into());
    if strategy == "none" {
        return;
    }
    for n in ws.nodes.iter_mut() {
        let mut worst = 0;
        for (k, v) in &n.attrs {
            if !k.starts_with("#health") {
                continue;
            }
            let level = match v.trim().to_ascii_lowercase().as_str() {
                "red" => 2,
                "yellow" => 1,
                _ => 0,
            };
            worst = worst.max(level);
        }
        n.health = match worst {
            2 => Some("RED"),
            1 => Some("YELLOW"),
            _ => None,
        };
        let banned = match strategy.as_str() {
            "migrate-on-red" => worst == 2,
            "only-green" => worst >= 1,
            _ => false,
        };
        if banned {
            n.health_banned = true;
        }
    }
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
        fence_by_scheduler: false,
        lrm_ids: Vec::new(),
        health: None,
        health_banned: false,
    }
}

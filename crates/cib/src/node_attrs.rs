//! A node's effective attributes, as rules see them: built-ins, then the
//! transient attributes from the status section, then the permanent ones
//! from `<nodes>` (Pacemaker Explained, "Node Attributes" and "Built-in
//! Node Attributes").

use std::collections::BTreeMap;

use crate::model::{evaluate_nvsets, Cib, NodeKind};
use crate::rules::RuleContext;

impl Cib {
    /// The attributes of the node with id `node_id` (matched against
    /// `<node id>` and `<node_state id>`): `#uname`, `#id`, `#kind`
    /// ("cluster" or "remote"), `#is_dc`, `#cluster-name` and `#site-name`
    /// when known; then transient attributes, which take precedence over
    /// the permanent ones. Rules in the attribute sets are evaluated at
    /// `now` against the built-ins.
    pub fn node_attributes(&self, node_id: &str, now: Option<i64>) -> BTreeMap<String, String> {
        let cfg = &self.configuration;
        let node = cfg.nodes.iter().find(|n| n.id == node_id);
        let state = self.status.node_states.iter().find(|s| s.id == node_id);
        let mut builtins = BTreeMap::new();
        builtins.insert("#id".to_string(), node_id.to_string());
        if let Some(uname) = node
            .map(|n| n.uname.clone())
            .or_else(|| state.and_then(|s| s.uname.clone()))
        {
            builtins.insert("#uname".to_string(), uname);
        }
        let remote = node.is_some_and(|n| n.kind == NodeKind::Remote)
            || state.is_some_and(|s| s.remote_node);
        builtins.insert(
            "#kind".to_string(),
            if remote { "remote" } else { "cluster" }.to_string(),
        );
        let is_dc = self.dc_uuid.as_deref() == Some(node_id);
        builtins.insert("#is_dc".to_string(), is_dc.to_string());
        let base_ctx = RuleContext {
            now,
            ..RuleContext::new(&builtins)
        };
        let cluster_name = cfg.cluster_options(&base_ctx).get("cluster-name").cloned();
        if let Some(name) = &cluster_name {
            builtins.insert("#cluster-name".to_string(), name.clone());
        }
        let ctx = RuleContext {
            now,
            ..RuleContext::new(&builtins)
        };
        let mut out = builtins.clone();
        if let Some(s) = state {
            for (k, v) in evaluate_nvsets(&s.transient_attributes, &ctx) {
                out.entry(k).or_insert(v);
            }
        }
        if let Some(n) = node {
            for (k, v) in evaluate_nvsets(&n.attributes, &ctx) {
                out.entry(k).or_insert(v);
            }
        }
        let site = out.get("site-name").cloned().or(cluster_name);
        if let Some(site) = site {
            out.insert("#site-name".to_string(), site);
        }
        out
    }
}

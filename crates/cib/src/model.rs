//! vigil's typed cluster model: Pacemaker's CIB (configuration + status).
//!
//! Field names follow the XML attribute names with `-` turned into `_`
//! (`type` is `kind`). Optional XML attributes are `Option`s, so the model
//! says exactly what the CIB says and the scheduler applies the defaults
//! (Pacemaker Explained gives each default; helper methods here apply the
//! common ones).

use std::collections::BTreeMap;

use crate::rules::{Rule, RuleContext};
use crate::score::Score;

mod constraints;
mod resources;
mod status;

pub use constraints::*;
pub use resources::*;
pub use status::*;

/// A whole Cluster Information Base: the `<cib>` element.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cib {
    /// `admin_epoch`: bumped by administrators only.
    pub admin_epoch: u64,
    /// `epoch`: bumped on every configuration change.
    pub epoch: u64,
    /// `num_updates`: bumped on every status change.
    pub num_updates: u64,
    /// `have-quorum` ("1"/"true").
    pub have_quorum: bool,
    /// `dc-uuid`: node id of the Designated Coordinator.
    pub dc_uuid: Option<String>,
    /// `execution-date`: the "now" the scheduler should use (epoch seconds).
    pub execution_date: Option<i64>,
    /// `validate-with`, e.g. "pacemaker-3.0".
    pub validate_with: String,
    /// `crm_feature_set`.
    pub crm_feature_set: Option<String>,
    /// `no-quorum-panic` ("1"/"true").
    pub no_quorum_panic: bool,
    /// Other `<cib>` attributes kept verbatim (`cib-last-written`,
    /// `update-origin`, `update-client`, `update-user`, `remote-tls-port` ...).
    pub other_attrs: BTreeMap<String, String>,
    /// `<configuration>`.
    pub configuration: Configuration,
    /// `<status>`.
    pub status: Status,
}

/// `<configuration>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Configuration {
    /// `<crm_config>`: the `cluster_property_set`s.
    pub crm_config: Vec<NvSet>,
    /// `<nodes>`.
    pub nodes: Vec<NodeConfig>,
    /// `<resources>` in document order.
    pub resources: Vec<Resource>,
    /// `<constraints>` in document order.
    pub constraints: Vec<Constraint>,
    /// `<rsc_defaults>`: meta-attribute sets.
    pub rsc_defaults: Vec<NvSet>,
    /// `<op_defaults>`: meta-attribute sets.
    pub op_defaults: Vec<NvSet>,
    /// `<fencing-topology>`.
    pub fencing_topology: Vec<FencingLevel>,
    /// `<tags>`.
    pub tags: Vec<Tag>,
    /// `<template>`s (from `<resources>`); primitives that use one already
    /// carry its contents (see [`Primitive::template`]).
    pub templates: Vec<Primitive>,
    /// `<alerts>` kept as raw XML (not interpreted by vigil yet).
    pub alerts: Option<RawXml>,
    /// `<acls>` kept as raw XML (not interpreted by vigil yet).
    pub acls: Option<RawXml>,
}

/// An XML fragment kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawXml(pub String);

/// Which kind of name/value set an [`NvSet`] is (its element name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NvSetKind {
    /// `<meta_attributes>`.
    Meta,
    /// `<instance_attributes>`.
    Instance,
    /// `<utilization>`.
    Utilization,
    /// `<cluster_property_set>`.
    Properties,
}

/// Where an [`NvSet`]'s contents came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum NvSetOrigin {
    /// Written in place.
    #[default]
    Inline,
    /// `id-ref="..."`: a copy of the set with that id (contents resolved).
    IdRef(String),
    /// Inherited from the named `<template>` (not written back out).
    Template(String),
}

/// A rule-guarded set of name/value pairs (`meta_attributes`,
/// `instance_attributes`, `utilization`, `cluster_property_set`).
#[derive(Debug, Clone, PartialEq)]
pub struct NvSet {
    /// `id` (for an id-ref set: the referenced id).
    pub id: String,
    /// Element kind.
    pub kind: NvSetKind,
    /// `score`: sets are applied highest score first.
    pub score: Option<Score>,
    /// The set's `<rule>`, if any: the set applies only when it passes.
    pub rule: Option<Rule>,
    /// The `<nvpair>`s in document order.
    pub pairs: Vec<NvPair>,
    /// Inline, id-ref or template-inherited.
    pub origin: NvSetOrigin,
}

/// `<nvpair id name value>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NvPair {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `value` (empty when absent).
    pub value: String,
    /// Written as `<nvpair id-ref=...>`: `id` is the referenced pair's id and
    /// name/value are resolved from it.
    pub is_ref: bool,
}

impl NvSet {
    /// The value of `name` in this set, ignoring the rule.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value.as_str())
    }
}

/// Merge name/value sets with Pacemaker's precedence: sets whose rule fails
/// are skipped; the remaining sets are taken highest `score` first (document
/// order among equal scores) and the first value seen for a name wins.
pub fn evaluate_nvsets(sets: &[NvSet], ctx: &RuleContext<'_>) -> BTreeMap<String, String> {
    evaluate_nvsets_first(sets, ctx, None)
}

/// As [`evaluate_nvsets`], but the set with id `first` (e.g.
/// "cib-bootstrap-options" for `crm_config`) always takes precedence.
pub fn evaluate_nvsets_first(
    sets: &[NvSet],
    ctx: &RuleContext<'_>,
    first: Option<&str>,
) -> BTreeMap<String, String> {
    let mut order: Vec<&NvSet> = sets.iter().collect();
    // Stable sort: equal scores keep document order.
    order.sort_by(|a, b| {
        let fa = first.is_some_and(|f| f == a.id);
        let fb = first.is_some_and(|f| f == b.id);
        fb.cmp(&fa).then(
            b.score
                .unwrap_or_default()
                .cmp(&a.score.unwrap_or_default()),
        )
    });
    let mut out = BTreeMap::new();
    for set in order {
        if let Some(rule) = &set.rule {
            if !rule.evaluate(ctx) {
                continue;
            }
        }
        for p in &set.pairs {
            out.entry(p.name.clone()).or_insert_with(|| p.value.clone());
        }
    }
    out
}

/// `<node type=...>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NodeKind {
    /// "member" (also the legacy "normal"): a full cluster node.
    #[default]
    Member,
    /// "remote": a Pacemaker Remote node.
    Remote,
    /// "ping": a quorum-only node that runs no resources.
    Ping,
}

/// `<node>` in `<nodes>`.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeConfig {
    /// `id`.
    pub id: String,
    /// `uname`.
    pub uname: String,
    /// `type` (absent: member).
    pub kind: NodeKind,
    /// `score` (legacy).
    pub score: Option<Score>,
    /// `description`.
    pub description: Option<String>,
    /// `<instance_attributes>`: permanent node attributes.
    pub attributes: Vec<NvSet>,
    /// `<utilization>`.
    pub utilization: Vec<NvSet>,
}

/// A resource role (`role`, `rsc-role`, `with-rsc-role` ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// "Stopped".
    Stopped,
    /// "Started".
    Started,
    /// "Unpromoted" (legacy "Slave").
    Unpromoted,
    /// "Promoted" (legacy "Master").
    Promoted,
}

impl Role {
    /// Parse a role name, accepting the legacy spellings.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "Stopped" | "stopped" => Some(Role::Stopped),
            "Started" | "started" => Some(Role::Started),
            "Unpromoted" | "unpromoted" | "Slave" | "slave" => Some(Role::Unpromoted),
            "Promoted" | "promoted" | "Master" | "master" => Some(Role::Promoted),
            _ => None,
        }
    }
    /// The current name ("Promoted", "Unpromoted", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Stopped => "Stopped",
            Role::Started => "Started",
            Role::Unpromoted => "Unpromoted",
            Role::Promoted => "Promoted",
        }
    }
    /// The pre-3.7-schema name ("Master", "Slave", ...).
    pub fn legacy_str(self) -> &'static str {
        match self {
            Role::Unpromoted => "Slave",
            Role::Promoted => "Master",
            r => r.as_str(),
        }
    }
}

/// Target of a fencing level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FencingTarget {
    /// `target`: a node name.
    Node(String),
    /// `target-pattern`: a regular expression over node names.
    Pattern(String),
    /// `target-attribute` + `target-value`: nodes with that attribute value.
    Attribute {
        /// `target-attribute`.
        name: String,
        /// `target-value`.
        value: String,
    },
}

/// `<fencing-level>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FencingLevel {
    /// `id`.
    pub id: String,
    /// `index` (1..=9, lower tried first).
    pub index: u32,
    /// Which node(s) the level applies to.
    pub target: FencingTarget,
    /// `devices` split at commas.
    pub devices: Vec<String>,
}

/// `<tag>` in `<tags>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// `id`.
    pub id: String,
    /// `<obj_ref id=...>`s.
    pub refs: Vec<String>,
}

impl Configuration {
    /// The top-level or nested resource with this id.
    pub fn find_resource(&self, id: &str) -> Option<ResourceRef<'_>> {
        fn in_res<'a>(r: &'a Resource, id: &str) -> Option<ResourceRef<'a>> {
            if r.id() == id {
                return Some(ResourceRef::Resource(r));
            }
            match r {
                Resource::Primitive(_) => None,
                Resource::Group(g) => g
                    .children
                    .iter()
                    .find(|p| p.id == id)
                    .map(ResourceRef::Primitive),
                Resource::Clone(c) => in_res(&c.child, id),
                Resource::Bundle(b) => b
                    .primitive
                    .as_ref()
                    .filter(|p| p.id == id)
                    .map(ResourceRef::Primitive),
            }
        }
        self.resources.iter().find_map(|r| in_res(r, id))
    }

    /// The ids a tag stands for (None if there is no such tag).
    pub fn expand_tag(&self, id: &str) -> Option<&[String]> {
        self.tags
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.refs.as_slice())
    }

    /// Cluster options (`crm_config`) evaluated with `ctx`;
    /// "cib-bootstrap-options" takes precedence.
    pub fn cluster_options(&self, ctx: &RuleContext<'_>) -> BTreeMap<String, String> {
        evaluate_nvsets_first(&self.crm_config, ctx, Some("cib-bootstrap-options"))
    }
}

/// A resource found by [`Configuration::find_resource`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResourceRef<'a> {
    /// A resource (top level, or a clone's child).
    Resource(&'a Resource),
    /// A group member or bundle primitive.
    Primitive(&'a Primitive),
}

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

/// A resource in `<resources>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Resource {
    /// `<primitive>`.
    Primitive(Primitive),
    /// `<group>`.
    Group(Group),
    /// `<clone>` or legacy `<master>` (promotable clone).
    Clone(Clone),
    /// `<bundle>`.
    Bundle(Box<Bundle>),
}

impl Resource {
    /// The resource's id.
    pub fn id(&self) -> &str {
        match self {
            Resource::Primitive(p) => &p.id,
            Resource::Group(g) => &g.id,
            Resource::Clone(c) => &c.id,
            Resource::Bundle(b) => &b.id,
        }
    }
    /// The resource's own meta-attribute sets.
    pub fn meta(&self) -> &[NvSet] {
        match self {
            Resource::Primitive(p) => &p.meta,
            Resource::Group(g) => &g.meta,
            Resource::Clone(c) => &c.meta,
            Resource::Bundle(b) => &b.meta,
        }
    }
    /// This resource and all resources inside it, depth first, parents first.
    pub fn walk(&self) -> Vec<&Resource> {
        let mut out = Vec::new();
        fn go<'a>(r: &'a Resource, out: &mut Vec<&'a Resource>) {
            out.push(r);
            if let Resource::Clone(c) = r {
                go(&c.child, out);
            }
        }
        go(self, &mut out);
        out
    }
    /// All ids defined by this resource (itself, group members, clone child,
    /// bundle primitive).
    pub fn all_ids(&self) -> Vec<&str> {
        let mut out = vec![self.id()];
        match self {
            Resource::Primitive(_) => {}
            Resource::Group(g) => out.extend(g.children.iter().map(|p| p.id.as_str())),
            Resource::Clone(c) => out.extend(c.child.all_ids()),
            Resource::Bundle(b) => out.extend(b.primitive.iter().map(|p| p.id.as_str())),
        }
        out
    }
    /// All primitives in this resource, in document order.
    pub fn primitives(&self) -> Vec<&Primitive> {
        match self {
            Resource::Primitive(p) => vec![p],
            Resource::Group(g) => g.children.iter().collect(),
            Resource::Clone(c) => c.child.primitives(),
            Resource::Bundle(b) => b.primitive.iter().collect(),
        }
    }
}

/// `<primitive>` (also used for `<template>`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Primitive {
    /// `id`.
    pub id: String,
    /// `class`: "ocf", "lsb", "systemd", "stonith", "service" ...
    /// (filled from the template when the primitive uses one).
    pub class: String,
    /// `provider` (OCF only).
    pub provider: Option<String>,
    /// `type`: the agent name.
    pub kind: String,
    /// `template`: the `<template>` id this primitive was built from; its
    /// class/provider/type, sets and ops are already merged in.
    pub template: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `<meta_attributes>`.
    pub meta: Vec<NvSet>,
    /// `<instance_attributes>`: agent parameters.
    pub instance: Vec<NvSet>,
    /// `<utilization>`.
    pub utilization: Vec<NvSet>,
    /// `<operations>`.
    pub ops: Vec<Op>,
    /// `<operations id=...>`, if written.
    pub ops_id: Option<String>,
    /// `<operations id-ref=...>`: `ops` were resolved from that block.
    pub ops_ref: Option<String>,
}

/// `on-fail` of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnFail {
    /// "ignore".
    Ignore,
    /// "block".
    Block,
    /// "demote".
    Demote,
    /// "stop".
    Stop,
    /// "restart".
    Restart,
    /// "restart-container".
    RestartContainer,
    /// "standby".
    Standby,
    /// "fence".
    Fence,
}

impl OnFail {
    /// Parse an `on-fail` value.
    pub fn parse(s: &str) -> Option<OnFail> {
        Some(match s {
            "ignore" => OnFail::Ignore,
            "block" => OnFail::Block,
            "demote" => OnFail::Demote,
            "stop" => OnFail::Stop,
            "restart" => OnFail::Restart,
            "restart-container" => OnFail::RestartContainer,
            "standby" => OnFail::Standby,
            "fence" => OnFail::Fence,
            _ => return None,
        })
    }
    /// The XML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            OnFail::Ignore => "ignore",
            OnFail::Block => "block",
            OnFail::Demote => "demote",
            OnFail::Stop => "stop",
            OnFail::Restart => "restart",
            OnFail::RestartContainer => "restart-container",
            OnFail::Standby => "standby",
            OnFail::Fence => "fence",
        }
    }
}

/// `<op>` in `<operations>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Op {
    /// `id`.
    pub id: String,
    /// `name`: "monitor", "start", "stop", "promote", "notify" ...
    pub name: String,
    /// `interval` in milliseconds (0 for non-recurring).
    pub interval_ms: u64,
    /// `role`.
    pub role: Option<Role>,
    /// `timeout` in milliseconds.
    pub timeout_ms: Option<u64>,
    /// `on-fail`.
    pub on_fail: Option<OnFail>,
    /// `enabled` (absent: true).
    pub enabled: Option<bool>,
    /// `start-delay` in milliseconds.
    pub start_delay_ms: Option<u64>,
    /// `interval-origin` (ISO 8601 text).
    pub interval_origin: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Other attributes (`record-pending`, `requires` ...) verbatim.
    pub other_attrs: BTreeMap<String, String>,
    /// `<meta_attributes>` of the op.
    pub meta: Vec<NvSet>,
    /// `<instance_attributes>` of the op (e.g. OCF_CHECK_LEVEL).
    pub instance: Vec<NvSet>,
    /// A legacy `<rule>` directly inside the op.
    pub rule: Option<Rule>,
    /// Inherited from the primitive's template (not written back out).
    pub from_template: bool,
}

/// `<group>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    /// `id`.
    pub id: String,
    /// `description`.
    pub description: Option<String>,
    /// `<meta_attributes>`.
    pub meta: Vec<NvSet>,
    /// `<instance_attributes>` (inherited by members).
    pub instance: Vec<NvSet>,
    /// Member primitives in start order.
    pub children: Vec<Primitive>,
}

/// `<clone>` (or legacy `<master>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Clone {
    /// `id`.
    pub id: String,
    /// `description`.
    pub description: Option<String>,
    /// `<meta_attributes>` (clone-max, promotable, interleave ...).
    pub meta: Vec<NvSet>,
    /// `<instance_attributes>` (inherited by the child).
    pub instance: Vec<NvSet>,
    /// Written as the legacy `<master>` element (promotable by definition).
    pub is_promotable_tag: bool,
    /// The cloned primitive or group.
    pub child: Box<Resource>,
}

impl Clone {
    /// Whether the clone is promotable: the legacy `<master>` element or an
    /// unconditional `promotable=true` meta-attribute.
    pub fn is_promotable(&self) -> bool {
        self.is_promotable_tag
            || evaluate_nvsets(&self.meta, &RuleContext::default())
                .get("promotable")
                .is_some_and(|v| crate::parse_bool(v) == Some(true))
    }
}

/// Container technology of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerKind {
    /// `<docker>`.
    Docker,
    /// `<podman>`.
    Podman,
    /// `<rkt>`.
    Rkt,
}

impl ContainerKind {
    /// The element name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerKind::Docker => "docker",
            ContainerKind::Podman => "podman",
            ContainerKind::Rkt => "rkt",
        }
    }
}

/// `<docker>`, `<podman>` or `<rkt>` inside a bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleContainer {
    /// Which element.
    pub kind: ContainerKind,
    /// Its attributes verbatim (`image`, `replicas`, `replicas-per-host`,
    /// `promoted-max` / legacy `masters`, `network`, `options`,
    /// `run-command`).
    pub attrs: BTreeMap<String, String>,
}

impl BundleContainer {
    /// `replicas` (default: `promoted-max` or 1).
    pub fn replicas(&self) -> u32 {
        self.attrs
            .get("replicas")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| self.promoted_max().max(1))
    }
    /// `replicas-per-host` (default 1).
    pub fn replicas_per_host(&self) -> u32 {
        self.attrs
            .get("replicas-per-host")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    }
    /// `promoted-max` or legacy `masters` (default 0).
    pub fn promoted_max(&self) -> u32 {
        self.attrs
            .get("promoted-max")
            .or_else(|| self.attrs.get("masters"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
    /// `image`.
    pub fn image(&self) -> Option<&str> {
        self.attrs.get("image").map(String::as_str)
    }
}

/// `<port-mapping>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMapping {
    /// `id`.
    pub id: String,
    /// `port`.
    pub port: Option<String>,
    /// `internal-port`.
    pub internal_port: Option<String>,
    /// `range` ("first-last").
    pub range: Option<String>,
}

/// `<network>` inside a bundle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BundleNetwork {
    /// `ip-range-start`.
    pub ip_range_start: Option<String>,
    /// `control-port`.
    pub control_port: Option<String>,
    /// `host-interface`.
    pub host_interface: Option<String>,
    /// `host-netmask`.
    pub host_netmask: Option<String>,
    /// `add-host`.
    pub add_host: Option<bool>,
    /// `<port-mapping>`s.
    pub port_mappings: Vec<PortMapping>,
}

/// `<storage-mapping>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageMapping {
    /// `id`.
    pub id: String,
    /// `source-dir`.
    pub source_dir: Option<String>,
    /// `source-dir-root`.
    pub source_dir_root: Option<String>,
    /// `target-dir`.
    pub target_dir: Option<String>,
    /// `options`.
    pub options: Option<String>,
}

/// `<bundle>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// `id`.
    pub id: String,
    /// `description`.
    pub description: Option<String>,
    /// `<meta_attributes>`.
    pub meta: Vec<NvSet>,
    /// The container element.
    pub container: Option<BundleContainer>,
    /// `<network>`.
    pub network: Option<BundleNetwork>,
    /// `<storage>` mappings.
    pub storage: Vec<StorageMapping>,
    /// The primitive run inside each replica.
    pub primitive: Option<Primitive>,
}

/// A constraint in `<constraints>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `<rsc_location>`.
    Location(Location),
    /// `<rsc_colocation>`.
    Colocation(Colocation),
    /// `<rsc_order>`.
    Order(Order),
    /// `<rsc_ticket>`.
    Ticket(Ticket),
}

impl Constraint {
    /// The constraint's id.
    pub fn id(&self) -> &str {
        match self {
            Constraint::Location(c) => &c.id,
            Constraint::Colocation(c) => &c.id,
            Constraint::Order(c) => &c.id,
            Constraint::Ticket(c) => &c.id,
        }
    }
}

/// `resource-discovery` of a location constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceDiscovery {
    /// "always" (default).
    Always,
    /// "never".
    Never,
    /// "exclusive".
    Exclusive,
}

/// `<rsc_location>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// `id`.
    pub id: String,
    /// `rsc`.
    pub rsc: Option<String>,
    /// `rsc-pattern` (a regular expression over resource ids).
    pub rsc_pattern: Option<String>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
    /// `node`.
    pub node: Option<String>,
    /// `score`.
    pub score: Option<Score>,
    /// `role`.
    pub role: Option<Role>,
    /// `<rule>`s (each with its own score).
    pub rules: Vec<Rule>,
    /// `resource-discovery`.
    pub resource_discovery: Option<ResourceDiscovery>,
}

/// `<rsc_colocation>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Colocation {
    /// `id`.
    pub id: String,
    /// `rsc`: the dependent resource.
    pub rsc: Option<String>,
    /// `with-rsc`: the primary resource.
    pub with_rsc: Option<String>,
    /// `rsc-role`.
    pub rsc_role: Option<Role>,
    /// `with-rsc-role`.
    pub with_rsc_role: Option<Role>,
    /// `score`.
    pub score: Option<Score>,
    /// `node-attribute` (default "#uname").
    pub node_attribute: Option<String>,
    /// `influence`.
    pub influence: Option<bool>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
}

/// An action named by an order constraint or resource set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RscAction {
    /// "start".
    Start,
    /// "stop".
    Stop,
    /// "promote".
    Promote,
    /// "demote".
    Demote,
}

impl RscAction {
    /// Parse an action name.
    pub fn parse(s: &str) -> Option<RscAction> {
        Some(match s {
            "start" => RscAction::Start,
            "stop" => RscAction::Stop,
            "promote" => RscAction::Promote,
            "demote" => RscAction::Demote,
            _ => return None,
        })
    }
    /// The XML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RscAction::Start => "start",
            RscAction::Stop => "stop",
            RscAction::Promote => "promote",
            RscAction::Demote => "demote",
        }
    }
}

/// `kind` of an order constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderKind {
    /// "Mandatory".
    Mandatory,
    /// "Optional".
    Optional,
    /// "Serialize".
    Serialize,
}

/// `<rsc_order>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// `id`.
    pub id: String,
    /// `first`.
    pub first: Option<String>,
    /// `then`.
    pub then: Option<String>,
    /// `first-action` (default start).
    pub first_action: Option<RscAction>,
    /// `then-action` (default: first-action).
    pub then_action: Option<RscAction>,
    /// `kind` (an unknown kind is read as Mandatory with a warning).
    pub kind: Option<OrderKind>,
    /// `score` (legacy: 0 means Optional, otherwise Mandatory).
    pub score: Option<Score>,
    /// `symmetrical`.
    pub symmetrical: Option<bool>,
    /// `require-all`.
    pub require_all: Option<bool>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
}

/// `loss-policy` of a ticket constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LossPolicy {
    /// "stop" (default).
    Stop,
    /// "demote".
    Demote,
    /// "fence".
    Fence,
    /// "freeze".
    Freeze,
}

/// `<rsc_ticket>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    /// `id`.
    pub id: String,
    /// `rsc`.
    pub rsc: Option<String>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
    /// `rsc-role`.
    pub rsc_role: Option<Role>,
    /// `ticket`.
    pub ticket: String,
    /// `loss-policy`.
    pub loss_policy: Option<LossPolicy>,
}

/// `<resource_set>` inside a constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSet {
    /// `id` (for an id-ref set: the referenced id).
    pub id: String,
    /// Written as `id-ref` (contents resolved from the referenced set).
    pub is_ref: bool,
    /// `sequential`.
    pub sequential: Option<bool>,
    /// `require-all`.
    pub require_all: Option<bool>,
    /// `ordering` ("group"/"listed", deprecated).
    pub ordering: Option<String>,
    /// `action`.
    pub action: Option<RscAction>,
    /// `role`.
    pub role: Option<Role>,
    /// `score`.
    pub score: Option<Score>,
    /// `kind` (order sets).
    pub kind: Option<OrderKind>,
    /// `<resource_ref id=...>`s in order.
    pub resources: Vec<String>,
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

/// `<status>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    /// `<node_state>`s.
    pub node_states: Vec<NodeState>,
    /// `<tickets><ticket_state>`s.
    pub tickets: Vec<TicketState>,
}

/// `<node_state>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeState {
    /// `id`.
    pub id: String,
    /// `uname`.
    pub uname: Option<String>,
    /// `in_ccm`: "true"/"false" or, since feature set 3.18, a timestamp
    /// ("0" = not a member). See [`NodeState::is_in_ccm`].
    pub in_ccm: Option<String>,
    /// `crmd`: "online"/"offline" or a timestamp ("0" = offline).
    /// See [`NodeState::is_crmd_online`].
    pub crmd: Option<String>,
    /// `join`: "member", "down", "pending", "banned".
    pub join: Option<String>,
    /// `expected`: "member" or "down".
    pub expected: Option<String>,
    /// `crm-debug-origin`.
    pub crm_debug_origin: Option<String>,
    /// `shutdown`: timestamp of a requested shutdown ("0" = none).
    pub shutdown: Option<String>,
    /// `remote_node="true"`: the state of a Pacemaker Remote node.
    pub remote_node: bool,
    /// Other attributes verbatim (`ha`, `node_fenced`, `clear_shutdown` ...).
    pub other_attrs: BTreeMap<String, String>,
    /// `<transient_attributes>`' sets.
    pub transient_attributes: Vec<NvSet>,
    /// `<transient_attributes id=...>`.
    pub transient_id: Option<String>,
    /// `<lrm id=...>` (None if no `<lrm>` element).
    pub lrm_id: Option<String>,
    /// `<lrm><lrm_resources>` entries.
    pub lrm: Vec<LrmResource>,
}

fn truthy_or_stamp(v: Option<&str>, yes: &str) -> bool {
    match v {
        None => false,
        Some(s) if s == yes => true,
        Some(s) => match crate::parse_bool(s) {
            Some(b) => b,
            None => s.parse::<i64>().is_ok_and(|t| t > 0),
        },
    }
}

impl NodeState {
    /// Whether the node is in the cluster membership.
    pub fn is_in_ccm(&self) -> bool {
        truthy_or_stamp(self.in_ccm.as_deref(), "true")
    }
    /// Whether the node's controller is up.
    pub fn is_crmd_online(&self) -> bool {
        truthy_or_stamp(self.crmd.as_deref(), "online")
    }
    /// Whether a shutdown is requested (non-zero `shutdown`).
    pub fn is_shutting_down(&self) -> bool {
        self.shutdown
            .as_deref()
            .is_some_and(|s| s != "0" && !s.is_empty())
    }
}

/// `<lrm_resource>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LrmResource {
    /// `id`.
    pub id: String,
    /// `class`.
    pub class: String,
    /// `provider`.
    pub provider: Option<String>,
    /// `type`.
    pub kind: String,
    /// `container`.
    pub container: Option<String>,
    /// `shutdown-lock` (epoch seconds).
    pub shutdown_lock: Option<i64>,
    /// `<lrm_rsc_op>`s in document order.
    pub ops: Vec<LrmOp>,
}

/// `<lrm_rsc_op>`: the recorded result of one operation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LrmOp {
    /// `id` (e.g. "rsc_last_0", "rsc_monitor_10000").
    pub id: String,
    /// `operation_key`.
    pub operation_key: Option<String>,
    /// `operation`.
    pub operation: String,
    /// `call-id`.
    pub call_id: i64,
    /// `rc-code` (OCF exit code).
    pub rc_code: i32,
    /// `op-status` (execution status).
    pub op_status: i32,
    /// `interval` in milliseconds.
    pub interval_ms: u64,
    /// `transition-key`.
    pub transition_key: Option<String>,
    /// `transition-magic`.
    pub transition_magic: Option<String>,
    /// `last-run` (epoch seconds).
    pub last_run: Option<i64>,
    /// `last-rc-change` (epoch seconds).
    pub last_rc_change: Option<i64>,
    /// `exec-time` (ms).
    pub exec_time: Option<u64>,
    /// `queue-time` (ms).
    pub queue_time: Option<u64>,
    /// `op-digest`.
    pub op_digest: Option<String>,
    /// `op-restart-digest`.
    pub op_restart_digest: Option<String>,
    /// `op-force-restart`.
    pub op_force_restart: Option<String>,
    /// `op-secure-params`.
    pub op_secure_params: Option<String>,
    /// `op-secure-digest`.
    pub op_secure_digest: Option<String>,
    /// `on_node`.
    pub on_node: Option<String>,
    /// `migrate_source`.
    pub migrate_source: Option<String>,
    /// `migrate_target`.
    pub migrate_target: Option<String>,
    /// `exit-reason`.
    pub exit_reason: Option<String>,
    /// `crm_feature_set`.
    pub crm_feature_set: Option<String>,
    /// `crm-debug-origin`.
    pub crm_debug_origin: Option<String>,
    /// Other attributes verbatim.
    pub other_attrs: BTreeMap<String, String>,
}

/// `<ticket_state>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TicketState {
    /// `id`: the ticket name.
    pub id: String,
    /// `granted`.
    pub granted: bool,
    /// `standby`.
    pub standby: bool,
    /// `last-granted` (epoch seconds).
    pub last_granted: Option<i64>,
    /// Other attributes verbatim.
    pub other_attrs: BTreeMap<String, String>,
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

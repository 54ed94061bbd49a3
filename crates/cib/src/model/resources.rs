//! Resources: primitives (and templates), groups, clones and bundles
//! (Pacemaker Explained, "Resources", "Collective Resources").

use std::collections::BTreeMap;

use super::{evaluate_nvsets, NvSet, Role};
use crate::rules::{Rule, RuleContext};

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

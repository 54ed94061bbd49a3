//! Reading `<resources>`: primitives (with templates merged in), groups,
//! clones and bundles (Pacemaker Explained, "Resources", "Collective
//! Resources", "Reusing Parts of the Configuration").

use std::collections::{HashMap, HashSet};

use super::Reader;
use crate::dom::Node;
use crate::error::CibError;
use crate::model::*;

impl<'d> Reader<'d> {
    pub(crate) fn resource(
        &mut self,
        n: &'d Node,
        parent: &Node,
        templates: &HashMap<String, Primitive>,
    ) -> Result<Option<Resource>, CibError> {
        Ok(Some(match n.name.as_str() {
            "primitive" => Resource::Primitive(self.primitive(n, templates)?),
            "group" => Resource::Group(self.group(n, templates)?),
            "clone" | "master" => Resource::Clone(self.clone_rsc(n, templates)?),
            "bundle" => Resource::Bundle(Box::new(self.bundle(n, templates)?)),
            _ => {
                self.unknown(n, parent);
                return Ok(None);
            }
        }))
    }

    pub(crate) fn primitive(
        &mut self,
        n: &'d Node,
        templates: &HashMap<String, Primitive>,
    ) -> Result<Primitive, CibError> {
        let id = self.req(n, "id")?;
        let template = match n.attr("template") {
            None => None,
            Some(t) => Some(
                templates
                    .get(t)
                    .ok_or_else(|| CibError::DanglingReference {
                        pos: self.pos(n),
                        element: n.name.clone(),
                        id: id.clone(),
                        attribute: "template".into(),
                        target: t.to_string(),
                        expected: "<template>",
                    })?,
            ),
        };
        let class = match (n.attr("class"), template) {
            (Some(c), _) => c.to_string(),
            (None, Some(t)) => t.class.clone(),
            (None, None) => self.req(n, "class")?,
        };
        let kind = match (n.attr("type"), template) {
            (Some(c), _) => c.to_string(),
            (None, Some(t)) => t.kind.clone(),
            (None, None) => self.req(n, "type")?,
        };
        let mut p = Primitive {
            id,
            class,
            provider: Self::opt(n, "provider")
                .or_else(|| template.and_then(|t| t.provider.clone())),
            kind,
            template: template.map(|t| t.id.clone()),
            description: Self::opt(n, "description"),
            ..Primitive::default()
        };
        for c in &n.children {
            match c.name.as_str() {
                "meta_attributes" => p.meta.push(self.nvset(c)?),
                "instance_attributes" => p.instance.push(self.nvset(c)?),
                "utilization" => p.utilization.push(self.nvset(c)?),
                "operations" => {
                    let (src, r) = self.resolve(c)?;
                    if r.is_none() {
                        p.ops_id = Self::opt(c, "id");
                    }
                    p.ops_ref = r;
                    for o in &src.children {
                        if o.name == "op" {
                            p.ops.push(self.op(o)?);
                        } else {
                            self.unknown(o, src);
                        }
                    }
                }
                _ => self.unknown(c, n),
            }
        }
        if let Some(t) = template {
            // Pacemaker Explained, "Resource Templates": values in the
            // primitive take precedence, so the template's sets come after
            // (first value wins) and its ops only fill gaps.
            let inherit = |sets: &[NvSet]| {
                sets.iter()
                    .map(|s| NvSet {
                        origin: NvSetOrigin::Template(t.id.clone()),
                        ..s.clone()
                    })
                    .collect::<Vec<_>>()
            };
            p.meta.extend(inherit(&t.meta));
            p.instance.extend(inherit(&t.instance));
            p.utilization.extend(inherit(&t.utilization));
            let own: HashSet<(String, u64)> = p
                .ops
                .iter()
                .map(|o| (o.name.clone(), o.interval_ms))
                .collect();
            for o in &t.ops {
                if !own.contains(&(o.name.clone(), o.interval_ms)) {
                    p.ops.push(Op {
                        from_template: true,
                        ..o.clone()
                    });
                }
            }
        }
        Ok(p)
    }

    fn op(&mut self, n: &'d Node) -> Result<Op, CibError> {
        const KNOWN: &[&str] = &[
            "id",
            "name",
            "interval",
            "role",
            "timeout",
            "on-fail",
            "enabled",
            "start-delay",
            "interval-origin",
            "description",
        ];
        let on_fail = match n.attr("on-fail") {
            None => None,
            Some(v) => Some(OnFail::parse(v).ok_or_else(|| {
                self.invalid(n, "on-fail", v, "expected ignore, block, demote, stop, restart, restart-container, standby or fence")
            })?),
        };
        let mut op = Op {
            id: self.req(n, "id")?,
            name: self.req(n, "name")?,
            interval_ms: self.interval(n, "interval")?.unwrap_or(0),
            role: self.role(n, "role")?,
            timeout_ms: self.lenient_interval(n, "timeout"),
            on_fail,
            enabled: self.boolean(n, "enabled"),
            start_delay_ms: self.lenient_interval(n, "start-delay"),
            interval_origin: Self::opt(n, "interval-origin"),
            description: Self::opt(n, "description"),
            ..Op::default()
        };
        for (k, v) in &n.attrs {
            if !KNOWN.contains(&k.as_str()) {
                op.other_attrs.insert(k.clone(), v.clone());
            }
        }
        for c in &n.children {
            match c.name.as_str() {
                "meta_attributes" => op.meta.push(self.nvset(c)?),
                "instance_attributes" => op.instance.push(self.nvset(c)?),
                "rule" if op.rule.is_none() => op.rule = Some(self.rule(c)?),
                _ => self.unknown(c, n),
            }
        }
        Ok(op)
    }

    fn group(
        &mut self,
        n: &'d Node,
        templates: &HashMap<String, Primitive>,
    ) -> Result<Group, CibError> {
        let mut g = Group {
            id: self.req(n, "id")?,
            description: Self::opt(n, "description"),
            ..Group::default()
        };
        for c in &n.children {
            match c.name.as_str() {
                "primitive" => g.children.push(self.primitive(c, templates)?),
                "meta_attributes" => g.meta.push(self.nvset(c)?),
                "instance_attributes" => g.instance.push(self.nvset(c)?),
                _ => self.unknown(c, n),
            }
        }
        Ok(g)
    }

    fn clone_rsc(
        &mut self,
        n: &'d Node,
        templates: &HashMap<String, Primitive>,
    ) -> Result<Clone, CibError> {
        let id = self.req(n, "id")?;
        let mut child = None;
        let (mut meta, mut instance) = (Vec::new(), Vec::new());
        for c in &n.children {
            match c.name.as_str() {
                "primitive" | "group" if child.is_none() => {
                    child = self.resource(c, n, templates)?
                }
                "meta_attributes" => meta.push(self.nvset(c)?),
                "instance_attributes" => instance.push(self.nvset(c)?),
                _ => self.unknown(c, n),
            }
        }
        let child = child.ok_or_else(|| CibError::MissingElement {
            pos: self.pos(n),
            element: n.name.clone(),
            id: id.clone(),
            child: "primitive or group".into(),
        })?;
        Ok(Clone {
            id,
            description: Self::opt(n, "description"),
            meta,
            instance,
            is_promotable_tag: n.name == "master",
            child: Box::new(child),
        })
    }

    fn bundle(
        &mut self,
        n: &'d Node,
        templates: &HashMap<String, Primitive>,
    ) -> Result<Bundle, CibError> {
        let mut b = Bundle {
            id: self.req(n, "id")?,
            description: Self::opt(n, "description"),
            meta: Vec::new(),
            container: None,
            network: None,
            storage: Vec::new(),
            primitive: None,
        };
        for c in &n.children {
            match c.name.as_str() {
                "docker" | "podman" | "rkt" if b.container.is_none() => {
                    let kind = match c.name.as_str() {
                        "docker" => ContainerKind::Docker,
                        "podman" => ContainerKind::Podman,
                        _ => ContainerKind::Rkt,
                    };
                    b.container = Some(BundleContainer {
                        kind,
                        attrs: c.attrs.iter().cloned().collect(),
                    });
                }
                "network" => {
                    let mut net = BundleNetwork {
                        ip_range_start: Self::opt(c, "ip-range-start"),
                        control_port: Self::opt(c, "control-port"),
                        host_interface: Self::opt(c, "host-interface"),
                        host_netmask: Self::opt(c, "host-netmask"),
                        add_host: self.boolean(c, "add-host"),
                        port_mappings: Vec::new(),
                    };
                    for m in &c.children {
                        if m.name != "port-mapping" {
                            self.unknown(m, c);
                            continue;
                        }
                        net.port_mappings.push(PortMapping {
                            id: self.req(m, "id")?,
                            port: Self::opt(m, "port"),
                            internal_port: Self::opt(m, "internal-port"),
                            range: Self::opt(m, "range"),
                        });
                    }
                    b.network = Some(net);
                }
                "storage" => {
                    for m in &c.children {
                        if m.name != "storage-mapping" {
                            self.unknown(m, c);
                            continue;
                        }
                        b.storage.push(StorageMapping {
                            id: self.req(m, "id")?,
                            source_dir: Self::opt(m, "source-dir"),
                            source_dir_root: Self::opt(m, "source-dir-root"),
                            target_dir: Self::opt(m, "target-dir"),
                            options: Self::opt(m, "options"),
                        });
                    }
                }
                "primitive" if b.primitive.is_none() => {
                    b.primitive = Some(self.primitive(c, templates)?)
                }
                "meta_attributes" => b.meta.push(self.nvset(c)?),
                _ => self.unknown(c, n),
            }
        }
        Ok(b)
    }
}

//! [`Cib`] to CIB XML. The output parses back (with [`crate::parse_cib`])
//! to an equal model: id-refs stay id-refs, template contents are not
//! repeated, and roles use the spelling of the CIB's schema version.

use std::collections::BTreeMap;
use std::fmt::{Display, Write};

use crate::model::*;
use crate::rules::{BoolOp, DateOp, DateSpec, Expression, Rule, SpecRange, ValueSource};
use crate::time::{format_datetime, format_interval_ms};

/// An element being written.
struct El {
    name: &'static str,
    attrs: Vec<(String, String)>,
    children: Vec<El>,
    raw: Option<String>,
}

impl El {
    fn new(name: &'static str) -> El {
        El {
            name,
            attrs: Vec::new(),
            children: Vec::new(),
            raw: None,
        }
    }
    fn a(mut self, k: &str, v: impl Display) -> El {
        self.attrs.push((k.to_string(), v.to_string()));
        self
    }
    fn ao(self, k: &str, v: Option<impl Display>) -> El {
        match v {
            Some(v) => self.a(k, v),
            None => self,
        }
    }
    fn extra(mut self, m: &BTreeMap<String, String>) -> El {
        self.attrs
            .extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
        self
    }
    fn c(mut self, child: El) -> El {
        self.children.push(child);
        self
    }
    fn cs(mut self, children: impl IntoIterator<Item = El>) -> El {
        self.children.extend(children);
        self
    }

    fn write(&self, out: &mut String, depth: usize) {
        if let Some(raw) = &self.raw {
            let _ = writeln!(out, "{}{}", "  ".repeat(depth), raw);
            return;
        }
        let _ = write!(out, "{}<{}", "  ".repeat(depth), self.name);
        for (k, v) in &self.attrs {
            let _ = write!(out, " {k}=\"{}\"", escape(v));
        }
        if self.children.is_empty() {
            out.push_str("/>\n");
        } else {
            out.push_str(">\n");
            for c in &self.children {
                c.write(out, depth + 1);
            }
            let _ = writeln!(out, "{}</{}>", "  ".repeat(depth), self.name);
        }
    }
}

/// Escape an attribute value, keeping whitespace characters exact.
fn escape(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for ch in v.chars() {
        match ch {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\n' => s.push_str("&#10;"),
            '\r' => s.push_str("&#13;"),
            '\t' => s.push_str("&#9;"),
            c => s.push(c),
        }
    }
    s
}

struct Writer<'c> {
    /// Write "Master"/"Slave" (schemas before pacemaker-3.7).
    legacy_roles: bool,
    templates: &'c [Primitive],
}

/// Write a CIB as XML.
pub fn write_cib(cib: &Cib) -> String {
    let w = Writer {
        legacy_roles: uses_legacy_roles(&cib.validate_with),
        templates: &cib.configuration.templates,
    };
    let root = El::new("cib")
        .a("admin_epoch", cib.admin_epoch)
        .a("epoch", cib.epoch)
        .a("num_updates", cib.num_updates)
        .a("validate-with", &cib.validate_with)
        .ao("crm_feature_set", cib.crm_feature_set.as_ref())
        .a("have-quorum", if cib.have_quorum { "1" } else { "0" })
        .ao("dc-uuid", cib.dc_uuid.as_ref())
        .ao("execution-date", cib.execution_date)
        .ao("no-quorum-panic", cib.no_quorum_panic.then_some("1"))
        .extra(&cib.other_attrs)
        .c(w.configuration(&cib.configuration))
        .c(w.status(&cib.status));
    let mut out = String::new();
    root.write(&mut out, 0);
    out
}

/// Whether `validate-with` names a schema older than pacemaker-3.7, which
/// only knows the legacy role names.
fn uses_legacy_roles(validate_with: &str) -> bool {
    let Some(v) = validate_with.strip_prefix("pacemaker-") else {
        return false;
    };
    let mut it = v.split('.').map(|x| x.parse::<u32>().unwrap_or(0));
    let (major, minor) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
    (major, minor) < (3, 7)
}

fn b(v: bool) -> &'static str {
    if v {
        "true"
    } else {
        "false"
    }
}

fn range(r: &SpecRange) -> String {
    match (r.start, r.end) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (a, b) => format!(
            "{}-{}",
            a.map(|x| x.to_string()).unwrap_or_default(),
            b.map(|x| x.to_string()).unwrap_or_default()
        ),
    }
}

impl Writer<'_> {
    fn role(&self, r: Option<Role>) -> Option<&'static str> {
        r.map(|r| {
            if self.legacy_roles {
                r.legacy_str()
            } else {
                r.as_str()
            }
        })
    }

    fn configuration(&self, c: &Configuration) -> El {
        let mut cfg = El::new("configuration")
            .c(El::new("crm_config").cs(self.sets(&c.crm_config)))
            .c(El::new("nodes").cs(c.nodes.iter().map(|n| self.node(n))))
            .c(El::new("resources")
                .cs(c.templates.iter().map(|t| self.primitive(t, "template")))
                .cs(c.resources.iter().map(|r| self.resource(r))))
            .c(El::new("constraints").cs(c.constraints.iter().map(|k| self.constraint(k))));
        if !c.rsc_defaults.is_empty() {
            cfg = cfg.c(El::new("rsc_defaults").cs(self.sets(&c.rsc_defaults)));
        }
        if !c.op_defaults.is_empty() {
            cfg = cfg.c(El::new("op_defaults").cs(self.sets(&c.op_defaults)));
        }
        if !c.fencing_topology.is_empty() {
            cfg = cfg.c(
                El::new("fencing-topology").cs(c.fencing_topology.iter().map(|l| {
                    let e = El::new("fencing-level").a("id", &l.id).a("index", l.index);
                    let e = match &l.target {
                        FencingTarget::Node(n) => e.a("target", n),
                        FencingTarget::Pattern(p) => e.a("target-pattern", p),
                        FencingTarget::Attribute { name, value } => {
                            e.a("target-attribute", name).a("target-value", value)
                        }
                    };
                    e.a("devices", l.devices.join(","))
                })),
            );
        }
        if !c.tags.is_empty() {
            cfg = cfg.c(El::new("tags").cs(c.tags.iter().map(|t| {
                El::new("tag")
                    .a("id", &t.id)
                    .cs(t.refs.iter().map(|r| El::new("obj_ref").a("id", r)))
            })));
        }
        for raw in [&c.acls, &c.alerts].into_iter().flatten() {
            cfg = cfg.c(El {
                raw: Some(raw.0.clone()),
                ..El::new("raw")
            });
        }
        cfg
    }

    fn sets<'s>(&'s self, sets: &'s [NvSet]) -> impl Iterator<Item = El> + 's {
        sets.iter().filter_map(|s| self.nvset(s))
    }

    fn nvset(&self, s: &NvSet) -> Option<El> {
        let name = match s.kind {
            NvSetKind::Meta => "meta_attributes",
            NvSetKind::Instance => "instance_attributes",
            NvSetKind::Utilization => "utilization",
            NvSetKind::Properties => "cluster_property_set",
        };
        match &s.origin {
            NvSetOrigin::Template(_) => None,
            NvSetOrigin::IdRef(r) => Some(El::new(name).a("id-ref", r)),
            NvSetOrigin::Inline => Some(
                El::new(name)
                    .a("id", &s.id)
                    .ao("score", s.score)
                    .cs(s.rule.iter().map(|r| self.rule(r)))
                    .cs(s.pairs.iter().map(|p| {
                        if p.is_ref {
                            El::new("nvpair").a("id-ref", &p.id)
                        } else {
                            El::new("nvpair")
                                .a("id", &p.id)
                                .a("name", &p.name)
                                .a("value", &p.value)
                        }
                    })),
            ),
        }
    }

    fn rule(&self, r: &Rule) -> El {
        if r.is_ref {
            return El::new("rule").a("id-ref", &r.id);
        }
        El::new("rule")
            .a("id", &r.id)
            .ao("score", r.score)
            .ao("score-attribute", r.score_attribute.as_ref())
            .a(
                "boolean-op",
                if r.boolean_op == BoolOp::Or {
                    "or"
                } else {
                    "and"
                },
            )
            .ao("role", self.role(r.role))
            .cs(r.expressions.iter().map(|e| self.expression(e)))
    }

    fn expression(&self, e: &Expression) -> El {
        match e {
            Expression::Attribute(a) => El::new("expression")
                .a("id", &a.id)
                .a("attribute", &a.attribute)
                .a("operation", a.operation.as_str())
                .ao("value", a.value.as_ref())
                .ao("type", a.value_type.map(|t| t.as_str()))
                .ao(
                    "value-source",
                    a.value_source.map(|v| match v {
                        ValueSource::Literal => "literal",
                        ValueSource::Param => "param",
                        ValueSource::Meta => "meta",
                    }),
                ),
            Expression::Date(d) => {
                let op = match d.operation {
                    DateOp::Gt => "gt",
                    DateOp::Lt => "lt",
                    DateOp::InRange => "in_range",
                    DateOp::DateSpec => "date_spec",
                };
                let mut el = El::new("date_expression")
                    .a("id", &d.id)
                    .a("operation", op)
                    .ao("start", d.start.map(format_datetime))
                    .ao("end", d.end.map(format_datetime));
                if let Some(du) = &d.duration {
                    el = el.c(El::new("duration")
                        .a("id", format!("{}-duration", d.id))
                        .a("years", du.years)
                        .a("months", du.months)
                        .a("weeks", du.weeks)
                        .a("days", du.days)
                        .a("hours", du.hours)
                        .a("minutes", du.minutes)
                        .a("seconds", du.seconds));
                }
                if let Some(s) = &d.date_spec {
                    el = el.c(date_spec(s));
                }
                el
            }
            Expression::Rsc(r) => El::new("rsc_expression")
                .a("id", &r.id)
                .ao("class", r.class.as_ref())
                .ao("provider", r.provider.as_ref())
                .ao("type", r.kind.as_ref()),
            Expression::Op(o) => El::new("op_expression")
                .a("id", &o.id)
                .a("name", &o.name)
                .ao("interval", o.interval_ms.map(format_interval_ms)),
            Expression::Rule(r) => self.rule(r),
        }
    }

    fn node(&self, n: &NodeConfig) -> El {
        let kind = match n.kind {
            NodeKind::Member => "member",
            NodeKind::Remote => "remote",
            NodeKind::Ping => "ping",
        };
        El::new("node")
            .a("id", &n.id)
            .a("uname", &n.uname)
            .a("type", kind)
            .ao("score", n.score)
            .ao("description", n.description.as_ref())
            .cs(self.sets(&n.attributes))
            .cs(self.sets(&n.utilization))
    }

    fn resource(&self, r: &Resource) -> El {
        match r {
            Resource::Primitive(p) => self.primitive(p, "primitive"),
            Resource::Group(g) => El::new("group")
                .a("id", &g.id)
                .ao("description", g.description.as_ref())
                .cs(self.sets(&g.meta))
                .cs(self.sets(&g.instance))
                .cs(g.children.iter().map(|p| self.primitive(p, "primitive"))),
            Resource::Clone(c) => El::new(if c.is_promotable_tag {
                "master"
            } else {
                "clone"
            })
            .a("id", &c.id)
            .ao("description", c.description.as_ref())
            .cs(self.sets(&c.meta))
            .cs(self.sets(&c.instance))
            .c(self.resource(&c.child)),
            Resource::Bundle(bd) => {
                let mut e = El::new("bundle")
                    .a("id", &bd.id)
                    .ao("description", bd.description.as_ref());
                if let Some(ct) = &bd.container {
                    e = e.c(El::new(ct.kind.as_str()).extra(&ct.attrs));
                }
                if let Some(n) = &bd.network {
                    e = e.c(El::new("network")
                        .ao("ip-range-start", n.ip_range_start.as_ref())
                        .ao("control-port", n.control_port.as_ref())
                        .ao("host-interface", n.host_interface.as_ref())
                        .ao("host-netmask", n.host_netmask.as_ref())
                        .ao("add-host", n.add_host.map(b))
                        .cs(n.port_mappings.iter().map(|m| {
                            El::new("port-mapping")
                                .a("id", &m.id)
                                .ao("port", m.port.as_ref())
                                .ao("internal-port", m.internal_port.as_ref())
                                .ao("range", m.range.as_ref())
                        })));
                }
                if !bd.storage.is_empty() {
                    e = e.c(El::new("storage").cs(bd.storage.iter().map(|m| {
                        El::new("storage-mapping")
                            .a("id", &m.id)
                            .ao("source-dir", m.source_dir.as_ref())
                            .ao("source-dir-root", m.source_dir_root.as_ref())
                            .ao("target-dir", m.target_dir.as_ref())
                            .ao("options", m.options.as_ref())
                    })));
                }
                e.cs(bd.primitive.iter().map(|p| self.primitive(p, "primitive")))
                    .cs(self.sets(&bd.meta))
            }
        }
    }

    fn primitive(&self, p: &Primitive, name: &'static str) -> El {
        let tpl = p
            .template
            .as_ref()
            .and_then(|t| self.templates.iter().find(|x| &x.id == t));
        let mut e = El::new(name).a("id", &p.id);
        // With a template, class/provider/type come from it unless they differ.
        if tpl.is_none_or(|t| t.class != p.class) {
            e = e.a("class", &p.class);
        }
        if tpl.is_none_or(|t| t.provider != p.provider) {
            e = e.ao("provider", p.provider.as_ref());
        }
        if tpl.is_none_or(|t| t.kind != p.kind) {
            e = e.a("type", &p.kind);
        }
        e = e
            .ao("template", p.template.as_ref())
            .ao("description", p.description.as_ref())
            .cs(self.sets(&p.meta))
            .cs(self.sets(&p.instance))
            .cs(self.sets(&p.utilization));
        if let Some(r) = &p.ops_ref {
            e = e.c(El::new("operations").a("id-ref", r));
        } else {
            let ops: Vec<El> = p
                .ops
                .iter()
                .filter(|o| !o.from_template)
                .map(|o| self.op(o))
                .collect();
            if !ops.is_empty() || p.ops_id.is_some() {
                e = e.c(El::new("operations").ao("id", p.ops_id.as_ref()).cs(ops));
            }
        }
        e
    }

    fn op(&self, o: &Op) -> El {
        El::new("op")
            .a("id", &o.id)
            .a("name", &o.name)
            .a("interval", format_interval_ms(o.interval_ms))
            .ao("role", self.role(o.role))
            .ao("timeout", o.timeout_ms.map(format_interval_ms))
            .ao("on-fail", o.on_fail.map(|f| f.as_str()))
            .ao("enabled", o.enabled.map(b))
            .ao("start-delay", o.start_delay_ms.map(format_interval_ms))
            .ao("interval-origin", o.interval_origin.as_ref())
            .ao("description", o.description.as_ref())
            .extra(&o.other_attrs)
            .cs(self.sets(&o.meta))
            .cs(self.sets(&o.instance))
            .cs(o.rule.iter().map(|r| self.rule(r)))
    }

    fn resource_set(&self, s: &ResourceSet) -> El {
        if s.is_ref {
            return El::new("resource_set").a("id-ref", &s.id);
        }
        El::new("resource_set")
            .a("id", &s.id)
            .ao("sequential", s.sequential.map(b))
            .ao("require-all", s.require_all.map(b))
            .ao("ordering", s.ordering.as_ref())
            .ao("action", s.action.map(|a| a.as_str()))
            .ao("role", self.role(s.role))
            .ao("score", s.score)
            .ao("kind", s.kind.map(order_kind))
            .cs(s
                .resources
                .iter()
                .map(|r| El::new("resource_ref").a("id", r)))
    }

    fn constraint(&self, c: &Constraint) -> El {
        match c {
            Constraint::Location(l) => El::new("rsc_location")
                .a("id", &l.id)
                .ao("rsc", l.rsc.as_ref())
                .ao("rsc-pattern", l.rsc_pattern.as_ref())
                .ao("node", l.node.as_ref())
                .ao("score", l.score)
                .ao("role", self.role(l.role))
                .ao(
                    "resource-discovery",
                    l.resource_discovery.map(|d| match d {
                        ResourceDiscovery::Always => "always",
                        ResourceDiscovery::Never => "never",
                        ResourceDiscovery::Exclusive => "exclusive",
                    }),
                )
                .cs(l.sets.iter().map(|s| self.resource_set(s)))
                .cs(l.rules.iter().map(|r| self.rule(r))),
            Constraint::Colocation(k) => El::new("rsc_colocation")
                .a("id", &k.id)
                .ao("rsc", k.rsc.as_ref())
                .ao("with-rsc", k.with_rsc.as_ref())
                .ao("rsc-role", self.role(k.rsc_role))
                .ao("with-rsc-role", self.role(k.with_rsc_role))
                .ao("score", k.score)
                .ao("node-attribute", k.node_attribute.as_ref())
                .ao("influence", k.influence.map(b))
                .cs(k.sets.iter().map(|s| self.resource_set(s))),
            Constraint::Order(o) => El::new("rsc_order")
                .a("id", &o.id)
                .ao("first", o.first.as_ref())
                .ao("then", o.then.as_ref())
                .ao("first-action", o.first_action.map(|a| a.as_str()))
                .ao("then-action", o.then_action.map(|a| a.as_str()))
                .ao("kind", o.kind.map(order_kind))
                .ao("score", o.score)
                .ao("symmetrical", o.symmetrical.map(b))
                .ao("require-all", o.require_all.map(b))
                .cs(o.sets.iter().map(|s| self.resource_set(s))),
            Constraint::Ticket(t) => El::new("rsc_ticket")
                .a("id", &t.id)
                .ao("rsc", t.rsc.as_ref())
                .ao("rsc-role", self.role(t.rsc_role))
                .a("ticket", &t.ticket)
                .ao(
                    "loss-policy",
                    t.loss_policy.map(|p| match p {
                        LossPolicy::Stop => "stop",
                        LossPolicy::Demote => "demote",
                        LossPolicy::Fence => "fence",
                        LossPolicy::Freeze => "freeze",
                    }),
                )
                .cs(t.sets.iter().map(|s| self.resource_set(s))),
        }
    }

    fn status(&self, s: &Status) -> El {
        let mut st = El::new("status").cs(s.node_states.iter().map(|n| self.node_state(n)));
        if !s.tickets.is_empty() {
            st = st.c(El::new("tickets").cs(s.tickets.iter().map(|t| {
                El::new("ticket_state")
                    .a("id", &t.id)
                    .a("granted", b(t.granted))
                    .a("standby", b(t.standby))
                    .ao("last-granted", t.last_granted)
                    .extra(&t.other_attrs)
            })));
        }
        st
    }

    fn node_state(&self, n: &NodeState) -> El {
        let mut e = El::new("node_state")
            .a("id", &n.id)
            .ao("uname", n.uname.as_ref())
            .ao("in_ccm", n.in_ccm.as_ref())
            .ao("crmd", n.crmd.as_ref())
            .ao("join", n.join.as_ref())
            .ao("expected", n.expected.as_ref())
            .ao("crm-debug-origin", n.crm_debug_origin.as_ref())
            .ao("shutdown", n.shutdown.as_ref())
            .ao("remote_node", n.remote_node.then_some("true"))
            .extra(&n.other_attrs);
        if n.transient_id.is_some() || !n.transient_attributes.is_empty() {
            e = e.c(El::new("transient_attributes")
                .ao("id", n.transient_id.as_ref())
                .cs(self.sets(&n.transient_attributes)));
        }
        if let Some(id) = &n.lrm_id {
            let lrm = El::new("lrm")
                .ao("id", Some(id).filter(|i| !i.is_empty()))
                .c(El::new("lrm_resources").cs(n.lrm.iter().map(lrm_resource)));
            e = e.c(lrm);
        }
        e
    }
}

fn order_kind(k: OrderKind) -> &'static str {
    match k {
        OrderKind::Mandatory => "Mandatory",
        OrderKind::Optional => "Optional",
        OrderKind::Serialize => "Serialize",
    }
}

fn date_spec(s: &DateSpec) -> El {
    let mut e = El::new("date_spec").a("id", &s.id);
    for (k, v) in [
        ("seconds", &s.seconds),
        ("minutes", &s.minutes),
        ("hours", &s.hours),
        ("monthdays", &s.monthdays),
        ("weekdays", &s.weekdays),
        ("yeardays", &s.yeardays),
        ("months", &s.months),
        ("weeks", &s.weeks),
        ("years", &s.years),
        ("weekyears", &s.weekyears),
        ("moon", &s.moon),
    ] {
        e = e.ao(k, v.as_ref().map(range));
    }
    e
}

fn lrm_resource(r: &LrmResource) -> El {
    El::new("lrm_resource")
        .a("id", &r.id)
        .a("class", &r.class)
        .ao("provider", r.provider.as_ref())
        .a("type", &r.kind)
        .ao("container", r.container.as_ref())
        .ao("shutdown-lock", r.shutdown_lock)
        .cs(r.ops.iter().map(|o| {
            El::new("lrm_rsc_op")
                .a("id", &o.id)
                .ao("operation_key", o.operation_key.as_ref())
                .a("operation", &o.operation)
                .ao("crm-debug-origin", o.crm_debug_origin.as_ref())
                .ao("crm_feature_set", o.crm_feature_set.as_ref())
                .ao("transition-key", o.transition_key.as_ref())
                .ao("transition-magic", o.transition_magic.as_ref())
                .ao("exit-reason", o.exit_reason.as_ref())
                .ao("on_node", o.on_node.as_ref())
                .a("call-id", o.call_id)
                .a("rc-code", o.rc_code)
                .a("op-status", o.op_status)
                .a("interval", o.interval_ms)
                .ao("last-run", o.last_run)
                .ao("last-rc-change", o.last_rc_change)
                .ao("exec-time", o.exec_time)
                .ao("queue-time", o.queue_time)
                .ao("op-digest", o.op_digest.as_ref())
                .ao("op-restart-digest", o.op_restart_digest.as_ref())
                .ao("op-force-restart", o.op_force_restart.as_ref())
                .ao("op-secure-params", o.op_secure_params.as_ref())
                .ao("op-secure-digest", o.op_secure_digest.as_ref())
                .ao("migrate_source", o.migrate_source.as_ref())
                .ao("migrate_target", o.migrate_target.as_ref())
                .extra(&o.other_attrs)
        }))
}

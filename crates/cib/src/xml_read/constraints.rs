//! Reading `<constraints>` and checking that constraints and id-refs name
//! things that exist.

use std::collections::HashSet;

use super::Reader;
use crate::dom::Node;
use crate::error::CibError;
use crate::model::*;

impl<'d> Reader<'d> {
    pub(crate) fn constraint(
        &mut self,
        n: &'d Node,
        parent: &Node,
    ) -> Result<Option<Constraint>, CibError> {
        let mut sets = Vec::new();
        let mut rules = Vec::new();
        for c in &n.children {
            match (c.name.as_str(), n.name.as_str()) {
                ("resource_set", _) => sets.push(self.resource_set(c)?),
                ("rule", "rsc_location") => rules.push(self.rule(c)?),
                _ => self.unknown(c, n),
            }
        }
        let id = self.req(n, "id")?;
        Ok(Some(match n.name.as_str() {
            "rsc_location" => {
                let discovery = match n.attr("resource-discovery") {
                    None => None,
                    Some("always") => Some(ResourceDiscovery::Always),
                    Some("never") => Some(ResourceDiscovery::Never),
                    Some("exclusive") => Some(ResourceDiscovery::Exclusive),
                    Some(v) => {
                        return Err(self.invalid(
                            n,
                            "resource-discovery",
                            v,
                            "expected always, never or exclusive",
                        ))
                    }
                };
                let c = Location {
                    id,
                    rsc: Self::opt(n, "rsc"),
                    rsc_pattern: Self::opt(n, "rsc-pattern"),
                    sets,
                    node: Self::opt(n, "node"),
                    score: self.score(n, "score")?,
                    role: self.role(n, "role")?,
                    rules,
                    resource_discovery: discovery,
                };
                if c.rsc.is_none() && c.rsc_pattern.is_none() && c.sets.is_empty() {
                    return Err(self.req(n, "rsc").unwrap_err());
                }
                Constraint::Location(c)
            }
            "rsc_colocation" => {
                let c = Colocation {
                    id,
                    rsc: Self::opt(n, "rsc"),
                    with_rsc: Self::opt(n, "with-rsc"),
                    rsc_role: self.role(n, "rsc-role")?,
                    with_rsc_role: self.role(n, "with-rsc-role")?,
                    score: self.score(n, "score")?,
                    node_attribute: Self::opt(n, "node-attribute"),
                    influence: self.boolean(n, "influence"),
                    sets,
                };
                if c.sets.is_empty() {
                    self.req(n, "rsc")?;
                    self.req(n, "with-rsc")?;
                }
                Constraint::Colocation(c)
            }
            "rsc_order" => {
                let c = Order {
                    id,
                    first: Self::opt(n, "first"),
                    then: Self::opt(n, "then"),
                    first_action: self.action(n, "first-action")?,
                    then_action: self.action(n, "then-action")?,
                    kind: self.order_kind(n)?,
                    score: self.score(n, "score")?,
                    symmetrical: self.boolean(n, "symmetrical"),
                    require_all: self.boolean(n, "require-all"),
                    sets,
                };
                if c.sets.is_empty() {
                    self.req(n, "first")?;
                    self.req(n, "then")?;
                }
                Constraint::Order(c)
            }
            "rsc_ticket" => {
                let loss_policy = match n.attr("loss-policy") {
                    None => None,
                    Some("stop") => Some(LossPolicy::Stop),
                    Some("demote") => Some(LossPolicy::Demote),
                    Some("fence") => Some(LossPolicy::Fence),
                    Some("freeze") => Some(LossPolicy::Freeze),
                    Some(v) => {
                        return Err(self.invalid(
                            n,
                            "loss-policy",
                            v,
                            "expected stop, demote, fence or freeze",
                        ))
                    }
                };
                let c = Ticket {
                    id,
                    rsc: Self::opt(n, "rsc"),
                    sets,
                    rsc_role: self.role(n, "rsc-role")?,
                    ticket: self.req(n, "ticket")?,
                    loss_policy,
                };
                if c.sets.is_empty() {
                    self.req(n, "rsc")?;
                }
                Constraint::Ticket(c)
            }
            _ => {
                self.unknown(n, parent);
                return Ok(None);
            }
        }))
    }

    fn action(&self, n: &Node, attr: &str) -> Result<Option<RscAction>, CibError> {
        match n.attr(attr) {
            None => Ok(None),
            Some(v) => RscAction::parse(v)
                .map(Some)
                .ok_or_else(|| self.invalid(n, attr, v, "expected start, stop, promote or demote")),
        }
    }

    /// `kind`; an unknown kind is read as Mandatory with a warning, as
    /// Pacemaker does.
    fn order_kind(&mut self, n: &Node) -> Result<Option<OrderKind>, CibError> {
        Ok(match n.attr("kind") {
            None => None,
            Some("Mandatory") | Some("mandatory") => Some(OrderKind::Mandatory),
            Some("Optional") | Some("optional") => Some(OrderKind::Optional),
            Some("Serialize") | Some("serialize") => Some(OrderKind::Serialize),
            Some(v) => {
                let v = v.to_string();
                self.warn(n, format!("unknown order kind \"{v}\"; using Mandatory"));
                Some(OrderKind::Mandatory)
            }
        })
    }

    fn resource_set(&mut self, n: &'d Node) -> Result<ResourceSet, CibError> {
        let (src, id_ref) = self.resolve(n)?;
        let mut set = ResourceSet {
            id: match &id_ref {
                Some(r) => r.clone(),
                None => self.req(n, "id")?,
            },
            is_ref: id_ref.is_some(),
            sequential: self.boolean(src, "sequential"),
            require_all: self.boolean(src, "require-all"),
            ordering: Self::opt(src, "ordering"),
            action: self.action(src, "action")?,
            role: self.role(src, "role")?,
            score: self.score(src, "score")?,
            kind: self.order_kind(src)?,
            resources: Vec::new(),
        };
        for c in &src.children {
            if c.name == "resource_ref" {
                set.resources.push(self.req(c, "id")?);
            } else {
                self.unknown(c, src);
            }
        }
        Ok(set)
    }

    /// Every resource name a constraint uses must be a resource (at any
    /// depth), a template or a tag.
    pub(crate) fn check_references(
        &mut self,
        cfg: &Configuration,
        root: &'d Node,
    ) -> Result<(), CibError> {
        let mut known: HashSet<&str> = HashSet::new();
        for r in &cfg.resources {
            known.extend(r.all_ids());
        }
        known.extend(cfg.templates.iter().map(|t| t.id.as_str()));
        known.extend(cfg.tags.iter().map(|t| t.id.as_str()));
        for c in &cfg.constraints {
            let (element, attrs): (&str, Vec<(&str, Option<&String>)>) = match c {
                Constraint::Location(l) => ("rsc_location", vec![("rsc", l.rsc.as_ref())]),
                Constraint::Colocation(l) => (
                    "rsc_colocation",
                    vec![("rsc", l.rsc.as_ref()), ("with-rsc", l.with_rsc.as_ref())],
                ),
                Constraint::Order(o) => (
                    "rsc_order",
                    vec![("first", o.first.as_ref()), ("then", o.then.as_ref())],
                ),
                Constraint::Ticket(t) => ("rsc_ticket", vec![("rsc", t.rsc.as_ref())]),
            };
            let sets = match c {
                Constraint::Location(l) => &l.sets,
                Constraint::Colocation(l) => &l.sets,
                Constraint::Order(o) => &o.sets,
                Constraint::Ticket(t) => &t.sets,
            };
            let set_refs = sets
                .iter()
                .flat_map(|s| s.resources.iter())
                .map(|r| ("resource_ref", Some(r)));
            for (attr, target) in attrs.into_iter().chain(set_refs) {
                let Some(target) = target else { continue };
                if !known.contains(target.as_str()) {
                    let node = self.index.get(c.id()).copied().unwrap_or(root);
                    return Err(CibError::DanglingReference {
                        pos: self.pos(node),
                        element: element.to_string(),
                        id: c.id().to_string(),
                        attribute: attr.to_string(),
                        target: target.clone(),
                        expected: "resource, template or tag",
                    });
                }
            }
        }
        Ok(())
    }
}

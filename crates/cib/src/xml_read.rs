//! CIB XML to [`Cib`]: the `<cib>` element, `<configuration>` and its
//! resources. Rules, constraints and status live in the submodules.
//!
//! Errors name the element, its id and line:column. Where Pacemaker would
//! only log and carry on (unknown elements, an unknown order `kind`, a
//! boolean it cannot read) the reader records a [`Warning`] instead.

mod constraints;
mod resources;
mod rules;
mod status;

use std::collections::HashMap;

use crate::dom::{self, Node};
use crate::error::{CibError, Pos, Warning};
use crate::model::*;
use crate::score::Score;
use crate::time;

/// Parse CIB XML, dropping warnings.
pub fn parse_cib(xml: &str) -> Result<Cib, CibError> {
    parse_cib_with_warnings(xml).map(|(c, _)| c)
}

/// Parse CIB XML, returning the warnings too.
pub fn parse_cib_with_warnings(xml: &str) -> Result<(Cib, Vec<Warning>), CibError> {
    // quick-xml skips a byte-order mark without counting it; drop it here so
    // byte offsets (raw fragments, line:col) agree with the parser's.
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let root = dom::parse(xml)?;
    let mut r = Reader {
        text: xml,
        index: HashMap::new(),
        warnings: Vec::new(),
    };
    let cib = r.cib(&root)?;
    Ok((cib, r.warnings))
}

/// Elements whose `id` attribute is a reference, not a definition.
const REF_ELEMENTS: &[&str] = &[
    "resource_ref",
    "obj_ref",
    "role_ref",
    "acl_target",
    "acl_group",
    "acl_user",
];

/// How many `id-ref` hops are followed before giving up (a cycle).
const MAX_REF_HOPS: usize = 8;

pub(crate) struct Reader<'d> {
    text: &'d str,
    /// Every element of `<configuration>` by id.
    index: HashMap<&'d str, &'d Node>,
    warnings: Vec<Warning>,
}

impl<'d> Reader<'d> {
    // ---- helpers -------------------------------------------------------

    pub(crate) fn pos(&self, n: &Node) -> Pos {
        Pos::of(self.text, n.start)
    }

    pub(crate) fn warn(&mut self, n: &Node, message: impl Into<String>) {
        let w = Warning {
            pos: self.pos(n),
            element: n.name.clone(),
            id: n.id().to_string(),
            message: message.into(),
        };
        self.warnings.push(w);
    }

    pub(crate) fn unknown(&mut self, n: &Node, parent: &Node) {
        let msg = format!(
            "unknown element <{}> inside <{}> ignored",
            n.name, parent.name
        );
        self.warn(n, msg);
    }

    pub(crate) fn req(&self, n: &Node, attr: &str) -> Result<String, CibError> {
        n.attr(attr)
            .map(str::to_string)
            .ok_or_else(|| CibError::MissingAttribute {
                pos: self.pos(n),
                element: n.name.clone(),
                id: n.id().to_string(),
                attribute: attr.to_string(),
            })
    }

    pub(crate) fn opt(n: &Node, attr: &str) -> Option<String> {
        n.attr(attr).map(str::to_string)
    }

    pub(crate) fn invalid(
        &self,
        n: &Node,
        attr: &str,
        value: &str,
        reason: &'static str,
    ) -> CibError {
        CibError::InvalidValue {
            pos: self.pos(n),
            element: n.name.clone(),
            id: n.id().to_string(),
            attribute: attr.to_string(),
            value: value.to_string(),
            reason,
        }
    }

    pub(crate) fn score(&self, n: &Node, attr: &str) -> Result<Option<Score>, CibError> {
        match n.attr(attr) {
            None => Ok(None),
            Some(v) => Score::parse(v)
                .map(Some)
                .map_err(|_| CibError::InvalidScore {
                    pos: self.pos(n),
                    element: n.name.clone(),
                    id: n.id().to_string(),
                    attribute: attr.to_string(),
                    value: v.to_string(),
                }),
        }
    }

    /// A boolean attribute; an unreadable value is a warning and reads as
    /// absent.
    pub(crate) fn boolean(&mut self, n: &Node, attr: &str) -> Option<bool> {
        let v = n.attr(attr)?;
        let b = crate::parse_bool(v);
        if b.is_none() {
            self.warn(n, format!("{attr}=\"{v}\" is not a boolean; ignored"));
        }
        b
    }

    pub(crate) fn int<T: std::str::FromStr>(
        &self,
        n: &Node,
        attr: &str,
    ) -> Result<Option<T>, CibError> {
        match n.attr(attr) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| self.invalid(n, attr, v, "expected an integer")),
        }
    }

    pub(crate) fn req_int<T: std::str::FromStr>(
        &self,
        n: &Node,
        attr: &str,
    ) -> Result<T, CibError> {
        self.int(n, attr)?
            .ok_or_else(|| CibError::MissingAttribute {
                pos: self.pos(n),
                element: n.name.clone(),
                id: n.id().to_string(),
                attribute: attr.to_string(),
            })
    }

    /// An interval/timeout spec in ms (bare numbers are seconds).
    pub(crate) fn interval(&self, n: &Node, attr: &str) -> Result<Option<u64>, CibError> {
        match n.attr(attr) {
            None => Ok(None),
            Some(v) => time::parse_interval_ms(v).map(Some).ok_or_else(|| {
                self.invalid(n, attr, v, "expected a duration such as 10s, 500ms or PT1M")
            }),
        }
    }

    /// As [`Reader::interval`], but an unreadable value is a warning and
    /// reads as absent (Pacemaker falls back to the default timeout).
    pub(crate) fn lenient_interval(&mut self, n: &Node, attr: &str) -> Option<u64> {
        let v = n.attr(attr)?;
        let ms = time::parse_interval_ms(v);
        if ms.is_none() {
            self.warn(
                n,
                format!("{attr}=\"{v}\" is not a duration; using the default"),
            );
        }
        ms
    }

    pub(crate) fn role(&self, n: &Node, attr: &str) -> Result<Option<Role>, CibError> {
        match n.attr(attr) {
            None => Ok(None),
            Some(v) => Role::parse(v).map(Some).ok_or_else(|| {
                self.invalid(
                    n,
                    attr,
                    v,
                    "expected Stopped, Started, Unpromoted or Promoted",
                )
            }),
        }
    }

    /// Follow `id-ref` (if any) to the referenced element. Returns the
    /// element holding the content and the referenced id.
    pub(crate) fn resolve(&self, n: &'d Node) -> Result<(&'d Node, Option<String>), CibError> {
        let Some(first) = n.attr("id-ref") else {
            return Ok((n, None));
        };
        let mut cur = n;
        for _ in 0..MAX_REF_HOPS {
            let Some(target) = cur.attr("id-ref") else {
                return Ok((cur, Some(first.to_string())));
            };
            cur = self
                .index
                .get(target)
                .copied()
                .ok_or_else(|| CibError::DanglingReference {
                    pos: self.pos(n),
                    element: n.name.clone(),
                    id: n.id().to_string(),
                    attribute: "id-ref".into(),
                    target: target.to_string(),
                    expected: "element of the same kind",
                })?;
            if cur.name != n.name {
                return Err(self.invalid(n, "id-ref", first, "names an element of another kind"));
            }
        }
        Err(self.invalid(n, "id-ref", first, "id-ref chain too long or cyclic"))
    }

    /// Index the configuration's ids, rejecting duplicates.
    fn index_ids(
        &mut self,
        n: &'d Node,
        seen: &mut HashMap<&'d str, &'d Node>,
    ) -> Result<(), CibError> {
        if n.name == "acls" {
            return Ok(());
        }
        // <node> ids are node identifiers, a namespace of their own (a remote
        // node's entry shares its id with its connection resource).
        if !REF_ELEMENTS.contains(&n.name.as_str()) && n.name != "node" {
            if let Some(id) = n.attr("id") {
                if let Some(first) = seen.get(id) {
                    return Err(CibError::DuplicateId {
                        pos: self.pos(n),
                        id: id.to_string(),
                        element: n.name.clone(),
                        first: self.pos(first),
                    });
                }
                seen.insert(id, n);
            }
        }
        for c in &n.children {
            self.index_ids(c, seen)?;
        }
        Ok(())
    }

    // ---- <cib> ---------------------------------------------------------

    fn cib(&mut self, root: &'d Node) -> Result<Cib, CibError> {
        if root.name != "cib" {
            return Err(CibError::NotACib {
                pos: self.pos(root),
                found: root.name.clone(),
            });
        }
        let mut cib = Cib {
            admin_epoch: self.req_int(root, "admin_epoch")?,
            epoch: self.req_int(root, "epoch")?,
            num_updates: self.req_int(root, "num_updates")?,
            have_quorum: self.boolean(root, "have-quorum").unwrap_or(false),
            dc_uuid: Self::opt(root, "dc-uuid"),
            execution_date: match root.attr("execution-date") {
                None => None,
                Some(v) => Some(
                    v.trim()
                        .parse::<i64>()
                        .ok()
                        .or_else(|| time::parse_datetime(v))
                        .ok_or_else(|| {
                            self.invalid(
                                root,
                                "execution-date",
                                v,
                                "expected epoch seconds or an ISO 8601 date",
                            )
                        })?,
                ),
            },
            validate_with: Self::opt(root, "validate-with").unwrap_or_default(),
            crm_feature_set: Self::opt(root, "crm_feature_set"),
            no_quorum_panic: self.boolean(root, "no-quorum-panic").unwrap_or(false),
            ..Cib::default()
        };
        const KNOWN: &[&str] = &[
            "admin_epoch",
            "epoch",
            "num_updates",
            "have-quorum",
            "dc-uuid",
            "execution-date",
            "validate-with",
            "crm_feature_set",
            "no-quorum-panic",
        ];
        for (k, v) in &root.attrs {
            if !KNOWN.contains(&k.as_str()) {
                cib.other_attrs.insert(k.clone(), v.clone());
            }
        }
        let mut have_config = false;
        for c in &root.children {
            match c.name.as_str() {
                "configuration" => {
                    let mut seen = HashMap::new();
                    self.index_ids(c, &mut seen)?;
                    self.index = seen;
                    cib.configuration = self.configuration(c)?;
                    have_config = true;
                }
                "status" => cib.status = self.status(c)?,
                _ => self.unknown(c, root),
            }
        }
        if !have_config {
            return Err(CibError::MissingElement {
                pos: self.pos(root),
                element: "cib".into(),
                id: String::new(),
                child: "configuration".into(),
            });
        }
        self.check_references(&cib.configuration, root)?;
        Ok(cib)
    }

    // ---- <configuration> -----------------------------------------------

    fn configuration(&mut self, n: &'d Node) -> Result<Configuration, CibError> {
        let mut cfg = Configuration::default();
        // Templates first: primitives refer to them wherever they appear.
        let mut templates: HashMap<String, Primitive> = HashMap::new();
        for c in n.children.iter().filter(|c| c.name == "resources") {
            for t in c.children.iter().filter(|t| t.name == "template") {
                let p = self.primitive(t, &HashMap::new())?;
                templates.insert(p.id.clone(), p.clone());
                cfg.templates.push(p);
            }
        }
        for c in &n.children {
            match c.name.as_str() {
                "crm_config" => cfg
                    .crm_config
                    .extend(self.sets_in(c, &["cluster_property_set"])?),
                "nodes" => {
                    for nd in &c.children {
                        if nd.name == "node" {
                            cfg.nodes.push(self.node(nd)?);
                        } else {
                            self.unknown(nd, c);
                        }
                    }
                }
                "resources" => {
                    for r in &c.children {
                        if r.name == "template" {
                            continue;
                        }
                        if let Some(res) = self.resource(r, c, &templates)? {
                            cfg.resources.push(res);
                        }
                    }
                }
                "constraints" => {
                    for k in &c.children {
                        if let Some(con) = self.constraint(k, c)? {
                            cfg.constraints.push(con);
                        }
                    }
                }
                "rsc_defaults" => cfg
                    .rsc_defaults
                    .extend(self.sets_in(c, &["meta_attributes"])?),
                "op_defaults" => cfg
                    .op_defaults
                    .extend(self.sets_in(c, &["meta_attributes"])?),
                "fencing-topology" => {
                    for l in &c.children {
                        if l.name == "fencing-level" {
                            cfg.fencing_topology.push(self.fencing_level(l)?);
                        } else {
                            self.unknown(l, c);
                        }
                    }
                }
                "tags" => {
                    for t in &c.children {
                        if t.name != "tag" {
                            self.unknown(t, c);
                            continue;
                        }
                        let refs = t
                            .children
                            .iter()
                            .filter(|o| o.name == "obj_ref")
                            .map(|o| self.req(o, "id"));
                        cfg.tags.push(Tag {
                            id: self.req(t, "id")?,
                            refs: refs.collect::<Result<_, _>>()?,
                        });
                    }
                }
                "alerts" => cfg.alerts = Some(RawXml(self.text[c.start..c.end].to_string())),
                "acls" => cfg.acls = Some(RawXml(self.text[c.start..c.end].to_string())),
                _ => self.unknown(c, n),
            }
        }
        Ok(cfg)
    }

    /// The name/value sets directly inside `n` whose element is in `kinds`
    /// (others are warned about and skipped).
    fn sets_in(&mut self, n: &'d Node, kinds: &[&str]) -> Result<Vec<NvSet>, CibError> {
        let mut out = Vec::new();
        for c in &n.children {
            if kinds.contains(&c.name.as_str()) {
                out.push(self.nvset(c)?);
            } else {
                self.unknown(c, n);
            }
        }
        Ok(out)
    }

    pub(crate) fn nvset(&mut self, n: &'d Node) -> Result<NvSet, CibError> {
        let kind = match n.name.as_str() {
            "meta_attributes" => NvSetKind::Meta,
            "instance_attributes" => NvSetKind::Instance,
            "utilization" => NvSetKind::Utilization,
            _ => NvSetKind::Properties,
        };
        let (src, id_ref) = self.resolve(n)?;
        let mut set = NvSet {
            id: match &id_ref {
                Some(r) => r.clone(),
                None => self.req(n, "id")?,
            },
            kind,
            score: self.score(src, "score")?,
            rule: None,
            pairs: Vec::new(),
            origin: id_ref.map(NvSetOrigin::IdRef).unwrap_or_default(),
        };
        for c in &src.children {
            match c.name.as_str() {
                "nvpair" => {
                    let (p, pref) = self.resolve(c)?;
                    set.pairs.push(NvPair {
                        id: match &pref {
                            Some(r) => r.clone(),
                            None => self.req(p, "id")?,
                        },
                        name: self.req(p, "name")?,
                        value: Self::opt(p, "value").unwrap_or_default(),
                        is_ref: pref.is_some(),
                    });
                }
                "rule" if set.rule.is_none() => set.rule = Some(self.rule(c)?),
                _ => self.unknown(c, src),
            }
        }
        Ok(set)
    }

    fn node(&mut self, n: &'d Node) -> Result<NodeConfig, CibError> {
        let kind = match n.attr("type") {
            None | Some("member") | Some("normal") => NodeKind::Member,
            Some("remote") => NodeKind::Remote,
            Some("ping") => NodeKind::Ping,
            Some(other) => {
                return Err(self.invalid(n, "type", other, "expected member, remote or ping"))
            }
        };
        let mut node = NodeConfig {
            id: self.req(n, "id")?,
            uname: self.req(n, "uname")?,
            kind,
            score: self.score(n, "score")?,
            description: Self::opt(n, "description"),
            attributes: Vec::new(),
            utilization: Vec::new(),
        };
        for c in &n.children {
            match c.name.as_str() {
                "instance_attributes" => node.attributes.push(self.nvset(c)?),
                "utilization" => node.utilization.push(self.nvset(c)?),
                _ => self.unknown(c, n),
            }
        }
        Ok(node)
    }

    fn fencing_level(&mut self, n: &'d Node) -> Result<FencingLevel, CibError> {
        let target = if let Some(t) = n.attr("target") {
            FencingTarget::Node(t.to_string())
        } else if let Some(p) = n.attr("target-pattern") {
            FencingTarget::Pattern(p.to_string())
        } else if let Some(a) = n.attr("target-attribute") {
            FencingTarget::Attribute {
                name: a.to_string(),
                value: self.req(n, "target-value")?,
            }
        } else {
            return Err(CibError::MissingAttribute {
                pos: self.pos(n),
                element: n.name.clone(),
                id: n.id().to_string(),
                attribute: "target".into(),
            });
        };
        let index: u32 = self.req_int(n, "index")?;
        let devices = self.req(n, "devices")?;
        Ok(FencingLevel {
            id: self.req(n, "id")?,
            index,
            target,
            devices: devices
                .split(',')
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
        })
    }
}

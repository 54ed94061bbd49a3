//! Rules: `<rule>` with attribute, date, resource and operation expressions
//! (Pacemaker Explained, "Rules"), and their evaluation against a
//! [`RuleContext`].

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::model::Role;
use crate::score::Score;
use crate::time::{self, IsoDuration};

/// `boolean-op` of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BoolOp {
    /// "and" (default): all expressions must pass.
    #[default]
    And,
    /// "or": one expression must pass.
    Or,
}

/// `<rule>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rule {
    /// `id` (for an id-ref rule: the referenced id).
    pub id: String,
    /// Written as `id-ref` (contents resolved from the referenced rule).
    pub is_ref: bool,
    /// `score` (location constraints).
    pub score: Option<Score>,
    /// `score-attribute`: take the score from this node attribute.
    pub score_attribute: Option<String>,
    /// `boolean-op`.
    pub boolean_op: BoolOp,
    /// `role` (location constraint rules: applies to this role only).
    pub role: Option<Role>,
    /// The expressions (and nested rules), in order.
    pub expressions: Vec<Expression>,
}

/// One condition inside a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    /// `<expression>`: a node attribute test.
    Attribute(AttrExpr),
    /// `<date_expression>`.
    Date(Box<DateExpr>),
    /// `<rsc_expression>`.
    Rsc(RscExpr),
    /// `<op_expression>`.
    Op(OpExpr),
    /// A nested `<rule>`.
    Rule(Rule),
}

/// `operation` of an attribute expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrOp {
    /// "lt".
    Lt,
    /// "gt".
    Gt,
    /// "lte".
    Lte,
    /// "gte".
    Gte,
    /// "eq".
    Eq,
    /// "ne".
    Ne,
    /// "defined".
    Defined,
    /// "not_defined".
    NotDefined,
}

impl AttrOp {
    /// Parse the XML spelling (any case).
    pub fn parse(s: &str) -> Option<AttrOp> {
        Some(match s.to_ascii_lowercase().as_str() {
            "lt" => AttrOp::Lt,
            "gt" => AttrOp::Gt,
            "lte" => AttrOp::Lte,
            "gte" => AttrOp::Gte,
            "eq" => AttrOp::Eq,
            "ne" => AttrOp::Ne,
            "defined" => AttrOp::Defined,
            "not_defined" => AttrOp::NotDefined,
            _ => return None,
        })
    }
    /// The XML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrOp::Lt => "lt",
            AttrOp::Gt => "gt",
            AttrOp::Lte => "lte",
            AttrOp::Gte => "gte",
            AttrOp::Eq => "eq",
            AttrOp::Ne => "ne",
            AttrOp::Defined => "defined",
            AttrOp::NotDefined => "not_defined",
        }
    }
}

/// `type` of an attribute expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// "string".
    String,
    /// "integer" (64-bit, floats truncated).
    Integer,
    /// "number" (double).
    Number,
    /// "version" (dotted numbers).
    Version,
}

impl ValueType {
    /// Parse the XML spelling (any case).
    pub fn parse(s: &str) -> Option<ValueType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "string" => ValueType::String,
            "integer" => ValueType::Integer,
            "number" => ValueType::Number,
            "version" => ValueType::Version,
            _ => return None,
        })
    }
    /// The XML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::Integer => "integer",
            ValueType::Number => "number",
            ValueType::Version => "version",
        }
    }
}

/// `value-source` of an attribute expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ValueSource {
    /// "literal" (default).
    #[default]
    Literal,
    /// "param": `value` names a resource parameter.
    Param,
    /// "meta": `value` names a resource meta-attribute.
    Meta,
}

/// `<expression>`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrExpr {
    /// `id`.
    pub id: String,
    /// `attribute`: node attribute name (built-ins start with `#`).
    pub attribute: String,
    /// `operation`.
    pub operation: AttrOp,
    /// `value`.
    pub value: Option<String>,
    /// `type` (None: inferred, see [`AttrExpr::effective_type`]).
    pub value_type: Option<ValueType>,
    /// `value-source` (None: literal).
    pub value_source: Option<ValueSource>,
}

/// `operation` of a date expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateOp {
    /// "gt": now is after `start`.
    Gt,
    /// "lt": now is before `end`.
    Lt,
    /// "in_range" (default).
    #[default]
    InRange,
    /// "date_spec".
    DateSpec,
}

/// A `date_spec` range: `start-end`, or a single value (start == end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpecRange {
    /// Lower bound (None: open).
    pub start: Option<i64>,
    /// Upper bound (None: open).
    pub end: Option<i64>,
}

impl SpecRange {
    /// Whether `v` is within the range (inclusive).
    pub fn contains(&self, v: i64) -> bool {
        self.start.is_none_or(|s| v >= s) && self.end.is_none_or(|e| v <= e)
    }
}

/// `<date_spec>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DateSpec {
    /// `id`.
    pub id: String,
    /// `seconds`.
    pub seconds: Option<SpecRange>,
    /// `minutes`.
    pub minutes: Option<SpecRange>,
    /// `hours`.
    pub hours: Option<SpecRange>,
    /// `monthdays`.
    pub monthdays: Option<SpecRange>,
    /// `weekdays` (1 = Monday).
    pub weekdays: Option<SpecRange>,
    /// `yeardays`.
    pub yeardays: Option<SpecRange>,
    /// `months`.
    pub months: Option<SpecRange>,
    /// `weeks` (ISO week number).
    pub weeks: Option<SpecRange>,
    /// `years`.
    pub years: Option<SpecRange>,
    /// `weekyears` (ISO week-numbering year).
    pub weekyears: Option<SpecRange>,
    /// `moon` (deprecated; parsed, never matches).
    pub moon: Option<SpecRange>,
}

/// `<date_expression>`.
#[derive(Debug, Clone, PartialEq)]
pub struct DateExpr {
    /// `id`.
    pub id: String,
    /// `operation`.
    pub operation: DateOp,
    /// `start` (epoch seconds).
    pub start: Option<i64>,
    /// `end` (epoch seconds).
    pub end: Option<i64>,
    /// `<duration>`.
    pub duration: Option<IsoDuration>,
    /// `<date_spec>`.
    pub date_spec: Option<DateSpec>,
}

/// `<rsc_expression>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RscExpr {
    /// `id`.
    pub id: String,
    /// `class`.
    pub class: Option<String>,
    /// `provider`.
    pub provider: Option<String>,
    /// `type`.
    pub kind: Option<String>,
}

/// `<op_expression>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpExpr {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `interval` in ms.
    pub interval_ms: Option<u64>,
}

/// A resource's agent, for `rsc_expression`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RscAgent<'a> {
    /// Standard ("ocf", "stonith", ...).
    pub class: &'a str,
    /// Provider (OCF).
    pub provider: Option<&'a str>,
    /// Agent type.
    pub kind: &'a str,
}

static EMPTY: BTreeMap<String, String> = BTreeMap::new();

/// What a rule is evaluated against.
///
/// Built-in node attributes (`#uname`, `#id`, `#kind`, `#is_dc`,
/// `#cluster-name`, `#site-name`) are looked up in `node_attrs` like any
/// other: the caller puts them there ([`crate::Cib::node_attributes`] does).
/// `#role` falls back to `role`.
#[derive(Debug, Clone, Copy)]
pub struct RuleContext<'a> {
    /// The node's attributes.
    pub node_attrs: &'a BTreeMap<String, String>,
    /// The current time, epoch seconds (None: date expressions fail).
    pub now: Option<i64>,
    /// The resource's agent (None: rsc_expression fails).
    pub rsc: Option<RscAgent<'a>>,
    /// The operation (name, interval ms) (None: op_expression fails).
    pub op: Option<(&'a str, u64)>,
    /// The resource's parameters, for `value-source="param"`.
    pub params: Option<&'a BTreeMap<String, String>>,
    /// The resource's meta-attributes, for `value-source="meta"`.
    pub meta: Option<&'a BTreeMap<String, String>>,
    /// The role being placed (rules with `role` only apply to it).
    pub role: Option<Role>,
}

impl Default for RuleContext<'_> {
    fn default() -> Self {
        RuleContext {
            node_attrs: &EMPTY,
            now: None,
            rsc: None,
            op: None,
            params: None,
            meta: None,
            role: None,
        }
    }
}

impl<'a> RuleContext<'a> {
    /// A context with only node attributes.
    pub fn new(node_attrs: &'a BTreeMap<String, String>) -> Self {
        RuleContext {
            node_attrs,
            ..RuleContext::default()
        }
    }
    /// The same context at time `now`.
    pub fn at(self, now: i64) -> Self {
        RuleContext {
            now: Some(now),
            ..self
        }
    }
}

impl Rule {
    /// Whether the rule passes in `ctx`. A rule with no expressions passes.
    pub fn evaluate(&self, ctx: &RuleContext<'_>) -> bool {
        if let (Some(want), Some(have)) = (self.role, ctx.role) {
            if want != have {
                return false;
            }
        }
        if self.expressions.is_empty() {
            return true;
        }
        match self.boolean_op {
            BoolOp::And => self.expressions.iter().all(|e| e.evaluate(ctx)),
            BoolOp::Or => self.expressions.iter().any(|e| e.evaluate(ctx)),
        }
    }

    /// The score this rule contributes on a node: `score`, or the node
    /// attribute named by `score-attribute` (unparsable or missing: 0).
    pub fn effective_score(&self, ctx: &RuleContext<'_>) -> Score {
        if let Some(s) = self.score {
            return s;
        }
        self.score_attribute
            .as_ref()
            .and_then(|a| ctx.node_attrs.get(a))
            .and_then(|v| Score::parse(v).ok())
            .unwrap_or_default()
    }
}

impl Expression {
    /// Whether the expression passes in `ctx`.
    pub fn evaluate(&self, ctx: &RuleContext<'_>) -> bool {
        match self {
            Expression::Attribute(a) => a.evaluate(ctx),
            Expression::Date(d) => ctx.now.is_some_and(|now| d.evaluate(now)),
            Expression::Rsc(r) => ctx.rsc.is_some_and(|agent| {
                r.class.as_deref().is_none_or(|c| c == agent.class)
                    // An absent provider only matches agents without one.
                    && r.provider.as_deref() == agent.provider
                    && r.kind.as_deref().is_none_or(|t| t == agent.kind)
            }),
            Expression::Op(o) => ctx.op.is_some_and(|(name, interval)| {
                o.name == name && o.interval_ms.is_none_or(|i| i == interval)
            }),
            Expression::Rule(r) => r.evaluate(ctx),
        }
    }
}

impl AttrExpr {
    /// The comparison type: explicit `type`, else for lt/gt/lte/gte `number`
    /// if either value has a decimal point and `integer` otherwise, else
    /// `string` (Pacemaker Explained, "Node Attribute Expressions").
    pub fn effective_type(&self, node_value: &str, ref_value: &str) -> ValueType {
        if let Some(t) = self.value_type {
            return t;
        }
        match self.operation {
            AttrOp::Lt | AttrOp::Gt | AttrOp::Lte | AttrOp::Gte => {
                if node_value.contains('.') || ref_value.contains('.') {
                    ValueType::Number
                } else {
                    ValueType::Integer
                }
            }
            _ => ValueType::String,
        }
    }

    /// Whether the expression passes in `ctx`.
    pub fn evaluate(&self, ctx: &RuleContext<'_>) -> bool {
        // "#role" falls back to the role being placed when the caller did
        // not put it among the node attributes.
        let role_name = ctx.role.map(|r| r.as_str().to_string());
        let node_value = ctx
            .node_attrs
            .get(&self.attribute)
            .or(role_name.as_ref().filter(|_| self.attribute == "#role"));
        match self.operation {
            AttrOp::Defined => return node_value.is_some(),
            AttrOp::NotDefined => return node_value.is_none(),
            _ => {}
        }
        // An empty reference value counts as absent.
        let value = self.value.as_ref().filter(|v| !v.is_empty());
        let reference = match self.value_source.unwrap_or_default() {
            ValueSource::Literal => value,
            ValueSource::Param => value.and_then(|n| ctx.params.unwrap_or(&EMPTY).get(n)),
            ValueSource::Meta => value.and_then(|n| ctx.meta.unwrap_or(&EMPTY).get(n)),
        };
        let (Some(nv), Some(rv)) = (node_value, reference) else {
            // An absent value sorts below any value: eq/ne still compare
            // (two absent values are equal), the orderings fail.
            let equal = node_value.is_none() && reference.is_none();
            return match self.operation {
                AttrOp::Eq => equal,
                AttrOp::Ne => !equal,
                _ => false,
            };
        };
        let ord = compare(self.effective_type(nv, rv), nv, rv);
        match self.operation {
            AttrOp::Lt => ord == Ordering::Less,
            AttrOp::Gt => ord == Ordering::Greater,
            AttrOp::Lte => ord != Ordering::Greater,
            AttrOp::Gte => ord != Ordering::Less,
            AttrOp::Eq => ord == Ordering::Equal,
            AttrOp::Ne => ord != Ordering::Equal,
            // Handled above.
            AttrOp::Defined | AttrOp::NotDefined => false,
        }
    }
}

/// Compare two values as `ty`; a failed numeric parse falls back to string
/// comparison (Pacemaker Explained, expression `type`).
pub fn compare(ty: ValueType, a: &str, b: &str) -> Ordering {
    match ty {
        ValueType::String => a.to_lowercase().cmp(&b.to_lowercase()),
        ValueType::Integer => match (parse_integer(a), parse_integer(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => compare(ValueType::String, a, b),
        },
        ValueType::Number => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(x), Ok(y)) if !x.is_nan() && !y.is_nan() => {
                x.partial_cmp(&y).unwrap_or(Ordering::Equal)
            }
            _ => compare(ValueType::String, a, b),
        },
        ValueType::Version => compare_versions(a, b),
    }
}

fn parse_integer(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<i64>().ok().or_else(|| {
        t.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| f as i64)
    })
}

/// Compare dotted version strings numerically field by field; missing
/// fields count as 0.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let pa: Vec<u64> = a
        .split('.')
        .map(|x| x.trim().parse().unwrap_or(0))
        .collect();
    let pb: Vec<u64> = b
        .split('.')
        .map(|x| x.trim().parse().unwrap_or(0))
        .collect();
    for i in 0..pa.len().max(pb.len()) {
        let o = pa.get(i).unwrap_or(&0).cmp(pb.get(i).unwrap_or(&0));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

impl DateExpr {
    /// Whether `now` (epoch seconds, UTC) satisfies the expression.
    pub fn evaluate(&self, now: i64) -> bool {
        match self.operation {
            DateOp::Gt => self.start.is_some_and(|s| now > s),
            DateOp::Lt => self.end.is_some_and(|e| now < e),
            DateOp::InRange => {
                if self.start.is_none() && self.end.is_none() {
                    return false;
                }
                let end = self
                    .end
                    .or_else(|| Some(self.duration.as_ref()?.add_to(self.start?)));
                self.start.is_none_or(|s| now >= s) && end.is_none_or(|e| now <= e)
            }
            DateOp::DateSpec => self.date_spec.as_ref().is_some_and(|d| d.matches(now)),
        }
    }
}

impl DateSpec {
    /// Whether `now` (epoch seconds, UTC) matches every given field.
    pub fn matches(&self, now: i64) -> bool {
        let c = time::Civil::from_epoch(now);
        let checks = [
            (self.years, c.year),
            (self.months, c.month as i64),
            (self.monthdays, c.day as i64),
            (self.hours, c.hour as i64),
            (self.minutes, c.minute as i64),
            (self.seconds, c.second as i64),
            (self.yeardays, c.yearday as i64),
            (self.weekdays, c.weekday as i64),
            (self.weeks, c.iso_week as i64),
            (self.weekyears, c.iso_year),
        ];
        if self.moon.is_some() {
            // Deprecated moon phase: not supported, never matches.
            return false;
        }
        checks.iter().all(|(r, v)| r.is_none_or(|r| r.contains(*v)))
    }
}

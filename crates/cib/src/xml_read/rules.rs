//! Reading `<rule>` and its expressions (Pacemaker Explained, "Rules").

use super::Reader;
use crate::dom::Node;
use crate::error::CibError;
use crate::rules::*;
use crate::time::{self, IsoDuration};

/// How deep rules may nest inside rules.
const MAX_RULE_DEPTH: usize = 16;

impl<'d> Reader<'d> {
    pub(crate) fn rule(&mut self, n: &'d Node) -> Result<Rule, CibError> {
        self.rule_at(n, 0)
    }

    fn rule_at(&mut self, n: &'d Node, depth: usize) -> Result<Rule, CibError> {
        if depth > MAX_RULE_DEPTH {
            return Err(self.invalid(n, "id", n.id(), "rules nested too deeply"));
        }
        let (src, id_ref) = self.resolve(n)?;
        let boolean_op = match src
            .attr("boolean-op")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("and") => BoolOp::And,
            Some("or") => BoolOp::Or,
            Some(v) => return Err(self.invalid(src, "boolean-op", v, "expected and or or")),
        };
        let mut rule = Rule {
            id: match &id_ref {
                Some(r) => r.clone(),
                None => self.req(n, "id")?,
            },
            is_ref: id_ref.is_some(),
            score: self.score(src, "score")?,
            score_attribute: Self::opt(src, "score-attribute"),
            boolean_op,
            role: self.role(src, "role")?,
            expressions: Vec::new(),
        };
        for c in &src.children {
            let e = match c.name.as_str() {
                "expression" => Expression::Attribute(self.attr_expr(c)?),
                "date_expression" => Expression::Date(Box::new(self.date_expr(c)?)),
                "rsc_expression" => Expression::Rsc(RscExpr {
                    id: self.req(c, "id")?,
                    class: Self::opt(c, "class"),
                    provider: Self::opt(c, "provider"),
                    kind: Self::opt(c, "type"),
                }),
                "op_expression" => Expression::Op(OpExpr {
                    id: self.req(c, "id")?,
                    name: self.req(c, "name")?,
                    interval_ms: self.interval(c, "interval")?,
                }),
                "rule" => Expression::Rule(self.rule_at(c, depth + 1)?),
                _ => {
                    self.unknown(c, src);
                    continue;
                }
            };
            rule.expressions.push(e);
        }
        Ok(rule)
    }

    fn attr_expr(&mut self, n: &'d Node) -> Result<AttrExpr, CibError> {
        let op = self.req(n, "operation")?;
        let operation = AttrOp::parse(&op).ok_or_else(|| {
            self.invalid(
                n,
                "operation",
                &op,
                "expected lt, gt, lte, gte, eq, ne, defined or not_defined",
            )
        })?;
        let value_type = match n.attr("type") {
            None => None,
            Some(v) => Some(ValueType::parse(v).ok_or_else(|| {
                self.invalid(n, "type", v, "expected string, integer, number or version")
            })?),
        };
        let value_source = match n
            .attr("value-source")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None => None,
            Some("literal") => Some(ValueSource::Literal),
            Some("param") => Some(ValueSource::Param),
            Some("meta") => Some(ValueSource::Meta),
            Some(v) => {
                return Err(self.invalid(n, "value-source", v, "expected literal, param or meta"))
            }
        };
        let e = AttrExpr {
            id: self.req(n, "id")?,
            attribute: self.req(n, "attribute")?,
            operation,
            value: Self::opt(n, "value"),
            value_type,
            value_source,
        };
        if e.value.is_none() && !matches!(operation, AttrOp::Defined | AttrOp::NotDefined) {
            // Pacemaker warns and compares with an absent value.
            self.warn(
                n,
                format!(
                    "no value to compare with for operation {}",
                    operation.as_str()
                ),
            );
        }
        Ok(e)
    }

    fn date(&self, n: &Node, attr: &str) -> Result<Option<i64>, CibError> {
        match n.attr(attr) {
            None => Ok(None),
            Some(v) => time::parse_datetime(v)
                .map(Some)
                .ok_or_else(|| self.invalid(n, attr, v, "expected an ISO 8601 date/time")),
        }
    }

    fn date_expr(&mut self, n: &'d Node) -> Result<DateExpr, CibError> {
        let operation = match n.attr("operation").map(str::to_ascii_lowercase).as_deref() {
            None | Some("in_range") => DateOp::InRange,
            Some("gt") => DateOp::Gt,
            Some("lt") => DateOp::Lt,
            Some("date_spec") => DateOp::DateSpec,
            Some(v) => {
                return Err(self.invalid(
                    n,
                    "operation",
                    v,
                    "expected gt, lt, in_range or date_spec",
                ))
            }
        };
        let mut e = DateExpr {
            id: self.req(n, "id")?,
            operation,
            start: self.date(n, "start")?,
            end: self.date(n, "end")?,
            duration: None,
            date_spec: None,
        };
        for c in &n.children {
            match c.name.as_str() {
                "duration" => {
                    let mut d = IsoDuration::default();
                    for (field, slot) in [
                        ("years", &mut d.years),
                        ("months", &mut d.months),
                        ("weeks", &mut d.weeks),
                        ("days", &mut d.days),
                        ("hours", &mut d.hours),
                        ("minutes", &mut d.minutes),
                        ("seconds", &mut d.seconds),
                    ] {
                        *slot = self.int(c, field)?.unwrap_or(0);
                    }
                    e.duration = Some(d);
                }
                "date_spec" => e.date_spec = Some(self.date_spec(c)?),
                _ => self.unknown(c, n),
            }
        }
        // Pacemaker Explained: gt needs start, lt needs end, in_range one of
        // them, date_spec its element.
        let need = match operation {
            DateOp::Gt if e.start.is_none() => Some("start"),
            DateOp::Lt if e.end.is_none() => Some("end"),
            DateOp::InRange if e.start.is_none() && e.end.is_none() => Some("start"),
            _ => None,
        };
        if let Some(attr) = need {
            return Err(self.req(n, attr).unwrap_err());
        }
        if operation == DateOp::DateSpec && e.date_spec.is_none() {
            return Err(CibError::MissingElement {
                pos: self.pos(n),
                element: n.name.clone(),
                id: e.id,
                child: "date_spec".into(),
            });
        }
        Ok(e)
    }

    fn date_spec(&mut self, n: &'d Node) -> Result<DateSpec, CibError> {
        let mut d = DateSpec {
            id: self.req(n, "id")?,
            ..DateSpec::default()
        };
        for (field, slot) in [
            ("seconds", &mut d.seconds),
            ("minutes", &mut d.minutes),
            ("hours", &mut d.hours),
            ("monthdays", &mut d.monthdays),
            ("weekdays", &mut d.weekdays),
            ("yeardays", &mut d.yeardays),
            ("months", &mut d.months),
            ("weeks", &mut d.weeks),
            ("years", &mut d.years),
            ("weekyears", &mut d.weekyears),
            ("moon", &mut d.moon),
        ] {
            if let Some(v) = n.attr(field) {
                *slot = Some(
                    parse_range(v).ok_or_else(|| self.invalid(n, field, v, "expected N or N-M"))?,
                );
            }
        }
        Ok(d)
    }
}

/// Parse a date_spec range: "N", "N-M", "N-" or "-M".
pub(crate) fn parse_range(v: &str) -> Option<SpecRange> {
    let v = v.trim();
    let p = |s: &str| -> Option<Option<i64>> {
        let s = s.trim();
        if s.is_empty() {
            Some(None)
        } else {
            s.parse().ok().map(Some)
        }
    };
    match v.split_once('-') {
        Some((a, b)) => {
            let r = SpecRange {
                start: p(a)?,
                end: p(b)?,
            };
            (r.start.is_some() || r.end.is_some()).then_some(r)
        }
        None => {
            let x = p(v)??;
            Some(SpecRange {
                start: Some(x),
                end: Some(x),
            })
        }
    }
}

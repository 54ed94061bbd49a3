//! Rule evaluation: every attribute operation and type, date expressions,
//! resource/op expressions, nesting, and nvset precedence; then real rules
//! from the scheduler corpus.

use std::collections::BTreeMap;

use vigil_cib::time::parse_datetime;
use vigil_cib::*;

fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn expr(attribute: &str, op: AttrOp, value: Option<&str>, ty: Option<ValueType>) -> AttrExpr {
    AttrExpr {
        id: "e".into(),
        attribute: attribute.into(),
        operation: op,
        value: value.map(str::to_string),
        value_type: ty,
        value_source: None,
    }
}

fn check(node: &str, op: AttrOp, value: &str, ty: Option<ValueType>) -> bool {
    let a = attrs(&[("x", node)]);
    expr("x", op, Some(value), ty).evaluate(&RuleContext::new(&a))
}

#[test]
fn attribute_operations_on_integers() {
    use AttrOp::*;
    assert!(check("5", Lt, "10", None));
    assert!(!check("10", Lt, "5", None));
    assert!(check("10", Gt, "9", None));
    // Integer, not string, comparison: "10" > "9".
    assert!(check("10", Gt, "9", Some(ValueType::Integer)));
    assert!(!check("10", Gt, "9", Some(ValueType::String)));
    assert!(check("5", Lte, "5", None));
    assert!(!check("6", Lte, "5", None));
    assert!(check("5", Gte, "5", None));
    assert!(!check("4", Gte, "5", None));
    assert!(check("abc", Eq, "ABC", None), "string eq ignores case");
    assert!(check("abc", Ne, "abd", None));
    assert!(!check("abc", Ne, "abc", None));
}

#[test]
fn attribute_types() {
    use AttrOp::*;
    // Default for lt/gt with a decimal point: number.
    assert!(check("3.5", Gt, "3.25", None));
    // integer truncates floats: 3.9 -> 3, equal to 3.
    assert!(check("3.9", Eq, "3", Some(ValueType::Integer)));
    assert!(!check("3.9", Eq, "3", Some(ValueType::Number)));
    // A failed numeric parse falls back to string comparison.
    assert!(check("abc", Lt, "abd", Some(ValueType::Number)));
    assert!(check("abc", Lt, "abd", None));
    // Versions compare field by field.
    assert!(check("1.10.0", Gt, "1.9.9", Some(ValueType::Version)));
    assert!(check("2.0", Eq, "2.0.0", Some(ValueType::Version)));
    assert!(!check("1.10.0", Gt, "1.9.9", Some(ValueType::String)));
}

#[test]
fn defined_and_missing_attributes() {
    let a = attrs(&[("x", "1")]);
    let ctx = RuleContext::new(&a);
    assert!(expr("x", AttrOp::Defined, None, None).evaluate(&ctx));
    assert!(!expr("y", AttrOp::Defined, None, None).evaluate(&ctx));
    assert!(expr("y", AttrOp::NotDefined, None, None).evaluate(&ctx));
    assert!(!expr("x", AttrOp::NotDefined, None, None).evaluate(&ctx));
    // A missing attribute fails every comparison but ne.
    assert!(!expr("y", AttrOp::Eq, Some("1"), None).evaluate(&ctx));
    assert!(!expr("y", AttrOp::Lt, Some("1"), None).evaluate(&ctx));
    assert!(expr("y", AttrOp::Ne, Some("1"), None).evaluate(&ctx));
    // An empty reference value counts as absent; two absent values are equal.
    assert!(expr("y", AttrOp::Eq, Some(""), None).evaluate(&ctx));
    assert!(!expr("y", AttrOp::Ne, Some(""), None).evaluate(&ctx));
    assert!(!expr("x", AttrOp::Eq, Some(""), None).evaluate(&ctx));
    assert!(expr("x", AttrOp::Ne, Some(""), None).evaluate(&ctx));
    assert!(!expr("y", AttrOp::Lte, Some(""), None).evaluate(&ctx));
}

#[test]
fn value_source_param_and_meta() {
    let node = attrs(&[("site", "east")]);
    let params = attrs(&[("where", "east")]);
    let meta = attrs(&[("where", "west")]);
    let ctx = RuleContext {
        params: Some(&params),
        meta: Some(&meta),
        ..RuleContext::new(&node)
    };
    let mut e = expr("site", AttrOp::Eq, Some("where"), None);
    e.value_source = Some(ValueSource::Param);
    assert!(e.evaluate(&ctx));
    e.value_source = Some(ValueSource::Meta);
    assert!(!e.evaluate(&ctx));
    e.value_source = Some(ValueSource::Literal);
    assert!(
        !e.evaluate(&ctx),
        "literal compares with the text \"where\""
    );
}

fn date(op: DateOp, start: Option<&str>, end: Option<&str>) -> DateExpr {
    DateExpr {
        id: "d".into(),
        operation: op,
        start: start.map(|s| parse_datetime(s).unwrap()),
        end: end.map(|s| parse_datetime(s).unwrap()),
        duration: None,
        date_spec: None,
    }
}

#[test]
fn date_expressions() {
    let t = |s: &str| parse_datetime(s).unwrap();
    let gt = date(DateOp::Gt, Some("2020-01-01"), None);
    assert!(gt.evaluate(t("2020-01-02")));
    assert!(!gt.evaluate(t("2020-01-01")));
    let lt = date(DateOp::Lt, None, Some("2020-01-01"));
    assert!(lt.evaluate(t("2019-12-31")));
    assert!(!lt.evaluate(t("2020-01-01")));
    let range = date(DateOp::InRange, Some("2020-01-01"), Some("2020-02-01"));
    assert!(range.evaluate(t("2020-01-01")));
    assert!(range.evaluate(t("2020-02-01")));
    assert!(!range.evaluate(t("2020-02-01T00:00:01")));
    assert!(!range.evaluate(t("2019-12-31")));
    let mut dur = date(DateOp::InRange, Some("2020-01-01"), None);
    dur.duration = Some(IsoDuration {
        months: 1,
        ..IsoDuration::default()
    });
    assert!(dur.evaluate(t("2020-02-01")));
    assert!(!dur.evaluate(t("2020-02-02")));
    // Without an end or duration, in_range is open-ended.
    let open = date(DateOp::InRange, Some("2020-01-01"), None);
    assert!(open.evaluate(t("2030-01-01")));
}

#[test]
fn date_specs() {
    let t = |s: &str| parse_datetime(s).unwrap();
    let r = |a: i64, b: i64| {
        Some(SpecRange {
            start: Some(a),
            end: Some(b),
        })
    };
    let office = DateSpec {
        id: "s".into(),
        hours: r(9, 16),
        weekdays: r(1, 5),
        ..DateSpec::default()
    };
    assert!(office.matches(t("2021-04-12T09:00:00Z")), "Monday 09:00");
    assert!(office.matches(t("2021-04-16T16:59:59Z")), "Friday 16:59");
    assert!(!office.matches(t("2021-04-16T17:00:00Z")), "Friday 17:00");
    assert!(!office.matches(t("2021-04-17T10:00:00Z")), "Saturday");
    let spec = DateSpec {
        id: "s".into(),
        years: r(2005, 2005),
        months: r(1, 1),
        monthdays: r(20, 20),
        yeardays: r(20, 20),
        weeks: r(3, 3),
        weekyears: r(2005, 2005),
        minutes: r(30, 30),
        seconds: r(0, 0),
        ..DateSpec::default()
    };
    assert!(spec.matches(t("2005-01-20T12:30:00Z")));
    assert!(!spec.matches(t("2005-01-20T12:31:00Z")));
    let open = DateSpec {
        id: "s".into(),
        hours: Some(SpecRange {
            start: Some(20),
            end: None,
        }),
        ..DateSpec::default()
    };
    assert!(open.matches(t("2005-01-20T23:00:00Z")));
    assert!(!open.matches(t("2005-01-20T19:00:00Z")));
    let moon = DateSpec {
        id: "s".into(),
        moon: r(0, 7),
        ..DateSpec::default()
    };
    assert!(
        !moon.matches(t("2005-01-20T19:00:00Z")),
        "moon is unsupported and never matches"
    );
    let mut e = date(DateOp::DateSpec, None, None);
    e.date_spec = Some(office);
    assert!(e.evaluate(t("2021-04-12T10:00:00Z")));
    // No "now": date expressions fail.
    let rule = Rule {
        id: "r".into(),
        expressions: vec![Expression::Date(Box::new(e))],
        ..Rule::default()
    };
    assert!(!rule.evaluate(&RuleContext::default()));
    assert!(rule.evaluate(&RuleContext::default().at(t("2021-04-12T10:00:00Z"))));
}

#[test]
fn rsc_and_op_expressions() {
    let rsc = Expression::Rsc(RscExpr {
        id: "r".into(),
        class: Some("ocf".into()),
        provider: Some("heartbeat".into()),
        kind: Some("IPaddr2".into()),
    });
    let any_stonith = Expression::Rsc(RscExpr {
        id: "s".into(),
        class: Some("stonith".into()),
        provider: None,
        kind: None,
    });
    let ip = RscAgent {
        class: "ocf",
        provider: Some("heartbeat"),
        kind: "IPaddr2",
    };
    let fence = RscAgent {
        class: "stonith",
        provider: None,
        kind: "fence_xvm",
    };
    let ctx = |a| RuleContext {
        rsc: Some(a),
        ..RuleContext::default()
    };
    assert!(rsc.evaluate(&ctx(ip)));
    assert!(!rsc.evaluate(&ctx(fence)));
    assert!(any_stonith.evaluate(&ctx(fence)));
    assert!(!rsc.evaluate(&RuleContext::default()));
    // Pacemaker: an absent provider only matches agents without a provider.
    let no_provider = Expression::Rsc(RscExpr {
        id: "n".into(),
        class: Some("ocf".into()),
        provider: None,
        kind: Some("IPaddr2".into()),
    });
    assert!(!no_provider.evaluate(&ctx(ip)));
    let monitor10 = Expression::Op(OpExpr {
        id: "o".into(),
        name: "monitor".into(),
        interval_ms: Some(10_000),
    });
    let monitor_any = Expression::Op(OpExpr {
        id: "o".into(),
        name: "monitor".into(),
        interval_ms: None,
    });
    let octx = |n, i| RuleContext {
        op: Some((n, i)),
        ..RuleContext::default()
    };
    assert!(monitor10.evaluate(&octx("monitor", 10_000)));
    assert!(!monitor10.evaluate(&octx("monitor", 20_000)));
    assert!(monitor_any.evaluate(&octx("monitor", 20_000)));
    assert!(!monitor_any.evaluate(&octx("start", 0)));
}

#[test]
fn boolean_ops_nesting_and_role() {
    let a = attrs(&[("x", "1"), ("y", "2")]);
    let ctx = RuleContext::new(&a);
    let yes = Expression::Attribute(expr("x", AttrOp::Eq, Some("1"), None));
    let no = Expression::Attribute(expr("y", AttrOp::Eq, Some("1"), None));
    let and = Rule {
        id: "a".into(),
        expressions: vec![yes.clone(), no.clone()],
        ..Rule::default()
    };
    let or = Rule {
        boolean_op: BoolOp::Or,
        ..and.clone()
    };
    assert!(!and.evaluate(&ctx));
    assert!(or.evaluate(&ctx));
    let nested = Rule {
        id: "n".into(),
        expressions: vec![yes, Expression::Rule(or.clone())],
        ..Rule::default()
    };
    assert!(nested.evaluate(&ctx));
    assert!(Rule::default().evaluate(&ctx), "an empty rule passes");
    let promoted = Rule {
        role: Some(Role::Promoted),
        ..or
    };
    assert!(promoted.evaluate(&RuleContext {
        role: Some(Role::Promoted),
        ..ctx
    }));
    assert!(!promoted.evaluate(&RuleContext {
        role: Some(Role::Started),
        ..ctx
    }));
}

#[test]
fn score_attribute() {
    let a = attrs(&[("pingd", "300"), ("bad", "x")]);
    let ctx = RuleContext::new(&a);
    let r = Rule {
        id: "r".into(),
        score_attribute: Some("pingd".into()),
        ..Rule::default()
    };
    assert_eq!(r.effective_score(&ctx), Score::new(300));
    let r = Rule {
        score_attribute: Some("bad".into()),
        ..r
    };
    assert_eq!(r.effective_score(&ctx), Score::ZERO);
    let r = Rule {
        score: Some(Score::INFINITY),
        ..r
    };
    assert_eq!(r.effective_score(&ctx), Score::INFINITY);
}

fn set(id: &str, score: Option<i64>, rule: Option<Rule>, pairs: &[(&str, &str)]) -> NvSet {
    NvSet {
        id: id.into(),
        kind: NvSetKind::Meta,
        score: score.map(Score::new),
        rule,
        pairs: pairs
            .iter()
            .map(|(n, v)| NvPair {
                id: format!("{id}-{n}"),
                name: n.to_string(),
                value: v.to_string(),
                is_ref: false,
            })
            .collect(),
        origin: NvSetOrigin::Inline,
    }
}

#[test]
fn nvset_precedence() {
    let a = attrs(&[("#uname", "node1")]);
    let ctx = RuleContext::new(&a);
    let on_node2 = Rule {
        id: "r".into(),
        expressions: vec![Expression::Attribute(expr(
            "#uname",
            AttrOp::Eq,
            Some("node2"),
            None,
        ))],
        ..Rule::default()
    };
    let sets = vec![
        set(
            "low",
            Some(1),
            None,
            &[("a", "low"), ("b", "low"), ("c", "low")],
        ),
        set("high", Some(10), None, &[("a", "high")]),
        set(
            "same-score-later",
            Some(1),
            None,
            &[("b", "later"), ("d", "later")],
        ),
        set("ruled-out", Some(100), Some(on_node2), &[("c", "ruled")]),
    ];
    let m = evaluate_nvsets(&sets, &ctx);
    assert_eq!(m.get("a").map(String::as_str), Some("high"));
    assert_eq!(
        m.get("b").map(String::as_str),
        Some("low"),
        "equal scores keep document order"
    );
    assert_eq!(
        m.get("c").map(String::as_str),
        Some("low"),
        "a failing rule skips the set"
    );
    assert_eq!(m.get("d").map(String::as_str), Some("later"));
    assert_eq!(m.len(), 4);
    let forced = evaluate_nvsets_first(&sets, &ctx, Some("same-score-later"));
    assert_eq!(forced.get("b").map(String::as_str), Some("later"));
    assert_eq!(forced.get("a").map(String::as_str), Some("high"));
}

fn corpus(name: &str) -> Cib {
    let path = format!("/work/shared/conformance/pacemaker-scheduler/xml/{name}.xml");
    parse_cib(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn corpus_date_spec_rules() {
    // Scheduler tests date-2 (-t 2005-020T12:30, passes) and date-3 (11:30, fails):
    // the "overrides" set (score 2) only applies in hour 12.
    let cib = corpus("date-2");
    let opts = |t: &str| {
        let ctx = RuleContext::default().at(parse_datetime(t).unwrap());
        evaluate_nvsets(&cib.configuration.crm_config, &ctx)
    };
    assert_eq!(
        opts("2005-020T12:30")
            .get("cluster-delay")
            .map(String::as_str),
        Some("10s")
    );
    assert_eq!(
        opts("2005-020T11:30")
            .get("cluster-delay")
            .map(String::as_str),
        Some("50s")
    );
}

#[test]
fn corpus_location_date_rules() {
    let cib = corpus("location-date-rules-2");
    let rule = cib
        .configuration
        .constraints
        .iter()
        .find_map(|c| match c {
            Constraint::Location(l) if l.id == "location-2" => l.rules.first().cloned(),
            _ => None,
        })
        .expect("location-2 has a rule");
    let n3 = attrs(&[("#uname", "rhel7-3")]);
    let n4 = attrs(&[("#uname", "rhel7-4")]);
    let at = |a, t: &str| rule.evaluate(&RuleContext::new(a).at(parse_datetime(t).unwrap()));
    assert!(at(&n3, "2019-09-20 15:10:00"));
    assert!(!at(&n3, "2019-09-20 15:31:00"));
    assert!(!at(&n4, "2019-09-20 15:10:00"));
}

#[test]
fn corpus_floating_point_rules() {
    // rule-dbl-*: node attributes compared with a floating-point value.
    for (name, expect) in [
        ("rule-dbl-as-auto-number-match", true),
        ("rule-dbl-as-integer-match", true),
        ("rule-dbl-as-integer-no-match", false),
        ("rule-dbl-as-number-match", true),
        ("rule-dbl-parse-fail-default-str-match", true),
        ("rule-dbl-parse-fail-default-str-no-match", false),
    ] {
        let cib = corpus(name);
        let rule = cib
            .configuration
            .constraints
            .iter()
            .find_map(|c| match c {
                Constraint::Location(l) => l.rules.first().cloned(),
                _ => None,
            })
            .expect("a location rule");
        let matched: Vec<String> = cib
            .configuration
            .nodes
            .iter()
            .filter(|n| {
                let mut a = evaluate_nvsets(&n.attributes, &RuleContext::default());
                a.insert("#uname".into(), n.uname.clone());
                rule.evaluate(&RuleContext::new(&a))
            })
            .map(|n| n.uname.clone())
            .collect();
        assert_eq!(!matched.is_empty(), expect, "{name}: matched {matched:?}");
    }
}

#[test]
fn node_attributes_merge_builtins_transient_and_permanent() {
    let xml = r##"<cib admin_epoch="0" epoch="1" num_updates="0" dc-uuid="2">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="o1" name="cluster-name" value="alpha"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1">
        <instance_attributes id="n1">
          <nvpair id="n1a" name="a" value="perm"/>
          <nvpair id="n1b" name="b" value="perm"/>
          <nvpair id="n1c" name="#uname" value="spoof"/>
        </instance_attributes>
      </node>
      <node id="2" uname="node2">
        <instance_attributes id="n2">
          <nvpair id="n2s" name="site-name" value="east"/>
        </instance_attributes>
      </node>
      <node id="r1" uname="r1" type="remote"/>
    </nodes>
    <resources/>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1">
      <transient_attributes id="1">
        <instance_attributes id="status-1">
          <nvpair id="s1a" name="a" value="transient"/>
        </instance_attributes>
      </transient_attributes>
    </node_state>
  </status>
</cib>"##;
    let cib = parse_cib(xml).unwrap();
    let n1 = cib.node_attributes("1", None);
    let get = |m: &BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
    assert_eq!(
        get(&n1, "#uname"),
        "node1",
        "built-ins cannot be overridden"
    );
    assert_eq!(get(&n1, "#id"), "1");
    assert_eq!(get(&n1, "#kind"), "cluster");
    assert_eq!(get(&n1, "#is_dc"), "false");
    assert_eq!(get(&n1, "#cluster-name"), "alpha");
    assert_eq!(get(&n1, "#site-name"), "alpha");
    assert_eq!(get(&n1, "a"), "transient", "transient attributes win");
    assert_eq!(get(&n1, "b"), "perm");
    let n2 = cib.node_attributes("2", None);
    assert_eq!(get(&n2, "#is_dc"), "true");
    assert_eq!(get(&n2, "#site-name"), "east");
    assert_eq!(get(&cib.node_attributes("r1", None), "#kind"), "remote");
}

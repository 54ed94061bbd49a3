//! The writer: references stay references, templates are not expanded into
//! the output, escaping is exact, and writing is idempotent.

use vigil_cib::*;

const WITH_REFS: &str = r##"<cib admin_epoch="1" epoch="2" num_updates="3" validate-with="pacemaker-3.0" have-quorum="true" dc-uuid="n1" execution-date="1618225200" cib-last-written="Mon Apr 12 11:00:00 2021">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-1" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="n1" uname="node1"/>
    </nodes>
    <resources>
      <template id="T" class="ocf" provider="heartbeat" type="Dummy">
        <meta_attributes id="T-meta">
          <nvpair id="T-meta-stickiness" name="resource-stickiness" value="5"/>
        </meta_attributes>
        <operations>
          <op id="T-mon" name="monitor" interval="10s"/>
          <op id="T-start" name="start" interval="0" timeout="20s"/>
        </operations>
      </template>
      <primitive id="A" template="T">
        <meta_attributes id="A-meta">
          <nvpair id="A-meta-stickiness" name="resource-stickiness" value="9"/>
          <nvpair id="A-desc" name="description" value="a &quot;quoted&quot; &amp; &lt;odd&gt;&#10;value"/>
        </meta_attributes>
        <operations id="A-ops">
          <op id="A-mon" name="monitor" interval="10" timeout="30s" on-fail="fence" role="Promoted"/>
        </operations>
      </primitive>
      <primitive id="B" class="ocf" provider="heartbeat" type="Dummy">
        <meta_attributes id-ref="A-meta"/>
        <instance_attributes id="B-inst">
          <nvpair id-ref="A-desc"/>
        </instance_attributes>
        <operations id-ref="A-ops"/>
      </primitive>
      <master id="M">
        <primitive id="S" class="ocf" provider="pacemaker" type="Stateful"/>
      </master>
    </resources>
    <constraints>
      <rsc_location id="L" rsc="A">
        <rule id="L-rule" score="100">
          <expression id="L-expr" attribute="#uname" operation="EQ" value="node1" type="String"/>
        </rule>
      </rsc_location>
      <rsc_location id="L2" rsc="B">
        <rule id-ref="L-rule"/>
      </rsc_location>
      <rsc_order id="O" kind="Optional">
        <resource_set id="O-set" sequential="false">
          <resource_ref id="A"/>
          <resource_ref id="B"/>
        </resource_set>
        <resource_set id-ref="O-set"/>
      </rsc_order>
    </constraints>
  </configuration>
  <status/>
</cib>
"##;

#[test]
fn references_and_templates_are_resolved_on_read() {
    let cib = parse_cib(WITH_REFS).unwrap();
    let cfg = &cib.configuration;
    let Some(ResourceRef::Resource(Resource::Primitive(a))) = cfg.find_resource("A") else {
        panic!()
    };
    assert_eq!(
        (a.class.as_str(), a.provider.as_deref(), a.kind.as_str()),
        ("ocf", Some("heartbeat"), "Dummy")
    );
    // Primitive's own values win over the template's.
    let meta = evaluate_nvsets(&a.meta, &RuleContext::default());
    assert_eq!(meta["resource-stickiness"], "9");
    assert_eq!(meta["description"], "a \"quoted\" & <odd>\nvalue");
    // The template's monitor (10s) is overridden; its start is inherited.
    let ops: Vec<(&str, u64, bool)> = a
        .ops
        .iter()
        .map(|o| (o.id.as_str(), o.interval_ms, o.from_template))
        .collect();
    assert_eq!(ops, vec![("A-mon", 10_000, false), ("T-start", 0, true)]);
    assert_eq!(a.ops[0].on_fail, Some(OnFail::Fence));
    assert_eq!(a.ops[0].role, Some(Role::Promoted));
    assert_eq!(a.ops[1].timeout_ms, Some(20_000));

    let Some(ResourceRef::Resource(Resource::Primitive(b))) = cfg.find_resource("B") else {
        panic!()
    };
    assert_eq!(b.meta[0].origin, NvSetOrigin::IdRef("A-meta".into()));
    assert_eq!(b.meta[0].pairs.len(), 2);
    assert_eq!(b.instance[0].pairs[0].name, "description");
    assert!(b.instance[0].pairs[0].is_ref);
    assert_eq!(b.ops_ref.as_deref(), Some("A-ops"));
    assert_eq!(b.ops.len(), 1);

    let Some(ResourceRef::Resource(Resource::Clone(m))) = cfg.find_resource("M") else {
        panic!()
    };
    assert!(m.is_promotable() && m.is_promotable_tag);
    assert!(matches!(
        cfg.find_resource("S"),
        Some(ResourceRef::Resource(Resource::Primitive(_)))
    ));

    let Constraint::Location(l2) = &cfg.constraints[1] else {
        panic!()
    };
    assert!(l2.rules[0].is_ref);
    assert_eq!(l2.rules[0].score, Some(Score::new(100)));
    // Operation and type names are case-insensitive, as in Pacemaker.
    let Expression::Attribute(e) = &l2.rules[0].expressions[0] else {
        panic!()
    };
    assert_eq!(
        (e.operation, e.value_type),
        (AttrOp::Eq, Some(ValueType::String))
    );
    let Constraint::Order(o) = &cfg.constraints[2] else {
        panic!()
    };
    assert_eq!(o.sets[1].resources, vec!["A", "B"]);
    assert!(o.sets[1].is_ref);
    assert_eq!(cib.execution_date, Some(1_618_225_200));
    assert!(cib.have_quorum);
    assert_eq!(
        cib.other_attrs["cib-last-written"],
        "Mon Apr 12 11:00:00 2021"
    );
}

#[test]
fn written_xml_keeps_references_and_round_trips() {
    let cib = parse_cib(WITH_REFS).unwrap();
    let out = write_cib(&cib);
    assert!(
        out.contains("<meta_attributes id-ref=\"A-meta\"/>"),
        "{out}"
    );
    assert!(out.contains("<nvpair id-ref=\"A-desc\"/>"), "{out}");
    assert!(out.contains("<operations id-ref=\"A-ops\"/>"), "{out}");
    assert!(out.contains("<rule id-ref=\"L-rule\"/>"), "{out}");
    assert!(out.contains("<resource_set id-ref=\"O-set\"/>"), "{out}");
    assert!(out.contains("<primitive id=\"A\" template=\"T\">"), "{out}");
    assert_eq!(
        out.matches("T-start").count(),
        1,
        "template op written once: {out}"
    );
    assert!(
        out.contains("value=\"a &quot;quoted&quot; &amp; &lt;odd&gt;&#10;value\""),
        "{out}"
    );
    // pacemaker-3.0 predates the Promoted/Unpromoted names.
    assert!(out.contains("role=\"Master\""), "{out}");
    assert!(out.contains("<master id=\"M\">"), "{out}");
    let again = parse_cib(&out).unwrap();
    assert_eq!(again, cib);
    assert_eq!(write_cib(&again), out, "writing is idempotent");
}

#[test]
fn byte_order_mark_and_raw_fragments() {
    // Found by the cib_parse fuzz target: a BOM shifted the raw <alerts> span.
    let xml = "\u{feff}<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">\n<configuration>\n<alerts>\n<alert id=\"a1\" path=\"/bin/true\"/>\n</alerts>\n</configuration>\n</cib>\n";
    let cib = parse_cib(xml).unwrap();
    assert_eq!(
        cib.configuration.alerts,
        Some(RawXml(
            "<alerts>\n<alert id=\"a1\" path=\"/bin/true\"/>\n</alerts>".into()
        ))
    );
    assert_eq!(parse_cib(&write_cib(&cib)).unwrap(), cib);
    let err =
        parse_cib("\u{feff}<cib admin_epoch=\"0\" epoch=\"x\" num_updates=\"0\"/>").unwrap_err();
    assert!(err.to_string().starts_with("1:1:"), "{err}");
}

#[test]
fn attribute_values_are_normalized_like_libxml2() {
    // XML 1.0 §3.3.3: literal whitespace characters in attribute values
    // read as spaces, character references keep their character.
    let xml = "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" update-origin=\"a\r\nb\tc&#10;d&#9;e\">\n<configuration/>\n</cib>";
    let cib = parse_cib(xml).unwrap();
    assert_eq!(cib.other_attrs["update-origin"], "a b c\nd\te");
    let out = write_cib(&cib);
    assert!(out.contains("update-origin=\"a b c&#10;d&#9;e\""), "{out}");
    assert_eq!(parse_cib(&out).unwrap(), cib);
}

#[test]
fn new_schemas_use_new_role_names() {
    let mut cib = parse_cib(WITH_REFS).unwrap();
    cib.validate_with = "pacemaker-3.9".into();
    let out = write_cib(&cib);
    assert!(
        out.contains("role=\"Promoted\"") && !out.contains("\"Master\""),
        "{out}"
    );
    assert_eq!(parse_cib(&out).unwrap(), cib);
}

#[test]
fn corpus_writing_is_idempotent() {
    for f in super::corpus::corpus_files() {
        let first = parse_cib(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let once = write_cib(&first);
        let twice = write_cib(&parse_cib(&once).unwrap());
        assert_eq!(once, twice, "{}", f.display());
    }
}

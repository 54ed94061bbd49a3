//! Behaviour tests on small hand-written CIBs.

use vigil_scheduler::{schedule_xml, Options, SchedError};

fn cib(resources: &str, constraints: &str, status: &str) -> String {
    format!(
        r#"<cib admin_epoch="0" epoch="1" num_updates="1" validate-with="pacemaker-3.0" have-quorum="1" dc-uuid="n1"><configuration><crm_config><cluster_property_set id="o">
<nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
<nodes><node id="n1" uname="node1"/><node id="n2" uname="node2"/></nodes>
<resources>{resources}</resources><constraints>{constraints}</constraints></configuration>
<status>
<node_state id="n1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">{status}</node_state>
<node_state id="n2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
</status></cib>"#
    )
}

#[test]
fn stopped_resource_starts_on_first_node_after_probes() {
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        "",
        "",
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(s.summary, vec!["Start      r1      ( node1 )".to_string()]);
    let names: Vec<String> = s
        .executed
        .iter()
        .map(|&a| format!("{}@{}", s.actions[a].task, s.actions[a].node.unwrap_or(99)))
        .collect();
    assert_eq!(names, vec!["monitor@1", "monitor@0", "start@0"]);
}

#[test]
fn location_minus_infinity_bans_node() {
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        r#"<rsc_location id="l1" rsc="r1" node="node1" score="-INFINITY"/>"#,
        "",
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(s.summary, vec!["Start      r1      ( node2 )".to_string()]);
}

#[test]
fn running_resource_with_failed_monitor_recovers_in_place() {
    let status = r#"<lrm id="n1"><lrm_resources><lrm_resource id="r1" class="ocf" provider="heartbeat" type="Dummy">
<lrm_rsc_op id="r1_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:abc"/>
<lrm_rsc_op id="r1_monitor_10000" operation="monitor" call-id="3" rc-code="7" op-status="0" interval="10000" transition-key="2:1:0:abc"/>
</lrm_resource></lrm_resources></lrm>"#;
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        "",
        status,
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(s.summary, vec!["Recover    r1      ( node1 )".to_string()]);
}

#[test]
fn bad_score_is_a_located_error() {
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        r#"<rsc_location id="l1" rsc="r1" node="node1" score="lots"/>"#,
        "",
    );
    match schedule_xml(&x, &Options::default()) {
        Err(SchedError::BadScore { id, value, .. }) => {
            assert_eq!(id, "l1");
            assert_eq!(value, "lots");
        }
        other => panic!("expected BadScore, got {other:?}"),
    }
}

#[test]
fn malformed_xml_is_an_error_not_a_panic() {
    assert!(matches!(
        schedule_xml("<cib><configuration>", &Options::default()),
        Err(SchedError::Xml { .. })
    ));
    assert!(matches!(
        schedule_xml("<cib/>", &Options::default()),
        Err(SchedError::MissingSection("configuration"))
    ));
}

#[test]
fn model_entry_point_agrees_with_text_entry_point() {
    let status = r#"<lrm id="n1"><lrm_resources><lrm_resource id="r1" class="ocf" provider="heartbeat" type="Dummy">
<lrm_rsc_op id="r1_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:abc"/>
</lrm_resource></lrm_resources></lrm>"#;
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/><primitive id="r2" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        r#"<rsc_location id="l1" rsc="r1" node="node2" score="100"/>"#,
        status,
    );
    let model = vigil_cib::parse_cib(&x).expect("cib parses");
    let a = vigil_scheduler::schedule(&model, &Options::default()).expect("schedules");
    let b = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(a.summary, b.summary);
    assert_eq!(a.summary.len(), 2, "{:?}", a.summary);
}

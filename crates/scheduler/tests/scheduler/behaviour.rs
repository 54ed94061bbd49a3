//! Behaviour tests on small hand-written CIBs.

use vigil_scheduler::{parse_cib, schedule, Options, SchedError, Schedule};

fn schedule_xml(text: &str, opts: &Options) -> Result<Schedule, SchedError> {
    schedule(&parse_cib(text)?, opts)
}

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
    let err = schedule_xml(&x, &Options::default()).expect_err("bad score is refused");
    let text = err.to_string();
    assert!(matches!(err, SchedError::Cib(_)), "{err:?}");
    assert!(text.contains("l1") && text.contains("lots"), "{text}");
    // Located: "line:col: ...".
    assert!(text.starts_with("4:"), "{text}");
}

#[test]
fn malformed_xml_is_an_error_not_a_panic() {
    assert!(matches!(
        schedule_xml("<cib><configuration>", &Options::default()),
        Err(SchedError::Cib(_))
    ));
    assert!(matches!(
        schedule_xml("<html/>", &Options::default()),
        Err(SchedError::Cib(_))
    ));
}

#[test]
fn scheduler_reads_the_typed_model_directly() {
    // A model built in code (no XML anywhere) schedules like its XML form.
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        "",
        "",
    );
    let mut model = parse_cib(&x).expect("cib parses");
    model
        .configuration
        .constraints
        .push(vigil_cib::Constraint::Location(vigil_cib::Location {
            id: "ban-node1".into(),
            rsc: Some("r1".into()),
            rsc_pattern: None,
            sets: vec![],
            node: Some("node1".into()),
            score: Some(vigil_cib::Score::NEG_INFINITY),
            role: None,
            rules: vec![],
            resource_discovery: None,
        }));
    let s = schedule(&model, &Options::default()).expect("schedules");
    assert_eq!(s.summary, vec!["Start      r1      ( node2 )".to_string()]);
}

const RUNNING_R2: &str = r#"<lrm id="n1"><lrm_resources><lrm_resource id="r2" class="ocf" provider="heartbeat" type="Dummy">
<lrm_rsc_op id="r2_start_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:abc"/>
</lrm_resource></lrm_resources></lrm>"#;

const TWO_DUMMIES: &str = r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/><primitive id="r2" class="ocf" provider="heartbeat" type="Dummy"/>"#;

#[test]
fn mandatory_order_restarts_a_dependent_when_its_first_starts() {
    // r2 is sticky, so it stays on node1 and must restart after r1 starts.
    // (crm_simulate restarts it too, but names a definition change as the reason:
    // this hand-written history has no operation digest.)
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/><primitive id="r2" class="ocf" provider="heartbeat" type="Dummy"><meta_attributes id="r2-m"><nvpair id="r2-s" name="resource-stickiness" value="100"/></meta_attributes></primitive>"#,
        r#"<rsc_order id="ord1" first="r1" then="r2" kind="Mandatory"/>
<rsc_location id="l1" rsc="r1" node="node1" score="100"/>"#,
        RUNNING_R2,
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(
        s.summary,
        vec![
            "Start      r1      ( node1 )".to_string(),
            "Restart    r2      ( node1 )  due to required r1 start".to_string(),
        ]
    );
}

#[test]
fn mandatory_order_stops_a_dependent_when_its_first_cannot_start() {
    let x = cib(
        TWO_DUMMIES,
        r#"<rsc_order id="ord1" first="r1" then="r2" kind="Mandatory"/>
<rsc_location id="l1" rsc="r1" node="node1" score="-INFINITY"/>
<rsc_location id="l2" rsc="r1" node="node2" score="-INFINITY"/>"#,
        RUNNING_R2,
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(
        s.summary,
        vec!["Stop       r2      ( node1 )  due to unrunnable r1 start".to_string()]
    );
}

#[test]
fn optional_order_has_no_such_consequence() {
    let x = cib(
        TWO_DUMMIES,
        r#"<rsc_order id="ord1" first="r1" then="r2" kind="Optional"/>
<rsc_location id="l1" rsc="r1" node="node1" score="-INFINITY"/>
<rsc_location id="l2" rsc="r1" node="node2" score="-INFINITY"/>"#,
        RUNNING_R2,
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert!(s.summary.is_empty(), "{:?}", s.summary);
}

#[test]
fn revoked_ticket_keeps_its_resource_stopped() {
    let granted = |g: &str| {
        cib(
            r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
            r#"<rsc_ticket id="t1" rsc="r1" ticket="ticketA"/>"#,
            "",
        )
        .replace(
            "<status>",
            &format!(r#"<status><tickets><ticket_state id="ticketA" granted="{g}"/></tickets>"#),
        )
    };
    let s = schedule_xml(&granted("false"), &Options::default()).expect("schedules");
    assert!(s.summary.is_empty(), "{:?}", s.summary);
    let s = schedule_xml(&granted("true"), &Options::default()).expect("schedules");
    assert_eq!(s.summary, vec!["Start      r1      ( node1 )".to_string()]);
}

#[test]
fn execution_date_of_the_cib_is_now_unless_given() {
    // A date rule that only matches in 2020: the CIB says it is 2020-06-01.
    let x = cib(
        r#"<primitive id="r1" class="ocf" provider="heartbeat" type="Dummy"/>"#,
        r#"<rsc_location id="l1" rsc="r1"><rule id="l1-r" score="-INFINITY">
<date_expression id="l1-d" operation="in_range" start="2020-01-01" end="2020-12-31"/></rule></rsc_location>"#,
        "",
    )
    .replace("<cib ", r#"<cib execution-date="1590969600" "#);
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert!(s.summary.is_empty(), "{:?}", s.summary);
    assert_eq!(s.original_execution_date, Some(1_590_969_600));
    let text = vigil_scheduler::render(&s, &Default::default());
    assert!(
        text.starts_with("Using the original execution date of: 2020-06-01 00:00:00Z\n"),
        "{text}"
    );
    // An explicit "now" (crm_simulate -t) wins: in 2021 the rule does not apply.
    let opts = Options {
        now: Some(1_622_505_600),
        ..Options::default()
    };
    let s = schedule_xml(&x, &opts).expect("schedules");
    assert_eq!(s.summary, vec!["Start      r1      ( node1 )".to_string()]);
}

#[test]
fn promotable_clone_promotes_the_instance_with_the_highest_promotion_score() {
    // Both instances run unpromoted; node2's master score is higher, so its instance
    // is promoted (crm_simulate promotes the same one; it also restarts both because
    // this hand-written history carries no operation digests).
    let history = |n: &str, score: u32| {
        format!(
            r#"<transient_attributes id="{n}"><instance_attributes id="{n}-a"><nvpair id="{n}-m" name="master-st" value="{score}"/></instance_attributes></transient_attributes>
<lrm id="{n}"><lrm_resources><lrm_resource id="st" class="ocf" provider="pacemaker" type="Stateful">
<lrm_rsc_op id="st_last_0" operation="start" call-id="2" rc-code="0" op-status="0" interval="0" transition-key="1:1:0:abc"/>
</lrm_resource></lrm_resources></lrm>"#
        )
    };
    let x = cib(
        r#"<clone id="ms"><meta_attributes id="ms-m"><nvpair id="ms-p" name="promotable" value="true"/></meta_attributes><primitive id="st" class="ocf" provider="pacemaker" type="Stateful"/></clone>"#,
        "",
        &history("n1", 5),
    )
    .replace(
        r#"expected="member"/>"#,
        &format!(r#"expected="member">{}</node_state>"#, history("n2", 10)),
    );
    let s = schedule_xml(&x, &Options::default()).expect("schedules");
    assert_eq!(
        s.summary,
        vec!["Promote    st:1    ( Unpromoted -> Promoted node2 )".to_string()]
    );
    let done: Vec<String> = s
        .executed
        .iter()
        .map(|&a| s.actions[a].key.clone())
        .collect();
    assert_eq!(
        done,
        vec!["ms_promote_0", "st:1_promote_0", "ms_promoted_0"]
    );
}

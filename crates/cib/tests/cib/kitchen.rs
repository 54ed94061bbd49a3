//! A hand-written CIB using every construct the model knows
//! (`data/kitchen_sink.xml`, valid by pacemaker-3.9.rng): it reads as
//! expected, round-trips, the written form is schema-valid, and
//! `crm_simulate -s` computes the same scores and transition for both.

use std::path::PathBuf;
use std::process::Command;

use vigil_cib::time::parse_datetime;
use vigil_cib::*;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cib/data/kitchen_sink.xml")
}

fn cib() -> Cib {
    parse_cib(&std::fs::read_to_string(path()).unwrap()).unwrap()
}

#[test]
fn reads_every_construct() {
    let cib = cib();
    assert_eq!((cib.admin_epoch, cib.epoch, cib.num_updates), (2, 17, 4));
    let cfg = &cib.configuration;
    assert_eq!(cfg.crm_config.len(), 2);
    let night = &cfg.crm_config[1];
    assert_eq!(night.score, Some(Score::new(10)));
    let rule = night.rule.as_ref().unwrap();
    assert_eq!(rule.boolean_op, BoolOp::Or);
    let Expression::Date(window) = &rule.expressions[1] else {
        panic!()
    };
    assert_eq!(
        window.duration,
        Some(IsoDuration {
            days: 1,
            hours: 6,
            ..IsoDuration::default()
        })
    );
    // Monday 2021-04-12 22:30 matches the date_spec; Saturday noon doesn't.
    let at = |t: &str| cfg.cluster_options(&RuleContext::default().at(parse_datetime(t).unwrap()));
    assert_eq!(
        at("2021-04-12T22:30:00Z")
            .get("cluster-delay")
            .map(String::as_str),
        Some("120s")
    );
    assert_eq!(at("2021-04-17T12:00:00Z").get("cluster-delay"), None);
    // ... and the in_range window (start + 1 day 6 hours) also does.
    assert_eq!(
        at("2021-04-13T05:00:00Z")
            .get("cluster-delay")
            .map(String::as_str),
        Some("120s")
    );

    assert_eq!(cfg.nodes[0].attributes[0].pairs[1].value, "");
    assert_eq!(cfg.nodes[1].description.as_deref(), Some("second & last"));
    assert_eq!(cfg.nodes[2].kind, NodeKind::Remote);

    let Some(ResourceRef::Resource(Resource::Primitive(web))) = cfg.find_resource("web1") else {
        panic!()
    };
    assert_eq!(web.kind, "apache");
    assert_eq!(
        web.instance[0].origin,
        NvSetOrigin::Template("tpl-web".into())
    );
    let names: Vec<&str> = web.ops.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(names, ["web1-start", "web1-check", "tpl-web-monitor"]);
    assert_eq!(web.ops[0].timeout_ms, Some(60_000));
    assert_eq!(
        web.ops[0]
            .other_attrs
            .get("record-pending")
            .map(String::as_str),
        Some("true")
    );
    assert_eq!(
        (web.ops[1].enabled, web.ops[1].start_delay_ms),
        (Some(false), Some(5_000))
    );
    assert_eq!(web.ops[1].instance[0].get("OCF_CHECK_LEVEL"), Some("10"));

    let Some(ResourceRef::Resource(Resource::Clone(ms))) = cfg.find_resource("ms") else {
        panic!()
    };
    assert!(ms.is_promotable() && !ms.is_promotable_tag);
    let Some(ResourceRef::Resource(Resource::Bundle(b))) = cfg.find_resource("httpd-bundle") else {
        panic!()
    };
    let ct = b.container.as_ref().unwrap();
    assert_eq!(
        (ct.kind, ct.replicas(), ct.promoted_max(), ct.image()),
        (ContainerKind::Podman, 3, 1, Some("pcmk:httpd"))
    );
    let net = b.network.as_ref().unwrap();
    assert_eq!(net.add_host, Some(true));
    assert_eq!(net.port_mappings[1].range.as_deref(), Some("8000-8010"));
    assert_eq!(
        b.storage[1].source_dir_root.as_deref(),
        Some("/var/log/pacemaker/bundles")
    );
    assert!(matches!(
        cfg.find_resource("httpd"),
        Some(ResourceRef::Primitive(_))
    ));
    assert!(matches!(
        cfg.find_resource("db"),
        Some(ResourceRef::Primitive(_))
    ));

    assert_eq!(cfg.constraints.len(), 11);
    let Constraint::Location(loc) = &cfg.constraints[0] else {
        panic!()
    };
    assert_eq!(loc.resource_discovery, Some(ResourceDiscovery::Exclusive));
    assert_eq!(loc.rules[0].score_attribute.as_deref(), Some("weight"));
    let Constraint::Colocation(col) = &cfg.constraints[3] else {
        panic!()
    };
    assert_eq!(
        (col.influence, col.node_attribute.as_deref()),
        (Some(false), Some("site"))
    );
    let Constraint::Order(ord) = &cfg.constraints[5] else {
        panic!()
    };
    assert_eq!(
        (ord.first_action, ord.kind),
        (Some(RscAction::Start), Some(OrderKind::Serialize))
    );
    let Constraint::Ticket(t) = &cfg.constraints[9] else {
        panic!()
    };
    assert_eq!(t.sets[0].role, Some(Role::Promoted));
    assert_eq!(
        cfg.expand_tag("web-things"),
        Some(&["web1".to_string(), "httpd-bundle".to_string()][..])
    );
    assert_eq!(
        cfg.fencing_topology[1].target,
        FencingTarget::Pattern("node[0-9]".into())
    );
    assert_eq!(cfg.fencing_topology[1].devices, ["fence1", "fence1"]);
    assert!(cfg
        .alerts
        .as_ref()
        .unwrap()
        .0
        .contains("alert_file.sh.sample"));

    let ip = RscAgent {
        class: "ocf",
        provider: Some("heartbeat"),
        kind: "IPaddr2",
    };
    let d = evaluate_nvsets(
        &cfg.rsc_defaults,
        &RuleContext {
            rsc: Some(ip),
            ..RuleContext::default()
        },
    );
    assert_eq!(d.get("migration-threshold").map(String::as_str), Some("3"));

    let st = &cib.status;
    assert!(st.node_states[0].is_in_ccm() && st.node_states[0].is_crmd_online());
    assert!(!st.node_states[1].is_in_ccm() && !st.node_states[1].is_shutting_down());
    assert!(st.node_states[2].remote_node);
    let op = &st.node_states[0].lrm[0].ops[1];
    assert_eq!(
        (op.rc_code, op.interval_ms, op.queue_time),
        (7, 10_000, Some(1))
    );
    assert_eq!(op.exit_reason.as_deref(), Some("not running: \"pid\" gone"));
    assert_eq!(st.tickets[0].last_granted, Some(1_618_225_000));
    assert!(st.tickets[1].standby && !st.tickets[1].granted);
    assert_eq!(
        cib.node_attributes("1", None)
            .get("weight")
            .map(String::as_str),
        Some("75")
    );
}

#[test]
fn round_trips_and_stays_valid() {
    let cib = cib();
    let out = write_cib(&cib);
    assert_eq!(parse_cib(&out).unwrap(), cib);
    let dir = std::env::temp_dir().join(format!("vigil-cib-kitchen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let written = dir.join("kitchen_sink.xml");
    std::fs::write(&written, &out).unwrap();
    let lint = Command::new("xmllint")
        .args([
            "--noout",
            "--relaxng",
            "/usr/share/pacemaker/pacemaker-3.9.rng",
        ])
        .arg(&written)
        .output()
        .expect("xmllint must be installed");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    let sim = |f: &PathBuf| {
        let o = Command::new("crm_simulate")
            .arg("-x")
            .arg(f)
            .arg("-s")
            .output()
            .expect("crm_simulate must be installed");
        assert!(o.status.success(), "crm_simulate failed on {}", f.display());
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let (a, b) = (sim(&path()), sim(&written));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(a.contains("Start      ip"), "{a}");
    assert_eq!(a, b);
}

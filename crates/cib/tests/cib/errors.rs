//! Bad input gives a located error naming the element id, or a warning
//! where Pacemaker carries on.

use vigil_cib::{parse_cib, parse_cib_with_warnings, CibError};

/// A minimal CIB with `config` inside `<configuration>`.
fn cib(config: &str) -> String {
    format!(
        "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">\n<configuration>\n{config}\n</configuration>\n<status/>\n</cib>\n"
    )
}

const RSC: &str = "<resources>\n<primitive id=\"A\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>\n</resources>";

fn err(xml: &str) -> (CibError, String) {
    let e = parse_cib(xml).expect_err("must be rejected");
    let msg = e.to_string();
    (e, msg)
}

#[test]
fn malformed_xml_is_located() {
    let (e, msg) =
        err("<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">\n<configuration>\n</cib>");
    assert!(matches!(e, CibError::Xml { .. }), "{e:?}");
    assert!(msg.starts_with("3:"), "{msg}");
    let (e, _) = err("<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"><configuration/>");
    assert!(matches!(e, CibError::Xml { .. }), "{e:?}");
    let (e, _) = err("");
    assert!(matches!(e, CibError::Xml { .. }), "{e:?}");
    let (e, _) = err("<cib a=\"1\" a=\"2\"/>");
    assert!(
        matches!(e, CibError::Xml { .. }),
        "duplicate attribute: {e:?}"
    );
}

#[test]
fn wrong_root() {
    let (e, msg) = err("<configuration/>");
    assert!(matches!(e, CibError::NotACib { .. }));
    assert_eq!(msg, "1:1: root element is <configuration>, expected <cib>");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let xml = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let (e, _) = err(&xml);
    assert!(matches!(e, CibError::TooDeep { .. }), "{e:?}");
}

#[test]
fn missing_configuration_and_header() {
    let (e, _) = err("<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"/>");
    assert!(
        matches!(e, CibError::MissingElement { ref child, .. } if child == "configuration"),
        "{e:?}"
    );
    let (e, msg) = err("<cib admin_epoch=\"0\" num_updates=\"0\"><configuration/></cib>");
    assert!(
        matches!(e, CibError::MissingAttribute { ref attribute, .. } if attribute == "epoch"),
        "{e:?}"
    );
    assert!(msg.contains("1:1"), "{msg}");
}

#[test]
fn missing_attribute_names_element_and_id() {
    let xml = cib("<resources>\n  <primitive id=\"web\" class=\"ocf\"/>\n</resources>");
    let (e, msg) = err(&xml);
    assert!(matches!(e, CibError::MissingAttribute { .. }), "{e:?}");
    assert_eq!(
        msg,
        "4:3: <primitive id=\"web\"> is missing required attribute \"type\""
    );
}

#[test]
fn impossible_score() {
    let xml = cib(&format!("{RSC}\n<constraints>\n<rsc_location id=\"loc1\" rsc=\"A\" node=\"n1\" score=\"lots\"/>\n</constraints>"));
    let (e, msg) = err(&xml);
    assert!(matches!(e, CibError::InvalidScore { .. }), "{e:?}");
    assert!(
        msg.contains("id=\"loc1\"") && msg.contains("\"lots\"") && msg.starts_with("7:1:"),
        "{msg}"
    );
}

#[test]
fn duplicate_id() {
    let xml = cib("<resources>\n<primitive id=\"A\" class=\"ocf\" type=\"Dummy\"/>\n<group id=\"A\"/>\n</resources>");
    let (e, msg) = err(&xml);
    assert!(matches!(e, CibError::DuplicateId { .. }), "{e:?}");
    assert_eq!(
        msg,
        "5:1: duplicate id \"A\" on <group> (first used at 4:1)"
    );
}

#[test]
fn dangling_constraint_reference() {
    let xml = cib(&format!(
        "{RSC}\n<constraints>\n<rsc_order id=\"o1\" first=\"A\" then=\"Nope\"/>\n</constraints>"
    ));
    let (e, msg) = err(&xml);
    assert!(matches!(e, CibError::DanglingReference { .. }), "{e:?}");
    assert!(msg.contains("<rsc_order id=\"o1\"> then=\"Nope\""), "{msg}");
    assert!(msg.starts_with("7:1:"), "{msg}");
    let xml = cib(&format!(
        "{RSC}\n<constraints>\n<rsc_colocation id=\"c1\" score=\"INFINITY\">\n<resource_set id=\"s1\"><resource_ref id=\"Ghost\"/></resource_set>\n</rsc_colocation>\n</constraints>"
    ));
    let (_, msg) = err(&xml);
    assert!(msg.contains("id=\"c1\"") && msg.contains("Ghost"), "{msg}");
}

#[test]
fn dangling_id_ref_and_template() {
    let xml = cib("<resources>\n<primitive id=\"A\" class=\"ocf\" type=\"Dummy\">\n<meta_attributes id-ref=\"nowhere\"/>\n</primitive>\n</resources>");
    let (e, msg) = err(&xml);
    assert!(
        matches!(e, CibError::DanglingReference { ref target, .. } if target == "nowhere"),
        "{e:?}"
    );
    assert!(msg.starts_with("5:1:"), "{msg}");
    let xml = cib("<resources>\n<primitive id=\"A\" template=\"T\"/>\n</resources>");
    let (_, msg) = err(&xml);
    assert!(
        msg.contains("<primitive id=\"A\"> template=\"T\" names no <template>"),
        "{msg}"
    );
}

#[test]
fn id_ref_to_wrong_kind_or_cycle() {
    let xml = cib("<resources>\n<primitive id=\"A\" class=\"ocf\" type=\"Dummy\">\n<meta_attributes id-ref=\"A\"/>\n</primitive>\n</resources>");
    let (e, msg) = err(&xml);
    assert!(matches!(e, CibError::InvalidValue { .. }), "{e:?}");
    assert!(
        msg.contains("id-ref=\"A\": names an element of another kind"),
        "{msg}"
    );
}

#[test]
fn invalid_enumerations() {
    let bad_role = cib(&format!("{RSC}\n<constraints>\n<rsc_location id=\"l\" rsc=\"A\" node=\"n\" score=\"1\" role=\"Boss\"/>\n</constraints>"));
    assert!(err(&bad_role).1.contains("role=\"Boss\""));
    let bad_op = cib("<resources>\n<primitive id=\"A\" class=\"ocf\" type=\"D\"><operations><op id=\"m\" name=\"monitor\" interval=\"often\"/></operations></primitive>\n</resources>");
    assert!(err(&bad_op)
        .1
        .contains("<op id=\"m\"> has invalid interval=\"often\""));
    let bad_expr = cib(&format!(
        "{RSC}\n<constraints>\n<rsc_location id=\"l\" rsc=\"A\"><rule id=\"r\" score=\"1\"><expression id=\"x\" attribute=\"a\" operation=\"like\" value=\"1\"/></rule></rsc_location>\n</constraints>"
    ));
    assert!(err(&bad_expr)
        .1
        .contains("<expression id=\"x\"> has invalid operation=\"like\""));
    let bad_date = cib(&format!(
        "{RSC}\n<constraints>\n<rsc_location id=\"l\" rsc=\"A\"><rule id=\"r\" score=\"1\"><date_expression id=\"d\" operation=\"gt\" start=\"yesterday\"/></rule></rsc_location>\n</constraints>"
    ));
    assert!(err(&bad_date)
        .1
        .contains("<date_expression id=\"d\"> has invalid start=\"yesterday\""));
    let no_start = cib(&format!(
        "{RSC}\n<constraints>\n<rsc_location id=\"l\" rsc=\"A\"><rule id=\"r\" score=\"1\"><date_expression id=\"d\" operation=\"gt\"/></rule></rsc_location>\n</constraints>"
    ));
    assert!(err(&no_start)
        .1
        .contains("missing required attribute \"start\""));
}

#[test]
fn clone_without_child() {
    let xml = cib("<resources>\n<clone id=\"C\"><meta_attributes id=\"m\"/></clone>\n</resources>");
    let (e, msg) = err(&xml);
    assert!(matches!(e, CibError::MissingElement { .. }), "{e:?}");
    assert!(msg.contains("<clone id=\"C\">"), "{msg}");
}

#[test]
fn warnings_where_pacemaker_carries_on() {
    let xml = cib(&format!(
        "{RSC}\n<frobnicate id=\"f\"/>\n<constraints>\n<rsc_order id=\"o\" first=\"A\" then=\"A\" kind=\"foo\"/>\n<rsc_colocation id=\"c\" rsc=\"A\" with-rsc=\"A\" score=\"1\" influence=\"maybe\"/>\n</constraints>"
    ));
    let (cib, warnings) = parse_cib_with_warnings(&xml).unwrap();
    let text: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(
        text[0].starts_with("6:1: <frobnicate id=\"f\">: unknown element"),
        "{text:?}"
    );
    assert!(text[1].contains("unknown order kind \"foo\""), "{text:?}");
    assert!(text[2].contains("influence=\"maybe\""), "{text:?}");
    match &cib.configuration.constraints[0] {
        vigil_cib::Constraint::Order(o) => {
            assert_eq!(o.kind, Some(vigil_cib::OrderKind::Mandatory))
        }
        other => panic!("{other:?}"),
    }
}

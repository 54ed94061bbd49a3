//! Golden tests: `golden/NAME.xml` is read and the outcome (the error, or
//! "ok" and each warning) is compared with `golden/NAME.out`. Run with
//! `VIGIL_UPDATE_GOLDEN=1` to rewrite the `.out` files and review the diff.

use std::path::PathBuf;

fn outcome(xml: &str) -> String {
    match vigil_cib::parse_cib_with_warnings(xml) {
        Err(e) => format!("error: {e}\n"),
        Ok((_, warnings)) => {
            let mut s = String::from("ok\n");
            for w in warnings {
                s.push_str(&format!("warning: {w}\n"));
            }
            s
        }
    }
}

fn golden(name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cib/golden");
    let input = std::fs::read_to_string(dir.join(format!("{name}.xml"))).unwrap();
    let got = outcome(&input);
    let expected_path = dir.join(format!("{name}.out"));
    if std::env::var_os("VIGIL_UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &got).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "{} missing: run with VIGIL_UPDATE_GOLDEN=1",
            expected_path.display()
        )
    });
    assert_eq!(got, expected, "golden {name}");
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { golden(stringify!($name)); })*
    };
}

golden!(
    ok_minimal,
    warnings,
    missing_type,
    bad_score,
    dangling_colocation,
    dangling_idref,
    duplicate_op_id,
    bad_interval,
    bad_on_fail,
    bad_role,
    bad_date,
    bad_date_spec,
    order_without_then,
    ticket_without_ticket,
    bad_node_type,
    bad_xml_unclosed,
    bad_xml_entity,
    bad_epoch,
    bad_fencing_level,
    bad_lrm_op,
    expression_without_value,
);

#[test]
fn every_golden_input_has_a_test() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cib/golden");
    let n = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xml")
        })
        .count();
    assert_eq!(n, 21, "add new golden inputs to the golden! list");
}

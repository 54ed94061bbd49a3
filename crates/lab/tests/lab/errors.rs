//! Bad input gives clear errors, never a half-built lab or a panic.

use std::panic::{catch_unwind, AssertUnwindSafe};

use vigil_lab::{lab_available, Lab, LabError};

#[test]
fn bad_host_names_and_addresses_are_rejected() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    for name in [
        "",
        "a-very-long-hostname",
        "br0",
        "lo",
        "sw",
        "h 1",
        "h/1",
        "h.1",
    ] {
        match lab.add_host(name, &["198.51.100.1/24"]) {
            Err(LabError::InvalidName { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{name:?}: {other:?}"),
        }
    }
    match lab.add_host("h1", &["10.1.1.1/24"]) {
        Err(e @ LabError::InvalidAddress { .. }) => {
            assert!(e.to_string().contains("10.1.1.1/24"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // The rejected address created nothing: the name is still free.
    lab.add_host("h1", &["198.51.100.1/24"]).unwrap();
    assert!(matches!(
        lab.add_host("h1", &["198.51.100.2/24"]),
        Err(LabError::DuplicateHost(n)) if n == "h1"
    ));
    assert!(matches!(lab.cut_link("h9"), Err(LabError::UnknownHost(n)) if n == "h9"));
    assert!(matches!(
        lab.restore_link("h9"),
        Err(LabError::UnknownHost(_))
    ));
    assert!(matches!(lab.try_host("h9"), Err(LabError::UnknownHost(_))));

    let panic = catch_unwind(AssertUnwindSafe(|| lab.host("h9").name().to_owned()))
        .expect_err("unknown host must panic");
    let msg = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("h9") && msg.contains("h1"), "{msg}");
}

#[test]
fn failed_commands_carry_stderr_and_status() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    lab.add_host("h1", &[]).unwrap();
    let h1 = lab.host("h1");
    assert_eq!(h1.run(&["echo", "hello"]).unwrap(), "hello\n");
    match h1.run(&["sh", "-c", "echo out; echo broken >&2; exit 3"]) {
        Err(e @ LabError::Failed { .. }) => {
            let s = e.to_string();
            assert!(
                s.contains("broken") && s.contains('3') && s.contains("sh -c"),
                "{s}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        h1.run(&["/nonexistent/program"]),
        Err(LabError::Failed { .. })
    ));
    assert!(matches!(h1.run(&[]), Err(LabError::EmptyCommand)));
    assert!(matches!(h1.spawn(&[]), Err(LabError::EmptyCommand)));
    assert!(matches!(
        h1.ping("nonsense", 1, std::time::Duration::from_secs(1)),
        Err(LabError::InvalidAddress { .. })
    ));
    assert!(h1.neigh_mac("x").is_err());
}

#[test]
fn failed_add_host_leaves_nothing_behind() {
    if !lab_available() {
        return;
    }
    let mut lab = Lab::new().unwrap();
    // Valid ranges, but the kernel refuses the second copy.
    match lab.add_host("h1", &["198.51.100.1/24", "198.51.100.1/24"]) {
        Err(e @ LabError::Failed { .. }) => {
            let s = e.to_string();
            assert!(
                s.contains("addr add 198.51.100.1/24") && s.contains("already"),
                "{s}"
            );
        }
        other => panic!("{other:?}"),
    }
    let ns = format!("{}-h1", lab.prefix());
    assert!(!super::netns_list().contains(&ns));
    assert!(lab.try_host("h1").is_err());
    lab.add_host("h1", &["198.51.100.1/24"]).unwrap();
    assert!(lab.host("h1").has_addr("198.51.100.1").unwrap());
    assert!(super::netns_list().contains(&ns));
}

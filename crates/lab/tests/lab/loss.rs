//! Random loss on a switch port.

use std::process::Stdio;
use std::time::Duration;

use vigil_lab::{lab_available, LabError};

use super::two_hosts;

/// Replies to 100 fast pings from h1 to h2.
fn replies(lab: &vigil_lab::Lab) -> u32 {
    let out = lab
        .host("h1")
        .command("ping")
        .args([
            "-n",
            "-q",
            "-c",
            "100",
            "-i",
            "0.005",
            "-W",
            "1",
            "198.51.100.2",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("received"))
        .unwrap_or_else(|| panic!("no summary: {text}"));
    line.split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn loss_drops_a_share_of_frames() {
    if !lab_available() {
        return;
    }
    let lab = two_hosts();
    assert!(lab
        .host("h1")
        .ping("198.51.100.2", 1, Duration::from_secs(2))
        .unwrap());
    assert_eq!(replies(&lab), 100);
    assert_eq!(lab.loss("h2"), 0);

    lab.set_loss("h2", 100).unwrap();
    assert_eq!(lab.loss("h2"), 100);
    assert_eq!(replies(&lab), 0);

    // Request and reply each cross h2's port: about 25 of 100 round trips succeed.
    lab.set_loss("h2", 50).unwrap();
    let n = replies(&lab);
    assert!((3..=60).contains(&n), "{n} replies at 50% loss each way");

    lab.set_loss("h2", 0).unwrap();
    assert_eq!(lab.loss("h2"), 0);
    assert_eq!(replies(&lab), 100);

    assert!(matches!(
        lab.set_loss("h2", 101),
        Err(LabError::InvalidLoss(101))
    ));
    assert!(matches!(
        lab.set_loss("h9", 1),
        Err(LabError::UnknownHost(_))
    ));
    // Partitions and loss are independent tables.
    lab.set_loss("h1", 100).unwrap();
    lab.heal().unwrap();
    assert_eq!(replies(&lab), 0);
    lab.set_loss("h1", 0).unwrap();
    assert_eq!(replies(&lab), 100);
}

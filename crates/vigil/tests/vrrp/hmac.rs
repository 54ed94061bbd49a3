//! keepalived 2.4's `auth_hmac` (HMAC-SHA256 trailer), vigil to vigil (Debian's keepalived
//! 2.2.7 predates it): a pair with the same key elects and fails over; a backup with another
//! key drops the master's adverts and takes the address too.

use std::time::Duration;

use super::common::*;

const KEY_A: &str = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const KEY_B: &str = "vigil-test-key-that-is-32-bytes!";

fn signed(id: &str, prio: u8, key: &str) -> String {
    Conf::v3(id, prio)
        .line(&format!(
            "auth_hmac {{\n        key 1 {key}\n        anti_replay time\n    }}"
        ))
        .render()
}

#[test]
fn auth_hmac_pair_elects_and_fails_over() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (_d1, d2) = start_pair(
        &t,
        Impl::Vigil,
        &signed("h1", 120, KEY_A),
        Impl::Vigil,
        &signed("h2", 110, KEY_A),
        VIP4,
    );
    settle_client(&t, VIP4, &t.mac("h1"));
    // The backup accepts the signed adverts: it never became master.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        d2.master_entries(),
        0,
        "h2 took over although h1 signs its adverts:\n{}",
        d2.log()
    );
    t.lab.cut_link("h1").expect("cutting h1");
    let took = time_until_holds(&t, "h2", VIP4, Duration::from_secs(5));
    assert!(took <= takeover_bound(V3_INT), "takeover after {took:?}");
    expect_moved(&t, "h2", &["h1"], VIP4);
}

#[test]
fn auth_hmac_with_another_key_drops_the_adverts() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let d1 = start_vigil(&t, "h1", &signed("h1", 120, KEY_A));
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    let d2 = start_vigil(&t, "h2", &signed("h2", 110, KEY_B));
    // h2 cannot verify h1's adverts, so its master-down timer fires: it becomes master too.
    assert!(
        vigil_lab::wait_until(Duration::from_secs(10), || d2.master_entries() > 0),
        "h2 accepted adverts signed with another key:\n{}",
        d2.log()
    );
    assert!(t.has("h2", VIP4), "h2 did not take the address");
    drop(d1);
}

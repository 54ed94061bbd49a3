//! keepalived.stats: what keepalived writes to `/tmp/keepalived.stats` on SIGUSR2
//! (`--signum=STATS`). Same lines, same indentation, same order as keepalived 2.2
//! (checked against Debian's keepalived 2.2.7).
//!
//! keepalived prints only its own counters; vigil's extra drop counters (IP header,
//! version, VRID, checksum) appear in the metrics and the status API instead.

use std::fmt::Write;

use super::snapshot::StatusSnapshot;

/// Renders keepalived.stats.
pub fn render_stats(snap: &StatusSnapshot) -> String {
    let mut out = String::new();
    for i in &snap.instances {
        let s = &i.stats;
        // Infallible: writing to a String.
        let _ = write!(
            out,
            "VRRP Instance: {}\n\
             \x20 Advertisements:\n\
             \x20   Received: {}\n\
             \x20   Sent: {}\n\
             \x20 Became master: {}\n\
             \x20 Released master: {}\n\
             \x20 Packet Errors:\n\
             \x20   Length: {}\n\
             \x20   TTL: {}\n\
             \x20   Invalid Type: {}\n\
             \x20   Advertisement Interval: {}\n\
             \x20   Address List: {}\n\
             \x20 Authentication Errors:\n\
             \x20   Invalid Type: {}\n\
             \x20   Type Mismatch: {}\n\
             \x20   Failure: {}\n\
             \x20 Priority Zero:\n\
             \x20   Received: {}\n\
             \x20   Sent: {}\n",
            i.name,
            s.advert_rcvd,
            s.advert_sent,
            s.became_master,
            s.release_master,
            s.packet_len_err,
            s.ip_ttl_err,
            s.invalid_type_rcvd,
            s.advert_interval_err,
            s.addr_list_err,
            s.invalid_authtype,
            s.authtype_mismatch,
            s.auth_failure,
            s.pri_zero_rcvd,
            s.pri_zero_sent,
        );
    }
    out
}

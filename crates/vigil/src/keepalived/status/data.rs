//! keepalived.data: what keepalived writes to `/tmp/keepalived.data` on SIGUSR1
//! (`--signum=DATA`). The "Global definitions" and "VRRP Topology" sections follow
//! keepalived 2.2's layout (checked against Debian's keepalived 2.2.7); lines whose value
//! vigil does not have (file descriptors, read timeout, socket pool, interfaces, script
//! internals) are left out rather than invented.

use std::fmt::Write;
use std::time::Duration;

use super::snapshot::{AuthStatus, Family, InstanceStatus, StatusSnapshot, TrackerKind, VrrpState};
use super::timefmt::keepalived_stamp;

/// Appends one line (infallible on a String).
macro_rules! line {
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Renders keepalived.data.
pub fn render_data(snap: &StatusSnapshot) -> String {
    let mut out = String::new();
    let g = &snap.global;
    line!(out, "------< Global definitions >------");
    line!(out, " Network namespace = (default)");
    line!(out, " Router ID = {}", g.router_id);
    line!(
        out,
        " VRRP notify priority changes = {}",
        g.notify_priority_changes
    );
    line!(out, " VRRP IPv4 mcast group = {}", g.mcast_group4);
    line!(out, " VRRP IPv6 mcast group = {}", g.mcast_group6);
    line!(out, " VRRP strict mode = {}", g.strict);
    line!(out, "------< VRRP Topology >------");
    let start = g.now.checked_sub(g.uptime).unwrap_or(g.now);
    for i in &snap.instances {
        instance(&mut out, i, start);
    }
    if !snap.groups.is_empty() {
        line!(out, "------< VRRP Sync groups >------");
        for grp in &snap.groups {
            line!(out, " VRRP Sync Group = {}, {}", grp.name, grp.state);
            line!(out, "   VRRP member instances :");
            for m in &grp.instances {
                line!(out, "     {m}");
            }
        }
    }
    out
}

fn instance(out: &mut String, i: &InstanceStatus, start: std::time::SystemTime) {
    let v3 = i.version == 3;
    line!(out, " VRRP Instance = {}", i.name);
    line!(out, "   VRRP Version = {}", i.version);
    if i.family == Family::Inet6 {
        line!(out, "   Using Native IPv6");
    }
    line!(out, "   State = {}", i.state);
    if i.state == VrrpState::Backup {
        match i.master_addr {
            Some(m) => line!(out, "   Master router = {m}"),
            None => line!(out, "   Master router = (none)"),
        }
        line!(out, "   Master priority = {}", i.master_priority);
        if v3 {
            line!(
                out,
                "   Master advert int = {:.2} sec",
                i.master_advert_int.as_secs_f64()
            );
        }
    }
    if i.unicast_peers.is_empty() {
        line!(out, "   Flags: none");
    } else {
        line!(out, "   Flags:");
        line!(out, "     Using unicast");
    }
    line!(out, "   Wantstate = {}", i.wantstate);
    line!(out, "   Number of config faults = 0");
    line!(
        out,
        "   Number of interface and track script faults = {}",
        i.fault_count
    );
    line!(out, "   Number of track scripts init = 0");
    let last = i.last_transition.as_ref().map(|t| t.at).unwrap_or(start);
    line!(out, "   Last transition = {}", keepalived_stamp(last));
    match i.read_timeout {
        Some(t) => line!(out, "   Read timeout = {}", keepalived_stamp(t)),
        None => line!(out, "   Read timeout = DISABLED"),
    }
    line!(
        out,
        "   Master down timer = {} usecs",
        i.master_down_timer.as_micros()
    );
    line!(out, "   Interface = {}", i.interface);
    match i.src_addr {
        Some(a) if i.src_from_config => line!(out, "   Using src_ip = {a} (from configuration)"),
        Some(a) => line!(out, "   Using src_ip = {a}"),
        None => line!(out, "   Using src_ip = (none)"),
    }
    if i.unicast_peers.is_empty() {
        let g = match i.family {
            Family::Inet => "224.0.0.18",
            Family::Inet6 => "ff02::12",
        };
        match (i.family, i.ifindex) {
            (Family::Inet6, Some(ix)) => line!(out, "   Multicast address {g}, ifindex {ix}"),
            _ => line!(out, "   Multicast address {g}"),
        }
    }
    let garp = &i.garp;
    line!(out, "   Gratuitous ARP delay = {}", garp.delay);
    line!(out, "   Gratuitous ARP repeat = {}", garp.repeat);
    line!(out, "   Gratuitous ARP refresh = {}", garp.refresh);
    line!(
        out,
        "   Gratuitous ARP refresh repeat = {}",
        garp.refresh_repeat
    );
    line!(
        out,
        "   Gratuitous ARP lower priority delay = {}",
        garp.lower_prio_delay
    );
    line!(
        out,
        "   Gratuitous ARP lower priority repeat = {}",
        garp.lower_prio_repeat
    );
    line!(out, "   Down timer adverts = 3");
    line!(
        out,
        "   Send advert after receive lower priority advert = true"
    );
    line!(
        out,
        "   Send advert after receive higher priority advert = false"
    );
    line!(out, "   Virtual Router ID = {}", i.vrid);
    line!(out, "   Priority = {}", i.base_priority);
    line!(out, "   Effective priority = {}", i.effective_priority);
    line!(out, "   Total priority = {}", i.effective_priority);
    if v3 {
        line!(
            out,
            "   Advert interval = {} milli-sec",
            i.advert_int.as_millis()
        );
        if i.state == VrrpState::Backup {
            line!(
                out,
                "   Master advert interval = {} milli-sec",
                i.master_advert_int.as_millis()
            );
        }
    } else {
        line!(out, "   Advert interval = {} sec", i.advert_int.as_secs());
    }
    line!(out, "   Accept = {}", enabled(i.accept));
    line!(out, "   Preempt = {}", enabled(i.preempt));
    if i.preempt_delay > Duration::ZERO {
        line!(
            out,
            "   Preempt delay = {} secs",
            super::json::fmt_g(i.preempt_delay.as_secs_f64())
        );
    }
    line!(out, "   Promote_secondaries = disabled");
    match &i.auth {
        AuthStatus::Password(p) => {
            line!(out, "   Authentication type = SIMPLE_PASSWORD");
            line!(out, "   Password = {p}");
        }
        AuthStatus::Ah => line!(out, "   Authentication type = IPSEC_AH"),
        AuthStatus::None if !v3 => line!(out, "   Authentication type = none"),
        AuthStatus::None => {}
    }
    if !i.vips.is_empty() {
        line!(out, "   Virtual IP ({}):", i.vips.len());
        for v in &i.vips {
            line!(out, "     {}", v.keepalived_line(i.vips_set));
        }
    }
    if !i.excluded.is_empty() {
        line!(out, "   Virtual IP Excluded :");
        for v in &i.excluded {
            line!(out, "     {}", v.keepalived_line(i.vips_set));
        }
    }
    if !i.unicast_peers.is_empty() {
        line!(out, "   Unicast TTL = 255");
        line!(out, "   Check unicast src : no");
        line!(out, "   Unicast Peer :");
        for p in &i.unicast_peers {
            line!(out, "     {p} min_ttl 0 max_ttl 255");
        }
        line!(out, "   Unicast checksum compatibility = no");
    }
    if !i.routes.is_empty() {
        line!(out, "   Virtual Routes :");
        for r in &i.routes {
            line!(out, "     {}", r.line());
        }
    }
    for (kind, title) in [
        (TrackerKind::Interface, "Tracked interfaces"),
        (TrackerKind::Script, "Tracked scripts"),
        (TrackerKind::File, "Tracked files"),
        (TrackerKind::Process, "Tracked processes"),
        (TrackerKind::Bfd, "Tracked BFDs"),
    ] {
        let mut ts = i.trackers.iter().filter(|t| t.kind == kind).peekable();
        if ts.peek().is_some() {
            line!(out, "   {title} :");
            for t in ts {
                line!(out, "     {} weight {}", t.name, t.weight);
            }
        }
    }
    line!(
        out,
        "   Using smtp notification = {}",
        if i.smtp_alert { "yes" } else { "no" }
    );
    let s = &i.scripts;
    for (script, what) in [
        (&s.backup, "Backup"),
        (&s.master, "Master"),
        (&s.fault, "Fault"),
        (&s.stop, "Stop"),
        (&s.deleted, "Deleted"),
        (&s.any, "Generic"),
        (&s.master_rx_lower_pri, "Master rx lower pri"),
    ] {
        if let Some(cmd) = script {
            line!(out, "   {what} state transition script = {cmd}");
        }
    }
    line!(out, "   Notify deleted = Fault");
    line!(
        out,
        "   Notify priority changes = {}",
        i.notify_priority_changes
    );
}

fn enabled(b: bool) -> &'static str {
    if b {
        "enabled"
    } else {
        "disabled"
    }
}
